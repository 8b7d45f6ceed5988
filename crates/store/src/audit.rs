//! The audit trail: who wrote what, when, with the fields before and after,
//! recorded in the write's own transaction.
//!
//! Every write runs in a [`Write`] (from `Store::begin_write`), and a
//! `Write` refuses to commit until it has recorded at least one event: so a
//! rolled-back write leaves no event, and no write lands without one.

use std::ops::Deref;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, EntityTrait, IntoActiveModel};
use serde::Serialize;
use uuid::Uuid;

use samverkan_domain::{AuditEventId, UserId, time};

use crate::entity::audit_events;
use crate::error::{StoreError, StoreResult};

/// Who a write is made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A user, through the API.
    User { id: UserId, email: String },
    /// A process acting on its own: the command line (`cli`), the demo
    /// loader, the data generator.
    Process(&'static str),
}

impl Actor {
    fn user_id(&self) -> Option<Uuid> {
        match self {
            Self::User { id, .. } => Some(id.as_uuid()),
            Self::Process(_) => None,
        }
    }

    fn label(&self) -> &str {
        match self {
            Self::User { email, .. } => email,
            Self::Process(name) => name,
        }
    }
}

/// One recorded write, as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub occurred_at: DateTime<Utc>,
    pub user_id: Option<UserId>,
    /// The user's e-mail, or the process.
    pub actor: String,
    pub entity: String,
    pub entity_id: Uuid,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A write transaction that knows its actor and must record what it wrote.
pub(crate) struct Write {
    txn: DatabaseTransaction,
    actor: Actor,
    events: usize,
}

impl Deref for Write {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

/// A record's fields as stored, for the trail.
pub(crate) fn fields(row: &impl Serialize) -> StoreResult<serde_json::Value> {
    serde_json::to_value(row).map_err(|error| StoreError::Internal(format!("audit snapshot: {error}")))
}

/// A record's fields as stored, with what other tables hold of it (its
/// tags, its current affiliation, a meeting's parts).
pub(crate) fn fields_with(
    row: &impl Serialize,
    parts: impl IntoIterator<Item = (&'static str, serde_json::Value)>,
) -> StoreResult<serde_json::Value> {
    let mut value = fields(row)?;
    if let Some(object) = value.as_object_mut() {
        for (name, part) in parts {
            object.insert(name.to_owned(), part);
        }
    }
    Ok(value)
}

impl Write {
    pub(crate) fn new(txn: DatabaseTransaction, actor: Actor) -> Self {
        Self {
            txn,
            actor,
            events: 0,
        }
    }

    /// Records that `action` was done to `entity` `id`, with its fields
    /// before and after (as JSON objects; `None` where there is no such side).
    pub(crate) async fn audit(
        &mut self,
        entity: &'static str,
        id: Uuid,
        action: &'static str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> StoreResult<()> {
        let row = audit_events::Model {
            id: AuditEventId::new().as_uuid(),
            occurred_at: time::now(),
            user_id: self.actor.user_id(),
            actor: self.actor.label().to_owned(),
            entity: entity.to_owned(),
            entity_id: id,
            action: action.to_owned(),
            before: before.map(|value| value.to_string()),
            after: after.map(|value| value.to_string()),
        };
        audit_events::Entity::insert(row.into_active_model())
            .exec_without_returning(&self.txn)
            .await?;
        self.events += 1;
        Ok(())
    }

    pub(crate) fn has_events(&self) -> bool {
        self.events > 0
    }

    /// Ends a write that turned out to change nothing (so has nothing to
    /// record).
    pub(crate) async fn discard(self) -> StoreResult<()> {
        Ok(self.txn.rollback().await?)
    }

    /// Commits, if the write recorded what it did (raising the data's
    /// generation, so that memoised answers are computed again); otherwise
    /// rolls back.
    pub(crate) async fn commit(self) -> StoreResult<()> {
        if self.events == 0 {
            self.txn.rollback().await?;
            return Err(StoreError::Internal(
                "a write tried to commit without an audit event; nothing was written".into(),
            ));
        }
        crate::memo::raise_generation(&self.txn).await?;
        Ok(self.txn.commit().await?)
    }
}

/// An audit event from its row; a snapshot that is not JSON is `Corrupt`.
pub(crate) fn event_from_row(row: audit_events::Model) -> StoreResult<AuditEvent> {
    let id = row.id;
    let parse = |field: &str, text: Option<String>| {
        text.map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|error| StoreError::corrupt("audit event", id, format!("{field} is not JSON: {error}")))
    };
    Ok(AuditEvent {
        id: row.id.into(),
        occurred_at: row.occurred_at,
        user_id: row.user_id.map(Into::into),
        before: parse("before", row.before)?,
        after: parse("after", row.after)?,
        actor: row.actor,
        entity: row.entity,
        entity_id: row.entity_id,
        action: row.action,
    })
}

/// Which audit events a list holds.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// `organisation`, `representative`, `partnership`, `meeting`,
    /// `follow-up`, `user`, `token`.
    pub entity: Option<String>,
    pub entity_id: Option<Uuid>,
    pub user_id: Option<UserId>,
    /// From this Stockholm day on.
    pub from: Option<chrono::NaiveDate>,
    /// Up to this Stockholm day, inclusive.
    pub to: Option<chrono::NaiveDate>,
}

/// The name on the audit list's cursors.
const SCOPE: &str = "audit";

impl crate::Store {
    /// Audit events, newest first.
    pub async fn audit_trail(
        &self,
        filter: &AuditFilter,
        page: &crate::PageRequest,
    ) -> StoreResult<crate::Page<AuditEvent>> {
        use sea_orm::{ColumnTrait, Order, QueryFilter, QueryOrder, QuerySelect};

        use crate::support::id_after;
        let mut query = audit_events::Entity::find();
        if let Some(entity) = &filter.entity {
            query = query.filter(audit_events::Column::Entity.eq(entity.as_str()));
        }
        if let Some(id) = filter.entity_id {
            query = query.filter(audit_events::Column::EntityId.eq(id));
        }
        if let Some(user) = filter.user_id {
            query = query.filter(audit_events::Column::UserId.eq(user.as_uuid()));
        }
        if let Some(from) = filter.from {
            query = query.filter(audit_events::Column::OccurredAt.gte(time::day_start(from)));
        }
        if let Some(to) = filter.to {
            query = query.filter(audit_events::Column::OccurredAt.lt(time::day_end(to)));
        }
        let start = page.start(SCOPE)?;
        let order = start.order(Order::Desc);
        let rows = query
            .filter(id_after(order.clone(), audit_events::Column::Id, start.cursor))
            .order_by(audit_events::Column::Id, order)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let cursor_of = |row: &audit_events::Model| crate::Cursor::new(SCOPE, String::new(), row.id);
        crate::Page::from_rows(rows, page.limit, &start, cursor_of, event_from_row)
    }
}
