//! An organisation's timeline lists the meetings it attended (or was
//! invited to), newest first: it finds them through its attendances, by
//! `ix_attendances_organisation` `(organisation_id, meeting_id)`, and then
//! had to read each attendance row for its status (`absent` ones do not
//! count, and the best status is the entry's detail). With the status in the
//! index the attendances are read from the index alone.
//!
//! Measured on the `web_pages` database (2,000 organisations, 306,079
//! attendances, about 150 an organisation), through the store's connection,
//! warm: the timeline's statement for its meetings took 0.61 ms per
//! organisation through the old index and 0.37 ms through this one, and
//! reading those meetings' statuses 0.85 ms and 0.41 ms.
//!
//! The index is widened in place (the old one is a prefix of the new, so
//! every query it served is served still, and a write updates as many
//! indexes as before), as `m20261130_000012_covering_indexes` widened others.

use sea_orm_migration::prelude::*;

use crate::m20261130_000001_initial_schema::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_attendances_organisation";
const TABLE: &str = "attendances";
const COLUMNS: &[&str] = &["organisation_id", "meeting_id", "status"];
const PREVIOUS: &[&str] = &["organisation_id", "meeting_id"];

fn drop() -> IndexDropStatement {
    Index::drop().name(NAME).table(Alias::new(TABLE)).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(drop()).await?;
        manager
            .create_index(index(NAME, Alias::new(TABLE), COLUMNS))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(drop()).await?;
        manager
            .create_index(index(NAME, Alias::new(TABLE), PREVIOUS))
            .await
    }
}
