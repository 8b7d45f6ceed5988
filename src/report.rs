//! `samverkan report …`: the reports and exports of `samverkan-report`,
//! written to a file or to standard output.

use std::io::{IsTerminal as _, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::NaiveDate;
use clap::Subcommand;
use futures_util::StreamExt as _;
use samverkan_domain::{HealthThresholds, MeetingId, OrganisationId, Period, time};
use samverkan_report::export::ExportFormat;
use samverkan_report::{Format, Lang};
use samverkan_store::{DEFAULT_EXPORT_BATCH, Store};
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The minutes of one meeting: attendees by organisation, agenda with
    /// presenters, outcomes, follow-ups with owners and due dates.
    Minutes {
        /// The meeting's id.
        #[arg(long)]
        meeting: Uuid,
        #[command(flatten)]
        document: DocumentArgs,
    },
    /// The partner brief of one organisation, as of today: who they are,
    /// our partnerships with them, the people who attended most, the last
    /// meetings and their outcomes, the open follow-ups.
    Brief {
        /// The organisation's id.
        #[arg(long)]
        organisation: Uuid,
        #[command(flatten)]
        document: DocumentArgs,
    },
    /// Every attendance of the meetings beginning on the Stockholm days
    /// `--from` to `--to` (inclusive), streamed: one row per attendance.
    Attendances {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        /// `csv` or `ndjson`.
        #[arg(long, default_value = "csv", value_parser = export_format)]
        format: ExportFormat,
        /// Write here instead of to standard output (with a progress bar on
        /// a terminal).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Minors' names too: without it their rows say "Minderårig"
        /// (docs/privacy.md).
        #[arg(long)]
        include_minors: bool,
    },
    /// The engagement report of the Stockholm days `--from` to `--to`:
    /// headline figures with their change, meetings per month, every
    /// partner's engagement, open follow-ups by owner.
    Engagement {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        /// `html` (a page that prints on A4), `csv` (the per-partner
        /// table), `xlsx`, `md`, `json` or `pdf` (A4, tagged).
        #[arg(long, default_value = "html", value_parser = report_format)]
        format: Format,
        /// `sv` or `en`: the language of every label and month name.
        #[arg(long, default_value = "sv", value_parser = lang)]
        lang: Lang,
        /// Write here instead of to standard output (with a progress bar on
        /// a terminal).
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        health: crate::HealthArgs,
    },
}

/// How a document of a few pages (the minutes, the brief) is written.
#[derive(Debug, clap::Args)]
pub struct DocumentArgs {
    /// `html` (a page that prints on A4), `md` or `pdf` (A4, tagged).
    #[arg(long, default_value = "html", value_parser = minutes_format)]
    format: Format,
    /// `sv` or `en`: the language of every label and month name.
    #[arg(long, default_value = "sv", value_parser = lang)]
    lang: Lang,
    /// Write here instead of to standard output.
    #[arg(long)]
    output: Option<PathBuf>,
}

impl DocumentArgs {
    fn write(&self, document: &samverkan_report::Document) -> anyhow::Result<()> {
        let bytes = samverkan_report::render(document, self.format)?;
        write_whole(&bytes, self.output.as_deref())
    }
}

pub(crate) fn lang(raw: &str) -> Result<Lang, String> {
    Lang::parse(raw).ok_or_else(|| "must be sv or en".to_owned())
}

/// The formats of a document of a few pages (the minutes, the brief).
fn minutes_format(raw: &str) -> Result<Format, String> {
    match Format::parse(raw) {
        Some(format @ (Format::Html | Format::Md | Format::Pdf)) => Ok(format),
        _ => Err("must be html, md or pdf".to_owned()),
    }
}

fn report_format(raw: &str) -> Result<Format, String> {
    Format::parse(raw).ok_or_else(|| "must be csv, xlsx, html, md, json or pdf".to_owned())
}

fn export_format(raw: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(raw).ok_or_else(|| "must be csv or ndjson".to_owned())
}

pub async fn run(store: &Store, command: ReportCommand) -> anyhow::Result<()> {
    match command {
        ReportCommand::Minutes { meeting, document } => {
            let (records, names) = store.meeting_with_names(MeetingId::from(meeting)).await?;
            document.write(&samverkan_report::minutes::minutes(
                &records,
                &names,
                document.lang,
            ))
        }
        ReportCommand::Brief {
            organisation,
            document,
        } => {
            let data = store
                .partner_brief(OrganisationId::from(organisation), time::today())
                .await?;
            document.write(&samverkan_report::brief::brief(&data, document.lang))
        }
        ReportCommand::Attendances {
            from,
            to,
            format,
            output,
            include_minors,
        } => {
            anyhow::ensure!(from <= to, "--to must not be before --from");
            export_attendances(store, from, to, format, output.as_deref(), include_minors).await
        }
        ReportCommand::Engagement {
            from,
            to,
            format,
            lang,
            output,
            health,
        } => {
            let period = Period::parse(Some(from), Some(to)).map_err(|errors| anyhow::anyhow!("{errors}"))?;
            let thresholds = health.thresholds()?;
            let bytes =
                engagement_report(store, &period, &thresholds, format, lang, output.is_some()).await?;
            write_whole(&bytes, output.as_deref())
        }
    }
}

/// Reads and writes the engagement report; a file written from a terminal
/// shows the partners read so far (the long part with thousands of them).
async fn engagement_report(
    store: &Store,
    period: &Period,
    thresholds: &HealthThresholds,
    format: Format,
    lang: Lang,
    to_file: bool,
) -> anyhow::Result<Vec<u8>> {
    let shown = to_file && std::io::stderr().is_terminal();
    let bar = crate::progress_bar(shown, "{spinner} {human_pos} partners ({elapsed})");
    let data = store
        .engagement_report(period, time::today(), thresholds, |read| {
            bar.set_position(u64::try_from(read).unwrap_or(u64::MAX));
        })
        .await?;
    let bytes = samverkan_report::render(&samverkan_report::engagement::engagement(&data, lang), format)?;
    bar.finish_and_clear();
    Ok(bytes)
}

/// Writes a whole report to `output` (through a temporary file beside it, so
/// that a failure leaves no half-written file) or to standard output.
pub(crate) fn write_whole(bytes: &[u8], output: Option<&Path>) -> anyhow::Result<()> {
    let mut sink = Sink::open(output)?;
    sink.write_all(bytes)?;
    sink.finish()
}

async fn export_attendances(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    format: ExportFormat,
    output: Option<&Path>,
    include_minors: bool,
) -> anyhow::Result<()> {
    let mut sink = Sink::open(output)?;
    // A file written from a terminal shows its progress; a pipe stays clean.
    let shown = output.is_some() && std::io::stderr().is_terminal();
    let bar = crate::progress_bar(shown, "{spinner} {human_pos} rows ({per_sec}, {elapsed})");
    sink.write_all(&format.header()?)?;
    let mut batches =
        std::pin::pin!(store.attendance_export_with_minors(from, to, DEFAULT_EXPORT_BATCH, include_minors));
    while let Some(batch) = batches.next().await {
        let batch = batch?;
        sink.write_all(&format.rows(&batch)?)?;
        bar.inc(u64::try_from(batch.len()).unwrap_or(u64::MAX));
    }
    bar.finish_and_clear();
    sink.finish()
}

/// Where a report goes: standard output, or a file written under a
/// temporary name and renamed into place when complete.
enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    File {
        writer: std::io::BufWriter<std::fs::File>,
        partial: PathBuf,
        path: PathBuf,
        renamed: bool,
    },
}

impl Sink {
    fn open(output: Option<&Path>) -> anyhow::Result<Self> {
        let Some(path) = output else {
            return Ok(Self::Stdout(std::io::BufWriter::new(std::io::stdout())));
        };
        let mut partial = path.as_os_str().to_owned();
        partial.push(".part");
        let partial = PathBuf::from(partial);
        let file =
            std::fs::File::create(&partial).with_context(|| format!("cannot write {}", partial.display()))?;
        Ok(Self::File {
            writer: std::io::BufWriter::new(file),
            partial,
            path: path.to_owned(),
            renamed: false,
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Self::Stdout(writer) => writer.write_all(bytes)?,
            Self::File { writer, partial, .. } => writer
                .write_all(bytes)
                .with_context(|| format!("cannot write {}", partial.display()))?,
        }
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<()> {
        match &mut self {
            Self::Stdout(writer) => writer.flush()?,
            Self::File {
                writer,
                partial,
                path,
                renamed,
            } => {
                writer
                    .flush()
                    .and_then(|()| writer.get_ref().sync_all())
                    .with_context(|| format!("cannot write {}", partial.display()))?;
                std::fs::rename(&*partial, &*path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                *renamed = true;
            }
        }
        Ok(())
    }
}

impl Drop for Sink {
    /// A sink dropped before `finish` (an error on the way) removes its
    /// partial file.
    fn drop(&mut self) {
        if let Self::File {
            partial,
            renamed: false,
            ..
        } = self
        {
            let _ = std::fs::remove_file(partial);
        }
    }
}
