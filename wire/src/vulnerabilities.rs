//! An account's vulnerabilities across its images, the same for both
//! clouds: what the Vulnerabilities page shows. HSS answers them with
//! `ListGeneralImageVuls` and `ListVulRepoImage`, TCSS with
//! `DescribeSystemVulList` and `DescribeVulRegistryImageList`; this module
//! puts both on one scale and says how each cloud is asked.

use crate::findings::{ImageRef, Severity};
use crate::hss::{
    FindingsImageType, GeneralImageVul, GeneralImageVulsRequest, VulRepoImage, VulRepoImageRequest,
    VulSeverityLevel, VulType,
};
use crate::tcss::{
    AssetFilter, VulAffectedRegistryImage, VulInfo, VulListRequest, VulRegistryImageListRequest,
};
use serde::{Deserialize, Serialize};

/// Rows a page of the Vulnerabilities page shows: within both clouds'
/// page limits (HSS 10..200, TCSS up to 100).
pub const PAGE_SIZE: i64 = 50;

/// The farthest page: HSS pages up to offset 2,000,000; no account has
/// near that many vulnerabilities.
const MAX_PAGE: i64 = 10_000;

/// One vulnerability across an account's images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountVulnerability {
    /// What names it to its cloud's affected-images call: HSS `vul_id`,
    /// TCSS `PocID`.
    pub key: String,
    /// The CVE, or the cloud's own id when it has none.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// The cloud's own word (`Critical`, `MIDDLE`, …).
    pub level: String,
    /// How many images it affects.
    pub images: i64,
    pub cvss: Option<f64>,
    /// The advisory.
    pub link: Option<String>,
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

/// NVD's page of a CVE, for a cloud that names no advisory.
fn nvd_link(id: &str) -> Option<String> {
    id.starts_with("CVE-")
        .then(|| format!("https://nvd.nist.gov/vuln/detail/{id}"))
}

impl From<&GeneralImageVul> for AccountVulnerability {
    fn from(v: &GeneralImageVul) -> Self {
        let key = text(v.vul_id.as_ref());
        let id = v
            .cve_list
            .first()
            .and_then(|c| c.cve_id.clone())
            .unwrap_or_else(|| key.clone());
        Self {
            title: v
                .vul_name
                .clone()
                .or_else(|| v.description.clone())
                .unwrap_or_default(),
            severity: v.severity(),
            level: text(v.severity_level.as_ref()),
            images: v.image_num.unwrap_or(0),
            cvss: v.max_cvss_score,
            link: v
                .url
                .clone()
                .filter(|u| !u.is_empty())
                .or_else(|| nvd_link(&id)),
            key,
            id,
        }
    }
}

impl From<&VulInfo> for AccountVulnerability {
    fn from(v: &VulInfo) -> Self {
        let id = v
            .cve_id
            .clone()
            .filter(|c| !c.is_empty())
            .or_else(|| v.poc_id.clone())
            .unwrap_or_default();
        Self {
            key: text(v.poc_id.as_ref()),
            title: text(v.name.as_ref()),
            severity: v.severity(),
            level: text(v.level.as_ref()),
            images: v.registry_image_count.unwrap_or(0),
            cvss: v.cvssv3_score,
            link: nvd_link(&id),
            id,
        }
    }
}

/// Whose packages: both clouds list the operating system's and
/// applications' vulnerabilities apart (HSS `type` `linux_vul` or
/// `app_vul`; TCSS `DescribeSystemVulList` or `DescribeWebVulList`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageKind {
    #[default]
    System,
    Application,
}

impl PackageKind {
    pub const ALL: [Self; 2] = [Self::System, Self::Application];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Application => "application",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// The Vulnerabilities page's filters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountVulnerabilityFilter {
    pub kind: PackageKind,
    pub severity: Option<Severity>,
    /// A CVE id (`CVE-…`, matched as the cloud matches ids) or part of a
    /// vulnerability's name.
    pub search: String,
    /// 1-based; 0 reads as 1.
    pub page: usize,
}

impl AccountVulnerabilityFilter {
    pub fn validate(&self) -> Result<(), crate::FieldError> {
        crate::validate::str_len("filter.search", &self.search, 0, 128)?;
        crate::validate::no_control_chars("filter.search", &self.search)?;
        crate::validate::opt_range(
            "filter.page",
            Some(i64::try_from(self.page).unwrap_or(i64::MAX)),
            0,
            MAX_PAGE,
        )?;
        if self.severity == Some(Severity::Unknown) {
            return Err(crate::FieldError::new(
                "filter.severity",
                "the clouds list no vulnerability without a severity",
            ));
        }
        Ok(())
    }

    fn offset(&self) -> i64 {
        (i64::try_from(self.page.max(1)).unwrap_or(1) - 1) * PAGE_SIZE
    }

    fn search(&self) -> Option<&str> {
        Some(self.search.trim()).filter(|s| !s.is_empty())
    }

    fn is_cve(search: &str) -> bool {
        search.len() > 4 && search[..4].eq_ignore_ascii_case("CVE-")
    }

    /// The HSS request for this page.
    pub fn hss_request(&self) -> GeneralImageVulsRequest {
        self.hss_rows(self.offset(), PAGE_SIZE)
    }

    /// The HSS request for `limit` rows from `offset`, with these filters.
    pub fn hss_rows(&self, offset: i64, limit: i64) -> GeneralImageVulsRequest {
        let search = self.search().map(str::to_owned);
        let cve = search.as_deref().is_some_and(Self::is_cve);
        let r#type = match self.kind {
            PackageKind::System => VulType::LinuxVul,
            PackageKind::Application => VulType::AppVul,
        };
        GeneralImageVulsRequest {
            offset: Some(offset),
            limit: Some(limit),
            severity_level: self.severity.and_then(|s| match s {
                Severity::Critical => Some(VulSeverityLevel::Critical),
                Severity::High => Some(VulSeverityLevel::High),
                Severity::Medium => Some(VulSeverityLevel::Medium),
                Severity::Low => Some(VulSeverityLevel::Low),
                Severity::Unknown => None,
            }),
            cve_id: search.clone().filter(|_| cve).map(|s| s.to_uppercase()),
            vul_name: search.filter(|_| !cve),
            ..GeneralImageVulsRequest::registry(r#type)
        }
    }

    /// The TCSS request for this page.
    pub fn tcss_request(&self) -> VulListRequest {
        self.tcss_rows(self.offset(), PAGE_SIZE)
    }

    /// The TCSS request for `limit` rows from `offset`, with these filters.
    pub fn tcss_rows(&self, offset: i64, limit: i64) -> VulListRequest {
        let mut filters = Vec::new();
        if let Some(level) = self.severity.and_then(tcss_level) {
            filters.push(filter("Level", level));
        }
        if let Some(search) = self.search() {
            if Self::is_cve(search) {
                filters.push(filter("CVEID", &search.to_uppercase()));
            } else {
                filters.push(filter("Name", search));
            }
        }
        VulListRequest {
            limit: Some(limit),
            offset: Some(offset),
            filters: (!filters.is_empty()).then_some(filters),
            ..VulListRequest::default()
        }
    }
}

fn filter(name: &str, value: &str) -> AssetFilter {
    AssetFilter {
        name: name.to_owned(),
        values: vec![value.to_owned()],
        exact_match: None,
    }
}

/// TCSS's `Level` words for the scale (it says `MIDDLE` for medium).
const fn tcss_level(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("CRITICAL"),
        Severity::High => Some("HIGH"),
        Severity::Medium => Some("MIDDLE"),
        Severity::Low => Some("LOW"),
        Severity::Unknown => None,
    }
}

/// One page of an account's vulnerabilities, as its cloud ordered them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountVulnerabilityPage {
    pub items: Vec<AccountVulnerability>,
    /// How many match (all pages), as the cloud counted.
    pub total: i64,
    pub fetched_at_ms: i64,
}

/// One image a vulnerability affects, named as its image page wants it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedImage {
    /// `None` when the cloud did not say enough to open its page.
    pub image: Option<ImageRef>,
    pub namespace: String,
    pub name: String,
    pub tag: String,
    /// Where the image is kept, when the cloud says (TCSS's repository
    /// address): two registries may hold the same name and tag.
    pub registry: String,
    pub package: String,
    pub version: String,
    pub fixed_version: Option<String>,
}

/// HSS lists a repository with its affected tags: one row per tag, each
/// tag's id being the image id its findings are kept under.
pub fn hss_affected(repo: &VulRepoImage) -> Vec<AffectedImage> {
    let image_type = repo
        .image_type
        .as_deref()
        .and_then(FindingsImageType::parse);
    let namespace = text(repo.namespace.as_ref());
    let name = text(repo.image_name.as_ref());
    let row = |tag: String, image_id: Option<&String>, package: Option<&String>| {
        let image = image_id
            .filter(|id| !id.is_empty())
            .zip(image_type)
            .map(|(id, image_type)| ImageRef::Hss {
                image_id: id.clone(),
                image_type,
                namespace: namespace.clone(),
                image_name: name.clone(),
                tag_name: tag.clone(),
            });
        AffectedImage {
            image,
            namespace: namespace.clone(),
            name: name.clone(),
            tag,
            registry: String::new(),
            package: text(package.or(repo.app_name.as_ref())),
            version: text(repo.version.as_ref()),
            fixed_version: None,
        }
    };
    if repo.data_list.is_empty() {
        return vec![row(String::new(), repo.image_id.as_ref(), None)];
    }
    repo.data_list
        .iter()
        .map(|t| {
            row(
                text(t.tag_name.as_ref()),
                t.tag_id.as_ref(),
                t.app_name.as_ref(),
            )
        })
        .collect()
}

impl From<&VulAffectedRegistryImage> for AffectedImage {
    fn from(i: &VulAffectedRegistryImage) -> Self {
        let component = i.component_list.first();
        let part = |f: fn(&crate::tcss::VulAffectedComponent) -> Option<&String>| {
            component.and_then(f).cloned().unwrap_or_default()
        };
        Self {
            image: i
                .image_asset_id
                .filter(|id| *id > 0)
                .map(|id| ImageRef::Tcss { id }),
            namespace: text(i.namespace.as_ref()),
            name: text(i.image_name.as_ref()),
            tag: text(i.image_tag.as_ref()),
            registry: text(i.image_repo_address.as_ref()),
            package: part(|c| c.name.as_ref()),
            version: part(|c| c.version.as_ref()),
            fixed_version: component
                .and_then(|c| c.fixed_version.clone())
                .filter(|f| !f.is_empty()),
        }
    }
}

/// Which vulnerability's images, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AffectedImagesQuery {
    /// [`AccountVulnerability::key`].
    pub key: String,
    /// 1-based; 0 reads as 1.
    pub page: usize,
}

impl AffectedImagesQuery {
    pub fn validate(&self) -> Result<(), crate::FieldError> {
        crate::validate::str_len("query.key", &self.key, 1, 128)?;
        crate::validate::opt_range(
            "query.page",
            Some(i64::try_from(self.page).unwrap_or(i64::MAX)),
            0,
            MAX_PAGE,
        )?;
        // The clouds' own rules, named as this query names them.
        self.hss_request()
            .validate()
            .map_err(|e| crate::FieldError::new("query.key", e.message))
    }

    fn offset(&self) -> i64 {
        (i64::try_from(self.page.max(1)).unwrap_or(1) - 1) * PAGE_SIZE
    }

    pub fn hss_request(&self) -> VulRepoImageRequest {
        self.hss_rows(self.offset(), PAGE_SIZE)
    }

    /// The HSS request for `limit` repositories from `offset`.
    pub fn hss_rows(&self, offset: i64, limit: i64) -> VulRepoImageRequest {
        VulRepoImageRequest {
            offset: Some(offset),
            limit: Some(limit),
            ..VulRepoImageRequest::for_vul(&self.key)
        }
    }

    pub fn tcss_request(&self) -> VulRegistryImageListRequest {
        self.tcss_rows(self.offset(), PAGE_SIZE)
    }

    /// The TCSS request for `limit` images from `offset`.
    pub fn tcss_rows(&self, offset: i64, limit: i64) -> VulRegistryImageListRequest {
        VulRegistryImageListRequest {
            offset: Some(offset),
            limit: Some(limit),
            ..VulRegistryImageListRequest::for_poc(&self.key)
        }
    }
}

/// One page of the images a vulnerability affects. HSS counts and pages
/// repositories, each with its affected tags (a row each); TCSS counts
/// and pages images.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedImagePage {
    pub items: Vec<AffectedImage>,
    /// How many the cloud counts in all: repositories (HSS) or images.
    pub total: i64,
    /// How many of those this page holds.
    pub counted: usize,
    /// Whether the cloud counts repositories (HSS), not images.
    pub by_repository: bool,
    pub fetched_at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hss::{GeneralImageVulCve, VulRepoImageTag};
    use crate::tcss::VulAffectedComponent;

    #[test]
    fn both_clouds_rows_read_the_same() {
        let hss = AccountVulnerability::from(&GeneralImageVul {
            vul_id: Some("CVE-2024-3094".into()),
            vul_name: Some("xz backdoor".into()),
            severity_level: Some("Critical".into()),
            image_num: Some(4),
            cve_list: vec![GeneralImageVulCve {
                cve_id: Some("CVE-2024-3094".into()),
                cvss: Some(10.0),
            }],
            max_cvss_score: Some(10.0),
            ..Default::default()
        });
        let tcss = AccountVulnerability::from(&VulInfo {
            cve_id: Some("CVE-2024-3094".into()),
            poc_id: Some("pcmgr-1".into()),
            name: Some("xz backdoor".into()),
            level: Some("CRITICAL".into()),
            registry_image_count: Some(4),
            cvssv3_score: Some(10.0),
            ..Default::default()
        });
        assert_eq!(
            (hss.id.as_str(), tcss.id.as_str()),
            ("CVE-2024-3094", "CVE-2024-3094")
        );
        assert_eq!(
            (hss.severity, tcss.severity),
            (Severity::Critical, Severity::Critical)
        );
        assert_eq!((hss.images, tcss.images), (4, 4));
        assert_eq!(
            (hss.key.as_str(), tcss.key.as_str()),
            ("CVE-2024-3094", "pcmgr-1")
        );
        assert_eq!(
            tcss.link.as_deref(),
            Some("https://nvd.nist.gov/vuln/detail/CVE-2024-3094")
        );
    }

    #[test]
    fn a_cve_search_asks_for_the_cve_and_a_word_for_the_name() {
        let cve = AccountVulnerabilityFilter {
            kind: PackageKind::Application,
            search: " cve-2024-3094 ".into(),
            severity: Some(Severity::Medium),
            page: 3,
        };
        let hss = cve.hss_request();
        assert_eq!(hss.r#type, VulType::AppVul);
        assert_eq!(hss.cve_id.as_deref(), Some("CVE-2024-3094"));
        assert_eq!((hss.offset, hss.limit), (Some(100), Some(50)));
        assert_eq!(hss.severity_level, Some(VulSeverityLevel::Medium));
        assert!(hss.validate().is_ok());
        let tcss = cve.tcss_request();
        let filters = tcss.filters.clone().unwrap();
        assert_eq!(
            filters
                .iter()
                .map(|f| (f.name.as_str(), f.values[0].as_str()))
                .collect::<Vec<_>>(),
            [("Level", "MIDDLE"), ("CVEID", "CVE-2024-3094")]
        );
        assert!(tcss.validate().is_ok());
        let word = AccountVulnerabilityFilter {
            search: "openssl".into(),
            ..Default::default()
        };
        assert_eq!(word.hss_request().vul_name.as_deref(), Some("openssl"));
        assert_eq!(word.tcss_request().filters.unwrap()[0].name, "Name");
    }

    #[test]
    fn filters_and_queries_are_checked() {
        let unknown = AccountVulnerabilityFilter {
            severity: Some(Severity::Unknown),
            ..Default::default()
        };
        assert_eq!(unknown.validate().unwrap_err().field, "filter.severity");
        let far = AccountVulnerabilityFilter {
            page: 10_001,
            ..Default::default()
        };
        assert_eq!(far.validate().unwrap_err().field, "filter.page");
        for bad in ["", "a/b", ".."] {
            let q = AffectedImagesQuery {
                key: bad.into(),
                page: 1,
            };
            assert_eq!(q.validate().unwrap_err().field, "query.key", "{bad:?}");
        }
    }

    #[test]
    fn affected_images_open_their_image_pages() {
        let rows = hss_affected(&VulRepoImage {
            namespace: Some("shop".into()),
            image_name: Some("web".into()),
            image_type: Some("private_image".into()),
            app_name: Some("openssl".into()),
            version: Some("3.0.1".into()),
            data_list: vec![
                VulRepoImageTag {
                    tag_id: Some("img-1".into()),
                    tag_name: Some("v1".into()),
                    ..Default::default()
                },
                VulRepoImageTag {
                    tag_id: Some("img-2".into()),
                    tag_name: Some("v2".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        });
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1].image,
            Some(ImageRef::Hss {
                image_id: "img-2".into(),
                image_type: FindingsImageType::PrivateImage,
                namespace: "shop".into(),
                image_name: "web".into(),
                tag_name: "v2".into(),
            })
        );
        let tcss = AffectedImage::from(&VulAffectedRegistryImage {
            image_asset_id: Some(7),
            image_name: Some("web".into()),
            component_list: vec![VulAffectedComponent {
                name: Some("openssl".into()),
                fixed_version: Some("3.0.2".into()),
                ..Default::default()
            }],
            ..Default::default()
        });
        assert_eq!(tcss.image, Some(ImageRef::Tcss { id: 7 }));
        assert_eq!(tcss.fixed_version.as_deref(), Some("3.0.2"));
    }
}
