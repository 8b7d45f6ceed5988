//! The partner brief of an organisation, as a [`Document`]: what to read
//! before meeting a partner. Who they are (kind, city, website and
//! description), our partnerships with them, their people who attended
//! most, their last meetings and what came of them, and their unfinished
//! follow-ups, the overdue ones marked in words.
//!
//! It is made of the store's [`PartnerBrief`], the same read the web page
//! `/organisations/{id}/brief` prints, so the page and the document agree.

use samverkan_domain::{FollowUp, PartnerBrief, time};

use crate::labels::{self, Label, Lang, Translated};
use crate::model::{Block, Document, Figure, Section, Table, Value};

/// The partner brief, in `lang`.
pub fn brief(data: &PartnerBrief, lang: Lang) -> Document {
    let details = &data.organisation.details;
    let mut document = Document::new(lang, details.name.as_str());
    document.subtitle = Some(format!(
        "{} – {}",
        Label::PartnerBrief.text(lang),
        labels::long_date(lang, data.as_of)
    ));
    document.figures = figures(data, lang);
    if let Some(description) = &details.description {
        document.sections.push(
            Section::new(Label::Description.text(lang)).with(Block::Paragraph {
                text: description.clone(),
            }),
        );
    }
    document.sections.push(partnerships(data, lang));
    document.sections.push(people(data, lang));
    document.sections.push(meetings(data, lang));
    document.sections.push(follow_ups(data, lang));
    document
}

/// An ASCII file name, without extension: `partnerbrief-hogskolan-vast-2024-04-26`
/// / `partner-brief-…`. The name's letters are folded to ASCII (å, ä → a,
/// ö → o, é → e) so that the name needs no encoding in a header.
pub fn file_stem(data: &PartnerBrief, lang: Lang) -> String {
    let word = match lang {
        Lang::Sv => "partnerbrief",
        Lang::En => "partner-brief",
    };
    let mut slug = String::new();
    for c in samverkan_domain::text::fold(data.organisation.details.name.as_str()).chars() {
        let c = match c {
            'å' | 'ä' | 'æ' => 'a',
            'ö' | 'ø' => 'o',
            'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    // Long names would make unwieldy file names; 40 characters name a
    // partner well enough.
    let slug: String = slug.chars().take(40).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        format!("{word}-{}", data.as_of)
    } else {
        format!("{word}-{slug}-{}", data.as_of)
    }
}

fn figures(data: &PartnerBrief, lang: Lang) -> Vec<Figure> {
    let details = &data.organisation.details;
    let figure = |label: Label, value| Figure::new(label.text(lang), value);
    let mut figures = vec![figure(Label::Kind, Value::text(details.kind.label(lang)))];
    if let Some(city) = &details.city {
        figures.push(figure(Label::City, Value::text(city.clone())));
    }
    if let Some(website) = &details.website {
        figures.push(figure(Label::Website, Value::text(website.as_str())));
    }
    figures.push(figure(Label::OpenFollowUps, Value::count(data.follow_ups.len())));
    let overdue = data
        .follow_ups
        .iter()
        .filter(|follow_up| follow_up.is_overdue(data.as_of))
        .count();
    figures.push(figure(Label::Overdue, Value::count(overdue)));
    figures
}

fn partnerships(data: &PartnerBrief, lang: Lang) -> Section {
    let section = Section::new(Label::OurPartnerships.text(lang));
    if data.partnerships.is_empty() {
        return section.with(nothing(lang));
    }
    let mut table = Table::new([
        Label::Partner.text(lang),
        Label::Kind.text(lang),
        Label::Status.text(lang),
        Label::Goals.text(lang),
    ]);
    for (partnership, other) in &data.partnerships {
        let details = &partnership.details;
        table.push(vec![
            Value::text(other.clone()),
            Value::text(details.kind.label(lang)),
            Value::text(details.status.label(lang)),
            Value::optional_text(details.goals.clone()),
        ]);
    }
    section.with(table)
}

fn people(data: &PartnerBrief, lang: Lang) -> Section {
    let section = Section::new(Label::AttendedMost.text(lang));
    if data.top_attendees.is_empty() {
        return section.with(nothing(lang));
    }
    let mut table = Table::new([
        Label::Name.text(lang),
        Label::Title.text(lang),
        Label::Meetings.text(lang),
        Label::LastMeeting.text(lang),
    ]);
    for attendee in &data.top_attendees {
        let person = &attendee.representative;
        // A minor's job title says more than a brief needs (docs/privacy.md);
        // the web page leaves it out too.
        let title = if person.details.is_minor {
            None
        } else {
            person.affiliation.title.clone()
        };
        table.push(vec![
            Value::text(person.details.full_name.as_str()),
            Value::optional_text(title),
            Value::Integer(attendee.attended),
            Value::Date(time::local_date(attendee.last_attended_at)),
        ]);
    }
    section.with(table)
}

fn meetings(data: &PartnerBrief, lang: Lang) -> Section {
    let section = Section::new(Label::LastMeetings.text(lang));
    if data.meetings.is_empty() {
        return section.with(nothing(lang));
    }
    let mut table = Table::new([
        Label::Date.text(lang),
        Label::Meeting.text(lang),
        Label::Outcomes.text(lang),
    ]);
    for records in &data.meetings {
        let details = &records.meeting.details;
        let outcomes = if records.outcomes.is_empty() {
            Label::NoOutcomes.text(lang).to_owned()
        } else {
            records
                .outcomes
                .iter()
                .map(|outcome| format!("{}: {}", outcome.kind.label(lang), outcome.text))
                .collect::<Vec<_>>()
                .join("\n")
        };
        table.push(vec![
            Value::Date(details.date()),
            Value::text(details.title.clone()),
            Value::text(outcomes),
        ]);
    }
    section.with(table)
}

fn follow_ups(data: &PartnerBrief, lang: Lang) -> Section {
    let section = Section::new(Label::OpenFollowUps.text(lang));
    if data.follow_ups.is_empty() {
        return section.with(nothing(lang));
    }
    let mut table = Table::new([
        Label::Task.text(lang),
        Label::Owner.text(lang),
        Label::Due.text(lang),
        Label::Status.text(lang),
    ]);
    for follow_up in &data.follow_ups {
        let details = &follow_up.details;
        table.push(vec![
            Value::text(details.title.clone()),
            Value::optional_text(details.owner_id.map(|id| data.names.representative(id))),
            details.due_on.map_or(Value::Empty, Value::Date),
            Value::text(status(follow_up, data, lang)),
        ]);
    }
    section.with(table)
}

/// "Öppen, försenad": overdue in words, not only in colour.
fn status(follow_up: &FollowUp, data: &PartnerBrief, lang: Lang) -> String {
    let status = follow_up.details.status.label(lang);
    if follow_up.is_overdue(data.as_of) {
        format!("{status}, {}", Label::IsOverdue.text(lang))
    } else {
        status.to_owned()
    }
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
        Affiliation, FollowUpDetails, FollowUpInput, FollowUpStatus, KnownRecords, MeetingInput, MeetingKind,
        MeetingLog, MeetingLogInput, Names, Organisation, OrganisationDetails, OrganisationId,
        OrganisationInput, OrganisationKind, OutcomeInput, OutcomeKind, Partnership, PartnershipDetails,
        PartnershipId, PartnershipInput, PartnershipKind, PartnershipStatus, RecordMeta, Representative,
        RepresentativeDraft, RepresentativeId, RepresentativeInput, TopAttendee,
    };

    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, d).unwrap()
    }

    fn person(name: &str, at: OrganisationId, title: Option<&str>, is_minor: bool) -> Representative {
        let draft = RepresentativeDraft::parse(&RepresentativeInput {
            full_name: name.into(),
            organisation_id: Some(at),
            title: title.map(Into::into),
            is_minor,
            ..RepresentativeInput::default()
        })
        .unwrap();
        let id = RepresentativeId::new();
        Representative {
            id,
            details: draft.details,
            affiliation: Affiliation::first(id, at, draft.title),
            meta: RecordMeta::new(time::day_start(day(1, 1))),
            restricted_at: None,
            erased_at: None,
        }
    }

    /// Högskolan Väst on 1 October 2024: a partnership, two people (one a
    /// minor with a title), a meeting with an outcome and one without, and
    /// two follow-ups, one overdue.
    fn högskolan() -> PartnerBrief {
        let now = time::day_start(day(10, 1));
        let id = OrganisationId::new();
        let other = OrganisationId::new();
        let organisation = Organisation {
            id,
            details: OrganisationDetails::parse(&OrganisationInput {
                name: "Högskolan Väst".into(),
                kind: Some(OrganisationKind::University),
                city: Some("Trollhättan".into()),
                website: Some("https://www.hv.se".into()),
                description: Some("Lärosäte med arbetsintegrerat lärande.".into()),
                ..OrganisationInput::default()
            })
            .unwrap(),
            meta: RecordMeta::new(now),
        };
        let partnership = Partnership {
            id: PartnershipId::new(),
            details: PartnershipDetails::parse(&PartnershipInput {
                organisation_ids: [Some(id), Some(other)],
                kind: Some(PartnershipKind::Strategic),
                status: Some(PartnershipStatus::Active),
                goals: Some("Fler praktikplatser åt studenterna.".into()),
                ..PartnershipInput::default()
            })
            .unwrap(),
            meta: RecordMeta::new(now),
        };
        let lena = person("Lena Lindhé", id, Some("Samverkansstrateg"), false);
        let elev = person("Örjan Åberg", id, Some("Elevrådets ordförande"), true);
        let meeting = |title: &str, date, outcomes: Vec<OutcomeInput>| {
            let input = MeetingLogInput {
                meeting: MeetingInput {
                    title: title.into(),
                    kind: Some(MeetingKind::PartnerDay),
                    starts_at: Some(time::day_start(date)),
                    all_day: true,
                    ..MeetingInput::default()
                },
                outcomes,
                ..MeetingLogInput::default()
            };
            MeetingLog::parse(input, now)
                .unwrap()
                .into_records(&KnownRecords::default(), now)
                .unwrap()
        };
        let meetings = vec![
            meeting(
                "Strategisk partnerträff",
                day(9, 12),
                vec![OutcomeInput {
                    kind: OutcomeKind::Decision,
                    text: "Vi bygger en gemensam kompetensplattform.".into(),
                    agenda_index: None,
                }],
            ),
            meeting("Studiebesök på Innovatum", day(4, 26), Vec::new()),
        ];
        let follow_up = |title: &str, due, owner: Option<RepresentativeId>| {
            let details = FollowUpDetails::parse(&FollowUpInput {
                title: title.into(),
                owner_id: owner,
                organisation_id: Some(id),
                due_on: Some(due),
                status: Some(FollowUpStatus::Open),
                ..FollowUpInput::default()
            })
            .unwrap();
            FollowUp::new(meetings[0].meeting.id, None, details, None, now)
        };
        let follow_ups = vec![
            follow_up("Dela ungdomsbarometerns resultat", day(6, 14), Some(lena.id)),
            follow_up("Boka nästa träff", day(12, 1), None),
        ];
        let mut names = Names::default();
        names.representatives.insert(lena.id, "Lena Lindhé".into());
        PartnerBrief {
            organisation,
            as_of: day(10, 1),
            partnerships: vec![(partnership, "Kunskapsförbundet Väst".into())],
            top_attendees: vec![
                TopAttendee {
                    representative: lena,
                    attended: 4,
                    last_attended_at: time::day_start(day(9, 12)),
                },
                TopAttendee {
                    representative: elev,
                    attended: 1,
                    last_attended_at: time::day_start(day(4, 26)),
                },
            ],
            meetings,
            follow_ups,
            names,
        }
    }

    fn rows(document: &Document, heading: &str) -> Vec<Vec<String>> {
        let section = document.sections.iter().find(|s| s.heading == heading).unwrap();
        match &section.blocks[0] {
            Block::Table(table) => table
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|v| crate::display::value(document.lang, v))
                        .collect()
                })
                .collect(),
            other => panic!("{heading}: {other:?}"),
        }
    }

    #[test]
    fn the_brief_names_partners_people_meetings_and_follow_ups() {
        let document = brief(&högskolan(), Lang::Sv);
        assert_eq!(document.title, "Högskolan Väst");
        assert_eq!(
            document.subtitle.as_deref(),
            Some("Partnerbrief – 1 oktober 2024")
        );
        let figures: Vec<(&str, String)> = document
            .figures
            .iter()
            .map(|f| (f.label.as_str(), crate::display::figure(Lang::Sv, &f.value)))
            .collect();
        assert_eq!(
            figures,
            [
                ("Typ", "Lärosäte".to_owned()),
                ("Ort", "Trollhättan".to_owned()),
                ("Webbplats", "https://www.hv.se/".to_owned()),
                ("Öppna uppföljningar", "2".to_owned()),
                ("Försenade", "1".to_owned()),
            ]
        );
        assert_eq!(
            rows(&document, "Våra partnerskap"),
            [[
                "Kunskapsförbundet Väst",
                "Strategiskt",
                "Aktivt",
                "Fler praktikplatser åt studenterna."
            ]]
        );
        assert_eq!(
            rows(&document, "Har deltagit mest"),
            [
                ["Lena Lindhé", "Samverkansstrateg", "4", "2024-09-12"],
                // A minor's title is left out.
                ["Örjan Åberg", "", "1", "2024-04-26"],
            ]
        );
        assert_eq!(
            rows(&document, "Senaste mötena och vad de gav"),
            [
                [
                    "2024-09-12",
                    "Strategisk partnerträff",
                    "Beslut: Vi bygger en gemensam kompetensplattform."
                ],
                [
                    "2024-04-26",
                    "Studiebesök på Innovatum",
                    "Inga utfall registrerade."
                ],
            ]
        );
        assert_eq!(
            rows(&document, "Öppna uppföljningar"),
            [
                [
                    "Dela ungdomsbarometerns resultat",
                    "Lena Lindhé",
                    "2024-06-14",
                    "Öppen, försenad"
                ],
                ["Boka nästa träff", "", "2024-12-01", "Öppen"],
            ]
        );
        assert_eq!(
            file_stem(&högskolan(), Lang::Sv),
            "partnerbrief-hogskolan-vast-2024-10-01"
        );
        assert_eq!(
            file_stem(&högskolan(), Lang::En),
            "partner-brief-hogskolan-vast-2024-10-01"
        );
    }

    #[test]
    fn an_organisation_without_records_says_so_in_each_part() {
        let mut data = högskolan();
        data.partnerships.clear();
        data.top_attendees.clear();
        data.meetings.clear();
        data.follow_ups.clear();
        let document = brief(&data, Lang::En);
        let nothing = Block::Paragraph {
            text: "Nothing recorded.".into(),
        };
        for heading in [
            "Our partnerships",
            "Attended most",
            "The last meetings and what came of them",
            "Open follow-ups",
        ] {
            let section = document.sections.iter().find(|s| s.heading == heading).unwrap();
            assert_eq!(section.blocks, std::slice::from_ref(&nothing), "{heading}");
        }
    }

    /// The brief as PDF: A4, its font embedded and subset, tagged in
    /// Swedish, and every text of the document in it, å, ä, ö intact.
    #[test]
    fn the_brief_pdf_holds_every_text_on_a4() {
        let document = brief(&högskolan(), Lang::Sv);
        let text = crate::pdf::tests::assert_whole(&document);
        assert!(text.contains("Örjan Åberg") && text.contains("Öppen, försenad"));
        let html = String::from_utf8(crate::render(&document, crate::Format::Html).unwrap()).unwrap();
        assert!(html.contains("<h1>Högskolan Väst</h1>"), "{html}");
        let md = String::from_utf8(crate::render(&document, crate::Format::Md).unwrap()).unwrap();
        assert!(
            md.contains("| Dela ungdomsbarometerns resultat | Lena Lindhé | 2024-06-14 | Öppen, försenad |"),
            "{md}"
        );
    }
}
