//! The TCSS endpoint of the sandbox: `POST /`, action in `X-TC-Action`,
//! errors as HTTP 200 with `Response.Error`, as the service does.

use super::inventory::{NAMESPACES, is_risky, now_ms, scan_fails};
use super::limits::Limit;
use super::vulnerabilities::{VulListKind, describe_vuls};
use super::{SandboxState, TencentKey, faults::Clock};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use scanport_cloud::credentials::TencentCredentials;
use scanport_cloud::signing::tencent;
use scanport_wire::findings::ImageFindingsRequest;
use scanport_wire::tcss::{
    AssetFilter, CreateRegistryScanRequest, DescribeNamespacesRequest, DescribeRegistriesRequest,
    DescribeRegistryImagesRequest, FILTER_ALL, ImageInfo, ImageProgress, ImageRisk,
    ImageRiskInfoListRequest, ImageVirus, ImageVirusListRequest, ImageVul, ImageVulListRequest,
    NamespaceInfo, RegistryImage, RegistryScanStatusRequest, RegistrySyncStatusRequest, SortOrder,
    StopRegistryScanRequest, SyncRegistryAssetsRequest, TcssRegistry, TimingScanTask,
    UpdateTimingScanRequest, scan_status,
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

/// A handler's answer: the `Response` members, or a refusal.
pub(super) type Answer = Result<Value, Response>;

/// The members of each action's answer that Tencent documents as "may
/// return null" (注意：此字段可能返回 null), as paths: `List[].IsLatestImage`
/// is that member of every item of `List`. The `null_percent` fault sends
/// these as `null`.
const DOCUMENTED_NULLS: &[(&str, &[&str])] = &[
    (
        "DescribeImageRegistryTimingScanTask",
        &[
            "Enable",
            "ScanType",
            "Images",
            "Id",
            "Latest",
            "ScanEndTime",
            "ExcludeImageAssetIds",
            "LastScanTime",
        ],
    ),
    (
        "DescribeAssetImageRegistryList",
        &[
            "List[].ScanVirusError",
            "List[].ScanVulError",
            "List[].ScanRiskError",
            "List[].ScanVirusProgress",
            "List[].ScanVulProgress",
            "List[].ScanRiskProgress",
            "List[].ScanRemainTime",
            "List[].CveStatus",
            "List[].RiskStatus",
            "List[].VirusStatus",
            "List[].Progress",
            "List[].ImageId",
            "List[].ImageCreateTime",
            "List[].IsLatestImage",
            "List[].SensitiveInfoCnt",
        ],
    ),
    (
        "DescribeAssetImageRegistryScanStatusOneKey",
        &["ImageStatus", "ScanRemainTime"],
    ),
];

/// Sets the member at `path` (see [`DOCUMENTED_NULLS`]) to `null`.
fn set_null(value: &mut Value, path: &str) {
    match path.split_once("[].") {
        Some((list, rest)) => {
            if let Some(Value::Array(items)) = value.get_mut(list) {
                items.iter_mut().for_each(|item| set_null(item, rest));
            }
        }
        None => {
            if let Value::Object(map) = value {
                map.insert(path.to_owned(), Value::Null);
            }
        }
    }
}

/// `answer` with every documented-nullable member of `action` null.
pub(crate) fn with_documented_nulls(action: &str, mut answer: Value) -> Value {
    let paths = DOCUMENTED_NULLS
        .iter()
        .find(|(a, _)| *a == action)
        .map_or(&[][..], |(_, p)| *p);
    for path in paths {
        set_null(&mut answer, path);
    }
    answer
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
    let answer = match action.as_str() {
        "DescribeImageRegistryTimingScanTask" => describe_timing_scan(&state),
        "UpdateImageRegistryTimingScanTask" => update_timing_scan(&state, &body),
        "DescribeAssetImageRegistryList" => describe_registry_images(&state, &body),
        "CreateAssetImageRegistryScanTaskOneKey" => create_registry_scan(&state, &body),
        "DescribeAssetImageRegistryScanStatusOneKey" => registry_scan_status(&state, &body),
        "ModifyAssetImageRegistryScanStopOneKey" => stop_registry_scan(&state, &body),
        "SyncAssetImageRegistryAsset" => sync_registry_assets(&state, &body),
        "DescribeAssetImageRegistryRegistryList" => describe_registries(&state, &body),
        "DescribeAssetImageRegistryAssetStatus" => registry_sync_status(&state, &body),
        "DescribeImageRegistryNamespaceList" => describe_namespaces(&state, &body),
        "DescribeAssetImageRegistryVulList" => describe_image_vuls(&state, &body),
        "DescribeAssetImageRegistryVirusList" => describe_image_viruses(&state, &body),
        "DescribeAssetImageRegistryRiskInfoList" => describe_image_risks(&state, &body),
        "DescribeSystemVulList" => describe_vuls(&state, &body, VulListKind::System),
        "DescribeWebVulList" => describe_vuls(&state, &body, VulListKind::Web),
        "DescribeVulRegistryImageList" => {
            super::vulnerabilities::describe_vul_registry_images(&state, &body)
        }
        other => Err(tc_error(
            "InvalidAction",
            &format!("The action `{other}` is not supported by this sandbox."),
        )),
    };
    match answer {
        Ok(value) if state.draw_documented_nulls() => ok(with_documented_nulls(&action, value)),
        Ok(value) => ok(value),
        Err(refusal) => refusal,
    }
}

/// One registry image's vulnerabilities, filtered (`Level`, `Name`) and
/// paged; an image never scanned has none.
fn describe_image_vuls(state: &SandboxState, body: &[u8]) -> Answer {
    let req: ImageVulListRequest = parse(body, ImageVulListRequest::validate)?;
    let inv = inventory(state);
    let image = registry_image(&inv, req.id)?;
    let matching: Vec<ImageVul> = super::findings::tcss_image_vulnerabilities(image)
        .into_iter()
        .filter(|v| req.matches(v))
        .collect();
    let total = matching.len();
    Ok(json!({
        "TotalCount": total,
        "List": page(matching, req.offset, req.limit),
    }))
}

/// The registry image with asset id `id`, or `ResourceNotFound`.
fn registry_image(inv: &super::Inventory, id: i64) -> Result<&RegistryImage, Response> {
    inv.tcss_images
        .iter()
        .find(|i| i.id == id)
        .ok_or_else(|| tc_error("ResourceNotFound", &format!("Id: no registry image {id}")))
}

/// One registry image's malicious files, filtered (`RiskLevel` or
/// `Level`, `Name`) and paged; an image never scanned has none.
fn describe_image_viruses(state: &SandboxState, body: &[u8]) -> Answer {
    let req: ImageVirusListRequest = parse(body, ImageVirusListRequest::validate)?;
    let inv = inventory(state);
    let image = registry_image(&inv, req.id)?;
    let matching: Vec<ImageVirus> = super::findings::tcss_image_viruses(image)
        .into_iter()
        .filter(|v| req.matches(v))
        .collect();
    let total = matching.len();
    Ok(json!({
        "List": page(matching, req.offset, req.limit),
        "TotalCount": total,
    }))
}

/// One registry image's risky build settings, filtered (`Level`,
/// `Behavior`, `Type`, `Name`), sorted by `Level` when asked, and paged;
/// an image never scanned has none.
fn describe_image_risks(state: &SandboxState, body: &[u8]) -> Answer {
    let req: ImageRiskInfoListRequest = parse(body, ImageRiskInfoListRequest::validate)?;
    let inv = inventory(state);
    let image = registry_image(&inv, req.id)?;
    let mut matching: Vec<ImageRisk> = super::findings::tcss_image_risks(image)
        .into_iter()
        .filter(|r| req.matches(r))
        .collect();
    req.arrange(&mut matching);
    let total = matching.len();
    Ok(json!({
        "List": page(matching, req.offset, req.limit),
        "TotalCount": total,
    }))
}

fn describe_timing_scan(state: &SandboxState) -> Answer {
    let schedule: TimingScanTask = inventory(state).timing_scan.clone();
    serde_json::to_value(schedule).map_err(|_| tc_error("InternalError", "internal error"))
}

fn update_timing_scan(state: &SandboxState, body: &[u8]) -> Answer {
    let req: UpdateTimingScanRequest = parse(body, UpdateTimingScanRequest::validate)?;
    inventory(state).apply_timing_scan(req);
    Ok(json!({}))
}

/// Parses and validates a request body the way TCSS does: a body that does
/// not parse is `InvalidParameter`, a value out of range
/// `InvalidParameterValue`.
pub(super) fn parse<T: DeserializeOwned>(
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

/// The inventory, with the registry images brought up to date with the
/// scans.
pub(super) fn inventory(state: &SandboxState) -> std::sync::MutexGuard<'_, super::Inventory> {
    let mut inv = state
        .inventory
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    inv.advance_tcss(Instant::now());
    inv
}

/// Whether an image passes the list filters this sandbox understands.
/// `all` is a value of every filter that matches anything.
fn matches(image: &RegistryImage, filters: &[AssetFilter]) -> Result<bool, Response> {
    for filter in filters {
        if filter.values.iter().any(|v| v == FILTER_ALL) {
            continue;
        }
        let risky = if is_risky(image) { "1" } else { "0" };
        let authorized = image.is_authorized.unwrap_or(0).to_string();
        let field = match filter.name.as_str() {
            "ImageName" => image.image_name.as_str(),
            "ImageTag" => image.image_tag.as_str(),
            "Namespace" => image.namespace.as_deref().unwrap_or(""),
            "InstanceName" => image.instance_name.as_deref().unwrap_or(""),
            "RegistryType" | "RepoType" => image.registry_type.as_deref().unwrap_or(""),
            "ScanStatus" => image.scan_status.as_deref().unwrap_or(""),
            "IsAuthorized" => authorized.as_str(),
            // 1: something was found; 0: nothing.
            "SecurityRisk" => risky,
            other => {
                return Err(tc_error(
                    "InvalidParameterValue",
                    &format!("Filters.Name: unsupported filter {other:?}"),
                ));
            }
        };
        let hit = filter.values.iter().any(|v| {
            if filter.exact_match == Some(true)
                || matches!(
                    filter.name.as_str(),
                    "ScanStatus" | "IsAuthorized" | "SecurityRisk" | "RepoType" | "RegistryType"
                )
            {
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

/// The value an image is sorted by for `By` (the same for every image
/// when this sandbox does not know the name).
fn sort_key(image: &RegistryImage, by: &str) -> Option<(i64, String)> {
    Some(match by {
        "Id" => (image.id, String::new()),
        "ImageName" => (0, image.image_name.clone()),
        "ImageTag" => (0, image.image_tag.clone()),
        "ImageSize" => (image.image_size.unwrap_or(0), String::new()),
        "ScanTime" => (0, image.scan_time.clone().unwrap_or_default()),
        "VulCnt" => (image.vul_cnt.unwrap_or(0), String::new()),
        "CriticalLevelVulCnt" => (image.critical_level_vul_cnt.unwrap_or(0), String::new()),
        "HighLevelVulCnt" => (image.high_level_vul_cnt.unwrap_or(0), String::new()),
        _ => return None,
    })
}

fn describe_registry_images(state: &SandboxState, body: &[u8]) -> Answer {
    let req: DescribeRegistryImagesRequest = parse(body, DescribeRegistryImagesRequest::validate)?;
    let inv = inventory(state);
    let mut list = Vec::new();
    for image in &inv.tcss_images {
        if !matches(image, req.filters.as_deref().unwrap_or_default())? {
            continue;
        }
        if req.only_show_latest == Some(true) && image.is_latest_image != Some(true) {
            continue;
        }
        if req.is_running.is_some_and(|r| image.is_running != Some(r)) {
            continue;
        }
        list.push(image.clone());
    }
    // A `By` this sandbox does not know keeps the id order.
    if let Some(by) = req.by.as_deref() {
        list.sort_by_cached_key(|i| sort_key(i, by));
    }
    if req.order == Some(SortOrder::Desc) {
        list.reverse();
    }
    let total = list.len();
    let offset = usize::try_from(req.offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(req.limit.unwrap_or(10)).unwrap_or(10);
    let page: Vec<RegistryImage> = list.into_iter().skip(offset).take(limit).collect();
    Ok(json!({ "List": page, "TotalCount": total }))
}

/// The ids of the images `images` names (by name and tag), or a refusal
/// naming the first that does not exist.
fn ids_of(inv: &super::Inventory, images: &[ImageInfo]) -> Result<Vec<i64>, Response> {
    images
        .iter()
        .map(|wanted| {
            inv.tcss_images
                .iter()
                .find(|i| {
                    Some(&i.image_name) == wanted.image_name.as_ref()
                        && Some(&i.image_tag) == wanted.image_tag.as_ref()
                })
                .map(|i| i.id)
                .ok_or_else(|| tc_error("InvalidParameterValue", "Images: an image does not exist"))
        })
        .collect()
}

fn create_registry_scan(state: &SandboxState, body: &[u8]) -> Answer {
    let req: CreateRegistryScanRequest = parse(body, CreateRegistryScanRequest::validate)?;
    let mut inv = inventory(state);
    let mut ids: Vec<i64> = Vec::new();
    if req.is_wide() {
        // Recommended: the images running containers use, and the latest
        // version of each.
        let recommended = req.scan_scope == Some(2);
        let kinds = req.registry_type.clone().unwrap_or_default();
        let namespaces = req.namespace.clone().unwrap_or_default();
        for image in &inv.tcss_images {
            let kind = image.registry_type.clone().unwrap_or_default();
            let ns = image.namespace.clone().unwrap_or_default();
            let wanted = (kinds.is_empty() || kinds.contains(&kind))
                && (namespaces.is_empty() || namespaces.contains(&ns))
                && (req.container_running != Some(true) || image.is_running == Some(true))
                && (req.is_latest != Some(true) || image.is_latest_image == Some(true))
                && (!recommended
                    || image.is_running == Some(true)
                    || image.is_latest_image == Some(true));
            if wanted {
                ids.push(image.id);
            }
        }
    } else {
        for id in req.id.iter().flatten() {
            if !inv.tcss_images.iter().any(|i| i.id == *id) {
                return Err(tc_error(
                    "InvalidParameterValue",
                    &format!("Id: image asset {id} does not exist"),
                ));
            }
            ids.push(*id);
        }
        ids.extend(ids_of(&inv, req.images.as_deref().unwrap_or_default())?);
    }
    let excluded = req.exclude_ids.unwrap_or_default();
    ids.retain(|id| !excluded.contains(id));
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(tc_error(
            "InvalidParameterValue",
            "No image matches the selection.",
        ));
    }
    let pace = state.config.pace;
    let task = inv.launch_tcss_scan(ids, pace);
    Ok(json!({ "TaskID": task }))
}

fn registry_scan_status(state: &SandboxState, body: &[u8]) -> Answer {
    let req: RegistryScanStatusRequest = parse(body, RegistryScanStatusRequest::validate)?;
    let inv = inventory(state);
    let scan = match req.task_id {
        Some(id) => match inv.tcss_scans.iter().find(|s| s.id == id) {
            Some(scan) => Some(scan),
            None => {
                return Err(tc_error(
                    "ResourceNotFound",
                    &format!("TaskID {id} does not exist."),
                ));
            }
        },
        None => inv.tcss_scans.last(),
    };
    let Some(scan) = scan else {
        return Ok(json!({
            "ImageTotal": 0, "ImageScanCnt": 0, "ImageStatus": [], "SuccessCount": 0,
            "RiskCount": 0, "Schedule": 100, "Status": scan_status::SCANNED, "ScanRemainTime": 0
        }));
    };
    let now = Instant::now();
    let total = scan.image_ids.len();
    let done = scan.done(now);
    let images: Vec<&RegistryImage> = scan
        .image_ids
        .iter()
        .filter_map(|id| inv.tcss_images.iter().find(|i| i.id == *id))
        .collect();
    let finished = &images[..done.min(images.len())];
    let scanned = finished.iter().filter(|i| !scan_fails(i.id));
    // Safe: scanned and nothing found; at risk: scanned and something
    // found; a failed scan is neither.
    let risky = scanned.clone().filter(|i| is_risky(i)).count();
    let safe = scanned.count() - risky;
    let progress: Vec<ImageProgress> = images
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let pct = if n < done { 100 } else { 0 };
            let status = if n >= done {
                if scan.stopped.is_some() {
                    scan_status::CANCELED
                } else {
                    scan_status::SCANNING
                }
            } else if scan_fails(i.id) {
                scan_status::SCAN_ERR
            } else {
                scan_status::SCANNED
            };
            ImageProgress {
                image_id: Some(i.id.to_string()),
                registry_type: i.registry_type.clone(),
                image_repo_address: i.image_repo_address.clone(),
                instance_id: i.instance_id.clone(),
                instance_name: i.instance_name.clone(),
                namespace: i.namespace.clone(),
                image_name: Some(i.image_name.clone()),
                image_tag: Some(i.image_tag.clone()),
                scan_status: Some(status.to_owned()),
                cve_progress: Some(pct),
                risk_progress: Some(pct),
                virus_progress: Some(pct),
            }
        })
        .collect();
    let remaining = if scan.running(now) {
        scan.pace.as_secs_f64() * (total - done) as f64
    } else {
        0.0
    };
    Ok(json!({
        "ImageTotal": total,
        "ImageScanCnt": done,
        "ImageStatus": progress,
        "SuccessCount": safe,
        "RiskCount": risky,
        "Schedule": done * 100 / total.max(1),
        "Status": scan.status(now),
        "ScanRemainTime": remaining.ceil() as i64,
    }))
}

fn stop_registry_scan(state: &SandboxState, body: &[u8]) -> Answer {
    let req: StopRegistryScanRequest = parse(body, StopRegistryScanRequest::validate)?;
    let mut inv = inventory(state);
    if let Some(id) = req.task_id
        && !inv.tcss_scans.iter().any(|s| s.id == id)
    {
        return Err(tc_error(
            "ResourceNotFound",
            &format!("TaskID {id} does not exist."),
        ));
    }
    let mut images: Vec<i64> = req.id.clone().unwrap_or_default();
    images.extend(ids_of(&inv, req.images.as_deref().unwrap_or_default())?);
    let all = req.all == Some(true);
    // A finished scan is left as it is: stopping it changes nothing.
    inv.stop_tcss_scans(|scan| {
        all || req.task_id == Some(scan.id) || scan.image_ids.iter().any(|i| images.contains(i))
    });
    Ok(json!({}))
}

fn sync_registry_assets(state: &SandboxState, body: &[u8]) -> Answer {
    let req: SyncRegistryAssetsRequest = parse(body, SyncRegistryAssetsRequest::validate)?;
    let mut inv = inventory(state);
    let ids = req.registry_ids.unwrap_or_default();
    if let Some(bad) = ids.iter().find(|id| !inv.tcss_registries.exists(**id)) {
        return Err(tc_error(
            "InvalidParameterValue",
            &format!("RegistryIds: registry {bad} does not exist"),
        ));
    }
    // `All` (or no list) syncs every registry.
    let ids = if req.all == Some(true) {
        Vec::new()
    } else {
        ids
    };
    let pace = state.config.pace;
    inv.tcss_registries.start_sync(&ids, pace, now_ms());
    Ok(json!({}))
}

/// Pages `items` as the TCSS list calls do (`Offset`, `Limit` default 10).
pub(super) fn page<T>(items: Vec<T>, offset: Option<i64>, limit: Option<i64>) -> Vec<T> {
    let offset = usize::try_from(offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(limit.unwrap_or(10)).unwrap_or(10);
    items.into_iter().skip(offset).take(limit).collect()
}

/// Whether a registry passes the list filters: `Name` (part of it, or
/// all of it with `ExactMatch`), `RegistryType`, and `IsAuthorized`
/// (every registry here is authorized).
fn registry_matches(r: &TcssRegistry, filters: &[AssetFilter]) -> Result<bool, Response> {
    for f in filters {
        if f.values.iter().any(|v| v == FILTER_ALL) {
            continue;
        }
        let hit = match f.name.as_str() {
            "Name" if f.exact_match == Some(true) => f.values.contains(&r.name),
            "Name" => f.values.iter().any(|v| r.name.contains(v.as_str())),
            "RegistryType" => f
                .values
                .iter()
                .any(|v| r.registry_type.as_deref() == Some(v.as_str())),
            "IsAuthorized" => f.values.iter().any(|v| v == "1"),
            other => {
                return Err(tc_error(
                    "InvalidParameterValue",
                    &format!("Filters.Name: unsupported filter {other:?}"),
                ));
            }
        };
        if !hit {
            return Ok(false);
        }
    }
    Ok(true)
}

fn describe_registries(state: &SandboxState, body: &[u8]) -> Answer {
    let req: DescribeRegistriesRequest = parse(body, DescribeRegistriesRequest::validate)?;
    let inv = inventory(state);
    let mut list = Vec::new();
    for r in &inv.tcss_registries.list {
        if registry_matches(r, req.filters.as_deref().unwrap_or_default())? {
            list.push(r.clone());
        }
    }
    // A `By` this sandbox does not know keeps the id order.
    match req.by.as_deref() {
        Some("Name") => list.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("LatestSyncTime") => list.sort_by(|a, b| a.latest_sync_time.cmp(&b.latest_sync_time)),
        _ => {}
    }
    if req.order == Some(SortOrder::Desc) {
        list.reverse();
    }
    let total = list.len();
    Ok(json!({ "List": page(list, req.offset, req.limit), "TotalCount": total }))
}

fn registry_sync_status(state: &SandboxState, body: &[u8]) -> Answer {
    let _: RegistrySyncStatusRequest = parse(body, RegistrySyncStatusRequest::validate)?;
    let status = inventory(state).tcss_registries.status(Instant::now());
    serde_json::to_value(status).map_err(|_| tc_error("InternalError", "internal error"))
}

/// The namespaces of the registry images, with their counts.
fn describe_namespaces(state: &SandboxState, body: &[u8]) -> Answer {
    let req: DescribeNamespacesRequest = parse(body, DescribeNamespacesRequest::validate)?;
    let inv = inventory(state);
    let wanted = |ns: &str| {
        req.filters.iter().flatten().all(|f| {
            f.values.iter().any(|v| {
                if f.exact_match == Some(true) {
                    ns == v
                } else {
                    ns.contains(v.as_str())
                }
            })
        })
    };
    let mut names: Vec<&str> = NAMESPACES.to_vec();
    names.sort_unstable();
    let detail: Vec<NamespaceInfo> = names
        .into_iter()
        .filter(|ns| wanted(ns))
        .filter_map(|ns| {
            let images: Vec<&RegistryImage> = inv
                .tcss_images
                .iter()
                .filter(|i| i.namespace.as_deref() == Some(ns))
                .collect();
            let mut kinds: Vec<&str> = images
                .iter()
                .filter_map(|i| i.registry_type.as_deref())
                .collect();
            kinds.sort_unstable();
            kinds.dedup();
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
            (!images.is_empty()).then(|| NamespaceInfo {
                namespace: ns.to_owned(),
                registry_cnt: Some(count(kinds.len())),
                image_cnt: Some(count(images.len())),
                risk_image_cnt: Some(count(images.iter().filter(|i| is_risky(i)).count())),
            })
        })
        .collect();
    let total = detail.len();
    let detail = page(detail, req.offset, req.limit);
    let names: Vec<&str> = detail.iter().map(|d| d.namespace.as_str()).collect();
    Ok(json!({ "TotalCount": total, "NamespaceList": names, "NamespaceDetail": detail }))
}
