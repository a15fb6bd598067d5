//! Configuration: defaults, then the TOML file named by `--config` or
//! `SCANPORT_CONFIG`, then `SCANPORT_*` environment overrides (nested keys
//! with `__`, e.g. `SCANPORT_HTTP__TIMEOUT_SECS=10`).
//!
//! Secrets never live in the TOML: an account's credentials come from the
//! environment (the official SDKs' variable names by default) or from a
//! credentials file only its owner can read.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the console listens.
    pub listen: SocketAddr,
    /// The built site (JS, WASM, CSS), as cargo-leptos writes it (default:
    /// `site/` beside the binary if there, else `target/site`).
    pub site_root: PathBuf,
    pub http: HttpConfig,
    pub sandbox: SandboxConfig,
    pub live: LiveConfig,
    pub overview: OverviewConfig,
    /// Where the embedded SQLite database lives (created if missing).
    pub data_dir: PathBuf,
    /// `postgres://…` to share one database between replicas, or
    /// `sqlite://…`; overrides `data_dir`. Best set through
    /// `SCANPORT_DATABASE_URL`, since it may hold a password (and so it
    /// never shows in `Debug` output or logs).
    pub database_url: Option<SecretString>,
    pub web: WebConfig,
    pub auth: AuthConfig,
    pub log: LogConfig,
    pub audit: AuditConfig,
    pub accounts: Vec<AccountConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            site_root: default_site_root(),
            http: HttpConfig::default(),
            sandbox: SandboxConfig::default(),
            live: LiveConfig::default(),
            overview: OverviewConfig::default(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            web: WebConfig::default(),
            auth: AuthConfig::default(),
            log: LogConfig::default(),
            audit: AuditConfig::default(),
            accounts: Vec::new(),
        }
    }
}

/// The built site: `site/` beside the binary when there is one (a
/// release package, which so runs from any directory), else where
/// cargo-leptos writes it in a source checkout.
fn default_site_root() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("site")))
        .filter(|site| site.join("pkg").is_dir())
        .unwrap_or_else(|| PathBuf::from("target/site"))
}

/// A setting that may hold a password (`database_url`): printed as
/// `[redacted]`, so a `Debug` of the config or a log line cannot leak it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Timeouts and retries for every cloud call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    pub connect_timeout_secs: f64,
    pub timeout_secs: f64,
    pub read_retries: u32,
    /// How long a read's answer (an image list, a policy) is reused for
    /// the same question; 0 turns the cache off. Changes made through the
    /// console empty it at once.
    pub read_cache_secs: f64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout_secs: 5.0,
            timeout_secs: 20.0,
            read_retries: 2,
            read_cache_secs: 20.0,
        }
    }
}

/// The embedded sandbox: a fake HSS/TCSS serving demo data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxConfig {
    /// Run it. Unset: only when no account is configured, so a console
    /// with real accounts never serves demo data unless asked. It cannot
    /// run beside real accounts.
    pub enabled: Option<bool>,
    pub seed: u64,
    /// Keep the services' documented rate limits (the default).
    pub rate_limits: bool,
    /// Milliseconds a launched scan spends per image.
    pub pace_ms: u64,
    /// Share (0..=100) of TCSS answers that send the members Tencent
    /// documents as "may return null" as `null` (the sandbox's
    /// `null_percent` fault), to see the console cope.
    pub null_percent: u8,
    /// Where it listens (a free loopback port when unset). Its fault
    /// switches need no sign-in, so only a loopback address is accepted.
    pub listen: Option<SocketAddr>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            enabled: None,
            seed: 1,
            rate_limits: true,
            pace_ms: 3000,
            null_percent: 0,
            listen: None,
        }
    }
}

/// How the server writes its logs (what it writes: `SCANPORT_LOG`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
}

/// One line of text per event, or one JSON object per line (for log
/// shippers: every field, the request id included, is a key).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The audit log's retention.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditConfig {
    /// Days a finished audit row is kept; unset keeps every row. Pruned
    /// at start and every few minutes.
    pub keep_days: Option<u32>,
}

/// The longest `audit.keep_days`: a century.
pub const MAX_AUDIT_KEEP_DAYS: u32 = 36_500;

/// How often the shared task snapshots are refreshed. The call budget
/// always has the last word: HSS allows 5 list calls a minute per user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LiveConfig {
    /// While a task in the list runs.
    pub busy_secs: f64,
    /// While nothing runs.
    pub idle_secs: f64,
}

impl Default for LiveConfig {
    fn default() -> Self {
        Self {
            busy_secs: 12.0,
            idle_secs: 120.0,
        }
    }
}

/// The Overview page's background gathering (see `crate::overview`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OverviewConfig {
    /// Off: no background calls, and the Overview says it was never
    /// gathered (for tests that count every call a cloud receives).
    pub enabled: bool,
}

impl Default for OverviewConfig {
    fn default() -> Self {
        Self { enabled: true }
    }
}

/// How browsers reach the console.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebConfig {
    /// The address users type, e.g. `https://scanport.example.com`. With
    /// `https`, cookies are `Secure` with a `__Host-` name and HSTS is sent.
    /// Also the only origin state-changing requests may come from; when
    /// unset, the request's own `Host` is that origin.
    pub public_origin: Option<String>,
    /// Larger request bodies are refused with 413.
    pub max_body_bytes: usize,
    /// Reverse proxies (CIDRs, e.g. `10.0.0.0/8`, `::1/128`) whose
    /// `X-Forwarded-For` / `Forwarded` headers are believed for the
    /// client's address. From any other peer those headers are ignored.
    pub trusted_proxies: Vec<String>,
    /// Which header those proxies set: `x-forwarded-for` or `forwarded`
    /// (RFC 7239). Only that one is read, so a client cannot slip in the
    /// other past a proxy that passes it through untouched.
    pub forwarded_header: String,
    /// Without `public_origin`, the only `Host` names answered (any other
    /// gets 421, so a DNS-rebinding page cannot reach the console): a
    /// bare name or address allows any port, `name:port` that port only.
    /// The listen address is always allowed.
    pub allowed_hosts: Vec<String>,
    /// Addresses (CIDRs or single addresses) that may read `/metrics`
    /// without an admin's token, e.g. the Prometheus server's.
    pub metrics_allow: Vec<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            public_origin: None,
            max_body_bytes: 256 * 1024,
            trusted_proxies: Vec::new(),
            forwarded_header: "x-forwarded-for".to_owned(),
            allowed_hosts: vec![
                "127.0.0.1".to_owned(),
                "localhost".to_owned(),
                "[::1]".to_owned(),
            ],
            metrics_allow: Vec::new(),
        }
    }
}

/// Sessions and sign-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// A session nobody used for this long ends.
    pub idle_minutes: u64,
    /// Any session ends this long after sign-in.
    pub absolute_hours: u64,
    /// Failed sign-ins a minute per user name from one client address,
    /// and per client address whatever the names.
    pub login_attempts_per_name: u32,
    pub login_attempts_per_address: u32,
    /// Failed sign-ins a minute per user name from all addresses
    /// together; past it only addresses without recent failures may try.
    pub login_attempts_per_name_anywhere: u32,
    /// Password hashes computed at once for sign-in and setup, and how
    /// many more may wait; beyond that the answer is 503 `Retry-After`.
    pub hashing_concurrency: usize,
    pub hashing_queue: usize,
    /// Days a new API token lives unless created with another figure or
    /// with no expiry at all (`--no-expiry`, `"no_expiry": true`): a
    /// forgotten script's token does not work for ever.
    pub token_expiry_days: u32,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            idle_minutes: 30,
            absolute_hours: 12,
            login_attempts_per_name: 5,
            login_attempts_per_address: 20,
            login_attempts_per_name_anywhere: 30,
            hashing_concurrency: 4,
            hashing_queue: 32,
            token_expiry_days: 90,
        }
    }
}

impl SandboxConfig {
    /// Whether the embedded sandbox runs, given the configured accounts.
    pub fn runs(&self, accounts: &[AccountConfig]) -> bool {
        self.enabled.unwrap_or(accounts.is_empty())
    }
}

/// Whether `endpoint`'s host is this machine (`localhost`, 127.0.0.0/8,
/// `::1`): the only place plain `http://` may go.
fn is_loopback_url(url: &reqwest::Url) -> bool {
    url.host_str().is_some_and(is_loopback_host)
}

/// `localhost`, an address in 127.0.0.0/8, or `::1` (bracketed or not).
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl WebConfig {
    /// `trusted_proxies` parsed; a bare address counts as a single host.
    /// `Err` with the first entry that is neither.
    pub fn trusted_proxy_nets(&self) -> Result<Vec<ipnet::IpNet>, String> {
        parse_nets(&self.trusted_proxies)
    }

    /// `metrics_allow` parsed, as [`Self::trusted_proxy_nets`].
    pub fn metrics_allow_nets(&self) -> Result<Vec<ipnet::IpNet>, String> {
        parse_nets(&self.metrics_allow)
    }

    /// Whether the console is served over HTTPS.
    pub fn is_https(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://"))
    }
}

/// CIDRs or bare addresses (a single host); `Err` with the first entry
/// that is neither.
fn parse_nets(entries: &[String]) -> Result<Vec<ipnet::IpNet>, String> {
    entries
        .iter()
        .map(|entry| {
            let entry = entry.trim();
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| {
                    entry.parse::<std::net::IpAddr>().map(|ip| {
                        let bits = if ip.is_ipv4() { 32 } else { 128 };
                        ipnet::IpNet::new(ip, bits).expect("a full-length prefix")
                    })
                })
                .map_err(|_| entry.to_owned())
        })
        .collect()
}

/// `provider = "huawei" | "tencent"`: the same type the API answers with.
pub use scanport_wire::accounts::Provider as ProviderName;

/// One `[[accounts]]` entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    pub id: String,
    pub provider: ProviderName,
    pub region: String,
    /// Huawei only.
    #[serde(default)]
    pub project_id: Option<String>,
    /// Huawei only, optional: the enterprise project every HSS call acts
    /// in (`all_granted_eps` for all of them); without it the service
    /// uses the default project.
    #[serde(default)]
    pub enterprise_project_id: Option<String>,
    /// Overrides the region's public endpoint (tests point it at a local
    /// upstream).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// A TOML file with the credentials (`ak`/`sk`[/`security_token`] or
    /// `secret_id`/`secret_key`[/`token`]), readable by its owner only.
    #[serde(default)]
    pub credentials_file: Option<PathBuf>,
    /// Client-side call budget per API (default: the service's documented
    /// limit, 5 per minute for HSS and 1200 per minute for TCSS).
    #[serde(default)]
    pub max_calls_per_minute: Option<u32>,
    /// Names of the environment variables holding the credentials.
    #[serde(default)]
    pub ak_env: Option<String>,
    #[serde(default)]
    pub sk_env: Option<String>,
    #[serde(default)]
    pub security_token_env: Option<String>,
    #[serde(default)]
    pub secret_id_env: Option<String>,
    #[serde(default)]
    pub secret_key_env: Option<String>,
    #[serde(default)]
    pub token_env: Option<String>,
}

/// Top-level keys that `SCANPORT_*` variables may set.
const ENV_KEYS: [&str; 11] = [
    "listen",
    "site_root",
    "http",
    "sandbox",
    "live",
    "data_dir",
    "database_url",
    "web",
    "auth",
    "log",
    "audit",
];

/// Keys that hold a secret; refused inside the TOML with a clear message.
const SECRET_KEYS: [&str; 12] = [
    "ak",
    "sk",
    "access_key",
    "secret_key",
    "secret_id",
    "secret",
    "security_token",
    "token",
    "password",
    "access_key_id",
    "secret_access_key",
    "credentials",
];

/// The longest interval a setting in seconds may hold: a day. The server
/// makes durations of them, which `inf` or `1e300` (valid TOML floats)
/// would crash at start; anything past a day is a typo anyway.
const MAX_SECS: f64 = 86_400.0;
/// A year of idle time, and of session life: past that the arithmetic on
/// them (minutes to seconds) could overflow.
const MAX_IDLE_MINUTES: u64 = 525_600;
const MAX_ABSOLUTE_HOURS: u64 = 8_760;

/// More than zero and at most [`MAX_SECS`]; false for NaN.
fn seconds_ok(secs: f64) -> bool {
    secs > 0.0 && secs <= MAX_SECS
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
    #[error(
        "account {account:?}: `{key}` looks like a secret written into the config file; \
         secrets are read from the environment or from `credentials_file` (see README)"
    )]
    InlineSecret { account: String, key: String },
}

impl From<figment::Error> for ConfigError {
    fn from(err: figment::Error) -> Self {
        Self::Invalid(err.to_string())
    }
}

/// A real account talks to a cloud over `https://`; plain `http://` only
/// to this machine (a local test upstream), where no network sees the
/// signed requests.
fn check_endpoint(account: &str, endpoint: &str) -> Result<(), ConfigError> {
    let url = reqwest::Url::parse(endpoint).map_err(|e| {
        ConfigError::Invalid(format!(
            "account {account:?}: endpoint {endpoint:?} is not a URL ({e})"
        ))
    })?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_url(&url) => Ok(()),
        _ => Err(ConfigError::Invalid(format!(
            "account {account:?}: endpoint must start with https:// \
             (plain http:// only to a loopback address such as 127.0.0.1), got {endpoint:?}"
        ))),
    }
}

impl Config {
    /// Loads defaults, the optional TOML file, then `SCANPORT_*` overrides.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError::Invalid(format!(
                    "config file {} does not exist",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        // Only settings: other SCANPORT_* variables (SCANPORT_CONFIG,
        // SCANPORT_LOG, test helpers) are not configuration keys.
        let env = Env::prefixed("SCANPORT_")
            .filter(|key| {
                let key = key.as_str().to_ascii_lowercase();
                // `SCANPORT_LOG` itself is the log filter (see main.rs);
                // only `SCANPORT_LOG__FORMAT` and the like are settings.
                ENV_KEYS
                    .iter()
                    .any(|k| (key == *k && *k != "log") || key.starts_with(&format!("{k}__")))
            })
            .split("__");
        figment = figment.merge(env);
        Self::from_figment(&figment)
    }

    /// Defaults, then `text` as the config file; no environment. For
    /// checking a file's text on its own (and for fuzzing the parser).
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let figment =
            Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(text));
        Self::from_figment(&figment)
    }

    /// The checks every source goes through: no inline secret, the typed
    /// shape, then the rules between fields.
    fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        Self::refuse_inline_secrets(figment)?;
        let config: Config = figment.extract()?;
        config.check()?;
        Ok(config)
    }

    fn refuse_inline_secrets(figment: &Figment) -> Result<(), ConfigError> {
        let Ok(accounts) = figment.extract_inner::<Vec<figment::value::Dict>>("accounts") else {
            return Ok(()); // the typed extraction reports the real problem
        };
        for account in accounts {
            let id = account
                .get("id")
                .and_then(|v| v.as_str())
                .unwrap_or("?")
                .to_owned();
            if let Some(key) = account
                .keys()
                .find(|k| SECRET_KEYS.contains(&k.to_ascii_lowercase().as_str()))
            {
                return Err(ConfigError::InlineSecret {
                    account: id,
                    key: key.clone(),
                });
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), ConfigError> {
        let mut seen = std::collections::HashSet::new();
        for account in &self.accounts {
            if account.id.is_empty() || account.id.len() > 64 {
                return Err(ConfigError::Invalid(
                    "an account id must be 1..64 characters".into(),
                ));
            }
            if !seen.insert(account.id.as_str()) {
                return Err(ConfigError::Invalid(format!(
                    "account id {:?} is used twice",
                    account.id
                )));
            }
            if account.provider == ProviderName::Huawei && account.project_id.is_none() {
                return Err(ConfigError::Invalid(format!(
                    "account {:?}: a Huawei account needs project_id",
                    account.id
                )));
            }
            if let Some(endpoint) = &account.endpoint {
                check_endpoint(&account.id, endpoint)?;
            }
            if let Some(eps) = &account.enterprise_project_id {
                if account.provider != ProviderName::Huawei {
                    return Err(ConfigError::Invalid(format!(
                        "account {:?}: enterprise_project_id is for Huawei accounts only",
                        account.id
                    )));
                }
                if eps.is_empty() || eps.chars().count() > 256 || eps.chars().any(char::is_control)
                {
                    return Err(ConfigError::Invalid(format!(
                        "account {:?}: enterprise_project_id must be 1 to 256 characters, \
                         without control characters",
                        account.id
                    )));
                }
            }
        }
        if self.sandbox.enabled == Some(true) && !self.accounts.is_empty() {
            return Err(ConfigError::Invalid(
                "sandbox.enabled = true runs the demo sandbox, which cannot run beside real \
                 accounts: remove the [[accounts]] entries or sandbox.enabled"
                    .into(),
            ));
        }
        if let Some(bad) = self.web.allowed_hosts.iter().find(|h| {
            h.is_empty() || h.contains(['/', '@', ' ']) || h.chars().any(char::is_control)
        }) {
            return Err(ConfigError::Invalid(format!(
                "web.allowed_hosts: {bad:?} is not a host name or host:port"
            )));
        }
        if self.sandbox.null_percent > 100 {
            return Err(ConfigError::Invalid(format!(
                "sandbox.null_percent must be 0 to 100 (got {})",
                self.sandbox.null_percent
            )));
        }
        if self.sandbox.listen.is_some_and(|a| !a.ip().is_loopback()) {
            return Err(ConfigError::Invalid(
                "sandbox.listen must be a loopback address (its test controls are open)".into(),
            ));
        }
        if self.web.public_origin.as_deref().is_some_and(|o| {
            !(o.starts_with("http://") || o.starts_with("https://")) || o.ends_with('/')
        }) {
            return Err(ConfigError::Invalid(
                "web.public_origin must look like https://host[:port], without a path".into(),
            ));
        }
        if !(1..=MAX_IDLE_MINUTES).contains(&self.auth.idle_minutes)
            || !(1..=MAX_ABSOLUTE_HOURS).contains(&self.auth.absolute_hours)
        {
            return Err(ConfigError::Invalid(format!(
                "auth.idle_minutes must be 1 to {MAX_IDLE_MINUTES} and auth.absolute_hours \
                 1 to {MAX_ABSOLUTE_HOURS}"
            )));
        }
        if let Err(bad) = self.web.trusted_proxy_nets() {
            return Err(ConfigError::Invalid(format!(
                "web.trusted_proxies: {bad:?} is not a CIDR such as 10.0.0.0/8 or ::1/128"
            )));
        }
        if let Err(bad) = self.web.metrics_allow_nets() {
            return Err(ConfigError::Invalid(format!(
                "web.metrics_allow: {bad:?} is not a CIDR such as 10.0.0.0/8 or an address"
            )));
        }
        if !matches!(
            self.web.forwarded_header.as_str(),
            "x-forwarded-for" | "forwarded"
        ) {
            return Err(ConfigError::Invalid(
                "web.forwarded_header must be x-forwarded-for or forwarded".into(),
            ));
        }
        if self.auth.hashing_concurrency == 0 {
            return Err(ConfigError::Invalid(
                "auth.hashing_concurrency must be at least 1".into(),
            ));
        }
        let max_days = scanport_portal::tokens::MAX_EXPIRY_DAYS;
        if !(1..=max_days).contains(&self.auth.token_expiry_days) {
            return Err(ConfigError::Invalid(format!(
                "auth.token_expiry_days must be 1 to {max_days} (a token without expiry is \
                 asked for when it is created)"
            )));
        }
        if let Some(days) = self.audit.keep_days
            && !(1..=MAX_AUDIT_KEEP_DAYS).contains(&days)
        {
            return Err(ConfigError::Invalid(format!(
                "audit.keep_days must be 1 to {MAX_AUDIT_KEEP_DAYS} (leave it out to keep \
                 every row)"
            )));
        }
        if self.web.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid(
                "web.max_body_bytes must be at least 1024".into(),
            ));
        }
        if !(seconds_ok(self.live.busy_secs) && seconds_ok(self.live.idle_secs)) {
            return Err(ConfigError::Invalid(format!(
                "live refresh intervals must be more than 0 and at most {MAX_SECS} seconds"
            )));
        }
        if !(seconds_ok(self.http.timeout_secs) && seconds_ok(self.http.connect_timeout_secs)) {
            return Err(ConfigError::Invalid(format!(
                "http timeouts must be more than 0 and at most {MAX_SECS} seconds"
            )));
        }
        let cache = self.http.read_cache_secs;
        if !(cache == 0.0 || seconds_ok(cache)) {
            return Err(ConfigError::Invalid(format!(
                "http.read_cache_secs must be 0 (off) or more than 0 and at most {MAX_SECS} seconds"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment's Jail closures return figment::Error
mod tests {
    use super::*;
    use std::io::Write;

    /// Loads inside figment's Jail: tests that set `SCANPORT_*` variables
    /// hold the same lock, so none leaks into another test.
    fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let mut result = None;
        figment::Jail::expect_with(|_| {
            result = Some(Config::load(path));
            Ok(())
        });
        result.expect("the jail ran")
    }

    fn write(text: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(text.as_bytes()).expect("write");
        file
    }

    #[test]
    fn reads_accounts_from_toml() {
        let file = write(
            r#"
            listen = "127.0.0.1:4000"
            [[accounts]]
            id = "hw"
            provider = "huawei"
            region = "ap-southeast-1"
            project_id = "p1"
            endpoint = "http://127.0.0.1:9"
            [[accounts]]
            id = "tc"
            provider = "tencent"
            region = "ap-guangzhou"
            "#,
        );
        let config = load(Some(file.path())).expect("loads");
        assert_eq!(config.listen.port(), 4000);
        assert_eq!(config.accounts.len(), 2);
        assert_eq!(config.accounts[1].provider, ProviderName::Tencent);
    }

    #[test]
    fn no_file_means_defaults_and_no_accounts() {
        let config = load(None).expect("defaults");
        assert!(config.accounts.is_empty());
        assert_eq!(config.listen.port(), 3000);
    }

    #[test]
    fn an_inline_secret_is_refused_with_a_clear_message() {
        let file = write(
            r#"
            [[accounts]]
            id = "hw"
            provider = "huawei"
            region = "r"
            project_id = "p"
            sk = "do-not-put-me-here"
            "#,
        );
        let err = load(Some(file.path())).unwrap_err().to_string();
        assert!(err.contains("\"hw\"") && err.contains("`sk`"), "{err}");
        assert!(err.contains("environment"), "{err}");
        assert!(
            !err.contains("do-not-put-me-here"),
            "the secret must not be echoed: {err}"
        );
    }

    #[test]
    fn a_huawei_account_needs_a_project_id() {
        let file = write("[[accounts]]\nid = \"hw\"\nprovider = \"huawei\"\nregion = \"r\"\n");
        let err = load(Some(file.path())).unwrap_err().to_string();
        assert!(err.contains("project_id"), "{err}");
    }

    #[test]
    fn an_enterprise_project_is_huawei_only_and_1_to_256_characters() {
        let hw = |eps: &str| {
            format!(
                "[[accounts]]\nid = \"hw\"\nprovider = \"huawei\"\nregion = \"r\"\n\
                 project_id = \"p\"\nenterprise_project_id = \"{eps}\"\n"
            )
        };
        let config = Config::parse(&hw("all_granted_eps")).expect("parses");
        assert_eq!(
            config.accounts[0].enterprise_project_id.as_deref(),
            Some("all_granted_eps")
        );
        for bad in [String::new(), "e".repeat(257)] {
            let err = Config::parse(&hw(&bad)).unwrap_err().to_string();
            assert!(err.contains("enterprise_project_id"), "{err}");
        }
        let tc = "[[accounts]]\nid = \"tc\"\nprovider = \"tencent\"\nregion = \"r\"\n\
                  enterprise_project_id = \"x\"\n";
        let err = Config::parse(tc).unwrap_err().to_string();
        assert!(err.contains("Huawei accounts only"), "{err}");
    }

    #[test]
    fn scanport_variables_override_settings_and_others_are_ignored() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SCANPORT_LISTEN", "127.0.0.1:4101");
            jail.set_env("SCANPORT_HTTP__TIMEOUT_SECS", "7.5");
            jail.set_env("SCANPORT_LOG", "debug");
            jail.set_env("SCANPORT_SHARED_DIR", "/elsewhere");
            jail.set_env("SCANPORT_LOG__FORMAT", "json");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.listen.port(), 4101);
            assert!((config.http.timeout_secs - 7.5).abs() < f64::EPSILON);
            // SCANPORT_LOG is the log filter; SCANPORT_LOG__FORMAT a setting.
            assert_eq!(config.log.format, LogFormat::Json);
            Ok(())
        });
    }

    #[test]
    fn parse_applies_the_same_checks_as_load() {
        let config = Config::parse("listen = \"127.0.0.1:4001\"\n").expect("parses");
        assert_eq!(config.listen.port(), 4001);
        let err = Config::parse("[web]\nmax_body_bytes = 10\n").unwrap_err();
        assert!(err.to_string().contains("max_body_bytes"), "{err}");
        let err = Config::parse(
            "[[accounts]]\nid = \"t\"\nprovider = \"tencent\"\nregion = \"r\"\nsecret_key = \"s3cr3t-value\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("`secret_key`") && !err.contains("s3cr3t-value"),
            "{err}"
        );
    }

    /// Found by fuzzing (`fuzz/`): these parsed, then crashed the server
    /// when it made durations of them.
    #[test]
    fn seconds_and_minutes_that_cannot_be_durations_are_refused() {
        for text in [
            "[http]\ntimeout_secs = inf\n",
            "[http]\nconnect_timeout_secs = 1e300\n",
            "[live]\nbusy_secs = nan\n",
            "[live]\nidle_secs = 86401\n",
            "[auth]\nidle_minutes = 18446744073709551615\n",
            "[auth]\nabsolute_hours = 8761\n",
            "[http]\nread_cache_secs = -1\n",
            "[http]\nread_cache_secs = nan\n",
        ] {
            assert!(Config::parse(text).is_err(), "{text}");
        }
        assert!(Config::parse("[http]\ntimeout_secs = 86400\n").is_ok());
        assert!(Config::parse("[http]\nread_cache_secs = 0\n").is_ok());
    }

    #[test]
    fn the_sandboxs_null_share_is_a_percentage() {
        let config = Config::parse("[sandbox]\nnull_percent = 25\n").expect("parses");
        assert_eq!(config.sandbox.null_percent, 25);
        assert_eq!(Config::default().sandbox.null_percent, 0);
        let err = Config::parse("[sandbox]\nnull_percent = 101\n").unwrap_err();
        assert!(err.to_string().contains("sandbox.null_percent"), "{err}");
    }

    fn with_endpoint(endpoint: &str) -> String {
        format!(
            "[[accounts]]\nid = \"prod-hw\"\nprovider = \"huawei\"\nregion = \"r\"\n\
             project_id = \"p\"\nendpoint = \"{endpoint}\"\n"
        )
    }

    #[test]
    fn log_format_is_text_or_json_and_metrics_allow_is_checked() {
        assert_eq!(Config::default().log.format, LogFormat::Text);
        let json = Config::parse("[log]\nformat = \"json\"\n").expect("json");
        assert_eq!(json.log.format, LogFormat::Json);
        let err = Config::parse("[log]\nformat = \"xml\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("xml") || err.contains("format"), "{err}");
        let allow = Config::parse("[web]\nmetrics_allow = [\"10.1.0.0/16\", \"::1\"]\n")
            .expect("CIDRs and addresses");
        assert_eq!(allow.web.metrics_allow_nets().map(|n| n.len()), Ok(2));
        let err = Config::parse("[web]\nmetrics_allow = [\"prometheus\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("web.metrics_allow") && err.contains("prometheus"),
            "{err}"
        );
    }

    /// What `scripts/package.sh` ships as the example must be a config
    /// the server takes.
    #[test]
    fn the_packaged_example_config_parses() {
        let config = Config::parse(include_str!("../../deploy/scanport.example.toml"))
            .expect("deploy/scanport.example.toml parses");
        assert_eq!(config.accounts.len(), 2);
        assert_eq!(config.log.format, LogFormat::Json);
        assert!(config.web.is_https());
        assert!(config.accounts.iter().all(|a| a.credentials_file.is_some()));
    }

    #[test]
    fn audit_keep_days_is_unset_or_1_to_a_century() {
        assert_eq!(Config::default().audit.keep_days, None, "keeps every row");
        let year = Config::parse("[audit]\nkeep_days = 365\n").expect("a year");
        assert_eq!(year.audit.keep_days, Some(365));
        for bad in ["0", "36501"] {
            let err = Config::parse(&format!("[audit]\nkeep_days = {bad}\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("audit.keep_days"), "{bad}: {err}");
        }
        figment::Jail::expect_with(|jail| {
            jail.set_env("SCANPORT_AUDIT__KEEP_DAYS", "30");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.audit.keep_days, Some(30));
            Ok(())
        });
    }

    #[test]
    fn a_real_accounts_endpoint_is_https_unless_loopback() {
        for ok in [
            "https://hss.ap-southeast-1.myhuaweicloud.com",
            "http://127.0.0.1:8600",
            "http://127.0.0.2:9",
            "http://localhost:8600",
            "http://[::1]:8600",
        ] {
            assert!(Config::parse(&with_endpoint(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "http://hss.example.com",
            "http://10.0.0.5:8600",
            "http://localhost.evil.test",
            "ftp://127.0.0.1",
            "not a url",
        ] {
            let err = Config::parse(&with_endpoint(bad)).unwrap_err().to_string();
            assert!(err.contains("\"prod-hw\""), "{bad}: {err}");
            assert!(err.contains("endpoint"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_database_url_never_shows_in_debug_output() {
        figment::Jail::expect_with(|jail| {
            jail.set_env(
                "SCANPORT_DATABASE_URL",
                "postgres://scanport:Hunter2-Pelican@db.internal/scanport",
            );
            let config = Config::load(None).map_err(|e| e.to_string())?;
            let url = config.database_url.as_ref().map(SecretString::expose);
            assert_eq!(
                url,
                Some("postgres://scanport:Hunter2-Pelican@db.internal/scanport")
            );
            let debug = format!("{config:?} {config:#?}");
            assert!(!debug.contains("Hunter2-Pelican"), "{debug}");
            assert!(debug.contains("[redacted]"), "{debug}");
            Ok(())
        });
    }

    #[test]
    fn the_sandbox_runs_only_when_asked_or_with_no_account() {
        let none = Config::parse("").expect("parses");
        assert!(none.sandbox.runs(&none.accounts));
        let off = Config::parse("[sandbox]\nenabled = false\n").expect("parses");
        assert!(!off.sandbox.runs(&off.accounts));
        let real = Config::parse(&with_endpoint("https://hss.example.com")).expect("parses");
        assert!(!real.sandbox.runs(&real.accounts));
        let both = format!(
            "[sandbox]\nenabled = true\n{}",
            with_endpoint("https://hss.example.com")
        );
        let err = Config::parse(&both).unwrap_err().to_string();
        assert!(err.contains("sandbox.enabled"), "{err}");
    }

    #[test]
    fn allowed_hosts_are_names_or_name_and_port() {
        let config = Config::parse("[web]\nallowed_hosts = [\"console.lan\", \"10.0.0.5:3000\"]\n")
            .expect("parses");
        assert_eq!(config.web.allowed_hosts.len(), 2);
        for bad in ["\"\"", "\"https://console.lan\"", "\"a b\""] {
            let err = Config::parse(&format!("[web]\nallowed_hosts = [{bad}]\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("web.allowed_hosts"), "{err}");
        }
    }

    #[test]
    fn a_missing_config_file_is_an_error() {
        let err = load(Some(Path::new("/nonexistent/scanport.toml"))).unwrap_err();
        assert!(err.to_string().contains("does not exist"));
    }
}
