//! The audit log's filters as they live in the page's address
//! (`/admin?actor=ada&outcome=failed&from=2026-11-01&page=2`), so a reload
//! or a shared link shows the same rows, with or without JavaScript.

use crate::dates::{DAY_MS, day_start_ms};
use crate::i18n::*;
use leptos_router::params::ParamsMap;
use scanport_wire::portal::{AuditQuery, Outcome};

/// Rows per page of the audit log.
pub const PAGE_SIZE: u32 = 50;

/// The query parameter names. `cloud_account`, not `account`: the header's
/// account switcher owns `?account=` on every page.
pub mod param {
    pub const ACTOR: &str = "actor";
    pub const ACTION: &str = "action";
    pub const ACCOUNT: &str = "cloud_account";
    pub const OUTCOME: &str = "outcome";
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
    pub const PAGE: &str = "page";
}

/// The audit log's filters and page, read from the address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilters {
    pub actor: String,
    pub action: String,
    pub account: String,
    pub outcome: Option<Outcome>,
    /// A UTC day, `YYYY-MM-DD`, or empty.
    pub from: String,
    /// A UTC day, `YYYY-MM-DD`, or empty.
    pub to: String,
    /// From 1.
    pub page: u32,
}

impl AuditFilters {
    /// Reads the filters; what does not parse is left out rather than
    /// failing the page.
    pub fn from_query(query: &ParamsMap) -> Self {
        let text = |key: &str| {
            query
                .get(key)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let day = |key: &str| {
            let value = text(key);
            if day_start_ms(&value).is_some() {
                value
            } else {
                String::new()
            }
        };
        Self {
            actor: text(param::ACTOR),
            action: text(param::ACTION),
            account: text(param::ACCOUNT),
            outcome: text(param::OUTCOME).parse().ok(),
            from: day(param::FROM),
            to: day(param::TO),
            page: text(param::PAGE)
                .parse::<u32>()
                .ok()
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// Whether any filter is set (the page does not count).
    pub fn any(&self) -> bool {
        !(self.actor.is_empty()
            && self.action.is_empty()
            && self.account.is_empty()
            && self.outcome.is_none()
            && self.from.is_empty()
            && self.to.is_empty())
    }

    fn start_ms(&self) -> Option<i64> {
        day_start_ms(&self.from)
    }

    /// The last millisecond of the `to` day.
    fn end_ms(&self) -> Option<i64> {
        day_start_ms(&self.to).map(|start| start + DAY_MS - 1)
    }

    fn some(value: &str) -> Option<String> {
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// The server function's query for this page.
    pub fn query(&self) -> AuditQuery {
        AuditQuery {
            actor: Self::some(&self.actor),
            action: Self::some(&self.action),
            account: Self::some(&self.account),
            outcome: self.outcome,
            from_ms: self.start_ms(),
            to_ms: self.end_ms(),
            limit: Some(PAGE_SIZE),
            offset: Some((self.page.max(1) - 1).saturating_mul(PAGE_SIZE)),
        }
    }

    /// The filter pairs that are set, in the page's own names.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        for (key, value) in [
            (param::ACTOR, &self.actor),
            (param::ACTION, &self.action),
            (param::ACCOUNT, &self.account),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        if let Some(outcome) = self.outcome {
            pairs.push((param::OUTCOME, outcome.as_str().to_owned()));
        }
        if !self.from.is_empty() {
            pairs.push((param::FROM, self.from.clone()));
        }
        if !self.to.is_empty() {
            pairs.push((param::TO, self.to.clone()));
        }
        pairs
    }

    /// This page's address with these filters on page `page`, at the log.
    pub fn href(&self, page: u32) -> String {
        let mut pairs = self.pairs();
        if page > 1 {
            pairs.push((param::PAGE, page.to_string()));
        }
        format!("/admin{}#audit", query_string(&pairs))
    }

    /// The CSV export with the same filters (all pages).
    pub fn csv_href(&self) -> String {
        let mut pairs = Vec::new();
        for (key, value) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("account", &self.account),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        if let Some(outcome) = self.outcome {
            pairs.push(("outcome", outcome.as_str().to_owned()));
        }
        if let Some(from) = self.start_ms() {
            pairs.push(("from_ms", from.to_string()));
        }
        if let Some(to) = self.end_ms() {
            pairs.push(("to_ms", to.to_string()));
        }
        format!("/api/v1/admin/audit.csv{}", query_string(&pairs))
    }
}

/// `1–50 of 123` for a page of `shown` rows, in `locale`.
pub fn range_text(locale: Locale, page: u32, shown: usize, total: i64) -> String {
    if shown == 0 {
        return td_string!(locale, audit_range_none, total = total).to_string();
    }
    let first = i64::from(page.max(1) - 1) * i64::from(PAGE_SIZE) + 1;
    let last = first + shown as i64 - 1;
    td_string!(
        locale,
        audit_range,
        first = first,
        last = last,
        total = total
    )
    .to_string()
}

/// How many pages `total` rows take (at least 1).
pub fn page_count(total: i64) -> u32 {
    let pages = (total.max(0) + i64::from(PAGE_SIZE) - 1) / i64::from(PAGE_SIZE);
    u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
}

/// `?a=1&b=x%20y`, or nothing without pairs.
fn query_string(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("?{}", joined.join("&"))
}

/// Percent-encodes everything but the unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// Natively, the `hydrate` build's URL encoding calls into the browser:
// these run in the `ssr` test build.
#[cfg(all(test, not(feature = "hydrate")))]
mod tests {
    use super::*;

    fn filters(pairs: &[(&str, &str)]) -> AuditFilters {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert((*k).to_owned(), (*v).to_owned());
        }
        AuditFilters::from_query(&map)
    }

    #[test]
    fn reads_and_writes_the_address() {
        let f = filters(&[
            ("actor", " ada "),
            ("outcome", "failed"),
            ("from", "2026-11-22"),
            ("to", "2026-11-22"),
            ("page", "3"),
            ("cloud_account", "a b&c"),
        ]);
        assert_eq!(f.actor, "ada");
        assert_eq!(f.outcome, Some(Outcome::Failed));
        assert_eq!(f.page, 3);
        let q = f.query();
        assert_eq!(q.from_ms, Some(1_795_305_600_000));
        assert_eq!(q.to_ms, Some(1_795_305_600_000 + DAY_MS - 1));
        assert_eq!(q.offset, Some(100));
        assert_eq!(q.limit, Some(PAGE_SIZE));
        assert_eq!(
            f.href(2),
            "/admin?actor=ada&cloud_account=a%20b%26c&outcome=failed&from=2026-11-22&to=2026-11-22&page=2#audit"
        );
        assert_eq!(
            f.csv_href(),
            "/api/v1/admin/audit.csv?actor=ada&account=a%20b%26c&outcome=failed&from_ms=1795305600000&to_ms=1795391999999"
        );
    }

    #[test]
    fn bad_values_are_left_out() {
        let f = filters(&[
            ("outcome", "maybe"),
            ("page", "0"),
            ("from", "2026-02-30"),
            ("actor", ""),
        ]);
        assert_eq!(
            f,
            AuditFilters {
                page: 1,
                ..AuditFilters::default()
            }
        );
        assert!(!f.any());
        assert_eq!(f.href(1), "/admin#audit");
        assert_eq!(f.csv_href(), "/api/v1/admin/audit.csv");
        assert_eq!(f.query().offset, Some(0));
    }

    #[test]
    fn counts_pages() {
        assert_eq!(range_text(Locale::en, 1, 50, 123), "1\u{2013}50 of 123");
        assert_eq!(range_text(Locale::en, 3, 23, 123), "101\u{2013}123 of 123");
        assert_eq!(range_text(Locale::en, 1, 0, 0), "0 of 0");
        assert_eq!(range_text(Locale::es, 1, 50, 123), "1\u{2013}50 de 123");
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(50), 1);
        assert_eq!(page_count(51), 2);
    }
}
