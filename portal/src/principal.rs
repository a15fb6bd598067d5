//! Who is calling: a user and how they proved it.

use scanport_wire::portal::{Me, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub name: String,
    /// Read from the database (or the caller cache that every role change
    /// empties, `principals`), never from the cookie.
    pub role: Role,
    pub via: Via,
    /// What a token narrows its user to; unlimited for a session.
    pub scope: Scope,
}

/// A token's limits beyond its user's role. The caller's `role` already
/// has the cap applied; it is kept here to name it in a refusal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub role: Option<Role>,
    /// The accounts the token works on; `None`: every account.
    pub accounts: Option<Vec<String>>,
}

impl Scope {
    pub fn allows_account(&self, account: &str) -> bool {
        self.accounts
            .as_ref()
            .is_none_or(|list| list.iter().any(|a| a == account))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session; the hash of its id.
    Session { id_hash: String },
    /// An API token; its id.
    Token { id: String },
}

impl Principal {
    /// How the call came, for the audit log: `session`, or `token:<id>`
    /// so a row names the very token (and a leaked one's calls can be
    /// found and its revocation shown to have worked).
    pub fn via_label(&self) -> String {
        match &self.via {
            Via::Session { .. } => "session".to_owned(),
            Via::Token { id } => format!("token:{id}"),
        }
    }

    /// Whether the caller may act on `account` (a token may be limited
    /// to some accounts).
    pub fn allows_account(&self, account: &str) -> bool {
        self.scope.allows_account(account)
    }

    pub fn me(&self) -> Me {
        Me {
            name: self.name.clone(),
            role: self.role,
        }
    }
}
