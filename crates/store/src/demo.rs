//! The demo data: the strategic partner day of 2024-04-26 this project
//! started from (a news item by Kunskapsförbundet Väst, 2024-04-29).
//!
//! Every organisation, person, title, agenda topic and outcome below is read
//! off that article; nothing else is invented, except the follow-ups, which
//! the article does not name and which are therefore marked as examples.
//! Loading is idempotent and atomic: what exists already (matched by name)
//! is reused, the rest is written in one transaction.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use chrono::NaiveDate;

use samverkan_domain::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, FollowUpInput,
    FollowUpStatus, MeetingFollowUpInput, MeetingInput, MeetingKind, MeetingLog, MeetingLogInput,
    MeetingRecords, MeetingStatus, Organisation, OrganisationDetails, OrganisationId, OrganisationInput,
    OrganisationKind, OutcomeInput, OutcomeKind, PartnershipDetails, PartnershipInput, PartnershipKind,
    PartnershipStatus, Representative, RepresentativeDraft, RepresentativeId, RepresentativeInput, time,
};

use crate::audit::Actor;
use crate::error::StoreResult;
use crate::support::SharedLock;
use crate::{Store, meetings, organisations, partnerships, representatives};

const HOST: &str = "Kunskapsförbundet Väst";
const UNIVERSITY: &str = "Högskolan Väst";
pub const MEETING_TITLE: &str = "Strategisk partnerträff";

/// The seed's date: Friday 2024-04-26 ("i fredags" in an article of Monday
/// 2024-04-29). No times are given, so the meeting is all day.
pub fn meeting_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 4, 26).unwrap_or_default()
}

struct OrganisationFact {
    name: &'static str,
    kind: OrganisationKind,
    city: Option<&'static str>,
    description: Option<&'static str>,
    /// Attended without any named person (organisation-level attendance).
    attendance: Option<AttendanceStatus>,
}

const ORGANISATIONS: &[OrganisationFact] = &[
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

struct PersonFact {
    name: &'static str,
    organisation: &'static str,
    title: &'static str,
    role: AttendanceRole,
    /// Pupils, likely minors: first name only, nothing else kept.
    is_minor: bool,
}

const PEOPLE: &[PersonFact] = &[
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

struct AgendaFact {
    title: &'static str,
    description: Option<&'static str>,
    presenters: &'static [&'static str],
}

const AGENDA: &[AgendaFact] = &[
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

/// What loading the demo did.
#[derive(Debug)]
pub struct DemoOutcome {
    /// Whether this call wrote the meeting (false: it was there already).
    pub created: bool,
    pub records: MeetingRecords,
    pub organisations: HashMap<OrganisationId, Organisation>,
    pub people: HashMap<RepresentativeId, Representative>,
}

impl Store {
    /// Loads the seed partner day unless it is already there. All or nothing.
    /// Servers starting together each call this: one loads it (under a
    /// lock shared through the database), the others then find it there.
    pub async fn load_demo(&self) -> StoreResult<DemoOutcome> {
        let mut txn = self.acting_as(Actor::Process("demo")).begin_write().await?;
        SharedLock::Demo.take(&txn).await?;
        let mut organisations_by_name = HashMap::new();
        for fact in ORGANISATIONS {
            let organisation = match organisations::find_by_name(&*txn, fact.name).await? {
                Some(existing) => existing,
                None => {
                    let input = OrganisationInput {
                        name: fact.name.into(),
                        kind: Some(fact.kind),
                        city: fact.city.map(Into::into),
                        description: fact.description.map(Into::into),
                        ..OrganisationInput::default()
                    };
                    let created = organisations::insert(&*txn, OrganisationDetails::parse(&input)?).await?;
                    let after = organisations::snapshot(&created)?;
                    txn.audit("organisation", created.id.as_uuid(), "create", None, Some(after))
                        .await?;
                    created
                }
            };
            organisations_by_name.insert(fact.name, organisation);
        }
        let organisation_id = |name: &str| {
            organisations_by_name
                .get(name)
                .map(|organisation| organisation.id)
        };

        let mut people_by_name = HashMap::new();
        for fact in PEOPLE {
            let Some(organisation) = organisation_id(fact.organisation) else {
                continue;
            };
            let existing = representatives::find_by_name(&*txn, organisation, fact.name).await?;
            let person = match existing.into_iter().next() {
                Some(person) => person,
                None => {
                    let input = RepresentativeInput {
                        full_name: fact.name.into(),
                        organisation_id: Some(organisation),
                        title: Some(fact.title.into()),
                        is_minor: fact.is_minor,
                        ..RepresentativeInput::default()
                    };
                    let created = representatives::insert(&*txn, RepresentativeDraft::parse(&input)?).await?;
                    let after = representatives::snapshot(&created)?;
                    txn.audit(
                        "representative",
                        created.id.as_uuid(),
                        "create",
                        None,
                        Some(after),
                    )
                    .await?;
                    created
                }
            };
            people_by_name.insert(fact.name, person);
        }
        let person_id = |name: &str| people_by_name.get(name).map(|person| person.id);

        // The day convened Högskolan Väst's strategic partners.
        let mut partnership_ids = Vec::new();
        if let Some(university) = organisation_id(UNIVERSITY) {
            for fact in ORGANISATIONS.iter().filter(|fact| fact.name != UNIVERSITY) {
                let Some(partner) = organisation_id(fact.name) else {
                    continue;
                };
                let existing = partnerships::between(&*txn, university, partner).await?;
                let partnership = match existing
                    .into_iter()
                    .find(|p| p.details.kind == PartnershipKind::Strategic)
                {
                    Some(partnership) => partnership,
                    None => {
                        let input = PartnershipInput {
                            organisation_ids: [Some(university), Some(partner)],
                            kind: Some(PartnershipKind::Strategic),
                            status: Some(PartnershipStatus::Active),
                            goals: Some(
                                "Ömsesidighet och gemensam samhällsnytta; ledningen för varje part deltar aktivt."
                                    .into(),
                            ),
                            ..PartnershipInput::default()
                        };
                        let created = partnerships::insert(&*txn, PartnershipDetails::parse(&input)?).await?;
                        let after = partnerships::snapshot(&created)?;
                        txn.audit("partnership", created.id.as_uuid(), "create", None, Some(after))
                            .await?;
                        created
                    }
                };
                partnership_ids.push(partnership.id);
            }
        }

        let starts_at = time::day_start(meeting_date());
        let existing = meetings::find_by_title(&*txn, MEETING_TITLE, starts_at).await?;
        let (created, meeting_id) = match existing.first() {
            Some(meeting) => (false, meeting.id),
            None => {
                let input = partner_day(
                    starts_at,
                    organisation_id(HOST),
                    partnership_ids,
                    &organisation_id,
                    &person_id,
                );
                let now = time::now();
                let records = meetings::log(&*txn, MeetingLog::parse(input, now)?, now).await?;
                meetings::audit_log(&mut txn, &records).await?;
                (true, records.meeting.id)
            }
        };
        // A second load finds everything there and writes nothing.
        if txn.has_events() {
            txn.commit().await?;
        } else {
            txn.discard().await?;
        }

        let records = self.meeting_records(meeting_id).await?;
        Ok(DemoOutcome {
            created,
            records,
            organisations: organisations_by_name.into_values().map(|o| (o.id, o)).collect(),
            people: people_by_name.into_values().map(|p| (p.id, p)).collect(),
        })
    }
}

fn partner_day(
    starts_at: chrono::DateTime<chrono::Utc>,
    host: Option<OrganisationId>,
    partnership_ids: Vec<samverkan_domain::PartnershipId>,
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

impl DemoOutcome {
    fn organisation_name(&self, id: OrganisationId) -> &str {
        self.organisations
            .get(&id)
            .map_or("(okänd organisation)", |o| o.details.name.as_str())
    }

    fn person_name(&self, id: RepresentativeId) -> &str {
        self.people
            .get(&id)
            .map_or("(okänd person)", |p| p.details.full_name.as_str())
    }
}

impl fmt::Display for DemoOutcome {
    /// A readable summary of the partner day, in Swedish like the data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let meeting = &self.records.meeting.details;
        let mut out = String::new();
        writeln!(out, "{} — {} (heldag)", meeting.title, meeting.date())?;
        if let Some(location) = &meeting.location {
            writeln!(out, "Plats: {location}")?;
        }
        if let Some(host) = meeting.host_organisation_id {
            writeln!(out, "Värd: {}", self.organisation_name(host))?;
        }
        writeln!(out, "\nDeltagare:")?;
        for attendance in &self.records.attendances {
            let who = match attendance.attendee {
                Attendee::Representative(id) => {
                    let title = self
                        .people
                        .get(&id)
                        .and_then(|p| p.affiliation.title.as_deref())
                        .unwrap_or("");
                    format!(
                        "{}, {title}, {}",
                        self.person_name(id),
                        self.organisation_name(attendance.organisation_id)
                    )
                }
                Attendee::Organisation(id) => {
                    format!("{} (inga namngivna personer)", self.organisation_name(id))
                }
            };
            writeln!(out, "  - {who} [{}, {}]", attendance.role, attendance.status)?;
        }
        writeln!(out, "\nProgram:")?;
        for item in &self.records.agenda {
            let presenters: Vec<&str> = item
                .presenter_ids
                .iter()
                .map(|id| self.person_name(*id))
                .collect();
            let by = if presenters.is_empty() {
                "diskussion".to_owned()
            } else {
                presenters.join(" och ")
            };
            writeln!(out, "  {}. {} — {by}", item.position, item.title)?;
        }
        writeln!(out, "\nUtfall:")?;
        for outcome in &self.records.outcomes {
            writeln!(out, "  - [{}] {}", outcome.kind, outcome.text)?;
        }
        writeln!(out, "\nUppföljningar:")?;
        for follow_up in &self.records.follow_ups {
            let owner = follow_up
                .details
                .owner_id
                .map_or("ingen ägare", |id| self.person_name(id));
            let due = follow_up
                .details
                .due_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "inget datum".into());
            writeln!(
                out,
                "  - {} ({owner}, senast {due}, {})",
                follow_up.details.title, follow_up.details.status
            )?;
        }
        f.write_str(&out)
    }
}
