//! Rewrites every stored text in its composed Unicode form (NFC).
//!
//! Since this release the domain composes every text at its door, but rows
//! written before hold texts as they were sent: a tag typed decomposed
//! ("kompetensfo\u{308}rso\u{308}rjning") is another tag than the composed
//! one, and `?tag=` (which composes what is typed) would no longer find it.
//! This migration composes each user-written text column, row by row in
//! keyset-paged batches (memory stays bounded on any table), and writes
//! only the rows that change.
//!
//! Derived columns stay consistent without being rewritten: `name_folded`,
//! `name_sort`, `full_name_sort` and the `search_text` columns are folds of
//! the texts, and folding decomposes first, so a text and its composed form
//! fold alike. The one derived column that does not fold is
//! `users.email_folded` (the address lower-cased): it is recomputed from the
//! composed address, unless another user already holds that key, in which
//! case the row is left as it was rather than the migration fail.
//! Tags are keys: a decomposed tag whose composed form the same record
//! already has is deleted, not renamed.
//!
//! Neither `version` nor `updated_at` moves, and no audit event is written:
//! nothing a person sees changes. The audit trail's own snapshots are history
//! and are left as recorded.
//!
//! Composing is done here with `unicode-normalization` directly, not through
//! the domain's functions: a migration must keep doing what it did when it
//! was released, whatever the domain later becomes. It can be run again on
//! composed data and changes nothing ([`compose`] is public for that test).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, QueryResult};
use unicode_normalization::{UnicodeNormalization, is_nfc};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        compose(manager.get_connection()).await
    }

    /// Nothing to undo: the composed texts are the same texts.
    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

/// Rows read per batch.
const BATCH: u64 = 1000;

/// The tables keyed by `id`, and their texts written by people.
const TEXTS: [(&str, &[&str]); 10] = [
    (
        "organisations",
        &[
            "name",
            "short_name",
            "organisation_number",
            "website",
            "city",
            "description",
        ],
    ),
    ("representatives", &["full_name", "email", "phone", "notes"]),
    ("affiliations", &["title"]),
    ("partnerships", &["goals"]),
    ("meetings", &["title", "location", "summary"]),
    ("agenda_items", &["title", "description"]),
    ("outcomes", &["text"]),
    ("follow_ups", &["title", "details"]),
    ("users", &["display_name"]),
    ("api_tokens", &["name"]),
];

/// The tag tables and the column naming each tag's record.
const TAGS: [(&str, &str); 3] = [
    ("organisation_tags", "organisation_id"),
    ("meeting_tags", "meeting_id"),
    ("agenda_item_tags", "agenda_item_id"),
];

/// Composes every stored text (see the module documentation).
pub async fn compose<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    compose_in_batches(db, BATCH).await
}

/// [`compose`], reading `batch` rows at a time (a test crosses page
/// boundaries with tiny batches).
pub async fn compose_in_batches<C: ConnectionTrait>(db: &C, batch: u64) -> Result<(), DbErr> {
    let pages = Pages {
        db,
        size: Ord::max(batch, 1),
    };
    for (table, columns) in TEXTS {
        pages.compose_texts(table, columns).await?;
    }
    for (table, owner) in TAGS {
        pages.compose_tags(table, owner).await?;
    }
    pages.compose_emails().await
}

fn composed(text: &str) -> Option<String> {
    (!is_nfc(text)).then(|| text.nfc().collect())
}

/// A connection read from in pages of `size` rows.
struct Pages<'a, C> {
    db: &'a C,
    size: u64,
}

impl<C: ConnectionTrait> Pages<'_, C> {
    /// The next batch of `columns` of `table` after `after` in the order of
    /// `key` (one or two columns, the first of them a UUID).
    async fn batch(
        &self,
        table: &str,
        key: &[&str],
        columns: &[&str],
        after: Option<Vec<Value>>,
    ) -> Result<Vec<QueryResult>, DbErr> {
        let mut select = Query::select();
        select
            .columns(key.iter().chain(columns).map(|column| Alias::new(*column)))
            .from(Alias::new(table))
            .limit(self.size);
        for column in key {
            select.order_by(Alias::new(*column), Order::Asc);
        }
        if let Some(after) = after {
            let key = Expr::tuple(key.iter().map(|column| Expr::col(Alias::new(*column))));
            select.and_where(key.gt(Expr::tuple(after.into_iter().map(Expr::val))));
        }
        self.db.query_all(&select).await
    }

    async fn compose_texts(&self, table: &str, columns: &[&str]) -> Result<(), DbErr> {
        let mut after = None;
        loop {
            let rows = self.batch(table, &["id"], columns, after).await?;
            for row in &rows {
                let id: Uuid = row.try_get_by_index(0)?;
                let mut update = Query::update();
                update.table(Alias::new(table));
                let mut changed = false;
                for (i, column) in columns.iter().enumerate() {
                    let text: Option<String> = row.try_get_by_index(i + 1)?;
                    if let Some(text) = text.as_deref().and_then(composed) {
                        update.value(Alias::new(*column), text);
                        changed = true;
                    }
                }
                if changed {
                    update.and_where(Expr::col(Alias::new("id")).eq(id));
                    self.db.execute(&update).await?;
                }
            }
            match rows.last() {
                Some(last) if rows.len() as u64 == self.size => {
                    after = Some(vec![Value::from(last.try_get_by_index::<Uuid>(0)?)]);
                }
                _ => return Ok(()),
            }
        }
    }

    async fn compose_tags(&self, table: &str, owner: &str) -> Result<(), DbErr> {
        let mut after = None;
        loop {
            let rows = self.batch(table, &[owner, "tag"], &[], after).await?;
            for row in &rows {
                let id: Uuid = row.try_get_by_index(0)?;
                let tag: String = row.try_get_by_index(1)?;
                let Some(new) = composed(&tag) else { continue };
                let this = Expr::col(Alias::new(owner))
                    .eq(id)
                    .and(Expr::col(Alias::new("tag")).eq(tag.clone()));
                let taken = self
                    .db
                    .query_one(
                        Query::select()
                            .expr(Expr::val(1))
                            .from(Alias::new(table))
                            .and_where(Expr::col(Alias::new(owner)).eq(id))
                            .and_where(Expr::col(Alias::new("tag")).eq(new.clone())),
                    )
                    .await?
                    .is_some();
                if taken {
                    self.db
                        .execute(Query::delete().from_table(Alias::new(table)).cond_where(this))
                        .await?;
                } else {
                    self.db
                        .execute(
                            Query::update()
                                .table(Alias::new(table))
                                .value(Alias::new("tag"), new)
                                .cond_where(this),
                        )
                        .await?;
                }
            }
            match rows.last() {
                Some(last) if rows.len() as u64 == self.size => {
                    let id: Uuid = last.try_get_by_index(0)?;
                    let tag: String = last.try_get_by_index(1)?;
                    after = Some(vec![Value::from(id), Value::from(tag)]);
                }
                _ => return Ok(()),
            }
        }
    }

    /// Users' addresses, with the key that makes them unique.
    async fn compose_emails(&self) -> Result<(), DbErr> {
        let mut after = None;
        loop {
            let rows = self.batch("users", &["id"], &["email"], after).await?;
            for row in &rows {
                let id: Uuid = row.try_get_by_index(0)?;
                let email: String = row.try_get_by_index(1)?;
                let Some(new) = composed(&email) else { continue };
                // The store's key: the address as stored, lower-cased.
                let key = new.to_lowercase();
                let taken = self
                    .db
                    .query_one(
                        Query::select()
                            .expr(Expr::val(1))
                            .from(Alias::new("users"))
                            .and_where(Expr::col(Alias::new("email_folded")).eq(key.clone()))
                            .and_where(Expr::col(Alias::new("id")).ne(id)),
                    )
                    .await?
                    .is_some();
                if taken {
                    continue;
                }
                self.db
                    .execute(
                        Query::update()
                            .table(Alias::new("users"))
                            .value(Alias::new("email"), new)
                            .value(Alias::new("email_folded"), key)
                            .and_where(Expr::col(Alias::new("id")).eq(id)),
                    )
                    .await?;
            }
            match rows.last() {
                Some(last) if rows.len() as u64 == self.size => {
                    after = Some(vec![Value::from(last.try_get_by_index::<Uuid>(0)?)]);
                }
                _ => return Ok(()),
            }
        }
    }
}
