//! Signing in and out, sessions and their cookies, CSRF, and the wall
//! between the pages' sessions and the API's tokens, over plain HTTP.

use reqwest::StatusCode;

use super::visitor::Visitor;
use crate::server::{Backend, TestDatabase, TestServer};

fn demo(database: &TestDatabase, extra: &[&str]) -> TestServer {
    let mut args = vec!["--demo"];
    args.extend_from_slice(extra);
    TestServer::start(&database.url, &args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_reaches_the_page_asked_for_and_signs_out() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(database) = TestDatabase::new(backend).await else {
            continue;
        };
        let server = demo(&database, &[]);
        let (email, password) = server.demo_credentials("strategist");
        let visitor = Visitor::new(&server);

        // A stranger is sent to sign in, and back afterwards.
        let asked = visitor.get("/meetings?q=partnerdag").await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER);
        assert_eq!(asked.location(), Some("/login?next=/meetings%3Fq%3Dpartnerdag"));
        let signed_in = visitor
            .sign_in_to(&email, &password, "/meetings?q=partnerdag")
            .await;
        assert_eq!(
            signed_in.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            signed_in.body
        );
        assert_eq!(signed_in.location(), Some("/meetings?q=partnerdag"));
        let cookie = signed_in
            .set_cookie("samverkan_session")
            .expect("a session cookie");
        assert!(
            cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Lax") && cookie.contains("; Path=/")
        );
        assert!(
            !cookie.contains("Secure") && !cookie.contains("Max-Age"),
            "{cookie}"
        );

        let start = visitor.get("/").await;
        assert_eq!(start.status, StatusCode::OK);
        assert!(
            start.body.contains("Demo strategist") || start.body.contains(&email),
            "{}",
            start.body
        );
        // Already signed in: the sign-in page sends the person on.
        assert_eq!(visitor.get("/login").await.status, StatusCode::SEE_OTHER);

        let out = visitor.sign_out().await;
        assert_eq!(out.location(), Some("/login?signed_out=1"));
        assert!(out.set_cookie("samverkan_session").unwrap().contains("Max-Age=0"));
        let after = visitor.get("/login?signed_out=1").await;
        assert!(after.body.contains("Du är utloggad."));
        assert_eq!(visitor.get("/").await.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_says_only_wrong_e_mail_or_password_and_keeps_the_address() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = demo(&database, &[]);
    let (email, _) = server.demo_credentials("manager");
    let visitor = Visitor::new(&server);
    let wrong_password = visitor.sign_in(&email, "not the password at all").await;
    let unknown = visitor
        .sign_in("nobody@example.org", "not the password at all")
        .await;
    let too_short = visitor.sign_in(&email, "short").await;
    for answer in [&wrong_password, &unknown, &too_short] {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert!(
            answer.body.contains("Fel e-postadress eller lösenord."),
            "{}",
            answer.body
        );
        assert!(answer.body.contains("<title>Fel: Logga in"));
        assert!(
            answer.body.contains("href=\"#email\""),
            "the summary links to the field"
        );
        assert!(answer.set_cookie("samverkan_session").is_none());
    }
    assert!(
        wrong_password.body.contains(&format!("value=\"{email}\"")),
        "the address is kept"
    );
    // Empty fields are named, each beside its field.
    let empty = visitor.sign_in("", "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Ange din e-postadress.") && empty.body.contains("Ange ditt lösenord."));
    assert!(empty.body.contains("aria-describedby=\"password-error\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_make_the_next_try_wait_and_say_until_when() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = demo(&database, &[]);
    let (email, password) = server.demo_credentials("viewer");
    let visitor = Visitor::new(&server);
    for _ in 0..5 {
        let failed = visitor.sign_in(&email, "wrong password, again").await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now: the account is being guessed at.
    let locked = visitor.sign_in(&email, &password).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", locked.body);
    assert!(locked.body.contains("För många misslyckade inloggningar"));
    assert!(locked.body.contains("Försök igen tidigast"));
    assert!(locked.headers.contains_key("retry-after"));
    // Another account from another address is not held up.
    let (other, other_password) = server.demo_credentials("admin");
    let elsewhere = Visitor::new(&server);
    assert_eq!(
        elsewhere.sign_in(&other, &other_password).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_without_its_token_or_from_another_site_changes_nothing() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = demo(&database, &[]);
    let (email, password) = server.demo_credentials("admin");
    let visitor = Visitor::new(&server);

    // Signing in needs the sign-in form's own token.
    let no_token = visitor
        .post("/login", &[("email", &email), ("password", &password)])
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert!(
        no_token.body.contains("Formuläret har gått ut"),
        "{}",
        no_token.body
    );
    assert!(no_token.set_cookie("samverkan_session").is_none());

    assert_eq!(
        visitor.sign_in(&email, &password).await.status,
        StatusCode::SEE_OTHER
    );
    let csrf = visitor.get("/").await.csrf();
    for form in [vec![], vec![("_csrf", "svs_not-the-token")]] {
        let refused = visitor.post("/logout", &form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("Formuläret har gått ut"));
    }
    // The right token, but sent from another site's page.
    let cross_site = visitor
        .client
        .post(server.url("/logout"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    // Still signed in: nothing was done.
    assert_eq!(visitor.get("/").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copied_cookie_stops_working_at_sign_out_and_never_opens_the_api() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = demo(&database, &[]);
    let (email, password) = server.demo_credentials("admin");
    let visitor = Visitor::new(&server);
    let signed_in = visitor.sign_in(&email, &password).await;
    let cookie = signed_in.set_cookie("samverkan_session").unwrap();
    let pair = cookie.split(';').next().unwrap().to_owned();
    let thief = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let with_cookie = |path: &str| thief.get(server.url(path)).header("cookie", pair.clone()).send();

    assert_eq!(with_cookie("/").await.unwrap().status(), StatusCode::OK);
    // A session never authenticates the API (so the API needs no CSRF).
    let api = with_cookie("/api/v1/organisations").await.unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    // Nor does an API token sign in to the pages.
    let token = thief
        .get(server.url("/"))
        .bearer_auth(server.printed_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::SEE_OTHER);

    visitor.sign_out().await;
    let after = with_cookie("/").await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(after.headers()["location"], "/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_the_session_cookie_is_secure_and_host_only() {
    let Some(database) = TestDatabase::new(Backend::Sqlite).await else {
        return;
    };
    let server = demo(&database, &["--public-url", "https://samverkan.example.se"]);
    let (email, password) = server.demo_credentials("admin");
    let visitor = Visitor::new(&server);
    let signed_in = visitor.sign_in(&email, &password).await;
    let cookie = signed_in
        .set_cookie("__Host-samverkan_session")
        .unwrap_or_else(|| panic!("{:?}", signed_in.headers));
    assert!(cookie.contains("; Secure") && cookie.contains("; Path=/") && !cookie.contains("Domain"));
}
