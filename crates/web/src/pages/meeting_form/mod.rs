//! `/meetings/new`: a whole meeting logged in one form, one submit, one
//! transaction — the meeting's fields, its attendees (people found by
//! name, people and organisations new to Samverkan added on the spot,
//! organisations attending without named people), the agenda with its
//! presenters, the outcomes and the follow-ups.
//!
//! Without JavaScript the form has spare blank rows, and its buttons
//! (more rows, remove, move up and down, mark all attended) send it to be
//! shown again with everything kept; a name is found on the server when
//! the form is sent. The project's script (`app.js`) only makes this
//! quicker: suggestions as one types, rows added at once. See docs/web.md.

mod editing;
mod fields;
mod resolve;

pub(crate) use editing::live_meeting;
pub use editing::{edit, update};

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Json, Path, Query};
use poem::{Request, Response, handler};
use samverkan_domain::{
    AttendanceRole, AttendanceStatus, FollowUpStatus, MeetingKind, MeetingStatus, OrganisationKind,
    OutcomeKind, Permission, SessionSecret, UserId,
};
use samverkan_report::Translated;
use samverkan_store::{OrganisationFilter, PageRequest, PartnershipFilter, RepresentativeFilter, Store};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use fields::MeetingForm;
use fields::{Action, FIRST_ROWS};

use crate::WebConfig;
use crate::cookies::{self, Lifetime};
use crate::forms::{Conflict, ErrorSummary, FieldErrors};
use crate::frame::{Ctx, PageError, Section, render};
use crate::session::see_other;

/// How many organisations the form's suggestion list holds without
/// JavaScript (with it, suggestions come from the server as one types).
const ORGANISATION_NAMES: u64 = 500;
/// How many partnerships the form offers to tick.
const PARTNERSHIP_CHOICES: u64 = 100;
/// How many suggestions one keystroke gets.
const SUGGESTIONS: u64 = 10;

type Options = Vec<(&'static str, &'static str)>;

/// A logged meeting the form edits.
struct Editing {
    id: String,
    /// Its follow-ups, which the edit form lists (each is changed on its
    /// own page; the form's rows add new ones).
    follow_ups: Vec<ListedFollowUp>,
}

/// The people of one organisation, to tick as attendees.
struct Picking {
    /// The field's problem: no organisation of that name.
    error: Option<&'static str>,
    /// (id, name and title) of its people not yet among the attendees.
    people: Vec<(String, String)>,
}

/// How many of an organisation's people the list to tick offers.
const PICKABLE_PEOPLE: u64 = 200;

/// The organisation named (folded), with its live people by name.
async fn people_of(
    store: &Store,
    name: &str,
) -> Result<Option<(String, Vec<samverkan_domain::Representative>)>, PageError> {
    let name = name.trim();
    let Some(organisation) = store
        .organisations_named(&[name])
        .await?
        .get(&samverkan_domain::text::fold(name))
        .copied()
    else {
        return Ok(None);
    };
    let filter = RepresentativeFilter {
        organisation_id: Some(organisation),
        ..RepresentativeFilter::default()
    };
    let people = store
        .list_representatives(&filter, &PageRequest::first(PICKABLE_PEOPLE))
        .await?
        .items;
    let found = store
        .names(&[organisation], &[])
        .await?
        .organisation(organisation);
    Ok(Some((found, people)))
}

impl Picking {
    async fn of(ctx: &Ctx, store: &Store, form: &MeetingForm) -> Result<Option<Self>, PageError> {
        if form.pick_organisation.trim().is_empty() {
            return Ok(None);
        }
        let Some((_, people)) = people_of(store, &form.pick_organisation).await? else {
            return Ok(Some(Self {
                error: Some(ctx.t.no_such_organisation),
                people: Vec::new(),
            }));
        };
        let people = people
            .into_iter()
            .filter(|person| {
                let id = person.id.to_string();
                !form.attendees.iter().any(|row| row.person_id == id)
            })
            .map(|person| {
                let label = match &person.affiliation.title {
                    Some(title) => format!("{}, {title}", person.details.full_name),
                    None => person.details.full_name.to_string(),
                };
                (person.id.to_string(), label)
            })
            .collect();
        Ok(Some(Self { error: None, people }))
    }
}

/// Carries out a button that changes only the form's rows (the ticked
/// people are read first: those of the organisation chosen, ticked).
async fn change_rows(store: &Store, form: &mut MeetingForm, action: Action) -> Result<(), PageError> {
    if action != Action::AddPicked {
        form.apply(action);
        return Ok(());
    }
    let people = match people_of(store, &form.pick_organisation).await? {
        Some((organisation, people)) => people
            .into_iter()
            .filter(|person| form.picked.contains(&person.id.to_string()))
            .map(|person| {
                (
                    person.id.to_string(),
                    person.details.full_name.to_string(),
                    organisation.clone(),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    form.add_picked(people);
    Ok(())
}

struct ListedFollowUp {
    id: String,
    title: String,
    owner: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "meetings/form.html")]
struct FormPage {
    ctx: Ctx,
    form: MeetingForm,
    errors: FieldErrors,
    notice: Option<&'static str>,
    /// `None` for a new meeting.
    editing: Option<Editing>,
    /// Someone else saved the meeting while this form was open.
    conflict: Option<Conflict>,
    /// The people of the organisation chosen to tick, when one is.
    picking: Option<Picking>,
    /// The draft this form continues, if any.
    draft: Option<String>,
    kinds: Options,
    statuses: Options,
    roles: Options,
    attendance_statuses: Options,
    outcome_kinds: Options,
    follow_up_statuses: Options,
    organisation_kinds: Options,
    partnerships: Vec<(String, String)>,
    organisation_names: Vec<String>,
}

fn options<T: Copy + Translated>(all: &[T], value: impl Fn(T) -> &'static str, ctx: &Ctx) -> Options {
    all.iter()
        .map(|item| (value(*item), item.label(ctx.lang)))
        .collect()
}

impl FormPage {
    async fn new(ctx: &Ctx, store: &Store, mut form: MeetingForm) -> Result<Self, PageError> {
        form.pad(FIRST_ROWS);
        let picking = Picking::of(ctx, store, &form).await?;
        let organisation_names = store
            .list_organisations(
                &OrganisationFilter::default(),
                &PageRequest::first(ORGANISATION_NAMES),
            )
            .await?
            .items
            .into_iter()
            .map(|organisation| organisation.details.name.to_string())
            .collect();
        let partnerships = store
            .list_partnerships(
                &PartnershipFilter::default(),
                &PageRequest::first(PARTNERSHIP_CHOICES),
            )
            .await?
            .items;
        let parties: Vec<_> = partnerships
            .iter()
            .flat_map(|partnership| partnership.details.organisation_ids)
            .collect();
        let names = store.names(&parties, &[]).await?;
        let partnerships = partnerships
            .into_iter()
            .map(|partnership| {
                let [one, other] = partnership.details.organisation_ids;
                let label = format!(
                    "{} – {} ({})",
                    names.organisation(one),
                    names.organisation(other),
                    partnership.details.kind.label(ctx.lang)
                );
                (partnership.id.to_string(), label)
            })
            .collect();
        Ok(Self {
            ctx: ctx.at(Section::Meetings),
            form,
            errors: FieldErrors::default(),
            notice: None,
            editing: None,
            conflict: None,
            picking,
            draft: None,
            kinds: options(MeetingKind::ALL, MeetingKind::as_str, ctx),
            statuses: options(MeetingStatus::ALL, MeetingStatus::as_str, ctx),
            roles: options(AttendanceRole::ALL, AttendanceRole::as_str, ctx),
            attendance_statuses: options(AttendanceStatus::ALL, AttendanceStatus::as_str, ctx),
            outcome_kinds: options(OutcomeKind::ALL, OutcomeKind::as_str, ctx),
            follow_up_statuses: options(FollowUpStatus::ALL, FollowUpStatus::as_str, ctx),
            organisation_kinds: options(OrganisationKind::ALL, OrganisationKind::as_str, ctx),
            partnerships,
            organisation_names,
        })
    }

    /// The form of a logged meeting.
    async fn editing(
        ctx: &Ctx,
        store: &Store,
        form: MeetingForm,
        records: &samverkan_domain::MeetingRecords,
        names: &samverkan_domain::Names,
    ) -> Result<Self, PageError> {
        let mut page = Self::new(ctx, store, form).await?;
        page.editing = Some(Editing::of(records, names, ctx));
        Ok(page)
    }

    /// The organisation to pick people from, when none has that name.
    fn pick_error(&self) -> Option<&'static str> {
        self.picking.as_ref().and_then(|picking| picking.error)
    }

    /// Where the form is sent.
    fn action(&self) -> String {
        match &self.editing {
            Some(editing) => format!("/meetings/{}/edit", editing.id),
            None => PATH.to_owned(),
        }
    }

    fn heading(&self) -> &'static str {
        if self.editing.is_some() {
            self.ctx.t.edit_meeting
        } else {
            self.ctx.t.log_meeting
        }
    }

    /// The summary in the order of the form, each row's problem led by
    /// the row's name ("Deltagare 3: …"); an edit conflict first.
    fn summary(&self) -> ErrorSummary<'_> {
        let t = self.ctx.t;
        let conflict = self
            .conflict
            .as_ref()
            .map(|conflict| (conflict.first_field("title"), t.saved_by_someone_else));
        ErrorSummary::new(&self.errors, conflict).of_rows(fields::rank, |id| {
            let (section, row, _) = fields::split_id(id)?;
            let name = match section {
                "attendees" => t.attendee,
                "new_organisations" => t.new_organisation,
                "agenda" => t.agenda_item_text,
                "outcomes" => t.outcome_text,
                "follow_ups" => t.follow_up,
                _ => return None,
            };
            Some(format!("{name} {}", row + 1))
        })
    }

    /// What is saved now in one of the meeting's own fields, beside it,
    /// after an edit conflict.
    fn saved(&self, field: &str) -> Option<&str> {
        self.conflict.as_ref().and_then(|conflict| conflict.saved(field))
    }

    /// The id (and name) of a row's field.
    fn id(&self, section: &str, row: &usize, field: &str) -> String {
        format!("{section}-{row}-{field}")
    }

    /// `value`, or `otherwise` when empty: a row's default choice.
    fn or<'a>(&self, value: &'a str, otherwise: &'a str) -> &'a str {
        if value.trim().is_empty() { otherwise } else { value }
    }

    fn is_partnership_chosen(&self, id: &str) -> bool {
        self.form.partnerships.iter().any(|chosen| chosen == id)
    }

    /// The agenda rows an outcome may come from: (row number, "n. title").
    fn agenda_choices(&self) -> Vec<(String, String)> {
        numbered(self.form.agenda.iter().map(|row| row.title.as_str()))
    }

    /// The outcome rows a follow-up may come from: (row number, "n. text").
    fn outcome_choices(&self) -> Vec<(String, String)> {
        numbered(self.form.outcomes.iter().map(|row| row.text.as_str()))
    }
}

/// The rows that have a text, as (1-based row number, "n. text"), the text
/// cut to a line.
fn numbered<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    texts
        .enumerate()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(i, text)| {
            let line: String = text.lines().next().unwrap_or_default().chars().take(80).collect();
            ((i + 1).to_string(), format!("{}. {line}", i + 1))
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    /// A draft of the reader's to go on with.
    #[serde(default)]
    draft: Option<Uuid>,
    /// Back after signing in again: the form kept when the reader's session
    /// expired (its secret is in the [`KEPT_FORM_COOKIE`]).
    #[serde(default)]
    kept: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The cookie that holds the secret of a form kept for its sender after
/// their session expired (see [`keep_expired`]).
pub const KEPT_FORM_COOKIE: &str = "samverkan_kept_form";
/// The form's address, which [`keep_expired`] keeps forms for.
pub const PATH: &str = "/meetings/new";

/// The signed-in author's id (every page that writes has one).
fn author(ctx: &Ctx) -> Result<UserId, PageError> {
    ctx.viewer
        .as_ref()
        .map(|viewer| viewer.user.id)
        .ok_or(PageError::Forbidden)
}

#[handler]
pub async fn new(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    config: Data<&WebConfig>,
    request: &Request,
    Query(query): Query<NewQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    if let Some(id) = query.draft {
        let draft = store
            .meeting_draft(author(&ctx)?, id)
            .await
            .map_err(PageError::Store)?;
        let form = serde_json::from_str(&draft.form).map_err(|_| PageError::NotFound)?;
        let mut page = FormPage::new(&ctx, &store, form).await?;
        page.draft = Some(id.to_string());
        if query.done.as_deref() == Some("draft") {
            page.notice = Some(ctx.t.draft_saved);
        }
        return Ok(render(&page, StatusCode::OK));
    }
    if query.kept.is_none() {
        let page = FormPage::new(&ctx, &store, MeetingForm::default()).await?;
        return Ok(render(&page, StatusCode::OK));
    }
    let page = match take_kept(&store, request, PATH).await? {
        Some(pairs) => {
            let (form, _) = MeetingForm::from_pairs(&pairs);
            let mut page = FormPage::new(&ctx, &store, form).await?;
            page.draft = pairs
                .iter()
                .find(|(name, _)| name == "draft")
                .map(|(_, id)| id.clone());
            page.notice = Some(ctx.t.form_kept_after_sign_in);
            page
        }
        None => {
            let mut page = FormPage::new(&ctx, &store, MeetingForm::default()).await?;
            page.notice = Some(ctx.t.form_not_kept);
            page
        }
    };
    Ok(forget_kept(render(&page, StatusCode::OK), &config))
}

/// The form kept at `path` for this browser (the secret in its
/// [`KEPT_FORM_COOKIE`]), given back once: its posted pairs.
async fn take_kept(
    store: &Store,
    request: &Request,
    path: &str,
) -> Result<Option<Vec<(String, String)>>, PageError> {
    let body = match cookies::get(request, KEPT_FORM_COOKIE).map(SessionSecret::parse) {
        Some(Ok(secret)) => store.take_kept_form(&secret, path).await?,
        _ => None,
    };
    Ok(body.map(|body| serde_urlencoded::from_str(&body).unwrap_or_default()))
}

/// `response`, with the kept form's cookie cleared (its form is taken).
fn forget_kept(mut response: Response, config: &WebConfig) -> Response {
    response.headers_mut().append(
        poem::http::header::SET_COOKIE,
        cookies::set(KEPT_FORM_COOKIE, "", Lifetime::Gone, "Lax", config.secure()),
    );
    response
}

/// Whether a form sent to `path` without a session is kept for its sender
/// ([`keep_expired`]): the meeting form, new or editing a logged meeting.
pub fn keeps_expired(path: &str) -> bool {
    path == PATH
        || path
            .strip_prefix("/meetings/")
            .and_then(|rest| rest.strip_suffix("/edit"))
            .is_some_and(|id| Uuid::parse_str(id).is_ok())
}

/// A meeting form sent after its session expired: kept in the database for
/// the browser that sent it (a random secret in a cookie, made as a
/// session's is), which is sent to sign in and then back to the form with
/// everything in it. Nothing becomes a meeting until the person, signed in,
/// sends it again.
pub async fn keep_expired(
    store: &Store,
    config: &WebConfig,
    path: &str,
    body: &[u8],
) -> Result<Response, PageError> {
    let secret = SessionSecret::generate().map_err(|error| PageError::Internal(error.to_string()))?;
    // The expired session's CSRF token is worth nothing; it is not kept.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, _)| name != "_csrf" && name != "action")
        .collect();
    let form = serde_urlencoded::to_string(&pairs).map_err(|error| PageError::Internal(error.to_string()))?;
    store.keep_form(&secret, path, &form).await?;
    let lifetime = u64::try_from(samverkan_store::KEPT_FORM_LIFETIME.num_seconds()).unwrap_or(0);
    let mut response = see_other(&format!(
        "/login?next={}",
        crate::session::encode_component(&format!("{path}?kept=1"))
    ));
    response.headers_mut().append(
        poem::http::header::SET_COOKIE,
        cookies::set(
            KEPT_FORM_COOKIE,
            secret.expose(),
            Lifetime::Seconds(lifetime),
            "Lax",
            config.secure(),
        ),
    );
    Ok(response)
}

/// `POST /meetings/drafts/:id/delete`: the reader's draft is deleted.
#[handler]
pub async fn delete_draft(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    store
        .delete_meeting_draft(author(&ctx)?, id)
        .await
        .map_err(PageError::Store)?;
    Ok(see_other("/?done=draft-deleted"))
}

/// Every button of the form: save, check, or change the rows and show the
/// form again.
#[handler]
pub async fn submit(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let (mut form, action) = MeetingForm::from_pairs(&pairs);
    let draft = pairs
        .iter()
        .find(|(name, _)| name == "draft")
        .and_then(|(_, id)| Uuid::parse_str(id.trim()).ok());
    match action {
        Action::Save => save(&ctx, &store, form, draft).await,
        Action::SaveDraft => {
            let json =
                serde_json::to_string(&form).map_err(|error| PageError::Internal(error.to_string()))?;
            let title = if form.title.trim().is_empty() {
                ctx.t.untitled_meeting
            } else {
                form.title.trim()
            };
            let saved = store
                .save_meeting_draft(author(&ctx)?, draft, title, &json)
                .await
                .map_err(PageError::Store)?;
            Ok(see_other(&format!("{PATH}?draft={}&done=draft", saved.id)))
        }
        Action::Check => {
            let (_, errors) = resolve::build(&ctx, &store, &mut form).await?;
            let mut page = FormPage::new(&ctx, &store, form).await?;
            page.draft = draft.map(|id| id.to_string());
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
            change_rows(&store, &mut form, action).await?;
            let mut page = FormPage::new(&ctx, &store, form).await?;
            page.draft = draft.map(|id| id.to_string());
            Ok(render(&page, StatusCode::OK))
        }
    }
}

async fn save(
    ctx: &Ctx,
    store: &Store,
    mut form: MeetingForm,
    draft: Option<Uuid>,
) -> poem::Result<Response> {
    let (built, mut errors) = resolve::build(ctx, store, &mut form).await?;
    if errors.is_empty() {
        match ctx
            .store(store)
            .log_meeting_with(built.newcomers, built.input)
            .await
        {
            Ok(records) => {
                // The draft is done with. Were this to fail, the meeting
                // stands and the draft stays listed, to be deleted by hand.
                if let Some(draft) = draft {
                    store
                        .delete_meeting_draft(author(ctx)?, draft)
                        .await
                        .map_err(PageError::Store)?;
                }
                return Ok(see_other(&format!(
                    "/meetings/{}?done=logged",
                    records.meeting.id
                )));
            }
            Err(error) => match resolve::problems(ctx, &built.rows, &error) {
                Some(refused) => errors = refused,
                None => return Err(PageError::Store(error).into()),
            },
        }
    } else {
        resolve::add_domain_problems(ctx, built, &mut errors);
    }
    let mut page = FormPage::new(ctx, store, form).await?;
    page.errors = errors;
    page.draft = draft.map(|id| id.to_string());
    Ok(render(&page, StatusCode::BAD_REQUEST))
}

#[derive(Debug, Deserialize)]
pub struct SuggestQuery {
    #[serde(default)]
    q: String,
}

/// One suggestion of the type-ahead.
#[derive(Debug, Serialize)]
pub struct Suggestion {
    id: String,
    name: String,
    /// For a person: the organisation they represent now.
    #[serde(skip_serializing_if = "Option::is_none")]
    organisation: Option<String>,
}

/// `/people/suggest?q=`: the type-ahead's people, found as the people list
/// finds them (Swedish letters and case folded).
#[handler]
pub async fn suggest_people(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Query(query): Query<SuggestQuery>,
) -> poem::Result<Json<Vec<Suggestion>>> {
    ctx.require(Permission::ReadRecords)?;
    if query.q.trim().is_empty() {
        return Ok(Json(Vec::new()));
    }
    let filter = RepresentativeFilter {
        q: Some(query.q.trim().to_owned()),
        ..RepresentativeFilter::default()
    };
    let people = store
        .list_representatives(&filter, &PageRequest::first(SUGGESTIONS))
        .await
        .map_err(PageError::Store)?
        .items;
    let organisations: Vec<_> = people
        .iter()
        .map(|person| person.affiliation.organisation_id)
        .collect();
    let names = store.names(&organisations, &[]).await.map_err(PageError::Store)?;
    Ok(Json(
        people
            .into_iter()
            .map(|person| Suggestion {
                id: person.id.to_string(),
                name: person.details.full_name.to_string(),
                organisation: Some(names.organisation(person.affiliation.organisation_id)),
            })
            .collect(),
    ))
}

/// `/organisations/suggest?q=`: the type-ahead's organisations.
#[handler]
pub async fn suggest_organisations(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Query(query): Query<SuggestQuery>,
) -> poem::Result<Json<Vec<Suggestion>>> {
    ctx.require(Permission::ReadRecords)?;
    if query.q.trim().is_empty() {
        return Ok(Json(Vec::new()));
    }
    let filter = OrganisationFilter {
        q: Some(query.q.trim().to_owned()),
        ..OrganisationFilter::default()
    };
    let found = store
        .list_organisations(&filter, &PageRequest::first(SUGGESTIONS))
        .await
        .map_err(PageError::Store)?
        .items;
    Ok(Json(
        found
            .into_iter()
            .map(|organisation| Suggestion {
                id: organisation.id.to_string(),
                name: organisation.details.name.to_string(),
                organisation: None,
            })
            .collect(),
    ))
}
