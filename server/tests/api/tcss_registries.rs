//! TCSS registries through the public API: the list, the progress of a
//! registry sync (`doing` → `success`, or `failed` with the reason) and the
//! namespaces; and requests that break the SDK's rules refused with the
//! field named, before anything reaches the cloud.

use crate::common::*;
use serde_json::{Value, json};
use std::time::Duration;

const UP_REGISTRIES: &str = "tcss DescribeAssetImageRegistryRegistryList";
const UP_SYNC_STATUS: &str = "tcss DescribeAssetImageRegistryAssetStatus";
const UP_NAMESPACES: &str = "tcss DescribeImageRegistryNamespaceList";

async fn sync_status(h: &Harness, auth: &Auth) -> Value {
    let reply = h
        .call(auth, "tcss/sync-status", &json!({"account": TC}))
        .await;
    reply.expect_ok();
    reply.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_reads_registries_their_sync_state_and_namespaces() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;

    let reply = h
        .call(
            &viewer,
            "tcss/registries",
            &json!({"account": TC, "request": {"Limit": 100}}),
        )
        .await;
    reply.expect_ok();
    let answer = reply.json();
    assert_eq!(answer["TotalCount"], 3, "{answer}");
    let list = answer["List"].as_array().expect("List");
    let harbor = list
        .iter()
        .find(|r| r["RegistryType"] == "harbor")
        .expect("the Harbor registry");
    // The SDK's names, and a failure that says why.
    for field in [
        "RegistryId",
        "Name",
        "Url",
        "RegistryRegion",
        "LatestSyncTime",
        "InstanceID",
    ] {
        assert!(harbor.get(field).is_some(), "{field}: {harbor}");
    }
    assert_eq!(harbor["SyncStatus"], "failed");
    assert!(
        harbor["SyncFailReason"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    assert_eq!(harbor["ConnDetectDetail"][0]["ConnDetectStatus"], "failed");

    let status = sync_status(&h, &viewer).await;
    assert_eq!(status["Status"], "failed", "{status}");
    assert!(
        status["Err"]
            .as_str()
            .is_some_and(|e| e.contains("harbor-prod"))
    );
    assert!(status["LatestSyncSuccessTime"].is_string());

    let reply = h
        .call(
            &viewer,
            "tcss/namespaces",
            &json!({"account": TC, "request": {"Limit": 100}}),
        )
        .await;
    reply.expect_ok();
    let answer = reply.json();
    let names = answer["NamespaceList"].as_array().expect("NamespaceList");
    assert!(names.contains(&json!("payments")), "{answer}");
    assert_eq!(
        answer["NamespaceDetail"].as_array().map(Vec::len),
        Some(names.len())
    );
    // Filtered by part of a name.
    let reply = h
        .call(
            &viewer,
            "tcss/namespaces",
            &json!({"account": TC, "request": {"Filters": [{"Name": "Namespace", "Values": ["pay"]}]}}),
        )
        .await;
    assert_eq!(reply.json()["NamespaceList"], json!(["payments"]));
    h.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_runs_then_reports_success_or_the_failure() {
    let h = Harness::start().await;
    let operator = h.session(OPERATOR).await;
    let sync =
        |request: Value| json!({"account": TC, "request": request, "idempotency_key": uuid_like()});
    // One good registry (tcr-prod, id 1): doing, then success.
    h.call(&operator, "tcss/sync", &sync(json!({"RegistryIds": [1]})))
        .await
        .expect_ok();
    let status = sync_status(&h, &operator).await;
    assert_eq!(status["Status"], "doing", "{status}");
    let status = wait_until_done(&h, &operator).await;
    assert_eq!(status["Status"], "success", "{status}");
    assert!(status.get("Err").is_none_or(Value::is_null), "{status}");
    let list = h
        .call(&operator, "tcss/registries", &json!({"account": TC}))
        .await
        .json();
    assert_eq!(list["List"][0]["SyncStatus"], "success", "{list}");

    // Every registry: Harbor's fails, and the sync says why.
    h.call(&operator, "tcss/sync", &sync(json!({"All": true})))
        .await
        .expect_ok();
    let status = wait_until_done(&h, &operator).await;
    assert_eq!(status["Status"], "failed", "{status}");
    assert!(
        status["Err"]
            .as_str()
            .is_some_and(|e| e.starts_with("harbor-prod: "))
    );
    h.assert_no_secret_leaked();
}

fn uuid_like() -> String {
    format!("k-{:032x}", rand_u128())
}

fn rand_u128() -> u128 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

async fn wait_until_done(h: &Harness, auth: &Auth) -> Value {
    for _ in 0..100 {
        let status = sync_status(h, auth).await;
        if status["Status"] != "doing" {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the registry sync never finished");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_registry_requests_name_the_field_and_never_reach_the_cloud() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let cases = [
        ("tcss/registries", json!({"Limit": 101}), "Limit"),
        ("tcss/registries", json!({"Offset": -1}), "Offset"),
        ("tcss/registries", json!({"Order": "DESC"}), "Order"),
        (
            "tcss/registries",
            json!({"Filters": [{"Name": "IsAuthorized", "Values": ["yes"]}]}),
            "Filters[0].Values",
        ),
        ("tcss/registries", json!({"RegistryId": 1}), "RegistryId"),
        ("tcss/sync-status", json!({"All": true}), "All"),
        ("tcss/namespaces", json!({"Limit": 0}), "Limit"),
        (
            "tcss/namespaces",
            json!({"Filters": [{"Name": "ImageName", "Values": ["x"]}]}),
            "Filters[0].Name",
        ),
        (
            "tcss/namespaces",
            json!({"Filters": [{"Name": "Namespace", "Values": []}]}),
            "Filters[0].Values",
        ),
    ];
    for (endpoint, request, field) in &cases {
        let body = json!({"account": TC, "request": request});
        let reply = h.call(&viewer, endpoint, &body).await;
        reply.expect_error(400, "invalid_input");
        assert_eq!(
            reply.field().as_deref(),
            Some(*field),
            "{endpoint} {body}: {}",
            reply.body
        );
    }
    // A Huawei account has no TCSS calls.
    let reply = h
        .call(&viewer, "tcss/registries", &json!({"account": HW}))
        .await;
    reply.expect_error(400, "invalid_input");
    assert_eq!(reply.field().as_deref(), Some("account"));
    for api in [UP_REGISTRIES, UP_SYNC_STATUS, UP_NAMESPACES] {
        assert_eq!(h.upstream_calls(api).await, 0, "{api} was called");
    }
}
