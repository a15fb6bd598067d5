//! The typed clients against the sandbox, over real HTTP on loopback: the
//! signatures must verify, answers parse, and failures map to the right
//! error kind.

mod support;

use scanport_cloud::budget::RateBudget;
use scanport_cloud::hss::HssClient;
use scanport_cloud::tcss::TcssClient;
use scanport_cloud::{
    CloudError, HttpSettings, HuaweiCredentials, TencentCredentials, http_client,
};
use scanport_sandbox::{HuaweiKey, SandboxConfig, TencentKey};
use scanport_wire::hss::{
    BatchScanImage, BatchScanRequest, CreateScanTaskRequest, ImageSyncTaskRequest, ImageType,
    ListImagesRequest, ListRegistriesRequest, ListTasksRequest, PolicyRegistryRef, RegistryRef,
    RegistryStatus, RegistryType, SCOPE_ALL, SCOPE_BASELINE, SCOPE_VULNERABILITIES, ScanImageInfo,
    ScanPolicyRequest, SwrImageType, SynchronizeRequest, TaskListType, TaskType,
    UpdateScanPolicyRequest,
};
use scanport_wire::tcss::{
    AssetFilter, CreateRegistryScanRequest, DescribeRegistryImagesRequest,
    RegistryScanStatusRequest, SortOrder, StopRegistryScanRequest, SyncRegistryAssetsRequest,
    scan_status,
};
use scanport_wire::tcss::{ScanType, UpdateTimingScanRequest};
use std::sync::Arc;
use std::time::Duration;
use support::{generous, spawn_sandbox};

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
    spawn_sandbox(config).await
}

fn settings() -> HttpSettings {
    support::settings(2)
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
            assert_eq!(code, "APIGW.0301");
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
            assert_eq!(upstream_code.as_deref(), Some("APIGW.0308"))
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

fn harbor_policy() -> UpdateScanPolicyRequest {
    UpdateScanPolicyRequest {
        enabled: true,
        scan_cycle: 14,
        scan_scope: SCOPE_VULNERABILITIES | SCOPE_BASELINE,
        rate_limit: 50,
        time_scope: 1,
        registry_info: vec![PolicyRegistryRef {
            registry_id: "reg-harbor".into(),
            registry_name: "Harbor (corp)".into(),
            registry_type: RegistryType::Harbor,
        }],
        enterprise_project_id: None,
    }
}

#[tokio::test]
async fn hss_scan_policy_round_trips() {
    let endpoint = start(false).await;
    let client = hss(&endpoint, SK, generous());
    let before = client
        .scan_policy(&ScanPolicyRequest::cycle())
        .await
        .expect("policy");
    assert_eq!(before.scan_scope, Some(SCOPE_ALL));
    assert!(before.registry_list.len() > 2, "{before:?}");
    client
        .update_scan_policy(&harbor_policy())
        .await
        .expect("update");
    let after = client
        .scan_policy(&ScanPolicyRequest::cycle())
        .await
        .expect("policy again");
    assert_eq!(
        (
            after.scan_cycle,
            after.scan_scope,
            after.rate_limit,
            after.time_scope
        ),
        (Some(14), Some(0x0f_f000), Some(50), Some(1))
    );
    let chosen: Vec<_> = after
        .selected()
        .filter_map(|r| r.registry_id.clone())
        .collect();
    assert_eq!(chosen, ["reg-harbor"]);
    // A registry the account does not have is the service's refusal.
    let mut unknown = harbor_policy();
    unknown.registry_info[0].registry_id = "reg-nope".into();
    match client.update_scan_policy(&unknown).await {
        Err(CloudError::UpstreamRejected { code, .. }) => assert_eq!(code, "HSS.0011"),
        other => panic!("expected HSS.0011, got {other:?}"),
    }
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

/// Polls the scan list until the newest manual task reaches a final state.
async fn newest_manual_task(
    client: &HssClient,
    list: TaskListType,
    done: impl Fn(i64) -> bool,
) -> scanport_wire::hss::ImageScanTaskInfo {
    let mut req = ListTasksRequest::new(list);
    req.task_type = Some(if list == TaskListType::ImageScan {
        TaskType::Manual
    } else {
        TaskType::ManualSync
    });
    req.limit = Some(10);
    for _ in 0..100 {
        let answer = client.list_tasks(&req).await.expect("list");
        let newest = answer
            .data_list
            .iter()
            .filter(|t| t.task_id.contains("-live-"))
            .max_by_key(|t| t.begin_time)
            .cloned();
        if let Some(task) = newest
            && done(task.task_status)
        {
            return task;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no task reached the expected state");
}

#[tokio::test]
async fn a_batch_scan_of_listed_images_becomes_a_task_that_finishes() {
    let endpoint = start(false).await;
    let client = hss(&endpoint, SK, generous());
    let mut list = ListImagesRequest::new(SwrImageType::PrivateImage);
    list.limit = Some(10);
    let images = client.list_images(&list).await.expect("images");
    assert!(images.total_num > 100, "{}", images.total_num);
    let picked: Vec<BatchScanImage> = images.data_list[..3]
        .iter()
        .map(|i| BatchScanImage {
            namespace: i.namespace.clone(),
            image_name: i.image_name.clone(),
            image_version: i.image_version.clone(),
            ..Default::default()
        })
        .collect();
    client
        .batch_scan(&BatchScanRequest::images(ImageType::PrivateImage, picked))
        .await
        .expect("launch");
    let task = newest_manual_task(&client, TaskListType::ImageScan, |s| s == 100).await;
    assert_eq!(task.total_num, 3);
    assert_eq!(task.success_num + task.failed_num, 3);
    assert_eq!(
        task.failed_images.len(),
        usize::try_from(task.failed_num).unwrap_or(0)
    );
}

#[tokio::test]
async fn scan_all_matching_counts_exactly_the_matching_images() {
    let endpoint = start(false).await;
    let client = hss(&endpoint, SK, generous());
    let mut list = ListImagesRequest::new(SwrImageType::PrivateImage);
    list.namespace = Some("payments".into());
    let matching = client.list_images(&list).await.expect("images").total_num;
    let mut scan = BatchScanRequest::all(ImageType::PrivateImage);
    scan.namespace = Some("payments".into());
    client.batch_scan(&scan).await.expect("launch");
    let task = newest_manual_task(&client, TaskListType::ImageScan, |_| true).await;
    assert_eq!(task.total_num, matching);
    assert_eq!(task.is_all, Some(true));
}

#[tokio::test]
async fn a_running_manual_scan_can_be_stopped() {
    let endpoint = start(false).await;
    let client = hss(&endpoint, SK, generous());
    let req = CreateScanTaskRequest {
        image_info: (0..40)
            .map(|n| ScanImageInfo::registry("payments", "checkout", &format!("v9.9.{n}")))
            .collect(),
        ..Default::default()
    };
    client.create_scan_task(&req).await.expect("launch");
    let running =
        newest_manual_task(&client, TaskListType::ImageScan, |s| (0..100).contains(&s)).await;
    client.stop_scan_task(&running.task_id).await.expect("stop");
    let stopped = newest_manual_task(&client, TaskListType::ImageScan, |s| s == -1).await;
    assert_eq!(stopped.task_id, running.task_id);
    // Stopping it again is refused by the service, not by us.
    match client.stop_scan_task(&running.task_id).await.unwrap_err() {
        CloudError::UpstreamRejected { status: 400, .. } => {}
        other => panic!("expected UpstreamRejected, got {other:?}"),
    }
}

#[tokio::test]
async fn syncs_create_sync_tasks_and_registries_list_every_kind() {
    let endpoint = start(false).await;
    let client = hss(&endpoint, SK, generous());
    let answer = client
        .synchronize(&SynchronizeRequest {
            image_type: ImageType::SharedImage,
        })
        .await
        .expect("synchronize");
    assert_eq!(answer.error_code, 0);
    let mut req = ListRegistriesRequest {
        limit: Some(50),
        ..Default::default()
    };
    let registries = client.list_registries(&req).await.expect("registries");
    assert!(
        registries
            .data_list
            .iter()
            .any(|r| r.status.as_deref() == Some("fail") && r.fail_reason.is_some())
    );
    let harbor = registries
        .data_list
        .iter()
        .find(|r| r.registry_type == "Harbor")
        .expect("harbor");
    client
        .create_image_sync_task(&ImageSyncTaskRequest {
            sync_all_registries: false,
            registry_info: vec![RegistryRef {
                registry_id: harbor.id.clone(),
                registry_type: RegistryType::Harbor,
            }],
        })
        .await
        .expect("sync one registry");
    let task = newest_manual_task(&client, TaskListType::ImageSync, |s| s == 100).await;
    assert_eq!(task.task_type.as_deref(), Some("manualSync"));
    // Filters by status and a comma list of types reach the service intact.
    req.status = Some(RegistryStatus::Fail);
    req.registry_type = vec![RegistryType::Other, RegistryType::Jfrog];
    let failing = client.list_registries(&req).await.expect("filtered");
    assert_eq!(failing.total_num, 1);
    assert_eq!(
        failing.data_list[0].fail_reason.as_deref(),
        Some("REQUEST_API_ERROR"),
        "a documented code"
    );
    // The connection details the SDK's model has arrive whole.
    assert!(harbor.connect_cluster_id.is_some() && harbor.registry_username.is_some());
    assert_eq!(harbor.protocol.as_deref(), Some("https"));
    assert_eq!(harbor.api_version.as_deref(), Some("V2"));
    let by_addr = client
        .list_registries(&ListRegistriesRequest {
            registry_addr: harbor.registry_addr.clone(),
            ..Default::default()
        })
        .await
        .expect("by address");
    assert_eq!(by_addr.total_num, 1);
    assert_eq!(by_addr.data_list[0].id, harbor.id);
}

/// The request log's targets of the HSS calls so far, oldest first.
async fn hss_targets(endpoint: &str) -> Vec<(String, String)> {
    let log: Vec<serde_json::Value> = support::control(reqwest::Method::GET, endpoint, "requests")
        .send()
        .await
        .expect("request log")
        .json()
        .await
        .expect("json");
    log.iter()
        .filter(|r| r["api"].as_str().is_some_and(|a| a.contains("/v5/")))
        .map(|r| {
            (
                r["api"].as_str().unwrap_or_default().to_owned(),
                r["target"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_enterprise_project_goes_on_every_hss_call_unless_a_list_names_its_own() {
    let endpoint = start(false).await;
    let client = hss(&endpoint, SK, generous())
        .with_enterprise_project_id(Some("eps-7f3a 9"))
        .expect("a valid id");
    client
        .list_tasks(&ListTasksRequest::new(TaskListType::ImageScan))
        .await
        .expect("tasks");
    client
        .list_images(&ListImagesRequest::new(SwrImageType::PrivateImage))
        .await
        .expect("images");
    client
        .list_registries(&ListRegistriesRequest::default())
        .await
        .expect("registries");
    client
        .batch_scan(&BatchScanRequest::images(
            ImageType::PrivateImage,
            vec![BatchScanImage {
                namespace: "payments".into(),
                image_name: "checkout".into(),
                image_version: "v0".into(),
                ..Default::default()
            }],
        ))
        .await
        .expect("batch scan");
    client
        .synchronize(&SynchronizeRequest {
            image_type: ImageType::PrivateImage,
        })
        .await
        .expect("synchronize");
    client
        .create_image_sync_task(&ImageSyncTaskRequest {
            sync_all_registries: true,
            registry_info: vec![],
        })
        .await
        .expect("sync task");
    let scan = CreateScanTaskRequest {
        image_info: (0..30)
            .map(|n| ScanImageInfo::registry("payments", "checkout", &format!("v8.{n}")))
            .collect(),
        ..Default::default()
    };
    client.create_scan_task(&scan).await.expect("scan task");
    let running =
        newest_manual_task(&client, TaskListType::ImageScan, |s| (0..100).contains(&s)).await;
    client.stop_scan_task(&running.task_id).await.expect("stop");
    client
        .scan_policy(&ScanPolicyRequest::cycle())
        .await
        .expect("policy");
    client
        .update_scan_policy(&harbor_policy())
        .await
        .expect("policy update");
    let targets = hss_targets(&endpoint).await;
    let apis: std::collections::BTreeSet<&str> = targets.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(apis.len(), 10, "every HSS API was called: {apis:?}");
    for (api, target) in &targets {
        assert!(
            target.contains("enterprise_project_id=eps-7f3a%209"),
            "{api}: {target}"
        );
    }
    // A list request's own value wins; it is not sent twice.
    let mut own = ListTasksRequest::new(TaskListType::ImageSync);
    own.enterprise_project_id = Some("all_granted_eps".into());
    client.list_tasks(&own).await.expect("own project");
    let (_, last) = hss_targets(&endpoint).await.pop().expect("logged");
    assert!(
        last.contains("enterprise_project_id=all_granted_eps"),
        "{last}"
    );
    assert_eq!(last.matches("enterprise_project_id").count(), 1, "{last}");
    // A configured id is checked like a request's.
    assert!(
        hss(&endpoint, SK, generous())
            .with_enterprise_project_id(Some(""))
            .is_err()
    );
}

/// A POST signed as the client signs it, with any body.
async fn signed_post(endpoint: &str, tail: &[&str], body: &str) -> reqwest::Response {
    use scanport_cloud::signing::huawei;
    let creds = HuaweiCredentials::new(AK, SK);
    let mut segments = vec!["v5", "proj-1"];
    segments.extend_from_slice(tail);
    let host = endpoint.trim_start_matches("http://");
    let date = huawei::sdk_date(time::OffsetDateTime::now_utc());
    let headers = huawei::base_headers(&creds, host, "proj-1", &date);
    let signature = huawei::sign(
        &creds,
        &huawei::RequestParts {
            method: "POST",
            segments: &segments,
            query: &[],
            headers: &headers,
            body: body.as_bytes(),
        },
    );
    let mut request = reqwest::Client::new()
        .post(format!("{endpoint}{}", huawei::request_path(&segments)))
        .header("authorization", signature.authorization)
        .body(body.to_owned());
    for (name, value) in headers.iter().filter(|(n, _)| n != "Host") {
        request = request.header(name, value);
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn the_sandbox_requires_sync_all_registries_as_the_service_does() {
    let endpoint = start(false).await;
    let chosen = r#"{"registry_info": [{"registry_id": "reg-harbor", "registry_type": "Harbor"}]}"#;
    let refused = signed_post(&endpoint, &["image", "image-sync", "tasks"], chosen).await;
    assert_eq!(refused.status(), 400);
    let text = refused.text().await.expect("body");
    assert!(text.contains("sync_all_registries"), "{text}");
    let with = r#"{"sync_all_registries": false,
        "registry_info": [{"registry_id": "reg-harbor", "registry_type": "Harbor"}]}"#;
    let accepted = signed_post(&endpoint, &["image", "image-sync", "tasks"], with).await;
    assert_eq!(accepted.status(), 200);
    // Scanport's own client always names it.
    hss(&endpoint, SK, generous())
        .create_image_sync_task(&ImageSyncTaskRequest {
            sync_all_registries: false,
            registry_info: vec![RegistryRef {
                registry_id: "reg-harbor".into(),
                registry_type: RegistryType::Harbor,
            }],
        })
        .await
        .expect("chosen registries with sync_all_registries false");
}

#[tokio::test]
async fn tcss_registry_scan_launches_and_reports_progress() {
    let endpoint = start(false).await;
    let client = tcss(&endpoint, SECRET_ID);
    let images = client
        .describe_registry_images(&DescribeRegistryImagesRequest {
            limit: Some(10),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(images.list.len(), 10);
    assert!(images.total_count >= 60);
    let ids: Vec<i64> = images.list.iter().take(3).map(|i| i.id).collect();
    let launched = client
        .create_registry_scan(&CreateRegistryScanRequest {
            id: Some(ids),
            ..Default::default()
        })
        .await
        .expect("scan");
    let task_id = launched.task_id.expect("task id");
    let status = client
        .registry_scan_status(&RegistryScanStatusRequest {
            task_id: Some(task_id),
            ..Default::default()
        })
        .await
        .expect("status");
    assert_eq!(status.image_total, 3);
    assert!(status.success_count <= status.image_total);
    client
        .sync_registry_assets(&SyncRegistryAssetsRequest {
            all: Some(true),
            registry_ids: None,
        })
        .await
        .expect("sync");
    // Limit is at most 100: refused before sending.
    let too_many = DescribeRegistryImagesRequest {
        limit: Some(1000),
        ..Default::default()
    };
    assert!(matches!(
        client.describe_registry_images(&too_many).await,
        Err(CloudError::InvalidInput(_))
    ));
}

/// `YYYY-MM-DD HH:MM:SS`, TCSS's time format.
fn is_tencent_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

/// The registry images with these ids, as listed now.
async fn listed(client: &TcssClient, ids: &[i64]) -> Vec<scanport_wire::tcss::RegistryImage> {
    let all = client
        .describe_registry_images(&DescribeRegistryImagesRequest {
            limit: Some(100),
            ..Default::default()
        })
        .await
        .expect("list");
    all.list
        .into_iter()
        .filter(|i| ids.contains(&i.id))
        .collect()
}

#[tokio::test]
async fn tcss_one_key_scans_finish_update_the_images_and_count_safe_ones() {
    let endpoint = start(false).await;
    let client = tcss(&endpoint, SECRET_ID);
    // 10 was never scanned, 17 fails its scan, 11 and 12 scan fine.
    let ids = vec![10, 11, 12, 17];
    let before = listed(&client, &ids).await;
    assert_eq!(
        before
            .iter()
            .map(|i| i.scan_status.as_deref().unwrap_or_default())
            .collect::<Vec<_>>(),
        [
            scan_status::NOT_SCAN,
            scan_status::SCANNED,
            scan_status::SCANNED,
            scan_status::SCAN_ERR
        ]
    );
    assert!(before[0].scan_time.is_none());
    let task_id = client
        .create_registry_scan(&CreateRegistryScanRequest {
            id: Some(ids.clone()),
            ..Default::default()
        })
        .await
        .expect("scan")
        .task_id
        .expect("task id");
    let running = listed(&client, &ids).await;
    assert!(
        running
            .iter()
            .all(|i| i.scan_status.as_deref() == Some(scan_status::SCANNING)),
        "{running:?}"
    );
    let status = loop {
        let status = client
            .registry_scan_status(&RegistryScanStatusRequest {
                task_id: Some(task_id),
                ..Default::default()
            })
            .await
            .expect("status");
        if status.status.as_deref() != Some(scan_status::SCANNING) {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    };
    assert_eq!(status.status.as_deref(), Some(scan_status::SCANNED));
    assert_eq!((status.image_total, status.image_scan_cnt), (4, 4));
    let after = listed(&client, &ids).await;
    let risky = after
        .iter()
        .filter(|i| i.id != 17)
        .filter(|i| i.vul_cnt.unwrap_or(0) + i.virus_cnt.unwrap_or(0) + i.risk_cnt.unwrap_or(0) > 0)
        .count();
    // SuccessCount is the images found safe: scanned, nothing found.
    assert_eq!(status.risk_count, i64::try_from(risky).expect("small"));
    assert_eq!(status.success_count, 3 - status.risk_count);
    for image in &after {
        let expected = if image.id == 17 {
            scan_status::SCAN_ERR
        } else {
            scan_status::SCANNED
        };
        assert_eq!(image.scan_status.as_deref(), Some(expected));
        let time = image.scan_time.as_deref().expect("scan time");
        assert!(is_tencent_time(time), "{time}");
        assert_ne!(time, "2026-11-21 03:10:00", "the scan time moved on");
    }
    let progress: Vec<&str> = status
        .image_status
        .iter()
        .map(|p| p.scan_status.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        progress,
        [
            scan_status::SCANNED,
            scan_status::SCANNED,
            scan_status::SCANNED,
            scan_status::SCAN_ERR
        ]
    );
    // Stopping a finished scan changes nothing.
    client
        .stop_registry_scan(&StopRegistryScanRequest {
            task_id: Some(task_id),
            ..Default::default()
        })
        .await
        .expect("stop of a finished scan");
    let again = client
        .registry_scan_status(&RegistryScanStatusRequest {
            task_id: Some(task_id),
            ..Default::default()
        })
        .await
        .expect("status");
    assert_eq!(again.status.as_deref(), Some(scan_status::SCANNED));
}

#[tokio::test]
async fn tcss_a_running_one_key_scan_stops() {
    let endpoint = start(false).await;
    let client = tcss(&endpoint, SECRET_ID);
    // Every image, 40 ms each: seconds of work.
    let task_id = client
        .create_registry_scan(&CreateRegistryScanRequest {
            scan_scope: Some(0),
            ..Default::default()
        })
        .await
        .expect("scan")
        .task_id
        .expect("task id");
    client
        .stop_registry_scan(&StopRegistryScanRequest {
            task_id: Some(task_id),
            ..Default::default()
        })
        .await
        .expect("stop");
    let status = client
        .registry_scan_status(&RegistryScanStatusRequest {
            task_id: Some(task_id),
            ..Default::default()
        })
        .await
        .expect("status");
    assert_eq!(status.status.as_deref(), Some(scan_status::CANCELED));
    assert!(status.image_scan_cnt < status.image_total, "{status:?}");
    assert_eq!(status.scan_remain_time, Some(0));
    let last = status.image_status.last().expect("images");
    assert_eq!(last.scan_status.as_deref(), Some(scan_status::CANCELED));
    let image_id: i64 = last
        .image_id
        .as_deref()
        .expect("id")
        .parse()
        .expect("number");
    let listed = listed(&client, &[image_id]).await;
    assert_eq!(
        listed[0].scan_status.as_deref(),
        Some(scan_status::CANCELED)
    );
    // An unknown task is the service's ResourceNotFound.
    match client
        .stop_registry_scan(&StopRegistryScanRequest {
            task_id: Some(987_654_321),
            ..Default::default()
        })
        .await
        .unwrap_err()
    {
        CloudError::UpstreamRejected { code, .. } => assert_eq!(code, "ResourceNotFound"),
        other => panic!("expected ResourceNotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn tcss_image_list_filters_and_order_as_documented() {
    let endpoint = start(false).await;
    let client = tcss(&endpoint, SECRET_ID);
    let filter = |name: &str, value: &str| AssetFilter {
        name: name.into(),
        values: vec![value.into()],
        exact_match: None,
    };
    let list = |filters: Vec<AssetFilter>, order: Option<SortOrder>| {
        let client = client.clone();
        async move {
            client
                .describe_registry_images(&DescribeRegistryImagesRequest {
                    limit: Some(100),
                    filters: Some(filters),
                    order,
                    by: Some("Id".into()),
                    ..Default::default()
                })
                .await
                .expect("list")
        }
    };
    let everything = list(vec![], None).await;
    let all = list(
        ["IsAuthorized", "ScanStatus", "RepoType", "SecurityRisk"]
            .into_iter()
            .map(|n| filter(n, "all"))
            .collect(),
        None,
    )
    .await;
    assert_eq!(all.total_count, everything.total_count);
    let unauthorized = list(vec![filter("IsAuthorized", "0")], None).await;
    assert!(unauthorized.total_count > 0);
    assert!(unauthorized.list.iter().all(|i| i.is_authorized == Some(0)));
    let never = list(vec![filter("ScanStatus", scan_status::NOT_SCAN)], None).await;
    assert!(never.list.iter().all(|i| i.id % 10 == 0) && never.total_count == 6);
    let desc = list(vec![], Some(SortOrder::Desc)).await;
    let ids: Vec<i64> = desc.list.iter().map(|i| i.id).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    // Severity counts add up to the vulnerability count.
    for image in &everything.list {
        let parts = [
            image.critical_level_vul_cnt,
            image.high_level_vul_cnt,
            image.medium_level_vul_cnt,
            image.low_level_vul_cnt,
        ];
        assert_eq!(
            parts.iter().flatten().sum::<i64>(),
            image.vul_cnt.unwrap_or(0)
        );
        assert!(image.has_need_fix_vul.is_some());
    }
}

#[tokio::test]
async fn tcss_the_null_fault_sends_documented_nulls_the_client_reads_as_absent() {
    let endpoint = start(false).await;
    let client = tcss(&endpoint, SECRET_ID);
    let scan = client
        .create_registry_scan(&CreateRegistryScanRequest {
            id: Some(vec![11]),
            ..Default::default()
        })
        .await
        .expect("scan");
    set_faults(&endpoint, serde_json::json!({"null_percent": 100})).await;
    let schedule = client.describe_timing_scan().await.expect("schedule");
    // Enable, ScanType, LastScanTime, … are documented as nullable.
    assert!(!schedule.enable && schedule.scan_type.is_empty());
    assert!(schedule.last_scan_time.is_none());
    // ScanTime is not: it is still there.
    assert_eq!(schedule.scan_time, "03:00:00");
    let images = client
        .describe_registry_images(&DescribeRegistryImagesRequest::default())
        .await
        .expect("list");
    assert!(images.list.iter().all(|i| i.is_latest_image.is_none()));
    assert!(images.list.iter().all(|i| i.scan_status.is_some()));
    let status = client
        .registry_scan_status(&RegistryScanStatusRequest {
            task_id: scan.task_id,
            ..Default::default()
        })
        .await
        .expect("status");
    assert!(status.image_status.is_empty() && status.scan_remain_time.is_none());
    assert_eq!(status.image_total, 1);
    set_faults(&endpoint, serde_json::json!({})).await;
    let schedule = client.describe_timing_scan().await.expect("schedule");
    assert!(schedule.enable && schedule.last_scan_time.is_some());
}

#[tokio::test]
async fn tcss_documented_nulls_some_of_the_time_follow_the_seed() {
    // Which answers carry nulls, for a sandbox started with this share.
    async fn pattern(seed: u64) -> Vec<bool> {
        let mut config = SandboxConfig::new(
            vec![],
            vec![TencentKey {
                secret_id: SECRET_ID.into(),
                secret_key: SECRET_KEY.into(),
            }],
        );
        config.rate_limits = false;
        config.seed = seed;
        config.null_percent = 50;
        let endpoint = spawn_sandbox(config).await;
        let client = tcss(&endpoint, SECRET_ID);
        let mut nulls = Vec::new();
        for _ in 0..24 {
            let schedule = client.describe_timing_scan().await.expect("schedule");
            // Enable is documented as nullable; the seed has it on.
            nulls.push(!schedule.enable);
        }
        nulls
    }
    let first = pattern(1).await;
    assert_eq!(first, pattern(1).await, "the same seed, the same answers");
    assert!(first.contains(&true) && first.contains(&false), "{first:?}");
    assert_ne!(first, pattern(2).await, "another seed, other answers");
}

/// The sandbox's controls answer only those who send its control token.
#[tokio::test]
async fn the_sandbox_controls_need_its_control_token() {
    let endpoint = support::spawn_sandbox(SandboxConfig::new(vec![], vec![])).await;
    let http = reqwest::Client::new();
    for (method, control) in [
        (reqwest::Method::GET, "stats"),
        (reqwest::Method::GET, "requests"),
        (reqwest::Method::GET, "faults"),
        (reqwest::Method::PUT, "faults"),
    ] {
        let url = format!("{endpoint}/__sandbox/{control}");
        let bare = http
            .request(method.clone(), &url)
            .json(&serde_json::json!({}));
        let wrong = http
            .request(method.clone(), &url)
            .header(scanport_sandbox::CONTROL_HEADER, "guess")
            .json(&serde_json::json!({}));
        for attempt in [bare, wrong] {
            let answer = attempt.send().await.expect("answer");
            assert_eq!(
                answer.status(),
                reqwest::StatusCode::UNAUTHORIZED,
                "{method} {control}"
            );
        }
        let right = support::control(method.clone(), &endpoint, control)
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("answer");
        assert!(
            right.status().is_success(),
            "{method} {control}: {}",
            right.status()
        );
    }
    // Two sandboxes made without a token get different random ones.
    assert_ne!(
        SandboxConfig::new(vec![], vec![]).control_token,
        SandboxConfig::new(vec![], vec![]).control_token
    );
}

/// Switches the sandbox's faults through its admin endpoint.
async fn set_faults(endpoint: &str, faults: serde_json::Value) {
    let answer = support::control(reqwest::Method::PUT, endpoint, "faults")
        .json(&faults)
        .send()
        .await
        .expect("admin endpoint");
    assert!(answer.status().is_success(), "{}", answer.status());
}

#[tokio::test]
async fn fault_switches_produce_each_failure_and_clear() {
    let endpoint = start(false).await;
    let s = HttpSettings {
        connect_timeout: Duration::from_secs(1),
        timeout: Duration::from_millis(600),
        read_retries: 0,
        ..HttpSettings::default()
    };
    let client = HssClient::new(
        &endpoint,
        "proj-1",
        HuaweiCredentials::new(AK, SK),
        http_client(&s).expect("client"),
        s,
        generous(),
    )
    .expect("client");
    let tc = tcss(&endpoint, SECRET_ID);
    let req = ListTasksRequest::new(TaskListType::ImageScan);

    set_faults(&endpoint, serde_json::json!({"throttle": true})).await;
    assert!(matches!(
        client.list_tasks(&req).await,
        Err(CloudError::RateLimited {
            upstream_code: Some(_),
            ..
        })
    ));
    assert!(matches!(
        tc.describe_timing_scan().await,
        Err(CloudError::RateLimited {
            upstream_code: Some(_),
            ..
        })
    ));

    set_faults(&endpoint, serde_json::json!({"fail_percent": 100})).await;
    assert!(matches!(
        client.list_tasks(&req).await,
        Err(CloudError::Unavailable { .. })
    ));

    set_faults(&endpoint, serde_json::json!({"malformed": true})).await;
    match client.list_tasks(&req).await {
        Err(CloudError::Unavailable { message, .. }) => {
            assert!(message.contains("JSON"), "{message}")
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }

    for slow in [
        serde_json::json!({"latency_ms": 2000}),
        serde_json::json!({"hang": true}),
    ] {
        set_faults(&endpoint, slow).await;
        let started = std::time::Instant::now();
        assert!(matches!(
            client.list_tasks(&req).await,
            Err(CloudError::TimedOut { .. })
        ));
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "{:?}",
            started.elapsed()
        );
    }

    // Cleared, everything works again; the counters saw every call.
    set_faults(&endpoint, serde_json::json!({})).await;
    client.list_tasks(&req).await.expect("recovered");
    let stats: std::collections::BTreeMap<String, u64> =
        support::control(reqwest::Method::GET, &endpoint, "stats")
            .send()
            .await
            .expect("stats")
            .json()
            .await
            .expect("json");
    // throttle, fail, malformed, latency, hang, recovered: one call each.
    assert_eq!(stats.get("GET /v5/{project_id}/image/tasks"), Some(&6));
    // The TCSS client keeps the default policy: a throttled read is tried
    // three times.
    assert_eq!(
        stats.get("tcss DescribeImageRegistryTimingScanTask"),
        Some(&3)
    );
}

#[tokio::test]
async fn temporary_huawei_credentials_send_a_signed_security_token() {
    let endpoint = start(false).await;
    let s = settings();
    let creds = HuaweiCredentials::new(AK, SK).with_security_token("temporary-token-1");
    let client = HssClient::new(
        &endpoint,
        "proj-1",
        creds,
        http_client(&s).expect("client"),
        s,
        generous(),
    )
    .expect("client");
    // The sandbox verifies every signed header, the token included.
    client
        .list_tasks(&ListTasksRequest::new(TaskListType::ImageScan))
        .await
        .expect("signed with the token");
    let headers = scanport_cloud::signing::huawei::base_headers(
        &HuaweiCredentials::new(AK, SK).with_security_token("temporary-token-1"),
        "h",
        "p",
        "20261122T080000Z",
    );
    assert!(
        headers
            .iter()
            .any(|(n, v)| n == "X-Security-Token" && v == "temporary-token-1")
    );
}

#[tokio::test]
async fn bursts_skewed_clocks_and_the_request_log() {
    let endpoint = start(false).await;
    let s = settings();
    let client = HssClient::new(
        &endpoint,
        "proj-1",
        HuaweiCredentials::new(AK, SK),
        http_client(&s).expect("client"),
        s,
        generous(),
    )
    .expect("client");
    let tc = tcss(&endpoint, SECRET_ID);
    let req = ListTasksRequest::new(TaskListType::ImageScan);

    // A burst of two 5xx: a read rides it out on its two retries.
    set_faults(&endpoint, serde_json::json!({"fail_next": 2})).await;
    client
        .list_tasks(&req)
        .await
        .expect("two failures, then an answer");

    // The sandbox's clock an hour ahead: both services refuse the date,
    // and the HSS client tells it from a bad key by the `Date` header.
    set_faults(&endpoint, serde_json::json!({"clock_skew_secs": 3600})).await;
    assert!(matches!(
        client.list_tasks(&req).await,
        Err(CloudError::ClockSkew {
            request_id: Some(_),
            ..
        })
    ));
    assert!(matches!(
        tc.describe_timing_scan().await,
        Err(CloudError::ClockSkew {
            request_id: Some(_),
            ..
        })
    ));
    set_faults(&endpoint, serde_json::json!({})).await;
    client
        .list_tasks(&req)
        .await
        .expect("the clock agrees again");

    let log: Vec<serde_json::Value> = support::control(reqwest::Method::GET, &endpoint, "requests")
        .send()
        .await
        .expect("request log")
        .json()
        .await
        .expect("json");
    let tasks: Vec<&serde_json::Value> = log
        .iter()
        .filter(|r| r["api"] == "GET /v5/{project_id}/image/tasks")
        .collect();
    let statuses: Vec<u64> = tasks.iter().filter_map(|r| r["status"].as_u64()).collect();
    assert_eq!(statuses, [500, 500, 200, 401, 200]);
    assert!(
        tasks
            .iter()
            .all(|r| r["request_id"].is_string() || r["status"] == 200)
    );
    assert!(
        tasks[0]["target"]
            .as_str()
            .is_some_and(|t| t.starts_with("/v5/proj-1/image/tasks?"))
    );
    let text = serde_json::to_string(&log).expect("text");
    assert!(!text.contains(AK) && text.contains("[redacted]"), "{text}");
}
