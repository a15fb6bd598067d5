//! `/images`: the SWR image list with filters (in the URL), selection
//! across pages, and the scan launcher.

use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::images::filters::FilterForm;
use crate::components::images::image_table::ImageTable;
use crate::components::images::launch::LaunchBar;
use crate::components::images::query::{ImageFilters, PAGE_SIZE};
use crate::components::images::selection::Selection;
use crate::components::layout::CurrentUser;
use crate::i18n::*;
use crate::server_fns::hss::hss_images;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::hss::ImageType;
use scanport_wire::portal::Role;

#[component]
pub fn ImagesPage() -> impl IntoView {
    let query = use_query_map();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let filters = Memo::new(move |_| query.with(ImageFilters::from_query));
    let selection = Selection::new();
    provide_context(selection);
    // A new image type starts a new selection: one batch, one type.
    Effect::new(move |previous: Option<ImageType>| {
        let kind = filters.with(|f| f.image_type);
        if previous.is_some_and(|p| p != kind) {
            selection.clear();
        }
        kind
    });
    let i18n = use_i18n();
    let user = expect_context::<CurrentUser>().0;
    let hydrated = expect_context::<crate::components::common::moment::Hydrated>().0;
    let images = Resource::new(
        move || (account.get(), filters.get()),
        |(account, filters)| async move {
            let account = match account {
                Some(a) => a,
                None => {
                    crate::server_fns::accounts::default_account(crate::accounts::Provider::Huawei)
                        .await?
                }
            };
            let answer = hss_images(account.clone(), filters.to_list_request()).await?;
            Ok::<_, crate::error::AppError>((account, answer))
        },
    );
    view! {
        <div class="page-head">
            <h1>{t!(i18n, images_title)}</h1>
        </div>
        {move || view! { <FilterForm filters=filters.get() account=account.get() /> }}
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, images_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let operator = user.await.is_some_and(|me| me.role.allows(Role::Operator));
                match images.await {
                    Ok((account_id, answer)) => {
                        let f = filters.get_untracked();
                        let total = answer.total_num;
                        let first = if total == 0 { 0 } else { (f.page - 1) * PAGE_SIZE + 1 };
                        let last = ((f.page - 1) * PAGE_SIZE + answer.data_list.len() as i64).min(total);
                        let prev = (f.page > 1).then(|| f.href_for_page(account.get_untracked().as_deref(), f.page - 1));
                        let next = (last < total).then(|| f.href_for_page(account.get_untracked().as_deref(), f.page + 1));
                        view! {
                            {operator.then(|| {
                                let f = f.clone();
                                view! {
                                    // Launching needs the page to be interactive.
                                    <Show
                                        when=move || hydrated.get()
                                        fallback=move || view! { <p class="hint">{t!(i18n, images_needs_js)}</p> }
                                    >
                                        <LaunchBar account=account_id.clone() filters=f.clone() matching=total />
                                    </Show>
                                }
                            })}
                            <p class="count">
                                {move || {
                                    let n = |v| crate::format::number(i18n.get_locale(), v);
                                    t_string!(i18n, images_count, first = n(first), last = n(last), total = n(total)).to_string()
                                }}
                            </p>
                            <ImageTable images=answer.data_list selectable=operator />
                            <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
                                {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, pager_prev)}</a> })}
                                {next.map(|href| view! { <a href=href rel="next">{t!(i18n, pager_next)}</a> })}
                            </nav>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
    .into_any()
}
