//! Small helpers that turn the documented limits into errors naming the field.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A request field that breaks a documented rule: which one, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Checks a string's length in characters against `min..=max`.
pub fn str_len(field: &str, value: &str, min: usize, max: usize) -> Result<(), FieldError> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(FieldError::new(
            field,
            if min > 0 && len == 0 {
                "must not be empty".to_owned()
            } else {
                format!("must be {min} to {max} characters long (got {len})")
            },
        ));
    }
    Ok(())
}

/// Checks an optional string's length; absent is fine.
pub fn opt_str_len(
    field: &str,
    value: Option<&str>,
    min: usize,
    max: usize,
) -> Result<(), FieldError> {
    value.map_or(Ok(()), |v| str_len(field, v, min, max))
}

/// Checks an optional integer against `min..=max`; absent is fine.
pub fn opt_range(field: &str, value: Option<i64>, min: i64, max: i64) -> Result<(), FieldError> {
    match value {
        Some(v) if v < min || v > max => Err(FieldError::new(
            field,
            format!("must be between {min} and {max} (got {v})"),
        )),
        _ => Ok(()),
    }
}

/// Refuses control characters, which no upstream identifier contains and
/// which could only serve to smuggle line breaks into logs or headers.
pub fn no_control_chars(field: &str, value: &str) -> Result<(), FieldError> {
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(str_len("task_name", "同步任务", 1, 4).is_ok());
        let err = str_len("task_name", "同步任务!", 1, 4).unwrap_err();
        assert_eq!(err.field, "task_name");
        assert!(err.message.contains("1 to 4"), "{}", err.message);
    }

    #[test]
    fn empty_string_says_so() {
        let err = str_len("task_id", "", 1, 256).unwrap_err();
        assert_eq!(err.message, "must not be empty");
    }

    #[test]
    fn ranges_are_inclusive() {
        assert!(opt_range("limit", Some(10), 10, 200).is_ok());
        assert!(opt_range("limit", Some(200), 10, 200).is_ok());
        assert!(opt_range("limit", Some(9), 10, 200).is_err());
        assert!(opt_range("limit", Some(201), 10, 200).is_err());
        assert!(opt_range("limit", None, 10, 200).is_ok());
    }
}

/// A request that checks itself against the documented rules before it is
/// sent; the endpoint runner calls this for every request it forwards.
pub trait Validate {
    fn validate(&self) -> Result<(), FieldError>;
}

/// Implements [`Validate`] through each type's own `validate` method.
macro_rules! validated {
    ($($ty:ty),+ $(,)?) => {
        $(impl $crate::validate::Validate for $ty {
            fn validate(&self) -> Result<(), $crate::validate::FieldError> {
                <$ty>::validate(self)
            }
        })+
    };
}

validated!(
    crate::hss::ListTasksRequest,
    crate::hss::ListImagesRequest,
    crate::hss::ListRegistriesRequest,
    crate::hss::BatchScanRequest,
    crate::hss::SynchronizeRequest,
    crate::hss::ImageSyncTaskRequest,
    crate::hss::CreateScanTaskRequest,
    crate::hss::ScanPolicyRequest,
    crate::hss::UpdateScanPolicyRequest,
    crate::hss::ImageVulnerabilitiesRequest,
    crate::hss::ListRegistryImagesRequest,
    crate::hss::ListAssociateRegistriesRequest,
    crate::hss::ImageMalwareRequest,
    crate::hss::ImageSensitiveRequest,
    crate::hss::ImageRiskConfigsRequest,
    crate::hss::GeneralImageVulsRequest,
    crate::hss::VulRepoImageRequest,
    crate::tcss::UpdateTimingScanRequest,
    crate::tcss::DescribeRegistryImagesRequest,
    crate::tcss::CreateRegistryScanRequest,
    crate::tcss::StopRegistryScanRequest,
    crate::tcss::RegistryScanStatusRequest,
    crate::tcss::SyncRegistryAssetsRequest,
    crate::tcss::DescribeRegistriesRequest,
    crate::tcss::RegistrySyncStatusRequest,
    crate::tcss::DescribeNamespacesRequest,
    crate::tcss::ImageVulListRequest,
    crate::tcss::ImageVirusListRequest,
    crate::tcss::ImageRiskInfoListRequest,
    crate::tcss::VulListRequest,
    crate::tcss::VulRegistryImageListRequest,
    crate::vulnerabilities::AccountVulnerabilityFilter,
    crate::vulnerabilities::AffectedImagesQuery,
);
