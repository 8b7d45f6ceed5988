//! The schema, written once with SeaQuery's builders for SQLite and
//! PostgreSQL (except where a backend's own kind of index has no builder:
//! the search indexes). Add a migration for every change; never edit one that has been
//! released. SQLite's backend can do one `ALTER` operation per statement, so a
//! migration that alters a table issues one statement per column.

pub use sea_orm_migration::prelude::*;

mod m20261130_000001_initial_schema;
mod m20261130_000002_read_indexes;
mod m20261130_000010_accounts;
pub mod m20261130_000011_engagement_read_model;
mod m20261130_000012_covering_indexes;
pub mod m20261201_000001_composed_texts;
mod m20261202_000001_web_sign_in;
mod m20261203_000001_privacy;
mod m20261203_000002_data_generation;
mod m20261204_000001_timeline_index;
mod m20261204_000010_form_drafts;

#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261130_000001_initial_schema::Migration),
            Box::new(m20261130_000002_read_indexes::Migration),
            Box::new(m20261130_000010_accounts::Migration),
            Box::new(m20261130_000011_engagement_read_model::Migration),
            Box::new(m20261130_000012_covering_indexes::Migration),
            Box::new(m20261201_000001_composed_texts::Migration),
            Box::new(m20261202_000001_web_sign_in::Migration),
            Box::new(m20261203_000001_privacy::Migration),
            Box::new(m20261203_000002_data_generation::Migration),
            Box::new(m20261204_000001_timeline_index::Migration),
            Box::new(m20261204_000010_form_drafts::Migration),
        ]
    }
}
