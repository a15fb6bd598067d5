//! Sign-in throttling, per account name and per client address, so
//! passwords cannot be guessed quickly from one place or against one user.
//! In memory: each replica throttles on its own.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

#[derive(Debug)]
pub struct LoginThrottle {
    by_name: DefaultKeyedRateLimiter<String>,
    by_addr: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for LoginThrottle {
    /// 5 attempts a minute per name, 20 per address (bursts of that size).
    fn default() -> Self {
        Self::new(5, 20)
    }
}

impl LoginThrottle {
    pub fn new(per_name_per_minute: u32, per_addr_per_minute: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            by_name: RateLimiter::keyed(quota(per_name_per_minute)),
            by_addr: RateLimiter::keyed(quota(per_addr_per_minute)),
        }
    }

    /// Counts an attempt; `Err` with the wait when either limit is hit.
    pub fn attempt(&self, name: &str, addr: Option<IpAddr>) -> Result<(), Duration> {
        let clock = governor::clock::DefaultClock::default();
        let wait = |not_until: governor::NotUntil<_>| {
            not_until.wait_time_from(governor::clock::Clock::now(&clock))
        };
        if let Some(addr) = addr {
            self.by_addr.check_key(&addr).map_err(wait)?;
        }
        self.by_name.check_key(&name.to_lowercase()).map_err(wait)?;
        Ok(())
    }

    /// Forgets keys whose limits have fully recovered (bounded memory).
    pub fn shrink(&self) {
        self.by_name.retain_recent();
        self.by_addr.retain_recent();
    }
}
