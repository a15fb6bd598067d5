use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::tcss::{
    DescribeNamespacesRequest, DescribeRegistriesRequest, DescribeRegistriesResponse,
    NamespaceList, RegistrySyncStatus, RegistrySyncStatusRequest,
};

/// `tcss/registries`: connected registries (viewer).
#[server(prefix = "/api/v1", endpoint = "tcss/registries", input = Json)]
pub async fn tcss_registries(
    account: String,
    #[server(default)] request: DescribeRegistriesRequest,
) -> Result<DescribeRegistriesResponse, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::read(
        &crate::endpoints::TCSS_REGISTRIES,
        &account,
        &request,
        async |c: &TcssClient, r| c.describe_registries(r).await,
    )
    .await
}

/// `tcss/sync-status`: how the latest registry sync goes (viewer).
#[server(prefix = "/api/v1", endpoint = "tcss/sync-status", input = Json)]
pub async fn tcss_sync_status(
    account: String,
    #[server(default)] request: RegistrySyncStatusRequest,
) -> Result<RegistrySyncStatus, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::read(
        &crate::endpoints::TCSS_SYNC_STATUS,
        &account,
        &request,
        async |c: &TcssClient, r| c.registry_sync_status(r).await,
    )
    .await
}

/// `tcss/namespaces`: the registries' namespaces (viewer).
#[server(prefix = "/api/v1", endpoint = "tcss/namespaces", input = Json)]
pub async fn tcss_namespaces(
    account: String,
    #[server(default)] request: DescribeNamespacesRequest,
) -> Result<NamespaceList, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::read(
        &crate::endpoints::TCSS_NAMESPACES,
        &account,
        &request,
        async |c: &TcssClient, r| c.describe_namespaces(r).await,
    )
    .await
}
