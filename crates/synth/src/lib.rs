//! Deterministic synthetic data shaped like real partnership work:
//! organisations of western Sweden with Swedish names, their people, some
//! strategic partnerships, and meetings from 2022 to 2026 (mostly workshops
//! and steering groups, a share of large partner days) with agendas,
//! outcomes and about 2.5 follow-ups each, a realistic share of them overdue.
//!
//! Everything is written through the store's public API, as the application
//! writes it: every organisation, person, partnership and meeting in its own
//! transaction, up to [`CONCURRENCY`] at a time. The same seed gives the same
//! names, counts, dates and attendees (see [`plan`] for the one exception:
//! statuses that depend on whether a day has passed).
//!
//! ```no_run
//! # async fn run(store: &samverkan_store::Store) -> Result<(), samverkan_store::StoreError> {
//! use samverkan_synth::{GenerateOptions, generate};
//! let options = GenerateOptions { organisations: 2_000, meetings: 20_000, seed: 1 };
//! let summary = generate(store, &options, &mut |p| eprintln!("{p}")).await?;
//! println!("{summary}");
//! # Ok(()) }
//! ```

pub mod plan;
mod words;

use std::fmt;
use std::future::Future;

use samverkan_domain::{
    MeetingKind, OrganisationDetails, OrganisationId, PartnershipDetails, PartnershipId, RepresentativeDraft,
    RepresentativeId, time,
};
use samverkan_store::{DbErr, Store, StoreError};
use tokio::task::JoinSet;

use crate::plan::{Generator, PlannedOrganisation, PlannedPartnership, PlannedPerson, World};

/// How many writes are in flight at once. SQLite takes one writer at a time;
/// the others meanwhile validate and build their rows.
pub const CONCURRENCY: usize = 8;

/// Changes whenever a seed yields other data than before, so that caches of
/// generated data (the benchmarks') know to generate again. 2: about 15
/// attendees and 3 follow-ups per meeting (was 9.6 and 2.5). 3: a follow-up
/// that is done was done on a day drawn between its meeting and a while
/// after its due date (was: when it was generated).
pub const GENERATOR_VERSION: u32 = 3;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    pub organisations: usize,
    pub meetings: usize,
    pub seed: u64,
}

/// Which records are being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Organisations,
    Representatives,
    Partnerships,
    Meetings,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Organisations => "organisations",
            Self::Representatives => "representatives",
            Self::Partnerships => "partnerships",
            Self::Meetings => "meetings",
        })
    }
}

/// How far a phase has come. Reported at its start (`done == 0`), about
/// every hundredth of it, and at its end (`done == total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}/{}", self.phase, self.done, self.total)
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub organisations: usize,
    pub representatives: usize,
    pub partnerships: usize,
    pub meetings: usize,
    pub partner_days: usize,
    pub attendances: usize,
    pub agenda_items: usize,
    pub outcomes: usize,
    pub follow_ups: usize,
    /// Open or in progress, and due before the day of generation.
    pub overdue_follow_ups: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} organisations, {} representatives, {} partnerships, {} meetings ({} partner days), \
             {} attendances, {} agenda items, {} outcomes, {} follow-ups ({} overdue)",
            self.organisations,
            self.representatives,
            self.partnerships,
            self.meetings,
            self.partner_days,
            self.attendances,
            self.agenda_items,
            self.outcomes,
            self.follow_ups,
            self.overdue_follow_ups,
        )
    }
}

/// What one logged meeting added, counted in its writing task.
#[derive(Debug, Clone, Copy, Default)]
struct MeetingCounts {
    partner_day: bool,
    attendances: usize,
    agenda_items: usize,
    outcomes: usize,
    follow_ups: usize,
    overdue: usize,
}

/// Generates and writes `options.organisations` organisations (3 to 8
/// people each), about one partnership per four organisations, and
/// `options.meetings` meetings. Meetings need at least one organisation:
/// asking for meetings without any is a validation error, and nothing is
/// written.
pub async fn generate(
    store: &Store,
    options: &GenerateOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, StoreError> {
    if options.meetings > 0 && options.organisations == 0 {
        return Err(StoreError::Validation(
            samverkan_domain::FieldError::new("organisations", "meetings need at least one organisation")
                .into(),
        ));
    }
    let today = time::today();
    let mut generator = Generator::new(options.seed, today);

    // Plan what comes before meetings, in a fixed order of draws.
    let organisations: Vec<PlannedOrganisation> = (0..options.organisations)
        .map(|_| generator.organisation())
        .collect();
    let people: Vec<PlannedPerson> = organisations
        .iter()
        .enumerate()
        .flat_map(|(i, organisation)| generator.people(i, organisation))
        .collect();
    let partnerships: Vec<PlannedPartnership> = generator.partnerships(&organisations, &people);

    let organisation_ids: Vec<OrganisationId> = write_all(
        Phase::Organisations,
        organisations.len(),
        organisations.iter().map(|o| o.input.clone()),
        progress,
        |store, input| async move {
            let created = store
                .create_organisation(OrganisationDetails::parse(&input)?)
                .await?;
            Ok(created.id)
        },
        store,
    )
    .await?;

    let person_ids: Vec<RepresentativeId> = write_all(
        Phase::Representatives,
        people.len(),
        people.iter().map(|person| {
            let mut input = person.input.clone();
            input.organisation_id = organisation_ids.get(person.organisation).copied();
            input
        }),
        progress,
        |store, input| async move {
            let created = store
                .create_representative(RepresentativeDraft::parse(&input)?)
                .await?;
            Ok(created.id)
        },
        store,
    )
    .await?;

    let partnership_ids: Vec<PartnershipId> = write_all(
        Phase::Partnerships,
        partnerships.len(),
        partnerships.iter().map(|planned| {
            let mut input = planned.input.clone();
            input.organisation_ids = planned.organisations.map(|i| organisation_ids.get(i).copied());
            input.responsible_representative_id =
                planned.responsible.and_then(|i| person_ids.get(i).copied());
            input
        }),
        progress,
        |store, input| async move {
            let created = store
                .create_partnership(PartnershipDetails::parse(&input)?)
                .await?;
            Ok(created.id)
        },
        store,
    )
    .await?;

    let world = World::new(
        &organisations,
        &organisation_ids,
        &people,
        &person_ids,
        &partnerships,
        &partnership_ids,
    );
    // Meetings are drawn one by one as writers free up, in the seed's order.
    let meetings = write_all(
        Phase::Meetings,
        options.meetings,
        (0..options.meetings).map(|_| generator.meeting(&world)),
        progress,
        move |store, input| async move {
            let records = store.log_meeting(input).await?;
            Ok(MeetingCounts {
                partner_day: records.meeting.details.kind == MeetingKind::PartnerDay,
                attendances: records.attendances.len(),
                agenda_items: records.agenda.len(),
                outcomes: records.outcomes.len(),
                follow_ups: records.follow_ups.len(),
                overdue: records
                    .follow_ups
                    .iter()
                    .filter(|follow_up| follow_up.is_overdue(today))
                    .count(),
            })
        },
        store,
    )
    .await?;

    let mut summary = Summary {
        organisations: organisation_ids.len(),
        representatives: person_ids.len(),
        partnerships: partnership_ids.len(),
        meetings: meetings.len(),
        ..Summary::default()
    };
    for counts in meetings {
        summary.partner_days += usize::from(counts.partner_day);
        summary.attendances += counts.attendances;
        summary.agenda_items += counts.agenda_items;
        summary.outcomes += counts.outcomes;
        summary.follow_ups += counts.follow_ups;
        summary.overdue_follow_ups += counts.overdue;
    }
    Ok(summary)
}

/// Writes `total` items, each by `write` in a task of its own, at most
/// [`CONCURRENCY`] at a time; the results come back in the items' order.
/// Items are drawn from `items` only as writers free up. The first error
/// stops the phase: tasks still running are aborted (their transactions
/// roll back) and the error is returned.
async fn write_all<I, O, F, Fut>(
    phase: Phase,
    total: usize,
    items: impl Iterator<Item = I>,
    progress: &mut dyn FnMut(Progress),
    write: F,
    store: &Store,
) -> Result<Vec<O>, StoreError>
where
    O: Send + 'static,
    F: Fn(Store, I) -> Fut,
    Fut: Future<Output = Result<O, StoreError>> + Send + 'static,
{
    let step = (total / 100).max(1);
    let mut results: Vec<Option<O>> = Vec::with_capacity(total);
    results.resize_with(total, || None);
    let mut items = items.enumerate().take(total);
    let mut tasks = JoinSet::new();
    let mut done = 0;
    progress(Progress { phase, done, total });
    loop {
        while tasks.len() < CONCURRENCY {
            let Some((index, item)) = items.next() else {
                break;
            };
            let future = write(store.clone(), item);
            tasks.spawn(async move { (index, future.await) });
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let (index, result) = match joined {
            Ok(finished) => finished,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(error) => {
                return Err(StoreError::Database(DbErr::Custom(format!(
                    "a write was cancelled: {error}"
                ))));
            }
        };
        match result {
            Ok(value) => {
                if let Some(slot) = results.get_mut(index) {
                    *slot = Some(value);
                }
            }
            Err(error) => {
                tasks.abort_all();
                return Err(error);
            }
        }
        done += 1;
        if done % step == 0 || done == total {
            progress(Progress { phase, done, total });
        }
    }
    Ok(results.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests;
