//! Changing a logged meeting's parts (attendees, agenda, outcomes) under the
//! meeting's version: the domain edits the whole aggregate in memory, and
//! only the rows that differ are written, in one transaction.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use samverkan_domain::{
    AgendaItemId, AgendaItemInput, AttendanceId, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput,
    FollowUp, KnownRecords, MeetingEditError, MeetingId, MeetingLog, MeetingLogInput, MeetingRecords,
    OutcomeId, OutcomeKind, ReferencedIds, RevisedParts, ValidationErrors, time,
};

use crate::entity::{
    agenda_item_presenters, agenda_item_tags, agenda_items, attendances, meetings, outcomes,
};
use crate::error::{StoreError, StoreResult};
use crate::meetings::{
    Newcomers, agenda_row, attendance_row, create_newcomers, insert_item_links, known_records, load_records,
    meeting_row, outcome_row, records_snapshot, replace_meeting_links,
};
use crate::support::{Db, guarded_update};
use crate::{Store, engagement_facts, follow_ups as follow_up_rows};

impl From<MeetingEditError> for StoreError {
    fn from(error: MeetingEditError) -> Self {
        match error {
            MeetingEditError::NotFound { part, id } => StoreError::NotFound { entity: part, id },
            MeetingEditError::Invalid(errors) => StoreError::Validation(errors),
        }
    }
}

/// Writes the difference between two states of one meeting's parts.
async fn write_changes(db: &impl Db, before: &MeetingRecords, after: &MeetingRecords) -> StoreResult<()> {
    sync_rows(
        db,
        &before.attendances,
        &after.attendances,
        |a| a.id.as_uuid(),
        attendance_row,
        attendances::Column::Id,
    )
    .await?;

    // Agenda items, with their presenters and tags.
    let old: HashMap<_, _> = before.agenda.iter().map(|i| (i.id, i)).collect();
    let new: HashMap<_, _> = after.agenda.iter().map(|i| (i.id, i)).collect();
    let gone: Vec<Uuid> = old
        .keys()
        .filter(|id| !new.contains_key(id))
        .map(|id| id.as_uuid())
        .collect();
    // Outcomes go first: those that pointed at a removed item are unlinked
    // before the item goes, so no statement leaves a foreign key dangling.
    write_outcomes(db, before, after).await?;
    if !gone.is_empty() {
        agenda_items::Entity::delete_many()
            .filter(agenda_items::Column::Id.is_in(gone))
            .exec(db)
            .await?;
    }
    // Items written anew, whose presenters and tags are (re)written after.
    let mut relinked = Vec::new();
    for item in &after.agenda {
        let previous = old.get(&item.id);
        if previous.is_some_and(|previous| *previous == item) {
            continue;
        }
        if previous.is_none() {
            agenda_items::Entity::insert(agenda_row(item))
                .exec_without_returning(db)
                .await?;
        } else {
            agenda_items::Entity::update(agenda_row(item).reset_all())
                .exec(db)
                .await?;
            agenda_item_presenters::Entity::delete_many()
                .filter(agenda_item_presenters::Column::AgendaItemId.eq(item.id.as_uuid()))
                .exec(db)
                .await?;
            agenda_item_tags::Entity::delete_many()
                .filter(agenda_item_tags::Column::AgendaItemId.eq(item.id.as_uuid()))
                .exec(db)
                .await?;
        }
        relinked.push(item);
    }
    insert_item_links(db, relinked.into_iter()).await
}

async fn write_outcomes(db: &impl Db, before: &MeetingRecords, after: &MeetingRecords) -> StoreResult<()> {
    // Follow-ups that came from a removed outcome stay, unlinked (the foreign
    // key sets their `outcome_id` to NULL). One edit adds an outcome or an
    // agenda item, never both, so a new outcome points only at an item that
    // exists already.
    sync_rows(
        db,
        &before.outcomes,
        &after.outcomes,
        |o| o.id.as_uuid(),
        outcome_row,
        outcomes::Column::Id,
    )
    .await
}

/// Makes the rows of one kind of part match `after`: deletes those gone,
/// inserts those new, updates those changed, by id.
async fn sync_rows<T, A>(
    db: &impl Db,
    before: &[T],
    after: &[T],
    id_of: impl Fn(&T) -> Uuid,
    row: impl Fn(&T) -> A,
    id_column: <A::Entity as EntityTrait>::Column,
) -> StoreResult<()>
where
    T: PartialEq,
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    let old: HashMap<Uuid, &T> = before.iter().map(|part| (id_of(part), part)).collect();
    let new: HashMap<Uuid, &T> = after.iter().map(|part| (id_of(part), part)).collect();
    let gone: Vec<Uuid> = old.keys().filter(|id| !new.contains_key(id)).copied().collect();
    if !gone.is_empty() {
        <A::Entity as EntityTrait>::delete_many()
            .filter(id_column.is_in(gone))
            .exec(db)
            .await?;
    }
    for part in after {
        match old.get(&id_of(part)) {
            None => {
                <A::Entity as EntityTrait>::insert(row(part))
                    .exec_without_returning(db)
                    .await?;
            }
            Some(previous) if *previous != part => {
                <A::Entity as EntityTrait>::update(row(part).reset_all())
                    .exec(db)
                    .await?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

impl Store {
    /// Runs one edit of a meeting's parts in a write transaction: loads the
    /// meeting whole, checks `expected_version` (when given), applies the
    /// edit, writes what changed, and moves the meeting to its next version.
    async fn edit_meeting<T>(
        &self,
        action: &'static str,
        id: MeetingId,
        expected_version: Option<i32>,
        referenced: ReferencedIds,
        edit: impl FnOnce(&mut MeetingRecords, &KnownRecords) -> Result<T, MeetingEditError>,
    ) -> StoreResult<(T, MeetingRecords)> {
        let mut txn = self.begin_write().await?;
        let before = load_records(&*txn, id).await?;
        let version = expected_version.unwrap_or(before.meeting.meta.version);
        crate::support::check_version("meeting", id.as_uuid(), version, &before.meeting.meta)?;
        crate::support::refuse_archived("meeting", id.as_uuid(), &before.meeting.meta)?;
        let known = known_records(&*txn, &referenced).await?;
        let mut after = before.clone();
        let result = edit(&mut after, &known)?;
        let now = time::now();
        after.meeting.meta.version += 1;
        after.meeting.meta.updated_at = now;
        write_changes(&*txn, &before, &after).await?;
        let changes = meetings::ActiveModel {
            version: Set(after.meeting.meta.version),
            updated_at: Set(now),
            ..Default::default()
        };
        guarded_update(
            &txn,
            "meeting",
            meetings::Column::Id,
            meetings::Column::Version,
            id.as_uuid(),
            version,
            changes,
        )
        .await?;
        engagement_facts::refresh(&*txn, id).await?;
        txn.audit(
            "meeting",
            id.as_uuid(),
            action,
            Some(records_snapshot(&before)?),
            Some(records_snapshot(&after)?),
        )
        .await?;
        txn.commit().await?;
        Ok((result, after))
    }

    /// Revises a logged meeting whole, as the web's edit form sends it: its
    /// own fields, attendees, agenda and outcomes become those of `input`
    /// (the parts `parts` names keeping their ids, so their history and
    /// the follow-ups tied to them stay), the follow-ups `input` holds are
    /// added, and `newcomers` are created first — all in one transaction,
    /// under `expected_version`, as one audited `revise` of the meeting.
    /// The rules are those of logging a meeting, except that what the
    /// meeting already holds may stay though archived since.
    pub async fn revise_meeting_with(
        &self,
        id: MeetingId,
        expected_version: i32,
        newcomers: Newcomers,
        input: MeetingLogInput,
        parts: RevisedParts,
    ) -> StoreResult<MeetingRecords> {
        let now = time::now();
        // The shape is checked before any lock is taken.
        let parsed = MeetingLog::parse(input, now)?;
        let mut txn = self.begin_write().await?;
        let before = load_records(&*txn, id).await?;
        crate::support::check_version("meeting", id.as_uuid(), expected_version, &before.meeting.meta)?;
        crate::support::refuse_archived("meeting", id.as_uuid(), &before.meeting.meta)?;
        create_newcomers(&mut txn, newcomers).await?;
        let known = known_records(&*txn, &parsed.referenced_ids()).await?;
        let mut after = before.revised(parsed, &parts, &known, now)?;
        after.meeting.meta.version += 1;
        after.meeting.meta.updated_at = now;
        guarded_update(
            &txn,
            "meeting",
            meetings::Column::Id,
            meetings::Column::Version,
            id.as_uuid(),
            expected_version,
            meeting_row(&after.meeting).into_active_model().reset_all(),
        )
        .await?;
        replace_meeting_links(&*txn, &after.meeting, true).await?;
        write_changes(&*txn, &before, &after).await?;
        let added: Vec<FollowUp> = after
            .follow_ups
            .iter()
            .filter(|follow_up| !before.follow_ups.iter().any(|old| old.id == follow_up.id))
            .cloned()
            .collect();
        follow_up_rows::insert_many(&*txn, &added).await?;
        engagement_facts::refresh(&*txn, id).await?;
        txn.audit(
            "meeting",
            id.as_uuid(),
            "revise",
            Some(records_snapshot(&before)?),
            Some(records_snapshot(&after)?),
        )
        .await?;
        for follow_up in &added {
            let snapshot = follow_up_rows::snapshot(follow_up)?;
            txn.audit(
                "follow-up",
                follow_up.id.as_uuid(),
                "create",
                None,
                Some(snapshot),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(after)
    }

    /// Adds an attendee to a logged meeting.
    pub async fn add_attendee(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        input: AttendeeInput,
    ) -> StoreResult<(AttendanceId, MeetingRecords)> {
        let mut referenced = ReferencedIds::default();
        match input.attendee {
            Attendee::Representative(id) => referenced.representatives.insert(id),
            Attendee::Organisation(id) => referenced.organisations.insert(id),
        };
        self.edit_meeting(
            "add_attendee",
            meeting_id,
            expected_version,
            referenced,
            |records, known| records.add_attendee(&input, known),
        )
        .await
    }

    /// Records attendance in one go (the page for after the day): each
    /// attendance named gets its status, in one edit under the meeting's
    /// version. A refusal names its place as `attendees[i].status`, `i`
    /// being the index in `statuses`.
    pub async fn record_attendance(
        &self,
        meeting_id: MeetingId,
        expected_version: i32,
        statuses: Vec<(AttendanceId, AttendanceStatus)>,
    ) -> StoreResult<MeetingRecords> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| {
            for (i, (id, status)) in statuses.iter().enumerate() {
                records
                    .update_attendee(*id, None, Some(*status))
                    .map_err(|error| match error {
                        MeetingEditError::Invalid(errors) => {
                            let mut under = ValidationErrors::new();
                            under.extend_under(&format!("attendees[{i}]"), errors);
                            MeetingEditError::Invalid(under)
                        }
                        other => other,
                    })?;
            }
            Ok(())
        };
        Ok(self
            .edit_meeting(
                "record_attendance",
                meeting_id,
                Some(expected_version),
                ReferencedIds::default(),
                edit,
            )
            .await?
            .1)
    }

    pub async fn update_attendee(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        id: AttendanceId,
        role: Option<AttendanceRole>,
        status: Option<AttendanceStatus>,
    ) -> StoreResult<MeetingRecords> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| records.update_attendee(id, role, status);
        Ok(self
            .edit_meeting(
                "update_attendee",
                meeting_id,
                expected_version,
                ReferencedIds::default(),
                edit,
            )
            .await?
            .1)
    }

    pub async fn remove_attendee(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        id: AttendanceId,
    ) -> StoreResult<MeetingRecords> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| records.remove_attendee(id);
        Ok(self
            .edit_meeting(
                "remove_attendee",
                meeting_id,
                expected_version,
                ReferencedIds::default(),
                edit,
            )
            .await?
            .1)
    }

    /// Adds an agenda item at `position` (1-based; last when absent).
    pub async fn add_agenda_item(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        input: AgendaItemInput,
        position: Option<u32>,
    ) -> StoreResult<(AgendaItemId, MeetingRecords)> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| records.add_agenda_item(&input, position);
        self.edit_meeting(
            "add_agenda_item",
            meeting_id,
            expected_version,
            ReferencedIds::default(),
            edit,
        )
        .await
    }

    pub async fn update_agenda_item(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        id: AgendaItemId,
        input: AgendaItemInput,
    ) -> StoreResult<MeetingRecords> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| records.update_agenda_item(id, &input);
        Ok(self
            .edit_meeting(
                "update_agenda_item",
                meeting_id,
                expected_version,
                ReferencedIds::default(),
                edit,
            )
            .await?
            .1)
    }

    pub async fn remove_agenda_item(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        id: AgendaItemId,
    ) -> StoreResult<MeetingRecords> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| records.remove_agenda_item(id);
        Ok(self
            .edit_meeting(
                "remove_agenda_item",
                meeting_id,
                expected_version,
                ReferencedIds::default(),
                edit,
            )
            .await?
            .1)
    }

    /// Puts the agenda in the given order (every item, once).
    pub async fn reorder_agenda(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        order: Vec<AgendaItemId>,
    ) -> StoreResult<MeetingRecords> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| records.reorder_agenda(&order);
        Ok(self
            .edit_meeting(
                "reorder_agenda",
                meeting_id,
                expected_version,
                ReferencedIds::default(),
                edit,
            )
            .await?
            .1)
    }

    pub async fn add_outcome(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        kind: OutcomeKind,
        text: String,
        agenda_item_id: Option<AgendaItemId>,
    ) -> StoreResult<(OutcomeId, MeetingRecords)> {
        let edit =
            |records: &mut MeetingRecords, _: &KnownRecords| records.add_outcome(kind, &text, agenda_item_id);
        self.edit_meeting(
            "add_outcome",
            meeting_id,
            expected_version,
            ReferencedIds::default(),
            edit,
        )
        .await
    }

    pub async fn update_outcome(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        id: OutcomeId,
        kind: OutcomeKind,
        text: String,
        agenda_item_id: Option<AgendaItemId>,
    ) -> StoreResult<MeetingRecords> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| {
            records.update_outcome(id, kind, &text, agenda_item_id)
        };
        Ok(self
            .edit_meeting(
                "update_outcome",
                meeting_id,
                expected_version,
                ReferencedIds::default(),
                edit,
            )
            .await?
            .1)
    }

    pub async fn remove_outcome(
        &self,
        meeting_id: MeetingId,
        expected_version: Option<i32>,
        id: OutcomeId,
    ) -> StoreResult<MeetingRecords> {
        let edit = |records: &mut MeetingRecords, _: &KnownRecords| records.remove_outcome(id);
        Ok(self
            .edit_meeting(
                "remove_outcome",
                meeting_id,
                expected_version,
                ReferencedIds::default(),
                edit,
            )
            .await?
            .1)
    }
}
