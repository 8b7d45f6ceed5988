//! Partnerships between two organisations.

use chrono::NaiveDate;

use crate::error::ValidationErrors;
use crate::ids::{OrganisationId, PartnershipId, RepresentativeId};
use crate::kinds::{PartnershipKind, PartnershipStatus};
use crate::record::RecordMeta;
use crate::text;

/// What a client sends to create or replace a partnership.
#[derive(Debug, Clone, Default)]
pub struct PartnershipInput {
    pub organisation_ids: [Option<OrganisationId>; 2],
    pub kind: Option<PartnershipKind>,
    pub status: Option<PartnershipStatus>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub responsible_representative_id: Option<RepresentativeId>,
    pub goals: Option<String>,
}

/// A partnership's validated data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnershipDetails {
    /// The two parties, always different organisations.
    pub organisation_ids: [OrganisationId; 2],
    pub kind: PartnershipKind,
    pub status: PartnershipStatus,
    pub started_on: Option<NaiveDate>,
    /// Only an ended partnership has an end date, never before its start.
    pub ended_on: Option<NaiveDate>,
    pub responsible_representative_id: Option<RepresentativeId>,
    pub goals: Option<String>,
}

impl PartnershipDetails {
    pub const GOALS_MAX: usize = 10_000;

    pub fn parse(input: &PartnershipInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let [first, second] = input.organisation_ids;
        for (i, id) in input.organisation_ids.iter().enumerate() {
            if id.is_none() {
                errors.add(format!("organisation_ids[{i}]"), "is required");
            }
        }
        if first.is_some() && first == second {
            errors.add(
                "organisation_ids",
                "a partnership is between two different organisations",
            );
        }
        if input.kind.is_none() {
            errors.add("kind", "is required");
        }
        let status = input.status.unwrap_or(PartnershipStatus::Active);
        if let (Some(start), Some(end)) = (input.started_on, input.ended_on)
            && end < start
        {
            errors.add("ended_on", "must not be before started_on");
        }
        if input.ended_on.is_some() && status != PartnershipStatus::Ended {
            errors.add("ended_on", "only an ended partnership has an end date");
        }
        for (field, date) in [("started_on", input.started_on), ("ended_on", input.ended_on)] {
            if let Some(date) = date {
                errors.collect(crate::time::check_date(field, date));
            }
        }
        let goals = errors.collect(text::optional_block(
            "goals",
            input.goals.as_deref(),
            Self::GOALS_MAX,
        ));
        let (Some(first), Some(second), Some(kind), Some(goals)) = (first, second, input.kind, goals) else {
            return Err(errors);
        };
        errors.finish(|| Self {
            organisation_ids: [first, second],
            kind,
            status,
            started_on: input.started_on,
            ended_on: input.ended_on,
            responsible_representative_id: input.responsible_representative_id,
            goals,
        })
    }

    pub fn to_input(&self) -> PartnershipInput {
        PartnershipInput {
            organisation_ids: self.organisation_ids.map(Some),
            kind: Some(self.kind),
            status: Some(self.status),
            started_on: self.started_on,
            ended_on: self.ended_on,
            responsible_representative_id: self.responsible_representative_id,
            goals: self.goals.clone(),
        }
    }

    pub fn involves(&self, organisation_id: OrganisationId) -> bool {
        self.organisation_ids.contains(&organisation_id)
    }
}

/// A partnership between two organisations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partnership {
    pub id: PartnershipId,
    pub details: PartnershipDetails,
    pub meta: RecordMeta,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn input() -> PartnershipInput {
        PartnershipInput {
            organisation_ids: [Some(OrganisationId::new()), Some(OrganisationId::new())],
            kind: Some(PartnershipKind::Strategic),
            ..PartnershipInput::default()
        }
    }

    #[test]
    fn a_partnership_defaults_to_active() {
        assert_eq!(
            PartnershipDetails::parse(&input()).unwrap().status,
            PartnershipStatus::Active
        );
    }

    #[test]
    fn an_organisation_cannot_partner_with_itself() {
        let mut raw = input();
        raw.organisation_ids[1] = raw.organisation_ids[0];
        assert_eq!(
            PartnershipDetails::parse(&raw).unwrap_err().errors()[0].field,
            "organisation_ids"
        );
    }

    #[test]
    fn an_end_comes_after_the_start_and_only_when_ended() {
        let mut raw = input();
        raw.started_on = Some(date(2024, 1, 1));
        raw.ended_on = Some(date(2023, 12, 31));
        raw.status = Some(PartnershipStatus::Ended);
        assert!(PartnershipDetails::parse(&raw).is_err());
        raw.ended_on = Some(date(2024, 12, 31));
        assert!(PartnershipDetails::parse(&raw).is_ok());
        raw.status = Some(PartnershipStatus::Active);
        assert!(PartnershipDetails::parse(&raw).is_err());
    }
}
