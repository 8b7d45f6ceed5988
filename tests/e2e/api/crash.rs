//! A crash mid-stream loses nothing that was confirmed and leaves nothing
//! half-written: meeting logs are streamed at the server, which is killed
//! with SIGKILL (no chance to flush or shut down), then started again.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{get, seed, walk};
use crate::server::{Backend, TestDatabase, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    kill_nine_mid_stream(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    kill_nine_mid_stream(Backend::Postgres).await;
}

/// The parts of a meeting as logged, to compare a stored meeting with.
fn shape(meeting: &Value) -> [usize; 4] {
    ["attendees", "agenda", "outcomes", "follow_ups"].map(|part| meeting[part].as_array().map_or(0, Vec::len))
}

async fn kill_nine_mid_stream(backend: Backend) {
    let Some(database) = TestDatabase::new(backend).await else {
        return;
    };
    let server = TestServer::start(&database.url, &[]);
    let seed = seed(&server).await;
    let expected = shape(&seed.meeting);

    // Eight writers log meetings one after another until the server dies;
    // each keeps the ids it was answered 201 for.
    let confirmed: Arc<Mutex<Vec<String>>> = Arc::default();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let client = server.client.clone();
            let url = server.url("/api/v1/meetings");
            let mut meeting = seed.meeting.clone();
            let confirmed = Arc::clone(&confirmed);
            tokio::spawn(async move {
                for n in 0.. {
                    meeting["title"] = json!(format!("Partnerträff {writer}-{n}"));
                    let Ok(answer) = client.post(&url).json(&meeting).send().await else {
                        break;
                    };
                    if answer.status() != StatusCode::CREATED {
                        break;
                    }
                    let Ok(body) = answer.json::<Value>().await else {
                        break;
                    };
                    let id = body["id"].as_str().unwrap_or_default().to_owned();
                    confirmed.lock().unwrap().push(id);
                }
            })
        })
        .collect();
    // Let the stream run, then kill the server in the middle of it.
    while confirmed.lock().unwrap().len() < 20 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    for writer in writers {
        writer.await.unwrap();
    }
    let confirmed = confirmed.lock().unwrap().clone();

    // It starts cleanly on the same database ...
    let server = TestServer::start(&database.url, &[]);
    get(&server, "/ready").await.expect(StatusCode::OK);
    // ... every meeting confirmed is there, whole ...
    for id in &confirmed {
        let meeting = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(shape(&meeting), expected, "meeting {id}");
    }
    // ... and every meeting there is whole (one in flight at the kill is
    // there whole or not at all).
    let stored = walk(&server, "/api/v1/meetings", 500).await;
    assert!(stored.len() >= confirmed.len());
    for listed in &stored {
        let id = listed["id"].as_str().unwrap();
        let meeting = get(&server, &format!("/api/v1/meetings/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(shape(&meeting), expected, "meeting {id} is half-written");
    }
    drop(server);
    drop(database);
}
