use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{
    ListImagesRequest, ListImagesResponse, ListRegistriesRequest, ListRegistriesResponse,
    ListTasksRequest, ListTasksResponse,
};

/// `hss/tasks`: scan or sync tasks, from the cloud (viewer).
#[server(prefix = "/api/v1", endpoint = "hss/tasks", input = Json)]
pub async fn hss_tasks(
    account: String,
    request: ListTasksRequest,
) -> Result<ListTasksResponse, AppError> {
    crate::auth::require(scanport_portal::Role::Viewer)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    Ok(state.hss(Some(&account))?.list_tasks(&request).await?)
}

/// `hss/images`: the SWR image list (viewer).
#[server(prefix = "/api/v1", endpoint = "hss/images", input = Json)]
pub async fn hss_images(
    account: String,
    request: ListImagesRequest,
) -> Result<ListImagesResponse, AppError> {
    crate::auth::require(scanport_portal::Role::Viewer)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    Ok(state.hss(Some(&account))?.list_images(&request).await?)
}

/// `hss/registries`: connected registries (viewer).
#[server(prefix = "/api/v1", endpoint = "hss/registries", input = Json)]
pub async fn hss_registries(
    account: String,
    #[server(default)] request: ListRegistriesRequest,
) -> Result<ListRegistriesResponse, AppError> {
    crate::auth::require(scanport_portal::Role::Viewer)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    Ok(state.hss(Some(&account))?.list_registries(&request).await?)
}
