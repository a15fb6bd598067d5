//! Security headers on every answer. Pages get their own
//! `Content-Security-Policy` with a per-request nonce from the shell (see
//! `scanport_app::shell`); everything else gets a policy that allows
//! nothing.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

#[derive(Debug, Clone, Copy)]
pub struct HeaderPolicy {
    /// Send HSTS (only over HTTPS).
    pub https: bool,
}

pub async fn add_security_headers(
    State(policy): State<HeaderPolicy>,
    req: Request,
    next: Next,
) -> Response {
    let is_page = !req.uri().path().starts_with("/api/") && !req.uri().path().starts_with("/pkg/");
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    if is_page && !headers.contains_key(header::CACHE_CONTROL) {
        // Pages show one user's data.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if policy.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}
