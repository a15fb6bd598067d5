//! The cloud call spacing that replicas of one account share, kept in
//! PostgreSQL: each call reserves the next free slot of its API in one
//! statement, so two replicas never take the same one, and the database's
//! clock alone decides (a replica's own clock may be off).

use crate::db::Backend;
use crate::{Db, PortalError};
use sqlx::Row;
use std::time::Duration;

/// The database's time in milliseconds since the epoch.
pub(crate) const NOW_MS: &str = "(EXTRACT(EPOCH FROM now()) * 1000)::BIGINT";

/// Whether replicas can share through `db` (PostgreSQL; a SQLite file has
/// one process and needs nothing shared).
pub fn supported(db: &Db) -> bool {
    db.backend() == Backend::Postgres
}

/// Reserves the next slot of `api` for `account`, at least `interval`
/// after the slot before it, if it starts within `max_wait`: `Ok(how long
/// until it starts)`, else `Ok(Err(how long until the next slot is free))`.
pub async fn reserve(
    db: &Db,
    account: &str,
    api: &str,
    interval: Duration,
    max_wait: Duration,
) -> Result<Result<Duration, Duration>, PortalError> {
    let interval_ms = millis(interval);
    let max_wait_ms = millis(max_wait);
    // A slot is taken only when it starts within the wait; else the row
    // stays as it is and no row comes back.
    let taken = sqlx::query(&format!(
        "INSERT INTO call_slots AS s (account, api, next_slot) VALUES ($1, $2, {NOW_MS} + $3) \
         ON CONFLICT (account, api) DO UPDATE \
         SET next_slot = GREATEST(s.next_slot, {NOW_MS}) + $3 \
         WHERE GREATEST(s.next_slot, {NOW_MS}) <= {NOW_MS} + $4 \
         RETURNING next_slot - $3 - {NOW_MS} AS wait_ms"
    ))
    .bind(account)
    .bind(api)
    .bind(interval_ms)
    .bind(max_wait_ms)
    .fetch_optional(db.pool())
    .await?;
    if let Some(row) = taken {
        return Ok(Ok(from_millis(row.try_get("wait_ms")?)));
    }
    let free_in: i64 = sqlx::query(&format!(
        "SELECT next_slot - {NOW_MS} AS free_in FROM call_slots WHERE account = $1 AND api = $2"
    ))
    .bind(account)
    .bind(api)
    .fetch_optional(db.pool())
    .await?
    .map(|row| row.try_get("free_in"))
    .transpose()?
    .unwrap_or(0);
    Ok(Err(from_millis(free_in)))
}

pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4)
}

pub(crate) fn from_millis(ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}
