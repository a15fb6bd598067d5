//! Who a credential belongs to, remembered for a few seconds: a script or
//! a page polling the API would otherwise cost a database round trip (and
//! a pool connection) per request. Every revocation (sign-out, disabled
//! user, revoked token, new password, changed role: [`Revocations`], from
//! this replica or another) forgets them all at once, so none of those is
//! ever late; only what nobody announces (an idle session or a token
//! reaching its end) may count up to [`REMEMBER_FOR`] late.

use crate::revocations::Revocations;
use crate::{PortalError, Principal};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an answer is reused.
pub const REMEMBER_FOR: Duration = Duration::from_secs(5);

/// Past this many entries, stale ones are swept out on the next insert.
const SWEEP_ABOVE: usize = 4096;

struct Entry {
    principal: Principal,
    at: Instant,
    /// The revocation count when it was looked up.
    epoch: u64,
}

/// The cache; one per process.
pub struct Principals {
    revocations: Revocations,
    entries: Mutex<HashMap<String, Entry>>,
}

impl std::fmt::Debug for Principals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Principals").finish_non_exhaustive()
    }
}

impl Principals {
    pub fn new(revocations: Revocations) -> Self {
        Self {
            revocations,
            entries: Mutex::default(),
        }
    }

    /// The caller behind `credential` (kept only as its hash), from the
    /// cache while no revocation has come since, else from `load`. Only
    /// a found caller is kept: an unknown credential asks every time.
    pub async fn get<F, Fut>(
        &self,
        credential: &str,
        load: F,
    ) -> Result<Option<Principal>, PortalError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<Principal>, PortalError>>,
    {
        let key = crate::secret::sha256_hex(credential);
        // Read before the lookup: a revocation during it makes the entry
        // stale at once.
        let epoch = self.revocations.count();
        let fresh =
            |e: &Entry, now: Instant| e.epoch == epoch && now.duration_since(e.at) < REMEMBER_FOR;
        if let Some(entry) = self.lock().get(&key)
            && fresh(entry, Instant::now())
        {
            return Ok(Some(entry.principal.clone()));
        }
        let found = load().await?;
        if let Some(principal) = &found {
            let now = Instant::now();
            let mut entries = self.lock();
            if entries.len() >= SWEEP_ABOVE {
                entries.retain(|_, e| fresh(e, now));
            }
            entries.insert(
                key,
                Entry {
                    principal: principal.clone(),
                    at: now,
                    epoch,
                },
            );
        }
        Ok(found)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Role, Via};
    use std::sync::atomic::{AtomicU32, Ordering};

    fn someone() -> Principal {
        Principal {
            user_id: "u1".to_owned(),
            name: "vera".to_owned(),
            role: Role::Viewer,
            via: Via::Token {
                id: "t1".to_owned(),
            },
            scope: crate::Scope::default(),
        }
    }

    async fn ask(cache: &Principals, credential: &str, loads: &AtomicU32, found: bool) -> bool {
        cache
            .get(credential, || async {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok(found.then(someone))
            })
            .await
            .expect("lookup")
            .is_some()
    }

    #[tokio::test]
    async fn a_caller_is_looked_up_once_until_a_revocation() {
        let revocations = Revocations::default();
        let cache = Principals::new(revocations.clone());
        let loads = AtomicU32::new(0);
        assert!(ask(&cache, "sp_a", &loads, true).await);
        assert!(ask(&cache, "sp_a", &loads, true).await);
        assert_eq!(loads.load(Ordering::SeqCst), 1, "the second is remembered");
        assert!(ask(&cache, "sp_b", &loads, true).await);
        assert_eq!(
            loads.load(Ordering::SeqCst),
            2,
            "another credential is looked up"
        );

        revocations.note();
        assert!(
            !ask(&cache, "sp_a", &loads, false).await,
            "revoked: asked again, and gone"
        );
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_unknown_credential_is_asked_about_every_time() {
        let cache = Principals::new(Revocations::default());
        let loads = AtomicU32::new(0);
        assert!(!ask(&cache, "sp_x", &loads, false).await);
        assert!(!ask(&cache, "sp_x", &loads, false).await);
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }
}
