//! How follow-ups stand on a day, by owner and by organisation: one grouped
//! query per grouping, with the oldest overdue item of each group picked by
//! a window function. Definitions in `docs/engagement.md`.

use chrono::{Days, NaiveDate};
use sea_orm::sea_query::{
    Condition, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, WindowStatement,
};
use sea_orm::{ConnectionTrait, QueryResult};
use uuid::Uuid;

use samverkan_domain::{FollowUpStatus, FollowUpSummary, FollowUpTally, OverdueItem, time};

use crate::Store;
use crate::engagement::{alias, col, follow_up, live_follow_ups, meeting, of, one_if, open_at, sum};
use crate::entity::{follow_ups, meetings, organisations, representatives};
use crate::error::StoreResult;

/// How many days "done lately" looks back, the as-of day included.
pub const DONE_LATELY_DAYS: u64 = 30;

/// The follow-ups that exist on the as-of day: live, of a live meeting, and
/// made by then (or from a meeting held by then: logs are often written
/// after the fact, and a follow-up was agreed at its meeting).
fn existing(as_of: NaiveDate) -> SelectStatement {
    let as_of_end = time::day_end(as_of);
    live_follow_ups()
        .and_where(meeting(meetings::Column::ArchivedAt).is_null())
        .cond_where(
            Condition::any()
                .add(follow_up(follow_ups::Column::CreatedAt).lt(as_of_end))
                .add(meeting(meetings::Column::StartsAt).lt(as_of_end)),
        )
        .take()
}

fn overdue(as_of: NaiveDate) -> Condition {
    Condition::all()
        .add(open_at(time::day_end(as_of)))
        .add(follow_up(follow_ups::Column::DueOn).lt(as_of))
}

/// One row per group with its counts, name and oldest overdue item.
fn tallies(
    as_of: NaiveDate,
    key: follow_ups::Column,
    names: (impl sea_orm::sea_query::IntoTableRef, Expr, Expr),
    limit: u64,
) -> SelectStatement {
    let key_column = (follow_ups::Entity, key);
    let as_of_end = time::day_end(as_of);
    let lately = time::day_start(as_of - Days::new(DONE_LATELY_DAYS - 1));
    let mut counts = existing(as_of);
    counts
        .expr_as(Expr::col(key_column), alias("key"))
        .expr_as(sum(one_if(open_at(as_of_end))), alias("open"))
        .expr_as(sum(one_if(overdue(as_of))), alias("overdue"))
        .expr_as(
            sum(one_if(
                Condition::all()
                    .add(follow_up(follow_ups::Column::Status).eq(FollowUpStatus::Done.as_str()))
                    .add(follow_up(follow_ups::Column::CompletedAt).gte(lately))
                    .add(follow_up(follow_ups::Column::CompletedAt).lt(as_of_end)),
            )),
            alias("done_lately"),
        )
        .group_by_col(key_column);

    let mut ranked = existing(as_of);
    ranked
        .expr_as(Expr::col(key_column), alias("key"))
        .expr_as(follow_up(follow_ups::Column::Id), alias("id"))
        .expr_as(follow_up(follow_ups::Column::Title), alias("title"))
        .expr_as(follow_up(follow_ups::Column::DueOn), alias("due_on"))
        .expr_window_as(
            sea_orm::sea_query::Func::cust(alias("ROW_NUMBER")),
            WindowStatement::partition_by(key_column)
                .order_by((follow_ups::Entity, follow_ups::Column::DueOn), Order::Asc)
                .order_by((follow_ups::Entity, follow_ups::Column::Id), Order::Asc)
                .take(),
            alias("position"),
        )
        .cond_where(overdue(as_of));
    let oldest = Query::select()
        .columns([alias("key"), alias("id"), alias("title"), alias("due_on")])
        .from_subquery(ranked, alias("ranked"))
        .and_where(col("position").eq(1))
        .take();

    let (table, id, name) = names;
    let group_key = || of("counts", "key");
    Query::select()
        .expr_as(group_key(), alias("key"))
        .expr_as(name, alias("name"))
        .expr_as(of("counts", "open"), alias("open"))
        .expr_as(of("counts", "overdue"), alias("overdue"))
        .expr_as(of("counts", "done_lately"), alias("done_lately"))
        .expr_as(of("oldest", "id"), alias("oldest_id"))
        .expr_as(of("oldest", "title"), alias("oldest_title"))
        .expr_as(of("oldest", "due_on"), alias("oldest_due_on"))
        .from_subquery(counts, alias("counts"))
        .join(JoinType::LeftJoin, table, id.eq(group_key()))
        .join_subquery(
            JoinType::LeftJoin,
            oldest,
            alias("oldest"),
            Condition::any().add(of("oldest", "key").eq(group_key())).add(
                Condition::all()
                    .add(of("oldest", "key").is_null())
                    .add(group_key().is_null()),
            ),
        )
        .cond_where(
            Condition::any()
                .add(of("counts", "open").gt(0))
                .add(of("counts", "done_lately").gt(0)),
        )
        .order_by_expr(of("counts", "overdue"), Order::Desc)
        .order_by_expr(of("counts", "open"), Order::Desc)
        .order_by_expr(of("counts", "done_lately"), Order::Desc)
        .order_by_expr(group_key().is_null(), Order::Asc)
        .order_by_expr(group_key(), Order::Asc)
        .limit(limit)
        .take()
}

fn tally<Id: From<Uuid>>(row: &QueryResult) -> Result<FollowUpTally<Id>, sea_orm::DbErr> {
    let oldest_id: Option<Uuid> = row.try_get("", "oldest_id")?;
    let oldest_due_on: Option<NaiveDate> = row.try_get("", "oldest_due_on")?;
    let oldest_title: Option<String> = row.try_get("", "oldest_title")?;
    let oldest_overdue = match (oldest_id, oldest_title, oldest_due_on) {
        (Some(id), Some(title), Some(due_on)) => Some(OverdueItem {
            id: id.into(),
            title,
            due_on,
        }),
        _ => None,
    };
    Ok(FollowUpTally {
        id: row.try_get::<Option<Uuid>>("", "key")?.map(Id::from),
        name: row.try_get("", "name")?,
        open: row.try_get("", "open")?,
        overdue: row.try_get("", "overdue")?,
        done_last_30_days: row.try_get("", "done_lately")?,
        oldest_overdue,
    })
}

impl Store {
    /// Follow-ups by owner and by organisation as they stood at the end of
    /// `as_of` (a Stockholm day): open, overdue, done in the 30 days up to
    /// it, and the oldest overdue item; groups with nothing open and nothing
    /// done lately are left out; at most `limit` groups each, most overdue
    /// first. Follow-ups without owner (organisation) form a group with no id.
    pub async fn follow_up_summary(&self, as_of: NaiveDate, limit: u64) -> StoreResult<FollowUpSummary> {
        let by_owner = tallies(
            as_of,
            follow_ups::Column::OwnerId,
            (
                representatives::Entity,
                Expr::col((representatives::Entity, representatives::Column::Id)),
                // A restricted owner (Art. 18) is in no report by name.
                sea_orm::sea_query::CaseStatement::new()
                    .case(
                        Expr::col((representatives::Entity, representatives::Column::RestrictedAt)).is_null(),
                        Expr::col((representatives::Entity, representatives::Column::FullName)),
                    )
                    .finally(Expr::val(samverkan_domain::privacy::RESTRICTED_PERSON_NAME))
                    .into(),
            ),
            limit,
        );
        let by_organisation = tallies(
            as_of,
            follow_ups::Column::OrganisationId,
            (
                organisations::Entity,
                Expr::col((organisations::Entity, organisations::Column::Id)),
                Expr::col((organisations::Entity, organisations::Column::Name)),
            ),
            limit,
        );
        let mut summary = FollowUpSummary {
            as_of,
            by_owner: Vec::new(),
            by_organisation: Vec::new(),
        };
        for row in self.db.query_all(&by_owner).await? {
            summary.by_owner.push(tally(&row)?);
        }
        for row in self.db.query_all(&by_organisation).await? {
            summary.by_organisation.push(tally(&row)?);
        }
        Ok(summary)
    }
}
