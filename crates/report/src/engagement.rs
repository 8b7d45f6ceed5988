//! The engagement report, as a [`Document`]: for leadership, how the
//! partner organisations took part over a period.
//!
//! - **Figures:** meetings, partner days, organisations and representatives
//!   engaged, follow-up completion, open and overdue follow-ups; the first
//!   five each followed by its change against the previous period of equal
//!   length.
//! - **Meetings per month** (first sheet): a column chart, months named in
//!   the report's language.
//! - **Engagement by partner** (sheet "Partner"): every organisation of the
//!   period, most engaged first (the table CSV holds), and a bar chart of the
//!   [`CHART_PARTNERS`] most engaged.
//! - **Open follow-ups by owner** (a sheet of its own): the follow-up
//!   summary by owner as it stands on the as-of day, owners with nothing
//!   open left out. It counts every open follow-up an owner has, not only
//!   those from the period's meetings: what is still to do is what
//!   leadership chases.
//! - **One sheet per partner** (workbook only) for the [`PARTNER_SHEETS`]
//!   most engaged: each figure this period, the previous one and the change.

use std::collections::HashSet;

use chrono::NaiveDate;
use samverkan_domain::{
    EngagementFigures, EngagementReportData, EngagementRow, EngagementSummary, FollowUpSummary,
};

use crate::labels::{self, Label, Lang, Translated};
use crate::model::{Block, Change, Chart, ChartKind, Document, Figure, Section, Series, Table, Value};

/// How many partners the bar chart shows: more bars than fit a printed page
/// say nothing; the table lists them all.
pub const CHART_PARTNERS: usize = 15;

/// How many partners get a sheet of their own in the workbook: a workbook
/// with thousands of sheets cannot be browsed; the "Partner" sheet lists
/// them all.
pub const PARTNER_SHEETS: usize = 50;

/// The engagement report, in `lang`, of what the store read
/// (`Store::engagement_report`).
pub fn engagement(data: &EngagementReportData, lang: Lang) -> Document {
    let summary = &data.summary;
    let mut document = Document::new(lang, Label::EngagementReport.text(lang));
    document.subtitle = Some(labels::period(lang, summary.from, summary.to));
    document.figures = figures(summary, lang);
    document.sections.push(meetings_per_month(summary, lang));
    document.sections.push(by_partner(&data.rows, lang));
    document.sections.push(open_follow_ups(&data.follow_ups, lang));
    document.sections.extend(partner_sheets(&data.rows, lang));
    document
}

/// An ASCII file name, without extension:
/// `engagemang-2025-01-01-2025-03-31` / `engagement-2025-01-01-2025-03-31`.
pub fn file_stem(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let word = match lang {
        Lang::Sv => "engagemang",
        Lang::En => "engagement",
    };
    format!("{word}-{from}-{to}")
}

/// One figure each, its change beside it: meetings, partner days,
/// organisations and representatives engaged and follow-up completion
/// against the previous period; then open and overdue follow-ups, which
/// are a state on the as-of day and compare with nothing.
fn figures(summary: &EngagementSummary, lang: Lang) -> Vec<Figure> {
    let (now, before) = (&summary.totals, &summary.previous_totals);
    let mut figures: Vec<Figure> = [
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
    ]
    .into_iter()
    .map(|(label, now, before)| {
        Figure::new(label.text(lang), Value::Integer(now)).with_change(Change::of_counts(lang, now, before))
    })
    .collect();
    figures.push(
        Figure::new(Label::CompletionRate.text(lang), percent(now.completion_rate)).with_change(
            Change::of_shares(lang, now.completion_rate, before.completion_rate),
        ),
    );
    for (label, value) in [
        (Label::OpenFollowUps, now.follow_ups_open),
        (Label::Overdue, now.follow_ups_overdue),
    ] {
        figures.push(Figure::new(label.text(lang), Value::Integer(value)));
    }
    figures
}

fn percent(share: Option<f64>) -> Value {
    share.map_or(Value::Empty, Value::Percent)
}

#[allow(clippy::cast_precision_loss)] // counts are far below 2^52
fn chart_number(count: i64) -> f64 {
    count as f64
}

/// The charts of the engagement report, as a page shows them beside its
/// own figures: meetings per month of the summary, and the most engaged of
/// `most_engaged` (rows most engaged first, as `Store::engagement` lists
/// them by meetings engaged, descending; only the first
/// [`CHART_PARTNERS`] with a meeting count). Draw them with
/// [`crate::svg::render`].
pub fn charts(summary: &EngagementSummary, most_engaged: &[EngagementRow], lang: Lang) -> Vec<Chart> {
    let mut charts = vec![meetings_per_month_chart(summary, lang)];
    charts.extend(partner_chart(most_engaged, lang));
    charts
}

fn meetings_per_month(summary: &EngagementSummary, lang: Lang) -> Section {
    Section::new(Label::MeetingsPerMonth.text(lang)).with(meetings_per_month_chart(summary, lang))
}

fn meetings_per_month_chart(summary: &EngagementSummary, lang: Lang) -> Chart {
    Chart {
        title: Label::MeetingsPerMonth.text(lang).to_owned(),
        kind: ChartKind::Column,
        category_label: Label::Month.text(lang).to_owned(),
        categories: summary
            .meetings_per_month
            .iter()
            .map(|month| labels::month_of_year(lang, month.year, month.month))
            .collect(),
        series: vec![Series {
            name: Label::Meetings.text(lang).to_owned(),
            values: summary
                .meetings_per_month
                .iter()
                .map(|month| chart_number(month.meetings))
                .collect(),
        }],
    }
}

/// The per-partner table's columns, in order.
const PARTNER_COLUMNS: [Label; 15] = [
    Label::Organisation,
    Label::Meetings,
    Label::MeetingsHosted,
    Label::MeetingsAttended,
    Label::PartnerDays,
    Label::RepresentativesEngaged,
    Label::Presentations,
    Label::FollowUpsOpened,
    Label::FollowUpsDone,
    Label::OpenFollowUps,
    Label::Overdue,
    Label::CompletionRate,
    Label::LastMeeting,
    Label::Health,
    Label::Change,
];

fn by_partner(rows: &[EngagementRow], lang: Lang) -> Section {
    let section = Section::new(Label::EngagementByPartner.text(lang)).on_sheet(Label::Partner.text(lang));
    let mut table = Table::new(PARTNER_COLUMNS.iter().map(|label| label.text(lang))).primary();
    for row in rows {
        let now = &row.current;
        table.push(vec![
            Value::text(row.name.clone()),
            Value::Integer(now.meetings_engaged),
            Value::Integer(now.meetings_hosted),
            Value::Integer(now.meetings_attended),
            Value::Integer(now.partner_days),
            Value::Integer(now.representatives_engaged),
            Value::Integer(now.presentations),
            Value::Integer(now.follow_ups_opened),
            Value::Integer(now.follow_ups_done),
            Value::Integer(now.follow_ups_open),
            Value::Integer(now.follow_ups_overdue),
            percent(now.completion_rate),
            now.last_meeting_on.map_or(Value::Empty, Value::Date),
            Value::text(now.health.label(lang)),
            Value::Integer(row.change.meetings_engaged),
        ]);
    }
    // The table stays when it is empty: it is what CSV holds, and a header
    // alone says "no partners" to a program.
    let section = section.with(table);
    match partner_chart(rows, lang) {
        Some(chart) => section.with(chart),
        None => section,
    }
}

/// The bar chart of the [`CHART_PARTNERS`] most engaged of `rows` (most
/// engaged first); none when no partner met.
fn partner_chart(rows: &[EngagementRow], lang: Lang) -> Option<Chart> {
    let charted: Vec<&EngagementRow> = rows
        .iter()
        .filter(|row| row.current.meetings_engaged > 0)
        .take(CHART_PARTNERS)
        .collect();
    if charted.is_empty() {
        return None;
    }
    Some(Chart {
        title: format!(
            "{} ({} {})",
            Label::EngagementByPartner.text(lang),
            Label::Top.text(lang),
            charted.len()
        ),
        kind: ChartKind::Bar,
        category_label: Label::Partner.text(lang).to_owned(),
        categories: charted.iter().map(|row| row.name.clone()).collect(),
        series: vec![Series {
            name: Label::Meetings.text(lang).to_owned(),
            values: charted
                .iter()
                .map(|row| chart_number(row.current.meetings_engaged))
                .collect(),
        }],
    })
}

fn open_follow_ups(follow_ups: &FollowUpSummary, lang: Lang) -> Section {
    let section =
        Section::new(Label::OpenFollowUpsByOwner.text(lang)).on_sheet(Label::OpenFollowUps.text(lang));
    let owners: Vec<_> = follow_ups
        .by_owner
        .iter()
        .filter(|owner| owner.open > 0)
        .collect();
    if owners.is_empty() {
        return section.with(Block::Paragraph {
            text: Label::Nothing.text(lang).to_owned(),
        });
    }
    let mut table = Table::new(
        [
            Label::Owner,
            Label::OpenFollowUps,
            Label::Overdue,
            Label::OldestOverdue,
            Label::Due,
        ]
        .iter()
        .map(|label| label.text(lang)),
    );
    for owner in owners {
        let oldest = owner.oldest_overdue.as_ref();
        table.push(vec![
            Value::text(
                owner
                    .name
                    .clone()
                    .unwrap_or_else(|| Label::NoOwner.text(lang).to_owned()),
            ),
            Value::Integer(owner.open),
            Value::Integer(owner.overdue),
            Value::optional_text(oldest.map(|item| item.title.clone())),
            oldest.map_or(Value::Empty, |item| Value::Date(item.due_on)),
        ]);
    }
    section.with(table)
}

/// A sheet for each of the most engaged partners, named after it (made
/// unique here; the workbook writer makes it a valid sheet name).
fn partner_sheets(rows: &[EngagementRow], lang: Lang) -> Vec<Section> {
    let mut taken: HashSet<String> = [
        Label::Summary.text(lang),
        Label::Partner.text(lang),
        Label::OpenFollowUps.text(lang),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    rows.iter()
        .filter(|row| row.current.meetings_engaged > 0)
        .take(PARTNER_SHEETS)
        .map(|row| {
            let mut sheet = row.name.clone();
            let mut n = 1;
            while !taken.insert(sheet.clone()) {
                n += 1;
                sheet = format!("{} ({n})", row.name);
            }
            Section::new(row.name.clone())
                .workbook_only(sheet)
                .with(partner_figures(row, lang))
        })
        .collect()
}

/// Reads one count from a period's figures.
type Count = fn(&EngagementFigures) -> i64;

fn partner_figures(row: &EngagementRow, lang: Lang) -> Table {
    let mut table = Table::new(
        [
            Label::Figure,
            Label::ThisPeriod,
            Label::PreviousPeriod,
            Label::Change,
        ]
        .iter()
        .map(|label| label.text(lang)),
    );
    let counts: [(Label, Count); 10] = [
        (Label::Meetings, |f| f.meetings_engaged),
        (Label::MeetingsHosted, |f| f.meetings_hosted),
        (Label::MeetingsAttended, |f| f.meetings_attended),
        (Label::PartnerDays, |f| f.partner_days),
        (Label::RepresentativesEngaged, |f| f.representatives_engaged),
        (Label::Presentations, |f| f.presentations),
        (Label::FollowUpsOpened, |f| f.follow_ups_opened),
        (Label::FollowUpsDone, |f| f.follow_ups_done),
        (Label::OpenFollowUps, |f| f.follow_ups_open),
        (Label::Overdue, |f| f.follow_ups_overdue),
    ];
    for (label, figure) in counts {
        let (now, before) = (figure(&row.current), figure(&row.previous));
        table.push(vec![
            Value::text(label.text(lang)),
            Value::Integer(now),
            Value::Integer(before),
            Value::Integer(now - before),
        ]);
    }
    let both = |now: Option<f64>, before: Option<f64>| now.zip(before).map(|(now, before)| now - before);
    let (now, before) = (&row.current, &row.previous);
    table.push(vec![
        Value::text(Label::CompletionRate.text(lang)),
        percent(now.completion_rate),
        percent(before.completion_rate),
        percent(both(now.completion_rate, before.completion_rate)),
    ]);
    let days = |days: Option<f64>| days.map_or(Value::Empty, |number| Value::Decimal { number, places: 1 });
    table.push(vec![
        Value::text(Label::MedianDaysToComplete.text(lang)),
        days(now.median_days_to_complete),
        days(before.median_days_to_complete),
        days(both(now.median_days_to_complete, before.median_days_to_complete)),
    ]);
    let date = |day: Option<NaiveDate>| day.map_or(Value::Empty, Value::Date);
    table.push(vec![
        Value::text(Label::FirstMeeting.text(lang)),
        date(now.first_meeting_on),
        date(before.first_meeting_on),
    ]);
    table.push(vec![
        Value::text(Label::LastMeeting.text(lang)),
        date(now.last_meeting_on),
        date(before.last_meeting_on),
    ]);
    table.push(vec![
        Value::text(Label::DaysSinceLastMeeting.text(lang)),
        now.days_since_last_meeting.map_or(Value::Empty, Value::Integer),
        before
            .days_since_last_meeting
            .map_or(Value::Empty, Value::Integer),
    ]);
    table.push(vec![
        Value::text(Label::Health.text(lang)),
        Value::text(now.health.label(lang)),
        Value::text(before.health.label(lang)),
    ]);
    table
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};
    use samverkan_domain::{
        EngagementChange, EngagementCounts, EngagementTotals, FollowUpTally, HealthThresholds, MonthCount,
        OrganisationId, OverdueItem, RepresentativeId,
    };
    use uuid::Uuid;

    use super::*;
    use crate::{Format, render};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn row(n: u128, name: &str, engaged: i64, previously: i64) -> EngagementRow {
        let as_of = date(2025, 3, 31);
        let counts = |engaged: i64| EngagementCounts {
            meetings_hosted: engaged / 2,
            meetings_attended: engaged - engaged / 2,
            meetings_engaged: engaged,
            partner_days: engaged / 3,
            first_meeting_at: (engaged > 0).then(|| "2024-02-01T09:00:00Z".parse().unwrap()),
            last_meeting_at: (engaged > 0).then(|| "2025-03-20T09:00:00Z".parse().unwrap()),
            representatives_engaged: engaged * 2,
            presentations: engaged,
            follow_ups_opened: 4,
            follow_ups_cancelled: 0,
            follow_ups_done: 1,
            follow_ups_open: 3,
            follow_ups_overdue: 1,
            median_days_to_complete_x2: Some(15),
        };
        let thresholds = HealthThresholds::default();
        let current = EngagementFigures::new(&counts(engaged), as_of, &thresholds);
        let previous = EngagementFigures::new(&counts(previously), date(2024, 12, 31), &thresholds);
        EngagementRow {
            organisation_id: OrganisationId::from(Uuid::from_u128(n)),
            name: name.to_owned(),
            change: EngagementChange::between(&current, &previous),
            current,
            previous,
        }
    }

    fn totals(meetings: i64, rate: f64) -> EngagementTotals {
        EngagementTotals {
            meetings,
            partner_days: 2,
            organisations_engaged: 3,
            representatives_engaged: 17,
            follow_ups_opened: 12,
            follow_ups_cancelled: 0,
            follow_ups_done: 3,
            follow_ups_open: 9,
            follow_ups_overdue: 4,
            completion_rate: Some(rate),
            median_days_to_complete: Some(7.5),
        }
    }

    struct Fixture {
        rows: Vec<EngagementRow>,
        summary: EngagementSummary,
        follow_ups: FollowUpSummary,
    }

    impl Fixture {
        fn new(rows: Vec<EngagementRow>) -> Self {
            let month = |month, meetings| MonthCount {
                year: 2025,
                month,
                meetings,
            };
            Self {
                rows,
                summary: EngagementSummary {
                    from: date(2025, 1, 1),
                    to: date(2025, 3, 31),
                    as_of: date(2025, 3, 31),
                    totals: totals(42, 0.25),
                    previous_totals: totals(40, 0.5),
                    top_tags: Vec::new(),
                    most_engaged: Vec::new(),
                    least_engaged: Vec::new(),
                    meetings_per_month: vec![month(1, 10), month(2, 0), month(3, 32)],
                },
                follow_ups: FollowUpSummary {
                    as_of: date(2025, 3, 31),
                    by_owner: vec![
                        FollowUpTally {
                            id: Some(RepresentativeId::from(Uuid::from_u128(100))),
                            name: Some("Lena Lindhé".into()),
                            open: 5,
                            overdue: 2,
                            done_last_30_days: 1,
                            oldest_overdue: Some(OverdueItem {
                                id: Uuid::from_u128(200).into(),
                                title: "Boka nästa träff".into(),
                                due_on: date(2025, 2, 14),
                            }),
                        },
                        FollowUpTally {
                            id: None,
                            name: None,
                            open: 1,
                            overdue: 0,
                            done_last_30_days: 0,
                            oldest_overdue: None,
                        },
                        FollowUpTally {
                            id: Some(RepresentativeId::from(Uuid::from_u128(101))),
                            name: Some("Klar Person".into()),
                            open: 0,
                            overdue: 0,
                            done_last_30_days: 3,
                            oldest_overdue: None,
                        },
                    ],
                    by_organisation: Vec::new(),
                },
            }
        }

        fn standard() -> Self {
            Self::new(vec![
                row(1, "Högskolan Väst", 12, 8),
                row(2, "Företag \"Ö, Å\" AB", 5, 7),
                row(3, "Kommun: [Trollhättan]?", 1, 0),
                row(4, "Vilande förening", 0, 2),
            ])
        }

        fn document(&self, lang: Lang) -> Document {
            let data = EngagementReportData {
                rows: self.rows.clone(),
                summary: self.summary.clone(),
                follow_ups: self.follow_ups.clone(),
            };
            engagement(&data, lang)
        }
    }

    #[test]
    fn the_csv_parses_back_to_the_rows_figures() {
        let fixture = Fixture::standard();
        let bytes = render(&fixture.document(Lang::Sv), Format::Csv).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let text = text
            .strip_prefix('\u{feff}')
            .expect("a byte order mark for Excel");
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        let expected: Vec<&str> = PARTNER_COLUMNS.iter().map(|l| l.text(Lang::Sv)).collect();
        assert_eq!(header, expected);
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), fixture.rows.len());
        for (record, row) in records.iter().zip(&fixture.rows) {
            let number = |i: usize| record[i].parse::<i64>().unwrap();
            assert_eq!(&record[0], row.name);
            assert_eq!(number(1), row.current.meetings_engaged);
            assert_eq!(number(2), row.current.meetings_hosted);
            assert_eq!(number(3), row.current.meetings_attended);
            assert_eq!(number(4), row.current.partner_days);
            assert_eq!(number(5), row.current.representatives_engaged);
            assert_eq!(number(10), row.current.follow_ups_overdue);
            assert_eq!(
                record[11].parse::<f64>().unwrap(),
                row.current.completion_rate.unwrap()
            );
            assert_eq!(
                record[12].to_owned(),
                row.current
                    .last_meeting_on
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            );
            assert_eq!(&record[13], row.current.health.label(Lang::Sv));
            assert_eq!(number(14), row.change.meetings_engaged);
        }
    }

    #[test]
    fn the_workbook_has_a_summary_the_partners_follow_ups_and_a_sheet_per_partner() {
        let fixture = Fixture::standard();
        let bytes = render(&fixture.document(Lang::Sv), Format::Xlsx).unwrap();
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        let names = workbook.sheet_names();
        // The partner that did not meet gets no sheet; forbidden characters go.
        assert_eq!(
            names,
            [
                "Sammanfattning",
                "Partner",
                "Öppna uppföljningar",
                "Högskolan Väst",
                "Företag \"Ö, Å\" AB",
                "Kommun   Trollhättan"
            ]
        );
        let summary = workbook.worksheet_range("Sammanfattning").unwrap();
        let cells: Vec<&[Data]> = summary.rows().collect();
        let figure = |label: &str, col: usize| {
            cells
                .iter()
                .find(|row| row.first() == Some(&Data::String(label.into())))
                .map(|row| row[col].clone())
        };
        // A figure's row: the figure, its change and the previous figure.
        assert_eq!(figure("Mått", 2), Some(Data::String("Förändring".into())));
        assert_eq!(figure("Möten", 1), Some(Data::Float(42.0)));
        assert_eq!(figure("Möten", 2), Some(Data::Float(2.0)));
        assert_eq!(figure("Möten", 3), Some(Data::Float(40.0)));
        assert_eq!(
            figure("Möten", 4),
            Some(Data::String("+2 mot föregående period (40)".into()))
        );
        let figure = |label: &str| figure(label, 1);
        assert_eq!(figure("Andel klara uppföljningar"), Some(Data::Float(0.25)));
        assert!(
            cells
                .iter()
                .any(|row| row.first() == Some(&Data::String("mars 2025".into())))
        );

        let partners = workbook.worksheet_range("Partner").unwrap();
        let rows: Vec<&[Data]> = partners.rows().collect();
        assert_eq!(rows[1][0], Data::String("Organisation".into()));
        assert_eq!(rows[2][0], Data::String("Högskolan Väst".into()));
        assert_eq!(rows[2][1], Data::Float(12.0));
        assert!(matches!(rows[2][12], Data::DateTime(_)), "{:?}", rows[2][12]);

        let sheet = workbook.worksheet_range("Högskolan Väst").unwrap();
        let rows: Vec<&[Data]> = sheet.rows().collect();
        assert_eq!(
            rows[1][..4],
            [
                Data::String("Mått".into()),
                Data::String("Perioden".into()),
                Data::String("Föregående period".into()),
                Data::String("Förändring".into()),
            ]
        );
        assert_eq!(
            rows[2][..4],
            [
                Data::String("Möten".into()),
                Data::Float(12.0),
                Data::Float(8.0),
                Data::Float(4.0),
            ]
        );

        let follow_ups = workbook.worksheet_range("Öppna uppföljningar").unwrap();
        let rows: Vec<&[Data]> = follow_ups.rows().collect();
        assert_eq!(rows[2][0], Data::String("Lena Lindhé".into()));
        assert_eq!(rows[2][1], Data::Float(5.0));
        assert_eq!(rows[3][0], Data::String("Utan ansvarig".into()));
        assert_eq!(rows.len(), 4, "owners with nothing open are left out");

        let chart = crate::xlsx::tests::part(&bytes, "xl/charts/chart1.xml");
        assert!(chart.contains("Möten per månad"), "{chart}");
        let bars = crate::xlsx::tests::part(&bytes, "xl/charts/chart2.xml");
        assert!(bars.contains("Högskolan Väst"), "the bar chart: {bars}");
    }

    #[test]
    fn names_like_formulas_are_inert_in_the_csv_and_text_in_the_workbook() {
        let hyperlink = "=HYPERLINK(\"http://evil.example/\")";
        let fixture = Fixture::new(vec![row(1, hyperlink, 2, 5), row(2, "=1+2", 1, 0)]);
        let document = fixture.document(Lang::En);

        let bytes = render(&document, Format::Csv).unwrap();
        let text = std::str::from_utf8(&bytes)
            .unwrap()
            .trim_start_matches('\u{feff}');
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let record = |name: &str| {
            records
                .iter()
                .find(|record| record[0] == format!("'{name}"))
                .unwrap_or_else(|| panic!("{name} prefixed with ' in {records:?}"))
        };
        assert_eq!(&record(hyperlink)[14], "-3", "a change figure stays a number");
        assert_eq!(&record("=1+2")[14], "1");

        let bytes = render(&document, Format::Xlsx).unwrap();
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let partners = workbook.worksheet_range("Partner").unwrap();
        let names: Vec<&Data> = partners.rows().skip(2).map(|row| &row[0]).collect();
        assert!(names.contains(&&Data::String(hyperlink.into())), "{names:?}");
        assert!(names.contains(&&Data::String("=1+2".into())), "{names:?}");
        for sheet in workbook.sheet_names() {
            let formulas = workbook.worksheet_formula(&sheet).unwrap();
            assert!(
                formulas.used_cells().all(|(_, _, formula)| formula.is_empty()),
                "{sheet} holds a formula"
            );
        }
    }

    #[test]
    fn partner_sheets_are_capped_and_unique() {
        let rows: Vec<EngagementRow> = (0..70)
            .map(|n| row(n, "Samma namn", 70 - i64::try_from(n).unwrap(), 0))
            .collect();
        let fixture = Fixture::new(rows);
        let document = fixture.document(Lang::En);
        let sheets: Vec<&str> = document
            .sections
            .iter()
            .filter(|s| s.workbook_only)
            .filter_map(|s| s.sheet.as_deref())
            .collect();
        assert_eq!(sheets.len(), PARTNER_SHEETS);
        assert_eq!(sheets[..3], ["Samma namn", "Samma namn (2)", "Samma namn (3)"]);
        let bytes = render(&document, Format::Xlsx).unwrap();
        let workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        assert_eq!(workbook.sheet_names().len(), 3 + PARTNER_SHEETS);
        let chart = document.sections[1]
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Chart(chart) => Some(chart),
                _ => None,
            })
            .unwrap();
        assert_eq!(chart.categories.len(), CHART_PARTNERS);
        assert_eq!(chart.title, "Engagement by partner (top 15)");
    }

    #[test]
    fn the_page_holds_the_figures_and_two_valid_charts() {
        let fixture = Fixture::standard();
        let bytes = render(&fixture.document(Lang::Sv), Format::Html).unwrap();
        let page = String::from_utf8(bytes).unwrap();
        assert!(page.contains("Engagemangsrapport"));
        assert!(page.contains("1 januari 2025 – 31 mars 2025"));
        assert!(page.contains("Engagerade företrädare"));
        assert!(page.contains("25\u{a0}%"), "completion as a Swedish share");
        assert!(page.contains("Lena Lindhé"));
        assert!(page.contains("Boka nästa träff"));
        assert!(
            !page.contains("Föregående period"),
            "per-partner sheets are for the workbook"
        );
        assert!(!page.contains("<link") && !page.contains("<script"));
        let svgs = crate::html::tests::svgs(&page);
        assert_eq!(svgs.len(), 2);
        for svg in &svgs {
            roxmltree::Document::parse(svg).unwrap();
        }
        assert!(svgs[0].contains("mars 2025"));
        assert!(svgs[1].contains("Högskolan Väst"));
    }

    /// The engagement report's PDF, in both languages, holds every
    /// figure, change, heading, partner and cell of the page formats.
    #[test]
    fn the_pdf_holds_the_whole_report() {
        let fixture = Fixture::standard();
        for lang in Lang::ALL {
            let document = fixture.document(lang);
            let back = crate::pdf::tests::read_back(&render(&document, Format::Pdf).unwrap());
            assert_eq!(back.lang.as_deref(), Some(lang.as_str()));
            assert!(
                back.sizes.iter().any(|(w, h)| w > h),
                "the partner table is on a landscape page"
            );
            let text = crate::pdf::tests::squeeze(&back.text);
            for expected in crate::pdf::tests::texts_of(&document) {
                let expected = crate::pdf::tests::squeeze(&expected);
                assert!(text.contains(&expected), "{lang:?}: {expected:?} missing");
            }
        }
    }

    #[test]
    fn the_charts_alone_are_the_documents_charts() {
        let fixture = Fixture::standard();
        for lang in [Lang::Sv, Lang::En] {
            let in_document: Vec<Chart> = fixture
                .document(lang)
                .sections
                .iter()
                .flat_map(|section| &section.blocks)
                .filter_map(|block| match block {
                    Block::Chart(chart) => Some(chart.clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(charts(&fixture.summary, &fixture.rows, lang), in_document);
            // The summary's few most engaged make the same chart, shorter.
            let few = charts(&fixture.summary, &fixture.rows[..2], lang);
            assert_eq!(few[1].categories, ["Högskolan Väst", "Företag \"Ö, Å\" AB"]);
        }
        let nobody = charts(&fixture.summary, &[], Lang::Sv);
        assert_eq!(nobody.len(), 1, "no partner chart without partners");
    }

    #[test]
    fn markdown_and_json_hold_the_same_report() {
        let fixture = Fixture::standard();
        let document = fixture.document(Lang::En);
        let md = String::from_utf8(render(&document, Format::Md).unwrap()).unwrap();
        assert!(md.contains("# Engagement report"));
        assert!(md.contains("March 2025"));
        assert!(md.contains("Högskolan Väst"));
        assert!(md.contains("Open follow-ups by owner"));
        let json: serde_json::Value =
            serde_json::from_slice(&render(&document, Format::Json).unwrap()).unwrap();
        assert_eq!(json["lang"], "en");
        assert_eq!(json["title"], "Engagement report");
        assert_eq!(
            json["figures"][0],
            serde_json::json!({
                "label": "Meetings",
                "value": {"type": "integer", "value": 42},
                "change": {
                    "difference": {"type": "integer", "value": 2},
                    "previous": {"type": "integer", "value": 40},
                    "direction": "up",
                    "text": "+2 against the previous period (40)"
                }
            })
        );
        assert!(md.contains("- **Meetings:** 42 (+2 against the previous period (40))\n"));
        let partners = &json["sections"][1]["blocks"][0];
        assert_eq!(partners["primary"], true);
        assert_eq!(partners["rows"].as_array().unwrap().len(), 4);
        assert_eq!(partners["rows"][0][0]["value"], "Högskolan Väst");
    }

    #[test]
    fn every_label_and_month_follows_the_language() {
        let fixture = Fixture::standard();
        let sv = fixture.document(Lang::Sv);
        let en = fixture.document(Lang::En);
        assert_eq!(sv.subtitle.as_deref(), Some("1 januari 2025 – 31 mars 2025"));
        assert_eq!(en.subtitle.as_deref(), Some("1 January 2025 – 31 March 2025"));
        let months = |document: &Document| match &document.sections[0].blocks[0] {
            Block::Chart(chart) => chart.categories.clone(),
            other => panic!("a chart, not {other:?}"),
        };
        assert_eq!(months(&sv), ["januari 2025", "februari 2025", "mars 2025"]);
        assert_eq!(months(&en), ["January 2025", "February 2025", "March 2025"]);
        let headings = |document: &Document| {
            document
                .sections
                .iter()
                .take(3)
                .map(|s| s.heading.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            headings(&sv),
            [
                "Möten per månad",
                "Engagemang per partner",
                "Öppna uppföljningar per ansvarig"
            ]
        );
        assert_eq!(
            headings(&en),
            [
                "Meetings per month",
                "Engagement by partner",
                "Open follow-ups by owner"
            ]
        );
        for (sv, en) in sv.figures.iter().zip(&en.figures) {
            assert_ne!(sv.label, en.label);
            assert_eq!(sv.value, en.value);
            if let (Some(sv), Some(en)) = (&sv.change, &en.change) {
                assert_ne!(sv.text, en.text);
                assert_eq!(sv.difference, en.difference);
            }
        }
        assert_eq!(
            file_stem(date(2025, 1, 1), date(2025, 3, 31), Lang::Sv),
            "engagemang-2025-01-01-2025-03-31"
        );
    }
}
