use crate::error::AppError;
use crate::server_fns::Empty;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{ImageSyncTaskRequest, SynchronizeRequest, SynchronizeResponse};

/// `hss/synchronize`: refresh the SWR private or shared image list
/// (operator).
#[server(prefix = "/api/v1", endpoint = "hss/synchronize", input = Json)]
pub async fn hss_synchronize(
    account: String,
    request: SynchronizeRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<SynchronizeResponse, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::change(
        &crate::endpoints::HSS_SYNCHRONIZE,
        &account,
        &request,
        idempotency_key,
        async |c: &HssClient, r| c.synchronize(r).await.map(|answer| (answer, None)),
    )
    .await
}

/// `hss/image-sync-tasks`: sync all or chosen registries (operator).
#[server(prefix = "/api/v1", endpoint = "hss/image-sync-tasks", input = Json)]
pub async fn hss_image_sync_task(
    account: String,
    request: ImageSyncTaskRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::change(
        &crate::endpoints::HSS_IMAGE_SYNC_TASKS,
        &account,
        &request,
        idempotency_key,
        async |c: &HssClient, r| c.create_image_sync_task(r).await.map(|()| (Empty {}, None)),
    )
    .await
}
