//! `/api/v1/meetings`: a whole partner day logged in one call, read back
//! whole, and its parts changed afterwards.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samverkan_domain::{
    self as domain, AgendaItemId, AgendaItemInput, AttendanceId, FollowUpInput, MeetingDetails,
    MeetingFollowUpInput, MeetingId, MeetingInput, MeetingLogInput, OrganisationId, OutcomeId, OutcomeInput,
    PartnershipId, RepresentativeId, ValidationErrors, time,
};
use samverkan_store::{MeetingFilter, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::body::Body;
use crate::common::{
    ArchivedResponse, AttendanceRole, AttendanceStatus, FollowUpStatus, MeetingKind, MeetingStatus,
    OutcomeKind, check_version, date_param, list_of, page_request, patch,
};
use crate::follow_ups::FollowUp;
use crate::problem::ApiError;

/// A meeting's own fields, without its parts (as lists show it).
#[derive(Debug, Clone, Object)]
pub struct Meeting {
    pub id: Uuid,
    pub title: String,
    pub kind: MeetingKind,
    pub starts_at: DateTime<Utc>,
    #[oai(nullable)]
    pub ends_at: Option<DateTime<Utc>>,
    /// The meeting has a date, not times: `starts_at` is midnight, Europe/Stockholm.
    pub all_day: bool,
    /// The Stockholm date the meeting starts on.
    pub date: NaiveDate,
    #[oai(nullable)]
    pub location: Option<String>,
    #[oai(nullable)]
    pub host_organisation_id: Option<Uuid>,
    pub partnership_ids: Vec<Uuid>,
    #[oai(nullable)]
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub status: MeetingStatus,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[oai(nullable)]
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<domain::Meeting> for Meeting {
    fn from(meeting: domain::Meeting) -> Self {
        let details = meeting.details;
        Self {
            id: meeting.id.as_uuid(),
            date: time::local_date(details.starts_at),
            title: details.title,
            kind: details.kind.into(),
            starts_at: details.starts_at,
            ends_at: details.ends_at,
            all_day: details.all_day,
            location: details.location,
            host_organisation_id: details.host_organisation_id.map(|id| id.as_uuid()),
            partnership_ids: details.partnership_ids.iter().map(|id| id.as_uuid()).collect(),
            summary: details.summary,
            tags: details.tags.to_strings(),
            status: details.status.into(),
            version: meeting.meta.version,
            created_at: meeting.meta.created_at,
            updated_at: meeting.meta.updated_at,
            archived_at: meeting.meta.archived_at,
        }
    }
}

/// One attendee: a named representative, or an organisation whose people
/// were not named (then `representative_id` is null).
#[derive(Debug, Clone, Object)]
pub struct Attendee {
    pub id: Uuid,
    #[oai(nullable)]
    pub representative_id: Option<Uuid>,
    /// For a representative: the organisation they represented on the
    /// meeting's date.
    pub organisation_id: Uuid,
    pub role: AttendanceRole,
    pub status: AttendanceStatus,
}

impl From<&domain::Attendance> for Attendee {
    fn from(attendance: &domain::Attendance) -> Self {
        Self {
            id: attendance.id.as_uuid(),
            representative_id: match attendance.attendee {
                domain::Attendee::Representative(id) => Some(id.as_uuid()),
                domain::Attendee::Organisation(_) => None,
            },
            organisation_id: attendance.organisation_id.as_uuid(),
            role: attendance.role.into(),
            status: attendance.status.into(),
        }
    }
}

/// One topic on the agenda.
#[derive(Debug, Clone, Object)]
pub struct AgendaItem {
    pub id: Uuid,
    /// 1..n, without gaps.
    pub position: u32,
    pub title: String,
    #[oai(nullable)]
    pub description: Option<String>,
    /// Attending representatives, in order; empty for a discussion.
    pub presenter_ids: Vec<Uuid>,
    #[oai(nullable)]
    pub duration_minutes: Option<u32>,
    pub tags: Vec<String>,
}

impl From<&domain::AgendaItem> for AgendaItem {
    fn from(item: &domain::AgendaItem) -> Self {
        Self {
            id: item.id.as_uuid(),
            position: item.position,
            title: item.title.clone(),
            description: item.description.clone(),
            presenter_ids: item.presenter_ids.iter().map(|id| id.as_uuid()).collect(),
            duration_minutes: item.duration_minutes,
            tags: item.tags.to_strings(),
        }
    }
}

/// Something the meeting recorded.
#[derive(Debug, Clone, Object)]
pub struct Outcome {
    pub id: Uuid,
    pub position: u32,
    pub kind: OutcomeKind,
    pub text: String,
    #[oai(nullable)]
    pub agenda_item_id: Option<Uuid>,
}

impl From<&domain::Outcome> for Outcome {
    fn from(outcome: &domain::Outcome) -> Self {
        Self {
            id: outcome.id.as_uuid(),
            position: outcome.position,
            kind: outcome.kind.into(),
            text: outcome.text.clone(),
            agenda_item_id: outcome.agenda_item_id.map(|id| id.as_uuid()),
        }
    }
}

/// A meeting whole: its fields and its four parts, each with its id.
#[derive(Debug, Clone, Object)]
pub struct MeetingRecord {
    #[oai(flatten)]
    pub meeting: Meeting,
    pub attendees: Vec<Attendee>,
    pub agenda: Vec<AgendaItem>,
    pub outcomes: Vec<Outcome>,
    pub follow_ups: Vec<FollowUp>,
}

impl From<domain::MeetingRecords> for MeetingRecord {
    fn from(records: domain::MeetingRecords) -> Self {
        Self {
            attendees: records.attendances.iter().map(Attendee::from).collect(),
            agenda: records.agenda.iter().map(AgendaItem::from).collect(),
            outcomes: records.outcomes.iter().map(Outcome::from).collect(),
            follow_ups: records.follow_ups.into_iter().map(FollowUp::from).collect(),
            meeting: records.meeting.into(),
        }
    }
}

/// An attendee to add: exactly one of `representative_id` and
/// `organisation_id` (the latter for an organisation whose people were not
/// named).
#[derive(Debug, Clone, Object)]
pub struct NewAttendee {
    pub representative_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub role: AttendanceRole,
    pub status: AttendanceStatus,
}

impl NewAttendee {
    fn to_input(&self, field: &str) -> Result<domain::AttendeeInput, domain::FieldError> {
        let attendee = match (self.representative_id, self.organisation_id) {
            (Some(id), None) => domain::Attendee::Representative(RepresentativeId::from(id)),
            (None, Some(id)) => domain::Attendee::Organisation(OrganisationId::from(id)),
            _ => {
                return Err(domain::FieldError::new(
                    field,
                    "give exactly one of representative_id and organisation_id",
                ));
            }
        };
        Ok(domain::AttendeeInput {
            attendee,
            role: self.role.into(),
            status: self.status.into(),
        })
    }
}

/// An agenda item to add.
#[derive(Debug, Clone, Object)]
pub struct NewAgendaItem {
    pub title: String,
    pub description: Option<String>,
    /// Representatives who attend the meeting.
    #[oai(default)]
    pub presenter_ids: Vec<Uuid>,
    pub duration_minutes: Option<i64>,
    #[oai(default)]
    pub tags: Vec<String>,
}

impl From<NewAgendaItem> for AgendaItemInput {
    fn from(item: NewAgendaItem) -> Self {
        Self {
            title: item.title,
            description: item.description,
            presenter_ids: item
                .presenter_ids
                .into_iter()
                .map(RepresentativeId::from)
                .collect(),
            duration_minutes: item.duration_minutes,
            tags: item.tags,
        }
    }
}

/// An outcome logged with its meeting.
#[derive(Debug, Clone, Object)]
pub struct NewOutcome {
    pub kind: OutcomeKind,
    pub text: String,
    /// 0-based index into the same request's `agenda`.
    pub agenda_index: Option<u32>,
}

/// A follow-up logged with its meeting.
#[derive(Debug, Clone, Object)]
pub struct NewMeetingFollowUp {
    pub title: String,
    pub details: Option<String>,
    pub owner_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    pub status: Option<FollowUpStatus>,
    /// For one that is done: the Stockholm day it was done, not after
    /// today and not before its meeting's day (default: when it is set
    /// done). Only with `status` `done`.
    pub completed_on: Option<NaiveDate>,
    /// 0-based index into the same request's `outcomes`: the outcome it
    /// came from.
    pub outcome_index: Option<u32>,
}

/// A whole meeting, logged in one call: it lands whole or not at all.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct NewMeeting {
    pub title: String,
    pub kind: MeetingKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    #[oai(default)]
    pub all_day: bool,
    pub location: Option<String>,
    pub host_organisation_id: Option<Uuid>,
    #[oai(default)]
    pub partnership_ids: Vec<Uuid>,
    pub summary: Option<String>,
    #[oai(default)]
    pub tags: Vec<String>,
    /// Defaults to `held` for a meeting that has begun, `planned` otherwise.
    pub status: Option<MeetingStatus>,
    #[oai(default)]
    pub attendees: Vec<NewAttendee>,
    /// In order: positions are 1..n as sent.
    #[oai(default)]
    pub agenda: Vec<NewAgendaItem>,
    #[oai(default)]
    pub outcomes: Vec<NewOutcome>,
    #[oai(default)]
    pub follow_ups: Vec<NewMeetingFollowUp>,
}

impl poem_openapi::types::Example for NewMeeting {
    fn example() -> Self {
        let person = |n: u128| Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0100 + n);
        let organisation = |n: u128| Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0000 + n);
        let attend = |id, role| NewAttendee {
            representative_id: Some(id),
            organisation_id: None,
            role,
            status: AttendanceStatus::Attended,
        };
        Self {
            title: "Strategisk partnerträff".into(),
            kind: MeetingKind::PartnerDay,
            starts_at: DateTime::parse_from_rfc3339("2024-04-26T00:00:00+02:00")
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default(),
            ends_at: None,
            all_day: true,
            location: Some("Drömfabriken, Kunskapsförbundet Västs förbundskontor, Trollhättan".into()),
            host_organisation_id: Some(organisation(1)),
            partnership_ids: vec![],
            summary: Some(
                "Heldag för Högskolan Västs strategiska partner, med temat Tillsammanskraft.".into(),
            ),
            tags: vec!["tillsammanskraft".into()],
            status: Some(MeetingStatus::Held),
            attendees: vec![
                attend(person(1), AttendanceRole::Host),
                attend(person(2), AttendanceRole::Presenter),
                NewAttendee {
                    representative_id: None,
                    organisation_id: Some(organisation(3)),
                    role: AttendanceRole::Participant,
                    status: AttendanceStatus::Attended,
                },
            ],
            agenda: vec![
                NewAgendaItem {
                    title: "Kunskapsförbundets mål och organisation".into(),
                    description: None,
                    presenter_ids: vec![person(1)],
                    duration_minutes: None,
                    tags: vec![],
                },
                NewAgendaItem {
                    title: "Diskussion: samhällets kompetensbehov".into(),
                    description: None,
                    presenter_ids: vec![],
                    duration_minutes: Some(45),
                    tags: vec![],
                },
            ],
            outcomes: vec![NewOutcome {
                kind: OutcomeKind::Insight,
                text: "Det strategiska partnerskapet bygger broar mellan utbildning och arbetsliv.".into(),
                agenda_index: None,
            }],
            follow_ups: vec![NewMeetingFollowUp {
                title: "Exempel: boka nästa strategiska partnerträff".into(),
                details: None,
                owner_id: Some(person(2)),
                organisation_id: None,
                due_on: NaiveDate::from_ymd_opt(2024, 9, 30),
                status: None,
                completed_on: None,
                outcome_index: Some(0),
            }],
        }
    }
}

impl NewMeeting {
    fn into_input(self) -> Result<MeetingLogInput, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let attendees = self
            .attendees
            .iter()
            .enumerate()
            .filter_map(|(i, attendee)| errors.collect(attendee.to_input(&format!("attendees[{i}]"))))
            .collect();
        let meeting = MeetingInput {
            title: self.title,
            kind: Some(self.kind.into()),
            starts_at: Some(self.starts_at),
            ends_at: self.ends_at,
            all_day: self.all_day,
            location: self.location,
            host_organisation_id: self.host_organisation_id.map(OrganisationId::from),
            partnership_ids: self
                .partnership_ids
                .into_iter()
                .map(PartnershipId::from)
                .collect(),
            summary: self.summary,
            tags: self.tags,
            status: self.status.map(Into::into),
        };
        let outcomes = self
            .outcomes
            .into_iter()
            .map(|outcome| OutcomeInput {
                kind: outcome.kind.into(),
                text: outcome.text,
                agenda_index: outcome.agenda_index.and_then(|i| usize::try_from(i).ok()),
            })
            .collect();
        let follow_ups = self
            .follow_ups
            .into_iter()
            .map(|follow_up| MeetingFollowUpInput {
                follow_up: FollowUpInput {
                    title: follow_up.title,
                    details: follow_up.details,
                    owner_id: follow_up.owner_id.map(RepresentativeId::from),
                    organisation_id: follow_up.organisation_id.map(OrganisationId::from),
                    due_on: follow_up.due_on,
                    status: follow_up.status.map(Into::into),
                    completed_on: follow_up.completed_on,
                },
                outcome_index: follow_up.outcome_index.and_then(|i| usize::try_from(i).ok()),
            })
            .collect();
        errors.finish(|| MeetingLogInput {
            meeting,
            attendees,
            agenda: self.agenda.into_iter().map(Into::into).collect(),
            outcomes,
            follow_ups,
        })
    }
}

/// Changes to a meeting's own fields: absent fields stay, `null` clears.
#[derive(Debug, Clone, Object)]
pub struct MeetingPatch {
    /// The version the client read; a stale one is answered 409.
    pub version: i32,
    pub title: Option<String>,
    pub kind: Option<MeetingKind>,
    pub starts_at: Option<DateTime<Utc>>,
    /// `null` clears it.
    #[oai(nullable)]
    pub ends_at: MaybeUndefined<DateTime<Utc>>,
    pub all_day: Option<bool>,
    /// `null` clears it.
    #[oai(nullable)]
    pub location: MaybeUndefined<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub host_organisation_id: MaybeUndefined<Uuid>,
    pub partnership_ids: Option<Vec<Uuid>>,
    /// `null` clears it.
    #[oai(nullable)]
    pub summary: MaybeUndefined<String>,
    pub tags: Option<Vec<String>>,
    pub status: Option<MeetingStatus>,
}

/// An attendee to add to a logged meeting.
#[derive(Debug, Clone, Object)]
pub struct AttendeeAddition {
    /// The meeting's version, if the client wants the change refused when
    /// the meeting changed since it was read.
    pub version: Option<i32>,
    #[oai(flatten)]
    pub attendee: NewAttendee,
}

/// Changes to an attendee.
#[derive(Debug, Clone, Object)]
pub struct AttendeePatch {
    pub version: Option<i32>,
    pub role: Option<AttendanceRole>,
    pub status: Option<AttendanceStatus>,
}

/// An agenda item to add to a logged meeting.
#[derive(Debug, Clone, Object)]
pub struct AgendaItemAddition {
    pub version: Option<i32>,
    /// 1-based; the end of the agenda when absent. Later items move down.
    pub position: Option<u32>,
    #[oai(flatten)]
    pub item: NewAgendaItem,
}

/// Changes to an agenda item: absent fields stay, `null` clears.
#[derive(Debug, Clone, Object)]
pub struct AgendaItemPatch {
    pub version: Option<i32>,
    pub title: Option<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub description: MaybeUndefined<String>,
    pub presenter_ids: Option<Vec<Uuid>>,
    /// `null` clears it.
    #[oai(nullable)]
    pub duration_minutes: MaybeUndefined<i64>,
    pub tags: Option<Vec<String>>,
}

/// The agenda's new order.
#[derive(Debug, Clone, Object)]
pub struct AgendaOrder {
    pub version: Option<i32>,
    /// Every agenda item of the meeting, once each, in the new order.
    pub item_ids: Vec<Uuid>,
}

/// An outcome to add to a logged meeting.
#[derive(Debug, Clone, Object)]
pub struct OutcomeAddition {
    pub version: Option<i32>,
    pub kind: OutcomeKind,
    pub text: String,
    pub agenda_item_id: Option<Uuid>,
}

/// Changes to an outcome: absent fields stay, `null` clears.
#[derive(Debug, Clone, Object)]
pub struct OutcomePatch {
    pub version: Option<i32>,
    pub kind: Option<OutcomeKind>,
    pub text: Option<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub agenda_item_id: MaybeUndefined<Uuid>,
}

list_of!(
    /// A page of meetings, newest first.
    MeetingList,
    Meeting
);

#[derive(Debug, ApiResponse)]
pub enum CreatedMeeting {
    /// Logged whole; `Location` names it.
    #[oai(status = 201)]
    Created(Json<MeetingRecord>, #[oai(header = "Location")] String),
}

#[derive(Debug, ApiResponse)]
pub enum CreatedAttendee {
    #[oai(status = 201)]
    Created(Json<Attendee>, #[oai(header = "Location")] String),
}

#[derive(Debug, ApiResponse)]
pub enum CreatedAgendaItem {
    #[oai(status = 201)]
    Created(Json<AgendaItem>, #[oai(header = "Location")] String),
}

#[derive(Debug, ApiResponse)]
pub enum CreatedOutcome {
    #[oai(status = 201)]
    Created(Json<Outcome>, #[oai(header = "Location")] String),
}

#[derive(Debug, ApiResponse)]
pub enum Removed {
    /// Removed from the meeting.
    #[oai(status = 204)]
    Removed,
}

fn invalid(field: domain::FieldError) -> ApiError {
    ApiError::validation(field.into())
}

/// A part the store has just written and yet does not return: the store
/// broke its own rule, a 500 that is logged (not a 404, which would tell
/// the client its write failed).
fn part_missing(part: &'static str, id: Uuid) -> ApiError {
    samverkan_store::StoreError::Internal(format!("the {part} {id} just written is not in the meeting"))
        .into()
}

pub struct MeetingsApi {
    pub store: Store,
}

#[OpenApi(prefix_path = "/api/v1/meetings", tag = "ApiTags::Meetings")]
impl MeetingsApi {
    /// List meetings
    ///
    /// Newest first. `from` and `to` are Europe/Stockholm dates, inclusive;
    /// `organisation_id` matches meetings it hosted or attended itself or
    /// through one of its people; `q` matches title, location and summary.
    #[oai(path = "/", method = "get", operation_id = "list_meetings")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        _auth: auth::ReadRecords,
        from: Query<Option<NaiveDate>>,
        to: Query<Option<NaiveDate>>,
        organisation_id: Query<Option<Uuid>>,
        representative_id: Query<Option<Uuid>>,
        kind: Query<Option<MeetingKind>>,
        tag: Query<Option<String>>,
        q: Query<Option<String>>,
        include_archived: Query<Option<bool>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<MeetingList>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        date_param("from", from.0)?;
        date_param("to", to.0)?;
        if let (Some(from), Some(to)) = (from.0, to.0)
            && to < from
        {
            return Err(ApiError::bad_request("to", "must not be before from"));
        }
        let filter = MeetingFilter {
            from: from.0,
            to: to.0,
            organisation_id: organisation_id.0.map(Into::into),
            representative_id: representative_id.0.map(Into::into),
            kind: kind.0.map(Into::into),
            tag: tag.0,
            q: q.0,
            include_archived: include_archived.0.unwrap_or(false),
        };
        let found = self.store.list_meetings(&filter, &page).await?;
        Ok(Json(MeetingList::from_page(found, Meeting::from)))
    }

    /// Log a meeting whole
    ///
    /// The meeting with its attendees, agenda, outcomes and follow-ups, in
    /// one transaction: it lands whole or not at all. Presenters must attend;
    /// `agenda_index` and `outcome_index` point into the same request
    /// (0-based).
    #[oai(path = "/", method = "post", operation_id = "log_meeting")]
    async fn create(
        &self,
        auth: auth::WriteRecords,
        body: Body<NewMeeting>,
    ) -> Result<CreatedMeeting, ApiError> {
        let input = body.0.into_input()?;
        let records = auth.store(&self.store).log_meeting(input).await?;
        let location = format!("/api/v1/meetings/{}", records.meeting.id);
        Ok(CreatedMeeting::Created(Json(records.into()), location))
    }

    /// Get a meeting whole
    #[oai(path = "/:id", method = "get", operation_id = "get_meeting")]
    async fn get(&self, _auth: auth::ReadRecords, id: Path<Uuid>) -> Result<Json<MeetingRecord>, ApiError> {
        Ok(Json(
            self.store.meeting_records(MeetingId::from(id.0)).await?.into(),
        ))
    }

    /// Change a meeting's own fields
    #[oai(path = "/:id", method = "patch", operation_id = "update_meeting")]
    async fn update(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<MeetingPatch>,
    ) -> Result<Json<MeetingRecord>, ApiError> {
        let id = MeetingId::from(id.0);
        let body = body.0;
        let current = auth.store(&self.store).meeting(id).await?;
        check_version("meeting", body.version, current.meta.version)?;
        let mut input = current.details.to_input();
        if let Some(title) = body.title {
            input.title = title;
        }
        if let Some(kind) = body.kind {
            input.kind = Some(kind.into());
        }
        if let Some(starts_at) = body.starts_at {
            input.starts_at = Some(starts_at);
        }
        patch(body.ends_at, &mut input.ends_at);
        if let Some(all_day) = body.all_day {
            input.all_day = all_day;
        }
        patch(body.location, &mut input.location);
        let mut host = input.host_organisation_id.map(|id| id.as_uuid());
        patch(body.host_organisation_id, &mut host);
        input.host_organisation_id = host.map(OrganisationId::from);
        if let Some(ids) = body.partnership_ids {
            input.partnership_ids = ids.into_iter().map(PartnershipId::from).collect();
        }
        patch(body.summary, &mut input.summary);
        if let Some(tags) = body.tags {
            input.tags = tags;
        }
        if let Some(status) = body.status {
            input.status = Some(status.into());
        }
        let details = MeetingDetails::parse(&input, time::now())?;
        auth.store(&self.store)
            .update_meeting(id, body.version, details)
            .await?;
        Ok(Json(auth.store(&self.store).meeting_records(id).await?.into()))
    }

    /// Archive a meeting
    ///
    /// Meetings are history: archived, not deleted. An archived meeting
    /// leaves the lists (unless `include_archived`) and cannot be changed.
    #[oai(path = "/:id", method = "delete", operation_id = "archive_meeting")]
    async fn archive(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        /// The version the client read: a stale one is answered 409 and
        /// nothing changes. Left out, whatever version it is at.
        version: Query<Option<i32>>,
    ) -> Result<ArchivedResponse, ApiError> {
        auth.store(&self.store)
            .archive_meeting(MeetingId::from(id.0), version.0)
            .await?;
        Ok(ArchivedResponse::Archived)
    }

    /// Add an attendee
    #[oai(path = "/:id/attendees", method = "post", operation_id = "add_attendee")]
    async fn add_attendee(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<AttendeeAddition>,
    ) -> Result<CreatedAttendee, ApiError> {
        let input = body.0.attendee.to_input("attendee").map_err(invalid)?;
        let (attendance_id, records) = auth
            .store(&self.store)
            .add_attendee(MeetingId::from(id.0), body.0.version, input)
            .await?;
        let attendee = records
            .attendances
            .iter()
            .find(|a| a.id == attendance_id)
            .map(Attendee::from)
            .ok_or_else(|| part_missing("attendee", attendance_id.as_uuid()))?;
        let location = format!("/api/v1/meetings/{}/attendees/{}", id.0, attendance_id);
        Ok(CreatedAttendee::Created(Json(attendee), location))
    }

    /// Change an attendee's role or status
    #[oai(
        path = "/:id/attendees/:attendee_id",
        method = "patch",
        operation_id = "update_attendee"
    )]
    async fn update_attendee(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        attendee_id: Path<Uuid>,
        body: Body<AttendeePatch>,
    ) -> Result<Json<Attendee>, ApiError> {
        let attendance_id = AttendanceId::from(attendee_id.0);
        let body = body.0;
        let records = auth
            .store(&self.store)
            .update_attendee(
                MeetingId::from(id.0),
                body.version,
                attendance_id,
                body.role.map(Into::into),
                body.status.map(Into::into),
            )
            .await?;
        records
            .attendances
            .iter()
            .find(|a| a.id == attendance_id)
            .map(|a| Json(Attendee::from(a)))
            .ok_or_else(|| part_missing("attendee", attendee_id.0))
    }

    /// Remove an attendee
    ///
    /// An attendee who presents an agenda item cannot be removed (422).
    #[oai(
        path = "/:id/attendees/:attendee_id",
        method = "delete",
        operation_id = "remove_attendee"
    )]
    async fn remove_attendee(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        attendee_id: Path<Uuid>,
        /// The meeting's version, to refuse the change if it moved on.
        version: Query<Option<i32>>,
    ) -> Result<Removed, ApiError> {
        auth.store(&self.store)
            .remove_attendee(
                MeetingId::from(id.0),
                version.0,
                AttendanceId::from(attendee_id.0),
            )
            .await?;
        Ok(Removed::Removed)
    }

    /// Add an agenda item
    #[oai(path = "/:id/agenda", method = "post", operation_id = "add_agenda_item")]
    async fn add_agenda_item(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<AgendaItemAddition>,
    ) -> Result<CreatedAgendaItem, ApiError> {
        let body = body.0;
        let (item_id, records) = auth
            .store(&self.store)
            .add_agenda_item(
                MeetingId::from(id.0),
                body.version,
                body.item.into(),
                body.position,
            )
            .await?;
        let item = records
            .agenda
            .iter()
            .find(|i| i.id == item_id)
            .map(AgendaItem::from)
            .ok_or_else(|| part_missing("agenda item", item_id.as_uuid()))?;
        let location = format!("/api/v1/meetings/{}/agenda/{}", id.0, item_id);
        Ok(CreatedAgendaItem::Created(Json(item), location))
    }

    /// Put the agenda in a new order
    #[oai(path = "/:id/agenda/order", method = "put", operation_id = "reorder_agenda")]
    async fn reorder_agenda(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<AgendaOrder>,
    ) -> Result<Json<Vec<AgendaItem>>, ApiError> {
        let body = body.0;
        let order = body.item_ids.into_iter().map(AgendaItemId::from).collect();
        let records = auth
            .store(&self.store)
            .reorder_agenda(MeetingId::from(id.0), body.version, order)
            .await?;
        Ok(Json(records.agenda.iter().map(AgendaItem::from).collect()))
    }

    /// Change an agenda item
    #[oai(
        path = "/:id/agenda/:item_id",
        method = "patch",
        operation_id = "update_agenda_item"
    )]
    async fn update_agenda_item(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        item_id: Path<Uuid>,
        body: Body<AgendaItemPatch>,
    ) -> Result<Json<AgendaItem>, ApiError> {
        let meeting_id = MeetingId::from(id.0);
        let item_id = AgendaItemId::from(item_id.0);
        let body = body.0;
        let current = auth.store(&self.store).meeting_records(meeting_id).await?;
        let item = current
            .agenda
            .iter()
            .find(|i| i.id == item_id)
            .ok_or_else(|| part_missing("agenda item", item_id.as_uuid()))?;
        let mut input = AgendaItemInput {
            title: body.title.unwrap_or_else(|| item.title.clone()),
            description: item.description.clone(),
            presenter_ids: body
                .presenter_ids
                .map(|ids| ids.into_iter().map(RepresentativeId::from).collect())
                .unwrap_or_else(|| item.presenter_ids.clone()),
            duration_minutes: item.duration_minutes.map(i64::from),
            tags: body.tags.unwrap_or_else(|| item.tags.to_strings()),
        };
        patch(body.description, &mut input.description);
        patch(body.duration_minutes, &mut input.duration_minutes);
        // Without a version from the client, the one just read guards the
        // read-modify-write.
        let version = body.version.or(Some(current.meeting.meta.version));
        let records = auth
            .store(&self.store)
            .update_agenda_item(meeting_id, version, item_id, input)
            .await?;
        records
            .agenda
            .iter()
            .find(|i| i.id == item_id)
            .map(|i| Json(AgendaItem::from(i)))
            .ok_or_else(|| part_missing("agenda item", item_id.as_uuid()))
    }

    /// Remove an agenda item
    ///
    /// Later items move up; outcomes that pointed at it no longer do.
    #[oai(
        path = "/:id/agenda/:item_id",
        method = "delete",
        operation_id = "remove_agenda_item"
    )]
    async fn remove_agenda_item(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        item_id: Path<Uuid>,
        /// The meeting's version, to refuse the change if it moved on.
        version: Query<Option<i32>>,
    ) -> Result<Removed, ApiError> {
        auth.store(&self.store)
            .remove_agenda_item(MeetingId::from(id.0), version.0, AgendaItemId::from(item_id.0))
            .await?;
        Ok(Removed::Removed)
    }

    /// Add an outcome
    #[oai(path = "/:id/outcomes", method = "post", operation_id = "add_outcome")]
    async fn add_outcome(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<OutcomeAddition>,
    ) -> Result<CreatedOutcome, ApiError> {
        let body = body.0;
        let (outcome_id, records) = auth
            .store(&self.store)
            .add_outcome(
                MeetingId::from(id.0),
                body.version,
                body.kind.into(),
                body.text,
                body.agenda_item_id.map(AgendaItemId::from),
            )
            .await?;
        let outcome = records
            .outcomes
            .iter()
            .find(|o| o.id == outcome_id)
            .map(Outcome::from)
            .ok_or_else(|| part_missing("outcome", outcome_id.as_uuid()))?;
        let location = format!("/api/v1/meetings/{}/outcomes/{}", id.0, outcome_id);
        Ok(CreatedOutcome::Created(Json(outcome), location))
    }

    /// Change an outcome
    #[oai(
        path = "/:id/outcomes/:outcome_id",
        method = "patch",
        operation_id = "update_outcome"
    )]
    async fn update_outcome(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        outcome_id: Path<Uuid>,
        body: Body<OutcomePatch>,
    ) -> Result<Json<Outcome>, ApiError> {
        let meeting_id = MeetingId::from(id.0);
        let outcome_id = OutcomeId::from(outcome_id.0);
        let body = body.0;
        let current = auth.store(&self.store).meeting_records(meeting_id).await?;
        let outcome = current
            .outcomes
            .iter()
            .find(|o| o.id == outcome_id)
            .ok_or_else(|| part_missing("outcome", outcome_id.as_uuid()))?;
        let mut agenda_item_id = outcome.agenda_item_id.map(|id| id.as_uuid());
        patch(body.agenda_item_id, &mut agenda_item_id);
        let version = body.version.or(Some(current.meeting.meta.version));
        let records = auth
            .store(&self.store)
            .update_outcome(
                meeting_id,
                version,
                outcome_id,
                body.kind.map_or(outcome.kind, Into::into),
                body.text.unwrap_or_else(|| outcome.text.clone()),
                agenda_item_id.map(AgendaItemId::from),
            )
            .await?;
        records
            .outcomes
            .iter()
            .find(|o| o.id == outcome_id)
            .map(|o| Json(Outcome::from(o)))
            .ok_or_else(|| part_missing("outcome", outcome_id.as_uuid()))
    }

    /// Remove an outcome
    ///
    /// Follow-ups that came from it stay, no longer linked to it.
    #[oai(
        path = "/:id/outcomes/:outcome_id",
        method = "delete",
        operation_id = "remove_outcome"
    )]
    async fn remove_outcome(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        outcome_id: Path<Uuid>,
        /// The meeting's version, to refuse the change if it moved on.
        version: Query<Option<i32>>,
    ) -> Result<Removed, ApiError> {
        auth.store(&self.store)
            .remove_outcome(MeetingId::from(id.0), version.0, OutcomeId::from(outcome_id.0))
            .await?;
        Ok(Removed::Removed)
    }
}
