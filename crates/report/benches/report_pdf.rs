//! The engagement report as PDF beside the same report as HTML, for 2,000
//! partners, in one run: both are written from one `Document`, so the ratio
//! is what the PDF's layout, shaping, font subsetting and tagging cost
//! beyond the page. The target is at most 3 times the HTML's time.
//!
//! Run with `taskset -c 1 cargo bench -p samverkan-report --bench
//! report_pdf` (a pure function: one pinned core). Environment variables:
//! `SAMVERKAN_PDF_PARTNERS` (2000), `SAMVERKAN_PDF_RUNS` (5). Without
//! `--bench` (as `cargo test --benches` runs it) it makes a smoke run with
//! 20 partners and one run, checking only that both formats are written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use samverkan_domain::{
    EngagementChange, EngagementCounts, EngagementFigures, EngagementReportData, EngagementRow,
    EngagementSummary, EngagementTotals, FollowUpSummary, FollowUpTally, HealthThresholds, MonthCount,
    OrganisationId,
};
use samverkan_report::{Format, Lang};
use uuid::Uuid;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const NAMES: [&str; 6] = [
    "Högskolan Väst",
    "Trollhättans stad",
    "Kunskapsförbundet Väst",
    "Västra Götalandsregionen, regional utveckling",
    "Företagsskolan i Älvängen AB",
    "Ängens förskola och fritidshem",
];

/// Partners shaped like real ones: most met a little, a few a lot, a
/// third not at all in the period.
fn row(n: usize) -> EngagementRow {
    let engaged = i64::try_from((n * 7919) % 23).unwrap() - 7;
    let engaged = engaged.max(0);
    let counts = |engaged: i64| EngagementCounts {
        meetings_hosted: engaged / 2,
        meetings_attended: engaged - engaged / 2,
        meetings_engaged: engaged,
        partner_days: engaged / 3,
        first_meeting_at: (engaged > 0).then(|| "2024-02-01T09:00:00Z".parse().unwrap()),
        last_meeting_at: (engaged > 0).then(|| "2024-11-20T09:00:00Z".parse().unwrap()),
        representatives_engaged: engaged * 2,
        presentations: engaged / 2,
        follow_ups_opened: engaged,
        follow_ups_cancelled: 0,
        follow_ups_done: engaged / 2,
        follow_ups_open: engaged - engaged / 2,
        follow_ups_overdue: engaged / 4,
        median_days_to_complete_x2: (engaged > 1).then_some(15),
    };
    let thresholds = HealthThresholds::default();
    let current = EngagementFigures::new(&counts(engaged), date(2024, 12, 31), &thresholds);
    let previous = EngagementFigures::new(&counts(engaged / 2), date(2023, 12, 31), &thresholds);
    EngagementRow {
        organisation_id: OrganisationId::from(Uuid::from_u128(n as u128 + 1)),
        name: format!("{} {n}", NAMES[n % NAMES.len()]),
        change: EngagementChange::between(&current, &previous),
        current,
        previous,
    }
}

fn totals(meetings: i64) -> EngagementTotals {
    EngagementTotals {
        meetings,
        partner_days: meetings / 10,
        organisations_engaged: meetings / 3,
        representatives_engaged: meetings,
        follow_ups_opened: meetings,
        follow_ups_cancelled: 0,
        follow_ups_done: meetings / 2,
        follow_ups_open: meetings / 2,
        follow_ups_overdue: meetings / 5,
        completion_rate: Some(0.5),
        median_days_to_complete: Some(7.5),
    }
}

fn data(partners: usize) -> EngagementReportData {
    let mut rows: Vec<EngagementRow> = (0..partners).map(row).collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.current.meetings_engaged));
    EngagementReportData {
        rows,
        summary: EngagementSummary {
            from: date(2024, 1, 1),
            to: date(2024, 12, 31),
            as_of: date(2024, 12, 31),
            totals: totals(1200),
            previous_totals: totals(1100),
            top_tags: Vec::new(),
            most_engaged: Vec::new(),
            least_engaged: Vec::new(),
            meetings_per_month: (1..=12)
                .map(|month| MonthCount {
                    year: 2024,
                    month,
                    meetings: i64::from(month) * 9,
                })
                .collect(),
        },
        follow_ups: FollowUpSummary {
            as_of: date(2024, 12, 31),
            by_owner: (0..40)
                .map(|i| FollowUpTally {
                    id: None,
                    name: Some(format!("Ansvarig Åström {i}")),
                    open: 3,
                    overdue: 1,
                    done_last_30_days: 1,
                    oldest_overdue: None,
                })
                .collect(),
            by_organisation: Vec::new(),
        },
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (partners, runs) = if smoke {
        (20, 1)
    } else {
        (
            number("SAMVERKAN_PDF_PARTNERS", 2000),
            number("SAMVERKAN_PDF_RUNS", 5),
        )
    };
    let data = data(partners);
    let document = samverkan_report::engagement::engagement(&data, Lang::Sv);
    let (mut html, mut pdf) = (Vec::new(), Vec::new());
    let (mut html_bytes, mut pdf_bytes) = (0, 0);
    // Alternating, so that both see the same machine.
    for _ in 0..runs {
        let start = Instant::now();
        html_bytes = samverkan_report::render(&document, Format::Html).unwrap().len();
        html.push(start.elapsed());
        let start = Instant::now();
        pdf_bytes = samverkan_report::render(&document, Format::Pdf).unwrap().len();
        pdf.push(start.elapsed());
    }
    assert!(html_bytes > 0 && pdf_bytes > 0);
    if smoke {
        println!("report_pdf smoke run: html {html_bytes} B, pdf {pdf_bytes} B");
        return;
    }
    let (html, pdf) = (median(html), median(pdf));
    let ratio = pdf.as_secs_f64() / html.as_secs_f64();
    println!("engagement report, {partners} partners, median of {runs} runs\n");
    println!("| format | time | size |\n| --- | ---: | ---: |");
    println!(
        "| html | {:.1} ms | {:.0} KiB |",
        html.as_secs_f64() * 1e3,
        html_bytes as f64 / 1024.0
    );
    println!(
        "| pdf | {:.1} ms | {:.0} KiB |",
        pdf.as_secs_f64() * 1e3,
        pdf_bytes as f64 / 1024.0
    );
    println!(
        "\npdf / html: {ratio:.2} (target at most 3): {}",
        if ratio <= 3.0 { "met" } else { "missed" }
    );
}
