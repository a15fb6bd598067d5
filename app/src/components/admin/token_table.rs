//! The API tokens (never the tokens themselves), each revocable after a
//! confirmation in a modal dialog.

use super::feedback::use_interactive;
use crate::components::common::moment::Moment;
use crate::error::AppError;
use crate::server_fns::admin::revoke_token;
use leptos::html::Dialog;
use leptos::prelude::*;
use scanport_wire::portal::TokenInfo;

/// Revokes a token; answers what happened, in words.
pub type RevokeToken = Action<TokenInfo, Result<String, AppError>>;

pub fn revoke_token_action() -> RevokeToken {
    Action::new(|token: &TokenInfo| {
        let token = token.clone();
        async move {
            revoke_token(token.id.clone()).await.map(|()| {
                format!(
                    "Revoked “{}” of {}: it stops working at once.",
                    token.label, token.user
                )
            })
        }
    })
}

/// Now, in ms since the epoch: the browser's clock once hydrated, the
/// server's while rendering.
fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(all(feature = "ssr", not(feature = "hydrate")))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        0
    }
}

#[component]
pub fn TokenTable(tokens: Vec<TokenInfo>, revoke: RevokeToken) -> impl IntoView {
    if tokens.is_empty() {
        return view! {
            <p class="empty">
                "No API tokens yet. Create one above for a script or CI pipeline; it acts as the user you choose."
            </p>
        }
        .into_any();
    }
    let dialog = NodeRef::<Dialog>::new();
    let asked = RwSignal::new(None::<TokenInfo>);
    let ask = Callback::new(move |token: TokenInfo| {
        asked.set(Some(token));
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    });
    let confirm = move |_| {
        if let Some(token) = asked.get_untracked() {
            revoke.dispatch(token);
        }
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let cancel = move |_| {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let active = tokens.iter().filter(|t| !t.revoked).count();
    let count = format!("{} tokens, {active} active", tokens.len());
    let now = now_ms();
    view! {
        <p class="count">{count}</p>
        <div class="table-wrap">
            <table class="admin tokens">
                <thead>
                    <tr>
                        <th scope="col">"ID"</th>
                        <th scope="col">"User"</th>
                        <th scope="col">"Label"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col">"Last used"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {tokens
                        .into_iter()
                        .map(|token| view! { <TokenRow token now ask /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <dialog
            node_ref=dialog
            class="confirm"
            aria-labelledby="revoke-title"
            aria-describedby="revoke-what"
            on:close=move |_| asked.set(None)
        >
            <h3 id="revoke-title">"Revoke this token?"</h3>
            <p id="revoke-what">
                {move || {
                    asked
                        .get()
                        .map(|t| {
                            format!(
                                "“{}” of {} stops working at once: scripts using it get 401. This cannot be undone.",
                                t.label,
                                t.user,
                            )
                        })
                }}
            </p>
            <div class="dialog-actions">
                <button type="button" class="secondary" autofocus on:click=cancel>
                    "Cancel"
                </button>
                <button type="button" class="danger" on:click=confirm>
                    "Revoke token"
                </button>
            </div>
        </dialog>
    }
    .into_any()
}

#[component]
fn TokenRow(token: TokenInfo, now: i64, ask: Callback<TokenInfo>) -> impl IntoView {
    let interactive = use_interactive();
    let expired = token.expires_at_ms.is_some_and(|at| at <= now);
    let (status, class) = match (token.revoked, expired) {
        (true, _) => ("Revoked", "status bad"),
        (false, true) => ("Expired", "status warn"),
        (false, false) => ("Active", "status ok"),
    };
    let label = if token.label.is_empty() {
        "(no label)".to_owned()
    } else {
        token.label.clone()
    };
    let name = format!("Revoke token {label} of {}", token.user);
    let revocable = !token.revoked;
    let row = token.clone();
    view! {
        <tr data-token-id=token.id.clone() class:revoked=token.revoked>
            <td>
                <code class="token-id">{token.id.clone()}</code>
            </td>
            <td>{token.user.clone()}</td>
            <th scope="row" class="label">{label}</th>
            <td>
                <Moment ms=token.created_at_ms />
            </td>
            <td>
                {match token.expires_at_ms {
                    Some(ms) => view! { <Moment ms /> }.into_any(),
                    None => view! { <span class="muted">"Never"</span> }.into_any(),
                }}
            </td>
            <td>
                {match token.last_used_at_ms {
                    Some(ms) => view! { <Moment ms /> }.into_any(),
                    None => view! { <span class="muted">"Not yet"</span> }.into_any(),
                }}
            </td>
            <td>
                <span class=class>{status}</span>
            </td>
            <td>
                {revocable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="secondary danger"
                                aria-label=name
                                aria-haspopup="dialog"
                                disabled=move || !interactive.get()
                                on:click=move |_| ask.run(row.clone())
                            >
                                "Revoke"
                            </button>
                        }
                    })}
            </td>
        </tr>
    }
}
