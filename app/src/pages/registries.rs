//! Connected registries of an HSS account.

use crate::components::error_notice::ErrorNotice;
use crate::components::registries::registry_table::RegistryTable;
use crate::server_fns::registries::list_registries;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/registries[?account=ID]`
#[component]
pub fn RegistriesPage() -> impl IntoView {
    let query = use_query_map();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let registries = Resource::new(move || account.get(), list_registries);
    view! {
        <div class="page-head">
            <h1>"Registries"</h1>
        </div>
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading registries…"</p> }>
            {move || Suspend::new(async move {
                match registries.await {
                    Ok(answer) => view! { <RegistryTable answer /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
