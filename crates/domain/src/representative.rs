//! Representatives: people acting for an organisation, and the history of
//! whom they acted for.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use crate::contact::{Email, Phone};
use crate::error::{FieldError, ValidationErrors};
use crate::ids::{AffiliationId, OrganisationId, RepresentativeId};
use crate::record::RecordMeta;
use crate::text;

/// A person's name as they are known: a full name, or a first name alone
/// (the seed names pupils so).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        text::required_line(field, raw, Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn folded(&self) -> String {
        text::fold(&self.0)
    }

    pub fn sort_key(&self) -> String {
        text::sort_key(&self.0)
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a client sends to create or replace a representative.
#[derive(Debug, Clone, Default)]
pub struct RepresentativeInput {
    pub full_name: String,
    pub organisation_id: Option<OrganisationId>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
    /// A child (a pupil, say). Of a minor only the name and the affiliation
    /// are kept: no contact details, no notes.
    pub is_minor: bool,
}

/// A representative's validated personal data. The organisation and title
/// live in [`Affiliation`]s, since they change over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentativeDetails {
    pub full_name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub notes: Option<String>,
    pub is_minor: bool,
}

/// A validated representative together with the affiliation it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentativeDraft {
    pub details: RepresentativeDetails,
    pub organisation_id: OrganisationId,
    pub title: Option<String>,
}

impl RepresentativeDraft {
    pub const TITLE_MAX: usize = 200;
    pub const NOTES_MAX: usize = 5_000;

    pub fn parse(input: &RepresentativeInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let full_name = errors.collect(PersonName::parse("full_name", &input.full_name));
        if input.organisation_id.is_none() {
            errors.add("organisation_id", "is required");
        }
        let title = errors.collect(text::optional_line(
            "title",
            input.title.as_deref(),
            Self::TITLE_MAX,
        ));
        let email = errors.collect(
            input
                .email
                .as_deref()
                .filter(|raw| !raw.trim().is_empty())
                .map(|raw| Email::parse("email", raw))
                .transpose(),
        );
        let phone = errors.collect(
            input
                .phone
                .as_deref()
                .filter(|raw| !raw.trim().is_empty())
                .map(|raw| Phone::parse("phone", raw))
                .transpose(),
        );
        let notes = errors.collect(text::optional_block(
            "notes",
            input.notes.as_deref(),
            Self::NOTES_MAX,
        ));
        if input.is_minor {
            // Data minimisation: nothing beyond the name and affiliation.
            for (field, present) in [
                ("email", matches!(email, Some(Some(_)))),
                ("phone", matches!(phone, Some(Some(_)))),
                ("notes", matches!(notes, Some(Some(_)))),
            ] {
                if present {
                    errors.add(field, "is not kept for a minor");
                }
            }
        }
        let (Some(full_name), Some(organisation_id), Some(title), Some(email), Some(phone), Some(notes)) =
            (full_name, input.organisation_id, title, email, phone, notes)
        else {
            return Err(errors);
        };
        errors.finish(|| Self {
            details: RepresentativeDetails {
                full_name,
                email,
                phone,
                notes,
                is_minor: input.is_minor,
            },
            organisation_id,
            title,
        })
    }
}

/// One period in which a person represented an organisation under a title.
/// Periods are half-open: `started_on` is the first day, `ended_on` the first
/// day no longer covered. `started_on` is `None` for a person's first known
/// affiliation: it holds for every earlier meeting too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affiliation {
    pub id: AffiliationId,
    pub representative_id: RepresentativeId,
    pub organisation_id: OrganisationId,
    pub title: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

/// How an affiliation changes when a person's organisation or title does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AffiliationChange {
    /// Neither organisation nor title changed.
    Unchanged,
    /// The current period began today: corrected in place rather than
    /// leaving a period of no days behind.
    Corrected(Affiliation),
    /// The current period ends today and a new one begins.
    Succeeded {
        ended: Affiliation,
        started: Affiliation,
    },
}

impl Affiliation {
    /// The first affiliation of a new representative.
    pub fn first(
        representative_id: RepresentativeId,
        organisation_id: OrganisationId,
        title: Option<String>,
    ) -> Self {
        Self {
            id: AffiliationId::new(),
            representative_id,
            organisation_id,
            title,
            started_on: None,
            ended_on: None,
        }
    }

    /// Whether this period covers `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.started_on.is_none_or(|start| start <= date) && self.ended_on.is_none_or(|end| date < end)
    }

    /// [`Self::change_to`] on the day `on` a person moved (a new
    /// organisation or title "from date D"), checked: not after `today`,
    /// and not before the current period began (that would rewrite the
    /// period before it, which past meetings keep).
    pub fn move_on(
        &self,
        organisation_id: OrganisationId,
        title: Option<String>,
        on: NaiveDate,
        today: NaiveDate,
    ) -> Result<AffiliationChange, FieldError> {
        const FIELD: &str = "moves_on";
        if on > today {
            return Err(FieldError::new(
                FIELD,
                format!("{on} is in the future (today is {today})"),
            ));
        }
        if let Some(start) = self.started_on
            && on < start
        {
            return Err(FieldError::new(
                FIELD,
                format!("must not be before the current affiliation began ({start})"),
            ));
        }
        Ok(self.change_to(organisation_id, title, on))
    }

    /// The change that moving this (current) affiliation to `organisation_id`
    /// and `title` on `today` makes, so that the earlier period keeps its dates.
    pub fn change_to(
        &self,
        organisation_id: OrganisationId,
        title: Option<String>,
        today: NaiveDate,
    ) -> AffiliationChange {
        if self.organisation_id == organisation_id && self.title == title {
            return AffiliationChange::Unchanged;
        }
        if self.started_on.is_some_and(|start| start >= today) {
            return AffiliationChange::Corrected(Self {
                organisation_id,
                title,
                ..self.clone()
            });
        }
        AffiliationChange::Succeeded {
            ended: Self {
                ended_on: Some(today),
                ..self.clone()
            },
            started: Self {
                id: AffiliationId::new(),
                representative_id: self.representative_id,
                organisation_id,
                title,
                started_on: Some(today),
                ended_on: None,
            },
        }
    }
}

/// A person acting for an organisation, with their current affiliation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representative {
    pub id: RepresentativeId,
    pub details: RepresentativeDetails,
    pub affiliation: Affiliation,
    pub meta: RecordMeta,
    /// Restricted (GDPR Art. 18, docs/privacy.md): kept, but left out of
    /// lists, search, new meetings and reports until lifted.
    pub restricted_at: Option<DateTime<Utc>>,
    /// Erased (Art. 17): the name is a placeholder and nothing else of the
    /// person is kept; the record no longer changes.
    pub erased_at: Option<DateTime<Utc>>,
}

impl Representative {
    /// The input that would produce this representative again: the starting
    /// point of a partial update.
    pub fn to_input(&self) -> RepresentativeInput {
        RepresentativeInput {
            full_name: self.details.full_name.as_str().to_owned(),
            organisation_id: Some(self.affiliation.organisation_id),
            title: self.affiliation.title.clone(),
            email: self.details.email.as_ref().map(ToString::to_string),
            phone: self.details.phone.as_ref().map(ToString::to_string),
            notes: self.details.notes.clone(),
            is_minor: self.details.is_minor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn input(name: &str) -> RepresentativeInput {
        RepresentativeInput {
            full_name: name.into(),
            organisation_id: Some(OrganisationId::new()),
            ..RepresentativeInput::default()
        }
    }

    #[test]
    fn a_first_name_alone_is_a_name() {
        let draft = RepresentativeDraft::parse(&input("Tilde")).unwrap();
        assert_eq!(draft.details.full_name.as_str(), "Tilde");
    }

    #[test]
    fn a_representative_needs_a_name_and_an_organisation() {
        let errors = RepresentativeDraft::parse(&RepresentativeInput::default()).unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["full_name", "organisation_id"]);
    }

    #[test]
    fn no_contact_details_are_kept_for_a_minor() {
        let mut pupil = input("Arsema");
        pupil.is_minor = true;
        assert!(RepresentativeDraft::parse(&pupil).is_ok());
        pupil.email = Some("arsema@example.se".into());
        pupil.notes = Some("likes welding".into());
        let errors = RepresentativeDraft::parse(&pupil).unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "notes"]);
    }

    #[test]
    fn a_changed_title_ends_the_old_period_and_starts_a_new_one() {
        let first = Affiliation::first(
            RepresentativeId::new(),
            OrganisationId::new(),
            Some("Förbundsstrateg".into()),
        );
        let change = first.change_to(
            first.organisation_id,
            Some("Utvecklingschef".into()),
            date(2025, 1, 15),
        );
        let AffiliationChange::Succeeded { ended, started } = change else {
            panic!("expected a succession, got {change:?}");
        };
        assert_eq!(ended.ended_on, Some(date(2025, 1, 15)));
        assert_eq!(ended.title.as_deref(), Some("Förbundsstrateg"));
        assert_eq!(started.started_on, Some(date(2025, 1, 15)));
        assert!(ended.covers(date(2024, 4, 26)));
        assert!(!ended.covers(date(2025, 1, 15)));
        assert!(started.covers(date(2025, 1, 15)));
        assert!(!started.covers(date(2024, 4, 26)));
    }

    #[test]
    fn a_change_on_the_day_a_period_began_corrects_it() {
        let mut current = Affiliation::first(RepresentativeId::new(), OrganisationId::new(), None);
        current.started_on = Some(date(2025, 1, 15));
        let change = current.change_to(current.organisation_id, Some("Rektor".into()), date(2025, 1, 15));
        assert!(matches!(change, AffiliationChange::Corrected(ref a) if a.id == current.id));
    }

    #[test]
    fn a_move_from_a_past_day_is_checked_against_today_and_the_current_period() {
        let mut current = Affiliation::first(RepresentativeId::new(), OrganisationId::new(), None);
        current.started_on = Some(date(2024, 1, 1));
        let elsewhere = OrganisationId::new();
        let today = date(2025, 3, 1);
        let Ok(AffiliationChange::Succeeded { ended, started }) =
            current.move_on(elsewhere, None, date(2024, 9, 1), today)
        else {
            panic!("a move from a past day succeeds the current period");
        };
        assert_eq!(ended.ended_on, Some(date(2024, 9, 1)));
        assert_eq!(started.started_on, Some(date(2024, 9, 1)));
        assert!(ended.covers(date(2024, 4, 26)) && started.covers(date(2024, 10, 1)));
        let future = current
            .move_on(elsewhere, None, date(2025, 3, 2), today)
            .unwrap_err();
        assert_eq!(future.field, "moves_on");
        let before = current
            .move_on(elsewhere, None, date(2023, 12, 31), today)
            .unwrap_err();
        assert!(before.message.contains("2024-01-01"), "{before:?}");
    }

    #[test]
    fn an_unchanged_affiliation_stays() {
        let current = Affiliation::first(RepresentativeId::new(), OrganisationId::new(), None);
        assert_eq!(
            current.change_to(current.organisation_id, None, date(2025, 1, 1)),
            AffiliationChange::Unchanged
        );
    }
}
