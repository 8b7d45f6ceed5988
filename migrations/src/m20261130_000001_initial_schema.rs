//! The first schema: organisations, representatives and their affiliations,
//! partnerships, meetings with attendances, agenda, outcomes, and follow-ups.
//!
//! Conventions: ids are UUIDs (v7, made by the domain); instants are
//! `timestamp with time zone` in UTC; every mutable record has `version`,
//! `created_at`, `updated_at` and, where it has history, `archived_at`.
//! Columns ending in `_folded`, `_sort` and `search_text` are derived by the
//! domain's `text` module (Unicode case folding and Swedish ordering, which
//! neither SQLite's `lower()` nor PostgreSQL's collation can be relied on for).

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    NameFolded,
    NameSort,
    ShortName,
    Kind,
    OrganisationNumber,
    Website,
    City,
    Description,
    SearchText,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum OrganisationTags {
    Table,
    OrganisationId,
    Tag,
}

#[derive(DeriveIden)]
enum Representatives {
    Table,
    Id,
    FullName,
    FullNameSort,
    Email,
    Phone,
    Notes,
    IsMinor,
    SearchText,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Affiliations {
    Table,
    Id,
    RepresentativeId,
    OrganisationId,
    Title,
    StartedOn,
    EndedOn,
}

#[derive(DeriveIden)]
enum Partnerships {
    Table,
    Id,
    OrganisationAId,
    OrganisationBId,
    Kind,
    Status,
    StartedOn,
    EndedOn,
    ResponsibleRepresentativeId,
    Goals,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    Title,
    Kind,
    StartsAt,
    EndsAt,
    AllDay,
    Location,
    HostOrganisationId,
    Summary,
    Status,
    SearchText,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum MeetingPartnerships {
    Table,
    MeetingId,
    PartnershipId,
}

#[derive(DeriveIden)]
enum MeetingTags {
    Table,
    MeetingId,
    Tag,
}

#[derive(DeriveIden)]
enum Attendances {
    Table,
    Id,
    MeetingId,
    RepresentativeId,
    OrganisationId,
    Role,
    Status,
}

#[derive(DeriveIden)]
enum AgendaItems {
    Table,
    Id,
    MeetingId,
    Position,
    Title,
    Description,
    DurationMinutes,
    SearchText,
}

#[derive(DeriveIden)]
enum AgendaItemPresenters {
    Table,
    AgendaItemId,
    RepresentativeId,
    Position,
}

#[derive(DeriveIden)]
enum AgendaItemTags {
    Table,
    AgendaItemId,
    Tag,
}

#[derive(DeriveIden)]
enum Outcomes {
    Table,
    Id,
    MeetingId,
    Position,
    Kind,
    Text,
    AgendaItemId,
    SearchText,
}

#[derive(DeriveIden)]
enum FollowUps {
    Table,
    Id,
    MeetingId,
    OutcomeId,
    Title,
    Details,
    OwnerId,
    OrganisationId,
    DueOn,
    Status,
    CompletedAt,
    SearchText,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

/// A foreign key that refuses to delete a referenced row: records with
/// history are archived, not deleted.
pub(crate) fn restrict(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .take()
}

/// A foreign key from a part to its whole: the part goes with it.
pub(crate) fn cascade(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::Restrict)
        .take()
}

pub(crate) fn index(name: &str, table: impl IntoIden, columns: &[&'static str]) -> IndexCreateStatement {
    let mut statement = Index::create().name(name).table(table).take();
    for column in columns {
        statement.col(Alias::new(*column));
    }
    statement
}

/// A table of links keyed by both its columns (a meeting's tags, an agenda
/// item's presenters ...). On SQLite it is stored `WITHOUT ROWID`, so the
/// primary key is the table itself: one B-tree rather than a rowid table plus
/// an index on the key, so each link written touches one B-tree fewer and a
/// look-up by the key's first column reads the key alone. (PostgreSQL keeps
/// no rowids; there the statement is unchanged.)
fn link_table(manager: &SchemaManager, mut table: TableCreateStatement) -> TableCreateStatement {
    if manager.get_database_backend() == DbBackend::Sqlite {
        table.extra("WITHOUT ROWID");
    }
    table
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(pk_uuid(Organisations::Id))
                    .col(string(Organisations::Name))
                    .col(string(Organisations::NameFolded))
                    .col(string(Organisations::NameSort))
                    .col(string_null(Organisations::ShortName))
                    .col(string(Organisations::Kind))
                    .col(string_null(Organisations::OrganisationNumber))
                    .col(string_null(Organisations::Website))
                    .col(string_null(Organisations::City))
                    .col(text_null(Organisations::Description))
                    .col(text(Organisations::SearchText))
                    .col(integer(Organisations::Version))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .col(timestamp_with_time_zone(Organisations::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Organisations::ArchivedAt))
                    .take(),
            )
            .await?;
        // Names are unique among live organisations, compared folded; an
        // archived organisation frees its name.
        manager
            .create_index(
                index(
                    "ux_organisations_live_name",
                    Organisations::Table,
                    &["name_folded"],
                )
                .unique()
                .and_where(Expr::col(Organisations::ArchivedAt).is_null())
                .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_organisations_name_sort",
                Organisations::Table,
                &["name_sort", "id"],
            ))
            .await?;

        manager
            .create_table(link_table(
                manager,
                Table::create()
                    .table(OrganisationTags::Table)
                    .col(uuid(OrganisationTags::OrganisationId))
                    .col(string(OrganisationTags::Tag))
                    .primary_key(
                        Index::create()
                            .col(OrganisationTags::OrganisationId)
                            .col(OrganisationTags::Tag),
                    )
                    .foreign_key(&mut cascade(
                        (OrganisationTags::Table, OrganisationTags::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .take(),
            ))
            .await?;
        manager
            .create_index(index(
                "ix_organisation_tags_tag",
                OrganisationTags::Table,
                &["tag"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Representatives::Table)
                    .col(pk_uuid(Representatives::Id))
                    .col(string(Representatives::FullName))
                    .col(string(Representatives::FullNameSort))
                    .col(string_null(Representatives::Email))
                    .col(string_null(Representatives::Phone))
                    .col(text_null(Representatives::Notes))
                    .col(boolean(Representatives::IsMinor))
                    .col(text(Representatives::SearchText))
                    .col(integer(Representatives::Version))
                    .col(timestamp_with_time_zone(Representatives::CreatedAt))
                    .col(timestamp_with_time_zone(Representatives::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Representatives::ArchivedAt))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_representatives_name_sort",
                Representatives::Table,
                &["full_name_sort", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Affiliations::Table)
                    .col(pk_uuid(Affiliations::Id))
                    .col(uuid(Affiliations::RepresentativeId))
                    .col(uuid(Affiliations::OrganisationId))
                    .col(string_null(Affiliations::Title))
                    .col(date_null(Affiliations::StartedOn))
                    .col(date_null(Affiliations::EndedOn))
                    .foreign_key(&mut cascade(
                        (Affiliations::Table, Affiliations::RepresentativeId),
                        (Representatives::Table, Representatives::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (Affiliations::Table, Affiliations::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_affiliations_representative",
                Affiliations::Table,
                &["representative_id", "ended_on"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_affiliations_organisation",
                Affiliations::Table,
                &["organisation_id"],
            ))
            .await?;
        // One current affiliation per person.
        manager
            .create_index(
                index(
                    "ux_affiliations_current",
                    Affiliations::Table,
                    &["representative_id"],
                )
                .unique()
                .and_where(Expr::col(Affiliations::EndedOn).is_null())
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Partnerships::Table)
                    .col(pk_uuid(Partnerships::Id))
                    .col(uuid(Partnerships::OrganisationAId))
                    .col(uuid(Partnerships::OrganisationBId))
                    .col(string(Partnerships::Kind))
                    .col(string(Partnerships::Status))
                    .col(date_null(Partnerships::StartedOn))
                    .col(date_null(Partnerships::EndedOn))
                    .col(uuid_null(Partnerships::ResponsibleRepresentativeId))
                    .col(text_null(Partnerships::Goals))
                    .col(integer(Partnerships::Version))
                    .col(timestamp_with_time_zone(Partnerships::CreatedAt))
                    .col(timestamp_with_time_zone(Partnerships::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Partnerships::ArchivedAt))
                    .foreign_key(&mut restrict(
                        (Partnerships::Table, Partnerships::OrganisationAId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (Partnerships::Table, Partnerships::OrganisationBId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (Partnerships::Table, Partnerships::ResponsibleRepresentativeId),
                        (Representatives::Table, Representatives::Id),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_partnerships_organisation_a",
                Partnerships::Table,
                &["organisation_a_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_partnerships_organisation_b",
                Partnerships::Table,
                &["organisation_b_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(pk_uuid(Meetings::Id))
                    .col(string(Meetings::Title))
                    .col(string(Meetings::Kind))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(timestamp_with_time_zone_null(Meetings::EndsAt))
                    .col(boolean(Meetings::AllDay))
                    .col(string_null(Meetings::Location))
                    .col(uuid_null(Meetings::HostOrganisationId))
                    .col(text_null(Meetings::Summary))
                    .col(string(Meetings::Status))
                    .col(text(Meetings::SearchText))
                    .col(integer(Meetings::Version))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Meetings::ArchivedAt))
                    .foreign_key(&mut restrict(
                        (Meetings::Table, Meetings::HostOrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_meetings_starts_at",
                Meetings::Table,
                &["starts_at", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_meetings_host",
                Meetings::Table,
                &["host_organisation_id", "starts_at"],
            ))
            .await?;

        manager
            .create_table(link_table(
                manager,
                Table::create()
                    .table(MeetingPartnerships::Table)
                    .col(uuid(MeetingPartnerships::MeetingId))
                    .col(uuid(MeetingPartnerships::PartnershipId))
                    .primary_key(
                        Index::create()
                            .col(MeetingPartnerships::MeetingId)
                            .col(MeetingPartnerships::PartnershipId),
                    )
                    .foreign_key(&mut cascade(
                        (MeetingPartnerships::Table, MeetingPartnerships::MeetingId),
                        (Meetings::Table, Meetings::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (MeetingPartnerships::Table, MeetingPartnerships::PartnershipId),
                        (Partnerships::Table, Partnerships::Id),
                    ))
                    .take(),
            ))
            .await?;
        manager
            .create_index(index(
                "ix_meeting_partnerships_partnership",
                MeetingPartnerships::Table,
                &["partnership_id"],
            ))
            .await?;

        manager
            .create_table(link_table(
                manager,
                Table::create()
                    .table(MeetingTags::Table)
                    .col(uuid(MeetingTags::MeetingId))
                    .col(string(MeetingTags::Tag))
                    .primary_key(Index::create().col(MeetingTags::MeetingId).col(MeetingTags::Tag))
                    .foreign_key(&mut cascade(
                        (MeetingTags::Table, MeetingTags::MeetingId),
                        (Meetings::Table, Meetings::Id),
                    ))
                    .take(),
            ))
            .await?;
        manager
            .create_index(index("ix_meeting_tags_tag", MeetingTags::Table, &["tag"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attendances::Table)
                    .col(pk_uuid(Attendances::Id))
                    .col(uuid(Attendances::MeetingId))
                    .col(uuid_null(Attendances::RepresentativeId))
                    .col(uuid(Attendances::OrganisationId))
                    .col(string(Attendances::Role))
                    .col(string(Attendances::Status))
                    .foreign_key(&mut cascade(
                        (Attendances::Table, Attendances::MeetingId),
                        (Meetings::Table, Meetings::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (Attendances::Table, Attendances::RepresentativeId),
                        (Representatives::Table, Representatives::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (Attendances::Table, Attendances::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .take(),
            )
            .await?;
        // A person attends a meeting once (NULLs, for organisation-only
        // attendances, are distinct in a unique index on both backends) ...
        manager
            .create_index(
                index(
                    "ux_attendances_representative",
                    Attendances::Table,
                    &["meeting_id", "representative_id"],
                )
                .unique()
                .take(),
            )
            .await?;
        // ... and so does an organisation whose people were not named.
        manager
            .create_index(
                index(
                    "ux_attendances_organisation_only",
                    Attendances::Table,
                    &["meeting_id", "organisation_id"],
                )
                .unique()
                .and_where(Expr::col(Attendances::RepresentativeId).is_null())
                .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_attendances_representative",
                Attendances::Table,
                &["representative_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_attendances_organisation",
                Attendances::Table,
                &["organisation_id", "meeting_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AgendaItems::Table)
                    .col(pk_uuid(AgendaItems::Id))
                    .col(uuid(AgendaItems::MeetingId))
                    .col(integer(AgendaItems::Position))
                    .col(string(AgendaItems::Title))
                    .col(text_null(AgendaItems::Description))
                    .col(integer_null(AgendaItems::DurationMinutes))
                    .col(text(AgendaItems::SearchText))
                    .foreign_key(&mut cascade(
                        (AgendaItems::Table, AgendaItems::MeetingId),
                        (Meetings::Table, Meetings::Id),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_agenda_items_meeting",
                AgendaItems::Table,
                &["meeting_id", "position"],
            ))
            .await?;

        manager
            .create_table(link_table(
                manager,
                Table::create()
                    .table(AgendaItemPresenters::Table)
                    .col(uuid(AgendaItemPresenters::AgendaItemId))
                    .col(uuid(AgendaItemPresenters::RepresentativeId))
                    .col(integer(AgendaItemPresenters::Position))
                    .primary_key(
                        Index::create()
                            .col(AgendaItemPresenters::AgendaItemId)
                            .col(AgendaItemPresenters::RepresentativeId),
                    )
                    .foreign_key(&mut cascade(
                        (AgendaItemPresenters::Table, AgendaItemPresenters::AgendaItemId),
                        (AgendaItems::Table, AgendaItems::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (
                            AgendaItemPresenters::Table,
                            AgendaItemPresenters::RepresentativeId,
                        ),
                        (Representatives::Table, Representatives::Id),
                    ))
                    .take(),
            ))
            .await?;
        manager
            .create_index(index(
                "ix_agenda_item_presenters_representative",
                AgendaItemPresenters::Table,
                &["representative_id"],
            ))
            .await?;

        manager
            .create_table(link_table(
                manager,
                Table::create()
                    .table(AgendaItemTags::Table)
                    .col(uuid(AgendaItemTags::AgendaItemId))
                    .col(string(AgendaItemTags::Tag))
                    .primary_key(
                        Index::create()
                            .col(AgendaItemTags::AgendaItemId)
                            .col(AgendaItemTags::Tag),
                    )
                    .foreign_key(&mut cascade(
                        (AgendaItemTags::Table, AgendaItemTags::AgendaItemId),
                        (AgendaItems::Table, AgendaItems::Id),
                    ))
                    .take(),
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outcomes::Table)
                    .col(pk_uuid(Outcomes::Id))
                    .col(uuid(Outcomes::MeetingId))
                    .col(integer(Outcomes::Position))
                    .col(string(Outcomes::Kind))
                    .col(text(Outcomes::Text))
                    .col(uuid_null(Outcomes::AgendaItemId))
                    .col(text(Outcomes::SearchText))
                    .foreign_key(&mut cascade(
                        (Outcomes::Table, Outcomes::MeetingId),
                        (Meetings::Table, Meetings::Id),
                    ))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from(Outcomes::Table, Outcomes::AgendaItemId)
                            .to(AgendaItems::Table, AgendaItems::Id)
                            .on_delete(ForeignKeyAction::SetNull)
                            .take(),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_outcomes_meeting",
                Outcomes::Table,
                &["meeting_id", "position"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FollowUps::Table)
                    .col(pk_uuid(FollowUps::Id))
                    .col(uuid(FollowUps::MeetingId))
                    .col(uuid_null(FollowUps::OutcomeId))
                    .col(string(FollowUps::Title))
                    .col(text_null(FollowUps::Details))
                    .col(uuid_null(FollowUps::OwnerId))
                    .col(uuid_null(FollowUps::OrganisationId))
                    .col(date_null(FollowUps::DueOn))
                    .col(string(FollowUps::Status))
                    .col(timestamp_with_time_zone_null(FollowUps::CompletedAt))
                    .col(text(FollowUps::SearchText))
                    .col(integer(FollowUps::Version))
                    .col(timestamp_with_time_zone(FollowUps::CreatedAt))
                    .col(timestamp_with_time_zone(FollowUps::UpdatedAt))
                    .col(timestamp_with_time_zone_null(FollowUps::ArchivedAt))
                    .foreign_key(&mut restrict(
                        (FollowUps::Table, FollowUps::MeetingId),
                        (Meetings::Table, Meetings::Id),
                    ))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from(FollowUps::Table, FollowUps::OutcomeId)
                            .to(Outcomes::Table, Outcomes::Id)
                            .on_delete(ForeignKeyAction::SetNull)
                            .take(),
                    )
                    .foreign_key(&mut restrict(
                        (FollowUps::Table, FollowUps::OwnerId),
                        (Representatives::Table, Representatives::Id),
                    ))
                    .foreign_key(&mut restrict(
                        (FollowUps::Table, FollowUps::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_follow_ups_status_due",
                FollowUps::Table,
                &["status", "due_on"],
            ))
            .await?;
        manager
            .create_index(index("ix_follow_ups_due", FollowUps::Table, &["due_on", "id"]))
            .await?;
        manager
            .create_index(index(
                "ix_follow_ups_owner",
                FollowUps::Table,
                &["owner_id", "status"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_follow_ups_organisation",
                FollowUps::Table,
                &["organisation_id", "status"],
            ))
            .await?;
        manager
            .create_index(index("ix_follow_ups_meeting", FollowUps::Table, &["meeting_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents, so that foreign keys never dangle.
        let tables: [DynIden; 13] = [
            FollowUps::Table.into_iden(),
            Outcomes::Table.into_iden(),
            AgendaItemTags::Table.into_iden(),
            AgendaItemPresenters::Table.into_iden(),
            AgendaItems::Table.into_iden(),
            Attendances::Table.into_iden(),
            MeetingTags::Table.into_iden(),
            MeetingPartnerships::Table.into_iden(),
            Meetings::Table.into_iden(),
            Partnerships::Table.into_iden(),
            Affiliations::Table.into_iden(),
            Representatives::Table.into_iden(),
            OrganisationTags::Table.into_iden(),
        ];
        for table in tables {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .drop_table(Table::drop().table(Organisations::Table).to_owned())
            .await
    }
}
