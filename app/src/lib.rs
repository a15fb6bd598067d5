//! Scanport's Leptos app: compiled twice, with `ssr` into the server and
//! with `hydrate` into the browser's WASM. Server-only code sits behind
//! `#[cfg(feature = "ssr")]`; the cloud crate is an `ssr`-only dependency,
//! so no signer or credential can reach the browser build.

// Leptos views are deeply nested types; release builds need room to lay them out.
#![recursion_limit = "256"]

pub mod accounts;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod components;
pub mod dates;
pub mod endpoints;
pub mod error;
pub mod format;
pub mod i18n;
pub mod live;
#[cfg(feature = "ssr")]
pub mod ops;
pub mod pages;
pub mod prefs;
pub mod routes;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, StaticSegment};

/// The HTML document around the app, rendered on the server. `lang` is
/// set by the i18n provider in [`App`] (from the cookie or
/// `Accept-Language`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html data-theme=components::preferences::initial_theme().attribute()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="description" content="Scanport: container-image security scans on Huawei Cloud HSS and Tencent Cloud TCSS" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // In the shell, not the app: only the server knows the
                // stylesheet's hashed name.
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    components::common::moment::provide_hydrated();
    components::layout::provide_current_user();
    // The language cookie: site-wide and kept a year (the library's
    // default would be a session cookie scoped to the current path).
    let lang_cookie = leptos_use::UseCookieOptions::default()
        .path("/")
        .max_age(prefs::MAX_AGE_SECS * 1000)
        .same_site(leptos_use::SameSite::Lax);
    view! {
        <Title text="Scanport" />
        <i18n::I18nContextProvider cookie_options=lang_cookie>
        <Router>
            <components::layout::Header />
            <main id="main">
                <Routes fallback=pages::not_found::NotFound>
                    // Async: the HTML is sent once the data is in, so the page is
                    // complete without JavaScript (no streamed fragments).
                    <Route
                        path=StaticSegment("")
                        view={Lazy::<routes::OverviewRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("tasks")
                        view=pages::tasks::TasksPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("tasks"), StaticSegment("tcss"))
                        view={Lazy::<routes::TcssTasksRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("tasks"), StaticSegment("sync"))
                        view={Lazy::<routes::SyncTaskRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("registries")
                        view={Lazy::<routes::RegistriesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("images")
                        view={Lazy::<routes::ImagesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("image")
                        view={Lazy::<routes::ImageRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("vulnerabilities")
                        view={Lazy::<routes::VulnerabilitiesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("schedule")
                        view={Lazy::<routes::ScheduleRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("login") view={Lazy::<routes::LoginRoute>::new()} />
                    <Route path=StaticSegment("setup") view={Lazy::<routes::SetupRoute>::new()} />
                    <Route
                        path=StaticSegment("admin")
                        view={Lazy::<routes::AdminRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
        </Router>
        </i18n::I18nContextProvider>
    }
}
