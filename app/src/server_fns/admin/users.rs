use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::portal::{Role, UserInfo};

/// `admin/users`: every user (admin).
#[server(prefix = "/api/v1", endpoint = "admin/users", input = Json)]
pub async fn list_users() -> Result<Vec<UserInfo>, AppError> {
    crate::ops::authorize(&crate::endpoints::ADMIN_USERS)?;
    let state = crate::state::app_state()?;
    Ok(scanport_portal::users::list(&state.portal.db).await?)
}

/// `admin/users/add`: a new user with a password, or with `service` a
/// service user (a bot) with none, which acts only through its tokens
/// (admin).
#[server(prefix = "/api/v1", endpoint = "admin/users/add", input = Json)]
pub async fn add_user(
    name: String,
    #[server(default)] password: String,
    role: Role,
    #[server(default)] service: bool,
) -> Result<UserInfo, AppError> {
    use scanport_portal::users;
    let endpoint = &crate::endpoints::ADMIN_USERS_ADD;
    let caller = crate::ops::caller_for(endpoint).await?;
    let state = crate::state::app_state()?;
    let name = name.trim().to_owned();
    if service && !password.is_empty() {
        return Err(AppError::invalid(
            "password",
            "a service user has no password: leave it out",
        ));
    }
    let row = super::ChangeRow::new(
        &caller,
        endpoint.path,
        serde_json::json!({ "name": name, "role": role, "service": service }),
    );
    let db = &state.portal.db;
    let added = if service {
        users::add_service(db, &name, role, Some(&row.entry())).await
    } else {
        users::add(db, &name, &password, role, Some(&row.entry())).await
    };
    row.record_if_failed(&state, &added).await?;
    Ok(added?)
}

/// `admin/users/role`: change a user's role; takes effect on their next
/// request (admin).
#[server(prefix = "/api/v1", endpoint = "admin/users/role", input = Json)]
pub async fn set_user_role(name: String, role: Role) -> Result<(), AppError> {
    let endpoint = &crate::endpoints::ADMIN_USERS_ROLE;
    let caller = crate::ops::caller_for(endpoint).await?;
    let state = crate::state::app_state()?;
    let row = super::ChangeRow::new(
        &caller,
        endpoint.path,
        serde_json::json!({ "name": name, "role": role }),
    );
    let done =
        scanport_portal::users::set_role(&state.portal.db, &name, role, Some(&row.entry())).await;
    if done.is_ok() {
        state.portal.note_revocation();
    }
    row.record_if_failed(&state, &done).await?;
    Ok(done?)
}

/// `admin/users/disable`: disable (ending their sessions at once) or
/// enable a user (admin). Admins cannot disable themselves.
#[server(prefix = "/api/v1", endpoint = "admin/users/disable", input = Json)]
pub async fn set_user_disabled(name: String, disabled: bool) -> Result<(), AppError> {
    let endpoint = &crate::endpoints::ADMIN_USERS_DISABLE;
    let caller = crate::ops::caller_for(endpoint).await?;
    if disabled && name == caller.name {
        return Err(AppError::invalid("name", "you cannot disable yourself"));
    }
    let state = crate::state::app_state()?;
    // Enabling is the same endpoint, audited under its own name.
    let action = if disabled {
        endpoint.path
    } else {
        "admin/users/enable"
    };
    let row = super::ChangeRow::new(
        &caller,
        action,
        serde_json::json!({ "name": name, "disabled": disabled }),
    );
    let done =
        scanport_portal::users::set_disabled(&state.portal.db, &name, disabled, Some(&row.entry()))
            .await;
    if disabled && done.is_ok() {
        state.portal.note_revocation();
    }
    row.record_if_failed(&state, &done).await?;
    Ok(done?)
}
