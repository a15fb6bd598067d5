use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::tcss::{Acknowledged, TimingScanTask, UpdateTimingScanRequest};

/// `tcss/timing-scan`: the registry scan schedule (viewer).
#[server(prefix = "/api/v1", endpoint = "tcss/timing-scan", input = Json)]
pub async fn tcss_timing_scan(
    account: String,
    #[server(default)] request: Option<serde_json::Value>,
) -> Result<TimingScanTask, AppError> {
    crate::ops::authorize(&crate::endpoints::TCSS_TIMING_SCAN)?;
    // The upstream action takes no parameters.
    if request
        .as_ref()
        .is_some_and(|r| r.as_object().is_none_or(|o| !o.is_empty()))
    {
        return Err(AppError::invalid(
            "request",
            "takes no parameters: send {} or omit it",
        ));
    }
    let state = crate::state::app_state()?;
    let client = state.tcss(Some(&account))?;
    Ok(crate::ops::as_caller(client.describe_timing_scan()).await?)
}

/// `tcss/timing-scan/update`: change the schedule (operator).
#[server(prefix = "/api/v1", endpoint = "tcss/timing-scan/update", input = Json)]
pub async fn tcss_update_timing_scan(
    account: String,
    request: UpdateTimingScanRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Acknowledged, AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::change(
        &crate::endpoints::TCSS_TIMING_SCAN_UPDATE,
        &account,
        &request,
        idempotency_key,
        async |c: &TcssClient, r| c.update_timing_scan(r).await.map(Acknowledged::with_id),
    )
    .await
}
