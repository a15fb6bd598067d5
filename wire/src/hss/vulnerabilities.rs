//! The account's vulnerabilities across images: `ListGeneralImageVuls`
//! (`GET /v5/{project_id}/images/vulnerabilities`, one row per
//! vulnerability with how many images it affects) and `ListVulRepoImage`
//! (`GET /v5/{project_id}/image/{vul_id}/images`, the registry images one
//! vulnerability affects). Names, ranges and enumerations are the SDK's
//! (`huaweicloudsdkhss` 3.1.219: `ListGeneralImageVulsRequest`,
//! `GeneralImageVulsResponseInfo`, `ListVulRepoImageRequest`,
//! `VulRepoImageInfo`, `VulRepoImagesTagInfo`).

use super::{HandleStatus, VulType, validate_enterprise_project_id};
use crate::findings::Severity;
use crate::macros::wire_enum;
use crate::query::Query;
use crate::validate::{FieldError, no_control_chars, opt_range, opt_str_len, str_len};
use serde::{Deserialize, Serialize};

/// The largest page both lists give.
pub const MAX_VULS_PAGE: i64 = 200;

wire_enum! {
    /// `image_type` of `ListGeneralImageVuls`: where the images are.
    GeneralImageType {
        Local = "local",
        Registry = "registry",
        Cicd = "cicd",
        Cluster = "cluster",
    }
}

wire_enum! {
    /// `severity_level`: the service's own four words.
    VulSeverityLevel {
        Critical = "Critical",
        High = "High",
        Medium = "Medium",
        Low = "Low",
    }
}

wire_enum! {
    /// `status` of a vulnerability: not dealt with, or ignored.
    VulStatus { Unfix = "vul_status_unfix", Ignored = "vul_status_ignored" }
}

/// `ListGeneralImageVuls` request. The SDK requires `type`,
/// `handle_status` and `image_type` (so one call lists one type of
/// vulnerability); `label_list` goes in the query as one comma-separated
/// value, as the SDK sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralImageVulsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(rename = "type")]
    pub r#type: VulType,
    pub handle_status: HandleStatus,
    pub image_type: GeneralImageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_level: Option<VulSeverityLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vul_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vul_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cve_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_list: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VulStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
}

impl GeneralImageVulsRequest {
    /// The registry images' unhandled vulnerabilities of `type`.
    pub fn registry(r#type: VulType) -> Self {
        Self {
            enterprise_project_id: None,
            offset: None,
            limit: None,
            r#type,
            handle_status: HandleStatus::Unhandled,
            image_type: GeneralImageType::Registry,
            severity_level: None,
            vul_id: None,
            vul_name: None,
            cve_id: None,
            label_list: None,
            status: None,
            cluster_id: None,
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        validate_paging(self.offset, self.limit)?;
        for (field, value) in [
            ("vul_id", self.vul_id.as_deref()),
            ("vul_name", self.vul_name.as_deref()),
            ("cve_id", self.cve_id.as_deref()),
        ] {
            opt_str_len(field, value, 0, 256)?;
            if let Some(value) = value {
                no_control_chars(field, value)?;
            }
        }
        opt_str_len("cluster_id", self.cluster_id.as_deref(), 0, 128)?;
        if let Some(labels) = &self.label_list {
            if labels.len() > 10 {
                return Err(FieldError::new("label_list", "at most 10 labels"));
            }
            for (i, label) in labels.iter().enumerate() {
                let field = format!("label_list[{i}]");
                str_len(&field, label, 1, 64)?;
                if label.contains(',') {
                    return Err(FieldError::new(field, "a label cannot hold a comma"));
                }
            }
        }
        Ok(())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("offset", self.offset)
            .opt("limit", self.limit)
            .put("type", self.r#type)
            .put("handle_status", self.handle_status)
            .put("image_type", self.image_type)
            .opt("severity_level", self.severity_level)
            .opt("vul_id", self.vul_id.as_ref())
            .opt("vul_name", self.vul_name.as_ref())
            .opt("cve_id", self.cve_id.as_ref())
            .opt("label_list", self.label_list.as_ref().map(|l| l.join(",")))
            .opt("status", self.status)
            .opt("cluster_id", self.cluster_id.as_ref())
            .into_pairs()
    }
}

fn validate_paging(offset: Option<i64>, limit: Option<i64>) -> Result<(), FieldError> {
    opt_range("offset", offset, 0, 2_000_000)?;
    opt_range("limit", limit, 10, MAX_VULS_PAGE)
}

/// `GeneralImageVulsResponseInfoCveList`: one CVE of a vulnerability.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GeneralImageVulCve {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cve_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<f64>,
}

/// `GeneralImageVulsResponseInfo`: one vulnerability across the account's
/// images.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GeneralImageVul {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vul_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vul_id: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub label_list: Vec<String>,
    /// `Critical`, `High`, `Medium`, `Low`; kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_level: Option<String>,
    /// How many images it affects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_num: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cve_list: Vec<GeneralImageVulCve>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_cvss_score: Option<f64>,
    /// The last scan that found it, in ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solution_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_num: Option<i64>,
}

impl GeneralImageVul {
    pub fn severity(&self) -> Severity {
        Severity::from_hss_severity(self.severity_level.as_deref())
    }
}

/// `ListGeneralImageVuls` answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GeneralImageVulList {
    pub total_num: i64,
    pub data_list: Vec<GeneralImageVul>,
}

/// `ListVulRepoImage` request. `vul_id` goes in the path (the SDK requires
/// it); `region` is a header the SDK may send, which Scanport leaves to
/// the endpoint's region.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VulRepoImageRequest {
    pub vul_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Matches part of the name, as the service does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
}

impl VulRepoImageRequest {
    pub fn for_vul(vul_id: &str) -> Self {
        Self {
            vul_id: vul_id.to_owned(),
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        // The SDK allows 0..65535 characters; an id is a path segment and
        // the service's own ids are at most 128 (`vul_id` above).
        str_len("vul_id", &self.vul_id, 1, 256)?;
        no_control_chars("vul_id", &self.vul_id)?;
        if matches!(self.vul_id.as_str(), "." | "..") || self.vul_id.contains('/') {
            return Err(FieldError::new(
                "vul_id",
                "a vulnerability id is not \".\", \"..\" and has no \"/\"",
            ));
        }
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        validate_paging(self.offset, self.limit)?;
        for (field, value) in [
            ("namespace", self.namespace.as_deref()),
            ("image_name", self.image_name.as_deref()),
            ("image_id", self.image_id.as_deref()),
            ("app_name", self.app_name.as_deref()),
        ] {
            opt_str_len(field, value, 0, 256)?;
        }
        Ok(())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("limit", self.limit)
            .opt("offset", self.offset)
            .opt("namespace", self.namespace.as_ref())
            .opt("image_name", self.image_name.as_ref())
            .opt("image_id", self.image_id.as_ref())
            .opt("app_name", self.app_name.as_ref())
            .into_pairs()
    }
}

/// `VulRepoImagesTagInfo`: one tag of an affected image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VulRepoImageTag {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
}

/// `VulRepoImageInfo`: one affected repository and its affected tags.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VulRepoImage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_count: Option<i64>,
    /// `private_image` or `shared_image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_list: Vec<VulRepoImageTag>,
}

/// `ListVulRepoImage` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VulRepoImageList {
    pub total_num: i64,
    pub data_list: Vec<VulRepoImage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_general_list_checks_pages_ids_and_labels() {
        let all = GeneralImageVulsRequest::registry(VulType::LinuxVul);
        assert!(all.validate().is_ok());
        let small = GeneralImageVulsRequest {
            limit: Some(5),
            ..all.clone()
        };
        assert_eq!(small.validate().unwrap_err().field, "limit");
        let long = GeneralImageVulsRequest {
            cve_id: Some("C".repeat(257)),
            ..all.clone()
        };
        assert_eq!(long.validate().unwrap_err().field, "cve_id");
        let comma = GeneralImageVulsRequest {
            label_list: Some(vec!["a,b".into()]),
            ..all
        };
        assert_eq!(comma.validate().unwrap_err().field, "label_list[0]");
        let base = r#""type":"app_vul","handle_status":"unhandled","image_type":"registry""#;
        let lower: Result<GeneralImageVulsRequest, _> =
            serde_json::from_str(&format!(r#"{{{base},"severity_level":"critical"}}"#));
        assert!(lower.is_err(), "the service's words are capitalised");
        let missing: Result<GeneralImageVulsRequest, _> =
            serde_json::from_str(r#"{"type":"app_vul","handle_status":"unhandled"}"#);
        assert!(missing.is_err(), "image_type is required");
    }

    #[test]
    fn the_general_list_query_names_are_the_sdks() {
        let req = GeneralImageVulsRequest {
            limit: Some(50),
            severity_level: Some(VulSeverityLevel::Critical),
            cve_id: Some("CVE-2024-3094".into()),
            label_list: Some(vec!["poc".into(), "exp".into()]),
            ..GeneralImageVulsRequest::registry(VulType::AppVul)
        };
        assert_eq!(
            req.query(),
            [
                ("limit", "50"),
                ("type", "app_vul"),
                ("handle_status", "unhandled"),
                ("image_type", "registry"),
                ("severity_level", "Critical"),
                ("cve_id", "CVE-2024-3094"),
                ("label_list", "poc,exp"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn a_vulnerability_id_is_one_path_segment() {
        assert!(
            VulRepoImageRequest::for_vul("CVE-2024-3094")
                .validate()
                .is_ok()
        );
        for bad in ["", "..", "a/b", "a\nb"] {
            assert_eq!(
                VulRepoImageRequest::for_vul(bad)
                    .validate()
                    .unwrap_err()
                    .field,
                "vul_id",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn answers_read_with_missing_members() {
        let list: GeneralImageVulList = serde_json::from_str(
            r#"{"total_num":1,"data_list":[{"vul_id":"CVE-1","severity_level":"High","image_num":3,"cve_list":[{"cve_id":"CVE-1","cvss":7.5}]}]}"#,
        )
        .unwrap();
        assert_eq!(list.data_list[0].image_num, Some(3));
        assert_eq!(list.data_list[0].severity(), Severity::High);
        let images: VulRepoImageList =
            serde_json::from_str(r#"{"total_num":1,"data_list":[{"image_name":"nginx"}]}"#)
                .unwrap();
        assert_eq!(images.data_list[0].image_name.as_deref(), Some("nginx"));
    }
}
