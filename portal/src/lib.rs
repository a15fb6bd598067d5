//! The team portal's storage and checks: users with argon2id passwords,
//! server-side sessions, API tokens, the audit log and idempotency keys.
//!
//! One schema and one set of queries serve SQLite (the embedded default)
//! and PostgreSQL (several replicas sharing one database), through sqlx's
//! `Any` driver: every query uses `$n` placeholders, which both accept.

pub mod audit;
pub mod db;
mod error;
pub mod findings;
pub mod hashing;
pub mod idempotency;
pub mod principal;
pub mod revocations;
mod secret;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

pub use db::Db;
pub use error::PortalError;
pub use principal::{Principal, Via};
pub use scanport_wire::portal::{AuditEntry, AuditQuery, Me, Outcome, Role, TokenInfo, UserInfo};

/// Milliseconds since the Unix epoch, the portal's one time format.
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}
