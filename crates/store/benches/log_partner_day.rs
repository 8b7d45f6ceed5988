//! How fast a whole partner day is logged on file-backed SQLite.
//!
//! `store`: `Store::log_meeting` with the seed partner day (39 rows: 1
//! meeting, 1 tag, 6 partnership links, 13 attendances, 6 agenda items, 8
//! presenters, 2 outcomes, 2 follow-ups), one transaction per call, as the
//! application does it (shape checks, 4 reference look-ups, one multi-row
//! `INSERT` per table: 14 statements with `BEGIN` and `COMMIT`).
//!
//! `sqlx_baseline`: the same rows written by hand with plain sqlx on another
//! file opened with the same pragmas: `BEGIN IMMEDIATE`, one cached prepared
//! `INSERT` per row, `COMMIT` (41 statements). No validation and no look-ups, so it is the
//! floor the store is measured against. Before measuring, the bench checks
//! that the baseline's connections report the same pragmas as the store's
//! (`PRAGMAS`), and a baseline day is read back through the store and
//! compared column by column with a day the store wrote, so that a baseline
//! that writes less cannot look faster.
//!
//! Run with `cargo bench -p samverkan-store --bench log_partner_day`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Row};
use uuid::Uuid;

use samverkan_domain::{Attendee, FollowUpStatus, MeetingId, MeetingLogInput, MeetingRecords, text, time};
use samverkan_store::Store;

/// The store's SQLite busy timeout (`connect.rs`).
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// The store's WAL autocheckpoint, in pages (`connect.rs`).
const WAL_AUTOCHECKPOINT_PAGES: &str = "10000";
/// The store's memory map and page cache per connection (`connect.rs`).
const MMAP_BYTES: &str = "1073741824";
const CACHE_KIB: &str = "-16384";

fn sqlite_url(dir: &Path, file: &str) -> String {
    format!("sqlite://{}?mode=rwc", dir.join(file).display())
}

/// A fresh database holding the demo data, its schema migrated by the store.
async fn demo_store(url: &str) -> (Store, MeetingRecords) {
    let store = Store::open(url).await.expect("open the store");
    let demo = store.load_demo().await.expect("load the demo partner day");
    (store, demo.records)
}

/// A plain sqlx pool on the store's file, with the store's pragmas and pool
/// size (`Store::connect`).
async fn baseline_pool(url: &str) -> SqlitePool {
    let options = SqliteConnectOptions::from_str(url)
        .expect("parse the SQLite URL")
        .foreign_keys(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(BUSY_TIMEOUT)
        .pragma("temp_store", "memory")
        .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
        .pragma("mmap_size", MMAP_BYTES)
        .pragma("cache_size", CACHE_KIB)
        .disable_statement_logging();
    SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .expect("open the baseline pool")
}

/// Folded fields, one per line: the store's `support::search_text`.
fn search_text(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|part| text::fold(part))
        .collect::<Vec<_>>()
        .join("\n")
}

fn position(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

const INSERT_MEETING: &str = "INSERT INTO meetings (id, title, kind, starts_at, ends_at, all_day, location, \
     host_organisation_id, summary, status, search_text, version, created_at, updated_at, archived_at) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const INSERT_MEETING_TAG: &str = "INSERT INTO meeting_tags (meeting_id, tag) VALUES (?, ?)";
const INSERT_MEETING_PARTNERSHIP: &str =
    "INSERT INTO meeting_partnerships (meeting_id, partnership_id) VALUES (?, ?)";
const INSERT_ATTENDANCE: &str = "INSERT INTO attendances (id, meeting_id, representative_id, organisation_id, \
     role, status) VALUES (?, ?, ?, ?, ?, ?)";
const INSERT_AGENDA_ITEM: &str = "INSERT INTO agenda_items (id, meeting_id, position, title, description, \
     duration_minutes, search_text) VALUES (?, ?, ?, ?, ?, ?, ?)";
const INSERT_PRESENTER: &str =
    "INSERT INTO agenda_item_presenters (agenda_item_id, representative_id, position) VALUES (?, ?, ?)";
const INSERT_AGENDA_ITEM_TAG: &str = "INSERT INTO agenda_item_tags (agenda_item_id, tag) VALUES (?, ?)";
const INSERT_OUTCOME: &str = "INSERT INTO outcomes (id, meeting_id, position, kind, text, agenda_item_id, \
     search_text) VALUES (?, ?, ?, ?, ?, ?, ?)";
const INSERT_FOLLOW_UP: &str = "INSERT INTO follow_ups (id, meeting_id, outcome_id, title, details, owner_id, \
     organisation_id, due_on, status, completed_at, search_text, version, created_at, updated_at, \
     archived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// Writes the rows of `day` again, with fresh ids and timestamps, in one
/// transaction and in the store's table order; returns the new meeting's id.
async fn log_baseline(pool: &SqlitePool, day: &MeetingRecords) -> Result<Uuid, sqlx::Error> {
    let now = time::now();
    let meeting = &day.meeting.details;
    let meeting_id = Uuid::now_v7();
    let agenda_ids: Vec<Uuid> = day.agenda.iter().map(|_| Uuid::now_v7()).collect();
    let outcome_ids: Vec<Uuid> = day.outcomes.iter().map(|_| Uuid::now_v7()).collect();

    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(INSERT_MEETING)
        .bind(meeting_id)
        .bind(meeting.title.as_str())
        .bind(meeting.kind.as_str())
        .bind(meeting.starts_at)
        .bind(meeting.ends_at)
        .bind(meeting.all_day)
        .bind(meeting.location.as_deref())
        .bind(meeting.host_organisation_id.map(|id| id.as_uuid()))
        .bind(meeting.summary.as_deref())
        .bind(meeting.status.as_str())
        .bind(search_text(&[
            Some(meeting.title.as_str()),
            meeting.location.as_deref(),
            meeting.summary.as_deref(),
        ]))
        .bind(1_i32)
        .bind(now)
        .bind(now)
        .bind(None::<DateTime<Utc>>)
        .execute(&mut *tx)
        .await?;
    for tag in meeting.tags.iter() {
        sqlx::query(INSERT_MEETING_TAG)
            .bind(meeting_id)
            .bind(tag.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for partnership in &meeting.partnership_ids {
        sqlx::query(INSERT_MEETING_PARTNERSHIP)
            .bind(meeting_id)
            .bind(partnership.as_uuid())
            .execute(&mut *tx)
            .await?;
    }
    for attendance in &day.attendances {
        let representative_id = match attendance.attendee {
            Attendee::Representative(id) => Some(id.as_uuid()),
            Attendee::Organisation(_) => None,
        };
        sqlx::query(INSERT_ATTENDANCE)
            .bind(Uuid::now_v7())
            .bind(meeting_id)
            .bind(representative_id)
            .bind(attendance.organisation_id.as_uuid())
            .bind(attendance.role.as_str())
            .bind(attendance.status.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for (item, id) in day.agenda.iter().zip(&agenda_ids) {
        sqlx::query(INSERT_AGENDA_ITEM)
            .bind(*id)
            .bind(meeting_id)
            .bind(position(item.position))
            .bind(item.title.as_str())
            .bind(item.description.as_deref())
            .bind(
                item.duration_minutes
                    .and_then(|minutes| i32::try_from(minutes).ok()),
            )
            .bind(search_text(&[
                Some(item.title.as_str()),
                item.description.as_deref(),
            ]))
            .execute(&mut *tx)
            .await?;
    }
    for (item, id) in day.agenda.iter().zip(&agenda_ids) {
        for (presenter, presenter_position) in item.presenter_ids.iter().zip(1_i32..) {
            sqlx::query(INSERT_PRESENTER)
                .bind(*id)
                .bind(presenter.as_uuid())
                .bind(presenter_position)
                .execute(&mut *tx)
                .await?;
        }
    }
    for (item, id) in day.agenda.iter().zip(&agenda_ids) {
        for tag in item.tags.iter() {
            sqlx::query(INSERT_AGENDA_ITEM_TAG)
                .bind(*id)
                .bind(tag.as_str())
                .execute(&mut *tx)
                .await?;
        }
    }
    for (outcome, id) in day.outcomes.iter().zip(&outcome_ids) {
        let agenda_item_id = outcome
            .agenda_item_id
            .and_then(|item| day.agenda.iter().position(|other| other.id == item))
            .map(|index| agenda_ids[index]);
        sqlx::query(INSERT_OUTCOME)
            .bind(*id)
            .bind(meeting_id)
            .bind(position(outcome.position))
            .bind(outcome.kind.as_str())
            .bind(outcome.text.as_str())
            .bind(agenda_item_id)
            .bind(search_text(&[Some(outcome.text.as_str())]))
            .execute(&mut *tx)
            .await?;
    }
    for follow_up in &day.follow_ups {
        let details = &follow_up.details;
        let outcome_id = follow_up
            .outcome_id
            .and_then(|outcome| day.outcomes.iter().position(|other| other.id == outcome))
            .map(|index| outcome_ids[index]);
        let completed_at = (details.status == FollowUpStatus::Done).then_some(now);
        sqlx::query(INSERT_FOLLOW_UP)
            .bind(Uuid::now_v7())
            .bind(meeting_id)
            .bind(outcome_id)
            .bind(details.title.as_str())
            .bind(details.details.as_deref())
            .bind(details.owner_id.map(|id| id.as_uuid()))
            .bind(details.organisation_id.map(|id| id.as_uuid()))
            .bind(details.due_on)
            .bind(details.status.as_str())
            .bind(completed_at)
            .bind(search_text(&[
                Some(details.title.as_str()),
                details.details.as_deref(),
            ]))
            .bind(1_i32)
            .bind(now)
            .bind(now)
            .bind(None::<DateTime<Utc>>)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(meeting_id)
}

/// Per table: the columns that must be stored identically by the store and
/// by the baseline (type and value), the columns that differ between two
/// logs of the same day (own ids, timestamps: type only), and the rest of
/// the query (`FROM … WHERE <meeting id = ?> ORDER BY …`).
const COMPARED: &[(&str, &[&str], &[&str], &str)] = &[
    (
        "meetings",
        &[
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "all_day",
            "location",
            "host_organisation_id",
            "summary",
            "status",
            "search_text",
            "version",
            "archived_at",
        ],
        &["id", "created_at", "updated_at"],
        "FROM meetings WHERE id = ?",
    ),
    (
        "meeting_tags",
        &["tag"],
        &["meeting_id"],
        "FROM meeting_tags WHERE meeting_id = ? ORDER BY tag",
    ),
    (
        "meeting_partnerships",
        &["partnership_id"],
        &["meeting_id"],
        "FROM meeting_partnerships WHERE meeting_id = ? ORDER BY partnership_id",
    ),
    (
        "attendances",
        &["representative_id", "organisation_id", "role", "status"],
        &["id", "meeting_id"],
        "FROM attendances WHERE meeting_id = ? ORDER BY rowid",
    ),
    (
        "agenda_items",
        &[
            "position",
            "title",
            "description",
            "duration_minutes",
            "search_text",
        ],
        &["id", "meeting_id"],
        "FROM agenda_items WHERE meeting_id = ? ORDER BY position",
    ),
    (
        "agenda_item_presenters",
        &["a.position", "p.representative_id", "p.position"],
        &["p.agenda_item_id"],
        "FROM agenda_item_presenters p JOIN agenda_items a ON a.id = p.agenda_item_id \
         WHERE a.meeting_id = ? ORDER BY a.position, p.position",
    ),
    (
        "agenda_item_tags",
        &["a.position", "t.tag"],
        &["t.agenda_item_id"],
        "FROM agenda_item_tags t JOIN agenda_items a ON a.id = t.agenda_item_id \
         WHERE a.meeting_id = ? ORDER BY a.position, t.tag",
    ),
    (
        "outcomes",
        &["o.position", "o.kind", "o.text", "a.position", "o.search_text"],
        &["o.id", "o.meeting_id", "o.agenda_item_id"],
        "FROM outcomes o LEFT JOIN agenda_items a ON a.id = o.agenda_item_id \
         WHERE o.meeting_id = ? ORDER BY o.position",
    ),
    (
        "follow_ups",
        &[
            "o.position",
            "f.title",
            "f.details",
            "f.owner_id",
            "f.organisation_id",
            "f.due_on",
            "f.status",
            "f.search_text",
            "f.version",
            "f.archived_at",
        ],
        &[
            "f.id",
            "f.meeting_id",
            "f.outcome_id",
            "f.completed_at",
            "f.created_at",
            "f.updated_at",
        ],
        "FROM follow_ups f LEFT JOIN outcomes o ON o.id = f.outcome_id \
         WHERE f.meeting_id = ? ORDER BY f.rowid",
    ),
];

/// One table's rows of one meeting, each rendered as `type:value|…`.
async fn stored_rows(
    pool: &SqlitePool,
    exact: &[&str],
    varying: &[&str],
    rest: &str,
    meeting_id: Uuid,
) -> Vec<String> {
    let columns: Vec<String> = exact
        .iter()
        .map(|column| format!("typeof({column}) || ':' || quote({column})"))
        .chain(varying.iter().map(|column| format!("typeof({column})")))
        .collect();
    let sql = format!("SELECT {} AS line {rest}", columns.join(" || '|' || "));
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(meeting_id)
        .fetch_all(pool)
        .await
        .expect("read stored rows")
        .iter()
        .map(|row| row.get::<String, _>("line"))
        .collect()
}

/// The connection settings that must be the same for the store and the
/// baseline.
const PRAGMAS: &[&str] = &[
    "foreign_keys",
    "journal_mode",
    "synchronous",
    "busy_timeout",
    "temp_store",
    "wal_autocheckpoint",
    "cache_size",
    "mmap_size",
    "page_size",
];

/// Each of [`PRAGMAS`] as one pooled connection of `pool` reports it.
async fn pragmas(pool: &SqlitePool) -> Vec<(&'static str, String)> {
    let mut values = Vec::new();
    for pragma in PRAGMAS {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA {pragma}")))
            .fetch_one(pool)
            .await
            .expect("read a pragma");
        let value = row
            .try_get::<i64, _>(0)
            .map(|number| number.to_string())
            .or_else(|_| row.try_get::<String, _>(0))
            .expect("a pragma's value");
        values.push((*pragma, value));
    }
    values
}

/// Panics unless a day the baseline wrote reads back through the store like
/// the template day, and its rows are, column by column, those the store
/// writes for the same day (logged by the store on the same file).
async fn check_baseline(url: &str, pool: &SqlitePool, template: &MeetingRecords) {
    let baseline_id = log_baseline(pool, template).await.expect("baseline log");
    let store = Store::open(url)
        .await
        .expect("open the baseline file with the store");
    assert_eq!(
        pragmas(pool).await,
        pragmas(store.connection().get_sqlite_connection_pool()).await,
        "the baseline's connections are set up differently from the store's (left: baseline, right: store)"
    );
    let read = store
        .meeting_records(MeetingId::from_uuid(baseline_id))
        .await
        .unwrap_or_else(|error| panic!("the store cannot read the baseline's meeting back: {error}"));
    let shape = |records: &MeetingRecords| {
        (
            records.meeting.details.tags.iter().count(),
            records.meeting.details.partnership_ids.len(),
            records.attendances.len(),
            records.agenda.len(),
            records
                .agenda
                .iter()
                .map(|item| item.presenter_ids.len())
                .sum::<usize>(),
            records.outcomes.len(),
            records.follow_ups.len(),
        )
    };
    assert_eq!(
        shape(&read),
        shape(template),
        "baseline day read back through the store differs in shape \
         (tags, partnerships, attendances, agenda items, presenters, outcomes, follow-ups)"
    );
    assert_eq!(
        read.meeting.details, template.meeting.details,
        "baseline meeting reads back with other fields than the template"
    );

    let store_records = store
        .log_meeting(template.to_input())
        .await
        .expect("store log on the baseline file");
    let store_id = store_records.meeting.id.as_uuid();
    for (table, exact, varying, rest) in COMPARED {
        let by_store = stored_rows(pool, exact, varying, rest, store_id).await;
        let by_baseline = stored_rows(pool, exact, varying, rest, baseline_id).await;
        assert_eq!(
            by_baseline, by_store,
            "the baseline writes `{table}` differently from the store (left: baseline, right: store)"
        );
    }
    store.close().await.expect("close the checking store");
}

fn log_partner_day(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temporary directory");
    let store_url = sqlite_url(dir.path(), "bench.db");
    let baseline_url = sqlite_url(dir.path(), "baseline.db");

    let (store, input, pool, template): (Store, MeetingLogInput, SqlitePool, MeetingRecords) = runtime
        .block_on(async {
            let (store, records) = demo_store(&store_url).await;
            let input = records.to_input();

            let (baseline_store, template) = demo_store(&baseline_url).await;
            baseline_store.close().await.expect("close the migrating store");
            let pool = baseline_pool(&baseline_url).await;
            check_baseline(&baseline_url, &pool, &template).await;
            (store, input, pool, template)
        });

    let mut group = c.benchmark_group("log_partner_day");
    group
        .throughput(Throughput::Elements(1))
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("store", |b| {
        b.to_async(&runtime)
            .iter(|| async { store.log_meeting(input.clone()).await.expect("store log") });
    });
    group.bench_function("sqlx_baseline", |b| {
        b.to_async(&runtime)
            .iter(|| async { log_baseline(&pool, &template).await.expect("baseline log") });
    });
    group.finish();

    runtime.block_on(async {
        store.close().await.expect("close the store");
        pool.close().await;
    });
    drop(dir);
}

criterion_group!(benches, log_partner_day);
criterion_main!(benches);
