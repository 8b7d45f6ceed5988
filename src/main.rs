//! `samverkan`: the command line, and (from the API crate on) the server.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
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

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply the database migrations.
    Migrate,
    /// Load the seed partner day (idempotently) and print it.
    Demo,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
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
        Command::Migrate => {
            let store = Store::open(&cli.database_url).await?;
            store.close().await?;
            println!("migrations applied");
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
