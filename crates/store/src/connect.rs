//! Opening the database: SQLite (a file, the embedded default) or PostgreSQL.

use std::time::Duration;

use samverkan_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

use crate::audit::Actor;
use crate::error::StoreResult;

/// The database URL used when none is given: a file beside the working
/// directory, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://samverkan.db?mode=rwc";

/// The PostgreSQL advisory lock key that serialises migrations ("samverkn"
/// in ASCII), chosen so as not to collide with other applications' keys.
const MIGRATION_LOCK_KEY: i64 = 0x7361_6d76_6572_6b6e;

/// How long a request waits for a pooled connection to read with; an
/// unreachable server fails a command within it, too.
const READ_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a SQLite writer waits for another to finish before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The WAL size, in pages, past which a committing SQLite connection copies
/// the WAL back into the database file (a checkpoint: the only moment that
/// fsyncs under `synchronous = NORMAL`). SQLite's default is 1,000 pages
/// (4 MB), about 11 partner days. Each partner day rewrites many of the
/// same index pages, so a longer interval lets one checkpoint copy each of
/// them once for more days: the pages copied per partner day fall from about
/// 16 to about 5 (`docs/benchmarks.md`). The WAL file grows to about 40 MB
/// and is then reused from its start.
const SQLITE_WAL_AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// How much of the SQLite file each connection reads through a memory map
/// (256 MiB) rather than `pread` into its own page cache: the connections
/// then share the operating system's cached pages instead of each copying
/// them, which is what reads of a file larger than the page cache spent
/// their time on (`docs/benchmarks.md`, "HTTP API under load"). Past this
/// size SQLite reads the rest as before.
const SQLITE_MMAP_BYTES: u64 = 256 * 1024 * 1024;

/// Each connection's page cache, in KiB (SQLite's convention for negative
/// values): 16 MiB, rather than the default 2 MiB, for the pages a
/// memory map does not cover (the WAL's, and the file past the map).
const SQLITE_CACHE_KIB: i64 = 16 * 1024;

/// The page cache of a connection that streams an export: 2 MiB (SQLite's
/// default), without a memory map. An export reads most of the file once;
/// a map would make every page it touched count in the process's resident
/// memory (`docs/benchmarks.md`, "Attendance export"), a large cache would
/// hold pages it never reads again.
const SQLITE_STREAM_CACHE_KIB: i64 = 2 * 1024;

/// How many attendance exports a process runs at once. Each reads a whole
/// period and, on SQLite, holds a connection of its own for its duration;
/// one more is refused (`StoreError::Busy`, a 503 over HTTP) rather than
/// letting exports take the server's file handles and cores.
pub const MAX_CONCURRENT_EXPORTS: usize = 4;

/// Samverkan's database: a pooled connection plus the operations on records.
#[derive(Debug, Clone)]
pub struct Store {
    /// For reads (and, on PostgreSQL, for writes too).
    pub(crate) db: DatabaseConnection,
    /// On SQLite, the one connection every write transaction runs on. SQLite
    /// admits one writer at a time anyway; queueing writers in the process
    /// serves them in order (rather than leaving them to sleep and retry in
    /// SQLite's busy handler), and the writer keeps its page cache warm
    /// between commits instead of a different pooled connection re-reading
    /// what the last one changed.
    pub(crate) writer: Option<DatabaseConnection>,
    /// Whom writes are recorded for in the audit trail (see `acting_as`).
    pub(crate) actor: Actor,
    /// Where the database is, for connections of their own (exports).
    pub(crate) url: std::sync::Arc<str>,
    /// One permit per export running (shared by every clone of the store).
    pub(crate) exports: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`).
    ///
    /// SQLite is opened with foreign keys enforced, write-ahead logging (so
    /// readers never block the writer), `synchronous = NORMAL` (in WAL mode a
    /// crash of the process loses nothing committed; only a power cut may
    /// lose the last transactions, never corrupting the file) and a busy
    /// timeout, so concurrent writers queue instead of failing with
    /// "database is locked". `temp_store = MEMORY` keeps temporary storage
    /// in memory: a statement that writes several rows inside a transaction
    /// keeps a statement journal (to undo that statement alone if it fails
    /// halfway), which SQLite otherwise moves to a temporary file, created,
    /// written and deleted per statement, once it passes 64 KiB, as the
    /// larger inserts of a partner day do. It also keeps sorts and temporary
    /// tables in memory; the application's are small. Checkpoints run every
    /// 10,000 WAL pages. Reads go through a memory map of the file and a
    /// 16 MiB page cache per connection.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let sqlite = url.starts_with("sqlite:");
        let db = Database::connect(Self::options(
            url,
            if sqlite { 8 } else { 32 },
            READ_ACQUIRE_TIMEOUT,
        ))
        .await?;
        let writer = if sqlite {
            // Writers wait their turn as long as SQLite itself would let them.
            Some(Database::connect(Self::options(url, 1, SQLITE_BUSY_TIMEOUT)).await?)
        } else {
            None
        };
        Ok(Self {
            db,
            writer,
            actor: Actor::Process("cli"),
            url: url.into(),
            exports: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_EXPORTS)),
        })
    }

    /// A connection for a long sequential read (an export). On SQLite, one
    /// of its own, outside the pool, with a small page cache and no memory
    /// map: an export never takes a connection from the requests, and its
    /// memory stays flat however large the file. On PostgreSQL, the pool
    /// (reading ahead holds a pooled connection only for one statement at a
    /// time).
    pub(crate) async fn streaming_connection(&self) -> StoreResult<DatabaseConnection> {
        if self.backend() != DbBackend::Sqlite {
            return Ok(self.db.clone());
        }
        let mut options = Self::options(&self.url, 1, READ_ACQUIRE_TIMEOUT);
        options.map_sqlx_sqlite_opts(|options| {
            options
                .pragma("mmap_size", "0")
                .pragma("cache_size", (-SQLITE_STREAM_CACHE_KIB).to_string())
        });
        Ok(Database::connect(options).await?)
    }

    /// Pool options for `url`: `connections` at most, SQLite's pragmas.
    fn options(url: &str, connections: u32, acquire_timeout: Duration) -> ConnectOptions {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .max_connections(connections)
            .min_connections(1)
            .acquire_timeout(acquire_timeout)
            .map_sqlx_sqlite_opts(|options| {
                options
                    .foreign_keys(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .pragma("temp_store", "memory")
                    .pragma("wal_autocheckpoint", SQLITE_WAL_AUTOCHECKPOINT_PAGES.to_string())
                    .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
                    .pragma("cache_size", (-SQLITE_CACHE_KIB).to_string())
            });
        options
    }

    /// Brings the schema up to date. Safe when several servers start at once
    /// against one database: the migrations run in one write transaction
    /// that, on PostgreSQL, first takes a transaction-scoped advisory lock,
    /// so one server applies them and the others find them applied. (SQLite's
    /// `BEGIN IMMEDIATE` serialises them the same way; both backends have
    /// transactional DDL, so a failed migration leaves nothing half-done.)
    pub async fn migrate(&self) -> StoreResult<()> {
        let txn = self.begin_unaudited_write().await?;
        if self.backend() == DbBackend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"))
                .await?;
        }
        Migrator::up(&txn, None).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Connects and migrates: what every command that touches data does first.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// The underlying connection, for queries the store does not wrap.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        self.db.ping().await?;
        Ok(())
    }

    /// Closes every pooled connection (SQLite checkpoints its WAL on close).
    pub async fn close(self) -> StoreResult<()> {
        if let Some(writer) = self.writer {
            writer.close().await?;
        }
        self.db.close().await?;
        Ok(())
    }
}
