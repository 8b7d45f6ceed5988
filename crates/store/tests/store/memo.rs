//! The engagement figures are memoised until the next write: a second read
//! is served from the memo, and an audited write on any server — another
//! process with its own pool on the same database — is seen at the next
//! read of every server.

use samverkan_domain::{HealthThresholds, OrganisationId, Period};
use samverkan_store::{EngagementFilter, PageRequest, Store};
use sea_orm::{ConnectionTrait, Statement};

use crate::fixtures::{date, organisation, person, workshop};
use crate::harness::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let db = TestDb::sqlite().await;
    a_write_on_any_server_is_seen_by_the_next_read(&db).await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    a_write_on_any_server_is_seen_by_the_next_read(&db).await;
    db.finish().await;
}

fn april() -> Period {
    Period::parse(Some(date(2024, 4, 1)), Some(date(2024, 4, 30))).unwrap()
}

/// The host's meetings in April 2024, on the list and in the summary.
async fn hosted(store: &Store, host: OrganisationId) -> (i64, i64) {
    let thresholds = HealthThresholds::default();
    let filter = EngagementFilter {
        organisation_id: Some(host),
        ..EngagementFilter::default()
    };
    let today = date(2024, 4, 30);
    let page = store
        .engagement(&april(), today, &thresholds, &filter, &PageRequest::first(10))
        .await
        .unwrap();
    let listed = page.items.first().map_or(0, |row| row.current.meetings_hosted);
    let summary = store
        .engagement_summary(&april(), today, &thresholds)
        .await
        .unwrap();
    (listed, summary.totals.meetings)
}

async fn a_write_on_any_server_is_seen_by_the_next_read(db: &TestDb) {
    let one = db.store();
    let two = db.another_server().await;
    let host = organisation(&one, "Högskolan Väst").await;
    let lena = person(&one, &host, "Lena Lindhé", "Samverkansstrateg").await;
    one.log_meeting(workshop(&host, &lena, date(2024, 4, 10)))
        .await
        .unwrap();
    assert_eq!(hosted(&one, host.id).await, (1, 1));
    assert_eq!(hosted(&two, host.id).await, (1, 1));

    // Behind the store's back (no audited write, so no new generation):
    // both servers keep answering what they computed.
    let backend = one.backend();
    one.connection()
        .execute_raw(Statement::from_string(backend, "DELETE FROM engagement_meetings"))
        .await
        .unwrap();
    assert_eq!(hosted(&one, host.id).await, (1, 1), "kept, not computed again");
    assert_eq!(hosted(&two, host.id).await, (1, 1), "kept, not computed again");

    // Audited writes on the second server: both compute again, from what
    // the read model now holds — the deleted row stays deleted, the two new
    // meetings' rows are there — and agree with a server that never kept
    // anything.
    for day in [15, 20] {
        two.log_meeting(workshop(&host, &lena, date(2024, 4, day)))
            .await
            .unwrap();
    }
    let fresh = db.another_server().await;
    let expected = hosted(&fresh, host.id).await;
    assert_eq!(expected.0, 2, "the two new meetings' rows");
    assert_eq!(hosted(&one, host.id).await, expected);
    assert_eq!(hosted(&two, host.id).await, expected);
    for store in [two, fresh] {
        store.close().await.unwrap();
    }
}
