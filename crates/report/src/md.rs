//! Markdown, GitHub flavoured: headings, the figures as a list, tables as
//! pipe tables (a `|` in a cell is escaped, a line break becomes `<br>`),
//! and charts as the table of their numbers, since Markdown cannot draw.
//! Numbers are written as in the HTML page, in the report's language.

use std::fmt::Write as _;

use crate::display;
use crate::model::{Block, Document, Table};

/// The report as Markdown.
pub fn render(document: &Document) -> Vec<u8> {
    let lang = document.lang;
    let mut text = String::new();
    // Writing into a String cannot fail, so its results are ignored.
    let _ = writeln!(text, "# {}\n", inline(&document.title));
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(text, "{}\n", inline(subtitle));
    }
    if !document.figures.is_empty() {
        for figure in &document.figures {
            let _ = write!(
                text,
                "- **{}:** {}",
                inline(&figure.label),
                inline(&display::figure(lang, &figure.value))
            );
            if let Some(change) = &figure.change {
                let _ = write!(text, " ({})", inline(&change.text));
            }
            text.push('\n');
        }
        text.push('\n');
    }
    for section in document.sections.iter().filter(|s| !s.workbook_only) {
        let _ = writeln!(text, "## {}\n", inline(&section.heading));
        for block in &section.blocks {
            match block {
                Block::Paragraph { text: paragraph } => {
                    // Hard line breaks keep the author's lines.
                    let _ = writeln!(text, "{}\n", inline(paragraph).replace("<br>", "  \n"));
                }
                Block::Table(table) => table_md(&mut text, document, table),
                Block::Chart(chart) => table_md(&mut text, document, &chart.as_table()),
            }
        }
    }
    text.into_bytes()
}

fn table_md(text: &mut String, document: &Document, table: &Table) {
    if let Some(caption) = &table.caption {
        let _ = writeln!(text, "*{}*\n", inline(caption));
    }
    let _ = writeln!(
        text,
        "| {} |",
        table
            .columns
            .iter()
            .map(|c| cell(c))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let rule: Vec<&str> = table
        .numeric_columns()
        .into_iter()
        .map(|numeric| if numeric { "---:" } else { "---" })
        .collect();
    let _ = writeln!(text, "| {} |", rule.join(" | "));
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| cell(&display::value(document.lang, v)))
            .collect();
        let _ = writeln!(text, "| {} |", cells.join(" | "));
    }
    text.push('\n');
}

/// Text for a table cell: pipes escaped, line breaks as `<br>`.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// Text that stays on its line, and cannot open HTML: `<` and `&` escaped,
/// line breaks as `<br>`.
fn inline(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::sample;

    #[test]
    fn tables_are_pipe_tables_with_escaped_cells() {
        let text = String::from_utf8(render(&sample())).unwrap();
        assert!(text.starts_with("# Engagemangsrapport\n"));
        assert!(text.contains("- **Möten:** 1\u{a0}234 (+1 mot föregående period (1\u{a0}233))\n"));
        assert!(
            text.contains("- **Andel närvarande:** 12,5\u{a0}% (– (ingen siffra för föregående period))\n")
        );
        assert!(
            text.contains("- **Försenade:** 2\n"),
            "no change where nothing is compared"
        );
        assert!(text.contains(
            "| Partner | Möten | Andel | Senaste möte | Senast ändrad |\n| --- | ---: | ---: | --- | --- |\n"
        ));
        assert!(text.contains("| Högskolan Väst | 12 | 25\u{a0}% | 2024-04-26 | 2024-04-26 09:30 |\n"));
        assert!(text.contains("| Företag \"Ö, Å\" AB<br>andra raden |"));
        assert!(text.contains("| A \\| B |"), "a pipe in a cell is escaped");
        assert!(text.contains("&lt;script&gt;"), "no raw HTML from user data");
        // Every table line has as many cells as the header.
        for line in text
            .lines()
            .filter(|l| l.starts_with("| Högskolan Väst | 12 | 25") || l.starts_with("| A "))
        {
            let unescaped_pipes = line.matches('|').count() - line.matches("\\|").count();
            assert_eq!(unescaped_pipes, 6, "{line}");
        }
    }

    #[test]
    fn charts_become_tables_of_their_numbers() {
        let text = String::from_utf8(render(&sample())).unwrap();
        assert!(
            text.contains("*Möten per månad*\n\n| Månad | Möten |\n| --- | ---: |\n| januari 2024 | 3 |\n")
        );
    }
}
