//! Launching through the public API, against a real server and sandbox:
//! a double-submitted launch reaches the cloud once, every launch leaves
//! an audit row (failed ones with the cloud's request id), bad input is
//! refused with the field named and never sent, and no answer ever carries
//! a credential.

use crate::common::*;
use reqwest::{Method, StatusCode};
use scanport_portal::{AuditQuery, Outcome};
use serde_json::{Value, json};
use std::time::Duration;

/// 4'. A client that hangs up mid-launch: the launch, once claimed, runs
/// to its end. Its audit row is finished (not left pending, then
/// "interrupted") and its key holds the answer, so the retry replays it
/// instead of waiting 24 h or launching twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_hangs_up_mid_launch_does_not_cut_the_launch_short() {
    let h = Harness::start().await;
    let (_, token) = h.token(OPERATOR).await;
    let body = launch(batch_scan_all("payments"));
    let send = || {
        token.apply(
            h.request(Method::POST, "/api/v1/hss/batch-scan")
                .header("Idempotency-Key", "hang-up-0001")
                .json(&body),
        )
    };
    let calls = h.upstream_calls(UP_BATCH_SCAN).await;
    h.set_faults(json!({"latency_ms": 1500})).await;
    let gave_up = send().timeout(Duration::from_millis(300)).send().await;
    assert!(
        gave_up.as_ref().is_err_and(reqwest::Error::is_timeout),
        "the client gave up first: {gave_up:?}"
    );
    h.set_faults(json!({})).await;

    // The launch goes on without its client and is recorded.
    let mut rows = Vec::new();
    for _ in 0..50 {
        rows = audit_rows(&h, "hss/batch-scan").await;
        if rows.iter().any(|r| r.outcome != Outcome::Pending) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0].outcome,
        Outcome::Ok,
        "finished, not pending: {rows:?}"
    );
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 1);

    // The retry gets the stored answer; the cloud is not asked again.
    let retry = h.send("the retry", send()).await;
    retry.expect_ok();
    assert_eq!(
        h.upstream_calls(UP_BATCH_SCAN).await,
        calls + 1,
        "launched once"
    );
    assert_eq!(audit_rows(&h, "hss/batch-scan").await.len(), 1);
}

/// 4. The same `Idempotency-Key` twice: one upstream call, the same answer
/// twice; the key with another request: 409 `conflict`. Keys belong to a
/// user, whichever credential they use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_submitted_launch_reaches_the_cloud_once() {
    let h = Harness::start().await;
    let (_, token) = h.token(OPERATOR).await;
    let session = h.session(OPERATOR).await;
    let send = |auth: &Auth, key: &str, body: &Value| {
        auth.apply(
            h.request(Method::POST, "/api/v1/hss/batch-scan")
                .header("Idempotency-Key", key)
                .json(body),
        )
    };
    let first_body = launch(batch_scan_all("payments"));
    let calls = h.upstream_calls(UP_BATCH_SCAN).await;

    let first = h
        .send("launch #1", send(&token, "launch-0001", &first_body))
        .await;
    first.expect_ok();
    let second = h
        .send("launch #1 again", send(&token, "launch-0001", &first_body))
        .await;
    second.expect_ok();
    assert_eq!(first.body, second.body, "the same answer twice");
    assert_eq!(
        h.upstream_calls(UP_BATCH_SCAN).await,
        calls + 1,
        "one upstream call"
    );
    // The same user through their browser session: still the same key.
    h.send(
        "launch #1 via the session",
        send(&session, "launch-0001", &first_body),
    )
    .await
    .expect_ok();
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 1);

    // The key with a different request.
    let other = launch(batch_scan_all("frontend"));
    h.send(
        "launch #1's key, other request",
        send(&token, "launch-0001", &other),
    )
    .await
    .expect_error(409, "conflict");
    let other_account = json!({"account": HW, "request": batch_scan_one("v1.0.0")});
    h.send(
        "launch #1's key, other images",
        send(&token, "launch-0001", &other_account),
    )
    .await
    .expect_error(409, "conflict");
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 1);

    // Another user's key of the same name is theirs.
    let (_, admin) = h.token(ADMIN).await;
    h.send("admin, same key", send(&admin, "launch-0001", &first_body))
        .await
        .expect_ok();
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 2);

    // A new key is a new launch.
    h.send("launch #2", send(&token, "launch-0002", &first_body))
        .await
        .expect_ok();
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 3);

    // The TCSS answer carries ids: the replay is the stored answer itself.
    let tc_scan = json!({"account": TC, "request": {"All": true, "ScanType": ["CVE"]}});
    let tc_calls = h.upstream_calls(UP_TC_SCAN).await;
    let mut answers = Vec::new();
    for _ in 0..2 {
        let reply = h
            .send(
                "tcss/scan with a key",
                token.apply(
                    h.request(Method::POST, "/api/v1/tcss/scan")
                        .header("Idempotency-Key", "tc-scan-1")
                        .json(&tc_scan),
                ),
            )
            .await;
        reply.expect_ok();
        answers.push(reply.json());
    }
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0]["TaskID"].is_i64(), "{}", answers[0]);
    assert_eq!(h.upstream_calls(UP_TC_SCAN).await, tc_calls + 1);

    // A launch the cloud refused before acting (throttled) may be sent
    // again with its key, once the cloud accepts calls again.
    h.set_faults(json!({"throttle": true})).await;
    h.send("throttled launch", send(&token, "launch-0003", &first_body))
        .await
        .expect_error(429, "rate_limited");
    h.set_faults(json!({})).await;
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 4);
    h.send(
        "the throttled launch again",
        send(&token, "launch-0003", &first_body),
    )
    .await
    .expect_ok();
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 5);

    // One audit row per upstream call, not per request.
    let rows = audit_rows(&h, "hss/batch-scan").await;
    assert_eq!(rows.len(), 5, "one row per launch: {rows:#?}");
    assert_eq!(
        rows.iter().filter(|r| r.outcome == Outcome::Failed).count(),
        1,
        "the throttled one failed"
    );
    h.assert_no_secret_leaked();
}

/// 4b. The UI's way: the key in the body's `idempotency_key`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_body_idempotency_key_works_the_same() {
    let h = Harness::start().await;
    let session = h.session(OPERATOR).await;
    let with_key = |request: Value, key: &str| json!({"account": HW, "request": request, "idempotency_key": key});
    let calls = h.upstream_calls(UP_BATCH_SCAN).await;
    let body = with_key(batch_scan_all("payments"), "confirm-7f3a");
    let first = h.call(&session, "hss/batch-scan", &body).await;
    first.expect_ok();
    let second = h.call(&session, "hss/batch-scan", &body).await;
    second.expect_ok();
    assert_eq!(first.body, second.body);
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 1);
    h.call(
        &session,
        "hss/batch-scan",
        &with_key(batch_scan_all("frontend"), "confirm-7f3a"),
    )
    .await
    .expect_error(409, "conflict");
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 1);

    // The header wins over the body.
    let header_key = |key: &str| {
        session.apply(
            h.request(Method::POST, "/api/v1/hss/batch-scan")
                .header("Idempotency-Key", key)
                .json(&with_key(batch_scan_all("payments"), "confirm-7f3a")),
        )
    };
    h.send("header key confirm-7f3a", header_key("confirm-7f3a"))
        .await
        .expect_ok();
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 1);
    h.send("header key fresh", header_key("header-fresh"))
        .await
        .expect_ok();
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 2);

    // Other launches honour it too.
    let sync_calls = h.upstream_calls(UP_IMAGE_SYNC).await;
    let sync = json!({"account": HW, "request": {"sync_all_registries": true}, "idempotency_key": "sync-1"});
    for _ in 0..3 {
        h.call(&session, "hss/image-sync-tasks", &sync)
            .await
            .expect_ok();
    }
    assert_eq!(h.upstream_calls(UP_IMAGE_SYNC).await, sync_calls + 1);
    h.assert_no_secret_leaked();
}

/// 4c. A real double click: the same key sent several times at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_with_one_key_reach_the_cloud_once() {
    let h = Harness::start().await;
    let (_, token) = h.token(OPERATOR).await;
    // Upstream latency widens the window a racing request could slip in.
    h.set_faults(json!({"latency_ms": 300})).await;
    let calls = h.upstream_calls(UP_BATCH_SCAN).await;
    let body = launch(batch_scan_all("payments"));
    let send = || {
        h.send(
            "concurrent launch",
            token.apply(
                h.request(Method::POST, "/api/v1/hss/batch-scan")
                    .header("Idempotency-Key", "double-click")
                    .json(&body),
            ),
        )
    };
    let replies = futures::future::join_all((0..5).map(|_| send())).await;
    h.set_faults(json!({})).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    eprintln!("five simultaneous submissions answered {statuses:?}");
    assert_eq!(
        h.upstream_calls(UP_BATCH_SCAN).await,
        calls + 1,
        "one upstream call"
    );
    assert!(statuses.contains(&200), "{statuses:?}");
    for reply in &replies {
        if reply.status != StatusCode::OK {
            reply.expect_error(409, "conflict");
        }
    }
    // Afterwards, the key replays the answer.
    send().await.expect_ok();
    assert_eq!(h.upstream_calls(UP_BATCH_SCAN).await, calls + 1);
    assert_eq!(audit_rows(&h, "hss/batch-scan").await.len(), 1);
    h.assert_no_secret_leaked();
}

/// 5. Every launch leaves an audit row: who, how, on which account, the
/// request as sent, the outcome, and for a failure the error and the
/// cloud's request id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_launch_leaves_an_audit_row() {
    let h = Harness::start().await;
    let session = h.session(OPERATOR).await;
    let (token_info, token) = h.token(OPERATOR).await;
    let admin = h.session(ADMIN).await;

    let ok_request = batch_scan_all("payments");
    h.call(&session, "hss/batch-scan", &launch(ok_request.clone()))
        .await
        .expect_ok();
    let sync = h
        .call(
            &token,
            "tcss/sync",
            &json!({"account": TC, "request": {"All": true}}),
        )
        .await;
    sync.expect_ok();
    let sync_request_id = sync.json()["RequestId"]
        .as_str()
        .expect("TCSS answers carry a RequestId")
        .to_owned();

    // The sandbox fails every call now.
    h.set_faults(json!({"fail_percent": 100})).await;
    let failed_request = batch_scan_one("v2.0.0");
    let failed = h
        .call(&token, "hss/batch-scan", &launch(failed_request.clone()))
        .await;
    let failed_tc = h
        .call(
            &session,
            "tcss/scan",
            &json!({"account": TC, "request": {"All": true}}),
        )
        .await;
    h.set_faults(json!({"throttle": true})).await;
    let throttled = h
        .call(
            &session,
            "hss/synchronize",
            &launch(json!({"image_type": "shared_image"})),
        )
        .await;
    h.set_faults(json!({})).await;

    for reply in [&failed, &failed_tc] {
        assert_eq!(reply.status, StatusCode::BAD_GATEWAY, "{reply:?}");
    }
    throttled.expect_error(429, "rate_limited");
    let failed_id = failed.json()["error"]["request_id"]
        .as_str()
        .map(str::to_owned);
    let failed_tc_id = failed_tc.json()["error"]["request_id"]
        .as_str()
        .map(str::to_owned);
    assert!(
        failed_tc_id.is_some(),
        "TCSS errors carry a RequestId: {}",
        failed_tc.body
    );

    // Through the API, as an admin sees it.
    let page = h
        .call(&admin, "admin/audit", &json!({"query": {"limit": 100}}))
        .await;
    page.expect_ok();
    let entries: Vec<scanport_portal::AuditEntry> =
        serde_json::from_value(page.json()["entries"].clone()).expect("audit entries");
    let find = |action: &str, outcome: Outcome| {
        entries
            .iter()
            .find(|e| e.action == action && e.outcome == outcome)
            .unwrap_or_else(|| panic!("no {outcome:?} row for {action}: {entries:#?}"))
            .clone()
    };
    let row = find("hss/batch-scan", Outcome::Ok);
    assert_eq!(
        (row.actor.as_str(), row.via.as_str(), row.account.as_deref()),
        (OPERATOR, "session", Some(HW))
    );
    let sent: Value = serde_json::from_str(row.request.as_deref().unwrap_or("null")).expect("JSON");
    assert_eq!(sent, ok_request, "the request as sent");
    assert!(row.detail.is_none(), "{row:?}");

    let row = find("tcss/sync", Outcome::Ok);
    assert_eq!(
        (row.actor.as_str(), row.via.as_str(), row.account.as_deref()),
        (
            OPERATOR,
            format!("token:{}", token_info.id).as_str(),
            Some(TC)
        ),
        "the row names the very token"
    );
    assert_eq!(
        row.upstream_request_id.as_deref(),
        Some(sync_request_id.as_str())
    );

    let row = find("hss/batch-scan", Outcome::Failed);
    assert_eq!(
        (row.actor.as_str(), row.via.as_str()),
        (OPERATOR, format!("token:{}", token_info.id).as_str())
    );
    let sent: Value = serde_json::from_str(row.request.as_deref().unwrap_or("null")).expect("JSON");
    assert_eq!(sent, failed_request);
    assert!(
        row.detail.as_deref().is_some_and(|d| !d.is_empty()),
        "the error detail: {row:?}"
    );
    assert_eq!(
        row.upstream_request_id, failed_id,
        "{row:?} vs {}",
        failed.body
    );
    eprintln!(
        "failed HSS launch: detail {:?}, request id {:?}",
        row.detail, row.upstream_request_id
    );

    let row = find("tcss/scan", Outcome::Failed);
    assert_eq!(row.upstream_request_id, failed_tc_id);
    assert!(row.detail.is_some());
    let row = find("hss/synchronize", Outcome::Failed);
    assert!(
        row.detail
            .as_deref()
            .is_some_and(|d| d.contains("try again")),
        "{row:?}"
    );

    // Nothing stays pending; the portal's own listing agrees.
    let (pending, n) = scanport_portal::audit::list(
        &h.db,
        &AuditQuery {
            outcome: Some(Outcome::Pending),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("audit");
    assert_eq!(n, 0, "{pending:?}");
    assert_eq!(audit_rows(&h, "hss/batch-scan").await.len(), 2);

    // The CSV export has the same rows.
    let csv = h
        .get(&admin, "/api/v1/admin/audit.csv?action=hss%2Fbatch-scan")
        .await;
    csv.expect_ok();
    assert!(
        csv.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv")),
        "{:?}",
        csv.headers
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("id,time_ms,actor"), "{}", csv.body);
    assert_eq!(lines.len(), 3, "header and two rows: {}", csv.body);
    assert!(lines.iter().any(|l| l.contains(",failed,")), "{}", csv.body);
    h.assert_no_secret_leaked();
}

/// 7. Invalid input: 400 `invalid_input` naming the field; nothing is
/// sent upstream and no launch is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_is_refused_with_the_field_and_no_upstream_call() {
    let h = Harness::start().await;
    let (_, token) = h.token(ADMIN).await;
    let before = h.upstream_mutations().await;
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "hss/batch-scan",
            launch(json!({"image_type": "private_image"})),
            "image_info_list",
        ),
        (
            "hss/batch-scan",
            launch(json!({"image_type": "private_image", "operate_all": true,
                "image_info_list": [{"namespace": "a", "image_name": "b", "image_version": "c"}]})),
            "operate_all",
        ),
        (
            "hss/batch-scan",
            launch(json!({"image_type": "private_image",
                "image_info_list": [{"namespace": "", "image_name": "b", "image_version": "c"}]})),
            "image_info_list[0].namespace",
        ),
        (
            "hss/batch-scan",
            launch(json!({"image_type": "private_image", "operate_all": true, "image_size": -1})),
            "image_size",
        ),
        (
            "hss/batch-scan",
            launch(json!({"image_type": "docker", "operate_all": true})),
            "image_type",
        ),
        ("hss/batch-scan", json!({"account": HW}), "request"),
        (
            "hss/batch-scan",
            json!({"account": TC, "request": batch_scan_all("payments")}),
            "account",
        ),
        (
            "hss/scan-tasks",
            launch(json!({"rate_limit": 5000, "is_all": true})),
            "rate_limit",
        ),
        ("hss/tasks/stop", launch(json!({"task_id": ""})), "task_id"),
        // Strict like every request: a name it does not take is refused.
        (
            "hss/tasks/stop",
            launch(json!({"task_id": "task-1", "force": true})),
            "force",
        ),
        (
            "hss/scan-tasks",
            launch(json!({"image_info": [{"image_name": "b", "image_version": "c"}]})),
            "image_info[0].namespace",
        ),
        (
            "hss/scan-tasks",
            launch(json!({"is_all": true, "query_info": {"pod_id": "p".repeat(65)}})),
            "query_info.pod_id",
        ),
        (
            "hss/scan-tasks",
            launch(json!({"is_all": true, "query_info": {"local_image_type": "docker_image"}})),
            "query_info.local_image_type",
        ),
        (
            "hss/registries",
            json!({"account": HW, "request": {"registry_addr": ""}}),
            "registry_addr",
        ),
        (
            "hss/tasks/stop",
            launch(json!({"task_id": "../../v5/x"})),
            "task_id",
        ),
        (
            "hss/synchronize",
            launch(json!({"image_type": "instance_image"})),
            "image_type",
        ),
        ("hss/image-sync-tasks", launch(json!({})), "registry_info"),
        (
            "tcss/timing-scan/update",
            json!({"account": TC, "request": {"ScanPeriod": 3, "Enable": true, "ScanTime": "3am"}}),
            "ScanTime",
        ),
        (
            "tcss/timing-scan/update",
            json!({"account": TC, "request": {"ScanPeriod": 0, "Enable": true, "ScanTime": "03:00:00"}}),
            "ScanPeriod",
        ),
        ("tcss/scan", json!({"account": TC, "request": {}}), "Id"),
        (
            "tcss/scan",
            json!({"account": TC, "request": {"ScanScope": 1}}),
            "Id",
        ),
        (
            "tcss/scan",
            json!({"account": TC, "request": {"ScanScope": 0, "RegistryType": [""]}}),
            "RegistryType[0]",
        ),
        (
            "tcss/scan/stop",
            json!({"account": TC, "request": {}}),
            "TaskID",
        ),
        (
            "tcss/scan/stop",
            json!({"account": TC, "request": [10001]}),
            "request",
        ),
        (
            "tcss/scan",
            json!({"account": TC, "request": {"All": true, "OnlyScanLatest": true}}),
            "OnlyScanLatest",
        ),
        (
            "tcss/images",
            json!({"account": TC, "request": {"Order": "DESC"}}),
            "Order",
        ),
        (
            "tcss/scan/stop",
            json!({"account": TC, "request": {"TaskID": -1}}),
            "TaskID",
        ),
        (
            "tcss/timing-scan/update",
            json!({"account": TC, "request": {"ScanPeriod": 1, "Enable": true, "ScanTime": "03:00",
                "ScanEndTime": "3pm"}}),
            "ScanEndTime",
        ),
        (
            "tcss/images",
            json!({"account": TC, "request": {"Filters": [{"Name": "IsAuthorized", "Values": ["yes"]}]}}),
            "Filters[0].Values",
        ),
        (
            "tcss/scan",
            json!({"account": TC, "request": {"All": true, "Timeout": 0}}),
            "Timeout",
        ),
        (
            "tcss/sync",
            json!({"account": TC, "request": {}}),
            "RegistryIds",
        ),
        (
            "tcss/sync",
            json!({"account": HW, "request": {"All": true}}),
            "account",
        ),
        (
            "hss/tasks",
            launch(json!({"type": "image_scan", "limit": 500})),
            "limit",
        ),
        (
            "tcss/timing-scan",
            json!({"account": TC, "request": {"Enable": true}}),
            "request",
        ),
        (
            "admin/users/add",
            json!({"name": "has space", "password": PASSWORD, "role": "viewer"}),
            "name",
        ),
        (
            "admin/users/add",
            json!({"name": "shorty", "password": "short", "role": "viewer"}),
            "password",
        ),
        (
            "admin/tokens/create",
            json!({"user": SPARE, "label": "x", "expires_days": 0}),
            "expires_days",
        ),
    ];
    for (endpoint, body, field) in &cases {
        let reply = h.call(&token, endpoint, body).await;
        reply.expect_error(400, "invalid_input");
        assert_eq!(
            reply.field().as_deref(),
            Some(*field),
            "{endpoint} {body}: {}",
            reply.body
        );
    }
    // A malformed Idempotency-Key is input too.
    for key in ["has space", &"k".repeat(300)] {
        let reply = h
            .send(
                "bad Idempotency-Key",
                token.apply(
                    h.request(Method::POST, "/api/v1/hss/batch-scan")
                        .header("Idempotency-Key", key)
                        .json(&launch(batch_scan_all("payments"))),
                ),
            )
            .await;
        reply.expect_error(400, "invalid_input");
        assert_eq!(reply.field().as_deref(), Some("Idempotency-Key"));
    }
    // An unknown account is not found.
    h.call(
        &token,
        "hss/batch-scan",
        &json!({"account": "nope", "request": batch_scan_all("payments")}),
    )
    .await
    .expect_error(404, "not_found");
    eprintln!(
        "{} invalid requests refused with the field named",
        cases.len() + 2
    );

    assert_eq!(
        h.upstream_mutations().await,
        before,
        "nothing sent upstream"
    );
    for action in [
        "hss/batch-scan",
        "hss/scan-tasks",
        "hss/tasks/stop",
        "hss/synchronize",
        "hss/image-sync-tasks",
        "tcss/timing-scan/update",
        "tcss/scan",
        "tcss/scan/stop",
        "tcss/sync",
    ] {
        assert!(
            audit_rows(&h, action).await.is_empty(),
            "{action} was audited as a launch"
        );
    }
    h.assert_no_secret_leaked();
}

/// An account's enterprise project (`enterprise_project_id` in its
/// config) goes on every HSS call Scanport makes for it, as the SDK's
/// query parameter: lists, launches, the live hub's polls and stop. A
/// list request's own value wins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accounts_enterprise_project_goes_on_every_hss_call() {
    let h = Harness::start_with(Options {
        hw_enterprise_project_id: Some("eps-prod-01".to_owned()),
        ..Options::default()
    })
    .await;
    let (_, token) = h.token(OPERATOR).await;
    let calls: Vec<(&str, Value)> = vec![
        (
            "hss/tasks",
            json!({"account": HW, "request": {"type": "image_sync", "limit": 10}}),
        ),
        (
            "hss/images",
            json!({"account": HW, "request": {"image_type": "shared_image"}}),
        ),
        ("hss/registries", json!({"account": HW})),
        ("ui/registries", json!({"account": HW})),
        ("hss/batch-scan", launch(batch_scan_one("v1.0.0"))),
        (
            "hss/synchronize",
            launch(json!({"image_type": "private_image"})),
        ),
        (
            "hss/image-sync-tasks",
            launch(json!({"sync_all_registries": true})),
        ),
        ("hss/scan-tasks", launch(long_scan_task(40, "eps-scan"))),
        // A local image has no namespace; `global_image_type` is a query
        // parameter upstream.
        (
            "hss/scan-tasks",
            launch(json!({"global_image_type": "local", "image_info": [
                {"image_id": "sha256:0b1c", "image_name": "nginx", "image_version": "1.27",
                 "registry_type": "Local"}]})),
        ),
    ];
    for (endpoint, body) in &calls {
        h.call(&token, endpoint, body).await.expect_ok();
    }
    let running = running_tasks(&h, &token, 40).await;
    assert_eq!(running.len(), 1, "the 40-image scan runs");
    h.call(
        &token,
        "hss/tasks/stop",
        &launch(json!({"task_id": running[0]})),
    )
    .await
    .expect_ok();

    let hss_calls: Vec<(String, String)> = h
        .upstream_requests()
        .await
        .iter()
        .filter(|r| r["target"].as_str().is_some_and(|t| t.starts_with("/v5/")))
        .map(|r| {
            (
                r["api"].as_str().unwrap_or_default().to_owned(),
                r["target"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let apis: std::collections::BTreeSet<&str> =
        hss_calls.iter().map(|(api, _)| api.as_str()).collect();
    assert_eq!(apis.len(), 8, "every HSS API was called: {apis:?}");
    for (api, target) in &hss_calls {
        assert_eq!(
            target.matches("enterprise_project_id=eps-prod-01").count(),
            1,
            "{api}: {target}"
        );
    }
    assert!(
        hss_calls.iter().any(|(api, target)| api == UP_SCAN_TASKS
            && target.contains("global_image_type=local")),
        "{hss_calls:?}"
    );

    // A request's own enterprise project wins, once.
    h.call(
        &token,
        "hss/images",
        &json!({"account": HW, "request": {"image_type": "private_image",
            "enterprise_project_id": "all_granted_eps"}}),
    )
    .await
    .expect_ok();
    let requests = h.upstream_requests().await;
    let last = requests
        .iter()
        .rev()
        .filter_map(|r| r["target"].as_str())
        .find(|t| t.contains("/image/swr-repository"))
        .expect("the image list call");
    assert!(
        last.contains("enterprise_project_id=all_granted_eps"),
        "{last}"
    );
    assert_eq!(last.matches("enterprise_project_id").count(), 1, "{last}");
    h.assert_no_secret_leaked();
}

/// 8. Whatever the cloud answers (errors, throttling, garbage), the
/// console's answers never carry the account's credentials, and map to a
/// gateway status rather than a crash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_failures_never_echo_credentials() {
    let h = Harness::start().await;
    let (_, token) = h.token(ADMIN).await;
    let calls: Vec<(&str, Value)> = vec![
        ("hss/tasks", launch(json!({"type": "image_scan"}))),
        ("hss/images", launch(json!({"image_type": "private_image"}))),
        ("hss/batch-scan", launch(batch_scan_all("payments"))),
        (
            "hss/synchronize",
            launch(json!({"image_type": "private_image"})),
        ),
        ("tcss/timing-scan", json!({"account": TC})),
        (
            "tcss/scan",
            json!({"account": TC, "request": {"All": true}}),
        ),
        (
            "tcss/scan/stop",
            json!({"account": TC, "request": {"All": true}}),
        ),
        (
            "tcss/sync",
            json!({"account": TC, "request": {"All": true}}),
        ),
    ];
    for faults in [
        json!({"fail_percent": 100}),
        json!({"throttle": true}),
        json!({"malformed": true}),
    ] {
        h.set_faults(faults.clone()).await;
        for (endpoint, body) in &calls {
            let reply = h.call(&token, endpoint, body).await;
            let status = reply.status.as_u16();
            assert!(
                [429, 502, 504].contains(&status),
                "{endpoint} with {faults}: {} {}",
                reply.status,
                reply.body
            );
            if status != 200 {
                assert!(reply.kind().is_some(), "{}", reply.body);
            }
        }
    }
    h.set_faults(json!({})).await;
    // The accounts listing shows no secret or endpoint either.
    let accounts = h.get(&token, "/api/v1/accounts").await;
    accounts.expect_ok();
    assert!(!accounts.body.contains(&h.sandbox), "{}", accounts.body);
    let audit = h.get(&token, "/api/v1/admin/audit.csv").await;
    audit.expect_ok();
    eprintln!("{} responses checked for credentials", h.responses_seen());
    h.assert_no_secret_leaked();
}
