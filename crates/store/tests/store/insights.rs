use samverkan_store::{HitKind, PageRequest, Store, TimelineKind};

use crate::fixtures::{date, organisation, person, workshop};
use crate::store_tests;

store_tests!(
    search_finds_every_kind_ranked_ignoring_case,
    search_follows_renames_and_removals,
    the_timeline_walks_newest_first
);

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
