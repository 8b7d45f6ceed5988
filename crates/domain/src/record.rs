//! What every stored record carries besides its data.

use chrono::{DateTime, Utc};

/// Bookkeeping shared by every mutable record.
///
/// `version` is the optimistic-concurrency token: it starts at 1 and grows by
/// one with every change; an update must name the version it read, and fails
/// as a conflict if the record has moved on since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordMeta {
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when the record was archived. Records with history are archived,
    /// never deleted, so that past meetings keep their people.
    pub archived_at: Option<DateTime<Utc>>,
}

impl RecordMeta {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            version: 1,
            created_at: now,
            updated_at: now,
            archived_at: None,
        }
    }

    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }
}
