//! Data protection requests (docs/privacy.md), for admins: everything held
//! about a representative or a user (GDPR Art. 15), erasure (Art. 17) and
//! restriction (Art. 18). The same operations as `samverkan privacy …`.

use chrono::{DateTime, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};
use samverkan_domain::privacy::{ErasureReason, ProcessingTerms};
use samverkan_domain::{RepresentativeId, UserId, ValidationErrors};
use samverkan_report::{Format, Lang};
use samverkan_store::{Erasure, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::body::Body;
use crate::problem::ApiError;
use crate::reports::{File, FileKind, ReportLang, render_off_workers};
use crate::representatives::Representative;

/// The formats of a personal data export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Enum)]
#[oai(rename_all = "lowercase")]
pub enum PersonalDataFormat {
    /// The export's document model, for programs (and Art. 20 portability).
    #[default]
    Json,
    /// One self-contained page, readable by the person it is about.
    Html,
}

impl From<PersonalDataFormat> for Format {
    fn from(format: PersonalDataFormat) -> Self {
        match format {
            PersonalDataFormat::Json => Self::Json,
            PersonalDataFormat::Html => Self::Html,
        }
    }
}

/// A personal data export.
#[derive(Debug)]
pub struct PersonalDataKind;

impl FileKind for PersonalDataKind {
    const DESCRIPTION: &'static str = "Everything held about the person, as JSON or as an HTML page.";
    const CONTENT_TYPES: &'static [&'static str] =
        &[Format::Json.content_type(), Format::Html.content_type()];
}

/// Why a person's data is erased.
#[derive(Debug, Clone, Object)]
#[oai(deny_unknown_fields)]
pub struct ErasureRequest {
    /// Required, one line, up to 500 characters; kept in the audit trail,
    /// so it should name no one ("Begäran enligt artikel 17, ärende 2025-14").
    pub reason: String,
}

/// What an erasure did.
#[derive(Debug, Clone, Object)]
pub struct ErasureBody {
    /// The record erased.
    pub id: Uuid,
    /// The number in the placeholder that replaced the name
    /// ("Raderad person 3").
    pub sequence: u32,
    pub erased_at: DateTime<Utc>,
    /// User accounts linked to an erased representative, erased with them.
    pub users_erased: Vec<Uuid>,
    /// Whether the old bytes were cleared from the database's files at once
    /// (false: a long read held them; the next checkpoint or vacuum does it).
    pub storage_cleared: bool,
    /// Free texts that still contain one of the person's names (current or
    /// earlier): Samverkan does not rewrite what people wrote; edit these.
    pub mentioned_in: Vec<MentionBody>,
}

/// A record whose free text names the person.
#[derive(Debug, Clone, Object)]
pub struct MentionBody {
    /// `meeting`, `agenda-item`, `outcome` or `follow-up`.
    pub entity: String,
    pub id: Uuid,
}

impl From<Erasure> for ErasureBody {
    fn from(erasure: Erasure) -> Self {
        Self {
            id: erasure.id,
            sequence: erasure.sequence,
            erased_at: erasure.erased_at,
            users_erased: erasure.users_erased.iter().map(|id| id.as_uuid()).collect(),
            storage_cleared: erasure.storage_cleared,
            mentioned_in: erasure
                .mentions
                .into_iter()
                .map(|mention| MentionBody {
                    entity: mention.entity.to_owned(),
                    id: mention.id,
                })
                .collect(),
        }
    }
}

fn reason(raw: &str) -> Result<ErasureReason, ApiError> {
    ErasureReason::parse(raw).map_err(|error| {
        let mut errors = ValidationErrors::new();
        errors.push(error);
        ApiError::validation(errors)
    })
}

pub struct PrivacyApi {
    pub store: Store,
    pub terms: ProcessingTerms,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Privacy")]
impl PrivacyApi {
    /// Everything held about a representative
    ///
    /// GDPR Art. 15: the record, every affiliation with its dates, every
    /// meeting they were invited to or attended (role and status), agenda
    /// items they presented, follow-ups they own, user accounts linked to
    /// them, every audit event about them, and the purposes, legal basis and
    /// retention that apply. JSON (default) or a readable HTML page, in
    /// Swedish (default) or English.
    #[oai(
        path = "/representatives/:id/personal-data",
        method = "get",
        operation_id = "representative_personal_data"
    )]
    async fn representative_data(
        &self,
        _auth: auth::ManagePersonalData,
        id: Path<Uuid>,
        /// `json` (default) or `html`.
        format: Query<Option<PersonalDataFormat>>,
        /// `sv` (default) or `en`.
        lang: Query<Option<ReportLang>>,
    ) -> Result<File<PersonalDataKind>, ApiError> {
        let lang = Lang::from(lang.0.unwrap_or_default());
        let format = Format::from(format.0.unwrap_or_default());
        let data = self
            .store
            .representative_data(RepresentativeId::from(id.0), &self.terms)
            .await?;
        let stem = samverkan_report::privacy::file_stem(id.0, lang);
        let bytes = render_off_workers(
            move || samverkan_report::privacy::representative(&data, lang),
            format,
        )
        .await?;
        Ok(File::new(format.content_type(), &stem, format.as_str(), bytes))
    }

    /// Everything held about a user account
    ///
    /// GDPR Art. 15: the account, its tokens (never their secrets, which are
    /// not kept), its web sessions, the audit events about it and every
    /// write it made.
    #[oai(
        path = "/users/:id/personal-data",
        method = "get",
        operation_id = "user_personal_data"
    )]
    async fn user_data(
        &self,
        _auth: auth::ManagePersonalData,
        id: Path<Uuid>,
        /// `json` (default) or `html`.
        format: Query<Option<PersonalDataFormat>>,
        /// `sv` (default) or `en`.
        lang: Query<Option<ReportLang>>,
    ) -> Result<File<PersonalDataKind>, ApiError> {
        let lang = Lang::from(lang.0.unwrap_or_default());
        let format = Format::from(format.0.unwrap_or_default());
        let data = self.store.user_data(UserId::from(id.0), &self.terms).await?;
        let stem = samverkan_report::privacy::file_stem(id.0, lang);
        let bytes = render_off_workers(move || samverkan_report::privacy::user(&data, lang), format).await?;
        Ok(File::new(format.content_type(), &stem, format.as_str(), bytes))
    }

    /// Erase a representative
    ///
    /// GDPR Art. 17, in one transaction: the name becomes "Raderad person
    /// N", and e-mail, phone, notes and titles are removed, from the record
    /// and from every earlier audit event; user accounts linked to the person
    /// are erased too. Attendances, presentations and follow-ups stay (under
    /// the placeholder), so every figure and report counts as before. The
    /// erasure is audited with who, when and the reason. Erasing again is
    /// 409 `erased`.
    #[oai(
        path = "/representatives/:id/erase",
        method = "post",
        operation_id = "erase_representative"
    )]
    async fn erase_representative(
        &self,
        auth: auth::ManagePersonalData,
        id: Path<Uuid>,
        body: Body<ErasureRequest>,
    ) -> Result<Json<ErasureBody>, ApiError> {
        let reason = reason(&body.0.reason)?;
        let erasure = auth
            .store(&self.store)
            .erase_representative(RepresentativeId::from(id.0), &reason)
            .await?;
        Ok(Json(erasure.into()))
    }

    /// Erase a user account
    ///
    /// Its e-mail and display name go (its audit events keep a placeholder
    /// author, "Raderad användare N"); its password, sessions and failed
    /// sign-ins are deleted, its tokens revoked; it can never sign in again.
    #[oai(path = "/users/:id/erase", method = "post", operation_id = "erase_user")]
    async fn erase_user(
        &self,
        auth: auth::ManagePersonalData,
        id: Path<Uuid>,
        body: Body<ErasureRequest>,
    ) -> Result<Json<ErasureBody>, ApiError> {
        let reason = reason(&body.0.reason)?;
        let erasure = auth
            .store(&self.store)
            .erase_user(UserId::from(id.0), &reason)
            .await?;
        Ok(Json(erasure.into()))
    }

    /// Restrict a representative
    ///
    /// GDPR Art. 18: the person is kept but left out of lists, search, new
    /// meetings and reports (which show "Begränsad person" in their place)
    /// until the restriction is lifted. Audited; restricting the restricted
    /// changes nothing.
    #[oai(
        path = "/representatives/:id/restriction",
        method = "post",
        operation_id = "restrict_representative"
    )]
    async fn restrict(
        &self,
        auth: auth::ManagePersonalData,
        id: Path<Uuid>,
    ) -> Result<Json<Representative>, ApiError> {
        let person = auth
            .store(&self.store)
            .set_restricted(RepresentativeId::from(id.0), true)
            .await?;
        Ok(Json(person.into()))
    }

    /// Lift a representative's restriction
    #[oai(
        path = "/representatives/:id/restriction",
        method = "delete",
        operation_id = "lift_representative_restriction"
    )]
    async fn lift(
        &self,
        auth: auth::ManagePersonalData,
        id: Path<Uuid>,
    ) -> Result<Json<Representative>, ApiError> {
        let person = auth
            .store(&self.store)
            .set_restricted(RepresentativeId::from(id.0), false)
            .await?;
        Ok(Json(person.into()))
    }
}
