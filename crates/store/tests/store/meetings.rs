use samverkan_domain::{
    AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, MeetingKind, MeetingStatus, OutcomeInput,
    OutcomeKind, time,
};
use samverkan_store::{MeetingFilter, PageRequest, Store, StoreError};

use crate::fixtures::{at, date, organisation, person, row_counts, workshop};
use crate::store_tests;

store_tests!(
    upcoming_meetings_list_soonest_first,
    a_logged_meeting_reads_back_whole,
    a_presenter_who_does_not_attend_leaves_no_row_behind,
    an_unknown_or_archived_reference_leaves_no_row_behind,
    concurrent_meeting_logs_all_succeed,
    day_filters_follow_stockholm_days,
    meetings_are_found_by_organisation_person_and_text,
    a_meeting_update_names_its_version,
    a_stored_negative_duration_is_corrupt,
    newcomers_are_created_with_the_meeting_or_not_at_all,
    people_and_organisations_are_found_by_folded_name,
);

/// The web form's path: people and organisations new to Samverkan are
/// created in the meeting's own transaction, so a refused meeting leaves
/// none of them behind, and a refused newcomer names its place.
async fn newcomers_are_created_with_the_meeting_or_not_at_all(store: Store) {
    use samverkan_domain::{
        OrganisationDetails, OrganisationId, OrganisationInput, OrganisationKind, RepresentativeDraft,
        RepresentativeId, RepresentativeInput,
    };
    use samverkan_store::Newcomers;
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let lisa = person(&store, &host, "Lisa Thörn", "Utvecklingschef").await;
    let school = OrganisationId::new();
    let tilde = RepresentativeId::new();
    let newcomers = || Newcomers {
        organisations: vec![(
            school,
            OrganisationDetails::parse(&OrganisationInput {
                name: "Nils Ericson-gymnasiet".into(),
                kind: Some(OrganisationKind::EducationProvider),
                ..OrganisationInput::default()
            })
            .unwrap(),
        )],
        people: vec![(
            tilde,
            RepresentativeDraft::parse(&RepresentativeInput {
                full_name: "Tilde".into(),
                organisation_id: Some(school),
                is_minor: true,
                ..RepresentativeInput::default()
            })
            .unwrap(),
        )],
    };
    let with_tilde = |presenter_attends: bool| {
        let mut input = workshop(&host, &lisa, date(2024, 4, 26));
        if presenter_attends {
            input.attendees.push(AttendeeInput {
                attendee: Attendee::Representative(tilde),
                role: AttendanceRole::Presenter,
                status: AttendanceStatus::Attended,
            });
        }
        input.agenda[0].presenter_ids.push(tilde);
        input
    };

    // Tilde presents without attending: refused, and neither she nor her
    // school was created.
    let before = row_counts(&store).await;
    let refused = store
        .log_meeting_with(newcomers(), with_tilde(false))
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Validation(_)), "{refused:?}");
    assert_eq!(row_counts(&store).await, before);

    let records = store
        .log_meeting_with(newcomers(), with_tilde(true))
        .await
        .unwrap();
    let attendance = records
        .attendances
        .iter()
        .find(|a| a.attendee == Attendee::Representative(tilde))
        .unwrap();
    assert_eq!(attendance.organisation_id, school);
    let pupil = store.representative(tilde).await.unwrap();
    assert!(pupil.details.is_minor);

    // The same school again is a duplicate, named under its newcomer.
    let again = store
        .log_meeting_with(newcomers(), with_tilde(true))
        .await
        .unwrap_err();
    match again {
        StoreError::Duplicate { field, .. } => {
            assert!(field.starts_with("newcomers.organisations[0]"), "{field}")
        }
        other => panic!("{other:?}"),
    }
}

async fn people_and_organisations_are_found_by_folded_name(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let university = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &university, "Lena Lindhé", "Samverkansstrateg").await;
    let other_lena = person(&store, &host, "Lena Lindhé", "Lärare").await;
    let gone = person(&store, &host, "Jan Theliander", "Senior advisor").await;
    store.archive_representative(gone.id, None).await.unwrap();

    let found = store
        .people_named(&["LENA LINDHE", "jan theliander", "Okänd"])
        .await
        .unwrap();
    let mut ids: Vec<_> = found.iter().map(|person| person.id).collect();
    ids.sort();
    let mut expected = vec![lena.id, other_lena.id];
    expected.sort();
    // Accents and case folded; the archived one is not found.
    assert_eq!(ids, expected);

    let organisations = store
        .organisations_named(&["HÖGSKOLAN VÄST", "kunskapsförbundet väst", "Okänd"])
        .await
        .unwrap();
    assert_eq!(organisations.len(), 2);
    assert_eq!(organisations.get("högskolan väst"), Some(&university.id));
    assert_eq!(organisations.get("kunskapsförbundet väst"), Some(&host.id));
}

/// A row no write of the store makes (a hand edit, a bug) is reported as
/// `Corrupt`, never passed on as some other number or dropped.
async fn a_stored_negative_duration_is_corrupt(store: Store) {
    use sea_orm::ConnectionTrait;
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let lisa = person(&store, &host, "Lisa Thörn", "Utvecklingschef").await;
    let mut input = workshop(&host, &lisa, date(2024, 4, 26));
    input.agenda[0].duration_minutes = Some(30);
    let records = store.log_meeting(input).await.unwrap();
    // The only agenda item of the database.
    store
        .connection()
        .execute_unprepared("UPDATE agenda_items SET duration_minutes = -5")
        .await
        .unwrap();
    let error = store.meeting_records(records.meeting.id).await.unwrap_err();
    assert!(
        matches!(&error, StoreError::Corrupt { entity: "agenda item", reason, .. } if reason.contains("duration_minutes")),
        "{error:?}"
    );
}

async fn a_logged_meeting_reads_back_whole(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let company = organisation(&store, "GKN Aerospace").await;
    let lisa = person(&store, &host, "Lisa Thörn", "Utvecklingschef").await;
    let mut input = workshop(&host, &lisa, date(2024, 4, 26));
    input.attendees.push(AttendeeInput {
        attendee: Attendee::Organisation(company.id),
        role: AttendanceRole::Participant,
        status: AttendanceStatus::Attended,
    });
    input.meeting.tags = vec!["Tillsammanskraft".into()];
    input.meeting.location = Some("Drömfabriken, Trollhättan".into());
    input.agenda.push(samverkan_domain::AgendaItemInput {
        title: "Diskussion: ungas val".into(),
        duration_minutes: Some(45),
        tags: vec!["kompetensförsörjning".into()],
        ..Default::default()
    });
    input.outcomes.push(OutcomeInput {
        kind: OutcomeKind::Insight,
        text: "Mötet bygger broar mellan utbildning och arbetsliv.".into(),
        agenda_index: Some(1),
    });
    input.follow_ups[0].outcome_index = Some(0);
    let logged = store.log_meeting(input).await.unwrap();
    let read = store.meeting_records(logged.meeting.id).await.unwrap();
    assert_eq!(read, logged);
    assert_eq!(read.meeting.details.status, MeetingStatus::Held);
    assert_eq!(read.meeting.details.tags.to_strings(), ["tillsammanskraft"]);
    assert_eq!(read.agenda[1].duration_minutes, Some(45));
    assert_eq!(read.outcomes[0].agenda_item_id, Some(read.agenda[1].id));
    assert_eq!(read.follow_ups[0].outcome_id, Some(read.outcomes[0].id));
    assert_eq!(read.attendances[1].attendee, Attendee::Organisation(company.id));
}

async fn a_presenter_who_does_not_attend_leaves_no_row_behind(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let maria = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    let stranger = person(&store, &host, "Jan-Erik Aronsson", "Förbundsstrateg").await;
    let before = row_counts(&store).await;
    let mut input = workshop(&host, &maria, date(2024, 4, 26));
    input.agenda[0].presenter_ids.push(stranger.id);
    let error = store.log_meeting(input).await.unwrap_err();
    let StoreError::Validation(errors) = error else {
        panic!("expected a validation error, got {error:?}")
    };
    assert_eq!(errors.errors()[0].field, "agenda[0].presenter_ids[1]");
    assert_eq!(row_counts(&store).await, before);
}

async fn an_unknown_or_archived_reference_leaves_no_row_behind(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let gone = organisation(&store, "Nedlagt AB").await;
    store.archive_organisation(gone.id, None).await.unwrap();
    let maria = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    let before = row_counts(&store).await;
    let mut input = workshop(&host, &maria, date(2024, 4, 26));
    input.attendees.push(AttendeeInput {
        attendee: Attendee::Organisation(gone.id),
        role: AttendanceRole::Guest,
        status: AttendanceStatus::Invited,
    });
    input.follow_ups[0].follow_up.owner_id = Some(samverkan_domain::RepresentativeId::new());
    let error = store.log_meeting(input).await.unwrap_err();
    let StoreError::Validation(errors) = error else {
        panic!("expected a validation error, got {error:?}")
    };
    let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["attendees[1].organisation_id", "follow_ups[0].owner_id"]);
    assert_eq!(row_counts(&store).await, before);
}

async fn concurrent_meeting_logs_all_succeed(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let maria = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    let tasks: Vec<_> = (0..32)
        .map(|day| {
            let store = store.clone();
            let input = workshop(&host, &maria, date(2024, 1, 1) + chrono::Days::new(day));
            tokio::spawn(async move { store.log_meeting(input).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let page = store
        .list_meetings(&MeetingFilter::default(), &PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 32);
}

async fn day_filters_follow_stockholm_days(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let maria = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    // 23:30 in Stockholm on 2024-12-31 is 22:30 UTC the same day ...
    let mut late = workshop(&host, &maria, date(2024, 12, 31));
    late.meeting.all_day = false;
    late.meeting.starts_at = Some(at("2024-12-31T23:30:00+01:00"));
    store.log_meeting(late).await.unwrap();
    // ... and 00:30 on 2025-01-01 is still 2024-12-31 in UTC.
    let mut early = workshop(&host, &maria, date(2025, 1, 1));
    early.meeting.all_day = false;
    early.meeting.starts_at = Some(at("2025-01-01T00:30:00+01:00"));
    store.log_meeting(early).await.unwrap();

    let on = |from, to| MeetingFilter {
        from: Some(from),
        to: Some(to),
        ..MeetingFilter::default()
    };
    let december = store
        .list_meetings(
            &on(date(2024, 12, 1), date(2024, 12, 31)),
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(december.items.len(), 1);
    assert_eq!(december.items[0].details.date(), date(2024, 12, 31));
    let new_year = store
        .list_meetings(&on(date(2025, 1, 1), date(2025, 1, 1)), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(new_year.items.len(), 1);
    assert_eq!(
        time::local_date(new_year.items[0].details.starts_at),
        date(2025, 1, 1)
    );
}

async fn meetings_are_found_by_organisation_person_and_text(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let company = organisation(&store, "Vattenfall").await;
    let other = organisation(&store, "Högskolan Väst").await;
    let maria = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    let lena = person(&store, &other, "Lena Lindhé", "Samverkansstrateg").await;
    let mut visited = workshop(&host, &maria, date(2024, 4, 26));
    visited.meeting.kind = Some(MeetingKind::SiteVisit);
    visited.meeting.title = "Studiebesök på Vattenfall".into();
    visited.meeting.host_organisation_id = Some(company.id);
    store.log_meeting(visited).await.unwrap();
    store
        .log_meeting(workshop(&other, &lena, date(2024, 5, 2)))
        .await
        .unwrap();

    let titles = |filter: MeetingFilter| {
        let store = store.clone();
        async move {
            let page = store
                .list_meetings(&filter, &PageRequest::default())
                .await
                .unwrap();
            page.items
                .into_iter()
                .map(|m| m.details.title)
                .collect::<Vec<_>>()
        }
    };
    let all = MeetingFilter::default;
    assert_eq!(
        titles(MeetingFilter {
            organisation_id: Some(company.id),
            ..all()
        })
        .await,
        ["Studiebesök på Vattenfall"]
    );
    assert_eq!(
        titles(MeetingFilter {
            organisation_id: Some(host.id),
            ..all()
        })
        .await,
        ["Studiebesök på Vattenfall"],
        "attended through one of its people"
    );
    assert_eq!(
        titles(MeetingFilter {
            representative_id: Some(lena.id),
            ..all()
        })
        .await,
        ["Workshop om kompetensförsörjning"]
    );
    assert_eq!(
        titles(MeetingFilter {
            q: Some("STUDIEBESÖK".into()),
            ..all()
        })
        .await,
        ["Studiebesök på Vattenfall"]
    );
    assert_eq!(
        titles(MeetingFilter {
            kind: Some(MeetingKind::Workshop),
            ..all()
        })
        .await
        .len(),
        1
    );
    assert_eq!(
        titles(all()).await,
        ["Workshop om kompetensförsörjning", "Studiebesök på Vattenfall"],
        "newest first"
    );
}

async fn a_meeting_update_names_its_version(store: Store) {
    let host = organisation(&store, "Kunskapsförbundet Väst").await;
    let maria = person(&store, &host, "Maria Hildefors", "Förbundsdirektör").await;
    let logged = store
        .log_meeting(workshop(&host, &maria, date(2024, 4, 26)))
        .await
        .unwrap();
    let mut input = logged.meeting.details.to_input();
    input.summary = Some("Tema: Tillsammanskraft.".into());
    input.tags = vec!["tema".into()];
    let details = samverkan_domain::MeetingDetails::parse(&input, time::now()).unwrap();
    let updated = store
        .update_meeting(logged.meeting.id, 1, details.clone())
        .await
        .unwrap();
    assert_eq!(updated.meta.version, 2);
    assert_eq!(store.meeting(logged.meeting.id).await.unwrap(), updated);
    let error = store
        .update_meeting(logged.meeting.id, 1, details)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::VersionConflict { .. }), "{error:?}");
}

async fn upcoming_meetings_list_soonest_first(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let today = date(2025, 3, 10);
    let mut upcoming = Vec::new();
    for day in [12, 9, 10, 20, 11, 1, 15, 10] {
        let logged = store
            .log_meeting(workshop(&host, &lena, date(2025, 3, day)))
            .await
            .unwrap();
        if day >= 10 {
            upcoming.push((logged.meeting.details.starts_at, logged.meeting.id));
        }
    }
    upcoming.sort();
    let filter = MeetingFilter {
        from: Some(today),
        order: samverkan_domain::SortOrder::Asc,
        ..MeetingFilter::default()
    };
    let s = &store;
    let walked = crate::paging::walk_both_ways("upcoming meetings", 2, async |page| {
        s.list_meetings(&filter, page).await.unwrap()
    })
    .await;
    let seen: Vec<_> = walked.iter().map(|m| (m.details.starts_at, m.id)).collect();
    assert_eq!(seen, upcoming);
    // Newest first stays the default.
    let newest = store
        .list_meetings(&MeetingFilter::default(), &PageRequest::first(1))
        .await
        .unwrap();
    assert_eq!(
        newest.items[0].details.starts_at,
        time::day_start(date(2025, 3, 20))
    );
}
