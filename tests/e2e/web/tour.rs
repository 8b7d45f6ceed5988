//! A tour of the pages in a browser: each one is checked by axe-core for
//! WCAG 2.1 AA and photographed at laptop and phone size.

use super::axe;
use super::browser::{Browser, DESKTOP, PHONE};
use crate::server::{Backend, TestDatabase, TestServer};
use fantoccini::Locator;

/// Opens `path`, checks it with axe at both sizes, and saves screenshots
/// named `name`.
pub async fn visit(browser: &Browser, server: &TestServer, axe: &str, path: &str, name: &str) {
    browser.goto(&server.url(path)).await;
    visit_here(browser, axe, name).await;
}

/// Signs in through the sign-in form, as a person does.
pub async fn sign_in(browser: &Browser, server: &TestServer, role: &str) {
    let (email, password) = server.demo_credentials(role);
    sign_in_with(browser, server, &email, &password).await;
}

/// Signs in as `email` through the sign-in form.
pub async fn sign_in_with(browser: &Browser, server: &TestServer, email: &str, password: &str) {
    browser.goto(&server.url("/login")).await;
    let form = browser
        .client
        .form(Locator::Css("form[action='/login']"))
        .await
        .unwrap();
    form.set_by_name("email", email).await.unwrap();
    form.set_by_name("password", password).await.unwrap();
    browser.submit(form).await;
    browser.wait_for_path("/").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_open_to_everyone_meet_wcag_2_1_aa() {
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
    visit(&browser, &server, axe, "/login", "sign-in").await;
    assert_eq!(browser.text("h1").await, "Logga in");
    visit(&browser, &server, axe, "/tillganglighet", "accessibility").await;
    assert_eq!(browser.text("h1").await, "Tillgänglighetsredogörelse");
    // The language, chosen before signing in, is kept from page to page.
    browser.goto(&server.url("/tillganglighet?lang=en")).await;
    browser.goto(&server.url("/login")).await;
    assert_eq!(browser.text("h1").await, "Sign in");
    browser.goto(&server.url("/login?lang=sv")).await;

    // A failed sign-in: the error summary, linked to the field, focused.
    let form = browser
        .client
        .form(Locator::Css("form[action='/login']"))
        .await
        .unwrap();
    form.set_by_name("email", "nobody@example.org").await.unwrap();
    form.set_by_name("password", "not anyone's password")
        .await
        .unwrap();
    browser.submit(form).await;
    let focused = browser
        .client
        .execute("return document.activeElement.className", vec![])
        .await
        .unwrap();
    assert_eq!(focused.as_str(), Some("error-summary"));
    visit_here(&browser, axe, "sign-in-error").await;

    sign_in(&browser, &server, "strategist").await;
    visit(&browser, &server, axe, "/no-such-page", "not-found").await;
    assert_eq!(browser.text("h1").await, "Sidan finns inte");
    browser.close().await;
}

/// The `href` of the first link matching `css` on the page open now.
async fn href_of(browser: &Browser, css: &str) -> String {
    let link = browser.client.find(Locator::Css(css)).await.unwrap();
    link.attr("href")
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{css} has no href"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_record_pages_search_and_the_account_meet_wcag_2_1_aa() {
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
    sign_in(&browser, &server, "strategist").await;

    visit(&browser, &server, axe, "/people?q=LINDH%C3%89", "people").await;
    let lena = href_of(&browser, "table a[href^='/people/']").await;
    visit(&browser, &server, axe, &lena, "person").await;
    assert_eq!(browser.text("h1").await, "Lena Lindhé");
    visit(&browser, &server, axe, "/people?q=tilde", "people-minor").await;
    let tilde = href_of(&browser, "table a[href^='/people/']").await;
    visit(&browser, &server, axe, &tilde, "person-minor").await;
    visit(
        &browser,
        &server,
        axe,
        "/people?organisation=nope",
        "people-error",
    )
    .await;

    visit(&browser, &server, axe, "/follow-ups", "follow-ups").await;
    let follow_up = href_of(&browser, "table a[href^='/follow-ups/']").await;
    visit(&browser, &server, axe, &follow_up, "follow-up").await;
    let owner = href_of(&browser, "dd a[href^='/people/']").await;
    let owner_id = owner.trim_start_matches("/people/");
    visit(
        &browser,
        &server,
        axe,
        &format!("/follow-ups?owner={owner_id}&status=bad"),
        "follow-ups-error",
    )
    .await;

    visit(&browser, &server, axe, "/partnerships", "partnerships").await;
    let partnership = href_of(&browser, "table a[href^='/partnerships/']").await;
    visit(&browser, &server, axe, &partnership, "partnership").await;

    visit(&browser, &server, axe, "/search?q=elev", "search").await;
    assert!(!browser.texts("mark").await.is_empty());

    visit(&browser, &server, axe, "/account", "account").await;
    let form = browser
        .client
        .form(Locator::Css("form[action='/account/tokens']"))
        .await
        .unwrap();
    form.set_by_name("name", "Rapportskript").await.unwrap();
    browser.submit(form).await;
    visit_here(&browser, axe, "account-token").await;
    browser.goto(&server.url("/account")).await;
    let form = browser
        .client
        .form(Locator::Css("form[action='/account/password']"))
        .await
        .unwrap();
    form.set_by_name("current_password", "not the password")
        .await
        .unwrap();
    form.set_by_name("new_password", "short").await.unwrap();
    browser.submit(form).await;
    let focused = browser
        .client
        .execute("return document.activeElement.className", vec![])
        .await
        .unwrap();
    assert_eq!(focused.as_str(), Some("error-summary"));
    visit_here(&browser, axe, "account-error").await;
    browser.close().await;
}

/// Checks the page open now with axe at both sizes, without reloading it.
pub async fn visit_here(browser: &Browser, axe: &str, name: &str) {
    for size in [DESKTOP, PHONE] {
        browser.viewport(size).await;
        let violations = axe::violations(browser, axe).await;
        assert!(
            violations.is_empty(),
            "{name} at {size:?}:\n{}",
            violations.join("\n")
        );
        browser.screenshot(name, size).await;
    }
}

/// Each role signs in and opens every page of its navigation (and its
/// account page): each meets WCAG 2.1 AA at both sizes. Links a role may
/// not follow are not shown, and their addresses answer 403.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_tours_its_pages() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let Some(axe) = axe::source() else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let meeting = crate::api::get(&server, "/api/v1/meetings")
        .await
        .expect(reqwest::StatusCode::OK)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let records = [
        "/organisations",
        "/people",
        "/meetings",
        "/follow-ups",
        "/partnerships",
        "/search",
    ];
    for role in ["admin", "strategist", "manager", "viewer"] {
        let Some(browser) = Browser::start(true).await else {
            return;
        };
        sign_in(&browser, &server, role).await;
        let mut nav = Vec::new();
        for link in browser
            .client
            .find_all(Locator::Css("nav.site-nav a"))
            .await
            .unwrap()
        {
            nav.push(link.attr("href").await.unwrap().unwrap());
        }
        let reads_records = role != "viewer";
        for path in records {
            assert_eq!(
                nav.iter().any(|href| href == path),
                reads_records,
                "{role}: {path} in the navigation"
            );
        }
        assert!(
            nav.iter().any(|href| href == "/engagement"),
            "{role} reads reports"
        );
        let mut pages: Vec<String> = nav.clone();
        pages.push("/engagement?from=2024-01-01&to=2024-12-31".to_owned());
        if reads_records {
            pages.push(format!("/meetings/{meeting}"));
        }
        for path in &pages {
            let name = format!(
                "{role}{}",
                path.replace(&meeting, "meeting")
                    .replace(['/', '?', '&', '='], "-")
            );
            visit(&browser, &server, axe, path, name.trim_end_matches('-')).await;
        }
        if !reads_records {
            for path in records {
                browser.goto(&server.url(path)).await;
                assert_eq!(
                    browser.text("h1").await,
                    "Du har inte behörighet",
                    "{role}: {path}"
                );
            }
        }
        browser.close().await;
    }
}

/// With JavaScript switched off every page still works: signing in, a
/// filtered list, a record, signing out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_work_without_javascript() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::start(false).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let meeting = crate::api::get(&server, "/api/v1/meetings")
        .await
        .expect(reqwest::StatusCode::OK)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    sign_in(&browser, &server, "strategist").await;
    browser.goto(&server.url("/meetings")).await;
    let filters = browser.client.form(Locator::Css("form.filters")).await.unwrap();
    filters.set_by_name("q", "PARTNERTRÄFF").await.unwrap();
    browser.submit(filters).await;
    let url = browser.client.current_url().await.unwrap();
    assert_eq!(url.path(), "/meetings");
    assert!(
        url.query().unwrap_or_default().contains("q=PARTNERTR%C3%84FF"),
        "{url}"
    );
    browser.click(&format!("a[href='/meetings/{meeting}']")).await;
    browser.wait_for_path(&format!("/meetings/{meeting}")).await;
    assert_eq!(browser.text("h1").await, "Strategisk partnerträff");

    // The forms that change records: refused beside the field, then saved.
    for (path, fields, saved) in [
        (
            "/organisations/new",
            &[("name", "Innovatum Science Center"), ("kind", "association")][..],
            "Organisationen har lagts till.",
        ),
        (
            "/people/new",
            &[("full_name", "Åsa Öberg")][..],
            "Personen har lagts till.",
        ),
    ] {
        browser.goto(&server.url(path)).await;
        let css = format!("form[action='{path}']");
        let form = browser.client.form(Locator::Css(&css)).await.unwrap();
        browser.submit(form).await;
        assert!(!browser.texts(".error-summary li").await.is_empty(), "{path}");
        let form = browser.client.form(Locator::Css(&css)).await.unwrap();
        for (name, value) in fields {
            let field = browser
                .client
                .find(Locator::Css(&format!("{css} [name='{name}']")))
                .await
                .unwrap();
            if field.tag_name().await.unwrap() == "select" {
                field.select_by_value(value).await.unwrap();
            } else {
                field.send_keys(value).await.unwrap();
            }
        }
        if path == "/people/new" {
            // The organisation just added.
            let select = browser
                .client
                .find(Locator::Css("select[name='organisation_id']"))
                .await
                .unwrap();
            select.select_by_label("Innovatum Science Center").await.unwrap();
        }
        browser.submit(form).await;
        assert_eq!(browser.text(".notice").await, saved, "{path}");
    }
    browser.click("form[action='/logout'] button").await;
    browser.wait_for_path("/login").await;
    assert_eq!(browser.text(".notice").await, "Du är utloggad.");
    browser.close().await;
}
