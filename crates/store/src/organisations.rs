//! Organisations: create, read, update under a version, archive, list.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, Order, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use samverkan_domain::{
    Organisation, OrganisationDetails, OrganisationId, OrganisationInput, OrganisationKind, OrganisationName,
    RecordMeta, text, time,
};

use crate::Store;
use crate::audit::{Write, fields_with};
use crate::entity::{organisation_tags, organisations};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::support::{Db, folded_contains, keyset_after, meta, search_text, stored};
use crate::versioned::{Versioned, WriteKind, versioned_record};

const ENTITY: &str = "organisation";
/// The name on this list's cursors.
const SCOPE: &str = "organisations";

/// Which organisations a list holds.
#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    /// Matches name, short name and city, ignoring case and accents.
    pub q: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub tag: Option<String>,
    pub include_archived: bool,
}

fn row(organisation: &Organisation) -> organisations::Model {
    let details = &organisation.details;
    organisations::Model {
        id: organisation.id.as_uuid(),
        name: details.name.as_str().to_owned(),
        name_folded: details.name.folded(),
        name_sort: details.name.sort_key(),
        short_name: details.short_name.clone(),
        kind: details.kind.as_str().to_owned(),
        organisation_number: details.organisation_number.as_ref().map(ToString::to_string),
        website: details.website.as_ref().map(ToString::to_string),
        city: details.city.clone(),
        description: details.description.clone(),
        search_text: search_text([
            Some(details.name.as_str()),
            details.short_name.as_deref(),
            details.city.as_deref(),
        ]),
        version: organisation.meta.version,
        created_at: organisation.meta.created_at,
        updated_at: organisation.meta.updated_at,
        archived_at: organisation.meta.archived_at,
    }
}

fn tag_rows(organisation: &Organisation) -> Vec<organisation_tags::Model> {
    organisation
        .details
        .tags
        .iter()
        .map(|tag| organisation_tags::Model {
            organisation_id: organisation.id.as_uuid(),
            tag: tag.as_str().to_owned(),
        })
        .collect()
}

fn from_row(row: organisations::Model, tags: Vec<String>) -> StoreResult<Organisation> {
    let kind = stored(ENTITY, row.id, OrganisationKind::parse("kind", &row.kind))?;
    let input = OrganisationInput {
        name: row.name,
        short_name: row.short_name,
        kind: Some(kind),
        organisation_number: row.organisation_number,
        website: row.website,
        city: row.city,
        description: row.description,
        tags,
    };
    let details =
        OrganisationDetails::parse(&input).map_err(|error| StoreError::corrupt(ENTITY, row.id, error))?;
    Ok(Organisation {
        id: row.id.into(),
        details,
        meta: meta(row.version, row.created_at, row.updated_at, row.archived_at),
    })
}

async fn tags_of(db: &impl Db, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, Vec<String>>> {
    let mut by_organisation: HashMap<Uuid, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_organisation);
    }
    let rows = organisation_tags::Entity::find()
        .filter(organisation_tags::Column::OrganisationId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    for row in rows {
        by_organisation
            .entry(row.organisation_id)
            .or_default()
            .push(row.tag);
    }
    Ok(by_organisation)
}

async fn load_many(db: &impl Db, rows: Vec<organisations::Model>) -> StoreResult<Vec<Organisation>> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut tags = tags_of(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let row_tags = tags.remove(&row.id).unwrap_or_default();
            from_row(row, row_tags)
        })
        .collect()
}

pub(crate) async fn find(db: &impl Db, id: OrganisationId) -> StoreResult<Organisation> {
    // One statement (a join), not two: reads by id are the hottest path.
    let (row, tags) = organisations::Entity::find_by_id(id.as_uuid())
        .find_with_related(organisation_tags::Entity)
        .all(db)
        .await?
        .pop()
        .ok_or(StoreError::NotFound {
            entity: ENTITY,
            id: id.as_uuid(),
        })?;
    from_row(row, tags.into_iter().map(|tag| tag.tag).collect())
}

/// Fails with a duplicate if a live organisation other than `except` has
/// this name, compared folded. The unique index enforces the same under
/// races; this check gives the friendlier message.
async fn ensure_name_free(
    db: &impl Db,
    name: &OrganisationName,
    except: Option<OrganisationId>,
) -> StoreResult<()> {
    let mut query = organisations::Entity::find()
        .filter(organisations::Column::NameFolded.eq(name.folded()))
        .filter(organisations::Column::ArchivedAt.is_null());
    if let Some(except) = except {
        query = query.filter(organisations::Column::Id.ne(except.as_uuid()));
    }
    match query.one(db).await? {
        Some(existing) => Err(StoreError::Duplicate {
            field: "name".into(),
            message: format!(
                "an organisation named \"{}\" already exists ({})",
                existing.name, existing.id
            ),
        }),
        None => Ok(()),
    }
}

async fn replace_tags(db: &impl Db, organisation: &Organisation) -> StoreResult<()> {
    organisation_tags::Entity::delete_many()
        .filter(organisation_tags::Column::OrganisationId.eq(organisation.id.as_uuid()))
        .exec(db)
        .await?;
    let tags = tag_rows(organisation);
    if !tags.is_empty() {
        organisation_tags::Entity::insert_many(tags.into_iter().map(organisation_tags::ActiveModel::from))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

impl Versioned for Organisation {
    versioned_record!(organisations, OrganisationId, find: find, snapshot: snapshot, row: row);
    type Change = OrganisationDetails;
    const ENTITY: &'static str = ENTITY;

    async fn apply(
        &mut self,
        details: OrganisationDetails,
        _now: DateTime<Utc>,
        db: &impl Db,
    ) -> StoreResult<()> {
        ensure_name_free(db, &details.name, Some(self.id)).await?;
        self.details = details;
        Ok(())
    }

    async fn after_write(&self, kind: WriteKind, db: &impl Db) -> StoreResult<()> {
        if kind == WriteKind::Revise {
            replace_tags(db, self).await?;
        }
        Ok(())
    }
}

/// Creates an organisation within the caller's transaction.
pub(crate) async fn insert(db: &impl Db, details: OrganisationDetails) -> StoreResult<Organisation> {
    insert_as(db, OrganisationId::new(), details).await
}

/// [`insert`] with an id chosen beforehand, so that a meeting logged in the
/// same transaction can name the organisation before it exists.
pub(crate) async fn insert_as(
    db: &impl Db,
    id: OrganisationId,
    details: OrganisationDetails,
) -> StoreResult<Organisation> {
    let organisation = Organisation {
        id,
        details,
        meta: RecordMeta::new(time::now()),
    };
    ensure_name_free(db, &organisation.details.name, None).await?;
    organisations::Entity::insert(row(&organisation).into_active_model())
        .exec_without_returning(db)
        .await?;
    replace_tags(db, &organisation).await?;
    Ok(organisation)
}

/// The live organisation with this name, compared folded.
pub(crate) async fn find_by_name(db: &impl Db, name: &str) -> StoreResult<Option<Organisation>> {
    let row = organisations::Entity::find()
        .filter(organisations::Column::NameFolded.eq(text::fold(name)))
        .filter(organisations::Column::ArchivedAt.is_null())
        .one(db)
        .await?;
    match row {
        Some(row) => Ok(load_many(db, vec![row]).await?.pop()),
        None => Ok(None),
    }
}

/// An organisation as the audit trail keeps it.
pub(crate) fn snapshot(organisation: &Organisation) -> StoreResult<serde_json::Value> {
    let tags: Vec<String> = tag_rows(organisation).into_iter().map(|row| row.tag).collect();
    fields_with(&row(organisation), [("tags", serde_json::json!(tags))])
}

/// Creates an organisation and records it in the audit trail, within the
/// caller's transaction.
pub(crate) async fn create(
    txn: &mut Write,
    id: OrganisationId,
    details: OrganisationDetails,
) -> StoreResult<Organisation> {
    let organisation = insert_as(&**txn, id, details).await?;
    txn.audit(
        ENTITY,
        organisation.id.as_uuid(),
        "create",
        None,
        Some(snapshot(&organisation)?),
    )
    .await?;
    Ok(organisation)
}

impl Store {
    pub async fn create_organisation(&self, details: OrganisationDetails) -> StoreResult<Organisation> {
        let mut txn = self.begin_write().await?;
        let organisation = create(&mut txn, OrganisationId::new(), details).await?;
        txn.commit().await?;
        Ok(organisation)
    }

    pub async fn organisation(&self, id: OrganisationId) -> StoreResult<Organisation> {
        find(&self.db, id).await
    }

    /// The live organisation with this name, compared folded.
    pub async fn organisation_by_name(&self, name: &str) -> StoreResult<Option<Organisation>> {
        find_by_name(&self.db, name).await
    }

    /// The ids of the live organisations named among `names`, by folded
    /// name, in one read (the meeting form's organisations).
    pub async fn organisations_named(&self, names: &[&str]) -> StoreResult<HashMap<String, OrganisationId>> {
        if names.is_empty() {
            return Ok(HashMap::new());
        }
        let folded: Vec<String> = names.iter().map(|name| text::fold(name.trim())).collect();
        let rows: Vec<(Uuid, String)> = organisations::Entity::find()
            .select_only()
            .column(organisations::Column::Id)
            .column(organisations::Column::NameFolded)
            .filter(organisations::Column::NameFolded.is_in(folded))
            .filter(organisations::Column::ArchivedAt.is_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| (name, OrganisationId::from(id)))
            .collect())
    }

    /// Replaces an organisation's fields, if it is still at `expected_version`.
    pub async fn update_organisation(
        &self,
        id: OrganisationId,
        expected_version: i32,
        details: OrganisationDetails,
    ) -> StoreResult<Organisation> {
        self.revise(id, expected_version, details).await
    }

    /// Archives an organisation: it keeps its history and frees its name,
    /// but can no longer be added to new meetings. Archiving an archived
    /// organisation changes nothing.
    pub async fn archive_organisation(
        &self,
        id: OrganisationId,
        expected_version: Option<i32>,
    ) -> StoreResult<Organisation> {
        self.archive(id, expected_version).await
    }

    /// Organisations in Swedish alphabetical order of their names.
    pub async fn list_organisations(
        &self,
        filter: &OrganisationFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Organisation>> {
        let mut query = organisations::Entity::find();
        if !filter.include_archived {
            query = query.filter(organisations::Column::ArchivedAt.is_null());
        }
        if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
            query = query.filter(folded_contains(organisations::Column::SearchText, q));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(organisations::Column::Kind.eq(kind.as_str()));
        }
        if let Some(tag) = filter.tag.as_deref() {
            query = query.filter(
                Expr::col((organisations::Entity, organisations::Column::Id)).in_subquery(
                    Query::select()
                        .column(organisation_tags::Column::OrganisationId)
                        .from(organisation_tags::Entity)
                        .and_where(
                            Expr::col(organisation_tags::Column::Tag)
                                .eq(samverkan_domain::Tag::normalize(tag)),
                        )
                        .take(),
                ),
            );
        }
        let start = page.start(SCOPE)?;
        let order = start.order(Order::Asc);
        let rows = query
            .filter(keyset_after(
                order.clone(),
                organisations::Column::NameSort,
                organisations::Column::Id,
                start.cursor.map(|c| (c.key.clone(), c.id)).as_ref(),
            ))
            .order_by(organisations::Column::NameSort, order.clone())
            .order_by(organisations::Column::Id, order)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let cursor_of = |row: &organisations::Model| Cursor::new(SCOPE, row.name_sort.clone(), row.id);
        let mut page_rows = Page::from_rows(rows, page.limit, &start, cursor_of, Ok)?;
        let items = load_many(&self.db, std::mem::take(&mut page_rows.items)).await?;
        Ok(page_rows.with_items(items))
    }
}
