//! The audit trail: `/api/v1/audit` for admins, and each record's
//! `/history` for those who may read the record.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use samverkan_domain::{FollowUpId, MeetingId, OrganisationId, PartnershipId, RepresentativeId, UserId};
use samverkan_store::{AuditFilter, PageRequest, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::common::{date_param, list_of, page_request};
use crate::problem::ApiError;

/// One write, as the audit trail recorded it in the write's own transaction.
#[derive(Debug, Clone, Object)]
pub struct AuditEvent {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// The user who wrote, or `null` for the command line and the demo.
    #[oai(nullable)]
    pub user_id: Option<Uuid>,
    /// The user's e-mail, or `cli` / `demo`.
    pub actor: String,
    /// `organisation`, `representative`, `partnership`, `meeting`,
    /// `follow-up`, `user` or `token`.
    pub entity: String,
    pub entity_id: Uuid,
    /// `create`, `update`, `archive`, `log`, `add_attendee`, `revoke`, …
    pub action: String,
    /// The record's fields as stored before the write; `null` for a creation.
    #[oai(nullable)]
    pub before: Option<serde_json::Value>,
    /// The record's fields as stored after the write (a meeting with its
    /// parts).
    #[oai(nullable)]
    pub after: Option<serde_json::Value>,
}

impl From<samverkan_store::AuditEvent> for AuditEvent {
    fn from(event: samverkan_store::AuditEvent) -> Self {
        Self {
            id: event.id.as_uuid(),
            occurred_at: event.occurred_at,
            user_id: event.user_id.map(|id| id.as_uuid()),
            actor: event.actor,
            entity: event.entity,
            entity_id: event.entity_id,
            action: event.action,
            before: event.before,
            after: event.after,
        }
    }
}

list_of!(
    /// A page of audit events, newest first.
    AuditList,
    AuditEvent
);

pub struct AuditApi {
    pub store: Store,
}

impl AuditApi {
    /// One record's events, newest first, once the record is known to exist.
    async fn history(
        &self,
        entity: &str,
        id: Uuid,
        limit: Option<u64>,
        cursor: Option<String>,
    ) -> Result<Json<AuditList>, ApiError> {
        let page = page_request(limit, cursor.as_deref())?;
        let filter = AuditFilter {
            entity: Some(entity.to_owned()),
            entity_id: Some(id),
            ..AuditFilter::default()
        };
        Ok(Json(self.list(&filter, &page).await?))
    }

    async fn list(&self, filter: &AuditFilter, page: &PageRequest) -> Result<AuditList, ApiError> {
        let found = self.store.audit_trail(filter, page).await?;
        Ok(AuditList::from_page(found, AuditEvent::from))
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Audit")]
impl AuditApi {
    /// The audit trail
    ///
    /// Every write, newest first: who, when, which record, what, and its
    /// fields before and after.
    #[oai(path = "/audit", method = "get", operation_id = "list_audit_events")]
    #[allow(clippy::too_many_arguments)]
    async fn audit(
        &self,
        _auth: auth::ReadAudit,
        /// Only events of this kind of record (`organisation`, `meeting`, …).
        entity: Query<Option<String>>,
        /// Only events of this record.
        entity_id: Query<Option<Uuid>>,
        /// Only events of this user (their id).
        user: Query<Option<Uuid>>,
        /// From this Stockholm day on.
        from: Query<Option<NaiveDate>>,
        /// Up to this Stockholm day, inclusive.
        to: Query<Option<NaiveDate>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditList>, ApiError> {
        date_param("from", from.0)?;
        date_param("to", to.0)?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let filter = AuditFilter {
            entity: entity.0.filter(|entity| !entity.is_empty()),
            entity_id: entity_id.0,
            user_id: user.0.map(UserId::from),
            from: from.0,
            to: to.0,
        };
        Ok(Json(self.list(&filter, &page).await?))
    }

    /// An organisation's history
    #[oai(
        path = "/organisations/:id/history",
        method = "get",
        operation_id = "organisation_history"
    )]
    async fn organisation_history(
        &self,
        _auth: auth::ReadRecords,
        id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u64>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditList>, ApiError> {
        self.store.organisation(OrganisationId::from(id.0)).await?;
        self.history("organisation", id.0, limit.0, cursor.0).await
    }

    /// A representative's history
    #[oai(
        path = "/representatives/:id/history",
        method = "get",
        operation_id = "representative_history"
    )]
    async fn representative_history(
        &self,
        _auth: auth::ReadRecords,
        id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u64>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditList>, ApiError> {
        self.store.representative(RepresentativeId::from(id.0)).await?;
        self.history("representative", id.0, limit.0, cursor.0).await
    }

    /// A partnership's history
    #[oai(
        path = "/partnerships/:id/history",
        method = "get",
        operation_id = "partnership_history"
    )]
    async fn partnership_history(
        &self,
        _auth: auth::ReadRecords,
        id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u64>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditList>, ApiError> {
        self.store.partnership(PartnershipId::from(id.0)).await?;
        self.history("partnership", id.0, limit.0, cursor.0).await
    }

    /// A meeting's history
    ///
    /// The meeting's own changes and those of its parts (attendees, agenda,
    /// outcomes); its follow-ups have histories of their own.
    #[oai(
        path = "/meetings/:id/history",
        method = "get",
        operation_id = "meeting_history"
    )]
    async fn meeting_history(
        &self,
        _auth: auth::ReadRecords,
        id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u64>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditList>, ApiError> {
        self.store.meeting(MeetingId::from(id.0)).await?;
        self.history("meeting", id.0, limit.0, cursor.0).await
    }

    /// A follow-up's history
    #[oai(
        path = "/follow-ups/:id/history",
        method = "get",
        operation_id = "follow_up_history"
    )]
    async fn follow_up_history(
        &self,
        _auth: auth::ReadRecords,
        id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u64>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditList>, ApiError> {
        self.store.follow_up(FollowUpId::from(id.0)).await?;
        self.history("follow-up", id.0, limit.0, cursor.0).await
    }
}
