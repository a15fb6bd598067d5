//! Signing in and out, and creating the first admin: plain HTML form posts
//! answered with a redirect, so they work with JavaScript off. Errors go
//! back to the form as `?error=…`; the messages never say whether a name
//! exists.

use axum::extract::Request;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use scanport_app::auth::ClientAddr;
use scanport_app::state::AppState;
use scanport_portal::audit::{self, Finish, NewEntry};
use scanport_portal::{Outcome, Principal, Via, sessions, users};
use serde::Deserialize;
use subtle::ConstantTimeEq;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    name: String,
    password: String,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    token: String,
    name: String,
    password: String,
}

/// Only a path on this site: never `//host` or `https://…`.
pub(crate) fn safe_next(next: &str) -> &str {
    // Browsers drop tabs and newlines from URLs, so `/\t/evil` would become
    // `//evil`: no control characters or spaces at all.
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        next
    } else {
        "/"
    }
}

fn back_to_login(error: &str, next: &str) -> Response {
    let next = percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC);
    Redirect::to(&format!("/login?error={error}&next={next}")).into_response()
}

/// What was typed as a name, bounded, for the audit log.
fn typed_name(name: &str) -> String {
    name.chars().take(users::NAME_MAX_CHARS).collect()
}

async fn audit_sign_in(state: &AppState, actor: &str, outcome: Outcome, detail: Option<&str>) {
    let entry = NewEntry {
        actor,
        via: "session",
        action: "login",
        account: None,
        request: None,
    };
    let finish = Finish {
        detail,
        upstream_request_id: None,
    };
    if let Err(err) = audit::record(&state.portal.db, entry, outcome, finish).await {
        tracing::error!(error = %err, "cannot write the audit log");
    }
}

/// Starts a session and answers with its cookie and a redirect.
async fn start_session(state: &AppState, user_id: &str, to: &str) -> Response {
    let portal = &state.portal;
    match sessions::create(&portal.db, user_id).await {
        Ok(id) => (
            [(header::SET_COOKIE, portal.cookie.set(&id, &portal.sessions))],
            Redirect::to(to),
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "cannot create a session");
            back_to_login("unavailable", to)
        }
    }
}

pub async fn login(
    Extension(state): Extension<AppState>,
    addr: Option<Extension<ClientAddr>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(&form.next).to_owned();
    let name = form.name.trim();
    if state
        .portal
        .throttle
        .attempt(name, addr.map(|a| a.0.0))
        .is_err()
    {
        audit_sign_in(
            &state,
            &typed_name(name),
            Outcome::Denied,
            Some("too many attempts"),
        )
        .await;
        return back_to_login("throttled", &next);
    }
    // A password longer than allowed cannot be right; do not spend argon2
    // time on it.
    if form.password.chars().count() > users::PASSWORD_MAX_CHARS {
        audit_sign_in(
            &state,
            &typed_name(name),
            Outcome::Failed,
            Some("wrong name or password"),
        )
        .await;
        return back_to_login("credentials", &next);
    }
    match users::verify(&state.portal.db, name, &form.password).await {
        Ok(Some(user)) => {
            audit_sign_in(&state, &user.name, Outcome::Ok, None).await;
            start_session(&state, &user.id, &next).await
        }
        Ok(None) => {
            audit_sign_in(
                &state,
                &typed_name(name),
                Outcome::Failed,
                Some("wrong name or password"),
            )
            .await;
            back_to_login("credentials", &next)
        }
        Err(err) => {
            tracing::error!(error = %err, "sign-in failed");
            back_to_login("unavailable", &next)
        }
    }
}

pub async fn logout(Extension(state): Extension<AppState>, req: Request) -> Response {
    let portal = &state.portal;
    if let Some(principal) = req.extensions().get::<Principal>()
        && let Via::Session { id_hash } = &principal.via
    {
        if let Err(err) = sessions::end_by_hash(&portal.db, id_hash).await {
            tracing::error!(error = %err, "cannot end a session");
        }
        portal.note_revocation();
        let entry = NewEntry {
            actor: &principal.name,
            via: "session",
            action: "logout",
            account: None,
            request: None,
        };
        if let Err(err) = audit::record(&portal.db, entry, Outcome::Ok, Finish::default()).await {
            tracing::error!(error = %err, "cannot write the audit log");
        }
    }
    (
        [(header::SET_COOKIE, portal.cookie.clear())],
        Redirect::to("/login?error=signed_out"),
    )
        .into_response()
}

pub async fn setup(Extension(state): Extension<AppState>, Form(form): Form<SetupForm>) -> Response {
    let portal = &state.portal;
    let back = |error: &str| Redirect::to(&format!("/setup?error={error}")).into_response();
    let matches = |token: &Option<String>| {
        token
            .as_deref()
            .is_some_and(|t| bool::from(form.token.trim().as_bytes().ct_eq(t.as_bytes())))
    };
    // The token first: without it, nothing else is worth telling.
    match portal.setup_token.lock().as_deref() {
        Ok(None) => return Redirect::to("/login").into_response(),
        Ok(token) if !matches(token) => return back("token"),
        Ok(_) => {}
        Err(_) => return back("unavailable"),
    }
    let name = form.name.trim();
    if users::validate_name(name).is_err() {
        return back("name");
    }
    if users::validate_password(&form.password).is_err() {
        return back("password");
    }
    // Take the token before the (slow) user creation, so that requests
    // racing with this one find it spent: one token, one admin.
    let taken = match portal.setup_token.lock() {
        Ok(mut token) if matches(&token) => token.take(),
        _ => return Redirect::to("/login").into_response(),
    };
    if let Err(err) = users::add(
        &portal.db,
        name,
        &form.password,
        scanport_portal::Role::Admin,
    )
    .await
    {
        tracing::error!(error = %err, "cannot create the first admin");
        // Nothing was created: the token stays usable.
        if let Ok(mut token) = portal.setup_token.lock() {
            *token = taken;
        }
        return back("unavailable");
    }
    let entry = NewEntry {
        actor: name,
        via: "setup",
        action: "admin/users/add",
        account: None,
        request: Some(serde_json::json!({"name": name, "role": "admin"}).to_string()),
    };
    if let Err(err) = audit::record(&portal.db, entry, Outcome::Ok, Finish::default()).await {
        tracing::error!(error = %err, "cannot write the audit log");
    }
    tracing::info!(user = name, "first admin created; the setup token is spent");
    match users::id_of(&portal.db, name).await {
        Ok(id) => start_session(&state, &id, "/").await,
        Err(_) => Redirect::to("/login").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/tasks?tab=sync"), "/tasks?tab=sync");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\n/evil.example"), "/");
    }
}
