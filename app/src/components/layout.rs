use crate::accounts::{AccountInfo, Provider};
use crate::server_fns::accounts::list_accounts;
use crate::server_fns::auth::current_user;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use scanport_wire::portal::{Me, Role};

/// `path` with the chosen account kept.
fn with_account(path: &str, account: Option<&str>) -> String {
    match account {
        Some(id) => format!("{path}?account={id}"),
        None => path.to_owned(),
    }
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

/// The bar at the top of every page: the pages, the account switcher, and
/// who is signed in.
#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<CurrentUser>().0;
    // Created here, not inside the Suspense below: resources must be
    // created in the same order on the server and while hydrating, and a
    // Suspense body runs whenever its data is ready.
    let accounts = Resource::new(|| (), |()| list_accounts());
    let query = use_query_map();
    let location = use_location();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let link = move |path: &'static str, label: &'static str| {
        let href = move || with_account(path, account.get().as_deref());
        let current = move || {
            let here = location.pathname.get();
            let on = here == path || (path == "/tasks" && here == "/");
            on.then_some("page")
        };
        view! { <a href=href aria-current=current>{label}</a> }
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <a class="brand" href="/tasks">"Scanport"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Some(me) = user.await else { return ().into_any() };
                    // Awaited here rather than in a Suspense of the
                    // switcher's own: a Suspense created inside this body
                    // would shift the ids hydration matches by.
                    let all = accounts.await.unwrap_or_default();
                    let admin = me.role.allows(Role::Admin);
                    view! {
                        <nav aria-label="Main">
                            {link("/tasks", "Tasks")}
                            {link("/images", "Images")}
                            {link("/registries", "Registries")}
                            {link("/schedule", "Schedule")}
                            {admin.then(|| link("/admin", "Admin"))}
                        </nav>
                        <AccountSwitcher account all />
                        <UserMenu me />
                    }
                        .into_any()
                })}
            </Suspense>
        </header>
    }
}

/// Who is signed in, their role, and signing out (a form post: works
/// without JavaScript, and never by GET).
#[component]
fn UserMenu(me: Me) -> impl IntoView {
    view! {
        <div class="user-menu">
            <span class="user-name">{me.name}</span>
            <span class="role-badge">{me.role.as_str()}</span>
            <form method="post" action="/logout">
                <button type="submit" class="link-button">"Sign out"</button>
            </form>
        </div>
    }
}

fn describe(a: &AccountInfo) -> String {
    let provider = match a.provider {
        Provider::Huawei => "Huawei HSS",
        Provider::Tencent => "Tencent TCSS",
    };
    let sandbox = if a.sandbox { " · sandbox" } else { "" };
    format!("{provider} · {}{sandbox}", a.region)
}

/// The configured accounts as links (a `<details>` menu: no JavaScript
/// needed). Only accounts whose provider has these pages are offered.
#[component]
fn AccountSwitcher(account: Memo<Option<String>>, all: Vec<AccountInfo>) -> impl IntoView {
    let location = use_location();
    move || {
        let usable: Vec<AccountInfo> = all
            .iter()
            .filter(|a| a.provider == Provider::Huawei)
            .cloned()
            .collect();
        let chosen = account.get();
        let current = usable
            .iter()
            .find(|a| Some(&a.id) == chosen.as_ref())
            .or_else(|| usable.first())
            .cloned();
        let Some(current) = current else {
            return ().into_any();
        };
        let path = location.pathname.get();
        view! {
            <details class="account-switcher">
                <summary>
                    <span class="account-id">{current.id.clone()}</span>
                    <span class="account-meta">{describe(&current)}</span>
                </summary>
                <ul aria-label="Accounts">
                    {usable
                        .into_iter()
                        .map(|a| {
                            let here = (a.id == current.id).then_some("true");
                            view! {
                                <li>
                                    <a href=with_account(&path, Some(&a.id)) aria-current=here>
                                        <span class="account-id">{a.id.clone()}</span>
                                        <span class="account-meta">{describe(&a)}</span>
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
