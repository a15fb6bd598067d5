//! A TCSS registry scan through the public API: stopping it is audited,
//! and every viewer follows its progress live from one poll of the cloud.

use crate::common::*;
use reqwest::StatusCode;
use scanport_portal::Outcome;
use serde_json::{Value, json};
use std::time::Duration;

/// 9. A TCSS scan and its stop, one family (`…OneKey`) end to end: the
/// stop reaches the cloud once, is audited like a launch with the cloud's
/// request id, and the scan reads back as `CANCELED`; the schedule takes
/// `HH:MM` and gives it back as written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcss_scan_stops_and_the_stop_is_audited() {
    let h = Harness::start().await;
    let (_, token) = h.token(OPERATOR).await;
    // Every image at 100 ms each: seconds of work.
    let scan = h
        .call(
            &token,
            "tcss/scan",
            &json!({"account": TC, "request": {"ScanScope": 0, "ScanType": ["CVE"]}}),
        )
        .await;
    scan.expect_ok();
    let task = scan.json()["TaskID"].as_i64().expect("a TaskID");
    let stops = h.upstream_calls(UP_TC_STOP).await;
    let keyed = json!({"account": TC, "request": {"TaskID": task}, "idempotency_key": "stop-1"});
    let stop = h.call(&token, "tcss/scan/stop", &keyed).await;
    stop.expect_ok();
    assert_eq!(h.upstream_calls(UP_TC_STOP).await, stops + 1);
    // A retry with the same key gets the same answer and stops nothing.
    let replay = h.call(&token, "tcss/scan/stop", &keyed).await;
    replay.expect_ok();
    assert_eq!(replay.json(), stop.json());
    assert_eq!(h.upstream_calls(UP_TC_STOP).await, stops + 1);
    let request_id = stop.json()["RequestId"]
        .as_str()
        .expect("a RequestId")
        .to_owned();
    let status = h
        .call(
            &token,
            "tcss/scan-status",
            &json!({"account": TC, "request": {"TaskID": task}}),
        )
        .await;
    status.expect_ok();
    assert_eq!(status.json()["Status"], "CANCELED", "{}", status.body);
    let rows = audit_rows(&h, "tcss/scan/stop").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].outcome, Outcome::Ok);
    assert_eq!(
        rows[0].upstream_request_id.as_deref(),
        Some(request_id.as_str())
    );
    let sent: Value =
        serde_json::from_str(rows[0].request.as_deref().unwrap_or("null")).expect("JSON");
    assert_eq!(sent, json!({"TaskID": task}));
    // A task the cloud does not know: its refusal, audited as failed.
    let unknown = h
        .call(
            &token,
            "tcss/scan/stop",
            &json!({"account": TC, "request": {"TaskID": 987_654_321}}),
        )
        .await;
    // (Its status and kind are the error mapping's; the code is the cloud's.)
    assert!(!unknown.status.is_success(), "{unknown:?}");
    assert!(
        unknown.body.contains("ResourceNotFound"),
        "{}",
        unknown.body
    );
    assert_eq!(
        audit_rows(&h, "tcss/scan/stop")
            .await
            .iter()
            .filter(|r| r.outcome == Outcome::Failed)
            .count(),
        1
    );

    // The schedule: HH:MM in, HH:MM out.
    h.call(
        &token,
        "tcss/timing-scan/update",
        &json!({"account": TC, "request": {"ScanPeriod": 1, "Enable": true, "ScanTime": "18:10",
            "ScanEndTime": "19:30", "RegistryType": ["tcr", "quay"]}}),
    )
    .await
    .expect_ok();
    let schedule = h
        .call(&token, "tcss/timing-scan", &json!({"account": TC}))
        .await;
    schedule.expect_ok();
    let schedule = schedule.json();
    assert_eq!(
        (&schedule["ScanTime"], &schedule["ScanEndTime"]),
        (&json!("18:10"), &json!("19:30"))
    );
    assert_eq!(schedule["RegistryType"], json!(["tcr", "quay"]));
    h.assert_no_secret_leaked();
}

/// The `data:` JSON of the last event in `text`.
fn last_event_data(text: &str) -> Value {
    let data = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap_or_else(|| panic!("no data line in {text:?}"));
    serde_json::from_str(data).expect("event JSON")
}

/// A TCSS account's registry scan is followed live like an HSS task list:
/// every viewer's stream carries `tcss-scan` events until the scan ends,
/// the launch asks for a poll at once, and one poll serves all viewers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcss_scan_is_followed_live_by_every_viewer_with_one_poll() {
    const STATUS: &str = UP_TC_SCAN_STATUS;
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let (_, operator) = h.token(OPERATOR).await;
    let mut streams = Vec::new();
    for _ in 0..5 {
        let mut stream = h
            .raw_stream(&viewer, &format!("/api/v1/events/tasks?account={TC}"))
            .await;
        assert_eq!(stream.status(), StatusCode::OK);
        let first = h
            .next_event(&mut stream, Duration::from_secs(20))
            .await
            .expect("the first snapshot");
        assert!(first.starts_with("event: tcss-scan\n"), "{first}");
        streams.push(stream);
    }
    let started = std::time::Instant::now();
    let polls_before = h.upstream_calls(STATUS).await;
    h.call(
        &operator,
        "tcss/scan",
        &json!({"account": TC, "request": {"ScanScope": 1, "Id": [11, 12], "ScanType": ["CVE"]}}),
    )
    .await
    .expect_ok();

    // Every stream sees the two-image scan run and end.
    for stream in &mut streams {
        loop {
            let event = h
                .next_event(stream, Duration::from_secs(30))
                .await
                .expect("the scan's progress, then its end");
            let snapshot = last_event_data(&event);
            let status = &snapshot["status"];
            if status["ImageTotal"] != json!(2) {
                continue;
            }
            if status["Status"] == json!("SCANNED") {
                assert_eq!(status["ImageScanCnt"], json!(2), "{snapshot}");
                let names: Vec<&str> = status["ImageStatus"]
                    .as_array()
                    .expect("ImageStatus")
                    .iter()
                    .filter_map(|i| i["ImageId"].as_str())
                    .collect();
                assert_eq!(names, ["11", "12"], "{snapshot}");
                break;
            }
        }
    }
    // One poll per refresh, whatever the number of viewers: at most one
    // per 0.5 s (the tests' busy pace) plus the launch's refresh.
    let polls = h.upstream_calls(STATUS).await - polls_before;
    let allowed = started.elapsed().as_secs_f64() / 0.5 + 2.0;
    assert!(
        (1.0..=allowed).contains(&(polls as f64)),
        "{polls} status polls for 5 viewers in {:?}",
        started.elapsed()
    );

    // A read answers from the same snapshot.
    let read = h
        .call(&viewer, "live/tcss-scan", &json!({"account": TC}))
        .await;
    read.expect_ok();
    assert_eq!(read.json()["status"]["Status"], json!("SCANNED"));
    assert_eq!(read.json()["status"]["ImageTotal"], json!(2));

    // An HSS account's feed name is unchanged; a TCSS account ignores
    // `type`.
    let hss = h
        .open_stream(
            &viewer,
            &format!("/api/v1/events/tasks?account={HW}"),
            Duration::from_secs(20),
        )
        .await;
    assert!(hss.body.starts_with("event: tasks\n"), "{}", hss.body);
    // Ready for a proxy in front: not buffered by nginx, each event with
    // an id, and a reconnect hint for the browser.
    assert_eq!(hss.header("x-accel-buffering"), Some("no"));
    let lines: Vec<&str> = hss.body.lines().collect();
    assert!(
        lines.iter().any(|l| l
            .strip_prefix("id: ")
            .is_some_and(|n| n.parse::<u64>().is_ok())),
        "{}",
        hss.body
    );
    assert!(lines.contains(&"retry: 3000"), "{}", hss.body);
    h.assert_no_secret_leaked();
}
