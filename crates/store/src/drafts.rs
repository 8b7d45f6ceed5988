//! Unfinished forms kept on the server (see the migration
//! `m20261204_000010_form_drafts`): a meeting's drafts, each visible only to
//! its author, and a form kept for its sender after their session expired.
//!
//! Neither is a record: no audit trail (they hold nothing decided yet),
//! no data generation raised (no figure reads them). The form itself is
//! opaque here: the web crate writes and reads it.

use chrono::{DateTime, Duration, Utc};
use samverkan_domain::{SessionSecret, UserId, time};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::Store;
use crate::entity::{kept_forms, meeting_drafts};
use crate::error::{StoreError, StoreResult};

const DRAFT: &str = "meeting draft";

/// How long a kept form waits for its sender to sign in again.
pub const KEPT_FORM_LIFETIME: Duration = Duration::hours(24);
/// The most forms kept at once: a form kept is written for a request that
/// is not signed in, so their number is bounded (the oldest go first).
const KEPT_FORMS_MAX: u64 = 10_000;
/// The most drafts one author keeps; saving one more is refused.
pub const DRAFTS_PER_AUTHOR: u64 = 50;

/// A meeting's draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDraft {
    pub id: Uuid,
    pub title: String,
    /// The form as typed (JSON, the web crate's).
    pub form: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn draft_from_row(row: meeting_drafts::Model) -> MeetingDraft {
    MeetingDraft {
        id: row.id,
        title: row.title,
        form: row.form,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

impl Store {
    /// Saves `form` as `author`'s draft: a new one (`id` none), or their
    /// draft `id` replaced. Another author's draft is not found.
    pub async fn save_meeting_draft(
        &self,
        author: UserId,
        id: Option<Uuid>,
        title: &str,
        form: &str,
    ) -> StoreResult<MeetingDraft> {
        let now = time::now();
        let txn = self.begin_unaudited_write().await?;
        let row = match id {
            Some(id) => {
                let mut row = meeting_drafts::Entity::find_by_id(id)
                    .filter(meeting_drafts::Column::UserId.eq(author.as_uuid()))
                    .one(&txn)
                    .await?
                    .ok_or(StoreError::NotFound { entity: DRAFT, id })?;
                row.title = title.to_owned();
                row.form = form.to_owned();
                row.updated_at = now;
                meeting_drafts::Entity::update(row.clone().into_active_model().reset_all())
                    .exec(&txn)
                    .await?;
                row
            }
            None => {
                let kept = meeting_drafts::Entity::find()
                    .filter(meeting_drafts::Column::UserId.eq(author.as_uuid()))
                    .count(&txn)
                    .await?;
                if kept >= DRAFTS_PER_AUTHOR {
                    return Err(StoreError::Duplicate {
                        field: "draft".into(),
                        message: format!("at most {DRAFTS_PER_AUTHOR} drafts are kept per author"),
                    });
                }
                let row = meeting_drafts::Model {
                    id: Uuid::now_v7(),
                    user_id: author.as_uuid(),
                    title: title.to_owned(),
                    form: form.to_owned(),
                    created_at: now,
                    updated_at: now,
                };
                meeting_drafts::Entity::insert(row.clone().into_active_model())
                    .exec_without_returning(&txn)
                    .await?;
                row
            }
        };
        txn.commit().await?;
        Ok(draft_from_row(row))
    }

    /// `author`'s drafts, the latest changed first.
    pub async fn meeting_drafts(&self, author: UserId) -> StoreResult<Vec<MeetingDraft>> {
        Ok(meeting_drafts::Entity::find()
            .filter(meeting_drafts::Column::UserId.eq(author.as_uuid()))
            .order_by_desc(meeting_drafts::Column::UpdatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(draft_from_row)
            .collect())
    }

    /// `author`'s draft `id`; another author's is not found.
    pub async fn meeting_draft(&self, author: UserId, id: Uuid) -> StoreResult<MeetingDraft> {
        meeting_drafts::Entity::find_by_id(id)
            .filter(meeting_drafts::Column::UserId.eq(author.as_uuid()))
            .one(&self.db)
            .await?
            .map(draft_from_row)
            .ok_or(StoreError::NotFound { entity: DRAFT, id })
    }

    /// Deletes `author`'s draft `id` (none of theirs: nothing happens).
    pub async fn delete_meeting_draft(&self, author: UserId, id: Uuid) -> StoreResult<()> {
        meeting_drafts::Entity::delete_many()
            .filter(meeting_drafts::Column::Id.eq(id))
            .filter(meeting_drafts::Column::UserId.eq(author.as_uuid()))
            .exec(self.write_connection())
            .await?;
        Ok(())
    }

    /// Keeps `form`, sent to `path` by someone whose session had expired,
    /// for whoever presents `secret` within [`KEPT_FORM_LIFETIME`]. Forms
    /// past their time, and the oldest beyond the most kept, are deleted.
    pub async fn keep_form(&self, secret: &SessionSecret, path: &str, form: &str) -> StoreResult<()> {
        let now = time::now();
        let txn = self.begin_unaudited_write().await?;
        kept_forms::Entity::delete_many()
            .filter(kept_forms::Column::KeptAt.lt(now - KEPT_FORM_LIFETIME))
            .exec(&txn)
            .await?;
        let kept = kept_forms::Entity::find().count(&txn).await?;
        if kept >= KEPT_FORMS_MAX {
            kept_forms::Entity::delete_many()
                .filter(
                    Expr::col(kept_forms::Column::Id).in_subquery(
                        Query::select()
                            .column(kept_forms::Column::Id)
                            .from(kept_forms::Entity)
                            .order_by(kept_forms::Column::KeptAt, sea_orm::Order::Asc)
                            .limit(kept - KEPT_FORMS_MAX + 1)
                            .take(),
                    ),
                )
                .exec(&txn)
                .await?;
        }
        kept_forms::Entity::insert(
            kept_forms::Model {
                id: Uuid::now_v7(),
                secret_hash: secret.hash().as_str().to_owned(),
                path: path.to_owned(),
                form: form.to_owned(),
                kept_at: now,
            }
            .into_active_model(),
        )
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The form kept for `secret` at `path`, if it is still kept: taken,
    /// so it is given back once.
    pub async fn take_kept_form(&self, secret: &SessionSecret, path: &str) -> StoreResult<Option<String>> {
        let txn = self.begin_unaudited_write().await?;
        let found = kept_forms::Entity::find()
            .filter(kept_forms::Column::SecretHash.eq(secret.hash().as_str()))
            .one(&txn)
            .await?;
        let Some(row) = found else {
            return Ok(None);
        };
        kept_forms::Entity::delete_by_id(row.id).exec(&txn).await?;
        txn.commit().await?;
        let fresh = row.kept_at >= time::now() - KEPT_FORM_LIFETIME;
        Ok((fresh && row.path == path).then_some(row.form))
    }
}
