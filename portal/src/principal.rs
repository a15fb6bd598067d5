//! Who is calling: a user and how they proved it.

use scanport_wire::portal::{Me, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub name: String,
    /// Read from the database on this request, never from the cookie.
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
    pub fn via_label(&self) -> &'static str {
        match self.via {
            Via::Session { .. } => "session",
            Via::Token { .. } => "token",
        }
    }

    pub fn me(&self) -> Me {
        Me {
            name: self.name.clone(),
            role: self.role,
        }
    }
}
