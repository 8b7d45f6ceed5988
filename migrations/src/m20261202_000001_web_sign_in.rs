//! Signing in to the web interface: a user's language, their password hash,
//! browser sessions, and failed sign-ins (for the throttle).
//!
//! The password hash has a table of its own, not a column on `users`: the
//! users row is copied whole into audit snapshots, and the hash must never
//! reach the audit trail. Sessions are stored by the SHA-256 of their secret
//! (`secret_hash`, unique), like API tokens. Failed sign-ins are rows rather
//! than counters so that every server sharing the database sees the same
//! count, by e-mail and by client address within a window.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Language,
}

#[derive(DeriveIden)]
enum UserPasswords {
    Table,
    UserId,
    Hash,
    ChangedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    SecretHash,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    ClientAddress,
    UserAgent,
}

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    EmailFolded,
    ClientAddress,
    FailedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(text(Users::Language).default("sv"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserPasswords::Table)
                    .col(uuid(UserPasswords::UserId).primary_key())
                    .col(text(UserPasswords::Hash))
                    .col(timestamp_with_time_zone(UserPasswords::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserPasswords::Table, UserPasswords::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(pk_uuid(Sessions::Id))
                    .col(uuid(Sessions::UserId))
                    .col(string_uniq(Sessions::SecretHash))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(text_null(Sessions::ClientAddress))
                    .col(text_null(Sessions::UserAgent))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        // A user's sessions end together (disabled, new password); expired
        // ones are swept by time.
        for (name, column) in [
            ("ix_sessions_user", Sessions::UserId),
            ("ix_sessions_expires", Sessions::ExpiresAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Sessions::Table)
                        .col(column)
                        .take(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SignInFailures::Table)
                    .col(pk_uuid(SignInFailures::Id))
                    .col(text(SignInFailures::EmailFolded))
                    .col(text_null(SignInFailures::ClientAddress))
                    .col(timestamp_with_time_zone(SignInFailures::FailedAt))
                    .take(),
            )
            .await?;
        // The throttle counts each within a window of time.
        for (name, column) in [
            ("ix_sign_in_failures_email", SignInFailures::EmailFolded),
            ("ix_sign_in_failures_address", SignInFailures::ClientAddress),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(SignInFailures::Table)
                        .col(column)
                        .col(SignInFailures::FailedAt)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SignInFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            UserPasswords::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Language)
                    .take(),
            )
            .await?;
        Ok(())
    }
}
