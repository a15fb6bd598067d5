use crate::error::AppError;
use crate::server_fns::Empty;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{BatchScanRequest, CreateScanTaskRequest};
use scanport_wire::validate::{FieldError, Validate};
use serde::{Deserialize, Serialize};

/// `hss/tasks/stop` request. Strict like every request: a misspelt name
/// is refused, not ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopTaskRequest {
    pub task_id: String,
}

impl Validate for StopTaskRequest {
    fn validate(&self) -> Result<(), FieldError> {
        scanport_wire::hss::validate_task_id(&self.task_id)
    }
}

/// `hss/batch-scan`: scan chosen images, or every image matching a filter
/// with `operate_all` (operator).
#[server(prefix = "/api/v1", endpoint = "hss/batch-scan", input = Json)]
pub async fn hss_batch_scan(
    account: String,
    request: BatchScanRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::change(
        &crate::endpoints::HSS_BATCH_SCAN,
        &account,
        &request,
        idempotency_key,
        async |c: &HssClient, r| c.batch_scan(r).await.map(|()| (Empty {}, None)),
    )
    .await
}

/// `hss/scan-tasks`: a manual scan task (operator).
#[server(prefix = "/api/v1", endpoint = "hss/scan-tasks", input = Json)]
pub async fn hss_create_scan_task(
    account: String,
    request: CreateScanTaskRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::change(
        &crate::endpoints::HSS_SCAN_TASKS,
        &account,
        &request,
        idempotency_key,
        async |c: &HssClient, r| c.create_scan_task(r).await.map(|()| (Empty {}, None)),
    )
    .await
}

/// `hss/tasks/stop`: stop a running scan task (operator).
#[server(prefix = "/api/v1", endpoint = "hss/tasks/stop", input = Json)]
pub async fn hss_stop_task(
    account: String,
    request: StopTaskRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::change(
        &crate::endpoints::HSS_TASKS_STOP,
        &account,
        &request,
        idempotency_key,
        async |c: &HssClient, r| {
            c.stop_scan_task(&r.task_id)
                .await
                .map(|()| (Empty {}, None))
        },
    )
    .await
}
