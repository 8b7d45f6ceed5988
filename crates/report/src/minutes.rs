//! The minutes of one meeting, as a [`Document`]: the meeting's facts as
//! figures, its summary, the attendees grouped by organisation, the agenda
//! in order with presenters, the outcomes (with the agenda item each came
//! from) and the follow-ups with owners and due dates.
//!
//! Attendees fall in three groups per organisation, by attendance status:
//! *attended*; *invited or confirmed*, whose attendance was not recorded
//! (for a planned meeting: who is expected); and *absent*. An organisation
//! that took part without named people is listed as itself. Organisations
//! and people are in Swedish alphabetical order; a role other than
//! participant is shown after the name.

use std::collections::{BTreeMap, HashMap};

use samverkan_domain::{
    AgendaItemId, AttendanceRole, AttendanceStatus, Attendee, MeetingRecords, Names, OrganisationId, text,
};

use crate::labels::{self, Label, Lang, Translated};
use crate::model::{Block, Document, Figure, Section, Table, Value};

/// The minutes of a meeting, in `lang`.
pub fn minutes(records: &MeetingRecords, names: &Names, lang: Lang) -> Document {
    let details = &records.meeting.details;
    let mut document = Document::new(lang, details.title.clone());
    document.subtitle = Some(format!(
        "{} – {}",
        Label::Minutes.text(lang),
        labels::long_date(lang, details.date())
    ));
    document.figures = figures(records, names, lang);
    if let Some(summary) = &details.summary {
        document
            .sections
            .push(Section::new(Label::Summary.text(lang)).with(Block::Paragraph {
                text: summary.clone(),
            }));
    }
    document.sections.push(attendees(records, names, lang));
    document.sections.push(agenda(records, names, lang));
    document.sections.push(outcomes(records, lang));
    document.sections.push(follow_ups(records, names, lang));
    document
}

/// An ASCII file name, without extension, for a meeting's minutes:
/// `minnesanteckningar-2024-04-26` / `minutes-2024-04-26`.
pub fn file_stem(records: &MeetingRecords, lang: Lang) -> String {
    let word = match lang {
        Lang::Sv => "minnesanteckningar",
        Lang::En => "minutes",
    };
    format!("{word}-{}", records.meeting.details.date())
}

fn figures(records: &MeetingRecords, names: &Names, lang: Lang) -> Vec<Figure> {
    let details = &records.meeting.details;
    let figure = |label: Label, value| Figure::new(label.text(lang), value);
    let mut figures = vec![figure(Label::Date, Value::Date(details.date()))];
    if !details.all_day {
        figures.push(figure(Label::Start, Value::Instant(details.starts_at)));
        if let Some(ends_at) = details.ends_at {
            figures.push(figure(Label::End, Value::Instant(ends_at)));
        }
    }
    figures.push(figure(Label::Kind, Value::text(details.kind.label(lang))));
    figures.push(figure(Label::Status, Value::text(details.status.label(lang))));
    if let Some(location) = &details.location {
        figures.push(figure(Label::Location, Value::text(location.clone())));
    }
    if let Some(host) = details.host_organisation_id {
        figures.push(figure(Label::Host, Value::text(names.organisation(host))));
    }
    let attended = records
        .attendances
        .iter()
        .filter(|a| a.status == AttendanceStatus::Attended)
        .count();
    figures.push(figure(Label::Present, Value::count(attended)));
    figures
}

/// The three groups of attendees, in their column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Attended,
    Unconfirmed,
    Absent,
}

impl Group {
    const fn of(status: AttendanceStatus) -> Self {
        match status {
            AttendanceStatus::Attended => Self::Attended,
            AttendanceStatus::Invited | AttendanceStatus::Confirmed => Self::Unconfirmed,
            AttendanceStatus::Absent => Self::Absent,
        }
    }
}

/// One organisation's attendees: its name, and per [`Group`] the entries
/// with their sort keys.
struct OrganisationAttendees {
    name: String,
    groups: [Vec<(String, String)>; 3],
}

fn attendees(records: &MeetingRecords, names: &Names, lang: Lang) -> Section {
    let section = Section::new(Label::Attendees.text(lang));
    if records.attendances.is_empty() {
        return section.with(nothing(lang));
    }
    let mut by_organisation: BTreeMap<(String, OrganisationId), OrganisationAttendees> = BTreeMap::new();
    for attendance in &records.attendances {
        let organisation = names.organisation(attendance.organisation_id);
        let key = (text::sort_key(&organisation), attendance.organisation_id);
        let name = match attendance.attendee {
            Attendee::Representative(id) => names.representative(id),
            Attendee::Organisation(_) => Label::OrganisationOnly.text(lang).to_owned(),
        };
        let entry = if attendance.role == AttendanceRole::Participant {
            name.clone()
        } else {
            format!("{name} ({})", attendance.role.label(lang))
        };
        let attendees = by_organisation
            .entry(key)
            .or_insert_with(|| OrganisationAttendees {
                name: organisation,
                groups: Default::default(),
            });
        if let Some(members) = attendees.groups.get_mut(Group::of(attendance.status) as usize) {
            members.push((text::sort_key(&name), entry));
        }
    }
    let mut table = Table::new([
        Label::Organisation.text(lang),
        Label::Present.text(lang),
        Label::Unconfirmed.text(lang),
        Label::Absent.text(lang),
    ])
    .primary();
    for attendees in by_organisation.into_values() {
        let mut row = vec![Value::text(attendees.name)];
        for mut members in attendees.groups {
            members.sort();
            let list: Vec<String> = members.into_iter().map(|(_, entry)| entry).collect();
            row.push(if list.is_empty() {
                Value::Empty
            } else {
                Value::text(list.join("\n"))
            });
        }
        table.push(row);
    }
    section.with(table)
}

fn agenda(records: &MeetingRecords, names: &Names, lang: Lang) -> Section {
    let section = Section::new(Label::Agenda.text(lang));
    if records.agenda.is_empty() {
        return section.with(nothing(lang));
    }
    let described = records.agenda.iter().any(|item| item.description.is_some());
    let mut columns = vec![Label::Number, Label::Item];
    if described {
        columns.push(Label::Description);
    }
    columns.extend([Label::Presenters, Label::DurationMinutes]);
    let mut table = Table::new(columns.iter().map(|label| label.text(lang)));
    for item in &records.agenda {
        let presenters: Vec<String> = item
            .presenter_ids
            .iter()
            .map(|id| names.representative(*id))
            .collect();
        let mut row = vec![
            Value::Integer(i64::from(item.position)),
            Value::text(item.title.clone()),
        ];
        if described {
            row.push(Value::optional_text(item.description.clone()));
        }
        row.push(if presenters.is_empty() {
            Value::Empty
        } else {
            Value::text(presenters.join(", "))
        });
        row.push(
            item.duration_minutes
                .map_or(Value::Empty, |m| Value::Integer(i64::from(m))),
        );
        table.push(row);
    }
    section.with(table)
}

fn outcomes(records: &MeetingRecords, lang: Lang) -> Section {
    let section = Section::new(Label::Outcomes.text(lang));
    if records.outcomes.is_empty() {
        return section.with(nothing(lang));
    }
    let items: HashMap<AgendaItemId, String> = records
        .agenda
        .iter()
        .map(|item| (item.id, format!("{}. {}", item.position, item.title)))
        .collect();
    let mut table = Table::new([
        Label::Number.text(lang),
        Label::Kind.text(lang),
        Label::Text.text(lang),
        Label::AgendaItem.text(lang),
    ]);
    for outcome in &records.outcomes {
        table.push(vec![
            Value::Integer(i64::from(outcome.position)),
            Value::text(outcome.kind.label(lang)),
            Value::text(outcome.text.clone()),
            Value::optional_text(outcome.agenda_item_id.and_then(|id| items.get(&id).cloned())),
        ]);
    }
    section.with(table)
}

fn follow_ups(records: &MeetingRecords, names: &Names, lang: Lang) -> Section {
    let section = Section::new(Label::FollowUps.text(lang));
    if records.follow_ups.is_empty() {
        return section.with(nothing(lang));
    }
    let mut table = Table::new([
        Label::Task.text(lang),
        Label::Owner.text(lang),
        Label::Organisation.text(lang),
        Label::Due.text(lang),
        Label::Status.text(lang),
    ]);
    for follow_up in &records.follow_ups {
        let details = &follow_up.details;
        table.push(vec![
            Value::text(details.title.clone()),
            Value::optional_text(details.owner_id.map(|id| names.representative(id))),
            Value::optional_text(details.organisation_id.map(|id| names.organisation(id))),
            details.due_on.map_or(Value::Empty, Value::Date),
            Value::text(details.status.label(lang)),
        ]);
    }
    section.with(table)
}

fn nothing(lang: Lang) -> Block {
    Block::Paragraph {
        text: Label::Nothing.text(lang).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use samverkan_domain::{
        Affiliation, AgendaItemInput, AttendeeInput, FollowUpInput, KnownRecords, KnownRepresentative,
        MeetingFollowUpInput, MeetingInput, MeetingKind, MeetingLog, MeetingLogInput, OutcomeInput,
        OutcomeKind, RepresentativeId, time,
    };

    use super::*;

    struct World {
        records: MeetingRecords,
        names: Names,
    }

    /// A partner day: a host with two people (one absent), a company
    /// attending without named people, a university with one invited person.
    fn world() -> World {
        let host = OrganisationId::new();
        let company = OrganisationId::new();
        let university = OrganisationId::new();
        let maria = RepresentativeId::new();
        let tilde = RepresentativeId::new();
        let lena = RepresentativeId::new();
        let mut known = KnownRecords::default();
        let mut names = Names::default();
        for (id, name) in [
            (host, "Kunskapsförbundet Väst"),
            (company, "<GKN> & Aerospace"),
            (university, "Högskolan Väst"),
        ] {
            known.organisations.insert(id, false);
            names.organisations.insert(id, name.into());
        }
        for (id, at, name) in [
            (maria, host, "Maria Hildefors"),
            (tilde, host, "Tilde"),
            (lena, university, "Lena Lindhé"),
        ] {
            known.representatives.insert(
                id,
                KnownRepresentative {
                    archived: false,
                    restricted: false,
                    affiliations: vec![Affiliation::first(id, at, None)],
                },
            );
            names.representatives.insert(id, name.into());
        }
        let attend = |attendee, role, status| AttendeeInput {
            attendee,
            role,
            status,
        };
        let input = MeetingLogInput {
            meeting: MeetingInput {
                title: "Strategisk partnerträff".into(),
                kind: Some(MeetingKind::PartnerDay),
                starts_at: Some(time::day_start(NaiveDate::from_ymd_opt(2024, 4, 26).unwrap())),
                all_day: true,
                location: Some("Drömfabriken, Trollhättan".into()),
                host_organisation_id: Some(host),
                summary: Some("Temat var Tillsammanskraft.".into()),
                ..MeetingInput::default()
            },
            attendees: vec![
                attend(
                    Attendee::Representative(maria),
                    AttendanceRole::Host,
                    AttendanceStatus::Attended,
                ),
                attend(
                    Attendee::Representative(tilde),
                    AttendanceRole::Participant,
                    AttendanceStatus::Absent,
                ),
                attend(
                    Attendee::Organisation(company),
                    AttendanceRole::Participant,
                    AttendanceStatus::Attended,
                ),
                attend(
                    Attendee::Representative(lena),
                    AttendanceRole::Guest,
                    AttendanceStatus::Invited,
                ),
            ],
            agenda: vec![
                AgendaItemInput {
                    title: "Kunskapsförbundets mål".into(),
                    presenter_ids: vec![maria],
                    duration_minutes: Some(30),
                    ..AgendaItemInput::default()
                },
                AgendaItemInput {
                    title: "Diskussion".into(),
                    ..AgendaItemInput::default()
                },
            ],
            outcomes: vec![OutcomeInput {
                kind: OutcomeKind::Insight,
                text: "Partnerskapet bygger broar.".into(),
                agenda_index: Some(1),
            }],
            follow_ups: vec![MeetingFollowUpInput {
                follow_up: FollowUpInput {
                    title: "Boka nästa träff".into(),
                    owner_id: Some(lena),
                    organisation_id: Some(university),
                    due_on: NaiveDate::from_ymd_opt(2024, 9, 30),
                    ..FollowUpInput::default()
                },
                outcome_index: Some(0),
            }],
        };
        let now = time::day_start(NaiveDate::from_ymd_opt(2024, 4, 29).unwrap());
        let records = MeetingLog::parse(input, now)
            .unwrap()
            .into_records(&known, now)
            .unwrap();
        World { records, names }
    }

    fn table(section: &Section) -> &Table {
        section
            .blocks
            .iter()
            .find_map(|block| match block {
                Block::Table(table) => Some(table),
                _ => None,
            })
            .unwrap()
    }

    fn texts(row: &[Value]) -> Vec<String> {
        row.iter()
            .map(|value| crate::display::value(Lang::Sv, value))
            .collect()
    }

    #[test]
    fn attendees_are_grouped_by_organisation_in_swedish_order() {
        let world = world();
        let document = minutes(&world.records, &world.names, Lang::Sv);
        assert_eq!(document.title, "Strategisk partnerträff");
        assert_eq!(
            document.subtitle.as_deref(),
            Some("Minnesanteckningar – 26 april 2024")
        );
        let sections: Vec<&str> = document.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            sections,
            [
                "Sammanfattning",
                "Deltagare",
                "Dagordning",
                "Utfall",
                "Uppföljningar"
            ]
        );
        let attendees = table(&document.sections[1]);
        let rows: Vec<Vec<String>> = attendees.rows.iter().map(|row| texts(row)).collect();
        assert_eq!(
            rows,
            [
                vec![
                    "<GKN> & Aerospace",
                    "(organisationen, inga namngivna personer)",
                    "",
                    ""
                ],
                vec!["Högskolan Väst", "", "Lena Lindhé (gäst)", ""],
                vec!["Kunskapsförbundet Väst", "Maria Hildefors (värd)", "", "Tilde"],
            ]
        );
        let present = document.figures.iter().find(|f| f.label == "Närvarande").unwrap();
        assert_eq!(present.value, Value::Integer(2));
    }

    #[test]
    fn agenda_outcomes_and_follow_ups_name_their_people() {
        let world = world();
        let document = minutes(&world.records, &world.names, Lang::En);
        let agenda: Vec<Vec<String>> = table(&document.sections[2])
            .rows
            .iter()
            .map(|r| texts(r))
            .collect();
        assert_eq!(
            agenda,
            [
                vec!["1", "Kunskapsförbundets mål", "Maria Hildefors", "30"],
                vec!["2", "Diskussion", "", ""],
            ]
        );
        let outcomes: Vec<Vec<String>> = table(&document.sections[3])
            .rows
            .iter()
            .map(|r| texts(r))
            .collect();
        assert_eq!(
            outcomes,
            [vec![
                "1",
                "Insight",
                "Partnerskapet bygger broar.",
                "2. Diskussion"
            ]]
        );
        let follow_ups = table(&document.sections[4]);
        assert_eq!(
            follow_ups.columns,
            ["Task", "Owner", "Organisation", "Due", "Status"]
        );
        assert_eq!(
            texts(&follow_ups.rows[0]),
            [
                "Boka nästa träff",
                "Lena Lindhé",
                "Högskolan Väst",
                "2024-09-30",
                "Open"
            ]
        );
    }

    /// The minutes as PDF: A4, the font embedded and subset, tagged with
    /// title and language, and every figure, heading, name and cell of the
    /// document in its text, Swedish letters intact.
    #[test]
    fn the_minutes_pdf_holds_every_text_on_a4() {
        let world = world();
        let document = minutes(&world.records, &world.names, Lang::Sv);
        let text = crate::pdf::tests::assert_whole(&document);
        assert!(text.contains("Kunskapsförbundet Väst") && text.contains("Lena Lindhé (gäst)"));
    }

    #[test]
    fn empty_parts_say_so() {
        let mut world = world();
        world.records.outcomes.clear();
        world.records.follow_ups.clear();
        let document = minutes(&world.records, &world.names, Lang::Sv);
        assert_eq!(
            document.sections[3].blocks,
            [Block::Paragraph {
                text: "Inget registrerat.".into()
            }]
        );
    }
}
