//! An image's vulnerabilities: counts by severity (each a link to the
//! list behind it), the filter form (a plain GET form), the table and the
//! pager. Everything is drawn from the list and the URL, so it works the
//! same without JavaScript.

use super::query::{ImagePage, PAGE_SIZE, VulFilters};
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::findings::{ImageRef, ImageVulnerabilityPage, Severity, Vulnerability};

pub fn severity_label(i18n: I18n, severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => t_string!(i18n, severity_critical),
        Severity::High => t_string!(i18n, severity_high),
        Severity::Medium => t_string!(i18n, severity_medium),
        Severity::Low => t_string!(i18n, severity_low),
        Severity::Unknown => t_string!(i18n, severity_unknown),
    }
}

/// Counts by severity, each a link to those vulnerabilities.
fn summary(i18n: I18n, page: &ImagePage, counts: [usize; 5]) -> impl IntoView + use<> {
    let hss = matches!(page.image, ImageRef::Hss { .. });
    let items = Severity::ALL
        .into_iter()
        // HSS has no "critical"; "unknown" only when there are some.
        .filter(|s| !(hss && *s == Severity::Critical))
        .filter(|s| *s != Severity::Unknown || counts[*s as usize] > 0)
        .map(|severity| {
            let n = counts[severity as usize];
            let filters = VulFilters {
                severity: Some(severity),
                ..VulFilters::default()
            };
            let href = page.href(&filters);
            let current = page.filters.severity == Some(severity);
            view! {
                <li>
                    <a
                        href=href
                        class=format!("sev-count {}", severity.as_str())
                        aria-current=current.then_some("true")
                    >
                        <span class="n">{move || crate::format::number(i18n.get_locale(), n as i64)}</span>
                        <span class="label">{severity_label(i18n, severity)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="sev-summary">{items}</ul> }
}

fn filter_form(i18n: I18n, page: &ImagePage) -> impl IntoView + use<> {
    let hidden = page
        .hidden_fields()
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view();
    let chosen = page.filters.severity;
    let options = Severity::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=chosen == Some(s)>{severity_label(i18n, s)}</option> })
        .collect_view();
    // HSS does not say whether a fix exists.
    let fix_known = matches!(page.image, ImageRef::Tcss { .. });
    let clear = page.href(&VulFilters::default());
    view! {
        <form method="get" action="/image" class="filters vul-filters">
            {hidden}
            <div class="field">
                <label for="v-q">{t!(i18n, vul_filter_search)}</label>
                <input id="v-q" name="q" type="search" value=page.filters.search.clone() placeholder="CVE-2024-3094" />
            </div>
            <div class="field">
                <label for="v-severity">{t!(i18n, vul_col_severity)}</label>
                <select id="v-severity" name="severity">
                    <option value="" selected=chosen.is_none()>{t!(i18n, filters_any)}</option>
                    {options}
                </select>
            </div>
            {fix_known.then(|| view! {
                <label class="check">
                    <input type="checkbox" name="fix" value="1" checked=page.filters.fixable_only />
                    {t!(i18n, vul_filter_fixable)}
                </label>
            })}
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, filters_apply)}</button>
                <a href=clear class="link">{t!(i18n, filters_clear)}</a>
            </div>
        </form>
    }
}

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
    let (total, shown) = (found.matching, &found.items);
    let first = if total == 0 {
        0
    } else {
        (page.filters.page - 1) * PAGE_SIZE + 1
    };
    let last = ((page.filters.page - 1) * PAGE_SIZE + shown.len()).min(total);
    let rows = shown.iter().map(|v| row(i18n, v)).collect_view();
    let csv = page.csv_href();
    let pager_href = |p: usize| {
        page.href(&VulFilters {
            page: p,
            ..page.filters.clone()
        })
    };
    let prev = (page.filters.page > 1).then(|| pager_href(page.filters.page - 1));
    let next = (last < total).then(|| pager_href(page.filters.page + 1));
    let empty = if found.counts.iter().sum::<usize>() == 0 {
        Some(t_string!(i18n, vul_none))
    } else if total == 0 {
        Some(t_string!(i18n, vul_none_match))
    } else {
        None
    };
    view! {
        {summary(i18n, &page, found.counts)}
        {filter_form(i18n, &page)}
        {(!found.complete).then(|| view! { <p class="notice">{t!(i18n, vul_incomplete)}</p> })}
        {match empty {
            Some(text) => view! { <p class="empty">{text}</p> }.into_any(),
            None => view! {
                <div class="list-head">
                    <p class="count">
                        {move || {
                            let n = |v: usize| crate::format::number(i18n.get_locale(), v as i64);
                            t_string!(i18n, vul_count, first = n(first), last = n(last), total = n(total)).to_string()
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
                <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
                    {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, pager_prev)}</a> })}
                    {next.map(|href| view! { <a href=href rel="next">{t!(i18n, pager_next)}</a> })}
                </nav>
            }.into_any(),
        }}
    }
}
