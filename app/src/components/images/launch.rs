//! "Scan selected" and "Scan all matching": a confirmation that says
//! exactly what will be scanned before anything is sent, then the launch
//! (with one `Idempotency-Key` per confirmation, so a double click or a
//! retried request scans once), then the task monitor.

use super::query::ImageFilters;
use super::selection::Selection;
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::hss::hss_batch_scan;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use scanport_wire::hss::BatchScanRequest;

/// What the user is about to confirm.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Selected,
    AllMatching,
}

#[component]
pub fn LaunchBar(
    account: String,
    filters: ImageFilters,
    /// Images matching the filters now, from the list's total.
    matching: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let selection = expect_context::<Selection>();
    let pending = RwSignal::new(None::<Pending>);
    let key = RwSignal::new(String::new());
    let understood = RwSignal::new(false);
    let navigate = use_navigate();
    let launch = Action::new({
        let account = account.clone();
        move |request: &BatchScanRequest| {
            let account = account.clone();
            let request = request.clone();
            let key = key.get_untracked();
            async move { hss_batch_scan(account, request, Some(key)).await }
        }
    });
    let open = move |what: Pending| {
        key.set(crate::components::common::idempotency::new_key());
        understood.set(false);
        launch.value().set(None);
        pending.set(Some(what));
    };
    // On success, the new task in the task monitor.
    Effect::new({
        let account = account.clone();
        move |_| {
            if let Some(Ok(_)) = launch.value().get() {
                selection.clear();
                pending.set(None);
                navigate(
                    &format!("/tasks?type=image_scan&account={account}&launched=1"),
                    Default::default(),
                );
            }
        }
    });

    let filters_for_dialog = filters.clone();
    let confirm = move |_| {
        let request = match pending.get_untracked() {
            Some(Pending::Selected) => {
                BatchScanRequest::images(filters.image_type, selection.images())
            }
            Some(Pending::AllMatching) => filters.to_operate_all(),
            None => return,
        };
        launch.dispatch(request);
    };
    let selected = move || selection.len();

    view! {
        <div class="launch-bar" role="group" aria-label=move || t_string!(i18n, launch_label)>
            <span class="selected-count" aria-live="polite">
                {move || match selected() {
                    0 => t_string!(i18n, launch_selected_none).to_owned(),
                    1 => t_string!(i18n, launch_selected_one).to_owned(),
                    n => t_string!(i18n, launch_selected_many, count = n).to_string(),
                }}
            </span>
            <button
                type="button"
                class="primary"
                disabled=move || selected() == 0
                on:click=move |_| open(Pending::Selected)
            >
                {t!(i18n, launch_scan_selected)}
            </button>
            <button
                type="button"
                class="secondary"
                disabled=move || matching == 0
                on:click=move |_| open(Pending::AllMatching)
            >
                {move || t_string!(i18n, launch_scan_all, count = crate::format::number(i18n.get_locale(), matching)).to_string()}
            </button>
            <button type="button" class="link-button" disabled=move || selected() == 0 on:click=move |_| selection.clear()>
                {t!(i18n, launch_clear_selection)}
            </button>
        </div>
        <Show when=move || pending.get().is_some()>
            {
                let filters = filters_for_dialog.clone();
                let confirm = confirm.clone();
                view! { <LaunchDialog pending understood launch filters matching selection confirm /> }
            }
        </Show>
    }
    .into_any()
}

/// The confirmation: exactly what will be scanned, then "Launch scan".
#[component]
fn LaunchDialog(
    pending: RwSignal<Option<Pending>>,
    understood: RwSignal<bool>,
    launch: Action<BatchScanRequest, Result<crate::server_fns::Empty, AppError>>,
    filters: ImageFilters,
    matching: i64,
    selection: Selection,
    confirm: impl Fn(leptos::ev::MouseEvent) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    // Focus starts on the confirm button (keyboard users confirm or Tab to
    // Cancel); Escape anywhere closes the dialog.
    let i18n = use_i18n();
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            pending.set(None);
        }
    });
    on_cleanup(move || escape.remove());
    view! {
            <div class="dialog-backdrop">
                <div
                    class="dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="launch-title"
                >
                    {
                        move || match pending.get() {
                            Some(Pending::Selected) => {
                                let images = selection.images();
                                view! {
                                    <h2 id="launch-title">
                                        {
                                            let kind = filters.image_type_label(i18n);
                                            if images.len() == 1 {
                                                t_string!(i18n, launch_confirm_one, kind).to_string()
                                            } else {
                                                t_string!(i18n, launch_confirm_many, count = images.len(), kind).to_string()
                                            }
                                        }
                                    </h2>
                                    <ul class="launch-list">
                                        {images
                                            .iter()
                                            .map(|i| view! {
                                                <li><code>{format!("{}/{}:{}", i.namespace, i.image_name, i.image_version)}</code></li>
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                            Some(Pending::AllMatching) => view! {
                                <h2 id="launch-title">
                                    {t_string!(i18n, launch_confirm_all, kind = filters.image_type_label(i18n)).to_string()}
                                </h2>
                                <p>{filters.describe(i18n)}</p>
                                <p>
                                    {t_string!(i18n, launch_matching_now, count = crate::format::number(i18n.get_locale_untracked(), matching)).to_string()}
                                </p>
                                <label class="confirm-check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || understood.get()
                                        on:change=move |ev| understood.set(event_target_checked(&ev))
                                    />
                                    {t_string!(i18n, launch_understood, count = crate::format::number(i18n.get_locale_untracked(), matching)).to_string()}
                                </label>
                            }
                                .into_any(),
                            None => ().into_any(),
                        }
                    }
                    {move || {
                        launch
                            .value()
                            .get()
                            .and_then(Result::err)
                            .map(|error: AppError| view! { <ErrorNotice error /> })
                    }}
                    <div class="dialog-actions">
                        <button type="button" class="secondary" on:click=move |_| pending.set(None)>
                            {t!(i18n, cancel)}
                        </button>
                        <button
                            type="button"
                            class="primary"
                            node_ref=confirm_button
                            disabled=move || {
                                launch.pending().get()
                                    || (pending.get() == Some(Pending::AllMatching) && !understood.get())
                            }
                            on:click=confirm
                        >
                            {move || if launch.pending().get() { t_string!(i18n, launch_launching) } else { t_string!(i18n, launch_launch) }}
                        </button>
                    </div>
                </div>
            </div>
    }
    .into_any()
}
