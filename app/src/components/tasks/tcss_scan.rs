//! The task monitor of a Tencent TCSS account: its latest one-key registry
//! scan, live (overall state, scanned / at risk / safe / failed, each
//! image's state, the failed images), with Stop for operators.

use super::freshness::{Freshness, Stamp, span};
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::images::tcss_table::status_class;
use crate::components::schedule::rules::registry_type_label;
use crate::format::{tcss_status_label, url_encode};
use crate::i18n::*;
use crate::live::{Connection, use_live_tcss_scan, use_now_ms};
use crate::server_fns::tasks::live_tcss_scan;
use crate::server_fns::tcss::tcss_scan_stop;
use leptos::prelude::*;
use scanport_wire::live::TcssScanSnapshot;
use scanport_wire::tcss::{ImageProgress, StopRegistryScanRequest, scan_status};
use std::sync::Arc;

/// An image's registry: the instance's name, else its address, with the
/// registry kind.
fn registry_text(image: &ImageProgress) -> String {
    let place = image
        .instance_name
        .clone()
        .filter(|n| !n.is_empty())
        .or_else(|| image.image_repo_address.clone())
        .unwrap_or_default();
    match image.registry_type.as_deref() {
        Some(kind) if !kind.is_empty() => format!("{place} ({})", registry_type_label(kind)),
        _ => place,
    }
}

/// The Images page of this account narrowed to one failed image, where
/// the service's reason shows.
fn failed_image_href(account: &str, image: &ImageProgress) -> String {
    let mut href = format!(
        "/images?account={}&scan_status={}",
        url_encode(account),
        scan_status::SCAN_ERR
    );
    for (key, value) in [
        ("image_name", &image.image_name),
        ("image_tag", &image.image_tag),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            href.push_str(&format!("&{key}={}", url_encode(value)));
        }
    }
    href
}

#[component]
pub fn TcssScanMonitor(account: String, operator: bool) -> impl IntoView {
    let i18n = use_i18n();
    let account_id = Memo::new({
        let account = account.clone();
        move |_| Some(account.clone())
    });
    let first = Resource::new(move || account_id.get(), live_tcss_scan);
    let live = use_live_tcss_scan(account_id);
    let now = use_now_ms();
    let refresh_href = Signal::stored(format!(
        "{}?account={}",
        crate::components::layout::TCSS_TASKS,
        url_encode(&account)
    ));
    let stop = Action::new({
        let account = account.clone();
        move |(): &()| {
            let account = account.clone();
            let key = Some(crate::components::common::idempotency::new_key());
            // Stops the account's running one-key scan, whichever it is:
            // the page shows the latest one, and the status call gives no
            // TaskID to name it by.
            let request = StopRegistryScanRequest {
                all: Some(true),
                ..Default::default()
            };
            async move { tcss_scan_stop(account, request, key).await }
        }
    });
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, tasks_loading)}</p> }>
            {drawn_once(move || {
                let account = account.clone();
                Suspend::new(async move {
                    match first.await {
                        Ok(initial) => {
                            // Live data only once this part has hydrated (as
                            // the HSS monitor).
                            let ready = RwSignal::new(false);
                            Effect::new(move |_| ready.set(true));
                            let initial = Arc::new(initial);
                            let snapshot = Signal::derive(move || {
                                live.snapshot
                                    .with(|s| s.as_ref().filter(|_| ready.get()).map(|s| Arc::new(s.clone())))
                                    .unwrap_or_else(|| Arc::clone(&initial))
                            });
                            let stamp = Signal::derive(move || snapshot.with(|s| Stamp {
                                fetched_at_ms: s.fetched_at_ms,
                                next_refresh_ms: s.next_refresh_ms,
                                error: s.error.clone(),
                            }));
                            let connection = Signal::derive(move || {
                                if ready.get() { live.connection.get() } else { Connection::Static }
                            });
                            let now = Signal::derive(move || now.get().filter(|_| ready.get()));
                            view! {
                                <Freshness stamp now connection refresh_href />
                                {move || stop.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                                {drawn_once(move || scan_view(snapshot.get(), account.clone(), operator, stop, i18n.get_locale()))}
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            })}
        </Transition>
    }
}

/// The scan as it stands in one snapshot.
fn scan_view(
    snapshot: Arc<TcssScanSnapshot>,
    account: String,
    operator: bool,
    stop: Action<(), Result<scanport_wire::tcss::Acknowledged, crate::error::AppError>>,
    // Read by the caller, so the rows hold plain text.
    locale: Locale,
) -> AnyView {
    let i18n = use_i18n();
    let s = &snapshot.status;
    let state = s.status.clone().unwrap_or_default();
    if s.image_total == 0 && state != scan_status::SCANNING {
        let images = format!("/images?account={}", url_encode(&account));
        return view! {
            <p class="empty">
                {td_string!(locale, tcss_scan_none)}" "
                <a href=images>{td_string!(locale, tcss_scan_choose_images)}</a>
            </p>
        }
        .into_any();
    }
    let running = snapshot.is_running();
    let failed: Vec<ImageProgress> = snapshot.failed().cloned().collect();
    let percent = s.schedule.clamp(0, 100);
    let remain = s
        .scan_remain_time
        .filter(|secs| running && *secs > 0)
        .map(|secs| {
            td_string!(
                locale,
                tcss_scan_remaining,
                time = span(locale, secs * 1000)
            )
            .to_string()
        });
    let counts = [
        ("total", td_string!(locale, tcss_scan_total), s.image_total),
        (
            "scanned",
            td_string!(locale, tcss_scan_scanned),
            s.image_scan_cnt,
        ),
        ("risky", td_string!(locale, tcss_scan_risky), s.risk_count),
        ("safe", td_string!(locale, tcss_scan_safe), s.success_count),
        (
            "failed",
            td_string!(locale, tcss_scan_failed),
            failed.len() as i64,
        ),
    ];
    let stop_button = (operator && running).then(|| {
        view! {
            <button
                type="button"
                class="stop-button"
                disabled=move || stop.pending().get()
                on:click=move |_| {
                    stop.dispatch(());
                }
            >
                {move || if stop.pending().get() { t_string!(i18n, stop_stopping) } else { t_string!(i18n, tcss_scan_stop) }}
            </button>
        }
    });
    let failed_rows = failed
        .iter()
        .map(|image| {
            let href = failed_image_href(&account, image);
            view! {
                <tr>
                    <td>{registry_text(image)}</td>
                    <td>{image.namespace.clone().unwrap_or_default()}</td>
                    <td>{image.image_name.clone().unwrap_or_default()}</td>
                    <td><code>{image.image_tag.clone().unwrap_or_default()}</code></td>
                    <td><a href=href>{td_string!(locale, tcss_scan_why)}</a></td>
                </tr>
            }
        })
        .collect_view();
    let image_rows = s
        .image_status
        .iter()
        .map(|image| {
            let status = image.scan_status.clone().unwrap_or_default();
            let parts = [image.cve_progress, image.risk_progress, image.virus_progress];
            let progress = parts.iter().flatten().min().copied().unwrap_or(0);
            view! {
                <tr>
                    <td class="image-name">
                        {format!(
                            "{}:{}",
                            image.image_name.clone().unwrap_or_default(),
                            image.image_tag.clone().unwrap_or_default()
                        )}
                    </td>
                    <td>{registry_text(image)}</td>
                    <td><span class=status_class(&status)>{tcss_status_label(i18n, &status)}</span></td>
                    <td class="num">{format!("{progress}%")}</td>
                </tr>
            }
        })
        .collect_view();
    let failed_count = failed.len();
    view! {
        <section class="scan-card" aria-labelledby="tcss-scan-title" data-status=state.clone()>
            <div class="scan-head">
                <h2 id="tcss-scan-title">{td_string!(locale, tcss_scan_title)}</h2>
                <span class=status_class(&state)>{tcss_status_label(i18n, &state)}</span>
                {stop_button}
            </div>
            <div class=if running { "progress running" } else { "progress finished" }>
                <progress max="100" value=percent aria-label=format!("{percent}%")></progress>
                <span class="progress-label">{format!("{percent}%")}</span>
            </div>
            {remain.map(|text| view! { <p class="hint">{text}</p> })}
            <dl class="scan-counts">
                {counts
                    .into_iter()
                    .map(|(key, label, n)| view! {
                        <div data-count=key>
                            <dt>{label}</dt>
                            <dd>{crate::format::number(locale, n)}</dd>
                        </div>
                    })
                    .collect_view()}
            </dl>
        </section>
        {(failed_count > 0).then(|| view! {
            <section class="failed-images" aria-labelledby="tcss-failed-title">
                <h3 id="tcss-failed-title">{td_string!(locale, tcss_scan_failed_title, count = failed_count).to_string()}</h3>
                <div class="table-wrap">
                    <table class="tcss-failed">
                        <thead>
                            <tr>
                                <th scope="col">{td_string!(locale, col_registry)}</th>
                                <th scope="col">{td_string!(locale, col_namespace)}</th>
                                <th scope="col">{td_string!(locale, col_image)}</th>
                                <th scope="col">{td_string!(locale, col_tag)}</th>
                                <th scope="col">{td_string!(locale, col_reason)}</th>
                            </tr>
                        </thead>
                        <tbody>{failed_rows}</tbody>
                    </table>
                </div>
            </section>
        })}
        <details class="scan-images">
            <summary>{td_string!(locale, tcss_scan_images, count = s.image_status.len()).to_string()}</summary>
            <div class="table-wrap">
                <table class="tcss-progress">
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, col_image)}</th>
                            <th scope="col">{td_string!(locale, col_registry)}</th>
                            <th scope="col">{td_string!(locale, col_scan_status)}</th>
                            <th scope="col" class="num">{td_string!(locale, col_progress)}</th>
                        </tr>
                    </thead>
                    <tbody>{image_rows}</tbody>
                </table>
            </div>
        </details>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_image_links_to_its_reason_on_the_images_page() {
        let image = ImageProgress {
            image_name: Some("prod/nginx".into()),
            image_tag: Some("v1.0.1".into()),
            ..ImageProgress::default()
        };
        assert_eq!(
            failed_image_href("tc 1", &image),
            "/images?account=tc%201&scan_status=SCAN_ERR&image_name=prod%2Fnginx&image_tag=v1.0.1"
        );
    }

    #[test]
    fn the_registry_is_named_with_its_kind() {
        let image = ImageProgress {
            instance_name: Some("tcr-prod".into()),
            registry_type: Some("tcr".into()),
            ..ImageProgress::default()
        };
        assert_eq!(registry_text(&image), "tcr-prod (TCR)");
    }
}
