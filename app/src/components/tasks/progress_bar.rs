use leptos::prelude::*;
use scanport_wire::hss::TaskState;

/// A task's `task_status` as a progress bar, or its end state.
#[component]
pub fn ProgressBar(status: i64) -> impl IntoView {
    let state = TaskState::from_status(status);
    let (value, label, class) = match state {
        TaskState::Running(p) => (i64::from(p), format!("{p}%"), "running"),
        TaskState::Finished => (100, "Finished".to_owned(), "finished"),
        TaskState::Stopped => (100, "Stopped".to_owned(), "stopped"),
        TaskState::TimedOut => (100, "Timed out".to_owned(), "timed-out"),
        TaskState::Failed => (100, "Failed".to_owned(), "failed"),
        TaskState::Unknown(n) => (0, format!("Unknown ({n})"), "unknown"),
    };
    view! {
        <div class=format!("progress {class}")>
            <progress max="100" value=value aria-label=label.clone()></progress>
            <span class="progress-label">{label}</span>
        </div>
    }
}
