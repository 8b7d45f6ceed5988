//! Opening the database: SQLite (a file, the embedded default) or PostgreSQL.

use std::str::FromStr;
use std::time::Duration;

use samverkan_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{Connection, Error as SqlxError, Executor};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, RuntimeErr};

use crate::audit::Actor;
use crate::error::{StoreError, StoreResult, is_sqlite_busy};

/// The database URL used when none is given: a file beside the working
/// directory, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://samverkan.db?mode=rwc";

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
/// (1 GiB) rather than `pread` into its own page cache: the connections
/// then share the operating system's cached pages instead of each copying
/// them, which is what reads of a file larger than the page cache spent
/// their time on (`docs/benchmarks.md`, "HTTP API under load"). Past this
/// size SQLite reads the rest as before. 256 MiB covered less than half of
/// the benchmarks' 560 MB file, and the organisation page spent 7–15 % more
/// CPU re-reading the rest (`docs/benchmarks.md`, "Web pages"). The map is
/// address space; what counts as the server's resident memory is the
/// file's pages it has read, which the kernel can drop and re-read.
const SQLITE_MMAP_BYTES: u64 = 1024 * 1024 * 1024;

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

/// The free space on the SQLite file's disk below which the store says it
/// has no room for writes (`Store::room_for_writes`): a partner day writes
/// about 0.3 MiB into the WAL, checkpoints copy up to 40 MiB back, and the
/// operating system needs some too.
const SQLITE_MIN_FREE_DISK_BYTES: u64 = 16 * 1024 * 1024;

/// Under a size limit (`StoreOptions::sqlite_max_bytes`), the pages that
/// must be left for there to be room for writes: a partner day's share.
const SQLITE_MIN_FREE_PAGES: i64 = 64;

/// SQLite's page size, which Samverkan never changes.
const SQLITE_PAGE_BYTES: u64 = 4096;

/// How a store is opened, beyond where its database is.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// SQLite only: the most the database file may grow to, in bytes (a
    /// quota, so that Samverkan's data cannot fill a disk other programs
    /// need; rounded down to whole 4 KiB pages). A write past it fails as a
    /// full disk does: [`crate::StoreError::StorageFull`]. `None`: no limit
    /// but the disk's.
    pub sqlite_max_bytes: Option<u64>,
    /// An attendance export whose reader takes no batch for this long is
    /// ended, and its place among the [`MAX_CONCURRENT_EXPORTS`] freed.
    pub export_idle_limit: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            sqlite_max_bytes: None,
            export_idle_limit: Duration::from_secs(30),
        }
    }
}

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
    /// How it was opened.
    pub(crate) options: std::sync::Arc<StoreOptions>,
    /// One permit per export running (shared by every clone of the store).
    pub(crate) exports: std::sync::Arc<tokio::sync::Semaphore>,
    /// Costly answers kept while the data is unchanged (shared by every
    /// clone; see `memo`).
    pub(crate) memo: std::sync::Arc<crate::memo::Memo>,
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
    ///
    /// A connection whose transaction did not end cleanly (a `COMMIT` or
    /// `ROLLBACK` that failed, as on a full disk) is closed when it goes back
    /// to its pool, never reused: SQLite may have ended the transaction
    /// itself while the driver still counts it open, and every later write
    /// on that connection would then run inside a transaction that never
    /// commits (see `discard_unless_clean`).
    pub async fn connect(url: &str) -> StoreResult<Self> {
        Self::connect_with(url, StoreOptions::default()).await
    }

    /// [`Store::connect`] with options.
    pub async fn connect_with(url: &str, store_options: StoreOptions) -> StoreResult<Self> {
        let sqlite = url.starts_with("sqlite:");
        if sqlite {
            turn_to_write_ahead_logging(url).await?;
        }
        let db = Database::connect(Self::options(
            url,
            &store_options,
            if sqlite { 8 } else { 32 },
            READ_ACQUIRE_TIMEOUT,
        ))
        .await?;
        let writer = if sqlite {
            // Writers wait their turn as long as SQLite itself would let them.
            let mut options = Self::options(url, &store_options, 1, SQLITE_BUSY_TIMEOUT);
            // Only the writer commits: only its transactions can fail to end
            // (a full disk), so only it pays for asking SQLite itself.
            options.map_sqlx_sqlite_pool_opts(|pool| {
                pool.after_release(|connection, _| Box::pin(sqlite_connection_is_clean(connection)))
            });
            Some(Database::connect(options).await?)
        } else {
            None
        };
        Ok(Self {
            db,
            writer,
            actor: Actor::Process("cli"),
            url: url.into(),
            options: std::sync::Arc::new(store_options),
            exports: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_EXPORTS)),
            memo: std::sync::Arc::default(),
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
        let mut options = Self::options(&self.url, &self.options, 1, READ_ACQUIRE_TIMEOUT);
        options.map_sqlx_sqlite_opts(|options| {
            options
                .pragma("mmap_size", "0")
                .pragma("cache_size", (-SQLITE_STREAM_CACHE_KIB).to_string())
        });
        Ok(Database::connect(options).await?)
    }

    /// Pool options for `url`: `connections` at most, SQLite's pragmas, and
    /// on both backends the check that closes a connection whose transaction
    /// did not end cleanly.
    fn options(
        url: &str,
        store_options: &StoreOptions,
        connections: u32,
        acquire_timeout: Duration,
    ) -> ConnectOptions {
        let max_pages = store_options
            .sqlite_max_bytes
            .map(|bytes| (bytes / SQLITE_PAGE_BYTES).max(1));
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .max_connections(connections)
            .min_connections(1)
            .acquire_timeout(acquire_timeout)
            .map_sqlx_sqlite_opts(move |options| {
                let options = options
                    .foreign_keys(true)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .pragma("temp_store", "memory")
                    // Freed space inside written pages is zeroed (at no
                    // extra I/O), so an edited name does not linger in the
                    // file; an erasure turns it fully on (docs/privacy.md).
                    .pragma("secure_delete", "fast")
                    .pragma("wal_autocheckpoint", SQLITE_WAL_AUTOCHECKPOINT_PAGES.to_string())
                    .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
                    .pragma("cache_size", (-SQLITE_CACHE_KIB).to_string());
                match max_pages {
                    Some(pages) => options.pragma("max_page_count", pages.to_string()),
                    None => options,
                }
            })
            .map_sqlx_sqlite_pool_opts(|pool| {
                pool.after_release(|connection, _| {
                    Box::pin(std::future::ready(Ok(!connection.is_in_transaction())))
                })
            })
            .map_sqlx_postgres_pool_opts(|pool| {
                pool.after_release(|connection, _| {
                    // PostgreSQL ends a transaction with its failed statement
                    // or COMMIT, and the driver's count follows; a count
                    // left open means the ending was never acknowledged.
                    Box::pin(std::future::ready(Ok(!connection.is_in_transaction())))
                })
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
        crate::support::SharedLock::Migrations.take(&txn).await?;
        Migrator::up(&txn, None).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Connects and migrates: what every command that touches data does first.
    pub async fn open(url: &str) -> StoreResult<Self> {
        Self::open_with(url, StoreOptions::default()).await
    }

    /// [`Store::open`] with options.
    pub async fn open_with(url: &str, options: StoreOptions) -> StoreResult<Self> {
        let store = Self::connect_with(url, options).await?;
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

    /// Whether there is room for writes: `Err(StorageFull)` when the SQLite
    /// file's disk has less than 16 MiB free, or the file is within 64
    /// pages of its size limit. Asked by `/ready`, so that a load balancer
    /// stops sending a server writes that cannot commit, and sends them
    /// again once space is freed. (PostgreSQL's disk is the database
    /// server's, out of a client's sight: there a full disk shows only as
    /// the failed writes, each answered `StorageFull`.)
    pub async fn room_for_writes(&self) -> StoreResult<()> {
        if self.backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let pragma = |name: &'static str| async move {
            let row = self
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    DbBackend::Sqlite,
                    format!("PRAGMA {name}"),
                ))
                .await?
                .ok_or_else(|| StoreError::Internal(format!("PRAGMA {name} answered no row")))?;
            StoreResult::Ok(row.try_get_by_index::<i64>(0)?)
        };
        if self.options.sqlite_max_bytes.is_some() {
            let free_pages = pragma("max_page_count").await? - pragma("page_count").await?
                + pragma("freelist_count").await?;
            if free_pages < SQLITE_MIN_FREE_PAGES {
                return Err(StoreError::StorageFull(format!(
                    "{free_pages} pages are left under the database's size limit"
                )));
            }
        }
        if let Some(folder) = sqlite_folder(&self.url) {
            let free = disk_free_bytes(&folder)?;
            if free < SQLITE_MIN_FREE_DISK_BYTES {
                return Err(StoreError::StorageFull(format!(
                    "{free} bytes are free on the disk of {}",
                    folder.display()
                )));
            }
        }
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

/// Turns the SQLite file at `url` to write-ahead logging (a lasting property
/// of the file, so the pools' connections need not ask for it), creating
/// the file if `url` says so. The switch takes an exclusive lock that
/// SQLite's busy handler does not wait for: a process opening a new file
/// while another is switching it or reading it (servers scaling out start
/// together) is answered "database is locked" at once. It tries again,
/// briefly, for as long as SQLite would wait for any other lock. Once the
/// file is in WAL mode, asking again takes no lock.
async fn turn_to_write_ahead_logging(url: &str) -> StoreResult<()> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|error| StoreError::Unavailable(format!("{url}: {error}")))?
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(SQLITE_BUSY_TIMEOUT);
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        let error = match SqliteConnection::connect_with(&options).await {
            Ok(connection) => match connection.close().await {
                Ok(()) => return Ok(()),
                Err(error) => error,
            },
            Err(error) => error,
        };
        let error = DbErr::Conn(RuntimeErr::SqlxError(error.into()));
        if !is_sqlite_busy(&error) || started.elapsed() >= SQLITE_BUSY_TIMEOUT {
            return Err(error.into());
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

/// Whether a SQLite connection coming back to its pool may serve again: the
/// driver counts no open transaction, and SQLite agrees (it starts one).
/// After a `COMMIT` that failed on a full disk, SQLite may have rolled the
/// transaction back itself while the driver, whose `ROLLBACK` then failed,
/// still counts it open; or the other way round. Either way the connection
/// is closed (which rolls back whatever is open) and the pool opens a new
/// one. Two statements per write transaction, on the writer only: the
/// readers' connections cannot fail a `COMMIT` for want of room, and are
/// checked by the driver's count alone.
async fn sqlite_connection_is_clean(connection: &mut SqliteConnection) -> Result<bool, SqlxError> {
    if connection.is_in_transaction() {
        tracing::warn!("closing a database connection left inside a transaction");
        return Ok(false);
    }
    // `BEGIN` fails inside a transaction; the driver does not count a
    // transaction begun by a plain statement, so this changes nothing.
    if connection.execute("BEGIN").await.is_err() {
        tracing::warn!("closing a database connection SQLite holds inside a transaction");
        return Ok(false);
    }
    connection.execute("ROLLBACK").await?;
    Ok(true)
}

/// The folder of a SQLite database file named by `url` (`sqlite://x.db?…`,
/// `sqlite:x.db`); `None` for an in-memory database.
fn sqlite_folder(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    let parent = std::path::Path::new(path).parent()?;
    Some(if parent.as_os_str().is_empty() {
        std::path::PathBuf::from(".")
    } else {
        parent.to_path_buf()
    })
}

/// The bytes an unprivileged program may still write on `folder`'s disk.
fn disk_free_bytes(folder: &std::path::Path) -> StoreResult<u64> {
    let stats = rustix::fs::statvfs(folder).map_err(|error| {
        StoreError::Internal(format!(
            "cannot read the free space of {}: {error}",
            folder.display()
        ))
    })?;
    Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
}
