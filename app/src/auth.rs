//! Who is calling, and whether they may. The server's authentication layer
//! reads the session cookie or bearer token against the database on every
//! request and puts the caller into the request's extensions; every server
//! function asks here before doing anything else.

use crate::error::AppError;
use leptos::prelude::use_context;
use scanport_portal::{Principal, Role};
use std::net::IpAddr;

/// The client's address, as the server saw the connection.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The signed-in caller, if any.
pub fn caller() -> Option<Principal> {
    parts()?.extensions.get::<Principal>().cloned()
}

/// The caller, if their role allows `role`: 401 without a caller, 403
/// with too small a role.
pub fn require(role: Role) -> Result<Principal, AppError> {
    let caller = caller().ok_or(AppError::Unauthenticated)?;
    if !caller.role.allows(role) {
        return Err(AppError::Forbidden);
    }
    Ok(caller)
}

/// A request header, if present and text.
pub fn header(name: &str) -> Option<String> {
    parts()?.headers.get(name)?.to_str().ok().map(str::to_owned)
}

pub fn client_addr() -> Option<IpAddr> {
    parts()?.extensions.get::<ClientAddr>().map(|a| a.0)
}
