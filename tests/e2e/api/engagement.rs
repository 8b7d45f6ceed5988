//! `/api/v1/engagement`, `/api/v1/engagement/summary` and
//! `/api/v1/follow-ups/summary` over HTTP, on the seed partner day logged
//! through the API (its second follow-up names no organisation here).

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{APRIL, get, log_seed_day, post, walk};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(
    engagement_rows_carry_the_seed_figures_and_walk_in_any_order,
    bad_periods_and_parameters_are_problems,
    the_summaries_answer_the_seed_day
);

fn row<'a>(rows: &'a [Value], name: &str) -> &'a Value {
    rows.iter()
        .find(|row| row["name"] == json!(name))
        .unwrap_or_else(|| panic!("no row for {name}"))
}

async fn engagement_rows_carry_the_seed_figures_and_walk_in_any_order(server: &TestServer) {
    let (seed, _) = log_seed_day(server).await;

    let page = get(server, &format!("/api/v1/engagement?{APRIL}"))
        .await
        .expect(StatusCode::OK);
    let rows = page["items"].as_array().unwrap();
    assert_eq!(rows.len(), 7);
    assert_eq!(page["next_cursor"], Value::Null);
    let host = row(rows, "Kunskapsförbundet Väst");
    assert_eq!(host["organisation_id"], json!(seed.host));
    let figures = &host["current"];
    assert_eq!(figures["meetings_hosted"], 1);
    assert_eq!(figures["meetings_attended"], 1);
    assert_eq!(figures["partner_days"], 1);
    assert_eq!(figures["representatives_engaged"], 5);
    assert_eq!(figures["presentations"], 3);
    assert_eq!(figures["last_meeting_on"], "2024-04-26");
    assert_eq!(figures["days_since_last_meeting"], 4);
    assert_eq!(figures["health"], "new");
    assert_eq!(host["previous"]["meetings_hosted"], 0);
    assert_eq!(host["previous"]["health"], "dormant");
    assert_eq!(host["change"]["meetings_engaged"], 1);
    let university = &row(rows, "Högskolan Väst")["current"];
    assert_eq!(university["presentations"], 2);
    assert_eq!(university["follow_ups_opened"], 1);
    assert_eq!(university["follow_ups_open"], 1);
    assert_eq!(university["completion_rate"], 0.0);
    assert_eq!(university["median_days_to_complete"], Value::Null);
    let invited = &row(rows, "Trollhättans stad")["current"];
    assert_eq!(invited["meetings_attended"], 0);
    assert_eq!(invited["last_meeting_on"], Value::Null);
    assert_eq!(invited["health"], "dormant");

    // Pages of two, in Swedish order and in reverse by a figure.
    let names = |rows: Vec<Value>| -> Vec<String> {
        rows.iter()
            .map(|row| row["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let by_name = walk(
        server,
        &format!("/api/v1/engagement?{APRIL}&sort=name&order=asc"),
        2,
    )
    .await;
    assert_eq!(
        names(by_name),
        [
            "GKN Aerospace",
            "Högskolan Väst",
            "Kunskapsförbundet Väst",
            "NU-sjukvården",
            "Support Group Network",
            "Trollhättans stad",
            "Vattenfall",
        ]
    );
    let by_people = walk(
        server,
        &format!("/api/v1/engagement?{APRIL}&sort=representatives_engaged&order=desc"),
        2,
    )
    .await;
    let by_people = names(by_people);
    assert_eq!(by_people.len(), 7);
    assert_eq!(by_people[..2], ["Kunskapsförbundet Väst", "Högskolan Väst"]);

    // Filters.
    let universities = get(server, &format!("/api/v1/engagement?{APRIL}&kind=university"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(universities["items"].as_array().unwrap().len(), 1);
    let one = get(
        server,
        &format!("/api/v1/engagement?{APRIL}&organisation_id={}", seed.university),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(one["items"][0]["name"], "Högskolan Väst");
}

async fn bad_periods_and_parameters_are_problems(server: &TestServer) {
    let problem = |path: String, field: Option<&'static str>| async move {
        get(server, &path)
            .await
            .expect_problem(StatusCode::BAD_REQUEST, field)
    };
    let both = problem("/api/v1/engagement".into(), Some("from")).await;
    assert_eq!(both["errors"].as_array().unwrap().len(), 2, "{both}");
    problem(
        "/api/v1/engagement?from=2024-05-01&to=2024-04-30".into(),
        Some("to"),
    )
    .await;
    problem(
        "/api/v1/engagement/summary?from=2014-01-01&to=2024-01-01".into(),
        Some("to"),
    )
    .await;
    problem(
        "/api/v1/engagement/summary?from=0999-01-01&to=2024-01-01".into(),
        Some("from"),
    )
    .await;
    problem("/api/v1/engagement?from=2024-04-01&to=2024-04-31".into(), None).await;
    problem(format!("/api/v1/engagement?{APRIL}&sort=popularity"), None).await;
    problem(format!("/api/v1/engagement?{APRIL}&limit=0"), Some("limit")).await;
    problem(
        format!("/api/v1/engagement?{APRIL}&cursor=nonsense"),
        Some("cursor"),
    )
    .await;
    problem(
        "/api/v1/follow-ups/summary?as_of=0999-12-31".into(),
        Some("as_of"),
    )
    .await;
    problem("/api/v1/follow-ups/summary?limit=501".into(), Some("limit")).await;

    // A cursor belongs to its period and sort.
    for name in ["A", "B", "C"] {
        post(
            server,
            "/api/v1/organisations",
            &json!({ "name": format!("Organisation {name}"), "kind": "company" }),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let page = get(server, &format!("/api/v1/engagement?{APRIL}&limit=1"))
        .await
        .expect(StatusCode::OK);
    let cursor = page["next_cursor"].as_str().unwrap();
    problem(
        format!("/api/v1/engagement?{APRIL}&limit=1&sort=name&cursor={cursor}"),
        Some("cursor"),
    )
    .await;
}

async fn the_summaries_answer_the_seed_day(server: &TestServer) {
    let (seed, _) = log_seed_day(server).await;

    let summary = get(server, &format!("/api/v1/engagement/summary?{APRIL}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(summary["as_of"], "2024-04-30");
    let totals = &summary["totals"];
    assert_eq!(totals["meetings"], 1);
    assert_eq!(totals["partner_days"], 1);
    assert_eq!(totals["organisations_engaged"], 6);
    assert_eq!(totals["representatives_engaged"], 8);
    assert_eq!(totals["follow_ups_opened"], 2);
    assert_eq!(totals["follow_ups_open"], 2);
    assert_eq!(summary["previous_totals"]["meetings"], 0);
    assert_eq!(
        summary["top_tags"],
        json!([{ "tag": "tillsammanskraft", "meetings": 1 }])
    );
    assert_eq!(
        summary["meetings_per_month"],
        json!([{ "year": 2024, "month": 4, "meetings": 1 }])
    );
    assert_eq!(summary["most_engaged"].as_array().unwrap().len(), 5);
    assert_eq!(summary["least_engaged"][0]["name"], "Trollhättans stad");

    // Three days after Maria Derner's follow-up was due.
    let follow_ups = get(server, "/api/v1/follow-ups/summary?as_of=2024-06-17")
        .await
        .expect(StatusCode::OK);
    assert_eq!(follow_ups["as_of"], "2024-06-17");
    let owners = follow_ups["by_owner"].as_array().unwrap();
    assert_eq!(owners.len(), 2);
    assert_eq!(owners[0]["id"], json!(seed.person("Maria Derner")));
    assert_eq!(owners[0]["name"], "Maria Derner");
    assert_eq!(
        (owners[0]["open"].clone(), owners[0]["overdue"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(owners[0]["oldest_overdue"]["due_on"], "2024-06-14");
    assert_eq!(owners[1]["name"], "Lena Lindhé");
    assert_eq!(owners[1]["overdue"], 0);
    assert_eq!(owners[1]["oldest_overdue"], Value::Null);
    let organisations = follow_ups["by_organisation"].as_array().unwrap();
    assert_eq!(organisations[0]["id"], json!(seed.university));
    // The follow-up that names no organisation.
    assert_eq!(organisations[1]["id"], Value::Null);
    assert_eq!(organisations[1]["open"], 1);
    // On its due day it is not yet overdue.
    let on_due = get(server, "/api/v1/follow-ups/summary?as_of=2024-06-14")
        .await
        .expect(StatusCode::OK);
    assert_eq!(on_due["by_owner"][0]["overdue"], 0);
    // Without `as_of`: today.
    get(server, "/api/v1/follow-ups/summary")
        .await
        .expect(StatusCode::OK);
}

api_tests!(
    args["--health-new-days", "0", "--health-active-days", "2", "--health-cooling-days", "3"]
    health_thresholds_are_configurable
);

/// The health thresholds are the server's (`--health-*-days`).
async fn health_thresholds_are_configurable(server: &TestServer) {
    log_seed_day(server).await;
    let page = get(server, &format!("/api/v1/engagement?{APRIL}"))
        .await
        .expect(StatusCode::OK);
    let rows = page["items"].as_array().unwrap();
    // Four days after the partner day: past `cooling` (3 days).
    assert_eq!(row(rows, "Vattenfall")["current"]["health"], "dormant");
    let late = get(server, "/api/v1/engagement?from=2024-04-01&to=2024-04-29")
        .await
        .expect(StatusCode::OK);
    let rows = late["items"].as_array().unwrap();
    assert_eq!(row(rows, "Vattenfall")["current"]["health"], "cooling");
}
