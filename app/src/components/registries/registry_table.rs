use crate::components::common::moment::Moment;
use leptos::prelude::*;
use scanport_wire::hss::{ListRegistriesResponse, Registry};

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

#[component]
pub fn RegistryTable(answer: ListRegistriesResponse) -> impl IntoView {
    if answer.data_list.is_empty() {
        return view! {
            <p class="empty">"No registry is connected to this account. Connect one in the HSS console, then sync it here."</p>
        }
        .into_any();
    }
    let total = answer.total_num;
    view! {
        <p class="count">{format!("{total} registries")}</p>
        <div class="table-wrap">
            <table class="registries">
                <thead>
                    <tr>
                        <th scope="col">"Registry"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Address"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Images"</th>
                        <th scope="col">"Last sync"</th>
                    </tr>
                </thead>
                <tbody>
                    {answer.data_list.into_iter().map(|r| view! { <RegistryRow registry=r /> }.into_any()).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RegistryRow(registry: Registry) -> impl IntoView {
    let status = registry.status.clone().unwrap_or_default();
    let (label, class) = match status.as_str() {
        "success" => ("Connected", "ok"),
        "fail" => ("Failed", "bad"),
        "accessing" => ("Connecting", "warn"),
        _ => ("Unknown", "muted"),
    };
    let reason = registry.fail_reason.clone().filter(|r| !r.is_empty());
    view! {
        <tr class="registry" data-registry-id=registry.id.clone()>
            <th scope="row">{registry.registry_name}</th>
            <td>{registry_type_label(&registry.registry_type).to_owned()}</td>
            <td class="address">{registry.registry_addr.unwrap_or_default()}</td>
            <td>
                <span class=format!("status {class}")>{label}</span>
                {reason.map(|r| view! { <span class="fail-reason">{r}</span> })}
            </td>
            <td class="num">{registry.images_num.unwrap_or(0)}</td>
            <td>
                {registry
                    .latest_sync_time
                    .filter(|ms| *ms > 0)
                    .map(|ms| view! { <Moment ms /> })}
            </td>
        </tr>
    }
}
