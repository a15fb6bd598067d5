//! Server functions, grouped by domain. Each body runs only on the server:
//! it checks the caller's role (read from the database on this request),
//! validates, and calls a cloud client or the portal's database.
//!
//! The `hss`, `tcss` and `accounts` functions are also the public API,
//! `/api/v1/…` (see `docs/API.md`).

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod findings;
pub mod hss;
pub mod overview;
pub mod registries;
pub mod tasks;
pub mod tcss;

use serde::{Deserialize, Serialize};

/// The answer of a call whose upstream response has no body: `{}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Empty {}
