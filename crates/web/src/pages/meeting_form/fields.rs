//! The meeting form's fields as typed, read from the posted pairs, and the
//! action its button asked for.
//!
//! Each row field is named `section-row-field` (`attendees-3-person`), the
//! same string as its element id, which is also what
//! [`crate::forms::field_id`] makes of the domain's path for it, so an error
//! finds its field without a table of names.

use samverkan_domain::limits;
use serde::{Deserialize, Serialize};

/// The blank rows a new form has in each section; "add more rows" adds
/// [`MORE_ROWS`] to each.
pub const FIRST_ROWS: Sections = Sections {
    attendees: 10,
    new_organisations: 1,
    agenda: 5,
    outcomes: 3,
    follow_ups: 3,
};
pub const MORE_ROWS: usize = 5;

/// A number per section of the form.
#[derive(Debug, Clone, Copy)]
pub struct Sections {
    pub attendees: usize,
    pub new_organisations: usize,
    pub agenda: usize,
    pub outcomes: usize,
    pub follow_ups: usize,
}

/// The most rows a section may have: the domain's limits (a longer posted
/// form is cut there, and the domain's count check never sees more).
const MAX_ROWS: Sections = Sections {
    attendees: limits::ATTENDEES,
    new_organisations: 100,
    agenda: limits::AGENDA_ITEMS,
    outcomes: limits::OUTCOMES,
    follow_ups: limits::FOLLOW_UPS,
};

/// One attendee row: a person by name (found on the server, or picked with
/// the type-ahead, which fills `person_id`), a person new to Samverkan, or
/// an organisation attending without named people (no name, only the
/// organisation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttendeeRow {
    pub person: String,
    pub person_id: String,
    pub organisation: String,
    /// The organisation's id, where the form knows it (a logged meeting's
    /// row): the name is then checked against it, not searched, so that an
    /// organisation archived since the meeting stays.
    pub organisation_id: String,
    pub role: String,
    pub status: String,
    pub new_person: bool,
    pub minor: bool,
}

impl AttendeeRow {
    pub fn is_blank(&self) -> bool {
        self.person.trim().is_empty() && self.organisation.trim().is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewOrganisationRow {
    pub name: String,
    pub kind: String,
}

impl NewOrganisationRow {
    pub fn is_blank(&self) -> bool {
        self.name.trim().is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgendaRow {
    /// The logged item this row is (the edit form), or empty for a new one.
    pub id: String,
    pub title: String,
    /// Attendees' names, separated by commas.
    pub presenters: String,
    pub duration: String,
    pub description: String,
    /// The item's tags, carried unchanged (the form does not show them).
    pub tags: String,
}

impl AgendaRow {
    pub fn is_blank(&self) -> bool {
        [&self.title, &self.presenters, &self.duration, &self.description]
            .iter()
            .all(|value| value.trim().is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeRow {
    /// The logged outcome this row is (the edit form), or empty.
    pub id: String,
    pub kind: String,
    pub text: String,
    /// The agenda row's number (1-based), or empty.
    pub agenda: String,
}

impl OutcomeRow {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty() && self.agenda.trim().is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpRow {
    pub title: String,
    pub details: String,
    /// A person's name.
    pub owner: String,
    /// An organisation's name.
    pub organisation: String,
    pub due: String,
    pub status: String,
    /// The outcome row's number (1-based), or empty.
    pub outcome: String,
}

impl FollowUpRow {
    pub fn is_blank(&self) -> bool {
        [
            &self.title,
            &self.details,
            &self.owner,
            &self.organisation,
            &self.due,
        ]
        .iter()
        .all(|value| value.trim().is_empty())
    }
}

/// Everything the meeting form holds, exactly as typed (drafts keep this).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    pub title: String,
    pub kind: String,
    pub date: String,
    pub starts: String,
    pub ends: String,
    pub location: String,
    /// The host organisation's name.
    pub host: String,
    /// The host's id, where the form knows it (see `AttendeeRow`).
    pub host_id: String,
    /// Chosen partnerships' ids.
    pub partnerships: Vec<String>,
    pub summary: String,
    pub tags: String,
    pub status: String,
    pub attendees: Vec<AttendeeRow>,
    pub new_organisations: Vec<NewOrganisationRow>,
    pub agenda: Vec<AgendaRow>,
    pub outcomes: Vec<OutcomeRow>,
    pub follow_ups: Vec<FollowUpRow>,
    /// The version of the logged meeting the edit form was read at.
    pub version: String,
    /// The organisation whose people to tick as attendees ("or first
    /// choose organisations and tick their people"), by name.
    pub pick_organisation: String,
    /// The ids of the people ticked in that list.
    pub picked: Vec<String>,
}

/// What the pressed button asks for. Pressing Enter in a field sends the
/// form's first button, [`Action::Check`]: nothing is saved by accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Find the people and organisations named, show what is wrong, save
    /// nothing.
    Check,
    Save,
    SaveDraft,
    MoreRows,
    /// Every attendee who is invited or confirmed is marked attended.
    AllAttended,
    /// Show the people of the organisation named in `pick_organisation`.
    ShowPeople,
    /// Add the people ticked in that list as attendee rows.
    AddPicked,
    Remove(Section, usize),
    Up(usize),
    Down(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Attendees,
    NewOrganisations,
    Agenda,
    Outcomes,
    FollowUps,
}

impl Section {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "attendees" => Self::Attendees,
            "new_organisations" => Self::NewOrganisations,
            "agenda" => Self::Agenda,
            "outcomes" => Self::Outcomes,
            "follow_ups" => Self::FollowUps,
            _ => return None,
        })
    }
}

impl Action {
    fn parse(value: &str) -> Self {
        let (verb, rest) = value.split_once(':').unwrap_or((value, ""));
        let row = || rest.rsplit(':').next().and_then(|row| row.parse().ok());
        match (verb, row()) {
            ("save", _) => Self::Save,
            ("draft", _) => Self::SaveDraft,
            ("more", _) => Self::MoreRows,
            ("all-attended", _) => Self::AllAttended,
            ("show-people", _) => Self::ShowPeople,
            ("add-picked", _) => Self::AddPicked,
            ("up", Some(row)) => Self::Up(row),
            ("down", Some(row)) => Self::Down(row),
            ("remove", Some(row)) => rest
                .split(':')
                .next()
                .and_then(Section::parse)
                .map_or(Self::Check, |section| Self::Remove(section, row)),
            _ => Self::Check,
        }
    }
}

/// The meeting's own fields, in the order the form shows them.
const MEETING_FIELDS: [&str; 11] = [
    "title",
    "kind",
    "date",
    "starts",
    "ends",
    "location",
    "host",
    "partnerships",
    "summary",
    "tags",
    "status",
];
/// The row sections, in the order the form shows them.
const SECTIONS: [&str; 5] = [
    "attendees",
    "new_organisations",
    "agenda",
    "outcomes",
    "follow_ups",
];
/// The rows' fields, in the order a row shows them.
const ROW_FIELDS: [&str; 16] = [
    "person",
    "organisation",
    "role",
    "status",
    "new_person",
    "minor",
    "name",
    "kind",
    "title",
    "presenters",
    "duration",
    "text",
    "agenda",
    "owner",
    "due",
    "details",
];

/// A row field's id split: (section, row, field).
pub fn split_id(id: &str) -> Option<(&str, usize, &str)> {
    let mut parts = id.splitn(3, '-');
    let section = parts.next()?;
    let row = parts.next()?.parse().ok()?;
    Some((section, row, parts.next()?))
}

/// Where field `id` stands in the form, for ordering its error.
pub fn rank(id: &str) -> (usize, usize, usize) {
    let position = |list: &[&str], name: &str| list.iter().position(|n| *n == name).unwrap_or(list.len());
    match split_id(id) {
        Some((section, row, field)) => (
            1 + position(&SECTIONS, section),
            row,
            position(&ROW_FIELDS, field),
        ),
        None => (0, 0, position(&MEETING_FIELDS, id)),
    }
}

/// The row `index` of `rows`, made if missing; `None` past `max`.
fn row<T: Default>(rows: &mut Vec<T>, index: usize, max: usize) -> Option<&mut T> {
    if index >= max {
        return None;
    }
    if rows.len() <= index {
        rows.resize_with(index + 1, T::default);
    }
    rows.get_mut(index)
}

impl MeetingForm {
    /// The form and its action from the posted pairs. Unknown names are
    /// ignored (`_csrf`, a draft's id), as are rows past the limits.
    pub fn from_pairs(pairs: &[(String, String)]) -> (Self, Action) {
        let mut form = Self::default();
        let mut action = Action::Check;
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "action" => action = Action::parse(&value),
                "title" => form.title = value,
                "kind" => form.kind = value,
                "date" => form.date = value,
                "starts" => form.starts = value,
                "ends" => form.ends = value,
                "location" => form.location = value,
                "host" => form.host = value,
                "host_id" => form.host_id = value,
                "pick_organisation" => form.pick_organisation = value,
                "picked" => form.picked.push(value),
                "version" => form.version = value,
                "partnerships" => form.partnerships.push(value),
                "summary" => form.summary = value,
                "tags" => form.tags = value,
                "status" => form.status = value,
                _ => form.set_row_field(name, value),
            }
        }
        (form, action)
    }

    fn set_row_field(&mut self, name: &str, value: String) {
        let Some((section, index, field)) = split_id(name) else {
            return;
        };
        let ticked = !value.is_empty();
        match section {
            "attendees" => {
                let Some(row) = row(&mut self.attendees, index, MAX_ROWS.attendees) else {
                    return;
                };
                match field {
                    "person" => row.person = value,
                    "person_id" => row.person_id = value,
                    "organisation" => row.organisation = value,
                    "organisation_id" => row.organisation_id = value,
                    "role" => row.role = value,
                    "status" => row.status = value,
                    "new_person" => row.new_person = ticked,
                    "minor" => row.minor = ticked,
                    _ => {}
                }
            }
            "new_organisations" => {
                let Some(row) = row(&mut self.new_organisations, index, MAX_ROWS.new_organisations) else {
                    return;
                };
                match field {
                    "name" => row.name = value,
                    "kind" => row.kind = value,
                    _ => {}
                }
            }
            "agenda" => {
                let Some(row) = row(&mut self.agenda, index, MAX_ROWS.agenda) else {
                    return;
                };
                match field {
                    "id" => row.id = value,
                    "title" => row.title = value,
                    "presenters" => row.presenters = value,
                    "duration" => row.duration = value,
                    "description" => row.description = value,
                    "tags" => row.tags = value,
                    _ => {}
                }
            }
            "outcomes" => {
                let Some(row) = row(&mut self.outcomes, index, MAX_ROWS.outcomes) else {
                    return;
                };
                match field {
                    "id" => row.id = value,
                    "kind" => row.kind = value,
                    "text" => row.text = value,
                    "agenda" => row.agenda = value,
                    _ => {}
                }
            }
            "follow_ups" => {
                let Some(row) = row(&mut self.follow_ups, index, MAX_ROWS.follow_ups) else {
                    return;
                };
                match field {
                    "title" => row.title = value,
                    "details" => row.details = value,
                    "owner" => row.owner = value,
                    "organisation" => row.organisation = value,
                    "due" => row.due = value,
                    "status" => row.status = value,
                    "outcome" => row.outcome = value,
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// Pads each section with blank rows up to `at_least` (its rows as sent
    /// are kept, blank ones included, so nothing moves under the reader).
    pub fn pad(&mut self, at_least: Sections) {
        let pad = |len: usize, want: usize, max: usize| len.max(want).min(max);
        self.attendees.resize_with(
            pad(self.attendees.len(), at_least.attendees, MAX_ROWS.attendees),
            AttendeeRow::default,
        );
        self.new_organisations.resize_with(
            pad(
                self.new_organisations.len(),
                at_least.new_organisations,
                MAX_ROWS.new_organisations,
            ),
            NewOrganisationRow::default,
        );
        self.agenda.resize_with(
            pad(self.agenda.len(), at_least.agenda, MAX_ROWS.agenda),
            AgendaRow::default,
        );
        self.outcomes.resize_with(
            pad(self.outcomes.len(), at_least.outcomes, MAX_ROWS.outcomes),
            OutcomeRow::default,
        );
        self.follow_ups.resize_with(
            pad(self.follow_ups.len(), at_least.follow_ups, MAX_ROWS.follow_ups),
            FollowUpRow::default,
        );
    }

    /// The rows each section has now.
    pub fn rows(&self) -> Sections {
        Sections {
            attendees: self.attendees.len(),
            new_organisations: self.new_organisations.len(),
            agenda: self.agenda.len(),
            outcomes: self.outcomes.len(),
            follow_ups: self.follow_ups.len(),
        }
    }

    /// Carries out an action that changes only the form: the rows to add,
    /// remove or move, and marking attendance. Moving or removing an agenda
    /// row keeps each outcome tied to the same item (and an outcome row's
    /// removal each follow-up to the same outcome).
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::MoreRows => {
                let now = self.rows();
                self.pad(Sections {
                    attendees: now.attendees + MORE_ROWS,
                    new_organisations: now.new_organisations + 1,
                    agenda: now.agenda + MORE_ROWS,
                    outcomes: now.outcomes + MORE_ROWS,
                    follow_ups: now.follow_ups + MORE_ROWS,
                });
            }
            Action::AllAttended => {
                for row in &mut self.attendees {
                    if !row.is_blank() && matches!(row.status.as_str(), "" | "invited" | "confirmed") {
                        row.status = "attended".to_owned();
                    }
                }
            }
            Action::Remove(section, index) => match section {
                Section::Attendees => remove(&mut self.attendees, index),
                Section::NewOrganisations => remove(&mut self.new_organisations, index),
                Section::Agenda => {
                    if index < self.agenda.len() {
                        self.agenda.remove(index);
                        renumber(
                            &mut self.outcomes,
                            |outcome| &mut outcome.agenda,
                            |n| {
                                if n == index {
                                    None
                                } else if n > index {
                                    Some(n - 1)
                                } else {
                                    Some(n)
                                }
                            },
                        );
                    }
                }
                Section::Outcomes => {
                    if index < self.outcomes.len() {
                        self.outcomes.remove(index);
                        renumber(
                            &mut self.follow_ups,
                            |follow_up| &mut follow_up.outcome,
                            |n| {
                                if n == index {
                                    None
                                } else if n > index {
                                    Some(n - 1)
                                } else {
                                    Some(n)
                                }
                            },
                        );
                    }
                }
                Section::FollowUps => remove(&mut self.follow_ups, index),
            },
            Action::Up(index) if index > 0 && index < self.agenda.len() => self.swap_agenda(index - 1),
            Action::Down(index) if index + 1 < self.agenda.len() => self.swap_agenda(index),
            _ => {}
        }
    }

    /// Adds the people picked (id, name, organisation's name) as attendee
    /// rows, in the first blank rows and then after them, leaving out those
    /// already listed; the list of the organisation's people is closed.
    pub fn add_picked(&mut self, people: Vec<(String, String, String)>) {
        for (id, name, organisation) in people {
            if self.attendees.iter().any(|row| row.person_id == id) {
                continue;
            }
            let row = AttendeeRow {
                person: name,
                person_id: id,
                organisation,
                role: "participant".to_owned(),
                status: "attended".to_owned(),
                ..AttendeeRow::default()
            };
            if let Some(blank) = self.attendees.iter_mut().find(|row| row.is_blank()) {
                *blank = row;
            } else if self.attendees.len() < MAX_ROWS.attendees {
                self.attendees.push(row);
            } else {
                break;
            }
        }
        self.pick_organisation.clear();
        self.picked.clear();
    }

    /// Swaps agenda rows `first` and `first + 1`.
    fn swap_agenda(&mut self, first: usize) {
        self.agenda.swap(first, first + 1);
        renumber(
            &mut self.outcomes,
            |outcome| &mut outcome.agenda,
            |n| {
                Some(if n == first {
                    first + 1
                } else if n == first + 1 {
                    first
                } else {
                    n
                })
            },
        );
    }
}

fn remove<T>(rows: &mut Vec<T>, index: usize) {
    if index < rows.len() {
        rows.remove(index);
    }
}

/// Rewrites the 1-based row numbers that `field` holds in `rows` through
/// `to` (0-based in, 0-based out; `None` clears the number).
fn renumber<T>(rows: &mut [T], field: impl Fn(&mut T) -> &mut String, to: impl Fn(usize) -> Option<usize>) {
    for row in rows {
        let number = field(row);
        if let Ok(n) = number.trim().parse::<usize>()
            && n >= 1
        {
            *number = to(n - 1).map(|n| (n + 1).to_string()).unwrap_or_default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn rows_are_read_by_their_numbered_names() {
        let (form, action) = MeetingForm::from_pairs(&pairs(&[
            ("_csrf", "x"),
            ("title", "Partnerträff"),
            ("attendees-2-person", "Lena Lindhé"),
            ("attendees-2-new_person", "1"),
            ("agenda-0-title", "Mål"),
            ("action", "remove:agenda:0"),
            ("attendees-99999-person", "cut"),
        ]));
        assert_eq!(form.title, "Partnerträff");
        assert_eq!(form.attendees.len(), 3);
        assert_eq!(form.attendees[2].person, "Lena Lindhé");
        assert!(form.attendees[2].new_person);
        assert!(form.attendees[0].is_blank());
        assert_eq!(action, Action::Remove(Section::Agenda, 0));
    }

    #[test]
    fn moving_an_agenda_row_keeps_outcomes_on_their_item() {
        let mut form = MeetingForm {
            agenda: ["A", "B", "C"]
                .iter()
                .map(|title| AgendaRow {
                    title: (*title).to_owned(),
                    ..AgendaRow::default()
                })
                .collect(),
            outcomes: vec![OutcomeRow {
                text: "on B".into(),
                agenda: "2".into(),
                ..OutcomeRow::default()
            }],
            ..MeetingForm::default()
        };
        form.apply(Action::Up(1));
        assert_eq!(form.agenda[0].title, "B");
        assert_eq!(form.outcomes[0].agenda, "1");
        form.apply(Action::Remove(Section::Agenda, 1));
        assert_eq!(form.outcomes[0].agenda, "1");
        form.apply(Action::Remove(Section::Agenda, 0));
        assert_eq!(form.outcomes[0].agenda, "");
        // Out of range: nothing moves.
        form.apply(Action::Down(7));
        assert_eq!(form.agenda.len(), 1);
    }

    #[test]
    fn picked_people_fill_the_blank_rows_once() {
        let mut form = MeetingForm {
            attendees: vec![
                AttendeeRow {
                    person: "Lena Lindhé".into(),
                    person_id: "a".into(),
                    ..AttendeeRow::default()
                },
                AttendeeRow::default(),
            ],
            pick_organisation: "Högskolan Väst".into(),
            picked: vec!["a".into(), "b".into()],
            ..MeetingForm::default()
        };
        let person = |id: &str, name: &str| (id.to_owned(), name.to_owned(), "Högskolan Väst".to_owned());
        form.add_picked(vec![
            person("a", "Lena Lindhé"),
            person("b", "Jan Theliander"),
            person("c", "Maria Derner"),
        ]);
        let names: Vec<&str> = form.attendees.iter().map(|row| row.person.as_str()).collect();
        assert_eq!(names, ["Lena Lindhé", "Jan Theliander", "Maria Derner"]);
        assert_eq!(form.attendees[1].status, "attended");
        assert!(form.pick_organisation.is_empty() && form.picked.is_empty());
    }

    #[test]
    fn an_unknown_button_only_checks() {
        assert_eq!(Action::parse("explode"), Action::Check);
        assert_eq!(Action::parse("remove:nothing:1"), Action::Check);
        assert_eq!(Action::parse("up:x"), Action::Check);
    }
}
