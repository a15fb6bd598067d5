//! Tencent Cloud TCSS (API 2020-11-01) types, in the service's PascalCase.

use crate::validate::FieldError;
use serde::{Deserialize, Serialize};

pub const VERSION: &str = "2020-11-01";
pub const SERVICE: &str = "tcss";
pub const DEFAULT_HOST: &str = "tcss.tencentcloudapi.com";

/// What a scheduled scan looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScanType {
    #[serde(rename = "CVE")]
    Cve,
    #[serde(rename = "VIRUS")]
    Virus,
    #[serde(rename = "RISK")]
    Risk,
}

/// Registry kinds a scheduled scan covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegistryType {
    #[serde(rename = "tcr")]
    Tcr,
    #[serde(rename = "ccr")]
    Ccr,
    #[serde(rename = "harbor")]
    Harbor,
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
#[serde(rename_all = "PascalCase")]
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
