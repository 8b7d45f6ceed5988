//! `samverkan`: the command line, and (from the API crate on) the server.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use samverkan_domain::HealthThresholds;
use samverkan_store::{DEFAULT_DATABASE_URL, Store};
use tracing_subscriber::EnvFilter;

/// Samverkan: a tracker for strategic partnerships between organisations.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The database: `sqlite://FILE?mode=rwc` (the embedded default) or
    /// `postgres://USER@HOST/DB`.
    #[arg(long, global = true, env = "SAMVERKAN_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,

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
        #[command(flatten)]
        health: HealthArgs,
    },
    /// Apply the database migrations.
    Migrate,
    /// Load the seed partner day (idempotently) and print it.
    Demo,
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
}

/// The engagement health thresholds, in days before the as-of day
/// (`docs/engagement.md`).
#[derive(Debug, clap::Args)]
struct HealthArgs {
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
    match cli.command {
        Command::Serve { bind, demo, health } => {
            let health = HealthThresholds::new(
                health.health_new_days,
                health.health_active_days,
                health.health_cooling_days,
            )
            .map_err(|errors| anyhow::anyhow!("health thresholds: {errors}"))?;
            let config = samverkan_api::ServeConfig {
                bind,
                database_url: cli.database_url,
                demo,
                health,
            };
            samverkan_api::serve(config).await?;
        }
        Command::Migrate => {
            let store = Store::open(&cli.database_url).await?;
            store.close().await?;
            println!("migrations applied");
        }
        Command::Generate {
            organisations,
            meetings,
            seed,
        } => {
            let store = Store::open(&cli.database_url).await?;
            let options = samverkan_synth::GenerateOptions {
                organisations,
                meetings,
                seed,
            };
            let summary = generate_with_progress(&store, &options).await;
            store.close().await?;
            println!("Generated {}.", summary?);
        }
        Command::Demo => {
            let store = Store::open(&cli.database_url).await?;
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

/// Runs the generator, with a progress bar on a terminal (none when
/// standard error is piped or redirected).
async fn generate_with_progress(
    store: &Store,
    options: &samverkan_synth::GenerateOptions,
) -> Result<samverkan_synth::Summary, samverkan_store::StoreError> {
    use std::io::IsTerminal as _;
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        let style = indicatif::ProgressStyle::with_template("{msg:>16} [{bar:40}] {pos}/{len} ({eta})")
            .map(|style| style.progress_chars("=> "));
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut report = |progress: samverkan_synth::Progress| {
        bar.set_message(progress.phase.to_string());
        bar.set_length(u64::try_from(progress.total).unwrap_or(u64::MAX));
        bar.set_position(u64::try_from(progress.done).unwrap_or(u64::MAX));
    };
    let summary = samverkan_synth::generate(store, options, &mut report).await;
    bar.finish_and_clear();
    summary
}
