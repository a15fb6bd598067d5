//! Creating an API token for a user, at most a role and on some accounts
//! if chosen, and showing it the one time it can be shown.

use super::add_user_form::{role_label, role_word};
use super::data::AdminData;
use super::feedback::{field_of, sentence, use_interactive};
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::admin::{CreateToken, NewToken};
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use scanport_wire::portal::Role;

const MAX_EXPIRY_DAYS: u32 = 3650;

/// Where an error of `create_token` belongs.
fn field(err: &AppError) -> &str {
    match err {
        AppError::NotFound { .. } => "user",
        other => match field_of(other) {
            Some("user" | "user_name" | "name") => "user",
            Some("label") => "label",
            Some("expires_days") => "expires",
            Some("role") => "role",
            Some("accounts") => "accounts",
            _ => "form",
        },
    }
}

/// `Ok(None)` for empty (the console's default), the days, or why not (in
/// `locale`).
fn parse_days(locale: Locale, text: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(days) if (1..=MAX_EXPIRY_DAYS).contains(&days) => Ok(Some(days)),
        _ => Err(td_string!(locale, token_err_days, max = MAX_EXPIRY_DAYS).to_string()),
    }
}

#[component]
pub fn CreateTokenForm(
    data: Resource<AdminData>,
    create: ServerAction<CreateToken>,
) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = use_interactive();
    let user = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    // `None`: its user's role; the accounts ticked, none for every account.
    let role = RwSignal::new(None::<Role>);
    let accounts = RwSignal::new(Vec::<String>::new());
    // What the form itself refuses, before asking the server: (field, message).
    let local_error = RwSignal::new(None::<(&'static str, String)>);
    let result = create.value();
    let pending = create.pending();

    Effect::new(move |_| {
        if let Some(Ok(_)) = result.get() {
            label.set(String::new());
            expires.set(String::new());
            role.set(None);
            accounts.set(Vec::new());
        }
    });
    let error_in = move |which: &'static str| {
        Signal::derive(move || match (local_error.get(), result.get()) {
            (Some((f, message)), _) => (f == which).then_some(message),
            (None, Some(Err(e))) if field(&e) == which => Some(sentence(&e)),
            _ => None,
        })
    };
    let user_error = error_in("user");
    let label_error = error_in("label");
    let expires_error = error_in("expires");
    let role_error = error_in("role");
    let accounts_error = error_in("accounts");
    let form_error = error_in("form");

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let chosen = user.get_untracked();
        let text = label.get_untracked().trim().to_owned();
        let locale = i18n.get_locale_untracked();
        match parse_days(locale, &expires.get_untracked()) {
            _ if chosen.is_empty() => {
                local_error.set(Some((
                    "user",
                    td_string!(locale, token_err_user).to_owned(),
                )));
            }
            _ if text.is_empty() => {
                local_error.set(Some((
                    "label",
                    td_string!(locale, token_err_label).to_owned(),
                )));
            }
            Err(message) => local_error.set(Some(("expires", message))),
            Ok(expires_days) => {
                local_error.set(None);
                create.dispatch(CreateToken {
                    user: chosen,
                    label: text,
                    expires_days,
                    no_expiry: false,
                    role: role.get_untracked(),
                    accounts: Some(accounts.get_untracked()).filter(|a| !a.is_empty()),
                });
            }
        }
    };

    view! {
        <form class="admin-form" aria-labelledby="create-token-title" on:submit=on_submit novalidate>
            <h3 id="create-token-title">{t!(i18n, token_create_title)}</h3>
            <div class="fields">
                <div class="field">
                    <label for="token-user">{t!(i18n, token_user)}</label>
                    // The whole select inside the Transition, not the options
                    // alone: a Suspense inside a <select> does not hydrate.
                    <Transition fallback=move || {
                        view! {
                            <select id="token-user" name="user" disabled>
                                <option>{t_string!(i18n, admin_loading_users)}</option>
                            </select>
                        }
                    }>
                        {move || Suspend::new(async move {
                            let locale = i18n.get_locale_untracked();
                            let options = data
                                .await
                                .users
                                .unwrap_or_default()
                                .into_iter()
                                .map(|u| {
                                    let name = u.name.clone();
                                    let chosen = name.clone();
                                    let role = role_word(locale, u.role);
                                    let text = if u.disabled {
                                        td_string!(locale, token_user_disabled, name = &u.name, role = role)
                                            .to_string()
                                    } else {
                                        td_string!(locale, token_user_option, name = &u.name, role = role)
                                            .to_string()
                                    };
                                    view! {
                                        <option value=name selected=move || user.get() == chosen>
                                            {text}
                                        </option>
                                    }
                                })
                                .collect_view();
                            view! {
                                <select
                                    id="token-user"
                                    name="user"
                                    required
                                    aria-describedby="token-user-hint"
                                    aria-invalid=move || user_error.get().map(|_| "true")
                                    on:change=move |ev| user.set(event_target_value(&ev))
                                >
                                    <option value="" selected=move || user.get().is_empty()>
                                        {td_string!(locale, token_choose_user)}
                                    </option>
                                    {options}
                                </select>
                            }
                        })}
                    </Transition>
                    <p id="token-user-hint" class="hint">{t!(i18n, token_user_hint)}</p>
                    {move || user_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="field">
                    <label for="token-label">{t!(i18n, token_label)}</label>
                    <input
                        id="token-label"
                        name="label"
                        required
                        maxlength="100"
                        autocomplete="off"
                        aria-describedby="token-label-hint"
                        aria-invalid=move || label_error.get().map(|_| "true")
                        bind:value=label
                    />
                    <p id="token-label-hint" class="hint">{t!(i18n, token_label_hint)}</p>
                    {move || label_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="field">
                    <label for="token-expires">{t!(i18n, token_expires_days)}</label>
                    <input
                        id="token-expires"
                        name="expires_days"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="3650"
                        step="1"
                        aria-describedby="token-expires-hint"
                        aria-invalid=move || expires_error.get().map(|_| "true")
                        bind:value=expires
                    />
                    <p id="token-expires-hint" class="hint">{t!(i18n, token_expires_hint)}</p>
                    {move || expires_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="field">
                    <label for="token-role">{t!(i18n, token_role)}</label>
                    <select
                        id="token-role"
                        name="role"
                        aria-describedby="token-role-hint"
                        aria-invalid=move || role_error.get().map(|_| "true")
                        on:change=move |ev| role.set(event_target_value(&ev).parse::<Role>().ok())
                    >
                        <option value="" selected=move || role.get().is_none()>
                            {t!(i18n, token_role_user)}
                        </option>
                        {Role::ALL
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.as_str() selected=move || role.get() == Some(r)>
                                        {role_label(i18n.get_locale_untracked(), r)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p id="token-role-hint" class="hint">{t!(i18n, token_role_hint)}</p>
                    {move || role_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <fieldset class="accounts" aria-describedby="token-accounts-hint">
                    <legend>{t!(i18n, token_accounts)}</legend>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            data.await
                                .accounts
                                .unwrap_or_default()
                                .into_iter()
                                .map(|a| {
                                    let id = a.id.clone();
                                    let ticked = id.clone();
                                    view! {
                                        <label>
                                            <input
                                                type="checkbox"
                                                name="accounts"
                                                value=a.id.clone()
                                                prop:checked=move || accounts.with(|l| l.contains(&ticked))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    accounts.update(|list| {
                                                        list.retain(|x| x != &id);
                                                        if on {
                                                            list.push(id.clone());
                                                        }
                                                    });
                                                }
                                            />
                                            {a.id}
                                        </label>
                                    }
                                })
                                .collect_view()
                        })}
                    </Transition>
                    <p id="token-accounts-hint" class="hint">{t!(i18n, token_accounts_hint)}</p>
                    {move || accounts_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </fieldset>
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || !interactive.get()>
                    {move || {
                        if pending.get() {
                            t_string!(i18n, token_creating)
                        } else {
                            t_string!(i18n, token_create)
                        }
                    }}
                </button>
                <div class="form-result" aria-live="polite">
                    {move || form_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
            </div>
        </form>
        <NewTokenPanel create />
    }
}

/// The token just created, in a read-only field, once. "Done" forgets it.
#[component]
fn NewTokenPanel(create: ServerAction<CreateToken>) -> impl IntoView {
    let i18n = use_i18n();
    let field = NodeRef::<Input>::new();
    let created = move || match create.value().get() {
        Some(Ok(token)) => Some(token),
        _ => None,
    };
    // Focus the token, selected, so it can be copied at once.
    Effect::new(move |_| {
        if created().is_some()
            && let Some(input) = field.get()
        {
            let _ = input.focus();
            input.select();
        }
    });
    move || {
        created().map(|NewToken { token, info }| {
            let title = move || {
                t_string!(
                    i18n,
                    token_new_title,
                    user = &info.user,
                    label = &info.label
                )
                .to_string()
            };
            view! {
                <div class="new-token" role="region" aria-labelledby="new-token-title">
                    <h3 id="new-token-title">
                        {title}
                    </h3>
                    <p class="notice warn">
                        <strong>{t!(i18n, token_copy_now)}</strong>
                        {t!(i18n, token_hash_only)}
                    </p>
                    <label for="new-token-value">{t!(i18n, token_api_token)}</label>
                    <input
                        id="new-token-value"
                        class="token-value"
                        readonly
                        value=token
                        spellcheck="false"
                        autocomplete="off"
                        aria-describedby="new-token-hint"
                        node_ref=field
                        on:focus=move |_| {
                            if let Some(input) = field.get() {
                                input.select();
                            }
                        }
                    />
                    <p id="new-token-hint" class="hint">
                        {t!(i18n, token_copy_hint_before)}
                        <code>"Authorization: Bearer …"</code>
                        {t!(i18n, token_copy_hint_after)}
                    </p>
                    <button type="button" class="secondary" on:click=move |_| create.clear()>
                        {t!(i18n, token_done)}
                    </button>
                </div>
            }
        })
    }
}
