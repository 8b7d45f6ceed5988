//! Slow and greedy clients, over raw TCP: a stranger's body is never read,
//! headers and bodies have deadlines, idle connections are closed, one
//! address holds only so many connections, and memory returns to where it
//! was once such clients leave.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::server::{Backend, TestDatabase, TestServer};

/// The server's deadlines in these tests, short so that the tests are.
const HEADER_TIMEOUT: &str = "2";
const REQUEST_TIMEOUT: &str = "3";

async fn start(extra: &[&str]) -> (TestDatabase, TestServer) {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let mut args = vec![
        "--header-timeout",
        HEADER_TIMEOUT,
        "--request-timeout",
        REQUEST_TIMEOUT,
    ];
    args.extend_from_slice(extra);
    let server = TestServer::start(&database.url, &args);
    (database, server)
}

fn address(server: &TestServer) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection or `limit` passes; what it
/// sent, and whether it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return (String::from_utf8_lossy(&received).into_owned(), true),
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), false),
        }
    }
}

/// The server process's resident memory, in KiB.
fn rss_kib(server: &TestServer) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn post_head(length: usize, token: Option<&str>) -> String {
    let authorization = token.map_or_else(String::new, |token| format!("authorization: Bearer {token}\r\n"));
    format!(
        "POST /api/v1/organisations HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
         {authorization}content-length: {length}\r\n\r\n"
    )
}

/// A request without a token is answered 401 from its headers, before its
/// body (announced, never sent) is read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_is_refused_before_the_body_is_read() {
    let (_database, server) = start(&[]).await;
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    stream
        .write_all(post_head(1024 * 1024 - 1, None).as_bytes())
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(2)).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("www-authenticate: Bearer"), "{answer}");
    assert!(closed, "the connection of an unread body stays open");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// 200 anonymous clients each sending a body of 1 MiB less a byte: the
/// server buffers none of them, and its memory is where it was afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stays_flat_under_200_anonymous_uploads() {
    let (_database, server) = start(&["--max-connections-per-client", "0"]).await;
    // Warm up the server's allocator with one ordinary request.
    super::get(&server, "/api/v1/organisations").await;
    let before = rss_kib(&server);
    let body = vec![b'x'; 1024 * 1024 - 1];
    let clients: Vec<_> = (0..200)
        .map(|_| {
            let address = address(&server);
            let head = post_head(body.len(), None);
            let body = body.clone();
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(address).await.unwrap();
                stream.write_all(head.as_bytes()).await.unwrap();
                // Slowly: 64 KiB at a time. The server may close first.
                for chunk in body.chunks(64 * 1024) {
                    if stream.write_all(chunk).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                read_until_closed(&mut stream, Duration::from_secs(5)).await.0
            })
        })
        .collect();
    let mut during = 0;
    let mut answers = Vec::new();
    for client in clients {
        during = during.max(rss_kib(&server));
        answers.push(client.await.unwrap());
    }
    // Each was refused (or reset after its refusal was sent).
    assert!(
        answers
            .iter()
            .all(|answer| answer.is_empty() || answer.starts_with("HTTP/1.1 401")),
        "{:?}",
        answers.iter().find(|answer| !answer.starts_with("HTTP/1.1 401"))
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib(&server);
    // 200 buffered bodies would be 200 MiB; allow 32 MiB of noise.
    assert!(
        during < before + 32 * 1024,
        "during: {during} KiB, before: {before} KiB"
    );
    assert!(
        after < before + 32 * 1024,
        "after: {after} KiB, before: {before} KiB"
    );
}

/// Headers sent a byte at a time: the connection is closed at the header
/// deadline. An idle kept-alive connection is closed at the same deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_and_idle_connections_are_closed() {
    let (_database, server) = start(&[]).await;
    let mut slow = TcpStream::connect(address(&server)).await.unwrap();
    let started = Instant::now();
    let head = b"GET /health HTTP/1.1\r\nhost: localhost\r\nx-padding: ";
    let mut closed = false;
    for byte in head.iter().cycle().take(40) {
        if slow.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        let (_, gone) = read_until_closed(&mut slow, Duration::from_millis(250)).await;
        if gone {
            closed = true;
            break;
        }
    }
    assert!(closed, "a connection sending a byte every 250 ms was still open");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(5),
        "closed after {waited:?}"
    );

    let mut idle = TcpStream::connect(address(&server)).await.unwrap();
    idle.write_all(b"GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, closed) = read_until_closed(&mut idle, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed, "an idle kept-alive connection was never closed");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

/// A body announced and never sent, by a client with a valid token: the
/// request's time limit covers reading the body too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_comes_meets_the_time_limit() {
    let (_database, server) = start(&[]).await;
    let token = server.token_with_role("admin");
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    stream
        .write_all(post_head(5, Some(&token)).as_bytes())
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("/problems/timeout"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

/// One address may hold `--max-connections-per-client` connections; one
/// more is answered 503 and closed, and a place freed is free again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_holds_only_so_many_connections() {
    let (_database, server) = start(&["--max-connections-per-client", "4"]).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(address(&server)).await.unwrap();
        stream
            .write_all(b"GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut buffer = [0_u8; 512];
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(buffer[..n].starts_with(b"HTTP/1.1 200"));
        held.push(stream);
    }
    let mut fifth = TcpStream::connect(address(&server)).await.unwrap();
    let (answer, closed) = read_until_closed(&mut fifth, Duration::from_secs(2)).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("/problems/too-many-connections"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    serde_json::from_str::<serde_json::Value>(body).unwrap();
    assert!(closed);

    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = TcpStream::connect(address(&server)).await.unwrap();
    again
        .write_all(b"GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0_u8; 512];
    let n = again.read(&mut buffer).await.unwrap();
    assert!(
        buffer[..n].starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buffer[..n])
    );
}

/// A client sending 2 MiB slowly, as a script posting a file would: it reads
/// the 413 problem, not a reset connection, every time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_too_large_is_answered_413_while_it_is_still_sent() {
    let (_database, server) = start(&[]).await;
    let token = server.token_with_role("admin");
    let body = vec![b' '; 2 * 1024 * 1024];
    for attempt in 0..20 {
        let mut stream = TcpStream::connect(address(&server)).await.unwrap();
        stream
            .write_all(post_head(body.len(), Some(&token)).as_bytes())
            .await
            .unwrap();
        for chunk in body.chunks(128 * 1024) {
            stream.write_all(chunk).await.unwrap_or_else(|error| {
                panic!("attempt {attempt}: the server stopped reading mid-body: {error}")
            });
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
        assert!(
            answer.starts_with("HTTP/1.1 413"),
            "attempt {attempt}: {answer:?}"
        );
        assert!(
            answer.contains("/problems/payload-too-large"),
            "attempt {attempt}: {answer}"
        );
    }
}
