//! `/api/v1/partnerships`

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samverkan_domain::{
    self as domain, FieldError, OrganisationId, PartnershipDetails, PartnershipId, PartnershipInput,
    RepresentativeId, ValidationErrors,
};
use samverkan_store::{PartnershipFilter, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::body::Body;
use crate::common::{
    ArchivedResponse, PartnershipKind, PartnershipStatus, check_version, list_of, page_request, patch,
};
use crate::problem::ApiError;

/// The seed's Kunskapsförbundet Väst and Högskolan Väst, in the examples.
const EXAMPLE_HOST: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0001);
const EXAMPLE_UNIVERSITY: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0002);
const EXAMPLE_GOALS: &str =
    "Ömsesidighet och gemensam samhällsnytta; ledningen för varje part deltar aktivt.";

/// A partnership between two organisations.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct Partnership {
    pub id: Uuid,
    /// The two parties, always different organisations.
    pub organisation_ids: Vec<Uuid>,
    pub kind: PartnershipKind,
    pub status: PartnershipStatus,
    #[oai(nullable)]
    pub started_on: Option<NaiveDate>,
    /// Only an ended partnership has an end date.
    #[oai(nullable)]
    pub ended_on: Option<NaiveDate>,
    /// The representative who answers for the partnership.
    #[oai(nullable)]
    pub responsible_representative_id: Option<Uuid>,
    #[oai(nullable)]
    pub goals: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[oai(nullable)]
    pub archived_at: Option<DateTime<Utc>>,
}

impl poem_openapi::types::Example for Partnership {
    fn example() -> Self {
        let at = DateTime::parse_from_rfc3339("2024-04-29T08:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        Self {
            id: Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0301),
            organisation_ids: vec![EXAMPLE_UNIVERSITY, EXAMPLE_HOST],
            kind: PartnershipKind::Strategic,
            status: PartnershipStatus::Active,
            started_on: None,
            ended_on: None,
            responsible_representative_id: None,
            goals: Some(EXAMPLE_GOALS.into()),
            version: 1,
            created_at: at,
            updated_at: at,
            archived_at: None,
        }
    }
}

impl From<domain::Partnership> for Partnership {
    fn from(partnership: domain::Partnership) -> Self {
        let details = partnership.details;
        Self {
            id: partnership.id.as_uuid(),
            organisation_ids: details
                .organisation_ids
                .iter()
                .map(OrganisationId::as_uuid)
                .collect(),
            kind: details.kind.into(),
            status: details.status.into(),
            started_on: details.started_on,
            ended_on: details.ended_on,
            responsible_representative_id: details.responsible_representative_id.map(|id| id.as_uuid()),
            goals: details.goals,
            version: partnership.meta.version,
            created_at: partnership.meta.created_at,
            updated_at: partnership.meta.updated_at,
            archived_at: partnership.meta.archived_at,
        }
    }
}

/// A new partnership.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct NewPartnership {
    /// Exactly two different, live organisations.
    pub organisation_ids: Vec<Uuid>,
    pub kind: PartnershipKind,
    /// `active` when absent.
    pub status: Option<PartnershipStatus>,
    pub started_on: Option<NaiveDate>,
    /// Only for an ended partnership; not before `started_on`.
    pub ended_on: Option<NaiveDate>,
    /// A live representative.
    pub responsible_representative_id: Option<Uuid>,
    pub goals: Option<String>,
}

impl poem_openapi::types::Example for NewPartnership {
    fn example() -> Self {
        Self {
            organisation_ids: vec![EXAMPLE_UNIVERSITY, EXAMPLE_HOST],
            kind: PartnershipKind::Strategic,
            status: Some(PartnershipStatus::Active),
            started_on: None,
            ended_on: None,
            responsible_representative_id: None,
            goals: Some(EXAMPLE_GOALS.into()),
        }
    }
}

/// Changes to a partnership: absent fields stay, `null` clears.
#[derive(Debug, Clone, Object)]
pub struct PartnershipPatch {
    /// The version the client read; a stale one is answered 409.
    pub version: i32,
    /// Exactly two different, live organisations.
    pub organisation_ids: Option<Vec<Uuid>>,
    pub kind: Option<PartnershipKind>,
    pub status: Option<PartnershipStatus>,
    /// `null` clears it.
    #[oai(nullable)]
    pub started_on: MaybeUndefined<NaiveDate>,
    /// `null` clears it.
    #[oai(nullable)]
    pub ended_on: MaybeUndefined<NaiveDate>,
    /// `null` clears it.
    #[oai(nullable)]
    pub responsible_representative_id: MaybeUndefined<Uuid>,
    /// `null` clears it.
    #[oai(nullable)]
    pub goals: MaybeUndefined<String>,
}

list_of!(
    /// A page of partnerships, oldest first.
    PartnershipList,
    Partnership
);

#[derive(Debug, ApiResponse)]
pub enum CreatedPartnership {
    /// Created; `Location` names it.
    #[oai(status = 201)]
    Created(Json<Partnership>, #[oai(header = "Location")] String),
}

/// The two parties of a body, which must name exactly two.
fn organisation_pair(ids: &[Uuid]) -> Result<[OrganisationId; 2], FieldError> {
    match ids {
        [first, second] => Ok([(*first).into(), (*second).into()]),
        _ => Err(FieldError::new(
            "organisation_ids",
            format!(
                "a partnership is between exactly two organisations; {} given",
                ids.len()
            ),
        )),
    }
}

/// Parses `input` with the parties `pair`; if they are not a pair, reports
/// that together with every other broken rule of the input.
fn parse_details(
    pair: Result<[OrganisationId; 2], FieldError>,
    mut input: PartnershipInput,
) -> Result<PartnershipDetails, ApiError> {
    match pair {
        Ok(ids) => {
            input.organisation_ids = ids.map(Some);
            Ok(PartnershipDetails::parse(&input)?)
        }
        Err(error) => {
            let mut errors = ValidationErrors::from(error);
            input.organisation_ids = [None, None];
            if let Err(others) = PartnershipDetails::parse(&input) {
                for other in others.into_errors() {
                    if !other.field.starts_with("organisation_ids") {
                        errors.push(other);
                    }
                }
            }
            Err(ApiError::validation(errors))
        }
    }
}

pub struct PartnershipsApi {
    pub store: Store,
}

#[OpenApi(prefix_path = "/api/v1/partnerships", tag = "ApiTags::Partnerships")]
impl PartnershipsApi {
    /// List partnerships
    ///
    /// Oldest first.
    #[oai(path = "/", method = "get", operation_id = "list_partnerships")]
    async fn list(
        &self,
        _auth: auth::ReadRecords,
        /// Only those this organisation is a party to.
        organisation_id: Query<Option<Uuid>>,
        status: Query<Option<PartnershipStatus>>,
        include_archived: Query<Option<bool>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<PartnershipList>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let filter = PartnershipFilter {
            organisation_id: organisation_id.0.map(OrganisationId::from),
            status: status.0.map(Into::into),
            include_archived: include_archived.0.unwrap_or(false),
        };
        let found = self.store.list_partnerships(&filter, &page).await?;
        Ok(Json(PartnershipList::from_page(found, Partnership::from)))
    }

    /// Create a partnership
    #[oai(path = "/", method = "post", operation_id = "create_partnership")]
    async fn create(
        &self,
        auth: auth::WriteRecords,
        body: Body<NewPartnership>,
    ) -> Result<CreatedPartnership, ApiError> {
        let body = body.0;
        let input = PartnershipInput {
            organisation_ids: [None, None],
            kind: Some(body.kind.into()),
            status: body.status.map(Into::into),
            started_on: body.started_on,
            ended_on: body.ended_on,
            responsible_representative_id: body.responsible_representative_id.map(RepresentativeId::from),
            goals: body.goals,
        };
        let details = parse_details(organisation_pair(&body.organisation_ids), input)?;
        let created = auth.store(&self.store).create_partnership(details).await?;
        let location = format!("/api/v1/partnerships/{}", created.id);
        Ok(CreatedPartnership::Created(Json(created.into()), location))
    }

    /// Get a partnership
    #[oai(path = "/:id", method = "get", operation_id = "get_partnership")]
    async fn get(&self, _auth: auth::ReadRecords, id: Path<Uuid>) -> Result<Json<Partnership>, ApiError> {
        Ok(Json(
            self.store.partnership(PartnershipId::from(id.0)).await?.into(),
        ))
    }

    /// Change a partnership
    ///
    /// The body names the `version` read; if the partnership has changed
    /// since, the answer is 409 and nothing is written.
    #[oai(path = "/:id", method = "patch", operation_id = "update_partnership")]
    async fn update(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<PartnershipPatch>,
    ) -> Result<Json<Partnership>, ApiError> {
        let id = PartnershipId::from(id.0);
        let body = body.0;
        let current = auth.store(&self.store).partnership(id).await?;
        check_version("partnership", body.version, current.meta.version)?;
        let pair = match body.organisation_ids {
            Some(ids) => organisation_pair(&ids),
            None => Ok(current.details.organisation_ids),
        };
        let mut input = current.details.to_input();
        if let Some(kind) = body.kind {
            input.kind = Some(kind.into());
        }
        if let Some(status) = body.status {
            input.status = Some(status.into());
        }
        patch(body.started_on, &mut input.started_on);
        patch(body.ended_on, &mut input.ended_on);
        patch(
            body.responsible_representative_id
                .map_value(RepresentativeId::from),
            &mut input.responsible_representative_id,
        );
        patch(body.goals, &mut input.goals);
        let details = parse_details(pair, input)?;
        Ok(Json(
            auth.store(&self.store)
                .update_partnership(id, body.version, details)
                .await?
                .into(),
        ))
    }

    /// Archive a partnership
    ///
    /// Partnerships have history, so they are archived, not deleted: past
    /// meetings keep them.
    #[oai(path = "/:id", method = "delete", operation_id = "archive_partnership")]
    async fn archive(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        /// The version the client read: a stale one is answered 409 and
        /// nothing changes. Left out, whatever version it is at.
        version: Query<Option<i32>>,
    ) -> Result<ArchivedResponse, ApiError> {
        auth.store(&self.store)
            .archive_partnership(PartnershipId::from(id.0), version.0)
            .await?;
        Ok(ArchivedResponse::Archived)
    }
}
