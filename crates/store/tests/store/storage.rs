//! A database at its size limit (`StoreOptions::sqlite_max_bytes`, SQLite's
//! `max_page_count`): no write is acknowledged that was not stored, the
//! store says it has no room, and writes work again once there is room,
//! without reopening the store.
//!
//! The limit makes "database or disk is full" happen on demand, but at a
//! statement, never at `COMMIT`: the failed `COMMIT` of a real full disk
//! (which left the writer inside a transaction) is tested end to end on a
//! real tmpfs in tests/e2e/api/storage.rs. SQLite only: PostgreSQL ends a
//! transaction with its failed statement or `COMMIT`, so its connections
//! cannot be left inside one (docs/security.md, "A full disk").

use samverkan_domain::{OrganisationDetails, OrganisationInput, OrganisationKind};
use samverkan_store::{Store, StoreError, StoreOptions};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

/// Room for some organisations above the ballast (and above the 64 pages
/// under which the store says it has no room).
const HEADROOM_PAGES: i64 = 160;
/// The ballast the test deletes to free space: 128 pages.
const BALLAST_BYTES: i64 = 128 * 4096;

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

fn details(n: usize) -> OrganisationDetails {
    OrganisationDetails::parse(&OrganisationInput {
        name: format!("Företag nummer {n} i Trollhättan"),
        kind: Some(OrganisationKind::Company),
        description: Some("Ett företag som finns för att fylla databasen tills disken är full. ".repeat(8)),
        ..OrganisationInput::default()
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_acknowledges_nothing_unstored_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("full.db").display());
    Store::open(&url).await.unwrap().close().await.unwrap();

    // Another program's connection, without the limit: it holds the ballast.
    let other = Database::connect(&url).await.unwrap();
    other
        .execute_unprepared("CREATE TABLE ballast (bytes BLOB NOT NULL)")
        .await
        .unwrap();
    other
        .execute_unprepared(&format!(
            "INSERT INTO ballast VALUES (randomblob({BALLAST_BYTES}))"
        ))
        .await
        .unwrap();
    let pages = scalar(&other, "PRAGMA page_count").await;
    let limit = u64::try_from((pages + HEADROOM_PAGES) * 4096).unwrap();
    let store = Store::connect_with(
        &url,
        StoreOptions {
            sqlite_max_bytes: Some(limit),
            ..StoreOptions::default()
        },
    )
    .await
    .unwrap();
    store.room_for_writes().await.unwrap();

    // Fill it: every write answered Ok must be stored.
    let mut stored = Vec::new();
    let mut failures = 0;
    for n in 0..10_000 {
        match store.create_organisation(details(n)).await {
            Ok(organisation) => stored.push(organisation.id),
            Err(StoreError::StorageFull(_)) => {
                failures += 1;
                // The sequence: a second failure on the full disk
                // was what left the writer inside a transaction.
                if failures == 3 {
                    break;
                }
            }
            Err(other) => panic!("a full disk answered {other:?}"),
        }
    }
    assert_eq!(failures, 3, "the size limit was never reached");
    assert!(!stored.is_empty(), "nothing fitted under the limit");
    assert!(
        matches!(store.room_for_writes().await, Err(StoreError::StorageFull(_))),
        "a full database says it has room"
    );
    // Reads go on.
    store.organisation(stored[0]).await.unwrap();

    // Space is freed (by another program): writes work again, and each one
    // acknowledged is there, for the store and for another connection.
    other.execute_unprepared("DELETE FROM ballast").await.unwrap();
    store.room_for_writes().await.unwrap();
    for n in 0..5 {
        let organisation = store.create_organisation(details(20_000 + n)).await.unwrap();
        store.organisation(organisation.id).await.unwrap();
        stored.push(organisation.id);
    }
    let seen = scalar(&other, "SELECT COUNT(*) FROM organisations").await;
    assert_eq!(
        seen,
        i64::try_from(stored.len()).unwrap(),
        "another connection sees every acknowledged write"
    );
    // Another connection can write too: the store holds no transaction open.
    other
        .execute_unprepared("INSERT INTO ballast VALUES (x'00')")
        .await
        .unwrap();
    other.close().await.unwrap();
    store.close().await.unwrap();

    // And after a restart every acknowledged write is still there.
    let reopened = Store::open(&url).await.unwrap();
    for id in &stored {
        reopened.organisation(*id).await.unwrap();
    }
    reopened.close().await.unwrap();
}
