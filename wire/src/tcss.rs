//! Tencent Cloud TCSS (API 2020-11-01) types, in the service's PascalCase.

use crate::macros::wire_enum;
use crate::validate::FieldError;
use serde::{Deserialize, Serialize};

pub const VERSION: &str = "2020-11-01";
pub const SERVICE: &str = "tcss";
pub const DEFAULT_HOST: &str = "tcss.tencentcloudapi.com";

wire_enum! {
    /// What a scan looks for.
    ScanType { Cve = "CVE", Virus = "VIRUS", Risk = "RISK" }
}

wire_enum! {
    /// Registry kinds a scheduled scan covers.
    RegistryType { Tcr = "tcr", Ccr = "ccr", Harbor = "harbor" }
}

/// An image named in a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImageInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_repo_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
}

/// `DescribeImageRegistryTimingScanTask` answer: the registry scan schedule.
/// Enumerations are kept as text so a new value from the service still shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TimingScanTask {
    pub enable: bool,
    /// `HH:MM:SS`.
    pub scan_time: String,
    /// Days between runs.
    pub scan_period: i64,
    pub scan_type: Vec<String>,
    pub all: bool,
    pub images: Vec<ImageInfo>,
    pub id: Vec<i64>,
    pub latest: bool,
    pub scan_end_time: Option<String>,
    pub registry_type: Vec<String>,
    pub container_running: bool,
    /// 0 all images, 1 chosen images, 2 recommended.
    pub scan_scope: i64,
    pub namespace: Vec<String>,
    pub exclude_image_asset_ids: Vec<i64>,
    pub last_scan_time: Option<String>,
    /// `Success`, `InsufficientLicense`, `ImageNeedIsEmpty`, `InternalError`.
    pub scan_result: Option<String>,
    pub request_id: Option<String>,
}

/// `UpdateImageRegistryTimingScanTask` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct UpdateTimingScanRequest {
    pub scan_period: i64,
    pub enable: bool,
    pub scan_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_type: Option<Vec<ScanType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<ImageInfo>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_running: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_scope: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_type: Option<Vec<RegistryType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_image_asset_ids: Option<Vec<i64>>,
}

/// `HH:MM:SS` on a 24-hour clock.
pub fn validate_clock_time(field: &str, value: &str) -> Result<(), FieldError> {
    let parts: Vec<&str> = value.split(':').collect();
    let ok = parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0] < "24"
        && parts[1] < "60"
        && parts[2] < "60";
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("must be a time of day as HH:MM:SS (got {value:?})"),
        ))
    }
}

impl UpdateTimingScanRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(1..=365).contains(&self.scan_period) {
            return Err(FieldError::new(
                "ScanPeriod",
                format!("must be 1 to 365 days (got {})", self.scan_period),
            ));
        }
        validate_clock_time("ScanTime", &self.scan_time)?;
        if let Some(end) = &self.scan_end_time {
            validate_clock_time("ScanEndTime", end)?;
        }
        if let Some(scope) = self.scan_scope
            && !(0..=2).contains(&scope)
        {
            return Err(FieldError::new(
                "ScanScope",
                format!(
                    "must be 0 (all images), 1 (chosen images) or 2 (recommended) (got {scope})"
                ),
            ));
        }
        if self.scan_type.as_ref().is_some_and(Vec::is_empty) {
            return Err(FieldError::new(
                "ScanType",
                "choose at least one of CVE, VIRUS, RISK",
            ));
        }
        if self.scan_scope == Some(1)
            && self.images.as_ref().is_none_or(Vec::is_empty)
            && self.id.as_ref().is_none_or(Vec::is_empty)
        {
            return Err(FieldError::new(
                "Images",
                "a scan of chosen images needs Images or Id",
            ));
        }
        Ok(())
    }
}

/// A filter of the TCSS list and scan calls.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AssetFilter {
    pub name: String,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact_match: Option<bool>,
}

fn validate_filters(field: &str, filters: Option<&Vec<AssetFilter>>) -> Result<(), FieldError> {
    for (i, f) in filters.into_iter().flatten().enumerate() {
        crate::validate::str_len(&format!("{field}[{i}].Name"), &f.name, 1, 64)?;
        if f.values.is_empty() {
            return Err(FieldError::new(
                format!("{field}[{i}].Values"),
                "give at least one value",
            ));
        }
    }
    Ok(())
}

/// `DescribeAssetImageRegistryList` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct DescribeRegistryImagesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AssetFilter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_show_latest: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_running: Option<bool>,
}

wire_enum! {
    /// Sort order of TCSS lists.
    SortOrder { Asc = "ASC", Desc = "DESC" }
}

impl DescribeRegistryImagesRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        crate::validate::opt_range("Limit", self.limit, 1, 100)?;
        crate::validate::opt_range("Offset", self.offset, 0, i64::from(i32::MAX))?;
        crate::validate::opt_str_len("By", self.by.as_deref(), 1, 64)?;
        validate_filters("Filters", self.filters.as_ref())
    }
}

/// `DescribeAssetImageRegistryList` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeRegistryImagesResponse {
    pub list: Vec<RegistryImage>,
    pub total_count: i64,
    pub request_id: Option<String>,
}

/// One registry image (a subset of the service's `ImageRepoInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RegistryImage {
    pub id: i64,
    pub image_digest: Option<String>,
    pub image_repo_address: Option<String>,
    pub registry_type: Option<String>,
    pub image_name: String,
    pub image_tag: String,
    pub image_size: Option<i64>,
    pub scan_time: Option<String>,
    pub scan_status: Option<String>,
    pub vul_cnt: Option<i64>,
    pub virus_cnt: Option<i64>,
    pub risk_cnt: Option<i64>,
    pub instance_id: Option<String>,
    pub instance_name: Option<String>,
    pub namespace: Option<String>,
    pub is_latest_image: Option<bool>,
    pub is_running: Option<bool>,
}

/// `CreateAssetImageRegistryScanTask` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct CreateRegistryScanRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<ImageInfo>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_type: Option<Vec<ScanType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AssetFilter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_image_list: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_scan_latest: Option<bool>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
}

impl CreateRegistryScanRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        let chosen = self.images.as_ref().is_some_and(|v| !v.is_empty())
            || self.id.as_ref().is_some_and(|v| !v.is_empty());
        if self.all != Some(true) && !chosen {
            return Err(FieldError::new(
                "Id",
                "choose images (Id or Images), or set All",
            ));
        }
        if self.scan_type.as_ref().is_some_and(Vec::is_empty) {
            return Err(FieldError::new(
                "ScanType",
                "choose at least one of CVE, VIRUS, RISK",
            ));
        }
        for (field, ids) in [
            ("Id", &self.id),
            ("ExcludeImageList", &self.exclude_image_list),
        ] {
            if ids.iter().flatten().any(|id| *id < 0) {
                return Err(FieldError::new(field, "image ids are non-negative"));
            }
        }
        crate::validate::opt_range("Timeout", self.timeout, 1, 24 * 3600)?;
        validate_filters("Filters", self.filters.as_ref())
    }
}

/// `CreateAssetImageRegistryScanTask` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateRegistryScanResponse {
    #[serde(rename = "TaskID")]
    pub task_id: Option<i64>,
    pub request_id: Option<String>,
}

/// `DescribeAssetImageRegistryScanStatusOneKey` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct RegistryScanStatusRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<ImageInfo>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Vec<i64>>,
    #[serde(default, rename = "TaskID", skip_serializing_if = "Option::is_none")]
    pub task_id: Option<i64>,
}

impl RegistryScanStatusRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.id.iter().flatten().any(|id| *id < 0) {
            return Err(FieldError::new("Id", "image ids are non-negative"));
        }
        crate::validate::opt_range("TaskID", self.task_id, 0, i64::MAX)
    }
}

/// `DescribeAssetImageRegistryScanStatusOneKey` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RegistryScanStatus {
    pub image_total: i64,
    pub image_scan_cnt: i64,
    pub image_status: Vec<ImageProgress>,
    pub success_count: i64,
    pub risk_count: i64,
    /// Percent.
    pub schedule: i64,
    pub status: Option<String>,
    pub scan_remain_time: Option<i64>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImageProgress {
    pub image_id: Option<String>,
    pub registry_type: Option<String>,
    pub image_repo_address: Option<String>,
    pub instance_id: Option<String>,
    pub instance_name: Option<String>,
    pub namespace: Option<String>,
    pub image_name: Option<String>,
    pub image_tag: Option<String>,
    pub scan_status: Option<String>,
    pub cve_progress: Option<i64>,
    pub risk_progress: Option<i64>,
    pub virus_progress: Option<i64>,
}

/// `SyncAssetImageRegistryAsset` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct SyncRegistryAssetsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_ids: Option<Vec<i64>>,
}

impl SyncRegistryAssetsRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        let chosen = self.registry_ids.as_ref().is_some_and(|v| !v.is_empty());
        if self.all != Some(true) && !chosen {
            return Err(FieldError::new(
                "RegistryIds",
                "choose registries, or set All",
            ));
        }
        if self.registry_ids.iter().flatten().any(|id| *id < 0) {
            return Err(FieldError::new(
                "RegistryIds",
                "registry ids are non-negative",
            ));
        }
        Ok(())
    }
}

/// `{"Response": {...}}`, the envelope of every TCSS answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Envelope<T> {
    pub response: T,
}

/// `Response.Error`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// The fields every answer carries.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Common {
    pub error: Option<ErrorBody>,
    pub request_id: Option<String>,
}

/// An answer with nothing but its request id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Acknowledged {
    pub request_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> UpdateTimingScanRequest {
        UpdateTimingScanRequest {
            scan_period: 1,
            enable: true,
            scan_time: "03:00:00".into(),
            scan_type: Some(vec![ScanType::Cve, ScanType::Virus]),
            ..Default::default()
        }
    }

    #[test]
    fn update_serialises_with_the_services_names() {
        let json = serde_json::to_value(valid()).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"ScanPeriod": 1, "Enable": true, "ScanTime": "03:00:00", "ScanType": ["CVE", "VIRUS"]})
        );
    }

    #[test]
    fn update_validation_names_the_field() {
        assert!(valid().validate().is_ok());
        let mut r = valid();
        r.scan_time = "25:00:00".into();
        assert_eq!(r.validate().unwrap_err().field, "ScanTime");
        let mut r = valid();
        r.scan_period = 0;
        assert_eq!(r.validate().unwrap_err().field, "ScanPeriod");
        let mut r = valid();
        r.scan_scope = Some(3);
        assert_eq!(r.validate().unwrap_err().field, "ScanScope");
        let mut r = valid();
        r.scan_scope = Some(1);
        assert_eq!(r.validate().unwrap_err().field, "Images");
    }

    #[test]
    fn describe_answer_parses_tolerantly() {
        let body = r#"{"Response": {"Enable": true, "ScanTime": "03:00:00", "ScanPeriod": 1,
            "ScanType": ["CVE", "NEWKIND"], "All": true, "Brand": "new", "RequestId": "r-1"}}"#;
        let parsed: Envelope<TimingScanTask> = serde_json::from_str(body).expect("parses");
        assert_eq!(parsed.response.scan_type, vec!["CVE", "NEWKIND"]);
        assert_eq!(parsed.response.request_id.as_deref(), Some("r-1"));
    }
}
