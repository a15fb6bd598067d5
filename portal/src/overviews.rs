//! The accounts' overviews, gathered in the background and kept where every
//! replica sees them: a page view reads them and never calls a cloud. One
//! replica gathers an account at a time ([`take_turn`]), then
//! [`publish`]es and says when the next gathering is due.

use crate::call_slots::millis;
use crate::{Db, PortalError, now_ms};
use sqlx::Row;
use std::time::Duration;

/// One account's latest overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub account: String,
    /// Its JSON.
    pub body: String,
    pub fetched_at_ms: i64,
}

/// Takes `account`'s gathering for `holder`, for at most `hold`, if it is
/// due and nobody holds it. Answers whether it was taken.
pub async fn take_turn(
    db: &Db,
    account: &str,
    holder: &str,
    hold: Duration,
) -> Result<bool, PortalError> {
    let now = now_ms();
    let taken = sqlx::query(
        "INSERT INTO overviews (account, body, fetched_at, next_due, holder, claimed_until) \
         VALUES ($1, NULL, 0, $3, $2, $3 + $4) \
         ON CONFLICT (account) DO UPDATE SET holder = $2, claimed_until = $3 + $4 \
         WHERE overviews.claimed_until < $3 AND overviews.next_due <= $3 \
         RETURNING account",
    )
    .bind(account)
    .bind(holder)
    .bind(now)
    .bind(millis(hold))
    .fetch_optional(db.pool())
    .await?;
    Ok(taken.is_some())
}

/// Publishes `holder`'s gathering and sets the next one `next_in` from
/// now. Answers `false`, writing nothing, when the turn had lapsed and
/// passed to another replica.
pub async fn publish(
    db: &Db,
    account: &str,
    holder: &str,
    body: &str,
    next_in: Duration,
) -> Result<bool, PortalError> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE overviews SET body = $3, fetched_at = $4, next_due = $4 + $5, claimed_until = 0 \
         WHERE account = $1 AND holder = $2 AND claimed_until >= $4",
    )
    .bind(account)
    .bind(holder)
    .bind(body)
    .bind(now)
    .bind(millis(next_in))
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives `holder`'s turn back without a new overview (the gathering
/// failed: the last one stays shown), the next due `next_in` from now.
pub async fn release(
    db: &Db,
    account: &str,
    holder: &str,
    next_in: Duration,
) -> Result<bool, PortalError> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE overviews SET next_due = $3 + $4, claimed_until = 0 \
         WHERE account = $1 AND holder = $2 AND claimed_until >= $3",
    )
    .bind(account)
    .bind(holder)
    .bind(now)
    .bind(millis(next_in))
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `account`'s next gathering due now (a scan of its images ended).
pub async fn want(db: &Db, account: &str) -> Result<(), PortalError> {
    sqlx::query("UPDATE overviews SET next_due = $2 WHERE account = $1")
        .bind(account)
        .bind(now_ms())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// `account`'s latest overview, if one was gathered.
pub async fn get(db: &Db, account: &str) -> Result<Option<Stored>, PortalError> {
    let row = sqlx::query(
        "SELECT account, body, fetched_at FROM overviews WHERE account = $1 AND body IS NOT NULL",
    )
    .bind(account)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(stored).transpose()
}

/// Every account's latest overview that has been gathered.
pub async fn all(db: &Db) -> Result<Vec<Stored>, PortalError> {
    let rows = sqlx::query(
        "SELECT account, body, fetched_at FROM overviews WHERE body IS NOT NULL ORDER BY account",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(stored).collect()
}

fn stored(row: &sqlx::any::AnyRow) -> Result<Stored, PortalError> {
    Ok(Stored {
        account: row.try_get("account")?,
        body: row.try_get("body")?,
        fetched_at_ms: row.try_get("fetched_at")?,
    })
}
