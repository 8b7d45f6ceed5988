//! Changing records through the pages: an organisation added, edited and
//! archived in a browser, with every problem beside its field and nothing
//! typed lost, also when someone else saved first; and the roles that may
//! not write get no form, and their POSTs change nothing.

use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::json;

use super::axe;
use super::browser::Browser;
use super::tour::{sign_in, visit, visit_here};
use super::visitor::Visitor;
use crate::api::{get, patch};
use crate::server::{Backend, TestDatabase, TestServer};

/// The value of the form field `name` on the page open now.
pub(super) async fn value_of(browser: &Browser, name: &str) -> String {
    browser
        .client
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .unwrap_or_else(|error| panic!("no field {name}: {error}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Fills in the form `css` with `fields` (selects by their option's value)
/// and submits it.
pub(super) async fn fill_and_submit(browser: &Browser, css: &str, fields: &[(&str, &str)]) {
    let form = browser.client.form(Locator::Css(css)).await.unwrap();
    for (name, value) in fields {
        let field = browser
            .client
            .find(Locator::Css(&format!("{css} [name='{name}']")))
            .await
            .unwrap_or_else(|error| panic!("no field {name}: {error}"));
        if field.tag_name().await.unwrap() == "select" {
            field
                .select_by_value(value)
                .await
                .unwrap_or_else(|error| panic!("no option {value} in {name}: {error}"));
        } else {
            field.clear().await.unwrap();
            field.send_keys(value).await.unwrap();
        }
    }
    browser.submit(form).await;
}

/// The organisations the API lists by exactly `name`.
async fn organisations_named(server: &TestServer, name: &str) -> Vec<serde_json::Value> {
    let query: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let found = get(
        server,
        &format!("/api/v1/organisations?q={query}&include_archived=true"),
    )
    .await
    .expect(StatusCode::OK);
    found["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|organisation| organisation["name"] == name)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strategist_adds_edits_and_archives_an_organisation_losing_nothing_typed() {
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
        sign_in(&browser, &server, "strategist").await;
        browser.goto(&server.url("/organisations")).await;
        browser.click("a[href='/organisations/new']").await;
        visit_here(&browser, axe, "organisation-new").await;

        // Nothing filled in, and a web address that is none: each problem
        // beside its field and in the focused summary; what was typed stays.
        let form = "form[action='/organisations/new']";
        fill_and_submit(
            &browser,
            form,
            &[("website", "ftp://ängelholm.example"), ("city", "Ängelholm")],
        )
        .await;
        assert_eq!(browser.text("h1").await, "Ny organisation");
        let summary = browser.texts(".error-summary li a").await;
        assert_eq!(
            summary,
            [
                "Ange organisationens namn.",
                "Välj vilken typ av organisation det är.",
                "Skriv en webbadress som börjar med https:// eller http://."
            ],
            "{backend:?}"
        );
        let focused = browser
            .client
            .execute("return document.activeElement.className", vec![])
            .await
            .unwrap();
        assert_eq!(focused.as_str(), Some("error-summary"));
        let website_error = browser.text("#website-error").await;
        assert!(
            website_error.ends_with("Skriv en webbadress som börjar med https:// eller http://."),
            "{website_error}"
        );
        assert_eq!(value_of(&browser, "website").await, "ftp://ängelholm.example");
        assert_eq!(value_of(&browser, "city").await, "Ängelholm");
        visit_here(&browser, axe, "organisation-new-errors").await;
        assert!(
            organisations_named(&server, "Ängelholms Näringsliv AB")
                .await
                .is_empty()
        );

        fill_and_submit(
            &browser,
            form,
            &[
                ("name", "Ängelholms Näringsliv AB"),
                ("kind", "company"),
                ("website", "https://ängelholm.example"),
                ("tags", "näringsliv, Hamn ,"),
            ],
        )
        .await;
        assert_eq!(browser.text("h1").await, "Ängelholms Näringsliv AB");
        assert_eq!(
            browser.text(".notice--success").await,
            "Organisationen har lagts till."
        );
        let created = organisations_named(&server, "Ängelholms Näringsliv AB").await;
        assert_eq!(created.len(), 1, "{backend:?}");
        let id = created[0]["id"].as_str().unwrap().to_owned();
        assert_eq!(created[0]["city"], "Ängelholm");
        assert_eq!(created[0]["tags"], json!(["hamn", "näringsliv"]));
        let history = get(&server, &format!("/api/v1/organisations/{id}/history"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(history["items"][0]["actor"], "demo-strategist@example.org");

        // Someone else saves while the form is open.
        browser
            .click(&format!("a[href='/organisations/{id}/edit']"))
            .await;
        visit_here(&browser, axe, "organisation-edit").await;
        assert_eq!(value_of(&browser, "version").await, "1");
        let theirs = patch(
            &server,
            &format!("/api/v1/organisations/{id}"),
            &json!({ "version": 1, "city": "Helsingborg" }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(theirs["version"], 2);
        let edit = format!("form[action='/organisations/{id}/edit']");
        fill_and_submit(&browser, &edit, &[("description", "Näringslivsbolag i Skåne.")]).await;
        // Nothing of mine is saved, nothing of theirs is overwritten; my
        // input is kept, theirs shown beside the field, with who saved it.
        let now = get(&server, &format!("/api/v1/organisations/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(now["version"], 2);
        assert!(now["description"].is_null(), "{now}");
        assert_eq!(
            value_of(&browser, "description").await,
            "Näringslivsbolag i Skåne."
        );
        assert_eq!(value_of(&browser, "city").await, "Ängelholm");
        assert_eq!(value_of(&browser, "version").await, "2");
        assert_eq!(browser.text("#city-saved").await, "Sparat nu: Helsingborg");
        assert!(
            browser
                .text(".error-summary")
                .await
                .contains("Någon annan har sparat")
        );
        let conflict_page = browser.text(".notice--warning").await;
        assert!(
            conflict_page.contains("Ort: Ängelholm → Helsingborg"),
            "who changed what, by the field's name: {conflict_page}"
        );
        assert!(!conflict_page.contains("search_text"), "{conflict_page}");
        visit_here(&browser, axe, "organisation-edit-conflict").await;

        // Taking theirs for the city, and saving mine on top.
        fill_and_submit(&browser, &edit, &[("city", "Helsingborg")]).await;
        assert_eq!(browser.text(".notice--success").await, "Ändringarna har sparats.");
        let saved = get(&server, &format!("/api/v1/organisations/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(saved["version"], 3);
        assert_eq!(saved["city"], "Helsingborg");
        assert_eq!(saved["description"], "Näringslivsbolag i Skåne.");

        // Archiving says what stays and what changes, and asks first.
        browser
            .click(&format!("a[href='/organisations/{id}/archive']"))
            .await;
        visit_here(&browser, axe, "organisation-archive").await;
        assert!(browser.text("main").await.contains("Det här finns kvar"));
        assert!(
            get(&server, &format!("/api/v1/organisations/{id}"))
                .await
                .expect(StatusCode::OK)["archived_at"]
                .is_null()
        );
        browser
            .click(&format!("form[action='/organisations/{id}/archive'] button"))
            .await;
        assert_eq!(
            browser.text(".notice--success").await,
            "Organisationen är arkiverad."
        );
        let archived = get(&server, &format!("/api/v1/organisations/{id}"))
            .await
            .expect(StatusCode::OK);
        assert!(archived["archived_at"].is_string(), "{archived}");
        assert!(
            browser
                .client
                .find(Locator::Css(&format!("a[href='/organisations/{id}/edit']")))
                .await
                .is_err(),
            "no edit link on an archived organisation"
        );
        visit(
            &browser,
            &server,
            axe,
            &format!("/organisations/{id}"),
            "organisation-archived",
        )
        .await;
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_that_may_not_write_get_no_form_and_their_posts_change_nothing() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let seed = get(&server, "/api/v1/organisations?q=Vattenfall")
        .await
        .expect(StatusCode::OK);
    let id = seed["items"][0]["id"].as_str().unwrap().to_owned();
    for role in ["manager", "viewer"] {
        let (email, password) = server.demo_credentials(role);
        let visitor = Visitor::new(&server);
        visitor.sign_in(&email, &password).await;
        let csrf = visitor.get("/").await.csrf();
        if role == "manager" {
            let list = visitor.get("/organisations").await;
            assert!(!list.body.contains("/organisations/new"), "{role}: no add link");
            let page = visitor.get(&format!("/organisations/{id}")).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(!page.body.contains("/edit\""), "{role}: no edit link");
            assert!(!page.body.contains("/archive\""), "{role}: no archive link");
        }
        for path in [
            "/organisations/new".to_owned(),
            format!("/organisations/{id}/edit"),
            format!("/organisations/{id}/archive"),
        ] {
            assert_eq!(
                visitor.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{role} GET {path}"
            );
            let refused = visitor
                .post(
                    &path,
                    &[
                        ("_csrf", csrf.as_str()),
                        ("name", "Ändrad av fel roll"),
                        ("kind", "company"),
                        ("version", "1"),
                    ],
                )
                .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role} POST {path}");
        }
    }
    let after = get(&server, &format!("/api/v1/organisations/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(after["version"], 1, "nothing changed: {after}");
    assert!(after["archived_at"].is_null());
    assert!(
        organisations_named(&server, "Ändrad av fel roll")
            .await
            .is_empty()
    );
}

/// A follow-up of the demo data the API lists as `status`.
pub(super) async fn follow_up_with_status(server: &TestServer, status: &str) -> serde_json::Value {
    let found = get(server, &format!("/api/v1/follow-ups?status={status}"))
        .await
        .expect(StatusCode::OK);
    found["items"][0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_moves_a_follow_up_through_its_statuses_where_it_is_listed() {
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
        assert!(open["completed_at"].is_null());
        sign_in(&browser, &server, "manager").await;
        visit(
            &browser,
            &server,
            axe,
            "/follow-ups?status=open",
            "follow-ups-status-forms",
        )
        .await;

        // From the list: done, and back on the same list, filter kept.
        let form = format!("form[action='/follow-ups/{id}/status']");
        fill_and_submit(&browser, &form, &[("status", "done")]).await;
        browser.wait_for_path("/follow-ups").await;
        let address = browser.client.current_url().await.unwrap();
        assert_eq!(address.query(), Some("status=open&done=status"), "{backend:?}");
        assert_eq!(browser.text(".notice--success").await, "Statusen är ändrad.");
        let done = get(&server, &format!("/api/v1/follow-ups/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(done["status"], "done", "{done}");
        assert!(done["completed_at"].is_string(), "done stamps the day: {done}");
        let history = get(&server, &format!("/api/v1/follow-ups/{id}/history"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(history["items"][0]["actor"], "demo-manager@example.org");

        // On its page, after someone else changed it: nothing is written,
        // and the status asked for is offered again.
        browser.goto(&server.url(&format!("/follow-ups/{id}"))).await;
        let version = done["version"].as_i64().unwrap();
        patch(
            &server,
            &format!("/api/v1/follow-ups/{id}"),
            &json!({ "version": version, "status": "in_progress" }),
        )
        .await
        .expect(StatusCode::OK);
        fill_and_submit(&browser, &form, &[("status", "cancelled")]).await;
        assert!(
            browser
                .text(".notice--warning")
                .await
                .contains("Någon annan ändrade uppföljningen"),
            "{backend:?}"
        );
        assert_eq!(value_of(&browser, "status").await, "cancelled");
        visit_here(&browser, axe, "follow-up-status-conflict").await;
        let kept = get(&server, &format!("/api/v1/follow-ups/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(kept["status"], "in_progress");
        assert!(
            kept["completed_at"].is_null(),
            "leaving done clears the day: {kept}"
        );
        // Sent again, knowingly: it is changed.
        fill_and_submit(&browser, &form, &[("status", "cancelled")]).await;
        assert_eq!(browser.text(".notice--success").await, "Statusen är ändrad.");
        let cancelled = get(&server, &format!("/api/v1/follow-ups/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(cancelled["status"], "cancelled");
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_form_sends_nobody_off_the_site_and_a_viewer_cannot_post_it() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let open = follow_up_with_status(&server, "open").await;
    let id = open["id"].as_str().unwrap().to_owned();
    let version = open["version"].to_string();

    let (email, password) = server.demo_credentials("viewer");
    let viewer = Visitor::new(&server);
    viewer.sign_in(&email, &password).await;
    let csrf = viewer.get("/").await.csrf();
    let refused = viewer
        .post(
            &format!("/follow-ups/{id}/status"),
            &[
                ("_csrf", csrf.as_str()),
                ("status", "done"),
                ("version", &version),
                ("back", "/"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&server, &format!("/api/v1/follow-ups/{id}"))
            .await
            .expect(StatusCode::OK)["status"],
        "open"
    );

    let (email, password) = server.demo_credentials("manager");
    let manager = Visitor::new(&server);
    manager.sign_in(&email, &password).await;
    let csrf = manager.get("/").await.csrf();
    // A status that is none changes nothing.
    let odd = manager
        .post(
            &format!("/follow-ups/{id}/status"),
            &[
                ("_csrf", csrf.as_str()),
                ("status", "finished"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
    let changed = manager
        .post(
            &format!("/follow-ups/{id}/status"),
            &[
                ("_csrf", csrf.as_str()),
                ("status", "in_progress"),
                ("version", &version),
                ("back", "//elsewhere.example/phish"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        changed.location(),
        Some(format!("/follow-ups/{id}?done=status").as_str())
    );
    assert_eq!(
        get(&server, &format!("/api/v1/follow-ups/{id}"))
            .await
            .expect(StatusCode::OK)["status"],
        "in_progress"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strategist_adds_a_pupil_and_moves_a_person_to_a_new_organisation() {
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
        let school = get(&server, "/api/v1/organisations?q=Kunskapsförbundet")
            .await
            .expect(StatusCode::OK)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        sign_in(&browser, &server, "strategist").await;
        browser
            .goto(&server.url(&format!("/organisations/{school}")))
            .await;
        browser
            .click(&format!("a[href='/people/new?organisation={school}']"))
            .await;
        assert_eq!(
            value_of(&browser, "organisation_id").await,
            school,
            "the organisation is chosen"
        );
        visit_here(&browser, axe, "person-new").await;

        // A pupil with an e-mail address: refused beside the field, kept.
        let form = "form[action='/people/new']";
        browser
            .client
            .find(Locator::Css("#is_minor"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        fill_and_submit(
            &browser,
            form,
            &[("full_name", "Tilde Åström"), ("email", "tilde@example.se")],
        )
        .await;
        let email_error = browser.text("#email-error").await;
        assert!(
            email_error.ends_with("Sparas inte för en minderårig: lämna fältet tomt."),
            "{backend:?}: {email_error}"
        );
        assert_eq!(value_of(&browser, "full_name").await, "Tilde Åström");
        visit_here(&browser, axe, "person-new-errors").await;
        fill_and_submit(&browser, form, &[("email", "")]).await;
        assert_eq!(browser.text(".notice--success").await, "Personen har lagts till.");
        assert_eq!(browser.text("h1").await, "Tilde Åström");
        let pupil = get(&server, "/api/v1/representatives?q=TILDE%20%C3%A5str%C3%B6m")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            pupil["items"].as_array().unwrap().len(),
            1,
            "found whatever the case: {pupil}"
        );
        assert_eq!(pupil["items"][0]["is_minor"], true);
        assert!(pupil["items"][0]["email"].is_null());

        // A person moves to another organisation with a new title, from a
        // day in the past: the earlier affiliation stays, ended that day. A
        // day in the future is refused first, beside its field.
        let adult = get(&server, "/api/v1/representatives?q=Lisa%20Th%C3%B6rn")
            .await
            .expect(StatusCode::OK)["items"][0]
            .clone();
        let id = adult["id"].as_str().unwrap().to_owned();
        let before = adult["organisation_id"].as_str().unwrap().to_owned();
        let vattenfall = get(&server, "/api/v1/organisations?q=Vattenfall")
            .await
            .expect(StatusCode::OK)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        browser.goto(&server.url(&format!("/people/{id}/edit"))).await;
        visit_here(&browser, axe, "person-edit").await;
        let edit = format!("form[action='/people/{id}/edit']");
        fill_and_submit(
            &browser,
            &edit,
            &[
                ("organisation_id", vattenfall.as_str()),
                ("title", "Hållbarhetschef"),
                ("moves_on", "2999-01-01"),
            ],
        )
        .await;
        let moves_on_error = browser.text("#moves_on-error").await;
        assert!(
            moves_on_error.ends_with("Dagen får inte vara senare än i dag."),
            "{backend:?}: {moves_on_error}"
        );
        assert_eq!(value_of(&browser, "title").await, "Hållbarhetschef");
        fill_and_submit(&browser, &edit, &[("moves_on", "2024-09-01")]).await;
        assert_eq!(browser.text(".notice--success").await, "Ändringarna har sparats.");
        let moved = get(&server, &format!("/api/v1/representatives/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(moved["organisation_id"], vattenfall.as_str(), "{moved}");
        assert_eq!(moved["title"], "Hållbarhetschef");
        let rows = browser.texts("main table tbody tr").await;
        assert!(
            rows.iter()
                .any(|row| row.contains("Vattenfall") && row.contains("Hållbarhetschef")),
            "{rows:?}"
        );
        assert!(
            rows.iter().any(|row| row.contains("Utvecklingschef")),
            "the earlier affiliation stays: {rows:?}"
        );
        let affiliations = get(&server, &format!("/api/v1/representatives/{id}/affiliations"))
            .await
            .expect(StatusCode::OK);
        let periods = affiliations.as_array().unwrap();
        assert!(
            periods.iter().any(|period| period["ended_on"] == "2024-09-01")
                && periods.iter().any(|period| period["started_on"] == "2024-09-01"),
            "{affiliations}"
        );
        assert_ne!(before, vattenfall);
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_user_sets_a_password_revokes_a_token_and_disables_them() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let Some(axe) = axe::source() else {
        return;
    };
    let Some(browser) = Browser::start(true).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    sign_in(&browser, &server, "admin").await;
    visit(&browser, &server, axe, "/users", "users").await;
    browser.click("a[href='/users/new']").await;
    let form = "form[action='/users/new']";
    fill_and_submit(&browser, form, &[("display_name", "Örjan Ek")]).await;
    assert_eq!(
        browser.texts(".error-summary li a").await,
        [
            "Ange användarens e-postadress.",
            "Välj vilken roll användaren ska ha."
        ]
    );
    assert_eq!(value_of(&browser, "display_name").await, "Örjan Ek");
    visit_here(&browser, axe, "user-new-errors").await;
    fill_and_submit(
        &browser,
        form,
        &[("email", "orjan.ek@example.se"), ("role", "strategist")],
    )
    .await;
    assert!(
        browser
            .text(".notice--success")
            .await
            .starts_with("Användaren har lagts till.")
    );
    let address = browser.client.current_url().await.unwrap();
    let user_path = address.path().to_owned();
    let user_id = user_path.trim_start_matches("/users/").to_owned();
    visit_here(&browser, axe, "user").await;

    // A password: too short, then two that differ, then set.
    let password_form = format!("form[action='{user_path}/password']");
    fill_and_submit(
        &browser,
        &password_form,
        &[("new_password", "kort"), ("new_password_again", "kort")],
    )
    .await;
    assert!(
        browser
            .text("#new_password-error")
            .await
            .ends_with("Lösenordet måste ha minst 12 tecken.")
    );
    let password = "Ett långt lösenord för Örjan";
    fill_and_submit(
        &browser,
        &password_form,
        &[
            ("new_password", password),
            ("new_password_again", "något annat helt"),
        ],
    )
    .await;
    assert!(
        browser
            .text("#new_password_again-error")
            .await
            .ends_with("Lösenorden är inte likadana.")
    );
    fill_and_submit(
        &browser,
        &password_form,
        &[("new_password", password), ("new_password_again", password)],
    )
    .await;
    assert_eq!(
        browser.text(".notice--success").await,
        "Lösenordet är satt. Användaren är utloggad överallt."
    );

    // A new role, from the user's next request on; an admin's own role is
    // not theirs to change.
    let role_form = format!("form[action='{user_path}/role']");
    fill_and_submit(&browser, &role_form, &[("role", "manager")]).await;
    assert_eq!(
        browser.text(".notice--success").await,
        "Rollen är ändrad. Den gäller från användarens nästa sidvisning."
    );
    let changed = get(&server, &format!("/api/v1/users/{user_id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["role"], "manager");
    let history = get(&server, &format!("/api/v1/audit?entity_id={user_id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(history["items"][0]["action"], "set_role", "{history}");
    let me = server.demo_credentials("admin").0;
    let listed = get(&server, "/api/v1/users").await.expect(StatusCode::OK);
    let my_id = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["email"] == me.as_str())
        .and_then(|user| user["id"].as_str())
        .unwrap()
        .to_owned();
    browser.goto(&server.url(&format!("/users/{my_id}"))).await;
    assert!(
        browser
            .client
            .find(Locator::Css("form[action$='/role']"))
            .await
            .is_err()
    );
    assert!(
        browser
            .text("main")
            .await
            .contains("Du kan inte ändra din egen roll.")
    );
    browser.goto(&server.url(&user_path)).await;

    // The new user signs in and makes a token; the admin sees and revokes it.
    let orjan = Visitor::new(&server);
    assert_eq!(
        orjan.sign_in("orjan.ek@example.se", password).await.status,
        StatusCode::SEE_OTHER
    );
    let csrf = orjan.get("/account").await.csrf();
    let made = orjan
        .post(
            "/account/tokens",
            &[("_csrf", csrf.as_str()), ("name", "Örjans skript")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    browser.goto(&server.url(&user_path)).await;
    assert!(browser.text("main").await.contains("Örjans skript"));
    let tokens = get(&server, &format!("/api/v1/users/{user_id}/tokens"))
        .await
        .expect(StatusCode::OK);
    let token_id = tokens[0]["id"].as_str().unwrap().to_owned();
    browser
        .click(&format!(
            "form[action='{user_path}/tokens/{token_id}/revoke'] button"
        ))
        .await;
    assert_eq!(browser.text(".notice--success").await, "Nyckeln är återkallad.");
    let tokens = get(&server, &format!("/api/v1/users/{user_id}/tokens"))
        .await
        .expect(StatusCode::OK);
    assert!(tokens[0]["revoked_at"].is_string(), "{tokens}");

    // Disabled: their session ends at once; enabled again later.
    assert_eq!(orjan.get("/").await.status, StatusCode::OK);
    browser
        .click(&format!("form[action='{user_path}/disabled'] button"))
        .await;
    assert_eq!(browser.text(".notice--success").await, "Användaren är avstängd.");
    assert_eq!(orjan.get("/").await.status, StatusCode::SEE_OTHER, "signed out");
    let refused = orjan.sign_in("orjan.ek@example.se", password).await;
    assert_ne!(
        refused.status,
        StatusCode::SEE_OTHER,
        "a disabled user cannot sign in"
    );
    browser
        .click(&format!("form[action='{user_path}/disabled'] button"))
        .await;
    assert_eq!(
        browser.text(".notice--success").await,
        "Användaren är aktiv igen."
    );
    let history = get(&server, &format!("/api/v1/audit?entity_id={user_id}"))
        .await
        .expect(StatusCode::OK);
    assert!(
        history["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|event| event["actor"] == "demo-admin@example.org"),
        "{history}"
    );
    browser.close().await;

    // An admin cannot disable themselves; a manager has no users pages.
    let (email, admin_password) = server.demo_credentials("admin");
    let admin = Visitor::new(&server);
    admin.sign_in(&email, &admin_password).await;
    let users = get(&server, "/api/v1/users").await.expect(StatusCode::OK);
    let admin_id = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["email"] == email.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let csrf = admin.get("/users").await.csrf();
    let own = admin
        .post(
            &format!("/users/{admin_id}/disabled"),
            &[("_csrf", csrf.as_str()), ("disabled", "1")],
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert_eq!(
        admin.get("/users").await.status,
        StatusCode::OK,
        "still signed in"
    );
    let (email, manager_password) = server.demo_credentials("manager");
    let manager = Visitor::new(&server);
    manager.sign_in(&email, &manager_password).await;
    let start = manager.get("/").await;
    assert!(
        !start.body.contains("href=\"/users\""),
        "no users link for a manager"
    );
    let csrf = start.csrf();
    assert_eq!(manager.get("/users").await.status, StatusCode::FORBIDDEN);
    let refused = manager
        .post(
            &format!("/users/{user_id}/disabled"),
            &[("_csrf", csrf.as_str()), ("disabled", "1")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// How many people named Lisa the API lists.
async fn lisas_listed(server: &TestServer) -> usize {
    get(server, "/api/v1/representatives?q=Lisa")
        .await
        .expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_downloads_restricts_and_erases_a_person_from_their_page() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let Some(axe) = axe::source() else {
        return;
    };
    let Some(browser) = Browser::start(true).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let lisa = get(&server, "/api/v1/representatives?q=Lisa%20Th%C3%B6rn")
        .await
        .expect(StatusCode::OK)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let person = format!("/people/{lisa}");

    // A manager reads the page but gets no data protection actions.
    let (email, password) = server.demo_credentials("manager");
    let manager = Visitor::new(&server);
    manager.sign_in(&email, &password).await;
    let page = manager.get(&person).await;
    assert!(!page.body.contains("/restriction"), "no actions for a manager");
    let csrf = page.csrf();
    let refused = manager
        .post(
            &format!("{person}/restriction"),
            &[("_csrf", csrf.as_str()), ("restricted", "1")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        manager.get(&format!("{person}/personal-data.json")).await.status,
        StatusCode::FORBIDDEN
    );

    sign_in(&browser, &server, "admin").await;
    visit(&browser, &server, axe, &person, "person-data-protection").await;
    browser
        .goto(&server.url(&format!("{person}/personal-data.html")))
        .await;
    assert!(browser.text("body").await.contains("Lisa Thörn"));

    // Restricted: out of the lists until lifted.
    browser.goto(&server.url(&person)).await;
    browser
        .click(&format!("form[action='{person}/restriction'] button"))
        .await;
    assert_eq!(
        browser.text(".notice--success").await,
        "Behandlingen av personens uppgifter är begränsad."
    );
    assert_eq!(lisas_listed(&server).await, 0);
    browser
        .click(&format!("form[action='{person}/restriction'] button"))
        .await;
    assert_eq!(browser.text(".notice--success").await, "Begränsningen är hävd.");
    assert_eq!(lisas_listed(&server).await, 1);

    // Erasure asks first, needs a reason, and says where free text still
    // names her (the seed's outcome does).
    browser.click(&format!("a[href='{person}/erase']")).await;
    visit_here(&browser, axe, "person-erase").await;
    let form = format!("form[action='{person}/erase']");
    fill_and_submit(&browser, &form, &[("reason", "")]).await;
    assert!(
        browser
            .text("#reason-error")
            .await
            .ends_with("Ange skälet till raderingen.")
    );
    visit_here(&browser, axe, "person-erase-errors").await;
    fill_and_submit(&browser, &form, &[("reason", "Begäran från personen")]).await;
    assert_eq!(
        browser.text("h1").await,
        "Fritext som fortfarande nämner personen"
    );
    assert!(!browser.texts("main li").await.is_empty());
    visit_here(&browser, axe, "person-erased").await;
    let erased = get(&server, &format!("/api/v1/representatives/{lisa}"))
        .await
        .expect(StatusCode::OK);
    assert!(
        erased["full_name"]
            .as_str()
            .unwrap()
            .starts_with("Raderad person"),
        "{erased}"
    );
    browser.goto(&server.url(&format!("{person}/erase"))).await;
    assert_eq!(browser.text(".notice--success").await, "Personen är raderad.");
    assert!(browser.text("h1").await.starts_with("Raderad person"));
    browser.close().await;
}
