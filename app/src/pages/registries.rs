//! Connected registries of an HSS account.

use crate::accounts::Provider;
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::layout::CurrentUser;
use crate::components::registries::registry_table::RegistryTable;
use crate::components::registries::sync_actions::{RegistrySelection, SyncActions};
use crate::i18n::*;
use crate::server_fns::accounts::default_account;
use crate::server_fns::registries::list_registries;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::portal::Role;

/// `/registries[?account=ID]`
#[component]
pub fn RegistriesPage() -> impl IntoView {
    let query = use_query_map();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let registries = Resource::new(
        move || account.get(),
        |account| async move {
            let account = match account {
                Some(a) => a,
                None => default_account(Provider::Huawei).await?,
            };
            let answer = list_registries(Some(account.clone())).await?;
            Ok::<_, crate::error::AppError>((account, answer))
        },
    );
    let i18n = use_i18n();
    let user = expect_context::<CurrentUser>().0;
    provide_context(RegistrySelection(RwSignal::new(Default::default())));
    view! {
        <div class="page-head">
            <h1>{t!(i18n, registries_title)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, registries_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let operator = user.await.is_some_and(|me| me.role.allows(Role::Operator));
                match registries.await {
                    Ok((account, answer)) => view! {
                        {operator.then(|| view! { <SyncActions account /> })}
                        <RegistryTable answer selectable=operator />
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
    .into_any()
}
