//! The connection pool and the schema.

use crate::PortalError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::path::Path;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The portal database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// The URL of a SQLite file under `data_dir`, created if missing.
    pub fn sqlite_url(data_dir: &Path) -> String {
        // sqlx parses this as a URL and percent-decodes the path: escape
        // what would otherwise end it (`?`, `#`) or be decoded (`%`).
        let path = data_dir.join("scanport.db").display().to_string();
        let path = path
            .replace('%', "%25")
            .replace('?', "%3F")
            .replace('#', "%23");
        format!("sqlite://{path}?mode=rwc")
    }

    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self, PortalError> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(PortalError::invalid(
                "database_url",
                "must start with sqlite: or postgres://",
            ));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // SQLite has one writer; a few readers are plenty.
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Wait for the writer instead of failing at once;
                        // enforce ON DELETE CASCADE.
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        if backend == Backend::Sqlite {
            // Write-ahead logging: readers never block the writer, and a
            // killed process leaves a consistent database.
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool, backend })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Writes a consistent copy of a SQLite database to `file` while the
    /// server keeps running (`VACUUM INTO`: a snapshot, compacted). The
    /// file must not exist yet; it is created readable by its owner only,
    /// since it holds password and token hashes. PostgreSQL has its own
    /// tools (`pg_dump`); asking this of it is an error that says so.
    pub async fn backup_to(&self, file: &Path) -> Result<(), PortalError> {
        if self.backend == Backend::Postgres {
            return Err(PortalError::invalid(
                "database_url",
                "is PostgreSQL: back it up with pg_dump (see README, Deploying)",
            ));
        }
        // VACUUM INTO accepts an empty file: create it first, so that an
        // existing file is refused and the copy is never world-readable.
        let mut create = std::fs::OpenOptions::new();
        create.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
        create.open(file).map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "exists already; a backup never overwrites".to_owned()
            } else {
                format!("cannot be created: {e}")
            };
            PortalError::invalid("file", format!("{} {why}", file.display()))
        })?;
        let copied = sqlx::query("VACUUM INTO $1")
            .bind(file.display().to_string())
            .execute(&self.pool)
            .await;
        if let Err(err) = copied {
            let _ = std::fs::remove_file(file);
            return Err(err.into());
        }
        Ok(())
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}
