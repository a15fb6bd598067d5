//! One page of SWR images, each with a checkbox for "Scan selected".

use super::selection::{PickCell, Picked, image_ref};
use crate::components::common::moment::Moment;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::{BatchScanImage, ScanStatus, SwrImage};

fn status_view(i18n: I18n, image: &SwrImage) -> impl IntoView + use<> {
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
    // The code in plain words; the code itself stays as the title.
    let reason = image.scan_failed_desc.clone().filter(|d| !d.is_empty());
    let locale = i18n.get_locale_untracked();
    view! {
        <span class=class>{label}</span>
        {reason.map(|code| {
            let words = crate::components::tasks::failed_images::reason_text_in(locale, Some(&code));
            view! { <span class="fail-reason" title=code>{words}</span> }
        })}
    }
}

/// Who shares a shared image, and whether the share still holds.
fn shared_view(i18n: I18n, image: &SwrImage) -> impl IntoView + use<> {
    let owner = image.domain_name.clone().filter(|d| !d.is_empty());
    let expired = image.shared_status.as_deref() == Some("expired");
    view! {
        {owner.map(|owner| view! {
            <span class="shared-by">{t!(i18n, image_shared_by, owner = owner)}</span>
        })}
        {expired.then(|| view! { <span class="share-expired">{t!(i18n, image_share_expired)}</span> })}
    }
}

/// A multi-arch image's per-architecture images, expandable.
fn architectures_view(i18n: I18n, image: &SwrImage) -> impl IntoView + use<> {
    let archs = image.association_images.clone();
    (!archs.is_empty()).then(|| {
        let count = archs.len();
        let items = archs
            .into_iter()
            .map(|a| {
                let status = a
                    .scan_status
                    .as_deref()
                    .map(|raw| {
                        ScanStatus::parse(raw).map_or(raw.to_owned(), |s| {
                            crate::format::scan_status_label(i18n, s).to_owned()
                        })
                    })
                    .unwrap_or_default();
                view! {
                    <li>
                        <code>{a.image_version.unwrap_or_default()}</code>
                        " "
                        <span class="status">{status}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <details class="architectures">
                <summary>{t!(i18n, image_arch_count, count = count)}</summary>
                <ul>{items}</ul>
            </details>
        }
    })
}

/// The image's name, a link to its findings where HSS lists them.
fn image_link(account: &str, image: &SwrImage) -> AnyView {
    let name = image.image_name.clone();
    match crate::components::findings::query::hss_image_href(account, image) {
        Some(href) => view! { <a href=href class="image-link">{name}</a> }.into_any(),
        None => view! { <span>{name}</span> }.into_any(),
    }
}

pub(super) fn count(i18n: I18n, n: Option<i64>) -> impl IntoView {
    let n = n.unwrap_or(0);
    let class = if n > 0 { "num risk" } else { "num" };
    view! { <td class=class>{move || crate::format::number(i18n.get_locale(), n)}</td> }
}

/// `selectable`: whether the caller may launch scans (operators). Each
/// image's name leads to its findings (`account`'s image page).
#[component]
pub fn ImageTable(images: Vec<SwrImage>, selectable: bool, account: String) -> impl IntoView {
    let i18n = use_i18n();
    if images.is_empty() {
        return view! {
            <p class="empty">{t!(i18n, images_empty)}</p>
        }
        .into_any();
    }
    let rows = images
        .into_iter()
        .map(|image| {
            let label = image_ref(&image.namespace, &image.image_name, &image.image_version);
            let checkbox = selectable.then(|| {
                let picked = Picked::Swr(BatchScanImage {
                    namespace: image.namespace.clone(),
                    image_name: image.image_name.clone(),
                    image_version: image.image_version.clone(),
                    instance_id: image.instance_id.clone(),
                    instance_url: image.instance_url.clone(),
                });
                view! { <PickCell label picked /> }
            });
            view! {
                <tr>
                    {checkbox}
                    <td>{image.namespace.clone()}</td>
                    <td class="image-name">
                        {image_link(&account, &image)}
                        {shared_view(i18n, &image)}
                    </td>
                    <td>
                        <code>{image.image_version.clone()}</code>
                        {(image.latest_version == Some(true)).then(|| view! { <span class="tag-latest">{t!(i18n, images_latest_badge)}</span> })}
                        {architectures_view(i18n, &image)}
                    </td>
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
            <table class="images">
                <thead>
                    <tr>
                        {selectable.then(|| view! { <th scope="col"><span class="sr-only">{t!(i18n, images_select)}</span></th> })}
                        <th scope="col">{t!(i18n, col_namespace)}</th>
                        <th scope="col">{t!(i18n, col_image)}</th>
                        <th scope="col">{t!(i18n, col_tag)}</th>
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
