//! The services' rate limits as they apply them: a sliding window of
//! calls per key (user or client address) and API.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub(crate) struct SlidingWindows {
    calls: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl SlidingWindows {
    /// Records a call under `key` unless `max` calls already fell inside
    /// the last `window`; returns whether the call is allowed.
    pub fn allow(&self, key: String, max: usize, window: Duration) -> bool {
        let now = Instant::now();
        let mut calls = self
            .calls
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let log = calls.entry(key).or_default();
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            log.pop_front();
        }
        if log.len() >= max {
            return false;
        }
        log.push_back(now);
        true
    }
}
