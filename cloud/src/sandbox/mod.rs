//! The sandbox: a real HTTP server that speaks the HSS wire protocol (and,
//! as it grows, TCSS), verifies every signature as the services do, and
//! answers from a seeded in-memory inventory. It is Scanport's embedded
//! default when no cloud account is configured, and the tests' upstream.

mod hss_api;
mod huawei_auth;
mod inventory;
mod limits;
mod tcss_api;

use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

pub use inventory::Inventory;

/// A Huawei key pair the sandbox accepts.
#[derive(Clone)]
pub struct HuaweiKey {
    pub ak: String,
    pub sk: String,
}

// The sandbox's keys are secrets like any other: never printed.
impl std::fmt::Debug for HuaweiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HuaweiKey([redacted])")
    }
}

/// A Tencent key pair the sandbox accepts.
#[derive(Clone)]
pub struct TencentKey {
    pub secret_id: String,
    pub secret_key: String,
}

impl std::fmt::Debug for TencentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TencentKey([redacted])")
    }
}

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub huawei_keys: Vec<HuaweiKey>,
    pub tencent_keys: Vec<TencentKey>,
    /// Inventory seed: the same seed gives the same images and tasks.
    pub seed: u64,
    /// Enforce the services' documented rate limits (the default).
    pub rate_limits: bool,
}

impl SandboxConfig {
    pub fn new(huawei_keys: Vec<HuaweiKey>, tencent_keys: Vec<TencentKey>) -> Self {
        Self {
            huawei_keys,
            tencent_keys,
            seed: 1,
            rate_limits: true,
        }
    }
}

/// Shared by every handler.
pub(crate) struct SandboxState {
    pub config: SandboxConfig,
    pub inventory: Mutex<Inventory>,
    pub limits: limits::SlidingWindows,
}

/// The sandbox's routes, for mounting or for `oneshot` tests.
pub fn router(config: SandboxConfig) -> Router {
    let state = Arc::new(SandboxState {
        inventory: Mutex::new(Inventory::generate(config.seed)),
        limits: limits::SlidingWindows::default(),
        config,
    });
    hss_api::routes(state.clone()).merge(tcss_api::routes(state))
}

/// A running sandbox.
#[derive(Debug)]
pub struct RunningSandbox {
    pub addr: SocketAddr,
}

impl RunningSandbox {
    /// The base URL clients should use.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Serves the sandbox on `listener` in a background task.
pub fn spawn(listener: TcpListener, config: SandboxConfig) -> std::io::Result<RunningSandbox> {
    let addr = listener.local_addr()?;
    let app = router(config).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!(%err, "sandbox stopped");
        }
    });
    Ok(RunningSandbox { addr })
}
