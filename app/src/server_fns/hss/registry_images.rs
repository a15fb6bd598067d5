use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{
    ListAssociateRegistriesRequest, ListAssociateRegistriesResponse, ListRegistryImagesRequest,
    ListRegistryImagesResponse,
};

/// `hss/registry-images`: images in the connected registries, SWR and
/// third-party (viewer).
#[server(prefix = "/api/v1", endpoint = "hss/registry-images", input = Json)]
pub async fn hss_registry_images(
    account: String,
    #[server(default)] request: ListRegistryImagesRequest,
) -> Result<ListRegistryImagesResponse, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::read(
        &crate::endpoints::HSS_REGISTRY_IMAGES,
        &account,
        &request,
        async |c: &HssClient, r| c.list_registry_images(r).await,
    )
    .await
}

/// `hss/image-sync-tasks/registries`: the registries an image sync task
/// read, and how each went (viewer).
#[server(prefix = "/api/v1", endpoint = "hss/image-sync-tasks/registries", input = Json)]
pub async fn hss_sync_task_registries(
    account: String,
    request: ListAssociateRegistriesRequest,
) -> Result<ListAssociateRegistriesResponse, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::read(
        &crate::endpoints::HSS_SYNC_TASK_REGISTRIES,
        &account,
        &request,
        async |c: &HssClient, r| c.list_associate_registries(r).await,
    )
    .await
}
