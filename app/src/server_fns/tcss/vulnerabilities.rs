//! `tcss/vulnerabilities`, `tcss/web-vulnerabilities`,
//! `tcss/vulnerability-images`: the account's vulnerabilities across
//! registry images (the system's packages, applications') and the images
//! one of them affects, as the service answers them (viewer).

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::tcss::{
    VulList, VulListRequest, VulRegistryImageList, VulRegistryImageListRequest,
};

/// `tcss/vulnerabilities`: `DescribeSystemVulList`.
#[server(prefix = "/api/v1", endpoint = "tcss/vulnerabilities", input = Json)]
pub async fn tcss_vulnerabilities(
    account: String,
    #[server(default)] request: VulListRequest,
) -> Result<VulList, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::read(
        &crate::endpoints::TCSS_VULNERABILITIES,
        &account,
        &request,
        async |c: &TcssClient, r| c.system_vulnerabilities(r).await,
    )
    .await
}

/// `tcss/web-vulnerabilities`: `DescribeWebVulList`.
#[server(prefix = "/api/v1", endpoint = "tcss/web-vulnerabilities", input = Json)]
pub async fn tcss_web_vulnerabilities(
    account: String,
    #[server(default)] request: VulListRequest,
) -> Result<VulList, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::read(
        &crate::endpoints::TCSS_WEB_VULNERABILITIES,
        &account,
        &request,
        async |c: &TcssClient, r| c.web_vulnerabilities(r).await,
    )
    .await
}

/// `tcss/vulnerability-images`: `DescribeVulRegistryImageList`.
#[server(prefix = "/api/v1", endpoint = "tcss/vulnerability-images", input = Json)]
pub async fn tcss_vulnerability_images(
    account: String,
    request: VulRegistryImageListRequest,
) -> Result<VulRegistryImageList, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::read(
        &crate::endpoints::TCSS_VULNERABILITY_IMAGES,
        &account,
        &request,
        async |c: &TcssClient, r| c.vulnerability_images(r).await,
    )
    .await
}
