//! Time: instants are UTC; calendar days are Europe/Stockholm days.

use chrono::{DateTime, Days, NaiveDate, SubsecRound, TimeZone, Utc};
use chrono_tz::{Europe::Stockholm, Tz};

/// The time zone every day boundary is drawn in.
pub const ZONE: Tz = Stockholm;

/// The Stockholm calendar date of an instant.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&ZONE).date_naive()
}

/// The first and last dates the model accepts: far beyond any real meeting,
/// and well inside what both databases and chrono can represent.
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1000, 1, 1).unwrap_or(NaiveDate::MIN)
}

pub fn latest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// Checks that a date lies between [`earliest_date`] and [`latest_date`].
pub fn check_date(field: &str, date: NaiveDate) -> Result<(), crate::FieldError> {
    if (earliest_date()..=latest_date()).contains(&date) {
        Ok(())
    } else {
        Err(crate::FieldError::new(
            field,
            format!("must be between {} and {}", earliest_date(), latest_date()),
        ))
    }
}

/// Checks that an instant falls on a date [`check_date`] accepts.
pub fn check_instant(field: &str, instant: DateTime<Utc>) -> Result<(), crate::FieldError> {
    check_date(field, local_date(instant))
}

/// The current instant, to the microsecond: the precision both databases
/// keep, so that what is written reads back equal.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Today, in Stockholm.
pub fn today() -> NaiveDate {
    local_date(Utc::now())
}

/// The instant a Stockholm day begins. Midnight exists on every Swedish day
/// (daylight saving shifts at 02:00 and 03:00), so the earliest mapping is
/// taken only as a guard.
pub fn day_start(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    match ZONE.from_local_datetime(&midnight).earliest() {
        Some(local) => local.with_timezone(&Utc),
        None => midnight.and_utc(),
    }
}

/// The instant a Stockholm clock shows `time` on `date`; in the hour that
/// daylight saving skips, none (the clock never shows it), and in the hour
/// it repeats, the first.
pub fn at_local(date: NaiveDate, time: chrono::NaiveTime) -> Option<DateTime<Utc>> {
    ZONE.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|local| local.with_timezone(&Utc))
}

/// The instant a Stockholm day ends (the start of the next day), so that
/// "on `date`" is `day_start(date) <= t < day_end(date)`.
pub fn day_end(date: NaiveDate) -> DateTime<Utc> {
    day_start(date.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_seed_day_starts_at_22_utc_the_day_before() {
        // 2024-04-26 is summer time (UTC+2).
        assert_eq!(
            day_start(date(2024, 4, 26)).to_rfc3339(),
            "2024-04-25T22:00:00+00:00"
        );
        assert_eq!(
            day_end(date(2024, 4, 26)).to_rfc3339(),
            "2024-04-26T22:00:00+00:00"
        );
    }

    #[test]
    fn dates_must_be_plausible() {
        assert!(check_date("due_on", date(2024, 4, 26)).is_ok());
        assert!(check_date("due_on", date(999, 12, 31)).is_err());
        assert!(check_date("due_on", date(10_000, 1, 1)).is_err());
        assert!(check_instant("starts_at", "+10000-01-01T00:00:00Z".parse().unwrap()).is_err());
    }

    #[test]
    fn late_evening_belongs_to_the_stockholm_day() {
        let instant = "2024-12-31T23:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(local_date(instant), date(2025, 1, 1));
    }

    #[test]
    fn days_around_daylight_saving_changes_have_23_and_25_hours() {
        let spring = day_end(date(2024, 3, 31)) - day_start(date(2024, 3, 31));
        let autumn = day_end(date(2024, 10, 27)) - day_start(date(2024, 10, 27));
        assert_eq!(spring.num_hours(), 23);
        assert_eq!(autumn.num_hours(), 25);
    }
}
