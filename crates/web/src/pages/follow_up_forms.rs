//! Changing and archiving a follow-up (`WriteRecords`: strategists and
//! admins; a manager changes the status only, with the status form of the
//! follow-up's page). As the other record forms (see `organisation_forms`):
//! Post/Redirect/Get, every problem beside its field with the input kept,
//! the version carried and a conflict shown with what is saved now. New
//! follow-ups are added with their meeting (its form, or its edit form).

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{Response, handler};
use samverkan_domain::{
    FollowUp, FollowUpDetails, FollowUpId, FollowUpInput, FollowUpStatus, OrganisationId, Permission,
};
use samverkan_report::Translated;
use samverkan_store::{Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::forms::{ArchiveForm, ArchivePage, Conflict, ErrorSummary, FieldErrors, archived};
use crate::frame::{Ctx, PageError, Section, render};
use crate::history;
use crate::pages::{day_filter, organisation_choices, person_named};
use crate::session::see_other;

/// The follow-up form's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    details: String,
    /// The owner's name.
    #[serde(default)]
    owner: String,
    /// The organisation's id, chosen from the list.
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    status: String,
    /// The day it was done, for one done on another day than today.
    #[serde(default)]
    completed_on: String,
    #[serde(default)]
    version: String,
}

/// The form's fields, in the order it shows them.
const FIELDS: [&str; 7] = [
    "title",
    "details",
    "owner",
    "organisation_id",
    "due_on",
    "status",
    "completed_on",
];

impl FollowUpForm {
    fn of(follow_up: &FollowUp, owner: String) -> Self {
        let details = &follow_up.details;
        Self {
            title: details.title.clone(),
            details: details.details.clone().unwrap_or_default(),
            owner,
            organisation_id: details
                .organisation_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            due_on: details.due_on.map(|day| day.to_string()).unwrap_or_default(),
            status: details.status.as_str().to_owned(),
            completed_on: String::new(),
            version: follow_up.meta.version.to_string(),
        }
    }

    async fn input(&self, ctx: &Ctx, store: &Store) -> Result<(FollowUpInput, FieldErrors), PageError> {
        let t = ctx.t;
        let mut errors = FieldErrors::default();
        let day = |raw: &str, field: &str, errors: &mut FieldErrors| {
            day_filter(Some(raw), field, errors, t.enter_a_date)
        };
        let due_on = day(&self.due_on, "due_on", &mut errors);
        let completed_on = day(&self.completed_on, "completed_on", &mut errors);
        let status = match self.status.trim() {
            "" => None,
            raw => FollowUpStatus::parse("status", raw)
                .map_err(|_| errors.add("status", t.choose_from_list))
                .ok(),
        };
        let organisation_id = match self.organisation_id.trim() {
            "" => None,
            raw => Uuid::parse_str(raw)
                .map(OrganisationId::from)
                .map_err(|_| errors.add("organisation_id", t.choose_from_list))
                .ok(),
        };
        let owner_id = person_named(store, &self.owner, "owner", &mut errors, t).await?;
        let optional = |value: &str| Some(value.to_owned()).filter(|value| !value.trim().is_empty());
        let input = FollowUpInput {
            title: self.title.clone(),
            details: optional(&self.details),
            owner_id,
            organisation_id,
            due_on,
            status,
            completed_on,
        };
        Ok((input, errors))
    }

    fn compared<'a>(
        &'a self,
        saved: &'a Self,
        ctx: &Ctx,
    ) -> Vec<(&'static str, &'static str, &'a str, &'a str)> {
        let t = ctx.t;
        vec![
            (t.follow_up_title, "title", &self.title, &saved.title),
            (t.details, "details", &self.details, &saved.details),
            (t.owner, "owner", &self.owner, &saved.owner),
            (
                t.organisation,
                "organisation_id",
                &self.organisation_id,
                &saved.organisation_id,
            ),
            (t.due_date, "due_on", &self.due_on, &saved.due_on),
            (t.status, "status", &self.status, &saved.status),
        ]
    }
}

/// A domain path's form field.
fn field_of(path: &str) -> String {
    match path {
        "owner_id" => "owner",
        other => other,
    }
    .to_owned()
}

#[derive(Template)]
#[template(path = "follow_ups/form.html")]
struct FormPage {
    ctx: Ctx,
    follow_up: FollowUp,
    form: FollowUpForm,
    organisations: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

impl FormPage {
    async fn new(
        ctx: &Ctx,
        store: &Store,
        follow_up: FollowUp,
        form: FollowUpForm,
    ) -> Result<Self, PageError> {
        let chosen = Uuid::parse_str(form.organisation_id.trim())
            .ok()
            .map(OrganisationId::from);
        Ok(Self {
            ctx: ctx.at(Section::FollowUps),
            follow_up,
            form,
            organisations: organisation_choices(store, chosen).await?,
            statuses: crate::pages::follow_ups::status_choices(ctx),
            errors: FieldErrors::default(),
            conflict: None,
        })
    }

    fn summary(&self) -> ErrorSummary<'_> {
        let whole = self
            .conflict
            .as_ref()
            .map(|conflict| (conflict.first_field("title"), self.ctx.t.saved_by_someone_else));
        let rank = |id: &str| {
            FIELDS
                .iter()
                .position(|field| *field == id)
                .unwrap_or(FIELDS.len())
        };
        ErrorSummary::new(&self.errors, whole).of_rows(rank, |_| None)
    }

    fn saved(&self, field: &str) -> Option<&str> {
        self.conflict.as_ref().and_then(|conflict| conflict.saved(field))
    }
}

fn problems(ctx: &Ctx, error: &StoreError) -> Option<FieldErrors> {
    let t = ctx.t;
    FieldErrors::from_store(ctx.lang, error, field_of, |field| match field {
        "title" => Some(t.enter_follow_up_title),
        _ => None,
    })
}

/// The live follow-up `id`, with the form of what is saved.
async fn live(store: &Store, id: FollowUpId) -> Result<(FollowUp, FollowUpForm), PageError> {
    let follow_up = store.follow_up(id).await?;
    if follow_up.meta.archived_at.is_some() {
        return Err(PageError::NotFound);
    }
    let owner = match follow_up.details.owner_id {
        Some(owner) => store.names(&[], &[owner]).await?.representative(owner),
        None => String::new(),
    };
    let form = FollowUpForm::of(&follow_up, owner);
    Ok((follow_up, form))
}

#[handler]
pub async fn edit(ctx: Data<&Ctx>, store: Data<&Store>, Path(id): Path<Uuid>) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let (follow_up, form) = live(&store, FollowUpId::from(id)).await?;
    Ok(render(
        &FormPage::new(&ctx, &store, follow_up, form).await?,
        StatusCode::OK,
    ))
}

#[handler]
pub async fn update(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<FollowUpForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let id = FollowUpId::from(id);
    let (saved, saved_form) = live(&store, id).await?;
    let read_at: i32 = form.version.trim().parse().map_err(|_| PageError::BadRequest)?;
    let (input, mut errors) = form.input(&ctx, &store).await?;
    let details = match FollowUpDetails::parse(&input) {
        Ok(details) if errors.is_empty() => Some(details),
        Ok(_) => None,
        Err(invalid) => {
            errors.merge(problems(&ctx, &StoreError::Validation(invalid)).unwrap_or_default());
            None
        }
    };
    let Some(details) = details else {
        let mut page = FormPage::new(&ctx, &store, saved, form).await?;
        page.errors = errors;
        return Ok(render(&page, StatusCode::BAD_REQUEST));
    };
    match ctx
        .store(&store)
        .update_follow_up(id, read_at, details, input.completed_on)
        .await
    {
        Ok(follow_up) => Ok(see_other(&format!("/follow-ups/{}?done=saved", follow_up.id))),
        Err(StoreError::VersionConflict { .. }) => {
            let changes = history::since(&store, id.as_uuid(), read_at).await?;
            let names = organisation_choices(&store, None).await?;
            let mut form = form;
            let conflict = Conflict::new(
                changes,
                form.compared(&saved_form, &ctx),
                |field, value| match field {
                    "organisation_id" => names
                        .iter()
                        .find(|(id, _)| id == value)
                        .map(|(_, name)| name.clone())
                        .unwrap_or_else(|| value.to_owned()),
                    "status" => FollowUpStatus::parse("status", value)
                        .map(|status| status.label(ctx.lang).to_owned())
                        .unwrap_or_default(),
                    _ => value.to_owned(),
                },
            );
            form.version.clone_from(&saved_form.version);
            let mut page = FormPage::new(&ctx, &store, saved, form).await?;
            page.conflict = Some(conflict);
            Ok(render(&page, StatusCode::CONFLICT))
        }
        Err(error) => match problems(&ctx, &error) {
            Some(errors) => {
                let mut page = FormPage::new(&ctx, &store, saved, form).await?;
                page.errors = errors;
                Ok(render(&page, StatusCode::BAD_REQUEST))
            }
            None => Err(PageError::Store(error).into()),
        },
    }
}

/// The confirmation: what archiving keeps and what it changes.
#[handler]
pub async fn confirm_archive(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let follow_up = store
        .follow_up(FollowUpId::from(id))
        .await
        .map_err(PageError::Store)?;
    if follow_up.meta.archived_at.is_some() {
        return Ok(see_other(&format!("/follow-ups/{}", follow_up.id)));
    }
    Ok(render(
        &ArchivePage {
            ctx: ctx.at(Section::FollowUps),
            action_label: ctx.t.archive_follow_up,
            name: follow_up.details.title.clone(),
            record: format!("/follow-ups/{}", follow_up.id),
            keeps: ctx.t.archive_keeps_follow_up,
            changes: ctx.t.archive_changes_follow_up,
            version: follow_up.meta.version,
        },
        StatusCode::OK,
    ))
}

#[handler]
pub async fn archive(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<ArchiveForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let id = FollowUpId::from(id);
    let read_at = form.read_at()?;
    let result = ctx.store(&store).archive_follow_up(id, Some(read_at)).await;
    archived(result, &format!("/follow-ups/{}", id.as_uuid()))
}
