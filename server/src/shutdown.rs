//! Graceful shutdown: on Ctrl-C or SIGTERM the server stops accepting,
//! lets requests in flight finish, and ends live streams (which would
//! otherwise hold the drain open for ever) with a clean end of stream.

use std::time::Duration;
use tokio::sync::watch;

/// Tells everything that outlives a request that the server is stopping.
/// Cheap to clone; every clone sees the same signal.
#[derive(Debug, Clone)]
pub struct Shutdown {
    tx: std::sync::Arc<watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    pub fn new() -> Self {
        Self {
            tx: std::sync::Arc::new(watch::Sender::new(false)),
        }
    }

    /// Starts the shutdown; idempotent.
    pub fn trigger(&self) {
        self.tx.send_replace(true);
    }

    pub fn is_triggered(&self) -> bool {
        *self.tx.borrow()
    }

    /// Resolves once [`trigger`](Self::trigger) was called (at once if it
    /// already was).
    pub async fn wait(&self) {
        let mut rx = self.tx.subscribe();
        // The sender lives in `self`, so `wait_for` only ends on `true`.
        let _ = rx.wait_for(|stopping| *stopping).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn os_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            // Without a SIGTERM handler only Ctrl-C stops us gracefully.
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// How long requests in flight may take to finish after the signal: a
/// cloud call's whole timeout and a margin, then the server exits anyway.
pub fn drain_limit(cloud_timeout_secs: f64) -> Duration {
    Duration::from_secs_f64(cloud_timeout_secs.max(0.0) + 5.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_clone_sees_the_trigger_even_if_it_waits_late() {
        let shutdown = Shutdown::new();
        let early = {
            let s = shutdown.clone();
            tokio::spawn(async move { s.wait().await })
        };
        assert!(!shutdown.is_triggered());
        tokio::task::yield_now().await;
        assert!(!early.is_finished(), "nothing triggered yet");
        shutdown.clone().trigger();
        tokio::time::timeout(Duration::from_secs(1), early)
            .await
            .expect("a waiter started before the trigger wakes")
            .expect("the waiter ran");
        tokio::time::timeout(Duration::from_secs(1), shutdown.wait())
            .await
            .expect("a waiter started after the trigger returns at once");
    }

    #[test]
    fn the_drain_covers_a_whole_cloud_call() {
        assert_eq!(drain_limit(20.0), Duration::from_secs(25));
        assert_eq!(drain_limit(-1.0), Duration::from_secs(5));
    }
}
