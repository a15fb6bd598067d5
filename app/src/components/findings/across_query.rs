//! The Vulnerabilities page's URL:
//! `/vulnerabilities?account=…&severity=…&q=…&page=…[&vul=…&cve=…&ipage=…]`,
//! which the page, its filter form, its pager and its downloads all read
//! and write.

use crate::format::url_encode;
use leptos_router::params::ParamsMap;
use scanport_wire::findings::Severity;
use scanport_wire::vulnerabilities::{AccountVulnerabilityFilter, PackageKind};

fn page_number(q: &ParamsMap, key: &str) -> usize {
    q.get(key)
        .and_then(|p| p.trim().parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// Everything the page's URL says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AcrossQuery {
    pub account: Option<String>,
    pub filter: AccountVulnerabilityFilter,
    /// The vulnerability whose images are open: its key and its CVE id.
    pub open: Option<(String, String)>,
    pub images_page: usize,
}

impl AcrossQuery {
    pub fn from_query(q: &ParamsMap) -> Self {
        let text = |key: &str| q.get(key).map(|v| v.trim().to_owned()).unwrap_or_default();
        let key = text("vul");
        Self {
            account: Some(text("account")).filter(|a| !a.is_empty()),
            filter: AccountVulnerabilityFilter {
                kind: PackageKind::parse(&text("kind")).unwrap_or_default(),
                severity: Severity::parse(&text("severity")).filter(|s| *s != Severity::Unknown),
                search: text("q"),
                page: page_number(q, "page"),
            },
            open: (!key.is_empty()).then(|| (key, text("cve"))),
            images_page: page_number(q, "ipage"),
        }
    }

    /// This page for `account`, with `filter`, and the images of `open`.
    pub fn href(
        account: &str,
        filter: &AccountVulnerabilityFilter,
        open: Option<(&str, &str)>,
        images_page: usize,
    ) -> String {
        let mut pairs = vec![("account", account.to_owned())];
        if filter.kind != PackageKind::default() {
            pairs.push(("kind", filter.kind.as_str().to_owned()));
        }
        if let Some(severity) = filter.severity {
            pairs.push(("severity", severity.as_str().to_owned()));
        }
        if !filter.search.is_empty() {
            pairs.push(("q", filter.search.clone()));
        }
        if filter.page > 1 {
            pairs.push(("page", filter.page.to_string()));
        }
        if let Some((key, cve)) = open {
            pairs.push(("vul", key.to_owned()));
            pairs.push(("cve", cve.to_owned()));
            if images_page > 1 {
                pairs.push(("ipage", images_page.to_string()));
            }
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        format!("/vulnerabilities?{}", query.join("&"))
    }
}

/// The download of every vulnerability `filter` picks on `account`.
pub fn vulnerabilities_csv_href(account: &str, filter: &AccountVulnerabilityFilter) -> String {
    let page = AcrossQuery::href(
        account,
        &AccountVulnerabilityFilter {
            page: 1,
            ..filter.clone()
        },
        None,
        1,
    );
    page.replacen(
        "/vulnerabilities?",
        "/api/v1/export/vulnerabilities.csv?",
        1,
    )
}

/// The download of every image the vulnerability `key` affects.
pub fn affected_images_csv_href(account: &str, key: &str, cve: &str) -> String {
    let page = AcrossQuery::href(
        account,
        &AccountVulnerabilityFilter::default(),
        Some((key, cve)),
        1,
    );
    page.replacen(
        "/vulnerabilities?",
        "/api/v1/export/vulnerability-images.csv?",
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> AcrossQuery {
        let mut map = ParamsMap::new();
        for pair in url.split_once('?').map_or("", |(_, q)| q).split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                map.insert(k.to_owned(), v.to_owned());
            }
        }
        AcrossQuery::from_query(&map)
    }

    #[test]
    fn the_url_keeps_the_filters_and_the_open_vulnerability() {
        let filter = AccountVulnerabilityFilter {
            kind: PackageKind::Application,
            severity: Some(Severity::High),
            search: "CVE-2024-3094".into(),
            page: 2,
        };
        let href = AcrossQuery::href("tc", &filter, Some(("pcmgr-1", "CVE-2024-3094")), 3);
        let back = parse(&href);
        assert_eq!(back.account.as_deref(), Some("tc"));
        assert_eq!(back.filter, filter);
        assert_eq!(back.open, Some(("pcmgr-1".into(), "CVE-2024-3094".into())));
        assert_eq!(back.images_page, 3);
        let plain = parse("/vulnerabilities?severity=unknown&page=0");
        assert_eq!(
            plain.filter,
            AccountVulnerabilityFilter {
                page: 1,
                ..Default::default()
            }
        );
        assert_eq!(plain.open, None);
    }

    #[test]
    fn the_downloads_carry_the_filters_but_not_the_page() {
        let filter = AccountVulnerabilityFilter {
            kind: PackageKind::System,
            severity: Some(Severity::Critical),
            search: "CVE-2024".into(),
            page: 4,
        };
        assert_eq!(
            vulnerabilities_csv_href("hw", &filter),
            "/api/v1/export/vulnerabilities.csv?account=hw&severity=critical&q=CVE-2024"
        );
        assert_eq!(
            affected_images_csv_href("tc", "pcmgr-1", "CVE-1"),
            "/api/v1/export/vulnerability-images.csv?account=tc&vul=pcmgr-1&cve=CVE-1"
        );
    }
}
