//! The command line.

use crate::config::{Config, ConfigError};
use clap::{Parser, Subcommand};
use scanport_sandbox::{HuaweiKey, SandboxConfig, TencentKey};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "scanport",
    version,
    about = "Self-hosted console for container-image security scans on Huawei Cloud HSS and Tencent Cloud TCSS"
)]
pub struct Cli {
    /// TOML configuration file.
    #[arg(long, global = true, env = "SCANPORT_CONFIG")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Serve the console (the default).
    Serve,
    /// Run the HSS/TCSS sandbox alone, for tests or to try the console.
    Sandbox(SandboxArgs),
    /// Manage the console's users.
    #[command(subcommand)]
    User(crate::admin_cli::UserCommand),
    /// Manage API tokens for scripts.
    #[command(subcommand)]
    Token(crate::admin_cli::TokenCommand),
    /// Copy the SQLite database to FILE while the console runs (a
    /// consistent snapshot; FILE must not exist). For PostgreSQL use
    /// pg_dump.
    Backup { file: PathBuf },
}

#[derive(Debug, clap::Args)]
pub(crate) struct SandboxArgs {
    /// Where it listens: a loopback address unless `--public`.
    #[arg(long, default_value = "127.0.0.1:8600")]
    listen: SocketAddr,
    /// Allow a non-loopback `--listen`. Its `/__sandbox/*` controls need
    /// only the control token: anyone who has it can switch faults and
    /// read its logs.
    #[arg(long)]
    public: bool,
    /// What its `/__sandbox/*` controls need in the `X-Sandbox-Token`
    /// header (printed at start; random when not given).
    #[arg(long, env = "SCANPORT_SANDBOX_CONTROL_TOKEN", hide_env_values = true)]
    control_token: Option<String>,
    #[arg(
        long,
        env = "SANDBOX_HUAWEI_AK",
        hide_env_values = true,
        requires = "huawei_sk"
    )]
    huawei_ak: Option<String>,
    #[arg(
        long,
        env = "SANDBOX_HUAWEI_SK",
        hide_env_values = true,
        requires = "huawei_ak"
    )]
    huawei_sk: Option<String>,
    #[arg(
        long,
        env = "SANDBOX_TENCENT_SECRET_ID",
        hide_env_values = true,
        requires = "tencent_secret_key"
    )]
    tencent_secret_id: Option<String>,
    #[arg(
        long,
        env = "SANDBOX_TENCENT_SECRET_KEY",
        hide_env_values = true,
        requires = "tencent_secret_id"
    )]
    tencent_secret_key: Option<String>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Turn off the services' rate limits (for tests that are not about them).
    #[arg(long)]
    no_rate_limits: bool,
    /// Signature failures in a row that lock a Huawei AK, as the gateway
    /// does (0: never lock).
    #[arg(long, default_value_t = 5)]
    ak_lockout_after: u32,
    /// Seconds a locked AK stays locked.
    #[arg(long, default_value_t = 300)]
    ak_lockout_secs: u64,
    /// Milliseconds a launched scan spends per image (default 3000: a
    /// 10-image scan takes half a minute).
    #[arg(long, default_value_t = 3000)]
    pace_ms: u64,
    /// Share (0-100) of TCSS answers that send the members Tencent
    /// documents as "may return null" as null.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    null_percent: u8,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
}

impl Cli {
    /// How logs are written: the config's `log.format` for the commands
    /// that read a config (text if it cannot be read: the command reports
    /// why), text for the sandbox.
    pub fn log_format(&self) -> crate::config::LogFormat {
        match self.command {
            Some(Command::Sandbox(_)) => crate::config::LogFormat::Text,
            _ => Config::load(self.config.as_deref())
                .map(|c| c.log.format)
                .unwrap_or_default(),
        }
    }
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let config = Config::load(cli.config.as_deref())?;
            crate::router::serve(config).await
        }
        Command::Sandbox(args) => run_sandbox(args).await,
        Command::User(command) => {
            let config = Config::load(cli.config.as_deref())?;
            crate::admin_cli::run_user(&config, command).await
        }
        Command::Token(command) => {
            let config = Config::load(cli.config.as_deref())?;
            crate::admin_cli::run_token(&config, command).await
        }
        Command::Backup { file } => {
            let config = Config::load(cli.config.as_deref())?;
            crate::admin_cli::run_backup(&config, &file).await
        }
    }
}

/// The sandbox's test controls are open, so it stays on this machine
/// unless the caller says otherwise.
fn check_sandbox_listen(listen: SocketAddr, public: bool) -> Result<(), CliError> {
    if public || listen.ip().is_loopback() {
        return Ok(());
    }
    Err(CliError::Usage(format!(
        "--listen {listen} is not a loopback address: the sandbox's /__sandbox/* controls \
         need no sign-in (only its control token), so it listens on 127.0.0.1 unless you \
         also pass --public"
    )))
}

async fn run_sandbox(args: SandboxArgs) -> Result<(), CliError> {
    check_sandbox_listen(args.listen, args.public)?;
    let huawei: Vec<HuaweiKey> = args
        .huawei_ak
        .zip(args.huawei_sk)
        .map(|(ak, sk)| HuaweiKey { ak, sk })
        .into_iter()
        .collect();
    let tencent: Vec<TencentKey> = args
        .tencent_secret_id
        .zip(args.tencent_secret_key)
        .map(|(secret_id, secret_key)| TencentKey {
            secret_id,
            secret_key,
        })
        .into_iter()
        .collect();
    if huawei.is_empty() && tencent.is_empty() {
        return Err(CliError::Usage(
            "give the sandbox at least one key pair: --huawei-ak/--huawei-sk or \
             --tencent-secret-id/--tencent-secret-key (or their SANDBOX_* variables)"
                .to_owned(),
        ));
    }
    let mut config = SandboxConfig::new(huawei, tencent);
    config.seed = args.seed;
    config.rate_limits = !args.no_rate_limits;
    config.lockout = scanport_sandbox::Lockout {
        after: args.ak_lockout_after,
        duration: std::time::Duration::from_secs(args.ak_lockout_secs),
    };
    config.pace = std::time::Duration::from_millis(args.pace_ms);
    config.null_percent = args.null_percent;
    if let Some(token) = args.control_token.filter(|t| !t.is_empty()) {
        config.control_token = token;
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let running = scanport_sandbox::spawn(listener, config)?;
    tracing::info!(
        endpoint = %running.endpoint(),
        control_header = scanport_sandbox::CONTROL_HEADER,
        control_token = %running.control_token,
        "sandbox listening"
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> SandboxArgs {
        let cli = Cli::try_parse_from([&["scanport", "sandbox"], args].concat()).expect("parses");
        match cli.command {
            Some(Command::Sandbox(args)) => args,
            other => panic!("not the sandbox command: {other:?}"),
        }
    }

    #[test]
    fn the_sandbox_listens_on_loopback_unless_public() {
        let args = parse(&[]);
        assert!(check_sandbox_listen(args.listen, args.public).is_ok());
        let args = parse(&["--listen", "[::1]:8600"]);
        assert!(check_sandbox_listen(args.listen, args.public).is_ok());
        let args = parse(&["--listen", "0.0.0.0:8600"]);
        let err = check_sandbox_listen(args.listen, args.public)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--public") && err.contains("0.0.0.0:8600"),
            "{err}"
        );
        let args = parse(&["--listen", "0.0.0.0:8600", "--public"]);
        assert!(check_sandbox_listen(args.listen, args.public).is_ok());
    }
}
