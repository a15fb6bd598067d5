//! `/images[?account=ID]`: an account's images with filters (in the URL),
//! selection across pages, and the scan launcher, for both clouds: SWR
//! images of an HSS account, registry images of a TCSS account.

use crate::accounts::Provider;
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::images::filters::FilterForm;
use crate::components::images::image_table::ImageTable;
use crate::components::images::launch::{LaunchBar, LaunchTexts, Launcher, Pending};
use crate::components::images::query::{ImageFilters, PAGE_SIZE};
use crate::components::images::registry_filters::RegistryFilterForm;
use crate::components::images::registry_query::{
    RegistryImageFilters, is_third_party, third_party,
};
use crate::components::images::registry_table::RegistryImageTable;
use crate::components::images::selection::Selection;
use crate::components::images::tcss_filters::TcssFilterForm;
use crate::components::images::tcss_query::TcssImageFilters;
use crate::components::images::tcss_table::TcssImageTable;
use crate::components::layout::CurrentUser;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::accounts::page_account;
use crate::server_fns::hss::{
    hss_batch_scan, hss_create_scan_task, hss_images, hss_registries, hss_registry_images,
};
use crate::server_fns::tcss::{tcss_images, tcss_scan};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::hss::{
    BatchScanRequest, CreateScanTaskRequest, ListImagesResponse, ListRegistriesRequest,
    ListRegistryImagesResponse, Registry,
};
use scanport_wire::portal::Role;
use scanport_wire::tcss::DescribeRegistryImagesResponse;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One page of an account's images, as its cloud lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Listing {
    Hss(ListImagesResponse),
    /// A third-party registry's images: the registries to choose from,
    /// the one shown (none connected: `None`), its images.
    HssRegistry(Vec<Registry>, Option<String>, ListRegistryImagesResponse),
    Tcss(DescribeRegistryImagesResponse),
}

/// The account's third-party registries and a page of the chosen one's
/// images.
async fn load_registry_images(
    account: String,
    filters: RegistryImageFilters,
) -> Result<Listing, AppError> {
    let request = ListRegistriesRequest {
        limit: Some(200),
        ..ListRegistriesRequest::default()
    };
    let registries = third_party(&hss_registries(account.clone(), request).await?.data_list);
    let Some(chosen) = filters.chosen(&registries).cloned() else {
        return Ok(Listing::HssRegistry(
            registries,
            None,
            ListRegistryImagesResponse::default(),
        ));
    };
    let images = hss_registry_images(account, filters.to_list_request(&chosen)).await?;
    Ok(Listing::HssRegistry(
        registries,
        Some(chosen.registry_name),
        images,
    ))
}

async fn load(
    asked: Option<String>,
    hss: ImageFilters,
    registry: Option<RegistryImageFilters>,
    tcss: TcssImageFilters,
) -> Result<(String, Listing), AppError> {
    let shown = page_account(asked, crate::components::layout::page_providers("/images")).await?;
    let (account, provider) = (shown.id, shown.provider);
    let listing = match provider {
        Provider::Huawei if registry.is_some() => {
            load_registry_images(account.clone(), registry.unwrap_or_default()).await?
        }
        Provider::Huawei => Listing::Hss(hss_images(account.clone(), hss.to_list_request()).await?),
        Provider::Tencent => {
            Listing::Tcss(tcss_images(account.clone(), tcss.to_list_request()).await?)
        }
    };
    Ok((account, listing))
}

/// "1–50 of 120 images" (above the table) and the pager links (below).
fn paging(
    page: i64,
    shown: usize,
    total: i64,
    href: &dyn Fn(i64) -> String,
) -> (impl IntoView + use<>, impl IntoView + use<>) {
    let i18n = use_i18n();
    let first = if total == 0 {
        0
    } else {
        (page - 1) * PAGE_SIZE + 1
    };
    let last = ((page - 1) * PAGE_SIZE + shown as i64).min(total);
    let prev = (page > 1).then(|| href(page - 1));
    let next = (last < total).then(|| href(page + 1));
    let count = view! {
        <p class="count">
            {move || {
                let n = |v| crate::format::number(i18n.get_locale(), v);
                t_string!(i18n, images_count, first = n(first), last = n(last), total = n(total)).to_string()
            }}
        </p>
    };
    let links = view! {
        <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
            {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, pager_prev)}</a> })}
            {next.map(|href| view! { <a href=href rel="next">{t!(i18n, pager_next)}</a> })}
        </nav>
    };
    (count, links)
}

/// The launcher for operators, once the page is interactive.
#[component]
fn Launch(
    matching: i64,
    texts: LaunchTexts,
    launch: Launcher,
    follow: String,
    /// No "scan all matching" (the filters cannot go with it).
    #[prop(optional)]
    selected_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let hydrated = expect_context::<crate::components::common::moment::Hydrated>().0;
    view! {
        // Launching needs the page to be interactive.
        <Show
            when=move || hydrated.get()
            fallback=move || view! { <p class="hint">{t!(i18n, images_needs_js)}</p> }
        >
            <LaunchBar matching texts launch=launch.clone() follow=follow.clone() selected_only />
        </Show>
    }
}

/// An HSS account's SWR images.
fn hss_view(
    account: String,
    answer: ListImagesResponse,
    filters: ImageFilters,
    operator: bool,
) -> AnyView {
    let i18n = use_i18n();
    let selection = expect_context::<Selection>();
    let total = answer.total_num;
    let launch = operator.then(|| {
        let (kind_filters, words_filters) = (filters.clone(), filters.clone());
        let texts = LaunchTexts {
            kind: Signal::derive(move || kind_filters.image_type_label(i18n).to_owned()),
            filters: Signal::derive(move || words_filters.describe(i18n)),
        };
        let (for_launch, to) = (filters.clone(), account.clone());
        let launch: Launcher = Arc::new(move |what, key| {
            let request = match what {
                Pending::Selected => {
                    BatchScanRequest::images(for_launch.image_type, selection.swr_images())
                }
                Pending::AllMatching => for_launch.to_operate_all(),
            };
            let account = to.clone();
            Box::pin(async move { hss_batch_scan(account, request, Some(key)).await.map(drop) })
        });
        let follow = format!("/tasks?type=image_scan&account={account}&launched=1");
        view! { <Launch matching=total texts launch follow /> }
    });
    let (count, links) = paging(filters.page, answer.data_list.len(), total, &|page| {
        filters.href_for_page(Some(&account), page)
    });
    view! {
        <FilterForm filters account=Some(account.clone()) />
        {launch}
        {count}
        <ImageTable images=answer.data_list selectable=operator account=account.clone() />
        {links}
    }
    .into_any()
}

/// An HSS account's third-party registry images: chosen ones are scanned
/// through a manual scan task (the list's filters have no scan-all
/// counterpart, so there is no "scan all matching").
fn registry_view(
    account: String,
    registries: Vec<Registry>,
    chosen: Option<String>,
    answer: ListRegistryImagesResponse,
    filters: RegistryImageFilters,
    operator: bool,
) -> AnyView {
    let i18n = use_i18n();
    let selection = expect_context::<Selection>();
    let Some(chosen) = chosen else {
        return view! {
            <RegistryFilterForm filters account registries chosen=String::new() />
            <p class="empty">{t!(i18n, images_no_third_party)}</p>
        }
        .into_any();
    };
    let total = answer.total_num;
    let launch = operator.then(|| {
        let kind_name = chosen.clone();
        let texts = LaunchTexts {
            kind: Signal::derive(move || {
                kind_name.clone()
            }),
            filters: Signal::derive(String::new),
        };
        let to = account.clone();
        let launch: Launcher = Arc::new(move |_, key| {
            let request = CreateScanTaskRequest {
                image_info: selection.registry_images(),
                ..CreateScanTaskRequest::default()
            };
            let account = to.clone();
            Box::pin(async move {
                hss_create_scan_task(account, request, Some(key))
                    .await
                    .map(drop)
            })
        });
        let follow = format!(
            "/tasks?type=image_scan&account={}&launched=1",
            crate::format::url_encode(&account)
        );
        let hydrated = expect_context::<crate::components::common::moment::Hydrated>().0;
        view! {
            <Show
                when=move || hydrated.get()
                fallback=move || view! { <p class="hint">{t!(i18n, images_needs_js)}</p> }
            >
                <LaunchBar matching=total texts launch=launch.clone() follow=follow.clone() selected_only=true />
            </Show>
        }
    });
    let (count, links) = paging(filters.page, answer.data_list.len(), total, &|page| {
        filters.href_for_page(&account, &chosen, page)
    });
    view! {
        <RegistryFilterForm filters=filters.clone() account=account.clone() registries chosen=chosen.clone() />
        {launch}
        {count}
        <RegistryImageTable images=answer.data_list account=account.clone() selectable=operator />
        {links}
    }
    .into_any()
}

/// A TCSS account's registry images.
fn tcss_view(
    account: String,
    answer: DescribeRegistryImagesResponse,
    filters: TcssImageFilters,
    operator: bool,
) -> AnyView {
    let i18n = use_i18n();
    let selection = expect_context::<Selection>();
    let total = answer.total_count;
    let launch = operator.then(|| {
        let words_filters = filters.clone();
        let texts = LaunchTexts {
            kind: Signal::derive(move || t_string!(i18n, image_type_registry_short).to_owned()),
            filters: Signal::derive(move || words_filters.describe(i18n)),
        };
        let (for_launch, to) = (filters.clone(), account.clone());
        let launch: Launcher = Arc::new(move |what, key| {
            let request = match what {
                Pending::Selected => TcssImageFilters::scan_chosen(selection.tcss_ids()),
                Pending::AllMatching => for_launch.to_scan_all(),
            };
            let account = to.clone();
            Box::pin(async move { tcss_scan(account, request, Some(key)).await.map(drop) })
        });
        let follow = format!(
            "{}?account={}&launched=1",
            crate::components::layout::TCSS_TASKS,
            crate::format::url_encode(&account)
        );
        // The one-key scan of everything cannot narrow by name, tag, status
        // or risk: with those set it would scan more than the list shows.
        let selected_only = filters.has_list_only_filters();
        view! {
            <Launch matching=total texts launch follow selected_only />
            {selected_only.then(|| view! { <p class="hint scan-all-off">{t!(i18n, images_tcss_scan_all_off)}</p> })}
        }
    });
    let (count, links) = paging(filters.page, answer.list.len(), total, &|page| {
        filters.href_for_page(&account, page)
    });
    view! {
        <TcssFilterForm filters account=account.clone() />
        {launch}
        {count}
        <TcssImageTable images=answer.list selectable=operator account=account.clone() />
        {links}
    }
    .into_any()
}

#[component]
pub fn ImagesPage() -> impl IntoView {
    let query = use_query_map();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let hss_filters = Memo::new(move |_| query.with(ImageFilters::from_query));
    let tcss_filters = Memo::new(move |_| query.with(TcssImageFilters::from_query));
    let registry_filters = Memo::new(move |_| {
        query.with(|q| is_third_party(q).then(|| RegistryImageFilters::from_query(q)))
    });
    let selection = Selection::new();
    provide_context(selection);
    // Another account or image type starts a new selection: one batch,
    // one account, one type.
    Effect::new(move |previous: Option<(Option<String>, _, _)>| {
        let now = (
            account.get(),
            hss_filters.with(|f| f.image_type),
            registry_filters.with(|f| f.as_ref().map(|f| f.registry.clone())),
        );
        if previous.is_some_and(|p| p != now) {
            selection.clear();
        }
        now
    });
    let i18n = use_i18n();
    let user = expect_context::<CurrentUser>().0;
    let images = Resource::new(
        move || {
            (
                account.get(),
                hss_filters.get(),
                registry_filters.get(),
                tcss_filters.get(),
            )
        },
        |(account, hss, registry, tcss)| load(account, hss, registry, tcss),
    );
    view! {
        <div class="page-head">
            <h1>{t!(i18n, images_title)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, images_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let operator = user.await.is_some_and(|me| me.role.allows(Role::Operator));
                match images.await {
                    Ok((account, Listing::Hss(answer))) => {
                        hss_view(account, answer, hss_filters.get_untracked(), operator)
                    }
                    Ok((account, Listing::HssRegistry(registries, chosen, answer))) => {
                        let filters = registry_filters.get_untracked().unwrap_or_default();
                        registry_view(account, registries, chosen, answer, filters, operator)
                    }
                    Ok((account, Listing::Tcss(answer))) => {
                        tcss_view(account, answer, tcss_filters.get_untracked(), operator)
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
    .into_any()
}
