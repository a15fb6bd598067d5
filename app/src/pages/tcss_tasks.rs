//! `/tasks/tcss[?account=ID]`: the task monitor of a Tencent TCSS account
//! (the first one when none is named): its latest registry scan, live. The
//! header's Tasks link leads here for a TCSS account, and `/tasks` sends
//! one here, so both clouds share the Tasks page in the navigation while
//! this code loads only when a TCSS account is watched.

use crate::accounts::Provider;
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::layout::CurrentUser;
use crate::components::tasks::tcss_scan::TcssScanMonitor;
use crate::i18n::*;
use crate::server_fns::accounts::page_account;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::portal::Role;

#[component]
pub fn TcssTasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = Memo::new(move |_| query.with(|q| q.get("account")));
    let launched = Memo::new(move |_| query.with(|q| q.get("launched").is_some()));
    let shown = Resource::new(
        move || asked.get(),
        |asked| page_account(asked, &[Provider::Tencent]),
    );
    let user = expect_context::<CurrentUser>().0;
    view! {
        <div class="page-head">
            <h1>{t!(i18n, nav_tasks)}</h1>
        </div>
        <Show when=move || launched.get()>
            <p class="notice ok" role="status">{t!(i18n, tasks_launched)}</p>
        </Show>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, tasks_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let operator = user.await.is_some_and(|me| me.role.allows(Role::Operator));
                match shown.await {
                    Ok(account) => view! { <TcssScanMonitor account=account.id operator /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
}
