//! Values as text for readers (HTML, Markdown, chart labels, XLSX column
//! widths), in the conventions of the report's language: Swedish writes
//! 1 234,5 and 25 %, English 1,234.5 and 25%. Dates are ISO 8601 in both
//! (the Swedish standard form, and unambiguous in English); instants are
//! shown in Stockholm time.

use samverkan_domain::time;

use crate::labels::Lang;
use crate::model::Value;

/// No-break space: a Swedish thousands separator that never wraps.
const NBSP: char = '\u{a0}';

/// A value as a reader sees it.
pub fn value(lang: Lang, value: &Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(text) => text.clone(),
        Value::Integer(number) => integer(lang, *number),
        Value::Decimal { number, places } => decimal(lang, *number, *places),
        Value::Percent(share) => {
            let number = decimal(lang, share * 100.0, percent_places(*share));
            match lang {
                Lang::Sv => format!("{number}{NBSP}%"),
                Lang::En => format!("{number}%"),
            }
        }
        Value::Date(date) => date.format("%Y-%m-%d").to_string(),
        Value::Instant(instant) => instant
            .with_timezone(&time::ZONE)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    }
}

/// A headline figure's value: as [`value`], but "–" where there is none,
/// so that a tile is never blank.
pub fn figure(lang: Lang, figure: &Value) -> String {
    match figure {
        Value::Empty => "–".to_owned(),
        figure => value(lang, figure),
    }
}

/// A whole number with thousands grouped.
pub fn integer(lang: Lang, number: i64) -> String {
    let digits = number.unsigned_abs().to_string();
    let grouped = group(&digits, thousands_separator(lang));
    if number < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with `places` decimals, thousands grouped.
pub fn decimal(lang: Lang, number: f64, places: u8) -> String {
    if !number.is_finite() {
        return String::new();
    }
    let places = usize::from(places);
    let fixed = format!("{:.places$}", number.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut text = group(whole, thousands_separator(lang));
    if !fraction.is_empty() {
        text.push(match lang {
            Lang::Sv => ',',
            Lang::En => '.',
        });
        text.push_str(fraction);
    }
    // "-0,0" reads as a mistake: a value that rounds to zero has no sign.
    let rounds_to_zero = fixed.chars().all(|c| c == '0' || c == '.');
    if number < 0.0 && !rounds_to_zero {
        format!("-{text}")
    } else {
        text
    }
}

/// Whole percentages without decimals, others with one: "25 %", "12,5 %".
pub fn percent_places(share: f64) -> u8 {
    let percent = share * 100.0;
    if (percent - percent.round()).abs() < 1e-9 {
        0
    } else {
        1
    }
}

const fn thousands_separator(lang: Lang) -> char {
    match lang {
        Lang::Sv => NBSP,
        Lang::En => ',',
    }
}

fn group(digits: &str, separator: char) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;

    #[test]
    fn swedish_numbers_use_spaces_and_a_decimal_comma() {
        assert_eq!(integer(Lang::Sv, 1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(integer(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(integer(Lang::Sv, -1000), "-1\u{a0}000");
        assert_eq!(integer(Lang::En, 999), "999");
        assert_eq!(decimal(Lang::Sv, 1234.56, 1), "1\u{a0}234,6");
        assert_eq!(decimal(Lang::En, 1234.56, 2), "1,234.56");
        assert_eq!(decimal(Lang::Sv, -0.01, 1), "0,0");
        assert_eq!(decimal(Lang::En, f64::NAN, 1), "");
    }

    #[test]
    fn percentages_follow_the_language() {
        assert_eq!(value(Lang::Sv, &Value::Percent(0.25)), "25\u{a0}%");
        assert_eq!(value(Lang::En, &Value::Percent(0.255)), "25.5%");
        assert_eq!(value(Lang::Sv, &Value::Percent(0.125)), "12,5\u{a0}%");
    }

    #[test]
    fn instants_are_shown_in_stockholm_time() {
        let instant = "2024-04-26T07:30:00Z".parse::<chrono::DateTime<Utc>>().unwrap();
        assert_eq!(value(Lang::Sv, &Value::Instant(instant)), "2024-04-26 09:30");
        let date = NaiveDate::from_ymd_opt(2024, 4, 26).unwrap();
        assert_eq!(value(Lang::En, &Value::Date(date)), "2024-04-26");
    }
}
