//! One registry image's findings beyond vulnerabilities: malicious files
//! (`DescribeAssetImageRegistryVirusList`) and risky build settings
//! (`DescribeAssetImageRegistryRiskInfoList`). Names are the SDK's
//! (`ImageVirus`, `ImageRisk`). Their docstrings name the vulnerability
//! list's filters (copied there); the names accepted here are those and
//! the ones Tencent's own examples send (`RiskLevel`; `Behavior`, `Type`).

use super::{AssetFilter, FILTER_ALL, ImageInfo};
use crate::findings::{ImageFindingsRequest, Severity};
use crate::validate::{FieldError, opt_range};
use serde::{Deserialize, Serialize};

/// The largest page these lists give.
pub const MAX_RISK_PAGE: i64 = 100;

/// Filters the virus list takes.
pub const VIRUS_FILTERS: [&str; 3] = ["RiskLevel", "Level", "Name"];
/// Filters the risk list takes.
pub const RISK_FILTERS: [&str; 4] = ["Level", "Behavior", "Type", "Name"];

fn validate_request(
    id: i64,
    limit: Option<i64>,
    offset: Option<i64>,
    filters: Option<&Vec<AssetFilter>>,
    known: &[&str],
) -> Result<(), FieldError> {
    opt_range("Id", Some(id), 1, i64::MAX)?;
    opt_range("Limit", limit, 1, MAX_RISK_PAGE)?;
    opt_range("Offset", offset, 0, i64::from(i32::MAX))?;
    super::validate_filters("Filters", filters)?;
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
    }
    Ok(())
}

/// Whether `have` is one of a filter's values (`all` is any; any case).
fn one_of(values: &[String], have: &str) -> bool {
    values
        .iter()
        .any(|want| want == FILTER_ALL || want.eq_ignore_ascii_case(have))
}

/// Whether any of `fields` contains one of the values (in any case), or
/// equals it with `ExactMatch`.
fn text_matches(filter: &AssetFilter, fields: &[Option<&str>]) -> bool {
    let exact = filter.exact_match == Some(true);
    filter.values.iter().any(|want| {
        let want = want.to_lowercase();
        fields.iter().flatten().any(|have| {
            let have = have.to_lowercase();
            if exact {
                have == want
            } else {
                have.contains(&want)
            }
        })
    })
}

/// `DescribeAssetImageRegistryVirusList` request. `Id` (the image's asset
/// id from the registry image list) names the image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ImageVirusListRequest {
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

impl ImageVirusListRequest {
    pub fn for_image(id: i64) -> Self {
        Self {
            id,
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_request(
            self.id,
            self.limit,
            self.offset,
            self.filters.as_ref(),
            &VIRUS_FILTERS,
        )
    }
}

impl ImageFindingsRequest for ImageVirusListRequest {
    type Item = ImageVirus;
    const MAX_PAGE: i64 = MAX_RISK_PAGE;

    fn cache_kind(&self) -> String {
        "tcss/viruses".to_owned()
    }
    fn cache_image(&self) -> String {
        self.id.to_string()
    }
    fn whole_list(&self, offset: i64) -> Self {
        Self {
            id: self.id,
            limit: Some(MAX_RISK_PAGE),
            offset: Some(offset),
            filters: None,
            image_info: self.image_info.clone(),
        }
    }
    fn matches(&self, v: &ImageVirus) -> bool {
        self.filters
            .iter()
            .flatten()
            .all(|f| match f.name.as_str() {
                "RiskLevel" | "Level" => one_of(&f.values, v.risk_level.as_deref().unwrap_or("")),
                _ => text_matches(
                    f,
                    &[
                        v.virus_name.as_deref(),
                        v.file_name.as_deref(),
                        v.path.as_deref(),
                    ],
                ),
            })
    }
    fn window(&self) -> (Option<i64>, Option<i64>) {
        (self.offset, self.limit)
    }
}

/// `ImageVirus`: a malicious file in an image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImageVirus {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A digit, `"1"` (low) to `"4"` (critical); kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virus_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_md5: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_scan_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_scan_time: Option<String>,
}

impl ImageVirus {
    pub fn severity(&self) -> Severity {
        Severity::from_tcss(self.risk_level.as_deref())
    }
}

/// `DescribeAssetImageRegistryVirusList` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImageVirusList {
    pub list: Vec<ImageVirus>,
    pub total_count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `DescribeAssetImageRegistryRiskInfoList` request. `By` sorts by
/// `Level` only; `Order` is `ASC` or `DESC` (any case).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ImageRiskInfoListRequest {
    pub id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AssetFilter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_info: Option<ImageInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
}

impl ImageRiskInfoListRequest {
    pub fn for_image(id: i64) -> Self {
        Self {
            id,
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_request(
            self.id,
            self.limit,
            self.offset,
            self.filters.as_ref(),
            &RISK_FILTERS,
        )?;
        if let Some(by) = self.by.as_deref()
            && by != "Level"
        {
            return Err(FieldError::new(
                "By",
                format!("this list sorts by Level (got {by:?})"),
            ));
        }
        if let Some(order) = self.order.as_deref()
            && !(order.eq_ignore_ascii_case("asc") || order.eq_ignore_ascii_case("desc"))
        {
            return Err(FieldError::new(
                "Order",
                format!("ASC or DESC (got {order:?})"),
            ));
        }
        Ok(())
    }

    /// The cached list in the order asked for: by `Level`, most severe
    /// last for `ASC` (the service's digits sort that way), first for `DESC`.
    pub fn arrange(&self, items: &mut [ImageRisk]) {
        if self.by.is_some() || self.order.is_some() {
            items.sort_by_key(|r| std::cmp::Reverse(r.severity()));
            if self
                .order
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case("desc"))
            {
                items.reverse();
            }
        }
    }
}

impl ImageFindingsRequest for ImageRiskInfoListRequest {
    type Item = ImageRisk;
    const MAX_PAGE: i64 = MAX_RISK_PAGE;

    fn cache_kind(&self) -> String {
        "tcss/risks".to_owned()
    }
    fn cache_image(&self) -> String {
        self.id.to_string()
    }
    fn whole_list(&self, offset: i64) -> Self {
        Self {
            id: self.id,
            limit: Some(MAX_RISK_PAGE),
            offset: Some(offset),
            image_info: self.image_info.clone(),
            ..Self::default()
        }
    }
    fn matches(&self, r: &ImageRisk) -> bool {
        self.filters
            .iter()
            .flatten()
            .all(|f| match f.name.as_str() {
                "Level" => one_of(&f.values, r.level.as_deref().unwrap_or("")),
                "Behavior" => one_of(&f.values, &r.behavior.unwrap_or(0).to_string()),
                "Type" => one_of(&f.values, &r.r#type.unwrap_or(0).to_string()),
                _ => text_matches(f, &[r.desc.as_deref(), r.instruction_content.as_deref()]),
            })
    }
    fn window(&self) -> (Option<i64>, Option<i64>) {
        (self.offset, self.limit)
    }
}

/// `ImageRisk`: a risky setting in how an image was built (a password in
/// an environment variable, a root user, …).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImageRisk {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub behavior: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<i64>,
    /// A digit, `"1"` (low) to `"4"` (critical); kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// The Dockerfile instruction at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instruction_content: Option<String>,
}

impl ImageRisk {
    pub fn severity(&self) -> Severity {
        Severity::from_tcss(self.level.as_deref())
    }
}

/// `DescribeAssetImageRegistryRiskInfoList` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImageRiskList {
    pub list: Vec<ImageRisk>,
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
    fn refuses_what_the_lists_do_not_take() {
        assert!(ImageVirusListRequest::for_image(3).validate().is_ok());
        let odd = ImageVirusListRequest {
            filters: Some(vec![filter("Behavior", "1")]),
            ..ImageVirusListRequest::for_image(3)
        };
        assert_eq!(odd.validate().unwrap_err().field, "Filters[0].Name");
        let sorted = ImageRiskInfoListRequest {
            by: Some("Desc".into()),
            ..ImageRiskInfoListRequest::for_image(3)
        };
        assert_eq!(sorted.validate().unwrap_err().field, "By");
        let order = ImageRiskInfoListRequest {
            order: Some("up".into()),
            ..ImageRiskInfoListRequest::for_image(3)
        };
        assert_eq!(order.validate().unwrap_err().field, "Order");
    }

    #[test]
    fn filters_and_order_apply_to_the_cached_list() {
        let virus = ImageVirus {
            risk_level: Some("4".into()),
            virus_name: Some("Linux.Trojan.Mirai".into()),
            ..ImageVirus::default()
        };
        let with = |filters| ImageVirusListRequest {
            filters: Some(filters),
            ..ImageVirusListRequest::for_image(1)
        };
        assert!(with(vec![filter("RiskLevel", "4")]).matches(&virus));
        assert!(with(vec![filter("RiskLevel", "all")]).matches(&virus));
        assert!(!with(vec![filter("RiskLevel", "2")]).matches(&virus));
        assert!(with(vec![filter("Name", "mirai")]).matches(&virus));
        assert_eq!(virus.severity(), Severity::Critical);

        let risk = |level: &str| ImageRisk {
            level: Some(level.into()),
            behavior: Some(3),
            ..ImageRisk::default()
        };
        let req = ImageRiskInfoListRequest {
            filters: Some(vec![filter("Behavior", "3")]),
            order: Some("desc".into()),
            ..ImageRiskInfoListRequest::for_image(1)
        };
        assert!(req.matches(&risk("2")));
        let mut items = vec![risk("1"), risk("4"), risk("2")];
        req.arrange(&mut items);
        assert_eq!(
            items[0].level.as_deref(),
            Some("4"),
            "DESC: most severe first"
        );
    }
}
