use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::TaskListType;
use scanport_wire::live::TaskSnapshot;

/// The HSS scan or sync task list of an account (the first Huawei account
/// when none is named), from the account's shared snapshot: reading it
/// costs the cloud nothing.
#[server(prefix = "/api/v1", endpoint = "live/tasks", input = Json)]
pub async fn list_tasks(
    account: Option<String>,
    list: TaskListType,
) -> Result<TaskSnapshot, AppError> {
    use std::time::Duration;
    crate::auth::require(scanport_portal::Role::Viewer)?;
    let state = crate::state::app_state()?;
    let hub = state.hub(account.as_deref())?;
    // The first read of a list waits for its first poll.
    let snapshot = hub
        .current(list, Duration::from_secs(20))
        .await
        .ok_or(AppError::TimedOut { request_id: None })?;
    if snapshot.fetched_at_ms == 0 {
        // Never fetched successfully: there is nothing to show but the error.
        return Err(AppError::Unavailable {
            message: snapshot.error.clone().unwrap_or_default(),
            request_id: None,
        });
    }
    Ok((*snapshot).clone())
}
