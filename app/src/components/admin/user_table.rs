//! The users: role, status and creation time, with a role change and
//! disabling or enabling per row.

use super::add_user_form::role_label;
use super::feedback::use_interactive;
use crate::components::common::moment::Moment;
use crate::error::AppError;
use crate::server_fns::admin::{set_user_disabled, set_user_role};
use leptos::prelude::*;
use scanport_wire::portal::{Role, UserInfo};

/// A change to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserChange {
    Role { name: String, role: Role },
    Disabled { name: String, disabled: bool },
}

/// Sends a [`UserChange`]; answers what happened, in words.
pub type ChangeUser = Action<UserChange, Result<String, AppError>>;

pub fn change_user_action() -> ChangeUser {
    Action::new(|change: &UserChange| {
        let change = change.clone();
        async move {
            match change {
                UserChange::Role { name, role } => set_user_role(name.clone(), role)
                    .await
                    .map(|()| format!("{name} is now {}.", role.as_str())),
                UserChange::Disabled { name, disabled } => {
                    set_user_disabled(name.clone(), disabled).await.map(|()| {
                        if disabled {
                            format!("{name} is disabled and signed out everywhere.")
                        } else {
                            format!("{name} is enabled and can sign in again.")
                        }
                    })
                }
            }
        }
    })
}

#[component]
pub fn UserTable(users: Vec<UserInfo>, me: String, change: ChangeUser) -> impl IntoView {
    if users.is_empty() {
        return view! { <p class="empty">"No users yet. Add one with the form above."</p> }
            .into_any();
    }
    let count = match users.len() {
        1 => "1 user".to_owned(),
        n => format!("{n} users"),
    };
    view! {
        <p class="count">{count}</p>
        <div class="table-wrap">
            <table class="admin users">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Actions"</th>
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
    let interactive = use_interactive();
    let chosen = RwSignal::new(user.role);
    let select_id = format!("role-of-{}", user.name);
    let (status, class) = if user.disabled {
        ("Disabled", "status bad")
    } else {
        ("Active", "status ok")
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
    let toggle_text = if user.disabled { "Enable" } else { "Disable" };
    view! {
        <tr data-user=user.name.clone() class:disabled=user.disabled>
            <th scope="row">
                {user.name.clone()}
                {is_me.then(|| view! { <span class="you">" (you)"</span> })}
            </th>
            <td>
                <span class="role-badge">{user.role.as_str()}</span>
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
                        {format!("New role of {name}")}
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
                                        {role_label(r)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <button
                        type="button"
                        class="secondary"
                        aria-label=format!("Change role of {name}")
                        disabled=move || !interactive.get()
                        on:click=change_role
                    >
                        "Change role"
                    </button>
                    <button
                        type="button"
                        class=if user.disabled { "secondary" } else { "secondary danger" }
                        aria-label=format!("{toggle_text} {name}")
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
