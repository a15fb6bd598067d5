//! `DescribeAssetImageRegistryVulList`: one registry image's
//! vulnerabilities. Names are the SDK's
//! (`DescribeAssetImageRegistryVulListRequest`, `ImageVul`,
//! `ComponentsInfo`).

use super::{AssetFilter, ImageInfo};
use crate::findings::{ImageFindingsRequest, Severity};
use crate::validate::{FieldError, opt_range};
use serde::{Deserialize, Serialize};

/// The largest page the service gives.
pub const MAX_VUL_PAGE: i64 = 100;

/// The filters the service documents for this list; both apply to the
/// cached list.
pub const VUL_FILTERS: [&str; 2] = ["Level", "Name"];

/// `DescribeAssetImageRegistryVulList` request. `Id` (the image's asset
/// id from the registry image list) names the image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ImageVulListRequest {
    pub id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AssetFilter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_info: Option<ImageInfo>,
}

impl ImageVulListRequest {
    pub fn for_image(id: i64) -> Self {
        Self {
            id,
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        opt_range("Id", Some(self.id), 1, i64::MAX)?;
        opt_range("Limit", self.limit, 1, MAX_VUL_PAGE)?;
        opt_range("Offset", self.offset, 0, i64::from(i32::MAX))?;
        super::validate_filters("Filters", self.filters.as_ref())?;
        for (i, f) in self.filters.iter().flatten().enumerate() {
            if !VUL_FILTERS.contains(&f.name.as_str()) {
                return Err(FieldError::new(
                    format!("Filters[{i}].Name"),
                    format!("this list filters by Level or Name (got {:?})", f.name),
                ));
            }
        }
        Ok(())
    }

    /// One page of every finding of the image, for the cache.
    pub fn whole_list(&self, offset: i64) -> Self {
        Self {
            id: self.id,
            limit: Some(MAX_VUL_PAGE),
            offset: Some(offset),
            filters: None,
            image_info: self.image_info.clone(),
        }
    }

    /// Whether a cached finding passes this request's filters: `Level` is
    /// one of the values (any case), `Name` matches the name or CVE id in
    /// part (or exactly, with `ExactMatch`).
    pub fn matches(&self, v: &ImageVul) -> bool {
        self.filters.iter().flatten().all(|f| {
            let exact = f.exact_match == Some(true);
            match f.name.as_str() {
                "Level" => f.values.iter().any(|want| {
                    v.level
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case(want))
                }),
                _ => f.values.iter().any(|want| {
                    let want = want.to_lowercase();
                    [v.name.as_deref(), v.cve_id.as_deref()]
                        .into_iter()
                        .flatten()
                        .any(|have| {
                            let have = have.to_lowercase();
                            if exact {
                                have == want
                            } else {
                                have.contains(&want)
                            }
                        })
                }),
            }
        })
    }
}

impl ImageFindingsRequest for ImageVulListRequest {
    type Item = ImageVul;
    const MAX_PAGE: i64 = MAX_VUL_PAGE;

    fn cache_kind(&self) -> String {
        "tcss/vulnerabilities".to_owned()
    }
    fn cache_image(&self) -> String {
        self.id.to_string()
    }
    fn whole_list(&self, offset: i64) -> Self {
        Self::whole_list(self, offset)
    }
    fn matches(&self, item: &ImageVul) -> bool {
        Self::matches(self, item)
    }
    fn window(&self) -> (Option<i64>, Option<i64>) {
        (self.offset, self.limit)
    }
}

/// `ComponentsInfo`: a component a vulnerability is in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ComponentInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `ImageVul`: one vulnerability of an image (the members a console
/// shows; the service sends more, which are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImageVul {
    #[serde(rename = "CVEID", skip_serializing_if = "Option::is_none")]
    pub cve_id: Option<String>,
    #[serde(rename = "POCID", skip_serializing_if = "Option::is_none")]
    pub poc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `CRITICAL`, `HIGH`, `MEDIUM`, `LOW`; kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub des: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official_solution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss_score: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_versions: Option<String>,
    /// `CanBeFixed`, `DynamicLevelPoc`, `DynamicLevelExp`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl ImageVul {
    pub fn severity(&self) -> Severity {
        Severity::from_tcss(self.level.as_deref())
    }

    /// Whether the service says a fixed version exists.
    pub fn can_be_fixed(&self) -> bool {
        let named = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
        self.tag.iter().any(|t| t == "CanBeFixed")
            || named(self.fixed_versions.as_deref())
            || self
                .components
                .iter()
                .any(|c| named(c.fixed_version.as_deref()))
    }
}

/// `DescribeAssetImageRegistryVulList` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImageVulList {
    pub list: Vec<ImageVul>,
    pub total_count: i64,
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
    fn refuses_unknown_filters_and_pages() {
        assert!(ImageVulListRequest::for_image(3).validate().is_ok());
        assert_eq!(
            ImageVulListRequest::for_image(0)
                .validate()
                .unwrap_err()
                .field,
            "Id"
        );
        let big = ImageVulListRequest {
            limit: Some(101),
            ..ImageVulListRequest::for_image(3)
        };
        assert_eq!(big.validate().unwrap_err().field, "Limit");
        let odd = ImageVulListRequest {
            filters: Some(vec![filter("Component", "xz")]),
            ..ImageVulListRequest::for_image(3)
        };
        assert_eq!(odd.validate().unwrap_err().field, "Filters[0].Name");
    }

    #[test]
    fn filters_apply_to_the_cached_list() {
        let v = ImageVul {
            cve_id: Some("CVE-2024-3094".into()),
            name: Some("xz backdoor".into()),
            level: Some("CRITICAL".into()),
            ..ImageVul::default()
        };
        let with = |filters| ImageVulListRequest {
            filters: Some(filters),
            ..ImageVulListRequest::for_image(1)
        };
        assert!(with(vec![filter("Level", "critical")]).matches(&v));
        assert!(!with(vec![filter("Level", "HIGH")]).matches(&v));
        assert!(with(vec![filter("Name", "3094")]).matches(&v));
        assert!(
            !with(vec![AssetFilter {
                exact_match: Some(true),
                ..filter("Name", "3094")
            }])
            .matches(&v)
        );
    }
}
