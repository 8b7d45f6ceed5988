//! The attendance export: one line per attendance, as CSV or NDJSON,
//! written batch by batch so that an export of any size streams through
//! bounded memory. Column names and values are machine spellings in every
//! language (`attended`, not "Närvarade"): the export is for programs and
//! spreadsheets that filter, not for reading aloud. Both formats share the
//! columns of [`AttendanceLine`], in its order.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use samverkan_domain::AttendanceExportRow;
use serde::Serialize;
use uuid::Uuid;

use crate::ReportError;

/// Why an export could not start: its first batch could not be read, or
/// not written.
#[derive(Debug)]
pub enum ExportStart<E> {
    Read(E),
    Write(ReportError),
}

/// The whole body of an export in `format` from its `batches`, as a stream
/// of chunks. The first batch is read before this returns, so that a
/// database that cannot be reached is an error the caller can answer with a
/// status, not a cut-off 200. A batch that fails later ends the stream with
/// an error, so the client sees a broken transfer, not a short file.
pub async fn stream<S, E>(
    format: ExportFormat,
    mut batches: S,
) -> Result<impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static, ExportStart<E>>
where
    S: futures_util::Stream<Item = Result<Vec<AttendanceExportRow>, E>> + Send + Unpin + 'static,
    E: std::error::Error + Send + Sync + 'static,
{
    use futures_util::{StreamExt as _, TryStreamExt as _};
    let first = batches
        .next()
        .await
        .transpose()
        .map_err(ExportStart::Read)?
        .unwrap_or_default();
    let mut head = format.header().map_err(ExportStart::Write)?;
    head.extend(format.rows(&first).map_err(ExportStart::Write)?);
    drop(first);
    let rest = batches
        .map_err(std::io::Error::other)
        .and_then(move |batch| async move { format.rows(&batch).map_err(std::io::Error::other) });
    Ok(futures_util::stream::once(async move { Ok(head) }).chain(rest))
}

/// The formats of the attendance export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// RFC 4180 with a header line and a byte order mark (see [`crate::csv`]).
    Csv,
    /// One JSON object per line.
    Ndjson,
}

impl ExportFormat {
    pub const ALL: [Self; 2] = [Self::Csv, Self::Ndjson];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.as_str() == raw.trim())
    }

    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Ndjson => "application/x-ndjson",
        }
    }

    /// What the export begins with: for CSV the byte order mark and the
    /// header line; nothing for NDJSON.
    pub fn header(self) -> Result<Vec<u8>, ReportError> {
        match self {
            Self::Csv => {
                let mut out = crate::csv::BOM.to_vec();
                let mut csv = crate::csv::writer(&mut out);
                csv.write_record(COLUMNS)?;
                csv.flush()?;
                drop(csv);
                Ok(out)
            }
            Self::Ndjson => Ok(Vec::new()),
        }
    }

    /// A batch of rows, written.
    pub fn rows(self, rows: &[AttendanceExportRow]) -> Result<Vec<u8>, ReportError> {
        // About 250 bytes a line: one allocation for most batches.
        let mut out = Vec::with_capacity(rows.len() * 256);
        match self {
            Self::Csv => {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(false)
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(&mut out);
                for row in rows {
                    csv.serialize(AttendanceLine::from(row).for_spreadsheets())?;
                }
                csv.flush()?;
            }
            Self::Ndjson => {
                for row in rows {
                    serde_json::to_writer(&mut out, &AttendanceLine::from(row))?;
                    out.push(b'\n');
                }
            }
        }
        Ok(out)
    }
}

/// The export's columns, in order (the CSV header; the NDJSON keys).
pub const COLUMNS: [&str; 13] = [
    "attendance_id",
    "meeting_id",
    "meeting_date",
    "meeting_starts_at",
    "meeting_title",
    "meeting_kind",
    "meeting_status",
    "organisation_id",
    "organisation_name",
    "representative_id",
    "representative_name",
    "role",
    "status",
];

/// One line of the export. Field order is column order.
#[derive(Debug, Serialize)]
pub struct AttendanceLine<'a> {
    pub attendance_id: Uuid,
    pub meeting_id: Uuid,
    /// The Stockholm date the meeting began on.
    pub meeting_date: NaiveDate,
    pub meeting_starts_at: DateTime<Utc>,
    pub meeting_title: Cow<'a, str>,
    pub meeting_kind: &'static str,
    pub meeting_status: &'static str,
    pub organisation_id: Uuid,
    pub organisation_name: Cow<'a, str>,
    /// Empty (CSV) or null (NDJSON) for an organisation whose people were
    /// not named.
    pub representative_id: Option<Uuid>,
    pub representative_name: Option<Cow<'a, str>>,
    pub role: &'static str,
    pub status: &'static str,
}

impl<'a> From<&'a AttendanceExportRow> for AttendanceLine<'a> {
    fn from(row: &'a AttendanceExportRow) -> Self {
        Self {
            attendance_id: row.attendance_id.as_uuid(),
            meeting_id: row.meeting_id.as_uuid(),
            meeting_date: row.meeting_date(),
            meeting_starts_at: row.meeting_starts_at,
            meeting_title: Cow::Borrowed(&row.meeting_title),
            meeting_kind: row.meeting_kind.as_str(),
            meeting_status: row.meeting_status.as_str(),
            organisation_id: row.organisation_id.as_uuid(),
            organisation_name: Cow::Borrowed(&row.organisation_name),
            representative_id: row.representative_id.map(|id| id.as_uuid()),
            representative_name: row.representative_name.as_deref().map(Cow::Borrowed),
            role: row.role.as_str(),
            status: row.status.as_str(),
        }
    }
}

impl AttendanceLine<'_> {
    /// The line with its texts made inert for a spreadsheet
    /// ([`crate::csv::text_field`]); NDJSON, read by programs, keeps them
    /// as they are.
    #[must_use]
    pub fn for_spreadsheets(self) -> Self {
        fn inert(text: Cow<'_, str>) -> Cow<'_, str> {
            if let Cow::Owned(prefixed) = crate::csv::text_field(&text) {
                Cow::Owned(prefixed)
            } else {
                text
            }
        }
        Self {
            meeting_title: inert(self.meeting_title),
            organisation_name: inert(self.organisation_name),
            representative_name: self.representative_name.map(inert),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use samverkan_domain::{
        AttendanceId, AttendanceRole, AttendanceStatus, MeetingId, MeetingKind, MeetingStatus,
        OrganisationId, RepresentativeId,
    };

    use super::*;

    fn rows() -> Vec<AttendanceExportRow> {
        let meeting = MeetingId::new();
        // 23:30 UTC on 31 December is 1 January in Stockholm.
        let starts_at = "2024-12-31T23:30:00Z".parse().unwrap();
        let row = |name: Option<&str>, status| AttendanceExportRow {
            attendance_id: AttendanceId::new(),
            meeting_id: meeting,
            meeting_starts_at: starts_at,
            meeting_title: "Nyårsmöte, \"Tillsammanskraft\"".into(),
            meeting_kind: MeetingKind::PartnerDay,
            meeting_status: MeetingStatus::Held,
            organisation_id: OrganisationId::new(),
            organisation_name: "Högskolan Väst".into(),
            representative_id: name.map(|_| RepresentativeId::new()),
            representative_name: name.map(Into::into),
            role: AttendanceRole::Participant,
            status,
        };
        vec![
            row(Some("Lena Lindhé"), AttendanceStatus::Attended),
            row(None, AttendanceStatus::Invited),
        ]
    }

    #[test]
    fn csv_batches_join_into_one_parsable_file() {
        let rows = rows();
        let format = ExportFormat::Csv;
        let mut bytes = format.header().unwrap();
        bytes.extend(format.rows(&rows[..1]).unwrap());
        bytes.extend(format.rows(&rows[1..]).unwrap());
        assert!(bytes.starts_with(crate::csv::BOM));
        let mut reader = ::csv::Reader::from_reader(&bytes[crate::csv::BOM.len()..]);
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), COLUMNS);
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(&records[0][0], rows[0].attendance_id.to_string());
        assert_eq!(&records[0][2], "2025-01-01", "the Stockholm date");
        assert_eq!(&records[0][3], "2024-12-31T23:30:00Z");
        assert_eq!(&records[0][4], "Nyårsmöte, \"Tillsammanskraft\"");
        assert_eq!(&records[0][10], "Lena Lindhé");
        assert_eq!(&records[1][9], "", "no person named");
        assert_eq!(&records[1][12], "invited");
    }

    /// Rows whose texts a spreadsheet would run as formulas.
    fn formula_rows() -> Vec<AttendanceExportRow> {
        let mut rows = rows();
        rows[0].meeting_title = "@SUM(1+1)".into();
        rows[0].organisation_name = "=HYPERLINK(\"http://evil.example/\")".into();
        rows[0].representative_name = Some("=1+2".into());
        rows[1].organisation_name = "-Trollhättans stad".into();
        rows
    }

    #[test]
    fn csv_cells_that_begin_like_a_formula_are_prefixed() {
        let rows = formula_rows();
        let bytes = ExportFormat::Csv.rows(&rows).unwrap();
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes.as_slice());
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&records[0][4], "'@SUM(1+1)");
        assert_eq!(&records[0][8], "'=HYPERLINK(\"http://evil.example/\")");
        assert_eq!(&records[0][10], "'=1+2");
        assert_eq!(&records[1][8], "'-Trollhättans stad");
        assert_eq!(&records[1][10], "", "no person named");
    }

    #[test]
    fn ndjson_keeps_texts_as_they_are() {
        let rows = formula_rows();
        let bytes = ExportFormat::Ndjson.rows(&rows).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(
            lines[0]["organisation_name"],
            "=HYPERLINK(\"http://evil.example/\")"
        );
        assert_eq!(lines[0]["representative_name"], "=1+2");
    }

    #[test]
    fn ndjson_lines_hold_the_same_columns() {
        let rows = rows();
        let bytes = ExportFormat::Ndjson.rows(&rows).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        let keys: Vec<&str> = lines[0].as_object().unwrap().keys().map(String::as_str).collect();
        let mut columns = COLUMNS.to_vec();
        columns.sort_unstable();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, columns);
        assert_eq!(lines[0]["meeting_date"], "2025-01-01");
        assert_eq!(lines[1]["representative_id"], serde_json::Value::Null);
        assert_eq!(lines[0]["organisation_name"], "Högskolan Väst");
        assert!(ExportFormat::Ndjson.header().unwrap().is_empty());
    }
}
