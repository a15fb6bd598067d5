//! The HTTP side: server-side rendering, server functions, static files.

use crate::cli::CliError;
use crate::config::Config;
use axum::routing::get;
use axum::{Extension, Router};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use scanport_app::state::{AccountClient, AppState};
use scanport_app::{App, shell};
use scanport_cloud::hub::{Pace, TaskHub};
use std::sync::Arc;

/// The options Leptos needs, from our config rather than cargo-leptos's
/// environment, so the binary runs the same however it is started.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("scanport")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build()
}

/// The whole application router.
pub fn app(state: AppState, options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/events/tasks", get(crate::events::task_events))
        .leptos_routes_with_context(
            &options,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .layer(Extension(state))
        .with_state(options)
}

fn live_pace(config: &Config) -> Pace {
    Pace {
        busy: std::time::Duration::from_secs_f64(config.live.busy_secs),
        idle: std::time::Duration::from_secs_f64(config.live.idle_secs),
        ..Pace::default()
    }
}

pub async fn serve(config: Config) -> Result<(), CliError> {
    let accounts = crate::accounts::build(&config).await?;
    let hubs = accounts
        .iter()
        .filter_map(|a| match &a.client {
            AccountClient::Huawei(client) => Some((
                a.info.id.clone(),
                TaskHub::start(client.clone(), live_pace(&config)),
            )),
            AccountClient::Tencent(_) => None,
        })
        .collect();
    let state = AppState {
        accounts: Arc::new(accounts),
        hubs: Arc::new(hubs),
    };
    let options = leptos_options(&config);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!("Scanport listening on http://{}", config.listen);
    axum::serve(listener, app(state, options))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
