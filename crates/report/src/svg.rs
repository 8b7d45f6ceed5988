//! Charts as SVG, drawn by plotters into a string: bars with labelled axes,
//! text as `<text>` elements in the reader's sans-serif font, so the page
//! needs no font file or other asset. Plotters escapes every text it writes,
//! so names with `<` or `&` stay text.
//!
//! Counts are whole numbers, so their axis is too: the ticks are chosen
//! here ([`CountAxis`]), never by plotters, whose ticks for a small range
//! are fractions (a reader saw `0, 0, 0, 1, 1, 1` once they were rounded).
//! Every bar carries its value, category labels wrap onto a second line
//! rather than overlap, and each drawing has a text alternative
//! (`role="img"`, `aria-label` and `<title>`); the page puts the chart's
//! numbers in a table beside it.
//!
//! The drawings carry presentation attributes (`fill`, `stroke`), never a
//! `style` attribute or a script: a page whose content security policy
//! forbids inline style and script can show them inline.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::ReportError;
use crate::display;
use crate::html::escape;
use crate::labels::Lang;
use crate::model::{Chart, ChartKind, Series};

const WIDTH: u32 = 760;
const COLUMN_HEIGHT: u32 = 320;
/// A lying bar's height, with its gap: room for a name on two lines.
const BAR_PITCH: u32 = 30;
const BAR_COLOUR: RGBColor = RGBColor(0x2b, 0x5c, 0x8a);
/// Pixels per character of a label at [`LABEL_SIZE`], roughly (sans-serif
/// averages about 0.6 em).
const LABEL_CHAR_WIDTH: u32 = 7;
const LABEL_SIZE: u32 = 11;
/// A line of a wrapped label, in pixels.
const LINE_HEIGHT: i32 = 13;
/// The width of a column chart's plot, inside its margins and axis labels.
const COLUMN_PLOT_WIDTH: u32 = WIDTH - 2 * 12 - 56;
/// A column's category label is a size smaller, so that twelve months fit
/// their columns ("september" over "2024"), at about this many pixels a
/// character.
const COLUMN_LABEL_SIZE: u32 = 10;
const COLUMN_CHAR_WIDTH: u32 = 6;
/// The height of a column chart's plot, inside its margins and labels.
const COLUMN_PLOT_HEIGHT: u32 = 250;
/// Pixels an axis tick label needs along its axis, to stay apart from the next.
const TICK_PITCH_UPRIGHT: u32 = 28;
const TICK_PITCH_ACROSS: u32 = 64;
/// A lying bar's category labels: at most this wide, on at most two lines.
const BAR_LABEL_MAX: u32 = 280;

/// A count axis: whole-number ticks from zero to `top`, `step` apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountAxis {
    pub step: i64,
    pub top: i64,
}

impl CountAxis {
    /// The axis for counts up to `max` with at most `fit` ticks (zero
    /// included): the step is 1, 2 or 5 times a power of ten and at least
    /// 1, the smallest whose ticks fit; the top is the first tick above
    /// `max`, so that the tallest bar leaves room for its label.
    pub fn for_counts(max: f64, fit: usize) -> Self {
        // Counts are whole; anything else is rounded up so its bar fits.
        #[allow(clippy::cast_possible_truncation)]
        let max = if max.is_finite() && max > 0.0 {
            max.ceil().min(1.0e15) as i64
        } else {
            0
        };
        let fit = i64::try_from(fit.max(2)).unwrap_or(i64::MAX);
        let mut power = 1_i64;
        loop {
            for multiple in [1, 2, 5] {
                let step = multiple * power;
                let top = (max / step + 1) * step;
                // top / step + 1 ticks, zero included.
                if top / step < fit {
                    return Self { step, top };
                }
            }
            power = power.saturating_mul(10);
        }
    }

    /// Every tick, from zero to the top.
    pub fn ticks(self) -> Vec<i64> {
        (0..=self.top / self.step).map(|i| i * self.step).collect()
    }

    #[allow(clippy::cast_precision_loss)] // ticks stay far below 2^52
    fn key_points(self) -> Vec<f64> {
        self.ticks().into_iter().map(|tick| tick as f64).collect()
    }

    #[allow(clippy::cast_precision_loss)]
    fn top_f64(self) -> f64 {
        self.top as f64
    }
}

/// The count axis a chart's series needs at its size: the HTML drawing and
/// the workbook's native chart share it.
pub fn count_axis(kind: ChartKind, series: &Series) -> CountAxis {
    let max = series.values.iter().copied().fold(0.0, f64::max);
    let fit = match kind {
        ChartKind::Column => COLUMN_PLOT_HEIGHT / TICK_PITCH_UPRIGHT,
        ChartKind::Bar => (WIDTH - BAR_LABEL_MAX - 60) / TICK_PITCH_ACROSS,
    };
    CountAxis::for_counts(max, usize::try_from(fit).unwrap_or(2))
}

/// What the chart shows, in words, for a reader who cannot see it:
/// "Möten per månad (Möten): januari 2024: 3; februari 2024: 0."
pub fn text_alternative(lang: Lang, chart: &Chart, series: &Series) -> String {
    let values: Vec<String> = chart
        .categories
        .iter()
        .zip(&series.values)
        .map(|(category, value)| format!("{category}: {}", number(lang, *value)))
        .collect();
    format!("{} ({}): {}.", chart.title, series.name, values.join("; "))
}

/// The chart drawn in `lang` (its numbers), one SVG document per series
/// (the report's charts have one).
pub fn render(lang: Lang, chart: &Chart) -> Result<Vec<String>, ReportError> {
    chart
        .series
        .iter()
        .map(|series| {
            let svg = match chart.kind {
                ChartKind::Column => columns(lang, chart, series),
                ChartKind::Bar => bars(lang, chart, series),
            }?;
            Ok(with_text_alternative(
                &svg,
                &text_alternative(lang, chart, series),
            ))
        })
        .collect()
}

/// Gives the drawing its text alternative: `role="img"` with an
/// `aria-label`, and a `<title>` as its first child (shown as a tooltip).
fn with_text_alternative(svg: &str, alternative: &str) -> String {
    let alternative = escape(alternative);
    match (svg.strip_prefix("<svg"), svg.find('>')) {
        (Some(_), Some(end)) => format!(
            "<svg role=\"img\" aria-label=\"{alternative}\"{}<title>{alternative}</title>{}",
            &svg["<svg".len()..=end],
            &svg[end + 1..]
        ),
        _ => svg.to_owned(),
    }
}

fn chart_error(error: impl std::fmt::Display) -> ReportError {
    ReportError::Chart(error.to_string())
}

fn number(lang: Lang, value: f64) -> String {
    if value.fract() == 0.0 {
        display::decimal(lang, value, 0)
    } else {
        display::decimal(lang, value, 1)
    }
}

/// Greedy word wrap to lines of at most `width` characters; a word longer
/// than a line stands alone on its line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// At most two lines of `width` characters; what does not fit ends in "…".
fn two_lines(text: &str, width: usize) -> Vec<String> {
    let mut lines = wrap(text, width);
    if lines.len() > 2 {
        lines.truncate(2);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    for line in &mut lines {
        if line.chars().count() > width + 1 {
            *line = line.chars().take(width.saturating_sub(1)).collect::<String>() + "…";
        }
    }
    lines
}

fn data(series: &Series, count: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
    series.values.iter().copied().take(count).enumerate()
}

fn label_style() -> TextStyle<'static> {
    ("sans-serif", LABEL_SIZE).into_font().color(&BLACK)
}

/// How a column chart writes its category labels: each on up to two lines
/// when they fit its column that way, else on one line, only every
/// `step`-th, so that none overlaps the next.
fn column_labels(categories: &[String]) -> (Vec<Vec<String>>, usize) {
    let count = categories.len().max(1);
    let column = usize::try_from(COLUMN_PLOT_WIDTH).unwrap_or(680)
        / count
        / usize::try_from(COLUMN_CHAR_WIDTH).unwrap_or(6);
    let wrapped: Vec<Vec<String>> = categories.iter().map(|c| wrap(c, column.max(1))).collect();
    let fits = wrapped
        .iter()
        .all(|lines| lines.len() <= 2 && lines.iter().all(|l| l.chars().count() <= column));
    if fits {
        return (wrapped, 1);
    }
    let longest = categories.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    let step = (longest + 1).div_ceil(column.max(1)).max(1);
    (categories.iter().map(|c| vec![c.clone()]).collect(), step)
}

fn columns(lang: Lang, chart: &Chart, series: &Series) -> Result<String, ReportError> {
    let count = chart.categories.len();
    let axis = count_axis(ChartKind::Column, series);
    let (labels, step) = column_labels(&chart.categories);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, COLUMN_HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut plot = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(2 * LINE_HEIGHT + 8)
            .y_label_area_size(56)
            .build_cartesian_2d((0..count).into_segmented(), 0.0..axis.top_f64())
            .map_err(chart_error)?;
        // Both axes' labels are drawn below: the categories wrapped, the
        // counts at the axis' own ticks; plotters' stay empty.
        plot.configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .x_labels(count.max(1))
            .x_label_formatter(&|_| String::new())
            .set_tick_mark_size(LabelAreaPosition::Bottom, 0)
            .y_labels(0)
            .y_desc(series.name.as_str())
            .draw()
            .map_err(chart_error)?;
        let left = plot.plotting_area().get_pixel_range().0.start;
        let tick_style = label_style().pos(Pos::new(HPos::Right, VPos::Center));
        for tick in axis.key_points() {
            let (_, y) = plot.backend_coord(&(SegmentValue::Exact(0), tick));
            root.draw(&PathElement::new([(left - 5, y), (left, y)], BLACK))
                .map_err(chart_error)?;
            root.draw(&Text::new(number(lang, tick), (left - 8, y), tick_style.clone()))
                .map_err(chart_error)?;
        }
        plot.draw_series(
            Histogram::vertical(&plot)
                .style(BAR_COLOUR.filled())
                .margin(4)
                .data(data(series, count)),
        )
        .map_err(chart_error)?;
        let above = label_style().pos(Pos::new(HPos::Center, VPos::Bottom));
        plot.draw_series(data(series, count).map(|(i, value)| {
            EmptyElement::at((SegmentValue::CenterOf(i), value))
                + Text::new(number(lang, value), (0, -3), above.clone())
        }))
        .map_err(chart_error)?;
        let below = ("sans-serif", COLUMN_LABEL_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top));
        for (i, lines) in labels.iter().enumerate().filter(|(i, _)| i % step == 0) {
            let (x, y) = plot.backend_coord(&(SegmentValue::CenterOf(i), 0.0));
            for (n, line) in (0..).zip(lines) {
                root.draw(&Text::new(
                    line.as_str(),
                    (x, y + 6 + n * LINE_HEIGHT),
                    below.clone(),
                ))
                .map_err(chart_error)?;
            }
        }
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

fn bars(lang: Lang, chart: &Chart, series: &Series) -> Result<String, ReportError> {
    let count = chart.categories.len();
    let axis = count_axis(ChartKind::Bar, series);
    let longest = chart
        .categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let label_width = u32::try_from(longest)
        .unwrap_or(u32::MAX)
        .saturating_mul(LABEL_CHAR_WIDTH)
        .clamp(60, BAR_LABEL_MAX);
    let label_chars = usize::try_from(label_width / LABEL_CHAR_WIDTH).unwrap_or(40);
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
            .y_label_area_size(label_width + 8)
            .build_cartesian_2d(0.0..axis.top_f64(), (0..count).into_segmented())
            .map_err(chart_error)?;
        plot.configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .y_labels(count.max(1))
            .y_label_formatter(&|_| String::new())
            .set_tick_mark_size(LabelAreaPosition::Left, 0)
            .x_labels(0)
            .x_desc(series.name.as_str())
            .draw()
            .map_err(chart_error)?;
        let bottom = plot.plotting_area().get_pixel_range().1.end;
        let tick_style = label_style().pos(Pos::new(HPos::Center, VPos::Top));
        for tick in axis.key_points() {
            let (x, _) = plot.backend_coord(&(tick, SegmentValue::Exact(0)));
            root.draw(&PathElement::new([(x, bottom), (x, bottom + 5)], BLACK))
                .map_err(chart_error)?;
            root.draw(&Text::new(
                number(lang, tick),
                (x, bottom + 7),
                tick_style.clone(),
            ))
            .map_err(chart_error)?;
        }
        // The axis counts from the bottom; a ranking reads from the top.
        let row = |i: usize| count - 1 - i;
        plot.draw_series(
            Histogram::horizontal(&plot)
                .style(BAR_COLOUR.filled())
                .margin(4)
                .data(data(series, count).map(|(i, value)| (row(i), value))),
        )
        .map_err(chart_error)?;
        let after = label_style().pos(Pos::new(HPos::Left, VPos::Center));
        plot.draw_series(data(series, count).map(|(i, value)| {
            EmptyElement::at((value, SegmentValue::CenterOf(row(i))))
                + Text::new(number(lang, value), (4, 0), after.clone())
        }))
        .map_err(chart_error)?;
        let before = label_style().pos(Pos::new(HPos::Right, VPos::Center));
        for (i, category) in chart.categories.iter().enumerate() {
            let (x, y) = plot.backend_coord(&(0.0, SegmentValue::CenterOf(row(i))));
            let lines = two_lines(category, label_chars);
            let first = y - (LINE_HEIGHT * (i32::try_from(lines.len()).unwrap_or(1) - 1)) / 2;
            for (n, line) in (0..).zip(&lines) {
                root.draw(&Text::new(
                    line.as_str(),
                    (x - 6, first + n * LINE_HEIGHT),
                    before.clone(),
                ))
                .map_err(chart_error)?;
            }
        }
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

    /// The `<text>` contents of a drawing whose `text-anchor` is `anchor`.
    fn texts_anchored<'a>(document: &'a roxmltree::Document<'a>, anchor: &str) -> Vec<&'a str> {
        document
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some(anchor))
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect()
    }

    fn counts(values: Vec<f64>, kind: ChartKind) -> Chart {
        Chart {
            title: "Möten per månad".into(),
            kind,
            category_label: "Månad".into(),
            categories: (1..=values.len())
                .map(|m| format!("september {}", 2000 + m))
                .collect(),
            series: vec![Series {
                name: "Möten".into(),
                values,
            }],
        }
    }

    #[test]
    fn count_axes_step_by_whole_numbers() {
        assert_eq!(CountAxis::for_counts(0.0, 9), CountAxis { step: 1, top: 1 });
        assert_eq!(CountAxis::for_counts(1.0, 9).ticks(), [0, 1, 2]);
        assert_eq!(CountAxis::for_counts(3.0, 9).ticks(), [0, 1, 2, 3, 4]);
        assert_eq!(CountAxis::for_counts(12.0, 9), CountAxis { step: 2, top: 14 });
        assert_eq!(CountAxis::for_counts(40.0, 10), CountAxis { step: 5, top: 45 });
        assert_eq!(CountAxis::for_counts(40.0, 9), CountAxis { step: 10, top: 50 });
        assert_eq!(
            CountAxis::for_counts(1234.0, 6),
            CountAxis { step: 500, top: 1500 }
        );
        assert_eq!(CountAxis::for_counts(f64::NAN, 9).ticks(), [0, 1]);
        for max in 0..300 {
            let axis = CountAxis::for_counts(f64::from(max), 7);
            assert!(axis.step >= 1 && axis.top > i64::from(max), "{max}: {axis:?}");
            assert!(axis.ticks().len() <= 7, "{max}: {axis:?}");
        }
    }

    /// The complaint: a count axis up to 1 labelled `0, 0, 0, 1, 1, 1`.
    /// Every value-axis label is a distinct whole number, in order, and
    /// every bar carries its own value.
    #[test]
    fn value_axis_labels_are_distinct_integers_and_every_bar_is_labelled() {
        for (kind, axis_anchor, value_anchor) in [
            (ChartKind::Column, "end", "middle"),
            (ChartKind::Bar, "middle", "start"),
        ] {
            for values in [
                vec![1.0, 0.0, 1.0],
                vec![3.0, 0.0, 7.0],
                vec![0.0, 0.0],
                vec![12.0, 250.0, 3.0],
            ] {
                let chart = counts(values.clone(), kind);
                let svg = render(Lang::Sv, &chart).unwrap().remove(0);
                let document = roxmltree::Document::parse(&svg).unwrap();
                let ticks: Vec<i64> = texts_anchored(&document, axis_anchor)
                    .into_iter()
                    .filter_map(|t| t.replace('\u{a0}', "").parse().ok())
                    .collect();
                assert!(ticks.len() >= 2, "{kind:?} {values:?}: {ticks:?} in {svg}");
                assert!(
                    ticks.windows(2).all(|w| w[0] < w[1]),
                    "{kind:?} {values:?}: {ticks:?}"
                );
                let labelled: Vec<&str> = texts_anchored(&document, value_anchor)
                    .into_iter()
                    .filter(|t| t.parse::<i64>().is_ok())
                    .collect();
                let expected: Vec<String> = values.iter().map(|v| format!("{v}")).collect();
                assert_eq!(labelled, expected, "{kind:?}: one label per bar, in order");
            }
        }
    }

    #[test]
    fn category_labels_wrap_instead_of_overlapping() {
        assert_eq!(wrap("september 2024", 10), ["september", "2024"]);
        assert_eq!(wrap("maj 2024", 10), ["maj 2024"]);
        assert_eq!(wrap("", 10), [""]);
        let long = "Västra Götalandsregionens allra längsta förvaltning för regional utveckling och kultur";
        let lines = two_lines(long, 40);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.chars().count() <= 41), "{lines:?}");
        assert!(lines[1].ends_with('…'));
        // Twelve months fit their columns on two lines each.
        let year = counts(vec![1.0; 12], ChartKind::Column);
        let (labels, step) = column_labels(&year.categories);
        assert_eq!(step, 1);
        assert!(labels.iter().all(|l| l == &["september", &l[1]]), "{labels:?}");
        // Sixty do not: every n-th is written, on one line.
        let (_, step) = column_labels(&counts(vec![1.0; 60], ChartKind::Column).categories);
        assert!(step > 1);
    }

    #[test]
    fn every_drawing_has_a_text_alternative() {
        let chart = counts(vec![3.0, 0.0], ChartKind::Column);
        let svg = render(Lang::Sv, &chart).unwrap().remove(0);
        let document = roxmltree::Document::parse(&svg).unwrap();
        let root = document.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let alternative = "Möten per månad (Möten): september 2001: 3; september 2002: 0.";
        assert_eq!(root.attribute("aria-label"), Some(alternative));
        let title = root.first_element_child().unwrap();
        assert_eq!(
            (title.tag_name().name(), title.text()),
            ("title", Some(alternative))
        );
    }
}
