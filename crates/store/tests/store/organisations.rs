use samverkan_domain::{OrganisationDetails, OrganisationInput, OrganisationKind};
use samverkan_store::{OrganisationFilter, PageRequest, Store, StoreError};

use crate::fixtures::organisation;
use crate::store_tests;

store_tests!(
    swedish_text_round_trips,
    names_are_unique_ignoring_case_for_swedish_letters,
    archiving_frees_a_name,
    a_stale_version_conflicts_and_changes_nothing,
    concurrent_updates_of_one_version_let_exactly_one_win,
    search_ignores_case_and_accents,
    lists_sort_swedish_and_pages_visit_every_row_once,
    filters_by_kind_and_tag,
);

fn details(name: &str) -> OrganisationDetails {
    OrganisationDetails::parse(&OrganisationInput {
        name: name.into(),
        kind: Some(OrganisationKind::Municipality),
        short_name: Some("THN".into()),
        organisation_number: Some("212000-1561".into()),
        website: Some("https://www.trollhattan.se".into()),
        city: Some("Trollhättan".into()),
        description: Some("Kommun vid Göta älv.\nÅ, ä, ö och é: Lindhé.".into()),
        tags: vec!["kommun".into(), "Västra Götaland".into()],
    })
    .unwrap()
}

async fn swedish_text_round_trips(store: Store) {
    let created = store
        .create_organisation(details("Trollhättans stad"))
        .await
        .unwrap();
    let read = store.organisation(created.id).await.unwrap();
    assert_eq!(read, created);
    assert_eq!(read.details.city.as_deref(), Some("Trollhättan"));
    assert_eq!(read.details.tags.to_strings(), ["kommun", "västra götaland"]);
    assert_eq!(read.meta.version, 1);
}

async fn names_are_unique_ignoring_case_for_swedish_letters(store: Store) {
    organisation(&store, "Högskolan Väst").await;
    for clash in ["högskolan väst", "HÖGSKOLAN VÄST", "  Högskolan   Väst "] {
        let error = store.create_organisation(details(clash)).await.unwrap_err();
        assert!(
            matches!(error, StoreError::Duplicate { ref field, .. } if field == "name"),
            "{clash}: {error:?}"
        );
    }
    // A different letter is a different name.
    store
        .create_organisation(details("Högskolan Vast"))
        .await
        .unwrap();
}

async fn archiving_frees_a_name(store: Store) {
    let first = organisation(&store, "Vattenfall").await;
    let archived = store.archive_organisation(first.id, Some(1)).await.unwrap();
    assert!(archived.meta.archived_at.is_some());
    assert_eq!(archived.meta.version, 2);
    let second = store.create_organisation(details("VATTENFALL")).await.unwrap();
    assert_ne!(first.id, second.id);
    assert!(
        store.organisation(first.id).await.unwrap().meta.is_archived(),
        "archived, not deleted"
    );
}

async fn a_stale_version_conflicts_and_changes_nothing(store: Store) {
    let created = store.create_organisation(details("NU-sjukvården")).await.unwrap();
    let updated = store
        .update_organisation(created.id, 1, details("NU-Sjukvården"))
        .await
        .unwrap();
    assert_eq!(updated.meta.version, 2);
    let error = store
        .update_organisation(created.id, 1, details("NU-sjukvården Väst"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::VersionConflict {
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(store.organisation(created.id).await.unwrap(), updated);
}

async fn concurrent_updates_of_one_version_let_exactly_one_win(store: Store) {
    let created = organisation(&store, "GKN Aerospace").await;
    let (first, second) = tokio::join!(
        store.update_organisation(created.id, 1, details("GKN Aerospace Sweden")),
        store.update_organisation(created.id, 1, details("GKN Aerospace Trollhättan")),
    );
    let outcomes = [first, second];
    let wins = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    let conflicts = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Err(StoreError::VersionConflict { .. })))
        .count();
    assert_eq!((wins, conflicts), (1, 1), "{outcomes:?}");
    let stored = store.organisation(created.id).await.unwrap();
    assert_eq!(stored.meta.version, 2);
    let winner = outcomes.into_iter().find_map(Result::ok).unwrap();
    assert_eq!(stored, winner);
}

async fn search_ignores_case_and_accents(store: Store) {
    store
        .create_organisation(details("Trollhättans stad"))
        .await
        .unwrap();
    organisation(&store, "Kunskapsförbundet Väst").await;
    organisation(&store, "Drömfabriken 50%_rabatt").await;
    let names = |q: &str| {
        let store = store.clone();
        let filter = OrganisationFilter {
            q: Some(q.into()),
            ..OrganisationFilter::default()
        };
        async move {
            let page = store
                .list_organisations(&filter, &PageRequest::default())
                .await
                .unwrap();
            page.items
                .into_iter()
                .map(|o| o.details.name.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        names("TROLLHÄTTAN").await,
        ["Trollhättans stad"],
        "the city matches too"
    );
    assert_eq!(names("kunskapsFÖRBUNDET").await, ["Kunskapsförbundet Väst"]);
    assert_eq!(names("VÄST").await, ["Kunskapsförbundet Väst"]);
    assert!(
        names("vast").await.is_empty(),
        "ä is a letter of its own in Swedish"
    );
    assert_eq!(
        names("50%").await,
        ["Drömfabriken 50%_rabatt"],
        "LIKE wildcards are taken literally"
    );
    assert!(names("5_%").await.is_empty());
}

async fn lists_sort_swedish_and_pages_visit_every_row_once(store: Store) {
    let names = [
        "Örebro universitet",
        "Åbo Akademi",
        "Zenit AB",
        "Ängelholms kommun",
        "ABB",
        "Électricité AB",
        "Borås stad",
    ];
    for name in names {
        organisation(&store, name).await;
    }
    for i in 0..18 {
        organisation(&store, &format!("Företag {i:02}")).await;
    }
    let mut seen = Vec::new();
    let mut request = PageRequest::first(4);
    loop {
        let page = store
            .list_organisations(&OrganisationFilter::default(), &request)
            .await
            .unwrap();
        assert!(page.items.len() <= 4);
        seen.extend(page.items.into_iter().map(|o| o.details.name.to_string()));
        match page.next_cursor {
            Some(cursor) => request = PageRequest::parse(Some(4), Some(&cursor)).unwrap(),
            None => break,
        }
        // A row added behind the walk does not disturb it.
        if seen.len() == 8 {
            organisation(&store, "AAA Tidigt AB").await;
        }
    }
    assert_eq!(seen.len(), 25, "{seen:?}");
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no row twice");
    assert_eq!(seen[..3], ["ABB", "Borås stad", "Électricité AB"]);
    assert_eq!(
        seen[seen.len() - 4..],
        [
            "Zenit AB",
            "Åbo Akademi",
            "Ängelholms kommun",
            "Örebro universitet"
        ]
    );
}

async fn filters_by_kind_and_tag(store: Store) {
    store
        .create_organisation(details("Trollhättans stad"))
        .await
        .unwrap();
    organisation(&store, "Vattenfall").await;
    let by_kind = OrganisationFilter {
        kind: Some(OrganisationKind::Municipality),
        ..OrganisationFilter::default()
    };
    let page = store
        .list_organisations(&by_kind, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let by_tag = OrganisationFilter {
        tag: Some("Västra Götaland".into()),
        ..OrganisationFilter::default()
    };
    let page = store
        .list_organisations(&by_tag, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.items[0].details.name.as_str(), "Trollhättans stad");
    let archived = store.archive_organisation(page.items[0].id, None).await.unwrap();
    assert!(
        store
            .list_organisations(&by_tag, &PageRequest::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let with_archived = OrganisationFilter {
        include_archived: true,
        ..by_tag
    };
    assert_eq!(
        store
            .list_organisations(&with_archived, &PageRequest::default())
            .await
            .unwrap()
            .items,
        [archived]
    );
}
