use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{ListTasksRequest, TaskListType};
use scanport_wire::live::TaskSnapshot;

/// The HSS scan or sync task list of an account (the first Huawei account
/// when none is named), from the account's shared snapshot: reading it
/// costs the cloud nothing.
///
/// With `query`, the answer is that page of those filters: from the
/// snapshot when it holds everything needed (the same rules the browser
/// applies to each live update), else from the service through the
/// account's shared budget. Without it, the whole snapshot.
#[server(prefix = "/api/v1", endpoint = "live/tasks", input = Json)]
pub async fn list_tasks(
    account: Option<String>,
    list: TaskListType,
    #[server(default)] query: Option<ListTasksRequest>,
) -> Result<TaskSnapshot, AppError> {
    crate::ops::authorize(&crate::endpoints::LIVE_TASKS)?;
    let state = crate::state::app_state()?;
    read_tasks(&state, account.as_deref(), list, query.as_ref()).await
}

/// What `list_tasks` answers, for the server's other readers (the CSV
/// export). The caller has checked the role.
#[cfg(feature = "ssr")]
pub async fn read_tasks(
    state: &crate::state::AppState,
    account: Option<&str>,
    list: TaskListType,
    query: Option<&ListTasksRequest>,
) -> Result<TaskSnapshot, AppError> {
    use std::time::Duration;
    if let Some(query) = query {
        query.validate()?;
        if query.r#type != list {
            return Err(AppError::invalid(
                "query.type",
                "must be the same list as `list`",
            ));
        }
    }
    let hub = state.hub(account)?;
    // The first read of a list waits for its first poll.
    let snapshot = hub
        .current(list, Duration::from_secs(20))
        .await
        .ok_or(AppError::TimedOut { request_id: None })?;
    let fetched = snapshot.fetched_at_ms > 0;
    match query {
        Some(query) if fetched => {
            if let Some(answer) = query.answer_from(&snapshot.answer) {
                return Ok(TaskSnapshot {
                    answer,
                    ..snapshot.snapshot.clone()
                });
            }
        }
        None if fetched => return Ok(snapshot.snapshot.clone()),
        // Never fetched successfully: nothing to show but the error.
        None => {
            return Err(AppError::Unavailable {
                message: snapshot.error.clone().unwrap_or_default(),
                request_id: None,
            });
        }
        Some(_) => {}
    }
    // Only the service can answer: ask it, as of now.
    let query = query
        .cloned()
        .unwrap_or_else(|| ListTasksRequest::new(list));
    let answer = crate::ops::as_caller(state.hss(account)?.list_tasks(&query)).await?;
    let now = scanport_wire::clock::now_ms();
    Ok(TaskSnapshot {
        list,
        answer,
        fetched_at_ms: now,
        next_refresh_ms: snapshot.next_refresh_ms,
        error: None,
    })
}
