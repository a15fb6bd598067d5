//! The one error type that crosses the server-function boundary. Each kind
//! is something the UI can act on; none carries a stack trace or a secret.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthenticated,

    #[error("Your role does not allow this.")]
    Forbidden,

    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },

    #[error("{what} was not found.")]
    NotFound { what: String },

    #[error(
        "The cloud rejected this account's credentials ({code}). Check the access key in the server's configuration."
    )]
    AuthRejected {
        code: String,
        message: String,
        request_id: Option<String>,
    },

    #[error(
        "This server's clock is too far from the cloud's ({code}). Synchronise the server's clock (NTP)."
    )]
    ClockSkew {
        code: String,
        message: String,
        request_id: Option<String>,
    },

    #[error("Too many calls to the cloud for now; try again in {retry_after_secs} s.")]
    RateLimited {
        retry_after_secs: u64,
        upstream_code: Option<String>,
        request_id: Option<String>,
    },

    #[error("The cloud refused the request ({code}): {message}")]
    UpstreamRejected {
        code: String,
        message: String,
        request_id: Option<String>,
    },

    #[error("The cloud service is unavailable: {message}")]
    Unavailable {
        message: String,
        request_id: Option<String>,
    },

    #[error("The cloud did not answer in time; try again.")]
    TimedOut { request_id: Option<String> },

    /// The call never reached a server function (network, encoding).
    #[error("The request failed: {message}")]
    Transport { message: String },
}

impl AppError {
    /// The upstream request id, to quote to the cloud's support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::AuthRejected { request_id, .. }
            | Self::ClockSkew { request_id, .. }
            | Self::RateLimited { request_id, .. }
            | Self::UpstreamRejected { request_id, .. }
            | Self::Unavailable { request_id, .. }
            | Self::TimedOut { request_id } => request_id.as_deref(),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport {
            message: value.to_string(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<scanport_cloud::CloudError> for AppError {
    fn from(err: scanport_cloud::CloudError) -> Self {
        use scanport_cloud::CloudError as E;
        match err {
            E::InvalidInput(field) => Self::InvalidInput {
                field: field.field,
                message: field.message,
            },
            E::AuthRejected {
                code,
                message,
                request_id,
            } => Self::AuthRejected {
                code,
                message,
                request_id,
            },
            E::ClockSkew {
                code,
                message,
                request_id,
            } => Self::ClockSkew {
                code,
                message,
                request_id,
            },
            E::RateLimited {
                retry_after,
                upstream_code,
                request_id,
            } => Self::RateLimited {
                retry_after_secs: retry_after.as_secs().max(1),
                upstream_code,
                request_id,
            },
            E::UpstreamRejected {
                code,
                message,
                request_id,
                ..
            } => Self::UpstreamRejected {
                code,
                message,
                request_id,
            },
            E::Unavailable {
                message,
                request_id,
                ..
            } => Self::Unavailable {
                message,
                request_id,
            },
            E::TimedOut { request_id, .. } => Self::TimedOut { request_id },
        }
    }
}

impl From<scanport_wire::FieldError> for AppError {
    fn from(err: scanport_wire::FieldError) -> Self {
        Self::InvalidInput {
            field: err.field,
            message: err.message,
        }
    }
}
