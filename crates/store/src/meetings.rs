//! Meetings: logged whole in one transaction, read back whole.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::TryIntoModel as _;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use samverkan_domain::{
    AgendaItem, AgendaItemId, Attendance, AttendanceRole, AttendanceStatus, Attendee, FollowUp, KnownRecords,
    KnownRepresentative, Meeting, MeetingDetails, MeetingId, MeetingInput, MeetingKind, MeetingLog,
    MeetingLogInput, MeetingRecords, MeetingStatus, OrganisationDetails, OrganisationId, Outcome,
    OutcomeKind, ReferencedIds, RepresentativeDraft, RepresentativeId, SortOrder, Tags, time,
};

use crate::audit::{Write, fields, fields_with};
use crate::entity::{
    agenda_item_presenters, agenda_item_tags, agenda_items, attendances, follow_ups, meeting_partnerships,
    meeting_tags, meetings, organisations, outcomes, partnerships, representatives,
};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::support::{
    Db, folded_contains, keyset_after, meta, order_of, search_text, stored, stored_unsigned,
};
use crate::versioned::{Versioned, WriteKind, versioned_record};
use crate::{
    Store, engagement_facts, follow_ups as follow_up_rows, organisations as organisation_rows,
    representatives as representative_rows,
};

const ENTITY: &str = "meeting";
/// The name on this list's cursors.
const SCOPE: &str = "meetings";

/// An absent attendee was not there: meetings they missed are not "theirs".
const ABSENT: &str = "absent";

/// Which meetings a list holds, and in which order.
#[derive(Debug, Clone)]
pub struct MeetingFilter {
    /// From this Stockholm day on (inclusive).
    pub from: Option<NaiveDate>,
    /// Up to and including this Stockholm day.
    pub to: Option<NaiveDate>,
    /// Hosted by this organisation, or attended by it or one of its people
    /// (invited and confirmed count; absent does not).
    pub organisation_id: Option<OrganisationId>,
    /// Attended by this person (invited and confirmed count; absent does not).
    pub representative_id: Option<RepresentativeId>,
    pub kind: Option<MeetingKind>,
    pub tag: Option<String>,
    /// Matches title, location and summary, ignoring case and accents.
    pub q: Option<String>,
    pub include_archived: bool,
    /// By start: `Desc` newest first (the default, for history), `Asc`
    /// soonest first (with `from` today: the meetings coming up).
    pub order: SortOrder,
}

impl Default for MeetingFilter {
    fn default() -> Self {
        Self {
            from: None,
            to: None,
            organisation_id: None,
            representative_id: None,
            kind: None,
            tag: None,
            q: None,
            include_archived: false,
            order: SortOrder::Desc,
        }
    }
}

pub(crate) fn meeting_row(meeting: &Meeting) -> meetings::Model {
    let details = &meeting.details;
    meetings::Model {
        id: meeting.id.as_uuid(),
        title: details.title.clone(),
        kind: details.kind.as_str().to_owned(),
        starts_at: details.starts_at,
        ends_at: details.ends_at,
        all_day: details.all_day,
        location: details.location.clone(),
        host_organisation_id: details.host_organisation_id.map(|id| id.as_uuid()),
        summary: details.summary.clone(),
        status: details.status.as_str().to_owned(),
        search_text: search_text([
            Some(details.title.as_str()),
            details.location.as_deref(),
            details.summary.as_deref(),
        ]),
        version: meeting.meta.version,
        created_at: meeting.meta.created_at,
        updated_at: meeting.meta.updated_at,
        archived_at: meeting.meta.archived_at,
    }
}

fn meeting_from_row(
    row: meetings::Model,
    tags: Vec<String>,
    partnership_ids: Vec<Uuid>,
) -> StoreResult<Meeting> {
    let input = MeetingInput {
        title: row.title,
        kind: Some(stored(ENTITY, row.id, MeetingKind::parse("kind", &row.kind))?),
        starts_at: Some(row.starts_at),
        ends_at: row.ends_at,
        all_day: row.all_day,
        location: row.location,
        host_organisation_id: row.host_organisation_id.map(Into::into),
        partnership_ids: partnership_ids.into_iter().map(Into::into).collect(),
        summary: row.summary,
        tags,
        status: Some(stored(
            ENTITY,
            row.id,
            MeetingStatus::parse("status", &row.status),
        )?),
    };
    // A stored meeting was valid when written; `now` only matters for
    // defaults, which a stored row never needs, so its own start will do.
    let details = MeetingDetails::parse(&input, std::cmp::max(row.starts_at, time::now()))
        .map_err(|error| StoreError::corrupt(ENTITY, row.id, error))?;
    Ok(Meeting {
        id: row.id.into(),
        details,
        meta: meta(row.version, row.created_at, row.updated_at, row.archived_at),
    })
}

/// Looks up, in the writing transaction, every record a meeting refers to.
pub(crate) async fn known_records(db: &impl Db, ids: &ReferencedIds) -> StoreResult<KnownRecords> {
    let organisation_ids = ids.organisations.iter().map(|id| id.as_uuid());
    let person_ids: Vec<Uuid> = ids.representatives.iter().map(|id| id.as_uuid()).collect();
    let partnership_ids = ids.partnerships.iter().map(|id| id.as_uuid());
    let mut affiliations = representative_rows::affiliations_of(db, &person_ids).await?;
    let restricted = crate::privacy::restricted_among(db, &person_ids).await?;
    Ok(KnownRecords {
        organisations: archived_by_id::<organisations::Entity>(
            db,
            organisations::Column::Id,
            organisations::Column::ArchivedAt,
            organisation_ids,
        )
        .await?
        .map(|(id, archived)| (id.into(), archived))
        .collect(),
        representatives: archived_by_id::<representatives::Entity>(
            db,
            representatives::Column::Id,
            representatives::Column::ArchivedAt,
            person_ids.iter().copied(),
        )
        .await?
        .map(|(id, archived)| {
            let known = KnownRepresentative {
                archived,
                restricted: restricted.contains(&id),
                affiliations: affiliations.remove(&id).unwrap_or_default(),
            };
            (id.into(), known)
        })
        .collect(),
        partnerships: archived_by_id::<partnerships::Entity>(
            db,
            partnerships::Column::Id,
            partnerships::Column::ArchivedAt,
            partnership_ids,
        )
        .await?
        .map(|(id, archived)| (id.into(), archived))
        .collect(),
    })
}

/// Which of `ids` exist in `id`'s table, and whether each is archived (no
/// query for none).
async fn archived_by_id<E: EntityTrait>(
    db: &impl Db,
    id: E::Column,
    archived_at: E::Column,
    ids: impl Iterator<Item = Uuid>,
) -> StoreResult<impl Iterator<Item = (Uuid, bool)>> {
    let ids: Vec<Uuid> = ids.collect();
    let rows: Vec<(Uuid, Option<DateTime<Utc>>)> = if ids.is_empty() {
        Vec::new()
    } else {
        E::find()
            .select_only()
            .column(id)
            .column(archived_at)
            .filter(id.is_in(ids))
            .into_tuple()
            .all(db)
            .await?
    };
    Ok(rows.into_iter().map(|(id, archived)| (id, archived.is_some())))
}

/// Writes the meeting's own row, its tags and its partnerships.
async fn insert_meeting(db: &impl Db, meeting: &Meeting) -> StoreResult<()> {
    meetings::Entity::insert(meeting_row(meeting).into_active_model())
        .exec_without_returning(db)
        .await?;
    replace_meeting_links(db, meeting, false).await
}

/// Replaces the meeting's tags and partnership links (`existing` tells
/// whether there are old ones to remove first).
pub(crate) async fn replace_meeting_links(
    db: &impl Db,
    meeting: &Meeting,
    existing: bool,
) -> StoreResult<()> {
    let id = meeting.id.as_uuid();
    if existing {
        meeting_tags::Entity::delete_many()
            .filter(meeting_tags::Column::MeetingId.eq(id))
            .exec(db)
            .await?;
        meeting_partnerships::Entity::delete_many()
            .filter(meeting_partnerships::Column::MeetingId.eq(id))
            .exec(db)
            .await?;
    }
    let tags: Vec<meeting_tags::ActiveModel> = meeting
        .details
        .tags
        .iter()
        .map(|tag| {
            meeting_tags::Model {
                meeting_id: id,
                tag: tag.as_str().to_owned(),
            }
            .into_active_model()
        })
        .collect();
    if !tags.is_empty() {
        meeting_tags::Entity::insert_many(tags)
            .exec_without_returning(db)
            .await?;
    }
    let links: Vec<meeting_partnerships::ActiveModel> = meeting
        .details
        .partnership_ids
        .iter()
        .map(|partnership| {
            meeting_partnerships::Model {
                meeting_id: id,
                partnership_id: partnership.as_uuid(),
            }
            .into_active_model()
        })
        .collect();
    if !links.is_empty() {
        meeting_partnerships::Entity::insert_many(links)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub(crate) fn attendance_row(attendance: &Attendance) -> attendances::ActiveModel {
    let representative_id = match attendance.attendee {
        Attendee::Representative(id) => Some(id.as_uuid()),
        Attendee::Organisation(_) => None,
    };
    attendances::Model {
        id: attendance.id.as_uuid(),
        meeting_id: attendance.meeting_id.as_uuid(),
        representative_id,
        organisation_id: attendance.organisation_id.as_uuid(),
        role: attendance.role.as_str().to_owned(),
        status: attendance.status.as_str().to_owned(),
    }
    .into_active_model()
}

/// A stored attendance's role and status, read back.
pub(crate) fn attendance_role_and_status(
    id: Uuid,
    role: &str,
    status: &str,
) -> StoreResult<(AttendanceRole, AttendanceStatus)> {
    Ok((
        stored("attendance", id, AttendanceRole::parse("role", role))?,
        stored("attendance", id, AttendanceStatus::parse("status", status))?,
    ))
}

pub(crate) fn agenda_row(item: &AgendaItem) -> agenda_items::ActiveModel {
    agenda_items::Model {
        id: item.id.as_uuid(),
        meeting_id: item.meeting_id.as_uuid(),
        position: i32::try_from(item.position).unwrap_or(i32::MAX),
        title: item.title.clone(),
        description: item.description.clone(),
        duration_minutes: item
            .duration_minutes
            .and_then(|minutes| i32::try_from(minutes).ok()),
        search_text: search_text([Some(item.title.as_str()), item.description.as_deref()]),
    }
    .into_active_model()
}

pub(crate) fn outcome_row(outcome: &Outcome) -> outcomes::ActiveModel {
    outcomes::Model {
        id: outcome.id.as_uuid(),
        meeting_id: outcome.meeting_id.as_uuid(),
        position: i32::try_from(outcome.position).unwrap_or(i32::MAX),
        kind: outcome.kind.as_str().to_owned(),
        text: outcome.text.clone(),
        agenda_item_id: outcome.agenda_item_id.map(|id| id.as_uuid()),
        search_text: search_text([Some(outcome.text.as_str())]),
    }
    .into_active_model()
}

/// Writes the presenters (in order) and tags of agenda items whose own rows
/// exist and whose links do not.
pub(crate) async fn insert_item_links<'a>(
    db: &impl Db,
    items: impl Iterator<Item = &'a AgendaItem> + Clone,
) -> StoreResult<()> {
    let presenters: Vec<agenda_item_presenters::ActiveModel> = items
        .clone()
        .flat_map(|item| {
            item.presenter_ids.iter().zip(1..).map(|(presenter, position)| {
                agenda_item_presenters::Model {
                    agenda_item_id: item.id.as_uuid(),
                    representative_id: presenter.as_uuid(),
                    position,
                }
                .into_active_model()
            })
        })
        .collect();
    if !presenters.is_empty() {
        agenda_item_presenters::Entity::insert_many(presenters)
            .exec_without_returning(db)
            .await?;
    }
    let tags: Vec<agenda_item_tags::ActiveModel> = items
        .flat_map(|item| {
            item.tags.iter().map(|tag| {
                agenda_item_tags::Model {
                    agenda_item_id: item.id.as_uuid(),
                    tag: tag.as_str().to_owned(),
                }
                .into_active_model()
            })
        })
        .collect();
    if !tags.is_empty() {
        agenda_item_tags::Entity::insert_many(tags)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Writes every row of a logged meeting. Batched: one statement per table.
async fn insert_records(db: &impl Db, records: &MeetingRecords) -> StoreResult<()> {
    insert_meeting(db, &records.meeting).await?;
    if !records.attendances.is_empty() {
        attendances::Entity::insert_many(records.attendances.iter().map(attendance_row))
            .exec_without_returning(db)
            .await?;
    }
    if !records.agenda.is_empty() {
        agenda_items::Entity::insert_many(records.agenda.iter().map(agenda_row))
            .exec_without_returning(db)
            .await?;
        insert_item_links(db, records.agenda.iter()).await?;
    }
    if !records.outcomes.is_empty() {
        outcomes::Entity::insert_many(records.outcomes.iter().map(outcome_row))
            .exec_without_returning(db)
            .await?;
    }
    follow_up_rows::insert_many(db, &records.follow_ups).await
}

async fn find_meeting(db: &impl Db, id: MeetingId) -> StoreResult<Meeting> {
    let row = meetings::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound {
            entity: ENTITY,
            id: id.as_uuid(),
        })?;
    let mut loaded = load_meetings(db, vec![row]).await?;
    loaded.pop().ok_or(StoreError::NotFound {
        entity: ENTITY,
        id: id.as_uuid(),
    })
}

async fn load_meetings(db: &impl Db, rows: Vec<meetings::Model>) -> StoreResult<Vec<Meeting>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut tags: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in meeting_tags::Entity::find()
        .filter(meeting_tags::Column::MeetingId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        tags.entry(row.meeting_id).or_default().push(row.tag);
    }
    let mut links: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in meeting_partnerships::Entity::find()
        .filter(meeting_partnerships::Column::MeetingId.is_in(ids.iter().copied()))
        .order_by_asc(meeting_partnerships::Column::PartnershipId)
        .all(db)
        .await?
    {
        links.entry(row.meeting_id).or_default().push(row.partnership_id);
    }
    rows.into_iter()
        .map(|row| {
            let row_tags = tags.remove(&row.id).unwrap_or_default();
            let row_links = links.remove(&row.id).unwrap_or_default();
            meeting_from_row(row, row_tags, row_links)
        })
        .collect()
}

/// Reads a meeting whole: attendances in the order logged, the agenda and
/// outcomes by position, follow-ups in the order logged.
pub(crate) async fn load_records(db: &impl Db, id: MeetingId) -> StoreResult<MeetingRecords> {
    let meeting = find_meeting(db, id).await?;
    let meeting_uuid = id.as_uuid();

    let attendances = attendances::Entity::find()
        .filter(attendances::Column::MeetingId.eq(meeting_uuid))
        .order_by_asc(attendances::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            let attendee = match row.representative_id {
                Some(person) => Attendee::Representative(person.into()),
                None => Attendee::Organisation(row.organisation_id.into()),
            };
            let (role, status) = attendance_role_and_status(row.id, &row.role, &row.status)?;
            Ok(Attendance {
                id: row.id.into(),
                meeting_id: id,
                attendee,
                organisation_id: row.organisation_id.into(),
                role,
                status,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;

    let item_rows = agenda_items::Entity::find()
        .filter(agenda_items::Column::MeetingId.eq(meeting_uuid))
        .order_by_asc(agenda_items::Column::Position)
        .all(db)
        .await?;
    let item_ids: Vec<Uuid> = item_rows.iter().map(|row| row.id).collect();
    let mut presenters: HashMap<Uuid, Vec<RepresentativeId>> = HashMap::new();
    let mut item_tags: HashMap<Uuid, Vec<String>> = HashMap::new();
    if !item_ids.is_empty() {
        for row in agenda_item_presenters::Entity::find()
            .filter(agenda_item_presenters::Column::AgendaItemId.is_in(item_ids.iter().copied()))
            .order_by_asc(agenda_item_presenters::Column::Position)
            .all(db)
            .await?
        {
            presenters
                .entry(row.agenda_item_id)
                .or_default()
                .push(row.representative_id.into());
        }
        for row in agenda_item_tags::Entity::find()
            .filter(agenda_item_tags::Column::AgendaItemId.is_in(item_ids.iter().copied()))
            .all(db)
            .await?
        {
            item_tags.entry(row.agenda_item_id).or_default().push(row.tag);
        }
    }
    let agenda = item_rows
        .into_iter()
        .map(|row| {
            let tags = stored(
                "agenda item",
                row.id,
                Tags::parse("tags", &item_tags.remove(&row.id).unwrap_or_default()),
            )?;
            Ok(AgendaItem {
                id: AgendaItemId::from(row.id),
                meeting_id: id,
                position: stored_unsigned("agenda item", row.id, "position", row.position)?,
                title: row.title,
                description: row.description,
                presenter_ids: presenters.remove(&row.id).unwrap_or_default(),
                duration_minutes: row
                    .duration_minutes
                    .map(|minutes| stored_unsigned("agenda item", row.id, "duration_minutes", minutes))
                    .transpose()?,
                tags,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;

    let outcomes = outcomes::Entity::find()
        .filter(outcomes::Column::MeetingId.eq(meeting_uuid))
        .order_by_asc(outcomes::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            Ok(Outcome {
                id: row.id.into(),
                meeting_id: id,
                position: stored_unsigned("outcome", row.id, "position", row.position)?,
                kind: stored("outcome", row.id, OutcomeKind::parse("kind", &row.kind))?,
                text: row.text,
                agenda_item_id: row.agenda_item_id.map(Into::into),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;

    let follow_up_rows = follow_ups::Entity::find()
        .filter(follow_ups::Column::MeetingId.eq(meeting_uuid))
        .order_by_asc(follow_ups::Column::Id)
        .all(db)
        .await?;
    let follow_ups: Vec<FollowUp> = follow_up_rows
        .into_iter()
        .map(follow_up_rows::from_row)
        .collect::<StoreResult<_>>()?;

    Ok(MeetingRecords {
        meeting,
        attendances,
        agenda,
        outcomes,
        follow_ups,
    })
}

/// Checks that the host and the partnerships a meeting names are live.
async fn check_meeting_references(db: &impl Db, details: &MeetingDetails) -> StoreResult<()> {
    let known = known_records(db, &details.referenced_ids()).await?;
    let mut errors = samverkan_domain::ValidationErrors::new();
    details.check_references(&known, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// Logs a whole meeting within the caller's transaction.
pub(crate) async fn log(db: &impl Db, log: MeetingLog, now: DateTime<Utc>) -> StoreResult<MeetingRecords> {
    let known = known_records(db, &log.referenced_ids()).await?;
    let records = log.into_records(&known, now)?;
    insert_records(db, &records).await?;
    engagement_facts::refresh(db, records.meeting.id).await?;
    Ok(records)
}

/// The live meetings with this title that start at `starts_at`.
pub(crate) async fn find_by_title(
    db: &impl Db,
    title: &str,
    starts_at: DateTime<Utc>,
) -> StoreResult<Vec<Meeting>> {
    let rows = meetings::Entity::find()
        .filter(meetings::Column::Title.eq(title))
        .filter(meetings::Column::StartsAt.eq(starts_at))
        .filter(meetings::Column::ArchivedAt.is_null())
        .all(db)
        .await?;
    load_meetings(db, rows).await
}

/// Records a logged meeting in the audit trail: the meeting whole, and the
/// creation of each follow-up (which has a history of its own from here).
pub(crate) async fn audit_log(txn: &mut Write, records: &MeetingRecords) -> StoreResult<()> {
    let after = records_snapshot(records)?;
    txn.audit(ENTITY, records.meeting.id.as_uuid(), "log", None, Some(after))
        .await?;
    for follow_up in &records.follow_ups {
        let after = follow_up_rows::snapshot(follow_up)?;
        txn.audit("follow-up", follow_up.id.as_uuid(), "create", None, Some(after))
            .await?;
    }
    Ok(())
}

/// A meeting's own fields as the audit trail keeps them.
impl Versioned for Meeting {
    versioned_record!(meetings, MeetingId, find: find_meeting, snapshot: meeting_snapshot, row: meeting_row);
    type Change = MeetingDetails;
    const ENTITY: &'static str = ENTITY;

    /// Only references that change are checked.
    async fn apply(&mut self, details: MeetingDetails, _now: DateTime<Utc>, db: &impl Db) -> StoreResult<()> {
        if details.host_organisation_id != self.details.host_organisation_id
            || details.partnership_ids != self.details.partnership_ids
        {
            check_meeting_references(db, &details).await?;
        }
        self.details = details;
        Ok(())
    }

    /// The partnership links and tags follow a revision; the engagement
    /// read model follows both (an archived meeting counts no more).
    async fn after_write(&self, kind: WriteKind, db: &impl Db) -> StoreResult<()> {
        if kind == WriteKind::Revise {
            replace_meeting_links(db, self, true).await?;
        }
        engagement_facts::refresh(db, self.id).await
    }
}

fn meeting_snapshot(meeting: &Meeting) -> StoreResult<serde_json::Value> {
    let tags: Vec<&str> = meeting.details.tags.iter().map(|tag| tag.as_str()).collect();
    let partnerships: Vec<Uuid> = meeting
        .details
        .partnership_ids
        .iter()
        .map(|id| id.as_uuid())
        .collect();
    fields_with(
        &meeting_row(meeting),
        [
            ("tags", serde_json::json!(tags)),
            ("partnership_ids", serde_json::json!(partnerships)),
        ],
    )
}

/// A meeting whole (its parts as stored rows) as the audit trail keeps it.
pub(crate) fn records_snapshot(records: &MeetingRecords) -> StoreResult<serde_json::Value> {
    let rows = |models: Result<Vec<serde_json::Value>, StoreError>| models.map(serde_json::Value::Array);
    let attendees = rows(
        records
            .attendances
            .iter()
            .map(|attendance| fields(&attendance_row(attendance).try_into_model()?))
            .collect(),
    )?;
    let agenda = rows(
        records
            .agenda
            .iter()
            .map(|item| {
                let presenters: Vec<Uuid> = item.presenter_ids.iter().map(|id| id.as_uuid()).collect();
                fields_with(
                    &agenda_row(item).try_into_model()?,
                    [("presenter_ids", serde_json::json!(presenters))],
                )
            })
            .collect(),
    )?;
    let outcomes = rows(
        records
            .outcomes
            .iter()
            .map(|outcome| fields(&outcome_row(outcome).try_into_model()?))
            .collect(),
    )?;
    let follow_ups = rows(records.follow_ups.iter().map(follow_up_rows::snapshot).collect())?;
    let mut value = meeting_snapshot(&records.meeting)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("attendees".into(), attendees);
        object.insert("agenda".into(), agenda);
        object.insert("outcomes".into(), outcomes);
        object.insert("follow_ups".into(), follow_ups);
    }
    Ok(value)
}

/// The organisations and people a meeting names that are not in Samverkan
/// yet, each with the id the meeting's input already uses for it. People
/// may belong to one of these organisations.
#[derive(Debug, Clone, Default)]
pub struct Newcomers {
    pub organisations: Vec<(OrganisationId, OrganisationDetails)>,
    pub people: Vec<(RepresentativeId, RepresentativeDraft)>,
}

/// Creates the newcomers a meeting form names, within its transaction; a
/// refusal names its field under `newcomers.organisations[i]` or
/// `newcomers.people[i]`.
pub(crate) async fn create_newcomers(txn: &mut Write, newcomers: Newcomers) -> StoreResult<()> {
    for (i, (id, details)) in newcomers.organisations.into_iter().enumerate() {
        organisation_rows::create(txn, id, details)
            .await
            .map_err(|error| error.under(&format!("newcomers.organisations[{i}]")))?;
    }
    for (i, (id, draft)) in newcomers.people.into_iter().enumerate() {
        representative_rows::create(txn, id, draft)
            .await
            .map_err(|error| error.under(&format!("newcomers.people[{i}]")))?;
    }
    Ok(())
}

impl Store {
    /// Logs a whole meeting (attendees, agenda, outcomes, follow-ups) in one
    /// transaction: it lands whole or not at all.
    pub async fn log_meeting(&self, input: MeetingLogInput) -> StoreResult<MeetingRecords> {
        self.log_meeting_with(Newcomers::default(), input).await
    }

    /// [`Self::log_meeting`], creating first, in the same transaction, the
    /// organisations and people the meeting names that are not in
    /// Samverkan yet (the web form's "new person" rows). A refusal of a
    /// newcomer names its field under `newcomers.organisations[i]` or
    /// `newcomers.people[i]`.
    pub async fn log_meeting_with(
        &self,
        newcomers: Newcomers,
        input: MeetingLogInput,
    ) -> StoreResult<MeetingRecords> {
        let now = time::now();
        // The shape is checked before any lock is taken.
        let parsed = MeetingLog::parse(input, now)?;
        let mut txn = self.begin_write().await?;
        create_newcomers(&mut txn, newcomers).await?;
        let records = log(&*txn, parsed, now).await?;
        audit_log(&mut txn, &records).await?;
        txn.commit().await?;
        Ok(records)
    }

    /// A meeting alone, without its parts.
    pub async fn meeting(&self, id: MeetingId) -> StoreResult<Meeting> {
        find_meeting(&self.db, id).await
    }

    /// A meeting whole, with its attendances, agenda, outcomes and follow-ups.
    pub async fn meeting_records(&self, id: MeetingId) -> StoreResult<MeetingRecords> {
        load_records(&self.db, id).await
    }

    /// Replaces a meeting's own fields, if still at `expected_version`.
    pub async fn update_meeting(
        &self,
        id: MeetingId,
        expected_version: i32,
        details: MeetingDetails,
    ) -> StoreResult<Meeting> {
        self.revise(id, expected_version, details).await
    }

    /// Archives a meeting: it stays in history and reports, out of lists.
    pub async fn archive_meeting(
        &self,
        id: MeetingId,
        expected_version: Option<i32>,
    ) -> StoreResult<Meeting> {
        self.archive(id, expected_version).await
    }

    /// Meetings by start, newest or soonest first (`filter.order`).
    pub async fn list_meetings(
        &self,
        filter: &MeetingFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Meeting>> {
        let mut query = meetings::Entity::find();
        if !filter.include_archived {
            query = query.filter(meetings::Column::ArchivedAt.is_null());
        }
        if let Some(from) = filter.from {
            query = query.filter(meetings::Column::StartsAt.gte(time::day_start(from)));
        }
        if let Some(to) = filter.to {
            query = query.filter(meetings::Column::StartsAt.lt(time::day_end(to)));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(meetings::Column::Kind.eq(kind.as_str()));
        }
        if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
            query = query.filter(folded_contains(meetings::Column::SearchText, q));
        }
        if let Some(tag) = filter.tag.as_deref() {
            query = query.filter(
                Expr::col((meetings::Entity, meetings::Column::Id)).in_subquery(
                    Query::select()
                        .column(meeting_tags::Column::MeetingId)
                        .from(meeting_tags::Entity)
                        .and_where(
                            Expr::col(meeting_tags::Column::Tag).eq(samverkan_domain::Tag::normalize(tag)),
                        )
                        .take(),
                ),
            );
        }
        if let Some(organisation_id) = filter.organisation_id {
            query = query.filter(
                Condition::any()
                    .add(meetings::Column::HostOrganisationId.eq(organisation_id.as_uuid()))
                    .add(
                        Expr::col((meetings::Entity, meetings::Column::Id)).in_subquery(
                            Query::select()
                                .column(attendances::Column::MeetingId)
                                .from(attendances::Entity)
                                .and_where(
                                    Expr::col(attendances::Column::OrganisationId)
                                        .eq(organisation_id.as_uuid()),
                                )
                                .and_where(Expr::col(attendances::Column::Status).ne(ABSENT))
                                .take(),
                        ),
                    ),
            );
        }
        if let Some(representative_id) = filter.representative_id {
            query = query.filter(
                Expr::col((meetings::Entity, meetings::Column::Id)).in_subquery(
                    Query::select()
                        .column(attendances::Column::MeetingId)
                        .from(attendances::Entity)
                        .and_where(
                            Expr::col(attendances::Column::RepresentativeId).eq(representative_id.as_uuid()),
                        )
                        .and_where(Expr::col(attendances::Column::Status).ne(ABSENT))
                        .take(),
                ),
            );
        }
        let start = page.start(SCOPE)?;
        let order = start.order(order_of(filter.order));
        let after = start
            .cursor
            .map(|c| c.instant().map(|at| (at, c.id)))
            .transpose()?;
        let rows = query
            .filter(keyset_after(
                order.clone(),
                meetings::Column::StartsAt,
                meetings::Column::Id,
                after.as_ref(),
            ))
            .order_by(meetings::Column::StartsAt, order.clone())
            .order_by(meetings::Column::Id, order)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let cursor_of = |row: &meetings::Model| Cursor::new(SCOPE, row.starts_at.to_rfc3339(), row.id);
        let mut page_rows = Page::from_rows(rows, page.limit, &start, cursor_of, Ok)?;
        let items = load_meetings(&self.db, std::mem::take(&mut page_rows.items)).await?;
        Ok(page_rows.with_items(items))
    }
}
