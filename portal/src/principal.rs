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

    pub fn me(&self) -> Me {
        Me {
            name: self.name.clone(),
            role: self.role,
        }
    }
}
