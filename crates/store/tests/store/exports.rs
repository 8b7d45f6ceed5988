use std::collections::HashSet;

use futures_util::StreamExt;
use samverkan_domain::{
    AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, FollowUpDetails, FollowUpInput,
    FollowUpStatus, MeetingInput, MeetingKind, MeetingLogInput, Organisation, PartnershipDetails,
    PartnershipInput, PartnershipKind, Representative,
};
use samverkan_store::{BRIEF_MEETINGS, Store, StoreError};

use crate::fixtures::{at, date, organisation, person, workshop};
use crate::store_tests;

store_tests!(
    the_attendance_export_streams_every_attendance_once_in_order,
    only_a_few_exports_run_at_once,
    the_export_reads_as_it_is_polled,
    a_meeting_comes_with_the_names_it_refers_to,
    the_partner_brief_reads_the_organisation_s_records
);

/// A meeting at `starts_at` attended by `people` and by `company` without
/// named people.
fn meeting(starts_at: &str, people: &[&Representative], company: &Organisation) -> MeetingLogInput {
    let mut attendees: Vec<AttendeeInput> = people
        .iter()
        .map(|person| AttendeeInput {
            attendee: Attendee::Representative(person.id),
            role: AttendanceRole::Participant,
            status: AttendanceStatus::Attended,
        })
        .collect();
    attendees.push(AttendeeInput {
        attendee: Attendee::Organisation(company.id),
        role: AttendanceRole::Guest,
        status: AttendanceStatus::Invited,
    });
    MeetingLogInput {
        meeting: MeetingInput {
            title: format!("Styrgrupp {starts_at}"),
            kind: Some(MeetingKind::SteeringGroup),
            starts_at: Some(at(starts_at)),
            ..MeetingInput::default()
        },
        attendees,
        agenda: vec![],
        outcomes: vec![],
        follow_ups: vec![],
    }
}

async fn the_attendance_export_streams_every_attendance_once_in_order(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let company = organisation(&store, "GKN Aerospace").await;
    let mut people = Vec::new();
    for name in ["Lena Lindhé", "Jan Theliander", "Maria Derner", "Åsa Öberg"] {
        people.push(person(&store, &host, name, "Samverkansstrateg").await);
    }
    let everyone: Vec<&Representative> = people.iter().collect();
    // 2025-01-01 in Stockholm begins at 2024-12-31T23:00Z and 2025-01-31
    // ends at 2025-01-31T23:00Z: the first and last meetings are outside.
    let mut inside = Vec::new();
    for (starts_at, count, expected) in [
        ("2024-12-31T22:59:00Z", 2, false),
        ("2024-12-31T23:00:00Z", 4, true),
        ("2025-01-10T09:00:00Z", 1, true),
        ("2025-01-10T09:00:00Z", 3, true),
        ("2025-01-20T12:00:00Z", 0, true),
        ("2025-01-31T22:59:00Z", 2, true),
        ("2025-01-31T23:00:00Z", 4, false),
    ] {
        let records = store
            .log_meeting(meeting(starts_at, &everyone[..count], &company))
            .await
            .unwrap();
        if expected {
            inside.push(records);
        }
    }
    let mut expected: Vec<(chrono::DateTime<chrono::Utc>, uuid::Uuid, uuid::Uuid)> = inside
        .iter()
        .flat_map(|records| {
            records.attendances.iter().map(|a| {
                (
                    records.meeting.details.starts_at,
                    records.meeting.id.as_uuid(),
                    a.id.as_uuid(),
                )
            })
        })
        .collect();
    expected.sort();

    let batches: Vec<_> = store
        .attendance_export(date(2025, 1, 1), date(2025, 1, 31), 3)
        .map(Result::unwrap)
        .collect()
        .await;
    assert!(batches.len() >= 3, "small batches: {}", batches.len());
    assert!(batches.iter().all(|batch| !batch.is_empty()));
    let rows: Vec<_> = batches.into_iter().flatten().collect();
    let got: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                row.meeting_starts_at,
                row.meeting_id.as_uuid(),
                row.attendance_id.as_uuid(),
            )
        })
        .collect();
    assert_eq!(got, expected, "every attendance once, by start, meeting and id");
    let unique: HashSet<_> = got.iter().map(|(_, _, id)| *id).collect();
    assert_eq!(unique.len(), rows.len());

    let first = &rows[0];
    assert_eq!(first.meeting_date(), date(2025, 1, 1));
    assert_eq!(first.meeting_kind, MeetingKind::SteeringGroup);
    let lena = rows
        .iter()
        .find(|row| row.representative_name.as_deref() == Some("Lena Lindhé"))
        .unwrap();
    assert_eq!(lena.organisation_name, "Högskolan Väst");
    assert_eq!(lena.status, AttendanceStatus::Attended);
    let unnamed = rows.iter().find(|row| row.representative_id.is_none()).unwrap();
    assert_eq!(unnamed.organisation_name, "GKN Aerospace");
    assert_eq!(unnamed.representative_name, None);
    assert_eq!(unnamed.role, AttendanceRole::Guest);

    // One big batch holds the same rows; an empty or reversed period none.
    let whole: Vec<_> = store
        .attendance_export(date(2025, 1, 1), date(2025, 1, 31), 10_000)
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0], rows);
    let none: Vec<_> = store
        .attendance_export(date(2025, 3, 1), date(2025, 3, 31), 10)
        .collect()
        .await;
    assert!(none.is_empty());
    let reversed: Vec<_> = store
        .attendance_export(date(2025, 1, 31), date(2025, 1, 1), 10)
        .collect()
        .await;
    assert!(reversed.is_empty());

    // Polled again after its end, the stream still says it has ended (as
    // an HTTP body is polled).
    let mut ended = Box::pin(store.attendance_export(date(2025, 1, 1), date(2025, 1, 31), 10_000));
    assert!(ended.next().await.is_some());
    assert!(ended.next().await.is_none());
    assert!(ended.next().await.is_none());
}

/// The stream reads a batch when polled, not the whole export up front: a
/// meeting logged after the first batch was read, later in the period,
/// still appears.
async fn the_export_reads_as_it_is_polled(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let presenter = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    for day in 1..=5 {
        store
            .log_meeting(workshop(&host, &presenter, date(2025, 2, day)))
            .await
            .unwrap();
    }
    let mut stream = Box::pin(store.attendance_export(date(2025, 2, 1), date(2025, 2, 28), 1));
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.len(), 1);
    let late = store
        .log_meeting(workshop(&host, &presenter, date(2025, 2, 20)))
        .await
        .unwrap();
    let rest: Vec<_> = stream.map(Result::unwrap).collect().await;
    assert_eq!(rest.len(), 5, "one batch per meeting at a target of one row");
    assert_eq!(
        rest.last().unwrap()[0].meeting_id,
        late.meeting.id,
        "read after it was logged"
    );
}

async fn a_meeting_comes_with_the_names_it_refers_to(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let presenter = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    let logged = store
        .log_meeting(workshop(&host, &presenter, date(2025, 2, 3)))
        .await
        .unwrap();
    let (records, names) = store.meeting_with_names(logged.meeting.id).await.unwrap();
    assert_eq!(records, logged);
    assert_eq!(names.organisation(host.id), "Kunskapsförbundet Väst");
    assert_eq!(names.representative(presenter.id), "Maria Hildefors");
    assert_eq!((names.organisations.len(), names.representatives.len()), (1, 1));
}

/// Past `MAX_CONCURRENT_EXPORTS` an export is refused as busy, and a
/// finished one makes room.
async fn only_a_few_exports_run_at_once(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let presenter = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    for day in 1..=3 {
        store
            .log_meeting(workshop(&host, &presenter, date(2025, 2, day)))
            .await
            .unwrap();
    }
    let export = || Box::pin(store.attendance_export(date(2025, 2, 1), date(2025, 2, 28), 1));
    let mut running = Vec::new();
    for _ in 0..samverkan_store::MAX_CONCURRENT_EXPORTS {
        let mut stream = export();
        assert!(stream.next().await.unwrap().is_ok());
        running.push(stream);
    }
    let mut refused = export();
    let error = refused.next().await.unwrap().unwrap_err();
    assert!(matches!(error, StoreError::Busy(_)), "{error:?}");
    assert!(refused.next().await.is_none());

    let finished: Vec<_> = running.pop().unwrap().map(Result::unwrap).collect().await;
    assert_eq!(finished.len(), 2, "the rest of that export");
    let mut next = export();
    assert!(next.next().await.unwrap().is_ok(), "room again");
}

/// Exports whose readers stop reading are ended after the idle limit, and
/// their places are free again; an export so ended ends in an error, never
/// in what would look like a whole file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_nobody_reads_from_is_ended() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("idle.db").display());
    let store = Store::open_with(
        &url,
        samverkan_store::StoreOptions {
            export_idle_limit: std::time::Duration::from_millis(300),
            ..samverkan_store::StoreOptions::default()
        },
    )
    .await
    .unwrap();
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let presenter = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    for day in 1..=4 {
        store
            .log_meeting(workshop(&host, &presenter, date(2025, 2, day)))
            .await
            .unwrap();
    }
    let export = || Box::pin(store.attendance_export(date(2025, 2, 1), date(2025, 2, 28), 1));
    let mut stalled = Vec::new();
    for _ in 0..samverkan_store::MAX_CONCURRENT_EXPORTS {
        let mut stream = export();
        assert!(stream.next().await.unwrap().is_ok());
        stalled.push(stream);
    }
    let mut refused = export();
    assert!(matches!(refused.next().await.unwrap(), Err(StoreError::Busy(_))));
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let mut next = export();
    assert!(
        next.next().await.unwrap().is_ok(),
        "the stalled exports still hold every place"
    );
    for mut stream in stalled {
        // The batch read ahead before the limit, then the error.
        let rest: Vec<_> = (&mut stream).collect().await;
        assert!(
            matches!(rest.last(), Some(Err(StoreError::TimedOut(_)))),
            "{rest:?}"
        );
    }
    store.close().await.unwrap();
}

/// The brief of a city that took part in six workshops: its live
/// partnership (not the archived one) with the other party's name, its
/// person who attended, its five latest meetings newest first, and its
/// unfinished follow-ups only (not a done one, nor another organisation's),
/// earliest due first, with the owners' names.
async fn the_partner_brief_reads_the_organisation_s_records(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let city = organisation(&store, "Trollhättans stad").await;
    let company = organisation(&store, "GKN Aerospace").await;
    let lena = person(&store, &city, "Lena Lindhé", "Samverkansstrateg").await;
    let partnership = |other: &Organisation| {
        PartnershipDetails::parse(&PartnershipInput {
            organisation_ids: [Some(city.id), Some(other.id)],
            kind: Some(PartnershipKind::Strategic),
            ..PartnershipInput::default()
        })
        .unwrap()
    };
    store.create_partnership(partnership(&host)).await.unwrap();
    let ended = store.create_partnership(partnership(&company)).await.unwrap();
    store.archive_partnership(ended.id, None).await.unwrap();
    let mut logged = Vec::new();
    for month in 1..=6 {
        logged.push(
            store
                .log_meeting(workshop(&host, &lena, date(2025, month, 10)))
                .await
                .unwrap(),
        );
    }
    let follow_up = |title: &str, organisation: &Organisation, due, status| {
        FollowUpDetails::parse(&FollowUpInput {
            title: title.into(),
            owner_id: Some(lena.id),
            organisation_id: Some(organisation.id),
            due_on: Some(due),
            status: Some(status),
            ..FollowUpInput::default()
        })
        .unwrap()
    };
    let meeting = logged[0].meeting.id;
    for (title, organisation, due, status) in [
        ("Boka nästa träff", &city, date(2025, 9, 1), FollowUpStatus::Open),
        (
            "Dela rapporten",
            &city,
            date(2025, 3, 1),
            FollowUpStatus::InProgress,
        ),
        ("Redan klar", &city, date(2025, 2, 1), FollowUpStatus::Done),
        ("Högskolans egen", &host, date(2025, 2, 1), FollowUpStatus::Open),
    ] {
        store
            .create_follow_up(meeting, None, follow_up(title, organisation, due, status), None)
            .await
            .unwrap();
    }

    let brief = store.partner_brief(city.id, date(2025, 7, 1)).await.unwrap();
    assert_eq!(brief.organisation.id, city.id);
    assert_eq!(brief.as_of, date(2025, 7, 1));
    let partners: Vec<&str> = brief.partnerships.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(
        partners,
        ["Högskolan Väst"],
        "the archived partnership is left out"
    );
    let people: Vec<(&str, i64)> = brief
        .top_attendees
        .iter()
        .map(|t| (t.representative.details.full_name.as_str(), t.attended))
        .collect();
    assert_eq!(people, [("Lena Lindhé", 6)]);
    // A restricted person (Art. 18) is in no report: not among its people,
    // and a placeholder as a follow-up's owner.
    store.set_restricted(lena.id, true).await.unwrap();
    let restricted = store.partner_brief(city.id, date(2025, 7, 1)).await.unwrap();
    assert!(restricted.top_attendees.is_empty());
    assert_eq!(
        restricted.names.representative(lena.id),
        samverkan_domain::privacy::RESTRICTED_PERSON_NAME
    );
    store.set_restricted(lena.id, false).await.unwrap();
    let meetings: Vec<_> = brief.meetings.iter().map(|r| r.meeting.details.date()).collect();
    let expected: Vec<_> = (2..=6).rev().map(|month| date(2025, month, 10)).collect();
    assert_eq!(meetings, expected, "the {BRIEF_MEETINGS} latest, newest first");
    let follow_ups: Vec<&str> = brief
        .follow_ups
        .iter()
        .map(|f| f.details.title.as_str())
        .collect();
    assert_eq!(follow_ups, ["Dela rapporten", "Boka nästa träff"]);
    assert!(brief.follow_ups[0].is_overdue(brief.as_of));
    assert_eq!(brief.names.representative(lena.id), "Lena Lindhé");

    assert!(matches!(
        store
            .partner_brief(samverkan_domain::OrganisationId::new(), date(2025, 7, 1))
            .await,
        Err(StoreError::NotFound { .. })
    ));
}
