//! `GET /api/v1/events/tasks?account=ID&type=image_scan|image_sync`: the
//! live task list as Server-Sent Events. Each event carries the whole
//! snapshot as JSON; a thousand streams read the same snapshot and cost the
//! cloud nothing more than one.

use axum::Extension;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};
use scanport_app::state::AppState;
use scanport_wire::hss::TaskListType;
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    account: Option<String>,
    #[serde(rename = "type", default)]
    list: Option<String>,
}

fn refuse(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({"error": {"kind": kind, "message": message}})),
    )
        .into_response()
}

pub async fn task_events(
    Extension(state): Extension<AppState>,
    caller: Option<Extension<scanport_portal::Principal>>,
    Query(q): Query<EventsQuery>,
) -> Response {
    // Any role may watch; the caller comes from the database (see
    // `security::identity`).
    if !caller.is_some_and(|c| c.role.allows(scanport_portal::Role::Viewer)) {
        return refuse(StatusCode::UNAUTHORIZED, "unauthenticated", "Please sign in.");
    }
    let list = match q.list.as_deref().map(TaskListType::parse) {
        None => TaskListType::ImageScan,
        Some(Some(list)) => list,
        Some(None) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                "type must be image_scan or image_sync",
            );
        }
    };
    let hub = match state.hub(q.account.as_deref()) {
        Ok(hub) => hub.clone(),
        Err(err) => return refuse(StatusCode::NOT_FOUND, "not_found", &err.to_string()),
    };
    let rx = hub.subscribe(list);
    Sse::new(snapshots(hub, rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// Every snapshot of the list, the current one first.
fn snapshots(
    hub: std::sync::Arc<scanport_cloud::hub::TaskHub>,
    rx: tokio::sync::watch::Receiver<scanport_cloud::hub::Shared>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold((hub, rx, true), |(hub, mut rx, first)| async move {
        loop {
            if !first || rx.borrow().is_none() {
                // Waiting for a change; an open stream keeps the hub polling.
                match tokio::time::timeout(Duration::from_secs(60), rx.changed()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return None,
                    Err(_) => {
                        hub.keep_interest();
                        continue;
                    }
                }
            }
            let snapshot = rx.borrow_and_update().clone();
            if let Some(snapshot) = snapshot {
                let event = Event::default()
                    .event("tasks")
                    .json_data(&*snapshot)
                    .unwrap_or_else(|_| Event::default().event("error"));
                return Some((Ok(event), (hub, rx, false)));
            }
        }
    })
}
