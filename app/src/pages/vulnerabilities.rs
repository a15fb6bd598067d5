//! `/vulnerabilities?account=…&severity=…&q=…&page=…[&vul=…&cve=…&ipage=…]`:
//! an account's vulnerabilities across its images, on both clouds, most
//! widespread first; search a CVE, open the images it affects, and go on to
//! any of those images' pages. Plain links and a GET form, so it works the
//! same without JavaScript.

use crate::accounts::AccountInfo;
use crate::components::common::drawn_once::drawn_once;
use crate::components::common::moment::Moment;
use crate::components::error_notice::ErrorNotice;
use crate::components::findings::across_query::{
    AcrossQuery as PageQuery, affected_images_csv_href, vulnerabilities_csv_href,
};
use crate::components::findings::list::severity_label;
use crate::components::findings::query::{Facts, ImagePage};
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::accounts::page_account;
use crate::server_fns::findings::{ui_vulnerabilities, ui_vulnerability_images};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::findings::{Severity, VulnerabilityFilter};
use scanport_wire::vulnerabilities::{
    AccountVulnerability, AccountVulnerabilityFilter, AccountVulnerabilityPage, AffectedImage,
    AffectedImagePage, AffectedImagesQuery, PAGE_SIZE, PackageKind,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Loaded {
    account: AccountInfo,
    list: AccountVulnerabilityPage,
    images: Option<Result<AffectedImagePage, AppError>>,
}

async fn load(q: PageQuery) -> Result<Loaded, AppError> {
    let providers = crate::components::layout::page_providers("/vulnerabilities");
    let account = page_account(q.account.clone(), providers).await?;
    let list = ui_vulnerabilities(account.id.clone(), q.filter.clone()).await?;
    let images = match &q.open {
        Some((key, _)) => Some(
            ui_vulnerability_images(
                account.id.clone(),
                AffectedImagesQuery {
                    key: key.clone(),
                    page: q.images_page,
                },
            )
            .await,
        ),
        None => None,
    };
    Ok(Loaded {
        account,
        list,
        images,
    })
}

/// The first and last row numbers of page `page` showing `shown` rows.
fn range(page: usize, shown: usize) -> (i64, i64) {
    let before = i64::try_from(page.max(1) - 1).unwrap_or(0) * PAGE_SIZE;
    let shown = i64::try_from(shown).unwrap_or(0);
    if shown == 0 {
        (0, 0)
    } else {
        (before + 1, before + shown)
    }
}

fn pager(
    i18n: I18n,
    page: usize,
    last: i64,
    total: i64,
    href: impl Fn(usize) -> String,
) -> impl IntoView {
    let prev = (page > 1).then(|| href(page - 1));
    let next = (last < total).then(|| href(page + 1));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
            {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, pager_prev)}</a> })}
            {next.map(|href| view! { <a href=href rel="next">{t!(i18n, pager_next)}</a> })}
        </nav>
    }
}

/// The operating system's packages or applications': tabs, as each cloud
/// lists them apart.
fn kind_tabs(
    i18n: I18n,
    account: &str,
    filter: &AccountVulnerabilityFilter,
) -> impl IntoView + use<> {
    let tabs = PackageKind::ALL
        .into_iter()
        .map(|kind| {
            let only_kind = AccountVulnerabilityFilter {
                kind,
                ..Default::default()
            };
            let href = PageQuery::href(account, &only_kind, None, 1);
            let label = match kind {
                PackageKind::System => t_string!(i18n, vuls_kind_system),
                PackageKind::Application => t_string!(i18n, vuls_kind_application),
            };
            let current = (filter.kind == kind).then_some("page");
            view! { <a href=href class="tab" aria-current=current>{label}</a> }
        })
        .collect_view();
    view! {
        <nav class="tabs vul-kinds" aria-label=move || t_string!(i18n, vuls_kind_label)>{tabs}</nav>
    }
}

fn filter_form(
    i18n: I18n,
    account: &str,
    filter: &AccountVulnerabilityFilter,
) -> impl IntoView + use<> {
    let chosen = filter.severity;
    let options = Severity::ALL
        .into_iter()
        .filter(|s| *s != Severity::Unknown)
        .map(|s| view! { <option value=s.as_str() selected=chosen == Some(s)>{severity_label(i18n, s)}</option> })
        .collect_view();
    let only_kind = AccountVulnerabilityFilter {
        kind: filter.kind,
        ..Default::default()
    };
    let clear = PageQuery::href(account, &only_kind, None, 1);
    view! {
        <form method="get" action="/vulnerabilities" class="filters vul-filters">
            <input type="hidden" name="account" value=account.to_owned() />
            {(filter.kind != PackageKind::default()).then(|| view! { <input type="hidden" name="kind" value=filter.kind.as_str() /> })}
            <div class="field">
                <label for="vs-q">{t!(i18n, vuls_search)}</label>
                <input id="vs-q" name="q" type="search" value=filter.search.clone() placeholder="CVE-2024-3094" />
            </div>
            <div class="field">
                <label for="vs-severity">{t!(i18n, vul_col_severity)}</label>
                <select id="vs-severity" name="severity">
                    <option value="" selected=chosen.is_none()>{t!(i18n, filters_any)}</option>
                    {options}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, filters_apply)}</button>
                <a href=clear class="link">{t!(i18n, filters_clear)}</a>
            </div>
        </form>
    }
}

fn vulnerability_row(
    i18n: I18n,
    account: &str,
    filter: &AccountVulnerabilityFilter,
    v: &AccountVulnerability,
    open: bool,
) -> impl IntoView + use<> {
    let id = v.id.clone();
    let id_view = match v.link.clone() {
        Some(link) => {
            view! { <a href=link rel="noopener noreferrer" target="_blank">{id}</a> }.into_any()
        }
        None => view! { <span>{id}</span> }.into_any(),
    };
    let images_href = PageQuery::href(account, filter, Some((&v.key, &v.id)), 1);
    let images = v.images;
    let severity = v.severity;
    let label = format!("{} {}", t_string!(i18n, vuls_images_of), v.id);
    view! {
        <tr data-severity=severity.as_str() aria-current=open.then_some("true")>
            <td class="vul-id">
                {id_view}
                {(!v.title.is_empty()).then(|| view! { <span class="vul-title">{v.title.clone()}</span> })}
            </td>
            <td>
                <span class=format!("sev {}", severity.as_str()) title=v.level.clone()>
                    {severity_label(i18n, severity)}
                </span>
            </td>
            <td class="num cvss">{v.cvss.map(|c| format!("{c:.1}")).unwrap_or_default()}</td>
            <td class="num">
                <a href=images_href class="affected-link" aria-label=label>
                    {move || crate::format::number(i18n.get_locale(), images)}
                </a>
            </td>
        </tr>
    }
}

/// The image page of an affected image, when the cloud named it enough.
fn image_href(account: &str, image: &AffectedImage) -> Option<String> {
    let page = ImagePage {
        account: account.to_owned(),
        image: image.image.clone()?,
        facts: Facts {
            namespace: image.namespace.clone(),
            name: image.name.clone(),
            tag: image.tag.clone(),
            ..Facts::default()
        },
        tab: None,
        filters: VulnerabilityFilter::default(),
    };
    Some(page.href(&page.filters))
}

fn affected_images(
    i18n: I18n,
    q: &PageQuery,
    account: &str,
    found: Result<AffectedImagePage, AppError>,
) -> impl IntoView + use<> {
    let (key, cve) = q.open.clone().unwrap_or_default();
    let close = PageQuery::href(account, &q.filter, None, 1);
    let csv = affected_images_csv_href(account, &key, &cve);
    let heading = format!(
        "{} {}",
        t_string!(i18n, vuls_images_of),
        if cve.is_empty() { &key } else { &cve }
    );
    let body = match found {
        Err(error) => view! { <ErrorNotice error /> }.into_any(),
        Ok(found) if found.items.is_empty() => {
            view! { <p class="empty">{t!(i18n, vuls_images_none)}</p> }.into_any()
        }
        Ok(found) => {
            let (first, last) = range(q.images_page, found.counted);
            let by_repository = found.by_repository;
            let total = found.total;
            let rows = found
                .items
                .iter()
                .map(|image| {
                    let name = image.name.clone();
                    let name_view = match image_href(account, image) {
                        Some(href) => view! { <a href=href class="image-link">{name}</a> }.into_any(),
                        None => view! { <span>{name}</span> }.into_any(),
                    };
                    view! {
                        <tr>
                            <td class="image-name">
                                {name_view}
                                {(!image.registry.is_empty()).then(|| view! { <span class="vul-title">{image.registry.clone()}</span> })}
                            </td>
                            <td>{image.namespace.clone()}</td>
                            <td><code>{image.tag.clone()}</code></td>
                            <td class="package">{image.package.clone()}</td>
                            <td><code>{image.version.clone()}</code></td>
                            <td class="fixed">{image.fixed_version.clone().map(|f| view! { <code>{f}</code> })}</td>
                        </tr>
                    }
                })
                .collect_view();
            let page_href = {
                let (account, filter, key, cve) = (
                    account.to_owned(),
                    q.filter.clone(),
                    key.clone(),
                    cve.clone(),
                );
                move |p: usize| PageQuery::href(&account, &filter, Some((&key, &cve)), p)
            };
            view! {
                <p class="count">
                    {move || {
                        let n = |v: i64| crate::format::number(i18n.get_locale(), v);
                        let (first, last, total) = (n(first), n(last), n(total));
                        if by_repository {
                            t_string!(i18n, vuls_repositories_count, first = first, last = last, total = total).to_string()
                        } else {
                            t_string!(i18n, vuls_images_count, first = first, last = last, total = total).to_string()
                        }
                    }}
                </p>
                <div class="table-wrap">
                    <table class="affected-images">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, col_image)}</th>
                                <th scope="col">{t!(i18n, col_namespace)}</th>
                                <th scope="col">{t!(i18n, col_tag)}</th>
                                <th scope="col">{t!(i18n, vul_col_package)}</th>
                                <th scope="col">{t!(i18n, vul_col_version)}</th>
                                <th scope="col">{t!(i18n, vul_col_fixed)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {pager(i18n, q.images_page, last, total, page_href)}
            }
            .into_any()
        }
    };
    view! {
        <section class="affected" aria-labelledby="affected-heading">
            <div class="list-head">
                <h2 id="affected-heading">{heading}</h2>
                <span class="head-links">
                    <a class="download" href=csv download="">{t!(i18n, vul_download_csv)}</a>
                    <a href=close class="link">{t!(i18n, vuls_images_close)}</a>
                </span>
            </div>
            {body}
        </section>
    }
}

fn vulnerability_list(
    i18n: I18n,
    q: &PageQuery,
    account: &str,
    list: &AccountVulnerabilityPage,
) -> impl IntoView + use<> {
    if list.items.is_empty() {
        let text = if q.filter == AccountVulnerabilityFilter::default() {
            t_string!(i18n, vuls_none)
        } else {
            t_string!(i18n, vul_none_match)
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    let open_key = q.open.as_ref().map(|(k, _)| k.clone());
    let rows = list
        .items
        .iter()
        .map(|v| {
            vulnerability_row(
                i18n,
                account,
                &q.filter,
                v,
                open_key.as_deref() == Some(v.key.as_str()),
            )
        })
        .collect_view();
    let (first, last) = range(q.filter.page, list.items.len());
    let total = list.total;
    let page_href = {
        let (account, filter) = (account.to_owned(), q.filter.clone());
        move |p: usize| {
            PageQuery::href(
                &account,
                &AccountVulnerabilityFilter {
                    page: p,
                    ..filter.clone()
                },
                None,
                1,
            )
        }
    };
    let csv = vulnerabilities_csv_href(account, &q.filter);
    view! {
        <div class="list-head">
            <p class="count">
                {move || {
                    let n = |v: i64| crate::format::number(i18n.get_locale(), v);
                    t_string!(i18n, vul_count, first = n(first), last = n(last), total = n(total)).to_string()
                }}
            </p>
            <a class="download" href=csv download="">{t!(i18n, vul_download_csv)}</a>
        </div>
        <div class="table-wrap">
            <table class="vulnerabilities account-vulnerabilities">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, vul_col_id)}</th>
                        <th scope="col">{t!(i18n, vul_col_severity)}</th>
                        <th scope="col" class="cvss">"CVSS"</th>
                        <th scope="col">{t!(i18n, col_images)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {pager(i18n, q.filter.page, last, total, page_href)}
    }
    .into_any()
}

#[component]
pub fn VulnerabilitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(PageQuery::from_query));
    let data = Resource::new(move || q.get(), load);
    view! {
        <div class="page-head">
            <h1>{t!(i18n, vuls_title)}</h1>
        </div>
        <p class="intro">{t!(i18n, vuls_intro)}</p>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, vuls_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let q = q.get_untracked();
                match data.await {
                    Ok(Loaded { account, list, images }) => {
                        let id = account.id.clone();
                        view! {
                            {kind_tabs(i18n, &id, &q.filter)}
                            {filter_form(i18n, &id, &q.filter)}
                            <p class="freshness">
                                <span class="account-id">{id.clone()}</span>" · "
                                {t!(i18n, vul_fetched)}" "<Moment ms=list.fetched_at_ms />
                            </p>
                            {images.map(|found| affected_images(i18n, &q, &id, found))}
                            {vulnerability_list(i18n, &q, &id, &list)}
                        }
                        .into_any()
                    }
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
    fn the_count_says_which_rows_show() {
        assert_eq!(range(1, 50), (1, 50));
        assert_eq!(range(3, 20), (101, 120));
        assert_eq!(range(1, 0), (0, 0));
    }
}
