//! Opening one fresh SQLite file while another connection is writing it, as
//! servers scaling out start together: the store waits its turn instead of
//! failing. (Turning a new file to write-ahead logging needs a write lock;
//! where waiting for it could deadlock, SQLite's busy handler does not
//! wait, so the store that lost the race failed at once with "database is
//! locked".) PostgreSQL has
//! no such step; its migrations are serialised by an advisory lock, tested
//! end to end in tests/e2e/api/hardening.rs (three servers at once).

use std::time::Duration;

use samverkan_store::Store;
use sea_orm::{ConnectionTrait, Database, TransactionTrait};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_file_being_written_is_opened_once_the_writer_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("new.db").display());
    // Another process's first connection: still in the default rollback
    // journal, inside a write transaction (a RESERVED lock on the file).
    let other = Database::connect(&url).await.unwrap();
    other
        .execute_unprepared("CREATE TABLE other (n INTEGER)")
        .await
        .unwrap();
    let writing = other.begin().await.unwrap();
    writing
        .execute_unprepared("INSERT INTO other VALUES (1)")
        .await
        .unwrap();

    let opening = tokio::spawn({
        let url = url.clone();
        async move { Store::open(&url).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    writing.commit().await.unwrap();

    let store = opening
        .await
        .unwrap()
        .expect("the store opens once the write ends");
    store.ping().await.unwrap();
    store.close().await.unwrap();
}
