//! The Images page's filters as the URL holds them: read from the query,
//! turned into the upstream list and batch-scan requests, and written back
//! as links.

use crate::i18n::*;
use leptos_router::params::ParamsMap;
use scanport_wire::hss::{
    BatchScanRequest, ImageType, ListImagesRequest, ScanStatus, SwrImageType,
};

/// Images per page.
pub const PAGE_SIZE: i64 = 50;

/// The filters, as the URL holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageFilters {
    pub image_type: ImageType,
    pub namespace: String,
    pub image_name: String,
    pub image_version: String,
    pub scan_status: Option<ScanStatus>,
    pub latest_only: bool,
    pub has_vul: bool,
    pub has_malicious_file: bool,
    pub has_unsafe_setting: bool,
    /// 1-based.
    pub page: i64,
}

pub(super) fn text(q: &ParamsMap, key: &str) -> String {
    q.get(key).map(|v| v.trim().to_owned()).unwrap_or_default()
}

pub(super) fn flag(q: &ParamsMap, key: &str) -> bool {
    q.get(key)
        .is_some_and(|v| v == "1" || v == "true" || v == "on")
}

pub(super) fn some(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// The 1-based page number, 1 when absent or not a positive number.
pub(super) fn page(q: &ParamsMap) -> i64 {
    q.get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// `/images?` with these pairs, encoded.
pub(super) fn images_href(pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::format::url_encode(v)))
        .collect();
    format!("/images?{}", query.join("&"))
}

impl ImageFilters {
    pub fn from_query(q: &ParamsMap) -> Self {
        Self {
            image_type: q
                .get("image_type")
                .and_then(|t| ImageType::parse(&t))
                .unwrap_or(ImageType::PrivateImage),
            namespace: text(q, "namespace"),
            image_name: text(q, "image_name"),
            image_version: text(q, "image_version"),
            scan_status: q.get("scan_status").and_then(|s| ScanStatus::parse(&s)),
            latest_only: flag(q, "latest"),
            has_vul: flag(q, "has_vul"),
            has_malicious_file: flag(q, "has_malicious_file"),
            has_unsafe_setting: flag(q, "has_unsafe_setting"),
            page: page(q),
        }
    }

    fn swr_type(&self) -> SwrImageType {
        match self.image_type {
            ImageType::PrivateImage => SwrImageType::PrivateImage,
            ImageType::SharedImage => SwrImageType::SharedImage,
            ImageType::InstanceImage => SwrImageType::InstanceImage,
        }
    }

    pub fn image_type_label(&self, i18n: I18n) -> &'static str {
        match self.image_type {
            ImageType::PrivateImage => t_string!(i18n, image_type_private_short),
            ImageType::SharedImage => t_string!(i18n, image_type_shared_short),
            ImageType::InstanceImage => t_string!(i18n, image_type_instance_short),
        }
    }

    /// The list request for the current page.
    pub fn to_list_request(&self) -> ListImagesRequest {
        let mut req = ListImagesRequest::new(self.swr_type());
        req.namespace = some(&self.namespace);
        req.image_name = some(&self.image_name);
        req.image_version = some(&self.image_version);
        req.scan_status = self.scan_status;
        req.latest_version = self.latest_only.then_some(true);
        req.has_vul = self.has_vul.then_some(true);
        req.has_malicious_file = self.has_malicious_file.then_some(true);
        req.has_unsafe_setting = self.has_unsafe_setting.then_some(true);
        req.offset = Some((self.page - 1) * PAGE_SIZE);
        req.limit = Some(PAGE_SIZE);
        req
    }

    /// "Scan all matching": the batch scan's own filters. (The list's
    /// has-vulnerability filters have no batch-scan counterpart; the
    /// dialog says so.)
    pub fn to_operate_all(&self) -> BatchScanRequest {
        let mut req = BatchScanRequest::images(self.image_type, Vec::new());
        req.operate_all = Some(true);
        req.namespace = some(&self.namespace);
        req.image_name = some(&self.image_name);
        req.image_version = some(&self.image_version);
        req.scan_status = self.scan_status;
        req.latest_version = self.latest_only.then_some(true);
        req
    }

    /// The filters in words, for the confirmation.
    pub fn describe(&self, i18n: I18n) -> String {
        let mut parts = Vec::new();
        if !self.namespace.is_empty() {
            parts.push(t_string!(i18n, images_desc_namespace, value = &self.namespace).to_string());
        }
        if !self.image_name.is_empty() {
            parts.push(t_string!(i18n, images_desc_name, value = &self.image_name).to_string());
        }
        if !self.image_version.is_empty() {
            parts.push(t_string!(i18n, images_desc_tag, value = &self.image_version).to_string());
        }
        if let Some(status) = self.scan_status {
            let value = crate::format::scan_status_label(i18n, status);
            parts.push(t_string!(i18n, images_desc_status, value).to_string());
        }
        if self.latest_only {
            parts.push(t_string!(i18n, images_desc_latest).to_owned());
        }
        let mut text = if parts.is_empty() {
            let kind = self.image_type_label(i18n);
            t_string!(i18n, images_desc_none, kind).to_string()
        } else {
            let list = parts.join(t_string!(i18n, list_separator));
            t_string!(i18n, images_desc_filters, list).to_string()
        };
        if self.has_vul || self.has_malicious_file || self.has_unsafe_setting {
            text.push(' ');
            text.push_str(t_string!(i18n, images_desc_not_applied));
        }
        text
    }

    /// This view's URL with another page number.
    pub fn href_for_page(&self, account: Option<&str>, page: i64) -> String {
        let mut pairs: Vec<(&str, String)> =
            vec![("image_type", self.image_type.as_str().to_owned())];
        for (key, value) in [
            ("namespace", &self.namespace),
            ("image_name", &self.image_name),
            ("image_version", &self.image_version),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        if let Some(status) = self.scan_status {
            pairs.push(("scan_status", status.as_str().to_owned()));
        }
        for (key, on) in [
            ("latest", self.latest_only),
            ("has_vul", self.has_vul),
            ("has_malicious_file", self.has_malicious_file),
            ("has_unsafe_setting", self.has_unsafe_setting),
        ] {
            if on {
                pairs.push((key, "1".to_owned()));
            }
        }
        if let Some(account) = account {
            pairs.push(("account", account.to_owned()));
        }
        pairs.push(("page", page.to_string()));
        images_href(&pairs)
    }
}
