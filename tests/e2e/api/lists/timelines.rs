//! Timelines: each organisation's part, newest first.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{assert_once, create_follow_up, create_partnership, day, log_meeting, strings};
use crate::api::{get, organisation, walk};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(timelines_tell_each_organisations_part_newest_first);

/// (type, title, detail) of each entry.
fn entries(items: &[Value]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|entry| {
            (
                entry["type"].as_str().unwrap().to_owned(),
                entry["title"].as_str().unwrap().to_owned(),
                entry["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn triples(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect()
}

async fn timeline(server: &TestServer, organisation_id: &str, limit: u32) -> Vec<Value> {
    let items = walk(
        server,
        &format!("/api/v1/organisations/{organisation_id}/timeline"),
        limit,
    )
    .await;
    assert_once(&items);
    let times: Vec<DateTime<Utc>> = items
        .iter()
        .map(|e| e["occurred_at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
    items
}

async fn timelines_tell_each_organisations_part_newest_first(server: &TestServer) {
    let day = day(server).await;
    let seed = &day.seed;
    let a = "Strategisk partnerträff";
    let b = "Nyårsmöte om kompetensförsörjning";
    let c = "Styrgrupp för Wexus";
    let d = "Platsbesök hos Vattenfall";
    let f = "Avstämning om praktikplatser";

    // The seed day alone, for its organisations.
    for (name, detail) in [
        ("GKN Aerospace", "attended"),
        ("Trollhättans stad", "invited"),
        ("NU-sjukvården", "attended"),
    ] {
        let items = timeline(server, &seed.organisation(name), 50).await;
        let mut expected = Vec::new();
        if name == "GKN Aerospace" {
            expected.push(("meeting", b, "host"));
        }
        expected.push(("meeting", a, detail));
        assert_eq!(entries(&items), triples(&expected), "{name}");
        let last = items.last().unwrap();
        assert_eq!(last["id"], day.a["id"]);
        assert_eq!(last["occurred_at"], json!("2024-04-25T22:00:00+00:00"));
    }

    // The host, with a partnership and a follow-up made now: the future
    // meeting first, then what was made now (newest first), then the past
    // meetings; the archived meeting not at all.
    create_partnership(
        server,
        &json!({ "organisation_ids": [seed.host, seed.university], "kind": "strategic" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": day.d, "title": "Boka studiebesök för eleverna",
                 "organisation_id": seed.host, "status": "in_progress" }),
    )
    .await;
    let expected = triples(&[
        ("meeting", f, "confirmed"),
        ("follow_up", "Boka studiebesök för eleverna", "in_progress"),
        (
            "partnership",
            "strategic partnership with Högskolan Väst",
            "active",
        ),
        ("meeting", d, "attended"),
        ("meeting", c, "attended"),
        ("meeting", a, "host"),
    ]);
    let host = timeline(server, &seed.host, 50).await;
    assert_eq!(entries(&host), expected);
    assert_eq!(host[0]["id"], json!(day.f));
    assert!(
        !strings(&host, "id").contains(&day.e),
        "archived meetings are not on it"
    );
    // Pages of one walk every entry once, in the same order.
    let paged = timeline(server, &seed.host, 1).await;
    assert_eq!(paged, host);
    let paged = timeline(server, &seed.host, 4).await;
    assert_eq!(paged, host);

    let vattenfall = timeline(server, &seed.organisation("Vattenfall"), 1).await;
    assert_eq!(
        entries(&vattenfall),
        triples(&[
            ("meeting", f, "host"),
            ("meeting", d, "host"),
            ("meeting", c, "invited"),
            ("meeting", a, "attended"),
        ])
    );

    let university = timeline(server, &seed.university, 1).await;
    assert_eq!(
        entries(&university),
        triples(&[
            (
                "partnership",
                "strategic partnership with Kunskapsförbundet Väst",
                "active"
            ),
            ("follow_up", "Exempel: dela ungdomsbarometerns resultat", "open"),
            ("meeting", b, "attended"),
            ("meeting", a, "attended"),
        ])
    );

    // Follow-ups logged with a meeting are made in one go: however their
    // instants tie, pages of one walk them once, newest (last made) first.
    let nu = seed.organisation("NU-sjukvården");
    log_meeting(
        server,
        &json!({
            "title": "Vårdens kompetensbehov",
            "kind": "workshop",
            "starts_at": "2024-02-01T09:00:00+01:00",
            "status": "held",
            "attendees": [{ "organisation_id": nu, "role": "participant", "status": "attended" }],
            "follow_ups": [
                { "title": "Första uppgiften", "organisation_id": nu },
                { "title": "Andra uppgiften", "organisation_id": nu },
                { "title": "Tredje uppgiften", "organisation_id": nu, "status": "done" }
            ]
        }),
    )
    .await;
    let expected = triples(&[
        ("follow_up", "Tredje uppgiften", "done"),
        ("follow_up", "Andra uppgiften", "open"),
        ("follow_up", "Första uppgiften", "open"),
        ("meeting", a, "attended"),
        ("meeting", "Vårdens kompetensbehov", "attended"),
    ]);
    assert_eq!(entries(&timeline(server, &nu, 50).await), expected);
    assert_eq!(entries(&timeline(server, &nu, 1).await), expected);
    assert_eq!(entries(&timeline(server, &nu, 2).await), expected);

    let nobody = organisation(server, "Nytt AB", "company").await;
    assert!(timeline(server, &nobody, 1).await.is_empty());

    let unknown = uuid::Uuid::now_v7();
    get(server, &format!("/api/v1/organisations/{unknown}/timeline"))
        .await
        .expect_problem(StatusCode::NOT_FOUND, None);
    get(server, "/api/v1/organisations/not-a-uuid/timeline")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("id"));
}
