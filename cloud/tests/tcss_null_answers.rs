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

/// `ImageVul`.
const IMAGE_VUL: &[&str] = &[
    "CVEID",
    "POCID",
    "Name",
    "Components",
    "Category",
    "CategoryType",
    "Level",
    "Des",
    "OfficialSolution",
    "Reference",
    "DefenseSolution",
    "SubmitTime",
    "CvssScore",
    "CvssVector",
    "IsSuggest",
    "FixedVersions",
    "Tag",
    "Component",
    "Version",
    "AttackLevel",
    "LayerInfos",
];

/// `ImageVirus`.
const IMAGE_VIRUS: &[&str] = &[
    "Path",
    "RiskLevel",
    "Category",
    "VirusName",
    "Tags",
    "Desc",
    "Solution",
    "FileType",
    "FileName",
    "FileMd5",
    "FileSize",
    "FirstScanTime",
    "LatestScanTime",
];

/// `ImageRisk`.
const IMAGE_RISK: &[&str] = &["Behavior", "Type", "Level", "Desc", "InstructionContent"];

/// `ImageRepoRegistryInfo`.
const IMAGE_REPO_REGISTRY_INFO: &[&str] = &[
    "RegistryId",
    "Name",
    "RegistryType",
    "Url",
    "NetType",
    "RegistryRegion",
    "RegistryVersion",
    "ConnectMsg",
    "ConnDetectType",
    "ConnDetectHostCount",
    "ConnDetectDetail",
    "InstanceID",
    "LatestSyncTime",
    "SyncStatus",
    "SyncFailReason",
    "SyncSolution",
    "SyncMessage",
    "SyncMode",
];

/// `VulInfo`.
const VUL_INFO: &[&str] = &[
    "Name",
    "Tags",
    "CVSSV3Score",
    "Level",
    "CVEID",
    "Category",
    "FoundTime",
    "LatestFoundTime",
    "ID",
    "LocalImageCount",
    "ContainerCount",
    "RegistryImageCount",
    "PocID",
    "DefenceStatus",
    "DefenceScope",
    "DefenceHostCount",
    "DefendedCount",
    "RaspOpenNodeCount",
    "RaspClosedNodeCount",
];

/// `VulAffectedRegistryImageInfo`.
const VUL_AFFECTED_REGISTRY_IMAGE_INFO: &[&str] = &[
    "ImageID",
    "ImageName",
    "ImageTag",
    "Namespace",
    "ImageRepoAddress",
    "ComponentList",
    "IsLatestImage",
    "ImageAssetId",
];

/// `NamespaceInfo`.
const NAMESPACE_INFO: &[&str] = &["Namespace", "RegistryCnt", "ImageCnt", "RiskImageCnt"];

/// The answers of the actions that answer nothing but their request id.
const REQUEST_ID_ONLY: &[&str] = &["RequestId"];

/// `DescribeImageRegistryTimingScanTaskResponse`.
const TIMING_SCAN_TASK: &[&str] = &[
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
];

/// Every paged list's answer (`List`, `TotalCount`).
const PAGED_LIST: &[&str] = &["List", "TotalCount", "RequestId"];

/// The same, in the order of the vulnerability-centred lists' models.
const COUNTED_LIST: &[&str] = &["TotalCount", "List", "RequestId"];

/// `CreateAssetImageRegistryScanTaskOneKeyResponse`.
const SCAN_CREATED: &[&str] = &["TaskID", "RequestId"];

/// `DescribeAssetImageRegistryScanStatusOneKeyResponse`.
const SCAN_STATUS: &[&str] = &[
    "ImageTotal",
    "ImageScanCnt",
    "ImageStatus",
    "SuccessCount",
    "RiskCount",
    "Schedule",
    "Status",
    "ScanRemainTime",
    "RequestId",
];

/// `DescribeAssetImageRegistryAssetStatusResponse`.
const SYNC_STATUS: &[&str] = &["Status", "Err", "LatestSyncSuccessTime", "RequestId"];

/// `DescribeImageRegistryNamespaceListResponse`.
const NAMESPACE_LIST: &[&str] = &[
    "TotalCount",
    "NamespaceList",
    "NamespaceDetail",
    "RequestId",
];

/// Members of a model.
type Members = &'static [&'static str];

/// An action, its answer's members, and the item members of its lists.
type ActionAnswer = (&'static str, Members, Vec<(&'static str, Members)>);

/// Each action's answer members, and the item members of its lists.
/// Every action `TcssClient` calls is here, and every list is named by a
/// constant above: `end2end/conformance/test_null_answers_match_sdk.py`
/// reads this table and holds it against the SDK's models.
fn answers() -> Vec<ActionAnswer> {
    vec![
        (
            "DescribeImageRegistryTimingScanTask",
            TIMING_SCAN_TASK,
            vec![("Images", IMAGE_INFO)],
        ),
        ("UpdateImageRegistryTimingScanTask", REQUEST_ID_ONLY, vec![]),
        (
            "DescribeAssetImageRegistryList",
            PAGED_LIST,
            vec![("List", IMAGE_REPO_INFO)],
        ),
        (
            "DescribeAssetImageRegistryVulList",
            PAGED_LIST,
            vec![("List", IMAGE_VUL)],
        ),
        (
            "DescribeSystemVulList",
            COUNTED_LIST,
            vec![("List", VUL_INFO)],
        ),
        ("DescribeWebVulList", COUNTED_LIST, vec![("List", VUL_INFO)]),
        (
            "DescribeVulRegistryImageList",
            COUNTED_LIST,
            vec![("List", VUL_AFFECTED_REGISTRY_IMAGE_INFO)],
        ),
        (
            "DescribeAssetImageRegistryVirusList",
            PAGED_LIST,
            vec![("List", IMAGE_VIRUS)],
        ),
        (
            "DescribeAssetImageRegistryRiskInfoList",
            PAGED_LIST,
            vec![("List", IMAGE_RISK)],
        ),
        (
            "CreateAssetImageRegistryScanTaskOneKey",
            SCAN_CREATED,
            vec![],
        ),
        (
            "DescribeAssetImageRegistryScanStatusOneKey",
            SCAN_STATUS,
            vec![("ImageStatus", IMAGE_PROGRESS)],
        ),
        (
            "ModifyAssetImageRegistryScanStopOneKey",
            REQUEST_ID_ONLY,
            vec![],
        ),
        ("SyncAssetImageRegistryAsset", REQUEST_ID_ONLY, vec![]),
        (
            "DescribeAssetImageRegistryRegistryList",
            PAGED_LIST,
            vec![("List", IMAGE_REPO_REGISTRY_INFO)],
        ),
        ("DescribeAssetImageRegistryAssetStatus", SYNC_STATUS, vec![]),
        (
            "DescribeImageRegistryNamespaceList",
            NAMESPACE_LIST,
            vec![("NamespaceDetail", NAMESPACE_INFO)],
        ),
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

/// A request from its JSON, as the API would take it.
fn from<T: serde::de::DeserializeOwned>(body: Value) -> T {
    serde_json::from_value(body).expect("a valid request")
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

        let vuls = tc
            .image_vulnerabilities(&from(json!({"Id": 3})))
            .await
            .expect("vulnerabilities");
        assert_eq!(vuls.total_count, 0);
        assert_eq!(vuls.list.len(), usize::from(nested));
        assert!(
            vuls.list
                .iter()
                .all(|v| v.cve_id.is_none() && v.level.is_none())
        );

        let system = tc
            .system_vulnerabilities(&from(json!({})))
            .await
            .expect("system vulnerabilities");
        assert_eq!(system.total_count, 0);
        assert_eq!(system.list.len(), usize::from(nested));
        assert!(
            system
                .list
                .iter()
                .all(|v| v.poc_id.is_none() && v.tags.is_empty())
        );

        let web = tc
            .web_vulnerabilities(&from(json!({})))
            .await
            .expect("web vulnerabilities");
        assert_eq!((web.total_count, web.list.len()), (0, usize::from(nested)));

        let affected = tc
            .vulnerability_images(&from(json!({"PocID": "pcmgr-1"})))
            .await
            .expect("affected images");
        assert_eq!(affected.total_count, 0);
        assert_eq!(affected.list.len(), usize::from(nested));
        assert!(
            affected
                .list
                .iter()
                .all(|i| i.image_asset_id.is_none() && i.component_list.is_empty())
        );

        let viruses = tc
            .image_viruses(&from(json!({"Id": 3})))
            .await
            .expect("viruses");
        assert_eq!(viruses.list.len(), usize::from(nested));
        assert!(
            viruses
                .list
                .iter()
                .all(|v| v.path.is_none() && v.tags.is_empty())
        );

        let risks = tc
            .image_risks(&from(json!({"Id": 3})))
            .await
            .expect("risks");
        assert_eq!(risks.list.len(), usize::from(nested));
        assert!(
            risks
                .list
                .iter()
                .all(|r| r.level.is_none() && r.r#type.is_none())
        );

        let registries = tc
            .describe_registries(&from(json!({})))
            .await
            .expect("registries");
        assert_eq!(registries.total_count, 0);
        assert_eq!(registries.list.len(), usize::from(nested));
        assert!(
            registries
                .list
                .iter()
                .all(|r| r.name.is_empty() && r.url.is_none())
        );

        let sync_status = tc
            .registry_sync_status(&from(json!({})))
            .await
            .expect("sync status");
        assert!(sync_status.status.is_none() && sync_status.latest_sync_success_time.is_none());

        let namespaces = tc
            .describe_namespaces(&from(json!({})))
            .await
            .expect("namespaces");
        assert!(namespaces.namespace_list.is_empty());
        assert_eq!(namespaces.namespace_detail.len(), usize::from(nested));
        assert!(
            namespaces
                .namespace_detail
                .iter()
                .all(|n| n.namespace.is_empty())
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
