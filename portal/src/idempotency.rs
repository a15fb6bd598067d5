//! `Idempotency-Key`: the same key from the same user within 24 h gets the
//! first answer again without a second upstream call; the same key with a
//! different request is refused.

use crate::{Db, PortalError, now_ms, secret};
use sqlx::Row;

/// How long a key is remembered.
pub const KEEP_MS: i64 = 24 * 3600 * 1000;
pub const KEY_MAX_CHARS: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: go ahead, then call [`complete`].
    Fresh,
    /// The key was used for this very request: here is its answer.
    Replay { status: u16, body: String },
    /// The key was used for a different request.
    Mismatch,
    /// The first request with this key has not finished (or the server
    /// died during it): do not send it again.
    InFlight,
}

pub fn validate_key(key: &str) -> Result<(), PortalError> {
    if key.is_empty()
        || key.chars().count() > KEY_MAX_CHARS
        || !key.chars().all(|c| c.is_ascii_graphic())
    {
        return Err(PortalError::invalid(
            "Idempotency-Key",
            format!("must be 1 to {KEY_MAX_CHARS} visible ASCII characters"),
        ));
    }
    Ok(())
}

/// The fingerprint of a request, to tell a replay from a different request.
pub fn fingerprint(endpoint: &str, account: &str, request_json: &str) -> String {
    secret::sha256_hex(&format!("{endpoint}\n{account}\n{request_json}"))
}

/// Claims `key` for this request.
pub async fn claim(
    db: &Db,
    user_id: &str,
    key: &str,
    request_hash: &str,
) -> Result<Claim, PortalError> {
    validate_key(key)?;
    let now = now_ms();
    // Forget this user's keys older than a day, so they can be reused.
    sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND created_at < $2")
        .bind(user_id)
        .bind(now - KEEP_MS)
        .execute(db.pool())
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(request_hash)
    .bind(now)
    .execute(db.pool())
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::Fresh);
    }
    let row = sqlx::query(
        "SELECT request_hash, status_code, response FROM idempotency_keys \
         WHERE user_id = $1 AND idem_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_one(db.pool())
    .await?;
    if row.try_get::<String, _>("request_hash")? != request_hash {
        return Ok(Claim::Mismatch);
    }
    let status: Option<i64> = row.try_get("status_code")?;
    let body: Option<String> = row.try_get("response")?;
    Ok(match (status, body) {
        (Some(status), Some(body)) => Claim::Replay {
            status: u16::try_from(status).unwrap_or(500),
            body,
        },
        _ => Claim::InFlight,
    })
}

/// Stores the answer given to the request that claimed `key`.
pub async fn complete(
    db: &Db,
    user_id: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), PortalError> {
    sqlx::query(
        "UPDATE idempotency_keys SET status_code = $1, response = $2 \
         WHERE user_id = $3 AND idem_key = $4",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(user_id)
    .bind(key)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Lets a key be used again (when the request was refused before it
/// reached the cloud, e.g. invalid input).
pub async fn release(db: &Db, user_id: &str, key: &str) -> Result<(), PortalError> {
    sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2")
        .bind(user_id)
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}
