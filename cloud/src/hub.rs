//! One poll serves every viewer. HSS allows a user 5 calls per minute per
//! API, so browsers never cause upstream calls one for one: per account, a
//! hub keeps a snapshot of each feed (an HSS account's two task lists, a
//! TCSS account's current registry scan), refreshes it as often as the
//! budget allows while something runs and rarely when idle, and hands the
//! same snapshot to every reader and every live stream.
//!
//! Replicas of one deployment share each feed ([`SharedFeeds`]): whichever
//! finds a refresh due first asks the cloud and publishes the snapshot,
//! and the others show it, so the cloud sees one poller however many
//! replicas there are.

use crate::error::CloudError;
use crate::hss::HssClient;
use crate::pause::KeyGuard;
use crate::tcss::TcssClient;
use scanport_wire::hss::{ListTasksRequest, TaskListType};
use scanport_wire::live::{TaskSnapshot, TcssScanSnapshot};
use scanport_wire::tcss::RegistryScanStatusRequest;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{Notify, watch};

/// The snapshot holds the first page of this size.
pub const SNAPSHOT_LIMIT: i64 = 200;

/// How often the hub looks again.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// While something in the feed runs (the budget may stretch it).
    pub busy: Duration,
    /// While nothing runs.
    pub idle: Duration,
    /// After a failed refresh, at least this long.
    pub after_error: Duration,
    /// With nobody reading for this long, the hub stops polling.
    pub interest: Duration,
    /// Shared with other replicas: how often to look for their snapshots
    /// (and whether a refresh has come due).
    pub follow: Duration,
    /// Shared: how long one replica's refresh holds the feed before
    /// another may take it; renewed every third of it while the refresh
    /// runs, so only a replica that died mid-refresh loses it.
    pub turn_hold: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Self {
            busy: Duration::from_secs(12),
            idle: Duration::from_secs(120),
            after_error: Duration::from_secs(15),
            interest: Duration::from_secs(600),
            follow: Duration::from_secs(1),
            turn_hold: Duration::from_secs(15),
        }
    }
}

/// Whose refresh of a shared feed it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// This replica's: it asks the cloud and publishes.
    Mine,
    /// Another's, or none is due: what others published since the one
    /// this replica last saw, if anything (sequence number, JSON), and how
    /// long until the next refresh is due (zero: due, but held).
    Theirs(Option<(i64, String)>, Duration),
}

/// A boxed future, for the object-safe [`SharedFeeds`].
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send + 'a>>;

/// One account's feeds as every replica sees them (PostgreSQL in the
/// server), by feed name.
pub trait SharedFeeds: Send + Sync + std::fmt::Debug + 'static {
    /// Takes the feed's refresh if it is due or wanted and nobody holds
    /// it, for at most `hold`; otherwise what others published after
    /// sequence number `seen`.
    fn take_turn(&self, feed: &'static str, seen: i64, hold: Duration) -> Pending<'_, Turn>;
    /// Holds this replica's turn `hold` from now, while its refresh runs;
    /// whether it still held it.
    fn renew(&self, feed: &'static str, hold: Duration) -> Pending<'_, bool>;
    /// Publishes this replica's refresh; the next is due `next_in` from
    /// now. Its sequence number, or `None` if the turn had passed on.
    fn publish(
        &self,
        feed: &'static str,
        json: String,
        next_in: Duration,
    ) -> Pending<'_, Option<i64>>;
    /// Asks for a refresh as soon as possible, by whichever replica.
    fn want_refresh(&self, feed: &'static str) -> Pending<'_, ()>;
    /// Resolves when another replica has announced a publication of one
    /// of this account's feeds (or may have, after a lost connection), so
    /// the hub looks at once rather than at its next `follow`.
    fn announced(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// What a feed publishes: its answer, how fresh it is, and the error of
/// the last refresh when that failed.
pub trait Snapshot: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Whether something in it still runs (the hub then looks sooner).
    fn busy(&self) -> bool;
    /// Sets when the upstream answered (on success) and when the hub will
    /// look again.
    fn stamp(&mut self, fetched_at_ms: Option<i64>, next_refresh_ms: i64);
    fn set_error(&mut self, error: Option<String>);
    /// When the upstream last answered (ms since the epoch; 0: never).
    fn fetched_at_ms(&self) -> i64;
}

/// What a hub polls for one account.
pub trait Source: Send + Sync + 'static {
    /// Which of its feeds.
    type Feed: Copy + Eq + Send + Sync + 'static;
    type Snapshot: Snapshot;
    /// Every feed, in the order the hub keeps them.
    const FEEDS: &'static [Self::Feed];
    /// The Server-Sent Event's name.
    const EVENT: &'static str;
    /// Asks the cloud for a feed's current answer.
    fn fetch(
        &self,
        feed: Self::Feed,
    ) -> impl Future<Output = Result<Self::Snapshot, CloudError>> + Send;
    /// A feed's snapshot before any answer came (shown with the error of a
    /// failed first refresh).
    fn empty(feed: Self::Feed) -> Self::Snapshot;
    fn guard(&self) -> &KeyGuard;
    /// The feed's name in logs.
    fn name(feed: Self::Feed) -> &'static str;
}

/// A snapshot as the hub publishes it, with its Server-Sent Event made
/// once: every open stream sends these same bytes (a reference count, not
/// a copy), so ten thousand watchers cost one serialization per change,
/// not ten thousand serializations and copies.
#[derive(Debug)]
pub struct Published<S> {
    pub snapshot: S,
    /// `event: NAME`, its `id:`, the `retry:` hint, then the snapshot's
    /// JSON on one `data:` line.
    pub event: bytes::Bytes,
}

/// The `retry:` hint of every event: how long a browser whose stream
/// broke waits before it reconnects (its default is up to the browser).
pub const RECONNECT_MS: u32 = 3000;

/// Event ids, unique in this process: a client or proxy can tell events
/// apart (a reconnect always gets the current snapshot first, so a
/// `Last-Event-ID` needs no replay).
static NEXT_EVENT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl<S: Serialize> Published<S> {
    pub fn new(name: &str, snapshot: S) -> Self {
        // A snapshot is plain data; its JSON cannot fail. Compact JSON
        // has no newline, so one `data:` line carries all of it.
        let json = serde_json::to_vec(&snapshot).unwrap_or_default();
        let id = NEXT_EVENT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut event = Vec::with_capacity(json.len() + name.len() + 48);
        event.extend_from_slice(b"event: ");
        event.extend_from_slice(name.as_bytes());
        event.extend_from_slice(format!("\nid: {id}\nretry: {RECONNECT_MS}").as_bytes());
        event.extend_from_slice(b"\ndata: ");
        event.extend_from_slice(&json);
        event.extend_from_slice(b"\n\n");
        Self {
            snapshot,
            event: event.into(),
        }
    }
}

impl<S> std::ops::Deref for Published<S> {
    type Target = S;
    fn deref(&self) -> &S {
        &self.snapshot
    }
}

/// A feed's latest publication, `None` before the first refresh.
pub type Shared<S> = Option<Arc<Published<S>>>;

struct FeedState<S: Source> {
    feed: S::Feed,
    tx: watch::Sender<Shared<S::Snapshot>>,
    due: Mutex<Instant>,
    /// Shared feeds: the newest publication shown here.
    seen: AtomicI64,
}

/// The hub of one account.
pub struct Hub<S: Source> {
    source: S,
    pace: Pace,
    feeds: Vec<FeedState<S>>,
    wake: Notify,
    last_interest: Mutex<Option<Instant>>,
    shared: Option<Arc<dyn SharedFeeds>>,
}

/// An HSS account's hub: its scan and sync task lists.
pub type TaskHub = Hub<HssTasks>;
/// A TCSS account's hub: its current one-key registry scan.
pub type TcssScanHub = Hub<TcssScans>;

impl<S: Source> std::fmt::Debug for Hub<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("event", &S::EVENT)
            .finish_non_exhaustive()
    }
}

fn epoch_ms(t: SystemTime) -> i64 {
    i64::try_from(t.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis()).unwrap_or(i64::MAX)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<S: Source> Hub<S> {
    /// Creates the hub and starts its polling loop (idle until read).
    pub fn start(source: S, pace: Pace) -> Arc<Self> {
        Self::start_shared(source, pace, None)
    }

    /// Like [`Hub::start`], sharing the feeds with other replicas through
    /// `shared` when given.
    pub fn start_shared(source: S, pace: Pace, shared: Option<Arc<dyn SharedFeeds>>) -> Arc<Self> {
        let now = Instant::now();
        let hub = Arc::new(Self {
            source,
            pace,
            feeds: S::FEEDS
                .iter()
                .map(|&feed| FeedState {
                    feed,
                    tx: watch::channel(None).0,
                    due: Mutex::new(now),
                    seen: AtomicI64::new(0),
                })
                .collect(),
            wake: Notify::new(),
            last_interest: Mutex::new(None),
            shared,
        });
        tokio::spawn(Arc::clone(&hub).run());
        hub
    }

    fn state(&self, feed: S::Feed) -> &FeedState<S> {
        self.feeds
            .iter()
            .find(|s| s.feed == feed)
            .expect("every feed has a state (S::FEEDS)")
    }

    fn touch(&self) {
        let was_idle = lock(&self.last_interest)
            .replace(Instant::now())
            .is_none_or(|t| t.elapsed() > self.pace.interest);
        if was_idle {
            self.wake.notify_one();
        }
    }

    /// Follows a feed's snapshots (a live stream).
    pub fn subscribe(&self, feed: S::Feed) -> watch::Receiver<Shared<S::Snapshot>> {
        self.touch();
        self.state(feed).tx.subscribe()
    }

    /// Marks the reader of a live stream as still there.
    pub fn keep_interest(&self) {
        self.touch();
    }

    /// The current snapshot, waiting up to `wait` for the first one.
    pub async fn current(&self, feed: S::Feed, wait: Duration) -> Shared<S::Snapshot> {
        self.touch();
        let mut rx = self.state(feed).tx.subscribe();
        if let Some(snapshot) = rx.borrow().clone() {
            return Some(snapshot);
        }
        let first = tokio::time::timeout(wait, rx.wait_for(Option::is_some)).await;
        first.ok().and_then(Result::ok).and_then(|s| s.clone())
    }

    /// Each feed's name and when its upstream last answered (ms since the
    /// epoch), for feeds that have ever answered; reading this does not
    /// count as interest (the metrics scrape must not keep polling alive).
    pub fn last_answers(&self) -> Vec<(&'static str, i64)> {
        self.feeds
            .iter()
            .filter_map(|state| {
                let at = state.tx.borrow().as_ref()?.fetched_at_ms();
                (at > 0).then(|| (S::name(state.feed), at))
            })
            .collect()
    }

    /// Refreshes a feed as soon as the budget allows (after a launch, a
    /// sync or a stop).
    pub fn refresh_soon(&self, feed: S::Feed) {
        if let Some(shared) = &self.shared {
            // Whichever replica's turn it is then: maybe one already
            // refreshing, which must not count as this refresh.
            let shared = Arc::clone(shared);
            tokio::spawn(async move {
                if let Err(err) = shared.want_refresh(S::name(feed)).await {
                    tracing::warn!(feed = S::name(feed), error = %err, "cannot ask the other replicas for a refresh");
                }
            });
        }
        *lock(&self.state(feed).due) = Instant::now();
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
            let Some((state, due)) = self
                .feeds
                .iter()
                .map(|s| (s, *lock(&s.due)))
                .min_by_key(|(_, due)| *due)
            else {
                return;
            };
            if due > Instant::now() {
                let announced = async {
                    match &self.shared {
                        Some(shared) => shared.announced().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = tokio::time::sleep_until(due.into()) => {}
                    () = self.wake.notified() => {}
                    () = announced => {
                        // Another replica published: show it now.
                        let now = Instant::now();
                        for feed in &self.feeds {
                            let mut due = lock(&feed.due);
                            *due = (*due).min(now);
                        }
                    }
                }
                continue;
            }
            match &self.shared {
                None => {
                    self.refresh(state).await;
                }
                Some(shared) => self.take_turn(shared.as_ref(), state).await,
            }
        }
    }

    /// A shared feed at its due time: refresh and publish it if it is this
    /// replica's turn, else show what another published. Either way look
    /// again after `follow`, so others' refreshes show within it.
    async fn take_turn(&self, shared: &dyn SharedFeeds, state: &FeedState<S>) {
        let name = S::name(state.feed);
        let seen = state.seen.load(Ordering::SeqCst);
        let turn = shared.take_turn(name, seen, self.pace.turn_hold).await;
        let follow = Instant::now() + self.pace.follow;
        match turn {
            Ok(Turn::Mine) => {
                let wait = self.refresh_holding_turn(shared, state).await;
                let json = state
                    .tx
                    .borrow()
                    .as_ref()
                    .and_then(|p| serde_json::to_string(&p.snapshot).ok());
                if let Some(json) = json {
                    match shared.publish(name, json, wait).await {
                        Ok(Some(seq)) => state.seen.store(seq, Ordering::SeqCst),
                        Ok(None) => {}
                        Err(err) => {
                            tracing::warn!(feed = name, error = %err, "cannot publish the live snapshot to the other replicas");
                        }
                    }
                }
                let mut due = lock(&state.due);
                *due = (*due).min(Instant::now() + self.pace.follow);
            }
            Ok(Turn::Theirs(newer, due_in)) => {
                if let Some((seq, json)) = newer {
                    match serde_json::from_str::<S::Snapshot>(&json) {
                        Ok(snapshot) => {
                            state.seen.store(seq, Ordering::SeqCst);
                            state
                                .tx
                                .send_replace(Some(Arc::new(Published::new(S::EVENT, snapshot))));
                        }
                        Err(err) => {
                            tracing::warn!(feed = name, error = %err, "another replica's live snapshot does not read");
                        }
                    }
                }
                // Look again when the next refresh is due, so that one of
                // the replicas takes it on time, and at least every
                // `follow` for what others publish.
                *lock(&state.due) = if due_in.is_zero() {
                    follow
                } else {
                    Instant::now() + due_in.min(self.pace.follow)
                };
            }
            Err(err) => {
                // Alone until the database answers again: the budget still
                // holds calls back when it cannot reserve a shared slot.
                tracing::warn!(feed = name, error = %err, "cannot reach the other replicas; refreshing alone");
                self.refresh(state).await;
            }
        }
    }

    /// [`Self::refresh`], renewing this replica's turn every third of its
    /// hold until the refresh ends (it may wait on the budget for longer).
    async fn refresh_holding_turn(
        &self,
        shared: &dyn SharedFeeds,
        state: &FeedState<S>,
    ) -> Duration {
        let name = S::name(state.feed);
        let hold = self.pace.turn_hold;
        let every = hold / 3;
        let mut renew = tokio::time::interval_at((Instant::now() + every).into(), every);
        renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let refresh = self.refresh(state);
        tokio::pin!(refresh);
        loop {
            tokio::select! {
                wait = &mut refresh => return wait,
                _ = renew.tick() => match shared.renew(name, hold).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(feed = name, "this replica's refresh outlasted its turn; another may refresh meanwhile"),
                    Err(err) => tracing::warn!(feed = name, error = %err, "cannot renew this replica's turn"),
                },
            }
        }
    }

    /// Asks the cloud for a feed and publishes the answer (or the error,
    /// over the last good answer) here; answers how long until the next.
    async fn refresh(&self, state: &FeedState<S>) -> Duration {
        let result = crate::budget::as_hub(self.source.fetch(state.feed))
            .await
            .map_err(|err| match err {
                // The refusal that paused the account: say so from now on.
                CloudError::AuthRejected { .. } => self.source.guard().check().err().unwrap_or(err),
                other => other,
            });
        let now = Instant::now();
        let (wait, snapshot) = match result {
            Ok(mut snapshot) => {
                let wait = if snapshot.busy() {
                    self.pace.busy
                } else {
                    self.pace.idle
                };
                snapshot.stamp(
                    Some(epoch_ms(SystemTime::now())),
                    epoch_ms(SystemTime::now() + wait),
                );
                (wait, snapshot)
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
                tracing::warn!(feed = S::name(state.feed), error = %err, "live refresh failed");
                // Keep showing the last good answer, saying it is stale.
                let last = state.tx.borrow().clone();
                let mut snapshot =
                    last.map_or_else(|| S::empty(state.feed), |s| s.snapshot.clone());
                snapshot.set_error(Some(err.to_string()));
                snapshot.stamp(None, epoch_ms(SystemTime::now() + wait));
                (wait, snapshot)
            }
        };
        *lock(&state.due) = now + wait;
        state
            .tx
            .send_replace(Some(Arc::new(Published::new(S::EVENT, snapshot))));
        wait
    }
}

/// An HSS account's task lists.
pub struct HssTasks(pub HssClient);

impl Snapshot for TaskSnapshot {
    fn busy(&self) -> bool {
        self.has_running()
    }
    fn stamp(&mut self, fetched_at_ms: Option<i64>, next_refresh_ms: i64) {
        if let Some(at) = fetched_at_ms {
            self.fetched_at_ms = at;
        }
        self.next_refresh_ms = next_refresh_ms;
    }
    fn fetched_at_ms(&self) -> i64 {
        self.fetched_at_ms
    }
    fn set_error(&mut self, error: Option<String>) {
        self.error = error;
    }
}

impl Source for HssTasks {
    type Feed = TaskListType;
    type Snapshot = TaskSnapshot;
    const FEEDS: &'static [TaskListType] = &[TaskListType::ImageScan, TaskListType::ImageSync];
    const EVENT: &'static str = "tasks";

    async fn fetch(&self, list: TaskListType) -> Result<TaskSnapshot, CloudError> {
        let mut req = ListTasksRequest::new(list);
        req.limit = Some(SNAPSHOT_LIMIT);
        let answer = self.0.list_tasks(&req).await?;
        Ok(TaskSnapshot {
            list,
            answer,
            ..TaskSnapshot::default()
        })
    }

    fn empty(list: TaskListType) -> TaskSnapshot {
        TaskSnapshot {
            list,
            ..TaskSnapshot::default()
        }
    }

    fn guard(&self) -> &KeyGuard {
        self.0.guard()
    }

    fn name(list: TaskListType) -> &'static str {
        list.as_str()
    }
}

/// A TCSS account's current (latest) one-key registry scan.
pub struct TcssScans(pub TcssClient);

impl Snapshot for TcssScanSnapshot {
    fn busy(&self) -> bool {
        self.is_running()
    }
    fn stamp(&mut self, fetched_at_ms: Option<i64>, next_refresh_ms: i64) {
        if let Some(at) = fetched_at_ms {
            self.fetched_at_ms = at;
        }
        self.next_refresh_ms = next_refresh_ms;
    }
    fn fetched_at_ms(&self) -> i64 {
        self.fetched_at_ms
    }
    fn set_error(&mut self, error: Option<String>) {
        self.error = error;
    }
}

impl Source for TcssScans {
    type Feed = ();
    type Snapshot = TcssScanSnapshot;
    const FEEDS: &'static [()] = &[()];
    const EVENT: &'static str = "tcss-scan";

    async fn fetch(&self, (): ()) -> Result<TcssScanSnapshot, CloudError> {
        // No TaskID: the service answers for the latest one-key scan.
        let status = self
            .0
            .registry_scan_status(&RegistryScanStatusRequest::default())
            .await?;
        Ok(TcssScanSnapshot {
            status,
            ..TcssScanSnapshot::default()
        })
    }

    fn empty((): ()) -> TcssScanSnapshot {
        TcssScanSnapshot::default()
    }

    fn guard(&self) -> &KeyGuard {
        self.0.guard()
    }

    fn name((): ()) -> &'static str {
        "tcss_scan"
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
        let published = Published::new("tasks", snapshot.clone());
        let next = Published::new("tasks", snapshot.clone());
        let text = std::str::from_utf8(&published.event).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "event: tasks");
        let id = |line: &str| {
            line.strip_prefix("id: ")
                .and_then(|n| n.parse::<u64>().ok())
        };
        let next_id = std::str::from_utf8(&next.event)
            .ok()
            .and_then(|t| t.lines().nth(1).and_then(id));
        assert!(id(lines[1]) < next_id, "ids grow: {text}");
        assert_eq!(lines[2], format!("retry: {RECONNECT_MS}"));
        let data = text
            .split_once("\ndata: ")
            .and_then(|(_, rest)| rest.strip_suffix("\n\n"))
            .expect("one event, one data line");
        assert!(!data.contains('\n'), "{data}");
        let back: TaskSnapshot = serde_json::from_str(data).expect("the snapshot's JSON");
        assert_eq!(back, snapshot);
    }
}
