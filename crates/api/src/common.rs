//! What every resource shares: the wire spellings of the domain's closed
//! sets, list pages, and small conversions.

use poem_openapi::types::MaybeUndefined;
use samverkan_store::PageRequest;

use crate::problem::ApiError;

/// Declares an API enum mirroring a domain enum variant for variant, with
/// the same snake_case spellings, and the conversions both ways.
macro_rules! api_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
        #[oai(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl From<$name> for samverkan_domain::$name {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant),+
                }
            }
        }

        impl From<samverkan_domain::$name> for $name {
            fn from(value: samverkan_domain::$name) -> Self {
                match value {
                    $(samverkan_domain::$name::$variant => Self::$variant),+
                }
            }
        }
    };
}

api_enum!(
    /// What an organisation is.
    OrganisationKind { University, Company, Municipality, Healthcare, EducationProvider, PublicAgency, Association, Other }
);
api_enum!(
    /// What binds two organisations.
    PartnershipKind { Strategic, Project, Other }
);
api_enum!(
    /// Where a partnership stands.
    PartnershipStatus { Prospect, Active, Paused, Ended }
);
api_enum!(
    /// What sort of meeting.
    MeetingKind { PartnerDay, Workshop, SteeringGroup, OneToOne, SiteVisit, Other }
);
api_enum!(
    /// Whether a meeting is to come, took place, or was called off.
    MeetingStatus { Planned, Held, Cancelled }
);
api_enum!(
    /// The part an attendee plays.
    AttendanceRole { Host, Organiser, Presenter, Participant, Guest }
);
api_enum!(
    /// How far an attendee got: an invitation is not attendance.
    AttendanceStatus { Invited, Confirmed, Attended, Absent }
);
api_enum!(
    /// What sort of outcome.
    OutcomeKind { Decision, Agreement, Insight, Risk, Question }
);
api_enum!(
    /// Where a follow-up stands.
    FollowUpStatus { Open, InProgress, Done, Cancelled }
);

api_enum!(
    /// How an organisation's engagement stands: `new` (first meeting
    /// recently), `active`, `cooling`, `dormant` (see `docs/engagement.md`).
    Health { New, Active, Cooling, Dormant }
);
api_enum!(
    /// What an engagement list is ordered by.
    EngagementSort {
        Name, MeetingsHosted, MeetingsAttended, MeetingsEngaged, PartnerDays, LastMeetingOn,
        DaysSinceLastMeeting, RepresentativesEngaged, Presentations, FollowUpsOpened, FollowUpsDone,
        FollowUpsOpen, FollowUpsOverdue, CompletionRate, MedianDaysToComplete
    }
);
api_enum!(
    /// Ascending or descending.
    SortOrder { Asc, Desc }
);

/// Validates `limit` and `cursor` query parameters into a page request.
pub fn page_request(limit: Option<u64>, cursor: Option<&str>) -> Result<PageRequest, ApiError> {
    // `cursor=` (as a form sends an empty field) is the first page.
    let cursor = cursor.filter(|cursor| !cursor.is_empty());
    PageRequest::parse(limit, cursor).map_err(|errors| {
        let first = errors.errors().first().cloned();
        match first {
            Some(error) => ApiError::bad_request(&error.field, error.message),
            None => ApiError::bad_request("limit", "is not valid"),
        }
    })
}

/// Declares a list response `{ "items": [...], "next_cursor": ... }`.
macro_rules! list_of {
    ($(#[$doc:meta])* $name:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, poem_openapi::Object)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` for the next page; `null` on the last page.
            #[oai(nullable)]
            pub next_cursor: Option<String>,
        }

        impl $name {
            pub fn from_page<T>(page: samverkan_store::Page<T>, convert: impl Fn(T) -> $item) -> Self {
                Self { items: page.items.into_iter().map(convert).collect(), next_cursor: page.next_cursor }
            }
        }
    };
}
pub(crate) use {api_enum, list_of};

/// Checks a date query parameter against the range the model accepts.
pub fn date_param(field: &str, date: Option<chrono::NaiveDate>) -> Result<(), ApiError> {
    match date.map(|date| samverkan_domain::time::check_date(field, date)) {
        Some(Err(error)) => Err(ApiError::bad_request(&error.field, error.message)),
        _ => Ok(()),
    }
}

/// Applies a PATCH field: absent leaves `target`, `null` clears it, a
/// value replaces it.
pub fn patch<T>(field: MaybeUndefined<T>, target: &mut Option<T>) {
    match field {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *target = None,
        MaybeUndefined::Value(value) => *target = Some(value),
    }
}

/// A PATCH must name the version it read; a stale one is a conflict before
/// anything is parsed or written.
pub fn check_version(entity: &str, expected: i32, actual: i32) -> Result<(), ApiError> {
    if expected == actual {
        Ok(())
    } else {
        Err(ApiError::version_conflict(format!(
            "{entity} has changed since version {expected} was read; it is now at version {actual}"
        )))
    }
}

/// The answer to `DELETE` of a record with history.
#[derive(Debug, poem_openapi::ApiResponse)]
pub enum ArchivedResponse {
    /// Archived: it keeps its history and leaves the default lists.
    #[oai(status = 204)]
    Archived,
}
