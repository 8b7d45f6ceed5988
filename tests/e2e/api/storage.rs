//! A full disk, for real: the server's SQLite file on a small tmpfs of its
//! own (a mount namespace made with `unshare`, so no root is needed where
//! user namespaces are allowed). Every write answered 201 must be stored;
//! a full disk answers 507 and `/ready` 503; once space is freed, writes
//! work again without a restart.
//!
//! SQLite only: PostgreSQL ends a transaction with its failed statement or
//! `COMMIT`, so no connection can be left inside one (docs/security.md,
//! "A full disk").

use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use super::{get, post};
use crate::server::TestServer;

/// The tmpfs: room for the database and for the ballast that, deleted,
/// leaves more free than the 16 MiB `/ready` asks for.
const TMPFS_SIZE: &str = "size=40m";
const BALLAST_MIB: u32 = 20;

/// Whether this machine lets an unprivileged process make a mount
/// namespace; under CI it must.
fn namespaces_available() -> bool {
    let works = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .status()
        .is_ok_and(|status| status.success());
    if !works {
        assert!(
            std::env::var("CI").map_or(true, |ci| ci != "true"),
            "`unshare --user --map-root-user --mount` must work in CI for the full-disk test"
        );
        eprintln!("skipping the full-disk test: this machine does not allow user namespaces");
    }
    works
}

/// `samverkan serve --demo` on a fresh tmpfs at `folder` (seen only by the
/// server's mount namespace), with a ballast file filling half of it.
fn serve_on_tmpfs(folder: &Path) -> TestServer {
    let mut command = Command::new("unshare");
    command.args([
        "--user",
        "--map-root-user",
        "--mount",
        "sh",
        "-c",
        r#"mount -t tmpfs -o "$1" tmpfs "$0" && dd if=/dev/zero of="$0/ballast" bs=1M count="$2" 2>/dev/null && exec "$3" serve --demo --bind 127.0.0.1:0 --rate-limit 1000000"#,
    ]);
    command
        .arg(folder)
        .arg(TMPFS_SIZE)
        .arg(BALLAST_MIB.to_string())
        .arg(env!("CARGO_BIN_EXE_samverkan"));
    let url = format!("sqlite://{}?mode=rwc", folder.join("samverkan.db").display());
    TestServer::spawn(command, &url, None)
}

fn organisation(n: u32) -> serde_json::Value {
    json!({
        "name": format!("Företag {n} som fyller disken"),
        "kind": "company",
        "description": "Ett företag som finns för att fylla disken. ".repeat(12),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_507_acknowledges_nothing_unstored_and_recovers() {
    if !namespaces_available() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let server = serve_on_tmpfs(folder.path());
    get(&server, "/ready").await.expect(StatusCode::OK);

    let mut created = Vec::new();
    let mut refusals = 0;
    for n in 0..20_000 {
        let answer = post(&server, "/api/v1/organisations", &organisation(n)).await;
        match answer.status {
            StatusCode::CREATED => created.push(answer.body["id"].as_str().unwrap().to_owned()),
            StatusCode::INSUFFICIENT_STORAGE => {
                let problem = answer.expect_problem(StatusCode::INSUFFICIENT_STORAGE, None);
                assert_eq!(problem["type"], "/problems/storage-full");
                refusals += 1;
                // The second refusal on a full disk was what left the
                // writer inside a transaction that never committed.
                if refusals == 3 {
                    break;
                }
            }
            other => panic!("a filling disk answered {other}: {}", answer.body),
        }
    }
    assert_eq!(refusals, 3, "the disk never filled");
    let ready = get(&server, "/ready").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "{}", ready.body);
    assert_eq!(ready.body["status"], "storage-full");
    // Reads go on.
    get(&server, &format!("/api/v1/organisations/{}", created[0]))
        .await
        .expect(StatusCode::OK);

    // Free the space, from outside the server's namespace.
    let ballast = Path::new("/proc")
        .join(server.pid().to_string())
        .join("root")
        .join(folder.path().strip_prefix("/").unwrap())
        .join("ballast");
    std::fs::remove_file(&ballast).unwrap_or_else(|error| panic!("removing {}: {error}", ballast.display()));
    get(&server, "/ready").await.expect(StatusCode::OK);
    for n in 0..5 {
        let body = post(&server, "/api/v1/organisations", &organisation(100_000 + n))
            .await
            .expect(StatusCode::CREATED);
        created.push(body["id"].as_str().unwrap().to_owned());
    }
    // Every write acknowledged, before the disk filled and after, is there.
    for id in &created {
        get(&server, &format!("/api/v1/organisations/{id}"))
            .await
            .expect(StatusCode::OK);
    }
}
