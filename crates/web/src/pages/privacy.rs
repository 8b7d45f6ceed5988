//! A person's data protection, on their page (`ManagePersonalData`:
//! admins): everything held about them to download (Art. 15, as the API's
//! `/representatives/{id}/personal-data`), restricting and lifting (Art.
//! 18), and erasure (Art. 17), which asks first, says what goes and what
//! stays, and needs a reason. The same store calls as the API and the
//! `samverkan privacy` commands (docs/privacy.md).

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{Response, handler};
use samverkan_domain::privacy::{ErasureReason, ProcessingTerms};
use samverkan_domain::{Permission, Representative, RepresentativeId};
use samverkan_report::Format;
use samverkan_store::{Mention, Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::downloads;
use crate::forms::{ErrorSummary, FieldErrors};
use crate::frame::{Ctx, PageError, Section, render};
use crate::session::see_other;

/// `GET /people/{id}/personal-data.{html,json}`.
#[handler]
pub async fn download(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    terms: Data<&ProcessingTerms>,
    Path((id, format)): Path<(Uuid, String)>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManagePersonalData)?;
    let format = match format.as_str() {
        "html" => Format::Html,
        "json" => Format::Json,
        _ => return Err(PageError::NotFound.into()),
    };
    let data = store
        .representative_data(RepresentativeId::from(id), &terms)
        .await
        .map_err(PageError::Store)?;
    let lang = ctx.lang;
    let stem = samverkan_report::privacy::file_stem(id, lang);
    Ok(downloads::document(
        move || samverkan_report::privacy::representative(&data, lang),
        format,
        &stem,
    )
    .await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct RestrictionForm {
    /// `1` to restrict, `0` to lift.
    #[serde(default)]
    restricted: String,
}

#[handler]
pub async fn restrict(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<RestrictionForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManagePersonalData)?;
    let restricted = match form.restricted.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(PageError::BadRequest.into()),
    };
    ctx.store(&store)
        .set_restricted(RepresentativeId::from(id), restricted)
        .await
        .map_err(PageError::Store)?;
    let done = if restricted { "restricted" } else { "lifted" };
    Ok(see_other(&format!("/people/{id}?done={done}")))
}

#[derive(Template)]
#[template(path = "people/erase.html")]
struct ErasePage {
    ctx: Ctx,
    person: Representative,
    reason: String,
    errors: FieldErrors,
}

impl ErasePage {
    fn summary(&self) -> ErrorSummary<'_> {
        ErrorSummary::new(&self.errors, None)
    }

    fn saved(&self, _field: &str) -> Option<&str> {
        None
    }
}

/// The person to erase, or their page when they are erased already.
async fn erasable(store: &Store, id: Uuid) -> Result<Result<Representative, Response>, PageError> {
    let person = store.representative(RepresentativeId::from(id)).await?;
    if person.erased_at.is_some() {
        return Ok(Err(see_other(&format!("/people/{id}?done=erased"))));
    }
    Ok(Ok(person))
}

#[handler]
pub async fn confirm_erase(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManagePersonalData)?;
    let person = match erasable(&store, id).await? {
        Ok(person) => person,
        Err(already) => return Ok(already),
    };
    Ok(render(
        &ErasePage {
            ctx: ctx.at(Section::People),
            person,
            reason: String::new(),
            errors: FieldErrors::default(),
        },
        StatusCode::OK,
    ))
}

/// After an erasure whose person free texts still name.
#[derive(Template)]
#[template(path = "people/erased.html")]
struct ErasedPage {
    ctx: Ctx,
    id: Uuid,
    mentions: Vec<Mention>,
}

impl ErasedPage {
    /// Where a mention can be edited: its record's page, for those that
    /// have one.
    fn href(&self, mention: &Mention) -> Option<String> {
        match mention.entity {
            "meeting" => Some(format!("/meetings/{}", mention.id)),
            "follow-up" => Some(format!("/follow-ups/{}", mention.id)),
            _ => None,
        }
    }

    fn kind(&self, mention: &Mention) -> &'static str {
        let t = self.ctx.t;
        match mention.entity {
            "meeting" => t.meeting,
            "follow-up" => t.follow_up,
            "outcome" => t.outcome_text,
            _ => t.agenda_item_text,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    reason: String,
}

#[handler]
pub async fn erase(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<EraseForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManagePersonalData)?;
    let person = match erasable(&store, id).await? {
        Ok(person) => person,
        Err(already) => return Ok(already),
    };
    let reason = match ErasureReason::parse(&form.reason) {
        Ok(reason) => reason,
        Err(error) => {
            let errors = FieldErrors::from_domain(ctx.lang, &[error], str::to_owned, |field| {
                (field == "reason").then_some(ctx.t.enter_erasure_reason)
            });
            return Ok(render(
                &ErasePage {
                    ctx: ctx.at(Section::People),
                    person,
                    reason: form.reason,
                    errors,
                },
                StatusCode::BAD_REQUEST,
            ));
        }
    };
    match ctx
        .store(&store)
        .erase_representative(RepresentativeId::from(id), &reason)
        .await
    {
        // Free texts that still name the person are for a person to edit:
        // the answer lists them.
        Ok(erasure) if !erasure.mentions.is_empty() => Ok(render(
            &ErasedPage {
                ctx: ctx.at(Section::People),
                id,
                mentions: erasure.mentions,
            },
            StatusCode::OK,
        )),
        // Erased by someone else meanwhile: the result is the same.
        Ok(_) | Err(StoreError::Refused(_)) => Ok(see_other(&format!("/people/{id}?done=erased"))),
        Err(error) => Err(PageError::Store(error).into()),
    }
}
