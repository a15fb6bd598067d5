//! A bound on password hashing for callers nobody has signed in yet:
//! argon2 takes tens of milliseconds and 19 MiB per hash, on the blocking
//! pool. A few hash at once, a few more wait their turn, and the rest are
//! told to come back (503) instead of piling up.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Debug)]
pub struct HashingGate {
    permits: Arc<Semaphore>,
    /// Hashing plus waiting, at most.
    capacity: usize,
    inside: AtomicUsize,
}

/// The right to hash once; frees its place when dropped.
#[derive(Debug)]
pub struct HashingPass<'g> {
    _permit: OwnedSemaphorePermit,
    gate: &'g HashingGate,
}

impl Drop for HashingPass<'_> {
    fn drop(&mut self) {
        self.gate.inside.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashingGate {
    /// `concurrent` hashes at once (at least one), `queue` more waiting.
    pub fn new(concurrent: usize, queue: usize) -> Self {
        let concurrent = concurrent.max(1);
        Self {
            permits: Arc::new(Semaphore::new(concurrent)),
            capacity: concurrent + queue,
            inside: AtomicUsize::new(0),
        }
    }

    /// How many are hashing or waiting now.
    pub fn inside(&self) -> usize {
        self.inside.load(Ordering::SeqCst)
    }

    /// Waits for a turn, or `None` at once when the queue is full.
    pub async fn enter(&self) -> Option<HashingPass<'_>> {
        // Take a place only if one is free, so the count never steps past
        // the bound, not even for the instant a refused caller would need to
        // give it back.
        self.inside
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |inside| {
                (inside < self.capacity).then_some(inside + 1)
            })
            .ok()?;
        // Counted from here: a dropped future gives its place back.
        let guard = Leave(self);
        let permit = self.permits.clone().acquire_owned().await.ok()?;
        std::mem::forget(guard);
        Some(HashingPass {
            _permit: permit,
            gate: self,
        })
    }
}

/// Gives the place back if the wait ends without a pass.
struct Leave<'g>(&'g HashingGate);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.inside.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_places_come_back() {
        let gate = HashingGate::new(1, 1);
        let first = gate.enter().await.expect("a turn");
        let waiting = gate.enter();
        tokio::pin!(waiting);
        // The second waits (queued) ...
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(20), &mut waiting)
                .await
                .is_err()
        );
        // ... so a third finds the queue full.
        assert!(gate.enter().await.is_none());
        drop(first);
        let second = waiting.await.expect("its turn");
        drop(second);
        assert!(gate.enter().await.is_some());
    }
}
