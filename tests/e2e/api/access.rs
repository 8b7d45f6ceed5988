//! Access control: every route against every role, and every way a token is
//! refused.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection as _;

use super::{Answer, get, send_with};
use crate::api_tests;
use crate::server::{TestServer, client_with_token};

api_tests!(
    every_route_has_a_rule_and_every_role_meets_it,
    tokens_are_refused_when_malformed_unknown_expired_revoked_or_disabled,
    admins_manage_users_and_tokens,
    admins_set_passwords_and_the_trail_holds_no_hash,
    managers_move_follow_ups_but_change_nothing_else,
    every_change_is_in_the_history_with_who_made_it,
);

/// The permission each operation needs, by `operationId`; `None` is open.
/// A new operation that is not listed here fails the matrix test: every
/// route needs a rule.
fn rule(operation_id: &str) -> Option<Option<&'static str>> {
    let permission = match operation_id {
        "health" | "ready" => return Some(None),
        "list_organisations"
        | "get_organisation"
        | "organisation_timeline"
        | "list_representatives"
        | "get_representative"
        | "list_representative_affiliations"
        | "list_partnerships"
        | "get_partnership"
        | "list_meetings"
        | "get_meeting"
        | "list_follow_ups"
        | "get_follow_up"
        | "search"
        | "organisation_history"
        | "representative_history"
        | "partnership_history"
        | "meeting_history"
        | "follow_up_history"
        // The brief names people: it is read as records are, not as figures.
        | "partner_brief" => "read_records",
        "create_organisation"
        | "update_organisation"
        | "archive_organisation"
        | "create_representative"
        | "update_representative"
        | "archive_representative"
        | "create_partnership"
        | "update_partnership"
        | "archive_partnership"
        | "log_meeting"
        | "update_meeting"
        | "archive_meeting"
        | "add_attendee"
        | "update_attendee"
        | "remove_attendee"
        | "add_agenda_item"
        | "update_agenda_item"
        | "remove_agenda_item"
        | "reorder_agenda"
        | "add_outcome"
        | "update_outcome"
        | "remove_outcome"
        | "create_follow_up"
        | "archive_follow_up" => "write_records",
        "update_follow_up" => "update_follow_up_status",
        "list_users" | "create_user" | "get_user" | "update_user" | "list_user_tokens"
        | "create_user_token" | "revoke_token" | "set_user_password" => "manage_users",
        "list_audit_events" => "read_audit",
        "representative_personal_data"
        | "user_personal_data"
        | "erase_representative"
        | "erase_user"
        | "restrict_representative"
        | "lift_representative_restriction" => "manage_personal_data",
        "meeting_minutes" | "export_attendances" | "engagement_report" | "list_engagement"
        | "engagement_summary" | "follow_up_summary" => "read_reports",
        _ => return None,
    };
    Some(Some(permission))
}

/// The matrix of `domain::Role::allows`, spelled out independently.
fn allows(role: &str, permission: &str) -> bool {
    match role {
        "admin" => true,
        "strategist" => !matches!(permission, "manage_users" | "read_audit" | "manage_personal_data"),
        "manager" => matches!(
            permission,
            "read_records" | "update_follow_up_status" | "read_reports"
        ),
        "viewer" => permission == "read_reports",
        _ => false,
    }
}

async fn every_route_has_a_rule_and_every_role_meets_it(server: &TestServer) {
    let document = get(server, "/api/openapi.json").await.expect(StatusCode::OK);
    let mut clients = vec![("none", reqwest::Client::new())];
    for role in ["admin", "strategist", "manager", "viewer"] {
        clients.push((role, client_with_token(&server.token_with_role(role))));
    }
    // Tokens that must be refused everywhere: malformed, expired, revoked,
    // and one of a disabled user (each an admin's, so only the refusal
    // stands between it and the route).
    let url = server.database_url();
    clients.push(("malformed", client_with_token("svk_not-a-token")));
    let expired = crate::server::user_with_token(url, "expired@e2e.example", "admin");
    execute(
        url,
        format!(
            "UPDATE api_tokens SET expires_at = {} WHERE id = (SELECT id FROM api_tokens ORDER BY id DESC LIMIT 1)",
            if url.starts_with("sqlite") {
                "'2020-01-01T00:00:00+00:00'"
            } else {
                "'2020-01-01T00:00:00+00:00'::timestamptz"
            }
        ),
    )
    .await;
    clients.push(("expired", client_with_token(&expired)));
    let revoked = crate::server::user_with_token(url, "revoked@e2e.example", "admin");
    let listed = crate::server::samverkan(url, &["token", "list", "--email", "revoked@e2e.example"]);
    let token_id = listed.split('\t').next().unwrap().trim().to_owned();
    crate::server::samverkan(url, &["token", "revoke", "--id", &token_id]);
    clients.push(("revoked", client_with_token(&revoked)));
    let disabled = crate::server::user_with_token(url, "disabled@e2e.example", "admin");
    crate::server::samverkan(url, &["user", "disable", "--email", "disabled@e2e.example"]);
    clients.push(("disabled", client_with_token(&disabled)));
    // An id nobody has: a request that passes the gate then meets 404 (or a
    // 400/422 for the empty body), never a change.
    let unknown = "0190c2d4-6a8e-7d1c-9b7e-000000000000";
    let mut checked = 0;
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let operation_id = operation["operationId"].as_str().unwrap();
            let permission = rule(operation_id).unwrap_or_else(|| {
                panic!("{operation_id} ({method} {path}) has no access rule in access.rs")
            });
            let declared = operation["security"].as_array().map_or(0, Vec::len);
            assert_eq!(
                declared > 0,
                permission.is_some(),
                "{operation_id}: the document's security does not match the rule"
            );
            let url = server.url(&path.replace("{id}", unknown).replace("{item_id}", unknown));
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for (role, client) in &clients {
                let mut request = client.request(method.clone(), &url);
                if method != Method::GET && method != Method::DELETE {
                    request = request.json(&json!({}));
                }
                let status = request.send().await.unwrap().status();
                let expected = match permission {
                    None => None,
                    Some(_) if ["none", "malformed", "expired", "revoked", "disabled"].contains(role) => {
                        Some(StatusCode::UNAUTHORIZED)
                    }
                    Some(permission) if !allows(role, permission) => Some(StatusCode::FORBIDDEN),
                    Some(_) => None,
                };
                match expected {
                    Some(expected) => {
                        assert_eq!(status, expected, "{role} {method} {path}")
                    }
                    None => assert!(
                        status != StatusCode::UNAUTHORIZED
                            && status != StatusCode::FORBIDDEN
                            && !status.is_server_error(),
                        "{role} {method} {path}: {status}"
                    ),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 40 * 9, "only {checked} requests were checked");
}

async fn status_with(token: &str, server: &TestServer) -> Answer {
    send_with(
        &client_with_token(token),
        Method::GET,
        &server.url("/api/v1/organisations"),
        None,
    )
    .await
}

async fn tokens_are_refused_when_malformed_unknown_expired_revoked_or_disabled(server: &TestServer) {
    let anonymous = send_with(
        &reqwest::Client::new(),
        Method::GET,
        &server.url("/api/v1/organisations"),
        None,
    )
    .await;
    assert_eq!(
        anonymous
            .headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer realm=\"samverkan\"")
    );
    anonymous.expect_problem(StatusCode::UNAUTHORIZED, None);

    let malformed = status_with("not-a-token", server).await;
    assert!(malformed.headers.contains_key("www-authenticate"));
    malformed.expect_problem(StatusCode::UNAUTHORIZED, None);
    let unknown = format!("svk_{}", "A".repeat(43));
    status_with(&unknown, server)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED, None);

    let token = server.token_with_role("strategist");
    status_with(&token, server).await.expect(StatusCode::OK);

    // Expired: moved into the past in the database.
    let expiring = crate::server::token_for(server.database_url(), "strategist@e2e.example");
    status_with(&expiring, server).await.expect(StatusCode::OK);
    let past = match server.database_url().starts_with("sqlite") {
        true => "'2020-01-01T00:00:00+00:00'",
        false => "'2020-01-01T00:00:00+00:00'::timestamptz",
    };
    execute(
        server.database_url(),
        format!(
            "UPDATE api_tokens SET expires_at = {past} \
             WHERE id = (SELECT id FROM api_tokens ORDER BY id DESC LIMIT 1)"
        ),
    )
    .await;
    let expired = status_with(&expiring, server)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED, None);
    assert!(
        expired["detail"].as_str().unwrap().contains("expired"),
        "{expired}"
    );
    status_with(&token, server).await.expect(StatusCode::OK);

    // Revoked, through the API.
    let users = server
        .client
        .get(server.url("/api/v1/users"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let strategist = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["email"] == "strategist@e2e.example")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tokens: Value = server
        .client
        .get(server.url(&format!("/api/v1/users/{strategist}/tokens")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let used = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["last_used_at"].is_string() && t["expires_at"].is_null())
        .expect("the used token records its last use");
    let revoked = server
        .client
        .delete(server.url(&format!("/api/v1/tokens/{}", used["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    let refused = status_with(&token, server)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED, None);
    assert!(
        refused["detail"].as_str().unwrap().contains("revoked"),
        "{refused}"
    );

    // Disabled: every token of the user is refused, and again accepted once
    // the user is enabled.
    let fresh = crate::server::token_for(server.database_url(), "strategist@e2e.example");
    status_with(&fresh, server).await.expect(StatusCode::OK);
    let patch = |disabled: bool| {
        server
            .client
            .patch(server.url(&format!("/api/v1/users/{strategist}")))
            .json(&json!({ "disabled": disabled }))
            .send()
    };
    assert_eq!(patch(true).await.unwrap().status(), StatusCode::OK);
    let refused = status_with(&fresh, server)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED, None);
    assert!(
        refused["detail"].as_str().unwrap().contains("disabled"),
        "{refused}"
    );
    assert_eq!(patch(false).await.unwrap().status(), StatusCode::OK);
    status_with(&fresh, server).await.expect(StatusCode::OK);
}

async fn admins_manage_users_and_tokens(server: &TestServer) {
    let created = send_with(
        &server.client,
        Method::POST,
        &server.url("/api/v1/users"),
        Some(&json!({ "email": "Åsa.Öberg@Example.se", "role": "viewer", "display_name": "Åsa Öberg" })),
    )
    .await;
    let location = created
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let user = created.expect(StatusCode::CREATED);
    assert_eq!(user["role"], "viewer");
    assert_eq!(user["display_name"], "Åsa Öberg");
    // The same address in another case is the same user.
    send_with(
        &server.client,
        Method::POST,
        &server.url("/api/v1/users"),
        Some(&json!({ "email": "åsa.öberg@example.se", "role": "admin" })),
    )
    .await
    .expect_problem(StatusCode::CONFLICT, Some("email"));
    send_with(
        &server.client,
        Method::POST,
        &server.url("/api/v1/users"),
        Some(&json!({ "email": "inte-en-adress", "role": "admin" })),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("email"));

    let made = send_with(
        &server.client,
        Method::POST,
        &server.url(&format!("{location}/tokens")),
        Some(&json!({ "name": "ledningsrapporter", "expires_in_days": 30 })),
    )
    .await
    .expect(StatusCode::CREATED);
    let secret = made["secret"].as_str().unwrap();
    assert!(secret.starts_with("svk_") && secret.len() == 47, "{secret}");
    assert!(made["token"]["expires_at"].is_string());
    send_with(
        &server.client,
        Method::POST,
        &server.url(&format!("{location}/tokens")),
        Some(&json!({ "name": " ", "expires_in_days": 0 })),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("expires_in_days"));

    // The viewer's token works, within the viewer's role.
    let viewer = client_with_token(secret);
    send_with(&viewer, Method::GET, &server.url("/api/v1/organisations"), None)
        .await
        .expect_problem(StatusCode::FORBIDDEN, None);
    send_with(&viewer, Method::GET, &server.url("/api/v1/users"), None)
        .await
        .expect_problem(StatusCode::FORBIDDEN, None);
    // The secret is never listed.
    let listed = send_with(
        &server.client,
        Method::GET,
        &server.url(&format!("{location}/tokens")),
        None,
    )
    .await
    .expect(StatusCode::OK);
    assert!(!listed.to_string().contains(secret));

    // A role changed over the API applies from the next request: the
    // viewer, now a strategist, reads organisations. A patch that changes
    // nothing, or an admin's own role, is refused.
    let promoted = send_with(
        &server.client,
        Method::PATCH,
        &server.url(&location),
        Some(&json!({ "role": "strategist" })),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(promoted["role"], "strategist");
    send_with(&viewer, Method::GET, &server.url("/api/v1/organisations"), None)
        .await
        .expect(StatusCode::OK);
    send_with(
        &server.client,
        Method::PATCH,
        &server.url(&location),
        Some(&json!({})),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("role"));
    let users = send_with(&server.client, Method::GET, &server.url("/api/v1/users"), None)
        .await
        .expect(StatusCode::OK);
    let me = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["email"] == "admin@e2e.example")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    send_with(
        &server.client,
        Method::PATCH,
        &server.url(&format!("/api/v1/users/{me}")),
        Some(&json!({ "role": "viewer" })),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("role"));
    let trail = send_with(
        &server.client,
        Method::GET,
        &server.url(&format!(
            "/api/v1/audit?entity_id={}",
            promoted["id"].as_str().unwrap()
        )),
        None,
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(trail["items"][0]["action"], "set_role");
}

async fn managers_move_follow_ups_but_change_nothing_else(server: &TestServer) {
    let seeded = super::seed(server).await;
    let logged = super::post(server, "/api/v1/meetings", &seeded.meeting)
        .await
        .expect(StatusCode::CREATED);
    let manager = client_with_token(&server.token_with_role("manager"));
    let follow_up = &logged["follow_ups"][0];
    let url = server.url(&format!(
        "/api/v1/follow-ups/{}",
        follow_up["id"].as_str().unwrap()
    ));
    send_with(
        &manager,
        Method::PATCH,
        &url,
        Some(&json!({ "version": 1, "title": "Ny titel" })),
    )
    .await
    .expect_problem(StatusCode::FORBIDDEN, None);
    let moved = send_with(
        &manager,
        Method::PATCH,
        &url,
        Some(&json!({ "version": 1, "status": "done" })),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(moved["status"], "done");
    assert!(moved["completed_at"].is_string());
    send_with(
        &manager,
        Method::POST,
        &server.url("/api/v1/organisations"),
        Some(&json!({ "name": "Innovatum", "kind": "company" })),
    )
    .await
    .expect_problem(StatusCode::FORBIDDEN, None);
}

/// Runs one statement straight on the server's database.
/// The text values one column of `sql` returns, on either backend.
async fn texts(database_url: &str, sql: &'static str) -> Vec<String> {
    let rows: Vec<Option<String>> = if database_url.starts_with("sqlite") {
        let mut db = sqlx::SqliteConnection::connect(database_url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&mut db).await.unwrap()
    } else {
        let mut db = sqlx::PgConnection::connect(database_url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&mut db).await.unwrap()
    };
    rows.into_iter().flatten().collect()
}

async fn admins_set_passwords_and_the_trail_holds_no_hash(server: &TestServer) {
    let user = super::post(
        server,
        "/api/v1/users",
        &json!({ "email": "sara.holm@example.se", "role": "manager" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let id = user["id"].as_str().unwrap();
    let path = format!("/api/v1/users/{id}/password");
    let put = |body: Value, path: String| async move {
        send_with(&server.client, Method::PUT, &server.url(&path), Some(&body)).await
    };
    put(json!({ "password": "för kort" }), path.clone())
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("password"));
    put(json!({ "password": "x".repeat(257) }), path.clone())
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("password"));
    put(
        json!({ "password": "ett långt lösenord", "extra": 1 }),
        path.clone(),
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, None);
    assert!(
        texts(server.database_url(), "SELECT hash FROM user_passwords")
            .await
            .is_empty()
    );

    let set = put(json!({ "password": "ett långt lösenord" }), path.clone()).await;
    assert_eq!(set.status, StatusCode::NO_CONTENT);
    let hashes = texts(server.database_url(), "SELECT hash FROM user_passwords").await;
    assert_eq!(hashes.len(), 1);
    assert!(hashes[0].starts_with("$argon2id$"), "{}", hashes[0]);
    let unknown = "/api/v1/users/0190c2d4-6a8e-7d1c-9b7e-000000000000/password";
    put(json!({ "password": "ett långt lösenord" }), unknown.to_owned())
        .await
        .expect_problem(StatusCode::NOT_FOUND, None);

    // The trail says when, by whom; never the hash, nor any part of it.
    let events = get(server, &format!("/api/v1/audit?entity_id={id}"))
        .await
        .expect(StatusCode::OK);
    let items = events["items"].as_array().unwrap();
    assert_eq!(items[0]["action"], "set_password");
    assert_eq!(items[0]["actor"], "admin@e2e.example");
    assert!(
        items[0]["after"]["password_changed_at"].is_string(),
        "{}",
        items[0]
    );
    let stored = texts(
        server.database_url(),
        "SELECT COALESCE(before, '') || COALESCE(after, '') FROM audit_events",
    )
    .await
    .concat();
    let output = hashes[0].rsplit('$').next().unwrap();
    for text in [&events.to_string(), &stored] {
        assert!(!text.contains(&hashes[0]) && !text.contains(output) && !text.contains("argon2"));
    }
}

async fn execute(database_url: &str, sql: String) {
    let sql = sqlx::AssertSqlSafe(sql);
    if database_url.starts_with("sqlite") {
        let mut db = sqlx::SqliteConnection::connect(database_url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut db).await.unwrap();
    } else {
        let mut db = sqlx::PgConnection::connect(database_url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut db).await.unwrap();
    }
}

async fn every_change_is_in_the_history_with_who_made_it(server: &TestServer) {
    let created = super::post(
        server,
        "/api/v1/organisations",
        &json!({ "name": "Vänersborgs kommun", "kind": "municipality" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let id = created["id"].as_str().unwrap();
    super::patch(
        server,
        &format!("/api/v1/organisations/{id}"),
        &json!({ "version": 1, "name": "Melleruds kommun" }),
    )
    .await
    .expect(StatusCode::OK);
    // A refused change leaves no trace.
    super::patch(
        server,
        &format!("/api/v1/organisations/{id}"),
        &json!({ "version": 1, "name": "Åmåls kommun" }),
    )
    .await
    .expect_problem(StatusCode::CONFLICT, None);
    let history = get(server, &format!("/api/v1/organisations/{id}/history"))
        .await
        .expect(StatusCode::OK);
    let events = history["items"].as_array().unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["update", "create"], "newest first");
    assert!(events.iter().all(|e| e["actor"] == "admin@e2e.example"));
    assert_eq!(events[0]["before"]["name"], "Vänersborgs kommun");
    assert_eq!(events[0]["after"]["name"], "Melleruds kommun");

    let trail = get(
        server,
        &format!("/api/v1/audit?entity=organisation&entity_id={id}"),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(trail["items"].as_array().unwrap().len(), 2);
    get(
        server,
        "/api/v1/organisations/0190c2d4-6a8e-7d1c-9b7e-000000000000/history",
    )
    .await
    .expect_problem(StatusCode::NOT_FOUND, None);
    // Managers read histories; only admins read the whole trail.
    let manager = client_with_token(&server.token_with_role("manager"));
    send_with(
        &manager,
        Method::GET,
        &server.url(&format!("/api/v1/organisations/{id}/history")),
        None,
    )
    .await
    .expect(StatusCode::OK);
    send_with(&manager, Method::GET, &server.url("/api/v1/audit"), None)
        .await
        .expect_problem(StatusCode::FORBIDDEN, None);
}
