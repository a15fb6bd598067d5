//! The task monitor: HSS scan and sync tasks.

use crate::components::error_notice::ErrorNotice;
use crate::components::tasks::task_table::TaskTable;
use crate::server_fns::tasks::list_tasks;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::hss::TaskListType;

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
    let tasks = Resource::new(
        move || (account.get(), list.get()),
        |(account, list)| list_tasks(account, list),
    );

    let tab = move |kind: TaskListType, label: &'static str| {
        let href = move || match account.get() {
            Some(id) => format!("/tasks?type={}&account={id}", kind.as_str()),
            None => format!("/tasks?type={}", kind.as_str()),
        };
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
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading tasks…"</p> }>
            {move || Suspend::new(async move {
                match tasks.await {
                    Ok(answer) => view! { <TaskTable list=list.get_untracked() answer /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
