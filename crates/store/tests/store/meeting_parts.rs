use samverkan_domain::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, OutcomeKind,
};
use samverkan_store::{Store, StoreError};

use crate::fixtures::{date, organisation, person, row_counts, workshop};
use crate::store_tests;

store_tests!(
    parts_change_under_the_meeting_version,
    removing_parts_keeps_links_consistent,
    a_meeting_is_revised_whole_keeping_its_parts
);

/// The web's edit form: the whole meeting sent again, in one transaction.
/// Parts keep their ids (so follow-ups stay tied to their outcome), an
/// attendee archived since the meeting stays, one added must be live, and
/// a stale version or a refusal writes nothing.
async fn a_meeting_is_revised_whole_keeping_its_parts(store: Store) {
    use samverkan_domain::{MeetingLogInput, OutcomeInput, RevisedParts};
    use samverkan_store::{AuditFilter, Newcomers, PageRequest};
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let jan = person(&store, &host, "Jan Theliander", "Senior advisor").await;
    let ebba = person(&store, &host, "Ebba Åkesson", "Lektor").await;
    let mut input = workshop(&host, &lena, date(2024, 4, 26));
    input.attendees.push(AttendeeInput {
        attendee: Attendee::Representative(jan.id),
        role: AttendanceRole::Participant,
        status: AttendanceStatus::Invited,
    });
    input.outcomes.push(OutcomeInput {
        kind: OutcomeKind::Decision,
        text: "Vi startar ett gemensamt projekt".into(),
        agenda_index: Some(0),
    });
    input.follow_ups[0].outcome_index = Some(0);
    let logged = store.log_meeting(input).await.unwrap();
    let id = logged.meeting.id;
    store.archive_representative(jan.id, None).await.unwrap();
    // Ebba is archived too, but never attended.
    store.archive_representative(ebba.id, None).await.unwrap();

    let kept_item = logged.agenda[0].id;
    let kept_outcome = logged.outcomes[0].id;
    let revision = |extra: Option<AttendeeInput>| {
        let mut next: MeetingLogInput = logged.to_input();
        next.follow_ups.clear();
        next.meeting.title = "Workshop om kompetensförsörjning, del 1".into();
        next.attendees[1].status = AttendanceStatus::Attended;
        next.attendees.extend(extra);
        next.agenda.insert(
            0,
            AgendaItemInput {
                title: "Välkommen".into(),
                ..Default::default()
            },
        );
        next.agenda[1].title = "Inledning och mål".into();
        next.outcomes[0].agenda_index = Some(1);
        next.outcomes[0].text = "Vi startar ett gemensamt projekt i höst".into();
        let mut follow_up = logged.to_input().follow_ups.remove(0);
        follow_up.follow_up.title = "Boka nästa träff".into();
        follow_up.outcome_index = Some(0);
        next.follow_ups.push(follow_up);
        next
    };
    let parts = RevisedParts {
        agenda: vec![None, Some(kept_item)],
        outcomes: vec![Some(kept_outcome)],
    };

    // Ebba, archived, cannot be added; a stale version is refused; neither
    // writes anything.
    let before = row_counts(&store).await;
    let ebba_joins = AttendeeInput {
        attendee: Attendee::Representative(ebba.id),
        role: AttendanceRole::Participant,
        status: AttendanceStatus::Attended,
    };
    let refused = store
        .revise_meeting_with(
            id,
            1,
            Newcomers::default(),
            revision(Some(ebba_joins)),
            parts.clone(),
        )
        .await
        .unwrap_err();
    let StoreError::Validation(errors) = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        errors.errors()[0].field,
        "attendees[2].representative_id",
        "{errors:?}"
    );
    let stale = store
        .revise_meeting_with(id, 7, Newcomers::default(), revision(None), parts.clone())
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict { .. }), "{stale:?}");
    assert_eq!(row_counts(&store).await, before);

    let revised = store
        .revise_meeting_with(id, 1, Newcomers::default(), revision(None), parts)
        .await
        .unwrap();
    assert_eq!(revised.meeting.meta.version, 2);
    let read = store.meeting_records(id).await.unwrap();
    assert_eq!(read, revised);
    assert_eq!(
        read.meeting.details.title,
        "Workshop om kompetensförsörjning, del 1"
    );
    // The same attendances, Jan (archived since) marked attended.
    assert_eq!(
        read.attendances.iter().map(|a| a.id).collect::<Vec<_>>(),
        logged.attendances.iter().map(|a| a.id).collect::<Vec<_>>()
    );
    assert_eq!(read.attendances[1].status, AttendanceStatus::Attended);
    // The kept item is second now, renamed, under its id.
    let titles: Vec<_> = read
        .agenda
        .iter()
        .map(|item| (item.position, item.title.as_str()))
        .collect();
    assert_eq!(titles, [(1, "Välkommen"), (2, "Inledning och mål")]);
    assert_eq!(read.agenda[1].id, kept_item);
    assert_ne!(read.agenda[0].id, kept_item);
    assert_eq!(read.outcomes[0].id, kept_outcome);
    assert_eq!(read.outcomes[0].agenda_item_id, Some(kept_item));
    // The first follow-up stays, tied to its outcome; the new one is tied
    // to the same outcome.
    assert_eq!(read.follow_ups.len(), 2);
    assert_eq!(read.follow_ups[0].id, logged.follow_ups[0].id);
    assert!(read.follow_ups.iter().all(|f| f.outcome_id == Some(kept_outcome)));
    let newest = store
        .audit_trail(
            &AuditFilter {
                entity_id: Some(id.as_uuid()),
                ..AuditFilter::default()
            },
            &PageRequest::first(1),
        )
        .await
        .unwrap();
    assert_eq!(newest.items[0].action, "revise");
}

async fn parts_change_under_the_meeting_version(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let jan = person(&store, &host, "Jan Theliander", "Senior advisor").await;
    let logged = store
        .log_meeting(workshop(&host, &lena, date(2024, 4, 26)))
        .await
        .unwrap();
    let id = logged.meeting.id;

    let attendee = AttendeeInput {
        attendee: Attendee::Representative(jan.id),
        role: AttendanceRole::Presenter,
        status: AttendanceStatus::Attended,
    };
    let (_, after) = store.add_attendee(id, Some(1), attendee.clone()).await.unwrap();
    assert_eq!(after.meeting.meta.version, 2);
    let stale = store.add_attendee(id, Some(1), attendee).await.unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict { .. }), "{stale:?}");

    let item = AgendaItemInput {
        title: "Wexus".into(),
        presenter_ids: vec![jan.id, lena.id],
        ..Default::default()
    };
    let (item_id, _) = store.add_agenda_item(id, None, item, Some(1)).await.unwrap();
    let (outcome_id, _) = store
        .add_outcome(
            id,
            None,
            OutcomeKind::Agreement,
            "Vi fortsätter".into(),
            Some(item_id),
        )
        .await
        .unwrap();
    let first = store.meeting_records(id).await.unwrap();
    let order: Vec<_> = first.agenda.iter().rev().map(|i| i.id).collect();
    store.reorder_agenda(id, None, order.clone()).await.unwrap();

    let read = store.meeting_records(id).await.unwrap();
    assert_eq!(
        read.meeting.meta.version, 5,
        "log, attendee, item, outcome, order"
    );
    assert_eq!(read.agenda.iter().map(|i| i.id).collect::<Vec<_>>(), order);
    assert_eq!(read.agenda.iter().map(|i| i.position).collect::<Vec<_>>(), [1, 2]);
    let wexus = read.agenda.iter().find(|i| i.id == item_id).unwrap();
    assert_eq!(
        wexus.presenter_ids,
        [jan.id, lena.id],
        "presenters keep their order"
    );
    assert_eq!(read.outcomes[0].id, outcome_id);
    assert_eq!(read.outcomes[0].agenda_item_id, Some(item_id));

    // A presenter cannot leave; nothing changes when refused.
    let jan_attendance = read
        .attendances
        .iter()
        .find(|a| a.attendee == Attendee::Representative(jan.id))
        .unwrap()
        .id;
    let before = row_counts(&store).await;
    let refused = store.remove_attendee(id, None, jan_attendance).await.unwrap_err();
    assert!(matches!(refused, StoreError::Validation(_)), "{refused:?}");
    assert_eq!(row_counts(&store).await, before);
    assert_eq!(store.meeting_records(id).await.unwrap(), read);
}

async fn removing_parts_keeps_links_consistent(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let mut input = workshop(&host, &lena, date(2024, 4, 26));
    input.outcomes.push(samverkan_domain::OutcomeInput {
        kind: OutcomeKind::Decision,
        text: "Ny träff i höst".into(),
        agenda_index: Some(0),
    });
    input.follow_ups[0].outcome_index = Some(0);
    let logged = store.log_meeting(input).await.unwrap();
    let id = logged.meeting.id;

    let after = store
        .remove_agenda_item(id, None, logged.agenda[0].id)
        .await
        .unwrap();
    assert!(after.agenda.is_empty());
    assert_eq!(
        store.meeting_records(id).await.unwrap().outcomes[0].agenda_item_id,
        None
    );

    store
        .remove_outcome(id, None, logged.outcomes[0].id)
        .await
        .unwrap();
    let read = store.meeting_records(id).await.unwrap();
    assert!(read.outcomes.is_empty());
    assert_eq!(read.follow_ups.len(), 1, "the follow-up stays");
    assert_eq!(
        read.follow_ups[0].outcome_id, None,
        "no longer linked to the removed outcome"
    );

    let missing = store
        .remove_outcome(id, None, samverkan_domain::OutcomeId::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            missing,
            StoreError::NotFound {
                entity: "outcome",
                ..
            }
        ),
        "{missing:?}"
    );
}
