//! The audit trail: every write records who, what, before and after, in its
//! own transaction; failed writes record nothing.

use samverkan_domain::{
    FollowUpDetails, OrganisationDetails, OrganisationInput, OrganisationKind, OutcomeKind, Role,
    UserDetails, UserInput,
};
use samverkan_store::{Actor, AuditFilter, PageRequest, Store, StoreError};

use crate::fixtures::{date, organisation, person, row_counts, workshop};
use crate::store_tests;

store_tests!(
    every_write_records_who_what_before_and_after,
    failed_writes_record_nothing,
    the_demo_is_recorded_once
);

async fn history(store: &Store, id: uuid::Uuid) -> Vec<(String, String, String)> {
    let filter = AuditFilter {
        entity_id: Some(id),
        ..AuditFilter::default()
    };
    let page = store.audit_trail(&filter, &PageRequest::default()).await.unwrap();
    let mut events: Vec<_> = page
        .items
        .into_iter()
        .map(|event| (event.entity, event.action, event.actor))
        .collect();
    events.reverse();
    events
}

fn renamed(name: &str) -> OrganisationDetails {
    OrganisationDetails::parse(&OrganisationInput {
        name: name.into(),
        kind: Some(OrganisationKind::Municipality),
        tags: vec!["kommun".into()],
        ..OrganisationInput::default()
    })
    .unwrap()
}

async fn every_write_records_who_what_before_and_after(store: Store) {
    let user = store
        .create_user(
            UserDetails::parse(&UserInput {
                email: "lena.lindhe@example.se".into(),
                role: Some(Role::Strategist),
                ..UserInput::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        history(&store, user.id.as_uuid()).await,
        [("user".into(), "create".into(), "cli".into())]
    );
    let as_lena = store.acting_as(Actor::User {
        id: user.id,
        email: "lena.lindhe@example.se".into(),
    });
    let who = || "lena.lindhe@example.se".to_owned();

    let host = organisation(&as_lena, "Vänersborgs kommun").await;
    as_lena
        .update_organisation(host.id, 1, renamed("Melleruds kommun"))
        .await
        .unwrap();
    as_lena.archive_organisation(host.id, None).await.unwrap();
    assert_eq!(
        history(&as_lena, host.id.as_uuid()).await,
        [
            ("organisation".into(), "create".into(), who()),
            ("organisation".into(), "update".into(), who()),
            ("organisation".into(), "archive".into(), who()),
        ]
    );
    // Before and after hold the fields as stored.
    let filter = AuditFilter {
        entity_id: Some(host.id.as_uuid()),
        ..AuditFilter::default()
    };
    let events = store
        .audit_trail(&filter, &PageRequest::default())
        .await
        .unwrap()
        .items;
    let update = events.iter().find(|e| e.action == "update").unwrap();
    assert_eq!(update.before.as_ref().unwrap()["name"], "Vänersborgs kommun");
    assert_eq!(update.after.as_ref().unwrap()["name"], "Melleruds kommun");
    assert_eq!(
        update.after.as_ref().unwrap()["tags"],
        serde_json::json!(["kommun"])
    );
    assert_eq!(update.user_id, Some(user.id));
    let archive = events.iter().find(|e| e.action == "archive").unwrap();
    assert!(archive.before.as_ref().unwrap()["archived_at"].is_null());
    assert!(archive.after.as_ref().unwrap()["archived_at"].is_string());

    let other = organisation(&as_lena, "Innovatum").await;
    let presenter = person(&as_lena, &other, "Åsa Öberg", "Projektledare").await;
    let logged = as_lena
        .log_meeting(workshop(&other, &presenter, date(2024, 5, 2)))
        .await
        .unwrap();
    let meeting = logged.meeting.id;
    let (_, _) = as_lena
        .add_outcome(
            meeting,
            Some(1),
            OutcomeKind::Decision,
            "Ses igen i höst.".into(),
            None,
        )
        .await
        .unwrap();
    as_lena.archive_meeting(meeting, None).await.unwrap();
    let actions: Vec<String> = history(&as_lena, meeting.as_uuid())
        .await
        .into_iter()
        .map(|(_, action, _)| action)
        .collect();
    assert_eq!(actions, ["log", "add_outcome", "archive"]);
    let filter = AuditFilter {
        entity_id: Some(meeting.as_uuid()),
        ..AuditFilter::default()
    };
    let events = store
        .audit_trail(&filter, &PageRequest::default())
        .await
        .unwrap()
        .items;
    let added = events.iter().find(|e| e.action == "add_outcome").unwrap();
    assert_eq!(
        added.before.as_ref().unwrap()["outcomes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        added.after.as_ref().unwrap()["outcomes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        added.after.as_ref().unwrap()["attendees"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let follow_up = &logged.follow_ups[0];
    let mut input = follow_up.details.to_input();
    input.status = Some(samverkan_domain::FollowUpStatus::Done);
    as_lena
        .update_follow_up(follow_up.id, 1, FollowUpDetails::parse(&input).unwrap(), None)
        .await
        .unwrap();
    let actions: Vec<String> = history(&as_lena, follow_up.id.as_uuid())
        .await
        .into_iter()
        .map(|(_, action, _)| action)
        .collect();
    assert_eq!(actions, ["create", "update"]);

    let (token, secret) = store.issue_token(user.id, "rapporter", Some(30)).await.unwrap();
    store.revoke_token(token.id).await.unwrap();
    store.set_user_disabled(user.id, true).await.unwrap();
    let token_events = history(&store, token.id.as_uuid()).await;
    assert_eq!(token_events.len(), 2);
    let filter = AuditFilter {
        entity: Some("token".into()),
        ..AuditFilter::default()
    };
    let events = store
        .audit_trail(&filter, &PageRequest::default())
        .await
        .unwrap()
        .items;
    assert!(
        events.iter().all(|e| !e
            .after
            .as_ref()
            .unwrap()
            .to_string()
            .contains(secret.hash().as_str())),
        "the trail never holds a token's hash"
    );
    assert_eq!(history(&store, user.id.as_uuid()).await.len(), 2);
}

async fn failed_writes_record_nothing(store: Store) {
    let host = organisation(&store, "Vänersborgs kommun").await;
    let before = row_counts(&store).await;
    // A stale version, a duplicate name, a meeting with an unknown presenter.
    assert!(matches!(
        store
            .update_organisation(host.id, 7, renamed("Melleruds kommun"))
            .await,
        Err(StoreError::VersionConflict { .. })
    ));
    organisation(&store, "Innovatum").await;
    let after_one = row_counts(&store).await;
    assert!(matches!(
        store.update_organisation(host.id, 1, renamed("Innovatum")).await,
        Err(StoreError::Duplicate { .. })
    ));
    let stranger = person(&store, &host, "Jan Theliander", "Senior advisor").await;
    let counted = row_counts(&store).await;
    let mut log = workshop(&host, &stranger, date(2024, 5, 2));
    log.agenda[0].presenter_ids = vec![samverkan_domain::RepresentativeId::new()];
    assert!(store.log_meeting(log).await.is_err());
    assert_eq!(row_counts(&store).await, counted);
    let audit = |counts: &[(String, i64)]| counts.iter().find(|(t, _)| t == "audit_events").unwrap().1;
    assert_eq!(audit(&after_one), audit(&before) + 1, "only Innovatum's creation");
}

async fn the_demo_is_recorded_once(store: Store) {
    store.load_demo().await.unwrap();
    let all = store
        .audit_trail(
            &AuditFilter::default(),
            &PageRequest::parse(Some(500), None).unwrap(),
        )
        .await
        .unwrap()
        .items;
    assert!(all.iter().all(|e| e.actor == "demo"));
    assert!(all.iter().any(|e| e.entity == "meeting" && e.action == "log"));
    let count = all.len();
    store.load_demo().await.unwrap();
    let again = store
        .audit_trail(
            &AuditFilter::default(),
            &PageRequest::parse(Some(500), None).unwrap(),
        )
        .await
        .unwrap()
        .items;
    assert_eq!(again.len(), count);
}
