//! `GET /v5/{project_id}/image/swr-repository`: SWR images to pick from.

use super::{ScanStatus, validate_enterprise_project_id, validate_image_times};
use crate::macros::wire_enum;
use crate::query::Query;
use crate::validate::{FieldError, opt_range, opt_str_len};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// `image_type` of the SWR image list.
    SwrImageType {
        PrivateImage = "private_image",
        SharedImage = "shared_image",
        LocalImage = "local_image",
        InstanceImage = "instance_image",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListImagesRequest {
    pub image_type: SwrImageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_status: Option<ScanStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_name: Option<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_vul: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_malicious_file: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_unsafe_setting: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

impl ListImagesRequest {
    pub fn new(image_type: SwrImageType) -> Self {
        Self {
            image_type,
            enterprise_project_id: None,
            namespace: None,
            image_name: None,
            image_version: None,
            latest_version: None,
            scan_status: None,
            instance_id: None,
            instance_name: None,
            image_size: None,
            start_latest_update_time: None,
            end_latest_update_time: None,
            start_latest_scan_time: None,
            end_latest_scan_time: None,
            has_vul: None,
            has_malicious_file: None,
            has_unsafe_setting: None,
            offset: None,
            limit: None,
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        opt_str_len("namespace", self.namespace.as_deref(), 1, 64)?;
        opt_str_len("image_name", self.image_name.as_deref(), 1, 128)?;
        opt_str_len("image_version", self.image_version.as_deref(), 1, 128)?;
        opt_str_len("instance_id", self.instance_id.as_deref(), 1, 128)?;
        opt_str_len("instance_name", self.instance_name.as_deref(), 1, 128)?;
        opt_range("image_size", self.image_size, 0, 2_147_483_547)?;
        validate_image_times(
            "",
            [
                self.start_latest_update_time,
                self.end_latest_update_time,
                self.start_latest_scan_time,
                self.end_latest_scan_time,
            ],
        )?;
        opt_range("offset", self.offset, 0, 2_000_000)?;
        opt_range("limit", self.limit, 10, 200)?;
        Ok(())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .put("image_type", self.image_type)
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("namespace", self.namespace.as_ref())
            .opt("image_name", self.image_name.as_ref())
            .opt("image_version", self.image_version.as_ref())
            .opt("latest_version", self.latest_version)
            .opt("scan_status", self.scan_status)
            .opt("instance_id", self.instance_id.as_ref())
            .opt("instance_name", self.instance_name.as_ref())
            .opt("image_size", self.image_size)
            .opt("start_latest_update_time", self.start_latest_update_time)
            .opt("end_latest_update_time", self.end_latest_update_time)
            .opt("start_latest_scan_time", self.start_latest_scan_time)
            .opt("end_latest_scan_time", self.end_latest_scan_time)
            .opt("has_vul", self.has_vul)
            .opt("has_malicious_file", self.has_malicious_file)
            .opt("has_unsafe_setting", self.has_unsafe_setting)
            .opt("offset", self.offset)
            .opt("limit", self.limit)
            .into_pairs()
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListImagesResponse {
    pub total_num: i64,
    pub data_list: Vec<SwrImage>,
}

/// One SWR image. Enumerations stay text so new values still show.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SwrImage {
    pub id: Option<i64>,
    pub namespace: String,
    pub image_name: String,
    pub image_id: Option<String>,
    pub image_digest: Option<String>,
    pub image_version: String,
    pub image_type: Option<String>,
    pub latest_version: Option<bool>,
    pub scan_status: Option<String>,
    pub scan_failed_desc: Option<String>,
    pub image_size: Option<i64>,
    pub latest_update_time: Option<i64>,
    pub latest_scan_time: Option<i64>,
    pub vul_num: Option<i64>,
    pub unsafe_setting_num: Option<i64>,
    pub malicious_file_num: Option<i64>,
    /// The owner's account (shared images).
    pub domain_name: Option<String>,
    /// `effective` or `expired` (shared images).
    pub shared_status: Option<String>,
    pub scannable: Option<bool>,
    pub instance_id: Option<String>,
    pub instance_name: Option<String>,
    pub instance_url: Option<String>,
    /// The per-architecture images of a multi-arch image.
    pub association_images: Vec<AssociateImage>,
}

/// One architecture's image of a multi-arch image (`AssociateImages`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssociateImage {
    pub image_name: Option<String>,
    pub image_version: Option<String>,
    pub image_type: Option<String>,
    pub namespace: Option<String>,
    pub image_digest: Option<String>,
    pub scan_status: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_and_multi_arch_fields_reach_the_browser() {
        let body = r#"{"id": 1, "namespace": "web", "image_name": "nginx", "image_version": "v1",
            "image_type": "shared_image", "domain_name": "partner-corp", "shared_status": "effective",
            "association_images": [
                {"image_name": "nginx", "image_version": "v1-amd64", "image_type": "shared_image",
                 "namespace": "web", "image_digest": "sha256:aa", "scan_status": "success"},
                {"image_name": "nginx", "image_version": "v1-arm64", "scan_status": "unscan"}]}"#;
        let image: SwrImage = serde_json::from_str(body).expect("parses");
        assert_eq!(image.domain_name.as_deref(), Some("partner-corp"));
        assert_eq!(image.shared_status.as_deref(), Some("effective"));
        assert_eq!(image.association_images.len(), 2);
        assert_eq!(
            image.association_images[1].image_version.as_deref(),
            Some("v1-arm64")
        );
        let back = serde_json::to_value(&image).expect("json");
        assert_eq!(back["association_images"][0]["image_digest"], "sha256:aa");
        assert_eq!(back["domain_name"], "partner-corp");
    }
}
