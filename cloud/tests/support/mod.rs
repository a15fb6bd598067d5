//! What the cloud crate's integration tests share: HTTP settings, call
//! budgets, and a sandbox or fake upstream on a free loopback port.
// Each test binary uses its own subset.
#![allow(dead_code)]

use scanport_cloud::HttpSettings;
use scanport_cloud::budget::RateBudget;
use scanport_sandbox::SandboxConfig;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Short timeouts (loopback answers at once) and `read_retries` retries.
pub fn settings(read_retries: u32) -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        read_retries,
        ..HttpSettings::default()
    }
}

/// A client-side budget of `calls` per minute per API.
pub fn budget(calls: u32) -> Arc<RateBudget> {
    Arc::new(RateBudget::new(
        NonZeroU32::new(calls).expect("nonzero"),
        Duration::from_secs(60),
    ))
}

/// A budget that never gets in the way of a test.
pub fn generous() -> Arc<RateBudget> {
    budget(6000)
}

/// The control token of every sandbox [`spawn_sandbox`] starts.
pub const CONTROL_TOKEN: &str = "cloud-tests-control-token";

/// A request to one of the sandbox's `/__sandbox/*` controls, with its token.
pub fn control(method: reqwest::Method, endpoint: &str, control: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("{endpoint}/__sandbox/{control}"))
        .header(scanport_sandbox::CONTROL_HEADER, CONTROL_TOKEN)
}

/// Starts the sandbox on a free loopback port, scans pacing 40 ms an image
/// so tasks finish within a test; answers its endpoint.
pub async fn spawn_sandbox(mut config: SandboxConfig) -> String {
    config.pace = Duration::from_millis(40);
    config.control_token = CONTROL_TOKEN.to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    scanport_sandbox::spawn(listener, config)
        .expect("spawn")
        .endpoint()
}

/// Serves `app` on a free loopback port; answers its `http://` address.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}")
}
