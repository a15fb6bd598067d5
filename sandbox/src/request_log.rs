//! What the sandbox received, for tests (`GET /__sandbox/requests`): the
//! raw path and query, the headers, the status answered and the request id
//! the answer carried. Tests use it to prove that hostile ids never bend
//! the upstream path or headers, and to match a console error's request id
//! to the one the upstream gave.
//!
//! With `SCANPORT_SANDBOX_RECORD=FILE` set, every sandbox of the process
//! also appends each call Scanport's own clients made (user agent
//! `scanport/…`) to FILE as one JSON line with its body, so a later test
//! can hold every request of a whole test run against the official SDKs'
//! models (`end2end/conformance/test_requests_match_sdk.py`).

use super::SandboxState;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

/// The log keeps the latest calls only.
const KEEP: usize = 2000;

/// One call as received.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    /// Arrival order, from 1.
    pub seq: u64,
    /// The API's name, as in `/__sandbox/stats`.
    pub api: String,
    pub method: String,
    /// Path and query exactly as they arrived (still percent-encoded).
    pub target: String,
    /// Every header as received, except the `Authorization` value (it
    /// names the caller's access key).
    pub headers: Vec<(String, String)>,
    /// 0 while unanswered (a hang).
    pub status: u16,
    /// `x-request-id` (HSS) or `Response.RequestId` (TCSS) of the answer.
    pub request_id: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: Mutex<(u64, VecDeque<LoggedRequest>)>,
}

impl RequestLog {
    /// Records an arrival; returns its `seq` for [`RequestLog::answered`].
    pub fn arrived(&self, api: String, method: &str, target: &str, headers: &HeaderMap) -> u64 {
        let headers = headers
            .iter()
            .map(|(name, value)| {
                let value = if name == axum::http::header::AUTHORIZATION {
                    "[redacted]".to_owned()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), value)
            })
            .collect();
        let mut guard = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (next, entries) = &mut *guard;
        *next += 1;
        if entries.len() == KEEP {
            entries.pop_front();
        }
        entries.push_back(LoggedRequest {
            seq: *next,
            api,
            method: method.to_owned(),
            target: target.to_owned(),
            headers,
            status: 0,
            request_id: None,
        });
        *next
    }

    /// Notes the answer to call `seq`.
    pub fn answered(&self, seq: u64, status: u16, request_id: Option<String>) {
        let mut guard = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = guard.1.iter_mut().rev().find(|e| e.seq == seq) {
            entry.status = status;
            entry.request_id = request_id;
        }
    }

    fn snapshot(&self) -> Vec<LoggedRequest> {
        let guard = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        guard.1.iter().cloned().collect()
    }
}

/// The environment variable naming the file calls are recorded to.
pub const RECORD_ENV: &str = "SCANPORT_SANDBOX_RECORD";

/// Bodies above this are recorded without their body (the gateway's own
/// limit is 12 MB; nothing Scanport sends comes near it).
const RECORD_BODY_MAX: usize = 16 * 1024 * 1024;

/// The record file, opened once per process and shared by every sandbox
/// in it (tests start many), so lines never interleave.
static RECORD: LazyLock<Option<Mutex<std::fs::File>>> = LazyLock::new(|| {
    let path = std::env::var_os(RECORD_ENV)?;
    match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        Ok(file) => Some(Mutex::new(file)),
        Err(err) => {
            tracing::error!(%err, path = %path.to_string_lossy(), "cannot open the sandbox record file");
            None
        }
    }
});

/// One recorded call: what the official SDK would have to recognise.
#[derive(Serialize)]
struct Recorded<'a> {
    method: &'a str,
    /// Path and query as they arrived (percent-encoded).
    target: &'a str,
    /// `X-TC-Action` for TCSS calls.
    action: Option<&'a str>,
    /// The JSON body, `null` when there is none (or it is not JSON).
    body: serde_json::Value,
}

/// Middleware: appends Scanport's own calls to the record file when
/// [`RECORD_ENV`] is set; otherwise passes the request through untouched.
pub(crate) async fn record(request: Request, next: Next) -> Response {
    let Some(file) = RECORD.as_ref() else {
        return next.run(request).await;
    };
    let ours = request
        .headers()
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| ua.starts_with("scanport/"));
    if !ours {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, RECORD_BODY_MAX).await else {
        return axum::response::IntoResponse::into_response(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        );
    };
    let line = Recorded {
        method: parts.method.as_str(),
        target: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path(), |p| p.as_str()),
        action: parts
            .headers
            .get("x-tc-action")
            .and_then(|v| v.to_str().ok()),
        body: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    };
    if let Ok(mut text) = serde_json::to_vec(&line) {
        text.push(b'\n');
        let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(err) = file.write_all(&text) {
            tracing::error!(%err, "cannot write the sandbox record file");
        }
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// `GET /__sandbox/requests`: the latest calls, oldest first.
pub(crate) async fn get_requests(
    State(state): State<Arc<SandboxState>>,
) -> Json<Vec<LoggedRequest>> {
    Json(state.requests.snapshot())
}

/// The request id an answer carries: the `x-request-id` header (HSS), or
/// `Response.RequestId` in a TCSS body.
pub(crate) fn request_id_of(headers: &HeaderMap, body: Option<&[u8]>) -> Option<String> {
    if let Some(id) = headers.get("x-request-id").and_then(|v| v.to_str().ok()) {
        return Some(id.to_owned());
    }
    let value: serde_json::Value = serde_json::from_slice(body?).ok()?;
    value["Response"]["RequestId"].as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_redacts_authorization_and_keeps_the_latest() {
        let log = RequestLog::default();
        let mut headers = HeaderMap::new();
        headers.insert(
            "authorization",
            "SDK-HMAC-SHA256 Access=AK1".parse().unwrap(),
        );
        headers.insert("x-sdk-date", "20260101T000000Z".parse().unwrap());
        for i in 0..KEEP + 5 {
            let seq = log.arrived("api".into(), "GET", &format!("/p/{i}"), &headers);
            log.answered(seq, 200, Some(format!("r{i}")));
        }
        let entries = log.snapshot();
        assert_eq!(entries.len(), KEEP);
        assert_eq!(entries[0].target, "/p/5");
        let last = entries.last().unwrap();
        assert_eq!(last.request_id.as_deref(), Some(&*format!("r{}", KEEP + 4)));
        assert!(
            last.headers
                .iter()
                .all(|(n, v)| n != "authorization" || v == "[redacted]")
        );
        assert!(!format!("{entries:?}").contains("AK1"));
    }

    #[test]
    fn request_ids_come_from_the_header_or_the_tcss_body() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            request_id_of(&headers, Some(br#"{"Response":{"RequestId":"t-1"}}"#)),
            Some("t-1".to_owned())
        );
        assert_eq!(request_id_of(&headers, Some(b"not json")), None);
        headers.insert("x-request-id", "h-1".parse().unwrap());
        assert_eq!(request_id_of(&headers, None), Some("h-1".to_owned()));
    }
}
