//! What a report shows, independent of how it is written: a title, the
//! period or subject under it, headline figures, and sections of
//! paragraphs, tables and charts. Every text in it is already in the
//! document's language; numbers, dates and instants stay typed so that each
//! renderer writes them its own way (a real number cell in XLSX, "1 234,5"
//! in Swedish HTML, `1234.5` in CSV and JSON).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::display;
use crate::labels::{Label, Lang};

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub lang: Lang,
    pub title: String,
    /// The period or subject, under the title ("1 januari–31 mars 2025").
    pub subtitle: Option<String>,
    /// The few numbers a reader looks at first.
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
}

/// A headline figure: "Möten: 42", with its change against the previous
/// period when the report compares periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub label: String,
    pub value: Value,
    /// `None`: the report compares nothing (the minutes); a figure that is
    /// compared but has no previous figure has a change that says why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

impl Figure {
    pub fn new(label: impl Into<String>, value: Value) -> Self {
        Self {
            label: label.into(),
            value,
            change: None,
        }
    }

    #[must_use]
    pub fn with_change(mut self, change: Change) -> Self {
        self.change = Some(change);
        self
    }
}

/// Which way a figure moved: what an arrow shows, never alone (the change's
/// text says it in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
    Same,
    /// No previous figure to compare with.
    Unknown,
}

impl Direction {
    /// The arrow beside the change, decoration only.
    pub const fn arrow(self) -> &'static str {
        match self {
            Self::Up => "▲",
            Self::Down => "▼",
            Self::Same => "=",
            Self::Unknown => "–",
        }
    }
}

/// A figure's change against the previous period: the difference and the
/// previous figure typed, and all of it in words for a reader and a screen
/// reader ("+1 mot föregående period (0)", or "–" and why there is none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `Empty` when there is no previous figure.
    pub difference: Value,
    pub previous: Value,
    pub direction: Direction,
    pub text: String,
}

impl Change {
    /// The change of a count.
    pub fn of_counts(lang: Lang, now: i64, before: i64) -> Self {
        let difference = now.saturating_sub(before);
        let signed = match difference {
            0 => Label::Unchanged.text(lang).to_owned(),
            d if d > 0 => format!("+{}", display::integer(lang, d)),
            d => format!("−{}", display::integer(lang, d.saturating_neg())),
        };
        Self {
            difference: Value::Integer(difference),
            previous: Value::Integer(before),
            direction: Direction::of(difference.signum()),
            text: format!(
                "{signed} {} ({})",
                Label::VersusPrevious.text(lang),
                display::integer(lang, before)
            ),
        }
    }

    /// The change of a share, in percentage points; "–" and why when
    /// either period has none (no follow-up was due).
    pub fn of_shares(lang: Lang, now: Option<f64>, before: Option<f64>) -> Self {
        let (Some(now), Some(before)) = (now, before) else {
            let why = if before.is_none() {
                Label::NoPreviousFigure
            } else {
                Label::NoFigureThisPeriod
            };
            return Self {
                difference: Value::Empty,
                previous: before.map_or(Value::Empty, Value::Percent),
                direction: Direction::Unknown,
                text: format!("– ({})", why.text(lang)),
            };
        };
        let points = (now - before) * 100.0;
        let places = display::percent_places(points / 100.0);
        let magnitude = display::decimal(lang, points.abs(), places);
        let signed = if magnitude.chars().all(|c| c == '0' || c == ',' || c == '.') {
            Label::Unchanged.text(lang).to_owned()
        } else if points > 0.0 {
            format!("+{magnitude}")
        } else {
            format!("−{magnitude}")
        };
        let direction = if signed == Label::Unchanged.text(lang) {
            Direction::Same
        } else if points > 0.0 {
            Direction::Up
        } else {
            Direction::Down
        };
        Self {
            difference: Value::Percent(now - before),
            previous: Value::Percent(before),
            direction,
            text: format!(
                "{signed} {} {} ({})",
                Label::PercentagePoints.text(lang),
                Label::VersusPrevious.text(lang),
                display::value(lang, &Value::Percent(before))
            ),
        }
    }
}

impl Direction {
    const fn of(sign: i64) -> Self {
        match sign {
            1 => Self::Up,
            -1 => Self::Down,
            _ => Self::Same,
        }
    }
}

/// One typed value: a table cell or a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Empty,
    Text(String),
    Integer(i64),
    /// A number shown with `places` decimals.
    Decimal {
        number: f64,
        places: u8,
    },
    /// A share: 0.25 is 25 %.
    Percent(f64),
    /// A Stockholm calendar date.
    Date(NaiveDate),
    /// An instant, shown in Stockholm time.
    Instant(DateTime<Utc>),
}

impl Value {
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// Text, or empty when there is none.
    pub fn optional_text(text: Option<impl Into<String>>) -> Self {
        text.map_or(Self::Empty, |text| Self::Text(text.into()))
    }

    pub const fn is_number(&self) -> bool {
        matches!(self, Self::Integer(_) | Self::Decimal { .. } | Self::Percent(_))
    }

    pub fn count(count: usize) -> Self {
        Self::Integer(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

/// A part of the report under its own heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: String,
    /// The XLSX sheet this section goes on; `None` puts it on the first
    /// sheet, under the title and figures. Sections naming the same sheet
    /// share it, in order.
    pub sheet: Option<String>,
    /// Only for the workbook (a sheet of details, such as one per partner):
    /// the page formats (HTML, Markdown) leave it out to stay readable.
    pub workbook_only: bool,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn new(heading: impl Into<String>) -> Self {
        Self {
            heading: heading.into(),
            sheet: None,
            workbook_only: false,
            blocks: Vec::new(),
        }
    }

    /// Puts the section on a sheet of its own and leaves it out of the page
    /// formats.
    #[must_use]
    pub fn workbook_only(mut self, sheet: impl Into<String>) -> Self {
        self.workbook_only = true;
        self.on_sheet(sheet)
    }

    #[must_use]
    pub fn on_sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    #[must_use]
    pub fn with(mut self, block: impl Into<Block>) -> Self {
        self.blocks.push(block.into());
        self
    }
}

/// What a section holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph { text: String },
    Table(Table),
    Chart(Chart),
}

impl From<Table> for Block {
    fn from(table: Table) -> Self {
        Self::Table(table)
    }
}

impl From<Chart> for Block {
    fn from(chart: Chart) -> Self {
        Self::Chart(chart)
    }
}

/// A table: headed columns and rows of typed cells, one per column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub caption: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// The table a CSV of the report holds (CSV holds one table); when no
    /// table says so, the first one.
    pub primary: bool,
}

impl Table {
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Self {
        Self {
            caption: None,
            columns: columns.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            primary: false,
        }
    }

    #[must_use]
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    #[must_use]
    pub fn primary(mut self) -> Self {
        self.primary = true;
        self
    }

    /// Which columns hold numbers (every non-empty cell is one, and there is
    /// at least one): renderers align them to the right.
    pub fn numeric_columns(&self) -> Vec<bool> {
        (0..self.columns.len())
            .map(|col| {
                let mut cells = self
                    .rows
                    .iter()
                    .filter_map(|row| row.get(col))
                    .filter(|value| **value != Value::Empty)
                    .peekable();
                cells.peek().is_some() && cells.all(Value::is_number)
            })
            .collect()
    }

    /// Adds a row; a row shorter than the columns is padded with empty
    /// cells, a longer one cut, so that every row fits the header.
    pub fn push(&mut self, mut row: Vec<Value>) {
        row.resize(self.columns.len(), Value::Empty);
        self.rows.push(row);
    }
}

/// How a chart's bars stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Upright bars, categories along the bottom: months.
    Column,
    /// Lying bars, categories down the side: long names such as partners.
    Bar,
}

/// Numbers by category (meetings per month, engagement by partner), in one
/// or more series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    pub kind: ChartKind,
    /// What the categories are ("Månad").
    pub category_label: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

/// One series: a value per category of its chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

impl Chart {
    /// The chart's numbers as a table (category, then a column per series),
    /// for the formats that cannot draw.
    pub fn as_table(&self) -> Table {
        let mut table = Table::new(
            std::iter::once(self.category_label.clone()).chain(self.series.iter().map(|s| s.name.clone())),
        )
        .caption(self.title.clone());
        for (i, category) in self.categories.iter().enumerate() {
            let mut row = vec![Value::text(category.clone())];
            row.extend(self.series.iter().map(|series| {
                let value = series.values.get(i).copied().unwrap_or_default();
                number_value(value)
            }));
            table.push(row);
        }
        table
    }

    /// The largest value of any series (0 when there is none).
    pub fn max_value(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max)
    }
}

/// A whole number as an integer cell, anything else with one decimal.
fn number_value(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        // Exact: the value is whole and well inside i64's range.
        #[allow(clippy::cast_possible_truncation)]
        Value::Integer(value as i64)
    } else {
        Value::Decimal {
            number: value,
            places: 1,
        }
    }
}

impl Document {
    pub fn new(lang: Lang, title: impl Into<String>) -> Self {
        Self {
            lang,
            title: title.into(),
            subtitle: None,
            figures: Vec::new(),
            sections: Vec::new(),
        }
    }

    /// The table a one-table format (CSV) holds: the one marked primary, or
    /// else the first.
    pub fn primary_table(&self) -> Option<&Table> {
        let mut tables = self
            .sections
            .iter()
            .flat_map(|s| s.blocks.iter())
            .filter_map(|block| match block {
                Block::Table(table) => Some(table),
                _ => None,
            });
        let first = tables.clone().next();
        tables.find(|table| table.primary).or(first)
    }
}
