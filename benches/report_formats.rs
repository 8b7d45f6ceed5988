//! The engagement report for every partner as a reader gets it: `GET
//! /api/v1/reports/engagement?format=pdf` beside the same request with
//! `format=html`, in the same run, against the release binary on the
//! `api_load` data (2,000 organisations, 20,000 meetings).
//!
//! Each answer is the whole report: the store reads every partner's
//! figures for the period and the one before, the summary and the charts,
//! and `samverkan-report` writes the one document model in the format
//! asked. The two formats alternate, one request at a time (a report is
//! asked for by one person, who waits for it), `SAMVERKAN_REPORT_RUNS` (7)
//! times each; the median of the wall time and of the server's CPU time
//! (from `/proc`, around each request) of each format, and their ratio.
//! The PDF's own cost beyond the HTML, without the database, is
//! `crates/report/benches/report_pdf.rs`'s.
//!
//! The machinery is `api_load`'s (`benches/load/`): the same generated
//! SQLite database (`SAMVERKAN_LOAD_DATABASE` to keep and reuse one), the
//! same server, pinned to the first CPU with `taskset` and this process to
//! the last. The period is `SAMVERKAN_REPORT_FROM` to `SAMVERKAN_REPORT_TO`
//! (2025-01-01 to 2025-12-31: the generated meetings run from 2022 to
//! 2026). Every answer is checked: status 200, a PDF that starts `%PDF-`,
//! an HTML page, and both name the same partners (the HTML's table rows
//! are counted against the API's organisations).
//!
//! Run with `cargo bench --bench report_formats`. Without `--bench` (as
//! `cargo test --benches` runs it) it makes a smoke run: a tiny database
//! and one request of each.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod load;

use std::time::{Duration, Instant};

use load::{
    Config, Server, admin_token, client, cpu_time, env_or, ids, list_items, load_average, prepare_data,
    split_cores,
};

/// From the issue: the PDF at most three times the HTML's time.
const TARGET_RATIO: f64 = 3.0;

fn main() {
    // Before the runtime starts its threads, so that they all inherit it.
    let server_core = split_cores();
    let config = Config::from_env(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(config, server_core));
}

/// One request's wall time and the server's CPU time during it.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Option<Duration>,
    bytes: usize,
}

async fn fetch(client: &reqwest::Client, server: &Server, url: &str, format: &str) -> (Sample, Vec<u8>) {
    let pid = server.child.id();
    let cpu_before = cpu_time(pid);
    let started = Instant::now();
    let answer = client.get(url).send().await.unwrap();
    let status = answer.status();
    let body = answer.bytes().await.unwrap().to_vec();
    let wall = started.elapsed();
    let cpu = cpu_time(pid)
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    assert!(status.is_success(), "GET {url}: {status}");
    match format {
        "pdf" => assert!(body.starts_with(b"%PDF-"), "{url}: not a PDF"),
        _ => assert!(
            String::from_utf8_lossy(&body).contains("<html"),
            "{url}: not an HTML page"
        ),
    }
    let bytes = body.len();
    (Sample { wall, cpu, bytes }, body)
}

/// One format's medians over its runs.
struct Medians<'a> {
    format: &'a str,
    wall: Option<Duration>,
    cpu: Option<Duration>,
    bytes: usize,
}

fn median(mut values: Vec<Duration>) -> Option<Duration> {
    values.sort();
    values.get(values.len() / 2).copied()
}

fn ms(duration: Option<Duration>) -> String {
    duration.map_or_else(|| "n/a".to_owned(), |d| format!("{:.1}", d.as_secs_f64() * 1e3))
}

async fn run(config: Config, server_core: Option<usize>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let runs: usize = env_or("SAMVERKAN_REPORT_RUNS", if config.smoke { 1 } else { 7 });
    let from: String = env_or("SAMVERKAN_REPORT_FROM", "2025-01-01".to_owned());
    let to: String = env_or("SAMVERKAN_REPORT_TO", "2025-12-31".to_owned());
    let mode = if config.smoke { " (smoke run)" } else { "" };
    eprintln!(
        "report_formats{mode}: {} organisations, {} meetings, seed {}, {runs} runs of each format, {from} to {to}, server on CPU {}",
        config.organisations,
        config.meetings,
        config.seed,
        server_core.map_or_else(|| "any (not pinned)".to_owned(), |core| core.to_string()),
    );

    let (_, database_url, data) = prepare_data(&config, dir.path()).await;
    eprintln!("data: {data}");
    let token = admin_token(&database_url).await;
    let server = Server::start(&database_url, &dir.path().join("server.log"), server_core);
    let client = client(
        &[(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {}", token.expose()),
        )],
        1,
    );
    let organisations = ids(&list_items(&client, &server, "/api/v1/organisations", usize::MAX).await).len();
    let url = |format: &str| {
        server.url(&format!(
            "/api/v1/reports/engagement?from={from}&to={to}&format={format}"
        ))
    };

    // One of each before measuring: the first request of a fresh server
    // pays for its connections and the file's first reads.
    let (_, html) = fetch(&client, &server, &url("html"), "html").await;
    fetch(&client, &server, &url("pdf"), "pdf").await;
    let html = String::from_utf8_lossy(&html);
    let rows = html.matches("<tr").count();
    assert!(
        rows >= organisations,
        "the HTML has {rows} table rows for {organisations} organisations"
    );

    let load_before = load_average();
    let mut samples: [(&str, Vec<Sample>); 2] = [("html", Vec::new()), ("pdf", Vec::new())];
    for _ in 0..runs {
        for (format, taken) in &mut samples {
            let (sample, _) = fetch(&client, &server, &url(format), format).await;
            taken.push(sample);
        }
    }
    let load_after = load_average();
    drop(server);

    let summary: Vec<Medians> = samples
        .iter()
        .map(|(format, taken)| Medians {
            format,
            wall: median(taken.iter().map(|s| s.wall).collect()),
            cpu: median(taken.iter().filter_map(|s| s.cpu).collect()),
            bytes: taken.last().map_or(0, |s| s.bytes),
        })
        .collect();
    let ratio = |pick: fn(&Medians) -> Option<Duration>| {
        pick(&summary[1])
            .zip(pick(&summary[0]))
            .map(|(pdf, html)| pdf.as_secs_f64() / html.as_secs_f64().max(1e-9))
    };
    let (wall_ratio, cpu_ratio) = (ratio(|m| m.wall), ratio(|m| m.cpu));

    println!(
        "\nData: {data}. {organisations} organisations in the report, {from} to {to}; {runs} requests of each \
         format, alternating, one at a time; server on CPU {}, this process on the other; load average \
         {load_before} before, {load_after} after.\n",
        server_core.map_or_else(|| "any".to_owned(), |core| core.to_string()),
    );
    println!("| format | median time (ms) | median server CPU (ms) | size (KiB) |");
    println!("|---|---:|---:|---:|");
    for m in &summary {
        println!(
            "| {} | {} | {} | {:.0} |",
            m.format,
            ms(m.wall),
            ms(m.cpu),
            m.bytes as f64 / 1024.0
        );
    }
    let show = |ratio: Option<f64>| ratio.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.2}×"));
    println!(
        "\nPDF ÷ HTML: {} of the time, {} of the server's CPU.\n",
        show(wall_ratio),
        show(cpu_ratio)
    );
    if config.smoke {
        println!("(A smoke run: a tiny database and one request of each; the figures say nothing.)\n");
    }
    let met = wall_ratio.is_some_and(|r| r <= TARGET_RATIO);
    println!(
        "- {} the engagement report as PDF at most {TARGET_RATIO}× the HTML's time: {}",
        if met { "MET" } else { "MISSED" },
        show(wall_ratio)
    );
}
