//! "Scan this image again" (operators): a two-step button (ask, then
//! confirm) that launches a scan of just this image on its cloud, with one
//! `Idempotency-Key` per confirmation, then points to the task monitor.
//! The findings page follows the new scan by its new scan time.

use super::query::ImagePage;
use crate::components::common::idempotency::new_key;
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::findings::ImageRef;
use scanport_wire::hss::{BatchScanImage, BatchScanRequest, FindingsImageType, ImageType};

/// The SWR kind a batch scan takes for this image; `None` for the kinds
/// it cannot scan one by one (third-party registries, CI/CD).
fn swr_kind(image_type: FindingsImageType) -> Option<ImageType> {
    match image_type {
        FindingsImageType::PrivateImage => Some(ImageType::PrivateImage),
        FindingsImageType::SharedImage => Some(ImageType::SharedImage),
        FindingsImageType::InstanceImage => Some(ImageType::InstanceImage),
        _ => None,
    }
}

/// Whether this image can be scanned again from its page.
pub fn can_rescan(page: &ImagePage) -> bool {
    match &page.image {
        ImageRef::Hss { image_type, .. } => swr_kind(*image_type).is_some(),
        ImageRef::Tcss { .. } => true,
    }
}

async fn launch(page: ImagePage, key: String) -> Result<(), AppError> {
    match page.image {
        ImageRef::Hss {
            image_type,
            namespace,
            image_name,
            tag_name,
            ..
        } => {
            let Some(kind) = swr_kind(image_type) else {
                return Ok(());
            };
            let image = BatchScanImage {
                namespace,
                image_name,
                image_version: tag_name,
                instance_id: None,
                instance_url: None,
            };
            let request = BatchScanRequest::images(kind, vec![image]);
            crate::server_fns::hss::hss_batch_scan(page.account, request, Some(key))
                .await
                .map(drop)
        }
        ImageRef::Tcss { id } => {
            let request =
                crate::components::images::tcss_query::TcssImageFilters::scan_chosen(vec![id]);
            crate::server_fns::tcss::tcss_scan(page.account, request, Some(key))
                .await
                .map(drop)
        }
    }
}

#[component]
pub fn Rescan(page: ImagePage) -> impl IntoView {
    let i18n = use_i18n();
    let hydrated = expect_context::<crate::components::common::moment::Hydrated>().0;
    let asking = RwSignal::new(false);
    let follow = match page.image {
        ImageRef::Hss { .. } => format!(
            "/tasks?type=image_scan&account={}&launched=1",
            crate::format::url_encode(&page.account)
        ),
        ImageRef::Tcss { .. } => format!(
            "{}?account={}&launched=1",
            crate::components::layout::TCSS_TASKS,
            crate::format::url_encode(&page.account)
        ),
    };
    let action = Action::new(move |page: &ImagePage| launch(page.clone(), new_key()));
    let name = if page.facts.tag.is_empty() {
        page.facts.name.clone()
    } else {
        format!("{}:{}", page.facts.name, page.facts.tag)
    };
    let page = StoredValue::new(page);
    let (follow, name) = (StoredValue::new(follow), StoredValue::new(name));
    view! {
        <Show when=move || hydrated.get()>
            <div class="rescan">
                {move || match action.value().get() {
                    Some(Ok(())) => view! {
                        <p class="notice ok" role="status">
                            {t!(i18n, rescan_started)}" "
                            <a href=follow.get_value()>{t!(i18n, rescan_follow)}</a>
                        </p>
                    }
                    .into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                    None if asking.get() => {
                        let name = name.get_value();
                        view! {
                            <p class="rescan-ask">{t!(i18n, rescan_confirm, image = name)}</p>
                            <button
                                type="button"
                                class="primary"
                                disabled=move || action.pending().get()
                                on:click=move |_| {
                                    action.dispatch(page.get_value());
                                }
                            >
                                {move || if action.pending().get() { t_string!(i18n, launch_launching) } else { t_string!(i18n, launch_launch) }}
                            </button>
                            <button type="button" on:click=move |_| asking.set(false)>{t!(i18n, cancel)}</button>
                        }
                        .into_any()
                    }
                    None => view! {
                        <button type="button" on:click=move |_| asking.set(true)>{t!(i18n, rescan_button)}</button>
                    }
                    .into_any(),
                }}
            </div>
        </Show>
    }
}
