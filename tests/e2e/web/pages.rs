//! The record pages, search and the account page over plain HTTP: what a
//! person finds, what a minor's page keeps back, who may open what, and
//! the account's forms (language, password, API tokens).

use reqwest::StatusCode;

use super::visitor::{Answer, Visitor};
use crate::server::{Backend, TestDatabase, TestServer};

/// The first `href="{prefix}…"` on the page after `text`.
fn link_after(answer: &Answer, text: &str, prefix: &str) -> String {
    let at = answer
        .body
        .find(text)
        .unwrap_or_else(|| panic!("no {text} in {}", answer.body));
    let before = &answer.body[..at];
    let marker = format!("href=\"{prefix}");
    let start = before
        .rfind(&marker)
        .unwrap_or_else(|| panic!("no link to {text}"))
        + "href=\"".len();
    let end = answer.body[start..].find('"').unwrap() + start;
    answer.body[start..end].to_owned()
}

async fn signed_in(server: &TestServer, role: &str) -> Visitor {
    let (email, password) = server.demo_credentials(role);
    let visitor = Visitor::new(server);
    let answer = visitor.sign_in(&email, &password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    visitor
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_found_ignoring_case_and_accents_and_a_minor_shows_name_and_organisation_only() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(database) = TestDatabase::new(backend).await else {
            continue;
        };
        let server = TestServer::start(&database.url, &["--demo"]);
        let visitor = signed_in(&server, "manager").await;

        let found = visitor.get("/people?q=LINDH%C3%89").await;
        assert_eq!(found.status, StatusCode::OK, "{backend:?}: {}", found.body);
        assert!(
            found.body.contains(">Lena Lindhé</a>"),
            "{backend:?}: {}",
            found.body
        );
        assert!(
            !found.body.contains("Maria Derner"),
            "only the person searched for"
        );
        let lena = visitor
            .get(&link_after(&found, ">Lena Lindhé<", "/people/"))
            .await;
        assert_eq!(lena.status, StatusCode::OK);
        assert_eq!(lena.heading(), "Lena Lindhé");
        assert!(lena.body.contains("Samverkansstrateg"), "her title");
        assert!(
            lena.body.contains("Exempel: boka nästa strategiska partnerträff"),
            "her follow-up"
        );
        assert!(lena.body.contains("/meetings/"), "the meetings she attended");

        // Tilde, a pupil: the list and the page show her name and
        // organisation, and nothing else about her.
        let list = visitor.get("/people?q=tilde").await;
        assert!(list.body.contains(">Tilde</a>"), "{}", list.body);
        assert!(!list.body.contains("Elev"), "no title of a minor in the list");
        let tilde = visitor.get(&link_after(&list, ">Tilde<", "/people/")).await;
        assert_eq!(tilde.status, StatusCode::OK);
        assert!(tilde.body.contains("Bara namn och organisation visas."));
        assert!(tilde.body.contains("/organisations/"), "her organisation");
        for withheld in [
            "Elev",
            "mailto:",
            "tel:",
            "/meetings/",
            "/follow-ups/",
            "Historik",
        ] {
            assert!(!tilde.body.contains(withheld), "{withheld} on a minor's page");
        }

        // A filter value that is no organisation: said beside the field.
        let bad = visitor.get("/people?organisation=nope").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("id=\"organisation-error\""), "{}", bad.body);
        // An organisation typed by name (any case) filters as its id does,
        // and the field shows its name.
        let typed = visitor
            .get("/people?organisation=H%C3%96GSKOLAN%20v%C3%A4st")
            .await;
        assert_eq!(typed.status, StatusCode::OK, "{}", typed.body);
        assert!(typed.body.contains("Lena Lindhé"), "{}", typed.body);
        assert!(!typed.body.contains("Lisa Thörn"), "{}", typed.body);
        assert!(typed.body.contains("value=\"HÖGSKOLAN väst\""), "kept as typed");

        // Search marks what matched, escaped, in its group.
        let search = visitor.get("/search?q=LINDH%C3%89").await;
        assert_eq!(search.status, StatusCode::OK);
        assert!(search.body.contains("<h2>Personer</h2>"), "{}", search.body);
        assert!(
            search.body.contains("Lena <mark>Lindhé</mark>"),
            "{}",
            search.body
        );
        let agenda = visitor.get("/search?q=ungdomsbarometern").await;
        assert!(agenda.body.contains("<mark>"), "{}", agenda.body);
        // A search for a minor's title names them, never the title.
        let pupils = visitor.get("/search?q=elev").await;
        let people = pupils.body.split("<h2>Personer</h2>").nth(1).unwrap_or_default();
        let people = people.split("</section>").next().unwrap_or_default();
        assert!(people.contains(">Tilde</a>"), "{}", pupils.body);
        assert!(!people.contains("Elev"), "{people}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_ups_say_overdue_in_words_and_partnerships_name_their_parties() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let visitor = signed_in(&server, "strategist").await;

    // The demo's follow-ups were due in 2024: overdue now, in words.
    let list = visitor.get("/follow-ups?overdue=1").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(
        list.body
            .contains("<span class=\"tag tag--overdue\">Försenad</span>"),
        "{}",
        list.body
    );
    assert!(
        list.body
            .contains("Exempel: dela ungdomsbarometerns resultat med partnerna")
    );
    let done = visitor.get("/follow-ups?status=done").await;
    assert!(done.body.contains("Inget hittades."), "{}", done.body);
    let bad = visitor.get("/follow-ups?status=finished").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"status-error\""));
    // The demo strategist is no representative: nothing is theirs.
    let mine = visitor.get("/follow-ups?mine=1").await;
    assert_eq!(mine.status, StatusCode::BAD_REQUEST);
    assert!(mine.body.contains("inte kopplat till någon person"));

    let page = visitor
        .get(&link_after(
            &list,
            ">Exempel: dela ungdomsbarometerns",
            "/follow-ups/",
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(">Maria Derner</a>"), "the owner, linked");
    assert!(page.body.contains("14 juni 2024"), "the due date in Swedish");
    assert!(page.body.contains("<time datetime=\"2024-06-14\">"));

    // The owner filter, from a link, shows the owner's name.
    let owner = link_after(&page, ">Maria Derner<", "/people/");
    let by_owner = visitor
        .get(&format!(
            "/follow-ups?owner={}",
            owner.trim_start_matches("/people/")
        ))
        .await;
    assert_eq!(by_owner.status, StatusCode::OK);
    assert!(
        by_owner.body.contains("<p class=\"chosen\">Maria Derner</p>"),
        "{}",
        by_owner.body
    );

    let partnerships = visitor.get("/partnerships?status=active").await;
    assert_eq!(partnerships.status, StatusCode::OK);
    // One of those listed (the page's first link of all is "add a
    // partnership").
    let listed = link_after(&partnerships, "</tbody>", "/partnerships/");
    let partnership = visitor.get(&listed).await;
    assert_eq!(partnership.status, StatusCode::OK, "{}", partnership.body);
    assert!(partnership.body.contains("Strategiskt") && partnership.body.contains("Aktivt"));
    assert!(partnership.body.contains("<h2>Mål</h2>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_reads_reports_only_and_every_role_has_an_account_page() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let viewer = signed_in(&server, "viewer").await;
    for path in ["/people", "/follow-ups", "/partnerships", "/search?q=a"] {
        let refused = viewer.get(path).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(refused.body.contains("Du har inte behörighet"), "{path}");
    }
    let start = viewer.get("/").await;
    assert!(
        !start.body.contains("href=\"/people\""),
        "no link to what a viewer may not see"
    );
    let account = viewer.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("Läsare"), "the role, in words");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_changes_language_and_password_and_makes_and_revokes_tokens() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = TestServer::start(&database.url, &["--demo"]);
    let (email, password) = server.demo_credentials("manager");
    let here = signed_in(&server, "manager").await;
    let elsewhere = signed_in(&server, "manager").await;

    // Language, remembered for the pages that follow.
    let csrf = here.get("/account").await.csrf();
    let saved = here
        .post("/account/language", &[("_csrf", &csrf), ("language", "en")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location(), Some("/account?done=language"));
    let next = here.get("/account?done=language").await;
    assert!(next.body.contains("<html lang=\"en\">"), "{}", next.body);
    assert!(next.body.contains("Your language is saved."));
    let back = here
        .post("/account/language", &[("_csrf", &csrf), ("language", "sv")])
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);

    // A wrong current password and a short new one, each beside its field.
    let new_password = "a long new passphrase for the test";
    let wrong = here
        .post(
            "/account/password",
            &[
                ("_csrf", &csrf),
                ("current_password", "not the password at all"),
                ("new_password", new_password),
                ("new_password_again", new_password),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("Det nuvarande lösenordet stämmer inte."),
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("href=\"#current_password\""),
        "the summary links to the field"
    );
    let short = here
        .post(
            "/account/password",
            &[
                ("_csrf", &csrf),
                ("current_password", &password),
                ("new_password", "short"),
                ("new_password_again", "short"),
            ],
        )
        .await;
    assert!(short.body.contains("Lösenordet måste ha minst 12 tecken."));
    assert!(
        short
            .body
            .contains("aria-describedby=\"new_password-hint new_password-error\"")
    );

    let changed = here
        .post(
            "/account/password",
            &[
                ("_csrf", &csrf),
                ("current_password", &password),
                ("new_password", new_password),
                ("new_password_again", new_password),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(changed.location(), Some("/account?done=password"));
    assert!(
        changed.set_cookie("samverkan_session").is_some(),
        "a new session here"
    );
    let after = here.get("/account?done=password").await;
    assert_eq!(after.status, StatusCode::OK, "this browser stays signed in");
    assert!(after.body.contains("Lösenordet är bytt."));
    assert_eq!(
        elsewhere.get("/").await.status,
        StatusCode::SEE_OTHER,
        "signed out elsewhere"
    );
    let again = Visitor::new(&server);
    assert_eq!(
        again.sign_in(&email, new_password).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        Visitor::new(&server).sign_in(&email, &password).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A token: shown once, works on the API, then revoked.
    let csrf = after.csrf();
    let empty = here
        .post("/account/tokens", &[("_csrf", &csrf), ("name", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Ange ett namn på nyckeln."));
    let made = here
        .post(
            "/account/tokens",
            &[("_csrf", &csrf), ("name", "Rapportskript"), ("days", "30")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.headers.get("cache-control").unwrap(), "no-store");
    let marker = "id=\"token-secret\">";
    let start = made.body.find(marker).unwrap() + marker.len();
    let secret = &made.body[start..start + made.body[start..].find('<').unwrap()];
    assert!(secret.starts_with("svk_"), "{secret}");
    let api = reqwest::Client::new();
    let read = |secret: String| {
        api.get(server.url("/api/v1/organisations"))
            .bearer_auth(secret)
            .send()
    };
    assert_eq!(read(secret.to_owned()).await.unwrap().status(), StatusCode::OK);

    let account = here.get("/account").await;
    assert!(account.body.contains("Rapportskript"));
    let revoke = link_action(&account, "/account/tokens/");
    // Another user cannot revoke it: to them it does not exist.
    let other = signed_in(&server, "strategist").await;
    let other_csrf = other.get("/account").await.csrf();
    assert_eq!(
        other.post(&revoke, &[("_csrf", &other_csrf)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(read(secret.to_owned()).await.unwrap().status(), StatusCode::OK);
    let revoked = here.post(&revoke, &[("_csrf", &csrf)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(revoked.location(), Some("/account?done=revoked"));
    assert_eq!(
        read(secret.to_owned()).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let listed = here.get("/account?done=revoked").await;
    assert!(listed.body.contains("Nyckeln är återkallad.") && listed.body.contains("Återkallad"));
}

/// The first form action on the page that starts with `prefix`.
fn link_action(answer: &Answer, prefix: &str) -> String {
    let marker = format!("action=\"{prefix}");
    let start = answer
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no form to {prefix} in {}", answer.body))
        + "action=\"".len();
    let end = answer.body[start..].find('"').unwrap() + start;
    answer.body[start..end].to_owned()
}
