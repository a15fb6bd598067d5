use crate::error::AppError;
use crate::server_fns::Empty;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{ScanPolicy, ScanPolicyRequest, UpdateScanPolicyRequest};

/// `hss/scan-policy`: the scheduled (or manual) scan policy (viewer).
#[server(prefix = "/api/v1", endpoint = "hss/scan-policy", input = Json)]
pub async fn hss_scan_policy(
    account: String,
    request: ScanPolicyRequest,
) -> Result<ScanPolicy, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::read(
        &crate::endpoints::HSS_SCAN_POLICY,
        &account,
        &request,
        async |c: &HssClient, r| c.scan_policy(r).await,
    )
    .await
}

/// `hss/scan-policy/update`: change the scheduled scan policy (operator).
#[server(prefix = "/api/v1", endpoint = "hss/scan-policy/update", input = Json)]
pub async fn hss_update_scan_policy(
    account: String,
    request: UpdateScanPolicyRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::change(
        &crate::endpoints::HSS_SCAN_POLICY_UPDATE,
        &account,
        &request,
        idempotency_key,
        async |c: &HssClient, r| c.update_scan_policy(r).await.map(|()| (Empty {}, None)),
    )
    .await
}
