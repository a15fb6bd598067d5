//! The timing scan as a sentence, its time zone, the last scan and its
//! result, and the next run in the viewer's own time.

use super::rules::{
    ZONE, join_and, next_run, parse_tencent_time, registry_type_label, scan_result_label, sentence,
};
use crate::components::common::moment::Moment;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::tcss::TimingScanTask;

#[component]
pub fn ScheduleSummary(
    task: TimingScanTask,
    /// The moment the schedule was read, for the next run.
    now_ms: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = {
        let task = task.clone();
        move || sentence(i18n.get_locale(), &task)
    };
    let next = next_run(&task, now_ms);
    let enabled = task.enable;
    let state = move || {
        if enabled {
            t_string!(i18n, schedule_on)
        } else {
            t_string!(i18n, schedule_off)
        }
    };
    let last_text = task
        .last_scan_time
        .clone()
        .filter(|t| !t.is_empty() && !t.starts_with("0000"));
    let last = last_text.as_deref().and_then(parse_tencent_time);
    let last_view = match (last, last_text) {
        (Some(ms), _) => view! { <Moment ms /> }.into_any(),
        (None, Some(raw)) => view! { <span>{format!("{raw} ({ZONE})")}</span> }.into_any(),
        (None, None) => view! { <span class="muted">{t!(i18n, schedule_never)}</span> }.into_any(),
    };
    let result = match task.scan_result.clone().filter(|r| !r.is_empty()) {
        Some(r) => {
            let class = match r.as_str() {
                "Success" => "status ok",
                "InsufficientLicense" | "ImageNeedIsEmpty" => "status warn",
                _ => "status bad",
            };
            let label = move || scan_result_label(i18n.get_locale(), &r);
            view! { <span class=class>{label}</span> }.into_any()
        }
        None => view! { <span class="muted">{t!(i18n, schedule_none_yet)}</span> }.into_any(),
    };
    let next_view = match next {
        Some(ms) => view! { <Moment ms /> }.into_any(),
        None if !task.enable => {
            view! { <span class="muted">{t!(i18n, schedule_next_off)}</span> }.into_any()
        }
        None => view! { <span class="muted">{t!(i18n, schedule_next_unknown)}</span> }.into_any(),
    };
    let registries: Vec<String> = task
        .registry_type
        .iter()
        .map(|r| registry_type_label(r))
        .collect();
    let registries = move || {
        if registries.is_empty() {
            t_string!(i18n, schedule_any_registry).to_owned()
        } else {
            join_and(i18n.get_locale(), &registries)
        }
    };
    view! {
        <section class="schedule-card" aria-labelledby="schedule-heading">
            <div class="schedule-card-head">
                <h2 id="schedule-heading">{t!(i18n, schedule_heading)}</h2>
                <span class=if task.enable { "schedule-state on" } else { "schedule-state off" }>
                    {state}
                </span>
            </div>
            <p class="schedule-sentence">{text}</p>
            <p class="schedule-zone">
                {t!(i18n, schedule_zone_before)}
                <strong>{ZONE}</strong>
                {t!(i18n, schedule_zone_after)}
            </p>
            <dl class="schedule-facts">
                <div class="fact next-run">
                    <dt>{t!(i18n, schedule_next_run)}</dt>
                    <dd>{next_view}</dd>
                </div>
                <div class="fact last-scan">
                    <dt>{t!(i18n, col_last_scan)}</dt>
                    <dd>{last_view}</dd>
                </div>
                <div class="fact last-result">
                    <dt>{t!(i18n, schedule_last_result)}</dt>
                    <dd>{result}</dd>
                </div>
                <div class="fact registries">
                    <dt>{t!(i18n, schedule_registry_kinds)}</dt>
                    <dd>{registries}</dd>
                </div>
            </dl>
        </section>
    }
    .into_any()
}
