//! Engagement: how much each organisation took part in partnership work
//! over a period, and how its follow-ups stand. The store counts; this
//! module holds the period arithmetic, the figures derived from the counts
//! (rates, medians, days since), and the health label. Every figure is
//! defined in `docs/engagement.md`.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};

use crate::{FollowUpId, Health, OrganisationId, RepresentativeId, ValidationErrors, time};

/// The longest period a client may ask for, in years: long enough for any
/// review, short enough to bound the work (and `meetings_per_month`).
pub const MAX_PERIOD_YEARS: u32 = 10;

/// A span of Stockholm calendar days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    /// Checks a client's `from` and `to`: both present, within the dates the
    /// model accepts, `from <= to`, and less than [`MAX_PERIOD_YEARS`] apart.
    pub fn parse(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut checked = |field: &str, date: Option<NaiveDate>| match date {
            None => {
                errors.add(field, "is required (a date, YYYY-MM-DD)");
                None
            }
            Some(date) => errors.collect(time::check_date(field, date)).map(|()| date),
        };
        let (from, to) = (checked("from", from), checked("to", to));
        let (Some(from), Some(to)) = (from, to) else {
            return Err(errors);
        };
        if to < from {
            errors.add("to", "must not be before from");
        } else if from
            .checked_add_months(Months::new(12 * MAX_PERIOD_YEARS))
            .is_none_or(|limit| to >= limit)
        {
            errors.add(
                "to",
                format!("must be less than {MAX_PERIOD_YEARS} years after from"),
            );
        }
        errors.finish(|| Self { from, to })
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// How many days it spans, both ends counted.
    pub fn days(&self) -> u64 {
        u64::try_from((self.to - self.from).num_days() + 1).unwrap_or(1)
    }

    /// The period of equal length that ends the day before this one begins.
    pub fn previous(&self) -> Self {
        let to = self.from.pred_opt().unwrap_or(NaiveDate::MIN);
        let from = to
            .checked_sub_days(Days::new(self.days() - 1))
            .unwrap_or(NaiveDate::MIN);
        Self { from, to }
    }

    /// The first instant of the period: Stockholm midnight starting `from`.
    pub fn starts_at(&self) -> DateTime<Utc> {
        time::day_start(self.from)
    }

    /// The first instant after the period (it is half-open:
    /// `starts_at <= t < ends_at`).
    pub fn ends_at(&self) -> DateTime<Utc> {
        time::day_end(self.to)
    }

    /// The day follow-ups are judged on and "days since" counted from: the
    /// period's last day, or `today` if that comes first (a period that runs
    /// into the future is judged as things stand).
    pub fn as_of(&self, today: NaiveDate) -> NaiveDate {
        self.to.min(today)
    }

    /// The calendar months the period touches, each cut to the period.
    pub fn months(&self) -> Vec<Month> {
        let mut months = Vec::new();
        let mut first = self.from;
        while first <= self.to {
            let next_month = first
                .with_day(1)
                .and_then(|start| start.checked_add_months(Months::new(1)))
                .unwrap_or(NaiveDate::MAX);
            let last = next_month.pred_opt().unwrap_or(NaiveDate::MAX).min(self.to);
            months.push(Month {
                year: first.year(),
                month: first.month(),
                starts_at: time::day_start(first),
                ends_at: time::day_end(last),
            });
            first = next_month;
        }
        months
    }
}

/// One calendar month of a period, as instants (`starts_at <= t < ends_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// When an organisation counts as `new`, `active`, `cooling` or `dormant`,
/// in days before the as-of day (see [`Period::as_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthThresholds {
    /// `new`: its first meeting ever was at most this many days ago.
    pub new_days: u32,
    /// `active`: its last meeting was at most this many days ago.
    pub active_days: u32,
    /// `cooling`: its last meeting was at most this many days ago (and more
    /// than `active_days`); beyond it, or with no meeting at all, `dormant`.
    pub cooling_days: u32,
}

impl Default for HealthThresholds {
    /// A quarter for `new` and `active`, half a year for `cooling`: partner
    /// days and steering groups come around once or twice a term.
    fn default() -> Self {
        Self {
            new_days: 90,
            active_days: 90,
            cooling_days: 180,
        }
    }
}

impl HealthThresholds {
    /// The most days any threshold may span (ten years).
    pub const MAX_DAYS: u32 = 3_660;

    /// Checks the thresholds: each 0 to [`Self::MAX_DAYS`], and
    /// `active_days <= cooling_days`.
    pub fn new(new_days: u32, active_days: u32, cooling_days: u32) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        for (field, days) in [
            ("new_days", new_days),
            ("active_days", active_days),
            ("cooling_days", cooling_days),
        ] {
            if days > Self::MAX_DAYS {
                errors.add(field, format!("must be at most {}", Self::MAX_DAYS));
            }
        }
        if active_days > cooling_days {
            errors.add("cooling_days", "must not be less than active_days");
        }
        errors.finish(|| Self {
            new_days,
            active_days,
            cooling_days,
        })
    }

    /// The label for an organisation whose first and last meetings (up to
    /// the as-of day) were on these days. `new` wins over the others.
    pub fn label(&self, as_of: NaiveDate, first: Option<NaiveDate>, last: Option<NaiveDate>) -> Health {
        let (Some(first), Some(last)) = (first, last) else {
            return Health::Dormant;
        };
        let ago = |day: NaiveDate| (as_of - day).num_days();
        if ago(first) <= i64::from(self.new_days) {
            Health::New
        } else if ago(last) <= i64::from(self.active_days) {
            Health::Active
        } else if ago(last) <= i64::from(self.cooling_days) {
            Health::Cooling
        } else {
            Health::Dormant
        }
    }
}

/// What the database counts for one organisation and one period; the input
/// of [`EngagementFigures::new`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EngagementCounts {
    pub meetings_hosted: i64,
    pub meetings_attended: i64,
    pub meetings_engaged: i64,
    pub partner_days: i64,
    /// The first and last meeting it hosted or attended, ever, up to the end
    /// of the as-of day.
    pub first_meeting_at: Option<DateTime<Utc>>,
    pub last_meeting_at: Option<DateTime<Utc>>,
    pub representatives_engaged: i64,
    pub presentations: i64,
    pub follow_ups_opened: i64,
    pub follow_ups_cancelled: i64,
    pub follow_ups_done: i64,
    pub follow_ups_open: i64,
    pub follow_ups_overdue: i64,
    /// Twice the median of days to complete, so that it is an integer on
    /// both backends (the mean of the two middle values may end in .5).
    pub median_days_to_complete_x2: Option<i64>,
}

impl EngagementCounts {
    /// `done / (opened - cancelled)`, 0 to 1; `None` when nothing is left to
    /// complete.
    pub fn completion_rate(&self) -> Option<f64> {
        let to_complete = self.follow_ups_opened - self.follow_ups_cancelled;
        #[allow(clippy::cast_precision_loss)] // counts are far below 2^52
        (to_complete > 0).then(|| self.follow_ups_done as f64 / to_complete as f64)
    }

    pub fn median_days_to_complete(&self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss)]
        self.median_days_to_complete_x2.map(|x2| x2 as f64 / 2.0)
    }
}

/// One organisation's engagement in one period. See `docs/engagement.md`
/// for exactly what each figure counts.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementFigures {
    /// Meetings in the period it hosted (not cancelled).
    pub meetings_hosted: i64,
    /// Meetings in the period it attended, itself or through a person
    /// acting for it (attendance `attended`; not cancelled).
    pub meetings_attended: i64,
    /// Meetings in the period it hosted or attended, each counted once.
    pub meetings_engaged: i64,
    /// Partner days among `meetings_engaged`.
    pub partner_days: i64,
    /// The Stockholm day of its first meeting ever, up to the as-of day.
    pub first_meeting_on: Option<NaiveDate>,
    /// The Stockholm day of its last meeting, up to the as-of day.
    pub last_meeting_on: Option<NaiveDate>,
    /// Days from `last_meeting_on` to the as-of day.
    pub days_since_last_meeting: Option<i64>,
    /// Distinct people who attended a meeting of the period for it.
    pub representatives_engaged: i64,
    /// Agenda items of the period's meetings presented by its people.
    pub presentations: i64,
    /// Follow-ups it answers for, from meetings of the period.
    pub follow_ups_opened: i64,
    /// Of those, cancelled.
    pub follow_ups_cancelled: i64,
    /// Of those, done by the end of the as-of day.
    pub follow_ups_done: i64,
    /// Of those, neither cancelled nor done by the end of the as-of day.
    pub follow_ups_open: i64,
    /// Of the open ones, due before the as-of day.
    pub follow_ups_overdue: i64,
    /// `follow_ups_done / (follow_ups_opened - follow_ups_cancelled)`, 0 to
    /// 1; `None` when nothing is left to complete.
    pub completion_rate: Option<f64>,
    /// The median of whole days from meeting start to `completed_at`, over
    /// the done follow-ups.
    pub median_days_to_complete: Option<f64>,
    /// Judged on the as-of day.
    pub health: Health,
}

impl EngagementFigures {
    /// Derives the figures from the counts of one period, judged on `as_of`.
    pub fn new(counts: &EngagementCounts, as_of: NaiveDate, thresholds: &HealthThresholds) -> Self {
        let first_meeting_on = counts.first_meeting_at.map(time::local_date);
        let last_meeting_on = counts.last_meeting_at.map(time::local_date);
        Self {
            meetings_hosted: counts.meetings_hosted,
            meetings_attended: counts.meetings_attended,
            meetings_engaged: counts.meetings_engaged,
            partner_days: counts.partner_days,
            first_meeting_on,
            last_meeting_on,
            days_since_last_meeting: last_meeting_on.map(|last| (as_of - last).num_days()),
            representatives_engaged: counts.representatives_engaged,
            presentations: counts.presentations,
            follow_ups_opened: counts.follow_ups_opened,
            follow_ups_cancelled: counts.follow_ups_cancelled,
            follow_ups_done: counts.follow_ups_done,
            follow_ups_open: counts.follow_ups_open,
            follow_ups_overdue: counts.follow_ups_overdue,
            completion_rate: counts.completion_rate(),
            median_days_to_complete: counts.median_days_to_complete(),
            health: thresholds.label(as_of, first_meeting_on, last_meeting_on),
        }
    }
}

/// This period's figures minus the previous period's.
#[derive(Debug, Clone, PartialEq)]
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
    /// `None` unless both periods have a rate.
    pub completion_rate: Option<f64>,
    /// `None` unless both periods have a median.
    pub median_days_to_complete: Option<f64>,
}

impl EngagementChange {
    pub fn between(current: &EngagementFigures, previous: &EngagementFigures) -> Self {
        let both = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
        Self {
            meetings_hosted: current.meetings_hosted - previous.meetings_hosted,
            meetings_attended: current.meetings_attended - previous.meetings_attended,
            meetings_engaged: current.meetings_engaged - previous.meetings_engaged,
            partner_days: current.partner_days - previous.partner_days,
            representatives_engaged: current.representatives_engaged - previous.representatives_engaged,
            presentations: current.presentations - previous.presentations,
            follow_ups_opened: current.follow_ups_opened - previous.follow_ups_opened,
            follow_ups_done: current.follow_ups_done - previous.follow_ups_done,
            follow_ups_open: current.follow_ups_open - previous.follow_ups_open,
            follow_ups_overdue: current.follow_ups_overdue - previous.follow_ups_overdue,
            completion_rate: both(current.completion_rate, previous.completion_rate),
            median_days_to_complete: both(current.median_days_to_complete, previous.median_days_to_complete),
        }
    }
}

/// One organisation's engagement: this period, the previous one of equal
/// length, and the change. A row of `GET /api/v1/engagement`.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementRow {
    pub organisation_id: OrganisationId,
    pub name: String,
    pub current: EngagementFigures,
    pub previous: EngagementFigures,
    pub change: EngagementChange,
}

/// The figures of a period across all organisations.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementTotals {
    /// Meetings in the period, not cancelled.
    pub meetings: i64,
    /// Partner days among them.
    pub partner_days: i64,
    /// Organisations that hosted or attended one of them.
    pub organisations_engaged: i64,
    /// People who attended one of them.
    pub representatives_engaged: i64,
    /// Follow-ups of those meetings, judged as for [`EngagementFigures`]
    /// (every follow-up of those meetings, whether or not an organisation
    /// answers for it).
    pub follow_ups_opened: i64,
    pub follow_ups_cancelled: i64,
    pub follow_ups_done: i64,
    pub follow_ups_open: i64,
    pub follow_ups_overdue: i64,
    pub completion_rate: Option<f64>,
    pub median_days_to_complete: Option<f64>,
}

/// How many of the period's meetings carried a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    pub tag: String,
    pub meetings: i64,
}

/// How many meetings (not cancelled) began in a calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthCount {
    pub year: i32,
    pub month: u32,
    pub meetings: i64,
}

/// `GET /api/v1/engagement/summary`: the period at a glance.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub totals: EngagementTotals,
    pub previous_totals: EngagementTotals,
    /// The most used tags of the period's meetings, most used first.
    pub top_tags: Vec<TagCount>,
    /// Live organisations with the most meetings engaged, most first.
    pub most_engaged: Vec<EngagementRow>,
    /// Live organisations with the fewest meetings engaged, fewest first.
    pub least_engaged: Vec<EngagementRow>,
    /// Every month the period touches, in order, zeros included.
    pub meetings_per_month: Vec<MonthCount>,
}

/// The oldest overdue follow-up of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueItem {
    pub id: FollowUpId,
    pub title: String,
    pub due_on: NaiveDate,
}

/// How the follow-ups of one owner (or one organisation) stand on a day.
/// `id` is `None` for the follow-ups that have no owner (organisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpTally<Id> {
    pub id: Option<Id>,
    pub name: Option<String>,
    pub open: i64,
    pub overdue: i64,
    pub done_last_30_days: i64,
    pub oldest_overdue: Option<OverdueItem>,
}

/// `GET /api/v1/follow-ups/summary`: follow-ups by owner and by
/// organisation, as they stood on `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpSummary {
    pub as_of: NaiveDate,
    pub by_owner: Vec<FollowUpTally<RepresentativeId>>,
    pub by_organisation: Vec<FollowUpTally<OrganisationId>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn period(from: NaiveDate, to: NaiveDate) -> Period {
        Period::parse(Some(from), Some(to)).unwrap()
    }

    fn fields(errors: &ValidationErrors) -> Vec<&str> {
        errors.errors().iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_period_needs_both_ends_in_order_and_within_ten_years() {
        assert_eq!(fields(&Period::parse(None, None).unwrap_err()), ["from", "to"]);
        let backwards = Period::parse(Some(date(2024, 5, 1)), Some(date(2024, 4, 30)));
        assert_eq!(fields(&backwards.unwrap_err()), ["to"]);
        assert_eq!(period(date(2024, 4, 26), date(2024, 4, 26)).days(), 1);
        assert!(Period::parse(Some(date(2014, 1, 1)), Some(date(2023, 12, 31))).is_ok());
        let too_long = Period::parse(Some(date(2014, 1, 1)), Some(date(2024, 1, 1)));
        assert_eq!(fields(&too_long.unwrap_err()), ["to"]);
        let ancient = Period::parse(Some(date(999, 1, 1)), Some(date(1000, 1, 1)));
        assert_eq!(fields(&ancient.unwrap_err()), ["from"]);
    }

    #[test]
    fn the_previous_period_has_equal_length_and_ends_the_day_before() {
        let year = period(date(2024, 1, 1), date(2024, 12, 31));
        assert_eq!(year.days(), 366);
        let previous = year.previous();
        // 2024 is a leap year: 366 days back from 2024-01-01 is 2022-12-31.
        assert_eq!(
            (previous.from(), previous.to()),
            (date(2022, 12, 31), date(2023, 12, 31))
        );
        assert_eq!(previous.days(), 366);
        let leap_day = period(date(2024, 2, 29), date(2024, 3, 1)).previous();
        assert_eq!(
            (leap_day.from(), leap_day.to()),
            (date(2024, 2, 27), date(2024, 2, 28))
        );
    }

    #[test]
    fn period_bounds_are_stockholm_midnights_across_daylight_saving() {
        // Summer time begins 2024-03-31, ends 2024-10-27.
        let march = period(date(2024, 3, 1), date(2024, 3, 31));
        assert_eq!(march.starts_at().to_rfc3339(), "2024-02-29T23:00:00+00:00");
        assert_eq!(march.ends_at().to_rfc3339(), "2024-03-31T22:00:00+00:00");
        let october = period(date(2024, 10, 1), date(2024, 10, 31));
        assert_eq!(october.starts_at().to_rfc3339(), "2024-09-30T22:00:00+00:00");
        assert_eq!(october.ends_at().to_rfc3339(), "2024-10-31T23:00:00+00:00");
        // 23:30 on the last day, in winter, is 22:30 UTC: inside.
        let late = "2024-10-31T22:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert!(october.starts_at() <= late && late < october.ends_at());
    }

    #[test]
    fn months_are_cut_to_the_period() {
        let months = period(date(2024, 1, 15), date(2024, 3, 10)).months();
        let spans: Vec<(i32, u32)> = months.iter().map(|m| (m.year, m.month)).collect();
        assert_eq!(spans, [(2024, 1), (2024, 2), (2024, 3)]);
        assert_eq!(months[0].starts_at, time::day_start(date(2024, 1, 15)));
        assert_eq!(months[0].ends_at, months[1].starts_at);
        assert_eq!(months[1].ends_at, time::day_start(date(2024, 3, 1)));
        assert_eq!(months[2].ends_at, time::day_end(date(2024, 3, 10)));
        let december = period(date(2023, 12, 31), date(2024, 1, 1)).months();
        assert_eq!(december.len(), 2);
    }

    #[test]
    fn the_as_of_day_is_the_period_end_or_today_if_earlier() {
        let year = period(date(2024, 1, 1), date(2024, 12, 31));
        assert_eq!(year.as_of(date(2026, 1, 1)), date(2024, 12, 31));
        assert_eq!(year.as_of(date(2024, 6, 1)), date(2024, 6, 1));
    }

    #[test]
    fn health_labels_change_exactly_at_the_thresholds() {
        let thresholds = HealthThresholds::default();
        let as_of = date(2024, 12, 31);
        let days_ago = |days: u64| Some(as_of - Days::new(days));
        let long_ago = days_ago(1_000);
        assert_eq!(thresholds.label(as_of, None, None), Health::Dormant);
        assert_eq!(thresholds.label(as_of, long_ago, days_ago(0)), Health::Active);
        assert_eq!(thresholds.label(as_of, long_ago, days_ago(90)), Health::Active);
        assert_eq!(thresholds.label(as_of, long_ago, days_ago(91)), Health::Cooling);
        assert_eq!(thresholds.label(as_of, long_ago, days_ago(180)), Health::Cooling);
        assert_eq!(thresholds.label(as_of, long_ago, days_ago(181)), Health::Dormant);
        assert_eq!(thresholds.label(as_of, days_ago(90), days_ago(90)), Health::New);
        assert_eq!(
            thresholds.label(as_of, days_ago(91), days_ago(10)),
            Health::Active
        );
        let custom = HealthThresholds::new(0, 30, 60).unwrap();
        assert_eq!(custom.label(as_of, days_ago(1), days_ago(1)), Health::Active);
        assert_eq!(custom.label(as_of, days_ago(0), days_ago(0)), Health::New);
        assert_eq!(custom.label(as_of, long_ago, days_ago(31)), Health::Cooling);
    }

    #[test]
    fn thresholds_must_be_ordered_and_bounded() {
        assert_eq!(
            fields(&HealthThresholds::new(90, 200, 100).unwrap_err()),
            ["cooling_days"]
        );
        assert_eq!(
            fields(&HealthThresholds::new(4_000, 90, 180).unwrap_err()),
            ["new_days"]
        );
    }

    #[test]
    fn figures_derive_rates_medians_and_days_since() {
        let counts = EngagementCounts {
            meetings_engaged: 2,
            first_meeting_at: Some("2023-01-10T09:00:00Z".parse().unwrap()),
            // 23:30 in Stockholm on 2024-04-25 is the 25th, not the 26th.
            last_meeting_at: Some("2024-04-25T21:30:00Z".parse().unwrap()),
            follow_ups_opened: 5,
            follow_ups_cancelled: 1,
            follow_ups_done: 3,
            median_days_to_complete_x2: Some(7),
            ..EngagementCounts::default()
        };
        let figures = EngagementFigures::new(&counts, date(2024, 4, 30), &HealthThresholds::default());
        assert_eq!(figures.last_meeting_on, Some(date(2024, 4, 25)));
        assert_eq!(figures.days_since_last_meeting, Some(5));
        assert_eq!(figures.completion_rate, Some(0.75));
        assert_eq!(figures.median_days_to_complete, Some(3.5));
        assert_eq!(figures.health, Health::Active);
        let none = EngagementFigures::new(
            &EngagementCounts::default(),
            date(2024, 4, 30),
            &HealthThresholds::default(),
        );
        assert_eq!((none.completion_rate, none.median_days_to_complete), (None, None));
        let change = EngagementChange::between(&figures, &none);
        assert_eq!(change.meetings_engaged, 2);
        assert_eq!(change.completion_rate, None);
    }
}
