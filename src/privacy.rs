//! `samverkan privacy …`: data protection requests (docs/privacy.md) —
//! a person's data exported (GDPR Art. 15), erased (Art. 17) or restricted
//! (Art. 18), the retention run, and the erasure log for replaying after a
//! restore. The same operations as `/api/v1/…/personal-data`, `…/erase`
//! and `…/restriction`.

use std::io::BufRead as _;
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::NaiveDate;
use clap::Subcommand;
use samverkan_domain::privacy::{
    ErasureReason, LegalBasis, ProcessingTerms, RetentionPolicy, RetentionVerdict,
};
use samverkan_domain::{RepresentativeId, UserId, time};
use samverkan_report::{Format, Lang};
use samverkan_store::{Actor, Store};
use uuid::Uuid;

/// What exports state and what retention applies: the same settings for
/// `serve` and for `privacy`.
#[derive(Debug, Clone, clap::Args)]
pub struct PrivacyArgs {
    /// Who answers for the processing, as exports name it
    /// ("Högskolan Väst, 461 86 Trollhättan").
    #[arg(long, env = "SAMVERKAN_PRIVACY_CONTROLLER")]
    privacy_controller: Option<String>,
    /// `public_task` (Art. 6(1)(e), public bodies) or `legitimate_interest`
    /// (Art. 6(1)(f)).
    #[arg(long, env = "SAMVERKAN_PRIVACY_LEGAL_BASIS", default_value = "public_task")]
    privacy_legal_basis: String,
    /// Minors are erased this many days after their last meeting.
    #[arg(long, env = "SAMVERKAN_RETENTION_MINOR_DAYS", default_value_t = RetentionPolicy::default().minor_days)]
    retention_minor_days: u32,
    /// Others without activity for this many years are listed for review.
    #[arg(long, env = "SAMVERKAN_RETENTION_REVIEW_YEARS", default_value_t = RetentionPolicy::default().review_years)]
    retention_review_years: u32,
}

impl PrivacyArgs {
    pub fn terms(&self) -> anyhow::Result<ProcessingTerms> {
        let legal_basis = LegalBasis::parse("privacy_legal_basis", &self.privacy_legal_basis)
            .map_err(|error| anyhow::anyhow!("{error}"))?;
        let retention = RetentionPolicy::new(self.retention_minor_days, self.retention_review_years)
            .map_err(|errors| anyhow::anyhow!("retention: {errors}"))?;
        Ok(ProcessingTerms {
            controller: self.privacy_controller.clone().filter(|c| !c.trim().is_empty()),
            legal_basis,
            retention,
        })
    }
}

/// Whose data: a representative or a user account.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct Subject {
    /// The representative's id.
    #[arg(long)]
    representative: Option<Uuid>,
    /// The user account's id.
    #[arg(long)]
    user: Option<Uuid>,
}

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// Everything held about a person (Art. 15), as JSON or an HTML page.
    Export {
        #[command(flatten)]
        subject: Subject,
        /// `json` or `html`.
        #[arg(long, default_value = "json", value_parser = export_format)]
        format: Format,
        /// `sv` or `en`.
        #[arg(long, default_value = "sv", value_parser = crate::report::lang)]
        lang: Lang,
        /// Write here instead of to standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Write a minor's data to a file: refused without it, since a
        /// child's data should not be copied to files unasked.
        #[arg(long)]
        include_minor: bool,
    },
    /// Erase a person (Art. 17): their name becomes "Raderad person N", the
    /// rest of their data goes, everywhere, audit trail included; figures
    /// and reports count as before.
    Erase {
        #[command(flatten)]
        subject: Subject,
        /// Why (kept in the audit trail: name no one).
        #[arg(long)]
        reason: String,
    },
    /// Restrict a representative (Art. 18), or lift it with `--lift`.
    Restrict {
        #[arg(long)]
        representative: Uuid,
        #[arg(long)]
        lift: bool,
    },
    /// Apply the retention policy: erase minors past the limit, list others
    /// for review. `--dry-run` only prints what it would do, and why.
    Retention {
        #[arg(long)]
        dry_run: bool,
        /// Judge as on this Stockholm day instead of today.
        #[arg(long)]
        today: Option<NaiveDate>,
    },
    /// Print the erasure log (`entity<TAB>id<TAB>sequence<TAB>erased at`):
    /// keep a copy outside the backups.
    Erasures,
    /// After restoring a backup, erase again everything a saved erasure
    /// log names (the file `privacy erasures` printed; `-` for standard
    /// input).
    Replay { log: PathBuf },
}

fn export_format(raw: &str) -> Result<Format, String> {
    match Format::parse(raw) {
        Some(format @ (Format::Json | Format::Html)) => Ok(format),
        _ => Err("must be json or html".into()),
    }
}

pub async fn run(store: &Store, terms: &ProcessingTerms, command: PrivacyCommand) -> anyhow::Result<()> {
    let store = store.acting_as(Actor::Process("cli"));
    match command {
        PrivacyCommand::Export {
            subject,
            format,
            lang,
            output,
            include_minor,
        } => {
            let document = match (subject.representative, subject.user) {
                (Some(id), _) => {
                    let data = store
                        .representative_data(RepresentativeId::from(id), terms)
                        .await?;
                    if data.representative.details.is_minor && output.is_some() && !include_minor {
                        anyhow::bail!(
                            "{id} is a minor: their data is written to a file only with --include-minor \
                             (or without --output, to standard output); nothing was written"
                        );
                    }
                    samverkan_report::privacy::representative(&data, lang)
                }
                (None, Some(id)) => {
                    samverkan_report::privacy::user(&store.user_data(UserId::from(id), terms).await?, lang)
                }
                (None, None) => anyhow::bail!("name --representative or --user"),
            };
            let bytes = samverkan_report::render(&document, format)?;
            crate::report::write_whole(&bytes, output.as_deref())?;
        }
        PrivacyCommand::Erase { subject, reason } => {
            let reason = ErasureReason::parse(&reason).map_err(|error| anyhow::anyhow!("{error}"))?;
            let erasure = match (subject.representative, subject.user) {
                (Some(id), _) => store.erase_representative(id.into(), &reason).await?,
                (None, Some(id)) => store.erase_user(id.into(), &reason).await?,
                (None, None) => anyhow::bail!("name --representative or --user"),
            };
            println!("erased {} (placeholder number {})", erasure.id, erasure.sequence);
            for user in &erasure.users_erased {
                if user.as_uuid() != erasure.id {
                    println!("erased the linked user account {user}");
                }
            }
            for mention in &erasure.mentions {
                println!(
                    "still named in the text of {} {}: edit it by hand",
                    mention.entity, mention.id
                );
            }
            if !erasure.storage_cleared {
                eprintln!(
                    "samverkan: the old bytes could not be cleared at once (a long read held the database); \
                     the next checkpoint or vacuum clears them (docs/privacy.md)"
                );
            }
        }
        PrivacyCommand::Restrict { representative, lift } => {
            let person = store.set_restricted(representative.into(), !lift).await?;
            match person.restricted_at {
                Some(at) => println!("{} is restricted since {}", person.id, at.to_rfc3339()),
                None => println!("{} is not restricted", person.id),
            }
        }
        PrivacyCommand::Retention { dry_run, today } => {
            let store = store.acting_as(Actor::Process("retention"));
            let policy = terms.retention;
            let today = today.unwrap_or_else(time::today);
            let run = store.run_retention(&policy, today, dry_run).await?;
            if run.skipped {
                println!("another server is running the retention policy; nothing was done");
                return Ok(());
            }
            for finding in &run.findings {
                let what = match (finding.verdict, dry_run) {
                    (RetentionVerdict::Erase, true) => "would erase",
                    (RetentionVerdict::Erase, false) => "erased",
                    (RetentionVerdict::Review, _) => "review",
                };
                println!("{what}\t{}\t{}", finding.id, finding.reason(&policy));
            }
            let due = run
                .findings
                .iter()
                .filter(|f| f.verdict == RetentionVerdict::Erase)
                .count();
            let review = run.findings.len().saturating_sub(due);
            if dry_run {
                println!("dry run on {today}: {due} to erase, {review} to review; nothing was changed");
            } else {
                println!("{today}: {} erased, {review} to review", run.erased.len());
            }
        }
        PrivacyCommand::Erasures => {
            for entry in store.erasure_log().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    entry.entity,
                    entry.id,
                    entry.sequence,
                    entry.erased_at.to_rfc3339()
                );
            }
        }
        PrivacyCommand::Replay { log } => {
            let entries = read_log(&log)?;
            let done = store.replay_erasures(&entries).await?;
            println!(
                "{} of {} erasures in the log re-applied; the rest were in place or not in this database",
                done.len(),
                entries.len()
            );
        }
    }
    Ok(())
}

/// The `(entity, id)` of each line of a saved erasure log.
fn read_log(path: &std::path::Path) -> anyhow::Result<Vec<(String, Uuid)>> {
    let reader: Box<dyn std::io::BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?,
        ))
    };
    let mut entries = Vec::new();
    for (number, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(entity), Some(id)) = (fields.next(), fields.next()) else {
            anyhow::bail!("line {}: expected `entity<TAB>id…`", number + 1);
        };
        let id = Uuid::parse_str(id.trim()).with_context(|| format!("line {}: not an id", number + 1))?;
        entries.push((entity.trim().to_owned(), id));
    }
    Ok(entries)
}
