//! The team portal's types that cross the browser boundary: roles and the
//! views of users, tokens and audit entries. The server stores and checks
//! them (crate `scanport-portal`); the browser only shows them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a user may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads tasks, images, registries and schedules.
    Viewer,
    /// Also launches scans, syncs, stops tasks and edits schedules.
    Operator,
    /// Also manages users and tokens and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Operator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may do what `needed` may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("{s:?} is not a role (viewer, operator or admin)"))
    }
}

/// The signed-in user, as the pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub role: Role,
}

/// A user, as the admin page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at_ms: i64,
    /// A service user (a bot): no password, it acts through its tokens.
    #[serde(default)]
    pub service: bool,
}

/// An API token, as the admin page lists it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: String,
    pub user: String,
    pub label: String,
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub last_used_at_ms: Option<i64>,
    pub revoked: bool,
    /// The most the token may do; `None`: its user's role.
    #[serde(default)]
    pub role: Option<Role>,
    /// The accounts it works on; `None`: every account.
    #[serde(default)]
    pub accounts: Option<Vec<String>>,
}

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Written before the upstream call; still so if the server died
    /// during it (then it is shown as "interrupted").
    Pending,
    Ok,
    Failed,
    Denied,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Pending,
        Outcome::Ok,
        Outcome::Failed,
        Outcome::Denied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Denied => "denied",
        }
    }
}

impl std::str::FromStr for Outcome {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("{s:?} is not an outcome (pending, ok, failed or denied)"))
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub at_ms: i64,
    /// The user's name, or what was typed at a failed login.
    pub actor: String,
    /// `session`, `token`, `cli` or `setup`.
    pub via: String,
    pub action: String,
    pub account: Option<String>,
    /// The request as sent upstream, JSON.
    pub request: Option<String>,
    pub outcome: Outcome,
    pub detail: Option<String>,
    pub upstream_request_id: Option<String>,
}

/// Filters for the audit log; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub account: Option<String>,
    pub outcome: Option<Outcome>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_ones_below() {
        assert!(Role::Admin.allows(Role::Operator));
        assert!(Role::Operator.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Operator));
        assert!(!Role::Operator.allows(Role::Admin));
        assert_eq!("operator".parse::<Role>(), Ok(Role::Operator));
        assert!("root".parse::<Role>().is_err());
    }
}
