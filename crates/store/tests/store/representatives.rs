use samverkan_domain::{RepresentativeDraft, time};
use samverkan_store::{PageRequest, RepresentativeFilter, Store, StoreError};

use crate::fixtures::{organisation, person, workshop};
use crate::store_tests;

store_tests!(
    a_person_is_found_by_name_title_or_email_in_any_case,
    a_new_title_keeps_the_old_one_for_past_meetings,
    a_person_must_represent_a_live_organisation,
    listing_by_organisation_follows_current_affiliations,
    a_move_from_a_past_day_places_later_meetings_at_the_new_organisation,
);

/// "Moves to Trollhättans stad from 1 September 2024": a meeting logged
/// afterwards for October finds her there, one of April at her old
/// organisation; a day in the future, or before her current affiliation
/// began, is refused and changes nothing.
async fn a_move_from_a_past_day_places_later_meetings_at_the_new_organisation(store: Store) {
    use crate::fixtures::date;
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let city = organisation(&store, "Trollhättans stad").await;
    let lisa = person(&store, &host, "Lisa Thörn", "Utvecklingschef").await;
    let mut input = lisa.to_input();
    input.organisation_id = Some(city.id);
    let draft = RepresentativeDraft::parse(&input).unwrap();

    let tomorrow = time::today().succ_opt().unwrap();
    let future = store
        .update_representative_from(lisa.id, 1, draft.clone(), tomorrow)
        .await
        .unwrap_err();
    let StoreError::Validation(errors) = &future else {
        panic!("{future:?}");
    };
    assert_eq!(errors.errors()[0].field, "moves_on");

    let moved = store
        .update_representative_from(lisa.id, 1, draft.clone(), date(2024, 9, 1))
        .await
        .unwrap();
    assert_eq!(moved.affiliation.organisation_id, city.id);
    assert_eq!(moved.affiliation.started_on, Some(date(2024, 9, 1)));
    let history = store.affiliations(lisa.id).await.unwrap();
    assert_eq!(history[0].ended_on, Some(date(2024, 9, 1)));

    // Before the current period (from 1 September) began: refused.
    let mut back = moved.to_input();
    back.organisation_id = Some(host.id);
    let before = store
        .update_representative_from(
            lisa.id,
            2,
            RepresentativeDraft::parse(&back).unwrap(),
            date(2024, 8, 1),
        )
        .await
        .unwrap_err();
    assert!(matches!(before, StoreError::Validation(_)), "{before:?}");
    assert_eq!(store.affiliations(lisa.id).await.unwrap().len(), 2);

    let april = store
        .log_meeting(workshop(&host, &lisa, date(2024, 4, 26)))
        .await
        .unwrap();
    let october = store
        .log_meeting(workshop(&host, &lisa, date(2024, 10, 3)))
        .await
        .unwrap();
    assert_eq!(april.attendances[0].organisation_id, host.id);
    assert_eq!(october.attendances[0].organisation_id, city.id);
}

async fn a_person_is_found_by_name_title_or_email_in_any_case(store: Store) {
    let university = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &university, "Lena Lindhé", "Samverkansstrateg").await;
    person(&store, &university, "Jan Theliander", "Senior advisor").await;
    let mut input = lena.to_input();
    input.email = Some("lena.lindhe@example.se".into());
    store
        .update_representative(lena.id, 1, RepresentativeDraft::parse(&input).unwrap())
        .await
        .unwrap();

    for q in [
        "LINDHÉ",
        "lindhé",
        "Lindhe",
        "SAMVERKANSSTRATEG",
        "lena.lindhe@EXAMPLE",
    ] {
        let filter = RepresentativeFilter {
            q: Some(q.into()),
            ..RepresentativeFilter::default()
        };
        let page = store
            .list_representatives(&filter, &PageRequest::default())
            .await
            .unwrap();
        let names: Vec<&str> = page.items.iter().map(|p| p.details.full_name.as_str()).collect();
        assert_eq!(names, ["Lena Lindhé"], "query {q}");
    }
}

async fn a_new_title_keeps_the_old_one_for_past_meetings(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let other = organisation(&store, "Trollhättans stad").await;
    let jan_erik = person(&store, &host, "Jan-Erik Aronsson", "Förbundsstrateg").await;
    let past = store
        .log_meeting(workshop(&host, &jan_erik, crate::fixtures::date(2024, 4, 26)))
        .await
        .unwrap();

    let mut input = jan_erik.to_input();
    input.organisation_id = Some(other.id);
    input.title = Some("Näringslivsutvecklare".into());
    let moved = store
        .update_representative(jan_erik.id, 1, RepresentativeDraft::parse(&input).unwrap())
        .await
        .unwrap();
    assert_eq!(moved.affiliation.organisation_id, other.id);
    assert_eq!(moved.meta.version, 2);

    let history = store.affiliations(jan_erik.id).await.unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].title.as_deref(), Some("Förbundsstrateg"));
    assert_eq!(history[0].organisation_id, host.id);
    assert_eq!(history[0].ended_on, Some(time::today()));
    assert_eq!(history[1].started_on, Some(time::today()));

    let reread = store.meeting_records(past.meeting.id).await.unwrap();
    assert_eq!(
        reread.attendances[0].organisation_id, host.id,
        "the past meeting keeps whom he represented"
    );
}

async fn a_person_must_represent_a_live_organisation(store: Store) {
    let gone = organisation(&store, "Nedlagt AB").await;
    store.archive_organisation(gone.id, None).await.unwrap();
    let mut input = samverkan_domain::RepresentativeInput {
        full_name: "Tilde".into(),
        organisation_id: Some(gone.id),
        is_minor: true,
        ..Default::default()
    };
    let error = store
        .create_representative(RepresentativeDraft::parse(&input).unwrap())
        .await
        .unwrap_err();
    let StoreError::Validation(errors) = error else {
        panic!("expected a validation error, got {error:?}")
    };
    assert_eq!(errors.errors()[0].field, "organisation_id");
    assert!(errors.errors()[0].message.contains("archived"));

    input.organisation_id = Some(samverkan_domain::OrganisationId::new());
    let error = store
        .create_representative(RepresentativeDraft::parse(&input).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Validation(_)), "{error:?}");
}

async fn listing_by_organisation_follows_current_affiliations(store: Store) {
    let university = organisation(&store, "Högskolan Väst").await;
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    person(&store, &university, "Maria Derner", "Kommunikationschef").await;
    person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    person(&store, &host, "Lisa Thörn", "Utvecklingschef").await;
    let filter = RepresentativeFilter {
        organisation_id: Some(host.id),
        ..RepresentativeFilter::default()
    };
    let page = store
        .list_representatives(&filter, &PageRequest::default())
        .await
        .unwrap();
    let names: Vec<&str> = page.items.iter().map(|p| p.details.full_name.as_str()).collect();
    assert_eq!(names, ["Lisa Thörn", "Maria Hildefors"]);
}
