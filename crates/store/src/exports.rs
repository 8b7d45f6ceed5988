//! What reports and exports read: the names a meeting's minutes print, and
//! the attendance export as a stream of bounded batches.
//!
//! The export pages through the period's meetings by `(starts_at, id)` (the
//! `ix_meetings_starts_at` order) and reads each page's attendances by
//! meeting, so every batch is two indexed queries (and the names it has not
//! met yet, see [`NameCache`]), and no connection or transaction is held
//! between batches: a slow client never pins a pooled connection or a
//! SQLite read snapshot (which would stop WAL checkpoints). A task of its
//! own reads the batches, one ahead of the consumer, so that reading the
//! next batch overlaps with writing this one out; the number of meetings
//! per page adapts to
//! the attendances seen so far to aim at a target number of rows. A
//! meeting's attendances are never split, so a batch may pass the target by
//! what its meetings hold beyond the average (at most 1,000 meetings a page,
//! and 1,000 attendees a meeting). Rows come in a stable order: meeting start, meeting id, attendance
//! id. Archived and cancelled meetings are included: the export is history.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::Stream;
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::mpsc;
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

/// The most names an export keeps at once; beyond it the cache starts over.
/// About 100 bytes a name: memory stays flat however many people there are.
const MAX_CACHED_NAMES: usize = 100_000;

/// The names an export has met so far. Each batch asks the database only
/// for the organisations and people it has not seen, in two queries, rather
/// than joining two tables for every row: an export of a million rows names
/// a few thousand organisations and people. A name read once is used for
/// the rest of the export (a rename during it shows from the next export).
#[derive(Default)]
struct NameCache {
    names: Names,
}

impl NameCache {
    /// Makes sure the cache holds the names of `rows`' organisations and people.
    async fn learn(&mut self, store: &Store, rows: &[AttendanceIds]) -> StoreResult<()> {
        let mut organisations: Vec<OrganisationId> = Vec::new();
        let mut representatives: Vec<RepresentativeId> = Vec::new();
        for row in rows {
            let organisation = OrganisationId::from(row.organisation_id);
            if !self.names.organisations.contains_key(&organisation) {
                organisations.push(organisation);
            }
            if let Some(representative) = row.representative_id.map(RepresentativeId::from)
                && !self.names.representatives.contains_key(&representative)
            {
                representatives.push(representative);
            }
        }
        organisations.sort_unstable();
        organisations.dedup();
        representatives.sort_unstable();
        representatives.dedup();
        if organisations.is_empty() && representatives.is_empty() {
            return Ok(());
        }
        if self.len() + organisations.len() + representatives.len() > MAX_CACHED_NAMES {
            // Start over, keeping only what this batch needs.
            self.names = Names::default();
            return Box::pin(self.learn(store, rows)).await;
        }
        let found = store.names(&organisations, &representatives).await?;
        self.names.organisations.extend(found.organisations);
        self.names.representatives.extend(found.representatives);
        Ok(())
    }

    fn len(&self) -> usize {
        self.names.organisations.len() + self.names.representatives.len()
    }
}

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
    names: NameCache,
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

/// An attendance as the export reads it: ids, role and status.
struct AttendanceIds {
    id: Uuid,
    meeting_id: Uuid,
    organisation_id: Uuid,
    representative_id: Option<Uuid>,
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

async fn attendances_of(db: &impl Db, meetings: &[MeetingHead]) -> StoreResult<Vec<AttendanceIds>> {
    let rows: Vec<(Uuid, Uuid, Uuid, Option<Uuid>, String, String)> = attendances::Entity::find()
        .select_only()
        .column(attendances::Column::Id)
        .column(attendances::Column::MeetingId)
        .column(attendances::Column::OrganisationId)
        .column(attendances::Column::RepresentativeId)
        .column(attendances::Column::Role)
        .column(attendances::Column::Status)
        .filter(attendances::Column::MeetingId.is_in(meetings.iter().map(|m| m.id)))
        .order_by_asc(attendances::Column::MeetingId)
        .order_by_asc(attendances::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, meeting_id, organisation_id, representative_id, role, status)| AttendanceIds {
                id,
                meeting_id,
                organisation_id,
                representative_id,
                role,
                status,
            },
        )
        .collect())
}

/// Reads the next batch: a page of meetings and their attendances, in
/// export order. `None` when the period is exhausted.
async fn next_batch(state: &mut ExportState) -> StoreResult<Option<Vec<AttendanceExportRow>>> {
    loop {
        if state.finished {
            return Ok(None);
        }
        let size = state.page_size();
        let page = meeting_page(&state.store.db, state, size).await?;
        state.finished = page.len() < size;
        let Some(last) = page.last() else {
            return Ok(None);
        };
        state.after = Some((last.starts_at, last.id));
        let joined = attendances_of(&state.store.db, &page).await?;
        state.meetings_read += page.len();
        state.rows_read += joined.len();
        state.names.learn(&state.store, &joined).await?;
        let names = &state.names.names;
        let mut by_meeting: HashMap<Uuid, Vec<AttendanceIds>> = HashMap::with_capacity(page.len());
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
                    organisation_name: names.organisation(row.organisation_id.into()),
                    representative_id: row.representative_id.map(Into::into),
                    representative_name: row.representative_id.map(|id| names.representative(id.into())),
                    role,
                    status,
                });
            }
        }
        // A page of meetings nobody attended yields nothing: read on rather
        // than hand the caller an empty batch.
        if !batch.is_empty() {
            return Ok(Some(batch));
        }
    }
}

impl Store {
    /// Every attendance of the meetings that begin on the Stockholm days
    /// `from` to `to` (inclusive), in batches of about `target_rows` (see
    /// the module's documentation). A task reads the batches one ahead of
    /// the consumer (so an export of any size holds at most three batches:
    /// one being read, one waiting, one being written), and stops when the
    /// stream is dropped. Must be called within a Tokio runtime.
    pub fn attendance_export(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        target_rows: usize,
    ) -> impl Stream<Item = StoreResult<Vec<AttendanceExportRow>>> + Send + 'static {
        let mut state = ExportState {
            store: self.clone(),
            start: time::day_start(from),
            end: time::day_end(to),
            target_rows: target_rows.max(1),
            after: None,
            meetings_read: 0,
            rows_read: 0,
            finished: from > to,
            names: NameCache::default(),
        };
        let (batches, received) = mpsc::channel(1);
        tokio::spawn(async move {
            loop {
                let (item, last) = match next_batch(&mut state).await {
                    Ok(Some(batch)) => (Ok(batch), false),
                    Ok(None) => return,
                    Err(error) => (Err(error), true),
                };
                // A closed channel: the consumer is gone, and so is the need.
                if batches.send(item).await.is_err() || last {
                    return;
                }
            }
        });
        futures_util::stream::unfold(received, |mut received| async move {
            received.recv().await.map(|item| (item, received))
        })
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
