//! Launching scans and syncs: batch-scan, synchronize, image-sync tasks,
//! manual scan tasks (and stopping them: a path, no body).

use super::{GlobalImageType, ImageType, RegistryType, ScanStatus, validate_image_times};
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
    /// Required by the service: always sent, `false` with chosen
    /// registries. Callers of Scanport may leave it out (false).
    #[serde(default)]
    pub sync_all_registries: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registry_info: Vec<RegistryRef>,
}

impl ImageSyncTaskRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        let all = self.sync_all_registries;
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

wire_enum! {
    /// `query_info.local_image_type` of a manual scan task (local images).
    LocalImageType { SwrImage = "swr_image", OtherImage = "other_image" }
}

/// Filters of an all-images manual scan task: every field of the SDK's
/// `CreateManualImageScanTaskReqInfoQueryInfo`, with its names. The host,
/// container, pod and app fields select local images.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanQueryInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_image_type: Option<LocalImageType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_vul: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_type: Option<ScanQueryImageType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_status: Option<ScanStatus>,
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

impl ScanQueryInfo {
    /// The SDK's documented lengths (0 allowed: an empty filter).
    fn validate(&self) -> Result<(), FieldError> {
        let strings: [(&str, &Option<String>, usize); 13] = [
            ("host_id", &self.host_id, 128),
            ("host_name", &self.host_name, 128),
            ("public_ip", &self.public_ip, 128),
            ("private_ip", &self.private_ip, 128),
            ("cluster_id", &self.cluster_id, 128),
            ("container_id", &self.container_id, 128),
            ("container_name", &self.container_name, 128),
            ("pod_id", &self.pod_id, 64),
            ("pod_name", &self.pod_name, 512),
            ("app_name", &self.app_name, 256),
            ("namespace", &self.namespace, 256),
            ("image_name", &self.image_name, 256),
            ("image_version", &self.image_version, 256),
        ];
        for (name, value, max) in strings {
            opt_str_len(&format!("query_info.{name}"), value.as_deref(), 0, max)?;
        }
        if self.scan_status == Some(ScanStatus::WaitingForScan) {
            return Err(FieldError::new(
                "query_info.scan_status",
                "waiting_for_scan is not a scan-task filter",
            ));
        }
        opt_range("query_info.image_size", self.image_size, 0, i64::MAX)?;
        validate_image_times(
            "query_info.",
            [
                self.start_latest_update_time,
                self.end_latest_update_time,
                self.start_latest_scan_time,
                self.end_latest_scan_time,
            ],
        )
    }
}

/// One image of a manual scan task. Every field is optional in the SDK's
/// model: a registry image is named by namespace, name and version (plus
/// its registry), a local image (`registry_type` `Local`) has no namespace
/// and is named by `image_id`, name and version.
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_url: Option<String>,
}

impl ScanImageInfo {
    /// A registry image named by namespace, name and version.
    pub fn registry(namespace: &str, image_name: &str, image_version: &str) -> Self {
        Self {
            namespace: Some(namespace.to_owned()),
            image_name: Some(image_name.to_owned()),
            image_version: Some(image_version.to_owned()),
            ..Self::default()
        }
    }

    fn is_local(&self, global: Option<GlobalImageType>) -> bool {
        self.registry_type == Some(ScanRegistryType::Local)
            || global == Some(GlobalImageType::Local)
    }

    fn validate(&self, index: usize, global: Option<GlobalImageType>) -> Result<(), FieldError> {
        let field = |name: &str| format!("image_info[{index}].{name}");
        let strings = [
            ("image_id", &self.image_id),
            ("image_digest", &self.image_digest),
            ("registry_id", &self.registry_id),
            ("registry_name", &self.registry_name),
            ("namespace", &self.namespace),
            ("image_name", &self.image_name),
            ("image_version", &self.image_version),
            ("instance_id", &self.instance_id),
            ("instance_url", &self.instance_url),
        ];
        for (name, value) in strings {
            opt_str_len(&field(name), value.as_deref(), 0, 256)?;
        }
        opt_range(&field("id"), self.id, 0, i64::MAX)?;
        // What the service needs to find the image (the SDK's notes on
        // `image_info`): a name and version always, a namespace in a
        // registry; a local image has none.
        let needs = [
            ("image_name", &self.image_name, true),
            ("image_version", &self.image_version, true),
            ("namespace", &self.namespace, !self.is_local(global)),
        ];
        for (name, value, needed) in needs {
            if needed && value.as_deref().is_none_or(str::is_empty) {
                return Err(FieldError::new(
                    field(name),
                    if name == "namespace" {
                        "a registry image needs its namespace (only a Local image has none)"
                    } else {
                        "must not be empty"
                    },
                ));
            }
        }
        Ok(())
    }
}

/// `POST /v5/{project_id}/image/image-scan/tasks`: the newer form of
/// batch-scan, with a scan scope and a rate limit. `global_image_type`
/// travels in the query (see [`CreateScanTaskRequest::query`]), the rest
/// is the body ([`CreateScanTaskRequest::body`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateScanTaskRequest {
    /// `local` or `registry` (the service's default) images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_image_type: Option<GlobalImageType>,
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

/// The body the service takes: the request without its query parameter.
#[derive(Debug, Serialize)]
pub struct ScanTaskBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_scope: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_all: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_info: Option<&'a ScanQueryInfo>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub image_info: &'a [ScanImageInfo],
}

impl CreateScanTaskRequest {
    pub fn body(&self) -> ScanTaskBody<'_> {
        ScanTaskBody {
            scan_scope: self.scan_scope,
            rate_limit: self.rate_limit,
            is_all: self.is_all,
            query_info: self.query_info.as_ref(),
            image_info: &self.image_info,
        }
    }

    pub fn query(&self) -> Vec<(String, String)> {
        crate::query::Query::new()
            .opt("global_image_type", self.global_image_type)
            .into_pairs()
    }

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
            image.validate(i, self.global_image_type)?;
        }
        if let Some(q) = &self.query_info {
            q.validate()?;
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
            sync_all_registries: true,
            registry_info: vec![],
        };
        assert!(all.validate().is_ok());
    }

    #[test]
    fn sync_task_always_sends_sync_all_registries() {
        // The SDK model requires it; chosen registries go with `false`.
        let chosen: ImageSyncTaskRequest = serde_json::from_str(
            r#"{"registry_info": [{"registry_id": "r1", "registry_type": "Harbor"}]}"#,
        )
        .expect("parses without it");
        assert_eq!(
            serde_json::to_value(&chosen).expect("json"),
            serde_json::json!({"sync_all_registries": false,
                "registry_info": [{"registry_id": "r1", "registry_type": "Harbor"}]})
        );
        let all = ImageSyncTaskRequest {
            sync_all_registries: true,
            registry_info: vec![],
        };
        assert_eq!(
            serde_json::to_value(&all).expect("json"),
            serde_json::json!({"sync_all_registries": true})
        );
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

    #[test]
    fn a_local_image_needs_no_namespace_but_a_registry_image_does() {
        let local = ScanImageInfo {
            image_id: Some("sha256:ab12".into()),
            image_name: Some("nginx".into()),
            image_version: Some("1.27".into()),
            registry_type: Some(ScanRegistryType::Local),
            ..ScanImageInfo::default()
        };
        let mut req = CreateScanTaskRequest {
            global_image_type: Some(GlobalImageType::Local),
            image_info: vec![local.clone()],
            ..Default::default()
        };
        assert!(req.validate().is_ok());
        assert_eq!(
            serde_json::to_value(&req.image_info[0]).expect("json"),
            serde_json::json!({"image_id": "sha256:ab12", "image_name": "nginx",
                "image_version": "1.27", "registry_type": "Local"}),
            "no empty namespace is invented"
        );
        let mut registry = local;
        registry.registry_type = Some(ScanRegistryType::Harbor);
        req.global_image_type = None;
        req.image_info = vec![
            ScanImageInfo::registry("payments", "checkout", "v1"),
            registry,
        ];
        assert_eq!(req.validate().unwrap_err().field, "image_info[1].namespace");
        req.image_info[1].namespace = Some("corp".into());
        req.image_info[1].image_version = None;
        assert_eq!(
            req.validate().unwrap_err().field,
            "image_info[1].image_version"
        );
        req.image_info[1].image_version = Some("x".repeat(257));
        assert_eq!(
            req.validate().unwrap_err().field,
            "image_info[1].image_version"
        );
    }

    #[test]
    fn scan_task_query_info_takes_every_sdk_field_by_its_name() {
        let q = ScanQueryInfo {
            local_image_type: Some(LocalImageType::OtherImage),
            host_id: Some("h".into()),
            host_name: Some("h".into()),
            public_ip: Some("203.0.113.7".into()),
            private_ip: Some("10.0.0.7".into()),
            cluster_id: Some("c".into()),
            container_id: Some("c".into()),
            container_name: Some("c".into()),
            pod_id: Some("p".into()),
            pod_name: Some("p".into()),
            app_name: Some("openssl".into()),
            has_vul: Some(true),
            namespace: Some(String::new()),
            image_name: Some("n".into()),
            image_version: Some("v".into()),
            image_type: Some(ScanQueryImageType::Harbor),
            scan_status: Some(ScanStatus::Failed),
            image_size: Some(1),
            start_latest_update_time: Some(1),
            end_latest_update_time: Some(2),
            start_latest_scan_time: Some(1),
            end_latest_scan_time: Some(2),
        };
        let value = serde_json::to_value(&q).expect("json");
        let mut names: Vec<&str> = value
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        // CreateManualImageScanTaskReqInfoQueryInfo.attribute_map, sorted.
        assert_eq!(
            names,
            [
                "app_name",
                "cluster_id",
                "container_id",
                "container_name",
                "end_latest_scan_time",
                "end_latest_update_time",
                "has_vul",
                "host_id",
                "host_name",
                "image_name",
                "image_size",
                "image_type",
                "image_version",
                "local_image_type",
                "namespace",
                "pod_id",
                "pod_name",
                "private_ip",
                "public_ip",
                "scan_status",
                "start_latest_scan_time",
                "start_latest_update_time",
            ]
        );
        let mut req = CreateScanTaskRequest {
            is_all: Some(true),
            query_info: Some(q),
            ..Default::default()
        };
        assert!(
            req.validate().is_ok(),
            "an empty namespace is a 0-length filter"
        );
        if let Some(q) = req.query_info.as_mut() {
            q.pod_id = Some("p".repeat(65));
        }
        assert_eq!(req.validate().unwrap_err().field, "query_info.pod_id");
    }

    #[test]
    fn global_image_type_travels_in_the_query_not_the_body() {
        let req = CreateScanTaskRequest {
            global_image_type: Some(GlobalImageType::Local),
            is_all: Some(true),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(req.body()).expect("json"),
            serde_json::json!({"is_all": true})
        );
        assert_eq!(
            req.query(),
            vec![("global_image_type".to_owned(), "local".to_owned())]
        );
    }
}
