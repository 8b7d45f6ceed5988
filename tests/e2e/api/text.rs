//! One text, one form, over HTTP: what is typed decomposed is stored
//! composed and found either way; invisible and bidirectional tricks are
//! refused naming the field.

use reqwest::StatusCode;
use serde_json::json;

use super::{get, post};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(texts_are_composed_found_either_way_and_tricks_refused);

const COMPOSED: &str = "kompetensförsörjning";
const DECOMPOSED: &str = "kompetensfo\u{0308}rso\u{0308}rjning";

/// `text` percent-encoded for a query string, byte by byte.
fn encoded(text: &str) -> String {
    text.bytes().map(|byte| format!("%{byte:02X}")).collect()
}

async fn texts_are_composed_found_either_way_and_tricks_refused(server: &TestServer) {
    let organisations = "/api/v1/organisations";
    // 200 visible "é", typed decomposed: 400 code points sent, 200 stored.
    let name = "e\u{0301}".repeat(200);
    let created = post(
        server,
        organisations,
        &json!({ "name": name, "kind": "company", "tags": [COMPOSED, DECOMPOSED] }),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(created["name"], json!("é".repeat(200)));
    assert_eq!(created["tags"], json!([COMPOSED]));
    post(
        server,
        organisations,
        &json!({ "name": "Vattenfall", "kind": "company", "tags": [DECOMPOSED] }),
    )
    .await
    .expect(StatusCode::CREATED);
    for typed in [COMPOSED, DECOMPOSED] {
        let page = get(server, &format!("{organisations}?tag={}", encoded(typed)))
            .await
            .expect(StatusCode::OK);
        assert_eq!(page["items"].as_array().map(Vec::len), Some(2), "tag={typed:?}");
    }

    for (name, why) in [
        ("\u{200B}\u{2060}\u{FEFF}", "invisible"),
        ("Högskolan \u{202E}tsäV", "bidirectional"),
    ] {
        let problem = post(server, organisations, &json!({ "name": name, "kind": "company" }))
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("name"));
        assert!(problem["detail"].as_str().unwrap().contains(why), "{problem}");
    }
    let person = json!({
        "full_name": "Lena \u{2067}Lindhé\u{2069}",
        "organisation_id": created["id"],
    });
    post(server, "/api/v1/representatives", &person)
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY, Some("full_name"));
    assert_eq!(super::walk(server, organisations, 50).await.len(), 2);
}
