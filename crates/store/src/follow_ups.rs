//! Follow-ups: their own aggregate, versioned apart from their meeting.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, EntityTrait, IntoActiveModel, Order, QueryFilter, QueryOrder, QuerySelect, Select,
};

use samverkan_domain::{
    FollowUp, FollowUpDetails, FollowUpId, FollowUpInput, FollowUpStatus, KnownRecords, MeetingId,
    OrganisationId, OutcomeId, ReferencedIds, RepresentativeId, ValidationErrors, time,
};

use crate::Store;
use crate::audit::fields;
use crate::entity::{follow_ups, meetings, outcomes};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::support::{Db, NullsLast, folded_contains, id_after, meta, search_text, stored};
use crate::versioned::{Versioned, versioned_record};

const ENTITY: &str = "follow-up";
/// The name on this list's cursors.
const SCOPE: &str = "follow_ups";
/// The name on the cursors of the list by due date: a cursor of one order
/// means nothing in the other.
const DUE_SCOPE: &str = "follow_ups:due";

/// Which follow-ups a list holds, and in which order.
#[derive(Debug, Clone, Default)]
pub struct FollowUpFilter {
    pub status: Option<FollowUpStatus>,
    /// Open or in progress: what is still to do.
    pub unfinished: bool,
    pub owner_id: Option<RepresentativeId>,
    pub organisation_id: Option<OrganisationId>,
    pub meeting_id: Option<MeetingId>,
    /// Due before this day.
    pub due_before: Option<NaiveDate>,
    /// Open or in progress and due before this (Stockholm) day: pass today.
    pub overdue_on: Option<NaiveDate>,
    /// Matches title and details, ignoring case and accents.
    pub q: Option<String>,
    pub include_archived: bool,
    pub order: FollowUpOrder,
}

/// The order of a follow-up list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FollowUpOrder {
    /// In the order they were made.
    #[default]
    Created,
    /// Soonest due first, those without a due date last, then in the order
    /// they were made: what to do next.
    DueOn,
}

/// Open or in progress. The statuses are written into the SQL as literals,
/// not bound, so that the planner can prove the query lies inside the
/// partial index `ix_follow_ups_unfinished` (migration
/// `m20261130_000002_read_indexes`) and walk it in id order.
fn unfinished() -> Expr {
    let statuses = [FollowUpStatus::Open, FollowUpStatus::InProgress]
        .map(|status| format!("'{}'", status.as_str()))
        .join(", ");
    Expr::cust(format!("\"follow_ups\".\"status\" IN ({statuses})"))
}

fn row(follow_up: &FollowUp) -> follow_ups::Model {
    let details = &follow_up.details;
    follow_ups::Model {
        id: follow_up.id.as_uuid(),
        meeting_id: follow_up.meeting_id.as_uuid(),
        outcome_id: follow_up.outcome_id.map(|id| id.as_uuid()),
        title: details.title.clone(),
        details: details.details.clone(),
        owner_id: details.owner_id.map(|id| id.as_uuid()),
        organisation_id: details.organisation_id.map(|id| id.as_uuid()),
        due_on: details.due_on,
        status: details.status.as_str().to_owned(),
        completed_at: follow_up.completed_at,
        search_text: search_text([Some(details.title.as_str()), details.details.as_deref()]),
        version: follow_up.meta.version,
        created_at: follow_up.meta.created_at,
        updated_at: follow_up.meta.updated_at,
        archived_at: follow_up.meta.archived_at,
    }
}

pub(crate) fn from_row(row: follow_ups::Model) -> StoreResult<FollowUp> {
    let input = FollowUpInput {
        title: row.title,
        details: row.details,
        owner_id: row.owner_id.map(Into::into),
        organisation_id: row.organisation_id.map(Into::into),
        due_on: row.due_on,
        status: Some(stored(
            ENTITY,
            row.id,
            FollowUpStatus::parse("status", &row.status),
        )?),
        completed_on: None,
    };
    let details =
        FollowUpDetails::parse(&input).map_err(|error| StoreError::corrupt(ENTITY, row.id, error))?;
    Ok(FollowUp {
        id: row.id.into(),
        meeting_id: row.meeting_id.into(),
        outcome_id: row.outcome_id.map(Into::into),
        details,
        completed_at: row.completed_at,
        meta: meta(row.version, row.created_at, row.updated_at, row.archived_at),
    })
}

pub(crate) async fn insert_many(db: &impl Db, follow_ups: &[FollowUp]) -> StoreResult<()> {
    if !follow_ups.is_empty() {
        follow_ups::Entity::insert_many(
            follow_ups
                .iter()
                .map(|follow_up| row(follow_up).into_active_model()),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

async fn find(db: &impl Db, id: FollowUpId) -> StoreResult<FollowUp> {
    let row = follow_ups::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound {
            entity: ENTITY,
            id: id.as_uuid(),
        })?;
    from_row(row)
}

/// The owner and organisation of a follow-up must be live records.
async fn check_people(db: &impl Db, details: &FollowUpDetails) -> StoreResult<()> {
    let ids = ReferencedIds {
        organisations: details.organisation_id.into_iter().collect(),
        representatives: details.owner_id.into_iter().collect(),
        partnerships: Default::default(),
    };
    let known: KnownRecords = crate::meetings::known_records(db, &ids).await?;
    let mut errors = ValidationErrors::new();
    if let Some(owner) = details.owner_id {
        errors.collect(known.live_representative("owner_id", owner).map(|_| ()));
    }
    if let Some(organisation) = details.organisation_id {
        errors.collect(known.live_organisation("organisation_id", organisation));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

impl Versioned for FollowUp {
    versioned_record!(follow_ups, FollowUpId, find: find, snapshot: snapshot, row: row);
    /// Its fields, and the day it was done when that is stated.
    type Change = (FollowUpDetails, Option<NaiveDate>);
    const ENTITY: &'static str = ENTITY;

    /// Only people who change are checked; moving to `done` stamps
    /// `completed_at` (on the day stated, or now), leaving it clears it.
    async fn apply(
        &mut self,
        (details, completed_on): (FollowUpDetails, Option<NaiveDate>),
        now: DateTime<Utc>,
        db: &impl Db,
    ) -> StoreResult<()> {
        if details.owner_id != self.details.owner_id
            || details.organisation_id != self.details.organisation_id
        {
            check_people(db, &details).await?;
        }
        let stated = match completed_on {
            None => None,
            Some(_) => {
                let meeting = meetings::Entity::find_by_id(self.meeting_id.as_uuid())
                    .one(db)
                    .await?
                    .ok_or_else(|| StoreError::Internal(format!("follow-up {} has no meeting", self.id)))?;
                FollowUp::stated_completion(completed_on, details.status, meeting.starts_at, now)
                    .map_err(ValidationErrors::from)?
            }
        };
        self.revise(details, stated, now);
        Ok(())
    }
}

/// A follow-up as the audit trail keeps it.
pub(crate) fn snapshot(follow_up: &FollowUp) -> StoreResult<serde_json::Value> {
    fields(&row(follow_up))
}

impl Store {
    /// Adds a follow-up to a logged meeting, optionally from one of its
    /// outcomes.
    /// A follow-up created done was completed on `completed_on` (a
    /// Stockholm day, see `FollowUp::stated_completion`) or now.
    pub async fn create_follow_up(
        &self,
        meeting_id: MeetingId,
        outcome_id: Option<OutcomeId>,
        details: FollowUpDetails,
        completed_on: Option<NaiveDate>,
    ) -> StoreResult<FollowUp> {
        let now = time::now();
        let mut txn = self.begin_write().await?;
        let mut errors = ValidationErrors::new();
        let mut stated = None;
        match meetings::Entity::find_by_id(meeting_id.as_uuid())
            .one(&*txn)
            .await?
        {
            None => errors.add("meeting_id", format!("no meeting has the id {meeting_id}")),
            Some(meeting) if meeting.archived_at.is_some() => {
                errors.add("meeting_id", format!("meeting {meeting_id} is archived"));
            }
            Some(meeting) => {
                stated = errors
                    .collect(FollowUp::stated_completion(
                        completed_on,
                        details.status,
                        meeting.starts_at,
                        now,
                    ))
                    .flatten();
            }
        }
        let follow_up = FollowUp::new(meeting_id, outcome_id, details, stated, now);
        if let Some(outcome_id) = outcome_id {
            let outcome = outcomes::Entity::find_by_id(outcome_id.as_uuid())
                .one(&*txn)
                .await?;
            if outcome.is_none_or(|outcome| outcome.meeting_id != meeting_id.as_uuid()) {
                errors.add(
                    "outcome_id",
                    format!("meeting {meeting_id} has no outcome {outcome_id}"),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        check_people(&*txn, &follow_up.details).await?;
        insert_many(&*txn, std::slice::from_ref(&follow_up)).await?;
        txn.audit(
            ENTITY,
            follow_up.id.as_uuid(),
            "create",
            None,
            Some(snapshot(&follow_up)?),
        )
        .await?;
        txn.commit().await?;
        Ok(follow_up)
    }

    pub async fn follow_up(&self, id: FollowUpId) -> StoreResult<FollowUp> {
        find(&self.db, id).await
    }

    /// Replaces a follow-up's fields, if still at `expected_version`; moving
    /// to `done` stamps `completed_at`, leaving it clears it.
    ///
    /// `completed_on` names the day it was done (for one set done, or to
    /// correct the day of one that is done; see
    /// `FollowUp::stated_completion`); `None`: now, or as it was.
    pub async fn update_follow_up(
        &self,
        id: FollowUpId,
        expected_version: i32,
        details: FollowUpDetails,
        completed_on: Option<NaiveDate>,
    ) -> StoreResult<FollowUp> {
        self.revise(id, expected_version, (details, completed_on)).await
    }

    pub async fn archive_follow_up(
        &self,
        id: FollowUpId,
        expected_version: Option<i32>,
    ) -> StoreResult<FollowUp> {
        self.archive(id, expected_version).await
    }

    pub async fn list_follow_ups(
        &self,
        filter: &FollowUpFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<FollowUp>> {
        let mut query = follow_ups::Entity::find();
        if !filter.include_archived {
            query = query.filter(follow_ups::Column::ArchivedAt.is_null());
        }
        if let Some(status) = filter.status {
            query = query.filter(follow_ups::Column::Status.eq(status.as_str()));
        }
        if filter.unfinished {
            query = query.filter(unfinished());
        }
        if let Some(owner) = filter.owner_id {
            query = query.filter(follow_ups::Column::OwnerId.eq(owner.as_uuid()));
        }
        if let Some(organisation) = filter.organisation_id {
            query = query.filter(follow_ups::Column::OrganisationId.eq(organisation.as_uuid()));
        }
        if let Some(meeting) = filter.meeting_id {
            query = query.filter(follow_ups::Column::MeetingId.eq(meeting.as_uuid()));
        }
        if let Some(due_before) = filter.due_before {
            query = query.filter(follow_ups::Column::DueOn.lt(due_before));
        }
        if let Some(today) = filter.overdue_on {
            query = query
                .filter(unfinished())
                .filter(follow_ups::Column::DueOn.lt(today));
        }
        if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
            query = query.filter(folded_contains(follow_ups::Column::SearchText, q));
        }
        if filter.order == FollowUpOrder::DueOn {
            return by_due_date(&self.db, query, page).await;
        }
        let start = page.start(SCOPE)?;
        let order = start.order(Order::Asc);
        let rows = query
            .filter(id_after(order.clone(), follow_ups::Column::Id, start.cursor))
            .order_by(follow_ups::Column::Id, order)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let cursor_of = |row: &follow_ups::Model| Cursor::new(SCOPE, String::new(), row.id);
        Page::from_rows(rows, page.limit, &start, cursor_of, from_row)
    }
}

/// One page of `query` by due date (see [`FollowUpOrder::DueOn`]); the
/// cursor holds the due date, empty for none.
async fn by_due_date(
    db: &impl Db,
    mut query: Select<follow_ups::Entity>,
    page: &PageRequest,
) -> StoreResult<Page<FollowUp>> {
    let start = page.start(DUE_SCOPE)?;
    let walk = NullsLast {
        key: Expr::col((follow_ups::Entity, follow_ups::Column::DueOn)),
        id: Expr::col((follow_ups::Entity, follow_ups::Column::Id)),
        descending: false,
    };
    if let Some(cursor) = start.cursor {
        let due_on = if cursor.key.is_empty() {
            None
        } else {
            let day = NaiveDate::parse_from_str(&cursor.key, "%Y-%m-%d").map_err(|_| {
                StoreError::InvalidCursor {
                    reason: "does not hold a day".into(),
                }
            })?;
            Some(day.into())
        };
        query = query.filter(walk.after(start.backward, due_on, cursor.id));
    }
    for (expr, order) in walk.order_by(&start) {
        query = query.order_by(expr, order);
    }
    let rows = query.limit(page.limit + 1).all(db).await?;
    let cursor_of = |row: &follow_ups::Model| {
        let key = row.due_on.map(|day| day.to_string()).unwrap_or_default();
        Cursor::new(DUE_SCOPE, key, row.id)
    };
    Page::from_rows(rows, page.limit, &start, cursor_of, from_row)
}
