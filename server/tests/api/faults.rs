//! The fault matrix: every way the cloud misbehaves (down, slow, hanging,
//! 5xx bursts, throttling, garbage, refused keys, a skewed clock), for a
//! read and a launch on each provider, through `/api/v1`. Each answer must
//! come within the configured timeout plus a margin, with the right status,
//! kind, message, upstream code and request id; reads are retried at most
//! twice and launches never (counted by the sandbox); once the fault clears
//! the same call succeeds; nothing secret is ever in the answer. Run with
//! `--nocapture` for the table of figures.

use crate::common::*;
use reqwest::StatusCode;
use scanport_cloud::sandbox::{self, HuaweiKey, SandboxConfig, TencentKey};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// `http.timeout_secs` of the fault harness: short, so the suite is fast.
const TIMEOUT: Duration = Duration::from_secs(1);
/// What an answer may take beyond [`TIMEOUT`]: retry backoff (at most
/// 0.4 s + 0.8 s for two retries) and scheduling on a busy machine.
const MARGIN: Duration = Duration::from_millis(2500);

/// Strings that would betray a signed request in an error body.
const SIGNATURE_MARKS: [&str; 5] = [
    "SDK-HMAC-SHA256",
    "TC3-HMAC-SHA256",
    "Signature=",
    "Credential=",
    "Access=",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Provider {
    Huawei,
    Tencent,
}

/// One call the matrix makes under each fault.
struct Probe {
    provider: Provider,
    read: bool,
}

impl Probe {
    fn endpoint(&self) -> &'static str {
        match (self.provider, self.read) {
            (Provider::Huawei, true) => "hss/images",
            (Provider::Huawei, false) => "hss/batch-scan",
            (Provider::Tencent, true) => "tcss/images",
            (Provider::Tencent, false) => "tcss/scan",
        }
    }

    /// The sandbox's name for the upstream API (see `/__sandbox/stats`).
    fn api(&self) -> &'static str {
        match (self.provider, self.read) {
            (Provider::Huawei, true) => "GET /v5/{project_id}/image/swr-repository",
            (Provider::Huawei, false) => UP_BATCH_SCAN,
            (Provider::Tencent, true) => "tcss DescribeAssetImageRegistryList",
            (Provider::Tencent, false) => UP_TC_SCAN,
        }
    }

    fn body(&self, account: &str) -> Value {
        let request = match (self.provider, self.read) {
            (Provider::Huawei, true) => json!({"image_type": "private_image"}),
            (Provider::Huawei, false) => batch_scan_all("payments"),
            (Provider::Tencent, true) => json!({"Limit": 10, "Offset": 0}),
            (Provider::Tencent, false) => json!({"All": true}),
        };
        json!({"account": account, "request": request})
    }

    fn label(&self) -> String {
        format!(
            "{} {}",
            self.endpoint(),
            if self.read { "(read)" } else { "(launch)" }
        )
    }
}

const PROBES: [Probe; 4] = [
    Probe {
        provider: Provider::Huawei,
        read: true,
    },
    Probe {
        provider: Provider::Huawei,
        read: false,
    },
    Probe {
        provider: Provider::Tencent,
        read: true,
    },
    Probe {
        provider: Provider::Tencent,
        read: false,
    },
];

/// One row of the matrix and what it must produce.
struct Fault {
    name: &'static str,
    /// What `PUT /__sandbox/faults` switches on.
    switch: Value,
    /// The accounts the probes use (the fault may be the account itself).
    accounts: (&'static str, &'static str),
    status: u16,
    kind: &'static str,
    /// A phrase the message must contain.
    message: &'static str,
    /// `upstream_code` per provider, where the answer must name one.
    codes: (Option<&'static str>, Option<&'static str>),
    /// Whether the answer names the upstream request id.
    request_id: bool,
    /// Upstream calls a read makes per provider (None: not countable,
    /// nothing listens). A launch always makes exactly one.
    read_calls: (Option<u64>, Option<u64>),
}

fn matrix() -> Vec<Fault> {
    vec![
        Fault {
            name: "upstream down (connection refused)",
            switch: json!({}),
            accounts: (HW_DOWN, TC_DOWN),
            status: 502,
            kind: "unavailable",
            message: "could not connect",
            codes: (None, None),
            request_id: false,
            read_calls: (None, None),
        },
        Fault {
            name: "slow past the timeout",
            switch: json!({"latency_ms": 1600}),
            accounts: (HW, TC),
            status: 504,
            kind: "timed_out",
            message: "did not answer in time",
            codes: (None, None),
            request_id: false,
            // A timeout is not retried: the next attempt would wait as long.
            read_calls: (Some(1), Some(1)),
        },
        Fault {
            name: "hanging",
            switch: json!({"hang": true}),
            accounts: (HW, TC),
            status: 504,
            kind: "timed_out",
            message: "did not answer in time",
            codes: (None, None),
            request_id: false,
            read_calls: (Some(1), Some(1)),
        },
        Fault {
            name: "5xx burst",
            switch: json!({"fail_next": 1000}),
            accounts: (HW, TC),
            status: 502,
            kind: "unavailable",
            message: "unavailable",
            // `unavailable` quotes the service's message, not its code.
            codes: (None, None),
            request_id: true,
            read_calls: (Some(3), Some(3)),
        },
        Fault {
            name: "throttled (429 APIG.0308 / RequestLimitExceeded)",
            switch: json!({"throttle": true}),
            accounts: (HW, TC),
            status: 429,
            kind: "rate_limited",
            message: "Too many calls",
            codes: (Some("APIG.0308"), Some("RequestLimitExceeded")),
            request_id: true,
            read_calls: (Some(3), Some(3)),
        },
        Fault {
            name: "malformed JSON",
            switch: json!({"malformed": true}),
            accounts: (HW, TC),
            status: 502,
            kind: "unavailable",
            message: "not valid JSON",
            codes: (None, None),
            request_id: false,
            read_calls: (Some(3), Some(3)),
        },
        Fault {
            name: "auth rejected (wrong key)",
            switch: json!({}),
            accounts: (HW_BADKEY, TC_BADKEY),
            status: 502,
            kind: "auth_rejected",
            message: "rejected this account's credentials",
            codes: (Some("APIG.0301"), Some("AuthFailure.SignatureFailure")),
            request_id: true,
            read_calls: (Some(1), Some(1)),
        },
        Fault {
            name: "clock skew (upstream clock 1 h ahead)",
            switch: json!({"clock_skew_secs": 3600}),
            accounts: (HW, TC),
            status: 502,
            kind: "clock_skew",
            message: "clock",
            codes: (Some("APIG.0301"), Some("AuthFailure.SignatureExpire")),
            request_id: true,
            read_calls: (Some(1), Some(1)),
        },
    ]
}

async fn fault_harness() -> Harness {
    Harness::start_with(Options {
        http_timeout_secs: Some(TIMEOUT.as_secs_f64()),
        fault_accounts: true,
        ..Options::default()
    })
    .await
}

/// Starts an upstream where the `*-down` accounts point: the outage ends.
async fn end_outage(h: &Harness) {
    let addr = h.down_addr.expect("fault accounts");
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("rebind the closed port");
    let mut config = SandboxConfig::new(
        vec![HuaweiKey {
            ak: HW_AK.into(),
            sk: HW_SK.into(),
        }],
        vec![TencentKey {
            secret_id: TC_ID.into(),
            secret_key: TC_KEY.into(),
        }],
    );
    config.rate_limits = false;
    sandbox::spawn(listener, config).expect("spawn the late upstream");
}

/// The request id the sandbox answered its latest `api` call with.
async fn last_request_id(h: &Harness, api: &str) -> Option<String> {
    h.upstream_requests()
        .await
        .iter()
        .rev()
        .find(|r| r["api"] == api)
        .and_then(|r| r["request_id"].as_str().map(str::to_owned))
}

/// Checks one faulty answer against the row; returns the upstream calls
/// it made (None where they cannot be counted).
async fn check_probe(
    h: &Harness,
    token: &Auth,
    fault: &Fault,
    probe: &Probe,
    key: usize,
) -> (Reply, Duration, Option<u64>) {
    let (account, code, read_calls) = match probe.provider {
        Provider::Huawei => (fault.accounts.0, fault.codes.0, fault.read_calls.0),
        Provider::Tencent => (fault.accounts.1, fault.codes.1, fault.read_calls.1),
    };
    let before = h.upstream_calls(probe.api()).await;
    let started = Instant::now();
    let reply = h
        .send(
            format!("{} under {}", probe.label(), fault.name),
            token.apply(
                h.request(
                    reqwest::Method::POST,
                    &format!("/api/v1/{}", probe.endpoint()),
                )
                .header("Idempotency-Key", format!("fault-{key}"))
                .json(&probe.body(account)),
            ),
        )
        .await;
    let took = started.elapsed();
    let what = &reply.what;
    assert!(
        took <= TIMEOUT + MARGIN,
        "{what}: answered after {took:?}, over {TIMEOUT:?} + {MARGIN:?}"
    );
    reply.expect_error(fault.status, fault.kind);
    let error = &reply.json()["error"];
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(fault.message),
        "{what}: message {message:?} should say {:?}",
        fault.message
    );
    if let Some(code) = code {
        assert_eq!(
            error["upstream_code"].as_str(),
            Some(code),
            "{what}: upstream_code in {}",
            reply.body
        );
    }
    for mark in SIGNATURE_MARKS {
        assert!(
            !reply.body.contains(mark),
            "{what}: {mark} in {}",
            reply.body
        );
    }

    let calls = if read_calls.is_some() {
        let made = h.upstream_calls(probe.api()).await - before;
        let expected = if probe.read { read_calls } else { Some(1) };
        assert_eq!(
            Some(made),
            expected,
            "{what}: upstream calls (a read is retried at most twice, a launch never)"
        );
        Some(made)
    } else {
        None
    };
    if fault.request_id {
        let upstream = last_request_id(h, probe.api()).await;
        assert!(upstream.is_some(), "{what}: the sandbox gave no request id");
        assert_eq!(
            error["request_id"].as_str(),
            upstream.as_deref(),
            "{what}: the answer must quote the upstream request id"
        );
    } else {
        assert!(
            error.get("request_id").is_none(),
            "{what}: no upstream gave a request id, yet: {}",
            reply.body
        );
    }
    (reply, took, calls)
}

/// Every fault × {HSS, TCSS} × {read, launch}, then recovery.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_answers_in_time_with_the_right_error_and_recovers() {
    let h = fault_harness().await;
    let (_, token) = h.token(OPERATOR).await;
    let mut key = 0;
    let mut rows = Vec::new();
    for fault in matrix() {
        h.set_faults(fault.switch.clone()).await;
        for probe in &PROBES {
            key += 1;
            let (reply, took, calls) = check_probe(&h, &token, &fault, probe, key).await;
            rows.push(format!(
                "| {} | {} | {} {} | {} ms | {} |",
                fault.name,
                probe.label(),
                reply.status.as_u16(),
                fault.kind,
                took.as_millis(),
                calls.map_or_else(|| "n/a".to_owned(), |c| c.to_string())
            ));
        }

        // The fault clears; the same calls succeed with nothing else done.
        h.set_faults(json!({})).await;
        if fault.accounts.0 == HW_DOWN {
            end_outage(&h).await;
        }
        if fault.accounts.0 == HW_BADKEY {
            // A wrong key is configuration, not a passing fault.
            continue;
        }
        for probe in &PROBES {
            key += 1;
            let account = match probe.provider {
                Provider::Huawei => fault.accounts.0,
                Provider::Tencent => fault.accounts.1,
            };
            let reply = h
                .send(
                    format!("{} after {}", probe.label(), fault.name),
                    token.apply(
                        h.request(
                            reqwest::Method::POST,
                            &format!("/api/v1/{}", probe.endpoint()),
                        )
                        .header("Idempotency-Key", format!("fault-{key}"))
                        .json(&probe.body(account)),
                    ),
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{}: {}",
                reply.what,
                reply.body
            );
        }
    }
    eprintln!("| fault | call | answer | time | upstream calls |");
    eprintln!("|---|---|---|---|---|");
    for row in &rows {
        eprintln!("{row}");
    }
    eprintln!(
        "{} faulty calls checked, timeout {TIMEOUT:?} + margin {MARGIN:?}",
        rows.len()
    );
    h.assert_no_secret_leaked();
}

/// A 5xx burst shorter than the retries is invisible to a read, and still
/// fails a launch (which is never retried).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_burst_is_absorbed_by_read_retries_only() {
    let h = fault_harness().await;
    let (_, token) = h.token(OPERATOR).await;
    for probe in PROBES.iter().filter(|p| p.read) {
        h.set_faults(json!({"fail_next": 2})).await;
        let before = h.upstream_calls(probe.api()).await;
        let account = if probe.provider == Provider::Huawei {
            HW
        } else {
            TC
        };
        h.call(&token, probe.endpoint(), &probe.body(account))
            .await
            .expect_ok();
        assert_eq!(
            h.upstream_calls(probe.api()).await - before,
            3,
            "{}: two failures, then the answer",
            probe.label()
        );
    }
    for probe in PROBES.iter().filter(|p| !p.read) {
        h.set_faults(json!({"fail_next": 1})).await;
        let before = h.upstream_calls(probe.api()).await;
        let account = if probe.provider == Provider::Huawei {
            HW
        } else {
            TC
        };
        h.call(&token, probe.endpoint(), &probe.body(account))
            .await
            .expect_error(502, "unavailable");
        assert_eq!(h.upstream_calls(probe.api()).await - before, 1);
    }
    h.assert_no_secret_leaked();
}

/// The parsed `data:` of an SSE event.
fn event_data(event: &str) -> Value {
    let data: String = event
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(str::trim_start)
        .collect();
    serde_json::from_str(&data).unwrap_or_else(|e| panic!("event data is not JSON ({e}): {event}"))
}

/// The live stream under a fault: the connection stays open, the events
/// say the refresh failed (keeping the last good list), and once the fault
/// clears the stream resumes with fresh data by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_stream_stays_open_through_a_fault_and_resumes() {
    let h = fault_harness().await;
    let viewer = h.session(VIEWER).await;
    let mut stream = h
        .raw_stream(
            &viewer,
            &format!("/api/v1/events/tasks?account={HW}&type=image_scan"),
        )
        .await;
    assert_eq!(stream.status(), StatusCode::OK);
    let first = h
        .next_event(&mut stream, Duration::from_secs(10))
        .await
        .expect("a first snapshot");
    let first = event_data(&first);
    assert!(first["error"].is_null(), "{first}");
    let tasks = first["answer"]["data_list"].as_array().map_or(0, Vec::len);
    assert!(tasks > 0, "the seeded list has tasks: {first}");

    for switch in [json!({"fail_next": 1000}), json!({"hang": true})] {
        h.set_faults(switch.clone()).await;
        let started = Instant::now();
        let failed = loop {
            let event = h
                .next_event(&mut stream, Duration::from_secs(20))
                .await
                .unwrap_or_else(|| panic!("the stream ended or went quiet under {switch}"));
            let data = event_data(&event);
            if !data["error"].is_null() {
                break data;
            }
        };
        eprintln!(
            "stream under {switch}: error event after {} ms",
            started.elapsed().as_millis()
        );
        assert_eq!(
            failed["answer"]["data_list"].as_array().map_or(0, Vec::len),
            tasks,
            "the last good list is kept: {failed}"
        );
        let text = failed["error"].as_str().unwrap_or_default();
        assert!(
            text.contains("unavailable") || text.contains("did not answer"),
            "{text}"
        );

        h.set_faults(json!({})).await;
        let cleared = Instant::now();
        loop {
            let event = h
                .next_event(&mut stream, Duration::from_secs(30))
                .await
                .unwrap_or_else(|| panic!("the stream ended after {switch} cleared"));
            if event_data(&event)["error"].is_null() {
                break;
            }
        }
        eprintln!(
            "stream resumed {} ms after {switch} cleared, same connection",
            cleared.elapsed().as_millis()
        );
    }
    drop(stream);
    h.assert_no_secret_leaked();
}
