//! `GET /api/v1/events/tasks?account=ID&type=image_scan|image_sync`: the
//! live task list of an HSS account (`event: tasks`), or a TCSS account's
//! current registry scan (`event: tcss-scan`; `type` does not apply), as
//! Server-Sent Events. Each event carries the whole snapshot as JSON; a
//! thousand streams read the same snapshot and cost the cloud nothing more
//! than one. Streams end cleanly when the server shuts down (see
//! `shutdown`).

use crate::shutdown::Shutdown;
use axum::Extension;
use axum::body::Body;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::StreamExt;
use futures::stream::{self, Stream};
use scanport_app::state::AppState;
use scanport_cloud::hub::{Hub, Shared, Source};
use scanport_portal::{Principal, Via, sessions, tokens};
use scanport_wire::hss::TaskListType;
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

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
    Extension(sign_in): Extension<crate::auth::SignIn>,
    caller: Option<Extension<scanport_portal::Principal>>,
    shutdown: Option<Extension<Shutdown>>,
    Query(q): Query<EventsQuery>,
) -> Response {
    // Any role may watch; the caller comes from the database (see
    // `security::identity`).
    let Some(Extension(caller)) = caller.filter(|c| c.role.allows(scanport_portal::Role::Viewer))
    else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Please sign in.",
        );
    };
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
    // The account's provider decides the feed: an unknown account or
    // one of neither kind is refused as the HSS lookup refuses it.
    let provider = state
        .accounts
        .iter()
        .find(|a| Some(a.info.id.as_str()) == q.account.as_deref())
        .map(|a| a.info.provider);
    let watcher = Watcher {
        state,
        caller,
        sessions: sign_in.sessions,
    };
    // A router without a shutdown signal (tests' in-process servers) never
    // ends streams for it.
    let stopping = shutdown.map(|Extension(s)| s);
    if provider == Some(scanport_app::accounts::Provider::Tencent) {
        let hub = match watcher.state.tcss_hub(q.account.as_deref()) {
            Ok(hub) => hub.clone(),
            Err(err) => return refuse_app(&err),
        };
        let rx = hub.subscribe(());
        return event_stream(snapshots(hub, rx, watcher), stopping);
    }
    let hub = match watcher.state.hub(q.account.as_deref()) {
        Ok(hub) => hub.clone(),
        Err(err) => return refuse_app(&err),
    };
    let rx = hub.subscribe(list);
    event_stream(snapshots(hub, rx, watcher), stopping)
}

fn refuse_app(err: &scanport_app::error::AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
    refuse(status, err.kind(), &err.to_string())
}

/// The stream as the response, ended when the server shuts down. The
/// hub's event bytes go out as they are: axum's `Sse` would copy each
/// event into a buffer of its own, per stream.
fn event_stream(
    events: impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static,
    stopping: Option<Shutdown>,
) -> Response {
    // Counted as open for as long as the body lives.
    let open = crate::metrics::OpenStream::count();
    let stream = events
        .take_until(async move {
            match stopping {
                Some(shutdown) => shutdown.wait().await,
                None => std::future::pending().await,
            }
        })
        .map(move |event| {
            let _still_open = &open;
            event
        });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            // nginx would otherwise buffer the stream and deliver
            // snapshots late, in batches.
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// Who holds a stream open. A stream outlives the request that opened it,
/// so the caller is checked again while it runs: signing out, disabling
/// the user or revoking the token here ends it at once (see
/// `Portal::note_revocation`); done by another process (the admin CLI,
/// another replica), within [`RECHECK`].
struct Watcher {
    state: AppState,
    caller: Principal,
    /// How long sessions live, to tell whether the caller's still does.
    sessions: scanport_portal::sessions::SessionPolicy,
}

/// How often a stream re-checks its caller (and tells the hub it is still
/// watched), and sends a comment when nothing else went out, so proxies
/// keep the connection open. On a timer and after a revocation, not at
/// each change: a change reaches ten thousand streams without ten thousand
/// database reads in its way.
const RECHECK: Duration = Duration::from_secs(15);

impl Watcher {
    /// Boxed: the database call's future is large and rarely made, and
    /// inline it would sit in every open stream's state.
    async fn still_allowed(&self) -> bool {
        Box::pin(self.check()).await
    }

    async fn check(&self) -> bool {
        let portal = &self.state.portal;
        let live = match &self.caller.via {
            Via::Session { id_hash } => sessions::is_live(&portal.db, id_hash, self.sessions).await,
            Via::Token { id } => tokens::is_live(&portal.db, id).await,
        };
        // A database hiccup does not end streams; a definite "no" does.
        live.unwrap_or(true)
    }
}

/// A stream's state between events.
struct Following<S: Source> {
    hub: Arc<Hub<S>>,
    rx: tokio::sync::watch::Receiver<Shared<S::Snapshot>>,
    watcher: Watcher,
    /// The current snapshot is still to be sent (it goes first).
    first: bool,
    next_check: Instant,
    /// Moves at each revocation in this process.
    revoked: scanport_portal::revocations::Watch,
    /// Something went out since the last check (else a keep-alive does).
    sent: bool,
}

/// An SSE comment: ignored by `EventSource`, and traffic for proxies.
const KEEP_ALIVE: &[u8] = b":\n\n";

/// Every snapshot of the feed as an event, the current one first, while
/// the caller may watch.
fn snapshots<S: Source>(
    hub: Arc<Hub<S>>,
    rx: tokio::sync::watch::Receiver<Shared<S::Snapshot>>,
    watcher: Watcher,
) -> impl Stream<Item = Result<Bytes, Infallible>> + use<S> {
    let revoked = watcher.state.portal.revocations.watch();
    let following = Following {
        revoked,
        hub,
        rx,
        watcher,
        first: true,
        next_check: Instant::now() + RECHECK,
        sent: false,
    };
    stream::unfold(following, |mut f| async move {
        loop {
            if Instant::now() >= f.next_check {
                f.revoked.mark_unchanged();
                if !f.watcher.still_allowed().await {
                    return None;
                }
                // An open stream keeps the hub polling.
                f.hub.keep_interest();
                f.next_check = Instant::now() + RECHECK;
                if !std::mem::take(&mut f.sent) {
                    return Some((Ok(Bytes::from_static(KEEP_ALIVE)), f));
                }
            }
            if !f.first || f.rx.borrow().is_none() {
                let woke = tokio::time::timeout_at(f.next_check, async {
                    // Either closes only when the server goes away.
                    tokio::select! {
                        changed = f.rx.changed() => changed.map(|()| Wake::Snapshot),
                        changed = f.revoked.changed() => changed.map(|()| Wake::Revocation),
                    }
                })
                .await;
                match woke {
                    Ok(Ok(Wake::Snapshot)) => {}
                    Ok(Ok(Wake::Revocation)) => {
                        // Someone lost access: if it is this caller, the
                        // stream ends now, not at its next check.
                        f.revoked.mark_unchanged();
                        if !f.watcher.still_allowed().await {
                            return None;
                        }
                        continue;
                    }
                    Ok(Err(_)) => return None,
                    Err(_) => continue,
                }
            }
            f.first = false;
            let published = f.rx.borrow_and_update().clone();
            if let Some(published) = published {
                f.sent = true;
                return Some((Ok(published.event.clone()), f));
            }
        }
    })
}

/// What woke a waiting stream.
enum Wake {
    Snapshot,
    Revocation,
}
