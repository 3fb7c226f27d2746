//! A version written as a `.docx`, and a comparison of two versions written as the `.docx` of the
//! new one where every change from the old one is a tracked change.
//!
//! Clause headings use Word's built-in heading styles (`heading 1`…, so the navigation pane and
//! the table of contents work) and carry their clause id as a bookmark (an import gives the ids
//! back). The comparison aligns clauses by id (a moved clause is deleted where it was and
//! inserted where it is), then blocks inside a clause, then words inside a changed paragraph
//! with the diff engine's French tokens. Accepting every revision gives the new version's
//! document, rejecting every revision the old one's: cover included, whose lines differ by the
//! version's number and date.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp};

use super::markdown_in::{self, Section};
use super::{package, Block, Inline, ParagraphKind, Style};
use crate::domain::diff::tokens;
use crate::domain::spec::Specification;

/// The first page of an export: the consultation's title, then a few lines (buyer, version,
/// date of publication).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cover {
    pub title: String,
    pub lines: Vec<String>,
}

/// Time allowed to the word diffs of one comparison; past it, changed blocks are shown as
/// wholly deleted and inserted (still exact, only coarser).
const DIFF_BUDGET: Duration = Duration::from_secs(3);

const AUTHOR: &str = "JeSaisFaire";

/// The cover page is a content control that Word files as a cover page, tagged so that an
/// import leaves it out (the specification's text starts after it).
pub(crate) const COVER_TAG: &str = "jesaisfaire-couverture";
const COVER_OPEN: &str = r#"<w:sdt><w:sdtPr><w:tag w:val="jesaisfaire-couverture"/><w:docPartObj><w:docPartGallery w:val="Cover Pages"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>"#;
const COVER_CLOSE: &str = "</w:sdtContent></w:sdt>";

/// A version as a `.docx`; `spec` is its parse (with the ids fixed at publication).
pub fn version_docx(markdown: &str, spec: &Specification, cover: &Cover) -> Vec<u8> {
    let parsed = markdown_in::read(markdown, spec);
    let mut writer = Writer::new(String::new());
    let side = Which::New;
    writer.notes_of[side as usize] = parsed.notes;
    writer.body.push_str(COVER_OPEN);
    for block in cover_blocks(cover) {
        writer.block(&block, side, Change::None);
    }
    writer.page_break();
    writer.body.push_str(COVER_CLOSE);
    for section in &parsed.sections {
        for block in &section.blocks {
            writer.block(block, side, Change::None);
        }
    }
    writer.finish(&cover.title)
}

/// One side of a comparison: the text, its parse, its cover.
pub struct Side<'a> {
    pub markdown: &'a str,
    pub spec: &'a Specification,
    pub cover: &'a Cover,
}

/// The comparison of `old` to `new` as the `.docx` of `new` with tracked changes dated `at`
/// (RFC 3339, the publication of the new version). Clauses are paired by id: published versions
/// share them; for two raw files, run `spec::carry_ids` first.
pub fn comparison_docx(old: Side<'_>, new: Side<'_>, at: &str) -> Vec<u8> {
    let (old_cover, new_cover) = (old.cover, new.cover);
    let old_parsed = markdown_in::read(old.markdown, old.spec);
    let new_parsed = markdown_in::read(new.markdown, new.spec);
    let mut writer = Writer::new(at.to_owned());
    writer.notes_of = [old_parsed.notes, new_parsed.notes];
    let deadline = Instant::now() + DIFF_BUDGET;
    writer.body.push_str(COVER_OPEN);
    writer.blocks_diff(&cover_blocks(old_cover), &cover_blocks(new_cover), deadline);
    writer.page_break();
    writer.body.push_str(COVER_CLOSE);
    let (old_sections, new_sections) = (&old_parsed.sections, &new_parsed.sections);
    // The preambles, then the clauses aligned by id.
    writer.blocks_diff(&old_sections[0].blocks, &new_sections[0].blocks, deadline);
    let old_ids: Vec<&str> = old_sections[1..]
        .iter()
        .map(|s| s.id.as_deref().unwrap_or(""))
        .collect();
    let new_ids: Vec<&str> = new_sections[1..]
        .iter()
        .map(|s| s.id.as_deref().unwrap_or(""))
        .collect();
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old_ids, &new_ids, Some(deadline));
    for op in ops {
        let (_, old_range, new_range) = op.as_tag_tuple();
        match op {
            DiffOp::Equal { .. } => {
                for (o, n) in old_range.zip(new_range) {
                    writer.blocks_diff(&old_sections[o + 1].blocks, &new_sections[n + 1].blocks, deadline);
                }
            }
            _ => {
                for o in old_range {
                    whole_section(&mut writer, &old_sections[o + 1], Which::Old, Change::Deleted);
                }
                for n in new_range {
                    whole_section(&mut writer, &new_sections[n + 1], Which::New, Change::Inserted);
                }
            }
        }
    }
    writer.finish(&new_cover.title)
}

fn whole_section(writer: &mut Writer, section: &Section, side: Which, change: Change) {
    for block in &section.blocks {
        writer.block(block, side, change);
    }
}

fn cover_blocks(cover: &Cover) -> Vec<Block> {
    let paragraph = |kind, text: &str| {
        let mut inlines = Vec::new();
        super::push_text(&mut inlines, text, &Style::default());
        Block::Paragraph { kind, inlines }
    };
    std::iter::once(paragraph(ParagraphKind::Title, &cover.title))
        .chain(cover.lines.iter().map(|l| paragraph(ParagraphKind::Subtitle, l)))
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Which {
    Old = 0,
    New = 1,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Change {
    None,
    Inserted,
    Deleted,
}

/// One piece of a paragraph after the word diff, with its source side (for footnotes).
struct Piece<'a> {
    inline: &'a Inline,
    text: Option<&'a str>,
    change: Change,
    side: Which,
}

struct Writer {
    body: String,
    footnotes: String,
    next_footnote: u32,
    notes_of: [Vec<Vec<Inline>>; 2],
    links: Vec<String>,
    link_ids: HashMap<String, usize>,
    /// `w:num` instances: whether ordered; one per list (numbering restarts).
    nums: Vec<bool>,
    num_of_list: HashMap<(Which, u32), usize>,
    /// Annotation ids (revisions and bookmarks share one space).
    next_id: u32,
    /// Date of the revisions (empty: no revision is written).
    at: String,
}

/// Text for XML: escaped as for HTML, without the characters XML 1.0 cannot hold at all (and
/// line breaks as spaces: a break is an element of its own).
fn escape(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect();
    crate::domain::format::escape_html(&cleaned)
}

impl Writer {
    fn new(at: String) -> Writer {
        Writer {
            body: String::new(),
            footnotes: String::new(),
            next_footnote: 1,
            notes_of: [Vec::new(), Vec::new()],
            links: Vec::new(),
            link_ids: HashMap::new(),
            nums: Vec::new(),
            num_of_list: HashMap::new(),
            next_id: 1,
            at,
        }
    }

    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    fn revision(&mut self, tag: &str) -> String {
        let id = self.id();
        format!(
            r#"<w:{tag} w:id="{id}" w:author="{AUTHOR}" w:date="{}">"#,
            escape(&self.at)
        )
    }

    /// `<w:rPr>` content that marks a paragraph's mark (or a row) as inserted or deleted.
    fn mark(&mut self, change: Change) -> String {
        match change {
            Change::None => String::new(),
            Change::Inserted => self.revision("ins").replace('>', "/>"),
            Change::Deleted => self.revision("del").replace('>', "/>"),
        }
    }

    fn page_break(&mut self) {
        self.body.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
    }

    fn link_id(&mut self, url: &str) -> usize {
        if let Some(id) = self.link_ids.get(url) {
            return *id;
        }
        self.links.push(url.to_owned());
        let id = self.links.len();
        self.link_ids.insert(url.to_owned(), id);
        id
    }

    /// Paragraph properties of a block (style, list numbering) without the mark.
    fn paragraph_properties(&mut self, block: &Block, side: Which) -> String {
        match block {
            Block::Heading { level, .. } => format!(r#"<w:pStyle w:val="Heading{}"/>"#, level.clamp(&1, &6)),
            Block::Paragraph { kind, .. } => match kind {
                ParagraphKind::Body => String::new(),
                ParagraphKind::Quote => r#"<w:pStyle w:val="Quote"/>"#.into(),
                ParagraphKind::Code => r#"<w:pStyle w:val="SourceCode"/>"#.into(),
                ParagraphKind::Title => r#"<w:pStyle w:val="Title"/>"#.into(),
                ParagraphKind::Subtitle => r#"<w:pStyle w:val="Subtitle"/>"#.into(),
            },
            Block::Item {
                ordered, depth, list, ..
            } => {
                let num = match self.num_of_list.get(&(side, *list)) {
                    Some(n) => *n,
                    None => {
                        self.nums.push(*ordered);
                        let n = self.nums.len();
                        self.num_of_list.insert((side, *list), n);
                        n
                    }
                };
                format!(
                    r#"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="{}"/><w:numId w:val="{num}"/></w:numPr>"#,
                    depth.min(&8)
                )
            }
            Block::Rule => r#"<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>"#.into(),
            Block::Table { .. } => String::new(),
        }
    }

    fn open_paragraph(&mut self, properties: &str, change: Change) {
        let mark = self.mark(change);
        let mark = if mark.is_empty() {
            String::new()
        } else {
            format!("<w:rPr>{mark}</w:rPr>")
        };
        if properties.is_empty() && mark.is_empty() {
            self.body.push_str("<w:p>");
        } else {
            let _ = write!(self.body, "<w:p><w:pPr>{properties}{mark}</w:pPr>");
        }
    }

    /// A whole block, unchanged, inserted or deleted.
    fn block(&mut self, block: &Block, side: Which, change: Change) {
        match block {
            Block::Table { rows } => {
                let rows: Vec<(&Vec<Vec<Inline>>, Which, Change, bool)> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r, side, change, i == 0))
                    .collect();
                self.table(&rows);
            }
            Block::Heading { inlines, id, .. } => {
                let properties = self.paragraph_properties(block, side);
                self.open_paragraph(&properties, change);
                let bookmark = id.as_ref().map(|id| (self.id(), id));
                if let Some((b, name)) = &bookmark {
                    let _ = write!(self.body, r#"<w:bookmarkStart w:id="{b}" w:name="{}"/>"#, escape(name));
                }
                let pieces = whole(inlines, side, change);
                let runs = self.runs(&pieces, &Style::default());
                self.body.push_str(&runs);
                if let Some((b, _)) = bookmark {
                    let _ = write!(self.body, r#"<w:bookmarkEnd w:id="{b}"/>"#);
                }
                self.body.push_str("</w:p>");
            }
            Block::Paragraph { inlines, .. } | Block::Item { inlines, .. } => {
                let properties = self.paragraph_properties(block, side);
                self.open_paragraph(&properties, change);
                let pieces = whole(inlines, side, change);
                let runs = self.runs(&pieces, &Style::default());
                self.body.push_str(&runs);
                self.body.push_str("</w:p>");
            }
            Block::Rule => {
                let properties = self.paragraph_properties(block, side);
                self.open_paragraph(&properties, change);
                self.body.push_str("</w:p>");
            }
        }
    }

    /// A table of rows, each from its side and with its own change (rows are tracked as rows).
    fn table(&mut self, rows: &[(&Vec<Vec<Inline>>, Which, Change, bool)]) {
        let columns = rows.iter().map(|(r, ..)| r.len()).max().unwrap_or(1).max(1);
        let width = 9000 / columns;
        self.body.push_str(r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#);
        for _ in 0..columns {
            let _ = write!(self.body, r#"<w:gridCol w:w="{width}"/>"#);
        }
        self.body.push_str("</w:tblGrid>");
        let empty = Vec::new();
        for (cells, side, change, header) in rows {
            let mark = self.mark(*change);
            let header_mark = if *header { "<w:tblHeader/>" } else { "" };
            if mark.is_empty() && header_mark.is_empty() {
                self.body.push_str("<w:tr>");
            } else {
                let _ = write!(self.body, "<w:tr><w:trPr>{header_mark}{mark}</w:trPr>");
            }
            // The header row is bold by the table style (its text keeps its own formatting).
            let style = Style::default();
            for c in 0..columns {
                let cell = cells.get(c).unwrap_or(&empty);
                let _ = write!(
                    self.body,
                    r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>"#
                );
                let pieces = whole(cell, *side, *change);
                let runs = self.runs(&pieces, &style);
                self.body.push_str(&runs);
                self.body.push_str("</w:p></w:tc>");
            }
            self.body.push_str("</w:tr>");
        }
        self.body.push_str("</w:tbl>");
    }

    /// Runs of pieces: consecutive pieces of the same change and formatting share a run; links
    /// wrap their runs; tracked pieces are wrapped in `w:ins` / `w:del`.
    fn runs(&mut self, pieces: &[Piece<'_>], base: &Style) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < pieces.len() {
            let piece = &pieces[i];
            let change = piece.change;
            let link = match piece.inline {
                Inline::Text(_, s) => s.link.clone(),
                _ => None,
            };
            // The longest stretch with the same change and link.
            let mut j = i + 1;
            while j < pieces.len()
                && pieces[j].change == change
                && matches!(pieces[j].inline, Inline::Text(_, s) if s.link == link)
                && matches!(piece.inline, Inline::Text(..))
            {
                j += 1;
            }
            let mut runs = String::new();
            let mut k = i;
            while k < j {
                match pieces[k].inline {
                    Inline::Text(_, style) => {
                        let mut text = String::new();
                        let mut m = k;
                        while m < j && matches!(pieces[m].inline, Inline::Text(_, s) if s == style) {
                            text.push_str(pieces[m].text.unwrap_or_default());
                            m += 1;
                        }
                        runs.push_str(&run(&text, style, base, change == Change::Deleted, link.is_some()));
                        k = m;
                    }
                    Inline::Break => {
                        runs.push_str("<w:r><w:br/></w:r>");
                        k += 1;
                    }
                    Inline::Note(index) => {
                        let id = self.footnote(pieces[k].side, *index);
                        let _ = write!(
                            runs,
                            r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>"#
                        );
                        k += 1;
                    }
                }
            }
            let runs = match change {
                Change::None => runs,
                Change::Inserted => format!("{}{runs}</w:ins>", self.revision("ins")),
                Change::Deleted => format!("{}{runs}</w:del>", self.revision("del")),
            };
            match link {
                Some(url) => {
                    let id = self.link_id(&url);
                    let _ = write!(
                        out,
                        r#"<w:hyperlink r:id="rIdLink{id}" w:history="1">{runs}</w:hyperlink>"#
                    );
                }
                None => out.push_str(&runs),
            }
            i = j;
        }
        out
    }

    /// Writes a footnote's body (once per reference) and gives its id.
    fn footnote(&mut self, side: Which, index: usize) -> u32 {
        let id = self.next_footnote;
        self.next_footnote += 1;
        let body = self.notes_of[side as usize].get(index).cloned().unwrap_or_default();
        let pieces = whole(&body, side, Change::None);
        // A footnote's own footnotes are not a thing: notes inside are dropped.
        let pieces: Vec<Piece<'_>> = pieces
            .into_iter()
            .filter(|p| !matches!(p.inline, Inline::Note(_)))
            .collect();
        let runs = self.runs(&pieces, &Style::default());
        let _ = write!(
            self.footnotes,
            r#"<w:footnote w:id="{id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>{runs}</w:p></w:footnote>"#
        );
        id
    }

    /// The blocks of one clause (or the preamble, or the cover) on both sides, diffed.
    fn blocks_diff(&mut self, old: &[Block], new: &[Block], deadline: Instant) {
        let old_keys: Vec<String> = old.iter().map(|b| self.key(b, Which::Old)).collect();
        let new_keys: Vec<String> = new.iter().map(|b| self.key(b, Which::New)).collect();
        if old_keys == new_keys {
            for block in new {
                self.block(block, Which::New, Change::None);
            }
            return;
        }
        let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old_keys, &new_keys, Some(deadline));
        let mut previous_was_table = false;
        for op in ops {
            let (_, old_range, new_range) = op.as_tag_tuple();
            if let DiffOp::Equal { .. } = op {
                for n in new_range {
                    self.separate_tables(&mut previous_was_table, &new[n]);
                    self.block(&new[n], Which::New, Change::None);
                }
                continue;
            }
            let (olds, news) = (&old[old_range], &new[new_range]);
            let paired = olds.len().min(news.len());
            for (o, n) in olds.iter().zip(news) {
                match (o, n) {
                    (Block::Table { rows: old_rows }, Block::Table { rows: new_rows }) => {
                        self.separate_tables(&mut previous_was_table, n);
                        self.table_diff(old_rows, new_rows, deadline);
                    }
                    _ if paragraph_like(o) && paragraph_like(n) => {
                        self.separate_tables(&mut previous_was_table, n);
                        self.paragraph_diff(o, n, deadline);
                    }
                    _ => {
                        self.separate_tables(&mut previous_was_table, o);
                        self.block(o, Which::Old, Change::Deleted);
                        self.separate_tables(&mut previous_was_table, n);
                        self.block(n, Which::New, Change::Inserted);
                    }
                }
            }
            for o in &olds[paired..] {
                self.separate_tables(&mut previous_was_table, o);
                self.block(o, Which::Old, Change::Deleted);
            }
            for n in &news[paired..] {
                self.separate_tables(&mut previous_was_table, n);
                self.block(n, Which::New, Change::Inserted);
            }
        }
    }

    /// Two tables in a row would merge into one in Word: an empty paragraph keeps them apart.
    fn separate_tables(&mut self, previous_was_table: &mut bool, next: &Block) {
        let is_table = matches!(next, Block::Table { .. });
        if *previous_was_table && is_table {
            self.body.push_str("<w:p/>");
        }
        *previous_was_table = is_table;
    }

    fn table_diff(&mut self, old: &[Vec<Vec<Inline>>], new: &[Vec<Vec<Inline>>], deadline: Instant) {
        let key = |side: Which, row: &Vec<Vec<Inline>>| {
            row.iter()
                .map(|c| self.inline_key(c, side))
                .collect::<Vec<_>>()
                .join("\u{1}")
        };
        let old_keys: Vec<String> = old.iter().map(|r| key(Which::Old, r)).collect();
        let new_keys: Vec<String> = new.iter().map(|r| key(Which::New, r)).collect();
        let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old_keys, &new_keys, Some(deadline));
        let mut rows = Vec::new();
        for op in ops {
            let (_, old_range, new_range) = op.as_tag_tuple();
            if let DiffOp::Equal { .. } = op {
                rows.extend(new_range.map(|n| (&new[n], Which::New, Change::None, n == 0)));
                continue;
            }
            rows.extend(old_range.map(|o| (&old[o], Which::Old, Change::Deleted, o == 0)));
            rows.extend(new_range.map(|n| (&new[n], Which::New, Change::Inserted, n == 0)));
        }
        self.table(&rows);
    }

    /// A paragraph on both sides: the new one's style, its words diffed.
    fn paragraph_diff(&mut self, old: &Block, new: &Block, deadline: Instant) {
        let (old_inlines, new_inlines) = (inlines_of(old), inlines_of(new));
        let old_tokens = self.tokens(old_inlines, Which::Old);
        let new_tokens = self.tokens(new_inlines, Which::New);
        let old_keys: Vec<&str> = old_tokens.iter().map(|t| t.1.as_str()).collect();
        let new_keys: Vec<&str> = new_tokens.iter().map(|t| t.1.as_str()).collect();
        let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old_keys, &new_keys, Some(deadline));
        let mut pieces = Vec::new();
        for op in ops {
            let (_, old_range, new_range) = op.as_tag_tuple();
            if let DiffOp::Equal { .. } = op {
                pieces.extend(new_range.map(|n| new_tokens[n].0.with(Change::None)));
                continue;
            }
            pieces.extend(old_range.map(|o| old_tokens[o].0.with(Change::Deleted)));
            pieces.extend(new_range.map(|n| new_tokens[n].0.with(Change::Inserted)));
        }
        let properties = self.paragraph_properties(new, Which::New);
        self.open_paragraph(&properties, Change::None);
        let bookmark = match new {
            Block::Heading { id: Some(id), .. } => Some((self.id(), id.clone())),
            _ => None,
        };
        if let Some((b, name)) = &bookmark {
            let _ = write!(self.body, r#"<w:bookmarkStart w:id="{b}" w:name="{}"/>"#, escape(name));
        }
        let runs = self.runs(&pieces, &Style::default());
        self.body.push_str(&runs);
        if let Some((b, _)) = bookmark {
            let _ = write!(self.body, r#"<w:bookmarkEnd w:id="{b}"/>"#);
        }
        self.body.push_str("</w:p>");
    }

    /// Word-level tokens of inlines with the key they are compared by (text and formatting; a
    /// footnote by its text).
    fn tokens<'a>(&self, inlines: &'a [Inline], side: Which) -> Vec<(Piece<'a>, String)> {
        let mut out = Vec::new();
        for inline in inlines {
            match inline {
                Inline::Text(text, style) => {
                    for token in tokens(text) {
                        let key = format!(
                            "{}{}{}{}{:?}\u{1}{token}",
                            style.bold as u8, style.italic as u8, style.strike as u8, style.code as u8, style.link
                        );
                        out.push((
                            Piece {
                                inline,
                                text: Some(token),
                                change: Change::None,
                                side,
                            },
                            key,
                        ));
                    }
                }
                Inline::Break => out.push((
                    Piece {
                        inline,
                        text: None,
                        change: Change::None,
                        side,
                    },
                    "\u{2}".into(),
                )),
                Inline::Note(_) => out.push((
                    Piece {
                        inline,
                        text: None,
                        change: Change::None,
                        side,
                    },
                    self.inline_key(std::slice::from_ref(inline), side),
                )),
            }
        }
        out
    }

    /// What two blocks are compared by: kind and text with formatting, footnotes by their text.
    fn key(&self, block: &Block, side: Which) -> String {
        match block {
            Block::Heading { level, inlines, .. } => format!("h{level}:{}", self.inline_key(inlines, side)),
            Block::Paragraph { kind, inlines } => format!("p{kind:?}:{}", self.inline_key(inlines, side)),
            Block::Item {
                ordered,
                depth,
                inlines,
                ..
            } => format!("i{ordered}{depth}:{}", self.inline_key(inlines, side)),
            Block::Table { rows } => {
                let cells: Vec<String> = rows.iter().flatten().map(|c| self.inline_key(c, side)).collect();
                format!("t{}:{}", rows.first().map_or(0, Vec::len), cells.join("\u{1}"))
            }
            Block::Rule => "r".into(),
        }
    }

    fn inline_key(&self, inlines: &[Inline], side: Which) -> String {
        let mut key = String::new();
        for inline in inlines {
            match inline {
                Inline::Text(text, style) => {
                    let _ = write!(
                        key,
                        "{}{}{}{}{:?}\u{3}{text}\u{3}",
                        style.bold as u8, style.italic as u8, style.strike as u8, style.code as u8, style.link
                    );
                }
                Inline::Break => key.push('\u{2}'),
                Inline::Note(index) => {
                    let body = self.notes_of[side as usize]
                        .get(*index)
                        .map(|n| super::plain_text(n))
                        .unwrap_or_default();
                    let _ = write!(key, "\u{4}{body}\u{4}");
                }
            }
        }
        key
    }

    fn finish(mut self, title: &str) -> Vec<u8> {
        // A last empty paragraph: a deleted last paragraph's mark has one to join.
        self.body.push_str("<w:p/>");
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
            self.body
        );
        let footnotes = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W}" xmlns:r="{R}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{}</w:footnotes>"#,
            self.footnotes
        );
        let mut rels = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rIdNumbering" Type="{REL}/numbering" Target="numbering.xml"/><Relationship Id="rIdFootnotes" Type="{REL}/footnotes" Target="footnotes.xml"/><Relationship Id="rIdSettings" Type="{REL}/settings" Target="settings.xml"/>"#
        );
        for (i, url) in self.links.iter().enumerate() {
            let _ = write!(
                rels,
                r#"<Relationship Id="rIdLink{}" Type="{REL}/hyperlink" Target="{}" TargetMode="External"/>"#,
                i + 1,
                escape(url)
            );
        }
        rels.push_str("</Relationships>");
        let core = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{AUTHOR}</dc:creator><dc:language>fr-FR</dc:language></cp:coreProperties>"#,
            escape(title)
        );
        package::write(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes().to_vec()),
            ("_rels/.rels", ROOT_RELS.as_bytes().to_vec()),
            ("docProps/core.xml", core.into_bytes()),
            ("word/document.xml", document.into_bytes()),
            ("word/_rels/document.xml.rels", rels.into_bytes()),
            ("word/styles.xml", STYLES.replace("{W}", W).into_bytes()),
            ("word/numbering.xml", numbering(&self.nums).into_bytes()),
            ("word/footnotes.xml", footnotes.into_bytes()),
            ("word/settings.xml", SETTINGS.replace("{W}", W).into_bytes()),
        ])
    }
}

fn paragraph_like(block: &Block) -> bool {
    matches!(
        block,
        Block::Heading { .. } | Block::Paragraph { .. } | Block::Item { .. }
    )
}

fn inlines_of(block: &Block) -> &[Inline] {
    match block {
        Block::Heading { inlines, .. } | Block::Paragraph { inlines, .. } | Block::Item { inlines, .. } => inlines,
        _ => &[],
    }
}

impl<'a> Piece<'a> {
    fn with(&self, change: Change) -> Piece<'a> {
        Piece {
            inline: self.inline,
            text: self.text,
            change,
            side: self.side,
        }
    }
}

/// Inlines as pieces, all with the same change.
fn whole(inlines: &[Inline], side: Which, change: Change) -> Vec<Piece<'_>> {
    inlines
        .iter()
        .map(|inline| Piece {
            inline,
            text: match inline {
                Inline::Text(text, _) => Some(text.as_str()),
                _ => None,
            },
            change,
            side,
        })
        .collect()
}

fn run(text: &str, style: &Style, base: &Style, deleted: bool, link: bool) -> String {
    let mut properties = String::new();
    if link {
        properties.push_str(r#"<w:rStyle w:val="Hyperlink"/>"#);
    }
    if style.code {
        properties.push_str(r#"<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>"#);
    }
    if style.bold || base.bold {
        properties.push_str("<w:b/>");
    }
    if style.italic || base.italic {
        properties.push_str("<w:i/>");
    }
    if style.strike {
        properties.push_str("<w:strike/>");
    }
    let properties = if properties.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{properties}</w:rPr>")
    };
    let tag = if deleted { "w:delText" } else { "w:t" };
    format!(
        r#"<w:r>{properties}<{tag} xml:space="preserve">{}</{tag}></w:r>"#,
        escape(text)
    )
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// Built-in styles under their built-in names (`heading 1`…): Word shows them in the user's
/// language and its navigation pane follows them.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="fr-FR" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="480"/></w:pPr><w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="160"/></w:pPr><w:rPr><w:color w:val="404040"/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="80"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="80"/><w:outlineLvl w:val="3"/></w:pPr><w:rPr><w:b/><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading5"><w:name w:val="heading 5"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val="4"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading6"><w:name w:val="heading 6"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val="5"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="60"/><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567" w:right="567"/></w:pPr><w:rPr><w:i/><w:color w:val="404040"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="SourceCode"><w:name w:val="Source Code"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E7ECF5"/></w:tcPr></w:tblStylePr></w:style>
</w:styles>"#;

/// Two abstract lists (bullets, numbers) and one instance per list, so that each numbered list
/// starts again at 1.
fn numbering(nums: &[bool]) -> String {
    let mut out = format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}">"#);
    for (abstract_id, ordered) in [(1, false), (2, true)] {
        let _ = write!(
            out,
            r#"<w:abstractNum w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="hybridMultilevel"/>"#
        );
        for level in 0..9 {
            let indent = 720 * (level + 1);
            let (format, text) = if ordered {
                (
                    ["decimal", "lowerLetter", "lowerRoman"][level % 3],
                    format!("%{}.", level + 1),
                )
            } else {
                ("bullet", ["•", "◦", "▪"][level % 3].to_owned())
            };
            let _ = write!(
                out,
                r#"<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr></w:lvl>"#
            );
        }
        out.push_str("</w:abstractNum>");
    }
    for (i, ordered) in nums.iter().enumerate() {
        let _ = write!(
            out,
            r#"<w:num w:numId="{}"><w:abstractNumId w:val="{}"/>"#,
            i + 1,
            if *ordered { 2 } else { 1 }
        );
        if *ordered {
            for level in 0..9 {
                let _ = write!(
                    out,
                    r#"<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride>"#
                );
            }
        }
        out.push_str("</w:num>");
    }
    out.push_str("</w:numbering>");
    out
}
