//! `/setup`: creates the first admin, once, with the one-time setup token
//! the server printed in its log at start.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn message(code: &str) -> &'static str {
    match code {
        "token" => "That setup token is not the one in the server log.",
        "name" => "Name: 1 to 64 letters, digits and . _ - @",
        "password" => "Password: 8 to 128 characters.",
        "unavailable" => "The console's database is unavailable. Try again shortly.",
        _ => "Setup failed. Try again.",
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.with(|q| q.get("error")).map(|c| message(&c));
    view! {
        <section class="auth-card" aria-labelledby="setup-title">
            <h1 id="setup-title">"Set up Scanport"</h1>
            <p>
                "Create the first admin. The setup token is printed in the server's log at start (look for "
                <code>"setup token"</code> "); it works once."
            </p>
            {move || error().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            <form method="post" action="/setup" class="stack">
                <label for="setup-token">"Setup token"</label>
                <input id="setup-token" name="token" required autocomplete="off" spellcheck="false" />
                <label for="setup-name">"Admin name"</label>
                <input id="setup-name" name="name" autocomplete="username" required maxlength="64" />
                <label for="setup-password">"Password (8 to 128 characters)"</label>
                <input
                    id="setup-password"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength="8"
                    maxlength="128"
                />
                <button type="submit" class="primary">"Create admin and sign in"</button>
            </form>
        </section>
    }
}
