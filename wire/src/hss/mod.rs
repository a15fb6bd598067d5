//! Huawei Cloud HSS (API v5) image APIs: request and response types with
//! the service's snake_case names, and the documented limits.

mod findings;
mod image_findings;
mod images;
mod policy;
mod registries;
mod registry_images;
mod scan;
mod tasks;
mod vulnerabilities;

pub use findings::*;
pub use image_findings::*;
pub use images::*;
pub use policy::*;
pub use registries::*;
pub use registry_images::*;
pub use scan::*;
pub use tasks::*;
pub use vulnerabilities::*;

use crate::macros::wire_enum;
use crate::validate::{FieldError, no_control_chars, opt_str_len, str_len};

/// Upper bound of the time filters, in ms.
pub const MAX_TIME_MS: i64 = 4_070_880_000_000;

wire_enum! {
    /// Registry image kinds a scan or sync acts on.
    ImageType {
        PrivateImage = "private_image",
        SharedImage = "shared_image",
        InstanceImage = "instance_image",
    }
}

wire_enum! {
    /// `scan_status` of an SWR image (and the batch-scan filter).
    ScanStatus {
        Unscan = "unscan",
        Success = "success",
        Scanning = "scanning",
        Failed = "failed",
        DownloadFailed = "download_failed",
        ImageOversized = "image_oversized",
        WaitingForScan = "waiting_for_scan",
    }
}

wire_enum! {
    /// Kinds of connected registry.
    RegistryType {
        SwrPrivate = "SwrPrivate",
        SwrShared = "SwrShared",
        SwrEnterprise = "SwrEnterprise",
        Harbor = "Harbor",
        Jfrog = "Jfrog",
        Other = "Other",
    }
}

/// `enterprise_project_id`, common to every HSS call: 1..256 characters.
pub fn validate_enterprise_project_id(value: Option<&str>) -> Result<(), FieldError> {
    opt_str_len("enterprise_project_id", value, 1, 256)
}

/// A task id travels in a path segment: 1..256 characters, no control
/// characters, and never a dot segment that an HTTP client would resolve.
pub fn validate_task_id(task_id: &str) -> Result<(), FieldError> {
    str_len("task_id", task_id, 1, 256)?;
    no_control_chars("task_id", task_id)?;
    if task_id.contains('/') {
        return Err(FieldError::new("task_id", "must not contain \"/\""));
    }
    if task_id == "." || task_id == ".." {
        return Err(FieldError::new("task_id", "must not be \".\" or \"..\""));
    }
    Ok(())
}

/// The four image time filters (`start_/end_latest_update_time`,
/// `start_/end_latest_scan_time`), with an optional field-name prefix.
pub(crate) fn validate_image_times(
    prefix: &str,
    times: [Option<i64>; 4],
) -> Result<(), FieldError> {
    let [start_update, end_update, start_scan, end_scan] = times;
    validate_time_range(
        &format!("{prefix}start_latest_update_time"),
        start_update,
        &format!("{prefix}end_latest_update_time"),
        end_update,
    )?;
    validate_time_range(
        &format!("{prefix}start_latest_scan_time"),
        start_scan,
        &format!("{prefix}end_latest_scan_time"),
        end_scan,
    )
}

/// `start_…`/`end_…` time filters: each 0..MAX, start not after end.
fn validate_time_range(
    start_field: &str,
    start: Option<i64>,
    end_field: &str,
    end: Option<i64>,
) -> Result<(), FieldError> {
    crate::validate::opt_range(start_field, start, 0, MAX_TIME_MS)?;
    crate::validate::opt_range(end_field, end, 0, MAX_TIME_MS)?;
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(FieldError::new(
            start_field,
            format!("must not be after {end_field}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_and_line_breaks_are_not_task_ids() {
        assert!(validate_task_id("3f9a-77").is_ok());
        for bad in [
            "",
            ".",
            "..",
            "a\nb",
            "a\r\nX-Injected: 1",
            "../stop",
            "a/b",
        ] {
            assert_eq!(
                validate_task_id(bad).unwrap_err().field,
                "task_id",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn enumerations_round_trip_their_wire_names() {
        for status in ScanStatus::ALL {
            assert_eq!(ScanStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(RegistryType::parse("Jfrog"), Some(RegistryType::Jfrog));
        assert_eq!(RegistryType::parse("jfrog"), None);
    }
}
