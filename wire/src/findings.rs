//! What scans found, on one scale for both clouds, and the envelope the
//! console's findings endpoints answer in (the cloud's own answer, plus
//! when it was fetched: findings are served from a cache).

use serde::{Deserialize, Serialize};

/// One severity scale for both clouds. Each cloud's own word is kept and
/// shown too; this is what the console sorts, filters and counts by.
///
/// | scale | HSS `repair_necessity` | TCSS `Level` |
/// |---|---|---|
/// | critical | (none) | `CRITICAL` |
/// | high | `immediate_repair` | `HIGH` |
/// | medium | `delay_repair` | `MEDIUM` |
/// | low | `not_needed_repair` | `LOW` |
/// | unknown | anything else | anything else |
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Unknown,
}

impl Severity {
    /// Most severe first.
    pub const ALL: [Self; 5] = [
        Self::Critical,
        Self::High,
        Self::Medium,
        Self::Low,
        Self::Unknown,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// HSS's `repair_necessity`.
    pub fn from_hss(repair_necessity: Option<&str>) -> Self {
        match repair_necessity {
            Some("immediate_repair") => Self::High,
            Some("delay_repair") => Self::Medium,
            Some("not_needed_repair") => Self::Low,
            _ => Self::Unknown,
        }
    }

    /// TCSS's `Level` (case-insensitive: the answers are upper case, the
    /// console's own examples sometimes not).
    pub fn from_tcss(level: Option<&str>) -> Self {
        match level.map(str::to_ascii_uppercase).as_deref() {
            Some("CRITICAL") => Self::Critical,
            Some("HIGH") => Self::High,
            Some("MEDIUM") => Self::Medium,
            Some("LOW") => Self::Low,
            _ => Self::Unknown,
        }
    }
}

/// `scanned_at`, the image's last scan time as a caller saw it (ms for
/// HSS, `YYYY-MM-DD HH:MM:SS` for TCSS): a cache key, so short and plain.
pub fn validate_scanned_at(value: &str) -> Result<(), crate::FieldError> {
    crate::validate::str_len("scanned_at", value, 0, 64)?;
    crate::validate::no_control_chars("scanned_at", value)
}

/// A findings answer: the cloud's answer (every finding of the image that
/// matches the request, one page of it) and when the cache fetched it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cached<T> {
    #[serde(flatten)]
    pub answer: T,
    /// When the findings were fetched from the cloud (ms since the epoch).
    pub fetched_at_ms: i64,
    /// False when the image has more findings than the console fetches
    /// for one image (see `MAX_FINDINGS`); the answer holds the first.
    pub complete: bool,
}

/// The most findings of one kind fetched for one image: five pages of
/// HSS's largest (200), ten of TCSS's (100). At HSS's 5 calls a minute,
/// more would keep a viewer waiting minutes.
pub const MAX_FINDINGS: usize = 1000;

/// One vulnerability of an image, the same for both clouds: what the
/// console's image page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vulnerability {
    /// CVE or the cloud's vulnerability id.
    pub id: String,
    pub severity: Severity,
    /// The cloud's own word for it (`immediate_repair`, `HIGH`, …).
    pub level: String,
    pub package: String,
    pub version: String,
    /// The version that fixes it, when the cloud says.
    pub fixed_version: Option<String>,
    /// Whether a fix exists: `None` when the cloud does not say (HSS).
    pub fixable: Option<bool>,
    pub title: String,
    pub solution: String,
    /// The advisory or patch.
    pub link: Option<String>,
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

impl From<&crate::hss::ImageVulnerability> for Vulnerability {
    fn from(v: &crate::hss::ImageVulnerability) -> Self {
        Self {
            id: text(v.vul_id.as_ref()),
            severity: v.severity(),
            level: text(v.repair_necessity.as_ref()),
            package: text(v.app_name.as_ref()),
            version: text(v.version.as_ref()),
            fixed_version: None,
            fixable: None,
            title: text(v.description.as_ref()),
            solution: text(v.solution.as_ref()),
            link: v.url.clone().filter(|u| !u.is_empty()),
        }
    }
}

impl From<&crate::tcss::ImageVul> for Vulnerability {
    fn from(v: &crate::tcss::ImageVul) -> Self {
        let component = v.components.first();
        let fixed = v
            .fixed_versions
            .clone()
            .or_else(|| component.and_then(|c| c.fixed_version.clone()))
            .filter(|f| !f.is_empty());
        Self {
            id: v
                .cve_id
                .clone()
                .or_else(|| v.poc_id.clone())
                .unwrap_or_default(),
            severity: v.severity(),
            level: text(v.level.as_ref()),
            package: v
                .component
                .clone()
                .or_else(|| component.and_then(|c| c.component.clone()))
                .unwrap_or_default(),
            version: v
                .version
                .clone()
                .or_else(|| component.and_then(|c| c.version.clone()))
                .unwrap_or_default(),
            fixable: Some(v.can_be_fixed()),
            fixed_version: fixed,
            title: v.name.clone().or_else(|| v.des.clone()).unwrap_or_default(),
            solution: text(v.official_solution.as_ref()),
            link: v.reference.clone().filter(|u| !u.is_empty()),
        }
    }
}

/// Which image's findings: each cloud names an image its own way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cloud", rename_all = "lowercase")]
pub enum ImageRef {
    /// What `ListImageVulnerabilities` requires.
    Hss {
        image_id: String,
        image_type: crate::hss::FindingsImageType,
        namespace: String,
        image_name: String,
        tag_name: String,
    },
    /// A registry image's asset id.
    Tcss { id: i64 },
}

/// Vulnerabilities an image page shows at once.
pub const VULNERABILITY_PAGE: usize = 50;

/// The image page's filters over an image's vulnerabilities.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VulnerabilityFilter {
    pub severity: Option<Severity>,
    /// Only those with a fix (TCSS says; HSS does not).
    pub fixable_only: bool,
    /// Part of the CVE id, package or title, any case.
    pub search: String,
    /// 1-based; 0 reads as 1.
    pub page: usize,
}

impl VulnerabilityFilter {
    /// A search of at most 128 characters; a page within the 1,000
    /// findings kept for an image.
    pub fn validate(&self) -> Result<(), crate::FieldError> {
        crate::validate::str_len("filter.search", &self.search, 0, 128)?;
        crate::validate::no_control_chars("filter.search", &self.search)?;
        let pages = MAX_FINDINGS.div_ceil(VULNERABILITY_PAGE);
        crate::validate::opt_range(
            "filter.page",
            Some(i64::try_from(self.page).unwrap_or(i64::MAX)),
            0,
            i64::try_from(pages).unwrap_or(i64::MAX),
        )
    }

    pub fn matches(&self, v: &Vulnerability) -> bool {
        let search = self.search.to_lowercase();
        self.severity.is_none_or(|s| v.severity == s)
            && (!self.fixable_only || v.fixable == Some(true))
            && (search.is_empty()
                || [&v.id, &v.package, &v.title]
                    .iter()
                    .any(|field| field.to_lowercase().contains(&search)))
    }
}

/// Most severe first, then by id (newest CVE first).
pub fn sort_most_severe(items: &mut [Vulnerability]) {
    items.sort_by(|a, b| a.severity.cmp(&b.severity).then_with(|| b.id.cmp(&a.id)));
}

/// One page of an image's vulnerabilities for the image page, most severe
/// first, with the counts the page shows above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageVulnerabilityPage {
    pub items: Vec<Vulnerability>,
    /// How many match the filter (all pages).
    pub matching: usize,
    /// How many the image has of each severity, in [`Severity::ALL`] order.
    pub counts: [usize; 5],
    pub fetched_at_ms: i64,
    pub complete: bool,
}

impl ImageVulnerabilityPage {
    /// The filter's page of `all`, sorted most severe first, then by id
    /// (newest CVE first).
    pub fn of(
        mut all: Vec<Vulnerability>,
        filter: &VulnerabilityFilter,
        fetched_at_ms: i64,
        complete: bool,
    ) -> Self {
        let mut counts = [0; 5];
        for v in &all {
            counts[v.severity as usize] += 1;
        }
        all.retain(|v| filter.matches(v));
        sort_most_severe(&mut all);
        let matching = all.len();
        let items = all
            .into_iter()
            .skip((filter.page.max(1) - 1) * VULNERABILITY_PAGE)
            .take(VULNERABILITY_PAGE)
            .collect();
        Self {
            items,
            matching,
            counts,
            fetched_at_ms,
            complete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_clouds_words_map_onto_one_scale() {
        assert_eq!(Severity::from_hss(Some("immediate_repair")), Severity::High);
        assert_eq!(Severity::from_hss(Some("not_needed_repair")), Severity::Low);
        assert_eq!(Severity::from_hss(Some("urgent")), Severity::Unknown);
        assert_eq!(Severity::from_tcss(Some("CRITICAL")), Severity::Critical);
        assert_eq!(Severity::from_tcss(Some("medium")), Severity::Medium);
        assert_eq!(Severity::from_tcss(None), Severity::Unknown);
        assert!(
            Severity::Critical < Severity::Low,
            "most severe sorts first"
        );
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn both_clouds_findings_read_the_same() {
        let hss = crate::hss::ImageVulnerability {
            vul_id: Some("CVE-2023-0286".into()),
            repair_necessity: Some("immediate_repair".into()),
            app_name: Some("openssl".into()),
            version: Some("3.0.7-1".into()),
            url: Some(String::new()),
            ..Default::default()
        };
        let v = Vulnerability::from(&hss);
        assert_eq!(
            (v.severity, v.package.as_str(), v.fixable, v.link),
            (Severity::High, "openssl", None, None)
        );
        let tcss = crate::tcss::ImageVul {
            cve_id: Some("CVE-2024-3094".into()),
            level: Some("CRITICAL".into()),
            components: vec![crate::tcss::ComponentInfo {
                component: Some("xz-utils".into()),
                version: Some("5.6.0".into()),
                fixed_version: Some("5.6.1".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let v = Vulnerability::from(&tcss);
        assert_eq!(v.package, "xz-utils");
        assert_eq!(v.fixed_version.as_deref(), Some("5.6.1"));
        assert_eq!(v.fixable, Some(true));
        let all = vec![Vulnerability::from(&hss), v];
        let page =
            ImageVulnerabilityPage::of(all.clone(), &VulnerabilityFilter::default(), 0, true);
        assert_eq!(
            page.items[0].severity,
            Severity::Critical,
            "most severe first"
        );
        assert_eq!((page.counts, page.matching), ([1, 1, 0, 0, 0], 2));
        let fixable = VulnerabilityFilter {
            fixable_only: true,
            ..VulnerabilityFilter::default()
        };
        let page = ImageVulnerabilityPage::of(all, &fixable, 0, true);
        assert_eq!(
            (page.matching, page.counts),
            (1, [1, 1, 0, 0, 0]),
            "counts stay whole"
        );
    }

    #[test]
    fn the_filter_narrows_and_pages() {
        let v = |i: usize| Vulnerability {
            id: format!("CVE-2024-{i:04}"),
            severity: if i < 5 {
                Severity::Critical
            } else {
                Severity::Low
            },
            level: String::new(),
            package: "openssl".into(),
            version: "3".into(),
            fixed_version: None,
            fixable: Some(i.is_multiple_of(2)),
            title: String::new(),
            solution: String::new(),
            link: None,
        };
        let items: Vec<Vulnerability> = (0..120).map(v).collect();
        let of = |filter: VulnerabilityFilter| {
            ImageVulnerabilityPage::of(items.clone(), &filter, 0, true)
        };
        let critical_fix = of(VulnerabilityFilter {
            severity: Some(Severity::Critical),
            fixable_only: true,
            ..VulnerabilityFilter::default()
        });
        assert_eq!(critical_fix.matching, 3);
        let third = of(VulnerabilityFilter {
            page: 3,
            ..VulnerabilityFilter::default()
        });
        assert_eq!((third.matching, third.items.len()), (120, 20));
        let search = of(VulnerabilityFilter {
            search: "cve-2024-011".into(),
            ..VulnerabilityFilter::default()
        });
        assert_eq!(search.matching, 10);
    }
}
