//! The image filters: a GET form, so the filters live in the URL (shared
//! links and reloads keep them) and work without JavaScript.

use super::query::ImageFilters;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::ScanStatus;

/// The image-type choice of an HSS account: SWR's three lists, or the
/// images of its third-party registries.
pub fn image_type_field(i18n: I18n, current: &str) -> impl IntoView + use<> {
    let option = |value: &'static str, label: &'static str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <div class="field">
            <label for="f-image-type">{t!(i18n, filters_image_type)}</label>
            <select id="f-image-type" name="image_type">
                {option("private_image", t_string!(i18n, filters_type_private))}
                {option("shared_image", t_string!(i18n, filters_type_shared))}
                {option("instance_image", t_string!(i18n, filters_type_instance))}
                {option(super::registry_query::THIRD_PARTY, t_string!(i18n, filters_type_third_party))}
            </select>
        </div>
    }
}

#[component]
pub fn FilterForm(filters: ImageFilters, account: Option<String>) -> impl IntoView {
    let status = filters
        .scan_status
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    let i18n = use_i18n();
    let option = |value: &'static str, label: &'static str, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let image_type = filters.image_type.as_str();
    view! {
        <form method="get" action="/images" class="filters" aria-label=move || t_string!(i18n, filters_label)>
            {account.map(|a| view! { <input type="hidden" name="account" value=a /> })}
            {image_type_field(i18n, image_type)}
            <div class="field">
                <label for="f-namespace">{t!(i18n, col_namespace)}</label>
                <input id="f-namespace" name="namespace" maxlength="64" value=filters.namespace.clone() />
            </div>
            <div class="field">
                <label for="f-name">{t!(i18n, filters_image_name)}</label>
                <input id="f-name" name="image_name" maxlength="128" value=filters.image_name.clone() />
            </div>
            <div class="field">
                <label for="f-tag">{t!(i18n, col_tag)}</label>
                <input id="f-tag" name="image_version" maxlength="128" value=filters.image_version.clone() />
            </div>
            <div class="field">
                <label for="f-status">{t!(i18n, col_scan_status)}</label>
                <select id="f-status" name="scan_status">
                    {option("", t_string!(i18n, filters_any), &status)}
                    {ScanStatus::ALL
                        .iter()
                        .map(|s| option(s.as_str(), crate::format::scan_status_label(i18n, *s), &status))
                        .collect_view()}
                </select>
            </div>
            <fieldset class="checks">
                <legend>{t!(i18n, filters_only_images_that)}</legend>
                <label>
                    <input type="checkbox" name="latest" value="1" checked=filters.latest_only />
                    {t!(i18n, filters_latest)}
                </label>
                <label>
                    <input type="checkbox" name="has_vul" value="1" checked=filters.has_vul />
                    {t!(i18n, filters_has_vul)}
                </label>
                <label>
                    <input type="checkbox" name="has_malicious_file" value="1" checked=filters.has_malicious_file />
                    {t!(i18n, filters_has_malicious)}
                </label>
                <label>
                    <input type="checkbox" name="has_unsafe_setting" value="1" checked=filters.has_unsafe_setting />
                    {t!(i18n, filters_has_unsafe)}
                </label>
            </fieldset>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, filters_apply)}</button>
                <a href="/images" class="link">{t!(i18n, filters_clear)}</a>
            </div>
        </form>
    }
}
