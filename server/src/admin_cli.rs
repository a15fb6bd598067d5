//! `scanport user …`, `scanport token …` and `scanport backup`: user and
//! token management and backups from the server's shell, against the
//! configured database. Every change, and every backup, is audited with
//! the actor `cli:<os user>`.

use crate::cli::CliError;
use crate::config::Config;
use clap::Subcommand;
use scanport_portal::audit::{self, Finish, NewEntry};
use scanport_portal::{Db, Outcome, PortalError, Role, Scope, tokens, users};
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input. With
    /// `--service`, a service user (a bot): no password, it acts only
    /// through the tokens made for it.
    Add {
        name: String,
        #[arg(long)]
        role: Role,
        #[arg(long)]
        service: bool,
    },
    /// Change a user's role (on PostgreSQL, from their next request; on
    /// SQLite, within 5 s of it, as a running console remembers callers
    /// that long).
    SetRole { name: String, role: Role },
    /// Disable a user: their sessions end and their tokens stop working (at
    /// once on PostgreSQL; within 5 s on SQLite, as a running console
    /// remembers callers that long).
    Disable { name: String },
    /// Enable a disabled user again.
    Enable { name: String },
    /// Set a new password (read from standard input); ends their sessions.
    Passwd { name: String },
    /// List users.
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token acting as a user; printed once, stored hashed.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "")]
        label: String,
        /// Days until it expires (default: the config's
        /// `auth.token_expiry_days`, 90 unless set).
        #[arg(long, conflicts_with = "no_expiry")]
        expires_days: Option<u32>,
        /// A token that never expires (a deliberate choice, audited).
        #[arg(long)]
        no_expiry: bool,
        /// The most the token may do (never more than its user's role);
        /// default: its user's role.
        #[arg(long)]
        role: Option<Role>,
        /// The accounts it works on, comma-separated; default: every
        /// account.
        #[arg(long, value_delimiter = ',')]
        accounts: Vec<String>,
    },
    /// List tokens (never the tokens themselves).
    List,
    /// Revoke a token by id; it stops working at once on PostgreSQL, within
    /// 5 s on SQLite (a running console remembers callers that long).
    Revoke { id: String },
}

fn actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned())
    )
}

fn storage(err: PortalError) -> CliError {
    CliError::Usage(err.to_string())
}

/// The audit row of a CLI change: the store writes it in the change's own
/// transaction, so both commit or neither.
struct CliRow {
    actor: String,
    action: &'static str,
    request: String,
}

impl CliRow {
    fn new(action: &'static str, request: serde_json::Value) -> Self {
        Self {
            actor: actor(),
            action,
            request: request.to_string(),
        }
    }

    fn entry(&self) -> NewEntry<'_> {
        NewEntry {
            actor: &self.actor,
            via: "cli",
            action: self.action,
            account: None,
            request: Some(self.request.clone()),
        }
    }
}

/// A row written on its own, for a change the store has no audited form of.
async fn record(db: &Db, action: &'static str, request: serde_json::Value) -> Result<(), CliError> {
    let row = CliRow::new(action, request);
    audit::record(db, row.entry(), Outcome::Ok, Finish::default())
        .await
        .map_err(storage)?;
    Ok(())
}

/// One line from standard input, without its line ending; prompts when a
/// person is typing.
fn read_password() -> Result<String, CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password: ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    users::validate_password(&password).map_err(storage)?;
    Ok(password)
}

pub async fn run_user(config: &Config, command: UserCommand) -> Result<(), CliError> {
    let db = crate::portal::open_db(config).await?;
    match command {
        UserCommand::Add {
            name,
            role,
            service,
        } => {
            users::validate_name(&name).map_err(storage)?;
            let row = CliRow::new(
                "admin/users/add",
                serde_json::json!({"name": name, "role": role, "service": service}),
            );
            if service {
                users::add_service(&db, &name, role, Some(&row.entry()))
                    .await
                    .map_err(storage)?;
                println!("added service user {name} ({role}); it signs in only with tokens");
            } else {
                let password = read_password()?;
                users::add(&db, &name, &password, role, Some(&row.entry()))
                    .await
                    .map_err(storage)?;
                println!("added {name} ({role})");
            }
        }
        UserCommand::SetRole { name, role } => {
            let row = CliRow::new(
                "admin/users/role",
                serde_json::json!({"name": name, "role": role}),
            );
            users::set_role(&db, &name, role, Some(&row.entry()))
                .await
                .map_err(storage)?;
            println!("{name} is now {role}");
        }
        UserCommand::Disable { name } => {
            let row = CliRow::new("admin/users/disable", serde_json::json!({"name": name}));
            users::set_disabled(&db, &name, true, Some(&row.entry()))
                .await
                .map_err(storage)?;
            println!("disabled {name}; their sessions have ended");
        }
        UserCommand::Enable { name } => {
            let row = CliRow::new("admin/users/enable", serde_json::json!({"name": name}));
            users::set_disabled(&db, &name, false, Some(&row.entry()))
                .await
                .map_err(storage)?;
            println!("enabled {name}");
        }
        UserCommand::Passwd { name } => {
            let password = read_password()?;
            users::set_password(&db, &name, &password)
                .await
                .map_err(storage)?;
            record(
                &db,
                "admin/users/password",
                serde_json::json!({"name": name}),
            )
            .await?;
            println!("password of {name} changed; their sessions have ended");
        }
        UserCommand::List => {
            for user in users::list(&db).await.map_err(storage)? {
                println!(
                    "{}\t{}{}{}",
                    user.name,
                    user.role,
                    if user.service { "\tservice" } else { "" },
                    if user.disabled { "\tdisabled" } else { "" }
                );
            }
        }
    }
    Ok(())
}

pub async fn run_token(config: &Config, command: TokenCommand) -> Result<(), CliError> {
    let db = crate::portal::open_db(config).await?;
    match command {
        TokenCommand::Create {
            user,
            label,
            expires_days,
            no_expiry,
            role,
            accounts,
        } => {
            let expires_days =
                (!no_expiry).then(|| expires_days.unwrap_or(config.auth.token_expiry_days));
            let scope = Scope {
                role,
                accounts: (!accounts.is_empty()).then_some(accounts),
            };
            let known = crate::accounts::names(config);
            if let Some(unknown) = scope.accounts.iter().flatten().find(|a| !known.contains(a)) {
                return Err(CliError::Usage(format!(
                    "accounts: no account is named {unknown:?} (configured: {})",
                    known.join(", ")
                )));
            }
            // The store adds the new token's id to the row.
            let row = CliRow::new(
                "admin/tokens/create",
                serde_json::json!({
                    "user": user,
                    "label": label,
                    "expires_days": expires_days,
                    "role": scope.role,
                    "accounts": scope.accounts,
                }),
            );
            let (info, token) =
                tokens::create_scoped(&db, &user, &label, expires_days, &scope, Some(&row.entry()))
                    .await
                    .map_err(storage)?;
            eprintln!("token {} for {user}; shown once, store it now:", info.id);
            println!("{token}");
        }
        TokenCommand::List => {
            for t in tokens::list(&db).await.map_err(storage)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.user,
                    t.label,
                    t.role.map_or("user's role", Role::as_str),
                    t.accounts
                        .map_or_else(|| "all accounts".to_owned(), |a| a.join(",")),
                    if t.revoked { "revoked" } else { "active" }
                );
            }
        }
        TokenCommand::Revoke { id } => {
            let row = CliRow::new("admin/tokens/revoke", serde_json::json!({"id": id}));
            tokens::revoke(&db, &id, Some(&row.entry()))
                .await
                .map_err(storage)?;
            println!("revoked {id}");
        }
    }
    Ok(())
}

/// `scanport backup FILE`: a snapshot of the SQLite database, audited.
pub async fn run_backup(config: &Config, file: &std::path::Path) -> Result<(), CliError> {
    let db = crate::portal::open_db(config).await?;
    db.backup_to(file).await.map_err(storage)?;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    record(
        &db,
        "admin/backup",
        serde_json::json!({ "file": file.display().to_string() }),
    )
    .await?;
    println!("backed up to {} ({bytes} bytes)", file.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `scanport user set-role` / `disable` keep the last active admin,
    /// with the store's clear error.
    #[tokio::test]
    async fn the_cli_keeps_the_last_active_admin() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = Config {
            data_dir: dir.path().join("data"),
            ..Config::default()
        };
        let db = crate::portal::open_db(&config).await.expect("open");
        users::add(&db, "root", "first-admin-Pass-42", Role::Admin, None)
            .await
            .expect("add");
        for command in [
            UserCommand::SetRole {
                name: "root".into(),
                role: Role::Viewer,
            },
            UserCommand::Disable {
                name: "root".into(),
            },
        ] {
            match run_user(&config, command).await {
                Err(CliError::Usage(message)) => {
                    assert!(message.contains("last active admin"), "{message}");
                }
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
        let root = users::list(&db).await.expect("list");
        assert!(root[0].role == Role::Admin && !root[0].disabled, "{root:?}");
    }

    /// A CLI token lives `auth.token_expiry_days` unless asked otherwise;
    /// `--no-expiry` is the only way to a token that never expires.
    #[tokio::test]
    async fn cli_tokens_expire_by_default_and_never_only_when_asked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            data_dir: dir.path().join("data"),
            ..Config::default()
        };
        config.auth.token_expiry_days = 7;
        let db = crate::portal::open_db(&config).await.expect("open");
        users::add(&db, "bot", "bot-Pass-long-42", Role::Operator, None)
            .await
            .expect("add");
        for (expires_days, no_expiry) in [(None, false), (Some(30), false), (None, true)] {
            let command = TokenCommand::Create {
                user: "bot".into(),
                label: format!("{expires_days:?} {no_expiry}"),
                expires_days,
                no_expiry,
                role: None,
                accounts: Vec::new(),
            };
            run_token(&config, command).await.expect("create");
        }
        let listed = tokens::list(&db).await.expect("list");
        let days = |label: &str| {
            listed.iter().find(|t| t.label == label).map(|t| {
                t.expires_at_ms
                    .map(|at| (at - t.created_at_ms) / 86_400_000)
            })
        };
        assert_eq!(days("None false"), Some(Some(7)), "the config's default");
        assert_eq!(days("Some(30) false"), Some(Some(30)));
        assert_eq!(days("None true"), Some(None), "never, as asked");
        let audit = audit::list(&db, &scanport_portal::AuditQuery::default())
            .await
            .expect("audit")
            .0;
        let created: Vec<&str> = audit
            .iter()
            .filter(|e| e.action == "admin/tokens/create")
            .filter_map(|e| e.request.as_deref())
            .collect();
        assert_eq!(created.len(), 3, "{audit:?}");
        assert!(
            listed
                .iter()
                .all(|t| created.iter().any(|r| r.contains(&t.id))),
            "each creation row names its token: {created:?}"
        );
        use clap::Parser;
        assert!(
            crate::cli::Cli::try_parse_from([
                "scanport",
                "token",
                "create",
                "--user",
                "bot",
                "--expires-days",
                "3",
                "--no-expiry"
            ])
            .is_err(),
            "a figure and --no-expiry together are refused"
        );
    }

    /// The issue's own commands: a service user, then a token for it
    /// capped at viewer on two accounts; an account the console does not
    /// serve, or a role above the user's, is refused and writes nothing.
    #[tokio::test]
    async fn cli_makes_a_service_user_and_a_scoped_token() {
        use clap::Parser;
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = dir.path().join("data");
        let mut text = format!("data_dir = {:?}\n", data_dir.display().to_string());
        for id in ["prod-hss", "prod-tcss", "dev"] {
            text += &format!(
                "[[accounts]]\nid = \"{id}\"\nprovider = \"tencent\"\nregion = \"ap-guangzhou\"\n"
            );
        }
        let config = Config::parse(&text).expect("config");
        let run = async |args: &[&str]| {
            let cli = crate::cli::Cli::try_parse_from(args).expect("parses");
            match cli.command {
                Some(crate::cli::Command::User(c)) => run_user(&config, c).await,
                Some(crate::cli::Command::Token(c)) => run_token(&config, c).await,
                other => panic!("not a user or token command: {other:?}"),
            }
        };
        run(&[
            "scanport",
            "user",
            "add",
            "ci-bot",
            "--service",
            "--role",
            "operator",
        ])
        .await
        .expect("service user");
        let scoped = [
            "scanport",
            "token",
            "create",
            "--user",
            "ci-bot",
            "--role",
            "viewer",
            "--accounts",
            "prod-hss,prod-tcss",
            "--expires-days",
            "30",
        ];
        run(&scoped).await.expect("scoped token");
        let mut unknown = scoped;
        unknown[8] = "prod-hss,staging";
        match run(&unknown).await {
            Err(CliError::Usage(m)) => assert!(m.contains("\"staging\""), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        let mut above = scoped;
        above[6] = "admin";
        match run(&above).await {
            Err(CliError::Usage(m)) => assert!(m.starts_with("role:"), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }

        let db = crate::portal::open_db(&config).await.expect("open");
        let bot = users::list(&db).await.expect("users");
        assert!(bot[0].name == "ci-bot" && bot[0].service, "{bot:?}");
        let listed = tokens::list(&db).await.expect("tokens");
        assert_eq!(listed.len(), 1, "the refused ones wrote nothing");
        assert_eq!(listed[0].role, Some(Role::Viewer));
        assert_eq!(
            listed[0].accounts.as_deref(),
            Some(&["prod-hss".to_owned(), "prod-tcss".to_owned()][..])
        );
        let days =
            (listed[0].expires_at_ms.expect("expires") - listed[0].created_at_ms) / 86_400_000;
        assert_eq!(days, 30);
    }
}
