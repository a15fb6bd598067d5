//! `GET /metrics`: Prometheus's text format, for admins' tokens and for
//! the addresses in `web.metrics_allow`. The recorder is process-wide
//! (the `metrics` facade); the cloud crate's metrics are named in
//! `scanport_cloud::telemetry`, the server's here. README "Metrics" lists
//! them all.

use axum::extract::{Extension, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use scanport_app::auth::ClientAddr;
use scanport_app::state::AppState;
use scanport_portal::{Principal, Role};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// HTTP requests by route and status.
pub const HTTP_REQUESTS: &str = "scanport_http_requests_total";
/// Time to the answer's headers, by route.
pub const HTTP_DURATION: &str = "scanport_http_request_duration_seconds";
/// Live streams open now.
pub const LIVE_STREAMS: &str = "scanport_live_streams_open";
/// Seconds since each account's live feed last got an answer.
pub const SNAPSHOT_AGE: &str = "scanport_snapshot_age_seconds";
/// Sign-ins by outcome.
pub const SIGN_INS: &str = "scanport_sign_ins_total";

/// Latency buckets (seconds): a page or API answer is milliseconds; a
/// cloud call can take its whole timeout.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed on first use (by the server at start,
/// or by the first test console of a test process).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_owned()), BUCKETS)
            .expect("the buckets are not empty");
        builder.install_recorder().unwrap_or_else(|err| {
            // Only if something else installed a recorder first: serve an
            // empty page rather than fail to start.
            tracing::warn!(%err, "metrics recorder not installed");
            PrometheusBuilder::new().build_recorder().handle()
        })
    })
}

/// Who may read `/metrics` besides admins.
#[derive(Debug, Clone, Default)]
pub struct MetricsAccess {
    pub allow: Arc<Vec<IpNet>>,
}

/// `GET /metrics`.
pub async fn serve_metrics(
    Extension(state): Extension<AppState>,
    Extension(access): Extension<MetricsAccess>,
    caller: Option<Extension<Principal>>,
    request: Request,
) -> Response {
    let from = request.extensions().get::<ClientAddr>().map(|a| a.0);
    let allowed_address = from.is_some_and(|ip| access.allow.iter().any(|n| n.contains(&ip)));
    match caller {
        _ if allowed_address => {}
        Some(Extension(p)) if p.role == Role::Admin => {}
        Some(_) => return (StatusCode::FORBIDDEN, "metrics are for admins\n").into_response(),
        None => {
            return (
                StatusCode::UNAUTHORIZED,
                "metrics need an admin's token or an address in web.metrics_allow\n",
            )
                .into_response();
        }
    }
    record_snapshot_ages(&state);
    let mut response = handle().render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// Each account feed's age, as of this scrape.
fn record_snapshot_ages(state: &AppState) {
    let now_ms = scanport_wire::clock::now_ms();
    let hss = state
        .hubs
        .hss
        .iter()
        .flat_map(|(account, hub)| hub.last_answers().into_iter().map(move |a| (account, a)));
    let tcss = state
        .hubs
        .tcss
        .iter()
        .flat_map(|(account, hub)| hub.last_answers().into_iter().map(move |a| (account, a)));
    for (account, (feed, at_ms)) in hss.chain(tcss) {
        let age = (now_ms - at_ms).max(0) as f64 / 1000.0;
        metrics::gauge!(SNAPSHOT_AGE, "account" => account.clone(), "feed" => feed).set(age);
    }
}

/// One answered request.
pub fn http_request(path: &str, status: u16, took: Duration) {
    let route = route_label(path);
    metrics::counter!(HTTP_REQUESTS, "route" => route, "status" => status.to_string()).increment(1);
    metrics::histogram!(HTTP_DURATION, "route" => route).record(took.as_secs_f64());
}

/// A sign-in's outcome: `ok`, `refused` (wrong name or password, or a
/// disabled user), `throttled`, `busy` (hashing queue full), `error` (the
/// database failed).
pub fn sign_in(outcome: &'static str) {
    metrics::counter!(SIGN_INS, "outcome" => outcome).increment(1);
}

/// Counts a live stream as open until dropped.
#[derive(Debug)]
pub struct OpenStream(());

impl OpenStream {
    pub fn count() -> Self {
        metrics::gauge!(LIVE_STREAMS).increment(1.0);
        Self(())
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!(LIVE_STREAMS).decrement(1.0);
    }
}

/// The route a path belongs to, from a fixed set (a label per URL would
/// let any client grow the metrics without bound): a page's first
/// segment, a catalogued API endpoint's name, or one of a few others.
fn route_label(path: &str) -> &'static str {
    const FIXED: &[&str] = &[
        "/",
        "/healthz",
        "/readyz",
        "/metrics",
        "/login",
        "/logout",
        "/setup",
        "/preferences",
        "/api/v1/events/tasks",
        "/api/v1/admin/audit.csv",
        "/api/v1/export/tasks.csv",
        "/api/v1/export/failed-images.csv",
        "/api/v1/export/image-vulnerabilities.csv",
    ];
    const PAGES: &[&str] = &[
        "/tasks",
        "/images",
        "/image",
        "/registries",
        "/schedule",
        "/admin",
    ];
    if let Some(fixed) = FIXED.iter().find(|f| **f == path) {
        return fixed;
    }
    if let Some(rest) = path.strip_prefix("/api/v1/") {
        // An endpoint is named as the catalogue names it (`hss/images`).
        return scanport_app::endpoints::find(rest).map_or("/api/other", |e| e.path);
    }
    if path.starts_with("/api/") {
        return "/api/other";
    }
    if path.starts_with("/pkg/") {
        return "/pkg";
    }
    let first = path.trim_start_matches('/').split('/').next();
    PAGES
        .iter()
        .find(|p| Some(p.trim_start_matches('/')) == first)
        .copied()
        .unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_a_fixed_set() {
        assert_eq!(route_label("/tasks/tcss"), "/tasks");
        assert_eq!(route_label("/image"), "/image");
        assert_eq!(route_label("/api/v1/hss/images"), "hss/images");
        assert_eq!(route_label("/api/v1/no/such/thing"), "/api/other");
        assert_eq!(route_label("/pkg/scanport.wasm"), "/pkg");
        assert_eq!(route_label("/../../etc/passwd"), "other");
        assert_eq!(route_label("/"), "/");
        assert_eq!(route_label("/api/v1/events/tasks"), "/api/v1/events/tasks");
    }
}
