//! A fresh database per test, on each backend (`samverkan-test-support`,
//! shared with the end-to-end tests): SQLite always, PostgreSQL when
//! `SAMVERKAN_TEST_POSTGRES_URL` names a server (required under CI). The
//! database goes with the test, also when the test panics.

use samverkan_store::Store;
use samverkan_test_support::{Backend, TestDatabase};

/// A migrated store on a fresh database.
pub struct TestDb {
    store: Store,
    _database: TestDatabase,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        Self::on(Backend::Sqlite).await.expect("SQLite always runs")
    }

    /// `None` when PostgreSQL is not configured (and this is not CI).
    pub async fn postgres() -> Option<Self> {
        Self::on(Backend::Postgres).await
    }

    async fn on(backend: Backend) -> Option<Self> {
        let database = TestDatabase::new(backend).await?;
        let store = Store::open(&database.url).await.expect("a migrated database");
        Some(Self {
            store,
            _database: database,
        })
    }

    pub fn store(&self) -> Store {
        self.store.clone()
    }

    /// Another server's store on the same database: a pool of its own.
    pub async fn another_server(&self) -> Store {
        Store::connect(&self._database.url)
            .await
            .expect("a second connection")
    }

    /// Closes the pool; the database is dropped with `self`.
    pub async fn finish(self) {
        self.store.clone().close().await.expect("close the store");
    }
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
