//! Unfinished forms kept on the server: a meeting's draft, visible only to
//! its author until they save or delete it, and a form that arrived after
//! its sender's session had expired, kept briefly so that signing in again
//! returns them to it. Neither is a record: they count in no figure, have
//! no history, and hold the form's fields as typed (JSON).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MeetingDrafts {
    Table,
    Id,
    UserId,
    Title,
    Form,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum KeptForms {
    Table,
    Id,
    /// SHA-256 of the secret the browser holds in a cookie.
    SecretHash,
    Path,
    Form,
    KeptAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MeetingDrafts::Table)
                    .col(pk_uuid(MeetingDrafts::Id))
                    .col(uuid(MeetingDrafts::UserId))
                    .col(text(MeetingDrafts::Title))
                    .col(text(MeetingDrafts::Form))
                    .col(timestamp_with_time_zone(MeetingDrafts::CreatedAt))
                    .col(timestamp_with_time_zone(MeetingDrafts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingDrafts::Table, MeetingDrafts::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_meeting_drafts_user")
                    .table(MeetingDrafts::Table)
                    .col(MeetingDrafts::UserId)
                    .col(MeetingDrafts::UpdatedAt)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KeptForms::Table)
                    .col(pk_uuid(KeptForms::Id))
                    .col(text_uniq(KeptForms::SecretHash))
                    .col(text(KeptForms::Path))
                    .col(text(KeptForms::Form))
                    .col(timestamp_with_time_zone(KeptForms::KeptAt))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_kept_forms_kept_at")
                    .table(KeptForms::Table)
                    .col(KeptForms::KeptAt)
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [KeptForms::Table.into_iden(), MeetingDrafts::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
