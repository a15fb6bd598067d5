//! Client-side call budgets per account and API, so that Scanport never
//! sends a call the service would throttle (HSS: 5 calls per minute per user
//! per API; TCSS: 20 per second per action).

use crate::error::CloudError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One limiter per API name, created on first use.
pub struct RateBudget {
    quota: Quota,
    limiters: Mutex<HashMap<&'static str, std::sync::Arc<DefaultDirectRateLimiter>>>,
}

impl RateBudget {
    /// `calls` per `period`, evenly spaced: at most one call every
    /// `period / calls`, so no window of length `period` ever holds more
    /// than `calls`, whatever the service's window alignment.
    pub fn new(calls: NonZeroU32, period: Duration) -> Self {
        let interval = period / calls.get();
        let quota = Quota::with_period(interval)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::MIN);
        Self {
            quota,
            limiters: Mutex::new(HashMap::new()),
        }
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

    fn limiter(&self, api: &'static str) -> std::sync::Arc<DefaultDirectRateLimiter> {
        let mut map = self
            .limiters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(api)
            .or_insert_with(|| std::sync::Arc::new(RateLimiter::direct(self.quota)))
            .clone()
    }

    /// Takes one call from the budget of `api`, waiting if the call can
    /// still start before `deadline`; otherwise fails at once with the time
    /// after which a retry would be accepted.
    pub async fn acquire(&self, api: &'static str, deadline: Instant) -> Result<(), CloudError> {
        let limiter = self.limiter(api);
        loop {
            let wait = match limiter.check() {
                Ok(()) => return Ok(()),
                Err(not_until) => not_until.wait_time_from(DefaultClock::default().now()),
            };
            if Instant::now() + wait > deadline {
                return Err(CloudError::RateLimited {
                    retry_after: wait,
                    upstream_code: None,
                    request_id: None,
                });
            }
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn second_call_inside_the_interval_fails_fast_when_it_cannot_wait() {
        let budget = RateBudget::huawei_default();
        let soon = Instant::now() + Duration::from_secs(1);
        budget
            .acquire("list_tasks", soon)
            .await
            .expect("first call fits");
        let err = budget.acquire("list_tasks", soon).await.unwrap_err();
        match err {
            CloudError::RateLimited {
                retry_after,
                upstream_code: None,
                ..
            } => {
                assert!(retry_after > Duration::from_secs(10), "{retry_after:?}");
            }
            other => panic!("expected a local rate limit, got {other:?}"),
        }
        // Another API has its own budget.
        budget
            .acquire("list_images", soon)
            .await
            .expect("separate budget");
    }

    #[tokio::test]
    async fn a_call_waits_when_it_can_start_before_its_deadline() {
        let budget = RateBudget::new(
            NonZeroU32::new(20).unwrap_or(NonZeroU32::MIN),
            Duration::from_secs(1),
        );
        let start = Instant::now();
        let deadline = start + Duration::from_secs(2);
        budget.acquire("x", deadline).await.expect("first");
        budget
            .acquire("x", deadline)
            .await
            .expect("second waits ~50ms");
        assert!(start.elapsed() >= Duration::from_millis(40));
    }
}
