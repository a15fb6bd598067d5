//! `/image?account=…&cloud=hss|tcss&…`: one image's findings, linked from
//! every row of the Images page on both clouds. The link carries what the
//! image list showed (name, tag, last scan time), so the page costs no
//! image-list call, and its findings come from the findings cache: a
//! second look costs the cloud nothing until the image is scanned again.

use crate::accounts::Provider;
use crate::components::common::drawn_once::drawn_once;
use crate::components::common::moment::Moment;
use crate::components::error_notice::ErrorNotice;
use crate::components::findings::finding_list::FindingList;
use crate::components::findings::query::ImagePage as PageQuery;
use crate::components::findings::rescan::{Rescan, can_rescan};
use crate::components::findings::vulnerabilities::VulnerabilityList;
use crate::components::layout::CurrentUser;
use crate::error::AppError;
use crate::format::url_encode;
use crate::i18n::*;
use crate::server_fns::accounts::page_account;
use crate::server_fns::findings::{ui_image_findings, ui_image_vulnerabilities};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::findings::{FindingKind, ImageFindingsPage, ImageRef, ImageVulnerabilityPage};
use scanport_wire::portal::Role;

/// What a tab shows.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
enum Found {
    Vulnerabilities(ImageVulnerabilityPage),
    Other(ImageFindingsPage),
}

async fn load(page: PageQuery) -> Result<Found, AppError> {
    let provider = match page.image {
        ImageRef::Hss { .. } => Provider::Huawei,
        ImageRef::Tcss { .. } => Provider::Tencent,
    };
    let account = page_account(Some(page.account.clone()), &[provider]).await?;
    let scanned = Some(page.facts.scanned.clone()).filter(|s| !s.is_empty());
    match page.tab {
        None => ui_image_vulnerabilities(
            account.id,
            page.image.clone(),
            scanned,
            page.filters.clone(),
        )
        .await
        .map(Found::Vulnerabilities),
        Some(kind) => ui_image_findings(
            account.id,
            page.image.clone(),
            kind,
            scanned,
            page.finding_filter(),
        )
        .await
        .map(Found::Other),
    }
}

/// The tabs: vulnerabilities, then the kinds of finding the image's
/// cloud lists. Plain links, so they work without JavaScript.
fn tabs(i18n: I18n, page: &PageQuery) -> impl IntoView + use<> {
    let tab = |kind: Option<FindingKind>, label: &'static str| {
        let current = page.tab == kind;
        view! {
            <a href=page.tab_href(kind) class="tab" aria-current=current.then_some("page")>{label}</a>
        }
    };
    let others = FindingKind::ALL
        .into_iter()
        .filter(|k| k.on(&page.image))
        .map(|kind| {
            let label = match kind {
                FindingKind::Malware => t_string!(i18n, tab_malware),
                FindingKind::Sensitive => t_string!(i18n, tab_sensitive),
                FindingKind::Settings => t_string!(i18n, tab_settings),
            };
            tab(Some(kind), label)
        })
        .collect_view();
    view! {
        <nav class="tabs image-tabs" aria-label=move || t_string!(i18n, tabs_label)>
            {tab(None, t_string!(i18n, tab_vulnerabilities))}
            {others}
        </nav>
    }
}

/// When the image was last scanned: HSS says it in ms, TCSS as text.
fn scanned_view(i18n: I18n, scanned: &str) -> impl IntoView + use<> {
    let when = match scanned.parse::<i64>() {
        Ok(ms) => view! { <Moment ms /> }.into_any(),
        Err(_) if scanned.is_empty() => view! { <span>{t!(i18n, images_never)}</span> }.into_any(),
        Err(_) => view! { <span>{scanned.to_owned()}</span> }.into_any(),
    };
    view! { <span class="fact">{t!(i18n, image_scanned)}" "{when}</span> }
}

#[component]
pub fn ImagePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(PageQuery::from_query));
    let user = expect_context::<CurrentUser>().0;
    let data = Resource::new(
        move || page.get(),
        |page| async move {
            match page {
                Some(page) => load(page).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, vul_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let answer = data.await;
                let operator = user.await.is_some_and(|me| me.role.allows(Role::Operator));
                let Some(page) = page.get_untracked() else {
                    return view! {
                        <div class="page-head"><h1>{t!(i18n, image_page_title)}</h1></div>
                        <p class="notice">{t!(i18n, image_unknown)}" "<a href="/images">{t!(i18n, nav_images)}</a></p>
                    }
                    .into_any();
                };
                let back = format!("/images?account={}", url_encode(&page.account));
                let facts = page.facts.clone();
                let title = if facts.tag.is_empty() { facts.name.clone() } else { format!("{}:{}", facts.name, facts.tag) };
                let head = view! {
                    <nav class="crumbs" aria-label=move || t_string!(i18n, crumbs_label)>
                        <a href=back>{t!(i18n, nav_images)}</a>
                    </nav>
                    <div class="page-head">
                        <h1 class="image-title">{title}</h1>
                        {(operator && can_rescan(&page)).then(|| view! { <Rescan page=page.clone() /> })}
                    </div>
                    <p class="image-facts">
                        {(!facts.namespace.is_empty()).then(|| view! { <span class="fact">{t!(i18n, col_namespace)}": "{facts.namespace.clone()}</span> })}
                        {(!facts.registry.is_empty()).then(|| view! { <span class="fact">{t!(i18n, col_registry)}": "{facts.registry.clone()}</span> })}
                        <span class="fact account-id">{page.account.clone()}</span>
                        {scanned_view(i18n, &facts.scanned)}
                    </p>
                };
                let tabs = tabs(i18n, &page);
                match answer {
                    Ok(Some(found)) => {
                        let (fetched, list) = match found {
                            Found::Vulnerabilities(list) => (
                                list.fetched_at_ms,
                                view! { <VulnerabilityList page found=list /> }.into_any(),
                            ),
                            Found::Other(list) => (
                                list.fetched_at_ms,
                                view! { <FindingList page found=list /> }.into_any(),
                            ),
                        };
                        view! {
                            {head}
                            {tabs}
                            <p class="freshness">{t!(i18n, vul_fetched)}" "<Moment ms=fetched /></p>
                            {list}
                        }
                        .into_any()
                    }
                    Ok(None) => view! { {head} }.into_any(),
                    Err(error) => view! { {head} {tabs} <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
}
