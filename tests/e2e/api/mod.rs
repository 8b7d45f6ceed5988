//! The HTTP API, over real HTTP.

mod access;
mod basics;
mod bodies;
mod crash;
mod engagement;
mod hardening;
mod lists;
mod meetings;
mod privacy;
mod reports;
mod slow_clients;
mod storage;
mod text;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server::TestServer;

/// A response: status, JSON body (`Null` when empty) and headers.
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The body, after checking the status.
    pub fn expect(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "body: {}", self.body);
        self.body
    }

    /// Checks an RFC 9457 problem: status, content type, shape, and (when
    /// given) that `errors` names `field`.
    pub fn expect_problem(self, status: StatusCode, field: Option<&str>) -> Value {
        assert_eq!(self.status, status, "body: {}", self.body);
        let content_type = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            content_type.starts_with("application/problem+json"),
            "content type {content_type}"
        );
        assert_eq!(self.body["status"], json!(status.as_u16()));
        for member in ["type", "title", "detail"] {
            assert!(
                self.body[member].is_string(),
                "problem without {member}: {}",
                self.body
            );
        }
        if let Some(field) = field {
            let fields: Vec<&str> = self.body["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["field"].as_str())
                .collect();
            assert!(
                fields.contains(&field),
                "expected an error for {field}, got {fields:?}: {}",
                self.body
            );
        }
        self.body
    }
}

pub async fn send(server: &TestServer, method: reqwest::Method, path: &str, body: Option<&Value>) -> Answer {
    send_with(&server.client, method, &server.url(path), body).await
}

/// Sends with `client` (and its token) to a full `url`.
pub async fn send_with(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<&Value>,
) -> Answer {
    let mut request = client.request(method, url);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("a JSON body")
    };
    Answer {
        status,
        body,
        headers,
    }
}

pub async fn get(server: &TestServer, path: &str) -> Answer {
    send(server, reqwest::Method::GET, path, None).await
}

pub async fn post(server: &TestServer, path: &str, body: &Value) -> Answer {
    send(server, reqwest::Method::POST, path, Some(body)).await
}

pub async fn patch(server: &TestServer, path: &str, body: &Value) -> Answer {
    send(server, reqwest::Method::PATCH, path, Some(body)).await
}

pub async fn delete(server: &TestServer, path: &str) -> Answer {
    send(server, reqwest::Method::DELETE, path, None).await
}

/// Creates an organisation and returns its id.
pub async fn organisation(server: &TestServer, name: &str, kind: &str) -> String {
    let body = post(
        server,
        "/api/v1/organisations",
        &json!({ "name": name, "kind": kind }),
    )
    .await
    .expect(StatusCode::CREATED);
    body["id"].as_str().expect("an id").to_owned()
}

/// Creates a representative and returns their id.
pub async fn person(
    server: &TestServer,
    name: &str,
    organisation_id: &str,
    title: &str,
    is_minor: bool,
) -> String {
    let request = json!({ "full_name": name, "organisation_id": organisation_id, "title": title, "is_minor": is_minor });
    let body = post(server, "/api/v1/representatives", &request)
        .await
        .expect(StatusCode::CREATED);
    body["id"].as_str().expect("an id").to_owned()
}

/// Every item of a list, walking its pages.
pub async fn walk(server: &TestServer, path: &str, limit: u32) -> Vec<Value> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{path}{separator}limit={limit}");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let page = get(server, &url).await.expect(StatusCode::OK);
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
}

/// The seed partner day's people and organisations, created through the API,
/// and the body that logs the day in one call.
pub struct Seed {
    pub host: String,
    pub university: String,
    pub organisations: Vec<(String, String)>,
    pub people: Vec<(String, String)>,
    pub meeting: Value,
}

impl Seed {
    pub fn person(&self, name: &str) -> String {
        self.people
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.clone())
            .expect("a seed person")
    }

    pub fn organisation(&self, name: &str) -> String {
        self.organisations
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.clone())
            .expect("a seed organisation")
    }
}

/// The period the seed partner day (2024-04-26) falls in, as query parameters.
pub const APRIL: &str = "from=2024-04-01&to=2024-04-30";

/// The seed's records, and the partner day logged with one call: the
/// meeting as the API answered it (201).
pub async fn log_seed_day(server: &TestServer) -> (Seed, Value) {
    let seed = seed(server).await;
    let meeting = post(server, "/api/v1/meetings", &seed.meeting)
        .await
        .expect(StatusCode::CREATED);
    (seed, meeting)
}

pub async fn seed(server: &TestServer) -> Seed {
    let mut organisations = Vec::new();
    for (name, kind) in [
        ("Kunskapsförbundet Väst", "education_provider"),
        ("Högskolan Väst", "university"),
        ("GKN Aerospace", "company"),
        ("NU-sjukvården", "healthcare"),
        ("Vattenfall", "company"),
        ("Trollhättans stad", "municipality"),
        ("Support Group Network", "association"),
    ] {
        organisations.push((name.to_owned(), organisation(server, name, kind).await));
    }
    let host = organisations[0].1.clone();
    let university = organisations[1].1.clone();
    let mut people = Vec::new();
    for (name, at, title, minor) in [
        ("Maria Hildefors", &host, "Förbundsdirektör", false),
        ("Lisa Thörn", &host, "Utvecklingschef", false),
        ("Jan-Erik Aronsson", &host, "Förbundsstrateg", false),
        ("Tilde", &host, "Elev", true),
        ("Arsema", &host, "Elev", true),
        ("Maria Derner", &university, "Kommunikationschef", false),
        ("Jan Theliander", &university, "Senior advisor", false),
        ("Lena Lindhé", &university, "Samverkansstrateg", false),
    ] {
        people.push((name.to_owned(), person(server, name, at, title, minor).await));
    }
    let id = |name: &str| {
        people
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.clone())
            .expect("a person")
    };
    let mut attendees: Vec<Value> = people
        .iter()
        .map(|(name, person)| {
            let role = if name == "Maria Hildefors" {
                "host"
            } else {
                "presenter"
            };
            json!({ "representative_id": person, "role": role, "status": "attended" })
        })
        .collect();
    for (name, org) in &organisations[2..] {
        let status = if name == "Trollhättans stad" {
            "invited"
        } else {
            "attended"
        };
        attendees.push(json!({ "organisation_id": org, "role": "participant", "status": status }));
    }
    let meeting = json!({
        "title": "Strategisk partnerträff",
        "kind": "partner_day",
        "starts_at": "2024-04-26T00:00:00+02:00",
        "all_day": true,
        "location": "Drömfabriken, Kunskapsförbundet Västs förbundskontor, Trollhättan",
        "host_organisation_id": host,
        "summary": "Heldag för Högskolan Västs strategiska partner, med temat Tillsammanskraft.",
        "tags": ["tillsammanskraft"],
        "status": "held",
        "attendees": attendees,
        "agenda": [
            { "title": "Kunskapsförbundets mål och organisation", "presenter_ids": [id("Maria Hildefors")] },
            { "title": "Nya reformer för gymnasie- och vuxenutbildningen",
              "presenter_ids": [id("Lisa Thörn"), id("Jan-Erik Aronsson")] },
            { "title": "Diskussion: samhällets kompetensbehov", "presenter_ids": [], "duration_minutes": 60 },
            { "title": "Ungdomsbarometern", "presenter_ids": [id("Maria Derner")] },
            { "title": "Wexus – en samverkansarena för hållbar utveckling",
              "presenter_ids": [id("Jan Theliander"), id("Lena Lindhé")], "tags": ["hållbarhet"] },
            { "title": "Elevernas framtidsdrömmar", "description": "APL och förväntningar på arbetslivet.",
              "presenter_ids": [id("Tilde"), id("Arsema")] }
        ],
        "outcomes": [
            { "kind": "insight", "text": "Att mötas bygger broar mellan utbildning och arbetsliv.", "agenda_index": 1 },
            { "kind": "agreement", "text": "Partnerskapen bygger på ömsesidighet och gemensam samhällsnytta." }
        ],
        "follow_ups": [
            { "title": "Exempel: dela ungdomsbarometerns resultat", "owner_id": id("Maria Derner"),
              "organisation_id": university, "due_on": "2024-06-14" },
            { "title": "Exempel: boka nästa partnerträff", "owner_id": id("Lena Lindhé"),
              "due_on": "2024-09-30", "status": "in_progress", "outcome_index": 1 }
        ]
    });
    Seed {
        host,
        university,
        organisations,
        people,
        meeting,
    }
}
