//! Hostile input against every `/api/v1` endpoint, as an operator and as
//! an admin: generated (proptest) malformed JSON, wrong types, huge
//! strings, deep nesting, bytes that are not JSON and oversize bodies must
//! get a clear 4xx JSON error (413 when oversize), never a 5xx, and never
//! reach the cloud. Then path tricks in ids (`../`, `%2F`, CR/LF, header
//! injection): refused, or sent with the upstream path and headers
//! unchanged, as the sandbox's request log shows. `HOSTILE_CASES` sets the
//! number of generated cases (default 48); run with `--nocapture` for the
//! figures.

use crate::common::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use reqwest::header;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Instant;

/// Every POST endpoint, a valid body for it, and whether it calls the
/// cloud. Bodies carry one field of each kind the endpoint takes, so a
/// mutation can hit strings, numbers, booleans, lists and objects.
fn endpoints() -> Vec<(&'static str, Value, bool)> {
    vec![
        ("auth/me", json!({}), false),
        (
            "hss/tasks",
            json!({"account": HW, "request": {"type": "image_scan", "task_type": "manual",
                "task_name": "nightly", "limit": 10, "offset": 0}}),
            true,
        ),
        (
            "hss/images",
            json!({"account": HW, "request": {"image_type": "private_image",
                "namespace": "payments", "image_name": "checkout", "limit": 10}}),
            true,
        ),
        (
            "hss/registries",
            json!({"account": HW, "request": {"limit": 10}}),
            true,
        ),
        ("ui/registries", json!({"account": HW}), true),
        (
            "ui/image-findings",
            json!({"account": HW, "image": {"cloud": "hss", "image_id": "sha256:0123456789ab",
                "image_type": "private_image", "namespace": "payments", "image_name": "checkout",
                "tag_name": "v1"}, "kind": "sensitive", "scanned_at": "1700000000000",
                "filter": {"severity": "high", "search": "env", "page": 1}}),
            true,
        ),
        (
            "ui/image-vulnerabilities",
            json!({"account": HW, "image": {"cloud": "hss", "image_id": "sha256:0123456789ab",
                "image_type": "private_image", "namespace": "payments", "image_name": "checkout",
                "tag_name": "v1"}, "scanned_at": "1700000000000",
                "filter": {"severity": "high", "fixable_only": false, "search": "CVE", "page": 1}}),
            true,
        ),
        (
            "live/tasks",
            json!({"account": HW, "list": "image_scan"}),
            true,
        ),
        ("live/tcss-scan", json!({"account": TC}), true),
        (
            "hss/batch-scan",
            json!({"account": HW, "request": {"image_type": "private_image",
                "image_info_list": [{"namespace": "payments", "image_name": "checkout",
                    "image_version": "v1"}]}, "idempotency_key": "hostile-1"}),
            true,
        ),
        (
            "hss/scan-tasks",
            json!({"account": HW, "request": {"rate_limit": 10, "image_info": [
                {"namespace": "payments", "image_name": "checkout", "image_version": "v1"}]}}),
            true,
        ),
        (
            "hss/tasks/stop",
            json!({"account": HW, "request": {"task_id": "task-0001"}}),
            true,
        ),
        (
            "hss/synchronize",
            json!({"account": HW, "request": {"image_type": "private_image"}}),
            true,
        ),
        (
            "hss/image-sync-tasks",
            json!({"account": HW, "request": {"registry_info": [
                {"registry_id": "reg-1", "registry_name": "harbor"}]}}),
            true,
        ),
        (
            "hss/scan-policy",
            json!({"account": HW, "request": {"type": "cycle", "global_image_type": "registry"}}),
            true,
        ),
        (
            "hss/scan-policy/update",
            json!({"account": HW, "request": scan_policy_update(10),
                "idempotency_key": "hostile-policy"}),
            true,
        ),
        (
            "hss/image-vulnerabilities",
            json!({"account": HW, "request": {"image_id": "sha256:0123456789ab",
                "image_type": "private_image", "namespace": "payments", "image_name": "checkout",
                "tag_name": "v1", "repair_necessity": "immediate_repair",
                "offset": 0, "limit": 10}, "scanned_at": "1700000000000"}),
            true,
        ),
        (
            "tcss/image-vulnerabilities",
            json!({"account": TC, "request": {"Id": 3, "Limit": 10, "Offset": 0,
                "Filters": [{"Name": "Level", "Values": ["HIGH"]}]}, "scanned_at": "2026-11-21 03:10:00"}),
            true,
        ),
        (
            "hss/image-malware",
            json!({"account": HW, "request": {"image_id": "sha256:0123456789ab",
                "image_type": "private_image", "namespace": "payments", "image_name": "checkout",
                "tag_name": "v1", "file_name": "x", "offset": 0, "limit": 10},
                "scanned_at": "1700000000000"}),
            true,
        ),
        (
            "hss/image-sensitive",
            json!({"account": HW, "request": {"image_id": "sha256:0123456789ab",
                "image_type": "private_image", "namespace": "payments", "image_name": "checkout",
                "image_version": "v1", "severity": "high", "handle_status": "unhandled",
                "file_path": "/app", "offset": 0, "limit": 10}}),
            true,
        ),
        (
            "hss/image-risk-configs",
            json!({"account": HW, "request": {"image_id": "sha256:0123456789ab",
                "image_type": "private_image", "namespace": "payments", "image_name": "checkout",
                "image_version": "v1", "severity": "High", "standard": "hw_standard",
                "check_name": "CentOS", "offset": 0, "limit": 10}}),
            true,
        ),
        (
            "tcss/image-viruses",
            json!({"account": TC, "request": {"Id": 3, "Limit": 10, "Offset": 0,
                "Filters": [{"Name": "RiskLevel", "Values": ["4"]}]}}),
            true,
        ),
        (
            "tcss/image-risks",
            json!({"account": TC, "request": {"Id": 3, "Limit": 10, "Offset": 0, "By": "Level",
                "Order": "DESC", "Filters": [{"Name": "Behavior", "Values": ["all"]}]}}),
            true,
        ),
        (
            "hss/vulnerabilities",
            json!({"account": HW, "request": {"type": "linux_vul", "handle_status": "unhandled",
                "severity_level": "High", "cve_id": "CVE-2024",
                "label_list": ["poc"], "image_type": "registry", "offset": 0, "limit": 10}}),
            true,
        ),
        (
            "hss/vulnerability-images",
            json!({"account": HW, "request": {"vul_id": "CVE-2024-3094", "namespace": "payments",
                "image_name": "checkout", "offset": 0, "limit": 10}}),
            true,
        ),
        (
            "tcss/vulnerabilities",
            json!({"account": TC, "request": {"Limit": 10, "Offset": 0, "Order": "desc",
                "By": "RegistryImageCount", "Filters": [{"Name": "Level", "Values": ["HIGH"]}]}}),
            true,
        ),
        (
            "tcss/web-vulnerabilities",
            json!({"account": TC, "request": {"Limit": 10, "Offset": 0, "Order": "asc",
                "By": "CVSSV3Score", "Filters": [{"Name": "CVEID", "Values": ["CVE-2021-44228"],
                    "ExactMatch": true}]}}),
            true,
        ),
        (
            "tcss/vulnerability-images",
            json!({"account": TC, "request": {"PocID": "pcmgr-1", "Limit": 10, "Offset": 0,
                "Filters": [{"Name": "ImageName", "Values": ["web"], "ExactMatch": false}]}}),
            true,
        ),
        (
            "ui/vulnerabilities",
            json!({"account": HW, "filter": {"severity": "high", "search": "CVE-2024", "page": 1}}),
            true,
        ),
        (
            "ui/vulnerability-images",
            json!({"account": TC, "query": {"key": "pcmgr-1", "page": 1}}),
            true,
        ),
        ("ui/overview", json!({}), false),
        (
            "hss/registry-images",
            json!({"account": HW, "request": {"registry_name": "Harbor (corp)",
                "severity_level": "High", "risky": true, "sort_key": "latest_scan_time",
                "sort_dir": "desc", "offset": 0, "limit": 50}}),
            true,
        ),
        (
            "hss/image-sync-tasks/registries",
            json!({"account": HW, "request": {"task_id": "sync-0001", "limit": 10,
                "registry_type": ["Harbor"], "sync_status": "failed"}}),
            true,
        ),
        (
            "tcss/timing-scan",
            json!({"account": TC, "request": {}}),
            true,
        ),
        (
            "tcss/timing-scan/update",
            json!({"account": TC, "request": {"ScanPeriod": 3, "Enable": true,
                "ScanTime": "04:30:00", "ScanType": ["CVE"], "All": true}}),
            true,
        ),
        (
            "tcss/images",
            json!({"account": TC, "request": {"Limit": 10, "Offset": 0, "By": "ImageName",
                "Order": "asc"}}),
            true,
        ),
        (
            "tcss/scan",
            json!({"account": TC, "request": {"Id": [101, 102], "ScanType": ["CVE"]}}),
            true,
        ),
        (
            "tcss/scan/stop",
            json!({"account": TC, "request": {"TaskID": 10001, "Id": [11], "All": false}}),
            true,
        ),
        (
            "tcss/scan-status",
            json!({"account": TC, "request": {"All": true}}),
            true,
        ),
        (
            "tcss/sync",
            json!({"account": TC, "request": {"RegistryIds": [1, 2]}}),
            true,
        ),
        (
            "tcss/registries",
            json!({"account": TC, "request": {"Limit": 10, "Offset": 0, "By": "Name",
                "Order": "asc", "Filters": [{"Name": "IsAuthorized", "Values": ["1"],
                "ExactMatch": true}]}}),
            true,
        ),
        (
            "tcss/sync-status",
            json!({"account": TC, "request": {}}),
            true,
        ),
        (
            "tcss/namespaces",
            json!({"account": TC, "request": {"Offset": 0, "Limit": 100,
                "Filters": [{"Name": "Namespace", "Values": ["pay"]}]}}),
            true,
        ),
        (
            "accounts/retry",
            json!({"account": HW, "idempotency_key": "hostile-retry"}),
            false,
        ),
        ("admin/users", json!({}), false),
        (
            "admin/users/add",
            json!({"name": "hostile-user", "password": PASSWORD, "role": "viewer"}),
            false,
        ),
        (
            "admin/users/role",
            json!({"name": SPARE, "role": "viewer"}),
            false,
        ),
        (
            "admin/users/disable",
            json!({"name": SPARE, "disabled": false}),
            false,
        ),
        ("admin/tokens", json!({}), false),
        (
            "admin/tokens/create",
            json!({"user": SPARE, "label": "hostile", "expires_days": 3}),
            false,
        ),
        ("admin/tokens/revoke", json!({"id": "no-such-token"}), false),
        (
            "admin/audit",
            json!({"query": {"limit": 5, "offset": 0, "from_ms": 0}}),
            false,
        ),
    ]
}

/// One generated attack on one endpoint's body.
#[derive(Debug, Clone)]
enum Attack {
    /// Any JSON value as the whole body.
    Whole(Value),
    /// Bytes that are mostly not JSON (nor UTF-8).
    Bytes(Vec<u8>),
    /// One field (or object) of the valid body replaced by another type.
    WrongType(Index, Value),
    /// One field replaced by a string of this many characters (below the
    /// body cap).
    Huge(Index, usize),
    /// One field replaced by lists or objects nested this deep.
    Deep(Index, usize, bool),
    /// The valid body padded past the cap.
    Oversize(usize),
}

/// Generated hostile bodies go to every endpoint that takes one: each of
/// the app's catalogue, but `accounts` (a GET without a body, covered by
/// the query-string test below).
#[test]
fn hostile_bodies_cover_the_endpoint_catalogue() {
    let covered: Vec<&str> = endpoints().iter().map(|(name, _, _)| *name).collect();
    for declared in scanport_app::endpoints::ALL {
        if declared.path != scanport_app::endpoints::ACCOUNTS.path {
            assert!(
                covered.contains(&declared.path),
                "{} gets no hostile bodies",
                declared.path
            );
        }
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::from),
        // Control characters, quotes, path tricks.
        "[\\x00-\\x1f\"\\\\/.%]{1,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    // Real field names with values of any type.
                    prop::sample::select(vec![
                        "account",
                        "request",
                        "list",
                        "query",
                        "name",
                        "role",
                        "id",
                        "user",
                        "label",
                        "type",
                        "image_type",
                        "Limit",
                        "Id",
                        "All",
                    ])
                    .prop_map(str::to_owned),
                    "\\PC{0,10}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn attack() -> impl Strategy<Value = Attack> {
    prop_oneof![
        any_json().prop_map(Attack::Whole),
        prop::collection::vec(any::<u8>(), 0..256).prop_map(Attack::Bytes),
        (any::<Index>(), any_json()).prop_map(|(i, v)| Attack::WrongType(i, v)),
        (any::<Index>(), 1_000..(MAX_BODY_BYTES - 2_000)).prop_map(|(i, n)| Attack::Huge(i, n)),
        (any::<Index>(), 64..4_000usize, any::<bool>()).prop_map(|(i, d, a)| Attack::Deep(i, d, a)),
        (MAX_BODY_BYTES + 1..4 * MAX_BODY_BYTES).prop_map(Attack::Oversize),
    ]
}

/// Paths to every value inside `value` (not the root).
fn paths(value: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), value)];
    while let Some((path, v)) = stack.pop() {
        let children: Vec<(String, &Value)> = match v {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        };
        for (key, child) in children {
            let mut p: Vec<String> = path.clone();
            p.push(key);
            out.push(p.clone());
            stack.push((p, child));
        }
    }
    out.sort();
    out
}

fn slot<'a>(value: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(value, |v, key| match v {
        Value::Array(items) => &mut items[key.parse::<usize>().expect("index")],
        other => &mut other[key.as_str()],
    })
}

/// JSON's kinds, telling integers from other numbers (serde does).
fn kind_of(value: &Value) -> u8 {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(n) if n.is_i64() || n.is_u64() => 2,
        Value::Number(_) => 3,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    }
}

/// The field name the API uses for `path`: inside `request`, relative to
/// it (`image_info_list[0].namespace`); else the top-level name.
fn field_name(path: &[String]) -> String {
    let inner = match path.first().map(String::as_str) {
        Some("request") if path.len() > 1 => &path[1..],
        _ => path,
    };
    let mut name = String::new();
    for key in inner {
        if key.parse::<usize>().is_ok() {
            name.push_str(&format!("[{key}]"));
        } else {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(key);
        }
    }
    name
}

fn nested(depth: usize, array: bool) -> String {
    if array {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    } else {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    }
}

/// The bytes an attack sends to an endpoint with `template`, and the path
/// it hit (for the field name), if any.
fn body_of(attack: &Attack, template: &Value) -> (Vec<u8>, Option<Vec<String>>) {
    let all = paths(template);
    let mut body = template.clone();
    let mut at = |index: &Index, with: Value| -> Option<Vec<String>> {
        if all.is_empty() {
            body = with;
            return None;
        }
        let path = all[index.index(all.len())].clone();
        *slot(&mut body, &path) = with;
        Some(path)
    };
    match attack {
        Attack::Whole(value) => (value.to_string().into_bytes(), None),
        Attack::Bytes(bytes) => (bytes.clone(), None),
        Attack::WrongType(index, value) => {
            let current = all
                .get(index.index(all.len().max(1)))
                .map(|p| slot(&mut template.clone(), p).clone());
            // Same kind (or null, which an optional field accepts) is not
            // a wrong type: use one that surely is.
            let with = match current {
                Some(c) if kind_of(&c) == kind_of(value) || value.is_null() => {
                    if c.is_string() {
                        json!(7)
                    } else {
                        json!("seven")
                    }
                }
                _ => value.clone(),
            };
            let path = at(index, with);
            (body.to_string().into_bytes(), path)
        }
        Attack::Huge(index, len) => {
            let path = at(index, Value::from("ä".repeat(len / 2)));
            (body.to_string().into_bytes(), path)
        }
        Attack::Deep(index, depth, array) => {
            let path = at(index, json!("__DEEP__"));
            let text = body
                .to_string()
                .replace("\"__DEEP__\"", &nested(*depth, *array));
            (text.into_bytes(), path)
        }
        Attack::Oversize(len) => {
            let mut padded = template.clone();
            if let Some(map) = padded.as_object_mut() {
                map.insert("padding".into(), Value::from("x".repeat(*len)));
            }
            (padded.to_string().into_bytes(), None)
        }
    }
}

/// An oversize body as a careful client sends it: the length declared
/// with `Expect: 100-continue`, the answer read before any body byte goes
/// out. (Without `Expect` the server waits a moment for a body to drain
/// before answering; that, and a client that writes the body first, are
/// `hardening.rs`'s tests.)
async fn declared_oversize(
    h: &Harness,
    auth: &Auth,
    endpoint: &str,
    length: usize,
    what: String,
) -> Reply {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = h.base.trim_start_matches("http://").to_owned();
    let credential = match auth {
        Auth::Bearer(token) => format!("Authorization: Bearer {token}\r\n"),
        Auth::Cookie(id) => format!("Cookie: scanport_session={id}\r\n"),
        Auth::Anonymous => String::new(),
    };
    let head = format!(
        "POST /api/v1/{endpoint} HTTP/1.1\r\nHost: {addr}\r\n{credential}\
         Content-Type: application/json\r\nContent-Length: {length}\r\n\
         Expect: 100-continue\r\nConnection: close\r\n\r\n"
    );
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("{what}: connect: {e}"));
    stream
        .write_all(head.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("{what}: send the head: {e}"));
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await
    .unwrap_or_else(|_| panic!("{what}: no answer to a declared oversize length"))
    .unwrap_or_else(|e| panic!("{what}: read the answer: {e}"));
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{what}: not an HTTP answer: {answer}"));
    let mut headers = reqwest::header::HeaderMap::new();
    for line in head.lines().skip(1) {
        if let Some((name, value)) = line.split_once(':')
            && let (Ok(name), Ok(value)) = (
                reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()),
                reqwest::header::HeaderValue::from_str(value.trim()),
            )
        {
            headers.append(name, value);
        }
    }
    Reply {
        what,
        status: reqwest::StatusCode::from_u16(status).expect("a status"),
        headers,
        body: body.to_owned(),
    }
}

/// What the run saw, for the figures.
#[derive(Default)]
struct Tally {
    requests: usize,
    by_status: BTreeMap<u16, usize>,
    field_named_exactly: usize,
    field_problems: usize,
    /// Whole bodies with no known name, taken as `{}` where that is valid.
    taken_as_empty: usize,
}

/// Generated attacks on every endpoint as an operator and as an admin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_hostile_bodies_get_a_clear_4xx_and_never_reach_the_cloud() {
    // Every upstream call is counted: the hub's own polls would blur that.
    let h = Harness::start_with(Options {
        quiet_hub: true,
        ..Options::default()
    })
    .await;
    let (_, operator) = h.token(OPERATOR).await;
    let (_, admin) = h.token(ADMIN).await;
    let cases: u32 = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    // Deterministic: the same cases every run, so a failure reproduces.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            ..Config::default()
        },
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let strategy = attack();
    let endpoints = endpoints();
    let started = Instant::now();
    let mut upstream_before = h.upstream().await;
    let mut tally = Tally::default();
    for case in 0..cases {
        let attack = strategy
            .new_tree(&mut runner)
            .expect("generate a case")
            .current();
        for (endpoint, template, upstream) in &endpoints {
            let (body, path) = body_of(&attack, template);
            for (role, auth) in [("operator", &operator), ("admin", &admin)] {
                let before = if *upstream {
                    Some(h.upstream().await)
                } else {
                    None
                };
                let what = format!(
                    "case {case} {endpoint} as {role}: {attack:.200?} at {path:?}: {}",
                    String::from_utf8_lossy(&body[..body.len().min(160)])
                );
                let reply = if matches!(attack, Attack::Oversize(_)) {
                    declared_oversize(&h, auth, endpoint, body.len(), what).await
                } else {
                    h.send(
                        what,
                        auth.apply(
                            h.request(Method::POST, &format!("/api/v1/{endpoint}"))
                                .header(header::CONTENT_TYPE, "application/json")
                                .body(body.clone()),
                        ),
                    )
                    .await
                };
                let what = &reply.what;
                let status = reply.status.as_u16();
                tally.requests += 1;
                *tally.by_status.entry(status).or_default() += 1;
                assert!(status < 500, "{what}: {status} {}", reply.body);
                if matches!(attack, Attack::Oversize(_)) {
                    assert_eq!(status, 413, "{what}: {}", reply.body);
                }
                // Without a field to hit, an attack replaces the whole body.
                let whole = matches!(attack, Attack::Whole(_) | Attack::Bytes(_)) || path.is_none();
                // Any targeted attack is an error. A whole body may pass
                // only where it means the empty request: an endpoint whose
                // arguments are all optional ignores unknown top-level
                // names, and answers `{}` the same way.
                if reply.status.is_success() {
                    assert!(whole, "{what}: accepted with {status}: {}", reply.body);
                    if *upstream {
                        let empty = h.call(auth, endpoint, &json!({})).await;
                        assert!(
                            empty.status.is_success(),
                            "{what}: accepted with {status}, yet {{}} is not: {}",
                            empty.body
                        );
                        tally.taken_as_empty += 1;
                        upstream_before = h.upstream().await;
                    }
                    continue;
                }
                assert!(
                    reply.status.is_client_error(),
                    "{what}: {status} {}",
                    reply.body
                );
                let kind = reply
                    .kind()
                    .unwrap_or_else(|| panic!("{what}: not a JSON error: {}", reply.body));
                let message = reply.json()["error"]["message"]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_default();
                assert!(!message.is_empty(), "{what}: no message: {}", reply.body);
                if kind == "invalid_input" {
                    let field = reply.field().unwrap_or_default();
                    assert!(!field.is_empty(), "{what}: no field named: {}", reply.body);
                    tally.field_problems += 1;
                    if path.as_ref().is_some_and(|p| field_name(p) == field) {
                        tally.field_named_exactly += 1;
                    }
                }
                if let Some(before) = before {
                    assert_eq!(
                        h.upstream().await,
                        before,
                        "{what}: refused input reached the cloud"
                    );
                }
            }
        }
    }
    assert_eq!(
        h.upstream().await,
        upstream_before,
        "no hostile body reached the cloud"
    );
    eprintln!(
        "hostile bodies: {cases} cases × {} endpoints × 2 roles = {} requests in {:.1} s; \
         statuses {:?}; invalid_input naming the attacked field exactly: {} of {}; \
         taken as the empty request: {}; refused bodies that reached the cloud: 0",
        endpoints.len(),
        tally.requests,
        started.elapsed().as_secs_f64(),
        tally.by_status,
        tally.field_named_exactly,
        tally.field_problems,
        tally.taken_as_empty,
    );
    h.assert_no_secret_leaked();
}

/// Hostile query strings on the GET endpoints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_query_strings_on_get_endpoints_are_client_errors() {
    let h = Harness::start().await;
    let (_, admin) = h.token(ADMIN).await;
    let before = h.upstream().await;
    let queries = [
        "account=..%2F..%2Fetc&type=image_scan",
        "account=hw-test%0d%0aX-Injected:%201&type=image_scan",
        "account=hw-test&type=%00",
        "account=hw-test&type=image_scan&type=image_sync",
        "account=%FF%FE&type=image_scan",
        "account=",
        "type=../../x",
    ];
    for query in queries {
        let reply = h
            .get(&admin, &format!("/api/v1/events/tasks?{query}"))
            .await;
        assert!(
            reply.status.is_client_error() && reply.kind().is_some(),
            "events?{query}: {} {}",
            reply.status,
            reply.body
        );
    }
    for query in [
        "from_ms=abc",
        "limit=-1",
        "actor=%00%0d%0a",
        "from_ms=99999999999999999999999",
        "outcome=../../x",
    ] {
        let reply = h
            .get(&admin, &format!("/api/v1/admin/audit.csv?{query}"))
            .await;
        assert!(
            reply.status.as_u16() < 500,
            "audit.csv?{query}: {} {}",
            reply.status,
            reply.body
        );
        if !reply.status.is_success() {
            assert!(reply.kind().is_some(), "audit.csv?{query}: {}", reply.body);
        }
    }
    let reply = h.get(&admin, "/api/v1/accounts?x=%00%0d%0a").await;
    assert!(reply.status.as_u16() < 500, "{}", reply.body);
    assert_eq!(h.upstream().await, before, "nothing reached the cloud");
    h.assert_no_secret_leaked();
}

/// The header names of a logged upstream request, sorted.
fn header_names(request: &Value) -> Vec<String> {
    let mut names: Vec<String> = request["headers"]
        .as_array()
        .map(|hs| {
            hs.iter()
                .filter_map(|h| h[0].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Decoded `key=value` pairs of a logged target's query.
fn query_pairs(target: &str) -> Vec<(String, String)> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// The latest upstream request of `api`.
async fn latest(h: &Harness, api: &str) -> Value {
    h.upstream_requests()
        .await
        .into_iter()
        .rev()
        .find(|r| r["api"] == api)
        .unwrap_or_else(|| panic!("no upstream call of {api}"))
}

/// Where a trick travels in an upstream request.
enum Carrier {
    /// In this query parameter.
    Query(&'static str),
    /// In the JSON body (the sandbox logs no bodies; path and headers are
    /// checked).
    Body,
}

/// An id an endpoint puts in the upstream path as one segment.
struct Segment {
    endpoint: &'static str,
    /// The request field that carries it.
    field: &'static str,
    /// The upstream API, as the sandbox's request log names it.
    api: &'static str,
    /// The upstream path, `{}` where the id goes.
    path: &'static str,
}

impl Segment {
    /// Calls the endpoint with `trick` as the id: either the console
    /// refuses it, naming the field, and sends nothing (`false`), or it is
    /// sent once, as exactly one segment of the path, arriving as it was
    /// given (`true`; the sandbox may then refuse it, `upstream_rejected`).
    async fn refused_or_sent_whole(
        &self,
        h: &Harness,
        auth: &Auth,
        trick: &str,
        body: &Value,
    ) -> bool {
        let Self {
            endpoint,
            field,
            api,
            path,
        } = self;
        let before = h.upstream_calls(api).await;
        let reply = h.call(auth, endpoint, body).await;
        let made = h.upstream_calls(api).await - before;
        if reply.status.is_client_error() && reply.kind().as_deref() != Some("upstream_rejected") {
            reply.expect_error(400, "invalid_input");
            assert_eq!(
                reply.field().as_deref(),
                Some(*field),
                "{endpoint} {trick:?}"
            );
            assert_eq!(made, 0, "{endpoint}: {trick:?} was refused yet sent");
            return false;
        }
        assert_eq!(made, 1, "{endpoint} {trick:?}: {}", reply.body);
        let request = latest(h, api).await;
        let target = request["target"].as_str().unwrap_or_default();
        let sent: Vec<&str> = target
            .split('?')
            .next()
            .unwrap_or_default()
            .split('/')
            .collect();
        let expected: Vec<&str> = path.split('/').collect();
        assert_eq!(
            sent.len(),
            expected.len(),
            "{trick:?} bent the path: {request}"
        );
        for (have, want) in sent.iter().zip(&expected) {
            if *want == "{}" {
                let decoded = percent_encoding::percent_decode_str(have).decode_utf8_lossy();
                assert_eq!(
                    decoded, trick,
                    "{endpoint}: the id did not arrive as sent: {request}"
                );
            } else {
                assert_eq!(have, want, "{trick:?} bent the path: {request}");
            }
        }
        true
    }
}

/// Ids carrying path tricks and header injections are refused, or sent
/// with the upstream path and headers exactly as for a plain id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_tricks_in_ids_never_bend_the_upstream_path_or_headers() {
    // Every upstream call is counted: the hub's own polls would blur that.
    let h = Harness::start_with(Options {
        quiet_hub: true,
        ..Options::default()
    })
    .await;
    let (_, operator) = h.token(OPERATOR).await;
    let tricks = [
        "../",
        "../../v5/other-project/image/batch-scan",
        "..",
        ".",
        "a/b",
        "%2F",
        "a%2Fb",
        "%2e%2e%2f",
        "a\r\nX-Injected: 1",
        "a%0d%0aX-Injected:%201",
        "a\nHost: evil.example",
        "a?limit=1000&offset=0",
        "a#frag",
        "a b",
        "\\..\\..\\",
        "\u{0}",
    ];
    const TASKS: &str = "GET /v5/{project_id}/image/tasks";
    const REGISTRY_IMAGES: &str = "GET /v5/{project_id}/image/registries/images";
    const SYNC_REGISTRIES: &str =
        "GET /v5/{project_id}/image/image-sync/tasks/{task_id}/registries";
    const VUL_IMAGES: &str = "GET /v5/{project_id}/image/{image_id}/images";
    // Plain calls first: the headers every upstream request keeps.
    h.call(
        &operator,
        "hss/tasks",
        &json!({"account": HW, "request": {"type": "image_scan", "task_name": "plain"}}),
    )
    .await
    .expect_ok();
    let get_headers = header_names(&latest(&h, TASKS).await);
    let mut post_headers = Vec::new();

    let (mut refused, mut sent) = (0, 0);
    // Reads first: a launch wakes the live hub, whose own polls would
    // blur the counters the reads compare.
    for launches in [false, true] {
        if launches {
            h.call(
                &operator,
                "hss/batch-scan",
                &json!({"account": HW, "request": batch_scan_all("payments")}),
            )
            .await
            .expect_ok();
            post_headers = header_names(&latest(&h, UP_BATCH_SCAN).await);
        }
        for trick in tricks {
            if !launches {
                // As an account id: no such account, nothing sent.
                for endpoint in ["hss/tasks", "tcss/images", "hss/batch-scan"] {
                    let before = h.upstream().await;
                    let reply = h
                        .call(
                            &operator,
                            endpoint,
                            &json!({"account": trick, "request": {"type": "image_scan"}}),
                        )
                        .await;
                    assert!(
                        reply.status.is_client_error() && reply.kind().is_some(),
                        "{endpoint} account {trick:?}: {} {}",
                        reply.status,
                        reply.body
                    );
                    assert_eq!(h.upstream().await, before, "account {trick:?} was sent");
                    refused += 1;
                }
                // As an id that is a path segment (a task to stop, a sync
                // task's registries, a vulnerability's images): refused
                // naming its field, or sent as exactly that one segment.
                let segments = [
                    (
                        "hss/tasks/stop",
                        json!({"account": HW, "request": {"task_id": trick}}),
                        "task_id",
                        UP_STOP,
                        "/v5/proj-test-0001/image/image-scan/tasks/{}/stop",
                    ),
                    (
                        "hss/image-sync-tasks/registries",
                        json!({"account": HW, "request": {"task_id": trick}}),
                        "task_id",
                        SYNC_REGISTRIES,
                        "/v5/proj-test-0001/image/image-sync/tasks/{}/registries",
                    ),
                    (
                        "hss/vulnerability-images",
                        json!({"account": HW, "request": {"vul_id": trick}}),
                        "vul_id",
                        VUL_IMAGES,
                        "/v5/proj-test-0001/image/{}/images",
                    ),
                ];
                for (endpoint, body, field, api, path) in segments {
                    let segment = Segment {
                        endpoint,
                        field,
                        api,
                        path,
                    };
                    if segment
                        .refused_or_sent_whole(&h, &operator, trick, &body)
                        .await
                    {
                        sent += 1;
                    } else {
                        refused += 1;
                    }
                }
            }
            // In a query or a body they may be sent, but encoded: the path,
            // the header set and the other parameters stay a plain call's.
            let calls = [
                (
                    "hss/tasks",
                    TASKS,
                    json!({"account": HW, "request": {"type": "image_scan", "task_id": trick}}),
                    Carrier::Query("task_id"),
                ),
                (
                    "hss/tasks",
                    TASKS,
                    json!({"account": HW, "request": {"type": "image_scan", "task_name": trick}}),
                    Carrier::Query("task_name"),
                ),
                (
                    "hss/images",
                    UP_IMAGES,
                    json!({"account": HW, "request": {"image_type": "private_image", "namespace": trick}}),
                    Carrier::Query("namespace"),
                ),
                (
                    "hss/registry-images",
                    REGISTRY_IMAGES,
                    json!({"account": HW, "request": {"registry_name": trick}}),
                    Carrier::Query("registry_name"),
                ),
                (
                    "hss/batch-scan",
                    UP_BATCH_SCAN,
                    json!({"account": HW, "request": batch_scan_all(trick)}),
                    Carrier::Body,
                ),
                (
                    "hss/image-sync-tasks",
                    UP_IMAGE_SYNC,
                    json!({"account": HW, "request": {"registry_info": [
                    {"registry_id": trick, "registry_name": trick}]}}),
                    Carrier::Body,
                ),
            ];
            for (endpoint, api, body, carrier) in calls
                .into_iter()
                .filter(|(_, api, _, _)| api.starts_with("GET ") != launches)
            {
                let before = h.upstream_calls(api).await;
                let reply = h.call(&operator, endpoint, &body).await;
                let status = reply.status.as_u16();
                assert!(
                    status < 500 || reply.kind().as_deref() == Some("upstream_rejected"),
                    "{endpoint} {trick:?}: {status} {}",
                    reply.body
                );
                let made = h.upstream_calls(api).await - before;
                // A refusal by the sandbox (`upstream_rejected`, 400 or 404
                // by its code) was sent; the console's own was not.
                if reply.status.is_client_error()
                    && reply.kind().as_deref() != Some("upstream_rejected")
                {
                    assert!(reply.kind().is_some(), "{}", reply.body);
                    assert_eq!(made, 0, "{endpoint} {trick:?}: refused yet sent");
                    refused += 1;
                    continue;
                }
                // Sent: the sandbox answered, or refused what it received.
                assert!(
                    reply.status.is_success()
                        || reply.kind().as_deref() == Some("upstream_rejected"),
                    "{endpoint} {trick:?}: {status} {}",
                    reply.body
                );
                sent += 1;
                assert_eq!(made, 1, "{endpoint} {trick:?}");
                let request = latest(&h, api).await;
                let target = request["target"].as_str().unwrap_or_default();
                let path = target.split('?').next().unwrap_or_default();
                let expected_path = match api {
                    TASKS => "/v5/proj-test-0001/image/tasks",
                    UP_IMAGES => "/v5/proj-test-0001/image/swr-repository",
                    REGISTRY_IMAGES => "/v5/proj-test-0001/image/registries/images",
                    UP_BATCH_SCAN => "/v5/proj-test-0001/image/batch-scan",
                    _ => "/v5/proj-test-0001/image/image-sync/tasks",
                };
                assert_eq!(path, expected_path, "{trick:?} bent the path: {request}");
                let plain = if api.starts_with("GET ") {
                    &get_headers
                } else {
                    &post_headers
                };
                assert_eq!(
                    &header_names(&request),
                    plain,
                    "{trick:?} changed the headers: {request}"
                );
                for header in request["headers"].as_array().into_iter().flatten() {
                    let value = header[1].as_str().unwrap_or_default();
                    assert!(
                        !value.contains(['\r', '\n']) && !value.contains("evil.example"),
                        "{trick:?} reached a header: {request}"
                    );
                }
                let pairs = query_pairs(target);
                let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
                keys.sort_unstable();
                let distinct = keys.len();
                keys.dedup();
                assert_eq!(keys.len(), distinct, "a parameter repeats: {request}");
                if let Carrier::Query(field) = carrier {
                    assert!(
                        pairs.iter().any(|(k, v)| k == field && v == trick),
                        "{field} did not arrive as sent ({trick:?}): {request}"
                    );
                }
            }
        }
    }
    eprintln!(
        "path tricks: {} tricks, {refused} calls refused without an upstream call, \
         {sent} sent with path, headers and parameters intact",
        tricks.len()
    );
    h.assert_no_secret_leaked();
}
