//! What the HTTP load benches share (`api_load`, `web_pages`): the
//! configuration from `SAMVERKAN_LOAD_*`, the generated data, the server
//! process, the load generator and the CPU readings from `/proc`.

// Each bench compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use samverkan_domain::{Email, Role, TokenSecret, UserDetails, UserInput};
use samverkan_store::Store;
use samverkan_synth::{GenerateOptions, Progress, generate};

/// At most this many requests per scenario, whatever the duration.
pub const MAX_REQUESTS_PER_SCENARIO: usize = 10_000_000;
/// Every request is given up after this long (and counted as an error).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The server must print its address within this long.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);
/// Pages read when collecting ids, at most.
pub const MAX_PAGES: usize = 200;

#[derive(Debug, Clone)]
pub struct Config {
    pub organisations: usize,
    pub meetings: usize,
    pub seed: u64,
    pub seconds: f64,
    pub warmup: f64,
    pub connections: usize,
    pub smoke: bool,
    pub report: Option<PathBuf>,
}

pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(raw) if !raw.trim().is_empty() => raw
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={raw} is not a valid value")),
        _ => default,
    }
}

impl Config {
    /// `connections`: the default number of concurrent connections.
    pub fn from_env(connections: usize) -> Self {
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
            connections: env_or("SAMVERKAN_LOAD_CONNECTIONS", connections),
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
pub struct Pick(u64);

impl Pick {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `count` distinct indexes below `n`.
    pub fn distinct(&mut self, count: usize, n: usize) -> Vec<usize> {
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
pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
}

impl Server {
    /// Starts `samverkan serve`; with `core`, pinned to that CPU with
    /// `taskset` (so that the load generator, pinned elsewhere, does not
    /// take the server's CPU).
    pub fn start(database_url: &str, log: &Path, core: Option<usize>) -> Self {
        let log_file = File::create(log).expect("create the server log");
        let binary = env!("CARGO_BIN_EXE_samverkan");
        let mut command = match core {
            Some(core) => {
                let mut command = Command::new("taskset");
                command.args(["-c", &core.to_string(), binary]);
                command
            }
            None => Command::new(binary),
        };
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

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log_tail(&self) -> String {
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
pub async fn list_items(
    client: &reqwest::Client,
    server: &Server,
    path: &str,
    max_items: usize,
) -> Vec<Value> {
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

pub fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| item["id"].as_str().map(ToOwned::to_owned))
        .collect()
}

// ------------------------------------------------------------------- load

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Baseline,
    ReadById,
    Read,
    Write,
}

pub struct Scenario {
    pub name: String,
    pub kind: Kind,
    pub urls: Vec<String>,
    /// Empty, or for each of `urls` the further GETs made after it, in
    /// turn, that count with it as one request (a JSON client reading what
    /// one page shows).
    pub also: Vec<Vec<String>>,
    /// For a POST: the bodies, sent in turn.
    pub bodies: Vec<Vec<u8>>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub name: String,
    pub ok: usize,
    pub errors: usize,
    pub error_samples: Vec<String>,
    pub elapsed: Duration,
    /// Latencies of the successful requests, in microseconds, sorted.
    pub latencies: Vec<u64>,
    /// Bytes of the successful answers' bodies.
    pub body_bytes: u64,
    /// CPU time the server and this process used while measuring.
    pub server_cpu: Option<Duration>,
    pub client_cpu: Option<Duration>,
}

impl Outcome {
    pub fn cpu_per_request_us(&self, cpu: Option<Duration>) -> String {
        match cpu {
            Some(cpu) if self.ok + self.errors > 0 => {
                format!("{:.0}", cpu.as_secs_f64() * 1e6 / (self.ok + self.errors) as f64)
            }
            _ => "n/a".into(),
        }
    }

    pub fn average_body_kib(&self) -> f64 {
        self.body_bytes as f64 / self.ok.max(1) as f64 / 1024.0
    }

    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn percentile_ms(&self, percent: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((percent / 100.0) * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1] as f64 / 1_000.0
    }
}

#[derive(Default)]
pub struct WorkerResult {
    pub ok: usize,
    pub errors: usize,
    pub error_samples: Vec<String>,
    pub latencies: Vec<u64>,
    pub body_bytes: u64,
}

pub async fn worker(
    client: reqwest::Client,
    scenario: Arc<Scenario>,
    deadline: Instant,
    max_requests: usize,
    seed: u64,
) -> WorkerResult {
    let mut pick = Pick::new(seed);
    let mut result = WorkerResult::default();
    while Instant::now() < deadline && result.ok + result.errors < max_requests {
        let index = pick.below(scenario.urls.len());
        let url = &scenario.urls[index];
        let also = scenario.also.get(index).map(Vec::as_slice).unwrap_or_default();
        let request = if scenario.bodies.is_empty() {
            client.get(url)
        } else {
            let body = scenario.bodies[pick.below(scenario.bodies.len())].clone();
            // A JSON object goes as JSON; any other body is a form's.
            let content_type = if body.first() == Some(&b'{') {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            };
            client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body)
        };
        let form = scenario
            .bodies
            .first()
            .is_some_and(|body| body.first() != Some(&b'{'));
        let started = Instant::now();
        let answer = async {
            let response = request.send().await?;
            let mut status = response.status();
            // A form's success is its redirect to what it made (not to
            // sign in again).
            let to_sign_in = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .is_none_or(|location| location.starts_with("/login"));
            if form && status == reqwest::StatusCode::SEE_OTHER && !to_sign_in {
                status = reqwest::StatusCode::OK;
            }
            let body = response.bytes().await?;
            let mut bytes = body.len() as u64;
            if !status.is_success() {
                return Ok((status, body, bytes));
            }
            for url in also {
                let response = client.get(url).send().await?;
                let status = response.status();
                let body = response.bytes().await?;
                bytes += body.len() as u64;
                if !status.is_success() {
                    return Ok((status, body, bytes));
                }
            }
            Ok::<_, reqwest::Error>((status, body, bytes))
        }
        .await;
        let latency = started.elapsed();
        match answer {
            Ok((status, _, bytes)) if status.is_success() => {
                result.ok += 1;
                result.body_bytes += bytes;
                result.latencies.push(latency.as_micros() as u64);
            }
            Ok((status, body, _)) => {
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
pub async fn drive(
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

pub async fn run_scenario(
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
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// An HTTP client for the benches: `headers` on every request (a token, a
/// session cookie), up to `connections` kept open, no proxy, and no
/// redirect followed (a redirect, to /login when a session is refused or
/// after a form, is the answer measured, not the page after it).
pub fn client(headers: &[(reqwest::header::HeaderName, String)], connections: usize) -> reqwest::Client {
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in headers {
        map.insert(
            name.clone(),
            reqwest::header::HeaderValue::from_str(value).expect("a header value"),
        );
    }
    reqwest::Client::builder()
        .default_headers(map)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .pool_max_idle_per_host(connections)
        .tcp_nodelay(true)
        .build()
        .expect("an HTTP client")
}

/// The 1-, 5- and 15-minute load averages (Linux), for the report.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|raw| raw.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

pub fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// A fresh token of the bench's admin user (created on first use).
pub async fn admin_token(database_url: &str) -> TokenSecret {
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

/// Two cores to split between the server and the load generator: pins this
/// process (every thread, and the threads and processes it starts later) to
/// the last CPU and returns the first, for the server; `None` (nothing
/// pinned) with fewer than two CPUs or without `taskset`.
pub fn split_cores() -> Option<usize> {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    if cpus < 2 {
        return None;
    }
    let pinned = Command::new("taskset")
        .args([
            "-a",
            "-p",
            "-c",
            &(cpus - 1).to_string(),
            &std::process::id().to_string(),
        ])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    pinned.then_some(0)
}

/// The database to load: `SAMVERKAN_LOAD_DATABASE` if set (kept afterwards;
/// an existing file is reused as it is, without generating), else `load.db`
/// in `dir`. Returns its path, its URL, and a line saying what was done.
pub async fn prepare_data(config: &Config, dir: &Path) -> (PathBuf, String, String) {
    let (database, reuse) = match std::env::var_os("SAMVERKAN_LOAD_DATABASE") {
        Some(path) => {
            let path = PathBuf::from(path);
            let reuse = path.exists();
            (path, reuse)
        }
        None => (dir.join("load.db"), false),
    };
    let database_url = format!("sqlite://{}?mode=rwc", database.display());
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
    (database, database_url, data)
}

// Signing in to the web pages, as the benches of pages and forms do.

/// Adds a user with `role` and a password (or sets the password, on a
/// reused database that has them already), through the command line as a
/// person would.
pub fn add_user(database_url: &str, email: &str, password: &str, role: &str) {
    for args in [
        &[
            "user",
            "add",
            "--email",
            email,
            "--role",
            role,
            "--password-stdin",
        ][..],
        &["user", "set-password", "--email", email, "--password-stdin"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_samverkan"))
            .args(args)
            .env("SAMVERKAN_DATABASE_URL", database_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start samverkan user");
        writeln!(child.stdin.take().expect("stdin is piped"), "{password}").expect("write the password");
        let output = child.wait_with_output().expect("run samverkan user");
        if output.status.success() {
            return;
        }
        eprintln!(
            "samverkan {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    panic!("could not add the user {email}");
}

/// `name=value` of the first `Set-Cookie` whose name ends in `name`.
pub fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .find(|pair| pair.split('=').next().is_some_and(|n| n.ends_with(name)))
        .map(ToOwned::to_owned)
}

/// The value of the attribute `attribute` of the first tag with `marker`.
pub fn attribute<'a>(html: &'a str, marker: &str, attribute: &str) -> Option<&'a str> {
    let at = html.find(marker)?;
    let tag_start = html[..=at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let key = format!("{attribute}=\"");
    let value = &tag[tag.find(&key)? + key.len()..];
    Some(&value[..value.find('"')?])
}

/// Signs in through the form, once; returns the session cookie
/// (`name=value`).
pub async fn sign_in(server: &Server, email: &str, password: &str) -> String {
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("an HTTP client");
    let form = client.get(server.url("/login")).send().await.unwrap();
    assert!(form.status().is_success(), "GET /login: {}", form.status());
    let login_cookie = cookie(&form, "samverkan_login").expect("a samverkan_login cookie");
    let html = form.text().await.unwrap();
    let csrf = attribute(&html, "name=\"_csrf\"", "value")
        .expect("a _csrf field")
        .to_owned();
    let answer = client
        .post(server.url("/login"))
        .header(reqwest::header::COOKIE, login_cookie)
        .form(&[("_csrf", csrf.as_str()), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_redirection(),
        "POST /login: {} (expected a redirect)",
        answer.status()
    );
    cookie(&answer, "samverkan_session").expect("a session cookie after signing in")
}
