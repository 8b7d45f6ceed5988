//! `/follow-ups`: the list with the API's filters (mine, status, owner,
//! organisation, meeting, overdue, text), overdue ones said in words; and a
//! follow-up's page. "Overdue" is judged against today in Stockholm, as
//! everywhere in Samverkan.
//!
//! Wherever a follow-up is listed (here, its page, the start page), whoever
//! may move follow-ups through their statuses (managers too) gets a small
//! form to do so: `POST /follow-ups/{id}/status`, answered with a redirect
//! back to the page it was sent from. "Done" stamps the completion day, as
//! in the API; a follow-up someone else changed meanwhile is not changed.

use askama::Template;
use poem::http::StatusCode;
use poem::http::Uri;
use poem::web::{Data, Form, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    FollowUp, FollowUpId, FollowUpStatus, MeetingId, Names, OrganisationId, Permission, RepresentativeId,
    time,
};
use samverkan_report::Translated;
use samverkan_store::{FollowUpFilter, Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::forms::FieldErrors;
use crate::frame::{Ctx, PageError, Section, render};
use crate::history::{self, HistoryEntry};
use crate::pages::{id_filter, organisation_filter, organisation_names};
use crate::paging::{ListAddress, PageQuery, Pager};
use crate::session::see_other;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    mine: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    meeting: Option<String>,
    #[serde(default)]
    overdue: Option<String>,
    /// What a status form just did.
    #[serde(default)]
    done: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

/// A filter by a record that has no drop-down (a person, a meeting: too
/// many to list), set by following a link: shown by name, kept in a hidden
/// field, with a link that removes it.
#[derive(Debug)]
pub struct Chosen {
    pub field: &'static str,
    pub label: &'static str,
    pub value: String,
    /// The record's name, or `None` when it does not exist.
    pub name: Option<String>,
    pub remove_href: String,
}

#[derive(Template)]
#[template(path = "follow_ups/list.html")]
struct ListPage {
    ctx: Ctx,
    q: String,
    mine: bool,
    status: String,
    organisation: String,
    overdue: bool,
    statuses: Vec<(&'static str, &'static str)>,
    /// The organisation filter's suggestions without the script.
    organisation_names: Vec<String>,
    chosen: Vec<Chosen>,
    errors: FieldErrors,
    follow_ups: Vec<FollowUp>,
    names: Names,
    notice: Option<&'static str>,
    /// This list's address, for the status forms to come back to.
    back: String,
    pager: Pager,
}

impl ListPage {
    fn status_label(&self, follow_up: &FollowUp) -> &'static str {
        follow_up.details.status.label(self.ctx.lang)
    }

    fn is_overdue(&self, follow_up: &FollowUp) -> bool {
        follow_up.is_overdue(time::today())
    }

    fn owner_name(&self, id: &RepresentativeId) -> String {
        self.names.representative(*id)
    }

    fn organisation_name(&self, id: &OrganisationId) -> String {
        self.names.organisation(*id)
    }
}

#[handler]
pub async fn list(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    uri: &Uri,
    Query(query): Query<ListQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let t = ctx.t;
    let mut errors = FieldErrors::default();
    let mine = query.mine.is_some();
    let overdue = query.overdue.is_some();
    let status = match query.status.as_deref().filter(|status| !status.is_empty()) {
        Some(raw) => match FollowUpStatus::parse("status", raw) {
            Ok(status) => Some(status),
            Err(_) => {
                errors.add("status", t.choose_from_list);
                None
            }
        },
        None => None,
    };
    let (organisation_id, organisation) = organisation_filter(
        &store,
        query.organisation.as_deref(),
        "organisation",
        &mut errors,
        ctx.t,
    )
    .await?;
    let organisation_names = organisation_names(&store).await?;
    let owner_id =
        id_filter(query.owner.as_deref(), "owner", &mut errors, t.unknown_choice).map(RepresentativeId::from);
    let meeting_id =
        id_filter(query.meeting.as_deref(), "meeting", &mut errors, t.unknown_choice).map(MeetingId::from);
    let my_id = ctx
        .viewer
        .as_ref()
        .and_then(|viewer| viewer.user.details.representative_id);
    if mine && my_id.is_none() {
        errors.add("mine", t.not_linked_to_person);
    }

    let address = ListAddress::new("/follow-ups")
        .with("q", query.q.as_deref())
        .with("mine", mine.then_some("1"))
        .with("status", query.status.as_deref())
        .with("owner", query.owner.as_deref())
        .with("organisation", query.organisation.as_deref())
        .with("meeting", query.meeting.as_deref())
        .with("overdue", overdue.then_some("1"));
    let without = |name: &str| {
        let mut kept = ListAddress::new("/follow-ups");
        for (key, value) in [
            ("q", query.q.as_deref()),
            ("mine", mine.then_some("1")),
            ("status", query.status.as_deref()),
            ("owner", query.owner.as_deref()),
            ("organisation", query.organisation.as_deref()),
            ("meeting", query.meeting.as_deref()),
            ("overdue", overdue.then_some("1")),
        ] {
            if key != name {
                kept = kept.with(key, value);
            }
        }
        kept.href(None)
    };

    let mut chosen = Vec::new();
    if let Some(owner_id) = owner_id {
        let names = store.names(&[], &[owner_id]).await.map_err(PageError::Store)?;
        let name = names.representatives.get(&owner_id).cloned();
        if name.is_none() {
            errors.add("owner", t.unknown_choice);
        }
        chosen.push(Chosen {
            field: "owner",
            label: t.owner,
            value: owner_id.to_string(),
            name,
            remove_href: without("owner"),
        });
    }
    if let Some(meeting_id) = meeting_id {
        let name = match store.meeting(meeting_id).await {
            Ok(meeting) => Some(meeting.details.title),
            Err(StoreError::NotFound { .. }) => {
                errors.add("meeting", t.unknown_choice);
                None
            }
            Err(error) => return Err(PageError::Store(error).into()),
        };
        chosen.push(Chosen {
            field: "meeting",
            label: t.meeting,
            value: meeting_id.to_string(),
            name,
            remove_href: without("meeting"),
        });
    }

    let filter = FollowUpFilter {
        status,
        owner_id: if mine { my_id } else { owner_id },
        organisation_id,
        meeting_id,
        overdue_on: overdue.then(time::today),
        q: query.q.clone().filter(|q| !q.trim().is_empty()),
        ..FollowUpFilter::default()
    };
    // "Mine" and another owner at once: no follow-up has two owners.
    let contradictory = mine && owner_id.is_some_and(|owner| Some(owner) != my_id);
    let (follow_ups, pager) = if !errors.is_empty() || contradictory {
        (Vec::new(), Pager::default())
    } else {
        let page = store
            .list_follow_ups(&filter, &query.page.request()?)
            .await
            .map_err(PageError::Store)?;
        let pager = Pager::new(&address, &page);
        (page.items, pager)
    };
    let owner_ids: Vec<RepresentativeId> = follow_ups.iter().filter_map(|f| f.details.owner_id).collect();
    let organisation_ids: Vec<OrganisationId> = follow_ups
        .iter()
        .filter_map(|f| f.details.organisation_id)
        .collect();
    let names = store
        .names(&organisation_ids, &owner_ids)
        .await
        .map_err(PageError::Store)?;
    let status_code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(
        &ListPage {
            ctx: ctx.at(Section::FollowUps),
            q: query.q.unwrap_or_default(),
            mine,
            status: query.status.unwrap_or_default(),
            organisation,
            overdue,
            statuses: status_choices(&ctx),
            organisation_names,
            chosen,
            errors,
            follow_ups,
            names,
            pager,
            notice: notice(&ctx, query.done.as_deref()),
            back: here(uri),
        },
        status_code,
    ))
}

#[derive(Template)]
#[template(path = "follow_ups/page.html")]
struct FollowUpPage {
    ctx: Ctx,
    follow_up: FollowUp,
    meeting_title: String,
    names: Names,
    history: Vec<HistoryEntry>,
    notice: Option<&'static str>,
    /// Someone else changed it before the status form was sent.
    conflict: bool,
    /// The status that form asked for.
    wanted: Option<FollowUpStatus>,
}

impl FollowUpPage {
    /// The status the form offers first: the one asked for before a
    /// conflict, or the one it has.
    fn chosen_status(&self) -> &'static str {
        self.wanted.unwrap_or(self.follow_up.details.status).as_str()
    }

    fn back(&self) -> String {
        format!("/follow-ups/{}", self.follow_up.id)
    }

    fn status_label(&self) -> &'static str {
        self.follow_up.details.status.label(self.ctx.lang)
    }

    fn is_overdue(&self) -> bool {
        self.follow_up.is_overdue(time::today())
    }

    fn owner_name(&self, id: &RepresentativeId) -> String {
        self.names.representative(*id)
    }

    fn organisation_name(&self, id: &OrganisationId) -> String {
        self.names.organisation(*id)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// What the status form just did: `status` (changed) or `conflict`.
    #[serde(default)]
    done: Option<String>,
    /// The status asked for, when someone else changed the follow-up first.
    #[serde(default)]
    wanted: Option<String>,
}

#[handler]
pub async fn show(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Query(query): Query<ShowQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let follow_up = store
        .follow_up(FollowUpId::from(id))
        .await
        .map_err(PageError::Store)?;
    let meeting_title = store
        .meeting(follow_up.meeting_id)
        .await
        .map_err(PageError::Store)?
        .details
        .title;
    let names = store
        .names(
            &follow_up.details.organisation_id.into_iter().collect::<Vec<_>>(),
            &follow_up.details.owner_id.into_iter().collect::<Vec<_>>(),
        )
        .await
        .map_err(PageError::Store)?;
    let history = history::of(&store, id, 20).await?;
    Ok(render(
        &FollowUpPage {
            ctx: ctx.at(Section::FollowUps),
            follow_up,
            meeting_title,
            names,
            history,
            notice: notice(&ctx, query.done.as_deref()),
            conflict: query.done.as_deref() == Some("conflict"),
            wanted: query
                .wanted
                .as_deref()
                .and_then(|raw| FollowUpStatus::parse("status", raw).ok()),
        },
        StatusCode::OK,
    ))
}

/// The notice after the status form's redirect.
pub(crate) fn notice(ctx: &Ctx, done: Option<&str>) -> Option<&'static str> {
    match done {
        Some("status") => Some(ctx.t.status_changed),
        Some("saved") => Some(ctx.t.changes_saved),
        Some("archived") => Some(ctx.t.follow_up_archived),
        _ => None,
    }
}

/// Every status, with its name in the page's language, for the forms.
pub fn status_choices(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    FollowUpStatus::ALL
        .iter()
        .map(|status| (status.as_str(), status.label(ctx.lang)))
        .collect()
}

/// The address a page was asked at, to come back to after its forms
/// (without the notice of the last form).
pub(crate) fn here(uri: &Uri) -> String {
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("done=") && !pair.starts_with("wanted="))
        .collect();
    if kept.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{}", uri.path(), kept.join("&"))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    version: String,
    /// The page the form was on.
    #[serde(default)]
    back: String,
}

/// `back` with `done=status` added, if it is an address on this site;
/// otherwise the follow-up's own page (a form never sends anyone away).
fn back_to(back: &str, id: Uuid) -> String {
    let local = back.starts_with('/') && !back.starts_with("//") && !back.contains('\\');
    let back = if local {
        back.to_owned()
    } else {
        format!("/follow-ups/{id}")
    };
    let separator = if back.contains('?') { '&' } else { '?' };
    format!("{back}{separator}done=status")
}

#[handler]
pub async fn change_status(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<StatusForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::UpdateFollowUpStatus)?;
    let status = FollowUpStatus::parse("status", &form.status).map_err(|_| PageError::BadRequest)?;
    let read_at: i32 = form.version.trim().parse().map_err(|_| PageError::BadRequest)?;
    let follow_up_id = FollowUpId::from(id);
    let current = store.follow_up(follow_up_id).await.map_err(PageError::Store)?;
    let mut input = current.details.to_input();
    input.status = Some(status);
    // What the follow-up says is as stored, so it parses as it did.
    let details = samverkan_domain::FollowUpDetails::parse(&input)
        .map_err(|errors| PageError::Store(StoreError::Validation(errors)))?;
    match ctx
        .store(&store)
        .update_follow_up(follow_up_id, read_at, details, None)
        .await
    {
        Ok(_) => Ok(see_other(&back_to(&form.back, id))),
        Err(StoreError::VersionConflict { .. }) => Ok(see_other(&format!(
            "/follow-ups/{id}?done=conflict&wanted={}",
            status.as_str()
        ))),
        Err(error) => Err(PageError::Store(error).into()),
    }
}
