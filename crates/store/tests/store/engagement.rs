//! Engagement figures and the follow-up summary against a small fixed data
//! set whose figures are computed by hand (`docs/engagement.md` defines
//! them): the seed partner day plus the edge cases.
//!
//! The period is April 2024 (the previous one 2024-03-02..=2024-03-31),
//! judged on 2024-04-30. Beside the seed partner day (2024-04-26):
//!
//! | meeting | when (Stockholm) | host | attended by |
//! | --- | --- | --- | --- |
//! | M1 workshop, tag `hamn` | 2024-04-30 23:30 | Östra Hamnen | Åsa (presents), Bo (presents), Arkiverade (org) |
//! | M2 steering group | 2024-04-10 10:00 | Ängens skola | Bo; Åsa absent |
//! | M3 cancelled | 2024-04-15 | Östra Hamnen | Åsa |
//! | M4 workshop | 2024-05-01 00:30 | Östra Hamnen | Åsa |
//! | M5 partner day | 2024-03-15 (all day) | Östra Hamnen | Åsa, Bo |
//! | M6 workshop | 2023-06-01 (all day) | Östra Hamnen | Åsa |
//!
//! Follow-ups (of M2 unless said): F2 Östra Hamnen/Åsa due 04-20, done
//! 04-20 22:00 (on its due date); F3 Östra Hamnen/Åsa due 04-25, open; F4
//! Östra Hamnen/Åsa due 05-10, done 05-05 (after the as-of day); F5 Östra
//! Hamnen, cancelled; F6 Ängens skola/Bo done 04-12 10:00; F7 Östra Hamnen,
//! of the cancelled M3, open; F8 Ängens skola/Bo of M5, done 03-20.

use chrono::{DateTime, NaiveDate, Utc};
use samverkan_domain::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, EngagementRow,
    EngagementSort, FollowUpInput, FollowUpStatus, Health, HealthThresholds, MeetingFollowUpInput,
    MeetingInput, MeetingKind, MeetingLogInput, MeetingStatus, Organisation, OrganisationId, Period,
    Representative, SortOrder, Tag, time,
};
use samverkan_store::entity::follow_ups;
use samverkan_store::{EngagementFilter, PageRequest, Store};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::fixtures::{at, date, organisation, person};
use crate::store_tests;

store_tests!(
    one_organisation_s_figures_are_its_row_of_the_list,
    figures_match_the_hand_computed_ones,
    a_partnership_counts_only_the_meetings_that_served_it,
    filters_and_sorts_walk_page_by_page,
    the_summary_matches_the_hand_computed_totals,
    the_follow_up_summary_groups_by_owner_and_organisation,
    the_report_walks_every_page_in_order
);

struct World {
    hamnen: Organisation,
    skolan: Organisation,
    archived: Organisation,
}

fn april() -> Period {
    Period::parse(Some(date(2024, 4, 1)), Some(date(2024, 4, 30))).unwrap()
}

/// "Today", well after the period.
fn today() -> NaiveDate {
    date(2024, 5, 15)
}

fn attended(person: &Representative) -> AttendeeInput {
    AttendeeInput {
        attendee: Attendee::Representative(person.id),
        role: AttendanceRole::Participant,
        status: AttendanceStatus::Attended,
    }
}

fn follow_up(
    title: &str,
    organisation: &Organisation,
    owner: Option<&Representative>,
    due_on: Option<NaiveDate>,
    status: FollowUpStatus,
) -> MeetingFollowUpInput {
    MeetingFollowUpInput {
        follow_up: FollowUpInput {
            title: title.into(),
            owner_id: owner.map(|p| p.id),
            organisation_id: Some(organisation.id),
            due_on,
            status: Some(status),
            ..FollowUpInput::default()
        },
        outcome_index: None,
    }
}

fn meeting(
    title: &str,
    kind: MeetingKind,
    starts_at: DateTime<Utc>,
    host: &Organisation,
    status: MeetingStatus,
) -> MeetingLogInput {
    MeetingLogInput {
        meeting: MeetingInput {
            title: title.into(),
            kind: Some(kind),
            starts_at: Some(starts_at),
            all_day: starts_at == time::day_start(time::local_date(starts_at)),
            host_organisation_id: Some(host.id),
            status: Some(status),
            ..MeetingInput::default()
        },
        ..MeetingLogInput::default()
    }
}

/// Sets when a follow-up was done: the store stamps "now", and these
/// figures need days in 2024.
async fn completed(store: &Store, title: &str, at: DateTime<Utc>) {
    let result = follow_ups::Entity::update_many()
        .col_expr(follow_ups::Column::CompletedAt, Expr::val(at))
        .filter(follow_ups::Column::Title.eq(title))
        .exec(store.connection())
        .await
        .unwrap();
    assert_eq!(result.rows_affected, 1, "{title}");
}

async fn world(store: &Store) -> World {
    store.load_demo().await.unwrap();
    let hamnen = organisation(store, "Östra Hamnen AB").await;
    let skolan = organisation(store, "Ängens skola").await;
    let archived = organisation(store, "Arkiverade AB").await;
    let asa = person(store, &hamnen, "Åsa Öberg", "Hamnchef").await;
    let bo = person(store, &skolan, "Bo Ek", "Rektor").await;

    let mut m1 = meeting(
        "M1",
        MeetingKind::Workshop,
        at("2024-04-30T21:30:00Z"),
        &hamnen,
        MeetingStatus::Held,
    );
    m1.meeting.tags = vec!["hamn".into()];
    m1.attendees = vec![
        attended(&asa),
        attended(&bo),
        AttendeeInput {
            attendee: Attendee::Organisation(archived.id),
            role: AttendanceRole::Guest,
            status: AttendanceStatus::Attended,
        },
    ];
    m1.agenda = vec![
        AgendaItemInput {
            title: "Hamnens framtid".into(),
            presenter_ids: vec![asa.id],
            ..AgendaItemInput::default()
        },
        AgendaItemInput {
            title: "Skolans praktikplatser".into(),
            presenter_ids: vec![bo.id],
            ..AgendaItemInput::default()
        },
    ];
    store.log_meeting(m1).await.unwrap();

    let mut m2 = meeting(
        "M2",
        MeetingKind::SteeringGroup,
        at("2024-04-10T08:00:00Z"),
        &skolan,
        MeetingStatus::Held,
    );
    m2.attendees = vec![
        attended(&bo),
        AttendeeInput {
            status: AttendanceStatus::Absent,
            ..attended(&asa)
        },
    ];
    m2.follow_ups = vec![
        follow_up(
            "F2",
            &hamnen,
            Some(&asa),
            Some(date(2024, 4, 20)),
            FollowUpStatus::Done,
        ),
        follow_up(
            "F3",
            &hamnen,
            Some(&asa),
            Some(date(2024, 4, 25)),
            FollowUpStatus::Open,
        ),
        follow_up(
            "F4",
            &hamnen,
            Some(&asa),
            Some(date(2024, 5, 10)),
            FollowUpStatus::Done,
        ),
        follow_up("F5", &hamnen, None, None, FollowUpStatus::Cancelled),
        follow_up("F6", &skolan, Some(&bo), None, FollowUpStatus::Done),
    ];
    store.log_meeting(m2).await.unwrap();

    let mut m3 = meeting(
        "M3",
        MeetingKind::Workshop,
        time::day_start(date(2024, 4, 15)),
        &hamnen,
        MeetingStatus::Cancelled,
    );
    m3.attendees = vec![attended(&asa)];
    m3.follow_ups = vec![follow_up("F7", &hamnen, None, None, FollowUpStatus::Open)];
    store.log_meeting(m3).await.unwrap();

    let mut m4 = meeting(
        "M4",
        MeetingKind::Workshop,
        at("2024-04-30T22:30:00Z"),
        &hamnen,
        MeetingStatus::Held,
    );
    m4.attendees = vec![attended(&asa)];
    store.log_meeting(m4).await.unwrap();

    let mut m5 = meeting(
        "M5",
        MeetingKind::PartnerDay,
        time::day_start(date(2024, 3, 15)),
        &hamnen,
        MeetingStatus::Held,
    );
    m5.attendees = vec![attended(&asa), attended(&bo)];
    m5.follow_ups = vec![follow_up("F8", &skolan, Some(&bo), None, FollowUpStatus::Done)];
    store.log_meeting(m5).await.unwrap();

    let mut m6 = meeting(
        "M6",
        MeetingKind::Workshop,
        time::day_start(date(2023, 6, 1)),
        &hamnen,
        MeetingStatus::Held,
    );
    m6.attendees = vec![attended(&asa)];
    store.log_meeting(m6).await.unwrap();

    completed(store, "F2", at("2024-04-20T20:00:00Z")).await;
    completed(store, "F4", at("2024-05-05T10:00:00Z")).await;
    completed(store, "F6", at("2024-04-12T08:00:00Z")).await;
    completed(store, "F8", at("2024-03-20T10:00:00Z")).await;
    store.archive_organisation(archived.id, None).await.unwrap();
    World {
        hamnen,
        skolan,
        archived,
    }
}

async fn all_rows(store: &Store, filter: &EngagementFilter) -> Vec<EngagementRow> {
    let page = PageRequest::first(500);
    store
        .engagement(&april(), today(), &HealthThresholds::default(), filter, &page)
        .await
        .unwrap()
        .items
}

fn row<'a>(rows: &'a [EngagementRow], name: &str) -> &'a EngagementRow {
    rows.iter()
        .find(|row| row.name == name)
        .unwrap_or_else(|| panic!("no row for {name}"))
}

/// (hosted, attended, engaged, partner days, representatives, presentations)
fn meetings_of(row: &EngagementRow) -> (i64, i64, i64, i64, i64, i64) {
    let f = &row.current;
    (
        f.meetings_hosted,
        f.meetings_attended,
        f.meetings_engaged,
        f.partner_days,
        f.representatives_engaged,
        f.presentations,
    )
}

/// (opened, cancelled, done, open, overdue)
fn follow_ups_of(row: &EngagementRow) -> (i64, i64, i64, i64, i64) {
    let f = &row.current;
    (
        f.follow_ups_opened,
        f.follow_ups_cancelled,
        f.follow_ups_done,
        f.follow_ups_open,
        f.follow_ups_overdue,
    )
}

/// `organisation_engagement` computes one organisation's row alone; it is
/// exactly the row the ranked list holds, archived organisations too.
async fn one_organisation_s_figures_are_its_row_of_the_list(store: Store) {
    let world = world(&store).await;
    let filter = EngagementFilter {
        include_archived: true,
        ..EngagementFilter::default()
    };
    let rows = all_rows(&store, &filter).await;
    assert!(rows.iter().any(|row| row.organisation_id == world.archived.id));
    for listed in &rows {
        let alone = store
            .organisation_engagement(
                listed.organisation_id,
                &april(),
                today(),
                &HealthThresholds::default(),
            )
            .await
            .unwrap();
        assert_eq!(alone.as_ref(), Some(listed), "{}", listed.name);
    }
    let nobody = OrganisationId::from(uuid::Uuid::now_v7());
    assert_eq!(
        store
            .organisation_engagement(nobody, &april(), today(), &HealthThresholds::default())
            .await
            .unwrap(),
        None
    );
}

async fn figures_match_the_hand_computed_ones(store: Store) {
    let world = world(&store).await;
    let rows = all_rows(&store, &EngagementFilter::default()).await;
    assert_eq!(
        rows.len(),
        9,
        "seven seed organisations and two of ours; not the archived one"
    );
    assert!(rows.iter().all(|row| row.organisation_id != world.archived.id));

    // The seed partner day.
    let host = row(&rows, "Kunskapsförbundet Väst");
    assert_eq!(meetings_of(host), (1, 1, 1, 1, 5, 3));
    assert_eq!(host.current.last_meeting_on, Some(date(2024, 4, 26)));
    assert_eq!(host.current.days_since_last_meeting, Some(4));
    assert_eq!(host.current.health, Health::New);
    let university = row(&rows, "Högskolan Väst");
    assert_eq!(meetings_of(university), (0, 1, 1, 1, 3, 2));
    assert_eq!(follow_ups_of(university), (2, 0, 0, 2, 0));
    assert_eq!(university.current.completion_rate, Some(0.0));
    assert_eq!(university.current.median_days_to_complete, None);
    for name in [
        "GKN Aerospace",
        "NU-sjukvården",
        "Vattenfall",
        "Support Group Network",
    ] {
        assert_eq!(meetings_of(row(&rows, name)), (0, 1, 1, 1, 0, 0), "{name}");
    }
    // Only invited: no attendance, no meeting, dormant.
    let invited = row(&rows, "Trollhättans stad");
    assert_eq!(meetings_of(invited), (0, 0, 0, 0, 0, 0));
    assert_eq!(invited.current.last_meeting_on, None);
    assert_eq!(invited.current.health, Health::Dormant);

    // M1 at 23:30 on the last day counts; M3 (cancelled) and M4 (00:30 the
    // day after) do not; Åsa was absent from M2.
    let hamnen = row(&rows, "Östra Hamnen AB");
    assert_eq!(hamnen.organisation_id, world.hamnen.id);
    assert_eq!(meetings_of(hamnen), (1, 1, 1, 0, 1, 1));
    assert_eq!(hamnen.current.first_meeting_on, Some(date(2023, 6, 1)));
    assert_eq!(hamnen.current.last_meeting_on, Some(date(2024, 4, 30)));
    assert_eq!(hamnen.current.days_since_last_meeting, Some(0));
    assert_eq!(hamnen.current.health, Health::Active);
    // F2 done on its due date, F3 overdue, F4 done only after the as-of
    // day (so open, not yet due), F5 cancelled; F7 is of a cancelled meeting.
    assert_eq!(follow_ups_of(hamnen), (4, 1, 1, 2, 1));
    assert_eq!(hamnen.current.completion_rate, Some(1.0 / 3.0));
    // F2: 2024-04-10 10:00 to 2024-04-20 22:00 is 10 whole days.
    assert_eq!(hamnen.current.median_days_to_complete, Some(10.0));
    // March: host of the partner day M5.
    let previous = &hamnen.previous;
    assert_eq!(
        (
            previous.meetings_hosted,
            previous.meetings_attended,
            previous.partner_days
        ),
        (1, 1, 1)
    );
    assert_eq!(previous.last_meeting_on, Some(date(2024, 3, 15)));
    assert_eq!(previous.days_since_last_meeting, Some(16));
    assert_eq!(hamnen.change.partner_days, -1);
    assert_eq!(hamnen.change.presentations, 1);
    assert_eq!(hamnen.change.follow_ups_opened, 4);
    assert_eq!(hamnen.change.completion_rate, None);

    let skolan = row(&rows, "Ängens skola");
    assert_eq!(skolan.organisation_id, world.skolan.id);
    assert_eq!(meetings_of(skolan), (1, 2, 2, 0, 1, 1));
    assert_eq!(follow_ups_of(skolan), (1, 0, 1, 0, 0));
    assert_eq!(skolan.current.completion_rate, Some(1.0));
    // F6: 2024-04-10 10:00 to 2024-04-12 10:00.
    assert_eq!(skolan.current.median_days_to_complete, Some(2.0));
    // First meeting 2024-03-15, 46 days before the as-of day.
    assert_eq!(skolan.current.health, Health::New);
    assert_eq!(skolan.previous.meetings_attended, 1);
    assert_eq!(skolan.previous.follow_ups_done, 1);
    // F8: 2024-03-15 00:00 to 2024-03-20 11:00 is 5 days.
    assert_eq!(skolan.previous.median_days_to_complete, Some(5.0));
    assert_eq!(skolan.change.meetings_engaged, 1);
    assert_eq!(skolan.change.median_days_to_complete, Some(-3.0));

    // Archived organisations come back on request, with their figures.
    let filter = EngagementFilter {
        include_archived: true,
        ..EngagementFilter::default()
    };
    let rows = all_rows(&store, &filter).await;
    assert_eq!(rows.len(), 10);
    assert_eq!(meetings_of(row(&rows, "Arkiverade AB")), (0, 1, 1, 0, 0, 0));

    // Thresholds are the server's: with `new` off and 2-day activity the
    // seed organisations are cooling four days after the partner day.
    let strict = HealthThresholds::new(0, 2, 30).unwrap();
    let page = store
        .engagement(
            &april(),
            today(),
            &strict,
            &EngagementFilter::default(),
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(row(&page.items, "Vattenfall").current.health, Health::Cooling);
    assert_eq!(row(&page.items, "Östra Hamnen AB").current.health, Health::Active);

    // A period judged before its end: as of 2024-04-25, F3 is due that very
    // day and so not yet overdue, and M1 has not happened.
    let early = store
        .engagement(
            &april(),
            date(2024, 4, 25),
            &HealthThresholds::default(),
            &EngagementFilter::default(),
            &PageRequest::default(),
        )
        .await
        .unwrap();
    let hamnen = row(&early.items, "Östra Hamnen AB");
    assert_eq!(follow_ups_of(hamnen), (4, 1, 1, 2, 0));
    assert_eq!(hamnen.current.last_meeting_on, Some(date(2024, 3, 15)));
    assert_eq!(hamnen.current.days_since_last_meeting, Some(41));
    assert_eq!(hamnen.current.health, Health::Active);
}

async fn a_partnership_counts_only_the_meetings_that_served_it(store: Store) {
    let world = world(&store).await;
    let demo = store.load_demo().await.unwrap();
    let host = demo
        .organisations
        .values()
        .find(|o| o.details.name.as_str() == "Kunskapsförbundet Väst")
        .unwrap()
        .id;
    let mut partnership = None;
    for id in &demo.records.meeting.details.partnership_ids {
        let found = store.partnership(*id).await.unwrap();
        if found.details.organisation_ids.contains(&host) {
            partnership = Some(*id);
        }
    }
    let partnership = partnership.expect("the seed has a partnership with Kunskapsförbundet Väst");
    let filter = EngagementFilter {
        partnership_id: Some(partnership),
        ..EngagementFilter::default()
    };
    let rows = all_rows(&store, &filter).await;
    let names: Vec<&str> = rows.iter().map(|row| row.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(
        meetings_of(row(&rows, "Kunskapsförbundet Väst")),
        (1, 1, 1, 1, 5, 3)
    );
    let university = row(&rows, "Högskolan Väst");
    assert_eq!(meetings_of(university), (0, 1, 1, 1, 3, 2));
    assert_eq!(university.current.follow_ups_opened, 2);
    // Our organisations are no party to it.
    assert!(rows.iter().all(|row| row.organisation_id != world.hamnen.id));
}

async fn filters_and_sorts_walk_page_by_page(store: Store) {
    let world = world(&store).await;
    let walk = |sort: EngagementSort, order: SortOrder| {
        let store = store.clone();
        async move {
            let filter = EngagementFilter {
                sort,
                order,
                ..EngagementFilter::default()
            };
            let mut request = PageRequest::first(2);
            let mut names = Vec::new();
            loop {
                let page = store
                    .engagement(&april(), today(), &HealthThresholds::default(), &filter, &request)
                    .await
                    .unwrap();
                assert!(page.items.len() <= 2);
                names.extend(page.items.into_iter().map(|row| row.name));
                match page.next_cursor {
                    Some(cursor) => request = PageRequest::parse(Some(2), Some(&cursor)).unwrap(),
                    None => break,
                }
            }
            names
        }
    };
    // Swedish order: Ä and Ö after Z.
    assert_eq!(
        walk(EngagementSort::Name, SortOrder::Asc).await,
        [
            "GKN Aerospace",
            "Högskolan Väst",
            "Kunskapsförbundet Väst",
            "NU-sjukvården",
            "Support Group Network",
            "Trollhättans stad",
            "Vattenfall",
            "Ängens skola",
            "Östra Hamnen AB",
        ]
    );
    let by_rate = walk(EngagementSort::CompletionRate, SortOrder::Desc).await;
    assert_eq!(
        by_rate[..3],
        ["Ängens skola", "Östra Hamnen AB", "Högskolan Väst"]
    );
    assert_eq!(by_rate.len(), 9, "no rate sorts last, but is listed");
    let by_rate_up = walk(EngagementSort::CompletionRate, SortOrder::Asc).await;
    assert_eq!(
        by_rate_up[..3],
        ["Högskolan Väst", "Östra Hamnen AB", "Ängens skola"]
    );
    let recent = walk(EngagementSort::DaysSinceLastMeeting, SortOrder::Asc).await;
    assert_eq!(recent[..2], ["Östra Hamnen AB", "Ängens skola"]);
    assert_eq!(recent.last().map(String::as_str), Some("Trollhättans stad"));
    let oldest = walk(EngagementSort::LastMeetingOn, SortOrder::Asc).await;
    assert_eq!(
        oldest[7..],
        ["Östra Hamnen AB", "Ängens skola", "Trollhättans stad"][1..]
    );
    let most = walk(EngagementSort::MeetingsEngaged, SortOrder::Desc).await;
    assert_eq!(most[0], "Ängens skola");
    assert_eq!(most.last().map(String::as_str), Some("Trollhättans stad"));
    let median = walk(EngagementSort::MedianDaysToComplete, SortOrder::Desc).await;
    assert_eq!(median[..2], ["Östra Hamnen AB", "Ängens skola"]);

    // Filters: one organisation, a kind, a tag.
    let one = all_rows(
        &store,
        &EngagementFilter {
            organisation_id: Some(world.skolan.id),
            ..EngagementFilter::default()
        },
    )
    .await;
    assert_eq!(one.len(), 1);
    assert_eq!(meetings_of(&one[0]), (1, 2, 2, 0, 1, 1));
    let universities = all_rows(
        &store,
        &EngagementFilter {
            kind: Some(samverkan_domain::OrganisationKind::University),
            ..EngagementFilter::default()
        },
    )
    .await;
    assert_eq!(universities.len(), 1);
    assert_eq!(universities[0].name, "Högskolan Väst");
    let tagged = all_rows(
        &store,
        &EngagementFilter {
            tag: Some(Tag::parse("tag", "hamn").unwrap()),
            ..EngagementFilter::default()
        },
    )
    .await;
    assert!(tagged.is_empty(), "no organisation carries the tag");

    // A cursor of one sort is refused by another.
    let page = store
        .engagement(
            &april(),
            today(),
            &HealthThresholds::default(),
            &EngagementFilter::default(),
            &PageRequest::first(1),
        )
        .await
        .unwrap();
    let cursor = page.next_cursor.unwrap();
    let other = EngagementFilter {
        sort: EngagementSort::Name,
        ..EngagementFilter::default()
    };
    let refused = store
        .engagement(
            &april(),
            today(),
            &HealthThresholds::default(),
            &other,
            &PageRequest::parse(Some(1), Some(&cursor)).unwrap(),
        )
        .await;
    assert!(refused.is_err());
}

async fn the_summary_matches_the_hand_computed_totals(store: Store) {
    let world = world(&store).await;
    let summary = store
        .engagement_summary(&april(), today(), &HealthThresholds::default())
        .await
        .unwrap();
    assert_eq!(summary.as_of, date(2024, 4, 30));
    let totals = &summary.totals;
    // The seed day, M1 and M2; the archived organisation's part counts.
    assert_eq!((totals.meetings, totals.partner_days), (3, 1));
    assert_eq!(totals.organisations_engaged, 9);
    assert_eq!(totals.representatives_engaged, 10);
    assert_eq!(
        (
            totals.follow_ups_opened,
            totals.follow_ups_cancelled,
            totals.follow_ups_done,
            totals.follow_ups_open,
            totals.follow_ups_overdue
        ),
        (7, 1, 2, 4, 1)
    );
    assert_eq!(totals.completion_rate, Some(2.0 / 6.0));
    // Done: F6 after 2 days, F2 after 10.
    assert_eq!(totals.median_days_to_complete, Some(6.0));
    let previous = &summary.previous_totals;
    assert_eq!((previous.meetings, previous.partner_days), (1, 1));
    assert_eq!(
        (previous.organisations_engaged, previous.representatives_engaged),
        (2, 2)
    );
    assert_eq!(previous.median_days_to_complete, Some(5.0));

    let tags: Vec<(&str, i64)> = summary
        .top_tags
        .iter()
        .map(|t| (t.tag.as_str(), t.meetings))
        .collect();
    assert_eq!(tags, [("hamn", 1), ("tillsammanskraft", 1)]);
    let months: Vec<(i32, u32, i64)> = summary
        .meetings_per_month
        .iter()
        .map(|m| (m.year, m.month, m.meetings))
        .collect();
    assert_eq!(months, [(2024, 4, 3)]);
    assert_eq!(summary.most_engaged.len(), 5);
    assert_eq!(summary.most_engaged[0].organisation_id, world.skolan.id);
    assert_eq!(summary.least_engaged[0].name, "Trollhättans stad");
    assert!(
        summary
            .most_engaged
            .iter()
            .chain(&summary.least_engaged)
            .all(|row| row.organisation_id != world.archived.id)
    );
}

async fn the_follow_up_summary_groups_by_owner_and_organisation(store: Store) {
    let world = world(&store).await;
    let summary = store.follow_up_summary(date(2024, 4, 30), 50).await.unwrap();
    let owners: Vec<(Option<&str>, i64, i64, i64)> = summary
        .by_owner
        .iter()
        .map(|t| (t.name.as_deref(), t.open, t.overdue, t.done_last_30_days))
        .collect();
    assert_eq!(
        owners,
        [
            // F3 overdue, F4 open (done only in May), F2 done on 04-20.
            (Some("Åsa Öberg"), 2, 1, 1),
            (Some("Maria Derner"), 1, 0, 0),
            (Some("Lena Lindhé"), 1, 0, 0),
            // F7, of the cancelled meeting, is still somebody's to do.
            (None, 1, 0, 0),
            // F6 done 04-12; F8 (03-20) is older than 30 days.
            (Some("Bo Ek"), 0, 0, 1),
        ]
    );
    let oldest = summary.by_owner[0].oldest_overdue.as_ref().unwrap();
    assert_eq!((oldest.title.as_str(), oldest.due_on), ("F3", date(2024, 4, 25)));
    assert!(summary.by_owner[1].oldest_overdue.is_none());

    let organisations: Vec<(Option<OrganisationId>, i64, i64, i64)> = summary
        .by_organisation
        .iter()
        .map(|t| (t.id, t.open, t.overdue, t.done_last_30_days))
        .collect();
    let university = summary.by_organisation[1].id;
    assert_eq!(
        organisations,
        [
            (Some(world.hamnen.id), 3, 1, 1),
            (university, 2, 0, 0),
            (Some(world.skolan.id), 0, 0, 1),
        ]
    );
    assert_eq!(summary.by_organisation[1].name.as_deref(), Some("Högskolan Väst"));

    // Due on the as-of day is not overdue; the day after, it is.
    let on_due = store.follow_up_summary(date(2024, 4, 25), 50).await.unwrap();
    assert_eq!(on_due.by_owner[0].overdue, 0);
    let after = store.follow_up_summary(date(2024, 4, 26), 50).await.unwrap();
    assert_eq!(after.by_owner[0].overdue, 1);
    let limited = store.follow_up_summary(date(2024, 4, 30), 2).await.unwrap();
    assert_eq!(limited.by_owner.len(), 2);
}

/// `engagement_all` (the engagement report's rows) gives in pages of one
/// exactly what one big page gives, and tells its progress.
async fn the_report_walks_every_page_in_order(store: Store) {
    world(&store).await;
    let whole = all_rows(&store, &EngagementFilter::default()).await;
    assert!(whole.len() >= 3, "{whole:?}");
    let mut progress = Vec::new();
    let walked = store
        .engagement_all(&april(), today(), &HealthThresholds::default(), 1, |read| {
            progress.push(read);
        })
        .await
        .unwrap();
    assert_eq!(walked, whole);
    assert_eq!(progress, (1..=whole.len()).collect::<Vec<_>>());
}
