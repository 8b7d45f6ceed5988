use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{get, post};
use crate::api_tests;
use crate::server::{Backend, TestDatabase, TestServer};

api_tests!(
    health_readiness_and_request_ids,
    errors_are_problems_and_write_nothing,
    a_stale_delete_archives_nothing
);

/// `DELETE ?version=` on every record: a stale version is a 409 and the
/// record stays live; the version read archives it.
async fn a_stale_delete_archives_nothing(server: &TestServer) {
    let host = super::organisation(server, "Högskolan Väst", "university").await;
    let partner = super::organisation(server, "Saab", "company").await;
    let person = super::person(server, "Lena Lindhé", &host, "Samverkansstrateg", false).await;
    let id = |body: Value| body["id"].as_str().unwrap().to_owned();
    let partnership = id(post(
        server,
        "/api/v1/partnerships",
        &json!({ "kind": "strategic", "organisation_ids": [host, partner] }),
    )
    .await
    .expect(StatusCode::CREATED));
    let meeting = id(post(
        server,
        "/api/v1/meetings",
        &json!({ "title": "Styrgrupp", "kind": "steering_group", "starts_at": "2025-03-04T09:00:00+01:00", "status": "held" }),
    )
    .await
    .expect(StatusCode::CREATED));
    let follow_up = id(post(
        server,
        "/api/v1/follow-ups",
        &json!({ "meeting_id": meeting, "title": "Skicka protokollet" }),
    )
    .await
    .expect(StatusCode::CREATED));
    for (path, change) in [
        (
            format!("/api/v1/organisations/{partner}"),
            json!({ "city": "Linköping" }),
        ),
        (
            format!("/api/v1/representatives/{person}"),
            json!({ "phone": "0520-22 30 00" }),
        ),
        (
            format!("/api/v1/partnerships/{partnership}"),
            json!({ "goals": "Fler praktikplatser" }),
        ),
        (
            format!("/api/v1/meetings/{meeting}"),
            json!({ "location": "Trollhättan" }),
        ),
        (
            format!("/api/v1/follow-ups/{follow_up}"),
            json!({ "details": "Till alla deltagare" }),
        ),
    ] {
        let mut change = change;
        change["version"] = json!(1);
        super::patch(server, &path, &change).await.expect(StatusCode::OK);
        let stale = super::delete(server, &format!("{path}?version=1")).await;
        let problem = stale.expect_problem(StatusCode::CONFLICT, None);
        assert_eq!(problem["type"], "/problems/version-conflict", "{path}");
        let live = get(server, &path).await.expect(StatusCode::OK);
        let record = if live["meeting"].is_object() {
            &live["meeting"]
        } else {
            &live
        };
        assert_eq!(record["archived_at"], Value::Null, "{path}");
        assert_eq!(record["version"], 2, "{path}");
        super::delete(server, &format!("{path}?version=2"))
            .await
            .expect(StatusCode::NO_CONTENT);
    }
}

async fn health_readiness_and_request_ids(server: &TestServer) {
    let health = get(server, "/health").await;
    assert!(health.headers.get("x-request-id").is_some());
    assert_eq!(health.expect(StatusCode::OK), json!({ "status": "ok" }));
    assert_eq!(
        get(server, "/ready").await.expect(StatusCode::OK),
        json!({ "status": "ok" })
    );
    let response = server
        .client
        .get(server.url("/health"))
        .header("x-request-id", "från-klienten-1")
        .send()
        .await
        .unwrap();
    // Not ASCII: replaced by a fresh id rather than echoed.
    assert_ne!(response.headers()["x-request-id"], "från-klienten-1");
    let response = server
        .client
        .get(server.url("/health"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "abc-123");
    let docs = server.client.get(server.url("/docs")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
}

async fn errors_are_problems_and_write_nothing(server: &TestServer) {
    let organisations = "/api/v1/organisations";
    // 400: malformed JSON, a bad parameter, a bad id.
    let malformed = server
        .client
        .post(server.url(organisations))
        .header("content-type", "application/json")
        .body("{\"name\": \"Vattenfall\", ")
        .send()
        .await
        .unwrap();
    let answer = super::Answer {
        status: malformed.status(),
        headers: malformed.headers().clone(),
        body: malformed.json().await.unwrap(),
    };
    answer.expect_problem(StatusCode::BAD_REQUEST, Some("body"));
    get(server, "/api/v1/organisations?limit=501")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("limit"));
    get(server, "/api/v1/organisations?kind=castle")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("kind"));
    get(server, "/api/v1/organisations?cursor=garbage")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("cursor"));
    get(server, "/api/v1/organisations/not-a-uuid")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("id"));
    get(server, "/api/v1/meetings?from=2024-13-01")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("from"));
    get(server, "/api/v1/meetings?from=0001-01-01")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("from"));
    get(server, "/api/v1/follow-ups?due_before=0999-12-31")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("due_before"));
    // Control characters in text filters match nothing rather than fail.
    for path in [
        "/api/v1/organisations?q=V%00st",
        "/api/v1/organisations?tag=a%00b",
        "/api/v1/meetings?q=%00",
    ] {
        let page = get(server, path).await.expect(StatusCode::OK);
        assert!(page["items"].as_array().unwrap().is_empty(), "{path}");
    }
    get(server, "/api/v1/search?q=%00x").await.expect(StatusCode::OK);
    // 404.
    let unknown = uuid::Uuid::now_v7();
    get(server, &format!("{organisations}/{unknown}"))
        .await
        .expect_problem(StatusCode::NOT_FOUND, None);
    get(server, "/api/v1/nothing-here")
        .await
        .expect_problem(StatusCode::NOT_FOUND, None);
    // 422: a bad organisation number.
    post(
        server,
        organisations,
        &json!({ "name": "Vattenfall", "kind": "company", "organisation_number": "556036-2139" }),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("organisation_number"));
    // 409: a duplicate, ignoring case.
    post(
        server,
        organisations,
        &json!({ "name": "Högskolan Väst", "kind": "university" }),
    )
    .await
    .expect(StatusCode::CREATED);
    post(
        server,
        organisations,
        &json!({ "name": "HÖGSKOLAN VÄST", "kind": "university" }),
    )
    .await
    .expect_problem(StatusCode::CONFLICT, Some("name"));
    // 413: a body over 1 MiB.
    let huge = json!({ "name": "x".repeat(1_100_000), "kind": "company" });
    post(server, organisations, &huge)
        .await
        .expect_problem(StatusCode::PAYLOAD_TOO_LARGE, None);
    // 422: a date far outside any plausible meeting.
    post(
        server,
        "/api/v1/meetings",
        &json!({ "title": "Möte", "kind": "workshop", "starts_at": "0500-01-01T00:00:00Z" }),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("starts_at"));
    // Nothing but the one good organisation was written.
    let all = super::walk(server, organisations, 50).await;
    assert_eq!(all.len(), 1);
}

/// The server stops on SIGTERM with exit status 0, and starts again on the
/// same database (migrations already applied).
/// Every 405 says which methods the path answers (RFC 9110 `Allow`), for
/// every path of the OpenAPI document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_405_carries_allow() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let server = TestServer::start(&database.url, &[]);
    let spec = get(&server, "/api/openapi.json").await.expect(StatusCode::OK);
    let id = "0190c2d4-6a8e-7d1c-9b7e-3f1f7d2a9c01";
    let mut checked = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        let documented: Vec<String> = operations
            .as_object()
            .unwrap()
            .keys()
            .map(|method| method.to_ascii_uppercase())
            .collect();
        let Some(unused) = ["PUT", "PATCH", "DELETE", "POST", "GET"]
            .into_iter()
            .find(|method| !documented.iter().any(|d| d == method))
        else {
            continue;
        };
        let concrete = path
            .split('/')
            .map(|segment| if segment.starts_with('{') { id } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        let answer = server
            .client
            .request(unused.parse().unwrap(), server.url(&concrete))
            .send()
            .await
            .unwrap();
        assert_eq!(
            answer.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{unused} {concrete}"
        );
        let allow = answer
            .headers()
            .get("allow")
            .unwrap_or_else(|| panic!("no Allow on {unused} {concrete}"))
            .to_str()
            .unwrap()
            .to_owned();
        let mut allowed: Vec<&str> = allow.split(", ").collect();
        allowed.sort_unstable();
        let mut expected: Vec<&str> = documented.iter().map(String::as_str).collect();
        if expected.contains(&"GET") {
            expected.push("HEAD");
        }
        expected.sort_unstable();
        assert_eq!(allowed, expected, "{concrete}");
        checked += 1;
    }
    assert!(checked > 30, "only {checked} paths were checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_cleanly() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let server = TestServer::start(&database.url, &["--demo"]);
    get(&server, "/health").await.expect(StatusCode::OK);
    assert!(server.terminate(), "exit status 0 after SIGTERM");
    let again = TestServer::start(&database.url, &["--demo"]);
    let meetings = super::walk(&again, "/api/v1/meetings", 10).await;
    assert_eq!(meetings.len(), 1, "the demo is loaded once");
}

/// The OpenAPI document checked in at docs/openapi.json is what the server
/// serves: every API change shows in review. Regenerate with
/// `SAMVERKAN_UPDATE_OPENAPI=1 cargo test --test e2e openapi`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checked_in_openapi_document_is_current() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let server = TestServer::start(&database.url, &[]);
    let served = server
        .client
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let served: Value = serde_json::from_str(&served).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json");
    let pretty = serde_json::to_string_pretty(&served).unwrap() + "\n";
    if std::env::var_os("SAMVERKAN_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &pretty).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == pretty,
        "docs/openapi.json differs from the served document; regenerate it with \
         SAMVERKAN_UPDATE_OPENAPI=1 cargo test --test e2e openapi, and review the diff"
    );
    // Every operation documents its errors as problems.
    for (path, operations) in served["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            if path.starts_with("/api/v1") {
                let responses = operation["responses"].as_object().unwrap();
                assert!(
                    responses.contains_key("400") && responses.contains_key("500"),
                    "{method} {path}"
                );
            }
        }
    }
}

/// `/ready` answers 503, and API calls a 503 problem, when the database is
/// gone; `/health` still answers 200 (the process is alive).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_makes_the_server_unready_not_broken() {
    let Some(database) = TestDatabase::new(Backend::Postgres).await else {
        return;
    };
    let server = TestServer::start(&database.url, &[]);
    get(&server, "/ready").await.expect(StatusCode::OK);
    drop(database);
    let ready = get(&server, "/ready").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "{}", ready.body);
    get(&server, "/api/v1/organisations")
        .await
        .expect_problem(StatusCode::SERVICE_UNAVAILABLE, None);
    get(&server, "/health").await.expect(StatusCode::OK);
}
