//! Engagement figures at scale, on a SQLite file and on PostgreSQL: the
//! store's queries beside hand-written SQL computing the same figures, in
//! the same run, on the same data.
//!
//! Data: `samverkan_synth::generate` (2,000 organisations, 100,000 meetings,
//! seed 1 by default), generated once and cached: a SQLite file under
//! `target/bench-engagement/`, and a PostgreSQL database
//! `samverkan_bench_engagement` that is reused while its marker row names the
//! same shape (otherwise dropped and generated again).
//!
//! Scenarios, over the twelve months ending today (the generator stamps
//! `completed_at` with the day of generation, so only a period reaching it
//! has done follow-ups):
//!
//! * `engagement`: `Store::engagement`, the first page (50 rows) sorted by
//!   meetings engaged, with the previous year for those rows;
//! * `summary`: `Store::engagement_summary` (totals for both years, top tags,
//!   meetings per month, the five most and least engaged organisations).
//!
//! Each beside hand-written SQL (plain sqlx, one statement per figure set,
//! `percentile_cont` for the median on PostgreSQL) computing the same
//! figures from the same tables: the read model the store keeps
//! (`engagement_meetings`, `engagement_people`) and the follow-ups. The
//! bench first checks that the store agrees with that SQL and with SQL over
//! the base tables alone (attendances joined to meetings: the figures the
//! read model must reproduce), then times the store and the read-model SQL
//! `SAMVERKAN_BENCH_RUNS` times (5) after one warm-up and reports the median
//! and the fastest run and the ratio of medians; the base-table SQL is timed
//! once, for what the read model saves.
//!
//! Run with `cargo bench -p samverkan-store --bench engagement`. Variables:
//! `SAMVERKAN_BENCH_ORGANISATIONS` (2000), `SAMVERKAN_BENCH_MEETINGS`
//! (100000), `SAMVERKAN_BENCH_SEED` (1), `SAMVERKAN_BENCH_RUNS` (5),
//! `SAMVERKAN_BENCH_POSTGRES_URL` (else `SAMVERKAN_TEST_POSTGRES_URL`; without
//! either the PostgreSQL half is skipped), `SAMVERKAN_BENCH_ONLY` (`sqlite`
//! or `postgres`). A quick run: `SAMVERKAN_BENCH_ORGANISATIONS=200
//! SAMVERKAN_BENCH_MEETINGS=2000`.
//!
//! Without `--bench` (as `cargo test --benches` runs it) it makes a smoke
//! run: 30 organisations, 300 meetings, one run each, in a PostgreSQL
//! database `samverkan_bench_engagement_smoke`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Months, NaiveDate, Utc};
use sqlx::{Row, sqlite::SqliteRow};
use uuid::Uuid;

use samverkan_domain::{
    EngagementCounts, EngagementRow, EngagementSort, EngagementTotals, HealthThresholds, Period, SortOrder,
    time,
};
use samverkan_store::{EngagementFilter, PageRequest, Store};
use samverkan_synth::{GenerateOptions, Progress, generate};

const PAGE: u64 = 50;
const ENDS: u64 = 5;
const TAGS: u64 = 10;
const TARGET_ENGAGEMENT: Duration = Duration::from_secs(1);
const TARGET_SUMMARY: Duration = Duration::from_millis(500);
const TARGET_RATIO: f64 = 1.5;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Debug, Clone, Copy)]
struct Shape {
    organisations: usize,
    meetings: usize,
    seed: u64,
}

impl Shape {
    fn marker(&self) -> String {
        format!(
            "{}-{}-{}-g{}",
            self.organisations,
            self.meetings,
            self.seed,
            samverkan_synth::GENERATOR_VERSION
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// Where hand-written SQL reads the meeting figures from: the base tables
/// (attendances joined to meetings, as one would first write it), or the
/// read model the store keeps (`engagement_meetings`, `engagement_people`).
/// The follow-up figures come from the base tables either way, as in the
/// store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    BaseTables,
    ReadModel,
}

/// A connection for the hand-written queries.
enum Hand {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

async fn fill(store: &Store, shape: Shape) -> String {
    let options = GenerateOptions {
        organisations: shape.organisations,
        meetings: shape.meetings,
        seed: shape.seed,
    };
    let started = Instant::now();
    let mut last = (None, 0);
    let summary = generate(store, &options, &mut |progress: Progress| {
        let tenth = progress.done * 10 / progress.total.max(1);
        if last != (Some(progress.phase), tenth) {
            last = (Some(progress.phase), tenth);
            eprintln!("  generating {progress}");
        }
    })
    .await
    .expect("generate");
    format!("{summary}; generated in {:.0} s", started.elapsed().as_secs_f64())
}

async fn sqlite(shape: Shape) -> (Store, Hand) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-engagement");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("engagement-{}.db", shape.marker()));
    let done = dir.join(format!("engagement-{}.done", shape.marker()));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    if !done.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        eprintln!("sqlite: generating {}", file.display());
        let store = Store::open(&url).await.unwrap();
        let summary = fill(&store, shape).await;
        eprintln!("sqlite: {summary}");
        store.close().await.unwrap();
        std::fs::write(&done, summary).unwrap();
    }
    let store = Store::open(&url).await.unwrap();
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal))
        .await
        .unwrap();
    (store, Hand::Sqlite(pool))
}

async fn postgres(shape: Shape, admin_url: &str, smoke: bool) -> (Store, Hand) {
    let name = if smoke {
        "samverkan_bench_engagement_smoke"
    } else {
        "samverkan_bench_engagement"
    };
    let mut url = url::Url::parse(admin_url).unwrap();
    url.set_path(&format!("/{name}"));
    let url = url.to_string();
    let admin = sqlx::PgPool::connect(admin_url).await.unwrap();
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(&admin)
        .await
        .unwrap();
    let mut current = false;
    if exists {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let marker: Option<String> = sqlx::query_scalar("SELECT shape FROM bench_marker")
            .fetch_optional(&pool)
            .await
            .unwrap_or(None);
        current = marker.as_deref() == Some(shape.marker().as_str());
        pool.close().await;
    }
    if !current {
        eprintln!("postgres: generating {name}");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await
        .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .unwrap();
        let store = Store::open(&url).await.unwrap();
        let summary = fill(&store, shape).await;
        eprintln!("postgres: {summary}");
        store.close().await.unwrap();
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE bench_marker (shape text NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO bench_marker VALUES ($1)")
            .bind(shape.marker())
            .execute(&pool)
            .await
            .unwrap();
        // What autovacuum would do soon after: statistics for the planner,
        // and the visibility map that lets PostgreSQL answer from an index.
        sqlx::query("VACUUM ANALYZE").execute(&pool).await.unwrap();
        pool.close().await;
    }
    admin.close().await;
    let store = Store::open(&url).await.unwrap();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .unwrap();
    (store, Hand::Postgres(pool))
}

/// The hand-written queries' parameters: `$1` period start, `$2` period end,
/// `$3` end of the as-of day, `$4` the as-of day.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    as_of_end: DateTime<Utc>,
    as_of: NaiveDate,
}

impl Bounds {
    fn new(period: &Period, today: NaiveDate) -> Self {
        let as_of = period.as_of(today);
        Self {
            starts_at: period.starts_at(),
            ends_at: period.ends_at(),
            as_of_end: time::day_end(as_of),
            as_of,
        }
    }
}

fn days_expr(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (f.completed_at - m.starts_at)) / 86400))",
        Backend::Sqlite => {
            "MAX(0, (CAST(strftime('%s', f.completed_at) AS INTEGER) - CAST(strftime('%s', m.starts_at) AS INTEGER)) / 86400)"
        }
    }
}

/// The median of `days` per `key` over the rows of CTE `fu` that have
/// days: `percentile_cont` on PostgreSQL, the middle rows on SQLite.
fn median_sql(backend: Backend, key: Option<&str>) -> String {
    let (select_key, group) = match key {
        Some(key) => (format!("{key}, "), format!(" GROUP BY {key}")),
        None => (String::new(), String::new()),
    };
    match backend {
        Backend::Postgres => format!(
            "SELECT {select_key}percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median FROM fu WHERE days IS NOT NULL{group}"
        ),
        Backend::Sqlite => {
            let partition = key.map(|k| format!("PARTITION BY {k} ")).unwrap_or_default();
            format!(
                "SELECT {select_key}AVG(days) AS median FROM (SELECT {select_key}days, \
                 ROW_NUMBER() OVER ({partition}ORDER BY days) AS rn, COUNT(*) OVER ({partition}) AS n \
                 FROM fu WHERE days IS NOT NULL) WHERE rn IN ((n + 1) / 2, (n + 2) / 2){group}"
            )
        }
    }
}

/// `meeting_figures` (the meeting counts, people, first and last meeting)
/// and `presented` per organisation, from the base tables: one pass over
/// the engaged meetings up to the period's end, one over presentations.
const BASE_MEETING_FIGURES: &str = "engaged AS (
            SELECT a.organisation_id, m.id AS meeting_id, m.starts_at, m.kind, 0 AS hosted, a.representative_id
            FROM attendances a JOIN counted m ON m.id = a.meeting_id WHERE a.status = 'attended'
            UNION ALL
            SELECT host_organisation_id, id, starts_at, kind, 1, NULL FROM counted WHERE host_organisation_id IS NOT NULL),
        meeting_figures AS (
            SELECT organisation_id,
              COUNT(DISTINCT CASE WHEN hosted = 1 AND starts_at >= $1 THEN meeting_id END) AS meetings_hosted,
              COUNT(DISTINCT CASE WHEN hosted = 0 AND starts_at >= $1 THEN meeting_id END) AS meetings_attended,
              COUNT(DISTINCT CASE WHEN starts_at >= $1 THEN meeting_id END) AS meetings_engaged,
              COUNT(DISTINCT CASE WHEN starts_at >= $1 AND kind = 'partner_day' THEN meeting_id END) AS partner_days,
              COUNT(DISTINCT CASE WHEN starts_at >= $1 THEN representative_id END) AS representatives_engaged,
              MIN(CASE WHEN starts_at < $3 THEN starts_at END) AS first_meeting_at,
              MAX(CASE WHEN starts_at < $3 THEN starts_at END) AS last_meeting_at
            FROM engaged GROUP BY organisation_id),
        presented AS (
            SELECT a.organisation_id, COUNT(DISTINCT p.agenda_item_id) AS presentations
            FROM counted m JOIN agenda_items ai ON ai.meeting_id = m.id
            JOIN agenda_item_presenters p ON p.agenda_item_id = ai.id
            JOIN attendances a ON a.meeting_id = m.id AND a.representative_id = p.representative_id
            WHERE a.status = 'attended' AND m.starts_at >= $1
            GROUP BY a.organisation_id),
";

/// The same two from the read model: sums over the period's rows, distinct
/// people, first and last meeting up to the as-of day.
const READ_MODEL_MEETING_FIGURES: &str = "period AS (
            SELECT organisation_id, SUM(hosted) AS meetings_hosted, SUM(attended) AS meetings_attended,
              COUNT(*) AS meetings_engaged, SUM(partner_day) AS partner_days, SUM(presentations) AS presentations
            FROM engagement_meetings WHERE starts_at >= $1 AND starts_at < $2 GROUP BY organisation_id),
        people AS (
            SELECT organisation_id, COUNT(DISTINCT representative_id) AS representatives_engaged
            FROM engagement_people WHERE starts_at >= $1 AND starts_at < $2 GROUP BY organisation_id),
        history AS (
            SELECT organisation_id, MIN(starts_at) AS first_meeting_at, MAX(starts_at) AS last_meeting_at
            FROM engagement_meetings WHERE starts_at < $3 GROUP BY organisation_id),
        meeting_figures AS (
            SELECT o.id AS organisation_id, p.meetings_hosted, p.meetings_attended, p.meetings_engaged,
              p.partner_days, pe.representatives_engaged, h.first_meeting_at, h.last_meeting_at
            FROM organisations o LEFT JOIN period p ON p.organisation_id = o.id
            LEFT JOIN people pe ON pe.organisation_id = o.id LEFT JOIN history h ON h.organisation_id = o.id),
        presented AS (SELECT organisation_id, presentations FROM period),
";

/// Every figure per organisation, hand-written: one pass over the engaged
/// meetings up to the period's end for the meeting figures and first/last
/// meeting, one over presentations, one over follow-ups.
fn engagement_sql(backend: Backend, source: Source, order: &str, limit: Option<u64>, ids: usize) -> String {
    let days = days_expr(backend);
    let median = median_sql(backend, Some("organisation_id"));
    let only = if ids == 0 {
        String::new()
    } else {
        let marks: Vec<String> = (0..ids).map(|i| format!("${}", i + 5)).collect();
        format!(" AND o.id IN ({})", marks.join(", "))
    };
    let limit = limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
    let meeting_ctes = match source {
        Source::BaseTables => BASE_MEETING_FIGURES,
        Source::ReadModel => READ_MODEL_MEETING_FIGURES,
    };
    let sql = format!(
        "WITH counted AS (
            SELECT id, host_organisation_id, starts_at, kind FROM meetings
            WHERE archived_at IS NULL AND status <> 'cancelled' AND starts_at < $2),
{meeting_ctes}        fu AS (
            SELECT f.organisation_id, f.status, f.completed_at, f.due_on,
              CASE WHEN f.status = 'done' AND f.completed_at < $3 THEN {days} END AS days
            FROM follow_ups f JOIN counted m ON m.id = f.meeting_id
            WHERE f.archived_at IS NULL AND f.organisation_id IS NOT NULL AND m.starts_at >= $1),
        follow_up_counts AS (
            SELECT organisation_id, COUNT(*) AS opened,
              SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
              SUM(CASE WHEN days IS NOT NULL THEN 1 ELSE 0 END) AS done,
              SUM(CASE WHEN status IN ('open', 'in_progress') OR (status = 'done' AND completed_at >= $3) THEN 1 ELSE 0 END) AS open,
              SUM(CASE WHEN (status IN ('open', 'in_progress') OR (status = 'done' AND completed_at >= $3)) AND due_on < $4 THEN 1 ELSE 0 END) AS overdue
            FROM fu GROUP BY organisation_id),
        median AS ({median})
        SELECT o.id,
          COALESCE(mf.meetings_hosted, 0) AS meetings_hosted,
          COALESCE(mf.meetings_attended, 0) AS meetings_attended,
          COALESCE(mf.meetings_engaged, 0) AS meetings_engaged,
          COALESCE(mf.partner_days, 0) AS partner_days,
          COALESCE(mf.representatives_engaged, 0) AS representatives_engaged,
          mf.first_meeting_at, mf.last_meeting_at,
          COALESCE(pr.presentations, 0) AS presentations,
          COALESCE(fc.opened, 0) AS opened, COALESCE(fc.cancelled, 0) AS cancelled,
          COALESCE(fc.done, 0) AS done, COALESCE(fc.open, 0) AS open, COALESCE(fc.overdue, 0) AS overdue,
          md.median
        FROM organisations o
        LEFT JOIN meeting_figures mf ON mf.organisation_id = o.id
        LEFT JOIN presented pr ON pr.organisation_id = o.id
        LEFT JOIN follow_up_counts fc ON fc.organisation_id = o.id
        LEFT JOIN median md ON md.organisation_id = o.id
        WHERE o.archived_at IS NULL{only}
        ORDER BY meetings_engaged {order}, o.id{limit}"
    );
    placeholders(backend, &sql)
}

/// `$n` as PostgreSQL writes it, `?n` as SQLite does.
fn placeholders(backend: Backend, sql: &str) -> String {
    match backend {
        Backend::Postgres => sql.to_owned(),
        Backend::Sqlite => sql.replace('$', "?"),
    }
}

/// What the comparison looks at: the counts, and the median (as x2).
type Figures = (Uuid, EngagementCounts);

macro_rules! read_engagement_row {
    ($row:expr) => {{
        let row = $row;
        let median: Option<f64> = row.get("median");
        let counts = EngagementCounts {
            meetings_hosted: row.get("meetings_hosted"),
            meetings_attended: row.get("meetings_attended"),
            meetings_engaged: row.get("meetings_engaged"),
            partner_days: row.get("partner_days"),
            first_meeting_at: row.get("first_meeting_at"),
            last_meeting_at: row.get("last_meeting_at"),
            representatives_engaged: row.get("representatives_engaged"),
            presentations: row.get("presentations"),
            follow_ups_opened: row.get("opened"),
            follow_ups_cancelled: row.get("cancelled"),
            follow_ups_done: row.get("done"),
            follow_ups_open: row.get("open"),
            follow_ups_overdue: row.get("overdue"),
            #[allow(clippy::cast_possible_truncation)]
            median_days_to_complete_x2: median.map(|m| (m * 2.0).round() as i64),
        };
        (row.get::<Uuid, _>("id"), counts)
    }};
}

async fn hand_engagement(
    hand: &Hand,
    source: Source,
    bounds: &Bounds,
    order: &str,
    limit: Option<u64>,
    ids: &[Uuid],
) -> Vec<Figures> {
    match hand {
        Hand::Sqlite(pool) => {
            let sql = engagement_sql(Backend::Sqlite, source, order, limit, ids.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(bounds.starts_at)
                .bind(bounds.ends_at)
                .bind(bounds.as_of_end)
                .bind(bounds.as_of);
            for id in ids {
                query = query.bind(*id);
            }
            let rows: Vec<SqliteRow> = query.fetch_all(pool).await.unwrap();
            rows.iter().map(|row| read_engagement_row!(row)).collect()
        }
        Hand::Postgres(pool) => {
            let sql = engagement_sql(Backend::Postgres, source, order, limit, ids.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(bounds.starts_at)
                .bind(bounds.ends_at)
                .bind(bounds.as_of_end)
                .bind(bounds.as_of);
            for id in ids {
                query = query.bind(*id);
            }
            let rows = query.fetch_all(pool).await.unwrap();
            rows.iter().map(|row| read_engagement_row!(row)).collect()
        }
    }
}

/// A page and the previous period for its rows, as the store answers it.
async fn hand_page(
    hand: &Hand,
    source: Source,
    period: &Period,
    today: NaiveDate,
    order: &str,
    limit: u64,
) -> Vec<(Figures, Figures)> {
    let current = hand_engagement(hand, source, &Bounds::new(period, today), order, Some(limit), &[]).await;
    let ids: Vec<Uuid> = current.iter().map(|(id, _)| *id).collect();
    let previous = hand_engagement(
        hand,
        source,
        &Bounds::new(&period.previous(), today),
        order,
        None,
        &ids,
    )
    .await;
    current
        .into_iter()
        .map(|(id, counts)| {
            let earlier = previous
                .iter()
                .find(|(found, _)| *found == id)
                .map(|(_, c)| *c)
                .unwrap_or_default();
            ((id, counts), (id, earlier))
        })
        .collect()
}

/// The summary's totals, tags and months, hand-written.
#[derive(Debug, PartialEq)]
struct HandSummary {
    totals: Vec<i64>,
    median: Option<f64>,
    previous_totals: Vec<i64>,
    previous_median: Option<f64>,
    tags: Vec<(String, i64)>,
    months: Vec<i64>,
    most: Vec<Uuid>,
    least: Vec<Uuid>,
}

fn totals_sql(backend: Backend, source: Source) -> String {
    let days = days_expr(backend);
    let median = median_sql(backend, None);
    let (organisations, representatives) = match source {
        Source::BaseTables => (
            "SELECT COUNT(DISTINCT organisation_id) FROM engaged",
            "SELECT COUNT(DISTINCT representative_id) FROM engaged",
        ),
        Source::ReadModel => (
            "SELECT COUNT(DISTINCT organisation_id) FROM engagement_meetings WHERE starts_at >= $1 AND starts_at < $2",
            "SELECT COUNT(DISTINCT representative_id) FROM engagement_people WHERE starts_at >= $1 AND starts_at < $2",
        ),
    };
    let sql = format!(
        "WITH counted AS (
            SELECT id, host_organisation_id, kind FROM meetings
            WHERE archived_at IS NULL AND status <> 'cancelled' AND starts_at >= $1 AND starts_at < $2),
        engaged AS (
            SELECT a.organisation_id, a.representative_id FROM attendances a JOIN counted m ON m.id = a.meeting_id
            WHERE a.status = 'attended'
            UNION ALL
            SELECT host_organisation_id, NULL FROM counted WHERE host_organisation_id IS NOT NULL),
        fu AS (
            SELECT f.status, f.completed_at, f.due_on,
              CASE WHEN f.status = 'done' AND f.completed_at < $3 THEN {days} END AS days
            FROM follow_ups f JOIN meetings m ON m.id = f.meeting_id
            WHERE f.archived_at IS NULL AND m.archived_at IS NULL AND m.status <> 'cancelled'
              AND m.starts_at >= $1 AND m.starts_at < $2)
        SELECT
          (SELECT COUNT(*) FROM counted) AS meetings,
          (SELECT COUNT(*) FROM counted WHERE kind = 'partner_day') AS partner_days,
          ({organisations}) AS organisations,
          ({representatives}) AS representatives,
          (SELECT COUNT(*) FROM fu) AS opened,
          (SELECT COUNT(*) FROM fu WHERE status = 'cancelled') AS cancelled,
          (SELECT COUNT(*) FROM fu WHERE days IS NOT NULL) AS done,
          (SELECT COUNT(*) FROM fu WHERE status IN ('open', 'in_progress') OR (status = 'done' AND completed_at >= $3)) AS open,
          (SELECT COUNT(*) FROM fu WHERE (status IN ('open', 'in_progress') OR (status = 'done' AND completed_at >= $3)) AND due_on < $4) AS overdue,
          (SELECT median FROM ({median}) AS med) AS median"
    );
    placeholders(backend, &sql)
}

const TOTAL_COLUMNS: [&str; 9] = [
    "meetings",
    "partner_days",
    "organisations",
    "representatives",
    "opened",
    "cancelled",
    "done",
    "open",
    "overdue",
];

fn tags_sql(backend: Backend) -> String {
    placeholders(
        backend,
        &format!(
            "SELECT t.tag, COUNT(*) AS meetings FROM meeting_tags t JOIN meetings m ON m.id = t.meeting_id
             WHERE m.archived_at IS NULL AND m.status <> 'cancelled' AND m.starts_at >= $1 AND m.starts_at < $2
             GROUP BY t.tag ORDER BY meetings DESC, t.tag LIMIT {TAGS}"
        ),
    )
}

fn months_sql(backend: Backend, months: usize) -> String {
    let columns: Vec<String> = (0..months)
        .map(|i| {
            format!(
                "COALESCE(SUM(CASE WHEN starts_at >= ${} AND starts_at < ${} THEN 1 ELSE 0 END), 0) AS m{i}",
                3 + 2 * i,
                4 + 2 * i
            )
        })
        .collect();
    placeholders(
        backend,
        &format!(
            "SELECT {} FROM meetings WHERE archived_at IS NULL AND status <> 'cancelled' AND starts_at >= $1 AND starts_at < $2",
            columns.join(", ")
        ),
    )
}

macro_rules! run_hand_summary {
    ($pool:expr, $backend:expr, $hand:expr, $source:expr, $period:expr, $today:expr) => {{
        let pool = $pool;
        let totals_of = |bounds: Bounds| {
            let sql = totals_sql($backend, $source);
            async move {
                let row = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(bounds.starts_at)
                    .bind(bounds.ends_at)
                    .bind(bounds.as_of_end)
                    .bind(bounds.as_of)
                    .fetch_one(pool)
                    .await
                    .unwrap();
                let totals: Vec<i64> = TOTAL_COLUMNS.iter().map(|c| row.get::<i64, _>(*c)).collect();
                let median: Option<f64> = row.get("median");
                (totals, median)
            }
        };
        let bounds = Bounds::new($period, $today);
        let (totals, median) = totals_of(bounds).await;
        let (previous_totals, previous_median) = totals_of(Bounds::new(&$period.previous(), $today)).await;
        let tags: Vec<(String, i64)> = sqlx::query(sqlx::AssertSqlSafe(tags_sql($backend)))
            .bind(bounds.starts_at)
            .bind(bounds.ends_at)
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|row| (row.get("tag"), row.get("meetings")))
            .collect();
        let months = $period.months();
        let sql = months_sql($backend, months.len());
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(bounds.starts_at)
            .bind(bounds.ends_at);
        for month in &months {
            query = query.bind(month.starts_at).bind(month.ends_at);
        }
        let row = query.fetch_one(pool).await.unwrap();
        let months: Vec<i64> = (0..months.len())
            .map(|i| row.get::<i64, _>(format!("m{i}").as_str()))
            .collect();
        let most = hand_page($hand, $source, $period, $today, "DESC", ENDS).await;
        let least = hand_page($hand, $source, $period, $today, "ASC", ENDS).await;
        HandSummary {
            totals,
            median,
            previous_totals,
            previous_median,
            tags,
            months,
            most: most.iter().map(|((id, _), _)| *id).collect(),
            least: least.iter().map(|((id, _), _)| *id).collect(),
        }
    }};
}

async fn hand_summary(hand: &Hand, source: Source, period: &Period, today: NaiveDate) -> HandSummary {
    match hand {
        Hand::Sqlite(pool) => run_hand_summary!(pool, Backend::Sqlite, hand, source, period, today),
        Hand::Postgres(pool) => run_hand_summary!(pool, Backend::Postgres, hand, source, period, today),
    }
}

fn store_totals(totals: &EngagementTotals) -> Vec<i64> {
    vec![
        totals.meetings,
        totals.partner_days,
        totals.organisations_engaged,
        totals.representatives_engaged,
        totals.follow_ups_opened,
        totals.follow_ups_cancelled,
        totals.follow_ups_done,
        totals.follow_ups_open,
        totals.follow_ups_overdue,
    ]
}

/// The counts a row's figures came from, to compare with the hand query's.
fn counts_of(row: &EngagementRow) -> (EngagementCounts, EngagementCounts) {
    let counts = |f: &samverkan_domain::EngagementFigures| EngagementCounts {
        meetings_hosted: f.meetings_hosted,
        meetings_attended: f.meetings_attended,
        meetings_engaged: f.meetings_engaged,
        partner_days: f.partner_days,
        first_meeting_at: None,
        last_meeting_at: None,
        representatives_engaged: f.representatives_engaged,
        presentations: f.presentations,
        follow_ups_opened: f.follow_ups_opened,
        follow_ups_cancelled: f.follow_ups_cancelled,
        follow_ups_done: f.follow_ups_done,
        follow_ups_open: f.follow_ups_open,
        follow_ups_overdue: f.follow_ups_overdue,
        #[allow(clippy::cast_possible_truncation)]
        median_days_to_complete_x2: f.median_days_to_complete.map(|m| (m * 2.0) as i64),
    };
    (counts(&row.current), counts(&row.previous))
}

/// Drops the instants (the store reports their days) for comparison, but
/// checks their days first.
fn comparable(counts: &EngagementCounts, figures: &samverkan_domain::EngagementFigures) -> EngagementCounts {
    assert_eq!(
        counts.last_meeting_at.map(time::local_date),
        figures.last_meeting_on
    );
    assert_eq!(
        counts.first_meeting_at.map(time::local_date),
        figures.first_meeting_on
    );
    EngagementCounts {
        first_meeting_at: None,
        last_meeting_at: None,
        ..*counts
    }
}

async fn store_page(
    store: &Store,
    period: &Period,
    today: NaiveDate,
    order: SortOrder,
    limit: u64,
) -> Vec<EngagementRow> {
    let filter = EngagementFilter {
        sort: EngagementSort::MeetingsEngaged,
        order,
        ..EngagementFilter::default()
    };
    let page = PageRequest::first(limit);
    store
        .engagement(period, today, &HealthThresholds::default(), &filter, &page)
        .await
        .unwrap()
        .items
}

/// Runs `f` once to warm up, then `runs` times; the median and the fastest.
async fn time_it<F, Fut, T>(runs: usize, mut f: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    std::hint::black_box(f().await);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        std::hint::black_box(f().await);
        times.push(started.elapsed());
    }
    times.sort();
    (times[times.len() / 2], times[0])
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Checks that the store and hand-written SQL over `source` give the same
/// figures, or the timings mean nothing.
async fn check_agreement(
    name: &str,
    store: &Store,
    hand: &Hand,
    source: Source,
    period: &Period,
    today: NaiveDate,
) {
    let rows = store_page(store, period, today, SortOrder::Desc, PAGE).await;
    let hand_rows = hand_page(hand, source, period, today, "DESC", PAGE).await;
    assert_eq!(rows.len(), hand_rows.len());
    for (row, ((id, current), (_, previous))) in rows.iter().zip(&hand_rows) {
        assert_eq!(
            row.organisation_id.as_uuid(),
            *id,
            "{name} {source:?}: the same order"
        );
        let (store_current, store_previous) = counts_of(row);
        assert_eq!(
            store_current,
            comparable(current, &row.current),
            "{name} {source:?}: {id} this year"
        );
        assert_eq!(
            store_previous,
            comparable(previous, &row.previous),
            "{name} {source:?}: {id} last year"
        );
    }
    let summary = store
        .engagement_summary(period, today, &HealthThresholds::default())
        .await
        .unwrap();
    let hand_sum = hand_summary(hand, source, period, today).await;
    assert_eq!(
        store_totals(&summary.totals),
        hand_sum.totals,
        "{name} {source:?}: totals"
    );
    assert_eq!(
        store_totals(&summary.previous_totals),
        hand_sum.previous_totals,
        "{name} {source:?}: previous totals"
    );
    assert_eq!(
        summary.totals.median_days_to_complete, hand_sum.median,
        "{name} {source:?}: median"
    );
    assert_eq!(
        summary.previous_totals.median_days_to_complete, hand_sum.previous_median,
        "{name} {source:?}: previous median"
    );
    let tags: Vec<(String, i64)> = summary
        .top_tags
        .iter()
        .map(|t| (t.tag.clone(), t.meetings))
        .collect();
    assert_eq!(tags, hand_sum.tags, "{name} {source:?}: tags");
    let months: Vec<i64> = summary.meetings_per_month.iter().map(|m| m.meetings).collect();
    assert_eq!(months, hand_sum.months, "{name} {source:?}: months");
    let ids = |rows: &[EngagementRow]| {
        rows.iter()
            .map(|r| r.organisation_id.as_uuid())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&summary.most_engaged),
        hand_sum.most,
        "{name} {source:?}: most engaged"
    );
    assert_eq!(
        ids(&summary.least_engaged),
        hand_sum.least,
        "{name} {source:?}: least engaged"
    );
    eprintln!(
        "{name}: the store and hand-written SQL over the {source:?} agree ({} meetings, {} follow-ups in the year)",
        summary.totals.meetings, summary.totals.follow_ups_opened
    );
}

async fn measure(name: &str, store: &Store, hand: &Hand, runs: usize, out: &mut Vec<String>) {
    let today = time::today();
    let from = today
        .checked_sub_months(Months::new(12))
        .and_then(|d| d.succ_opt())
        .unwrap();
    let period = Period::parse(Some(from), Some(today)).unwrap();
    let period = &period;

    // The base tables prove the read model right at scale; the read model
    // is what the store's queries are timed against.
    check_agreement(name, store, hand, Source::BaseTables, period, today).await;
    check_agreement(name, store, hand, Source::ReadModel, period, today).await;

    let summary = || async {
        store
            .engagement_summary(period, today, &HealthThresholds::default())
            .await
            .unwrap()
    };
    let store_engagement = time_it(runs, || store_page(store, period, today, SortOrder::Desc, PAGE)).await;
    let hand_engagement_time = time_it(runs, || {
        hand_page(hand, Source::ReadModel, period, today, "DESC", PAGE)
    })
    .await;
    let store_summary = time_it(runs, summary).await;
    let hand_summary_time = time_it(runs, || hand_summary(hand, Source::ReadModel, period, today)).await;
    // Once each (they take seconds): what the read model saves.
    let base_engagement = time_it(1, || {
        hand_page(hand, Source::BaseTables, period, today, "DESC", PAGE)
    })
    .await;
    let base_summary = time_it(1, || hand_summary(hand, Source::BaseTables, period, today)).await;

    let row = |scenario: &str,
               store: (Duration, Duration),
               hand: (Duration, Duration),
               base: (Duration, Duration),
               target: Duration| {
        let ratio = store.0.as_secs_f64() / hand.0.as_secs_f64();
        format!(
            "| {name} | {scenario} {from}..{today} | {:.0} ({:.0}) | {:.0} ({:.0}) | {ratio:.2} | {:.0} | {} | {} |",
            ms(store.0),
            ms(store.1),
            ms(hand.0),
            ms(hand.1),
            ms(base.0),
            if store.0 <= target { "met" } else { "missed" },
            if ratio <= TARGET_RATIO { "met" } else { "missed" },
        )
    };
    out.push(row(
        "engagement",
        store_engagement,
        hand_engagement_time,
        base_engagement,
        TARGET_ENGAGEMENT,
    ));
    out.push(row(
        "summary",
        store_summary,
        hand_summary_time,
        base_summary,
        TARGET_SUMMARY,
    ));
}

async fn counts(store: &Store) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let mut parts = Vec::new();
    for table in [
        "organisations",
        "meetings",
        "attendances",
        "agenda_item_presenters",
        "follow_ups",
        "engagement_meetings",
        "engagement_people",
    ] {
        let row = store
            .connection()
            .query_one_raw(Statement::from_string(
                store.backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        parts.push(format!("{} {table}", row.try_get::<i64>("", "n").unwrap()));
    }
    parts.join(", ")
}

fn main() {
    // `cargo test --benches` runs this without `--bench`: a smoke run on a
    // tiny shape, in a PostgreSQL database of its own.
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    let (organisations, meetings, default_runs) = if smoke { (30, 300, 1) } else { (2_000, 100_000, 5) };
    let shape = Shape {
        organisations: env_or("SAMVERKAN_BENCH_ORGANISATIONS", organisations),
        meetings: env_or("SAMVERKAN_BENCH_MEETINGS", meetings),
        seed: env_or("SAMVERKAN_BENCH_SEED", 1),
    };
    let runs: usize = env_or("SAMVERKAN_BENCH_RUNS", default_runs);
    let only = std::env::var("SAMVERKAN_BENCH_ONLY").unwrap_or_default();
    let postgres_url = std::env::var("SAMVERKAN_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("SAMVERKAN_TEST_POSTGRES_URL"))
        .ok()
        .filter(|url| !url.is_empty());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut out = vec![
            "| backend | scenario | store ms: median (fastest) | hand-written SQL over the read model ms: median (fastest) | ratio | hand-written SQL over the base tables ms (one run) | time target | ratio target |".to_owned(),
            "|---|---|---:|---:|---:|---:|---|---|".to_owned(),
        ];
        if only.is_empty() || only == "sqlite" {
            let (store, hand) = sqlite(shape).await;
            eprintln!("sqlite data: {}", counts(&store).await);
            measure("SQLite", &store, &hand, runs, &mut out).await;
        }
        match (&postgres_url, only.is_empty() || only == "postgres") {
            (Some(url), true) => {
                let (store, hand) = postgres(shape, url, smoke).await;
                eprintln!("postgres data: {}", counts(&store).await);
                measure("PostgreSQL", &store, &hand, runs, &mut out).await;
            }
            (None, true) => eprintln!("postgres: skipped (SAMVERKAN_BENCH_POSTGRES_URL is not set)"),
            _ => {}
        }
        println!(
            "shape: {} organisations, {} meetings, seed {}; {runs} runs each\n",
            shape.organisations, shape.meetings, shape.seed
        );
        println!("{}", out.join("\n"));
    });
}
