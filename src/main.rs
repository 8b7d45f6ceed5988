//! `samverkan`: the command line, and (from the API crate on) the server.

// The server's future nests the API's and the web pages' middleware types
// deeper than the default limit of 128 lets rustc lay out in a release
// build ("queries overflow the depth limit").
#![recursion_limit = "256"]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use samverkan_domain::{
    Email, HealthThresholds, Password, PasswordHash, Role, TokenId, User, UserDetails, UserInput,
};
use samverkan_store::{DEFAULT_DATABASE_URL, PageRequest, Store};
use tracing_subscriber::EnvFilter;

mod privacy;
mod report;
mod web_args;

/// Samverkan: a tracker for strategic partnerships between organisations.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The database: `sqlite://FILE?mode=rwc` (the embedded default) or
    /// `postgres://USER@HOST/DB`.
    #[arg(long, global = true, env = "SAMVERKAN_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,

    /// SQLite only: the most the database file may grow to, in MiB (a
    /// quota; a write past it is refused as on a full disk). None: no limit
    /// but the disk's.
    #[arg(long, global = true, env = "SAMVERKAN_DATABASE_MAX_MIB", value_parser = clap::value_parser!(u64).range(1..))]
    database_max_mib: Option<u64>,

    /// Log lines as text or as JSON objects (one per line).
    #[arg(long, global = true, env = "SAMVERKAN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP API server (migrations apply at start).
    Serve {
        /// The address to listen on; port 0 picks a free one.
        #[arg(long, env = "SAMVERKAN_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Load the seed partner day when the database holds none.
        #[arg(long)]
        demo: bool,
        /// Seconds a request may take before it is answered 503.
        #[arg(long, env = "SAMVERKAN_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        request_timeout: u64,
        /// Requests per second each API token may make on average; 0 turns
        /// the limit off.
        #[arg(long, env = "SAMVERKAN_RATE_LIMIT", default_value_t = 100)]
        rate_limit: u32,
        /// Requests a token may make at once above its average.
        #[arg(long, env = "SAMVERKAN_RATE_BURST", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
        rate_burst: u32,
        /// An origin allowed to call the API from a browser (CORS), e.g.
        /// `https://samverkan.example.se`; repeat for more. None: CORS off.
        #[arg(long = "cors-origin", env = "SAMVERKAN_CORS_ORIGINS", value_delimiter = ',')]
        cors_origins: Vec<String>,
        /// Seconds a connection may take to send a request's headers (and
        /// stay idle between requests) before it is closed.
        #[arg(long, env = "SAMVERKAN_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
        header_timeout: u64,
        /// Connections one client address may hold at once; one more is
        /// answered 503. 0: no cap (behind a proxy, which should cap them).
        /// The default leaves room for an office behind one NAT address (a
        /// browser holds up to six per server).
        #[arg(long, env = "SAMVERKAN_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 256)]
        max_connections_per_client: usize,
        #[command(flatten)]
        health: HealthArgs,
        #[command(flatten)]
        web: web_args::WebArgs,
        #[command(flatten)]
        privacy: privacy::PrivacyArgs,
        /// Do not run the retention policy once a day (another server, or
        /// a scheduled `samverkan privacy retention`, does).
        #[arg(long, env = "SAMVERKAN_NO_RETENTION")]
        no_retention: bool,
    },
    /// Apply the database migrations.
    Migrate,
    /// Load the seed partner day (idempotently) and print it.
    Demo,
    /// Users of Samverkan: add, set a password, list, disable, enable.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens: create (the secret is printed once, alone on the last
    /// line), list, revoke.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Write deterministic synthetic data shaped like real partner work
    /// (Swedish names, partner days with 10 to 40 attendees, follow-ups in
    /// every status): for trying things out at scale, and for benchmarks.
    Generate {
        /// How many organisations (each with 3 to 8 representatives).
        #[arg(long, default_value_t = 200)]
        organisations: usize,
        /// How many meetings (about 2.5 follow-ups each).
        #[arg(long, default_value_t = 1_000)]
        meetings: usize,
        /// The same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write a report or an export to a file (`--output`) or standard output.
    Report {
        #[command(subcommand)]
        report: report::ReportCommand,
    },
    /// Data protection requests: export, erase, restrict; retention; the
    /// erasure log (docs/privacy.md).
    Privacy {
        #[command(subcommand)]
        command: privacy::PrivacyCommand,
        #[command(flatten)]
        settings: privacy::PrivacyArgs,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user.
    Add {
        #[arg(long)]
        email: String,
        /// admin, strategist, manager or viewer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password for signing in to the web interface from one
        /// line of standard input. Without it the password is asked for
        /// twice on a terminal; with neither, the user has API tokens only.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password for the web interface; ends their sessions.
    SetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from one line of standard input (without it,
        /// it is asked for twice on a terminal).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users.
    List,
    /// Disable a user: their tokens are refused from the next request on.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled user again.
    Enable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token for a user; prints the secret alone on the last line.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        /// Lifetime in days (1 to 3650); without it the token does not expire.
        #[arg(long)]
        expires_in: Option<u32>,
    },
    /// List a user's tokens.
    List {
        #[arg(long)]
        email: String,
    },
    /// Revoke a token, by its id (see `token list`).
    Revoke {
        #[arg(long)]
        id: uuid::Uuid,
    },
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse("role", raw).map_err(|error| error.message)
}

/// The engagement health thresholds, in days before the as-of day
/// (`docs/engagement.md`).
#[derive(Debug, clap::Args)]
pub struct HealthArgs {
    /// `new`: the first meeting ever at most this many days ago.
    #[arg(long, env = "SAMVERKAN_HEALTH_NEW_DAYS", default_value_t = HealthThresholds::default().new_days)]
    health_new_days: u32,
    /// `active`: the last meeting at most this many days ago.
    #[arg(long, env = "SAMVERKAN_HEALTH_ACTIVE_DAYS", default_value_t = HealthThresholds::default().active_days)]
    health_active_days: u32,
    /// `cooling`: the last meeting at most this many days ago; beyond, `dormant`.
    #[arg(long, env = "SAMVERKAN_HEALTH_COOLING_DAYS", default_value_t = HealthThresholds::default().cooling_days)]
    health_cooling_days: u32,
}

impl HealthArgs {
    fn thresholds(&self) -> anyhow::Result<HealthThresholds> {
        HealthThresholds::new(
            self.health_new_days,
            self.health_active_days,
            self.health_cooling_days,
        )
        .map_err(|errors| anyhow::anyhow!("health thresholds: {errors}"))
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server logs a line per request by default; other commands only
    // warnings. RUST_LOG overrides both.
    let default_level = if matches!(cli.command, Command::Serve { .. }) {
        "info"
    } else {
        "warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("samverkan: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let store_options = samverkan_store::StoreOptions {
        sqlite_max_bytes: cli.database_max_mib.map(|mib| mib.saturating_mul(1024 * 1024)),
        ..samverkan_store::StoreOptions::default()
    };
    let database_url = cli.database_url;
    let open = || Store::open_with(&database_url, store_options.clone());
    match cli.command {
        Command::Serve {
            bind,
            demo,
            request_timeout,
            rate_limit,
            rate_burst,
            cors_origins,
            header_timeout,
            max_connections_per_client,
            health,
            web,
            privacy,
            no_retention,
        } => {
            let health = health.thresholds()?;
            let config = samverkan_api::ServeConfig {
                bind,
                database_url: database_url.clone(),
                store_options: store_options.clone(),
                demo,
                limits: samverkan_api::HttpLimits {
                    request_timeout: std::time::Duration::from_secs(request_timeout),
                    rate_per_second: std::num::NonZeroU32::new(rate_limit),
                    burst: std::num::NonZeroU32::new(rate_burst).unwrap_or(std::num::NonZeroU32::MIN),
                    cors_origins,
                    connections: samverkan_api::listener::ConnectionLimits {
                        header_timeout: std::time::Duration::from_secs(header_timeout),
                        max_per_client: std::num::NonZeroUsize::new(max_connections_per_client),
                    },
                },
                health,
                web: web.config()?,
                privacy: privacy.terms()?,
                retention: !no_retention,
            };
            samverkan_api::serve(config).await?;
        }
        Command::Migrate => {
            let store = open().await?;
            store.close().await?;
            println!("migrations applied");
        }
        Command::Generate {
            organisations,
            meetings,
            seed,
        } => {
            let store = open().await?;
            let options = samverkan_synth::GenerateOptions {
                organisations,
                meetings,
                seed,
            };
            let summary = generate_with_progress(&store, &options).await;
            store.close().await?;
            println!("Generated {}.", summary?);
        }
        Command::User { command } => {
            let store = open().await?;
            let result = run_user(&store, command).await;
            store.close().await?;
            result?;
        }
        Command::Token { command } => {
            let store = open().await?;
            let result = run_token(&store, command).await;
            store.close().await?;
            result?;
        }
        Command::Report { report } => {
            let store = open().await?;
            let written = report::run(&store, report).await;
            store.close().await?;
            written?;
        }
        Command::Privacy { command, settings } => {
            let terms = settings.terms()?;
            let store = open().await?;
            let result = privacy::run(&store, &terms, command).await;
            store.close().await?;
            result?;
        }
        Command::Demo => {
            let store = open().await?;
            let outcome = store.load_demo().await?;
            store.close().await?;
            if outcome.created {
                println!("Loaded the demo partner day.\n");
            } else {
                println!("The demo partner day was already loaded.\n");
            }
            print!("{outcome}");
        }
    }
    Ok(())
}

/// The user with this e-mail address, or an error saying there is none.
async fn user_by_email(store: &Store, email: &str) -> anyhow::Result<User> {
    let email = Email::parse("email", email).map_err(|error| anyhow::anyhow!("{error}"))?;
    store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user has the e-mail address {email}"))
}

fn describe(user: &User) -> String {
    let state = match user.disabled_at {
        Some(at) => format!("disabled since {}", at.to_rfc3339()),
        None => "enabled".to_owned(),
    };
    format!(
        "{}\t{}\t{}\t{state}",
        user.id, user.details.email, user.details.role
    )
}

async fn run_user(store: &Store, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            email,
            role,
            display_name,
            password_stdin,
        } => {
            let details = UserDetails::parse(&UserInput {
                email,
                role: Some(role),
                display_name,
                representative_id: None,
            })?;
            // Asked for and hashed before the user is made, so that a
            // refused password leaves no half-made user behind.
            let hash = match read_password(password_stdin).await? {
                Some(password) => Some(hash_password(password).await?),
                None => None,
            };
            let user = store.create_user(details).await?;
            match hash {
                Some(hash) => store.set_password(user.id, &hash).await?,
                None => eprintln!(
                    "samverkan: no password given (none typed, or standard input is not a terminal and \
                     --password-stdin is not set): {} can use API tokens only; give them a password with \
                     `samverkan user set-password --email {}`",
                    user.details.email, user.details.email
                ),
            }
            println!("added {}", describe(&user));
        }
        UserCommand::SetPassword {
            email,
            password_stdin,
        } => {
            let user = user_by_email(store, &email).await?;
            let password = read_password(password_stdin).await?.ok_or_else(|| {
                anyhow::anyhow!(
                    "no password given: none was typed, or standard input is not a terminal (then write the \
                     password to standard input and pass --password-stdin); nothing was changed"
                )
            })?;
            store
                .set_password(user.id, &hash_password(password).await?)
                .await?;
            println!(
                "password set for {}; their sessions have ended",
                user.details.email
            );
        }
        UserCommand::List => {
            let mut page = PageRequest::default();
            loop {
                let found = store.list_users(&page).await?;
                for user in &found.items {
                    println!("{}", describe(user));
                }
                match found.next_cursor {
                    Some(cursor) => page = PageRequest::parse(None, Some(&cursor))?,
                    None => break,
                }
            }
        }
        UserCommand::Disable { email } => {
            let user = user_by_email(store, &email).await?;
            let user = store.set_user_disabled(user.id, true).await?;
            println!("{}", describe(&user));
        }
        UserCommand::Enable { email } => {
            let user = user_by_email(store, &email).await?;
            let user = store.set_user_disabled(user.id, false).await?;
            println!("{}", describe(&user));
        }
    }
    Ok(())
}

/// The password from one line of standard input (`--password-stdin`), or
/// typed twice at a prompt when standard input is a terminal, or `None`
/// (no terminal, or nothing typed).
/// Prompting only on a terminal matters: rpassword reads `/dev/tty`, and a
/// script (or a test) with standard input closed would hang on it.
async fn read_password(from_stdin: bool) -> anyhow::Result<Option<Password>> {
    use std::io::IsTerminal as _;
    let typed = tokio::task::spawn_blocking(move || -> anyhow::Result<Option<String>> {
        if from_stdin {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            let line = line.strip_suffix('\n').unwrap_or(&line);
            let line = line.strip_suffix('\r').unwrap_or(line);
            return Ok(Some(line.to_owned()));
        }
        if !std::io::stdin().is_terminal() {
            return Ok(None);
        }
        let first = rpassword::prompt_password("Password (at least 12 characters; none: press Enter): ")?;
        if first.is_empty() {
            return Ok(None);
        }
        Password::parse(&first).map_err(|error| anyhow::anyhow!("{error}"))?;
        let second = rpassword::prompt_password("The same password again: ")?;
        anyhow::ensure!(first == second, "the two passwords differ; nothing was changed");
        Ok(Some(first))
    })
    .await??;
    typed
        .map(|raw| Password::parse(&raw).map_err(|error| anyhow::anyhow!("{error}")))
        .transpose()
}

/// Hashes on a blocking thread: Argon2 takes tens of milliseconds of CPU.
async fn hash_password(password: Password) -> anyhow::Result<PasswordHash> {
    Ok(tokio::task::spawn_blocking(move || PasswordHash::new(&password)).await??)
}

async fn run_token(store: &Store, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            email,
            name,
            expires_in,
        } => {
            let user = user_by_email(store, &email).await?;
            let (token, secret) = store.issue_token(user.id, &name, expires_in).await?;
            let expiry = token.expires_at.map_or_else(
                || "does not expire".to_owned(),
                |at| format!("expires {}", at.to_rfc3339()),
            );
            println!(
                "token {} \"{}\" for {} ({expiry}); it is shown this once:",
                token.id, token.name, user.details.email
            );
            println!("{}", secret.expose());
        }
        TokenCommand::List { email } => {
            let user = user_by_email(store, &email).await?;
            for token in store.tokens_of(user.id).await? {
                let state = match (token.revoked_at, token.expires_at) {
                    (Some(at), _) => format!("revoked {}", at.to_rfc3339()),
                    (None, Some(at)) => format!("expires {}", at.to_rfc3339()),
                    (None, None) => "does not expire".to_owned(),
                };
                let used = token.last_used_at.map_or_else(
                    || "never used".to_owned(),
                    |at| format!("last used {}", at.to_rfc3339()),
                );
                println!("{}\t{}\t{state}\t{used}", token.id, token.name);
            }
        }
        TokenCommand::Revoke { id } => {
            let token = store.revoke_token(TokenId::from(id)).await?;
            println!("revoked token {} \"{}\"", token.id, token.name);
        }
    }
    Ok(())
}

/// Runs the generator, with a progress bar on a terminal (none when
/// standard error is piped or redirected).
async fn generate_with_progress(
    store: &Store,
    options: &samverkan_synth::GenerateOptions,
) -> Result<samverkan_synth::Summary, samverkan_store::StoreError> {
    use std::io::IsTerminal as _;
    let bar = progress_bar(
        std::io::stderr().is_terminal(),
        "{msg:>16} [{bar:40}] {pos}/{len} ({eta})",
    );
    let mut report = |progress: samverkan_synth::Progress| {
        bar.set_message(progress.phase.to_string());
        bar.set_length(u64::try_from(progress.total).unwrap_or(u64::MAX));
        bar.set_position(u64::try_from(progress.done).unwrap_or(u64::MAX));
    };
    let summary = samverkan_synth::generate(store, options, &mut report).await;
    bar.finish_and_clear();
    summary
}

/// A progress bar on standard error in `template`'s style, or a hidden one
/// when `shown` is false (standard error piped, or output to a pipe).
fn progress_bar(shown: bool, template: &str) -> indicatif::ProgressBar {
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
