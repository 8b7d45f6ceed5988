use samverkan_domain::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, OutcomeKind,
};
use samverkan_store::{Store, StoreError};

use crate::fixtures::{date, organisation, person, row_counts, workshop};
use crate::store_tests;

store_tests!(
    parts_change_under_the_meeting_version,
    removing_parts_keeps_links_consistent
);

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
