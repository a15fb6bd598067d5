//! One error type for every cloud call, with kinds the UI can act on.

use scanport_wire::FieldError;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloudError {
    /// A request field breaks a documented rule; nothing was sent.
    #[error("invalid request: {0}")]
    InvalidInput(FieldError),

    /// The service refused the credentials or the signature.
    #[error("the cloud rejected the credentials ({code}): {message}")]
    AuthRejected {
        code: String,
        message: String,
        request_id: Option<String>,
    },

    /// The signature's date is too far from the service's clock.
    #[error("this server's clock is off from the cloud's ({code}): {message}")]
    ClockSkew {
        code: String,
        message: String,
        request_id: Option<String>,
    },

    /// Over the call budget: either our own (nothing sent) or the service's.
    #[error("rate limited; retry in {}s", retry_after.as_secs().max(1))]
    RateLimited {
        retry_after: Duration,
        /// `Some(code)` when the service itself throttled the call.
        upstream_code: Option<String>,
        request_id: Option<String>,
    },

    /// The service understood the request and refused it.
    #[error("the cloud refused the request ({code}): {message}")]
    UpstreamRejected {
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
    },

    /// Could not reach the service, or it failed (5xx, malformed answer).
    #[error("the cloud service is unavailable: {message}")]
    Unavailable {
        message: String,
        code: Option<String>,
        request_id: Option<String>,
    },

    /// The account's key was refused twice in a row, so its calls stop
    /// before they are sent (see [`crate::pause`]): nothing was sent.
    #[error(
        "the cloud refused this account's key ({code}); polling paused until the key is fixed or an operator presses Retry"
    )]
    AccountPaused {
        /// The code and message of the refusal that paused it.
        code: String,
        message: String,
    },

    /// No answer within the timeout.
    #[error("the cloud did not answer within {}s", after.as_secs_f32())]
    TimedOut {
        after: Duration,
        request_id: Option<String>,
    },
}

impl CloudError {
    /// The upstream request id, when the service gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::InvalidInput(_) | Self::AccountPaused { .. } => None,
            Self::AuthRejected { request_id, .. }
            | Self::ClockSkew { request_id, .. }
            | Self::RateLimited { request_id, .. }
            | Self::UpstreamRejected { request_id, .. }
            | Self::Unavailable { request_id, .. }
            | Self::TimedOut { request_id, .. } => request_id.as_deref(),
        }
    }

    /// Whether a read may be retried after this error.
    pub(crate) fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Unavailable { .. }
                | Self::RateLimited {
                    upstream_code: Some(_),
                    ..
                }
        )
    }
}

impl From<FieldError> for CloudError {
    fn from(err: FieldError) -> Self {
        Self::InvalidInput(err)
    }
}
