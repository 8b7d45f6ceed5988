//! Filters: every filter of every list checked against exactly the rows it
//! must return.

use chrono::{NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::json;

use super::{create_follow_up, create_partnership, day, enc, id_of, strings};
use crate::api::{delete, get, organisation, patch, person, post, seed, walk};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(
    organisation_filters_select_exactly_the_matching_rows,
    representative_filters_select_exactly_the_matching_rows,
    partnership_filters_select_exactly_the_matching_rows,
    meeting_filters_select_exactly_the_matching_rows,
    follow_up_filters_select_exactly_the_matching_rows,
);

/// Walks a filtered list in small pages (so that every filter is also
/// checked across page boundaries) and compares `key` of each item, in order.
async fn expect_list(server: &TestServer, path: &str, key: &str, expected: &[&str]) {
    let items = walk(server, path, 2).await;
    assert_eq!(strings(&items, key), expected, "GET {path}");
}

/// Today in Stockholm, when it can be told from UTC alone: Stockholm is one
/// or two hours ahead, and outside the hour where those disagree the date is
/// the same either way.
fn stockholm_today() -> Option<NaiveDate> {
    let now = Utc::now();
    let winter = (now + chrono::Duration::hours(1)).date_naive();
    let summer = (now + chrono::Duration::hours(2)).date_naive();
    (winter == summer).then_some(winter)
}

async fn organisation_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let seed = seed(server).await;
    let mut extras = Vec::new();
    for body in [
        json!({ "name": "Café Lindhé AB", "kind": "company", "city": "Uddevalla",
                "tags": ["Fika", "Västkusten"] }),
        json!({ "name": "Chalmers tekniska högskola", "short_name": "CTH", "kind": "university",
                "city": "Göteborg", "tags": ["innovation"] }),
        json!({ "name": "Science Park Innovatum", "kind": "company", "city": "Trollhättan",
                "tags": ["Innovation"] }),
        json!({ "name": "Vänersborgs kommun", "kind": "municipality", "city": "Vänersborg" }),
    ] {
        extras.push(id_of(
            &post(server, "/api/v1/organisations", &body)
                .await
                .expect(StatusCode::CREATED),
        ));
    }
    let list = "/api/v1/organisations";
    let everyone = [
        "Café Lindhé AB",
        "Chalmers tekniska högskola",
        "GKN Aerospace",
        "Högskolan Väst",
        "Kunskapsförbundet Väst",
        "NU-sjukvården",
        "Science Park Innovatum",
        "Support Group Network",
        "Trollhättans stad",
        "Vattenfall",
        "Vänersborgs kommun",
    ];
    expect_list(server, list, "name", &everyone).await;
    expect_list(server, &format!("{list}?q="), "name", &everyone).await;

    // q: name, short name, city; å, ä, ö in either case, and letters of
    // their own; other accents fold.
    let vast = ["Högskolan Väst", "Kunskapsförbundet Väst"];
    for q in ["VÄST", "väst", "Väst", " väst "] {
        expect_list(server, &format!("{list}?q={}", enc(q)), "name", &vast).await;
    }
    expect_list(server, &format!("{list}?q=vast"), "name", &[]).await;
    for q in ["lindhe", "LINDHÉ", "lindhé", "cafe lindhe"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "name",
            &["Café Lindhé AB"],
        )
        .await;
    }
    expect_list(
        server,
        &format!("{list}?q=cth"),
        "name",
        &["Chalmers tekniska högskola"],
    )
    .await;
    for q in ["GÖTEBORG", "göteborg"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "name",
            &["Chalmers tekniska högskola"],
        )
        .await;
    }
    expect_list(server, &format!("{list}?q=goteborg"), "name", &[]).await;
    expect_list(
        server,
        &format!("{list}?q={}", enc("TROLLHÄTTAN")),
        "name",
        &["Science Park Innovatum", "Trollhättans stad"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q={}", enc("vänersborg")),
        "name",
        &["Vänersborgs kommun"],
    )
    .await;
    // LIKE's wildcards are literal.
    expect_list(server, &format!("{list}?q={}", enc("%")), "name", &[]).await;
    expect_list(server, &format!("{list}?q={}", enc("_")), "name", &[]).await;

    // kind
    expect_list(
        server,
        &format!("{list}?kind=university"),
        "name",
        &["Chalmers tekniska högskola", "Högskolan Väst"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?kind=company"),
        "name",
        &[
            "Café Lindhé AB",
            "GKN Aerospace",
            "Science Park Innovatum",
            "Vattenfall",
        ],
    )
    .await;
    expect_list(server, &format!("{list}?kind=public_agency"), "name", &[]).await;

    // tag: stored lower-cased, matched ignoring case.
    for tag in ["innovation", "INNOVATION"] {
        expect_list(
            server,
            &format!("{list}?tag={tag}"),
            "name",
            &["Chalmers tekniska högskola", "Science Park Innovatum"],
        )
        .await;
    }
    expect_list(
        server,
        &format!("{list}?tag={}", enc("VÄSTKUSTEN")),
        "name",
        &["Café Lindhé AB"],
    )
    .await;
    expect_list(server, &format!("{list}?tag=innovat"), "name", &[]).await;

    // Together, every filter must hold.
    expect_list(
        server,
        &format!("{list}?kind=university&tag=innovation"),
        "name",
        &["Chalmers tekniska högskola"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?kind=company&q={}", enc("trollhättan")),
        "name",
        &["Science Park Innovatum"],
    )
    .await;

    // include_archived
    delete(server, &format!("{list}/{}", extras[3]))
        .await
        .expect(StatusCode::NO_CONTENT);
    let municipalities = format!("{list}?kind=municipality");
    expect_list(server, &municipalities, "name", &["Trollhättans stad"]).await;
    expect_list(
        server,
        &format!("{municipalities}&include_archived=false"),
        "name",
        &["Trollhättans stad"],
    )
    .await;
    let with_archived = walk(server, &format!("{municipalities}&include_archived=true"), 1).await;
    assert_eq!(
        strings(&with_archived, "name"),
        ["Trollhättans stad", "Vänersborgs kommun"]
    );
    assert!(with_archived[0]["archived_at"].is_null());
    assert!(with_archived[1]["archived_at"].is_string());
    let live: Vec<&str> = everyone
        .iter()
        .copied()
        .filter(|name| *name != "Vänersborgs kommun")
        .collect();
    expect_list(server, list, "name", &live).await;
    expect_list(
        server,
        &format!("{list}?include_archived=true"),
        "name",
        &everyone,
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q={}&include_archived=true", enc("VÄNERSBORG")),
        "name",
        &["Vänersborgs kommun"],
    )
    .await;
    assert_eq!(seed.organisations.len(), 7);
}

async fn representative_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let seed = seed(server).await;
    let chalmers = organisation(server, "Chalmers tekniska högskola", "university").await;
    post(
        server,
        "/api/v1/representatives",
        &json!({ "full_name": "Åsa Öberg", "organisation_id": chalmers, "title": "Forskare",
                 "email": "asa@chalmers.se" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let list = "/api/v1/representatives";
    let everyone = [
        "Arsema",
        "Jan Theliander",
        "Jan-Erik Aronsson",
        "Lena Lindhé",
        "Lisa Thörn",
        "Maria Derner",
        "Maria Hildefors",
        "Tilde",
        "Åsa Öberg",
    ];
    expect_list(server, list, "full_name", &everyone).await;

    // q: name, current title, e-mail.
    for q in ["LINDHÉ", "lindhé", "lindhe", "Lena Lindhe"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "full_name",
            &["Lena Lindhé"],
        )
        .await;
    }
    for q in ["SAMVERKANSSTRATEG", "samverkansstrateg"] {
        expect_list(server, &format!("{list}?q={q}"), "full_name", &["Lena Lindhé"]).await;
    }
    expect_list(
        server,
        &format!("{list}?q=strateg"),
        "full_name",
        &["Jan-Erik Aronsson", "Lena Lindhé"],
    )
    .await;
    for q in ["THÖRN", "thörn"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "full_name",
            &["Lisa Thörn"],
        )
        .await;
    }
    expect_list(server, &format!("{list}?q=thorn"), "full_name", &[]).await;
    for q in ["ÅSA ÖBERG", "öberg"] {
        expect_list(
            server,
            &format!("{list}?q={}", enc(q)),
            "full_name",
            &["Åsa Öberg"],
        )
        .await;
    }
    expect_list(server, &format!("{list}?q=oberg"), "full_name", &[]).await;
    expect_list(
        server,
        &format!("{list}?q={}", enc("@CHALMERS.SE")),
        "full_name",
        &["Åsa Öberg"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q=elev"),
        "full_name",
        &["Arsema", "Tilde"],
    )
    .await;

    // organisation_id: those who represent it now.
    let host = format!("{list}?organisation_id={}", seed.host);
    let university = format!("{list}?organisation_id={}", seed.university);
    expect_list(
        server,
        &host,
        "full_name",
        &[
            "Arsema",
            "Jan-Erik Aronsson",
            "Lisa Thörn",
            "Maria Hildefors",
            "Tilde",
        ],
    )
    .await;
    expect_list(
        server,
        &university,
        "full_name",
        &["Jan Theliander", "Lena Lindhé", "Maria Derner"],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?organisation_id={}", seed.organisation("Vattenfall")),
        "full_name",
        &[],
    )
    .await;
    expect_list(
        server,
        &format!("{host}&q=maria"),
        "full_name",
        &["Maria Hildefors"],
    )
    .await;

    // A move to another organisation moves the person between the lists; a
    // new title is found by q, the old one no longer.
    let gkn = seed.organisation("GKN Aerospace");
    let theliander = seed.person("Jan Theliander");
    patch(
        server,
        &format!("{list}/{theliander}"),
        &json!({ "version": 1, "organisation_id": gkn }),
    )
    .await
    .expect(StatusCode::OK);
    expect_list(server, &university, "full_name", &["Lena Lindhé", "Maria Derner"]).await;
    expect_list(
        server,
        &format!("{list}?organisation_id={gkn}"),
        "full_name",
        &["Jan Theliander"],
    )
    .await;
    let derner = seed.person("Maria Derner");
    patch(
        server,
        &format!("{list}/{derner}"),
        &json!({ "version": 1, "title": "Kommunikationsdirektör" }),
    )
    .await
    .expect(StatusCode::OK);
    expect_list(
        server,
        &format!("{list}?q={}", enc("KOMMUNIKATIONSDIREKTÖR")),
        "full_name",
        &["Maria Derner"],
    )
    .await;
    expect_list(server, &format!("{list}?q=kommunikationschef"), "full_name", &[]).await;

    // include_archived
    let arsema = seed.person("Arsema");
    delete(server, &format!("{list}/{arsema}"))
        .await
        .expect(StatusCode::NO_CONTENT);
    expect_list(
        server,
        &host,
        "full_name",
        &["Jan-Erik Aronsson", "Lisa Thörn", "Maria Hildefors", "Tilde"],
    )
    .await;
    expect_list(server, &format!("{list}?q=elev"), "full_name", &["Tilde"]).await;
    expect_list(
        server,
        &format!("{host}&include_archived=true"),
        "full_name",
        &[
            "Arsema",
            "Jan-Erik Aronsson",
            "Lisa Thörn",
            "Maria Hildefors",
            "Tilde",
        ],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q=elev&include_archived=true"),
        "full_name",
        &["Arsema", "Tilde"],
    )
    .await;
}

async fn expect_ids(server: &TestServer, path: String, expected: Vec<String>) {
    assert_eq!(
        strings(&walk(server, &path, 2).await, "id"),
        expected,
        "GET {path}"
    );
}

async fn partnership_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let a = organisation(server, "Alfa AB", "company").await;
    let b = organisation(server, "Beta AB", "company").await;
    let c = organisation(server, "Gamma kommun", "municipality").await;
    let d = organisation(server, "Delta högskola", "university").await;
    let lonely = organisation(server, "Ensam AB", "company").await;
    let ab = create_partnership(
        server,
        &json!({ "organisation_ids": [a, b], "kind": "strategic" }),
    )
    .await;
    let ac = create_partnership(
        server,
        &json!({ "organisation_ids": [c, a], "kind": "project", "status": "prospect" }),
    )
    .await;
    let bc = create_partnership(
        server,
        &json!({ "organisation_ids": [b, c], "kind": "other", "status": "ended",
                 "started_on": "2020-01-01", "ended_on": "2023-12-31" }),
    )
    .await;
    let cd = create_partnership(
        server,
        &json!({ "organisation_ids": [c, d], "kind": "strategic", "status": "paused" }),
    )
    .await;
    let archived = create_partnership(
        server,
        &json!({ "organisation_ids": [a, d], "kind": "project", "status": "active" }),
    )
    .await;
    delete(server, &format!("/api/v1/partnerships/{archived}"))
        .await
        .expect(StatusCode::NO_CONTENT);

    let list = "/api/v1/partnerships";
    let check = |path: String, expected: Vec<&String>| {
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        expect_ids(server, path, expected)
    };
    check(list.to_owned(), vec![&ab, &ac, &bc, &cd]).await;
    check(format!("{list}?organisation_id={a}"), vec![&ab, &ac]).await;
    check(format!("{list}?organisation_id={b}"), vec![&ab, &bc]).await;
    check(format!("{list}?organisation_id={c}"), vec![&ac, &bc, &cd]).await;
    check(format!("{list}?organisation_id={d}"), vec![&cd]).await;
    check(format!("{list}?organisation_id={lonely}"), vec![]).await;
    check(format!("{list}?status=active"), vec![&ab]).await;
    check(format!("{list}?status=prospect"), vec![&ac]).await;
    check(format!("{list}?status=ended"), vec![&bc]).await;
    check(format!("{list}?status=paused"), vec![&cd]).await;
    check(format!("{list}?organisation_id={c}&status=paused"), vec![&cd]).await;
    check(format!("{list}?organisation_id={c}&status=active"), vec![]).await;
    check(format!("{list}?organisation_id={a}&status=prospect"), vec![&ac]).await;
    check(
        format!("{list}?organisation_id={d}&include_archived=true"),
        vec![&cd, &archived],
    )
    .await;
    check(
        format!("{list}?status=active&include_archived=true"),
        vec![&ab, &archived],
    )
    .await;
    get(server, &format!("{list}?status=dormant"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("status"));
    get(server, &format!("{list}?organisation_id=not-a-uuid"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("organisation_id"));
}

async fn meeting_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let day = day(server).await;
    let seed = &day.seed;
    let list = "/api/v1/meetings";
    let (a, b, c, d, e, f) = (
        "Strategisk partnerträff",
        "Nyårsmöte om kompetensförsörjning",
        "Styrgrupp för Wexus",
        "Platsbesök hos Vattenfall",
        "Inställt möte",
        "Avstämning om praktikplatser",
    );
    expect_list(server, list, "title", &[f, d, c, b, a]).await;
    expect_list(
        server,
        &format!("{list}?include_archived=true"),
        "title",
        &[f, d, e, c, b, a],
    )
    .await;

    // The Stockholm day a meeting starts on, not the UTC one.
    let b_read = get(server, &format!("{list}/{}", day.b))
        .await
        .expect(StatusCode::OK);
    assert_eq!(b_read["date"], json!("2024-12-31"));
    assert_eq!(b_read["starts_at"], json!("2024-12-31T22:30:00+00:00"));
    let c_read = get(server, &format!("{list}/{}", day.c))
        .await
        .expect(StatusCode::OK);
    assert_eq!(c_read["date"], json!("2025-01-01"));

    // from / to: Stockholm days, inclusive.
    for (query, expected) in [
        ("from=2024-12-31&to=2024-12-31", vec![b]),
        ("from=2025-01-01&to=2025-01-01", vec![c]),
        ("from=2024-12-31&to=2025-01-01", vec![c, b]),
        ("from=2025-01-01", vec![f, d, c]),
        ("to=2024-12-31", vec![b, a]),
        ("from=2024-04-26&to=2024-04-26", vec![a]),
        ("from=2024-04-27&to=2024-12-30", vec![]),
        ("from=2024-04-25&to=2024-04-25", vec![]),
        ("from=2025-03-10&to=2025-03-10", vec![d]),
        ("from=2025-02-01&to=2025-02-01", vec![]),
        ("from=2025-02-01&to=2025-02-01&include_archived=true", vec![e]),
    ] {
        expect_list(server, &format!("{list}?{query}"), "title", &expected).await;
    }
    let answer = get(server, &format!("{list}?from=2025-01-02&to=2025-01-01"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, None);
    let fields = strings(answer["errors"].as_array().unwrap(), "field");
    assert!(
        fields.iter().any(|f| f == "from" || f == "to"),
        "from after to names from or to: {answer}"
    );

    // organisation_id: hosted, attended by it, or by one of its people.
    // Attendance of any status counts: an organisation only invited is on
    // the list (the store matches every attendance row).
    let by_organisation = |name: &str| format!("{list}?organisation_id={}", seed.organisation(name));
    for (name, expected) in [
        ("Kunskapsförbundet Väst", vec![f, d, c, a]),
        ("GKN Aerospace", vec![b, a]),
        ("Trollhättans stad", vec![a]),
        ("Vattenfall", vec![f, d, c, a]),
        ("Högskolan Väst", vec![b, a]),
        ("NU-sjukvården", vec![a]),
        ("Support Group Network", vec![a]),
    ] {
        expect_list(server, &by_organisation(name), "title", &expected).await;
    }
    expect_list(
        server,
        &format!(
            "{}&include_archived=true",
            by_organisation("Kunskapsförbundet Väst")
        ),
        "title",
        &[f, d, e, c, a],
    )
    .await;
    let stranger = organisation(server, "Främmande AB", "company").await;
    expect_list(
        server,
        &format!("{list}?organisation_id={stranger}"),
        "title",
        &[],
    )
    .await;

    // representative_id
    for (name, expected) in [
        ("Lena Lindhé", vec![b, a]),
        ("Maria Hildefors", vec![c, a]),
        ("Lisa Thörn", vec![f, d, a]),
        ("Jan-Erik Aronsson", vec![f, c, a]),
        ("Tilde", vec![a]),
    ] {
        expect_list(
            server,
            &format!("{list}?representative_id={}", seed.person(name)),
            "title",
            &expected,
        )
        .await;
    }
    let newcomer = person(server, "Ny Person", &stranger, "Gäst", false).await;
    expect_list(
        server,
        &format!("{list}?representative_id={newcomer}"),
        "title",
        &[],
    )
    .await;

    // kind
    for (kind, expected) in [
        ("partner_day", vec![a]),
        ("workshop", vec![b]),
        ("steering_group", vec![c]),
        ("site_visit", vec![d]),
        ("one_to_one", vec![f]),
        ("other", vec![]),
    ] {
        expect_list(server, &format!("{list}?kind={kind}"), "title", &expected).await;
    }
    expect_list(
        server,
        &format!("{list}?kind=other&include_archived=true"),
        "title",
        &[e],
    )
    .await;

    // tag
    for (tag, expected) in [
        ("kompetens", vec![c, b]),
        ("KOMPETENS", vec![c, b]),
        ("wexus", vec![c]),
        ("tillsammanskraft", vec![a]),
        ("vätgas", vec![d]),
        ("VÄTGAS", vec![d]),
        ("kompetensförsörjning", vec![]),
    ] {
        expect_list(server, &format!("{list}?tag={}", enc(tag)), "title", &expected).await;
    }

    // q: title, location, summary (not the agenda).
    for (q, expected) in [
        ("DRÖMFABRIKEN", vec![a]),
        ("drömfabriken", vec![a]),
        ("dromfabriken", vec![]),
        ("NYÅRSMÖTE", vec![b]),
        ("nyårsmöte", vec![b]),
        ("nyarsmote", vec![]),
        ("innovatum", vec![b]),
        ("ÅNGKRAFT", vec![d]),
        ("ångkraft", vec![d]),
        ("wexus", vec![c]),
        ("Trollhättan", vec![b, a]),
        ("tillsammanskraft", vec![a]),
        ("%", vec![d]),
        ("_", vec![]),
        ("Ungdomsbarometern", vec![]),
    ] {
        expect_list(server, &format!("{list}?q={}", enc(q)), "title", &expected).await;
    }

    // Together, every filter must hold.
    for (query, expected) in [
        (format!("organisation_id={}&kind=partner_day", seed.host), vec![a]),
        (
            format!(
                "organisation_id={}&from=2025-01-01&to=2025-12-31",
                seed.organisation("Vattenfall")
            ),
            vec![d, c],
        ),
        (
            format!(
                "representative_id={}&q={}",
                seed.person("Lisa Thörn"),
                enc("ångkraft")
            ),
            vec![d],
        ),
        (
            format!(
                "tag=kompetens&organisation_id={}",
                seed.organisation("GKN Aerospace")
            ),
            vec![b],
        ),
        (
            format!("tag=kompetens&representative_id={}", seed.person("Lisa Thörn")),
            vec![],
        ),
    ] {
        expect_list(server, &format!("{list}?{query}"), "title", &expected).await;
    }
}

async fn follow_up_filters_select_exactly_the_matching_rows(server: &TestServer) {
    let day = day(server).await;
    let seed = &day.seed;
    let a = id_of(&day.a);
    let b = day.b.clone();
    let lena = seed.person("Lena Lindhé");
    let lisa = seed.person("Lisa Thörn");
    let gkn = seed.organisation("GKN Aerospace");
    let vattenfall = seed.organisation("Vattenfall");

    // From the seed day: f1 (Derner, Högskolan Väst, 2024-06-14, open) and
    // f2 (Lindhé, 2024-09-30, in progress).
    let f1 = "Exempel: dela ungdomsbarometerns resultat";
    let f2 = "Exempel: boka nästa partnerträff";
    let f3 = "Skicka minnesanteckningar från nyårsmötet";
    let f4 = "Återkoppla till Vattenfall";
    let f5 = "Arkivera presentationerna";
    let f6 = "Bjud in till Wexus";
    let f7 = "Utvärdera dagen";
    let f8 = "Ringa Högskolan Väst i dag";
    let f9 = "Svara Trollhättans stad";
    let archived = "Gammal uppföljning";
    create_follow_up(
        server,
        &json!({ "meeting_id": b, "title": f3, "owner_id": lena, "organisation_id": gkn,
                 "due_on": "2020-01-01", "status": "open" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": b, "title": f4, "details": "Om vätgas och ÅNGKRAFT.",
                 "owner_id": lisa, "organisation_id": vattenfall, "due_on": "2999-01-01" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": a, "title": f5, "owner_id": seed.person("Maria Hildefors"),
                 "organisation_id": seed.host, "due_on": "2020-01-01", "status": "done" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": b, "title": f6, "status": "cancelled" }),
    )
    .await;
    create_follow_up(
        server,
        &json!({ "meeting_id": a, "title": f7, "owner_id": lena, "organisation_id": seed.university,
                 "due_on": "2020-01-01", "status": "in_progress" }),
    )
    .await;
    // Due today (not overdue) and yesterday (overdue), when today in
    // Stockholm is certain.
    let today = stockholm_today();
    if let Some(today) = today {
        create_follow_up(
            server,
            &json!({ "meeting_id": a, "title": f8, "due_on": today.to_string(), "status": "open" }),
        )
        .await;
        create_follow_up(
            server,
            &json!({ "meeting_id": a, "title": f9, "due_on": today.pred_opt().unwrap().to_string(),
                     "status": "in_progress" }),
        )
        .await;
    }
    let old = create_follow_up(
        server,
        &json!({ "meeting_id": a, "title": archived, "owner_id": lena, "due_on": "2020-01-01" }),
    )
    .await;
    delete(server, &format!("/api/v1/follow-ups/{old}"))
        .await
        .expect(StatusCode::NO_CONTENT);

    let list = "/api/v1/follow-ups";
    let with_today = |mut titles: Vec<&'static str>, extra: &[&'static str]| {
        if today.is_some() {
            titles.extend_from_slice(extra);
        }
        titles
    };
    let everything = with_today(vec![f1, f2, f3, f4, f5, f6, f7], &[f8, f9]);
    expect_list(server, list, "title", &everything).await;
    let mut with_archived = everything.clone();
    with_archived.push(archived);
    expect_list(
        server,
        &format!("{list}?include_archived=true"),
        "title",
        &with_archived,
    )
    .await;

    // status
    expect_list(
        server,
        &format!("{list}?status=open"),
        "title",
        &with_today(vec![f1, f3, f4], &[f8]),
    )
    .await;
    expect_list(
        server,
        &format!("{list}?status=in_progress"),
        "title",
        &with_today(vec![f2, f7], &[f9]),
    )
    .await;
    expect_list(server, &format!("{list}?status=done"), "title", &[f5]).await;
    expect_list(server, &format!("{list}?status=cancelled"), "title", &[f6]).await;

    // owner_id, organisation_id, meeting_id
    expect_list(server, &format!("{list}?owner_id={lena}"), "title", &[f2, f3, f7]).await;
    expect_list(
        server,
        &format!("{list}?owner_id={lena}&include_archived=true"),
        "title",
        &[f2, f3, f7, archived],
    )
    .await;
    expect_list(server, &format!("{list}?owner_id={lisa}"), "title", &[f4]).await;
    expect_list(
        server,
        &format!("{list}?owner_id={}", seed.person("Tilde")),
        "title",
        &[],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?organisation_id={}", seed.university),
        "title",
        &[f1, f7],
    )
    .await;
    expect_list(server, &format!("{list}?organisation_id={gkn}"), "title", &[f3]).await;
    expect_list(
        server,
        &format!("{list}?organisation_id={}", seed.host),
        "title",
        &[f5],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?meeting_id={a}"),
        "title",
        &with_today(vec![f1, f2, f5, f7], &[f8, f9]),
    )
    .await;
    expect_list(server, &format!("{list}?meeting_id={b}"), "title", &[f3, f4, f6]).await;
    expect_list(server, &format!("{list}?meeting_id={}", day.c), "title", &[]).await;

    // due_before: strictly before; no due date never matches.
    expect_list(
        server,
        &format!("{list}?due_before=2024-07-01"),
        "title",
        &[f1, f3, f5, f7],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?due_before=2024-06-14"),
        "title",
        &[f3, f5, f7],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?due_before=2024-06-15"),
        "title",
        &[f1, f3, f5, f7],
    )
    .await;
    expect_list(server, &format!("{list}?due_before=2020-01-01"), "title", &[]).await;
    expect_list(
        server,
        &format!("{list}?due_before=3000-01-01"),
        "title",
        &with_today(vec![f1, f2, f3, f4, f5, f7], &[f8, f9]),
    )
    .await;

    // overdue: open or in progress, due before today (Stockholm).
    let overdue = walk(server, &format!("{list}?overdue=true"), 2).await;
    let overdue = strings(&overdue, "title");
    if today.is_some() && stockholm_today() == today {
        assert_eq!(overdue, [f1, f2, f3, f7, f9]);
    } else {
        for title in [f1, f2, f3, f7] {
            assert!(overdue.iter().any(|t| t == title), "{title} is overdue");
        }
        for title in [f4, f5, f6] {
            assert!(!overdue.iter().any(|t| t == title), "{title} is not overdue");
        }
    }
    expect_list(server, &format!("{list}?overdue=false"), "title", &everything).await;
    expect_list(
        server,
        &format!("{list}?overdue=true&owner_id={lena}"),
        "title",
        &[f2, f3, f7],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?overdue=true&status=open&meeting_id={b}"),
        "title",
        &[f3],
    )
    .await;

    // q: title and details, Swedish letters in either case.
    for (q, expected) in [
        ("ungdomsbarometern", vec![f1]),
        ("UNGDOMSBAROMETERNS", vec![f1]),
        ("ÅNGKRAFT", vec![f4]),
        ("ångkraft", vec![f4]),
        ("angkraft", vec![]),
        ("ÅTERKOPPLA", vec![f4]),
        ("exempel", vec![f1, f2]),
        ("NYÅRSMÖTET", vec![f3]),
        ("gammal", vec![]),
    ] {
        expect_list(server, &format!("{list}?q={}", enc(q)), "title", &expected).await;
    }
    expect_list(
        server,
        &format!("{list}?q=gammal&include_archived=true"),
        "title",
        &[archived],
    )
    .await;
    expect_list(
        server,
        &format!("{list}?q=exempel&status=in_progress&owner_id={lena}"),
        "title",
        &[f2],
    )
    .await;
    get(server, &format!("{list}?due_before=2024-02-30"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("due_before"));
    get(server, &format!("{list}?overdue=maybe"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("overdue"));
}
