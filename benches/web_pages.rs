//! The web pages under load, each beside the JSON requests that read the
//! same data, on the `api_load` data, against the release binary.
//!
//! The machinery is `api_load`'s (`benches/load/`): the same generated
//! SQLite database (2,000 organisations and 20,000 meetings), the same
//! `samverkan serve` process and load generator, and the server's CPU time
//! read from `/proc` around each scenario. With two CPUs or more, the
//! server is pinned to the first with `taskset` and this process (the load
//! generator) to the last, so that the one does not eat the other's CPU.
//!
//! The bench signs in once, through the form (`GET /login` for the `_csrf`
//! field and the `samverkan_login` cookie, then `POST /login`), as an admin
//! it adds with `samverkan user add`, and sends the session cookie with
//! every page request; signing in costs an Argon2 hash, by design, so it is
//! never done per request. The JSON requests carry an admin's API token.
//!
//! Pairs, each page first, then its JSON counterpart:
//!
//! * `/organisations/{id}` beside `/api/v1/organisations/{id}` plus the
//!   lists the page reads: representatives, partnerships and follow-ups of
//!   the organisation (up to 500 each), its timeline and its last 20 audit
//!   entries;
//! * `/meetings/{id}` (partner days) beside `/api/v1/meetings/{id}` plus
//!   its last 20 audit entries;
//! * `/` beside the meetings from today (5, ascending) and before today
//!   (5), and 10 rows of the year's engagement (the page asks for the 10
//!   cooling or dormant organisations, a filter the API does not offer; the
//!   bench's user is no representative, so the page shows no follow-ups of
//!   their own);
//! * `/engagement` beside `/api/v1/engagement/summary` and
//!   `/api/v1/engagement` for the same period (this year so far).
//!
//! One page or one group of JSON requests counts as one request: its
//! latency runs from the first byte sent to the last byte of the last
//! answer. Prints a markdown table with requests/s, p50 and p99, server CPU
//! per request and the ratio page ÷ JSON, the start page's weight (HTML,
//! CSS and JavaScript, uncompressed), then whether the targets are met.
//!
//! Run with `cargo bench --bench web_pages`. The environment variables are
//! `api_load`'s (`SAMVERKAN_LOAD_*`), with 16 connections by default;
//! `SAMVERKAN_LOAD_ONLY` keeps the pairs of the pages it names (paths,
//! comma-separated: `/`, `/organisations/{id}`, `/meetings/{id}`,
//! `/engagement`).
//! Without `--bench` (as `cargo test --benches` runs it) it makes a smoke
//! run: a tiny database and half a second per scenario.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod load;

use std::fmt::Write as _;

use chrono::Datelike;
use load::{
    Config, Kind, Outcome, Scenario, Server, add_user, admin_token, attribute, client, ids, list_items,
    load_average, prepare_data, run_scenario, sign_in, split_cores,
};

// Targets from the issue.
const TARGET_CPU_RATIO: f64 = 1.5;
const TARGET_P99_MS: f64 = 50.0;
const TARGET_START_PAGE_BYTES: usize = 60 * 1024;

const EMAIL: &str = "pages-bench@example.org";
const PASSWORD: &str = "a bench password, long enough";

fn main() {
    // Before the runtime starts its threads, so that they all inherit it.
    let server_core = split_cores();
    let config = Config::from_env(16);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(config, server_core));
}

/// The start page's weight: its HTML and the stylesheet and script it
/// links, uncompressed, in bytes.
async fn start_page_weight(client: &reqwest::Client, server: &Server) -> (usize, usize, usize) {
    let html = client
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut sizes = Vec::new();
    for (marker, name) in [("rel=\"stylesheet\"", "href"), ("<script src=", "src")] {
        let href = attribute(&html, marker, name).unwrap_or_else(|| panic!("no {marker} on /"));
        let answer = client.get(server.url(href)).send().await.unwrap();
        assert!(answer.status().is_success(), "GET {href}: {}", answer.status());
        sizes.push(answer.bytes().await.unwrap().len());
    }
    (html.len(), sizes[0], sizes[1])
}

fn scenario(name: &str, urls: Vec<String>, also: Vec<Vec<String>>) -> Scenario {
    Scenario {
        name: name.into(),
        kind: Kind::Read,
        urls,
        also,
        bodies: Vec::new(),
    }
}

async fn run(config: Config, server_core: Option<usize>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mode = if config.smoke { " (smoke run)" } else { "" };
    eprintln!(
        "web_pages{mode}: {} organisations, {} meetings, seed {}, {} connections, {} s per scenario after {} s warm-up, server on CPU {}",
        config.organisations,
        config.meetings,
        config.seed,
        config.connections,
        config.seconds,
        config.warmup,
        server_core.map_or_else(|| "any (not pinned)".to_owned(), |core| core.to_string()),
    );

    // 1. The data, a token for the API, a user with a password for the pages.
    let (_, database_url, data) = prepare_data(&config, dir.path()).await;
    eprintln!("data: {data}");
    let token = admin_token(&database_url).await;
    add_user(&database_url, EMAIL, PASSWORD, "admin");

    // 2. The server, and one sign-in.
    let server = Server::start(&database_url, &dir.path().join("server.log"), server_core);
    eprintln!("server at {}", server.base);
    let session = sign_in(&server, EMAIL, PASSWORD).await;
    let api = client(
        &[(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {}", token.expose()),
        )],
        config.connections,
    );
    let pages = client(&[(reqwest::header::COOKIE, session)], config.connections);

    // 3. Ids, through the API.
    let organisations = ids(&list_items(&api, &server, "/api/v1/organisations", usize::MAX).await);
    let partner_days = ids(&list_items(&api, &server, "/api/v1/meetings?kind=partner_day", 2_000).await);
    assert!(!organisations.is_empty(), "no organisations listed");
    assert!(!partner_days.is_empty(), "no partner days listed");
    eprintln!(
        "ids: {} organisations, {} partner days",
        organisations.len(),
        partner_days.len()
    );
    let weight = start_page_weight(&pages, &server).await;

    // 4. The scenarios: each page, then the JSON requests that read its data.
    let today = samverkan_domain::time::today();
    let year_start = today.with_ordinal(1).unwrap_or(today);
    let yesterday = today.pred_opt().unwrap_or(today);
    let url = |path: String| server.url(&path);
    let pairs = vec![
        (
            scenario(
                "GET /organisations/{id}",
                organisations
                    .iter()
                    .map(|id| url(format!("/organisations/{id}")))
                    .collect(),
                Vec::new(),
            ),
            scenario(
                "GET /api/v1/organisations/{id} + 5 lists",
                organisations
                    .iter()
                    .map(|id| url(format!("/api/v1/organisations/{id}")))
                    .collect(),
                organisations
                    .iter()
                    .map(|id| {
                        vec![
                            url(format!("/api/v1/representatives?organisation_id={id}&limit=500")),
                            url(format!("/api/v1/partnerships?organisation_id={id}&limit=500")),
                            url(format!("/api/v1/follow-ups?organisation_id={id}&limit=500")),
                            url(format!("/api/v1/organisations/{id}/timeline?limit=25")),
                            url(format!("/api/v1/organisations/{id}/history?limit=20")),
                        ]
                    })
                    .collect(),
            ),
        ),
        (
            scenario(
                "GET /meetings/{id} (partner day)",
                partner_days
                    .iter()
                    .map(|id| url(format!("/meetings/{id}")))
                    .collect(),
                Vec::new(),
            ),
            scenario(
                "GET /api/v1/meetings/{id} + history",
                partner_days
                    .iter()
                    .map(|id| url(format!("/api/v1/meetings/{id}")))
                    .collect(),
                partner_days
                    .iter()
                    .map(|id| vec![url(format!("/api/v1/meetings/{id}/history?limit=20"))])
                    .collect(),
            ),
        ),
        (
            scenario("GET /", vec![url("/".into())], Vec::new()),
            scenario(
                "GET /api/v1/meetings ×2 + /api/v1/engagement",
                vec![url(format!("/api/v1/meetings?from={today}&limit=5"))],
                vec![vec![
                    url(format!("/api/v1/meetings?to={yesterday}&limit=5")),
                    url(format!(
                        "/api/v1/engagement?from={year_start}&to={today}&limit=10"
                    )),
                ]],
            ),
        ),
        (
            scenario("GET /engagement", vec![url("/engagement".into())], Vec::new()),
            scenario(
                "GET /api/v1/engagement/summary + /api/v1/engagement",
                vec![url(format!(
                    "/api/v1/engagement/summary?from={year_start}&to={today}"
                ))],
                vec![vec![url(format!(
                    "/api/v1/engagement?from={year_start}&to={today}&limit=25"
                ))]],
            ),
        ),
    ];
    // SAMVERKAN_LOAD_ONLY: run only the pairs of these pages (their paths,
    // comma-separated, e.g. `/,/engagement`).
    let mut pairs = pairs;
    if let Ok(only) = std::env::var("SAMVERKAN_LOAD_ONLY") {
        let words: Vec<&str> = only.split(',').map(str::trim).filter(|w| !w.is_empty()).collect();
        pairs.retain(|(page, _)| {
            let path = page.name.trim_start_matches("GET ").split(' ').next();
            words.iter().any(|w| path == Some(*w))
        });
    }
    let server_pid = server.child.id();
    eprintln!("server pid {server_pid}");
    let load_before = load_average();
    let mut results: Vec<(Outcome, Outcome)> = Vec::new();
    for (page, json) in pairs {
        let page = run_scenario(&pages, page, &config, server_pid).await;
        let json = run_scenario(&api, json, &config, server_pid).await;
        results.push((page, json));
    }
    let load_after = load_average();
    let server_log_tail = results
        .iter()
        .any(|(page, json)| page.errors + json.errors > 0)
        .then(|| server.log_tail());
    drop(server);

    // 5. The report.
    let cpu_us = |outcome: &Outcome| {
        outcome
            .server_cpu
            .filter(|_| outcome.ok + outcome.errors > 0)
            .map(|cpu| cpu.as_secs_f64() * 1e6 / (outcome.ok + outcome.errors) as f64)
    };
    let mut table = String::new();
    writeln!(
        table,
        "| Scenario | Requests | Errors | Requests/s | p50 (ms) | p99 (ms) | Server CPU / request (µs) | \
         Page ÷ JSON (CPU) | Body (KiB) |"
    )
    .unwrap();
    writeln!(table, "|---|---:|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    let mut verdicts = String::new();
    let mut verdict = |met: bool, text: String| {
        writeln!(verdicts, "- {} {text}", if met { "MET" } else { "MISSED" }).unwrap();
    };
    for (page, json) in &results {
        let ratio = cpu_us(page)
            .zip(cpu_us(json))
            .map(|(page, json)| page / json.max(1e-9));
        for (outcome, ratio) in [(page, ratio), (json, None)] {
            writeln!(
                table,
                "| `{}` | {} | {} | {:.0} | {:.2} | {:.2} | {} | {} | {:.1} |",
                outcome.name,
                outcome.ok,
                outcome.errors,
                outcome.per_second(),
                outcome.percentile_ms(50.0),
                outcome.percentile_ms(99.0),
                outcome.cpu_per_request_us(outcome.server_cpu),
                ratio.map_or_else(String::new, |ratio| format!("**{ratio:.2}×**")),
                outcome.average_body_kib(),
            )
            .unwrap();
        }
        verdict(
            ratio.is_some_and(|ratio| ratio <= TARGET_CPU_RATIO) && page.errors + json.errors == 0,
            format!(
                "`{}` at most 1.5× the server CPU of `{}`: {}",
                page.name,
                json.name,
                ratio.map_or_else(|| "n/a".to_owned(), |ratio| format!("{ratio:.2}×"))
            ),
        );
    }
    for (page, _) in &results {
        let p99 = page.percentile_ms(99.0);
        verdict(
            p99 < TARGET_P99_MS && page.errors == 0,
            format!(
                "`{}` p99 under 50 ms at {} connections: {p99:.2} ms",
                page.name, config.connections
            ),
        );
    }
    let (html, css, js) = weight;
    let total = html + css + js;
    verdict(
        total < TARGET_START_PAGE_BYTES,
        format!(
            "start page under 60 KB (HTML + CSS + JS, uncompressed): {total} bytes ({html} + {css} + {js})"
        ),
    );

    let mut report = String::new();
    writeln!(
        report,
        "Data{mode}: {data}. {} connections, {} s per scenario after {} s warm-up; server on CPU {}, \
         load generator on the other; load average {load_before} before the scenarios, {load_after} after.\n",
        config.connections,
        config.seconds,
        config.warmup,
        server_core.map_or_else(|| "any (not pinned)".to_owned(), |core| core.to_string()),
    )
    .unwrap();
    report.push_str(&table);
    report.push_str("\nTargets:\n\n");
    report.push_str(&verdicts);
    for (outcome, _) in results.iter().flat_map(|(page, json)| [(page, ()), (json, ())]) {
        if outcome.errors > 0 {
            writeln!(report, "\n`{}`: {} errors, e.g.:", outcome.name, outcome.errors).unwrap();
            for sample in &outcome.error_samples {
                writeln!(report, "  - {sample}").unwrap();
            }
        }
    }
    if let Some(tail) = server_log_tail {
        report.push_str("\nServer log (end):\n\n```\n");
        report.push_str(&tail);
        report.push_str("\n```\n");
    }
    println!("\n{report}");
    if let Some(path) = &config.report {
        std::fs::write(path, &report).expect("write the report");
    }
    // A smoke run checks that the machinery works, not the figures.
    let failed: usize = results.iter().map(|(page, json)| page.errors + json.errors).sum();
    assert_eq!(failed, 0, "requests failed; see the report");
}
