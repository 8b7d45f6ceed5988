//! `/api/v1/reports`: documents for people (the minutes of a meeting, the
//! engagement report, an organisation's partner brief) and exports for
//! programs (every attendance in a period, streamed).
//!
//! Reports are built by `samverkan-report` as a document and written in the
//! format asked for; this module only parses the request, reads the store
//! and sets the headers. A new report is a handler that reads the store,
//! builds and writes its `Document` with [`render_off_workers`] and answers
//! a [`File`] whose [`FileKind`] lists the formats it offers.

use std::marker::PhantomData;

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use poem::http::header;
use poem::{Body, IntoResponse, Response};
use poem_openapi::param::{Path, Query};
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use poem_openapi::types::Type;
use poem_openapi::{ApiResponse, Enum, OpenApi};
use samverkan_domain::{HealthThresholds, MeetingId, OrganisationId, Period, time};
use samverkan_report::export::{ExportFormat, ExportStart};
use samverkan_report::{Document, Format, Lang};
use samverkan_store::{DEFAULT_EXPORT_BATCH, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::common::date_param;
use crate::problem::ApiError;

/// The language of a report's labels, headings and month names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Enum)]
#[oai(rename_all = "lowercase")]
pub enum ReportLang {
    /// Swedish (the default: leadership reads Swedish).
    #[default]
    Sv,
    /// English.
    En,
}

impl From<ReportLang> for Lang {
    fn from(lang: ReportLang) -> Self {
        match lang {
            ReportLang::Sv => Self::Sv,
            ReportLang::En => Self::En,
        }
    }
}

/// The formats of a meeting's minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Enum)]
#[oai(rename_all = "lowercase")]
pub enum MinutesFormat {
    /// One self-contained page that prints on A4.
    #[default]
    Html,
    /// GitHub-flavoured Markdown.
    Md,
    /// A4 PDF, tagged (PDF/UA-1), with its font embedded.
    Pdf,
}

impl From<MinutesFormat> for Format {
    fn from(format: MinutesFormat) -> Self {
        match format {
            MinutesFormat::Html => Self::Html,
            MinutesFormat::Md => Self::Md,
            MinutesFormat::Pdf => Self::Pdf,
        }
    }
}

/// The formats of a partner brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Enum)]
#[oai(rename_all = "lowercase")]
pub enum BriefFormat {
    /// One self-contained page that prints on A4.
    #[default]
    Html,
    /// GitHub-flavoured Markdown.
    Md,
    /// A4 PDF, tagged (PDF/UA-1), with its font embedded.
    Pdf,
}

impl From<BriefFormat> for Format {
    fn from(format: BriefFormat) -> Self {
        match format {
            BriefFormat::Html => Self::Html,
            BriefFormat::Md => Self::Md,
            BriefFormat::Pdf => Self::Pdf,
        }
    }
}

/// The formats of the attendance export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Enum)]
#[oai(rename_all = "lowercase")]
pub enum AttendanceFormat {
    /// RFC 4180, UTF-8 with a byte order mark, a header line.
    #[default]
    Csv,
    /// One JSON object per line.
    Ndjson,
}

impl From<AttendanceFormat> for ExportFormat {
    fn from(format: AttendanceFormat) -> Self {
        match format {
            AttendanceFormat::Csv => Self::Csv,
            AttendanceFormat::Ndjson => Self::Ndjson,
        }
    }
}

/// What a file answer may hold: its description and content types (in the
/// OpenAPI document, all under one 200 response).
pub trait FileKind: Send {
    const DESCRIPTION: &'static str;
    const CONTENT_TYPES: &'static [&'static str];
}

/// The minutes of a meeting.
#[derive(Debug)]
pub struct MinutesKind;

impl FileKind for MinutesKind {
    const DESCRIPTION: &'static str = "The minutes, as an HTML page, Markdown or PDF.";
    const CONTENT_TYPES: &'static [&'static str] = &[
        Format::Html.content_type(),
        Format::Md.content_type(),
        Format::Pdf.content_type(),
    ];
}

/// An organisation's partner brief.
#[derive(Debug)]
pub struct BriefKind;

impl FileKind for BriefKind {
    const DESCRIPTION: &'static str = "The partner brief, as an HTML page, Markdown or PDF.";
    const CONTENT_TYPES: &'static [&'static str] = MinutesKind::CONTENT_TYPES;
}

/// The formats of the engagement report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Enum)]
#[oai(rename_all = "lowercase")]
pub enum EngagementFormat {
    /// One self-contained page with inline SVG charts that prints on A4.
    #[default]
    Html,
    /// The per-partner table, RFC 4180, UTF-8 with a byte order mark.
    Csv,
    /// A workbook: summary, partners, open follow-ups, a sheet per partner.
    Xlsx,
    /// GitHub-flavoured Markdown.
    Md,
    /// The report's document model.
    Json,
    /// A4 PDF (the partner table on landscape pages), tagged (PDF/UA-1),
    /// with its font embedded.
    Pdf,
}

impl From<EngagementFormat> for Format {
    fn from(format: EngagementFormat) -> Self {
        match format {
            EngagementFormat::Html => Self::Html,
            EngagementFormat::Csv => Self::Csv,
            EngagementFormat::Xlsx => Self::Xlsx,
            EngagementFormat::Md => Self::Md,
            EngagementFormat::Json => Self::Json,
            EngagementFormat::Pdf => Self::Pdf,
        }
    }
}

/// The engagement report.
#[derive(Debug)]
pub struct EngagementKind;

impl FileKind for EngagementKind {
    const DESCRIPTION: &'static str = "The engagement report in the format asked for.";
    const CONTENT_TYPES: &'static [&'static str] = &[
        Format::Csv.content_type(),
        Format::Xlsx.content_type(),
        Format::Html.content_type(),
        Format::Md.content_type(),
        Format::Json.content_type(),
        Format::Pdf.content_type(),
    ];
}

/// The attendance export.
#[derive(Debug)]
pub struct AttendancesKind;

impl FileKind for AttendancesKind {
    const DESCRIPTION: &'static str = "Every attendance, one per line, streamed.";
    const CONTENT_TYPES: &'static [&'static str] = &[
        ExportFormat::Csv.content_type(),
        ExportFormat::Ndjson.content_type(),
    ];
}

/// A file: 200 with one of `K`'s content types and a `Content-Disposition`
/// naming it. poem-openapi documents one content type per response enum
/// variant and keeps only the last of several variants with one status, so
/// this answer describes itself.
#[derive(Debug)]
pub struct File<K> {
    content_type: &'static str,
    disposition: String,
    /// An HTML report's Content-Security-Policy, which allows its stylesheet.
    policy: Option<String>,
    body: Body,
    kind: PhantomData<K>,
}

impl<K: FileKind> File<K> {
    /// A file named `stem`.`extension`; stems are ASCII (dates, fixed
    /// words), so the name needs no encoding. HTML opens in place
    /// (`inline`), everything else downloads.
    pub fn new(content_type: &'static str, stem: &str, extension: &str, body: impl Into<Body>) -> Self {
        let disposition = if extension == "html" {
            "inline"
        } else {
            "attachment"
        };
        Self {
            content_type,
            disposition: format!("{disposition}; filename=\"{stem}.{extension}\""),
            policy: None,
            body: body.into(),
            kind: PhantomData,
        }
    }
}

impl<K: FileKind> File<K> {
    /// A document rendered as `format`: an HTML one with the policy that
    /// lets its own stylesheet apply.
    pub fn document(format: Format, stem: &str, bytes: Vec<u8>) -> Self {
        let policy =
            (format == Format::Html).then(|| samverkan_report::html::content_security_policy(&bytes));
        let mut file = Self::new(format.content_type(), stem, format.as_str(), bytes);
        file.policy = policy;
        file
    }
}

impl<K: FileKind> IntoResponse for File<K> {
    fn into_response(self) -> Response {
        let builder = Response::builder()
            .content_type(self.content_type)
            .header(header::CONTENT_DISPOSITION, self.disposition);
        // An HTML report shows with its own stylesheet, which the API's
        // `default-src 'none'` would block.
        let builder = match self.policy {
            Some(policy) => builder.header(header::CONTENT_SECURITY_POLICY, policy),
            None => builder,
        };
        builder.body(self.body)
    }
}

impl<K: FileKind> ApiResponse for File<K> {
    fn meta() -> MetaResponses {
        let binary = || {
            MetaSchemaRef::Inline(Box::new(MetaSchema {
                format: Some("binary"),
                ..MetaSchema::new("string")
            }))
        };
        MetaResponses {
            responses: vec![MetaResponse {
                description: K::DESCRIPTION,
                status: Some(200),
                status_range: None,
                content: K::CONTENT_TYPES
                    .iter()
                    .map(|content_type| MetaMediaType {
                        content_type,
                        // A JSON file is a document (the report's document
                        // model), not bytes: a client parses it.
                        schema: if content_type.starts_with("application/json") {
                            MetaSchemaRef::Inline(Box::new(MetaSchema::new("object")))
                        } else {
                            binary()
                        },
                    })
                    .collect(),
                headers: vec![MetaHeader {
                    name: "Content-Disposition".into(),
                    description: Some("The file's name.".into()),
                    required: true,
                    deprecated: false,
                    schema: String::schema_ref(),
                }],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

fn report_failed(error: &samverkan_report::ReportError) -> ApiError {
    tracing::error!(%error, "writing a report failed");
    ApiError::internal()
}

/// Builds a report and writes it in `format` on a blocking thread: the
/// workbook or page of thousands of partners is seconds of CPU, which on an
/// async worker would hold up every other request on it. (A request that
/// times out meanwhile is answered; the thread finishes its work unread.)
pub(crate) async fn render_off_workers(
    build: impl FnOnce() -> Document + Send + 'static,
    format: Format,
) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(move || samverkan_report::render(&build(), format))
        .await
        .map_err(|error| {
            tracing::error!(%error, "writing a report failed");
            ApiError::internal()
        })?
        .map_err(|e| report_failed(&e))
}

pub struct ReportsApi {
    pub store: Store,
    /// When an organisation counts as new, active, cooling or dormant.
    pub thresholds: HealthThresholds,
}

#[OpenApi(prefix_path = "/api/v1/reports", tag = "ApiTags::Reports")]
impl ReportsApi {
    /// The minutes of a meeting
    ///
    /// Attendees grouped by organisation (attended; invited or confirmed
    /// without recorded attendance; absent), the agenda in order with its
    /// presenters, the outcomes with the agenda item each came from, and the
    /// follow-ups with owners and due dates. As an HTML page (printable on
    /// A4) or Markdown, with every label in Swedish (default) or English.
    #[oai(path = "/meetings/:id", method = "get", operation_id = "meeting_minutes")]
    async fn minutes(
        &self,
        _auth: auth::ReadReports,
        id: Path<Uuid>,
        /// `html` (default), `md` or `pdf`.
        format: Query<Option<MinutesFormat>>,
        /// `sv` (default) or `en`.
        lang: Query<Option<ReportLang>>,
    ) -> Result<File<MinutesKind>, ApiError> {
        let lang = Lang::from(lang.0.unwrap_or_default());
        let (records, names) = self.store.meeting_with_names(MeetingId::from(id.0)).await?;
        let stem = samverkan_report::minutes::file_stem(&records, lang);
        let format = Format::from(format.0.unwrap_or_default());
        let bytes = render_off_workers(
            move || samverkan_report::minutes::minutes(&records, &names, lang),
            format,
        )
        .await?;
        Ok(File::document(format, &stem, bytes))
    }

    /// An organisation's partner brief
    ///
    /// What to read before meeting a partner: the organisation (kind,
    /// city, website, description), its partnerships with the other
    /// party's name, kind, status and goals, the five of its people who
    /// attended most for it, its last five meetings with their outcomes,
    /// and its unfinished follow-ups (owner, due date, overdue ones marked
    /// in words), as of today. The same read as the web page
    /// `/organisations/{id}/brief`, under the same permission (reading
    /// records: it names people). As an HTML page (printable on A4),
    /// Markdown or PDF, with every label in Swedish (default) or English.
    #[oai(
        path = "/organisations/:id/brief",
        method = "get",
        operation_id = "partner_brief"
    )]
    async fn brief(
        &self,
        _auth: auth::ReadRecords,
        id: Path<Uuid>,
        /// `html` (default), `md` or `pdf`.
        format: Query<Option<BriefFormat>>,
        /// `sv` (default) or `en`.
        lang: Query<Option<ReportLang>>,
    ) -> Result<File<BriefKind>, ApiError> {
        let lang = Lang::from(lang.0.unwrap_or_default());
        let format = Format::from(format.0.unwrap_or_default());
        let data = self
            .store
            .partner_brief(OrganisationId::from(id.0), time::today())
            .await?;
        let stem = samverkan_report::brief::file_stem(&data, lang);
        let bytes = render_off_workers(move || samverkan_report::brief::brief(&data, lang), format).await?;
        Ok(File::document(format, &stem, bytes))
    }

    /// The engagement report of a period
    ///
    /// For leadership: meetings, partner days, organisations and
    /// representatives engaged and follow-up completion, each with its
    /// change against the previous period of equal length; meetings per
    /// month; every live organisation's engagement, most engaged first
    /// (the table a CSV holds), with a chart of the 15 most engaged; and
    /// open follow-ups by owner as they stand on the as-of day (`to`, or
    /// today if earlier). The workbook adds a sheet for each of the 50 most
    /// engaged partners. Every label, heading and month name in Swedish
    /// (default) or English.
    #[oai(path = "/engagement", method = "get", operation_id = "engagement_report")]
    async fn engagement(
        &self,
        _auth: auth::ReadReports,
        /// The first Stockholm day.
        from: Query<Option<NaiveDate>>,
        /// The last Stockholm day (included).
        to: Query<Option<NaiveDate>>,
        /// `html` (default), `csv`, `xlsx`, `md`, `json` or `pdf`.
        format: Query<Option<EngagementFormat>>,
        /// `sv` (default) or `en`.
        lang: Query<Option<ReportLang>>,
    ) -> Result<File<EngagementKind>, ApiError> {
        let period = Period::parse(from.0, to.0).map_err(ApiError::bad_parameters)?;
        let lang = Lang::from(lang.0.unwrap_or_default());
        let format = Format::from(format.0.unwrap_or_default());
        let data = self
            .store
            .engagement_report(&period, time::today(), &self.thresholds, |_| ())
            .await?;
        let bytes = render_off_workers(
            move || samverkan_report::engagement::engagement(&data, lang),
            format,
        )
        .await?;
        let stem = samverkan_report::engagement::file_stem(period.from(), period.to(), lang);
        Ok(File::document(format, &stem, bytes))
    }

    /// Export every attendance in a period
    ///
    /// One row per attendance of the meetings that begin on the
    /// Europe/Stockholm days `from` to `to` (both included), archived and
    /// cancelled meetings too: meeting id, date, start, title, kind and
    /// status; the organisation attended for; the person (empty for an
    /// organisation whose people were not named); role and status. Ordered
    /// by meeting start, meeting and attendance. The body is streamed as
    /// it is read, in batches, so an export of any size uses little memory
    /// on the server. Column names and values are machine spellings.
    #[oai(path = "/attendances", method = "get", operation_id = "export_attendances")]
    async fn attendances(
        &self,
        _auth: auth::ReadReports,
        /// The first Stockholm day.
        from: Query<NaiveDate>,
        /// The last Stockholm day (included).
        to: Query<NaiveDate>,
        /// `csv` (default) or `ndjson`.
        format: Query<Option<AttendanceFormat>>,
        /// Minors' names too: without it their rows say "Minderårig"
        /// (docs/privacy.md).
        include_minors: Query<Option<bool>>,
    ) -> Result<File<AttendancesKind>, ApiError> {
        date_param("from", Some(from.0))?;
        date_param("to", Some(to.0))?;
        if to.0 < from.0 {
            return Err(ApiError::bad_request("to", "must not be before from"));
        }
        let format = ExportFormat::from(format.0.unwrap_or_default());
        let batches = Box::pin(self.store.attendance_export_with_minors(
            from.0,
            to.0,
            DEFAULT_EXPORT_BATCH,
            include_minors.0.unwrap_or(false),
        ));
        let chunks = samverkan_report::export::stream(format, batches)
            .await
            .map_err(|error| match error {
                ExportStart::Read(error) => ApiError::from(error),
                ExportStart::Write(error) => report_failed(&error),
            })?
            .inspect_err(|error| tracing::error!(%error, "the attendance export failed while streaming"));
        let body = Body::from_bytes_stream(chunks);
        let stem = format!("attendances-{}-{}", from.0, to.0);
        Ok(File::new(format.content_type(), &stem, format.as_str(), body))
    }
}
