//! `/api/v1/organisations`

use chrono::{DateTime, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samverkan_domain::{self as domain, OrganisationDetails, OrganisationId, OrganisationInput};
use samverkan_store::{OrganisationFilter, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::body::Body;
use crate::common::{ArchivedResponse, OrganisationKind, check_version, list_of, page_request, patch};
use crate::problem::ApiError;

/// An organisation taking part in partnership work.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    #[oai(nullable)]
    pub short_name: Option<String>,
    pub kind: OrganisationKind,
    /// Swedish organisation number, `NNNNNN-NNNN`.
    #[oai(nullable)]
    pub organisation_number: Option<String>,
    #[oai(nullable)]
    pub website: Option<String>,
    #[oai(nullable)]
    pub city: Option<String>,
    #[oai(nullable)]
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[oai(nullable)]
    pub archived_at: Option<DateTime<Utc>>,
}

impl poem_openapi::types::Example for Organisation {
    fn example() -> Self {
        let at = DateTime::parse_from_rfc3339("2024-04-29T08:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        Self {
            id: Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0001),
            name: "Kunskapsförbundet Väst".into(),
            short_name: None,
            kind: OrganisationKind::EducationProvider,
            organisation_number: None,
            website: None,
            city: Some("Trollhättan".into()),
            description: Some("Gymnasie- och vuxenutbildning i Trollhättan och Vänersborg.".into()),
            tags: vec![],
            version: 1,
            created_at: at,
            updated_at: at,
            archived_at: None,
        }
    }
}

impl From<domain::Organisation> for Organisation {
    fn from(organisation: domain::Organisation) -> Self {
        let details = organisation.details;
        Self {
            id: organisation.id.as_uuid(),
            name: details.name.to_string(),
            short_name: details.short_name,
            kind: details.kind.into(),
            organisation_number: details.organisation_number.map(|n| n.to_string()),
            website: details.website.map(|w| w.to_string()),
            city: details.city,
            description: details.description,
            tags: details.tags.to_strings(),
            version: organisation.meta.version,
            created_at: organisation.meta.created_at,
            updated_at: organisation.meta.updated_at,
            archived_at: organisation.meta.archived_at,
        }
    }
}

/// A new organisation.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct NewOrganisation {
    /// Unique among live organisations, ignoring case.
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrganisationKind,
    /// `NNNNNN-NNNN` (or the ten digits), Luhn-checked.
    pub organisation_number: Option<String>,
    pub website: Option<String>,
    pub city: Option<String>,
    pub description: Option<String>,
    #[oai(default)]
    pub tags: Vec<String>,
}

impl poem_openapi::types::Example for NewOrganisation {
    fn example() -> Self {
        Self {
            name: "Högskolan Väst".into(),
            short_name: None,
            kind: OrganisationKind::University,
            organisation_number: None,
            website: None,
            city: None,
            description: None,
            tags: vec![],
        }
    }
}

/// Changes to an organisation: absent fields stay, `null` clears.
#[derive(Debug, Clone, Object)]
pub struct OrganisationPatch {
    /// The version the client read; a stale one is answered 409.
    pub version: i32,
    pub name: Option<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub short_name: MaybeUndefined<String>,
    pub kind: Option<OrganisationKind>,
    /// `null` clears it.
    #[oai(nullable)]
    pub organisation_number: MaybeUndefined<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub website: MaybeUndefined<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub city: MaybeUndefined<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub description: MaybeUndefined<String>,
    pub tags: Option<Vec<String>>,
}

list_of!(
    /// A page of organisations, in Swedish alphabetical order.
    OrganisationList,
    Organisation
);

/// What a timeline entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
#[oai(rename_all = "snake_case")]
pub enum TimelineEntryType {
    Meeting,
    FollowUp,
    Partnership,
}

/// One thing that happened with an organisation.
#[derive(Debug, Clone, Object)]
pub struct TimelineEntry {
    #[oai(rename = "type")]
    pub kind: TimelineEntryType,
    /// The meeting's, follow-up's or partnership's id.
    pub id: Uuid,
    /// A meeting's start; a follow-up's or partnership's creation.
    pub occurred_at: DateTime<Utc>,
    pub title: String,
    /// The organisation's part: `host` or its attendance status for a
    /// meeting; the status of a follow-up or partnership.
    pub detail: String,
}

impl From<samverkan_store::TimelineEntry> for TimelineEntry {
    fn from(entry: samverkan_store::TimelineEntry) -> Self {
        Self {
            kind: match entry.kind {
                samverkan_store::TimelineKind::Meeting => TimelineEntryType::Meeting,
                samverkan_store::TimelineKind::FollowUp => TimelineEntryType::FollowUp,
                samverkan_store::TimelineKind::Partnership => TimelineEntryType::Partnership,
            },
            id: entry.id,
            occurred_at: entry.occurred_at,
            title: entry.title,
            detail: entry.detail,
        }
    }
}

list_of!(
    /// A page of an organisation's timeline, newest first.
    Timeline,
    TimelineEntry
);

#[derive(Debug, ApiResponse)]
pub enum CreatedOrganisation {
    /// Created; `Location` names it.
    #[oai(status = 201)]
    Created(Json<Organisation>, #[oai(header = "Location")] String),
}

pub struct OrganisationsApi {
    pub store: Store,
}

#[OpenApi(prefix_path = "/api/v1/organisations", tag = "ApiTags::Organisations")]
impl OrganisationsApi {
    /// List organisations
    ///
    /// In Swedish alphabetical order; `q` matches name, short name and city,
    /// ignoring case and accents (å, ä, ö are letters of their own).
    #[oai(path = "/", method = "get", operation_id = "list_organisations")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        _auth: auth::ReadRecords,
        q: Query<Option<String>>,
        kind: Query<Option<OrganisationKind>>,
        tag: Query<Option<String>>,
        include_archived: Query<Option<bool>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<OrganisationList>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let filter = OrganisationFilter {
            q: q.0,
            kind: kind.0.map(Into::into),
            tag: tag.0,
            include_archived: include_archived.0.unwrap_or(false),
        };
        let found = self.store.list_organisations(&filter, &page).await?;
        Ok(Json(OrganisationList::from_page(found, Organisation::from)))
    }

    /// Create an organisation
    #[oai(path = "/", method = "post", operation_id = "create_organisation")]
    async fn create(
        &self,
        auth: auth::WriteRecords,
        body: Body<NewOrganisation>,
    ) -> Result<CreatedOrganisation, ApiError> {
        let body = body.0;
        let input = OrganisationInput {
            name: body.name,
            short_name: body.short_name,
            kind: Some(body.kind.into()),
            organisation_number: body.organisation_number,
            website: body.website,
            city: body.city,
            description: body.description,
            tags: body.tags,
        };
        let created = auth
            .store(&self.store)
            .create_organisation(OrganisationDetails::parse(&input)?)
            .await?;
        let location = format!("/api/v1/organisations/{}", created.id);
        Ok(CreatedOrganisation::Created(Json(created.into()), location))
    }

    /// Get an organisation
    #[oai(path = "/:id", method = "get", operation_id = "get_organisation")]
    async fn get(&self, _auth: auth::ReadRecords, id: Path<Uuid>) -> Result<Json<Organisation>, ApiError> {
        Ok(Json(
            self.store.organisation(OrganisationId::from(id.0)).await?.into(),
        ))
    }

    /// Change an organisation
    ///
    /// The body names the `version` read; if the organisation has changed
    /// since, the answer is 409 and nothing is written.
    #[oai(path = "/:id", method = "patch", operation_id = "update_organisation")]
    async fn update(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<OrganisationPatch>,
    ) -> Result<Json<Organisation>, ApiError> {
        let id = OrganisationId::from(id.0);
        let body = body.0;
        let current = auth.store(&self.store).organisation(id).await?;
        check_version("organisation", body.version, current.meta.version)?;
        let mut input = current.details.to_input();
        if let Some(name) = body.name {
            input.name = name;
        }
        if let Some(kind) = body.kind {
            input.kind = Some(kind.into());
        }
        patch(body.short_name, &mut input.short_name);
        patch(body.organisation_number, &mut input.organisation_number);
        patch(body.website, &mut input.website);
        patch(body.city, &mut input.city);
        patch(body.description, &mut input.description);
        if let Some(tags) = body.tags {
            input.tags = tags;
        }
        let details = OrganisationDetails::parse(&input)?;
        Ok(Json(
            auth.store(&self.store)
                .update_organisation(id, body.version, details)
                .await?
                .into(),
        ))
    }

    /// An organisation's timeline
    ///
    /// What happened with it, newest first: meetings it hosted or attended
    /// (itself or through its people), follow-ups it answers for,
    /// partnerships it is a party to.
    #[oai(
        path = "/:id/timeline",
        method = "get",
        operation_id = "organisation_timeline"
    )]
    async fn timeline(
        &self,
        _auth: auth::ReadRecords,
        id: Path<Uuid>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<Timeline>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self
            .store
            .organisation_timeline(OrganisationId::from(id.0), &page)
            .await?;
        Ok(Json(Timeline::from_page(found, TimelineEntry::from)))
    }

    /// Archive an organisation
    ///
    /// Organisations have history, so they are archived, not deleted: past
    /// meetings keep them; new meetings cannot add them; the name is freed.
    #[oai(path = "/:id", method = "delete", operation_id = "archive_organisation")]
    async fn archive(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        /// The version the client read: a stale one is answered 409 and
        /// nothing changes. Left out, whatever version it is at.
        version: Query<Option<i32>>,
    ) -> Result<ArchivedResponse, ApiError> {
        auth.store(&self.store)
            .archive_organisation(OrganisationId::from(id.0), version.0)
            .await?;
        Ok(ArchivedResponse::Archived)
    }
}
