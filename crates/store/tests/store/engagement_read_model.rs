//! The engagement read model follows every write of a meeting and its
//! parts: after each kind of write its rows are exactly what the
//! migration's backfill derives from the base tables.

use samverkan_domain::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, MeetingKind, MeetingStatus,
};
use samverkan_migration::m20261130_000011_engagement_read_model::{BACKFILL_MEETINGS, BACKFILL_PEOPLE};
use samverkan_store::Store;
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

use crate::fixtures::{at, date, organisation, person, workshop};
use crate::store_tests;

store_tests!(
    the_read_model_follows_every_meeting_write,
    the_backfill_derives_the_demo_as_the_store_writes_it
);

/// The read model's rows, each as text, in a fixed order.
async fn rows(db: &impl ConnectionTrait, backend: sea_orm::DbBackend) -> Vec<String> {
    let mut all = Vec::new();
    for sql in [
        "SELECT meeting_id, organisation_id, starts_at, partner_day, hosted, attended, presentations \
         FROM engagement_meetings",
        "SELECT meeting_id, representative_id, organisation_id, starts_at FROM engagement_people",
    ] {
        for row in db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
        {
            let meeting: uuid::Uuid = row.try_get_by_index(0).unwrap();
            let second: uuid::Uuid = row.try_get_by_index(1).unwrap();
            let text = if sql.contains("presentations") {
                let starts: chrono::DateTime<chrono::Utc> = row.try_get_by_index(2).unwrap();
                let flags: Vec<i32> = (3..7)
                    .map(|i| {
                        row.try_get_by_index::<i32>(i)
                            .or_else(|_| row.try_get_by_index::<i16>(i).map(i32::from))
                            .unwrap()
                    })
                    .collect();
                format!("meeting {meeting} organisation {second} {starts} {flags:?}")
            } else {
                let organisation: uuid::Uuid = row.try_get_by_index(2).unwrap();
                let starts: chrono::DateTime<chrono::Utc> = row.try_get_by_index(3).unwrap();
                format!("meeting {meeting} person {second} for {organisation} {starts}")
            };
            all.push(text);
        }
    }
    all.sort();
    all
}

/// The rows as the store keeps them, and as the migration's backfill
/// derives them from the base tables (in a transaction rolled back).
async fn stored_and_derived(store: &Store) -> (Vec<String>, Vec<String>) {
    let backend = store.backend();
    let stored = rows(store.connection(), backend).await;
    let txn = store.connection().begin().await.unwrap();
    for sql in [
        "DELETE FROM engagement_meetings",
        "DELETE FROM engagement_people",
        BACKFILL_MEETINGS,
        BACKFILL_PEOPLE,
    ] {
        txn.execute_unprepared(sql).await.unwrap();
    }
    let derived = rows(&txn, backend).await;
    txn.rollback().await.unwrap();
    (stored, derived)
}

async fn assert_in_step(store: &Store, after: &str) -> Vec<String> {
    let (stored, derived) = stored_and_derived(store).await;
    assert_eq!(stored, derived, "after {after}");
    stored
}

async fn the_read_model_follows_every_meeting_write(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let guest = organisation(&store, "Innovatum Science Center").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let asa = person(&store, &guest, "Åsa Öberg", "Verksamhetsledare").await;
    let bo = person(&store, &guest, "Bo Ek", "Pedagog").await;

    let logged = store
        .log_meeting(workshop(&host, &lena, date(2024, 4, 26)))
        .await
        .unwrap();
    let id = logged.meeting.id;
    let rows = assert_in_step(&store, "a log").await;
    assert_eq!(rows.len(), 2, "the host's row and Lena's: {rows:#?}");

    let attendee = |person: &samverkan_domain::Representative| AttendeeInput {
        attendee: Attendee::Representative(person.id),
        role: AttendanceRole::Participant,
        status: AttendanceStatus::Attended,
    };
    let (asa_attendance, _) = store.add_attendee(id, None, attendee(&asa)).await.unwrap();
    let rows = assert_in_step(&store, "an attendee added").await;
    assert_eq!(rows.len(), 4, "the guest organisation and Åsa join: {rows:#?}");

    let item = AgendaItemInput {
        title: "Teknikcollege".into(),
        presenter_ids: vec![asa.id],
        ..AgendaItemInput::default()
    };
    let (item_id, _) = store.add_agenda_item(id, None, item, None).await.unwrap();
    let rows = assert_in_step(&store, "an item presented").await;
    assert!(
        rows.iter()
            .any(|row| row.contains(&guest.id.to_string()) && row.ends_with("[0, 0, 1, 1]")),
        "the guest presented one item: {rows:#?}"
    );

    let (bo_attendance, _) = store.add_attendee(id, None, attendee(&bo)).await.unwrap();
    assert_in_step(&store, "a second guest").await;
    store.remove_attendee(id, None, bo_attendance).await.unwrap();
    assert_in_step(&store, "an attendee removed").await;

    let moved = AgendaItemInput {
        title: "Teknikcollege".into(),
        presenter_ids: vec![lena.id],
        ..AgendaItemInput::default()
    };
    store.update_agenda_item(id, None, item_id, moved).await.unwrap();
    assert_in_step(&store, "the presenter changed").await;

    store
        .update_attendee(id, None, asa_attendance, None, Some(AttendanceStatus::Absent))
        .await
        .unwrap();
    let rows = assert_in_step(&store, "an attendee absent").await;
    assert!(
        !rows.iter().any(|row| row.contains(&guest.id.to_string())),
        "an absent guest does not engage: {rows:#?}"
    );
    store.remove_agenda_item(id, None, item_id).await.unwrap();
    assert_in_step(&store, "an item removed").await;

    let meeting = store.meeting(id).await.unwrap();
    let mut details = meeting.details.clone();
    details.kind = MeetingKind::PartnerDay;
    details.starts_at = at("2024-05-02T07:00:00Z");
    details.ends_at = None;
    details.all_day = false;
    details.host_organisation_id = Some(guest.id);
    let meeting = store
        .update_meeting(id, meeting.meta.version, details.clone())
        .await
        .unwrap();
    let rows = assert_in_step(&store, "a new host, kind and start").await;
    assert!(
        rows.iter().all(|row| row.contains("2024-05-02 07:00:00")),
        "{rows:#?}"
    );

    details.status = MeetingStatus::Cancelled;
    let meeting = store
        .update_meeting(id, meeting.meta.version, details.clone())
        .await
        .unwrap();
    assert_eq!(
        assert_in_step(&store, "a cancellation").await,
        Vec::<String>::new()
    );

    details.status = MeetingStatus::Held;
    let meeting = store
        .update_meeting(id, meeting.meta.version, details)
        .await
        .unwrap();
    let rows = assert_in_step(&store, "the cancellation undone").await;
    assert_eq!(rows.len(), 3, "the guest hosts, Lena attends for hers: {rows:#?}");

    store
        .archive_meeting(id, Some(meeting.meta.version))
        .await
        .unwrap();
    assert_eq!(assert_in_step(&store, "an archive").await, Vec::<String>::new());
}

async fn the_backfill_derives_the_demo_as_the_store_writes_it(store: Store) {
    store.load_demo().await.unwrap();
    let rows = assert_in_step(&store, "the demo").await;
    assert!(rows.len() > 10, "the seed partner day engages many: {rows:#?}");
}
