//! Issue 22: `GET /metrics`, Prometheus's text format, names every
//! measure the README lists, and only admins' tokens and the addresses in
//! `web.metrics_allow` may read it.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

/// The value of the first sample of `name` whose labels contain every
/// one of `labels`, if the page has one.
pub(crate) fn sample(page: &str, name: &str, labels: &[&str]) -> Option<f64> {
    page.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
        .find(|l| labels.iter().all(|want| l.contains(want)))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_name_every_measure_for_admins_and_allowed_addresses_only() {
    // One call every 50 ms and a 1 s timeout: a burst of reads waits for
    // the budget, and its tail is refused.
    let h = Harness::start_with(Options {
        hw_calls_per_minute: Some(1200),
        http_timeout_secs: Some(1.0),
        ..Options::default()
    })
    .await;
    let viewer = h.session(VIEWER).await;
    let (_, admin) = h.token(ADMIN).await;
    let read = json!({"account": HW, "request": {"image_type": "private_image"}});
    let hv = (&h, &viewer, &read);
    let burst = futures::future::join_all((0..40).map(|_| async move {
        let (h, viewer, read) = hv;
        h.call(viewer, "hss/images", read).await.status
    }))
    .await;
    assert!(
        burst.contains(&StatusCode::TOO_MANY_REQUESTS),
        "the burst's tail is refused: {burst:?}"
    );
    // The cloud itself throttles one read.
    h.set_faults(json!({"throttle": true})).await;
    let _ = h.call(&viewer, "hss/images", &read).await;
    h.set_faults(json!({})).await;
    // A refused sign-in, and a live stream held open while the page is read.
    h.post_form(
        "/login",
        &[
            ("name", VIEWER),
            ("password", "not-the-password"),
            ("next", "/"),
        ],
        &[],
    )
    .await;
    let mut stream = h
        .raw_stream(
            &viewer,
            &format!("/api/v1/events/tasks?account={HW}&type=image_scan"),
        )
        .await;
    h.next_event(&mut stream, Duration::from_secs(10))
        .await
        .expect("a first snapshot");

    let page = h.get(&admin, "/metrics").await;
    page.expect_ok();
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/plain")),
        "{:?}",
        page.header("content-type")
    );
    let text = &page.body;
    let ok_reads = sample(
        text,
        "scanport_upstream_calls_total",
        &[
            r#"provider="huawei""#,
            r#"api="list_images""#,
            r#"outcome="200""#,
        ],
    );
    assert!(ok_reads.is_some_and(|n| n >= 1.0), "{text}");
    for (name, labels) in [
        (
            "scanport_upstream_throttled_total",
            &[r#"provider="huawei""#][..],
        ),
        ("scanport_budget_waits_total", &[r#"api="list_images""#][..]),
        (
            "scanport_budget_refusals_total",
            &[r#"caller="person""#][..],
        ),
        (
            "scanport_http_requests_total",
            &[r#"route="hss/images""#, r#"status="429""#][..],
        ),
        (
            "scanport_http_request_duration_seconds_bucket",
            &[r#"route="hss/images""#][..],
        ),
        ("scanport_sign_ins_total", &[r#"outcome="refused""#][..]),
        (
            "scanport_snapshot_age_seconds",
            &[&format!(r#"account="{HW}""#), r#"feed="image_scan""#][..],
        ),
    ] {
        assert!(
            sample(text, name, labels).is_some_and(|n| n >= 0.0),
            "{name} {labels:?} missing: {text}"
        );
    }
    assert!(
        sample(text, "scanport_live_streams_open", &[]).is_some_and(|n| n >= 1.0),
        "{text}"
    );
    drop(stream);

    // Nobody else: 401 without a caller, 403 for a viewer.
    assert_eq!(
        h.get(&Auth::Anonymous, "/metrics").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        h.get(&viewer, "/metrics").await.status,
        StatusCode::FORBIDDEN
    );
    h.assert_no_secret_leaked();
}

/// An address in `web.metrics_allow` (a Prometheus server) reads it with
/// no token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_address_reads_the_metrics_without_a_token() {
    let h = Harness::start_with(Options {
        metrics_allow: vec!["127.0.0.0/8".to_owned()],
        ..Options::default()
    })
    .await;
    let page = h.get(&Auth::Anonymous, "/metrics").await;
    page.expect_ok();
    assert!(
        page.body.contains("scanport_http_requests_total"),
        "{}",
        page.body
    );
}
