//! The typed clients against the sandbox, over real HTTP on loopback: the
//! signatures must verify, answers parse, and failures map to the right
//! error kind.

use scanport_cloud::budget::RateBudget;
use scanport_cloud::hss::HssClient;
use scanport_cloud::sandbox::{self, HuaweiKey, SandboxConfig, TencentKey};
use scanport_cloud::tcss::TcssClient;
use scanport_cloud::{
    CloudError, HttpSettings, HuaweiCredentials, TencentCredentials, http_client,
};
use scanport_wire::hss::{ListTasksRequest, TaskListType, TaskType};
use scanport_wire::tcss::{ScanType, UpdateTimingScanRequest};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

const AK: &str = "TESTAK0000000000001";
const SK: &str = "testsk000000000000000000000000000000001";
const SECRET_ID: &str = "AKIDTEST000000000000001";
const SECRET_KEY: &str = "testsecretkey0000000000001";

async fn start(rate_limits: bool) -> String {
    let mut config = SandboxConfig::new(
        vec![HuaweiKey {
            ak: AK.into(),
            sk: SK.into(),
        }],
        vec![TencentKey {
            secret_id: SECRET_ID.into(),
            secret_key: SECRET_KEY.into(),
        }],
    );
    config.rate_limits = rate_limits;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    sandbox::spawn(listener, config).expect("spawn").endpoint()
}

fn settings() -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        read_retries: 2,
    }
}

fn generous() -> Arc<RateBudget> {
    Arc::new(RateBudget::new(
        NonZeroU32::new(6000).expect("nonzero"),
        Duration::from_secs(60),
    ))
}

fn hss(endpoint: &str, sk: &str, budget: Arc<RateBudget>) -> HssClient {
    let s = settings();
    HssClient::new(
        endpoint,
        "proj-1",
        HuaweiCredentials::new(AK, sk),
        http_client(&s).expect("client"),
        s,
        budget,
    )
    .expect("hss client")
}

fn tcss(endpoint: &str, id: &str) -> TcssClient {
    let s = settings();
    TcssClient::new(
        endpoint,
        "ap-guangzhou",
        TencentCredentials::new(id, SECRET_KEY),
        http_client(&s).expect("client"),
        s,
        generous(),
    )
    .expect("tcss client")
}

#[tokio::test]
async fn hss_task_lists_come_back_signed_and_filtered() {
    let endpoint = start(false).await;
    let client = hss(&endpoint, SK, generous());
    let scans = client
        .list_tasks(&ListTasksRequest::new(TaskListType::ImageScan))
        .await
        .expect("scan list");
    assert_eq!(scans.total_num, 24);
    assert_eq!(scans.data_list.len(), 10, "the default page is 10");

    let mut req = ListTasksRequest::new(TaskListType::ImageSync);
    req.limit = Some(200);
    req.task_type = Some(TaskType::ManualSync);
    req.task_name = Some("Sync all / registries?&=".into()); // encoded in path and signature
    let none = client
        .list_tasks(&req)
        .await
        .expect("odd characters still sign");
    assert_eq!(none.total_num, 0);
    req.task_name = Some("Sync all".into());
    let syncs = client.list_tasks(&req).await.expect("sync list");
    assert!(syncs.total_num > 0);
    assert!(
        syncs
            .data_list
            .iter()
            .all(|t| t.task_type.as_deref() == Some("manualSync"))
    );
}

#[tokio::test]
async fn a_wrong_secret_is_an_auth_rejection_with_the_request_id() {
    let endpoint = start(false).await;
    let err = hss(&endpoint, "wrong-secret", generous())
        .list_tasks(&ListTasksRequest::new(TaskListType::ImageScan))
        .await
        .unwrap_err();
    match err {
        CloudError::AuthRejected {
            code, request_id, ..
        } => {
            assert_eq!(code, "APIG.0301");
            assert!(request_id.is_some_and(|id| !id.is_empty()));
        }
        other => panic!("expected AuthRejected, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_input_is_refused_before_anything_is_sent() {
    // Nothing listens here: a request that went out would fail differently.
    let client = hss("http://127.0.0.1:9", SK, generous());
    let mut req = ListTasksRequest::new(TaskListType::ImageScan);
    req.limit = Some(500);
    match client.list_tasks(&req).await.unwrap_err() {
        CloudError::InvalidInput(field) => assert_eq!(field.field, "limit"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unreachable_service_is_unavailable() {
    let client = hss("http://127.0.0.1:9", SK, generous());
    let err = client
        .list_tasks(&ListTasksRequest::new(TaskListType::ImageScan))
        .await
        .unwrap_err();
    assert!(matches!(err, CloudError::Unavailable { .. }), "{err:?}");
}

#[tokio::test]
async fn the_services_rate_limit_surfaces_as_rate_limited() {
    let endpoint = start(true).await;
    // Our own budget switched off, to see the service's limit (5 per minute).
    let client = hss(&endpoint, SK, generous());
    let req = ListTasksRequest::new(TaskListType::ImageScan);
    for _ in 0..5 {
        client.list_tasks(&req).await.expect("within the limit");
    }
    match client.list_tasks(&req).await.unwrap_err() {
        CloudError::RateLimited { upstream_code, .. } => {
            assert_eq!(upstream_code.as_deref(), Some("APIG.0308"))
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn our_budget_refuses_before_the_service_would() {
    let endpoint = start(true).await;
    let client = hss(&endpoint, SK, Arc::new(RateBudget::huawei_default()));
    let req = ListTasksRequest::new(TaskListType::ImageScan);
    client.list_tasks(&req).await.expect("first call");
    let started = std::time::Instant::now();
    match client.list_tasks(&req).await {
        // 12 s until the next slot is more than the 5 s timeout: fail fast.
        Err(CloudError::RateLimited {
            upstream_code: None,
            retry_after,
            ..
        }) => {
            assert!(retry_after > Duration::from_secs(5));
            assert!(started.elapsed() < Duration::from_secs(1));
        }
        other => panic!("expected a local RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn tcss_schedule_round_trips() {
    let endpoint = start(false).await;
    let client = tcss(&endpoint, SECRET_ID);
    let before = client.describe_timing_scan().await.expect("describe");
    assert!(before.request_id.is_some());
    let update = UpdateTimingScanRequest {
        scan_period: 3,
        enable: true,
        scan_time: "04:30:00".into(),
        scan_type: Some(vec![ScanType::Risk]),
        latest: Some(false),
        ..Default::default()
    };
    client.update_timing_scan(&update).await.expect("update");
    let after = client.describe_timing_scan().await.expect("describe again");
    assert_eq!(
        (after.scan_period, after.scan_time.as_str()),
        (3, "04:30:00")
    );
    assert_eq!(after.scan_type, vec!["RISK"]);
    assert!(!after.latest);
}

#[tokio::test]
async fn tcss_unknown_secret_id_is_an_auth_rejection() {
    let endpoint = start(false).await;
    match tcss(&endpoint, "AKIDNOTKNOWN")
        .describe_timing_scan()
        .await
        .unwrap_err()
    {
        CloudError::AuthRejected {
            code, request_id, ..
        } => {
            assert_eq!(code, "AuthFailure.SecretIdNotFound");
            assert!(request_id.is_some());
        }
        other => panic!("expected AuthRejected, got {other:?}"),
    }
}

#[tokio::test]
async fn tcss_invalid_update_is_refused_locally() {
    let client = tcss("http://127.0.0.1:9", SECRET_ID);
    let update = UpdateTimingScanRequest {
        scan_period: 1,
        enable: true,
        scan_time: "3am".into(),
        ..Default::default()
    };
    match client.update_timing_scan(&update).await.unwrap_err() {
        CloudError::InvalidInput(field) => assert_eq!(field.field, "ScanTime"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}
