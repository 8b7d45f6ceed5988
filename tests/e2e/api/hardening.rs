//! Protection the server gives every answer: security headers, CORS only
//! where configured, a rate limit per token; and the demo's admin token.

use reqwest::StatusCode;

use super::{get, send_with};
use crate::server::{Backend, TestDatabase, TestServer, client_with_token};

/// The HTTP server's answers carry the security headers, the API's answers
/// are not to be cached, and no CORS header is sent by default.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_carry_security_headers_and_no_cors_by_default() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let server = TestServer::start(&database.url, &[]);
    for path in ["/health", "/api/v1/organisations", "/api/v1/no-such-route"] {
        let answer = server
            .client
            .get(server.url(path))
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        let header = |name: &str| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(ToOwned::to_owned)
        };
        assert_eq!(
            header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{path}");
        assert_eq!(
            header("referrer-policy").as_deref(),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(header("cache-control").as_deref(), Some("no-store"), "{path}");
        assert_eq!(
            header("content-security-policy").as_deref(),
            Some("default-src 'none'; frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(header("access-control-allow-origin"), None, "{path}");
    }
    let docs = server.client.get(server.url("/docs")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let policy = docs.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("'unsafe-inline'"), "{policy}");
}

/// `--cors-origin` lets exactly that origin call from a browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_the_configured_origin() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let server = TestServer::start(&database.url, &["--cors-origin", "https://samverkan.example.se"]);
    let preflight = |origin: &'static str| {
        server
            .client
            .request(reqwest::Method::OPTIONS, server.url("/api/v1/organisations"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type")
            .send()
    };
    let allowed = preflight("https://samverkan.example.se").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://samverkan.example.se"
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
}

/// Each token has its own rate limit: over it, 429 with `Retry-After`;
/// another token is unaffected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_over_its_rate_limit_is_told_when_to_retry() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let server = TestServer::start(&database.url, &["--rate-limit", "1", "--rate-burst", "3"]);
    let limited = client_with_token(&server.token_with_role("viewer"));
    let url = server.url("/api/v1/users");
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..6 {
        let answer = send_with(&limited, reqwest::Method::GET, &url, None).await;
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            retry_after = answer
                .headers
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            answer.expect_problem(StatusCode::TOO_MANY_REQUESTS, None);
            statuses.push(429);
        } else {
            statuses.push(answer.status.as_u16());
        }
    }
    // The viewer may not list users: 403 until the limit, then 429.
    assert_eq!(statuses[..3], [403, 403, 403], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    assert!(retry_after.is_some_and(|s| s >= 1), "{retry_after:?}");
    get(&server, "/api/v1/organisations").await.expect(StatusCode::OK);
}

/// `serve --demo` prints a demo admin's token, which works; the next start
/// prints a new one and the old one is revoked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_prints_a_working_admin_token_renewed_at_each_start() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let first = TestServer::start(&database.url, &["--demo"]);
    let token = first.printed_token().expect("a demo token line");
    let client = client_with_token(&token);
    let meetings = send_with(
        &client,
        reqwest::Method::GET,
        &first.url("/api/v1/meetings"),
        None,
    )
    .await;
    assert_eq!(
        meetings.expect(StatusCode::OK)["items"].as_array().unwrap().len(),
        1
    );
    drop(first);
    let second = TestServer::start(&database.url, &["--demo"]);
    let renewed = second.printed_token().expect("a demo token line");
    assert_ne!(token, renewed);
    send_with(
        &client,
        reqwest::Method::GET,
        &second.url("/api/v1/meetings"),
        None,
    )
    .await
    .expect_problem(StatusCode::UNAUTHORIZED, None);
    let client = client_with_token(&renewed);
    send_with(
        &client,
        reqwest::Method::GET,
        &second.url("/api/v1/meetings"),
        None,
    )
    .await
    .expect(StatusCode::OK);
}

/// The stored password hash of each user, by e-mail.
async fn stored_hashes(database_url: &str) -> std::collections::HashMap<String, String> {
    use sqlx::Connection as _;
    let mut db = sqlx::SqliteConnection::connect(database_url).await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT users.email, user_passwords.hash FROM user_passwords \
         JOIN users ON users.id = user_passwords.user_id",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    rows.into_iter().collect()
}

/// `serve --demo` prints, after the token, a user per role with a fresh
/// random password; the next start prints new ones, and the old stop working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_prints_a_password_per_role_renewed_at_each_start() {
    use samverkan_domain::{Password, PasswordHash};
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let first = TestServer::start(&database.url, &["--demo"]);
    let token_line = first
        .printed()
        .iter()
        .position(|line| line.contains(" token: "))
        .expect("a token line");
    let heading = first
        .printed()
        .iter()
        .position(|line| line.starts_with("Sign in at "))
        .expect("a sign-in block");
    assert!(token_line < heading, "{:?}", first.printed());
    let sign_ins = first.demo_sign_ins();
    let roles: Vec<&str> = sign_ins.iter().map(|(role, _, _)| role.as_str()).collect();
    assert_eq!(roles, ["admin", "strategist", "manager", "viewer"]);
    let works = |hashes: &std::collections::HashMap<String, String>, email: &str, password: &str| {
        PasswordHash::from_stored(hashes[email].clone()).verify(&Password::parse(password).unwrap())
    };
    let hashes = stored_hashes(&database.url).await;
    for (role, email, password) in &sign_ins {
        assert_eq!(*email, format!("demo-{role}@example.org"));
        assert_eq!(password.chars().count(), 20, "{password}");
        assert!(
            works(&hashes, email, password),
            "{email}'s printed password works"
        );
    }
    let users = crate::server::samverkan(&database.url, &["user", "list"]);
    for (role, email, _) in &sign_ins {
        assert!(
            users
                .lines()
                .any(|line| line.contains(&format!("\t{email}\t{role}\t"))),
            "{users}"
        );
    }
    drop(first);

    let second = TestServer::start(&database.url, &["--demo"]);
    let renewed = second.demo_sign_ins();
    let hashes = stored_hashes(&database.url).await;
    assert_eq!(hashes.len(), 4, "the same four users: {hashes:?}");
    for ((_, email, old), (_, _, new)) in sign_ins.iter().zip(&renewed) {
        assert_ne!(old, new);
        assert!(!works(&hashes, email, old));
        assert!(works(&hashes, email, new));
    }
    // A server without --demo prints no passwords.
    drop(second);
    let plain = TestServer::start(&database.url, &[]);
    assert!(!plain.printed().iter().any(|line| line.starts_with("Sign in at ")));
}

/// Three `serve --demo` at once on a fresh database (servers scaling out
/// start together) all start; the demo day is loaded once, and each
/// server's printed token works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_demo_servers_start_at_once() {
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let Some(database) = TestDatabase::new(backend).await else {
            continue;
        };
        let starting: Vec<_> = (0..3)
            .map(|_| {
                let url = database.url.clone();
                std::thread::spawn(move || {
                    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_samverkan"));
                    command.args(["serve", "--demo", "--bind", "127.0.0.1:0"]);
                    TestServer::spawn(command, &url, None)
                })
            })
            .collect();
        let servers: Vec<TestServer> = starting
            .into_iter()
            .map(|thread| thread.join().expect("every server starts"))
            .collect();
        for server in &servers {
            let meetings = get(server, "/api/v1/meetings?include_archived=true")
                .await
                .expect(StatusCode::OK);
            assert_eq!(meetings["items"].as_array().unwrap().len(), 1, "{backend:?}");
            assert_eq!(server.demo_sign_ins().len(), 4, "{backend:?}");
        }
        // One user per role, not one per server.
        let users = crate::server::samverkan(&database.url, &["user", "list"]);
        for role in ["admin", "strategist", "manager", "viewer"] {
            let email = format!("\tdemo-{role}@example.org\t");
            assert_eq!(users.matches(&email).count(), 1, "{backend:?}: {users}");
        }
        drop(servers);
        drop(database);
    }
}

/// Neither a valid token nor a refused one reaches the logs, even at the
/// most verbose level the server has.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_reaches_the_logs() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let token = crate::server::user_with_token(&database.url, "admin@e2e.example", "admin");
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(["--log-format", "json", "serve", "--bind", "127.0.0.1:0"])
        .env("SAMVERKAN_DATABASE_URL", &database.url)
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log.reopen().unwrap()))
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let base = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("listening on ").map(str::to_owned))
        .expect("the server listens");
    let refused = format!("svk_{}", "B".repeat(43));
    for secret in [token.as_str(), refused.as_str(), "Bearer-ish-garbage"] {
        let client = client_with_token(secret);
        for path in ["/api/v1/organisations?q=Lindh%C3%A9", "/api/v1/users"] {
            client.get(format!("{base}{path}")).send().await.unwrap();
        }
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    child.wait().unwrap();
    let logged = std::fs::read_to_string(log.path()).unwrap();
    assert!(logged.contains("\"status\":200"), "the requests were logged");
    for secret in [
        token.as_str(),
        &token[4..],
        refused.as_str(),
        "Bearer-ish-garbage",
        "Lindh",
    ] {
        assert!(!logged.contains(secret), "{secret} is in the log");
    }
}
