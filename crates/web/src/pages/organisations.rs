//! `/organisations`: the list (search, kind, tag, archived), and an
//! organisation's page: its details, its people, its partnerships, its open
//! follow-ups, its timeline and its history.

use askama::Template;
use chrono::Datelike;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    Affiliation, FollowUp, HealthThresholds, Organisation, OrganisationId, OrganisationKind, Partnership,
    Period, Permission, Representative,
};
use samverkan_report::{Label, Translated};
use samverkan_store::{
    FollowUpFilter, OrganisationFilter, PageRequest, RepresentativeFilter, Store, TimelineEntry,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::downloads;
use crate::forms::FieldErrors;
use crate::frame::{Ctx, PageError, Section, render};
use crate::history::{self, HistoryEntry};
use crate::paging::{ListAddress, PageQuery, Pager, page_unless};

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
    let request = query.page.request()?;
    let (organisations, pager) =
        page_unless(&errors, &address, || store.list_organisations(&filter, &request)).await?;
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
    /// People whose affiliation ended, with it.
    former: Vec<(Representative, Affiliation)>,
    /// This year's engagement: the label, this year's figure, the change.
    engagement: Vec<(&'static str, String, String)>,
    health: Option<&'static str>,
    period_text: String,
    partnerships: Vec<(Partnership, String)>,
    follow_ups: Vec<FollowUp>,
    timeline: Vec<TimelineEntry>,
    timeline_pager: Pager,
    history: Vec<HistoryEntry>,
    /// What was just done to it (after a form's redirect).
    notice: Option<&'static str>,
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
pub struct ShowQuery {
    #[serde(flatten)]
    page: PageQuery,
    /// What a form just did (`created`, `saved`, `archived`).
    #[serde(default)]
    done: Option<String>,
}

#[handler]
pub async fn show(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    thresholds: Data<&HealthThresholds>,
    Path(id): Path<Uuid>,
    Query(query): Query<ShowQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let id = OrganisationId::from(id);
    let organisation = store.organisation(id).await.map_err(PageError::Store)?;
    let notice = match query.done.as_deref() {
        Some("created") => Some(ctx.t.organisation_added),
        Some("saved") => Some(ctx.t.changes_saved),
        Some("archived") => Some(ctx.t.organisation_archived),
        _ => None,
    };
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
    let former = store.former_affiliations(id).await.map_err(PageError::Store)?;
    let (engagement, health, period_text) = if ctx.may(Permission::ReadReports) {
        this_year(&ctx, &store, &thresholds, id).await?
    } else {
        (Vec::new(), None, String::new())
    };
    let partnerships = store.partnerships_of(id).await.map_err(PageError::Store)?;
    // Asked of the database (`ix_follow_ups_organisation` holds the
    // status), not filtered here from every follow-up the organisation
    // ever had, which cost a quarter of the page.
    let follow_ups = store
        .list_follow_ups(
            &FollowUpFilter {
                organisation_id: Some(id),
                unfinished: true,
                ..FollowUpFilter::default()
            },
            &all,
        )
        .await
        .map_err(PageError::Store)?
        .items;
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
            former,
            engagement,
            health,
            period_text,
            partnerships,
            follow_ups,
            timeline: timeline.items,
            timeline_pager,
            history,
            notice,
        },
        StatusCode::OK,
    ))
}

/// An organisation's engagement this year, beside the same span before it.
async fn this_year(
    ctx: &Ctx,
    store: &Store,
    thresholds: &HealthThresholds,
    id: OrganisationId,
) -> Result<(Vec<(&'static str, String, String)>, Option<&'static str>, String), PageError> {
    let today = samverkan_domain::time::today();
    let year = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let period = Period::parse(Some(year), Some(today)).map_err(|_| PageError::BadRequest)?;
    let Some(row) = store
        .organisation_engagement(id, &period, today, thresholds)
        .await?
    else {
        return Ok((Vec::new(), None, String::new()));
    };
    let (now, before) = (&row.current, &row.previous);
    let lang = ctx.lang;
    let figures = [
        (Label::Meetings, now.meetings_engaged, before.meetings_engaged),
        (Label::MeetingsHosted, now.meetings_hosted, before.meetings_hosted),
        (Label::PartnerDays, now.partner_days, before.partner_days),
        (
            Label::RepresentativesEngaged,
            now.representatives_engaged,
            before.representatives_engaged,
        ),
        (Label::Presentations, now.presentations, before.presentations),
        (Label::FollowUpsDone, now.follow_ups_done, before.follow_ups_done),
    ]
    .into_iter()
    .map(|(label, now, before)| {
        (
            label.text(lang),
            samverkan_report::display::integer(lang, now),
            crate::pages::engagement::change_text(ctx, now, before),
        )
    })
    .collect();
    Ok((
        figures,
        Some(now.health.label(lang)),
        samverkan_report::labels::period(lang, period.from(), period.to()),
    ))
}

#[derive(Template)]
#[template(path = "organisations/brief.html")]
struct BriefPage {
    ctx: Ctx,
    today: chrono::NaiveDate,
    organisation: Organisation,
    /// Each with the other party's name, kind and status.
    partnerships: Vec<(Partnership, String, &'static str, &'static str)>,
    top: Vec<samverkan_domain::TopAttendee>,
    meetings: Vec<samverkan_domain::MeetingRecords>,
    follow_ups: Vec<FollowUp>,
}

impl BriefPage {
    fn kind_label(&self) -> &'static str {
        self.organisation.details.kind.label(self.ctx.lang)
    }

    fn outcome_kind(&self, outcome: &samverkan_domain::Outcome) -> &'static str {
        outcome.kind.label(self.ctx.lang)
    }

    fn is_overdue(&self, follow_up: &FollowUp) -> bool {
        follow_up.is_overdue(self.today)
    }

    /// "1 möte", "3 möten".
    fn meetings(&self, count: &i64) -> String {
        let word = if *count == 1 {
            self.ctx.t.meeting_word
        } else {
            self.ctx.t.meetings_word
        };
        format!(
            "{} {word}",
            samverkan_report::display::integer(self.ctx.lang, *count)
        )
    }
}

/// `/organisations/{id}/brief`: one printable A4 page to read before
/// meeting a partner: who they are, our partnerships with them, their
/// people who attended most, the last meetings and what came of them, and
/// the open follow-ups, overdue ones marked. Read with the store's
/// `partner_brief`, as the brief's documents (`brief.pdf`, the API) are.
#[handler]
pub async fn brief(ctx: Data<&Ctx>, store: Data<&Store>, Path(id): Path<Uuid>) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let data = store
        .partner_brief(OrganisationId::from(id), samverkan_domain::time::today())
        .await
        .map_err(PageError::Store)?;
    let lang = ctx.lang;
    let partnerships = data
        .partnerships
        .into_iter()
        .map(|(partnership, other)| {
            let kind = partnership.details.kind.label(lang);
            let status = partnership.details.status.label(lang);
            (partnership, other, kind, status)
        })
        .collect();
    Ok(render(
        &BriefPage {
            ctx: ctx.at(Section::Organisations),
            today: data.as_of,
            organisation: data.organisation,
            partnerships,
            top: data.top_attendees,
            meetings: data.meetings,
            follow_ups: data.follow_ups,
        },
        StatusCode::OK,
    ))
}

/// `/organisations/{id}/brief.pdf` (and `.html`, `.md`): the brief as a
/// document in the reader's language, under the page's permission.
#[handler]
pub async fn brief_download(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path((id, extension)): Path<(Uuid, String)>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let format = downloads::page_format(&extension).ok_or(PageError::NotFound)?;
    let data = store
        .partner_brief(OrganisationId::from(id), samverkan_domain::time::today())
        .await
        .map_err(PageError::Store)?;
    let lang = ctx.lang;
    let stem = samverkan_report::brief::file_stem(&data, lang);
    Ok(downloads::document(move || samverkan_report::brief::brief(&data, lang), format, &stem).await?)
}
