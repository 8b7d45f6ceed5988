//! The record forms beside the meeting form, in the browser: a partnership
//! added, changed and archived, a follow-up's every field changed and the
//! follow-up archived. Refused input is shown beside its field and kept, an
//! edit conflict with both versions, archiving confirmed with what stays
//! and what changes.

use reqwest::StatusCode;
use serde_json::json;

use super::axe;
use super::browser::Browser;
use super::editing::{fill_and_submit, follow_up_with_status, value_of};
use super::tour::{sign_in, visit_here};
use crate::api::{get, patch};
use crate::server::{Backend, TestDatabase, TestServer};

async fn organisation_id(server: &TestServer, name: &str) -> String {
    let query: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    get(server, &format!("/api/v1/organisations?q={query}"))
        .await
        .expect(StatusCode::OK)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strategist_adds_changes_and_archives_a_partnership() {
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
        let university = organisation_id(&server, "Högskolan Väst").await;
        let vattenfall = organisation_id(&server, "Vattenfall").await;
        sign_in(&browser, &server, "strategist").await;
        browser
            .goto(&server.url(&format!("/organisations/{vattenfall}")))
            .await;
        browser
            .click(&format!("a[href='/partnerships/new?organisation={vattenfall}']"))
            .await;
        assert_eq!(
            value_of(&browser, "first").await,
            vattenfall,
            "the first party is chosen"
        );
        visit_here(&browser, axe, "partnership-new").await;

        // Vattenfall with itself, an end date while active, and a person
        // nobody is: each refused beside its field, everything kept.
        let form = "form[action='/partnerships/new']";
        fill_and_submit(
            &browser,
            form,
            &[
                ("second", vattenfall.as_str()),
                ("kind", "project"),
                ("ended_on", "2025-12-31"),
                ("responsible", "Ingen Alls"),
                (
                    "goals",
                    "Kompetensförsörjning för energiomställningen i Trollhättan",
                ),
            ],
        )
        .await;
        assert!(
            browser
                .text("#second-error")
                .await
                .contains("två olika organisationer"),
            "{backend:?}"
        );
        assert!(browser.text("#responsible-error").await.contains("Ingen"));
        assert_eq!(value_of(&browser, "responsible").await, "Ingen Alls");
        assert_eq!(
            value_of(&browser, "goals").await,
            "Kompetensförsörjning för energiomställningen i Trollhättan"
        );
        visit_here(&browser, axe, "partnership-new-errors").await;
        let listed = |body: serde_json::Value| body["items"].as_array().unwrap().len();
        let before = listed(
            get(
                &server,
                &format!("/api/v1/partnerships?organisation_id={vattenfall}"),
            )
            .await
            .expect(StatusCode::OK),
        );
        // The person is found whatever the case of the name.
        fill_and_submit(
            &browser,
            form,
            &[
                ("second", university.as_str()),
                ("ended_on", ""),
                ("started_on", "2024-05-01"),
                ("responsible", "LENA LINDHÉ"),
            ],
        )
        .await;
        if !browser.text(".notice--success").await.contains("lagts till") {
            panic!("{backend:?}: {}", browser.text("main").await);
        }
        let url = browser.client.current_url().await.unwrap();
        let id = url.path().strip_prefix("/partnerships/").unwrap().to_owned();
        let added = get(&server, &format!("/api/v1/partnerships/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(added["kind"], "project");
        assert_eq!(added["status"], "active");
        assert_eq!(added["started_on"], "2024-05-01");
        let responsible = get(
            &server,
            &format!(
                "/api/v1/representatives/{}",
                added["responsible_representative_id"].as_str().unwrap()
            ),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(responsible["full_name"], "Lena Lindhé");
        let after = listed(
            get(
                &server,
                &format!("/api/v1/partnerships?organisation_id={vattenfall}"),
            )
            .await
            .expect(StatusCode::OK),
        );
        assert_eq!(after, before + 1);

        // Someone else saves while the edit form is open.
        browser.click(&format!("a[href='/partnerships/{id}/edit']")).await;
        visit_here(&browser, axe, "partnership-edit").await;
        patch(
            &server,
            &format!("/api/v1/partnerships/{id}"),
            &json!({ "version": 1, "status": "paused" }),
        )
        .await
        .expect(StatusCode::OK);
        let edit = format!("form[action='/partnerships/{id}/edit']");
        fill_and_submit(&browser, &edit, &[("goals", "Gemensamma examensarbeten")]).await;
        assert_eq!(value_of(&browser, "goals").await, "Gemensamma examensarbeten");
        assert_eq!(value_of(&browser, "version").await, "2");
        assert_eq!(browser.text("#status-saved").await, "Sparat nu: Vilande");
        let unchanged = get(&server, &format!("/api/v1/partnerships/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            unchanged["goals"],
            "Kompetensförsörjning för energiomställningen i Trollhättan"
        );
        visit_here(&browser, axe, "partnership-edit-conflict").await;
        // Theirs for the status, mine on top.
        fill_and_submit(&browser, &edit, &[("status", "paused")]).await;
        assert_eq!(browser.text(".notice--success").await, "Ändringarna har sparats.");
        let edited = get(&server, &format!("/api/v1/partnerships/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(edited["status"], "paused");
        assert_eq!(edited["goals"], "Gemensamma examensarbeten");
        assert_eq!(edited["version"], 3);

        // Archiving says what stays and what changes, then archives.
        browser
            .click(&format!("a[href='/partnerships/{id}/archive']"))
            .await;
        visit_here(&browser, axe, "partnership-archive").await;
        assert!(browser.text("main").await.contains("Det här finns kvar"));
        browser.click("main form button[type='submit']").await;
        assert_eq!(
            browser.text(".notice--success").await,
            "Partnerskapet är arkiverat."
        );
        let archived = get(&server, &format!("/api/v1/partnerships/{id}"))
            .await
            .expect(StatusCode::OK);
        assert!(archived["archived_at"].is_string(), "{archived}");
        let history = get(&server, &format!("/api/v1/audit?entity_id={id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(history["items"][0]["actor"], "demo-strategist@example.org");
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strategist_changes_every_field_of_a_follow_up_and_archives_it() {
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
        let open = follow_up_with_status(&server, "open").await;
        let id = open["id"].as_str().unwrap().to_owned();
        let vattenfall = organisation_id(&server, "Vattenfall").await;

        // A manager sees no edit form and is refused one.
        let (email, password) = server.demo_credentials("manager");
        super::tour::sign_in_with(&browser, &server, &email, &password).await;
        browser.goto(&server.url(&format!("/follow-ups/{id}"))).await;
        assert!(
            browser
                .client
                .find(fantoccini::Locator::Css(&format!(
                    "a[href='/follow-ups/{id}/edit']"
                )))
                .await
                .is_err(),
            "no edit link for a manager"
        );
        browser.goto(&server.url(&format!("/follow-ups/{id}/edit"))).await;
        assert!(
            browser.text("h1").await.contains("behörighet"),
            "{}",
            browser.text("main").await
        );
        browser.click("form[action='/logout'] button").await;

        sign_in(&browser, &server, "strategist").await;
        browser.goto(&server.url(&format!("/follow-ups/{id}"))).await;
        browser.click(&format!("a[href='/follow-ups/{id}/edit']")).await;
        visit_here(&browser, axe, "follow-up-edit").await;
        assert_eq!(value_of(&browser, "title").await, open["title"].as_str().unwrap());

        // Nobody of that name, a date that is not one, a completion day for
        // one not done: each beside its field, everything kept.
        let form = format!("form[action='/follow-ups/{id}/edit']");
        fill_and_submit(
            &browser,
            &form,
            &[
                ("title", "Skicka underlag till Vattenfall"),
                ("owner", "Ingen Alls"),
                ("due_on", "31/12"),
                ("completed_on", "2024-06-01"),
            ],
        )
        .await;
        assert!(
            browser.text("#owner-error").await.contains("Ingen person"),
            "{backend:?}"
        );
        assert!(browser.text("#due_on-error").await.contains("2024-04-26"));
        assert_eq!(
            value_of(&browser, "title").await,
            "Skicka underlag till Vattenfall"
        );
        visit_here(&browser, axe, "follow-up-edit-errors").await;
        let unchanged = get(&server, &format!("/api/v1/follow-ups/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(unchanged["version"], open["version"]);

        fill_and_submit(
            &browser,
            &form,
            &[
                ("owner", "maria hildefors"),
                ("organisation_id", vattenfall.as_str()),
                ("due_on", "2024-12-31"),
                ("status", "done"),
                ("details", "Underlaget om kompetensbehov, före årsskiftet."),
            ],
        )
        .await;
        assert_eq!(
            browser.text(".notice--success").await,
            "Ändringarna har sparats.",
            "{backend:?}"
        );
        let changed = get(&server, &format!("/api/v1/follow-ups/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(changed["title"], "Skicka underlag till Vattenfall");
        assert_eq!(changed["organisation_id"], vattenfall.as_str());
        assert_eq!(changed["due_on"], "2024-12-31");
        assert_eq!(changed["status"], "done");
        // Done on the day stated: its first instant, Stockholm time.
        assert_eq!(changed["completed_at"], "2024-05-31T22:00:00+00:00", "{changed}");
        let owner = get(
            &server,
            &format!(
                "/api/v1/representatives/{}",
                changed["owner_id"].as_str().unwrap()
            ),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(owner["full_name"], "Maria Hildefors");

        browser
            .click(&format!("a[href='/follow-ups/{id}/archive']"))
            .await;
        visit_here(&browser, axe, "follow-up-archive").await;
        browser.click("main form button[type='submit']").await;
        assert_eq!(
            browser.text(".notice--success").await,
            "Uppföljningen är arkiverad."
        );
        let archived = get(&server, &format!("/api/v1/follow-ups/{id}"))
            .await
            .expect(StatusCode::OK);
        assert!(archived["archived_at"].is_string(), "{archived}");
        let history = get(&server, &format!("/api/v1/audit?entity_id={id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(history["items"][0]["actor"], "demo-strategist@example.org");
        browser.close().await;
    }
}
