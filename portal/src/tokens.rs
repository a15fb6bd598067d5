//! API tokens for scripts: `Authorization: Bearer spt_…`, acting with
//! their user's current role, or less: a token may be capped at a role
//! and limited to some accounts ([`Scope`]). Shown once at creation,
//! stored hashed.

use crate::audit::{self, NewEntry};
use crate::users::parse_role;
use crate::{Db, PortalError, Principal, Role, Scope, TokenInfo, Via, now_ms, secret, users};
use sqlx::Row;

/// Every token starts with this, so a leaked one is easy to recognise
/// (and to grep for).
pub const PREFIX: &str = "spt_";
pub const MAX_EXPIRY_DAYS: u32 = 3650;
pub const LABEL_MAX_CHARS: usize = 100;
/// The most accounts one token may name (a console has a handful).
pub const MAX_ACCOUNTS: usize = 100;
pub const ACCOUNT_MAX_CHARS: usize = 64;

const TOUCH_EVERY_MS: i64 = 60_000;

/// Creates a token with its user's whole role on every account; see
/// [`create_scoped`].
pub async fn create(
    db: &Db,
    user_name: &str,
    label: &str,
    expires_days: Option<u32>,
    audit: Option<&NewEntry<'_>>,
) -> Result<(TokenInfo, String), PortalError> {
    create_scoped(db, user_name, label, expires_days, &Scope::default(), audit).await
}

/// Checks a scope's own shape: a listed account is a plausible name, none
/// twice, at least one. Whether each account exists is the console's
/// configuration to say, not the store's.
pub fn validate_scope(scope: &Scope) -> Result<(), PortalError> {
    let Some(accounts) = &scope.accounts else {
        return Ok(());
    };
    if accounts.is_empty() {
        return Err(PortalError::invalid(
            "accounts",
            "name at least one account, or leave it out for every account",
        ));
    }
    if accounts.len() > MAX_ACCOUNTS {
        return Err(PortalError::invalid(
            "accounts",
            format!("at most {MAX_ACCOUNTS} accounts"),
        ));
    }
    for (i, account) in accounts.iter().enumerate() {
        if account.is_empty() || account.chars().count() > ACCOUNT_MAX_CHARS {
            return Err(PortalError::invalid(
                "accounts",
                format!("each account name must be 1 to {ACCOUNT_MAX_CHARS} characters"),
            ));
        }
        if accounts[..i].contains(account) {
            return Err(PortalError::invalid(
                "accounts",
                format!("{account:?} is listed twice"),
            ));
        }
    }
    Ok(())
}

/// Creates a token for `user_name`, at most `scope` allows; returns its
/// listing and the token itself, which is not stored and cannot be shown
/// again. A role above the user's is refused. With `audit`, its `ok` row
/// commits with the token, and its request (a JSON object) gains the new
/// token's `id`.
pub async fn create_scoped(
    db: &Db,
    user_name: &str,
    label: &str,
    expires_days: Option<u32>,
    scope: &Scope,
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
    validate_scope(scope)?;
    let (user_id, user_role) = users::id_and_role_of(db, user_name).await?;
    if let Some(role) = scope.role
        && !user_role.allows(role)
    {
        return Err(PortalError::invalid(
            "role",
            format!("cannot be above {user_name}'s own role, {user_role}"),
        ));
    }
    let accounts = scope
        .accounts
        .as_ref()
        .map(|list| serde_json::Value::from(list.clone()).to_string());
    let raw = format!("{PREFIX}{}", secret::random_hex());
    let id = secret::new_id();
    let created_at = now_ms();
    let expires_at = expires_days.map(|d| created_at + i64::from(d) * 86_400_000);
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO api_tokens \
           (id, token_hash, user_id, label, created_at, expires_at, role, accounts) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(secret::sha256_hex(&raw))
    .bind(&user_id)
    .bind(label)
    .bind(created_at)
    .bind(expires_at)
    .bind(scope.role.map(Role::as_str))
    .bind(&accounts)
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
            role: scope.role,
            accounts: scope.accounts.clone(),
        },
        raw,
    ))
}

/// A stored scope: the role cap and the JSON list of accounts. A list
/// that does not read (never written so) limits the token to nothing.
fn scope_of(row: &sqlx::any::AnyRow) -> Result<Scope, PortalError> {
    let role = row
        .try_get::<Option<String>, _>("token_role")?
        .map(|r| parse_role(&r));
    let accounts = row
        .try_get::<Option<String>, _>("accounts")?
        .map(|json| serde_json::from_str::<Vec<String>>(&json).unwrap_or_default());
    Ok(Scope { role, accounts })
}

/// The user behind a bearer token, if it is live and the user enabled,
/// with the token's role cap applied.
pub async fn authenticate(db: &Db, raw: &str) -> Result<Option<Principal>, PortalError> {
    if !raw.starts_with(PREFIX) || raw.len() != PREFIX.len() + 64 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT t.id, t.user_id, t.expires_at, t.last_used_at, t.role AS token_role, \
                t.accounts, u.name, u.role \
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
    let scope = scope_of(&row)?;
    let user_role = parse_role(&row.try_get::<String, _>("role")?);
    Ok(Some(Principal {
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        role: scope.role.map_or(user_role, |cap| cap.min(user_role)),
        via: Via::Token { id },
        scope,
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
        "SELECT t.id, u.name, t.label, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, \
                t.role AS token_role, t.accounts \
         FROM api_tokens t JOIN users u ON u.id = t.user_id \
         ORDER BY t.created_at DESC, t.id DESC",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let scope = scope_of(row)?;
            Ok(TokenInfo {
                id: row.try_get("id")?,
                user: row.try_get("name")?,
                label: row.try_get("label")?,
                created_at_ms: row.try_get("created_at")?,
                expires_at_ms: row.try_get("expires_at")?,
                last_used_at_ms: row.try_get("last_used_at")?,
                revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
                role: scope.role,
                accounts: scope.accounts,
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
