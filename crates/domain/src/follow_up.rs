//! Follow-ups: what a meeting (and often one of its outcomes) led someone
//! to do.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::ValidationErrors;
use crate::ids::{FollowUpId, MeetingId, OrganisationId, OutcomeId, RepresentativeId};
use crate::kinds::FollowUpStatus;
use crate::record::RecordMeta;
use crate::text;

/// What a client sends to create or replace a follow-up's own fields.
#[derive(Debug, Clone, Default)]
pub struct FollowUpInput {
    pub title: String,
    pub details: Option<String>,
    pub owner_id: Option<RepresentativeId>,
    pub organisation_id: Option<OrganisationId>,
    pub due_on: Option<NaiveDate>,
    pub status: Option<FollowUpStatus>,
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
            errors.collect(crate::time::check_date("due_on", due_on));
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
    pub fn new(
        meeting_id: MeetingId,
        outcome_id: Option<OutcomeId>,
        details: FollowUpDetails,
        now: DateTime<Utc>,
    ) -> Self {
        let completed_at = (details.status == FollowUpStatus::Done).then_some(now);
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
    /// follow-up that becomes done is completed now, one that is reopened is
    /// no longer completed, and one that stays done keeps its date.
    pub fn revise(&mut self, details: FollowUpDetails, now: DateTime<Utc>) {
        let was_done = self.details.status == FollowUpStatus::Done;
        let is_done = details.status == FollowUpStatus::Done;
        self.completed_at = match (was_done, is_done) {
            (false, true) => Some(now),
            (true, true) => self.completed_at.or(Some(now)),
            (_, false) => None,
        };
        self.details = details;
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
            at("2024-04-26T10:00:00Z"),
        );
        assert_eq!(follow_up.completed_at, None);
        follow_up.revise(details(FollowUpStatus::Done), at("2024-05-02T09:00:00Z"));
        assert_eq!(follow_up.completed_at, Some(at("2024-05-02T09:00:00Z")));
        follow_up.revise(details(FollowUpStatus::Done), at("2024-05-03T09:00:00Z"));
        assert_eq!(
            follow_up.completed_at,
            Some(at("2024-05-02T09:00:00Z")),
            "staying done keeps the date"
        );
        follow_up.revise(details(FollowUpStatus::InProgress), at("2024-05-04T09:00:00Z"));
        assert_eq!(follow_up.completed_at, None);
    }

    #[test]
    fn created_done_is_completed_at_creation() {
        let follow_up = FollowUp::new(
            MeetingId::new(),
            None,
            details(FollowUpStatus::Done),
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
            at("2024-04-26T10:00:00Z"),
        );
        assert!(!open.is_overdue(due), "due today is not overdue");
        assert!(open.is_overdue(due.succ_opt().unwrap()));
        let done = FollowUp::new(
            MeetingId::new(),
            None,
            details(FollowUpStatus::Done),
            at("2024-04-26T10:00:00Z"),
        );
        assert!(!done.is_overdue(due.succ_opt().unwrap()));
    }
}
