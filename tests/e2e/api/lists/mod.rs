//! Lists, filters, search and timelines: every page walked, every filter
//! checked against exactly the rows it must return. One file per part;
//! here, what they share.

mod filters;
mod pagination;
mod search;
mod timelines;

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Seed, delete, post, seed};
use crate::server::TestServer;

/// Percent-encodes a query parameter value (Swedish letters, spaces, `%`).
fn enc(value: &str) -> String {
    let mut encoded = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The string member `key` of every item.
fn strings(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|item| {
            item[key]
                .as_str()
                .unwrap_or_else(|| panic!("no {key} in {item}"))
                .to_owned()
        })
        .collect()
}

fn id_of(body: &Value) -> String {
    body["id"].as_str().expect("an id").to_owned()
}

fn assert_once(items: &[Value]) {
    let ids = strings(items, "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a row repeats: {ids:?}");
}

/// Logs a meeting through the API and returns what it answered.
async fn log_meeting(server: &TestServer, meeting: &Value) -> Value {
    post(server, "/api/v1/meetings", meeting)
        .await
        .expect(StatusCode::CREATED)
}

/// A bare meeting: a title, a kind and a start.
fn bare_meeting(title: &str, starts_at: &str) -> Value {
    json!({ "title": title, "kind": "other", "starts_at": starts_at, "status": "held" })
}

async fn create_follow_up(server: &TestServer, body: &Value) -> String {
    id_of(
        &post(server, "/api/v1/follow-ups", body)
            .await
            .expect(StatusCode::CREATED),
    )
}

async fn create_partnership(server: &TestServer, body: &Value) -> String {
    id_of(
        &post(server, "/api/v1/partnerships", body)
            .await
            .expect(StatusCode::CREATED),
    )
}

/// The seed day and five more meetings around it, for the meeting filters
/// and the timelines:
///
/// | meeting | starts (Stockholm)      | kind           | host         | attendees                                           |
/// |---------|-------------------------|----------------|--------------|-----------------------------------------------------|
/// | a       | 2024-04-26 (all day)    | partner_day    | Kunskapsf.   | the seed day's                                      |
/// | b       | 2024-12-31 23:30        | workshop       | GKN          | Lena Lindhé attended                                |
/// | c       | 2025-01-01 (all day)    | steering_group | –            | Vattenfall invited, Maria Hildefors attended, Jan-Erik Aronsson invited |
/// | d       | 2025-03-10 13:00        | site_visit     | Vattenfall   | Lisa Thörn attended                                 |
/// | e       | 2025-02-01 (archived)   | other          | Kunskapsf.   | –                                                   |
/// | f       | 2030-05-01 10:00        | one_to_one     | Vattenfall   | Lisa Thörn confirmed, Jan-Erik Aronsson invited     |
struct Day {
    seed: Seed,
    a: Value,
    b: String,
    c: String,
    d: String,
    e: String,
    f: String,
}

async fn day(server: &TestServer) -> Day {
    let seed = seed(server).await;
    let a = log_meeting(server, &seed.meeting).await;
    let gkn = seed.organisation("GKN Aerospace");
    let vattenfall = seed.organisation("Vattenfall");
    let attend = |name: &str, status: &str| json!({ "representative_id": seed.person(name), "role": "participant", "status": status });
    let b = log_meeting(
        server,
        &json!({
            "title": "Nyårsmöte om kompetensförsörjning",
            "kind": "workshop",
            "starts_at": "2024-12-31T23:30:00+01:00",
            "ends_at": "2025-01-01T00:30:00+01:00",
            "location": "Innovatum, Trollhättan",
            "host_organisation_id": gkn,
            "tags": ["Kompetens"],
            "status": "held",
            "attendees": [attend("Lena Lindhé", "attended")]
        }),
    )
    .await;
    let c = log_meeting(
        server,
        &json!({
            "title": "Styrgrupp för Wexus",
            "kind": "steering_group",
            "starts_at": "2025-01-01T00:00:00+01:00",
            "all_day": true,
            "tags": ["kompetens", "wexus"],
            "status": "held",
            "attendees": [
                { "organisation_id": vattenfall, "role": "participant", "status": "invited" },
                attend("Maria Hildefors", "attended"),
                attend("Jan-Erik Aronsson", "invited")
            ]
        }),
    )
    .await;
    let d = log_meeting(
        server,
        &json!({
            "title": "Platsbesök hos Vattenfall",
            "kind": "site_visit",
            "starts_at": "2025-03-10T13:00:00+01:00",
            "location": "Stenungsund",
            "host_organisation_id": vattenfall,
            "summary": "Ångkraft och vätgas: 100 % fossilfritt.",
            "tags": ["vätgas"],
            "status": "held",
            "attendees": [attend("Lisa Thörn", "attended")]
        }),
    )
    .await;
    let e = log_meeting(
        server,
        &json!({
            "title": "Inställt möte",
            "kind": "other",
            "starts_at": "2025-02-01T10:00:00+01:00",
            "host_organisation_id": seed.host,
            "status": "cancelled"
        }),
    )
    .await;
    delete(server, &format!("/api/v1/meetings/{}", id_of(&e)))
        .await
        .expect(StatusCode::NO_CONTENT);
    let f = log_meeting(
        server,
        &json!({
            "title": "Avstämning om praktikplatser",
            "kind": "one_to_one",
            "starts_at": "2030-05-01T10:00:00+02:00",
            "host_organisation_id": vattenfall,
            "attendees": [attend("Lisa Thörn", "confirmed"), attend("Jan-Erik Aronsson", "invited")]
        }),
    )
    .await;
    assert_eq!(f["status"], json!("planned"));
    Day {
        seed,
        a,
        b: id_of(&b),
        c: id_of(&c),
        d: id_of(&d),
        e: id_of(&e),
        f: id_of(&f),
    }
}
