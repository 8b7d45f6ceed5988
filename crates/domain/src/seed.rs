//! The seed: the strategic partner day of 2024-04-26 this project started
//! from (a news item by Kunskapsförbundet Väst, 2024-04-29), as facts.
//!
//! Every organisation, person, title, agenda topic and outcome below is read
//! off that article (`shared/seed/` holds it, and its README the facts);
//! nothing else is invented, except the follow-ups, which the article does
//! not name and which are therefore marked as examples. Data, not
//! persistence: the store's `load_demo` writes it.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, FollowUpInput,
    FollowUpStatus, MeetingFollowUpInput, MeetingInput, MeetingKind, MeetingLogInput, MeetingStatus,
    OrganisationId, OrganisationKind, OutcomeInput, OutcomeKind, PartnershipId, RepresentativeId,
};

pub const HOST: &str = "Kunskapsförbundet Väst";
pub const UNIVERSITY: &str = "Högskolan Väst";
pub const MEETING_TITLE: &str = "Strategisk partnerträff";

/// The seed's date: Friday 2024-04-26 ("i fredags" in an article of Monday
/// 2024-04-29). No times are given, so the meeting is all day.
pub fn meeting_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 4, 26).unwrap_or_default()
}

/// What Högskolan Väst's strategic partnerships are for, as the article
/// describes them: each partner of the day has one with the university.
pub const PARTNERSHIP_GOALS: &str =
    "Ömsesidighet och gemensam samhällsnytta; ledningen för varje part deltar aktivt.";

#[derive(Debug)]
pub struct OrganisationFact {
    pub name: &'static str,
    pub kind: OrganisationKind,
    pub city: Option<&'static str>,
    pub description: Option<&'static str>,
    /// Attended without any named person (organisation-level attendance).
    pub attendance: Option<AttendanceStatus>,
}

pub const ORGANISATIONS: &[OrganisationFact] = &[
    OrganisationFact {
        name: HOST,
        kind: OrganisationKind::EducationProvider,
        city: Some("Trollhättan"),
        description: Some("Gymnasie- och vuxenutbildning i Trollhättan och Vänersborg."),
        attendance: None,
    },
    OrganisationFact {
        name: UNIVERSITY,
        kind: OrganisationKind::University,
        city: None,
        description: None,
        attendance: None,
    },
    OrganisationFact {
        name: "GKN Aerospace",
        kind: OrganisationKind::Company,
        city: None,
        description: None,
        attendance: Some(AttendanceStatus::Attended),
    },
    OrganisationFact {
        name: "NU-sjukvården",
        kind: OrganisationKind::Healthcare,
        city: None,
        description: Some("Regional hälso- och sjukvård."),
        attendance: Some(AttendanceStatus::Attended),
    },
    OrganisationFact {
        name: "Vattenfall",
        kind: OrganisationKind::Company,
        city: None,
        description: Some("Energiföretag."),
        attendance: Some(AttendanceStatus::Attended),
    },
    // Named in the article's first paragraph, missing from its second list:
    // invited, attendance unconfirmed.
    OrganisationFact {
        name: "Trollhättans stad",
        kind: OrganisationKind::Municipality,
        city: None,
        description: None,
        attendance: Some(AttendanceStatus::Invited),
    },
    OrganisationFact {
        name: "Support Group Network",
        kind: OrganisationKind::Association,
        city: None,
        description: None,
        attendance: Some(AttendanceStatus::Attended),
    },
];

#[derive(Debug)]
pub struct PersonFact {
    pub name: &'static str,
    pub organisation: &'static str,
    pub title: &'static str,
    pub role: AttendanceRole,
    /// Pupils, likely minors: first name only, nothing else kept.
    pub is_minor: bool,
}

pub const PEOPLE: &[PersonFact] = &[
    PersonFact {
        name: "Maria Hildefors",
        organisation: HOST,
        title: "Förbundsdirektör",
        role: AttendanceRole::Host,
        is_minor: false,
    },
    PersonFact {
        name: "Lisa Thörn",
        organisation: HOST,
        title: "Utvecklingschef",
        role: AttendanceRole::Presenter,
        is_minor: false,
    },
    PersonFact {
        name: "Jan-Erik Aronsson",
        organisation: HOST,
        title: "Förbundsstrateg",
        role: AttendanceRole::Presenter,
        is_minor: false,
    },
    PersonFact {
        name: "Tilde",
        organisation: HOST,
        title: "Elev",
        role: AttendanceRole::Presenter,
        is_minor: true,
    },
    PersonFact {
        name: "Arsema",
        organisation: HOST,
        title: "Elev",
        role: AttendanceRole::Presenter,
        is_minor: true,
    },
    PersonFact {
        name: "Maria Derner",
        organisation: UNIVERSITY,
        title: "Kommunikationschef",
        role: AttendanceRole::Presenter,
        is_minor: false,
    },
    PersonFact {
        name: "Jan Theliander",
        organisation: UNIVERSITY,
        title: "Senior advisor",
        role: AttendanceRole::Presenter,
        is_minor: false,
    },
    PersonFact {
        name: "Lena Lindhé",
        organisation: UNIVERSITY,
        title: "Samverkansstrateg",
        role: AttendanceRole::Presenter,
        is_minor: false,
    },
];

#[derive(Debug)]
pub struct AgendaFact {
    pub title: &'static str,
    pub description: Option<&'static str>,
    pub presenters: &'static [&'static str],
}

pub const AGENDA: &[AgendaFact] = &[
    AgendaFact {
        title: "Kunskapsförbundets mål och organisation",
        description: None,
        presenters: &["Maria Hildefors"],
    },
    AgendaFact {
        title: "Nya reformer för gymnasie- och vuxenutbildningen",
        description: Some(
            "Reformer som påverkar gymnasie- och vuxenutbildningen och i förlängningen näringslivet och högskolan.",
        ),
        presenters: &["Lisa Thörn", "Jan-Erik Aronsson"],
    },
    AgendaFact {
        title: "Diskussion: samhällets kompetensbehov",
        description: Some(
            "Hur utbildningen möter samhällets kompetensbehov, vad som påverkar ungas val, och hur arbetsgivare \
             och utbildningsanordnare kan ge unga hopp.",
        ),
        presenters: &[],
    },
    AgendaFact {
        title: "Ungdomsbarometern",
        description: None,
        presenters: &["Maria Derner"],
    },
    AgendaFact {
        title: "Wexus – en samverkansarena för hållbar utveckling",
        description: None,
        presenters: &["Jan Theliander", "Lena Lindhé"],
    },
    AgendaFact {
        title: "Elevernas framtidsdrömmar",
        description: Some(
            "Elevernas drömmar om framtiden, deras erfarenheter av arbetsplatsförlagt lärande (APL) och förväntningar på arbetslivet.",
        ),
        presenters: &["Tilde", "Arsema"],
    },
];

/// The partner day as one meeting log, with the ids the store found or made
/// for its organisations, people and partnerships.
pub fn partner_day(
    starts_at: DateTime<Utc>,
    host: Option<OrganisationId>,
    partnership_ids: Vec<PartnershipId>,
    organisation_id: &impl Fn(&str) -> Option<OrganisationId>,
    person_id: &impl Fn(&str) -> Option<RepresentativeId>,
) -> MeetingLogInput {
    let mut attendees: Vec<AttendeeInput> = PEOPLE
        .iter()
        .filter_map(|fact| {
            person_id(fact.name).map(|id| AttendeeInput {
                attendee: Attendee::Representative(id),
                role: fact.role,
                status: AttendanceStatus::Attended,
            })
        })
        .collect();
    attendees.extend(ORGANISATIONS.iter().filter_map(|fact| {
        let status = fact.attendance?;
        organisation_id(fact.name).map(|id| AttendeeInput {
            attendee: Attendee::Organisation(id),
            role: AttendanceRole::Participant,
            status,
        })
    }));
    let agenda = AGENDA
        .iter()
        .map(|fact| AgendaItemInput {
            title: fact.title.into(),
            description: fact.description.map(Into::into),
            presenter_ids: fact
                .presenters
                .iter()
                .filter_map(|name| person_id(name))
                .collect(),
            ..AgendaItemInput::default()
        })
        .collect();
    let outcomes = vec![
        OutcomeInput {
            kind: OutcomeKind::Insight,
            text: "Det strategiska partnerskapet är mycket viktigt för Kunskapsförbundet: att mötas bygger broar \
                   mellan utbildning och arbetsliv. (Lisa Thörn)"
                .into(),
            agenda_index: None,
        },
        OutcomeInput {
            kind: OutcomeKind::Agreement,
            text: "Partnerskapen bygger på ömsesidighet och syftar till gemensam samhällsnytta; ledningen för varje \
                   part deltar aktivt; studenternas framtida arbete ska integreras bättre i undervisningen. \
                   (Högskolan Västs beskrivning av partnerskapet)"
                .into(),
            agenda_index: None,
        },
    ];
    let example = "Exempel i demodata: artikeln nämner inga uppföljningar.";
    let follow_ups = vec![
        MeetingFollowUpInput {
            follow_up: FollowUpInput {
                title: "Exempel: dela ungdomsbarometerns resultat med partnerna".into(),
                details: Some(example.into()),
                owner_id: person_id("Maria Derner"),
                organisation_id: organisation_id(UNIVERSITY),
                due_on: NaiveDate::from_ymd_opt(2024, 6, 14),
                status: Some(FollowUpStatus::Open),
                completed_on: None,
            },
            outcome_index: None,
        },
        MeetingFollowUpInput {
            follow_up: FollowUpInput {
                title: "Exempel: boka nästa strategiska partnerträff".into(),
                details: Some(example.into()),
                owner_id: person_id("Lena Lindhé"),
                organisation_id: organisation_id(UNIVERSITY),
                due_on: NaiveDate::from_ymd_opt(2024, 9, 30),
                status: Some(FollowUpStatus::InProgress),
                completed_on: None,
            },
            outcome_index: Some(1),
        },
    ];
    MeetingLogInput {
        meeting: MeetingInput {
            title: MEETING_TITLE.into(),
            kind: Some(MeetingKind::PartnerDay),
            starts_at: Some(starts_at),
            ends_at: None,
            all_day: true,
            location: Some("Drömfabriken, Kunskapsförbundet Västs förbundskontor, Trollhättan".into()),
            host_organisation_id: host,
            partnership_ids,
            summary: Some(
                "Heldag för Högskolan Västs strategiska partner, med temat Tillsammanskraft.".into(),
            ),
            tags: vec!["tillsammanskraft".into()],
            status: Some(MeetingStatus::Held),
        },
        attendees,
        agenda,
        outcomes,
        follow_ups,
    }
}
