//! CSV (RFC 4180): comma-separated, CRLF line ends, fields quoted when they
//! hold a comma, quote or line break; UTF-8 with a byte order mark, which is
//! what makes Excel read å, ä and ö as letters rather than as two
//! characters each.
//!
//! A CSV file holds one table, so a report becomes its primary table (see
//! [`Document::primary_table`]): the per-partner table of the engagement
//! report, for instance. Headings are in the report's language; values are
//! machine-readable in every language — numbers with a decimal point and no
//! grouping, percentages as shares (0.25), dates as `YYYY-MM-DD`, instants
//! as RFC 3339 in Stockholm time — so that a program parses back exactly the
//! figures the other formats show.
//!
//! A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (or a tab
//! or carriage return before one) as a formula, so a partner named
//! `=HYPERLINK("http://…")` would become a link, or worse, in whoever opens
//! the file. Every text cell of every CSV goes through [`text_field`], which
//! prefixes such a text with `'` as OWASP's guidance on CSV injection says;
//! numbers are written from their values and never prefixed, so a change of
//! -3 stays a number.

use std::borrow::Cow;

use samverkan_domain::time;

use crate::ReportError;
use crate::model::{Document, Table, Value};

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer with this module's dialect, writing into `out`.
pub fn writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// The report's primary table as CSV (only the byte order mark when the
/// report holds no table).
pub fn render(document: &Document) -> Result<Vec<u8>, ReportError> {
    let mut out = BOM.to_vec();
    if let Some(table) = document.primary_table() {
        let mut csv = writer(&mut out);
        write_table(&mut csv, table)?;
        csv.flush()?;
    }
    Ok(out)
}

fn write_table<W: std::io::Write>(csv: &mut csv::Writer<W>, table: &Table) -> Result<(), ReportError> {
    csv.write_record(table.columns.iter().map(|column| text_field(column).into_owned()))?;
    for row in &table.rows {
        csv.write_record(row.iter().map(field))?;
    }
    Ok(())
}

/// A text as a CSV field: prefixed with `'` when a spreadsheet would take
/// it for a formula (see the module documentation).
pub fn text_field(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A value as a CSV field.
pub fn field(value: &Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(text) => text_field(text).into_owned(),
        Value::Integer(number) => number.to_string(),
        Value::Decimal { number, places } => {
            let places = usize::from(*places);
            format!("{number:.places$}")
        }
        Value::Percent(share) => share.to_string(),
        Value::Date(date) => date.format("%Y-%m-%d").to_string(),
        Value::Instant(instant) => instant.with_timezone(&time::ZONE).to_rfc3339(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::sample;

    #[test]
    fn the_csv_parses_back_to_the_same_cells() {
        let document = sample();
        let bytes = render(&document).unwrap();
        assert!(bytes.starts_with(BOM), "Excel needs the BOM to read UTF-8");
        let text = std::str::from_utf8(&bytes[BOM.len()..]).unwrap();
        assert!(text.contains("\r\n"), "RFC 4180 lines end in CRLF");

        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        let table = document.primary_table().unwrap();
        assert_eq!(headers, table.columns);
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), table.rows.len());
        // Names with å ä ö, a comma, quotes and a line break survive.
        assert_eq!(&records[0][0], "Högskolan Väst");
        assert_eq!(&records[2][0], "Företag \"Ö, Å\" AB\nandra raden");
        // The figures parse back to the numbers in the table.
        for (record, row) in records.iter().zip(&table.rows) {
            assert_eq!(
                record[1].parse::<i64>().unwrap(),
                match row[1] {
                    Value::Integer(n) => n,
                    _ => unreachable!(),
                }
            );
            if let Value::Percent(share) = row[2] {
                assert!((record[2].parse::<f64>().unwrap() - share).abs() < 1e-12);
            }
        }
        assert_eq!(&records[0][3], "2024-04-26");
        assert_eq!(&records[0][4], "2024-04-26T09:30:00+02:00");
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_prefixed_and_numbers_are_not() {
        let mut document = sample();
        let texts = [
            "=HYPERLINK(\"http://evil.example/\")",
            "=1+2",
            "+46 70 123 45 67",
            "-3",
            "@SUM(A1)",
            "\tindraget",
            "\rrad",
        ];
        let table = document
            .sections
            .iter_mut()
            .flat_map(|section| &mut section.blocks)
            .find_map(|block| match block {
                crate::model::Block::Table(table) if table.primary => Some(table),
                _ => None,
            })
            .unwrap();
        let template = table.rows[0].clone();
        table.rows = texts
            .iter()
            .map(|text| {
                let mut row = template.clone();
                row[0] = Value::text(*text);
                row[1] = Value::Integer(-3);
                row[2] = Value::Percent(-0.25);
                row
            })
            .collect();
        let mut last = template;
        last[0] = Value::text("Högskolan Väst - Trollhättan");
        last[1] = Value::Decimal {
            number: -1.5,
            places: 1,
        };
        table.rows.push(last);
        let bytes = render(&document).unwrap();
        let mut reader = ::csv::Reader::from_reader(&bytes[BOM.len()..]);
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        for (record, text) in records.iter().zip(texts) {
            assert_eq!(record[0], format!("'{text}"), "a text cell");
            assert_eq!(&record[1], "-3", "a number stays a number");
            assert_eq!(&record[2], "-0.25");
        }
        let last = &records[texts.len()];
        assert_eq!(
            &last[0], "Högskolan Väst - Trollhättan",
            "only a leading character counts"
        );
        assert_eq!(&last[1], "-1.5");
    }

    #[test]
    fn the_primary_table_is_the_one_marked() {
        let document = sample();
        let primary = document.primary_table().unwrap();
        assert!(primary.primary);
        let mut unmarked = document.clone();
        for section in &mut unmarked.sections {
            for block in &mut section.blocks {
                if let crate::model::Block::Table(table) = block {
                    table.primary = false;
                }
            }
        }
        let first = unmarked.primary_table().unwrap();
        assert_eq!(first.caption.as_deref(), Some("Första tabellen"));
    }
}
