//! Who is calling: the bearer token, else the session cookie, each looked
//! up in the database, or in the few-second cache of callers that every
//! revocation empties (so a changed role, a disabled user or a revoked
//! token counts at once; `portal::principals`). The caller, if any, and the
//! client's address go into the request's extensions for the gate and the
//! server functions.

use super::refuse;
use crate::auth::SignIn;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use scanport_app::auth::ClientAddr;
use scanport_app::state::AppState;
use scanport_portal::{Principal, sessions, tokens};
use std::net::SocketAddr;

pub async fn identify(
    State((state, sign_in)): State<(AppState, SignIn)>,
    mut req: Request,
    next: Next,
) -> Response {
    // Normally set by `client_addr` already (from trusted proxies).
    if req.extensions().get::<ClientAddr>().is_none()
        && let Some(ConnectInfo(addr)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied()
    {
        req.extensions_mut().insert(ClientAddr(addr.ip()));
    }
    let bearer = bearer(&req).map(str::to_owned);
    let cookie = session_cookie(&req, sign_in.cookie.name()).map(str::to_owned);
    let principal = match caller(&state, &sign_in, bearer.as_deref(), cookie.as_deref()).await {
        Ok(principal) => principal,
        Err(err) => {
            tracing::error!(error = %err, "cannot check the caller: database unavailable");
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The console's database is unavailable; try again shortly.",
            );
        }
    };
    if let Some(principal) = &principal {
        req.extensions_mut().insert(principal.clone());
    }
    // Handlers outside Leptos (the live stream, the exports) find the
    // caller's token scope there too.
    scanport_app::auth::serving(principal, next.run(req)).await
}

async fn caller(
    state: &AppState,
    sign_in: &SignIn,
    bearer: Option<&str>,
    cookie: Option<&str>,
) -> Result<Option<Principal>, scanport_portal::PortalError> {
    let portal = &state.portal;
    if let Some(token) = bearer {
        return sign_in
            .principals
            .get(token, || tokens::authenticate(&portal.db, token))
            .await;
    }
    match cookie {
        Some(id) => {
            sign_in
                .principals
                .get(id, || {
                    sessions::authenticate(&portal.db, id, sign_in.sessions)
                })
                .await
        }
        None => Ok(None),
    }
}

/// The token of an `Authorization: Bearer …` header (the scheme is
/// case-insensitive, RFC 9110 §11.1).
fn bearer(req: &Request) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The value of cookie `name`, from any `Cookie` header.
pub fn session_cookie<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}
