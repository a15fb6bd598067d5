//! Users and their passwords (argon2id with the crate's default
//! parameters: 19 MiB, 2 passes).

use crate::audit::{self, NewEntry};
use crate::{Db, PortalError, UserInfo, now_ms, secret};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use scanport_wire::portal::Role;
use sqlx::Row;
use std::sync::LazyLock;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const NAME_MAX_CHARS: usize = 64;

/// A user found by name and password.
#[derive(Debug, Clone)]
pub struct Verified {
    pub id: String,
    pub name: String,
    pub role: Role,
}

pub fn validate_name(name: &str) -> Result<(), PortalError> {
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(PortalError::invalid(
            "name",
            format!("must be 1 to {NAME_MAX_CHARS} characters"),
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(PortalError::invalid(
            "name",
            "may hold only letters, digits and . _ - @",
        ));
    }
    Ok(())
}

pub fn validate_password(password: &str) -> Result<(), PortalError> {
    let chars = password.chars().count();
    if !(PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&chars) {
        return Err(PortalError::invalid(
            "password",
            format!("must be {PASSWORD_MIN_CHARS} to {PASSWORD_MAX_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Hashes on a blocking thread: argon2 takes tens of milliseconds on
/// purpose.
async fn hash_password(password: &str) -> Result<String, PortalError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| PortalError::Hashing(e.to_string()))
    })
    .await
    .map_err(|e| PortalError::Hashing(e.to_string()))?
}

/// A hash to check against when the name is unknown, so an unknown name
/// costs as long as a wrong password (no user enumeration by timing).
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(secret::random_hex().as_bytes())
        .ok()
        .map(|h| h.to_string())
});

async fn password_matches(password: &str, hash: Option<String>) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let Some(hash) = hash.or_else(|| DUMMY_HASH.clone()) else {
            return false;
        };
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// Adds a user; with `audit`, its `ok` row commits with the user.
pub async fn add(
    db: &Db,
    name: &str,
    password: &str,
    role: Role,
    audit: Option<&NewEntry<'_>>,
) -> Result<UserInfo, PortalError> {
    validate_name(name)?;
    validate_password(password)?;
    let hash = hash_password(password).await?;
    insert(db, name, Some(&hash), role, audit).await
}

/// Adds a service user: a bot's identity, with no password (it cannot
/// sign in), which acts through the tokens made for it.
pub async fn add_service(
    db: &Db,
    name: &str,
    role: Role,
    audit: Option<&NewEntry<'_>>,
) -> Result<UserInfo, PortalError> {
    validate_name(name)?;
    insert(db, name, None, role, audit).await
}

/// The one insert of a user: with a password hash, a person; without, a
/// service user (its hash is empty, which no password matches).
async fn insert(
    db: &Db,
    name: &str,
    hash: Option<&str>,
    role: Role,
    audit: Option<&NewEntry<'_>>,
) -> Result<UserInfo, PortalError> {
    let created_at = now_ms();
    let service = hash.is_none();
    let mut tx = db.pool().begin().await?;
    let result = sqlx::query(
        "INSERT INTO users (id, name, password_hash, role, disabled, created_at, service) \
         VALUES ($1, $2, $3, $4, 0, $5, $6)",
    )
    .bind(secret::new_id())
    .bind(name)
    .bind(hash.unwrap_or(""))
    .bind(role.as_str())
    .bind(created_at)
    .bind(i64::from(service))
    .execute(&mut *tx)
    .await;
    match result {
        Ok(_) => {
            if let Some(entry) = audit {
                audit::record_ok_in(&mut tx, entry).await?;
            }
            tx.commit().await?;
            Ok(UserInfo {
                name: name.to_owned(),
                role,
                disabled: false,
                created_at_ms: created_at,
                service,
            })
        }
        Err(e) if PortalError::is_unique_violation(&e) => Err(PortalError::Conflict(format!(
            "a user named {name:?} already exists"
        ))),
        Err(e) => Err(e.into()),
    }
}

pub async fn count(db: &Db) -> Result<i64, PortalError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM users")
        .fetch_one(db.pool())
        .await?
        .try_get(0)?)
}

pub async fn list(db: &Db) -> Result<Vec<UserInfo>, PortalError> {
    let rows =
        sqlx::query("SELECT name, role, disabled, created_at, service FROM users ORDER BY name")
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|row| {
            Ok(UserInfo {
                name: row.try_get("name")?,
                role: parse_role(&row.try_get::<String, _>("role")?),
                disabled: row.try_get::<i64, _>("disabled")? != 0,
                created_at_ms: row.try_get("created_at")?,
                service: row.try_get::<i64, _>("service")? != 0,
            })
        })
        .collect()
}

/// The user's id, or NotFound.
pub async fn id_of(db: &Db, name: &str) -> Result<String, PortalError> {
    sqlx::query("SELECT id FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(db.pool())
        .await?
        .map(|row| row.try_get(0))
        .transpose()?
        .ok_or_else(|| PortalError::NotFound(format!("user {name:?}")))
}

/// The user's id and current role, or NotFound.
pub async fn id_and_role_of(db: &Db, name: &str) -> Result<(String, Role), PortalError> {
    let row = sqlx::query("SELECT id, role FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| PortalError::NotFound(format!("user {name:?}")))?;
    Ok((
        row.try_get("id")?,
        parse_role(&row.try_get::<String, _>("role")?),
    ))
}

/// Serializes changes that must see every admin (PostgreSQL; SQLite has
/// one writer at a time anyway) until the transaction ends.
async fn lock_admins(
    db: &Db,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<(), PortalError> {
    if db.backend() == crate::db::Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7305711931)")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The error for a change that would leave no active admin.
fn last_admin(name: &str) -> PortalError {
    PortalError::Conflict(format!(
        "{name:?} is the last active admin: make another user an admin first"
    ))
}

/// Whether `name` is an enabled admin and no other enabled admin exists.
/// Service users do not count: a bot cannot sign in to the Admin page.
async fn is_last_active_admin(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    name: &str,
) -> Result<bool, PortalError> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM users \
             WHERE name = $1 AND role = 'admin' AND disabled = 0 AND service = 0), \
           (SELECT COUNT(*) FROM users \
             WHERE name <> $1 AND role = 'admin' AND disabled = 0 AND service = 0)",
    )
    .bind(name)
    .fetch_one(&mut **tx)
    .await?;
    let this: i64 = row.try_get(0)?;
    let others: i64 = row.try_get(1)?;
    Ok(this == 1 && others == 0)
}

/// Refused with Conflict when it would demote the last active admin.
/// With `audit`, its `ok` row commits with the change.
pub async fn set_role(
    db: &Db,
    name: &str,
    role: Role,
    audit: Option<&NewEntry<'_>>,
) -> Result<(), PortalError> {
    let mut tx = db.pool().begin().await?;
    lock_admins(db, &mut tx).await?;
    if role != Role::Admin && is_last_active_admin(&mut tx, name).await? {
        return Err(last_admin(name));
    }
    let done = sqlx::query("UPDATE users SET role = $1 WHERE name = $2")
        .bind(role.as_str())
        .bind(name)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(PortalError::NotFound(format!("user {name:?}")));
    }
    // Replicas forget who this user was (their role is cached briefly).
    crate::revocations::announce(&mut *tx, db.backend()).await?;
    if let Some(entry) = audit {
        audit::record_ok_in(&mut tx, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Disabling also ends the user's sessions at once; their tokens stop
/// working because every check reads `disabled`. Refused with Conflict
/// for the last active admin. With `audit`, its `ok` row commits with the
/// change.
pub async fn set_disabled(
    db: &Db,
    name: &str,
    disabled: bool,
    audit: Option<&NewEntry<'_>>,
) -> Result<(), PortalError> {
    let id = id_of(db, name).await?;
    let mut tx = db.pool().begin().await?;
    lock_admins(db, &mut tx).await?;
    if disabled && is_last_active_admin(&mut tx, name).await? {
        return Err(last_admin(name));
    }
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        crate::revocations::announce(&mut *tx, db.backend()).await?;
    }
    if let Some(entry) = audit {
        audit::record_ok_in(&mut tx, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The first admin, made only while there is no user at all: the check
/// and the insert are one transaction (under a lock on PostgreSQL), so
/// racing setups, or a user added meanwhile by the CLI, leave at most the
/// one user. `None` when a user already exists.
pub async fn add_first_admin(
    db: &Db,
    name: &str,
    password: &str,
) -> Result<Option<UserInfo>, PortalError> {
    validate_name(name)?;
    validate_password(password)?;
    if count(db).await? > 0 {
        return Ok(None);
    }
    let hash = hash_password(password).await?;
    let created_at = now_ms();
    let mut tx = db.pool().begin().await?;
    lock_admins(db, &mut tx).await?;
    // One statement: on SQLite it holds the write lock throughout.
    let done = sqlx::query(
        "INSERT INTO users (id, name, password_hash, role, disabled, created_at) \
         SELECT $1, $2, $3, $4, 0, $5 WHERE NOT EXISTS (SELECT 1 FROM users)",
    )
    .bind(secret::new_id())
    .bind(name)
    .bind(hash)
    .bind(Role::Admin.as_str())
    .bind(created_at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(UserInfo {
        name: name.to_owned(),
        role: Role::Admin,
        disabled: false,
        created_at_ms: created_at,
        service: false,
    }))
}

/// A new password ends every session the user had. A service user has
/// none to set.
pub async fn set_password(db: &Db, name: &str, password: &str) -> Result<(), PortalError> {
    validate_password(password)?;
    let id = id_of(db, name).await?;
    let service: i64 = sqlx::query("SELECT service FROM users WHERE id = $1")
        .bind(&id)
        .fetch_one(db.pool())
        .await?
        .try_get(0)?;
    if service != 0 {
        return Err(PortalError::invalid(
            "name",
            format!("{name} is a service user: it has no password and acts through its tokens"),
        ));
    }
    let hash = hash_password(password).await?;
    let mut tx = db.pool().begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    crate::revocations::announce(&mut *tx, db.backend()).await?;
    tx.commit().await?;
    Ok(())
}

/// The enabled user with this name and password, or None. Takes as long
/// for an unknown name, or a service user's, as for a wrong password.
pub async fn verify(db: &Db, name: &str, password: &str) -> Result<Option<Verified>, PortalError> {
    let row = sqlx::query(
        "SELECT id, name, role, disabled, password_hash FROM users \
         WHERE name = $1 AND service = 0",
    )
    .bind(name)
    .fetch_optional(db.pool())
    .await?;
    let found = match row {
        Some(row) => Some((
            Verified {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                role: parse_role(&row.try_get::<String, _>("role")?),
            },
            row.try_get::<i64, _>("disabled")? != 0,
            row.try_get::<String, _>("password_hash")?,
        )),
        None => None,
    };
    let hash = found.as_ref().map(|(_, _, hash)| hash.clone());
    let matches = password_matches(password, hash).await;
    Ok(match found {
        Some((user, false, _)) if matches => Some(user),
        _ => None,
    })
}

/// Roles are written only by this crate; an unknown one (a newer
/// version's) grants the least.
pub(crate) fn parse_role(value: &str) -> Role {
    value.parse().unwrap_or(Role::Viewer)
}
