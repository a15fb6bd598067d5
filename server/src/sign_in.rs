//! Signing in and out, and creating the first admin: plain HTML form posts
//! answered with a redirect, so they work with JavaScript off. Errors go
//! back to the form as `?error=…`; the messages never say whether a name
//! exists.

use crate::auth::SignIn;
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
async fn start_session(state: &AppState, sign_in: &SignIn, user_id: &str, to: &str) -> Response {
    let portal = &state.portal;
    match sessions::create(&portal.db, user_id).await {
        Ok(id) => (
            [(
                header::SET_COOKIE,
                sign_in.cookie.set(&id, &sign_in.sessions),
            )],
            Redirect::to(to),
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "cannot create a session");
            back_to_login("unavailable", to)
        }
    }
}

/// Too many sign-ins are hashing already: come back in a moment. (A
/// plain page: the browser shows it; a script reads `Retry-After`.)
fn busy() -> Response {
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "5")],
        "The console is busy signing people in; try again in a few seconds.",
    )
        .into_response()
}

pub async fn login(
    Extension(state): Extension<AppState>,
    Extension(sign_in): Extension<SignIn>,
    addr: Option<Extension<ClientAddr>>,
    current: Option<Extension<Principal>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(&form.next).to_owned();
    let name = form.name.trim();
    let addr = addr.map(|a| a.0.0);
    // No name that long exists: refuse before the throttle keeps it in
    // memory or argon2 spends time on it. Same answer as a wrong password.
    if name.chars().count() > users::NAME_MAX_CHARS {
        crate::metrics::sign_in("refused");
        return back_to_login("credentials", &next);
    }
    if let Err(throttled) = sign_in.throttle.check(name, addr).await {
        // One row per burst: a flood of refused attempts is one event.
        if throttled.first_of_burst {
            audit_sign_in(
                &state,
                &typed_name(name),
                Outcome::Denied,
                Some("too many attempts"),
            )
            .await;
        }
        crate::metrics::sign_in("throttled");
        return back_to_login("throttled", &next);
    }
    // A password longer than allowed cannot be right; do not spend argon2
    // time on it.
    let verified = if form.password.chars().count() > users::PASSWORD_MAX_CHARS {
        Ok(None)
    } else {
        let Some(_pass) = sign_in.hashing.enter().await else {
            crate::metrics::sign_in("busy");
            return busy();
        };
        users::verify(&state.portal.db, name, &form.password).await
    };
    match verified {
        Ok(Some(user)) => {
            sign_in.throttle.succeeded(name, addr).await;
            crate::metrics::sign_in("ok");
            audit_sign_in(&state, &user.name, Outcome::Ok, None).await;
            // The browser's previous session ends: one browser, one
            // session (a shared machine's last user is signed out).
            if let Some(Extension(previous)) = current
                && let Via::Session { id_hash } = &previous.via
            {
                if let Err(err) = sessions::end_by_hash(&state.portal.db, id_hash).await {
                    tracing::error!(error = %err, "cannot end the previous session");
                }
                state.portal.note_revocation();
            }
            start_session(&state, &sign_in, &user.id, &next).await
        }
        Ok(None) => {
            sign_in.throttle.failed(name, addr).await;
            crate::metrics::sign_in("refused");
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
            crate::metrics::sign_in("error");
            tracing::error!(error = %err, "sign-in failed");
            back_to_login("unavailable", &next)
        }
    }
}

pub async fn logout(
    Extension(state): Extension<AppState>,
    Extension(sign_in): Extension<SignIn>,
    req: Request,
) -> Response {
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
        [(header::SET_COOKIE, sign_in.cookie.clear())],
        Redirect::to("/login?error=signed_out"),
    )
        .into_response()
}

/// A user exists: setup is over for good.
pub(crate) fn spend_setup_token(sign_in: &SignIn) {
    if let Ok(mut token) = sign_in.setup_token.lock() {
        token.take();
    }
}

pub async fn setup(
    Extension(state): Extension<AppState>,
    Extension(sign_in): Extension<SignIn>,
    Form(form): Form<SetupForm>,
) -> Response {
    let portal = &state.portal;
    let back = |error: &str| Redirect::to(&format!("/setup?error={error}")).into_response();
    let matches = |token: &Option<String>| {
        token
            .as_deref()
            .is_some_and(|t| bool::from(form.token.trim().as_bytes().ct_eq(t.as_bytes())))
    };
    // The token first: without it, nothing else is worth telling.
    match sign_in.setup_token.lock().as_deref() {
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
    let Some(_pass) = sign_in.hashing.enter().await else {
        return busy();
    };
    // "No user yet" is checked in the transaction that creates the admin:
    // racing forms, or a user the CLI added meanwhile, leave one user.
    match users::add_first_admin(&portal.db, name, &form.password).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            spend_setup_token(&sign_in);
            return Redirect::to("/login").into_response();
        }
        Err(err) => {
            tracing::error!(error = %err, "cannot create the first admin");
            // Nothing was created: the token stays usable.
            return back("unavailable");
        }
    }
    spend_setup_token(&sign_in);
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
        Ok(id) => start_session(&state, &sign_in, &id, "/").await,
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
