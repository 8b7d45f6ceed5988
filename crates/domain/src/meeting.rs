//! Meetings, and what a logged meeting holds: attendees, agenda, outcomes and
//! follow-ups. A meeting is one aggregate: its attendances, agenda items and
//! outcomes change only through it, under its version.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{FieldError, ValidationErrors};
use crate::follow_up::{FollowUp, FollowUpDetails, FollowUpInput};
use crate::ids::{
    AgendaItemId, AttendanceId, MeetingId, OrganisationId, OutcomeId, PartnershipId, RepresentativeId,
};
use crate::kinds::{AttendanceRole, AttendanceStatus, MeetingKind, MeetingStatus, OutcomeKind};
use crate::record::RecordMeta;
use crate::representative::Affiliation;
use crate::text::{self, Tags};
use crate::time;

/// Upper bounds on one meeting, so that one request cannot grow without end.
pub mod limits {
    pub const ATTENDEES: usize = 1_000;
    pub const AGENDA_ITEMS: usize = 200;
    pub const PRESENTERS_PER_ITEM: usize = 20;
    pub const OUTCOMES: usize = 500;
    pub const FOLLOW_UPS: usize = 500;
    pub const PARTNERSHIPS: usize = 50;
    pub const DURATION_MINUTES: u32 = 24 * 60;
}

/// What a client sends to create or replace a meeting's own fields.
#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub title: String,
    pub kind: Option<MeetingKind>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub all_day: bool,
    pub location: Option<String>,
    pub host_organisation_id: Option<OrganisationId>,
    pub partnership_ids: Vec<PartnershipId>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    /// Defaults to `held` for a meeting that has begun, `planned` otherwise.
    pub status: Option<MeetingStatus>,
}

/// A meeting's validated fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDetails {
    pub title: String,
    pub kind: MeetingKind,
    pub starts_at: DateTime<Utc>,
    /// After `starts_at` when given. For an all-day meeting, the Stockholm
    /// midnight after its last day.
    pub ends_at: Option<DateTime<Utc>>,
    /// The meeting has a date, not times: `starts_at` is a Stockholm midnight.
    pub all_day: bool,
    pub location: Option<String>,
    pub host_organisation_id: Option<OrganisationId>,
    pub partnership_ids: Vec<PartnershipId>,
    pub summary: Option<String>,
    pub tags: Tags,
    pub status: MeetingStatus,
}

impl MeetingDetails {
    /// The records a meeting's own fields refer to: its host and its
    /// partnerships.
    pub fn referenced_ids(&self) -> ReferencedIds {
        ReferencedIds {
            organisations: self.host_organisation_id.into_iter().collect(),
            representatives: BTreeSet::new(),
            partnerships: self.partnership_ids.iter().copied().collect(),
        }
    }

    /// Checks the host and the partnerships against what the database
    /// holds: each must exist and be live.
    pub fn check_references(&self, known: &KnownRecords, errors: &mut ValidationErrors) {
        if let Some(host) = self.host_organisation_id {
            errors.collect(known.live_organisation("host_organisation_id", host));
        }
        for (i, id) in self.partnership_ids.iter().enumerate() {
            errors.collect(known.live_partnership(&format!("partnership_ids[{i}]"), *id));
        }
    }

    /// [`Self::check_references`] for the references `previous` does not
    /// have: a host or partnership archived since it was chosen may stay.
    pub fn check_new_references(
        &self,
        previous: &MeetingDetails,
        known: &KnownRecords,
        errors: &mut ValidationErrors,
    ) {
        if let Some(host) = self.host_organisation_id
            && previous.host_organisation_id != Some(host)
        {
            errors.collect(known.live_organisation("host_organisation_id", host));
        }
        for (i, id) in self.partnership_ids.iter().enumerate() {
            if !previous.partnership_ids.contains(id) {
                errors.collect(known.live_partnership(&format!("partnership_ids[{i}]"), *id));
            }
        }
    }

    pub const TITLE_MAX: usize = 300;
    pub const LOCATION_MAX: usize = 300;
    pub const SUMMARY_MAX: usize = 20_000;

    pub fn parse(input: &MeetingInput, now: DateTime<Utc>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.collect(text::required_line("title", &input.title, Self::TITLE_MAX));
        if input.kind.is_none() {
            errors.add("kind", "is required");
        }
        for (field, instant) in [("starts_at", input.starts_at), ("ends_at", input.ends_at)] {
            if let Some(instant) = instant {
                errors.collect(time::check_instant(field, instant));
            }
        }
        match input.starts_at {
            None => errors.add("starts_at", "is required"),
            Some(starts_at) => {
                if input.ends_at.is_some_and(|ends_at| ends_at <= starts_at) {
                    errors.add("ends_at", "must be after starts_at");
                }
                if input.all_day {
                    for (field, instant) in [("starts_at", Some(starts_at)), ("ends_at", input.ends_at)] {
                        if let Some(instant) = instant.filter(|t| time::day_start(time::local_date(*t)) != *t)
                        {
                            errors.add(
                                field,
                                format!(
                                    "an all-day meeting begins and ends at midnight, Europe/Stockholm \
                                     ({instant} is not)"
                                ),
                            );
                        }
                    }
                }
            }
        }
        let location = errors.collect(text::optional_line(
            "location",
            input.location.as_deref(),
            Self::LOCATION_MAX,
        ));
        let summary = errors.collect(text::optional_block(
            "summary",
            input.summary.as_deref(),
            Self::SUMMARY_MAX,
        ));
        let tags = errors.collect(Tags::parse("tags", &input.tags));
        let mut partnership_ids = Vec::with_capacity(input.partnership_ids.len());
        for id in &input.partnership_ids {
            if !partnership_ids.contains(id) {
                partnership_ids.push(*id);
            }
        }
        if partnership_ids.len() > limits::PARTNERSHIPS {
            errors.add(
                "partnership_ids",
                format!("at most {} partnerships", limits::PARTNERSHIPS),
            );
        }
        let status = match (input.status, input.starts_at) {
            (Some(status), _) => status,
            (None, Some(starts_at)) if starts_at <= now => MeetingStatus::Held,
            (None, _) => MeetingStatus::Planned,
        };
        if status == MeetingStatus::Held && input.starts_at.is_some_and(|starts_at| starts_at > now) {
            errors.add("status", "a meeting that has not begun cannot have been held");
        }
        let (Some(title), Some(kind), Some(starts_at), Some(location), Some(summary), Some(tags)) =
            (title, input.kind, input.starts_at, location, summary, tags)
        else {
            return Err(errors);
        };
        errors.finish(|| Self {
            title,
            kind,
            starts_at,
            ends_at: input.ends_at,
            all_day: input.all_day,
            location,
            host_organisation_id: input.host_organisation_id,
            partnership_ids,
            summary,
            tags,
            status,
        })
    }

    /// The Stockholm date the meeting begins on.
    pub fn date(&self) -> NaiveDate {
        time::local_date(self.starts_at)
    }

    pub fn to_input(&self) -> MeetingInput {
        MeetingInput {
            title: self.title.clone(),
            kind: Some(self.kind),
            starts_at: Some(self.starts_at),
            ends_at: self.ends_at,
            all_day: self.all_day,
            location: self.location.clone(),
            host_organisation_id: self.host_organisation_id,
            partnership_ids: self.partnership_ids.clone(),
            summary: self.summary.clone(),
            tags: self.tags.to_strings(),
            status: Some(self.status),
        }
    }
}

/// A meeting: a partner day, a workshop, a steering group, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    pub details: MeetingDetails,
    pub meta: RecordMeta,
}

/// Who an attendance is of: a named person, or an organisation whose people
/// were not named (the seed names no one from GKN Aerospace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attendee {
    Representative(RepresentativeId),
    Organisation(OrganisationId),
}

/// One attendee of one meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub id: AttendanceId,
    pub meeting_id: MeetingId,
    pub attendee: Attendee,
    /// The organisation the attendee represented at the meeting: for a person,
    /// their affiliation on the meeting's date, kept so that the meeting still
    /// shows it after they move on.
    pub organisation_id: OrganisationId,
    pub role: AttendanceRole,
    pub status: AttendanceStatus,
}

/// One topic on a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub meeting_id: MeetingId,
    /// 1..n within the meeting, without gaps.
    pub position: u32,
    pub title: String,
    pub description: Option<String>,
    /// In the order given; each attends the meeting. Empty for a discussion.
    pub presenter_ids: Vec<RepresentativeId>,
    pub duration_minutes: Option<u32>,
    pub tags: Tags,
}

/// Something a meeting recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub id: OutcomeId,
    pub meeting_id: MeetingId,
    /// 1..n within the meeting, in the order recorded.
    pub position: u32,
    pub kind: OutcomeKind,
    pub text: String,
    pub agenda_item_id: Option<AgendaItemId>,
}

/// An attendee as a client sends it.
#[derive(Debug, Clone)]
pub struct AttendeeInput {
    pub attendee: Attendee,
    pub role: AttendanceRole,
    pub status: AttendanceStatus,
}

/// An agenda item as a client sends it.
#[derive(Debug, Clone, Default)]
pub struct AgendaItemInput {
    pub title: String,
    pub description: Option<String>,
    pub presenter_ids: Vec<RepresentativeId>,
    pub duration_minutes: Option<i64>,
    pub tags: Vec<String>,
}

/// An outcome as a client sends it.
#[derive(Debug, Clone)]
pub struct OutcomeInput {
    pub kind: OutcomeKind,
    pub text: String,
    /// 0-based index into the same request's agenda.
    pub agenda_index: Option<usize>,
}

/// A follow-up as a client sends it with a meeting.
#[derive(Debug, Clone, Default)]
pub struct MeetingFollowUpInput {
    pub follow_up: FollowUpInput,
    /// 0-based index into the same request's outcomes.
    pub outcome_index: Option<usize>,
}

/// A whole meeting as logged in one go.
#[derive(Debug, Clone, Default)]
pub struct MeetingLogInput {
    pub meeting: MeetingInput,
    pub attendees: Vec<AttendeeInput>,
    pub agenda: Vec<AgendaItemInput>,
    pub outcomes: Vec<OutcomeInput>,
    pub follow_ups: Vec<MeetingFollowUpInput>,
}

/// What the database knows of the records a meeting refers to, gathered by
/// the store inside the transaction that writes the meeting.
#[derive(Debug, Clone, Default)]
pub struct KnownRecords {
    /// Organisations by id, with whether each is archived.
    pub organisations: HashMap<OrganisationId, bool>,
    /// Representatives by id, with whether each is archived and their
    /// affiliations (current one included).
    pub representatives: HashMap<RepresentativeId, KnownRepresentative>,
    /// Partnerships by id, with whether each is archived.
    pub partnerships: HashMap<PartnershipId, bool>,
}

#[derive(Debug, Clone)]
pub struct KnownRepresentative {
    pub archived: bool,
    /// Restricted (Art. 18): kept, but taking part in nothing new.
    pub restricted: bool,
    pub affiliations: Vec<Affiliation>,
}

impl KnownRecords {
    /// Checks that a live organisation is referred to.
    pub fn live_organisation(&self, field: &str, id: OrganisationId) -> Result<(), FieldError> {
        match self.organisations.get(&id) {
            None => Err(FieldError::new(field, format!("no organisation has the id {id}"))),
            Some(true) => Err(FieldError::new(field, format!("organisation {id} is archived"))),
            Some(false) => Ok(()),
        }
    }

    /// Checks that a live representative is referred to.
    pub fn live_representative(
        &self,
        field: &str,
        id: RepresentativeId,
    ) -> Result<&KnownRepresentative, FieldError> {
        match self.representatives.get(&id) {
            None => Err(FieldError::new(
                field,
                format!("no representative has the id {id}"),
            )),
            Some(known) if known.archived => {
                Err(FieldError::new(field, format!("representative {id} is archived")))
            }
            Some(known) if known.restricted => Err(FieldError::new(
                field,
                format!(
                    "representative {id} is restricted (GDPR Art. 18) and cannot take part until it is lifted"
                ),
            )),
            Some(known) => Ok(known),
        }
    }

    pub fn live_partnership(&self, field: &str, id: PartnershipId) -> Result<(), FieldError> {
        match self.partnerships.get(&id) {
            None => Err(FieldError::new(field, format!("no partnership has the id {id}"))),
            Some(true) => Err(FieldError::new(field, format!("partnership {id} is archived"))),
            Some(false) => Ok(()),
        }
    }
}

impl KnownRepresentative {
    /// The organisation the person represented on `date`: the affiliation
    /// covering that date, or failing that (a meeting logged for a date after
    /// the current one ended, which cannot happen to a live person) the
    /// current one.
    pub fn organisation_on(&self, date: NaiveDate) -> Option<OrganisationId> {
        self.affiliations
            .iter()
            .find(|affiliation| affiliation.covers(date))
            .or_else(|| {
                self.affiliations
                    .iter()
                    .find(|affiliation| affiliation.ended_on.is_none())
            })
            .map(|affiliation| affiliation.organisation_id)
    }
}

/// The ids a meeting log refers to, for the store to look up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferencedIds {
    pub organisations: BTreeSet<OrganisationId>,
    pub representatives: BTreeSet<RepresentativeId>,
    pub partnerships: BTreeSet<PartnershipId>,
}

/// A meeting log whose shape is valid: every text, every index, every
/// presenter and every attendee checked. What remains to check needs the
/// database, and is done by [`MeetingLog::into_records`].
#[derive(Debug, Clone)]
pub struct MeetingLog {
    details: MeetingDetails,
    attendees: Vec<AttendeeInput>,
    agenda: Vec<AgendaItemFields>,
    outcomes: Vec<(OutcomeInput, String)>,
    /// The outcome each came from, its fields, and when it was done as
    /// stated (see `FollowUp::stated_completion`).
    follow_ups: Vec<(Option<usize>, FollowUpDetails, Option<DateTime<Utc>>)>,
}

/// Every record of one logged meeting, ready to be written in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecords {
    pub meeting: Meeting,
    pub attendances: Vec<Attendance>,
    pub agenda: Vec<AgendaItem>,
    pub outcomes: Vec<Outcome>,
    pub follow_ups: Vec<FollowUp>,
}

impl MeetingLog {
    pub const OUTCOME_TEXT_MAX: usize = 10_000;

    pub fn parse(input: MeetingLogInput, now: DateTime<Utc>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let details = MeetingDetails::parse(&input.meeting, now)
            .map_err(|e| errors.extend(e))
            .ok();

        check_count(&mut errors, "attendees", input.attendees.len(), limits::ATTENDEES);
        check_count(&mut errors, "agenda", input.agenda.len(), limits::AGENDA_ITEMS);
        check_count(&mut errors, "outcomes", input.outcomes.len(), limits::OUTCOMES);
        check_count(
            &mut errors,
            "follow_ups",
            input.follow_ups.len(),
            limits::FOLLOW_UPS,
        );

        let mut seen = HashSet::new();
        for (i, attendee) in input.attendees.iter().enumerate() {
            if !seen.insert(attendee.attendee) {
                let field = match attendee.attendee {
                    Attendee::Representative(_) => format!("attendees[{i}].representative_id"),
                    Attendee::Organisation(_) => format!("attendees[{i}].organisation_id"),
                };
                errors.add(field, "is listed more than once among the attendees");
            }
        }
        let present = present_people(input.attendees.iter().map(|a| (a.attendee, a.status)));

        let agenda_len = input.agenda.len();
        let mut agenda = Vec::with_capacity(agenda_len);
        for (i, item) in input.agenda.iter().enumerate() {
            match AgendaItemFields::parse(item, &present) {
                Ok(fields) => agenda.push(fields),
                Err(item_errors) => errors.extend_under(&format!("agenda[{i}]"), item_errors),
            }
        }

        let mut outcomes = Vec::with_capacity(input.outcomes.len());
        for (i, outcome) in input.outcomes.into_iter().enumerate() {
            let path = format!("outcomes[{i}]");
            let mut outcome_errors = ValidationErrors::new();
            let text = outcome_errors.collect(text::required_block(
                "text",
                &outcome.text,
                Self::OUTCOME_TEXT_MAX,
            ));
            if let Some(index) = outcome.agenda_index
                && index >= agenda_len
            {
                outcome_errors.add(
                    "agenda_index",
                    format!("there is no agenda item at index {index} (0-based)"),
                );
            }
            match text {
                Some(text) if outcome_errors.is_empty() => outcomes.push((outcome, text)),
                _ => errors.extend_under(&path, outcome_errors),
            }
        }

        let outcome_count = outcomes.len();
        let mut follow_ups = Vec::with_capacity(input.follow_ups.len());
        for (i, follow_up) in input.follow_ups.into_iter().enumerate() {
            let path = format!("follow_ups[{i}]");
            let mut follow_up_errors = ValidationErrors::new();
            if let Some(index) = follow_up.outcome_index
                && index >= outcome_count
            {
                follow_up_errors.add(
                    "outcome_index",
                    format!("there is no outcome at index {index} (0-based)"),
                );
            }
            let parsed = FollowUpDetails::parse(&follow_up.follow_up);
            // Judged against the meeting's start, when the meeting has one.
            let completion = match (&parsed, &details) {
                (Ok(fields), Some(meeting)) => follow_up_errors.collect(FollowUp::stated_completion(
                    follow_up.follow_up.completed_on,
                    fields.status,
                    meeting.starts_at,
                    now,
                )),
                _ => None,
            };
            match parsed {
                Ok(fields) if follow_up_errors.is_empty() => {
                    follow_ups.push((follow_up.outcome_index, fields, completion.flatten()))
                }
                Ok(_) => errors.extend_under(&path, follow_up_errors),
                Err(more) => {
                    follow_up_errors.extend(more);
                    errors.extend_under(&path, follow_up_errors);
                }
            }
        }

        let Some(details) = details else {
            return Err(errors);
        };
        errors.finish(|| Self {
            details,
            attendees: input.attendees,
            agenda,
            outcomes,
            follow_ups,
        })
    }

    /// Every record id the log refers to.
    pub fn referenced_ids(&self) -> ReferencedIds {
        let mut ids = self.details.referenced_ids();
        for attendee in &self.attendees {
            match attendee.attendee {
                Attendee::Representative(id) => ids.representatives.insert(id),
                Attendee::Organisation(id) => ids.organisations.insert(id),
            };
        }
        for (_, details, _) in &self.follow_ups {
            ids.representatives.extend(details.owner_id);
            ids.organisations.extend(details.organisation_id);
        }
        ids
    }

    /// Checks the references against what the database holds, and builds
    /// every record with fresh ids.
    pub fn into_records(
        self,
        known: &KnownRecords,
        now: DateTime<Utc>,
    ) -> Result<MeetingRecords, ValidationErrors> {
        self.build_records(known, now, None)
    }

    /// Builds the records, as a new meeting or (`previous`) as the next
    /// state of a logged one. What `previous` already holds is not checked
    /// again: a person who attended and has since been archived or
    /// restricted stays an attendee under the attendance's id, and an
    /// unchanged host or partnership stays though archived since. Only what
    /// the revision adds must be live.
    pub(crate) fn build_records(
        self,
        known: &KnownRecords,
        now: DateTime<Utc>,
        previous: Option<&MeetingRecords>,
    ) -> Result<MeetingRecords, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        match previous {
            None => self.details.check_references(known, &mut errors),
            Some(previous) => {
                self.details
                    .check_new_references(&previous.meeting.details, known, &mut errors)
            }
        }
        let meeting_id = previous.map_or_else(MeetingId::new, |previous| previous.meeting.id);
        let date = self.details.date();
        let mut attendances = Vec::with_capacity(self.attendees.len());
        for (i, attendee) in self.attendees.iter().enumerate() {
            let earlier = previous.and_then(|previous| {
                previous
                    .attendances
                    .iter()
                    .find(|attendance| attendance.attendee == attendee.attendee)
            });
            let organisation_id = match (attendee.attendee, earlier) {
                // Already there: the organisation follows the date, where
                // the person's affiliations are known.
                (Attendee::Representative(id), Some(earlier)) => Some(
                    known
                        .representatives
                        .get(&id)
                        .and_then(|representative| representative.organisation_on(date))
                        .unwrap_or(earlier.organisation_id),
                ),
                (Attendee::Organisation(id), Some(_)) => Some(id),
                (Attendee::Organisation(id), None) => errors
                    .collect(known.live_organisation(&format!("attendees[{i}].organisation_id"), id))
                    .map(|()| id),
                (Attendee::Representative(id), None) => errors
                    .collect(known.live_representative(&format!("attendees[{i}].representative_id"), id))
                    .and_then(|representative| representative.organisation_on(date)),
            };
            if let Some(organisation_id) = organisation_id {
                attendances.push(Attendance {
                    id: earlier.map_or_else(AttendanceId::new, |earlier| earlier.id),
                    meeting_id,
                    attendee: attendee.attendee,
                    organisation_id,
                    role: attendee.role,
                    status: attendee.status,
                });
            }
        }
        for (i, (_, details, _)) in self.follow_ups.iter().enumerate() {
            if let Some(owner) = details.owner_id {
                errors.collect(known.live_representative(&format!("follow_ups[{i}].owner_id"), owner));
            }
            if let Some(organisation) = details.organisation_id {
                errors.collect(
                    known.live_organisation(&format!("follow_ups[{i}].organisation_id"), organisation),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let agenda: Vec<AgendaItem> = self
            .agenda
            .into_iter()
            .zip(1..)
            .map(|(fields, position)| fields.into_item(AgendaItemId::new(), meeting_id, position))
            .collect();
        let outcomes: Vec<Outcome> = self
            .outcomes
            .into_iter()
            .zip(1..)
            .map(|((outcome, text), position)| Outcome {
                id: OutcomeId::new(),
                meeting_id,
                position,
                kind: outcome.kind,
                text,
                agenda_item_id: outcome
                    .agenda_index
                    .and_then(|index| agenda.get(index))
                    .map(|item| item.id),
            })
            .collect();
        let follow_ups = self
            .follow_ups
            .into_iter()
            .map(|(outcome_index, details, completion)| {
                let outcome_id = outcome_index
                    .and_then(|index| outcomes.get(index))
                    .map(|outcome| outcome.id);
                FollowUp::new(meeting_id, outcome_id, details, completion, now)
            })
            .collect();
        Ok(MeetingRecords {
            meeting: Meeting {
                id: meeting_id,
                details: self.details,
                meta: previous.map_or_else(|| RecordMeta::new(now), |previous| previous.meeting.meta.clone()),
            },
            attendances,
            agenda,
            outcomes,
            follow_ups,
        })
    }
}

impl MeetingRecords {
    /// The log input that would produce these records again (with new ids):
    /// to copy a meeting, or to check that what was sent is what was stored.
    pub fn to_input(&self) -> MeetingLogInput {
        let agenda_index = |id: AgendaItemId| self.agenda.iter().position(|item| item.id == id);
        let outcome_index = |id: OutcomeId| self.outcomes.iter().position(|outcome| outcome.id == id);
        MeetingLogInput {
            meeting: self.meeting.details.to_input(),
            attendees: self
                .attendances
                .iter()
                .map(|attendance| AttendeeInput {
                    attendee: attendance.attendee,
                    role: attendance.role,
                    status: attendance.status,
                })
                .collect(),
            agenda: self
                .agenda
                .iter()
                .map(|item| AgendaItemInput {
                    title: item.title.clone(),
                    description: item.description.clone(),
                    presenter_ids: item.presenter_ids.clone(),
                    duration_minutes: item.duration_minutes.map(i64::from),
                    tags: item.tags.to_strings(),
                })
                .collect(),
            outcomes: self
                .outcomes
                .iter()
                .map(|outcome| OutcomeInput {
                    kind: outcome.kind,
                    text: outcome.text.clone(),
                    agenda_index: outcome.agenda_item_id.and_then(agenda_index),
                })
                .collect(),
            follow_ups: self
                .follow_ups
                .iter()
                .map(|follow_up| MeetingFollowUpInput {
                    follow_up: follow_up.details.to_input(),
                    outcome_index: follow_up.outcome_id.and_then(outcome_index),
                })
                .collect(),
        }
    }
}

/// The people who are (or will be) at a meeting: represented attendees who
/// are not absent. Only they may present.
pub(crate) fn present_people(
    attendees: impl Iterator<Item = (Attendee, AttendanceStatus)>,
) -> HashSet<RepresentativeId> {
    attendees
        .filter(|(_, status)| *status != AttendanceStatus::Absent)
        .filter_map(|(attendee, _)| match attendee {
            Attendee::Representative(id) => Some(id),
            Attendee::Organisation(_) => None,
        })
        .collect()
}

/// An agenda item's fields, validated: by a whole meeting log and by an edit
/// of a logged meeting alike.
#[derive(Debug, Clone)]
pub(crate) struct AgendaItemFields {
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) presenter_ids: Vec<RepresentativeId>,
    pub(crate) duration_minutes: Option<u32>,
    pub(crate) tags: Tags,
}

impl AgendaItemFields {
    /// Validates an item whose presenters must be among `present`.
    pub(crate) fn parse(
        input: &AgendaItemInput,
        present: &HashSet<RepresentativeId>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.collect(text::required_line("title", &input.title, AgendaItem::TITLE_MAX));
        let description = errors.collect(text::optional_block(
            "description",
            input.description.as_deref(),
            AgendaItem::DESCRIPTION_MAX,
        ));
        let tags = errors.collect(Tags::parse("tags", &input.tags));
        check_count(
            &mut errors,
            "presenter_ids",
            input.presenter_ids.len(),
            limits::PRESENTERS_PER_ITEM,
        );
        let mut seen = HashSet::new();
        for (j, presenter) in input.presenter_ids.iter().enumerate() {
            if !seen.insert(*presenter) {
                errors.add(format!("presenter_ids[{j}]"), "is listed more than once");
            } else if !present.contains(presenter) {
                errors.add(
                    format!("presenter_ids[{j}]"),
                    format!("representative {presenter} presents but is not an attendee of the meeting"),
                );
            }
        }
        let duration_minutes = match input.duration_minutes.map(u32::try_from) {
            None => None,
            Some(Ok(minutes)) if (1..=limits::DURATION_MINUTES).contains(&minutes) => Some(minutes),
            Some(_) => {
                errors.add(
                    "duration_minutes",
                    format!("must be between 1 and {} minutes", limits::DURATION_MINUTES),
                );
                None
            }
        };
        match (title, description, tags) {
            (Some(title), Some(description), Some(tags)) if errors.is_empty() => Ok(Self {
                title,
                description,
                presenter_ids: input.presenter_ids.clone(),
                duration_minutes,
                tags,
            }),
            _ => Err(errors),
        }
    }

    pub(crate) fn into_item(self, id: AgendaItemId, meeting_id: MeetingId, position: u32) -> AgendaItem {
        AgendaItem {
            id,
            meeting_id,
            position,
            title: self.title,
            description: self.description,
            presenter_ids: self.presenter_ids,
            duration_minutes: self.duration_minutes,
            tags: self.tags,
        }
    }
}

impl AgendaItem {
    pub const TITLE_MAX: usize = 300;
    pub const DESCRIPTION_MAX: usize = 10_000;
}

fn check_count(errors: &mut ValidationErrors, field: &str, count: usize, max: usize) {
    if count > max {
        errors.add(field, format!("at most {max} entries are allowed (got {count})"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::FollowUpStatus;
    use crate::representative::AffiliationChange;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        rfc3339.parse().unwrap()
    }

    fn now() -> DateTime<Utc> {
        at("2024-04-29T08:00:00Z")
    }

    struct World {
        host: OrganisationId,
        company: OrganisationId,
        presenter: RepresentativeId,
        known: KnownRecords,
    }

    fn world() -> World {
        let host = OrganisationId::new();
        let company = OrganisationId::new();
        let presenter = RepresentativeId::new();
        let mut known = KnownRecords::default();
        known.organisations.insert(host, false);
        known.organisations.insert(company, false);
        known.representatives.insert(
            presenter,
            KnownRepresentative {
                archived: false,
                restricted: false,
                affiliations: vec![Affiliation::first(
                    presenter,
                    host,
                    Some("Förbundsdirektör".into()),
                )],
            },
        );
        World {
            host,
            company,
            presenter,
            known,
        }
    }

    fn partner_day(world: &World) -> MeetingLogInput {
        MeetingLogInput {
            meeting: MeetingInput {
                title: "Strategisk partnerträff".into(),
                kind: Some(MeetingKind::PartnerDay),
                starts_at: Some(time::day_start(NaiveDate::from_ymd_opt(2024, 4, 26).unwrap())),
                all_day: true,
                host_organisation_id: Some(world.host),
                ..MeetingInput::default()
            },
            attendees: vec![
                AttendeeInput {
                    attendee: Attendee::Representative(world.presenter),
                    role: AttendanceRole::Presenter,
                    status: AttendanceStatus::Attended,
                },
                AttendeeInput {
                    attendee: Attendee::Organisation(world.company),
                    role: AttendanceRole::Participant,
                    status: AttendanceStatus::Attended,
                },
            ],
            agenda: vec![
                AgendaItemInput {
                    title: "Kunskapsförbundets mål och organisation".into(),
                    presenter_ids: vec![world.presenter],
                    ..AgendaItemInput::default()
                },
                AgendaItemInput {
                    title: "Diskussion: samhällets kompetensbehov".into(),
                    ..AgendaItemInput::default()
                },
            ],
            outcomes: vec![OutcomeInput {
                kind: OutcomeKind::Insight,
                text: "Partnerskapet bygger broar mellan utbildning och arbetsliv.".into(),
                agenda_index: Some(0),
            }],
            follow_ups: vec![MeetingFollowUpInput {
                follow_up: FollowUpInput {
                    title: "Exempel: boka nästa partnerträff".into(),
                    owner_id: Some(world.presenter),
                    ..FollowUpInput::default()
                },
                outcome_index: Some(0),
            }],
        }
    }

    fn fields(errors: &ValidationErrors) -> Vec<&str> {
        errors.errors().iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_partner_day_becomes_linked_records() {
        let world = world();
        let log = MeetingLog::parse(partner_day(&world), now()).unwrap();
        let records = log.into_records(&world.known, now()).unwrap();
        assert_eq!(
            records.meeting.details.status,
            MeetingStatus::Held,
            "a past meeting defaults to held"
        );
        assert_eq!(records.attendances.len(), 2);
        assert_eq!(
            records.attendances[0].organisation_id, world.host,
            "a person attends for their organisation"
        );
        assert_eq!(records.attendances[1].organisation_id, world.company);
        assert_eq!(
            records.agenda.iter().map(|i| i.position).collect::<Vec<_>>(),
            [1, 2]
        );
        assert!(
            records.agenda[1].presenter_ids.is_empty(),
            "a discussion has no presenter"
        );
        assert_eq!(records.outcomes[0].agenda_item_id, Some(records.agenda[0].id));
        assert_eq!(records.follow_ups[0].outcome_id, Some(records.outcomes[0].id));
        assert_eq!(records.follow_ups[0].details.status, FollowUpStatus::Open);
        assert!(
            records
                .attendances
                .iter()
                .all(|a| a.meeting_id == records.meeting.id)
        );
    }

    #[test]
    fn a_presenter_must_attend() {
        let world = world();
        let mut input = partner_day(&world);
        input.attendees.remove(0);
        let errors = MeetingLog::parse(input, now()).unwrap_err();
        assert_eq!(fields(&errors), ["agenda[0].presenter_ids[0]"]);
    }

    #[test]
    fn an_absent_attendee_cannot_present() {
        let world = world();
        let mut input = partner_day(&world);
        input.attendees[0].status = AttendanceStatus::Absent;
        assert_eq!(
            fields(&MeetingLog::parse(input, now()).unwrap_err()),
            ["agenda[0].presenter_ids[0]"]
        );
    }

    #[test]
    fn an_attendee_is_listed_once() {
        let world = world();
        let mut input = partner_day(&world);
        input.attendees.push(input.attendees[1].clone());
        assert_eq!(
            fields(&MeetingLog::parse(input, now()).unwrap_err()),
            ["attendees[2].organisation_id"]
        );
    }

    #[test]
    fn indexes_must_point_into_the_same_request() {
        let world = world();
        let mut input = partner_day(&world);
        input.outcomes[0].agenda_index = Some(2);
        input.follow_ups[0].outcome_index = Some(1);
        let errors = MeetingLog::parse(input, now()).unwrap_err();
        assert_eq!(
            fields(&errors),
            ["outcomes[0].agenda_index", "follow_ups[0].outcome_index"]
        );
    }

    #[test]
    fn a_meeting_ends_after_it_starts() {
        let world = world();
        let mut input = partner_day(&world);
        input.meeting.all_day = false;
        input.meeting.starts_at = Some(at("2024-04-26T08:00:00Z"));
        input.meeting.ends_at = Some(at("2024-04-26T08:00:00Z"));
        assert_eq!(fields(&MeetingLog::parse(input, now()).unwrap_err()), ["ends_at"]);
    }

    #[test]
    fn an_all_day_meeting_starts_at_stockholm_midnight() {
        let world = world();
        let mut input = partner_day(&world);
        input.meeting.starts_at = Some(at("2024-04-26T00:00:00Z"));
        assert_eq!(
            fields(&MeetingLog::parse(input, now()).unwrap_err()),
            ["starts_at"]
        );
    }

    #[test]
    fn a_future_meeting_cannot_have_been_held() {
        let world = world();
        let mut input = partner_day(&world);
        input.meeting.status = Some(MeetingStatus::Held);
        assert_eq!(
            fields(&MeetingLog::parse(input, at("2024-04-01T00:00:00Z")).unwrap_err()),
            ["status"]
        );
        let mut input = partner_day(&world);
        input.meeting.status = None;
        let log = MeetingLog::parse(input, at("2024-04-01T00:00:00Z")).unwrap();
        assert_eq!(
            log.into_records(&world.known, now())
                .unwrap()
                .meeting
                .details
                .status,
            MeetingStatus::Planned
        );
    }

    #[test]
    fn bad_agenda_items_are_reported_by_path() {
        let world = world();
        let mut input = partner_day(&world);
        input.agenda[1].title = " ".into();
        input.agenda[1].duration_minutes = Some(0);
        let errors = MeetingLog::parse(input, now()).unwrap_err();
        assert_eq!(fields(&errors), ["agenda[1].title", "agenda[1].duration_minutes"]);
    }

    #[test]
    fn archived_and_unknown_records_cannot_be_added_to_a_new_meeting() {
        let mut world = world();
        world.known.organisations.insert(world.company, true);
        let mut input = partner_day(&world);
        input.follow_ups[0].follow_up.organisation_id = Some(OrganisationId::new());
        let log = MeetingLog::parse(input, now()).unwrap();
        let errors = log.into_records(&world.known, now()).unwrap_err();
        assert_eq!(
            fields(&errors),
            ["attendees[1].organisation_id", "follow_ups[0].organisation_id"]
        );
        assert!(errors.errors()[0].message.contains("archived"));
    }

    #[test]
    fn an_archived_representative_cannot_attend() {
        let mut world = world();
        if let Some(known) = world.known.representatives.get_mut(&world.presenter) {
            known.archived = true;
        }
        let log = MeetingLog::parse(partner_day(&world), now()).unwrap();
        let errors = log.into_records(&world.known, now()).unwrap_err();
        assert_eq!(
            fields(&errors),
            ["attendees[0].representative_id", "follow_ups[0].owner_id"]
        );
    }

    #[test]
    fn an_attendee_represents_the_organisation_of_the_meeting_date() {
        let mut world = world();
        let first = Affiliation::first(world.presenter, world.host, None);
        let moved_on = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let AffiliationChange::Succeeded { ended, started } = first.change_to(world.company, None, moved_on)
        else {
            panic!("expected a succession");
        };
        world.known.representatives.insert(
            world.presenter,
            KnownRepresentative {
                archived: false,
                restricted: false,
                affiliations: vec![ended, started],
            },
        );
        let records = MeetingLog::parse(partner_day(&world), now())
            .unwrap()
            .into_records(&world.known, now())
            .unwrap();
        assert_eq!(records.attendances[0].organisation_id, world.host);
    }

    #[test]
    fn records_turn_back_into_the_input_that_made_them() {
        let world = world();
        let records = MeetingLog::parse(partner_day(&world), now())
            .unwrap()
            .into_records(&world.known, now())
            .unwrap();
        let again = MeetingLog::parse(records.to_input(), now())
            .unwrap()
            .into_records(&world.known, now())
            .unwrap();
        assert_ne!(again.meeting.id, records.meeting.id);
        assert_eq!(again.meeting.details, records.meeting.details);
        assert_eq!(again.outcomes[0].agenda_item_id, Some(again.agenda[0].id));
        assert_eq!(again.follow_ups[0].outcome_id, Some(again.outcomes[0].id));
        assert_eq!(again.attendances.len(), records.attendances.len());
    }

    #[test]
    fn referenced_ids_cover_every_reference() {
        let world = world();
        let ids = MeetingLog::parse(partner_day(&world), now())
            .unwrap()
            .referenced_ids();
        assert_eq!(ids.organisations, BTreeSet::from([world.host, world.company]));
        assert_eq!(ids.representatives, BTreeSet::from([world.presenter]));
    }

    #[test]
    fn too_many_attendees_are_rejected() {
        let world = world();
        let mut input = partner_day(&world);
        input.attendees = (0..=limits::ATTENDEES)
            .map(|_| AttendeeInput {
                attendee: Attendee::Organisation(OrganisationId::new()),
                role: AttendanceRole::Guest,
                status: AttendanceStatus::Invited,
            })
            .collect();
        input.agenda.clear();
        assert!(fields(&MeetingLog::parse(input, now()).unwrap_err()).contains(&"attendees"));
    }
}
