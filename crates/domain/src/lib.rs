//! Samverkan's domain model: organisations, their representatives,
//! partnerships, meetings with their attendees, agenda, outcomes and
//! follow-ups.
//!
//! Plain Rust: no SQL, no HTTP, no async. Raw input (`*Input`) becomes a
//! validated value through a `parse` constructor that reports every broken
//! rule with the path of its field; validated values are what the store
//! writes and reads back. Rules that need the database (does this id exist,
//! is it archived) are checked here too, against [`KnownRecords`] the store
//! gathers inside its transaction.

pub mod access;
mod contact;
mod engagement;
mod error;
mod follow_up;
mod ids;
mod kinds;
mod meeting;
mod meeting_edit;
mod organisation;
mod partnership;
pub mod password;
pub mod privacy;
pub mod read_models;
mod record;
mod representative;
pub mod seed;
pub mod text;
pub mod time;

pub use access::{
    ApiToken, MalformedSession, Permission, Session, SessionRefusal, SessionSecret, SignInFailures,
    SignInThrottle, TokenHash, TokenRefusal, TokenSecret, User, UserDetails, UserInput,
};
pub use contact::{Email, OrganisationNumber, Phone, Website};
pub use engagement::{
    EngagementChange, EngagementCounts, EngagementFigures, EngagementRow, EngagementSummary,
    EngagementTotals, FollowUpSummary, FollowUpTally, HealthThresholds, MAX_PERIOD_YEARS, Month, MonthCount,
    OverdueItem, Period, TagCount,
};
pub use error::{FieldError, ValidationErrors};
pub use follow_up::{FollowUp, FollowUpDetails, FollowUpInput};
pub use ids::{
    AffiliationId, AgendaItemId, AttendanceId, AuditEventId, FollowUpId, MeetingId, OrganisationId,
    OutcomeId, PartnershipId, RepresentativeId, SessionId, TokenId, UserId,
};
pub use kinds::{
    AttendanceRole, AttendanceStatus, EngagementSort, FollowUpStatus, Health, Language, MeetingKind,
    MeetingStatus, OrganisationKind, OutcomeKind, PartnershipKind, PartnershipStatus, Role, SortOrder,
};
pub use meeting::{
    AgendaItem, AgendaItemInput, Attendance, Attendee, AttendeeInput, KnownRecords, KnownRepresentative,
    Meeting, MeetingDetails, MeetingFollowUpInput, MeetingInput, MeetingLog, MeetingLogInput, MeetingRecords,
    Outcome, OutcomeInput, ReferencedIds, limits,
};
pub use meeting_edit::{MeetingEditError, RevisedParts};
pub use organisation::{Organisation, OrganisationDetails, OrganisationInput, OrganisationName};
pub use partnership::{Partnership, PartnershipDetails, PartnershipInput};
pub use password::{HashingFailed, Password, PasswordHash};
pub use read_models::{AttendanceExportRow, EngagementReportData, Names, PartnerBrief, TopAttendee};
pub use record::RecordMeta;
pub use representative::{
    Affiliation, AffiliationChange, PersonName, Representative, RepresentativeDetails, RepresentativeDraft,
    RepresentativeInput,
};
pub use text::{Tag, Tags};
