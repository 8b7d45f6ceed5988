//! Charts as SVG, drawn by plotters into a string: bars with labelled axes,
//! text as `<text>` elements in the reader's sans-serif font, so the page
//! needs no font file or other asset. Plotters escapes every text it writes,
//! so names with `<` or `&` stay text.
//!
//! The drawings carry presentation attributes (`fill`, `stroke`), never a
//! `style` attribute or a script: a page whose content security policy
//! forbids inline style and script can show them inline.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use crate::ReportError;
use crate::display;
use crate::labels::Lang;
use crate::model::{Chart, ChartKind, Series};

const WIDTH: u32 = 720;
const COLUMN_HEIGHT: u32 = 320;
/// A lying bar's height, with its gap.
const BAR_PITCH: u32 = 26;
const BAR_COLOUR: RGBColor = RGBColor(0x2b, 0x5c, 0x8a);
/// Pixels per character of an axis label, roughly, at the label size.
const LABEL_CHAR_WIDTH: u32 = 7;
/// The same at the smaller size of column labels, with a little gap.
const LABEL_CHAR_WIDTH_SMALL: usize = 7;
/// The width of a column chart's plot, inside its axis labels.
const COLUMN_PLOT_WIDTH: usize = 640;

/// The chart drawn in `lang` (its numbers), one SVG document per series
/// (the report's charts have one).
pub fn render(lang: Lang, chart: &Chart) -> Result<Vec<String>, ReportError> {
    chart
        .series
        .iter()
        .map(|series| match chart.kind {
            ChartKind::Column => columns(lang, chart, series),
            ChartKind::Bar => bars(lang, chart, series),
        })
        .collect()
}

fn chart_error(error: impl std::fmt::Display) -> ReportError {
    ReportError::Chart(error.to_string())
}

/// The value axis runs from zero to a little above the largest value, and
/// at least to 1 so that an all-zero chart still has an axis.
fn value_top(series: &Series) -> f64 {
    let max = series.values.iter().copied().fold(0.0, f64::max);
    (max * 1.1).max(1.0)
}

fn category_label(categories: &[String], value: &SegmentValue<usize>) -> String {
    match value {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => categories.get(*i).cloned().unwrap_or_default(),
        SegmentValue::Last => String::new(),
    }
}

fn data(series: &Series, count: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
    series.values.iter().copied().take(count).enumerate()
}

fn columns(lang: Lang, chart: &Chart, series: &Series) -> Result<String, ReportError> {
    let count = chart.categories.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, COLUMN_HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut plot = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(56)
            .build_cartesian_2d((0..count).into_segmented(), 0.0..value_top(series))
            .map_err(chart_error)?;
        // Labels stand upright and must not overlap: when they are wider
        // than a column, only every `step`-th is written.
        let longest = chart
            .categories
            .iter()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0);
        let step = (longest * LABEL_CHAR_WIDTH_SMALL)
            .div_ceil(COLUMN_PLOT_WIDTH / count.max(1))
            .max(1);
        let categories = &chart.categories;
        let category = |value: &SegmentValue<usize>| match value {
            SegmentValue::CenterOf(i) if i % step == 0 => category_label(categories, value),
            _ => String::new(),
        };
        let number = |value: &f64| display::decimal(lang, *value, 0);
        plot.configure_mesh()
            .disable_x_mesh()
            .x_labels(count.max(1))
            .x_label_formatter(&category)
            .x_label_style(("sans-serif", 11))
            .light_line_style(WHITE)
            .y_label_formatter(&number)
            .y_desc(series.name.as_str())
            .draw()
            .map_err(chart_error)?;
        plot.draw_series(
            Histogram::vertical(&plot)
                .style(BAR_COLOUR.filled())
                .margin(4)
                .data(data(series, count)),
        )
        .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

fn bars(lang: Lang, chart: &Chart, series: &Series) -> Result<String, ReportError> {
    let count = chart.categories.len();
    let longest = chart
        .categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let label_width = u32::try_from(longest)
        .unwrap_or(u32::MAX)
        .saturating_mul(LABEL_CHAR_WIDTH)
        .clamp(60, 280);
    let height = u32::try_from(count)
        .unwrap_or(u32::MAX)
        .saturating_mul(BAR_PITCH)
        .saturating_add(80);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut plot = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0.0..value_top(series), (0..count).into_segmented())
            .map_err(chart_error)?;
        // The axis counts from the bottom; a ranking reads from the top.
        let categories: Vec<String> = chart.categories.iter().rev().cloned().collect();
        let category = |value: &SegmentValue<usize>| category_label(&categories, value);
        let number = |value: &f64| display::decimal(lang, *value, 0);
        plot.configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .y_labels(count.max(1))
            .y_label_formatter(&category)
            .x_label_formatter(&number)
            .x_desc(series.name.as_str())
            .draw()
            .map_err(chart_error)?;
        plot.draw_series(
            Histogram::horizontal(&plot)
                .style(BAR_COLOUR.filled())
                .margin(4)
                .data(data(series, count).map(|(i, value)| (count - 1 - i, value))),
        )
        .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(kind: ChartKind) -> Chart {
        Chart {
            title: "Möten".into(),
            kind,
            category_label: "Partner".into(),
            categories: vec!["<script>alert(1)</script> & Co".into(), "Ängens skola".into()],
            series: vec![Series {
                name: "Möten \" style=\"x".into(),
                values: vec![3.0, 1234.5],
            }],
        }
    }

    /// The page's content security policy allows no inline style or
    /// script: neither may reach the drawing, whatever the names hold.
    #[test]
    fn drawings_carry_no_style_attribute_and_no_script() {
        for kind in [ChartKind::Column, ChartKind::Bar] {
            for lang in [Lang::Sv, Lang::En] {
                let drawings = render(lang, &chart(kind)).unwrap();
                assert_eq!(drawings.len(), 1);
                let svg = &drawings[0];
                assert!(svg.starts_with("<svg"), "{svg}");
                let document = roxmltree::Document::parse(svg).unwrap();
                for node in document.descendants().filter(roxmltree::Node::is_element) {
                    let element = node.tag_name().name();
                    assert!(
                        !["style", "script", "foreignObject"].contains(&element),
                        "<{element}> in {svg}"
                    );
                    for attribute in node.attributes() {
                        let name = attribute.name().to_ascii_lowercase();
                        assert!(
                            name != "style" && !name.starts_with("on") && !name.ends_with("href"),
                            "{name}= on <{element}> in {kind:?}: {svg}"
                        );
                    }
                }
                assert!(svg.contains("&lt;script&gt;"), "the name stays text");
            }
        }
    }
}
