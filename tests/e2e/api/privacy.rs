//! Data protection over HTTP and the command line: a person's data exported
//! as JSON and as a page in either language, erased (with the reason
//! required and a second erasure refused), restricted and lifted; the
//! retention run from the command line with a fixed "today".

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{get, log_seed_day, post, send};
use crate::api_tests;
use crate::server::{TestServer, samverkan};

api_tests!(
    an_admin_exports_a_person_in_either_language_and_format,
    an_erasure_needs_a_reason_and_happens_once,
    a_restricted_person_is_in_no_list_until_lifted,
    retention_from_the_command_line_erases_past_the_limit_only,
);

async fn text(server: &TestServer, path: &str) -> (StatusCode, String, String) {
    let response = server.client.get(server.url(path)).send().await.unwrap();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (response.status(), content_type, response.text().await.unwrap())
}

async fn an_admin_exports_a_person_in_either_language_and_format(server: &TestServer) {
    let (seed, _) = log_seed_day(server).await;
    let lena = seed.person("Lena Lindhé");
    let path = format!("/api/v1/representatives/{lena}/personal-data");
    let (status, content_type, body) = text(server, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let document: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(document["title"], "Personuppgifter: Lena Lindhé");
    let headings: Vec<&str> = document["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["heading"].as_str())
        .collect();
    for heading in [
        "Uppgifter",
        "Uppdrag",
        "Möten",
        "Ändringshistorik",
        "Dina rättigheter",
    ] {
        assert!(headings.contains(&heading), "{heading} missing: {headings:?}");
    }
    assert!(body.contains("Strategisk partnerträff") && body.contains("Wexus"));

    let (status, content_type, page) = text(server, &format!("{path}?format=html&lang=en")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(page.contains("Personal data: Lena Lindhé") && page.contains("Your rights"));

    let unknown = "0190c2d4-6a8e-7d1c-9b7e-000000000000";
    get(
        server,
        &format!("/api/v1/representatives/{unknown}/personal-data"),
    )
    .await
    .expect_problem(StatusCode::NOT_FOUND, None);
    get(server, &format!("{path}?format=xlsx"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, None);
    // The export of a user account.
    let users = get(server, "/api/v1/users").await.expect(StatusCode::OK);
    let admin = users["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, _, body) = text(server, &format!("/api/v1/users/{admin}/personal-data")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("API-nycklar"), "{body}");
}

async fn an_erasure_needs_a_reason_and_happens_once(server: &TestServer) {
    let (seed, meeting) = log_seed_day(server).await;
    let lena = seed.person("Lena Lindhé");
    let erase = format!("/api/v1/representatives/{lena}/erase");
    post(server, &erase, &json!({}))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, None);
    post(server, &erase, &json!({"reason": "  "}))
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("reason"));
    get(server, &format!("/api/v1/representatives/{lena}"))
        .await
        .expect(StatusCode::OK);

    let erased = post(server, &erase, &json!({"reason": "Begäran enligt artikel 17"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(erased["sequence"], 1);
    let person = get(server, &format!("/api/v1/representatives/{lena}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(person["full_name"], "Raderad person 1");
    assert!(person["erased_at"].is_string() && person["title"].is_null());
    let problem = post(server, &erase, &json!({"reason": "igen"}))
        .await
        .expect_problem(StatusCode::CONFLICT, Some("id"));
    assert_eq!(problem["type"], "/problems/erased");
    // The minutes still count her, under the placeholder.
    let id = meeting["id"].as_str().unwrap();
    let (status, _, minutes) = text(server, &format!("/api/v1/reports/meetings/{id}?format=md")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(minutes.contains("Raderad person 1") && !minutes.contains("Lindhé"));
    let found = get(server, "/api/v1/search?q=Lindh%C3%A9")
        .await
        .expect(StatusCode::OK);
    assert!(!found.to_string().contains(&lena), "{found}");
}

async fn a_restricted_person_is_in_no_list_until_lifted(server: &TestServer) {
    let (seed, _) = log_seed_day(server).await;
    let lisa = seed.person("Lisa Thörn");
    let listed = || async {
        get(server, "/api/v1/representatives?limit=500")
            .await
            .expect(StatusCode::OK)
            .to_string()
            .contains(&lisa)
    };
    assert!(listed().await);
    let restricted = post(
        server,
        &format!("/api/v1/representatives/{lisa}/restriction"),
        &json!({}),
    )
    .await
    .expect(StatusCode::OK);
    assert!(restricted["restricted_at"].is_string());
    assert!(!listed().await);
    let found = get(server, "/api/v1/search?q=Th%C3%B6rn")
        .await
        .expect(StatusCode::OK);
    assert!(!found.to_string().contains(&lisa), "{found}");
    let lifted = send(
        server,
        reqwest::Method::DELETE,
        &format!("/api/v1/representatives/{lisa}/restriction"),
        None,
    )
    .await
    .expect(StatusCode::OK);
    assert!(lifted["restricted_at"].is_null());
    assert!(listed().await);
}

async fn retention_from_the_command_line_erases_past_the_limit_only(server: &TestServer) {
    let (seed, _) = log_seed_day(server).await;
    let (tilde, arsema) = (seed.person("Tilde"), seed.person("Arsema"));
    let url = server.database_url();
    // 2025-04-20: within 365 days of the partner day (2024-04-26).
    let within = samverkan(
        url,
        &["privacy", "retention", "--dry-run", "--today", "2025-04-20"],
    );
    assert!(within.contains("0 to erase"), "{within}");
    let dry = samverkan(
        url,
        &["privacy", "retention", "--dry-run", "--today", "2025-05-01"],
    );
    assert!(dry.contains(&format!("would erase\t{tilde}")), "{dry}");
    assert!(dry.contains("nothing was changed"), "{dry}");
    let person = get(server, &format!("/api/v1/representatives/{tilde}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(person["full_name"], "Tilde", "a dry run changes nothing");

    // A minor's data goes to a file only when asked for.
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("tilde.json");
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(["privacy", "export", "--representative", &tilde, "--output"])
        .arg(&file)
        .env("SAMVERKAN_DATABASE_URL", url)
        .output()
        .unwrap();
    assert!(!refused.status.success() && !file.exists());
    samverkan(
        url,
        &[
            "privacy",
            "export",
            "--representative",
            &tilde,
            "--include-minor",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read_to_string(&file).unwrap().contains("Tilde"));

    let run = samverkan(url, &["privacy", "retention", "--today", "2025-05-01"]);
    assert!(
        run.contains("2 erased"),
        "both pupils' last meeting is the partner day: {run}"
    );
    for pupil in [&tilde, &arsema] {
        let person = get(server, &format!("/api/v1/representatives/{pupil}"))
            .await
            .expect(StatusCode::OK);
        assert!(person["erased_at"].is_string(), "{person}");
    }
    let log = samverkan(url, &["privacy", "erasures"]);
    assert_eq!(log.lines().count(), 2, "{log}");
    assert!(log.contains(&tilde) && log.contains(&arsema));
}
