//! What reports and exports read: the names a meeting's minutes print, what
//! the engagement report and the partner brief are made of, and the
//! attendance export as a stream of bounded batches.
//!
//! The export pages through the period's meetings by `(starts_at, id)` (the
//! `ix_meetings_starts_at` order) and reads each page's attendances by
//! meeting, so every batch is two indexed queries (and the names it has not
//! met yet, see [`NameCache`]). No transaction is held between batches, and
//! no pooled connection (on SQLite the export has a connection of its own,
//! [`Store::streaming_connection`]): a slow client never pins a pooled
//! connection or a SQLite read snapshot (which would stop WAL checkpoints).
//! A task of its
//! own reads the batches, one ahead of the consumer, so that reading the
//! next batch overlaps with writing this one out. The number of meetings per
//! page adapts to the attendances seen so far to aim at a target number of
//! rows. A meeting's attendances are never split, so a batch may pass the
//! target by what its meetings hold beyond the average (at most 1,000
//! meetings a page, and 1,000 attendees a meeting). Rows come in a stable
//! order: meeting start, meeting id, attendance id. Archived and cancelled
//! meetings are included: the export is history.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::{Stream, StreamExt};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::mpsc;
use uuid::Uuid;

use samverkan_domain::{
    AttendanceExportRow, AttendanceRole, AttendanceStatus, EngagementReportData, HealthThresholds, MeetingId,
    MeetingKind, MeetingRecords, MeetingStatus, Names, OrganisationId, PartnerBrief, Partnership, Period,
    RepresentativeId, read_models, time,
};

use crate::entity::{attendances, meetings, organisations, representatives};
use crate::error::{StoreError, StoreResult};
use crate::meetings::attendance_role_and_status;
use crate::support::{Db, keyset_after, stored};
use crate::{
    FollowUpFilter, FollowUpOrder, MAX_CONCURRENT_EXPORTS, MAX_PAGE_SIZE, MeetingFilter, PageRequest,
    PartnershipFilter, Store,
};

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
    /// Minors' names too (docs/privacy.md: only when asked for).
    minors: bool,
}

impl NameCache {
    /// Makes sure the cache holds the names of `rows`' organisations and
    /// people. Past [`MAX_CACHED_NAMES`] it starts over with this batch's
    /// (which it then holds whatever their number: a batch is bounded).
    async fn learn(&mut self, db: &impl Db, rows: &[AttendanceIds]) -> StoreResult<()> {
        let (mut organisations, mut representatives) = self.missing(rows);
        if organisations.is_empty() && representatives.is_empty() {
            return Ok(());
        }
        if self.len() + organisations.len() + representatives.len() > MAX_CACHED_NAMES {
            self.names = Names::default();
            (organisations, representatives) = self.missing(rows);
        }
        let found = names_in(db, &organisations, &representatives, self.minors).await?;
        self.names.organisations.extend(found.organisations);
        self.names.representatives.extend(found.representatives);
        Ok(())
    }

    /// The organisations and people of `rows` the cache does not name, once each.
    fn missing(&self, rows: &[AttendanceIds]) -> (Vec<OrganisationId>, Vec<RepresentativeId>) {
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
        (organisations, representatives)
    }

    fn len(&self) -> usize {
        self.names.organisations.len() + self.names.representatives.len()
    }
}

/// Where the next page of meetings starts, and how large it is.
struct ExportState {
    /// The export's own connection on SQLite, the pool on PostgreSQL
    /// ([`Store::streaming_connection`]).
    db: DatabaseConnection,
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
    role: AttendanceRole,
    status: AttendanceStatus,
}

impl AttendanceIds {
    fn parse(
        id: Uuid,
        meeting_id: Uuid,
        organisation_id: Uuid,
        representative_id: Option<Uuid>,
        role: &str,
        status: &str,
    ) -> StoreResult<Self> {
        let (role, status) = attendance_role_and_status(id, role, status)?;
        Ok(Self {
            id,
            meeting_id,
            organisation_id,
            representative_id,
            role,
            status,
        })
    }
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

/// The attendances of `meetings`, in (meeting, attendance) order.
async fn attendances_of(
    db: &DatabaseConnection,
    meetings: &[MeetingHead],
) -> StoreResult<Vec<AttendanceIds>> {
    let of_these = attendances::Column::MeetingId.is_in(meetings.iter().map(|m| m.id));
    if db.get_database_backend() == DbBackend::Sqlite {
        return attendances_as_json(db, of_these).await;
    }
    let rows: Vec<(Uuid, Uuid, Uuid, Option<Uuid>, String, String)> = attendances::Entity::find()
        .select_only()
        .column(attendances::Column::Id)
        .column(attendances::Column::MeetingId)
        .column(attendances::Column::OrganisationId)
        .column(attendances::Column::RepresentativeId)
        .column(attendances::Column::Role)
        .column(attendances::Column::Status)
        .filter(of_these)
        .order_by_asc(attendances::Column::MeetingId)
        .order_by_asc(attendances::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, meeting, organisation, representative, role, status)| {
            AttendanceIds::parse(id, meeting, organisation, representative, &role, &status)
        })
        .collect()
}

/// The same on SQLite, as one JSON array built by SQLite. sqlx hands each
/// row of a SQLite result from its worker thread to the reading task on its
/// own, with an allocation per value; for the export's million rows that
/// hand-over was most of the time (`docs/benchmarks.md`, "Attendance
/// export"). One row per batch instead, parsed here without copying.
async fn attendances_as_json(db: &DatabaseConnection, of_these: Expr) -> StoreResult<Vec<AttendanceIds>> {
    let statement = Query::select()
        .expr(Expr::cust(
            "json_group_array(json_array(hex(id), hex(meeting_id), hex(organisation_id), \
             hex(representative_id), role, status) ORDER BY meeting_id, id)",
        ))
        .from(attendances::Entity)
        .and_where(of_these)
        .take();
    let Some(row) = db.query_one(&statement).await? else {
        return Ok(Vec::new());
    };
    let text: String = row.try_get_by_index(0)?;
    let corrupt =
        |reason: String| StoreError::Internal(format!("the attendances of an export batch: {reason}"));
    let rows: Vec<[&str; 6]> = serde_json::from_str(&text).map_err(|error| corrupt(error.to_string()))?;
    let uuid = |hex: &str| Uuid::try_parse(hex).map_err(|error| corrupt(format!("{hex}: {error}")));
    rows.into_iter()
        .map(|[id, meeting, organisation, representative, role, status]| {
            let representative = match representative {
                "" => None,
                hex => Some(uuid(hex)?),
            };
            AttendanceIds::parse(
                uuid(id)?,
                uuid(meeting)?,
                uuid(organisation)?,
                representative,
                role,
                status,
            )
        })
        .collect()
}

/// Reads the next batch: a page of meetings and their attendances, in
/// export order. `None` when the period is exhausted.
async fn next_batch(state: &mut ExportState) -> StoreResult<Option<Vec<AttendanceExportRow>>> {
    loop {
        if state.finished {
            return Ok(None);
        }
        let size = state.page_size();
        let page = meeting_page(&state.db, state, size).await?;
        state.finished = page.len() < size;
        let Some(last) = page.last() else {
            return Ok(None);
        };
        state.after = Some((last.starts_at, last.id));
        let joined = attendances_of(&state.db, &page).await?;
        state.meetings_read += page.len();
        state.rows_read += joined.len();
        state.names.learn(&state.db, &joined).await?;
        let names = &state.names.names;
        let mut by_meeting: HashMap<Uuid, Vec<AttendanceIds>> = HashMap::with_capacity(page.len());
        for row in joined {
            by_meeting.entry(row.meeting_id).or_default().push(row);
        }
        let mut batch = Vec::with_capacity(by_meeting.values().map(Vec::len).sum());
        for meeting in &page {
            for row in by_meeting.remove(&meeting.id).unwrap_or_default() {
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
                    role: row.role,
                    status: row.status,
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

/// [`Store::names`] over `db`.
async fn names_in(
    db: &impl Db,
    organisation_ids: &[OrganisationId],
    representative_ids: &[RepresentativeId],
    minors: bool,
) -> StoreResult<Names> {
    let mut names = Names::default();
    if !organisation_ids.is_empty() {
        let rows: Vec<(Uuid, String)> = organisations::Entity::find()
            .select_only()
            .column(organisations::Column::Id)
            .column(organisations::Column::Name)
            .filter(organisations::Column::Id.is_in(organisation_ids.iter().map(|id| id.as_uuid())))
            .into_tuple()
            .all(db)
            .await?;
        names.organisations = rows.into_iter().map(|(id, name)| (id.into(), name)).collect();
    }
    if !representative_ids.is_empty() {
        let rows: Vec<(Uuid, String, Option<DateTime<Utc>>, bool)> = representatives::Entity::find()
            .select_only()
            .column(representatives::Column::Id)
            .column(representatives::Column::FullName)
            .column(representatives::Column::RestrictedAt)
            .column(representatives::Column::IsMinor)
            .filter(representatives::Column::Id.is_in(representative_ids.iter().map(|id| id.as_uuid())))
            .into_tuple()
            .all(db)
            .await?;
        // A restricted person (Art. 18) is not exported: their rows stay, so
        // every count does, under a placeholder instead of the name.
        names.representatives = rows
            .into_iter()
            .map(|(id, name, restricted, is_minor)| {
                let shown = match restricted {
                    Some(_) => samverkan_domain::privacy::RESTRICTED_PERSON_NAME.to_owned(),
                    None if is_minor && !minors => samverkan_domain::privacy::MINOR_NAME.to_owned(),
                    None => name,
                };
                (id.into(), shown)
            })
            .collect();
    }
    Ok(names)
}

impl Store {
    /// Every attendance of the meetings that begin on the Stockholm days
    /// `from` to `to` (inclusive), in batches of about `target_rows` (see
    /// the module's documentation). A task reads the batches one ahead of
    /// the consumer (so an export of any size holds at most three batches:
    /// one being read, one waiting, one being written), and stops when the
    /// stream is dropped. Must be called within a Tokio runtime.
    ///
    /// Minors' rows are there, named "Minderårig": an export goes to a
    /// file, and a child's name only when asked for
    /// ([`Self::attendance_export_with_minors`]).
    pub fn attendance_export(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        target_rows: usize,
    ) -> impl Stream<Item = StoreResult<Vec<AttendanceExportRow>>> + Send + 'static {
        self.attendance_export_with_minors(from, to, target_rows, false)
    }

    /// [`Self::attendance_export`], with minors' names when `minors`.
    pub fn attendance_export_with_minors(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        target_rows: usize,
        minors: bool,
    ) -> impl Stream<Item = StoreResult<Vec<AttendanceExportRow>>> + Send + 'static {
        let store = self.clone();
        let (start, end) = (time::day_start(from), time::day_end(to));
        let (batches, received) = mpsc::channel(1);
        let idle_limit = self.options.export_idle_limit;
        let abandoned = Arc::new(AtomicBool::new(false));
        let abandoned_by_task = Arc::clone(&abandoned);
        // Taken now, so that the count holds from the call; held by the
        // reading task until it ends.
        let permit = self.exports.clone().try_acquire_owned();
        tokio::spawn(async move {
            // Bound first, dropped last: the permit is free before the
            // consumer sees the end.
            let batches = batches;
            let Ok(_permit) = permit else {
                let busy = format!("{MAX_CONCURRENT_EXPORTS} exports are running already; try again shortly");
                let _ = batches.send(Err(StoreError::Busy(busy))).await;
                return;
            };
            let db = match store.streaming_connection().await {
                Ok(db) => db,
                Err(error) => {
                    // Nobody may be listening any more; nothing else to do.
                    let _ = batches.send(Err(error)).await;
                    return;
                }
            };
            let mut state = ExportState {
                db,
                start,
                end,
                target_rows: target_rows.max(1),
                after: None,
                meetings_read: 0,
                rows_read: 0,
                finished: from > to,
                names: NameCache {
                    minors,
                    ..NameCache::default()
                },
            };
            loop {
                let (item, last) = match next_batch(&mut state).await {
                    Ok(Some(batch)) => (Ok(batch), false),
                    Ok(None) => return,
                    Err(error) => (Err(error), true),
                };
                match tokio::time::timeout(idle_limit, batches.send(item)).await {
                    // A closed channel: the consumer is gone, and so is the need.
                    Ok(Err(_)) => return,
                    Ok(Ok(())) if last => return,
                    Ok(Ok(())) => {}
                    // A consumer that stopped reading (a client that reads
                    // nothing more, but keeps its connection) would hold
                    // its place among the few exports forever.
                    Err(_) => {
                        tracing::warn!(
                            seconds = idle_limit.as_secs(),
                            "ended an export that was not read from"
                        );
                        abandoned_by_task.store(true, Ordering::Release);
                        return;
                    }
                }
            }
        });
        // Fused: a consumer may poll again after the end (poem's bodies do).
        // An export ended for want of a reader ends in an error, never in
        // what would look like a complete file.
        futures_util::stream::unfold(Some(received), move |received| {
            let abandoned = Arc::clone(&abandoned);
            async move {
                let mut received = received?;
                match received.recv().await {
                    Some(item) => Some((item, Some(received))),
                    None if abandoned.load(Ordering::Acquire) => Some((
                        Err(StoreError::TimedOut(format!(
                            "the export was not read from for {} s and was ended",
                            idle_limit.as_secs()
                        ))),
                        None,
                    )),
                    None => None,
                }
            }
        })
        .fuse()
    }

    /// The names of these organisations and representatives (archived ones
    /// too: history keeps its names), in two queries.
    pub async fn names(
        &self,
        organisation_ids: &[OrganisationId],
        representative_ids: &[RepresentativeId],
    ) -> StoreResult<Names> {
        names_in(&self.db, organisation_ids, representative_ids, true).await
    }

    /// A meeting whole, with the names of every organisation and person it
    /// refers to: what its minutes print.
    pub async fn meeting_with_names(&self, id: MeetingId) -> StoreResult<(MeetingRecords, Names)> {
        let records = self.meeting_records(id).await?;
        let (organisation_ids, representative_ids) = read_models::referenced_by(&records);
        let names = self.names(&organisation_ids, &representative_ids).await?;
        Ok((records, names))
    }

    /// What the engagement report of `period` is made of, judged on the
    /// as-of day as [`Self::engagement`] is: every live organisation's row
    /// (read in pages of [`MAX_PAGE_SIZE`]; `on_page` hears how many rows
    /// have been read so far: thousands of partners take a while), the
    /// summary, and the follow-ups as they stand on its as-of day.
    pub async fn engagement_report(
        &self,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
        on_page: impl FnMut(usize),
    ) -> StoreResult<EngagementReportData> {
        let rows = self
            .engagement_all(period, today, thresholds, MAX_PAGE_SIZE, on_page)
            .await?;
        let summary = self.engagement_summary(period, today, thresholds).await?;
        let follow_ups = self.follow_up_summary(summary.as_of, MAX_PAGE_SIZE).await?;
        Ok(EngagementReportData {
            rows,
            summary,
            follow_ups,
        })
    }

    /// The partnerships organisation `id` is a party to (live ones, at most
    /// [`MAX_PAGE_SIZE`]), each with the other party's name.
    pub async fn partnerships_of(&self, id: OrganisationId) -> StoreResult<Vec<(Partnership, String)>> {
        let partnerships = self
            .list_partnerships(
                &PartnershipFilter {
                    organisation_id: Some(id),
                    ..PartnershipFilter::default()
                },
                &PageRequest::first(MAX_PAGE_SIZE),
            )
            .await?
            .items;
        let others: Vec<OrganisationId> = partnerships
            .iter()
            .flat_map(|partnership| partnership.details.organisation_ids)
            .filter(|other| *other != id)
            .collect();
        let names = self.names(&others, &[]).await?;
        Ok(partnerships
            .into_iter()
            .map(|partnership| {
                let other = partnership
                    .details
                    .organisation_ids
                    .into_iter()
                    .find(|other| *other != id)
                    .map(|other| names.organisation(other))
                    .unwrap_or_default();
                (partnership, other)
            })
            .collect())
    }

    /// What the partner brief of organisation `id` prints, read on `today`:
    /// the organisation, its partnerships, the [`BRIEF_PEOPLE`] people who
    /// attended most for it, its last [`BRIEF_MEETINGS`] meetings whole
    /// and its unfinished follow-ups (at most [`MAX_PAGE_SIZE`], earliest
    /// due first) with their owners' names. The web page and the report
    /// read it here, so that both show the same.
    pub async fn partner_brief(&self, id: OrganisationId, today: NaiveDate) -> StoreResult<PartnerBrief> {
        let organisation = self.organisation(id).await?;
        let partnerships = self.partnerships_of(id).await?;
        let top_attendees = self.top_attendees(id, BRIEF_PEOPLE).await?;
        let listed = self
            .list_meetings(
                &MeetingFilter {
                    organisation_id: Some(id),
                    ..MeetingFilter::default()
                },
                &PageRequest::first(BRIEF_MEETINGS),
            )
            .await?
            .items;
        let mut meetings = Vec::with_capacity(listed.len());
        for meeting in listed {
            meetings.push(self.meeting_records(meeting.id).await?);
        }
        let follow_ups = self
            .list_follow_ups(
                &FollowUpFilter {
                    organisation_id: Some(id),
                    unfinished: true,
                    order: FollowUpOrder::DueOn,
                    ..FollowUpFilter::default()
                },
                &PageRequest::first(MAX_PAGE_SIZE),
            )
            .await?
            .items;
        let mut owners: Vec<RepresentativeId> =
            follow_ups.iter().filter_map(|f| f.details.owner_id).collect();
        owners.sort_unstable();
        owners.dedup();
        let names = self.names(&[], &owners).await?;
        Ok(PartnerBrief {
            organisation,
            as_of: today,
            partnerships,
            top_attendees,
            meetings,
            follow_ups,
            names,
        })
    }
}

/// How many of an organisation's last meetings its brief recalls.
pub const BRIEF_MEETINGS: u64 = 5;

/// How many of an organisation's people its brief names: those who
/// attended most.
pub const BRIEF_PEOPLE: u64 = 5;
