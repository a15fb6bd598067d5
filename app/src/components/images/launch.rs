//! "Scan selected" and "Scan all matching": a confirmation that says
//! exactly what will be scanned before anything is sent, then the launch
//! (with one `Idempotency-Key` per confirmation, so a double click or a
//! retried request scans once), then the task monitor.

use super::selection::Selection;
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What the user is about to confirm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    Selected,
    AllMatching,
}

/// Sends the confirmed scan to the page's cloud: what, and the
/// confirmation's idempotency key.
pub type Launcher = Arc<
    dyn Fn(Pending, String) -> Pin<Box<dyn Future<Output = Result<(), AppError>> + Send>>
        + Send
        + Sync,
>;

/// The page's words for the confirmation.
#[derive(Clone, Copy)]
pub struct LaunchTexts {
    /// The kind of image ("private", "registry"), in the page's language.
    pub kind: Signal<String>,
    /// The filters a scan of everything matching keeps, in words.
    pub filters: Signal<String>,
}

#[component]
pub fn LaunchBar(
    /// Images matching the filters now, from the list's total.
    matching: i64,
    texts: LaunchTexts,
    launch: Launcher,
    /// Where a launched scan is followed.
    follow: String,
    /// Only chosen images: the list's filters have no scan-all
    /// counterpart.
    #[prop(optional)]
    selected_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let selection = expect_context::<Selection>();
    let pending = RwSignal::new(None::<Pending>);
    let key = RwSignal::new(String::new());
    let understood = RwSignal::new(false);
    let navigate = use_navigate();
    let launch = Action::new(move |what: &Pending| launch(*what, key.get_untracked()));
    let open = move |what: Pending| {
        key.set(crate::components::common::idempotency::new_key());
        understood.set(false);
        launch.value().set(None);
        pending.set(Some(what));
    };
    // On success, the new task where it is followed.
    Effect::new(move |_| {
        if let Some(Ok(())) = launch.value().get() {
            selection.clear();
            pending.set(None);
            navigate(&follow, Default::default());
        }
    });

    let confirm = move |_| {
        if let Some(what) = pending.get_untracked() {
            launch.dispatch(what);
        }
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
            {(!selected_only).then(|| view! {
                <button
                    type="button"
                    class="secondary"
                    disabled=move || matching == 0
                    on:click=move |_| open(Pending::AllMatching)
                >
                    {move || t_string!(i18n, launch_scan_all, count = crate::format::number(i18n.get_locale(), matching)).to_string()}
                </button>
            })}
            <button type="button" class="link-button" disabled=move || selected() == 0 on:click=move |_| selection.clear()>
                {t!(i18n, launch_clear_selection)}
            </button>
        </div>
        <Show when=move || pending.get().is_some()>
            <LaunchDialog pending understood launch texts matching selection confirm />
        </Show>
    }
    .into_any()
}

/// The confirmation: exactly what will be scanned, then "Launch scan".
#[component]
fn LaunchDialog(
    pending: RwSignal<Option<Pending>>,
    understood: RwSignal<bool>,
    launch: Action<Pending, Result<(), AppError>>,
    texts: LaunchTexts,
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
                                let images = selection.labels();
                                view! {
                                    <h2 id="launch-title">
                                        {
                                            let kind = texts.kind.get();
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
                                                <li><code>{i.clone()}</code></li>
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                            Some(Pending::AllMatching) => view! {
                                <h2 id="launch-title">
                                    {t_string!(i18n, launch_confirm_all, kind = texts.kind.get()).to_string()}
                                </h2>
                                <p>{texts.filters.get()}</p>
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
