//! Adding a user: name, first password and role, or a service user (a
//! bot) with no password. The server's refusal shows beside the field it
//! concerns.

use super::feedback::{field_of, sentence, use_interactive};
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::admin::AddUser;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use scanport_wire::portal::Role;

/// A role's name in the page, as a choice: `Viewer`.
pub fn role_label(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Viewer => td_string!(locale, role_choice_viewer),
        Role::Operator => td_string!(locale, role_choice_operator),
        Role::Admin => td_string!(locale, role_choice_admin),
    }
}

/// A role's name within a sentence or badge: `viewer`.
pub fn role_word(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Viewer => td_string!(locale, role_viewer),
        Role::Operator => td_string!(locale, role_operator),
        Role::Admin => td_string!(locale, role_admin),
    }
}

/// Where an error of `add_user` belongs: a field, or the form.
fn field(err: &AppError) -> &str {
    match err {
        // The one conflict: the name is taken.
        AppError::Conflict { .. } => "name",
        other => field_of(other).unwrap_or("form"),
    }
}

/// The server's rules, checked first for a quicker answer (the server
/// checks again). A service user has no password to check.
fn check(locale: Locale, name: &str, password: Option<&str>) -> Option<(&'static str, String)> {
    let refuse = |field, message: &str| Some((field, message.to_owned()));
    if name.is_empty() {
        return refuse("name", td_string!(locale, user_err_name_empty));
    }
    if name.chars().count() > 64 {
        return refuse("name", td_string!(locale, user_err_name_long));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return refuse("name", td_string!(locale, user_err_name_chars));
    }
    match password?.chars().count() {
        0..8 => refuse("password", td_string!(locale, user_err_password_short)),
        129.. => refuse("password", td_string!(locale, user_err_password_long)),
        _ => None,
    }
}

#[component]
pub fn AddUserForm(add: ServerAction<AddUser>) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = use_interactive();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Viewer);
    let service = RwSignal::new(false);
    let result = add.value();
    let pending = add.pending();

    // A user added: empty the form for the next one.
    Effect::new(move |_| {
        if let Some(Ok(_)) = result.get() {
            name.set(String::new());
            password.set(String::new());
        }
    });
    // What the form itself refuses, before asking the server: (field, message).
    let local_error = RwSignal::new(None::<(&'static str, String)>);
    let error_in = move |which: &'static str| {
        Signal::derive(move || match (local_error.get(), result.get()) {
            (Some((f, message)), _) => (f == which).then_some(message),
            (None, Some(Err(e))) if field(&e) == which => Some(sentence(&e)),
            _ => None,
        })
    };
    let name_error = error_in("name");
    let password_error = error_in("password");
    let role_error = error_in("role");
    let form_error = error_in("form");
    let added = move || match result.get() {
        _ if local_error.get().is_some() => None,
        Some(Ok(user)) => {
            let role = role_word(i18n.get_locale(), user.role);
            Some(if user.service {
                t_string!(i18n, user_added_service, name = &user.name, role = role).to_string()
            } else {
                t_string!(i18n, user_added, name = &user.name, role = role).to_string()
            })
        }
        _ => None,
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let typed = name.get_untracked().trim().to_owned();
        let bot = service.get_untracked();
        let secret = if bot {
            String::new()
        } else {
            password.get_untracked()
        };
        let typed_password = (!bot).then_some(secret.as_str());
        if let Some(refusal) = check(i18n.get_locale_untracked(), &typed, typed_password) {
            local_error.set(Some(refusal));
            return;
        }
        local_error.set(None);
        add.dispatch(AddUser {
            name: typed,
            password: secret,
            role: role.get_untracked(),
            service: bot,
        });
    };
    let described = |hint: &'static str, error: &'static str, has_error: Signal<Option<String>>| {
        move || {
            if has_error.get().is_some() {
                format!("{hint} {error}")
            } else {
                hint.to_owned()
            }
        }
    };

    view! {
        <form class="admin-form" aria-labelledby="add-user-title" on:submit=on_submit novalidate>
            <h3 id="add-user-title">{t!(i18n, user_add_title)}</h3>
            <div class="fields">
                <div class="field">
                    <label for="new-user-name">{t!(i18n, login_name)}</label>
                    <input
                        id="new-user-name"
                        name="name"
                        required
                        maxlength="64"
                        autocomplete="off"
                        spellcheck="false"
                        aria-invalid=move || name_error.get().map(|_| "true")
                        aria-describedby=described("new-user-name-hint", "new-user-name-error", name_error)
                        bind:value=name
                    />
                    <p id="new-user-name-hint" class="hint">{t!(i18n, user_name_hint)}</p>
                    {move || name_error.get().map(|m| view! { <p id="new-user-name-error" class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="field" hidden=move || service.get()>
                    <label for="new-user-password">{t!(i18n, login_password)}</label>
                    <input
                        id="new-user-password"
                        name="password"
                        type="password"
                        required
                        minlength="8"
                        maxlength="128"
                        autocomplete="new-password"
                        aria-invalid=move || password_error.get().map(|_| "true")
                        aria-describedby=described("new-user-password-hint", "new-user-password-error", password_error)
                        bind:value=password
                    />
                    <p id="new-user-password-hint" class="hint">{t!(i18n, user_password_hint)}</p>
                    {move || password_error.get().map(|m| view! { <p id="new-user-password-error" class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="field">
                    <label for="new-user-role">{t!(i18n, user_role)}</label>
                    <select
                        id="new-user-role"
                        name="role"
                        aria-describedby="new-user-role-hint"
                        on:change=move |ev| {
                            if let Ok(r) = event_target_value(&ev).parse::<Role>() {
                                role.set(r);
                            }
                        }
                    >
                        {Role::ALL
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.as_str() selected=move || role.get() == r>
                                        {role_label(i18n.get_locale_untracked(), r)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p id="new-user-role-hint" class="hint">{t!(i18n, user_role_hint)}</p>
                    {move || role_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <div class="field check">
                    <label>
                        <input
                            type="checkbox"
                            name="service"
                            aria-describedby="new-user-service-hint"
                            bind:checked=service
                        />
                        {t!(i18n, user_service)}
                    </label>
                    <p id="new-user-service-hint" class="hint">{t!(i18n, user_service_hint)}</p>
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || !interactive.get()>
                    {move || {
                        if pending.get() {
                            t_string!(i18n, user_adding)
                        } else {
                            t_string!(i18n, user_add)
                        }
                    }}
                </button>
                <div class="form-result" aria-live="polite">
                    {move || form_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                    {move || added().map(|m| view! { <p class="ok-text">{m}</p> })}
                </div>
            </div>
        </form>
    }
}
