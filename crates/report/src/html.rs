//! One self-contained HTML page: inline CSS, charts as inline SVG, no
//! scripts, fonts or links to fetch, so it can be mailed, archived and
//! printed as it is. Printing is on A4: table headers repeat on each page,
//! and no table row, figure or chart is split across pages. Every text from
//! the document is escaped (names are user data).

use std::fmt::Write as _;

use crate::ReportError;
use crate::display;
use crate::model::{Block, Chart, Document, Table};
use crate::svg;

/// The Content-Security-Policy an HTML document is served with: nothing
/// may load or run, and only the document's own stylesheet applies (by its
/// hash, so no injected style could).
pub fn content_security_policy() -> &'static str {
    static POLICY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use base64::Engine as _;
        use sha2::Digest as _;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE.as_bytes()));
        format!("default-src 'none'; style-src 'sha256-{hash}'; img-src data:; frame-ancestors 'none'")
    });
    &POLICY
}

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b;
       line-height: 1.4; max-width: 182mm; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid #bbb; padding-bottom: .15rem; }
.subtitle { color: #555; margin: 0 0 1rem; }
.figures { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; padding: 0; }
.figure { border: 1px solid #ccc; border-radius: 4px; padding: .4rem .7rem; min-width: 8rem; }
.figure dt { font-size: .8rem; color: #555; }
.figure dd { margin: 0; font-size: 1.25rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-style: italic; padding-bottom: .25rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .45rem; border-bottom: 1px solid #ddd; }
th { border-bottom: 2px solid #888; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
figure.chart { margin: .4rem 0 1rem; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-style: italic; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  thead { display: table-header-group; }
  tr, .figure, figure.chart { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
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
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        lang.as_str(),
        escape(&document.title),
        escape(&document.title),
    );
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(page, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    page.push_str("</header>\n");
    if !document.figures.is_empty() {
        page.push_str("<dl class=\"figures\">\n");
        for figure in &document.figures {
            let _ = writeln!(
                page,
                "<div class=\"figure\"><dt>{}</dt><dd>{}</dd></div>",
                escape(&figure.label),
                escape(&display::value(lang, &figure.value)),
            );
        }
        page.push_str("</dl>\n");
    }
    for section in document.sections.iter().filter(|s| !s.workbook_only) {
        let _ = writeln!(page, "<section>\n<h2>{}</h2>", escape(&section.heading));
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

fn table_html(page: &mut String, document: &Document, table: &Table) {
    let numeric = table.numeric_columns();
    let class = |col: usize| {
        if numeric.get(col).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        }
    };
    page.push_str("<table>\n");
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
            page.contains("<dt>Möten</dt><dd>1\u{a0}234</dd>"),
            "Swedish grouping"
        );
        assert!(page.contains("<dd>12,5\u{a0}%</dd>"), "Swedish percent");
        assert!(page.contains("<td>Högskolan Väst</td><td class=\"num\">12</td>"));
        assert!(
            page.contains("<td>2024-04-26 09:30</td>"),
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
        let policy = content_security_policy();
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
        assert!(page.contains("thead { display: table-header-group; }"));
        assert!(page.contains("break-inside: avoid"));
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
        assert!(page.contains("<dd>1,234</dd>"));
        assert!(page.contains("<dd>12.5%</dd>"));
    }
}
