use samverkan_domain::{AttendanceStatus, Attendee};
use samverkan_store::Store;

use crate::fixtures::row_counts;
use crate::store_tests;

store_tests!(
    the_demo_holds_the_seed_facts,
    the_demo_loads_twice_without_duplicating_anything,
    concurrent_demo_loads_write_it_once
);

async fn the_demo_holds_the_seed_facts(store: Store) {
    let demo = store.load_demo().await.unwrap();
    assert!(demo.created);
    let meeting = &demo.records.meeting.details;
    assert_eq!(meeting.title, "Strategisk partnerträff");
    assert_eq!(meeting.date(), samverkan_store::demo::meeting_date());
    assert!(meeting.all_day);
    assert_eq!(demo.organisations.len(), 7);
    assert_eq!(demo.people.len(), 8);
    assert_eq!(demo.records.agenda.len(), 6);
    assert!(
        demo.records.agenda[2].presenter_ids.is_empty(),
        "the discussion has no presenter"
    );
    assert_eq!(demo.records.agenda[1].presenter_ids.len(), 2);
    let trollhattan = demo
        .organisations
        .values()
        .find(|o| o.details.name.as_str() == "Trollhättans stad")
        .unwrap();
    let attendance = demo
        .records
        .attendances
        .iter()
        .find(|a| a.attendee == Attendee::Organisation(trollhattan.id))
        .unwrap();
    assert_eq!(
        attendance.status,
        AttendanceStatus::Invited,
        "named once, attendance unconfirmed"
    );
    let pupils: Vec<_> = demo.people.values().filter(|p| p.details.is_minor).collect();
    assert_eq!(pupils.len(), 2);
    assert!(
        pupils
            .iter()
            .all(|p| p.details.email.is_none() && p.details.phone.is_none())
    );
    assert!(
        demo.records
            .follow_ups
            .iter()
            .all(|f| f.details.title.starts_with("Exempel"))
    );
    let text = demo.to_string();
    for name in [
        "Lena Lindhé",
        "Lisa Thörn",
        "Drömfabriken",
        "NU-sjukvården",
        "Trollhättans stad",
    ] {
        assert!(text.contains(name), "the summary names {name}");
    }
}

async fn the_demo_loads_twice_without_duplicating_anything(store: Store) {
    let first = store.load_demo().await.unwrap();
    let after_first = row_counts(&store).await;
    let second = store.load_demo().await.unwrap();
    assert!(!second.created);
    assert_eq!(second.records, first.records);
    assert_eq!(row_counts(&store).await, after_first);
}

async fn concurrent_demo_loads_write_it_once(store: Store) {
    let (a, b) = tokio::join!(store.load_demo(), store.load_demo());
    // On PostgreSQL the loser of the race may fail on a unique index; what
    // matters is that the data is there once.
    assert!(a.is_ok() || b.is_ok(), "{a:?} {b:?}");
    let again = store.load_demo().await.unwrap();
    assert!(!again.created);
    let page = store
        .list_meetings(
            &samverkan_store::MeetingFilter::default(),
            &samverkan_store::PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
}
