//! The engagement list filtered by health: the same organisations as the
//! labels of the unfiltered list say, at each threshold's edge, page by page.

use chrono::{Days, NaiveDate};
use samverkan_domain::{EngagementSort, Health, HealthThresholds, OrganisationId, Period, SortOrder};
use samverkan_store::{EngagementFilter, PageRequest, Store};

use crate::fixtures::{date, organisation, person, workshop};
use crate::paging::walk_both_ways;
use crate::store_tests;

store_tests!(the_health_filter_agrees_with_the_labels);

/// An organisation: its name, how many days before the as-of day its first
/// and last meetings were, and the label expected.
type Case = (&'static str, Option<(u64, u64)>, Health);

async fn the_health_filter_agrees_with_the_labels(store: Store) {
    let as_of = date(2025, 6, 30);
    let thresholds = HealthThresholds::new(30, 90, 180).unwrap();
    let ago = |days: u64| as_of.checked_sub_days(Days::new(days)).unwrap();
    let cases: [Case; 9] = [
        ("Ny 10", Some((10, 10)), Health::New),
        ("Ny 30", Some((30, 30)), Health::New),
        ("Aktiv 31", Some((31, 31)), Health::Active),
        ("Aktiv 90", Some((400, 90)), Health::Active),
        ("Svalnande 91", Some((400, 91)), Health::Cooling),
        ("Svalnande 180", Some((400, 180)), Health::Cooling),
        ("Vilande 181", Some((400, 181)), Health::Dormant),
        ("Vilande utan möten", None, Health::Dormant),
        ("Ny i dag", Some((0, 0)), Health::New),
    ];
    let mut expected: Vec<(OrganisationId, Health)> = Vec::new();
    for (name, meetings, health) in cases {
        let org = organisation(&store, name).await;
        let someone = person(&store, &org, &format!("Person på {name}"), "Strateg").await;
        if let Some((first, last)) = meetings {
            let days: Vec<NaiveDate> = if first == last {
                vec![ago(first)]
            } else {
                vec![ago(first), ago(last)]
            };
            for day in days {
                store.log_meeting(workshop(&org, &someone, day)).await.unwrap();
            }
        }
        expected.push((org.id, health));
    }
    // A meeting after the as-of day does not count: the last one stays 181.
    let late = organisation(&store, "Vilande 181 med senare möte").await;
    let someone = person(&store, &late, "Sen Person", "Strateg").await;
    store
        .log_meeting(workshop(&late, &someone, ago(181)))
        .await
        .unwrap();
    store
        .log_meeting(workshop(&late, &someone, date(2025, 7, 2)))
        .await
        .unwrap();
    expected.push((late.id, Health::Dormant));

    let period = Period::parse(Some(date(2025, 1, 1)), Some(as_of)).unwrap();
    let today = date(2025, 8, 1);
    let everyone = store
        .engagement(
            &period,
            today,
            &thresholds,
            &EngagementFilter::default(),
            &PageRequest::first(100),
        )
        .await
        .unwrap();
    let mut labels: Vec<(OrganisationId, Health)> = everyone
        .items
        .iter()
        .map(|row| (row.organisation_id, row.current.health))
        .collect();
    labels.sort();
    expected.sort();
    assert_eq!(labels, expected, "the labels the test expects");

    let s = &store;
    for healths in [
        vec![Health::Cooling, Health::Dormant],
        vec![Health::New],
        vec![Health::Active],
        vec![Health::Dormant],
        vec![Health::Cooling],
    ] {
        for sort in [EngagementSort::Name, EngagementSort::DaysSinceLastMeeting] {
            let filter = EngagementFilter {
                health: healths.clone(),
                sort,
                order: SortOrder::Asc,
                ..EngagementFilter::default()
            };
            let mut found: Vec<_> = walk_both_ways("engagement by health", 1, async |page| {
                s.engagement(&period, today, &thresholds, &filter, page)
                    .await
                    .unwrap()
            })
            .await
            .iter()
            .map(|row| (row.organisation_id, row.current.health))
            .collect();
            found.sort();
            let wanted: Vec<_> = expected
                .iter()
                .copied()
                .filter(|(_, health)| healths.contains(health))
                .collect();
            assert_eq!(found, wanted, "{healths:?} by {sort}");
        }
    }
}
