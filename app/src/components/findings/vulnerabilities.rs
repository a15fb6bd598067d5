//! An image's vulnerabilities: counts by severity (each a link to the
//! list behind it), the filter form (a plain GET form), the table and the
//! pager. Everything is drawn from the list and the URL, so it works the
//! same without JavaScript.

use super::list::{Window, filter_form, pager, severity_label, summary};
use super::query::ImagePage;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::findings::{ImageRef, ImageVulnerabilityPage, Vulnerability};

fn row(i18n: I18n, v: &Vulnerability) -> impl IntoView + use<> {
    let id = v.id.clone();
    let id_view = match v.link.clone() {
        Some(link) => {
            view! { <a href=link rel="noopener noreferrer" target="_blank">{id}</a> }.into_any()
        }
        None => view! { <span>{id}</span> }.into_any(),
    };
    let fixed = match (&v.fixed_version, v.fixable) {
        (Some(version), _) => view! { <code>{version.clone()}</code> }.into_any(),
        (None, Some(false)) => {
            view! { <span class="muted">{t!(i18n, vul_no_fix)}</span> }.into_any()
        }
        _ => {
            view! { <span class="muted" title=move || t_string!(i18n, vul_fix_unknown)>"—"</span> }
                .into_any()
        }
    };
    let severity = v.severity;
    view! {
        <tr data-severity=severity.as_str()>
            <td class="vul-id">
                {id_view}
                {(!v.title.is_empty()).then(|| view! { <span class="vul-title">{v.title.clone()}</span> })}
            </td>
            <td>
                <span class=format!("sev {}", severity.as_str()) title=v.level.clone()>
                    {severity_label(i18n, severity)}
                </span>
            </td>
            <td class="package">{v.package.clone()}</td>
            <td><code>{v.version.clone()}</code></td>
            <td class="fixed">{fixed}</td>
            <td class="solution">{v.solution.clone()}</td>
        </tr>
    }
}

/// One page of the image's vulnerabilities, as the page's filters pick.
#[component]
pub fn VulnerabilityList(page: ImagePage, found: ImageVulnerabilityPage) -> impl IntoView {
    let i18n = use_i18n();
    let window = Window::of(&page, found.items.len(), found.matching);
    let rows = found.items.iter().map(|v| row(i18n, v)).collect_view();
    let csv = page.csv_href();
    // HSS has no "critical" vulnerabilities, and does not say whether a
    // fix exists.
    let tcss = matches!(page.image, ImageRef::Tcss { .. });
    let empty = if found.counts.iter().sum::<usize>() == 0 {
        Some(t_string!(i18n, vul_none))
    } else if window.total == 0 {
        Some(t_string!(i18n, vul_none_match))
    } else {
        None
    };
    view! {
        {summary(i18n, &page, found.counts, tcss)}
        {filter_form(i18n, &page, t_string!(i18n, vul_filter_search), "CVE-2024-3094", tcss)}
        {(!found.complete).then(|| view! { <p class="notice">{t!(i18n, vul_incomplete)}</p> })}
        {match empty {
            Some(text) => view! { <p class="empty">{text}</p> }.into_any(),
            None => view! {
                <div class="list-head">
                    <p class="count">
                        {move || {
                            let n = |v: usize| crate::format::number(i18n.get_locale(), v as i64);
                            let (first, last, total) = (n(window.first), n(window.last), n(window.total));
                            t_string!(i18n, vul_count, first = first, last = last, total = total).to_string()
                        }}
                    </p>
                    <a class="download" href=csv download="">{t!(i18n, vul_download_csv)}</a>
                </div>
                <div class="table-wrap">
                    <table class="vulnerabilities">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, vul_col_id)}</th>
                                <th scope="col">{t!(i18n, vul_col_severity)}</th>
                                <th scope="col">{t!(i18n, vul_col_package)}</th>
                                <th scope="col">{t!(i18n, vul_col_version)}</th>
                                <th scope="col">{t!(i18n, vul_col_fixed)}</th>
                                <th scope="col">{t!(i18n, vul_col_solution)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {pager(i18n, &page, &window)}
            }.into_any(),
        }}
    }
}
