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
    crate::auth::require(scanport_portal::Role::Viewer)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    Ok(state
        .tcss(Some(&account))?
        .describe_registry_images(&request)
        .await?)
}

/// `tcss/scan-status`: progress of a registry scan (viewer).
#[server(prefix = "/api/v1", endpoint = "tcss/scan-status", input = Json)]
pub async fn tcss_scan_status(
    account: String,
    #[server(default)] request: RegistryScanStatusRequest,
) -> Result<RegistryScanStatus, AppError> {
    crate::auth::require(scanport_portal::Role::Viewer)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    Ok(state
        .tcss(Some(&account))?
        .registry_scan_status(&request)
        .await?)
}

/// `tcss/scan`: scan registry images (operator).
#[server(prefix = "/api/v1", endpoint = "tcss/scan", input = Json)]
pub async fn tcss_scan(
    account: String,
    request: CreateRegistryScanRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<CreateRegistryScanResponse, AppError> {
    use crate::ops::{Mutation, mutate};
    let caller = crate::auth::require(scanport_portal::Role::Operator)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = state.tcss(Some(&account))?;
    mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: "tcss/scan",
            account: &account,
            request: &request,
            idempotency_key,
        },
        || async {
            let answer = client.create_registry_scan(&request).await?;
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
    use crate::ops::{Mutation, mutate};
    let caller = crate::auth::require(scanport_portal::Role::Operator)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = state.tcss(Some(&account))?;
    mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: "tcss/scan/stop",
            account: &account,
            request: &request,
            idempotency_key,
        },
        || async {
            let answer = client.stop_registry_scan(&request).await?;
            let id = answer.request_id.clone();
            Ok((answer, id))
        },
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
    use crate::ops::{Mutation, mutate};
    let caller = crate::auth::require(scanport_portal::Role::Operator)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = state.tcss(Some(&account))?;
    mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: "tcss/sync",
            account: &account,
            request: &request,
            idempotency_key,
        },
        || async {
            let answer = client.sync_registry_assets(&request).await?;
            let id = answer.request_id.clone();
            Ok((answer, id))
        },
    )
    .await
}
