//! A fresh database per test, on each backend.
//!
//! SQLite always runs (a file in a temporary folder). PostgreSQL runs when
//! `SAMVERKAN_TEST_POSTGRES_URL` names a server (any database on it: each test
//! creates its own and drops it after); without it the PostgreSQL half of a
//! test is skipped, except under CI (`CI=true`), where that is a failure.

use samverkan_store::Store;
use sea_orm::{ConnectionTrait, Database};

pub const POSTGRES_URL_VARIABLE: &str = "SAMVERKAN_TEST_POSTGRES_URL";

pub enum TestDb {
    Sqlite {
        store: Store,
        _dir: tempfile::TempDir,
    },
    Postgres {
        store: Store,
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        let store = Store::open(&url).await.expect("a migrated SQLite database");
        Self::Sqlite { store, _dir: dir }
    }

    /// `None` when PostgreSQL is not configured (and this is not CI).
    pub async fn postgres() -> Option<Self> {
        let admin_url = match std::env::var(POSTGRES_URL_VARIABLE) {
            Ok(url) if !url.is_empty() => url,
            _ => {
                assert!(
                    std::env::var("CI").map_or(true, |ci| ci != "true"),
                    "{POSTGRES_URL_VARIABLE} must be set in CI: the PostgreSQL half of the tests may not be skipped"
                );
                eprintln!("skipping the PostgreSQL half: {POSTGRES_URL_VARIABLE} is not set");
                return None;
            }
        };
        let name = format!("samverkan_test_{}", uuid::Uuid::now_v7().simple());
        let admin = Database::connect(&admin_url)
            .await
            .unwrap_or_else(|error| panic!("PostgreSQL at {POSTGRES_URL_VARIABLE} is unreachable: {error}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("CREATE DATABASE");
        admin.close().await.expect("close the admin connection");
        let store = Store::open(&with_database(&admin_url, &name))
            .await
            .expect("a migrated PostgreSQL database");
        Some(Self::Postgres {
            store,
            admin_url,
            name,
        })
    }

    pub fn store(&self) -> Store {
        match self {
            Self::Sqlite { store, .. } | Self::Postgres { store, .. } => store.clone(),
        }
    }

    /// Closes the pool and drops a PostgreSQL test database.
    pub async fn finish(self) {
        match self {
            Self::Sqlite { store, _dir } => store.close().await.expect("close SQLite"),
            Self::Postgres {
                store,
                admin_url,
                name,
            } => {
                store.close().await.expect("close PostgreSQL");
                let admin = Database::connect(&admin_url).await.expect("reconnect as admin");
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .expect("DROP DATABASE");
                admin.close().await.expect("close the admin connection");
            }
        }
    }
}

/// The same server URL, naming another database.
pub fn with_database(url: &str, database: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("a PostgreSQL URL");
    parsed.set_path(&format!("/{database}"));
    parsed.to_string()
}

/// Defines, for each named `async fn(Store)`, a module with one test per
/// backend: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! store_tests {
    ($($test:ident),* $(,)?) => {
        $(
            mod $test {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = $crate::harness::TestDb::sqlite().await;
                    super::$test(db.store()).await;
                    db.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(db) = $crate::harness::TestDb::postgres().await else { return };
                    super::$test(db.store()).await;
                    db.finish().await;
                }
            }
        )*
    };
}
