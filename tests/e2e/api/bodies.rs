//! Request bodies are taken as the types their schema says: a number or a
//! boolean is not a string, and `null` is not a value where one is required.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Answer, get, organisation, post, send};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(
    scalars_and_nulls_are_not_taken_as_text_and_write_nothing,
    every_body_refuses_a_number_for_a_string
);

/// Posts `body` as it is written, so that `1e3` reaches the server as `1e3`
/// (a `serde_json::Value` would send `1000.0`).
async fn post_raw(server: &TestServer, path: &str, body: &str) -> Answer {
    let response = server
        .client
        .post(server.url(path))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    Answer {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.json().await.unwrap(),
    }
}

/// The fields the problem's `errors` name, sorted.
fn fields(problem: &Value) -> Vec<String> {
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|error| error["field"].as_str().map(ToOwned::to_owned))
        .collect();
    fields.sort_unstable();
    fields
}

async fn scalars_and_nulls_are_not_taken_as_text_and_write_nothing(server: &TestServer) {
    let organisations = "/api/v1/organisations";
    let host = organisation(server, "Högskolan Väst", "university").await;

    let problem = post_raw(
        server,
        organisations,
        r#"{"name": 12345, "kind": "company", "tags": [true, 3.5]}"#,
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("name"));
    assert_eq!(fields(&problem), ["name", "tags[0]", "tags[1]"], "{problem}");

    let problem = post_raw(
        server,
        "/api/v1/meetings",
        r#"{"title": 1e3, "summary": true, "kind": "workshop", "starts_at": "2024-04-26T09:00:00+02:00"}"#,
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("title"));
    assert_eq!(fields(&problem), ["summary", "title"], "{problem}");

    let problem = post_raw(
        server,
        "/api/v1/representatives",
        &format!(r#"{{"full_name": false, "phone": 46701234567, "organisation_id": "{host}"}}"#),
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("full_name"));
    assert_eq!(fields(&problem), ["full_name", "phone"], "{problem}");

    // Inside a meeting log: the path names the attendee.
    let problem = post(
        server,
        "/api/v1/meetings",
        &json!({
            "title": "Workshop", "kind": "workshop", "starts_at": "2024-04-26T09:00:00+02:00",
            "attendees": [{ "organisation_id": host, "role": "host", "status": "attended" },
                          { "organisation_id": 7, "role": "guest", "status": "attended" }],
        }),
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("attendees[1].organisation_id"));
    assert_eq!(fields(&problem), ["attendees[1].organisation_id"], "{problem}");

    // `null` where a value is required, or as an item of a list.
    let problem = post(
        server,
        organisations,
        &json!({ "name": null, "kind": "company", "tags": ["apl", null] }),
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("name"));
    assert_eq!(fields(&problem), ["name", "tags[1]"], "{problem}");

    // A field that may be left out is left out, not `null`: the document
    // does not call it nullable.
    post(
        server,
        organisations,
        &json!({ "name": "Vattenfall", "kind": "company", "city": null }),
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("city"));
    let vattenfall = post(
        server,
        organisations,
        &json!({ "name": "Vattenfall", "kind": "company", "city": "Trollhättan" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let path = format!("{organisations}/{}", vattenfall["id"].as_str().unwrap());

    // In a PATCH, `null` clears what may be cleared (`nullable` in the
    // document), and is refused for what may not: `{"name": null}` used
    // to answer 200 and bump the version for nothing.
    let problem = super::patch(
        server,
        &path,
        &json!({ "version": 1, "name": null, "tags": null }),
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("name"));
    assert_eq!(fields(&problem), ["name", "tags"], "{problem}");
    assert_eq!(get(server, &path).await.expect(StatusCode::OK)["version"], 1);
    let cleared = super::patch(server, &path, &json!({ "version": 1, "city": null }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(cleared["city"], Value::Null);
    assert_eq!(cleared["version"], 2);

    // Only the two good organisations were written.
    let names: Vec<Value> = super::walk(server, organisations, 50)
        .await
        .into_iter()
        .map(|organisation| organisation["name"].clone())
        .collect();
    assert_eq!(names, [json!("Högskolan Väst"), json!("Vattenfall")]);
    for path in ["/api/v1/meetings", "/api/v1/representatives"] {
        let page = get(server, path).await.expect(StatusCode::OK);
        assert_eq!(page["items"], json!([]), "{path}");
    }
}

/// Resolves a `$ref` of the document to its schema.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &document["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Every operation that takes a body refuses a number in each of its string
/// fields (and in each item of a list of strings), naming the field: the
/// check covers the whole API, not only the bodies someone remembered.
async fn every_body_refuses_a_number_for_a_string(server: &TestServer) {
    let document: Value = get(server, "/api/openapi.json").await.expect(StatusCode::OK);
    let unknown = "0190c2d4-6a8e-7d1c-9b7e-000000000000";
    let mut checked = 0;
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let Some(content) = operation["requestBody"]["content"].as_object() else {
                continue;
            };
            let schema = resolve(&document, &content["application/json; charset=utf-8"]["schema"]);
            let url: Vec<&str> = path
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        unknown
                    } else {
                        segment
                    }
                })
                .collect();
            let url = url.join("/");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for (name, property) in schema["properties"].as_object().unwrap() {
                let property = resolve(&document, property);
                let (body, field) = if property["type"] == "string" {
                    (json!({ name: 12345 }), name.clone())
                } else if resolve(&document, &property["items"])["type"] == "string" {
                    (json!({ name: [12345] }), format!("{name}[0]"))
                } else {
                    continue;
                };
                send(server, method.clone(), &url, Some(&body))
                    .await
                    .expect_problem(StatusCode::BAD_REQUEST, Some(&field));
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "only {checked} fields were checked");
}
