//! `/registries[?account=ID]`: the connected registries of an HSS or a
//! TCSS account (the first HSS account when none is chosen), and their
//! syncs.

use crate::accounts::{AccountInfo, Provider};
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::layout::{CurrentUser, page_account, page_providers};
use crate::components::registries::registry_table::RegistryTable;
use crate::components::registries::sync_actions::{RegistrySelection, SyncActions};
use crate::components::registries::tcss_registries::{TcssRegistries, list_request};
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::accounts::list_accounts;
use crate::server_fns::registries::list_registries;
use crate::server_fns::tcss::{tcss_registries, tcss_sync_status};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::hss::ListRegistriesResponse;
use scanport_wire::portal::Role;
use scanport_wire::tcss::{DescribeRegistriesResponse, RegistrySyncStatus};
use serde::{Deserialize, Serialize};

/// One account's registries, as its cloud answered.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Loaded {
    Hss {
        account: String,
        answer: ListRegistriesResponse,
    },
    Tcss {
        account: String,
        answer: DescribeRegistriesResponse,
        status: RegistrySyncStatus,
    },
}

/// The account asked for (an unknown one is an error, never another
/// account), or the page's first.
async fn account(asked: Option<String>) -> Result<AccountInfo, AppError> {
    let all = list_accounts().await?;
    if let Some(id) = asked {
        return all
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| AppError::NotFound {
                what: format!("Account {id:?}"),
            });
    }
    page_account(page_providers("/registries"), None, &all).ok_or_else(|| AppError::NotFound {
        what: "An account".to_owned(),
    })
}

async fn load(asked: Option<String>) -> Result<Loaded, AppError> {
    let account = account(asked).await?;
    Ok(match account.provider {
        Provider::Huawei => Loaded::Hss {
            answer: list_registries(Some(account.id.clone())).await?,
            account: account.id,
        },
        Provider::Tencent => Loaded::Tcss {
            answer: tcss_registries(account.id.clone(), list_request()).await?,
            status: tcss_sync_status(account.id.clone(), Default::default()).await?,
            account: account.id,
        },
    })
}

#[component]
pub fn RegistriesPage() -> impl IntoView {
    let query = use_query_map();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let registries = Resource::new(move || account.get(), load);
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
                    Ok(Loaded::Hss { account, answer }) => view! {
                        {operator.then(|| view! { <SyncActions account /> })}
                        <RegistryTable answer selectable=operator />
                    }
                        .into_any(),
                    Ok(Loaded::Tcss { account, answer, status }) => view! {
                        <TcssRegistries account answer status operator />
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
    .into_any()
}
