//! The audit log: filters kept in the address, one page of entries newest
//! first, paging, and the CSV export with the same filters.

use super::audit_filters::{AuditFilters, PAGE_SIZE, page_count, param, range_text};
use super::data::AdminData;
use crate::components::common::moment::Moment;
use crate::components::error_notice::ErrorNotice;
use crate::server_fns::admin::AuditPage;
use leptos::prelude::*;
use leptos::web_sys::FormData;
use leptos_router::components::Form;
use scanport_wire::portal::{AuditEntry, Outcome};
use std::sync::Arc;

fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pending => "Pending",
        Outcome::Ok => "OK",
        Outcome::Failed => "Failed",
        Outcome::Denied => "Denied",
    }
}

fn outcome_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pending => "status warn",
        Outcome::Ok => "status ok",
        Outcome::Failed | Outcome::Denied => "status bad",
    }
}

/// The filter form: a plain GET form, so it works without JavaScript; with
/// it, the router navigates in place and the list refetches.
#[component]
fn AuditFilterForm(filters: Memo<AuditFilters>) -> impl IntoView {
    // Empty fields stay out of the address.
    let drop_empty: Arc<dyn Fn(&FormData)> = Arc::new(|data: &FormData| {
        for key in [
            param::ACTOR,
            param::ACTION,
            param::ACCOUNT,
            param::OUTCOME,
            param::FROM,
            param::TO,
        ] {
            if data
                .get(key)
                .as_string()
                .is_some_and(|v| v.trim().is_empty())
            {
                data.delete(key);
            }
        }
    });
    let initial = filters.get_untracked();
    let text_field = move |id: &'static str,
                           key: &'static str,
                           label: &'static str,
                           value: String,
                           pick: fn(&AuditFilters) -> String| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    name=key
                    value=value
                    prop:value=move || filters.with(pick)
                    autocomplete="off"
                    spellcheck="false"
                />
            </div>
        }
    };
    let date_field = move |id: &'static str,
                           key: &'static str,
                           label: &'static str,
                           value: String,
                           pick: fn(&AuditFilters) -> String| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=key type="date" value=value prop:value=move || filters.with(pick) />
            </div>
        }
    };
    view! {
        <Form method="GET" action="/admin" noscroll=true on_form_data=drop_empty>
            <fieldset class="audit-filters">
                <legend>"Filter the log"</legend>
                <div class="fields">
                    {text_field("audit-actor", param::ACTOR, "Actor", initial.actor.clone(), |f| f.actor.clone())}
                    {text_field("audit-action", param::ACTION, "Action", initial.action.clone(), |f| f.action.clone())}
                    {text_field("audit-account", param::ACCOUNT, "Cloud account", initial.account.clone(), |f| f.account.clone())}
                    <div class="field">
                        <label for="audit-outcome">"Outcome"</label>
                        <select id="audit-outcome" name=param::OUTCOME>
                            <option value="" selected=move || filters.with(|f| f.outcome.is_none())>
                                "Any outcome"
                            </option>
                            {Outcome::ALL
                                .into_iter()
                                .map(|o| {
                                    view! {
                                        <option
                                            value=o.as_str()
                                            selected=move || filters.with(|f| f.outcome == Some(o))
                                            prop:selected=move || filters.with(|f| f.outcome == Some(o))
                                        >
                                            {outcome_label(o)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    {date_field("audit-from", param::FROM, "From (UTC day)", initial.from.clone(), |f| f.from.clone())}
                    {date_field("audit-to", param::TO, "To (UTC day)", initial.to.clone(), |f| f.to.clone())}
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary">"Apply filters"</button>
                    <Show when=move || filters.with(AuditFilters::any)>
                        <a href="/admin#audit" class="button-link">"Clear filters"</a>
                    </Show>
                    <a
                        class="button-link export"
                        href=move || filters.with(AuditFilters::csv_href)
                        download="scanport-audit.csv"
                    >
                        "Export CSV"
                    </a>
                </div>
            </fieldset>
        </Form>
    }
}

#[component]
pub fn AuditLog(filters: Memo<AuditFilters>, data: Resource<AdminData>) -> impl IntoView {
    view! {
        <AuditFilterForm filters />
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading the audit log…"</p> }>
            {move || Suspend::new(async move {
                match data.await.audit {
                    Ok(page) => {
                        view! { <AuditTable page filters=filters.get_untracked() /> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AuditTable(page: AuditPage, filters: AuditFilters) -> impl IntoView {
    let AuditPage { entries, total } = page;
    if entries.is_empty() {
        let text = if total > 0 {
            "This page is past the end of the log."
        } else if filters.any() {
            "No entries match these filters. Widen the dates, check the actor's exact name, or clear the filters."
        } else {
            "Nothing recorded yet. Sign-ins, user and token changes, scans and syncs appear here as they happen."
        };
        let back = (total > 0 || filters.any()).then(|| {
            let href = if total > 0 {
                filters.href(1)
            } else {
                "/admin#audit".to_owned()
            };
            let label = if total > 0 {
                "Go to the first page"
            } else {
                "Clear the filters"
            };
            view! { " " <a href=href>{label}</a> }
        });
        return view! { <p class="empty">{text} {back}</p> }.into_any();
    }
    let pages = page_count(total);
    let of_pages = format!("(page {} of {pages})", filters.page);
    let current = filters.page;
    let range = range_text(current, entries.len(), total);
    let prev = (current > 1).then(|| filters.href(current - 1));
    let next =
        (i64::from(current) * i64::from(PAGE_SIZE) < total).then(|| filters.href(current + 1));
    view! {
        <div class="table-wrap">
            <table class="admin audit">
                <caption class="visually-hidden">"Audit log, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Actor"</th>
                        <th scope="col">"Via"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Upstream request ID"</th>
                        <th scope="col">"Detail"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|entry| view! { <AuditRow entry /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Audit log pages">
            <p class="count">
                {range}
                " "
                <span class="muted">{of_pages}</span>
            </p>
            {match prev {
                Some(href) => view! { <a href=href rel="prev">"Previous"</a> }.into_any(),
                None => view! { <span class="muted" aria-disabled="true">"Previous"</span> }.into_any(),
            }}
            {match next {
                Some(href) => view! { <a href=href rel="next">"Next"</a> }.into_any(),
                None => view! { <span class="muted" aria-disabled="true">"Next"</span> }.into_any(),
            }}
        </nav>
    }
    .into_any()
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let request = entry.request.clone().filter(|r| !r.is_empty());
    view! {
        <tr data-audit-id=entry.id.clone()>
            <td>
                <Moment ms=entry.at_ms />
            </td>
            <td class="actor">{entry.actor.clone()}</td>
            <td>{entry.via.clone()}</td>
            <td>
                <code>{entry.action.clone()}</code>
            </td>
            <td>{entry.account.clone().unwrap_or_default()}</td>
            <td>
                <span class=outcome_class(entry.outcome)>{outcome_label(entry.outcome)}</span>
            </td>
            <td>
                {entry.upstream_request_id.clone().map(|id| view! { <code class="request-id">{id}</code> })}
            </td>
            <td class="detail">
                {entry.detail.clone()}
                {request
                    .map(|r| {
                        view! {
                            <details>
                                <summary>"Request"</summary>
                                <code class="request">{r}</code>
                            </details>
                        }
                    })}
            </td>
        </tr>
    }
}
