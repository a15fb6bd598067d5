//! What the sandbox received, for tests (`GET /__sandbox/requests`): the
//! raw path and query, the headers, the status answered and the request id
//! the answer carried. Tests use it to prove that hostile ids never bend
//! the upstream path or headers, and to match a console error's request id
//! to the one the upstream gave.

use super::SandboxState;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

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
