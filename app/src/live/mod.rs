//! Live task lists in the browser: follows the server's stream of
//! snapshots (`/api/v1/events/tasks`) and says how fresh the data is.

#[cfg(feature = "hydrate")]
mod follow;

use leptos::prelude::*;
use scanport_wire::hss::TaskListType;
use scanport_wire::live::TaskSnapshot;

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
#[derive(Debug, Clone, Copy)]
pub struct LiveTasks {
    pub snapshot: RwSignal<Option<TaskSnapshot>>,
    pub connection: RwSignal<Connection>,
}

/// Follows the stream of `(account, list)` while the page lives; switches
/// streams when either changes. Does nothing on the server.
pub fn use_live_tasks(account: Memo<Option<String>>, list: Memo<TaskListType>) -> LiveTasks {
    let live = LiveTasks {
        snapshot: RwSignal::new(None),
        connection: RwSignal::new(Connection::Static),
    };
    #[cfg(feature = "hydrate")]
    follow::follow(account, list, live);
    #[cfg(not(feature = "hydrate"))]
    let _ = (account, list);
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
