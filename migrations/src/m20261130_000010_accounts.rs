//! Users of Samverkan, their API tokens, and the audit trail of every write.
//!
//! Tokens are stored only as the SHA-256 of their secret (`token_hash`,
//! unique: a request's token is found by it). Users are disabled, never
//! deleted, so that the audit trail keeps naming who did what. Audit events
//! hold the record's fields before and after the write as JSON text (the
//! same on both backends; nothing queries inside it).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    EmailFolded,
    Role,
    DisplayName,
    RepresentativeId,
    DisabledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    UserId,
    Actor,
    Entity,
    EntityId,
    Action,
    Before,
    After,
}

#[derive(DeriveIden)]
enum Representatives {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_uuid(Users::Id))
                    .col(string(Users::Email))
                    .col(string_uniq(Users::EmailFolded))
                    .col(string(Users::Role))
                    .col(string_null(Users::DisplayName))
                    .col(uuid_null(Users::RepresentativeId))
                    .col(timestamp_with_time_zone_null(Users::DisabledAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::RepresentativeId)
                            .to(Representatives::Table, Representatives::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(uuid(ApiTokens::UserId))
                    .col(string(ApiTokens::Name))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_api_tokens_user")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::UserId)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_uuid(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(uuid_null(AuditEvents::UserId))
                    .col(string(AuditEvents::Actor))
                    .col(string(AuditEvents::Entity))
                    .col(uuid(AuditEvents::EntityId))
                    .col(string(AuditEvents::Action))
                    .col(text_null(AuditEvents::Before))
                    .col(text_null(AuditEvents::After))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditEvents::Table, AuditEvents::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        // A record's history, the trail by time, a user's actions: each in id
        // (= time) order, which is the order their lists page in.
        for (name, columns) in [
            ("ix_audit_events_entity", [AuditEvents::EntityId, AuditEvents::Id]),
            ("ix_audit_events_user", [AuditEvents::UserId, AuditEvents::Id]),
            ("ix_audit_events_time", [AuditEvents::OccurredAt, AuditEvents::Id]),
        ] {
            let mut index = Index::create().name(name).table(AuditEvents::Table).take();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
