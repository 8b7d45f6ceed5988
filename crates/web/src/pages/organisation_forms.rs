//! Adding, changing and archiving an organisation (strategists and admins:
//! `WriteRecords`). Each form is a POST answered with a redirect to the
//! organisation's page (Post/Redirect/Get), or, when something is wrong,
//! the form again with everything typed kept and each problem beside its
//! field. Every write goes through the store's audited path, as the API's.
//!
//! The edit form carries the version it was read at. When someone else
//! saved in between, the store refuses the write (nothing changes) and the
//! form comes back with the reader's input kept, what is saved now beside
//! each field that differs, who saved it, and the version it now has: so
//! saving again applies the reader's change on top, knowingly.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{Response, handler};
use samverkan_domain::{
    Organisation, OrganisationDetails, OrganisationId, OrganisationInput, OrganisationKind, Permission,
};
use samverkan_report::Translated;
use samverkan_store::{Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::forms::{ArchiveForm, ArchivePage, Conflict, ErrorSummary, FieldErrors, archived};
use crate::frame::{Ctx, PageError, Section, render};
use crate::history;
use crate::session::see_other;

/// The organisation form's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    organisation_number: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    description: String,
    /// Separated by commas.
    #[serde(default)]
    tags: String,
    /// The version the form was read at (the edit form only).
    #[serde(default)]
    version: String,
}

impl OrganisationForm {
    /// The form filled in with what is saved.
    fn of(organisation: &Organisation) -> Self {
        let details = &organisation.details;
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        Self {
            name: details.name.to_string(),
            short_name: text(&details.short_name),
            kind: details.kind.as_str().to_owned(),
            organisation_number: details
                .organisation_number
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            website: details
                .website
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            city: text(&details.city),
            description: text(&details.description),
            tags: details
                .tags
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            version: organisation.meta.version.to_string(),
        }
    }

    /// The form's values as the domain's input, or the problems of the
    /// fields only the form can judge (a kind not on the list).
    fn input(&self, ctx: &Ctx) -> (OrganisationInput, FieldErrors) {
        let mut errors = FieldErrors::default();
        let optional = |value: &str| Some(value.to_owned()).filter(|value| !value.trim().is_empty());
        let kind = match self.kind.trim() {
            "" => None,
            raw => match OrganisationKind::parse("kind", raw) {
                Ok(kind) => Some(kind),
                Err(_) => {
                    errors.add("kind", ctx.t.choose_from_list);
                    None
                }
            },
        };
        let input = OrganisationInput {
            name: self.name.clone(),
            short_name: optional(&self.short_name),
            kind,
            organisation_number: optional(&self.organisation_number),
            website: optional(&self.website),
            city: optional(&self.city),
            description: optional(&self.description),
            tags: split_tags(&self.tags),
        };
        (input, errors)
    }
}

impl OrganisationForm {
    /// Each field: its label, name, what was typed and what is `saved`.
    fn compared<'a>(
        &'a self,
        saved: &'a Self,
        ctx: &Ctx,
    ) -> Vec<(&'static str, &'static str, &'a str, &'a str)> {
        let t = ctx.t;
        vec![
            (t.name, "name", &self.name, &saved.name),
            (t.short_name, "short_name", &self.short_name, &saved.short_name),
            (t.kind, "kind", &self.kind, &saved.kind),
            (
                t.organisation_number,
                "organisation_number",
                &self.organisation_number,
                &saved.organisation_number,
            ),
            (t.website, "website", &self.website, &saved.website),
            (t.city, "city", &self.city, &saved.city),
            (
                t.description,
                "description",
                &self.description,
                &saved.description,
            ),
            (t.tags, "tags", &self.tags, &saved.tags),
        ]
    }
}

/// `hamn, Skola ,, teknik` → `["hamn", "Skola", "teknik"]`.
fn split_tags(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A domain path's form field: every tag is in the one field `tags`.
fn field_of(path: &str) -> String {
    if path.starts_with("tags") {
        "tags".to_owned()
    } else {
        path.to_owned()
    }
}

#[derive(Template)]
#[template(path = "organisations/form.html")]
struct FormPage {
    ctx: Ctx,
    /// `None` for a new organisation.
    organisation: Option<Organisation>,
    form: OrganisationForm,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

impl FormPage {
    fn new(ctx: &Ctx, organisation: Option<Organisation>, form: OrganisationForm) -> Self {
        Self {
            ctx: ctx.at(Section::Organisations),
            organisation,
            form,
            kinds: OrganisationKind::ALL
                .iter()
                .map(|kind| (kind.as_str(), kind.label(ctx.lang)))
                .collect(),
            errors: FieldErrors::default(),
            conflict: None,
        }
    }

    fn summary(&self) -> ErrorSummary<'_> {
        let whole = self
            .conflict
            .as_ref()
            .map(|conflict| (conflict.first_field("name"), self.ctx.t.saved_by_someone_else));
        ErrorSummary::new(&self.errors, whole)
    }

    fn action(&self) -> String {
        match &self.organisation {
            Some(organisation) => format!("/organisations/{}/edit", organisation.id),
            None => "/organisations/new".to_owned(),
        }
    }

    fn heading(&self) -> &'static str {
        if self.organisation.is_some() {
            self.ctx.t.edit_organisation
        } else {
            self.ctx.t.new_organisation
        }
    }

    /// What is saved now in `field`, when someone else saved meanwhile and
    /// it differs from the form's.
    fn saved(&self, field: &str) -> Option<&str> {
        self.conflict.as_ref().and_then(|conflict| conflict.saved(field))
    }
}

/// The form shown again, with `errors` and `status`.
fn again(mut page: FormPage, errors: FieldErrors, status: StatusCode) -> Response {
    page.errors = errors;
    render(&page, status)
}

/// What the store refused, beside each field, in the page's language.
fn problems(ctx: &Ctx, error: &StoreError) -> Option<FieldErrors> {
    let t = ctx.t;
    FieldErrors::from_store(ctx.lang, error, field_of, |field| match field {
        "name" => Some(t.enter_organisation_name),
        "kind" => Some(t.choose_organisation_kind),
        _ => None,
    })
}

#[handler]
pub async fn new(ctx: Data<&Ctx>) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    Ok(render(
        &FormPage::new(&ctx, None, OrganisationForm::default()),
        StatusCode::OK,
    ))
}

#[handler]
pub async fn create(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Form(form): Form<OrganisationForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let (input, mut errors) = form.input(&ctx);
    let page = FormPage::new(&ctx, None, form);
    let details = match OrganisationDetails::parse(&input) {
        Ok(details) if errors.is_empty() => details,
        Ok(_) => return Ok(again(page, errors, StatusCode::BAD_REQUEST)),
        Err(invalid) => {
            let domain = problems(&ctx, &StoreError::Validation(invalid)).unwrap_or_default();
            errors.merge(domain);
            return Ok(again(page, errors, StatusCode::BAD_REQUEST));
        }
    };
    match ctx.store(&store).create_organisation(details).await {
        Ok(organisation) => Ok(see_other(&format!(
            "/organisations/{}?done=created",
            organisation.id
        ))),
        Err(error) => match problems(&ctx, &error) {
            Some(errors) => Ok(again(page, errors, StatusCode::CONFLICT)),
            None => Err(PageError::Store(error).into()),
        },
    }
}

#[handler]
pub async fn edit(ctx: Data<&Ctx>, store: Data<&Store>, Path(id): Path<Uuid>) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let organisation = store
        .organisation(OrganisationId::from(id))
        .await
        .map_err(PageError::Store)?;
    if organisation.meta.archived_at.is_some() {
        return Err(PageError::NotFound.into());
    }
    let form = OrganisationForm::of(&organisation);
    Ok(render(
        &FormPage::new(&ctx, Some(organisation), form),
        StatusCode::OK,
    ))
}

#[handler]
pub async fn update(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<OrganisationForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let id = OrganisationId::from(id);
    let saved = store.organisation(id).await.map_err(PageError::Store)?;
    if saved.meta.archived_at.is_some() {
        return Err(PageError::NotFound.into());
    }
    let read_at: i32 = form.version.trim().parse().map_err(|_| PageError::BadRequest)?;
    let (input, mut errors) = form.input(&ctx);
    let details = match OrganisationDetails::parse(&input) {
        Ok(details) if errors.is_empty() => Some(details),
        Ok(_) => None,
        Err(invalid) => {
            let domain = problems(&ctx, &StoreError::Validation(invalid)).unwrap_or_default();
            errors.merge(domain);
            None
        }
    };
    let Some(details) = details else {
        let page = FormPage::new(&ctx, Some(saved), form);
        return Ok(again(page, errors, StatusCode::BAD_REQUEST));
    };
    match ctx.store(&store).update_organisation(id, read_at, details).await {
        Ok(organisation) => Ok(see_other(&format!(
            "/organisations/{}?done=saved",
            organisation.id
        ))),
        Err(StoreError::VersionConflict { .. }) => {
            // Read again: what is saved now, and who saved it since.
            let now = store.organisation(id).await.map_err(PageError::Store)?;
            let changes = history::since(&store, id.as_uuid(), read_at).await?;
            let mut form = form;
            let saved = OrganisationForm::of(&now);
            let conflict = Conflict::new(changes, form.compared(&saved, &ctx), |field, value| {
                if field == "kind" {
                    OrganisationKind::parse("kind", value)
                        .map(|kind| kind.label(ctx.lang).to_owned())
                        .unwrap_or_default()
                } else {
                    value.to_owned()
                }
            });
            form.version = saved.version;
            let mut page = FormPage::new(&ctx, Some(now), form);
            page.conflict = Some(conflict);
            Ok(render(&page, StatusCode::CONFLICT))
        }
        Err(error) => match problems(&ctx, &error) {
            Some(errors) => Ok(again(
                FormPage::new(&ctx, Some(saved), form),
                errors,
                StatusCode::CONFLICT,
            )),
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
    let organisation = store
        .organisation(OrganisationId::from(id))
        .await
        .map_err(PageError::Store)?;
    if organisation.meta.archived_at.is_some() {
        return Ok(see_other(&format!("/organisations/{}", organisation.id)));
    }
    Ok(render(
        &ArchivePage {
            ctx: ctx.at(Section::Organisations),
            action_label: ctx.t.archive_organisation,
            name: organisation.details.name.to_string(),
            record: format!("/organisations/{}", organisation.id),
            keeps: ctx.t.archive_keeps_organisation,
            changes: ctx.t.archive_changes_organisation,
            version: organisation.meta.version,
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
    let id = OrganisationId::from(id);
    let read_at = form.read_at()?;
    let result = ctx.store(&store).archive_organisation(id, Some(read_at)).await;
    archived(result, &format!("/organisations/{}", id.as_uuid()))
}
