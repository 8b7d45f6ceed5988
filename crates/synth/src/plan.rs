//! Drawing the records: a seeded ChaCha8 stream turned into inputs for the
//! store. Nothing here does I/O; ids come from the [`World`] the caller
//! built from what the store wrote.
//!
//! Every draw is made in a fixed order, and the same number of draws is made
//! whatever `today` is, so one seed always gives the same names, counts,
//! dates and attendees. Only statuses that depend on whether a day has
//! passed (attendance, follow-ups) are decided against `today`, as the store
//! itself decides between `held` and `planned`.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc, Weekday};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use samverkan_domain::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, FollowUpInput,
    FollowUpStatus, MeetingFollowUpInput, MeetingInput, MeetingKind, MeetingLogInput, OrganisationId,
    OrganisationInput, OrganisationKind, OutcomeInput, OutcomeKind, PartnershipId, PartnershipInput,
    PartnershipKind, PartnershipStatus, RepresentativeId, RepresentativeInput, text, time,
};

use crate::words::{self, PLACES};

/// The first and last day meetings are drawn from.
pub const FIRST_MEETING_DAY: (i32, u32, u32) = (2022, 1, 1);
pub const LAST_MEETING_DAY: (i32, u32, u32) = (2026, 12, 31);

/// Attendee counts (invited included) by kind of meeting, drawn evenly.
/// With the kinds' weights in [`Generator::meeting`] a meeting has about 15
/// on average, so 100,000 meetings make about 1.5 million attendances: the
/// scale the engagement and export benchmarks are specified at.
pub fn attendees_of(kind: MeetingKind) -> (usize, usize) {
    match kind {
        MeetingKind::PartnerDay => (10, 40),
        MeetingKind::Workshop => (6, 30),
        MeetingKind::SteeringGroup => (5, 15),
        MeetingKind::OneToOne => (2, 3),
        MeetingKind::SiteVisit | MeetingKind::Other => (3, 12),
    }
}
/// Representatives per organisation.
pub const PEOPLE_PER_ORGANISATION: (usize, usize) = (3, 8);
pub const AGENDA_ITEMS: (usize, usize) = (2, 7);
pub const OUTCOMES: (usize, usize) = (0, 3);
/// Follow-ups per meeting, drawn evenly: 3 on average (300,000 for 100,000
/// meetings).
pub const FOLLOW_UPS: (usize, usize) = (0, 6);

fn day(ymd: (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(ymd.0, ymd.1, ymd.2).unwrap_or_default()
}

/// An organisation as planned, before it has an id.
#[derive(Debug, Clone)]
pub struct PlannedOrganisation {
    pub input: OrganisationInput,
}

/// A person as planned: `organisation` indexes the planned organisations.
#[derive(Debug, Clone)]
pub struct PlannedPerson {
    pub organisation: usize,
    pub input: RepresentativeInput,
}

/// A partnership as planned, between two planned organisations.
#[derive(Debug, Clone)]
pub struct PlannedPartnership {
    pub organisations: [usize; 2],
    /// Indexes the planned people.
    pub responsible: Option<usize>,
    pub input: PartnershipInput,
}

/// An organisation once written.
#[derive(Debug, Clone)]
pub struct WorldOrganisation {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    pub name: String,
    pub city: String,
    /// Indexes into [`World::people`].
    pub people: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct WorldPerson {
    pub id: RepresentativeId,
    pub organisation: usize,
    pub is_minor: bool,
}

/// What meetings are drawn among: everything written before them.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub organisations: Vec<WorldOrganisation>,
    pub people: Vec<WorldPerson>,
    /// For each organisation: (the other organisation, the partnership's id)
    /// of its live (active or paused) partnerships.
    pub partners_of: Vec<Vec<(usize, PartnershipId)>>,
    /// Organisations with at least one live partnership: hosts, mostly.
    pub anchors: Vec<usize>,
}

impl World {
    /// Builds the world from the plans and the ids the store gave them.
    pub fn new(
        organisations: &[PlannedOrganisation],
        organisation_ids: &[OrganisationId],
        people: &[PlannedPerson],
        person_ids: &[RepresentativeId],
        partnerships: &[PlannedPartnership],
        partnership_ids: &[PartnershipId],
    ) -> Self {
        let mut world = World {
            organisations: organisations
                .iter()
                .zip(organisation_ids)
                .map(|(planned, id)| WorldOrganisation {
                    id: *id,
                    kind: planned.input.kind.unwrap_or(OrganisationKind::Other),
                    name: planned.input.name.clone(),
                    city: planned.input.city.clone().unwrap_or_default(),
                    people: Vec::new(),
                })
                .collect(),
            people: Vec::with_capacity(people.len()),
            partners_of: vec![Vec::new(); organisations.len()],
            anchors: Vec::new(),
        };
        for (index, (planned, id)) in people.iter().zip(person_ids).enumerate() {
            if let Some(organisation) = world.organisations.get_mut(planned.organisation) {
                organisation.people.push(index);
            }
            world.people.push(WorldPerson {
                id: *id,
                organisation: planned.organisation,
                is_minor: planned.input.is_minor,
            });
        }
        for (planned, id) in partnerships.iter().zip(partnership_ids) {
            let live = matches!(
                planned.input.status,
                Some(PartnershipStatus::Active | PartnershipStatus::Paused)
            );
            let [a, b] = planned.organisations;
            if live && a < world.partners_of.len() && b < world.partners_of.len() {
                world.partners_of[a].push((b, *id));
                world.partners_of[b].push((a, *id));
            }
        }
        world.anchors = (0..world.partners_of.len())
            .filter(|i| !world.partners_of[*i].is_empty())
            .collect();
        world
    }
}

/// The seeded source of every record.
#[derive(Debug)]
pub struct Generator {
    rng: ChaCha8Rng,
    today: NaiveDate,
    taken_names: HashSet<String>,
    taken_numbers: HashSet<String>,
}

impl Generator {
    pub fn new(seed: u64, today: NaiveDate) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            today,
            taken_names: HashSet::new(),
            taken_numbers: HashSet::new(),
        }
    }

    fn ratio(&mut self, numerator: u32, denominator: u32) -> bool {
        self.rng.random_ratio(numerator, denominator)
    }

    fn between(&mut self, (low, high): (usize, usize)) -> usize {
        self.rng.random_range(low..=high)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        // Every list handed in is a non-empty constant.
        *items.choose(&mut self.rng).unwrap_or(&items[0])
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, weight)| weight).sum();
        let mut draw = self.rng.random_range(0..total.max(1));
        for (item, weight) in items {
            if draw < *weight {
                return *item;
            }
            draw -= weight;
        }
        items[items.len() - 1].0
    }

    // ---------------------------------------------------------------- organisations

    /// The next organisation, its name unique (folded) among those drawn.
    pub fn organisation(&mut self) -> PlannedOrganisation {
        let kind = self.weighted(words::KIND_WEIGHTS);
        let mut candidate = (String::new(), String::new());
        let mut name = None;
        for _ in 0..8 {
            candidate = self.organisation_name(kind);
            if !self.taken_names.contains(&text::fold(&candidate.0)) {
                name = Some(candidate.0.clone());
                break;
            }
        }
        let name = name.unwrap_or_else(|| {
            (2..)
                .map(|n| format!("{} {n}", candidate.0))
                .find(|numbered| !self.taken_names.contains(&text::fold(numbered)))
                .unwrap_or_default()
        });
        self.taken_names.insert(text::fold(&name));
        let city = candidate.1;

        let organisation_number = if self.ratio(6, 10) {
            self.organisation_number(kind)
        } else {
            None
        };
        let website = self
            .ratio(7, 10)
            .then(|| format!("https://www.{}.se", words::slug(&name, '-')));
        let description = self
            .ratio(3, 10)
            .then(|| self.pick(words::DESCRIPTIONS).to_owned());
        let tag_count = self.between((0, 3));
        let mut tags: Vec<String> = (0..tag_count)
            .map(|_| self.pick(words::ORGANISATION_TAGS).to_owned())
            .collect();
        tags.dedup();
        PlannedOrganisation {
            input: OrganisationInput {
                name,
                short_name: None,
                kind: Some(kind),
                organisation_number,
                website,
                city: Some(city),
                description,
                tags,
            },
        }
    }

    /// A name for an organisation of `kind`, and its city.
    fn organisation_name(&mut self, kind: OrganisationKind) -> (String, String) {
        let place = &PLACES[self.rng.random_range(0..PLACES.len())];
        let family = self.pick(words::LAST_NAMES);
        let variant = self.rng.random_range(0..4);
        let name = match kind {
            OrganisationKind::Company => {
                let sector = self.pick(words::COMPANY_SECTORS);
                if variant < 2 {
                    format!("{} {sector}", place.genitive)
                } else {
                    format!("{} {sector}", words::genitive(family))
                }
            }
            OrganisationKind::Municipality => {
                let municipality = if place.city {
                    format!("{} stad", place.genitive)
                } else {
                    format!("{} kommun", place.genitive)
                };
                if variant == 0 {
                    municipality
                } else {
                    // Its administrations take part in their own right.
                    let administration = self.pick(words::ADMINISTRATIONS);
                    format!("{municipality}, {administration}")
                }
            }
            OrganisationKind::University => match variant {
                0 => format!("Högskolan i {}", place.name),
                1 => format!("{} Universitetscentrum", place.genitive),
                2 => format!("{} Lärcentrum", place.genitive),
                _ => format!("{} Forskningsinstitut", place.genitive),
            },
            OrganisationKind::EducationProvider if variant == 0 => {
                let school = self.pick(&["skolan", "gymnasiet"]);
                format!("{}{school}", words::genitive(family))
            }
            OrganisationKind::Healthcare if variant == 0 => {
                let district = self.pick(&["Norra", "Södra", "Östra", "Västra", "Centrum"]);
                format!("Vårdcentralen {district} {}", place.name)
            }
            other => {
                let suffix = self.pick(words::suffixes(other));
                format!("{} {suffix}", place.genitive)
            }
        };
        (name, place.name.to_owned())
    }

    /// A Luhn-valid organisation number, unique among those drawn.
    fn organisation_number(&mut self, kind: OrganisationKind) -> Option<String> {
        let prefix = match kind {
            OrganisationKind::Company => "556",
            OrganisationKind::Municipality => "212",
            OrganisationKind::Association => "802",
            _ => "202",
        };
        for _ in 0..5 {
            let body: u32 = self.rng.random_range(0..1_000_000);
            let payload = format!("{prefix}{body:06}");
            let number = format!("{}-{}{}", &payload[..6], &payload[6..], luhn_digit(&payload));
            if self.taken_numbers.insert(number.clone()) {
                return Some(number);
            }
        }
        None
    }

    // ---------------------------------------------------------------- people

    /// The people of one organisation (3 to 8, a pupil among them now and
    /// then at a school).
    pub fn people(&mut self, organisation: usize, planned: &PlannedOrganisation) -> Vec<PlannedPerson> {
        let kind = planned.input.kind.unwrap_or(OrganisationKind::Other);
        let domain = words::slug(&planned.input.name, '-');
        let count = self.between(PEOPLE_PER_ORGANISATION);
        let with_pupil = kind == OrganisationKind::EducationProvider && self.ratio(1, 3);
        (0..count)
            .map(|i| {
                let first = self.pick(words::FIRST_NAMES);
                let last = self.pick(words::LAST_NAMES);
                let title = self.pick(words::titles(kind));
                let has_email = self.ratio(7, 10);
                let has_phone = self.ratio(1, 2);
                let phone = format!(
                    "07{}-{:03} {:02} {:02}",
                    self.rng.random_range(0..10),
                    self.rng.random_range(0..1000),
                    self.rng.random_range(0..100),
                    self.rng.random_range(0..100),
                );
                let has_notes = self.ratio(1, 20);
                let input = if with_pupil && i + 1 == count {
                    // A minor: the first name and the school only.
                    RepresentativeInput {
                        full_name: first.to_owned(),
                        organisation_id: None,
                        title: Some("Elev".into()),
                        is_minor: true,
                        ..RepresentativeInput::default()
                    }
                } else {
                    RepresentativeInput {
                        full_name: format!("{first} {last}"),
                        organisation_id: None,
                        title: Some(title.to_owned()),
                        email: has_email.then(|| {
                            format!(
                                "{}.{}@{domain}.se",
                                words::slug(first, '.'),
                                words::slug(last, '.')
                            )
                        }),
                        phone: has_phone.then_some(phone),
                        notes: has_notes.then(|| "Kontaktperson för studiebesök.".to_owned()),
                        is_minor: false,
                    }
                };
                PlannedPerson { organisation, input }
            })
            .collect()
    }

    // ---------------------------------------------------------------- partnerships

    /// About one partnership per four organisations, mostly anchored in a
    /// university, municipality or school; no pair twice.
    pub fn partnerships(
        &mut self,
        organisations: &[PlannedOrganisation],
        people: &[PlannedPerson],
    ) -> Vec<PlannedPartnership> {
        let count = organisations.len() / 4;
        if organisations.len() < 2 {
            return Vec::new();
        }
        let anchors: Vec<usize> = organisations
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                matches!(
                    o.input.kind,
                    Some(
                        OrganisationKind::University
                            | OrganisationKind::Municipality
                            | OrganisationKind::EducationProvider
                            | OrganisationKind::Other
                    )
                )
            })
            .map(|(i, _)| i)
            .collect();
        let mut people_of: Vec<Vec<usize>> = vec![Vec::new(); organisations.len()];
        for (i, person) in people.iter().enumerate() {
            if !person.input.is_minor {
                people_of[person.organisation].push(i);
            }
        }
        let mut pairs = HashSet::new();
        let mut planned = Vec::with_capacity(count);
        for _ in 0..count {
            let mut pair = None;
            for _ in 0..10 {
                let a = if !anchors.is_empty() && self.ratio(3, 4) {
                    self.pick(&anchors)
                } else {
                    self.rng.random_range(0..organisations.len())
                };
                let b = self.rng.random_range(0..organisations.len());
                if a != b && !pairs.contains(&(a.min(b), a.max(b))) {
                    pair = Some((a, b));
                    break;
                }
            }
            let kind = self.weighted(&[
                (PartnershipKind::Strategic, 60),
                (PartnershipKind::Project, 30),
                (PartnershipKind::Other, 10),
            ]);
            let status = self.weighted(&[
                (PartnershipStatus::Active, 70),
                (PartnershipStatus::Prospect, 8),
                (PartnershipStatus::Paused, 7),
                (PartnershipStatus::Ended, 15),
            ]);
            let start_offset = self.rng.random_range(0..3_650);
            let length = self.rng.random_range(180..=1_460);
            let with_responsible = self.ratio(6, 10);
            let with_goals = self.ratio(7, 10);
            let goals = self.pick(words::PARTNERSHIP_GOALS);
            let Some((a, b)) = pair else {
                continue;
            };
            pairs.insert((a.min(b), a.max(b)));
            let responsible = if with_responsible && !people_of[a].is_empty() {
                Some(people_of[a][start_offset as usize % people_of[a].len()])
            } else {
                None
            };
            let started_on =
                (status != PartnershipStatus::Prospect).then(|| day((2016, 1, 1)) + Days::new(start_offset));
            let ended_on = (status == PartnershipStatus::Ended)
                .then(|| started_on.map(|start| start + Days::new(length)))
                .flatten();
            planned.push(PlannedPartnership {
                organisations: [a, b],
                responsible,
                input: PartnershipInput {
                    organisation_ids: [None, None],
                    kind: Some(kind),
                    status: Some(status),
                    started_on,
                    ended_on,
                    responsible_representative_id: None,
                    goals: with_goals.then(|| goals.to_owned()),
                },
            });
        }
        planned
    }

    // ---------------------------------------------------------------- meetings

    /// A weekday between the first and last meeting day.
    fn meeting_date(&mut self) -> NaiveDate {
        let first = day(FIRST_MEETING_DAY);
        let span = (day(LAST_MEETING_DAY) - first).num_days().max(0) as u64;
        let date = first + Days::new(self.rng.random_range(0..=span));
        match date.weekday() {
            Weekday::Sat => date + Days::new(2),
            Weekday::Sun => date + Days::new(1),
            _ => date,
        }
        .min(day(LAST_MEETING_DAY))
    }

    fn attendance_status(&mut self, past: bool) -> AttendanceStatus {
        let draw = self.rng.random_range(0..100);
        if past {
            match draw {
                0..84 => AttendanceStatus::Attended,
                84..92 => AttendanceStatus::Absent,
                92..96 => AttendanceStatus::Confirmed,
                _ => AttendanceStatus::Invited,
            }
        } else if draw < 55 {
            AttendanceStatus::Invited
        } else {
            AttendanceStatus::Confirmed
        }
    }

    /// Older follow-ups are mostly done; recent ones mostly still open; a
    /// share of those past their due date is still pending (overdue).
    fn follow_up_status(&mut self, meeting_date: NaiveDate, due_on: Option<NaiveDate>) -> FollowUpStatus {
        let draw = self.rng.random_range(0..100);
        let reference = due_on.unwrap_or(meeting_date + Days::new(30));
        let pick = |done: u32, cancelled: u32, open: u32| {
            if draw < done {
                FollowUpStatus::Done
            } else if draw < cancelled {
                FollowUpStatus::Cancelled
            } else if draw < open {
                FollowUpStatus::Open
            } else {
                FollowUpStatus::InProgress
            }
        };
        if meeting_date >= self.today {
            return if draw < 85 {
                FollowUpStatus::Open
            } else {
                FollowUpStatus::InProgress
            };
        }
        if reference >= self.today {
            return match draw {
                0..50 => FollowUpStatus::Open,
                50..85 => FollowUpStatus::InProgress,
                85..97 => FollowUpStatus::Done,
                _ => FollowUpStatus::Cancelled,
            };
        }
        match (self.today - reference).num_days() {
            0..=90 => pick(50, 55, 80),
            91..=365 => pick(72, 79, 90),
            _ => pick(88, 95, 98),
        }
    }

    /// The day a follow-up that is done was done: most on time (between the
    /// meeting and the due date, or a month after the meeting), some up to
    /// six weeks late; never after today. (Logged through the store as a
    /// strategist back-filling history would, with that day stated: done
    /// "now" would make every past period look unfinished.)
    fn completion_day(&mut self, meeting_date: NaiveDate, due_on: Option<NaiveDate>) -> NaiveDate {
        let due = due_on.unwrap_or(meeting_date + Days::new(30));
        let last = if self.ratio(7, 10) {
            due
        } else {
            due + Days::new(self.rng.random_range(1..=45))
        };
        let span = u64::try_from((last - meeting_date).num_days()).unwrap_or(0);
        let day = meeting_date + Days::new(self.rng.random_range(0..=span));
        day.min(self.today).max(meeting_date)
    }

    /// The next meeting, among the world's organisations and people.
    pub fn meeting(&mut self, world: &World) -> MeetingLogInput {
        let kind = self.weighted(&[
            (MeetingKind::PartnerDay, 12),
            (MeetingKind::Workshop, 45),
            (MeetingKind::SteeringGroup, 37),
            (MeetingKind::SiteVisit, 6),
        ]);
        let partner_day = kind == MeetingKind::PartnerDay;
        let date = self.meeting_date();
        let past = date < self.today;
        let organisation_count = world.organisations.len();
        if organisation_count == 0 {
            return MeetingLogInput::default();
        }
        let host = if !world.anchors.is_empty() && self.ratio(7, 10) {
            self.pick(&world.anchors)
        } else {
            self.rng.random_range(0..organisation_count)
        };
        let wanted = self.between(attendees_of(kind));
        let other_organisations = if partner_day {
            self.between((3, 9))
        } else {
            self.between((0, 2))
        };
        let organisation_only = if partner_day {
            self.between((1, 4))
        } else {
            usize::from(self.ratio(1, 10))
        };

        // Who sends people: the host, its partners first, then others.
        let mut sending = vec![host];
        let mut partners: Vec<usize> = world.partners_of[host].iter().map(|(other, _)| *other).collect();
        partners.shuffle(&mut self.rng);
        for other in partners {
            if sending.len() > other_organisations {
                break;
            }
            if !sending.contains(&other) {
                sending.push(other);
            }
        }
        let mut guard = 0;
        while sending.len() <= other_organisations && sending.len() < organisation_count && guard < 100 {
            guard += 1;
            let other = self.rng.random_range(0..organisation_count);
            if !sending.contains(&other) {
                sending.push(other);
            }
        }
        // Organisations present without named people.
        let mut silent = Vec::new();
        let mut guard = 0;
        while silent.len() < organisation_only && guard < 100 {
            guard += 1;
            let other = self.rng.random_range(0..organisation_count);
            if !sending.contains(&other) && !silent.contains(&other) {
                silent.push(other);
            }
        }
        let people_wanted = wanted.saturating_sub(silent.len()).max(1);

        // The people: one of the host's first, the rest mixed. Pupils come
        // to partner days only.
        let eligible = |person: &usize| partner_day || !world.people[*person].is_minor;
        let mut host_people: Vec<usize> = world.organisations[host]
            .people
            .iter()
            .copied()
            .filter(|p| !world.people[*p].is_minor)
            .collect();
        host_people.shuffle(&mut self.rng);
        let mut rest: Vec<usize> = host_people.iter().skip(1).copied().collect();
        for other in sending.iter().skip(1) {
            rest.extend(
                world.organisations[*other]
                    .people
                    .iter()
                    .copied()
                    .filter(eligible),
            );
        }
        let mut guard = 0;
        while host_people.len().min(1) + rest.len() < people_wanted && guard < 50 {
            guard += 1;
            let other = self.rng.random_range(0..organisation_count);
            if !sending.contains(&other) && !silent.contains(&other) {
                sending.push(other);
                rest.extend(world.organisations[other].people.iter().copied().filter(eligible));
            }
        }
        rest.shuffle(&mut self.rng);
        let people: Vec<usize> = host_people
            .first()
            .copied()
            .into_iter()
            .chain(rest)
            .take(people_wanted)
            .collect();

        let mut statuses: Vec<AttendanceStatus> =
            people.iter().map(|_| self.attendance_status(past)).collect();
        if let Some(first) = statuses.first_mut() {
            // The host's person was there.
            *first = if past {
                AttendanceStatus::Attended
            } else {
                AttendanceStatus::Confirmed
            };
        }
        let present: Vec<usize> = people
            .iter()
            .zip(&statuses)
            .filter(|(_, status)| **status != AttendanceStatus::Absent)
            .map(|(person, _)| *person)
            .collect();

        // Agenda, with presenters among those present.
        let item_count = self.between(AGENDA_ITEMS);
        let mut topics: Vec<&str> = words::TOPICS.to_vec();
        topics.partial_shuffle(&mut self.rng, item_count);
        let mut presenting: HashSet<usize> = HashSet::new();
        let agenda: Vec<AgendaItemInput> = topics
            .iter()
            .take(item_count)
            .map(|topic| {
                let has_presenter = self.ratio(3, 4);
                let presenter_count = if partner_day { self.between((1, 2)) } else { 1 };
                let mut candidates = present.clone();
                candidates.partial_shuffle(&mut self.rng, presenter_count);
                let presenters: Vec<usize> = if has_presenter {
                    candidates.into_iter().take(presenter_count).collect()
                } else {
                    Vec::new()
                };
                presenting.extend(presenters.iter().copied());
                let description = self
                    .ratio(3, 10)
                    .then(|| self.pick(words::TOPIC_DESCRIPTIONS).to_owned());
                let duration = self.ratio(4, 10).then(|| self.rng.random_range(3..=18) * 5);
                let tags = if self.ratio(1, 10) {
                    vec![self.pick(words::MEETING_TAGS).to_owned()]
                } else {
                    Vec::new()
                };
                AgendaItemInput {
                    title: (*topic).to_owned(),
                    description,
                    presenter_ids: presenters.iter().map(|p| world.people[*p].id).collect(),
                    duration_minutes: duration,
                    tags,
                }
            })
            .collect();

        let outcome_count = self.between(OUTCOMES);
        let outcomes: Vec<OutcomeInput> = (0..outcome_count)
            .map(|_| {
                let kind = self.weighted(&[
                    (OutcomeKind::Decision, 30),
                    (OutcomeKind::Agreement, 25),
                    (OutcomeKind::Insight, 25),
                    (OutcomeKind::Risk, 10),
                    (OutcomeKind::Question, 10),
                ]);
                let text = self.pick(words::OUTCOME_TEXTS).to_owned();
                let on_item = self.ratio(1, 2);
                let index = self.rng.random_range(0..item_count.max(1));
                OutcomeInput {
                    kind,
                    text,
                    agenda_index: (on_item && !agenda.is_empty()).then_some(index),
                }
            })
            .collect();

        let follow_up_count = self.between(FOLLOW_UPS);
        let follow_ups: Vec<MeetingFollowUpInput> = (0..follow_up_count)
            .map(|_| {
                let title = self.pick(words::FOLLOW_UP_TITLES).to_owned();
                let with_details = self.ratio(1, 5);
                let owner = (self.ratio(9, 10) && !present.is_empty())
                    .then(|| self.pick(&present))
                    .filter(|p| !world.people[*p].is_minor);
                let owners_organisation = self.ratio(8, 10);
                let organisation = match owner {
                    Some(person) if owners_organisation => Some(world.people[person].organisation),
                    _ => Some(host),
                };
                let has_due = self.ratio(9, 10);
                let due_in = self.rng.random_range(7..=60);
                let due_on = has_due.then(|| date + Days::new(due_in));
                let status = self.follow_up_status(date, due_on);
                let completed_on =
                    (status == FollowUpStatus::Done).then(|| self.completion_day(date, due_on));
                let from_outcome = self.ratio(1, 2);
                let outcome_index = self.rng.random_range(0..outcome_count.max(1));
                MeetingFollowUpInput {
                    follow_up: FollowUpInput {
                        title,
                        details: with_details.then(|| "Se minnesanteckningarna från mötet.".to_owned()),
                        owner_id: owner.map(|p| world.people[p].id),
                        organisation_id: organisation.map(|o| world.organisations[o].id),
                        due_on,
                        status: Some(status),
                        completed_on,
                    },
                    outcome_index: (from_outcome && outcome_count > 0).then_some(outcome_index),
                }
            })
            .collect();

        // Roles: the host's person hosts, presenters present, a few guests.
        let mut attendees: Vec<AttendeeInput> = Vec::with_capacity(people.len() + silent.len());
        for (i, (person, status)) in people.iter().zip(&statuses).enumerate() {
            let guest = self.ratio(1, 10);
            let role = if i == 0 {
                AttendanceRole::Host
            } else if presenting.contains(person) {
                AttendanceRole::Presenter
            } else if world.people[*person].organisation == host {
                AttendanceRole::Organiser
            } else if partner_day && guest {
                AttendanceRole::Guest
            } else {
                AttendanceRole::Participant
            };
            attendees.push(AttendeeInput {
                attendee: Attendee::Representative(world.people[*person].id),
                role,
                status: *status,
            });
        }
        for organisation in &silent {
            let status = self.attendance_status(past);
            attendees.push(AttendeeInput {
                attendee: Attendee::Organisation(world.organisations[*organisation].id),
                role: AttendanceRole::Participant,
                status,
            });
        }

        // The partnerships the meeting served: the host's, with those there.
        let partnership_ids: Vec<PartnershipId> = world.partners_of[host]
            .iter()
            .filter(|(other, _)| sending.contains(other) || silent.contains(other))
            .map(|(_, id)| *id)
            .take(10)
            .collect();

        let host_record = &world.organisations[host];
        let theme = self.pick(words::THEMES);
        let other_city = sending
            .get(1)
            .map(|o| world.organisations[*o].city.clone())
            .filter(|city| *city != host_record.city);
        let title = match kind {
            MeetingKind::PartnerDay if self.ratio(1, 2) => format!("Partnerdag: {theme}"),
            MeetingKind::PartnerDay => format!("Strategisk partnerträff hos {}", host_record.name),
            MeetingKind::Workshop => format!("Workshop: {theme}"),
            MeetingKind::SteeringGroup => match other_city {
                Some(city) => format!("Styrgrupp för samverkan {}–{city}", host_record.city),
                None => format!("Styrgruppsmöte, {}", host_record.name),
            },
            _ => format!("Studiebesök hos {}", host_record.name),
        };
        let online = !partner_day && self.ratio(1, 5);
        let location = if online {
            "Digitalt (Teams)".to_owned()
        } else {
            format!("{}, {}", host_record.name, host_record.city)
        };
        let with_summary = self.ratio(1, 2);
        let summary = self.pick(words::SUMMARIES);
        let tag_count = self.between((0, 2));
        let tags: Vec<String> = (0..tag_count)
            .map(|_| self.pick(words::MEETING_TAGS).to_owned())
            .collect();
        let start_slot = self.rng.random_range(0..16_i64);
        let length_slots = self.rng.random_range(2..=6_i64);
        let open_ended = self.ratio(1, 2);
        let midnight = time::day_start(date);
        // Weekdays only, and daylight saving changes on Sundays: adding
        // hours to midnight gives the Stockholm clock time.
        let (starts_at, ends_at, all_day): (DateTime<Utc>, Option<DateTime<Utc>>, bool) = if partner_day {
            let next = time::day_start(date + Days::new(1));
            (midnight, (!open_ended).then_some(next), true)
        } else {
            let start = midnight + Duration::minutes(8 * 60 + start_slot * 30);
            (start, Some(start + Duration::minutes(length_slots * 30)), false)
        };

        MeetingLogInput {
            meeting: MeetingInput {
                title,
                kind: Some(kind),
                starts_at: Some(starts_at),
                ends_at,
                all_day,
                location: Some(location),
                host_organisation_id: Some(host_record.id),
                partnership_ids,
                summary: (with_summary && past).then(|| summary.to_owned()),
                tags,
                status: None,
            },
            attendees,
            agenda,
            outcomes,
            follow_ups,
        }
    }
}

/// The Luhn check digit of nine digits (the tenth of an organisation number).
fn luhn_digit(payload: &str) -> u32 {
    let sum: u32 = payload
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use samverkan_domain::{OrganisationDetails, OrganisationNumber, RepresentativeDraft};
    use uuid::Uuid;

    use super::*;

    /// Ids made from indexes, for drawing meetings without a database.
    fn fake_ids(
        organisations: usize,
        people: usize,
        partnerships: usize,
    ) -> (Vec<OrganisationId>, Vec<RepresentativeId>, Vec<PartnershipId>) {
        let id = |kind: u128, i: usize| Uuid::from_u128(kind << 64 | i as u128);
        (
            (0..organisations)
                .map(|i| OrganisationId::from_uuid(id(1, i)))
                .collect(),
            (0..people)
                .map(|i| RepresentativeId::from_uuid(id(2, i)))
                .collect(),
            (0..partnerships)
                .map(|i| PartnershipId::from_uuid(id(3, i)))
                .collect(),
        )
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    fn draw(seed: u64, organisations: usize, meetings: usize) -> (Vec<String>, Vec<String>) {
        let mut generator = Generator::new(seed, today());
        let planned: Vec<PlannedOrganisation> =
            (0..organisations).map(|_| generator.organisation()).collect();
        let people: Vec<PlannedPerson> = planned
            .iter()
            .enumerate()
            .flat_map(|(i, o)| generator.people(i, o))
            .collect();
        let partnerships = generator.partnerships(&planned, &people);
        let (organisation_ids, person_ids, partnership_ids) =
            fake_ids(planned.len(), people.len(), partnerships.len());
        let world = World::new(
            &planned,
            &organisation_ids,
            &people,
            &person_ids,
            &partnerships,
            &partnership_ids,
        );
        let names = planned.iter().map(|o| o.input.name.clone()).collect();
        let meetings = (0..meetings)
            .map(|_| format!("{:?}", generator.meeting(&world)))
            .collect();
        (names, meetings)
    }

    #[test]
    fn the_same_seed_draws_the_same_records() {
        assert_eq!(draw(7, 40, 50), draw(7, 40, 50));
        assert_ne!(draw(7, 40, 50), draw(8, 40, 50));
    }

    #[test]
    fn names_are_unique_ignoring_case_and_valid() {
        let mut generator = Generator::new(1, today());
        let mut folded = HashSet::new();
        let mut numbered = 0;
        for _ in 0..3_000 {
            let planned = generator.organisation();
            numbered += usize::from(planned.input.name.ends_with(|c: char| c.is_ascii_digit()));
            assert!(
                folded.insert(text::fold(&planned.input.name)),
                "{}",
                planned.input.name
            );
            OrganisationDetails::parse(&planned.input).unwrap();
            for mut person in generator.people(0, &planned) {
                person.input.organisation_id = Some(OrganisationId::new());
                RepresentativeDraft::parse(&person.input).unwrap();
            }
        }
        assert!(numbered < 60, "{numbered} of 3,000 names needed a number");
    }

    #[test]
    fn organisation_numbers_pass_the_luhn_check() {
        let mut generator = Generator::new(3, today());
        for _ in 0..200 {
            if let Some(number) = generator.organisation_number(OrganisationKind::Company) {
                OrganisationNumber::parse("n", &number).unwrap();
            }
        }
    }
}
