//! Tencent Cloud TCSS (API 2020-11-01) types, in the service's PascalCase.

use crate::macros::wire_enum;
use crate::validate::FieldError;
use serde::{Deserialize, Serialize};

mod findings;
mod image_risks;
mod registries;
mod vulnerabilities;
pub use findings::*;
pub use image_risks::*;
pub use registries::*;
pub use vulnerabilities::*;

pub const VERSION: &str = "2020-11-01";
pub const SERVICE: &str = "tcss";
pub const DEFAULT_HOST: &str = "tcss.tencentcloudapi.com";

wire_enum! {
    /// What a scan looks for.
    ScanType { Cve = "CVE", Virus = "VIRUS", Risk = "RISK" }
}

/// Registry kinds Tencent documents (`RegistryType`). The set is open:
/// a kind not listed here is kept and sent back as it came, never refused.
pub const KNOWN_REGISTRY_TYPES: &[&str] = &[
    "tcr",
    "ccr",
    "harbor",
    "quay",
    "jfrog",
    "aws",
    "azure",
    "other-tcr",
];

/// Image scan states as TCSS reports them (`ScanStatus` of an image, of an
/// image's progress, and `Status` of a one-key scan). Kept as text in the
/// answers: a state added later still shows.
pub mod scan_status {
    pub const NOT_SCAN: &str = "NOT_SCAN";
    pub const SCANNING: &str = "SCANNING";
    pub const SCANNED: &str = "SCANNED";
    pub const SCAN_ERR: &str = "SCAN_ERR";
    pub const CANCELED: &str = "CANCELED";
}

/// `RegistryType` values of a request: any kind, as long as it is a
/// plausible name (the set is open, see [`KNOWN_REGISTRY_TYPES`]).
fn validate_registry_types(field: &str, kinds: Option<&Vec<String>>) -> Result<(), FieldError> {
    for (i, kind) in kinds.into_iter().flatten().enumerate() {
        let name = format!("{field}[{i}]");
        crate::validate::str_len(&name, kind, 1, 64)?;
        crate::validate::no_control_chars(&name, kind)?;
    }
    Ok(())
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
    /// `HH:MM` or `HH:MM:SS`, kept as the service sent it.
    pub scan_time: String,
    /// Days between runs.
    pub scan_period: i64,
    pub scan_type: Vec<String>,
    pub all: bool,
    pub images: Vec<ImageInfo>,
    pub id: Vec<i64>,
    pub latest: bool,
    /// `HH:MM` or `HH:MM:SS`, kept as the service sent it.
    pub scan_end_time: Option<String>,
    /// An open set: unknown kinds are kept.
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
    /// Any kind, known or not (an open set), sent as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_type: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_image_asset_ids: Option<Vec<i64>>,
}

/// `HH:MM` or `HH:MM:SS` on a 24-hour clock. Tencent's own examples use
/// `HH:MM` (`"18:10"`) and its answers may carry seconds: both are kept
/// as written, never converted.
pub fn validate_clock_time(field: &str, value: &str) -> Result<(), FieldError> {
    let parts: Vec<&str> = value.split(':').collect();
    let ok = matches!(parts.len(), 2 | 3)
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0] < "24"
        && parts[1..].iter().all(|p| *p < "60");
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("must be a time of day as HH:MM or HH:MM:SS (got {value:?})"),
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
        validate_scan_scope(self.scan_scope)?;
        if self.scan_type.as_ref().is_some_and(Vec::is_empty) {
            return Err(FieldError::new(
                "ScanType",
                "choose at least one of CVE, VIRUS, RISK",
            ));
        }
        validate_registry_types("RegistryType", self.registry_type.as_ref())?;
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

/// `ScanScope`: 0 all images, 1 chosen images, 2 recommended.
fn validate_scan_scope(scope: Option<i64>) -> Result<(), FieldError> {
    match scope {
        Some(scope) if !(0..=2).contains(&scope) => Err(FieldError::new(
            "ScanScope",
            format!("must be 0 (all images), 1 (chosen images) or 2 (recommended) (got {scope})"),
        )),
        _ => Ok(()),
    }
}

/// A filter of the TCSS list calls.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AssetFilter {
    pub name: String,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact_match: Option<bool>,
}

/// The value of a list filter meaning "any" (`IsAuthorized`, `ScanStatus`,
/// `RepoType`, `SecurityRisk`, …).
pub const FILTER_ALL: &str = "all";

pub(crate) fn validate_filters(
    field: &str,
    filters: Option<&Vec<AssetFilter>>,
) -> Result<(), FieldError> {
    for (i, f) in filters.into_iter().flatten().enumerate() {
        crate::validate::str_len(&format!("{field}[{i}].Name"), &f.name, 1, 64)?;
        if f.values.is_empty() {
            return Err(FieldError::new(
                format!("{field}[{i}].Values"),
                "give at least one value",
            ));
        }
        // The one filter whose values Tencent enumerates: all, 0 or 1.
        if f.name == "IsAuthorized"
            && let Some(bad) = f
                .values
                .iter()
                .find(|v| !matches!(v.as_str(), FILTER_ALL | "0" | "1"))
        {
            return Err(FieldError::new(
                format!("{field}[{i}].Values"),
                format!("IsAuthorized is all, 0 (not authorized) or 1 (authorized) (got {bad:?})"),
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
    /// Sort order of TCSS lists, as documented: lower case.
    SortOrder { Asc = "asc", Desc = "desc" }
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
    pub critical_level_vul_cnt: Option<i64>,
    pub high_level_vul_cnt: Option<i64>,
    pub medium_level_vul_cnt: Option<i64>,
    pub low_level_vul_cnt: Option<i64>,
    /// Has a vulnerability Tencent marks as must-fix.
    pub has_need_fix_vul: Option<bool>,
    /// 0 not authorized, 1 authorized.
    pub is_authorized: Option<i64>,
    /// Why the last scan's vulnerability, virus or risk part failed.
    pub scan_vul_error: Option<String>,
    pub scan_virus_error: Option<String>,
    pub scan_risk_error: Option<String>,
}

impl RegistryImage {
    /// Why the last scan failed: the first error the service gave.
    pub fn scan_error(&self) -> Option<&str> {
        [
            &self.scan_vul_error,
            &self.scan_virus_error,
            &self.scan_risk_error,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .find(|e| !e.is_empty())
    }
}

/// `CreateAssetImageRegistryScanTaskOneKey` request. Scanport scans with
/// the one-key family only: its `TaskID` is what
/// `DescribeAssetImageRegistryScanStatusOneKey` and
/// `ModifyAssetImageRegistryScanStopOneKey` take.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct CreateRegistryScanRequest {
    /// Deprecated by Tencent in favour of `ScanScope: 0`; still honoured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<ImageInfo>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_type: Option<Vec<ScanType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Vec<i64>>,
    /// Image asset ids left out of an all-images scan.
    #[serde(
        default,
        rename = "ExcludeIDs",
        skip_serializing_if = "Option::is_none"
    )]
    pub exclude_ids: Option<Vec<i64>>,
    /// Only the latest version of each image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_latest: Option<bool>,
    /// 0 all images, 1 chosen images, 2 recommended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_scope: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_type: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_running: Option<bool>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
}

/// Whether `ids` or `images` name at least one image.
fn chosen(ids: Option<&Vec<i64>>, images: Option<&Vec<ImageInfo>>) -> bool {
    ids.is_some_and(|v| !v.is_empty()) || images.is_some_and(|v| !v.is_empty())
}

fn validate_ids(field: &str, ids: Option<&Vec<i64>>) -> Result<(), FieldError> {
    if ids.into_iter().flatten().any(|id| *id < 0) {
        return Err(FieldError::new(field, "image ids are non-negative"));
    }
    Ok(())
}

impl CreateRegistryScanRequest {
    /// Whether this scans every image (or the recommended ones) rather
    /// than chosen ones.
    pub fn is_wide(&self) -> bool {
        matches!(self.scan_scope, Some(0 | 2))
            || (self.scan_scope.is_none() && self.all == Some(true))
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_scan_scope(self.scan_scope)?;
        if !self.is_wide() && !chosen(self.id.as_ref(), self.images.as_ref()) {
            return Err(FieldError::new(
                "Id",
                "choose images (Id or Images), or set ScanScope to 0 (all images) or 2 (recommended)",
            ));
        }
        if self.scan_type.as_ref().is_some_and(Vec::is_empty) {
            return Err(FieldError::new(
                "ScanType",
                "choose at least one of CVE, VIRUS, RISK",
            ));
        }
        validate_ids("Id", self.id.as_ref())?;
        validate_ids("ExcludeIDs", self.exclude_ids.as_ref())?;
        validate_registry_types("RegistryType", self.registry_type.as_ref())?;
        for (i, ns) in self.namespace.iter().flatten().enumerate() {
            crate::validate::str_len(&format!("Namespace[{i}]"), ns, 1, 128)?;
        }
        crate::validate::opt_range("Timeout", self.timeout, 1, 24 * 3600)
    }
}

/// `CreateAssetImageRegistryScanTaskOneKey` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateRegistryScanResponse {
    #[serde(rename = "TaskID")]
    pub task_id: Option<i64>,
    pub request_id: Option<String>,
}

/// `ModifyAssetImageRegistryScanStopOneKey` request: stops a one-key scan,
/// named by `TaskID`, or the scanning of chosen images, or everything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct StopRegistryScanRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<ImageInfo>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Vec<i64>>,
    #[serde(default, rename = "TaskID", skip_serializing_if = "Option::is_none")]
    pub task_id: Option<i64>,
}

impl StopRegistryScanRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        // Stopping nothing in particular would stop whatever runs: the
        // caller must say what.
        if self.task_id.is_none()
            && self.all != Some(true)
            && !chosen(self.id.as_ref(), self.images.as_ref())
        {
            return Err(FieldError::new(
                "TaskID",
                "name the scan (TaskID), its images (Id or Images), or set All",
            ));
        }
        validate_ids("Id", self.id.as_ref())?;
        crate::validate::opt_range("TaskID", self.task_id, 0, i64::MAX)
    }
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
    /// Images found safe (scanned, nothing found).
    pub success_count: i64,
    /// Images found at risk.
    pub risk_count: i64,
    /// Percent.
    pub schedule: i64,
    /// `SCANNING`, `SCANNED`, `CANCELED`, … (see [`scan_status`]).
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

impl Acknowledged {
    /// The answer paired with its request id, as the audit log keeps it.
    pub fn with_id(self) -> (Self, Option<String>) {
        let id = self.request_id.clone();
        (self, id)
    }
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
    fn times_of_day_are_hh_mm_or_hh_mm_ss_and_kept_as_written() {
        for ok in ["00:00", "18:10", "23:59", "03:00:00", "23:59:59"] {
            assert!(validate_clock_time("ScanTime", ok).is_ok(), "{ok}");
        }
        for bad in [
            "24:00",
            "3:00",
            "03:60",
            "03:00:60",
            "03",
            "03:00:00:00",
            "",
            "ab:cd",
        ] {
            assert!(validate_clock_time("ScanTime", bad).is_err(), "{bad}");
        }
        let mut r = valid();
        r.scan_time = "18:10".into();
        r.scan_end_time = Some("19:45".into());
        assert!(r.validate().is_ok());
        let json = serde_json::to_value(&r).expect("serialises");
        assert_eq!(json["ScanTime"], "18:10");
        assert_eq!(json["ScanEndTime"], "19:45");
        r.scan_end_time = Some("19:45:61".into());
        assert_eq!(r.validate().unwrap_err().field, "ScanEndTime");
    }

    #[test]
    fn registry_kinds_are_an_open_set_kept_as_they_came() {
        let body =
            r#"{"Response": {"RegistryType": ["tcr", "quay", "brand-new"], "ScanTime": "18:10"}}"#;
        let parsed: Envelope<TimingScanTask> = serde_json::from_str(body).expect("parses");
        assert_eq!(parsed.response.registry_type, ["tcr", "quay", "brand-new"]);
        assert_eq!(parsed.response.scan_time, "18:10");
        let mut r = valid();
        r.registry_type = Some(parsed.response.registry_type.clone());
        assert!(r.validate().is_ok());
        let json = serde_json::to_value(&r).expect("serialises");
        assert_eq!(
            json["RegistryType"],
            serde_json::json!(["tcr", "quay", "brand-new"])
        );
        r.registry_type = Some(vec![String::new()]);
        assert_eq!(r.validate().unwrap_err().field, "RegistryType[0]");
    }

    #[test]
    fn image_list_order_and_documented_filters() {
        let req: DescribeRegistryImagesRequest = serde_json::from_value(serde_json::json!({
            "Order": "desc", "By": "ImageName",
            "Filters": [
                {"Name": "IsAuthorized", "Values": ["all"]},
                {"Name": "ScanStatus", "Values": ["all"]},
                {"Name": "RepoType", "Values": ["all"]},
                {"Name": "SecurityRisk", "Values": ["all"]}
            ]
        }))
        .expect("the documented names parse");
        assert_eq!(req.order, Some(SortOrder::Desc));
        assert!(req.validate().is_ok());
        assert_eq!(serde_json::to_value(&req).expect("ok")["Order"], "desc");
        // Upper case is not what Tencent documents.
        assert!(
            serde_json::from_value::<DescribeRegistryImagesRequest>(
                serde_json::json!({"Order": "DESC"})
            )
            .is_err()
        );
        let bad = DescribeRegistryImagesRequest {
            filters: Some(vec![AssetFilter {
                name: "IsAuthorized".into(),
                values: vec!["yes".into()],
                exact_match: None,
            }]),
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().field, "Filters[0].Values");
    }

    #[test]
    fn the_image_answer_keeps_severity_counts_and_authorization() {
        let body = r#"{"Response": {"List": [{"Id": 7, "ImageName": "a", "ImageTag": "1",
            "CriticalLevelVulCnt": 1, "HighLevelVulCnt": 2, "MediumLevelVulCnt": 3,
            "LowLevelVulCnt": 4, "HasNeedFixVul": true, "IsAuthorized": 1}], "TotalCount": 1}}"#;
        let parsed: Envelope<DescribeRegistryImagesResponse> =
            serde_json::from_str(body).expect("parses");
        let image = &parsed.response.list[0];
        assert_eq!(
            (
                image.critical_level_vul_cnt,
                image.high_level_vul_cnt,
                image.medium_level_vul_cnt,
                image.low_level_vul_cnt,
                image.has_need_fix_vul,
                image.is_authorized
            ),
            (Some(1), Some(2), Some(3), Some(4), Some(true), Some(1))
        );
        let again = serde_json::to_value(image).expect("serialises");
        assert_eq!(again["CriticalLevelVulCnt"], 1);
        assert_eq!(again["IsAuthorized"], 1);
    }

    #[test]
    fn one_key_scans_name_their_images_or_a_wide_scope() {
        let chosen = CreateRegistryScanRequest {
            id: Some(vec![11, 12]),
            exclude_ids: Some(vec![3]),
            ..Default::default()
        };
        assert!(chosen.validate().is_ok());
        assert_eq!(
            serde_json::to_value(&chosen).expect("ok"),
            serde_json::json!({"Id": [11, 12], "ExcludeIDs": [3]})
        );
        let all = CreateRegistryScanRequest {
            scan_scope: Some(0),
            registry_type: Some(vec!["quay".into()]),
            ..Default::default()
        };
        assert!(all.validate().is_ok() && all.is_wide());
        let deprecated_all = CreateRegistryScanRequest {
            all: Some(true),
            ..Default::default()
        };
        assert!(deprecated_all.validate().is_ok() && deprecated_all.is_wide());
        let field = |r: CreateRegistryScanRequest| r.validate().unwrap_err().field;
        assert_eq!(field(CreateRegistryScanRequest::default()), "Id");
        assert_eq!(
            field(CreateRegistryScanRequest {
                scan_scope: Some(1),
                ..Default::default()
            }),
            "Id"
        );
        assert_eq!(
            field(CreateRegistryScanRequest {
                scan_scope: Some(3),
                ..Default::default()
            }),
            "ScanScope"
        );
        assert_eq!(
            field(CreateRegistryScanRequest {
                id: Some(vec![-1]),
                ..Default::default()
            }),
            "Id"
        );
        assert_eq!(
            field(CreateRegistryScanRequest {
                all: Some(true),
                timeout: Some(0),
                ..Default::default()
            }),
            "Timeout"
        );
        // The retired family's fields are not this call's.
        assert!(
            serde_json::from_value::<CreateRegistryScanRequest>(
                serde_json::json!({"All": true, "OnlyScanLatest": true})
            )
            .is_err()
        );
    }

    #[test]
    fn a_stop_names_what_it_stops() {
        let by_task = StopRegistryScanRequest {
            task_id: Some(10_001),
            ..Default::default()
        };
        assert!(by_task.validate().is_ok());
        assert_eq!(
            serde_json::to_value(&by_task).expect("ok"),
            serde_json::json!({"TaskID": 10_001})
        );
        assert_eq!(
            StopRegistryScanRequest::default()
                .validate()
                .unwrap_err()
                .field,
            "TaskID"
        );
        let negative = StopRegistryScanRequest {
            task_id: Some(-1),
            ..Default::default()
        };
        assert_eq!(negative.validate().unwrap_err().field, "TaskID");
        let images = StopRegistryScanRequest {
            id: Some(vec![11]),
            ..Default::default()
        };
        assert!(images.validate().is_ok());
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
