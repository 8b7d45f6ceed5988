//! Helpers shared by the record modules: write transactions, version-guarded
//! updates, text matching and mapping stored strings back to domain values.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, Order,
    QueryFilter, QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait, Value,
};
use uuid::Uuid;

use samverkan_domain::{FieldError, RecordMeta, SortOrder, text};

use crate::Store;
use crate::audit::{Actor, Write};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Start};

/// What one server at a time does when several share a PostgreSQL database.
/// Each is a transaction-scoped advisory lock (released at commit or
/// rollback); on SQLite the write transaction's `BEGIN IMMEDIATE` already
/// admits one writer at a time.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SharedLock {
    /// Applying migrations.
    Migrations,
    /// Loading the demo partner day, and its users.
    Demo,
    /// Erasing a person: one placeholder number per erasure.
    Erasure,
    /// The daily retention run: one server at a time.
    Retention,
}

impl SharedLock {
    /// The lock's key: "samverkn" in ASCII, then one more per lock, chosen
    /// so as not to collide with other applications' keys.
    fn key(self) -> i64 {
        const BASE: i64 = 0x7361_6d76_6572_6b6e;
        match self {
            Self::Migrations => BASE,
            Self::Demo => BASE + 1,
            Self::Erasure => BASE + 2,
            Self::Retention => BASE + 3,
        }
    }

    /// Takes the lock for the rest of `txn` if no one holds it; whether it
    /// was taken. On SQLite always (one process writes).
    pub(crate) async fn try_take(self, txn: &DatabaseTransaction) -> StoreResult<bool> {
        if txn.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(true);
        }
        let row = txn
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("SELECT pg_try_advisory_xact_lock({}) AS taken", self.key()),
            ))
            .await?;
        Ok(match row {
            Some(row) => row.try_get::<bool>("", "taken")?,
            None => false,
        })
    }

    /// Takes the lock for the rest of `txn`, waiting for whoever holds it.
    pub(crate) async fn take(self, txn: &DatabaseTransaction) -> StoreResult<()> {
        if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({})", self.key()))
                .await?;
        }
        Ok(())
    }
}

impl Store {
    /// Begins a transaction that will write, on SQLite on the one writer
    /// connection. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and
    /// upgrades later fails with "database is locked" when another writer got
    /// in between, whereas one that waits at `BEGIN` is served in turn.
    pub(crate) async fn begin_write(&self) -> StoreResult<Write> {
        Ok(Write::new(
            self.begin_unaudited_write().await?,
            self.actor.clone(),
        ))
    }

    /// A write transaction outside the audit trail: for the schema
    /// (migrations), and for what is no record (sessions, failed sign-ins).
    pub(crate) async fn begin_unaudited_write(&self) -> StoreResult<DatabaseTransaction> {
        Ok(self
            .writer
            .as_ref()
            .unwrap_or(&self.db)
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?)
    }

    /// This store, writing on behalf of `actor` (recorded in the audit
    /// trail of every write).
    #[must_use]
    pub fn acting_as(&self, actor: Actor) -> Self {
        Self {
            actor,
            ..self.clone()
        }
    }
}

/// Writes `changes` to the row `id` only if it is still at `expected`
/// version, and tells apart a missing row from a conflicting one.
pub(crate) async fn guarded_update<A>(
    txn: &DatabaseTransaction,
    entity: &'static str,
    id_column: <A::Entity as EntityTrait>::Column,
    version_column: <A::Entity as EntityTrait>::Column,
    id: Uuid,
    expected: i32,
    changes: A,
) -> StoreResult<()>
where
    A: ActiveModelTrait + Send,
{
    let result = <A::Entity as EntityTrait>::update_many()
        .set(changes)
        .filter(id_column.eq(id))
        .filter(version_column.eq(expected))
        .exec(txn)
        .await?;
    if result.rows_affected == 1 {
        return Ok(());
    }
    let actual: Option<i32> = <A::Entity as EntityTrait>::find()
        .select_only()
        .column(version_column)
        .filter(id_column.eq(id))
        .into_tuple()
        .one(txn)
        .await?;
    Err(match actual {
        None => StoreError::NotFound { entity, id },
        Some(actual) => StoreError::VersionConflict {
            entity,
            id,
            expected,
            actual,
        },
    })
}

/// Fails with a version conflict unless `expected` is the version read.
pub(crate) fn check_version(
    entity: &'static str,
    id: Uuid,
    expected: i32,
    meta: &RecordMeta,
) -> StoreResult<()> {
    if expected == meta.version {
        Ok(())
    } else {
        Err(StoreError::VersionConflict {
            entity,
            id,
            expected,
            actual: meta.version,
        })
    }
}

/// Fails with a validation error if the record is archived: archived
/// records keep their history but no longer change.
pub(crate) fn refuse_archived(entity: &'static str, id: Uuid, meta: &RecordMeta) -> StoreResult<()> {
    if meta.is_archived() {
        let mut errors = samverkan_domain::ValidationErrors::new();
        errors.add("id", format!("{entity} {id} is archived and cannot be changed"));
        return Err(errors.into());
    }
    Ok(())
}

/// A case- and accent-insensitive substring match of `query` against a
/// column holding folded text (see `samverkan_domain::text::fold`).
pub(crate) fn folded_contains(column: impl ColumnTrait, query: &str) -> Expr {
    let pattern = format!("%{}%", text::escape_like(&text::fold(query)));
    Expr::col(column.as_column_ref()).like(LikeExpr::new(pattern).escape('\\'))
}

/// A case- and accent-insensitive prefix match of `query` against a column
/// holding folded text.
pub(crate) fn folded_starts_with(column: impl ColumnTrait, query: &str) -> Expr {
    let pattern = format!("{}%", text::escape_like(&text::fold(query)));
    Expr::col(column.as_column_ref()).like(LikeExpr::new(pattern).escape('\\'))
}

/// The text a search matches a record by: its searchable fields, folded, one
/// per line (so that a match never spans two fields).
pub(crate) fn search_text<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(text::fold)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Maps a domain error met while reading a stored row to "corrupt".
pub(crate) fn stored<T>(entity: &'static str, id: Uuid, result: Result<T, FieldError>) -> StoreResult<T> {
    result.map_err(|error| StoreError::corrupt(entity, id, error))
}

/// A stored count or position (never negative in a valid row), or
/// `Corrupt` naming the field.
pub(crate) fn stored_unsigned(entity: &'static str, id: Uuid, field: &str, value: i32) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| StoreError::corrupt(entity, id, format!("{field} is {value}, below 0")))
}

pub(crate) fn meta(
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
) -> RecordMeta {
    RecordMeta {
        version,
        created_at,
        updated_at,
        archived_at,
    }
}

/// The rows after `(key, id)` in a keyset walk ordered by `(key, id)` in
/// `order` (everything when there is no `after`); the key is an instant or
/// a sort key. `order` is the order rows are read in ([`crate::page::Start::order`]), so
/// that reading backward the same condition gives the rows before.
pub(crate) fn keyset_after<C: ColumnTrait, K: Into<Value> + Clone>(
    order: Order,
    key: C,
    id: C,
    after: Option<&(K, Uuid)>,
) -> Condition {
    let Some((key_after, id_after)) = after else {
        return Condition::all();
    };
    let (key_from, key_beyond, id_beyond) = match order {
        Order::Asc => (
            key.gte(key_after.clone()),
            key.gt(key_after.clone()),
            id.gt(*id_after),
        ),
        _ => (
            key.lte(key_after.clone()),
            key.lt(key_after.clone()),
            id.lt(*id_after),
        ),
    };
    // `key_from` is implied by the rest, but it is what lets the database
    // start the index range at the cursor: without it PostgreSQL read the
    // index from the start of the list and filtered (68,000 rows for a page
    // in the middle of 100,000 meetings).
    Condition::all().add(key_from).add(
        Condition::any()
            .add(key_beyond)
            .add(Condition::all().add(key.eq(key_after.clone())).add(id_beyond)),
    )
}

/// The database's order for a client's.
pub(crate) fn order_of(order: SortOrder) -> Order {
    match order {
        SortOrder::Asc => Order::Asc,
        SortOrder::Desc => Order::Desc,
    }
}

/// The rows after `cursor` in a walk ordered by id alone, in `order`
/// (everything when there is no cursor).
pub(crate) fn id_after<C: ColumnTrait>(order: Order, id: C, cursor: Option<&Cursor>) -> Condition {
    match (cursor, order) {
        (None, _) => Condition::all(),
        (Some(cursor), Order::Asc) => Condition::all().add(id.gt(cursor.id)),
        (Some(cursor), _) => Condition::all().add(id.lt(cursor.id)),
    }
}

/// A keyset walk in the order `(key IS NULL, key, id)`: `NULL` keys last,
/// keys ascending or `descending`, ids ascending whichever way the keys
/// go, for a key that may be missing (a due date, a last meeting).
pub(crate) struct NullsLast {
    pub(crate) key: Expr,
    pub(crate) id: Expr,
    pub(crate) descending: bool,
}

impl NullsLast {
    /// What to order by, in the read order of `start`: reading backward
    /// every part turns (`NULL` keys first, ids descending).
    pub(crate) fn order_by(&self, start: &Start<'_>) -> [(Expr, Order); 3] {
        let key_order = if self.descending { Order::Desc } else { Order::Asc };
        [
            (self.key.clone().is_null(), start.order(Order::Asc)),
            (self.key.clone(), start.order(key_order)),
            (self.id.clone(), start.order(Order::Asc)),
        ]
    }

    /// The rows strictly after the row `(key, id)` in the read order (before
    /// it in the list's, reading `backward`); `key` is `None` for a row
    /// without one.
    pub(crate) fn after(&self, backward: bool, key: Option<Value>, id: Uuid) -> Condition {
        let key_expr = || self.key.clone();
        let id_after = if backward {
            self.id.clone().lt(id)
        } else {
            self.id.clone().gt(id)
        };
        let Some(value) = key else {
            let null_after = Condition::all().add(key_expr().is_null()).add(id_after);
            return if backward {
                Condition::any().add(key_expr().is_not_null()).add(null_after)
            } else {
                null_after
            };
        };
        // Beyond the key in the read order; a `NULL` key compares to
        // nothing, so only the forward walk, which ends with them, adds them.
        let beyond = if self.descending != backward {
            key_expr().lt(value.clone())
        } else {
            key_expr().gt(value.clone())
        };
        let mut condition = Condition::any()
            .add(beyond)
            .add(Condition::all().add(key_expr().eq(value)).add(id_after));
        if !backward {
            condition = condition.add(key_expr().is_null());
        }
        condition
    }
}

/// Runs `statement`-free reads inside either a connection or a transaction.
pub(crate) trait Db: ConnectionTrait + Sync {}
impl<T: ConnectionTrait + Sync> Db for T {}
