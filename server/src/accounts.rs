//! Turns the configured accounts (or, with none, the embedded sandbox)
//! into the clients server functions use.

use crate::config::{Config, ConfigError, ProviderName};
use crate::credentials::{self, Credentials};
use crate::replicas;
use rand::Rng;
use rand::distr::Alphanumeric;
use scanport_app::accounts::{AccountInfo, Provider};
use scanport_app::state::{Account, AccountClient};
use scanport_cloud::budget::RateBudget;
use scanport_cloud::hss::{self, HssClient};
use scanport_cloud::tcss::{self, TcssClient};
use scanport_cloud::{HttpSettings, HuaweiCredentials, TencentCredentials};
use scanport_portal::Db;
use scanport_sandbox::{HuaweiKey, SandboxConfig, TencentKey};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// The embedded sandbox's two demo accounts.
const SANDBOX_HUAWEI: &str = "sandbox-huawei";
const SANDBOX_TENCENT: &str = "sandbox-tencent";

/// The names of the accounts the console will serve with this
/// configuration, in its order (what a token may be limited to).
pub fn names(config: &Config) -> Vec<String> {
    if config.sandbox.runs(&config.accounts) {
        return vec![SANDBOX_HUAWEI.to_owned(), SANDBOX_TENCENT.to_owned()];
    }
    config.accounts.iter().map(|a| a.id.clone()).collect()
}

pub fn http_settings(config: &Config) -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_secs_f64(config.http.connect_timeout_secs),
        timeout: Duration::from_secs_f64(config.http.timeout_secs),
        read_retries: config.http.read_retries,
        read_cache: Duration::from_secs_f64(config.http.read_cache_secs),
    }
}

/// Builds every configured account's client. When the embedded sandbox
/// runs (`sandbox.enabled`, by default only with no account configured),
/// starts it on a loopback port and returns demo accounts pointed at it.
/// Configured accounts keep their call spacing in `db` when replicas
/// share it (PostgreSQL); each replica's embedded sandbox is its own.
pub async fn build(config: &Config, db: &Db) -> Result<Vec<Account>, ConfigError> {
    let settings = http_settings(config);
    let http = scanport_cloud::http_client(&settings)
        .map_err(|e| ConfigError::Invalid(format!("cannot build the HTTP client: {e}")))?;
    if config.sandbox.runs(&config.accounts) {
        return embedded_sandbox(config, http, settings).await;
    }
    if config.accounts.is_empty() {
        tracing::warn!(
            "no cloud account configured and sandbox.enabled = false: the console has \
             nothing to show until [[accounts]] are added"
        );
    }
    let env = |name: &str| std::env::var(name).ok();
    let mut accounts = Vec::new();
    for account in &config.accounts {
        let creds = credentials::read(account, &env)?;
        let bad = |e: String| ConfigError::Invalid(format!("account {:?}: {e}", account.id));
        let client = match (account.provider, creds) {
            (ProviderName::Huawei, Credentials::Huawei(creds)) => {
                let endpoint = account
                    .endpoint
                    .clone()
                    .unwrap_or_else(|| hss::default_endpoint(&account.region));
                let project_id = account.project_id.as_deref().unwrap_or_default();
                AccountClient::Huawei(
                    HssClient::new(
                        &endpoint,
                        project_id,
                        creds,
                        http.clone(),
                        settings,
                        Arc::new(replicas::share(
                            budget(account.max_calls_per_minute, RateBudget::huawei_default),
                            db,
                            &account.id,
                        )),
                    )
                    .and_then(|c| {
                        c.with_enterprise_project_id(account.enterprise_project_id.as_deref())
                    })
                    .map_err(bad)?,
                )
            }
            (ProviderName::Tencent, Credentials::Tencent(creds)) => {
                let endpoint = account
                    .endpoint
                    .clone()
                    .unwrap_or_else(tcss::default_endpoint);
                AccountClient::Tencent(
                    TcssClient::new(
                        &endpoint,
                        &account.region,
                        creds,
                        http.clone(),
                        settings,
                        Arc::new(replicas::share(
                            budget(account.max_calls_per_minute, RateBudget::tencent_default),
                            db,
                            &account.id,
                        )),
                    )
                    .map_err(bad)?,
                )
            }
            _ => return Err(bad("credentials do not match the provider".to_owned())),
        };
        accounts.push(Account {
            info: AccountInfo {
                id: account.id.clone(),
                provider: match account.provider {
                    ProviderName::Huawei => Provider::Huawei,
                    ProviderName::Tencent => Provider::Tencent,
                },
                region: account.region.clone(),
                sandbox: false,
                paused: false,
            },
            client,
        });
    }
    Ok(accounts)
}

/// The account's own budget if configured, else the service's default.
fn budget(per_minute: Option<u32>, default: fn() -> RateBudget) -> RateBudget {
    per_minute
        .and_then(NonZeroU32::new)
        .map_or_else(default, |n| RateBudget::new(n, Duration::from_secs(60)))
}

/// The services' budgets while the sandbox enforces their limits; with
/// `sandbox.rate_limits = false` (tests), no client-side limit either.
fn sandbox_budget(config: &Config, default: fn() -> RateBudget) -> RateBudget {
    if config.sandbox.rate_limits {
        default()
    } else {
        RateBudget::new(
            NonZeroU32::new(60_000).unwrap_or(NonZeroU32::MIN),
            Duration::from_secs(60),
        )
    }
}

fn random_secret(len: usize) -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

async fn embedded_sandbox(
    config: &Config,
    http: reqwest::Client,
    settings: HttpSettings,
) -> Result<Vec<Account>, ConfigError> {
    let key = HuaweiKey {
        ak: format!("SANDBOX{}", random_secret(13).to_uppercase()),
        sk: random_secret(40),
    };
    let listen = config
        .sandbox
        .listen
        .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| ConfigError::Invalid(format!("cannot start the embedded sandbox: {e}")))?;
    let tencent_key = TencentKey {
        secret_id: format!("SANDBOXID{}", random_secret(16)),
        secret_key: random_secret(32),
    };
    let mut sandbox_config = SandboxConfig::new(vec![key.clone()], vec![tencent_key.clone()]);
    sandbox_config.seed = config.sandbox.seed;
    sandbox_config.rate_limits = config.sandbox.rate_limits;
    sandbox_config.pace = Duration::from_millis(config.sandbox.pace_ms);
    sandbox_config.null_percent = config.sandbox.null_percent;
    sandbox_config.control_token = scanport_sandbox::control_token_from_env();
    let running = scanport_sandbox::spawn(listener, sandbox_config)
        .map_err(|e| ConfigError::Invalid(format!("cannot start the embedded sandbox: {e}")))?;
    // Loud: its data is made up, and a console showing it must not be
    // mistaken for one watching a real cloud.
    tracing::warn!(
        endpoint = %running.endpoint(),
        control_header = scanport_sandbox::CONTROL_HEADER,
        control_token = %running.control_token,
        "EMBEDDED SANDBOX RUNNING: every account, image and task shown is DEMO DATA from a \
         built-in fake cloud, not a real one; configure [[accounts]] (or set \
         sandbox.enabled = false) to turn it off"
    );
    let hss = HssClient::new(
        &running.endpoint(),
        "sandbox-project",
        HuaweiCredentials::new(key.ak, key.sk),
        http.clone(),
        settings,
        Arc::new(sandbox_budget(config, RateBudget::huawei_default)),
    )
    .map_err(ConfigError::Invalid)?;
    let tcss = TcssClient::new(
        &running.endpoint(),
        "ap-guangzhou",
        TencentCredentials::new(tencent_key.secret_id, tencent_key.secret_key),
        http,
        settings,
        Arc::new(sandbox_budget(config, RateBudget::tencent_default)),
    )
    .map_err(ConfigError::Invalid)?;
    Ok(vec![
        Account {
            info: AccountInfo {
                id: SANDBOX_HUAWEI.to_owned(),
                provider: Provider::Huawei,
                region: "ap-southeast-1".to_owned(),
                sandbox: true,
                paused: false,
            },
            client: AccountClient::Huawei(hss),
        },
        Account {
            info: AccountInfo {
                id: SANDBOX_TENCENT.to_owned(),
                provider: Provider::Tencent,
                region: "ap-guangzhou".to_owned(),
                sandbox: true,
                paused: false,
            },
            client: AccountClient::Tencent(tcss),
        },
    ])
}
