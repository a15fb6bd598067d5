//! `/login`: a plain form posted to the server, so it works without
//! JavaScript. The server answers with a redirect, back here with
//! `?error=` when the sign-in failed.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The message for an `?error=` code. None of them says whether a name
/// exists.
fn message(i18n: I18n, code: &str) -> Option<&'static str> {
    Some(match code {
        "credentials" => t_string!(i18n, login_err_credentials),
        "throttled" => t_string!(i18n, login_err_throttled),
        "unavailable" => t_string!(i18n, err_database_unavailable),
        "signed_out" => return None,
        _ => t_string!(i18n, login_err_other),
    })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = move || {
        query
            .with(|q| q.get("error"))
            .and_then(|c| message(i18n, &c))
    };
    let signed_out = move || query.with(|q| q.get("error")).as_deref() == Some("signed_out");
    let next = move || {
        query
            .with(|q| q.get("next"))
            .unwrap_or_else(|| "/".to_owned())
    };
    view! {
        <section class="auth-card" aria-labelledby="login-title">
            <h1 id="login-title">{t!(i18n, login_title)}</h1>
            <Show when=signed_out>
                <p class="notice" role="status">{t!(i18n, login_signed_out)}</p>
            </Show>
            {move || error().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            <form method="post" action="/login" class="stack">
                <input type="hidden" name="next" value=next />
                <label for="login-name">{t!(i18n, login_name)}</label>
                <input id="login-name" name="name" autocomplete="username" required maxlength="64" autofocus />
                <label for="login-password">{t!(i18n, login_password)}</label>
                <input
                    id="login-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    maxlength="128"
                />
                <button type="submit" class="primary">{t!(i18n, login_submit)}</button>
            </form>
            <p class="hint">{t!(i18n, login_no_account)}</p>
        </section>
    }
}
