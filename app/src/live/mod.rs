//! Live feeds in the browser: follows the server's stream of snapshots
//! (`/api/v1/events/tasks`: an HSS account's task list, or a TCSS
//! account's registry scan) and says how fresh the data is.

#[cfg(feature = "hydrate")]
mod follow;

use leptos::prelude::*;
use scanport_wire::hss::TaskListType;
use scanport_wire::live::{TaskSnapshot, TcssScanSnapshot};

/// The state of the live connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Server-rendered, no stream (JavaScript off, or not yet hydrated).
    Static,
    Connecting,
    Live,
    Reconnecting,
}

/// The latest snapshot from the stream and the connection state.
#[derive(Debug)]
pub struct Live<T: Send + Sync + 'static> {
    pub snapshot: RwSignal<Option<T>>,
    pub connection: RwSignal<Connection>,
}

impl<T: Send + Sync + 'static> Clone for Live<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Live<T> {}

impl<T: Send + Sync + 'static> Live<T> {
    fn new() -> Self {
        Self {
            snapshot: RwSignal::new(None),
            connection: RwSignal::new(Connection::Static),
        }
    }
}

pub type LiveTasks = Live<TaskSnapshot>;

/// The stream's URL for an account (the server's default when `None`).
fn events_url(account: Option<&str>, list: Option<TaskListType>) -> String {
    let mut params = Vec::new();
    if let Some(list) = list {
        params.push(format!("type={}", list.as_str()));
    }
    if let Some(id) = account {
        params.push(format!("account={}", crate::format::url_encode(id)));
    }
    format!("/api/v1/events/tasks?{}", params.join("&"))
}

/// Follows the task list `(account, list)` of an HSS account while the
/// page lives; switches streams when either changes. Does nothing on the
/// server.
pub fn use_live_tasks(account: Memo<Option<String>>, list: Memo<TaskListType>) -> LiveTasks {
    let live = Live::new();
    let url = Memo::new(move |_| events_url(account.get().as_deref(), Some(list.get())));
    #[cfg(feature = "hydrate")]
    follow::follow(
        url,
        "tasks",
        move |s: &TaskSnapshot| s.list == list.get_untracked(),
        live,
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
    live
}

/// Follows a TCSS account's latest registry scan while the page lives.
/// Does nothing on the server.
pub fn use_live_tcss_scan(account: Memo<Option<String>>) -> Live<TcssScanSnapshot> {
    let live = Live::new();
    let url = Memo::new(move |_| events_url(account.get().as_deref(), None));
    #[cfg(feature = "hydrate")]
    follow::follow(url, "tcss-scan", |_: &TcssScanSnapshot| true, live);
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
    live
}

/// The browser's clock, ticking each second after hydration (`None` on the
/// server and during hydration, so both render the same text).
pub fn use_now_ms() -> ReadSignal<Option<i64>> {
    let (now, set_now) = signal(None::<i64>);
    #[cfg(feature = "hydrate")]
    follow::tick(set_now);
    #[cfg(not(feature = "hydrate"))]
    let _ = set_now;
    now
}
