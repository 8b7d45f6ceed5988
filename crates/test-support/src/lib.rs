//! A fresh, empty database for one test, on SQLite or PostgreSQL: the one
//! harness of the store tests and the end-to-end tests.
//!
//! SQLite always runs (a file in a temporary folder). PostgreSQL runs when
//! `SAMVERKAN_TEST_POSTGRES_URL` names a server (any database on it: each
//! test creates its own and drops it after); without it the PostgreSQL half
//! of a test is skipped, except under CI (`CI=true`), where that is a
//! failure. The database is dropped when the [`TestDatabase`] is, so also
//! when a test panics.

#![allow(clippy::expect_used)] // A harness that cannot set up fails its test.

use sqlx::Connection;

pub const POSTGRES_URL_VARIABLE: &str = "SAMVERKAN_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database; dropped (PostgreSQL) or deleted (SQLite) with this.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    _folder: Option<tempfile::TempDir>,
    _postgres: Option<DropPostgresDatabase>,
}

impl TestDatabase {
    /// `None` when PostgreSQL is not configured (and this is not CI).
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let folder = tempfile::tempdir().expect("a temporary folder");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    folder.path().join("samverkan.db").display()
                );
                Some(Self {
                    url,
                    _folder: Some(folder),
                    _postgres: None,
                })
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url()?;
                let name = format!("samverkan_test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .unwrap_or_else(|error| {
                        panic!("PostgreSQL at {POSTGRES_URL_VARIABLE} is unreachable: {error}")
                    });
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                    .execute(&mut admin)
                    .await
                    .expect("CREATE DATABASE");
                admin.close().await.expect("close the admin connection");
                Some(Self {
                    url: with_database(&admin_url, &name),
                    _folder: None,
                    _postgres: Some(DropPostgresDatabase { admin_url, name }),
                })
            }
        }
    }
}

/// The server named by `SAMVERKAN_TEST_POSTGRES_URL`; `None` (with a line
/// saying so) when it is not set, which CI does not allow.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_VARIABLE) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").map_or(true, |ci| ci != "true"),
                "{POSTGRES_URL_VARIABLE} must be set in CI: the PostgreSQL half of the tests may not be skipped"
            );
            eprintln!("skipping the PostgreSQL half: {POSTGRES_URL_VARIABLE} is not set");
            None
        }
    }
}

/// The same server URL, naming another database.
pub fn with_database(url: &str, database: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("a PostgreSQL URL");
    parsed.set_path(&format!("/{database}"));
    parsed.to_string()
}

/// Drops a test's PostgreSQL database when dropped: after the test, or
/// while it unwinds from a panic. Connections still open (a pool the
/// panicking test never closed) are ended with it (`WITH (FORCE)`).
#[derive(Debug)]
struct DropPostgresDatabase {
    admin_url: String,
    name: String,
}

impl Drop for DropPostgresDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // A thread and a runtime of its own: `drop` cannot await, and may
        // run on a runtime's worker, where blocking on another would panic.
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .map_err(|error| error.to_string())?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .map_err(|error| error.to_string())?;
                admin.close().await.map_err(|error| error.to_string())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("could not drop the test database {}: {error}", self.name),
            Err(_) => eprintln!("dropping the test database {} panicked", self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test that panics with its database in hand leaves no database
    /// behind.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_test_leaves_no_database_behind() {
        let Some(admin_url) = postgres_admin_url() else {
            return;
        };
        let (name_tx, name_rx) = tokio::sync::oneshot::channel();
        let test = tokio::spawn(async move {
            let database = TestDatabase::new(Backend::Postgres).await.expect("PostgreSQL");
            let name = url::Url::parse(&database.url).expect("a URL").path()[1..].to_owned();
            name_tx.send(name).expect("the name is awaited");
            panic!("a failing test");
        });
        assert!(test.await.is_err(), "the test panicked");
        let name = name_rx.await.expect("the test named its database");
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("PostgreSQL");
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .expect("pg_database");
        assert_eq!(left, 0, "{name} is left behind");
    }
}
