//! The services' rate limits and the Huawei AK lockout, as they apply
//! them: sliding windows of calls per key (an API in total, a user, a
//! client address), and signature failures per AK.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

#[derive(Default)]
pub(crate) struct SlidingWindows {
    calls: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// One limit a call must fit: at most `max` calls under `key` per window.
pub(crate) struct Limit {
    pub key: String,
    pub max: usize,
}

/// The limit that refused a call, and when it will accept one again.
#[derive(Debug)]
pub(crate) struct Refused {
    /// Index into the limits given.
    pub index: usize,
    pub retry_after: Duration,
}

impl SlidingWindows {
    /// Records a call under every limit if it fits them all within the
    /// last `window`; a call refused by one limit counts against none (the
    /// services count only the calls they let through).
    pub fn allow_all(&self, limits: &[Limit], window: Duration) -> Result<(), Refused> {
        let now = Instant::now();
        let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        for (index, limit) in limits.iter().enumerate() {
            let log = calls.entry(limit.key.clone()).or_default();
            while log
                .front()
                .is_some_and(|t| now.duration_since(*t) >= window)
            {
                log.pop_front();
            }
            if log.len() >= limit.max {
                // The oldest call leaving the window frees the next slot.
                let oldest = log.front().copied().unwrap_or(now);
                return Err(Refused {
                    index,
                    retry_after: window.saturating_sub(now.duration_since(oldest)),
                });
            }
        }
        for limit in limits {
            calls.entry(limit.key.clone()).or_default().push_back(now);
        }
        Ok(())
    }
}

/// The AK lockout: `after` signature failures in a row lock an AK for
/// `duration` (Huawei: 5 and 5 minutes). `after == 0` switches it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    pub after: u32,
    pub duration: Duration,
}

impl Default for Lockout {
    fn default() -> Self {
        Self {
            after: 5,
            duration: Duration::from_secs(5 * 60),
        }
    }
}

#[derive(Default)]
struct Failures {
    in_a_row: u32,
    locked_until: Option<Instant>,
}

/// Signature failures per AK.
#[derive(Default)]
pub(crate) struct Lockouts {
    by_ak: Mutex<HashMap<String, Failures>>,
}

impl Lockouts {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Failures>> {
        self.by_ak.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How long `ak` stays locked, if it is.
    pub fn locked(&self, ak: &str) -> Option<Duration> {
        let now = Instant::now();
        let until = self.lock().get(ak)?.locked_until?;
        (until > now).then(|| until - now)
    }

    /// A signature of `ak` failed; returns whether this one locked it.
    pub fn failed(&self, ak: &str, policy: Lockout) -> bool {
        if policy.after == 0 {
            return false;
        }
        let mut by_ak = self.lock();
        let entry = by_ak.entry(ak.to_owned()).or_default();
        entry.in_a_row += 1;
        if entry.in_a_row >= policy.after {
            entry.in_a_row = 0;
            entry.locked_until = Some(Instant::now() + policy.duration);
            return true;
        }
        false
    }

    /// A signature of `ak` verified: the count starts again.
    pub fn verified(&self, ak: &str) {
        self.lock().remove(ak);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(key: &str, max: usize) -> Limit {
        Limit {
            key: key.to_owned(),
            max,
        }
    }

    #[test]
    fn a_call_refused_by_one_limit_counts_against_none() {
        let windows = SlidingWindows::default();
        let minute = Duration::from_secs(60);
        windows
            .allow_all(&[limit("ip", 1)], minute)
            .expect("the address's one call");
        // The user's limit has room, the address's has none: refused, and
        // the user's window is left as it was.
        for _ in 0..3 {
            let refused = windows
                .allow_all(&[limit("user", 2), limit("ip", 1)], minute)
                .expect_err("the address is over its limit");
            assert_eq!(refused.index, 1);
            assert!(refused.retry_after > Duration::from_secs(58));
        }
        windows
            .allow_all(&[limit("user", 2)], minute)
            .expect("first");
        windows
            .allow_all(&[limit("user", 2)], minute)
            .expect("second: the refused calls were not counted");
        assert_eq!(
            windows
                .allow_all(&[limit("user", 2)], minute)
                .expect_err("third")
                .index,
            0
        );
    }

    #[test]
    fn five_failures_in_a_row_lock_the_ak_and_a_success_resets_the_count() {
        let lockouts = Lockouts::default();
        let policy = Lockout::default();
        for _ in 0..4 {
            assert!(!lockouts.failed("AK", policy));
        }
        lockouts.verified("AK");
        for _ in 0..4 {
            assert!(!lockouts.failed("AK", policy));
        }
        assert!(lockouts.locked("AK").is_none());
        assert!(lockouts.failed("AK", policy), "the fifth in a row locks");
        let left = lockouts.locked("AK").expect("locked");
        assert!(left > Duration::from_secs(299), "{left:?}");
        assert!(lockouts.locked("OTHER").is_none());
        let off = Lockout { after: 0, ..policy };
        for _ in 0..10 {
            assert!(!lockouts.failed("OTHER", off));
        }
        assert!(lockouts.locked("OTHER").is_none());
    }
}
