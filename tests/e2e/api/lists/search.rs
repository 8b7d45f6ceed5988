//! Search: every kind of record found, with Swedish letters in both cases;
//! snippets and ranking.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{bare_meeting, enc, id_of, log_meeting};
use crate::api::{delete, get, organisation, seed};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(
    search_finds_every_kind_with_swedish_letters_in_both_cases,
    search_snippets_quote_the_stored_text,
    search_snippets_show_the_match_in_multi_line_text,
    search_ranks_an_exact_name_first_among_many_candidates,
);

/// The hits for `q`, each checked for shape.
async fn search(server: &TestServer, q: &str) -> Vec<Value> {
    let body = get(server, &format!("/api/v1/search?q={}", enc(q)))
        .await
        .expect(StatusCode::OK);
    let hits = body["items"].as_array().cloned().expect("items");
    for hit in &hits {
        for member in ["type", "id", "title", "snippet"] {
            assert!(hit[member].is_string(), "{member} in {hit}");
        }
        assert!(hit["score"].is_u64(), "score in {hit}");
    }
    let scores: Vec<u64> = hits.iter().map(|h| h["score"].as_u64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    hits
}

/// (type, title) of each hit.
fn kinds_and_titles(hits: &[Value]) -> Vec<(String, String)> {
    hits.iter()
        .map(|hit| {
            (
                hit["type"].as_str().unwrap().to_owned(),
                hit["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(kind, title)| ((*kind).to_owned(), (*title).to_owned()))
        .collect()
}

async fn search_finds_every_kind_with_swedish_letters_in_both_cases(server: &TestServer) {
    let seed = seed(server).await;
    let meeting = log_meeting(server, &seed.meeting).await;
    let meeting_id = id_of(&meeting);
    let library = organisation(server, "Trollhättans stadsbibliotek", "public_agency").await;

    // organisation: an exact name first, then a prefix.
    let trollhattan = seed.organisation("Trollhättans stad");
    for q in ["TROLLHÄTTANS STAD", "trollhättans stad", "Trollhättans Stad"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[
                ("organisation", "Trollhättans stad"),
                ("organisation", "Trollhättans stadsbibliotek")
            ]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(trollhattan));
        assert_eq!(hits[1]["id"], json!(library));
        assert!(hits[0]["score"].as_u64() > hits[1]["score"].as_u64());
        assert_eq!(hits[0]["snippet"], json!("Trollhättans stad"));
        assert!(hits[1]["snippet"].as_str().unwrap().contains("Trollhättans stad"));
        assert_eq!(hits[0]["meeting_id"], Value::Null);
    }
    assert!(search(server, "trollhattans stad").await.is_empty());

    // representative
    let lena = seed.person("Lena Lindhé");
    for q in ["LINDHÉ", "lindhé", "lindhe", "Lindhe"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("representative", "Lena Lindhé")]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(lena));
        assert!(hits[0]["snippet"].as_str().unwrap().contains("Lindhé"));
    }
    for q in ["THÖRN", "thörn"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("representative", "Lisa Thörn")]),
            "q={q}"
        );
        assert!(hits[0]["snippet"].as_str().unwrap().contains("Thörn"));
    }
    assert!(search(server, "thorn").await.is_empty());

    // agenda_item (an exact title) and follow_up (a word inside a title).
    let item = meeting["agenda"][3]["id"].as_str().unwrap().to_owned();
    let follow_up = meeting["follow_ups"][0]["id"].as_str().unwrap().to_owned();
    for q in ["ungdomsbarometern", "UNGDOMSBAROMETERN"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[
                ("agenda_item", "Ungdomsbarometern"),
                ("follow_up", "Exempel: dela ungdomsbarometerns resultat")
            ]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(item));
        assert_eq!(hits[0]["meeting_id"], json!(meeting_id));
        assert_eq!(hits[0]["snippet"], json!("Ungdomsbarometern"));
        assert_eq!(hits[1]["id"], json!(follow_up));
        assert_eq!(hits[1]["meeting_id"], json!(meeting_id));
        assert!(
            hits[1]["snippet"]
                .as_str()
                .unwrap()
                .contains("ungdomsbarometerns")
        );
        assert!(hits[0]["score"].as_u64() > hits[1]["score"].as_u64());
    }
    let hits = search(server, "ungdomsbarometerns").await;
    assert_eq!(
        kinds_and_titles(&hits),
        pairs(&[("follow_up", "Exempel: dela ungdomsbarometerns resultat")])
    );

    // agenda_item, matched in its description.
    for q in ["FÖRVÄNTNINGAR", "förväntningar"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("agenda_item", "Elevernas framtidsdrömmar")]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], meeting["agenda"][5]["id"]);
        assert!(hits[0]["snippet"].as_str().unwrap().contains("förväntningar"));
    }
    let hits = search(server, "WEXUS").await;
    assert_eq!(
        kinds_and_titles(&hits),
        pairs(&[("agenda_item", "Wexus – en samverkansarena för hållbar utveckling")])
    );
    assert!(hits[0]["snippet"].as_str().unwrap().contains("Wexus"));

    // meeting, matched in its location.
    for q in ["DRÖMFABRIKEN", "drömfabriken"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("meeting", "Strategisk partnerträff")]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(meeting_id));
        assert_eq!(hits[0]["meeting_id"], json!(meeting_id));
        assert!(hits[0]["snippet"].as_str().unwrap().contains("Drömfabriken"));
    }
    assert!(search(server, "dromfabriken").await.is_empty());

    // outcome
    for q in ["ÖMSESIDIGHET", "ömsesidighet"] {
        let hits = search(server, q).await;
        assert_eq!(hits.len(), 1, "q={q}: {hits:?}");
        assert_eq!(hits[0]["type"], json!("outcome"));
        assert_eq!(hits[0]["id"], meeting["outcomes"][1]["id"]);
        assert_eq!(hits[0]["meeting_id"], json!(meeting_id));
        assert!(hits[0]["snippet"].as_str().unwrap().contains("ömsesidighet"));
        assert!(
            hits[0]["title"]
                .as_str()
                .unwrap()
                .starts_with("Partnerskapen bygger")
        );
    }

    // Equal scores: by kind (meeting before follow-up).
    let hits = search(server, "PARTNERTRÄFF").await;
    assert_eq!(
        kinds_and_titles(&hits),
        pairs(&[
            ("meeting", "Strategisk partnerträff"),
            ("follow_up", "Exempel: boka nästa partnerträff")
        ])
    );

    // limit
    assert_eq!(
        get(server, "/api/v1/search?q=väst&limit=1")
            .await
            .expect(StatusCode::OK)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    for bad in ["0", "101"] {
        get(server, &format!("/api/v1/search?q=a&limit={bad}"))
            .await
            .expect_problem(StatusCode::BAD_REQUEST, Some("limit"));
    }

    // Archived records are not found.
    delete(
        server,
        &format!(
            "/api/v1/organisations/{}",
            seed.organisation("Support Group Network")
        ),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    assert!(search(server, "support group").await.is_empty());

    // An empty or blank q, or none.
    for q in ["", "%20%20"] {
        get(server, &format!("/api/v1/search?q={q}"))
            .await
            .expect_problem(StatusCode::BAD_REQUEST, Some("q"));
    }
    get(server, "/api/v1/search")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("q"));
    get(server, &format!("/api/v1/search?q={}", "x".repeat(201)))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("q"));
}

/// A snippet is "the text around the match": the stored text, as written,
/// also when the match is in a representative's title.
async fn search_snippets_quote_the_stored_text(server: &TestServer) {
    let seed = seed(server).await;
    for q in ["SAMVERKANSSTRATEG", "samverkansstrateg"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("representative", "Lena Lindhé")]),
            "q={q}"
        );
        assert_eq!(hits[0]["id"], json!(seed.person("Lena Lindhé")));
        let snippet = hits[0]["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("Samverkansstrateg"),
            "the snippet quotes the title as stored, got {snippet:?}"
        );
    }
}

/// In a multi-line text (a summary with blank lines and indented lists,
/// kept as written) the snippet still holds the match.
async fn search_snippets_show_the_match_in_multi_line_text(server: &TestServer) {
    let mut summary = String::from("Program:\n");
    for i in 1..=25 {
        summary.push_str(&format!("\n    - Punkt {i}\n"));
    }
    summary.push_str("\nVi avslutade i Drömfabriken.");
    let mut meeting = bare_meeting("Programdag", "2024-05-02T10:00:00+02:00");
    meeting["summary"] = json!(summary);
    let logged = log_meeting(server, &meeting).await;
    assert_eq!(
        logged["summary"],
        json!(summary),
        "the summary is kept as written"
    );
    for q in ["DRÖMFABRIKEN", "drömfabriken"] {
        let hits = search(server, q).await;
        assert_eq!(
            kinds_and_titles(&hits),
            pairs(&[("meeting", "Programdag")]),
            "q={q}"
        );
        let snippet = hits[0]["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("Drömfabriken"),
            "the snippet holds the match, got {snippet:?}"
        );
    }
}

/// "Best first: an exact name, then a prefix": also when many records
/// match, the exact name is the first hit.
async fn search_ranks_an_exact_name_first_among_many_candidates(server: &TestServer) {
    for i in 1..=100 {
        // Names that sort before the exact one and were made before it, so
        // neither table nor name order puts it among the first hundred rows.
        organisation(server, &format!("Bolaget Väst {i:03}"), "company").await;
    }
    let exact = organisation(server, "Väst", "association").await;
    let hits = search(server, "VÄST").await;
    assert_eq!(hits.len(), 20, "the default limit");
    assert_eq!(
        (&hits[0]["title"], &hits[0]["id"]),
        (&json!("Väst"), &json!(exact)),
        "the exact name first, got {:?}",
        kinds_and_titles(&hits[..3])
    );
    assert!(hits[0]["score"].as_u64() > hits[1]["score"].as_u64());
}
