//! The attendance export at scale, on a SQLite file and on PostgreSQL,
//! beside a hand-written query.
//!
//! Fills each database with `samverkan generate` (the release binary;
//! 2,000 organisations and 100,000 meetings by default) unless it holds
//! meetings already, then, alternating, several times each:
//!
//! * `store`: `Store::attendance_export` (keyset-paged batches) written as
//!   CSV by `samverkan_report::export` into a sink that counts bytes;
//! * `sqlx`: one hand-written `SELECT … JOIN … ORDER BY` streamed row by
//!   row with sqlx's `fetch`, written as the same CSV with the `csv` crate
//!   (texts through the same `csv::text_field`) into the same kind of sink:
//!   the floor any export over this schema has.
//!
//! Then the CLI, `samverkan report attendances --output FILE`, as a child
//! under `/usr/bin/time`, for the end-to-end rate and its peak resident
//! memory. Prints a markdown table and whether the targets are met: at
//! least 200,000 rows/s, peak memory under 150 MB, and at most 1.5 times
//! the hand-written query's time.
//!
//! Run with `cargo bench --bench attendance_export`. Environment variables:
//! `SAMVERKAN_EXPORT_ORGANISATIONS` (2000), `SAMVERKAN_EXPORT_MEETINGS`
//! (100000), `SAMVERKAN_EXPORT_RUNS` (3), `SAMVERKAN_EXPORT_DATABASE` (a
//! SQLite file to create and keep; used as it is if it exists: the
//! engagement bench's file under `target/bench-engagement/` has the same
//! data), `SAMVERKAN_EXPORT_POSTGRES_URL` (a PostgreSQL database, created
//! and filled if it has no meetings; without it PostgreSQL is skipped: the
//! engagement bench's `samverkan_bench_engagement` has the same data),
//! `SAMVERKAN_EXPORT_ONLY` (`sqlite` or `postgres`). Without `--bench` (as
//! `cargo test --benches` runs it) it makes a smoke run on a tiny SQLite
//! database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::{StreamExt, TryStreamExt};
use samverkan_report::csv::text_field;
use samverkan_report::export::ExportFormat;
use samverkan_store::{DEFAULT_EXPORT_BATCH, Store};
use uuid::Uuid;

/// Counts what is written and throws it away.
#[derive(Default)]
struct Sink {
    bytes: u64,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const BASELINE: &str = "SELECT a.id, a.meeting_id, m.starts_at, m.title, m.kind, m.status, \
     a.organisation_id, o.name, a.representative_id, r.full_name, a.role, a.status \
     FROM attendances a \
     JOIN meetings m ON m.id = a.meeting_id \
     JOIN organisations o ON o.id = a.organisation_id \
     LEFT JOIN representatives r ON r.id = a.representative_id \
     WHERE m.starts_at >= $1 AND m.starts_at < $2 \
     ORDER BY m.starts_at, m.id, a.id";

/// A connection for the hand-written query.
enum Baseline {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

type BaselineRow = (
    Uuid,
    Uuid,
    DateTime<Utc>,
    String,
    String,
    String,
    Uuid,
    String,
    Option<Uuid>,
    Option<String>,
    String,
    String,
);

async fn run_store(store: &Store, from: NaiveDate, to: NaiveDate) -> (u64, u64, Duration) {
    let started = Instant::now();
    let format = ExportFormat::Csv;
    let mut sink = Sink::default();
    sink.write_all(&format.header().unwrap()).unwrap();
    let mut rows = 0;
    // With minors' names, as the hand-written query writes them: the same
    // bytes from both (the default export names minors "Minderårig").
    let mut batches =
        std::pin::pin!(store.attendance_export_with_minors(from, to, DEFAULT_EXPORT_BATCH, true));
    while let Some(batch) = batches.next().await {
        let batch = batch.unwrap();
        rows += batch.len() as u64;
        sink.write_all(&format.rows(&batch).unwrap()).unwrap();
    }
    (rows, sink.bytes, started.elapsed())
}

/// Streams the hand-written query from `$pool` into CSV: the same code for
/// either backend's pool type.
macro_rules! stream_baseline {
    ($pool:expr, $from:expr, $to:expr) => {{
        let (pool, from, to) = ($pool, $from, $to);
        let started = Instant::now();
        let mut out = Sink::default();
        out.write_all(&ExportFormat::Csv.header().unwrap()).unwrap();
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let mut rows = 0;
        let mut stream = sqlx::query_as::<_, BaselineRow>(BASELINE)
            .bind(samverkan_domain::time::day_start(from))
            .bind(samverkan_domain::time::day_end(to))
            .fetch(pool);
        while let Some(row) = stream.try_next().await.unwrap() {
            let date = samverkan_domain::time::local_date(row.2);
            csv.serialize((
                row.0,
                row.1,
                date,
                row.2.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                text_field(&row.3),
                &row.4,
                &row.5,
                row.6,
                text_field(&row.7),
                row.8,
                row.9.as_deref().map(text_field),
                &row.10,
                &row.11,
            ))
            .unwrap();
            rows += 1;
        }
        csv.flush().unwrap();
        let bytes = csv.into_inner().map_err(|_| "flush").unwrap().bytes;
        (rows, bytes, started.elapsed())
    }};
}

async fn run_baseline(baseline: &Baseline, from: NaiveDate, to: NaiveDate) -> (u64, u64, Duration) {
    match baseline {
        Baseline::Sqlite(pool) => stream_baseline!(pool, from, to),
        Baseline::Postgres(pool) => stream_baseline!(pool, from, to),
    }
}

fn rate(rows: u64, elapsed: Duration) -> f64 {
    rows as f64 / elapsed.as_secs_f64()
}

/// Fills the database at `url` with the release binary's `generate` unless
/// it holds meetings already.
async fn fill_if_empty(binary: &str, url: &str, organisations: usize, meetings: usize) {
    let store = Store::open(url).await.unwrap();
    let held = store
        .list_meetings(&Default::default(), &samverkan_store::PageRequest::first(1))
        .await
        .unwrap()
        .items
        .len();
    store.close().await.unwrap();
    if held > 0 {
        return;
    }
    eprintln!("generating {organisations} organisations and {meetings} meetings into {url}");
    let started = Instant::now();
    let status = Command::new(binary)
        .args([
            "generate",
            "--organisations",
            &organisations.to_string(),
            "--meetings",
            &meetings.to_string(),
        ])
        .env("SAMVERKAN_DATABASE_URL", url)
        .status()
        .unwrap();
    assert!(status.success());
    eprintln!("generated in {:.0} s", started.elapsed().as_secs_f64());
}

/// Times the store and the baseline alternately, then the CLI; a report
/// section for this backend.
async fn measure(
    name: &str,
    binary: &str,
    url: &str,
    baseline: Baseline,
    runs: usize,
    dir: &std::path::Path,
) -> String {
    // Every meeting: the generator writes 2022 to 2026.
    let (from, to) = (
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2100, 12, 31).unwrap(),
    );
    let store = Store::open(url).await.unwrap();
    let mut store_times = Vec::new();
    let mut baseline_times = Vec::new();
    let mut totals = None;
    for run in 0..runs {
        let (rows, bytes, elapsed) = run_store(&store, from, to).await;
        let (base_rows, base_bytes, base_elapsed) = run_baseline(&baseline, from, to).await;
        assert_eq!(rows, base_rows, "both read every attendance");
        assert_eq!(bytes, base_bytes, "both write the same CSV");
        eprintln!(
            "{name} run {}: store {rows} rows, {bytes} bytes in {:.2} s; sqlx {base_rows} rows, {base_bytes} bytes in {:.2} s",
            run + 1,
            elapsed.as_secs_f64(),
            base_elapsed.as_secs_f64()
        );
        store_times.push(elapsed);
        baseline_times.push(base_elapsed);
        totals = Some((rows, bytes));
    }
    match baseline {
        Baseline::Sqlite(pool) => pool.close().await,
        Baseline::Postgres(pool) => pool.close().await,
    }
    store.close().await.unwrap();
    let (rows, bytes) = totals.unwrap();
    store_times.sort();
    baseline_times.sort();
    let median = |times: &[Duration]| times[times.len() / 2];
    let (store_time, baseline_time) = (median(&store_times), median(&baseline_times));

    // The CLI end to end, for its rate and peak memory.
    let output = dir.join("attendances.csv");
    let started = Instant::now();
    let timed = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(binary)
        .args([
            "report",
            "attendances",
            "--from",
            "2000-01-01",
            "--to",
            "2100-12-31",
            "--include-minors",
            "--output",
        ])
        .arg(&output)
        .env("SAMVERKAN_DATABASE_URL", url)
        .output()
        .unwrap();
    let cli_time = started.elapsed();
    assert!(
        timed.status.success(),
        "{}",
        String::from_utf8_lossy(&timed.stderr)
    );
    let peak_kib: u64 = String::from_utf8_lossy(&timed.stderr)
        .lines()
        .last()
        .and_then(|line| line.trim().parse().ok())
        .unwrap();
    let cli_bytes = std::fs::metadata(&output).unwrap().len();
    assert_eq!(cli_bytes, bytes, "the CLI writes what the store path wrote");
    let _ = std::fs::remove_file(&output);
    let peak_mb = peak_kib as f64 * 1024.0 / 1e6;

    let ratio = store_time.as_secs_f64() / baseline_time.as_secs_f64();
    format!(
        "{name}: {rows} attendances ({:.1} MB of CSV), median of {runs} run(s):\n\n\
         | path | time | rows/s |\n| --- | ---: | ---: |\n\
         | store (`attendance_export` + CSV) | {:.2} s | {:.0} |\n\
         | hand-written sqlx query + CSV | {:.2} s | {:.0} |\n\
         | CLI `report attendances --output` (process) | {:.2} s | {:.0} |\n\n\
         CLI peak resident memory: {peak_mb:.1} MB. Store time / sqlx time: {ratio:.2}.\n\n\
         - at least 200,000 rows/s (store): {}\n- peak memory under 150 MB (CLI): {}\n- at most 1.5x the hand-written query: {}\n",
        bytes as f64 / 1e6,
        store_time.as_secs_f64(),
        rate(rows, store_time),
        baseline_time.as_secs_f64(),
        rate(rows, baseline_time),
        cli_time.as_secs_f64(),
        rate(rows, cli_time),
        if rate(rows, store_time) >= 200_000.0 {
            "yes"
        } else {
            "**no**"
        },
        if peak_mb < 150.0 { "yes" } else { "**no**" },
        if ratio <= 1.5 { "yes" } else { "**no**" },
    )
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let organisations = if smoke {
        12
    } else {
        env_or("SAMVERKAN_EXPORT_ORGANISATIONS", 2_000)
    };
    let meetings = if smoke {
        40
    } else {
        env_or("SAMVERKAN_EXPORT_MEETINGS", 100_000)
    };
    let runs = if smoke {
        1
    } else {
        env_or("SAMVERKAN_EXPORT_RUNS", 3)
    };
    let only = std::env::var("SAMVERKAN_EXPORT_ONLY").unwrap_or_default();
    let binary = env!("CARGO_BIN_EXE_samverkan");
    let dir = tempfile::tempdir().unwrap();
    let database = std::env::var_os("SAMVERKAN_EXPORT_DATABASE")
        .filter(|_| !smoke)
        .map_or_else(|| dir.path().join("export.db"), PathBuf::from);
    let postgres_url = std::env::var("SAMVERKAN_EXPORT_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty() && !smoke);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut report = Vec::new();
    runtime.block_on(async {
        if only.is_empty() || only == "sqlite" {
            let url = format!("sqlite://{}?mode=rwc", database.display());
            fill_if_empty(binary, &url, organisations, meetings).await;
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&database)
                .read_only(true);
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await
                .unwrap();
            report.push(measure("SQLite", binary, &url, Baseline::Sqlite(pool), runs, dir.path()).await);
        }
        match postgres_url {
            Some(url) if only.is_empty() || only == "postgres" => {
                fill_if_empty(binary, &url, organisations, meetings).await;
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect(&url)
                    .await
                    .unwrap();
                report.push(
                    measure(
                        "PostgreSQL",
                        binary,
                        &url,
                        Baseline::Postgres(pool),
                        runs,
                        dir.path(),
                    )
                    .await,
                );
            }
            None if !smoke => eprintln!("postgres: skipped (SAMVERKAN_EXPORT_POSTGRES_URL is not set)"),
            _ => {}
        }
    });
    println!("{}", report.join("\n"));
}
