use crate::accounts::{AccountInfo, Provider};
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::preferences::Preferences;
use crate::i18n::*;
use crate::server_fns::accounts::{list_accounts, retry_account};
use crate::server_fns::auth::current_user;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use scanport_wire::portal::{Me, Role};

/// The path that shows `path`'s page for an account of `provider`: the
/// task monitor of a TCSS account, its registry scan, is a page (a route,
/// so its code loads only when a TCSS account is watched) of its own.
pub fn page_for(path: &str, provider: Provider) -> &str {
    match (path, provider) {
        ("/tasks", Provider::Tencent) => TCSS_TASKS,
        (TCSS_TASKS, Provider::Huawei) => "/tasks",
        _ => path,
    }
}

/// The task monitor of a TCSS account.
pub const TCSS_TASKS: &str = "/tasks/tcss";

/// `path` with the chosen account kept (on the path that shows it).
fn with_account(path: &str, account: Option<&AccountInfo>) -> String {
    match account {
        Some(a) => format!(
            "{}?account={}",
            page_for(path, a.provider),
            crate::format::url_encode(&a.id)
        ),
        None => path.to_owned(),
    }
}

/// The providers whose accounts a page works on, the one it opens with
/// first: the task monitor, images, registries and the schedule serve
/// both clouds (the schedule: a TCSS timing scan or an HSS scan policy).
/// Other pages, the Overview (all accounts at once) among them, take no
/// account (empty).
pub fn page_providers(path: &str) -> &'static [Provider] {
    match path {
        "/tasks" | "/images" | "/vulnerabilities" | "/registries" => {
            &[Provider::Huawei, Provider::Tencent]
        }
        TCSS_TASKS | "/schedule" => &[Provider::Tencent, Provider::Huawei],
        _ => &[],
    }
}

/// The account a link to `path` should carry: the chosen one, only if the
/// page works on that account's provider.
fn account_for<'a>(path: &str, chosen: Option<&'a AccountInfo>) -> Option<&'a AccountInfo> {
    let chosen = chosen?;
    page_providers(path)
        .contains(&chosen.provider)
        .then_some(chosen)
}

/// The signed-in user, for the whole page: the header shows them, and
/// pages hide what their role cannot do (the server decides regardless).
#[derive(Debug, Clone, Copy)]
pub struct CurrentUser(pub Resource<Option<Me>>);

/// Loads the signed-in user once per page and shares it.
pub fn provide_current_user() {
    let user = Resource::new(|| (), |()| async { current_user().await.ok().flatten() });
    provide_context(CurrentUser(user));
}

/// The bar at the top of every page: the pages, the account switcher, the
/// language and theme, and who is signed in.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let user = expect_context::<CurrentUser>().0;
    // Created here, not inside the Suspense below: resources must be
    // created in the same order on the server and while hydrating, and a
    // Suspense body runs whenever its data is ready.
    let accounts = Resource::new(|| (), |()| list_accounts());
    let query = use_query_map();
    let location = use_location();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="app-header">
            <a class="brand" href="/">"Scanport"</a>
            <Suspense fallback=|| ()>
                {drawn_once(move || Suspend::new(async move {
                    let Some(me) = user.await else {
                        return view! { <Preferences /> }.into_any();
                    };
                    // Awaited here rather than in a Suspense of the
                    // switcher's own: a Suspense created inside this body
                    // would shift the ids hydration matches by.
                    let all = accounts.await.unwrap_or_default();
                    let admin = me.role.allows(Role::Admin);
                    let operator = me.role.allows(Role::Operator);
                    let offered = |provider: Provider| all.iter().any(|a| a.provider == provider);
                    let (huawei, tencent) = (offered(Provider::Huawei), offered(Provider::Tencent));
                    let any = huawei || tencent;
                    let chosen = {
                        let all = all.clone();
                        Memo::new(move |_| {
                            let id = account.get()?;
                            all.iter().find(|a| a.id == id).cloned()
                        })
                    };
                    let link = move |path: &'static str, label: AnyView| {
                        let href = move || chosen.with(|c| with_account(path, account_for(path, c.as_ref())));
                        let current = move || {
                            let here = location.pathname.get();
                            let on = here == path || (path == "/tasks" && here.starts_with("/tasks/"));
                            on.then_some("page")
                        };
                        view! { <a href=href aria-current=current>{label}</a> }
                    };
                    view! {
                        <nav aria-label=move || t_string!(i18n, nav_label)>
                            {any.then(|| link("/", t!(i18n, nav_overview).into_any()))}
                            {any.then(|| link("/tasks", t!(i18n, nav_tasks).into_any()))}
                            {any.then(|| link("/images", t!(i18n, nav_images).into_any()))}
                            {any.then(|| link("/vulnerabilities", t!(i18n, nav_vulnerabilities).into_any()))}
                            {any.then(|| link("/registries", t!(i18n, nav_registries).into_any()))}
                            {any.then(|| link("/schedule", t!(i18n, nav_schedule).into_any()))}
                            {admin.then(|| link("/admin", t!(i18n, nav_admin).into_any()))}
                        </nav>
                        <AccountSwitcher chosen all=all.clone() />
                        <Preferences />
                        <UserMenu me />
                        <PausedNotice chosen all operator />
                    }
                        .into_any()
                }))}
            </Suspense>
        </header>
    }
}

/// Who is signed in, their role, and signing out (a form post: works
/// without JavaScript, and never by GET).
#[component]
fn UserMenu(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let role = me.role;
    let role_label = move || match role {
        Role::Admin => t_string!(i18n, role_admin),
        Role::Operator => t_string!(i18n, role_operator),
        Role::Viewer => t_string!(i18n, role_viewer),
    };
    view! {
        <div class="user-menu">
            <span class="user-name">{me.name}</span>
            <span class="role-badge">{role_label}</span>
            <form method="post" action="/logout">
                <button type="submit" class="link-button">{t!(i18n, sign_out)}</button>
            </form>
        </div>
    }
}

/// "Huawei Cloud HSS · cn-north-4 · sandbox", in the page's language.
pub fn describe(i18n: I18n, a: &AccountInfo) -> String {
    let provider = match a.provider {
        Provider::Huawei => t_string!(i18n, provider_huawei),
        Provider::Tencent => t_string!(i18n, provider_tencent),
    };
    let mut text = format!("{provider} · {}", a.region);
    if a.sandbox {
        text.push_str(" · ");
        text.push_str(t_string!(i18n, account_sandbox));
    }
    if a.paused {
        text.push_str(" · ");
        text.push_str(t_string!(i18n, account_paused));
    }
    text
}

/// The account a page of `providers` works on: the chosen one if it
/// belongs there, else the first account of the first provider that has
/// one (as the pages pick it).
pub fn page_account(
    providers: &[Provider],
    chosen: Option<AccountInfo>,
    all: &[AccountInfo],
) -> Option<AccountInfo> {
    chosen
        .filter(|a| providers.contains(&a.provider))
        .or_else(|| {
            providers
                .iter()
                .find_map(|p| all.iter().find(|a| a.provider == *p))
                .cloned()
        })
}

/// On every page of an account whose key the cloud refused twice in a row:
/// polling is paused (so the key is never locked), and an operator may
/// retry once the key is fixed. A successful retry reloads the page.
#[component]
fn PausedNotice(
    chosen: Memo<Option<AccountInfo>>,
    all: Vec<AccountInfo>,
    operator: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let retry = Action::new(|account: &String| {
        let account = account.clone();
        async move {
            let key = Some(crate::components::common::idempotency::new_key());
            retry_account(account, key).await
        }
    });
    Effect::new(move |_| {
        if matches!(retry.value().get(), Some(Ok(_))) {
            let _ = window().location().reload();
        }
    });
    move || {
        let providers = page_providers(&location.pathname.get());
        let paused = page_account(providers, chosen.get(), &all).filter(|a| a.paused)?;
        let id = paused.id.clone();
        let button = operator.then(|| {
            view! {
                <button
                    type="button"
                    class="account-retry"
                    disabled=move || retry.pending().get()
                    on:click=move |_| {
                        retry.dispatch(id.clone());
                    }
                >
                    {t!(i18n, account_paused_retry)}
                </button>
            }
        });
        let failed = move || {
            retry
                .value()
                .get()
                .and_then(Result::err)
                .map(|error| view! { <ErrorNotice error /> })
        };
        Some(view! {
            <div class="notice warn account-paused" role="alert" data-account=paused.id.clone()>
                <p class="notice-title">
                    {t!(i18n, account_paused_notice, account = paused.id.clone())}
                </p>
                {button}
                {failed}
            </div>
        })
    }
}

/// The accounts of this page's provider as links (a `<details>` menu: no
/// JavaScript needed); on a page that takes no account, nothing.
#[component]
fn AccountSwitcher(chosen: Memo<Option<AccountInfo>>, all: Vec<AccountInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    move || {
        let path = location.pathname.get();
        let providers = page_providers(&path);
        let usable: Vec<AccountInfo> = all
            .iter()
            .filter(|a| providers.contains(&a.provider))
            .cloned()
            .collect();
        let Some(current) = page_account(providers, chosen.get(), &all) else {
            return ().into_any();
        };
        view! {
            <details class="account-switcher">
                <summary>
                    <span class="sr-only">{t!(i18n, account_label)}" "</span>
                    <span class="account-id">{current.id.clone()}</span>
                    <span class="account-meta">{describe(i18n, &current)}</span>
                </summary>
                <ul aria-label=move || t_string!(i18n, accounts_label)>
                    {usable
                        .into_iter()
                        .map(|a| {
                            let here = (a.id == current.id).then_some("true");
                            view! {
                                <li>
                                    <a href=with_account(&path, Some(&a)) aria-current=here>
                                        <span class="account-id">{a.id.clone()}</span>
                                        <span class="account-meta">{describe(i18n, &a)}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, provider: Provider) -> AccountInfo {
        AccountInfo {
            id: id.to_owned(),
            provider,
            region: "r".to_owned(),
            sandbox: true,
            paused: false,
        }
    }

    #[test]
    fn links_carry_the_account_only_to_its_providers_pages() {
        let tencent = account("tc", Provider::Tencent);
        let huawei = account("hw", Provider::Huawei);
        let id = |a: Option<&AccountInfo>| a.map(|a| a.id.clone());
        assert_eq!(
            id(account_for("/schedule", Some(&tencent))).as_deref(),
            Some("tc")
        );
        assert_eq!(
            id(account_for("/registries", Some(&tencent))).as_deref(),
            Some("tc")
        );
        assert_eq!(
            id(account_for("/tasks", Some(&tencent))).as_deref(),
            Some("tc")
        );
        assert_eq!(
            id(account_for("/images", Some(&tencent))).as_deref(),
            Some("tc")
        );
        assert_eq!(
            id(account_for("/images", Some(&huawei))).as_deref(),
            Some("hw")
        );
        // The task monitor's link goes to the page of the account's cloud.
        assert_eq!(
            with_account("/tasks", Some(&tencent)),
            "/tasks/tcss?account=tc"
        );
        assert_eq!(with_account(TCSS_TASKS, Some(&huawei)), "/tasks?account=hw");
        assert_eq!(
            with_account("/images", Some(&tencent)),
            "/images?account=tc"
        );
        assert_eq!(
            id(account_for("/schedule", Some(&huawei))).as_deref(),
            Some("hw")
        );
        assert_eq!(account_for("/admin", Some(&huawei)), None);
        assert_eq!(account_for("/tasks", None), None);
    }

    #[test]
    fn the_paused_notice_follows_the_account_the_page_works_on() {
        let mut paused = account("hw-2", Provider::Huawei);
        paused.paused = true;
        let all = vec![
            account("hw-1", Provider::Huawei),
            paused.clone(),
            account("tc", Provider::Tencent),
        ];
        // Chosen and of the page's provider: that one.
        assert_eq!(
            page_account(&[Provider::Huawei], Some(paused.clone()), &all),
            Some(paused.clone())
        );
        // None chosen, or one of the other provider: the provider's first.
        for chosen in [None, Some(all[2].clone())] {
            assert_eq!(
                page_account(&[Provider::Huawei], chosen, &all).map(|a| a.id),
                Some("hw-1".to_owned())
            );
        }
        assert_eq!(
            page_account(&[Provider::Tencent], Some(paused.clone()), &all).map(|a| a.id),
            Some("tc".to_owned())
        );
        // The schedule serves both: the chosen one, else Tencent's first.
        let schedule = page_providers("/schedule");
        assert_eq!(
            page_account(schedule, Some(paused), &all).map(|a| a.id),
            Some("hw-2".to_owned())
        );
        assert_eq!(
            page_account(schedule, None, &all).map(|a| a.id),
            Some("tc".to_owned())
        );
        // A page of both clouds keeps a chosen account of either, and
        // opens with the first provider's first account.
        let both = [Provider::Huawei, Provider::Tencent];
        assert_eq!(
            page_account(&both, Some(all[2].clone()), &all).map(|a| a.id),
            Some("tc".to_owned())
        );
        assert_eq!(
            page_account(&both, None, &all).map(|a| a.id),
            Some("hw-1".to_owned())
        );
    }

    #[test]
    fn every_account_page_has_a_provider() {
        assert_eq!(page_providers("/"), [], "the overview shows every account");
        for path in ["/tasks", "/images", "/vulnerabilities", "/registries"] {
            assert_eq!(
                page_providers(path),
                [Provider::Huawei, Provider::Tencent],
                "{path}"
            );
        }
        assert_eq!(
            page_providers("/schedule"),
            [Provider::Tencent, Provider::Huawei]
        );
        assert!(page_providers("/login").is_empty());
    }
}
