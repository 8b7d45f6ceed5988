//! One self-contained HTML page: inline CSS, charts as inline SVG, no
//! scripts, fonts or links to fetch, so it can be mailed, archived and
//! printed as it is. Printing is on A4: table headers repeat on each page,
//! and no table row, figure or chart is split across pages. Every text from
//! the document is escaped (names are user data).

use std::fmt::Write as _;

use crate::ReportError;
use crate::display;
use crate::labels::Label;
use crate::model::{Block, Chart, Direction, Document, Table, Value};
use crate::svg;

/// The Content-Security-Policy an HTML document of [`render`] is served
/// with: nothing may load or run, and only the document's own stylesheet
/// applies (by its hash, so no injected style could). The stylesheet holds
/// the document's title and period for the printed footer, so the hash is
/// of this page's: the first `<style>` element, which [`render`] writes in
/// the head before any user text (all of it escaped, so no text can open
/// or close a style element).
pub fn content_security_policy(page: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let page = String::from_utf8_lossy(page);
    let stylesheet = page
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map_or("", |(stylesheet, _)| stylesheet);
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(stylesheet.as_bytes()));
    format!("default-src 'none'; style-src 'sha256-{hash}'; img-src data:; frame-ancestors 'none'")
}

/// A table with more columns than this is wide: printed on a landscape page
/// (`@page wide`) and set smaller; on a narrow screen it scrolls in its box.
pub const WIDE_COLUMNS: usize = 7;

/// The printed footer, in the document's stylesheet: the title and period
/// at the left (page margin boxes, Chromium 131 and later), the page number
/// and count at the right.
fn footer_style(document: &Document) -> String {
    let mut footer = document.title.clone();
    if let Some(subtitle) = &document.subtitle {
        footer.push_str(" · ");
        footer.push_str(subtitle);
    }
    let (page, of) = (Label::Page.text(document.lang), Label::Of.text(document.lang));
    format!(
        "@page {{ @bottom-left {{ content: \"{}\"; font: 8pt sans-serif; color: #555; }}\n\
         @bottom-right {{ content: \"{page} \" counter(page) \" {of} \" counter(pages); font: 8pt sans-serif; color: #555; }} }}\n",
        css_string(&footer)
    )
}

/// Text as the inside of a CSS string: quotes, backslashes and line breaks
/// escaped, and `<` too, so that no text can close the style element.
fn css_string(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '<' => escaped.push_str("\\3c "),
            '\n' | '\r' => escaped.push(' '),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 14mm 18mm; }
@page wide { size: A4 landscape; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b;
       line-height: 1.4; max-width: 182mm; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid #bbb; padding-bottom: .15rem; }
.subtitle { color: #555; margin: 0 0 1rem; }
.figures { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; padding: 0; }
.figure { border: 1px solid #ccc; border-radius: 4px; padding: .4rem .7rem; min-width: 8rem; }
.figure dt { font-size: .8rem; color: #555; }
.figure dd { margin: 0; }
.figure .value { font-size: 1.25rem; font-weight: 600; }
.figure .change { font-size: .8rem; color: #444; }
.figure .change.up span { color: #1a6b35; }
.figure .change.down span { color: #a3262a; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-style: italic; padding-bottom: .25rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .45rem; border-bottom: 1px solid #ddd; }
th { border-bottom: 2px solid #888; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.date { white-space: nowrap; }
figure.chart { margin: .4rem 0 1rem; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-style: italic; }
.figure .change span { font-weight: 700; }
.table-scroll { overflow-x: auto; }
table.wide { font-size: .8rem; }
table.wide th { vertical-align: bottom; }
.chart-data table { width: auto; min-width: 50%; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr, .figure, figure.chart, .chart-data { break-inside: avoid; page-break-inside: avoid; }
  h2, caption { break-after: avoid; page-break-after: avoid; }
  /* A section with a wide table gets landscape pages of its own; its
     table is never cut at the right edge. */
  section.wide { page: wide; }
  .table-scroll { overflow: visible; }
  table.wide { font-size: 7.5pt; }
  table.wide th, table.wide td { padding: .15rem .25rem; }
  .figures { gap: .3rem; }
}
"#;

/// The report as one HTML page.
pub fn render(document: &Document) -> Result<Vec<u8>, ReportError> {
    let lang = document.lang;
    let mut page = String::new();
    // Writing into a String cannot fail, so its results are ignored.
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        lang.as_str(),
        escape(&document.title),
        footer_style(document),
        escape(&document.title),
    );
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(page, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    page.push_str("</header>\n");
    if !document.figures.is_empty() {
        page.push_str("<dl class=\"figures\">\n");
        // One tile per figure, its change beside it: the arrow is
        // decoration (hidden from screen readers), the words carry it.
        for figure in &document.figures {
            let _ = write!(
                page,
                "<div class=\"figure\"><dt>{}</dt><dd class=\"value\">{}</dd>",
                escape(&figure.label),
                escape(&display::figure(lang, &figure.value)),
            );
            if let Some(change) = &figure.change {
                let _ = write!(
                    page,
                    "<dd class=\"change {}\"><span aria-hidden=\"true\">{}</span> {}</dd>",
                    direction_class(change.direction),
                    change.direction.arrow(),
                    escape(&change.text),
                );
            }
            page.push_str("</div>\n");
        }
        page.push_str("</dl>\n");
    }
    for section in document.sections.iter().filter(|s| !s.workbook_only) {
        let wide = section
            .blocks
            .iter()
            .any(|block| matches!(block, Block::Table(table) if table.columns.len() > WIDE_COLUMNS));
        let class = if wide { " class=\"wide\"" } else { "" };
        let _ = writeln!(page, "<section{class}>\n<h2>{}</h2>", escape(&section.heading));
        for block in &section.blocks {
            match block {
                Block::Paragraph { text } => {
                    let _ = writeln!(page, "<p>{}</p>", lines(text));
                }
                Block::Table(table) => table_html(&mut page, document, table),
                Block::Chart(chart) => chart_html(&mut page, document, chart)?,
            }
        }
        page.push_str("</section>\n");
    }
    page.push_str("</body>\n</html>\n");
    Ok(page.into_bytes())
}

const fn direction_class(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "up",
        Direction::Down => "down",
        Direction::Same => "same",
        Direction::Unknown => "unknown",
    }
}

fn table_html(page: &mut String, document: &Document, table: &Table) {
    let numeric = table.numeric_columns();
    // Dates and times never break at their hyphens, even in a narrow column.
    let dated: Vec<bool> = (0..table.columns.len())
        .map(|col| {
            table
                .rows
                .iter()
                .any(|row| matches!(row.get(col), Some(Value::Date(_) | Value::Instant(_))))
        })
        .collect();
    let class = |col: usize| {
        if numeric.get(col).copied().unwrap_or(false) {
            " class=\"num\""
        } else if dated.get(col).copied().unwrap_or(false) {
            " class=\"date\""
        } else {
            ""
        }
    };
    let wide = table.columns.len() > WIDE_COLUMNS;
    page.push_str(if wide {
        "<div class=\"table-scroll\">\n<table class=\"wide\">\n"
    } else {
        "<table>\n"
    });
    if let Some(caption) = &table.caption {
        let _ = writeln!(page, "<caption>{}</caption>", escape(caption));
    }
    page.push_str("<thead><tr>");
    for (col, heading) in table.columns.iter().enumerate() {
        let _ = write!(page, "<th{}>{}</th>", class(col), escape(heading));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        page.push_str("<tr>");
        for (col, value) in row.iter().enumerate() {
            let _ = write!(
                page,
                "<td{}>{}</td>",
                class(col),
                lines(&display::value(document.lang, value))
            );
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
    if wide {
        page.push_str("</div>\n");
    }
}

fn chart_html(page: &mut String, document: &Document, chart: &Chart) -> Result<(), ReportError> {
    let drawings = svg::render(document.lang, chart)?;
    let several = drawings.len() > 1;
    for (drawing, series) in drawings.iter().zip(&chart.series) {
        let caption = if several {
            format!("{}: {}", chart.title, series.name)
        } else {
            chart.title.clone()
        };
        let _ = writeln!(
            page,
            "<figure class=\"chart\">\n{drawing}<figcaption>{}</figcaption>\n</figure>",
            escape(&caption)
        );
    }
    // The numbers beside the drawing, for a reader who wants them exact
    // and for one who cannot see it.
    let mut data = chart.as_table();
    data.caption = Some(format!(
        "{}: {}",
        chart.title,
        Label::ChartData.text(document.lang)
    ));
    page.push_str("<div class=\"chart-data\">\n");
    table_html(page, document, &data);
    page.push_str("</div>\n");
    Ok(())
}

/// Escapes text for an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Escaped text whose line breaks stay line breaks.
fn lines(text: &str) -> String {
    escape(text).replace('\n', "<br>")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::labels::Lang;
    use crate::model::Section;
    use crate::tests::sample;

    fn page(document: &Document) -> String {
        String::from_utf8(render(document).unwrap()).unwrap()
    }

    /// Every inline SVG of the page.
    pub(crate) fn svgs(page: &str) -> Vec<&str> {
        page.match_indices("<svg")
            .map(|(start, _)| {
                let end = page[start..].find("</svg>").unwrap() + start + "</svg>".len();
                &page[start..end]
            })
            .collect()
    }

    #[test]
    fn the_page_holds_the_figures_tables_and_headings() {
        let page = page(&sample());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
        assert!(page.contains("<h1>Engagemangsrapport</h1>"));
        assert!(
            page.contains("<dt>Möten</dt><dd class=\"value\">1\u{a0}234</dd>"),
            "Swedish grouping"
        );
        assert!(
            page.contains("<dd class=\"value\">12,5\u{a0}%</dd>"),
            "Swedish percent"
        );
        assert!(page.contains("<td>Högskolan Väst</td><td class=\"num\">12</td>"));
        assert!(
            page.contains("<td class=\"date\">2024-04-26 09:30</td>"),
            "instants in Stockholm time"
        );
        assert!(page.contains("<h2>Öppna uppföljningar</h2>"));
    }

    #[test]
    fn the_policy_allows_exactly_the_page_s_stylesheet() {
        use base64::Engine as _;
        use sha2::Digest as _;
        let page = page(&sample());
        let start = page.find("<style>").unwrap() + "<style>".len();
        let end = page.find("</style>").unwrap();
        let hash = base64::engine::general_purpose::STANDARD
            .encode(sha2::Sha256::digest(&page.as_bytes()[start..end]));
        let policy = content_security_policy(page.as_bytes());
        assert!(policy.contains(&format!("style-src 'sha256-{hash}'")), "{policy}");
        assert!(policy.starts_with("default-src 'none'") && !policy.contains("unsafe"));
        assert_eq!(page.matches("<style").count(), 1, "one stylesheet, no other");
    }

    #[test]
    fn the_page_is_self_contained_and_prints_on_a4() {
        let page = page(&sample());
        for external in ["<link", "<script", "src=", "href=", "@import", "url("] {
            assert!(!page.contains(external), "{external} fetches something");
        }
        assert!(page.contains("@page { size: A4"));
        assert!(page.contains("@page wide { size: A4 landscape; }"));
        assert!(page.contains("thead { display: table-header-group; }"));
        assert!(page.contains("break-inside: avoid"));
        assert!(
            page.contains(
                "@bottom-left { content: \"Engagemangsrapport · 1 januari 2024 – 31 december 2024\";"
            )
        );
        assert!(page.contains("content: \"Sida \" counter(page) \" av \" counter(pages)"));
    }

    #[test]
    fn the_footer_text_cannot_leave_its_css_string() {
        let mut document = sample();
        document.title = "Rapport \"x\"; } body { color: red } </style><script>".into();
        let page = page(&document);
        assert_eq!(page.matches("</style>").count(), 1);
        assert!(page.contains(r#"content: "Rapport \"x\"; } body { color: red } \3c /style>\3c script>"#));
        assert!(!page.contains("<script"));
    }

    #[test]
    fn wide_tables_print_on_landscape_pages() {
        let mut document = sample();
        let mut wide = Table::new((1..=WIDE_COLUMNS + 1).map(|i| format!("Kolumn {i}")));
        wide.push(vec![Value::text("Högskolan Väst")]);
        document.sections.push(Section::new("Bred").with(wide));
        let page = page(&document);
        assert_eq!(
            page.matches("<section class=\"wide\">").count(),
            1,
            "only the wide one"
        );
        assert!(page.contains(
            "<section class=\"wide\">\n<h2>Bred</h2>\n<div class=\"table-scroll\">\n<table class=\"wide\">"
        ));
        assert!(page.contains("section.wide { page: wide; }"));
    }

    #[test]
    fn charts_are_valid_svg_with_their_labels() {
        let page = page(&sample());
        let svgs = svgs(&page);
        assert_eq!(svgs.len(), 2, "one per chart");
        for svg in &svgs {
            let tree = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
            assert_eq!(tree.root_element().tag_name().name(), "svg");
            let rects = tree.descendants().filter(|n| n.has_tag_name("rect")).count();
            assert!(rects >= 3, "bars are drawn");
        }
        let months = roxmltree::Document::parse(svgs[0]).unwrap();
        let texts: Vec<&str> = months
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        assert!(texts.contains(&"januari 2024"), "{texts:?}");
        let partners = roxmltree::Document::parse(svgs[1]).unwrap();
        let texts: Vec<&str> = partners
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        assert!(texts.contains(&"<script>alert(1)</script> & Co"), "{texts:?}");
    }

    /// One tile per figure with its change in words beside it; the arrow
    /// is hidden from screen readers, and a figure with nothing to compare
    /// says why.
    #[test]
    fn each_figure_is_one_tile_with_its_change_beside_it() {
        let page = page(&sample());
        assert_eq!(page.matches("<div class=\"figure\">").count(), 3);
        assert!(page.contains(
            "<div class=\"figure\"><dt>Möten</dt><dd class=\"value\">1\u{a0}234</dd>\
             <dd class=\"change up\"><span aria-hidden=\"true\">▲</span> +1 mot föregående period (1\u{a0}233)</dd></div>"
        ));
        assert!(page.contains(
            "<dd class=\"change unknown\"><span aria-hidden=\"true\">–</span> – (ingen siffra för föregående period)</dd>"
        ));
        assert!(page.contains("<dt>Försenade</dt><dd class=\"value\">2</dd></div>"));
    }

    #[test]
    fn every_chart_has_its_numbers_in_a_table_beside_it() {
        let page = page(&sample());
        assert_eq!(page.matches("<div class=\"chart-data\">").count(), 2);
        assert!(page.contains("<caption>Möten per månad: Siffrorna i diagrammet</caption>"));
        assert!(page.contains("<td>mars 2024</td><td class=\"num\">7</td>"));
    }

    #[test]
    fn user_text_is_escaped() {
        let page = page(&sample());
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
        assert!(page.contains("Företag &quot;Ö, Å&quot; AB<br>andra raden"));
    }

    #[test]
    fn english_pages_use_english_number_forms() {
        let mut document = sample();
        document.lang = Lang::En;
        let page = page(&document);
        assert!(page.contains("<html lang=\"en\">"));
        assert!(page.contains("<dd class=\"value\">1,234</dd>"));
        assert!(page.contains("<dd class=\"value\">12.5%</dd>"));
    }
}
