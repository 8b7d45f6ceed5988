//! `/api/v1/engagement`, `/api/v1/engagement/summary` and
//! `/api/v1/follow-ups/summary`: how organisations take part, and how their
//! follow-ups stand. Every figure is defined in `docs/engagement.md`.

use chrono::NaiveDate;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use samverkan_domain::{self as domain, HealthThresholds, OrganisationId, PartnershipId, Period, Tag, time};
use samverkan_store::{EngagementFilter, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::common::{EngagementSort, Health, OrganisationKind, SortOrder, date_param, list_of, page_request};
use crate::problem::ApiError;

/// Högskolan Väst, the seed partner day's follow-up and its owner, in the
/// examples (the ids of the other examples).
const EXAMPLE_UNIVERSITY: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0002);
const EXAMPLE_OWNER: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0106);
const EXAMPLE_FOLLOW_UP: Uuid = Uuid::from_u128(0x018f_2a6e_4b00_7000_8000_0000_0000_0501);

/// The most groups `GET /follow-ups/summary` lists by default, and at most.
const SUMMARY_GROUPS: u64 = 50;
const SUMMARY_GROUPS_MAX: u64 = 500;

/// One organisation's engagement in one period.
#[derive(Debug, Clone, Object)]
pub struct EngagementFigures {
    /// Meetings of the period it hosted (not cancelled).
    pub meetings_hosted: i64,
    /// Meetings of the period it attended, itself or through a person acting
    /// for it (attendance `attended`; invitations do not count).
    pub meetings_attended: i64,
    /// Meetings of the period it hosted or attended, each once.
    pub meetings_engaged: i64,
    /// Partner days among the meetings engaged.
    pub partner_days: i64,
    /// Its first meeting ever, up to the as-of day (a Stockholm day).
    #[oai(nullable)]
    pub first_meeting_on: Option<NaiveDate>,
    /// Its last meeting, up to the as-of day.
    #[oai(nullable)]
    pub last_meeting_on: Option<NaiveDate>,
    /// Days from the last meeting to the as-of day.
    #[oai(nullable)]
    pub days_since_last_meeting: Option<i64>,
    /// Distinct people who attended a meeting of the period for it.
    pub representatives_engaged: i64,
    /// Agenda items of the period's meetings presented by its people.
    pub presentations: i64,
    /// Follow-ups it answers for, from the period's meetings.
    pub follow_ups_opened: i64,
    pub follow_ups_cancelled: i64,
    /// Done by the end of the as-of day.
    pub follow_ups_done: i64,
    /// Neither cancelled nor done by the end of the as-of day.
    pub follow_ups_open: i64,
    /// Open, and due before the as-of day.
    pub follow_ups_overdue: i64,
    /// Done ÷ (opened − cancelled), 0 to 1.
    #[oai(nullable)]
    pub completion_rate: Option<f64>,
    /// Median of whole days from the meeting's start to completion.
    #[oai(nullable)]
    pub median_days_to_complete: Option<f64>,
    pub health: Health,
}

impl From<domain::EngagementFigures> for EngagementFigures {
    fn from(f: domain::EngagementFigures) -> Self {
        Self {
            meetings_hosted: f.meetings_hosted,
            meetings_attended: f.meetings_attended,
            meetings_engaged: f.meetings_engaged,
            partner_days: f.partner_days,
            first_meeting_on: f.first_meeting_on,
            last_meeting_on: f.last_meeting_on,
            days_since_last_meeting: f.days_since_last_meeting,
            representatives_engaged: f.representatives_engaged,
            presentations: f.presentations,
            follow_ups_opened: f.follow_ups_opened,
            follow_ups_cancelled: f.follow_ups_cancelled,
            follow_ups_done: f.follow_ups_done,
            follow_ups_open: f.follow_ups_open,
            follow_ups_overdue: f.follow_ups_overdue,
            completion_rate: f.completion_rate,
            median_days_to_complete: f.median_days_to_complete,
            health: f.health.into(),
        }
    }
}

/// This period's figures minus the previous period's.
#[derive(Debug, Clone, Object)]
pub struct EngagementChange {
    pub meetings_hosted: i64,
    pub meetings_attended: i64,
    pub meetings_engaged: i64,
    pub partner_days: i64,
    pub representatives_engaged: i64,
    pub presentations: i64,
    pub follow_ups_opened: i64,
    pub follow_ups_done: i64,
    pub follow_ups_open: i64,
    pub follow_ups_overdue: i64,
    /// `null` unless both periods have a rate.
    #[oai(nullable)]
    pub completion_rate: Option<f64>,
    /// `null` unless both periods have a median.
    #[oai(nullable)]
    pub median_days_to_complete: Option<f64>,
}

impl From<domain::EngagementChange> for EngagementChange {
    fn from(c: domain::EngagementChange) -> Self {
        Self {
            meetings_hosted: c.meetings_hosted,
            meetings_attended: c.meetings_attended,
            meetings_engaged: c.meetings_engaged,
            partner_days: c.partner_days,
            representatives_engaged: c.representatives_engaged,
            presentations: c.presentations,
            follow_ups_opened: c.follow_ups_opened,
            follow_ups_done: c.follow_ups_done,
            follow_ups_open: c.follow_ups_open,
            follow_ups_overdue: c.follow_ups_overdue,
            completion_rate: c.completion_rate,
            median_days_to_complete: c.median_days_to_complete,
        }
    }
}

/// One organisation: this period, the previous one of equal length (ending
/// the day before `from`), and the change.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct EngagementRow {
    pub organisation_id: Uuid,
    pub name: String,
    pub current: EngagementFigures,
    pub previous: EngagementFigures,
    pub change: EngagementChange,
}

impl From<domain::EngagementRow> for EngagementRow {
    fn from(row: domain::EngagementRow) -> Self {
        Self {
            organisation_id: row.organisation_id.as_uuid(),
            name: row.name,
            current: row.current.into(),
            previous: row.previous.into(),
            change: row.change.into(),
        }
    }
}

/// Högskolan Väst in April 2024, the month of the seed partner day.
fn example_row() -> domain::EngagementRow {
    let counts = domain::EngagementCounts {
        meetings_attended: 1,
        meetings_engaged: 1,
        partner_days: 1,
        first_meeting_at: Some(time::day_start(seed_day())),
        last_meeting_at: Some(time::day_start(seed_day())),
        representatives_engaged: 3,
        presentations: 2,
        follow_ups_opened: 2,
        follow_ups_open: 2,
        ..domain::EngagementCounts::default()
    };
    let thresholds = HealthThresholds::default();
    let as_of = NaiveDate::from_ymd_opt(2024, 4, 30).unwrap_or_default();
    let current = domain::EngagementFigures::new(&counts, as_of, &thresholds);
    let previous = domain::EngagementFigures::new(&domain::EngagementCounts::default(), as_of, &thresholds);
    domain::EngagementRow {
        organisation_id: OrganisationId::from(EXAMPLE_UNIVERSITY),
        name: "Högskolan Väst".into(),
        change: domain::EngagementChange::between(&current, &previous),
        current,
        previous,
    }
}

fn seed_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 4, 26).unwrap_or_default()
}

impl poem_openapi::types::Example for EngagementRow {
    fn example() -> Self {
        example_row().into()
    }
}

list_of!(
    /// A page of engagement rows.
    EngagementList,
    EngagementRow
);

/// A period's figures across all organisations (archived ones included:
/// what happened, happened).
#[derive(Debug, Clone, Object)]
pub struct EngagementTotals {
    /// Meetings of the period, not cancelled.
    pub meetings: i64,
    pub partner_days: i64,
    /// Organisations that hosted or attended one of them.
    pub organisations_engaged: i64,
    /// People who attended one of them.
    pub representatives_engaged: i64,
    /// Every follow-up of those meetings.
    pub follow_ups_opened: i64,
    pub follow_ups_cancelled: i64,
    pub follow_ups_done: i64,
    pub follow_ups_open: i64,
    pub follow_ups_overdue: i64,
    #[oai(nullable)]
    pub completion_rate: Option<f64>,
    #[oai(nullable)]
    pub median_days_to_complete: Option<f64>,
}

impl From<domain::EngagementTotals> for EngagementTotals {
    fn from(t: domain::EngagementTotals) -> Self {
        Self {
            meetings: t.meetings,
            partner_days: t.partner_days,
            organisations_engaged: t.organisations_engaged,
            representatives_engaged: t.representatives_engaged,
            follow_ups_opened: t.follow_ups_opened,
            follow_ups_cancelled: t.follow_ups_cancelled,
            follow_ups_done: t.follow_ups_done,
            follow_ups_open: t.follow_ups_open,
            follow_ups_overdue: t.follow_ups_overdue,
            completion_rate: t.completion_rate,
            median_days_to_complete: t.median_days_to_complete,
        }
    }
}

/// How many of the period's meetings carried a tag.
#[derive(Debug, Clone, Object)]
pub struct TagCount {
    pub tag: String,
    pub meetings: i64,
}

/// Meetings (not cancelled) that began in a calendar month.
#[derive(Debug, Clone, Object)]
pub struct MonthCount {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub meetings: i64,
}

/// The period at a glance.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct EngagementSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day follow-ups are judged on: `to`, or today if earlier.
    pub as_of: NaiveDate,
    pub totals: EngagementTotals,
    /// The previous period of equal length.
    pub previous_totals: EngagementTotals,
    /// The ten most used tags of the period's meetings.
    pub top_tags: Vec<TagCount>,
    /// The five live organisations with the most meetings engaged.
    pub most_engaged: Vec<EngagementRow>,
    /// The five live organisations with the fewest.
    pub least_engaged: Vec<EngagementRow>,
    /// Every month the period touches, zeros included.
    pub meetings_per_month: Vec<MonthCount>,
}

impl From<domain::EngagementSummary> for EngagementSummary {
    fn from(s: domain::EngagementSummary) -> Self {
        Self {
            from: s.from,
            to: s.to,
            as_of: s.as_of,
            totals: s.totals.into(),
            previous_totals: s.previous_totals.into(),
            top_tags: s
                .top_tags
                .into_iter()
                .map(|t| TagCount {
                    tag: t.tag,
                    meetings: t.meetings,
                })
                .collect(),
            most_engaged: s.most_engaged.into_iter().map(Into::into).collect(),
            least_engaged: s.least_engaged.into_iter().map(Into::into).collect(),
            meetings_per_month: s
                .meetings_per_month
                .into_iter()
                .map(|m| MonthCount {
                    year: m.year,
                    month: m.month,
                    meetings: m.meetings,
                })
                .collect(),
        }
    }
}

impl poem_openapi::types::Example for EngagementSummary {
    /// April 2024 on the demo data: the seed partner day.
    fn example() -> Self {
        let totals = domain::EngagementTotals {
            meetings: 1,
            partner_days: 1,
            organisations_engaged: 6,
            representatives_engaged: 8,
            follow_ups_opened: 2,
            follow_ups_cancelled: 0,
            follow_ups_done: 0,
            follow_ups_open: 2,
            follow_ups_overdue: 0,
            completion_rate: Some(0.0),
            median_days_to_complete: None,
        };
        let none = domain::EngagementTotals {
            meetings: 0,
            partner_days: 0,
            organisations_engaged: 0,
            representatives_engaged: 0,
            follow_ups_opened: 0,
            follow_ups_open: 0,
            completion_rate: None,
            ..totals.clone()
        };
        domain::EngagementSummary {
            from: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2024, 4, 30).unwrap_or_default(),
            as_of: NaiveDate::from_ymd_opt(2024, 4, 30).unwrap_or_default(),
            totals,
            previous_totals: none,
            top_tags: vec![domain::TagCount {
                tag: "tillsammanskraft".into(),
                meetings: 1,
            }],
            most_engaged: vec![example_row()],
            least_engaged: vec![],
            meetings_per_month: vec![domain::MonthCount {
                year: 2024,
                month: 4,
                meetings: 1,
            }],
        }
        .into()
    }
}

/// The oldest overdue follow-up of a group.
#[derive(Debug, Clone, Object)]
pub struct OverdueItem {
    pub id: Uuid,
    pub title: String,
    pub due_on: NaiveDate,
}

/// How one owner's (or organisation's) follow-ups stand.
#[derive(Debug, Clone, Object)]
pub struct FollowUpTally {
    /// The owner or organisation; `null` for those that have none.
    #[oai(nullable)]
    pub id: Option<Uuid>,
    #[oai(nullable)]
    pub name: Option<String>,
    /// Open or in progress (or done only after the as-of day).
    pub open: i64,
    /// Of those, due before the as-of day.
    pub overdue: i64,
    /// Done in the 30 days ending with the as-of day.
    pub done_last_30_days: i64,
    #[oai(nullable)]
    pub oldest_overdue: Option<OverdueItem>,
}

impl<Id: Into<Uuid>> From<domain::FollowUpTally<Id>> for FollowUpTally {
    fn from(t: domain::FollowUpTally<Id>) -> Self {
        Self {
            id: t.id.map(Into::into),
            name: t.name,
            open: t.open,
            overdue: t.overdue,
            done_last_30_days: t.done_last_30_days,
            oldest_overdue: t.oldest_overdue.map(|item| OverdueItem {
                id: item.id.as_uuid(),
                title: item.title,
                due_on: item.due_on,
            }),
        }
    }
}

/// Follow-ups by owner and by organisation on a day, most overdue first.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct FollowUpSummary {
    pub as_of: NaiveDate,
    pub by_owner: Vec<FollowUpTally>,
    pub by_organisation: Vec<FollowUpTally>,
}

impl From<domain::FollowUpSummary> for FollowUpSummary {
    fn from(s: domain::FollowUpSummary) -> Self {
        Self {
            as_of: s.as_of,
            by_owner: s.by_owner.into_iter().map(Into::into).collect(),
            by_organisation: s.by_organisation.into_iter().map(Into::into).collect(),
        }
    }
}

impl poem_openapi::types::Example for FollowUpSummary {
    /// The demo data on 2024-06-17: Maria Derner's follow-up of the seed
    /// partner day was due on 2024-06-14.
    fn example() -> Self {
        let overdue = || {
            Some(OverdueItem {
                id: EXAMPLE_FOLLOW_UP,
                title: "Exempel: dela ungdomsbarometerns resultat med partnerna".into(),
                due_on: NaiveDate::from_ymd_opt(2024, 6, 14).unwrap_or_default(),
            })
        };
        Self {
            as_of: NaiveDate::from_ymd_opt(2024, 6, 17).unwrap_or_default(),
            by_owner: vec![FollowUpTally {
                id: Some(EXAMPLE_OWNER),
                name: Some("Maria Derner".into()),
                open: 1,
                overdue: 1,
                done_last_30_days: 0,
                oldest_overdue: overdue(),
            }],
            by_organisation: vec![FollowUpTally {
                id: Some(EXAMPLE_UNIVERSITY),
                name: Some("Högskolan Väst".into()),
                open: 2,
                overdue: 1,
                done_last_30_days: 0,
                oldest_overdue: overdue(),
            }],
        }
    }
}

pub struct EngagementApi {
    pub store: Store,
    pub thresholds: HealthThresholds,
}

/// `from` and `to` as a period, or a 400 naming each broken parameter.
fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Period, ApiError> {
    Period::parse(from, to).map_err(ApiError::bad_parameters)
}

#[OpenApi(tag = "ApiTags::Engagement")]
impl EngagementApi {
    /// Engagement per organisation
    ///
    /// For the Stockholm days `from` to `to` (both included, under ten
    /// years), each organisation's meetings, people, presentations and
    /// follow-ups, the same for the previous period of equal length, the
    /// change, and a health label (`new`, `active`, `cooling`, `dormant`,
    /// from the server's thresholds). Follow-ups are judged as of `to`, or
    /// today if earlier. `partnership_id` narrows it to the partnership's two
    /// organisations and the meetings that served it. Sorted by any figure
    /// (`sort`, `order`; default `meetings_engaged` descending), ties by id,
    /// figures without a value last.
    #[oai(path = "/api/v1/engagement", method = "get", operation_id = "list_engagement")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        _auth: auth::ReadReports,
        /// The first day (`YYYY-MM-DD`).
        from: Query<Option<NaiveDate>>,
        /// The last day, included.
        to: Query<Option<NaiveDate>>,
        organisation_id: Query<Option<Uuid>>,
        partnership_id: Query<Option<Uuid>>,
        kind: Query<Option<OrganisationKind>>,
        /// Organisations carrying this tag.
        tag: Query<Option<String>>,
        include_archived: Query<Option<bool>>,
        sort: Query<Option<EngagementSort>>,
        order: Query<Option<SortOrder>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page (of the same period and sort).
        cursor: Query<Option<String>>,
    ) -> Result<Json<EngagementList>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let period = period(from.0, to.0)?;
        let tag = tag
            .0
            .map(|raw| Tag::parse("tag", &raw))
            .transpose()
            .map_err(|error| ApiError::bad_request(&error.field, error.message))?;
        let filter = EngagementFilter {
            organisation_id: organisation_id.0.map(OrganisationId::from),
            partnership_id: partnership_id.0.map(PartnershipId::from),
            kind: kind.0.map(Into::into),
            tag,
            include_archived: include_archived.0.unwrap_or(false),
            sort: sort.0.map_or(domain::EngagementSort::MeetingsEngaged, Into::into),
            order: order.0.map_or(domain::SortOrder::Desc, Into::into),
            // The API filters by health in no list.
            ..EngagementFilter::default()
        };
        let found = self
            .store
            .engagement(&period, time::today(), &self.thresholds, &filter, &page)
            .await?;
        Ok(Json(EngagementList::from_page(found, EngagementRow::from)))
    }

    /// Engagement summary
    ///
    /// Totals for the period and the previous one (meetings, partner days,
    /// organisations and people engaged, follow-up completion), the ten most
    /// used tags, the five most and least engaged live organisations, and
    /// meetings per month.
    #[oai(
        path = "/api/v1/engagement/summary",
        method = "get",
        operation_id = "engagement_summary"
    )]
    async fn summary(
        &self,
        _auth: auth::ReadReports,
        /// The first day (`YYYY-MM-DD`).
        from: Query<Option<NaiveDate>>,
        /// The last day, included.
        to: Query<Option<NaiveDate>>,
    ) -> Result<Json<EngagementSummary>, ApiError> {
        let period = period(from.0, to.0)?;
        let summary = self
            .store
            .engagement_summary(&period, time::today(), &self.thresholds)
            .await?;
        Ok(Json(summary.into()))
    }

    /// Follow-up summary
    ///
    /// Follow-ups by owner and by organisation as they stood at the end of
    /// `as_of` (a Stockholm day; default today): open, overdue (due before
    /// that day), done in the 30 days up to it, and the oldest overdue item.
    /// Groups with nothing open and nothing done lately are left out; the
    /// most overdue come first, at most `limit` (1 to 500, default 50) each.
    #[oai(
        path = "/api/v1/follow-ups/summary",
        method = "get",
        operation_id = "follow_up_summary",
        tag = "ApiTags::FollowUps"
    )]
    async fn follow_up_summary(
        &self,
        _auth: auth::ReadReports,
        as_of: Query<Option<NaiveDate>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u64>>,
    ) -> Result<Json<FollowUpSummary>, ApiError> {
        date_param("as_of", as_of.0)?;
        let limit = limit.0.unwrap_or(SUMMARY_GROUPS);
        if !(1..=SUMMARY_GROUPS_MAX).contains(&limit) {
            return Err(ApiError::bad_request(
                "limit",
                format!("must be between 1 and {SUMMARY_GROUPS_MAX}"),
            ));
        }
        let as_of = as_of.0.unwrap_or_else(time::today);
        Ok(Json(self.store.follow_up_summary(as_of, limit).await?.into()))
    }
}
