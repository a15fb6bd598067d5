//! The image page's URL: which image (each cloud names it its own way),
//! what the image list said about it, and the vulnerability filters. The
//! image lists link here; the filter form and the pager write it back.

use crate::format::url_encode;
use leptos_router::params::ParamsMap;
use scanport_wire::findings::{FindingKind, ImageRef, Severity};
use scanport_wire::hss::{FindingsImageType, RegistryImageInfo, SwrImage};
use scanport_wire::tcss::RegistryImage;

/// Vulnerabilities a page shows.
pub use scanport_wire::findings::VULNERABILITY_PAGE as PAGE_SIZE;

/// What the image list showed about the image, carried in the link so the
/// page costs no image-list call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    pub namespace: String,
    pub name: String,
    pub tag: String,
    /// The registry (TCSS) or the SWR kind (HSS), as shown.
    pub registry: String,
    /// The image's last scan time, as the cloud reported it: ms (HSS) or
    /// `YYYY-MM-DD HH:MM:SS` (TCSS). The cache key.
    pub scanned: String,
}

/// The filters, as the URL holds them.
pub use scanport_wire::findings::VulnerabilityFilter as VulFilters;

/// Everything the image page's URL says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagePage {
    pub account: String,
    pub image: ImageRef,
    pub facts: Facts,
    /// The tab: `None` for vulnerabilities.
    pub tab: Option<FindingKind>,
    pub filters: VulFilters,
}

fn text(q: &ParamsMap, key: &str) -> String {
    q.get(key).map(|v| v.trim().to_owned()).unwrap_or_default()
}

impl ImagePage {
    /// `None` when the URL does not name an image (a hand-typed or cut
    /// link); the page says so.
    pub fn from_query(q: &ParamsMap) -> Option<Self> {
        let facts = Facts {
            namespace: text(q, "namespace"),
            name: text(q, "image"),
            tag: text(q, "tag"),
            registry: text(q, "registry"),
            scanned: text(q, "scanned"),
        };
        let image = match text(q, "cloud").as_str() {
            "hss" => ImageRef::Hss {
                image_id: Some(text(q, "image_id")).filter(|i| !i.is_empty())?,
                image_type: FindingsImageType::parse(&text(q, "image_type"))?,
                namespace: facts.namespace.clone(),
                image_name: facts.name.clone(),
                tag_name: facts.tag.clone(),
            },
            "tcss" => ImageRef::Tcss {
                id: text(q, "id").parse().ok().filter(|id| *id > 0)?,
            },
            _ => return None,
        };
        // A tab the image's cloud does not have reads as the first tab.
        let tab = FindingKind::parse(&text(q, "tab")).filter(|k| k.on(&image));
        Some(Self {
            account: text(q, "account"),
            image,
            facts,
            tab,
            filters: VulFilters {
                severity: Severity::parse(&text(q, "severity")),
                fixable_only: matches!(text(q, "fix").as_str(), "1" | "on" | "true"),
                search: text(q, "q"),
                page: text(q, "page")
                    .parse()
                    .ok()
                    .filter(|p| *p >= 1)
                    .unwrap_or(1),
            },
        })
    }

    /// The pairs naming the image (without filters).
    fn image_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("account", self.account.clone())];
        match &self.image {
            ImageRef::Hss {
                image_id,
                image_type,
                ..
            } => {
                pairs.push(("cloud", "hss".to_owned()));
                pairs.push(("image_id", image_id.clone()));
                pairs.push(("image_type", image_type.as_str().to_owned()));
            }
            ImageRef::Tcss { id } => {
                pairs.push(("cloud", "tcss".to_owned()));
                pairs.push(("id", id.to_string()));
            }
        }
        for (key, value) in [
            ("namespace", &self.facts.namespace),
            ("image", &self.facts.name),
            ("tag", &self.facts.tag),
            ("registry", &self.facts.registry),
            ("scanned", &self.facts.scanned),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        pairs
    }

    /// This image's page, on this tab, with `filters`.
    pub fn href(&self, filters: &VulFilters) -> String {
        let mut pairs = self.hidden_fields();
        if let Some(severity) = filters.severity {
            pairs.push(("severity", severity.as_str().to_owned()));
        }
        if filters.fixable_only {
            pairs.push(("fix", "1".to_owned()));
        }
        if !filters.search.is_empty() {
            pairs.push(("q", filters.search.clone()));
        }
        if filters.page > 1 {
            pairs.push(("page", filters.page.to_string()));
        }
        href(&pairs)
    }

    /// The CSV download of what `filters` match (every page).
    pub fn csv_href(&self) -> String {
        let vulnerabilities = Self {
            tab: None,
            ..self.clone()
        };
        let page = vulnerabilities.href(&VulFilters {
            page: 1,
            ..self.filters.clone()
        });
        page.replacen("/image?", "/api/v1/export/image-vulnerabilities.csv?", 1)
    }

    /// The hidden inputs that keep the image and tab when the filter form
    /// is sent.
    pub fn hidden_fields(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.image_pairs();
        if let Some(tab) = self.tab {
            pairs.push(("tab", tab.as_str().to_owned()));
        }
        pairs
    }

    /// This image's `tab` (`None`: vulnerabilities), unfiltered.
    pub fn tab_href(&self, tab: Option<FindingKind>) -> String {
        Self {
            tab,
            ..self.clone()
        }
        .href(&VulFilters::default())
    }

    /// The filters the findings tabs take (the fix filter is the
    /// vulnerabilities' own).
    pub fn finding_filter(&self) -> scanport_wire::findings::FindingFilter {
        scanport_wire::findings::FindingFilter {
            severity: self.filters.severity,
            search: self.filters.search.clone(),
            page: self.filters.page,
        }
    }
}

fn href(pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    format!("/image?{}", query.join("&"))
}

/// What names an HSS image on its page, as an image list showed it.
struct HssListed<'a> {
    image_id: Option<&'a String>,
    image_type: Option<&'a str>,
    namespace: &'a str,
    name: &'a str,
    tag: &'a str,
    registry: Option<&'a String>,
    scanned_ms: Option<i64>,
}

/// The page of an HSS image, when HSS lists findings for its kind (not
/// for local images) and it has an id.
fn hss_href(account: &str, listed: HssListed<'_>) -> Option<String> {
    let image_type = FindingsImageType::parse(listed.image_type?)?;
    let page = ImagePage {
        account: account.to_owned(),
        image: ImageRef::Hss {
            image_id: listed.image_id.filter(|i| !i.is_empty())?.clone(),
            image_type,
            namespace: listed.namespace.to_owned(),
            image_name: listed.name.to_owned(),
            tag_name: listed.tag.to_owned(),
        },
        facts: Facts {
            namespace: listed.namespace.to_owned(),
            name: listed.name.to_owned(),
            tag: listed.tag.to_owned(),
            registry: listed.registry.cloned().unwrap_or_default(),
            scanned: listed
                .scanned_ms
                .filter(|t| *t > 0)
                .map(|t| t.to_string())
                .unwrap_or_default(),
        },
        tab: None,
        filters: VulFilters::default(),
    };
    Some(page.href(&page.filters))
}

/// The page of an SWR image (see [`hss_href`]).
pub fn hss_image_href(account: &str, image: &SwrImage) -> Option<String> {
    hss_href(
        account,
        HssListed {
            image_id: image.image_id.as_ref(),
            image_type: image.image_type.as_deref(),
            namespace: &image.namespace,
            name: &image.image_name,
            tag: &image.image_version,
            registry: image.instance_name.as_ref(),
            scanned_ms: image.latest_scan_time,
        },
    )
}

/// The page of a third-party registry's image (Harbor, JFrog, …).
pub fn registry_image_href(account: &str, image: &RegistryImageInfo) -> Option<String> {
    hss_href(
        account,
        HssListed {
            image_id: image.image_id.as_ref(),
            image_type: image.image_type.as_deref(),
            namespace: &image.namespace,
            name: &image.image_name,
            tag: &image.image_version,
            registry: image.registry_name.as_ref(),
            scanned_ms: image.latest_scan_time,
        },
    )
}

/// The page of a TCSS registry image.
pub fn tcss_image_href(account: &str, image: &RegistryImage) -> String {
    let page = ImagePage {
        account: account.to_owned(),
        image: ImageRef::Tcss { id: image.id },
        facts: Facts {
            namespace: image.namespace.clone().unwrap_or_default(),
            name: image.image_name.clone(),
            tag: image.image_tag.clone(),
            registry: image.instance_name.clone().unwrap_or_default(),
            scanned: image.scan_time.clone().unwrap_or_default(),
        },
        tab: None,
        filters: VulFilters::default(),
    };
    page.href(&page.filters)
}

#[cfg(all(test, not(feature = "hydrate")))]
mod tests {
    use super::*;

    /// Percent-decoding, as the router does for a link followed.
    fn decode(value: &str) -> String {
        let bytes = value.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    fn parse(url: &str) -> Option<ImagePage> {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let mut map = ParamsMap::new();
        for pair in query.split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                map.insert(k.to_owned(), decode(v));
            }
        }
        ImagePage::from_query(&map)
    }

    #[test]
    fn a_tcss_link_round_trips_with_filters() {
        let image = RegistryImage {
            id: 17,
            image_name: "platform/redis".into(),
            image_tag: "v1.3.2".into(),
            namespace: Some("platform".into()),
            scan_time: Some("2026-11-21 03:10:00".into()),
            ..RegistryImage::default()
        };
        let link = tcss_image_href("sandbox-tencent", &image);
        let mut page = parse(&link).expect("the link names an image");
        assert_eq!(page.image, ImageRef::Tcss { id: 17 });
        assert_eq!(page.facts.scanned, "2026-11-21 03:10:00");
        page.filters = VulFilters {
            severity: Some(Severity::Critical),
            fixable_only: true,
            search: "openssl 3".into(),
            page: 2,
        };
        let again = parse(&page.href(&page.filters)).expect("round trip");
        assert_eq!(again, page);
        page.tab = Some(FindingKind::Malware);
        let again = parse(&page.href(&page.filters)).expect("round trip");
        assert_eq!(again, page);
        let sensitive = parse(&page.tab_href(Some(FindingKind::Sensitive))).expect("parsed");
        assert_eq!(sensitive.tab, None, "TCSS has no sensitive-information tab");
        assert!(
            !page.csv_href().contains("tab="),
            "the CSV is the vulnerabilities'"
        );
    }

    #[test]
    fn hss_links_need_an_id_and_a_kind_hss_lists() {
        let mut image = SwrImage {
            namespace: "payments".into(),
            image_name: "checkout".into(),
            image_version: "v1".into(),
            image_id: Some("sha256:ab".into()),
            image_type: Some("private_image".into()),
            latest_scan_time: Some(1_700_000_000_000),
            ..SwrImage::default()
        };
        let page = parse(&hss_image_href("hw", &image).expect("linked")).expect("parsed");
        assert_eq!(page.facts.scanned, "1700000000000");
        assert!(matches!(page.image, ImageRef::Hss { ref tag_name, .. } if tag_name == "v1"));
        image.image_type = Some("local_image".into());
        assert_eq!(hss_image_href("hw", &image), None);
        let harbor = RegistryImageInfo {
            namespace: "payments".into(),
            image_name: "billing".into(),
            image_version: "v1.0".into(),
            image_id: Some("sha256:cd".into()),
            image_type: Some("harbor".into()),
            registry_name: Some("Harbor (corp)".into()),
            ..RegistryImageInfo::default()
        };
        let page = parse(&registry_image_href("hw", &harbor).expect("linked")).expect("parsed");
        assert!(matches!(
            page.image,
            ImageRef::Hss {
                image_type: FindingsImageType::Harbor,
                ..
            }
        ));
        assert_eq!(page.facts.registry, "Harbor (corp)");
        assert_eq!(parse("/image?account=hw&cloud=tcss&id=0"), None);
    }
}
