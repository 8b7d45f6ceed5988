//! Previous pages: every list walked forward to its end and back again
//! with `before` gives the same pages.

use std::fmt::Debug;

use samverkan_domain::{
    EngagementSort, HealthThresholds, PartnershipDetails, PartnershipInput, PartnershipKind, Period, Role,
    SortOrder, UserDetails, UserInput,
};
use samverkan_store::{
    AuditFilter, EngagementFilter, FollowUpFilter, MeetingFilter, OrganisationFilter, Page, PageRequest,
    PartnershipFilter, RepresentativeFilter, Store, StoreError,
};

use crate::fixtures::{date, organisation, person, workshop};
use crate::store_tests;

store_tests!(
    every_list_walks_back_through_the_same_pages,
    a_page_has_one_cursor_to_start_from
);

/// Walks forward page by page, then back from the last page with each
/// `prev_cursor`, and checks each page back equals the one met forward.
/// Returns the list's rows, in order.
pub async fn walk_both_ways<T: PartialEq + Debug>(
    what: &str,
    limit: u64,
    list: impl AsyncFn(&PageRequest) -> Page<T>,
) -> Vec<T> {
    let mut forward: Vec<Page<T>> = Vec::new();
    let mut request = PageRequest::first(limit);
    loop {
        let page = list(&request).await;
        assert_eq!(
            page.prev_cursor.is_none(),
            forward.is_empty(),
            "{what}: only the first page has no previous"
        );
        let next = page.next_cursor.clone();
        forward.push(page);
        match next {
            Some(cursor) => request = PageRequest::parse_cursors(Some(limit), Some(&cursor), None).unwrap(),
            None => break,
        }
    }
    assert!(forward.len() >= 2, "{what}: {} page", forward.len());
    let mut index = forward.len() - 1;
    while let Some(cursor) = forward[index].prev_cursor.clone() {
        let page = list(&PageRequest::parse_cursors(Some(limit), None, Some(&cursor)).unwrap()).await;
        index -= 1;
        assert_eq!(page, forward[index], "{what}: page {index} walking back");
    }
    assert_eq!(index, 0, "{what}: the walk back ends on the first page");
    forward.into_iter().flat_map(|page| page.items).collect()
}

async fn every_list_walks_back_through_the_same_pages(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let mut organisations = vec![host.clone()];
    for name in [
        "Ärla AB",
        "Borås stad",
        "Zenit AB",
        "Åbo Akademi",
        "Örebro",
        "ABB",
        "Ek AB",
    ] {
        organisations.push(organisation(&store, name).await);
    }
    let mut people = Vec::new();
    for (i, org) in organisations.iter().enumerate() {
        people.push(person(&store, org, &format!("Person {}", 9 - i), "Strateg").await);
    }
    // Meetings on days that repeat, so that keys tie and ids decide.
    for (i, presenter) in people.iter().enumerate() {
        let day = date(2025, 3, 1 + u32::try_from(i % 3).unwrap());
        store.log_meeting(workshop(&host, presenter, day)).await.unwrap();
    }
    for pair in organisations.windows(2).skip(1) {
        let input = PartnershipInput {
            organisation_ids: [Some(pair[0].id), Some(pair[1].id)],
            kind: Some(PartnershipKind::Strategic),
            ..PartnershipInput::default()
        };
        store
            .create_partnership(PartnershipDetails::parse(&input).unwrap())
            .await
            .unwrap();
    }
    for i in 0..7 {
        let input = UserInput {
            email: format!("user{i}@example.se"),
            role: Some(Role::Strategist),
            ..UserInput::default()
        };
        store
            .create_user(UserDetails::parse(&input).unwrap())
            .await
            .unwrap();
    }

    let s = &store;
    let orgs = walk_both_ways("organisations", 3, async |page| {
        s.list_organisations(&OrganisationFilter::default(), page)
            .await
            .unwrap()
    })
    .await
    .len();
    assert_eq!(orgs, 8);
    let reps = walk_both_ways("representatives", 3, async |page| {
        s.list_representatives(&RepresentativeFilter::default(), page)
            .await
            .unwrap()
    })
    .await
    .len();
    assert_eq!(reps, 8);
    let partnerships = walk_both_ways("partnerships", 2, async |page| {
        s.list_partnerships(&PartnershipFilter::default(), page)
            .await
            .unwrap()
    })
    .await
    .len();
    assert_eq!(partnerships, 6);
    for order in [SortOrder::Desc, SortOrder::Asc] {
        let filter = MeetingFilter {
            order,
            ..MeetingFilter::default()
        };
        let meetings = walk_both_ways("meetings", 3, async |page| {
            s.list_meetings(&filter, page).await.unwrap()
        })
        .await
        .len();
        assert_eq!(meetings, 8);
    }
    let follow_ups = walk_both_ways("follow-ups", 3, async |page| {
        s.list_follow_ups(&FollowUpFilter::default(), page).await.unwrap()
    })
    .await
    .len();
    assert_eq!(follow_ups, 8);
    let users = walk_both_ways("users", 3, async |page| s.list_users(page).await.unwrap()).await;
    assert_eq!(users.len(), 7);
    walk_both_ways("audit trail", 7, async |page| {
        s.audit_trail(&AuditFilter::default(), page).await.unwrap()
    })
    .await
    .len();
    let timeline = walk_both_ways("timeline", 3, async |page| {
        s.organisation_timeline(host.id, page).await.unwrap()
    })
    .await
    .len();
    assert!(timeline >= 8, "{timeline}");
    // Days since the last meeting: the organisations that never met have
    // no key (they come last), so the walk crosses from keys to none.
    let period = Period::parse(Some(date(2025, 1, 1)), Some(date(2025, 12, 31))).unwrap();
    for (sort, order) in [
        (EngagementSort::DaysSinceLastMeeting, SortOrder::Asc),
        (EngagementSort::DaysSinceLastMeeting, SortOrder::Desc),
        (EngagementSort::Name, SortOrder::Asc),
        (EngagementSort::MeetingsEngaged, SortOrder::Desc),
    ] {
        let filter = EngagementFilter {
            sort,
            order,
            ..EngagementFilter::default()
        };
        let rows = walk_both_ways("engagement", 2, async |page| {
            s.engagement(
                &period,
                date(2025, 6, 1),
                &HealthThresholds::default(),
                &filter,
                page,
            )
            .await
            .unwrap()
        })
        .await
        .len();
        assert_eq!(rows, 8);
    }
}

async fn a_page_has_one_cursor_to_start_from(store: Store) {
    for name in ["A", "B", "C"] {
        organisation(&store, name).await;
    }
    let filter = OrganisationFilter::default();
    let first = store
        .list_organisations(&filter, &PageRequest::first(1))
        .await
        .unwrap();
    let cursor = first.next_cursor.unwrap();
    let both = PageRequest::parse_cursors(Some(1), Some(&cursor), Some(&cursor)).unwrap();
    assert!(matches!(
        store.list_organisations(&filter, &both).await,
        Err(StoreError::InvalidCursor { .. })
    ));
    // A cursor from another list is refused backward as forward.
    let before = PageRequest::parse_cursors(Some(1), None, Some(&cursor)).unwrap();
    assert!(matches!(
        store.list_meetings(&MeetingFilter::default(), &before).await,
        Err(StoreError::InvalidCursor { .. })
    ));
    // Back from the second page, asking for more than there is: the first
    // page, and none before it.
    let second = store
        .list_organisations(&filter, &PageRequest::parse(Some(1), Some(&cursor)).unwrap())
        .await
        .unwrap();
    let back = PageRequest::parse_cursors(Some(5), None, second.prev_cursor.as_deref()).unwrap();
    let page = store.list_organisations(&filter, &back).await.unwrap();
    assert_eq!(page.items, first.items);
    assert_eq!(page.prev_cursor, None);
}
