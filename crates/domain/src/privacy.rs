//! Data protection: the rules of erasure (Art. 17), restriction (Art. 18),
//! access (Art. 15) and retention, as plain values. The store applies them;
//! this module decides what an erased person is called, which reasons and
//! settings are valid, who is due for erasure or review, and what an
//! export of a person's data holds.

use chrono::{DateTime, Months, NaiveDate, Utc};

use crate::access::User;
use crate::error::{FieldError, ValidationErrors};
use crate::ids::{AgendaItemId, AuditEventId, FollowUpId, MeetingId, OrganisationId, RepresentativeId};
use crate::kinds::{AttendanceRole, AttendanceStatus, FollowUpStatus, MeetingStatus};
use crate::representative::{Affiliation, Representative};
use crate::text;

/// The name an erased representative keeps, so that a meeting still shows
/// that someone from their organisation took part: "Raderad person 3". One
/// language for everyone: it is stored, and the stored text must not depend
/// on who reads it.
pub fn erased_person_name(sequence: u32) -> String {
    format!("Raderad person {sequence}")
}

/// What reports and exports show instead of a restricted person's name
/// (Art. 18): their rows stay, so that every count does.
pub const RESTRICTED_PERSON_NAME: &str = "Begränsad person";

/// What an export to a file shows instead of a minor's name, unless the
/// caller asks for minors explicitly: the row stays, so every count does.
pub const MINOR_NAME: &str = "Minderårig";

/// What an erased user's e-mail becomes (it must stay unique and parse as
/// an address, and name nobody). `.invalid` is reserved (RFC 2606), so no
/// mail can ever be sent to it.
pub fn erased_user_email(sequence: u32) -> String {
    format!("raderad-{sequence}@raderad.invalid")
}

/// The author an erased user's audit events show instead of their e-mail.
pub fn erased_user_label(sequence: u32) -> String {
    format!("Raderad användare {sequence}")
}

/// Why a person's data was erased: required, one line, and recorded in the
/// audit trail (so it should name no one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureReason(String);

impl ErasureReason {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        text::required_line("reason", raw, Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a data protection request cannot be carried out as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrivacyRefusal {
    /// Erasure is for good: there is nothing left to erase.
    #[error("{entity} {id} was erased on {erased_at} and cannot be erased again")]
    AlreadyErased {
        entity: &'static str,
        id: uuid::Uuid,
        erased_at: DateTime<Utc>,
    },
    /// An erased person cannot be restricted or lifted: nothing of them is
    /// left to restrict.
    #[error("{entity} {id} was erased on {erased_at}: nothing is left to restrict")]
    Erased {
        entity: &'static str,
        id: uuid::Uuid,
        erased_at: DateTime<Utc>,
    },
}

impl PrivacyRefusal {
    /// The field a client is pointed at.
    pub const fn field(&self) -> &'static str {
        "id"
    }
}

/// The retention settings (docs/privacy.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Minors are erased this many days after their last meeting.
    pub minor_days: u32,
    /// Other people without activity for this many years are listed for
    /// review (never erased automatically: whether they are still needed is
    /// a judgement).
    pub review_years: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            minor_days: 365,
            review_years: 5,
        }
    }
}

impl RetentionPolicy {
    /// The most a setting may be: a limit beyond a century is a typing
    /// mistake, and would overflow the date arithmetic long before.
    const MAX_DAYS: u32 = 36_500;
    const MAX_YEARS: u32 = 100;

    pub fn new(minor_days: u32, review_years: u32) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if !(1..=Self::MAX_DAYS).contains(&minor_days) {
            errors.add(
                "retention.minor_days",
                format!("must be 1 to {} days", Self::MAX_DAYS),
            );
        }
        if !(1..=Self::MAX_YEARS).contains(&review_years) {
            errors.add(
                "retention.review_years",
                format!("must be 1 to {} years", Self::MAX_YEARS),
            );
        }
        errors.finish(|| Self {
            minor_days,
            review_years,
        })
    }

    /// The last day of meetings a minor may have had and still be erased on
    /// `today`: their last meeting is on or before it.
    pub fn minor_cutoff(&self, today: NaiveDate) -> NaiveDate {
        today
            .checked_sub_days(chrono::Days::new(u64::from(self.minor_days)))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Activity on or before this day is old enough for review on `today`.
    pub fn review_cutoff(&self, today: NaiveDate) -> NaiveDate {
        today
            .checked_sub_months(Months::new(self.review_years.saturating_mul(12)))
            .unwrap_or(NaiveDate::MIN)
    }

    /// What the policy says of one person on `today`, given the day of
    /// their last meeting (none: never attended or invited) and of the
    /// last change to their record.
    pub fn judge(&self, candidate: &RetentionCandidate, today: NaiveDate) -> Option<RetentionVerdict> {
        if candidate.is_minor {
            // A minor never met is judged by when they were recorded.
            let last = candidate.last_meeting_on.unwrap_or(candidate.last_changed_on);
            return (last <= self.minor_cutoff(today)).then_some(RetentionVerdict::Erase);
        }
        let last = candidate
            .last_meeting_on
            .map_or(candidate.last_changed_on, |met| {
                met.max(candidate.last_changed_on)
            });
        (last <= self.review_cutoff(today)).then_some(RetentionVerdict::Review)
    }
}

/// One person as the retention run sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionCandidate {
    pub id: RepresentativeId,
    pub is_minor: bool,
    /// The Stockholm day of the last meeting they were invited to or
    /// attended.
    pub last_meeting_on: Option<NaiveDate>,
    /// The Stockholm day their record last changed.
    pub last_changed_on: NaiveDate,
}

/// What the retention policy asks for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionVerdict {
    /// A minor past the limit: erased by the run.
    Erase,
    /// No activity for the review period: listed for a person to decide.
    Review,
}

/// The legal basis an organisation relies on (Art. 6(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LegalBasis {
    /// Art. 6(1)(e): a public body's task (municipalities, regions,
    /// universities, public schools).
    #[default]
    PublicTask,
    /// Art. 6(1)(f): the organisation's legitimate interest in its
    /// partnerships.
    LegitimateInterest,
}

impl LegalBasis {
    pub const ALL: [Self; 2] = [Self::PublicTask, Self::LegitimateInterest];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PublicTask => "public_task",
            Self::LegitimateInterest => "legitimate_interest",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|basis| basis.as_str() == raw.trim())
            .ok_or_else(|| FieldError::new(field, "must be public_task or legitimate_interest"))
    }
}

/// What an export tells the person about why and how long their data is
/// kept: the deployment's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcessingTerms {
    /// Who answers for the processing (the organisation running Samverkan).
    pub controller: Option<String>,
    pub legal_basis: LegalBasis,
    pub retention: RetentionPolicy,
}

/// One meeting a person was invited to or attended, as an export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingTaken {
    pub meeting_id: MeetingId,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub meeting_status: MeetingStatus,
    /// Whom they attended for.
    pub organisation: String,
    pub role: AttendanceRole,
    pub status: AttendanceStatus,
}

/// One agenda item a person presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemPresented {
    pub meeting_id: MeetingId,
    pub meeting_title: String,
    pub starts_at: DateTime<Utc>,
    pub agenda_item_id: AgendaItemId,
    pub title: String,
}

/// One follow-up a person owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpOwned {
    pub id: FollowUpId,
    pub meeting_id: MeetingId,
    pub title: String,
    pub status: FollowUpStatus,
    pub due_on: Option<NaiveDate>,
}

/// One audit event that names the person (a change to their record, to a
/// user linked to them), or one they made (a user's own events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: AuditEventId,
    pub occurred_at: DateTime<Utc>,
    /// Who acted: a user's e-mail or a process.
    pub actor: String,
    pub entity: String,
    pub entity_id: uuid::Uuid,
    pub action: String,
    /// The record's fields before and after, as the JSON text stored.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An affiliation with its organisation's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedAffiliation {
    pub affiliation: Affiliation,
    pub organisation: String,
}

/// Everything Samverkan holds about a representative (Art. 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentativeData {
    pub representative: Representative,
    /// Earliest first; the last is current.
    pub affiliations: Vec<NamedAffiliation>,
    /// Earliest first.
    pub meetings: Vec<MeetingTaken>,
    pub presentations: Vec<ItemPresented>,
    pub follow_ups: Vec<FollowUpOwned>,
    /// The user accounts linked to them.
    pub users: Vec<User>,
    /// Oldest first.
    pub audit: Vec<AuditEntry>,
    pub terms: ProcessingTerms,
    /// When the export was made.
    pub made_at: DateTime<Utc>,
}

/// Everything Samverkan holds about a user account (Art. 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserData {
    pub user: User,
    /// Their tokens: names and dates, never secrets (none are kept).
    pub tokens: Vec<crate::access::ApiToken>,
    /// Their web sessions: when, from where, with what browser.
    pub sessions: Vec<SessionSeen>,
    /// Events about the account, and every write they made; oldest first.
    pub audit: Vec<AuditEntry>,
    pub terms: ProcessingTerms,
    pub made_at: DateTime<Utc>,
}

/// A web session as an export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSeen {
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub client_address: Option<String>,
    pub user_agent: Option<String>,
}

/// What the retention run found for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionFinding {
    pub id: RepresentativeId,
    pub organisation_id: OrganisationId,
    pub verdict: RetentionVerdict,
    pub last_meeting_on: Option<NaiveDate>,
    pub last_changed_on: NaiveDate,
}

/// The retention run's reason for one finding, in English (the command
/// line's language).
impl RetentionFinding {
    pub fn reason(&self, policy: &RetentionPolicy) -> String {
        let last = self.last_meeting_on.map_or_else(
            || format!("no meeting; recorded {}", self.last_changed_on),
            |day| format!("last meeting {day}"),
        );
        match self.verdict {
            RetentionVerdict::Erase => format!("minor, {last}: more than {} days ago", policy.minor_days),
            RetentionVerdict::Review => format!(
                "no activity since {}: more than {} years ago; review whether it is still needed",
                self.last_meeting_on
                    .map_or(self.last_changed_on, |day| day.max(self.last_changed_on)),
                policy.review_years
            ),
        }
    }
}

/// The reason the retention run records when it erases a minor.
pub fn retention_reason(policy: &RetentionPolicy) -> ErasureReason {
    ErasureReason(format!(
        "Retention: a minor, more than {} days after their last meeting",
        policy.minor_days
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn pupil(last_meeting_on: Option<NaiveDate>) -> RetentionCandidate {
        RetentionCandidate {
            id: RepresentativeId::new(),
            is_minor: true,
            last_meeting_on,
            last_changed_on: day(2024, 4, 1),
        }
    }

    #[test]
    fn a_minor_is_erased_once_their_last_meeting_is_past_the_limit() {
        let policy = RetentionPolicy::default();
        let met = Some(day(2024, 4, 26));
        assert_eq!(policy.judge(&pupil(met), day(2025, 4, 25)), None);
        assert_eq!(
            policy.judge(&pupil(met), day(2025, 4, 26)),
            Some(RetentionVerdict::Erase)
        );
    }

    #[test]
    fn an_adult_is_only_listed_for_review() {
        let policy = RetentionPolicy::default();
        let adult = RetentionCandidate {
            is_minor: false,
            ..pupil(Some(day(2019, 1, 1)))
        };
        assert_eq!(
            policy.judge(&adult, day(2030, 1, 1)),
            Some(RetentionVerdict::Review)
        );
        assert_eq!(policy.judge(&adult, day(2024, 6, 1)), None);
    }

    #[test]
    fn settings_out_of_range_are_refused_by_name() {
        let errors = RetentionPolicy::new(0, 0).unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["retention.minor_days", "retention.review_years"]);
    }

    #[test]
    fn a_reason_is_required() {
        assert!(ErasureReason::parse("  ").is_err());
        assert_eq!(ErasureReason::parse(" Begäran ").unwrap().as_str(), "Begäran");
    }
}
