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
    view! {
        <tr class="registry" data-registry-id=registry.id.clone()>
            {checkbox}
            <th scope="row">{registry.registry_name}</th>
            <td>{registry_type_label(&registry.registry_type).to_owned()}</td>
            <td class="address">{registry.registry_addr.unwrap_or_default()}</td>
            <td>
                <span class=format!("status {class}")>{label}</span>
                {reason.map(|r| view! { <span class="fail-reason">{r}</span> })}
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
