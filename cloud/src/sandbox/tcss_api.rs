//! The TCSS endpoint of the sandbox: `POST /`, action in `X-TC-Action`,
//! errors as HTTP 200 with `Response.Error`, as the service does.

use super::limits::Limit;
use super::{SandboxState, TencentKey, faults::Clock};
use crate::credentials::TencentCredentials;
use crate::signing::tencent;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use scanport_wire::tcss::{
    AssetFilter, CreateRegistryScanRequest, DescribeRegistryImagesRequest, ImageProgress,
    RegistryImage, RegistryScanStatusRequest, SortOrder, SyncRegistryAssetsRequest, TimingScanTask,
    UpdateTimingScanRequest,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use std::time::Instant;

/// TCSS refuses a timestamp further than this from its clock.
const MAX_SKEW_SECS: i64 = 5 * 60;
/// Default limit: 20 requests per second per action (per SecretId).
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

/// Why verification failed: the service's error code and message.
type Refusal = (&'static str, &'static str);

/// Checks the TC3 signature; returns the caller's SecretId and the
/// verified action.
fn verify(
    keys: &[TencentKey],
    headers: &HeaderMap,
    body: &[u8],
    now: time::OffsetDateTime,
) -> Result<(String, String), Refusal> {
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
    let now = now.unix_timestamp();
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
    Ok((key.secret_id.clone(), action.to_owned()))
}

async fn dispatch(State(state): State<Arc<SandboxState>>, parts: Parts, body: Bytes) -> Response {
    let now = Clock::of(&parts.extensions);
    let headers = parts.headers;
    let (secret_id, action) = match verify(&state.config.tencent_keys, &headers, &body, now) {
        Ok(verified) => verified,
        Err((code, message)) => return tc_error(code, message),
    };
    // The limit is per action for each account's SecretId: one key's
    // calls never use up another's.
    let limit = Limit {
        key: format!("tc:{secret_id}:{action}"),
        max: CALLS_PER_SECOND,
    };
    if state.config.rate_limits
        && state
            .limits
            .allow_all(&[limit], Duration::from_secs(1))
            .is_err()
    {
        return tc_error(
            "RequestLimitExceeded",
            "Your current request times equals to `20` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.",
        );
    }
    match action.as_str() {
        "DescribeImageRegistryTimingScanTask" => describe_timing_scan(&state),
        "UpdateImageRegistryTimingScanTask" => update_timing_scan(&state, &body),
        "DescribeAssetImageRegistryList" => describe_registry_images(&state, &body),
        "CreateAssetImageRegistryScanTask" => create_registry_scan(&state, &body),
        "DescribeAssetImageRegistryScanStatusOneKey" => registry_scan_status(&state, &body),
        "SyncAssetImageRegistryAsset" => sync_registry_assets(&state, &body),
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
    let req: UpdateTimingScanRequest = match parse(body, UpdateTimingScanRequest::validate) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let mut inventory = state
        .inventory
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    inventory.apply_timing_scan(req);
    ok(json!({}))
}

/// Parses and validates a request body the way TCSS does: a body that does
/// not parse is `InvalidParameter`, a value out of range
/// `InvalidParameterValue`.
fn parse<T: DeserializeOwned>(
    body: &[u8],
    validate: impl Fn(&T) -> Result<(), scanport_wire::FieldError>,
) -> Result<T, Response> {
    let req: T = serde_json::from_slice(body).map_err(|err| {
        let message = format!("The request body is invalid: {err}");
        // TCSS names a missing required field differently from a bad one.
        if err.to_string().starts_with("missing field") {
            tc_error("MissingParameter", &message)
        } else {
            tc_error("InvalidParameter", &message)
        }
    })?;
    validate(&req).map_err(|err| {
        tc_error(
            "InvalidParameterValue",
            &format!("{}: {}", err.field, err.message),
        )
    })?;
    Ok(req)
}

fn inventory(state: &SandboxState) -> std::sync::MutexGuard<'_, super::Inventory> {
    state
        .inventory
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether an image passes the list filters this sandbox understands.
fn matches(image: &RegistryImage, filters: &[AssetFilter]) -> Result<bool, Response> {
    for filter in filters {
        let field = match filter.name.as_str() {
            "ImageName" => image.image_name.as_str(),
            "ImageTag" => image.image_tag.as_str(),
            "Namespace" => image.namespace.as_deref().unwrap_or(""),
            "InstanceName" => image.instance_name.as_deref().unwrap_or(""),
            "RegistryType" => image.registry_type.as_deref().unwrap_or(""),
            other => {
                return Err(tc_error(
                    "InvalidParameterValue",
                    &format!("Filters.Name: unsupported filter {other:?}"),
                ));
            }
        };
        let hit = filter.values.iter().any(|v| {
            if filter.exact_match == Some(true) {
                field == v
            } else {
                field.contains(v.as_str())
            }
        });
        if !hit {
            return Ok(false);
        }
    }
    Ok(true)
}

fn describe_registry_images(state: &SandboxState, body: &[u8]) -> Response {
    let req: DescribeRegistryImagesRequest =
        match parse(body, DescribeRegistryImagesRequest::validate) {
            Ok(req) => req,
            Err(rejection) => return rejection,
        };
    let inv = inventory(state);
    let mut list = Vec::new();
    for image in &inv.tcss_images {
        match matches(image, req.filters.as_deref().unwrap_or_default()) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(rejection) => return rejection,
        }
        if req.only_show_latest == Some(true) && image.is_latest_image != Some(true) {
            continue;
        }
        if req.is_running.is_some_and(|r| image.is_running != Some(r)) {
            continue;
        }
        list.push(image.clone());
    }
    if req.order == Some(SortOrder::Desc) {
        list.reverse();
    }
    let total = list.len();
    let offset = usize::try_from(req.offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(req.limit.unwrap_or(10)).unwrap_or(10);
    let page: Vec<RegistryImage> = list.into_iter().skip(offset).take(limit).collect();
    ok(json!({ "List": page, "TotalCount": total }))
}

fn create_registry_scan(state: &SandboxState, body: &[u8]) -> Response {
    let req: CreateRegistryScanRequest = match parse(body, CreateRegistryScanRequest::validate) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let mut inv = inventory(state);
    let mut ids: Vec<i64> = Vec::new();
    if req.all == Some(true) {
        for image in &inv.tcss_images {
            match matches(image, req.filters.as_deref().unwrap_or_default()) {
                Ok(true) => ids.push(image.id),
                Ok(false) => {}
                Err(rejection) => return rejection,
            }
        }
    } else {
        for id in req.id.iter().flatten() {
            if !inv.tcss_images.iter().any(|i| i.id == *id) {
                return tc_error(
                    "InvalidParameterValue",
                    &format!("Id: image asset {id} does not exist"),
                );
            }
            ids.push(*id);
        }
        for wanted in req.images.iter().flatten() {
            let found = inv.tcss_images.iter().find(|i| {
                Some(&i.image_name) == wanted.image_name.as_ref()
                    && Some(&i.image_tag) == wanted.image_tag.as_ref()
            });
            match found {
                Some(image) => ids.push(image.id),
                None => {
                    return tc_error("InvalidParameterValue", "Images: an image does not exist");
                }
            }
        }
    }
    let excluded = req.exclude_image_list.unwrap_or_default();
    ids.retain(|id| !excluded.contains(id));
    if req.only_scan_latest == Some(true) {
        ids.retain(|id| {
            inv.tcss_images
                .iter()
                .any(|i| i.id == *id && i.is_latest_image == Some(true))
        });
    }
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return tc_error("InvalidParameterValue", "No image matches the selection.");
    }
    let pace = state.config.pace;
    let task = inv.launch_tcss_scan(ids, pace);
    ok(json!({ "TaskID": task }))
}

fn registry_scan_status(state: &SandboxState, body: &[u8]) -> Response {
    let req: RegistryScanStatusRequest = match parse(body, RegistryScanStatusRequest::validate) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let inv = inventory(state);
    let scan = match req.task_id {
        Some(id) => match inv.tcss_scans.iter().find(|s| s.id == id) {
            Some(scan) => Some(scan),
            None => return tc_error("ResourceNotFound", &format!("TaskID {id} does not exist.")),
        },
        None => inv.tcss_scans.last(),
    };
    let Some(scan) = scan else {
        return ok(json!({
            "ImageTotal": 0, "ImageScanCnt": 0, "ImageStatus": [], "SuccessCount": 0,
            "RiskCount": 0, "Schedule": 100, "Status": "Finished", "ScanRemainTime": 0
        }));
    };
    let total = scan.image_ids.len();
    let elapsed = Instant::now().saturating_duration_since(scan.started);
    let done = if scan.pace.is_zero() {
        total
    } else {
        usize::try_from(elapsed.as_nanos() / scan.pace.as_nanos())
            .unwrap_or(usize::MAX)
            .min(total)
    };
    let images: Vec<&RegistryImage> = scan
        .image_ids
        .iter()
        .filter_map(|id| inv.tcss_images.iter().find(|i| i.id == *id))
        .collect();
    let risky = images[..done.min(images.len())]
        .iter()
        .filter(|i| i.vul_cnt.unwrap_or(0) + i.virus_cnt.unwrap_or(0) + i.risk_cnt.unwrap_or(0) > 0)
        .count();
    let progress: Vec<ImageProgress> = images
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let pct = if n < done { 100 } else { 0 };
            ImageProgress {
                image_id: Some(i.id.to_string()),
                registry_type: i.registry_type.clone(),
                image_repo_address: i.image_repo_address.clone(),
                instance_id: i.instance_id.clone(),
                instance_name: i.instance_name.clone(),
                namespace: i.namespace.clone(),
                image_name: Some(i.image_name.clone()),
                image_tag: Some(i.image_tag.clone()),
                scan_status: Some(if n < done { "SCAN_SUCCESS" } else { "SCANNING" }.to_owned()),
                cve_progress: Some(pct),
                risk_progress: Some(pct),
                virus_progress: Some(pct),
            }
        })
        .collect();
    let remaining = scan.pace.as_secs_f64() * (total - done) as f64;
    ok(json!({
        "ImageTotal": total,
        "ImageScanCnt": done,
        "ImageStatus": progress,
        "SuccessCount": done,
        "RiskCount": risky,
        "Schedule": done * 100 / total.max(1),
        "Status": if done == total { "Finished" } else { "Scanning" },
        "ScanRemainTime": remaining.ceil() as i64,
    }))
}

fn sync_registry_assets(_state: &SandboxState, body: &[u8]) -> Response {
    let req: SyncRegistryAssetsRequest = match parse(body, SyncRegistryAssetsRequest::validate) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    // The sandbox's TCSS side has registries 1 (tcr), 2 (ccr) and 3 (harbor).
    if let Some(bad) = req
        .registry_ids
        .iter()
        .flatten()
        .find(|id| !(1..=3).contains(*id))
    {
        return tc_error(
            "InvalidParameterValue",
            &format!("RegistryIds: registry {bad} does not exist"),
        );
    }
    ok(json!({}))
}
