//! Loading the demo data: the seed partner day (its facts are the domain's,
//! `samverkan_domain::seed`). Loading is idempotent and atomic: what exists
//! already (matched by name) is reused, the rest is written in one
//! transaction.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use samverkan_domain::{
    Attendee, MeetingLog, MeetingRecords, Organisation, OrganisationDetails, OrganisationId,
    OrganisationInput, PartnershipDetails, PartnershipInput, PartnershipKind, PartnershipStatus,
    Representative, RepresentativeDraft, RepresentativeId, RepresentativeInput, time,
};

use crate::audit::Actor;
use crate::error::StoreResult;
use crate::support::SharedLock;
use crate::{Store, meetings, organisations, partnerships, representatives};

use samverkan_domain::seed::{HOST, ORGANISATIONS, PARTNERSHIP_GOALS, PEOPLE, UNIVERSITY, partner_day};
pub use samverkan_domain::seed::{MEETING_TITLE, meeting_date};

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
                            goals: Some(PARTNERSHIP_GOALS.into()),
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
