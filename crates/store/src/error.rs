//! What can go wrong in the store, typed so that callers (the API) can answer
//! each case properly.

use samverkan_domain::ValidationErrors;
use sea_orm::{DbErr, SqlErr};
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

    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(DbErr),
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
        Self::Database(error)
    }
}

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
