use samverkan_domain::{PartnershipDetails, PartnershipInput, PartnershipKind, PartnershipStatus};
use samverkan_store::{PageRequest, PartnershipFilter, Store, StoreError};

use crate::fixtures::{date, organisation, person};
use crate::store_tests;

store_tests!(
    a_partnership_outlives_an_archived_party,
    an_archived_partnership_no_longer_changes
);

async fn a_partnership_outlives_an_archived_party(store: Store) {
    let university = organisation(&store, "Högskolan Väst").await;
    let company = organisation(&store, "Vattenfall").await;
    let lena = person(&store, &university, "Lena Lindhé", "Samverkansstrateg").await;
    let input = PartnershipInput {
        organisation_ids: [Some(university.id), Some(company.id)],
        kind: Some(PartnershipKind::Strategic),
        responsible_representative_id: Some(lena.id),
        started_on: Some(date(2022, 1, 1)),
        ..PartnershipInput::default()
    };
    let created = store
        .create_partnership(PartnershipDetails::parse(&input).unwrap())
        .await
        .unwrap();
    let filter = PartnershipFilter {
        organisation_id: Some(company.id),
        ..PartnershipFilter::default()
    };
    assert_eq!(
        store
            .list_partnerships(&filter, &PageRequest::default())
            .await
            .unwrap()
            .items,
        std::slice::from_ref(&created)
    );

    store.archive_organisation(company.id, None).await.unwrap();
    let mut ended = created.details.to_input();
    ended.status = Some(PartnershipStatus::Ended);
    ended.ended_on = Some(date(2026, 6, 30));
    let ended = store
        .update_partnership(created.id, 1, PartnershipDetails::parse(&ended).unwrap())
        .await
        .unwrap();
    assert_eq!(ended.details.status, PartnershipStatus::Ended);

    let other = organisation(&store, "Trollhättans stad").await;
    store.archive_organisation(other.id, None).await.unwrap();
    let mut moved = ended.details.to_input();
    moved.organisation_ids[1] = Some(other.id);
    let error = store
        .update_partnership(created.id, 2, PartnershipDetails::parse(&moved).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::Validation(_)),
        "a new party must be live: {error:?}"
    );
}

async fn an_archived_partnership_no_longer_changes(store: Store) {
    let a = organisation(&store, "Högskolan Väst").await;
    let b = organisation(&store, "GKN Aerospace").await;
    let input = PartnershipInput {
        organisation_ids: [Some(a.id), Some(b.id)],
        kind: Some(PartnershipKind::Project),
        ..PartnershipInput::default()
    };
    let created = store
        .create_partnership(PartnershipDetails::parse(&input).unwrap())
        .await
        .unwrap();
    let archived = store.archive_partnership(created.id, Some(1)).await.unwrap();
    let error = store
        .update_partnership(
            created.id,
            archived.meta.version,
            PartnershipDetails::parse(&input).unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Validation(_)), "{error:?}");
}
