//! One page of a TCSS account's registry images, each with a checkbox for
//! "Scan selected".

use super::image_table::count;
use super::selection::{PickCell, Picked, image_ref};
use crate::components::common::moment::Moment;
use crate::components::schedule::rules::{parse_tencent_time, registry_type_label};
use crate::format::tcss_status_label;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::tcss::{RegistryImage, scan_status};

/// The status badge's class for a TCSS scan state.
pub fn status_class(raw: &str) -> &'static str {
    match raw {
        scan_status::SCANNED => "status ok",
        scan_status::SCAN_ERR => "status bad",
        scan_status::SCANNING => "status warn",
        _ => "status",
    }
}

/// The vulnerability count, with its critical / high / medium / low split.
fn vulnerabilities_view(i18n: I18n, image: &RegistryImage) -> impl IntoView + use<> {
    let total = image.vul_cnt.unwrap_or(0);
    let levels = [
        (
            image.critical_level_vul_cnt,
            "sev critical",
            t_string!(i18n, severity_critical),
        ),
        (
            image.high_level_vul_cnt,
            "sev high",
            t_string!(i18n, severity_high),
        ),
        (
            image.medium_level_vul_cnt,
            "sev medium",
            t_string!(i18n, severity_medium),
        ),
        (
            image.low_level_vul_cnt,
            "sev low",
            t_string!(i18n, severity_low),
        ),
    ];
    let split = levels
        .into_iter()
        .filter_map(|(n, class, label)| {
            let n = n.filter(|n| *n > 0)?;
            // The level's initial and count; the word is the title.
            let initial = label.chars().next().unwrap_or(' ');
            Some(view! { <span class=class title=label>{format!("{initial} {n}")}</span> })
        })
        .collect_view();
    let class = if total > 0 { "num risk" } else { "num" };
    // Tencent's own "must fix" mark (HasNeedFixVul).
    let must_fix = (image.has_need_fix_vul == Some(true)).then(|| {
        view! {
            <span class="must-fix" title=t_string!(i18n, images_must_fix_title)>
                {t!(i18n, images_must_fix)}
            </span>
        }
    });
    view! {
        <td class=class>
            {move || crate::format::number(i18n.get_locale(), total)}
            <span class="sev-split">{split}</span>
            {must_fix}
        </td>
    }
}

/// `selectable`: whether the caller may launch scans (operators).
#[component]
pub fn TcssImageTable(
    images: Vec<RegistryImage>,
    selectable: bool,
    account: String,
) -> impl IntoView {
    let i18n = use_i18n();
    if images.is_empty() {
        return view! { <p class="empty">{t!(i18n, images_empty_tcss)}</p> }.into_any();
    }
    let rows = images
        .into_iter()
        .map(|image| {
            let namespace = image.namespace.clone().unwrap_or_default();
            let label = image_ref(&namespace, &image.image_name, &image.image_tag);
            let checkbox = selectable.then(|| {
                let picked = Picked::Tcss(image.id);
                let label = label.clone();
                view! { <PickCell label picked /> }
            });
            let status = image.scan_status.clone().unwrap_or_default();
            let registry = image
                .instance_name
                .clone()
                .filter(|n| !n.is_empty())
                .or_else(|| image.image_repo_address.clone())
                .unwrap_or_default();
            let kind = image.registry_type.as_deref().map(registry_type_label);
            let authorized = image.is_authorized == Some(1);
            let scanned = image.scan_time.as_deref().and_then(parse_tencent_time);
            view! {
                <tr data-image=label>
                    {checkbox}
                    <td>{namespace}</td>
                    <td class="image-name">
                        <a href=crate::components::findings::query::tcss_image_href(&account, &image) class="image-link">
                            {image.image_name.clone()}
                        </a>
                    </td>
                    <td>
                        <code>{image.image_tag.clone()}</code>
                        {(image.is_latest_image == Some(true)).then(|| view! { <span class="tag-latest">{t!(i18n, images_latest_badge)}</span> })}
                    </td>
                    <td>
                        {registry}
                        {kind.map(|k| view! { <span class="muted registry-kind">{k}</span> })}
                    </td>
                    <td class="scan-status">
                        <span class=status_class(&status)>{tcss_status_label(i18n, &status)}</span>
                        {(status == scan_status::SCAN_ERR).then(|| image.scan_error().map(|e| view! { <span class="fail-reason">{e.to_owned()}</span> }))}
                    </td>
                    {vulnerabilities_view(i18n, &image)}
                    {count(i18n, image.virus_cnt)}
                    {count(i18n, image.risk_cnt)}
                    <td>
                        {if authorized {
                            view! { <span class="status ok">{t!(i18n, images_authorized_yes)}</span> }.into_any()
                        } else {
                            view! { <span class="status">{t!(i18n, images_authorized_no)}</span> }.into_any()
                        }}
                    </td>
                    <td>
                        {scanned.map_or_else(
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
            <table class="images tcss-images">
                <thead>
                    <tr>
                        {selectable.then(|| view! { <th scope="col"><span class="sr-only">{t!(i18n, images_select)}</span></th> })}
                        <th scope="col">{t!(i18n, col_namespace)}</th>
                        <th scope="col">{t!(i18n, col_image)}</th>
                        <th scope="col">{t!(i18n, col_tag)}</th>
                        <th scope="col">{t!(i18n, col_registry)}</th>
                        <th scope="col">{t!(i18n, col_scan_status)}</th>
                        <th scope="col" class="num">{t!(i18n, col_vulnerabilities)}</th>
                        <th scope="col" class="num">{t!(i18n, col_viruses)}</th>
                        <th scope="col" class="num">{t!(i18n, col_risks)}</th>
                        <th scope="col">{t!(i18n, col_authorized)}</th>
                        <th scope="col">{t!(i18n, col_last_scan)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
