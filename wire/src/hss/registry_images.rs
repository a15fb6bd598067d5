//! Images in connected registries (`ListRegistryImages`, `GET
//! /v5/{project_id}/image/registries/images`) and the registries an image
//! sync task touched (`ListAssociateRegistries`, `GET
//! /v5/{project_id}/image/image-sync/tasks/{task_id}/registries`). Field
//! names, enumerations and ranges are the SDK models' (huaweicloudsdkhss
//! 3.1.219: `ListRegistryImagesRequest`, `RegistryImagesInfo`,
//! `ListAssociateRegistriesRequest`, `AssociateRegistriesResponseInfo`).

use super::{RegistryType, ScanStatus, validate_enterprise_project_id, validate_task_id};
use crate::macros::wire_enum;
use crate::query::Query;
use crate::validate::{FieldError, opt_range, opt_str_len};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// `image_type` of a registry image (filter and field).
    RegistryImageType {
        PrivateImage = "private_image",
        SharedImage = "shared_image",
        InstanceImage = "instance_image",
        Harbor = "harbor",
        Jfrog = "jfrog",
    }
}

wire_enum! {
    /// `severity_level`: how risky a scanned image is.
    SeverityLevel { Security = "Security", Low = "Low", Medium = "Medium", High = "High" }
}

wire_enum! {
    /// `sort_key` of the registry image list: the only sortable field.
    RegistryImageSortKey { LatestScanTime = "latest_scan_time" }
}

wire_enum! {
    /// `sort_dir`: ascending (the service's default) or descending.
    SortDir { Asc = "asc", Desc = "desc" }
}

wire_enum! {
    /// `sync_status` of a registry in a sync task (filter and field).
    RegistrySyncStatus { Finished = "finished", Running = "running", Failed = "failed" }
}

/// The SDK's upper bound of the list's time filters (ms).
const MAX_FILTER_MS: i64 = i64::MAX;

/// `GET /v5/{project_id}/image/registries/images` query. Every field is
/// optional in the SDK model.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRegistryImagesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_type: Option<RegistryImageType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<RegistryImageSortKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_dir: Option<SortDir>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_status: Option<ScanStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_latest_update_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_latest_update_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_latest_scan_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_latest_scan_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_latest_sync_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_latest_sync_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_malicious_file: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_unsafe_setting: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_vul: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risky: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_multarch: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_level: Option<SeverityLevel>,
}

/// `start_…` ≤ `end_…`, each 0..max, naming the start field when reversed.
fn time_range(
    start_field: &str,
    start: Option<i64>,
    end_field: &str,
    end: Option<i64>,
) -> Result<(), FieldError> {
    opt_range(start_field, start, 0, MAX_FILTER_MS)?;
    opt_range(end_field, end, 0, MAX_FILTER_MS)?;
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

impl ListRegistryImagesRequest {
    /// The SDK model's documented ranges.
    pub fn validate(&self) -> Result<(), FieldError> {
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        opt_str_len("namespace", self.namespace.as_deref(), 1, 128)?;
        opt_str_len("image_name", self.image_name.as_deref(), 1, 128)?;
        opt_str_len("image_version", self.image_version.as_deref(), 1, 64)?;
        opt_str_len("registry_name", self.registry_name.as_deref(), 1, 128)?;
        opt_range("offset", self.offset, 0, 2_000_000)?;
        opt_range("limit", self.limit, 1, 200)?;
        opt_range("image_size", self.image_size, 0, 2_147_483_547)?;
        if let Some(s @ (ScanStatus::DownloadFailed | ScanStatus::ImageOversized)) =
            self.scan_status
        {
            return Err(FieldError::new(
                "scan_status",
                format!(
                    "{s} is not a filter of this list (unscan, success, scanning, failed or waiting_for_scan)"
                ),
            ));
        }
        time_range(
            "start_latest_update_time",
            self.start_latest_update_time,
            "end_latest_update_time",
            self.end_latest_update_time,
        )?;
        time_range(
            "start_latest_scan_time",
            self.start_latest_scan_time,
            "end_latest_scan_time",
            self.end_latest_scan_time,
        )?;
        time_range(
            "start_latest_sync_time",
            self.start_latest_sync_time,
            "end_latest_sync_time",
            self.end_latest_sync_time,
        )?;
        opt_str_len("instance_id", self.instance_id.as_deref(), 0, 128)?;
        opt_str_len("instance_name", self.instance_name.as_deref(), 0, 128)?;
        Ok(())
    }

    /// The query, in the order the SDK sends it.
    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("namespace", self.namespace.as_ref())
            .opt("image_name", self.image_name.as_ref())
            .opt("image_version", self.image_version.as_ref())
            .opt("registry_name", self.registry_name.as_ref())
            .opt("offset", self.offset)
            .opt("image_type", self.image_type)
            .opt("sort_key", self.sort_key)
            .opt("sort_dir", self.sort_dir)
            .opt("limit", self.limit)
            .opt("latest_version", self.latest_version)
            .opt("image_size", self.image_size)
            .opt("scan_status", self.scan_status)
            .opt("start_latest_update_time", self.start_latest_update_time)
            .opt("end_latest_update_time", self.end_latest_update_time)
            .opt("start_latest_scan_time", self.start_latest_scan_time)
            .opt("end_latest_scan_time", self.end_latest_scan_time)
            .opt("start_latest_sync_time", self.start_latest_sync_time)
            .opt("end_latest_sync_time", self.end_latest_sync_time)
            .opt("has_malicious_file", self.has_malicious_file)
            .opt("has_unsafe_setting", self.has_unsafe_setting)
            .opt("has_vul", self.has_vul)
            .opt("risky", self.risky)
            .opt("instance_id", self.instance_id.as_ref())
            .opt("instance_name", self.instance_name.as_ref())
            .opt("is_multarch", self.is_multarch)
            .opt("severity_level", self.severity_level)
            .into_pairs()
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListRegistryImagesResponse {
    pub total_num: i64,
    pub data_list: Vec<RegistryImageInfo>,
}

/// One image of a connected registry (`RegistryImagesInfo`). Enumerations
/// stay text, so a value the service adds still shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistryImageInfo {
    pub id: Option<i64>,
    pub namespace: String,
    pub image_name: String,
    pub image_id: Option<String>,
    pub image_digest: Option<String>,
    pub image_version: String,
    pub image_type: Option<String>,
    pub registry_id: Option<String>,
    pub registry_name: Option<String>,
    pub registry_type: Option<String>,
    pub latest_version: Option<bool>,
    pub scan_status: Option<String>,
    pub scan_failed_desc: Option<String>,
    pub scan_failed_code: Option<String>,
    pub image_size: Option<i64>,
    pub latest_update_time: Option<i64>,
    pub latest_scan_time: Option<i64>,
    pub latest_sync_time: Option<i64>,
    pub vul_num: Option<i64>,
    pub unsafe_setting_num: Option<i64>,
    pub malicious_file_num: Option<i64>,
    pub domain_name: Option<String>,
    pub shared_status: Option<String>,
    pub scannable: Option<bool>,
    pub is_multiple_arch: Option<bool>,
    pub instance_name: Option<String>,
    pub instance_id: Option<String>,
    pub instance_url: Option<String>,
    pub severity_level: Option<String>,
    pub association_images: Vec<RegistryAssociateImage>,
}

/// One architecture's image of a multi-arch registry image
/// (`AssociateImagesInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistryAssociateImage {
    pub id: Option<i64>,
    pub image_id: Option<String>,
    pub image_name: Option<String>,
    pub image_version: Option<String>,
    pub image_type: Option<String>,
    pub namespace: Option<String>,
    pub image_digest: Option<String>,
    pub scan_status: Option<String>,
    pub vul_num: Option<i64>,
    pub unsafe_setting_num: Option<i64>,
    pub malicious_file_num: Option<i64>,
}

/// `GET /v5/{project_id}/image/image-sync/tasks/{task_id}/registries`:
/// `task_id` is the path's, the rest the query.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListAssociateRegistriesRequest {
    pub task_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_name: Option<String>,
    /// Sent as a comma-separated list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registry_type: Vec<RegistryType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_status: Option<RegistrySyncStatus>,
}

impl ListAssociateRegistriesRequest {
    pub fn new(task_id: &str) -> Self {
        Self {
            task_id: task_id.to_owned(),
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        // A path segment: the SDK's 1..64 characters, and nothing a
        // client would resolve or a log would split.
        validate_task_id(&self.task_id)?;
        crate::validate::str_len("task_id", &self.task_id, 1, 64)?;
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        opt_str_len("registry_name", self.registry_name.as_deref(), 1, 128)?;
        opt_range("offset", self.offset, 0, 2_000_000)?;
        opt_range("limit", self.limit, 10, 200)?;
        Ok(())
    }

    /// The query (without `task_id`, which is the path's).
    pub fn query(&self) -> Vec<(String, String)> {
        let types = (!self.registry_type.is_empty()).then(|| {
            self.registry_type
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(",")
        });
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("registry_name", self.registry_name.as_ref())
            .opt("registry_type", types)
            .opt("offset", self.offset)
            .opt("limit", self.limit)
            .opt("sync_status", self.sync_status)
            .into_pairs()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListAssociateRegistriesResponse {
    pub data_list: Vec<AssociateRegistry>,
    pub total_num: i64,
}

/// One registry of a sync task and how its sync went
/// (`AssociateRegistriesResponseInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssociateRegistry {
    pub registry_id: Option<String>,
    pub registry_name: Option<String>,
    pub registry_type: Option<String>,
    /// `finished`, `running` or `failed`.
    pub sync_status: Option<String>,
    pub failed_reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_the_sdk_models() {
        let ok = ListRegistryImagesRequest {
            limit: Some(1),
            image_version: Some("v".repeat(64)),
            ..Default::default()
        };
        assert!(ok.validate().is_ok());
        let cases: [(ListRegistryImagesRequest, &str); 6] = [
            (
                ListRegistryImagesRequest {
                    limit: Some(201),
                    ..Default::default()
                },
                "limit",
            ),
            (
                ListRegistryImagesRequest {
                    limit: Some(0),
                    ..Default::default()
                },
                "limit",
            ),
            (
                ListRegistryImagesRequest {
                    image_version: Some("v".repeat(65)),
                    ..Default::default()
                },
                "image_version",
            ),
            (
                ListRegistryImagesRequest {
                    registry_name: Some(String::new()),
                    ..Default::default()
                },
                "registry_name",
            ),
            (
                ListRegistryImagesRequest {
                    scan_status: Some(ScanStatus::DownloadFailed),
                    ..Default::default()
                },
                "scan_status",
            ),
            (
                ListRegistryImagesRequest {
                    start_latest_sync_time: Some(2),
                    end_latest_sync_time: Some(1),
                    ..Default::default()
                },
                "start_latest_sync_time",
            ),
        ];
        for (req, field) in cases {
            assert_eq!(req.validate().unwrap_err().field, field, "{req:?}");
        }
    }

    #[test]
    fn the_query_uses_the_sdk_names_and_values() {
        let req: ListRegistryImagesRequest = serde_json::from_str(
            r#"{"registry_name": "Harbor (corp)", "severity_level": "High", "risky": true,
                "sort_key": "latest_scan_time", "sort_dir": "desc", "image_type": "harbor",
                "offset": 0, "limit": 50}"#,
        )
        .expect("parses");
        assert!(req.validate().is_ok());
        let q = req.query();
        for pair in [
            ("registry_name", "Harbor (corp)"),
            ("severity_level", "High"),
            ("risky", "true"),
            ("sort_key", "latest_scan_time"),
            ("sort_dir", "desc"),
            ("image_type", "harbor"),
            ("limit", "50"),
        ] {
            assert!(
                q.contains(&(pair.0.to_owned(), pair.1.to_owned())),
                "{pair:?} in {q:?}"
            );
        }
        assert!(
            serde_json::from_str::<ListRegistryImagesRequest>(r#"{"severity_level": "high"}"#)
                .is_err(),
            "severity levels are capitalised"
        );
        assert!(
            serde_json::from_str::<ListRegistryImagesRequest>(r#"{"registry_id": "r"}"#).is_err(),
            "the SDK's list has no registry_id filter: a misspelt or unknown name is refused"
        );
    }

    #[test]
    fn a_registry_image_keeps_every_field_of_the_sdk_model() {
        let body = r#"{"id": 7, "namespace": "corp", "image_name": "api", "image_id": "sha256:1",
            "image_digest": "sha256:2", "image_version": "v1", "image_type": "harbor",
            "registry_id": "reg-harbor", "registry_name": "Harbor (corp)", "registry_type": "Harbor",
            "latest_version": true, "scan_status": "failed", "scan_failed_desc": "download_failed",
            "scan_failed_code": "download_failed", "image_size": 10, "latest_update_time": 1,
            "latest_scan_time": 2, "latest_sync_time": 3, "vul_num": 4, "unsafe_setting_num": 5,
            "malicious_file_num": 6, "domain_name": "d", "shared_status": "effective",
            "scannable": true, "is_multiple_arch": false, "instance_name": "i", "instance_id": "j",
            "instance_url": "k", "severity_level": "High",
            "association_images": [{"id": 1, "image_id": "a", "image_name": "api",
                "image_version": "v1-arm64", "image_type": "harbor", "namespace": "corp",
                "image_digest": "sha256:3", "scan_status": "success", "vul_num": 0,
                "unsafe_setting_num": 0, "malicious_file_num": 0}]}"#;
        let image: RegistryImageInfo = serde_json::from_str(body).expect("parses");
        let back = serde_json::to_value(&image).expect("json");
        let original: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(back, original, "nothing is dropped on the way");
    }

    #[test]
    fn a_sync_task_id_is_a_safe_path_segment_of_1_to_64_characters() {
        assert!(
            ListAssociateRegistriesRequest::new("sync-0001-ab")
                .validate()
                .is_ok()
        );
        for bad in ["", "..", "a/b", "a\nb", &"x".repeat(65)] {
            assert_eq!(
                ListAssociateRegistriesRequest::new(bad)
                    .validate()
                    .unwrap_err()
                    .field,
                "task_id",
                "{bad:?}"
            );
        }
        let mut req = ListAssociateRegistriesRequest::new("t");
        req.limit = Some(5);
        assert_eq!(req.validate().unwrap_err().field, "limit");
        req.limit = Some(10);
        req.registry_type = vec![RegistryType::Harbor, RegistryType::Jfrog];
        req.sync_status = Some(RegistrySyncStatus::Failed);
        assert!(req.validate().is_ok());
        let q = req.query();
        assert!(q.contains(&("registry_type".to_owned(), "Harbor,Jfrog".to_owned())));
        assert!(q.contains(&("sync_status".to_owned(), "failed".to_owned())));
        assert!(!q.iter().any(|(k, _)| k == "task_id"), "the path's");
    }
}
