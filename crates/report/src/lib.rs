//! Samverkan's reports: a small document model ([`model`]) and one renderer
//! per format — CSV, XLSX, HTML, Markdown, JSON, PDF — plus the reports built
//! from it ([`minutes`], [`engagement`], [`brief`]) and the streaming attendance export ([`export`]).
//!
//! A report is built once, as a [`Document`] in one [`Lang`], and written in
//! any [`Format`]. The crate depends on the domain only: no SQL, HTTP or
//! async; the store gathers the data and the API or CLI writes the bytes.

pub mod brief;
pub mod csv;
pub mod display;
pub mod engagement;
pub mod export;
pub mod html;
pub mod labels;
pub mod md;
pub mod minutes;
pub mod model;
pub mod pdf;
pub mod privacy;
pub mod svg;
pub mod xlsx;

pub use labels::{Label, Lang, Translated};
pub use model::{
    Block, Change, Chart, ChartKind, Direction, Document, Figure, Section, Series, Table, Value,
};

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("writing CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("drawing a chart: {0}")]
    Chart(String),
    #[error("writing PDF: {0}")]
    Pdf(String),
}

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Html,
    Md,
    Json,
    Pdf,
}

impl Format {
    pub const ALL: [Self; 6] = [Self::Csv, Self::Xlsx, Self::Html, Self::Md, Self::Json, Self::Pdf];

    /// The spelling in `format=` and the file extension.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Html => "html",
            Self::Md => "md",
            Self::Json => "json",
            Self::Pdf => "pdf",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.as_str() == raw.trim())
    }

    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Html => "text/html; charset=utf-8",
            Self::Md => "text/markdown; charset=utf-8",
            Self::Json => "application/json",
            Self::Pdf => "application/pdf",
        }
    }
}

/// Writes a report in a format.
pub fn render(document: &Document, format: Format) -> Result<Vec<u8>, ReportError> {
    match format {
        Format::Csv => csv::render(document),
        Format::Xlsx => xlsx::render(document),
        Format::Html => html::render(document),
        Format::Md => Ok(md::render(document)),
        Format::Json => json(document),
        Format::Pdf => pdf::render(document),
    }
}

/// JSON: the document model itself, with stable snake_case field names;
/// every value carries its type (`{"type": "date", "value": "2024-04-26"}`).
pub fn json(document: &Document) -> Result<Vec<u8>, ReportError> {
    Ok(serde_json::to_vec_pretty(document)?)
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;

    /// A report with every kind of block and value, and names that test
    /// escaping: å ä ö, commas, quotes, line breaks, pipes and markup.
    pub fn sample() -> Document {
        let date = NaiveDate::from_ymd_opt(2024, 4, 26).unwrap();
        let instant = "2024-04-26T07:30:00Z".parse::<chrono::DateTime<Utc>>().unwrap();
        let mut document = Document::new(Lang::Sv, "Engagemangsrapport");
        document.subtitle = Some(labels::period(
            Lang::Sv,
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        ));
        document.figures = vec![
            Figure::new("Möten", Value::Integer(1234)).with_change(Change::of_counts(Lang::Sv, 1234, 1233)),
            Figure::new("Andel närvarande", Value::Percent(0.125)).with_change(Change::of_shares(
                Lang::Sv,
                Some(0.125),
                None,
            )),
            Figure::new("Försenade", Value::Integer(2)),
        ];
        let mut first = Table::new(["Typ", "Antal"]).caption("Första tabellen");
        first.push(vec![Value::text("Partnerträff"), Value::Integer(3)]);
        let months = Chart {
            title: "Möten per månad".into(),
            kind: ChartKind::Column,
            category_label: "Månad".into(),
            categories: vec!["januari 2024".into(), "februari 2024".into(), "mars 2024".into()],
            series: vec![Series {
                name: "Möten".into(),
                values: vec![3.0, 0.0, 7.0],
            }],
        };
        document.sections.push(
            Section::new("Sammanfattning")
                .with(Block::Paragraph {
                    text: "Rad ett\nrad två".into(),
                })
                .with(first)
                .with(months),
        );
        let mut partners =
            Table::new(["Partner", "Möten", "Andel", "Senaste möte", "Senast ändrad"]).primary();
        partners.push(vec![
            Value::text("Högskolan Väst"),
            Value::Integer(12),
            Value::Percent(0.25),
            Value::Date(date),
            Value::Instant(instant),
        ]);
        partners.push(vec![
            Value::text("<script>alert(1)</script> & Co"),
            Value::Integer(4),
            Value::Percent(0.125),
            Value::Empty,
            Value::Empty,
        ]);
        partners.push(vec![
            Value::text("Företag \"Ö, Å\" AB\nandra raden"),
            Value::Integer(1),
            Value::Percent(0.0),
            Value::Date(date),
            Value::Empty,
        ]);
        partners.push(vec![Value::text("A | B"), Value::Integer(0)]);
        let by_partner = Chart {
            title: "Engagemang per partner".into(),
            kind: ChartKind::Bar,
            category_label: "Partner".into(),
            categories: vec![
                "Högskolan Väst".into(),
                "<script>alert(1)</script> & Co".into(),
                "Övriga".into(),
            ],
            series: vec![Series {
                name: "Möten".into(),
                values: vec![12.0, 4.0, 1.0],
            }],
        };
        document.sections.push(
            Section::new("Per partner")
                .on_sheet("Partner")
                .with(partners)
                .with(by_partner),
        );
        let mut open = Table::new(["Uppgift", "Ansvarig", "Senast"]);
        open.push(vec![
            Value::text("Boka nästa träff"),
            Value::text("Lena Lindhé"),
            Value::Date(date),
        ]);
        document.sections.push(
            Section::new("Öppna uppföljningar")
                .on_sheet("Uppföljningar")
                .with(open),
        );
        document
    }

    #[test]
    fn json_round_trips_with_stable_names() {
        let document = sample();
        let bytes = json(&document).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["lang"], "sv");
        assert_eq!(value["title"], "Engagemangsrapport");
        assert_eq!(
            value["figures"][0],
            serde_json::json!({
                "label": "Möten",
                "value": {"type": "integer", "value": 1234},
                "change": {
                    "difference": {"type": "integer", "value": 1},
                    "previous": {"type": "integer", "value": 1233},
                    "direction": "up",
                    "text": "+1 mot föregående period (1\u{a0}233)"
                }
            })
        );
        assert!(
            value["figures"][2].get("change").is_none(),
            "a figure compared with nothing"
        );
        let partners = &value["sections"][1]["blocks"][0];
        assert_eq!(partners["type"], "table");
        assert_eq!(partners["primary"], true);
        assert_eq!(
            partners["rows"][0][3],
            serde_json::json!({"type": "date", "value": "2024-04-26"})
        );
        assert_eq!(
            partners["rows"][0][4],
            serde_json::json!({"type": "instant", "value": "2024-04-26T07:30:00Z"})
        );
        assert_eq!(partners["rows"][1][3], serde_json::json!({"type": "empty"}));
        assert_eq!(value["sections"][0]["blocks"][2]["type"], "chart");
        assert_eq!(value["sections"][0]["blocks"][2]["kind"], "column");
        // Every figure and cell of the document comes back.
        let cells: usize = value["sections"][1]["blocks"][0]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().len())
            .sum();
        assert_eq!(cells, 4 * 5);
    }

    #[test]
    fn formats_parse_from_their_spelling() {
        for format in Format::ALL {
            assert_eq!(Format::parse(format.as_str()), Some(format));
        }
        assert_eq!(Format::parse("docx"), None);
        assert_eq!(Format::Html.content_type(), "text/html; charset=utf-8");
    }

    #[test]
    fn every_format_renders_the_sample() {
        for format in Format::ALL {
            let bytes = render(&sample(), format).unwrap();
            assert!(!bytes.is_empty(), "{format:?}");
        }
    }
}
