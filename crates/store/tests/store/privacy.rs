//! Data protection: the export of everything held about a person, erasure
//! that leaves no byte of them behind and every figure as it was, a
//! rolled-back erasure, erasing twice, restriction, and the retention run.

use futures_util::StreamExt;
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel, Statement};

use samverkan_domain::privacy::{
    ErasureReason, MINOR_NAME, PrivacyRefusal, ProcessingTerms, RESTRICTED_PERSON_NAME, RetentionPolicy,
    RetentionVerdict,
};
use samverkan_domain::{
    HealthThresholds, Period, Representative, RepresentativeDraft, RepresentativeId, RepresentativeInput,
    Role, UserDetails, UserInput,
};
use samverkan_store::entity::{affiliations, audit_events, erasures, representatives, users};
use samverkan_store::{Actor, RepresentativeFilter, Store, StoreError};

use crate::fixtures::{date, row_counts, workshop};
use crate::store_tests;

store_tests!(
    the_export_holds_every_fact_about_a_person,
    an_erased_person_is_gone_from_every_table_and_file_while_every_figure_stays,
    a_failed_erasure_changes_nothing,
    erasing_twice_is_refused,
    a_restricted_person_is_left_out_until_lifted,
    retention_erases_minors_past_the_limit_only,
    an_export_names_minors_only_when_asked,
    an_erasure_names_the_free_texts_it_leaves_and_replays_from_its_log,
);

const EARLIER_NAME: &str = "Lena Lindhé";
const NAME: &str = "Lena Åkesson";
const EMAIL: &str = "lena.akesson@hv.se";
const PHONE: &str = "0520-22 33 44";
const NOTES: &str = "Föredrar förmiddagsmöten";

/// What must be gone after the erasure, as stored and as folded.
const NEEDLES: [&str; 8] = [
    "Lindhé",
    "lindhe",
    "Åkesson",
    "åkesson",
    EMAIL,
    PHONE,
    NOTES,
    "Samverkansstrateg på HV",
];

fn reason() -> ErasureReason {
    ErasureReason::parse("Begäran enligt artikel 17").unwrap()
}

/// The seed's Lena Lindhé, after a second meeting she presented at and owns
/// a follow-up of, a rename with contact details and a new title (so the
/// audit trail names her twice), and a user account linked to her that
/// wrote something.
async fn subject(store: &Store) -> (Representative, samverkan_domain::User) {
    let demo = store.load_demo().await.unwrap();
    let lena = demo
        .people
        .values()
        .find(|p| p.details.full_name.as_str() == EARLIER_NAME)
        .unwrap()
        .clone();
    let host = demo
        .organisations
        .values()
        .find(|o| o.details.name.as_str() == "Högskolan Väst")
        .unwrap()
        .clone();
    store
        .log_meeting(workshop(&host, &lena, date(2024, 10, 1)))
        .await
        .unwrap();
    let input = RepresentativeInput {
        full_name: NAME.into(),
        email: Some(EMAIL.into()),
        phone: Some(PHONE.into()),
        notes: Some(NOTES.into()),
        title: Some("Samverkansstrateg på HV".into()),
        ..lena.to_input()
    };
    let lena = store
        .update_representative(
            lena.id,
            lena.meta.version,
            RepresentativeDraft::parse(&input).unwrap(),
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            UserDetails::parse(&UserInput {
                email: EMAIL.into(),
                role: Some(Role::Strategist),
                display_name: Some(NAME.into()),
                representative_id: Some(lena.id),
            })
            .unwrap(),
        )
        .await
        .unwrap();
    // A write made as her: the trail's author column holds her e-mail.
    let as_lena = store.acting_as(Actor::User {
        id: user.id,
        email: EMAIL.into(),
    });
    as_lena.set_restricted(lena.id, true).await.unwrap();
    let lena = as_lena.set_restricted(lena.id, false).await.unwrap();
    (lena, user)
}

async fn the_export_holds_every_fact_about_a_person(store: Store) {
    let (lena, user) = subject(&store).await;
    let data = store
        .representative_data(lena.id, &ProcessingTerms::default())
        .await
        .unwrap();
    assert_eq!(data.representative.details.full_name.as_str(), NAME);
    assert_eq!(
        data.representative.details.email.as_ref().unwrap().as_str(),
        EMAIL
    );
    // The title changed today: the seed's period ended, a new one began.
    assert_eq!(data.affiliations.len(), 2, "{:?}", data.affiliations);
    assert_eq!(data.affiliations[0].organisation, "Högskolan Väst");
    assert!(data.affiliations[0].affiliation.ended_on.is_some());
    assert_eq!(
        data.affiliations[1].affiliation.title.as_deref(),
        Some("Samverkansstrateg på HV")
    );
    let meetings: Vec<&str> = data.meetings.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(
        meetings,
        ["Strategisk partnerträff", "Workshop om kompetensförsörjning"]
    );
    assert!(data.meetings.iter().all(|m| m.organisation == "Högskolan Väst"));
    let items: Vec<&str> = data.presentations.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        items,
        ["Wexus – en samverkansarena för hållbar utveckling", "Inledning"]
    );
    assert_eq!(data.follow_ups.len(), 2, "the seed's and the workshop's");
    assert_eq!(data.users.len(), 1);
    assert_eq!(data.users[0].id, user.id);
    let about_her: Vec<(&str, &str)> = data
        .audit
        .iter()
        .map(|e| (e.entity.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        about_her,
        [
            ("representative", "create"),
            ("representative", "update"),
            ("user", "create"),
            ("representative", "restrict"),
            ("representative", "lift_restriction"),
        ]
    );
    // The audit trail names her by both names.
    let trail: String = data
        .audit
        .iter()
        .flat_map(|e| [e.before.clone(), e.after.clone()])
        .flatten()
        .collect();
    assert!(trail.contains(EARLIER_NAME) && trail.contains(NAME));
    assert_eq!(data.terms.retention.minor_days, 365);

    let account = store
        .user_data(user.id, &ProcessingTerms::default())
        .await
        .unwrap();
    assert_eq!(account.user.details.email.as_str(), EMAIL);
    let actions: Vec<&str> = account.audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "restrict", "lift_restriction"]);
}

/// Every figure an erasure must leave as it was.
#[derive(Debug, PartialEq)]
struct Figures {
    report: samverkan_domain::EngagementReportData,
    exported_rows: usize,
    minutes_attendees: Vec<usize>,
}

async fn figures(store: &Store) -> Figures {
    let period = Period::parse(Some(date(2024, 1, 1)), Some(date(2024, 12, 31))).unwrap();
    let mut report = store
        .engagement_report(&period, date(2025, 1, 15), &HealthThresholds::default(), |_| {})
        .await
        .unwrap();
    // The owners' names are the one thing meant to change.
    for tally in &mut report.follow_ups.by_owner {
        tally.name = None;
    }
    let mut exported_rows = 0;
    let mut batches = std::pin::pin!(store.attendance_export(date(2024, 1, 1), date(2024, 12, 31), 100));
    let mut meetings = std::collections::BTreeSet::new();
    while let Some(batch) = batches.next().await {
        let batch = batch.unwrap();
        exported_rows += batch.len();
        meetings.extend(batch.iter().map(|row| row.meeting_id));
    }
    let mut minutes_attendees = Vec::new();
    for meeting in meetings {
        let (records, names) = store.meeting_with_names(meeting).await.unwrap();
        minutes_attendees.push(records.attendances.len());
        assert_eq!(
            names.representatives.len(),
            names.representatives.values().count()
        );
    }
    Figures {
        report,
        exported_rows,
        minutes_attendees,
    }
}

/// Every (table, needle) where a needle occurs in any column of any row.
async fn occurrences(store: &Store) -> Vec<(String, &'static str)> {
    let db = store.connection();
    let backend = store.backend();
    let query = |sql: String| Statement::from_string(backend, sql);
    let mut found = Vec::new();
    if backend == sea_orm::DbBackend::Postgres {
        let tables = db
            .query_all_raw(query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'".into(),
            ))
            .await
            .unwrap();
        for table in tables {
            let table: String = table.try_get("", "tablename").unwrap();
            for needle in NEEDLES {
                let row = db
                    .query_one_raw(query(format!(
                        "SELECT COUNT(*) AS n FROM \"{table}\" t WHERE strpos(CAST(t AS text), '{needle}') > 0"
                    )))
                    .await
                    .unwrap()
                    .unwrap();
                if row.try_get::<i64>("", "n").unwrap() > 0 {
                    found.push((table.clone(), needle));
                }
            }
        }
    } else {
        // Every table, the FTS index's shadow tables too.
        let tables = db
            .query_all_raw(query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                    .into(),
            ))
            .await
            .unwrap();
        for table in tables {
            let table: String = table.try_get("", "name").unwrap();
            let columns: Vec<String> = db
                .query_all_raw(query(format!("SELECT name FROM pragma_table_info('{table}')")))
                .await
                .unwrap()
                .into_iter()
                .map(|row| row.try_get("", "name").unwrap())
                .collect();
            for needle in NEEDLES {
                let hex: String = needle.bytes().map(|b| format!("{b:02X}")).collect();
                let any = columns
                    .iter()
                    .map(|c| format!("instr(CAST(\"{c}\" AS BLOB), X'{hex}') > 0"))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                let row = db
                    .query_one_raw(query(format!(
                        "SELECT COUNT(*) AS n FROM \"{table}\" WHERE {any}"
                    )))
                    .await
                    .unwrap()
                    .unwrap();
                if row.try_get::<i64>("", "n").unwrap() > 0 {
                    found.push((table.clone(), needle));
                }
            }
        }
    }
    found
}

/// The needles found in the bytes of the SQLite file and its WAL, or in a
/// `pg_dump` of the PostgreSQL database.
async fn stored_bytes(store: &Store) -> Vec<(String, &'static str)> {
    let db = store.connection();
    let backend = store.backend();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if backend == sea_orm::DbBackend::Postgres {
        let row = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT current_database() AS name",
            ))
            .await
            .unwrap()
            .unwrap();
        let name: String = row.try_get("", "name").unwrap();
        let url = samverkan_test_support::with_database(
            &samverkan_test_support::postgres_admin_url().unwrap(),
            &name,
        );
        match std::process::Command::new("pg_dump").arg(&url).output() {
            Ok(output) => {
                assert!(
                    output.status.success(),
                    "pg_dump: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                files.push(("pg_dump".into(), output.stdout));
            }
            Err(error) => {
                assert!(
                    std::env::var("CI").map_or(true, |ci| ci != "true"),
                    "pg_dump is required in CI: {error}"
                );
                eprintln!("skipping the pg_dump check: pg_dump cannot be run: {error}");
            }
        }
    } else {
        let row = db
            .query_one_raw(Statement::from_string(backend, "PRAGMA database_list"))
            .await
            .unwrap()
            .unwrap();
        let path: String = row.try_get("", "file").unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            if let Ok(bytes) = std::fs::read(&file) {
                files.push((file, bytes));
            }
        }
        assert!(!files.is_empty());
    }
    let mut found = Vec::new();
    for (file, bytes) in &files {
        for needle in NEEDLES {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push((file.clone(), needle));
            }
        }
    }
    found
}

async fn an_erased_person_is_gone_from_every_table_and_file_while_every_figure_stays(store: Store) {
    let (lena, user) = subject(&store).await;
    let before = figures(&store).await;
    assert!(
        !occurrences(&store).await.is_empty(),
        "the check must see her before"
    );
    assert!(
        !stored_bytes(&store).await.is_empty(),
        "the bytes must show her before"
    );

    let erasure = store.erase_representative(lena.id, &reason()).await.unwrap();
    assert_eq!(erasure.sequence, 1);
    assert_eq!(erasure.users_erased, [user.id]);
    assert!(erasure.storage_cleared);

    assert_eq!(occurrences(&store).await, []);
    assert_eq!(stored_bytes(&store).await, []);
    assert_eq!(figures(&store).await, before);

    let erased = store.representative(lena.id).await.unwrap();
    assert_eq!(erased.details.full_name.as_str(), "Raderad person 1");
    assert!(erased.details.email.is_none() && erased.details.phone.is_none());
    assert!(erased.erased_at.is_some() && erased.meta.is_archived());
    let (records, names) = store
        .meeting_with_names(
            store
                .representative_data(lena.id, &ProcessingTerms::default())
                .await
                .unwrap()
                .meetings[0]
                .meeting_id,
        )
        .await
        .unwrap();
    assert!(records.attendances.len() > 1);
    assert_eq!(names.representative(lena.id), "Raderad person 1");
    assert!(store.search("Lindhé", 10).await.unwrap().is_empty());

    // The erasure's own event: who, when, why, the id; none of her data.
    let event = audit_events::Entity::find()
        .all(store.connection())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "erase" && e.entity == "representative")
        .unwrap();
    assert_eq!(event.entity_id, lena.id.as_uuid());
    assert_eq!(event.actor, "cli");
    assert!(event.before.is_none());
    assert!(event.after.unwrap().contains("Begäran enligt artikel 17"));
    // Her account is gone too, and its events keep a placeholder author.
    let account = store.user(user.id).await.unwrap();
    assert!(account.erased_at.is_some() && !account.is_enabled());
    assert!(account.details.display_name.is_none());
    let log = store.erasure_log().await.unwrap();
    let entities: Vec<&str> = log.iter().map(|e| e.entity.as_str()).collect();
    assert_eq!(entities, ["user", "representative"]);
}

async fn a_failed_erasure_changes_nothing(store: Store) {
    let (lena, _) = subject(&store).await;
    // A log entry for her already (as a half-restored backup might hold)
    // makes the erasure fail at its last insert, after every other write.
    erasures::Entity::insert(
        erasures::Model {
            id: uuid::Uuid::now_v7(),
            entity: "representative".into(),
            entity_id: lena.id.as_uuid(),
            sequence: 99,
            erased_at: chrono::Utc::now(),
        }
        .into_active_model(),
    )
    .exec_without_returning(store.connection())
    .await
    .unwrap();
    let db = store.connection();
    let snapshot = || async {
        (
            representatives::Entity::find().all(db).await.unwrap(),
            affiliations::Entity::find().all(db).await.unwrap(),
            audit_events::Entity::find().all(db).await.unwrap(),
            users::Entity::find().all(db).await.unwrap(),
            row_counts(&store).await,
        )
    };
    let before = snapshot().await;
    let error = store.erase_representative(lena.id, &reason()).await.unwrap_err();
    assert!(matches!(error, StoreError::Duplicate { .. }), "{error:?}");
    assert!(before == snapshot().await, "a failed erasure wrote something");
}

async fn erasing_twice_is_refused(store: Store) {
    let (lena, user) = subject(&store).await;
    store.erase_representative(lena.id, &reason()).await.unwrap();
    let counts = row_counts(&store).await;
    let error = store.erase_representative(lena.id, &reason()).await.unwrap_err();
    assert!(
        matches!(error, StoreError::Refused(PrivacyRefusal::AlreadyErased { id, .. }) if id == lena.id.as_uuid()),
        "{error:?}"
    );
    assert!(error.to_string().contains("cannot be erased again"));
    let error = store.erase_user(user.id, &reason()).await.unwrap_err();
    assert!(matches!(
        error,
        StoreError::Refused(PrivacyRefusal::AlreadyErased { .. })
    ));
    // Nor can an erased record be edited back to a name.
    let error = store
        .update_representative(
            lena.id,
            store.representative(lena.id).await.unwrap().meta.version,
            RepresentativeDraft::parse(&RepresentativeInput {
                full_name: EARLIER_NAME.into(),
                ..store.representative(lena.id).await.unwrap().to_input()
            })
            .unwrap(),
        )
        .await
        .unwrap_err();
    // (Erasure archives the record, and archived records no longer change.)
    assert!(
        matches!(error, StoreError::Refused(_) | StoreError::Validation(_)),
        "{error:?}"
    );
    assert_eq!(row_counts(&store).await, counts);
}

async fn a_restricted_person_is_left_out_until_lifted(store: Store) {
    let (lena, _) = subject(&store).await;
    let listed = |store: Store| async move {
        store
            .list_representatives(&RepresentativeFilter::default(), &Default::default())
            .await
            .unwrap()
            .items
            .iter()
            .any(|p| p.id == lena.id)
    };
    let meeting = store
        .representative_data(lena.id, &ProcessingTerms::default())
        .await
        .unwrap()
        .meetings[0]
        .meeting_id;
    assert!(listed(store.clone()).await);

    let restricted = store.set_restricted(lena.id, true).await.unwrap();
    assert!(restricted.restricted_at.is_some());
    assert!(!listed(store.clone()).await);
    assert!(store.search("Åkesson", 10).await.unwrap().is_empty());
    let (_, names) = store.meeting_with_names(meeting).await.unwrap();
    assert_eq!(names.representative(lena.id), RESTRICTED_PERSON_NAME);
    let owner_name = |store: Store| async move {
        store
            .follow_up_summary(date(2024, 11, 1), 50)
            .await
            .unwrap()
            .by_owner
            .into_iter()
            .find(|tally| tally.id == Some(lena.id))
            .and_then(|tally| tally.name)
    };
    assert_eq!(
        owner_name(store.clone()).await.as_deref(),
        Some(RESTRICTED_PERSON_NAME)
    );
    let host = store
        .representative(lena.id)
        .await
        .unwrap()
        .affiliation
        .organisation_id;
    let host = store.organisation(host).await.unwrap();
    let error = store
        .log_meeting(workshop(&host, &lena, date(2025, 2, 3)))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("restricted"), "{error}");

    store.set_restricted(lena.id, false).await.unwrap();
    assert!(listed(store.clone()).await);
    assert_eq!(store.search("Åkesson", 10).await.unwrap().len(), 1);
    let (_, names) = store.meeting_with_names(meeting).await.unwrap();
    assert_eq!(names.representative(lena.id), NAME);
    assert_eq!(owner_name(store.clone()).await.as_deref(), Some(NAME));
    store
        .log_meeting(workshop(&host, &lena, date(2025, 2, 3)))
        .await
        .unwrap();
}

async fn retention_erases_minors_past_the_limit_only(store: Store) {
    let demo = store.load_demo().await.unwrap();
    let pupil = |name: &str| -> RepresentativeId {
        demo.people
            .values()
            .find(|p| p.details.full_name.as_str() == name)
            .unwrap()
            .id
    };
    let (tilde, arsema) = (pupil("Tilde"), pupil("Arsema"));
    let school = demo
        .organisations
        .values()
        .find(|o| o.details.name.as_str() == "Kunskapsförbundet Väst")
        .unwrap()
        .clone();
    let mut later = workshop(&school, &demo.people[&arsema], date(2025, 3, 1));
    later.follow_ups.clear();
    store.log_meeting(later).await.unwrap();
    let policy = RetentionPolicy::default();
    // 2025-05-01: Tilde's last meeting (2024-04-26) is more than 365 days
    // ago, Arsema's (2025-03-01) is not.
    let today = date(2025, 5, 1);

    let counts = row_counts(&store).await;
    let dry = store.run_retention(&policy, today, true).await.unwrap();
    assert_eq!(row_counts(&store).await, counts, "a dry run writes nothing");
    let due: Vec<RepresentativeId> = dry
        .findings
        .iter()
        .filter(|f| f.verdict == RetentionVerdict::Erase)
        .map(|f| f.id)
        .collect();
    assert_eq!(due, [tilde]);
    assert!(dry.erased.is_empty());
    assert!(dry.findings[0].reason(&policy).contains("365 days"));

    // Two runs at once (two servers): the pupil is erased once.
    let (a, b) = tokio::join!(
        store.run_retention(&policy, today, false),
        store.run_retention(&policy, today, false)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        [a.erased.clone(), b.erased.clone()].concat(),
        [tilde],
        "{a:?} {b:?}"
    );
    assert!(store.representative(tilde).await.unwrap().erased_at.is_some());
    assert!(store.representative(arsema).await.unwrap().erased_at.is_none());
    assert_eq!(store.erasure_log().await.unwrap().len(), 1);

    // Years later, adults without activity are listed for review only.
    let review = store
        .run_retention(&policy, date(2035, 1, 1), false)
        .await
        .unwrap();
    assert!(
        review
            .findings
            .iter()
            .any(|f| f.verdict == RetentionVerdict::Review)
    );
    assert_eq!(review.erased, [arsema]);
}

async fn an_export_names_minors_only_when_asked(store: Store) {
    store.load_demo().await.unwrap();
    let names = |minors: bool| {
        let store = store.clone();
        async move {
            let mut names = Vec::new();
            let mut batches = std::pin::pin!(store.attendance_export_with_minors(
                date(2024, 4, 1),
                date(2024, 4, 30),
                100,
                minors
            ));
            while let Some(batch) = batches.next().await {
                names.extend(
                    batch
                        .unwrap()
                        .into_iter()
                        .filter_map(|row| row.representative_name),
                );
            }
            names.sort();
            names
        }
    };
    let (withheld, named) = (names(false).await, names(true).await);
    assert_eq!(withheld.len(), named.len(), "every row stays");
    assert!(named.iter().any(|n| n == "Tilde") && named.iter().any(|n| n == "Arsema"));
    assert!(
        !withheld.iter().any(|n| n == "Tilde" || n == "Arsema"),
        "{withheld:?}"
    );
    assert_eq!(withheld.iter().filter(|n| *n == MINOR_NAME).count(), 2);
    assert!(withheld.iter().any(|n| n == "Lena Lindhé"), "adults are named");
}

async fn an_erasure_names_the_free_texts_it_leaves_and_replays_from_its_log(store: Store) {
    let demo = store.load_demo().await.unwrap();
    let person = |name: &str| {
        demo.people
            .values()
            .find(|p| p.details.full_name.as_str() == name)
            .unwrap()
            .id
    };
    let (lisa, maria) = (person("Lisa Thörn"), person("Maria Derner"));
    // The seed's first outcome ends "(Lisa Thörn)": a text nobody may
    // rewrite unasked, so the erasure says where it is.
    let erasure = store.erase_representative(lisa, &reason()).await.unwrap();
    let outcome = demo.records.outcomes[0].id.as_uuid();
    assert_eq!(erasure.mentions.len(), 1, "{:?}", erasure.mentions);
    assert_eq!(
        (erasure.mentions[0].entity, erasure.mentions[0].id),
        ("outcome", outcome)
    );
    let maria_erased = store.erase_representative(maria, &reason()).await.unwrap();
    assert!(maria_erased.mentions.is_empty());

    // A restore brings back a database where Maria is not erased: here, a
    // log naming Lisa (erased: skipped), Maria (erased: skipped), a record
    // this database never held (skipped) and Jan (replayed).
    let jan = person("Jan Theliander");
    let mut log: Vec<(String, uuid::Uuid)> = store
        .erasure_log()
        .await
        .unwrap()
        .into_iter()
        .map(|entry| (entry.entity, entry.id))
        .collect();
    log.push(("representative".into(), uuid::Uuid::now_v7()));
    log.push(("representative".into(), jan.as_uuid()));
    let replayed = store.replay_erasures(&log).await.unwrap();
    assert_eq!(replayed.len(), 1);
    assert_eq!(replayed[0].id, jan.as_uuid());
    let names: Vec<String> = [lisa, maria, jan]
        .into_iter()
        .map(|id| store.representative(id))
        .collect::<futures_util::stream::FuturesOrdered<_>>()
        .map(|p| p.unwrap().details.full_name.to_string())
        .collect()
        .await;
    assert_eq!(
        names,
        ["Raderad person 1", "Raderad person 2", "Raderad person 3"]
    );
}
