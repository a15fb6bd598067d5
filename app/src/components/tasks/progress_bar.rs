use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::TaskState;

/// A task's `task_status` as a progress bar, or its end state, in
/// `locale`. A plain function with its text computed once: every row of
/// the task table has one, and the row re-renders as a whole when its
/// data or the language change.
pub fn progress_bar(locale: Locale, status: i64) -> impl IntoView {
    let state = TaskState::from_status(status);
    let (value, class) = match state {
        TaskState::Running(p) => (i64::from(p), "progress running"),
        TaskState::Finished => (100, "progress finished"),
        TaskState::Stopped => (100, "progress stopped"),
        TaskState::TimedOut => (100, "progress timed-out"),
        TaskState::Failed => (100, "progress failed"),
        TaskState::Unknown(_) => (0, "progress unknown"),
    };
    let label = match state {
        TaskState::Running(p) => format!("{p}%"),
        TaskState::Finished => td_string!(locale, task_state_finished).to_owned(),
        TaskState::Stopped => td_string!(locale, task_state_stopped).to_owned(),
        TaskState::TimedOut => td_string!(locale, task_state_timed_out).to_owned(),
        TaskState::Failed => td_string!(locale, task_state_failed).to_owned(),
        TaskState::Unknown(n) => td_string!(locale, task_state_unknown, status = n).to_string(),
    };
    view! {
        <div class=class>
            <progress max="100" value=value aria-label=label.clone()></progress>
            <span class="progress-label">{label}</span>
        </div>
    }
}
