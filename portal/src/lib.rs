//! The team portal's storage and checks: users with argon2id passwords,
//! server-side sessions, API tokens, the audit log and idempotency keys.
//!
//! One schema and one set of queries serve SQLite (the embedded default)
//! and PostgreSQL (several replicas sharing one database), through sqlx's
//! `Any` driver: every query uses `$n` placeholders, which both accept.

pub mod audit;
pub mod call_slots;
pub mod db;
mod error;
pub mod findings;
pub mod hashing;
pub mod idempotency;
pub mod key_guards;
pub mod live_feeds;
pub mod notify;
pub mod overviews;
pub mod principal;
pub mod principals;
pub mod revocations;
mod secret;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

pub use db::Db;
pub use error::PortalError;
pub use principal::{Principal, Scope, Via};
pub use scanport_wire::portal::{AuditEntry, AuditQuery, Me, Outcome, Role, TokenInfo, UserInfo};

/// Milliseconds since the Unix epoch, the portal's one time format.
pub use scanport_wire::clock::now_ms;
