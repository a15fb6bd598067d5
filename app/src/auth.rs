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

tokio::task_local! {
    /// The caller of a request handled outside Leptos (the live stream,
    /// the CSV exports), set around the whole request by the server's
    /// identity layer.
    static REQUEST_CALLER: Option<Principal>;
}

/// Runs `request` with `caller` as the answer of [`caller`] wherever
/// Leptos's own context is not there.
pub async fn serving<F: Future>(caller: Option<Principal>, request: F) -> F::Output {
    REQUEST_CALLER.scope(caller, request).await
}

/// The signed-in caller, if any: from the server function's or page's
/// request, else from the request being served. Work that no request
/// started (the background gathering) has none.
pub fn caller() -> Option<Principal> {
    match parts() {
        Some(parts) => parts.extensions.get::<Principal>().cloned(),
        None => REQUEST_CALLER.try_with(Clone::clone).ok().flatten(),
    }
}

/// The caller, if their role allows `role`: 401 without a caller, 403
/// with too small a role, naming the token's cap when that is the reason.
pub fn require(role: Role) -> Result<Principal, AppError> {
    let caller = caller().ok_or(AppError::Unauthenticated)?;
    if !caller.role.allows(role) {
        return Err(match caller.scope.role {
            Some(cap) if !cap.allows(role) => AppError::OutOfScope {
                limit: format!("the {cap} role"),
            },
            _ => AppError::Forbidden,
        });
    }
    Ok(caller)
}

/// Whether the caller (if any) may act on `account`: a token may be
/// limited to some accounts.
pub fn may_use_account(account: &str) -> Result<(), AppError> {
    match caller() {
        Some(caller) if !caller.allows_account(account) => Err(out_of_accounts(&caller)),
        _ => Ok(()),
    }
}

/// Whether an account is one the caller may see, for listings.
pub fn sees_account(account: &str) -> bool {
    caller().is_none_or(|c| c.allows_account(account))
}

fn out_of_accounts(caller: &Principal) -> AppError {
    let accounts = caller.scope.accounts.as_deref().unwrap_or_default();
    AppError::OutOfScope {
        limit: match accounts {
            [one] => format!("the account {one}"),
            many => format!("the accounts {}", many.join(", ")),
        },
    }
}

/// A request header, if present and text.
pub fn header(name: &str) -> Option<String> {
    parts()?.headers.get(name)?.to_str().ok().map(str::to_owned)
}

pub fn client_addr() -> Option<IpAddr> {
    parts()?.extensions.get::<ClientAddr>().map(|a| a.0)
}
