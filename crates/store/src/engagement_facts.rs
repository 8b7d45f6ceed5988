//! The engagement read model (`engagement_meetings`, `engagement_people`;
//! what each row means is in the migration that made them,
//! `m20261130_000011_engagement_read_model`).
//!
//! One way in: [`refresh`], which every write of a meeting or of its parts
//! calls inside its transaction, after the write. It deletes the meeting's
//! rows and derives them again from the base tables, so whatever changed
//! (start, kind, status, host, archive, an attendee, a presenter) the rows
//! follow, and a rolled-back write leaves the old rows. Deriving them again
//! costs two small statements per table: a meeting has tens of rows.

use sea_orm::sea_query::{Expr, ExprTrait, Func, JoinType, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use samverkan_domain::{AttendanceStatus, MeetingId, MeetingKind, MeetingStatus};

use crate::engagement::{alias, of};
use crate::entity::{
    agenda_item_presenters, agenda_items, attendances, engagement_meetings, engagement_people, meetings,
};
use crate::error::{StoreError, StoreResult};
use crate::support::Db;

/// Rewrites the read model's rows of `meeting`.
pub(crate) async fn refresh(db: &impl Db, meeting: MeetingId) -> StoreResult<()> {
    let id = meeting.as_uuid();
    engagement_meetings::Entity::delete_many()
        .filter(engagement_meetings::Column::MeetingId.eq(id))
        .exec(db)
        .await?;
    engagement_people::Entity::delete_many()
        .filter(engagement_people::Column::MeetingId.eq(id))
        .exec(db)
        .await?;

    let insert_meetings = Query::insert()
        .into_table(engagement_meetings::Entity)
        .columns([
            engagement_meetings::Column::MeetingId,
            engagement_meetings::Column::OrganisationId,
            engagement_meetings::Column::StartsAt,
            engagement_meetings::Column::PartnerDay,
            engagement_meetings::Column::Hosted,
            engagement_meetings::Column::Attended,
            engagement_meetings::Column::Presentations,
        ])
        .select_from(organisations_of(id))
        .map_err(columns_mismatch)?
        .to_owned();
    db.execute(&insert_meetings).await?;

    let insert_people = Query::insert()
        .into_table(engagement_people::Entity)
        .columns([
            engagement_people::Column::MeetingId,
            engagement_people::Column::RepresentativeId,
            engagement_people::Column::OrganisationId,
            engagement_people::Column::StartsAt,
        ])
        .select_from(people_of(id))
        .map_err(columns_mismatch)?
        .to_owned();
    db.execute(&insert_people).await?;
    Ok(())
}

/// An `INSERT … SELECT` whose select does not fit the columns: a bug here.
fn columns_mismatch(error: sea_orm::sea_query::error::Error) -> StoreError {
    StoreError::Internal(format!("engagement read model: {error}"))
}

fn meeting(column: meetings::Column) -> Expr {
    Expr::col((meetings::Entity, column))
}

fn attendance(column: attendances::Column) -> Expr {
    Expr::col((attendances::Entity, column))
}

/// The meeting `id` if it counts: live and not cancelled.
fn counted(id: Uuid) -> SelectStatement {
    Query::select()
        .from(meetings::Entity)
        .and_where(meeting(meetings::Column::Id).eq(id))
        .and_where(meeting(meetings::Column::ArchivedAt).is_null())
        .and_where(meeting(meetings::Column::Status).ne(MeetingStatus::Cancelled.as_str()))
        .take()
}

/// One row per organisation that hosted or attended meeting `id`, in the
/// columns of `engagement_meetings`.
fn organisations_of(id: Uuid) -> SelectStatement {
    // What each organisation did: hosted (1, 0, 0), attended (0, 1, 0),
    // presented n items (0, 0, n); summed up per organisation below.
    let mut did = Query::select()
        .expr_as(meeting(meetings::Column::Id), alias("meeting_id"))
        .expr_as(
            meeting(meetings::Column::HostOrganisationId),
            alias("organisation_id"),
        )
        .expr_as(Expr::val(1), alias("hosted"))
        .expr_as(Expr::val(0), alias("attended"))
        .expr_as(Expr::val(0), alias("presentations"))
        .from(meetings::Entity)
        .and_where(meeting(meetings::Column::Id).eq(id))
        .and_where(meeting(meetings::Column::HostOrganisationId).is_not_null())
        .take();
    let attended = Query::select()
        .expr(attendance(attendances::Column::MeetingId))
        .expr(attendance(attendances::Column::OrganisationId))
        .expr(Expr::val(0))
        .expr(Expr::val(1))
        .expr(Expr::val(0))
        .from(attendances::Entity)
        .and_where(attendance(attendances::Column::MeetingId).eq(id))
        .and_where(attendance(attendances::Column::Status).eq(AttendanceStatus::Attended.as_str()))
        .take();
    let item = |column| Expr::col((agenda_items::Entity, column));
    let presenter = |column| Expr::col((agenda_item_presenters::Entity, column));
    // Agenda items presented by someone attending for the organisation.
    let presented = Query::select()
        .expr(item(agenda_items::Column::MeetingId))
        .expr(attendance(attendances::Column::OrganisationId))
        .expr(Expr::val(0))
        .expr(Expr::val(0))
        .expr(Func::count_distinct(item(agenda_items::Column::Id)))
        .from(agenda_items::Entity)
        .inner_join(
            agenda_item_presenters::Entity,
            presenter(agenda_item_presenters::Column::AgendaItemId)
                .equals((agenda_items::Entity, agenda_items::Column::Id)),
        )
        .inner_join(
            attendances::Entity,
            attendance(attendances::Column::MeetingId)
                .equals((agenda_items::Entity, agenda_items::Column::MeetingId))
                .and(attendance(attendances::Column::RepresentativeId).equals((
                    agenda_item_presenters::Entity,
                    agenda_item_presenters::Column::RepresentativeId,
                ))),
        )
        .and_where(item(agenda_items::Column::MeetingId).eq(id))
        .and_where(attendance(attendances::Column::Status).eq(AttendanceStatus::Attended.as_str()))
        .group_by_col((agenda_items::Entity, agenda_items::Column::MeetingId))
        .group_by_col((attendances::Entity, attendances::Column::OrganisationId))
        .take();
    did.union(UnionType::All, attended)
        .union(UnionType::All, presented);

    let mut query = counted(id);
    query
        .expr(meeting(meetings::Column::Id))
        .expr(of("did", "organisation_id"))
        .expr(meeting(meetings::Column::StartsAt))
        .expr(
            Expr::case(
                meeting(meetings::Column::Kind).eq(MeetingKind::PartnerDay.as_str()),
                1,
            )
            .finally(0),
        )
        .expr(Func::max(of("did", "hosted")))
        .expr(Func::max(of("did", "attended")))
        .expr(Func::sum(of("did", "presentations")))
        .join_subquery(
            JoinType::InnerJoin,
            did,
            alias("did"),
            of("did", "meeting_id").equals((meetings::Entity, meetings::Column::Id)),
        )
        .add_group_by([
            meeting(meetings::Column::Id),
            of("did", "organisation_id"),
            meeting(meetings::Column::StartsAt),
            meeting(meetings::Column::Kind),
        ]);
    query
}

/// One row per person who attended meeting `id`, in the columns of
/// `engagement_people`.
fn people_of(id: Uuid) -> SelectStatement {
    let mut query = counted(id);
    query
        .expr(meeting(meetings::Column::Id))
        .expr(attendance(attendances::Column::RepresentativeId))
        .expr(attendance(attendances::Column::OrganisationId))
        .expr(meeting(meetings::Column::StartsAt))
        .inner_join(
            attendances::Entity,
            attendance(attendances::Column::MeetingId).equals((meetings::Entity, meetings::Column::Id)),
        )
        .and_where(attendance(attendances::Column::Status).eq(AttendanceStatus::Attended.as_str()))
        .and_where(attendance(attendances::Column::RepresentativeId).is_not_null());
    query
}
