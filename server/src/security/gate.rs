//! Nobody uses the console without signing in. API calls without a caller
//! get 401; pages send the browser to the sign-in page (or, before the
//! first user exists, to the setup page). What each role may do is checked
//! by the server functions themselves.

use super::refuse;
use crate::auth::SignIn;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use scanport_app::state::AppState;
use scanport_portal::Principal;

/// Reachable without signing in.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/logout" | "/setup" | "/preferences" | "/healthz" | "/readyz"
        // It checks its own readers: an admin's token or an allowed address.
        | "/metrics"
    ) || path.starts_with("/pkg/")
        || path
            .strip_prefix("/api/v1/")
            .and_then(scanport_app::endpoints::find)
            .is_some_and(|endpoint| endpoint.role.is_none())
        || is_static_asset(path)
}

/// Files from the assets folder (icons); never data.
fn is_static_asset(path: &str) -> bool {
    let Some((_, ext)) = path.rsplit_once('.') else {
        return false;
    };
    !path[1..].contains('/') && matches!(ext, "svg" | "ico" | "png" | "txt" | "webmanifest")
}

/// Whether setup is still open: a token was printed and still no user
/// exists. A user added meanwhile (the CLI, another replica) closes it
/// for good.
async fn setup_open(state: &AppState, sign_in: &SignIn) -> bool {
    if !sign_in.setup_token.lock().is_ok_and(|t| t.is_some()) {
        return false;
    }
    match scanport_portal::users::count(&state.portal.db).await {
        Ok(0) => true,
        Ok(_) => {
            if let Ok(mut token) = sign_in.setup_token.lock() {
                token.take();
            }
            false
        }
        // The form's own transaction decides; the page may show.
        Err(_) => true,
    }
}

pub async fn require_sign_in(
    State((state, sign_in)): State<(AppState, SignIn)>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    // Once a user exists the setup page is gone: off to sign in.
    if path == "/setup"
        && req.method() == axum::http::Method::GET
        && !setup_open(&state, &sign_in).await
    {
        return Redirect::to("/login").into_response();
    }
    if req.extensions().get::<Principal>().is_some() || is_public(path) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Please sign in: send the session cookie or `Authorization: Bearer <token>`.",
        );
    }
    // Before the first user exists, everything leads to the setup page.
    if setup_open(&state, &sign_in).await {
        return Redirect::to("/setup").into_response();
    }
    let next_path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let target = format!("/login?next={}", urlencode(&next_path));
    Redirect::to(&target).into_response()
}

fn urlencode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sign_in_pages_and_assets_are_public() {
        for path in [
            "/login",
            "/setup",
            "/healthz",
            "/readyz",
            "/pkg/scanport.wasm",
            "/favicon.svg",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/",
            "/tasks",
            "/admin",
            "/api/v1/hss/tasks",
            "/api/v1/events/tasks",
            "/x/y.svg",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }
}
