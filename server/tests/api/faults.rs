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
use scanport_sandbox::{HuaweiKey, SandboxConfig, TencentKey};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The sandbox's name for the HSS task list (the task monitor's call).
const UP_TASKS: &str = "GET /v5/{project_id}/image/tasks";

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
            name: "throttled (429 APIGW.0308 / RequestLimitExceeded)",
            switch: json!({"throttle": true}),
            accounts: (HW, TC),
            status: 429,
            kind: "rate_limited",
            message: "Too many calls",
            codes: (Some("APIGW.0308"), Some("RequestLimitExceeded")),
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
            codes: (Some("APIGW.0301"), Some("AuthFailure.SignatureFailure")),
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
            codes: (Some("APIGW.0301"), Some("AuthFailure.SignatureExpire")),
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
    scanport_sandbox::spawn(listener, config).expect("spawn the late upstream");
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
    // The hub's own polls would take a `fail_next` meant for the probe.
    let h = Harness::start_with(Options {
        http_timeout_secs: Some(TIMEOUT.as_secs_f64()),
        quiet_hub: true,
        ..Options::default()
    })
    .await;
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
        // A launch, even a failed one, has the hub refresh its list; that
        // call would take the failure meant for this probe.
        h.wait_for_quiet_upstream().await;
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

/// The `paused` flag of `account` in `GET /api/v1/accounts`.
async fn paused(h: &Harness, token: &Auth, account: &str) -> bool {
    let reply = h.get(token, "/api/v1/accounts").await;
    reply.expect_ok();
    let accounts = reply.json();
    let found = accounts
        .as_array()
        .and_then(|all| all.iter().find(|a| a["id"] == account))
        .unwrap_or_else(|| panic!("{account} not listed: {accounts}"));
    found["paused"]
        .as_bool()
        .unwrap_or_else(|| panic!("no paused flag: {found}"))
}

/// An account whose key the cloud refuses twice in a row is paused, well
/// short of the five signature failures that lock a Huawei AK: reads,
/// launches and the live stream fail fast with 503 `account_paused`
/// without calling the cloud, the accounts list says `paused`, and an
/// operator's retry (audited; viewers may not) lets calls through again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_whose_key_is_refused_twice_is_paused_until_an_operator_retries() {
    let h = fault_harness().await;
    let (_, operator) = h.token(OPERATOR).await;
    let (_, viewer) = h.token(VIEWER).await;
    for (account, read, launch, code) in [
        (HW_BADKEY, &PROBES[0], &PROBES[1], "APIGW.0301"),
        (
            TC_BADKEY,
            &PROBES[2],
            &PROBES[3],
            "AuthFailure.SignatureFailure",
        ),
    ] {
        assert!(!paused(&h, &viewer, account).await, "{account}");
        for _ in 0..2 {
            h.call(&operator, read.endpoint(), &read.body(account))
                .await
                .expect_error(502, "auth_rejected");
        }
        assert!(paused(&h, &viewer, account).await, "{account}");
        let (reads, launches) = (
            h.upstream_calls(read.api()).await,
            h.upstream_calls(launch.api()).await,
        );
        for probe in [read, launch] {
            let reply = h
                .call(&operator, probe.endpoint(), &probe.body(account))
                .await;
            reply.expect_error(503, "account_paused");
            let error = &reply.json()["error"];
            assert_eq!(error["upstream_code"], code, "{}", reply.body);
            let message = error["message"].as_str().unwrap_or_default();
            assert!(message.contains("polling paused"), "{message}");
        }
        assert_eq!(
            (
                h.upstream_calls(read.api()).await,
                h.upstream_calls(launch.api()).await
            ),
            (reads, launches),
            "{account}: a paused account calls nothing"
        );
        // The other accounts of the same cloud are not affected.
        let healthy = if account == HW_BADKEY { HW } else { TC };
        h.call(&operator, read.endpoint(), &read.body(healthy))
            .await
            .expect_ok();

        let retry = json!({"account": account});
        h.call(&viewer, "accounts/retry", &retry)
            .await
            .expect_error(403, "forbidden");
        assert!(paused(&h, &viewer, account).await, "a viewer cannot resume");
        // What the account's live monitor polls.
        let monitor = if account == HW_BADKEY {
            UP_TASKS
        } else {
            UP_TC_SCAN_STATUS
        };
        let polls_before = h.upstream_calls(monitor).await;
        let reply = h.call(&operator, "accounts/retry", &retry).await;
        reply.expect_ok();
        assert_eq!(reply.json()["resumed"], true, "{}", reply.body);
        // The key is still wrong: the live monitor refreshes at once after
        // a retry, and its call, refused, pauses the account again: one
        // refusal and no more.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !paused(&h, &viewer, account).await {
            assert!(Instant::now() < deadline, "{account} never paused again");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(h.upstream_calls(monitor).await, polls_before + 1);
        // A retry of an account that is not paused changes nothing.
        let reply = h
            .call(&operator, "accounts/retry", &json!({"account": HW}))
            .await;
        reply.expect_ok();
        assert_eq!(reply.json()["resumed"], false);
    }
    h.call(
        &operator,
        "accounts/retry",
        &json!({"account": "no-such-account"}),
    )
    .await
    .expect_error(404, "not_found");

    let (rows, total) = scanport_portal::audit::list(
        &h.db,
        &scanport_portal::AuditQuery {
            action: Some("accounts/retry".into()),
            ..scanport_portal::AuditQuery::default()
        },
    )
    .await
    .expect("audit");
    assert_eq!(total, 4, "each operator retry is audited: {rows:?}");
    assert!(
        rows.iter()
            .all(|r| r.actor == OPERATOR && r.account.is_some()),
        "{rows:?}"
    );
    h.assert_no_secret_leaked();
}

/// The task monitor of a paused account polls nothing, and its live
/// stream says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_accounts_live_stream_says_polling_is_paused_and_calls_nothing() {
    let h = fault_harness().await;
    let (_, operator) = h.token(OPERATOR).await;
    let viewer = h.session(VIEWER).await;
    for _ in 0..2 {
        h.call(
            &operator,
            "hss/tasks",
            &json!({"account": HW_BADKEY, "request": {"type": "image_scan"}}),
        )
        .await
        .expect_error(502, "auth_rejected");
    }
    let before = h.upstream_calls(UP_TASKS).await;
    let mut stream = h
        .raw_stream(
            &viewer,
            &format!("/api/v1/events/tasks?account={HW_BADKEY}&type=image_scan"),
        )
        .await;
    assert_eq!(stream.status(), StatusCode::OK);
    let event = h
        .next_event(&mut stream, Duration::from_secs(10))
        .await
        .expect("a first snapshot");
    let data = event_data(&event);
    let error = data["error"].as_str().unwrap_or_default();
    assert!(error.contains("polling paused"), "{data}");
    drop(stream);
    assert_eq!(
        h.upstream_calls(UP_TASKS).await,
        before,
        "the task monitor of a paused account calls nothing"
    );
}

/// HSS's own refusals come back worded by what they mean: a task that does
/// not exist is `HSS.0011`, answered 404; both carry the code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hss_refusals_are_worded_by_their_code() {
    let h = fault_harness().await;
    let (_, operator) = h.token(OPERATOR).await;
    let reply = h
        .call(
            &operator,
            "hss/tasks/stop",
            &json!({"account": HW, "request": {"task_id": "no-such-task"}}),
        )
        .await;
    reply.expect_error(404, "upstream_rejected");
    let error = &reply.json()["error"];
    assert_eq!(error["upstream_code"], "HSS.0011", "{}", reply.body);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("no such resource")),
        "{}",
        reply.body
    );
    let reply = h
        .call(
            &operator,
            "hss/image-sync-tasks",
            &json!({"account": HW, "request": {"sync_all_registries": false,
                "registry_info": [{"registry_id": "reg-none", "registry_type": "Harbor"}]}}),
        )
        .await;
    reply.expect_error(404, "upstream_rejected");
    assert_eq!(reply.json()["error"]["upstream_code"], "HSS.0011");
}

/// The sandbox's throttling answer may carry `Retry-After` in either
/// form; the answer's `retry_after_secs` follows it, and a read told to
/// wait longer than a call may take is not retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_in_either_form_reaches_the_answer() {
    let h = fault_harness().await;
    let (_, operator) = h.token(OPERATOR).await;
    let in_90s = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(90));
    for (value, low, high) in [("40".to_owned(), 40, 40), (in_90s, 88, 90)] {
        h.set_faults(json!({"throttle": true, "retry_after": value}))
            .await;
        let before = h.upstream_calls(PROBES[0].api()).await;
        let reply = h
            .call(&operator, PROBES[0].endpoint(), &PROBES[0].body(HW))
            .await;
        reply.expect_error(429, "rate_limited");
        let secs = reply.json()["error"]["retry_after_secs"]
            .as_u64()
            .unwrap_or_default();
        assert!((low..=high).contains(&secs), "{value}: {}", reply.body);
        assert_eq!(
            h.upstream_calls(PROBES[0].api()).await - before,
            1,
            "{value}: not retried inside the asked wait"
        );
    }
    h.set_faults(json!({})).await;
}

/// The task monitor under refused keys: it polls twice, then its stream
/// says polling is paused and it calls nothing more; an operator's retry
/// after the key is fixed brings fresh lists back on the same stream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_task_monitor_pauses_after_two_refusals_and_resumes_on_retry() {
    let h = fault_harness().await;
    let (_, operator) = h.token(OPERATOR).await;
    let viewer = h.session(VIEWER).await;
    let mut stream = h
        .raw_stream(
            &viewer,
            &format!("/api/v1/events/tasks?account={HW}&type=image_scan"),
        )
        .await;
    let first = h
        .next_event(&mut stream, Duration::from_secs(10))
        .await
        .expect("a first snapshot");
    assert!(event_data(&first)["error"].is_null(), "{first}");
    let before = h.upstream_calls(UP_TASKS).await;
    h.set_faults(json!({"refuse_auth": true})).await;
    // Both lists are due at once; each refresh after an error waits 15 s.
    h.call(
        &operator,
        "hss/tasks",
        &json!({"account": HW, "request": {"type": "image_scan"}}),
    )
    .await
    .expect_error(502, "auth_rejected");
    loop {
        let event = h
            .next_event(&mut stream, Duration::from_secs(25))
            .await
            .expect("an event saying the account is paused");
        let data = event_data(&event);
        if data["error"]
            .as_str()
            .is_some_and(|e| e.contains("polling paused"))
        {
            assert!(
                data["answer"]["data_list"]
                    .as_array()
                    .is_some_and(|l| !l.is_empty()),
                "the last good list is kept: {data}"
            );
            break;
        }
    }
    let refused = h.upstream_calls(UP_TASKS).await - before;
    assert_eq!(refused, 2, "two refusals in a row pause the account");
    h.set_faults(json!({})).await;
    h.call(&operator, "accounts/retry", &json!({"account": HW}))
        .await
        .expect_ok();
    loop {
        let event = h
            .next_event(&mut stream, Duration::from_secs(10))
            .await
            .expect("a fresh list after the retry");
        if event_data(&event)["error"].is_null() {
            break;
        }
    }
    h.assert_no_secret_leaked();
}

/// Tencent documents many answer members as "may return null". With the
/// sandbox sending every documented `null`, a TCSS account's pages still
/// render their content, with no error notice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcss_account_whose_answers_carry_documented_nulls_still_shows_its_pages() {
    let h = Harness::start().await;
    h.set_faults(json!({"null_percent": 100})).await;
    let viewer = h.session(VIEWER).await;
    for (path, content) in [
        (format!("/images?account={TC}"), "tcss-images"),
        (format!("/schedule?account={TC}"), "schedule"),
        (format!("/registries?account={TC}"), "<table"),
        // Its live snapshot, decoded and shown with its time.
        (format!("/tasks/tcss?account={TC}"), "class=\"freshness\""),
    ] {
        let page = h.get(&viewer, &path).await;
        page.expect_ok();
        assert!(!page.body.contains("notice error"), "{path}: {}", page.body);
        assert!(
            page.body.contains(content),
            "{path} lacks {content}: {}",
            page.body
        );
    }
    // The API answers decode too.
    h.call(&viewer, "tcss/timing-scan", &json!({"account": TC}))
        .await
        .expect_ok();
    h.call(
        &viewer,
        "tcss/images",
        &json!({"account": TC, "request": {}}),
    )
    .await
    .expect_ok();
}
