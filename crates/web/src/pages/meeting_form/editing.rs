//! `/meetings/{id}/edit`: a logged meeting in the same form, pre-filled,
//! saved whole under the version it was read at
//! ([`Store::revise_meeting_with`]). The agenda items and outcomes keep
//! their ids through hidden fields, so the follow-ups tied to them stay
//! tied; the meeting's follow-ups are listed, each changed on its own page,
//! and blank rows add new ones.
//!
//! When someone else saved the meeting first, the form comes back with the
//! reader's input kept, the new version, what the other person changed
//! (from the audit trail) and, beside each of the meeting's own fields, what
//! is saved now: sending it again puts the reader's version on top.

use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::{Request, Response, handler};
use samverkan_domain::{Attendee, MeetingId, MeetingKind, MeetingRecords, MeetingStatus, Names, Permission};
use samverkan_report::Translated as _;
use samverkan_store::{Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use super::fields::{Action, AgendaRow, AttendeeRow, MORE_ROWS, MeetingForm, OutcomeRow, Sections};
use super::{Editing, FormPage, forget_kept, resolve, take_kept};
use crate::WebConfig;
use crate::forms::Conflict;
use crate::frame::{Ctx, PageError, render};
use crate::history;
use crate::session::see_other;

impl MeetingForm {
    /// The form of a logged meeting, every row as the form would have it
    /// typed, with the ids that keep its parts.
    pub fn of(records: &MeetingRecords, names: &Names, ctx: &Ctx) -> Self {
        let details = &records.meeting.details;
        let (starts, ends) = if details.all_day {
            (String::new(), String::new())
        } else {
            (
                ctx.fmt.time(&details.starts_at),
                details
                    .ends_at
                    .map(|ends| ctx.fmt.time(&ends))
                    .unwrap_or_default(),
            )
        };
        let attendees = records
            .attendances
            .iter()
            .map(|attendance| {
                let (person, person_id) = match attendance.attendee {
                    Attendee::Representative(id) => (names.representative(id), id.to_string()),
                    Attendee::Organisation(_) => (String::new(), String::new()),
                };
                AttendeeRow {
                    person,
                    person_id,
                    organisation: names.organisation(attendance.organisation_id),
                    organisation_id: attendance.organisation_id.to_string(),
                    role: attendance.role.as_str().to_owned(),
                    status: attendance.status.as_str().to_owned(),
                    new_person: false,
                    minor: false,
                }
            })
            .collect();
        let agenda = records
            .agenda
            .iter()
            .map(|item| AgendaRow {
                id: item.id.to_string(),
                title: item.title.clone(),
                presenters: item
                    .presenter_ids
                    .iter()
                    .map(|id| names.representative(*id))
                    .collect::<Vec<_>>()
                    .join(", "),
                duration: item
                    .duration_minutes
                    .map(|minutes| minutes.to_string())
                    .unwrap_or_default(),
                description: item.description.clone().unwrap_or_default(),
                tags: item.tags.to_strings().join(", "),
            })
            .collect();
        let outcomes = records
            .outcomes
            .iter()
            .map(|outcome| OutcomeRow {
                id: outcome.id.to_string(),
                kind: outcome.kind.as_str().to_owned(),
                text: outcome.text.clone(),
                agenda: outcome
                    .agenda_item_id
                    .and_then(|item| records.agenda.iter().position(|i| i.id == item))
                    .map(|index| (index + 1).to_string())
                    .unwrap_or_default(),
            })
            .collect();
        let mut form = Self {
            title: details.title.clone(),
            kind: details.kind.as_str().to_owned(),
            date: details.date().to_string(),
            starts,
            ends,
            location: details.location.clone().unwrap_or_default(),
            host: details
                .host_organisation_id
                .map(|id| names.organisation(id))
                .unwrap_or_default(),
            host_id: details
                .host_organisation_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            partnerships: details.partnership_ids.iter().map(ToString::to_string).collect(),
            summary: details.summary.clone().unwrap_or_default(),
            tags: details.tags.to_strings().join(", "),
            status: details.status.as_str().to_owned(),
            attendees,
            new_organisations: Vec::new(),
            agenda,
            outcomes,
            follow_ups: Vec::new(),
            version: records.meeting.meta.version.to_string(),
            pick_organisation: String::new(),
            picked: Vec::new(),
        };
        // Blank rows after the logged ones, to add to each section.
        let logged = form.rows();
        form.pad(Sections {
            attendees: logged.attendees + MORE_ROWS,
            new_organisations: 1,
            agenda: logged.agenda + 2,
            outcomes: logged.outcomes + 2,
            follow_ups: 3,
        });
        form
    }

    /// The meeting's own fields as typed beside what is saved now: (label,
    /// field, typed, saved), for an edit conflict.
    fn compared<'a>(
        &'a self,
        saved: &'a Self,
        ctx: &Ctx,
    ) -> Vec<(&'static str, &'static str, &'a str, &'a str)> {
        let t = ctx.t;
        vec![
            (
                t.meeting_title,
                "title",
                self.title.as_str(),
                saved.title.as_str(),
            ),
            (t.kind, "kind", &self.kind, &saved.kind),
            (t.date, "date", &self.date, &saved.date),
            (t.starts, "starts", &self.starts, &saved.starts),
            (t.ends, "ends", &self.ends, &saved.ends),
            (t.location, "location", &self.location, &saved.location),
            (t.host_organisation, "host", &self.host, &saved.host),
            (t.summary, "summary", &self.summary, &saved.summary),
            (t.tags, "tags", &self.tags, &saved.tags),
            (t.status, "status", &self.status, &saved.status),
        ]
    }
}

/// The logged meeting, live (an archived meeting is not edited), with the
/// names its rows show: for its edit form and its attendance page.
pub(crate) async fn live_meeting(store: &Store, id: MeetingId) -> Result<(MeetingRecords, Names), PageError> {
    let (records, names) = store.meeting_with_names(id).await?;
    if records.meeting.meta.archived_at.is_some() {
        return Err(PageError::NotFound);
    }
    Ok((records, names))
}

#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    /// Back after signing in again: the edit form kept when the reader's
    /// session expired (see [`super::keep_expired`]).
    #[serde(default)]
    kept: Option<String>,
}

/// `GET /meetings/{id}/edit`: the logged meeting, or the reader's own edit
/// kept through an expired session (saved, it meets the version it was
/// read at: a conflict if someone saved since).
#[handler]
pub async fn edit(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    config: Data<&WebConfig>,
    request: &Request,
    Path(id): Path<Uuid>,
    Query(query): Query<EditQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let (records, names) = live_meeting(&store, MeetingId::from(id)).await?;
    if query.kept.is_none() {
        let form = MeetingForm::of(&records, &names, &ctx);
        let page = FormPage::editing(&ctx, &store, form, &records, &names).await?;
        return Ok(render(&page, StatusCode::OK));
    }
    let path = format!("/meetings/{}/edit", records.meeting.id);
    let (form, notice) = match take_kept(&store, request, &path).await? {
        Some(pairs) => (MeetingForm::from_pairs(&pairs).0, ctx.t.form_kept_after_sign_in),
        None => (MeetingForm::of(&records, &names, &ctx), ctx.t.form_not_kept),
    };
    let mut page = FormPage::editing(&ctx, &store, form, &records, &names).await?;
    page.notice = Some(notice);
    Ok(forget_kept(render(&page, StatusCode::OK), &config))
}

/// `POST /meetings/{id}/edit`: every button of the edit form.
#[handler]
pub async fn update(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let id = MeetingId::from(id);
    let (records, names) = live_meeting(&store, id).await?;
    let (mut form, action) = MeetingForm::from_pairs(&pairs);
    match action {
        Action::Save => save(&ctx, &store, form, records, names).await,
        // A logged meeting has no drafts: the button is not on its form.
        Action::Check | Action::SaveDraft => {
            let (_, errors) = resolve::build(&ctx, &store, &mut form).await?;
            let mut page = FormPage::editing(&ctx, &store, form, &records, &names).await?;
            let status = if errors.is_empty() {
                page.notice = Some(ctx.t.form_checked);
                StatusCode::OK
            } else {
                StatusCode::BAD_REQUEST
            };
            page.errors = errors;
            Ok(render(&page, status))
        }
        _ => {
            super::change_rows(&store, &mut form, action).await?;
            let page = FormPage::editing(&ctx, &store, form, &records, &names).await?;
            Ok(render(&page, StatusCode::OK))
        }
    }
}

async fn save(
    ctx: &Ctx,
    store: &Store,
    mut form: MeetingForm,
    records: MeetingRecords,
    names: Names,
) -> poem::Result<Response> {
    let id = records.meeting.id;
    let read_at: i32 = form.version.trim().parse().map_err(|_| PageError::BadRequest)?;
    let (built, mut errors) = resolve::build(ctx, store, &mut form).await?;
    if errors.is_empty() {
        match ctx
            .store(store)
            .revise_meeting_with(id, read_at, built.newcomers, built.input, built.parts)
            .await
        {
            Ok(_) => return Ok(see_other(&format!("/meetings/{id}?done=saved"))),
            Err(StoreError::VersionConflict { .. }) => {
                // `records` was read after the other save: it is what is
                // saved now.
                let changes = history::since(store, id.as_uuid(), read_at).await?;
                let saved = MeetingForm::of(&records, &names, ctx);
                let conflict =
                    Conflict::new(changes, form.compared(&saved, ctx), |field, value| match field {
                        "kind" => MeetingKind::parse("kind", value)
                            .map(|kind| kind.label(ctx.lang).to_owned())
                            .unwrap_or_default(),
                        "status" => MeetingStatus::parse("status", value)
                            .map(|status| status.label(ctx.lang).to_owned())
                            .unwrap_or_default(),
                        _ => value.to_owned(),
                    });
                form.version = saved.version;
                let mut page = FormPage::editing(ctx, store, form, &records, &names).await?;
                page.conflict = Some(conflict);
                return Ok(render(&page, StatusCode::CONFLICT));
            }
            Err(error) => match resolve::problems(ctx, &built.rows, &error) {
                Some(refused) => errors = refused,
                None => return Err(PageError::Store(error).into()),
            },
        }
    } else {
        resolve::add_domain_problems(ctx, built, &mut errors);
    }
    let mut page = FormPage::editing(ctx, store, form, &records, &names).await?;
    page.errors = errors;
    Ok(render(&page, StatusCode::BAD_REQUEST))
}

impl Editing {
    pub(super) fn of(records: &MeetingRecords, names: &Names, ctx: &Ctx) -> Self {
        Self {
            id: records.meeting.id.to_string(),
            follow_ups: records
                .follow_ups
                .iter()
                .map(|follow_up| super::ListedFollowUp {
                    id: follow_up.id.to_string(),
                    title: follow_up.details.title.clone(),
                    owner: follow_up
                        .details
                        .owner_id
                        .map(|owner| names.representative(owner))
                        .unwrap_or_default(),
                    status: follow_up.details.status.label(ctx.lang),
                })
                .collect(),
        }
    }
}
