//! Signing in: passwords, sessions and the failed sign-ins the throttle
//! counts.

use chrono::Duration;
use samverkan_domain::{
    Email, Language, Password, PasswordHash, Role, SessionRefusal, SessionSecret, SignInThrottle, User,
    UserDetails, UserId, UserInput,
};
use samverkan_store::{AuditFilter, PageRequest, Store, StoreError};

use crate::store_tests;

store_tests!(
    a_session_resolves_to_its_user_until_signed_out,
    idle_and_expired_sessions_are_refused_and_deleted,
    disabling_a_user_or_setting_a_password_ends_every_session,
    a_password_round_trips_and_never_reaches_the_audit_trail,
    the_language_is_an_audited_preference,
    failed_sign_ins_are_counted_by_account_and_by_address,
);

const IDLE: Duration = Duration::hours(8);
const LIFETIME: Duration = Duration::days(7);

async fn user(store: &Store, email: &str) -> User {
    store
        .create_user(
            UserDetails::parse(&UserInput {
                email: email.into(),
                role: Some(Role::Strategist),
                ..UserInput::default()
            })
            .unwrap(),
        )
        .await
        .unwrap()
}

async fn signed_in(store: &Store, user: &User) -> SessionSecret {
    let secret = SessionSecret::generate().unwrap();
    store
        .start_session(user.id, &secret, LIFETIME, Some("192.0.2.10"), Some("Firefox"))
        .await
        .unwrap();
    secret
}

fn email(raw: &str) -> Email {
    Email::parse("email", raw).unwrap()
}

async fn a_session_resolves_to_its_user_until_signed_out(store: Store) {
    let lena = user(&store, "lena.lindhe@example.se").await;
    let secret = SessionSecret::generate().unwrap();
    let long_agent = "M".repeat(1000);
    let started = store
        .start_session(lena.id, &secret, LIFETIME, Some("192.0.2.10"), Some(&long_agent))
        .await
        .unwrap();
    assert_eq!(started.user_id, lena.id);
    assert_eq!(started.expires_at - started.created_at, LIFETIME);

    let (who, session) = store.session(&secret, IDLE).await.unwrap().unwrap();
    assert_eq!(who, lena);
    assert_eq!(session.id, started.id);
    // Another secret, even another of the same user, is another session.
    let other = signed_in(&store, &lena).await;
    assert_ne!(
        store.session(&other, IDLE).await.unwrap().unwrap().1.id,
        started.id
    );
    let stranger = SessionSecret::generate().unwrap();
    assert_eq!(
        store.session(&stranger, IDLE).await.unwrap(),
        Err(SessionRefusal::Unknown)
    );

    store.end_session(&secret).await.unwrap();
    assert_eq!(
        store.session(&secret, IDLE).await.unwrap(),
        Err(SessionRefusal::Unknown)
    );
    // Signing out again, or a session nobody had, is no error.
    store.end_session(&secret).await.unwrap();
    store.end_session(&stranger).await.unwrap();
    assert!(store.session(&other, IDLE).await.unwrap().is_ok());

    let nobody = UserId::new();
    assert!(matches!(
        store.start_session(nobody, &stranger, LIFETIME, None, None).await,
        Err(StoreError::NotFound { entity: "user", .. })
    ));
    // Sessions are no records: the trail holds only the user's creation.
    let trail = store
        .audit_trail(&AuditFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(trail.items.len(), 1, "{:?}", trail.items);
}

async fn idle_and_expired_sessions_are_refused_and_deleted(store: Store) {
    let lena = user(&store, "lena.lindhe@example.se").await;
    let idle = signed_in(&store, &lena).await;
    assert_eq!(
        store.session(&idle, Duration::zero()).await.unwrap(),
        Err(SessionRefusal::IdleExpired)
    );
    // Deleted, not only refused: a longer idle time does not revive it.
    assert_eq!(
        store.session(&idle, IDLE).await.unwrap(),
        Err(SessionRefusal::Unknown)
    );

    let expired = SessionSecret::generate().unwrap();
    store
        .start_session(lena.id, &expired, Duration::zero(), None, None)
        .await
        .unwrap();
    assert_eq!(
        store.session(&expired, IDLE).await.unwrap(),
        Err(SessionRefusal::Expired)
    );
    assert_eq!(
        store.session(&expired, IDLE).await.unwrap(),
        Err(SessionRefusal::Unknown)
    );

    // A sign-in sweeps away sessions that expired unseen.
    let forgotten = SessionSecret::generate().unwrap();
    store
        .start_session(lena.id, &forgotten, Duration::seconds(-1), None, None)
        .await
        .unwrap();
    let fresh = signed_in(&store, &lena).await;
    assert_eq!(
        store.session(&forgotten, IDLE).await.unwrap(),
        Err(SessionRefusal::Unknown)
    );
    assert!(store.session(&fresh, IDLE).await.unwrap().is_ok());
}

async fn disabling_a_user_or_setting_a_password_ends_every_session(store: Store) {
    let lena = user(&store, "lena.lindhe@example.se").await;
    let maria = user(&store, "maria.hildefors@example.se").await;
    let laptop = signed_in(&store, &lena).await;
    let phone = signed_in(&store, &lena).await;
    let marias = signed_in(&store, &maria).await;

    store.set_user_disabled(lena.id, true).await.unwrap();
    for secret in [&laptop, &phone] {
        assert_eq!(
            store.session(secret, IDLE).await.unwrap(),
            Err(SessionRefusal::Unknown)
        );
    }
    assert!(store.session(&marias, IDLE).await.unwrap().is_ok());
    // Enabled again, Lena signs in anew; the old sessions stay ended.
    store.set_user_disabled(lena.id, false).await.unwrap();
    assert_eq!(
        store.session(&laptop, IDLE).await.unwrap(),
        Err(SessionRefusal::Unknown)
    );

    let again = signed_in(&store, &lena).await;
    let hash = PasswordHash::new(&Password::parse("ett nytt lösenord").unwrap()).unwrap();
    store.set_password(lena.id, &hash).await.unwrap();
    assert_eq!(
        store.session(&again, IDLE).await.unwrap(),
        Err(SessionRefusal::Unknown)
    );
    assert!(store.session(&marias, IDLE).await.unwrap().is_ok());
}

async fn a_password_round_trips_and_never_reaches_the_audit_trail(store: Store) {
    let lena = user(&store, "lena.lindhe@example.se").await;
    let (found, hash) = store
        .credentials(&email("LENA.Lindhe@example.se"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, lena);
    assert!(hash.is_none(), "a new user has no password");
    assert!(
        store
            .credentials(&email("ingen@example.se"))
            .await
            .unwrap()
            .is_none()
    );

    let password = Password::parse("korrekt häst batteri").unwrap();
    let first = PasswordHash::new(&password).unwrap();
    store.set_password(lena.id, &first).await.unwrap();
    let (_, stored) = store
        .credentials(&email("lena.lindhe@example.se"))
        .await
        .unwrap()
        .unwrap();
    let stored = stored.unwrap();
    assert_eq!(stored, first);
    assert!(stored.verify(&password));

    let second = PasswordHash::new(&Password::parse("ett annat lösenord").unwrap()).unwrap();
    store.set_password(lena.id, &second).await.unwrap();
    let (_, stored) = store
        .credentials(&email("lena.lindhe@example.se"))
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.unwrap().verify(&password));

    let filter = AuditFilter {
        entity_id: Some(lena.id.as_uuid()),
        ..AuditFilter::default()
    };
    let trail = store.audit_trail(&filter, &PageRequest::default()).await.unwrap();
    let actions: Vec<&str> = trail.items.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(actions, ["set_password", "set_password", "create"]);
    let latest = &trail.items[0];
    assert!(latest.before.as_ref().unwrap()["password_changed_at"].is_string());
    assert_eq!(latest.after.as_ref().unwrap().as_object().unwrap().len(), 1);
    assert!(trail.items[1].before.as_ref().unwrap()["password_changed_at"].is_null());
    let everything = format!("{:?}", trail.items);
    for hash in [&first, &second] {
        let salt_and_output = hash.as_str().rsplit('$').take(2).collect::<Vec<_>>();
        assert!(!everything.contains(hash.as_str()));
        for part in salt_and_output {
            assert!(!everything.contains(part), "the trail holds {part}");
        }
    }
    assert!(!everything.contains("argon2"));

    assert!(matches!(
        store.set_password(UserId::new(), &first).await,
        Err(StoreError::NotFound { entity: "user", .. })
    ));
}

async fn the_language_is_an_audited_preference(store: Store) {
    let lena = user(&store, "lena.lindhe@example.se").await;
    assert_eq!(lena.language, Language::Sv);
    let english = store.set_language(lena.id, Language::En).await.unwrap();
    assert_eq!(english.language, Language::En);
    assert_eq!(store.user(lena.id).await.unwrap().language, Language::En);
    // The same language again changes nothing and records nothing.
    store.set_language(lena.id, Language::En).await.unwrap();
    let filter = AuditFilter {
        entity_id: Some(lena.id.as_uuid()),
        ..AuditFilter::default()
    };
    let trail = store.audit_trail(&filter, &PageRequest::default()).await.unwrap();
    assert_eq!(trail.items.len(), 2);
    let update = &trail.items[0];
    assert_eq!(update.action, "update");
    assert_eq!(update.before.as_ref().unwrap()["language"], "sv");
    assert_eq!(update.after.as_ref().unwrap()["language"], "en");
}

async fn failed_sign_ins_are_counted_by_account_and_by_address(store: Store) {
    let window = SignInThrottle::default().window;
    let anna = email("anna@example.se");
    let bo = email("bo@example.se");
    let office = Some("192.0.2.1");
    let home = Some("198.51.100.7");
    let none = store.sign_in_failures(&anna, office, window).await.unwrap();
    assert_eq!(
        (none.by_account, none.by_address, none.last_failure),
        (0, 0, None)
    );

    for _ in 0..3 {
        // The e-mail in any case is the same account.
        store
            .record_sign_in_failure(&email("Anna@Example.se"), office)
            .await
            .unwrap();
    }
    store.record_sign_in_failure(&bo, office).await.unwrap();
    store.record_sign_in_failure(&bo, office).await.unwrap();
    store.record_sign_in_failure(&anna, home).await.unwrap();
    store.record_sign_in_failure(&anna, None).await.unwrap();

    let counted = store.sign_in_failures(&anna, office, window).await.unwrap();
    assert_eq!((counted.by_account, counted.by_address), (5, 5));
    assert!(counted.last_failure.is_some());
    let from_home = store.sign_in_failures(&bo, home, window).await.unwrap();
    assert_eq!((from_home.by_account, from_home.by_address), (2, 1));
    let unaddressed = store.sign_in_failures(&anna, None, window).await.unwrap();
    assert_eq!((unaddressed.by_account, unaddressed.by_address), (5, 0));
    // Five for the account: the throttle locks it.
    let throttle = SignInThrottle::default();
    let now = samverkan_domain::time::now();
    assert!(throttle.locked_until(&counted, now).is_some());
    assert!(throttle.locked_until(&from_home, now).is_none());
    // Outside the window nothing counts.
    let outside = store
        .sign_in_failures(&anna, office, Duration::zero())
        .await
        .unwrap();
    assert_eq!(
        (outside.by_account, outside.by_address, outside.last_failure),
        (0, 0, None)
    );

    // A success clears the account's failures, not Bo's from the same office.
    store
        .clear_sign_in_failures(&email("ANNA@example.se"))
        .await
        .unwrap();
    let cleared = store.sign_in_failures(&anna, office, window).await.unwrap();
    assert_eq!((cleared.by_account, cleared.by_address), (0, 2));
    // Failed sign-ins are no records either.
    let trail = store
        .audit_trail(&AuditFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert!(trail.items.is_empty());
}
