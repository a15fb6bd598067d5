//! Refreshing the SWR image lists and syncing registries (operators).
//! Each click sends one request with its own `Idempotency-Key`; the sync
//! task then shows in Tasks › Sync tasks.

use crate::components::common::idempotency::new_key;
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::hss::{hss_image_sync_task, hss_synchronize};
use leptos::prelude::*;
use scanport_wire::hss::{ImageSyncTaskRequest, ImageType, RegistryRef, SynchronizeRequest};
use std::collections::BTreeMap;

/// Registries ticked for "Sync selected", by id.
#[derive(Debug, Clone, Copy)]
pub struct RegistrySelection(pub RwSignal<BTreeMap<String, RegistryRef>>);

#[derive(Debug, Clone, PartialEq)]
enum SyncJob {
    RefreshList(ImageType),
    Registries(ImageSyncTaskRequest),
}

impl SyncJob {
    fn done_message(&self, i18n: I18n) -> String {
        match self {
            SyncJob::RefreshList(ImageType::SharedImage) => {
                t_string!(i18n, sync_done_shared).to_owned()
            }
            SyncJob::RefreshList(_) => t_string!(i18n, sync_done_private).to_owned(),
            SyncJob::Registries(r) if r.sync_all_registries => {
                t_string!(i18n, sync_done_all).to_owned()
            }
            SyncJob::Registries(r) if r.registry_info.len() == 1 => {
                t_string!(i18n, sync_done_one).to_owned()
            }
            SyncJob::Registries(r) => {
                t_string!(i18n, sync_done_many, count = r.registry_info.len()).to_string()
            }
        }
    }
}

#[component]
pub fn SyncActions(account: String) -> impl IntoView {
    let i18n = use_i18n();
    let selection = expect_context::<RegistrySelection>();
    let sync = Action::new({
        let account = account.clone();
        move |job: &SyncJob| {
            let account = account.clone();
            let job = job.clone();
            async move {
                let key = Some(new_key());
                match &job {
                    SyncJob::RefreshList(image_type) => {
                        let request = SynchronizeRequest {
                            image_type: *image_type,
                        };
                        hss_synchronize(account, request, key).await.map(|_| ())?;
                    }
                    SyncJob::Registries(request) => {
                        hss_image_sync_task(account, request.clone(), key).await?;
                    }
                }
                Ok::<_, AppError>(job)
            }
        }
    });
    let busy = sync.pending();
    let selected = move || selection.0.with(BTreeMap::len);
    let tasks_href = format!("/tasks?type=image_sync&account={account}");
    view! {
        <div class="launch-bar" role="group" aria-label=move || t_string!(i18n, sync_label)>
            <button
                type="button"
                class="secondary"
                disabled=move || busy.get()
                on:click=move |_| {
                    sync.dispatch(SyncJob::RefreshList(ImageType::PrivateImage));
                }
            >
                {t!(i18n, sync_refresh_private)}
            </button>
            <button
                type="button"
                class="secondary"
                disabled=move || busy.get()
                on:click=move |_| {
                    sync.dispatch(SyncJob::RefreshList(ImageType::SharedImage));
                }
            >
                {t!(i18n, sync_refresh_shared)}
            </button>
            <button
                type="button"
                class="primary"
                disabled=move || busy.get()
                on:click=move |_| {
                    sync.dispatch(
                        SyncJob::Registries(ImageSyncTaskRequest {
                            sync_all_registries: true,
                            registry_info: Vec::new(),
                        }),
                    );
                }
            >
                {t!(i18n, sync_all)}
            </button>
            <button
                type="button"
                class="secondary"
                disabled=move || busy.get() || selected() == 0
                on:click=move |_| {
                    let chosen = selection.0.with_untracked(|s| s.values().cloned().collect());
                    sync.dispatch(
                        SyncJob::Registries(ImageSyncTaskRequest {
                            sync_all_registries: false,
                            registry_info: chosen,
                        }),
                    );
                }
            >
                {move || t_string!(i18n, sync_selected, count = selected()).to_string()}
            </button>
        </div>
        {move || {
            sync.value()
                .get()
                .map(|result| match result {
                    Ok(job) => {
                        let message = job.done_message(i18n);
                        let href = tasks_href.clone();
                        view! {
                            <p class="notice ok" role="status">
                                {message} " " <a href=href>{t!(i18n, sync_follow)}</a>
                            </p>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })
        }}
    }
    .into_any()
}
