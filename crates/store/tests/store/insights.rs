use samverkan_store::{HitKind, PageRequest, Store, TimelineKind};

use crate::fixtures::{date, organisation, person, workshop};
use crate::store_tests;

store_tests!(
    search_finds_every_kind_ranked_ignoring_case,
    search_follows_renames_and_removals,
    the_timeline_walks_newest_first,
    the_timeline_holds_each_meeting_hosted_or_attended_once
);

/// An organisation's meetings on its timeline, walked two at a time: those
/// it hosted and those its people attended, each once (one hosted and
/// attended too), newest first; not one its only attendee missed, nor an
/// archived one.
async fn the_timeline_holds_each_meeting_hosted_or_attended_once(store: Store) {
    use samverkan_domain::{AttendanceRole, AttendanceStatus, Attendee, AttendeeInput};
    let university = organisation(&store, "Högskolan Väst").await;
    let city = organisation(&store, "Trollhättans stad").await;
    let lena = person(&store, &university, "Lena Lindhé", "Samverkansstrateg").await;
    let maria = person(&store, &city, "Maria Hildefors", "Näringslivschef").await;
    let log = |host: &samverkan_domain::Organisation, presenter, on, guest: Option<AttendanceStatus>| {
        let mut input = workshop(host, presenter, on);
        if let Some(status) = guest {
            input.attendees.push(AttendeeInput {
                attendee: Attendee::Organisation(university.id),
                role: AttendanceRole::Participant,
                status,
            });
        }
        store.log_meeting(input)
    };
    // Hosted by the city, Lena presenting: hers.
    let a = log(&city, &lena, date(2024, 1, 10), None).await.unwrap();
    // Hosted by the university, and attended by it as an organisation too.
    let b = log(
        &university,
        &lena,
        date(2024, 3, 5),
        Some(AttendanceStatus::Attended),
    )
    .await
    .unwrap();
    // The city's, the university invited only: on the timeline, as invited.
    let c = log(&city, &maria, date(2024, 5, 20), Some(AttendanceStatus::Invited))
        .await
        .unwrap();
    // The city's, the university absent: not.
    log(&city, &maria, date(2024, 6, 1), Some(AttendanceStatus::Absent))
        .await
        .unwrap();
    // Hosted by the university, then archived: not.
    let archived = log(&university, &lena, date(2024, 9, 9), None).await.unwrap();
    store.archive_meeting(archived.meeting.id, None).await.unwrap();
    // Hosted by the university.
    let d = log(&university, &lena, date(2024, 11, 11), None).await.unwrap();

    let mut request = PageRequest::first(2);
    let mut meetings = Vec::new();
    loop {
        let page = store
            .organisation_timeline(university.id, &request)
            .await
            .unwrap();
        meetings.extend(
            page.items
                .into_iter()
                .filter(|entry| entry.kind == TimelineKind::Meeting)
                .map(|entry| (entry.id, entry.detail)),
        );
        match page.next_cursor {
            Some(cursor) => request = PageRequest::parse(Some(2), Some(&cursor)).unwrap(),
            None => break,
        }
    }
    let expected = [
        (d.meeting.id.as_uuid(), "host"),
        (c.meeting.id.as_uuid(), "invited"),
        (b.meeting.id.as_uuid(), "host"),
        (a.meeting.id.as_uuid(), "attended"),
    ];
    let meetings: Vec<(uuid::Uuid, &str)> = meetings
        .iter()
        .map(|(id, detail)| (*id, detail.as_str()))
        .collect();
    assert_eq!(meetings, expected);
}

async fn search_finds_every_kind_ranked_ignoring_case(store: Store) {
    store.load_demo().await.unwrap();
    let hits = store.search("LINDHÉ", 10).await.unwrap();
    assert_eq!(hits[0].kind, HitKind::Representative);
    assert_eq!(hits[0].title, "Lena Lindhé");
    let hits = store.search("ungdomsbarometern", 10).await.unwrap();
    assert_eq!(
        hits[0].kind,
        HitKind::AgendaItem,
        "the exact title ranks first: {hits:?}"
    );
    assert!(hits.iter().any(|h| h.kind == HitKind::FollowUp), "{hits:?}");
    let hits = store.search("drömfabriken", 10).await.unwrap();
    assert_eq!(hits[0].kind, HitKind::Meeting);
    assert!(hits[0].snippet.contains("Drömfabriken"), "{hits:?}");
    let hits = store.search("TROLLHÄTTANS STAD", 10).await.unwrap();
    assert_eq!((hits[0].kind, hits[0].score), (HitKind::Organisation, 100));
    assert!(
        store
            .search("broar mellan", 10)
            .await
            .unwrap()
            .iter()
            .any(|h| h.kind == HitKind::Outcome)
    );
    assert!(store.search("   ", 10).await.unwrap().is_empty());
    assert!(store.search("zzzz", 10).await.unwrap().is_empty());
}

async fn the_timeline_walks_newest_first(store: Store) {
    let demo = store.load_demo().await.unwrap();
    let university = demo
        .organisations
        .values()
        .find(|o| o.details.name.as_str() == "Högskolan Väst")
        .unwrap();
    let mut request = PageRequest::first(3);
    let mut entries = Vec::new();
    loop {
        let page = store
            .organisation_timeline(university.id, &request)
            .await
            .unwrap();
        entries.extend(page.items);
        match page.next_cursor {
            Some(cursor) => request = PageRequest::parse(Some(3), Some(&cursor)).unwrap(),
            None => break,
        }
    }
    // Six partnerships, two follow-ups it answers for, the partner day.
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.kind == TimelineKind::Partnership)
            .count(),
        6
    );
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.kind == TimelineKind::FollowUp)
            .count(),
        2
    );
    let meeting = entries.iter().find(|e| e.kind == TimelineKind::Meeting).unwrap();
    assert_eq!(meeting.detail, "attended", "through its people");
    assert_eq!(
        entries.last().unwrap().kind,
        TimelineKind::Meeting,
        "2024 is older than today's records"
    );
    assert!(entries.windows(2).all(|w| w[0].occurred_at >= w[1].occurred_at));
    let host = demo
        .organisations
        .values()
        .find(|o| o.details.name.as_str() == "Kunskapsförbundet Väst")
        .unwrap();
    let page = store
        .organisation_timeline(host.id, &PageRequest::default())
        .await
        .unwrap();
    assert!(
        page.items
            .iter()
            .any(|e| e.kind == TimelineKind::Meeting && e.detail == "host")
    );
}

/// The search index (FTS5 on SQLite, pg_trgm on PostgreSQL) is kept in step
/// with every insert, update and delete, including short queries that the
/// index cannot answer.
async fn search_follows_renames_and_removals(store: Store) {
    let host = organisation(&store, "Vänersborgs kommun").await;
    let presenter = person(&store, &host, "Åsa Öberg", "Näringslivsutvecklare").await;
    let logged = store
        .log_meeting(workshop(&host, &presenter, date(2024, 5, 2)))
        .await
        .unwrap();
    let found = |hits: &[samverkan_store::SearchHit], id: uuid::Uuid| hits.iter().any(|hit| hit.id == id);

    let hits = store.search("VÄNERSBORGS", 10).await.unwrap();
    assert!(found(&hits, host.id.as_uuid()), "{hits:?}");
    let renamed = samverkan_domain::OrganisationDetails::parse(&samverkan_domain::OrganisationInput {
        name: "Melleruds kommun".into(),
        kind: Some(samverkan_domain::OrganisationKind::Municipality),
        ..samverkan_domain::OrganisationInput::default()
    })
    .unwrap();
    store.update_organisation(host.id, 1, renamed).await.unwrap();
    assert!(!found(
        &store.search("vänersborgs", 10).await.unwrap(),
        host.id.as_uuid()
    ));
    assert!(found(
        &store.search("mellerud", 10).await.unwrap(),
        host.id.as_uuid()
    ));
    // Two letters: too short for the trigram index, answered by a scan.
    assert!(found(
        &store.search("ÖB", 10).await.unwrap(),
        presenter.id.as_uuid()
    ));

    let item = logged.agenda[0].id;
    let hits = store.search("inledning", 10).await.unwrap();
    assert!(found(&hits, item.as_uuid()), "{hits:?}");
    store
        .remove_agenda_item(logged.meeting.id, None, item)
        .await
        .unwrap();
    assert!(!found(
        &store.search("inledning", 10).await.unwrap(),
        item.as_uuid()
    ));
}
