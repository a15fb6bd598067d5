//! TCSS's connected registries: the list
//! (`DescribeAssetImageRegistryRegistryList`), the progress of a registry
//! asset sync (`DescribeAssetImageRegistryAssetStatus`) and the namespaces
//! the registries hold (`DescribeImageRegistryNamespaceList`), with the SDK
//! models' field names.

use super::{AssetFilter, SortOrder, validate_filters};
use crate::validate::{FieldError, opt_range, opt_str_len};
use serde::{Deserialize, Serialize};

/// States of a registry asset sync as `DescribeAssetImageRegistryAssetStatus`
/// reports them (and, in the sandbox, each registry's `SyncStatus`). Kept
/// as text in the answers: a state added later still shows.
pub mod sync_status {
    pub const DOING: &str = "doing";
    pub const SUCCESS: &str = "success";
    pub const FAILED: &str = "failed";
}

/// `DescribeAssetImageRegistryRegistryList` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct DescribeRegistriesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    /// `IsAuthorized`: `all`, `0` or `1`, as for the image list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AssetFilter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
}

impl DescribeRegistriesRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        opt_range("Limit", self.limit, 1, 100)?;
        opt_range("Offset", self.offset, 0, i64::from(i32::MAX))?;
        opt_str_len("By", self.by.as_deref(), 1, 64)?;
        validate_filters("Filters", self.filters.as_ref())
    }
}

/// `DescribeAssetImageRegistryRegistryList` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeRegistriesResponse {
    pub list: Vec<TcssRegistry>,
    pub total_count: i64,
    pub request_id: Option<String>,
}

/// One connected registry (the SDK's `ImageRepoRegistryInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TcssRegistry {
    pub registry_id: i64,
    pub name: String,
    /// An open set (`tcr`, `harbor`, …), kept as it came.
    pub registry_type: Option<String>,
    pub url: Option<String>,
    pub net_type: Option<String>,
    pub registry_region: Option<String>,
    pub registry_version: Option<String>,
    /// Deprecated by Tencent for `ConnDetectDetail`; still shown when sent.
    pub connect_msg: Option<String>,
    pub conn_detect_type: Option<String>,
    pub conn_detect_host_count: Option<i64>,
    pub conn_detect_detail: Vec<ConnDetectResult>,
    #[serde(rename = "InstanceID")]
    pub instance_id: Option<String>,
    /// The last successful sync, `YYYY-MM-DD HH:MM:SS` (UTC+8).
    pub latest_sync_time: Option<String>,
    /// See [`sync_status`]; other values are kept.
    pub sync_status: Option<String>,
    pub sync_fail_reason: Option<String>,
    pub sync_solution: Option<String>,
    pub sync_message: Option<String>,
    /// 0 full, 1 incremental.
    pub sync_mode: Option<i64>,
}

/// The outcome of a registry connection check (`RegistryConnDetectResult`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConnDetectResult {
    pub quuid: Option<String>,
    pub uuid: Option<String>,
    pub conn_detect_status: Option<String>,
    pub conn_detect_message: Option<String>,
    pub solution: Option<String>,
    pub fail_reason: Option<String>,
}

/// `DescribeAssetImageRegistryAssetStatus` request: it takes no field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySyncStatusRequest {}

impl RegistrySyncStatusRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        Ok(())
    }
}

/// `DescribeAssetImageRegistryAssetStatus` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RegistrySyncStatus {
    /// `doing`, `success` or `failed` (see [`sync_status`]).
    pub status: Option<String>,
    pub err: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS` (UTC+8).
    pub latest_sync_success_time: Option<String>,
    pub request_id: Option<String>,
}

impl RegistrySyncStatus {
    /// Whether a sync still runs (worth asking again soon).
    pub fn running(&self) -> bool {
        self.status.as_deref() == Some(sync_status::DOING)
    }
}

/// The one filter `DescribeImageRegistryNamespaceList` documents.
pub const NAMESPACE_FILTER: &str = "Namespace";

/// `DescribeImageRegistryNamespaceList` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct DescribeNamespacesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Only `Namespace` (a name to look for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AssetFilter>>,
}

impl DescribeNamespacesRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        opt_range("Offset", self.offset, 0, i64::from(i32::MAX))?;
        opt_range("Limit", self.limit, 1, 100)?;
        validate_filters("Filters", self.filters.as_ref())?;
        for (i, f) in self.filters.iter().flatten().enumerate() {
            if f.name != NAMESPACE_FILTER {
                return Err(FieldError::new(
                    format!("Filters[{i}].Name"),
                    format!(
                        "the namespace list filters by Namespace only (got {:?})",
                        f.name
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// `DescribeImageRegistryNamespaceList` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NamespaceList {
    pub total_count: i64,
    pub namespace_list: Vec<String>,
    pub namespace_detail: Vec<NamespaceInfo>,
    pub request_id: Option<String>,
}

/// A namespace with its counts (`NamespaceInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NamespaceInfo {
    pub namespace: String,
    pub registry_cnt: Option<i64>,
    pub image_cnt: Option<i64>,
    pub risk_image_cnt: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn registry_list_requests_check_the_documented_limits() {
        let ok: DescribeRegistriesRequest = serde_json::from_value(json!({
            "Limit": 100, "Offset": 0, "By": "Name", "Order": "asc",
            "Filters": [{"Name": "IsAuthorized", "Values": ["1"]}]
        }))
        .expect("the SDK's names parse");
        assert!(ok.validate().is_ok());
        let field = |v| {
            serde_json::from_value::<DescribeRegistriesRequest>(v)
                .expect("parses")
                .validate()
                .unwrap_err()
                .field
        };
        assert_eq!(field(json!({"Limit": 101})), "Limit");
        assert_eq!(field(json!({"Offset": -1})), "Offset");
        assert_eq!(
            field(json!({"Filters": [{"Name": "IsAuthorized", "Values": ["2"]}]})),
            "Filters[0].Values"
        );
        assert!(
            serde_json::from_value::<DescribeRegistriesRequest>(json!({"Order": "up"})).is_err()
        );
        assert!(serde_json::from_value::<DescribeRegistriesRequest>(json!({"limit": 1})).is_err());
    }

    #[test]
    fn the_sync_status_takes_nothing_and_reports_doing_success_failed() {
        assert!(serde_json::from_value::<RegistrySyncStatusRequest>(json!({})).is_ok());
        assert!(serde_json::from_value::<RegistrySyncStatusRequest>(json!({"All": true})).is_err());
        let body =
            json!({"Status": "doing", "Err": null, "LatestSyncSuccessTime": "2026-12-05 10:00:00"});
        let status: RegistrySyncStatus = serde_json::from_value(body).expect("parses");
        assert!(status.running());
        assert_eq!(status.err, None);
    }

    #[test]
    fn namespace_lists_filter_by_namespace_only() {
        let ok = DescribeNamespacesRequest {
            limit: Some(100),
            filters: Some(vec![AssetFilter {
                name: NAMESPACE_FILTER.into(),
                values: vec!["pay".into()],
                exact_match: None,
            }]),
            ..Default::default()
        };
        assert!(ok.validate().is_ok());
        let mut bad = ok.clone();
        bad.filters.as_mut().expect("set")[0].name = "ImageName".into();
        assert_eq!(bad.validate().unwrap_err().field, "Filters[0].Name");
        bad.limit = Some(0);
        assert_eq!(bad.validate().unwrap_err().field, "Limit");
    }

    #[test]
    fn a_registry_keeps_the_sdk_names() {
        let body = json!({"RegistryId": 3, "Name": "harbor-prod", "RegistryType": "harbor",
            "InstanceID": "ins-1", "SyncStatus": "failed", "SyncFailReason": "auth",
            "ConnDetectDetail": [{"ConnDetectStatus": "failed", "FailReason": "timeout"}]});
        let r: TcssRegistry = serde_json::from_value(body).expect("parses");
        assert_eq!(r.instance_id.as_deref(), Some("ins-1"));
        assert_eq!(
            r.conn_detect_detail[0].fail_reason.as_deref(),
            Some("timeout")
        );
        let again = serde_json::to_value(&r).expect("serialises");
        assert_eq!(again["InstanceID"], "ins-1");
        assert_eq!(again["SyncFailReason"], "auth");
    }
}
