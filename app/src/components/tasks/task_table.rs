use super::failed_images::FailedImages;
use super::filters::TaskFilters;
use super::progress_bar::progress_bar;
use super::stop::StopButton;
use crate::components::common::moment::Moment;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::{ImageScanTaskInfo, TaskListType, TaskType};
use scanport_wire::live::TaskSnapshot;
use std::sync::Arc;

fn task_type_label(locale: Locale, value: Option<&str>) -> String {
    match value {
        Some(text) => TaskType::parse(text).map_or_else(
            || text.to_owned(),
            |t| super::filters::task_type_label(locale, t).to_owned(),
        ),
        None => "—".to_owned(),
    }
}

/// The page's filters, for the download links rows offer.
#[derive(Debug, Clone)]
pub struct TaskExport(pub TaskFilters);

/// The tasks of one list, newest first as the service returns them, in
/// `locale` (read by the caller, which re-renders the table when the
/// language or the data change, so rows hold plain text rather than a
/// closure per cell). `account`: where Stop buttons send their call (shown
/// when the page provides a `StopControl`, i.e. for operators).
#[component]
pub fn TaskTable(
    /// Shared, not copied: the table only reads it.
    snapshot: Arc<TaskSnapshot>,
    locale: Locale,
    /// Whether filters narrow the list (changes what "empty" means).
    #[prop(optional)]
    filtered: bool,
    #[prop(optional_no_strip)] account: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = snapshot.list;
    let tasks = &snapshot.answer.data_list;
    if tasks.is_empty() && filtered {
        return view! {
            <p class="empty">{t!(i18n, tasks_empty_filtered)}</p>
        }
        .into_any();
    }
    if tasks.is_empty() {
        let what = move || match list {
            TaskListType::ImageScan => t_string!(i18n, tasks_empty_scan),
            TaskListType::ImageSync => t_string!(i18n, tasks_empty_sync),
        };
        return view! { <p class="empty">{what}</p> }.into_any();
    }
    let export = tasks
        .iter()
        .any(|t| !t.failed_images.is_empty())
        .then(use_context::<TaskExport>)
        .flatten();
    // The account the page shows, for links to a sync task's registries.
    let shown = use_context::<TaskExport>().and_then(|TaskExport(f)| f.account);
    let rows = tasks
        .iter()
        .map(|task| {
            task_row(
                task,
                list,
                (account.as_deref(), shown.as_deref()),
                locale,
                export.as_ref(),
            )
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="tasks" data-list=list.as_str()>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_task)}</th>
                        <th scope="col">{t!(i18n, col_type)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col" class="num">{t!(i18n, col_succeeded)}</th>
                        <th scope="col" class="num">{t!(i18n, col_failed)}</th>
                        <th scope="col" class="num">{t!(i18n, col_risky)}</th>
                        <th scope="col" class="num">{t!(i18n, col_total)}</th>
                        <th scope="col">{t!(i18n, col_started)}</th>
                        <th scope="col">{t!(i18n, col_ended)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Columns of the task table (the failed-images row spans them all).
const COLUMNS: usize = 9;

/// A timestamp as date over time, to keep the table narrow.
fn time_cell(ms: Option<i64>) -> impl IntoView {
    ms.filter(|ms| *ms > 0).map(|ms| view! { <Moment ms /> })
}

/// One task's row (and its failed images, if any). A plain function of
/// the task: its text is fixed for this render.
fn task_row(
    task: &ImageScanTaskInfo,
    list: TaskListType,
    // Where Stop sends its call (operators), and the account shown.
    (account, shown): (Option<&str>, Option<&str>),
    locale: Locale,
    export: Option<&TaskExport>,
) -> impl IntoView {
    let running = (0..100).contains(&task.task_status);
    let stop = account
        .filter(|_| running && list == TaskListType::ImageScan)
        .map(|account| {
            view! {
                <StopButton
                    account=account.to_owned()
                    task_id=task.task_id.clone()
                    task_name=task.task_name.clone()
                    is_all=task.is_all == Some(true)
                />
            }
        });
    let remaining = task.remain_min.filter(|_| running).map(|m| {
        view! {
            <span class="remaining">
                {td_string!(locale, tasks_remaining, minutes = m).to_string()}
            </span>
        }
    });
    let failures = (!task.failed_images.is_empty()).then(|| {
        let csv = export.map(|TaskExport(f)| {
            let mut query = format!("type={}&task_id={}", f.list.as_str(), crate::format::url_encode(&task.task_id));
            if let Some(a) = &f.account {
                query.push_str(&format!("&account={}", crate::format::url_encode(a)));
            }
            format!("/api/v1/export/failed-images.csv?{query}")
        });
        view! { <FailedImages task_id=task.task_id.clone() images=task.failed_images.clone() columns=COLUMNS csv /> }
    });
    // A sync task opens on its registries (a page of its own, so its
    // code stays out of the monitor's first load).
    let registries = (list == TaskListType::ImageSync).then(|| {
        let mut href = format!("/tasks/sync?task_id={}", crate::format::url_encode(&task.task_id));
        if let Some(a) = shown {
            href.push_str(&format!("&account={}", crate::format::url_encode(a)));
        }
        let label = td_string!(locale, tasks_sync_registries_label, task = &task.task_name).to_string();
        view! {
            <a class="task-registries" href=href aria-label=label>{td!(locale, tasks_sync_registries)}</a>
        }
    });
    view! {
        <tr class="task" data-task-id=task.task_id.clone()>
            <th scope="row" class="task-name">{task.task_name.clone()}{registries}</th>
            <td>{task_type_label(locale, task.task_type.as_deref())}</td>
            <td>
                {progress_bar(locale, task.task_status)}
                {remaining}
                {stop}
            </td>
            <td class="num">{task.success_num}</td>
            <td class="num">{task.failed_num}</td>
            <td class="num">{task.risky_num}</td>
            <td class="num">{task.total_num}</td>
            <td>{time_cell(task.begin_time)}</td>
            <td>{time_cell(task.end_time)}</td>
        </tr>
        {failures}
    }
}
