//! Adding, changing and archiving a partnership (`WriteRecords`), as the
//! organisation forms do (see `organisation_forms`): Post/Redirect/Get,
//! every problem beside its field with the input kept, the version carried
//! and a conflict shown with what is saved now.
//!
//! The two parties are chosen from lists of organisations; the responsible
//! person is typed by name (suggested as one types, with the script) and
//! found on the server as the meeting form finds people.

use askama::Template;
use chrono::NaiveDate;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    OrganisationId, Partnership, PartnershipDetails, PartnershipId, PartnershipInput, PartnershipKind,
    PartnershipStatus, Permission,
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

/// The partnership form's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PartnershipForm {
    /// The parties' ids, chosen from the lists.
    #[serde(default)]
    first: String,
    #[serde(default)]
    second: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    started_on: String,
    #[serde(default)]
    ended_on: String,
    /// The responsible person's name.
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    goals: String,
    /// The version the form was read at (the edit form only).
    #[serde(default)]
    version: String,
}

impl PartnershipForm {
    /// The form filled in with what is saved (`responsible` by name).
    fn of(partnership: &Partnership, responsible: String) -> Self {
        let details = &partnership.details;
        let day = |date: Option<NaiveDate>| date.map(|date| date.to_string()).unwrap_or_default();
        let [first, second] = details.organisation_ids;
        Self {
            first: first.to_string(),
            second: second.to_string(),
            kind: details.kind.as_str().to_owned(),
            status: details.status.as_str().to_owned(),
            started_on: day(details.started_on),
            ended_on: day(details.ended_on),
            responsible,
            goals: details.goals.clone().unwrap_or_default(),
            version: partnership.meta.version.to_string(),
        }
    }

    /// The form's values as the domain's input, with the problems only the
    /// form can judge: a choice not on a list, a date that is not one, a
    /// name nobody has.
    async fn input(&self, ctx: &Ctx, store: &Store) -> Result<(PartnershipInput, FieldErrors), PageError> {
        let t = ctx.t;
        let mut errors = FieldErrors::default();
        let party = |raw: &str, field: &str, errors: &mut FieldErrors| match raw.trim() {
            "" => None,
            raw => Uuid::parse_str(raw)
                .map(OrganisationId::from)
                .map_err(|_| errors.add(field, t.choose_from_list))
                .ok(),
        };
        let first = party(&self.first, "first", &mut errors);
        let second = party(&self.second, "second", &mut errors);
        let kind = match self.kind.trim() {
            "" => None,
            raw => PartnershipKind::parse("kind", raw)
                .map_err(|_| errors.add("kind", t.choose_from_list))
                .ok(),
        };
        let status = match self.status.trim() {
            "" => None,
            raw => PartnershipStatus::parse("status", raw)
                .map_err(|_| errors.add("status", t.choose_from_list))
                .ok(),
        };
        let day = |raw: &str, field: &str, errors: &mut FieldErrors| {
            day_filter(Some(raw), field, errors, t.enter_a_date)
        };
        let started_on = day(&self.started_on, "started_on", &mut errors);
        let ended_on = day(&self.ended_on, "ended_on", &mut errors);
        let responsible_representative_id =
            person_named(store, &self.responsible, "responsible", &mut errors, t).await?;
        let input = PartnershipInput {
            organisation_ids: [first, second],
            kind,
            status,
            started_on,
            ended_on,
            responsible_representative_id,
            goals: Some(self.goals.clone()).filter(|goals| !goals.trim().is_empty()),
        };
        Ok((input, errors))
    }

    /// Each field: its label, name, what was typed and what is `saved`.
    fn compared<'a>(
        &'a self,
        saved: &'a Self,
        ctx: &Ctx,
    ) -> Vec<(&'static str, &'static str, &'a str, &'a str)> {
        let t = ctx.t;
        vec![
            (t.first_party, "first", &self.first, &saved.first),
            (t.second_party, "second", &self.second, &saved.second),
            (t.kind, "kind", &self.kind, &saved.kind),
            (t.status, "status", &self.status, &saved.status),
            (t.started, "started_on", &self.started_on, &saved.started_on),
            (t.ended, "ended_on", &self.ended_on, &saved.ended_on),
            (
                t.responsible,
                "responsible",
                &self.responsible,
                &saved.responsible,
            ),
            (t.goals, "goals", &self.goals, &saved.goals),
        ]
    }
}

/// The form's fields, in the order it shows them.
const FIELDS: [&str; 8] = [
    "first",
    "second",
    "kind",
    "status",
    "started_on",
    "ended_on",
    "responsible",
    "goals",
];

/// A domain path's form field.
fn field_of(path: &str) -> String {
    match path {
        "organisation_ids[0]" => "first",
        "organisation_ids[1]" | "organisation_ids" => "second",
        "responsible_representative_id" => "responsible",
        other => other,
    }
    .to_owned()
}

#[derive(Template)]
#[template(path = "partnerships/form.html")]
struct FormPage {
    ctx: Ctx,
    /// `None` for a new partnership.
    partnership: Option<Partnership>,
    /// The heading's names of the parties ("A – B"), for the edit form.
    parties: String,
    form: PartnershipForm,
    organisations: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

impl FormPage {
    async fn new(
        ctx: &Ctx,
        store: &Store,
        partnership: Option<Partnership>,
        form: PartnershipForm,
    ) -> Result<Self, PageError> {
        let chosen = |raw: &str| Uuid::parse_str(raw.trim()).ok().map(OrganisationId::from);
        let mut organisations = organisation_choices(store, chosen(&form.first)).await?;
        // The second party too, should it be past the list's end.
        if let Some(second) = chosen(&form.second)
            && !organisations.iter().any(|(id, _)| *id == second.to_string())
        {
            let names = store.names(&[second], &[]).await?;
            if names.organisations.contains_key(&second) {
                organisations.insert(0, (second.to_string(), names.organisation(second)));
            }
        }
        let parties = match &partnership {
            Some(partnership) => {
                let [a, b] = partnership.details.organisation_ids;
                let names = store.names(&[a, b], &[]).await?;
                format!("{} – {}", names.organisation(a), names.organisation(b))
            }
            None => String::new(),
        };
        Ok(Self {
            ctx: ctx.at(Section::Partnerships),
            partnership,
            parties,
            form,
            organisations,
            kinds: PartnershipKind::ALL
                .iter()
                .map(|kind| (kind.as_str(), kind.label(ctx.lang)))
                .collect(),
            statuses: PartnershipStatus::ALL
                .iter()
                .map(|status| (status.as_str(), status.label(ctx.lang)))
                .collect(),
            errors: FieldErrors::default(),
            conflict: None,
        })
    }

    fn summary(&self) -> ErrorSummary<'_> {
        let whole = self
            .conflict
            .as_ref()
            .map(|conflict| (conflict.first_field("first"), self.ctx.t.saved_by_someone_else));
        // In the order of the form: the form's own problems are found
        // before the domain's.
        let rank = |id: &str| {
            FIELDS
                .iter()
                .position(|field| *field == id)
                .unwrap_or(FIELDS.len())
        };
        ErrorSummary::new(&self.errors, whole).of_rows(rank, |_| None)
    }

    fn action(&self) -> String {
        match &self.partnership {
            Some(partnership) => format!("/partnerships/{}/edit", partnership.id),
            None => "/partnerships/new".to_owned(),
        }
    }

    fn heading(&self) -> &'static str {
        if self.partnership.is_some() {
            self.ctx.t.edit_partnership
        } else {
            self.ctx.t.add_partnership
        }
    }

    fn saved(&self, field: &str) -> Option<&str> {
        self.conflict.as_ref().and_then(|conflict| conflict.saved(field))
    }
}

/// What the store refused, beside each field, in the page's language.
fn problems(ctx: &Ctx, error: &StoreError) -> Option<FieldErrors> {
    let t = ctx.t;
    FieldErrors::from_store(ctx.lang, error, field_of, |field| match field {
        "first" | "second" => Some(t.choose_partner_organisation),
        "kind" => Some(t.choose_partnership_kind),
        _ => None,
    })
}

/// Parses the form and checks it as the domain does, without writing.
async fn parsed(
    ctx: &Ctx,
    store: &Store,
    form: &PartnershipForm,
) -> Result<Result<PartnershipDetails, FieldErrors>, PageError> {
    let (input, mut errors) = form.input(ctx, store).await?;
    Ok(match PartnershipDetails::parse(&input) {
        Ok(details) if errors.is_empty() => Ok(details),
        Ok(_) => Err(errors),
        Err(invalid) => {
            errors.merge(problems(ctx, &StoreError::Validation(invalid)).unwrap_or_default());
            Err(errors)
        }
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    /// The first party, when the form is opened from an organisation's page.
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
    let form = PartnershipForm {
        first: query.organisation.unwrap_or_default(),
        ..PartnershipForm::default()
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
    Form(form): Form<PartnershipForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let details = match parsed(&ctx, &store, &form).await? {
        Ok(details) => details,
        Err(errors) => {
            let mut page = FormPage::new(&ctx, &store, None, form).await?;
            page.errors = errors;
            return Ok(render(&page, StatusCode::BAD_REQUEST));
        }
    };
    match ctx.store(&store).create_partnership(details).await {
        Ok(partnership) => Ok(see_other(&format!(
            "/partnerships/{}?done=created",
            partnership.id
        ))),
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

/// The live partnership `id`, with the form of what is saved.
async fn live(store: &Store, id: PartnershipId) -> Result<(Partnership, PartnershipForm), PageError> {
    let partnership = store.partnership(id).await?;
    if partnership.meta.archived_at.is_some() {
        return Err(PageError::NotFound);
    }
    let responsible = match partnership.details.responsible_representative_id {
        Some(person) => store.names(&[], &[person]).await?.representative(person),
        None => String::new(),
    };
    let form = PartnershipForm::of(&partnership, responsible);
    Ok((partnership, form))
}

#[handler]
pub async fn edit(ctx: Data<&Ctx>, store: Data<&Store>, Path(id): Path<Uuid>) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let (partnership, form) = live(&store, PartnershipId::from(id)).await?;
    Ok(render(
        &FormPage::new(&ctx, &store, Some(partnership), form).await?,
        StatusCode::OK,
    ))
}

#[handler]
pub async fn update(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<PartnershipForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let id = PartnershipId::from(id);
    let (saved, saved_form) = live(&store, id).await?;
    let read_at: i32 = form.version.trim().parse().map_err(|_| PageError::BadRequest)?;
    let details = match parsed(&ctx, &store, &form).await? {
        Ok(details) => details,
        Err(errors) => {
            let mut page = FormPage::new(&ctx, &store, Some(saved), form).await?;
            page.errors = errors;
            return Ok(render(&page, StatusCode::BAD_REQUEST));
        }
    };
    match ctx.store(&store).update_partnership(id, read_at, details).await {
        Ok(partnership) => Ok(see_other(&format!("/partnerships/{}?done=saved", partnership.id))),
        Err(StoreError::VersionConflict { .. }) => {
            // `saved` was read after the other save: it is what holds now.
            let changes = history::since(&store, id.as_uuid(), read_at).await?;
            let mut form = form;
            let names: Vec<(String, String)> = organisation_choices(&store, None).await?;
            let conflict = Conflict::new(
                changes,
                form.compared(&saved_form, &ctx),
                |field, value| match field {
                    "first" | "second" => names
                        .iter()
                        .find(|(id, _)| id == value)
                        .map(|(_, name)| name.clone())
                        .unwrap_or_else(|| value.to_owned()),
                    "kind" => PartnershipKind::parse("kind", value)
                        .map(|kind| kind.label(ctx.lang).to_owned())
                        .unwrap_or_default(),
                    "status" => PartnershipStatus::parse("status", value)
                        .map(|status| status.label(ctx.lang).to_owned())
                        .unwrap_or_default(),
                    _ => value.to_owned(),
                },
            );
            form.version.clone_from(&saved_form.version);
            let mut page = FormPage::new(&ctx, &store, Some(saved), form).await?;
            page.conflict = Some(conflict);
            Ok(render(&page, StatusCode::CONFLICT))
        }
        Err(error) => match problems(&ctx, &error) {
            Some(errors) => {
                let mut page = FormPage::new(&ctx, &store, Some(saved), form).await?;
                page.errors = errors;
                Ok(render(&page, StatusCode::CONFLICT))
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
    let partnership = store
        .partnership(PartnershipId::from(id))
        .await
        .map_err(PageError::Store)?;
    if partnership.meta.archived_at.is_some() {
        return Ok(see_other(&format!("/partnerships/{}", partnership.id)));
    }
    let [a, b] = partnership.details.organisation_ids;
    let names = store.names(&[a, b], &[]).await.map_err(PageError::Store)?;
    let parties = format!("{} – {}", names.organisation(a), names.organisation(b));
    Ok(render(
        &ArchivePage {
            ctx: ctx.at(Section::Partnerships),
            action_label: ctx.t.archive_partnership,
            name: parties,
            record: format!("/partnerships/{}", partnership.id),
            keeps: ctx.t.archive_keeps_partnership,
            changes: ctx.t.archive_changes_partnership,
            version: partnership.meta.version,
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
    let id = PartnershipId::from(id);
    let read_at = form.read_at()?;
    let result = ctx.store(&store).archive_partnership(id, Some(read_at)).await;
    archived(result, &format!("/partnerships/{}", id.as_uuid()))
}
