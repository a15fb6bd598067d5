//! Request ids and the access log. Every request gets an id: the one a
//! proxy in front sent in `X-Request-Id` when it is a plain token, else a
//! new one. The id goes back on the answer (errors included), is a field
//! of every log line the request causes (its span), and ends the request's
//! one access-log line, so a user's "it failed" can be found in the logs.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest id taken from a client; longer ones are replaced.
const MAX_LEN: usize = 64;

/// Letters, digits and `-_.:` only: an id is copied into logs, so it
/// must not carry spaces, quotes or control characters.
fn is_plain(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

fn new_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// The request's id, from the client when it is plain.
fn request_id(request: &Request) -> String {
    request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| is_plain(id))
        .map_or_else(new_id, str::to_owned)
}

pub async fn trace_requests(request: Request, next: Next) -> Response {
    let id = request_id(&request);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let span = tracing::info_span!("request", id = %id);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let took = started.elapsed();
    crate::metrics::http_request(&path, status, took);
    let ms = took.as_secs_f64() * 1000.0;
    span.in_scope(|| {
        // Health checks come every few seconds from a load balancer: kept
        // out of the access log unless debugging.
        if path == "/healthz" || path == "/readyz" {
            tracing::debug!(target: "scanport::access", %method, path, status, ms, "request");
        } else {
            tracing::info!(target: "scanport::access", %method, path, status, ms, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_are_taken_from_the_client() {
        assert!(is_plain("7f3c2a9e-proxy.1:2"));
        assert!(!is_plain(""));
        assert!(!is_plain("a b"));
        assert!(!is_plain("id\"quote"));
        assert!(!is_plain(&"x".repeat(65)));
        let id = new_id();
        assert!(is_plain(&id) && id.len() == 16, "{id}");
    }
}
