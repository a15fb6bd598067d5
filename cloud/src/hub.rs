//! One poll serves every viewer. HSS allows a user 5 calls per minute per
//! API, so browsers never cause upstream calls one for one: per account, a
//! hub keeps a snapshot of each task list, refreshes it as often as the
//! budget allows while tasks run and rarely when idle, and hands the same
//! snapshot to every reader and every live stream.

use crate::error::CloudError;
use crate::hss::HssClient;
use scanport_wire::hss::{ListTasksRequest, TaskListType};
use scanport_wire::live::TaskSnapshot;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{Notify, watch};

/// The snapshot holds the first page of this size.
pub const SNAPSHOT_LIMIT: i64 = 200;

/// How often the hub looks again.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// While a task in the list runs (the budget may stretch it).
    pub busy: Duration,
    /// While nothing runs.
    pub idle: Duration,
    /// After a failed refresh, at least this long.
    pub after_error: Duration,
    /// With nobody reading for this long, the hub stops polling.
    pub interest: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Self {
            busy: Duration::from_secs(12),
            idle: Duration::from_secs(120),
            after_error: Duration::from_secs(15),
            interest: Duration::from_secs(600),
        }
    }
}

/// A snapshot as the hub publishes it, with its Server-Sent Event made
/// once: every open stream sends these same bytes (a reference count, not
/// a copy), so ten thousand watchers cost one serialization per change,
/// not ten thousand serializations and copies.
#[derive(Debug)]
pub struct Published {
    pub snapshot: TaskSnapshot,
    /// `event: tasks`, then the snapshot's JSON on one `data:` line.
    pub event: bytes::Bytes,
}

impl Published {
    pub fn new(snapshot: TaskSnapshot) -> Self {
        // A TaskSnapshot is plain data; its JSON cannot fail. Compact JSON
        // has no newline, so one `data:` line carries all of it.
        let json = serde_json::to_vec(&snapshot).unwrap_or_default();
        let mut event = Vec::with_capacity(json.len() + 24);
        event.extend_from_slice(b"event: tasks\ndata: ");
        event.extend_from_slice(&json);
        event.extend_from_slice(b"\n\n");
        Self {
            snapshot,
            event: event.into(),
        }
    }
}

impl std::ops::Deref for Published {
    type Target = TaskSnapshot;
    fn deref(&self) -> &TaskSnapshot {
        &self.snapshot
    }
}

pub type Shared = Option<Arc<Published>>;

struct ListState {
    list: TaskListType,
    tx: watch::Sender<Shared>,
    due: Mutex<Instant>,
}

/// The hub of one HSS account.
pub struct TaskHub {
    client: HssClient,
    pace: Pace,
    lists: [ListState; 2],
    wake: Notify,
    last_interest: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for TaskHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskHub")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

fn epoch_ms(t: SystemTime) -> i64 {
    i64::try_from(t.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis()).unwrap_or(i64::MAX)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl TaskHub {
    /// Creates the hub and starts its polling loop (idle until read).
    pub fn start(client: HssClient, pace: Pace) -> Arc<Self> {
        let now = Instant::now();
        let state = |list| ListState {
            list,
            tx: watch::channel(None).0,
            due: Mutex::new(now),
        };
        let hub = Arc::new(Self {
            client,
            pace,
            lists: [
                state(TaskListType::ImageScan),
                state(TaskListType::ImageSync),
            ],
            wake: Notify::new(),
            last_interest: Mutex::new(None),
        });
        tokio::spawn(Arc::clone(&hub).run());
        hub
    }

    fn state(&self, list: TaskListType) -> &ListState {
        match list {
            TaskListType::ImageScan => &self.lists[0],
            TaskListType::ImageSync => &self.lists[1],
        }
    }

    fn touch(&self) {
        let was_idle = lock(&self.last_interest)
            .replace(Instant::now())
            .is_none_or(|t| t.elapsed() > self.pace.interest);
        if was_idle {
            self.wake.notify_one();
        }
    }

    /// Follows a list's snapshots (a live stream).
    pub fn subscribe(&self, list: TaskListType) -> watch::Receiver<Shared> {
        self.touch();
        self.state(list).tx.subscribe()
    }

    /// Marks the reader of a live stream as still there.
    pub fn keep_interest(&self) {
        self.touch();
    }

    /// The current snapshot, waiting up to `wait` for the first one.
    pub async fn current(&self, list: TaskListType, wait: Duration) -> Shared {
        self.touch();
        let mut rx = self.state(list).tx.subscribe();
        if let Some(snapshot) = rx.borrow().clone() {
            return Some(snapshot);
        }
        let first = tokio::time::timeout(wait, rx.wait_for(Option::is_some)).await;
        first.ok().and_then(Result::ok).and_then(|s| s.clone())
    }

    /// Refreshes a list as soon as the budget allows (after a launch, a
    /// sync or a stop).
    pub fn refresh_soon(&self, list: TaskListType) {
        *lock(&self.state(list).due) = Instant::now();
        self.touch();
        self.wake.notify_one();
    }

    async fn run(self: Arc<Self>) {
        loop {
            let interested =
                lock(&self.last_interest).is_some_and(|t| t.elapsed() <= self.pace.interest);
            if !interested {
                self.wake.notified().await;
                continue;
            }
            let (state, due) = self
                .lists
                .iter()
                .map(|s| (s, *lock(&s.due)))
                .min_by_key(|(_, due)| *due)
                .expect("two lists");
            if due > Instant::now() {
                tokio::select! {
                    () = tokio::time::sleep_until(due.into()) => {}
                    () = self.wake.notified() => {}
                }
                continue;
            }
            self.refresh(state).await;
        }
    }

    async fn refresh(&self, state: &ListState) {
        let mut req = ListTasksRequest::new(state.list);
        req.limit = Some(SNAPSHOT_LIMIT);
        let result = self.client.list_tasks(&req).await.map_err(|err| match err {
            // The refusal that paused the account: say so from now on.
            CloudError::AuthRejected { .. } => self.client.guard().check().err().unwrap_or(err),
            other => other,
        });
        let now = Instant::now();
        let (next, snapshot) = match result {
            Ok(answer) => {
                let mut snapshot = TaskSnapshot {
                    list: state.list,
                    answer,
                    fetched_at_ms: epoch_ms(SystemTime::now()),
                    next_refresh_ms: 0,
                    error: None,
                };
                let wait = if snapshot.has_running() {
                    self.pace.busy
                } else {
                    self.pace.idle
                };
                snapshot.next_refresh_ms = epoch_ms(SystemTime::now() + wait);
                (now + wait, snapshot)
            }
            Err(err) => {
                let wait = match &err {
                    CloudError::RateLimited { retry_after, .. } => {
                        (*retry_after).max(self.pace.after_error)
                    }
                    // Nothing is sent while paused; an operator's retry
                    // asks for a refresh at once (`refresh_soon`).
                    CloudError::AccountPaused { .. } => self.pace.idle,
                    _ => self.pace.after_error,
                };
                tracing::warn!(list = state.list.as_str(), error = %err, "task list refresh failed");
                // Keep showing the last good answer, saying it is stale.
                let last = state.tx.borrow().clone();
                let mut snapshot = last.map(|s| s.snapshot.clone()).unwrap_or(TaskSnapshot {
                    list: state.list,
                    ..TaskSnapshot::default()
                });
                snapshot.error = Some(err.to_string());
                snapshot.next_refresh_ms = epoch_ms(SystemTime::now() + wait);
                (now + wait, snapshot)
            }
        };
        *lock(&state.due) = next;
        state
            .tx
            .send_replace(Some(Arc::new(Published::new(snapshot))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each stream sends `event` as it is, so it must be one whole SSE
    /// event whose data is the snapshot: a newline inside the JSON would
    /// cut it in two for every browser.
    #[test]
    fn published_event_is_one_sse_event_carrying_the_snapshot() {
        let snapshot = TaskSnapshot {
            fetched_at_ms: 1_795_000_000_000,
            error: Some("line one\nline two".to_owned()),
            ..TaskSnapshot::default()
        };
        let published = Published::new(snapshot.clone());
        let text = std::str::from_utf8(&published.event).expect("UTF-8");
        let data = text
            .strip_prefix("event: tasks\ndata: ")
            .and_then(|rest| rest.strip_suffix("\n\n"))
            .expect("one event, one data line");
        assert!(!data.contains('\n'), "{data}");
        let back: TaskSnapshot = serde_json::from_str(data).expect("the snapshot's JSON");
        assert_eq!(back, snapshot);
    }
}
