use super::failed_images::FailedImages;
use super::filters::TaskFilters;
use super::progress_bar::ProgressBar;
use super::stop::StopButton;
use crate::components::common::moment::Moment;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::{ImageScanTaskInfo, ListTasksResponse, TaskListType, TaskType};

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

/// The tasks of one list, newest first as the service returns them.
/// `account`: where Stop buttons send their call (shown when the page
/// provides a `StopControl`, i.e. for operators).
#[component]
pub fn TaskTable(
    list: TaskListType,
    answer: ListTasksResponse,
    /// Whether filters narrow the list (changes what "empty" means).
    #[prop(optional)]
    filtered: bool,
    #[prop(optional_no_strip)] account: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    if answer.data_list.is_empty() && filtered {
        return view! {
            <p class="empty">{t!(i18n, tasks_empty_filtered)}</p>
        }
        .into_any();
    }
    if answer.data_list.is_empty() {
        let what = move || match list {
            TaskListType::ImageScan => t_string!(i18n, tasks_empty_scan),
            TaskListType::ImageSync => t_string!(i18n, tasks_empty_sync),
        };
        return view! { <p class="empty">{what}</p> }.into_any();
    }
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
                <tbody>
                    {answer
                        .data_list
                        .into_iter()
                        .map(|task| view! { <TaskRow task list account=account.clone() /> }.into_any())
                        .collect_view()}
                </tbody>
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

#[component]
fn TaskRow(task: ImageScanTaskInfo, list: TaskListType, account: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let running = (0..100).contains(&task.task_status);
    let stop = account
        .filter(|_| running && list == TaskListType::ImageScan)
        .map(|account| {
            view! {
                <StopButton
                    account
                    task_id=task.task_id.clone()
                    task_name=task.task_name.clone()
                    is_all=task.is_all == Some(true)
                />
            }
        });
    let remaining = task.remain_min.filter(|_| running).map(|m| {
        view! {
            <span class="remaining">
                {move || t_string!(i18n, tasks_remaining, minutes = m).to_string()}
            </span>
        }
    });
    let failures = (!task.failed_images.is_empty()).then(|| {
        let csv = use_context::<TaskExport>().map(|TaskExport(f)| {
            let mut query = format!("type={}&task_id={}", f.list.as_str(), crate::format::url_encode(&task.task_id));
            if let Some(a) = &f.account {
                query.push_str(&format!("&account={}", crate::format::url_encode(a)));
            }
            format!("/api/v1/export/failed-images.csv?{query}")
        });
        view! { <FailedImages task_id=task.task_id.clone() images=task.failed_images.clone() columns=COLUMNS csv /> }.into_any()
    });
    let task_type = task.task_type.clone();
    let type_label = move || task_type_label(i18n.get_locale(), task_type.as_deref());
    view! {
        <tr class="task" data-task-id=task.task_id.clone()>
            <th scope="row" class="task-name">{task.task_name}</th>
            <td>{type_label}</td>
            <td>
                <ProgressBar status=task.task_status />
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
