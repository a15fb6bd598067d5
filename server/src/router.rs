//! The HTTP side: server-side rendering, server functions (which are also
//! the public API), sign-in forms, the live stream and health checks,
//! behind the security layers.

use crate::auth::SignIn;
use crate::cli::CliError;
use crate::config::Config;
use crate::security::{api_errors, body_limit, client_addr, gate, headers, host, identity, origin};
use crate::shutdown::Shutdown;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use axum::{Extension, Router};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use scanport_app::state::{AppState, Hubs};
use scanport_app::{App, shell};
use scanport_cloud::hub::Pace;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;

/// The options Leptos needs, from our config rather than cargo-leptos's
/// environment, so the binary runs the same however it is started.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("scanport")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .hash_files(crate::assets::hashed_names())
        .build()
}

/// What every page render gets: the app state, and this request's CSP
/// nonce (the one the security-headers layer puts in the policy).
fn provide_page_context(state: &AppState) {
    provide_context(state.clone());
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<headers::CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// Settings of the security layers.
#[derive(Debug, Clone)]
pub struct WebPolicy {
    pub public_origin: Option<String>,
    pub https: bool,
    pub max_body_bytes: usize,
    /// Peers whose forwarding headers name the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `true`: RFC 7239 `Forwarded`; else `X-Forwarded-For`.
    pub rfc7239: bool,
    /// The `Host` names answered (all, with a public origin).
    pub allowed_hosts: host::AllowedHosts,
    /// Addresses that may read `/metrics` without an admin's token.
    pub metrics_allow: Vec<ipnet::IpNet>,
}

impl WebPolicy {
    pub fn from_config(config: &Config) -> Self {
        Self {
            public_origin: config.web.public_origin.clone(),
            https: config.web.is_https(),
            max_body_bytes: config.web.max_body_bytes,
            // Checked when the configuration was loaded.
            trusted_proxies: config.web.trusted_proxy_nets().unwrap_or_default(),
            rfc7239: config.web.forwarded_header == "forwarded",
            allowed_hosts: host::AllowedHosts::new(
                config.web.public_origin.as_deref(),
                &config.web.allowed_hosts,
                config.listen,
            ),
            metrics_allow: config.web.metrics_allow_nets().unwrap_or_default(),
        }
    }
}

/// The whole application router.
pub fn app(state: AppState, sign_in: SignIn, options: LeptosOptions, policy: WebPolicy) -> Router {
    let routes = generate_route_list(App);
    // Installed before the first request, so nothing goes uncounted.
    crate::metrics::handle();
    let pages_and_api = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(crate::metrics::serve_metrics))
        .route("/readyz", get(ready))
        .route("/login", post(crate::sign_in::login))
        .route("/logout", post(crate::sign_in::logout))
        .route("/setup", post(crate::sign_in::setup))
        .route("/preferences", post(crate::preferences::set_preferences))
        .route("/api/v1/events/tasks", get(crate::events::task_events))
        .route(
            "/api/v1/admin/audit.csv",
            get(crate::audit_export::audit_csv),
        )
        .route(
            "/api/v1/export/tasks.csv",
            get(crate::task_export::tasks_csv),
        )
        .route(
            "/api/v1/export/failed-images.csv",
            get(crate::task_export::failed_images_csv),
        )
        .route(
            "/api/v1/export/image-vulnerabilities.csv",
            get(crate::findings_export::image_vulnerabilities_csv),
        )
        .route(
            "/api/v1/export/vulnerabilities.csv",
            get(crate::vulnerability_export::vulnerabilities_csv),
        )
        .route(
            "/api/v1/export/vulnerability-images.csv",
            get(crate::vulnerability_export::vulnerability_images_csv),
        )
        // Server functions have their own routes; any other API path is a
        // JSON 404, not the HTML page.
        .route("/api/{*rest}", any(unknown_api_path))
        .nest_service("/pkg", pkg_assets(&options))
        .leptos_routes_with_context(
            &options,
            routes,
            {
                let state = state.clone();
                move || provide_page_context(&state)
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context(
            {
                let state = state.clone();
                move || provide_page_context(&state)
            },
            shell,
        ))
        .with_state(options);
    // Router::layer wraps everything added before it: the last layer here
    // is the first a request meets.
    pages_and_api
        .layer(from_fn(crate::detach::run_changes_to_their_end))
        .layer(from_fn(api_errors::fit_status))
        .layer(from_fn_with_state(
            (state.clone(), sign_in.clone()),
            gate::require_sign_in,
        ))
        .layer(from_fn_with_state(
            (state.clone(), sign_in.clone()),
            identity::identify,
        ))
        .layer(from_fn_with_state(
            client_addr::TrustedProxies {
                nets: Arc::new(policy.trusted_proxies),
                rfc7239: policy.rfc7239,
            },
            client_addr::resolve,
        ))
        .layer(Extension(state))
        .layer(Extension(sign_in))
        .layer(Extension(crate::metrics::MetricsAccess {
            allow: Arc::new(policy.metrics_allow),
        }))
        .layer(from_fn_with_state(
            origin::OwnOrigin(Arc::new(policy.public_origin)),
            origin::same_origin_only,
        ))
        .layer(RequestBodyLimitLayer::new(policy.max_body_bytes))
        .layer(from_fn_with_state(
            body_limit::BodyCap(policy.max_body_bytes),
            body_limit::refuse_oversize,
        ))
        .layer(from_fn(api_errors::json_errors))
        .layer(from_fn_with_state(
            policy.allowed_hosts,
            host::known_hosts_only,
        ))
        .layer(from_fn_with_state(
            headers::HeaderPolicy {
                https: policy.https,
            },
            headers::add_security_headers,
        ))
        .layer(from_fn(crate::request_log::trace_requests))
}

/// The browser bundle, precompressed; cached for good when its names are
/// hashed.
fn pkg_assets(options: &LeptosOptions) -> Router {
    let cache = if options.hash_files {
        crate::assets::CachePolicy::Immutable
    } else {
        crate::assets::CachePolicy::Revalidate
    };
    crate::assets::service(
        crate::assets::pkg_dir(&options.site_root, &options.site_pkg_dir),
        cache,
    )
}

async fn unknown_api_path() -> axum::response::Response {
    crate::security::refuse(
        StatusCode::NOT_FOUND,
        "not_found",
        "No such API endpoint; see docs/API.md.",
    )
}

/// Ready when the database answers.
async fn ready(Extension(state): Extension<AppState>) -> impl IntoResponse {
    if state.portal.db.ping().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// How often the live hubs look again, from `[live]`.
pub fn live_pace(config: &Config) -> Pace {
    Pace {
        busy: std::time::Duration::from_secs_f64(config.live.busy_secs),
        idle: std::time::Duration::from_secs_f64(config.live.idle_secs),
        ..Pace::default()
    }
}

pub async fn serve(config: Config) -> Result<(), CliError> {
    let db = crate::portal::open_db(&config).await?;
    let (portal, sign_in) = crate::portal::start(&config, db).await?;
    let accounts = crate::accounts::build(&config, &portal.db).await?;
    let hubs = Hubs::start_shared(
        &accounts,
        live_pace(&config),
        crate::replicas::feeds_for(
            &portal.db,
            config.database_url.as_ref().map(|url| url.expose()),
        ),
    );
    let accounts = Arc::new(accounts);
    if let Some(url) = &config.database_url {
        crate::replicas::share_read_caches(&portal.db, url.expose(), &accounts);
        crate::replicas::share_key_guards(&portal.db, url.expose(), &accounts);
    }
    let state = AppState {
        accounts,
        hubs: Arc::new(hubs),
        portal,
    };
    if config.overview.enabled {
        crate::overview::spawn(&state);
    }
    let options = leptos_options(&config);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    // The bound address, not the configured one: with port 0 the OS picks
    // it, and scripts and tests read it from this line.
    tracing::info!("Scanport listening on http://{}", listener.local_addr()?);
    let shutdown = Shutdown::new();
    // Live streams watch `shutdown` and end when it fires, so the drain
    // below is not held open by them.
    let app = app(state, sign_in, options, WebPolicy::from_config(&config))
        .layer(Extension(shutdown.clone()));
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown({
        let shutdown = shutdown.clone();
        async move {
            crate::shutdown::os_signal().await;
            tracing::info!("shutting down: finishing requests in flight, ending live streams");
            shutdown.trigger();
        }
    });
    let limit = crate::shutdown::drain_limit(config.http.timeout_secs);
    tokio::select! {
        served = server => served?,
        () = async { shutdown.wait().await; tokio::time::sleep(limit).await } => {
            tracing::warn!(?limit, "requests still in flight after the drain limit; exiting anyway");
        }
    }
    tracing::info!("stopped");
    Ok(())
}
