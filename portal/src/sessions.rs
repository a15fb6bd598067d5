//! Browser sessions, stored server-side. The cookie holds a random 256-bit
//! id; the database holds its hash, the user, and two times that bound it:
//! idle expiry and absolute expiry.

use crate::users::parse_role;
use crate::{Db, PortalError, Principal, Via, now_ms, secret};
use sqlx::Row;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Ends a session nobody used for this long.
    pub idle: Duration,
    /// Ends any session this long after sign-in.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 3600),
        }
    }
}

/// `last_seen_at` is written at most this often per session, so reads do
/// not turn into a write each.
const TOUCH_EVERY_MS: i64 = 30_000;

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Starts a session for a user and returns the id for the cookie. Always a
/// fresh id: a session id known before sign-in is worth nothing after.
pub async fn create(db: &Db, user_id: &str) -> Result<String, PortalError> {
    let raw = secret::random_hex();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(secret::sha256_hex(&raw))
    .bind(user_id)
    .bind(now)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(raw)
}

/// The user behind a session cookie, with their current role, if the
/// session is live and the user enabled. Expired sessions are deleted.
pub async fn authenticate(
    db: &Db,
    raw: &str,
    policy: SessionPolicy,
) -> Result<Option<Principal>, PortalError> {
    if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id_hash = secret::sha256_hex(raw);
    let row = sqlx::query(
        "SELECT s.user_id, s.created_at, s.last_seen_at, u.name, u.role, u.disabled \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
    )
    .bind(&id_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_ms();
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    let disabled = row.try_get::<i64, _>("disabled")? != 0;
    if disabled || now - last_seen_at > ms(policy.idle) || now - created_at > ms(policy.absolute) {
        end_by_hash(db, &id_hash).await?;
        return Ok(None);
    }
    if now - last_seen_at > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&id_hash)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(Principal {
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        role: parse_role(&row.try_get::<String, _>("role")?),
        via: Via::Session { id_hash },
        scope: crate::Scope::default(),
    }))
}

/// Whether the session with this id hash is still live and its user
/// enabled, without counting as activity (for long-lived streams that
/// must end when the session does).
pub async fn is_live(db: &Db, id_hash: &str, policy: SessionPolicy) -> Result<bool, PortalError> {
    let row = sqlx::query(
        "SELECT s.created_at, s.last_seen_at, u.disabled \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(false) };
    let now = now_ms();
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    let disabled = row.try_get::<i64, _>("disabled")? != 0;
    Ok(!disabled
        && now - last_seen_at <= ms(policy.idle)
        && now - created_at <= ms(policy.absolute))
}

pub async fn end_by_hash(db: &Db, id_hash: &str) -> Result<(), PortalError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *tx)
        .await?;
    crate::revocations::announce(&mut *tx, db.backend()).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes sessions past either expiry; returns how many.
pub async fn purge_expired(db: &Db, policy: SessionPolicy) -> Result<u64, PortalError> {
    let now = now_ms();
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - ms(policy.idle))
        .bind(now - ms(policy.absolute))
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
