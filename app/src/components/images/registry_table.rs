//! One page of a connected registry's images (HSS `ListRegistryImages`),
//! each with a checkbox for "Scan selected" (a manual scan task).

use super::image_table::count;
use super::registry_filters::severity_label;
use super::selection::{PickCell, Picked, image_ref};
use crate::components::common::moment::Moment;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::{
    RegistryImageInfo, ScanImageInfo, ScanRegistryType, ScanStatus, SeverityLevel,
};

/// How a manual scan task names this image: its registry and its name.
pub fn scan_info(image: &RegistryImageInfo) -> ScanImageInfo {
    ScanImageInfo {
        id: image.id,
        image_digest: image.image_digest.clone(),
        registry_id: image.registry_id.clone(),
        registry_name: image.registry_name.clone(),
        registry_type: image
            .registry_type
            .as_deref()
            .and_then(ScanRegistryType::parse),
        instance_id: image.instance_id.clone(),
        instance_url: image.instance_url.clone(),
        ..ScanImageInfo::registry(&image.namespace, &image.image_name, &image.image_version)
    }
}

fn severity_view(i18n: I18n, image: &RegistryImageInfo) -> impl IntoView + use<> {
    let raw = image.severity_level.clone().unwrap_or_default();
    match SeverityLevel::parse(&raw) {
        Some(level) => {
            let class = match level {
                SeverityLevel::High => "severity high",
                SeverityLevel::Medium => "severity medium",
                SeverityLevel::Low => "severity low",
                SeverityLevel::Security => "severity none",
            };
            view! { <span class=class>{severity_label(i18n, level)}</span> }.into_any()
        }
        None if raw.is_empty() => view! { <span class="muted">"—"</span> }.into_any(),
        None => view! { <span class="severity">{raw}</span> }.into_any(),
    }
}

fn status_view(i18n: I18n, image: &RegistryImageInfo) -> impl IntoView + use<> {
    let raw = image.scan_status.clone().unwrap_or_default();
    let parsed = ScanStatus::parse(&raw);
    let label = parsed.map_or(raw.clone(), |s| {
        crate::format::scan_status_label(i18n, s).to_owned()
    });
    let class = match parsed {
        Some(ScanStatus::Success) => "status ok",
        Some(ScanStatus::Failed | ScanStatus::DownloadFailed | ScanStatus::ImageOversized) => {
            "status bad"
        }
        Some(ScanStatus::Scanning | ScanStatus::WaitingForScan) => "status warn",
        _ => "status",
    };
    let reason = image
        .scan_failed_code
        .clone()
        .or_else(|| image.scan_failed_desc.clone())
        .filter(|d| !d.is_empty());
    let locale = i18n.get_locale_untracked();
    view! {
        <span class=class>{label}</span>
        {reason.map(|code| {
            let words = crate::components::tasks::failed_images::reason_text_in(locale, Some(&code));
            view! { <span class="fail-reason" title=code>{words}</span> }
        })}
    }
}

/// The image's name, a link to its findings where HSS lists them.
fn image_link(account: &str, image: &RegistryImageInfo) -> AnyView {
    let name = image.image_name.clone();
    match crate::components::findings::query::registry_image_href(account, image) {
        Some(href) => view! { <a href=href class="image-link">{name}</a> }.into_any(),
        None => view! { <span>{name}</span> }.into_any(),
    }
}

/// `selectable`: whether the caller may launch scans (operators).
#[component]
pub fn RegistryImageTable(
    images: Vec<RegistryImageInfo>,
    account: String,
    selectable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if images.is_empty() {
        return view! {
            <p class="empty">{t!(i18n, images_empty_registry)}</p>
        }
        .into_any();
    }
    let rows = images
        .into_iter()
        .map(|image| {
            let label = image_ref(&image.namespace, &image.image_name, &image.image_version);
            let checkbox = selectable.then(|| {
                let picked = Picked::Registry(scan_info(&image));
                view! { <PickCell label=label.clone() picked /> }
            });
            view! {
                <tr data-image-id=image.id.map(|i| i.to_string())>
                    {checkbox}
                    <td>{image.namespace.clone()}</td>
                    <td class="image-name">{image_link(&account, &image)}</td>
                    <td>
                        <code>{image.image_version.clone()}</code>
                        {(image.latest_version == Some(true)).then(|| view! { <span class="tag-latest">{t!(i18n, images_latest_badge)}</span> })}
                    </td>
                    <td>{severity_view(i18n, &image)}</td>
                    <td>{status_view(i18n, &image)}</td>
                    {count(i18n, image.vul_num)}
                    {count(i18n, image.malicious_file_num)}
                    {count(i18n, image.unsafe_setting_num)}
                    <td>
                        {image.latest_scan_time.filter(|t| *t > 0).map_or_else(
                            || view! { <span class="muted">{t!(i18n, images_never)}</span> }.into_any(),
                            |ms| view! { <Moment ms /> }.into_any(),
                        )}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="images registry-images">
                <thead>
                    <tr>
                        {selectable.then(|| view! { <th scope="col"><span class="sr-only">{t!(i18n, images_select)}</span></th> })}
                        <th scope="col">{t!(i18n, col_namespace)}</th>
                        <th scope="col">{t!(i18n, col_image)}</th>
                        <th scope="col">{t!(i18n, col_tag)}</th>
                        <th scope="col">{t!(i18n, col_severity)}</th>
                        <th scope="col">{t!(i18n, col_scan_status)}</th>
                        <th scope="col" class="num">{t!(i18n, col_vulnerabilities)}</th>
                        <th scope="col" class="num">{t!(i18n, col_malicious_files)}</th>
                        <th scope="col" class="num">{t!(i18n, col_unsafe_settings)}</th>
                        <th scope="col">{t!(i18n, col_last_scan)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_harbor_image_is_named_by_its_registry_for_the_scan_task() {
        let image = RegistryImageInfo {
            id: Some(50_001),
            namespace: "payments".into(),
            image_name: "billing".into(),
            image_version: "v1.0".into(),
            registry_id: Some("reg-harbor".into()),
            registry_name: Some("Harbor (corp)".into()),
            registry_type: Some("Harbor".into()),
            ..RegistryImageInfo::default()
        };
        let info = scan_info(&image);
        assert_eq!(info.registry_type, Some(ScanRegistryType::Harbor));
        assert_eq!(info.registry_id.as_deref(), Some("reg-harbor"));
        assert_eq!(
            (
                info.namespace.as_deref(),
                info.image_name.as_deref(),
                info.image_version.as_deref()
            ),
            (Some("payments"), Some("billing"), Some("v1.0"))
        );
        let request = scanport_wire::hss::CreateScanTaskRequest {
            image_info: vec![info],
            ..Default::default()
        };
        assert!(request.validate().is_ok());
    }
}
