//! Small builders for test records.

use chrono::{DateTime, NaiveDate, Utc};
use samverkan_domain::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, MeetingFollowUpInput,
    MeetingInput, MeetingKind, MeetingLogInput, Organisation, OrganisationDetails, OrganisationInput,
    OrganisationKind, Representative, RepresentativeDraft, RepresentativeInput, time,
};
use samverkan_store::Store;

pub async fn organisation(store: &Store, name: &str) -> Organisation {
    let input = OrganisationInput {
        name: name.into(),
        kind: Some(OrganisationKind::Company),
        ..OrganisationInput::default()
    };
    store
        .create_organisation(OrganisationDetails::parse(&input).unwrap())
        .await
        .unwrap()
}

pub async fn person(store: &Store, organisation: &Organisation, name: &str, title: &str) -> Representative {
    let input = RepresentativeInput {
        full_name: name.into(),
        organisation_id: Some(organisation.id),
        title: Some(title.into()),
        ..RepresentativeInput::default()
    };
    store
        .create_representative(RepresentativeDraft::parse(&input).unwrap())
        .await
        .unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
}

/// A workshop hosted by `host`, attended and presented by `presenter`.
pub fn workshop(host: &Organisation, presenter: &Representative, on: NaiveDate) -> MeetingLogInput {
    MeetingLogInput {
        meeting: MeetingInput {
            title: "Workshop om kompetensförsörjning".into(),
            kind: Some(MeetingKind::Workshop),
            starts_at: Some(time::day_start(on)),
            all_day: true,
            host_organisation_id: Some(host.id),
            ..MeetingInput::default()
        },
        attendees: vec![AttendeeInput {
            attendee: Attendee::Representative(presenter.id),
            role: AttendanceRole::Presenter,
            status: AttendanceStatus::Attended,
        }],
        agenda: vec![AgendaItemInput {
            title: "Inledning".into(),
            presenter_ids: vec![presenter.id],
            ..AgendaItemInput::default()
        }],
        outcomes: vec![],
        follow_ups: vec![MeetingFollowUpInput::default()]
            .into_iter()
            .map(|mut follow_up| {
                follow_up.follow_up.title = "Skicka minnesanteckningar".into();
                follow_up.follow_up.owner_id = Some(presenter.id);
                follow_up
            })
            .collect(),
    }
}

/// How many rows each table holds: to prove that a failed write left none.
pub async fn row_counts(store: &Store) -> Vec<(String, i64)> {
    use sea_orm::{ConnectionTrait, Statement};
    let mut counts = Vec::new();
    for table in [
        "organisations",
        "organisation_tags",
        "representatives",
        "affiliations",
        "partnerships",
        "meetings",
        "meeting_tags",
        "meeting_partnerships",
        "attendances",
        "agenda_items",
        "agenda_item_presenters",
        "agenda_item_tags",
        "outcomes",
        "follow_ups",
        "audit_events",
        "engagement_meetings",
        "engagement_people",
    ] {
        let backend = store.backend();
        let row = store
            .connection()
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        counts.push((table.to_owned(), row.try_get::<i64>("", "n").unwrap()));
    }
    counts
}
