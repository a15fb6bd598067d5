//! Security headers on every answer. Each request gets a fresh nonce;
//! the page renderer puts it on the hydration script (see the router's
//! context), and an HTML answer gets a `Content-Security-Policy` allowing
//! only this site's files, scripts carrying that nonce, and WASM
//! compilation. Every other answer gets a policy that allows nothing.
//! Pages and every `/api/` answer (accounts, CSV exports, a new token,
//! errors) are `Cache-Control: no-store`: they show one user's data, and
//! no browser or proxy cache may keep them.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

#[derive(Debug, Clone, Copy)]
pub struct HeaderPolicy {
    /// Send HSTS (only over HTTPS).
    pub https: bool,
}

/// This request's CSP nonce, for the page renderer.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 random bits.
    fn new() -> Self {
        let mut bytes = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    fn page_policy(&self) -> String {
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            self.0
        )
    }
}

pub async fn add_security_headers(
    State(policy): State<HeaderPolicy>,
    mut req: Request,
    next: Next,
) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let is_page = !is_api && !req.uri().path().starts_with("/pkg/");
    let nonce = CspNonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut response = next.run(req).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    if is_html && let Ok(value) = HeaderValue::from_str(&nonce.page_policy()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !is_html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    if is_api || (is_page && !headers.contains_key(header::CACHE_CONTROL)) {
        // One user's data: a token, an export, an account list. The API
        // replaces whatever a handler set (the event stream's `no-cache`
        // still allowed a copy on disk).
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
