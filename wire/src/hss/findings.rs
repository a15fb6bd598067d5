//! `GET /v5/{project_id}/image/{image_id}/vulnerabilities`
//! (`ListImageVulnerabilities`): one image's vulnerabilities. Names,
//! ranges and enumerations are the SDK's (`ListImageVulnerabilitiesRequest`,
//! `ImageVulInfo`).

use super::validate_enterprise_project_id;
use crate::findings::{ImageFindingsRequest, Severity, contains_any_case};
use crate::macros::wire_enum;
use crate::query::Query;
use crate::validate::{FieldError, no_control_chars, opt_range, opt_str_len, str_len};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// `image_type` of the findings calls: SWR's kinds, CI/CD and the
    /// third-party registries.
    FindingsImageType {
        PrivateImage = "private_image",
        SharedImage = "shared_image",
        InstanceImage = "instance_image",
        Cicd = "cicd",
        Harbor = "harbor",
        Jfrog = "jfrog",
    }
}

wire_enum! {
    /// `repair_necessity`: how urgent the fix is.
    RepairNecessity {
        Immediate = "immediate_repair",
        Delay = "delay_repair",
        NotNeeded = "not_needed_repair",
    }
}

wire_enum! {
    /// `type`: an operating-system package's or an application's.
    VulType { LinuxVul = "linux_vul", AppVul = "app_vul" }
}

wire_enum! {
    /// `handle_status`.
    HandleStatus { Unhandled = "unhandled", Handled = "handled" }
}

/// `ListImageVulnerabilities` request. `image_id` goes in the path. The
/// SDK requires `image_type`, `namespace`, `image_name` and `tag_name`
/// too (empty is allowed: a local image has no namespace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageVulnerabilitiesRequest {
    pub image_id: String,
    pub image_type: FindingsImageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    pub namespace: String,
    pub image_name: String,
    pub tag_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair_necessity: Option<RepairNecessity>,
    /// Matches part of the id, as the service does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vul_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<VulType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle_status: Option<HandleStatus>,
}

/// The largest page the service gives.
pub const MAX_VULNERABILITY_PAGE: i64 = 200;

impl ImageVulnerabilitiesRequest {
    /// Every finding of one image (the first page; see [`Self::whole_list`]).
    pub fn for_image(
        image_id: &str,
        image_type: FindingsImageType,
        namespace: &str,
        image_name: &str,
        tag_name: &str,
    ) -> Self {
        Self {
            image_id: image_id.to_owned(),
            image_type,
            namespace: namespace.to_owned(),
            image_name: image_name.to_owned(),
            tag_name: tag_name.to_owned(),
            enterprise_project_id: None,
            offset: None,
            limit: None,
            instance_id: None,
            repair_necessity: None,
            vul_id: None,
            app_name: None,
            r#type: None,
            handle_status: None,
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_image_id(&self.image_id)?;
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        opt_range("offset", self.offset, 0, 2_000_000)?;
        opt_range("limit", self.limit, 10, MAX_VULNERABILITY_PAGE)?;
        opt_str_len("instance_id", self.instance_id.as_deref(), 0, 128)?;
        str_len("namespace", &self.namespace, 0, 64)?;
        str_len("image_name", &self.image_name, 0, 128)?;
        str_len("tag_name", &self.tag_name, 0, 64)?;
        opt_str_len("vul_id", self.vul_id.as_deref(), 0, 128)?;
        opt_str_len("app_name", self.app_name.as_deref(), 0, 64)
    }

    /// The request for every finding the service would filter on its side
    /// (`type`, `handle_status`) that the cache keeps, page by page; the
    /// other filters and the paging apply to the cached list.
    pub fn whole_list(&self, offset: i64) -> Self {
        Self {
            offset: Some(offset),
            limit: Some(MAX_VULNERABILITY_PAGE),
            repair_necessity: None,
            vul_id: None,
            app_name: None,
            ..self.clone()
        }
    }

    /// What the cached list is kept under, beyond the account and image:
    /// the filters the list was fetched with.
    pub fn cache_kind(&self) -> String {
        format!(
            "hss/vulnerabilities?type={}&handle_status={}",
            self.r#type.map_or("", VulType::as_str),
            self.handle_status.map_or("", HandleStatus::as_str),
        )
    }

    /// Whether a cached finding passes this request's own filters.
    pub fn matches(&self, v: &ImageVulnerability) -> bool {
        self.repair_necessity
            .is_none_or(|r| v.repair_necessity.as_deref() == Some(r.as_str()))
            && contains_any_case(v.vul_id.as_deref(), self.vul_id.as_deref())
            && contains_any_case(v.app_name.as_deref(), self.app_name.as_deref())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("offset", self.offset)
            .opt("limit", self.limit)
            .put("image_type", self.image_type)
            .opt("instance_id", self.instance_id.as_ref())
            .put("namespace", &self.namespace)
            .put("image_name", &self.image_name)
            .put("tag_name", &self.tag_name)
            .opt("repair_necessity", self.repair_necessity)
            .opt("vul_id", self.vul_id.as_ref())
            .opt("app_name", self.app_name.as_ref())
            .opt("type", self.r#type)
            .opt("handle_status", self.handle_status)
            .into_pairs()
    }
}

impl ImageFindingsRequest for ImageVulnerabilitiesRequest {
    type Item = ImageVulnerability;
    const MAX_PAGE: i64 = MAX_VULNERABILITY_PAGE;

    fn cache_kind(&self) -> String {
        Self::cache_kind(self)
    }
    fn cache_image(&self) -> String {
        self.image_id.clone()
    }
    fn whole_list(&self, offset: i64) -> Self {
        Self::whole_list(self, offset)
    }
    fn matches(&self, item: &ImageVulnerability) -> bool {
        Self::matches(self, item)
    }
    fn window(&self) -> (Option<i64>, Option<i64>) {
        (self.offset, self.limit)
    }
}

/// An image id travels in a path segment: 1..128 characters, no control
/// characters, no `/`, never a dot segment.
pub fn validate_image_id(image_id: &str) -> Result<(), FieldError> {
    str_len("image_id", image_id, 1, 128)?;
    no_control_chars("image_id", image_id)?;
    if image_id.contains('/') {
        return Err(FieldError::new("image_id", "must not contain \"/\""));
    }
    if image_id == "." || image_id == ".." {
        return Err(FieldError::new("image_id", "must not be \".\" or \"..\""));
    }
    Ok(())
}

/// `ImageVulInfo`: one vulnerability of an image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageVulnerability {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vul_id: Option<String>,
    /// `immediate_repair`, `delay_repair`, `not_needed_repair`; kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repair_necessity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The image layer it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    /// Applications' vulnerabilities only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
    /// Where the fix is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl ImageVulnerability {
    pub fn severity(&self) -> Severity {
        Severity::from_hss(self.repair_necessity.as_deref())
    }
}

/// `ListImageVulnerabilities` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageVulnerabilities {
    pub total_num: i64,
    pub data_list: Vec<ImageVulnerability>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_the_service_would() {
        let ok = ImageVulnerabilitiesRequest::for_image(
            "sha256:ab",
            FindingsImageType::PrivateImage,
            "payments",
            "checkout",
            "v1",
        );
        assert!(ok.validate().is_ok());
        let small = ImageVulnerabilitiesRequest {
            limit: Some(5),
            ..ok.clone()
        };
        assert_eq!(small.validate().unwrap_err().field, "limit");
        let path = ImageVulnerabilitiesRequest {
            image_id: "../x".into(),
            ..ok.clone()
        };
        assert_eq!(path.validate().unwrap_err().field, "image_id");
        let dots = ImageVulnerabilitiesRequest {
            image_id: "..".into(),
            ..ok
        };
        assert_eq!(dots.validate().unwrap_err().field, "image_id");
    }

    #[test]
    fn local_filters_match_as_the_service_does() {
        let mut req =
            ImageVulnerabilitiesRequest::for_image("i", FindingsImageType::Harbor, "", "x", "1");
        let v = ImageVulnerability {
            vul_id: Some("CVE-2024-3094".into()),
            repair_necessity: Some("immediate_repair".into()),
            app_name: Some("xz-utils".into()),
            ..ImageVulnerability::default()
        };
        assert!(req.matches(&v));
        req.vul_id = Some("2024-30".into());
        req.app_name = Some("XZ".into());
        req.repair_necessity = Some(RepairNecessity::Immediate);
        assert!(req.matches(&v));
        req.repair_necessity = Some(RepairNecessity::Delay);
        assert!(!req.matches(&v));
        assert_eq!(
            req.whole_list(200)
                .query()
                .iter()
                .filter(|(k, _)| k == "repair_necessity")
                .count(),
            0
        );
    }
}
