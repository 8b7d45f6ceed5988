//! Engagement figures, counted in the database: one aggregate query per
//! group of figures (meetings of the period, meetings ever, presentations,
//! follow-ups, the median), each grouped by organisation and left-joined to
//! the organisations, so the work grows with the rows of the period, never
//! with one query per organisation. What each figure counts is written down
//! in `docs/engagement.md`.
//!
//! Day boundaries are Stockholm days computed in Rust (`Period`) and passed
//! as instants; the only date arithmetic left to SQL is whole days between
//! two instants, written once per backend ([`days_to_complete`]).

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Asterisk, Condition, Expr, ExprTrait, Func, IntoTableRef, JoinType, Order, Query, SelectStatement,
    UnionType, WindowStatement,
};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult};
use uuid::Uuid;

use samverkan_domain::{
    EngagementChange, EngagementCounts, EngagementFigures, EngagementRow, EngagementSort, EngagementSummary,
    EngagementTotals, FollowUpStatus, Health, HealthThresholds, MeetingKind, MeetingStatus, MonthCount,
    OrganisationId, OrganisationKind, PartnershipId, Period, SortOrder, Tag, TagCount, time,
};

use crate::Store;
use crate::entity::{
    follow_ups, meeting_partnerships, meeting_tags, meetings, organisation_tags, organisations, partnerships,
};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::support::NullsLast;

/// How many tags the summary lists, and how many organisations at each end.
const SUMMARY_TAGS: u64 = 10;
const SUMMARY_ORGANISATIONS: usize = 5;

/// The scale of the completion rate's sort key: a rate in ten-thousandths,
/// an integer on both backends, so that a cursor can hold it exactly.
const RATE_KEY_SCALE: i64 = 10_000;

/// Which organisations an engagement list holds, which meetings count, and
/// the order.
#[derive(Debug, Clone)]
pub struct EngagementFilter {
    pub organisation_id: Option<OrganisationId>,
    /// Only the partnership's two organisations, counting only the meetings
    /// that served the partnership (and their follow-ups).
    pub partnership_id: Option<PartnershipId>,
    pub kind: Option<OrganisationKind>,
    /// Organisations carrying this tag.
    pub tag: Option<Tag>,
    /// Archived organisations are left out unless this is set.
    pub include_archived: bool,
    /// Only organisations whose health (on the as-of day) is one of these;
    /// empty: any.
    pub health: Vec<Health>,
    pub sort: EngagementSort,
    pub order: SortOrder,
}

impl Default for EngagementFilter {
    fn default() -> Self {
        Self {
            organisation_id: None,
            partnership_id: None,
            kind: None,
            tag: None,
            include_archived: false,
            health: Vec::new(),
            sort: EngagementSort::MeetingsEngaged,
            order: SortOrder::Desc,
        }
    }
}

/// A period's instants, and the day it is judged on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    as_of: NaiveDate,
    as_of_end: DateTime<Utc>,
}

impl Bounds {
    pub(crate) fn new(period: &Period, today: NaiveDate) -> Self {
        let as_of = period.as_of(today);
        Self {
            starts_at: period.starts_at(),
            ends_at: period.ends_at(),
            as_of,
            as_of_end: time::day_end(as_of),
        }
    }
}

/// The organisations a figure query is limited to, pushed into every
/// grouped subquery so that a few rows cost a few rows' work.
#[derive(Debug, Clone, Copy)]
enum Only<'a> {
    All,
    These(&'a [Uuid]),
}

impl Only<'_> {
    fn condition(self, organisation: Expr) -> Condition {
        match self {
            Self::All => Condition::all(),
            Self::These(ids) => Condition::all().add(organisation.is_in(ids.iter().copied())),
        }
    }
}

pub(crate) fn alias(name: &str) -> Alias {
    Alias::new(name)
}

/// A column of a derived table (or of the outer query).
pub(crate) fn of(table: &str, column: &str) -> Expr {
    Expr::col((alias(table), alias(column)))
}

pub(crate) fn col(column: &str) -> Expr {
    Expr::col(alias(column))
}

pub(crate) fn meeting(column: meetings::Column) -> Expr {
    Expr::col((meetings::Entity, column))
}

pub(crate) fn follow_up(column: follow_ups::Column) -> Expr {
    Expr::col((follow_ups::Entity, column))
}

/// 1 where `condition` holds, else 0: summed, it counts.
pub(crate) fn one_if(condition: impl Into<Condition>) -> Expr {
    Expr::case(condition, 1).finally(0).into()
}

pub(crate) fn sum(expr: Expr) -> Expr {
    Func::coalesce([Func::sum(expr).into(), Expr::val(0)]).into()
}

fn zero_if_null(expr: Expr) -> Expr {
    Func::coalesce([expr, Expr::val(0)]).into()
}

fn bigint(expr: Expr) -> Expr {
    Func::cast_as(expr, alias("BIGINT")).into()
}

/// `EXISTS (SELECT 1 FROM table WHERE joined AND matching)`.
fn exists_in(table: impl IntoTableRef, joined: Expr, matching: impl Into<Condition>) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(table)
            .and_where(joined)
            .cond_where(matching)
            .take(),
    )
}

/// Meetings that count: live, not cancelled, and (for a partnership's
/// figures) serving that partnership.
fn counted_meetings(partnership: Option<PartnershipId>) -> Condition {
    let mut condition = Condition::all()
        .add(meeting(meetings::Column::ArchivedAt).is_null())
        .add(meeting(meetings::Column::Status).ne(MeetingStatus::Cancelled.as_str()));
    if let Some(partnership) = partnership {
        let link = |column| Expr::col((meeting_partnerships::Entity, column));
        condition = condition.add(exists_in(
            meeting_partnerships::Entity,
            link(meeting_partnerships::Column::MeetingId).equals((meetings::Entity, meetings::Column::Id)),
            link(meeting_partnerships::Column::PartnershipId).eq(partnership.as_uuid()),
        ));
    }
    condition
}

fn in_period(bounds: &Bounds) -> Condition {
    Condition::all()
        .add(meeting(meetings::Column::StartsAt).gte(bounds.starts_at))
        .add(meeting(meetings::Column::StartsAt).lt(bounds.ends_at))
}

/// `EXISTS` a link from the read model's meeting to `partnership`, when
/// figures are a partnership's.
fn serving(table: &str, partnership: Option<PartnershipId>) -> Condition {
    let mut condition = Condition::all();
    if let Some(partnership) = partnership {
        let link = |column| Expr::col((meeting_partnerships::Entity, column));
        condition = condition.add(exists_in(
            meeting_partnerships::Entity,
            link(meeting_partnerships::Column::MeetingId).equals((alias(table), alias("meeting_id"))),
            link(meeting_partnerships::Column::PartnershipId).eq(partnership.as_uuid()),
        ));
    }
    condition
}

/// Rows of a read-model table (`engagement_meetings` or
/// `engagement_people`, which hold counted meetings only) starting in
/// `from..until`, grouped by organisation.
fn read_model(
    table: &'static str,
    from: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    partnership: Option<PartnershipId>,
    only: Only<'_>,
) -> SelectStatement {
    let starts_at = || of(table, "starts_at");
    let mut query = Query::select();
    query
        .expr_as(of(table, "organisation_id"), alias("organisation_id"))
        .from(alias(table))
        .and_where(starts_at().lt(until))
        .cond_where(serving(table, partnership))
        .cond_where(only.condition(of(table, "organisation_id")))
        .group_by_col((alias(table), alias("organisation_id")));
    if let Some(from) = from {
        query.and_where(starts_at().gte(from));
    }
    query
}

/// Meetings of the period: hosted, attended, either, partner days, and the
/// agenda items presented.
fn meeting_figures(bounds: &Bounds, partnership: Option<PartnershipId>, only: Only<'_>) -> SelectStatement {
    let table = "engagement_meetings";
    let mut query = read_model(table, Some(bounds.starts_at), bounds.ends_at, partnership, only);
    query
        .expr_as(sum(of(table, "hosted")), alias("meetings_hosted"))
        .expr_as(sum(of(table, "attended")), alias("meetings_attended"))
        .expr_as(Expr::val(1).count(), alias("meetings_engaged"))
        .expr_as(sum(of(table, "partner_day")), alias("partner_days"))
        .expr_as(sum(of(table, "presentations")), alias("presentations"));
    query
}

/// The people who attended a meeting of the period for the organisation.
fn people_figures(bounds: &Bounds, partnership: Option<PartnershipId>, only: Only<'_>) -> SelectStatement {
    let table = "engagement_people";
    let mut query = read_model(table, Some(bounds.starts_at), bounds.ends_at, partnership, only);
    query.expr_as(
        Func::count_distinct(of(table, "representative_id")),
        alias("representatives_engaged"),
    );
    query
}

/// The first and last meeting ever hosted or attended, up to the as-of day.
fn history(bounds: &Bounds, partnership: Option<PartnershipId>, only: Only<'_>) -> SelectStatement {
    let table = "engagement_meetings";
    let mut query = read_model(table, None, bounds.as_of_end, partnership, only);
    query
        .expr_as(Func::min(of(table, "starts_at")), alias("first_meeting_at"))
        .expr_as(Func::max(of(table, "starts_at")), alias("last_meeting_at"));
    query
}

/// Done by the end of the as-of day.
fn done_by(bounds: &Bounds) -> Condition {
    Condition::all()
        .add(follow_up(follow_ups::Column::Status).eq(FollowUpStatus::Done.as_str()))
        .add(follow_up(follow_ups::Column::CompletedAt).lt(bounds.as_of_end))
}

/// Still to do at the end of the as-of day: open or in progress, or done
/// only later.
pub(crate) fn open_at(as_of_end: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            follow_up(follow_ups::Column::Status)
                .is_in([FollowUpStatus::Open.as_str(), FollowUpStatus::InProgress.as_str()]),
        )
        .add(
            Condition::all()
                .add(follow_up(follow_ups::Column::Status).eq(FollowUpStatus::Done.as_str()))
                .add(follow_up(follow_ups::Column::CompletedAt).gte(as_of_end)),
        )
}

/// Live follow-ups joined to their meetings.
pub(crate) fn live_follow_ups() -> SelectStatement {
    Query::select()
        .from(follow_ups::Entity)
        .inner_join(
            meetings::Entity,
            meeting(meetings::Column::Id).equals((follow_ups::Entity, follow_ups::Column::MeetingId)),
        )
        .and_where(follow_up(follow_ups::Column::ArchivedAt).is_null())
        .take()
}

/// Follow-ups from the counted meetings of the period, live ones.
fn period_follow_ups(bounds: &Bounds, partnership: Option<PartnershipId>) -> SelectStatement {
    live_follow_ups()
        .cond_where(counted_meetings(partnership).add(in_period(bounds)))
        .take()
}

/// The follow-up counts, as `opened`, `cancelled`, `done`, `open`,
/// `overdue` columns of `query`.
fn add_follow_up_counts(query: &mut SelectStatement, bounds: &Bounds) {
    let status = || follow_up(follow_ups::Column::Status);
    query
        .expr_as(Expr::val(1).count(), alias("opened"))
        .expr_as(
            sum(one_if(status().eq(FollowUpStatus::Cancelled.as_str()))),
            alias("cancelled"),
        )
        .expr_as(sum(one_if(done_by(bounds))), alias("done"))
        .expr_as(sum(one_if(open_at(bounds.as_of_end))), alias("open"))
        .expr_as(
            sum(one_if(
                Condition::all()
                    .add(open_at(bounds.as_of_end))
                    .add(follow_up(follow_ups::Column::DueOn).lt(bounds.as_of)),
            )),
            alias("overdue"),
        );
}

fn follow_up_figures(bounds: &Bounds, partnership: Option<PartnershipId>, only: Only<'_>) -> SelectStatement {
    let mut query = period_follow_ups(bounds, partnership);
    query.expr_as(
        follow_up(follow_ups::Column::OrganisationId),
        alias("organisation_id"),
    );
    add_follow_up_counts(&mut query, bounds);
    query
        .and_where(follow_up(follow_ups::Column::OrganisationId).is_not_null())
        .cond_where(only.condition(follow_up(follow_ups::Column::OrganisationId)))
        .group_by_col((follow_ups::Entity, follow_ups::Column::OrganisationId))
        .take()
}

/// Whole days (24 hours) from the meeting's start to completion, never
/// negative: the one piece of date arithmetic each backend spells its own way.
fn days_to_complete(backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::cust(
            r#"GREATEST(0, CAST(FLOOR(EXTRACT(EPOCH FROM ("follow_ups"."completed_at" - "meetings"."starts_at")) / 86400) AS BIGINT))"#,
        ),
        _ => Expr::cust(
            r#"MAX(0, (CAST(strftime('%s', "follow_ups"."completed_at") AS INTEGER) - CAST(strftime('%s', "meetings"."starts_at") AS INTEGER)) / 86400)"#,
        ),
    }
}

/// Twice the median of days to complete (`median_x2`) of the follow-ups
/// done by the as-of day, per organisation answering for them (or over all
/// when `per_organisation` is `None`): the middle one or two rows by
/// `ROW_NUMBER`, summed, times 2 when there is one.
fn median_x2(
    backend: DbBackend,
    bounds: &Bounds,
    partnership: Option<PartnershipId>,
    per_organisation: Option<Only<'_>>,
) -> SelectStatement {
    let organisation = (follow_ups::Entity, follow_ups::Column::OrganisationId);
    let window = || match per_organisation {
        Some(_) => WindowStatement::partition_by(organisation),
        None => WindowStatement::new(),
    };
    let days = days_to_complete(backend);
    let mut done = period_follow_ups(bounds, partnership);
    done.expr_as(days.clone(), alias("days"))
        .expr_window_as(
            Func::cust(alias("ROW_NUMBER")),
            window().order_by_expr(days, Order::Asc).take(),
            alias("position"),
        )
        .expr_window_as(Expr::val(1).count(), window(), alias("total"))
        .cond_where(done_by(bounds));
    if let Some(only) = per_organisation {
        done.expr_as(Expr::col(organisation), alias("organisation_id"))
            .and_where(Expr::col(organisation).is_not_null())
            .cond_where(only.condition(Expr::col(organisation)));
    }
    let middle = Condition::any()
        .add(col("position").eq(col("total").add(1).div(2)))
        .add(col("position").eq(col("total").add(2).div(2)));
    let mut query = Query::select();
    query
        .expr_as(
            bigint(Func::sum(col("days")).mul(Expr::val(3).sub(Expr::val(1).count()))),
            alias("median_x2"),
        )
        .from_subquery(done, alias("done"))
        .cond_where(middle);
    if per_organisation.is_some() {
        query
            .expr_as(col("organisation_id"), alias("organisation_id"))
            .group_by_col(alias("organisation_id"));
    }
    query
}

/// How a sort key is stored, so that a cursor can carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyType {
    Integer,
    Instant,
    Text,
}

/// The column a sort uses, its type, and whether its direction is reversed
/// (days since the last meeting grow as the last meeting gets older).
fn sort_column(sort: EngagementSort) -> (&'static str, KeyType, bool) {
    use EngagementSort as S;
    match sort {
        S::Name => ("name_sort", KeyType::Text, false),
        S::MeetingsHosted => ("meetings_hosted", KeyType::Integer, false),
        S::MeetingsAttended => ("meetings_attended", KeyType::Integer, false),
        S::MeetingsEngaged => ("meetings_engaged", KeyType::Integer, false),
        S::PartnerDays => ("partner_days", KeyType::Integer, false),
        S::LastMeetingOn => ("last_meeting_at", KeyType::Instant, false),
        S::DaysSinceLastMeeting => ("last_meeting_at", KeyType::Instant, true),
        S::RepresentativesEngaged => ("representatives_engaged", KeyType::Integer, false),
        S::Presentations => ("presentations", KeyType::Integer, false),
        S::FollowUpsOpened => ("follow_ups_opened", KeyType::Integer, false),
        S::FollowUpsDone => ("follow_ups_done", KeyType::Integer, false),
        S::FollowUpsOpen => ("follow_ups_open", KeyType::Integer, false),
        S::FollowUpsOverdue => ("follow_ups_overdue", KeyType::Integer, false),
        S::CompletionRate => ("completion_key", KeyType::Integer, false),
        S::MedianDaysToComplete => ("median_x2", KeyType::Integer, false),
    }
}

/// The groups of figures, each one grouped subquery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Meetings,
    People,
    History,
    FollowUps,
    Median,
}

const ALL_GROUPS: [Group; 5] = [
    Group::Meetings,
    Group::People,
    Group::History,
    Group::FollowUps,
    Group::Median,
];

/// The group a sort figure comes from (`None`: the name).
fn group_of(sort: EngagementSort) -> Option<Group> {
    use EngagementSort as S;
    match sort {
        S::Name => None,
        S::MeetingsHosted | S::MeetingsAttended | S::MeetingsEngaged | S::PartnerDays | S::Presentations => {
            Some(Group::Meetings)
        }
        S::RepresentativesEngaged => Some(Group::People),
        S::LastMeetingOn | S::DaysSinceLastMeeting => Some(Group::History),
        S::FollowUpsOpened
        | S::FollowUpsDone
        | S::FollowUpsOpen
        | S::FollowUpsOverdue
        | S::CompletionRate => Some(Group::FollowUps),
        S::MedianDaysToComplete => Some(Group::Median),
    }
}

/// Joins one group's subquery to the organisations and selects its figures.
fn add_group(
    query: &mut SelectStatement,
    group: Group,
    backend: DbBackend,
    bounds: &Bounds,
    partnership: Option<PartnershipId>,
    only: Only<'_>,
) {
    let joined =
        |table: &str| of(table, "organisation_id").equals((organisations::Entity, organisations::Column::Id));
    match group {
        Group::Meetings => {
            query.join_subquery(
                JoinType::LeftJoin,
                meeting_figures(bounds, partnership, only),
                alias("period_meetings"),
                joined("period_meetings"),
            );
            for figure in [
                "meetings_hosted",
                "meetings_attended",
                "meetings_engaged",
                "partner_days",
                "presentations",
            ] {
                query.expr_as(zero_if_null(of("period_meetings", figure)), alias(figure));
            }
        }
        Group::People => {
            query
                .join_subquery(
                    JoinType::LeftJoin,
                    people_figures(bounds, partnership, only),
                    alias("period_people"),
                    joined("period_people"),
                )
                .expr_as(
                    zero_if_null(of("period_people", "representatives_engaged")),
                    alias("representatives_engaged"),
                );
        }
        Group::History => {
            query
                .join_subquery(
                    JoinType::LeftJoin,
                    history(bounds, partnership, only),
                    alias("history"),
                    joined("history"),
                )
                .expr_as(of("history", "first_meeting_at"), alias("first_meeting_at"))
                .expr_as(of("history", "last_meeting_at"), alias("last_meeting_at"));
        }
        Group::FollowUps => {
            query.join_subquery(
                JoinType::LeftJoin,
                follow_up_figures(bounds, partnership, only),
                alias("follow_up_counts"),
                joined("follow_up_counts"),
            );
            for (figure, column) in [
                ("follow_ups_opened", "opened"),
                ("follow_ups_cancelled", "cancelled"),
                ("follow_ups_done", "done"),
                ("follow_ups_open", "open"),
                ("follow_ups_overdue", "overdue"),
            ] {
                query.expr_as(zero_if_null(of("follow_up_counts", column)), alias(figure));
            }
            let to_complete = zero_if_null(of("follow_up_counts", "opened"))
                .sub(zero_if_null(of("follow_up_counts", "cancelled")));
            query.expr_as(
                zero_if_null(of("follow_up_counts", "done"))
                    .mul(RATE_KEY_SCALE)
                    .div(Func::cust(alias("NULLIF")).arg(to_complete).arg(0)),
                alias("completion_key"),
            );
        }
        Group::Median => {
            query
                .join_subquery(
                    JoinType::LeftJoin,
                    median_x2(backend, bounds, partnership, Some(only)),
                    alias("median"),
                    joined("median"),
                )
                .expr_as(of("median", "median_x2"), alias("median_x2"));
        }
    }
}

/// The organisations the filter names (live ones unless archived are
/// asked for), with the figures of `groups` for the period as columns.
fn organisation_counts(
    backend: DbBackend,
    bounds: &Bounds,
    filter: &EngagementFilter,
    only: Only<'_>,
    groups: &[Group],
) -> SelectStatement {
    let organisation = || Expr::col((organisations::Entity, organisations::Column::Id));
    let mut query = Query::select();
    query
        .expr_as(organisation(), alias("id"))
        .expr_as(
            Expr::col((organisations::Entity, organisations::Column::Name)),
            alias("name"),
        )
        .expr_as(
            Expr::col((organisations::Entity, organisations::Column::NameSort)),
            alias("name_sort"),
        )
        .from(organisations::Entity);
    for group in groups {
        add_group(&mut query, *group, backend, bounds, filter.partnership_id, only);
    }

    match only {
        // The organisations a list shows: the filter's.
        Only::All => {
            if !filter.include_archived {
                query.and_where(
                    Expr::col((organisations::Entity, organisations::Column::ArchivedAt)).is_null(),
                );
            }
            if let Some(id) = filter.organisation_id {
                query.and_where(organisation().eq(id.as_uuid()));
            }
            if let Some(kind) = filter.kind {
                query.and_where(
                    Expr::col((organisations::Entity, organisations::Column::Kind)).eq(kind.as_str()),
                );
            }
            if let Some(tag) = &filter.tag {
                let tagged = |column| Expr::col((organisation_tags::Entity, column));
                query.and_where(exists_in(
                    organisation_tags::Entity,
                    tagged(organisation_tags::Column::OrganisationId)
                        .equals((organisations::Entity, organisations::Column::Id)),
                    tagged(organisation_tags::Column::Tag).eq(tag.as_str()),
                ));
            }
            if let Some(partnership) = filter.partnership_id {
                let party = |column| {
                    Expr::col((partnerships::Entity, column))
                        .equals((organisations::Entity, organisations::Column::Id))
                };
                query.and_where(exists_in(
                    partnerships::Entity,
                    Expr::col((partnerships::Entity, partnerships::Column::Id)).eq(partnership.as_uuid()),
                    Condition::any()
                        .add(party(partnerships::Column::OrganisationAId))
                        .add(party(partnerships::Column::OrganisationBId)),
                ));
            }
        }
        // Organisations already chosen: exactly these, whatever changed since.
        Only::These(ids) => {
            query.and_where(organisation().is_in(ids.iter().copied()));
        }
    }
    query
}

/// The row of `id` among `rows` (which [`Store::rows_for`] read for it).
fn take_row(rows: &HashMap<Uuid, EngagementRow>, id: Uuid) -> StoreResult<EngagementRow> {
    rows.get(&id).cloned().ok_or_else(|| {
        StoreError::Internal(format!(
            "the engagement query answered no row for organisation {id}"
        ))
    })
}

fn read_counts(row: &QueryResult) -> Result<EngagementCounts, sea_orm::DbErr> {
    let count = |column: &str| row.try_get::<i64>("", column);
    Ok(EngagementCounts {
        meetings_hosted: count("meetings_hosted")?,
        meetings_attended: count("meetings_attended")?,
        meetings_engaged: count("meetings_engaged")?,
        partner_days: count("partner_days")?,
        first_meeting_at: row.try_get("", "first_meeting_at")?,
        last_meeting_at: row.try_get("", "last_meeting_at")?,
        representatives_engaged: count("representatives_engaged")?,
        presentations: count("presentations")?,
        follow_ups_opened: count("follow_ups_opened")?,
        follow_ups_cancelled: count("follow_ups_cancelled")?,
        follow_ups_done: count("follow_ups_done")?,
        follow_ups_open: count("follow_ups_open")?,
        follow_ups_overdue: count("follow_ups_overdue")?,
        median_days_to_complete_x2: row.try_get("", "median_x2")?,
    })
}

/// The sort key of a row as a cursor holds it; empty for `NULL`.
fn cursor_key(row: &QueryResult, column: &str, key_type: KeyType) -> Result<String, sea_orm::DbErr> {
    Ok(match key_type {
        KeyType::Integer => row
            .try_get::<Option<i64>>("", column)?
            .map(|value| value.to_string())
            .unwrap_or_default(),
        KeyType::Instant => row
            .try_get::<Option<DateTime<Utc>>>("", column)?
            .map(|value| value.to_rfc3339())
            .unwrap_or_default(),
        KeyType::Text => row.try_get::<String>("", column)?,
    })
}

/// Organisations whose health is one of `healths` (any when empty), over
/// the `first_meeting_at` and `last_meeting_at` columns: the rules of
/// [`HealthThresholds::label`] turned into instants. A meeting on a day at
/// most `n` days before the as-of day starts at or after the start of the
/// day `n` days before it.
fn health_is(healths: &[Health], bounds: &Bounds, thresholds: &HealthThresholds) -> Condition {
    if healths.is_empty() {
        return Condition::all();
    }
    let since = |days: u32| {
        let day = bounds
            .as_of
            .checked_sub_days(Days::new(u64::from(days)))
            .unwrap_or_else(time::earliest_date);
        time::day_start(day)
    };
    let (new_from, active_from, cooling_from) = (
        since(thresholds.new_days),
        since(thresholds.active_days),
        since(thresholds.cooling_days),
    );
    let (first, last) = (|| col("first_meeting_at"), || col("last_meeting_at"));
    let not_new = || first().lt(new_from);
    let mut condition = Condition::any();
    for health in healths {
        condition = condition.add(match health {
            Health::New => Condition::all().add(first().gte(new_from)),
            Health::Active => Condition::all().add(not_new()).add(last().gte(active_from)),
            Health::Cooling => Condition::all()
                .add(not_new())
                .add(last().lt(active_from))
                .add(last().gte(cooling_from)),
            Health::Dormant => Condition::any()
                .add(first().is_null())
                .add(last().is_null())
                .add(Condition::all().add(not_new()).add(last().lt(cooling_from))),
        });
    }
    condition
}

/// The walk of an engagement list by `column`.
fn walk(column: &str, descending: bool) -> NullsLast {
    NullsLast {
        key: col(column),
        id: col("id"),
        descending,
    }
}

/// The sort key `cursor` holds (`None`: a row without one).
fn cursor_value(key_type: KeyType, cursor: &Cursor) -> StoreResult<Option<sea_orm::Value>> {
    let invalid = || StoreError::InvalidCursor {
        reason: "does not hold a key of this sort".into(),
    };
    if cursor.key.is_empty() && key_type != KeyType::Text {
        return Ok(None);
    }
    Ok(Some(match key_type {
        KeyType::Integer => cursor.key.parse::<i64>().map_err(|_| invalid())?.into(),
        KeyType::Instant => DateTime::parse_from_rfc3339(&cursor.key)
            .map_err(|_| invalid())?
            .with_timezone(&Utc)
            .into(),
        KeyType::Text => cursor.key.clone().into(),
    }))
}

impl Store {
    /// Engagement per organisation in `period`, judged on the as-of day
    /// (the period's end, or `today` if earlier), with the previous period
    /// of equal length and the change; ordered by the filter's figure,
    /// one page at a time. Ranking every organisation is costly, so a page
    /// is kept until the next write (see `memo`).
    pub async fn engagement(
        &self,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
        filter: &EngagementFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<EngagementRow>> {
        self.memoised(
            format!("engagement {period:?} {today} {thresholds:?} {filter:?} {page:?}"),
            self.engagement_computed(period, today, thresholds, filter, page),
        )
        .await
    }

    /// [`Self::engagement`], computed.
    async fn engagement_computed(
        &self,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
        filter: &EngagementFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<EngagementRow>> {
        let backend = self.backend();
        let bounds = Bounds::new(period, today);
        let scope = format!(
            "engagement:{}:{}:{}:{}",
            period.from(),
            period.to(),
            filter.sort,
            filter.order
        );
        let (column, key_type, reversed) = sort_column(filter.sort);
        let descending = (filter.order == SortOrder::Desc) != reversed;
        let start = page.start(&scope)?;
        let walk = walk(column, descending);
        // First the order: only the group that holds the sort figure, over
        // every organisation; then every figure for the page's rows.
        // Health needs the first and last meetings, whatever the sort.
        let mut groups: Vec<Group> = group_of(filter.sort).into_iter().collect();
        if !filter.health.is_empty() && !groups.contains(&Group::History) {
            groups.push(Group::History);
        }
        let ranked = organisation_counts(backend, &bounds, filter, Only::All, &groups);
        let mut query = Query::select();
        query
            .column(Asterisk)
            .from_subquery(ranked, alias("engagement"))
            .cond_where(health_is(&filter.health, &bounds, thresholds))
            .limit(page.limit + 1);
        for (expr, order) in walk.order_by(&start) {
            query.order_by_expr(expr, order);
        }
        if let Some(cursor) = start.cursor {
            query.cond_where(walk.after(start.backward, cursor_value(key_type, cursor)?, cursor.id));
        }
        let mut order = Vec::new();
        for row in self.db.query_all(&query).await? {
            let id: Uuid = row.try_get("", "id")?;
            order.push((id, cursor_key(&row, column, key_type)?));
        }
        // The row past the page only says there is more: no figures for it.
        let shown = usize::try_from(page.limit).unwrap_or(usize::MAX);
        let ids: Vec<Uuid> = order.iter().take(shown).map(|(id, _)| *id).collect();
        let rows = self.rows_for(period, today, thresholds, filter, &ids).await?;
        let cursor_of = |(id, key): &(Uuid, String)| Cursor::new(&scope, key.clone(), *id);
        Page::from_rows(order, page.limit, &start, cursor_of, |(id, _)| {
            take_row(&rows, id)
        })
    }

    /// One organisation's engagement in `period`, archived or not: the row
    /// [`Self::engagement`] lists for it, computed for it alone (an
    /// organisation's page needs no ranking of every other). `None` when
    /// there is no such organisation.
    pub async fn organisation_engagement(
        &self,
        id: OrganisationId,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
    ) -> StoreResult<Option<EngagementRow>> {
        let filter = EngagementFilter {
            organisation_id: Some(id),
            include_archived: true,
            ..EngagementFilter::default()
        };
        let mut rows = self
            .rows_for(period, today, thresholds, &filter, &[id.as_uuid()])
            .await?;
        Ok(rows.remove(&id.as_uuid()))
    }

    /// Every figure of the organisations `ids`, for `period` and the period
    /// before, as rows by id, in one statement.
    async fn rows_for(
        &self,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
        filter: &EngagementFilter,
        ids: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, EngagementRow>> {
        let backend = self.backend();
        let bounds = Bounds::new(period, today);
        let previous_bounds = Bounds::new(&period.previous(), today);
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut current: HashMap<Uuid, (String, EngagementCounts)> = HashMap::with_capacity(ids.len());
        let mut previous: HashMap<Uuid, (String, EngagementCounts)> = HashMap::with_capacity(ids.len());
        // Both periods in one statement (`UNION ALL`, each row marked with
        // its period): the same work for the database as two statements,
        // one round trip fewer for the server (on one core, running two
        // side by side saved none).
        let of_period = |bounds: &Bounds, mark: &'static str| {
            organisation_counts(backend, bounds, filter, Only::These(ids), &ALL_GROUPS)
                .expr_as(Expr::cust(mark), alias("period"))
                .take()
        };
        let query = of_period(&bounds, "0")
            .union(UnionType::All, of_period(&previous_bounds, "1"))
            .take();
        for row in self.db.query_all(&query).await? {
            let period: i32 = row.try_get("", "period")?;
            let found = if period == 0 { &mut current } else { &mut previous };
            found.insert(
                row.try_get("", "id")?,
                (row.try_get("", "name")?, read_counts(&row)?),
            );
        }
        let mut rows = HashMap::with_capacity(current.len());
        for (id, (name, counts)) in current {
            let earlier = previous.get(&id).map(|(_, counts)| *counts).unwrap_or_default();
            let current = EngagementFigures::new(&counts, bounds.as_of, thresholds);
            let previous = EngagementFigures::new(&earlier, previous_bounds.as_of, thresholds);
            rows.insert(
                id,
                EngagementRow {
                    organisation_id: id.into(),
                    name,
                    change: EngagementChange::between(&current, &previous),
                    current,
                    previous,
                },
            );
        }
        Ok(rows)
    }

    /// The `count` most and least engaged live organisations (by meetings
    /// engaged, ties by id), as [`Self::engagement`] would list them first
    /// in descending and in ascending order: one ranking of every
    /// organisation serves both ends.
    async fn engagement_ends(
        &self,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
        count: usize,
    ) -> StoreResult<(Vec<EngagementRow>, Vec<EngagementRow>)> {
        let filter = EngagementFilter::default();
        let (column, ..) = sort_column(EngagementSort::MeetingsEngaged);
        let ranked = organisation_counts(
            self.backend(),
            &Bounds::new(period, today),
            &filter,
            Only::All,
            &[Group::Meetings],
        );
        let query = Query::select()
            .column(alias("id"))
            .column(alias(column))
            .from_subquery(ranked, alias("engagement"))
            .take();
        let mut keys: Vec<(Uuid, i64)> = Vec::new();
        for row in self.db.query_all(&query).await? {
            keys.push((row.try_get("", "id")?, row.try_get("", column)?));
        }
        // The orders of `engagement`: the figure, then the id ascending.
        keys.sort_by(|(a_id, a), (b_id, b)| b.cmp(a).then(a_id.cmp(b_id)));
        let most: Vec<Uuid> = keys.iter().take(count).map(|(id, _)| *id).collect();
        keys.sort_by(|(a_id, a), (b_id, b)| a.cmp(b).then(a_id.cmp(b_id)));
        let least: Vec<Uuid> = keys.iter().take(count).map(|(id, _)| *id).collect();
        let mut ids = most.clone();
        ids.extend(least.iter().filter(|id| !most.contains(id)));
        let rows = self.rows_for(period, today, thresholds, &filter, &ids).await?;
        let in_order = |ids: &[Uuid]| {
            ids.iter()
                .map(|id| take_row(&rows, *id))
                .collect::<StoreResult<Vec<_>>>()
        };
        Ok((in_order(&most)?, in_order(&least)?))
    }

    /// Every live organisation's engagement in `period`, most engaged first:
    /// [`Self::engagement`] with the default filter, walked page by page
    /// (`page_size` rows each) so that no query grows with the number of
    /// organisations. `on_page` hears how many rows have been read so far.
    /// (Its pages are not memoised: an export would push out the pages
    /// people look at.)
    pub async fn engagement_all(
        &self,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
        page_size: u64,
        mut on_page: impl FnMut(usize),
    ) -> StoreResult<Vec<EngagementRow>> {
        let filter = EngagementFilter::default();
        let mut request = PageRequest::first(Ord::max(page_size, 1));
        let mut rows = Vec::new();
        loop {
            let page = self
                .engagement_computed(period, today, thresholds, &filter, &request)
                .await?;
            rows.extend(page.items);
            on_page(rows.len());
            let Some(next) = page.next_cursor else {
                return Ok(rows);
            };
            let cursor = Cursor::decode(&next).map_err(|error| StoreError::Internal(error.to_string()))?;
            request.after = Some(cursor);
        }
    }

    /// The period at a glance: totals (and the previous period's), the most
    /// used tags, the most and least engaged live organisations, and
    /// meetings per month. Kept until the next write, as
    /// [`Self::engagement`] is.
    pub async fn engagement_summary(
        &self,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
    ) -> StoreResult<EngagementSummary> {
        self.memoised(
            format!("engagement summary {period:?} {today} {thresholds:?}"),
            self.engagement_summary_computed(period, today, thresholds),
        )
        .await
    }

    /// [`Self::engagement_summary`], computed.
    async fn engagement_summary_computed(
        &self,
        period: &Period,
        today: NaiveDate,
        thresholds: &HealthThresholds,
    ) -> StoreResult<EngagementSummary> {
        let bounds = Bounds::new(period, today);
        let previous = Bounds::new(&period.previous(), today);
        // Independent reads: the pool runs them side by side.
        let (totals, previous_totals, top_tags, meetings_per_month, (most_engaged, least_engaged)) = tokio::try_join!(
            self.engagement_totals(&bounds),
            self.engagement_totals(&previous),
            self.top_tags(&bounds),
            self.meetings_per_month(period, &bounds),
            self.engagement_ends(period, today, thresholds, SUMMARY_ORGANISATIONS),
        )?;
        Ok(EngagementSummary {
            from: period.from(),
            to: period.to(),
            as_of: bounds.as_of,
            totals,
            previous_totals,
            top_tags,
            most_engaged,
            least_engaged,
            meetings_per_month,
        })
    }

    /// The tags of the most counted meetings of the period.
    async fn top_tags(&self, bounds: &Bounds) -> StoreResult<Vec<TagCount>> {
        let tag = Expr::col((meeting_tags::Entity, meeting_tags::Column::Tag));
        let tags = Query::select()
            .expr_as(tag.clone(), alias("tag"))
            .expr_as(Expr::val(1).count(), alias("meetings"))
            .from(meeting_tags::Entity)
            .inner_join(
                meetings::Entity,
                meeting(meetings::Column::Id).equals((meeting_tags::Entity, meeting_tags::Column::MeetingId)),
            )
            .cond_where(counted_meetings(None).add(in_period(bounds)))
            .group_by_col((meeting_tags::Entity, meeting_tags::Column::Tag))
            .order_by_expr(Expr::val(1).count(), Order::Desc)
            .order_by_expr(tag, Order::Asc)
            .limit(SUMMARY_TAGS)
            .take();
        let mut top_tags = Vec::new();
        for row in self.db.query_all(&tags).await? {
            top_tags.push(TagCount {
                tag: row.try_get("", "tag")?,
                meetings: row.try_get("", "meetings")?,
            });
        }
        Ok(top_tags)
    }

    /// Counted meetings per calendar month (Stockholm) of the period.
    async fn meetings_per_month(&self, period: &Period, bounds: &Bounds) -> StoreResult<Vec<MonthCount>> {
        let months = period.months();
        let mut per_month = Query::select();
        per_month
            .from(meetings::Entity)
            .cond_where(counted_meetings(None).add(in_period(bounds)));
        for (index, month) in months.iter().enumerate() {
            let starts = meeting(meetings::Column::StartsAt);
            per_month.expr_as(
                sum(one_if(
                    Condition::all()
                        .add(starts.clone().gte(month.starts_at))
                        .add(starts.lt(month.ends_at)),
                )),
                alias(&format!("month_{index}")),
            );
        }
        let row = self.db.query_one(&per_month).await?;
        let mut meetings_per_month = Vec::with_capacity(months.len());
        for (index, month) in months.iter().enumerate() {
            let meetings = match &row {
                Some(row) => row.try_get::<i64>("", &format!("month_{index}"))?,
                None => 0,
            };
            meetings_per_month.push(MonthCount {
                year: month.year,
                month: month.month,
                meetings,
            });
        }
        Ok(meetings_per_month)
    }

    async fn engagement_totals(&self, bounds: &Bounds) -> StoreResult<EngagementTotals> {
        let db = &self.db;
        let counted = counted_meetings(None).add(in_period(bounds));
        let meetings_query = Query::select()
            .expr_as(Expr::val(1).count(), alias("meetings"))
            .expr_as(
                sum(one_if(
                    meeting(meetings::Column::Kind).eq(MeetingKind::PartnerDay.as_str()),
                )),
                alias("partner_days"),
            )
            .from(meetings::Entity)
            .cond_where(counted.clone())
            .take();
        // How many organisations and people have a row of the period: one
        // index probe per organisation and person (thousands), rather than
        // a `COUNT(DISTINCT …)` over the period's rows (hundreds of
        // thousands).
        let engaged = |dimension: Alias, table: &'static str, column: &str| {
            let mut rows = read_model(table, Some(bounds.starts_at), bounds.ends_at, None, Only::All);
            rows.clear_group_by();
            rows.clear_selects();
            rows.expr(Expr::val(1))
                .and_where(of(table, column).equals((dimension.clone(), alias("id"))));
            Query::select()
                .expr(Expr::val(1).count())
                .from(dimension)
                .and_where(Expr::exists(rows))
                .take()
        };
        let people = Query::select()
            .expr_as(
                Expr::SubQuery(
                    None,
                    Box::new(
                        engaged(alias("organisations"), "engagement_meetings", "organisation_id").into(),
                    ),
                ),
                alias("organisations"),
            )
            .expr_as(
                Expr::SubQuery(
                    None,
                    Box::new(
                        engaged(alias("representatives"), "engagement_people", "representative_id").into(),
                    ),
                ),
                alias("representatives"),
            )
            .take();
        let mut follow_up_query = period_follow_ups(bounds, None);
        add_follow_up_counts(&mut follow_up_query, bounds);
        let median = median_x2(self.backend(), bounds, None, None);

        let one = |row: Option<QueryResult>| {
            row.ok_or_else(|| StoreError::Internal("an aggregate query answered no row".into()))
        };
        let (meeting_row, people_row, follow_up_row, median_row) = tokio::try_join!(
            db.query_one(&meetings_query),
            db.query_one(&people),
            db.query_one(&follow_up_query),
            db.query_one(&median),
        )?;
        let (meeting_row, people_row, follow_up_row) =
            (one(meeting_row)?, one(people_row)?, one(follow_up_row)?);
        let median_x2: Option<i64> = match median_row {
            Some(row) => row.try_get("", "median_x2")?,
            None => None,
        };
        let get = |row: &QueryResult, column: &str| row.try_get::<i64>("", column);
        let counts = EngagementCounts {
            follow_ups_opened: get(&follow_up_row, "opened")?,
            follow_ups_cancelled: get(&follow_up_row, "cancelled")?,
            follow_ups_done: get(&follow_up_row, "done")?,
            follow_ups_open: get(&follow_up_row, "open")?,
            follow_ups_overdue: get(&follow_up_row, "overdue")?,
            median_days_to_complete_x2: median_x2,
            ..EngagementCounts::default()
        };
        Ok(EngagementTotals {
            meetings: get(&meeting_row, "meetings")?,
            partner_days: get(&meeting_row, "partner_days")?,
            organisations_engaged: get(&people_row, "organisations")?,
            representatives_engaged: get(&people_row, "representatives")?,
            follow_ups_opened: counts.follow_ups_opened,
            follow_ups_cancelled: counts.follow_ups_cancelled,
            follow_ups_done: counts.follow_ups_done,
            follow_ups_open: counts.follow_ups_open,
            follow_ups_overdue: counts.follow_ups_overdue,
            completion_rate: counts.completion_rate(),
            median_days_to_complete: counts.median_days_to_complete(),
        })
    }
}
