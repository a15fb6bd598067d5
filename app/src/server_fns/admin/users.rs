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

/// `admin/users/add`: a new user with a password (admin).
#[server(prefix = "/api/v1", endpoint = "admin/users/add", input = Json)]
pub async fn add_user(name: String, password: String, role: Role) -> Result<UserInfo, AppError> {
    let endpoint = &crate::endpoints::ADMIN_USERS_ADD;
    let caller = crate::ops::caller_for(endpoint)?;
    let state = crate::state::app_state()?;
    let name = name.trim().to_owned();
    let added = scanport_portal::users::add(&state.portal.db, &name, &password, role).await;
    let request = serde_json::json!({ "name": name, "role": role });
    let outcome = added.as_ref().map(|_| ()).map_err(clone_error);
    super::record_change(&state, &caller, endpoint.path, request, &outcome).await?;
    Ok(added?)
}

/// `admin/users/role`: change a user's role; takes effect on their next
/// request (admin).
#[server(prefix = "/api/v1", endpoint = "admin/users/role", input = Json)]
pub async fn set_user_role(name: String, role: Role) -> Result<(), AppError> {
    let endpoint = &crate::endpoints::ADMIN_USERS_ROLE;
    let caller = crate::ops::caller_for(endpoint)?;
    let state = crate::state::app_state()?;
    let done = scanport_portal::users::set_role(&state.portal.db, &name, role).await;
    let request = serde_json::json!({ "name": name, "role": role });
    super::record_change(&state, &caller, endpoint.path, request, &done).await?;
    Ok(done?)
}

/// `admin/users/disable`: disable (ending their sessions at once) or
/// enable a user (admin). Admins cannot disable themselves.
#[server(prefix = "/api/v1", endpoint = "admin/users/disable", input = Json)]
pub async fn set_user_disabled(name: String, disabled: bool) -> Result<(), AppError> {
    let endpoint = &crate::endpoints::ADMIN_USERS_DISABLE;
    let caller = crate::ops::caller_for(endpoint)?;
    if disabled && name == caller.name {
        return Err(AppError::invalid("name", "you cannot disable yourself"));
    }
    let state = crate::state::app_state()?;
    let done = scanport_portal::users::set_disabled(&state.portal.db, &name, disabled).await;
    if disabled && done.is_ok() {
        state.portal.note_revocation();
    }
    let request = serde_json::json!({ "name": name, "disabled": disabled });
    // Enabling is the same endpoint, audited under its own name.
    let action = if disabled {
        endpoint.path
    } else {
        "admin/users/enable"
    };
    super::record_change(&state, &caller, action, request, &done).await?;
    Ok(done?)
}

/// Keeps the error's meaning for the audit row while the original goes
/// back to the caller.
#[cfg(feature = "ssr")]
fn clone_error(err: &scanport_portal::PortalError) -> scanport_portal::PortalError {
    use scanport_portal::PortalError as E;
    match err {
        E::Invalid { field, message } => E::Invalid {
            field: field.clone(),
            message: message.clone(),
        },
        E::NotFound(what) => E::NotFound(what.clone()),
        other => E::Conflict(other.to_string()),
    }
}
