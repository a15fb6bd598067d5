//! The task monitor: an HSS account's scan and sync tasks, live, with
//! filters and pages in the URL. (A TCSS account's is `tcss_tasks`.)

use crate::accounts::Provider;
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::layout::TCSS_TASKS;
use crate::components::tasks::failed_images::OpenFailures;
use crate::components::tasks::filters::{TaskFilterForm, TaskFilters};
use crate::components::tasks::freshness::{Freshness, Stamp};
use crate::components::tasks::stop::{StopControl, StopError};
use crate::components::tasks::task_table::{TaskExport, TaskTable};
use crate::i18n::*;
use crate::live::{use_live_tasks, use_now_ms};
use crate::server_fns::accounts::page_account;
use crate::server_fns::tasks::list_tasks;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use scanport_wire::hss::TaskListType;
use scanport_wire::live::TaskSnapshot;
use std::sync::Arc;

/// `/tasks[?account=ID]`: an HSS account's task monitor (the first HSS
/// account's when none is named); a TCSS account's is at `/tasks/tcss`.
#[component]
pub fn TasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = Memo::new(move |_| query.with(|q| q.get("account")));
    let shown = Resource::new(
        move || asked.get(),
        |asked| page_account(asked, crate::components::layout::page_providers("/tasks")),
    );
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, tasks_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                match shown.await {
                    // A TCSS account's monitor is a page of its own (its
                    // code loads only when one is watched).
                    Ok(account) if account.provider == Provider::Tencent => {
                        let launched = query.with_untracked(|q| q.get("launched").is_some());
                        let path = format!(
                            "{TCSS_TASKS}?account={}{}",
                            crate::format::url_encode(&account.id),
                            if launched { "&launched=1" } else { "" }
                        );
                        view! { <Redirect path /> }.into_any()
                    }
                    // An HSS account, or none to be found: the HSS monitor
                    // says what is wrong as it always has.
                    _ => view! { <HssTasks /> }.into_any(),
                }
            }))}
        </Transition>
    }
}

/// `/tasks?type=image_scan|image_sync[&account=ID][&filters…][&page=N]`
#[component]
fn HssTasks() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(TaskFilters::from_query));
    let list = Memo::new(move |_| filters.with(|f| f.list));
    let account = Memo::new(move |_| filters.with(|f| f.account.clone()));
    let request = Memo::new(move |_| filters.with(TaskFilters::to_request));
    let first = Resource::new(
        move || (account.get(), list.get(), request.get()),
        |(account, list, request)| list_tasks(account, list, Some(request)),
    );
    // Stop calls need the account id: the chosen one, else the first
    // Huawei account (the one the list shows). A resource, so hydration
    // reuses the server's answer.
    let shown_account = Resource::new(
        move || account.get(),
        |account| async move {
            match account {
                Some(a) => Some(a),
                None => {
                    crate::server_fns::accounts::default_account(crate::accounts::Provider::Huawei)
                        .await
                        .ok()
                }
            }
        },
    );
    let live = use_live_tasks(account, list);
    let user = expect_context::<crate::components::layout::CurrentUser>().0;
    provide_context(StopControl::new());
    let launched = Memo::new(move |_| query.with(|q| q.get("launched").is_some()));
    provide_context(OpenFailures(RwSignal::new(Vec::new())));
    let now = use_now_ms();
    let refresh_href = Signal::derive(move || filters.with(|f| f.href(f.page)));

    let tab = move |kind: TaskListType| {
        let href = move || {
            TaskFilters {
                list: kind,
                account: account.get(),
                ..TaskFilters::default()
            }
            .href(1)
        };
        let current = move || (list.get() == kind).then_some("page");
        let label = move || match kind {
            TaskListType::ImageScan => t_string!(i18n, tasks_tab_scan),
            TaskListType::ImageSync => t_string!(i18n, tasks_tab_sync),
        };
        view! {
            <a class="tab" href=href aria-current=current data-list=kind.as_str()>
                {label}
            </a>
        }
    };

    view! {
        <div class="page-head">
            <h1>{t!(i18n, nav_tasks)}</h1>
            <nav class="tabs" aria-label=move || t_string!(i18n, tasks_lists)>
                {tab(TaskListType::ImageScan)}
                {tab(TaskListType::ImageSync)}
            </nav>
        </div>
        <Show when=move || launched.get()>
            <p class="notice ok" role="status">
                {t!(i18n, tasks_launched)}
            </p>
        </Show>
        {move || {
            let f = filters.get();
            let ignored = (!f.not_understood.is_empty())
                .then(|| {
                    let items = f.not_understood.clone();
                    let text = move || {
                        let locale = i18n.get_locale();
                        let list = items
                            .iter()
                            .map(|i| i.text(locale))
                            .collect::<Vec<_>>()
                            .join(td_string!(locale, list_separator));
                        td_string!(locale, tasks_not_understood, list = list).to_string()
                    };
                    view! {
                        <p class="notice warn" role="status">
                            {text}
                        </p>
                    }
                });
            view! {
                <TaskFilterForm filters=f />
                {ignored}
            }
        }}
        <StopError />
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, tasks_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let operator = user.await.is_some_and(|me| me.role.allows(scanport_wire::portal::Role::Operator));
                let stop_account = if operator { shown_account.await } else { None };
                match first.await {
                    Ok(initial) => {
                        // Live data only once this part has hydrated: a
                        // stream event or clock tick arriving earlier would
                        // change the view while it is being hydrated.
                        let ready = RwSignal::new(false);
                        Effect::new(move |_| ready.set(true));
                        // Each stream snapshot answers this view by the same
                        // rules as the server; when it cannot (filters over
                        // a list longer than the snapshot), the server's
                        // answer stays and "Refresh" asks again. Readers
                        // share the snapshot (`Arc`) rather than copy it.
                        let initial = Arc::new(initial);
                        let snapshot = Signal::derive(move || {
                            live.snapshot
                                .with(|s| {
                                    let s = s.as_ref().filter(|s| ready.get() && s.list == initial.list)?;
                                    let answer = request.with(|r| r.answer_from(&s.answer))?;
                                    Some(Arc::new(TaskSnapshot {
                                        answer,
                                        list: s.list,
                                        fetched_at_ms: s.fetched_at_ms,
                                        next_refresh_ms: s.next_refresh_ms,
                                        error: s.error.clone(),
                                    }))
                                })
                                .unwrap_or_else(|| Arc::clone(&initial))
                        });
                        let connection = Signal::derive(move || {
                            if ready.get() { live.connection.get() } else { crate::live::Connection::Static }
                        });
                        let now = Signal::derive(move || now.get().filter(|_| ready.get()));
                        provide_context(TaskExport(filters.get_untracked()));
                        let stamp = Signal::derive(move || snapshot.with(|s| Stamp {
                            fetched_at_ms: s.fetched_at_ms,
                            next_refresh_ms: s.next_refresh_ms,
                            error: s.error.clone(),
                        }));
                        view! {
                            <Freshness stamp now connection refresh_href />
                            {listing(snapshot, filters, i18n, stop_account)}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
}

/// The summary, table and pager of the tasks in view, redrawn (in the
/// browser) whenever the snapshot, the filters or the language change.
fn listing(
    snapshot: Signal<Arc<TaskSnapshot>>,
    filters: Memo<TaskFilters>,
    i18n: I18n,
    account: Option<String>,
) -> impl IntoView {
    drawn_once(move || {
        listing_view(
            snapshot.get(),
            filters.get(),
            i18n.get_locale(),
            account.clone(),
        )
    })
}

fn listing_view(
    snapshot: Arc<TaskSnapshot>,
    filters: TaskFilters,
    // Read by the caller, so the rows can hold plain text.
    locale: Locale,
    account: Option<String>,
) -> impl IntoView {
    let total = snapshot.answer.total_num;
    let shown = snapshot.answer.data_list.len();
    let filtered = filters.is_filtered();
    view! {
        <Summary filters=filters.clone() total shown />
        <TaskTable snapshot locale filtered account />
        <Pager filters total />
    }
}

/// "Tasks 21–40 of 57" and the CSV download of what the filters match.
/// `total`: tasks the filters match; `shown`: how many are on this page.
#[component]
fn Summary(filters: TaskFilters, total: i64, shown: usize) -> impl IntoView {
    let i18n = use_i18n();
    let first = (filters.page - 1) * filters.per_page + 1;
    let last = first - 1 + i64::try_from(shown).unwrap_or(0);
    let empty = shown == 0;
    let count = move || {
        if empty {
            t_string!(i18n, tasks_count_total, total = total).to_string()
        } else {
            t_string!(i18n, tasks_count, first = first, last = last, total = total).to_string()
        }
    };
    let csv = format!("/api/v1/export/tasks.csv?{}", filters.query_string(1));
    view! {
        <div class="list-summary">
            <p class="count">{count}</p>
            {(total > 0).then(|| view! {
                <a class="download" href=csv download="">
                    {t!(i18n, tasks_download_csv)}
                </a>
            })}
        </div>
    }
}

/// Previous / next page links and where we are.
#[component]
fn Pager(filters: TaskFilters, total: i64) -> impl IntoView {
    let i18n = use_i18n();
    let pages = ((total + filters.per_page - 1) / filters.per_page).max(1);
    if pages <= 1 && filters.page <= 1 {
        return ().into_any();
    }
    let page = filters.page;
    let prev = (page > 1).then(|| filters.href((page - 1).min(pages)));
    let next = (page < pages).then(|| filters.href(page + 1));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, pager_label)>
            {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, pager_prev)}</a> })}
            <span class="page-of">
                {move || t_string!(i18n, pager_page_of, page = page, pages = pages).to_string()}
            </span>
            {next.map(|href| view! { <a href=href rel="next">{t!(i18n, pager_next)}</a> })}
        </nav>
    }
    .into_any()
}
