//! The image filters: a GET form, so the filters live in the URL (shared
//! links and reloads keep them) and work without JavaScript.

use crate::pages::images::ImageFilters;
use leptos::prelude::*;
use scanport_wire::hss::ScanStatus;

#[component]
pub fn FilterForm(filters: ImageFilters, account: Option<String>) -> impl IntoView {
    let status = filters
        .scan_status
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    let option = |value: &'static str, label: &'static str, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let image_type = filters.image_type.as_str();
    view! {
        <form method="get" action="/images" class="filters" aria-label="Filter images">
            {account.map(|a| view! { <input type="hidden" name="account" value=a /> })}
            <div class="field">
                <label for="f-image-type">"Image type"</label>
                <select id="f-image-type" name="image_type">
                    {option("private_image", "Private (SWR)", image_type)}
                    {option("shared_image", "Shared (SWR)", image_type)}
                    {option("instance_image", "Enterprise instance", image_type)}
                </select>
            </div>
            <div class="field">
                <label for="f-namespace">"Namespace"</label>
                <input id="f-namespace" name="namespace" maxlength="64" value=filters.namespace.clone() />
            </div>
            <div class="field">
                <label for="f-name">"Image name"</label>
                <input id="f-name" name="image_name" maxlength="128" value=filters.image_name.clone() />
            </div>
            <div class="field">
                <label for="f-tag">"Tag"</label>
                <input id="f-tag" name="image_version" maxlength="128" value=filters.image_version.clone() />
            </div>
            <div class="field">
                <label for="f-status">"Scan status"</label>
                <select id="f-status" name="scan_status">
                    {option("", "Any", &status)}
                    {ScanStatus::ALL
                        .iter()
                        .map(|s| option(s.as_str(), crate::format::scan_status_label(*s), &status))
                        .collect_view()}
                </select>
            </div>
            <fieldset class="checks">
                <legend>"Only images that"</legend>
                <label>
                    <input type="checkbox" name="latest" value="1" checked=filters.latest_only />
                    "are the latest version"
                </label>
                <label>
                    <input type="checkbox" name="has_vul" value="1" checked=filters.has_vul />
                    "have vulnerabilities"
                </label>
                <label>
                    <input type="checkbox" name="has_malicious_file" value="1" checked=filters.has_malicious_file />
                    "have malicious files"
                </label>
                <label>
                    <input type="checkbox" name="has_unsafe_setting" value="1" checked=filters.has_unsafe_setting />
                    "have unsafe settings"
                </label>
            </fieldset>
            <div class="filter-actions">
                <button type="submit" class="primary">"Apply filters"</button>
                <a href="/images" class="link">"Clear"</a>
            </div>
        </form>
    }
}
