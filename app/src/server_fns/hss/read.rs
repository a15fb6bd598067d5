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
    use scanport_cloud::hss::HssClient;
    crate::ops::read(
        &crate::endpoints::HSS_TASKS,
        &account,
        &request,
        async |c: &HssClient, r| c.list_tasks(r).await,
    )
    .await
}

/// `hss/images`: the SWR image list (viewer).
#[server(prefix = "/api/v1", endpoint = "hss/images", input = Json)]
pub async fn hss_images(
    account: String,
    request: ListImagesRequest,
) -> Result<ListImagesResponse, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::read(
        &crate::endpoints::HSS_IMAGES,
        &account,
        &request,
        async |c: &HssClient, r| c.list_images(r).await,
    )
    .await
}

/// `hss/registries`: connected registries (viewer).
#[server(prefix = "/api/v1", endpoint = "hss/registries", input = Json)]
pub async fn hss_registries(
    account: String,
    #[server(default)] request: ListRegistriesRequest,
) -> Result<ListRegistriesResponse, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::read(
        &crate::endpoints::HSS_REGISTRIES,
        &account,
        &request,
        async |c: &HssClient, r| c.list_registries(r).await,
    )
    .await
}
