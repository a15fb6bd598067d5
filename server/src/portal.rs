//! Opens the portal's database and keeps it tidy.

use crate::auth::{SessionCookie, SignIn};
use crate::cli::CliError;
use crate::config::Config;
use scanport_app::state::Portal;
use scanport_portal::db::Backend;
use scanport_portal::sessions::SessionPolicy;
use scanport_portal::throttle::LoginThrottle;
use scanport_portal::{Db, audit, sessions, users};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Connects to the configured database (SQLite under `data_dir` by
/// default) and migrates it.
pub async fn open_db(config: &Config) -> Result<Db, CliError> {
    let url = match &config.database_url {
        Some(url) => url.expose().to_owned(),
        None => {
            create_private_dir(&config.data_dir)?;
            Db::sqlite_url(&config.data_dir)
        }
    };
    Db::connect(&url)
        .await
        .map_err(|e| CliError::Usage(format!("cannot open the database: {e}")))
}

/// The data directory holds password hashes: owner-only. Scanport sets
/// the mode only on a folder it creates; an existing one is the admin's,
/// and if group or others may use it, that is refused rather than
/// silently changed (the database in it may already have been read).
fn create_private_dir(dir: &std::path::Path) -> Result<(), CliError> {
    let shown = dir.display();
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(CliError::Usage(format!(
                "data_dir {shown} exists and is not a folder"
            )));
        }
        Ok(meta) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = meta.permissions().mode() & 0o777;
                if mode & 0o077 != 0 {
                    return Err(CliError::Usage(format!(
                        "data_dir {shown} is open to group or others (mode {mode:03o}) and \
                         holds password hashes: make it owner-only with `chmod 700 {shown}`"
                    )));
                }
            }
            #[cfg(not(unix))]
            let _ = meta;
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                // Owner-only from the start: no moment with the umask's mode.
                builder.mode(0o700);
            }
            builder.create(dir)?;
            #[cfg(unix)]
            {
                // The umask may have taken bits away, never added any; set
                // it exactly anyway.
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            }
        }
        Err(err) => {
            return Err(CliError::Usage(format!("data_dir {shown}: {err}")));
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn a_new_data_dir_is_created_owner_only() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("nested").join("data");
        create_private_dir(&dir).expect("created");
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn an_existing_data_dir_open_to_others_is_refused_not_changed() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("data");
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let err = create_private_dir(&dir).unwrap_err().to_string();
        assert!(err.contains("chmod 700") && err.contains("755"), "{err}");
        assert_eq!(mode(&dir), 0o755, "an existing folder's mode is left alone");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        create_private_dir(&dir).expect("owner-only is accepted");
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").expect("write");
        let err = create_private_dir(&file).unwrap_err().to_string();
        assert!(err.contains("not a folder"), "{err}");
    }
}

/// How old a `pending` audit row must be to count as interrupted at start.
/// A SQLite file belongs to this one server, so whatever is pending was
/// left by a server that stopped: all of it, at once (a restart seconds
/// after a crash must not leave the launch pending). A shared PostgreSQL
/// may have other replicas mid-call: only rows older than any cloud call
/// may take (launches are never retried) count.
fn interrupted_after_ms(config: &Config, backend: Backend) -> i64 {
    match backend {
        Backend::Sqlite => 0,
        Backend::Postgres => longest_call_ms(config),
    }
}

/// Longer than any cloud call may take, so a call in flight is never
/// closed under it.
fn longest_call_ms(config: &Config) -> i64 {
    let ms = (config.http.timeout_secs * 3000.0) as u64;
    i64::try_from(ms).unwrap_or(i64::MAX).max(60_000)
}

/// Deletes finished audit rows older than `audit.keep_days`, if set.
async fn prune_audit(db: &Db, keep_days: Option<u32>) {
    let Some(days) = keep_days else { return };
    let before = scanport_portal::now_ms() - i64::from(days) * 86_400_000;
    match audit::prune(db, before).await {
        Ok(0) => {}
        Ok(pruned) => tracing::info!(pruned, keep_days = days, "old audit rows deleted"),
        Err(err) => tracing::warn!(error = %err, "cannot prune the audit log"),
    }
}

/// The portal for serving, and the sign-in state beside it: closes audit
/// rows a previous crash left pending, prints the setup token when there
/// is no user yet, and purges expired sessions every few minutes.
pub async fn start(config: &Config, db: Db) -> Result<(Portal, SignIn), CliError> {
    let policy = SessionPolicy {
        idle: Duration::from_secs(config.auth.idle_minutes * 60),
        absolute: Duration::from_secs(config.auth.absolute_hours * 3600),
    };
    let closed = audit::close_interrupted(&db, interrupted_after_ms(config, db.backend()))
        .await
        .map_err(|e| CliError::Usage(format!("database: {e}")))?;
    if closed > 0 {
        tracing::warn!(
            closed,
            "audit rows left pending by a stopped server marked failed"
        );
    }
    let setup_token = if users::count(&db)
        .await
        .map_err(|e| CliError::Usage(format!("database: {e}")))?
        == 0
    {
        let token = scanport_portal::tokens::setup_token();
        tracing::warn!(
            "no users yet: open http://{}/setup and enter the setup token {token} \
             (or create one with `scanport user add NAME --role admin`)",
            config.listen
        );
        Some(token)
    } else {
        None
    };
    // Replicas on one PostgreSQL count failed sign-ins together.
    let throttle = Arc::new(
        LoginThrottle::new(
            config.auth.login_attempts_per_name,
            config.auth.login_attempts_per_address,
            config.auth.login_attempts_per_name_anywhere,
        )
        .shared(&db),
    );
    let stale_ms = longest_call_ms(config);
    let keep_days = config.audit.keep_days;
    tokio::spawn({
        let db = db.clone();
        let throttle = throttle.clone();
        async move {
            // The first tick is at once: a start prunes too.
            let mut every = tokio::time::interval(Duration::from_secs(300));
            loop {
                every.tick().await;
                prune_audit(&db, keep_days).await;
                if let Err(err) = sessions::purge_expired(&db, policy).await {
                    tracing::warn!(error = %err, "cannot purge expired sessions");
                }
                throttle.shrink().await;
                // A replica that crashed leaves rows no start will close.
                if let Err(err) = audit::close_interrupted(&db, stale_ms).await {
                    tracing::warn!(error = %err, "cannot close interrupted audit rows");
                }
            }
        }
    });
    // Replicas on one PostgreSQL hear each other's revocations (and the
    // CLI's), so a revoked caller's stream ends on every replica at once.
    let revocations = scanport_portal::revocations::Revocations::default();
    if let Some(url) = &config.database_url {
        revocations.follow_postgres(&db, url.expose().to_owned());
    }
    let sign_in = SignIn {
        sessions: policy,
        throttle,
        hashing: Arc::new(scanport_portal::hashing::HashingGate::new(
            config.auth.hashing_concurrency,
            config.auth.hashing_queue,
        )),
        cookie: SessionCookie {
            secure: config.web.is_https(),
        },
        setup_token: Arc::new(Mutex::new(setup_token)),
        principals: Arc::new(scanport_portal::principals::Principals::new(
            revocations.clone(),
        )),
    };
    let portal = Portal {
        db,
        revocations,
        token_expiry_days: config.auth.token_expiry_days,
    };
    Ok((portal, sign_in))
}
