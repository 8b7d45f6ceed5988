//! Changing a logged meeting: "Ändra mötet" opens the same form as logging
//! one, pre-filled, saved whole under the meeting's version (parts keep
//! their ids, so follow-ups stay tied to their outcomes); someone else's
//! save in between is shown, and nothing of either is lost. After the day,
//! "Registrera närvaro" records who came, row by row or all at once.

use std::collections::BTreeSet;

use fantoccini::Locator;
use reqwest::StatusCode;
use samverkan_domain::seed;
use serde_json::{Value, json};

use super::axe;
use super::browser::Browser;
use super::editing::value_of;
use super::meeting_form::put;
use super::tour::{sign_in, visit_here};
use super::visitor::Visitor;
use crate::api::{get, patch};
use crate::server::{Backend, TestDatabase, TestServer};

/// The demo's partner day, as the API returns it.
async fn the_partner_day(server: &TestServer) -> Value {
    let query: String = url::form_urlencoded::byte_serialize(seed::MEETING_TITLE.as_bytes()).collect();
    let list = get(server, &format!("/api/v1/meetings?q={query}"))
        .await
        .expect(StatusCode::OK);
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    get(server, &format!("/api/v1/meetings/{id}"))
        .await
        .expect(StatusCode::OK)
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The id of the attendance form's select whose label starts with `name`.
async fn attendance_select(browser: &Browser, name: &str) -> String {
    for label in browser.client.find_all(Locator::Css("form label")).await.unwrap() {
        if label.text().await.unwrap().starts_with(name) {
            return label.attr("for").await.unwrap().unwrap();
        }
    }
    panic!("no attendance row for {name}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strategist_edits_a_logged_meeting_through_a_conflict_and_records_attendance() {
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
        let day = the_partner_day(&server).await;
        let id = day["id"].as_str().unwrap().to_owned();
        let version = day["version"].as_i64().unwrap();
        sign_in(&browser, &server, "strategist").await;
        browser.goto(&server.url(&format!("/meetings/{id}"))).await;
        browser.click(&format!("a[href='/meetings/{id}/edit']")).await;
        visit_here(&browser, axe, "meeting-edit").await;

        // Everything logged is in the form.
        assert_eq!(value_of(&browser, "title").await, seed::MEETING_TITLE);
        assert_eq!(value_of(&browser, "version").await, version.to_string());
        assert_eq!(
            value_of(&browser, "agenda-0-title").await,
            day["agenda"][0]["title"].as_str().unwrap()
        );
        assert_eq!(
            value_of(&browser, "outcomes-0-text").await,
            day["outcomes"][0]["text"].as_str().unwrap()
        );

        // The second agenda item first; an outcome reworded; a follow-up
        // added, owned by one of the day's people.
        browser.click("form.meeting-form button[value='up:1']").await;
        assert_eq!(
            value_of(&browser, "agenda-0-title").await,
            day["agenda"][1]["title"].as_str().unwrap()
        );
        let reworded = "Parterna vill fördjupa samarbetet kring kompetensförsörjning";
        put(&browser, "outcomes-0-text", reworded).await;
        let owner = seed::PEOPLE.iter().find(|fact| !fact.is_minor).unwrap();
        put(&browser, "follow_ups-0-title", "Bjud in till nästa partnerträff").await;
        put(&browser, "follow_ups-0-owner", owner.name).await;
        put(&browser, "follow_ups-0-due", "2024-09-30").await;

        // Someone else saves the meeting meanwhile.
        let theirs = "Strategisk partnerträff i Trollhättan";
        let saved = patch(
            &server,
            &format!("/api/v1/meetings/{id}"),
            &json!({ "version": version, "title": theirs }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(saved["version"], version + 1);
        browser
            .click("form.meeting-form .button-row button[value='save']")
            .await;
        // Nothing of mine is saved, nothing of theirs overwritten; my
        // input is kept, theirs beside the field, with who saved it.
        let now = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(now["version"], version + 1);
        assert_eq!(
            now["follow_ups"].as_array().unwrap().len(),
            day["follow_ups"].as_array().unwrap().len()
        );
        assert_eq!(value_of(&browser, "outcomes-0-text").await, reworded);
        assert_eq!(value_of(&browser, "follow_ups-0-owner").await, owner.name);
        assert_eq!(value_of(&browser, "version").await, (version + 1).to_string());
        assert_eq!(browser.text("#title-saved").await, format!("Sparat nu: {theirs}"));
        assert!(
            browser
                .text(".error-summary")
                .await
                .contains("Någon annan har sparat")
        );
        assert!(browser.text(".notice--warning").await.contains(theirs));
        visit_here(&browser, axe, "meeting-edit-conflict").await;

        // Taking their title, and saving mine on top.
        put(&browser, "title", theirs).await;
        browser
            .click("form.meeting-form .button-row button[value='save']")
            .await;
        assert_eq!(browser.text(".notice--success").await, "Ändringarna har sparats.");
        let edited = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(edited["title"], theirs, "{backend:?}");
        assert_eq!(edited["version"], version + 2);
        assert_eq!(edited["agenda"][0]["title"], day["agenda"][1]["title"]);
        assert_eq!(edited["agenda"][1]["title"], day["agenda"][0]["title"]);
        // The same items, attendees and outcomes under their ids; the
        // follow-ups as they were, tied to the same outcomes, and one more.
        assert_eq!(ids(&edited["agenda"]), ids(&day["agenda"]));
        assert_eq!(ids(&edited["attendees"]), ids(&day["attendees"]));
        assert_eq!(ids(&edited["outcomes"]), ids(&day["outcomes"]));
        assert_eq!(edited["outcomes"][0]["text"], reworded);
        assert_eq!(
            edited["outcomes"][0]["agenda_item_id"], day["outcomes"][0]["agenda_item_id"],
            "still from the same item"
        );
        let follow_ups = edited["follow_ups"].as_array().unwrap();
        assert_eq!(follow_ups.len(), day["follow_ups"].as_array().unwrap().len() + 1);
        for before in day["follow_ups"].as_array().unwrap() {
            let after = follow_ups.iter().find(|f| f["id"] == before["id"]).unwrap();
            assert_eq!(after["outcome_id"], before["outcome_id"]);
        }
        let added = follow_ups
            .iter()
            .find(|f| f["title"] == "Bjud in till nästa partnerträff")
            .unwrap();
        assert_eq!(added["due_on"], "2024-09-30");
        let owner_record = get(
            &server,
            &format!("/api/v1/representatives/{}", added["owner_id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(owner_record["full_name"], owner.name);
        let history = get(&server, &format!("/api/v1/audit?entity_id={id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(history["items"][0]["action"], "revise");
        assert_eq!(history["items"][0]["actor"], "demo-strategist@example.org");

        // After the day: a presenter cannot be absent (kept, refused
        // beside the row); then everyone invited or confirmed attended.
        browser
            .click(&format!("a[href='/meetings/{id}/attendance']"))
            .await;
        visit_here(&browser, axe, "meeting-attendance").await;
        let presenter = edited["agenda"][0]["presenter_ids"][0].as_str().unwrap();
        let presenter = get(&server, &format!("/api/v1/representatives/{presenter}"))
            .await
            .expect(StatusCode::OK);
        let select = attendance_select(&browser, presenter["full_name"].as_str().unwrap()).await;
        browser
            .client
            .find(Locator::Id(&select))
            .await
            .unwrap()
            .select_by_value("absent")
            .await
            .unwrap();
        browser.click("form button[value='save']").await;
        let error = browser.text(&format!("#{select}-error")).await;
        assert!(error.contains("presenterar"), "{error}");
        assert_eq!(value_of(&browser, &select).await, "absent");
        visit_here(&browser, axe, "meeting-attendance-errors").await;
        let unchanged = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(unchanged["version"], version + 2);
        browser
            .client
            .find(Locator::Id(&select))
            .await
            .unwrap()
            .select_by_value("attended")
            .await
            .unwrap();
        browser.click("form button[value='all-attended']").await;
        assert_eq!(browser.text(".notice--success").await, "Närvaron är sparad.");
        let recorded = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);
        let statuses: BTreeSet<&str> = recorded["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|attendee| attendee["status"].as_str().unwrap())
            .collect();
        assert!(
            !statuses.contains("invited") && !statuses.contains("confirmed"),
            "{statuses:?}"
        );
        assert_eq!(recorded["version"], version + 3);
        browser.close().await;
    }
}

/// A viewer and a manager get no meeting form, and their posts change
/// nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_those_who_write_records_may_edit_a_meeting() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let day = the_partner_day(&server).await;
    let id = day["id"].as_str().unwrap().to_owned();
    let version = day["version"].to_string();
    for role in ["viewer", "manager"] {
        let (email, password) = server.demo_credentials(role);
        let visitor = Visitor::new(&server);
        visitor.sign_in(&email, &password).await;
        // A manager reads the meeting without its forms' links; a viewer
        // reads reports only, and not the meeting's page.
        let page = visitor.get(&format!("/meetings/{id}")).await;
        let readable = if role == "manager" {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(page.status, readable, "{role}");
        assert!(!page.body.contains(&format!("/meetings/{id}/edit")), "{role}");
        assert!(
            !page.body.contains(&format!("/meetings/{id}/attendance")),
            "{role}"
        );
        for path in [
            format!("/meetings/{id}/edit"),
            format!("/meetings/{id}/attendance"),
        ] {
            assert_eq!(
                visitor.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
        let csrf = visitor.get("/").await.csrf();
        let edit = visitor
            .post(
                &format!("/meetings/{id}/edit"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("version", &version),
                    ("title", "Ändrad av fel person"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(edit.status, StatusCode::FORBIDDEN, "{role}");
        let attendance = visitor
            .post(
                &format!("/meetings/{id}/attendance"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("version", &version),
                    ("action", "all-attended"),
                ],
            )
            .await;
        assert_eq!(attendance.status, StatusCode::FORBIDDEN, "{role}");
    }
    let after = the_partner_day(&server).await;
    assert_eq!(after["version"], day["version"]);
    assert_eq!(after["title"], seed::MEETING_TITLE);
}

/// An edit sent after the session ended is kept, as a new meeting's form
/// is: after signing in again the edit form has it, nothing saved yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_sent_after_the_session_ended_comes_back_after_signing_in() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(database) = TestDatabase::new(backend).await else {
            continue;
        };
        let Some(browser) = Browser::start(true).await else {
            return;
        };
        let server = TestServer::start(&database.url, &["--demo"]);
        let day = the_partner_day(&server).await;
        let id = day["id"].as_str().unwrap().to_owned();
        sign_in(&browser, &server, "strategist").await;
        browser.goto(&server.url(&format!("/meetings/{id}/edit"))).await;
        put(&browser, "title", "Strategisk partnerträff, rättad").await;
        put(&browser, "outcomes-0-text", "Omskrivet utfall").await;
        browser.client.delete_cookie("samverkan_session").await.unwrap();
        browser
            .click("form.meeting-form .button-row button[value='save']")
            .await;
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
        browser.wait_for_path(&format!("/meetings/{id}/edit")).await;
        assert!(
            browser
                .text(".notice")
                .await
                .starts_with("Du hade blivit utloggad"),
            "{backend:?}"
        );
        assert_eq!(
            value_of(&browser, "title").await,
            "Strategisk partnerträff, rättad"
        );
        assert_eq!(value_of(&browser, "outcomes-0-text").await, "Omskrivet utfall");
        let unchanged = the_partner_day(&server).await;
        assert_eq!(unchanged["version"], day["version"]);
        // Saved now, it is the reader's edit.
        browser
            .click("form.meeting-form .button-row button[value='save']")
            .await;
        assert_eq!(browser.text(".notice--success").await, "Ändringarna har sparats.");
        let saved = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(saved["title"], "Strategisk partnerträff, rättad");
        browser.close().await;
    }
}
