//! Logging a whole meeting in the one form (`/meetings/new`), as a
//! strategist does after a partner day: the seed's day typed in by name,
//! with the two pupils added as new people, the organisations without
//! named people and Trollhättans stad invited only — then the API returns
//! exactly that day. With JavaScript (suggestions, rows added at once) and
//! without (names found on the server, rows added by sending the form).

use std::collections::{BTreeMap, BTreeSet};

use fantoccini::Locator;
use reqwest::StatusCode;
use samverkan_domain::seed;
use serde_json::Value;

use super::axe;
use super::browser::Browser;
use super::editing::value_of;
use super::tour::{sign_in_with, visit_here};
use crate::api::{get, organisation, person};
use crate::server::{Backend, TestDatabase, TestServer};

const STRATEGIST: &str = "strateg@e2e.example";
const PASSWORD: &str = "ett långt lösenord för e2e";

/// Types `value` into the field named `name` (or picks it, for a select;
/// ticks it, for a checkbox given "1").
pub(super) async fn put(browser: &Browser, name: &str, value: &str) {
    let field = browser
        .client
        .find(Locator::Css(&format!("form.meeting-form [name='{name}']")))
        .await
        .unwrap_or_else(|error| panic!("no field {name}: {error}"));
    match field.tag_name().await.unwrap().as_str() {
        "select" => field
            .select_by_value(value)
            .await
            .unwrap_or_else(|error| panic!("no option {value} in {name}: {error}")),
        _ if field.attr("type").await.unwrap().as_deref() == Some("checkbox") => {
            field.click().await.unwrap();
        }
        _ => {
            field.clear().await.unwrap();
            field.send_keys(value).await.unwrap();
        }
    }
}

/// Presses the form's button with `value`, and waits for what follows: a
/// new page, or (a button the script handles) nothing.
async fn press(browser: &Browser, value: &str, navigates: bool) {
    let css = format!("form.meeting-form .button-row button[value='{value}']");
    if navigates {
        browser.click(&css).await;
    } else {
        browser
            .client
            .find(Locator::Css(&css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
}

/// The organisations and adults of the seed, in Samverkan before the day
/// is logged (the pupils are not: the form adds them). Returns the
/// organisations' ids by name.
async fn the_partners(server: &TestServer) -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    for fact in seed::ORGANISATIONS {
        ids.insert(
            fact.name.to_owned(),
            organisation(server, fact.name, fact.kind.as_str()).await,
        );
    }
    for fact in seed::PEOPLE.iter().filter(|fact| !fact.is_minor) {
        person(server, fact.name, &ids[fact.organisation], fact.title, false).await;
    }
    ids
}

/// What a logged meeting holds, by name, in an order that does not depend
/// on ids: the shape both the form's day and the seed's are compared in.
async fn by_name(server: &TestServer, meeting: &Value) -> Value {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut name_of = async |kind: &str, id: &Value| -> String {
        let Some(id) = id.as_str() else {
            return String::new();
        };
        if let Some(name) = names.get(id) {
            return name.clone();
        }
        let record = get(server, &format!("/api/v1/{kind}/{id}"))
            .await
            .expect(StatusCode::OK);
        let name = record["name"]
            .as_str()
            .or(record["full_name"].as_str())
            .unwrap_or_default()
            .to_owned();
        names.insert(id.to_owned(), name.clone());
        name
    };
    let mut attendees = BTreeSet::new();
    for attendee in meeting["attendees"].as_array().unwrap() {
        attendees.insert(format!(
            "{} | {} | {} | {}",
            name_of("representatives", &attendee["representative_id"]).await,
            name_of("organisations", &attendee["organisation_id"]).await,
            attendee["role"].as_str().unwrap(),
            attendee["status"].as_str().unwrap(),
        ));
    }
    let mut agenda = Vec::new();
    for item in meeting["agenda"].as_array().unwrap() {
        let mut presenters = Vec::new();
        for id in item["presenter_ids"].as_array().unwrap() {
            presenters.push(name_of("representatives", id).await);
        }
        agenda.push(serde_json::json!([
            item["title"],
            item["description"],
            presenters
        ]));
    }
    let outcomes: Vec<Value> = meeting["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|outcome| serde_json::json!([outcome["kind"], outcome["text"], outcome["agenda_item_id"]]))
        .collect();
    let outcome_ids: Vec<&Value> = meeting["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    let mut follow_ups = Vec::new();
    for follow_up in meeting["follow_ups"].as_array().unwrap() {
        follow_ups.push(serde_json::json!([
            follow_up["title"],
            follow_up["details"],
            name_of("representatives", &follow_up["owner_id"]).await,
            name_of("organisations", &follow_up["organisation_id"]).await,
            follow_up["due_on"],
            follow_up["status"],
            outcome_ids.iter().position(|id| **id == follow_up["outcome_id"]),
        ]));
    }
    serde_json::json!({
        "title": meeting["title"],
        "kind": meeting["kind"],
        "date": meeting["date"],
        "all_day": meeting["all_day"],
        "location": meeting["location"],
        "host": name_of("organisations", &meeting["host_organisation_id"]).await,
        "summary": meeting["summary"],
        "tags": meeting["tags"],
        "status": meeting["status"],
        "attendees": attendees,
        "agenda": agenda,
        "outcomes": outcomes,
        "follow_ups": follow_ups,
    })
}

/// The seed's day, typed into the form as a strategist would.
async fn type_the_partner_day(browser: &Browser, javascript: bool) {
    let day = seed::partner_day(
        samverkan_domain::time::day_start(seed::meeting_date()),
        None,
        Vec::new(),
        &|_| None,
        &|_| None,
    );
    // Thirteen attendees and six agenda items: more rows than a new form
    // has. With the script they come at once; without, the form is sent.
    press(browser, "more", !javascript).await;

    let meeting = &day.meeting;
    put(browser, "title", &meeting.title).await;
    put(browser, "kind", "partner_day").await;
    put(browser, "date", "2024-04-26").await;
    put(browser, "location", meeting.location.as_deref().unwrap()).await;
    put(browser, "host", seed::HOST).await;
    put(browser, "summary", meeting.summary.as_deref().unwrap()).await;
    put(browser, "tags", "tillsammanskraft").await;
    put(browser, "status", "held").await;

    let mut row = 0;
    for fact in seed::PEOPLE {
        put(browser, &format!("attendees-{row}-person"), fact.name).await;
        if fact.is_minor {
            put(
                browser,
                &format!("attendees-{row}-organisation"),
                fact.organisation,
            )
            .await;
            put(browser, &format!("attendees-{row}-new_person"), "1").await;
            put(browser, &format!("attendees-{row}-minor"), "1").await;
        }
        put(browser, &format!("attendees-{row}-role"), fact.role.as_str()).await;
        row += 1;
    }
    for fact in seed::ORGANISATIONS {
        let Some(status) = fact.attendance else { continue };
        put(browser, &format!("attendees-{row}-organisation"), fact.name).await;
        put(browser, &format!("attendees-{row}-status"), status.as_str()).await;
        row += 1;
    }
    if javascript {
        // The type-ahead found each adult: their rows carry the id picked.
        let first = browser
            .client
            .find(Locator::Css("[name='attendees-0-person_id']"))
            .await
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while first.prop("value").await.unwrap().unwrap_or_default().is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "the type-ahead found no one"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    for (i, fact) in seed::AGENDA.iter().enumerate() {
        put(browser, &format!("agenda-{i}-title"), fact.title).await;
        put(
            browser,
            &format!("agenda-{i}-presenters"),
            &fact.presenters.join(", "),
        )
        .await;
        if let Some(description) = fact.description {
            put(browser, &format!("agenda-{i}-description"), description).await;
        }
    }
    for (i, outcome) in day.outcomes.iter().enumerate() {
        put(browser, &format!("outcomes-{i}-kind"), outcome.kind.as_str()).await;
        put(browser, &format!("outcomes-{i}-text"), &outcome.text).await;
    }
    // A follow-up's outcome is chosen among the outcomes the form shows;
    // without the script they are listed once the form has been sent.
    if !javascript {
        press(browser, "check", true).await;
    }
    for (i, follow_up) in day.follow_ups.iter().enumerate() {
        let details = &follow_up.follow_up;
        put(browser, &format!("follow_ups-{i}-title"), &details.title).await;
        put(
            browser,
            &format!("follow_ups-{i}-details"),
            details.details.as_deref().unwrap(),
        )
        .await;
        let owner = if i == 0 { "Maria Derner" } else { "Lena Lindhé" };
        put(browser, &format!("follow_ups-{i}-owner"), owner).await;
        put(browser, &format!("follow_ups-{i}-organisation"), seed::UNIVERSITY).await;
        put(
            browser,
            &format!("follow_ups-{i}-due"),
            &details.due_on.unwrap().to_string(),
        )
        .await;
        put(
            browser,
            &format!("follow_ups-{i}-status"),
            details.status.unwrap().as_str(),
        )
        .await;
        if let Some(outcome) = follow_up.outcome_index {
            if javascript {
                // The script does not renumber choices: check the form once.
                press(browser, "check", true).await;
            }
            put(
                browser,
                &format!("follow_ups-{i}-outcome"),
                &(outcome + 1).to_string(),
            )
            .await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strategist_logs_the_seed_partner_day_in_one_form_with_and_without_javascript() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        for javascript in [true, false] {
            let Some(database) = TestDatabase::new(backend).await else {
                continue;
            };
            let Some(axe) = axe::source() else {
                return;
            };
            let Some(browser) = Browser::start(javascript).await else {
                return;
            };
            let added = crate::cli::samverkan_with_stdin(
                &database.url,
                &[
                    "user",
                    "add",
                    "--email",
                    STRATEGIST,
                    "--role",
                    "strategist",
                    "--password-stdin",
                ],
                &format!("{PASSWORD}\n"),
            );
            assert!(added.status.success(), "{added:?}");
            let server = TestServer::start(&database.url, &[]);
            let organisations = the_partners(&server).await;
            sign_in_with(&browser, &server, STRATEGIST, PASSWORD).await;
            browser.goto(&server.url("/meetings")).await;
            browser.click("a[href='/meetings/new']").await;
            if javascript {
                visit_here(&browser, axe, "meeting-new").await;
            }
            type_the_partner_day(&browser, javascript).await;
            if javascript {
                visit_here(&browser, axe, "meeting-new-filled").await;
                // For the strategists' guide (docs/guide-partnertraff.md).
                browser.viewport(super::browser::DESKTOP).await;
                for (css, name) in [
                    ("[data-rows='attendees'] > li:nth-child(7)", "guide-attendees"),
                    ("[data-rows='agenda']", "guide-agenda"),
                ] {
                    let script = format!("document.querySelector({css:?}).scrollIntoView()");
                    browser.client.execute(&script, vec![]).await.unwrap();
                    browser.screenshot(name, super::browser::DESKTOP).await;
                }
            }
            press(&browser, "save", true).await;
            let url = browser.client.current_url().await.unwrap();
            let id = url
                .path()
                .strip_prefix("/meetings/")
                .unwrap_or_else(|| panic!("not at the meeting's page: {url} ({backend:?}, js {javascript})"))
                .to_owned();
            assert_eq!(
                browser.text(".notice").await,
                "Mötet är sparat, med deltagare, dagordning, utfall och uppföljningar."
            );

            // The day as the API returns it, by name, is the seed's day.
            let logged = get(&server, &format!("/api/v1/meetings/{id}"))
                .await
                .expect(StatusCode::OK);
            let logged = by_name(&server, &logged).await;
            let expected = expected_day(&organisations);
            assert_eq!(logged, expected, "{backend:?}, JavaScript {javascript}");

            // The pupils were added as minors, with their school.
            for pupil in seed::PEOPLE.iter().filter(|fact| fact.is_minor) {
                let query: String = url::form_urlencoded::byte_serialize(pupil.name.as_bytes()).collect();
                let found = get(&server, &format!("/api/v1/representatives?q={query}"))
                    .await
                    .expect(StatusCode::OK);
                let items = found["items"].as_array().unwrap();
                assert_eq!(items.len(), 1, "{}", pupil.name);
                assert_eq!(items[0]["is_minor"], true);
                assert_eq!(
                    items[0]["organisation_id"].as_str(),
                    Some(organisations[seed::HOST].as_str())
                );
            }
            // The meeting's history names the strategist.
            let history = get(&server, &format!("/api/v1/audit?entity_id={id}"))
                .await
                .expect(StatusCode::OK);
            assert_eq!(history["items"][0]["actor"], STRATEGIST, "{history}");
            browser.close().await;
        }
    }
}

/// The seed's day in the shape of [`by_name`], read off the seed's facts.
fn expected_day(organisations: &BTreeMap<String, String>) -> Value {
    let day = seed::partner_day(
        samverkan_domain::time::day_start(seed::meeting_date()),
        None,
        Vec::new(),
        &|name| {
            organisations
                .get(name)
                .map(|_| samverkan_domain::OrganisationId::new())
        },
        &|_| None,
    );
    let mut attendees = BTreeSet::new();
    for fact in seed::PEOPLE {
        attendees.insert(format!(
            "{} | {} | {} | attended",
            fact.name,
            fact.organisation,
            fact.role.as_str()
        ));
    }
    for fact in seed::ORGANISATIONS {
        if let Some(status) = fact.attendance {
            attendees.insert(format!(" | {} | participant | {}", fact.name, status.as_str()));
        }
    }
    let agenda: Vec<Value> = seed::AGENDA
        .iter()
        .map(|fact| serde_json::json!([fact.title, fact.description, fact.presenters]))
        .collect();
    let outcomes: Vec<Value> = day
        .outcomes
        .iter()
        .map(|outcome| serde_json::json!([outcome.kind.as_str(), outcome.text, null]))
        .collect();
    let owners = ["Maria Derner", "Lena Lindhé"];
    let follow_ups: Vec<Value> = day
        .follow_ups
        .iter()
        .zip(owners)
        .map(|(follow_up, owner)| {
            let details = &follow_up.follow_up;
            serde_json::json!([
                details.title,
                details.details,
                owner,
                seed::UNIVERSITY,
                details.due_on.map(|day| day.to_string()),
                details.status.map(|status| status.as_str()),
                follow_up.outcome_index,
            ])
        })
        .collect();
    let meeting = &day.meeting;
    serde_json::json!({
        "title": meeting.title,
        "kind": "partner_day",
        "date": seed::meeting_date().to_string(),
        "all_day": true,
        "location": meeting.location,
        "host": seed::HOST,
        "summary": meeting.summary,
        "tags": meeting.tags,
        "status": "held",
        "attendees": attendees,
        "agenda": agenda,
        "outcomes": outcomes,
        "follow_ups": follow_ups,
    })
}

/// How many meetings and people the API lists.
async fn counts(server: &TestServer) -> (usize, usize) {
    let meetings = crate::api::walk(server, "/api/v1/meetings?include_archived=true", 100).await;
    let people = crate::api::walk(server, "/api/v1/representatives?include_archived=true", 100).await;
    (meetings.len(), people.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_problem_shows_beside_its_field_with_everything_kept_and_nothing_written() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(database) = TestDatabase::new(backend).await else {
            continue;
        };
        let Some(axe) = axe::source() else {
            return;
        };
        let Some(browser) = Browser::start(true).await else {
            return;
        };
        let server = TestServer::start(&database.url, &["--demo"]);
        // An archived person cannot be added to a new meeting.
        let query: String = url::form_urlencoded::byte_serialize("Jan Theliander".as_bytes()).collect();
        let jan = get(&server, &format!("/api/v1/representatives?q={query}"))
            .await
            .expect(StatusCode::OK)["items"][0]
            .clone();
        let archive = format!("/api/v1/representatives/{}", jan["id"].as_str().unwrap());
        let archived = crate::api::delete(&server, &archive).await;
        assert!(archived.status.is_success(), "{}", archived.body);
        let before = counts(&server).await;

        super::tour::sign_in(&browser, &server, "strategist").await;
        browser.goto(&server.url("/meetings/new")).await;
        put(&browser, "title", "Uppföljning efter partnerträffen").await;
        put(&browser, "kind", "workshop").await;
        put(&browser, "date", "2024-05-02").await;
        put(&browser, "starts", "1400").await;
        put(&browser, "ends", "1300").await;
        // Case and accents do not matter: she is found.
        put(&browser, "attendees-0-person", "LENA LINDHÉ").await;
        put(&browser, "attendees-1-person", "Lena Lindhé").await;
        put(&browser, "attendees-2-person", "Okänd Okändsson").await;
        put(&browser, "attendees-3-person", "Jan Theliander").await;
        put(&browser, "agenda-0-title", "Wexus").await;
        put(&browser, "agenda-0-presenters", "Maria Derner").await;
        press(&browser, "save", true).await;

        let mut linked = BTreeSet::new();
        for link in browser
            .client
            .find_all(Locator::Css(".error-summary li a"))
            .await
            .unwrap()
        {
            linked.insert(link.attr("href").await.unwrap().unwrap_or_default());
        }
        let expected: BTreeSet<String> = [
            "#ends",
            "#attendees-1-person",
            "#attendees-2-person",
            "#attendees-3-person",
            "#agenda-0-presenters",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        assert_eq!(linked, expected, "{backend:?}");
        assert!(
            browser
                .text("#ends-error")
                .await
                .ends_with("Mötet måste sluta efter att det har börjat."),
            "{}",
            browser.text("#ends-error").await
        );
        assert!(
            browser
                .text("#attendees-1-person-error")
                .await
                .contains("Står redan med")
        );
        assert!(
            browser
                .text("#attendees-2-person-error")
                .await
                .contains("Ingen person med det namnet")
        );
        assert!(
            browser
                .text("#agenda-0-presenters-error")
                .await
                .contains("inte bland deltagarna")
        );
        // Everything typed is there as typed.
        assert_eq!(value_of(&browser, "attendees-0-person").await, "LENA LINDHÉ");
        assert_eq!(value_of(&browser, "attendees-2-person").await, "Okänd Okändsson");
        assert_eq!(value_of(&browser, "agenda-0-presenters").await, "Maria Derner");
        assert_eq!(
            value_of(&browser, "title").await,
            "Uppföljning efter partnerträffen"
        );
        assert_eq!(value_of(&browser, "ends").await, "13:00");
        visit_here(&browser, axe, "meeting-new-errors").await;
        // Nothing was written.
        assert_eq!(counts(&server).await, before, "{backend:?}");
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_signing_out_and_a_form_sent_after_the_session_expired_is_kept() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(database) = TestDatabase::new(backend).await else {
            continue;
        };
        let Some(browser) = Browser::start(true).await else {
            return;
        };
        let server = TestServer::start(&database.url, &["--demo"]);
        let before = counts(&server).await;
        super::tour::sign_in(&browser, &server, "strategist").await;
        browser.goto(&server.url("/meetings/new")).await;
        put(&browser, "title", "Styrgrupp för Wexus").await;
        put(&browser, "attendees-0-person", "Lena Lindhé").await;
        press(&browser, "draft", true).await;
        let url = browser.client.current_url().await.unwrap();
        assert!(url.query().unwrap_or_default().contains("draft="), "{url}");
        assert!(browser.text(".notice").await.starts_with("Utkastet är sparat."));

        // Signed out and in again: the start page lists it, and it opens.
        browser.click("form[action='/logout'] button").await;
        super::tour::sign_in(&browser, &server, "strategist").await;
        assert_eq!(browser.text("#drafts + ul a").await, "Styrgrupp för Wexus");
        browser.click("#drafts + ul a").await;
        assert_eq!(value_of(&browser, "title").await, "Styrgrupp för Wexus");
        assert_eq!(value_of(&browser, "attendees-0-person").await, "Lena Lindhé");
        // A draft is no meeting.
        assert_eq!(counts(&server).await, before, "{backend:?}");
        let other = server.url(&format!("/meetings/new?{}", url.query().unwrap_or_default()));

        // The session ends while the form is open (as when it expires, the
        // server knows no session for the browser): sending it keeps it,
        // and signing in again returns to it.
        put(&browser, "location", "Innovatum, Trollhättan").await;
        browser.client.delete_cookie("samverkan_session").await.unwrap();
        press(&browser, "save", true).await;
        browser.wait_for_path("/login").await;
        let (email, password) = server.demo_credentials("strategist");
        let form = browser
            .client
            .form(Locator::Css("form[action='/login']"))
            .await
            .unwrap();
        form.set_by_name("email", &email).await.unwrap();
        form.set_by_name("password", &password).await.unwrap();
        browser.submit(form).await;
        browser.wait_for_path("/meetings/new").await;
        assert!(
            browser
                .text(".notice")
                .await
                .starts_with("Du hade blivit utloggad")
        );
        assert_eq!(value_of(&browser, "title").await, "Styrgrupp för Wexus");
        assert_eq!(value_of(&browser, "location").await, "Innovatum, Trollhättan");
        assert_eq!(value_of(&browser, "attendees-0-person").await, "Lena Lindhé");
        assert_eq!(counts(&server).await, before, "{backend:?}");

        // Nobody else opens the draft: it is not theirs.
        browser.click("form[action='/logout'] button").await;
        super::tour::sign_in(&browser, &server, "admin").await;
        browser.goto(&other).await;
        assert_eq!(browser.text("h1").await, "Sidan finns inte");
        browser.click("form[action='/logout'] button").await;

        // Its author deletes it from the start page.
        super::tour::sign_in(&browser, &server, "strategist").await;
        browser.click("form[action^='/meetings/drafts/'] button").await;
        assert_eq!(browser.text(".notice").await, "Utkastet är borttaget.");
        assert!(browser.client.find(Locator::Css("#drafts")).await.is_err());
        browser.close().await;
    }
}

/// Presses `keys` in whatever has focus, as a keyboard does.
async fn keys(browser: &Browser, keys: &str) {
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";

/// Presses Tab until the focused element is the one `css` matches.
async fn tab_to(browser: &Browser, css: &str) {
    let script = format!("return document.activeElement.matches({css:?})");
    for _ in 0..300 {
        keys(browser, TAB).await;
        let there = browser.client.execute(&script, vec![]).await.unwrap();
        if there.as_bool() == Some(true) {
            return;
        }
    }
    panic!("Tab never reached {css}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_is_logged_by_keyboard_alone() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::start(true).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    super::tour::sign_in(&browser, &server, "strategist").await;
    browser.goto(&server.url("/meetings/new")).await;
    // From the top of the page: Tab, type, arrow keys in a select, Enter on
    // the button. No mouse event anywhere.
    tab_to(&browser, "[name='title']").await;
    keys(&browser, "Styrgrupp för Wexus").await;
    tab_to(&browser, "[name='kind']").await;
    keys(&browser, ARROW_DOWN).await;
    keys(&browser, ARROW_DOWN).await;
    keys(&browser, ARROW_DOWN).await;
    tab_to(&browser, "[name='date']").await;
    keys(&browser, "2024-05-16").await;
    tab_to(&browser, "[name='attendees-0-person']").await;
    keys(&browser, "Lena Lindhé").await;
    tab_to(&browser, "[name='agenda-0-title']").await;
    keys(&browser, "Wexus hösten 2024").await;
    tab_to(&browser, "[name='agenda-0-presenters']").await;
    keys(&browser, "Lena Lindhé").await;
    tab_to(&browser, ".button-row button[value='save']").await;
    let old = browser.client.find(Locator::Css("html")).await.unwrap();
    keys(&browser, ENTER).await;
    while old.tag_name().await.is_ok() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let url = browser.client.current_url().await.unwrap();
    let id = url
        .path()
        .strip_prefix("/meetings/")
        .unwrap_or_else(|| panic!("at {url}"))
        .to_owned();
    let meeting = get(&server, &format!("/api/v1/meetings/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(meeting["title"], "Styrgrupp för Wexus");
    // Three steps down from "Välj": partner day, workshop, steering group.
    assert_eq!(meeting["kind"], "steering_group");
    assert_eq!(meeting["date"], "2024-05-16");
    let presenter = &meeting["agenda"][0]["presenter_ids"][0];
    assert_eq!(
        &meeting["attendees"][0]["representative_id"], presenter,
        "{meeting}"
    );
    browser.close().await;
}

/// "Or first choose organisations and tick their people": the people of
/// Högskolan Väst listed (its name typed in any case), two ticked and
/// added as attendees, the rest of the form kept; then saved. With the
/// script on SQLite (and axe), without it on PostgreSQL: the buttons send
/// the form either way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attendees_are_ticked_among_an_organisations_people() {
    for (backend, javascript) in [(Backend::Sqlite, true), (Backend::Postgres, false)] {
        let Some(database) = TestDatabase::new(backend).await else {
            continue;
        };
        let Some(axe) = axe::source() else {
            return;
        };
        let Some(browser) = Browser::start(javascript).await else {
            return;
        };
        let server = TestServer::start(&database.url, &["--demo"]);
        let university = get(&server, "/api/v1/organisations?q=H%C3%B6gskolan%20V%C3%A4st")
            .await
            .expect(StatusCode::OK)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let people = get(
            &server,
            &format!("/api/v1/representatives?organisation_id={university}"),
        )
        .await
        .expect(StatusCode::OK);
        let people: Vec<(String, String)> = people["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().unwrap().to_owned(),
                    p["full_name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert!(people.len() >= 2, "{people:?}");
        super::tour::sign_in(&browser, &server, "strategist").await;
        browser.goto(&server.url("/meetings/new")).await;
        put(&browser, "title", "Styrgrupp för kompetensförsörjning").await;
        put(&browser, "pick_organisation", "HÖGSKOLAN VÄST").await;
        browser
            .click("form.meeting-form button[value='show-people']")
            .await;
        assert_eq!(
            value_of(&browser, "title").await,
            "Styrgrupp för kompetensförsörjning"
        );
        if javascript {
            visit_here(&browser, axe, "meeting-new-pick-people").await;
        }
        for (id, _) in &people[..2] {
            browser
                .client
                .find(Locator::Id(&format!("picked-{id}")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
        browser
            .click("form.meeting-form button[value='add-picked']")
            .await;
        assert_eq!(
            value_of(&browser, "attendees-0-person").await,
            people[0].1,
            "{backend:?}"
        );
        assert_eq!(value_of(&browser, "attendees-1-person").await, people[1].1);
        assert_eq!(value_of(&browser, "attendees-0-person_id").await, people[0].0);
        assert_eq!(
            value_of(&browser, "attendees-1-organisation").await,
            "Högskolan Väst"
        );
        if javascript {
            // Rows added by the script are blank, though the row they copy
            // has another role chosen.
            let last = browser
                .client
                .find_all(Locator::Css("[data-rows='attendees'] > li"))
                .await
                .unwrap()
                .len()
                - 1;
            put(&browser, &format!("attendees-{last}-role"), "presenter").await;
            press(&browser, "more", false).await;
            assert_eq!(
                value_of(&browser, &format!("attendees-{}-role", last + 1)).await,
                "participant"
            );
            put(&browser, &format!("attendees-{last}-role"), "participant").await;
        }
        put(&browser, "kind", "steering_group").await;
        put(&browser, "date", "2024-05-14").await;
        press(&browser, "save", true).await;
        let url = browser.client.current_url().await.unwrap();
        let id = url.path().strip_prefix("/meetings/").unwrap().to_owned();
        let meeting = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);
        let attendees: BTreeSet<&str> = meeting["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["representative_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            attendees,
            people[..2]
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<BTreeSet<_>>()
        );
        browser.close().await;
    }
}
