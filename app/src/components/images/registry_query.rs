//! The third-party registries' images of an HSS account as the URL holds
//! them (`/images?image_type=third_party&registry=NAME&severity=…&risky=…`):
//! the registry is picked by name from the account's registries, never
//! typed as an id.

use super::query::{PAGE_SIZE, flag, images_href, page, text};
use leptos_router::params::ParamsMap;
use scanport_wire::hss::{ListRegistryImagesRequest, Registry, RegistryImageType, SeverityLevel};

/// The `image_type` value that picks third-party registries' images.
pub const THIRD_PARTY: &str = "third_party";

/// Whether the URL asks for third-party registries' images.
pub fn is_third_party(q: &ParamsMap) -> bool {
    q.get("image_type").as_deref() == Some(THIRD_PARTY)
}

/// Registries whose images this view lists: every connected one but SWR's
/// private and shared lists, which have image types of their own.
pub fn third_party(registries: &[Registry]) -> Vec<Registry> {
    registries
        .iter()
        .filter(|r| !matches!(r.registry_type.as_str(), "SwrPrivate" | "SwrShared"))
        .cloned()
        .collect()
}

/// The filters, as the URL holds them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RegistryImageFilters {
    /// The registry's name, as the URL gives it (checked against the
    /// account's registries before use).
    pub registry: String,
    pub severity: Option<SeverityLevel>,
    /// `Some(true)`: images with findings; `Some(false)`: without.
    pub risky: Option<bool>,
    /// Newest scans first.
    pub newest_first: bool,
    /// 1-based.
    pub page: i64,
}

impl RegistryImageFilters {
    pub fn from_query(q: &ParamsMap) -> Self {
        Self {
            registry: text(q, "registry"),
            severity: q.get("severity").and_then(|s| SeverityLevel::parse(&s)),
            risky: match q.get("risky").as_deref() {
                Some("1" | "true" | "yes") => Some(true),
                Some("0" | "false" | "no") => Some(false),
                _ => None,
            },
            newest_first: flag(q, "newest"),
            page: page(q),
        }
    }

    /// The registry shown: the one the URL names if the account has it,
    /// else the first.
    pub fn chosen<'a>(&self, registries: &'a [Registry]) -> Option<&'a Registry> {
        registries
            .iter()
            .find(|r| r.registry_name == self.registry)
            .or_else(|| registries.first())
    }

    /// The list request for the current page of `registry`'s images.
    pub fn to_list_request(&self, registry: &Registry) -> ListRegistryImagesRequest {
        ListRegistryImagesRequest {
            registry_name: Some(registry.registry_name.clone()),
            // The name filter may match more than one registry; the kind
            // narrows it where the service has one.
            image_type: match registry.registry_type.as_str() {
                "Harbor" => Some(RegistryImageType::Harbor),
                "Jfrog" => Some(RegistryImageType::Jfrog),
                "SwrEnterprise" => Some(RegistryImageType::InstanceImage),
                _ => None,
            },
            severity_level: self.severity,
            risky: self.risky,
            sort_key: self
                .newest_first
                .then_some(scanport_wire::hss::RegistryImageSortKey::LatestScanTime),
            sort_dir: self
                .newest_first
                .then_some(scanport_wire::hss::SortDir::Desc),
            offset: Some((self.page - 1) * PAGE_SIZE),
            limit: Some(PAGE_SIZE),
            ..ListRegistryImagesRequest::default()
        }
    }

    /// This view's URL with another page number.
    pub fn href_for_page(&self, account: &str, registry: &str, page: i64) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("image_type", THIRD_PARTY.to_owned()),
            ("registry", registry.to_owned()),
        ];
        if let Some(s) = self.severity {
            pairs.push(("severity", s.as_str().to_owned()));
        }
        if let Some(r) = self.risky {
            pairs.push(("risky", if r { "1" } else { "0" }.to_owned()));
        }
        if self.newest_first {
            pairs.push(("newest", "1".to_owned()));
        }
        pairs.push(("account", account.to_owned()));
        pairs.push(("page", page.to_string()));
        images_href(&pairs)
    }
}

// ParamsMap decodes through the browser in the hydrate build.
#[cfg(all(test, not(feature = "hydrate")))]
mod tests {
    use super::*;

    fn registry(id: &str, name: &str, ty: &str) -> Registry {
        Registry {
            id: id.into(),
            registry_name: name.into(),
            registry_type: ty.into(),
            ..Registry::default()
        }
    }

    fn query(pairs: &[(&'static str, &str)]) -> ParamsMap {
        let mut q = ParamsMap::new();
        for (k, v) in pairs {
            q.insert(*k, (*v).to_owned());
        }
        q
    }

    #[test]
    fn the_url_picks_a_registry_by_name_and_its_filters() {
        let all = vec![
            registry("reg-swr-private", "SWR private", "SwrPrivate"),
            registry("reg-harbor", "Harbor (corp)", "Harbor"),
            registry("reg-jfrog", "JFrog Artifactory", "Jfrog"),
        ];
        let shown = third_party(&all);
        assert_eq!(
            shown.len(),
            2,
            "SWR's own lists have image types of their own"
        );
        let f = RegistryImageFilters::from_query(&query(&[
            ("image_type", THIRD_PARTY),
            ("registry", "JFrog Artifactory"),
            ("severity", "High"),
            ("risky", "0"),
            ("page", "2"),
        ]));
        let chosen = f.chosen(&shown).expect("a registry");
        assert_eq!(chosen.id, "reg-jfrog");
        let req = f.to_list_request(chosen);
        assert_eq!(req.registry_name.as_deref(), Some("JFrog Artifactory"));
        assert_eq!(req.image_type, Some(RegistryImageType::Jfrog));
        assert_eq!(req.severity_level, Some(SeverityLevel::High));
        assert_eq!(req.risky, Some(false));
        assert_eq!(req.offset, Some(PAGE_SIZE));
        assert!(req.validate().is_ok());
        // An id or an unknown name in the URL is no registry: the first.
        let typed = RegistryImageFilters::from_query(&query(&[("registry", "reg-jfrog")]));
        assert_eq!(
            typed.chosen(&shown).map(|r| r.id.as_str()),
            Some("reg-harbor")
        );
        let href = f.href_for_page("hw", "JFrog Artifactory", 3);
        assert!(href.contains("registry=JFrog%20Artifactory"), "{href}");
        assert!(
            href.contains("severity=High") && href.contains("risky=0") && href.contains("page=3")
        );
    }
}
