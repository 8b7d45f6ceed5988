//! The one write path for versioned records: organisations,
//! representatives, partnerships, meetings (their own fields) and
//! follow-ups. Each is changed only by [`Store::revise`] and archived only
//! by [`Store::archive`], so the rules that matter most hold in one place:
//! a stale version changes nothing (409), an archived record is not
//! changed, every write is audited with what was before and after, and the
//! whole write is one transaction. (A meeting's parts — attendees, agenda,
//! outcomes — go through `edit_meeting`, built the same way.)

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Value};
use uuid::Uuid;

use samverkan_domain::{RecordMeta, time};

use crate::Store;
use crate::audit::Write;
use crate::error::StoreResult;
use crate::support::{Db, check_version, guarded_update, refuse_archived};

/// Which write a record's [`Versioned::after_write`] follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteKind {
    Revise,
    Archive,
}

/// A record stored in a row of its own with a version, `updated_at` and
/// `archived_at`, read and written through the domain's types.
pub(crate) trait Versioned: Sized + Send + Sync {
    /// Its table.
    type Entity: EntityTrait<ActiveModel: Default + Send, Column: Send>;
    /// Its id type.
    type Id: Copy + Send + Sync;
    /// What a revision brings: the record's validated fields.
    type Change: Send;

    /// Its name in errors and the audit trail.
    const ENTITY: &'static str;

    fn uuid(id: Self::Id) -> Uuid;
    /// This record's id.
    fn uuid_of(&self) -> Uuid;
    fn meta(&self) -> &RecordMeta;
    fn meta_mut(&mut self) -> &mut RecordMeta;

    /// The columns every such table has.
    fn id_column() -> <Self::Entity as EntityTrait>::Column;
    fn version_column() -> <Self::Entity as EntityTrait>::Column;
    fn updated_at_column() -> <Self::Entity as EntityTrait>::Column;
    fn archived_at_column() -> <Self::Entity as EntityTrait>::Column;

    /// The record by id, archived or not (`NotFound` when there is none).
    fn load(db: &impl Db, id: Self::Id) -> impl Future<Output = StoreResult<Self>> + Send;

    /// What the audit trail keeps of it.
    fn snapshot(&self) -> StoreResult<serde_json::Value>;

    /// Its whole row, every column set.
    fn row(&self) -> <Self::Entity as EntityTrait>::ActiveModel;

    /// Checks `change` against the other records it refers to and applies
    /// it (writing, for a representative, the affiliation it changes).
    fn apply(
        &mut self,
        change: Self::Change,
        now: DateTime<Utc>,
        db: &impl Db,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Keeps in step what the record has outside its row (tags, links, the
    /// engagement read model), after its row was written.
    fn after_write(&self, _kind: WriteKind, _db: &impl Db) -> impl Future<Output = StoreResult<()>> + Send {
        async { Ok(()) }
    }
}

/// Implements what every [`Versioned`] record has alike: its table's usual
/// columns (`id`, `version`, `updated_at`, `archived_at`), its id type (a
/// typed UUID), its `meta` field, and its module's `find`, `snapshot` and
/// `row` functions (each record's own mapping).
macro_rules! versioned_record {
    ($entity:ident, $id:ty, find: $find:path, snapshot: $snapshot:path, row: $row:path) => {
        type Entity = $entity::Entity;
        type Id = $id;

        fn id_column() -> $entity::Column {
            $entity::Column::Id
        }

        fn version_column() -> $entity::Column {
            $entity::Column::Version
        }

        fn updated_at_column() -> $entity::Column {
            $entity::Column::UpdatedAt
        }

        fn archived_at_column() -> $entity::Column {
            $entity::Column::ArchivedAt
        }

        fn uuid(id: $id) -> uuid::Uuid {
            id.as_uuid()
        }

        fn uuid_of(&self) -> uuid::Uuid {
            self.id.as_uuid()
        }

        fn meta(&self) -> &samverkan_domain::RecordMeta {
            &self.meta
        }

        fn meta_mut(&mut self) -> &mut samverkan_domain::RecordMeta {
            &mut self.meta
        }

        async fn load(db: &impl $crate::support::Db, id: $id) -> $crate::error::StoreResult<Self> {
            $find(db, id).await
        }

        fn snapshot(&self) -> $crate::error::StoreResult<serde_json::Value> {
            $snapshot(self)
        }

        fn row(&self) -> $entity::ActiveModel {
            sea_orm::IntoActiveModel::into_active_model($row(self))
        }
    };
}
pub(crate) use versioned_record;

impl Store {
    /// Applies `change` to the record `id` if it is still at
    /// `expected_version` and not archived: one version up, audited as
    /// `update`.
    pub(crate) async fn revise<R: Versioned>(
        &self,
        id: R::Id,
        expected_version: i32,
        change: R::Change,
    ) -> StoreResult<R> {
        let uuid = R::uuid(id);
        let txn = self.begin_write().await?;
        let mut record = R::load(&*txn, id).await?;
        check_version(R::ENTITY, uuid, expected_version, record.meta())?;
        refuse_archived(R::ENTITY, uuid, record.meta())?;
        let before = record.snapshot()?;
        let now = time::now();
        record.apply(change, now, &*txn).await?;
        let meta = record.meta_mut();
        meta.version += 1;
        meta.updated_at = now;
        let changes = record.row().reset_all();
        write(txn, &record, expected_version, changes, WriteKind::Revise, before).await?;
        Ok(record)
    }

    /// Archives the record `id` (at `expected_version`, when given): it
    /// keeps its history but takes part in nothing new. Archiving an
    /// archived record changes nothing.
    pub(crate) async fn archive<R: Versioned>(
        &self,
        id: R::Id,
        expected_version: Option<i32>,
    ) -> StoreResult<R> {
        let uuid = R::uuid(id);
        let txn = self.begin_write().await?;
        let mut record = R::load(&*txn, id).await?;
        let version = expected_version.unwrap_or(record.meta().version);
        check_version(R::ENTITY, uuid, version, record.meta())?;
        if record.meta().is_archived() {
            return Ok(record);
        }
        let before = record.snapshot()?;
        let now = time::now();
        let meta = record.meta_mut();
        meta.archived_at = Some(now);
        meta.updated_at = now;
        meta.version += 1;
        let mut changes = <<R::Entity as EntityTrait>::ActiveModel as Default>::default();
        changes.set(R::archived_at_column(), Value::from(Some(now)));
        changes.set(R::updated_at_column(), Value::from(now));
        changes.set(R::version_column(), Value::from(record.meta().version));
        write(txn, &record, version, changes, WriteKind::Archive, before).await?;
        Ok(record)
    }
}

/// The end every versioned write shares: the row under its expected
/// version, what the record keeps beside it, the audit event (what was
/// `before`, and is now), the commit.
async fn write<R: Versioned>(
    mut txn: Write,
    record: &R,
    expected_version: i32,
    changes: <R::Entity as EntityTrait>::ActiveModel,
    kind: WriteKind,
    before: serde_json::Value,
) -> StoreResult<()> {
    let uuid = record.uuid_of();
    guarded_update(
        &txn,
        R::ENTITY,
        R::id_column(),
        R::version_column(),
        uuid,
        expected_version,
        changes,
    )
    .await?;
    record.after_write(kind, &*txn).await?;
    let action = match kind {
        WriteKind::Revise => "update",
        WriteKind::Archive => "archive",
    };
    txn.audit(R::ENTITY, uuid, action, Some(before), Some(record.snapshot()?))
        .await?;
    txn.commit().await
}
