//! Text: normalisation, validated text newtypes, Swedish-aware folding and
//! sorting.
//!
//! Databases are poor at Unicode: SQLite's `lower()` and `LIKE` fold only
//! ASCII, and PostgreSQL's ordering depends on the collation the cluster was
//! created with. So the domain computes, once, two derived forms of every
//! name that is matched or sorted, and the store keeps them in columns:
//!
//! * [`fold`] — the form used for case-insensitive equality and substring
//!   search. "LINDHÉ", "Lindhé" and "lindhe" all fold to `lindhe`; "Thörn"
//!   folds to `thörn`, not `thorn`, since å, ä and ö are letters of their own
//!   in Swedish, not accented a and o.
//! * [`sort_key`] — an ASCII key whose byte order (and, being plain hex, its
//!   order under any database collation) is Swedish alphabetical order:
//!   a–z, then å, ä, ö.

use std::fmt;

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use crate::error::FieldError;

const COMBINING_RING_ABOVE: char = '\u{030A}';
const COMBINING_DIAERESIS: char = '\u{0308}';

/// Trims, and folds every run of white space (newlines included) into one
/// space. Single-line fields (names, titles) are stored in this form.
pub fn normalize_line(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trims, and normalises line endings, for multi-line fields (notes,
/// descriptions), whose inner line breaks are kept.
pub fn normalize_block(raw: &str) -> String {
    raw.replace("\r\n", "\n").trim().to_owned()
}

/// The case- and accent-insensitive form of `text` for matching (see the
/// module documentation). Keeps the ring and the diaeresis, so å, ä, ö (and
/// ü) stay distinct letters, and drops every other accent, so "é" matches "e".
pub fn fold(text: &str) -> String {
    // Control characters never match stored text (which cannot hold them),
    // and must not reach a query: PostgreSQL refuses NUL in text.
    let stripped: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c) || *c == COMBINING_RING_ABOVE || *c == COMBINING_DIAERESIS)
        .filter(|c| !c.is_control() || c.is_whitespace())
        .collect();
    normalize_line(&stripped.nfc().collect::<String>().to_lowercase())
}

/// An ASCII key whose byte order is the Swedish alphabetical order of `text`:
/// each character of the folded text becomes four hex digits of a weight in
/// which å, ä and ö follow z, ü sorts as y, æ as ä and ø as ö (as Swedish
/// dictionaries do). Ties are broken by the caller (by id).
pub fn sort_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len() * 4);
    for c in fold(text).chars() {
        let weight: u32 = match c {
            'å' => u32::from('z') + 1,
            'ä' | 'æ' => u32::from('z') + 2,
            'ö' | 'ø' => u32::from('z') + 3,
            'ü' => u32::from('y'),
            // Everything else keeps its code point order, above the Swedish
            // letters so that no other letter lands between z and å.
            c if c.is_ascii() => u32::from(c),
            c => (u32::from(c) + 0x100).min(0xFFFF),
        };
        key.push_str(&format!("{weight:04x}"));
    }
    key
}

/// Escapes `%`, `_` and the escape character itself for a `LIKE` pattern
/// written with `ESCAPE '\'`.
pub fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

fn check_length(field: &str, value: &str, max_chars: usize) -> Result<(), FieldError> {
    let length = value.chars().count();
    if length > max_chars {
        return Err(FieldError::new(
            field,
            format!("must be at most {max_chars} characters (got {length})"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(field, "must not contain control characters"));
    }
    Ok(())
}

/// Validates a required single-line text: trimmed, white space folded,
/// non-empty, at most `max_chars` characters.
pub fn required_line(field: &str, raw: &str, max_chars: usize) -> Result<String, FieldError> {
    let value = normalize_line(raw);
    if value.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    check_length(field, &value, max_chars)?;
    Ok(value)
}

/// Validates an optional single-line text; blank counts as absent.
pub fn optional_line(field: &str, raw: Option<&str>, max_chars: usize) -> Result<Option<String>, FieldError> {
    match raw.map(normalize_line) {
        Some(value) if !value.is_empty() => {
            check_length(field, &value, max_chars)?;
            Ok(Some(value))
        }
        _ => Ok(None),
    }
}

/// Validates an optional multi-line text; blank counts as absent.
pub fn optional_block(
    field: &str,
    raw: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, FieldError> {
    match raw.map(normalize_block) {
        Some(value) if !value.is_empty() => {
            check_length(field, &value, max_chars)?;
            Ok(Some(value))
        }
        _ => Ok(None),
    }
}

/// Validates a required multi-line text.
pub fn required_block(field: &str, raw: &str, max_chars: usize) -> Result<String, FieldError> {
    optional_block(field, Some(raw), max_chars)?.ok_or_else(|| FieldError::new(field, "must not be empty"))
}

/// A free-form label ("tillsammanskraft", "kompetensförsörjning"): one line,
/// lower-cased, at most [`Tag::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(String);

impl Tag {
    pub const MAX_CHARS: usize = 50;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = required_line(field, raw, Self::MAX_CHARS)?.to_lowercase();
        Ok(Self(value))
    }

    /// The stored form of a tag someone types (in a filter, say), without
    /// validating it.
    pub fn normalize(raw: &str) -> String {
        let printable: String = raw
            .chars()
            .filter(|c| !c.is_control() || c.is_whitespace())
            .collect();
        normalize_line(&printable).to_lowercase()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A set of tags: lower-cased, without duplicates, in Swedish alphabetical
/// order, at most [`Tags::MAX_TAGS`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tags(Vec<Tag>);

impl Tags {
    pub const MAX_TAGS: usize = 20;

    pub fn parse<S: AsRef<str>>(field: &str, raw: &[S]) -> Result<Self, FieldError> {
        let mut tags = raw
            .iter()
            .enumerate()
            .map(|(i, tag)| Tag::parse(&format!("{field}[{i}]"), tag.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        tags.sort_by_cached_key(|tag| sort_key(tag.as_str()));
        tags.dedup();
        if tags.len() > Self::MAX_TAGS {
            return Err(FieldError::new(
                field,
                format!("at most {} tags are allowed", Self::MAX_TAGS),
            ));
        }
        Ok(Self(tags))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Tag> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(|tag| tag.0.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_for_swedish_letters() {
        assert_eq!(fold("HÖGSKOLAN VÄST"), fold("högskolan väst"));
        assert_eq!(fold("ÅSA"), "åsa");
        assert_eq!(fold("LINDHÉ"), fold("Lindhé"));
    }

    #[test]
    fn fold_keeps_swedish_letters_distinct_but_drops_other_accents() {
        assert_ne!(fold("Thörn"), fold("Thorn"));
        assert_ne!(fold("Åsa"), fold("Asa"));
        assert_eq!(fold("Lindhé"), "lindhe");
        assert_eq!(fold("Lindhé"), fold("Lindhe"));
    }

    #[test]
    fn fold_treats_composed_and_decomposed_letters_alike() {
        let decomposed = "Tho\u{0308}rn";
        assert_eq!(fold(decomposed), fold("Thörn"));
    }

    #[test]
    fn fold_and_tag_normalize_drop_control_characters() {
        assert_eq!(fold("Lind\u{0}hé"), "lindhe");
        assert_eq!(Tag::normalize(" APL\u{0} "), "apl");
    }

    #[test]
    fn fold_collapses_white_space() {
        assert_eq!(fold("  Högskolan \n Väst "), "högskolan väst");
    }

    #[test]
    fn sort_key_orders_the_swedish_alphabet() {
        let mut names = vec!["Östen", "Åsa", "Ärla", "Zorn", "Anna", "émile", "Olle"];
        names.sort_by_key(|name| sort_key(name));
        assert_eq!(names, ["Anna", "émile", "Olle", "Zorn", "Åsa", "Ärla", "Östen"]);
    }

    #[test]
    fn sort_key_is_case_insensitive_and_ascii() {
        assert_eq!(sort_key("ÖREBRO"), sort_key("örebro"));
        assert!(sort_key("Trollhättans stad").is_ascii());
    }

    #[test]
    fn required_line_trims_and_rejects_blank_and_long_text() {
        assert_eq!(
            required_line("name", "  Drömfabriken ", 20).unwrap(),
            "Drömfabriken"
        );
        assert!(required_line("name", "   ", 10).is_err());
        let error = required_line("name", "Drömfabriken", 5).unwrap_err();
        assert_eq!(error.field, "name");
        assert!(error.message.contains("at most 5"));
    }

    #[test]
    fn control_characters_are_rejected() {
        assert!(required_line("name", "a\u{0000}b", 10).is_err());
        assert!(optional_block("notes", Some("line one\nline two"), 100).is_ok());
    }

    #[test]
    fn optional_text_treats_blank_as_absent() {
        assert_eq!(optional_line("city", Some("  "), 10), Ok(None));
        assert_eq!(optional_line("city", None, 10), Ok(None));
    }

    #[test]
    fn tags_are_lowercased_deduplicated_and_sorted() {
        let tags = Tags::parse(
            "tags",
            &["Tillsammanskraft", "APL", "tillsammanskraft", "Årskurs"],
        )
        .unwrap();
        assert_eq!(tags.to_strings(), ["apl", "tillsammanskraft", "årskurs"]);
    }

    #[test]
    fn too_many_tags_are_rejected() {
        let raw: Vec<String> = (0..21).map(|i| format!("tag{i}")).collect();
        assert!(Tags::parse("tags", &raw).is_err());
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
