//! The meeting form's submit beside the JSON API's, in the same run: the
//! seed's partner day (12 attendee rows, 6 agenda items, 2 outcomes, 2
//! follow-ups) sent over and over, once as the form `/meetings/new` sends
//! it (names, found on the server), once as `POST /api/v1/meetings` takes
//! it (ids), against the release binary on the demo database.
//!
//! The machinery is `api_load`'s (`benches/load/`): one `samverkan serve`
//! pinned to the first CPU with `taskset`, this load generator on the last,
//! the server's CPU time read from `/proc` around each scenario. The form
//! is sent with a session cookie and its CSRF token (the bench signs in
//! once, through the form); its answer is the redirect to the new
//! meeting's page, which is not followed (the API's answer is the meeting
//! itself). Each request writes a meeting, so the database grows during the
//! run: the scenarios run form, API, API, form, so that both meet it as
//! large on average.
//!
//! Prints a table with requests/s, p50 and p99, server CPU per request and
//! the ratio form ÷ API; the target is at most 1.2×.
//!
//! Run with `cargo bench --bench meeting_form` (`SAMVERKAN_LOAD_SECONDS`,
//! `SAMVERKAN_LOAD_WARMUP_SECONDS`, `SAMVERKAN_LOAD_CONNECTIONS`: 4 by
//! default, as many strategists saving at once is rare). Without `--bench`
//! (as `cargo test --benches` runs it) it makes a smoke run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod load;

use load::{
    Config, Kind, Scenario, Server, add_user, admin_token, attribute, client, load_average, run_scenario,
    sign_in, split_cores,
};
use samverkan_store::Store;
use serde_json::{Value, json};

const TARGET_CPU_RATIO: f64 = 1.2;
const EMAIL: &str = "form-bench@example.org";
const PASSWORD: &str = "a bench password, long enough";

fn main() {
    let server_core = split_cores();
    let config = Config::from_env(4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(config, server_core));
}

/// A name by id, read once from the API.
async fn name_of(api: &reqwest::Client, server: &Server, kind: &str, id: &Value) -> String {
    let Some(id) = id.as_str() else {
        return String::new();
    };
    let record: Value = api
        .get(server.url(&format!("/api/v1/{kind}/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    record["name"]
        .as_str()
        .or(record["full_name"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// The demo's partner day, as the API's request body and as the form's
/// fields with the same content (people and organisations by name).
async fn the_day(api: &reqwest::Client, server: &Server) -> (Vec<u8>, Vec<(String, String)>) {
    let list: Value = api
        .get(server.url("/api/v1/meetings?limit=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"]
        .as_str()
        .expect("the demo's partner day")
        .to_owned();
    let day: Value = api
        .get(server.url(&format!("/api/v1/meetings/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let outcome_ids: Vec<&Value> = day["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    let json_body = json!({
        "title": day["title"],
        "kind": day["kind"],
        "starts_at": day["starts_at"],
        "all_day": day["all_day"],
        "location": day["location"],
        "host_organisation_id": day["host_organisation_id"],
        "summary": day["summary"],
        "tags": day["tags"],
        "status": day["status"],
        "attendees": day["attendees"].as_array().unwrap().iter().map(|a| json!({
            "representative_id": a["representative_id"],
            "organisation_id": if a["representative_id"].is_null() { a["organisation_id"].clone() } else { Value::Null },
            "role": a["role"],
            "status": a["status"],
        })).collect::<Vec<_>>(),
        "agenda": day["agenda"].as_array().unwrap().iter().map(|item| json!({
            "title": item["title"],
            "description": item["description"],
            "presenter_ids": item["presenter_ids"],
        })).collect::<Vec<_>>(),
        "outcomes": day["outcomes"].as_array().unwrap().iter().map(|o| json!({
            "kind": o["kind"],
            "text": o["text"],
        })).collect::<Vec<_>>(),
        "follow_ups": day["follow_ups"].as_array().unwrap().iter().map(|f| json!({
            "title": f["title"],
            "details": f["details"],
            "owner_id": f["owner_id"],
            "organisation_id": f["organisation_id"],
            "due_on": f["due_on"],
            "status": f["status"],
            "outcome_index": outcome_ids.iter().position(|id| **id == f["outcome_id"]),
        })).collect::<Vec<_>>(),
    });

    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let mut form: Vec<(String, String)> = vec![
        ("title".into(), text(&day["title"])),
        ("kind".into(), text(&day["kind"])),
        ("date".into(), text(&day["date"])),
        ("location".into(), text(&day["location"])),
        (
            "host".into(),
            name_of(api, server, "organisations", &day["host_organisation_id"]).await,
        ),
        ("summary".into(), text(&day["summary"])),
        (
            "tags".into(),
            day["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(text)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("status".into(), text(&day["status"])),
    ];
    let mut names = std::collections::HashMap::new();
    for (i, attendee) in day["attendees"].as_array().unwrap().iter().enumerate() {
        if attendee["representative_id"].is_null() {
            let organisation = name_of(api, server, "organisations", &attendee["organisation_id"]).await;
            form.push((format!("attendees-{i}-organisation"), organisation));
        } else {
            let name = name_of(api, server, "representatives", &attendee["representative_id"]).await;
            names.insert(text(&attendee["representative_id"]), name.clone());
            form.push((format!("attendees-{i}-person"), name));
        }
        form.push((format!("attendees-{i}-role"), text(&attendee["role"])));
        form.push((format!("attendees-{i}-status"), text(&attendee["status"])));
    }
    for (i, item) in day["agenda"].as_array().unwrap().iter().enumerate() {
        let presenters: Vec<String> = item["presenter_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| names[&text(id)].clone())
            .collect();
        form.push((format!("agenda-{i}-title"), text(&item["title"])));
        form.push((format!("agenda-{i}-presenters"), presenters.join(", ")));
        form.push((format!("agenda-{i}-description"), text(&item["description"])));
    }
    for (i, outcome) in day["outcomes"].as_array().unwrap().iter().enumerate() {
        form.push((format!("outcomes-{i}-kind"), text(&outcome["kind"])));
        form.push((format!("outcomes-{i}-text"), text(&outcome["text"])));
    }
    for (i, follow_up) in day["follow_ups"].as_array().unwrap().iter().enumerate() {
        form.push((format!("follow_ups-{i}-title"), text(&follow_up["title"])));
        form.push((format!("follow_ups-{i}-details"), text(&follow_up["details"])));
        form.push((
            format!("follow_ups-{i}-owner"),
            names[&text(&follow_up["owner_id"])].clone(),
        ));
        let organisation = name_of(api, server, "organisations", &follow_up["organisation_id"]).await;
        form.push((format!("follow_ups-{i}-organisation"), organisation));
        form.push((format!("follow_ups-{i}-due"), text(&follow_up["due_on"])));
        form.push((format!("follow_ups-{i}-status"), text(&follow_up["status"])));
        if let Some(outcome) = outcome_ids.iter().position(|id| **id == follow_up["outcome_id"]) {
            form.push((format!("follow_ups-{i}-outcome"), (outcome + 1).to_string()));
        }
    }
    form.push(("action".into(), "save".into()));
    (serde_json::to_vec(&without_nulls(json_body)).unwrap(), form)
}

/// `value` with every null field left out (the request takes absent, not
/// null, for a field not given).
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| (name, without_nulls(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Two runs of one scenario as one.
fn merged(mut first: load::Outcome, second: load::Outcome) -> load::Outcome {
    first.ok += second.ok;
    first.errors += second.errors;
    first.error_samples.extend(second.error_samples);
    first.elapsed += second.elapsed;
    first.body_bytes += second.body_bytes;
    first.latencies.extend(second.latencies);
    first.latencies.sort_unstable();
    first.server_cpu = first.server_cpu.zip(second.server_cpu).map(|(a, b)| a + b);
    first.client_cpu = first.client_cpu.zip(second.client_cpu).map(|(a, b)| a + b);
    first
}

async fn run(config: Config, server_core: Option<usize>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = dir.path().join("form.db");
    let database_url = format!("sqlite://{}?mode=rwc", database.display());
    let store = Store::open(&database_url).await.expect("open the store");
    store.load_demo().await.expect("load the demo partner day");
    store.close().await.expect("close the store");
    add_user(&database_url, EMAIL, PASSWORD, "strategist");
    let token = admin_token(&database_url).await;
    let server = Server::start(&database_url, &dir.path().join("server.log"), server_core);
    let session = sign_in(&server, EMAIL, PASSWORD).await;

    let api = client(
        &[(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {}", token.expose()),
        )],
        config.connections,
    );
    let web = client(&[(reqwest::header::COOKIE, session)], config.connections);
    let page = web.get(server.url("/meetings/new")).send().await.unwrap();
    assert!(page.status().is_success(), "GET /meetings/new: {}", page.status());
    let html = page.text().await.unwrap();
    let csrf = attribute(&html, "name=\"_csrf\"", "value")
        .expect("a _csrf field")
        .to_owned();

    let (json_body, mut form) = the_day(&api, &server).await;
    form.push(("_csrf".into(), csrf));
    let form_body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&form)
        .finish()
        .into_bytes();
    // Once each, checked, before the load.
    let answer = web
        .post(server.url("/meetings/new"))
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body.clone())
        .send()
        .await
        .unwrap();
    let location = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        answer.status() == reqwest::StatusCode::SEE_OTHER && location.starts_with("/meetings/"),
        "the form did not save the day: {} {location}\n{}",
        answer.status(),
        answer
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(2000)
            .collect::<String>()
    );

    let mode = if config.smoke { " (smoke run)" } else { "" };
    eprintln!(
        "meeting_form{mode}: {} connections, {} s per scenario; load average {}",
        config.connections,
        config.seconds,
        load_average()
    );
    // Form, API, API, form: each request writes a meeting, so the database
    // grows through the run; in this order both meet it as large on average.
    let form_scenario = || Scenario {
        name: "POST /meetings/new (form)".into(),
        kind: Kind::Write,
        urls: vec![server.url("/meetings/new")],
        also: Vec::new(),
        bodies: vec![form_body.clone()],
    };
    let api_scenario = || Scenario {
        name: "POST /api/v1/meetings (JSON)".into(),
        kind: Kind::Write,
        urls: vec![server.url("/api/v1/meetings")],
        also: Vec::new(),
        bodies: vec![json_body.clone()],
    };
    let pid = server.child.id();
    let first_form = run_scenario(&web, form_scenario(), &config, pid).await;
    let first_api = run_scenario(&api, api_scenario(), &config, pid).await;
    let second_api = run_scenario(&api, api_scenario(), &config, pid).await;
    let second_form = run_scenario(&web, form_scenario(), &config, pid).await;
    let form_outcome = merged(first_form, second_form);
    let api_outcome = merged(first_api, second_api);

    let per_request = |outcome: &load::Outcome| {
        outcome
            .server_cpu
            .map(|cpu| cpu.as_secs_f64() * 1e6 / outcome.ok.max(1) as f64)
    };
    let ratio = per_request(&form_outcome)
        .zip(per_request(&api_outcome))
        .map(|(f, a)| f / a);
    println!("| request | req/s | p50 ms | p99 ms | server CPU µs/req | ÷ JSON |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (outcome, shown) in [(&form_outcome, ratio), (&api_outcome, Some(1.0))] {
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {} | {} |",
            outcome.name,
            outcome.per_second(),
            outcome.percentile_ms(50.0),
            outcome.percentile_ms(99.0),
            outcome.cpu_per_request_us(outcome.server_cpu),
            shown.map_or("–".into(), |r| format!("{r:.2}×")),
        );
    }
    for outcome in [&form_outcome, &api_outcome] {
        assert_eq!(
            outcome.errors, 0,
            "{}: {} errors, e.g. {:?}",
            outcome.name, outcome.errors, outcome.error_samples
        );
    }
    if !config.smoke {
        match ratio {
            Some(ratio) if ratio <= TARGET_CPU_RATIO => {
                println!(
                    "target met: the form's server time is {ratio:.2}× the API's (at most {TARGET_CPU_RATIO}×)"
                )
            }
            Some(ratio) => println!(
                "target MISSED: the form's server time is {ratio:.2}× the API's (at most {TARGET_CPU_RATIO}×)"
            ),
            None => println!("no server CPU time could be read (not Linux?)"),
        }
    }
}
