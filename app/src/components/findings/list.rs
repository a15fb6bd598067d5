//! What the image page's tabs share: severity words, the counts by
//! severity (each a link to the list behind it), the filter form (a plain
//! GET form) and the pager. Everything is drawn from the list and the URL,
//! so it works the same without JavaScript.

use super::query::{ImagePage, PAGE_SIZE, VulFilters};
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::findings::Severity;

pub fn severity_label(i18n: I18n, severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => t_string!(i18n, severity_critical),
        Severity::High => t_string!(i18n, severity_high),
        Severity::Medium => t_string!(i18n, severity_medium),
        Severity::Low => t_string!(i18n, severity_low),
        Severity::Unknown => t_string!(i18n, severity_unknown),
    }
}

/// Counts by severity, each a link to the findings of that severity.
///
/// `critical` is left out where the list has no such word (HSS
/// vulnerabilities), `unknown` when there are none.
pub fn summary(
    i18n: I18n,
    page: &ImagePage,
    counts: [usize; 5],
    has_critical: bool,
) -> impl IntoView + use<> {
    let items = Severity::ALL
        .into_iter()
        .filter(|s| has_critical || *s != Severity::Critical)
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

/// The filter form: search, severity and, where the list knows it, "only
/// with a fix".
pub fn filter_form(
    i18n: I18n,
    page: &ImagePage,
    search_label: &'static str,
    placeholder: &'static str,
    fix_known: bool,
) -> impl IntoView + use<> {
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
    let clear = page.href(&VulFilters::default());
    view! {
        <form method="get" action="/image" class="filters vul-filters">
            {hidden}
            <div class="field">
                <label for="v-q">{search_label}</label>
                <input id="v-q" name="q" type="search" value=page.filters.search.clone() placeholder=placeholder />
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

/// Which of the matching items a page shows (1-based, inclusive).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub first: usize,
    pub last: usize,
    pub total: usize,
    page: usize,
}

impl Window {
    pub fn of(page: &ImagePage, shown: usize, total: usize) -> Self {
        let page = page.filters.page.max(1);
        let before = (page - 1) * PAGE_SIZE;
        Self {
            first: if total == 0 { 0 } else { before + 1 },
            last: (before + shown).min(total),
            total,
            page,
        }
    }
}

/// Links to the previous and next pages, where there are some.
pub fn pager(i18n: I18n, page: &ImagePage, window: &Window) -> impl IntoView + use<> {
    let href = |p: usize| {
        page.href(&VulFilters {
            page: p,
            ..page.filters.clone()
        })
    };
    let prev = (window.page > 1).then(|| href(window.page - 1));
    let next = (window.last < window.total).then(|| href(window.page + 1));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
            {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, pager_prev)}</a> })}
            {next.map(|href| view! { <a href=href rel="next">{t!(i18n, pager_next)}</a> })}
        </nav>
    }
}
