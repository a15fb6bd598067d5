//! CSV downloads of what the Tasks page shows (viewer):
//! - `GET /api/v1/export/tasks.csv?type=&account=&<the page's filters>`:
//!   every task the filters match, up to 200 (one page of the service);
//! - `GET /api/v1/export/failed-images.csv?type=&account=&task_id=`: one
//!   task's failed images with the reason, in code and in words.
//!
//! Both read the way the page does (the account's snapshot first), so a
//! download costs the cloud nothing when the snapshot can answer it.

use crate::security::refuse;
use axum::Extension;
use axum::extract::RawQuery;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos_router::params::ParamsMap;
use scanport_app::components::tasks::failed_images::reason_text;
use scanport_app::components::tasks::filters::TaskFilters;
use scanport_app::error::{AppError, ErrorEnvelope};
use scanport_app::server_fns::tasks::read_tasks;
use scanport_app::state::AppState;
use scanport_portal::audit::csv_field;
use scanport_portal::{Principal, Role};
use scanport_wire::hss::{ImageScanTaskInfo, ListTasksRequest, TaskState};

/// The most rows one download holds: the service's largest page.
const MAX_ROWS: i64 = 200;

/// The query string as the page's router reads it.
fn params(raw: Option<&str>) -> ParamsMap {
    let mut map = ParamsMap::new();
    for pair in raw.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        map.insert(key.to_owned(), value.to_owned());
    }
    map
}

pub(crate) fn failure(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_GATEWAY);
    (status, axum::Json(ErrorEnvelope::from(err))).into_response()
}

/// The refusal for a caller who may not read tasks, if any.
pub(crate) fn refusal(caller: Option<Extension<Principal>>) -> Option<Response> {
    match caller {
        Some(Extension(c)) if c.role.allows(Role::Viewer) => None,
        Some(_) => Some(refuse(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role does not allow this.",
        )),
        None => Some(refuse(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Please sign in.",
        )),
    }
}

fn csv_response(filename: &str, header_row: &[&str], rows: Vec<Vec<String>>) -> Response {
    let mut out = header_row.join(",");
    out.push('\n');
    for row in rows {
        let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        out,
    )
        .into_response()
}

fn state_text(status: i64) -> String {
    match TaskState::from_status(status) {
        TaskState::Running(p) => format!("running {p}%"),
        TaskState::Finished => "finished".to_owned(),
        TaskState::Stopped => "stopped".to_owned(),
        TaskState::TimedOut => "timed out".to_owned(),
        TaskState::Failed => "failed".to_owned(),
        TaskState::Unknown(n) => format!("status {n}"),
    }
}

/// ISO 8601 UTC, or empty: spreadsheets read it, and no viewer's time zone
/// is assumed.
fn time(ms: Option<i64>) -> String {
    ms.filter(|ms| *ms > 0)
        .map(scanport_app::format::iso_utc)
        .unwrap_or_default()
}

fn task_row(t: &ImageScanTaskInfo) -> Vec<String> {
    let scope = t
        .scan_scope
        .map(|s| scanport_wire::hss::scan_scope_names(s).join("; "))
        .unwrap_or_default();
    vec![
        t.task_id.clone(),
        t.task_name.clone(),
        t.task_type.clone().unwrap_or_default(),
        state_text(t.task_status),
        t.success_num.to_string(),
        t.failed_num.to_string(),
        t.risky_num.to_string(),
        t.total_num.to_string(),
        t.remain_min.map(|m| m.to_string()).unwrap_or_default(),
        scope,
        time(t.begin_time),
        time(t.end_time),
    ]
}

pub async fn tasks_csv(
    Extension(state): Extension<AppState>,
    caller: Option<Extension<Principal>>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Some(refused) = refusal(caller) {
        return refused;
    }
    let filters = TaskFilters::from_query(&params(raw.as_deref()));
    if !filters.ignored.is_empty() {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            &format!("Not understood: {}.", filters.ignored.join(", ")),
        );
    }
    let mut query = filters.to_request();
    query.offset = Some(0);
    query.limit = Some(MAX_ROWS);
    match read_tasks(
        &state,
        filters.account.as_deref(),
        filters.list,
        Some(&query),
    )
    .await
    {
        Ok(snapshot) => csv_response(
            &format!(
                "scanport-{}-tasks.csv",
                filters.list.as_str().replace('_', "-")
            ),
            &[
                "task_id",
                "name",
                "type",
                "state",
                "succeeded",
                "failed",
                "risky",
                "total",
                "minutes_left",
                "risk_types",
                "started_utc",
                "ended_utc",
            ],
            snapshot.answer.data_list.iter().map(task_row).collect(),
        ),
        Err(err) => failure(err),
    }
}

pub async fn failed_images_csv(
    Extension(state): Extension<AppState>,
    caller: Option<Extension<Principal>>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Some(refused) = refusal(caller) {
        return refused;
    }
    let q = params(raw.as_deref());
    let filters = TaskFilters::from_query(&q);
    let Some(task_id) = q.get("task_id").filter(|t| !t.is_empty()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "task_id: which task's failed images to download.",
        );
    };
    let mut query = ListTasksRequest::new(filters.list);
    query.task_id = Some(task_id.clone());
    query.limit = Some(10);
    let snapshot = match read_tasks(
        &state,
        filters.account.as_deref(),
        filters.list,
        Some(&query),
    )
    .await
    {
        Ok(snapshot) => snapshot,
        Err(err) => return failure(err),
    };
    let Some(task) = snapshot
        .answer
        .data_list
        .iter()
        .find(|t| t.task_id == task_id)
    else {
        return failure(AppError::NotFound {
            what: format!("Task {task_id}"),
        });
    };
    let rows = task
        .failed_images
        .iter()
        .map(|i| {
            vec![
                i.registry_name
                    .clone()
                    .or_else(|| i.registry_type.clone())
                    .unwrap_or_default(),
                i.namespace.clone(),
                i.image_name.clone(),
                i.image_version.clone(),
                i.failed_reason.clone().unwrap_or_default(),
                reason_text(i.failed_reason.as_deref()),
            ]
        })
        .collect();
    csv_response(
        "scanport-failed-images.csv",
        &[
            "registry",
            "namespace",
            "image",
            "tag",
            "reason_code",
            "reason",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_reads_as_the_page_reads_it() {
        let f = TaskFilters::from_query(&params(Some(
            "type=image_sync&name=nightly%20build&per_page=50&scope=baseline",
        )));
        assert_eq!(f.name, "nightly build");
        assert_eq!(f.per_page, 50);
        assert_eq!(f.list, scanport_wire::hss::TaskListType::ImageSync);
        assert!(f.ignored.is_empty());
    }

    #[test]
    fn states_read_as_words() {
        assert_eq!(state_text(40), "running 40%");
        assert_eq!(state_text(-1), "stopped");
        assert_eq!(time(None), "");
        assert_eq!(time(Some(0)), "");
    }
}
