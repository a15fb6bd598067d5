//! The audit log: filters kept in the address, one page of entries newest
//! first, paging, and the CSV export with the same filters.

use super::audit_filters::{AuditFilters, PAGE_SIZE, page_count, param, range_text};
use super::data::AdminData;
use crate::components::common::drawn_once::drawn_once;
use crate::components::common::moment::Moment;
use crate::components::error_notice::ErrorNotice;
use crate::i18n::*;
use crate::server_fns::admin::AuditPage;
use leptos::prelude::*;
use leptos::web_sys::FormData;
use leptos_router::components::Form;
use scanport_wire::portal::{AuditEntry, Outcome};
use std::sync::Arc;

fn outcome_label(locale: Locale, outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pending => td_string!(locale, outcome_pending),
        Outcome::Ok => td_string!(locale, outcome_ok),
        Outcome::Failed => td_string!(locale, outcome_failed),
        Outcome::Denied => td_string!(locale, outcome_denied),
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
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
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
                           label: fn(Locale) -> &'static str,
                           value: String,
                           pick: fn(&AuditFilters) -> String| {
        view! {
            <div class="field">
                <label for=id>{move || label(i18n.get_locale())}</label>
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
                           label: fn(Locale) -> &'static str,
                           value: String,
                           pick: fn(&AuditFilters) -> String| {
        view! {
            <div class="field">
                <label for=id>{move || label(i18n.get_locale())}</label>
                <input id=id name=key type="date" value=value prop:value=move || filters.with(pick) />
            </div>
        }
    };
    view! {
        <Form method="GET" action="/admin" noscroll=true on_form_data=drop_empty>
            <fieldset class="audit-filters">
                <legend>{t!(i18n, audit_filter_legend)}</legend>
                <div class="fields">
                    {text_field("audit-actor", param::ACTOR, |l| td_string!(l, audit_actor), initial.actor.clone(), |f| f.actor.clone())}
                    {text_field("audit-action", param::ACTION, |l| td_string!(l, audit_action), initial.action.clone(), |f| f.action.clone())}
                    {text_field("audit-account", param::ACCOUNT, |l| td_string!(l, audit_cloud_account), initial.account.clone(), |f| f.account.clone())}
                    <div class="field">
                        <label for="audit-outcome">{t!(i18n, audit_outcome)}</label>
                        <select id="audit-outcome" name=param::OUTCOME>
                            <option value="" selected=move || filters.with(|f| f.outcome.is_none())>
                                {td_string!(locale, audit_any_outcome)}
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
                                            {outcome_label(locale, o)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    {date_field("audit-from", param::FROM, |l| td_string!(l, audit_from), initial.from.clone(), |f| f.from.clone())}
                    {date_field("audit-to", param::TO, |l| td_string!(l, audit_to), initial.to.clone(), |f| f.to.clone())}
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary">{t!(i18n, filters_apply)}</button>
                    <Show when=move || filters.with(AuditFilters::any)>
                        <a href="/admin#audit" class="button-link">{t!(i18n, audit_clear_filters)}</a>
                    </Show>
                    <a
                        class="button-link export"
                        href=move || filters.with(AuditFilters::csv_href)
                        download="scanport-audit.csv"
                    >
                        {t!(i18n, audit_export_csv)}
                    </a>
                </div>
            </fieldset>
        </Form>
    }
}

#[component]
pub fn AuditLog(filters: Memo<AuditFilters>, data: Resource<AdminData>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AuditFilterForm filters />
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, audit_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                match data.await.audit {
                    Ok(page) => {
                        view! { <AuditTable page filters=filters.get_untracked() /> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
}

#[component]
fn AuditTable(page: AuditPage, filters: AuditFilters) -> impl IntoView {
    let i18n = use_i18n();
    let AuditPage { entries, total } = page;
    if entries.is_empty() {
        let any = filters.any();
        let text = move || {
            if total > 0 {
                t_string!(i18n, audit_past_end)
            } else if any {
                t_string!(i18n, audit_no_match)
            } else {
                t_string!(i18n, audit_nothing_yet)
            }
        };
        let back = (total > 0 || filters.any()).then(|| {
            let href = if total > 0 {
                filters.href(1)
            } else {
                "/admin#audit".to_owned()
            };
            let label = move || {
                if total > 0 {
                    t_string!(i18n, audit_first_page)
                } else {
                    t_string!(i18n, audit_clear_the_filters)
                }
            };
            view! { " " <a href=href>{label}</a> }
        });
        return view! { <p class="empty">{text} {back}</p> }.into_any();
    }
    let pages = page_count(total);
    let current = filters.page;
    let of_pages =
        move || t_string!(i18n, audit_page_of, page = current, pages = pages).to_string();
    let shown = entries.len();
    let range = move || range_text(i18n.get_locale(), current, shown, total);
    let prev = (current > 1).then(|| filters.href(current - 1));
    let next =
        (i64::from(current) * i64::from(PAGE_SIZE) < total).then(|| filters.href(current + 1));
    view! {
        <div class="table-wrap">
            <table class="admin audit">
                <caption class="visually-hidden">{t!(i18n, audit_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, audit_time)}</th>
                        <th scope="col">{t!(i18n, audit_actor)}</th>
                        <th scope="col">{t!(i18n, audit_via)}</th>
                        <th scope="col">{t!(i18n, audit_action)}</th>
                        <th scope="col">{t!(i18n, schedule_account)}</th>
                        <th scope="col">{t!(i18n, audit_outcome)}</th>
                        <th scope="col">{t!(i18n, audit_upstream_id)}</th>
                        <th scope="col">{t!(i18n, audit_detail)}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|entry| view! { <AuditRow entry /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, audit_pages)>
            <p class="count">
                {range}
                " "
                <span class="muted">{of_pages}</span>
            </p>
            {match prev {
                Some(href) => view! { <a href=href rel="prev">{t!(i18n, page_previous)}</a> }.into_any(),
                None => view! { <span class="muted" aria-disabled="true">{t!(i18n, page_previous)}</span> }.into_any(),
            }}
            {match next {
                Some(href) => view! { <a href=href rel="next">{t!(i18n, page_next)}</a> }.into_any(),
                None => view! { <span class="muted" aria-disabled="true">{t!(i18n, page_next)}</span> }.into_any(),
            }}
        </nav>
    }
    .into_any()
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = entry.outcome;
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
                <span class=outcome_class(outcome)>{move || outcome_label(i18n.get_locale(), outcome)}</span>
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
                                <summary>{t!(i18n, audit_request)}</summary>
                                <code class="request">{r}</code>
                            </details>
                        }
                    })}
            </td>
        </tr>
    }
}
