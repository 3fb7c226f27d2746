//! Word files in and out: a `.docx` or `.odt` draft imported as the Markdown of a specification,
//! a version exported as `.docx`, and a comparison of two versions exported as a `.docx` whose
//! every change is a real tracked change (`w:ins` / `w:del`).
//!
//! Both directions go through one small document model ([`Block`], [`Inline`]): importing reads
//! a package into blocks then writes Markdown; exporting parses Markdown into blocks (per clause)
//! then writes WordprocessingML. What the model cannot hold (images, text boxes, comments,
//! headers and footers, equations) is counted as a [`Loss`] and shown to the buyer before the
//! import replaces the draft.
//!
//! Server only (`ssr`): the ZIP and XML readers stay out of the browser's bundle, and a file of
//! up to 10 MB is better bounded on the server (one place for the limits, a few at a time) than
//! in a tab. The command line (`jesaisfaire import`, `jesaisfaire export`) uses the same code.

use std::fmt;

mod docx_in;
mod docx_out;
mod markdown_in;
mod markdown_out;
mod odt_in;
mod package;
#[cfg(test)]
mod tests;

pub use docx_out::{comparison_docx, version_docx, Cover, Side};

/// Largest Word file accepted, in bytes.
pub use crate::domain::spec::MAX_WORD_FILE_BYTES as MAX_FILE_BYTES;

/// Media type of a `.docx` file.
pub const DOCX_MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// What an import gives: the Markdown of the draft and what could not be carried into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub markdown: String,
    pub losses: Vec<Loss>,
}

/// Something of the file that the Markdown cannot hold, and how many times it occurred.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loss {
    pub kind: LossKind,
    pub count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LossKind {
    Image,
    TextBox,
    Comment,
    HeaderFooter,
    Equation,
    /// Tracked changes in the imported file: insertions kept, deletions dropped.
    TrackedChange,
    /// A table inside a table cell: its text is kept in the cell, not its grid.
    NestedTable,
}

impl LossKind {
    /// Stable code (command line, tests).
    pub fn code(self) -> &'static str {
        match self {
            LossKind::Image => "image",
            LossKind::TextBox => "text_box",
            LossKind::Comment => "comment",
            LossKind::HeaderFooter => "header_footer",
            LossKind::Equation => "equation",
            LossKind::TrackedChange => "tracked_change",
            LossKind::NestedTable => "nested_table",
        }
    }
}

impl Loss {
    /// What the buyer reads before confirming the import.
    pub fn message_fr(&self) -> String {
        let n = self.count;
        let plural = if n > 1 { "s" } else { "" };
        match self.kind {
            LossKind::Image => format!("{n} image{plural} ou graphique{plural} non repris (le texte ne garde que le texte)"),
            LossKind::TextBox => format!("{n} zone{plural} de texte non reprise{plural} : recopiez leur contenu dans le texte si nécessaire"),
            LossKind::Comment => format!("{n} commentaire{plural} non repris"),
            LossKind::HeaderFooter => "En-têtes et pieds de page non repris (la mise en page, les polices et les marges ne le sont jamais)".to_owned(),
            LossKind::Equation => format!("{n} équation{plural} non reprise{plural}"),
            LossKind::TrackedChange => format!("{n} modification{plural} suivie{plural} en cours : les insertions sont gardées, les suppressions appliquées"),
            LossKind::NestedTable => format!("{n} tableau{} imbriqué{plural} dans une cellule : seul son texte est gardé", if n > 1 { "x" } else { "" }),
        }
    }
}

/// Why a file could not be imported; the message says what to do. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WordError {
    TooLarge(usize),
    NotAWordFile,
    Protected,
    Corrupt(String),
    TooComplex,
    Empty,
    /// The Markdown it gives breaks the specification's limits (size, clauses).
    Limits(String),
}

impl fmt::Display for WordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WordError::TooLarge(size) => write!(
                f,
                "Le fichier fait {:.1} Mo : le maximum est de 10 Mo. Enregistrez-le sans les images, ou scindez-le.",
                *size as f64 / (1024.0 * 1024.0)
            ),
            WordError::NotAWordFile => f.write_str(
                "Ce fichier n'est ni un document Word (.docx) ni un document OpenDocument (.odt). Les anciens fichiers .doc sont à enregistrer au format .docx depuis Word ou LibreOffice.",
            ),
            WordError::Protected => f.write_str(
                "Ce document est protégé par un mot de passe (ou chiffré) : enregistrez-en une copie sans mot de passe, puis importez-la.",
            ),
            WordError::Corrupt(part) => write!(
                f,
                "Ce document est endommagé ({part}) : ouvrez-le dans Word ou LibreOffice, enregistrez-le de nouveau, puis importez-le.",
            ),
            WordError::TooComplex => f.write_str(
                "Ce document est trop volumineux une fois décompressé : le texte d'un CCTP y tient largement, le reste (images, objets) non. Enregistrez-le sans les images, ou scindez-le.",
            ),
            WordError::Empty => f.write_str("Ce document ne contient aucun texte à importer."),
            WordError::Limits(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for WordError {}

/// The formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Docx,
    Odt,
}

/// Reads a `.docx` or `.odt` file (recognised by its content, not its name) into Markdown.
pub fn import(bytes: &[u8]) -> Result<Imported, WordError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(WordError::TooLarge(bytes.len()));
    }
    let mut package = package::Package::open(bytes)?;
    let mut document = match package.format()? {
        Format::Docx => docx_in::read(&mut package)?,
        Format::Odt => odt_in::read(&mut package)?,
    };
    if document.blocks.iter().all(Block::is_blank) {
        return Err(WordError::Empty);
    }
    let markdown = markdown_out::write(&document);
    crate::domain::spec::check_limits(&markdown).map_err(|e| WordError::Limits(e.to_string()))?;
    document.losses.sort_by_key(|l| l.kind);
    Ok(Imported {
        markdown,
        losses: document.losses,
    })
}

/// Formatting of a run of text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Style {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
    /// An external link (http, https, mailto only).
    pub link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Inline {
    Text(String, Style),
    /// A line break inside a paragraph.
    Break,
    /// A footnote reference: the index of its body in `Document::notes`.
    Note(usize),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) enum ParagraphKind {
    #[default]
    Body,
    Quote,
    Code,
    /// The cover page of an export.
    Title,
    Subtitle,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Block {
    /// `id`: the clause id (export) or a bookmark found on the heading (import).
    Heading {
        level: u8,
        inlines: Vec<Inline>,
        id: Option<String>,
    },
    Paragraph {
        kind: ParagraphKind,
        inlines: Vec<Inline>,
    },
    /// A list item; `list` tells apart consecutive lists (numbering restarts), `depth` from 0.
    Item {
        ordered: bool,
        depth: u8,
        list: u32,
        inlines: Vec<Inline>,
    },
    /// Rows of cells; the first row is the header.
    Table {
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Rule,
}

impl Block {
    fn is_blank(&self) -> bool {
        match self {
            Block::Heading { inlines, .. } | Block::Paragraph { inlines, .. } | Block::Item { inlines, .. } => {
                plain_text(inlines).trim().is_empty()
            }
            Block::Table { rows } => rows.iter().flatten().all(|c| plain_text(c).trim().is_empty()),
            Block::Rule => true,
        }
    }
}

/// A document in the model: blocks in order, footnote bodies, and what was lost on the way in.
#[derive(Clone, Debug, Default)]
pub(crate) struct Document {
    pub blocks: Vec<Block>,
    pub notes: Vec<Vec<Inline>>,
    pub losses: Vec<Loss>,
}

impl Document {
    pub(crate) fn lose(&mut self, kind: LossKind) {
        match self.losses.iter_mut().find(|l| l.kind == kind) {
            Some(loss) => loss.count += 1,
            None => self.losses.push(Loss { kind, count: 1 }),
        }
    }
}

/// Appends a paragraph to what holds several (a table cell, a footnote, a list item): blank
/// paragraphs are skipped (one holding only a footnote is not blank), the others are separated
/// by a line break.
pub(crate) fn append_paragraph(into: &mut Vec<Inline>, paragraph: Vec<Inline>) {
    let blank = plain_text(&paragraph).trim().is_empty() && !paragraph.iter().any(|i| matches!(i, Inline::Note(_)));
    if blank {
        return;
    }
    if !into.is_empty() {
        into.push(Inline::Break);
    }
    into.extend(paragraph);
}

/// A style's property, else its parent's, and so on (bounded: a loop of styles ends). Word's
/// `basedOn` and OpenDocument's `parent-style-name` work the same way.
pub(crate) fn inherited<S, T>(
    styles: &std::collections::HashMap<String, S>,
    start: &str,
    parent: impl Fn(&S) -> Option<&String>,
    get: impl Fn(&S) -> Option<T>,
) -> Option<T> {
    let mut current = styles.get(start);
    for _ in 0..20 {
        let style = current?;
        if let Some(value) = get(style) {
            return Some(value);
        }
        current = styles.get(parent(style)?);
    }
    None
}

/// The text of inlines, formatting dropped (breaks as spaces, notes as nothing).
pub(crate) fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(text, _) => out.push_str(text),
            Inline::Break => out.push(' '),
            Inline::Note(_) => {}
        }
    }
    out
}

/// Appends text to inlines, merging it into the previous run when the formatting is the same.
pub(crate) fn push_text(inlines: &mut Vec<Inline>, text: &str, style: &Style) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text(last, last_style)) = inlines.last_mut() {
        if last_style == style {
            last.push_str(text);
            return;
        }
    }
    inlines.push(Inline::Text(text.to_owned(), style.clone()));
}

/// The kind of a body paragraph from its style's name: quotations (« Quote », « Citation »,
/// LibreOffice's « Quotations ») stay quotations.
pub(crate) fn paragraph_kind_of_style_name(name: &str) -> Option<ParagraphKind> {
    let name = name.to_lowercase();
    (name.contains("quot") || name.contains("citation")).then_some(ParagraphKind::Quote)
}

/// Heading levels of Word's and LibreOffice's built-in heading styles, by name, in the languages
/// their users write French specifications in (and their neighbours'): `Heading 1`, `Titre 1`,
/// `Überschrift 1`, `Titolo 1`, `Título 1`, `Kop 1`, and Word's internal ids (`Titre1`).
pub(crate) fn heading_level_of_style_name(name: &str) -> Option<u8> {
    let name = name.trim().to_lowercase().replace(['_', '-'], " ").replace(" 20 ", " ");
    let digits_at = name.find(|c: char| c.is_ascii_digit())?;
    let (word, number) = name.split_at(digits_at);
    let level: u8 = number.trim().parse().ok()?;
    let word = word.trim();
    let known = [
        "heading",
        "titre",
        "überschrift",
        "uberschrift",
        "titolo",
        "título",
        "titulo",
        "kop",
        "nagłówek",
        "rubrik",
    ];
    (known.contains(&word) && (1..=6).contains(&level)).then_some(level)
}

/// A clause heading written as a plain paragraph: « Article 3 – Objet », « ARTICLE 4 : Durée »,
/// « Article 3.2 Modalités », « CHAPITRE II – Prestations ». Its level: 1 for chapters and parts,
/// 2 for an article, one more per dotted sub-number. Long paragraphs and sentences are not
/// headings (« Article 3 : le titulaire s'engage à… » ends with a full stop).
pub(crate) fn numbered_heading_level(text: &str) -> Option<u8> {
    let text = text.trim();
    if text.chars().count() > 150 || text.ends_with(['.', ';', ',', ':']) && !text.ends_with("...") {
        return None;
    }
    let mut words = text.split_whitespace();
    let keyword = words.next()?.to_lowercase();
    let number = words.next()?;
    let number = number.trim_end_matches(['.', ':', '-', '–', '—']);
    let level = match keyword.as_str() {
        "article" | "art." => 2,
        "chapitre" | "titre" | "partie" => 1,
        _ => return None,
    };
    let arabic = !number.is_empty()
        && number
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && number.chars().next().is_some_and(|c| c.is_ascii_digit());
    let roman = !number.is_empty() && number.chars().all(|c| "IVXLCivxlc".contains(c));
    let premier = matches!(number.to_lowercase().as_str(), "premier" | "1er" | "unique");
    if !(arabic || roman || premier) {
        return None;
    }
    let depth = if arabic { number.matches('.').count() as u8 } else { 0 };
    Some((level + depth).min(6))
}
