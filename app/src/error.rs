//! The one error type that crosses the server-function boundary. Each kind
//! is something the UI can act on; none carries a stack trace or a secret.
//!
//! On the wire it is the public API's error body,
//! `{"error": {"kind", "message", "field"?, "upstream_code"?, "request_id"?}}`,
//! and [`AppError::status`] is its HTTP status.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(into = "ErrorEnvelope", try_from = "ErrorEnvelope")]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthenticated,

    #[error("Your role does not allow this.")]
    Forbidden,

    /// The caller's token is narrower than its user: `limit` names what
    /// it is limited to (a role, or some accounts).
    #[error("This token is limited to {limit}.")]
    OutOfScope { limit: String },

    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },

    #[error("{what} was not found.")]
    NotFound { what: String },

    /// The request clashes with what exists (a name taken, an
    /// `Idempotency-Key` reused for another request).
    #[error("{message}")]
    Conflict { message: String },

    /// The request body is larger than the server accepts.
    #[error("The request is too large: {message}")]
    TooLarge { message: String },

    /// Too many sign-in attempts.
    #[error("Too many attempts; try again in {retry_after_secs} s.")]
    TooManyAttempts { retry_after_secs: u64 },

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

    /// The cloud refused the request; `code` says why (see
    /// [`scanport_wire::upstream::classify`]), and so the status and words.
    #[error("{}", upstream_rejected_text(code, message))]
    UpstreamRejected {
        code: String,
        message: String,
        request_id: Option<String>,
    },

    /// The cloud refused this account's key twice in a row: its calls
    /// stop before they are sent (no AK lockout) until an operator retries
    /// (`accounts/retry`) or the server restarts with its configuration.
    #[error(
        "The cloud refused this account's key ({code}); polling paused. Fix the key in the server's configuration, then press Retry."
    )]
    AccountPaused { code: String, message: String },

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

    /// A fault of this server (its database), logged there in full.
    #[error("The server failed: {message}")]
    Internal { message: String },
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

/// The words for a refusal, by what its code means.
fn upstream_rejected_text(code: &str, message: &str) -> String {
    use scanport_wire::upstream::{CodeClass, classify};
    match classify(code) {
        CodeClass::InvalidParameter => {
            format!("The cloud found the request invalid ({code}): {message}")
        }
        CodeClass::NotFound => format!("The cloud has no such resource ({code}): {message}"),
        CodeClass::Permission => format!(
            "The cloud account's key lacks the permission for this ({code}): {message}. Grant it in the cloud's access management (IAM / CAM)."
        ),
        _ => format!("The cloud refused the request ({code}): {message}"),
    }
}

impl AppError {
    /// The HTTP status the public API answers with.
    pub fn status(&self) -> u16 {
        use scanport_wire::upstream::{CodeClass, classify};
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden | Self::OutOfScope { .. } => 403,
            Self::InvalidInput { .. } => 400,
            Self::NotFound { .. } => 404,
            Self::Conflict { .. } => 409,
            Self::TooLarge { .. } => 413,
            Self::TooManyAttempts { .. } | Self::RateLimited { .. } => 429,
            // The cloud found the caller's request wrong: the caller's
            // mistake, as if the console had refused it.
            Self::UpstreamRejected { code, .. } => match classify(code) {
                CodeClass::InvalidParameter => 400,
                CodeClass::NotFound => 404,
                _ => 502,
            },
            Self::AuthRejected { .. } | Self::ClockSkew { .. } | Self::Unavailable { .. } => 502,
            Self::AccountPaused { .. } => 503,
            Self::TimedOut { .. } => 504,
            Self::Transport { .. } | Self::Internal { .. } => 500,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::OutOfScope { .. } => "out_of_scope",
            Self::InvalidInput { .. } => "invalid_input",
            Self::NotFound { .. } => "not_found",
            Self::Conflict { .. } => "conflict",
            Self::TooLarge { .. } => "too_large",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::AuthRejected { .. } => "auth_rejected",
            Self::ClockSkew { .. } => "clock_skew",
            Self::RateLimited { .. } => "rate_limited",
            Self::UpstreamRejected { .. } => "upstream_rejected",
            Self::AccountPaused { .. } => "account_paused",
            Self::Unavailable { .. } => "unavailable",
            Self::TimedOut { .. } => "timed_out",
            Self::Transport { .. } => "transport",
            Self::Internal { .. } => "internal",
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Arguments that do not decode are the caller's mistake (400), not a
    /// transport failure.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The body-size cap cut a streamed body short.
            ServerFnErrorErr::Deserialization(message)
                if message.contains("length limit exceeded") =>
            {
                Self::TooLarge { message }
            }
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::Deserialization(message)
            | ServerFnErrorErr::MissingArg(message) => Self::InvalidInput {
                field: "request".to_owned(),
                message,
            },
            other => Self::Transport {
                message: other.to_string(),
            },
        }
    }
}

/// The public error body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ErrorBody {
    pub kind: String,
    /// For people: what happened and what to do.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_code: Option<String>,
    /// The cloud's own message, as it gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// What was not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what: Option<String>,
    /// The bare text behind `message`, for kinds whose message adds words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl From<AppError> for ErrorEnvelope {
    fn from(err: AppError) -> Self {
        let mut body = ErrorBody {
            kind: err.kind().to_owned(),
            message: err.to_string(),
            request_id: err.request_id().map(str::to_owned),
            ..ErrorBody::default()
        };
        match err {
            AppError::InvalidInput { field, message } => {
                body.field = Some(field);
                body.message = message;
            }
            AppError::NotFound { what } => body.what = Some(what),
            AppError::AuthRejected { code, message, .. }
            | AppError::ClockSkew { code, message, .. }
            | AppError::UpstreamRejected { code, message, .. }
            | AppError::AccountPaused { code, message } => {
                body.upstream_code = Some(code);
                body.upstream_message = Some(message);
            }
            AppError::RateLimited {
                retry_after_secs,
                upstream_code,
                ..
            } => {
                body.retry_after_secs = Some(retry_after_secs);
                body.upstream_code = upstream_code;
            }
            AppError::TooManyAttempts { retry_after_secs } => {
                body.retry_after_secs = Some(retry_after_secs);
            }
            AppError::Unavailable { message, .. } => body.upstream_message = Some(message),
            AppError::Transport { message }
            | AppError::Internal { message }
            | AppError::TooLarge { message }
            | AppError::OutOfScope { limit: message } => {
                body.detail = Some(message);
            }
            AppError::Conflict { .. } => {}
            AppError::Unauthenticated | AppError::Forbidden | AppError::TimedOut { .. } => {}
        }
        Self { error: body }
    }
}

impl TryFrom<ErrorEnvelope> for AppError {
    type Error = String;

    fn try_from(envelope: ErrorEnvelope) -> Result<Self, Self::Error> {
        let b = envelope.error;
        let fallback = b.message.clone();
        let raw = move |m: Option<String>| m.unwrap_or_else(|| fallback.clone());
        let code = b.upstream_code.clone().unwrap_or_default();
        Ok(match b.kind.as_str() {
            "unauthenticated" => Self::Unauthenticated,
            "forbidden" => Self::Forbidden,
            "out_of_scope" => Self::OutOfScope {
                limit: raw(b.detail),
            },
            "invalid_input" => Self::InvalidInput {
                field: b.field.unwrap_or_default(),
                message: b.message,
            },
            "not_found" => Self::NotFound {
                what: b.what.unwrap_or_default(),
            },
            "conflict" => Self::Conflict { message: b.message },
            "too_many_attempts" => Self::TooManyAttempts {
                retry_after_secs: b.retry_after_secs.unwrap_or(60),
            },
            "auth_rejected" => Self::AuthRejected {
                code,
                message: raw(b.upstream_message),
                request_id: b.request_id,
            },
            "clock_skew" => Self::ClockSkew {
                code,
                message: raw(b.upstream_message),
                request_id: b.request_id,
            },
            "rate_limited" => Self::RateLimited {
                retry_after_secs: b.retry_after_secs.unwrap_or(60),
                upstream_code: b.upstream_code,
                request_id: b.request_id,
            },
            "upstream_rejected" => Self::UpstreamRejected {
                code,
                message: raw(b.upstream_message),
                request_id: b.request_id,
            },
            "account_paused" => Self::AccountPaused {
                code,
                message: raw(b.upstream_message),
            },
            "unavailable" => Self::Unavailable {
                message: raw(b.upstream_message),
                request_id: b.request_id,
            },
            "timed_out" => Self::TimedOut {
                request_id: b.request_id,
            },
            "too_large" => Self::TooLarge {
                message: raw(b.detail),
            },
            "internal" => Self::Internal {
                message: raw(b.detail),
            },
            _ => Self::Transport {
                message: raw(b.detail),
            },
        })
    }
}

#[cfg(feature = "ssr")]
impl From<scanport_portal::PortalError> for AppError {
    fn from(err: scanport_portal::PortalError) -> Self {
        use scanport_portal::PortalError as E;
        match err {
            E::Invalid { field, message } => Self::InvalidInput { field, message },
            E::NotFound(what) => Self::NotFound { what },
            E::Conflict(message) => Self::Conflict { message },
            other => {
                tracing::error!(error = %other, "portal storage failed");
                Self::Internal {
                    message: "the console's database failed; see the server log".to_owned(),
                }
            }
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
            E::AccountPaused { code, message } => Self::AccountPaused { code, message },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<AppError> {
        vec![
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::invalid("image_info_list[0].namespace", "must not be empty"),
            AppError::NotFound {
                what: "Account \"x\"".into(),
            },
            AppError::Conflict {
                message: "key reused".into(),
            },
            AppError::TooLarge {
                message: "length limit exceeded".into(),
            },
            AppError::TooManyAttempts {
                retry_after_secs: 30,
            },
            AppError::AuthRejected {
                code: "APIGW.0301".into(),
                message: "bad sig".into(),
                request_id: Some("r1".into()),
            },
            AppError::ClockSkew {
                code: "APIGW.0305".into(),
                message: "skew".into(),
                request_id: None,
            },
            AppError::RateLimited {
                retry_after_secs: 12,
                upstream_code: Some("APIG.0308".into()),
                request_id: Some("r2".into()),
            },
            AppError::UpstreamRejected {
                code: "HSS.1001".into(),
                message: "no".into(),
                request_id: Some("r3".into()),
            },
            AppError::UpstreamRejected {
                code: "HSS.0001".into(),
                message: "Invalid parameter: limit".into(),
                request_id: Some("r5".into()),
            },
            AppError::UpstreamRejected {
                code: "HSS.0011".into(),
                message: "The task does not exist".into(),
                request_id: Some("r6".into()),
            },
            AppError::AccountPaused {
                code: "APIGW.0301".into(),
                message: "verify aksk signature fail".into(),
            },
            AppError::Unavailable {
                message: "503".into(),
                request_id: None,
            },
            AppError::TimedOut {
                request_id: Some("r4".into()),
            },
            AppError::Transport {
                message: "offline".into(),
            },
            AppError::Internal {
                message: "db".into(),
            },
        ]
    }

    #[test]
    fn every_error_survives_the_public_envelope() {
        for err in every_kind() {
            let json = serde_json::to_value(&err).expect("serialize");
            assert_eq!(json["error"]["kind"], err.kind(), "{json}");
            assert!(
                json["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty())
            );
            let back: AppError = serde_json::from_value(json).expect("deserialize");
            assert_eq!(back, err);
        }
    }

    #[test]
    fn the_envelope_names_field_code_and_request_id() {
        let json =
            serde_json::to_value(AppError::invalid("limit", "must be 10 to 200")).expect("json");
        assert_eq!(json["error"]["field"], "limit");
        assert_eq!(json["error"]["message"], "must be 10 to 200");
        let json = serde_json::to_value(AppError::RateLimited {
            retry_after_secs: 12,
            upstream_code: Some("APIG.0308".into()),
            request_id: Some("r2".into()),
        })
        .expect("json");
        assert_eq!(json["error"]["upstream_code"], "APIG.0308");
        assert_eq!(json["error"]["request_id"], "r2");
        assert_eq!(json["error"]["retry_after_secs"], 12);
    }

    #[test]
    fn refusals_are_worded_by_what_their_code_means() {
        let refusal = |code: &str| AppError::UpstreamRejected {
            code: code.into(),
            message: "m".into(),
            request_id: None,
        };
        assert!(refusal("HSS.0001").to_string().contains("invalid"));
        assert!(
            refusal("InvalidParameterValue")
                .to_string()
                .contains("invalid")
        );
        assert!(refusal("HSS.0011").to_string().contains("no such resource"));
        assert!(
            refusal("ResourceNotFound")
                .to_string()
                .contains("no such resource")
        );
        for code in ["HSS.0010", "HSS.0013", "UnauthorizedOperation"] {
            let text = refusal(code).to_string();
            assert!(text.contains("lacks the permission"), "{text}");
            assert_eq!(refusal(code).status(), 502);
        }
        assert_eq!(
            refusal("FailedOperation").to_string(),
            "The cloud refused the request (FailedOperation): m"
        );
        let paused = AppError::AccountPaused {
            code: "APIGW.0301".into(),
            message: "m".into(),
        };
        assert!(paused.to_string().contains("polling paused"), "{paused}");
    }

    #[test]
    fn statuses_fit_the_kinds() {
        let statuses: Vec<u16> = every_kind().iter().map(AppError::status).collect();
        assert_eq!(
            statuses,
            [
                401, 403, 400, 404, 409, 413, 429, 502, 502, 429, 502, 400, 404, 503, 502, 504,
                500, 500
            ]
        );
    }
}
