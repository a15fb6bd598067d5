//! The HSS endpoints of the sandbox: authentication, rate limits and
//! validation as the service applies them, then answers from the inventory.

use super::inventory::{Inventory, NewTask, Target, now_ms};
use super::limits::Limit;
use super::{SandboxState, huawei_auth};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, MatchedPath, Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use scanport_wire::hss::{
    BatchScanRequest, CreateScanTaskRequest, GlobalImageType, ImageSyncTaskRequest,
    ListImagesRequest, ListImagesResponse, ListRegistriesRequest, ListRegistriesResponse,
    ListTasksRequest, ListTasksResponse, ScanRegistryType, ScanStatus, SynchronizeRequest,
    SynchronizeResponse,
};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use std::sync::{Arc, MutexGuard};
use std::time::{Duration, Instant};

/// Bodies above this are refused before they are read: the gateway's
/// limit, 12 MB (a full 10,241-image batch scan is about 2 MB).
pub(crate) const MAX_BODY: usize = 12 * 1024 * 1024;

/// HSS, "Limitations and Constraints": each API accepts 600 calls per
/// minute in total, 5 per minute from one user (AK) and 5 from one IP.
const CALLS_PER_MINUTE_PER_API: usize = 600;
const CALLS_PER_MINUTE_PER_USER: usize = 5;
const CALLS_PER_MINUTE_PER_IP: usize = 5;

pub(crate) fn routes(state: Arc<SandboxState>) -> Router {
    Router::new()
        .route("/v5/{project_id}/image/tasks", get(list_tasks))
        .route("/v5/{project_id}/image/swr-repository", get(list_images))
        .route("/v5/{project_id}/image/registries", get(list_registries))
        .route(
            "/v5/{project_id}/image/registries/images",
            get(super::hss_registry_images::list),
        )
        .route(
            "/v5/{project_id}/image/image-sync/tasks/{task_id}/registries",
            get(super::hss_registry_images::associate_registries),
        )
        .route("/v5/{project_id}/image/batch-scan", post(batch_scan))
        .route("/v5/{project_id}/image/synchronize", post(synchronize))
        .route(
            "/v5/{project_id}/image/image-sync/tasks",
            post(create_image_sync_task),
        )
        .route(
            "/v5/{project_id}/image/image-scan/tasks",
            post(create_scan_task),
        )
        .route(
            "/v5/{project_id}/image/image-scan/tasks/{task_id}/stop",
            put(stop_scan_task),
        )
        .route(
            "/v5/{project_id}/image/{image_id}/vulnerabilities",
            get(super::findings::hss_image_vulnerabilities),
        )
        // The segment carries the vulnerability's id; it keeps the name
        // its siblings (`…/{image_id}/vulnerabilities`) give it, so the
        // router never sees two names for one segment.
        .route(
            "/v5/{project_id}/image/{image_id}/images",
            get(super::vulnerabilities::hss_vul_repo_images),
        )
        .route(
            "/v5/{project_id}/images/vulnerabilities",
            get(super::vulnerabilities::hss_general_vulnerabilities),
        )
        .route(
            "/v5/{project_id}/image/{image_id}/malwares",
            get(super::findings::hss_image_malware),
        )
        .route(
            "/v5/{project_id}/image/{image_id}/sensitive",
            get(super::findings::hss_image_sensitive),
        )
        .route(
            "/v5/{project_id}/image/baseline/risk-configs",
            get(super::findings::hss_image_risk_configs),
        )
        .route(
            "/v5/{project_id}/image/scanner-policies",
            get(super::hss_policy::read).put(super::hss_policy::update),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .with_state(state)
}

/// A Huawei-style error answer.
pub(crate) fn hss_error(status: StatusCode, code: &str, message: &str) -> Response {
    let request_id = format!("{:032x}", rand::random::<u128>());
    let mut response = (
        status,
        Json(serde_json::json!({
            "error_code": code,
            "error_msg": message,
            "request_id": request_id,
        })),
    )
        .into_response();
    if let Ok(value) = request_id.parse() {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// HSS's error table: `HSS.0001` invalid parameter, HTTP 400.
pub(crate) fn invalid(message: impl std::fmt::Display) -> Response {
    hss_error(
        StatusCode::BAD_REQUEST,
        "HSS.0001",
        &format!("Invalid parameter: {message}"),
    )
}

/// `HSS.0011` resource not found: HTTP 400 too, as HSS answers it.
pub(crate) fn not_found(message: &str) -> Response {
    hss_error(StatusCode::BAD_REQUEST, "HSS.0011", message)
}

/// The gateway's throttling answer, with the wait in `Retry-After`
/// (delta-seconds, rounded up so a client waiting that long is let in).
pub(crate) fn throttled(policy: &str, retry_after: Duration) -> Response {
    let mut response = hss_error(
        StatusCode::TOO_MANY_REQUESTS,
        "APIGW.0308",
        &format!("The throttling threshold has been reached: {policy}"),
    );
    let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    response
        .headers_mut()
        .insert(axum::http::header::RETRY_AFTER, secs.max(1).into());
    response
}

pub(crate) fn ok_json<T: serde::Serialize>(value: &T) -> Response {
    let request_id = format!("{:032x}", rand::random::<u128>());
    let mut response = Json(value).into_response();
    if let Ok(v) = request_id.parse() {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Launch calls answer 200 with an empty body.
pub(super) fn ok_empty() -> Response {
    let mut response = StatusCode::OK.into_response();
    if let Ok(v) = format!("{:032x}", rand::random::<u128>()).parse() {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

pub(crate) fn inventory(state: &SandboxState) -> MutexGuard<'_, Inventory> {
    let mut inv = state
        .inventory
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    inv.advance(Instant::now());
    inv
}

pub(crate) fn query<T: DeserializeOwned>(request: &Request) -> Result<T, Response> {
    serde_urlencoded::from_str(request.uri().query().unwrap_or_default()).map_err(invalid)
}

/// Parses a JSON body and checks it against the documented limits, as the
/// service does: either failure is a 400 naming the problem.
fn valid_body<T: DeserializeOwned>(
    bytes: &Bytes,
    validate: impl Fn(&T) -> Result<(), scanport_wire::FieldError>,
) -> Result<T, Response> {
    let req: T = serde_json::from_slice(bytes).map_err(invalid)?;
    validate(&req).map_err(invalid)?;
    Ok(req)
}

/// Verifies the signature, then applies the per-user and per-address limits.
async fn authenticate(
    State(state): State<Arc<SandboxState>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let api = format!(
        "{} {}",
        parts.method,
        parts
            .extensions
            .get::<MatchedPath>()
            .map_or("", MatchedPath::as_str)
    );
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return hss_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "APIGW.0201",
            "Request entity too large",
        );
    };
    // A locked AK is refused whatever it signs, until the lock ends.
    let access = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(scanport_cloud::signing::huawei::parse_authorization)
        .map(|a| a.access.to_owned());
    if let Some(left) = access.as_deref().and_then(|ak| state.lockouts.locked(ak)) {
        return huawei_auth::rejection(&format!(
            "the access key is locked for {} s after {} signature failures in a row",
            left.as_secs().max(1),
            state.config.lockout.after
        ));
    }
    let ak = match huawei_auth::verify(&state.config.huawei_keys, &parts, &bytes) {
        Ok(ak) => {
            state.lockouts.verified(&ak);
            ak
        }
        Err(refusal) => {
            if let Some(ak) = &refusal.failed_ak
                && state.lockouts.failed(ak, state.config.lockout)
            {
                tracing::warn!("sandbox: an AK is locked after signature failures in a row");
            }
            return huawei_auth::rejection(refusal.reason);
        }
    };
    let project_id = parts.uri.path().split('/').nth(2).unwrap_or_default();
    let project_id = percent_encoding::percent_decode_str(project_id).decode_utf8_lossy();
    if let Err(err) = scanport_wire::validate::str_len("project_id", &project_id, 1, 256) {
        return invalid(err);
    }
    if state.config.rate_limits {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
        let limits = [
            Limit {
                key: format!("api:{api}"),
                max: CALLS_PER_MINUTE_PER_API,
            },
            Limit {
                key: format!("ak:{ak}:{api}"),
                max: CALLS_PER_MINUTE_PER_USER,
            },
            Limit {
                key: format!("ip:{ip}:{api}"),
                max: CALLS_PER_MINUTE_PER_IP,
            },
        ];
        if let Err(refused) = state.limits.allow_all(&limits, Duration::from_secs(60)) {
            let policy = match refused.index {
                0 => "policy api over ratelimit,limit:600,time:1 minute",
                1 => "policy user over ratelimit,limit:5,time:1 minute",
                _ => "policy ip over ratelimit,limit:5,time:1 minute",
            };
            return throttled(policy, refused.retry_after);
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn page<T: Clone>(items: &[T], offset: Option<i64>, limit: Option<i64>) -> Vec<T> {
    let offset = usize::try_from(offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(limit.unwrap_or(10)).unwrap_or(10);
    items.iter().skip(offset).take(limit).cloned().collect()
}

pub(super) fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

async fn list_tasks(State(state): State<Arc<SandboxState>>, request: Request) -> Response {
    let req: ListTasksRequest = match query(&request) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let inv = inventory(&state);
    let mut matching: Vec<_> = inv
        .tasks
        .iter()
        .filter(|t| t.list == req.r#type)
        .map(|t| &t.info)
        // The console answers from snapshots with the same rules.
        .filter(|t| req.matches(t))
        .cloned()
        .collect();
    matching.sort_by_key(|t| std::cmp::Reverse(t.begin_time));
    ok_json(&ListTasksResponse {
        total_num: count(matching.len()),
        data_list: page(&matching, req.offset, req.limit),
    })
}

fn contains(haystack: &str, needle: Option<&String>) -> bool {
    needle.is_none_or(|n| haystack.contains(n.as_str()))
}

async fn list_images(State(state): State<Arc<SandboxState>>, request: Request) -> Response {
    let req: ListImagesRequest = match query(&request) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let inv = inventory(&state);
    let matching: Vec<_> = inv
        .images
        .iter()
        .filter(|i| i.image_type.as_deref() == Some(req.image_type.as_str()))
        .filter(|i| contains(&i.namespace, req.namespace.as_ref()))
        .filter(|i| contains(&i.image_name, req.image_name.as_ref()))
        .filter(|i| contains(&i.image_version, req.image_version.as_ref()))
        .filter(|i| {
            req.latest_version
                .is_none_or(|l| !l || i.latest_version == Some(true))
        })
        .filter(|i| {
            req.scan_status
                .is_none_or(|s| i.scan_status.as_deref() == Some(s.as_str()))
        })
        .filter(|i| {
            req.instance_id
                .as_ref()
                .is_none_or(|id| i.instance_id.as_ref() == Some(id))
        })
        .filter(|i| {
            contains(
                i.instance_name.as_deref().unwrap_or(""),
                req.instance_name.as_ref(),
            )
        })
        .filter(|i| {
            req.has_vul
                .is_none_or(|v| v == (i.vul_num.unwrap_or(0) > 0))
        })
        .filter(|i| {
            req.has_malicious_file
                .is_none_or(|v| v == (i.malicious_file_num.unwrap_or(0) > 0))
        })
        .filter(|i| {
            req.has_unsafe_setting
                .is_none_or(|v| v == (i.unsafe_setting_num.unwrap_or(0) > 0))
        })
        .cloned()
        .collect();
    ok_json(&ListImagesResponse {
        total_num: count(matching.len()),
        data_list: page(&matching, req.offset, req.limit),
    })
}

async fn list_registries(State(state): State<Arc<SandboxState>>, request: Request) -> Response {
    // `registry_type` is a comma-separated list on the wire.
    let raw: Vec<(String, String)> = match query(&request) {
        Ok(pairs) => pairs,
        Err(rejection) => return rejection,
    };
    let mut req = ListRegistriesRequest::default();
    for (key, value) in raw {
        let parsed: Result<(), String> = (|| {
            let num = |v: &str| {
                v.parse::<i64>()
                    .map_err(|_| format!("{key} must be an integer"))
            };
            match key.as_str() {
                "enterprise_project_id" => req.enterprise_project_id = Some(value.clone()),
                "offset" => req.offset = Some(num(&value)?),
                "limit" => req.limit = Some(num(&value)?),
                "registry_name" => req.registry_name = Some(value.clone()),
                "registry_id" => req.registry_id = Some(value.clone()),
                "registry_addr" => req.registry_addr = Some(value.clone()),
                "registry_type" => {
                    for ty in value.split(',') {
                        let ty = scanport_wire::hss::RegistryType::parse(ty)
                            .ok_or_else(|| format!("registry_type: unknown value {ty:?}"))?;
                        req.registry_type.push(ty);
                    }
                }
                "status" => {
                    req.status = Some(
                        scanport_wire::hss::RegistryStatus::parse(&value)
                            .ok_or_else(|| format!("status: unknown value {value:?}"))?,
                    );
                }
                _ => {}
            }
            Ok(())
        })();
        if let Err(message) = parsed {
            return invalid(message);
        }
    }
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let inv = inventory(&state);
    let matching: Vec<_> = inv
        .registries
        .iter()
        .filter(|r| contains(&r.registry_name, req.registry_name.as_ref()))
        .filter(|r| req.registry_id.as_ref().is_none_or(|id| &r.id == id))
        .filter(|r| {
            contains(
                r.registry_addr.as_deref().unwrap_or(""),
                req.registry_addr.as_ref(),
            )
        })
        .filter(|r| {
            req.registry_type.is_empty()
                || req
                    .registry_type
                    .iter()
                    .any(|t| t.as_str() == r.registry_type)
        })
        .filter(|r| {
            req.status
                .is_none_or(|s| r.status.as_deref() == Some(s.as_str()))
        })
        .cloned()
        .collect();
    ok_json(&ListRegistriesResponse {
        total_num: count(matching.len()),
        data_list: page(&matching, req.offset, req.limit),
    })
}

/// Indices of the images of `image_type` matching the optional filters.
fn select(
    inv: &Inventory,
    image_type: &str,
    namespace: Option<&String>,
    image_name: Option<&String>,
    image_version: Option<&String>,
    scan_status: Option<ScanStatus>,
    latest_only: bool,
) -> Vec<usize> {
    inv.images
        .iter()
        .enumerate()
        .filter(|(_, i)| i.image_type.as_deref() == Some(image_type))
        .filter(|(_, i)| contains(&i.namespace, namespace))
        .filter(|(_, i)| contains(&i.image_name, image_name))
        .filter(|(_, i)| contains(&i.image_version, image_version))
        .filter(|(_, i)| scan_status.is_none_or(|s| i.scan_status.as_deref() == Some(s.as_str())))
        .filter(|(_, i)| !latest_only || i.latest_version == Some(true))
        .map(|(n, _)| n)
        .collect()
}

/// A listed image: the inventory's when it exists, else one that will fail.
/// A local image has no namespace (`None` matches any).
fn listed_target(
    inv: &Inventory,
    image_type: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
) -> Target {
    let found = inv.images.iter().position(|i| {
        i.image_type.as_deref() == Some(image_type)
            && namespace.is_none_or(|ns| i.namespace == ns)
            && i.image_name == name
            && i.image_version == version
    });
    match found {
        Some(index) => inv.target(index),
        None => Target {
            namespace: namespace.unwrap_or_default().to_owned(),
            image_name: name.to_owned(),
            image_version: version.to_owned(),
            registry_type: super::inventory::registry_type_of(Some(image_type)).to_owned(),
            failure: Some("failed_to_query_basic_image_information"),
            ..Target::default()
        },
    }
}

/// Starts a manual scan of `targets` (some will fail, as in real life).
fn launch_scan(
    state: &SandboxState,
    inv: &mut Inventory,
    targets: Vec<Target>,
    scope: i64,
    all: bool,
) -> Response {
    if targets.is_empty() {
        return invalid("no image matches the selection");
    }
    let name = format!("Manual scan: {} image(s)", targets.len());
    let targets = inv.plan_targets(targets);
    inv.launch(NewTask::scan(name, scope, all), targets, state.config.pace);
    ok_empty()
}

async fn batch_scan(State(state): State<Arc<SandboxState>>, bytes: Bytes) -> Response {
    let req = match valid_body(&bytes, BatchScanRequest::validate) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let mut inv = inventory(&state);
    let ty = req.image_type.as_str();
    let all = req.operate_all == Some(true);
    let targets: Vec<Target> = if all {
        select(
            &inv,
            ty,
            req.namespace.as_ref(),
            req.image_name.as_ref(),
            req.image_version.as_ref(),
            req.scan_status,
            req.latest_version == Some(true),
        )
        .into_iter()
        .map(|i| inv.target(i))
        .collect()
    } else {
        req.image_info_list
            .iter()
            .map(|i| {
                listed_target(
                    &inv,
                    ty,
                    Some(&i.namespace),
                    &i.image_name,
                    &i.image_version,
                )
            })
            .collect()
    };
    launch_scan(&state, &mut inv, targets, 0x7fff_ffff, all)
}

async fn create_scan_task(State(state): State<Arc<SandboxState>>, request: Request) -> Response {
    // `global_image_type` is the query's; the rest is the body.
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ScanTaskQuery {
        #[serde(default)]
        enterprise_project_id: Option<String>,
        #[serde(default)]
        global_image_type: Option<GlobalImageType>,
    }
    let query: ScanTaskQuery = match query(&request) {
        Ok(q) => q,
        Err(rejection) => return rejection,
    };
    if let Err(err) =
        scanport_wire::hss::validate_enterprise_project_id(query.enterprise_project_id.as_deref())
    {
        return invalid(err);
    }
    let Ok(bytes) = axum::body::to_bytes(request.into_body(), MAX_BODY).await else {
        return invalid("the body cannot be read");
    };
    let mut req: CreateScanTaskRequest =
        match valid_body(&bytes, |_: &CreateScanTaskRequest| Ok(())) {
            Ok(req) => req,
            Err(rejection) => return rejection,
        };
    if req.global_image_type.is_some() {
        return invalid("global_image_type is a query parameter, not a body field");
    }
    req.global_image_type = query.global_image_type;
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let local = req.global_image_type == Some(GlobalImageType::Local);
    let mut inv = inventory(&state);
    let all = req.is_all == Some(true);
    let targets: Vec<Target> = if all {
        let q = req.query_info.clone().unwrap_or_default();
        let types: Vec<&str> = match (local, q.image_type) {
            (true, _) => vec!["local_image"],
            (false, Some(t)) => vec![t.as_str()],
            (false, None) => vec!["private_image", "shared_image", "instance_image"],
        };
        let third_party: Vec<Target> = types
            .iter()
            .filter(|t| matches!(**t, "harbor" | "jfrog"))
            .flat_map(|t| super::hss_registry_images::select_all(&inv, t))
            .collect();
        types
            .into_iter()
            .flat_map(|ty| {
                select(
                    &inv,
                    ty,
                    q.namespace.as_ref().filter(|n| !n.is_empty()),
                    q.image_name.as_ref().filter(|n| !n.is_empty()),
                    q.image_version.as_ref().filter(|n| !n.is_empty()),
                    q.scan_status,
                    false,
                )
            })
            .filter(|i| {
                q.has_vul
                    .is_none_or(|v| v == (inv.images[*i].vul_num.unwrap_or(0) > 0))
            })
            .map(|i| inv.target(i))
            .chain(third_party)
            .collect()
    } else {
        req.image_info
            .iter()
            .map(|i| {
                if let Some(kind @ (ScanRegistryType::Harbor | ScanRegistryType::Jfrog)) =
                    i.registry_type
                {
                    let name = i.image_name.as_deref().unwrap_or_default();
                    let version = i.image_version.as_deref().unwrap_or_default();
                    return super::hss_registry_images::find_target(
                        &inv,
                        i.registry_id.as_deref(),
                        kind.as_str(),
                        i.namespace.as_deref(),
                        name,
                        version,
                    )
                    .unwrap_or_else(|| Target {
                        namespace: i.namespace.clone().unwrap_or_default(),
                        image_name: name.to_owned(),
                        image_version: version.to_owned(),
                        registry_type: kind.as_str().to_owned(),
                        failure: Some("get_detail_info_not_found"),
                        ..Target::default()
                    });
                }
                let ty = match i.registry_type.map(|t| t.as_str()) {
                    _ if local => "local_image",
                    Some("Local") => "local_image",
                    Some("SwrShared") => "shared_image",
                    Some("SwrEnterprise") => "instance_image",
                    _ => "private_image",
                };
                listed_target(
                    &inv,
                    ty,
                    i.namespace.as_deref(),
                    i.image_name.as_deref().unwrap_or_default(),
                    i.image_version.as_deref().unwrap_or_default(),
                )
            })
            .collect()
    };
    launch_scan(
        &state,
        &mut inv,
        targets,
        req.scan_scope.unwrap_or(0x7fff_ffff),
        all,
    )
}

async fn stop_scan_task(
    State(state): State<Arc<SandboxState>>,
    Path((_project, task_id)): Path<(String, String)>,
) -> Response {
    match inventory(&state).stop(&task_id) {
        Ok(()) => ok_empty(),
        Err("the task does not exist") => not_found("The task does not exist"),
        Err(reason) => hss_error(StatusCode::BAD_REQUEST, "HSS.1054", reason),
    }
}

async fn synchronize(State(state): State<Arc<SandboxState>>, bytes: Bytes) -> Response {
    let req = match valid_body(&bytes, SynchronizeRequest::validate) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let mut inv = inventory(&state);
    let ty = req.image_type.as_str();
    let targets: Vec<Target> = select(&inv, ty, None, None, None, None, false)
        .into_iter()
        .map(|i| inv.target(i))
        .collect();
    let name = format!("Synchronize SWR {}", ty.replace('_', " "));
    // Syncing reads metadata only: ten times faster than scanning.
    inv.launch(NewTask::sync(name, true), targets, state.config.pace / 10);
    let registry = if ty == "shared_image" {
        "reg-swr-shared"
    } else {
        "reg-swr-private"
    };
    if let Some(r) = inv.registries.iter_mut().find(|r| r.id == registry) {
        r.latest_sync_time = Some(now_ms());
    }
    ok_json(&SynchronizeResponse {
        error_code: 0,
        error_description: String::new(),
    })
}

async fn create_image_sync_task(State(state): State<Arc<SandboxState>>, bytes: Bytes) -> Response {
    // The service's model requires it even with chosen registries (the
    // shared type defaults it for Scanport's own callers).
    let named = serde_json::from_slice::<serde_json::Value>(&bytes)
        .is_ok_and(|v| v.get("sync_all_registries").is_some_and(|b| b.is_boolean()));
    if !named {
        return invalid("sync_all_registries is required (true or false)");
    }
    let req = match valid_body(&bytes, ImageSyncTaskRequest::validate) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let mut inv = inventory(&state);
    let chosen: Vec<usize> = if req.sync_all_registries {
        (0..inv.registries.len()).collect()
    } else {
        let mut chosen = Vec::new();
        for wanted in &req.registry_info {
            match inv.registries.iter().position(|r| {
                r.id == wanted.registry_id && r.registry_type == wanted.registry_type.as_str()
            }) {
                Some(i) => chosen.push(i),
                None => {
                    return not_found(&format!(
                        "registry {} ({}) does not exist",
                        wanted.registry_id, wanted.registry_type
                    ));
                }
            }
        }
        chosen
    };
    let mut targets = Vec::new();
    for &i in &chosen {
        let r = inv.registries[i].clone();
        let images = usize::try_from(r.images_num.unwrap_or(0))
            .unwrap_or(0)
            .max(1);
        for n in 0..images {
            targets.push(Target {
                registry: Some(i),
                namespace: r.registry_name.clone(),
                image_name: format!("repository-{n}"),
                image_version: "latest".to_owned(),
                registry_type: r.registry_type.clone(),
                // A registry that cannot be reached fails every image.
                failure: (r.status.as_deref() == Some("fail")).then_some("authentication_failed"),
                ..Target::default()
            });
        }
        inv.registries[i].latest_sync_time = Some(now_ms());
    }
    let name = if req.sync_all_registries {
        "Sync all registries".to_owned()
    } else {
        format!(
            "Sync {} registr{}",
            chosen.len(),
            if chosen.len() == 1 { "y" } else { "ies" }
        )
    };
    inv.launch(
        NewTask::sync(name, req.sync_all_registries),
        targets,
        state.config.pace / 20,
    );
    ok_empty()
}
