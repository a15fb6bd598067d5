//! `/`: the Overview, the landing page after sign-in. For every account of
//! both clouds: its images by their worst vulnerability, the ones never
//! scanned or whose scan failed, the scans running now and the most
//! widespread CVEs, each number a link to the list behind it. The figures
//! are gathered in the background (`ui/overview`), so the page reads the
//! database only. Plain links, the same without JavaScript.

use crate::accounts::Provider;
use crate::components::common::drawn_once::drawn_once;
use crate::components::common::moment::Moment;
use crate::components::error_notice::ErrorNotice;
use crate::components::findings::across_query::AcrossQuery;
use crate::components::findings::list::severity_label;
use crate::components::images::query::ImageFilters;
use crate::components::images::tcss_query::TcssImageFilters;
use crate::components::layout::TCSS_TASKS;
use crate::components::tasks::filters::TaskFilters;
use crate::i18n::*;
use crate::server_fns::overview::ui_overview;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use scanport_wire::findings::Severity;
use scanport_wire::hss::{ScanStatus, TaskListType, TaskStatusFilter};
use scanport_wire::overview::{AccountOverview, OverviewRow};
use scanport_wire::tcss::scan_status;
use scanport_wire::vulnerabilities::AccountVulnerabilityFilter;

/// Which images a number counts, to link to the list of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Images {
    All,
    NeverScanned,
    Failed,
    /// Scanned, with vulnerabilities (no list filters by severity).
    Vulnerable,
    /// Scanned.
    Scanned,
}

/// The Images page listing `which` images of `account`.
fn images_href(account: &str, provider: Provider, which: Images) -> String {
    match provider {
        Provider::Huawei => {
            let mut f = ImageFilters::from_query(&ParamsMap::new());
            match which {
                Images::All => {}
                Images::NeverScanned => f.scan_status = Some(ScanStatus::Unscan),
                Images::Failed => f.scan_status = Some(ScanStatus::Failed),
                Images::Vulnerable => {
                    f.scan_status = Some(ScanStatus::Success);
                    f.has_vul = true;
                }
                Images::Scanned => f.scan_status = Some(ScanStatus::Success),
            }
            f.href_for_page(Some(account), 1)
        }
        Provider::Tencent => {
            let mut f = TcssImageFilters::default();
            let status = match which {
                Images::All => "",
                Images::NeverScanned => scan_status::NOT_SCAN,
                Images::Failed => scan_status::SCAN_ERR,
                Images::Vulnerable | Images::Scanned => scan_status::SCANNED,
            };
            f.scan_status = status.to_owned();
            f.risky_only = which == Images::Vulnerable;
            f.href_for_page(account, 1)
        }
    }
}

/// The task monitor showing `account`'s running scans.
fn running_href(account: &str, provider: Provider) -> String {
    match provider {
        Provider::Huawei => TaskFilters {
            list: TaskListType::ImageScan,
            account: Some(account.to_owned()),
            status: Some(TaskStatusFilter::Scanning),
            ..TaskFilters::from_query(&ParamsMap::new())
        }
        .href(1),
        Provider::Tencent => format!(
            "{TCSS_TASKS}?account={}",
            crate::format::url_encode(account)
        ),
    }
}

/// One figure: a number over its label, a link to what it counts.
fn tile(
    i18n: I18n,
    n: i64,
    label: &'static str,
    href: String,
    class: &'static str,
) -> impl IntoView + use<> {
    view! {
        <li>
            <a href=href class=format!("sev-count {class}")>
                <span class="n">{move || crate::format::number(i18n.get_locale(), n)}</span>
                <span class="label">{label}</span>
            </a>
        </li>
    }
}

fn figures(i18n: I18n, row: &OverviewRow, o: &AccountOverview) -> impl IntoView + use<> {
    let (account, provider) = (row.account.as_str(), row.provider);
    let images = &o.images;
    let href = |which| images_href(account, provider, which);
    let severity = images.severity;
    let by_severity = severity
        .by_severity()
        .into_iter()
        .filter(|(s, _)| provider == Provider::Tencent || *s != Severity::Critical)
        .map(|(s, n)| {
            tile(
                i18n,
                n,
                severity_label(i18n, s),
                href(Images::Vulnerable),
                s.as_str(),
            )
        })
        .collect_view();
    let unknown = (severity.unknown > 0).then(|| {
        tile(
            i18n,
            severity.unknown,
            t_string!(i18n, overview_not_known),
            href(Images::Vulnerable),
            "unknown",
        )
    });
    view! {
        <ul class="sev-summary overview-figures" aria-label=move || t_string!(i18n, overview_images_label)>
            {tile(i18n, images.total, t_string!(i18n, overview_images), href(Images::All), "total")}
            {tile(i18n, images.never_scanned, t_string!(i18n, overview_never_scanned), href(Images::NeverScanned), "never")}
            {tile(i18n, images.failed, t_string!(i18n, overview_failed), href(Images::Failed), "failed")}
            {tile(i18n, o.running_tasks, t_string!(i18n, overview_running), running_href(account, provider), "running")}
        </ul>
        <h3>{t!(i18n, overview_by_severity)}</h3>
        <ul class="sev-summary overview-severity" aria-label=move || t_string!(i18n, overview_by_severity)>
            {by_severity}
            {tile(i18n, severity.none, t_string!(i18n, overview_none_found), href(Images::Scanned), "none")}
            {unknown}
        </ul>
    }
}

fn top_vulnerabilities(i18n: I18n, account: &str, o: &AccountOverview) -> impl IntoView + use<> {
    if o.top_vulnerabilities.is_empty() {
        return view! { <p class="empty">{t!(i18n, overview_top_none)}</p> }.into_any();
    }
    let rows = o
        .top_vulnerabilities
        .iter()
        .map(|v| {
            let search = AccountVulnerabilityFilter {
                search: v.id.clone(),
                ..Default::default()
            };
            let found = AcrossQuery::href(account, &search, None, 1);
            let affected =
                AcrossQuery::href(account, &Default::default(), Some((&v.key, &v.id)), 1);
            let images = v.images;
            view! {
                <tr>
                    <th scope="row"><a href=found>{v.id.clone()}</a></th>
                    <td><span class=format!("sev {}", v.severity.as_str()) title=v.level.clone()>{severity_label(i18n, v.severity)}</span></td>
                    <td class="num"><a href=affected>{move || crate::format::number(i18n.get_locale(), images)}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="vulnerabilities overview-top">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, vul_col_id)}</th>
                        <th scope="col">{t!(i18n, vul_col_severity)}</th>
                        <th scope="col" class="num">{t!(i18n, col_images)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn account_section(i18n: I18n, row: OverviewRow) -> impl IntoView {
    let heading_id = format!("overview-{}", row.account);
    let labelled_by = heading_id.clone();
    let provider = match row.provider {
        Provider::Huawei => t_string!(i18n, provider_huawei_long),
        Provider::Tencent => t_string!(i18n, provider_tencent_long),
    };
    let body = match &row.overview {
        None => view! { <p class="empty">{t!(i18n, overview_not_yet)}</p> }.into_any(),
        Some(o) => {
            let filling = (!o.complete).then(|| {
                view! { <p class="overview-note">{t!(i18n, overview_filling)}</p> }
            });
            let error = o.error.clone().map(|e| {
                view! { <p class="notice warn">{t!(i18n, overview_stopped)}" "{e}</p> }
            });
            view! {
                <p class="freshness">{t!(i18n, overview_gathered)}" "<Moment ms=row.fetched_at_ms /></p>
                {filling}
                {error}
                {figures(i18n, &row, o)}
                <h3>{t!(i18n, overview_top)}</h3>
                {top_vulnerabilities(i18n, &row.account, o)}
            }
            .into_any()
        }
    };
    view! {
        <section class="account-overview" aria-labelledby=labelled_by>
            <h2 id=heading_id>
                <span class="account-id">{row.account.clone()}</span>
                " "<span class="provider">{provider}</span>
            </h2>
            {body}
        </section>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |()| ui_overview());
    view! {
        <div class="page-head">
            <h1>{t!(i18n, overview_title)}</h1>
        </div>
        <p class="intro">{t!(i18n, overview_intro)}</p>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, overview_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                match data.await {
                    Ok(rows) => rows
                        .into_iter()
                        .map(|row| account_section(i18n, row))
                        .collect_view()
                        .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_number_links_to_the_list_behind_it() {
        let hw = |which| images_href("hw", Provider::Huawei, which);
        assert!(hw(Images::NeverScanned).contains("scan_status=unscan"));
        assert!(hw(Images::Failed).contains("scan_status=failed"));
        assert!(hw(Images::Vulnerable).contains("has_vul=1"));
        assert!(hw(Images::All).contains("account=hw"));
        let tc = |which| images_href("tc", Provider::Tencent, which);
        assert!(tc(Images::NeverScanned).contains("scan_status=NOT_SCAN"));
        assert!(tc(Images::Failed).contains("scan_status=SCAN_ERR"));
        assert!(tc(Images::Vulnerable).contains("risky=1"));
        let running = running_href("hw", Provider::Huawei);
        assert!(
            running.starts_with("/tasks?") && running.contains("status=scanning"),
            "{running}"
        );
        assert_eq!(
            running_href("t c", Provider::Tencent),
            "/tasks/tcss?account=t%20c"
        );
    }
}
