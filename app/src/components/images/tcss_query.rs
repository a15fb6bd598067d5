//! The Images page's filters for a Tencent TCSS account, as the URL holds
//! them: read from the query, turned into `DescribeAssetImageRegistryList`
//! and one-key scan requests, and written back as links.

use super::query::{PAGE_SIZE, flag, page, some, text};
use crate::i18n::*;
use leptos_router::params::ParamsMap;
use scanport_wire::tcss::{
    AssetFilter, CreateRegistryScanRequest, DescribeRegistryImagesRequest, scan_status,
};

/// The scan states a user can filter by, in the order the form lists them.
pub const STATUSES: [&str; 5] = [
    scan_status::NOT_SCAN,
    scan_status::SCANNING,
    scan_status::SCANNED,
    scan_status::SCAN_ERR,
    scan_status::CANCELED,
];

/// The filters, as the URL holds them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TcssImageFilters {
    pub namespace: String,
    pub image_name: String,
    pub image_tag: String,
    /// One of [`STATUSES`], or empty for any.
    pub scan_status: String,
    pub latest_only: bool,
    /// Only images where a scan found something.
    pub risky_only: bool,
    /// 1-based.
    pub page: i64,
}

fn filter(name: &str, value: &str, exact: bool) -> AssetFilter {
    AssetFilter {
        name: name.to_owned(),
        values: vec![value.to_owned()],
        exact_match: exact.then_some(true),
    }
}

impl TcssImageFilters {
    pub fn from_query(q: &ParamsMap) -> Self {
        let status = text(q, "scan_status");
        Self {
            namespace: text(q, "namespace"),
            image_name: text(q, "image_name"),
            image_tag: text(q, "image_tag"),
            scan_status: if STATUSES.contains(&status.as_str()) {
                status
            } else {
                String::new()
            },
            latest_only: flag(q, "latest"),
            risky_only: flag(q, "risky"),
            page: page(q),
        }
    }

    /// The list request for the current page.
    pub fn to_list_request(&self) -> DescribeRegistryImagesRequest {
        // The namespace matches exactly, as a scan of everything matching
        // names it: the list and the scan then mean the same images.
        let filters: Vec<AssetFilter> = [
            ("Namespace", &self.namespace, true),
            ("ImageName", &self.image_name, false),
            ("ImageTag", &self.image_tag, false),
            ("ScanStatus", &self.scan_status, true),
        ]
        .into_iter()
        .filter(|(_, value, _)| !value.is_empty())
        .map(|(name, value, exact)| filter(name, value, exact))
        .chain(self.risky_only.then(|| filter("SecurityRisk", "1", true)))
        .collect();
        DescribeRegistryImagesRequest {
            limit: Some(PAGE_SIZE),
            offset: Some((self.page - 1) * PAGE_SIZE),
            filters: (!filters.is_empty()).then_some(filters),
            only_show_latest: self.latest_only.then_some(true),
            ..Default::default()
        }
    }

    /// Whether a filter is set that a scan of everything cannot carry
    /// (the one-key scan takes namespaces and "latest" only).
    pub fn has_list_only_filters(&self) -> bool {
        !self.image_name.is_empty()
            || !self.image_tag.is_empty()
            || !self.scan_status.is_empty()
            || self.risky_only
    }

    /// "Scan all matching": every image, narrowed by what the one-key
    /// scan can narrow by.
    pub fn to_scan_all(&self) -> CreateRegistryScanRequest {
        CreateRegistryScanRequest {
            scan_scope: Some(0),
            namespace: some(&self.namespace).map(|ns| vec![ns]),
            is_latest: self.latest_only.then_some(true),
            ..Default::default()
        }
    }

    /// The chosen images' scan.
    pub fn scan_chosen(ids: Vec<i64>) -> CreateRegistryScanRequest {
        CreateRegistryScanRequest {
            scan_scope: Some(1),
            id: Some(ids),
            ..Default::default()
        }
    }

    /// The filters a scan of everything keeps, in words, for the
    /// confirmation (offered only without [`Self::has_list_only_filters`]).
    pub fn describe(&self, i18n: I18n) -> String {
        let mut parts = Vec::new();
        if !self.namespace.is_empty() {
            parts.push(t_string!(i18n, images_desc_namespace, value = &self.namespace).to_string());
        }
        if self.latest_only {
            parts.push(t_string!(i18n, images_desc_latest).to_owned());
        }
        if parts.is_empty() {
            let kind = t_string!(i18n, image_type_registry_short);
            t_string!(i18n, images_desc_none, kind).to_string()
        } else {
            let list = parts.join(t_string!(i18n, list_separator));
            t_string!(i18n, images_desc_filters, list).to_string()
        }
    }

    /// This view's URL with another page number.
    pub fn href_for_page(&self, account: &str, page: i64) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("account", account.to_owned())];
        for (key, value) in [
            ("namespace", &self.namespace),
            ("image_name", &self.image_name),
            ("image_tag", &self.image_tag),
            ("scan_status", &self.scan_status),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        for (key, on) in [("latest", self.latest_only), ("risky", self.risky_only)] {
            if on {
                pairs.push((key, "1".to_owned()));
            }
        }
        pairs.push(("page", page.to_string()));
        super::query::images_href(&pairs)
    }
}

// ParamsMap unescapes through the browser's URL API in the hydrate build.
#[cfg(all(test, not(feature = "hydrate")))]
mod tests {
    use super::*;

    fn query(pairs: &[(&'static str, &str)]) -> ParamsMap {
        let mut q = ParamsMap::new();
        for (k, v) in pairs {
            q.insert(*k, (*v).to_owned());
        }
        q
    }

    #[test]
    fn the_url_becomes_the_services_filters() {
        let f = TcssImageFilters::from_query(&query(&[
            ("namespace", "prod"),
            ("image_name", "nginx"),
            ("scan_status", "SCAN_ERR"),
            ("risky", "1"),
            ("latest", "1"),
            ("page", "3"),
        ]));
        let req = f.to_list_request();
        assert_eq!(req.offset, Some(2 * PAGE_SIZE));
        assert_eq!(req.limit, Some(PAGE_SIZE));
        assert_eq!(req.only_show_latest, Some(true));
        let json = serde_json::to_value(&req.filters).expect("json");
        assert_eq!(
            json,
            serde_json::json!([
                {"Name": "Namespace", "Values": ["prod"], "ExactMatch": true},
                {"Name": "ImageName", "Values": ["nginx"]},
                {"Name": "ScanStatus", "Values": ["SCAN_ERR"], "ExactMatch": true},
                {"Name": "SecurityRisk", "Values": ["1"], "ExactMatch": true},
            ])
        );
        assert!(req.validate().is_ok());
    }

    #[test]
    fn an_unknown_status_and_a_bad_page_are_ignored() {
        let f = TcssImageFilters::from_query(&query(&[("scan_status", "nope"), ("page", "-2")]));
        assert_eq!(f.scan_status, "");
        assert_eq!(f.page, 1);
        assert_eq!(f.to_list_request().filters, None);
    }

    #[test]
    fn scanning_everything_keeps_what_the_one_key_scan_can_carry() {
        let f = TcssImageFilters::from_query(&query(&[("namespace", "prod"), ("latest", "1")]));
        let req = f.to_scan_all();
        assert!(req.is_wide());
        assert_eq!(req.namespace, Some(vec!["prod".to_owned()]));
        assert_eq!(req.is_latest, Some(true));
        assert!(req.validate().is_ok());
        assert!(!f.has_list_only_filters());
        let named = TcssImageFilters::from_query(&query(&[("image_name", "nginx")]));
        assert!(named.has_list_only_filters());
        let chosen = TcssImageFilters::scan_chosen(vec![11, 12]);
        assert!(!chosen.is_wide());
        assert!(chosen.validate().is_ok());
    }

    #[test]
    fn links_keep_the_account_and_the_filters() {
        let f = TcssImageFilters::from_query(&query(&[("image_name", "a b"), ("risky", "1")]));
        assert_eq!(
            f.href_for_page("tc-1", 2),
            "/images?account=tc-1&image_name=a%20b&risky=1&page=2"
        );
    }
}
