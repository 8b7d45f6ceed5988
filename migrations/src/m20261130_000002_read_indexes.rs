//! Indexes for two reads that scanned: substring search, and the overdue
//! follow-ups.
//!
//! **Overdue follow-ups** are listed in id order (the order of every list)
//! among the unfinished ones (`open`, `in_progress`) due before a day. With
//! only `(status, due_on)` to go by, SQLite gathered every overdue row and
//! sorted it to return a page. A partial index of the unfinished follow-ups
//! in id order, holding `due_on`, lets a page walk ids and stop after `limit`
//! matches. The store writes the statuses as literals in that query: SQLite
//! (and PostgreSQL's generic plans) use a partial index only when the query's
//! `WHERE` visibly implies the index's. The old `(status, due_on)` index goes:
//! without statistics SQLite's planner kept preferring it (and sorting), and
//! the lists it could serve (`status=…`, in id order) walk ids as well.
//!
//! **Search** over the folded `search_text` columns:
//!
//! A search is "contains", not "starts with", so a B-tree cannot serve it and
//! every search used to scan six tables. Each backend has its own index for
//! this, and neither can be written with SeaQuery's builders, so this
//! migration speaks each backend's SQL:
//!
//! - SQLite: an FTS5 table with the `trigram` tokenizer per searchable table,
//!   kept in step by triggers. It stores no text of its own (external
//!   content: the indexed table's `search_text`), only the trigrams, keyed
//!   by the row's `rowid`. A phrase query (`MATCH '"folded text"'`) finds
//!   every row containing the text; queries under three characters cannot
//!   use it and the store falls back to a scan. `VACUUM` may renumber the
//!   rowids of these tables (they have no `INTEGER PRIMARY KEY`): rebuild the
//!   index afterwards with `INSERT INTO <table>_search(<table>_search)
//!   VALUES ('rebuild')` (docs/ARCHITECTURE.md).
//! - PostgreSQL: `pg_trgm` GIN indexes, which serve `LIKE '%…%'` directly.
//!   `pg_trgm` ships with PostgreSQL and is a trusted extension (13+): the
//!   database's owner may create it.
//!
//! The trigram tokenizer is case-folding for ASCII only and keeps accents;
//! that is what we want, since `search_text` is already folded by the
//! domain (Swedish å/ä/ö stay letters of their own).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables that have a `search_text` column.
pub const SEARCHABLE_TABLES: [&str; 6] = [
    "organisations",
    "representatives",
    "meetings",
    "agenda_items",
    "outcomes",
    "follow_ups",
];

fn sqlite_up(table: &str) -> String {
    let index = format!("{table}_search");
    format!(
        "CREATE VIRTUAL TABLE {index} USING fts5(search_text, content='{table}', content_rowid='rowid', tokenize='trigram');
         CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN
           INSERT INTO {index}(rowid, search_text) VALUES (new.rowid, new.search_text);
         END;
         CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN
           INSERT INTO {index}({index}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
         END;
         CREATE TRIGGER {index}_update AFTER UPDATE OF search_text ON {table}
           WHEN old.search_text IS NOT new.search_text BEGIN
           INSERT INTO {index}({index}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
           INSERT INTO {index}(rowid, search_text) VALUES (new.rowid, new.search_text);
         END;
         INSERT INTO {index}({index}) VALUES ('rebuild');"
    )
}

fn sqlite_down(table: &str) -> String {
    let index = format!("{table}_search");
    format!(
        "DROP TRIGGER IF EXISTS {index}_insert;
         DROP TRIGGER IF EXISTS {index}_delete;
         DROP TRIGGER IF EXISTS {index}_update;
         DROP TABLE IF EXISTS {index};"
    )
}

#[derive(DeriveIden)]
enum FollowUps {
    Table,
    Id,
    DueOn,
    Status,
}

/// The statuses of a follow-up that is still to be done.
pub const UNFINISHED_STATUSES: [&str; 2] = ["open", "in_progress"];

const UNFINISHED_INDEX: &str = "ix_follow_ups_unfinished";
/// Made by the initial schema; dropped here (see above).
const STATUS_DUE_INDEX: &str = "ix_follow_ups_status_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(UNFINISHED_INDEX)
                    .table(FollowUps::Table)
                    .col(FollowUps::Id)
                    .col(FollowUps::DueOn)
                    .and_where(Expr::col(FollowUps::Status).is_in(UNFINISHED_STATUSES))
                    .take(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(STATUS_DUE_INDEX)
                    .table(FollowUps::Table)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                for table in SEARCHABLE_TABLES {
                    db.execute_unprepared(&sqlite_up(table)).await?;
                }
            }
            DbBackend::Postgres => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                    .await?;
                for table in SEARCHABLE_TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE INDEX ix_{table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
                    ))
                    .await?;
                }
            }
            other => {
                return Err(DbErr::Migration(format!(
                    "search indexes are written for SQLite and PostgreSQL, not {other:?}"
                )));
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(UNFINISHED_INDEX)
                    .table(FollowUps::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(STATUS_DUE_INDEX)
                    .table(FollowUps::Table)
                    .col(FollowUps::Status)
                    .col(FollowUps::DueOn)
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        for table in SEARCHABLE_TABLES {
            match manager.get_database_backend() {
                DbBackend::Sqlite => db.execute_unprepared(&sqlite_down(table)).await?,
                _ => {
                    db.execute_unprepared(&format!("DROP INDEX IF EXISTS ix_{table}_search_trgm"))
                        .await?
                }
            };
        }
        // pg_trgm stays: other objects of the database may use it.
        Ok(())
    }
}
