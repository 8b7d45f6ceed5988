//! A read model for the engagement figures, kept by the store in the same
//! transaction as every write of a meeting or its parts.
//!
//! Counting a year of engagement from the base tables joins every attendance
//! of the year to its meeting and counts distinct meetings per organisation
//! five ways; at 100,000 meetings that took seconds (docs/benchmarks.md,
//! "Engagement figures"). These two tables hold what those joins derive, one
//! narrow row per fact, for counted meetings only (live, not cancelled):
//!
//! - `engagement_meetings`: one row per meeting and organisation that hosted
//!   it or attended it (an attendance with status `attended`, by the
//!   organisation or one of its people), with the meeting's start, whether
//!   it is a partner day, and how many of its agenda items people attending
//!   for the organisation presented. A period's meeting figures are sums
//!   over a range of `starts_at`: no join, no `DISTINCT`.
//! - `engagement_people`: one row per meeting and person who attended it,
//!   with the organisation they attended for and the meeting's start: the
//!   distinct people engaged in a period.
//!
//! Flags are `SMALLINT` 0/1 so that both backends sum them alike. Rows go
//! with their meeting (`ON DELETE CASCADE`); the store rewrites a meeting's
//! rows whenever it writes the meeting, so a cancelled or archived meeting
//! has none.
//!
//! The backfill below is this migration's own copy of what the store writes
//! (`crates/store/src/engagement_facts.rs`): a migration must keep doing what
//! it did when it was released, whatever the store later becomes. A store
//! test checks that the two agree.

use sea_orm_migration::{prelude::*, schema::*};

// The initial schema's helpers: the same kinds of keys and indexes.
use crate::m20261130_000001_initial_schema::{cascade, index, restrict};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EngagementMeetings {
    Table,
    MeetingId,
    OrganisationId,
    StartsAt,
    PartnerDay,
    Hosted,
    Attended,
    Presentations,
}

#[derive(DeriveIden)]
enum EngagementPeople {
    Table,
    MeetingId,
    RepresentativeId,
    OrganisationId,
    StartsAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Representatives {
    Table,
    Id,
}

/// Every counted meeting's rows, computed from the base tables.
pub const BACKFILL_MEETINGS: &str = "
INSERT INTO engagement_meetings
    (meeting_id, organisation_id, starts_at, partner_day, hosted, attended, presentations)
SELECT m.id, facts.organisation_id, m.starts_at,
       CASE WHEN m.kind = 'partner_day' THEN 1 ELSE 0 END,
       MAX(facts.hosted), MAX(facts.attended), SUM(facts.presentations)
FROM meetings m
JOIN (
    SELECT id AS meeting_id, host_organisation_id AS organisation_id,
           1 AS hosted, 0 AS attended, 0 AS presentations
    FROM meetings WHERE host_organisation_id IS NOT NULL
    UNION ALL
    SELECT meeting_id, organisation_id, 0, 1, 0
    FROM attendances WHERE status = 'attended'
    UNION ALL
    SELECT i.meeting_id, a.organisation_id, 0, 0, COUNT(DISTINCT i.id)
    FROM agenda_items i
    JOIN agenda_item_presenters p ON p.agenda_item_id = i.id
    JOIN attendances a ON a.meeting_id = i.meeting_id
                      AND a.representative_id = p.representative_id
    WHERE a.status = 'attended'
    GROUP BY i.meeting_id, a.organisation_id
) facts ON facts.meeting_id = m.id
WHERE m.archived_at IS NULL AND m.status <> 'cancelled'
GROUP BY m.id, facts.organisation_id, m.starts_at, m.kind";

/// Every counted meeting's people who attended.
pub const BACKFILL_PEOPLE: &str = "
INSERT INTO engagement_people (meeting_id, representative_id, organisation_id, starts_at)
SELECT m.id, a.representative_id, a.organisation_id, m.starts_at
FROM meetings m
JOIN attendances a ON a.meeting_id = m.id
WHERE m.archived_at IS NULL AND m.status <> 'cancelled'
  AND a.status = 'attended' AND a.representative_id IS NOT NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EngagementMeetings::Table)
                    .col(uuid(EngagementMeetings::MeetingId))
                    .col(uuid(EngagementMeetings::OrganisationId))
                    .col(timestamp_with_time_zone(EngagementMeetings::StartsAt))
                    .col(small_integer(EngagementMeetings::PartnerDay))
                    .col(small_integer(EngagementMeetings::Hosted))
                    .col(small_integer(EngagementMeetings::Attended))
                    .col(integer(EngagementMeetings::Presentations))
                    .primary_key(
                        Index::create()
                            .col(EngagementMeetings::MeetingId)
                            .col(EngagementMeetings::OrganisationId),
                    )
                    .foreign_key(&mut cascade(
                        (EngagementMeetings::Table, EngagementMeetings::MeetingId),
                        (Meetings::Table, Meetings::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (EngagementMeetings::Table, EngagementMeetings::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .take(),
            )
            .await?;
        // A period over every organisation: a range of this index, which
        // holds every figure (SQLite reads it alone; PostgreSQL may too).
        manager
            .create_index(index(
                "ix_engagement_meetings_period",
                EngagementMeetings::Table,
                &[
                    "starts_at",
                    "organisation_id",
                    "hosted",
                    "attended",
                    "partner_day",
                    "presentations",
                ],
            ))
            .await?;
        // A few organisations: their ranges, and their first and last meeting.
        manager
            .create_index(index(
                "ix_engagement_meetings_organisation",
                EngagementMeetings::Table,
                &["organisation_id", "starts_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EngagementPeople::Table)
                    .col(uuid(EngagementPeople::MeetingId))
                    .col(uuid(EngagementPeople::RepresentativeId))
                    .col(uuid(EngagementPeople::OrganisationId))
                    .col(timestamp_with_time_zone(EngagementPeople::StartsAt))
                    .primary_key(
                        Index::create()
                            .col(EngagementPeople::MeetingId)
                            .col(EngagementPeople::RepresentativeId),
                    )
                    .foreign_key(&mut cascade(
                        (EngagementPeople::Table, EngagementPeople::MeetingId),
                        (Meetings::Table, Meetings::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (EngagementPeople::Table, EngagementPeople::RepresentativeId),
                        (Representatives::Table, Representatives::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (EngagementPeople::Table, EngagementPeople::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_engagement_people_period",
                EngagementPeople::Table,
                &["starts_at", "representative_id", "organisation_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_engagement_people_organisation",
                EngagementPeople::Table,
                &["organisation_id", "starts_at", "representative_id"],
            ))
            .await?;

        let db = manager.get_connection();
        db.execute_unprepared(BACKFILL_MEETINGS).await?;
        db.execute_unprepared(BACKFILL_PEOPLE).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EngagementPeople::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(EngagementMeetings::Table).to_owned())
            .await?;
        Ok(())
    }
}
