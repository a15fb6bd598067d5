//! Word that someone may have lost access: a sign-out, a disabled user, a
//! revoked token, a new password. Open live streams hold a [`Watch`] and
//! check their caller again at once when it moves, so a revoked caller's
//! stream ends within moments instead of at its next periodic check, and
//! no stream reads the database per event otherwise.
//!
//! Replicas on one PostgreSQL database hear each other's revocations (and
//! the admin CLI's): the store announces each one on [`CHANNEL`] in the
//! transaction that makes it, and every replica listens
//! ([`Revocations::follow_postgres`]).

use crate::db::Backend;
use crate::{Db, PortalError};
use sqlx::Executor;
use tokio::sync::watch;

/// The PostgreSQL notification channel of revocations.
pub const CHANNEL: &str = "scanport_revocations";

/// Tells every replica that someone may have lost access. In a
/// transaction it is delivered when that commits, never if it rolls back.
/// Nothing on SQLite: one database, one process.
pub(crate) async fn announce<'c, E>(executor: E, backend: Backend) -> Result<(), PortalError>
where
    E: Executor<'c, Database = sqlx::Any>,
{
    if backend == Backend::Postgres {
        // The simple protocol: NOTIFY takes no parameters.
        executor.execute("NOTIFY scanport_revocations").await?;
    }
    Ok(())
}

/// The counter every revocation moves. Cheap to clone; clones share it.
#[derive(Debug, Clone)]
pub struct Revocations {
    count: std::sync::Arc<watch::Sender<u64>>,
}

/// One stream's view of [`Revocations`].
pub type Watch = watch::Receiver<u64>;

impl Default for Revocations {
    fn default() -> Self {
        Self {
            count: std::sync::Arc::new(watch::Sender::new(0)),
        }
    }
}

impl Revocations {
    /// Someone may have lost access: every watcher wakes.
    pub fn note(&self) {
        self.count.send_modify(|n| *n += 1);
    }

    /// How many revocations this process has seen.
    pub fn count(&self) -> u64 {
        *self.count.borrow()
    }

    /// A watch that wakes (`changed()`) at the next revocation.
    pub fn watch(&self) -> Watch {
        self.count.subscribe()
    }

    /// Notes every revocation another replica (or the CLI) announces on
    /// `db`, for as long as the process runs; nothing on SQLite. A lost
    /// connection is made again, and then counts as a revocation (one may
    /// have been missed while it was down).
    pub fn follow_postgres(&self, db: &Db, url: String) {
        if db.backend() != Backend::Postgres {
            return;
        }
        let this = self.clone();
        // A (re)connection counts as a revocation too: one may have been
        // announced while no listener was up.
        crate::notify::follow(url, CHANNEL, "revocations", move |_| this.note());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_revocation_wakes_every_watcher_at_once() {
        let revocations = Revocations::default();
        let mut first = revocations.watch();
        let second = revocations.clone().watch();
        let waiting = tokio::spawn(async move {
            first.changed().await.expect("open");
            *first.borrow_and_update()
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        revocations.note();
        let seen = tokio::time::timeout(Duration::from_secs(1), waiting)
            .await
            .expect("woken within a second")
            .expect("joined");
        assert_eq!(seen, 1);
        assert!(second.has_changed().expect("open"));
        assert_eq!(revocations.count(), 1);
    }
}
