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
//!
//! Every text enters in one form: [`normalize_line`] and [`normalize_block`]
//! compose it (Unicode NFC), so "é" typed as one code point or as "e" and a
//! combining accent is stored, compared, filtered and counted alike. Limits
//! are in code points of that composed form (150 "é" are 150 characters
//! however they were typed; a flag or an emoji with a skin tone counts as
//! more than one). A text of nothing but white space and characters drawn
//! as nothing (zero-width space, word joiner, byte order mark, …: Unicode's
//! default-ignorable code points) is blank. Single-line texts — names,
//! titles, places, tags — refuse the bidirectional embedding, override and
//! isolate controls, which can make a name read as something other than
//! what is stored.

use std::fmt;

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use crate::error::FieldError;

const COMBINING_RING_ABOVE: char = '\u{030A}';
const COMBINING_DIAERESIS: char = '\u{0308}';

/// Composes (NFC), trims, and folds every run of white space (newlines
/// included) into one space. Single-line fields (names, titles) are stored
/// in this form.
pub fn normalize_line(raw: &str) -> String {
    collapse_white_space(&raw.nfc().collect::<String>())
}

/// Composes (NFC), trims, and normalises line endings, for multi-line fields
/// (notes, descriptions), whose inner line breaks are kept.
pub fn normalize_block(raw: &str) -> String {
    raw.nfc()
        .collect::<String>()
        .replace("\r\n", "\n")
        .trim()
        .to_owned()
}

fn collapse_white_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `c` is drawn as nothing: Unicode's Default_Ignorable_Code_Point
/// (DerivedCoreProperties.txt), which the standard library does not know.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The bidirectional embedding, override and isolate controls (LRE, RLE,
/// PDF, LRO, RLO; LRI, RLI, FSI, PDI). The marks (LRM, RLM, ALM) only nudge
/// neutral characters and are allowed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether a normalised text shows nothing: empty, or only white space and
/// invisible characters.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

fn blank_error(field: &str, value: &str) -> FieldError {
    if value.is_empty() {
        FieldError::new(field, "must not be empty")
    } else {
        FieldError::new(
            field,
            "must not be empty: it holds only invisible characters (such as zero-width spaces)",
        )
    }
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
    // Exactly the form stored before texts were composed at the door, so
    // that stored folded columns and sort keys stay valid.
    collapse_white_space(&stripped.nfc().collect::<String>().to_lowercase())
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

/// Checks a normalised text: at most `max_chars` code points, no control
/// characters (save line breaks and tabs in blocks), and in a single line no
/// bidirectional controls.
fn check_text(field: &str, value: &str, max_chars: usize, line: bool) -> Result<(), FieldError> {
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
    if line && value.chars().any(is_bidi_control) {
        return Err(FieldError::new(
            field,
            "must not contain bidirectional control characters (U+202A to U+202E, U+2066 to U+2069): \
             they can make a name read otherwise than it is stored",
        ));
    }
    Ok(())
}

/// Validates a required single-line text: composed, trimmed, white space
/// folded, not blank, at most `max_chars` characters.
pub fn required_line(field: &str, raw: &str, max_chars: usize) -> Result<String, FieldError> {
    let value = normalize_line(raw);
    if is_blank(&value) {
        return Err(blank_error(field, &value));
    }
    check_text(field, &value, max_chars, true)?;
    Ok(value)
}

/// Validates an optional single-line text; blank counts as absent.
pub fn optional_line(field: &str, raw: Option<&str>, max_chars: usize) -> Result<Option<String>, FieldError> {
    match raw.map(normalize_line) {
        Some(value) if !is_blank(&value) => {
            check_text(field, &value, max_chars, true)?;
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
        Some(value) if !is_blank(&value) => {
            check_text(field, &value, max_chars, false)?;
            Ok(Some(value))
        }
        _ => Ok(None),
    }
}

/// Validates a required multi-line text.
pub fn required_block(field: &str, raw: &str, max_chars: usize) -> Result<String, FieldError> {
    let value = normalize_block(raw);
    if is_blank(&value) {
        return Err(blank_error(field, &value));
    }
    check_text(field, &value, max_chars, false)?;
    Ok(value)
}

/// A free-form label ("tillsammanskraft", "kompetensförsörjning"): one line,
/// lower-cased, at most [`Tag::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(String);

impl Tag {
    pub const MAX_CHARS: usize = 50;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = required_line(field, raw, Self::MAX_CHARS)?;
        Ok(Self(Self::lower(&value)))
    }

    /// The stored form of a tag someone types (in a filter, say), without
    /// validating it.
    pub fn normalize(raw: &str) -> String {
        let printable: String = raw
            .chars()
            .filter(|c| !c.is_control() || c.is_whitespace())
            .collect();
        Self::lower(&normalize_line(&printable))
    }

    /// Lower-cased, and composed again: lower-casing a composed text need
    /// not leave it composed.
    fn lower(text: &str) -> String {
        text.to_lowercase().nfc().collect()
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

    /// "kompetensförsörjning" with each ö as o and a combining diaeresis.
    const NFD_TAG: &str = "kompetensfo\u{0308}rso\u{0308}rjning";

    #[test]
    fn every_text_is_stored_composed() {
        assert_eq!(required_line("name", "Lindhe\u{0301}", 20).unwrap(), "Lindhé");
        assert_eq!(
            optional_line("city", Some("Tro\u{0308}lhätta\u{0308}n"), 20)
                .unwrap()
                .as_deref(),
            Some("Trölhättän")
        );
        assert_eq!(
            required_block("text", "A\u{030A}sa\r\nÅsa", 20).unwrap(),
            "Åsa\nÅsa"
        );
        assert_eq!(normalize_line(" Tho\u{0308}rn "), "Thörn");
        assert_eq!(normalize_block(" Tho\u{0308}rn "), "Thörn");
    }

    #[test]
    fn length_is_counted_in_composed_characters() {
        let decomposed = "e\u{0301}".repeat(150);
        let name = required_line("name", &decomposed, 200).unwrap();
        assert_eq!(name, "é".repeat(150));
        let error = required_line("name", &"e\u{0301}".repeat(201), 200).unwrap_err();
        assert!(error.message.contains("(got 201)"), "{}", error.message);
    }

    #[test]
    fn a_tag_typed_composed_or_decomposed_is_one_tag() {
        let composed = "kompetensförsörjning";
        assert_ne!(NFD_TAG, composed);
        let tags = Tags::parse("tags", &[composed, NFD_TAG, "KOMPETENSFO\u{0308}RSÖRJNING"]).unwrap();
        assert_eq!(tags.to_strings(), [composed]);
        assert_eq!(Tag::normalize(NFD_TAG), composed);
        assert_eq!(Tag::parse("tag", NFD_TAG).unwrap().as_str(), composed);
    }

    #[test]
    fn derived_forms_do_not_depend_on_the_normal_form() {
        for (composed, decomposed) in [
            ("Lindhé", "Lindhe\u{0301}"),
            ("Åsa Thörn", "A\u{030A}sa Tho\u{0308}rn"),
        ] {
            assert_eq!(fold(decomposed), fold(composed));
            assert_eq!(sort_key(decomposed), sort_key(composed));
        }
    }

    #[test]
    fn a_text_of_only_invisible_characters_is_blank() {
        for invisible in [
            "\u{200B}",
            "\u{2060}",
            "\u{FEFF}",
            " \u{200B} \u{00AD}\u{200D} ",
            "\u{2060}\n\u{200B}",
        ] {
            let error = required_line("name", invisible, 20).unwrap_err();
            assert!(
                error.message.contains("invisible"),
                "{invisible:?}: {}",
                error.message
            );
            assert!(required_block("text", invisible, 20).is_err(), "{invisible:?}");
            assert!(Tag::parse("tag", invisible).is_err(), "{invisible:?}");
            assert_eq!(
                optional_line("city", Some(invisible), 20),
                Ok(None),
                "{invisible:?}"
            );
            assert_eq!(
                optional_block("notes", Some(invisible), 20),
                Ok(None),
                "{invisible:?}"
            );
        }
        // Joiners and variation selectors within visible text are kept.
        assert_eq!(
            required_line("name", "Hjärta \u{2764}\u{FE0F}", 20).unwrap(),
            "Hjärta \u{2764}\u{FE0F}"
        );
    }

    #[test]
    fn single_line_texts_refuse_bidirectional_controls() {
        let controls = ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}');
        for control in controls {
            let name = format!("Högskolan {control}tsäV");
            let error = required_line("name", &name, 50).unwrap_err();
            assert_eq!(error.field, "name");
            assert!(
                error.message.contains("bidirectional"),
                "{control:?}: {}",
                error.message
            );
            assert!(optional_line("title", Some(&name), 50).is_err(), "{control:?}");
            assert!(Tag::parse("tag", &name).is_err(), "{control:?}");
        }
        // Free text may need them to set right-to-left text among Swedish.
        assert!(optional_block("notes", Some("Namn: \u{2067}مرحبا\u{2069}."), 50).is_ok());
        // Right-to-left letters themselves are welcome in names.
        assert!(required_line("name", "مرحبا AB", 50).is_ok());
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
