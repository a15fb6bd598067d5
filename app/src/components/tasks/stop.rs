//! Stopping a running scan task (operators). The button lives in a row
//! that re-renders with every snapshot, so its state lives here, above
//! the table: which stops are in flight, and the last error.

use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::hss::{StopTaskRequest, hss_stop_task};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Copy)]
pub struct StopControl {
    action: Action<(String, String), Result<crate::server_fns::Empty, AppError>>,
    /// Task ids whose stop call has not returned yet.
    in_flight: RwSignal<BTreeSet<String>>,
}

impl StopControl {
    pub fn new() -> Self {
        let in_flight = RwSignal::new(BTreeSet::new());
        let action = Action::new(move |(account, task_id): &(String, String)| {
            let account = account.clone();
            let task_id = task_id.clone();
            async move {
                let key = Some(crate::components::common::idempotency::new_key());
                let result = hss_stop_task(
                    account,
                    StopTaskRequest {
                        task_id: task_id.clone(),
                    },
                    key,
                )
                .await;
                // The row shows the server's state from the next snapshot,
                // which the server refreshes right after the stop.
                in_flight.update(|s| {
                    s.remove(&task_id);
                });
                result
            }
        });
        Self { action, in_flight }
    }

    fn stop(&self, account: String, task_id: String) {
        self.in_flight.update(|s| {
            s.insert(task_id.clone());
        });
        self.action.dispatch((account, task_id));
    }
}

impl Default for StopControl {
    fn default() -> Self {
        Self::new()
    }
}

/// The last stop's error, if it failed.
#[component]
pub fn StopError() -> impl IntoView {
    let control = use_context::<StopControl>();
    move || {
        control
            .and_then(|c| c.action.value().get())
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error /> })
    }
}

/// The Stop button of a running scan task. An all-images scan cannot be
/// stopped by the service, so its button is disabled and says why.
#[component]
pub fn StopButton(
    account: String,
    task_id: String,
    task_name: String,
    is_all: bool,
) -> impl IntoView {
    let Some(control) = use_context::<StopControl>() else {
        return ().into_any();
    };
    let i18n = use_i18n();
    let stopping = {
        let id = task_id.clone();
        Signal::derive(move || control.in_flight.with(|s| s.contains(&id)))
    };
    let title = move || is_all.then(|| t_string!(i18n, stop_all_images));
    let label = move || t_string!(i18n, stop_task, name = &task_name).to_string();
    view! {
        <button
            type="button"
            class="stop-button"
            title=title
            aria-label=label
            disabled=move || is_all || stopping.get()
            on:click=move |_| control.stop(account.clone(), task_id.clone())
        >
            {move || {
                if stopping.get() {
                    t_string!(i18n, stop_stopping)
                } else {
                    t_string!(i18n, stop_stop)
                }
            }}
        </button>
    }
    .into_any()
}
