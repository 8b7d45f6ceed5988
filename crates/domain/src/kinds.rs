//! The closed sets of values the model uses: kinds, roles and statuses. Each
//! has one stable snake_case spelling, used in storage and on the wire.

use crate::error::FieldError;

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// Parses the snake_case spelling; the error lists the ones allowed.
            pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
                match raw.trim() {
                    $($text => Ok(Self::$variant),)+
                    other => Err(FieldError::new(
                        field,
                        format!(
                            "'{other}' is not one of: {}",
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// What an organisation is.
    OrganisationKind {
        University => "university",
        Company => "company",
        Municipality => "municipality",
        Healthcare => "healthcare",
        EducationProvider => "education_provider",
        PublicAgency => "public_agency",
        Association => "association",
        Other => "other",
    }
);

string_enum!(
    /// What binds two organisations.
    PartnershipKind {
        Strategic => "strategic",
        Project => "project",
        Other => "other",
    }
);

string_enum!(
    /// Where a partnership stands.
    PartnershipStatus {
        Prospect => "prospect",
        Active => "active",
        Paused => "paused",
        Ended => "ended",
    }
);

string_enum!(
    /// What sort of meeting.
    MeetingKind {
        PartnerDay => "partner_day",
        Workshop => "workshop",
        SteeringGroup => "steering_group",
        OneToOne => "one_to_one",
        SiteVisit => "site_visit",
        Other => "other",
    }
);

string_enum!(
    /// Whether a meeting is still to come, took place, or was called off.
    MeetingStatus {
        Planned => "planned",
        Held => "held",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// The part an attendee plays at a meeting.
    AttendanceRole {
        Host => "host",
        Organiser => "organiser",
        Presenter => "presenter",
        Participant => "participant",
        Guest => "guest",
    }
);

string_enum!(
    /// How far an attendee got: an invitation is not attendance.
    AttendanceStatus {
        Invited => "invited",
        Confirmed => "confirmed",
        Attended => "attended",
        Absent => "absent",
    }
);

string_enum!(
    /// What sort of outcome a meeting recorded.
    OutcomeKind {
        Decision => "decision",
        Agreement => "agreement",
        Insight => "insight",
        Risk => "risk",
        Question => "question",
    }
);

string_enum!(
    /// Where a follow-up stands.
    FollowUpStatus {
        Open => "open",
        InProgress => "in_progress",
        Done => "done",
        Cancelled => "cancelled",
    }
);

impl FollowUpStatus {
    /// Open or in progress: still somebody's to do.
    pub const fn is_pending(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }
}

string_enum!(
    /// What a user may do, as a bundle of [`Permission`]s.
    Role {
        /// Everything, including users, tokens and the audit trail.
        Admin => "admin",
        /// Creates and changes organisations, representatives,
        /// partnerships, meetings and follow-ups; reads everything.
        Strategist => "strategist",
        /// Reads everything, engagement and reports; moves follow-ups
        /// through their statuses.
        Manager => "manager",
        /// Engagement figures and reports only.
        Viewer => "viewer",
    }
);

string_enum!(
    /// The language a user reads Samverkan in: Swedish unless they choose
    /// English.
    Language {
        Sv => "sv",
        En => "en",
    }
);

// `string_enum!` derives the same traits for every set, and most have no
// default: this one's is written out.
#[expect(clippy::derivable_impls, reason = "the derives come from string_enum!")]
impl Default for Language {
    fn default() -> Self {
        Self::Sv
    }
}

string_enum!(
    /// How an organisation's engagement stands at the end of a period (see
    /// `docs/engagement.md` and [`crate::HealthThresholds`]).
    Health {
        /// Its first meeting ever was recent.
        New => "new",
        /// It met recently.
        Active => "active",
        /// It has not met for a while.
        Cooling => "cooling",
        /// It has not met for long, or never.
        Dormant => "dormant",
    }
);

string_enum!(
    /// What an engagement list is ordered by: its name, or one figure of the
    /// period (see [`crate::EngagementFigures`]).
    EngagementSort {
        Name => "name",
        MeetingsHosted => "meetings_hosted",
        MeetingsAttended => "meetings_attended",
        MeetingsEngaged => "meetings_engaged",
        PartnerDays => "partner_days",
        LastMeetingOn => "last_meeting_on",
        DaysSinceLastMeeting => "days_since_last_meeting",
        RepresentativesEngaged => "representatives_engaged",
        Presentations => "presentations",
        FollowUpsOpened => "follow_ups_opened",
        FollowUpsDone => "follow_ups_done",
        FollowUpsOpen => "follow_ups_open",
        FollowUpsOverdue => "follow_ups_overdue",
        CompletionRate => "completion_rate",
        MedianDaysToComplete => "median_days_to_complete",
    }
);

string_enum!(
    /// Ascending or descending.
    SortOrder {
        Asc => "asc",
        Desc => "desc",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_spelling() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse("kind", kind.as_str()), Ok(*kind));
        }
        for status in FollowUpStatus::ALL {
            assert_eq!(FollowUpStatus::parse("status", status.as_str()), Ok(*status));
        }
    }

    #[test]
    fn unknown_spellings_list_the_allowed_ones() {
        let error = MeetingKind::parse("kind", "party").unwrap_err();
        assert_eq!(error.field, "kind");
        assert!(error.message.contains("partner_day"));
    }
}
