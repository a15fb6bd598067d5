//! The key guards replicas share through PostgreSQL: each account's
//! authentication refusals in a row and its pause, so that the refusals of
//! all replicas count towards one pause (the cloud locks a key after a few
//! refusals from all its callers together) and a retry on any replica
//! lets every replica call again.

use crate::{Db, PortalError};
use sqlx::Row;
use sqlx::any::AnyRow;

/// One account's guard as the replicas share it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedGuard {
    pub refusals: u32,
    /// The refusal that paused the account (code, message).
    pub paused: Option<(String, String)>,
}

const COLUMNS: &str = "refusals, paused_code, paused_message";

fn read(row: &AnyRow) -> Result<SharedGuard, PortalError> {
    let refusals: i32 = row.try_get("refusals")?;
    let code: Option<String> = row.try_get("paused_code")?;
    let message: Option<String> = row.try_get("paused_message")?;
    Ok(SharedGuard {
        refusals: u32::try_from(refusals).unwrap_or(0),
        paused: code.map(|code| (code, message.unwrap_or_default())),
    })
}

/// Counts a refusal of `account`'s key; the `pause_at`-th in a row pauses
/// it with this refusal's code and message. Answers the shared guard.
pub async fn refused(
    db: &Db,
    account: &str,
    code: &str,
    message: &str,
    pause_at: u32,
) -> Result<SharedGuard, PortalError> {
    let row = sqlx::query(&format!(
        "INSERT INTO key_guards AS g (account, refusals, paused_code, paused_message) \
         VALUES ($1, 1, CASE WHEN 1 >= $4 THEN $2 END, CASE WHEN 1 >= $4 THEN $3 END) \
         ON CONFLICT (account) DO UPDATE SET refusals = g.refusals + 1, \
           paused_code = CASE WHEN g.paused_code IS NULL AND g.refusals + 1 >= $4 \
                         THEN $2 ELSE g.paused_code END, \
           paused_message = CASE WHEN g.paused_code IS NULL AND g.refusals + 1 >= $4 \
                            THEN $3 ELSE g.paused_message END \
         RETURNING {COLUMNS}"
    ))
    .bind(account)
    .bind(code)
    .bind(message)
    .bind(i32::try_from(pause_at).unwrap_or(i32::MAX))
    .fetch_one(db.pool())
    .await?;
    read(&row)
}

/// The cloud accepted `account`'s key: its refusals count from zero again
/// (a pause stays until a retry).
pub async fn accepted(db: &Db, account: &str) -> Result<Option<SharedGuard>, PortalError> {
    let row = sqlx::query(&format!(
        "UPDATE key_guards SET refusals = 0 WHERE account = $1 RETURNING {COLUMNS}"
    ))
    .bind(account)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(read).transpose()
}

/// An operator's retry: a paused account calls again, and one more refusal
/// in a row (`pause_at - 1` counted) pauses it again. An account that is
/// not paused is left as it is.
pub async fn resumed(
    db: &Db,
    account: &str,
    pause_at: u32,
) -> Result<Option<SharedGuard>, PortalError> {
    let row = sqlx::query(&format!(
        "UPDATE key_guards SET refusals = $2, paused_code = NULL, paused_message = NULL \
         WHERE account = $1 AND paused_code IS NOT NULL RETURNING {COLUMNS}"
    ))
    .bind(account)
    .bind(i32::try_from(pause_at.saturating_sub(1)).unwrap_or(0))
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(read).transpose()
}

/// `account`'s shared guard, if its key was ever refused.
pub async fn get(db: &Db, account: &str) -> Result<Option<SharedGuard>, PortalError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM key_guards WHERE account = $1"
    ))
    .bind(account)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(read).transpose()
}
