//! PDF, made in the process by krilla from the same [`Document`] the other
//! formats write: A4 pages (a section with a wide table on landscape pages,
//! as the HTML prints), the title, period and page number in every footer,
//! headline figures as tiles with their change beside them, tables whose
//! cells wrap and whose header repeats on every page (no row is split),
//! and charts drawn as lying bars on a whole-number axis, each bar with its
//! value, followed by the table of their numbers.
//!
//! The text is DejaVu Sans, embedded in the binary (its licence is
//! `crates/report/fonts/LICENSE-DejaVu.txt`) and subset by krilla into the
//! file, so every reader shows å, ä, ö and é alike and the text can be
//! selected and searched. The file is tagged and checked by krilla's PDF/UA-1
//! validator: headings, paragraphs, lists of figures, tables with header
//! cells, figures with their text alternative; footers, rules and repeated
//! headers are artifacts. The document's title and language are set.
//!
//! Layout runs once: the pages' drawing is kept until the last page is
//! laid out, and each footer's "page 2 of 5" is set when the file is
//! written, the number of pages known.

use std::num::NonZeroU16;
use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document as PdfDocument, SerializeSettings};
use skrifa::MetadataProvider as _;
use skrifa::instance::{LocationRef, Size};

use crate::ReportError;
use crate::display;
use crate::html::WIDE_COLUMNS;
use crate::labels::{Label, Lang};
use crate::model::{Block, Chart, ChartKind, Direction, Document, Figure, Series, Table, Value};
use crate::svg;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
const A4: (f32, f32) = (595.28, 841.89);
const MARGIN_X: f32 = 42.0;
const MARGIN_TOP: f32 = 46.0;
/// Room below the body for the footer.
const MARGIN_BOTTOM: f32 = 54.0;
const FOOTER_BASELINE: f32 = 28.0;

const BODY: f32 = 9.0;
const TABLE: f32 = 7.5;
const WIDE_TABLE: f32 = 6.5;
const CELL_PAD_X: f32 = 3.0;
const CELL_PAD_Y: f32 = 2.5;
const LEADING: f32 = 1.3;

const INK: (u8, u8, u8) = (0x1b, 0x1b, 0x1b);
const MUTED: (u8, u8, u8) = (0x55, 0x55, 0x55);
const RULE: (u8, u8, u8) = (0xbb, 0xbb, 0xbb);
const BAR: (u8, u8, u8) = (0x2b, 0x5c, 0x8a);
const UP: (u8, u8, u8) = (0x1a, 0x6b, 0x35);
const DOWN: (u8, u8, u8) = (0xa3, 0x26, 0x2a);

/// The report as a PDF file.
pub fn render(document: &Document) -> Result<Vec<u8>, ReportError> {
    let mut layout = Layout::new(Krilla::new(document)?, document);
    layout.document(document);
    layout.canvas.finish(document)
}

fn pdf_error(error: impl std::fmt::Display) -> ReportError {
    ReportError::Pdf(error.to_string())
}

/// The glyphs and advance widths of the two faces, per em: for wrapping
/// text before it is drawn, and for drawing it. Text is set glyph by glyph
/// from the font's character map, without a shaper: the reports' text is
/// composed (NFC, as the store keeps it) Latin, which DejaVu Sans draws
/// with one glyph per character (å, ä, ö, é included), and shaping every
/// cell of a large table (krilla's `draw_text` parses the font for each
/// call) was most of a report's time.
struct Measure {
    regular: Widths,
    bold: Widths,
}

struct Widths {
    font: Option<skrifa::FontRef<'static>>,
    units: f32,
    /// Latin, Latin-1, Latin Extended and general punctuation, looked up
    /// once: each character's glyph and advance.
    table: Vec<(u32, f32)>,
}

/// A character the font lacks: its `.notdef` glyph, about this wide.
const MISSING: (u32, f32) = (0, 0.6);

/// Characters below this are in the table; others get the average width.
const MEASURED_CHARS: usize = 0x2200;

impl Widths {
    fn of(data: &'static [u8]) -> Self {
        let Ok(font) = skrifa::FontRef::new(data) else {
            return Self {
                font: None,
                units: 1.0,
                table: Vec::new(),
            };
        };
        let units = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em
                .max(1),
        );
        let mut widths = Self {
            font: Some(font),
            units,
            table: Vec::new(),
        };
        widths.table = (0..MEASURED_CHARS)
            .map(|c| {
                u32::try_from(c)
                    .ok()
                    .and_then(char::from_u32)
                    .map_or(MISSING, |c| widths.look_up(c))
            })
            .collect();
        widths
    }

    fn look_up(&self, c: char) -> (u32, f32) {
        let Some(font) = &self.font else {
            return MISSING;
        };
        let Some(glyph) = font.charmap().map(c) else {
            return MISSING;
        };
        let advance = font
            .glyph_metrics(Size::unscaled(), LocationRef::default())
            .advance_width(glyph)
            .map_or(MISSING.1, |advance| advance / self.units);
        (glyph.to_u32(), advance)
    }

    /// The glyph of `c` and its advance, per em.
    fn glyph(&self, c: char) -> (u32, f32) {
        match self
            .table
            .get(usize::try_from(u32::from(c)).unwrap_or(usize::MAX))
        {
            Some(&entry) => entry,
            None => self.look_up(c),
        }
    }

    fn em(&self, c: char) -> f32 {
        self.glyph(c).1
    }
}

static MEASURE: LazyLock<Measure> = LazyLock::new(|| Measure {
    regular: Widths::of(REGULAR),
    bold: Widths::of(BOLD),
});

/// How a run of text is set.
#[derive(Debug, Clone, Copy)]
struct Style {
    bold: bool,
    size: f32,
    colour: (u8, u8, u8),
}

impl Style {
    const fn regular(size: f32) -> Self {
        Self {
            bold: false,
            size,
            colour: INK,
        }
    }

    const fn bold(size: f32) -> Self {
        Self {
            bold: true,
            size,
            colour: INK,
        }
    }

    const fn colour(mut self, colour: (u8, u8, u8)) -> Self {
        self.colour = colour;
        self
    }

    fn line(self) -> f32 {
        self.size * LEADING
    }

    fn width(self, text: &str) -> f32 {
        let widths = if self.bold {
            &MEASURE.bold
        } else {
            &MEASURE.regular
        };
        text.chars().map(|c| widths.em(c)).sum::<f32>() * self.size
    }

    /// The text in lines no wider than `width`: at spaces, its own line
    /// breaks kept, and a word wider than a line broken where it must.
    fn wrap(self, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            let space = self.width(" ");
            for word in paragraph.split_whitespace() {
                let word_width = self.width(word);
                if !line.is_empty() && line_width + space + word_width > width {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                if word_width > width {
                    // Too long for any line: as many characters as fit.
                    for c in word.chars() {
                        let c_width = self.width(c.encode_utf8(&mut [0; 4]));
                        if !line.is_empty() && line_width + c_width > width {
                            lines.push(std::mem::take(&mut line));
                            line_width = 0.0;
                        }
                        line.push(c);
                        line_width += c_width;
                    }
                    continue;
                }
                if !line.is_empty() {
                    line.push(' ');
                    line_width += space;
                }
                line.push_str(word);
                line_width += word_width;
            }
            lines.push(line);
        }
        lines
    }
}

/// The structure a part of the page belongs to (the tag it gets).
#[derive(Debug, Clone)]
enum Structure {
    Section,
    Heading(u16, String),
    Paragraph,
    List,
    ListItem,
    ListLabel,
    ListBody,
    Table,
    TableHead,
    TableBody,
    Row,
    HeaderCell,
    Cell,
    Figure(String),
    Caption,
}

/// Whether drawn content belongs to the structure or is an artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Real,
    /// Footers, rules, backgrounds, repeated table headers.
    Artifact,
}

/// What layout draws on: the page counter or krilla.
trait Canvas {
    fn begin_page(&mut self, size: (f32, f32));
    fn text(&mut self, at: (f32, f32), style: Style, text: &str, content: Content);
    fn rect(&mut self, rect: (f32, f32, f32, f32), colour: (u8, u8, u8), content: Content);
    fn open(&mut self, structure: Structure);
    fn close(&mut self);
    /// An entry of the document outline (bookmarks), to a place on a page.
    fn bookmark(&mut self, page: usize, y: f32, title: &str);
    /// "Sida 2 av 5" on this page's `baseline`, ending at the right margin:
    /// set once the number of pages is known.
    fn page_number(&mut self, page: usize, baseline: f32, style: Style);
}

/// One drawing command of the current page, kept until the page is
/// finished (a krilla surface borrows its page).
enum Command {
    Text {
        at: (f32, f32),
        style: Style,
        text: String,
        group: Option<usize>,
    },
    Rect {
        rect: (f32, f32, f32, f32),
        colour: (u8, u8, u8),
        group: Option<usize>,
    },
    /// An artifact, written when the number of pages is known.
    PageNumber {
        page: usize,
        baseline: f32,
        style: Style,
    },
}

/// A tag group being built: its tag and, in order, its child groups and
/// the marked content that belongs to it.
struct Group {
    structure: Structure,
    children: Vec<Child>,
}

enum Child {
    Group(usize),
    Content(Identifier),
}

struct Krilla {
    pdf: PdfDocument,
    lang: Lang,
    regular: Font,
    bold: Font,
    /// Every page's size and drawing, kept until the last page is laid out
    /// (a krilla surface borrows its page, and the footers need the count).
    pages: Vec<((f32, f32), Vec<Command>)>,
    groups: Vec<Group>,
    /// The open groups, innermost last; the root's children are `top`.
    open: Vec<usize>,
    top: Vec<usize>,
    /// PDF/UA asks for one: the sections, for a reader to jump to.
    outline: Outline,
}

impl Krilla {
    fn new(document: &Document) -> Result<Self, ReportError> {
        let configuration = ConfigurationBuilder::new()
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
            .map_err(|error| pdf_error(format!("{error:?}")))?;
        let settings = SerializeSettings {
            configuration,
            enable_tagging: true,
            ..SerializeSettings::default()
        };
        let mut pdf = PdfDocument::new_with(settings);
        let mut metadata = Metadata::new()
            .title(document.title.clone())
            .language(document.lang.as_str().to_owned())
            .creator("Samverkan".to_owned());
        if let Some(subtitle) = &document.subtitle {
            metadata = metadata.description(subtitle.clone());
        }
        pdf.set_metadata(metadata);
        let font =
            |data: &'static [u8]| Font::new(data.into(), 0).ok_or_else(|| pdf_error("the embedded font"));
        Ok(Self {
            pdf,
            lang: document.lang,
            regular: font(REGULAR)?,
            bold: font(BOLD)?,
            pages: Vec::new(),
            groups: Vec::new(),
            open: Vec::new(),
            top: Vec::new(),
            outline: Outline::new(),
        })
    }

    /// Writes one page of `total`; `glyphs` is a buffer reused across
    /// texts (a large report draws tens of thousands).
    fn write_page(
        &mut self,
        size: (f32, f32),
        commands: Vec<Command>,
        total: usize,
        glyphs: &mut Vec<KrillaGlyph>,
    ) -> Result<(), ReportError> {
        let settings = PageSettings::from_wh(size.0, size.1).ok_or_else(|| pdf_error("a page size"))?;
        let mut page = self.pdf.start_page_with(settings);
        let mut surface = page.surface();
        for command in commands {
            match command {
                Command::Text {
                    at,
                    style,
                    text,
                    group,
                } => {
                    let id = start(&mut surface, group, ContentTag::Span(SpanTag::empty()));
                    draw_text(&mut surface, &self.regular, &self.bold, glyphs, at, style, &text);
                    surface.end_tagged();
                    attach(&mut self.groups, group, id);
                }
                Command::PageNumber {
                    page,
                    baseline,
                    style,
                } => {
                    let number = format!(
                        "{} {page} {} {total}",
                        Label::Page.text(self.lang),
                        Label::Of.text(self.lang)
                    );
                    let x = size.0 - MARGIN_X - style.width(&number);
                    start(&mut surface, None, ContentTag::Other);
                    draw_text(
                        &mut surface,
                        &self.regular,
                        &self.bold,
                        glyphs,
                        (x, baseline),
                        style,
                        &number,
                    );
                    surface.end_tagged();
                }
                Command::Rect {
                    rect: (x, y, w, h),
                    colour,
                    group,
                } => {
                    let id = start(&mut surface, group, ContentTag::Other);
                    surface.set_fill(Some(fill(colour)));
                    if let Some(path) = Rect::from_xywh(x, y, w.max(0.1), h.max(0.1)).map(|rect| {
                        let mut builder = PathBuilder::new();
                        builder.push_rect(rect);
                        builder.finish()
                    }) && let Some(path) = path
                    {
                        surface.draw_path(&path);
                    }
                    surface.end_tagged();
                    attach(&mut self.groups, group, id);
                }
            }
        }
        surface.finish();
        page.finish();
        Ok(())
    }

    fn finish(mut self, document: &Document) -> Result<Vec<u8>, ReportError> {
        let pages = std::mem::take(&mut self.pages);
        let total = pages.len();
        let mut glyphs = Vec::new();
        for (size, commands) in pages {
            self.write_page(size, commands, total, &mut glyphs)?;
        }
        while !self.open.is_empty() {
            self.close();
        }
        let mut tree = TagTree::new().with_lang(Some(document.lang.as_str().to_owned()));
        let mut groups: Vec<Option<Group>> = self.groups.into_iter().map(Some).collect();
        for index in self.top {
            if let Some(node) = build(&mut groups, index) {
                tree.push(node);
            }
        }
        self.pdf.set_tag_tree(tree);
        self.pdf.set_outline(self.outline);
        self.pdf.finish().map_err(|error| pdf_error(format!("{error:?}")))
    }
}

/// Sets `text` glyph by glyph from the font's character map (see
/// [`Measure`]) at `at`.
fn draw_text(
    surface: &mut Surface<'_>,
    regular: &Font,
    bold: &Font,
    glyphs: &mut Vec<KrillaGlyph>,
    at: (f32, f32),
    style: Style,
    text: &str,
) {
    surface.set_fill(Some(fill(style.colour)));
    let (font, widths) = if style.bold {
        (bold, &MEASURE.bold)
    } else {
        (regular, &MEASURE.regular)
    };
    glyphs.clear();
    glyphs.extend(text.char_indices().map(|(i, c)| {
        let (glyph, advance) = widths.glyph(c);
        KrillaGlyph::new(
            GlyphId::new(glyph),
            advance,
            0.0,
            0.0,
            0.0,
            i..i + c.len_utf8(),
            None,
        )
    }));
    surface.draw_glyphs(
        Point::from_xy(at.0, at.1),
        glyphs,
        font.clone(),
        text,
        style.size,
        false,
    );
}

fn start(surface: &mut Surface<'_>, group: Option<usize>, tag: ContentTag<'_>) -> Option<Identifier> {
    match group {
        Some(_) => Some(surface.start_tagged(tag)),
        None => {
            surface.start_tagged(ContentTag::Artifact(Artifact::new(ArtifactType::Other, None)));
            None
        }
    }
}

fn attach(groups: &mut [Group], group: Option<usize>, id: Option<Identifier>) {
    if let (Some(group), Some(id)) = (group.and_then(|g| groups.get_mut(g)), id) {
        group.children.push(Child::Content(id));
    }
}

/// The tag group `index` and everything under it, as krilla's nodes.
fn build(groups: &mut [Option<Group>], index: usize) -> Option<Node> {
    let group = groups.get_mut(index)?.take()?;
    let mut tag = TagGroup::new(tag_kind(group.structure));
    for child in group.children {
        match child {
            Child::Group(child) => {
                if let Some(node) = build(groups, child) {
                    tag.push(node);
                }
            }
            Child::Content(id) => tag.push(id),
        }
    }
    Some(tag.into())
}

fn tag_kind(structure: Structure) -> TagKind {
    match structure {
        Structure::Section => Tag::Section.into(),
        Structure::Heading(level, title) => {
            Tag::Hn(NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN), Some(title)).into()
        }
        Structure::Paragraph => Tag::P.into(),
        Structure::List => Tag::L(ListNumbering::None).into(),
        Structure::ListItem => Tag::LI.into(),
        Structure::ListLabel => Tag::Lbl.into(),
        Structure::ListBody => Tag::LBody.into(),
        Structure::Table => Tag::Table.into(),
        Structure::TableHead => Tag::THead.into(),
        Structure::TableBody => Tag::TBody.into(),
        Structure::Row => Tag::TR.into(),
        Structure::HeaderCell => Tag::TH(TableHeaderScope::Column).into(),
        Structure::Cell => Tag::TD.into(),
        Structure::Figure(alternative) => Tag::Figure(Some(alternative)).into(),
        Structure::Caption => Tag::Caption.into(),
    }
}

fn fill(colour: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

impl Canvas for Krilla {
    fn begin_page(&mut self, size: (f32, f32)) {
        self.pages.push((size, Vec::new()));
    }

    fn text(&mut self, at: (f32, f32), style: Style, text: &str, content: Content) {
        let group = self.current(content);
        if let Some((_, commands)) = self.pages.last_mut() {
            commands.push(Command::Text {
                at,
                style,
                text: text.to_owned(),
                group,
            });
        }
    }

    fn rect(&mut self, rect: (f32, f32, f32, f32), colour: (u8, u8, u8), content: Content) {
        let group = self.current(content);
        if let Some((_, commands)) = self.pages.last_mut() {
            commands.push(Command::Rect { rect, colour, group });
        }
    }

    fn open(&mut self, structure: Structure) {
        let index = self.groups.len();
        self.groups.push(Group {
            structure,
            children: Vec::new(),
        });
        match self.open.last().and_then(|&parent| self.groups.get_mut(parent)) {
            Some(parent) => parent.children.push(Child::Group(index)),
            None => self.top.push(index),
        }
        self.open.push(index);
    }

    fn close(&mut self) {
        self.open.pop();
    }

    fn bookmark(&mut self, page: usize, y: f32, title: &str) {
        self.outline.push_child(OutlineNode::new(
            title.to_owned(),
            XyzDestination::new(page, Point::from_xy(0.0, y)),
        ));
    }

    fn page_number(&mut self, page: usize, baseline: f32, style: Style) {
        if let Some((_, commands)) = self.pages.last_mut() {
            commands.push(Command::PageNumber {
                page,
                baseline,
                style,
            });
        }
    }
}

impl Krilla {
    /// The group real content goes into: the innermost open one.
    fn current(&self, content: Content) -> Option<usize> {
        match content {
            Content::Real => self.open.last().copied(),
            Content::Artifact => None,
        }
    }
}

/// A headline figure set for its tile: its label's lines, its value's lines
/// and their style, and its change's lines with the direction its arrow
/// shows.
type Tile = (Vec<String>, Vec<String>, Style, Option<(Vec<String>, Direction)>);

/// Places the document on pages.
struct Layout<C: Canvas> {
    canvas: C,
    lang: Lang,
    footer: String,
    page: usize,
    size: (f32, f32),
    y: f32,
}

impl<C: Canvas> Layout<C> {
    fn new(canvas: C, document: &Document) -> Self {
        let mut footer = document.title.clone();
        if let Some(subtitle) = &document.subtitle {
            footer.push_str(" · ");
            footer.push_str(subtitle);
        }
        Self {
            canvas,
            lang: document.lang,
            footer,
            page: 0,
            size: A4,
            y: MARGIN_TOP,
        }
    }

    fn width(&self) -> f32 {
        self.size.0 - 2.0 * MARGIN_X
    }

    fn bottom(&self) -> f32 {
        self.size.1 - MARGIN_BOTTOM
    }

    fn new_page(&mut self, size: (f32, f32)) {
        self.page += 1;
        self.size = size;
        self.canvas.begin_page(size);
        self.y = MARGIN_TOP;
        let style = Style::regular(7.5).colour(MUTED);
        let baseline = self.size.1 - FOOTER_BASELINE;
        self.canvas
            .text((MARGIN_X, baseline), style, &self.footer, Content::Artifact);
        self.canvas.page_number(self.page, baseline, style);
    }

    /// Makes room for `height` points, on a new page of the same shape if
    /// this one has too little left (unless it is still empty).
    fn room(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > MARGIN_TOP {
            self.new_page(self.size);
        }
    }

    fn lines(&mut self, x: f32, lines: &[String], style: Style, content: Content) {
        for line in lines {
            self.y += style.size;
            self.canvas.text((x, self.y), style, line, content);
            self.y += style.line() - style.size;
        }
    }

    fn document(&mut self, document: &Document) {
        self.new_page(A4);
        let title = Style::bold(18.0);
        self.canvas.open(Structure::Heading(1, document.title.clone()));
        let lines = title.wrap(&document.title, self.width());
        self.lines(MARGIN_X, &lines, title, Content::Real);
        self.canvas.close();
        if let Some(subtitle) = &document.subtitle {
            let style = Style::regular(10.0).colour(MUTED);
            self.canvas.open(Structure::Paragraph);
            let lines = style.wrap(subtitle, self.width());
            self.lines(MARGIN_X, &lines, style, Content::Real);
            self.canvas.close();
        }
        self.y += 8.0;
        if !document.figures.is_empty() {
            self.figures(&document.figures);
        }
        for section in document.sections.iter().filter(|s| !s.workbook_only) {
            let wide = section
                .blocks
                .iter()
                .any(|block| matches!(block, Block::Table(table) if table.columns.len() > WIDE_COLUMNS));
            // A wide table gets landscape pages, as the HTML prints; the
            // page after it is upright again.
            if wide && self.size == A4 {
                self.new_page((A4.1, A4.0));
            } else if !wide && self.size != A4 {
                self.new_page(A4);
            }
            self.canvas.open(Structure::Section);
            let heading = Style::bold(13.0);
            self.room(heading.line() * 2.0 + 40.0);
            self.y += 10.0;
            self.canvas
                .bookmark(self.page.saturating_sub(1), self.y, &section.heading);
            self.canvas.open(Structure::Heading(2, section.heading.clone()));
            let lines = heading.wrap(&section.heading, self.width());
            self.lines(MARGIN_X, &lines, heading, Content::Real);
            self.canvas.close();
            self.y += 2.0;
            self.canvas
                .rect((MARGIN_X, self.y, self.width(), 0.6), RULE, Content::Artifact);
            self.y += 6.0;
            for block in &section.blocks {
                match block {
                    Block::Paragraph { text } => self.paragraph(text),
                    Block::Table(table) => self.table(table),
                    Block::Chart(chart) => self.chart(chart),
                }
                self.y += 8.0;
            }
            self.canvas.close();
        }
    }

    fn paragraph(&mut self, text: &str) {
        let style = Style::regular(BODY);
        let lines = style.wrap(text, self.width());
        self.canvas.open(Structure::Paragraph);
        for line in &lines {
            self.room(style.line());
            self.lines(MARGIN_X, std::slice::from_ref(line), style, Content::Real);
        }
        self.canvas.close();
    }

    /// The headline figures as tiles, three to a row, each with its change
    /// beside it: a list of label and value for a screen reader.
    fn figures(&mut self, figures: &[Figure]) {
        const PER_ROW: usize = 3;
        const GAP: f32 = 6.0;
        const PAD: f32 = 6.0;
        let tile_width = (self.width() - GAP * (PER_ROW as f32 - 1.0)) / PER_ROW as f32;
        let inner = tile_width - 2.0 * PAD;
        let label_style = Style::regular(7.5).colour(MUTED);
        let value_style = |value: &Value| {
            if matches!(value, Value::Text(_)) {
                Style::bold(10.5)
            } else {
                Style::bold(14.0)
            }
        };
        let change_style = Style::regular(7.0).colour(MUTED);
        self.canvas.open(Structure::List);
        for row in figures.chunks(PER_ROW) {
            let tiles: Vec<Tile> = row
                .iter()
                .map(|figure| {
                    let change = figure.change.as_ref().map(|change| {
                        let text = format!("{} {}", change.direction.arrow(), change.text);
                        (change_style.wrap(&text, inner), change.direction)
                    });
                    // A figure that is text (a place, a host) is set smaller
                    // and wraps; a number stays large on its line.
                    let style = value_style(&figure.value);
                    (
                        label_style.wrap(&figure.label, inner),
                        style.wrap(&display::figure(self.lang, &figure.value), inner),
                        style,
                        change,
                    )
                })
                .collect();
            let height = tiles
                .iter()
                .map(|(label, value, style, change)| {
                    label.len() as f32 * label_style.line()
                        + value.len() as f32 * style.line()
                        + change
                            .as_ref()
                            .map_or(0.0, |(lines, _)| lines.len() as f32 * change_style.line())
                })
                .fold(0.0, f32::max)
                + 2.0 * PAD;
            self.room(height + GAP);
            let top = self.y;
            for (i, (label, value, style, change)) in tiles.iter().enumerate() {
                let x = MARGIN_X + i as f32 * (tile_width + GAP);
                self.tile_border((x, top, tile_width, height));
                self.y = top + PAD;
                self.canvas.open(Structure::ListItem);
                self.canvas.open(Structure::ListLabel);
                self.lines(x + PAD, label, label_style, Content::Real);
                self.canvas.close();
                self.canvas.open(Structure::ListBody);
                self.lines(x + PAD, value, *style, Content::Real);
                if let Some((lines, direction)) = change {
                    // The arrow's colour repeats what the words say.
                    let colour = match direction {
                        Direction::Up => UP,
                        Direction::Down => DOWN,
                        Direction::Same | Direction::Unknown => MUTED,
                    };
                    self.lines(x + PAD, lines, change_style.colour(colour), Content::Real);
                }
                self.canvas.close();
                self.canvas.close();
            }
            self.y = top + height + GAP;
        }
        self.canvas.close();
    }

    fn tile_border(&mut self, (x, y, w, h): (f32, f32, f32, f32)) {
        const LINE: f32 = 0.6;
        for rect in [
            (x, y, w, LINE),
            (x, y + h - LINE, w, LINE),
            (x, y, LINE, h),
            (x + w - LINE, y, LINE, h),
        ] {
            self.canvas.rect(rect, RULE, Content::Artifact);
        }
    }

    fn table(&mut self, table: &Table) {
        let wide = table.columns.len() > WIDE_COLUMNS;
        let size = if wide { WIDE_TABLE } else { TABLE };
        let (head, body) = (Style::bold(size), Style::regular(size));
        let numeric = table.numeric_columns();
        let texts: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.iter().map(|value| display::value(self.lang, value)).collect())
            .collect();
        let widths = column_widths(table, &texts, head, body, self.width());
        let header: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(heading, width)| head.wrap(heading, width - 2.0 * CELL_PAD_X))
            .collect();
        let header_height = row_height(&header, head);
        if let Some(caption) = &table.caption {
            let style = Style::regular(BODY).colour(MUTED);
            self.room(style.line() + header_height * 2.0);
            self.canvas.open(Structure::Caption);
            let lines = style.wrap(caption, self.width());
            self.lines(MARGIN_X, &lines, style, Content::Real);
            self.canvas.close();
            self.y += 2.0;
        }
        self.canvas.open(Structure::Table);
        self.room(header_height * 2.0);
        self.canvas.open(Structure::TableHead);
        self.row(
            &header,
            &widths,
            &numeric,
            head,
            Content::Real,
            Structure::HeaderCell,
        );
        self.canvas.close();
        self.canvas.open(Structure::TableBody);
        for cells in &texts {
            let lines: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(text, width)| body.wrap(text, width - 2.0 * CELL_PAD_X))
                .collect();
            let height = row_height(&lines, body);
            if self.y + height > self.bottom() {
                // No row is split: a new page, under the header again
                // (an artifact there: the table has one header).
                self.new_page(self.size);
                self.row(
                    &header,
                    &widths,
                    &numeric,
                    head,
                    Content::Artifact,
                    Structure::HeaderCell,
                );
            }
            self.row(&lines, &widths, &numeric, body, Content::Real, Structure::Cell);
        }
        self.canvas.close();
        self.canvas.close();
    }

    fn row(
        &mut self,
        cells: &[Vec<String>],
        widths: &[f32],
        numeric: &[bool],
        style: Style,
        content: Content,
        cell: Structure,
    ) {
        let height = row_height(cells, style);
        let top = self.y;
        let real = content == Content::Real;
        if real {
            self.canvas.open(Structure::Row);
        }
        let mut x = MARGIN_X;
        for (col, (lines, width)) in cells.iter().zip(widths).enumerate() {
            if real {
                self.canvas.open(cell.clone());
            }
            self.y = top + CELL_PAD_Y;
            let right = numeric.get(col).copied().unwrap_or(false);
            for line in lines {
                self.y += style.size;
                let at = if right {
                    x + width - CELL_PAD_X - style.width(line)
                } else {
                    x + CELL_PAD_X
                };
                if !line.is_empty() {
                    self.canvas.text((at, self.y), style, line, content);
                }
                self.y += style.line() - style.size;
            }
            if real {
                self.canvas.close();
            }
            x += width;
        }
        if real {
            self.canvas.close();
        }
        let rule = if style.bold { 1.0 } else { 0.4 };
        let table_width: f32 = widths.iter().sum();
        self.canvas.rect(
            (MARGIN_X, top + height - rule, table_width, rule),
            if style.bold { MUTED } else { RULE },
            Content::Artifact,
        );
        self.y = top + height;
    }

    /// A chart as lying bars from zero on a whole-number axis, each bar
    /// with its value, then the table of its numbers. A column chart (the
    /// months) is drawn lying too: on paper its bars read as well, and its
    /// long labels need no turning.
    fn chart(&mut self, chart: &Chart) {
        for series in &chart.series {
            self.bars(chart, series);
        }
        let mut data = chart.as_table();
        data.caption = Some(format!("{}: {}", chart.title, Label::ChartData.text(self.lang)));
        self.y += 4.0;
        self.table(&data);
    }

    fn bars(&mut self, chart: &Chart, series: &Series) {
        let label_style = Style::regular(7.5);
        let value_style = Style::regular(7.0);
        let tick_style = Style::regular(6.5).colour(MUTED);
        let axis = svg::count_axis(ChartKind::Bar, series);
        let label_width = chart
            .categories
            .iter()
            .map(|c| label_style.width(c))
            .fold(0.0, f32::max)
            .min(self.width() * 0.35)
            + 6.0;
        let value_room = 36.0;
        let bar_area = self.width() - label_width - value_room;
        #[allow(clippy::cast_precision_loss)] // ticks stay far below 2^24
        let scale = bar_area / axis.top.max(1) as f32;
        let alternative = svg::text_alternative(self.lang, chart, series);
        let caption = if chart.series.len() > 1 {
            format!("{}: {}", chart.title, series.name)
        } else {
            chart.title.clone()
        };
        self.room(label_style.line() * 3.0 + 30.0);
        self.canvas.open(Structure::Figure(alternative));
        let left = MARGIN_X + label_width;
        let mut top_of_part = self.y;
        for (category, value) in chart.categories.iter().zip(&series.values) {
            let lines = label_style.wrap(category, label_width - 6.0);
            let lines = &lines[..lines.len().min(2)];
            let height = (lines.len() as f32 * label_style.line()).max(12.0) + 3.0;
            if self.y + height + 20.0 > self.bottom() {
                self.axis(left, top_of_part, axis, scale, tick_style);
                self.new_page(self.size);
                top_of_part = self.y;
            }
            let top = self.y;
            self.y = top + (height - lines.len() as f32 * label_style.line()) / 2.0 - 1.0;
            for line in lines {
                self.y += label_style.size;
                let x = left - 6.0 - label_style.width(line);
                self.canvas.text((x, self.y), label_style, line, Content::Real);
                self.y += label_style.line() - label_style.size;
            }
            let length = (*value as f32 * scale).max(0.0);
            self.canvas
                .rect((left, top + 1.5, length, height - 3.0), BAR, Content::Real);
            let label = number(self.lang, *value);
            self.canvas.text(
                (left + length + 3.0, top + height / 2.0 + value_style.size * 0.35),
                value_style,
                &label,
                Content::Real,
            );
            self.y = top + height;
        }
        self.axis(left, top_of_part, axis, scale, tick_style);
        self.canvas.close();
        let style = Style::regular(BODY).colour(MUTED);
        self.canvas.open(Structure::Caption);
        let lines = style.wrap(&caption, self.width());
        self.lines(MARGIN_X, &lines, style, Content::Real);
        self.canvas.close();
    }

    /// The value axis under bars drawn from `top` to here: a line, and a
    /// tick with its whole number at each step.
    fn axis(&mut self, left: f32, top: f32, axis: svg::CountAxis, scale: f32, style: Style) {
        let base = self.y + 1.0;
        self.canvas
            .rect((left, top, 0.6, base - top), MUTED, Content::Artifact);
        #[allow(clippy::cast_precision_loss)]
        let length = axis.top as f32 * scale;
        self.canvas
            .rect((left, base, length, 0.6), MUTED, Content::Artifact);
        for tick in axis.ticks() {
            #[allow(clippy::cast_precision_loss)]
            let x = left + tick as f32 * scale;
            self.canvas.rect((x, base, 0.6, 3.0), MUTED, Content::Artifact);
            let label = display::integer(self.lang, tick);
            let at = (x - style.width(&label) / 2.0, base + 4.0 + style.size);
            self.canvas.text(at, style, &label, Content::Real);
        }
        self.y = base + 6.0 + style.line();
    }
}

fn number(lang: Lang, value: f64) -> String {
    if value.fract() == 0.0 {
        display::decimal(lang, value, 0)
    } else {
        display::decimal(lang, value, 1)
    }
}

fn row_height(cells: &[Vec<String>], style: Style) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * style.line() + 2.0 * CELL_PAD_Y
}

/// Column widths that fill no more than `available`: each column as wide as
/// its widest text if all fit; else each at least its longest word and the
/// rest shared by how much more each would need; if even the words do not
/// fit, shares of the width by the words (they then break inside).
fn column_widths(table: &Table, texts: &[Vec<String>], head: Style, body: Style, available: f32) -> Vec<f32> {
    let pad = 2.0 * CELL_PAD_X;
    let columns = table.columns.len();
    let mut natural = vec![0.0_f32; columns];
    let mut word = vec![0.0_f32; columns];
    let mut measure = |col: usize, text: &str, style: Style| {
        for line in text.split('\n') {
            if let Some(n) = natural.get_mut(col) {
                *n = n.max(style.width(line));
            }
            for part in line.split_whitespace() {
                if let Some(w) = word.get_mut(col) {
                    *w = w.max(style.width(part));
                }
            }
        }
    };
    for (col, heading) in table.columns.iter().enumerate() {
        measure(col, heading, head);
    }
    for row in texts {
        for (col, text) in row.iter().enumerate() {
            measure(col, text, body);
        }
    }
    // A heading may wrap onto its words; a cell's text should not be cut
    // finer than a quarter of the page.
    let natural: Vec<f32> = natural.iter().map(|n| n + pad).collect();
    let word: Vec<f32> = word
        .iter()
        .zip(&natural)
        .map(|(w, n)| (w + pad).min(*n).min(available / 4.0))
        .collect();
    let total: f32 = natural.iter().sum();
    if total <= available {
        return natural;
    }
    let words: f32 = word.iter().sum();
    if words >= available {
        return word.iter().map(|w| w * available / words).collect();
    }
    let wanted: f32 = natural.iter().zip(&word).map(|(n, w)| n - w).sum();
    natural
        .iter()
        .zip(&word)
        .map(|(n, w)| w + (n - w) * (available - words) / wanted.max(1.0))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tests::sample;

    /// A PDF read back: its page sizes, whether every font is embedded, and
    /// its text, page by page.
    pub(crate) struct ReadBack {
        pub sizes: Vec<(f32, f32)>,
        pub fonts: Vec<String>,
        pub embedded: bool,
        pub text: String,
        pub title: Option<String>,
        pub lang: Option<String>,
        pub tagged: bool,
    }

    pub(crate) fn read_back(bytes: &[u8]) -> ReadBack {
        let pdf = lopdf::Document::load_mem(bytes).expect("the PDF opens");
        let pages = pdf.get_pages();
        let sizes = pages
            .values()
            .map(|&id| {
                let page = pdf.get_dictionary(id).unwrap();
                let b = page.get(b"MediaBox").unwrap().as_array().unwrap();
                let n = |i: usize| b[i].as_float().unwrap();
                (n(2) - n(0), n(3) - n(1))
            })
            .collect();
        let mut fonts = Vec::new();
        let mut embedded = true;
        for object in pdf.objects.values() {
            if let Ok(dict) = object.as_dict()
                && dict.get(b"Type").and_then(lopdf::Object::as_name).ok() == Some(b"FontDescriptor")
            {
                let name = dict.get(b"FontName").and_then(lopdf::Object::as_name).unwrap();
                fonts.push(String::from_utf8_lossy(name).into_owned());
                embedded &= dict.has(b"FontFile2") || dict.has(b"FontFile3") || dict.has(b"FontFile");
            }
        }
        let numbers: Vec<u32> = pages.keys().copied().collect();
        let text = pdf.extract_text(&numbers).expect("text extracts");
        let catalog = pdf.catalog().unwrap();
        let lang = catalog
            .get(b"Lang")
            .ok()
            .and_then(|l| l.as_str().ok())
            .map(|l| String::from_utf8_lossy(l).into_owned());
        let tagged = catalog.has(b"StructTreeRoot");
        let title = pdf
            .trailer
            .get(b"Info")
            .and_then(lopdf::Object::as_reference)
            .and_then(|id| pdf.get_dictionary(id))
            .and_then(|info| info.get(b"Title"))
            .ok()
            .and_then(|t| lopdf::decode_text_string(t).ok());
        ReadBack {
            sizes,
            fonts,
            embedded,
            text,
            title,
            lang,
            tagged,
        }
    }

    /// Every text of the page formats' document: the title, subtitle,
    /// figures and their changes, headings, paragraphs, table headers and
    /// cells, chart titles and categories.
    pub(crate) fn texts_of(document: &Document) -> Vec<String> {
        let lang = document.lang;
        let mut texts = vec![document.title.clone()];
        texts.extend(document.subtitle.clone());
        for figure in &document.figures {
            texts.push(figure.label.clone());
            texts.push(display::figure(lang, &figure.value));
            texts.extend(figure.change.as_ref().map(|c| c.text.clone()));
        }
        let table_texts = |table: &Table, texts: &mut Vec<String>| {
            texts.extend(table.columns.iter().cloned());
            for row in &table.rows {
                texts.extend(
                    row.iter()
                        .map(|v| display::value(lang, v))
                        .filter(|t| !t.is_empty()),
                );
            }
        };
        for section in document.sections.iter().filter(|s| !s.workbook_only) {
            texts.push(section.heading.clone());
            for block in &section.blocks {
                match block {
                    Block::Paragraph { text } => texts.push(text.clone()),
                    Block::Table(table) => table_texts(table, &mut texts),
                    Block::Chart(chart) => {
                        texts.push(chart.title.clone());
                        table_texts(&chart.as_table(), &mut texts);
                    }
                }
            }
        }
        texts
    }

    /// Whitespace (line breaks where a cell wrapped, the no-break spaces of
    /// Swedish numbers) counts as one space.
    pub(crate) fn squeeze(text: &str) -> String {
        text.split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `document` as PDF, read back and checked as every report's must be:
    /// it opens with a parser of its own, every page is A4 (upright or
    /// lying), its fonts are embedded and subset, it is tagged with the
    /// document's language and title, and its text holds every figure,
    /// heading, name and cell, Swedish letters intact. The text comes back
    /// squeezed, for a report's own checks.
    pub(crate) fn assert_whole(document: &Document) -> String {
        let back = read_back(&render(document).unwrap());
        assert!(!back.sizes.is_empty());
        for (w, h) in &back.sizes {
            let (w, h) = (w.min(*h), w.max(*h));
            assert!(
                (w - 595.28).abs() < 0.5 && (h - 841.89).abs() < 0.5,
                "A4: {w} x {h}"
            );
        }
        assert!(back.embedded && !back.fonts.is_empty(), "{:?}", back.fonts);
        assert!(
            back.fonts.iter().all(|f| f.contains('+')),
            "subset: {:?}",
            back.fonts
        );
        assert!(back.tagged);
        assert_eq!(back.lang.as_deref(), Some(document.lang.as_str()));
        assert_eq!(back.title.as_deref(), Some(document.title.as_str()));
        let text = squeeze(&back.text);
        for expected in texts_of(document) {
            let expected = squeeze(&expected);
            assert!(text.contains(&expected), "{expected:?} missing from {text}");
        }
        text
    }

    /// The whole sample comes back from the file, a landscape page for the
    /// wide table.
    #[test]
    fn the_pdf_holds_every_text_of_the_document_on_a4() {
        let mut document = sample();
        document.sections[1].blocks.push(Block::Paragraph {
            text: "Café Ångström och Émile".into(),
        });
        let text = assert_whole(&document);
        assert!(text.contains("Café Ångström och Émile"));
        assert!(text.contains("Sida 1 av"), "page numbers: {text}");
    }

    #[test]
    fn a_long_table_repeats_its_header_and_splits_no_row() {
        let mut document = Document::new(Lang::Sv, "Lång");
        let mut table = Table::new(["Organisation", "Möten"]);
        for i in 0..300 {
            table.push(vec![
                Value::text(format!("Organisation nummer {i}")),
                Value::Integer(i),
            ]);
        }
        document
            .sections
            .push(crate::model::Section::new("Alla").with(table));
        let bytes = render(&document).unwrap();
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        let pages = pdf.get_pages();
        assert!(pages.len() > 3, "{} pages", pages.len());
        for &number in pages.keys() {
            let text = pdf.extract_text(&[number]).unwrap();
            assert!(text.contains("Organisation"), "page {number} has the header");
            assert!(
                text.contains(&format!("Sida {number} av {}", pages.len())),
                "{text}"
            );
        }
        let all = squeeze(
            &pdf.extract_text(&pages.keys().copied().collect::<Vec<_>>())
                .unwrap(),
        );
        for i in 0..300 {
            assert!(all.contains(&format!("Organisation nummer {i} {i}")), "row {i}");
        }
    }

    #[test]
    fn text_wraps_within_its_width_and_keeps_its_line_breaks() {
        let style = Style::regular(10.0);
        let lines = style.wrap("Högskolan Väst i Trollhättan", 60.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| style.width(l) <= 60.0), "{lines:?}");
        assert_eq!(lines.join(" "), "Högskolan Väst i Trollhättan");
        assert_eq!(style.wrap("rad ett\nrad två", 500.0), ["rad ett", "rad två"]);
        let long = style.wrap("Utbildningsförvaltningen", 30.0);
        assert!(
            long.len() > 1 && long.iter().all(|l| style.width(l) <= 30.0),
            "{long:?}"
        );
        assert_eq!(long.concat(), "Utbildningsförvaltningen");
        assert_eq!(style.wrap("", 30.0), [""]);
    }

    #[test]
    fn the_embedded_font_measures_swedish_letters() {
        let style = Style::regular(10.0);
        for c in ['å', 'ä', 'ö', 'é', 'Å', 'Ä', 'Ö', '–', '▲', '▼', '±'] {
            let width = style.width(c.encode_utf8(&mut [0; 4]));
            assert!(width > 1.0 && width < 12.0, "{c}: {width}");
        }
        assert!(style.width("WWW") > style.width("iii"));
    }

    #[test]
    fn columns_fit_the_page() {
        let mut table = Table::new(["Organisation", "Möten", "Andel klara uppföljningar"]);
        table.push(vec![
            Value::text("Västra Götalandsregionen, regional utveckling"),
            Value::Integer(3),
            Value::Percent(0.5),
        ]);
        let texts = vec![vec![
            "Västra Götalandsregionen, regional utveckling".into(),
            "3".into(),
            "50 %".into(),
        ]];
        let (head, body) = (Style::bold(TABLE), Style::regular(TABLE));
        let roomy = column_widths(&table, &texts, head, body, 1000.0);
        let tight = column_widths(&table, &texts, head, body, 150.0);
        assert!(roomy.iter().sum::<f32>() < 1000.0);
        assert!((tight.iter().sum::<f32>() - 150.0).abs() < 0.5, "{tight:?}");
        assert!(tight[0] > tight[1], "{tight:?}");
    }

    /// Every text drawn, with the width of the page it is on.
    #[derive(Default)]
    struct Recorder {
        width: f32,
        texts: Vec<(f32, f32, String)>,
    }

    impl Canvas for Recorder {
        fn begin_page(&mut self, size: (f32, f32)) {
            self.width = size.0;
        }
        fn text(&mut self, at: (f32, f32), style: Style, text: &str, _: Content) {
            self.texts
                .push((at.0 + style.width(text), self.width, text.to_owned()));
        }
        fn rect(&mut self, _: (f32, f32, f32, f32), _: (u8, u8, u8), _: Content) {}
        fn open(&mut self, _: Structure) {}
        fn close(&mut self) {}
        fn bookmark(&mut self, _: usize, _: f32, _: &str) {}
        fn page_number(&mut self, _: usize, _: f32, _: Style) {}
    }

    /// Nothing is drawn past the right margin: long names in cells and
    /// tiles (a meeting's place is a figure) wrap.
    #[test]
    fn nothing_runs_past_the_right_margin() {
        let mut document = sample();
        document.figures.push(Figure::new(
            "Plats",
            Value::text("Drömfabriken, Kunskapsförbundet Västs förbundskontor, Trollhättan"),
        ));
        let mut layout = Layout::new(Recorder::default(), &document);
        layout.document(&document);
        let texts = layout.canvas.texts;
        assert!(texts.iter().any(|(_, _, t)| t.contains("Drömfabriken")));
        for (right, width, text) in &texts {
            assert!(
                *right <= width - MARGIN_X + 0.5,
                "{text:?} ends at {right} of {width}"
            );
        }
    }

    #[test]
    fn the_sample_renders() {
        let bytes = render(&sample()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
