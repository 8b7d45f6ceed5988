//! Data protection (docs/privacy.md): erasure (GDPR Art. 17), restriction
//! (Art. 18), what an export of a person's data reads (Art. 15), and the
//! retention run.
//!
//! Erasure keeps the statistics: the person's row stays (so attendances,
//! presentations, follow-ups and the engagement read model, which refer to
//! it by id, keep counting), under a placeholder name, with every other
//! personal field cleared; the audit trail's earlier snapshots of the
//! record lose those fields too. All of it is one write transaction, and
//! then the bytes: on SQLite `secure_delete` is on for the transaction and
//! the WAL is checkpointed and truncated after it; on PostgreSQL the
//! tables written are vacuumed after the commit.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use samverkan_domain::privacy::{
    AuditEntry, ErasureReason, FollowUpOwned, ItemPresented, MeetingTaken, NamedAffiliation, PrivacyRefusal,
    ProcessingTerms, RepresentativeData, RetentionCandidate, RetentionFinding, RetentionPolicy,
    RetentionVerdict, SessionSeen, UserData, erased_person_name, erased_user_email, erased_user_label,
};
use samverkan_domain::{
    AttendanceRole, AttendanceStatus, FollowUpStatus, MeetingStatus, Representative, RepresentativeId,
    UserId, text, time,
};

use crate::Store;
use crate::accounts::{USER, user_from_row};
use crate::audit::Write;
use crate::entity::{
    affiliations, agenda_item_presenters, agenda_items, api_tokens, attendances, audit_events, erasures,
    follow_ups, meeting_drafts, meetings, organisations, outcomes, representatives, sessions,
    sign_in_failures, user_passwords, users,
};
use crate::error::{StoreError, StoreResult};
use crate::support::{Db, SharedLock, search_text, stored};

const REPRESENTATIVE: &str = "representative";
const TOKEN: &str = "token";

/// The fields of a representative's snapshot that identify them; the rest
/// (ids, dates, `is_minor`, the affiliation's organisation and dates) stays.
const REPRESENTATIVE_FIELDS: [&str; 6] = [
    "full_name",
    "full_name_sort",
    "email",
    "phone",
    "notes",
    "search_text",
];
/// The same of a user's snapshot.
const USER_FIELDS: [&str; 3] = ["email", "email_folded", "display_name"];

/// The tables an erasure writes, vacuumed after it on PostgreSQL.
const ERASED_TABLES: [&str; 10] = [
    "representatives",
    "affiliations",
    "audit_events",
    "users",
    "api_tokens",
    "sessions",
    "user_passwords",
    "sign_in_failures",
    "meeting_drafts",
    "erasures",
];

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    /// The record erased (a representative or a user).
    pub id: Uuid,
    /// The placeholder's number.
    pub sequence: u32,
    pub erased_at: DateTime<Utc>,
    /// User accounts linked to an erased representative, erased with them.
    pub users_erased: Vec<UserId>,
    /// Audit events whose snapshots were rewritten.
    pub audit_events_rewritten: usize,
    /// Whether the bytes were cleared after the commit: on SQLite the WAL
    /// checkpointed and truncated (false when a long read held it; the
    /// next checkpoint clears it), on PostgreSQL the tables vacuumed.
    pub storage_cleared: bool,
    /// Free texts that still contain one of the person's names (current or
    /// earlier): Samverkan does not rewrite what people wrote (it cannot
    /// tell this Lisa from another), so these are to be edited by hand.
    pub mentions: Vec<Mention>,
}

/// A record whose free text names someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// `meeting`, `agenda-item`, `outcome` or `follow-up`.
    pub entity: &'static str,
    pub id: Uuid,
}

/// Every name the person has had, as the audit trail kept them, and now.
async fn names_of(txn: &Write, id: Uuid, current: &str) -> StoreResult<BTreeSet<String>> {
    let mut names = BTreeSet::from([current.to_owned()]);
    let events = audit_events::Entity::find()
        .filter(audit_events::Column::Entity.eq(REPRESENTATIVE))
        .filter(audit_events::Column::EntityId.eq(id))
        .all(&**txn)
        .await?;
    for snapshot in events.into_iter().flat_map(|e| [e.before, e.after]).flatten() {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&snapshot)
            && let Some(name) = value.get("full_name").and_then(|n| n.as_str())
        {
            names.insert(name.to_owned());
        }
    }
    Ok(names)
}

/// The records whose searchable free text contains one of `names`.
async fn mentions_of(db: &impl Db, names: &BTreeSet<String>) -> StoreResult<Vec<Mention>> {
    use crate::support::folded_contains;
    let mut found = BTreeSet::new();
    for name in names {
        let ids = |rows: Vec<Uuid>, entity: &'static str| rows.into_iter().map(move |id| (entity, id));
        let meetings: Vec<Uuid> = meetings::Entity::find()
            .select_only()
            .column(meetings::Column::Id)
            .filter(folded_contains(meetings::Column::SearchText, name))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(ids(meetings, "meeting"));
        let items: Vec<Uuid> = agenda_items::Entity::find()
            .select_only()
            .column(agenda_items::Column::Id)
            .filter(folded_contains(agenda_items::Column::SearchText, name))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(ids(items, "agenda-item"));
        let outcomes: Vec<Uuid> = outcomes::Entity::find()
            .select_only()
            .column(outcomes::Column::Id)
            .filter(folded_contains(outcomes::Column::SearchText, name))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(ids(outcomes, "outcome"));
        let tasks: Vec<Uuid> = follow_ups::Entity::find()
            .select_only()
            .column(follow_ups::Column::Id)
            .filter(folded_contains(follow_ups::Column::SearchText, name))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(ids(tasks, "follow-up"));
    }
    Ok(found
        .into_iter()
        .map(|(entity, id)| Mention { entity, id })
        .collect())
}

/// One line of the erasure log, for replaying after a restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureLogEntry {
    /// `representative` or `user`.
    pub entity: String,
    pub id: Uuid,
    pub sequence: u32,
    pub erased_at: DateTime<Utc>,
}

/// What a retention run found, and did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RetentionRun {
    pub findings: Vec<RetentionFinding>,
    /// The minors erased (none in a dry run).
    pub erased: Vec<RepresentativeId>,
    /// Another server held the run's lock: this one did nothing.
    pub skipped: bool,
}

/// Fails if the representative was erased: an erased record no longer
/// changes (its placeholder must not be replaced by a name again).
pub(crate) fn refuse_erased(representative: &Representative) -> StoreResult<()> {
    match representative.erased_at {
        Some(erased_at) => Err(PrivacyRefusal::Erased {
            entity: REPRESENTATIVE,
            id: representative.id.as_uuid(),
            erased_at,
        }
        .into()),
        None => Ok(()),
    }
}

/// Which of `ids` are restricted (no query for none).
pub(crate) async fn restricted_among(db: &impl Db, ids: &[Uuid]) -> StoreResult<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let rows: Vec<Uuid> = representatives::Entity::find()
        .select_only()
        .column(representatives::Column::Id)
        .filter(representatives::Column::Id.is_in(ids.iter().copied()))
        .filter(representatives::Column::RestrictedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// `value` without `fields` (and, for a representative, without the
/// affiliation's title).
fn scrub(value: &mut serde_json::Value, fields: &[&str]) {
    if let Some(object) = value.as_object_mut() {
        for field in fields {
            object.remove(*field);
        }
        if let Some(affiliation) = object.get_mut("affiliation").and_then(|a| a.as_object_mut()) {
            affiliation.remove("title");
        }
    }
}

/// A stored snapshot, scrubbed; `None` when the text is not JSON (a
/// corrupt row loses its snapshot rather than keep personal data).
fn scrubbed(text: Option<String>, fields: &[&str]) -> Option<String> {
    let text = text?;
    let mut value: serde_json::Value = serde_json::from_str(&text).ok()?;
    scrub(&mut value, fields);
    Some(value.to_string())
}

/// Rewrites the snapshots of every audit event about `entity` `id`
/// without `fields`; returns how many.
async fn scrub_audit(txn: &Write, entity: &str, ids: &[Uuid], fields: &[&str]) -> StoreResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let events = audit_events::Entity::find()
        .filter(audit_events::Column::Entity.eq(entity))
        .filter(audit_events::Column::EntityId.is_in(ids.iter().copied()))
        .all(&**txn)
        .await?;
    let count = events.len();
    for event in events {
        audit_events::Entity::update_many()
            .col_expr(
                audit_events::Column::Before,
                Expr::value(scrubbed(event.before, fields)),
            )
            .col_expr(
                audit_events::Column::After,
                Expr::value(scrubbed(event.after, fields)),
            )
            .filter(audit_events::Column::Id.eq(event.id))
            .exec(&**txn)
            .await?;
    }
    Ok(count)
}

/// The next placeholder number for `entity`.
async fn next_sequence(txn: &Write, entity: &str) -> StoreResult<u32> {
    let max: Option<Option<i32>> = erasures::Entity::find()
        .select_only()
        .expr_as(Func::max(Expr::col(erasures::Column::Sequence)), "max")
        .filter(erasures::Column::Entity.eq(entity))
        .into_tuple()
        .one(&**txn)
        .await?;
    let last = max.flatten().unwrap_or(0);
    u32::try_from(last.saturating_add(1))
        .map_err(|_| StoreError::corrupt("erasure", Uuid::nil(), format!("sequence {last} is below 0")))
}

async fn log_erasure(
    txn: &Write,
    entity: &str,
    id: Uuid,
    sequence: u32,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    erasures::Entity::insert(
        erasures::Model {
            id: Uuid::now_v7(),
            entity: entity.to_owned(),
            entity_id: id,
            sequence: i32::try_from(sequence).unwrap_or(i32::MAX),
            erased_at: at,
        }
        .into_active_model(),
    )
    .exec_without_returning(&**txn)
    .await?;
    Ok(())
}

/// Erases the user `row` within `txn`: e-mail and display name become
/// placeholders, the link to a representative goes, the account is
/// disabled, its password, sessions and failed sign-ins deleted, its
/// tokens revoked and unnamed; its audit events keep a placeholder author.
async fn erase_user_in(txn: &Write, row: users::Model, now: DateTime<Utc>) -> StoreResult<u32> {
    if let Some(erased_at) = row.erased_at {
        return Err(PrivacyRefusal::AlreadyErased {
            entity: USER,
            id: row.id,
            erased_at,
        }
        .into());
    }
    let sequence = next_sequence(txn, USER).await?;
    let email = erased_user_email(sequence);
    users::Entity::update_many()
        .col_expr(users::Column::Email, Expr::value(email.clone()))
        .col_expr(users::Column::EmailFolded, Expr::value(email))
        .col_expr(users::Column::DisplayName, Expr::value(Option::<String>::None))
        .col_expr(users::Column::RepresentativeId, Expr::value(Option::<Uuid>::None))
        .col_expr(
            users::Column::DisabledAt,
            Expr::value(Some(row.disabled_at.unwrap_or(now))),
        )
        .col_expr(users::Column::ErasedAt, Expr::value(Some(now)))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(row.id))
        .exec(&**txn)
        .await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(row.id))
        .exec(&**txn)
        .await?;
    user_passwords::Entity::delete_many()
        .filter(user_passwords::Column::UserId.eq(row.id))
        .exec(&**txn)
        .await?;
    // Their unfinished meeting forms name people and say what they typed.
    meeting_drafts::Entity::delete_many()
        .filter(meeting_drafts::Column::UserId.eq(row.id))
        .exec(&**txn)
        .await?;
    sign_in_failures::Entity::delete_many()
        .filter(sign_in_failures::Column::EmailFolded.eq(row.email_folded.as_str()))
        .exec(&**txn)
        .await?;
    let tokens: Vec<Uuid> = api_tokens::Entity::find()
        .select_only()
        .column(api_tokens::Column::Id)
        .filter(api_tokens::Column::UserId.eq(row.id))
        .into_tuple()
        .all(&**txn)
        .await?;
    // A token's name is the user's own words ("Lenas laptop").
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::Name, Expr::value("raderad"))
        .filter(api_tokens::Column::UserId.eq(row.id))
        .exec(&**txn)
        .await?;
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(Some(now)))
        .filter(api_tokens::Column::UserId.eq(row.id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(&**txn)
        .await?;
    scrub_audit(txn, USER, &[row.id], &USER_FIELDS).await?;
    scrub_audit(txn, TOKEN, &tokens, &["name"]).await?;
    audit_events::Entity::update_many()
        .col_expr(
            audit_events::Column::Actor,
            Expr::value(erased_user_label(sequence)),
        )
        .filter(audit_events::Column::UserId.eq(row.id))
        .exec(&**txn)
        .await?;
    log_erasure(txn, USER, row.id, sequence, now).await?;
    Ok(sequence)
}

/// The erasure's own audit event: who (the actor), when, the reason, the
/// placeholder's number — and nothing of the person.
fn erasure_event(reason: &ErasureReason, sequence: u32, users: &[UserId]) -> serde_json::Value {
    serde_json::json!({
        "reason": reason.as_str(),
        "sequence": sequence,
        "users_erased": users.iter().map(|id| id.as_uuid()).collect::<Vec<_>>(),
    })
}

impl Store {
    /// Opens an erasure's transaction: on SQLite with `secure_delete` on
    /// (freed cells and pages are zeroed, not left in the file), on
    /// PostgreSQL under the erasure lock (so two erasures at once cannot
    /// take one placeholder number).
    async fn begin_erasure(&self) -> StoreResult<Write> {
        let txn = self.begin_write().await?;
        match self.backend() {
            DbBackend::Sqlite => {
                txn.execute_unprepared("PRAGMA secure_delete = ON").await?;
            }
            _ => SharedLock::Erasure.take(&txn).await?,
        }
        Ok(txn)
    }

    /// After an erasure's commit: the old bytes out of the files. On
    /// SQLite `secure_delete` back to `FAST` (the connection's setting) and
    /// the WAL copied into the file and truncated; on PostgreSQL the
    /// tables written vacuumed (VACUUM cannot run in a transaction).
    /// Whether it all happened; a failure here is logged, not returned: the
    /// erasure itself is committed.
    async fn clear_storage(&self) -> bool {
        let result: StoreResult<bool> = async {
            match self.backend() {
                DbBackend::Sqlite => {
                    let writer = self.writer.as_ref().unwrap_or(&self.db);
                    writer.execute_unprepared("PRAGMA secure_delete = FAST").await?;
                    let row = writer
                        .query_one_raw(sea_orm::Statement::from_string(
                            DbBackend::Sqlite,
                            "PRAGMA wal_checkpoint(TRUNCATE)",
                        ))
                        .await?;
                    let busy: i32 = match row {
                        Some(row) => row.try_get_by_index(0)?,
                        None => 1,
                    };
                    Ok(busy == 0)
                }
                _ => {
                    for table in ERASED_TABLES {
                        self.db.execute_unprepared(&format!("VACUUM {table}")).await?;
                    }
                    Ok(true)
                }
            }
        }
        .await;
        result.unwrap_or_else(|error| {
            tracing::warn!(%error, "an erasure was committed, but clearing its old bytes failed");
            false
        })
    }

    /// Erases a representative (GDPR Art. 17) in one transaction: the name
    /// becomes "Raderad person N", e-mail, phone, notes and every
    /// affiliation's title are cleared, the record is archived, the audit
    /// trail's earlier snapshots of it lose those fields, the search index
    /// forgets them, and user accounts linked to the person are erased with
    /// them. What stays: the record's id, its affiliations' organisations
    /// and dates, attendances, presentations and follow-ups, so that every
    /// figure and report counts as before. Erasing twice is refused.
    pub async fn erase_representative(
        &self,
        id: RepresentativeId,
        reason: &ErasureReason,
    ) -> StoreResult<Erasure> {
        let erased = self.erase_representative_once(id, reason).await;
        self.after_erasure(erased).await
    }

    /// The bytes cleared after a committed erasure; after a failed one (whose
    /// transaction rolled back) only the writer's `secure_delete` reset.
    async fn after_erasure(&self, erased: StoreResult<Erasure>) -> StoreResult<Erasure> {
        match erased {
            Ok(mut erasure) => {
                erasure.storage_cleared = self.clear_storage().await;
                Ok(erasure)
            }
            Err(error) => {
                if self.backend() == DbBackend::Sqlite {
                    let writer = self.writer.as_ref().unwrap_or(&self.db);
                    if let Err(reset) = writer.execute_unprepared("PRAGMA secure_delete = FAST").await {
                        tracing::warn!(error = %reset, "resetting secure_delete after a failed erasure");
                    }
                }
                Err(error)
            }
        }
    }

    async fn erase_representative_once(
        &self,
        id: RepresentativeId,
        reason: &ErasureReason,
    ) -> StoreResult<Erasure> {
        let mut txn = self.begin_erasure().await?;
        let person = crate::representatives::find(&*txn, id).await?;
        if let Some(erased_at) = person.erased_at {
            return Err(PrivacyRefusal::AlreadyErased {
                entity: REPRESENTATIVE,
                id: id.as_uuid(),
                erased_at,
            }
            .into());
        }
        let now = time::now();
        let sequence = next_sequence(&txn, REPRESENTATIVE).await?;
        let name = erased_person_name(sequence);
        representatives::Entity::update_many()
            .col_expr(representatives::Column::FullName, Expr::value(name.clone()))
            .col_expr(
                representatives::Column::FullNameSort,
                Expr::value(text::sort_key(&name)),
            )
            .col_expr(
                representatives::Column::Email,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                representatives::Column::Phone,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                representatives::Column::Notes,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                representatives::Column::SearchText,
                Expr::value(search_text([Some(name.as_str())])),
            )
            .col_expr(
                representatives::Column::ArchivedAt,
                Expr::value(Some(person.meta.archived_at.unwrap_or(now))),
            )
            .col_expr(
                representatives::Column::RestrictedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(representatives::Column::ErasedAt, Expr::value(Some(now)))
            .col_expr(representatives::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                representatives::Column::Version,
                Expr::value(person.meta.version.saturating_add(1)),
            )
            .filter(representatives::Column::Id.eq(id.as_uuid()))
            .exec(&*txn)
            .await?;
        affiliations::Entity::update_many()
            .col_expr(affiliations::Column::Title, Expr::value(Option::<String>::None))
            .filter(affiliations::Column::RepresentativeId.eq(id.as_uuid()))
            .exec(&*txn)
            .await?;
        let names = names_of(&txn, id.as_uuid(), person.details.full_name.as_str()).await?;
        let mentions = mentions_of(&*txn, &names).await?;
        let mut rewritten =
            scrub_audit(&txn, REPRESENTATIVE, &[id.as_uuid()], &REPRESENTATIVE_FIELDS).await?;
        let linked = users::Entity::find()
            .filter(users::Column::RepresentativeId.eq(id.as_uuid()))
            .filter(users::Column::ErasedAt.is_null())
            .all(&*txn)
            .await?;
        let mut users_erased = Vec::new();
        for user in linked {
            let user_id = UserId::from(user.id);
            erase_user_in(&txn, user, now).await?;
            rewritten += 1;
            users_erased.push(user_id);
        }
        if self.backend() == DbBackend::Sqlite {
            // The trigram index's segments still hold the old text's
            // trigrams beside their deletion markers until merged: merge
            // them now (secure_delete zeroes the pages they leave).
            txn.execute_unprepared(
                "INSERT INTO representatives_search(representatives_search) VALUES ('optimize')",
            )
            .await?;
        }
        log_erasure(&txn, REPRESENTATIVE, id.as_uuid(), sequence, now).await?;
        txn.audit(
            REPRESENTATIVE,
            id.as_uuid(),
            "erase",
            None,
            Some(erasure_event(reason, sequence, &users_erased)),
        )
        .await?;
        txn.commit().await?;
        Ok(Erasure {
            id: id.as_uuid(),
            sequence,
            erased_at: now,
            users_erased,
            audit_events_rewritten: rewritten,
            storage_cleared: false,
            mentions,
        })
    }

    /// Erases a user account: its e-mail and display name go (placeholders
    /// take their place, "Raderad användare N" as the author of its audit
    /// events), and it can never sign in again. Erasing twice is refused.
    pub async fn erase_user(&self, id: UserId, reason: &ErasureReason) -> StoreResult<Erasure> {
        let erased = self.erase_user_once(id, reason).await;
        self.after_erasure(erased).await
    }

    async fn erase_user_once(&self, id: UserId, reason: &ErasureReason) -> StoreResult<Erasure> {
        let mut txn = self.begin_erasure().await?;
        let row = users::Entity::find_by_id(id.as_uuid())
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound {
                entity: USER,
                id: id.as_uuid(),
            })?;
        let now = time::now();
        let sequence = erase_user_in(&txn, row, now).await?;
        txn.audit(
            USER,
            id.as_uuid(),
            "erase",
            None,
            Some(erasure_event(reason, sequence, &[])),
        )
        .await?;
        txn.commit().await?;
        Ok(Erasure {
            id: id.as_uuid(),
            sequence,
            erased_at: now,
            users_erased: vec![id],
            audit_events_rewritten: 0,
            storage_cleared: false,
            mentions: Vec::new(),
        })
    }

    /// Restricts a representative (Art. 18), or lifts the restriction:
    /// while restricted they are kept but left out of lists, search, new
    /// meetings and reports. Audited with before and after; a request that
    /// changes nothing writes nothing.
    pub async fn set_restricted(
        &self,
        id: RepresentativeId,
        restricted: bool,
    ) -> StoreResult<Representative> {
        let mut txn = self.begin_write().await?;
        let mut person = crate::representatives::find(&*txn, id).await?;
        refuse_erased(&person)?;
        if person.restricted_at.is_some() == restricted {
            txn.discard().await?;
            return Ok(person);
        }
        let before = crate::representatives::snapshot(&person)?;
        let now = time::now();
        person.restricted_at = restricted.then_some(now);
        person.meta.version += 1;
        person.meta.updated_at = now;
        representatives::Entity::update_many()
            .col_expr(
                representatives::Column::RestrictedAt,
                Expr::value(person.restricted_at),
            )
            .col_expr(representatives::Column::Version, Expr::value(person.meta.version))
            .col_expr(representatives::Column::UpdatedAt, Expr::value(now))
            .filter(representatives::Column::Id.eq(id.as_uuid()))
            .exec(&*txn)
            .await?;
        let action = if restricted {
            "restrict"
        } else {
            "lift_restriction"
        };
        txn.audit(
            REPRESENTATIVE,
            id.as_uuid(),
            action,
            Some(before),
            Some(crate::representatives::snapshot(&person)?),
        )
        .await?;
        txn.commit().await?;
        Ok(person)
    }

    /// Every erasure, oldest first: the log to keep outside the backups and
    /// replay after a restore ([`Self::replay_erasures`]).
    pub async fn erasure_log(&self) -> StoreResult<Vec<ErasureLogEntry>> {
        erasures::Entity::find()
            .order_by_asc(erasures::Column::ErasedAt)
            .order_by_asc(erasures::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(ErasureLogEntry {
                    sequence: crate::support::stored_unsigned("erasure", row.id, "sequence", row.sequence)?,
                    entity: row.entity,
                    id: row.entity_id,
                    erased_at: row.erased_at,
                })
            })
            .collect()
    }

    /// Erases again, after a restore of an older backup, whatever `log`
    /// names that the database holds unerased; returns those erased.
    /// Records the log names that the backup does not hold are skipped.
    pub async fn replay_erasures(&self, log: &[(String, Uuid)]) -> StoreResult<Vec<Erasure>> {
        let reason = ErasureReason::parse("Replayed from the erasure log after a restore")
            .map_err(|error| StoreError::Internal(error.to_string()))?;
        let mut done = Vec::new();
        for (entity, id) in log {
            let result = match entity.as_str() {
                REPRESENTATIVE => self.erase_representative((*id).into(), &reason).await,
                USER => self.erase_user((*id).into(), &reason).await,
                other => {
                    let mut errors = samverkan_domain::ValidationErrors::new();
                    errors.add("entity", format!("{other} is not representative or user"));
                    return Err(errors.into());
                }
            };
            match result {
                Ok(erasure) => done.push(erasure),
                Err(
                    StoreError::Refused(PrivacyRefusal::AlreadyErased { .. }) | StoreError::NotFound { .. },
                ) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(done)
    }

    /// Everything held about a representative (Art. 15): the record, every
    /// affiliation, every meeting they were invited to or attended, agenda
    /// items presented, follow-ups owned, linked user accounts, every audit
    /// event about them or their accounts, and `terms`.
    pub async fn representative_data(
        &self,
        id: RepresentativeId,
        terms: &ProcessingTerms,
    ) -> StoreResult<RepresentativeData> {
        let db = &self.db;
        let representative = crate::representatives::find(db, id).await?;
        let person = id.as_uuid();
        let periods = crate::representatives::affiliations_of(db, &[person])
            .await?
            .remove(&person)
            .unwrap_or_default();
        let attended = attendances::Entity::find()
            .filter(attendances::Column::RepresentativeId.eq(person))
            .all(db)
            .await?;
        let presented = agenda_item_presenters::Entity::find()
            .filter(agenda_item_presenters::Column::RepresentativeId.eq(person))
            .all(db)
            .await?;
        let items = agenda_items::Entity::find()
            .filter(agenda_items::Column::Id.is_in(presented.iter().map(|p| p.agenda_item_id)))
            .all(db)
            .await?;
        let owned = follow_ups::Entity::find()
            .filter(follow_ups::Column::OwnerId.eq(person))
            .order_by_asc(follow_ups::Column::Id)
            .all(db)
            .await?;
        let meeting_ids: BTreeSet<Uuid> = attended
            .iter()
            .map(|a| a.meeting_id)
            .chain(items.iter().map(|i| i.meeting_id))
            .collect();
        let meetings: HashMap<Uuid, meetings::Model> = meetings::Entity::find()
            .filter(meetings::Column::Id.is_in(meeting_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let organisation_ids: BTreeSet<Uuid> = periods
            .iter()
            .map(|p| p.organisation_id.as_uuid())
            .chain(attended.iter().map(|a| a.organisation_id))
            .collect();
        let organisation_names: HashMap<Uuid, String> = organisations::Entity::find()
            .select_only()
            .column(organisations::Column::Id)
            .column(organisations::Column::Name)
            .filter(organisations::Column::Id.is_in(organisation_ids))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let organisation = |id: Uuid| {
            organisation_names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        };
        let meeting = |id: Uuid| {
            meetings
                .get(&id)
                .ok_or_else(|| StoreError::corrupt("meeting", id, "is referred to but not there"))
        };

        let mut taken = Vec::new();
        for row in &attended {
            let m = meeting(row.meeting_id)?;
            taken.push(MeetingTaken {
                meeting_id: m.id.into(),
                title: m.title.clone(),
                starts_at: m.starts_at,
                meeting_status: stored("meeting", m.id, MeetingStatus::parse("status", &m.status))?,
                organisation: organisation(row.organisation_id),
                role: stored("attendance", row.id, AttendanceRole::parse("role", &row.role))?,
                status: stored(
                    "attendance",
                    row.id,
                    AttendanceStatus::parse("status", &row.status),
                )?,
            });
        }
        taken.sort_by_key(|m| (m.starts_at, m.meeting_id));
        let mut presentations = Vec::new();
        for item in &items {
            let m = meeting(item.meeting_id)?;
            presentations.push(ItemPresented {
                meeting_id: m.id.into(),
                meeting_title: m.title.clone(),
                starts_at: m.starts_at,
                agenda_item_id: item.id.into(),
                title: item.title.clone(),
            });
        }
        presentations.sort_by_key(|p| (p.starts_at, p.agenda_item_id));
        let follow_ups = owned
            .into_iter()
            .map(|row| {
                Ok(FollowUpOwned {
                    id: row.id.into(),
                    meeting_id: row.meeting_id.into(),
                    status: stored("follow-up", row.id, FollowUpStatus::parse("status", &row.status))?,
                    title: row.title,
                    due_on: row.due_on,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let user_rows = users::Entity::find()
            .filter(users::Column::RepresentativeId.eq(person))
            .order_by_asc(users::Column::Id)
            .all(db)
            .await?;
        let user_ids: Vec<Uuid> = user_rows.iter().map(|u| u.id).collect();
        let users = user_rows
            .into_iter()
            .map(user_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let audit = audit_entries(
            db,
            Condition::any()
                .add(
                    Condition::all()
                        .add(audit_events::Column::Entity.eq(REPRESENTATIVE))
                        .add(audit_events::Column::EntityId.eq(person)),
                )
                .add(
                    Condition::all()
                        .add(audit_events::Column::Entity.eq(USER))
                        .add(audit_events::Column::EntityId.is_in(user_ids)),
                ),
        )
        .await?;
        let affiliations = periods
            .into_iter()
            .map(|affiliation| NamedAffiliation {
                organisation: organisation(affiliation.organisation_id.as_uuid()),
                affiliation,
            })
            .collect();
        Ok(RepresentativeData {
            representative,
            affiliations,
            meetings: taken,
            presentations,
            follow_ups,
            users,
            audit,
            terms: terms.clone(),
            made_at: time::now(),
        })
    }

    /// Everything held about a user account (Art. 15): the account, its
    /// tokens (never secrets), its web sessions, the audit events about it
    /// and every write it made.
    pub async fn user_data(&self, id: UserId, terms: &ProcessingTerms) -> StoreResult<UserData> {
        let db = &self.db;
        let user = self.user(id).await?;
        let tokens = self.tokens_of(id).await?;
        let sessions = sessions::Entity::find()
            .filter(sessions::Column::UserId.eq(id.as_uuid()))
            .order_by_asc(sessions::Column::CreatedAt)
            .all(db)
            .await?
            .into_iter()
            .map(|row| SessionSeen {
                created_at: row.created_at,
                last_seen_at: row.last_seen_at,
                client_address: row.client_address,
                user_agent: row.user_agent,
            })
            .collect();
        let audit = audit_entries(
            db,
            Condition::any()
                .add(
                    Condition::all()
                        .add(audit_events::Column::Entity.eq(USER))
                        .add(audit_events::Column::EntityId.eq(id.as_uuid())),
                )
                .add(audit_events::Column::UserId.eq(id.as_uuid())),
        )
        .await?;
        Ok(UserData {
            user,
            tokens,
            sessions,
            audit,
            terms: terms.clone(),
            made_at: time::now(),
        })
    }

    /// Who the retention policy names on `today`: minors past the limit
    /// (to erase) and others inactive for the review period (to review),
    /// leaving out the erased.
    pub async fn retention_findings(
        &self,
        policy: &RetentionPolicy,
        today: NaiveDate,
    ) -> StoreResult<Vec<RetentionFinding>> {
        let people = representatives::Entity::find()
            .filter(representatives::Column::ErasedAt.is_null())
            .order_by_asc(representatives::Column::Id)
            .all(&self.db)
            .await?;
        // The last meeting of each person, invited or attended, cancelled
        // or archived meetings too: they were recorded as taking part.
        let person = Expr::col((attendances::Entity, attendances::Column::RepresentativeId));
        let query = Query::select()
            .expr_as(person.clone(), Alias::new("person"))
            .expr_as(
                Func::max(Expr::col((meetings::Entity, meetings::Column::StartsAt))),
                Alias::new("last"),
            )
            .from(attendances::Entity)
            .inner_join(
                meetings::Entity,
                Expr::col((meetings::Entity, meetings::Column::Id))
                    .equals((attendances::Entity, attendances::Column::MeetingId)),
            )
            .and_where(person.clone().is_not_null())
            .add_group_by([person])
            .take();
        let mut last_meetings: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
        for row in self.db.query_all(&query).await? {
            let id: Uuid = row.try_get("", "person")?;
            let last: DateTime<Utc> = row.try_get("", "last")?;
            last_meetings.insert(id, last);
        }
        let current = crate::representatives::by_id(&self.db, people.iter().map(|p| p.id)).await?;
        let mut findings = Vec::new();
        for row in people {
            let candidate = RetentionCandidate {
                id: row.id.into(),
                is_minor: row.is_minor,
                last_meeting_on: last_meetings.get(&row.id).map(|at| time::local_date(*at)),
                last_changed_on: time::local_date(row.updated_at),
            };
            let Some(verdict) = policy.judge(&candidate, today) else {
                continue;
            };
            let organisation_id = current
                .get(&row.id)
                .map(|person| person.affiliation.organisation_id)
                .ok_or_else(|| StoreError::corrupt(REPRESENTATIVE, row.id, "has no current affiliation"))?;
            findings.push(RetentionFinding {
                id: candidate.id,
                organisation_id,
                verdict,
                last_meeting_on: candidate.last_meeting_on,
                last_changed_on: candidate.last_changed_on,
            });
        }
        Ok(findings)
    }

    /// Runs the retention policy on `today`: finds, and unless `dry_run`
    /// erases the minors past the limit (each erasure its own transaction).
    /// On PostgreSQL one server at a time: a run that finds another
    /// holding the lock does nothing (`skipped`).
    pub async fn run_retention(
        &self,
        policy: &RetentionPolicy,
        today: NaiveDate,
        dry_run: bool,
    ) -> StoreResult<RetentionRun> {
        // The lock lives as long as this transaction, which writes nothing.
        let guard = if self.backend() == DbBackend::Postgres && !dry_run {
            use sea_orm::TransactionTrait;
            let guard = self.db.begin().await?;
            if !SharedLock::Retention.try_take(&guard).await? {
                guard.rollback().await?;
                return Ok(RetentionRun {
                    skipped: true,
                    ..RetentionRun::default()
                });
            }
            Some(guard)
        } else {
            None
        };
        let findings = self.retention_findings(policy, today).await?;
        let mut erased = Vec::new();
        if !dry_run {
            let reason = samverkan_domain::privacy::retention_reason(policy);
            for finding in findings.iter().filter(|f| f.verdict == RetentionVerdict::Erase) {
                match self.erase_representative(finding.id, &reason).await {
                    Ok(_) => erased.push(finding.id),
                    // Erased meanwhile (by hand, or by a run before the lock
                    // was taken): nothing left to do.
                    Err(StoreError::Refused(PrivacyRefusal::AlreadyErased { .. })) => {}
                    Err(error) => return Err(error),
                }
            }
        }
        if let Some(guard) = guard {
            guard.commit().await?;
        }
        Ok(RetentionRun {
            findings,
            erased,
            skipped: false,
        })
    }
}

/// Audit events matching `condition`, oldest first, as an export shows
/// them.
async fn audit_entries(db: &impl Db, condition: Condition) -> StoreResult<Vec<AuditEntry>> {
    Ok(audit_events::Entity::find()
        .filter(condition)
        .order_by_asc(audit_events::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id.into(),
            occurred_at: row.occurred_at,
            actor: row.actor,
            entity: row.entity,
            entity_id: row.entity_id,
            action: row.action,
            before: row.before,
            after: row.after,
        })
        .collect())
}
