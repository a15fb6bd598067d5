//! A short cache of one account's read answers: a page reloaded, or the
//! same list asked for by many people at once, costs the cloud one call
//! and waits for no budget slot. Concurrent identical reads share one
//! call. Any change the account makes (a launch, a sync, a stop, a policy
//! edit) empties the cache, so what the console changed shows at once;
//! what changed elsewhere shows within the cache's lifetime.
//!
//! Live status reads (the task lists the hub polls, a sync's progress) are
//! never cached: their callers want the cloud's answer of this moment. When
//! one answers differently from the last time, something is moving
//! upstream (a scan or a sync, wherever it was started), and the lists
//! that show its state (an image's scan status, a registry's sync status)
//! may be stale: the cache empties then too.

use crate::error::CloudError;
use crate::transport::RawAnswer;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// Past this many entries, expired ones are swept out on the next insert.
const SWEEP_ABOVE: usize = 256;

/// A read still unanswered after this long was abandoned (a call gives up
/// well before: timeout times attempts), and its slot may be swept.
const IN_FLIGHT_FOR: Duration = Duration::from_secs(180);

/// A read's identity: the API and everything the request says (URL with
/// query, or body).
type Key = (&'static str, Box<[u8]>);

/// One read: filled once by whichever caller came first; the others wait
/// for it. An error fills nothing: the slot is dropped, and a caller
/// already waiting on it makes the call itself.
struct SlotState {
    created: Instant,
    answer: OnceCell<(Instant, Arc<RawAnswer>)>,
}

type Slot = Arc<SlotState>;

/// What a live read's answer says, for telling whether it moved: a hash of
/// the body, less what differs on every answer (e.g. a request id).
pub(crate) type Fingerprint = fn(&[u8]) -> u64;

/// What differs between the two clouds' caches; each client declares it once.
pub(crate) struct Upstream {
    /// `huawei` or `tencent`, for the metrics.
    pub provider: &'static str,
    /// Reads whose callers want this moment's answer, never a cached one.
    pub live_reads: &'static [&'static str],
    pub fingerprint: Fingerprint,
}

/// One account's cache. A zero lifetime turns it off.
pub struct ReadCache {
    ttl: Duration,
    upstream: &'static Upstream,
    slots: Mutex<HashMap<Key, Slot>>,
    /// The last fingerprint of each live read.
    live: Mutex<HashMap<Key, u64>>,
    /// Told of every clear this replica's own calls cause (so other
    /// replicas may clear theirs).
    on_change: std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>,
}

/// A hash of bytes, the same in every process.
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Empties the cache when dropped: a change's clear happens even if the
/// request that made it was cancelled mid-call (the change may have
/// reached the cloud).
struct ClearOnDrop<'a>(&'a ReadCache);

impl Drop for ClearOnDrop<'_> {
    fn drop(&mut self) {
        self.0.changed();
    }
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl ReadCache {
    pub(crate) fn new(ttl: Duration, upstream: &'static Upstream) -> Self {
        Self {
            ttl,
            upstream,
            slots: Mutex::default(),
            live: Mutex::default(),
            on_change: std::sync::OnceLock::new(),
        }
    }

    /// Calls `tell` at every clear this cache's own calls cause (a change,
    /// a live read that moved); set once.
    pub fn on_change(&self, tell: Box<dyn Fn() + Send + Sync>) {
        if self.on_change.set(tell).is_err() {
            tracing::warn!("the read cache already tells someone of its changes");
        }
    }

    /// Runs one call through the cache: a change (`read` false) empties
    /// it once done, whatever came of it; a live read goes past it, and
    /// empties it when its answer moved; any other read may be answered
    /// from it. `request` is everything the request says (URL with query,
    /// or body).
    pub(crate) async fn call<F, Fut>(
        &self,
        api: &'static str,
        read: bool,
        request: &[u8],
        fetch: F,
    ) -> Result<Arc<RawAnswer>, CloudError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<RawAnswer, CloudError>>,
    {
        if !read {
            let _clear = ClearOnDrop(self);
            return fetch().await.map(Arc::new);
        }
        if self.upstream.live_reads.contains(&api) {
            let answer = fetch().await?;
            self.note_live((api, request.into()), &answer.body);
            return Ok(Arc::new(answer));
        }
        self.read((api, request.into()), fetch).await
    }

    /// The answer of a read `key`, from the cache while it is fresh, else
    /// from `fetch` (once for all who ask at the same time).
    async fn read<F, Fut>(&self, key: Key, fetch: F) -> Result<Arc<RawAnswer>, CloudError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<RawAnswer, CloudError>>,
    {
        if self.ttl.is_zero() {
            return fetch().await.map(Arc::new);
        }
        let api = key.0;
        let slot = self.slot(&key);
        if let Some((_, answer)) = slot.answer.get() {
            crate::telemetry::read_cache_hit(self.upstream.provider, api);
            return Ok(Arc::clone(answer));
        }
        let filled = slot
            .answer
            .get_or_try_init(|| async { fetch().await.map(|a| (Instant::now(), Arc::new(a))) })
            .await;
        match filled {
            Ok((_, answer)) => Ok(Arc::clone(answer)),
            Err(err) => {
                let mut slots = self.lock_slots();
                if slots.get(&key).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
                    slots.remove(&key);
                }
                Err(err)
            }
        }
    }

    /// The slot for `key`: the current one if it is being filled or is
    /// still fresh, else a new, empty one.
    fn slot(&self, key: &Key) -> Slot {
        let now = Instant::now();
        let fresh = |slot: &Slot| match slot.answer.get() {
            Some((at, _)) => now.duration_since(*at) < self.ttl,
            None => now.duration_since(slot.created) < IN_FLIGHT_FOR,
        };
        let mut slots = self.lock_slots();
        if let Some(slot) = slots.get(key).filter(|s| fresh(s)) {
            return Arc::clone(slot);
        }
        if slots.len() >= SWEEP_ABOVE {
            slots.retain(|_, s| fresh(s));
        }
        let slot = Arc::new(SlotState {
            created: now,
            answer: OnceCell::new(),
        });
        slots.insert(key.clone(), Arc::clone(&slot));
        slot
    }

    /// Empties the cache when a live read's answer differs from its last.
    fn note_live(&self, key: Key, body: &[u8]) {
        let print = (self.upstream.fingerprint)(body);
        let before = {
            let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
            // Keys come from callers' filters; forgetting them all only
            // costs the next comparison.
            if live.len() >= SWEEP_ABOVE {
                live.clear();
            }
            live.insert(key, print)
        };
        if before.is_some_and(|b| b != print) {
            self.changed();
        }
    }

    /// Forgets every answer and says so: something changed upstream.
    fn changed(&self) {
        self.clear();
        if let Some(tell) = self.on_change.get() {
            tell();
        }
    }

    /// Forgets every answer: the account changed something upstream (here
    /// or, when called from outside, on another replica). A read still in
    /// flight fills a slot no later caller finds.
    pub fn clear(&self) {
        self.lock_slots().clear();
    }

    fn lock_slots(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn answer(body: &'static str) -> RawAnswer {
        RawAnswer {
            status: 200,
            headers: reqwest::header::HeaderMap::new(),
            body: bytes::Bytes::from_static(body.as_bytes()),
        }
    }

    /// Like Tencent's: `Status` is a live read.
    static TEST: Upstream = Upstream {
        provider: "huawei",
        live_reads: &["Status"],
        fingerprint: hash_bytes,
    };

    /// What a failed call answers.
    fn unavailable() -> CloudError {
        CloudError::Unavailable {
            message: "HTTP 503".to_owned(),
            code: None,
            request_id: None,
        }
    }

    fn key(api: &'static str, query: &str) -> Key {
        (api, query.as_bytes().into())
    }

    async fn read(cache: &ReadCache, k: Key, calls: &AtomicU32) -> Result<Vec<u8>, CloudError> {
        cache
            .read(k, || async {
                calls.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                Ok(answer("{}"))
            })
            .await
            .map(|a| a.body.to_vec())
    }

    #[tokio::test]
    async fn a_repeated_read_is_answered_from_the_cache_until_a_change_clears_it() {
        let cache = ReadCache::new(Duration::from_secs(30), &TEST);
        let calls = AtomicU32::new(0);
        read(&cache, key("list_images", "limit=10"), &calls)
            .await
            .expect("first");
        read(&cache, key("list_images", "limit=10"), &calls)
            .await
            .expect("again");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "the second read is cached");
        read(&cache, key("list_images", "limit=20"), &calls)
            .await
            .expect("other query");
        assert_eq!(
            calls.load(Ordering::SeqCst),
            2,
            "another query is another read"
        );
        cache.clear();
        read(&cache, key("list_images", "limit=10"), &calls)
            .await
            .expect("after clear");
        assert_eq!(
            calls.load(Ordering::SeqCst),
            3,
            "a change empties the cache"
        );
    }

    #[tokio::test]
    async fn concurrent_identical_reads_share_one_call() {
        let cache = ReadCache::new(Duration::from_secs(30), &TEST);
        let calls = AtomicU32::new(0);
        let k = || key("list_images", "limit=10");
        let (a, b, c) = tokio::join!(
            read(&cache, k(), &calls),
            read(&cache, k(), &calls),
            read(&cache, k(), &calls)
        );
        assert!(a.is_ok() && b.is_ok() && c.is_ok());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_error_is_not_kept_and_the_next_read_asks_again() {
        let cache = ReadCache::new(Duration::from_secs(30), &TEST);
        let failed = cache
            .read(key("list_images", ""), || async { Err(unavailable()) })
            .await;
        assert!(failed.is_err());
        let calls = AtomicU32::new(0);
        read(&cache, key("list_images", ""), &calls)
            .await
            .expect("retried");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_live_read_whose_answer_moved_empties_the_cache() {
        let cache = ReadCache::new(Duration::from_secs(30), &TEST);
        let calls = AtomicU32::new(0);
        let status = |body: &'static str| {
            cache.call(
                "Status",
                true,
                b"{}",
                move || async move { Ok(answer(body)) },
            )
        };
        read(&cache, key("list", ""), &calls).await.expect("first");
        status(r#"{"State":"syncing"}"#).await.expect("status");
        status(r#"{"State":"syncing"}"#).await.expect("status");
        read(&cache, key("list", ""), &calls)
            .await
            .expect("still cached");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "nothing moved");
        status(r#"{"State":"done"}"#).await.expect("status");
        read(&cache, key("list", ""), &calls)
            .await
            .expect("asked again");
        assert_eq!(
            calls.load(Ordering::SeqCst),
            2,
            "the sync ended: the list may show it"
        );
    }

    #[tokio::test]
    async fn a_change_cancelled_mid_call_still_empties_the_cache() {
        let cache = ReadCache::new(Duration::from_secs(30), &TEST);
        let calls = AtomicU32::new(0);
        read(&cache, key("list", ""), &calls).await.expect("first");
        let change = cache.call("launch", false, b"", || {
            std::future::pending::<Result<RawAnswer, CloudError>>()
        });
        let gave_up = tokio::time::timeout(Duration::from_millis(10), change).await;
        assert!(gave_up.is_err(), "the client hung up mid-change");
        read(&cache, key("list", ""), &calls)
            .await
            .expect("asked again");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failed_reads_leave_nothing_behind() {
        let cache = ReadCache::new(Duration::from_secs(30), &TEST);
        for i in 0..1000 {
            let failed = cache
                .read(key("image", &i.to_string()), || async {
                    Err(unavailable())
                })
                .await;
            assert!(failed.is_err());
        }
        assert_eq!(cache.lock_slots().len(), 0);
    }

    #[tokio::test]
    async fn an_answer_expires_after_its_lifetime_and_zero_turns_the_cache_off() {
        let cache = ReadCache::new(Duration::from_millis(50), &TEST);
        let calls = AtomicU32::new(0);
        read(&cache, key("a", ""), &calls).await.expect("first");
        std::thread::sleep(Duration::from_millis(60));
        read(&cache, key("a", ""), &calls).await.expect("expired");
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let off = ReadCache::new(Duration::ZERO, &TEST);
        let calls = AtomicU32::new(0);
        read(&off, key("a", ""), &calls).await.expect("1");
        read(&off, key("a", ""), &calls).await.expect("2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
