//! Validated values with a format of their own: organisation numbers, e-mail
//! addresses, phone numbers, web sites.

use std::fmt;
use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

use crate::error::FieldError;
use crate::text::normalize_line;

macro_rules! string_value {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// A Swedish organisation number (organisationsnummer), `NNNNNN-NNNN`, whose
/// last digit is the Luhn check digit of the first nine.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrganisationNumber(String);
string_value!(OrganisationNumber);

impl OrganisationNumber {
    /// Accepts `NNNNNN-NNNN` or the ten digits alone, and stores the first.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        let digits: String = trimmed.chars().filter(|c| *c != '-').collect();
        let well_formed = digits.len() == 10
            && digits.chars().all(|c| c.is_ascii_digit())
            && (trimmed.len() == 10 || trimmed.find('-') == Some(6) && trimmed.len() == 11);
        if !well_formed {
            return Err(FieldError::new(field, "must be ten digits, written NNNNNN-NNNN"));
        }
        if !luhn_valid(&digits) {
            return Err(FieldError::new(field, "the check digit does not match (Luhn)"));
        }
        Ok(Self(format!("{}-{}", &digits[..6], &digits[6..])))
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An e-mail address (RFC 5322 syntax, checked by `email_address`), with its
/// domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);
string_value!(Email);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        // Composed like every other text, so that one address typed two ways
        // is one user (`users.email_folded`).
        let composed: String = raw.trim().nfc().collect();
        let trimmed = composed.as_str();
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(field, "must be at most 254 characters"));
        }
        let parsed = email_address::EmailAddress::from_str(trimmed)
            .map_err(|error| FieldError::new(field, format!("is not an e-mail address: {error}")))?;
        if parsed.display_part() != "" || !parsed.domain().contains('.') {
            return Err(FieldError::new(
                field,
                "is not an e-mail address of the form name@example.se",
            ));
        }
        Ok(Self(format!(
            "{}@{}",
            parsed.local_part(),
            parsed.domain().to_lowercase()
        )))
    }
}

/// A phone number as people write it: digits, with spaces, dashes,
/// parentheses and a leading `+` allowed; 5 to 20 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);
string_value!(Phone);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = normalize_line(raw);
        let allowed = value
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0));
        let digits = value.chars().filter(char::is_ascii_digit).count();
        if !allowed || !(5..=20).contains(&digits) {
            return Err(FieldError::new(
                field,
                "must be a phone number: 5 to 20 digits, with spaces, dashes, parentheses or a leading +",
            ));
        }
        Ok(Self(value))
    }
}

/// An absolute `http` or `https` address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Website(String);
string_value!(Website);

impl Website {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(field, "must be at most 500 characters"));
        }
        let url = url::Url::parse(trimmed)
            .map_err(|error| FieldError::new(field, format!("is not a web address: {error}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(FieldError::new(field, "must be an http or https address"));
        }
        Ok(Self(url.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_numbers_are_luhn_checked_and_normalised() {
        // Volvo Car Corporation's number, a known-valid example.
        assert_eq!(
            OrganisationNumber::parse("n", "556074-3089").unwrap().as_str(),
            "556074-3089"
        );
        assert_eq!(
            OrganisationNumber::parse("n", "5560743089").unwrap().as_str(),
            "556074-3089"
        );
        let error = OrganisationNumber::parse("n", "556074-3088").unwrap_err();
        assert!(error.message.contains("check digit"));
    }

    #[test]
    fn malformed_organisation_numbers_are_rejected() {
        for raw in [
            "",
            "55607-43089",
            "556074-308",
            "55607430899",
            "abcdef-ghij",
            "556074--3089",
        ] {
            assert!(OrganisationNumber::parse("n", raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn emails_keep_swedish_local_parts_and_lowercase_domains() {
        assert_eq!(
            Email::parse("e", " Lena.Lindhe@HV.SE ").unwrap().as_str(),
            "Lena.Lindhe@hv.se"
        );
        assert!(Email::parse("e", "not-an-email").is_err());
        assert!(Email::parse("e", "lena@localhost").is_err());
        assert!(Email::parse("e", "Lena <lena@hv.se>").is_err());
    }

    #[test]
    fn emails_are_stored_composed() {
        assert_eq!(
            Email::parse("e", "A\u{030A}sa.Tho\u{0308}rn@exempel.se")
                .unwrap()
                .as_str(),
            "Åsa.Thörn@exempel.se"
        );
    }

    #[test]
    fn phones_allow_common_swedish_formats() {
        assert!(Phone::parse("p", "0520-22 30 00").is_ok());
        assert!(Phone::parse("p", "+46 520 22 30 00").is_ok());
        assert!(Phone::parse("p", "12").is_err());
        assert!(Phone::parse("p", "call me").is_err());
        assert!(Phone::parse("p", "46+520").is_err());
    }

    #[test]
    fn websites_must_be_http() {
        assert_eq!(
            Website::parse("w", "https://www.hv.se").unwrap().as_str(),
            "https://www.hv.se/"
        );
        assert!(Website::parse("w", "ftp://hv.se").is_err());
        assert!(Website::parse("w", "hv.se").is_err());
    }
}
