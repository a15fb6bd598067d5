//! Sign-in state, the server's alone: the session policy and cookie, the
//! failed-sign-in throttle, the bound on password hashing, the first
//! start's setup token, and who each recent credential belongs to. Server
//! functions never see it; they get the caller the identity layer found.

use scanport_portal::hashing::HashingGate;
use scanport_portal::principals::Principals;
use scanport_portal::sessions::SessionPolicy;
use scanport_portal::throttle::LoginThrottle;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct SignIn {
    pub sessions: SessionPolicy,
    pub throttle: Arc<LoginThrottle>,
    /// Bounds password hashing for sign-in and setup.
    pub hashing: Arc<HashingGate>,
    pub cookie: SessionCookie,
    /// Printed to the log at first start; creates the first admin once.
    pub setup_token: Arc<Mutex<Option<String>>>,
    /// Who each recent credential belongs to, forgotten at every revocation.
    pub principals: Arc<Principals>,
}

/// How the session cookie is named and flagged.
#[derive(Debug, Clone)]
pub struct SessionCookie {
    /// Over HTTPS: `Secure` and the `__Host-` name, which browsers only
    /// accept from a secure origin for the whole host.
    pub secure: bool,
}

impl SessionCookie {
    pub fn name(&self) -> &'static str {
        if self.secure {
            "__Host-scanport_session"
        } else {
            "scanport_session"
        }
    }

    /// The `Set-Cookie` value that stores `id` for the session's life.
    pub fn set(&self, id: &str, policy: &SessionPolicy) -> String {
        format!(
            "{}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
            self.name(),
            policy.absolute.as_secs(),
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that deletes it.
    pub fn clear(&self) -> String {
        format!(
            "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
            self.name(),
            if self.secure { "; Secure" } else { "" }
        )
    }
}
