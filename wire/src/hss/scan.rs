//! Launching scans and syncs: batch-scan, synchronize, image-sync tasks,
//! manual scan tasks (and stopping them: a path, no body).

use super::{ImageType, RegistryType, ScanStatus, validate_image_times};
use crate::macros::wire_enum;
use crate::validate::{FieldError, opt_range, opt_str_len, str_len};
use serde::{Deserialize, Serialize};

/// The documented upper bound of `image_info_list`.
pub const MAX_BATCH_IMAGES: usize = 10_241;

/// One image of a batch scan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchScanImage {
    pub namespace: String,
    pub image_name: String,
    pub image_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_url: Option<String>,
}

impl BatchScanImage {
    fn validate(&self, index: usize) -> Result<(), FieldError> {
        let field = |name: &str| format!("image_info_list[{index}].{name}");
        str_len(&field("namespace"), &self.namespace, 1, 64)?;
        str_len(&field("image_name"), &self.image_name, 1, 128)?;
        str_len(&field("image_version"), &self.image_version, 1, 128)?;
        opt_str_len(&field("instance_id"), self.instance_id.as_deref(), 1, 128)?;
        opt_str_len(&field("instance_url"), self.instance_url.as_deref(), 0, 256)?;
        Ok(())
    }
}

/// `POST /v5/{project_id}/image/batch-scan`: scan a list of images, or
/// every image matching the filters (`operate_all`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchScanRequest {
    pub image_type: ImageType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_info_list: Vec<BatchScanImage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operate_all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_status: Option<ScanStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_latest_update_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_latest_update_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_latest_scan_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_latest_scan_time: Option<i64>,
}

impl BatchScanRequest {
    /// A scan of the listed images.
    pub fn images(image_type: ImageType, images: Vec<BatchScanImage>) -> Self {
        Self {
            image_type,
            image_info_list: images,
            operate_all: None,
            namespace: None,
            image_name: None,
            image_version: None,
            scan_status: None,
            latest_version: None,
            image_size: None,
            start_latest_update_time: None,
            end_latest_update_time: None,
            start_latest_scan_time: None,
            end_latest_scan_time: None,
        }
    }

    /// A scan of every image of a type matching the filters set afterwards.
    pub fn all(image_type: ImageType) -> Self {
        Self {
            operate_all: Some(true),
            ..Self::images(image_type, Vec::new())
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        let all = self.operate_all == Some(true);
        if all && !self.image_info_list.is_empty() {
            return Err(FieldError::new(
                "operate_all",
                "give either image_info_list or operate_all, not both",
            ));
        }
        if !all && self.image_info_list.is_empty() {
            return Err(FieldError::new(
                "image_info_list",
                "list at least one image, or set operate_all to scan every matching image",
            ));
        }
        if self.image_info_list.len() > MAX_BATCH_IMAGES {
            return Err(FieldError::new(
                "image_info_list",
                format!(
                    "at most {MAX_BATCH_IMAGES} images per scan (got {})",
                    self.image_info_list.len()
                ),
            ));
        }
        for (i, image) in self.image_info_list.iter().enumerate() {
            image.validate(i)?;
        }
        opt_str_len("namespace", self.namespace.as_deref(), 1, 256)?;
        opt_str_len("image_name", self.image_name.as_deref(), 1, 256)?;
        opt_str_len("image_version", self.image_version.as_deref(), 1, 256)?;
        if self.scan_status == Some(ScanStatus::WaitingForScan) {
            return Err(FieldError::new(
                "scan_status",
                "waiting_for_scan is not a batch-scan filter",
            ));
        }
        opt_range("image_size", self.image_size, 0, 2_147_483_547)?;
        validate_image_times(
            "",
            [
                self.start_latest_update_time,
                self.end_latest_update_time,
                self.start_latest_scan_time,
                self.end_latest_scan_time,
            ],
        )
    }
}

/// `POST /v5/{project_id}/image/synchronize`: refresh the SWR image list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynchronizeRequest {
    pub image_type: ImageType,
}

impl SynchronizeRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        match self.image_type {
            ImageType::PrivateImage | ImageType::SharedImage => Ok(()),
            ImageType::InstanceImage => Err(FieldError::new(
                "image_type",
                "only private_image or shared_image lists can be synchronized",
            )),
        }
    }
}

/// Answer of synchronize: `error_code` 0 means success.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SynchronizeResponse {
    pub error_code: i64,
    pub error_description: String,
}

/// A registry to sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryRef {
    pub registry_id: String,
    pub registry_type: RegistryType,
}

/// `POST /v5/{project_id}/image/image-sync/tasks`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSyncTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_all_registries: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registry_info: Vec<RegistryRef>,
}

impl ImageSyncTaskRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        let all = self.sync_all_registries == Some(true);
        if all && !self.registry_info.is_empty() {
            return Err(FieldError::new(
                "sync_all_registries",
                "give either registry_info or sync_all_registries, not both",
            ));
        }
        if !all && self.registry_info.is_empty() {
            return Err(FieldError::new(
                "registry_info",
                "choose at least one registry, or set sync_all_registries",
            ));
        }
        for (i, registry) in self.registry_info.iter().enumerate() {
            str_len(
                &format!("registry_info[{i}].registry_id"),
                &registry.registry_id,
                1,
                64,
            )?;
        }
        Ok(())
    }
}

wire_enum! {
    /// `query_info.image_type` of a manual scan task.
    ScanQueryImageType {
        PrivateImage = "private_image",
        SharedImage = "shared_image",
        InstanceImage = "instance_image",
        Harbor = "harbor",
        Jfrog = "jfrog",
    }
}

wire_enum! {
    /// `registry_type` of an image in a manual scan task.
    ScanRegistryType {
        SwrPrivate = "SwrPrivate",
        SwrShared = "SwrShared",
        SwrEnterprise = "SwrEnterprise",
        Harbor = "Harbor",
        Jfrog = "Jfrog",
        Other = "Other",
        Local = "Local",
    }
}

/// Filters of an all-images manual scan task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanQueryInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_type: Option<ScanQueryImageType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_status: Option<ScanStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_vul: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_latest_update_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_latest_update_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_latest_scan_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_latest_scan_time: Option<i64>,
}

/// One image of a manual scan task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanImageInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_type: Option<ScanRegistryType>,
    pub namespace: String,
    pub image_name: String,
    pub image_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_url: Option<String>,
}

/// `POST /v5/{project_id}/image/image-scan/tasks`: the newer form of
/// batch-scan, with a scan scope and a rate limit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateScanTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_scope: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_info: Option<ScanQueryInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_info: Vec<ScanImageInfo>,
}

impl CreateScanTaskRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        opt_range("scan_scope", self.scan_scope, 0, i64::from(i32::MAX))?;
        opt_range("rate_limit", self.rate_limit, 0, 1000)?;
        let all = self.is_all == Some(true);
        if all && !self.image_info.is_empty() {
            return Err(FieldError::new(
                "is_all",
                "give either image_info or is_all, not both",
            ));
        }
        if !all && self.image_info.is_empty() {
            return Err(FieldError::new(
                "image_info",
                "list at least one image, or set is_all to scan every matching image",
            ));
        }
        if !all && self.query_info.is_some() {
            return Err(FieldError::new(
                "query_info",
                "filters apply only when is_all is set",
            ));
        }
        for (i, image) in self.image_info.iter().enumerate() {
            let field = |name: &str| format!("image_info[{i}].{name}");
            str_len(&field("namespace"), &image.namespace, 1, 64)?;
            str_len(&field("image_name"), &image.image_name, 1, 128)?;
            str_len(&field("image_version"), &image.image_version, 1, 128)?;
        }
        if let Some(q) = &self.query_info {
            opt_str_len("query_info.namespace", q.namespace.as_deref(), 1, 256)?;
            opt_str_len("query_info.image_name", q.image_name.as_deref(), 1, 256)?;
            opt_str_len(
                "query_info.image_version",
                q.image_version.as_deref(),
                1,
                256,
            )?;
            opt_range("query_info.image_size", q.image_size, 0, 2_147_483_547)?;
            validate_image_times(
                "query_info.",
                [
                    q.start_latest_update_time,
                    q.end_latest_update_time,
                    q.start_latest_scan_time,
                    q.end_latest_scan_time,
                ],
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> BatchScanImage {
        BatchScanImage {
            namespace: "test".into(),
            image_name: "openjdk".into(),
            image_version: "v8.8".into(),
            ..Default::default()
        }
    }

    #[test]
    fn batch_scan_serialises_like_the_sdk() {
        let req = BatchScanRequest::images(ImageType::PrivateImage, vec![image()]);
        assert_eq!(
            serde_json::to_value(&req).expect("json"),
            serde_json::json!({"image_type": "private_image",
                "image_info_list": [{"namespace": "test", "image_name": "openjdk", "image_version": "v8.8"}]})
        );
        assert_eq!(
            serde_json::to_value(BatchScanRequest::all(ImageType::PrivateImage)).expect("json"),
            serde_json::json!({"image_type": "private_image", "operate_all": true})
        );
    }

    #[test]
    fn batch_scan_needs_a_list_or_operate_all_but_not_both() {
        let empty = BatchScanRequest::images(ImageType::SharedImage, vec![]);
        assert_eq!(empty.validate().unwrap_err().field, "image_info_list");
        let mut both = BatchScanRequest::all(ImageType::SharedImage);
        both.image_info_list.push(image());
        assert_eq!(both.validate().unwrap_err().field, "operate_all");
        assert!(
            BatchScanRequest::all(ImageType::SharedImage)
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn batch_scan_names_the_bad_image() {
        let mut bad = image();
        bad.namespace = "n".repeat(65);
        let req = BatchScanRequest::images(ImageType::PrivateImage, vec![image(), bad]);
        assert_eq!(
            req.validate().unwrap_err().field,
            "image_info_list[1].namespace"
        );
    }

    #[test]
    fn instance_images_cannot_be_synchronized() {
        let req = SynchronizeRequest {
            image_type: ImageType::InstanceImage,
        };
        assert_eq!(req.validate().unwrap_err().field, "image_type");
    }

    #[test]
    fn sync_task_needs_registries_or_all() {
        assert_eq!(
            ImageSyncTaskRequest::default()
                .validate()
                .unwrap_err()
                .field,
            "registry_info"
        );
        let all = ImageSyncTaskRequest {
            sync_all_registries: Some(true),
            registry_info: vec![],
        };
        assert!(all.validate().is_ok());
    }

    #[test]
    fn a_reversed_time_range_names_its_start_field() {
        let mut req = BatchScanRequest::all(ImageType::PrivateImage);
        req.start_latest_update_time = Some(2_000);
        req.end_latest_update_time = Some(1_000);
        assert_eq!(
            req.validate().unwrap_err().field,
            "start_latest_update_time"
        );
        let scan = CreateScanTaskRequest {
            is_all: Some(true),
            query_info: Some(ScanQueryInfo {
                start_latest_scan_time: Some(5),
                end_latest_scan_time: Some(4),
                ..ScanQueryInfo::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            scan.validate().unwrap_err().field,
            "query_info.start_latest_scan_time"
        );
    }

    #[test]
    fn manual_scan_rate_limit_is_0_to_1000() {
        let mut req = CreateScanTaskRequest {
            is_all: Some(true),
            rate_limit: Some(1001),
            ..Default::default()
        };
        assert_eq!(req.validate().unwrap_err().field, "rate_limit");
        req.rate_limit = Some(0);
        assert!(req.validate().is_ok());
    }
}
