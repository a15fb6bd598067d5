//! The live feeds replicas share through PostgreSQL: one refresh schedule
//! per account and feed, so that one replica (whichever finds a refresh
//! due first) asks the cloud and the others show what it published,
//! instead of each polling the cloud itself.
//!
//! A turn is held for a bounded time, which its holder [`renew`]s while its
//! refresh runs: a replica that dies mid-refresh loses it then, and
//! another takes the next. A refresh asked for while
//! another is under way (a launch) is served by a refresh that starts
//! after it, never by the one already running.

use crate::call_slots::{NOW_MS, from_millis, millis};
use crate::{Db, PortalError};
use sqlx::Row;
use std::time::Duration;

/// Whose refresh it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// This replica's: it asks the cloud and then [`publish`]es.
    Mine,
    /// Another's, or none due: the latest publication newer than the one
    /// this replica has seen, if any (its sequence number and JSON), and
    /// how long until the next refresh is due (zero: due, but held).
    Theirs(Option<(i64, String)>, Duration),
}

/// Takes the feed's refresh if it is due or wanted and nobody holds it,
/// for at most `hold`; otherwise answers what others published after
/// `seen`.
pub async fn take_turn(
    db: &Db,
    account: &str,
    feed: &str,
    holder: &str,
    seen: i64,
    hold: Duration,
) -> Result<Turn, PortalError> {
    let taken = sqlx::query(&format!(
        "INSERT INTO live_feeds AS f \
           (account, feed, seq, body, next_due, wanted_at, holder, claimed_at, claimed_until) \
         VALUES ($1, $2, 0, NULL, {NOW_MS}, 0, $3, {NOW_MS}, {NOW_MS} + $4) \
         ON CONFLICT (account, feed) DO UPDATE \
         SET holder = $3, claimed_at = {NOW_MS}, claimed_until = {NOW_MS} + $4 \
         WHERE f.claimed_until < {NOW_MS} \
           AND (f.next_due <= {NOW_MS} OR f.wanted_at >= f.claimed_at) \
         RETURNING seq"
    ))
    .bind(account)
    .bind(feed)
    .bind(holder)
    .bind(millis(hold))
    .fetch_optional(db.pool())
    .await?;
    if taken.is_some() {
        return Ok(Turn::Mine);
    }
    let row = sqlx::query(&format!(
        "SELECT seq, CASE WHEN seq > $3 THEN body END AS body, \
           GREATEST(next_due - {NOW_MS}, 0) AS due_in \
         FROM live_feeds WHERE account = $1 AND feed = $2"
    ))
    .bind(account)
    .bind(feed)
    .bind(seen)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(Turn::Theirs(None, Duration::ZERO));
    };
    let body: Option<String> = row.try_get("body")?;
    let newer = match body {
        Some(body) => Some((row.try_get("seq")?, body)),
        None => None,
    };
    Ok(Turn::Theirs(newer, from_millis(row.try_get("due_in")?)))
}

/// Holds `holder`'s turn `hold` from now, while its refresh still runs
/// (a budget wait may outlast one hold). Answers whether it still held the
/// turn: one that lapsed is not taken back, as another may have it.
pub async fn renew(
    db: &Db,
    account: &str,
    feed: &str,
    holder: &str,
    hold: Duration,
) -> Result<bool, PortalError> {
    let renewed = sqlx::query(&format!(
        "UPDATE live_feeds SET claimed_until = {NOW_MS} + $4 \
         WHERE account = $1 AND feed = $2 AND holder = $3 AND claimed_until >= {NOW_MS}"
    ))
    .bind(account)
    .bind(feed)
    .bind(holder)
    .bind(millis(hold))
    .execute(db.pool())
    .await?;
    Ok(renewed.rows_affected() == 1)
}

/// Publishes `holder`'s refresh and sets the next one `next_in` from now
/// (at once if one was wanted since it began). Answers the publication's
/// sequence number, or `None` when the turn had passed to another replica
/// meanwhile (held too long): nothing is written then.
pub async fn publish(
    db: &Db,
    account: &str,
    feed: &str,
    holder: &str,
    body: &str,
    next_in: Duration,
) -> Result<Option<i64>, PortalError> {
    let row = sqlx::query(&format!(
        "UPDATE live_feeds SET seq = seq + 1, body = $4, claimed_until = 0, \
           next_due = CASE WHEN wanted_at >= claimed_at THEN {NOW_MS} ELSE {NOW_MS} + $5 END \
         WHERE account = $1 AND feed = $2 AND holder = $3 AND claimed_until > 0 \
         RETURNING seq"
    ))
    .bind(account)
    .bind(feed)
    .bind(holder)
    .bind(body)
    .bind(millis(next_in))
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(row) => Some(row.try_get("seq")?),
        None => None,
    })
}

/// Asks for the feed's refresh as soon as the budget allows, whichever
/// replica makes it (after a launch, a sync or a stop).
pub async fn want_refresh(db: &Db, account: &str, feed: &str) -> Result<(), PortalError> {
    sqlx::query(&format!(
        "UPDATE live_feeds SET wanted_at = {NOW_MS} WHERE account = $1 AND feed = $2"
    ))
    .bind(account)
    .bind(feed)
    .execute(db.pool())
    .await?;
    Ok(())
}
