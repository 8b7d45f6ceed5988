//! Representatives and the history of their affiliations.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, Order, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use uuid::Uuid;

use samverkan_domain::{
    Affiliation, AffiliationChange, OrganisationId, RecordMeta, Representative, RepresentativeDraft,
    RepresentativeId, RepresentativeInput, ValidationErrors, time,
};

use crate::Store;
use crate::audit::{Write, fields, fields_with};
use crate::entity::{affiliations, organisations, representatives};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::support::{Db, folded_contains, keyset_after, meta, search_text};
use crate::versioned::{Versioned, versioned_record};

const ENTITY: &str = "representative";
/// The name on this list's cursors.
const SCOPE: &str = "representatives";

/// Which representatives a list holds.
#[derive(Debug, Clone, Default)]
pub struct RepresentativeFilter {
    /// Matches name, current title and e-mail, ignoring case and accents.
    pub q: Option<String>,
    /// Only those currently representing this organisation.
    pub organisation_id: Option<OrganisationId>,
    pub include_archived: bool,
}

fn row(representative: &Representative) -> representatives::Model {
    let details = &representative.details;
    representatives::Model {
        id: representative.id.as_uuid(),
        full_name: details.full_name.as_str().to_owned(),
        full_name_sort: details.full_name.sort_key(),
        email: details.email.as_ref().map(ToString::to_string),
        phone: details.phone.as_ref().map(ToString::to_string),
        notes: details.notes.clone(),
        is_minor: details.is_minor,
        search_text: search_text([
            Some(details.full_name.as_str()),
            representative.affiliation.title.as_deref(),
            details.email.as_ref().map(|email| email.as_str()),
        ]),
        version: representative.meta.version,
        created_at: representative.meta.created_at,
        updated_at: representative.meta.updated_at,
        archived_at: representative.meta.archived_at,
        restricted_at: representative.restricted_at,
        erased_at: representative.erased_at,
    }
}

pub(crate) fn affiliation_row(affiliation: &Affiliation) -> affiliations::Model {
    affiliations::Model {
        id: affiliation.id.as_uuid(),
        representative_id: affiliation.representative_id.as_uuid(),
        organisation_id: affiliation.organisation_id.as_uuid(),
        title: affiliation.title.clone(),
        started_on: affiliation.started_on,
        ended_on: affiliation.ended_on,
    }
}

pub(crate) fn affiliation_from_row(row: affiliations::Model) -> Affiliation {
    Affiliation {
        id: row.id.into(),
        representative_id: row.representative_id.into(),
        organisation_id: row.organisation_id.into(),
        title: row.title,
        started_on: row.started_on,
        ended_on: row.ended_on,
    }
}

fn from_row(row: representatives::Model, affiliation: Affiliation) -> StoreResult<Representative> {
    let input = RepresentativeInput {
        full_name: row.full_name,
        organisation_id: Some(affiliation.organisation_id),
        title: affiliation.title.clone(),
        email: row.email,
        phone: row.phone,
        notes: row.notes,
        is_minor: row.is_minor,
    };
    let draft =
        RepresentativeDraft::parse(&input).map_err(|error| StoreError::corrupt(ENTITY, row.id, error))?;
    Ok(Representative {
        id: row.id.into(),
        details: draft.details,
        affiliation,
        meta: meta(row.version, row.created_at, row.updated_at, row.archived_at),
        restricted_at: row.restricted_at,
        erased_at: row.erased_at,
    })
}

async fn current_affiliations(db: &impl Db, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, Affiliation>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = affiliations::Entity::find()
        .filter(affiliations::Column::RepresentativeId.is_in(ids.iter().copied()))
        .filter(affiliations::Column::EndedOn.is_null())
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.representative_id, affiliation_from_row(row)))
        .collect())
}

async fn load_many(db: &impl Db, rows: Vec<representatives::Model>) -> StoreResult<Vec<Representative>> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut current = current_affiliations(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let affiliation = current
                .remove(&row.id)
                .ok_or_else(|| StoreError::corrupt(ENTITY, row.id, "has no current affiliation"))?;
            from_row(row, affiliation)
        })
        .collect()
}

/// The people `ids` (archived ones too), by id.
pub(crate) async fn by_id(
    db: &impl Db,
    ids: impl IntoIterator<Item = Uuid>,
) -> StoreResult<HashMap<Uuid, Representative>> {
    let rows = representatives::Entity::find()
        .filter(representatives::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(load_many(db, rows)
        .await?
        .into_iter()
        .map(|person| (person.id.as_uuid(), person))
        .collect())
}

pub(crate) async fn find(db: &impl Db, id: RepresentativeId) -> StoreResult<Representative> {
    let not_found = || StoreError::NotFound {
        entity: ENTITY,
        id: id.as_uuid(),
    };
    let row = representatives::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    load_many(db, vec![row]).await?.pop().ok_or_else(not_found)
}

/// Every affiliation of the given people, earliest first.
pub(crate) async fn affiliations_of(
    db: &impl Db,
    ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<Affiliation>>> {
    let mut by_person: HashMap<Uuid, Vec<Affiliation>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_person);
    }
    let rows = affiliations::Entity::find()
        .filter(affiliations::Column::RepresentativeId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    for row in rows {
        by_person
            .entry(row.representative_id)
            .or_default()
            .push(affiliation_from_row(row));
    }
    // Sorted here, not in SQL: the first period has no start date, and the
    // backends disagree on where NULLs sort.
    for periods in by_person.values_mut() {
        periods.sort_by_key(|period| (period.started_on, period.id));
    }
    Ok(by_person)
}

/// Fails with a validation error unless `id` is a live organisation.
async fn ensure_live_organisation(db: &impl Db, field: &str, id: OrganisationId) -> StoreResult<()> {
    let archived_at: Option<Option<DateTime<Utc>>> = organisations::Entity::find_by_id(id.as_uuid())
        .select_only()
        .column(organisations::Column::ArchivedAt)
        .into_tuple()
        .one(db)
        .await?;
    let mut errors = ValidationErrors::new();
    match archived_at {
        None => errors.add(field, format!("no organisation has the id {id}")),
        Some(Some(_)) => errors.add(field, format!("organisation {id} is archived")),
        Some(None) => return Ok(()),
    }
    Err(errors.into())
}

/// Creates a representative, and their first affiliation, within the
impl Versioned for Representative {
    versioned_record!(representatives, RepresentativeId, find: find, snapshot: snapshot, row: row);
    /// The fields, and the day a new organisation or title applies from
    /// (`None`: the day of the change).
    type Change = (RepresentativeDraft, Option<NaiveDate>);
    const ENTITY: &'static str = ENTITY;

    /// A new organisation or title ends the current affiliation on the day
    /// it applies from (Stockholm; the day of the change unless another is
    /// named) and starts another, so past meetings keep the old one.
    async fn apply(
        &mut self,
        (draft, moves_on): (RepresentativeDraft, Option<NaiveDate>),
        now: DateTime<Utc>,
        db: &impl Db,
    ) -> StoreResult<()> {
        crate::privacy::refuse_erased(self)?;
        if draft.organisation_id != self.affiliation.organisation_id {
            ensure_live_organisation(db, "organisation_id", draft.organisation_id).await?;
        }
        let today = time::local_date(now);
        let change = self
            .affiliation
            .move_on(
                draft.organisation_id,
                draft.title,
                moves_on.unwrap_or(today),
                today,
            )
            .map_err(ValidationErrors::from)?;
        match change {
            AffiliationChange::Unchanged => {}
            AffiliationChange::Corrected(corrected) => {
                affiliations::Entity::update(affiliation_row(&corrected).into_active_model().reset_all())
                    .exec(db)
                    .await?;
                self.affiliation = corrected;
            }
            AffiliationChange::Succeeded { ended, started } => {
                affiliations::Entity::update(affiliations::ActiveModel {
                    id: sea_orm::Unchanged(ended.id.as_uuid()),
                    ended_on: Set(ended.ended_on),
                    ..Default::default()
                })
                .exec(db)
                .await?;
                affiliations::Entity::insert(affiliation_row(&started).into_active_model())
                    .exec_without_returning(db)
                    .await?;
                self.affiliation = started;
            }
        }
        self.details = draft.details;
        Ok(())
    }
}

/// Creates a representative, with their first affiliation, within the
/// caller's transaction.
pub(crate) async fn insert(db: &impl Db, draft: RepresentativeDraft) -> StoreResult<Representative> {
    insert_as(db, RepresentativeId::new(), draft).await
}

/// [`insert`] with an id chosen beforehand, so that a meeting logged in the
/// same transaction can name the person before they exist.
pub(crate) async fn insert_as(
    db: &impl Db,
    id: RepresentativeId,
    draft: RepresentativeDraft,
) -> StoreResult<Representative> {
    let representative = Representative {
        id,
        affiliation: Affiliation::first(id, draft.organisation_id, draft.title),
        details: draft.details,
        meta: RecordMeta::new(time::now()),
        restricted_at: None,
        erased_at: None,
    };
    ensure_live_organisation(db, "organisation_id", representative.affiliation.organisation_id).await?;
    representatives::Entity::insert(row(&representative).into_active_model())
        .exec_without_returning(db)
        .await?;
    affiliations::Entity::insert(affiliation_row(&representative.affiliation).into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(representative)
}

/// The live people of this name (compared folded) who now represent
/// `organisation_id`.
pub(crate) async fn find_by_name(
    db: &impl Db,
    organisation_id: OrganisationId,
    full_name: &str,
) -> StoreResult<Vec<Representative>> {
    let candidates = representatives::Entity::find()
        .filter(folded_contains(representatives::Column::SearchText, full_name))
        .filter(representatives::Column::ArchivedAt.is_null())
        .all(db)
        .await?;
    let wanted = samverkan_domain::text::fold(full_name);
    Ok(load_many(db, candidates)
        .await?
        .into_iter()
        .filter(|person| {
            person.affiliation.organisation_id == organisation_id
                && person.details.full_name.folded() == wanted
        })
        .collect())
}

/// A representative as the audit trail keeps it, with the current
/// affiliation.
pub(crate) fn snapshot(representative: &Representative) -> StoreResult<serde_json::Value> {
    let affiliation = fields(&affiliation_row(&representative.affiliation))?;
    fields_with(&row(representative), [("affiliation", affiliation)])
}

/// Creates a representative and records it in the audit trail, within the
/// caller's transaction.
pub(crate) async fn create(
    txn: &mut Write,
    id: RepresentativeId,
    draft: RepresentativeDraft,
) -> StoreResult<Representative> {
    let representative = insert_as(&**txn, id, draft).await?;
    txn.audit(
        ENTITY,
        representative.id.as_uuid(),
        "create",
        None,
        Some(snapshot(&representative)?),
    )
    .await?;
    Ok(representative)
}

impl Store {
    pub async fn create_representative(&self, draft: RepresentativeDraft) -> StoreResult<Representative> {
        let mut txn = self.begin_write().await?;
        let representative = create(&mut txn, RepresentativeId::new(), draft).await?;
        txn.commit().await?;
        Ok(representative)
    }

    /// The live people who may join a new meeting (not archived, restricted
    /// or erased) whose names are among `names`, compared folded (case and
    /// accents do not matter), in one read: the meeting form finds its
    /// attendees by name with it.
    pub async fn people_named(&self, names: &[&str]) -> StoreResult<Vec<Representative>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: std::collections::HashSet<String> = names
            .iter()
            .map(|name| samverkan_domain::text::fold(name.trim()))
            .collect();
        // The sort key is a function of the folded name, and indexed.
        let keys: Vec<String> = names
            .iter()
            .map(|name| samverkan_domain::text::sort_key(name.trim()))
            .collect();
        let rows = representatives::Entity::find()
            .filter(representatives::Column::FullNameSort.is_in(keys))
            .filter(representatives::Column::ArchivedAt.is_null())
            .filter(representatives::Column::RestrictedAt.is_null())
            .filter(representatives::Column::ErasedAt.is_null())
            .all(&self.db)
            .await?;
        Ok(load_many(&self.db, rows)
            .await?
            .into_iter()
            .filter(|person| wanted.contains(&person.details.full_name.folded()))
            .collect())
    }

    pub async fn representative(&self, id: RepresentativeId) -> StoreResult<Representative> {
        find(&self.db, id).await
    }

    /// Whom the person has represented, earliest first; the last is current.
    pub async fn affiliations(&self, id: RepresentativeId) -> StoreResult<Vec<Affiliation>> {
        find(&self.db, id).await?;
        Ok(affiliations_of(&self.db, &[id.as_uuid()])
            .await?
            .remove(&id.as_uuid())
            .unwrap_or_default())
    }

    /// The people who once represented the organisation and no longer do,
    /// each with the period that ended, latest end first (one row per
    /// period: someone who left twice is there twice). Someone who
    /// represents it again is current, not former, and left out; archived
    /// people are kept, as history.
    pub async fn former_affiliations(
        &self,
        organisation_id: OrganisationId,
    ) -> StoreResult<Vec<(Representative, Affiliation)>> {
        let org = organisation_id.as_uuid();
        let current = Query::select()
            .column(affiliations::Column::RepresentativeId)
            .from(affiliations::Entity)
            .and_where(Expr::col(affiliations::Column::OrganisationId).eq(org))
            .and_where(Expr::col(affiliations::Column::EndedOn).is_null())
            .take();
        let ended = affiliations::Entity::find()
            .filter(affiliations::Column::OrganisationId.eq(org))
            .filter(affiliations::Column::EndedOn.is_not_null())
            .filter(
                Expr::col((affiliations::Entity, affiliations::Column::RepresentativeId))
                    .not_in_subquery(current),
            )
            // Ids grow with time: of two periods ending on one day, the
            // later made first.
            .order_by_desc(affiliations::Column::EndedOn)
            .order_by_desc(affiliations::Column::Id)
            .all(&self.db)
            .await?;
        // An affiliation refers to its organisation, so only when there is
        // none need the organisation be looked for (a round trip saved on
        // its page, which has just read it).
        if ended.is_empty() {
            crate::organisations::find(&self.db, organisation_id).await?;
            return Ok(Vec::new());
        }
        let people = by_id(&self.db, ended.iter().map(|row| row.representative_id)).await?;
        ended
            .into_iter()
            .map(|row| {
                let person = people.get(&row.representative_id).cloned().ok_or_else(|| {
                    StoreError::corrupt("affiliation", row.id, "names a representative who is not there")
                })?;
                Ok((person, affiliation_from_row(row)))
            })
            .collect()
    }

    /// Replaces a representative's fields, if still at `expected_version`. A
    /// new organisation or title ends the current affiliation today
    /// (Stockholm) and starts another, so past meetings keep the old one.
    pub async fn update_representative(
        &self,
        id: RepresentativeId,
        expected_version: i32,
        draft: RepresentativeDraft,
    ) -> StoreResult<Representative> {
        self.revise(id, expected_version, (draft, None)).await
    }

    /// [`Self::update_representative`], a new organisation or title
    /// applying from `moves_on` (a Stockholm day, not after today and not
    /// before the current affiliation began): "moves to Vattenfall from 1
    /// September". Meetings already logged keep the organisation they
    /// recorded.
    pub async fn update_representative_from(
        &self,
        id: RepresentativeId,
        expected_version: i32,
        draft: RepresentativeDraft,
        moves_on: NaiveDate,
    ) -> StoreResult<Representative> {
        self.revise(id, expected_version, (draft, Some(moves_on))).await
    }

    /// Archives a representative: past meetings keep them; new ones cannot
    /// add them.
    pub async fn archive_representative(
        &self,
        id: RepresentativeId,
        expected_version: Option<i32>,
    ) -> StoreResult<Representative> {
        self.archive(id, expected_version).await
    }

    /// Representatives in Swedish alphabetical order of their names.
    pub async fn list_representatives(
        &self,
        filter: &RepresentativeFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Representative>> {
        let mut query = representatives::Entity::find();
        if !filter.include_archived {
            query = query.filter(representatives::Column::ArchivedAt.is_null());
        }
        // Restricted people (GDPR Art. 18) are in no list; they are reached
        // by id alone.
        query = query.filter(representatives::Column::RestrictedAt.is_null());
        if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
            query = query.filter(folded_contains(representatives::Column::SearchText, q));
        }
        if let Some(organisation_id) = filter.organisation_id {
            query = query.filter(
                Expr::col((representatives::Entity, representatives::Column::Id)).in_subquery(
                    Query::select()
                        .column(affiliations::Column::RepresentativeId)
                        .from(affiliations::Entity)
                        .and_where(
                            Expr::col(affiliations::Column::OrganisationId).eq(organisation_id.as_uuid()),
                        )
                        .and_where(Expr::col(affiliations::Column::EndedOn).is_null())
                        .take(),
                ),
            );
        }
        let start = page.start(SCOPE)?;
        let order = start.order(Order::Asc);
        let rows = query
            .filter(keyset_after(
                order.clone(),
                representatives::Column::FullNameSort,
                representatives::Column::Id,
                start.cursor.map(|c| (c.key.clone(), c.id)).as_ref(),
            ))
            .order_by(representatives::Column::FullNameSort, order.clone())
            .order_by(representatives::Column::Id, order)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let cursor_of = |row: &representatives::Model| Cursor::new(SCOPE, row.full_name_sort.clone(), row.id);
        let mut page_rows = Page::from_rows(rows, page.limit, &start, cursor_of, Ok)?;
        let items = load_many(&self.db, std::mem::take(&mut page_rows.items)).await?;
        Ok(page_rows.with_items(items))
    }
}
