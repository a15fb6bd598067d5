//! Faults on demand, for tests: latency, 5xx bursts, throttling, hangs and
//! malformed answers, switched through `PUT /__sandbox/faults`. Also counts
//! the calls each API received (`GET /__sandbox/stats`), so tests can see
//! how often the console called upstream.

use super::SandboxState;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// What is currently broken. The default is nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Added before every answer.
    pub latency_ms: u64,
    /// Share of calls (0..=100) answered with HTTP 500 / `InternalError`.
    pub fail_percent: u8,
    /// Answer every call with the service's throttling error.
    pub throttle: bool,
    /// Accept calls and never answer.
    pub hang: bool,
    /// Answer 200 with a body that is not JSON.
    pub malformed: bool,
}

pub(crate) async fn get_faults(State(state): State<Arc<SandboxState>>) -> Json<Faults> {
    Json(
        state
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone(),
    )
}

pub(crate) async fn put_faults(
    State(state): State<Arc<SandboxState>>,
    Json(faults): Json<Faults>,
) -> Json<Faults> {
    tracing::info!(?faults, "sandbox faults set");
    *state
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = faults.clone();
    Json(faults)
}

/// Calls received per API (`METHOD path-template` or the TCSS action).
pub(crate) async fn get_stats(
    State(state): State<Arc<SandboxState>>,
) -> Json<BTreeMap<String, u64>> {
    Json(
        state
            .calls
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone(),
    )
}

/// `METHOD /path/{template}` for HSS, `tcss Action` for TCSS.
fn api_name(request: &Request) -> String {
    if request.uri().path() == "/" {
        let action = request
            .headers()
            .get("x-tc-action")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("?");
        return format!("tcss {action}");
    }
    let path = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(
            || request.uri().path().to_owned(),
            |p| p.as_str().to_owned(),
        );
    format!("{} {path}", request.method())
}

fn count_call(state: &SandboxState, api: String) {
    *state
        .calls
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry(api)
        .or_default() += 1;
}

/// Applies the current faults before a call reaches its handler.
pub(crate) async fn inject(
    State(state): State<Arc<SandboxState>>,
    request: Request,
    next: Next,
) -> Response {
    count_call(&state, api_name(&request));
    let faults = state
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if faults == Faults::default() {
        return next.run(request).await;
    }
    let tencent = request.uri().path() == "/";
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.hang {
        std::future::pending::<()>().await;
    }
    if faults.throttle {
        return if tencent {
            super::tcss_api::tc_error(
                "RequestLimitExceeded",
                "Your current request times exceed the frequency limit.",
            )
        } else {
            super::hss_api::hss_error(
                StatusCode::TOO_MANY_REQUESTS,
                "APIG.0308",
                "The throttling threshold has been reached",
            )
        };
    }
    if faults.fail_percent > 0 && rand::random_range(0..100u8) < faults.fail_percent {
        return if tencent {
            super::tcss_api::tc_error("InternalError", "An internal error occurred.")
        } else {
            super::hss_api::hss_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "HSS.0004",
                "Internal server error",
            )
        };
    }
    if faults.malformed {
        return (
            StatusCode::OK,
            [("content-type", "application/json")],
            "{\"data_list\": [",
        )
            .into_response();
    }
    next.run(request).await
}
