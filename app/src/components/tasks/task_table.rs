use super::failed_images::FailedImages;
use super::filters::TaskFilters;
use super::progress_bar::ProgressBar;
use super::stop::StopButton;
use crate::components::common::moment::Moment;
use leptos::prelude::*;
use scanport_wire::hss::{ImageScanTaskInfo, ListTasksResponse, TaskListType, TaskType};

fn task_type_label(value: Option<&str>) -> String {
    match value {
        Some(text) => TaskType::parse(text).map_or_else(
            || text.to_owned(),
            |t| super::filters::task_type_label(t).to_owned(),
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
    if answer.data_list.is_empty() && filtered {
        return view! {
            <p class="empty">"No task matches these filters. Clear a filter to see more."</p>
        }
        .into_any();
    }
    if answer.data_list.is_empty() {
        let what = match list {
            TaskListType::ImageScan => {
                "No scan tasks yet. Launch a scan from the image list to see it here."
            }
            TaskListType::ImageSync => "No sync tasks yet. Sync a registry to see it here.",
        };
        return view! { <p class="empty">{what}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="tasks" data-list=list.as_str()>
                <thead>
                    <tr>
                        <th scope="col">"Task"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Succeeded"</th>
                        <th scope="col" class="num">"Failed"</th>
                        <th scope="col" class="num">"Risky"</th>
                        <th scope="col" class="num">"Total"</th>
                        <th scope="col">"Started"</th>
                        <th scope="col">"Ended"</th>
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
    let remaining = task
        .remain_min
        .filter(|_| running)
        .map(|m| view! { <span class="remaining">{format!("{m} min left")}</span> });
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
    view! {
        <tr class="task" data-task-id=task.task_id.clone()>
            <th scope="row" class="task-name">{task.task_name}</th>
            <td>{task_type_label(task.task_type.as_deref())}</td>
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
