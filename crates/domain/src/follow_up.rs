//! Follow-ups: what a meeting (and often one of its outcomes) led someone
//! to do.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{FieldError, ValidationErrors};
use crate::ids::{FollowUpId, MeetingId, OrganisationId, OutcomeId, RepresentativeId};
use crate::kinds::FollowUpStatus;
use crate::record::RecordMeta;
use crate::{text, time};

/// What a client sends to create or replace a follow-up's own fields.
#[derive(Debug, Clone, Default)]
pub struct FollowUpInput {
    pub title: String,
    pub details: Option<String>,
    pub owner_id: Option<RepresentativeId>,
    pub organisation_id: Option<OrganisationId>,
    pub due_on: Option<NaiveDate>,
    pub status: Option<FollowUpStatus>,
    /// For one that is done: the Stockholm day it was done, when that was
    /// not today (a strategist logging last spring's meetings). Not one of
    /// its fields: it says when `completed_at` is (see
    /// [`FollowUp::stated_completion`]).
    pub completed_on: Option<NaiveDate>,
}

/// A follow-up's validated fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpDetails {
    pub title: String,
    pub details: Option<String>,
    /// The representative who is to do it.
    pub owner_id: Option<RepresentativeId>,
    /// The organisation answerable for it.
    pub organisation_id: Option<OrganisationId>,
    pub due_on: Option<NaiveDate>,
    pub status: FollowUpStatus,
}

impl FollowUpDetails {
    pub const TITLE_MAX: usize = 300;
    pub const DETAILS_MAX: usize = 10_000;

    pub fn parse(input: &FollowUpInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.collect(text::required_line("title", &input.title, Self::TITLE_MAX));
        let details = errors.collect(text::optional_block(
            "details",
            input.details.as_deref(),
            Self::DETAILS_MAX,
        ));
        if let Some(due_on) = input.due_on {
            errors.collect(time::check_date("due_on", due_on));
        }
        let (Some(title), Some(details)) = (title, details) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            title,
            details,
            owner_id: input.owner_id,
            organisation_id: input.organisation_id,
            due_on: input.due_on,
            status: input.status.unwrap_or(FollowUpStatus::Open),
        })
    }

    pub fn to_input(&self) -> FollowUpInput {
        FollowUpInput {
            title: self.title.clone(),
            details: self.details.clone(),
            owner_id: self.owner_id,
            organisation_id: self.organisation_id,
            due_on: self.due_on,
            status: Some(self.status),
            completed_on: None,
        }
    }
}

/// A follow-up of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub meeting_id: MeetingId,
    /// The outcome it came from, where there is one.
    pub outcome_id: Option<OutcomeId>,
    pub details: FollowUpDetails,
    /// When it was done: set on entering `done`, cleared on leaving it.
    pub completed_at: Option<DateTime<Utc>>,
    pub meta: RecordMeta,
}

impl FollowUp {
    /// A follow-up of `meeting_id`; one created done was completed at
    /// `stated_completion` (see [`FollowUp::stated_completion`]) or now.
    pub fn new(
        meeting_id: MeetingId,
        outcome_id: Option<OutcomeId>,
        details: FollowUpDetails,
        stated_completion: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        let completed_at = (details.status == FollowUpStatus::Done).then(|| stated_completion.unwrap_or(now));
        Self {
            id: FollowUpId::new(),
            meeting_id,
            outcome_id,
            details,
            completed_at,
            meta: RecordMeta::new(now),
        }
    }

    /// Replaces the fields, keeping `completed_at` true to the status: a
    /// follow-up that becomes done is completed at `stated_completion` or
    /// now, one that is reopened is no longer completed, and one that stays
    /// done keeps its date unless another is stated.
    pub fn revise(
        &mut self,
        details: FollowUpDetails,
        stated_completion: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) {
        let was_done = self.details.status == FollowUpStatus::Done;
        let is_done = details.status == FollowUpStatus::Done;
        self.completed_at = match (was_done, is_done) {
            (false, true) => Some(stated_completion.unwrap_or(now)),
            (true, true) => stated_completion.or(self.completed_at).or(Some(now)),
            (_, false) => None,
        };
        self.details = details;
    }

    /// When a follow-up with `status` was completed, as its input says:
    /// `completed_on`, a Stockholm day not after today and not before the
    /// day of its meeting (which began at `meeting_starts_at`). Today is
    /// now; an earlier day is its first instant, or the meeting's start when
    /// the meeting began later that day (done, at the earliest, when the
    /// meeting was). `None` when the input names no day; refused for a
    /// follow-up that is not done.
    pub fn stated_completion(
        completed_on: Option<NaiveDate>,
        status: FollowUpStatus,
        meeting_starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, FieldError> {
        let Some(day) = completed_on else {
            return Ok(None);
        };
        const FIELD: &str = "completed_on";
        if status != FollowUpStatus::Done {
            return Err(FieldError::new(
                FIELD,
                "only a follow-up that is done has a completion day",
            ));
        }
        let today = time::local_date(now);
        if day > today {
            return Err(FieldError::new(
                FIELD,
                format!("{day} is in the future (today is {today})"),
            ));
        }
        let meeting_day = time::local_date(meeting_starts_at);
        if day < meeting_day {
            return Err(FieldError::new(
                FIELD,
                format!("{day} is before the follow-up's meeting ({meeting_day})"),
            ));
        }
        Ok(Some(if day == today {
            now
        } else {
            time::day_start(day).max(meeting_starts_at)
        }))
    }

    /// Open or in progress, and due before `today` (a Stockholm date).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.details.status.is_pending() && self.details.due_on.is_some_and(|due| due < today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(status: FollowUpStatus) -> FollowUpDetails {
        FollowUpDetails::parse(&FollowUpInput {
            title: "Boka studiebesök på GKN Aerospace".into(),
            status: Some(status),
            due_on: NaiveDate::from_ymd_opt(2024, 6, 14),
            ..FollowUpInput::default()
        })
        .unwrap()
    }

    fn at(rfc3339: &str) -> DateTime<Utc> {
        rfc3339.parse().unwrap()
    }

    #[test]
    fn a_follow_up_needs_a_title() {
        let errors = FollowUpDetails::parse(&FollowUpInput::default()).unwrap_err();
        assert_eq!(errors.errors()[0].field, "title");
    }

    #[test]
    fn completing_sets_and_reopening_clears_completed_at() {
        let mut follow_up = FollowUp::new(
            MeetingId::new(),
            None,
            details(FollowUpStatus::Open),
            None,
            at("2024-04-26T10:00:00Z"),
        );
        assert_eq!(follow_up.completed_at, None);
        follow_up.revise(details(FollowUpStatus::Done), None, at("2024-05-02T09:00:00Z"));
        assert_eq!(follow_up.completed_at, Some(at("2024-05-02T09:00:00Z")));
        follow_up.revise(details(FollowUpStatus::Done), None, at("2024-05-03T09:00:00Z"));
        assert_eq!(
            follow_up.completed_at,
            Some(at("2024-05-02T09:00:00Z")),
            "staying done keeps the date"
        );
        follow_up.revise(
            details(FollowUpStatus::InProgress),
            None,
            at("2024-05-04T09:00:00Z"),
        );
        assert_eq!(follow_up.completed_at, None);
    }

    #[test]
    fn created_done_is_completed_at_creation() {
        let follow_up = FollowUp::new(
            MeetingId::new(),
            None,
            details(FollowUpStatus::Done),
            None,
            at("2024-04-26T10:00:00Z"),
        );
        assert_eq!(follow_up.completed_at, Some(at("2024-04-26T10:00:00Z")));
    }

    #[test]
    fn only_pending_follow_ups_past_their_due_date_are_overdue() {
        let due = NaiveDate::from_ymd_opt(2024, 6, 14).unwrap();
        let open = FollowUp::new(
            MeetingId::new(),
            None,
            details(FollowUpStatus::Open),
            None,
            at("2024-04-26T10:00:00Z"),
        );
        assert!(!open.is_overdue(due), "due today is not overdue");
        assert!(open.is_overdue(due.succ_opt().unwrap()));
        let done = FollowUp::new(
            MeetingId::new(),
            None,
            details(FollowUpStatus::Done),
            None,
            at("2024-04-26T10:00:00Z"),
        );
        assert!(!done.is_overdue(due.succ_opt().unwrap()));
    }

    #[test]
    fn a_stated_completion_day_is_checked_and_kept() {
        let meeting = at("2024-04-26T07:00:00Z"); // 09:00 in Stockholm
        let now = at("2024-12-01T10:00:00Z");
        let day = |d: &str| Some(d.parse::<NaiveDate>().unwrap());
        let stated = |on| FollowUp::stated_completion(on, FollowUpStatus::Done, meeting, now);
        assert_eq!(stated(None), Ok(None));
        // A later day: its first instant in Stockholm.
        assert_eq!(stated(day("2024-05-14")), Ok(Some(at("2024-05-13T22:00:00Z"))));
        // The meeting's own day: not before the meeting began.
        assert_eq!(stated(day("2024-04-26")), Ok(Some(meeting)));
        // Today: now.
        assert_eq!(stated(day("2024-12-01")), Ok(Some(now)));
        for refused in ["2024-12-02", "2024-04-25"] {
            assert_eq!(
                stated(day(refused)).unwrap_err().field,
                "completed_on",
                "{refused}"
            );
        }
        let open = FollowUp::stated_completion(day("2024-05-14"), FollowUpStatus::Open, meeting, now);
        assert_eq!(open.unwrap_err().field, "completed_on");

        let mut follow_up = FollowUp::new(
            MeetingId::new(),
            None,
            details(FollowUpStatus::Open),
            None,
            meeting,
        );
        let may = at("2024-05-13T22:00:00Z");
        follow_up.revise(details(FollowUpStatus::Done), Some(may), now);
        assert_eq!(follow_up.completed_at, Some(may));
        follow_up.revise(details(FollowUpStatus::Done), None, now);
        assert_eq!(
            follow_up.completed_at,
            Some(may),
            "staying done keeps the stated day"
        );
        let created = FollowUp::new(
            MeetingId::new(),
            None,
            details(FollowUpStatus::Done),
            Some(may),
            now,
        );
        assert_eq!(created.completed_at, Some(may));
    }
}
