//! A TCSS account's connected registries: name, kind, address, region,
//! how the latest sync went (with the reason of a failure and what to do),
//! when one last succeeded, and the connection check.

use super::tcss_sync::TcssSelection;
use crate::components::common::moment::Moment;
use crate::components::schedule::rules::{ZONE, parse_tencent_time, registry_type_label};
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::tcss::{TcssRegistry, sync_status};

/// A TCSS time (`YYYY-MM-DD HH:MM:SS`, UTC+8) in the reader's zone, or as
/// written with its zone when it cannot be read.
pub fn tencent_time_view(text: Option<String>) -> Option<AnyView> {
    let text = text.filter(|t| !t.is_empty() && !t.starts_with("0000"))?;
    Some(match parse_tencent_time(&text) {
        Some(ms) => view! { <Moment ms /> }.into_any(),
        None => view! { <span>{format!("{text} ({ZONE})")}</span> }.into_any(),
    })
}

/// A sync state (`doing`, `success`, `failed`) in words with its status
/// class; another value is shown as it came.
pub fn sync_state(i18n: I18n, state: &str) -> (String, &'static str) {
    match state {
        sync_status::DOING => (t_string!(i18n, tcss_sync_doing).to_owned(), "warn"),
        sync_status::SUCCESS => (t_string!(i18n, tcss_sync_success).to_owned(), "ok"),
        sync_status::FAILED => (t_string!(i18n, tcss_sync_failed).to_owned(), "bad"),
        other => (other.to_owned(), "muted"),
    }
}

/// The connection check: reachable, unreachable (with why), or not
/// checked. A check that failed anywhere counts as failed.
fn connection(i18n: I18n, registry: &TcssRegistry) -> impl IntoView + use<> {
    let checks = &registry.conn_detect_detail;
    let failed = checks.iter().find(|c| {
        matches!(
            c.conn_detect_status.as_deref(),
            Some(sync_status::FAILED | "fail")
        )
    });
    let (label, class, why) = if let Some(c) = failed {
        let why = c
            .fail_reason
            .clone()
            .or_else(|| c.conn_detect_message.clone())
            .filter(|w| !w.is_empty());
        (t_string!(i18n, tcss_conn_failed).to_owned(), "bad", why)
    } else if checks.is_empty() {
        let why = registry.connect_msg.clone().filter(|m| !m.is_empty());
        (
            t_string!(i18n, tcss_conn_unchecked).to_owned(),
            "muted",
            why,
        )
    } else if checks
        .iter()
        .all(|c| c.conn_detect_status.as_deref() == Some(sync_status::SUCCESS))
    {
        (t_string!(i18n, tcss_conn_ok).to_owned(), "ok", None)
    } else {
        let raw = checks
            .iter()
            .filter_map(|c| c.conn_detect_status.clone())
            .next()
            .unwrap_or_default();
        (raw, "muted", None)
    };
    view! {
        <span class=format!("status {class}")>{label}</span>
        {why.map(|w| view! { <span class="fail-reason">{w}</span> })}
    }
}

#[component]
pub fn TcssRegistryTable(
    registries: Signal<Vec<TcssRegistry>>,
    total: Signal<i64>,
    #[prop(optional)] selectable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let list = registries.get();
        if list.is_empty() {
            return view! { <p class="empty">{t!(i18n, tcss_registries_empty)}</p> }.into_any();
        }
        let count = total.get();
        view! {
            <p class="count">{move || t_string!(i18n, registries_count, count = crate::format::number(i18n.get_locale(), count)).to_string()}</p>
            <div class="table-wrap">
                <table class="registries tcss">
                    <thead>
                        <tr>
                            {selectable.then(|| view! { <th scope="col" class="pick"><span class="sr-only">{t!(i18n, images_select)}</span></th> })}
                            <th scope="col">{t!(i18n, col_registry)}</th>
                            <th scope="col">{t!(i18n, col_type)}</th>
                            <th scope="col">{t!(i18n, col_address)}</th>
                            <th scope="col">{t!(i18n, col_region)}</th>
                            <th scope="col">{t!(i18n, col_sync_status)}</th>
                            <th scope="col">{t!(i18n, col_last_sync)}</th>
                            <th scope="col">{t!(i18n, col_fail_reason)}</th>
                            <th scope="col">{t!(i18n, registry_connection)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().map(|registry| view! { <TcssRegistryRow registry selectable /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    }
}

/// A checkbox adding the registry to "Sync selected", labelled by name.
fn pick(i18n: I18n, registry: &TcssRegistry) -> impl IntoView + use<> {
    let selection = expect_context::<TcssSelection>();
    let id = registry.registry_id;
    let name = registry.name.clone();
    let label = move || t_string!(i18n, images_select_one, image = &name).to_string();
    view! {
        <td class="pick">
            <input
                type="checkbox"
                aria-label=label
                prop:checked=move || selection.0.with(|s| s.contains(&id))
                on:change=move |_| {
                    selection.0.update(|s| {
                        if !s.remove(&id) {
                            s.insert(id);
                        }
                    });
                }
            />
        </td>
    }
}

#[component]
fn TcssRegistryRow(registry: TcssRegistry, selectable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let checkbox = selectable.then(|| pick(i18n, &registry));
    let state = registry.sync_status.clone().unwrap_or_default();
    let (label, class) = sync_state(i18n, &state);
    let reason = registry
        .sync_fail_reason
        .clone()
        .or_else(|| registry.sync_message.clone())
        .filter(|r| !r.is_empty() && state != sync_status::SUCCESS);
    let solution = registry
        .sync_solution
        .clone()
        .filter(|s| !s.is_empty() && reason.is_some());
    let kind = registry
        .registry_type
        .as_deref()
        .map(registry_type_label)
        .unwrap_or_default();
    let connection = connection(i18n, &registry);
    view! {
        <tr class="registry" data-registry-id=registry.registry_id.to_string() data-sync-status=state.clone()>
            {checkbox}
            <th scope="row">{registry.name}</th>
            <td>{kind}</td>
            <td class="address">{registry.url.unwrap_or_default()}</td>
            <td>{registry.registry_region.unwrap_or_default()}</td>
            <td><span class=format!("status {class}")>{(!state.is_empty()).then_some(label)}</span></td>
            <td>{tencent_time_view(registry.latest_sync_time)}</td>
            <td class="reason">
                {reason.map(|r| view! { <span class="fail-reason">{r}</span> })}
                {solution.map(|s| view! { <span class="hint">{t_string!(i18n, tcss_solution, solution = &s).to_string()}</span> })}
            </td>
            <td class="connection">{connection}</td>
        </tr>
    }
}
