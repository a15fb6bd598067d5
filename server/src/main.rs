//! `scanport`: the console server, and its tools.

use clap::Parser;
use scanport::cli;
use scanport::config::LogFormat;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("SCANPORT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match cli.log_format() {
        LogFormat::Text => logs.init(),
        // One object per line; the request's span (its id) included.
        LogFormat::Json => logs.json().with_current_span(true).init(),
    }
    match cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("scanport: {err}");
            ExitCode::FAILURE
        }
    }
}
