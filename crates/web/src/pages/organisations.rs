//! `/organisations`: the list (search, kind, tag, archived), and an
//! organisation's page: its details, its people, its partnerships, its open
//! follow-ups, its timeline and its history.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    FollowUp, FollowUpStatus, Organisation, OrganisationId, OrganisationKind, Partnership, Permission,
    Representative,
};
use samverkan_report::Translated;
use samverkan_store::{
    FollowUpFilter, OrganisationFilter, PageRequest, PartnershipFilter, RepresentativeFilter, Store,
    TimelineEntry,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::forms::FieldErrors;
use crate::frame::{Ctx, PageError, Section, render};
use crate::history::{self, HistoryEntry};
use crate::paging::{ListAddress, PageQuery, Pager};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    archived: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListPage {
    ctx: Ctx,
    q: String,
    kind: String,
    tag: String,
    archived: bool,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    organisations: Vec<Organisation>,
    pager: Pager,
}

impl ListPage {
    fn kind_label(&self, organisation: &Organisation) -> &'static str {
        organisation.details.kind.label(self.ctx.lang)
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
    let kind = match query.kind.as_deref().filter(|kind| !kind.is_empty()) {
        Some(raw) => match OrganisationKind::parse("kind", raw) {
            Ok(kind) => Some(kind),
            Err(_) => {
                errors.add("kind", ctx.t.choose_from_list);
                None
            }
        },
        None => None,
    };
    let archived = query.archived.is_some();
    let filter = OrganisationFilter {
        q: query.q.clone(),
        kind,
        tag: query.tag.clone().filter(|tag| !tag.trim().is_empty()),
        include_archived: archived,
    };
    let address = ListAddress::new("/organisations")
        .with("q", query.q.as_deref())
        .with("kind", query.kind.as_deref())
        .with("tag", query.tag.as_deref())
        .with("archived", archived.then_some("1"));
    let (organisations, pager) = if errors.is_empty() {
        let page = store
            .list_organisations(&filter, &query.page.request()?)
            .await
            .map_err(PageError::Store)?;
        let pager = Pager::new(&address, &page);
        (page.items, pager)
    } else {
        (Vec::new(), Pager::default())
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(
        &ListPage {
            ctx: ctx.at(Section::Organisations),
            q: query.q.unwrap_or_default(),
            kind: query.kind.unwrap_or_default(),
            tag: query.tag.unwrap_or_default(),
            archived,
            kinds: OrganisationKind::ALL
                .iter()
                .map(|kind| (kind.as_str(), kind.label(ctx.lang)))
                .collect(),
            errors,
            organisations,
            pager,
        },
        status,
    ))
}

#[derive(Template)]
#[template(path = "organisations/page.html")]
struct OrganisationPage {
    ctx: Ctx,
    organisation: Organisation,
    people: Vec<Representative>,
    partnerships: Vec<(Partnership, String)>,
    follow_ups: Vec<FollowUp>,
    timeline: Vec<TimelineEntry>,
    timeline_pager: Pager,
    history: Vec<HistoryEntry>,
}

impl OrganisationPage {
    fn kind_label(&self) -> &'static str {
        self.organisation.details.kind.label(self.ctx.lang)
    }

    fn timeline_href(&self, entry: &TimelineEntry) -> String {
        match entry.kind {
            samverkan_store::TimelineKind::Meeting => format!("/meetings/{}", entry.id),
            samverkan_store::TimelineKind::FollowUp => format!("/follow-ups/{}", entry.id),
            samverkan_store::TimelineKind::Partnership => format!("/partnerships/{}", entry.id),
        }
    }

    fn timeline_kind(&self, entry: &TimelineEntry) -> &'static str {
        let t = self.ctx.t;
        match entry.kind {
            samverkan_store::TimelineKind::Meeting => t.meeting,
            samverkan_store::TimelineKind::FollowUp => t.follow_up,
            samverkan_store::TimelineKind::Partnership => t.partnership,
        }
    }

    fn status_label(&self, follow_up: &FollowUp) -> &'static str {
        follow_up.details.status.label(self.ctx.lang)
    }

    fn is_overdue(&self, follow_up: &FollowUp) -> bool {
        follow_up.is_overdue(samverkan_domain::time::today())
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQueryOnly {
    #[serde(flatten)]
    page: PageQuery,
}

#[handler]
pub async fn show(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQueryOnly>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let id = OrganisationId::from(id);
    let organisation = store.organisation(id).await.map_err(PageError::Store)?;
    let all = PageRequest {
        limit: samverkan_store::MAX_PAGE_SIZE,
        ..PageRequest::default()
    };
    let people = store
        .list_representatives(
            &RepresentativeFilter {
                organisation_id: Some(id),
                ..RepresentativeFilter::default()
            },
            &all,
        )
        .await
        .map_err(PageError::Store)?
        .items;
    let partnerships = store
        .list_partnerships(
            &PartnershipFilter {
                organisation_id: Some(id),
                ..PartnershipFilter::default()
            },
            &all,
        )
        .await
        .map_err(PageError::Store)?
        .items;
    let others: Vec<OrganisationId> = partnerships
        .iter()
        .flat_map(|partnership| partnership.details.organisation_ids)
        .filter(|other| *other != id)
        .collect();
    let names = store.names(&others, &[]).await.map_err(PageError::Store)?;
    let partnerships = partnerships
        .into_iter()
        .map(|partnership| {
            let other = partnership
                .details
                .organisation_ids
                .into_iter()
                .find(|other| *other != id)
                .map(|other| names.organisation(other))
                .unwrap_or_default();
            (partnership, other)
        })
        .collect();
    let follow_ups = store
        .list_follow_ups(
            &FollowUpFilter {
                organisation_id: Some(id),
                ..FollowUpFilter::default()
            },
            &all,
        )
        .await
        .map_err(PageError::Store)?
        .items
        .into_iter()
        .filter(|follow_up| {
            matches!(
                follow_up.details.status,
                FollowUpStatus::Open | FollowUpStatus::InProgress
            )
        })
        .collect();
    let timeline = store
        .organisation_timeline(id, &query.page.request()?)
        .await
        .map_err(PageError::Store)?;
    let timeline_pager = Pager::new(
        &ListAddress::new(format!("/organisations/{}", id.as_uuid())),
        &timeline,
    );
    let history = history::of(&store, id.as_uuid(), 20).await?;
    Ok(render(
        &OrganisationPage {
            ctx: ctx.at(Section::Organisations),
            organisation,
            people,
            partnerships,
            follow_ups,
            timeline: timeline.items,
            timeline_pager,
            history,
        },
        StatusCode::OK,
    ))
}
