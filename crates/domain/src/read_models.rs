//! Values read across records for reports: the names a meeting's minutes
//! print, what the engagement report is made of, and one row of the
//! attendance export. Plain data: the store fills them, the report crate
//! writes them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    AttendanceId, AttendanceRole, AttendanceStatus, EngagementRow, EngagementSummary, FollowUp,
    FollowUpSummary, MeetingId, MeetingKind, MeetingRecords, MeetingStatus, Organisation, OrganisationId,
    Partnership, Representative, RepresentativeId,
};

/// The names of the organisations and representatives some records refer
/// to, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub organisations: HashMap<OrganisationId, String>,
    pub representatives: HashMap<RepresentativeId, String>,
}

impl Names {
    /// An organisation's name; its id when the name is missing, so that a
    /// report never silently drops a row.
    pub fn organisation(&self, id: OrganisationId) -> String {
        self.organisations
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// A representative's name, or their id when the name is missing.
    pub fn representative(&self, id: RepresentativeId) -> String {
        self.representatives
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// What the engagement report of a period is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementReportData {
    /// Every live organisation of the period, most engaged first.
    pub rows: Vec<EngagementRow>,
    pub summary: EngagementSummary,
    /// Follow-ups as they stand on the summary's as-of day.
    pub follow_ups: FollowUpSummary,
}

/// One of an organisation's people, and how often they attended for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopAttendee {
    pub representative: Representative,
    /// Counted meetings (live, not cancelled) attended for the organisation.
    pub attended: i64,
    /// The start of the last of them.
    pub last_attended_at: DateTime<Utc>,
}

/// What the partner brief of an organisation is made of: the one read that
/// both its web page and its report document (HTML, Markdown, PDF) print.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerBrief {
    pub organisation: Organisation,
    /// The day the brief was read on: what "overdue" is judged against.
    pub as_of: NaiveDate,
    /// The partnerships it is a party to, each with the other party's name.
    pub partnerships: Vec<(Partnership, String)>,
    /// Its people who attended most, most meetings first.
    pub top_attendees: Vec<TopAttendee>,
    /// Its last meetings, newest first, whole (for their outcomes).
    pub meetings: Vec<MeetingRecords>,
    /// Its unfinished follow-ups, earliest due first.
    pub follow_ups: Vec<FollowUp>,
    /// The names of the follow-ups' owners.
    pub names: Names,
}

/// Every organisation and representative a meeting's records name: the
/// host, attendees (and whom they represented), presenters, follow-up owners
/// and organisations. Sorted and without duplicates.
pub fn referenced_by(records: &MeetingRecords) -> (Vec<OrganisationId>, Vec<RepresentativeId>) {
    let mut organisations: Vec<OrganisationId> = records
        .meeting
        .details
        .host_organisation_id
        .into_iter()
        .chain(records.attendances.iter().map(|a| a.organisation_id))
        .chain(
            records
                .follow_ups
                .iter()
                .filter_map(|f| f.details.organisation_id),
        )
        .collect();
    let mut representatives: Vec<RepresentativeId> = records
        .attendances
        .iter()
        .filter_map(|a| match a.attendee {
            crate::Attendee::Representative(id) => Some(id),
            crate::Attendee::Organisation(_) => None,
        })
        .chain(
            records
                .agenda
                .iter()
                .flat_map(|item| item.presenter_ids.iter().copied()),
        )
        .chain(records.follow_ups.iter().filter_map(|f| f.details.owner_id))
        .collect();
    organisations.sort_unstable();
    organisations.dedup();
    representatives.sort_unstable();
    representatives.dedup();
    (organisations, representatives)
}

/// One attendance, flattened with its meeting, organisation and person: a
/// row of the attendance export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceExportRow {
    pub attendance_id: AttendanceId,
    pub meeting_id: MeetingId,
    pub meeting_starts_at: DateTime<Utc>,
    pub meeting_title: String,
    pub meeting_kind: MeetingKind,
    pub meeting_status: MeetingStatus,
    /// The organisation attended for (a person's, on the meeting's date).
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    /// Empty for an organisation whose people were not named.
    pub representative_id: Option<RepresentativeId>,
    pub representative_name: Option<String>,
    pub role: AttendanceRole,
    pub status: AttendanceStatus,
}

impl AttendanceExportRow {
    /// The Stockholm date the meeting began on.
    pub fn meeting_date(&self) -> NaiveDate {
        crate::time::local_date(self.meeting_starts_at)
    }
}
