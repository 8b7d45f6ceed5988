//! Running the server: bind, migrate, serve, shut down gracefully.

use std::time::Duration;

use samverkan_domain::{Email, Password, PasswordHash, Role, TokenSecret, User, UserDetails, UserInput};
use samverkan_store::Store;

/// How long in-flight requests may take to finish after a shutdown signal.
const GRACE_PERIOD: Duration = Duration::from_secs(20);

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] samverkan_store::StoreError),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub bind: String,
    pub database_url: String,
    pub store_options: samverkan_store::StoreOptions,
    /// Load the seed partner day when the database holds no meeting.
    pub demo: bool,
    pub limits: crate::HttpLimits,
    /// When engagement counts as `new`, `active`, `cooling` or `dormant`.
    pub health: samverkan_domain::HealthThresholds,
    /// How the web interface is served.
    pub web: samverkan_web::WebConfig,
    /// What personal data exports state (controller, legal basis) and the
    /// retention policy the server applies once a day.
    pub privacy: samverkan_domain::privacy::ProcessingTerms,
    /// Whether this server runs the retention policy (docs/privacy.md).
    pub retention: bool,
}

/// Migrates (under a lock, so several servers may start at once), then serves
/// until SIGINT or SIGTERM; then lets in-flight requests finish and closes
/// the database.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let started = samverkan_domain::time::now();
    let store = Store::open_with(&config.database_url, config.store_options.clone()).await?;
    if config.demo && store_is_empty(&store).await? {
        store.load_demo().await?;
        tracing::info!("loaded the demo partner day");
    }
    // No silent open door, and no locked one either: a demo gets an admin
    // whose token is printed; a real installation without users is told
    // how to make the first.
    let demo_token = if config.demo {
        Some(demo_admin_token(&store, started).await?)
    } else {
        None
    };
    let demo_sign_ins = if config.demo {
        demo_passwords(&store).await?
    } else {
        Vec::new()
    };
    if demo_token.is_none() && !store.has_users().await? {
        let advice = "no users yet: every /api/v1 request will be refused (401). Create the first admin with \
                      `samverkan user add --email E --role admin`, then a token with \
                      `samverkan token create --email E --name N`";
        eprintln!("samverkan: {advice}");
        tracing::warn!("{advice}");
    }
    let listener = tokio::net::TcpListener::bind(&config.bind).await?;
    let address = crate::listener::bound_address(&listener);
    let shutdown = shutdown_signal()?;
    if let Some(secret) = demo_token {
        // Printed, never logged: it is a credential.
        println!("demo admin ({DEMO_ADMIN_EMAIL}) token: {}", secret.expose());
    }
    if !demo_sign_ins.is_empty() {
        // Printed, never logged, like the token.
        println!("Sign in at http://{address}/ with:");
        let width = DEMO_USERS.iter().map(|user| user.email.len()).max().unwrap_or(0);
        for (role, email, password) in &demo_sign_ins {
            println!("  {:<11} {email:<width$}  {}", role.as_str(), password.expose());
        }
    }
    // Printed, not only logged: scripts and tests read the port from here.
    println!("listening on http://{address}");
    tracing::info!(%address, "listening");
    let retention = config.retention.then(|| {
        tokio::spawn(daily_retention(
            store.clone(),
            config.privacy.retention,
            config.demo,
        ))
    });
    let app = crate::app(
        store.clone(),
        &config.limits,
        config.health,
        config.privacy.clone(),
        config.web.clone(),
    );
    crate::listener::serve(listener, app, &config.limits.connections, shutdown, GRACE_PERIOD).await?;
    if let Some(retention) = retention {
        retention.abort();
    }
    tracing::info!("shutting down: closing the database");
    store.close().await?;
    Ok(())
}

/// How long after start the first retention run waits: not at once, so that
/// a server restarted over and over (or started for a test) does not erase
/// on every start, and a new installation's operator has time to look at
/// `samverkan privacy retention --dry-run` first.
const RETENTION_FIRST_RUN: Duration = Duration::from_secs(60 * 60);
const RETENTION_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);

/// Runs the retention policy once a day (docs/privacy.md). Several servers
/// on one PostgreSQL take turns through an advisory lock: the run that
/// finds it held does nothing. A failed run is logged and tried again the
/// next day. With the demo data (`review_only`) it only lists what it would
/// erase: the seed's pupils met in 2024, past the limit, and the demo is
/// there to show that day as it was.
async fn daily_retention(
    store: Store,
    policy: samverkan_domain::privacy::RetentionPolicy,
    review_only: bool,
) {
    tokio::time::sleep(RETENTION_FIRST_RUN).await;
    let mut ticks = tokio::time::interval(RETENTION_INTERVAL);
    loop {
        ticks.tick().await;
        let store = store.acting_as(samverkan_store::Actor::Process("retention"));
        match store
            .run_retention(&policy, samverkan_domain::time::today(), review_only)
            .await
        {
            Ok(run) if run.skipped => tracing::info!("retention: another server is running it"),
            Ok(run) => tracing::info!(
                erased = run.erased.len(),
                for_review = run.findings.len().saturating_sub(run.erased.len()),
                "retention run"
            ),
            Err(error) => tracing::error!(%error, "retention run failed"),
        }
    }
}

/// The demo's admin user.
pub const DEMO_ADMIN_EMAIL: &str = "demo-admin@example.org";

/// One of the demo's users: one per role, so that each role's view of the
/// web interface can be tried.
#[derive(Debug, Clone, Copy)]
pub struct DemoUser {
    pub role: Role,
    pub email: &'static str,
    pub display_name: &'static str,
}

/// The demo's users, the admin first.
pub const DEMO_USERS: [DemoUser; 4] = [
    DemoUser {
        role: Role::Admin,
        email: DEMO_ADMIN_EMAIL,
        display_name: "Demo admin",
    },
    DemoUser {
        role: Role::Strategist,
        email: "demo-strategist@example.org",
        display_name: "Demo strategist",
    },
    DemoUser {
        role: Role::Manager,
        email: "demo-manager@example.org",
        display_name: "Demo manager",
    },
    DemoUser {
        role: Role::Viewer,
        email: "demo-viewer@example.org",
        display_name: "Demo viewer",
    },
];

/// The length of the demo users' passwords.
const DEMO_PASSWORD_CHARS: usize = 20;
/// The name of the demo admin's token.
const DEMO_TOKEN_NAME: &str = "demo";

/// Makes sure the demo admin exists and gives it a fresh token, revoking the
/// ones that `serve --demo`s started before this one printed (so a lost
/// token is replaced by restarting). Servers started together each keep
/// theirs: a token made after `started` is another server's of this start.
async fn demo_admin_token(
    store: &Store,
    started: chrono::DateTime<chrono::Utc>,
) -> Result<TokenSecret, ServeError> {
    let admin = demo_user(store, &DEMO_USERS[0]).await?;
    for token in store.tokens_of(admin.id).await? {
        if token.name == DEMO_TOKEN_NAME && token.revoked_at.is_none() && token.created_at < started {
            store.revoke_token(token.id).await?;
        }
    }
    let (_, secret) = store.issue_token(admin.id, DEMO_TOKEN_NAME, None).await?;
    Ok(secret)
}

/// Makes sure the demo user exists (also when another server starting at
/// the same time makes it first).
async fn demo_user(store: &Store, demo: &DemoUser) -> Result<User, ServeError> {
    let email = Email::parse("email", demo.email)
        .map_err(|error| samverkan_store::StoreError::Validation(error.into()))?;
    if let Some(user) = store.user_by_email(&email).await? {
        return Ok(user);
    }
    let details = UserDetails::parse(&UserInput {
        email: demo.email.into(),
        role: Some(demo.role),
        display_name: Some(demo.display_name.into()),
        representative_id: None,
    })
    .map_err(samverkan_store::StoreError::Validation)?;
    match store.create_user(details).await {
        Ok(user) => Ok(user),
        Err(samverkan_store::StoreError::Duplicate { .. }) => {
            Ok(store.user_by_email(&email).await?.ok_or_else(|| {
                samverkan_store::StoreError::Internal(format!("the demo user {email} vanished"))
            })?)
        }
        Err(error) => Err(error.into()),
    }
}

/// Gives every demo user a fresh random password, to be printed: a
/// restart hands out new ones, and none is ever written in a file. Of
/// several servers started together, the last to get here sets the
/// passwords that work.
async fn demo_passwords(store: &Store) -> Result<Vec<(Role, &'static str, Password)>, ServeError> {
    let mut sign_ins = Vec::with_capacity(DEMO_USERS.len());
    for demo in &DEMO_USERS {
        let user = demo_user(store, demo).await?;
        let internal = |error: String| samverkan_store::StoreError::Internal(error);
        let password =
            Password::generate(DEMO_PASSWORD_CHARS).map_err(|error| internal(error.to_string()))?;
        let hashed = password.clone();
        // Argon2 is CPU work: off the async threads.
        let hash = tokio::task::spawn_blocking(move || PasswordHash::new(&hashed))
            .await
            .map_err(|error| internal(error.to_string()))?
            .map_err(|error| internal(error.to_string()))?;
        store.set_password(user.id, &hash).await?;
        sign_ins.push((demo.role, demo.email, password));
    }
    Ok(sign_ins)
}

/// No meeting at all, archived ones included: `--demo` never mixes the demo
/// into a database in use.
async fn store_is_empty(store: &Store) -> Result<bool, ServeError> {
    let filter = samverkan_store::MeetingFilter {
        include_archived: true,
        ..Default::default()
    };
    let page = samverkan_store::PageRequest::first(1);
    Ok(store.list_meetings(&filter, &page).await?.items.is_empty())
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled, so a signal that arrives
/// the moment the server is up is not lost (nor fatal).
fn shutdown_signal() -> Result<impl Future<Output = ()>, ServeError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
