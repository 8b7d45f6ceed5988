//! The wire types of `/api/v1/meetings`: the request and response bodies
//! of the meeting resource, and their conversions to and from the domain.
//! They are the public contract (`docs/openapi.json`); the handlers live in
//! the parent module.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object};
use samverkan_domain::{
    self as domain, AgendaItemInput, FollowUpInput, MeetingFollowUpInput, MeetingInput, MeetingLogInput,
    OrganisationId, OutcomeInput, PartnershipId, RepresentativeId, ValidationErrors, time,
};
use uuid::Uuid;

use crate::common::{
    AttendanceRole, AttendanceStatus, FollowUpStatus, MeetingKind, MeetingStatus, OutcomeKind, list_of,
};
use crate::follow_ups::FollowUp;

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
    pub(super) fn to_input(&self, field: &str) -> Result<domain::AttendeeInput, domain::FieldError> {
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
    pub(super) fn into_input(self) -> Result<MeetingLogInput, ValidationErrors> {
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
