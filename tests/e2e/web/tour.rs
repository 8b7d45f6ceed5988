//! A tour of the pages in a browser: each one is checked by axe-core for
//! WCAG 2.1 AA and photographed at laptop and phone size.

use super::axe;
use super::browser::{Browser, DESKTOP, PHONE};
use crate::server::{Backend, TestDatabase, TestServer};

/// Opens `path`, checks it with axe at both sizes, and saves screenshots
/// named `name`.
async fn visit(browser: &Browser, server: &TestServer, axe: &str, path: &str, name: &str) {
    browser.goto(&server.url(path)).await;
    for size in [DESKTOP, PHONE] {
        browser.viewport(size).await;
        let violations = axe::violations(browser, axe).await;
        assert!(
            violations.is_empty(),
            "{path} at {size:?}: {} accessibility violations:\n{}",
            violations.len(),
            violations.join("\n")
        );
        browser.screenshot(name, size).await;
    }
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
    let server = TestServer::start(&database.url, &[]);
    visit(&browser, &server, axe, "/tillganglighet", "accessibility").await;
    assert_eq!(browser.text("h1").await, "Tillgänglighetsredogörelse");
    visit(&browser, &server, axe, "/no-such-page", "not-found").await;
    assert_eq!(browser.text("h1").await, "Sidan finns inte");
    // The language, chosen before signing in, is kept from page to page.
    browser.goto(&server.url("/tillganglighet?lang=en")).await;
    browser.goto(&server.url("/no-such-page")).await;
    assert_eq!(browser.text("h1").await, "Page not found");
    browser.close().await;
}
