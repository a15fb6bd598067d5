//! The typed clients against a scripted fake upstream on loopback.
//!
//! Each test starts its own axum server that records every request it
//! receives (method, raw path, raw query, headers, body, arrival time) and
//! answers from a per-test script. The tests then check what arrived (shape,
//! encoding, signatures recomputed from the bytes received), how many
//! attempts were made, and how the client mapped each answer to a
//! [`CloudError`].

mod support;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use percent_encoding::percent_decode_str;
use scanport_cloud::budget::RateBudget;
use scanport_cloud::hss::HssClient;
use scanport_cloud::signing::{huawei, tencent};
use scanport_cloud::tcss::TcssClient;
use scanport_cloud::{
    CloudError, HttpSettings, HuaweiCredentials, TencentCredentials, http_client,
};
use scanport_wire::hss::{ListTasksRequest, ListTasksResponse, TaskListType, TaskType};
use scanport_wire::tcss::{ScanType, TimingScanTask, UpdateTimingScanRequest};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use support::generous;

const AK: &str = "FAKEUPSTREAMAK000001";
const SK: &str = "FAKE-UPSTREAM-SK-must-never-be-printed-0001";
const SECRET_ID: &str = "AKIDFAKEUPSTREAM000001";
const SECRET_KEY: &str = "FAKE-UPSTREAM-SECRETKEY-must-never-be-printed-0001";
/// Needs path-escaping: a space and a slash.
const PROJECT_ID: &str = "proj 1:x@y";
const REGION: &str = "ap-guangzhou";

// ---------------------------------------------------------------------------
// The fake upstream
// ---------------------------------------------------------------------------

/// One request as it arrived.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    /// Raw, still percent-encoded.
    path: String,
    /// Raw, still percent-encoded.
    query: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
    at: Instant,
}

impl Recorded {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("header {name} missing from {:?}", self.headers))
            .to_str()
            .expect("header is text")
    }
}

/// One scripted answer.
#[derive(Debug, Clone)]
struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Option<Duration>,
}

impl Canned {
    fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            delay: None,
        }
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

struct Shared {
    log: Arc<Mutex<Vec<Recorded>>>,
    script: Mutex<VecDeque<Canned>>,
}

struct Fake {
    endpoint: String,
    log: Arc<Mutex<Vec<Recorded>>>,
}

impl Fake {
    /// Starts a fake upstream answering `script` in order. Once the script
    /// is used up it answers 418, which no test expects.
    async fn start(script: Vec<Canned>) -> Self {
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            log: Arc::clone(&log),
            script: Mutex::new(script.into()),
        });
        let app = axum::Router::new().fallback(answer).with_state(shared);
        Self {
            endpoint: support::serve(app).await,
            log,
        }
    }

    fn requests(&self) -> Vec<Recorded> {
        self.log.lock().expect("log").clone()
    }
}

async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let at = Instant::now();
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .expect("request body");
    shared.log.lock().expect("log").push(Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: body.to_vec(),
        at,
    });
    let canned = shared.script.lock().expect("script").pop_front();
    let canned = canned.unwrap_or_else(|| {
        Canned::json(
            418,
            r#"{"error_code": "FAKE.0000", "error_msg": "script exhausted"}"#,
        )
    });
    if let Some(delay) = canned.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::new(Body::from(canned.body));
    *response.status_mut() = StatusCode::from_u16(canned.status).expect("status");
    for (name, value) in canned.headers {
        response.headers_mut().insert(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_str(&value).expect("header value"),
        );
    }
    response
}

// ---------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------

fn settings() -> HttpSettings {
    support::settings(HttpSettings::default().read_retries)
}

fn hss_with(endpoint: &str, s: HttpSettings, budget: Arc<RateBudget>) -> HssClient {
    HssClient::new(
        endpoint,
        PROJECT_ID,
        HuaweiCredentials::new(AK, SK),
        http_client(&s).expect("http client"),
        s,
        budget,
    )
    .expect("hss client")
}

fn hss(endpoint: &str) -> HssClient {
    hss_with(endpoint, settings(), generous())
}

fn tcss(endpoint: &str) -> TcssClient {
    let s = settings();
    TcssClient::new(
        endpoint,
        REGION,
        TencentCredentials::new(SECRET_ID, SECRET_KEY),
        http_client(&s).expect("http client"),
        s,
        generous(),
    )
    .expect("tcss client")
}

fn scan_list() -> ListTasksRequest {
    ListTasksRequest::new(TaskListType::ImageScan)
}

fn valid_update() -> UpdateTimingScanRequest {
    UpdateTimingScanRequest {
        scan_period: 7,
        enable: true,
        scan_time: "02:30:00".into(),
        scan_type: Some(vec![ScanType::Cve, ScanType::Virus]),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/// No error, however printed, carries a secret.
fn assert_no_secret(err: &CloudError) {
    for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        for secret in [SK, SECRET_KEY] {
            assert!(!text.contains(secret), "secret leaked into {text:?}");
        }
    }
}

fn is_lower_hex_64(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn decode(value: &str) -> String {
    percent_decode_str(value)
        .decode_utf8()
        .expect("percent-decoded UTF-8")
        .into_owned()
}

/// `X-Sdk-Date` is `YYYYMMDDTHHMMSSZ` and close to now.
fn assert_sdk_date(value: &str) {
    let bytes = value.as_bytes();
    assert_eq!(bytes.len(), 16, "{value:?}");
    assert!(bytes[..8].iter().all(u8::is_ascii_digit), "{value:?}");
    assert_eq!(bytes[8], b'T', "{value:?}");
    assert!(bytes[9..15].iter().all(u8::is_ascii_digit), "{value:?}");
    assert_eq!(bytes[15], b'Z', "{value:?}");
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let signed_at = time::PrimitiveDateTime::parse(value, format)
        .expect("X-Sdk-Date parses")
        .assume_utc();
    let off = (time::OffsetDateTime::now_utc() - signed_at).abs();
    assert!(
        off < time::Duration::seconds(10),
        "X-Sdk-Date {value} is {off} off"
    );
}

/// Recomputes the HSS signature from what arrived (decoded path segments,
/// parsed query, the headers named as signed, the body) and checks the
/// `Authorization` header that came with it.
fn assert_hss_signature_verifies(request: &Recorded) {
    let authorization = request.header("authorization");
    let prefix = format!(
        "SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature="
    );
    let signature = authorization
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("unexpected Authorization {authorization:?}"));
    assert!(is_lower_hex_64(signature), "{signature:?}");

    let segments: Vec<String> = request
        .path
        .strip_prefix('/')
        .expect("absolute path")
        .split('/')
        .map(decode)
        .collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let query: Vec<(String, String)> = request
        .query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect();
    let headers: Vec<(String, String)> = ["content-type", "host", "x-project-id", "x-sdk-date"]
        .iter()
        .map(|name| ((*name).to_owned(), request.header(name).to_owned()))
        .collect();
    let expected = huawei::sign(
        &HuaweiCredentials::new(AK, SK),
        &huawei::RequestParts {
            method: &request.method,
            segments: &segments,
            query: &query,
            headers: &headers,
            body: &request.body,
        },
    );
    assert_eq!(
        authorization, expected.authorization,
        "the signature does not cover what was sent"
    );
}

/// Recomputes the TC3 signature from what arrived and checks it.
fn assert_tcss_signature_verifies(request: &Recorded) {
    let timestamp: i64 = request
        .header("x-tc-timestamp")
        .parse()
        .expect("X-TC-Timestamp is an integer");
    let date = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .expect("timestamp in range")
        .date();
    let date = format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    let authorization = request.header("authorization");
    let prefix = format!(
        "TC3-HMAC-SHA256 Credential={SECRET_ID}/{date}/tcss/tc3_request, SignedHeaders=content-type;host, Signature="
    );
    let signature = authorization
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("unexpected Authorization {authorization:?}"));
    assert!(is_lower_hex_64(signature), "{signature:?}");
    let expected = tencent::sign(
        &TencentCredentials::new(SECRET_ID, SECRET_KEY),
        &tencent::RequestParts {
            host: request.header("host"),
            service: "tcss",
            action: request.header("x-tc-action"),
            version: request.header("x-tc-version"),
            region: request.header("x-tc-region"),
            timestamp,
            body: &request.body,
        },
    );
    assert_eq!(
        authorization, expected.authorization,
        "the signature does not cover what was sent"
    );
    assert_eq!(request.header("content-type"), "application/json");
}

// ---------------------------------------------------------------------------
// HSS
// ---------------------------------------------------------------------------

fn hss_error(status: u16, code: &str, message: &str, request_id: &str) -> Canned {
    Canned::json(
        status,
        serde_json::json!({"error_code": code, "error_msg": message, "request_id": request_id})
            .to_string(),
    )
    .header("X-Request-Id", request_id)
}

/// Runs one `list_tasks` against `script`; returns the error and what arrived.
async fn hss_fails(script: Vec<Canned>) -> (CloudError, Vec<Recorded>) {
    let fake = Fake::start(script).await;
    let err = hss(&fake.endpoint)
        .list_tasks(&scan_list())
        .await
        .expect_err("the call must fail");
    assert_no_secret(&err);
    (err, fake.requests())
}

#[tokio::test]
async fn hss_list_tasks_request_is_escaped_sorted_and_signed_over_what_was_sent() {
    let fake = Fake::start(vec![Canned::json(
        200,
        r#"{"total_num": 0, "data_list": []}"#,
    )])
    .await;
    let mut req = ListTasksRequest::new(TaskListType::ImageSync);
    req.enterprise_project_id = Some("all_granted_eps".into());
    req.limit = Some(50);
    req.offset = Some(0);
    req.task_type = Some(TaskType::ManualSync);
    req.task_name = Some("Sync all / x?&=é".into());
    let answer = hss(&fake.endpoint).list_tasks(&req).await.expect("list");
    assert_eq!(answer, ListTasksResponse::default());

    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.path, "/v5/proj%201%3Ax%40y/image/tasks");
    assert_eq!(
        r.query.as_deref(),
        Some(
            "enterprise_project_id=all_granted_eps&limit=50&offset=0\
             &task_name=Sync%20all%20%2F%20x%3F%26%3D%C3%A9&task_type=manualSync&type=image_sync"
        )
    );
    assert!(r.body.is_empty(), "a GET carries no body");
    assert_sdk_date(r.header("x-sdk-date"));
    assert_eq!(r.header("x-project-id"), PROJECT_ID);
    assert_eq!(r.header("content-type"), "application/json");
    assert_eq!(
        r.header("host"),
        fake.endpoint.strip_prefix("http://").expect("http")
    );
    assert!(r.headers.get("x-security-token").is_none());
    assert_hss_signature_verifies(r);
}

#[tokio::test]
async fn hss_bad_credentials_are_auth_rejected_and_never_retried() {
    let rid = "4a1e0e7d3c1f4b5e9a2b8c7d6e5f4a3b";
    let (err, requests) = hss_fails(vec![
        hss_error(
            401,
            "APIG.0301",
            "Incorrect IAM authentication information: verify aksk signature fail",
            rid
        );
        3
    ])
    .await;
    match &err {
        CloudError::AuthRejected {
            code,
            message,
            request_id,
        } => {
            assert_eq!(code, "APIG.0301");
            assert!(message.contains("verify aksk signature fail"), "{message}");
            assert_eq!(request_id.as_deref(), Some(rid));
        }
        other => panic!("expected AuthRejected, got {other:?}"),
    }
    assert_eq!(requests.len(), 1, "auth failures are never retried");
}

#[tokio::test]
async fn hss_rate_limit_is_retried_then_reported_with_the_upstream_code() {
    let rid = "b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5";
    let (err, requests) = hss_fails(vec![
        hss_error(429, "APIG.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute", rid);
        4
    ])
    .await;
    match &err {
        CloudError::RateLimited {
            upstream_code,
            request_id,
            ..
        } => {
            assert_eq!(upstream_code.as_deref(), Some("APIG.0308"));
            assert_eq!(request_id.as_deref(), Some(rid));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(requests.len(), 3, "1 attempt + read_retries (2)");
    for pair in requests.windows(2) {
        assert!(
            pair[1].at - pair[0].at >= Duration::from_millis(150),
            "retries back off"
        );
    }
    for r in &requests {
        assert_hss_signature_verifies(r);
    }
}

#[tokio::test]
async fn hss_service_refusal_is_upstream_rejected_with_its_code() {
    let rid = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let (err, requests) = hss_fails(vec![
        hss_error(
            400,
            "HSS.1062",
            "Invalid parameter: type",
            rid
        );
        3
    ])
    .await;
    assert_eq!(
        err,
        CloudError::UpstreamRejected {
            status: 400,
            code: "HSS.1062".into(),
            message: "Invalid parameter: type".into(),
            request_id: Some(rid.into()),
        }
    );
    assert_eq!(requests.len(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn hss_request_id_from_the_body_is_kept_without_the_header() {
    let (err, _) = hss_fails(vec![Canned::json(
        400,
        r#"{"error_code": "HSS.1062", "error_msg": "Invalid parameter", "request_id": "body-only-id"}"#,
    )])
    .await;
    assert_eq!(err.request_id(), Some("body-only-id"));
}

#[tokio::test]
async fn hss_internal_error_is_unavailable_after_three_attempts() {
    let rid = "11112222333344445555666677778888";
    let (err, requests) = hss_fails(vec![
        hss_error(500, "HSS.0001", "Internal server error", rid);
        4
    ])
    .await;
    match &err {
        CloudError::Unavailable {
            code, request_id, ..
        } => {
            assert_eq!(code.as_deref(), Some("HSS.0001"));
            assert_eq!(request_id.as_deref(), Some(rid));
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert_eq!(requests.len(), 3, "1 attempt + read_retries (2)");
}

#[tokio::test]
async fn hss_gateway_apig_0201_depends_on_the_status() {
    let rid = "9999aaaabbbbccccddddeeeeffff0000";
    let message = "Backend timeout";

    let (err, requests) = hss_fails(vec![hss_error(502, "APIG.0201", message, rid); 4]).await;
    assert!(
        matches!(&err, CloudError::Unavailable { code: Some(c), .. } if c == "APIG.0201"),
        "502: {err:?}"
    );
    assert_eq!(requests.len(), 3, "502 is retried for a read");

    let (err, _) = hss_fails(vec![hss_error(504, "APIG.0201", message, rid); 4]).await;
    match &err {
        CloudError::TimedOut { request_id, .. } => {
            assert_eq!(request_id.as_deref(), Some(rid));
        }
        other => panic!("504: expected TimedOut, got {other:?}"),
    }

    let (err, requests) = hss_fails(vec![hss_error(400, "APIG.0201", message, rid); 4]).await;
    assert!(
        matches!(
            &err,
            CloudError::UpstreamRejected { status: 400, code, .. } if code == "APIG.0201"
        ),
        "400: {err:?}"
    );
    assert_eq!(requests.len(), 1);
}

#[tokio::test]
async fn hss_401_with_a_far_off_date_is_clock_skew() {
    let rid = "c10c5ce7c10c5ce7c10c5ce7c10c5ce7";
    let their_date = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(30 * 60));
    let (err, requests) = hss_fails(vec![
        hss_error(
            401,
            "APIG.0301",
            "Incorrect IAM authentication information: x-sdk-date expired",
            rid
        )
        .header("Date", their_date);
        3
    ])
    .await;
    match &err {
        CloudError::ClockSkew {
            code, request_id, ..
        } => {
            assert_eq!(code, "APIG.0301");
            assert_eq!(request_id.as_deref(), Some(rid));
        }
        other => panic!("expected ClockSkew, got {other:?}"),
    }
    assert_eq!(requests.len(), 1, "auth failures are never retried");
}

#[tokio::test]
async fn hss_malformed_success_body_is_unavailable_and_says_json() {
    let (err, requests) = hss_fails(vec![
        Canned::json(200, r#"{"data_list": ["#)
            .header("X-Request-Id", "malformed-1");
        3
    ])
    .await;
    match &err {
        CloudError::Unavailable {
            message,
            request_id,
            ..
        } => {
            assert!(message.contains("JSON"), "{message}");
            assert_eq!(request_id.as_deref(), Some("malformed-1"));
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(!requests.is_empty());
}

#[tokio::test]
async fn hss_rate_limit_then_success_is_a_success_with_each_attempt_signed() {
    let fake = Fake::start(vec![
        hss_error(429, "APIG.0308", "The throttling threshold has been reached", "rl-1"),
        Canned::json(
            200,
            r#"{"total_num": 1, "data_list": [{"task_id": "t-1", "task_name": "daily", "task_status": 100}]}"#,
        ),
    ])
    .await;
    let answer = hss(&fake.endpoint)
        .list_tasks(&scan_list())
        .await
        .expect("the retry succeeds");
    assert_eq!(answer.total_num, 1);
    assert_eq!(answer.data_list[0].task_id, "t-1");

    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].at - requests[0].at >= Duration::from_millis(150));
    for r in &requests {
        assert_sdk_date(r.header("x-sdk-date"));
        // Each attempt's Authorization verifies against its own X-Sdk-Date.
        assert_hss_signature_verifies(r);
    }
}

#[tokio::test]
async fn hss_slow_answer_times_out_within_the_timeout() {
    let fake = Fake::start(vec![
        Canned::json(200, r#"{"total_num": 0, "data_list": []}"#).delayed(Duration::from_secs(3)),
    ])
    .await;
    let timeout = Duration::from_millis(500);
    let client = hss_with(
        &fake.endpoint,
        HttpSettings {
            connect_timeout: Duration::from_secs(2),
            timeout,
            read_retries: 0,
            ..HttpSettings::default()
        },
        generous(),
    );
    let started = Instant::now();
    let err = client.list_tasks(&scan_list()).await.expect_err("timeout");
    let elapsed = started.elapsed();
    assert!(matches!(err, CloudError::TimedOut { .. }), "{err:?}");
    assert!(elapsed < timeout + Duration::from_secs(1), "{elapsed:?}");
    assert_eq!(fake.requests().len(), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn hss_hanging_connection_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(socket); // never read, never answered, never closed
        }
    });
    let timeout = Duration::from_millis(500);
    let client = hss_with(
        &format!("http://{addr}"),
        HttpSettings {
            connect_timeout: Duration::from_secs(2),
            timeout,
            read_retries: 0,
            ..HttpSettings::default()
        },
        generous(),
    );
    let started = Instant::now();
    let err = client.list_tasks(&scan_list()).await.expect_err("timeout");
    let elapsed = started.elapsed();
    assert!(matches!(err, CloudError::TimedOut { .. }), "{err:?}");
    assert!(elapsed < timeout + Duration::from_secs(1), "{elapsed:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn hss_connection_refused_is_unavailable_quickly() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    }; // dropped: nothing listens there now
    let client = hss_with(
        &format!("http://127.0.0.1:{port}"),
        HttpSettings {
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
            read_retries: 0,
            ..HttpSettings::default()
        },
        generous(),
    );
    let started = Instant::now();
    let err = client.list_tasks(&scan_list()).await.expect_err("refused");
    assert!(matches!(err, CloudError::Unavailable { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_no_secret(&err);
}

#[tokio::test]
async fn hss_retries_still_respect_our_budget() {
    let fake = Fake::start(vec![
        hss_error(
            500,
            "HSS.0001",
            "Internal server error",
            "b-1"
        );
        3
    ])
    .await;
    // 5 per minute: the retry's slot is 12 s away, beyond the 5 s timeout.
    let client = hss_with(
        &fake.endpoint,
        settings(),
        Arc::new(RateBudget::huawei_default()),
    );
    let started = Instant::now();
    let err = client.list_tasks(&scan_list()).await.expect_err("fails");
    assert!(started.elapsed() < Duration::from_secs(2), "failed fast");
    assert_eq!(fake.requests().len(), 1, "no retry beyond the budget");
    // Today the retry's local budget refusal is what comes back (the 500 is
    // dropped); reporting the 500 itself would be just as acceptable.
    assert!(
        matches!(
            err,
            CloudError::RateLimited {
                upstream_code: None,
                ..
            } | CloudError::Unavailable { .. }
        ),
        "{err:?}"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn hss_unknown_fields_are_ignored_and_missing_optional_fields_are_fine() {
    let fake = Fake::start(vec![Canned::json(
        200,
        r#"{
            "total_num": 2,
            "brand_new_top_level": {"nested": [1, 2, 3]},
            "data_list": [
                {"task_id": "t-1", "task_name": "weekly", "task_type": "cycle",
                 "task_status": 42, "failed_num": 1, "success_num": 3, "total_num": 4,
                 "risky_num": 2, "shiny_new_field": "ignored",
                 "failed_images": [{"image_name": "nginx", "image_version": "1.25",
                                    "namespace": "web", "extra": true}]},
                {"task_id": "t-2", "task_name": "sync", "task_status": -3}
            ]
        }"#,
    )])
    .await;
    let answer = hss(&fake.endpoint)
        .list_tasks(&scan_list())
        .await
        .expect("tolerant parse");
    assert_eq!(answer.total_num, 2);
    assert_eq!(answer.data_list.len(), 2);
    let first = &answer.data_list[0];
    assert_eq!(first.task_status, 42);
    assert_eq!(first.task_type.as_deref(), Some("cycle"));
    assert_eq!(first.policy_id, None, "missing optional field");
    assert_eq!(first.failed_images[0].image_name, "nginx");
    let second = &answer.data_list[1];
    assert_eq!(second.task_status, -3);
    assert_eq!(second.begin_time, None);
    assert!(second.failed_images.is_empty());
}

// ---------------------------------------------------------------------------
// TCSS
// ---------------------------------------------------------------------------

fn tcss_error(code: &str, message: &str, request_id: &str) -> Canned {
    Canned::json(
        200,
        serde_json::json!({
            "Response": {
                "Error": {"Code": code, "Message": message},
                "RequestId": request_id,
            }
        })
        .to_string(),
    )
}

async fn tcss_describe_fails(script: Vec<Canned>) -> (CloudError, Vec<Recorded>) {
    let fake = Fake::start(script).await;
    let err = tcss(&fake.endpoint)
        .describe_timing_scan()
        .await
        .expect_err("the call must fail");
    assert_no_secret(&err);
    (err, fake.requests())
}

async fn tcss_update_fails(script: Vec<Canned>) -> (CloudError, Vec<Recorded>) {
    let fake = Fake::start(script).await;
    let err = tcss(&fake.endpoint)
        .update_timing_scan(&valid_update())
        .await
        .expect_err("the call must fail");
    assert_no_secret(&err);
    (err, fake.requests())
}

#[tokio::test]
async fn tcss_describe_request_has_the_documented_shape_and_a_valid_signature() {
    let fake = Fake::start(vec![Canned::json(
        200,
        r#"{"Response": {"Enable": true, "ScanTime": "03:00:00", "ScanPeriod": 1,
            "ScanType": ["CVE"], "RequestId": "tc-ok-1"}}"#,
    )])
    .await;
    let task = tcss(&fake.endpoint)
        .describe_timing_scan()
        .await
        .expect("describe");
    assert!(task.enable);
    assert_eq!(task.request_id.as_deref(), Some("tc-ok-1"));

    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(r.query, None);
    assert_eq!(
        r.header("x-tc-action"),
        "DescribeImageRegistryTimingScanTask"
    );
    assert_eq!(r.header("x-tc-version"), "2020-11-01");
    assert_eq!(r.header("x-tc-region"), REGION);
    assert_eq!(r.header("content-type"), "application/json");
    assert!(r.headers.get("x-tc-token").is_none());
    let timestamp: i64 = r.header("x-tc-timestamp").parse().expect("integer");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!((now - timestamp).abs() <= 5, "X-TC-Timestamp {timestamp}");
    let body: serde_json::Value = serde_json::from_slice(&r.body).expect("JSON body");
    assert_eq!(body, serde_json::json!({}));
    assert_tcss_signature_verifies(r);
}

#[tokio::test]
async fn tcss_signature_failure_is_auth_rejected_and_not_retried() {
    let (err, requests) = tcss_describe_fails(vec![
        tcss_error(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
            "tc-auth-1",
        );
        3
    ])
    .await;
    match &err {
        CloudError::AuthRejected {
            code, request_id, ..
        } => {
            assert_eq!(code, "AuthFailure.SignatureFailure");
            assert_eq!(request_id.as_deref(), Some("tc-auth-1"));
        }
        other => panic!("expected AuthRejected, got {other:?}"),
    }
    assert_eq!(requests.len(), 1);
}

#[tokio::test]
async fn tcss_signature_expire_is_clock_skew() {
    let (err, requests) = tcss_describe_fails(vec![
        tcss_error(
            "AuthFailure.SignatureExpire",
            "Signature expired, timestamp 1700000000 is too far from server time",
            "tc-skew-1",
        );
        3
    ])
    .await;
    match &err {
        CloudError::ClockSkew {
            code, request_id, ..
        } => {
            assert_eq!(code, "AuthFailure.SignatureExpire");
            assert_eq!(request_id.as_deref(), Some("tc-skew-1"));
        }
        other => panic!("expected ClockSkew, got {other:?}"),
    }
    assert_eq!(requests.len(), 1);
}

#[tokio::test]
async fn tcss_request_limit_is_retried_for_a_read_then_rate_limited() {
    let (err, requests) = tcss_describe_fails(vec![
        tcss_error(
            "RequestLimitExceeded",
            "Your current request times equals to `21` in a second, which exceeds the frequency limit `20` for a second.",
            "tc-rl-1",
        );
        4
    ])
    .await;
    match &err {
        CloudError::RateLimited {
            upstream_code,
            request_id,
            ..
        } => {
            assert_eq!(upstream_code.as_deref(), Some("RequestLimitExceeded"));
            assert_eq!(request_id.as_deref(), Some("tc-rl-1"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(requests.len(), 3, "1 attempt + read_retries (2)");
    for r in &requests {
        assert_tcss_signature_verifies(r);
    }
}

#[tokio::test]
async fn tcss_invalid_parameter_value_is_upstream_rejected() {
    let (err, requests) = tcss_describe_fails(vec![
        tcss_error(
            "InvalidParameterValue",
            "ScanTime is not a valid time",
            "tc-param-1",
        );
        3
    ])
    .await;
    assert_eq!(
        err,
        CloudError::UpstreamRejected {
            status: 200,
            code: "InvalidParameterValue".into(),
            message: "ScanTime is not a valid time".into(),
            request_id: Some("tc-param-1".into()),
        }
    );
    assert_eq!(requests.len(), 1);
}

#[tokio::test]
async fn tcss_internal_error_is_unavailable_after_three_attempts() {
    let (err, requests) = tcss_describe_fails(vec![
        tcss_error(
            "InternalError",
            "An internal error has occurred.",
            "tc-500-1"
        );
        4
    ])
    .await;
    match &err {
        CloudError::Unavailable {
            code, request_id, ..
        } => {
            assert_eq!(code.as_deref(), Some("InternalError"));
            assert_eq!(request_id.as_deref(), Some("tc-500-1"));
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert_eq!(requests.len(), 3, "1 attempt + read_retries (2)");
}

#[tokio::test]
async fn tcss_update_is_never_retried_on_rate_limit() {
    let (err, requests) = tcss_update_fails(vec![
        tcss_error(
            "RequestLimitExceeded",
            "frequency limit",
            "tc-w-rl"
        );
        3
    ])
    .await;
    assert!(
        matches!(&err, CloudError::RateLimited { upstream_code: Some(c), .. } if c == "RequestLimitExceeded"),
        "{err:?}"
    );
    assert_eq!(requests.len(), 1, "writes are never retried automatically");
    let r = &requests[0];
    assert_eq!(r.header("x-tc-action"), "UpdateImageRegistryTimingScanTask");
    let body: serde_json::Value = serde_json::from_slice(&r.body).expect("JSON body");
    assert_eq!(
        body,
        serde_json::json!({"ScanPeriod": 7, "Enable": true, "ScanTime": "02:30:00", "ScanType": ["CVE", "VIRUS"]})
    );
    assert_tcss_signature_verifies(r);
}

#[tokio::test]
async fn tcss_update_is_never_retried_on_internal_error() {
    let (err, requests) = tcss_update_fails(vec![
        tcss_error(
            "InternalError",
            "An internal error has occurred.",
            "tc-w-500"
        );
        3
    ])
    .await;
    assert!(
        matches!(&err, CloudError::Unavailable { code: Some(c), .. } if c == "InternalError"),
        "{err:?}"
    );
    assert_eq!(requests.len(), 1, "writes are never retried automatically");
}

#[tokio::test]
async fn tcss_unknown_fields_are_ignored_and_missing_optional_fields_are_fine() {
    let fake = Fake::start(vec![Canned::json(
        200,
        r#"{"Response": {
            "Enable": false, "ScanTime": "01:00:00", "ScanPeriod": 3,
            "ScanType": ["CVE", "SOMETHING_NEW"], "All": true,
            "RegistryType": ["tcr"], "ScanScope": 0,
            "BrandNewField": {"Nested": [1]},
            "RequestId": "tc-extra-1"
        }}"#,
    )])
    .await;
    let task: TimingScanTask = tcss(&fake.endpoint)
        .describe_timing_scan()
        .await
        .expect("tolerant parse");
    assert!(!task.enable);
    assert_eq!(task.scan_period, 3);
    assert_eq!(task.scan_type, vec!["CVE", "SOMETHING_NEW"]);
    assert_eq!(task.last_scan_time, None, "missing optional field");
    assert_eq!(task.scan_end_time, None);
    assert!(task.images.is_empty());
    assert_eq!(task.request_id.as_deref(), Some("tc-extra-1"));
}

// ---------------------------------------------------------------------------
// Gateway codes by number, Retry-After, and the pause after refused keys
// ---------------------------------------------------------------------------

#[tokio::test]
async fn hss_gateway_codes_are_read_by_number_in_either_spelling() {
    // The cloud-service gateway spells them APIGW, the API Gateway product
    // APIG; the number decides, whatever the HTTP status.
    let (err, _) = hss_fails(vec![hss_error(
        400,
        "APIGW.0301",
        "Incorrect IAM authentication information",
        "gw-1",
    )])
    .await;
    assert!(
        matches!(&err, CloudError::AuthRejected { code, .. } if code == "APIGW.0301"),
        "{err:?}"
    );
    let (err, requests) = hss_fails(vec![
        hss_error(
            400,
            "APIGW.0308",
            "The throttling threshold has been reached",
            "gw-2"
        );
        3
    ])
    .await;
    assert!(
        matches!(&err, CloudError::RateLimited { upstream_code: Some(c), .. } if c == "APIGW.0308"),
        "{err:?}"
    );
    assert_eq!(requests.len(), 3, "a throttled read is retried");
    let (err, _) = hss_fails(vec![
        hss_error(
            502,
            "APIGW.0201",
            "backend unavailable",
            "gw-3"
        );
        3
    ])
    .await;
    assert!(
        matches!(&err, CloudError::Unavailable { code: Some(c), .. } if c == "APIGW.0201"),
        "{err:?}"
    );
}

#[tokio::test]
async fn hss_own_codes_keep_their_code_and_a_permission_refusal_is_no_key_problem() {
    for code in ["HSS.0001", "HSS.0011", "HSS.0010", "HSS.0013"] {
        let (err, requests) = hss_fails(vec![hss_error(400, code, "refused", "hss-own")]).await;
        assert!(
            matches!(&err, CloudError::UpstreamRejected { status: 400, code: c, .. } if c == code),
            "{code}: {err:?}"
        );
        assert_eq!(requests.len(), 1, "{code}: a refusal is not retried");
    }
}

#[tokio::test]
async fn hss_retry_after_in_seconds_sets_the_wait_before_a_read_retries() {
    let fake = Fake::start(vec![
        hss_error(
            429,
            "APIGW.0308",
            "The throttling threshold has been reached",
            "ra-1",
        )
        .header("Retry-After", "1"),
        Canned::json(200, r#"{"total_num": 0, "data_list": []}"#),
    ])
    .await;
    hss(&fake.endpoint)
        .list_tasks(&scan_list())
        .await
        .expect("the retry after the asked wait succeeds");
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
}

#[tokio::test]
async fn hss_retry_after_as_an_http_date_sets_the_wait_before_a_read_retries() {
    let when = SystemTime::now() + Duration::from_secs(2);
    let fake = Fake::start(vec![
        hss_error(
            429,
            "APIGW.0308",
            "The throttling threshold has been reached",
            "ra-2",
        )
        .header("Retry-After", httpdate::fmt_http_date(when)),
        Canned::json(200, r#"{"total_num": 0, "data_list": []}"#),
    ])
    .await;
    hss(&fake.endpoint)
        .list_tasks(&scan_list())
        .await
        .expect("the retry after the asked date succeeds");
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    // The date has whole seconds: at least one second of the two remains.
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
}

#[tokio::test]
async fn hss_retry_after_longer_than_a_call_is_reported_at_once_in_either_form() {
    let in_a_minute = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(60));
    for value in ["45".to_owned(), in_a_minute] {
        let started = Instant::now();
        let (err, requests) = hss_fails(vec![
            hss_error(
                429,
                "APIGW.0308",
                "The throttling threshold has been reached",
                "ra-3"
            )
            .header("Retry-After", value.clone());
            3
        ])
        .await;
        match &err {
            CloudError::RateLimited { retry_after, .. } => assert!(
                *retry_after > Duration::from_secs(40) && *retry_after <= Duration::from_secs(60),
                "{value}: {retry_after:?}"
            ),
            other => panic!("{value}: expected RateLimited, got {other:?}"),
        }
        assert_eq!(requests.len(), 1, "{value}: no retry inside the asked wait");
        assert!(started.elapsed() < Duration::from_secs(2), "{value}");
    }
}

#[tokio::test]
async fn two_refused_keys_in_a_row_pause_the_account_until_resumed() {
    let refused = hss_error(
        401,
        "APIGW.0301",
        "Incorrect IAM authentication information: verify aksk signature fail",
        "pause-1",
    );
    let fake = Fake::start(vec![
        refused.clone(),
        refused,
        Canned::json(200, r#"{"total_num": 0, "data_list": []}"#),
    ])
    .await;
    let client = hss(&fake.endpoint);
    // A clone shares the pause: the hub and the API use clones.
    let other = client.clone();
    for _ in 0..2 {
        let err = client.list_tasks(&scan_list()).await.expect_err("refused");
        assert!(matches!(err, CloudError::AuthRejected { .. }), "{err:?}");
    }
    assert_eq!(fake.requests().len(), 2);
    let err = other.list_tasks(&scan_list()).await.expect_err("paused");
    match &err {
        CloudError::AccountPaused { code, message } => {
            assert_eq!(code, "APIGW.0301");
            assert!(message.contains("verify aksk"), "{message}");
        }
        other => panic!("expected AccountPaused, got {other:?}"),
    }
    assert_no_secret(&err);
    assert_eq!(fake.requests().len(), 2, "a paused account sends nothing");
    assert_eq!(
        client.guard().paused().map(|r| r.code).as_deref(),
        Some("APIGW.0301")
    );

    assert!(other.guard().resume(), "it was paused");
    client
        .list_tasks(&scan_list())
        .await
        .expect("calls go through after the retry");
    assert_eq!(fake.requests().len(), 3);
    assert!(client.guard().paused().is_none());
}

#[tokio::test]
async fn tcss_auth_failures_pause_and_unauthorized_operation_does_not() {
    let denied = tcss_error(
        "UnauthorizedOperation",
        "The CAM policy does not allow tcss:DescribeImageRegistryTimingScanTask.",
        "tc-cam-1",
    );
    let fake = Fake::start(vec![denied; 3]).await;
    let client = tcss(&fake.endpoint);
    for _ in 0..3 {
        let err = client.describe_timing_scan().await.expect_err("denied");
        assert!(
            matches!(&err, CloudError::UpstreamRejected { code, .. } if code == "UnauthorizedOperation"),
            "a permission refusal, not a key problem: {err:?}"
        );
    }
    assert!(client.guard().paused().is_none());
    assert_eq!(fake.requests().len(), 3);

    let refused = tcss_error(
        "AuthFailure.SecretIdNotFound",
        "The SecretId is not found, please ensure that your SecretId is correct.",
        "tc-key-1",
    );
    let fake = Fake::start(vec![refused; 3]).await;
    let client = tcss(&fake.endpoint);
    for _ in 0..2 {
        let err = client.describe_timing_scan().await.expect_err("refused");
        assert!(matches!(err, CloudError::AuthRejected { .. }), "{err:?}");
    }
    let err = client.describe_timing_scan().await.expect_err("paused");
    assert!(
        matches!(&err, CloudError::AccountPaused { code, .. } if code == "AuthFailure.SecretIdNotFound"),
        "{err:?}"
    );
    assert_eq!(fake.requests().len(), 2);
}
