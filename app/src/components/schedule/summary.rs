//! The timing scan as a sentence, its time zone, the last scan and its
//! result, and the next run in the viewer's own time.

use super::rules::{
    ZONE, join_and, next_run, parse_tencent_time, registry_type_label, scan_result_label, sentence,
};
use crate::components::common::moment::Moment;
use leptos::prelude::*;
use scanport_wire::tcss::TimingScanTask;

#[component]
pub fn ScheduleSummary(
    task: TimingScanTask,
    /// The moment the schedule was read, for the next run.
    now_ms: i64,
) -> impl IntoView {
    let text = sentence(&task);
    let next = next_run(&task, now_ms);
    let state = if task.enable { "On" } else { "Off" };
    let last_text = task
        .last_scan_time
        .clone()
        .filter(|t| !t.is_empty() && !t.starts_with("0000"));
    let last = last_text.as_deref().and_then(parse_tencent_time);
    let last_view = match (last, last_text) {
        (Some(ms), _) => view! { <Moment ms /> }.into_any(),
        (None, Some(raw)) => view! { <span>{format!("{raw} ({ZONE})")}</span> }.into_any(),
        (None, None) => view! { <span class="muted">"Never"</span> }.into_any(),
    };
    let result = match task.scan_result.clone().filter(|r| !r.is_empty()) {
        Some(r) => {
            let class = match r.as_str() {
                "Success" => "status ok",
                "InsufficientLicense" | "ImageNeedIsEmpty" => "status warn",
                _ => "status bad",
            };
            view! { <span class=class>{scan_result_label(&r)}</span> }.into_any()
        }
        None => view! { <span class="muted">"None yet"</span> }.into_any(),
    };
    let next_view = match next {
        Some(ms) => view! { <Moment ms /> }.into_any(),
        None if !task.enable => {
            view! { <span class="muted">"None: scheduled scans are off"</span> }.into_any()
        }
        None => {
            view! { <span class="muted">"Unknown: the scan time cannot be read"</span> }.into_any()
        }
    };
    let registries: Vec<String> = task
        .registry_type
        .iter()
        .map(|r| registry_type_label(r))
        .collect();
    let registries = if registries.is_empty() {
        "Any kind".to_owned()
    } else {
        join_and(&registries)
    };
    view! {
        <section class="schedule-card" aria-labelledby="schedule-heading">
            <div class="schedule-card-head">
                <h2 id="schedule-heading">"Timing scan of registry images"</h2>
                <span class=if task.enable { "schedule-state on" } else { "schedule-state off" }>
                    {state}
                </span>
            </div>
            <p class="schedule-sentence">{text}</p>
            <p class="schedule-zone">
                "Scan times are China Standard Time ("
                <strong>{ZONE}</strong>
                "), the zone Tencent Cloud's console schedules in. Other times on this page are in your own time zone once it has loaded."
            </p>
            <dl class="schedule-facts">
                <div class="fact next-run">
                    <dt>"Next run"</dt>
                    <dd>{next_view}</dd>
                </div>
                <div class="fact last-scan">
                    <dt>"Last scan"</dt>
                    <dd>{last_view}</dd>
                </div>
                <div class="fact last-result">
                    <dt>"Last result"</dt>
                    <dd>{result}</dd>
                </div>
                <div class="fact registries">
                    <dt>"Registry kinds"</dt>
                    <dd>{registries}</dd>
                </div>
            </dl>
        </section>
    }
    .into_any()
}
