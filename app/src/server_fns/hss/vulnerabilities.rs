//! `hss/vulnerabilities`, `hss/vulnerability-images`: the account's
//! vulnerabilities across images and the images one of them affects, as
//! the service answers them (viewer).

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{
    GeneralImageVulList, GeneralImageVulsRequest, VulRepoImageList, VulRepoImageRequest,
};

/// `hss/vulnerabilities`: `ListGeneralImageVuls`.
#[server(prefix = "/api/v1", endpoint = "hss/vulnerabilities", input = Json)]
pub async fn hss_vulnerabilities(
    account: String,
    request: GeneralImageVulsRequest,
) -> Result<GeneralImageVulList, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::read(
        &crate::endpoints::HSS_VULNERABILITIES,
        &account,
        &request,
        async |c: &HssClient, r| c.general_image_vulnerabilities(r).await,
    )
    .await
}

/// `hss/vulnerability-images`: `ListVulRepoImage`.
#[server(prefix = "/api/v1", endpoint = "hss/vulnerability-images", input = Json)]
pub async fn hss_vulnerability_images(
    account: String,
    request: VulRepoImageRequest,
) -> Result<VulRepoImageList, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::read(
        &crate::endpoints::HSS_VULNERABILITY_IMAGES,
        &account,
        &request,
        async |c: &HssClient, r| c.vulnerability_images(r).await,
    )
    .await
}
