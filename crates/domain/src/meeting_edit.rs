//! Changing a logged meeting's parts: attendees, agenda, outcomes. Each edit
//! keeps the meeting's invariants (presenters attend, agenda positions run
//! 1..n, outcomes point at existing agenda items) and names what it could
//! not find.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use uuid::Uuid;

use crate::error::{FieldError, ValidationErrors};
use crate::ids::{AgendaItemId, AttendanceId, OutcomeId};
use crate::kinds::{AttendanceRole, AttendanceStatus, OutcomeKind};
use crate::meeting::{
    AgendaItemFields, AgendaItemInput, Attendance, Attendee, AttendeeInput, KnownRecords, MeetingLog,
    MeetingRecords, Outcome, limits, present_people,
};
use crate::text;

/// Why an edit of a meeting's parts was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingEditError {
    /// The meeting has no part of this kind with this id.
    #[error("the meeting has no {part} {id}")]
    NotFound { part: &'static str, id: Uuid },
    /// The edit would break a rule.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
}

impl From<FieldError> for MeetingEditError {
    fn from(error: FieldError) -> Self {
        Self::Invalid(error.into())
    }
}

impl MeetingRecords {
    fn attendance_index(&self, id: AttendanceId) -> Result<usize, MeetingEditError> {
        self.attendances
            .iter()
            .position(|a| a.id == id)
            .ok_or(MeetingEditError::NotFound {
                part: "attendee",
                id: id.as_uuid(),
            })
    }

    fn agenda_index(&self, id: AgendaItemId) -> Result<usize, MeetingEditError> {
        self.agenda
            .iter()
            .position(|item| item.id == id)
            .ok_or(MeetingEditError::NotFound {
                part: "agenda item",
                id: id.as_uuid(),
            })
    }

    fn outcome_index(&self, id: OutcomeId) -> Result<usize, MeetingEditError> {
        self.outcomes
            .iter()
            .position(|outcome| outcome.id == id)
            .ok_or(MeetingEditError::NotFound {
                part: "outcome",
                id: id.as_uuid(),
            })
    }

    /// Fails if `attendance` presents an agenda item.
    fn ensure_not_presenting(
        &self,
        attendance: &Attendance,
        field: &str,
        why: &str,
    ) -> Result<(), MeetingEditError> {
        if let Attendee::Representative(person) = attendance.attendee
            && let Some(item) = self
                .agenda
                .iter()
                .find(|item| item.presenter_ids.contains(&person))
        {
            return Err(FieldError::new(
                field,
                format!(
                    "{why}: representative {person} presents agenda item {} ({})",
                    item.position, item.title
                ),
            )
            .into());
        }
        Ok(())
    }

    /// Adds an attendee, checked against what the database holds.
    pub fn add_attendee(
        &mut self,
        input: &AttendeeInput,
        known: &KnownRecords,
    ) -> Result<AttendanceId, MeetingEditError> {
        if self.attendances.len() >= limits::ATTENDEES {
            return Err(
                FieldError::new("attendees", format!("at most {} attendees", limits::ATTENDEES)).into(),
            );
        }
        if self.attendances.iter().any(|a| a.attendee == input.attendee) {
            return Err(FieldError::new(
                attendee_field(input.attendee),
                "is already an attendee of the meeting",
            )
            .into());
        }
        let organisation_id = match input.attendee {
            Attendee::Organisation(id) => {
                known.live_organisation("organisation_id", id)?;
                id
            }
            Attendee::Representative(id) => known
                .live_representative("representative_id", id)?
                .organisation_on(self.meeting.details.date())
                .ok_or_else(|| FieldError::new("representative_id", "has no affiliation"))?,
        };
        let attendance = Attendance {
            id: AttendanceId::new(),
            meeting_id: self.meeting.id,
            attendee: input.attendee,
            organisation_id,
            role: input.role,
            status: input.status,
        };
        let id = attendance.id;
        self.attendances.push(attendance);
        Ok(id)
    }

    /// Changes an attendee's role or status. An attendee who presents cannot
    /// become absent.
    pub fn update_attendee(
        &mut self,
        id: AttendanceId,
        role: Option<AttendanceRole>,
        status: Option<AttendanceStatus>,
    ) -> Result<(), MeetingEditError> {
        let index = self.attendance_index(id)?;
        if status == Some(AttendanceStatus::Absent) {
            self.ensure_not_presenting(&self.attendances[index], "status", "cannot be absent")?;
        }
        let attendance = &mut self.attendances[index];
        if let Some(role) = role {
            attendance.role = role;
        }
        if let Some(status) = status {
            attendance.status = status;
        }
        Ok(())
    }

    /// Removes an attendee who presents nothing.
    pub fn remove_attendee(&mut self, id: AttendanceId) -> Result<(), MeetingEditError> {
        let index = self.attendance_index(id)?;
        self.ensure_not_presenting(&self.attendances[index], "id", "cannot be removed")?;
        self.attendances.remove(index);
        Ok(())
    }

    fn validate_item(&self, input: &AgendaItemInput) -> Result<AgendaItemFields, MeetingEditError> {
        let present = present_people(self.attendances.iter().map(|a| (a.attendee, a.status)));
        Ok(AgendaItemFields::parse(input, &present)?)
    }

    fn renumber_agenda(&mut self) {
        for (item, position) in self.agenda.iter_mut().zip(1..) {
            item.position = position;
        }
    }

    fn renumber_outcomes(&mut self) {
        for (outcome, position) in self.outcomes.iter_mut().zip(1..) {
            outcome.position = position;
        }
    }

    /// Adds an agenda item at `position` (1-based; the end when absent).
    pub fn add_agenda_item(
        &mut self,
        input: &AgendaItemInput,
        position: Option<u32>,
    ) -> Result<AgendaItemId, MeetingEditError> {
        if self.agenda.len() >= limits::AGENDA_ITEMS {
            return Err(
                FieldError::new("agenda", format!("at most {} agenda items", limits::AGENDA_ITEMS)).into(),
            );
        }
        let valid = self.validate_item(input)?;
        let last = u32::try_from(self.agenda.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let position = position.unwrap_or(last);
        if !(1..=last).contains(&position) {
            return Err(FieldError::new("position", format!("must be between 1 and {last}")).into());
        }
        let item = valid.into_item(AgendaItemId::new(), self.meeting.id, position);
        let id = item.id;
        let index = usize::try_from(position - 1).unwrap_or(self.agenda.len());
        self.agenda.insert(index.min(self.agenda.len()), item);
        self.renumber_agenda();
        Ok(id)
    }

    /// Replaces an agenda item's fields (its position stays).
    pub fn update_agenda_item(
        &mut self,
        id: AgendaItemId,
        input: &AgendaItemInput,
    ) -> Result<(), MeetingEditError> {
        let index = self.agenda_index(id)?;
        let valid = self.validate_item(input)?;
        let item = &mut self.agenda[index];
        item.title = valid.title;
        item.description = valid.description;
        item.presenter_ids = valid.presenter_ids;
        item.duration_minutes = valid.duration_minutes;
        item.tags = valid.tags;
        Ok(())
    }

    /// Removes an agenda item; outcomes that pointed at it no longer do, and
    /// the items after it move up.
    pub fn remove_agenda_item(&mut self, id: AgendaItemId) -> Result<(), MeetingEditError> {
        let index = self.agenda_index(id)?;
        self.agenda.remove(index);
        for outcome in &mut self.outcomes {
            if outcome.agenda_item_id == Some(id) {
                outcome.agenda_item_id = None;
            }
        }
        self.renumber_agenda();
        Ok(())
    }

    /// Puts the agenda in the order given: every item, each once.
    pub fn reorder_agenda(&mut self, order: &[AgendaItemId]) -> Result<(), MeetingEditError> {
        let current: HashSet<_> = self.agenda.iter().map(|item| item.id).collect();
        let wanted: HashSet<_> = order.iter().copied().collect();
        if order.len() != self.agenda.len() || wanted != current {
            return Err(FieldError::new(
                "item_ids",
                "must list every agenda item of the meeting exactly once",
            )
            .into());
        }
        self.agenda
            .sort_by_key(|item| order.iter().position(|id| *id == item.id));
        self.renumber_agenda();
        Ok(())
    }

    fn validate_outcome(
        &self,
        text: &str,
        agenda_item_id: Option<AgendaItemId>,
    ) -> Result<String, MeetingEditError> {
        let text = text::required_block("text", text, MeetingLog::OUTCOME_TEXT_MAX)?;
        if let Some(item) = agenda_item_id
            && !self.agenda.iter().any(|i| i.id == item)
        {
            return Err(
                FieldError::new("agenda_item_id", format!("the meeting has no agenda item {item}")).into(),
            );
        }
        Ok(text)
    }

    /// Records an outcome, after the others.
    pub fn add_outcome(
        &mut self,
        kind: OutcomeKind,
        text: &str,
        agenda_item_id: Option<AgendaItemId>,
    ) -> Result<OutcomeId, MeetingEditError> {
        if self.outcomes.len() >= limits::OUTCOMES {
            return Err(FieldError::new("outcomes", format!("at most {} outcomes", limits::OUTCOMES)).into());
        }
        let text = self.validate_outcome(text, agenda_item_id)?;
        let outcome = Outcome {
            id: OutcomeId::new(),
            meeting_id: self.meeting.id,
            position: 0,
            kind,
            text,
            agenda_item_id,
        };
        let id = outcome.id;
        self.outcomes.push(outcome);
        self.renumber_outcomes();
        Ok(id)
    }

    pub fn update_outcome(
        &mut self,
        id: OutcomeId,
        kind: OutcomeKind,
        text: &str,
        agenda_item_id: Option<AgendaItemId>,
    ) -> Result<(), MeetingEditError> {
        let index = self.outcome_index(id)?;
        let text = self.validate_outcome(text, agenda_item_id)?;
        let outcome = &mut self.outcomes[index];
        outcome.kind = kind;
        outcome.text = text;
        outcome.agenda_item_id = agenda_item_id;
        Ok(())
    }

    /// Removes an outcome; follow-ups that came from it keep existing, no
    /// longer linked to it.
    pub fn remove_outcome(&mut self, id: OutcomeId) -> Result<(), MeetingEditError> {
        let index = self.outcome_index(id)?;
        self.outcomes.remove(index);
        for follow_up in &mut self.follow_ups {
            if follow_up.outcome_id == Some(id) {
                follow_up.outcome_id = None;
            }
        }
        self.renumber_outcomes();
        Ok(())
    }
}

/// Which of a logged meeting's agenda items and outcomes the rows of a
/// revision are (`None`: added by it), index by index of the revision's
/// agenda and outcomes. Attendances need no ids: an attendee is one person
/// or organisation once per meeting, and keeps its attendance.
#[derive(Debug, Clone, Default)]
pub struct RevisedParts {
    pub agenda: Vec<Option<AgendaItemId>>,
    pub outcomes: Vec<Option<OutcomeId>>,
}

impl MeetingRecords {
    /// The meeting as `log` describes it whole (its fields, attendees,
    /// agenda and outcomes), each part that `parts` names keeping its id;
    /// the follow-ups `log` holds are added to the meeting's own, which
    /// stay (they are records of their own, changed on their pages). An id
    /// that is not this meeting's, or named twice, is a part added.
    /// The version is left to the caller, who writes it.
    pub fn revised(
        &self,
        log: MeetingLog,
        parts: &RevisedParts,
        known: &KnownRecords,
        now: DateTime<Utc>,
    ) -> Result<MeetingRecords, MeetingEditError> {
        let mut next = log.build_records(known, now, Some(self))?;
        let mut agenda_ids = HashMap::new();
        let mut taken = HashSet::new();
        for (item, kept) in next.agenda.iter_mut().zip(&parts.agenda) {
            if let Some(kept) = kept
                && self.agenda.iter().any(|old| old.id == *kept)
                && taken.insert(kept.as_uuid())
            {
                agenda_ids.insert(item.id, *kept);
                item.id = *kept;
            }
        }
        let mut outcome_ids = HashMap::new();
        for (outcome, kept) in next.outcomes.iter_mut().zip(&parts.outcomes) {
            if let Some(item) = outcome.agenda_item_id
                && let Some(kept_item) = agenda_ids.get(&item)
            {
                outcome.agenda_item_id = Some(*kept_item);
            }
            if let Some(kept) = kept
                && self.outcomes.iter().any(|old| old.id == *kept)
                && taken.insert(kept.as_uuid())
            {
                outcome_ids.insert(outcome.id, *kept);
                outcome.id = *kept;
            }
        }
        let added = std::mem::take(&mut next.follow_ups);
        // The meeting's follow-ups stay; one whose outcome is gone is no
        // longer linked to it (as the database's foreign key does).
        next.follow_ups = self
            .follow_ups
            .iter()
            .cloned()
            .map(|mut follow_up| {
                if follow_up
                    .outcome_id
                    .is_some_and(|outcome| !next.outcomes.iter().any(|o| o.id == outcome))
                {
                    follow_up.outcome_id = None;
                }
                follow_up
            })
            .collect();
        for mut follow_up in added {
            if let Some(outcome) = follow_up.outcome_id
                && let Some(kept) = outcome_ids.get(&outcome)
            {
                follow_up.outcome_id = Some(*kept);
            }
            next.follow_ups.push(follow_up);
        }
        Ok(next)
    }
}

fn attendee_field(attendee: Attendee) -> &'static str {
    match attendee {
        Attendee::Representative(_) => "representative_id",
        Attendee::Organisation(_) => "organisation_id",
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};

    use super::*;
    use crate::ids::{OrganisationId, RepresentativeId};
    use crate::kinds::MeetingKind;
    use crate::meeting::{KnownRepresentative, MeetingInput, MeetingLogInput, OutcomeInput};
    use crate::representative::Affiliation;
    use crate::time;

    fn now() -> DateTime<Utc> {
        "2024-04-29T08:00:00Z".parse().unwrap()
    }

    fn setup() -> (MeetingRecords, KnownRecords, [RepresentativeId; 3]) {
        let host = OrganisationId::new();
        let people = [
            RepresentativeId::new(),
            RepresentativeId::new(),
            RepresentativeId::new(),
        ];
        let mut known = KnownRecords::default();
        known.organisations.insert(host, false);
        for person in people {
            known.representatives.insert(
                person,
                KnownRepresentative {
                    archived: false,
                    restricted: false,
                    affiliations: vec![Affiliation::first(person, host, None)],
                },
            );
        }
        let attend = |id| AttendeeInput {
            attendee: Attendee::Representative(id),
            role: AttendanceRole::Participant,
            status: AttendanceStatus::Attended,
        };
        let input = MeetingLogInput {
            meeting: MeetingInput {
                title: "Styrgrupp".into(),
                kind: Some(MeetingKind::SteeringGroup),
                starts_at: Some(time::day_start(NaiveDate::from_ymd_opt(2024, 4, 26).unwrap())),
                all_day: true,
                ..MeetingInput::default()
            },
            attendees: vec![attend(people[0]), attend(people[1])],
            agenda: vec![
                AgendaItemInput {
                    title: "Ett".into(),
                    presenter_ids: vec![people[0]],
                    ..Default::default()
                },
                AgendaItemInput {
                    title: "Två".into(),
                    ..Default::default()
                },
            ],
            outcomes: vec![OutcomeInput {
                kind: OutcomeKind::Decision,
                text: "Beslut".into(),
                agenda_index: Some(1),
            }],
            follow_ups: vec![],
        };
        let records = MeetingLog::parse(input, now())
            .unwrap()
            .into_records(&known, now())
            .unwrap();
        (records, known, people)
    }

    fn item(title: &str, presenters: Vec<RepresentativeId>) -> AgendaItemInput {
        AgendaItemInput {
            title: title.into(),
            presenter_ids: presenters,
            ..Default::default()
        }
    }

    #[test]
    fn an_added_attendee_may_then_present() {
        let (mut records, known, people) = setup();
        assert!(
            records
                .add_agenda_item(&item("Tre", vec![people[2]]), None)
                .is_err()
        );
        let input = AttendeeInput {
            attendee: Attendee::Representative(people[2]),
            role: AttendanceRole::Presenter,
            status: AttendanceStatus::Confirmed,
        };
        records.add_attendee(&input, &known).unwrap();
        assert!(records.add_attendee(&input, &known).is_err(), "not twice");
        records
            .add_agenda_item(&item("Tre", vec![people[2]]), Some(1))
            .unwrap();
        let titles: Vec<_> = records
            .agenda
            .iter()
            .map(|i| (i.position, i.title.as_str()))
            .collect();
        assert_eq!(titles, [(1, "Tre"), (2, "Ett"), (3, "Två")]);
    }

    #[test]
    fn a_presenter_cannot_be_removed_or_made_absent() {
        let (mut records, _, _) = setup();
        let presenter = records.attendances[0].id;
        assert!(matches!(
            records.remove_attendee(presenter),
            Err(MeetingEditError::Invalid(_))
        ));
        assert!(
            records
                .update_attendee(presenter, None, Some(AttendanceStatus::Absent))
                .is_err()
        );
        let other = records.attendances[1].id;
        records
            .update_attendee(other, Some(AttendanceRole::Guest), Some(AttendanceStatus::Absent))
            .unwrap();
        records.remove_attendee(other).unwrap();
        assert_eq!(records.attendances.len(), 1);
    }

    #[test]
    fn removing_an_item_renumbers_and_unlinks_outcomes() {
        let (mut records, _, _) = setup();
        let first = records.agenda[0].id;
        let second = records.agenda[1].id;
        records.remove_agenda_item(second).unwrap();
        assert_eq!(records.outcomes[0].agenda_item_id, None);
        records.add_agenda_item(&item("Ny", vec![]), None).unwrap();
        records.remove_agenda_item(first).unwrap();
        assert_eq!(records.agenda.iter().map(|i| i.position).collect::<Vec<_>>(), [1]);
        assert_eq!(records.agenda[0].title, "Ny");
    }

    #[test]
    fn reordering_needs_every_item_once() {
        let (mut records, _, _) = setup();
        let ids: Vec<_> = records.agenda.iter().map(|i| i.id).collect();
        assert!(records.reorder_agenda(&[ids[0]]).is_err());
        assert!(records.reorder_agenda(&[ids[0], ids[0]]).is_err());
        records.reorder_agenda(&[ids[1], ids[0]]).unwrap();
        assert_eq!(records.agenda[0].id, ids[1]);
        assert_eq!(records.agenda[0].position, 1);
    }

    #[test]
    fn unknown_parts_are_not_found() {
        let (mut records, _, _) = setup();
        let missing = AgendaItemId::new();
        assert!(matches!(
            records.remove_agenda_item(missing),
            Err(MeetingEditError::NotFound {
                part: "agenda item",
                ..
            })
        ));
        assert!(matches!(
            records.remove_outcome(OutcomeId::new()),
            Err(MeetingEditError::NotFound { .. })
        ));
    }

    #[test]
    fn outcomes_point_at_existing_items() {
        let (mut records, _, _) = setup();
        assert!(
            records
                .add_outcome(OutcomeKind::Risk, "Risk", Some(AgendaItemId::new()))
                .is_err()
        );
        let id = records.add_outcome(OutcomeKind::Risk, "Risk", None).unwrap();
        assert_eq!(records.outcomes[1].position, 2);
        records
            .update_outcome(id, OutcomeKind::Question, "Fråga?", Some(records.agenda[0].id))
            .unwrap();
        records.remove_outcome(records.outcomes[0].id).unwrap();
        assert_eq!(records.outcomes[0].position, 1);
        assert_eq!(records.outcomes[0].kind, OutcomeKind::Question);
    }
}
