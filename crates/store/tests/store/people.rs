//! An organisation's former people and those who attended most for it, and
//! what a person presented.

use samverkan_domain::{
    AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, MeetingStatus,
    OrganisationId, Representative, RepresentativeDraft,
};
use samverkan_store::entity::affiliations;
use samverkan_store::{Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::fixtures::{date, organisation, person, workshop};
use crate::store_tests;

store_tests!(
    former_people_are_those_whose_period_ended,
    presentations_list_newest_first,
    top_attendees_count_attendances_for_the_organisation
);

async fn move_to(store: &Store, who: &Representative, to: OrganisationId) -> Representative {
    let mut input = who.to_input();
    input.organisation_id = Some(to);
    store
        .update_representative(
            who.id,
            who.meta.version,
            RepresentativeDraft::parse(&input).unwrap(),
        )
        .await
        .unwrap()
}

async fn former_people_are_those_whose_period_ended(store: Store) {
    let school = organisation(&store, "Ängens skola").await;
    let city = organisation(&store, "Trollhättans stad").await;
    let anna = person(&store, &school, "Anna Ek", "Rektor").await;
    // Bo stays: current, not former.
    person(&store, &school, "Bo Al", "Lärare").await;
    let cia = person(&store, &school, "Cia Berg", "Lärare").await;
    let dan = person(&store, &city, "Dan Ås", "Strateg").await;
    move_to(&store, &anna, city.id).await;
    move_to(&store, &dan, school.id).await;
    // Cia leaves and comes back: she is current, not former.
    let cia = move_to(&store, &cia, city.id).await;
    let back = move_to(&store, &cia, school.id).await;
    assert_eq!(back.affiliation.organisation_id, school.id);
    // Every period ended today; Anna's is set to have ended earlier.
    affiliations::Entity::update_many()
        .col_expr(affiliations::Column::EndedOn, Expr::val(date(2024, 5, 1)))
        .filter(affiliations::Column::RepresentativeId.eq(anna.id.as_uuid()))
        .filter(affiliations::Column::EndedOn.is_not_null())
        .exec(store.connection())
        .await
        .unwrap();
    let dana = person(&store, &school, "Dana Lind", "Kurator").await;
    move_to(&store, &dana, city.id).await;

    let former = store.former_affiliations(school.id).await.unwrap();
    let names: Vec<(&str, Option<chrono::NaiveDate>)> = former
        .iter()
        .map(|(person, period)| (person.details.full_name.as_str(), period.ended_on))
        .collect();
    let today = samverkan_domain::time::today();
    assert_eq!(
        names,
        [("Dana Lind", Some(today)), ("Anna Ek", Some(date(2024, 5, 1)))],
        "{former:?}"
    );
    for (person, period) in &former {
        assert_eq!(period.organisation_id, school.id);
        assert_eq!(period.representative_id, person.id);
        assert_eq!(person.affiliation.organisation_id, city.id, "where they are now");
    }
    let city_former = store.former_affiliations(city.id).await.unwrap();
    let names: Vec<&str> = city_former
        .iter()
        .map(|(p, _)| p.details.full_name.as_str())
        .collect();
    assert_eq!(names, ["Dan Ås"]);
    assert!(matches!(
        store.former_affiliations(OrganisationId::new()).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn presentations_list_newest_first(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let lena = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let other = person(&store, &host, "Per Holm", "Lektor").await;
    let spring = store
        .log_meeting(workshop(&host, &lena, date(2024, 4, 26)))
        .await
        .unwrap();
    let mut autumn_input = workshop(&host, &lena, date(2024, 10, 3));
    autumn_input.meeting.title = "Höstens workshop".into();
    autumn_input.attendees.push(AttendeeInput {
        attendee: Attendee::Representative(other.id),
        role: AttendanceRole::Participant,
        status: AttendanceStatus::Attended,
    });
    autumn_input.agenda.push(AgendaItemInput {
        title: "Per presenterar".into(),
        presenter_ids: vec![other.id],
        ..AgendaItemInput::default()
    });
    autumn_input.agenda.push(AgendaItemInput {
        title: "Avslutning".into(),
        presenter_ids: vec![lena.id, other.id],
        ..AgendaItemInput::default()
    });
    let autumn = store.log_meeting(autumn_input).await.unwrap();
    // A cancelled meeting's presentation did not happen.
    let mut cancelled = workshop(&host, &lena, date(2024, 11, 1));
    cancelled.meeting.status = Some(MeetingStatus::Cancelled);
    store.log_meeting(cancelled).await.unwrap();

    let found = store.presentations_of(lena.id).await.unwrap();
    let seen: Vec<(&str, &str)> = found
        .iter()
        .map(|p| (p.meeting_title.as_str(), p.agenda_item_title.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("Höstens workshop", "Inledning"),
            ("Höstens workshop", "Avslutning"),
            ("Workshop om kompetensförsörjning", "Inledning"),
        ]
    );
    assert_eq!(found[0].meeting_id, autumn.meeting.id);
    assert_eq!(found[0].starts_at, autumn.meeting.details.starts_at);
    assert_eq!(found[0].agenda_item_id, autumn.agenda[0].id);
    assert_eq!(found[2].meeting_id, spring.meeting.id);
    let per: Vec<String> = store
        .presentations_of(other.id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.agenda_item_title)
        .collect();
    assert_eq!(per, ["Per presenterar", "Avslutning"]);
    assert!(matches!(
        store
            .presentations_of(samverkan_domain::RepresentativeId::new())
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn top_attendees_count_attendances_for_the_organisation(store: Store) {
    let host = organisation(&store, "Högskolan Väst").await;
    let city = organisation(&store, "Trollhättans stad").await;
    let lena = person(&store, &city, "Lena Lindhé", "Strateg").await;
    let per = person(&store, &city, "Per Holm", "Strateg").await;
    let ola = person(&store, &city, "Ola Berg", "Strateg").await;
    let host_person = person(&store, &host, "Eva Värd", "Värd").await;
    // Lena three times, Per twice (the later last), Ola twice (earlier),
    // one absence and one cancelled meeting that do not count.
    let mut last_of_per = None;
    for (who, day) in [
        (&lena, date(2025, 1, 10)),
        (&lena, date(2025, 2, 10)),
        (&lena, date(2025, 3, 10)),
        (&ola, date(2025, 1, 5)),
        (&ola, date(2025, 1, 6)),
        (&per, date(2025, 1, 7)),
        (&per, date(2025, 4, 1)),
    ] {
        let logged = store.log_meeting(workshop(&host, who, day)).await.unwrap();
        if who.id == per.id {
            last_of_per = Some(logged.meeting.details.starts_at);
        }
    }
    let mut absent = workshop(&host, &host_person, date(2025, 5, 1));
    absent.attendees.push(AttendeeInput {
        attendee: Attendee::Representative(ola.id),
        role: AttendanceRole::Participant,
        status: AttendanceStatus::Absent,
    });
    store.log_meeting(absent).await.unwrap();
    let mut cancelled = workshop(&host, &ola, date(2025, 5, 2));
    cancelled.meeting.status = Some(MeetingStatus::Cancelled);
    store.log_meeting(cancelled).await.unwrap();
    let mut again = workshop(&host, &ola, date(2025, 5, 3));
    again.meeting.status = Some(MeetingStatus::Cancelled);
    store.log_meeting(again).await.unwrap();

    let top = store.top_attendees(city.id, 10).await.unwrap();
    let seen: Vec<(&str, i64)> = top
        .iter()
        .map(|t| (t.representative.details.full_name.as_str(), t.attended))
        .collect();
    assert_eq!(seen, [("Lena Lindhé", 3), ("Per Holm", 2), ("Ola Berg", 2)]);
    assert_eq!(Some(top[1].last_attended_at), last_of_per);
    assert_eq!(store.top_attendees(city.id, 1).await.unwrap().len(), 1);
    // The host's person attended for the host, not for the city.
    let host_top = store.top_attendees(host.id, 10).await.unwrap();
    let names: Vec<&str> = host_top
        .iter()
        .map(|t| t.representative.details.full_name.as_str())
        .collect();
    assert_eq!(names, ["Eva Värd"]);
}
