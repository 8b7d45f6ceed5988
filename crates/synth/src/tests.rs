//! Generation into fresh SQLite files: determinism and shape.

use std::collections::HashSet;

use samverkan_domain::{AttendanceStatus, Attendee, MeetingKind};
use samverkan_store::{MeetingFilter, OrganisationFilter, PageRequest, Store};

use super::*;
use crate::plan::{AGENDA_ITEMS, OUTCOMES, attendees_of};

async fn fresh_store(dir: &tempfile::TempDir) -> Store {
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("x.db").display());
    Store::open(&url).await.unwrap()
}

async fn organisation_names(store: &Store) -> Vec<String> {
    let mut names = Vec::new();
    let mut page = PageRequest::first(500);
    loop {
        let found = store
            .list_organisations(&OrganisationFilter::default(), &page)
            .await
            .unwrap();
        names.extend(
            found
                .items
                .into_iter()
                .map(|o| o.details.name.as_str().to_owned()),
        );
        match found.next_cursor {
            Some(cursor) => page = PageRequest::parse(Some(500), Some(&cursor)).unwrap(),
            None => break,
        }
    }
    names
}

async fn all_meetings(store: &Store) -> Vec<samverkan_domain::Meeting> {
    let mut meetings = Vec::new();
    let mut page = PageRequest::first(500);
    loop {
        let found = store
            .list_meetings(&MeetingFilter::default(), &page)
            .await
            .unwrap();
        meetings.extend(found.items);
        match found.next_cursor {
            Some(cursor) => page = PageRequest::parse(Some(500), Some(&cursor)).unwrap(),
            None => break,
        }
    }
    meetings
}

const SMALL: GenerateOptions = GenerateOptions {
    organisations: 16,
    meetings: 60,
    seed: 42,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_writes_the_same_data() {
    let (first_dir, second_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (first, second) = (fresh_store(&first_dir).await, fresh_store(&second_dir).await);
    let mut reports = Vec::new();
    let first_summary = generate(&first, &SMALL, &mut |p| reports.push(p)).await.unwrap();
    let second_summary = generate(&second, &SMALL, &mut |_| {}).await.unwrap();

    assert_eq!(first_summary, second_summary);
    assert_eq!(first_summary.organisations, 16);
    assert_eq!(first_summary.meetings, 60);
    assert!(first_summary.follow_ups > 0);
    assert_eq!(
        organisation_names(&first).await,
        organisation_names(&second).await
    );

    let titles = |meetings: Vec<samverkan_domain::Meeting>| {
        let mut titles: Vec<(chrono::DateTime<chrono::Utc>, String)> = meetings
            .into_iter()
            .map(|m| (m.details.starts_at, m.details.title))
            .collect();
        titles.sort();
        titles
    };
    assert_eq!(
        titles(all_meetings(&first).await),
        titles(all_meetings(&second).await)
    );

    // Progress: each phase starts at 0 and ends at its total.
    for phase in [
        Phase::Organisations,
        Phase::Representatives,
        Phase::Partnerships,
        Phase::Meetings,
    ] {
        let of_phase: Vec<&Progress> = reports.iter().filter(|p| p.phase == phase).collect();
        assert_eq!(of_phase.first().map(|p| p.done), Some(0), "{phase}");
        let last = of_phase.last().unwrap();
        assert_eq!(last.done, last.total, "{phase}");
    }

    let third_dir = tempfile::tempdir().unwrap();
    let third = fresh_store(&third_dir).await;
    let other_seed = GenerateOptions { seed: 43, ..SMALL };
    generate(&third, &other_seed, &mut |_| {}).await.unwrap();
    assert_ne!(organisation_names(&first).await, organisation_names(&third).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_have_the_shape_of_partner_work() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_store(&dir).await;
    let options = GenerateOptions {
        organisations: 24,
        meetings: 150,
        seed: 7,
    };
    let summary = generate(&store, &options, &mut |_| {}).await.unwrap();
    assert!(summary.partner_days > 0, "{summary}");
    assert!(summary.partnerships > 0, "{summary}");
    let per_meeting = summary.follow_ups as f64 / summary.meetings as f64;
    assert!(
        (1.8..3.2).contains(&per_meeting),
        "{per_meeting} follow-ups per meeting"
    );
    assert!(summary.overdue_follow_ups > 0, "{summary}");

    let meetings = all_meetings(&store).await;
    assert_eq!(meetings.len(), options.meetings);
    let mut organisations_at_partner_days = 0;
    for meeting in meetings {
        let records = store.meeting_records(meeting.id).await.unwrap();
        let details = &records.meeting.details;
        let attendees = records.attendances.len();
        let (low, high) = attendees_of(details.kind);
        if details.kind == MeetingKind::PartnerDay {
            assert!(details.all_day);
            organisations_at_partner_days += records
                .attendances
                .iter()
                .map(|a| a.organisation_id)
                .collect::<HashSet<_>>()
                .len();
        }
        assert!(
            (low..=high).contains(&attendees),
            "{attendees} at a {}",
            details.kind
        );
        let year = details.date().format("%Y").to_string();
        assert!(("2022".."2027").contains(&year.as_str()), "{}", details.date());

        let present: HashSet<_> = records
            .attendances
            .iter()
            .filter(|a| a.status != AttendanceStatus::Absent)
            .filter_map(|a| match a.attendee {
                Attendee::Representative(id) => Some(id),
                Attendee::Organisation(_) => None,
            })
            .collect();
        assert!((AGENDA_ITEMS.0..=AGENDA_ITEMS.1).contains(&records.agenda.len()));
        for item in &records.agenda {
            for presenter in &item.presenter_ids {
                assert!(present.contains(presenter), "a presenter attends");
            }
        }
        assert!((OUTCOMES.0..=OUTCOMES.1).contains(&records.outcomes.len()));
        for follow_up in &records.follow_ups {
            if let Some(owner) = follow_up.details.owner_id {
                assert!(present.contains(&owner), "an owner attended");
            }
        }
    }
    assert!(organisations_at_partner_days >= 3 * summary.partner_days);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_without_organisations_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_store(&dir).await;
    let options = GenerateOptions {
        organisations: 0,
        meetings: 1,
        seed: 1,
    };
    assert!(matches!(
        generate(&store, &options, &mut |_| {}).await,
        Err(StoreError::Validation(_))
    ));
}
