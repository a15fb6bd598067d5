use super::sync_actions::RegistrySelection;
use crate::components::common::moment::Moment;
use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::{ListRegistriesResponse, Registry, RegistryRef, RegistryType};

/// A `registry_type` as people call it.
pub fn registry_type_label(value: &str) -> &str {
    match value {
        "SwrPrivate" => "SWR private",
        "SwrShared" => "SWR shared",
        "SwrEnterprise" => "SWR enterprise",
        "Harbor" => "Harbor",
        "Jfrog" => "JFrog",
        "Other" => "Other",
        other => other,
    }
}

/// A registry's `fail_reason` code (documented in the SDK's
/// `RegistryInfo`) in plain words; another code reads as a general
/// sentence with the code.
pub fn registry_fail_text(locale: Locale, code: &str) -> String {
    match code {
        "CREATE_JOB_FAILED" => td_string!(locale, registry_fail_create_job).to_owned(),
        "REQUEST_API_ERROR" => td_string!(locale, registry_fail_request_api).to_owned(),
        "SERVER_ERROR" => td_string!(locale, registry_fail_server).to_owned(),
        other => td_string!(locale, registry_fail_unknown, code = other).to_string(),
    }
}

/// How HSS reaches the registry: protocol, API version, user, cluster,
/// where the scan component goes. Only what the service told.
fn connection_view(locale: Locale, registry: &Registry) -> impl IntoView + use<> {
    let mut parts: Vec<String> = Vec::new();
    let mut head = Vec::new();
    if let Some(p) = registry.protocol.as_deref().filter(|p| !p.is_empty()) {
        head.push(p.to_owned());
    }
    if let Some(v) = registry.api_version.as_deref().filter(|v| !v.is_empty()) {
        head.push(td_string!(locale, registry_api_version, version = v).to_string());
    }
    if !head.is_empty() {
        parts.push(head.join(" · "));
    }
    if let Some(u) = registry
        .registry_username
        .as_deref()
        .filter(|u| !u.is_empty())
    {
        parts.push(td_string!(locale, registry_user, user = u).to_string());
    }
    if let Some(c) = registry
        .connect_cluster_id
        .as_deref()
        .filter(|c| !c.is_empty())
    {
        parts.push(td_string!(locale, registry_cluster, cluster = c).to_string());
    }
    if let Some(n) = registry.namespace.as_deref().filter(|n| !n.is_empty()) {
        parts.push(td_string!(locale, registry_scan_namespace, namespace = n).to_string());
    }
    (!parts.is_empty()).then(|| {
        view! {
            <ul class="connection">
                {parts.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
        }
    })
}

/// `selectable`: show checkboxes for "Sync selected" (operators).
#[component]
pub fn RegistryTable(
    answer: ListRegistriesResponse,
    #[prop(optional)] selectable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if answer.data_list.is_empty() {
        return view! {
            <p class="empty">{t!(i18n, registries_empty)}</p>
        }
        .into_any();
    }
    let total = answer.total_num;
    view! {
        <p class="count">{move || t_string!(i18n, registries_count, count = crate::format::number(i18n.get_locale(), total)).to_string()}</p>
        <div class="table-wrap">
            <table class="registries">
                <thead>
                    <tr>
                        {selectable.then(|| view! { <th scope="col" class="pick"><span class="sr-only">{t!(i18n, images_select)}</span></th> })}
                        <th scope="col">{t!(i18n, col_registry)}</th>
                        <th scope="col">{t!(i18n, col_type)}</th>
                        <th scope="col">{t!(i18n, col_address)}</th>
                        <th scope="col">{t!(i18n, registry_connection)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col" class="num">{t!(i18n, col_images)}</th>
                        <th scope="col">{t!(i18n, col_last_sync)}</th>
                    </tr>
                </thead>
                <tbody>
                    {answer.data_list.into_iter().map(|r| view! { <RegistryRow registry=r selectable /> }.into_any()).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A checkbox adding the registry to "Sync selected".
fn pick(registry: &Registry) -> impl IntoView + use<> {
    let selection = expect_context::<RegistrySelection>();
    let id = registry.id.clone();
    let kind = RegistryType::parse(&registry.registry_type);
    let i18n = use_i18n();
    let name = registry.registry_name.clone();
    let label = move || t_string!(i18n, images_select_one, image = &name).to_string();
    let for_checked = id.clone();
    view! {
        <td class="pick">
            <input
                type="checkbox"
                aria-label=label
                disabled=kind.is_none()
                prop:checked=move || selection.0.with(|s| s.contains_key(&for_checked))
                on:change=move |_| {
                    let Some(registry_type) = kind else { return };
                    selection.0.update(|s| {
                        if s.remove(&id).is_none() {
                            s.insert(id.clone(), RegistryRef { registry_id: id.clone(), registry_type });
                        }
                    });
                }
            />
        </td>
    }
}

#[component]
fn RegistryRow(registry: Registry, selectable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let checkbox = selectable.then(|| pick(&registry));
    let status = registry.status.clone().unwrap_or_default();
    let (label, class) = match status.as_str() {
        "success" => (t_string!(i18n, registry_connected), "ok"),
        "fail" => (t_string!(i18n, registry_failed), "bad"),
        "accessing" => (t_string!(i18n, registry_connecting), "warn"),
        _ => (t_string!(i18n, registry_unknown), "muted"),
    };
    let reason = registry.fail_reason.clone().filter(|r| !r.is_empty());
    let locale = i18n.get_locale_untracked();
    let connection = connection_view(locale, &registry);
    view! {
        <tr class="registry" data-registry-id=registry.id.clone()>
            {checkbox}
            <th scope="row">{registry.registry_name}</th>
            <td>{registry_type_label(&registry.registry_type).to_owned()}</td>
            <td class="address">{registry.registry_addr.unwrap_or_default()}</td>
            <td class="connection">{connection}</td>
            <td>
                <span class=format!("status {class}")>{label}</span>
                {reason.map(|code| {
                    let words = registry_fail_text(locale, &code);
                    view! { <span class="fail-reason" title=code>{words}</span> }
                })}
            </td>
            <td class="num">{crate::format::number(i18n.get_locale_untracked(), registry.images_num.unwrap_or(0))}</td>
            <td>
                {registry
                    .latest_sync_time
                    .filter(|ms| *ms > 0)
                    .map(|ms| view! { <Moment ms /> })}
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_fail_codes_read_as_words() {
        assert_eq!(
            registry_fail_text(Locale::en, "REQUEST_API_ERROR"),
            "The cluster cannot reach the registry over the network; check that it can, or connect the registry again"
        );
        for locale in [Locale::en, Locale::es, Locale::zh] {
            for code in ["CREATE_JOB_FAILED", "REQUEST_API_ERROR", "SERVER_ERROR"] {
                let text = registry_fail_text(locale, code);
                assert!(!text.contains(code), "{locale:?}: {text}");
            }
            assert!(registry_fail_text(locale, "NEW_CODE").contains("NEW_CODE"));
        }
        assert_eq!(
            registry_fail_text(Locale::en, "NEW_CODE"),
            "The connection failed (code: NEW_CODE)"
        );
    }
}
