use crate::error::AppError;
use leptos::prelude::*;
use scanport_wire::hss::{ListTasksResponse, TaskListType};

/// The HSS scan or sync task list of an account (the first Huawei account
/// when none is named).
#[server(prefix = "/api", endpoint = "list_tasks")]
pub async fn list_tasks(
    account: Option<String>,
    list: TaskListType,
) -> Result<ListTasksResponse, AppError> {
    use scanport_wire::hss::ListTasksRequest;
    let state = crate::state::app_state()?;
    let client = state.hss(account.as_deref())?;
    let mut request = ListTasksRequest::new(list);
    request.limit = Some(50);
    Ok(client.list_tasks(&request).await?)
}
