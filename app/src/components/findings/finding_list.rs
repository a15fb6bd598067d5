//! One of the image page's other tabs: malicious files, sensitive
//! information or risky settings, on one scale for both clouds, with the
//! same counts, filters and pager as the vulnerabilities.

use super::list::{Window, filter_form, pager, severity_label, summary};
use super::query::ImagePage;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::findings::{Finding, FindingKind, ImageFindingsPage, ImageRef, Severity};

/// The severity as the page shows it: the shared scale's word, or the
/// cloud's own when it has no place on the scale (HSS's `Security`
/// baseline is "safe").
fn severity_view(i18n: I18n, f: &Finding) -> impl IntoView + use<> {
    let label = match (f.severity, f.level.as_str()) {
        (Severity::Unknown, "Security") => t_string!(i18n, severity_security).to_owned(),
        (Severity::Unknown, level) if !level.is_empty() => level.to_owned(),
        (severity, _) => severity_label(i18n, severity).to_owned(),
    };
    view! {
        <span class=format!("sev {}", f.severity.as_str()) title=f.level.clone()>{label}</span>
    }
}

fn row(i18n: I18n, f: &Finding, rated: bool) -> impl IntoView + use<> {
    view! {
        <tr data-severity=f.severity.as_str()>
            {rated.then(|| view! { <td>{severity_view(i18n, f)}</td> })}
            <td class="finding-title">{f.title.clone()}</td>
            <td class="location"><code>{f.location.clone()}</code></td>
            <td class="detail">{f.detail.clone()}</td>
            <td class="solution">{f.solution.clone()}</td>
        </tr>
    }
}

/// The "where" column's heading: a file, or for settings what the cloud
/// points at (HSS: the failed checks; TCSS: the build instruction).
fn location_heading(i18n: I18n, kind: FindingKind, image: &ImageRef) -> &'static str {
    match (kind, image) {
        (FindingKind::Settings, ImageRef::Hss { .. }) => t_string!(i18n, finding_col_failed),
        (FindingKind::Settings, ImageRef::Tcss { .. }) => {
            t_string!(i18n, finding_col_instruction)
        }
        _ => t_string!(i18n, finding_col_file),
    }
}

fn none_found(i18n: I18n, kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Malware => t_string!(i18n, finding_none_malware),
        FindingKind::Sensitive => t_string!(i18n, finding_none_sensitive),
        FindingKind::Settings => t_string!(i18n, finding_none_settings),
    }
}

/// One page of the image's findings of one kind, as the page's filters
/// pick.
#[component]
pub fn FindingList(page: ImagePage, found: ImageFindingsPage) -> impl IntoView {
    let i18n = use_i18n();
    let kind = found.kind;
    let window = Window::of(&page, found.items.len(), found.matching);
    // HSS rates no malicious file: no severity column, counts or filter.
    let rated = found.counts[..4].iter().sum::<usize>() > 0 || page.filters.severity.is_some();
    let rows = found
        .items
        .iter()
        .map(|f| row(i18n, f, rated))
        .collect_view();
    let empty = if found.counts.iter().sum::<usize>() == 0 {
        Some(none_found(i18n, kind))
    } else if window.total == 0 {
        Some(t_string!(i18n, finding_none_match))
    } else {
        None
    };
    let where_heading = location_heading(i18n, kind, &page.image);
    view! {
        {rated.then(|| summary(i18n, &page, found.counts, true))}
        {filter_form(i18n, &page, t_string!(i18n, finding_filter_search), "", false)}
        {(kind == FindingKind::Sensitive).then(|| view! { <p class="hint">{t!(i18n, finding_masked)}</p> })}
        {(!found.complete).then(|| view! { <p class="notice">{t!(i18n, finding_incomplete)}</p> })}
        {match empty {
            Some(text) => view! { <p class="empty">{text}</p> }.into_any(),
            None => view! {
                <div class="list-head">
                    <p class="count">
                        {move || {
                            let n = |v: usize| crate::format::number(i18n.get_locale(), v as i64);
                            let (first, last, total) = (n(window.first), n(window.last), n(window.total));
                            t_string!(i18n, finding_count, first = first, last = last, total = total).to_string()
                        }}
                    </p>
                </div>
                <div class="table-wrap">
                    <table class=format!("findings {}", kind.as_str())>
                        <thead>
                            <tr>
                                {rated.then(|| view! { <th scope="col">{t!(i18n, vul_col_severity)}</th> })}
                                <th scope="col">{t!(i18n, finding_col_finding)}</th>
                                <th scope="col">{where_heading}</th>
                                <th scope="col">{t!(i18n, finding_col_detail)}</th>
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
