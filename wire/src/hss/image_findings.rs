//! One image's findings beyond vulnerabilities: malicious files
//! (`ListImageMalware`), sensitive information (`ListImageSensitive`) and
//! baseline checks (`ListImageRiskConfigs`). Names, required fields,
//! ranges and enumerations are the SDK's (`huaweicloudsdkhss` 3.1.219).
//! Mind the SDK's own differences: the tag is `tag_name` for malware but
//! `image_version` for the other two, and only the baseline list is not
//! keyed by an `image_id` path segment.

use super::{FindingsImageType, validate_enterprise_project_id, validate_image_id};
use crate::findings::{ImageFindingsRequest, contains_any_case};
use crate::macros::wire_enum;
use crate::query::Query;
use crate::validate::{FieldError, opt_range, opt_str_len, str_len};
use serde::{Deserialize, Serialize};

/// The largest page these lists give.
pub const MAX_FINDINGS_PAGE: i64 = 200;

fn validate_paging(offset: Option<i64>, limit: Option<i64>) -> Result<(), FieldError> {
    opt_range("offset", offset, 0, 2_000_000)?;
    opt_range("limit", limit, 10, MAX_FINDINGS_PAGE)
}

/// `GET /v5/{project_id}/image/{image_id}/malwares` request. The SDK
/// requires `image_id` and `image_type`; any image but a CI/CD one is
/// named by `namespace`, `image_name` and `tag_name` too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageMalwareRequest {
    pub image_id: String,
    pub image_type: FindingsImageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Part of the file name, as the service matches it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_name: Option<String>,
}

impl ImageMalwareRequest {
    pub fn for_image(
        image_id: &str,
        image_type: FindingsImageType,
        namespace: &str,
        image_name: &str,
        tag: &str,
    ) -> Self {
        Self {
            image_id: image_id.to_owned(),
            image_type,
            enterprise_project_id: None,
            offset: None,
            limit: None,
            file_name: None,
            namespace: Some(namespace.to_owned()),
            image_name: Some(image_name.to_owned()),
            tag_name: Some(tag.to_owned()),
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_image_id(&self.image_id)?;
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        validate_paging(self.offset, self.limit)?;
        opt_str_len("file_name", self.file_name.as_deref(), 0, 256)?;
        validate_image_names(
            self.image_type,
            self.namespace.as_deref(),
            self.image_name.as_deref(),
            ("tag_name", self.tag_name.as_deref()),
        )
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("limit", self.limit)
            .opt("offset", self.offset)
            .put("image_type", self.image_type)
            .opt("file_name", self.file_name.as_ref())
            .opt("namespace", self.namespace.as_ref())
            .opt("image_name", self.image_name.as_ref())
            .opt("tag_name", self.tag_name.as_ref())
            .into_pairs()
    }
}

/// What names an image that is not a CI/CD one: namespace, name and tag
/// (the service documents them as required then). The SDK allows 0..65535
/// characters; we take at most 256: no registry names an image or a tag
/// longer, and they are part of the findings cache's key.
fn validate_image_names(
    image_type: FindingsImageType,
    namespace: Option<&str>,
    image_name: Option<&str>,
    (tag_field, tag): (&str, Option<&str>),
) -> Result<(), FieldError> {
    let named = [
        ("namespace", namespace),
        ("image_name", image_name),
        (tag_field, tag),
    ];
    for (field, value) in named {
        if let Some(value) = value {
            str_len(field, value, 0, 256)?;
        } else if image_type != FindingsImageType::Cicd && field != "namespace" {
            return Err(FieldError::new(
                field,
                "required for a registry image (only a CI/CD image is named by its id alone)",
            ));
        }
    }
    Ok(())
}

impl ImageFindingsRequest for ImageMalwareRequest {
    type Item = ImageMalware;
    const MAX_PAGE: i64 = MAX_FINDINGS_PAGE;

    fn cache_kind(&self) -> String {
        "hss/malware".to_owned()
    }
    fn cache_image(&self) -> String {
        self.image_id.clone()
    }
    fn whole_list(&self, offset: i64) -> Self {
        Self {
            offset: Some(offset),
            limit: Some(MAX_FINDINGS_PAGE),
            file_name: None,
            ..self.clone()
        }
    }
    fn matches(&self, item: &ImageMalware) -> bool {
        contains_any_case(item.file_name.as_deref(), self.file_name.as_deref())
    }
    fn window(&self) -> (Option<i64>, Option<i64>) {
        (self.offset, self.limit)
    }
}

/// `ImageMalwareInfo`: a malicious file in an image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageMalware {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `ListImageMalware` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageMalwareList {
    pub total_num: i64,
    pub data_list: Vec<ImageMalware>,
}

wire_enum! {
    /// `severity` of sensitive information (lower case, as the SDK says).
    SensitiveSeverity { Critical = "critical", High = "high", Medium = "medium", Low = "low" }
}

/// `GET /v5/{project_id}/image/{image_id}/sensitive` request. The SDK
/// requires `image_id` and `image_type`; any image but a CI/CD one is
/// named by `namespace`, `image_name` and `image_version` too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSensitiveRequest {
    pub image_id: String,
    pub image_type: FindingsImageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<SensitiveSeverity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle_status: Option<super::HandleStatus>,
}

impl ImageSensitiveRequest {
    pub fn for_image(
        image_id: &str,
        image_type: FindingsImageType,
        namespace: &str,
        image_name: &str,
        tag: &str,
    ) -> Self {
        Self {
            image_id: image_id.to_owned(),
            image_type,
            enterprise_project_id: None,
            offset: None,
            limit: None,
            namespace: Some(namespace.to_owned()),
            image_name: Some(image_name.to_owned()),
            image_version: Some(tag.to_owned()),
            file_path: None,
            severity: None,
            handle_status: None,
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_image_id(&self.image_id)?;
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        validate_paging(self.offset, self.limit)?;
        opt_str_len("file_path", self.file_path.as_deref(), 0, 256)?;
        validate_image_names(
            self.image_type,
            self.namespace.as_deref(),
            self.image_name.as_deref(),
            ("image_version", self.image_version.as_deref()),
        )
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("limit", self.limit)
            .opt("offset", self.offset)
            .put("image_type", self.image_type)
            .opt("namespace", self.namespace.as_ref())
            .opt("image_name", self.image_name.as_ref())
            .opt("image_version", self.image_version.as_ref())
            .opt("file_path", self.file_path.as_ref())
            .opt("severity", self.severity)
            .opt("handle_status", self.handle_status)
            .into_pairs()
    }
}

impl ImageFindingsRequest for ImageSensitiveRequest {
    type Item = ImageSensitiveInfo;
    const MAX_PAGE: i64 = MAX_FINDINGS_PAGE;

    /// `handle_status` is filtered upstream (a handled item is not kept
    /// with the unhandled ones).
    fn cache_kind(&self) -> String {
        format!(
            "hss/sensitive?handle_status={}",
            self.handle_status.map_or("", super::HandleStatus::as_str)
        )
    }
    fn cache_image(&self) -> String {
        self.image_id.clone()
    }
    fn whole_list(&self, offset: i64) -> Self {
        Self {
            offset: Some(offset),
            limit: Some(MAX_FINDINGS_PAGE),
            file_path: None,
            severity: None,
            ..self.clone()
        }
    }
    fn matches(&self, item: &ImageSensitiveInfo) -> bool {
        contains_any_case(item.file_path.as_deref(), self.file_path.as_deref())
            && self.severity.is_none_or(|s| {
                item.severity
                    .as_deref()
                    .is_some_and(|have| have.eq_ignore_ascii_case(s.as_str()))
            })
    }
    fn window(&self) -> (Option<i64>, Option<i64>) {
        (self.offset, self.limit)
    }
}

/// `ImageSensitiveInfo`: a secret or other sensitive text found in an
/// image. Scanport keeps and shows `content` masked (see [`mask_secret`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageSensitiveInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitive_info_id: Option<String>,
    /// `critical`, `high`, `medium`, `low`; kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// The rule that found it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The image layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_scan_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operate_accept: Option<String>,
}

impl ImageSensitiveInfo {
    /// The finding with its `content` masked: a viewer learns what kind of
    /// secret is where, never the secret itself.
    pub fn masked(mut self) -> Self {
        self.content = self.content.as_deref().map(mask_secret);
        self
    }
}

/// The first four characters of a secret and how long it is: enough to
/// recognise a key (`AKIA…`), not to use it.
pub fn mask_secret(secret: &str) -> String {
    let chars = secret.chars().count();
    let shown: String = secret.chars().take(if chars > 8 { 4 } else { 0 }).collect();
    format!("{shown}… ({chars} characters)")
}

/// `ListImageSensitive` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageSensitiveList {
    pub total_num: i64,
    pub data_list: Vec<ImageSensitiveInfo>,
}

wire_enum! {
    /// `image_type` of the baseline results (not the findings calls' set).
    RiskConfigImageType {
        PrivateImage = "private_image",
        SharedImage = "shared_image",
        LocalImage = "local_image",
        InstanceImage = "instance_image",
        Registry = "registry",
        Local = "local",
    }
}

wire_enum! {
    /// `severity` of a baseline (capitalised, as the SDK says).
    RiskConfigSeverity { Security = "Security", Low = "Low", Medium = "Medium", High = "High" }
}

wire_enum! {
    /// `standard`: China's graded protection or Huawei's cloud practice.
    RiskConfigStandard { Cn = "cn_standard", Hw = "hw_standard" }
}

/// `GET /v5/{project_id}/image/baseline/risk-configs` request: the
/// baseline checks of the image `image_id` names (it overrides name and
/// version upstream). Only `image_type` is required by the SDK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageRiskConfigsRequest {
    pub image_type: RiskConfigImageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    /// Scanport's findings endpoints need it: the cache is per image.
    pub image_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<RiskConfigSeverity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<RiskConfigStandard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
}

impl ImageRiskConfigsRequest {
    /// The baseline checks of one registry image.
    pub fn for_image(
        image_id: &str,
        image_type: FindingsImageType,
        namespace: &str,
        image_name: &str,
        tag: &str,
    ) -> Self {
        let image_type = match image_type {
            FindingsImageType::PrivateImage => RiskConfigImageType::PrivateImage,
            FindingsImageType::SharedImage => RiskConfigImageType::SharedImage,
            FindingsImageType::InstanceImage => RiskConfigImageType::InstanceImage,
            // Third-party registries and CI/CD images: the registry set.
            _ => RiskConfigImageType::Registry,
        };
        Self {
            image_type,
            enterprise_project_id: None,
            offset: None,
            limit: None,
            namespace: Some(namespace.to_owned()).filter(|n| !n.is_empty()),
            image_name: Some(image_name.to_owned()),
            image_version: Some(tag.to_owned()),
            image_id: image_id.to_owned(),
            check_name: None,
            severity: None,
            standard: None,
            instance_id: None,
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        validate_paging(self.offset, self.limit)?;
        validate_image_id(&self.image_id)?;
        opt_str_len("namespace", self.namespace.as_deref(), 0, 256)?;
        opt_str_len("image_name", self.image_name.as_deref(), 0, 256)?;
        opt_str_len("image_version", self.image_version.as_deref(), 0, 256)?;
        opt_str_len("check_name", self.check_name.as_deref(), 0, 256)?;
        opt_str_len("instance_id", self.instance_id.as_deref(), 0, 128)
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .put("image_type", self.image_type)
            .opt("offset", self.offset)
            .opt("limit", self.limit)
            .opt("namespace", self.namespace.as_ref())
            .opt("image_name", self.image_name.as_ref())
            .opt("image_version", self.image_version.as_ref())
            .put("image_id", &self.image_id)
            .opt("check_name", self.check_name.as_ref())
            .opt("severity", self.severity)
            .opt("standard", self.standard)
            .opt("instance_id", self.instance_id.as_ref())
            .into_pairs()
    }
}

impl ImageFindingsRequest for ImageRiskConfigsRequest {
    type Item = ImageRiskConfig;
    const MAX_PAGE: i64 = MAX_FINDINGS_PAGE;

    /// `standard` is filtered upstream: each standard's results are kept
    /// apart.
    fn cache_kind(&self) -> String {
        format!(
            "hss/risk-configs?standard={}",
            self.standard.map_or("", RiskConfigStandard::as_str)
        )
    }
    fn cache_image(&self) -> String {
        self.image_id.clone()
    }
    fn whole_list(&self, offset: i64) -> Self {
        Self {
            offset: Some(offset),
            limit: Some(MAX_FINDINGS_PAGE),
            check_name: None,
            severity: None,
            ..self.clone()
        }
    }
    fn matches(&self, item: &ImageRiskConfig) -> bool {
        contains_any_case(item.check_name.as_deref(), self.check_name.as_deref())
            && self
                .severity
                .is_none_or(|s| item.severity.as_deref() == Some(s.as_str()))
    }
    fn window(&self) -> (Option<i64>, Option<i64>) {
        (self.offset, self.limit)
    }
}

/// `ImageRiskConfigsInfoResponseInfo`: one baseline's result for the image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageRiskConfig {
    /// `Security`, `Low`, `Medium`, `High`; kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_rule_num: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_rule_num: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_type_desc: Option<String>,
}

/// `ListImageRiskConfigs` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageRiskConfigList {
    pub total_num: i64,
    pub data_list: Vec<ImageRiskConfig>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registry_image_is_named_in_full() {
        let ok = ImageMalwareRequest::for_image(
            "sha256:ab",
            FindingsImageType::PrivateImage,
            "payments",
            "checkout",
            "v1",
        );
        assert!(ok.validate().is_ok());
        let nameless = ImageMalwareRequest {
            tag_name: None,
            ..ok.clone()
        };
        assert_eq!(nameless.validate().unwrap_err().field, "tag_name");
        let cicd = ImageMalwareRequest {
            image_type: FindingsImageType::Cicd,
            namespace: None,
            image_name: None,
            tag_name: None,
            ..ok.clone()
        };
        assert!(cicd.validate().is_ok(), "a CI/CD image is named by its id");
        let small = ImageMalwareRequest {
            limit: Some(5),
            ..ok
        };
        assert_eq!(small.validate().unwrap_err().field, "limit");
        let sensitive =
            ImageSensitiveRequest::for_image("i", FindingsImageType::Harbor, "", "x", "1");
        assert!(sensitive.validate().is_ok());
        assert!(
            sensitive
                .query()
                .iter()
                .any(|(k, v)| k == "image_version" && v == "1"),
            "the sensitive list names the tag image_version"
        );
    }

    #[test]
    fn filters_apply_to_the_cached_list_and_not_upstream() {
        let mut req =
            ImageSensitiveRequest::for_image("i", FindingsImageType::PrivateImage, "n", "x", "1");
        let item = ImageSensitiveInfo {
            severity: Some("high".into()),
            file_path: Some("/app/.env".into()),
            ..ImageSensitiveInfo::default()
        };
        req.severity = Some(SensitiveSeverity::High);
        req.file_path = Some(".ENV".into());
        assert!(req.matches(&item));
        req.severity = Some(SensitiveSeverity::Low);
        assert!(!req.matches(&item));
        let whole = req.whole_list(200).query();
        assert!(
            !whole
                .iter()
                .any(|(k, _)| k == "severity" || k == "file_path")
        );
    }

    #[test]
    fn secrets_are_masked() {
        assert_eq!(mask_secret("AKIAIOSFODNN7EXAMPLE"), "AKIA… (20 characters)");
        assert_eq!(mask_secret("hunter2"), "… (7 characters)");
    }
}
