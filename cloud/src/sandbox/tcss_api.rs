//! The TCSS endpoint of the sandbox: `POST /`, action in `X-TC-Action`,
//! errors as HTTP 200 with `Response.Error`, as the service does.

use super::{SandboxState, TencentKey};
use crate::credentials::TencentCredentials;
use crate::signing::tencent;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use scanport_wire::tcss::{TimingScanTask, UpdateTimingScanRequest};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// TCSS refuses a timestamp further than this from its clock.
const MAX_SKEW_SECS: i64 = 5 * 60;
/// Default limit: 20 requests per second per action.
const CALLS_PER_SECOND: usize = 20;

pub(crate) fn routes(state: Arc<SandboxState>) -> Router {
    Router::new().route("/", post(dispatch)).with_state(state)
}

fn request_id() -> String {
    let n = rand::random::<u128>();
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        n >> 96,
        (n >> 80) & 0xffff,
        (n >> 64) & 0xffff,
        (n >> 48) & 0xffff,
        n & 0xffff_ffff_ffff
    )
}

fn ok(mut response: Value) -> Response {
    response["RequestId"] = json!(request_id());
    Json(json!({ "Response": response })).into_response()
}

pub(crate) fn tc_error(code: &str, message: &str) -> Response {
    Json(json!({
        "Response": {
            "Error": { "Code": code, "Message": message },
            "RequestId": request_id(),
        }
    }))
    .into_response()
}

/// Checks the TC3 signature; returns the verified action.
/// Why verification failed: the service's error code and message.
type Refusal = (&'static str, &'static str);

fn verify(keys: &[TencentKey], headers: &HeaderMap, body: &[u8]) -> Result<String, Refusal> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let failure = |m: &'static str| ("AuthFailure.SignatureFailure", m);
    let auth = header("authorization")
        .and_then(tencent::parse_authorization)
        .ok_or_else(|| {
            failure("The provided credentials could not be validated (malformed Authorization).")
        })?;
    let key = keys.iter().find(|k| k.secret_id == auth.secret_id).ok_or((
        "AuthFailure.SecretIdNotFound",
        "The SecretId is not found, please ensure that your SecretId is correct.",
    ))?;
    let timestamp: i64 = header("x-tc-timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| failure("X-TC-Timestamp is missing or malformed."))?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if (now - timestamp).abs() > MAX_SKEW_SECS {
        return Err((
            "AuthFailure.SignatureExpire",
            "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
        ));
    }
    let action = header("x-tc-action").ok_or(("MissingParameter", "X-TC-Action is missing."))?;
    let parts = tencent::RequestParts {
        host: header("host").unwrap_or_default(),
        service: auth.service,
        action,
        version: header("x-tc-version").unwrap_or_default(),
        region: header("x-tc-region").unwrap_or_default(),
        timestamp,
        body,
    };
    let expected = tencent::sign(
        &TencentCredentials::new(&key.secret_id, &key.secret_key),
        &parts,
    );
    let expected_sig =
        tencent::parse_authorization(&expected.authorization).map(|a| a.signature.to_owned());
    let content_type_ok = header("content-type").is_some_and(|v| v == tencent::CONTENT_TYPE);
    if !content_type_ok
        || auth.signed_headers != tencent::SIGNED_HEADERS
        || auth.date != tencent::utc_date(timestamp)
        || expected_sig.as_deref() != Some(auth.signature)
    {
        return Err(failure(
            "The provided credentials could not be validated. Please check your signature is correct.",
        ));
    }
    Ok(action.to_owned())
}

async fn dispatch(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let action = match verify(&state.config.tencent_keys, &headers, &body) {
        Ok(action) => action,
        Err((code, message)) => return tc_error(code, message),
    };
    if state.config.rate_limits
        && !state.limits.allow(
            format!("tc:{action}"),
            CALLS_PER_SECOND,
            Duration::from_secs(1),
        )
    {
        return tc_error(
            "RequestLimitExceeded",
            "Your current request times equals to `20` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.",
        );
    }
    match action.as_str() {
        "DescribeImageRegistryTimingScanTask" => describe_timing_scan(&state),
        "UpdateImageRegistryTimingScanTask" => update_timing_scan(&state, &body),
        other => tc_error(
            "InvalidAction",
            &format!("The action `{other}` is not supported by this sandbox."),
        ),
    }
}

fn describe_timing_scan(state: &SandboxState) -> Response {
    let schedule: TimingScanTask = state
        .inventory
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .timing_scan
        .clone();
    match serde_json::to_value(schedule) {
        Ok(value) => ok(value),
        Err(_) => tc_error("InternalError", "internal error"),
    }
}

fn update_timing_scan(state: &SandboxState, body: &[u8]) -> Response {
    let req: UpdateTimingScanRequest = match serde_json::from_slice(body) {
        Ok(req) => req,
        Err(err) => {
            return tc_error(
                "InvalidParameter",
                &format!("The request body is invalid: {err}"),
            );
        }
    };
    if let Err(err) = req.validate() {
        return tc_error(
            "InvalidParameterValue",
            &format!("{}: {}", err.field, err.message),
        );
    }
    let mut inventory = state
        .inventory
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    inventory.apply_timing_scan(req);
    ok(json!({}))
}
