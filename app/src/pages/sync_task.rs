//! `/tasks/sync?account=ID&task_id=ID`: the registries an HSS image sync
//! task read, each with its type, how its sync went and, when it failed,
//! why (`ListAssociateRegistries`). Opened from a sync task's row on the
//! Tasks page; a lazy route, so the task monitor's first load stays as
//! small as it was. Rendered on the server: it works without JavaScript.

use crate::accounts::Provider;
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::registries::registry_table::{registry_fail_text, registry_type_label};
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::accounts::page_account;
use crate::server_fns::hss::hss_sync_task_registries;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::hss::{
    AssociateRegistry, ListAssociateRegistriesRequest, ListAssociateRegistriesResponse,
    RegistrySyncStatus,
};

/// The most registries one answer holds (the service's `limit`).
const MAX_REGISTRIES: i64 = 200;

async fn load(
    asked: Option<String>,
    task_id: String,
) -> Result<(String, ListAssociateRegistriesResponse), AppError> {
    let account = page_account(asked, &[Provider::Huawei]).await?;
    let request = ListAssociateRegistriesRequest {
        limit: Some(MAX_REGISTRIES),
        ..ListAssociateRegistriesRequest::new(&task_id)
    };
    let answer = hss_sync_task_registries(account.id.clone(), request).await?;
    Ok((account.id, answer))
}

fn status_cell(locale: Locale, registry: &AssociateRegistry) -> impl IntoView + use<> {
    let raw = registry.sync_status.clone().unwrap_or_default();
    let (class, label) = match RegistrySyncStatus::parse(&raw) {
        Some(RegistrySyncStatus::Finished) => (
            "status ok",
            td_string!(locale, sync_status_finished).to_owned(),
        ),
        Some(RegistrySyncStatus::Running) => (
            "status warn",
            td_string!(locale, sync_status_running).to_owned(),
        ),
        Some(RegistrySyncStatus::Failed) => (
            "status bad",
            td_string!(locale, sync_status_failed).to_owned(),
        ),
        None => ("status", raw),
    };
    view! { <span class=class>{label}</span> }
}

fn reason_cell(locale: Locale, registry: &AssociateRegistry) -> impl IntoView + use<> {
    registry
        .failed_reason
        .clone()
        .filter(|r| !r.is_empty())
        .map(|code| {
            // A documented code in words; free text as the service wrote it.
            let words = if code.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                registry_fail_text(locale, &code)
            } else {
                code.clone()
            };
            view! { <span class="fail-reason" title=code>{words}</span> }
        })
}

fn registries_view(locale: Locale, answer: ListAssociateRegistriesResponse) -> AnyView {
    if answer.data_list.is_empty() {
        return view! { <p class="empty">{td!(locale, sync_registries_empty)}</p> }.into_any();
    }
    let failed = answer
        .data_list
        .iter()
        .filter(|r| r.sync_status.as_deref() == Some(RegistrySyncStatus::Failed.as_str()))
        .count();
    let total = answer.total_num.max(answer.data_list.len() as i64);
    let rows = answer
        .data_list
        .into_iter()
        .map(|r| {
            let kind = r
                .registry_type
                .as_deref()
                .map(|t| registry_type_label(t).to_owned())
                .unwrap_or_default();
            view! {
                <tr class="sync-registry" data-registry-id=r.registry_id.clone()>
                    <th scope="row">{r.registry_name.clone().or(r.registry_id.clone()).unwrap_or_default()}</th>
                    <td>{kind}</td>
                    <td>{status_cell(locale, &r)}</td>
                    <td>{reason_cell(locale, &r)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="count">{td_string!(locale, sync_registries_count, failed = failed, total = total).to_string()}</p>
        <div class="table-wrap">
            <table class="sync-registries">
                <thead>
                    <tr>
                        <th scope="col">{td!(locale, col_registry)}</th>
                        <th scope="col">{td!(locale, col_type)}</th>
                        <th scope="col">{td!(locale, col_status)}</th>
                        <th scope="col">{td!(locale, col_reason)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn SyncTaskPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = Memo::new(move |_| query.with(|q| q.get("account")));
    let task_id = Memo::new(move |_| query.with(|q| q.get("task_id").unwrap_or_default()));
    let registries = Resource::new(
        move || (asked.get(), task_id.get()),
        |(asked, task_id)| load(asked, task_id),
    );
    let back = move || {
        let mut href = "/tasks?type=image_sync".to_owned();
        if let Some(a) = asked.get() {
            href.push_str(&format!("&account={}", crate::format::url_encode(&a)));
        }
        href
    };
    view! {
        <div class="page-head">
            <h1>{t!(i18n, sync_registries_title)}</h1>
            <a class="link back" href=back>{t!(i18n, sync_registries_back)}</a>
        </div>
        <p class="task-ref">
            {move || t_string!(i18n, sync_registries_task, id = task_id.get()).to_string()}
        </p>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, sync_registries_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                match registries.await {
                    Ok((_, answer)) => registries_view(i18n.get_locale(), answer),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
    .into_any()
}
