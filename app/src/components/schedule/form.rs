//! Editing the timing scan: every field of
//! `UpdateImageRegistryTimingScanTask`. The form checks the server's own
//! rules before sending and shows a refusal (its own or the server's)
//! beside the field it concerns; each save sends one `Idempotency-Key`.

use super::namespaces::NamespacePicker;
use super::rules::{Draft, SCOPES, ZONE, clock_hm, registry_type_label};
use super::save_state::{FieldProblem, SaveState};
use crate::components::admin::feedback::use_interactive;
use crate::error::AppError;
use crate::i18n::*;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use scanport_wire::tcss::{Acknowledged, ImageInfo, TimingScanTask, UpdateTimingScanRequest};

/// One save: the account, the request, and its idempotency key.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveSchedule {
    pub account: String,
    pub request: UpdateTimingScanRequest,
    pub key: String,
}

/// The page's save action (created with the page, so "Saved" outlives the
/// form, which is rebuilt from the schedule read back after a save).
pub type SaveAction = Action<SaveSchedule, Result<Acknowledged, AppError>>;

/// The request fields this form has a control for, and the id of the
/// control an error of each belongs beside.
const FIELDS: &[(&str, &str)] = &[
    ("Enable", "sched-enable"),
    ("ScanPeriod", "sched-period"),
    ("ScanTime", "sched-time"),
    ("ScanEndTime", "sched-end"),
    ("ScanType", "sched-types"),
    ("ScanScope", "sched-scope"),
    ("All", "sched-scope"),
    ("Images", "sched-images"),
    ("Id", "sched-images"),
    ("Latest", "sched-latest"),
    ("ContainerRunning", "sched-running"),
    ("RegistryType", "sched-registries"),
    ("Namespace", "sched-namespaces"),
    ("ExcludeImageAssetIds", "sched-exclude"),
];

/// The control a request field's error belongs to.
fn control_of(field: &str) -> Option<&'static str> {
    FIELDS.iter().find(|(f, _)| *f == field).map(|(_, id)| *id)
}

#[component]
pub fn ScheduleForm(account: String, task: TimingScanTask, save: SaveAction) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = use_interactive();
    let initial = Draft::from_task(&task);
    let known: Vec<ImageInfo> = task.images.clone();
    let current_end = task.scan_end_time.as_deref().map(clock_hm);

    let enable = RwSignal::new(initial.enable);
    let period = RwSignal::new(initial.period.clone());
    let time = RwSignal::new(initial.time.clone());
    let end_time = RwSignal::new(initial.end_time.clone());
    let cve = RwSignal::new(initial.cve);
    let virus = RwSignal::new(initial.virus);
    let risk = RwSignal::new(initial.risk);
    let scope = RwSignal::new(initial.scope.clone());
    let images = RwSignal::new(initial.images.clone());
    let latest = RwSignal::new(initial.latest);
    let running = RwSignal::new(initial.container_running);
    let tcr = RwSignal::new(initial.tcr);
    let ccr = RwSignal::new(initial.ccr);
    let harbor = RwSignal::new(initial.harbor);
    // The schedule's registry kinds without a box of their own (an open
    // set): one box each, checked, so they are kept unless unticked.
    let others: Vec<(String, RwSignal<bool>)> = initial
        .other_registries
        .iter()
        .map(|(kind, on)| (kind.clone(), RwSignal::new(*on)))
        .collect();
    let namespaces = RwSignal::new(initial.namespaces.clone());
    let exclude = RwSignal::new(initial.exclude.clone());

    let draft_others = others.clone();
    let draft = move || Draft {
        enable: enable.get_untracked(),
        period: period.get_untracked(),
        time: time.get_untracked(),
        end_time: end_time.get_untracked(),
        cve: cve.get_untracked(),
        virus: virus.get_untracked(),
        risk: risk.get_untracked(),
        scope: scope.get_untracked(),
        images: images.get_untracked(),
        latest: latest.get_untracked(),
        container_running: running.get_untracked(),
        tcr: tcr.get_untracked(),
        ccr: ccr.get_untracked(),
        harbor: harbor.get_untracked(),
        other_registries: draft_others
            .iter()
            .map(|(kind, on)| (kind.clone(), on.get_untracked()))
            .collect(),
        namespaces: namespaces.get_untracked(),
        exclude: exclude.get_untracked(),
    };
    let reset = {
        let initial = initial.clone();
        let others = others.clone();
        move |_| {
            let d = initial.clone();
            enable.set(d.enable);
            period.set(d.period);
            time.set(d.time);
            end_time.set(d.end_time);
            cve.set(d.cve);
            virus.set(d.virus);
            risk.set(d.risk);
            scope.set(d.scope);
            images.set(d.images);
            latest.set(d.latest);
            running.set(d.container_running);
            tcr.set(d.tcr);
            ccr.set(d.ccr);
            harbor.set(d.harbor);
            for ((_, on), (_, was)) in others.iter().zip(&d.other_registries) {
                on.set(*was);
            }
            namespaces.set(d.namespaces);
            exclude.set(d.exclude);
        }
    };

    let state = SaveState::new(save, control_of);
    let error_at = move |id: &'static str| state.error_at(id);
    let form_error = move || state.form_error();
    let busy = move || state.busy();
    let status = move || state.status(i18n);

    let on_submit = {
        let account = account.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if state.busy_untracked() {
                return;
            }
            let checked = draft().to_request_in(i18n.get_locale_untracked(), &known);
            if state.check(&checked)
                && let Ok(request) = checked
            {
                save.dispatch(SaveSchedule {
                    account: account.clone(),
                    request,
                    // One key per submitted edit.
                    key: crate::components::common::idempotency::new_key(),
                });
            }
        }
    };

    let period_error = error_at("sched-period");
    let time_error = error_at("sched-time");
    let end_error = error_at("sched-end");
    let types_error = error_at("sched-types");
    let scope_error = error_at("sched-scope");
    let images_error = error_at("sched-images");
    let latest_error = error_at("sched-latest");
    let running_error = error_at("sched-running");
    let registries_error = error_at("sched-registries");
    let namespaces_error = error_at("sched-namespaces");
    let exclude_error = error_at("sched-exclude");
    let enable_error = error_at("sched-enable");

    let end_note = move || {
        let end = current_end.clone()?;
        end_time
            .with(|typed| typed.trim().is_empty())
            .then(|| t_string!(i18n, schedule_end_kept, end = &end).to_string())
    };

    view! {
        <p class="hint schedule-needs-script" hidden=move || interactive.get()>
            {t!(i18n, schedule_needs_js)}
        </p>
        <form
            class="schedule-form"
            aria-labelledby="schedule-edit-title"
            novalidate
            hidden=move || !interactive.get()
            on:submit=on_submit
        >
            <h2 id="schedule-edit-title">{t!(i18n, schedule_edit_title)}</h2>
            <p class="hint">
                {t!(i18n, schedule_form_zone_note, zone = ZONE)}
            </p>

            <fieldset class="schedule-body" disabled=busy>
            <fieldset class="schedule-group">
                <legend>{t!(i18n, schedule_form_when)}</legend>
                <div class="schedule-check">
                    <input id="sched-enable" type="checkbox" bind:checked=enable />
                    <label for="sched-enable">{t!(i18n, schedule_form_enable)}</label>
                </div>
                <FieldProblem id="sched-enable" error=enable_error />
                <div class="schedule-fields">
                    <div class="field">
                        <label for="sched-period">{t!(i18n, schedule_form_every_days)}</label>
                        <input
                            id="sched-period"
                            type="number"
                            inputmode="numeric"
                            min="1"
                            max="365"
                            step="1"
                            required
                            aria-invalid=move || period_error.get().map(|_| "true")
                            aria-describedby="sched-period-hint sched-period-error"
                            bind:value=period
                        />
                        <p id="sched-period-hint" class="hint">{t!(i18n, schedule_form_period_hint)}</p>
                        <FieldProblem id="sched-period" error=period_error />
                    </div>
                    <div class="field">
                        <label for="sched-time">{t!(i18n, schedule_form_at, zone = ZONE)}</label>
                        <input
                            id="sched-time"
                            type="text"
                            inputmode="numeric"
                            placeholder="HH:MM"
                            autocomplete="off"
                            spellcheck="false"
                            maxlength="8"
                            required
                            aria-invalid=move || time_error.get().map(|_| "true")
                            aria-describedby="sched-time-hint sched-time-error"
                            bind:value=time
                        />
                        <p id="sched-time-hint" class="hint">{t!(i18n, schedule_form_time_hint, zone = ZONE)}</p>
                        <FieldProblem id="sched-time" error=time_error />
                    </div>
                    <div class="field">
                        <label for="sched-end">{t!(i18n, schedule_form_end, zone = ZONE)}</label>
                        <input
                            id="sched-end"
                            type="text"
                            inputmode="numeric"
                            placeholder="HH:MM"
                            autocomplete="off"
                            spellcheck="false"
                            maxlength="8"
                            aria-invalid=move || end_error.get().map(|_| "true")
                            aria-describedby="sched-end-hint sched-end-error"
                            bind:value=end_time
                        />
                        <p id="sched-end-hint" class="hint">
                            {move || end_note().unwrap_or_else(|| t_string!(i18n, schedule_end_hint).to_owned())}
                        </p>
                        <FieldProblem id="sched-end" error=end_error />
                    </div>
                </div>
            </fieldset>

            <fieldset
                id="sched-types"
                class="schedule-group"
                tabindex="-1"
                aria-invalid=move || types_error.get().map(|_| "true")
                aria-describedby="sched-types-error"
            >
                <legend>{t!(i18n, schedule_form_look_for)}</legend>
                <div class="schedule-choices">
                    <label><input type="checkbox" bind:checked=cve />{t!(i18n, schedule_form_cve)}</label>
                    <label><input type="checkbox" bind:checked=virus />{t!(i18n, schedule_form_virus)}</label>
                    <label><input type="checkbox" bind:checked=risk />{t!(i18n, schedule_form_risk)}</label>
                </div>
                <FieldProblem id="sched-types" error=types_error />
            </fieldset>

            <fieldset
                id="sched-scope"
                class="schedule-group"
                tabindex="-1"
                aria-describedby="sched-scope-error"
            >
                <legend>{t!(i18n, schedule_form_which)}</legend>
                <div class="schedule-choices scopes">
                    {SCOPES
                        .iter()
                        .map(|(number, label, hint)| {
                            let value = number.to_string();
                            view! {
                                <label>
                                    <input type="radio" name="sched-scope" value=value bind:group=scope />
                                    <span>
                                        <span class="choice-label">{scope_label(i18n, *number, label)}</span>
                                        <span class="choice-hint">{scope_hint(i18n, *number, hint)}</span>
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <FieldProblem id="sched-scope" error=scope_error />
                <div class="field wide" hidden=move || scope.get() != "1" && images_error.get().is_none()>
                    <label for="sched-images">{t!(i18n, schedule_form_chosen)}</label>
                    <textarea
                        id="sched-images"
                        rows="4"
                        spellcheck="false"
                        aria-invalid=move || images_error.get().map(|_| "true")
                        aria-describedby="sched-images-hint sched-images-error"
                        bind:value=images
                    ></textarea>
                    <p id="sched-images-hint" class="hint">
                        {t!(i18n, schedule_form_images_hint_before)} <code>"namespace/name:tag"</code> {t!(i18n, schedule_form_images_hint_after)}
                    </p>
                    <FieldProblem id="sched-images" error=images_error />
                </div>
                <div class="schedule-check">
                    <input id="sched-latest" type="checkbox" bind:checked=latest />
                    <label for="sched-latest">{t!(i18n, schedule_form_latest)}</label>
                </div>
                <FieldProblem id="sched-latest" error=latest_error />
                <div class="schedule-check">
                    <input id="sched-running" type="checkbox" bind:checked=running />
                    <label for="sched-running">{t!(i18n, schedule_form_running)}</label>
                </div>
                <FieldProblem id="sched-running" error=running_error />
            </fieldset>

            <fieldset class="schedule-group">
                <legend>{t!(i18n, schedule_form_where)}</legend>
                <div
                    id="sched-registries"
                    class="schedule-choices"
                    role="group"
                    aria-label=move || t_string!(i18n, schedule_form_registry_kinds)
                    tabindex="-1"
                    aria-describedby="sched-registries-hint sched-registries-error"
                >
                    <span class="choices-title">{t!(i18n, schedule_form_registry_kinds)}</span>
                    <label><input type="checkbox" bind:checked=tcr />"TCR"</label>
                    <label><input type="checkbox" bind:checked=ccr />"CCR"</label>
                    <label><input type="checkbox" bind:checked=harbor />"Harbor"</label>
                    {others
                        .iter()
                        .map(|(kind, on)| {
                            let on = *on;
                            view! { <label><input type="checkbox" bind:checked=on />{registry_type_label(kind)}</label> }
                        })
                        .collect_view()}
                </div>
                <p id="sched-registries-hint" class="hint">{t!(i18n, schedule_form_registries_hint)}</p>
                <FieldProblem id="sched-registries" error=registries_error />
                <div class="schedule-fields">
                    <div class="field">
                        <div
                            id="sched-namespaces"
                            class="schedule-choices"
                            role="group"
                            aria-label=move || t_string!(i18n, schedule_form_namespaces)
                            tabindex="-1"
                            aria-invalid=move || namespaces_error.get().map(|_| "true")
                            aria-describedby="sched-namespaces-hint sched-namespaces-error"
                        >
                            <span class="choices-title">{t!(i18n, schedule_form_namespaces)}</span>
                            <NamespacePicker account=account.clone() chosen=namespaces />
                        </div>
                        <p id="sched-namespaces-hint" class="hint">{t!(i18n, schedule_form_namespaces_hint)}</p>
                        <FieldProblem id="sched-namespaces" error=namespaces_error />
                    </div>
                    <div class="field">
                        <label for="sched-exclude">{t!(i18n, schedule_form_exclude)}</label>
                        <input
                            id="sched-exclude"
                            type="text"
                            inputmode="numeric"
                            autocomplete="off"
                            spellcheck="false"
                            aria-invalid=move || exclude_error.get().map(|_| "true")
                            aria-describedby="sched-exclude-hint sched-exclude-error"
                            bind:value=exclude
                        />
                        <p id="sched-exclude-hint" class="hint">{t!(i18n, schedule_form_exclude_hint)}</p>
                        <FieldProblem id="sched-exclude" error=exclude_error />
                    </div>
                </div>
            </fieldset>

            {form_error}
            <div class="schedule-actions">
                <button type="submit" class="primary">{t!(i18n, schedule_form_save)}</button>
                <button type="button" class="secondary" on:click=reset>{t!(i18n, schedule_form_undo)}</button>
                <p class="schedule-status" role="status" aria-live="polite">{status}</p>
            </div>
            </fieldset>
        </form>
    }
    .into_any()
}

/// A scope's name in the viewer's language (`rules::SCOPES` keeps the
/// English one for tests and logs).
fn scope_label(i18n: I18n, scope: i64, english: &'static str) -> String {
    match scope {
        0 => t_string!(i18n, schedule_scope_all).to_string(),
        1 => t_string!(i18n, schedule_scope_chosen).to_string(),
        2 => t_string!(i18n, schedule_scope_recommended).to_string(),
        _ => english.to_owned(),
    }
}

fn scope_hint(i18n: I18n, scope: i64, english: &'static str) -> String {
    match scope {
        0 => t_string!(i18n, schedule_scope_all_hint).to_string(),
        1 => t_string!(i18n, schedule_scope_chosen_hint).to_string(),
        2 => t_string!(i18n, schedule_scope_recommended_hint).to_string(),
        _ => english.to_owned(),
    }
}
