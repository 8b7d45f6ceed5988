//! From the form as typed to the store's input: people and organisations
//! found by name (Swedish letters and case folded), newcomers given their
//! ids, rows numbered into the domain's indexes — and back, every refusal
//! of the domain or the store beside the form field it is about.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use samverkan_domain::{
    AgendaItemId, AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, FollowUpInput,
    FollowUpStatus, MeetingFollowUpInput, MeetingInput, MeetingKind, MeetingLogInput, MeetingStatus,
    OrganisationDetails, OrganisationId, OrganisationInput, OrganisationKind, OutcomeId, OutcomeInput,
    OutcomeKind, PartnershipId, RepresentativeDraft, RepresentativeId, RepresentativeInput, RevisedParts,
    text, time,
};
use samverkan_store::{Newcomers, Store, StoreError};
use uuid::Uuid;

use super::fields::MeetingForm;
use crate::forms::FieldErrors;
use crate::frame::{Ctx, PageError};
use crate::i18n::Labels;

/// The store's input for a form, with where each part came from.
#[derive(Debug)]
pub struct Built {
    pub newcomers: Newcomers,
    pub input: MeetingLogInput,
    /// Which logged agenda items and outcomes the rows are (the edit form).
    pub parts: RevisedParts,
    pub rows: RowsOf,
}

/// The form row of each item of the store's input, by section, so that a
/// refusal at `agenda[2]` is shown at the row the reader typed it in.
#[derive(Debug, Default)]
pub struct RowsOf {
    attendees: Vec<usize>,
    agenda: Vec<usize>,
    outcomes: Vec<usize>,
    follow_ups: Vec<usize>,
    new_people: Vec<usize>,
    new_organisations: Vec<usize>,
    /// Whether the meeting is all day (its start is then the date field's).
    all_day: bool,
}

/// The organisations the form names, by folded name: those the store has,
/// read in one go, and the new ones the form adds.
struct OrganisationNames {
    known: HashMap<String, OrganisationId>,
}

impl OrganisationNames {
    async fn of(store: &Store, form: &MeetingForm) -> Result<Self, PageError> {
        let names: Vec<&str> = std::iter::once(form.host.as_str())
            .chain(form.attendees.iter().map(|row| row.organisation.as_str()))
            .chain(form.follow_ups.iter().map(|row| row.organisation.as_str()))
            .chain(form.new_organisations.iter().map(|row| row.name.as_str()))
            .filter(|name| !name.trim().is_empty())
            .collect();
        Ok(Self {
            known: store.organisations_named(&names).await?,
        })
    }

    fn find(&self, name: &str) -> Option<OrganisationId> {
        self.known.get(&text::fold(name.trim())).copied()
    }

    /// [`Self::field`], but first the id the form carries (`kept`), when
    /// the name shown is still that organisation's: a logged meeting's host
    /// or attendee stays though archived since.
    fn kept_or_field(
        &self,
        name: &str,
        kept: &str,
        known: &samverkan_domain::Names,
        field: &str,
        errors: &mut FieldErrors,
        t: &'static Labels,
    ) -> Option<OrganisationId> {
        let kept = Uuid::parse_str(kept.trim())
            .ok()
            .map(OrganisationId::from)
            .filter(|id| {
                known
                    .organisations
                    .get(id)
                    .is_some_and(|known| text::fold(known) == text::fold(name.trim()))
            });
        kept.or_else(|| self.field(name, field, errors, t))
    }

    /// The organisation named in `field`: none when empty, an error beside
    /// the field when no organisation has that name.
    fn field(
        &self,
        name: &str,
        field: &str,
        errors: &mut FieldErrors,
        t: &'static Labels,
    ) -> Option<OrganisationId> {
        if name.trim().is_empty() {
            return None;
        }
        let found = self.find(name);
        if found.is_none() {
            errors.add(field, t.no_such_organisation);
        }
        found
    }
}

/// The people the form names, by folded name, read in one go: each name's
/// live people with the organisation they represent now.
struct PeopleNames {
    known: HashMap<String, Vec<(RepresentativeId, OrganisationId)>>,
}

impl PeopleNames {
    async fn of(store: &Store, form: &MeetingForm) -> Result<Self, PageError> {
        let names: Vec<&str> = form
            .attendees
            .iter()
            .filter(|row| !row.new_person)
            .map(|row| row.person.as_str())
            .chain(form.follow_ups.iter().map(|row| row.owner.as_str()))
            .filter(|name| !name.trim().is_empty())
            .collect();
        let mut known: HashMap<String, Vec<(RepresentativeId, OrganisationId)>> = HashMap::new();
        for person in store.people_named(&names).await? {
            known
                .entry(person.details.full_name.folded())
                .or_default()
                .push((person.id, person.affiliation.organisation_id));
        }
        Ok(Self { known })
    }

    /// The live people named `name` (folded), now at `organisation` if given.
    fn named(&self, name: &str, organisation: Option<OrganisationId>) -> Vec<RepresentativeId> {
        self.known
            .get(&text::fold(name.trim()))
            .into_iter()
            .flatten()
            .filter(|(_, at)| organisation.is_none_or(|wanted| *at == wanted))
            .map(|(id, _)| *id)
            .collect()
    }
}

/// One person named in a field: exactly one live person of the name, or an
/// error beside the field saying there is none or several.
fn one_person(
    found: &[RepresentativeId],
    field: &str,
    errors: &mut FieldErrors,
    t: &'static Labels,
) -> Option<RepresentativeId> {
    match found {
        [one] => Some(*one),
        [] => {
            errors.add(field, t.no_such_person);
            None
        }
        _ => {
            errors.add(field, t.several_people_of_that_name);
            None
        }
    }
}

fn choice<T>(
    raw: &str,
    parse: impl Fn(&str, &str) -> Result<T, samverkan_domain::FieldError>,
    field: &str,
    errors: &mut FieldErrors,
    t: &'static Labels,
) -> Option<T> {
    match raw.trim() {
        "" => None,
        raw => parse(field, raw)
            .map_err(|_| errors.add(field, t.choose_from_list))
            .ok(),
    }
}

/// A 1-based row number chosen in a select, as the 0-based index of the
/// store's input it became (`None` for a blank row or none chosen).
fn row_number(
    raw: &str,
    indexes: &[usize],
    field: &str,
    errors: &mut FieldErrors,
    t: &'static Labels,
) -> Option<usize> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let index = raw
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|row| indexes.iter().position(|r| *r == row));
    if index.is_none() {
        errors.add(field, t.choose_from_list);
    }
    index
}

/// Builds the store's input from `form`, finding every name; a person the
/// search finds is written back into the row (`person_id`), so the form
/// shown again shows whom it found. The errors are the form's own (a name
/// nobody has, a date that is not one); the domain judges the rest.
pub async fn build(
    ctx: &Ctx,
    store: &Store,
    form: &mut MeetingForm,
) -> Result<(Built, FieldErrors), PageError> {
    let t = ctx.t;
    let mut errors = FieldErrors::default();
    let mut rows = RowsOf::default();
    let mut newcomers = Newcomers::default();
    let mut organisations = OrganisationNames::of(store, form).await?;
    let people = PeopleNames::of(store, form).await?;

    // New organisations first: the rows below may name them.
    for (row, new) in form.new_organisations.iter().enumerate() {
        if new.is_blank() {
            continue;
        }
        let kind = choice(
            &new.kind,
            OrganisationKind::parse,
            &format!("new_organisations-{row}-kind"),
            &mut errors,
            t,
        );
        let input = OrganisationInput {
            name: new.name.clone(),
            kind,
            ..OrganisationInput::default()
        };
        let id = OrganisationId::new();
        match OrganisationDetails::parse(&input) {
            Ok(details) => {
                if organisations.find(&new.name).is_some() {
                    errors.add(
                        &format!("new_organisations-{row}-name"),
                        t.organisation_exists_use_it,
                    );
                    continue;
                }
                organisations.known.insert(text::fold(new.name.trim()), id);
                rows.new_organisations.push(row);
                newcomers.organisations.push((id, details));
            }
            Err(invalid) => {
                for error in invalid.errors() {
                    let field = if error.field == "kind" { "kind" } else { "name" };
                    if field == "kind" && kind.is_none() && !new.kind.trim().is_empty() {
                        continue;
                    }
                    let message = if field == "kind" {
                        std::borrow::Cow::Borrowed(t.choose_organisation_kind)
                    } else {
                        crate::forms::explain(ctx.lang, &error.message)
                    };
                    let id = format!("new_organisations-{row}-{field}");
                    if errors.get(&id).is_none() {
                        errors.add(&id, message);
                    }
                }
            }
        }
    }

    // The meeting's own fields.
    let kind = choice(&form.kind, MeetingKind::parse, "kind", &mut errors, t);
    let status = choice(&form.status, MeetingStatus::parse, "status", &mut errors, t);
    let date = match form.date.trim() {
        "" => None,
        raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                errors.add("date", t.enter_a_date);
                None
            }
        },
    };
    let clock = |raw: &str, field: &str, errors: &mut FieldErrors| -> Option<NaiveTime> {
        match raw.trim() {
            "" => None,
            raw => NaiveTime::parse_from_str(raw, "%H:%M")
                .map_err(|_| errors.add(field, t.enter_a_time))
                .ok(),
        }
    };
    let starts = clock(&form.starts, "starts", &mut errors);
    let ends = clock(&form.ends, "ends", &mut errors);
    rows.all_day = form.starts.trim().is_empty() && form.ends.trim().is_empty();
    let instant = |time: Option<NaiveTime>, field: &str, errors: &mut FieldErrors| match (date, time) {
        (Some(date), Some(time)) => {
            let at = time::at_local(date, time);
            if at.is_none() {
                errors.add(field, t.time_skipped_by_summer_time);
            }
            at
        }
        _ => None,
    };
    let (starts_at, ends_at) = if rows.all_day {
        (date.map(time::day_start), None)
    } else {
        if starts.is_none() && form.starts.trim().is_empty() {
            errors.add("starts", t.enter_start_time);
        }
        (
            instant(starts, "starts", &mut errors),
            instant(ends, "ends", &mut errors),
        )
    };
    if date.is_none() && form.date.trim().is_empty() {
        errors.add("date", t.enter_meeting_date);
    }
    // The ids the form carries (picked with the type-ahead, or a logged
    // meeting's), read in one go to check them against the names shown.
    let picked: Vec<RepresentativeId> = form
        .attendees
        .iter()
        .filter(|row| !row.new_person)
        .filter_map(|row| Uuid::parse_str(row.person_id.trim()).ok())
        .map(RepresentativeId::from)
        .collect();
    let kept_organisations: Vec<OrganisationId> = std::iter::once(form.host_id.as_str())
        .chain(form.attendees.iter().map(|row| row.organisation_id.as_str()))
        .filter_map(|id| Uuid::parse_str(id.trim()).ok())
        .map(OrganisationId::from)
        .collect();
    let picked_names = store.names(&kept_organisations, &picked).await?;
    let host_organisation_id =
        organisations.kept_or_field(&form.host, &form.host_id, &picked_names, "host", &mut errors, t);
    let mut partnership_ids = Vec::new();
    for raw in &form.partnerships {
        match Uuid::parse_str(raw.trim()) {
            Ok(id) => partnership_ids.push(PartnershipId::from(id)),
            Err(_) => errors.add("partnerships", t.choose_from_list),
        }
    }
    let optional = |value: &str| Some(value.to_owned()).filter(|value| !value.trim().is_empty());
    let meeting = MeetingInput {
        title: form.title.clone(),
        kind,
        starts_at,
        ends_at,
        all_day: rows.all_day,
        location: optional(&form.location),
        host_organisation_id,
        partnership_ids,
        summary: optional(&form.summary),
        tags: split_list(&form.tags),
        status,
    };

    // Attendees: the ids typed-ahead are checked against the names shown.
    let mut attendees = Vec::new();
    // Each named attendee's folded name and id, for presenters and owners.
    let mut by_name: HashMap<String, RepresentativeId> = HashMap::new();
    for (row, attendee) in form.attendees.iter_mut().enumerate() {
        if attendee.is_blank() {
            continue;
        }
        let field = |name: &str| format!("attendees-{row}-{name}");
        let role = choice(
            &attendee.role,
            AttendanceRole::parse,
            &field("role"),
            &mut errors,
            t,
        )
        .unwrap_or(AttendanceRole::Participant);
        let status = choice(
            &attendee.status,
            AttendanceStatus::parse,
            &field("status"),
            &mut errors,
            t,
        )
        .unwrap_or(AttendanceStatus::Attended);
        let name = attendee.person.trim();
        let typed_ahead = Uuid::parse_str(attendee.person_id.trim())
            .ok()
            .map(RepresentativeId::from)
            .filter(|id| {
                !attendee.new_person
                    && picked_names
                        .representatives
                        .get(id)
                        .is_some_and(|known| text::fold(known) == text::fold(name))
            });
        // A person picked by id needs no organisation to be found by; the
        // field then only shows whom they represent.
        let organisation = if typed_ahead.is_some() {
            None
        } else {
            organisations.kept_or_field(
                &attendee.organisation,
                &attendee.organisation_id,
                &picked_names,
                &field("organisation"),
                &mut errors,
                t,
            )
        };
        let who = if name.is_empty() {
            organisation.map(Attendee::Organisation)
        } else if attendee.new_person {
            let input = RepresentativeInput {
                full_name: attendee.person.clone(),
                organisation_id: organisation,
                is_minor: attendee.minor,
                ..RepresentativeInput::default()
            };
            match RepresentativeDraft::parse(&input) {
                Ok(draft) => {
                    let id = RepresentativeId::new();
                    rows.new_people.push(row);
                    newcomers.people.push((id, draft));
                    Some(Attendee::Representative(id))
                }
                Err(invalid) => {
                    for error in invalid.errors() {
                        let (name, message) = match error.field.as_str() {
                            "organisation_id" if attendee.organisation.trim().is_empty() => (
                                "organisation",
                                std::borrow::Cow::Borrowed(t.choose_new_person_organisation),
                            ),
                            "organisation_id" => continue,
                            _ => ("person", crate::forms::explain(ctx.lang, &error.message)),
                        };
                        if errors.get(&field(name)).is_none() {
                            errors.add(&field(name), message);
                        }
                    }
                    None
                }
            }
        } else {
            let id = match typed_ahead {
                Some(id) => Some(id),
                None => one_person(
                    &people.named(name, organisation),
                    &field("person"),
                    &mut errors,
                    t,
                ),
            };
            attendee.person_id = id.map(|id| id.to_string()).unwrap_or_default();
            id.map(Attendee::Representative)
        };
        if let Some(who) = who {
            if let Attendee::Representative(id) = who {
                by_name.entry(text::fold(name)).or_insert(id);
            }
            rows.attendees.push(row);
            attendees.push(AttendeeInput {
                attendee: who,
                role,
                status,
            });
        }
    }

    let mut parts = RevisedParts::default();
    let mut agenda = Vec::new();
    for (row, item) in form.agenda.iter().enumerate() {
        if item.is_blank() {
            continue;
        }
        let field = |name: &str| format!("agenda-{row}-{name}");
        let mut presenter_ids = Vec::new();
        for name in split_list(&item.presenters) {
            match by_name.get(&text::fold(&name)) {
                Some(id) => presenter_ids.push(*id),
                None => {
                    if errors.get(&field("presenters")).is_none() {
                        errors.add(&field("presenters"), t.presenter_not_among_attendees);
                    }
                }
            }
        }
        let duration_minutes = match item.duration.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(minutes) => Some(minutes),
                Err(_) => {
                    errors.add(&field("duration"), t.enter_minutes);
                    None
                }
            },
        };
        rows.agenda.push(row);
        parts
            .agenda
            .push(Uuid::parse_str(item.id.trim()).ok().map(AgendaItemId::from));
        agenda.push(AgendaItemInput {
            title: item.title.clone(),
            description: optional(&item.description),
            presenter_ids,
            duration_minutes,
            tags: split_list(&item.tags),
        });
    }

    let mut outcomes = Vec::new();
    for (row, outcome) in form.outcomes.iter().enumerate() {
        if outcome.is_blank() {
            continue;
        }
        let field = |name: &str| format!("outcomes-{row}-{name}");
        let kind = choice(&outcome.kind, OutcomeKind::parse, &field("kind"), &mut errors, t);
        if kind.is_none() && outcome.kind.trim().is_empty() {
            errors.add(&field("kind"), t.choose_outcome_kind);
        }
        let agenda_index = row_number(&outcome.agenda, &rows.agenda, &field("agenda"), &mut errors, t);
        rows.outcomes.push(row);
        parts
            .outcomes
            .push(Uuid::parse_str(outcome.id.trim()).ok().map(OutcomeId::from));
        outcomes.push(OutcomeInput {
            kind: kind.unwrap_or(OutcomeKind::Insight),
            text: outcome.text.clone(),
            agenda_index,
        });
    }

    let mut follow_ups = Vec::new();
    for (row, follow_up) in form.follow_ups.iter().enumerate() {
        if follow_up.is_blank() {
            continue;
        }
        let field = |name: &str| format!("follow_ups-{row}-{name}");
        let owner = follow_up.owner.trim();
        let owner_id = if owner.is_empty() {
            None
        } else {
            match by_name.get(&text::fold(owner)) {
                Some(id) => Some(*id),
                None => one_person(&people.named(owner, None), &field("owner"), &mut errors, t),
            }
        };
        let organisation_id =
            organisations.field(&follow_up.organisation, &field("organisation"), &mut errors, t);
        let due_on = match follow_up.due.trim() {
            "" => None,
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| errors.add(&field("due"), t.enter_a_date))
                .ok(),
        };
        let status = choice(
            &follow_up.status,
            FollowUpStatus::parse,
            &field("status"),
            &mut errors,
            t,
        );
        let outcome_index = row_number(
            &follow_up.outcome,
            &rows.outcomes,
            &field("outcome"),
            &mut errors,
            t,
        );
        rows.follow_ups.push(row);
        follow_ups.push(MeetingFollowUpInput {
            follow_up: FollowUpInput {
                title: follow_up.title.clone(),
                details: optional(&follow_up.details),
                owner_id,
                organisation_id,
                due_on,
                status,
                completed_on: None,
            },
            outcome_index,
        });
    }

    let input = MeetingLogInput {
        meeting,
        attendees,
        agenda,
        outcomes,
        follow_ups,
    };
    Ok((
        Built {
            newcomers,
            input,
            parts,
            rows,
        },
        errors,
    ))
}

/// A comma-separated list, each entry trimmed, empty ones left out.
fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(str::to_owned)
        .collect()
}

impl RowsOf {
    /// The form field of a domain path (`agenda[2].presenter_ids[0]` →
    /// `agenda-4-presenters` when the third item was typed in row 5).
    pub fn field_of(&self, path: &str) -> String {
        let (head, rest) = path.split_once('.').unwrap_or((path, ""));
        let (section, index) = match head.split_once('[') {
            Some((section, index)) => (section, index.trim_end_matches(']').parse::<usize>().ok()),
            None => (head, None),
        };
        let row = |rows: &[usize]| index.and_then(|i| rows.get(i).copied()).unwrap_or(0);
        // The field within a row: the domain's name, cut at its own index.
        let inner = rest.split(['[', '.']).next().unwrap_or("");
        match section {
            "attendees" => {
                let field = if inner == "organisation_id" {
                    "organisation"
                } else {
                    "person"
                };
                format!("attendees-{}-{field}", row(&self.attendees))
            }
            "agenda" => {
                let field = match inner {
                    "presenter_ids" => "presenters",
                    "duration_minutes" => "duration",
                    "description" => "description",
                    _ => "title",
                };
                format!("agenda-{}-{field}", row(&self.agenda))
            }
            "outcomes" => {
                let field = match inner {
                    "kind" => "kind",
                    "agenda_index" => "agenda",
                    _ => "text",
                };
                format!("outcomes-{}-{field}", row(&self.outcomes))
            }
            "follow_ups" => {
                let field = match inner {
                    "details" => "details",
                    "owner_id" => "owner",
                    "organisation_id" => "organisation",
                    "due_on" => "due",
                    "outcome_index" => "outcome",
                    "status" | "completed_on" => "status",
                    _ => "title",
                };
                format!("follow_ups-{}-{field}", row(&self.follow_ups))
            }
            "newcomers" => {
                let (list, index) = match rest.split_once('[') {
                    Some((list, index)) => (
                        list,
                        index.split(']').next().and_then(|i| i.parse::<usize>().ok()),
                    ),
                    None => (rest, None),
                };
                let at = |rows: &[usize]| index.and_then(|i| rows.get(i).copied()).unwrap_or(0);
                let field = rest.rsplit('.').next().unwrap_or("");
                if list == "organisations" {
                    let field = if field == "kind" { "kind" } else { "name" };
                    format!("new_organisations-{}-{field}", at(&self.new_organisations))
                } else {
                    let field = if field == "organisation_id" {
                        "organisation"
                    } else {
                        "person"
                    };
                    format!("attendees-{}-{field}", at(&self.new_people))
                }
            }
            "starts_at" if self.all_day => "date".to_owned(),
            "starts_at" => "starts".to_owned(),
            "ends_at" => "ends".to_owned(),
            "host_organisation_id" => "host".to_owned(),
            "partnership_ids" => "partnerships".to_owned(),
            "tags" => "tags".to_owned(),
            other => other.to_owned(),
        }
    }
}

/// Adds to the form's own `errors` (a name nobody has, a date that is not
/// one) what the domain would refuse of the rest, beside the other fields,
/// so that a refused form shows every problem at once.
pub fn add_domain_problems(ctx: &Ctx, built: Built, errors: &mut FieldErrors) {
    if let Err(error) = samverkan_domain::MeetingLog::parse(built.input, time::now()) {
        errors.merge(problems(ctx, &built.rows, &error.into()).unwrap_or_default());
    }
}

/// What the store refused, beside the form's fields; `None` for a refusal
/// that is no field's.
pub fn problems(ctx: &Ctx, rows: &RowsOf, error: &StoreError) -> Option<FieldErrors> {
    let t = ctx.t;
    FieldErrors::from_store(
        ctx.lang,
        error,
        |path| rows.field_of(path),
        |field| match field {
            "title" => Some(t.enter_meeting_title),
            "kind" => Some(t.choose_meeting_kind),
            "date" => Some(t.enter_meeting_date),
            _ if field.starts_with("agenda-") && field.ends_with("-title") => Some(t.enter_agenda_title),
            _ if field.starts_with("outcomes-") && field.ends_with("-text") => Some(t.enter_outcome_text),
            _ if field.starts_with("follow_ups-") && field.ends_with("-title") => {
                Some(t.enter_follow_up_title)
            }
            _ => None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_paths_find_the_rows_they_were_typed_in() {
        let rows = RowsOf {
            attendees: vec![0, 2, 5],
            agenda: vec![1, 4],
            outcomes: vec![0],
            follow_ups: vec![2],
            new_people: vec![5],
            new_organisations: vec![0],
            all_day: true,
        };
        assert_eq!(rows.field_of("agenda[1].presenter_ids[0]"), "agenda-4-presenters");
        assert_eq!(
            rows.field_of("attendees[2].representative_id"),
            "attendees-5-person"
        );
        assert_eq!(
            rows.field_of("attendees[1].organisation_id"),
            "attendees-2-organisation"
        );
        assert_eq!(rows.field_of("follow_ups[0].owner_id"), "follow_ups-2-owner");
        assert_eq!(rows.field_of("outcomes[0].text"), "outcomes-0-text");
        assert_eq!(
            rows.field_of("newcomers.people[0].full_name"),
            "attendees-5-person"
        );
        assert_eq!(
            rows.field_of("newcomers.organisations[0].name"),
            "new_organisations-0-name"
        );
        assert_eq!(rows.field_of("starts_at"), "date");
        assert_eq!(rows.field_of("tags[3]"), "tags");
        assert_eq!(rows.field_of("title"), "title");
    }
}
