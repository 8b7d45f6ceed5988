//! `/`: the start page, by what the role may see: my open follow-ups
//! (overdue first, marked in words), the next and the last meetings, the
//! partners whose engagement is cooling or dormant, and one search box.

use askama::Template;
use chrono::{Datelike, NaiveDate};
use poem::http::StatusCode;
use poem::web::{Data, Query};
use poem::{Response, handler};
use samverkan_domain::{
    EngagementRow, EngagementSort, FollowUp, Health, HealthThresholds, Meeting, Names, Period, Permission,
    SortOrder, time,
};
use samverkan_report::Translated;
use samverkan_store::{EngagementFilter, FollowUpFilter, FollowUpOrder, MeetingFilter, PageRequest, Store};
use serde::Deserialize;

use crate::frame::{Ctx, PageError, Section, render};

/// How many of each the start page lists.
const FEW: u64 = 5;

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    ctx: Ctx,
    today: NaiveDate,
    /// `None` when the user is not linked to a person (no follow-up is theirs).
    my_follow_ups: Option<Vec<FollowUp>>,
    upcoming: Vec<Meeting>,
    recent: Vec<Meeting>,
    /// This year's partners that are cooling or dormant.
    fading: Vec<EngagementRow>,
    names: Names,
    /// After a status form's redirect.
    notice: Option<&'static str>,
    /// The reader's unfinished meeting forms (only theirs, only for those
    /// who may log meetings).
    drafts: Vec<samverkan_store::MeetingDraft>,
}

impl StartPage {
    fn is_overdue(&self, follow_up: &FollowUp) -> bool {
        follow_up.is_overdue(self.today)
    }

    fn status_label(&self, follow_up: &FollowUp) -> &'static str {
        follow_up.details.status.label(self.ctx.lang)
    }

    fn health_label(&self, row: &EngagementRow) -> &'static str {
        row.current.health.label(self.ctx.lang)
    }

    fn organisation_of(&self, follow_up: &FollowUp) -> Option<String> {
        follow_up
            .details
            .organisation_id
            .map(|id| self.names.organisation(id))
    }
}

fn few() -> PageRequest {
    PageRequest {
        limit: FEW,
        ..PageRequest::default()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct StartQuery {
    /// What a status form just did.
    #[serde(default)]
    done: Option<String>,
}

#[handler]
pub async fn page(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    thresholds: Data<&HealthThresholds>,
    Query(query): Query<StartQuery>,
) -> poem::Result<Response> {
    let today = time::today();
    let reads_records = ctx.may(Permission::ReadRecords);
    let me = ctx
        .viewer
        .as_ref()
        .and_then(|viewer| viewer.user.details.representative_id);
    let my_follow_ups = match me {
        Some(owner) if reads_records => Some(
            store
                .list_follow_ups(
                    &FollowUpFilter {
                        owner_id: Some(owner),
                        unfinished: true,
                        order: FollowUpOrder::DueOn,
                        ..FollowUpFilter::default()
                    },
                    &PageRequest {
                        limit: 10,
                        ..PageRequest::default()
                    },
                )
                .await
                .map_err(PageError::Store)?
                .items,
        ),
        _ => None,
    };
    let (upcoming, recent) = if reads_records {
        let upcoming = store
            .list_meetings(
                &MeetingFilter {
                    from: Some(today),
                    order: SortOrder::Asc,
                    ..MeetingFilter::default()
                },
                &few(),
            )
            .await
            .map_err(PageError::Store)?
            .items;
        let recent = store
            .list_meetings(
                &MeetingFilter {
                    to: today.pred_opt(),
                    ..MeetingFilter::default()
                },
                &few(),
            )
            .await
            .map_err(PageError::Store)?
            .items;
        (upcoming, recent)
    } else {
        (Vec::new(), Vec::new())
    };
    let fading = if ctx.may(Permission::ReadReports) {
        let year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let period = Period::parse(Some(year), Some(today)).map_err(|_| PageError::BadRequest)?;
        store
            .engagement(
                &period,
                today,
                &thresholds,
                // The most recently met first: those still easy to win back
                // before the long dormant. (Ranked by the last meeting alone,
                // the list needs only each partner's first and last meeting,
                // not the year's counts of every partner.)
                &EngagementFilter {
                    health: vec![Health::Cooling, Health::Dormant],
                    sort: EngagementSort::LastMeetingOn,
                    order: SortOrder::Desc,
                    ..EngagementFilter::default()
                },
                &PageRequest {
                    limit: 10,
                    ..PageRequest::default()
                },
            )
            .await
            .map_err(PageError::Store)?
            .items
    } else {
        Vec::new()
    };
    let organisations: Vec<_> = my_follow_ups
        .iter()
        .flatten()
        .filter_map(|follow_up| follow_up.details.organisation_id)
        .collect();
    let names = store.names(&organisations, &[]).await.map_err(PageError::Store)?;
    let drafts = match &ctx.viewer {
        Some(viewer) if ctx.may(Permission::WriteRecords) => store
            .meeting_drafts(viewer.user.id)
            .await
            .map_err(PageError::Store)?,
        _ => Vec::new(),
    };
    let notice = match query.done.as_deref() {
        Some("draft-deleted") => Some(ctx.t.draft_deleted),
        done => crate::pages::follow_ups::notice(&ctx, done),
    };
    Ok(render(
        &StartPage {
            ctx: ctx.at(Section::Start),
            today,
            my_follow_ups,
            upcoming,
            recent,
            fading,
            names,
            notice,
            drafts,
        },
        StatusCode::OK,
    ))
}
