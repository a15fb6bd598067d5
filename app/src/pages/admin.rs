//! `/admin`: users, API tokens and the audit log (admin role).
//!
//! The lists render on the server, so the page is complete without
//! JavaScript; changes are server-function calls and need it. The audit
//! log's filters and page live in the address (`?actor=…&page=…`).

use crate::components::admin::add_user_form::AddUserForm;
use crate::components::admin::audit_filters::AuditFilters;
use crate::components::admin::audit_log::AuditLog;
use crate::components::admin::create_token_form::CreateTokenForm;
use crate::components::admin::data::AdminData;
use crate::components::admin::feedback::{ChangeResult, NeedsScript, sentence};
use crate::components::admin::token_table::{TokenTable, revoke_token_action};
use crate::components::admin::user_table::{UserTable, change_user_action};
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::layout::CurrentUser;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::admin::{AddUser, CreateToken};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::portal::Role;

/// Tells the browser (and scripts) that the page was refused.
fn refuse_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(error.status())
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(AuditFilters::from_query));
    let add = ServerAction::<AddUser>::new();
    let change = change_user_action();
    let create = ServerAction::<CreateToken>::new();
    let revoke = revoke_token_action();
    // The lists, refetched after every change (each is audited, and most
    // change a list) and when the audit log's filters or page change.
    // Created before anything else here: see `AdminData` on why one
    // resource.
    let data = Resource::new(
        move || {
            let changes = add.version().get()
                + change.version().get()
                + create.version().get()
                + revoke.version().get();
            (filters.get(), changes)
        },
        |(filters, _)| AdminData::load(filters),
    );
    let me = expect_context::<CurrentUser>().0;

    let change_result =
        Signal::derive(move || change.value().get().map(|r| r.map_err(|e| sentence(&e))));
    let revoke_result =
        Signal::derive(move || revoke.value().get().map(|r| r.map_err(|e| sentence(&e))));

    view! {
        <div class="page-head">
            <h1>{t!(i18n, admin_title)}</h1>
        </div>
        <Suspense fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let me = match me.await {
                    Some(me) if me.role.allows(Role::Admin) => me,
                    Some(_) => {
                        refuse_status(&AppError::Forbidden);
                        return view! { <ErrorNotice error=AppError::Forbidden /> }.into_any();
                    }
                    None => {
                        refuse_status(&AppError::Unauthenticated);
                        return view! { <ErrorNotice error=AppError::Unauthenticated /> }.into_any();
                    }
                };
                view! {
                    <nav class="admin-jump" aria-label=move || t_string!(i18n, admin_sections)>
                        <a href="#users">{t!(i18n, admin_users)}</a>
                        <a href="#tokens">{t!(i18n, admin_tokens)}</a>
                        <a href="#audit">{t!(i18n, admin_audit)}</a>
                    </nav>

                    <section id="users" class="admin-section" aria-labelledby="users-title">
                        <h2 id="users-title">{t!(i18n, admin_users)}</h2>
                        <NeedsScript what="Adding and changing users" />
                        <AddUserForm add />
                        <ChangeResult result=change_result />
                        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, admin_loading_users)}</p> }>
                            {
                                let me = me.name.clone();
                                move || {
                                    let me = me.clone();
                                    Suspend::new(async move {
                                        match data.await.users {
                                            Ok(users) => view! { <UserTable users me change /> }.into_any(),
                                            Err(error) => {
                                                refuse_status(&error);
                                                view! { <ErrorNotice error /> }.into_any()
                                            }
                                        }
                                    })
                                }
                            }
                        </Transition>
                    </section>

                    <section id="tokens" class="admin-section" aria-labelledby="tokens-title">
                        <h2 id="tokens-title">{t!(i18n, admin_tokens)}</h2>
                        <p class="section-intro">
                            {t!(i18n, admin_tokens_intro_call)}
                            <code>"/api/v1/…"</code>
                            {t!(i18n, admin_tokens_intro_with)}
                            <code>"Authorization: Bearer <token>"</code>
                            {t!(i18n, admin_tokens_intro_as)}
                        </p>
                        <NeedsScript what="Creating and revoking tokens" />
                        <CreateTokenForm data create />
                        <ChangeResult result=revoke_result />
                        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, admin_loading_tokens)}</p> }>
                            {drawn_once(move || Suspend::new(async move {
                                match data.await.tokens {
                                    Ok(tokens) => view! { <TokenTable tokens revoke /> }.into_any(),
                                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                                }
                            }))}
                        </Transition>
                    </section>

                    <section id="audit" class="admin-section" aria-labelledby="audit-title">
                        <h2 id="audit-title">{t!(i18n, admin_audit)}</h2>
                        <AuditLog filters data />
                    </section>
                }
                .into_any()
            }))}
        </Suspense>
    }
}
