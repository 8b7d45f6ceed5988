use samverkan_domain::{FollowUpDetails, FollowUpStatus, time};
use samverkan_store::{FollowUpFilter, FollowUpOrder, PageRequest, Store, StoreError};

use crate::fixtures::{date, organisation, person, workshop};
use crate::store_tests;

store_tests!(
    done_sets_completed_at_and_reopening_clears_it,
    history_logged_later_keeps_its_completion_days,
    overdue_means_pending_and_past_due,
    a_follow_up_belongs_to_a_live_meeting,
    unfinished_ones_list_by_due_date_undated_last
);

async fn done_sets_completed_at_and_reopening_clears_it(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let logged = store
        .log_meeting(workshop(&host, &lena, date(2024, 4, 26)))
        .await
        .unwrap();
    let follow_up = &logged.follow_ups[0];
    assert_eq!(follow_up.completed_at, None);

    let mut input = follow_up.details.to_input();
    input.status = Some(FollowUpStatus::Done);
    let done = store
        .update_follow_up(follow_up.id, 1, FollowUpDetails::parse(&input).unwrap(), None)
        .await
        .unwrap();
    assert!(done.completed_at.is_some());
    assert_eq!(store.follow_up(follow_up.id).await.unwrap(), done);

    input.status = Some(FollowUpStatus::Open);
    let reopened = store
        .update_follow_up(follow_up.id, 2, FollowUpDetails::parse(&input).unwrap(), None)
        .await
        .unwrap();
    assert_eq!(reopened.completed_at, None);
    assert_eq!(reopened.meta.version, 3);
    let stale = store
        .update_follow_up(follow_up.id, 2, FollowUpDetails::parse(&input).unwrap(), None)
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict { .. }));
}

/// A strategist logging last spring's meetings today states the days their
/// follow-ups were done; a day in the future, before the meeting, or for a
/// follow-up not done is refused and writes nothing.
async fn history_logged_later_keeps_its_completion_days(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let mut input = workshop(&host, &lena, date(2024, 4, 26));
    input.follow_ups[0].follow_up.status = Some(FollowUpStatus::Done);
    input.follow_ups[0].follow_up.completed_on = Some(date(2024, 5, 10));
    let logged = store.log_meeting(input.clone()).await.unwrap();
    let follow_up = &logged.follow_ups[0];
    assert_eq!(follow_up.completed_at, Some(time::day_start(date(2024, 5, 10))));

    // Corrected later, under its version.
    let details = follow_up.details.clone();
    let corrected = store
        .update_follow_up(follow_up.id, 1, details.clone(), Some(date(2024, 5, 20)))
        .await
        .unwrap();
    assert_eq!(corrected.completed_at, Some(time::day_start(date(2024, 5, 20))));
    // Left out, the day stays.
    let kept = store
        .update_follow_up(follow_up.id, 2, details.clone(), None)
        .await
        .unwrap();
    assert_eq!(kept.completed_at, corrected.completed_at);

    let before = crate::fixtures::row_counts(&store).await;
    for (day, status) in [
        (time::today().succ_opt().unwrap(), FollowUpStatus::Done),
        (date(2024, 4, 25), FollowUpStatus::Done),
        (date(2024, 5, 10), FollowUpStatus::Open),
    ] {
        let mut refused = input.clone();
        refused.follow_ups[0].follow_up.status = Some(status);
        refused.follow_ups[0].follow_up.completed_on = Some(day);
        let error = store.log_meeting(refused).await.unwrap_err();
        let StoreError::Validation(errors) = error else {
            panic!("{day}: {error:?}")
        };
        assert_eq!(errors.errors()[0].field, "follow_ups[0].completed_on", "{day}");
        let mut changed = details.clone();
        changed.status = status;
        let error = store
            .update_follow_up(follow_up.id, 3, changed.clone(), Some(day))
            .await
            .unwrap_err();
        assert!(
            matches!(&error, StoreError::Validation(e) if e.errors()[0].field == "completed_on"),
            "{error:?}"
        );
        let error = store
            .create_follow_up(logged.meeting.id, None, changed, Some(day))
            .await
            .unwrap_err();
        assert!(
            matches!(&error, StoreError::Validation(e) if e.errors()[0].field == "completed_on"),
            "{error:?}"
        );
    }
    assert_eq!(
        crate::fixtures::row_counts(&store).await,
        before,
        "a refused day wrote something"
    );
}

async fn overdue_means_pending_and_past_due(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let mut input = workshop(&host, &lena, date(2024, 4, 26));
    let template = input.follow_ups[0].clone();
    input.follow_ups.clear();
    for (title, due, status) in [
        ("förfallen", Some(date(2024, 5, 1)), FollowUpStatus::Open),
        (
            "pågående förfallen",
            Some(date(2024, 5, 1)),
            FollowUpStatus::InProgress,
        ),
        ("klar", Some(date(2024, 5, 1)), FollowUpStatus::Done),
        ("i dag", Some(time::today()), FollowUpStatus::Open),
        ("utan datum", None, FollowUpStatus::Open),
    ] {
        let mut follow_up = template.clone();
        follow_up.follow_up.title = title.into();
        follow_up.follow_up.due_on = due;
        follow_up.follow_up.status = Some(status);
        input.follow_ups.push(follow_up);
    }
    store.log_meeting(input).await.unwrap();
    let filter = FollowUpFilter {
        overdue_on: Some(time::today()),
        ..FollowUpFilter::default()
    };
    let page = store
        .list_follow_ups(&filter, &PageRequest::default())
        .await
        .unwrap();
    let titles: Vec<&str> = page.items.iter().map(|f| f.details.title.as_str()).collect();
    assert_eq!(titles, ["förfallen", "pågående förfallen"]);
    let by_owner = FollowUpFilter {
        owner_id: Some(lena.id),
        q: Some("FÖRFALLEN".into()),
        ..FollowUpFilter::default()
    };
    assert_eq!(
        store
            .list_follow_ups(&by_owner, &PageRequest::default())
            .await
            .unwrap()
            .items
            .len(),
        2
    );
}

async fn a_follow_up_belongs_to_a_live_meeting(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let logged = store
        .log_meeting(workshop(&host, &lena, date(2024, 4, 26)))
        .await
        .unwrap();
    let details = logged.follow_ups[0].details.clone();
    let added = store
        .create_follow_up(logged.meeting.id, None, details.clone(), None)
        .await
        .unwrap();
    assert_eq!(added.meeting_id, logged.meeting.id);
    let error = store
        .create_follow_up(samverkan_domain::MeetingId::new(), None, details.clone(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Validation(_)), "{error:?}");
    let foreign_outcome = samverkan_domain::OutcomeId::new();
    let error = store
        .create_follow_up(logged.meeting.id, Some(foreign_outcome), details, None)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Validation(_)), "{error:?}");
}

async fn unfinished_ones_list_by_due_date_undated_last(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let logged = store
        .log_meeting(workshop(&host, &lena, date(2024, 4, 26)))
        .await
        .unwrap();
    // The workshop's own follow-up has no due date.
    let mut expected = vec![(None, logged.follow_ups[0].id)];
    let dues = [
        (Some(date(2024, 6, 1)), FollowUpStatus::Open),
        (None, FollowUpStatus::InProgress),
        (Some(date(2024, 5, 1)), FollowUpStatus::InProgress),
        (Some(date(2024, 6, 1)), FollowUpStatus::Open),
        (Some(date(2024, 4, 1)), FollowUpStatus::Done),
        (Some(date(2024, 3, 1)), FollowUpStatus::Cancelled),
        (Some(date(2024, 5, 15)), FollowUpStatus::Open),
        (None, FollowUpStatus::Open),
    ];
    for (due_on, status) in dues {
        let details = FollowUpDetails {
            due_on,
            status,
            ..logged.follow_ups[0].details.clone()
        };
        let added = store
            .create_follow_up(logged.meeting.id, None, details, None)
            .await
            .unwrap();
        if matches!(status, FollowUpStatus::Open | FollowUpStatus::InProgress) {
            expected.push((due_on, added.id));
        }
    }
    // Soonest first, undated last, ties in the order they were made.
    expected.sort_by_key(|(due_on, id)| (due_on.is_none(), *due_on, *id));
    let filter = FollowUpFilter {
        unfinished: true,
        order: FollowUpOrder::DueOn,
        ..FollowUpFilter::default()
    };
    let s = &store;
    let walked = crate::paging::walk_both_ways("follow-ups by due date", 2, async |page| {
        s.list_follow_ups(&filter, page).await.unwrap()
    })
    .await;
    let seen: Vec<_> = walked.iter().map(|f| (f.details.due_on, f.id)).collect();
    assert_eq!(seen, expected);
    // A cursor of the list in the order made is no cursor of this one.
    let made = store
        .list_follow_ups(&FollowUpFilter::default(), &PageRequest::first(1))
        .await
        .unwrap();
    let foreign = PageRequest::parse(Some(2), made.next_cursor.as_deref()).unwrap();
    assert!(matches!(
        store.list_follow_ups(&filter, &foreign).await,
        Err(StoreError::InvalidCursor { .. })
    ));
}
