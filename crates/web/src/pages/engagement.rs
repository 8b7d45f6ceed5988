//! `/engagement`: how engaged each partner is over a period (this year by
//! default; quick picks for the last 12 months and the last quarter): the
//! summary with the change against the previous period, the charts the
//! reports draw (inline SVG, each with its data table), the per-partner
//! table sortable by any figure, and the engagement report's downloads.

use askama::Template;
use chrono::{Datelike, Months, NaiveDate};
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    EngagementRow, EngagementSort, HealthThresholds, Period, Permission, SortOrder, time,
};
use samverkan_report::export::{ExportFormat, ExportStart};
use samverkan_report::{Chart, Format, Label, Table, Translated, display};
use samverkan_store::{DEFAULT_EXPORT_BATCH, EngagementFilter, Store};
use serde::Deserialize;

use crate::downloads;
use crate::forms::FieldErrors;
use crate::frame::{Ctx, PageError, Section, render};
use crate::pages::{day_filter, parse_day};
use crate::paging::{ListAddress, PageQuery, Pager};

#[derive(Debug, Default, Deserialize)]
pub struct EngagementQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    order: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

/// A period to pick with one click.
#[derive(Debug)]
pub struct QuickPick {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

/// One headline figure with the previous period's and the change.
#[derive(Debug)]
pub struct Tile {
    pub label: &'static str,
    pub value: String,
    /// "+1 mot föregående period (0)", or why there is none.
    pub change: String,
}

/// A chart: its drawing and the table of the same numbers.
#[derive(Debug)]
pub struct DrawnChart {
    pub title: String,
    pub svgs: Vec<String>,
    pub table: Table,
}

/// A sortable column of the per-partner table.
#[derive(Debug)]
pub struct Column {
    pub label: &'static str,
    pub href: String,
    /// `ascending`/`descending` when the table is sorted by it.
    pub sorted: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "engagement/page.html")]
struct EngagementPage {
    ctx: Ctx,
    from: String,
    to: String,
    period_text: String,
    picks: Vec<QuickPick>,
    errors: FieldErrors,
    tiles: Vec<Tile>,
    charts: Vec<DrawnChart>,
    columns: Vec<Column>,
    rows: Vec<EngagementRow>,
    pager: Pager,
    downloads: Vec<(&'static str, String)>,
}

impl EngagementPage {
    fn health(&self, row: &EngagementRow) -> &'static str {
        row.current.health.label(self.ctx.lang)
    }

    fn number(&self, value: &i64) -> String {
        display::integer(self.ctx.lang, *value)
    }

    fn cell(&self, value: &samverkan_report::Value) -> String {
        display::value(self.ctx.lang, value)
    }

    /// The two day fields: id, label, the value as typed.
    fn day_fields(&self) -> [(&'static str, &'static str, &str); 2] {
        [
            ("from", self.ctx.t.from_day, &self.from),
            ("to", self.ctx.t.to_day, &self.to),
        ]
    }
}

/// The columns, each with the figure it sorts by.
const COLUMNS: [(Label, EngagementSort); 8] = [
    (Label::Organisation, EngagementSort::Name),
    (Label::Meetings, EngagementSort::MeetingsEngaged),
    (Label::MeetingsHosted, EngagementSort::MeetingsHosted),
    (Label::PartnerDays, EngagementSort::PartnerDays),
    (
        Label::RepresentativesEngaged,
        EngagementSort::RepresentativesEngaged,
    ),
    (Label::Presentations, EngagementSort::Presentations),
    (Label::OpenFollowUps, EngagementSort::FollowUpsOpen),
    (Label::LastMeeting, EngagementSort::LastMeetingOn),
];

/// This year; the last 12 months; the last whole quarter.
fn quick_picks(today: NaiveDate) -> [(NaiveDate, NaiveDate); 3] {
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let twelve_months = today
        .checked_sub_months(Months::new(12))
        .and_then(|day| day.succ_opt())
        .unwrap_or(today);
    let quarter_start_month = (today.month0() / 3) * 3 + 1;
    let this_quarter = NaiveDate::from_ymd_opt(today.year(), quarter_start_month, 1).unwrap_or(today);
    let last_quarter_start = this_quarter
        .checked_sub_months(Months::new(3))
        .unwrap_or(this_quarter);
    let last_quarter_end = this_quarter.pred_opt().unwrap_or(this_quarter);
    [
        (year_start, today),
        (twelve_months, today),
        (last_quarter_start, last_quarter_end),
    ]
}

/// "+1 mot föregående period (0)": the change in words, signed, as the
/// reports write it.
pub(crate) fn change_text(ctx: &Ctx, now: i64, before: i64) -> String {
    samverkan_report::Change::of_counts(ctx.lang, now, before).text
}

#[handler]
pub async fn page(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    thresholds: Data<&HealthThresholds>,
    Query(query): Query<EngagementQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadReports)?;
    let t = ctx.t;
    let lang = ctx.lang;
    let today = time::today();
    let picks = quick_picks(today);
    let mut errors = FieldErrors::default();
    let from = day_filter(query.from.as_deref(), "from", &mut errors, t.enter_a_date);
    let to = day_filter(query.to.as_deref(), "to", &mut errors, t.enter_a_date);
    let (default_from, default_to) = picks[0];
    let period = if errors.is_empty() {
        match Period::parse(Some(from.unwrap_or(default_from)), Some(to.unwrap_or(default_to))) {
            Ok(period) => Some(period),
            Err(_) => {
                errors.add("to", t.period_invalid);
                None
            }
        }
    } else {
        None
    };
    let sort = match query.sort.as_deref().filter(|sort| !sort.is_empty()) {
        Some(raw) => EngagementSort::parse("sort", raw).map_err(|_| PageError::BadRequest)?,
        None => EngagementSort::MeetingsEngaged,
    };
    let order = match query.order.as_deref().filter(|order| !order.is_empty()) {
        Some(raw) => SortOrder::parse("order", raw).map_err(|_| PageError::BadRequest)?,
        None if sort == EngagementSort::Name => SortOrder::Asc,
        None => SortOrder::Desc,
    };
    let from_text = query.from.clone().unwrap_or_else(|| default_from.to_string());
    let to_text = query.to.clone().unwrap_or_else(|| default_to.to_string());
    let Some(period) = period else {
        return Ok(render(
            &EngagementPage {
                ctx: ctx.at(Section::Engagement),
                from: from_text,
                to: to_text,
                period_text: String::new(),
                picks: pick_links(&ctx, &picks, None),
                errors,
                tiles: Vec::new(),
                charts: Vec::new(),
                columns: Vec::new(),
                rows: Vec::new(),
                pager: Pager::default(),
                downloads: Vec::new(),
            },
            StatusCode::BAD_REQUEST,
        ));
    };
    let summary = store
        .engagement_summary(&period, today, &thresholds)
        .await
        .map_err(PageError::Store)?;
    let filter = EngagementFilter {
        sort,
        order,
        ..EngagementFilter::default()
    };
    let rows = store
        .engagement(&period, today, &thresholds, &filter, &query.page.request()?)
        .await
        .map_err(PageError::Store)?;
    let period_query = |extra: &[(&str, &str)]| {
        let mut address = ListAddress::new("/engagement")
            .with("from", Some(period.from()))
            .with("to", Some(period.to()));
        for (name, value) in extra {
            address = address.with(name_static(name), Some(*value));
        }
        address
    };
    let address = period_query(&[("sort", sort.as_str()), ("order", order.as_str())]);
    let pager = Pager::new(&address, &rows);
    let (now, before) = (&summary.totals, &summary.previous_totals);
    let tiles = [
        (Label::Meetings, now.meetings, before.meetings),
        (Label::PartnerDays, now.partner_days, before.partner_days),
        (
            Label::OrganisationsEngaged,
            now.organisations_engaged,
            before.organisations_engaged,
        ),
        (
            Label::RepresentativesEngaged,
            now.representatives_engaged,
            before.representatives_engaged,
        ),
        (Label::FollowUpsDone, now.follow_ups_done, before.follow_ups_done),
    ]
    .into_iter()
    .map(|(label, now, before)| Tile {
        label: label.text(lang),
        value: display::integer(lang, now),
        change: change_text(&ctx, now, before),
    })
    .collect();
    let charts = samverkan_report::engagement::charts(&summary, &summary.most_engaged, lang)
        .into_iter()
        .map(|chart: Chart| {
            let svgs = samverkan_report::svg::render(lang, &chart)
                .map_err(|error| PageError::Internal(error.to_string()))?;
            Ok(DrawnChart {
                title: chart.title.clone(),
                table: chart.as_table(),
                svgs,
            })
        })
        .collect::<Result<Vec<_>, PageError>>()?;
    let columns = COLUMNS
        .iter()
        .map(|(label, column_sort)| {
            let current = *column_sort == sort;
            // A click on the sorted column turns the order round.
            let next_order = match (current, order, column_sort) {
                (true, SortOrder::Desc, _) => SortOrder::Asc,
                (true, SortOrder::Asc, _) => SortOrder::Desc,
                (false, _, EngagementSort::Name) => SortOrder::Asc,
                (false, _, _) => SortOrder::Desc,
            };
            Column {
                label: label.text(lang),
                href: period_query(&[("sort", column_sort.as_str()), ("order", next_order.as_str())])
                    .href(None),
                sorted: current.then_some(match order {
                    SortOrder::Asc => "ascending",
                    SortOrder::Desc => "descending",
                }),
            }
        })
        .collect();
    let downloads: Vec<(&'static str, String)> = [
        Format::Html,
        Format::Pdf,
        Format::Xlsx,
        Format::Csv,
        Format::Md,
        Format::Json,
    ]
    .into_iter()
    .map(|format| {
        let label = match format {
            Format::Html => t.download_html,
            Format::Xlsx => t.download_xlsx,
            Format::Csv => t.download_csv,
            Format::Md => t.download_md,
            Format::Json => t.download_json,
            Format::Pdf => t.download_pdf,
        };
        let href = ListAddress::new(format!("/engagement/report.{}", format.as_str()))
            .with("from", Some(period.from()))
            .with("to", Some(period.to()))
            .href(None);
        (label, href)
    })
    .collect();
    let downloads: Vec<(&'static str, String)> = downloads
        .into_iter()
        .chain(
            [ExportFormat::Csv, ExportFormat::Ndjson]
                .into_iter()
                .map(|format| {
                    let label = match format {
                        ExportFormat::Csv => t.download_attendances_csv,
                        _ => t.download_attendances_ndjson,
                    };
                    let href = ListAddress::new(format!("/engagement/attendances.{}", format.as_str()))
                        .with("from", Some(period.from()))
                        .with("to", Some(period.to()))
                        .href(None);
                    (label, href)
                }),
        )
        .collect();
    Ok(render(
        &EngagementPage {
            ctx: ctx.at(Section::Engagement),
            from: period.from().to_string(),
            to: period.to().to_string(),
            period_text: samverkan_report::labels::period(lang, period.from(), period.to()),
            picks: pick_links(&ctx, &picks, Some(&period)),
            errors,
            tiles,
            charts,
            columns,
            rows: rows.items,
            pager,
            downloads,
        },
        StatusCode::OK,
    ))
}

/// The names of the parameters the page keeps in its links.
fn name_static(name: &str) -> &'static str {
    match name {
        "sort" => "sort",
        "order" => "order",
        _ => "",
    }
}

fn pick_links(ctx: &Ctx, picks: &[(NaiveDate, NaiveDate); 3], period: Option<&Period>) -> Vec<QuickPick> {
    let labels = [ctx.t.this_year, ctx.t.last_twelve_months, ctx.t.last_quarter];
    picks
        .iter()
        .zip(labels)
        .map(|((from, to), label)| QuickPick {
            label,
            href: format!("/engagement?from={from}&to={to}"),
            current: period.is_some_and(|period| period.from() == *from && period.to() == *to),
        })
        .collect()
}

/// `/engagement/report.{csv,xlsx,html,md,json,pdf}?from&to`: the engagement
/// report of the period, in the reader's language.
#[handler]
pub async fn report(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    thresholds: Data<&HealthThresholds>,
    Path(extension): Path<String>,
    Query(query): Query<EngagementQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadReports)?;
    let format = Format::ALL
        .into_iter()
        .find(|format| format.as_str() == extension)
        .ok_or(PageError::NotFound)?;
    let from = parse_day(query.from.as_deref())?;
    let to = parse_day(query.to.as_deref())?;
    let period = Period::parse(from, to).map_err(|_| PageError::BadRequest)?;
    let data = store
        .engagement_report(&period, time::today(), &thresholds, |_| ())
        .await
        .map_err(PageError::Store)?;
    let lang = ctx.lang;
    let stem = samverkan_report::engagement::file_stem(period.from(), period.to(), lang);
    Ok(downloads::document(
        move || samverkan_report::engagement::engagement(&data, lang),
        format,
        &stem,
    )
    .await?)
}

/// `/engagement/attendances.{csv,ndjson}?from&to`: every attendance of the
/// period, streamed as it is read (the API's export, for people who are
/// signed in rather than holding a token).
#[handler]
pub async fn attendances(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(extension): Path<String>,
    Query(query): Query<EngagementQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadReports)?;
    let format = ExportFormat::parse(&extension).ok_or(PageError::NotFound)?;
    let from = parse_day(query.from.as_deref())?;
    let to = parse_day(query.to.as_deref())?;
    let period = Period::parse(from, to).map_err(|_| PageError::BadRequest)?;
    let batches = Box::pin(store.attendance_export(period.from(), period.to(), DEFAULT_EXPORT_BATCH));
    let chunks = samverkan_report::export::stream(format, batches)
        .await
        .map_err(|error| match error {
            ExportStart::Read(error) => PageError::Store(error),
            ExportStart::Write(error) => PageError::Internal(error.to_string()),
        })?;
    let stem = format!("attendances-{}-{}", period.from(), period.to());
    Ok(Response::builder()
        .content_type(format.content_type())
        .header(
            poem::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{}\"", format.as_str()),
        )
        .body(poem::Body::from_bytes_stream(chunks)))
}
