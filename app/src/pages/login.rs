//! `/login`: a plain form posted to the server, so it works without
//! JavaScript. The server answers with a redirect, back here with
//! `?error=` when the sign-in failed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The message for an `?error=` code. None of them says whether a name
/// exists.
fn message(code: &str) -> Option<&'static str> {
    Some(match code {
        "credentials" => "Wrong name or password.",
        "throttled" => "Too many attempts. Wait a minute, then try again.",
        "unavailable" => "The console's database is unavailable. Try again shortly.",
        "signed_out" => return None,
        _ => "Sign-in failed. Try again.",
    })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.with(|q| q.get("error")).and_then(|c| message(&c));
    let signed_out = move || query.with(|q| q.get("error")).as_deref() == Some("signed_out");
    let next = move || {
        query
            .with(|q| q.get("next"))
            .unwrap_or_else(|| "/".to_owned())
    };
    view! {
        <section class="auth-card" aria-labelledby="login-title">
            <h1 id="login-title">"Sign in to Scanport"</h1>
            <Show when=signed_out>
                <p class="notice" role="status">"You are signed out."</p>
            </Show>
            {move || error().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            <form method="post" action="/login" class="stack">
                <input type="hidden" name="next" value=next />
                <label for="login-name">"Name"</label>
                <input id="login-name" name="name" autocomplete="username" required maxlength="64" autofocus />
                <label for="login-password">"Password"</label>
                <input
                    id="login-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    maxlength="128"
                />
                <button type="submit" class="primary">"Sign in"</button>
            </form>
            <p class="hint">"No account? Ask an admin of this console to add you."</p>
        </section>
    }
}
