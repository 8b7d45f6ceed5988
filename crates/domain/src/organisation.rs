//! Organisations: universities, companies, municipalities, ...

use std::fmt;

use crate::contact::{OrganisationNumber, Website};
use crate::error::{FieldError, ValidationErrors};
use crate::ids::OrganisationId;
use crate::kinds::OrganisationKind;
use crate::record::RecordMeta;
use crate::text::{self, Tags};

/// An organisation's name. Unique among live organisations, compared by its
/// [`folded`](Self::folded) form, so "högskolan väst" collides with
/// "Högskolan Väst".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrganisationName(String);

impl OrganisationName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        text::required_line(field, raw, Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form uniqueness and search compare.
    pub fn folded(&self) -> String {
        text::fold(&self.0)
    }

    /// The form lists sort by.
    pub fn sort_key(&self) -> String {
        text::sort_key(&self.0)
    }
}

impl fmt::Display for OrganisationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a client sends to create or replace an organisation.
#[derive(Debug, Clone, Default)]
pub struct OrganisationInput {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub organisation_number: Option<String>,
    pub website: Option<String>,
    pub city: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
}

/// An organisation's validated data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationDetails {
    pub name: OrganisationName,
    pub short_name: Option<String>,
    pub kind: OrganisationKind,
    pub organisation_number: Option<OrganisationNumber>,
    pub website: Option<Website>,
    pub city: Option<String>,
    pub description: Option<String>,
    pub tags: Tags,
}

impl OrganisationDetails {
    pub const SHORT_NAME_MAX: usize = 50;
    pub const CITY_MAX: usize = 100;
    pub const DESCRIPTION_MAX: usize = 5_000;

    pub fn parse(input: &OrganisationInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.collect(OrganisationName::parse("name", &input.name));
        let short_name = errors.collect(text::optional_line(
            "short_name",
            input.short_name.as_deref(),
            Self::SHORT_NAME_MAX,
        ));
        if input.kind.is_none() {
            errors.add("kind", "is required");
        }
        let organisation_number = errors.collect(
            input
                .organisation_number
                .as_deref()
                .filter(|raw| !raw.trim().is_empty())
                .map(|raw| OrganisationNumber::parse("organisation_number", raw))
                .transpose(),
        );
        let website = errors.collect(
            input
                .website
                .as_deref()
                .filter(|raw| !raw.trim().is_empty())
                .map(|raw| Website::parse("website", raw))
                .transpose(),
        );
        let city = errors.collect(text::optional_line("city", input.city.as_deref(), Self::CITY_MAX));
        let description = errors.collect(text::optional_block(
            "description",
            input.description.as_deref(),
            Self::DESCRIPTION_MAX,
        ));
        let tags = errors.collect(Tags::parse("tags", &input.tags));
        match (
            name,
            short_name,
            input.kind,
            organisation_number,
            website,
            city,
            description,
            tags,
        ) {
            (
                Some(name),
                Some(short_name),
                Some(kind),
                Some(organisation_number),
                Some(website),
                Some(city),
                Some(description),
                Some(tags),
            ) if errors.is_empty() => Ok(Self {
                name,
                short_name,
                kind,
                organisation_number,
                website,
                city,
                description,
                tags,
            }),
            _ => Err(errors),
        }
    }

    /// The input that would produce these details again: the starting point
    /// of a partial update.
    pub fn to_input(&self) -> OrganisationInput {
        OrganisationInput {
            name: self.name.as_str().to_owned(),
            short_name: self.short_name.clone(),
            kind: Some(self.kind),
            organisation_number: self.organisation_number.as_ref().map(ToString::to_string),
            website: self.website.as_ref().map(ToString::to_string),
            city: self.city.clone(),
            description: self.description.clone(),
            tags: self.tags.to_strings(),
        }
    }
}

/// An organisation taking part in partnership work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub details: OrganisationDetails,
    pub meta: RecordMeta,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> OrganisationInput {
        OrganisationInput {
            name: name.to_owned(),
            kind: Some(OrganisationKind::University),
            ..OrganisationInput::default()
        }
    }

    #[test]
    fn a_minimal_organisation_is_valid() {
        let details = OrganisationDetails::parse(&input(" Högskolan  Väst ")).unwrap();
        assert_eq!(details.name.as_str(), "Högskolan Väst");
        assert_eq!(details.name.folded(), "högskolan väst");
    }

    #[test]
    fn all_broken_fields_are_reported_at_once() {
        let bad = OrganisationInput {
            name: "  ".into(),
            kind: None,
            organisation_number: Some("123".into()),
            website: Some("not a url".into()),
            ..OrganisationInput::default()
        };
        let errors = OrganisationDetails::parse(&bad).unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "kind", "organisation_number", "website"]);
    }

    #[test]
    fn names_that_differ_only_in_case_fold_alike() {
        let upper = OrganisationName::parse("name", "HÖGSKOLAN VÄST").unwrap();
        let lower = OrganisationName::parse("name", "högskolan väst").unwrap();
        assert_eq!(upper.folded(), lower.folded());
    }

    #[test]
    fn details_round_trip_through_input() {
        let mut raw = input("Kunskapsförbundet Väst");
        raw.city = Some("Trollhättan".into());
        raw.tags = vec!["gymnasium".into()];
        let details = OrganisationDetails::parse(&raw).unwrap();
        assert_eq!(OrganisationDetails::parse(&details.to_input()).unwrap(), details);
    }

    #[test]
    fn every_text_of_an_organisation_is_composed() {
        let mut raw = input("Ho\u{0308}gskolan Va\u{0308}st");
        raw.city = Some("Trollha\u{0308}ttan".into());
        raw.description = Some("Lindhe\u{0301}s ho\u{0308}gskola".into());
        raw.tags = vec!["kompetensfo\u{0308}rso\u{0308}rjning".into()];
        let details = OrganisationDetails::parse(&raw).unwrap();
        assert_eq!(details.name.to_string(), "Högskolan Väst");
        assert_eq!(details.city.as_deref(), Some("Trollhättan"));
        assert_eq!(details.description.as_deref(), Some("Lindhés högskola"));
        assert_eq!(details.tags.to_strings(), ["kompetensförsörjning"]);
        // 200 visible "é", typed decomposed (400 code points), fit.
        assert!(OrganisationDetails::parse(&input(&"e\u{0301}".repeat(200))).is_ok());
    }

    #[test]
    fn a_name_may_not_be_invisible_nor_turned_around() {
        for name in [
            "\u{200B}",
            "\u{FEFF}\u{2060}",
            "Högskolan \u{202E}tsäV",
            "\u{2067}Väst\u{2069}",
        ] {
            let errors = OrganisationDetails::parse(&input(name)).unwrap_err();
            let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["name"], "{name:?}");
        }
    }

    #[test]
    fn overlong_names_are_rejected() {
        let long = "Å".repeat(OrganisationName::MAX_CHARS + 1);
        assert!(OrganisationDetails::parse(&input(&long)).is_err());
    }
}
