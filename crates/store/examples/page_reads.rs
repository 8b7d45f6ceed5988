//! What each store read of the organisation page (`/organisations/{id}`)
//! and the partner day's page (`/meetings/{id}`) costs, one at a time, on
//! a database such as the one `web_pages` generates:
//!
//! ```sh
//! cargo run --release -p samverkan-store --example page_reads -- /tmp/perf-web.db [rounds]
//! ```
//!
//! Each read runs for `rounds` random organisations (or meetings) in turn,
//! sequentially, and prints the mean wall time per call. The process does
//! nothing else, so on an otherwise idle core wall time is CPU time. The
//! web bench measures the pages whole; this says which read to look at.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::future::Future;
use std::time::Instant;

use chrono::Datelike;
use sea_orm::{ConnectionTrait, Statement};
use uuid::Uuid;

use samverkan_domain::{HealthThresholds, MeetingId, OrganisationId, Period};
use samverkan_store::{
    AuditFilter, FollowUpFilter, MAX_PAGE_SIZE, PageRequest, PartnershipFilter, RepresentativeFilter, Store,
};

async fn ids(store: &Store, sql: &str) -> Vec<Uuid> {
    let rows = store
        .connection()
        .query_all_raw(Statement::from_string(store.backend(), sql.to_owned()))
        .await
        .unwrap();
    rows.iter().map(|row| row.try_get_by_index(0).unwrap()).collect()
}

/// Runs `read` once per id (after one warm-up round) and prints the mean.
async fn time<F, Fut>(only: &str, name: &str, ids: &[Uuid], read: F) -> f64
where
    F: Fn(Uuid) -> Fut,
    Fut: Future<Output = ()>,
{
    if !name.contains(only) {
        return 0.0;
    }
    for id in ids.iter().take(20) {
        read(*id).await;
    }
    let started = Instant::now();
    for id in ids {
        read(*id).await;
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / ids.len() as f64;
    println!("{micros:>9.0} µs  {name}");
    micros
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("the SQLite file");
    let rounds: usize = args
        .next()
        .map_or(400, |n| n.parse().expect("a number of rounds"));
    // Only the reads whose names contain this (for a profiler).
    let only = args.next().unwrap_or_default();
    let store = Store::connect(&format!("sqlite:{path}?mode=rw")).await.unwrap();
    let pick = |all: Vec<Uuid>| -> Vec<Uuid> {
        // A fixed stride through the ids: every run reads the same ones.
        let step = (all.len() / rounds).max(1);
        all.into_iter().step_by(step).take(rounds).collect()
    };
    let organisations = pick(ids(&store, "SELECT id FROM organisations ORDER BY id").await);
    let days = pick(
        ids(
            &store,
            "SELECT id FROM meetings WHERE kind = 'partner_day' AND archived_at IS NULL ORDER BY id",
        )
        .await,
    );
    let all = PageRequest {
        limit: MAX_PAGE_SIZE,
        ..PageRequest::default()
    };
    let thresholds = HealthThresholds::default();
    let today = samverkan_domain::time::today();
    let year = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap();
    let period = Period::parse(Some(year), Some(today)).unwrap();
    let org = |id: Uuid| OrganisationId::from(id);

    println!("organisation page, {} organisations:", organisations.len());
    let mut total = 0.0;
    total += time(&only, "organisation", &organisations, |id| {
        let store = &store;
        async move {
            store.organisation(org(id)).await.unwrap();
        }
    })
    .await;
    total += time(
        &only,
        "list_representatives (current people)",
        &organisations,
        |id| {
            let (store, all) = (&store, &all);
            async move {
                let filter = RepresentativeFilter {
                    organisation_id: Some(org(id)),
                    ..RepresentativeFilter::default()
                };
                store.list_representatives(&filter, all).await.unwrap();
            }
        },
    )
    .await;
    total += time(&only, "former_affiliations", &organisations, |id| {
        let store = &store;
        async move {
            store.former_affiliations(org(id)).await.unwrap();
        }
    })
    .await;
    total += time(
        &only,
        "organisation_engagement (two periods)",
        &organisations,
        |id| {
            let (store, period, thresholds) = (&store, &period, &thresholds);
            async move {
                store
                    .organisation_engagement(org(id), period, today, thresholds)
                    .await
                    .unwrap();
            }
        },
    )
    .await;
    total += time(&only, "list_partnerships + names", &organisations, |id| {
        let store = &store;
        async move {
            let filter = PartnershipFilter {
                organisation_id: Some(org(id)),
                ..PartnershipFilter::default()
            };
            let page = store
                .list_partnerships(&filter, &PageRequest::first(MAX_PAGE_SIZE))
                .await
                .unwrap();
            let others: Vec<OrganisationId> = page
                .items
                .iter()
                .flat_map(|p| p.details.organisation_ids)
                .filter(|other| *other != org(id))
                .collect();
            store.names(&others, &[]).await.unwrap();
        }
    })
    .await;
    total += time(&only, "list_follow_ups (all, limit 500)", &organisations, |id| {
        let (store, all) = (&store, &all);
        async move {
            let filter = FollowUpFilter {
                organisation_id: Some(org(id)),
                ..FollowUpFilter::default()
            };
            store.list_follow_ups(&filter, all).await.unwrap();
        }
    })
    .await;
    time(&only, "list_follow_ups (unfinished)", &organisations, |id| {
        let (store, all) = (&store, &all);
        async move {
            let filter = FollowUpFilter {
                organisation_id: Some(org(id)),
                unfinished: true,
                ..FollowUpFilter::default()
            };
            store.list_follow_ups(&filter, all).await.unwrap();
        }
    })
    .await;
    total += time(&only, "organisation_timeline", &organisations, |id| {
        let store = &store;
        async move {
            store
                .organisation_timeline(org(id), &PageRequest::first(timeline_size()))
                .await
                .unwrap();
        }
    })
    .await;
    total += time(&only, "audit_trail (20)", &organisations, |id| {
        let store = &store;
        async move {
            let filter = AuditFilter {
                entity_id: Some(id),
                ..AuditFilter::default()
            };
            store.audit_trail(&filter, &PageRequest::first(20)).await.unwrap();
        }
    })
    .await;
    println!("{total:>9.0} µs  sum (with the follow-ups as the page reads them)");

    println!("partner day's page, {} meetings:", days.len());
    time(&only, "meeting_with_names", &days, |id| {
        let store = &store;
        async move {
            store.meeting_with_names(MeetingId::from(id)).await.unwrap();
        }
    })
    .await;
    time(&only, "audit_trail (20)", &days, |id| {
        let store = &store;
        async move {
            let filter = AuditFilter {
                entity_id: Some(id),
                ..AuditFilter::default()
            };
            store.audit_trail(&filter, &PageRequest::first(20)).await.unwrap();
        }
    })
    .await;
}

/// The timeline's page size (`PAGE_READS_TIMELINE`, 25 by default, as the
/// page's lists).
fn timeline_size() -> u64 {
    std::env::var("PAGE_READS_TIMELINE")
        .ok()
        .and_then(|raw| raw.parse().ok())
        .unwrap_or(25)
}
