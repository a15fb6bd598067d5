//! The Overview page's figures: gathered in the background, they count
//! each account's images exactly as its own lists and image pages do, and
//! looking at them costs the clouds nothing.

use crate::common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

async fn overview(h: &Harness, auth: &Auth) -> Vec<Value> {
    let reply = h.call(auth, "ui/overview", &json!({})).await;
    reply.expect_ok();
    reply.json().as_array().expect("a list of accounts").clone()
}

/// The overview once both accounts' gatherings are complete.
async fn gathered(h: &Harness, auth: &Auth) -> BTreeMap<String, Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let rows = overview(h, auth).await;
        let complete = rows
            .iter()
            .all(|r| r["overview"]["complete"].as_bool() == Some(true));
        if complete {
            return rows
                .into_iter()
                .map(|r| (r["account"].as_str().unwrap_or("").to_owned(), r))
                .collect();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the overview was not gathered in 90 s: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Severity names in the overview's `severity` counts, most severe first.
const LEVELS: [&str; 4] = ["critical", "high", "medium", "low"];

/// The worst level with a count in `counts` (the image page's order:
/// critical, high, medium, low, unknown), `"unknown"` for only unknown
/// ones, `"none"` for none.
fn worst(counts: &[i64]) -> &'static str {
    match counts.iter().position(|n| *n > 0) {
        Some(i) if i < LEVELS.len() => LEVELS[i],
        Some(_) => "unknown",
        None => "none",
    }
}

fn tally(worsts: &[&str]) -> Value {
    let mut counts = json!({"critical": 0, "high": 0, "medium": 0, "low": 0, "none": 0,
        "unknown": 0});
    for w in worsts {
        counts[*w] = json!(counts[*w].as_i64().unwrap_or(0) + 1);
    }
    counts
}

async fn hss_images(h: &Harness, auth: &Auth, filter: Value) -> Value {
    let mut request = json!({"image_type": "private_image", "limit": 200});
    if let (Some(r), Some(f)) = (request.as_object_mut(), filter.as_object()) {
        r.extend(f.clone());
    }
    let reply = h
        .call(
            auth,
            "hss/images",
            &json!({"account": HW, "request": request}),
        )
        .await;
    reply.expect_ok();
    reply.json()
}

async fn tcss_images(h: &Harness, auth: &Auth, status: Option<&str>) -> Value {
    let filters: Vec<Value> = status
        .map(|s| json!({"Name": "ScanStatus", "Values": [s], "ExactMatch": true}))
        .into_iter()
        .collect();
    let reply = h
        .call(
            auth,
            "tcss/images",
            &json!({"account": TC, "request": {"Limit": 100, "Filters": filters}}),
        )
        .await;
    reply.expect_ok();
    reply.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_counts_each_accounts_images_as_their_own_pages_do() {
    // Scans end at once, so no image changes between the gathering and
    // the lists it is checked against.
    let h = Harness::start_with(Options {
        overview: true,
        sandbox_pace: Some(Duration::ZERO),
        ..Options::default()
    })
    .await;
    let viewer = h.session(VIEWER).await;
    let rows = gathered(&h, &viewer).await;
    assert_eq!(
        rows.keys().collect::<Vec<_>>(),
        [HW, TC],
        "both accounts, in order"
    );

    // HSS: the image list's totals, and each scanned image under the worst
    // severity its own page shows.
    let hw = &rows[HW]["overview"];
    let images = &hw["images"];
    let total = |list: &Value| list["total_num"].as_i64().expect("total_num");
    assert_eq!(
        images["total"].as_i64(),
        Some(total(&hss_images(&h, &viewer, json!({})).await))
    );
    for (field, status) in [("never_scanned", "unscan"), ("failed", "failed")] {
        let listed = total(&hss_images(&h, &viewer, json!({"scan_status": status})).await);
        assert_eq!(images[field].as_i64(), Some(listed), "HSS {field}: {hw}");
    }
    let scanned = hss_images(&h, &viewer, json!({"scan_status": "success"})).await;
    let mut worsts = Vec::new();
    for image in scanned["data_list"].as_array().expect("data_list") {
        if image["vul_num"].as_i64().unwrap_or(0) == 0 {
            worsts.push("none");
            continue;
        }
        let request = json!({"image_id": image["image_id"], "image_type": "private_image",
            "namespace": image["namespace"], "image_name": image["image_name"],
            "tag_name": image["image_version"]});
        let page = h
            .call(
                &viewer,
                "ui/image-vulnerabilities",
                &json!({"account": HW, "image": {"cloud": "hss", "image_id": image["image_id"],
                    "image_type": "private_image", "namespace": image["namespace"],
                    "image_name": image["image_name"], "tag_name": image["image_version"]},
                    "scanned_at": image["latest_scan_time"].to_string()}),
            )
            .await;
        page.expect_ok();
        let counts: Vec<i64> = page.json()["counts"]
            .as_array()
            .unwrap_or_else(|| panic!("counts of {request}"))
            .iter()
            .map(|n| n.as_i64().unwrap_or(0))
            .collect();
        worsts.push(worst(&counts));
    }
    assert!(
        worsts.iter().any(|w| LEVELS.contains(w)),
        "no scanned image has a finding"
    );
    assert_eq!(images["severity"], tally(&worsts), "HSS severities: {hw}");

    // TCSS: the registry list's totals, and each scanned image under its
    // worst level with a count.
    let tc = &rows[TC]["overview"];
    let images = &tc["images"];
    let count = |list: &Value| list["TotalCount"].as_i64().expect("TotalCount");
    assert_eq!(
        images["total"].as_i64(),
        Some(count(&tcss_images(&h, &viewer, None).await))
    );
    for (field, status) in [("never_scanned", "NOT_SCAN"), ("failed", "SCAN_ERR")] {
        let listed = count(&tcss_images(&h, &viewer, Some(status)).await);
        assert_eq!(images[field].as_i64(), Some(listed), "TCSS {field}: {tc}");
    }
    let scanned = tcss_images(&h, &viewer, Some("SCANNED")).await;
    let worsts: Vec<&str> = scanned["List"]
        .as_array()
        .expect("List")
        .iter()
        .map(|image| {
            let levels: Vec<i64> = ["Critical", "High", "Medium", "Low"]
                .iter()
                .map(|l| image[format!("{l}LevelVulCnt")].as_i64().unwrap_or(0))
                .chain([image["VulCnt"].as_i64().unwrap_or(0)])
                .collect();
            worst(&levels)
        })
        .collect();
    assert_eq!(images["severity"], tally(&worsts), "TCSS severities: {tc}");

    // Running tasks: as the task lists say.
    let reply = h
        .call(
            &viewer,
            "hss/tasks",
            &json!({"account": HW, "request": {"type": "image_scan",
            "task_status": "scanning"}}),
        )
        .await;
    reply.expect_ok();
    assert_eq!(hw["running_tasks"], reply.json()["total_num"], "{hw}");
    let reply = h
        .call(&viewer, "tcss/scan-status", &json!({"account": TC}))
        .await;
    reply.expect_ok();
    let scanning = i64::from(reply.json()["Status"] == "SCANNING");
    assert_eq!(tc["running_tasks"].as_i64(), Some(scanning), "{tc}");

    // The most widespread vulnerabilities are the Vulnerabilities page's first.
    for account in [HW, TC] {
        let reply = h
            .call(&viewer, "ui/vulnerabilities", &json!({"account": account}))
            .await;
        reply.expect_ok();
        let listed: Vec<Value> = reply.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .take(5)
            .map(|v| v["id"].clone())
            .collect();
        let top: Vec<Value> = rows[account]["overview"]["top_vulnerabilities"]
            .as_array()
            .expect("top_vulnerabilities")
            .iter()
            .map(|v| v["id"].clone())
            .collect();
        assert_eq!(top, listed, "{account}");
        assert!(rows[account]["fetched_at_ms"].as_i64().unwrap_or(0) > 0);
    }

    // Looking again, as anyone, costs the clouds nothing.
    h.wait_for_quiet_upstream().await;
    let before = h.upstream().await;
    let admin = h.session(ADMIN).await;
    for auth in [&viewer, &admin, &viewer] {
        assert_eq!(overview(&h, auth).await.len(), 2);
    }
    assert_eq!(
        h.upstream().await,
        before,
        "a look at the overview called a cloud"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_its_first_gathering_an_account_is_listed_without_figures() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let before = h.upstream().await;
    let rows = overview(&h, &viewer).await;
    let accounts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["account"].as_str().unwrap_or(""),
                r["provider"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(accounts, [(HW, "huawei"), (TC, "tencent")]);
    assert!(
        rows.iter()
            .all(|r| r["overview"].is_null() && r["fetched_at_ms"] == 0),
        "{rows:?}"
    );
    assert_eq!(h.upstream().await, before, "the overview called a cloud");
    h.call(&Auth::Anonymous, "ui/overview", &json!({}))
        .await
        .expect_error(401, "unauthenticated");
}

/// With HSS's own limit (5 calls a minute per API), the first overview is
/// there within seconds, still filling in its severities, and took at
/// most its share, one call, of any API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_the_services_limit_the_overview_takes_one_call_a_minute_of_any_api() {
    let h = Harness::start_with(Options {
        overview: true,
        sandbox_pace: Some(Duration::ZERO),
        hw_calls_per_minute: Some(5),
        quiet_hub: true,
        ..Options::default()
    })
    .await;
    let viewer = h.session(VIEWER).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let hw = loop {
        let rows = overview(&h, &viewer).await;
        if !rows[0]["overview"].is_null() {
            break rows[0]["overview"].clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no HSS overview in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(hw["complete"], false, "{hw}");
    let severity = &hw["images"]["severity"];
    let unknown = severity["unknown"].as_i64().unwrap_or(0);
    assert!(unknown > 1, "every image's severity came at once: {hw}");
    let known: i64 = ["critical", "high", "medium", "low"]
        .iter()
        .map(|s| severity[*s].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(known, 1, "one image's list read, in its one call: {hw}");
    for (api, calls) in h.upstream().await {
        if api.contains("/v5/") {
            assert!(calls <= 1, "{api}: {calls} calls in the first minute");
        }
    }
}
