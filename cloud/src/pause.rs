//! Keeping an account out of the AK lockout. Huawei's gateway locks an AK
//! for five minutes after five signature failures in a row, and a locked
//! key fails every call, the console's polling included. So an account
//! whose calls are refused for authentication twice in a row is paused:
//! its calls fail at once, without reaching the cloud, until an operator
//! retries (`POST /api/v1/accounts/retry`) or the server restarts with its
//! configuration read again.

use crate::error::CloudError;
use std::sync::{Mutex, PoisonError};

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

/// One account's count of refusals and pause. Its clients share it.
#[derive(Debug, Default)]
pub struct KeyGuard {
    state: Mutex<State>,
}

impl KeyGuard {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
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
            }
            Ok(_)
            | Err(
                CloudError::UpstreamRejected { .. }
                | CloudError::RateLimited {
                    upstream_code: Some(_),
                    ..
                },
            ) => state.refusals_in_a_row = 0,
            Err(_) => {}
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
}
