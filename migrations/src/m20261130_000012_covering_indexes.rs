//! Indexes that hold what the engagement figures and the follow-up summary
//! read, so that a period's meetings and their follow-ups are read from
//! indexes alone rather than from the wide `meetings` and `follow_ups` rows
//! (titles, summaries, search text).
//!
//! Measured in the `sqlite3` shell on the engagement benchmark's database
//! (100,000 meetings, 300,000 follow-ups): the follow-up counts of a year
//! took 118–130 ms through the old indexes and 43–46 ms through these.
//!
//! Three indexes are widened in place of being added beside the old ones
//! (each old one is a prefix of its successor, so every query it served is
//! served still, and a write updates as many indexes as before):
//!
//! - `ix_meetings_starts_at` `(starts_at, id)` → `(starts_at, id, status,
//!   archived_at, kind)`: a period's counted meetings;
//! - `ix_follow_ups_meeting` `(meeting_id)` → `(meeting_id, archived_at,
//!   status, completed_at, due_on, organisation_id)`: their follow-ups;
//! - `ix_follow_ups_organisation` `(organisation_id, status)` →
//!   `(organisation_id, status, meeting_id, archived_at, completed_at,
//!   due_on)`: a few organisations' follow-ups.
//!
//! Two are new: `ix_meetings_counted` `(id, starts_at, status,
//! archived_at)`, for looking up from a follow-up whether its meeting counts
//! and when it began; and `ix_engagement_people_representative`
//! `(representative_id, starts_at)`, so that the people engaged in a period
//! are counted by one probe per person rather than a `COUNT(DISTINCT)` over
//! the period's rows (90 ms → see docs/benchmarks.md).

use sea_orm_migration::prelude::*;

use crate::m20261130_000001_initial_schema::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

struct Covering {
    name: &'static str,
    table: &'static str,
    columns: &'static [&'static str],
    /// The columns before this migration; `None` for a new index.
    previous: Option<&'static [&'static str]>,
}

const INDEXES: [Covering; 5] = [
    Covering {
        name: "ix_meetings_starts_at",
        table: "meetings",
        columns: &["starts_at", "id", "status", "archived_at", "kind"],
        previous: Some(&["starts_at", "id"]),
    },
    Covering {
        name: "ix_follow_ups_meeting",
        table: "follow_ups",
        columns: &[
            "meeting_id",
            "archived_at",
            "status",
            "completed_at",
            "due_on",
            "organisation_id",
        ],
        previous: Some(&["meeting_id"]),
    },
    Covering {
        name: "ix_follow_ups_organisation",
        table: "follow_ups",
        columns: &[
            "organisation_id",
            "status",
            "meeting_id",
            "archived_at",
            "completed_at",
            "due_on",
        ],
        previous: Some(&["organisation_id", "status"]),
    },
    Covering {
        name: "ix_meetings_counted",
        table: "meetings",
        columns: &["id", "starts_at", "status", "archived_at"],
        previous: None,
    },
    Covering {
        name: "ix_engagement_people_representative",
        table: "engagement_people",
        columns: &["representative_id", "starts_at"],
        previous: None,
    },
];

fn drop(name: &str, table: &str) -> IndexDropStatement {
    Index::drop().name(name).table(Alias::new(table)).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for covering in &INDEXES {
            if covering.previous.is_some() {
                manager.drop_index(drop(covering.name, covering.table)).await?;
            }
            manager
                .create_index(index(covering.name, Alias::new(covering.table), covering.columns))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for covering in &INDEXES {
            manager.drop_index(drop(covering.name, covering.table)).await?;
            if let Some(previous) = covering.previous {
                manager
                    .create_index(index(covering.name, Alias::new(covering.table), previous))
                    .await?;
            }
        }
        Ok(())
    }
}
