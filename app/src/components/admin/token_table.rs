//! The API tokens (never the tokens themselves), each revocable after a
//! confirmation in a modal dialog.

use super::add_user_form::role_word;
use super::feedback::use_interactive;
use crate::components::common::moment::Moment;
use crate::dates::now_ms;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::admin::revoke_token;
use leptos::html::Dialog;
use leptos::prelude::*;
use scanport_wire::portal::TokenInfo;

/// Revokes a token; answers what happened, in words (in the page's
/// language when it was asked).
pub type RevokeToken = Action<TokenInfo, Result<String, AppError>>;

/// Call from a component (it reads the page's language).
pub fn revoke_token_action() -> RevokeToken {
    let i18n = use_i18n();
    Action::new(move |token: &TokenInfo| {
        let token = token.clone();
        let locale = i18n.get_locale_untracked();
        async move {
            revoke_token(token.id.clone()).await.map(|()| {
                td_string!(
                    locale,
                    token_revoked,
                    label = &token.label,
                    user = &token.user
                )
                .to_string()
            })
        }
    })
}

#[component]
pub fn TokenTable(tokens: Vec<TokenInfo>, revoke: RevokeToken) -> impl IntoView {
    let i18n = use_i18n();
    if tokens.is_empty() {
        return view! {
            <p class="empty">
                {t!(i18n, tokens_empty)}
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
    let all = tokens.len();
    let count = move || t_string!(i18n, tokens_count, count = all, active = active).to_string();
    let now = now_ms();
    view! {
        <p class="count">{count}</p>
        <div class="table-wrap">
            <table class="admin tokens">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_id)}</th>
                        <th scope="col">{t!(i18n, token_user)}</th>
                        <th scope="col">{t!(i18n, token_label)}</th>
                        <th scope="col">{t!(i18n, token_col_limits)}</th>
                        <th scope="col">{t!(i18n, col_created)}</th>
                        <th scope="col">{t!(i18n, col_expires)}</th>
                        <th scope="col">{t!(i18n, col_last_used)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col">{t!(i18n, col_actions)}</th>
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
            <h3 id="revoke-title">{t!(i18n, token_revoke_title)}</h3>
            <p id="revoke-what">
                {move || {
                    asked
                        .get()
                        .map(|t| {
                            t_string!(i18n, token_revoke_what, label = &t.label, user = &t.user)
                                .to_string()
                        })
                }}
            </p>
            <div class="dialog-actions">
                <button type="button" class="secondary" autofocus on:click=cancel>
                    {t!(i18n, cancel)}
                </button>
                <button type="button" class="danger" on:click=confirm>
                    {t!(i18n, token_revoke_confirm)}
                </button>
            </div>
        </dialog>
    }
    .into_any()
}

#[component]
fn TokenRow(token: TokenInfo, now: i64, ask: Callback<TokenInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = use_interactive();
    let expired = token.expires_at_ms.is_some_and(|at| at <= now);
    let revoked = token.revoked;
    let class = match (revoked, expired) {
        (true, _) => "status bad",
        (false, true) => "status warn",
        (false, false) => "status ok",
    };
    let status = move || match (revoked, expired) {
        (true, _) => t_string!(i18n, token_revoked_status),
        (false, true) => t_string!(i18n, token_expired),
        (false, false) => t_string!(i18n, token_active),
    };
    let unlabelled = token.label.is_empty();
    let label = {
        let label = token.label.clone();
        move || {
            if unlabelled {
                t_string!(i18n, token_no_label).to_owned()
            } else {
                label.clone()
            }
        }
    };
    let name = {
        let label = label.clone();
        let user = token.user.clone();
        move || t_string!(i18n, token_revoke_label, label = label(), user = &user).to_string()
    };
    let revocable = !token.revoked;
    let limits = {
        let (role, accounts) = (token.role, token.accounts.clone());
        move || {
            let locale = i18n.get_locale();
            let role = match role {
                Some(role) => role_word(locale, role),
                None => td_string!(locale, token_role_users),
            };
            let accounts = match &accounts {
                Some(list) => list.join(", "),
                None => td_string!(locale, token_every_account).to_owned(),
            };
            format!("{role} · {accounts}")
        }
    };
    let row = token.clone();
    view! {
        <tr data-token-id=token.id.clone() class:revoked=token.revoked>
            <td>
                <code class="token-id">{token.id.clone()}</code>
            </td>
            <td>{token.user.clone()}</td>
            <th scope="row" class="label">{label}</th>
            <td class="limits">{limits}</td>
            <td>
                <Moment ms=token.created_at_ms />
            </td>
            <td>
                {match token.expires_at_ms {
                    Some(ms) => view! { <Moment ms /> }.into_any(),
                    None => view! { <span class="muted">{t!(i18n, token_never)}</span> }.into_any(),
                }}
            </td>
            <td>
                {match token.last_used_at_ms {
                    Some(ms) => view! { <Moment ms /> }.into_any(),
                    None => view! { <span class="muted">{t!(i18n, token_not_yet)}</span> }.into_any(),
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
                                {t!(i18n, token_revoke)}
                            </button>
                        }
                    })}
            </td>
        </tr>
    }
}
