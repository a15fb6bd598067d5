use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::TaskState;

/// A task's `task_status` as a progress bar, or its end state.
#[component]
pub fn ProgressBar(status: i64) -> impl IntoView {
    let i18n = use_i18n();
    let state = TaskState::from_status(status);
    let (value, class) = match state {
        TaskState::Running(p) => (i64::from(p), "running"),
        TaskState::Finished => (100, "finished"),
        TaskState::Stopped => (100, "stopped"),
        TaskState::TimedOut => (100, "timed-out"),
        TaskState::Failed => (100, "failed"),
        TaskState::Unknown(_) => (0, "unknown"),
    };
    let label = move || match state {
        TaskState::Running(p) => format!("{p}%"),
        TaskState::Finished => t_string!(i18n, task_state_finished).to_owned(),
        TaskState::Stopped => t_string!(i18n, task_state_stopped).to_owned(),
        TaskState::TimedOut => t_string!(i18n, task_state_timed_out).to_owned(),
        TaskState::Failed => t_string!(i18n, task_state_failed).to_owned(),
        TaskState::Unknown(n) => t_string!(i18n, task_state_unknown, status = n).to_string(),
    };
    view! {
        <div class=format!("progress {class}")>
            <progress max="100" value=value aria-label=label></progress>
            <span class="progress-label">{label}</span>
        </div>
    }
}
