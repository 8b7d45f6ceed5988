//! Data protection (docs/privacy.md): a representative's restriction
//! (Art. 18), when a representative or user was erased (Art. 17), and the
//! log of erasures, which names only ids, so that a restore of an older
//! backup can replay them.
//!
//! The log lives in the database for the store's own use (the placeholder
//! numbers, refusing a second erasure); the operator keeps a copy outside
//! the backups (`samverkan privacy erasures`), since a restore replaces the
//! table with the backup's.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Representatives {
    Table,
    RestrictedAt,
    ErasedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    ErasedAt,
}

#[derive(DeriveIden)]
enum Erasures {
    Table,
    Id,
    Entity,
    EntityId,
    Sequence,
    ErasedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One `ALTER` operation per statement (SeaQuery's SQLite backend).
        for column in [Representatives::RestrictedAt, Representatives::ErasedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Representatives::Table)
                        .add_column(timestamp_with_time_zone_null(column))
                        .take(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::ErasedAt))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Erasures::Table)
                    .col(pk_uuid(Erasures::Id))
                    // `representative` or `user`.
                    .col(text(Erasures::Entity))
                    .col(uuid(Erasures::EntityId))
                    // The number in the placeholder ("Raderad person 3"),
                    // counted per entity.
                    .col(integer(Erasures::Sequence))
                    .col(timestamp_with_time_zone(Erasures::ErasedAt))
                    .take(),
            )
            .await?;
        // Once per record, and one number per placeholder: the indexes are
        // the last word when two erasures race.
        for (name, column) in [
            ("ux_erasures_entity_id", Erasures::EntityId),
            ("ux_erasures_sequence", Erasures::Sequence),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Erasures::Table)
                        .col(Erasures::Entity)
                        .col(column)
                        .unique()
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Erasures::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::ErasedAt)
                    .take(),
            )
            .await?;
        for column in [Representatives::ErasedAt, Representatives::RestrictedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Representatives::Table)
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
