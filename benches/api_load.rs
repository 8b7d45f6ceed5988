//! The HTTP API under load, on SQLite, against the release binary.
//!
//! Populates a temporary SQLite file with `samverkan_synth::generate`
//! (2,000 organisations and 20,000 meetings, about 50,000 follow-ups), starts
//! `samverkan serve --bind 127.0.0.1:0` on it, and drives it with 64
//! concurrent connections (reqwest on tokio), one scenario at a time for a
//! fixed duration after a short warm-up:
//!
//! * `GET /health` (no database: the baseline, measured first and again last),
//! * `GET /api/v1/organisations/{id}` (random generated ids),
//! * `GET /api/v1/meetings/{id}` (random partner days, read whole),
//! * `GET /api/v1/follow-ups?overdue=true` (first page),
//! * `GET /api/v1/meetings?organisation_id=…` (first page, random organisations),
//! * `GET /api/v1/search?q=…` (Swedish terms),
//! * `POST /api/v1/meetings` (a partner day: 18 attendees, 6 agenda items,
//!   2 outcomes and 3 follow-ups, from ids read through the API).
//!
//! Only 2xx answers count as successes; anything else is reported as an
//! error. Prints a markdown table with requests/s, p50 and p99 latency and
//! the throughput relative to `/health`, then whether the targets are met.
//!
//! Run with `cargo bench --bench api_load`. Environment variables:
//! `SAMVERKAN_LOAD_ORGANISATIONS` (2000), `SAMVERKAN_LOAD_MEETINGS` (20000),
//! `SAMVERKAN_LOAD_SEED` (1), `SAMVERKAN_LOAD_SECONDS` (10 per scenario),
//! `SAMVERKAN_LOAD_WARMUP_SECONDS` (2), `SAMVERKAN_LOAD_CONNECTIONS` (64),
//! `SAMVERKAN_LOAD_RUST_LOG` (the server's `RUST_LOG`; by default the
//! server's own default, which logs one line per request),
//! `SAMVERKAN_LOAD_REPORT` (also write the report to this file),
//! `SAMVERKAN_LOAD_DATABASE` (a SQLite file to create and keep instead of a
//! temporary one; if it exists, it is used as it is, without generating),
//! `SAMVERKAN_LOAD_ONLY` (comma-separated words: run only the scenarios
//! whose names contain one, besides `/health`).
//!
//! Without `--bench` (as `cargo test --benches` runs it) it makes a smoke
//! run: a tiny database and half a second per scenario.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde_json::{Value, json};

use samverkan_domain::{Email, Role, TokenSecret, UserDetails, UserInput};
use samverkan_store::Store;
use samverkan_synth::{GenerateOptions, Progress, generate};

/// At most this many requests per scenario, whatever the duration.
const MAX_REQUESTS_PER_SCENARIO: usize = 10_000_000;
/// Every request is given up after this long (and counted as an error).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The server must print its address within this long.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);
/// Pages read when collecting ids, at most.
const MAX_PAGES: usize = 200;

const SEARCH_TERMS: &[&str] = &[
    "samverkan",
    "trollhättan",
    "öberg",
    "kompetensförsörjning",
    "lindhé",
    "vänersborg",
    "partnerdag",
    "högskolan",
];

// Targets from the issue.
const TARGET_BY_ID_RATIO: f64 = 0.40;
const TARGET_READ_P99_MS: f64 = 25.0;
const TARGET_PARTNER_DAYS_PER_SECOND: f64 = 500.0;

#[derive(Debug, Clone)]
struct Config {
    organisations: usize,
    meetings: usize,
    seed: u64,
    seconds: f64,
    warmup: f64,
    connections: usize,
    smoke: bool,
    report: Option<PathBuf>,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(raw) if !raw.trim().is_empty() => raw
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={raw} is not a valid value")),
        _ => default,
    }
}

impl Config {
    fn from_env() -> Self {
        let smoke = !std::env::args().any(|arg| arg == "--bench");
        let (organisations, meetings, seconds, warmup) = if smoke {
            (20, 40, 0.5, 0.2)
        } else {
            (2_000, 20_000, 10.0, 2.0)
        };
        let config = Self {
            organisations: env_or("SAMVERKAN_LOAD_ORGANISATIONS", organisations),
            meetings: env_or("SAMVERKAN_LOAD_MEETINGS", meetings),
            seed: env_or("SAMVERKAN_LOAD_SEED", 1),
            seconds: env_or("SAMVERKAN_LOAD_SECONDS", seconds),
            warmup: env_or("SAMVERKAN_LOAD_WARMUP_SECONDS", warmup),
            connections: env_or("SAMVERKAN_LOAD_CONNECTIONS", 64),
            smoke,
            report: std::env::var_os("SAMVERKAN_LOAD_REPORT").map(PathBuf::from),
        };
        assert!(config.organisations >= 2, "at least 2 organisations");
        assert!(config.meetings >= 1, "at least 1 meeting");
        assert!(
            (0.1..=3_600.0).contains(&config.seconds),
            "seconds between 0.1 and 3600"
        );
        assert!(
            (0.0..=600.0).contains(&config.warmup),
            "warm-up between 0 and 600 seconds"
        );
        assert!((1..=1_024).contains(&config.connections), "1 to 1024 connections");
        config
    }
}

/// A small, fast, seeded generator for picking ids (xorshift64*).
#[derive(Debug, Clone)]
struct Pick(u64);

impl Pick {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `count` distinct indexes below `n`.
    fn distinct(&mut self, count: usize, n: usize) -> Vec<usize> {
        let mut chosen = Vec::with_capacity(count);
        let mut seen = BTreeSet::new();
        let mut guard = 0;
        while chosen.len() < count.min(n) && guard < 100 * count + 100 {
            guard += 1;
            let i = self.below(n);
            if seen.insert(i) {
                chosen.push(i);
            }
        }
        chosen
    }
}

// ------------------------------------------------------------------- server

/// The server process; killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    fn start(database_url: &str, log: &Path) -> Self {
        let log_file = File::create(log).expect("create the server log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_samverkan"));
        command
            // One token and one address drive the whole load, standing for
            // many clients: no per-token rate limit, no per-address cap.
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--rate-limit",
                "0",
                "--max-connections-per-client",
                "0",
            ])
            .env("SAMVERKAN_DATABASE_URL", database_url)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file));
        if let Ok(level) = std::env::var("SAMVERKAN_LOAD_RUST_LOG") {
            command.env("RUST_LOG", level);
        }
        let mut child = command.spawn().expect("start samverkan serve");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, receiver) = mpsc::channel();
        // Reads the address, then drains stdout until the server exits.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(address) = line.strip_prefix("listening on ") {
                    let _ = sender.send(address.trim().to_owned());
                }
            }
        });
        let mut server = Self {
            child,
            base: String::new(),
            log: log.to_owned(),
        };
        match receiver.recv_timeout(STARTUP_TIMEOUT) {
            Ok(base) => server.base = base,
            Err(_) => panic!(
                "the server did not print its address within {STARTUP_TIMEOUT:?}; its log ends:\n{}",
                server.log_tail()
            ),
        }
        assert!(
            server.base.starts_with("http://127.0.0.1:"),
            "the server listens on {}, not on 127.0.0.1",
            server.base
        );
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn log_tail(&self) -> String {
        let Ok(mut file) = File::open(&self.log) else {
            return String::new();
        };
        let length = file.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = file.seek(SeekFrom::Start(length.saturating_sub(4_000)));
        let mut tail = String::new();
        let _ = file.read_to_string(&mut tail);
        tail
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ------------------------------------------------------------------- ids through the API

/// Every item of a list, following `next_cursor` (at most `MAX_PAGES` pages
/// and `max_items` items).
async fn list_items(client: &reqwest::Client, server: &Server, path: &str, max_items: usize) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut url = url::Url::parse(&server.url(path)).unwrap();
        url.query_pairs_mut().append_pair("limit", "500");
        if let Some(cursor) = &cursor {
            url.query_pairs_mut().append_pair("cursor", cursor);
        }
        let response = client.get(url.as_str()).send().await.unwrap();
        assert!(response.status().is_success(), "GET {url}: {}", response.status());
        let page: Value = response.json().await.unwrap();
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        cursor = page["next_cursor"].as_str().map(ToOwned::to_owned);
        if cursor.is_none() || items.len() >= max_items {
            break;
        }
    }
    items.truncate(max_items);
    items
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| item["id"].as_str().map(ToOwned::to_owned))
        .collect()
}

/// Ids the scenarios draw from, all read through the API.
struct Ids {
    organisations: Vec<String>,
    partner_days: Vec<String>,
    /// Adult representatives: (id, organisation id).
    people: Vec<(String, String)>,
    partnerships: Vec<String>,
}

async fn collect_ids(client: &reqwest::Client, server: &Server) -> Ids {
    let organisations = ids(&list_items(client, server, "/api/v1/organisations", usize::MAX).await);
    let partner_days = ids(&list_items(client, server, "/api/v1/meetings?kind=partner_day", 2_000).await);
    let people = list_items(client, server, "/api/v1/representatives", 2_000)
        .await
        .into_iter()
        .filter(|person| person["is_minor"].as_bool() == Some(false))
        .filter_map(|person| {
            Some((
                person["id"].as_str()?.to_owned(),
                person["organisation_id"].as_str()?.to_owned(),
            ))
        })
        .collect();
    let partnerships = ids(&list_items(client, server, "/api/v1/partnerships", 500).await);
    Ids {
        organisations,
        partner_days,
        people,
        partnerships,
    }
}

/// A weekday before today, between 2022 and late 2026.
fn past_weekday(pick: &mut Pick) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(2022, 1, 3).unwrap();
    let last = samverkan_domain::time::today()
        .checked_sub_days(Days::new(7))
        .unwrap()
        .max(first);
    let span = (last - first).num_days().max(1) as usize;
    let date = first + Days::new(pick.below(span) as u64);
    match date.weekday() {
        Weekday::Sat => date - Days::new(1),
        Weekday::Sun => date - Days::new(2),
        _ => date,
    }
}

/// A partner day as a client logs it: 16 people and 2 organisations
/// attending, 6 agenda items (5 with presenters), 2 outcomes, 3 follow-ups,
/// 3 partnerships and a tag.
fn partner_day_body(pick: &mut Pick, ids: &Ids, n: usize) -> Vec<u8> {
    let people: Vec<&(String, String)> = pick
        .distinct(16, ids.people.len())
        .into_iter()
        .map(|i| &ids.people[i])
        .collect();
    let host = people[0].1.clone();
    let organisations: Vec<&String> = pick
        .distinct(2, ids.organisations.len())
        .into_iter()
        .map(|i| &ids.organisations[i])
        .filter(|id| **id != host)
        .collect();
    let partnerships: Vec<&String> = pick
        .distinct(3, ids.partnerships.len())
        .into_iter()
        .map(|i| &ids.partnerships[i])
        .collect();
    let date = past_weekday(pick);
    let starts_at = samverkan_domain::time::day_start(date);
    let mut attendees: Vec<Value> = people
        .iter()
        .enumerate()
        .map(|(i, (person, _))| {
            let role = match i {
                0 => "host",
                1..=7 => "presenter",
                _ => "participant",
            };
            json!({ "representative_id": person, "role": role, "status": "attended" })
        })
        .collect();
    attendees.extend(
        organisations
            .iter()
            .map(|id| json!({ "organisation_id": id, "role": "participant", "status": "attended" })),
    );
    let presenters: [&[usize]; 6] = [&[0], &[1, 2], &[], &[3], &[4, 5], &[6, 7]];
    let topics = [
        "Välkommen och presentationsrunda",
        "Nya reformer för gymnasie- och vuxenutbildningen",
        "Diskussion: samhällets kompetensbehov",
        "Ungdomsbarometern",
        "Wexus – en samverkansarena för hållbar utveckling",
        "Elevernas framtidsdrömmar",
    ];
    let agenda: Vec<Value> = topics
        .iter()
        .zip(presenters)
        .map(|(title, who)| {
            let presenter_ids: Vec<&String> = who
                .iter()
                .filter_map(|i| people.get(*i).map(|(person, _)| person))
                .collect();
            json!({ "title": title, "presenter_ids": presenter_ids, "duration_minutes": 30 })
        })
        .collect();
    let owner = |i: usize| people.get(i % people.len()).map(|(person, _)| person.clone());
    let body = json!({
        "title": format!("Partnerdag under last {n}: samverkan i Väst"),
        "kind": "partner_day",
        "starts_at": starts_at.to_rfc3339(),
        "all_day": true,
        "location": "Drömfabriken, Trollhättan",
        "host_organisation_id": host,
        "partnership_ids": partnerships,
        "summary": "Heldag för strategiska partner, med temat Tillsammanskraft.",
        "tags": ["tillsammanskraft"],
        "attendees": attendees,
        "agenda": agenda,
        "outcomes": [
            { "kind": "insight", "text": "Att mötas bygger broar mellan utbildning och arbetsliv." },
            { "kind": "agreement", "text": "Partnerskapen bygger på ömsesidighet.", "agenda_index": 1 },
        ],
        "follow_ups": [
            { "title": "Dela ungdomsbarometerns resultat", "owner_id": owner(3), "due_on": (date + Days::new(30)).to_string(), "outcome_index": 0 },
            { "title": "Boka nästa partnerdag", "owner_id": owner(0), "due_on": (date + Days::new(60)).to_string(), "status": "in_progress" },
            { "title": "Skicka minnesanteckningar", "owner_id": owner(9), "due_on": (date + Days::new(7)).to_string(), "status": "done" },
        ],
    });
    serde_json::to_vec(&body).unwrap()
}

// ------------------------------------------------------------------- load

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Baseline,
    ReadById,
    Read,
    Write,
}

struct Scenario {
    name: String,
    kind: Kind,
    urls: Vec<String>,
    /// For a POST: the bodies, sent in turn.
    bodies: Vec<Vec<u8>>,
}

#[derive(Debug, Default)]
struct Outcome {
    name: String,
    ok: usize,
    errors: usize,
    error_samples: Vec<String>,
    elapsed: Duration,
    /// Latencies of the successful requests, in microseconds, sorted.
    latencies: Vec<u64>,
    /// Bytes of the successful answers' bodies.
    body_bytes: u64,
    /// CPU time the server and this process used while measuring.
    server_cpu: Option<Duration>,
    client_cpu: Option<Duration>,
}

impl Outcome {
    fn cpu_per_request_us(&self, cpu: Option<Duration>) -> String {
        match cpu {
            Some(cpu) if self.ok + self.errors > 0 => {
                format!("{:.0}", cpu.as_secs_f64() * 1e6 / (self.ok + self.errors) as f64)
            }
            _ => "n/a".into(),
        }
    }

    fn average_body_kib(&self) -> f64 {
        self.body_bytes as f64 / self.ok.max(1) as f64 / 1024.0
    }

    fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn percentile_ms(&self, percent: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((percent / 100.0) * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1] as f64 / 1_000.0
    }
}

#[derive(Default)]
struct WorkerResult {
    ok: usize,
    errors: usize,
    error_samples: Vec<String>,
    latencies: Vec<u64>,
    body_bytes: u64,
}

async fn worker(
    client: reqwest::Client,
    scenario: Arc<Scenario>,
    deadline: Instant,
    max_requests: usize,
    seed: u64,
) -> WorkerResult {
    let mut pick = Pick::new(seed);
    let mut result = WorkerResult::default();
    while Instant::now() < deadline && result.ok + result.errors < max_requests {
        let url = &scenario.urls[pick.below(scenario.urls.len())];
        let request = if scenario.bodies.is_empty() {
            client.get(url)
        } else {
            let body = scenario.bodies[pick.below(scenario.bodies.len())].clone();
            client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body)
        };
        let started = Instant::now();
        let answer = async {
            let response = request.send().await?;
            let status = response.status();
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, body))
        }
        .await;
        let latency = started.elapsed();
        match answer {
            Ok((status, body)) if status.is_success() => {
                result.ok += 1;
                result.body_bytes += body.len() as u64;
                result.latencies.push(latency.as_micros() as u64);
            }
            Ok((status, body)) => {
                result.errors += 1;
                if result.error_samples.len() < 3 {
                    let text = String::from_utf8_lossy(&body);
                    result.error_samples.push(format!(
                        "{status}: {}",
                        text.chars().take(300).collect::<String>()
                    ));
                }
            }
            Err(error) => {
                result.errors += 1;
                if result.error_samples.len() < 3 {
                    result.error_samples.push(format!("transport: {error}"));
                }
            }
        }
    }
    result
}

/// Runs `scenario` on `connections` concurrent connections for `seconds`.
async fn drive(
    client: &reqwest::Client,
    scenario: &Arc<Scenario>,
    seconds: f64,
    connections: usize,
) -> Outcome {
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let per_worker = (MAX_REQUESTS_PER_SCENARIO / connections).max(1);
    let workers: Vec<_> = (0..connections)
        .map(|i| {
            tokio::spawn(worker(
                client.clone(),
                Arc::clone(scenario),
                deadline,
                per_worker,
                i as u64 + 1,
            ))
        })
        .collect();
    let mut outcome = Outcome {
        name: scenario.name.clone(),
        ..Outcome::default()
    };
    for joined in workers {
        let result = joined.await.expect("a load worker panicked");
        outcome.ok += result.ok;
        outcome.errors += result.errors;
        for sample in result.error_samples {
            if outcome.error_samples.len() < 5 && !outcome.error_samples.contains(&sample) {
                outcome.error_samples.push(sample);
            }
        }
        outcome.latencies.extend(result.latencies);
        outcome.body_bytes += result.body_bytes;
    }
    outcome.elapsed = started.elapsed();
    outcome.latencies.sort_unstable();
    outcome
}

async fn run_scenario(
    client: &reqwest::Client,
    scenario: Scenario,
    config: &Config,
    server_pid: u32,
) -> Outcome {
    let scenario = Arc::new(scenario);
    if config.warmup > 0.0 {
        let _ = drive(client, &scenario, config.warmup, config.connections).await;
    }
    let (server_before, client_before) = (cpu_time(server_pid), cpu_time(std::process::id()));
    let mut outcome = drive(client, &scenario, config.seconds, config.connections).await;
    let (server_after, client_after) = (cpu_time(server_pid), cpu_time(std::process::id()));
    outcome.server_cpu = server_after
        .zip(server_before)
        .map(|(after, before)| after.saturating_sub(before));
    outcome.client_cpu = client_after
        .zip(client_before)
        .map(|(after, before)| after.saturating_sub(before));
    eprintln!(
        "  {:<48} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}  server CPU {} µs/req",
        outcome.name,
        outcome.per_second(),
        outcome.percentile_ms(50.0),
        outcome.percentile_ms(99.0),
        outcome.errors,
        outcome.cpu_per_request_us(outcome.server_cpu),
    );
    outcome
}

/// User plus system CPU time of a process so far (Linux: `/proc/PID/stat`,
/// in clock ticks of 1/100 s); `None` elsewhere.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The 1-, 5- and 15-minute load averages (Linux), for the report.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|raw| raw.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn main() {
    let config = Config::from_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(config));
}

/// A fresh token of the bench's admin user (created on first use).
async fn admin_token(database_url: &str) -> TokenSecret {
    const EMAIL: &str = "load-bench@example.org";
    let store = Store::open(database_url).await.expect("open the store");
    let email = Email::parse("email", EMAIL).expect("an e-mail address");
    let admin = match store.user_by_email(&email).await.expect("read users") {
        Some(admin) => admin,
        None => {
            let details = UserDetails::parse(&UserInput {
                email: EMAIL.into(),
                role: Some(Role::Admin),
                ..UserInput::default()
            })
            .expect("a user");
            store.create_user(details).await.expect("create the user")
        }
    };
    let (_, secret) = store
        .issue_token(admin.id, "api_load", Some(1))
        .await
        .expect("issue the token");
    store.close().await.expect("close the store");
    secret
}

async fn run(config: Config) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // A file kept afterwards, for looking into; an existing one is reused
    // as it is, without generating.
    let (database, reuse) = match std::env::var_os("SAMVERKAN_LOAD_DATABASE") {
        Some(path) => {
            let path = PathBuf::from(path);
            let reuse = path.exists();
            (path, reuse)
        }
        None => (dir.path().join("load.db"), false),
    };
    let database_url = format!("sqlite://{}?mode=rwc", database.display());
    let mode = if config.smoke { " (smoke run)" } else { "" };
    eprintln!(
        "api_load{mode}: {} organisations, {} meetings, seed {}, {} connections, {} s per scenario after {} s warm-up",
        config.organisations, config.meetings, config.seed, config.connections, config.seconds, config.warmup
    );

    // 1. The data.
    let data = if reuse {
        format!("reused {}", database.display())
    } else {
        let store = Store::open(&database_url).await.expect("open the store");
        let options = GenerateOptions {
            organisations: config.organisations,
            meetings: config.meetings,
            seed: config.seed,
        };
        let generating = Instant::now();
        let mut last_reported = (None, 0);
        let summary = generate(&store, &options, &mut |progress: Progress| {
            let tenth = progress.done * 10 / progress.total.max(1);
            if last_reported != (Some(progress.phase), tenth) || progress.done == progress.total {
                last_reported = (Some(progress.phase), tenth);
                eprintln!("  generating {progress}");
            }
        })
        .await
        .expect("generate the data");
        let generated_in = generating.elapsed();
        store.close().await.expect("close the store");
        format!(
            "{summary}; generated in {:.1} s ({:.0} meetings/s)",
            generated_in.as_secs_f64(),
            summary.meetings as f64 / generated_in.as_secs_f64(),
        )
    };
    let database_bytes =
        file_size(&database) + file_size(&PathBuf::from(format!("{}-wal", database.display())));
    eprintln!(
        "data: {data}; database {:.0} MiB",
        database_bytes as f64 / (1024.0 * 1024.0)
    );

    // Every request under /api/v1 needs a token: an admin's, made here.
    let token = admin_token(&database_url).await;

    // 2. The server.
    let server = Server::start(&database_url, &dir.path().join("server.log"));
    eprintln!("server at {}", server.base);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose()))
            .expect("a header value"),
    );
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .pool_max_idle_per_host(config.connections)
        .tcp_nodelay(true)
        .build()
        .expect("an HTTP client");

    // 3. Ids, through the API.
    let ids = collect_ids(&client, &server).await;
    assert!(!ids.organisations.is_empty(), "no organisations listed");
    assert!(!ids.people.is_empty(), "no representatives listed");
    eprintln!(
        "ids: {} organisations, {} partner days, {} representatives, {} partnerships",
        ids.organisations.len(),
        ids.partner_days.len(),
        ids.people.len(),
        ids.partnerships.len()
    );
    let mut pick = Pick::new(config.seed);
    let organisation_urls: Vec<String> = ids
        .organisations
        .iter()
        .map(|id| server.url(&format!("/api/v1/organisations/{id}")))
        .collect();
    let meeting_urls: Vec<String> = ids
        .partner_days
        .iter()
        .map(|id| server.url(&format!("/api/v1/meetings/{id}")))
        .collect();
    let meetings_of_urls: Vec<String> = ids
        .organisations
        .iter()
        .map(|id| server.url(&format!("/api/v1/meetings?organisation_id={id}")))
        .collect();
    let search_urls: Vec<String> = SEARCH_TERMS
        .iter()
        .map(|term| {
            url::Url::parse_with_params(&server.url("/api/v1/search"), [("q", *term)])
                .unwrap()
                .to_string()
        })
        .collect();
    let bodies: Vec<Vec<u8>> = (0..256).map(|n| partner_day_body(&mut pick, &ids, n)).collect();

    // 4. The scenarios, /health first and last.
    let health = || Scenario {
        name: "GET /health".into(),
        kind: Kind::Baseline,
        urls: vec![server.url("/health")],
        bodies: Vec::new(),
    };
    let mut scenarios = vec![
        health(),
        Scenario {
            name: "GET /api/v1/organisations/{id}".into(),
            kind: Kind::ReadById,
            urls: organisation_urls,
            bodies: Vec::new(),
        },
    ];
    if !meeting_urls.is_empty() {
        scenarios.push(Scenario {
            name: "GET /api/v1/meetings/{id} (partner day)".into(),
            kind: Kind::ReadById,
            urls: meeting_urls,
            bodies: Vec::new(),
        });
    }
    scenarios.extend([
        Scenario {
            name: "GET /api/v1/follow-ups?overdue=true".into(),
            kind: Kind::Read,
            urls: vec![server.url("/api/v1/follow-ups?overdue=true")],
            bodies: Vec::new(),
        },
        Scenario {
            name: "GET /api/v1/meetings?organisation_id=…".into(),
            kind: Kind::Read,
            urls: meetings_of_urls,
            bodies: Vec::new(),
        },
        Scenario {
            name: "GET /api/v1/search?q=…".into(),
            kind: Kind::Read,
            urls: search_urls,
            bodies: Vec::new(),
        },
        Scenario {
            name: "POST /api/v1/meetings (partner day)".into(),
            kind: Kind::Write,
            urls: vec![server.url("/api/v1/meetings")],
            bodies,
        },
        health(),
    ]);
    // SAMVERKAN_LOAD_ONLY: run only the scenarios whose names contain one
    // of these comma-separated words (the /health baseline always runs).
    if let Ok(only) = std::env::var("SAMVERKAN_LOAD_ONLY") {
        let words: Vec<&str> = only.split(',').map(str::trim).filter(|w| !w.is_empty()).collect();
        scenarios.retain(|s| s.kind == Kind::Baseline || words.iter().any(|w| s.name.contains(w)));
    }
    let server_pid = server.child.id();
    eprintln!("server pid {server_pid}");
    let load_before = load_average();
    let mut outcomes = Vec::new();
    let mut kinds = Vec::new();
    for scenario in scenarios {
        kinds.push(scenario.kind);
        outcomes.push(run_scenario(&client, scenario, &config, server_pid).await);
    }
    let load_after = load_average();
    let server_log_bytes = file_size(&server.log);
    let server_log_tail = outcomes.iter().any(|o| o.errors > 0).then(|| server.log_tail());
    drop(server);

    // 5. The report.
    let baseline = outcomes[0].per_second();
    let mut table = String::new();
    writeln!(
        table,
        "| Scenario | Requests | Errors | Requests/s | p50 (ms) | p99 (ms) | vs /health | \
         Server CPU / request (µs) | Client CPU / request (µs) | Body (KiB) |"
    )
    .unwrap();
    writeln!(table, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    for (i, outcome) in outcomes.iter().enumerate() {
        let name = match (i, kinds[i]) {
            (0, Kind::Baseline) => format!("{} (baseline, first)", outcome.name),
            (_, Kind::Baseline) => format!("{} (again, last)", outcome.name),
            _ => outcome.name.clone(),
        };
        writeln!(
            table,
            "| `{name}` | {} | {} | {:.0} | {:.2} | {:.2} | {:.1} % | {} | {} | {:.1} |",
            outcome.ok,
            outcome.errors,
            outcome.per_second(),
            outcome.percentile_ms(50.0),
            outcome.percentile_ms(99.0),
            100.0 * outcome.per_second() / baseline.max(1e-9),
            outcome.cpu_per_request_us(outcome.server_cpu),
            outcome.cpu_per_request_us(outcome.client_cpu),
            outcome.average_body_kib(),
        )
        .unwrap();
    }

    let mut verdicts = String::new();
    let mut verdict = |met: bool, text: String| {
        writeln!(verdicts, "- {} {text}", if met { "MET" } else { "MISSED" }).unwrap();
    };
    for (outcome, kind) in outcomes.iter().zip(&kinds) {
        if *kind == Kind::ReadById {
            let ratio = outcome.per_second() / baseline.max(1e-9);
            verdict(
                ratio >= TARGET_BY_ID_RATIO && outcome.errors == 0,
                format!(
                    "`{}` at ≥ 40 % of /health's throughput: {:.1} %",
                    outcome.name,
                    100.0 * ratio
                ),
            );
        }
    }
    for (outcome, kind) in outcomes.iter().zip(&kinds) {
        if matches!(kind, Kind::ReadById | Kind::Read) {
            let p99 = outcome.percentile_ms(99.0);
            verdict(
                p99 < TARGET_READ_P99_MS && outcome.errors == 0,
                format!("`{}` p99 under 25 ms: {p99:.2} ms", outcome.name),
            );
        }
    }
    for (outcome, kind) in outcomes.iter().zip(&kinds) {
        if *kind == Kind::Write {
            let rate = outcome.per_second();
            verdict(
                rate >= TARGET_PARTNER_DAYS_PER_SECOND && outcome.errors == 0,
                format!("at least 500 partner days logged per second: {rate:.0}/s"),
            );
        }
    }

    let mut errors = String::new();
    for outcome in outcomes.iter().filter(|o| o.errors > 0) {
        writeln!(errors, "- `{}`: {} errors, e.g.:", outcome.name, outcome.errors).unwrap();
        for sample in &outcome.error_samples {
            writeln!(errors, "  - {sample}").unwrap();
        }
    }

    let mut report = String::new();
    writeln!(
        report,
        "Data{mode}: {data}; database {:.0} MiB. {} connections, {} s per scenario after {} s \
         warm-up; server log {:.0} MiB; load average {load_before} before the scenarios, \
         {load_after} after.\n",
        database_bytes as f64 / (1024.0 * 1024.0),
        config.connections,
        config.seconds,
        config.warmup,
        server_log_bytes as f64 / (1024.0 * 1024.0)
    )
    .unwrap();
    report.push_str(&table);
    report.push_str("\nTargets:\n\n");
    report.push_str(&verdicts);
    if !errors.is_empty() {
        report.push_str("\nErrors:\n\n");
        report.push_str(&errors);
        if let Some(tail) = server_log_tail {
            report.push_str("\nServer log (end):\n\n```\n");
            report.push_str(&tail);
            report.push_str("\n```\n");
        }
    }
    println!("\n{report}");
    if let Some(path) = &config.report {
        std::fs::write(path, &report).expect("write the report");
    }
}
