//! Editing the HSS scan policy: every field of `ModifyImageScanPolicy`
//! (`CycleImageScanPolicyReqInfo`). Like the TCSS form, it checks the
//! server's own rules before sending, shows a refusal beside its field,
//! and sends one `Idempotency-Key` per save.

use super::policy_rules::{PolicyDraft, kind_choice};
use super::save_state::{FieldProblem, SaveState};
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::Empty;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use scanport_wire::hss::{
    SCAN_CYCLES, SCOPE_KINDS, ScanPolicy, TIME_SCOPES, UpdateScanPolicyRequest,
};

/// One save: the account, the request, and its idempotency key.
#[derive(Debug, Clone, PartialEq)]
pub struct SavePolicy {
    pub account: String,
    pub request: UpdateScanPolicyRequest,
    pub key: String,
}

/// The page's save action for the HSS policy.
pub type PolicySaveAction = Action<SavePolicy, Result<Empty, AppError>>;

/// The control a request field's error belongs beside.
fn control_of(field: &str) -> Option<&'static str> {
    Some(match field {
        "enabled" => "policy-enable",
        "scan_cycle" => "policy-cycle",
        "scan_scope" => "policy-kinds",
        "time_scope" => "policy-age",
        "rate_limit" => "policy-rate",
        f if f.starts_with("registry_info") => "policy-registries",
        _ => return None,
    })
}

#[component]
pub fn PolicyForm(account: String, policy: ScanPolicy, save: PolicySaveAction) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = crate::components::admin::feedback::use_interactive();
    let initial = PolicyDraft::from_policy(&policy);
    let enabled = RwSignal::new(initial.enabled);
    let cycle = RwSignal::new(initial.cycle.clone());
    let kinds = initial.kinds.map(RwSignal::new);
    let age = RwSignal::new(initial.age.clone());
    let rate = RwSignal::new(initial.rate.clone());
    let registries: Vec<_> = initial
        .registries
        .iter()
        .map(|(r, on)| (r.clone(), RwSignal::new(*on)))
        .collect();

    let draft = {
        let registries = registries.clone();
        move || PolicyDraft {
            enabled: enabled.get_untracked(),
            cycle: cycle.get_untracked(),
            kinds: kinds.map(|k| k.get_untracked()),
            age: age.get_untracked(),
            rate: rate.get_untracked(),
            registries: registries
                .iter()
                .map(|(r, on)| (r.clone(), on.get_untracked()))
                .collect(),
        }
    };
    let reset = {
        let registries = registries.clone();
        move |_| {
            enabled.set(initial.enabled);
            cycle.set(initial.cycle.clone());
            for (signal, was) in kinds.iter().zip(initial.kinds) {
                signal.set(was);
            }
            age.set(initial.age.clone());
            rate.set(initial.rate.clone());
            for ((_, on), (_, was)) in registries.iter().zip(&initial.registries) {
                on.set(*was);
            }
        }
    };

    let state = SaveState::new(save, control_of);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.busy_untracked() {
            return;
        }
        let checked = draft().to_request_in(i18n.get_locale_untracked());
        if state.check(&checked)
            && let Ok(request) = checked
        {
            save.dispatch(SavePolicy {
                account: account.clone(),
                request,
                // One key per submitted edit.
                key: crate::components::common::idempotency::new_key(),
            });
        }
    };
    let cycle_error = state.error_at("policy-cycle");
    let kinds_error = state.error_at("policy-kinds");
    let age_error = state.error_at("policy-age");
    let rate_error = state.error_at("policy-rate");
    let registries_error = state.error_at("policy-registries");
    let enable_error = state.error_at("policy-enable");

    view! {
        <p class="hint schedule-needs-script" hidden=move || interactive.get()>
            {t!(i18n, schedule_needs_js)}
        </p>
        <form
            class="schedule-form"
            aria-labelledby="policy-edit-title"
            novalidate
            hidden=move || !interactive.get()
            on:submit=on_submit
        >
            <h2 id="policy-edit-title">{t!(i18n, hss_form_title)}</h2>
            <fieldset class="schedule-body" disabled=move || state.busy()>
            <fieldset class="schedule-group">
                <legend>{t!(i18n, schedule_form_when)}</legend>
                <div class="schedule-check">
                    <input id="policy-enable" type="checkbox" bind:checked=enabled />
                    <label for="policy-enable">{t!(i18n, schedule_form_enable)}</label>
                </div>
                <FieldProblem id="policy-enable" error=enable_error />
                <div class="schedule-fields">
                    <div class="field">
                        <label for="policy-cycle">{t!(i18n, hss_form_every)}</label>
                        <select
                            id="policy-cycle"
                            aria-invalid=move || cycle_error.get().map(|_| "true")
                            aria-describedby="policy-cycle-error"
                            bind:value=cycle
                        >
                            {SCAN_CYCLES
                                .iter()
                                .map(|n| {
                                    let n = *n;
                                    view! {
                                        <option value=n.to_string() selected=move || cycle.get() == n.to_string()>
                                            {move || t_string!(i18n, hss_form_days, n = n).to_string()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <FieldProblem id="policy-cycle" error=cycle_error />
                    </div>
                    <div class="field">
                        <label for="policy-age">{t!(i18n, hss_form_age)}</label>
                        <select
                            id="policy-age"
                            aria-invalid=move || age_error.get().map(|_| "true")
                            aria-describedby="policy-age-error"
                            bind:value=age
                        >
                            {TIME_SCOPES
                                .iter()
                                .map(|n| {
                                    let n = *n;
                                    let label = move || match n {
                                        0 => t_string!(i18n, hss_form_age_all).to_string(),
                                        1 => t_string!(i18n, hss_form_age_day).to_string(),
                                        n => t_string!(i18n, hss_form_age_days, n = n).to_string(),
                                    };
                                    view! {
                                        <option value=n.to_string() selected=move || age.get() == n.to_string()>
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <FieldProblem id="policy-age" error=age_error />
                    </div>
                    <div class="field">
                        <label for="policy-rate">{t!(i18n, hss_form_rate)}</label>
                        <input
                            id="policy-rate"
                            type="number"
                            inputmode="numeric"
                            min="0"
                            max="1000"
                            step="1"
                            required
                            aria-invalid=move || rate_error.get().map(|_| "true")
                            aria-describedby="policy-rate-hint policy-rate-error"
                            bind:value=rate
                        />
                        <p id="policy-rate-hint" class="hint">{t!(i18n, hss_form_rate_hint)}</p>
                        <FieldProblem id="policy-rate" error=rate_error />
                    </div>
                </div>
            </fieldset>

            <fieldset
                id="policy-kinds"
                class="schedule-group"
                tabindex="-1"
                aria-invalid=move || kinds_error.get().map(|_| "true")
                aria-describedby="policy-kinds-error"
            >
                <legend>{t!(i18n, schedule_form_look_for)}</legend>
                <div class="schedule-choices">
                    {SCOPE_KINDS
                        .iter()
                        .zip(kinds)
                        .map(|(kind, on)| {
                            let kind = *kind;
                            view! {
                                <label>
                                    <input type="checkbox" bind:checked=on />
                                    {move || kind_choice(i18n.get_locale(), kind)}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <FieldProblem id="policy-kinds" error=kinds_error />
            </fieldset>

            <fieldset
                id="policy-registries"
                class="schedule-group"
                tabindex="-1"
                aria-invalid=move || registries_error.get().map(|_| "true")
                aria-describedby="policy-registries-hint policy-registries-error"
            >
                <legend>{t!(i18n, hss_form_registries)}</legend>
                <div class="schedule-choices">
                    {registries
                        .iter()
                        .map(|(r, on)| {
                            let on = *on;
                            view! {
                                <label>
                                    <input type="checkbox" bind:checked=on />
                                    {r.registry_name.clone()}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <p id="policy-registries-hint" class="hint">{t!(i18n, hss_form_registries_hint)}</p>
                <FieldProblem id="policy-registries" error=registries_error />
            </fieldset>

            {move || state.form_error()}
            <div class="schedule-actions">
                <button type="submit" class="primary">{t!(i18n, schedule_form_save)}</button>
                <button type="button" class="secondary" on:click=reset>{t!(i18n, schedule_form_undo)}</button>
                <p class="schedule-status" role="status" aria-live="polite">{move || state.status(i18n)}</p>
            </div>
            </fieldset>
        </form>
    }
    .into_any()
}
