//! Client-side call budgets per account and API, so that Scanport never
//! sends a call the service would throttle (HSS: 5 calls per minute per user
//! per API; TCSS: 20 per second per action), shared fairly.
//!
//! Every account's calls go out under one key, so the cloud sees one caller
//! however many people use the console. Within that one budget:
//! - calls are evenly spaced (at most one every `period / calls`), so no
//!   window of the service's length ever holds more than `calls`;
//! - the live hub's share is reserved: on an API the hub polls, people's
//!   calls together take at most what is left after half the budget;
//! - when people compete, what they may take is split evenly: while
//!   someone else waits for a call, a person who has already had their
//!   equal part of the period (what people may take ÷ the people who
//!   called in it or wait) is refused, and the waiting one gets the next
//!   slot. One person alone (or people taking turns) may take it all. So a
//!   user looping reads is refused (`rate_limited`, for themself) as soon
//!   as someone else needs a call, and that someone waits about one
//!   spacing.
//!
//! - background filling (the overview, [`in_background`]) takes at most
//!   [`BACKGROUND_SHARE`] of each API's budget (HSS: 1 call a minute of
//!   5; TCSS: 4 a second of 20), and only of an API no person has called
//!   within the period or waits for: it uses what people leave.
//!
//! Who is calling travels with the task ([`on_behalf_of`], [`as_hub`],
//! [`in_background`]); a call made for nobody in particular counts as one
//! shared person.
//!
//! Replicas sharing one account also share its spacing: with
//! [`RateBudget::shared_with`], every call that passes the local checks
//! then reserves its slot in a store all replicas see ([`SharedSlots`],
//! PostgreSQL in the server), so together they never send more than the
//! service allows. Fairness between people stays per replica.

use crate::error::CloudError;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// Who a call is made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    /// The live hub's polling: its share is reserved.
    Hub,
    /// A person (or their token), by user id.
    User(Arc<str>),
    /// Background filling: a capped share, after people.
    Background,
}

/// The part of each API's calls per period that background filling may
/// take: one in five (at least one).
pub const BACKGROUND_SHARE: u32 = 5;

tokio::task_local! {
    static CALLER: Caller;
}

/// Runs `work` with its cloud calls counted against `user_id`'s share.
pub async fn on_behalf_of<F: Future>(user_id: &str, work: F) -> F::Output {
    CALLER.scope(Caller::User(user_id.into()), work).await
}

/// Runs `work` with its cloud calls counted as the live hub's.
pub async fn as_hub<F: Future>(work: F) -> F::Output {
    CALLER.scope(Caller::Hub, work).await
}

/// Runs `work` with its cloud calls counted as background filling: at
/// most one [`BACKGROUND_SHARE`]th of each API's budget, yielding to
/// people.
pub async fn in_background<F: Future>(work: F) -> F::Output {
    CALLER.scope(Caller::Background, work).await
}

/// The share key of calls made outside any scope (the CLI, exports, work
/// that is not the hub's): they count as one person together.
const UNATTRIBUTED: &str = "-";

fn current_caller() -> Caller {
    CALLER
        .try_with(Clone::clone)
        .unwrap_or_else(|_| Caller::User(UNATTRIBUTED.into()))
}

/// One API's recent calls.
#[derive(Debug)]
struct ApiState {
    /// The next call may not start before this (even spacing).
    next_slot: Instant,
    /// People's calls within the last period, oldest first.
    people: VecDeque<(Instant, Arc<str>)>,
    /// How many of those each person made.
    made: HashMap<Arc<str>, usize>,
    /// People waiting for a call now, and how many calls each.
    waiting: HashMap<Arc<str>, usize>,
    /// Background calls within the last period, oldest first.
    background: VecDeque<Instant>,
    /// Whether the hub polls this API (its share is then reserved).
    polled_by_hub: bool,
}

impl ApiState {
    fn new(now: Instant) -> Self {
        Self {
            next_slot: now,
            people: VecDeque::new(),
            made: HashMap::new(),
            waiting: HashMap::new(),
            background: VecDeque::new(),
            polled_by_hub: false,
        }
    }

    /// Forgets calls older than `period`.
    fn age(&mut self, now: Instant, period: Duration) {
        while self
            .background
            .front()
            .is_some_and(|at| *at + period <= now)
        {
            self.background.pop_front();
        }
        while let Some((at, who)) = self.people.front() {
            if *at + period > now {
                break;
            }
            if let Some(n) = self.made.get_mut(who) {
                *n -= 1;
                if *n == 0 {
                    self.made.remove(who);
                }
            }
            self.people.pop_front();
        }
    }

    /// People who called in the period or wait now, `who` included.
    fn active(&self, who: &Arc<str>) -> usize {
        let waiting_only = self
            .waiting
            .keys()
            .filter(|w| !self.made.contains_key(*w))
            .count();
        let asker = usize::from(!self.made.contains_key(who) && !self.waiting.contains_key(who));
        self.made.len() + waiting_only + asker
    }
}

/// Call slots kept where every replica sees them.
pub trait SharedSlots: Send + Sync + std::fmt::Debug {
    /// Reserves the next slot of `api`, `interval` after the last one any
    /// replica reserved, if it starts within `max_wait`: `Ok(how long until
    /// it starts)`, else `Err(how long until one may be free)`. A store
    /// that cannot answer refuses (`Err`): an unsure replica holds back
    /// rather than risk the service's limit.
    fn reserve(
        &self,
        api: &'static str,
        interval: Duration,
        max_wait: Duration,
    ) -> Pin<Box<dyn Future<Output = Result<Duration, Duration>> + Send + '_>>;
}

/// One account's budget: one state per API name, created on first use.
#[derive(Debug)]
pub struct RateBudget {
    calls: u32,
    period: Duration,
    apis: Mutex<HashMap<&'static str, ApiState>>,
    /// The spacing shared with other replicas, if any.
    shared: Option<Arc<dyn SharedSlots>>,
}

impl RateBudget {
    /// `calls` per `period`.
    pub fn new(calls: NonZeroU32, period: Duration) -> Self {
        Self {
            calls: calls.get(),
            period,
            apis: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// Also keeps the spacing in `slots`, which other replicas of the same
    /// account use too.
    #[must_use]
    pub fn shared_with(mut self, slots: Arc<dyn SharedSlots>) -> Self {
        self.shared = Some(slots);
        self
    }

    /// HSS default: 5 calls per minute per API.
    pub fn huawei_default() -> Self {
        Self::new(
            NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN),
            Duration::from_secs(60),
        )
    }

    /// TCSS default: 20 calls per second per action.
    pub fn tencent_default() -> Self {
        Self::new(
            NonZeroU32::new(20).unwrap_or(NonZeroU32::MIN),
            Duration::from_secs(1),
        )
    }

    fn interval(&self) -> Duration {
        self.period / self.calls
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<&'static str, ApiState>> {
        self.apis.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What people may take together per period on an API: everything,
    /// or what is left after the hub's half when the hub polls it.
    fn people_pool(&self, polled_by_hub: bool) -> usize {
        let calls = self.calls as usize;
        if polled_by_hub {
            calls - calls / 2
        } else {
            calls
        }
    }

    /// Takes one call of `api` for the current caller, waiting up to
    /// `max_wait` for it to fit; otherwise fails at once with the time
    /// after which a retry would be accepted.
    pub async fn acquire(&self, api: &'static str, max_wait: Duration) -> Result<(), CloudError> {
        let caller = current_caller();
        let deadline = Instant::now() + max_wait;
        // Held (not read) while this person waits: dropping it leaves the queue.
        let mut _waiting: Option<Waiting<'_>> = None;
        let mut waited = false;
        loop {
            let now = Instant::now();
            let Err(start) = self.try_take(api, &caller, now) else {
                return self.take_shared(api, &caller, deadline).await;
            };
            if start > deadline {
                return Err(refusal(api, &caller, start - now));
            }
            if !waited {
                waited = true;
                crate::telemetry::budget_wait(api);
                // A person waiting counts as active: the others' shares
                // shrink at once, so a looping caller cannot take the slot
                // this one waits for.
                if let Caller::User(who) = &caller {
                    _waiting = Some(Waiting::enter(self, api, Arc::clone(who)));
                }
            }
            // Someone else may take the slot meanwhile: look again then.
            tokio::time::sleep_until(start).await;
        }
    }

    /// After the local checks: the slot other replicas see, waited for.
    async fn take_shared(
        &self,
        api: &'static str,
        caller: &Caller,
        deadline: Instant,
    ) -> Result<(), CloudError> {
        let Some(shared) = &self.shared else {
            return Ok(());
        };
        let max_wait = deadline.saturating_duration_since(Instant::now());
        match shared.reserve(api, self.interval(), max_wait).await {
            Ok(wait) => {
                if !wait.is_zero() {
                    crate::telemetry::budget_wait(api);
                    tokio::time::sleep(wait).await;
                }
                Ok(())
            }
            Err(retry_after) => Err(refusal(api, caller, retry_after)),
        }
    }

    /// Takes the call now if it fits, else answers when it could start.
    fn try_take(&self, api: &'static str, caller: &Caller, now: Instant) -> Result<(), Instant> {
        let mut apis = self.lock();
        let state = apis.entry(api).or_insert_with(|| ApiState::new(now));
        state.age(now, self.period);
        let mut start = state.next_slot.max(now);
        match caller {
            Caller::Hub => state.polled_by_hub = true,
            Caller::Background => {
                // After people: not while one waits for this API, nor
                // within a period of a person's call of it, so it fills
                // what people leave and never makes them wait long.
                if !state.waiting.is_empty() {
                    start = start.max(now + self.interval());
                }
                if let Some((last, _)) = state.people.back() {
                    start = start.max(*last + self.period);
                }
                let share = (self.calls / BACKGROUND_SHARE).max(1) as usize;
                if let Some(freed) = nth_newest(state.background.iter().copied(), share) {
                    start = start.max(freed + self.period);
                }
            }
            Caller::User(who) => {
                let pool = self.people_pool(state.polled_by_hub);
                // The pool frees when its oldest surplus call ages out.
                if let Some(freed) = nth_newest(state.people.iter().map(|(at, _)| *at), pool) {
                    start = start.max(freed + self.period);
                }
                // Split only while someone else waits: people taking turns
                // (one page view after another) each may use it all.
                let someone_else_waits = state.waiting.keys().any(|w| w != who);
                let share = if someone_else_waits {
                    (pool / state.active(who)).max(1)
                } else {
                    pool
                };
                if state.made.get(who).copied().unwrap_or(0) >= share {
                    let mine = state
                        .people
                        .iter()
                        .filter(|(_, w)| w == who)
                        .map(|(at, _)| *at);
                    if let Some(freed) = nth_newest(mine, share) {
                        start = start.max(freed + self.period);
                    }
                }
            }
        }
        if start > now {
            return Err(start);
        }
        state.next_slot = now + self.interval();
        match caller {
            Caller::User(who) => {
                state.people.push_back((now, Arc::clone(who)));
                *state.made.entry(Arc::clone(who)).or_insert(0) += 1;
            }
            Caller::Background => state.background.push_back(now),
            Caller::Hub => {}
        }
        Ok(())
    }
}

/// A call the budget will not send, counted.
fn refusal(api: &'static str, caller: &Caller, retry_after: Duration) -> CloudError {
    crate::telemetry::budget_refusal(api, caller);
    CloudError::RateLimited {
        retry_after,
        upstream_code: None,
        request_id: None,
    }
}

/// A person counted as waiting for an API until dropped (also when the
/// waiting call is cancelled).
struct Waiting<'b> {
    budget: &'b RateBudget,
    api: &'static str,
    who: Arc<str>,
}

impl<'b> Waiting<'b> {
    fn enter(budget: &'b RateBudget, api: &'static str, who: Arc<str>) -> Self {
        if let Some(state) = budget.lock().get_mut(api) {
            *state.waiting.entry(Arc::clone(&who)).or_insert(0) += 1;
        }
        Self { budget, api, who }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Some(state) = self.budget.lock().get_mut(self.api)
            && let Some(n) = state.waiting.get_mut(&self.who)
        {
            *n -= 1;
            if *n == 0 {
                state.waiting.remove(&self.who);
            }
        }
    }
}

/// The `n`th newest of `times` (oldest first), counting from 1, if there
/// are that many: the call whose ageing out makes room for one more.
fn nth_newest(times: impl DoubleEndedIterator<Item = Instant>, n: usize) -> Option<Instant> {
    times.rev().nth(n.checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_minute(calls: u32) -> RateBudget {
        RateBudget::new(
            NonZeroU32::new(calls).unwrap_or(NonZeroU32::MIN),
            Duration::from_secs(60),
        )
    }

    /// How long `acquire` takes for `who` (waiting up to 10 s), or the
    /// retry time it refused with.
    async fn take(budget: &RateBudget, api: &'static str, who: &str) -> Result<Duration, Duration> {
        let started = Instant::now();
        let result = on_behalf_of(who, budget.acquire(api, Duration::from_secs(10))).await;
        match result {
            Ok(()) => Ok(started.elapsed()),
            Err(CloudError::RateLimited { retry_after, .. }) => Err(retry_after),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn second_call_inside_the_interval_fails_fast_when_it_cannot_wait() {
        let budget = RateBudget::huawei_default();
        let soon = Duration::from_secs(1);
        budget.acquire("list_tasks", soon).await.expect("first");
        match budget.acquire("list_tasks", soon).await.unwrap_err() {
            CloudError::RateLimited {
                retry_after,
                upstream_code: None,
                ..
            } => assert!(retry_after > Duration::from_secs(10), "{retry_after:?}"),
            other => panic!("expected a local rate limit, got {other:?}"),
        }
        // Another API has its own budget.
        budget.acquire("list_images", soon).await.expect("separate");
    }

    #[tokio::test(start_paused = true)]
    async fn calls_are_evenly_spaced() {
        let budget = per_minute(1200); // one every 50 ms
        let start = Instant::now();
        for _ in 0..3 {
            budget
                .acquire("x", Duration::from_secs(2))
                .await
                .expect("fits");
        }
        assert_eq!(start.elapsed(), Duration::from_millis(100));
    }

    #[tokio::test(start_paused = true)]
    async fn a_lone_user_may_take_everything_people_may() {
        // 12 a minute, one every 5 s, no hub on this API: all 12 are
        // people's, and one person alone gets them all (waiting the
        // spacing), the 13th only when the first ages out.
        let budget = per_minute(12);
        for call in 0..12 {
            take(&budget, "list_images", "alone")
                .await
                .unwrap_or_else(|retry| panic!("call {call} refused ({retry:?})"));
        }
        // t = 55 s; the first call (t = 0) ages out at 60 s.
        let waited = take(&budget, "list_images", "alone").await.expect("13th");
        assert_eq!(waited, Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn a_looping_user_is_refused_for_themself_once_another_needs_a_call() {
        // 12 a minute, one every 5 s: the looper takes 6 alone (t = 0..25 s).
        let budget = Arc::new(per_minute(12));
        for _ in 0..6 {
            take(&budget, "list_images", "looper").await.expect("alone");
        }
        // Someone else starts waiting for a call (slot at t = 30 s) while
        // the looper asks again: with two people each gets 6 a minute, so
        // the looper's 7th is refused and the other's goes through.
        let other = tokio::spawn({
            let budget = Arc::clone(&budget);
            async move { take(&budget, "list_images", "other").await }
        });
        tokio::task::yield_now().await;
        let retry = take(&budget, "list_images", "looper")
            .await
            .expect_err("the looper's 7th call while another waits");
        // Their first call (t = 0) ages out at t = 60 s.
        assert_eq!(retry, Duration::from_secs(35));
        let waited = other.await.expect("joined").expect("the other gets a call");
        assert!(waited <= Duration::from_secs(5), "{waited:?}");
        // And keeps getting them while the looper has used their half.
        take(&budget, "list_images", "other").await.expect("again");
    }

    #[tokio::test(start_paused = true)]
    async fn the_hub_keeps_its_half_of_an_api_it_polls() {
        // 6 a minute (one every 10 s); the hub polls: people get 3 in all.
        let budget = per_minute(6);
        as_hub(budget.acquire("list_tasks", Duration::from_secs(1)))
            .await
            .expect("hub");
        take(&budget, "list_tasks", "a").await.expect("a 1");
        take(&budget, "list_tasks", "a").await.expect("a 2");
        take(&budget, "list_tasks", "b").await.expect("b 1");
        assert!(
            take(&budget, "list_tasks", "c").await.is_err(),
            "people's pool of 3 is used up"
        );
        assert!(take(&budget, "list_tasks", "a").await.is_err(), "so is a's");
        // The hub is never held back by people's pool, only by spacing.
        let started = Instant::now();
        as_hub(budget.acquire("list_tasks", Duration::from_secs(20)))
            .await
            .expect("the hub polls on");
        assert!(started.elapsed() <= Duration::from_secs(10));
    }

    /// Slots another replica takes too: one every `interval` from a
    /// shared clock, refusing past `max_wait`.
    #[derive(Debug, Default)]
    struct OtherReplica {
        next: Mutex<Option<Instant>>,
    }

    impl SharedSlots for OtherReplica {
        fn reserve(
            &self,
            _api: &'static str,
            interval: Duration,
            max_wait: Duration,
        ) -> Pin<Box<dyn Future<Output = Result<Duration, Duration>> + Send + '_>> {
            let now = Instant::now();
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let start = next.map_or(now, |n| n.max(now));
            let answer = if start - now > max_wait {
                Err(start - now)
            } else {
                *next = Some(start + interval);
                Ok(start - now)
            };
            Box::pin(std::future::ready(answer))
        }
    }

    #[tokio::test(start_paused = true)]
    async fn replicas_sharing_slots_keep_one_spacing_between_them() {
        // 1200 a minute: one every 50 ms, whichever replica calls.
        let slots: Arc<dyn SharedSlots> = Arc::new(OtherReplica::default());
        let replicas = [
            per_minute(1200).shared_with(Arc::clone(&slots)),
            per_minute(1200).shared_with(Arc::clone(&slots)),
        ];
        let start = Instant::now();
        for (i, replica) in replicas.iter().cycle().take(4).enumerate() {
            replica
                .acquire("x", Duration::from_secs(1))
                .await
                .unwrap_or_else(|e| panic!("call {i}: {e:?}"));
        }
        // Alone, each replica would have let its first two go at once.
        assert_eq!(start.elapsed(), Duration::from_millis(150));
        // A call that cannot wait for the shared slot is refused.
        slots
            .reserve("x", Duration::from_secs(5), Duration::from_secs(1))
            .await
            .expect("the other replica takes a long slot");
        match replicas[0].acquire("x", Duration::from_millis(10)).await {
            Err(CloudError::RateLimited { retry_after, .. }) => {
                assert!(retry_after > Duration::from_secs(4), "{retry_after:?}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn calls_outside_any_scope_count_as_one_person() {
        let budget = Arc::new(per_minute(600));
        for _ in 0..300 {
            budget
                .acquire("x", Duration::from_secs(1))
                .await
                .expect("fits");
        }
        // Someone waits for the next slot: the unattributed calls, one
        // person with 300 of the 600, have had their half.
        let someone = tokio::spawn({
            let budget = Arc::clone(&budget);
            async move { take(&budget, "x", "someone").await }
        });
        tokio::task::yield_now().await;
        assert!(budget.acquire("x", Duration::from_secs(1)).await.is_err());
        someone.await.expect("joined").expect("a named user fits");
    }

    #[tokio::test(start_paused = true)]
    async fn background_filling_takes_one_call_a_minute_of_five() {
        let budget = RateBudget::huawei_default();
        let long = Duration::from_secs(120);
        let started = Instant::now();
        in_background(budget.acquire("list_images", long))
            .await
            .expect("first");
        // The second waits for the first to age out, not one spacing.
        in_background(budget.acquire("list_images", long))
            .await
            .expect("second");
        assert_eq!(started.elapsed(), Duration::from_secs(60));
        // A person is held only by the spacing, not by the filler's cap.
        tokio::time::advance(Duration::from_secs(12)).await;
        let person = take(&budget, "list_images", "ann").await;
        assert_eq!(person, Ok(Duration::ZERO));
        // It cannot take more than its share while it waits either.
        let refused = in_background(budget.acquire("list_images", Duration::from_secs(30))).await;
        assert!(refused.is_err(), "{refused:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn background_filling_leaves_an_api_people_use_alone() {
        let budget = RateBudget::huawei_default();
        take(&budget, "list_images", "ann").await.expect("ann");
        tokio::time::advance(Duration::from_secs(30)).await;
        // Ann called 30 s ago: the filler may go 30 s from now, not after
        // one spacing.
        match in_background(budget.acquire("list_images", Duration::from_secs(1))).await {
            Err(CloudError::RateLimited { retry_after, .. }) => {
                assert_eq!(retry_after, Duration::from_secs(30));
            }
            other => panic!("expected to wait for the period, got {other:?}"),
        }
        // Another API nobody used is free for it.
        in_background(budget.acquire("list_tasks", Duration::from_secs(1)))
            .await
            .expect("an API people left alone");
    }

    #[tokio::test(start_paused = true)]
    async fn background_filling_yields_to_a_waiting_person() {
        let budget = Arc::new(RateBudget::tencent_default()); // one every 50 ms
        take(&budget, "x", "ann").await.expect("first");
        // Ann waits for the next slot (50 ms away); the filler asks at once.
        let ann = tokio::spawn({
            let budget = Arc::clone(&budget);
            async move { take(&budget, "x", "ann").await }
        });
        tokio::task::yield_now().await;
        let started = Instant::now();
        in_background(budget.acquire("x", Duration::from_secs(10)))
            .await
            .expect("after ann");
        let ann = ann.await.expect("joined").expect("ann fits");
        assert_eq!(ann, Duration::from_millis(50), "ann first");
        // Then a period after Ann's call.
        assert_eq!(
            started.elapsed(),
            Duration::from_millis(1050),
            "then the filler"
        );
    }
}
