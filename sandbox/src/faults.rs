//! Faults on demand, for tests: latency, 5xx bursts, throttling, hangs,
//! malformed answers and a skewed clock, switched through
//! `PUT /__sandbox/faults`. Also counts the calls each API received
//! (`GET /__sandbox/stats`) and logs them (`GET /__sandbox/requests`), so
//! tests can see how often and how the console called upstream.

use super::{SandboxState, request_log};
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
    /// With `throttle`: the HSS answer's `Retry-After`, as given (either
    /// form: `"7"` or an HTTP date); none by default.
    pub retry_after: Option<String>,
    /// Refuse every call's key, as the services do a wrong secret
    /// (`APIGW.0301`, `AuthFailure.SignatureFailure`); these refusals do not
    /// count towards the AK lockout.
    pub refuse_auth: bool,
    /// Accept calls and never answer.
    pub hang: bool,
    /// Answer 200 with a body that is not JSON.
    pub malformed: bool,
    /// Answer the next this many calls with HTTP 500 / `InternalError`
    /// (a burst that ends by itself; counts down as calls arrive).
    pub fail_next: u32,
    /// The sandbox's clock runs this many seconds ahead (negative: behind)
    /// of the real one: signatures are checked against it and its `Date`
    /// header shows it, as a service with a drifted clock would.
    pub clock_skew_secs: i64,
    /// Share of TCSS answers (0..=100) in which every member Tencent
    /// documents as "may return null" is `null`. Which answers is drawn
    /// from the sandbox's seed, so the same seed and calls repeat.
    pub null_percent: u8,
}

/// The sandbox's clock for one call (the real one moved by
/// [`Faults::clock_skew_secs`]), put in the request's extensions for the
/// signature checks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock(pub time::OffsetDateTime);

impl Clock {
    /// The clock of `extensions`, or the real one.
    pub fn of(extensions: &axum::http::Extensions) -> time::OffsetDateTime {
        extensions
            .get::<Self>()
            .map_or_else(time::OffsetDateTime::now_utc, |c| c.0)
    }
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

/// Applies the current faults before a call reaches its handler, and logs
/// the call and its answer.
pub(crate) async fn inject(
    State(state): State<Arc<SandboxState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let api = api_name(&request);
    count_call(&state, api.clone());
    let target = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    let seq = state
        .requests
        .arrived(api, request.method().as_str(), &target, request.headers());
    let tencent = request.uri().path() == "/";
    let faults = {
        let mut current = state
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let faults = current.clone();
        current.fail_next = current.fail_next.saturating_sub(1);
        faults
    };
    let skew = time::Duration::seconds(faults.clock_skew_secs);
    request
        .extensions_mut()
        .insert(Clock(time::OffsetDateTime::now_utc() + skew));
    let mut response = answer(&faults, tencent, request, next).await;
    if faults.clock_skew_secs != 0 {
        let (now, shift) = (
            std::time::SystemTime::now(),
            Duration::from_secs(faults.clock_skew_secs.unsigned_abs()),
        );
        let date = if faults.clock_skew_secs > 0 {
            now.checked_add(shift)
        } else {
            now.checked_sub(shift)
        };
        if let Some(value) = date.and_then(|d| httpdate::fmt_http_date(d).parse().ok()) {
            // hyper adds its own `Date` only when the answer has none.
            response
                .headers_mut()
                .insert(axum::http::header::DATE, value);
        }
    }
    // TCSS carries its request id in the body: read it (the sandbox's
    // answers are small) and put the body back.
    let (parts, body) = response.into_parts();
    let (request_id, body) = if tencent {
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        (
            request_log::request_id_of(&parts.headers, Some(&bytes)),
            axum::body::Body::from(bytes),
        )
    } else {
        (request_log::request_id_of(&parts.headers, None), body)
    };
    state
        .requests
        .answered(seq, parts.status.as_u16(), request_id);
    Response::from_parts(parts, body)
}

/// The answer under `faults`: a fault's, or the handler's.
async fn answer(faults: &Faults, tencent: bool, request: Request, next: Next) -> Response {
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
            {
                let mut response = super::hss_api::hss_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "APIGW.0308",
                    "The throttling threshold has been reached",
                );
                if let Some(value) = faults.retry_after.as_deref().and_then(|v| v.parse().ok()) {
                    response
                        .headers_mut()
                        .insert(axum::http::header::RETRY_AFTER, value);
                }
                response
            }
        };
    }
    if faults.refuse_auth {
        return if tencent {
            super::tcss_api::tc_error(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            )
        } else {
            super::huawei_auth::rejection("verify aksk signature fail")
        };
    }
    let fail = faults.fail_next > 0
        || (faults.fail_percent > 0 && rand::random_range(0..100u8) < faults.fail_percent);
    if fail {
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
