//! The layers every request passes, outermost first:
//! [`headers`] (security headers), [`host`] (only known `Host` names),
//! the body-size cap ([`body_limit`]), [`origin`] (no cross-site state
//! changes), [`client_addr`] (the client's address, through trusted
//! proxies), [`identity`] (who is calling, from the
//! database), [`gate`] (sign-in required), and [`api_errors`] (the public
//! API's statuses).

pub mod api_errors;
pub mod body_limit;
pub mod body_shape;
pub mod client_addr;
pub mod field_path;
pub mod gate;
pub mod headers;
pub mod host;
pub mod identity;
pub mod origin;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A JSON error in the public API's shape.
pub fn refuse(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({"error": {"kind": kind, "message": message}})),
    )
        .into_response()
}
