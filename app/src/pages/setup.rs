//! `/setup`: creates the first admin, once, with the one-time setup token
//! the server printed in its log at start.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn message(i18n: I18n, code: &str) -> &'static str {
    match code {
        "token" => t_string!(i18n, setup_err_token),
        "name" => t_string!(i18n, setup_err_name),
        "password" => t_string!(i18n, setup_err_password),
        "unavailable" => t_string!(i18n, err_database_unavailable),
        _ => t_string!(i18n, setup_err_other),
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = move || query.with(|q| q.get("error")).map(|c| message(i18n, &c));
    view! {
        <section class="auth-card" aria-labelledby="setup-title">
            <h1 id="setup-title">{t!(i18n, setup_title)}</h1>
            <p>
                {t!(i18n, setup_intro_before)}
                " "
                <code>"setup token"</code>
                {t!(i18n, setup_intro_after)}
            </p>
            {move || error().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            <form method="post" action="/setup" class="stack">
                <label for="setup-token">{t!(i18n, setup_token)}</label>
                <input id="setup-token" name="token" required autocomplete="off" spellcheck="false" />
                <label for="setup-name">{t!(i18n, setup_admin_name)}</label>
                <input id="setup-name" name="name" autocomplete="username" required maxlength="64" />
                <label for="setup-password">{t!(i18n, setup_password)}</label>
                <input
                    id="setup-password"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength="8"
                    maxlength="128"
                />
                <button type="submit" class="primary">{t!(i18n, setup_submit)}</button>
            </form>
        </section>
    }
}
