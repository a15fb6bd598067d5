use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::live::TcssScanSnapshot;

/// A TCSS account's latest one-key registry scan (the first Tencent
/// account when none is named), from the account's shared snapshot:
/// reading it costs the cloud nothing.
#[server(prefix = "/api/v1", endpoint = "live/tcss-scan", input = Json)]
pub async fn live_tcss_scan(account: Option<String>) -> Result<TcssScanSnapshot, AppError> {
    use std::time::Duration;
    crate::ops::authorize(&crate::endpoints::LIVE_TCSS_SCAN)?;
    let state = crate::state::app_state()?;
    let hub = state.tcss_hub(account.as_deref())?;
    // The first read waits for the hub's first poll.
    let snapshot = hub
        .current((), Duration::from_secs(20))
        .await
        .ok_or(AppError::TimedOut { request_id: None })?;
    Ok(snapshot.snapshot.clone())
}
