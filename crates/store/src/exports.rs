//! What reports and exports read: the names a meeting's minutes print, and
//! the attendance export as a stream of bounded batches.
//!
//! The export pages through the period's meetings by `(starts_at, id)` (the
//! `ix_meetings_starts_at` order) and reads each page's attendances with
//! their organisation and person in one join, so every batch is two indexed
//! queries and no connection or transaction is held between batches: a slow
//! client never pins a pooled connection or a SQLite read snapshot (which
//! would stop WAL checkpoints). The number of meetings per page adapts to
//! the attendances seen so far to aim at a target number of rows. A
//! meeting's attendances are never split, so a batch may pass the target by
//! what its meetings hold beyond the average (at most 1,000 meetings a page,
//! and 1,000 attendees a meeting). Rows come in a stable order: meeting start, meeting id, attendance
//! id. Archived and cancelled meetings are included: the export is history.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::Stream;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use samverkan_domain::{
    AttendanceExportRow, MeetingId, MeetingKind, MeetingRecords, MeetingStatus, Names, OrganisationId,
    RepresentativeId, read_models, time,
};

use crate::Store;
use crate::entity::{attendances, meetings, organisations, representatives};
use crate::error::StoreResult;
use crate::meetings::attendance_role_and_status;
use crate::support::{Db, keyset_after, stored};

/// How many rows an export batch aims at, unless the caller says otherwise.
pub const DEFAULT_EXPORT_BATCH: usize = 5_000;

/// The most meetings a page reads, however small they have been so far.
const MAX_MEETINGS_PER_PAGE: usize = 1_000;

/// A guess at attendances per meeting for the first page (partner days have
/// 10 to 40), corrected by what the pages read.
const FIRST_GUESS_PER_MEETING: usize = 20;

/// Where the next page of meetings starts, and how large it is.
struct ExportState {
    store: Store,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    target_rows: usize,
    after: Option<(DateTime<Utc>, Uuid)>,
    meetings_read: usize,
    rows_read: usize,
    finished: bool,
}

impl ExportState {
    /// Meetings for the next page: the target divided by the attendances
    /// per meeting seen so far, at least one and at most
    /// [`MAX_MEETINGS_PER_PAGE`].
    fn page_size(&self) -> usize {
        let per_meeting = if self.meetings_read == 0 {
            FIRST_GUESS_PER_MEETING
        } else {
            self.rows_read.div_ceil(self.meetings_read).max(1)
        };
        (self.target_rows / per_meeting).clamp(1, MAX_MEETINGS_PER_PAGE)
    }
}

/// One page of meetings: what the export repeats of each.
struct MeetingHead {
    id: Uuid,
    starts_at: DateTime<Utc>,
    title: String,
    kind: MeetingKind,
    status: MeetingStatus,
}

#[derive(Debug, FromQueryResult)]
struct AttendanceJoin {
    id: Uuid,
    meeting_id: Uuid,
    organisation_id: Uuid,
    organisation_name: String,
    representative_id: Option<Uuid>,
    representative_name: Option<String>,
    role: String,
    status: String,
}

async fn meeting_page(db: &impl Db, state: &ExportState, size: usize) -> StoreResult<Vec<MeetingHead>> {
    let query = meetings::Entity::find()
        .select_only()
        .column(meetings::Column::Id)
        .column(meetings::Column::StartsAt)
        .column(meetings::Column::Title)
        .column(meetings::Column::Kind)
        .column(meetings::Column::Status)
        .filter(meetings::Column::StartsAt.gte(state.start))
        .filter(meetings::Column::StartsAt.lt(state.end))
        .filter(keyset_after(
            Order::Asc,
            meetings::Column::StartsAt,
            meetings::Column::Id,
            state.after.as_ref(),
        ));
    let rows: Vec<(Uuid, DateTime<Utc>, String, String, String)> = query
        .order_by_asc(meetings::Column::StartsAt)
        .order_by_asc(meetings::Column::Id)
        .limit(u64::try_from(size).unwrap_or(u64::MAX))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, starts_at, title, kind, status)| {
            Ok(MeetingHead {
                id,
                starts_at,
                title,
                kind: stored("meeting", id, MeetingKind::parse("kind", &kind))?,
                status: stored("meeting", id, MeetingStatus::parse("status", &status))?,
            })
        })
        .collect()
}

async fn attendances_of(db: &impl Db, meetings: &[MeetingHead]) -> StoreResult<Vec<AttendanceJoin>> {
    let a = attendances::Entity;
    let statement = Query::select()
        .column((a, attendances::Column::Id))
        .column((a, attendances::Column::MeetingId))
        .column((a, attendances::Column::OrganisationId))
        .expr_as(
            Expr::col((organisations::Entity, organisations::Column::Name)),
            Alias::new("organisation_name"),
        )
        .column((a, attendances::Column::RepresentativeId))
        .expr_as(
            Expr::col((representatives::Entity, representatives::Column::FullName)),
            Alias::new("representative_name"),
        )
        .column((a, attendances::Column::Role))
        .column((a, attendances::Column::Status))
        .from(a)
        .inner_join(
            organisations::Entity,
            Expr::col((organisations::Entity, organisations::Column::Id))
                .equals((a, attendances::Column::OrganisationId)),
        )
        .left_join(
            representatives::Entity,
            Expr::col((representatives::Entity, representatives::Column::Id))
                .equals((a, attendances::Column::RepresentativeId)),
        )
        .and_where(Expr::col((a, attendances::Column::MeetingId)).is_in(meetings.iter().map(|m| m.id)))
        .order_by((a, attendances::Column::MeetingId), Order::Asc)
        .order_by((a, attendances::Column::Id), Order::Asc)
        .take();
    let rows = db.query_all(&statement).await?;
    Ok(rows
        .iter()
        .map(|row| AttendanceJoin::from_query_result(row, ""))
        .collect::<Result<_, _>>()?)
}

/// Reads the next batch: a page of meetings and their attendances, in
/// export order. `None` when the period is exhausted.
async fn next_batch(mut state: ExportState) -> StoreResult<Option<(Vec<AttendanceExportRow>, ExportState)>> {
    loop {
        if state.finished {
            return Ok(None);
        }
        let size = state.page_size();
        let page = meeting_page(&state.store.db, &state, size).await?;
        state.finished = page.len() < size;
        let Some(last) = page.last() else {
            return Ok(None);
        };
        state.after = Some((last.starts_at, last.id));
        let joined = attendances_of(&state.store.db, &page).await?;
        state.meetings_read += page.len();
        state.rows_read += joined.len();
        let mut by_meeting: HashMap<Uuid, Vec<AttendanceJoin>> = HashMap::with_capacity(page.len());
        for row in joined {
            by_meeting.entry(row.meeting_id).or_default().push(row);
        }
        let mut batch = Vec::with_capacity(by_meeting.values().map(Vec::len).sum());
        for meeting in &page {
            for row in by_meeting.remove(&meeting.id).unwrap_or_default() {
                let (role, status) = attendance_role_and_status(row.id, &row.role, &row.status)?;
                batch.push(AttendanceExportRow {
                    attendance_id: row.id.into(),
                    meeting_id: MeetingId::from(meeting.id),
                    meeting_starts_at: meeting.starts_at,
                    meeting_title: meeting.title.clone(),
                    meeting_kind: meeting.kind,
                    meeting_status: meeting.status,
                    organisation_id: row.organisation_id.into(),
                    organisation_name: row.organisation_name,
                    representative_id: row.representative_id.map(Into::into),
                    representative_name: row.representative_name,
                    role,
                    status,
                });
            }
        }
        // A page of meetings nobody attended yields nothing: read on rather
        // than hand the caller an empty batch.
        if !batch.is_empty() {
            return Ok(Some((batch, state)));
        }
    }
}

impl Store {
    /// Every attendance of the meetings that begin on the Stockholm days
    /// `from` to `to` (inclusive), in batches of about `target_rows` (see
    /// the module's documentation). Reading happens as the stream is
    /// polled: an export of any size holds one batch at a time.
    pub fn attendance_export(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        target_rows: usize,
    ) -> impl Stream<Item = StoreResult<Vec<AttendanceExportRow>>> + Send + 'static {
        let state = ExportState {
            store: self.clone(),
            start: time::day_start(from),
            end: time::day_end(to),
            target_rows: target_rows.max(1),
            after: None,
            meetings_read: 0,
            rows_read: 0,
            finished: from > to,
        };
        futures_util::stream::try_unfold(state, next_batch)
    }

    /// The names of these organisations and representatives (archived ones
    /// too: history keeps its names), in two queries.
    pub async fn names(
        &self,
        organisation_ids: &[OrganisationId],
        representative_ids: &[RepresentativeId],
    ) -> StoreResult<Names> {
        let mut names = Names::default();
        if !organisation_ids.is_empty() {
            let rows: Vec<(Uuid, String)> = organisations::Entity::find()
                .select_only()
                .column(organisations::Column::Id)
                .column(organisations::Column::Name)
                .filter(organisations::Column::Id.is_in(organisation_ids.iter().map(|id| id.as_uuid())))
                .into_tuple()
                .all(&self.db)
                .await?;
            names.organisations = rows.into_iter().map(|(id, name)| (id.into(), name)).collect();
        }
        if !representative_ids.is_empty() {
            let rows: Vec<(Uuid, String)> = representatives::Entity::find()
                .select_only()
                .column(representatives::Column::Id)
                .column(representatives::Column::FullName)
                .filter(representatives::Column::Id.is_in(representative_ids.iter().map(|id| id.as_uuid())))
                .into_tuple()
                .all(&self.db)
                .await?;
            names.representatives = rows.into_iter().map(|(id, name)| (id.into(), name)).collect();
        }
        Ok(names)
    }

    /// A meeting whole, with the names of every organisation and person it
    /// refers to: what its minutes print.
    pub async fn meeting_with_names(&self, id: MeetingId) -> StoreResult<(MeetingRecords, Names)> {
        let records = self.meeting_records(id).await?;
        let (organisation_ids, representative_ids) = read_models::referenced_by(&records);
        let names = self.names(&organisation_ids, &representative_ids).await?;
        Ok((records, names))
    }
}
