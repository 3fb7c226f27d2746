//! The database: SQLite (embedded default) or PostgreSQL, chosen by the scheme of the URL.
//!
//! Both backends run the same runtime queries (lowercase SQL, `$N` placeholders, integers as
//! 64-bit, dates as ISO text, instants as unix seconds) through sqlx's `Any` driver; only the
//! migrations differ, in `migrations/sqlite` and `migrations/postgres`, kept in step.

pub mod accounts;
pub mod consultations;
pub mod contributions;
pub mod dossier;
pub mod invitations;
pub mod minutes;
pub mod needs;
pub mod notifications;
pub mod open_data;
pub mod open_days;
pub mod organisations;
pub mod outbox;
pub mod planning;
pub mod record;
pub mod registration;

use super::clock::Clock;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::{Any, Connection, Executor, Transaction};
use std::path::Path;
use std::time::Duration;

pub type DbResult<T> = Result<T, sqlx::Error>;

/// Key of the PostgreSQL advisory lock that serialises writers ("JSF" in ASCII).
const WRITE_LOCK_KEY: i64 = 0x4A_53_46;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite: or postgres: (got {0:?})")]
    Scheme(String),
    #[error("cannot create the directory of the SQLite database {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("cannot open the database: {0}")]
    Open(#[from] sqlx::Error),
    #[error("cannot apply the migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A pool of connections to one database, and which backend it is.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// What "now" is for everything written and decided through this database.
    clock: Clock,
    /// PostgreSQL only: where to open the connection that listens to notifications.
    listen_url: Option<ListenUrl>,
}

/// A database URL, which may hold a password: never printed.
#[derive(Clone)]
struct ListenUrl(String);

impl std::fmt::Debug for ListenUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ListenUrl(…)")
    }
}

impl Db {
    /// Opens the database, creating the SQLite file (and its directory) when missing.
    pub async fn connect(url: &str) -> Result<Db, ConnectError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| ConnectError::Scheme(url.into()))?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                // SQLite serialises writers anyway; a few readers in WAL mode are plenty.
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes every commit durable
                        // (nothing acknowledged is lost on power failure); foreign keys are off by
                        // default in SQLite; writers wait up to 10 s for the lock instead of failing.
                        conn.execute(
                            "pragma journal_mode = wal; pragma synchronous = full; \
                             pragma foreign_keys = on; pragma busy_timeout = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .after_release(|conn, _meta| {
                Box::pin(async move {
                    // A write whose request was dropped as it started (its client left) may
                    // leave its connection inside the transaction: sqlx 0.8.6's SQLite
                    // `begin_with` awaits once more after its `BEGIN`. Back in the pool, such a
                    // connection held the write lock, and every later write failed until a
                    // restart (`tests/database.rs`). It is closed instead, which rolls the
                    // transaction back. A transaction dropped the usual way has its rollback
                    // queued: the ping lets it run before looking.
                    if !conn.is_in_transaction() {
                        return Ok(true);
                    }
                    conn.ping().await?;
                    let healthy = !conn.is_in_transaction();
                    if !healthy {
                        tracing::warn!("a connection left inside a transaction is closed");
                    }
                    Ok(healthy)
                })
            });
        let pool = options.connect(&url).await?;
        let listen_url = (backend == Backend::Postgres).then_some(ListenUrl(url));
        Ok(Db {
            pool,
            backend,
            clock: Clock::system(),
            listen_url,
        })
    }

    /// The same database seen through another clock (tests, `JSF_FIXED_NOW`).
    pub fn with_clock(mut self, clock: Clock) -> Db {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Seconds since the Unix epoch, by this database's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL for `LISTEN` (PostgreSQL only).
    pub fn listen_url(&self) -> Option<&str> {
        self.listen_url.as_ref().map(|u| u.0.as_str())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Applies the migrations of this backend that have not run yet.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await?,
        }
        // Organisations created before the directory was searched in the database get their
        // search terms (computed in Rust, see `domain::search`).
        needs::index_organisations(&self.pool).await?;
        Ok(())
    }

    /// Starts a transaction that will write, serialised with every other writer so that a
    /// transaction which reads then writes sees the previous writer's result on both backends:
    /// - SQLite takes its write lock at once (`begin immediate`): two writers queue instead of
    ///   the second failing with "database is locked" when it upgrades from reading to writing;
    /// - PostgreSQL takes one transaction-scoped advisory lock shared by all app servers (read
    ///   committed alone would let two writers read the same state and collide).
    ///
    /// Writes are short and rare next to reads, so one writer at a time costs little.
    pub async fn begin_write(&self) -> DbResult<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("begin immediate").await,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("select pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// The data's generation: raised in the transaction of every change to what pages show
    /// (migration `0016_data_generation.sql`), read before a page is looked up in the page cache.
    pub async fn generation(&self) -> DbResult<i64> {
        sqlx::query_scalar("select generation from data_generation where id = 1")
            .fetch_one(&self.pool)
            .await
    }

    /// Cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> DbResult<()> {
        sqlx::query("select 1").execute(&self.pool).await.map(|_| ())
    }

    /// Waits for connections in use to come back, then closes them all (a clean WAL checkpoint on
    /// SQLite).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the directory of the database file and asks SQLite to create the file if missing.
fn prepare_sqlite_url(url: &str) -> Result<String, ConnectError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    if path != ":memory:" && !path.is_empty() {
        if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| ConnectError::Directory {
                path: dir.display().to_string(),
                source,
            })?;
        }
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}
