//! The findings cache: what a scan found, kept so that a second look at an
//! image costs the cloud nothing. A row is keyed by account, kind of
//! finding and image, and is good while the image's last scan time is the
//! one it was fetched for (findings change only when an image is scanned
//! again). Replicas share it through the database.

use crate::{Db, PortalError, now_ms};
use sqlx::Row;

/// Which image's findings of which kind.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub account: &'a str,
    /// e.g. `hss/vulnerabilities`.
    pub kind: &'a str,
    /// The cloud's id of the image.
    pub image: &'a str,
    /// The image's last scan time as the cloud reported it; `""` when it
    /// is not known.
    pub scanned_at: &'a str,
}

/// A cached answer and when it was fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    pub body: String,
    pub fetched_at_ms: i64,
}

/// The cached findings, if any were fetched for this scan of the image.
/// A row without a known scan time is trusted for `unknown_scan_ttl_ms`.
pub async fn get(
    db: &Db,
    key: Key<'_>,
    unknown_scan_ttl_ms: i64,
) -> Result<Option<Cached>, PortalError> {
    let row = sqlx::query(
        "SELECT body, fetched_at, scanned_at FROM findings_cache \
         WHERE account = $1 AND kind = $2 AND image = $3",
    )
    .bind(key.account)
    .bind(key.kind)
    .bind(key.image)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let scanned_at: String = row.try_get("scanned_at")?;
    let fetched_at_ms: i64 = row.try_get("fetched_at")?;
    let fresh = if key.scanned_at.is_empty() || scanned_at.is_empty() {
        now_ms() - fetched_at_ms < unknown_scan_ttl_ms
    } else {
        scanned_at == key.scanned_at
    };
    Ok(fresh.then(|| Cached {
        body: row.try_get("body").unwrap_or_default(),
        fetched_at_ms,
    }))
}

/// Stores what was fetched for this scan of the image; answers its time.
pub async fn put(db: &Db, key: Key<'_>, body: &str) -> Result<i64, PortalError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO findings_cache (account, kind, image, scanned_at, body, fetched_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (account, kind, image) DO UPDATE SET \
         scanned_at = excluded.scanned_at, body = excluded.body, fetched_at = excluded.fetched_at",
    )
    .bind(key.account)
    .bind(key.kind)
    .bind(key.image)
    .bind(key.scanned_at)
    .bind(body)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(now)
}

/// Marks every cached finding of an account stale (a scan of its images
/// finished): the next look fetches again. Answers how many rows went.
pub async fn forget_account(db: &Db, account: &str) -> Result<u64, PortalError> {
    let done = sqlx::query("DELETE FROM findings_cache WHERE account = $1")
        .bind(account)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
