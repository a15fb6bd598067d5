//! Keeping an account out of the AK lockout. Huawei's gateway locks an AK
//! for five minutes after five signature failures in a row, and a locked
//! key fails every call, the console's polling included. So an account
//! whose calls are refused for authentication twice in a row is paused:
//! its calls fail at once, without reaching the cloud, until an operator
//! retries (`POST /api/v1/accounts/retry`) or the server restarts with its
//! configuration read again. Replicas of one deployment count together
//! ([`KeyGuard::share`] and [`KeyGuard::apply`]): the lockout counts the
//! failures of all callers of a key.

use crate::error::CloudError;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Authentication refusals in a row that pause an account.
pub const REFUSALS_BEFORE_PAUSE: u32 = 2;

/// The refusal that paused an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseReason {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Default)]
struct State {
    refusals_in_a_row: u32,
    paused: Option<PauseReason>,
}

/// What a guard saw that the other replicas of its account must count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The cloud refused the key.
    Refused(PauseReason),
    /// The cloud accepted the key after refusals.
    Accepted,
    /// An operator asked for a retry.
    Resumed,
}

/// Told once the other replicas can see an outcome (recorded and
/// announced).
pub type Done = tokio::sync::oneshot::Sender<()>;

type Tell = Box<dyn Fn(Outcome, Option<Done>) + Send + Sync>;

/// One account's count of refusals and pause. Its clients share it.
#[derive(Default)]
pub struct KeyGuard {
    state: Mutex<State>,
    /// Where outcomes go when other replicas count with this one.
    tell: OnceLock<Tell>,
}

impl std::fmt::Debug for KeyGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyGuard")
            .field("state", &*self.state())
            .field("shared", &self.tell.get().is_some())
            .finish()
    }
}

impl KeyGuard {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands every outcome the other replicas must count to `tell` (which
    /// records it, [`KeyGuard::apply`]s the shared count and, when given a
    /// [`Done`], says when that is done); set once.
    pub fn share(&self, tell: impl Fn(Outcome, Option<Done>) + Send + Sync + 'static) {
        let _ = self.tell.set(Box::new(tell));
    }

    /// Takes the count and pause all replicas share as this guard's own.
    pub fn apply(&self, refusals_in_a_row: u32, paused: Option<PauseReason>) {
        let mut state = self.state();
        match (&state.paused, &paused) {
            (None, Some(reason)) => tracing::warn!(
                code = %reason.code,
                "the cloud refused this account's key {REFUSALS_BEFORE_PAUSE} times in a row across the replicas: calls paused"
            ),
            (Some(_), None) => tracing::info!("paused account resumed on another replica"),
            _ => {}
        }
        state.refusals_in_a_row = refusals_in_a_row;
        state.paused = paused;
    }

    fn tell(&self, outcome: Outcome) {
        if let Some(tell) = self.tell.get() {
            tell(outcome, None);
        }
    }

    /// Fails fast while the account is paused.
    pub(crate) fn check(&self) -> Result<(), CloudError> {
        match &self.state().paused {
            Some(reason) => Err(CloudError::AccountPaused {
                code: reason.code.clone(),
                message: reason.message.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Counts an attempt's outcome: an authentication refusal adds one (the
    /// second in a row pauses); any other answer from the service means it
    /// accepted the key and starts the count again. Failures that never
    /// reached the service (connection, timeout, our own budget) and clock
    /// refusals (the date is checked before the key) say nothing about it.
    pub(crate) fn observe<T>(&self, result: &Result<T, CloudError>) {
        let outcome = self.count(result);
        if let Some(outcome) = outcome {
            self.tell(outcome);
        }
    }

    /// [`KeyGuard::observe`] on this replica: what the others must count.
    fn count<T>(&self, result: &Result<T, CloudError>) -> Option<Outcome> {
        let mut state = self.state();
        match result {
            Err(CloudError::AuthRejected { code, message, .. }) => {
                state.refusals_in_a_row += 1;
                if state.refusals_in_a_row >= REFUSALS_BEFORE_PAUSE && state.paused.is_none() {
                    tracing::warn!(
                        code = %code,
                        "the cloud refused this account's key {REFUSALS_BEFORE_PAUSE} times in a row: calls paused"
                    );
                    state.paused = Some(PauseReason {
                        code: code.clone(),
                        message: message.clone(),
                    });
                }
                Some(Outcome::Refused(PauseReason {
                    code: code.clone(),
                    message: message.clone(),
                }))
            }
            Ok(_)
            | Err(
                CloudError::UpstreamRejected { .. }
                | CloudError::RateLimited {
                    upstream_code: Some(_),
                    ..
                },
            ) => {
                let counted = std::mem::take(&mut state.refusals_in_a_row);
                (counted > 0).then_some(Outcome::Accepted)
            }
            Err(_) => None,
        }
    }

    /// Why the account is paused, if it is.
    pub fn paused(&self) -> Option<PauseReason> {
        self.state().paused.clone()
    }

    /// Lets calls through again; returns whether the account was paused.
    /// The next call is a test of the key: if it is refused again, the
    /// account pauses again at once, so each retry costs the key at most
    /// one signature failure.
    pub fn resume(&self) -> bool {
        let was_paused = self.resume_here();
        // Another replica may have paused it before word reached this one.
        self.tell(Outcome::Resumed);
        was_paused
    }

    /// [`KeyGuard::resume`], answering once the other replicas can see it
    /// (or after `wait`), so a page loaded next from any of them shows the
    /// account resumed.
    pub async fn resume_everywhere(&self, wait: std::time::Duration) -> bool {
        let was_paused = self.resume_here();
        if let Some(tell) = self.tell.get() {
            let (done, told) = tokio::sync::oneshot::channel();
            tell(Outcome::Resumed, Some(done));
            let _ = tokio::time::timeout(wait, told).await;
        }
        was_paused
    }

    fn resume_here(&self) -> bool {
        let mut state = self.state();
        let was_paused = state.paused.take().is_some();
        if was_paused {
            state.refusals_in_a_row = REFUSALS_BEFORE_PAUSE - 1;
        }
        was_paused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused() -> Result<(), CloudError> {
        Err(CloudError::AuthRejected {
            code: "APIGW.0301".into(),
            message: "verify aksk signature fail".into(),
            request_id: None,
        })
    }

    #[test]
    fn two_refusals_in_a_row_pause_until_resumed() {
        let guard = KeyGuard::default();
        guard.observe(&refused());
        assert!(guard.check().is_ok(), "one refusal does not pause");
        guard.observe(&refused());
        match guard.check() {
            Err(CloudError::AccountPaused { code, .. }) => assert_eq!(code, "APIGW.0301"),
            other => panic!("expected AccountPaused, got {other:?}"),
        }
        assert_eq!(
            guard.paused().map(|r| r.code).as_deref(),
            Some("APIGW.0301")
        );
        assert!(guard.resume());
        assert!(guard.check().is_ok());
        assert!(!guard.resume(), "nothing left to resume");
        guard.observe(&refused());
        assert!(guard.check().is_err(), "after a retry, one refusal pauses");
        assert!(guard.resume());
        guard.observe(&Ok(()));
        guard.observe(&refused());
        assert!(
            guard.check().is_ok(),
            "an accepted key starts the count again"
        );
    }

    #[test]
    fn an_accepted_call_between_refusals_starts_the_count_again() {
        let guard = KeyGuard::default();
        guard.observe(&refused());
        guard.observe(&Ok(()));
        guard.observe(&refused());
        assert!(guard.check().is_ok());
        // A failure that never reached the service leaves the count.
        guard.observe::<()>(&Err(CloudError::TimedOut {
            after: std::time::Duration::from_secs(1),
            request_id: None,
        }));
        guard.observe(&refused());
        assert!(guard.check().is_err());
    }

    #[test]
    fn a_shared_guard_tells_what_others_must_count_and_takes_their_count() {
        let told = std::sync::Arc::new(Mutex::new(Vec::new()));
        let guard = KeyGuard::default();
        let sink = std::sync::Arc::clone(&told);
        guard.share(move |outcome, _| sink.lock().expect("told").push(outcome));
        guard.observe(&Ok(()));
        guard.observe(&refused());
        guard.observe(&Ok(()));
        guard.observe(&Ok(()));
        let reason = PauseReason {
            code: "APIGW.0301".into(),
            message: "verify aksk signature fail".into(),
        };
        assert_eq!(
            *told.lock().expect("told"),
            [Outcome::Refused(reason.clone()), Outcome::Accepted],
            "an accepted call is told only when it ends a run of refusals"
        );
        // Another replica's refusals paused the account: this one is too.
        guard.apply(REFUSALS_BEFORE_PAUSE, Some(reason));
        assert!(matches!(
            guard.check(),
            Err(CloudError::AccountPaused { .. })
        ));
        assert!(guard.resume());
        assert_eq!(told.lock().expect("told").last(), Some(&Outcome::Resumed));
        guard.apply(0, None);
        assert!(guard.check().is_ok());
    }
}
