//! Tencent documents many answer members as "may return null"
//! (注意：此字段可能返回 null). For every TCSS action Scanport calls, an
//! answer in which every member is `null` (at the top, and inside each
//! list's items) decodes through Scanport's own client and types, each
//! `null` read as absent. The member lists are the SDK models'
//! (`tencentcloud.tcss.v20201101.models`).

mod support;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use scanport_cloud::tcss::TcssClient;
use scanport_cloud::{TencentCredentials, http_client};
use scanport_wire::tcss::{
    CreateRegistryScanRequest, DescribeRegistryImagesRequest, RegistryScanStatusRequest,
    StopRegistryScanRequest, SyncRegistryAssetsRequest, UpdateTimingScanRequest,
};
use serde_json::{Map, Value, json};

/// `ImageInfo`.
const IMAGE_INFO: &[&str] = &[
    "InstanceName",
    "Namespace",
    "ImageName",
    "ImageTag",
    "Force",
    "ImageDigest",
    "RegistryType",
    "ImageRepoAddress",
    "InstanceId",
];

/// `ImageRepoInfo`.
const IMAGE_REPO_INFO: &[&str] = &[
    "ImageDigest",
    "ImageRepoAddress",
    "RegistryType",
    "ImageName",
    "ImageTag",
    "ImageSize",
    "ScanTime",
    "ScanStatus",
    "VulCnt",
    "VirusCnt",
    "RiskCnt",
    "SentiveInfoCnt",
    "IsTrustImage",
    "OsName",
    "ScanVirusError",
    "ScanVulError",
    "InstanceId",
    "InstanceName",
    "Namespace",
    "ScanRiskError",
    "ScanVirusProgress",
    "ScanVulProgress",
    "ScanRiskProgress",
    "ScanRemainTime",
    "CveStatus",
    "RiskStatus",
    "VirusStatus",
    "Progress",
    "IsAuthorized",
    "RegistryRegion",
    "Id",
    "ImageId",
    "ImageCreateTime",
    "IsLatestImage",
    "LowLevelVulCnt",
    "MediumLevelVulCnt",
    "HighLevelVulCnt",
    "CriticalLevelVulCnt",
    "ContainerCnt",
    "ComponentCnt",
    "IsRunning",
    "HasNeedFixVul",
    "SensitiveInfoCnt",
    "RecommendedFix",
    "Solution",
    "Reason",
];

/// `ImageProgress`.
const IMAGE_PROGRESS: &[&str] = &[
    "ImageId",
    "RegistryType",
    "ImageRepoAddress",
    "InstanceId",
    "InstanceName",
    "Namespace",
    "ImageName",
    "ImageTag",
    "ScanStatus",
    "CveProgress",
    "RiskProgress",
    "VirusProgress",
];

/// Members of a model.
type Members = &'static [&'static str];

/// An action, its answer's members, and the item members of its lists.
type ActionAnswer = (&'static str, Members, Vec<(&'static str, Members)>);

/// Each action's answer members, and the item members of its lists.
fn answers() -> Vec<ActionAnswer> {
    vec![
        (
            "DescribeImageRegistryTimingScanTask",
            &[
                "Enable",
                "ScanTime",
                "ScanPeriod",
                "ScanType",
                "All",
                "Images",
                "Id",
                "Latest",
                "ScanEndTime",
                "RegistryType",
                "ContainerRunning",
                "ScanScope",
                "Namespace",
                "ExcludeImageAssetIds",
                "LastScanTime",
                "ScanResult",
                "RequestId",
            ],
            vec![("Images", IMAGE_INFO)],
        ),
        ("UpdateImageRegistryTimingScanTask", &["RequestId"], vec![]),
        (
            "DescribeAssetImageRegistryList",
            &["List", "TotalCount", "RequestId"],
            vec![("List", IMAGE_REPO_INFO)],
        ),
        (
            "CreateAssetImageRegistryScanTaskOneKey",
            &["TaskID", "RequestId"],
            vec![],
        ),
        (
            "DescribeAssetImageRegistryScanStatusOneKey",
            &[
                "ImageTotal",
                "ImageScanCnt",
                "ImageStatus",
                "SuccessCount",
                "RiskCount",
                "Schedule",
                "Status",
                "ScanRemainTime",
                "RequestId",
            ],
            vec![("ImageStatus", IMAGE_PROGRESS)],
        ),
        (
            "ModifyAssetImageRegistryScanStopOneKey",
            &["RequestId"],
            vec![],
        ),
        ("SyncAssetImageRegistryAsset", &["RequestId"], vec![]),
    ]
}

fn all_null(members: &[&str]) -> Map<String, Value> {
    members
        .iter()
        .map(|m| ((*m).to_owned(), Value::Null))
        .collect()
}

/// The answer to `action`: every member null, or (with `nested`) every
/// list holding one item whose members are all null.
fn null_answer(action: &str, nested: bool) -> Value {
    let (_, members, lists) = answers()
        .into_iter()
        .find(|(a, _, _)| *a == action)
        .unwrap_or_else(|| panic!("no members listed for {action}"));
    let mut response = all_null(members);
    if nested {
        for (list, item) in lists {
            response.insert(list.to_owned(), json!([all_null(item)]));
        }
    }
    json!({ "Response": response })
}

/// A TCSS stand-in answering each action with `null_answer`.
async fn start(nested: bool) -> String {
    let app = axum::Router::new().fallback(move |request: Request| async move {
        let action = request
            .headers()
            .get("x-tc-action")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let response: Response = axum::Json(null_answer(&action, nested)).into_response();
        response
    });
    support::serve(app).await
}

fn client(endpoint: &str) -> TcssClient {
    let s = support::settings(0);
    TcssClient::new(
        endpoint,
        "ap-guangzhou",
        TencentCredentials::new("AKIDNULLS000000000001", "nulls-secret-key-0000000001"),
        http_client(&s).expect("http client"),
        s,
        support::generous(),
    )
    .expect("client")
}

#[tokio::test]
async fn every_member_null_decodes_as_absent_for_every_action() {
    for nested in [false, true] {
        let tc = client(&start(nested).await);
        let schedule = tc.describe_timing_scan().await.expect("schedule");
        assert!(!schedule.enable && schedule.scan_time.is_empty());
        assert!(schedule.scan_end_time.is_none() && schedule.last_scan_time.is_none());
        assert!(schedule.registry_type.is_empty() && schedule.request_id.is_none());
        assert_eq!(schedule.images.len(), usize::from(nested));
        assert!(schedule.images.iter().all(|i| i.image_name.is_none()));

        let update = UpdateTimingScanRequest {
            scan_period: 1,
            enable: true,
            scan_time: "18:10".into(),
            ..Default::default()
        };
        assert!(
            tc.update_timing_scan(&update)
                .await
                .expect("update")
                .request_id
                .is_none()
        );

        let images = tc
            .describe_registry_images(&DescribeRegistryImagesRequest::default())
            .await
            .expect("images");
        assert_eq!(images.total_count, 0);
        assert_eq!(images.list.len(), usize::from(nested));
        for image in &images.list {
            assert_eq!((image.id, image.image_name.as_str()), (0, ""));
            assert!(image.critical_level_vul_cnt.is_none() && image.is_authorized.is_none());
            assert!(image.is_latest_image.is_none() && image.scan_status.is_none());
        }

        let scan = CreateRegistryScanRequest {
            id: Some(vec![11]),
            ..Default::default()
        };
        assert!(
            tc.create_registry_scan(&scan)
                .await
                .expect("scan")
                .task_id
                .is_none()
        );

        let status = tc
            .registry_scan_status(&RegistryScanStatusRequest::default())
            .await
            .expect("status");
        assert_eq!((status.image_total, status.success_count), (0, 0));
        assert!(status.status.is_none() && status.scan_remain_time.is_none());
        assert_eq!(status.image_status.len(), usize::from(nested));
        assert!(status.image_status.iter().all(|p| p.scan_status.is_none()));

        let stop = StopRegistryScanRequest {
            task_id: Some(1),
            ..Default::default()
        };
        assert!(
            tc.stop_registry_scan(&stop)
                .await
                .expect("stop")
                .request_id
                .is_none()
        );

        let sync = SyncRegistryAssetsRequest {
            all: Some(true),
            registry_ids: None,
        };
        assert!(
            tc.sync_registry_assets(&sync)
                .await
                .expect("sync")
                .request_id
                .is_none()
        );
    }
}
