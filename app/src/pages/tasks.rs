//! The task monitor: HSS scan and sync tasks, live.

use crate::components::error_notice::ErrorNotice;
use crate::components::tasks::failed_images::OpenFailures;
use crate::components::tasks::freshness::Freshness;
use crate::components::tasks::stop::{StopControl, StopError};
use crate::components::tasks::task_table::TaskTable;
use crate::live::{use_live_tasks, use_now_ms};
use crate::server_fns::tasks::list_tasks;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::hss::TaskListType;

fn tasks_href(list: TaskListType, account: Option<&str>) -> String {
    match account {
        Some(id) => format!("/tasks?type={}&account={id}", list.as_str()),
        None => format!("/tasks?type={}", list.as_str()),
    }
}

/// `/tasks?type=image_scan|image_sync[&account=ID]`
#[component]
pub fn TasksPage() -> impl IntoView {
    let query = use_query_map();
    let list = Memo::new(move |_| {
        query.with(|q| {
            q.get("type")
                .and_then(|t| TaskListType::parse(&t))
                .unwrap_or_default()
        })
    });
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let first = Resource::new(
        move || (account.get(), list.get()),
        |(account, list)| list_tasks(account, list),
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
    let refresh_href = Signal::derive(move || tasks_href(list.get(), account.get().as_deref()));

    let tab = move |kind: TaskListType, label: &'static str| {
        let href = move || tasks_href(kind, account.get().as_deref());
        let current = move || (list.get() == kind).then_some("page");
        view! {
            <a class="tab" href=href aria-current=current data-list=kind.as_str()>
                {label}
            </a>
        }
    };

    view! {
        <div class="page-head">
            <h1>"Tasks"</h1>
            <nav class="tabs" aria-label="Task list">
                {tab(TaskListType::ImageScan, "Scan tasks")}
                {tab(TaskListType::ImageSync, "Sync tasks")}
            </nav>
        </div>
        <Show when=move || launched.get()>
            <p class="notice ok" role="status">
                "Scan launched. It appears here as soon as the service lists it (the list refreshes by itself)."
            </p>
        </Show>
        <StopError />
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading tasks…"</p> }>
            {move || Suspend::new(async move {
                let operator = user.await.is_some_and(|me| me.role.allows(scanport_wire::portal::Role::Operator));
                let stop_account = if operator { shown_account.await } else { None };
                match first.await {
                    Ok(initial) => {
                        // The stream's newest snapshot once it arrives; the
                        // server-rendered one until then.
                        // Live data only once this part has hydrated: a
                        // stream event or clock tick arriving earlier would
                        // change the view while it is being hydrated.
                        let ready = RwSignal::new(false);
                        Effect::new(move |_| ready.set(true));
                        let snapshot = Signal::derive(move || {
                            live.snapshot
                                .get()
                                .filter(|s| ready.get() && s.list == initial.list)
                                .unwrap_or_else(|| initial.clone())
                        });
                        let connection = Signal::derive(move || {
                            if ready.get() { live.connection.get() } else { crate::live::Connection::Static }
                        });
                        let now = Signal::derive(move || now.get().filter(|_| ready.get()));
                        view! {
                            <Freshness snapshot now connection refresh_href />
                            {move || {
                                let s = snapshot.get();
                                view! { <TaskTable list=s.list answer=s.answer account=stop_account.clone() /> }
                            }}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
