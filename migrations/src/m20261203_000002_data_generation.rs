//! The data's generation: one number that every audited write raises in its
//! own transaction. Servers keep what is costly to compute from the whole
//! data (the engagement figures of every organisation) only as long as the
//! number they computed it at is still the database's: so a write on any
//! server is seen by every other at their next read, and no server holds
//! state of its own that could disagree with the database.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DataGeneration {
    Table,
    Id,
    Generation,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DataGeneration::Table)
                    .col(integer(DataGeneration::Id).primary_key())
                    .col(big_integer(DataGeneration::Generation))
                    .take(),
            )
            .await?;
        let mut first = Query::insert();
        first
            .into_table(DataGeneration::Table)
            .columns([DataGeneration::Id, DataGeneration::Generation])
            .values([1.into(), 0.into()])
            .map_err(|error| DbErr::Migration(error.to_string()))?;
        manager.exec_stmt(first).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DataGeneration::Table).take())
            .await
    }
}
