//! What scans found, on one scale for both clouds, and the envelope the
//! console's findings endpoints answer in (the cloud's own answer, plus
//! when it was fetched: findings are served from a cache).

use serde::{Deserialize, Serialize};

/// One severity scale for both clouds. Each cloud's own word is kept and
/// shown too; this is what the console sorts, filters and counts by.
///
/// | scale | HSS `repair_necessity` | HSS `severity` | TCSS `Level` |
/// |---|---|---|---|
/// | critical | (none) | `critical` | `CRITICAL`, `4` |
/// | high | `immediate_repair` | `high` | `HIGH`, `3` |
/// | medium | `delay_repair` | `medium` | `MEDIUM`, `MIDDLE`, `2` |
/// | low | `not_needed_repair` | `low` | `LOW`, `1` |
/// | unknown | anything else | anything else | anything else |
///
/// TCSS's registry-image lists answer digits (`"4"` in Tencent's examples
/// for a CVSS 9.8 CVE and for a worm), its vulnerability-centred lists
/// words (with `MIDDLE`); the digits' order is inferred from the examples.
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

    /// TCSS's `Level` / `RiskLevel`: a word in any case, or a digit.
    pub fn from_tcss(level: Option<&str>) -> Self {
        match level.map(str::to_ascii_uppercase).as_deref() {
            Some("CRITICAL" | "4") => Self::Critical,
            Some("HIGH" | "3") => Self::High,
            Some("MEDIUM" | "MIDDLE" | "2") => Self::Medium,
            Some("LOW" | "1") => Self::Low,
            _ => Self::Unknown,
        }
    }

    /// HSS's `severity` words (sensitive information: `critical` …; baseline
    /// checks: `High`, `Medium`, `Low`, and `Security` for a check with no
    /// risk, which has no place on the scale).
    pub fn from_hss_severity(severity: Option<&str>) -> Self {
        match severity.map(str::to_ascii_lowercase).as_deref() {
            Some("critical") => Self::Critical,
            Some("high") => Self::High,
            Some("medium") => Self::Medium,
            Some("low") => Self::Low,
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

/// A request for one kind of an image's findings, as the findings cache
/// reads it: the image's whole list is fetched once per scan (page by
/// page, the filters the service applies upstream kept), then filtered
/// and paged here as the service would have.
pub trait ImageFindingsRequest: Clone {
    type Item;
    /// The largest page the service gives.
    const MAX_PAGE: i64;
    /// What the list is kept under beyond the account and image: its kind
    /// and the filters applied upstream.
    fn cache_kind(&self) -> String;
    /// The image, as the cache names it.
    fn cache_image(&self) -> String;
    /// The request for one page of the whole list, from `offset`.
    fn whole_list(&self, offset: i64) -> Self;
    /// Whether a kept item passes this request's own filters.
    fn matches(&self, item: &Self::Item) -> bool;
    /// The caller's page: offset and limit.
    fn window(&self) -> (Option<i64>, Option<i64>);
}

/// Whether `have` contains `want` in any case (no `want`: yes), the way
/// the services match their "fuzzy" filters.
pub fn contains_any_case(have: Option<&str>, want: Option<&str>) -> bool {
    want.is_none_or(|w| {
        have.unwrap_or("")
            .to_lowercase()
            .contains(&w.to_lowercase())
    })
}

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
        validate_search_and_page(&self.search, self.page)
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
        let counts = count_by_severity(all.iter().map(|v| v.severity));
        all.retain(|v| filter.matches(v));
        sort_most_severe(&mut all);
        let matching = all.len();
        Self {
            items: page_of(all, filter.page),
            matching,
            counts,
            fetched_at_ms,
            complete,
        }
    }
}

/// The image page's tabs beyond vulnerabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// Malicious files: HSS `ListImageMalware`, TCSS
    /// `DescribeAssetImageRegistryVirusList`.
    Malware,
    /// Secrets and other sensitive text: HSS `ListImageSensitive` (TCSS has
    /// no registry-image list of it).
    Sensitive,
    /// Risky settings: HSS baseline checks (`ListImageRiskConfigs`), TCSS
    /// risky build instructions (`DescribeAssetImageRegistryRiskInfoList`).
    Settings,
}

impl FindingKind {
    pub const ALL: [Self; 3] = [Self::Malware, Self::Sensitive, Self::Settings];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Malware => "malware",
            Self::Sensitive => "sensitive",
            Self::Settings => "settings",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Whether the image's cloud has this kind of finding.
    pub fn on(self, image: &ImageRef) -> bool {
        !matches!((self, image), (Self::Sensitive, ImageRef::Tcss { .. }))
    }
}

/// One finding other than a vulnerability, the same for both clouds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// The cloud's own word (empty when it gives none: HSS malware).
    pub level: String,
    /// What was found: the malware, the rule, the baseline.
    pub title: String,
    /// Where: a file path, or the build instruction at fault.
    pub location: String,
    /// What the cloud says about it (a secret only masked).
    pub detail: String,
    /// What to do, when the cloud says.
    pub solution: String,
}

impl From<&crate::hss::ImageMalware> for Finding {
    fn from(m: &crate::hss::ImageMalware) -> Self {
        Self {
            severity: Severity::Unknown,
            level: String::new(),
            title: text(m.file_name.as_ref()),
            location: text(m.file_path.as_ref()),
            detail: text(m.description.as_ref()),
            solution: String::new(),
        }
    }
}

impl From<&crate::hss::ImageSensitiveInfo> for Finding {
    fn from(s: &crate::hss::ImageSensitiveInfo) -> Self {
        // `content` comes masked from the cache (the server masks before
        // keeping it).
        let content = s.content.clone();
        Self {
            severity: Severity::from_hss_severity(s.severity.as_deref()),
            level: text(s.severity.as_ref()),
            title: text(s.name.as_ref()),
            location: text(s.file_path.as_ref()),
            detail: [s.description.clone(), content]
                .into_iter()
                .flatten()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(": "),
            solution: String::new(),
        }
    }
}

impl From<&crate::hss::ImageRiskConfig> for Finding {
    fn from(c: &crate::hss::ImageRiskConfig) -> Self {
        let failed = match (c.failed_rule_num, c.check_rule_num) {
            (Some(failed), Some(all)) => format!("{failed}/{all}"),
            _ => String::new(),
        };
        Self {
            severity: Severity::from_hss_severity(c.severity.as_deref()),
            level: text(c.severity.as_ref()),
            title: text(c.check_name.as_ref()),
            location: failed,
            detail: text(c.check_type_desc.as_ref().or(c.check_type.as_ref())),
            solution: String::new(),
        }
    }
}

impl From<&crate::tcss::ImageVirus> for Finding {
    fn from(v: &crate::tcss::ImageVirus) -> Self {
        Self {
            severity: v.severity(),
            level: text(v.risk_level.as_ref()),
            title: text(v.virus_name.as_ref().or(v.file_name.as_ref())),
            location: text(v.path.as_ref().or(v.file_name.as_ref())),
            detail: text(v.desc.as_ref()),
            solution: text(v.solution.as_ref()),
        }
    }
}

impl From<&crate::tcss::ImageRisk> for Finding {
    fn from(r: &crate::tcss::ImageRisk) -> Self {
        Self {
            severity: r.severity(),
            level: text(r.level.as_ref()),
            title: text(r.desc.as_ref()),
            location: text(r.instruction_content.as_ref()),
            detail: String::new(),
            solution: String::new(),
        }
    }
}

/// The image page's filters over one tab's findings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FindingFilter {
    pub severity: Option<Severity>,
    /// Part of the title or location, any case.
    pub search: String,
    /// 1-based; 0 reads as 1.
    pub page: usize,
}

impl FindingFilter {
    pub fn validate(&self) -> Result<(), crate::FieldError> {
        validate_search_and_page(&self.search, self.page)
    }

    pub fn matches(&self, f: &Finding) -> bool {
        let search = self.search.to_lowercase();
        self.severity.is_none_or(|s| f.severity == s)
            && (search.is_empty()
                || [&f.title, &f.location]
                    .iter()
                    .any(|field| field.to_lowercase().contains(&search)))
    }
}

/// One page of an image's findings of one kind, most severe first, with
/// the counts the tab shows above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageFindingsPage {
    pub kind: FindingKind,
    pub items: Vec<Finding>,
    pub matching: usize,
    /// How many the image has of each severity, in [`Severity::ALL`] order.
    pub counts: [usize; 5],
    pub fetched_at_ms: i64,
    pub complete: bool,
}

impl ImageFindingsPage {
    pub fn of(
        kind: FindingKind,
        mut all: Vec<Finding>,
        filter: &FindingFilter,
        fetched_at_ms: i64,
        complete: bool,
    ) -> Self {
        let counts = count_by_severity(all.iter().map(|f| f.severity));
        all.retain(|f| filter.matches(f));
        all.sort_by(|a, b| {
            a.severity
                .cmp(&b.severity)
                .then_with(|| a.title.cmp(&b.title))
        });
        let matching = all.len();
        Self {
            kind,
            items: page_of(all, filter.page),
            matching,
            counts,
            fetched_at_ms,
            complete,
        }
    }
}

fn count_by_severity(severities: impl Iterator<Item = Severity>) -> [usize; 5] {
    let mut counts = [0; 5];
    for s in severities {
        counts[s as usize] += 1;
    }
    counts
}

/// The 1-based `page` (0 reads as 1) of [`VULNERABILITY_PAGE`] items.
fn page_of<T>(items: Vec<T>, page: usize) -> Vec<T> {
    items
        .into_iter()
        .skip((page.max(1) - 1) * VULNERABILITY_PAGE)
        .take(VULNERABILITY_PAGE)
        .collect()
}

/// A search of at most 128 characters; a page within the 1,000 findings
/// kept for an image.
fn validate_search_and_page(search: &str, page: usize) -> Result<(), crate::FieldError> {
    crate::validate::str_len("filter.search", search, 0, 128)?;
    crate::validate::no_control_chars("filter.search", search)?;
    let pages = MAX_FINDINGS.div_ceil(VULNERABILITY_PAGE);
    crate::validate::opt_range(
        "filter.page",
        Some(i64::try_from(page).unwrap_or(i64::MAX)),
        0,
        i64::try_from(pages).unwrap_or(i64::MAX),
    )
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
        assert_eq!(Severity::from_tcss(Some("MIDDLE")), Severity::Medium);
        assert_eq!(Severity::from_tcss(Some("4")), Severity::Critical);
        assert_eq!(Severity::from_tcss(Some("1")), Severity::Low);
        assert_eq!(Severity::from_hss_severity(Some("High")), Severity::High);
        assert_eq!(
            Severity::from_hss_severity(Some("Security")),
            Severity::Unknown
        );
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
    fn other_findings_read_the_same_on_both_clouds() {
        let secret = crate::hss::ImageSensitiveInfo {
            severity: Some("high".into()),
            name: Some("AWS access key".into()),
            file_path: Some("/app/.env".into()),
            ..Default::default()
        };
        let f = Finding::from(&secret);
        assert_eq!(f.severity, Severity::High);
        let virus = crate::tcss::ImageVirus {
            risk_level: Some("4".into()),
            virus_name: Some("Mirai".into()),
            path: Some("/usr/bin/.x".into()),
            ..Default::default()
        };
        let baseline = crate::hss::ImageRiskConfig {
            severity: Some("Security".into()),
            check_name: Some("CentOS 7".into()),
            check_rule_num: Some(12),
            failed_rule_num: Some(0),
            ..Default::default()
        };
        let all = vec![f, Finding::from(&virus), Finding::from(&baseline)];
        let page = ImageFindingsPage::of(
            FindingKind::Malware,
            all,
            &FindingFilter::default(),
            0,
            true,
        );
        assert_eq!(page.items[0].title, "Mirai", "most severe first");
        assert_eq!(page.items[2].location, "0/12");
        assert_eq!(page.counts, [1, 1, 0, 0, 1]);
        assert!(!FindingKind::Sensitive.on(&ImageRef::Tcss { id: 1 }));
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
