//! Minimal PDF writer for the dossier: plain blocks in, PDF/A-2b bytes out. DejaVu Sans is
//! embedded (subset), see `fonts/LICENSE`.
//!
//! Built on `krilla` (no default features: no raster images, no rustybuzz
//! shaping). Glyph ids and advances come from `skrifa` (the very version krilla
//! uses), so layout is a simple greedy line breaker with real glyph widths.
//! No kerning, no ligatures, no bidi: fine for French prose.

use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::Point;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::SerializeSettings;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{charmap::Charmap, FontRef, MetadataProvider};

/// One block of content, laid out top to bottom.
#[derive(Clone, Debug)]
pub enum Block {
    Title(String),
    /// `level` 1..=3 (higher values render like 3).
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    /// Small grey line (dates, references...).
    Meta(String),
    /// Kept verbatim (spaces, `\n`), broken anywhere when too long (e.g. SHA-256).
    Preformatted(String),
    PageBreak,
}

/// UTC timestamp written as the document's creation date.
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

#[derive(Clone, Debug)]
pub struct Document {
    pub title: String,
    /// BCP 47 tag, e.g. "fr".
    pub language: String,
    /// `None` = no date in the file (output then depends only on the content).
    pub created: Option<Timestamp>,
    pub blocks: Vec<Block>,
}

// A4 in points, 2 cm margins.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.69;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
const FOOTER_BASELINE: f32 = PAGE_H - 28.35; // 1 cm above the bottom edge
const REPLACEMENT: char = '\u{FFFD}';

/// Visual style of a laid-out line.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Style {
    bold: bool,
    size: f32,
    line_height: f32,
    before: f32,
    after: f32,
    grey: bool,
}

const fn style(bold: bool, size: f32, lh: f32, before: f32, after: f32, grey: bool) -> Style {
    Style {
        bold,
        size,
        line_height: size * lh,
        before,
        after,
        grey,
    }
}

const TITLE: Style = style(true, 20.0, 1.25, 0.0, 10.0, false);
const H1: Style = style(true, 15.0, 1.25, 12.0, 5.0, false);
const H2: Style = style(true, 12.5, 1.25, 9.0, 4.0, false);
const H3: Style = style(true, 11.0, 1.25, 7.0, 3.0, false);
const BODY: Style = style(false, 10.0, 1.35, 0.0, 5.0, false);
const META: Style = style(false, 8.5, 1.3, 0.0, 4.0, true);
const PRE: Style = style(false, 9.0, 1.3, 2.0, 6.0, false);
const FOOTER: Style = style(false, 8.5, 1.0, 0.0, 0.0, true);

/// A font with cached glyph lookups (ids and advances in em units).
struct Face {
    krilla: Font,
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    upem: f32,
    /// Lazily filled cache for chars below `CACHE_LEN`; `u32::MAX` = not looked up yet.
    cache: Vec<(u32, f32)>,
}

const CACHE_LEN: usize = 0x2400; // Latin, punctuation (’ « » U+202F), symbols

impl Face {
    fn new(bytes: &'static [u8], name: &str) -> Result<Self, String> {
        let font = FontRef::new(bytes).map_err(|e| format!("{name}: {e}"))?;
        let krilla = Font::new(bytes.into(), 0).ok_or_else(|| format!("{name}: krilla rejected font"))?;
        let upem = font.metrics(Size::unscaled(), LocationRef::default()).units_per_em as f32;
        Ok(Face {
            krilla,
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            upem,
            cache: vec![(u32::MAX, 0.0); CACHE_LEN],
        })
    }

    fn lookup(&self, c: char) -> (u32, f32) {
        match self.charmap.map(c) {
            Some(g) if g.to_u32() != 0 => (g.to_u32(), self.metrics.advance_width(g).unwrap_or(0.0) / self.upem),
            _ => (0, 0.0),
        }
    }

    /// Glyph id and advance (em) of `c`; id 0 means "not in the font".
    fn glyph(&mut self, c: char) -> (u32, f32) {
        let i = c as usize;
        if i < CACHE_LEN {
            if self.cache[i].0 == u32::MAX {
                self.cache[i] = self.lookup(c);
            }
            self.cache[i]
        } else {
            self.lookup(c)
        }
    }

    /// Normalise text for this font: tabs become spaces, other control
    /// characters are dropped, characters the font lacks become U+FFFD
    /// (or '?' if even that is missing), so no .notdef glyph is ever drawn.
    fn sanitize(&mut self, text: &str, keep_newlines: bool) -> String {
        let fallback = if self.glyph(REPLACEMENT).0 != 0 {
            REPLACEMENT
        } else {
            '?'
        };
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\n' if keep_newlines => out.push('\n'),
                '\t' | '\n' | '\r' => out.push(' '),
                c if c.is_control() => {}
                c if self.glyph(c).0 == 0 => out.push(fallback),
                c => out.push(c),
            }
        }
        out
    }

    fn width(&mut self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }
}

/// A positioned line of text (baseline at `y`, krilla's origin is top-left).
struct Line {
    text: String,
    style: Style,
    x: f32,
    y: f32,
}

/// Greedy page/line layout.
struct Layout<'a> {
    regular: &'a mut Face,
    bold: &'a mut Face,
    pages: Vec<Vec<Line>>,
    y: f32, // top of the next line box
}

impl Layout<'_> {
    fn face(&mut self, st: Style) -> &mut Face {
        if st.bold {
            self.bold
        } else {
            self.regular
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn page_is_empty(&self) -> bool {
        self.pages.last().is_none_or(|p| p.is_empty())
    }

    fn push_line(&mut self, text: String, st: Style, centered: bool) {
        if self.y + st.line_height > PAGE_H - MARGIN && !self.page_is_empty() {
            self.new_page();
        }
        let x = if centered {
            let w = self.face(st).width(&text, st.size);
            MARGIN + ((CONTENT_W - w) / 2.0).max(0.0)
        } else {
            MARGIN
        };
        let y = self.y + st.size * 0.93; // DejaVu ascender ≈ 0.93 em
        self.y += st.line_height;
        self.pages
            .last_mut()
            .expect("page")
            .push(Line { text, style: st, x, y });
    }

    /// Word-wrap `text` (spaces are the only break points; U+00A0/U+202F glue).
    /// A word wider than the line is broken between characters.
    fn paragraph(&mut self, text: &str, st: Style, centered: bool) {
        let text = self.face(st).sanitize(text, false);
        let max = CONTENT_W;
        let space = self.face(st).glyph(' ').1 * st.size;
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let w = self.face(st).width(word, st.size);
            if !line.is_empty() && line_w + space + w <= max {
                line.push(' ');
                line.push_str(word);
                line_w += space + w;
                continue;
            }
            if !line.is_empty() {
                self.push_line(std::mem::take(&mut line), st, centered);
            }
            if w <= max {
                line.push_str(word);
                line_w = w;
            } else {
                line_w = self.break_chars(word, st, centered, &mut line);
            }
        }
        if !line.is_empty() {
            self.push_line(line, st, centered);
        }
    }

    /// Emit full lines of `word` broken by characters; the remainder is left
    /// in `rest` (returns its width).
    fn break_chars(&mut self, word: &str, st: Style, centered: bool, rest: &mut String) -> f32 {
        let mut w = 0.0;
        for c in word.chars() {
            let cw = self.face(st).glyph(c).1 * st.size;
            if w + cw > CONTENT_W && !rest.is_empty() {
                self.push_line(std::mem::take(rest), st, centered);
                w = 0.0;
            }
            rest.push(c);
            w += cw;
        }
        w
    }

    /// Verbatim lines, broken by characters only.
    fn preformatted(&mut self, text: &str, st: Style) {
        let text = self.face(st).sanitize(text, true);
        for src in text.split('\n') {
            let mut line = String::new();
            self.break_chars(src, st, false, &mut line);
            self.push_line(line, st, false); // empty lines keep their height
        }
    }

    fn block(&mut self, text: &str, st: Style, centered: bool, keep_with_next: bool) {
        if !self.page_is_empty() {
            self.y += st.before;
        }
        // Avoid a heading alone at the bottom of a page: need room for 2 body lines.
        let need = st.line_height + if keep_with_next { 2.0 * BODY.line_height } else { 0.0 };
        if self.y + need > PAGE_H - MARGIN && !self.page_is_empty() {
            self.new_page();
        }
        if st == PRE {
            self.preformatted(text, st);
        } else {
            self.paragraph(text, st, centered);
        }
        self.y += st.after;
    }
}

fn lay_out(doc: &Document, regular: &mut Face, bold: &mut Face) -> Vec<Vec<Line>> {
    let mut l = Layout {
        regular,
        bold,
        pages: Vec::new(),
        y: MARGIN,
    };
    l.new_page();
    for b in &doc.blocks {
        match b {
            Block::Title(t) => l.block(t, TITLE, true, true),
            Block::Heading { level, text } => {
                let st = match level {
                    0 | 1 => H1,
                    2 => H2,
                    _ => H3,
                };
                l.block(text, st, false, true)
            }
            Block::Paragraph(t) => l.block(t, BODY, false, false),
            Block::Meta(t) => l.block(t, META, false, false),
            Block::Preformatted(t) => l.block(t, PRE, false, false),
            Block::PageBreak => {
                if !l.page_is_empty() {
                    l.new_page();
                }
            }
        }
    }
    l.pages
}

fn fill(grey: bool) -> Fill {
    let c = if grey {
        rgb::Color::new(110, 110, 110)
    } else {
        rgb::Color::new(0, 0, 0)
    };
    Fill {
        paint: c.into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

static REGULAR_FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD_FONT: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// [`render`] with the embedded DejaVu Sans.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, String> {
    render(doc, REGULAR_FONT, BOLD_FONT)
}

/// Render `doc` as an A4 PDF/A-2b file. `regular` and `bold` are TrueType/OpenType
/// font files (e.g. `include_bytes!("DejaVuSans.ttf")`); they are subset and embedded.
pub fn render(doc: &Document, regular: &'static [u8], bold: &'static [u8]) -> Result<Vec<u8>, String> {
    let mut reg = Face::new(regular, "regular font")?;
    let mut bld = Face::new(bold, "bold font")?;
    let pages = lay_out(doc, &mut reg, &mut bld);

    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| format!("pdf configuration: {e:?}"))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: false,
        ..Default::default()
    };
    let mut pdf = krilla::Document::new_with(settings);
    let mut meta = Metadata::new()
        .title(doc.title.clone())
        .language(doc.language.clone())
        .producer("JeSaisFaire (krilla)".to_string());
    if let Some(t) = doc.created {
        meta = meta.creation_date(
            DateTime::new(t.year)
                .month(t.month)
                .day(t.day)
                .hour(t.hour)
                .minute(t.minute)
                .second(t.second)
                .utc_offset_hour(0)
                .utc_offset_minute(0),
        );
    }
    pdf.set_metadata(meta);

    let page_settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("bad page size")?;
    let mut glyphs: Vec<KrillaGlyph> = Vec::new();
    for (n, lines) in pages.iter().enumerate() {
        let footer = format!("Page {}", n + 1);
        let fw = reg.width(&footer, FOOTER.size);
        let footer_line = Line {
            text: footer,
            style: FOOTER,
            x: (PAGE_W - fw) / 2.0,
            y: FOOTER_BASELINE,
        };

        let mut page = pdf.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        let mut grey = None;
        for line in lines.iter().chain(std::iter::once(&footer_line)) {
            if line.text.is_empty() {
                continue;
            }
            if grey != Some(line.style.grey) {
                grey = Some(line.style.grey);
                surface.set_fill(Some(fill(line.style.grey)));
            }
            let face = if line.style.bold { &mut bld } else { &mut reg };
            glyphs.clear();
            for (i, c) in line.text.char_indices() {
                let (id, adv) = face.glyph(c);
                glyphs.push(KrillaGlyph {
                    glyph_id: GlyphId::new(id),
                    text_range: i..i + c.len_utf8(),
                    x_advance: adv,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    y_advance: 0.0,
                    location: None,
                });
            }
            surface.draw_glyphs(
                Point::from_xy(line.x, line.y),
                &glyphs,
                face.krilla.clone(),
                &line.text,
                line.style.size,
                false,
            );
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| format!("pdf export: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGULAR: &[u8] = REGULAR_FONT;
    const BOLD: &[u8] = BOLD_FONT;

    #[test]
    fn renders_small_document_and_text_comes_back() {
        let para = "L’œuvre « complète » coûte 12\u{A0}€ ; déjà réglé\u{202F}!";
        let doc = Document {
            title: "Essai".into(),
            language: "fr".into(),
            created: Some(Timestamp {
                year: 2026,
                month: 12,
                day: 4,
                hour: 10,
                minute: 0,
                second: 0,
            }),
            blocks: vec![
                Block::Title("Contrat de prestation".into()),
                Block::Heading {
                    level: 2,
                    text: "Article 1 — Objet".into(),
                },
                Block::Paragraph(para.into()),
                Block::Meta("Généré le 4 décembre 2026".into()),
                Block::Preformatted("a".repeat(200)),
                Block::Paragraph("Caractère absent : \u{10FFFD} 中 fin.".into()),
                Block::PageBreak,
                Block::Paragraph("Seconde page.".into()),
            ],
        };
        let bytes = render(&doc, REGULAR, BOLD).expect("render");
        assert!(bytes.starts_with(b"%PDF-"));

        let dir = std::env::temp_dir().join(format!("pdf_rs_test_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("t.pdf");
        std::fs::write(&file, &bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&file)
            .arg("-")
            .output();
        let _ = std::fs::remove_dir_all(&dir);
        let out = out.expect("pdftotext (poppler-utils, see scripts/install-tools.sh) reads the PDF back");
        // poppler turns every Unicode space (U+00A0, U+202F...) into ' ' on
        // extraction, although the PDF's ToUnicode map has the exact code points.
        let nbsp = |s: &str| s.replace(['\u{A0}', '\u{202F}'], " ");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(&nbsp(para)), "{text}");
        assert!(text.contains("Article 1 — Objet"), "{text}");
        assert!(text.contains("Page 2"), "{text}");
        assert!(text.contains("Caractère absent : \u{FFFD} \u{FFFD} fin."), "{text}");
    }
}
