//! `/api/v1/representatives`

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samverkan_domain::{
    self as domain, OrganisationId, RepresentativeDraft, RepresentativeId, RepresentativeInput,
};
use samverkan_store::{RepresentativeFilter, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::body::Body;
use crate::common::{ArchivedResponse, check_version, list_of, page_request, patch};
use crate::problem::ApiError;

/// The seed's Högskolan Väst, in the examples.
const EXAMPLE_UNIVERSITY: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0002);

/// A person acting for an organisation. `organisation_id` and `title` are
/// those of the current affiliation.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct Representative {
    pub id: Uuid,
    pub full_name: String,
    /// The organisation the person now represents.
    pub organisation_id: Uuid,
    /// The person's title there now.
    #[oai(nullable)]
    pub title: Option<String>,
    #[oai(nullable)]
    pub email: Option<String>,
    #[oai(nullable)]
    pub phone: Option<String>,
    #[oai(nullable)]
    pub notes: Option<String>,
    /// A child (a pupil, say): only the name and the affiliation are kept.
    pub is_minor: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[oai(nullable)]
    pub archived_at: Option<DateTime<Utc>>,
    /// Set while processing is restricted (GDPR Art. 18): the person is in
    /// no list, search, new meeting or report until it is lifted.
    #[oai(nullable)]
    pub restricted_at: Option<DateTime<Utc>>,
    /// Set once the person's data was erased (Art. 17): the name is a
    /// placeholder and nothing else of them is kept.
    #[oai(nullable)]
    pub erased_at: Option<DateTime<Utc>>,
}

impl poem_openapi::types::Example for Representative {
    fn example() -> Self {
        let at = DateTime::parse_from_rfc3339("2024-04-29T08:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        Self {
            id: Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0108),
            full_name: "Lena Lindhé".into(),
            organisation_id: EXAMPLE_UNIVERSITY,
            title: Some("Samverkansstrateg".into()),
            email: None,
            phone: None,
            notes: None,
            is_minor: false,
            version: 1,
            created_at: at,
            updated_at: at,
            archived_at: None,
            restricted_at: None,
            erased_at: None,
        }
    }
}

impl From<domain::Representative> for Representative {
    fn from(representative: domain::Representative) -> Self {
        let details = representative.details;
        Self {
            id: representative.id.as_uuid(),
            full_name: details.full_name.to_string(),
            organisation_id: representative.affiliation.organisation_id.as_uuid(),
            title: representative.affiliation.title,
            email: details.email.map(|e| e.to_string()),
            phone: details.phone.map(|p| p.to_string()),
            notes: details.notes,
            is_minor: details.is_minor,
            version: representative.meta.version,
            created_at: representative.meta.created_at,
            updated_at: representative.meta.updated_at,
            archived_at: representative.meta.archived_at,
            restricted_at: representative.restricted_at,
            erased_at: representative.erased_at,
        }
    }
}

/// One period in which a person represented an organisation under a title.
///
/// Periods are half-open: `started_on` is the first day, `ended_on` the
/// first day no longer covered (Stockholm days). The first known period has
/// no `started_on`; the current one has no `ended_on`.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct Affiliation {
    pub id: Uuid,
    pub organisation_id: Uuid,
    #[oai(nullable)]
    pub title: Option<String>,
    #[oai(nullable)]
    pub started_on: Option<NaiveDate>,
    #[oai(nullable)]
    pub ended_on: Option<NaiveDate>,
}

impl poem_openapi::types::Example for Affiliation {
    fn example() -> Self {
        Self {
            id: Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0208),
            organisation_id: EXAMPLE_UNIVERSITY,
            title: Some("Samverkansstrateg".into()),
            started_on: None,
            ended_on: None,
        }
    }
}

impl From<domain::Affiliation> for Affiliation {
    fn from(affiliation: domain::Affiliation) -> Self {
        Self {
            id: affiliation.id.as_uuid(),
            organisation_id: affiliation.organisation_id.as_uuid(),
            title: affiliation.title,
            started_on: affiliation.started_on,
            ended_on: affiliation.ended_on,
        }
    }
}

/// A new representative, and their first affiliation.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct NewRepresentative {
    /// A full name, or a first name alone.
    pub full_name: String,
    /// The live organisation the person represents.
    pub organisation_id: Uuid,
    /// The person's title there.
    pub title: Option<String>,
    /// Not kept for a minor.
    pub email: Option<String>,
    /// Not kept for a minor.
    pub phone: Option<String>,
    /// Not kept for a minor.
    pub notes: Option<String>,
    /// A child (a pupil, say): only the name and the affiliation are kept.
    #[oai(default)]
    pub is_minor: bool,
}

impl poem_openapi::types::Example for NewRepresentative {
    fn example() -> Self {
        Self {
            full_name: "Lena Lindhé".into(),
            organisation_id: EXAMPLE_UNIVERSITY,
            title: Some("Samverkansstrateg".into()),
            email: None,
            phone: None,
            notes: None,
            is_minor: false,
        }
    }
}

/// Changes to a representative: absent fields stay, `null` clears.
///
/// A new `organisation_id` or `title` ends the current affiliation today
/// and starts another, so past meetings keep the old one.
#[derive(Debug, Clone, Object)]
pub struct RepresentativePatch {
    /// The version the client read; a stale one is answered 409.
    pub version: i32,
    pub full_name: Option<String>,
    pub organisation_id: Option<Uuid>,
    /// `null` clears it.
    #[oai(nullable)]
    pub title: MaybeUndefined<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub email: MaybeUndefined<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub phone: MaybeUndefined<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub notes: MaybeUndefined<String>,
    pub is_minor: Option<bool>,
    /// The Stockholm day a new `organisation_id` or `title` applies from
    /// ("moves to Vattenfall from 2024-09-01"): the current affiliation
    /// ends and the new one begins that day. Not after today, and not
    /// before the current affiliation began. Left out: today.
    pub moves_on: Option<NaiveDate>,
}

list_of!(
    /// A page of representatives, in Swedish alphabetical order of their names.
    RepresentativeList,
    Representative
);

#[derive(Debug, ApiResponse)]
pub enum CreatedRepresentative {
    /// Created; `Location` names it.
    #[oai(status = 201)]
    Created(Json<Representative>, #[oai(header = "Location")] String),
}

pub struct RepresentativesApi {
    pub store: Store,
}

#[OpenApi(prefix_path = "/api/v1/representatives", tag = "ApiTags::Representatives")]
impl RepresentativesApi {
    /// List representatives
    ///
    /// In Swedish alphabetical order of their names; `q` matches name,
    /// current title and e-mail, ignoring case and accents (å, ä, ö are
    /// letters of their own).
    #[oai(path = "/", method = "get", operation_id = "list_representatives")]
    async fn list(
        &self,
        _auth: auth::ReadRecords,
        q: Query<Option<String>>,
        /// Only those who now represent this organisation.
        organisation_id: Query<Option<Uuid>>,
        include_archived: Query<Option<bool>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<RepresentativeList>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let filter = RepresentativeFilter {
            q: q.0,
            organisation_id: organisation_id.0.map(OrganisationId::from),
            include_archived: include_archived.0.unwrap_or(false),
        };
        let found = self.store.list_representatives(&filter, &page).await?;
        Ok(Json(RepresentativeList::from_page(found, Representative::from)))
    }

    /// Create a representative
    #[oai(path = "/", method = "post", operation_id = "create_representative")]
    async fn create(
        &self,
        auth: auth::WriteRecords,
        body: Body<NewRepresentative>,
    ) -> Result<CreatedRepresentative, ApiError> {
        let body = body.0;
        let input = RepresentativeInput {
            full_name: body.full_name,
            organisation_id: Some(body.organisation_id.into()),
            title: body.title,
            email: body.email,
            phone: body.phone,
            notes: body.notes,
            is_minor: body.is_minor,
        };
        let created = auth
            .store(&self.store)
            .create_representative(RepresentativeDraft::parse(&input)?)
            .await?;
        let location = format!("/api/v1/representatives/{}", created.id);
        Ok(CreatedRepresentative::Created(Json(created.into()), location))
    }

    /// Get a representative
    #[oai(path = "/:id", method = "get", operation_id = "get_representative")]
    async fn get(&self, _auth: auth::ReadRecords, id: Path<Uuid>) -> Result<Json<Representative>, ApiError> {
        Ok(Json(
            self.store
                .representative(RepresentativeId::from(id.0))
                .await?
                .into(),
        ))
    }

    /// Change a representative
    ///
    /// The body names the `version` read; if the representative has changed
    /// since, the answer is 409 and nothing is written. An archived
    /// representative cannot be changed.
    #[oai(path = "/:id", method = "patch", operation_id = "update_representative")]
    async fn update(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        body: Body<RepresentativePatch>,
    ) -> Result<Json<Representative>, ApiError> {
        let id = RepresentativeId::from(id.0);
        let body = body.0;
        let current = auth.store(&self.store).representative(id).await?;
        check_version("representative", body.version, current.meta.version)?;
        let mut input = current.to_input();
        if let Some(full_name) = body.full_name {
            input.full_name = full_name;
        }
        if let Some(organisation_id) = body.organisation_id {
            input.organisation_id = Some(organisation_id.into());
        }
        patch(body.title, &mut input.title);
        patch(body.email, &mut input.email);
        patch(body.phone, &mut input.phone);
        patch(body.notes, &mut input.notes);
        if let Some(is_minor) = body.is_minor {
            input.is_minor = is_minor;
        }
        let draft = RepresentativeDraft::parse(&input)?;
        let store = auth.store(&self.store);
        let updated = match body.moves_on {
            Some(moves_on) => {
                store
                    .update_representative_from(id, body.version, draft, moves_on)
                    .await?
            }
            None => store.update_representative(id, body.version, draft).await?,
        };
        Ok(Json(updated.into()))
    }

    /// Archive a representative
    ///
    /// Representatives have history, so they are archived, not deleted: past
    /// meetings keep them; new meetings cannot add them.
    #[oai(path = "/:id", method = "delete", operation_id = "archive_representative")]
    async fn archive(
        &self,
        auth: auth::WriteRecords,
        id: Path<Uuid>,
        /// The version the client read: a stale one is answered 409 and
        /// nothing changes. Left out, whatever version it is at.
        version: Query<Option<i32>>,
    ) -> Result<ArchivedResponse, ApiError> {
        auth.store(&self.store)
            .archive_representative(RepresentativeId::from(id.0), version.0)
            .await?;
        Ok(ArchivedResponse::Archived)
    }

    /// List a representative's affiliations
    ///
    /// Whom the person has represented, and under which title, earliest
    /// first; the last is the current one.
    #[oai(
        path = "/:id/affiliations",
        method = "get",
        operation_id = "list_representative_affiliations"
    )]
    async fn affiliations(
        &self,
        _auth: auth::ReadRecords,
        id: Path<Uuid>,
    ) -> Result<Json<Vec<Affiliation>>, ApiError> {
        let periods = self.store.affiliations(RepresentativeId::from(id.0)).await?;
        Ok(Json(periods.into_iter().map(Affiliation::from).collect()))
    }
}
