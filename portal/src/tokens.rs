//! API tokens for scripts: `Authorization: Bearer spt_…`, acting with
//! their user's current role. Shown once at creation, stored hashed.

use crate::audit::{self, NewEntry};
use crate::users::parse_role;
use crate::{Db, PortalError, Principal, TokenInfo, Via, now_ms, secret, users};
use sqlx::Row;

/// Every token starts with this, so a leaked one is easy to recognise
/// (and to grep for).
pub const PREFIX: &str = "spt_";
pub const MAX_EXPIRY_DAYS: u32 = 3650;
pub const LABEL_MAX_CHARS: usize = 100;

const TOUCH_EVERY_MS: i64 = 60_000;

/// Creates a token for `user_name`; returns its listing and the token
/// itself, which is not stored and cannot be shown again. With `audit`,
/// its `ok` row commits with the token, and its request (a JSON object)
/// gains the new token's `id`.
pub async fn create(
    db: &Db,
    user_name: &str,
    label: &str,
    expires_days: Option<u32>,
    audit: Option<&NewEntry<'_>>,
) -> Result<(TokenInfo, String), PortalError> {
    if label.chars().count() > LABEL_MAX_CHARS {
        return Err(PortalError::invalid(
            "label",
            format!("must be at most {LABEL_MAX_CHARS} characters"),
        ));
    }
    if let Some(days) = expires_days
        && !(1..=MAX_EXPIRY_DAYS).contains(&days)
    {
        return Err(PortalError::invalid(
            "expires_days",
            format!("must be 1 to {MAX_EXPIRY_DAYS}"),
        ));
    }
    let user_id = users::id_of(db, user_name).await?;
    let raw = format!("{PREFIX}{}", secret::random_hex());
    let id = secret::new_id();
    let created_at = now_ms();
    let expires_at = expires_days.map(|d| created_at + i64::from(d) * 86_400_000);
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO api_tokens (id, token_hash, user_id, label, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(secret::sha256_hex(&raw))
    .bind(&user_id)
    .bind(label)
    .bind(created_at)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    if let Some(entry) = audit {
        let mut request: serde_json::Value = entry
            .request
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_else(|| serde_json::json!({}));
        if let Some(fields) = request.as_object_mut() {
            fields.insert("id".to_owned(), serde_json::Value::String(id.clone()));
        }
        let entry = NewEntry {
            request: Some(request.to_string()),
            ..entry.clone()
        };
        audit::record_ok_in(&mut tx, &entry).await?;
    }
    tx.commit().await?;
    Ok((
        TokenInfo {
            id,
            user: user_name.to_owned(),
            label: label.to_owned(),
            created_at_ms: created_at,
            expires_at_ms: expires_at,
            last_used_at_ms: None,
            revoked: false,
        },
        raw,
    ))
}

/// The user behind a bearer token, if it is live and the user enabled.
pub async fn authenticate(db: &Db, raw: &str) -> Result<Option<Principal>, PortalError> {
    if !raw.starts_with(PREFIX) || raw.len() != PREFIX.len() + 64 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT t.id, t.user_id, t.expires_at, t.last_used_at, u.name, u.role \
         FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0",
    )
    .bind(secret::sha256_hex(raw))
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_ms();
    if row
        .try_get::<Option<i64>, _>("expires_at")?
        .is_some_and(|at| at <= now)
    {
        return Ok(None);
    }
    let id: String = row.try_get("id")?;
    let last_used: Option<i64> = row.try_get("last_used_at")?;
    if last_used.is_none_or(|at| now - at > TOUCH_EVERY_MS) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&id)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(Principal {
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        role: parse_role(&row.try_get::<String, _>("role")?),
        via: Via::Token { id },
    }))
}

/// Newest first; the id (UUIDv7, time-ordered) breaks ties within a
/// millisecond, so the order does not change between two listings.
/// Whether the token with this id still works (not revoked or expired,
/// its user enabled).
pub async fn is_live(db: &Db, id: &str) -> Result<bool, PortalError> {
    let row = sqlx::query(
        "SELECT t.expires_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.id = $1 AND t.revoked_at IS NULL AND u.disabled = 0",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(false) };
    Ok(row
        .try_get::<Option<i64>, _>("expires_at")?
        .is_none_or(|at| at > now_ms()))
}

pub async fn list(db: &Db) -> Result<Vec<TokenInfo>, PortalError> {
    let rows = sqlx::query(
        "SELECT t.id, u.name, t.label, t.created_at, t.expires_at, t.last_used_at, t.revoked_at \
         FROM api_tokens t JOIN users u ON u.id = t.user_id \
         ORDER BY t.created_at DESC, t.id DESC",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TokenInfo {
                id: row.try_get("id")?,
                user: row.try_get("name")?,
                label: row.try_get("label")?,
                created_at_ms: row.try_get("created_at")?,
                expires_at_ms: row.try_get("expires_at")?,
                last_used_at_ms: row.try_get("last_used_at")?,
                revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
            })
        })
        .collect()
}

/// Revokes a token at once. Revoking twice is not an error. With
/// `audit`, its `ok` row commits with the revocation.
pub async fn revoke(db: &Db, id: &str, audit: Option<&NewEntry<'_>>) -> Result<(), PortalError> {
    let mut tx = db.pool().begin().await?;
    let done =
        sqlx::query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(PortalError::NotFound(format!("token {id:?}")));
    }
    crate::revocations::announce(&mut *tx, db.backend()).await?;
    if let Some(entry) = audit {
        audit::record_ok_in(&mut tx, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A one-time setup token for creating the first admin: shorter than an
/// API token since a person types it, still 128 random bits.
pub fn setup_token() -> String {
    secret::random_hex()[..32].to_owned()
}
