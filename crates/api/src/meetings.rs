//! `/api/v1/meetings`: a whole partner day logged in one call, read back
//! whole, and its parts changed afterwards.

use chrono::NaiveDate;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use samverkan_domain::{
    self as domain, AgendaItemId, AgendaItemInput, AttendanceId, MeetingDetails, MeetingId, OrganisationId,
    OutcomeId, PartnershipId, RepresentativeId, time,
};
use samverkan_store::{MeetingFilter, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::body::Body;
use crate::common::{ArchivedResponse, MeetingKind, check_version, date_param, page_request, patch};
use crate::problem::ApiError;

mod wire;

use wire::{
    AgendaItem, AgendaItemAddition, AgendaItemPatch, AgendaOrder, Attendee, AttendeeAddition, AttendeePatch,
    CreatedAgendaItem, CreatedAttendee, CreatedMeeting, CreatedOutcome, Meeting, MeetingList, MeetingPatch,
    MeetingRecord, NewMeeting, Outcome, OutcomeAddition, OutcomePatch, Removed,
};

fn invalid(field: domain::FieldError) -> ApiError {
    ApiError::validation(field.into())
}

/// A part the meeting does not have (asked for before any write): 404.
fn part_not_found(part: &'static str, id: Uuid) -> ApiError {
    samverkan_store::StoreError::NotFound { entity: part, id }.into()
}

/// A part the store has just written and yet does not return: the store
/// broke its own rule, a 500 that is logged (not a 404, which would tell
/// the client its write failed).
fn part_missing(part: &'static str, id: Uuid) -> ApiError {
    samverkan_store::StoreError::Internal(format!("the {part} {id} just written is not in the meeting"))
        .into()
}

pub struct MeetingsApi {
    pub store: Store,
}

#[OpenApi(prefix_path = "/api/v1/meetings", tag = "ApiTags::Meetings")]
impl MeetingsApi {
    /// List meetings
    ///
    /// Newest first. `from` and `to` are Europe/Stockholm dates, inclusive;
    /// `organisation_id` matches meetings it hosted or attended itself or
    /// through one of its people; `q` matches title, location and summary.
    #[oai(path = "/", method = "get", operation_id = "list_meetings")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        _auth: auth::ReadRecords,
        from: Query<Option<NaiveDate>>,
        to: Query<Option<NaiveDate>>,
        organisation_id: Query<Option<Uuid>>,
        representative_id: Query<Option<Uuid>>,
        kind: Query<Option<MeetingKind>>,
        tag: Query<Option<String>>,
        q: Query<Option<String>>,
        include_archived: Query<Option<bool>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<MeetingList>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        date_param("from", from.0)?;
        date_param("to", to.0)?;
        if let (Some(from), Some(to)) = (from.0, to.0)
            && to < from
        {
            return Err(ApiError::bad_request("to", "must not be before from"));
        }
        let filter = MeetingFilter {
            from: from.0,
            to: to.0,
            organisation_id: organisation_id.0.map(Into::into),
            representative_id: representative_id.0.map(Into::into),
            kind: kind.0.map(Into::into),
            tag: tag.0,
            q: q.0,
            include_archived: include_archived.0.unwrap_or(false),
            // The API lists newest first only.
            ..MeetingFilter::default()
        };
        let found = self.store.list_meetings(&filter, &page).await?;
        Ok(Json(MeetingList::from_page(found, Meeting::from)))
    }

    /// Log a meeting whole
    ///
    /// The meeting with its attendees, agenda, outcomes and follow-ups, in
    /// one transaction: it lands whole or not at all. Presenters must attend;
    /// `agenda_index` and `outcome_index` point into the same request
    /// (0-based).
    #[oai(path = "/", method = "post", operation_id = "log_meeting")]
    async fn create(
        &self,
        auth: auth::WriteRecords,
        body: Body<NewMeeting>,
    ) -> Result<CreatedMeeting, ApiError> {
        let input = body.0.into_input()?;
        let records = auth.store(&self.store).log_meeting(input).await?;
        let location = format!("/api/v1/meetings/{}", records.meeting.id);
        Ok(CreatedMeeting::Created(Json(records.into()), location))
    }

    /// Get a meeting whole
    #[oai(path = "/:id", method = "get", operation_id = "get_meeting")]
    async fn get(&self, _auth: auth::ReadRecords, id: Path<Uuid>) -> Result<Json<MeetingRecord>, ApiError> {
        Ok(Json(
            self.store.meeting_records(MeetingId::from(id.0)).await?.into(),
        ))
    }

    /// Change a meeting's own fields
    #[oai(path = "/:id", method = "patch", operation_id = "update_meeting")]
    async fn update(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<MeetingPatch>,
    ) -> Result<Json<MeetingRecord>, ApiError> {
        let id = MeetingId::from(id.0);
        let body = body.0;
        let current = auth.store(&self.store).meeting(id).await?;
        check_version("meeting", body.version, current.meta.version)?;
        let mut input = current.details.to_input();
        if let Some(title) = body.title {
            input.title = title;
        }
        if let Some(kind) = body.kind {
            input.kind = Some(kind.into());
        }
        if let Some(starts_at) = body.starts_at {
            input.starts_at = Some(starts_at);
        }
        patch(body.ends_at, &mut input.ends_at);
        if let Some(all_day) = body.all_day {
            input.all_day = all_day;
        }
        patch(body.location, &mut input.location);
        let mut host = input.host_organisation_id.map(|id| id.as_uuid());
        patch(body.host_organisation_id, &mut host);
        input.host_organisation_id = host.map(OrganisationId::from);
        if let Some(ids) = body.partnership_ids {
            input.partnership_ids = ids.into_iter().map(PartnershipId::from).collect();
        }
        patch(body.summary, &mut input.summary);
        if let Some(tags) = body.tags {
            input.tags = tags;
        }
        if let Some(status) = body.status {
            input.status = Some(status.into());
        }
        let details = MeetingDetails::parse(&input, time::now())?;
        auth.store(&self.store)
            .update_meeting(id, body.version, details)
            .await?;
        Ok(Json(auth.store(&self.store).meeting_records(id).await?.into()))
    }

    /// Archive a meeting
    ///
    /// Meetings are history: archived, not deleted. An archived meeting
    /// leaves the lists (unless `include_archived`) and cannot be changed.
    #[oai(path = "/:id", method = "delete", operation_id = "archive_meeting")]
    async fn archive(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        /// The version the client read: a stale one is answered 409 and
        /// nothing changes. Left out, whatever version it is at.
        version: Query<Option<i32>>,
    ) -> Result<ArchivedResponse, ApiError> {
        auth.store(&self.store)
            .archive_meeting(MeetingId::from(id.0), version.0)
            .await?;
        Ok(ArchivedResponse::Archived)
    }

    /// Add an attendee
    #[oai(path = "/:id/attendees", method = "post", operation_id = "add_attendee")]
    async fn add_attendee(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<AttendeeAddition>,
    ) -> Result<CreatedAttendee, ApiError> {
        let input = body.0.attendee.to_input("attendee").map_err(invalid)?;
        let (attendance_id, records) = auth
            .store(&self.store)
            .add_attendee(MeetingId::from(id.0), body.0.version, input)
            .await?;
        let attendee = records
            .attendances
            .iter()
            .find(|a| a.id == attendance_id)
            .map(Attendee::from)
            .ok_or_else(|| part_missing("attendee", attendance_id.as_uuid()))?;
        let location = format!("/api/v1/meetings/{}/attendees/{}", id.0, attendance_id);
        Ok(CreatedAttendee::Created(Json(attendee), location))
    }

    /// Change an attendee's role or status
    #[oai(
        path = "/:id/attendees/:attendee_id",
        method = "patch",
        operation_id = "update_attendee"
    )]
    async fn update_attendee(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        attendee_id: Path<Uuid>,
        body: Body<AttendeePatch>,
    ) -> Result<Json<Attendee>, ApiError> {
        let attendance_id = AttendanceId::from(attendee_id.0);
        let body = body.0;
        let records = auth
            .store(&self.store)
            .update_attendee(
                MeetingId::from(id.0),
                body.version,
                attendance_id,
                body.role.map(Into::into),
                body.status.map(Into::into),
            )
            .await?;
        records
            .attendances
            .iter()
            .find(|a| a.id == attendance_id)
            .map(|a| Json(Attendee::from(a)))
            .ok_or_else(|| part_missing("attendee", attendee_id.0))
    }

    /// Remove an attendee
    ///
    /// An attendee who presents an agenda item cannot be removed (422).
    #[oai(
        path = "/:id/attendees/:attendee_id",
        method = "delete",
        operation_id = "remove_attendee"
    )]
    async fn remove_attendee(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        attendee_id: Path<Uuid>,
        /// The meeting's version, to refuse the change if it moved on.
        version: Query<Option<i32>>,
    ) -> Result<Removed, ApiError> {
        auth.store(&self.store)
            .remove_attendee(
                MeetingId::from(id.0),
                version.0,
                AttendanceId::from(attendee_id.0),
            )
            .await?;
        Ok(Removed::Removed)
    }

    /// Add an agenda item
    #[oai(path = "/:id/agenda", method = "post", operation_id = "add_agenda_item")]
    async fn add_agenda_item(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<AgendaItemAddition>,
    ) -> Result<CreatedAgendaItem, ApiError> {
        let body = body.0;
        let (item_id, records) = auth
            .store(&self.store)
            .add_agenda_item(
                MeetingId::from(id.0),
                body.version,
                body.item.into(),
                body.position,
            )
            .await?;
        let item = records
            .agenda
            .iter()
            .find(|i| i.id == item_id)
            .map(AgendaItem::from)
            .ok_or_else(|| part_missing("agenda item", item_id.as_uuid()))?;
        let location = format!("/api/v1/meetings/{}/agenda/{}", id.0, item_id);
        Ok(CreatedAgendaItem::Created(Json(item), location))
    }

    /// Put the agenda in a new order
    #[oai(path = "/:id/agenda/order", method = "put", operation_id = "reorder_agenda")]
    async fn reorder_agenda(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<AgendaOrder>,
    ) -> Result<Json<Vec<AgendaItem>>, ApiError> {
        let body = body.0;
        let order = body.item_ids.into_iter().map(AgendaItemId::from).collect();
        let records = auth
            .store(&self.store)
            .reorder_agenda(MeetingId::from(id.0), body.version, order)
            .await?;
        Ok(Json(records.agenda.iter().map(AgendaItem::from).collect()))
    }

    /// Change an agenda item
    #[oai(
        path = "/:id/agenda/:item_id",
        method = "patch",
        operation_id = "update_agenda_item"
    )]
    async fn update_agenda_item(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        item_id: Path<Uuid>,
        body: Body<AgendaItemPatch>,
    ) -> Result<Json<AgendaItem>, ApiError> {
        let meeting_id = MeetingId::from(id.0);
        let item_id = AgendaItemId::from(item_id.0);
        let body = body.0;
        let current = auth.store(&self.store).meeting_records(meeting_id).await?;
        let item = current
            .agenda
            .iter()
            .find(|i| i.id == item_id)
            .ok_or_else(|| part_not_found("agenda item", item_id.as_uuid()))?;
        let mut input = AgendaItemInput {
            title: body.title.unwrap_or_else(|| item.title.clone()),
            description: item.description.clone(),
            presenter_ids: body
                .presenter_ids
                .map(|ids| ids.into_iter().map(RepresentativeId::from).collect())
                .unwrap_or_else(|| item.presenter_ids.clone()),
            duration_minutes: item.duration_minutes.map(i64::from),
            tags: body.tags.unwrap_or_else(|| item.tags.to_strings()),
        };
        patch(body.description, &mut input.description);
        patch(body.duration_minutes, &mut input.duration_minutes);
        // Without a version from the client, the one just read guards the
        // read-modify-write.
        let version = body.version.or(Some(current.meeting.meta.version));
        let records = auth
            .store(&self.store)
            .update_agenda_item(meeting_id, version, item_id, input)
            .await?;
        records
            .agenda
            .iter()
            .find(|i| i.id == item_id)
            .map(|i| Json(AgendaItem::from(i)))
            .ok_or_else(|| part_missing("agenda item", item_id.as_uuid()))
    }

    /// Remove an agenda item
    ///
    /// Later items move up; outcomes that pointed at it no longer do.
    #[oai(
        path = "/:id/agenda/:item_id",
        method = "delete",
        operation_id = "remove_agenda_item"
    )]
    async fn remove_agenda_item(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        item_id: Path<Uuid>,
        /// The meeting's version, to refuse the change if it moved on.
        version: Query<Option<i32>>,
    ) -> Result<Removed, ApiError> {
        auth.store(&self.store)
            .remove_agenda_item(MeetingId::from(id.0), version.0, AgendaItemId::from(item_id.0))
            .await?;
        Ok(Removed::Removed)
    }

    /// Add an outcome
    #[oai(path = "/:id/outcomes", method = "post", operation_id = "add_outcome")]
    async fn add_outcome(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<OutcomeAddition>,
    ) -> Result<CreatedOutcome, ApiError> {
        let body = body.0;
        let (outcome_id, records) = auth
            .store(&self.store)
            .add_outcome(
                MeetingId::from(id.0),
                body.version,
                body.kind.into(),
                body.text,
                body.agenda_item_id.map(AgendaItemId::from),
            )
            .await?;
        let outcome = records
            .outcomes
            .iter()
            .find(|o| o.id == outcome_id)
            .map(Outcome::from)
            .ok_or_else(|| part_missing("outcome", outcome_id.as_uuid()))?;
        let location = format!("/api/v1/meetings/{}/outcomes/{}", id.0, outcome_id);
        Ok(CreatedOutcome::Created(Json(outcome), location))
    }

    /// Change an outcome
    #[oai(
        path = "/:id/outcomes/:outcome_id",
        method = "patch",
        operation_id = "update_outcome"
    )]
    async fn update_outcome(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        outcome_id: Path<Uuid>,
        body: Body<OutcomePatch>,
    ) -> Result<Json<Outcome>, ApiError> {
        let meeting_id = MeetingId::from(id.0);
        let outcome_id = OutcomeId::from(outcome_id.0);
        let body = body.0;
        let current = auth.store(&self.store).meeting_records(meeting_id).await?;
        let outcome = current
            .outcomes
            .iter()
            .find(|o| o.id == outcome_id)
            .ok_or_else(|| part_not_found("outcome", outcome_id.as_uuid()))?;
        let mut agenda_item_id = outcome.agenda_item_id.map(|id| id.as_uuid());
        patch(body.agenda_item_id, &mut agenda_item_id);
        let version = body.version.or(Some(current.meeting.meta.version));
        let records = auth
            .store(&self.store)
            .update_outcome(
                meeting_id,
                version,
                outcome_id,
                body.kind.map_or(outcome.kind, Into::into),
                body.text.unwrap_or_else(|| outcome.text.clone()),
                agenda_item_id.map(AgendaItemId::from),
            )
            .await?;
        records
            .outcomes
            .iter()
            .find(|o| o.id == outcome_id)
            .map(|o| Json(Outcome::from(o)))
            .ok_or_else(|| part_missing("outcome", outcome_id.as_uuid()))
    }

    /// Remove an outcome
    ///
    /// Follow-ups that came from it stay, no longer linked to it.
    #[oai(
        path = "/:id/outcomes/:outcome_id",
        method = "delete",
        operation_id = "remove_outcome"
    )]
    async fn remove_outcome(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        outcome_id: Path<Uuid>,
        /// The meeting's version, to refuse the change if it moved on.
        version: Query<Option<i32>>,
    ) -> Result<Removed, ApiError> {
        auth.store(&self.store)
            .remove_outcome(MeetingId::from(id.0), version.0, OutcomeId::from(outcome_id.0))
            .await?;
        Ok(Removed::Removed)
    }
}
