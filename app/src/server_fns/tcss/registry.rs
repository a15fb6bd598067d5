use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::tcss::{
    Acknowledged, CreateRegistryScanRequest, CreateRegistryScanResponse,
    DescribeRegistryImagesRequest, DescribeRegistryImagesResponse, RegistryScanStatus,
    RegistryScanStatusRequest, StopRegistryScanRequest, SyncRegistryAssetsRequest,
};

/// `tcss/images`: registry images (viewer).
#[server(prefix = "/api/v1", endpoint = "tcss/images", input = Json)]
pub async fn tcss_images(
    account: String,
    #[server(default)] request: DescribeRegistryImagesRequest,
) -> Result<DescribeRegistryImagesResponse, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::read(
        &crate::endpoints::TCSS_IMAGES,
        &account,
        &request,
        async |c: &TcssClient, r| c.describe_registry_images(r).await,
    )
    .await
}

/// `tcss/scan-status`: progress of a registry scan (viewer).
#[server(prefix = "/api/v1", endpoint = "tcss/scan-status", input = Json)]
pub async fn tcss_scan_status(
    account: String,
    #[server(default)] request: RegistryScanStatusRequest,
) -> Result<RegistryScanStatus, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::read(
        &crate::endpoints::TCSS_SCAN_STATUS,
        &account,
        &request,
        async |c: &TcssClient, r| c.registry_scan_status(r).await,
    )
    .await
}

/// `tcss/scan`: scan registry images (operator).
#[server(prefix = "/api/v1", endpoint = "tcss/scan", input = Json)]
pub async fn tcss_scan(
    account: String,
    request: CreateRegistryScanRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<CreateRegistryScanResponse, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::change(
        &crate::endpoints::TCSS_SCAN,
        &account,
        &request,
        idempotency_key,
        async |c: &TcssClient, r| {
            let answer = c.create_registry_scan(r).await?;
            let id = answer.request_id.clone();
            Ok((answer, id))
        },
    )
    .await
}

/// `tcss/scan/stop`: stop a one-key registry scan (operator).
#[server(prefix = "/api/v1", endpoint = "tcss/scan/stop", input = Json)]
pub async fn tcss_scan_stop(
    account: String,
    request: StopRegistryScanRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Acknowledged, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::change(
        &crate::endpoints::TCSS_SCAN_STOP,
        &account,
        &request,
        idempotency_key,
        async |c: &TcssClient, r| c.stop_registry_scan(r).await.map(Acknowledged::with_id),
    )
    .await
}

/// `tcss/sync`: sync registry assets (operator).
#[server(prefix = "/api/v1", endpoint = "tcss/sync", input = Json)]
pub async fn tcss_sync(
    account: String,
    #[server(default)] request: SyncRegistryAssetsRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Acknowledged, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::change(
        &crate::endpoints::TCSS_SYNC,
        &account,
        &request,
        idempotency_key,
        async |c: &TcssClient, r| c.sync_registry_assets(r).await.map(Acknowledged::with_id),
    )
    .await
}
