//! The record pages in a browser: what they show is what the API holds.

use std::collections::BTreeSet;

use fantoccini::Locator;
use reqwest::StatusCode;

use super::axe;
use super::browser::Browser;
use super::tour::{sign_in, visit};
use crate::api::get;
use crate::server::{Backend, TestDatabase, TestServer};

/// The ids in the `href`s of the links matching `css`, after `prefix`.
async fn linked_ids(browser: &Browser, css: &str, prefix: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for link in browser.client.find_all(Locator::Css(css)).await.unwrap() {
        let href = link.attr("href").await.unwrap().unwrap_or_default();
        if let Some(id) = href.strip_prefix(prefix) {
            ids.push(id.to_owned());
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_partner_day_s_page_shows_exactly_what_the_api_holds() {
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
        let meetings = get(&server, "/api/v1/meetings").await.expect(StatusCode::OK);
        let id = meetings["items"][0]["id"].as_str().unwrap().to_owned();
        let meeting = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);

        sign_in(&browser, &server, "strategist").await;
        visit(&browser, &server, axe, &format!("/meetings/{id}"), "meeting").await;
        assert_eq!(browser.text("h1").await, meeting["title"].as_str().unwrap());

        let attendees = meeting["attendees"].as_array().unwrap();
        let api_people: BTreeSet<String> = attendees
            .iter()
            .filter_map(|a| a["representative_id"].as_str().map(str::to_owned))
            .collect();
        let api_organisations: BTreeSet<String> = attendees
            .iter()
            .map(|a| a["organisation_id"].as_str().unwrap().to_owned())
            .collect();
        let page_people: BTreeSet<String> = linked_ids(&browser, "table.attendees td a", "/people/")
            .await
            .into_iter()
            .collect();
        let page_organisations: Vec<String> =
            linked_ids(&browser, "table.attendees th a", "/organisations/").await;
        assert_eq!(page_people, api_people, "{backend:?}: the people");
        assert_eq!(
            page_organisations.len(),
            api_organisations.len(),
            "each organisation once"
        );
        assert_eq!(
            page_organisations.into_iter().collect::<BTreeSet<_>>(),
            api_organisations
        );
        // An organisation attending without named people says so.
        let unnamed = attendees
            .iter()
            .filter(|a| a["representative_id"].is_null())
            .count();
        let cells = browser.texts("table.attendees td").await;
        let said = cells
            .iter()
            .filter(|cell| cell.contains("inga namngivna personer"))
            .count();
        assert_eq!(said, unnamed);

        let agenda = meeting["agenda"].as_array().unwrap();
        let titles = browser.texts("ol.agenda > li h3").await;
        let api_titles: Vec<&str> = agenda
            .iter()
            .map(|item| item["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, api_titles, "the agenda in order");
        for item in agenda {
            let position = item["position"].as_u64().unwrap();
            let presenters = linked_ids(&browser, &format!("#item-{position} a"), "/people/").await;
            let api_presenters: Vec<String> = item["presenter_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_owned())
                .collect();
            assert_eq!(presenters, api_presenters, "presenters of item {position}");
        }
        let page_outcomes = browser
            .texts("#outcomes + .table-wrap tbody td:nth-child(2)")
            .await;
        let api_outcomes: Vec<&str> = meeting["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["text"].as_str().unwrap())
            .collect();
        assert_eq!(page_outcomes, api_outcomes, "the outcomes in order");

        // The minutes download in the reader's language, styled by its own
        // stylesheet (the policy allows it by hash).
        browser
            .goto(&server.url(&format!("/meetings/{id}/minutes.html")))
            .await;
        let styled = browser
            .client
            .execute(
                "return getComputedStyle(document.querySelector('table')).borderCollapse",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            styled.as_str(),
            Some("collapse"),
            "{backend:?}: the minutes are styled"
        );
        visit(&browser, &server, axe, "/meetings", "meetings").await;
        visit(&browser, &server, axe, "/organisations", "organisations").await;
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_that_looks_like_code_is_shown_as_text() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::start(true).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let name = "<script>alert(1)</script> & <b>Co</b>";
    let created = crate::api::post(
        &server,
        "/api/v1/organisations",
        &serde_json::json!({"name": name, "kind": "company"}),
    )
    .await
    .expect(StatusCode::CREATED);
    let id = created["id"].as_str().unwrap();
    sign_in(&browser, &server, "strategist").await;
    browser.goto(&server.url(&format!("/organisations/{id}"))).await;
    assert_eq!(browser.text("h1").await, name);
    assert!(browser.client.get_alert_text().await.is_err(), "no alert opened");
    browser.goto(&server.url("/organisations?q=script")).await;
    assert_eq!(browser.text("tbody td a").await, name);
    browser.close().await;
}

/// The demo's partner day as the API answers it, and its host's id.
async fn demo_partner_day(server: &TestServer) -> (serde_json::Value, String) {
    let meetings = get(server, "/api/v1/meetings").await.expect(StatusCode::OK);
    let meeting_id = meetings["items"][0]["id"].as_str().unwrap();
    let meeting = get(server, &format!("/api/v1/meetings/{meeting_id}"))
        .await
        .expect(StatusCode::OK);
    let host = meeting["host_organisation_id"].as_str().unwrap().to_owned();
    (meeting, host)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_s_page_and_its_partner_brief() {
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
    let (meeting, host) = demo_partner_day(&server).await;
    let meeting_id = meeting["id"].as_str().unwrap();
    // Who attended for the host: the brief's "attended most".
    let attended: BTreeSet<String> = meeting["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["organisation_id"] == host.as_str() && a["status"] == "attended")
        .filter_map(|a| a["representative_id"].as_str().map(str::to_owned))
        .collect();
    assert!(!attended.is_empty());
    let mut names = BTreeSet::new();
    for id in &attended {
        let person = get(&server, &format!("/api/v1/representatives/{id}"))
            .await
            .expect(StatusCode::OK);
        names.insert(person["full_name"].as_str().unwrap().to_owned());
    }

    sign_in(&browser, &server, "manager").await;
    visit(
        &browser,
        &server,
        axe,
        &format!("/organisations/{host}"),
        "organisation",
    )
    .await;
    let timeline = linked_ids(&browser, "#timeline + .table-wrap a", "/meetings/").await;
    assert_eq!(
        timeline,
        [meeting_id.to_owned()],
        "the partner day is on the host's timeline"
    );
    visit(
        &browser,
        &server,
        axe,
        &format!("/organisations/{host}/brief"),
        "partner-brief",
    )
    .await;
    let listed: BTreeSet<String> = browser
        .texts("#brief-people + ul li")
        .await
        .into_iter()
        .map(|line| line.split([',', '–']).next().unwrap().trim().to_owned())
        .collect();
    assert_eq!(listed, names, "the host's people who attended");
    let pdf_links = linked_ids(&browser, "article.brief a[download]", "/organisations/").await;
    assert_eq!(
        pdf_links,
        [format!("{host}/brief.pdf")],
        "the brief links its PDF"
    );
    assert_eq!(
        browser.text("article.brief a[download]").await,
        "Ladda ner som PDF"
    );
    let recalled = browser.texts(".brief__meeting h3").await;
    assert_eq!(recalled.len(), 1);
    assert!(
        recalled[0].ends_with(meeting["title"].as_str().unwrap()),
        "{recalled:?}"
    );
    // Printed on A4 (WebDriver's print, which sets its own page margins:
    // the stylesheet's page numbers are not drawn there), the brief keeps
    // its people and its meeting.
    if let Some((pdf, text)) = browser.print_a4().await {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for name in &names {
            assert!(text.contains(name.as_str()), "{name} printed: {text}");
        }
        assert!(text.contains(meeting["title"].as_str().unwrap()), "{text}");
        let pdf = lopdf::Document::load_mem(&pdf).expect("a PDF");
        for (_, id) in pdf.get_pages() {
            let media = pdf
                .get_dictionary(id)
                .unwrap()
                .get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap();
            let width = media[2].as_float().unwrap() - media[0].as_float().unwrap();
            assert!((width - 595.28).abs() < 1.5, "A4: {width}");
        }
    }
    browser.close().await;
}

/// The brief's PDF from the page's link: the same document as the API's,
/// for whoever reads records; a viewer (reports only) is refused it, as the
/// page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partner_brief_downloads_as_pdf() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(database) = TestDatabase::new(backend).await else {
            continue;
        };
        let server = TestServer::start(&database.url, &["--demo"]);
        let (meeting, host) = demo_partner_day(&server).await;
        let name = get(&server, &format!("/api/v1/organisations/{host}"))
            .await
            .expect(StatusCode::OK)["name"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/organisations/{host}/brief.pdf");
        for (role, allowed) in [("manager", true), ("viewer", false)] {
            let (email, password) = server.demo_credentials(role);
            let visitor = super::visitor::Visitor::new(&server);
            assert_eq!(
                visitor.sign_in(&email, &password).await.status,
                StatusCode::SEE_OTHER
            );
            let response = visitor.client.get(server.url(&path)).send().await.unwrap();
            if !allowed {
                assert_eq!(response.status(), StatusCode::FORBIDDEN, "{role}");
                continue;
            }
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(response.headers()["content-type"], "application/pdf");
            let disposition = response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(
                disposition.starts_with("attachment; filename=\"partnerbrief-"),
                "{disposition}"
            );
            let bytes = response.bytes().await.unwrap();
            let pdf = lopdf::Document::load_mem(&bytes).expect("a PDF");
            let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
            let text = pdf.extract_text(&pages).unwrap();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains(&name), "{name} in {text}");
            assert!(text.contains(meeting["title"].as_str().unwrap()), "{text}");
            assert!(text.contains("Har deltagit mest"), "{text}");
            assert_eq!(
                visitor
                    .get(&format!("/organisations/{host}/brief.docx"))
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
        }
    }
}

/// The engagement page's downloads, for a viewer (who reads reports only):
/// the report in every format and the streamed attendance export, with
/// the numbers the API gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engagement_downloads_hold_what_the_api_holds() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let (email, password) = server.demo_credentials("viewer");
    let visitor = super::visitor::Visitor::new(&server);
    assert_eq!(
        visitor.sign_in(&email, &password).await.status,
        StatusCode::SEE_OTHER
    );
    let period = "from=2024-01-01&to=2024-12-31";
    let page = visitor.get(&format!("/engagement?{period}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for extension in ["html", "pdf", "xlsx", "csv", "md", "json"] {
        let href = format!("/engagement/report.{extension}?{period}");
        assert!(
            page.body.contains(&href.replace('&', "&#38;")),
            "the page links {href}"
        );
        let answer = visitor.get(&href).await;
        assert_eq!(answer.status, StatusCode::OK, "{href}");
        let disposition = answer.headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.contains(&format!("engagemang-2024-01-01-2024-12-31.{extension}")),
            "{disposition}"
        );
    }
    let html = visitor.get(&format!("/engagement/report.html?{period}")).await;
    assert!(
        html.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("style-src 'sha256-")
    );

    let csv = visitor
        .get(&format!("/engagement/attendances.csv?{period}"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let api_lines = server
        .client
        .get(server.url(&format!("/api/v1/reports/attendances?{period}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.body, api_lines, "the same export as the API's");
    assert!(csv.body.lines().count() > 10);
    // Records stay out of a viewer's reach.
    assert_eq!(visitor.get("/meetings").await.status, StatusCode::FORBIDDEN);
}
