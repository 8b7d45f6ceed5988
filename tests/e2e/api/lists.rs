//! Lists, filters, search and timelines: every page walked, every filter
//! checked against exactly the rows it must return.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Seed, delete, get, organisation, patch, person, post, seed, walk};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(
    organisations_walk_in_swedish_order_while_rows_are_added,
    representatives_walk_in_swedish_order_while_rows_are_added,
    meetings_walk_newest_first_while_rows_are_added,
    partnerships_and_follow_ups_walk_oldest_first_while_rows_are_added,
    page_sizes_and_cursors_are_checked,
    a_cursor_from_another_list_is_a_bad_request,
    organisation_filters_select_exactly_the_matching_rows,
    representative_filters_select_exactly_the_matching_rows,
    partnership_filters_select_exactly_the_matching_rows,
    meeting_filters_select_exactly_the_matching_rows,
    follow_up_filters_select_exactly_the_matching_rows,
    search_finds_every_kind_with_swedish_letters_in_both_cases,
    search_snippets_quote_the_stored_text,
    search_snippets_show_the_match_in_multi_line_text,
    search_ranks_an_exact_name_first_among_many_candidates,
    timelines_tell_each_organisations_part_newest_first,
);

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Percent-encodes a query parameter value (Swedish letters, spaces, `%`).
fn enc(value: &str) -> String {
    let mut encoded = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The string member `key` of every item.
fn strings(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|item| {
            item[key]
                .as_str()
                .unwrap_or_else(|| panic!("no {key} in {item}"))
                .to_owned()
        })
        .collect()
}

fn id_of(body: &Value) -> String {
    body["id"].as_str().expect("an id").to_owned()
}

/// Walks a filtered list in small pages (so that every filter is also
/// checked across page boundaries) and compares `key` of each item, in order.
async fn expect_list(server: &TestServer, path: &str, key: &str, expected: &[&str]) {
    let items = walk(server, path, 2).await;
    assert_eq!(strings(&items, key), expected, "GET {path}");
}

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

fn assert_once(items: &[Value]) {
    let ids = strings(items, "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a row repeats: {ids:?}");
}

/// Logs a meeting through the API and returns what it answered.
async fn log_meeting(server: &TestServer, meeting: &Value) -> Value {
    post(server, "/api/v1/meetings", meeting)
        .await
        .expect(StatusCode::CREATED)
}

/// A bare meeting: a title, a kind and a start.
fn bare_meeting(title: &str, starts_at: &str) -> Value {
    json!({ "title": title, "kind": "other", "starts_at": starts_at, "status": "held" })
}

async fn create_follow_up(server: &TestServer, body: &Value) -> String {
    id_of(
        &post(server, "/api/v1/follow-ups", body)
            .await
            .expect(StatusCode::CREATED),
    )
}

async fn create_partnership(server: &TestServer, body: &Value) -> String {
    id_of(
        &post(server, "/api/v1/partnerships", body)
            .await
            .expect(StatusCode::CREATED),
    )
}

/// Today in Stockholm, when it can be told from UTC alone: Stockholm is one
/// or two hours ahead, and outside the hour where those disagree the date is
/// the same either way.
fn stockholm_today() -> Option<NaiveDate> {
    let now = Utc::now();
    let winter = (now + chrono::Duration::hours(1)).date_naive();
    let summer = (now + chrono::Duration::hours(2)).date_naive();
    (winter == summer).then_some(winter)
}

/// The seed day and five more meetings around it, for the meeting filters
/// and the timelines:
///
/// | meeting | starts (Stockholm)      | kind           | host         | attendees                                           |
/// |---------|-------------------------|----------------|--------------|-----------------------------------------------------|
/// | a       | 2024-04-26 (all day)    | partner_day    | Kunskapsf.   | the seed day's                                      |
/// | b       | 2024-12-31 23:30        | workshop       | GKN          | Lena Lindhé attended                                |
/// | c       | 2025-01-01 (all day)    | steering_group | –            | Vattenfall invited, Maria Hildefors attended, Jan-Erik Aronsson invited |
/// | d       | 2025-03-10 13:00        | site_visit     | Vattenfall   | Lisa Thörn attended                                 |
/// | e       | 2025-02-01 (archived)   | other          | Kunskapsf.   | –                                                   |
/// | f       | 2030-05-01 10:00        | one_to_one     | Vattenfall   | Lisa Thörn confirmed, Jan-Erik Aronsson invited     |
struct Day {
    seed: Seed,
    a: Value,
    b: String,
    c: String,
    d: String,
    e: String,
    f: String,
}

async fn day(server: &TestServer) -> Day {
    let seed = seed(server).await;
    let a = log_meeting(server, &seed.meeting).await;
    let gkn = seed.organisation("GKN Aerospace");
    let vattenfall = seed.organisation("Vattenfall");
    let attend = |name: &str, status: &str| json!({ "representative_id": seed.person(name), "role": "participant", "status": status });
    let b = log_meeting(
        server,
        &json!({
            "title": "Nyårsmöte om kompetensförsörjning",
            "kind": "workshop",
            "starts_at": "2024-12-31T23:30:00+01:00",
            "ends_at": "2025-01-01T00:30:00+01:00",
            "location": "Innovatum, Trollhättan",
            "host_organisation_id": gkn,
            "tags": ["Kompetens"],
            "status": "held",
            "attendees": [attend("Lena Lindhé", "attended")]
        }),
    )
    .await;
    let c = log_meeting(
        server,
        &json!({
            "title": "Styrgrupp för Wexus",
            "kind": "steering_group",
            "starts_at": "2025-01-01T00:00:00+01:00",
            "all_day": true,
            "tags": ["kompetens", "wexus"],
            "status": "held",
            "attendees": [
                { "organisation_id": vattenfall, "role": "participant", "status": "invited" },
                attend("Maria Hildefors", "attended"),
                attend("Jan-Erik Aronsson", "invited")
            ]
        }),
    )
    .await;
    let d = log_meeting(
        server,
        &json!({
            "title": "Platsbesök hos Vattenfall",
            "kind": "site_visit",
            "starts_at": "2025-03-10T13:00:00+01:00",
            "location": "Stenungsund",
            "host_organisation_id": vattenfall,
            "summary": "Ångkraft och vätgas: 100 % fossilfritt.",
            "tags": ["vätgas"],
            "status": "held",
            "attendees": [attend("Lisa Thörn", "attended")]
        }),
    )
    .await;
    let e = log_meeting(
        server,
        &json!({
            "title": "Inställt möte",
            "kind": "other",
            "starts_at": "2025-02-01T10:00:00+01:00",
            "host_organisation_id": seed.host,
            "status": "cancelled"
        }),
    )
    .await;
    delete(server, &format!("/api/v1/meetings/{}", id_of(&e)))
        .await
        .expect(StatusCode::NO_CONTENT);
    let f = log_meeting(
        server,
        &json!({
            "title": "Avstämning om praktikplatser",
            "kind": "one_to_one",
            "starts_at": "2030-05-01T10:00:00+02:00",
            "host_organisation_id": vattenfall,
            "attendees": [attend("Lisa Thörn", "confirmed"), attend("Jan-Erik Aronsson", "invited")]
        }),
    )
    .await;
    assert_eq!(f["status"], json!("planned"));
    Day {
        seed,
        a,
        b: id_of(&b),
        c: id_of(&c),
        d: id_of(&d),
        e: id_of(&e),
        f: id_of(&f),
    }
}

// ---------------------------------------------------------------------------
// 1. Pagination
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// 2. Filters
// ---------------------------------------------------------------------------

async fn organisation_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let seed = seed(server).await;
    let mut extras = Vec::new();
    for body in [
        json!({ "name": "Café Lindhé AB", "kind": "company", "city": "Uddevalla",
                "tags": ["Fika", "Västkusten"] }),
        json!({ "name": "Chalmers tekniska högskola", "short_name": "CTH", "kind": "university",
                "city": "Göteborg", "tags": ["innovation"] }),
        json!({ "name": "Science Park Innovatum", "kind": "company", "city": "Trollhättan",
                "tags": ["Innovation"] }),
        json!({ "name": "Vänersborgs kommun", "kind": "municipality", "city": "Vänersborg" }),
    ] {
        extras.push(id_of(
            &post(server, "/api/v1/organisations", &body)
                .await
                .expect(StatusCode::CREATED),
        ));
    }
    let list = "/api/v1/organisations";
    let everyone = [
        "Café Lindhé AB",
        "Chalmers tekniska högskola",
        "GKN Aerospace",
        "Högskolan Väst",
        "Kunskapsförbundet Väst",
        "NU-sjukvården",
        "Science Park Innovatum",
        "Support Group Network",
        "Trollhättans stad",
        "Vattenfall",
        "Vänersborgs kommun",
    ];
    expect_list(server, list, "name", &everyone).await;
    expect_list(server, &format!("{list}?q="), "name", &everyone).await;

    // q: name, short name, city; å, ä, ö in either case, and letters of
    // their own; other accents fold.
    let vast = ["Högskolan Väst", "Kunskapsförbundet Väst"];
    for q in ["VÄST", "väst", "Väst", " väst "] {
        expect_list(server, &format!("{list}?q={}", enc(q)), "name", &vast).await;
    }
    expect_list(server, &format!("{list}?q=vast"), "name", &[]).await;
    for q in ["lindhe", "LINDHÉ", "lindhé", "cafe lindhe"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "name",
            &["Café Lindhé AB"],
        )
        .await;
    }
    expect_list(
        server,
        &format!("{list}?q=cth"),
        "name",
        &["Chalmers tekniska högskola"],
    )
    .await;
    for q in ["GÖTEBORG", "göteborg"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "name",
            &["Chalmers tekniska högskola"],
        )
        .await;
    }
    expect_list(server, &format!("{list}?q=goteborg"), "name", &[]).await;
    expect_list(
        server,
        &format!("{list}?q={}", enc("TROLLHÄTTAN")),
        "name",
        &["Science Park Innovatum", "Trollhättans stad"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q={}", enc("vänersborg")),
        "name",
        &["Vänersborgs kommun"],
    )
    .await;
    // LIKE's wildcards are literal.
    expect_list(server, &format!("{list}?q={}", enc("%")), "name", &[]).await;
    expect_list(server, &format!("{list}?q={}", enc("_")), "name", &[]).await;

    // kind
    expect_list(
        server,
        &format!("{list}?kind=university"),
        "name",
        &["Chalmers tekniska högskola", "Högskolan Väst"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?kind=company"),
        "name",
        &[
            "Café Lindhé AB",
            "GKN Aerospace",
            "Science Park Innovatum",
            "Vattenfall",
        ],
    )
    .await;
    expect_list(server, &format!("{list}?kind=public_agency"), "name", &[]).await;

    // tag: stored lower-cased, matched ignoring case.
    for tag in ["innovation", "INNOVATION"] {
        expect_list(
            server,
            &format!("{list}?tag={tag}"),
            "name",
            &["Chalmers tekniska högskola", "Science Park Innovatum"],
        )
        .await;
    }
    expect_list(
        server,
        &format!("{list}?tag={}", enc("VÄSTKUSTEN")),
        "name",
        &["Café Lindhé AB"],
    )
    .await;
    expect_list(server, &format!("{list}?tag=innovat"), "name", &[]).await;

    // Together, every filter must hold.
    expect_list(
        server,
        &format!("{list}?kind=university&tag=innovation"),
        "name",
        &["Chalmers tekniska högskola"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?kind=company&q={}", enc("trollhättan")),
        "name",
        &["Science Park Innovatum"],
    )
    .await;

    // include_archived
    delete(server, &format!("{list}/{}", extras[3]))
        .await
        .expect(StatusCode::NO_CONTENT);
    let municipalities = format!("{list}?kind=municipality");
    expect_list(server, &municipalities, "name", &["Trollhättans stad"]).await;
    expect_list(
        server,
        &format!("{municipalities}&include_archived=false"),
        "name",
        &["Trollhättans stad"],
    )
    .await;
    let with_archived = walk(server, &format!("{municipalities}&include_archived=true"), 1).await;
    assert_eq!(
        strings(&with_archived, "name"),
        ["Trollhättans stad", "Vänersborgs kommun"]
    );
    assert!(with_archived[0]["archived_at"].is_null());
    assert!(with_archived[1]["archived_at"].is_string());
    let live: Vec<&str> = everyone
        .iter()
        .copied()
        .filter(|name| *name != "Vänersborgs kommun")
        .collect();
    expect_list(server, list, "name", &live).await;
    expect_list(
        server,
        &format!("{list}?include_archived=true"),
        "name",
        &everyone,
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q={}&include_archived=true", enc("VÄNERSBORG")),
        "name",
        &["Vänersborgs kommun"],
    )
    .await;
    assert_eq!(seed.organisations.len(), 7);
}

async fn representative_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let seed = seed(server).await;
    let chalmers = organisation(server, "Chalmers tekniska högskola", "university").await;
    post(
        server,
        "/api/v1/representatives",
        &json!({ "full_name": "Åsa Öberg", "organisation_id": chalmers, "title": "Forskare",
                 "email": "asa@chalmers.se" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let list = "/api/v1/representatives";
    let everyone = [
        "Arsema",
        "Jan Theliander",
        "Jan-Erik Aronsson",
        "Lena Lindhé",
        "Lisa Thörn",
        "Maria Derner",
        "Maria Hildefors",
        "Tilde",
        "Åsa Öberg",
    ];
    expect_list(server, list, "full_name", &everyone).await;

    // q: name, current title, e-mail.
    for q in ["LINDHÉ", "lindhé", "lindhe", "Lena Lindhe"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "full_name",
            &["Lena Lindhé"],
        )
        .await;
    }
    for q in ["SAMVERKANSSTRATEG", "samverkansstrateg"] {
        expect_list(server, &format!("{list}?q={q}"), "full_name", &["Lena Lindhé"]).await;
    }
    expect_list(
        server,
        &format!("{list}?q=strateg"),
        "full_name",
        &["Jan-Erik Aronsson", "Lena Lindhé"],
    )
    .await;
    for q in ["THÖRN", "thörn"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "full_name",
            &["Lisa Thörn"],
        )
        .await;
    }
    expect_list(server, &format!("{list}?q=thorn"), "full_name", &[]).await;
    for q in ["ÅSA ÖBERG", "öberg"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "full_name",
            &["Åsa Öberg"],
        )
        .await;
    }
    expect_list(server, &format!("{list}?q=oberg"), "full_name", &[]).await;
    expect_list(
        server,
        &format!("{list}?q={}", enc("@CHALMERS.SE")),
        "full_name",
        &["Åsa Öberg"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q=elev"),
        "full_name",
        &["Arsema", "Tilde"],
    )
    .await;

    // organisation_id: those who represent it now.
    let host = format!("{list}?organisation_id={}", seed.host);
    let university = format!("{list}?organisation_id={}", seed.university);
    expect_list(
        server,
        &host,
        "full_name",
        &[
            "Arsema",
            "Jan-Erik Aronsson",
            "Lisa Thörn",
            "Maria Hildefors",
            "Tilde",
        ],
    )
    .await;
    expect_list(
        server,
        &university,
        "full_name",
        &["Jan Theliander", "Lena Lindhé", "Maria Derner"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?organisation_id={}", seed.organisation("Vattenfall")),
        "full_name",
        &[],
    )
    .await;
    expect_list(
        server,
        &format!("{host}&q=maria"),
        "full_name",
        &["Maria Hildefors"],
    )
    .await;

    // A move to another organisation moves the person between the lists; a
    // new title is found by q, the old one no longer.
    let gkn = seed.organisation("GKN Aerospace");
    let theliander = seed.person("Jan Theliander");
    patch(
        server,
        &format!("{list}/{theliander}"),
        &json!({ "version": 1, "organisation_id": gkn }),
    )
    .await
    .expect(StatusCode::OK);
    expect_list(server, &university, "full_name", &["Lena Lindhé", "Maria Derner"]).await;
    expect_list(
        server,
        &format!("{list}?organisation_id={gkn}"),
        "full_name",
        &["Jan Theliander"],
    )
    .await;
    let derner = seed.person("Maria Derner");
    patch(
        server,
        &format!("{list}/{derner}"),
        &json!({ "version": 1, "title": "Kommunikationsdirektör" }),
    )
    .await
    .expect(StatusCode::OK);
    expect_list(
        server,
        &format!("{list}?q={}", enc("KOMMUNIKATIONSDIREKTÖR")),
        "full_name",
        &["Maria Derner"],
    )
    .await;
    expect_list(server, &format!("{list}?q=kommunikationschef"), "full_name", &[]).await;

    // include_archived
    let arsema = seed.person("Arsema");
    delete(server, &format!("{list}/{arsema}"))
        .await
        .expect(StatusCode::NO_CONTENT);
    expect_list(
        server,
        &host,
        "full_name",
        &["Jan-Erik Aronsson", "Lisa Thörn", "Maria Hildefors", "Tilde"],
    )
    .await;
    expect_list(server, &format!("{list}?q=elev"), "full_name", &["Tilde"]).await;
    expect_list(
        server,
        &format!("{host}&include_archived=true"),
        "full_name",
        &[
            "Arsema",
            "Jan-Erik Aronsson",
            "Lisa Thörn",
            "Maria Hildefors",
            "Tilde",
        ],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q=elev&include_archived=true"),
        "full_name",
        &["Arsema", "Tilde"],
    )
    .await;
}

async fn expect_ids(server: &TestServer, path: String, expected: Vec<String>) {
    assert_eq!(
        strings(&walk(server, &path, 2).await, "id"),
        expected,
        "GET {path}"
    );
}

async fn partnership_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let a = organisation(server, "Alfa AB", "company").await;
    let b = organisation(server, "Beta AB", "company").await;
    let c = organisation(server, "Gamma kommun", "municipality").await;
    let d = organisation(server, "Delta högskola", "university").await;
    let lonely = organisation(server, "Ensam AB", "company").await;
    let ab = create_partnership(
        server,
        &json!({ "organisation_ids": [a, b], "kind": "strategic" }),
    )
    .await;
    let ac = create_partnership(
        server,
        &json!({ "organisation_ids": [c, a], "kind": "project", "status": "prospect" }),
    )
    .await;
    let bc = create_partnership(
        server,
        &json!({ "organisation_ids": [b, c], "kind": "other", "status": "ended",
                 "started_on": "2020-01-01", "ended_on": "2023-12-31" }),
    )
    .await;
    let cd = create_partnership(
        server,
        &json!({ "organisation_ids": [c, d], "kind": "strategic", "status": "paused" }),
    )
    .await;
    let archived = create_partnership(
        server,
        &json!({ "organisation_ids": [a, d], "kind": "project", "status": "active" }),
    )
    .await;
    delete(server, &format!("/api/v1/partnerships/{archived}"))
        .await
        .expect(StatusCode::NO_CONTENT);

    let list = "/api/v1/partnerships";
    let check = |path: String, expected: Vec<&String>| {
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        expect_ids(server, path, expected)
    };
    check(list.to_owned(), vec![&ab, &ac, &bc, &cd]).await;
    check(format!("{list}?organisation_id={a}"), vec![&ab, &ac]).await;
    check(format!("{list}?organisation_id={b}"), vec![&ab, &bc]).await;
    check(format!("{list}?organisation_id={c}"), vec![&ac, &bc, &cd]).await;
    check(format!("{list}?organisation_id={d}"), vec![&cd]).await;
    check(format!("{list}?organisation_id={lonely}"), vec![]).await;
    check(format!("{list}?status=active"), vec![&ab]).await;
    check(format!("{list}?status=prospect"), vec![&ac]).await;
    check(format!("{list}?status=ended"), vec![&bc]).await;
    check(format!("{list}?status=paused"), vec![&cd]).await;
    check(format!("{list}?organisation_id={c}&status=paused"), vec![&cd]).await;
    check(format!("{list}?organisation_id={c}&status=active"), vec![]).await;
    check(format!("{list}?organisation_id={a}&status=prospect"), vec![&ac]).await;
    check(
        format!("{list}?organisation_id={d}&include_archived=true"),
        vec![&cd, &archived],
    )
    .await;
    check(
        format!("{list}?status=active&include_archived=true"),
        vec![&ab, &archived],
    )
    .await;
    get(server, &format!("{list}?status=dormant"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("status"));
    get(server, &format!("{list}?organisation_id=not-a-uuid"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("organisation_id"));
}

async fn meeting_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let day = day(server).await;
    let seed = &day.seed;
    let list = "/api/v1/meetings";
    let (a, b, c, d, e, f) = (
        "Strategisk partnerträff",
        "Nyårsmöte om kompetensförsörjning",
        "Styrgrupp för Wexus",
        "Platsbesök hos Vattenfall",
        "Inställt möte",
        "Avstämning om praktikplatser",
    );
    expect_list(server, list, "title", &[f, d, c, b, a]).await;
    expect_list(
        server,
        &format!("{list}?include_archived=true"),
        "title",
        &[f, d, e, c, b, a],
    )
    .await;

    // The Stockholm day a meeting starts on, not the UTC one.
    let b_read = get(server, &format!("{list}/{}", day.b))
        .await
        .expect(StatusCode::OK);
    assert_eq!(b_read["date"], json!("2024-12-31"));
    assert_eq!(b_read["starts_at"], json!("2024-12-31T22:30:00+00:00"));
    let c_read = get(server, &format!("{list}/{}", day.c))
        .await
        .expect(StatusCode::OK);
    assert_eq!(c_read["date"], json!("2025-01-01"));

    // from / to: Stockholm days, inclusive.
    for (query, expected) in [
        ("from=2024-12-31&to=2024-12-31", vec![b]),
        ("from=2025-01-01&to=2025-01-01", vec![c]),
        ("from=2024-12-31&to=2025-01-01", vec![c, b]),
        ("from=2025-01-01", vec![f, d, c]),
        ("to=2024-12-31", vec![b, a]),
        ("from=2024-04-26&to=2024-04-26", vec![a]),
        ("from=2024-04-27&to=2024-12-30", vec![]),
        ("from=2024-04-25&to=2024-04-25", vec![]),
        ("from=2025-03-10&to=2025-03-10", vec![d]),
        ("from=2025-02-01&to=2025-02-01", vec![]),
        ("from=2025-02-01&to=2025-02-01&include_archived=true", vec![e]),
    ] {
        expect_list(server, &format!("{list}?{query}"), "title", &expected).await;
    }
    let answer = get(server, &format!("{list}?from=2025-01-02&to=2025-01-01"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, None);
    let fields = strings(answer["errors"].as_array().unwrap(), "field");
    assert!(
        fields.iter().any(|f| f == "from" || f == "to"),
        "from after to names from or to: {answer}"
    );

    // organisation_id: hosted, attended by it, or by one of its people.
    // Attendance of any status counts: an organisation only invited is on
    // the list (the store matches every attendance row).
    let by_organisation = |name: &str| format!("{list}?organisation_id={}", seed.organisation(name));
    for (name, expected) in [
        ("Kunskapsförbundet Väst", vec![f, d, c, a]),
        ("GKN Aerospace", vec![b, a]),
        ("Trollhättans stad", vec![a]),
        ("Vattenfall", vec![f, d, c, a]),
        ("Högskolan Väst", vec![b, a]),
        ("NU-sjukvården", vec![a]),
        ("Support Group Network", vec![a]),
    ] {
        expect_list(server, &by_organisation(name), "title", &expected).await;
    }
    expect_list(
        server,
        &format!(
            "{}&include_archived=true",
            by_organisation("Kunskapsförbundet Väst")
        ),
        "title",
        &[f, d, e, c, a],
    )
    .await;
    let stranger = organisation(server, "Främmande AB", "company").await;
    expect_list(
        server,
        &format!("{list}?organisation_id={stranger}"),
        "title",
        &[],
    )
    .await;

    // representative_id
    for (name, expected) in [
        ("Lena Lindhé", vec![b, a]),
        ("Maria Hildefors", vec![c, a]),
        ("Lisa Thörn", vec![f, d, a]),
        ("Jan-Erik Aronsson", vec![f, c, a]),
        ("Tilde", vec![a]),
    ] {
        expect_list(
            server,
            &format!("{list}?representative_id={}", seed.person(name)),
            "title",
            &expected,
        )
        .await;
    }
    let newcomer = person(server, "Ny Person", &stranger, "Gäst", false).await;
    expect_list(
        server,
        &format!("{list}?representative_id={newcomer}"),
        "title",
        &[],
    )
    .await;

    // kind
    for (kind, expected) in [
        ("partner_day", vec![a]),
        ("workshop", vec![b]),
        ("steering_group", vec![c]),
        ("site_visit", vec![d]),
        ("one_to_one", vec![f]),
        ("other", vec![]),
    ] {
        expect_list(server, &format!("{list}?kind={kind}"), "title", &expected).await;
    }
    expect_list(
        server,
        &format!("{list}?kind=other&include_archived=true"),
        "title",
        &[e],
    )
    .await;

    // tag
    for (tag, expected) in [
        ("kompetens", vec![c, b]),
        ("KOMPETENS", vec![c, b]),
        ("wexus", vec![c]),
        ("tillsammanskraft", vec![a]),
        ("vätgas", vec![d]),
        ("VÄTGAS", vec![d]),
        ("kompetensförsörjning", vec![]),
    ] {
        expect_list(server, &format!("{list}?tag={}", enc(tag)), "title", &expected).await;
    }

    // q: title, location, summary (not the agenda).
    for (q, expected) in [
        ("DRÖMFABRIKEN", vec![a]),
        ("drömfabriken", vec![a]),
        ("dromfabriken", vec![]),
        ("NYÅRSMÖTE", vec![b]),
        ("nyårsmöte", vec![b]),
        ("nyarsmote", vec![]),
        ("innovatum", vec![b]),
        ("ÅNGKRAFT", vec![d]),
        ("ångkraft", vec![d]),
        ("wexus", vec![c]),
        ("Trollhättan", vec![b, a]),
        ("tillsammanskraft", vec![a]),
        ("%", vec![d]),
        ("_", vec![]),
        ("Ungdomsbarometern", vec![]),
    ] {
        expect_list(server, &format!("{list}?q={}", enc(q)), "title", &expected).await;
    }

    // Together, every filter must hold.
    for (query, expected) in [
        (format!("organisation_id={}&kind=partner_day", seed.host), vec![a]),
        (
            format!(
                "organisation_id={}&from=2025-01-01&to=2025-12-31",
                seed.organisation("Vattenfall")
            ),
            vec![d, c],
        ),
        (
            format!(
                "representative_id={}&q={}",
                seed.person("Lisa Thörn"),
                enc("ångkraft")
            ),
            vec![d],
        ),
        (
            format!(
                "tag=kompetens&organisation_id={}",
                seed.organisation("GKN Aerospace")
            ),
            vec![b],
        ),
        (
            format!("tag=kompetens&representative_id={}", seed.person("Lisa Thörn")),
            vec![],
        ),
    ] {
        expect_list(server, &format!("{list}?{query}"), "title", &expected).await;
    }
}

async fn follow_up_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let day = day(server).await;
    let seed = &day.seed;
    let a = id_of(&day.a);
    let b = day.b.clone();
    let lena = seed.person("Lena Lindhé");
    let lisa = seed.person("Lisa Thörn");
    let gkn = seed.organisation("GKN Aerospace");
    let vattenfall = seed.organisation("Vattenfall");

    // From the seed day: f1 (Derner, Högskolan Väst, 2024-06-14, open) and
    // f2 (Lindhé, 2024-09-30, in progress).
    let f1 = "Exempel: dela ungdomsbarometerns resultat";
    let f2 = "Exempel: boka nästa partnerträff";
    let f3 = "Skicka minnesanteckningar från nyårsmötet";
    let f4 = "Återkoppla till Vattenfall";
    let f5 = "Arkivera presentationerna";
    let f6 = "Bjud in till Wexus";
    let f7 = "Utvärdera dagen";
    let f8 = "Ringa Högskolan Väst i dag";
    let f9 = "Svara Trollhättans stad";
    let archived = "Gammal uppföljning";
    create_follow_up(
        server,
        &json!({ "meeting_id": b, "title": f3, "owner_id": lena, "organisation_id": gkn,
                 "due_on": "2020-01-01", "status": "open" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": b, "title": f4, "details": "Om vätgas och ÅNGKRAFT.",
                 "owner_id": lisa, "organisation_id": vattenfall, "due_on": "2999-01-01" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": a, "title": f5, "owner_id": seed.person("Maria Hildefors"),
                 "organisation_id": seed.host, "due_on": "2020-01-01", "status": "done" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": b, "title": f6, "status": "cancelled" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": a, "title": f7, "owner_id": lena, "organisation_id": seed.university,
                 "due_on": "2020-01-01", "status": "in_progress" }),
    )
    .await;
    // Due today (not overdue) and yesterday (overdue), when today in
    // Stockholm is certain.
    let today = stockholm_today();
    if let Some(today) = today {
        create_follow_up(
            server,
            &json!({ "meeting_id": a, "title": f8, "due_on": today.to_string(), "status": "open" }),
        )
        .await;
        create_follow_up(
            server,
            &json!({ "meeting_id": a, "title": f9, "due_on": today.pred_opt().unwrap().to_string(),
                     "status": "in_progress" }),
        )
        .await;
    }
    let old = create_follow_up(
        server,
        &json!({ "meeting_id": a, "title": archived, "owner_id": lena, "due_on": "2020-01-01" }),
    )
    .await;
    delete(server, &format!("/api/v1/follow-ups/{old}"))
        .await
        .expect(StatusCode::NO_CONTENT);

    let list = "/api/v1/follow-ups";
    let with_today = |mut titles: Vec<&'static str>, extra: &[&'static str]| {
        if today.is_some() {
            titles.extend_from_slice(extra);
        }
        titles
    };
    let everything = with_today(vec![f1, f2, f3, f4, f5, f6, f7], &[f8, f9]);
    expect_list(server, list, "title", &everything).await;
    let mut with_archived = everything.clone();
    with_archived.push(archived);
    expect_list(
        server,
        &format!("{list}?include_archived=true"),
        "title",
        &with_archived,
    )
    .await;

    // status
    expect_list(
        server,
        &format!("{list}?status=open"),
        "title",
        &with_today(vec![f1, f3, f4], &[f8]),
    )
    .await;
    expect_list(
        server,
        &format!("{list}?status=in_progress"),
        "title",
        &with_today(vec![f2, f7], &[f9]),
    )
    .await;
    expect_list(server, &format!("{list}?status=done"), "title", &[f5]).await;
    expect_list(server, &format!("{list}?status=cancelled"), "title", &[f6]).await;

    // owner_id, organisation_id, meeting_id
    expect_list(server, &format!("{list}?owner_id={lena}"), "title", &[f2, f3, f7]).await;
    expect_list(
        server,
        &format!("{list}?owner_id={lena}&include_archived=true"),
        "title",
        &[f2, f3, f7, archived],
    )
    .await;
    expect_list(server, &format!("{list}?owner_id={lisa}"), "title", &[f4]).await;
    expect_list(
        server,
        &format!("{list}?owner_id={}", seed.person("Tilde")),
        "title",
        &[],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?organisation_id={}", seed.university),
        "title",
        &[f1, f7],
    )
    .await;
    expect_list(server, &format!("{list}?organisation_id={gkn}"), "title", &[f3]).await;
    expect_list(
        server,
        &format!("{list}?organisation_id={}", seed.host),
        "title",
        &[f5],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?meeting_id={a}"),
        "title",
        &with_today(vec![f1, f2, f5, f7], &[f8, f9]),
    )
    .await;
    expect_list(server, &format!("{list}?meeting_id={b}"), "title", &[f3, f4, f6]).await;
    expect_list(server, &format!("{list}?meeting_id={}", day.c), "title", &[]).await;

    // due_before: strictly before; no due date never matches.
    expect_list(
        server,
        &format!("{list}?due_before=2024-07-01"),
        "title",
        &[f1, f3, f5, f7],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?due_before=2024-06-14"),
        "title",
        &[f3, f5, f7],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?due_before=2024-06-15"),
        "title",
        &[f1, f3, f5, f7],
    )
    .await;
    expect_list(server, &format!("{list}?due_before=2020-01-01"), "title", &[]).await;
    expect_list(
        server,
        &format!("{list}?due_before=3000-01-01"),
        "title",
        &with_today(vec![f1, f2, f3, f4, f5, f7], &[f8, f9]),
    )
    .await;

    // overdue: open or in progress, due before today (Stockholm).
    let overdue = walk(server, &format!("{list}?overdue=true"), 2).await;
    let overdue = strings(&overdue, "title");
    if today.is_some() && stockholm_today() == today {
        assert_eq!(overdue, [f1, f2, f3, f7, f9]);
    } else {
        for title in [f1, f2, f3, f7] {
            assert!(overdue.iter().any(|t| t == title), "{title} is overdue");
        }
        for title in [f4, f5, f6] {
            assert!(!overdue.iter().any(|t| t == title), "{title} is not overdue");
        }
    }
    expect_list(server, &format!("{list}?overdue=false"), "title", &everything).await;
    expect_list(
        server,
        &format!("{list}?overdue=true&owner_id={lena}"),
        "title",
        &[f2, f3, f7],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?overdue=true&status=open&meeting_id={b}"),
        "title",
        &[f3],
    )
    .await;

    // q: title and details, Swedish letters in either case.
    for (q, expected) in [
        ("ungdomsbarometern", vec![f1]),
        ("UNGDOMSBAROMETERNS", vec![f1]),
        ("ÅNGKRAFT", vec![f4]),
        ("ångkraft", vec![f4]),
        ("angkraft", vec![]),
        ("ÅTERKOPPLA", vec![f4]),
        ("exempel", vec![f1, f2]),
        ("NYÅRSMÖTET", vec![f3]),
        ("gammal", vec![]),
    ] {
        expect_list(server, &format!("{list}?q={}", enc(q)), "title", &expected).await;
    }
    expect_list(
        server,
        &format!("{list}?q=gammal&include_archived=true"),
        "title",
        &[archived],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q=exempel&status=in_progress&owner_id={lena}"),
        "title",
        &[f2],
    )
    .await;
    get(server, &format!("{list}?due_before=2024-02-30"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("due_before"));
    get(server, &format!("{list}?overdue=maybe"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("overdue"));
}

// ---------------------------------------------------------------------------
// 3. Search
// ---------------------------------------------------------------------------

/// The hits for `q`, each checked for shape.
async fn search(server: &TestServer, q: &str) -> Vec<Value> {
    let body = get(server, &format!("/api/v1/search?q={}", enc(q)))
        .await
        .expect(StatusCode::OK);
    let hits = body["items"].as_array().cloned().expect("items");
    for hit in &hits {
        for member in ["type", "id", "title", "snippet"] {
            assert!(hit[member].is_string(), "{member} in {hit}");
        }
        assert!(hit["score"].is_u64(), "score in {hit}");
    }
    let scores: Vec<u64> = hits.iter().map(|h| h["score"].as_u64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    hits
}

/// (type, title) of each hit.
fn kinds_and_titles(hits: &[Value]) -> Vec<(String, String)> {
    hits.iter()
        .map(|hit| {
            (
                hit["type"].as_str().unwrap().to_owned(),
                hit["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(kind, title)| ((*kind).to_owned(), (*title).to_owned()))
        .collect()
}

async fn search_finds_every_kind_with_swedish_letters_in_both_cases(server: &TestServer) {
    let seed = seed(server).await;
    let meeting = log_meeting(server, &seed.meeting).await;
    let meeting_id = id_of(&meeting);
    let library = organisation(server, "Trollhättans stadsbibliotek", "public_agency").await;

    // organisation: an exact name first, then a prefix.
    let trollhattan = seed.organisation("Trollhättans stad");
    for q in ["TROLLHÄTTANS STAD", "trollhättans stad", "Trollhättans Stad"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[
                ("organisation", "Trollhättans stad"),
                ("organisation", "Trollhättans stadsbibliotek")
            ]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(trollhattan));
        assert_eq!(hits[1]["id"], json!(library));
        assert!(hits[0]["score"].as_u64() > hits[1]["score"].as_u64());
        assert_eq!(hits[0]["snippet"], json!("Trollhättans stad"));
        assert!(hits[1]["snippet"].as_str().unwrap().contains("Trollhättans stad"));
        assert_eq!(hits[0]["meeting_id"], Value::Null);
    }
    assert!(search(server, "trollhattans stad").await.is_empty());

    // representative
    let lena = seed.person("Lena Lindhé");
    for q in ["LINDHÉ", "lindhé", "lindhe", "Lindhe"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("representative", "Lena Lindhé")]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(lena));
        assert!(hits[0]["snippet"].as_str().unwrap().contains("Lindhé"));
    }
    for q in ["THÖRN", "thörn"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("representative", "Lisa Thörn")]),
            "q={q}"
        );
        assert!(hits[0]["snippet"].as_str().unwrap().contains("Thörn"));
    }
    assert!(search(server, "thorn").await.is_empty());

    // agenda_item (an exact title) and follow_up (a word inside a title).
    let item = meeting["agenda"][3]["id"].as_str().unwrap().to_owned();
    let follow_up = meeting["follow_ups"][0]["id"].as_str().unwrap().to_owned();
    for q in ["ungdomsbarometern", "UNGDOMSBAROMETERN"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[
                ("agenda_item", "Ungdomsbarometern"),
                ("follow_up", "Exempel: dela ungdomsbarometerns resultat")
            ]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(item));
        assert_eq!(hits[0]["meeting_id"], json!(meeting_id));
        assert_eq!(hits[0]["snippet"], json!("Ungdomsbarometern"));
        assert_eq!(hits[1]["id"], json!(follow_up));
        assert_eq!(hits[1]["meeting_id"], json!(meeting_id));
        assert!(
            hits[1]["snippet"]
                .as_str()
                .unwrap()
                .contains("ungdomsbarometerns")
        );
        assert!(hits[0]["score"].as_u64() > hits[1]["score"].as_u64());
    }
    let hits = search(server, "ungdomsbarometerns").await;
    assert_eq!(
        kinds_and_titles(&hits),
        pairs(&[("follow_up", "Exempel: dela ungdomsbarometerns resultat")])
    );

    // agenda_item, matched in its description.
    for q in ["FÖRVÄNTNINGAR", "förväntningar"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("agenda_item", "Elevernas framtidsdrömmar")]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], meeting["agenda"][5]["id"]);
        assert!(hits[0]["snippet"].as_str().unwrap().contains("förväntningar"));
    }
    let hits = search(server, "WEXUS").await;
    assert_eq!(
        kinds_and_titles(&hits),
        pairs(&[("agenda_item", "Wexus – en samverkansarena för hållbar utveckling")])
    );
    assert!(hits[0]["snippet"].as_str().unwrap().contains("Wexus"));

    // meeting, matched in its location.
    for q in ["DRÖMFABRIKEN", "drömfabriken"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("meeting", "Strategisk partnerträff")]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(meeting_id));
        assert_eq!(hits[0]["meeting_id"], json!(meeting_id));
        assert!(hits[0]["snippet"].as_str().unwrap().contains("Drömfabriken"));
    }
    assert!(search(server, "dromfabriken").await.is_empty());

    // outcome
    for q in ["ÖMSESIDIGHET", "ömsesidighet"] {
        let hits = search(server, q).await;
        assert_eq!(hits.len(), 1, "q={q}: {hits:?}");
        assert_eq!(hits[0]["type"], json!("outcome"));
        assert_eq!(hits[0]["id"], meeting["outcomes"][1]["id"]);
        assert_eq!(hits[0]["meeting_id"], json!(meeting_id));
        assert!(hits[0]["snippet"].as_str().unwrap().contains("ömsesidighet"));
        assert!(
            hits[0]["title"]
                .as_str()
                .unwrap()
                .starts_with("Partnerskapen bygger")
        );
    }

    // Equal scores: by kind (meeting before follow-up).
    let hits = search(server, "PARTNERTRÄFF").await;
    assert_eq!(
        kinds_and_titles(&hits),
        pairs(&[
            ("meeting", "Strategisk partnerträff"),
            ("follow_up", "Exempel: boka nästa partnerträff")
        ])
    );

    // limit
    assert_eq!(
        get(server, "/api/v1/search?q=väst&limit=1")
            .await
            .expect(StatusCode::OK)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    for bad in ["0", "101"] {
        get(server, &format!("/api/v1/search?q=a&limit={bad}"))
            .await
            .expect_problem(StatusCode::BAD_REQUEST, Some("limit"));
    }

    // Archived records are not found.
    delete(
        server,
        &format!(
            "/api/v1/organisations/{}",
            seed.organisation("Support Group Network")
        ),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    assert!(search(server, "support group").await.is_empty());

    // An empty or blank q, or none.
    for q in ["", "%20%20"] {
        get(server, &format!("/api/v1/search?q={q}"))
            .await
            .expect_problem(StatusCode::BAD_REQUEST, Some("q"));
    }
    get(server, "/api/v1/search")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("q"));
    get(server, &format!("/api/v1/search?q={}", "x".repeat(201)))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("q"));
}

/// A snippet is "the text around the match": the stored text, as written,
/// also when the match is in a representative's title.
async fn search_snippets_quote_the_stored_text(server: &TestServer) {
    let seed = seed(server).await;
    for q in ["SAMVERKANSSTRATEG", "samverkansstrateg"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("representative", "Lena Lindhé")]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(seed.person("Lena Lindhé")));
        let snippet = hits[0]["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("Samverkansstrateg"),
            "the snippet quotes the title as stored, got {snippet:?}"
        );
    }
}

/// In a multi-line text (a summary with blank lines and indented lists,
/// kept as written) the snippet still holds the match.
async fn search_snippets_show_the_match_in_multi_line_text(server: &TestServer) {
    let mut summary = String::from("Program:\n");
    for i in 1..=25 {
        summary.push_str(&format!("\n    - Punkt {i}\n"));
    }
    summary.push_str("\nVi avslutade i Drömfabriken.");
    let mut meeting = bare_meeting("Programdag", "2024-05-02T10:00:00+02:00");
    meeting["summary"] = json!(summary);
    let logged = log_meeting(server, &meeting).await;
    assert_eq!(
        logged["summary"],
        json!(summary),
        "the summary is kept as written"
    );
    for q in ["DRÖMFABRIKEN", "drömfabriken"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("meeting", "Programdag")]),
            "q={q}"
        );
        let snippet = hits[0]["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("Drömfabriken"),
            "the snippet holds the match, got {snippet:?}"
        );
    }
}

/// "Best first: an exact name, then a prefix": also when many records
/// match, the exact name is the first hit.
async fn search_ranks_an_exact_name_first_among_many_candidates(server: &TestServer) {
    for i in 1..=100 {
        // Names that sort before the exact one and were made before it, so
        // neither table nor name order puts it among the first hundred rows.
        organisation(server, &format!("Bolaget Väst {i:03}"), "company").await;
    }
    let exact = organisation(server, "Väst", "association").await;
    let hits = search(server, "VÄST").await;
    assert_eq!(hits.len(), 20, "the default limit");
    assert_eq!(
        (&hits[0]["title"], &hits[0]["id"]),
        (&json!("Väst"), &json!(exact)),
        "the exact name first, got {:?}",
        kinds_and_titles(&hits[..3])
    );
    assert!(hits[0]["score"].as_u64() > hits[1]["score"].as_u64());
}

// ---------------------------------------------------------------------------
// 4. Timelines
// ---------------------------------------------------------------------------

/// (type, title, detail) of each entry.
fn entries(items: &[Value]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|entry| {
            (
                entry["type"].as_str().unwrap().to_owned(),
                entry["title"].as_str().unwrap().to_owned(),
                entry["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn triples(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect()
}

async fn timeline(server: &TestServer, organisation_id: &str, limit: u32) -> Vec<Value> {
    let items = walk(
        server,
        &format!("/api/v1/organisations/{organisation_id}/timeline"),
        limit,
    )
    .await;
    assert_once(&items);
    let times: Vec<DateTime<Utc>> = items
        .iter()
        .map(|e| e["occurred_at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
    items
}

async fn timelines_tell_each_organisations_part_newest_first(server: &TestServer) {
    let day = day(server).await;
    let seed = &day.seed;
    let a = "Strategisk partnerträff";
    let b = "Nyårsmöte om kompetensförsörjning";
    let c = "Styrgrupp för Wexus";
    let d = "Platsbesök hos Vattenfall";
    let f = "Avstämning om praktikplatser";

    // The seed day alone, for its organisations.
    for (name, detail) in [
        ("GKN Aerospace", "attended"),
        ("Trollhättans stad", "invited"),
        ("NU-sjukvården", "attended"),
    ] {
        let items = timeline(server, &seed.organisation(name), 50).await;
        let mut expected = Vec::new();
        if name == "GKN Aerospace" {
            expected.push(("meeting", b, "host"));
        }
        expected.push(("meeting", a, detail));
        assert_eq!(entries(&items), triples(&expected), "{name}");
        let last = items.last().unwrap();
        assert_eq!(last["id"], day.a["id"]);
        assert_eq!(last["occurred_at"], json!("2024-04-25T22:00:00+00:00"));
    }

    // The host, with a partnership and a follow-up made now: the future
    // meeting first, then what was made now (newest first), then the past
    // meetings; the archived meeting not at all.
    create_partnership(
        server,
        &json!({ "organisation_ids": [seed.host, seed.university], "kind": "strategic" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": day.d, "title": "Boka studiebesök för eleverna",
                 "organisation_id": seed.host, "status": "in_progress" }),
    )
    .await;
    let expected = triples(&[
        ("meeting", f, "confirmed"),
        ("follow_up", "Boka studiebesök för eleverna", "in_progress"),
        (
            "partnership",
            "strategic partnership with Högskolan Väst",
            "active",
        ),
        ("meeting", d, "attended"),
        ("meeting", c, "attended"),
        ("meeting", a, "host"),
    ]);
    let host = timeline(server, &seed.host, 50).await;
    assert_eq!(entries(&host), expected);
    assert_eq!(host[0]["id"], json!(day.f));
    assert!(
        !strings(&host, "id").contains(&day.e),
        "archived meetings are not on it"
    );
    // Pages of one walk every entry once, in the same order.
    let paged = timeline(server, &seed.host, 1).await;
    assert_eq!(paged, host);
    let paged = timeline(server, &seed.host, 4).await;
    assert_eq!(paged, host);

    let vattenfall = timeline(server, &seed.organisation("Vattenfall"), 1).await;
    assert_eq!(
        entries(&vattenfall),
        triples(&[
            ("meeting", f, "host"),
            ("meeting", d, "host"),
            ("meeting", c, "invited"),
            ("meeting", a, "attended"),
        ])
    );

    let university = timeline(server, &seed.university, 1).await;
    assert_eq!(
        entries(&university),
        triples(&[
            (
                "partnership",
                "strategic partnership with Kunskapsförbundet Väst",
                "active"
            ),
            ("follow_up", "Exempel: dela ungdomsbarometerns resultat", "open"),
            ("meeting", b, "attended"),
            ("meeting", a, "attended"),
        ])
    );

    // Follow-ups logged with a meeting are made in one go: however their
    // instants tie, pages of one walk them once, newest (last made) first.
    let nu = seed.organisation("NU-sjukvården");
    log_meeting(
        server,
        &json!({
            "title": "Vårdens kompetensbehov",
            "kind": "workshop",
            "starts_at": "2024-02-01T09:00:00+01:00",
            "status": "held",
            "attendees": [{ "organisation_id": nu, "role": "participant", "status": "attended" }],
            "follow_ups": [
                { "title": "Första uppgiften", "organisation_id": nu },
                { "title": "Andra uppgiften", "organisation_id": nu },
                { "title": "Tredje uppgiften", "organisation_id": nu, "status": "done" }
            ]
        }),
    )
    .await;
    let expected = triples(&[
        ("follow_up", "Tredje uppgiften", "done"),
        ("follow_up", "Andra uppgiften", "open"),
        ("follow_up", "Första uppgiften", "open"),
        ("meeting", a, "attended"),
        ("meeting", "Vårdens kompetensbehov", "attended"),
    ]);
    assert_eq!(entries(&timeline(server, &nu, 50).await), expected);
    assert_eq!(entries(&timeline(server, &nu, 1).await), expected);
    assert_eq!(entries(&timeline(server, &nu, 2).await), expected);

    let nobody = organisation(server, "Nytt AB", "company").await;
    assert!(timeline(server, &nobody, 1).await.is_empty());

    let unknown = uuid::Uuid::now_v7();
    get(server, &format!("/api/v1/organisations/{unknown}/timeline"))
        .await
        .expect_problem(StatusCode::NOT_FOUND, None);
    get(server, "/api/v1/organisations/not-a-uuid/timeline")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("id"));
}
