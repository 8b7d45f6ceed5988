use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{APRIL, get, log_seed_day, organisation, person, post, seed, walk};
use crate::api_tests;
use crate::server::TestServer;

api_tests!(
    the_minutes_list_exactly_the_meetings_people_and_items,
    minutes_refuse_what_they_cannot_answer,
    the_attendance_export_holds_every_attendance_of_the_stockholm_period,
    the_attendance_export_refuses_bad_parameters,
    the_engagement_report_holds_the_period_in_every_format,
    the_engagement_report_refuses_bad_parameters,
    the_partner_brief_holds_the_organisation_in_every_format,
    the_partner_brief_refuses_what_it_cannot_answer,
);

/// A response read as bytes.
struct Raw {
    status: StatusCode,
    content_type: String,
    disposition: String,
    /// `Content-Length`: absent when the body is streamed.
    length: String,
    body: Vec<u8>,
}

async fn raw(server: &TestServer, path: &str) -> Raw {
    let response = server
        .client
        .get(server.url(path))
        .send()
        .await
        .expect("an answer");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition, length) = (
        header("content-type"),
        header("content-disposition"),
        header("content-length"),
    );
    Raw {
        status: response.status(),
        content_type,
        disposition,
        length,
        body: response.bytes().await.expect("a body").to_vec(),
    }
}

/// A PDF read back with a parser of its own: each page's size in points
/// and all its text, whitespace squeezed to single spaces.
fn pdf_pages_and_text(bytes: &[u8]) -> (Vec<(f32, f32)>, String) {
    let pdf = lopdf::Document::load_mem(bytes).expect("the PDF opens");
    let pages = pdf.get_pages();
    let sizes = pages
        .values()
        .map(|&id| {
            let page = pdf.get_dictionary(id).unwrap();
            let b = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let n = |i: usize| b[i].as_float().unwrap();
            (n(2) - n(0), n(3) - n(1))
        })
        .collect();
    let numbers: Vec<u32> = pages.keys().copied().collect();
    (sizes, squeeze(&pdf.extract_text(&numbers).unwrap()))
}

fn squeeze(text: &str) -> String {
    text.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every page A4, upright or lying, to half a point.
fn assert_a4(sizes: &[(f32, f32)]) {
    assert!(!sizes.is_empty());
    for (w, h) in sizes {
        let (short, long) = (w.min(*h), w.max(*h));
        assert!(
            (short - 595.28).abs() < 1.0 && (long - 841.89).abs() < 1.0,
            "A4, not {w} x {h}"
        );
    }
}

/// The rows of the Markdown table under `## heading`, cells unescaped.
fn md_table(text: &str, heading: &str) -> Vec<Vec<String>> {
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with(heading))
        .unwrap_or_else(|| panic!("no section {heading}: {text}"));
    section
        .lines()
        .filter(|line| line.starts_with("| "))
        .skip(2)
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().replace("\\|", "|"))
                .collect()
        })
        .collect()
}

/// A name without the role after it: "Maria Hildefors (värd)" → "Maria Hildefors".
fn without_role(entry: &str) -> &str {
    match entry.rfind(" (") {
        Some(at) if entry.ends_with(')') && !entry.starts_with('(') => &entry[..at],
        _ => entry,
    }
}

async fn the_minutes_list_exactly_the_meetings_people_and_items(server: &TestServer) {
    let seed = seed(server).await;
    // Another meeting with other people, which the minutes must not show.
    let other_org = organisation(server, "Volvo Cars", "company").await;
    let other = person(server, "Åsa Östlund", &other_org, "HR-chef", false).await;
    post(
        server,
        "/api/v1/meetings",
        &json!({ "title": "Annat möte", "kind": "workshop", "starts_at": "2024-04-26T10:00:00+02:00",
                 "attendees": [{ "representative_id": other, "role": "participant", "status": "attended" }] }),
    )
    .await
    .expect(StatusCode::CREATED);
    let created = post(server, "/api/v1/meetings", &seed.meeting)
        .await
        .expect(StatusCode::CREATED);
    let id = created["id"].as_str().unwrap();

    let answer = raw(server, &format!("/api/v1/reports/meetings/{id}?format=md")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "text/markdown; charset=utf-8");
    assert_eq!(
        answer.disposition,
        "attachment; filename=\"minnesanteckningar-2024-04-26.md\""
    );
    let text = String::from_utf8(answer.body).unwrap();
    assert!(text.starts_with("# Strategisk partnerträff\n\nMinnesanteckningar – 26 april 2024\n"));
    assert!(!text.contains("Åsa Östlund") && !text.contains("Volvo Cars"));

    // Attendees: exactly the meeting's, each once, under their organisation.
    let attendees = md_table(&text, "Deltagare");
    let organisations: BTreeSet<&str> = attendees.iter().map(|row| row[0].as_str()).collect();
    let expected: BTreeSet<&str> = seed.organisations.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(organisations, expected);
    let mut named: Vec<&str> = attendees
        .iter()
        .flat_map(|row| row[1..].iter())
        .flat_map(|cell| cell.split("<br>"))
        .filter(|entry| !entry.is_empty() && !entry.starts_with('('))
        .map(without_role)
        .collect();
    named.sort_unstable();
    let mut people: Vec<&str> = seed.people.iter().map(|(name, _)| name.as_str()).collect();
    people.sort_unstable();
    assert_eq!(named, people);
    let trollhattan = attendees
        .iter()
        .find(|row| row[0] == "Trollhättans stad")
        .unwrap();
    assert_eq!(trollhattan[1], "", "invited, not attended");
    assert_eq!(trollhattan[2], "(organisationen, inga namngivna personer)");
    let host = attendees
        .iter()
        .find(|row| row[0] == "Kunskapsförbundet Väst")
        .unwrap();
    assert!(host[1].contains("Maria Hildefors (värd)"), "{host:?}");

    // The agenda in order, with presenters; outcomes; follow-ups.
    let agenda = md_table(&text, "Dagordning");
    let titles: Vec<&str> = agenda.iter().map(|row| row[1].as_str()).collect();
    let sent: Vec<&str> = seed.meeting["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, sent);
    assert_eq!(agenda[1][3], "Lisa Thörn, Jan-Erik Aronsson");
    assert_eq!(agenda[2][3], "", "a discussion has no presenter");
    assert_eq!(agenda[2][4], "60");
    let outcomes = md_table(&text, "Utfall");
    assert_eq!(outcomes.len(), 2);
    assert_eq!(outcomes[0][1], "Insikt");
    assert_eq!(
        outcomes[0][3], "2. Nya reformer för gymnasie- och vuxenutbildningen",
        "the agenda item it came from"
    );
    let follow_ups = md_table(&text, "Uppföljningar");
    assert_eq!(
        follow_ups,
        [
            vec![
                "Exempel: dela ungdomsbarometerns resultat",
                "Maria Derner",
                "Högskolan Väst",
                "2024-06-14",
                "Öppen"
            ],
            vec![
                "Exempel: boka nästa partnerträff",
                "Lena Lindhé",
                "",
                "2024-09-30",
                "Pågår"
            ],
        ]
    );

    // The HTML page, in English.
    let page = raw(
        server,
        &format!("/api/v1/reports/meetings/{id}?format=html&lang=en"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert_eq!(page.disposition, "inline; filename=\"minutes-2024-04-26.html\"");
    let page = String::from_utf8(page.body).unwrap();
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("<h2>Attendees</h2>") && page.contains("<h2>Follow-ups</h2>"));
    assert!(page.contains("Minutes – 26 April 2024"));
    for (name, _) in &seed.people {
        assert!(page.contains(name.as_str()), "{name}");
    }
    // The PDF: A4, and every attendee, agenda item and follow-up in it.
    let pdf = raw(server, &format!("/api/v1/reports/meetings/{id}?format=pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(
        pdf.disposition,
        "attachment; filename=\"minnesanteckningar-2024-04-26.pdf\""
    );
    let (sizes, text) = pdf_pages_and_text(&pdf.body);
    assert_a4(&sizes);
    assert!(text.contains("Strategisk partnerträff"), "{text}");
    for (name, _) in seed.people.iter().chain(&seed.organisations) {
        assert!(text.contains(name.as_str()), "{name} in {text}");
    }
    for title in &sent {
        assert!(text.contains(&squeeze(title)), "{title}");
    }
    assert!(text.contains("Exempel: boka nästa partnerträff") && text.contains("Lena Lindhé"));

    // Printed from Chromium, the HTML minutes keep every attendee.
    let html = raw(server, &format!("/api/v1/reports/meetings/{id}")).await;
    if let Some((printed, printed_text)) = crate::web::browser::print(&html.body).await {
        let (sizes, _) = pdf_pages_and_text(&printed);
        assert_a4(&sizes);
        let printed_text = squeeze(&printed_text);
        for (name, _) in seed.people.iter().chain(&seed.organisations) {
            assert!(printed_text.contains(name.as_str()), "{name} printed");
        }
        assert!(printed_text.contains("Sida 1 av"), "page numbers: {printed_text}");
    }

    // HTML is the default, Swedish the default language.
    let default = raw(server, &format!("/api/v1/reports/meetings/{id}")).await;
    assert_eq!(default.content_type, "text/html; charset=utf-8");
    assert!(
        String::from_utf8(default.body)
            .unwrap()
            .contains("<h2>Deltagare</h2>")
    );
}

async fn minutes_refuse_what_they_cannot_answer(server: &TestServer) {
    let (_, created) = log_seed_day(server).await;
    let id = created["id"].as_str().unwrap();
    get(server, &format!("/api/v1/reports/meetings/{id}?format=docx"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("format"));
    get(server, &format!("/api/v1/reports/meetings/{id}?lang=de"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("lang"));
    get(
        server,
        "/api/v1/reports/meetings/01900000-0000-7000-8000-000000000000",
    )
    .await
    .expect_problem(StatusCode::NOT_FOUND, None);
    get(server, "/api/v1/reports/meetings/not-an-id")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("id"));
}

/// Logs a steering group at `starts_at` attended by `people` and returns
/// the ids of its attendances.
async fn steering_group(
    server: &TestServer,
    starts_at: &str,
    people: &[String],
    company: &str,
) -> Vec<String> {
    let mut attendees: Vec<Value> = people
        .iter()
        .map(|p| json!({ "representative_id": p, "role": "participant", "status": "attended" }))
        .collect();
    attendees.push(json!({ "organisation_id": company, "role": "guest", "status": "invited" }));
    let created = post(
        server,
        "/api/v1/meetings",
        &json!({ "title": format!("Styrgrupp, \"{starts_at}\""), "kind": "steering_group",
                 "starts_at": starts_at, "attendees": attendees }),
    )
    .await
    .expect(StatusCode::CREATED);
    created["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_attendance_export_holds_every_attendance_of_the_stockholm_period(server: &TestServer) {
    let university = organisation(server, "Högskolan Väst", "university").await;
    let company = organisation(server, "GKN Aerospace", "company").await;
    let mut people = Vec::new();
    for name in ["Lena Lindhé", "Jan Theliander", "Åsa Öberg"] {
        people.push(person(server, name, &university, "Samverkansstrateg", false).await);
    }
    // 2025-01-01 in Stockholm is 2024-12-31T23:00Z to 2025-01-01T23:00Z.
    steering_group(server, "2024-12-31T22:59:59Z", &people[..1], &company).await;
    let mut expected = Vec::new();
    expected.extend(steering_group(server, "2024-12-31T23:00:00Z", &people, &company).await);
    expected.extend(steering_group(server, "2025-01-01T22:59:59Z", &people[..2], &company).await);
    steering_group(server, "2025-01-01T23:00:00Z", &people, &company).await;

    let answer = raw(
        server,
        "/api/v1/reports/attendances?from=2025-01-01&to=2025-01-01&format=csv",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "text/csv; charset=utf-8");
    assert_eq!(
        answer.disposition,
        "attachment; filename=\"attendances-2025-01-01-2025-01-01.csv\""
    );
    assert!(
        answer.body.starts_with(b"\xEF\xBB\xBF"),
        "a byte order mark for Excel"
    );
    assert_eq!(answer.length, "", "streamed (chunked), not collected first");
    let mut reader = csv::Reader::from_reader(&answer.body[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "attendance_id");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let got: Vec<&str> = records.iter().map(|r| &r[0]).collect();
    let mut sorted_expected = expected.clone();
    sorted_expected.sort();
    let mut sorted_got = got.clone();
    sorted_got.sort_unstable();
    assert_eq!(sorted_got, sorted_expected, "every attendance of the day, once");
    assert!(records.iter().all(|r| &r[2] == "2025-01-01"));
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let lena = records
        .iter()
        .find(|r| &r[column("representative_name")] == "Lena Lindhé")
        .unwrap();
    assert_eq!(&lena[column("organisation_name")], "Högskolan Väst");
    assert_eq!(
        &lena[column("meeting_title")],
        "Styrgrupp, \"2024-12-31T23:00:00Z\""
    );
    let unnamed = records
        .iter()
        .filter(|r| r[column("representative_id")].is_empty())
        .count();
    assert_eq!(unnamed, 2, "one company attendance per meeting");

    let lines = raw(
        server,
        "/api/v1/reports/attendances?from=2025-01-01&to=2025-01-01&format=ndjson",
    )
    .await;
    assert_eq!(lines.status, StatusCode::OK);
    assert_eq!(lines.content_type, "application/x-ndjson");
    let text = String::from_utf8(lines.body).unwrap();
    let objects: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = objects
        .iter()
        .map(|o| o["attendance_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, got, "the same rows in the same order");
    assert_eq!(objects[0]["meeting_kind"], "steering_group");

    // A wider period holds all four meetings; an empty one only the header.
    let all = raw(
        server,
        "/api/v1/reports/attendances?from=2024-12-01&to=2025-01-31",
    )
    .await;
    let count = csv::Reader::from_reader(&all.body[3..]).records().count();
    assert_eq!(count, 2 + 4 + 3 + 4);
    let none = raw(
        server,
        "/api/v1/reports/attendances?from=2023-01-01&to=2023-01-31",
    )
    .await;
    assert_eq!(csv::Reader::from_reader(&none.body[3..]).records().count(), 0);
}

async fn the_attendance_export_refuses_bad_parameters(server: &TestServer) {
    get(
        server,
        "/api/v1/reports/attendances?from=2025-02-01&to=2025-01-01",
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("to"));
    get(server, "/api/v1/reports/attendances?to=2025-01-01")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("from"));
    get(
        server,
        "/api/v1/reports/attendances?from=2025-01-01&to=2025-01-31&format=xml",
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("format"));
    get(
        server,
        "/api/v1/reports/attendances?from=0999-01-01&to=2025-01-31",
    )
    .await
    .expect_problem(StatusCode::BAD_REQUEST, Some("from"));
}

/// The seed partner day in every format: the figures agree with
/// `/engagement/summary`, the rows with `/engagement`.
async fn the_engagement_report_holds_the_period_in_every_format(server: &TestServer) {
    use std::io::{Cursor, Read as _};

    use calamine::{Data, Reader as _, Xlsx};

    log_seed_day(server).await;
    let summary = get(server, &format!("/api/v1/engagement/summary?{APRIL}"))
        .await
        .expect(StatusCode::OK);
    let totals = &summary["totals"];
    let meetings = totals["meetings"].as_i64().unwrap();
    assert_eq!(meetings, 1);
    let expected_rows = walk(server, &format!("/api/v1/engagement?{APRIL}"), 100).await;
    assert_eq!(expected_rows.len(), 7);

    let report = |format: &str, lang: &str| {
        let path = format!("/api/v1/reports/engagement?{APRIL}&format={format}&lang={lang}");
        async move { raw(server, &path).await }
    };

    // CSV: the per-partner table, the same figures as the engagement list.
    let csv = report("csv", "sv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    assert_eq!(
        csv.disposition,
        "attachment; filename=\"engagemang-2024-04-01-2024-04-30.csv\""
    );
    let text = String::from_utf8(csv.body).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "Organisation");
    assert_eq!(&reader.headers().unwrap()[1], "Möten");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), expected_rows.len());
    for (row, expected) in rows.iter().zip(&expected_rows) {
        let figures = &expected["current"];
        assert_eq!(&row[0], expected["name"].as_str().unwrap());
        for (col, figure) in [
            (1, "meetings_engaged"),
            (2, "meetings_hosted"),
            (3, "meetings_attended"),
            (4, "partner_days"),
            (5, "representatives_engaged"),
            (6, "presentations"),
            (7, "follow_ups_opened"),
            (9, "follow_ups_open"),
        ] {
            assert_eq!(
                row[col].parse::<i64>().unwrap(),
                figures[figure].as_i64().unwrap(),
                "{figure} of {}",
                &row[0]
            );
        }
        assert_eq!(&row[12], figures["last_meeting_on"].as_str().unwrap_or(""));
    }

    // XLSX: typed cells on the summary, the partners, a sheet per partner
    // that met, and native charts.
    let xlsx = report("xlsx", "sv").await;
    assert_eq!(
        xlsx.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.body.clone())).unwrap();
    let names = workbook.sheet_names();
    assert_eq!(names[..3], ["Sammanfattning", "Partner", "Öppna uppföljningar"]);
    assert!(names.iter().any(|n| n == "Högskolan Väst"), "{names:?}");
    assert!(!names.iter().any(|n| n == "Trollhättans stad"), "only invited");
    let first = workbook.worksheet_range("Sammanfattning").unwrap();
    let figure = |label: &str| {
        first
            .rows()
            .find(|row| row.first() == Some(&Data::String(label.into())))
            .map(|row| row[1].clone())
    };
    #[allow(clippy::cast_precision_loss)]
    let as_float = |value: &Value| Data::Float(value.as_i64().unwrap() as f64);
    assert_eq!(figure("Möten"), Some(as_float(&totals["meetings"])));
    assert_eq!(figure("Partnerträffar"), Some(as_float(&totals["partner_days"])));
    assert_eq!(
        figure("Engagerade organisationer"),
        Some(as_float(&totals["organisations_engaged"]))
    );
    let partners = workbook.worksheet_range("Partner").unwrap();
    // Heading and header, then a row per organisation (the chart's numbers follow).
    let listed: Vec<Data> = partners
        .rows()
        .skip(2)
        .take(expected_rows.len())
        .map(|row| row[0].clone())
        .collect();
    let expected_names: Vec<Data> = expected_rows
        .iter()
        .map(|row| Data::String(row["name"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(listed, expected_names);
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx.body)).unwrap();
    let mut chart = String::new();
    zip.by_name("xl/charts/chart1.xml")
        .unwrap()
        .read_to_string(&mut chart)
        .unwrap();
    assert!(chart.contains("Möten per månad"));

    // HTML: the figures, both charts as valid SVG, the open follow-ups.
    let html = report("html", "sv").await;
    assert_eq!(html.content_type, "text/html; charset=utf-8");
    assert!(html.disposition.starts_with("inline;"));
    let page = String::from_utf8(html.body).unwrap();
    assert!(page.contains("1 april 2024 – 30 april 2024"));
    // One tile per figure, its change in words beside it.
    assert!(page.contains("mot föregående period"));
    assert!(!page.contains("förändring mot föregående period"));
    assert!(page.contains("Engagerade organisationer"));
    let svgs: Vec<&str> = page
        .match_indices("<svg")
        .map(|(start, _)| {
            let end = page[start..].find("</svg>").unwrap() + start + "</svg>".len();
            &page[start..end]
        })
        .collect();
    assert_eq!(svgs.len(), 2);
    for svg in &svgs {
        roxmltree::Document::parse(svg).unwrap();
    }
    assert!(svgs[0].contains("april 2024"));
    assert!(svgs[1].contains("Kunskapsförbundet Väst"));

    // Markdown in English: month names and the follow-ups by owner.
    let md = report("md", "en").await;
    assert_eq!(md.content_type, "text/markdown; charset=utf-8");
    let text = String::from_utf8(md.body).unwrap();
    assert!(text.starts_with("# Engagement report\n"), "{text}");
    assert!(text.contains("April 2024"));
    let owners = md_table(&text, "Open follow-ups by owner");
    let owners: BTreeSet<&str> = owners.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(owners, BTreeSet::from(["Lena Lindhé", "Maria Derner"]));

    // JSON: the document, its figures those of the summary.
    let json = report("json", "en").await;
    assert_eq!(json.content_type, "application/json");
    let document: Value = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(document["title"], "Engagement report");
    assert_eq!(
        document["figures"][0]["value"],
        json!({"type": "integer", "value": meetings})
    );
    let previous = summary["previous_totals"]["meetings"].as_i64().unwrap();
    assert_eq!(
        document["figures"][0]["change"]["previous"],
        json!({"type": "integer", "value": previous})
    );

    // PDF: A4 (the partner table on landscape pages), and every figure,
    // column and partner of the report in its text.
    let pdf = report("pdf", "sv").await;
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(
        pdf.disposition,
        "attachment; filename=\"engagemang-2024-04-01-2024-04-30.pdf\""
    );
    let (sizes, text) = pdf_pages_and_text(&pdf.body);
    assert_a4(&sizes);
    assert!(sizes.iter().any(|(w, h)| w > h), "a landscape page");
    let sv: Value = serde_json::from_slice(&report("json", "sv").await.body).unwrap();
    let partner_table = &sv["sections"][1]["blocks"][0];
    let columns: Vec<&str> = partner_table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(columns.len(), 15);
    for figure in sv["figures"].as_array().unwrap() {
        let label = figure["label"].as_str().unwrap();
        assert!(text.contains(label), "{label} in the PDF");
        if let Some(change) = figure["change"]["text"].as_str() {
            assert!(text.contains(&squeeze(change)), "{change} in the PDF");
        }
    }
    for column in &columns {
        assert!(text.contains(column), "{column} in the PDF");
    }
    for row in &expected_rows {
        let name = row["name"].as_str().unwrap();
        assert!(text.contains(name), "{name} in the PDF");
    }

    // The HTML printed by Chromium: A4 pages, and nothing of the wide
    // table cut off: every column header and every partner is there.
    if let Some((printed, printed_text)) = crate::web::browser::print(page.as_bytes()).await {
        let (sizes, _) = pdf_pages_and_text(&printed);
        assert_a4(&sizes);
        assert!(
            sizes.iter().any(|(w, h)| w > h),
            "the wide table on a landscape page"
        );
        let printed_text = squeeze(&printed_text);
        for column in &columns {
            assert!(printed_text.contains(column), "{column} printed: {printed_text}");
        }
        for row in &expected_rows {
            let name = row["name"].as_str().unwrap();
            assert!(printed_text.contains(name), "{name} printed");
        }
        assert!(
            printed_text.contains("Engagemangsrapport · 1 april 2024 – 30 april 2024"),
            "the footer: {printed_text}"
        );
        assert!(printed_text.contains("Sida 1 av "), "page numbers");
    }
}

async fn the_engagement_report_refuses_bad_parameters(server: &TestServer) {
    let path = "/api/v1/reports/engagement";
    get(server, &format!("{path}?from=2025-02-01&to=2025-01-01"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("to"));
    get(server, &format!("{path}?to=2025-01-01"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("from"));
    get(server, &format!("{path}?{APRIL}&format=docx"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("format"));
    get(server, &format!("{path}?{APRIL}&lang=de"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("lang"));
}

/// Högskolan Väst after the seed day, with a partnership: the brief as
/// Markdown, HTML (and printed from Chromium) and PDF names the
/// organisation, its partner, its people who attended, the meeting and
/// its outcomes, and its open follow-up with owner and overdue mark.
async fn the_partner_brief_holds_the_organisation_in_every_format(server: &TestServer) {
    let (seed, _) = log_seed_day(server).await;
    post(
        server,
        "/api/v1/partnerships",
        &json!({ "kind": "strategic", "status": "active", "organisation_ids": [seed.university, seed.host],
                 "goals": "Fler vägar från gymnasiet till högskolan." }),
    )
    .await
    .expect(StatusCode::CREATED);
    let id = &seed.university;
    let people = ["Maria Derner", "Jan Theliander", "Lena Lindhé"];
    let today = samverkan_domain::time::today();

    let md = raw(
        server,
        &format!("/api/v1/reports/organisations/{id}/brief?format=md"),
    )
    .await;
    assert_eq!(md.status, StatusCode::OK);
    assert_eq!(md.content_type, "text/markdown; charset=utf-8");
    assert_eq!(
        md.disposition,
        format!("attachment; filename=\"partnerbrief-hogskolan-vast-{today}.md\"")
    );
    let text = String::from_utf8(md.body).unwrap();
    assert!(text.starts_with("# Högskolan Väst\n\nPartnerbrief – "), "{text}");
    assert_eq!(
        md_table(&text, "Våra partnerskap"),
        [[
            "Kunskapsförbundet Väst",
            "Strategiskt",
            "Aktivt",
            "Fler vägar från gymnasiet till högskolan."
        ]]
    );
    let mut listed: Vec<String> = md_table(&text, "Har deltagit mest")
        .into_iter()
        .map(|row| {
            assert_eq!(row[2], "1", "{row:?}");
            assert_eq!(row[3], "2024-04-26", "{row:?}");
            row[0].clone()
        })
        .collect();
    listed.sort_unstable();
    let mut expected = people.map(str::to_owned).to_vec();
    expected.sort_unstable();
    assert_eq!(listed, expected);
    assert_eq!(
        md_table(&text, "Senaste mötena"),
        [[
            "2024-04-26",
            "Strategisk partnerträff",
            "Insikt: Att mötas bygger broar mellan utbildning och arbetsliv.<br>Överenskommelse: Partnerskapen bygger på ömsesidighet och gemensam samhällsnytta."
        ]]
    );
    assert_eq!(
        md_table(&text, "Öppna uppföljningar"),
        [[
            "Exempel: dela ungdomsbarometerns resultat",
            "Maria Derner",
            "2024-06-14",
            "Öppen, försenad"
        ]]
    );

    // The PDF: A4, its font embedded, and all of it in its text.
    let pdf = raw(
        server,
        &format!("/api/v1/reports/organisations/{id}/brief?format=pdf"),
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(
        pdf.disposition,
        format!("attachment; filename=\"partnerbrief-hogskolan-vast-{today}.pdf\"")
    );
    let document = lopdf::Document::load_mem(&pdf.body).expect("the PDF opens");
    let embedded = document.objects.values().any(|object| {
        object.as_dict().is_ok_and(|dict| {
            dict.get(b"Type").and_then(lopdf::Object::as_name).ok() == Some(b"FontDescriptor")
                && dict.has(b"FontFile2")
        })
    });
    assert!(embedded, "the font is embedded");
    let (sizes, text) = pdf_pages_and_text(&pdf.body);
    assert_a4(&sizes);
    let expected = [
        "Högskolan Väst",
        "Partnerbrief",
        "Kunskapsförbundet Väst",
        "Fler vägar från gymnasiet till högskolan.",
        "Strategisk partnerträff",
        "Att mötas bygger broar mellan utbildning och arbetsliv.",
        "Exempel: dela ungdomsbarometerns resultat",
        "Öppen, försenad",
    ];
    for expected in expected.iter().chain(&people) {
        assert!(text.contains(expected), "{expected} in {text}");
    }

    // The HTML page in English, printed from Chromium on A4 with the same.
    let html = raw(
        server,
        &format!("/api/v1/reports/organisations/{id}/brief?lang=en"),
    )
    .await;
    assert_eq!(html.content_type, "text/html; charset=utf-8");
    let page = String::from_utf8(html.body.clone()).unwrap();
    assert!(page.contains("<html lang=\"en\">") && page.contains("<h2>Attended most</h2>"));
    if let Some((printed, printed_text)) = crate::web::browser::print(&html.body).await {
        let (sizes, _) = pdf_pages_and_text(&printed);
        assert_a4(&sizes);
        let printed_text = squeeze(&printed_text);
        for expected in expected
            .iter()
            .filter(|e| !matches!(**e, "Partnerbrief" | "Öppen, försenad"))
            .chain(&people)
            .chain(&["Partner brief", "Open, overdue", "Page 1 of"])
        {
            assert!(
                printed_text.contains(expected),
                "{expected} printed: {printed_text}"
            );
        }
        for column in [
            "Partner",
            "Kind",
            "Status",
            "Goals",
            "Name",
            "Title",
            "Meetings",
            "Last meeting",
            "Date",
            "Meeting",
            "Outcomes",
            "Task",
            "Owner",
            "Due",
        ] {
            assert!(printed_text.contains(column), "the column {column} printed");
        }
        assert!(
            printed_text.contains("Högskolan Väst · Partner brief – "),
            "the footer: {printed_text}"
        );
    }
}

async fn the_partner_brief_refuses_what_it_cannot_answer(server: &TestServer) {
    let university = organisation(server, "Högskolan Väst", "university").await;
    let path = format!("/api/v1/reports/organisations/{university}/brief");
    get(server, &format!("{path}?format=xlsx"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("format"));
    get(server, &format!("{path}?lang=de"))
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("lang"));
    get(
        server,
        "/api/v1/reports/organisations/01900000-0000-7000-8000-000000000000/brief",
    )
    .await
    .expect_problem(StatusCode::NOT_FOUND, None);
    get(server, "/api/v1/reports/organisations/not-an-id/brief")
        .await
        .expect_problem(StatusCode::BAD_REQUEST, Some("id"));
    // An organisation with nothing recorded has a brief that says so.
    let empty = raw(server, &format!("{path}?format=md&lang=en")).await;
    assert_eq!(empty.status, StatusCode::OK);
    let text = String::from_utf8(empty.body).unwrap();
    assert_eq!(text.matches("Nothing recorded.").count(), 4, "{text}");
}
