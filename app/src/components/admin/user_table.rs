//! The users: role, status and creation time, with a role change and
//! disabling or enabling per row.

use super::add_user_form::{role_label, role_word};
use super::feedback::use_interactive;
use crate::components::common::moment::Moment;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::admin::{set_user_disabled, set_user_role};
use leptos::prelude::*;
use scanport_wire::portal::{Role, UserInfo};

/// A change to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserChange {
    Role { name: String, role: Role },
    Disabled { name: String, disabled: bool },
}

/// Sends a [`UserChange`]; answers what happened, in words (in the page's
/// language when it was asked).
pub type ChangeUser = Action<UserChange, Result<String, AppError>>;

/// Call from a component (it reads the page's language).
pub fn change_user_action() -> ChangeUser {
    let i18n = use_i18n();
    Action::new(move |change: &UserChange| {
        let change = change.clone();
        let locale = i18n.get_locale_untracked();
        async move {
            match change {
                UserChange::Role { name, role } => {
                    set_user_role(name.clone(), role).await.map(|()| {
                        let role = role_word(locale, role);
                        td_string!(locale, user_role_changed, name = &name, role = role).to_string()
                    })
                }
                UserChange::Disabled { name, disabled } => {
                    set_user_disabled(name.clone(), disabled).await.map(|()| {
                        if disabled {
                            td_string!(locale, user_disabled_done, name = &name).to_string()
                        } else {
                            td_string!(locale, user_enabled_done, name = &name).to_string()
                        }
                    })
                }
            }
        }
    })
}

#[component]
pub fn UserTable(users: Vec<UserInfo>, me: String, change: ChangeUser) -> impl IntoView {
    let i18n = use_i18n();
    if users.is_empty() {
        return view! { <p class="empty">{t!(i18n, users_empty)}</p> }.into_any();
    }
    let n = users.len();
    let count = move || match n {
        1 => t_string!(i18n, users_count_one).to_owned(),
        n => t_string!(i18n, users_count, count = n).to_string(),
    };
    view! {
        <p class="count">{count}</p>
        <div class="table-wrap">
            <table class="admin users">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, login_name)}</th>
                        <th scope="col">{t!(i18n, user_role)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col">{t!(i18n, col_created)}</th>
                        <th scope="col">{t!(i18n, col_actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {users
                        .into_iter()
                        .map(|user| {
                            let is_me = user.name == me;
                            view! { <UserRow user is_me change /> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn UserRow(user: UserInfo, is_me: bool, change: ChangeUser) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = use_interactive();
    let chosen = RwSignal::new(user.role);
    let select_id = format!("role-of-{}", user.name);
    let disabled = user.disabled;
    let class = if disabled { "status bad" } else { "status ok" };
    let status = move || {
        if disabled {
            t_string!(i18n, user_status_disabled)
        } else {
            t_string!(i18n, user_status_active)
        }
    };
    let name = user.name.clone();
    let change_role = {
        let name = name.clone();
        move |_| {
            if !change.pending().get_untracked() {
                change.dispatch(UserChange::Role {
                    name: name.clone(),
                    role: chosen.get_untracked(),
                });
            }
        }
    };
    let toggle = {
        let name = name.clone();
        let disabled = !user.disabled;
        move |_| {
            if !change.pending().get_untracked() {
                change.dispatch(UserChange::Disabled {
                    name: name.clone(),
                    disabled,
                });
            }
        }
    };
    let toggle_text = move || {
        if disabled {
            t_string!(i18n, user_enable)
        } else {
            t_string!(i18n, user_disable)
        }
    };
    let toggle_label = {
        let name = name.clone();
        move || {
            if disabled {
                t_string!(i18n, user_enable_label, name = &name).to_string()
            } else {
                t_string!(i18n, user_disable_label, name = &name).to_string()
            }
        }
    };
    let select_label = {
        let name = name.clone();
        move || t_string!(i18n, user_new_role_label, name = &name).to_string()
    };
    let change_label = {
        let name = name.clone();
        move || t_string!(i18n, user_change_role_label, name = &name).to_string()
    };
    let role = user.role;
    view! {
        <tr data-user=user.name.clone() class:disabled=user.disabled>
            <th scope="row">
                {user.name.clone()}
                {is_me.then(|| view! { <span class="you">{t!(i18n, user_you)}</span> })}
                // The space keeps the badge a word of its own in the row's name.
                {user.service.then(|| view! { " " <span class="service-badge">{t!(i18n, user_service_badge)}</span> })}
            </th>
            <td>
                <span class="role-badge">{move || role_word(i18n.get_locale(), role)}</span>
            </td>
            <td>
                <span class=class>{status}</span>
            </td>
            <td>
                <Moment ms=user.created_at_ms />
            </td>
            <td>
                <div class="row-actions">
                    <label class="visually-hidden" for=select_id.clone()>
                        {select_label}
                    </label>
                    <select
                        id=select_id
                        on:change=move |ev| {
                            if let Ok(r) = event_target_value(&ev).parse::<Role>() {
                                chosen.set(r);
                            }
                        }
                    >
                        {Role::ALL
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.as_str() selected=r == user.role>
                                        {role_label(i18n.get_locale_untracked(), r)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <button
                        type="button"
                        class="secondary"
                        aria-label=change_label
                        disabled=move || !interactive.get()
                        on:click=change_role
                    >
                        {t!(i18n, user_change_role)}
                    </button>
                    <button
                        type="button"
                        class=if user.disabled { "secondary" } else { "secondary danger" }
                        aria-label=toggle_label
                        disabled=move || !interactive.get()
                        on:click=toggle
                    >
                        {toggle_text}
                    </button>
                </div>
            </td>
        </tr>
    }
}
