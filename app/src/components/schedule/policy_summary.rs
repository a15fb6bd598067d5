//! The HSS scan policy as a sentence, and the registries it scans.

use super::policy_rules::sentence;
use super::rules::join_and;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::ScanPolicy;

#[component]
pub fn PolicySummary(policy: ScanPolicy) -> impl IntoView {
    let i18n = use_i18n();
    let enabled = policy.enabled.unwrap_or(false);
    let state = move || {
        if enabled {
            t_string!(i18n, schedule_on)
        } else {
            t_string!(i18n, schedule_off)
        }
    };
    let names: Vec<String> = policy
        .selected()
        .map(|r| {
            r.registry_name
                .clone()
                .or_else(|| r.registry_id.clone())
                .unwrap_or_default()
        })
        .collect();
    let every = !names.is_empty() && names.len() == policy.registry_list.len();
    let count = names.len();
    let registries = move || {
        let locale = i18n.get_locale();
        match names.len() {
            0 => td_string!(locale, hss_policy_no_registry).to_owned(),
            _ if every => td_string!(locale, hss_policy_all_registries, count = count).to_string(),
            _ => join_and(locale, &names),
        }
    };
    let text = move || sentence(i18n.get_locale(), &policy);
    view! {
        <section class="schedule-card" aria-labelledby="schedule-heading">
            <div class="schedule-card-head">
                <h2 id="schedule-heading">{t!(i18n, hss_policy_heading)}</h2>
                <span class=if enabled { "schedule-state on" } else { "schedule-state off" }>
                    {state}
                </span>
            </div>
            <p class="schedule-sentence">{text}</p>
            <dl class="schedule-facts">
                <div class="fact registries">
                    <dt>{t!(i18n, hss_policy_registries)}</dt>
                    <dd>{registries}</dd>
                </div>
            </dl>
        </section>
    }
    .into_any()
}
