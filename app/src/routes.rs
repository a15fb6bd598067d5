//! Pages loaded on demand. The Tasks page is the one most visits start on,
//! so it ships in the first load; every other page is a lazy route, its
//! code split into its own WASM chunk (`cargo leptos build --split`) that
//! the browser fetches when the page is first shown. That keeps the first
//! load small.

use crate::pages;
use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// One lazy route per page: no route data (each page loads its own), only
/// the view, which is what gets split out.
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(OverviewRoute, pages::overview::OverviewPage);
lazy_page!(ImagesRoute, pages::images::ImagesPage);
lazy_page!(ImageRoute, pages::image::ImagePage);
lazy_page!(
    VulnerabilitiesRoute,
    pages::vulnerabilities::VulnerabilitiesPage
);
lazy_page!(TcssTasksRoute, pages::tcss_tasks::TcssTasksPage);
lazy_page!(SyncTaskRoute, pages::sync_task::SyncTaskPage);
lazy_page!(RegistriesRoute, pages::registries::RegistriesPage);
lazy_page!(ScheduleRoute, pages::schedule::SchedulePage);
lazy_page!(AdminRoute, pages::admin::AdminPage);
lazy_page!(LoginRoute, pages::login::LoginPage);
lazy_page!(SetupRoute, pages::setup::SetupPage);
