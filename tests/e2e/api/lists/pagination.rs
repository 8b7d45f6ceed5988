//! Pagination: every list walked page by page while rows are added, each row
//! seen once; page sizes and cursors checked.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{assert_once, bare_meeting, create_follow_up, create_partnership, id_of, log_meeting, strings};
use crate::api::{get, organisation, person, walk};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(
    organisations_walk_in_swedish_order_while_rows_are_added,
    representatives_walk_in_swedish_order_while_rows_are_added,
    meetings_walk_newest_first_while_rows_are_added,
    partnerships_and_follow_ups_walk_oldest_first_while_rows_are_added,
    page_sizes_and_cursors_are_checked,
    a_cursor_from_another_list_is_a_bad_request,
);

/// Walks a list page by page, checking each page's shape, so that a test can
/// act between pages.
struct Pager {
    path: String,
    limit: usize,
    cursor: Option<String>,
    done: bool,
}

impl Pager {
    fn new(path: &str, limit: usize) -> Self {
        Self {
            path: path.to_owned(),
            limit,
            cursor: None,
            done: false,
        }
    }

    async fn next(&mut self, server: &TestServer) -> Option<Vec<Value>> {
        if self.done {
            return None;
        }
        let separator = if self.path.contains('?') { '&' } else { '?' };
        let mut url = format!("{}{separator}limit={}", self.path, self.limit);
        if let Some(cursor) = &self.cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let page = get(server, &url).await.expect(StatusCode::OK);
        let items = page["items"].as_array().cloned().expect("items");
        match page["next_cursor"].as_str() {
            Some(next) => {
                assert_eq!(items.len(), self.limit, "a page with a next one is full: {url}");
                self.cursor = Some(next.to_owned());
            }
            None => {
                assert!(items.len() <= self.limit, "{url}");
                assert!(page["next_cursor"].is_null(), "{url}");
                self.done = true;
            }
        }
        Some(items)
    }

    async fn rest(&mut self, server: &TestServer) -> Vec<Value> {
        let mut items = Vec::new();
        while let Some(page) = self.next(server).await {
            items.extend(page);
        }
        items
    }
}

async fn organisations_walk_in_swedish_order_while_rows_are_added(server: &TestServer) {
    // Swedish alphabetical order: case does not matter, é sorts as e, and
    // å, ä, ö follow z.
    let sorted = [
        "ABB",
        "aktiebolaget Ek",
        "Alingsås kommun",
        "Arjeplogs kommun",
        "Borås Energi",
        "Électricité AB",
        "Eslövs kommun",
        "Gävle Energi",
        "Höörs kommun",
        "Kalmar läns museum",
        "Luleå tekniska universitet",
        "Malmö universitet",
        "Piteå kommun",
        "Skövde kommun",
        "Tomelilla kommun",
        "Umeå universitet",
        "Växjö kommun",
        "Ystads kommun",
        "Zenit AB",
        "Åbo Akademi",
        "Åre kommun",
        "Älmhults kommun",
        "Ängelholms kommun",
        "Ödeshögs kommun",
        "Örebro universitet",
        "Östersunds kommun",
        "Övertorneå kommun",
    ];
    // Created in an order that is neither that one nor its reverse.
    for i in 0..sorted.len() {
        let name = sorted[(i * 10) % sorted.len()];
        organisation(server, name, "other").await;
    }
    assert_eq!(
        strings(&walk(server, "/api/v1/organisations", 500).await, "name"),
        sorted
    );

    let mut pager = Pager::new("/api/v1/organisations", 4);
    let mut seen = Vec::new();
    seen.extend(pager.next(server).await.unwrap());
    seen.extend(pager.next(server).await.unwrap());
    assert_eq!(strings(&seen, "name"), sorted[..8]);
    // Mid-walk: one that sorts before the current position (the walk has
    // passed it) and one that sorts after everything (the walk reaches it).
    organisation(server, "Aalborg Universitet", "university").await;
    organisation(server, "Öxabäck IF", "association").await;
    seen.extend(pager.rest(server).await);
    assert_once(&seen);
    let mut expected: Vec<&str> = sorted.to_vec();
    expected.push("Öxabäck IF");
    assert_eq!(strings(&seen, "name"), expected);

    // A fresh walk sees both.
    let all = strings(&walk(server, "/api/v1/organisations", 4).await, "name");
    assert_eq!(all.len(), 29);
    assert_eq!(all[0], "Aalborg Universitet");
    assert_eq!(all[28], "Öxabäck IF");
}

async fn representatives_walk_in_swedish_order_while_rows_are_added(server: &TestServer) {
    let employer = organisation(server, "Personalbolaget AB", "company").await;
    let sorted = [
        "anna Ek",
        "Bo Ek",
        "Émile Durand",
        "Erik Aberg",
        "Erik Åberg",
        "Jan Ek",
        "Jan-Erik Ek",
        // Two names that sort alike: their ids decide.
        "Lena Lindhe",
        "Lena Lindhé",
        "Mats Öst",
        "Zlatan Berg",
        "Åsa Öberg",
        "Ärna Lund",
        "Örjan Ek",
    ];
    let mut ids = Vec::new();
    for i in 0..sorted.len() {
        let name = sorted[(i * 5) % sorted.len()];
        ids.push((name, person(server, name, &employer, "Konsult", false).await));
    }
    let id = |name: &str| ids.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    let mut sorted: Vec<&str> = sorted.to_vec();
    if id("Lena Lindhé") < id("Lena Lindhe") {
        sorted.swap(7, 8);
    }
    assert_eq!(
        strings(&walk(server, "/api/v1/representatives", 500).await, "full_name"),
        sorted
    );

    // Pages of 4 split the two Lenas: the cursor's id breaks the tie.
    let mut pager = Pager::new("/api/v1/representatives", 4);
    let mut seen = Vec::new();
    seen.extend(pager.next(server).await.unwrap());
    seen.extend(pager.next(server).await.unwrap());
    assert_eq!(strings(&seen, "full_name"), sorted[..8]);
    person(server, "Adam Ahl", &employer, "Konsult", false).await;
    person(server, "Östen Öst", &employer, "Konsult", false).await;
    seen.extend(pager.rest(server).await);
    assert_once(&seen);
    let mut expected = sorted.clone();
    expected.push("Östen Öst");
    assert_eq!(strings(&seen, "full_name"), expected);

    let all = strings(&walk(server, "/api/v1/representatives", 3).await, "full_name");
    assert_eq!(all.len(), 16);
    assert_eq!(all[0], "Adam Ahl");
}

async fn meetings_walk_newest_first_while_rows_are_added(server: &TestServer) {
    // Ties (the same instant, however spelt) are broken by id, descending.
    let starts = [
        "2024-01-10T09:00:00+01:00",
        "2023-06-01T12:00:00+02:00",
        "2024-01-10T09:00:00+01:00",
        "2024-01-10T09:00:00.250+01:00",
        "2024-03-31T01:30:00+01:00",
        "2024-01-10T09:00:01+01:00",
        "2024-01-10T08:00:00Z",
        "2022-12-31T23:59:59+01:00",
        "2024-03-31T03:30:00+02:00",
        "2024-01-10T09:00:00+01:00",
    ];
    let mut created: Vec<(DateTime<Utc>, String, String)> = Vec::new();
    for (i, starts_at) in starts.iter().enumerate() {
        let title = format!("Möte {}", i + 1);
        let body = log_meeting(server, &bare_meeting(&title, starts_at)).await;
        let at = DateTime::parse_from_rfc3339(starts_at)
            .unwrap()
            .with_timezone(&Utc);
        created.push((at, id_of(&body), title));
    }
    created.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    let expected: Vec<String> = created.iter().map(|(_, _, title)| title.clone()).collect();
    // The distinct instants, spelt out.
    assert_eq!(expected[..3], ["Möte 9", "Möte 5", "Möte 6"]);
    assert_eq!(expected[3], "Möte 4");
    assert_eq!(expected[8..], ["Möte 2", "Möte 8"]);

    assert_eq!(
        strings(&walk(server, "/api/v1/meetings", 500).await, "title"),
        expected
    );

    let mut pager = Pager::new("/api/v1/meetings", 3);
    let mut seen = Vec::new();
    seen.extend(pager.next(server).await.unwrap());
    seen.extend(pager.next(server).await.unwrap());
    // Mid-walk (inside the run of equal instants): a newer one, which the
    // walk has passed, and an older one, which it reaches.
    log_meeting(server, &bare_meeting("Nyare möte", "2024-06-01T10:00:00+02:00")).await;
    log_meeting(server, &bare_meeting("Äldsta mötet", "2020-01-01T10:00:00+01:00")).await;
    seen.extend(pager.rest(server).await);
    assert_once(&seen);
    let mut with_older = expected.clone();
    with_older.push("Äldsta mötet".to_owned());
    assert_eq!(strings(&seen, "title"), with_older);

    let all = strings(&walk(server, "/api/v1/meetings", 4).await, "title");
    assert_eq!(all.len(), 12);
    assert_eq!(all[0], "Nyare möte");
}

async fn partnerships_and_follow_ups_walk_oldest_first_while_rows_are_added(server: &TestServer) {
    let mut parties = Vec::new();
    for name in [
        "Partner A",
        "Partner B",
        "Partner C",
        "Partner D",
        "Partner E",
        "Partner F",
    ] {
        parties.push(organisation(server, name, "company").await);
    }
    let pair =
        |a: usize, b: usize| json!({ "organisation_ids": [parties[a], parties[b]], "kind": "project" });
    let mut made = Vec::new();
    for (a, b) in [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5), (0, 5), (1, 3)] {
        made.push(create_partnership(server, &pair(a, b)).await);
    }
    let mut pager = Pager::new("/api/v1/partnerships", 3);
    let mut seen = pager.next(server).await.unwrap();
    let late = create_partnership(server, &pair(2, 5)).await;
    seen.extend(pager.rest(server).await);
    assert_once(&seen);
    made.push(late);
    assert_eq!(strings(&seen, "id"), made, "oldest first, the newest at the end");

    let meeting = log_meeting(
        server,
        &bare_meeting("Uppföljningsmöte", "2024-05-02T10:00:00+02:00"),
    )
    .await;
    let meeting_id = id_of(&meeting);
    let mut titles = Vec::new();
    for i in 1..=8 {
        let title = format!("Uppföljning {i}");
        create_follow_up(server, &json!({ "meeting_id": meeting_id, "title": title })).await;
        titles.push(title);
    }
    let mut pager = Pager::new("/api/v1/follow-ups", 3);
    let mut seen = pager.next(server).await.unwrap();
    seen.extend(pager.next(server).await.unwrap());
    create_follow_up(
        server,
        &json!({ "meeting_id": meeting_id, "title": "Uppföljning 9" }),
    )
    .await;
    seen.extend(pager.rest(server).await);
    assert_once(&seen);
    titles.push("Uppföljning 9".to_owned());
    assert_eq!(strings(&seen, "title"), titles);
}

async fn page_sizes_and_cursors_are_checked(server: &TestServer) {
    let some = organisation(server, "Storföretaget AB", "company").await;
    let lists = [
        "/api/v1/organisations".to_owned(),
        "/api/v1/representatives".to_owned(),
        "/api/v1/partnerships".to_owned(),
        "/api/v1/meetings".to_owned(),
        "/api/v1/follow-ups".to_owned(),
        format!("/api/v1/organisations/{some}/timeline"),
    ];
    for list in &lists {
        for bad in ["0", "501", "-1", "many"] {
            get(server, &format!("{list}?limit={bad}"))
                .await
                .expect_problem(StatusCode::BAD_REQUEST, Some("limit"));
        }
        for good in ["1", "500"] {
            get(server, &format!("{list}?limit={good}"))
                .await
                .expect(StatusCode::OK);
        }
        // Not base64; base64 of text that is no cursor.
        for garbage in ["garbage!", "eAp5", "bm90IGEgY3Vyc29y"] {
            get(server, &format!("{list}?cursor={garbage}"))
                .await
                .expect_problem(StatusCode::BAD_REQUEST, Some("cursor"));
        }
    }

    // The default page holds 50.
    for i in 1..=50 {
        organisation(server, &format!("Bolag {i:02}"), "company").await;
    }
    let first = get(server, "/api/v1/organisations").await.expect(StatusCode::OK);
    assert_eq!(first["items"].as_array().unwrap().len(), 50);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = get(server, &format!("/api/v1/organisations?cursor={cursor}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["name"], json!("Storföretaget AB"));
    assert_eq!(second["next_cursor"], Value::Null);
    // Exactly a page's worth: no next cursor.
    let exact = get(server, "/api/v1/organisations?limit=51")
        .await
        .expect(StatusCode::OK);
    assert_eq!(exact["items"].as_array().unwrap().len(), 51);
    assert_eq!(exact["next_cursor"], Value::Null);
}

/// A cursor is only good for the list that gave it out: another list's
/// cursor is a bad `cursor` parameter (400), like any other garbage.
async fn a_cursor_from_another_list_is_a_bad_request(server: &TestServer) {
    let first = organisation(server, "Ett AB", "company").await;
    organisation(server, "Två AB", "company").await;
    let page = get(server, "/api/v1/organisations?limit=1")
        .await
        .expect(StatusCode::OK);
    let cursor = page["next_cursor"].as_str().expect("a cursor").to_owned();
    get(server, &format!("/api/v1/meetings?cursor={cursor}"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("cursor"));
    get(
        server,
        &format!("/api/v1/organisations/{first}/timeline?cursor={cursor}"),
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("cursor"));
}
