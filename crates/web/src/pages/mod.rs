//! One module per page (or group of pages of one record), and what their
//! filter forms share.

pub mod accessibility;
pub mod account;
pub mod attendance;
pub mod engagement;
pub mod follow_up_forms;
pub mod follow_ups;
pub mod meeting_form;
pub mod meetings;
pub mod organisation_forms;
pub mod organisations;
pub mod partnership_forms;
pub mod partnerships;
pub mod people;
pub mod person_forms;
pub mod privacy;
pub mod search;
pub mod start;
pub mod users;

use samverkan_domain::{OrganisationId, RepresentativeId, text};
use samverkan_store::{OrganisationFilter, PageRequest, Store};
use uuid::Uuid;

use crate::forms::FieldErrors;
use crate::frame::PageError;
use crate::i18n::Labels;

/// How many organisations a filter's drop-down offers, by name. Enough for
/// a region's partners; a longer list would weigh down every list page (a
/// type-ahead, in part 2, will reach the rest).
const ORGANISATION_CHOICES: u64 = 200;

/// A day from an address (`2024-04-26`); empty is none.
pub(crate) fn parse_day(raw: Option<&str>) -> Result<Option<chrono::NaiveDate>, PageError> {
    match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
        None => Ok(None),
        Some(raw) => chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| PageError::BadRequest),
    }
}

/// A filter's day from the address: empty is no filter, anything not a day
/// is an error beside field `field`.
pub(crate) fn day_filter(
    raw: Option<&str>,
    field: &str,
    errors: &mut FieldErrors,
    message: &'static str,
) -> Option<chrono::NaiveDate> {
    parse_day(raw).unwrap_or_else(|_| {
        errors.add(field, message);
        None
    })
}

/// A filter's record id from the address: empty is no filter, anything not
/// an id is an error beside field `field`.
pub(crate) fn id_filter(
    raw: Option<&str>,
    field: &str,
    errors: &mut FieldErrors,
    message: &'static str,
) -> Option<Uuid> {
    let raw = raw.map(str::trim).filter(|raw| !raw.is_empty())?;
    match Uuid::parse_str(raw) {
        Ok(id) => Some(id),
        Err(_) => {
            errors.add(field, message);
            None
        }
    }
}

/// The one live person a form's field names (Swedish letters and case
/// folded, as the people list finds them): `None` for an empty field, or
/// with an error beside `field` when nobody or several have the name.
pub(crate) async fn person_named(
    store: &Store,
    name: &str,
    field: &str,
    errors: &mut FieldErrors,
    t: &'static Labels,
) -> Result<Option<RepresentativeId>, PageError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let folded = text::fold(name);
    let found: Vec<RepresentativeId> = store
        .people_named(&[name])
        .await?
        .into_iter()
        .filter(|person| person.details.full_name.folded() == folded)
        .map(|person| person.id)
        .collect();
    Ok(match found.as_slice() {
        [one] => Some(*one),
        [] => {
            errors.add(field, t.no_person_of_that_name);
            None
        }
        _ => {
            errors.add(field, t.several_people_of_that_name);
            None
        }
    })
}

/// The organisations a filter's drop-down offers, as (id, name), by name;
/// the one chosen is always among them.
pub(crate) async fn organisation_choices(
    store: &Store,
    chosen: Option<OrganisationId>,
) -> Result<Vec<(String, String)>, PageError> {
    let page = store
        .list_organisations(
            &OrganisationFilter::default(),
            &PageRequest::first(ORGANISATION_CHOICES),
        )
        .await?;
    let mut choices: Vec<(String, String)> = page
        .items
        .into_iter()
        .map(|organisation| (organisation.id.to_string(), organisation.details.name.to_string()))
        .collect();
    if let Some(chosen) = chosen
        && !choices.iter().any(|(id, _)| *id == chosen.to_string())
    {
        let names = store.names(&[chosen], &[]).await?;
        if names.organisations.contains_key(&chosen) {
            choices.insert(0, (chosen.to_string(), names.organisation(chosen)));
        }
    }
    Ok(choices)
}

/// An organisation filter (`?organisation=`), as a list's field holds it:
/// the organisation's name, typed (suggested as one types, with the
/// script; any organisation, however many there are), or its id, as the
/// links from an organisation's page send it. Returns the organisation and
/// the name the field shows; a value that names none is an error beside
/// the field.
pub(crate) async fn organisation_filter(
    store: &Store,
    raw: Option<&str>,
    field: &str,
    errors: &mut FieldErrors,
    t: &'static Labels,
) -> Result<(Option<OrganisationId>, String), PageError> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Ok((None, String::new()));
    }
    if let Ok(id) = Uuid::parse_str(raw) {
        let id = OrganisationId::from(id);
        let names = store.names(&[id], &[]).await?;
        return Ok(match names.organisations.get(&id) {
            Some(name) => (Some(id), name.clone()),
            None => {
                errors.add(field, t.unknown_choice);
                (None, raw.to_owned())
            }
        });
    }
    let found = store
        .organisations_named(&[raw])
        .await?
        .get(&text::fold(raw))
        .copied();
    if found.is_none() {
        errors.add(field, t.no_organisation_of_that_name);
    }
    Ok((found, raw.to_owned()))
}

/// The names the organisation field suggests without the script: the
/// first [`ORGANISATION_CHOICES`] by name (with it, any, as one types).
pub(crate) async fn organisation_names(store: &Store) -> Result<Vec<String>, PageError> {
    Ok(store
        .list_organisations(
            &OrganisationFilter::default(),
            &PageRequest::first(ORGANISATION_CHOICES),
        )
        .await?
        .items
        .into_iter()
        .map(|organisation| organisation.details.name.to_string())
        .collect())
}
