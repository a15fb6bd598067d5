//! The sandbox: a real HTTP server that speaks the HSS wire protocol (and,
//! as it grows, TCSS), verifies every signature as the services do, and
//! answers from a seeded in-memory inventory. It is Scanport's embedded
//! default when no cloud account is configured, and the tests' upstream.

// Handlers return an early `Response` as their error: the idiom of the
// service they imitate, and no hot path.
#![allow(clippy::result_large_err)]

mod faults;
mod findings;
mod hss_api;
mod hss_policy;
mod hss_registry_images;
mod huawei_auth;
mod inventory;
mod limits;
mod request_log;
mod tcss_api;
mod tcss_registries;
mod vulnerabilities;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::get;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

pub use faults::Faults;
pub use inventory::Inventory;
pub use limits::Lockout;
pub use request_log::LoggedRequest;

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
    /// Huawei's AK lockout after signature failures in a row (on by
    /// default: 5 failures lock the AK for 5 minutes).
    pub lockout: Lockout,
    /// Time a launched task spends per image (a 10-image scan takes tens of
    /// seconds by default; tests shorten it).
    pub pace: Duration,
    /// The `null_percent` fault it starts with (0..=100, 0 by default):
    /// that share of TCSS answers send the members Tencent documents as
    /// "may return null" as `null`.
    pub null_percent: u8,
    /// What a `/__sandbox/*` control request must send in
    /// [`CONTROL_HEADER`]: a fresh random one unless the caller sets it.
    pub control_token: String,
}

/// The header that carries [`SandboxConfig::control_token`].
pub const CONTROL_HEADER: &str = "x-sandbox-token";

/// The variable that sets the control token of a sandbox the console or
/// `scanport sandbox` starts (tests and scripts that drive its faults).
pub const CONTROL_TOKEN_ENV: &str = "SCANPORT_SANDBOX_CONTROL_TOKEN";

/// The control token from [`CONTROL_TOKEN_ENV`], else a fresh random one.
pub fn control_token_from_env() -> String {
    std::env::var(CONTROL_TOKEN_ENV)
        .ok()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(random_control_token)
}

/// A fresh control token: 32 hex digits.
pub fn random_control_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl SandboxConfig {
    pub fn new(huawei_keys: Vec<HuaweiKey>, tencent_keys: Vec<TencentKey>) -> Self {
        Self {
            huawei_keys,
            tencent_keys,
            seed: 1,
            rate_limits: true,
            lockout: Lockout::default(),
            pace: Duration::from_secs(3),
            null_percent: 0,
            control_token: random_control_token(),
        }
    }
}

/// Shared by every handler.
pub(crate) struct SandboxState {
    pub config: SandboxConfig,
    pub inventory: Mutex<Inventory>,
    pub limits: limits::SlidingWindows,
    pub lockouts: limits::Lockouts,
    pub faults: Mutex<Faults>,
    pub calls: Mutex<BTreeMap<String, u64>>,
    pub requests: request_log::RequestLog,
    /// Draws for [`Faults::null_percent`], seeded like the inventory.
    pub null_draws: Mutex<StdRng>,
}

impl SandboxState {
    /// Whether this answer carries documented nulls (the `null_percent`
    /// fault).
    pub fn draw_documented_nulls(&self) -> bool {
        let percent = self
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .null_percent;
        percent > 0
            && self
                .null_draws
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .random_range(0..100u8)
                < percent
    }
}

/// The sandbox's routes, for mounting or for `oneshot` tests.
pub fn router(config: SandboxConfig) -> Router {
    let state = Arc::new(SandboxState {
        inventory: Mutex::new(Inventory::generate(config.seed, config.pace)),
        limits: limits::SlidingWindows::default(),
        lockouts: limits::Lockouts::default(),
        faults: Mutex::new(Faults {
            null_percent: config.null_percent.min(100),
            ..Faults::default()
        }),
        calls: Mutex::new(BTreeMap::new()),
        requests: request_log::RequestLog::default(),
        null_draws: Mutex::new(StdRng::seed_from_u64(config.seed)),
        config,
    });
    // Test-only controls, never behind the services' authentication but
    // behind the control token: whoever reaches the port must also know it.
    let token: Arc<str> = state.config.control_token.as_str().into();
    let admin = Router::new()
        .route(
            "/__sandbox/faults",
            get(faults::get_faults).put(faults::put_faults),
        )
        .route("/__sandbox/stats", get(faults::get_stats))
        .route("/__sandbox/requests", get(request_log::get_requests))
        .with_state(state.clone())
        .layer(middleware::from_fn(move |request, next| {
            require_control_token(Arc::clone(&token), request, next)
        }));
    hss_api::routes(state.clone())
        .merge(tcss_api::routes(state.clone()))
        // The gateway's body limit, not axum's default of 2 MB.
        .layer(DefaultBodyLimit::max(hss_api::MAX_BODY))
        .layer(middleware::from_fn_with_state(state, faults::inject))
        .layer(middleware::from_fn(request_log::record))
        .merge(admin)
}

/// Refuses a control request without the token (401, saying where the
/// token is).
async fn require_control_token(
    token: Arc<str>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let sent = request
        .headers()
        .get(CONTROL_HEADER)
        .and_then(|v| v.to_str().ok());
    if sent == Some(&*token) {
        return next.run(request).await;
    }
    (
        axum::http::StatusCode::UNAUTHORIZED,
        format!(
            "the sandbox's controls need the {CONTROL_HEADER} header with the control token \
             it printed at its start"
        ),
    )
        .into_response()
}

/// A running sandbox.
#[derive(Debug)]
pub struct RunningSandbox {
    pub addr: SocketAddr,
    /// What its `/__sandbox/*` controls need in [`CONTROL_HEADER`].
    pub control_token: String,
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
    let control_token = config.control_token.clone();
    let app = router(config).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!(%err, "sandbox stopped");
        }
    });
    Ok(RunningSandbox {
        addr,
        control_token,
    })
}
