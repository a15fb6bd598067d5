//! The HSS endpoints of the sandbox.

use super::{SandboxState, huawei_auth};
use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use scanport_wire::hss::{ListTasksRequest, ListTasksResponse, TaskStatusFilter};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Bodies above this are refused before they are read.
const MAX_BODY: usize = 1 << 20;

/// HSS allows one user, and one client address, 5 calls per minute per API.
const CALLS_PER_MINUTE: usize = 5;

pub(crate) fn routes(state: Arc<SandboxState>) -> Router {
    Router::new()
        .route("/v5/{project_id}/image/tasks", get(list_tasks))
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

fn invalid(message: impl std::fmt::Display) -> Response {
    hss_error(
        StatusCode::BAD_REQUEST,
        "HSS.1001",
        &format!("Invalid parameter: {message}"),
    )
}

/// Verifies the signature, then applies the per-user and per-address limits.
async fn authenticate(
    State(state): State<Arc<SandboxState>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return hss_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "APIG.0201",
            "Request entity too large",
        );
    };
    let ak = match huawei_auth::verify(&state.config.huawei_keys, &parts, &bytes) {
        Ok(ak) => ak,
        Err(reason) => return huawei_auth::rejection(reason),
    };
    if state.config.rate_limits {
        let api = format!(
            "{} {}",
            parts.method,
            parts
                .extensions
                .get::<MatchedPath>()
                .map_or("", MatchedPath::as_str)
        );
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
        let minute = Duration::from_secs(60);
        let user_ok = state
            .limits
            .allow(format!("ak:{ak}:{api}"), CALLS_PER_MINUTE, minute);
        let ip_ok = user_ok
            && state
                .limits
                .allow(format!("ip:{ip}:{api}"), CALLS_PER_MINUTE, minute);
        if !ip_ok {
            return hss_error(
                StatusCode::TOO_MANY_REQUESTS,
                "APIG.0308",
                "The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute",
            );
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

async fn list_tasks(State(state): State<Arc<SandboxState>>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or_default();
    let req: ListTasksRequest = match serde_urlencoded::from_str(query) {
        Ok(req) => req,
        Err(err) => return invalid(err),
    };
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let inventory = state
        .inventory
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut matching: Vec<_> = inventory
        .tasks
        .iter()
        .filter(|t| t.list == req.r#type)
        .map(|t| &t.info)
        .filter(|t| {
            req.task_type
                .is_none_or(|ty| t.task_type.as_deref() == Some(ty.as_str()))
        })
        .filter(|t| req.task_id.as_ref().is_none_or(|id| &t.task_id == id))
        .filter(|t| {
            req.task_name
                .as_ref()
                .is_none_or(|n| t.task_name.contains(n.as_str()))
        })
        .filter(|t| match req.task_status {
            None => true,
            Some(TaskStatusFilter::Scanning) => (0..100).contains(&t.task_status),
            Some(TaskStatusFilter::Finished) => !(0..100).contains(&t.task_status),
        })
        .filter(|t| {
            req.create_time
                .is_none_or(|c| t.begin_time.unwrap_or(0) >= c)
        })
        .filter(|t| {
            req.end_time
                .is_none_or(|e| t.end_time.is_some_and(|end| end <= e))
        })
        .filter(|t| {
            req.scan_scope
                .is_none_or(|s| t.scan_scope.unwrap_or(0) & s != 0)
        })
        .collect();
    matching.sort_by_key(|t| std::cmp::Reverse(t.begin_time));
    let offset = usize::try_from(req.offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(req.limit.unwrap_or(10)).unwrap_or(10);
    let total = i64::try_from(matching.len()).unwrap_or(i64::MAX);
    Json(ListTasksResponse {
        total_num: total,
        data_list: matching
            .into_iter()
            .skip(offset)
            .take(limit)
            .cloned()
            .collect(),
    })
    .into_response()
}
