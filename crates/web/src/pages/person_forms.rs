//! Adding, changing and archiving a person (a representative), as the
//! organisation forms do (see `organisation_forms`): Post/Redirect/Get,
//! every problem beside its field with the input kept, the version carried
//! and a conflict shown with what is saved now.
//!
//! A new organisation or title ends the current affiliation today and
//! begins another (the store's rule, as in the API): the earlier one stays,
//! with its dates, so past meetings keep the person where they were. A
//! minor is kept with name and organisation only: the form says so, and
//! the domain refuses contact details or notes for one.

use askama::Template;
use chrono::NaiveDate;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    OrganisationId, Permission, Representative, RepresentativeDraft, RepresentativeId, RepresentativeInput,
};
use samverkan_store::{Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::forms::{ArchiveForm, ArchivePage, Conflict, ErrorSummary, FieldErrors, archived};
use crate::frame::{Ctx, PageError, Section, render};
use crate::history;
use crate::pages::organisation_choices;
use crate::session::see_other;

/// The person form's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    notes: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    is_minor: Option<String>,
    /// The day a new organisation or title applies from (the edit form;
    /// empty: today).
    #[serde(default)]
    moves_on: String,
    #[serde(default)]
    version: String,
}

impl PersonForm {
    fn of(person: &Representative) -> Self {
        let details = &person.details;
        Self {
            full_name: details.full_name.to_string(),
            organisation_id: person.affiliation.organisation_id.to_string(),
            title: person.affiliation.title.clone().unwrap_or_default(),
            email: details
                .email
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            phone: details
                .phone
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            notes: details.notes.clone().unwrap_or_default(),
            is_minor: details.is_minor.then(|| "1".to_owned()),
            moves_on: String::new(),
            version: person.meta.version.to_string(),
        }
    }

    fn is_minor(&self) -> bool {
        self.is_minor.is_some()
    }

    /// The domain's input, or the problems only the form can judge (an
    /// organisation that is not one).
    fn input(&self, ctx: &Ctx) -> (RepresentativeInput, FieldErrors) {
        let mut errors = FieldErrors::default();
        let optional = |value: &str| Some(value.to_owned()).filter(|value| !value.trim().is_empty());
        let organisation_id = match self.organisation_id.trim() {
            "" => None,
            raw => match Uuid::parse_str(raw) {
                Ok(id) => Some(OrganisationId::from(id)),
                Err(_) => {
                    errors.add("organisation_id", ctx.t.choose_from_list);
                    None
                }
            },
        };
        let input = RepresentativeInput {
            full_name: self.full_name.clone(),
            organisation_id,
            title: optional(&self.title),
            email: optional(&self.email),
            phone: optional(&self.phone),
            notes: optional(&self.notes),
            is_minor: self.is_minor(),
        };
        (input, errors)
    }

    fn compared<'a>(
        &'a self,
        saved: &'a Self,
        ctx: &Ctx,
    ) -> Vec<(&'static str, &'static str, &'a str, &'a str)> {
        let t = ctx.t;
        let minor = |form: &Self| if form.is_minor() { t.yes } else { t.no };
        vec![
            (t.name, "full_name", &self.full_name, &saved.full_name),
            (
                t.organisation,
                "organisation_id",
                &self.organisation_id,
                &saved.organisation_id,
            ),
            (t.job_title, "title", &self.title, &saved.title),
            (t.email, "email", &self.email, &saved.email),
            (t.phone, "phone", &self.phone, &saved.phone),
            (t.notes, "notes", &self.notes, &saved.notes),
            (t.minor, "is_minor", minor(self), minor(saved)),
        ]
    }
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    ctx: Ctx,
    /// `None` for a new person.
    person: Option<Representative>,
    form: PersonForm,
    organisations: Vec<(String, String)>,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

impl FormPage {
    async fn new(
        ctx: &Ctx,
        store: &Store,
        person: Option<Representative>,
        form: PersonForm,
    ) -> Result<Self, PageError> {
        let chosen = Uuid::parse_str(form.organisation_id.trim())
            .ok()
            .map(OrganisationId::from);
        Ok(Self {
            ctx: ctx.at(Section::People),
            organisations: organisation_choices(store, chosen).await?,
            person,
            form,
            errors: FieldErrors::default(),
            conflict: None,
        })
    }

    fn summary(&self) -> ErrorSummary<'_> {
        let whole = self.conflict.as_ref().map(|conflict| {
            (
                conflict.first_field("full_name"),
                self.ctx.t.saved_by_someone_else,
            )
        });
        ErrorSummary::new(&self.errors, whole)
    }

    fn action(&self) -> String {
        match &self.person {
            Some(person) => format!("/people/{}/edit", person.id),
            None => "/people/new".to_owned(),
        }
    }

    fn heading(&self) -> &'static str {
        if self.person.is_some() {
            self.ctx.t.edit_person
        } else {
            self.ctx.t.new_person
        }
    }

    fn saved(&self, field: &str) -> Option<&str> {
        self.conflict.as_ref().and_then(|conflict| conflict.saved(field))
    }

    fn cancel_href(&self) -> String {
        match &self.person {
            Some(person) => format!("/people/{}", person.id),
            None => "/people".to_owned(),
        }
    }
}

fn problems(ctx: &Ctx, error: &StoreError) -> Option<FieldErrors> {
    let t = ctx.t;
    FieldErrors::from_store(ctx.lang, error, str::to_owned, |field| match field {
        "full_name" => Some(t.enter_person_name),
        "organisation_id" => Some(t.choose_person_organisation),
        _ => None,
    })
}

/// The draft of `form`, or the form again with its problems.
async fn draft_of(
    ctx: &Ctx,
    store: &Store,
    person: Option<Representative>,
    form: PersonForm,
) -> Result<Result<(RepresentativeDraft, PersonForm, Option<Representative>), Response>, PageError> {
    let (input, mut errors) = form.input(ctx);
    match RepresentativeDraft::parse(&input) {
        Ok(draft) if errors.is_empty() => Ok(Ok((draft, form, person))),
        parsed => {
            if let Err(invalid) = parsed {
                errors.merge(problems(ctx, &StoreError::Validation(invalid)).unwrap_or_default());
            }
            let mut page = FormPage::new(ctx, store, person, form).await?;
            page.errors = errors;
            Ok(Err(render(&page, StatusCode::BAD_REQUEST)))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    /// The organisation to add the person to (from its page).
    #[serde(default)]
    organisation: Option<String>,
}

#[handler]
pub async fn new(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Query(query): Query<NewQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let form = PersonForm {
        organisation_id: query.organisation.unwrap_or_default(),
        ..PersonForm::default()
    };
    Ok(render(
        &FormPage::new(&ctx, &store, None, form).await?,
        StatusCode::OK,
    ))
}

#[handler]
pub async fn create(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Form(form): Form<PersonForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let (draft, form, _) = match draft_of(&ctx, &store, None, form).await? {
        Ok(parsed) => parsed,
        Err(again) => return Ok(again),
    };
    match ctx.store(&store).create_representative(draft).await {
        Ok(person) => Ok(see_other(&format!("/people/{}?done=created", person.id))),
        Err(error) => match problems(&ctx, &error) {
            Some(errors) => {
                let mut page = FormPage::new(&ctx, &store, None, form).await?;
                page.errors = errors;
                Ok(render(&page, StatusCode::CONFLICT))
            }
            None => Err(PageError::Store(error).into()),
        },
    }
}

/// The person to edit: live ones only.
async fn editable(store: &Store, id: Uuid) -> Result<Representative, PageError> {
    let person = store.representative(RepresentativeId::from(id)).await?;
    if person.meta.archived_at.is_some() {
        return Err(PageError::NotFound);
    }
    Ok(person)
}

#[handler]
pub async fn edit(ctx: Data<&Ctx>, store: Data<&Store>, Path(id): Path<Uuid>) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let person = editable(&store, id).await?;
    let form = PersonForm::of(&person);
    Ok(render(
        &FormPage::new(&ctx, &store, Some(person), form).await?,
        StatusCode::OK,
    ))
}

#[handler]
pub async fn update(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<PersonForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let saved = editable(&store, id).await?;
    let read_at: i32 = form.version.trim().parse().map_err(|_| PageError::BadRequest)?;
    let (draft, form, saved) = match draft_of(&ctx, &store, Some(saved), form).await? {
        Ok(parsed) => parsed,
        Err(again) => return Ok(again),
    };
    let person_id = RepresentativeId::from(id);
    let moves_on = match form.moves_on.trim() {
        "" => None,
        raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                let mut errors = FieldErrors::default();
                errors.add("moves_on", ctx.t.enter_a_date);
                let mut page = FormPage::new(&ctx, &store, saved, form).await?;
                page.errors = errors;
                return Ok(render(&page, StatusCode::BAD_REQUEST));
            }
        },
    };
    let written = match moves_on {
        Some(day) => {
            ctx.store(&store)
                .update_representative_from(person_id, read_at, draft, day)
                .await
        }
        None => {
            ctx.store(&store)
                .update_representative(person_id, read_at, draft)
                .await
        }
    };
    match written {
        Ok(person) => Ok(see_other(&format!("/people/{}?done=saved", person.id))),
        Err(StoreError::VersionConflict { .. }) => {
            let now = store.representative(person_id).await.map_err(PageError::Store)?;
            let changes = history::since(&store, id, read_at).await?;
            let saved_form = PersonForm::of(&now);
            let names = store
                .names(&[now.affiliation.organisation_id], &[])
                .await
                .map_err(PageError::Store)?;
            let mut form = form;
            let conflict = Conflict::new(changes, form.compared(&saved_form, &ctx), |field, value| {
                if field == "organisation_id" {
                    names.organisation(now.affiliation.organisation_id)
                } else {
                    value.to_owned()
                }
            });
            form.version = saved_form.version;
            let mut page = FormPage::new(&ctx, &store, Some(now), form).await?;
            page.conflict = Some(conflict);
            Ok(render(&page, StatusCode::CONFLICT))
        }
        Err(error) => match problems(&ctx, &error) {
            Some(errors) => {
                let mut page = FormPage::new(&ctx, &store, saved, form).await?;
                page.errors = errors;
                Ok(render(&page, StatusCode::CONFLICT))
            }
            None => Err(PageError::Store(error).into()),
        },
    }
}

#[handler]
pub async fn confirm_archive(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let person = match editable(&store, id).await {
        Ok(person) => person,
        Err(PageError::NotFound) => return Ok(see_other(&format!("/people/{id}"))),
        Err(error) => return Err(error.into()),
    };
    Ok(render(
        &ArchivePage {
            ctx: ctx.at(Section::People),
            action_label: ctx.t.archive_person,
            name: person.details.full_name.to_string(),
            record: format!("/people/{}", person.id),
            keeps: ctx.t.archive_keeps_person,
            changes: ctx.t.archive_changes_person,
            version: person.meta.version,
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
    let read_at = form.read_at()?;
    let result = ctx
        .store(&store)
        .archive_representative(RepresentativeId::from(id), Some(read_at))
        .await;
    archived(result, &format!("/people/{id}"))
}
