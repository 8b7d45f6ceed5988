//! The export of everything held about a person (GDPR Art. 15), as a
//! [`Document`]: written as readable HTML (for the person it is about) or
//! JSON (the document model, like every report's JSON) in Swedish or
//! English.

use samverkan_domain::privacy::{AuditEntry, LegalBasis, ProcessingTerms, RepresentativeData, UserData};
use samverkan_domain::time;

use crate::labels::{self, Label, Lang, Translated};
use crate::model::{Block, Document, Figure, Section, Table, Value};

/// A representative's data, in `lang`.
pub fn representative(data: &RepresentativeData, lang: Lang) -> Document {
    let person = &data.representative;
    let details = &person.details;
    let mut document = heading(details.full_name.as_str(), data.made_at, lang);
    document.figures = vec![
        figure(Label::Meetings, data.meetings.len(), lang),
        figure(Label::Presentations, data.presentations.len(), lang),
        figure(Label::FollowUps, data.follow_ups.len(), lang),
    ];
    let yes_no = |flag: bool| if flag { Label::Yes } else { Label::No }.text(lang);
    let record = fields(
        lang,
        vec![
            (Label::Name, Value::text(details.full_name.as_str())),
            (
                Label::Email,
                Value::optional_text(details.email.as_ref().map(ToString::to_string)),
            ),
            (
                Label::Phone,
                Value::optional_text(details.phone.as_ref().map(ToString::to_string)),
            ),
            (Label::Notes, Value::optional_text(details.notes.clone())),
            (Label::Minor, Value::text(yes_no(details.is_minor))),
            (Label::Created, Value::Instant(person.meta.created_at)),
            (Label::Updated, Value::Instant(person.meta.updated_at)),
            (Label::Archived, instant(person.meta.archived_at)),
            (Label::Restricted, instant(person.restricted_at)),
            (Label::Erased, instant(person.erased_at)),
        ],
    );
    document.sections.push(record);

    let mut affiliations = Table::new([
        Label::Organisation.text(lang),
        Label::Title.text(lang),
        Label::From.text(lang),
        Label::Until.text(lang),
    ]);
    for period in &data.affiliations {
        affiliations.push(vec![
            Value::text(period.organisation.clone()),
            Value::optional_text(period.affiliation.title.clone()),
            date(period.affiliation.started_on),
            date(period.affiliation.ended_on),
        ]);
    }
    document
        .sections
        .push(section(Label::Affiliations, affiliations, lang));

    let mut meetings = Table::new([
        Label::Start.text(lang),
        Label::Meeting.text(lang),
        Label::Organisation.text(lang),
        Label::Role.text(lang),
        Label::Attendance.text(lang),
    ])
    .primary();
    for meeting in &data.meetings {
        meetings.push(vec![
            Value::Instant(meeting.starts_at),
            Value::text(format!(
                "{} ({})",
                meeting.title,
                meeting.meeting_status.label(lang)
            )),
            Value::text(meeting.organisation.clone()),
            Value::text(meeting.role.label(lang)),
            Value::text(meeting.status.label(lang)),
        ]);
    }
    document.sections.push(section(Label::Meetings, meetings, lang));

    let mut presented = Table::new([
        Label::Start.text(lang),
        Label::Meeting.text(lang),
        Label::AgendaItem.text(lang),
    ]);
    for item in &data.presentations {
        presented.push(vec![
            Value::Instant(item.starts_at),
            Value::text(item.meeting_title.clone()),
            Value::text(item.title.clone()),
        ]);
    }
    document
        .sections
        .push(section(Label::ItemsPresented, presented, lang));

    let mut owned = Table::new([
        Label::Task.text(lang),
        Label::Status.text(lang),
        Label::Due.text(lang),
    ]);
    for follow_up in &data.follow_ups {
        owned.push(vec![
            Value::text(follow_up.title.clone()),
            Value::text(follow_up.status.label(lang)),
            date(follow_up.due_on),
        ]);
    }
    document
        .sections
        .push(section(Label::FollowUpsOwned, owned, lang));

    let mut accounts = Table::new([
        Label::Email.text(lang),
        Label::DisplayName.text(lang),
        Label::Role.text(lang),
        Label::Created.text(lang),
        Label::Disabled.text(lang),
    ]);
    for user in &data.users {
        accounts.push(vec![
            Value::text(user.details.email.as_str()),
            Value::optional_text(user.details.display_name.clone()),
            Value::text(user.details.role.label(lang)),
            Value::Instant(user.created_at),
            instant(user.disabled_at),
        ]);
    }
    document
        .sections
        .push(section(Label::UserAccounts, accounts, lang));
    document.sections.push(audit(&data.audit, lang));
    document.sections.extend(terms(&data.terms, lang));
    document
}

/// A user account's data, in `lang`.
pub fn user(data: &UserData, lang: Lang) -> Document {
    let user = &data.user;
    let shown = user
        .details
        .display_name
        .clone()
        .unwrap_or_else(|| user.details.email.to_string());
    let mut document = heading(&shown, data.made_at, lang);
    document.sections.push(fields(
        lang,
        vec![
            (Label::Email, Value::text(user.details.email.as_str())),
            (
                Label::DisplayName,
                Value::optional_text(user.details.display_name.clone()),
            ),
            (Label::Role, Value::text(user.details.role.label(lang))),
            (Label::Created, Value::Instant(user.created_at)),
            (Label::Updated, Value::Instant(user.updated_at)),
            (Label::Disabled, instant(user.disabled_at)),
            (Label::Erased, instant(user.erased_at)),
        ],
    ));
    let mut tokens = Table::new([
        Label::Name.text(lang),
        Label::Created.text(lang),
        Label::Expires.text(lang),
        Label::Revoked.text(lang),
        Label::LastUsed.text(lang),
    ]);
    for token in &data.tokens {
        tokens.push(vec![
            Value::text(token.name.clone()),
            Value::Instant(token.created_at),
            instant(token.expires_at),
            instant(token.revoked_at),
            instant(token.last_used_at),
        ]);
    }
    document.sections.push(section(Label::Tokens, tokens, lang));
    let mut sessions = Table::new([
        Label::Created.text(lang),
        Label::LastSeen.text(lang),
        Label::Address.text(lang),
        Label::Browser.text(lang),
    ]);
    for session in &data.sessions {
        sessions.push(vec![
            Value::Instant(session.created_at),
            Value::Instant(session.last_seen_at),
            Value::optional_text(session.client_address.clone()),
            Value::optional_text(session.user_agent.clone()),
        ]);
    }
    document.sections.push(section(Label::Sessions, sessions, lang));
    document.sections.push(audit(&data.audit, lang));
    document.sections.extend(terms(&data.terms, lang));
    document
}

/// An ASCII file name, without extension: `personuppgifter-<id>`.
pub fn file_stem(id: uuid::Uuid, lang: Lang) -> String {
    let word = match lang {
        Lang::Sv => "personuppgifter",
        Lang::En => "personal-data",
    };
    format!("{word}-{id}")
}

fn heading(name: &str, made_at: chrono::DateTime<chrono::Utc>, lang: Lang) -> Document {
    let mut document = Document::new(lang, format!("{}: {name}", Label::PersonalData.text(lang)));
    document.subtitle = Some(format!(
        "{}, {}",
        Label::PersonalDataMade.text(lang),
        labels::long_date(lang, time::local_date(made_at))
    ));
    document
}

fn figure(label: Label, count: usize, lang: Lang) -> Figure {
    Figure::new(label.text(lang), Value::count(count))
}

fn instant(at: Option<chrono::DateTime<chrono::Utc>>) -> Value {
    at.map_or(Value::Empty, Value::Instant)
}

fn date(on: Option<chrono::NaiveDate>) -> Value {
    on.map_or(Value::Empty, Value::Date)
}

/// A record's fields as a two-column table.
fn fields(lang: Lang, rows: Vec<(Label, Value)>) -> Section {
    let mut table = Table::new([Label::Field.text(lang), Label::FieldValue.text(lang)]);
    for (label, value) in rows {
        table.push(vec![Value::text(label.text(lang)), value]);
    }
    Section::new(Label::Record.text(lang)).with(table)
}

/// A table under its heading, or "Nothing recorded." for an empty one.
fn section(heading: Label, table: Table, lang: Lang) -> Section {
    let section = Section::new(heading.text(lang));
    if table.rows.is_empty() {
        return section.with(Block::Paragraph {
            text: Label::Nothing.text(lang).to_owned(),
        });
    }
    section.with(table)
}

/// Every audit event, with the snapshots as stored (JSON).
fn audit(entries: &[AuditEntry], lang: Lang) -> Section {
    let mut table = Table::new([
        Label::When.text(lang),
        Label::Who.text(lang),
        Label::What.text(lang),
        Label::Before.text(lang),
        Label::After.text(lang),
    ]);
    for entry in entries {
        table.push(vec![
            Value::Instant(entry.occurred_at),
            Value::text(entry.actor.clone()),
            Value::text(format!("{} {} ({})", entry.entity, entry.action, entry.entity_id)),
            Value::optional_text(entry.before.clone()),
            Value::optional_text(entry.after.clone()),
        ]);
    }
    section(Label::AuditTrail, table, lang)
}

/// Why, on what basis and how long: the deployment's terms, and the
/// person's rights.
fn terms(terms: &ProcessingTerms, lang: Lang) -> [Section; 2] {
    let basis = match terms.legal_basis {
        LegalBasis::PublicTask => Label::PublicTask,
        LegalBasis::LegitimateInterest => Label::LegitimateInterest,
    };
    let retention = match lang {
        Lang::Sv => format!(
            "Uppgifter om minderåriga raderas {} dagar efter deras senaste möte. Övriga uppgifter gås igenom när \
             personen inte har varit aktiv på {} år.",
            terms.retention.minor_days, terms.retention.review_years
        ),
        Lang::En => format!(
            "Data about minors is erased {} days after their last meeting. Other data is reviewed once the \
             person has not been active for {} years.",
            terms.retention.minor_days, terms.retention.review_years
        ),
    };
    let mut rows = Vec::new();
    if let Some(controller) = &terms.controller {
        rows.push(vec![
            Value::text(Label::Controller.text(lang)),
            Value::text(controller.clone()),
        ]);
    }
    rows.push(vec![
        Value::text(Label::Purpose.text(lang)),
        Value::text(Label::PurposeText.text(lang)),
    ]);
    rows.push(vec![
        Value::text(Label::LegalBasis.text(lang)),
        Value::text(basis.text(lang)),
    ]);
    rows.push(vec![
        Value::text(Label::Retention.text(lang)),
        Value::text(retention),
    ]);
    let mut table = Table::new([Label::Field.text(lang), Label::FieldValue.text(lang)]);
    for row in rows {
        table.push(row);
    }
    [
        Section::new(Label::Processing.text(lang)).with(table),
        Section::new(Label::Rights.text(lang)).with(Block::Paragraph {
            text: Label::RightsText.text(lang).to_owned(),
        }),
    ]
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use samverkan_domain::privacy::{MeetingTaken, NamedAffiliation};
    use samverkan_domain::{
        Affiliation, AttendanceRole, AttendanceStatus, MeetingId, MeetingStatus, OrganisationId, RecordMeta,
        Representative, RepresentativeDraft, RepresentativeId, RepresentativeInput,
    };

    use super::*;

    fn data() -> RepresentativeData {
        let id = RepresentativeId::new();
        let organisation = OrganisationId::new();
        let draft = RepresentativeDraft::parse(&RepresentativeInput {
            full_name: "Lena Lindhé".into(),
            organisation_id: Some(organisation),
            email: Some("lena@hv.se".into()),
            ..RepresentativeInput::default()
        })
        .unwrap();
        let affiliation = Affiliation::first(id, organisation, Some("Samverkansstrateg".into()));
        RepresentativeData {
            representative: Representative {
                id,
                details: draft.details,
                affiliation: affiliation.clone(),
                meta: RecordMeta::new(Utc::now()),
                restricted_at: None,
                erased_at: None,
            },
            affiliations: vec![NamedAffiliation {
                affiliation,
                organisation: "Högskolan Väst".into(),
            }],
            meetings: vec![MeetingTaken {
                meeting_id: MeetingId::new(),
                title: "Strategisk partnerträff".into(),
                starts_at: Utc::now(),
                meeting_status: MeetingStatus::Held,
                organisation: "Högskolan Väst".into(),
                role: AttendanceRole::Presenter,
                status: AttendanceStatus::Attended,
            }],
            presentations: vec![],
            follow_ups: vec![],
            users: vec![],
            audit: vec![],
            terms: ProcessingTerms::default(),
            made_at: Utc::now(),
        }
    }

    #[test]
    fn the_export_reads_in_either_language_with_every_section() {
        let sv = String::from_utf8(crate::html::render(&representative(&data(), Lang::Sv)).unwrap()).unwrap();
        for text in [
            "Personuppgifter: Lena Lindhé",
            "lena@hv.se",
            "Högskolan Väst",
            "Strategisk partnerträff",
            "föredragande",
            "Inget registrerat.",
            "365 dagar",
            "Integritetsskyddsmyndigheten",
        ] {
            assert!(sv.contains(text), "{text} missing from the Swedish export");
        }
        let en = String::from_utf8(crate::html::render(&representative(&data(), Lang::En)).unwrap()).unwrap();
        assert!(en.contains("Personal data: Lena Lindhé") && en.contains("Your rights"));
        assert!(en.contains("365 days"));
    }
}
