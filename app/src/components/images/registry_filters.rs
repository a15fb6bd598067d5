//! The filters of an HSS account's third-party registry images: a GET
//! form (the filters live in the URL and work without JavaScript). The
//! registry is chosen by name from the account's registries.

use super::filters::image_type_field;
use super::registry_query::{RegistryImageFilters, THIRD_PARTY};
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::{Registry, SeverityLevel};

/// A severity level in the page's language.
pub fn severity_label(i18n: I18n, level: SeverityLevel) -> &'static str {
    match level {
        SeverityLevel::Security => t_string!(i18n, severity_security),
        SeverityLevel::Low => t_string!(i18n, severity_low),
        SeverityLevel::Medium => t_string!(i18n, severity_medium),
        SeverityLevel::High => t_string!(i18n, severity_high),
    }
}

#[component]
pub fn RegistryFilterForm(
    filters: RegistryImageFilters,
    account: String,
    /// The registries to choose from, and the one shown.
    registries: Vec<Registry>,
    chosen: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let clear = format!(
        "/images?image_type={THIRD_PARTY}&account={}",
        crate::format::url_encode(&account)
    );
    let severity = filters.severity.map(|s| s.as_str()).unwrap_or_default();
    let risky = match filters.risky {
        Some(true) => "1",
        Some(false) => "0",
        None => "",
    };
    let choice = |value: &'static str, label: &'static str, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <form method="get" action="/images" class="filters" aria-label=move || t_string!(i18n, filters_label)>
            <input type="hidden" name="account" value=account />
            {image_type_field(i18n, THIRD_PARTY)}
            <div class="field">
                <label for="f-registry">{t!(i18n, col_registry)}</label>
                <select id="f-registry" name="registry">
                    {registries
                        .into_iter()
                        .map(|r| {
                            let selected = r.registry_name == chosen;
                            let kind = crate::components::registries::registry_table::registry_type_label(&r.registry_type).to_owned();
                            let label = format!("{} ({kind})", r.registry_name);
                            view! { <option value=r.registry_name selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-severity">{t!(i18n, col_severity)}</label>
                <select id="f-severity" name="severity">
                    {choice("", t_string!(i18n, filters_any), severity)}
                    {SeverityLevel::ALL
                        .iter()
                        .map(|s| choice(s.as_str(), severity_label(i18n, *s), severity))
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-risky">{t!(i18n, filters_findings)}</label>
                <select id="f-risky" name="risky">
                    {choice("", t_string!(i18n, filters_any), risky)}
                    {choice("1", t_string!(i18n, filters_risky_yes), risky)}
                    {choice("0", t_string!(i18n, filters_risky_no), risky)}
                </select>
            </div>
            <fieldset class="checks">
                <legend>{t!(i18n, filters_order)}</legend>
                <label>
                    <input type="checkbox" name="newest" value="1" checked=filters.newest_first />
                    {t!(i18n, filters_newest_scans_first)}
                </label>
            </fieldset>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, filters_apply)}</button>
                <a href=clear class="link">{t!(i18n, filters_clear)}</a>
            </div>
        </form>
    }
}
