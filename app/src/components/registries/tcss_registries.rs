//! A TCSS account's Registries page: the sync progress, the sync actions
//! and the table. While a sync runs (`doing`), the browser asks
//! `tcss/sync-status` again every few seconds, one request at a time, and
//! stops when it is over; then it reads the registry list once more, so
//! the rows show how each registry's sync ended. Without JavaScript the
//! page shows the state as it was when loaded.

use super::tcss_sync::{TcssSelection, TcssSyncActions};
use super::tcss_table::{TcssRegistryTable, sync_state, tencent_time_view};
use crate::components::common::moment::Hydrated;
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::tcss::{tcss_registries, tcss_sync_status};
use leptos::prelude::*;
use scanport_wire::tcss::{
    DescribeRegistriesRequest, DescribeRegistriesResponse, RegistrySyncStatus,
};
use std::time::Duration;

/// How long to wait between two progress checks: a registry sync takes
/// seconds to minutes, and 20 calls a second is the account's whole budget.
const POLL_EVERY: Duration = Duration::from_secs(3);

/// The list request of the page: the most one call answers.
pub fn list_request() -> DescribeRegistriesRequest {
    DescribeRegistriesRequest {
        limit: Some(100),
        ..DescribeRegistriesRequest::default()
    }
}

/// One progress check: the status, and the registry list when the sync is
/// over or `with_list` asks for it.
async fn check(
    account: String,
    with_list: bool,
) -> Result<(RegistrySyncStatus, Option<DescribeRegistriesResponse>), AppError> {
    let status = tcss_sync_status(account.clone(), Default::default()).await?;
    let list = if with_list || !status.running() {
        Some(tcss_registries(account, list_request()).await?)
    } else {
        None
    };
    Ok((status, list))
}

#[component]
pub fn TcssRegistries(
    account: String,
    answer: DescribeRegistriesResponse,
    status: RegistrySyncStatus,
    operator: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let hydrated = expect_context::<Hydrated>().0;
    provide_context(TcssSelection(RwSignal::new(Default::default())));
    let total = RwSignal::new(answer.total_count);
    let list = RwSignal::new(answer.list);
    let status = RwSignal::new(status);
    let poll = Action::new({
        let account = account.clone();
        move |with_list: &bool| check(account.clone(), *with_list)
    });
    // At most one check waits at a time; leaving the page cancels it.
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let schedule = move || {
        if timer.with_value(Option::is_some) {
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                timer.set_value(None);
                poll.dispatch(false);
            },
            POLL_EVERY,
        );
        timer.set_value(handle.ok());
    };
    on_cleanup(move || {
        if let Some(handle) = timer.try_with_value(|t| *t).flatten() {
            handle.clear();
        }
    });
    // Effects run in the browser only: the server never polls.
    Effect::new(move |first: Option<()>| {
        if first.is_none() && status.with_untracked(RegistrySyncStatus::running) {
            schedule();
        }
        if let Some(Ok((now, registries))) = poll.value().get() {
            let running = now.running();
            status.set(now);
            if let Some(r) = registries {
                total.set(r.total_count);
                list.set(r.list);
            }
            if running {
                schedule();
            }
        }
    });
    let started = Callback::new(move |()| {
        poll.dispatch(true);
    });
    let registries = Signal::from(list);
    view! {
        <SyncProgress status hydrated />
        {move || {
            poll.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })
        }}
        {operator.then(|| {
            let account = account.clone();
            view! {
                // Choosing and syncing needs the page to be interactive.
                <Show
                    when=move || hydrated.get()
                    fallback=move || view! { <p class="hint">{t!(i18n, registries_needs_js)}</p> }
                >
                    <TcssSyncActions account=account.clone() registries started />
                </Show>
            }
        })}
        <TcssRegistryTable registries total=Signal::from(total) selectable=operator />
    }
}

/// How the latest sync goes: its state, the error of a failed one, and
/// when a sync last succeeded.
#[component]
fn SyncProgress(status: RwSignal<RegistrySyncStatus>, hydrated: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let s = status.get();
        let state = s.status.clone().filter(|v| !v.is_empty());
        let body = match &state {
            None => view! { <p>{t!(i18n, tcss_progress_none)}</p> }.into_any(),
            Some(state) => {
                let (label, class) = match state.as_str() {
                    scanport_wire::tcss::sync_status::DOING => {
                        (t_string!(i18n, tcss_progress_doing).to_owned(), "warn")
                    }
                    scanport_wire::tcss::sync_status::SUCCESS => {
                        (t_string!(i18n, tcss_progress_success).to_owned(), "ok")
                    }
                    scanport_wire::tcss::sync_status::FAILED => {
                        (t_string!(i18n, tcss_progress_failed).to_owned(), "bad")
                    }
                    _ => sync_state(i18n, state),
                };
                view! { <p><span class=format!("status {class}") data-state=state.clone()>{label}</span></p> }.into_any()
            }
        };
        let error = s
            .err
            .clone()
            .filter(|e| !e.is_empty())
            .map(|e| view! { <p class="fail-reason">{t_string!(i18n, tcss_progress_error, error = &e).to_string()}</p> });
        let last = tencent_time_view(s.latest_sync_success_time.clone()).map(|time| {
            view! { <p class="last-success">{t!(i18n, tcss_progress_last_success)}" "{time}</p> }
        });
        let watching = s.running().then(|| {
            view! {
                <p class="hint">
                    {move || if hydrated.get() { t_string!(i18n, tcss_progress_watching) } else { t_string!(i18n, tcss_progress_reload) }}
                </p>
            }
        });
        view! {
            <section class="sync-progress notice" aria-live="polite" aria-labelledby="sync-progress-title">
                <h2 id="sync-progress-title" class="notice-title">{t!(i18n, tcss_progress_title)}</h2>
                {body}
                {error}
                {last}
                {watching}
            </section>
        }
    }
}
