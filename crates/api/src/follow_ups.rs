//! `/api/v1/follow-ups`

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samverkan_domain::{
    self as domain, FollowUpDetails, FollowUpId, FollowUpInput, MeetingId, OrganisationId, OutcomeId,
    Permission, RepresentativeId, time,
};
use samverkan_store::{FollowUpFilter, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::body::Body;
use crate::common::{
    ArchivedResponse, FollowUpStatus, check_version, date_param, list_of, page_request, patch,
};
use crate::problem::ApiError;

/// The seed's partner day, Högskolan Väst and Maria Derner, in the examples.
const EXAMPLE_MEETING: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0401);
const EXAMPLE_UNIVERSITY: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0002);
const EXAMPLE_OWNER: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0106);
const EXAMPLE_TITLE: &str = "Exempel: dela ungdomsbarometerns resultat med partnerna";
const EXAMPLE_DETAILS: &str = "Exempel i demodata: artikeln nämner inga uppföljningar.";

/// Something a meeting (often one of its outcomes) led someone to do.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct FollowUp {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// The outcome it came from, where there is one.
    #[oai(nullable)]
    pub outcome_id: Option<Uuid>,
    pub title: String,
    #[oai(nullable)]
    pub details: Option<String>,
    /// The representative who is to do it.
    #[oai(nullable)]
    pub owner_id: Option<Uuid>,
    /// The organisation answerable for it.
    #[oai(nullable)]
    pub organisation_id: Option<Uuid>,
    /// A Stockholm day.
    #[oai(nullable)]
    pub due_on: Option<NaiveDate>,
    pub status: FollowUpStatus,
    /// When it was done: set on entering `done`, cleared on leaving it.
    #[oai(nullable)]
    pub completed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[oai(nullable)]
    pub archived_at: Option<DateTime<Utc>>,
}

impl poem_openapi::types::Example for FollowUp {
    fn example() -> Self {
        let at = DateTime::parse_from_rfc3339("2024-04-29T08:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        Self {
            id: Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0501),
            meeting_id: EXAMPLE_MEETING,
            outcome_id: None,
            title: EXAMPLE_TITLE.into(),
            details: Some(EXAMPLE_DETAILS.into()),
            owner_id: Some(EXAMPLE_OWNER),
            organisation_id: Some(EXAMPLE_UNIVERSITY),
            due_on: NaiveDate::from_ymd_opt(2024, 6, 14),
            status: FollowUpStatus::Open,
            completed_at: None,
            version: 1,
            created_at: at,
            updated_at: at,
            archived_at: None,
        }
    }
}

impl From<domain::FollowUp> for FollowUp {
    fn from(follow_up: domain::FollowUp) -> Self {
        let details = follow_up.details;
        Self {
            id: follow_up.id.as_uuid(),
            meeting_id: follow_up.meeting_id.as_uuid(),
            outcome_id: follow_up.outcome_id.map(|id| id.as_uuid()),
            title: details.title,
            details: details.details,
            owner_id: details.owner_id.map(|id| id.as_uuid()),
            organisation_id: details.organisation_id.map(|id| id.as_uuid()),
            due_on: details.due_on,
            status: details.status.into(),
            completed_at: follow_up.completed_at,
            version: follow_up.meta.version,
            created_at: follow_up.meta.created_at,
            updated_at: follow_up.meta.updated_at,
            archived_at: follow_up.meta.archived_at,
        }
    }
}

/// A new follow-up of a logged meeting.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct NewFollowUp {
    /// A live meeting.
    pub meeting_id: Uuid,
    /// One of that meeting's outcomes.
    pub outcome_id: Option<Uuid>,
    pub title: String,
    pub details: Option<String>,
    /// A live representative.
    pub owner_id: Option<Uuid>,
    /// A live organisation.
    pub organisation_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    /// `open` when absent; `done` stamps `completed_at`.
    pub status: Option<FollowUpStatus>,
    /// For one that is done: the Stockholm day it was done, not after
    /// today and not before its meeting's day (default: when it is set
    /// done). Only with `status` `done`.
    pub completed_on: Option<NaiveDate>,
}

impl poem_openapi::types::Example for NewFollowUp {
    fn example() -> Self {
        Self {
            meeting_id: EXAMPLE_MEETING,
            outcome_id: None,
            title: EXAMPLE_TITLE.into(),
            details: Some(EXAMPLE_DETAILS.into()),
            owner_id: Some(EXAMPLE_OWNER),
            organisation_id: Some(EXAMPLE_UNIVERSITY),
            due_on: NaiveDate::from_ymd_opt(2024, 6, 14),
            status: Some(FollowUpStatus::Open),
            completed_on: None,
        }
    }
}

/// Changes to a follow-up: absent fields stay, `null` clears.
///
/// Moving to `done` stamps `completed_at`; leaving `done` clears it.
#[derive(Debug, Clone, Object)]
pub struct FollowUpPatch {
    /// The version the client read; a stale one is answered 409.
    pub version: i32,
    pub title: Option<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub details: MaybeUndefined<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub owner_id: MaybeUndefined<Uuid>,
    /// `null` clears it.
    #[oai(nullable)]
    pub organisation_id: MaybeUndefined<Uuid>,
    /// `null` clears it.
    #[oai(nullable)]
    pub due_on: MaybeUndefined<NaiveDate>,
    pub status: Option<FollowUpStatus>,
    /// With `status` `done` (or for one that is done): the Stockholm day
    /// it was done, not after today and not before its meeting's day.
    /// Absent: now, for one set done; as it was, for one that stays done.
    pub completed_on: Option<NaiveDate>,
}

list_of!(
    /// A page of follow-ups, in the order they were made.
    FollowUpList,
    FollowUp
);

#[derive(Debug, ApiResponse)]
pub enum CreatedFollowUp {
    /// Created; `Location` names it.
    #[oai(status = 201)]
    Created(Json<FollowUp>, #[oai(header = "Location")] String),
}

pub struct FollowUpsApi {
    pub store: Store,
}

#[OpenApi(prefix_path = "/api/v1/follow-ups", tag = "ApiTags::FollowUps")]
impl FollowUpsApi {
    /// List follow-ups
    ///
    /// In the order they were made; `q` matches title and details, ignoring
    /// case and accents (å, ä, ö are letters of their own).
    #[oai(path = "/", method = "get", operation_id = "list_follow_ups")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        _auth: auth::ReadRecords,
        status: Query<Option<FollowUpStatus>>,
        /// Only those this representative is to do.
        owner_id: Query<Option<Uuid>>,
        /// Only those this organisation answers for.
        organisation_id: Query<Option<Uuid>>,
        /// Only those of this meeting.
        meeting_id: Query<Option<Uuid>>,
        /// Only those due before this day (`YYYY-MM-DD`).
        due_before: Query<Option<NaiveDate>>,
        /// `true`: only those open or in progress and due before today
        /// (Stockholm).
        overdue: Query<Option<bool>>,
        q: Query<Option<String>>,
        include_archived: Query<Option<bool>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<FollowUpList>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        date_param("due_before", due_before.0)?;
        let filter = FollowUpFilter {
            status: status.0.map(Into::into),
            owner_id: owner_id.0.map(RepresentativeId::from),
            organisation_id: organisation_id.0.map(OrganisationId::from),
            meeting_id: meeting_id.0.map(MeetingId::from),
            due_before: due_before.0,
            overdue_on: overdue.0.unwrap_or(false).then(time::today),
            q: q.0,
            include_archived: include_archived.0.unwrap_or(false),
            // The API lists in the order made only.
            ..FollowUpFilter::default()
        };
        let found = self.store.list_follow_ups(&filter, &page).await?;
        Ok(Json(FollowUpList::from_page(found, FollowUp::from)))
    }

    /// Create a follow-up
    #[oai(path = "/", method = "post", operation_id = "create_follow_up")]
    async fn create(
        &self,
        auth: auth::WriteRecords,
        body: Body<NewFollowUp>,
    ) -> Result<CreatedFollowUp, ApiError> {
        let body = body.0;
        let input = FollowUpInput {
            title: body.title,
            details: body.details,
            owner_id: body.owner_id.map(RepresentativeId::from),
            organisation_id: body.organisation_id.map(OrganisationId::from),
            due_on: body.due_on,
            status: body.status.map(Into::into),
            completed_on: body.completed_on,
        };
        let details = FollowUpDetails::parse(&input)?;
        let created = auth
            .store(&self.store)
            .create_follow_up(
                MeetingId::from(body.meeting_id),
                body.outcome_id.map(OutcomeId::from),
                details,
                input.completed_on,
            )
            .await?;
        let location = format!("/api/v1/follow-ups/{}", created.id);
        Ok(CreatedFollowUp::Created(Json(created.into()), location))
    }

    /// Get a follow-up
    #[oai(path = "/:id", method = "get", operation_id = "get_follow_up")]
    async fn get(&self, _auth: auth::ReadRecords, id: Path<Uuid>) -> Result<Json<FollowUp>, ApiError> {
        Ok(Json(self.store.follow_up(FollowUpId::from(id.0)).await?.into()))
    }

    /// Change a follow-up
    ///
    /// The body names the `version` read; if the follow-up has changed
    /// since, the answer is 409 and nothing is written. Moving to `done`
    /// stamps `completed_at` (on `completed_on`, when given, or now);
    /// leaving `done` clears it. Managers may change `status` and
    /// `completed_on` only.
    #[oai(path = "/:id", method = "patch", operation_id = "update_follow_up")]
    async fn update(
        &self,
        auth: auth::UpdateFollowUpStatus,
        id: Path<Uuid>,
        body: Body<FollowUpPatch>,
    ) -> Result<Json<FollowUp>, ApiError> {
        let id = FollowUpId::from(id.0);
        let body = body.0;
        // Managers move follow-ups through their statuses; changing what a
        // follow-up says or who owns it is a strategist's.
        let only_status = body.title.is_none()
            && body.details.is_undefined()
            && body.owner_id.is_undefined()
            && body.organisation_id.is_undefined()
            && body.due_on.is_undefined();
        if !only_status && !auth.0.user.details.role.allows(Permission::WriteRecords) {
            return Err(ApiError::forbidden(
                "this role may change a follow-up's status only, not its other fields",
            ));
        }
        let current = auth.store(&self.store).follow_up(id).await?;
        check_version("follow-up", body.version, current.meta.version)?;
        let mut input = current.details.to_input();
        if let Some(title) = body.title {
            input.title = title;
        }
        patch(body.details, &mut input.details);
        patch(
            body.owner_id.map_value(RepresentativeId::from),
            &mut input.owner_id,
        );
        patch(
            body.organisation_id.map_value(OrganisationId::from),
            &mut input.organisation_id,
        );
        patch(body.due_on, &mut input.due_on);
        if let Some(status) = body.status {
            input.status = Some(status.into());
        }
        let details = FollowUpDetails::parse(&input)?;
        Ok(Json(
            auth.store(&self.store)
                .update_follow_up(id, body.version, details, body.completed_on)
                .await?
                .into(),
        ))
    }

    /// Archive a follow-up
    ///
    /// Archived follow-ups leave the default lists but keep their history.
    #[oai(path = "/:id", method = "delete", operation_id = "archive_follow_up")]
    async fn archive(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        /// The version the client read: a stale one is answered 409 and
        /// nothing changes. Left out, whatever version it is at.
        version: Query<Option<i32>>,
    ) -> Result<ArchivedResponse, ApiError> {
        auth.store(&self.store)
            .archive_follow_up(FollowUpId::from(id.0), version.0)
            .await?;
        Ok(ArchivedResponse::Archived)
    }
}
