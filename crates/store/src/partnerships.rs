//! Partnerships between two organisations.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, IntoActiveModel, Order, QueryFilter, QueryOrder, QuerySelect,
};

use samverkan_domain::{
    OrganisationId, Partnership, PartnershipDetails, PartnershipId, PartnershipInput, PartnershipKind,
    PartnershipStatus, RecordMeta, ValidationErrors, time,
};

use crate::Store;
use crate::audit::fields;
use crate::entity::{organisations, partnerships, representatives};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::support::{Db, id_after, meta, stored};
use crate::versioned::{Versioned, versioned_record};

const ENTITY: &str = "partnership";
/// The name on this list's cursors.
const SCOPE: &str = "partnerships";

/// Which partnerships a list holds.
#[derive(Debug, Clone, Default)]
pub struct PartnershipFilter {
    /// Only those this organisation is a party to.
    pub organisation_id: Option<OrganisationId>,
    pub status: Option<PartnershipStatus>,
    pub include_archived: bool,
}

fn row(partnership: &Partnership) -> partnerships::Model {
    let details = &partnership.details;
    partnerships::Model {
        id: partnership.id.as_uuid(),
        organisation_a_id: details.organisation_ids[0].as_uuid(),
        organisation_b_id: details.organisation_ids[1].as_uuid(),
        kind: details.kind.as_str().to_owned(),
        status: details.status.as_str().to_owned(),
        started_on: details.started_on,
        ended_on: details.ended_on,
        responsible_representative_id: details.responsible_representative_id.map(|id| id.as_uuid()),
        goals: details.goals.clone(),
        version: partnership.meta.version,
        created_at: partnership.meta.created_at,
        updated_at: partnership.meta.updated_at,
        archived_at: partnership.meta.archived_at,
    }
}

fn from_row(row: partnerships::Model) -> StoreResult<Partnership> {
    let input = PartnershipInput {
        organisation_ids: [
            Some(row.organisation_a_id.into()),
            Some(row.organisation_b_id.into()),
        ],
        kind: Some(stored(ENTITY, row.id, PartnershipKind::parse("kind", &row.kind))?),
        status: Some(stored(
            ENTITY,
            row.id,
            PartnershipStatus::parse("status", &row.status),
        )?),
        started_on: row.started_on,
        ended_on: row.ended_on,
        responsible_representative_id: row.responsible_representative_id.map(Into::into),
        goals: row.goals,
    };
    let details =
        PartnershipDetails::parse(&input).map_err(|error| StoreError::corrupt(ENTITY, row.id, error))?;
    Ok(Partnership {
        id: row.id.into(),
        details,
        meta: meta(row.version, row.created_at, row.updated_at, row.archived_at),
    })
}

async fn find(db: &impl Db, id: PartnershipId) -> StoreResult<Partnership> {
    let row = partnerships::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound {
            entity: ENTITY,
            id: id.as_uuid(),
        })?;
    from_row(row)
}

/// The parties must be live organisations, and the responsible person a
/// live representative.
async fn check_references(db: &impl Db, details: &PartnershipDetails) -> StoreResult<()> {
    let mut errors = ValidationErrors::new();
    for (i, id) in details.organisation_ids.iter().enumerate() {
        let found = organisations::Entity::find_by_id(id.as_uuid()).one(db).await?;
        match found {
            None => errors.add(
                format!("organisation_ids[{i}]"),
                format!("no organisation has the id {id}"),
            ),
            Some(row) if row.archived_at.is_some() => {
                errors.add(
                    format!("organisation_ids[{i}]"),
                    format!("organisation {id} is archived"),
                );
            }
            Some(_) => {}
        }
    }
    if let Some(id) = details.responsible_representative_id {
        let found = representatives::Entity::find_by_id(id.as_uuid()).one(db).await?;
        match found {
            None => errors.add(
                "responsible_representative_id",
                format!("no representative has the id {id}"),
            ),
            Some(row) if row.archived_at.is_some() => {
                errors.add(
                    "responsible_representative_id",
                    format!("representative {id} is archived"),
                );
            }
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

impl Versioned for Partnership {
    versioned_record!(partnerships, PartnershipId, find: find, snapshot: snapshot, row: row);
    type Change = PartnershipDetails;
    const ENTITY: &'static str = ENTITY;

    /// Only references that change are checked: a partnership whose party
    /// was archived can still be ended.
    async fn apply(
        &mut self,
        details: PartnershipDetails,
        _now: DateTime<Utc>,
        db: &impl Db,
    ) -> StoreResult<()> {
        let old = &self.details;
        if details.organisation_ids != old.organisation_ids
            || details.responsible_representative_id != old.responsible_representative_id
        {
            check_references(db, &details).await?;
        }
        self.details = details;
        Ok(())
    }
}

/// Creates a partnership within the caller's transaction.
pub(crate) async fn insert(db: &impl Db, details: PartnershipDetails) -> StoreResult<Partnership> {
    let partnership = Partnership {
        id: PartnershipId::new(),
        details,
        meta: RecordMeta::new(time::now()),
    };
    check_references(db, &partnership.details).await?;
    partnerships::Entity::insert(row(&partnership).into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(partnership)
}

/// The live partnerships between two organisations, in either order.
pub(crate) async fn between(
    db: &impl Db,
    first: OrganisationId,
    second: OrganisationId,
) -> StoreResult<Vec<Partnership>> {
    let (a, b) = (first.as_uuid(), second.as_uuid());
    partnerships::Entity::find()
        .filter(partnerships::Column::ArchivedAt.is_null())
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(partnerships::Column::OrganisationAId.eq(a))
                        .add(partnerships::Column::OrganisationBId.eq(b)),
                )
                .add(
                    Condition::all()
                        .add(partnerships::Column::OrganisationAId.eq(b))
                        .add(partnerships::Column::OrganisationBId.eq(a)),
                ),
        )
        .order_by_asc(partnerships::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(from_row)
        .collect()
}

/// A partnership as the audit trail keeps it.
pub(crate) fn snapshot(partnership: &Partnership) -> StoreResult<serde_json::Value> {
    fields(&row(partnership))
}

impl Store {
    pub async fn create_partnership(&self, details: PartnershipDetails) -> StoreResult<Partnership> {
        let mut txn = self.begin_write().await?;
        let partnership = insert(&*txn, details).await?;
        txn.audit(
            ENTITY,
            partnership.id.as_uuid(),
            "create",
            None,
            Some(snapshot(&partnership)?),
        )
        .await?;
        txn.commit().await?;
        Ok(partnership)
    }

    pub async fn partnership(&self, id: PartnershipId) -> StoreResult<Partnership> {
        find(&self.db, id).await
    }

    pub async fn update_partnership(
        &self,
        id: PartnershipId,
        expected_version: i32,
        details: PartnershipDetails,
    ) -> StoreResult<Partnership> {
        self.revise(id, expected_version, details).await
    }

    pub async fn archive_partnership(
        &self,
        id: PartnershipId,
        expected_version: Option<i32>,
    ) -> StoreResult<Partnership> {
        self.archive(id, expected_version).await
    }

    /// Partnerships, oldest first.
    pub async fn list_partnerships(
        &self,
        filter: &PartnershipFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Partnership>> {
        let mut query = partnerships::Entity::find();
        if !filter.include_archived {
            query = query.filter(partnerships::Column::ArchivedAt.is_null());
        }
        if let Some(organisation_id) = filter.organisation_id {
            query = query.filter(
                Condition::any()
                    .add(partnerships::Column::OrganisationAId.eq(organisation_id.as_uuid()))
                    .add(partnerships::Column::OrganisationBId.eq(organisation_id.as_uuid())),
            );
        }
        if let Some(status) = filter.status {
            query = query.filter(partnerships::Column::Status.eq(status.as_str()));
        }
        let start = page.start(SCOPE)?;
        let order = start.order(Order::Asc);
        let rows = query
            .filter(id_after(order.clone(), partnerships::Column::Id, start.cursor))
            .order_by(partnerships::Column::Id, order)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let cursor_of = |row: &partnerships::Model| Cursor::new(SCOPE, String::new(), row.id);
        Page::from_rows(rows, page.limit, &start, cursor_of, from_row)
    }
}
