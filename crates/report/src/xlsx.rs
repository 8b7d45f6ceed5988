//! XLSX with rust_xlsxwriter. The first sheet holds the title, the period,
//! the headline figures and every section that names no sheet; each other
//! sheet holds the sections that name it, in order. Header rows are bold,
//! and the first table's header on each sheet is frozen. Numbers, shares,
//! dates and instants are real cells with a number format (Excel shows them
//! in the reader's own locale); instants are written in Stockholm time,
//! since Excel has no time zones. Column widths fit the longest value,
//! counted in characters. A chart's numbers are written as a small table,
//! and a native Excel chart drawn from them beside it.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{
    Chart as XlsxChart, ChartDataLabel, ChartType, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use samverkan_domain::time;

use crate::ReportError;
use crate::display;
use crate::labels::{Label, Lang};
use crate::model::{Block, Chart, ChartKind, Document, Section, Table, Value};
use crate::svg;

/// Excel's limit on a sheet name, in characters.
const SHEET_NAME_LIMIT: usize = 31;
/// Column widths stay readable: never narrower or wider than this.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// Rows a chart covers at its default size (288 px at 20 px a row), so that
/// what follows it starts below it.
const CHART_ROWS: u32 = 16;

/// The report as an XLSX workbook.
pub fn render(document: &Document) -> Result<Vec<u8>, ReportError> {
    let mut names = SheetNames::default();
    let summary_name = names.claim(Label::Summary.text(document.lang));
    let mut summary = SheetWriter::new(summary_name, document.lang);
    summary.title(document)?;
    // Sections keep their order within a sheet; sheets appear in the order
    // their first section does.
    let mut sheets: Vec<(&str, SheetWriter)> = Vec::new();
    for section in &document.sections {
        match section.sheet.as_deref() {
            None => summary.section(section)?,
            Some(requested) => {
                let index = match sheets.iter().position(|(asked, _)| *asked == requested) {
                    Some(index) => index,
                    None => {
                        let name = names.claim(requested);
                        sheets.push((requested, SheetWriter::new(name, document.lang)));
                        sheets.len() - 1
                    }
                };
                if let Some((_, sheet)) = sheets.get_mut(index) {
                    sheet.section(section)?;
                }
            }
        }
    }
    let mut workbook = Workbook::new();
    workbook.push_worksheet(summary.finish()?);
    for (_, sheet) in sheets {
        workbook.push_worksheet(sheet.finish()?);
    }
    Ok(workbook.save_to_buffer()?)
}

/// Names Excel accepts, each used once.
#[derive(Default)]
struct SheetNames {
    taken: Vec<String>,
}

impl SheetNames {
    /// A valid, unused sheet name as close to `wanted` as allowed: without
    /// the characters Excel forbids, at most 31 characters, and numbered
    /// when taken (Excel compares names ignoring case).
    fn claim(&mut self, wanted: &str) -> String {
        let cleaned: String = wanted
            .chars()
            .map(|c| {
                if "[]:*?/\\".contains(c) || c.is_control() {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let cleaned = cleaned.trim().trim_matches('\'').trim();
        let base = if cleaned.is_empty() { "Blad" } else { cleaned };
        let mut candidate: String = base.chars().take(SHEET_NAME_LIMIT).collect();
        let mut n = 2;
        while self
            .taken
            .iter()
            .any(|t| t.to_lowercase() == candidate.to_lowercase())
        {
            let suffix = format!(" ({n})");
            let room = SHEET_NAME_LIMIT - suffix.chars().count();
            candidate = base.chars().take(room).collect::<String>() + &suffix;
            n += 1;
        }
        self.taken.push(candidate.clone());
        candidate
    }
}

/// The formats of every cell type.
struct Formats {
    title: Format,
    heading: Format,
    caption: Format,
    header: Format,
    label: Format,
    integer: Format,
    date: Format,
    instant: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            title: Format::new().set_bold().set_font_size(16),
            heading: Format::new().set_bold().set_font_size(13),
            caption: Format::new().set_italic(),
            header: Format::new().set_bold().set_border_bottom(FormatBorder::Thin),
            label: Format::new().set_bold(),
            integer: Format::new().set_num_format("#,##0"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            instant: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        }
    }

    fn decimal(places: u8) -> Format {
        Format::new().set_num_format(number_format("#,##0", places))
    }

    fn percent(places: u8) -> Format {
        Format::new().set_num_format(number_format("0", places) + "%")
    }
}

fn number_format(whole: &str, places: u8) -> String {
    if places == 0 {
        whole.to_owned()
    } else {
        format!("{whole}.{}", "0".repeat(usize::from(places)))
    }
}

/// One sheet being written, top to bottom.
struct SheetWriter {
    sheet: Worksheet,
    name: String,
    lang: Lang,
    formats: Formats,
    row: u32,
    /// The widest value per column, in characters.
    widths: Vec<usize>,
    frozen: bool,
}

impl SheetWriter {
    fn new(name: String, lang: Lang) -> Self {
        Self {
            sheet: Worksheet::new(),
            name,
            lang,
            formats: Formats::new(),
            row: 0,
            widths: Vec::new(),
            frozen: false,
        }
    }

    fn title(&mut self, document: &Document) -> Result<(), XlsxError> {
        self.sheet
            .write_string_with_format(self.row, 0, &document.title, &self.formats.title)?;
        self.row += 1;
        if let Some(subtitle) = &document.subtitle {
            self.sheet.write_string(self.row, 0, subtitle)?;
            self.row += 1;
        }
        if !document.figures.is_empty() {
            self.row += 1;
            // Figures with a change get it beside them, as numbers: the
            // difference, the previous figure, and the change in words.
            if document.figures.iter().any(|f| f.change.is_some()) {
                let header = [
                    Label::Figure,
                    Label::ThisPeriod,
                    Label::Change,
                    Label::PreviousPeriod,
                ];
                for (col, label) in (0u16..).zip(header) {
                    let text = label.text(self.lang);
                    self.sheet
                        .write_string_with_format(self.row, col, text, &self.formats.header)?;
                    self.measure(col, text.chars().count());
                }
                self.row += 1;
            }
            for figure in &document.figures {
                self.sheet
                    .write_string_with_format(self.row, 0, &figure.label, &self.formats.label)?;
                self.measure(0, figure.label.chars().count());
                self.cell(1, &figure.value)?;
                if let Some(change) = &figure.change {
                    self.cell(2, &change.difference)?;
                    self.cell(3, &change.previous)?;
                    self.sheet.write_string(self.row, 4, &change.text)?;
                }
                self.row += 1;
            }
        }
        self.row += 1;
        Ok(())
    }

    fn section(&mut self, section: &Section) -> Result<(), XlsxError> {
        self.sheet
            .write_string_with_format(self.row, 0, &section.heading, &self.formats.heading)?;
        self.row += 1;
        for block in &section.blocks {
            match block {
                Block::Paragraph { text } => {
                    self.sheet.write_string(self.row, 0, text)?;
                    self.row += 1;
                }
                Block::Table(table) => {
                    self.table(table)?;
                }
                Block::Chart(chart) => self.chart(chart)?,
            }
            self.row += 1;
        }
        Ok(())
    }

    /// Writes a table; returns the rows its data occupies (after the header).
    fn table(&mut self, table: &Table) -> Result<(u32, u32), XlsxError> {
        if let Some(caption) = &table.caption {
            self.sheet
                .write_string_with_format(self.row, 0, caption, &self.formats.caption)?;
            self.row += 1;
        }
        for (col, heading) in (0u16..).zip(&table.columns) {
            self.sheet
                .write_string_with_format(self.row, col, heading, &self.formats.header)?;
            self.measure(col, heading.chars().count());
        }
        if !self.frozen {
            self.sheet.set_freeze_panes(self.row + 1, 0)?;
            self.frozen = true;
        }
        self.row += 1;
        let first = self.row;
        for row in &table.rows {
            for (col, value) in (0u16..).zip(row) {
                self.cell(col, value)?;
            }
            self.row += 1;
        }
        Ok((first, self.row.saturating_sub(1)))
    }

    fn chart(&mut self, chart: &Chart) -> Result<(), XlsxError> {
        let data = chart.as_table();
        let anchor = self.row;
        let (first, last) = self.table(&data)?;
        let mut excel = XlsxChart::new(match chart.kind {
            ChartKind::Column => ChartType::Column,
            ChartKind::Bar => ChartType::Bar,
        });
        excel.title().set_name(&chart.title);
        if chart.series.len() < 2 {
            excel.legend().set_hidden();
        }
        for (col, series) in (1u16..).zip(&chart.series) {
            excel
                .add_series()
                .set_name(series.name.as_str())
                .set_categories((self.name.as_str(), first, 0, last, 0))
                .set_values((self.name.as_str(), first, col, last, col))
                .set_data_label(ChartDataLabel::new().show_value());
        }
        // Counts on a whole-number axis, stepped as the HTML drawing is
        // (Excel's own steps for small counts are 0.2 or 0.5). A bar
        // chart's value axis is its x axis.
        let axis = chart
            .series
            .iter()
            .map(|series| svg::count_axis(chart.kind, series))
            .max_by_key(|axis| axis.top)
            .unwrap_or(svg::CountAxis { step: 1, top: 1 });
        let values = match chart.kind {
            ChartKind::Column => excel.y_axis(),
            ChartKind::Bar => excel.x_axis(),
        };
        #[allow(clippy::cast_precision_loss)] // ticks stay far below 2^52
        values
            .set_min(0)
            .set_max(axis.top as f64)
            .set_major_unit(axis.step as f64)
            .set_num_format("0");
        let beside = u16::try_from(data.columns.len() + 1).unwrap_or(u16::MAX);
        self.sheet.insert_chart(anchor, beside, &excel)?;
        self.row = self.row.max(anchor + CHART_ROWS);
        Ok(())
    }

    fn cell(&mut self, col: u16, value: &Value) -> Result<(), XlsxError> {
        let row = self.row;
        match value {
            Value::Empty => {}
            Value::Text(text) => {
                self.sheet.write_string(row, col, text)?;
            }
            // i64 beyond 2^53 loses precision in any spreadsheet: counts never get there.
            #[allow(clippy::cast_precision_loss)]
            Value::Integer(number) => {
                self.sheet
                    .write_number_with_format(row, col, *number as f64, &self.formats.integer)?;
            }
            Value::Decimal { number, places } => {
                self.sheet
                    .write_number_with_format(row, col, *number, &Formats::decimal(*places))?;
            }
            Value::Percent(share) => {
                self.sheet.write_number_with_format(
                    row,
                    col,
                    *share,
                    &Formats::percent(display::percent_places(*share)),
                )?;
            }
            Value::Date(date) => {
                if let Some(excel) = excel_date(*date) {
                    self.sheet
                        .write_datetime_with_format(row, col, &excel, &self.formats.date)?;
                }
            }
            Value::Instant(instant) => {
                let local = instant.with_timezone(&time::ZONE).naive_local();
                if let Some(excel) = excel_datetime(local) {
                    self.sheet
                        .write_datetime_with_format(row, col, &excel, &self.formats.instant)?;
                }
            }
        }
        self.measure(col, display::value(self.lang, value).chars().count());
        Ok(())
    }

    fn measure(&mut self, col: u16, chars: usize) {
        let index = usize::from(col);
        if self.widths.len() <= index {
            self.widths.resize(index + 1, 0);
        }
        if let Some(width) = self.widths.get_mut(index) {
            *width = (*width).max(chars);
        }
    }

    fn finish(mut self) -> Result<Worksheet, XlsxError> {
        self.sheet.set_name(&self.name)?;
        for (col, chars) in (0u16..).zip(&self.widths) {
            // Two characters of margin, as Excel's own autofit leaves.
            #[allow(clippy::cast_precision_loss)]
            let width = (chars + 2).clamp(MIN_WIDTH, MAX_WIDTH) as f64;
            self.sheet.set_column_width(col, width)?;
        }
        Ok(self.sheet)
    }
}

/// Excel's dates begin in 1900; a date it cannot hold is left empty.
fn excel_date(date: NaiveDate) -> Option<ExcelDateTime> {
    ExcelDateTime::from_ymd(
        u16::try_from(date.year()).ok()?,
        u8::try_from(date.month()).ok()?,
        u8::try_from(date.day()).ok()?,
    )
    .ok()
}

fn excel_datetime(local: NaiveDateTime) -> Option<ExcelDateTime> {
    excel_date(local.date())?
        .and_hms(
            u16::try_from(local.hour()).ok()?,
            u8::try_from(local.minute()).ok()?,
            local.second(),
        )
        .ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::{Cursor, Read};

    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::tests::sample;

    fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()
    }

    /// One part of the XLSX zip, as text.
    pub(crate) fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn the_workbook_opens_back_with_the_cells_typed() {
        let bytes = render(&sample()).unwrap();
        let mut workbook = open(&bytes);
        assert_eq!(
            workbook.sheet_names(),
            ["Sammanfattning", "Partner", "Uppföljningar"]
        );
        let summary = workbook.worksheet_range("Sammanfattning").unwrap();
        assert_eq!(
            summary.get_value((0, 0)),
            Some(&Data::String("Engagemangsrapport".into()))
        );
        // Figures: label, then a real number.
        assert_eq!(summary.get_value((3, 0)), Some(&Data::String("Mått".into())));
        assert_eq!(summary.get_value((4, 0)), Some(&Data::String("Möten".into())));
        assert_eq!(summary.get_value((4, 1)), Some(&Data::Float(1234.0)));
        assert_eq!(summary.get_value((4, 2)), Some(&Data::Float(1.0)), "the change");
        assert_eq!(
            summary.get_value((4, 3)),
            Some(&Data::Float(1233.0)),
            "the previous figure"
        );

        let partners = workbook.worksheet_range("Partner").unwrap();
        let rows: Vec<&[Data]> = partners.rows().collect();
        // Heading, header, then the rows.
        assert_eq!(rows[0][0], Data::String("Per partner".into()));
        assert_eq!(rows[1][0], Data::String("Partner".into()));
        assert_eq!(rows[2][0], Data::String("Högskolan Väst".into()));
        assert_eq!(rows[2][1], Data::Float(12.0));
        assert_eq!(rows[2][2], Data::Float(0.25));
        match &rows[2][3] {
            Data::DateTime(date) => {
                let date = date.as_datetime().unwrap();
                assert_eq!(date.date(), NaiveDate::from_ymd_opt(2024, 4, 26).unwrap());
            }
            other => panic!("a date cell, not {other:?}"),
        }
        match &rows[2][4] {
            Data::DateTime(instant) => {
                assert_eq!(
                    instant.as_datetime().unwrap().to_string(),
                    "2024-04-26 09:30:00",
                    "Stockholm time"
                );
            }
            other => panic!("a date-time cell, not {other:?}"),
        }
        assert_eq!(
            rows[4][0],
            Data::String("Företag \"Ö, Å\" AB\nandra raden".into())
        );
    }

    #[test]
    fn the_workbook_holds_native_charts_and_a_frozen_header() {
        let bytes = render(&sample()).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut chart = String::new();
        zip.by_name("xl/charts/chart1.xml")
            .unwrap()
            .read_to_string(&mut chart)
            .unwrap();
        assert!(chart.contains("<c:barChart>"), "{chart}");
        assert!(chart.contains("Möten per månad"));
        assert!(
            zip.by_name("xl/charts/chart2.xml").is_ok(),
            "one chart per chart block"
        );
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet2.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        assert!(sheet.contains(r#"state="frozen""#), "{sheet}");
        assert!(
            sheet.contains(r#"topLeftCell="A3""#),
            "frozen below the header row"
        );
    }

    /// Counts need whole-number axes in Excel too: the value axis of each
    /// chart reopened from the file starts at 0, steps by a whole number of
    /// at least 1 and shows no decimals, and every bar shows its value.
    #[test]
    fn native_charts_have_whole_number_value_axes_and_labelled_bars() {
        let bytes = render(&sample()).unwrap();
        for (part_name, max) in [("xl/charts/chart1.xml", 7.0), ("xl/charts/chart2.xml", 12.0)] {
            let xml = part(&bytes, part_name);
            let tree = roxmltree::Document::parse(&xml).unwrap();
            let value_axis = tree
                .descendants()
                .find(|n| n.tag_name().name() == "valAx")
                .unwrap_or_else(|| panic!("a value axis in {xml}"));
            let setting = |name: &str, attribute: &str| {
                value_axis
                    .descendants()
                    .find(|n| n.tag_name().name() == name)
                    .and_then(|n| n.attribute(attribute))
                    .map(str::to_owned)
                    .unwrap_or_else(|| panic!("{name} in {xml}"))
            };
            let unit: f64 = setting("majorUnit", "val").parse().unwrap();
            assert!(unit >= 1.0 && unit.fract() == 0.0, "{part_name}: {unit}");
            let top: f64 = setting("max", "val").parse().unwrap();
            assert!(top > max && (top / unit).fract() == 0.0, "{part_name}: {top}");
            assert_eq!(setting("min", "val"), "0");
            assert_eq!(setting("numFmt", "formatCode"), "0");
            let shows_values = tree
                .descendants()
                .filter(|n| n.tag_name().name() == "dLbls")
                .any(|labels| {
                    labels
                        .children()
                        .any(|n| n.tag_name().name() == "showVal" && n.attribute("val") == Some("1"))
                });
            assert!(shows_values, "{part_name}: every bar shows its value");
        }
    }

    #[test]
    fn columns_fit_the_longest_value_in_characters() {
        // 30 characters, 60 bytes: the width must follow the characters.
        let long = "åäö".repeat(10);
        let mut table = Table::new(["Namn", "Antal"]);
        table.push(vec![Value::text(long), Value::Integer(7)]);
        let mut document = Document::new(Lang::Sv, "Bredd");
        document
            .sections
            .push(Section::new("Tabell").on_sheet("Tabell").with(table));
        let sheet = part(&render(&document).unwrap(), "xl/worksheets/sheet2.xml");
        // 30 characters and a margin of 2 (Excel stores 32 as 32.71...);
        // the narrow column gets the minimum width.
        assert!(
            sheet.contains(r#"<col min="1" max="1" width="32.7109375""#),
            "{sheet}"
        );
        assert!(
            sheet.contains(r#"<col min="2" max="2" width="7.7109375""#),
            "{sheet}"
        );
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut names = SheetNames::default();
        assert_eq!(names.claim("Partner"), "Partner");
        assert_eq!(names.claim("partner"), "partner (2)");
        assert_eq!(names.claim("a/b[c]:d*e?f\\g"), "a b c  d e f g");
        let long = "Högskolan Väst och Kunskapsförbundet Väst";
        let claimed = names.claim(long);
        assert_eq!(claimed.chars().count(), 31);
        assert_eq!(names.claim(long).chars().count(), 31);
        assert_eq!(names.claim("''"), "Blad");
    }
}
