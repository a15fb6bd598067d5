//! Changes run to their end. A client that hangs up mid-launch (a closed
//! tab, a script's timeout, a proxy's) makes hyper drop the handler's
//! future; a launch dropped between its upstream call and its audit
//! `finish` would leave the row `pending` (later `interrupted`) although
//! the cloud acted, and its `Idempotency-Key` claimed for 24 hours. So a
//! change endpoint's handler runs as its own task: dropping the request
//! drops only the wait for it, never the work.

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use scanport_app::endpoints::{self, Kind};
use tracing::Instrument;

/// Whether `request` calls a catalogued change endpoint.
fn is_change(request: &Request) -> bool {
    request.method() == Method::POST
        && request
            .uri()
            .path()
            .strip_prefix("/api/v1/")
            .and_then(endpoints::find)
            .is_some_and(|e| matches!(e.kind, Kind::Change { .. }))
}

/// Runs a change endpoint's handler detached from the connection; reads
/// and pages are left as they are (a dropped read should stop).
pub async fn run_changes_to_their_end(request: Request, next: Next) -> Response {
    if !is_change(&request) {
        return next.run(request).await;
    }
    // The task keeps the request's span, so its log lines keep its id.
    match tokio::spawn(next.run(request).in_current_span()).await {
        Ok(response) => response,
        Err(err) => {
            tracing::error!(error = %err, "a change endpoint's task failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the change stopped unexpectedly; check the audit log",
            )
                .into_response()
        }
    }
}
