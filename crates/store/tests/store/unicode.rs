//! One text, one form: a tag or name typed composed (NFC) or decomposed
//! (NFD) is one value, stored composed, and found by either form.

use samverkan_domain::{
    Email, OrganisationDetails, OrganisationInput, OrganisationKind, Role, UserDetails, UserInput, text,
};
use samverkan_migration::m20261201_000001_composed_texts::{compose, compose_in_batches};
use samverkan_store::{MeetingFilter, OrganisationFilter, PageRequest, Store};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::fixtures::{date, organisation, person, row_counts, workshop};
use crate::store_tests;

store_tests!(
    a_tag_typed_composed_or_decomposed_is_one_tag_found_by_either,
    the_migration_composes_rows_written_before,
);

const COMPOSED: &str = "kompetensförsörjning";
/// The same word with each ö as o and a combining diaeresis.
const DECOMPOSED: &str = "kompetensfo\u{0308}rso\u{0308}rjning";

fn tagged(name: &str, tags: &[&str]) -> OrganisationDetails {
    OrganisationDetails::parse(&OrganisationInput {
        name: name.into(),
        kind: Some(OrganisationKind::Company),
        tags: tags.iter().map(|tag| (*tag).to_owned()).collect(),
        ..OrganisationInput::default()
    })
    .unwrap()
}

async fn a_tag_typed_composed_or_decomposed_is_one_tag_found_by_either(store: Store) {
    let both = store
        .create_organisation(tagged("Vattenfall", &[COMPOSED, DECOMPOSED]))
        .await
        .unwrap();
    assert_eq!(both.details.tags.to_strings(), [COMPOSED], "one tag, composed");
    store
        .create_organisation(tagged("GKN Aerospace", &[DECOMPOSED]))
        .await
        .unwrap();
    for typed in [COMPOSED, DECOMPOSED] {
        let filter = OrganisationFilter {
            tag: Some(typed.into()),
            ..OrganisationFilter::default()
        };
        let page = store
            .list_organisations(&filter, &PageRequest::default())
            .await
            .unwrap();
        let names: Vec<&str> = page.items.iter().map(|o| o.details.name.as_str()).collect();
        assert_eq!(names, ["GKN Aerospace", "Vattenfall"], "tag={typed:?}");
    }

    let host = organisation(&store, "Ho\u{0308}gskolan Va\u{0308}st").await;
    assert_eq!(host.details.name.as_str(), "Högskolan Väst");
    let presenter = person(&store, &host, "Lena Lindhe\u{0301}", "Samverkansstrateg").await;
    assert_eq!(presenter.details.full_name.as_str(), "Lena Lindhé");
    for (day, tag) in [(1, COMPOSED), (2, DECOMPOSED)] {
        let mut input = workshop(&host, &presenter, date(2024, 4, day));
        input.meeting.tags = vec![tag.into()];
        input.agenda[0].tags = vec![tag.into()];
        let logged = store.log_meeting(input).await.unwrap();
        assert_eq!(logged.meeting.details.tags.to_strings(), [COMPOSED]);
    }
    for typed in [COMPOSED, DECOMPOSED] {
        let filter = MeetingFilter {
            tag: Some(typed.into()),
            ..MeetingFilter::default()
        };
        let page = store
            .list_meetings(&filter, &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(page.items.len(), 2, "tag={typed:?}");
    }
}

/// Runs `sql` (with `?` placeholders) on the store's database, bypassing the
/// domain: how rows written before texts were composed look.
async fn execute(store: &Store, sql: &str, values: Vec<Value>) {
    let backend = store.backend();
    let sql = match backend {
        DbBackend::Postgres => {
            let mut numbered = String::new();
            for (i, part) in sql.split('?').enumerate() {
                if i > 0 {
                    numbered.push_str(&format!("${i}"));
                }
                numbered.push_str(part);
            }
            numbered
        }
        _ => sql.to_owned(),
    };
    store
        .connection()
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap();
}

/// One text column of a row, as stored.
async fn stored(store: &Store, table: &str, column: &str, id: Uuid) -> String {
    let backend = store.backend();
    let placeholder = if backend == DbBackend::Postgres { "$1" } else { "?" };
    let row = store
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT {column} AS v FROM {table} WHERE id = {placeholder}"),
            [Value::from(id)],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "v").unwrap()
}

/// The tags of a record, as stored, sorted.
async fn stored_tags(store: &Store, table: &str, owner: &str, id: Uuid) -> Vec<String> {
    let backend = store.backend();
    let placeholder = if backend == DbBackend::Postgres { "$1" } else { "?" };
    let rows = store
        .connection()
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT tag FROM {table} WHERE {owner} = {placeholder} ORDER BY tag"),
            [Value::from(id)],
        ))
        .await
        .unwrap();
    rows.iter().map(|row| row.try_get("", "tag").unwrap()).collect()
}

async fn the_migration_composes_rows_written_before(store: Store) {
    let host = store
        .create_organisation(tagged("Högskolan Väst", &[COMPOSED, "apl"]))
        .await
        .unwrap();
    let other = store
        .create_organisation(tagged("Vattenfall", &[COMPOSED]))
        .await
        .unwrap();
    let presenter = person(&store, &host, "Lena Lindhé", "Samverkansstrateg").await;
    let mut input = workshop(&host, &presenter, date(2024, 4, 26));
    input.meeting.tags = vec![COMPOSED.into()];
    let meeting = store.log_meeting(input).await.unwrap().meeting;
    let (host_id, other_id, meeting_id) = (host.id.as_uuid(), other.id.as_uuid(), meeting.id.as_uuid());
    let user = |email: &str| {
        UserDetails::parse(&UserInput {
            email: email.into(),
            role: Some(Role::Strategist),
            ..UserInput::default()
        })
        .unwrap()
    };
    let asa = store.create_user(user("Åsa.Thörn@exempel.se")).await.unwrap();
    let bo = store.create_user(user("bo@exempel.se")).await.unwrap();
    let lena = store.create_user(user("lena@exempel.se")).await.unwrap();
    let derived = [
        stored(&store, "organisations", "name_folded", host_id).await,
        stored(&store, "organisations", "name_sort", host_id).await,
        stored(&store, "organisations", "search_text", host_id).await,
    ];

    // Rows as an older release wrote what a client sent decomposed: the host
    // carries the tag in both forms, the other organisation and the meeting
    // only decomposed.
    let decomposed_name = "Ho\u{0308}gskolan Va\u{0308}st";
    execute(
        &store,
        "UPDATE organisations SET name = ? WHERE id = ?",
        vec![decomposed_name.into(), host_id.into()],
    )
    .await;
    execute(
        &store,
        "INSERT INTO organisation_tags (organisation_id, tag) VALUES (?, ?)",
        vec![host_id.into(), DECOMPOSED.into()],
    )
    .await;
    execute(
        &store,
        "UPDATE organisation_tags SET tag = ? WHERE organisation_id = ?",
        vec![DECOMPOSED.into(), other_id.into()],
    )
    .await;
    execute(
        &store,
        "UPDATE meeting_tags SET tag = ? WHERE meeting_id = ?",
        vec![DECOMPOSED.into(), meeting_id.into()],
    )
    .await;
    execute(
        &store,
        "UPDATE meetings SET title = ? WHERE id = ?",
        vec![
            "Workshop om kompetensfo\u{0308}rso\u{0308}rjning".into(),
            meeting_id.into(),
        ],
    )
    .await;
    execute(
        &store,
        "UPDATE representatives SET full_name = ? WHERE id = ?",
        vec!["Lena Lindhe\u{0301}".into(), presenter.id.as_uuid().into()],
    )
    .await;

    // Åsa's address decomposed; Bo's changed to Åsa's, half decomposed:
    // another key as stored, but Åsa's once composed (an older release let
    // both in).
    let decomposed_email = "A\u{030A}sa.Tho\u{0308}rn@exempel.se";
    execute(
        &store,
        "UPDATE users SET email = ?, email_folded = ? WHERE id = ?",
        vec![
            decomposed_email.into(),
            decomposed_email.to_lowercase().into(),
            asa.id.as_uuid().into(),
        ],
    )
    .await;
    execute(
        &store,
        "UPDATE users SET email = ?, email_folded = ? WHERE id = ?",
        vec![
            "Åsa.Tho\u{0308}rn@exempel.se".into(),
            "Åsa.Tho\u{0308}rn@exempel.se".to_lowercase().into(),
            bo.id.as_uuid().into(),
        ],
    )
    .await;

    // Batches of one row cross every page boundary.
    compose_in_batches(store.connection(), 1).await.unwrap();

    assert_eq!(
        stored(&store, "organisations", "name", host_id).await,
        "Högskolan Väst"
    );
    assert_eq!(
        stored(&store, "meetings", "title", meeting_id).await,
        "Workshop om kompetensförsörjning"
    );
    assert_eq!(
        stored(&store, "representatives", "full_name", presenter.id.as_uuid()).await,
        "Lena Lindhé"
    );
    assert_eq!(
        stored_tags(&store, "organisation_tags", "organisation_id", host_id).await,
        ["apl", COMPOSED],
        "the decomposed twin is gone"
    );
    assert_eq!(
        stored_tags(&store, "organisation_tags", "organisation_id", other_id).await,
        [COMPOSED]
    );
    assert_eq!(
        stored_tags(&store, "meeting_tags", "meeting_id", meeting_id).await,
        [COMPOSED]
    );
    // The derived columns were right all along, and still are.
    let after = [
        stored(&store, "organisations", "name_folded", host_id).await,
        stored(&store, "organisations", "name_sort", host_id).await,
        stored(&store, "organisations", "search_text", host_id).await,
    ];
    assert_eq!(after, derived);
    assert_eq!(after[0], text::fold("Högskolan Väst"));
    assert_eq!(after[1], text::sort_key("Högskolan Väst"));

    for typed in [COMPOSED, DECOMPOSED] {
        let filter = OrganisationFilter {
            tag: Some(typed.into()),
            ..OrganisationFilter::default()
        };
        let page = store
            .list_organisations(&filter, &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(page.items.len(), 2, "tag={typed:?}");
        let filter = MeetingFilter {
            tag: Some(typed.into()),
            ..MeetingFilter::default()
        };
        let page = store
            .list_meetings(&filter, &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1, "tag={typed:?}");
    }
    // Read back through the domain, the records are whole and unchanged.
    assert_eq!(store.organisation(host.id).await.unwrap(), host);

    let found = store
        .user_by_email(&Email::parse("email", "åsa.thörn@exempel.se").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, asa.id);
    assert_eq!(
        stored(&store, "users", "email", asa.id.as_uuid()).await,
        "Åsa.Thörn@exempel.se"
    );
    // Bo's composed key is taken: his row is left as it was, not lost.
    assert_eq!(
        stored(&store, "users", "email", bo.id.as_uuid()).await,
        "Åsa.Tho\u{0308}rn@exempel.se"
    );
    assert_eq!(
        stored(&store, "users", "email", lena.id.as_uuid()).await,
        "lena@exempel.se"
    );

    // Once composed, a second run changes nothing.
    let counts = row_counts(&store).await;
    compose(store.connection()).await.unwrap();
    assert_eq!(row_counts(&store).await, counts);
    assert_eq!(store.organisation(host.id).await.unwrap(), host);
}
