//! The account's vulnerabilities across images: `DescribeSystemVulList`
//! and `DescribeWebVulList` (the system's packages and applications', one
//! row per vulnerability, with how many registry images it affects; both
//! take and answer the same shape)
//! and `DescribeVulRegistryImageList` (the registry images one
//! vulnerability, named by its `PocID`, affects). Names are the SDK's
//! (`DescribeSystemVulListRequest`, `VulInfo`,
//! `DescribeVulRegistryImageListRequest`, `VulAffectedRegistryImageInfo`,
//! `VulAffectedImageComponentInfo`).

use super::{AssetFilter, SortOrder, validate_filters};
use crate::findings::Severity;
use crate::validate::{FieldError, no_control_chars, opt_range, opt_str_len, str_len};
use serde::{Deserialize, Serialize};

/// The largest page both lists give.
pub const MAX_VULS_PAGE: i64 = 100;

/// The filters `DescribeSystemVulList` and `DescribeWebVulList` document
/// (`RunTimeFilters`).
pub const VUL_LIST_FILTERS: [&str; 13] = [
    "OnlyAffectedContainer",
    "OnlyAffectedNewestImage",
    "Level",
    "Tags",
    "CanBeFixed",
    "CVEID",
    "ImageID",
    "ImageName",
    "ContainerID",
    "ContainerName",
    "ComponentName",
    "ComponentVersion",
    "Name",
];

/// The filters `DescribeVulRegistryImageList` documents.
pub const VUL_IMAGE_FILTERS: [&str; 8] = [
    "OnlyAffectedNewestImage",
    "ImageDigest",
    "ImageId",
    "Namespace",
    "ImageTag",
    "InstanceName",
    "ImageName",
    "ImageRepoAddress",
];

fn validate_named_filters(
    filters: Option<&Vec<AssetFilter>>,
    known: &[&str],
) -> Result<(), FieldError> {
    validate_filters("Filters", filters)?;
    for (i, f) in filters.into_iter().flatten().enumerate() {
        if !known.contains(&f.name.as_str()) {
            return Err(FieldError::new(
                format!("Filters[{i}].Name"),
                format!(
                    "this list filters by {} (got {:?})",
                    known.join(", "),
                    f.name
                ),
            ));
        }
        for (j, value) in f.values.iter().enumerate() {
            let field = format!("Filters[{i}].Values[{j}]");
            str_len(&field, value, 0, 256)?;
            no_control_chars(&field, value)?;
        }
    }
    Ok(())
}

fn validate_page(limit: Option<i64>, offset: Option<i64>) -> Result<(), FieldError> {
    opt_range("Limit", limit, 1, MAX_VULS_PAGE)?;
    opt_range("Offset", offset, 0, i64::from(i32::MAX))
}

/// `DescribeSystemVulList` and `DescribeWebVulList` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct VulListRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AssetFilter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl VulListRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        validate_page(self.limit, self.offset)?;
        opt_str_len("By", self.by.as_deref(), 1, 64)?;
        validate_named_filters(self.filters.as_ref(), &VUL_LIST_FILTERS)
    }
}

/// `VulInfo`: one vulnerability across the account (the members a console
/// shows; the defence members are ignored).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VulInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `POC`, `EXP`, …
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(rename = "CVSSV3Score", skip_serializing_if = "Option::is_none")]
    pub cvssv3_score: Option<f64>,
    /// `CRITICAL`, `HIGH`, `MIDDLE`, `LOW`; kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(rename = "CVEID", skip_serializing_if = "Option::is_none")]
    pub cve_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_found_time: Option<String>,
    #[serde(rename = "ID", skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_image_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_image_count: Option<i64>,
    /// What `DescribeVulRegistryImageList` names the vulnerability by.
    #[serde(rename = "PocID", skip_serializing_if = "Option::is_none")]
    pub poc_id: Option<String>,
}

impl VulInfo {
    pub fn severity(&self) -> Severity {
        Severity::from_tcss(self.level.as_deref())
    }
}

/// `DescribeSystemVulList` and `DescribeWebVulList` answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VulList {
    pub total_count: i64,
    pub list: Vec<VulInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `DescribeVulRegistryImageList` request: `PocID` is required.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct VulRegistryImageListRequest {
    #[serde(rename = "PocID")]
    pub poc_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AssetFilter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl VulRegistryImageListRequest {
    pub fn for_poc(poc_id: &str) -> Self {
        Self {
            poc_id: poc_id.to_owned(),
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        str_len("PocID", &self.poc_id, 1, 128)?;
        no_control_chars("PocID", &self.poc_id)?;
        validate_page(self.limit, self.offset)?;
        opt_str_len("By", self.by.as_deref(), 1, 64)?;
        validate_named_filters(self.filters.as_ref(), &VUL_IMAGE_FILTERS)
    }
}

/// `VulAffectedImageComponentInfo`: the component that carries it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VulAffectedComponent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// `VulAffectedRegistryImageInfo`: one registry image it affects.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VulAffectedRegistryImage {
    #[serde(rename = "ImageID", skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_repo_address: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub component_list: Vec<VulAffectedComponent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_latest_image: Option<bool>,
    /// The registry image list's `Id`: what the image page is keyed by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_asset_id: Option<i64>,
}

/// `DescribeVulRegistryImageList` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VulRegistryImageList {
    pub total_count: i64,
    pub list: Vec<VulAffectedRegistryImage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(name: &str, value: &str) -> AssetFilter {
        AssetFilter {
            name: name.into(),
            values: vec![value.into()],
            exact_match: None,
        }
    }

    #[test]
    fn the_system_list_takes_its_documented_filters_only() {
        let ok = VulListRequest {
            filters: Some(vec![
                filter("CVEID", "CVE-2024-3094"),
                filter("Level", "HIGH"),
            ]),
            ..Default::default()
        };
        assert!(ok.validate().is_ok());
        let odd = VulListRequest {
            filters: Some(vec![filter("Severity", "HIGH")]),
            ..Default::default()
        };
        assert_eq!(odd.validate().unwrap_err().field, "Filters[0].Name");
        let big = VulListRequest {
            limit: Some(101),
            ..Default::default()
        };
        assert_eq!(big.validate().unwrap_err().field, "Limit");
    }

    #[test]
    fn the_image_list_needs_a_poc_id() {
        assert_eq!(
            VulRegistryImageListRequest::default()
                .validate()
                .unwrap_err()
                .field,
            "PocID"
        );
        assert!(
            VulRegistryImageListRequest::for_poc("pcmgr-1")
                .validate()
                .is_ok()
        );
        let missing: Result<VulRegistryImageListRequest, _> =
            serde_json::from_str(r#"{"Limit":10}"#);
        assert!(missing.is_err());
        let named: VulRegistryImageListRequest =
            serde_json::from_str(r#"{"PocID":"pcmgr-1","Limit":10}"#).unwrap();
        assert_eq!(
            serde_json::to_value(&named).unwrap(),
            serde_json::json!({"PocID":"pcmgr-1","Limit":10})
        );
    }

    #[test]
    fn answers_read_with_the_sdks_names() {
        let list: VulList = serde_json::from_str(
            r#"{"TotalCount":1,"List":[{"CVEID":"CVE-1","PocID":"p1","Level":"MIDDLE","RegistryImageCount":4,"CVSSV3Score":5.5,"DefenceStatus":"NO_DEFENDED"}],"RequestId":"r"}"#,
        )
        .unwrap();
        let v = &list.list[0];
        assert_eq!(v.poc_id.as_deref(), Some("p1"));
        assert_eq!(v.registry_image_count, Some(4));
        assert_eq!(v.severity(), Severity::Medium);
        let images: VulRegistryImageList = serde_json::from_str(
            r#"{"TotalCount":1,"List":[{"ImageID":"sha256:1","ImageAssetId":7,"ComponentList":[{"Name":"openssl","FixedVersion":"3.0.2"}]}]}"#,
        )
        .unwrap();
        assert_eq!(images.list[0].image_asset_id, Some(7));
        assert_eq!(
            images.list[0].component_list[0].fixed_version.as_deref(),
            Some("3.0.2")
        );
    }
}
