//! What can go wrong in the store, typed so that callers (the API) can answer
//! each case properly.

use samverkan_domain::ValidationErrors;
use sea_orm::sqlx::{Error as SqlxError, sqlite::SqliteError};
use sea_orm::{DbErr, RuntimeErr, SqlErr};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No live or archived record has this id.
    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: Uuid },

    /// The record changed since the caller read it: nothing was written.
    #[error("{entity} {id} has changed since version {expected} was read; it is now at version {actual}")]
    VersionConflict {
        entity: &'static str,
        id: Uuid,
        expected: i32,
        actual: i32,
    },

    /// A uniqueness rule would be broken: nothing was written.
    #[error("{message}")]
    Duplicate { field: String, message: String },

    /// A list was given a cursor it did not give out.
    #[error("cursor {reason}")]
    InvalidCursor { reason: String },

    /// The input breaks a rule of the domain: nothing was written.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),

    /// A data protection request that cannot be carried out as asked (an
    /// erased person erased again): nothing was written.
    #[error(transparent)]
    Refused(#[from] samverkan_domain::privacy::PrivacyRefusal),

    /// A stored row does not make a valid domain value: a bug or a hand edit.
    #[error("stored {entity} {id} is not valid: {reason}")]
    Corrupt {
        entity: &'static str,
        id: Uuid,
        reason: String,
    },

    /// The store already does as much of this at once as it will (see
    /// [`crate::MAX_CONCURRENT_EXPORTS`]): try again shortly.
    #[error("{0}")]
    Busy(String),

    /// A rule of the store itself was broken (a bug): nothing was written.
    #[error("internal error: {0}")]
    Internal(String),

    /// The database has no room for the write (its disk, or on SQLite the
    /// configured size limit, is full): nothing was written. Reads go on;
    /// writes work again once there is room, without a restart.
    #[error("the database's storage is full: {0}")]
    StorageFull(String),

    /// The work was ended for taking too long (an export nobody read from).
    #[error("{0}")]
    TimedOut(String),

    /// The database could not be reached (no connection could be had, or
    /// the connection broke): try again shortly.
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),

    /// The database failed.
    #[error("database error: {0}")]
    Database(DbErr),
}

impl StoreError {
    /// This refusal with its fields named under `parent` (`name` becomes
    /// `parent.name`), for a record written as part of another's input.
    /// Other errors are no field's and stay as they are.
    #[must_use]
    pub fn under(self, parent: &str) -> Self {
        match self {
            Self::Validation(errors) => {
                let mut under = ValidationErrors::new();
                under.extend_under(parent, errors);
                Self::Validation(under)
            }
            Self::Duplicate { field, message } => Self::Duplicate {
                field: if field.is_empty() {
                    parent.to_owned()
                } else {
                    format!("{parent}.{field}")
                },
                message,
            },
            other => other,
        }
    }
}

impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> Self {
        // The unique indexes are the last word on uniqueness, also when two
        // writers race past the friendlier check made before inserting.
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = error.sql_err() {
            return Self::Duplicate {
                field: String::new(),
                message: format!("a record with the same unique value exists: {detail}"),
            };
        }
        if is_storage_full(&error) {
            return Self::StorageFull(error.to_string());
        }
        if matches!(error, DbErr::ConnectionAcquire(_) | DbErr::Conn(_)) {
            return Self::Unavailable(error.to_string());
        }
        Self::Database(error)
    }
}

/// Whether the database refused a write for want of room: SQLite's
/// `SQLITE_FULL` (13; a full disk, or the size limit of `max_page_count`),
/// PostgreSQL's class 53 "insufficient resources" for disk (`53100`
/// `disk_full`).
fn is_storage_full(error: &DbErr) -> bool {
    match database_code(error) {
        Some(DatabaseCode::Sqlite(code)) => code == SQLITE_FULL,
        Some(DatabaseCode::Postgres(code)) => code == POSTGRES_DISK_FULL,
        None => false,
    }
}

/// Whether SQLite answered `SQLITE_BUSY` (5, "database is locked") where
/// its busy handler does not wait: turning a new file to write-ahead
/// logging while another connection opens it.
pub(crate) fn is_sqlite_busy(error: &DbErr) -> bool {
    matches!(database_code(error), Some(DatabaseCode::Sqlite(SQLITE_BUSY)))
}

/// A database's own code for an error it returned.
enum DatabaseCode {
    /// SQLite's primary result code.
    Sqlite(i32),
    /// PostgreSQL's SQLSTATE.
    Postgres(String),
}

fn database_code(error: &DbErr) -> Option<DatabaseCode> {
    let (DbErr::Exec(RuntimeErr::SqlxError(error))
    | DbErr::Query(RuntimeErr::SqlxError(error))
    | DbErr::Conn(RuntimeErr::SqlxError(error))) = error
    else {
        return None;
    };
    let SqlxError::Database(error) = &**error else {
        return None;
    };
    let code = error.code()?;
    if error.try_downcast_ref::<SqliteError>().is_some() {
        // The primary result code is the low byte of an extended one.
        code.parse::<i32>()
            .ok()
            .map(|code| DatabaseCode::Sqlite(code & 0xff))
    } else {
        Some(DatabaseCode::Postgres(code.into_owned()))
    }
}

const SQLITE_BUSY: i32 = 5;
const SQLITE_FULL: i32 = 13;
const POSTGRES_DISK_FULL: &str = "53100";

impl StoreError {
    pub(crate) fn corrupt(entity: &'static str, id: Uuid, reason: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            entity,
            id,
            reason: reason.to_string(),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
