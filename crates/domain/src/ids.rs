//! Typed record ids. Each is a UUID v7 (time-ordered, so new rows land at the
//! end of an index), and a type of its own, so that a representative's id
//! cannot be passed where an organisation's is expected.

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            pub const fn from_uuid(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

define_id!(
    /// Identifies an [`Organisation`](crate::Organisation).
    OrganisationId
);
define_id!(
    /// Identifies a [`Representative`](crate::Representative).
    RepresentativeId
);
define_id!(
    /// Identifies one period of a representative's [`Affiliation`](crate::Affiliation).
    AffiliationId
);
define_id!(
    /// Identifies a [`Partnership`](crate::Partnership).
    PartnershipId
);
define_id!(
    /// Identifies a [`Meeting`](crate::Meeting).
    MeetingId
);
define_id!(
    /// Identifies an [`Attendance`](crate::Attendance).
    AttendanceId
);
define_id!(
    /// Identifies an [`AgendaItem`](crate::AgendaItem).
    AgendaItemId
);
define_id!(
    /// Identifies an [`Outcome`](crate::Outcome).
    OutcomeId
);
define_id!(
    /// Identifies a [`FollowUp`](crate::FollowUp).
    FollowUpId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_version_7_and_ordered() {
        let first = MeetingId::new();
        let second = MeetingId::new();
        assert_eq!(first.as_uuid().get_version_num(), 7);
        assert!(first < second);
    }
}
define_id!(
    /// Identifies a [`User`](crate::User) of Samverkan.
    UserId
);
define_id!(
    /// Identifies an [`ApiToken`](crate::ApiToken).
    TokenId
);
define_id!(
    /// Identifies an entry of the audit trail.
    AuditEventId
);
define_id!(
    /// Identifies a signed-in [`Session`](crate::Session) of the web interface.
    SessionId
);
