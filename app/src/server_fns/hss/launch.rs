use crate::error::AppError;
use crate::server_fns::Empty;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{BatchScanRequest, CreateScanTaskRequest};
use serde::{Deserialize, Serialize};

/// `hss/tasks/stop` request. Strict like every request: a misspelt name
/// is refused, not ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopTaskRequest {
    pub task_id: String,
}

/// `hss/batch-scan`: scan chosen images, or every image matching a filter
/// with `operate_all` (operator).
#[server(prefix = "/api/v1", endpoint = "hss/batch-scan", input = Json)]
pub async fn hss_batch_scan(
    account: String,
    request: BatchScanRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use crate::ops::{Mutation, mutate};
    use scanport_wire::hss::TaskListType;
    let caller = crate::auth::require(scanport_portal::Role::Operator)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = state.hss(Some(&account))?;
    let answer = mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: "hss/batch-scan",
            account: &account,
            request: &request,
            idempotency_key,
        },
        || async {
            client.batch_scan(&request).await?;
            Ok((Empty {}, None))
        },
    )
    .await;
    state.refresh_tasks_after(&account, TaskListType::ImageScan, &answer);
    answer
}

/// `hss/scan-tasks`: a manual scan task (operator).
#[server(prefix = "/api/v1", endpoint = "hss/scan-tasks", input = Json)]
pub async fn hss_create_scan_task(
    account: String,
    request: CreateScanTaskRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use crate::ops::{Mutation, mutate};
    use scanport_wire::hss::TaskListType;
    let caller = crate::auth::require(scanport_portal::Role::Operator)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = state.hss(Some(&account))?;
    let answer = mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: "hss/scan-tasks",
            account: &account,
            request: &request,
            idempotency_key,
        },
        || async {
            client.create_scan_task(&request).await?;
            Ok((Empty {}, None))
        },
    )
    .await;
    state.refresh_tasks_after(&account, TaskListType::ImageScan, &answer);
    answer
}

/// `hss/tasks/stop`: stop a running scan task (operator).
#[server(prefix = "/api/v1", endpoint = "hss/tasks/stop", input = Json)]
pub async fn hss_stop_task(
    account: String,
    request: StopTaskRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use crate::ops::{Mutation, mutate};
    use scanport_wire::hss::TaskListType;
    let caller = crate::auth::require(scanport_portal::Role::Operator)?;
    scanport_wire::hss::validate_task_id(&request.task_id)?;
    let state = crate::state::app_state()?;
    let client = state.hss(Some(&account))?;
    let answer = mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: "hss/tasks/stop",
            account: &account,
            request: &request,
            idempotency_key,
        },
        || async {
            client.stop_scan_task(&request.task_id).await?;
            Ok((Empty {}, None))
        },
    )
    .await;
    state.refresh_tasks_after(&account, TaskListType::ImageScan, &answer);
    answer
}
