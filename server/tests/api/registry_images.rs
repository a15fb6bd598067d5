//! HSS registry images (`hss/registry-images`) and a sync task's
//! registries (`hss/image-sync-tasks/registries`) through the public API:
//! viewers read both, the filters really filter, a chosen Harbor image is
//! scanned through `hss/scan-tasks`, and input the SDK would not take is
//! refused with the field named before the cloud hears of it.

use crate::common::*;
use serde_json::{Value, json};
use std::time::Duration;

const UP_IMAGES: &str = "GET /v5/{project_id}/image/registries/images";
const UP_SYNC_REGISTRIES: &str = "GET /v5/{project_id}/image/image-sync/tasks/{task_id}/registries";

async fn images(h: &Harness, auth: &Auth, request: Value) -> Value {
    let reply = h
        .call(
            auth,
            "hss/registry-images",
            &json!({"account": HW, "request": request}),
        )
        .await;
    reply.expect_ok();
    reply.json()
}

fn list(answer: &Value) -> &Vec<Value> {
    answer["data_list"].as_array().expect("data_list")
}

async fn registries_of(h: &Harness, auth: &Auth, request: Value) -> Value {
    let reply = h
        .call(
            auth,
            "hss/image-sync-tasks/registries",
            &json!({"account": HW, "request": request}),
        )
        .await;
    reply.expect_ok();
    reply.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_list_registry_images_and_every_filter_narrows_the_list() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;

    let all = images(&h, &viewer, json!({"limit": 200})).await;
    let total = all["total_num"].as_i64().expect("total");
    let types: std::collections::BTreeSet<&str> = list(&all)
        .iter()
        .filter_map(|i| i["registry_type"].as_str())
        .collect();
    assert!(
        types.contains("SwrPrivate") && total > 200,
        "every registry's images: {types:?}"
    );

    // One registry, by name.
    let harbor = images(
        &h,
        &viewer,
        json!({"registry_name": "Harbor (corp)", "limit": 200}),
    )
    .await;
    let harbor_total = harbor["total_num"].as_i64().expect("total");
    assert!(harbor_total > 0 && harbor_total < total, "{harbor_total}");
    assert!(
        list(&harbor)
            .iter()
            .all(|i| i["registry_name"] == json!("Harbor (corp)")
                && i["registry_type"] == json!("Harbor")
                && i["image_type"] == json!("harbor")),
        "{harbor}"
    );
    let jfrog = images(&h, &viewer, json!({"image_type": "jfrog", "limit": 200})).await;
    assert!(
        !list(&jfrog).is_empty()
            && list(&jfrog)
                .iter()
                .all(|i| i["registry_type"] == json!("Jfrog")),
        "{jfrog}"
    );

    // Severity: only that level, and only scanned images have one.
    let high = images(
        &h,
        &viewer,
        json!({"registry_name": "Harbor (corp)", "severity_level": "High", "limit": 200}),
    )
    .await;
    let high_total = high["total_num"].as_i64().expect("total");
    assert!(high_total > 0 && high_total < harbor_total, "{high_total}");
    assert!(
        list(&high)
            .iter()
            .all(|i| i["severity_level"] == json!("High") && i["scan_status"] == json!("success"))
    );

    // Risky: any finding; not risky: none.
    for risky in [true, false] {
        let answer = images(
            &h,
            &viewer,
            json!({"registry_name": "Harbor (corp)", "risky": risky, "limit": 200}),
        )
        .await;
        let n = answer["total_num"].as_i64().expect("total");
        assert!(n > 0 && n < harbor_total, "risky={risky}: {n}");
        for image in list(&answer) {
            let findings: i64 = ["vul_num", "malicious_file_num", "unsafe_setting_num"]
                .iter()
                .map(|k| image[*k].as_i64().unwrap_or(0))
                .sum();
            assert_eq!(findings > 0, risky, "{image}");
        }
    }

    // Sorted by the latest scan, newest first; then paged.
    let sorted = images(
        &h,
        &viewer,
        json!({"registry_name": "Harbor (corp)", "sort_key": "latest_scan_time",
            "sort_dir": "desc", "limit": 200}),
    )
    .await;
    let times: Vec<i64> = list(&sorted)
        .iter()
        .map(|i| i["latest_scan_time"].as_i64().unwrap_or(0))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let page = images(
        &h,
        &viewer,
        json!({"registry_name": "Harbor (corp)", "sort_key": "latest_scan_time",
            "sort_dir": "desc", "offset": 5, "limit": 5}),
    )
    .await;
    assert_eq!(page["total_num"], json!(harbor_total));
    assert_eq!(list(&page)[..], list(&sorted)[5..10]);
    h.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chosen_harbor_image_is_scanned_and_the_list_shows_it() {
    let h = Harness::start().await;
    let (_, operator) = h.token(OPERATOR).await;
    let unscanned = images(
        &h,
        &operator,
        json!({"registry_name": "Harbor (corp)", "scan_status": "unscan", "limit": 1}),
    )
    .await;
    let image = list(&unscanned)
        .first()
        .expect("an unscanned image")
        .clone();
    let pick = json!({
        "registry_id": image["registry_id"], "registry_name": image["registry_name"],
        "registry_type": "Harbor", "namespace": image["namespace"],
        "image_name": image["image_name"], "image_version": image["image_version"],
    });
    let scans = h.upstream_calls(UP_SCAN_TASKS).await;
    h.call(
        &operator,
        "hss/scan-tasks",
        &json!({"account": HW, "request": {"image_info": [pick]}}),
    )
    .await
    .expect_ok();
    assert_eq!(h.upstream_calls(UP_SCAN_TASKS).await, scans + 1);
    // At the sandbox's pace (100 ms an image) it is soon scanned.
    let mut status = Value::Null;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = images(
            &h,
            &operator,
            json!({"registry_name": "Harbor (corp)", "namespace": image["namespace"],
                "image_name": image["image_name"], "image_version": image["image_version"]}),
        )
        .await;
        status = list(&now)
            .iter()
            .find(|i| i["id"] == image["id"])
            .map_or(Value::Null, |i| i["scan_status"].clone());
        if status != json!("unscan") {
            break;
        }
    }
    assert!(
        status == json!("success") || status == json!("failed"),
        "the scan reached the image: {status}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_task_shows_each_registry_and_why_the_harbor_failed() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let (_, operator) = h.token(OPERATOR).await;

    // A seeded sync of every registry.
    let past = sync_task_ids(&h, &viewer).await;
    let all = registries_of(&h, &viewer, json!({"task_id": past[0], "limit": 200})).await;
    let rows = list(&all);
    assert!(rows.len() >= 6, "{all}");
    let legacy = rows
        .iter()
        .find(|r| r["registry_name"] == json!("Harbor (legacy)"))
        .expect("the legacy Harbor");
    assert_eq!(legacy["registry_type"], json!("Harbor"));
    assert_eq!(legacy["sync_status"], json!("failed"));
    assert_eq!(legacy["failed_reason"], json!("REQUEST_API_ERROR"));
    let corp = rows
        .iter()
        .find(|r| r["registry_name"] == json!("Harbor (corp)"))
        .expect("the corp Harbor");
    assert_eq!(corp["sync_status"], json!("finished"));
    assert!(
        corp.get("failed_reason").is_none_or(Value::is_null),
        "{corp}"
    );

    // Filters narrow it.
    let failed = registries_of(
        &h,
        &viewer,
        json!({"task_id": past[0], "sync_status": "failed"}),
    )
    .await;
    assert!(
        !list(&failed).is_empty()
            && list(&failed)
                .iter()
                .all(|r| r["sync_status"] == json!("failed"))
            && list(&failed).len() < rows.len(),
        "{failed}"
    );
    let harbors = registries_of(
        &h,
        &viewer,
        json!({"task_id": past[0], "registry_type": ["Harbor"]}),
    )
    .await;
    assert_eq!(harbors["total_num"], json!(2), "{harbors}");

    // A sync launched now records its two registries.
    h.call(
        &operator,
        "hss/image-sync-tasks",
        &json!({"account": HW, "request": {"registry_info": [
            {"registry_id": "reg-harbor", "registry_type": "Harbor"},
            {"registry_id": "reg-harbor-legacy", "registry_type": "Harbor"}]}}),
    )
    .await
    .expect_ok();
    let newest = loop {
        let ids = sync_task_ids(&h, &viewer).await;
        if let Some(id) = ids.iter().find(|id| id.contains("-live-")) {
            break id.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut answer = Value::Null;
    for _ in 0..100 {
        answer = registries_of(&h, &viewer, json!({"task_id": newest})).await;
        if list(&answer)
            .iter()
            .all(|r| r["sync_status"] != json!("running"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let names: Vec<(&str, &str)> = list(&answer)
        .iter()
        .map(|r| {
            (
                r["registry_name"].as_str().unwrap_or_default(),
                r["sync_status"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [("Harbor (corp)", "finished"), ("Harbor (legacy)", "failed")]
    );

    // Not a sync task: the service's not-found, passed on.
    let reply = h
        .call(
            &viewer,
            "hss/image-sync-tasks/registries",
            &json!({"account": HW, "request": {"task_id": "no-such-task"}}),
        )
        .await;
    reply.expect_error(404, "upstream_rejected");
    assert!(reply.body.contains("HSS.0011"), "{}", reply.body);
    h.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_the_sdk_refuses_is_refused_with_the_field_and_never_sent() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let image_cases = [
        (json!({"limit": 0}), "limit"),
        (json!({"limit": 201}), "limit"),
        (json!({"offset": -1}), "offset"),
        (json!({"image_version": "v".repeat(65)}), "image_version"),
        (json!({"registry_name": ""}), "registry_name"),
        (json!({"registry_name": "r".repeat(129)}), "registry_name"),
        (json!({"scan_status": "download_failed"}), "scan_status"),
        (json!({"image_size": 2_147_483_548_i64}), "image_size"),
        (
            json!({"start_latest_scan_time": 5, "end_latest_scan_time": 4}),
            "start_latest_scan_time",
        ),
        (json!({"instance_id": "i".repeat(129)}), "instance_id"),
    ];
    let sync_cases = [
        (json!({"task_id": ""}), "task_id"),
        (json!({"task_id": "t".repeat(65)}), "task_id"),
        (json!({"task_id": "../stop"}), "task_id"),
        (json!({"task_id": "a\r\nX-Injected: 1"}), "task_id"),
        (json!({"task_id": "sync-1", "limit": 9}), "limit"),
        (json!({"task_id": "sync-1", "offset": 2_000_001}), "offset"),
        (
            json!({"task_id": "sync-1", "registry_name": ""}),
            "registry_name",
        ),
    ];
    let before = (
        h.upstream_calls(UP_IMAGES).await,
        h.upstream_calls(UP_SYNC_REGISTRIES).await,
    );
    for (endpoint, cases) in [
        ("hss/registry-images", &image_cases[..]),
        ("hss/image-sync-tasks/registries", &sync_cases[..]),
    ] {
        for (request, field) in cases {
            let reply = h
                .call(
                    &viewer,
                    endpoint,
                    &json!({"account": HW, "request": request}),
                )
                .await;
            reply.expect_error(400, "invalid_input");
            assert_eq!(
                reply.field().as_deref(),
                Some(*field),
                "{endpoint} {request}: {}",
                reply.body
            );
        }
    }
    // Values outside an enumeration, and names the SDK does not have.
    for (endpoint, request, word) in [
        (
            "hss/registry-images",
            json!({"severity_level": "high"}),
            "severity_level",
        ),
        (
            "hss/registry-images",
            json!({"sort_key": "image_name"}),
            "sort_key",
        ),
        (
            "hss/registry-images",
            json!({"registry_id": "r"}),
            "registry_id",
        ),
        (
            "hss/image-sync-tasks/registries",
            json!({"task_id": "t", "sync_status": "done"}),
            "sync_status",
        ),
        ("hss/image-sync-tasks/registries", json!({}), "task_id"),
    ] {
        let reply = h
            .call(
                &viewer,
                endpoint,
                &json!({"account": HW, "request": request}),
            )
            .await;
        reply.expect_error(400, "invalid_input");
        assert!(reply.body.contains(word), "{request}: {}", reply.body);
    }
    assert_eq!(
        (
            h.upstream_calls(UP_IMAGES).await,
            h.upstream_calls(UP_SYNC_REGISTRIES).await,
        ),
        before,
        "nothing was sent"
    );
    // A Tencent account has no such lists.
    let reply = h
        .call(
            &viewer,
            "hss/registry-images",
            &json!({"account": TC, "request": {}}),
        )
        .await;
    reply.expect_error(400, "invalid_input");
    assert_eq!(reply.field().as_deref(), Some("account"));
}
