//! One page of SWR images, each with a checkbox for "Scan selected".

use super::selection::{Selection, image_ref};
use crate::components::common::moment::Moment;
use leptos::prelude::*;
use scanport_wire::hss::{ScanStatus, SwrImage};

fn status_view(image: &SwrImage) -> impl IntoView + use<> {
    let raw = image.scan_status.clone().unwrap_or_default();
    let parsed = ScanStatus::parse(&raw);
    let label = parsed.map_or(raw.clone(), |s| {
        crate::format::scan_status_label(s).to_owned()
    });
    let class = match parsed {
        Some(ScanStatus::Success) => "status ok",
        Some(ScanStatus::Failed | ScanStatus::DownloadFailed | ScanStatus::ImageOversized) => {
            "status bad"
        }
        Some(ScanStatus::Scanning | ScanStatus::WaitingForScan) => "status warn",
        _ => "status",
    };
    let reason = image.scan_failed_desc.clone().filter(|d| !d.is_empty());
    view! {
        <span class=class>{label}</span>
        {reason.map(|r| view! { <span class="fail-reason">{r}</span> })}
    }
}

fn count(n: Option<i64>) -> impl IntoView {
    let n = n.unwrap_or(0);
    let class = if n > 0 { "num risk" } else { "num" };
    view! { <td class=class>{n}</td> }
}

/// `selectable`: whether the caller may launch scans (operators).
#[component]
pub fn ImageTable(images: Vec<SwrImage>, selectable: bool) -> impl IntoView {
    let selection = expect_context::<Selection>();
    if images.is_empty() {
        return view! {
            <p class="empty">
                "No image matches these filters. Clear a filter, or refresh the SWR image list on the Registries page."
            </p>
        }
        .into_any();
    }
    let rows = images
        .into_iter()
        .map(|image| {
            let label = image_ref(&image.namespace, &image.image_name, &image.image_version);
            let checkbox = selectable.then(|| {
                let for_check = image.clone();
                let for_toggle = image.clone();
                view! {
                    <td class="pick">
                        <input
                            type="checkbox"
                            aria-label=format!("Select {label}")
                            prop:checked=move || selection.contains(&for_check)
                            on:change=move |_| selection.toggle(&for_toggle)
                        />
                    </td>
                }
            });
            view! {
                <tr>
                    {checkbox}
                    <td>{image.namespace.clone()}</td>
                    <td class="image-name">{image.image_name.clone()}</td>
                    <td>
                        <code>{image.image_version.clone()}</code>
                        {(image.latest_version == Some(true)).then(|| view! { <span class="tag-latest">"latest"</span> })}
                    </td>
                    <td>{status_view(&image)}</td>
                    {count(image.vul_num)}
                    {count(image.malicious_file_num)}
                    {count(image.unsafe_setting_num)}
                    <td>
                        {image.latest_scan_time.filter(|t| *t > 0).map_or_else(
                            || view! { <span class="muted">"never"</span> }.into_any(),
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
                        {selectable.then(|| view! { <th scope="col"><span class="sr-only">"Select"</span></th> })}
                        <th scope="col">"Namespace"</th>
                        <th scope="col">"Image"</th>
                        <th scope="col">"Tag"</th>
                        <th scope="col">"Scan status"</th>
                        <th scope="col" class="num">"Vulnerabilities"</th>
                        <th scope="col" class="num">"Malicious files"</th>
                        <th scope="col" class="num">"Unsafe settings"</th>
                        <th scope="col">"Last scan"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
