//! `/people`: the list (search, organisation, archived) and a person's
//! page: their organisations over time, the meetings they attended, the
//! follow-ups they own and their history. A minor (`is_minor`) is shown by
//! name and organisation only, in the list as on the page: nothing more
//! about a child is anyone's business here.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    Affiliation, FollowUp, Meeting, Names, OrganisationId, Permission, Representative, RepresentativeId,
};
use samverkan_report::Translated;
use samverkan_store::{FollowUpFilter, MeetingFilter, PageRequest, RepresentativeFilter, Store};
use serde::Deserialize;
use uuid::Uuid;

use crate::forms::FieldErrors;
use crate::frame::{Ctx, PageError, Section, render};
use crate::history::{self, HistoryEntry};
use crate::pages::{organisation_filter, organisation_names};
use crate::paging::{ListAddress, PageQuery, Pager, page_unless};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    archived: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    ctx: Ctx,
    q: String,
    organisation: String,
    archived: bool,
    /// The organisation filter's suggestions without the script.
    organisation_names: Vec<String>,
    errors: FieldErrors,
    people: Vec<Representative>,
    names: Names,
    pager: Pager,
}

impl ListPage {
    fn organisation_name(&self, person: &Representative) -> String {
        self.names.organisation(person.affiliation.organisation_id)
    }
}

#[handler]
pub async fn list(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Query(query): Query<ListQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let mut errors = FieldErrors::default();
    let (organisation_id, organisation) = organisation_filter(
        &store,
        query.organisation.as_deref(),
        "organisation",
        &mut errors,
        ctx.t,
    )
    .await?;
    let organisation_names = organisation_names(&store).await?;
    let archived = query.archived.is_some();
    let filter = RepresentativeFilter {
        q: query.q.clone().filter(|q| !q.trim().is_empty()),
        organisation_id,
        include_archived: archived,
    };
    let address = ListAddress::new("/people")
        .with("q", query.q.as_deref())
        .with("organisation", query.organisation.as_deref())
        .with("archived", archived.then_some("1"));
    let request = query.page.request()?;
    let (people, pager) = page_unless(&errors, &address, || {
        store.list_representatives(&filter, &request)
    })
    .await?;
    let organisation_ids: Vec<OrganisationId> = people
        .iter()
        .map(|person| person.affiliation.organisation_id)
        .collect();
    let names = store
        .names(&organisation_ids, &[])
        .await
        .map_err(PageError::Store)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(
        &ListPage {
            ctx: ctx.at(Section::People),
            q: query.q.unwrap_or_default(),
            organisation,
            archived,
            organisation_names,
            errors,
            people,
            names,
            pager,
        },
        status,
    ))
}

/// How many of a person's meetings their page lists, newest first.
const MEETINGS_SHOWN: u64 = 50;

#[derive(Template)]
#[template(path = "people/page.html")]
struct PersonPage {
    ctx: Ctx,
    person: Representative,
    affiliations: Vec<Affiliation>,
    meetings: Vec<Meeting>,
    presentations: Vec<samverkan_store::Presentation>,
    follow_ups: Vec<FollowUp>,
    names: Names,
    history: Vec<HistoryEntry>,
    /// What a form just did to the person.
    notice: Option<&'static str>,
}

impl PersonPage {
    fn organisation_name(&self, id: &OrganisationId) -> String {
        self.names.organisation(*id)
    }

    fn meeting_kind(&self, meeting: &Meeting) -> &'static str {
        meeting.details.kind.label(self.ctx.lang)
    }

    fn status_label(&self, follow_up: &FollowUp) -> &'static str {
        follow_up.details.status.label(self.ctx.lang)
    }

    fn is_overdue(&self, follow_up: &FollowUp) -> bool {
        follow_up.is_overdue(samverkan_domain::time::today())
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// What a form just did (`created`, `saved`, `archived`).
    #[serde(default)]
    done: Option<String>,
}

#[handler]
pub async fn show(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Query(query): Query<ShowQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let notice = match query.done.as_deref() {
        Some("created") => Some(ctx.t.person_added),
        Some("saved") => Some(ctx.t.changes_saved),
        Some("archived") => Some(ctx.t.person_archived),
        Some("restricted") => Some(ctx.t.person_restricted),
        Some("lifted") => Some(ctx.t.restriction_lifted),
        Some("erased") => Some(ctx.t.person_erased),
        _ => None,
    };
    let id = RepresentativeId::from(id);
    let person = store.representative(id).await.map_err(PageError::Store)?;
    let mut affiliations = store.affiliations(id).await.map_err(PageError::Store)?;
    if person.details.is_minor {
        // Their organisation now, and nothing of their past.
        affiliations.clear();
    }
    let mut organisation_ids: Vec<OrganisationId> = affiliations
        .iter()
        .map(|affiliation| affiliation.organisation_id)
        .collect();
    organisation_ids.push(person.affiliation.organisation_id);
    let (meetings, presentations, follow_ups, history) = if person.details.is_minor {
        (Vec::new(), Vec::new(), Vec::new(), Vec::new())
    } else {
        let meetings = store
            .list_meetings(
                &MeetingFilter {
                    representative_id: Some(id),
                    ..MeetingFilter::default()
                },
                &PageRequest::first(MEETINGS_SHOWN),
            )
            .await
            .map_err(PageError::Store)?
            .items;
        let follow_ups = store
            .list_follow_ups(
                &FollowUpFilter {
                    owner_id: Some(id),
                    ..FollowUpFilter::default()
                },
                &PageRequest::first(samverkan_store::MAX_PAGE_SIZE),
            )
            .await
            .map_err(PageError::Store)?
            .items;
        let presentations = store.presentations_of(id).await.map_err(PageError::Store)?;
        let history = history::of(&store, id.as_uuid(), 20).await?;
        (meetings, presentations, follow_ups, history)
    };
    organisation_ids.extend(
        follow_ups
            .iter()
            .filter_map(|follow_up| follow_up.details.organisation_id),
    );
    let names = store
        .names(&organisation_ids, &[])
        .await
        .map_err(PageError::Store)?;
    Ok(render(
        &PersonPage {
            ctx: ctx.at(Section::People),
            person,
            affiliations,
            meetings,
            presentations,
            follow_ups,
            names,
            history,
            notice,
        },
        StatusCode::OK,
    ))
}
