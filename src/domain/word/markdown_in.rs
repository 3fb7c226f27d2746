//! The Markdown of a specification read into the model, clause by clause (for the export).

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::{push_text, Block, Inline, ParagraphKind, Style};
use crate::domain::markdown::is_safe_url;
use crate::domain::spec::{self, Specification};

/// The text before the first clause (`id` none), then one section per clause.
pub(crate) struct Section {
    pub id: Option<String>,
    pub blocks: Vec<Block>,
}

pub(crate) struct Parsed {
    pub sections: Vec<Section>,
    pub notes: Vec<Vec<Inline>>,
}

enum Pending {
    Heading(u8),
    Paragraph(ParagraphKind),
    Item { ordered: bool, depth: u8, list: u32 },
}

#[derive(Default)]
struct Reader {
    blocks: Vec<(usize, Block)>,
    notes: Vec<Vec<Inline>>,
    note_labels: Vec<String>,
    pending: Option<(usize, Pending, Vec<Inline>)>,
    lists: Vec<(bool, u32)>,
    next_list: u32,
    quote: u32,
    bold: u32,
    italic: u32,
    strike: u32,
    links: Vec<Option<String>>,
    in_note: Option<usize>,
    table: Option<(usize, Vec<Vec<Vec<Inline>>>)>,
    cell: Option<Vec<Inline>>,
    code_block: bool,
}

impl Reader {
    fn style(&self, code: bool) -> Style {
        Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
            strike: self.strike > 0,
            code: code || self.code_block,
            link: self.links.last().cloned().flatten(),
        }
    }

    fn note_index(&mut self, label: &str) -> usize {
        match self.note_labels.iter().position(|l| l == label) {
            Some(i) => i,
            None => {
                self.note_labels.push(label.to_owned());
                self.notes.push(Vec::new());
                self.notes.len() - 1
            }
        }
    }

    /// Where inline content goes now: a table cell, a footnote, or the pending block.
    fn target(&mut self, offset: usize) -> &mut Vec<Inline> {
        if let Some(cell) = self.cell.as_mut() {
            return cell;
        }
        if let Some(note) = self.in_note {
            return &mut self.notes[note];
        }
        if self.pending.is_none() {
            let kind = if self.quote > 0 {
                ParagraphKind::Quote
            } else {
                ParagraphKind::Body
            };
            self.pending = Some((offset, Pending::Paragraph(kind), Vec::new()));
        }
        &mut self.pending.as_mut().expect("just set").2
    }

    fn flush(&mut self) {
        let Some((offset, pending, mut inlines)) = self.pending.take() else {
            return;
        };
        while matches!(inlines.last(), Some(Inline::Break)) {
            inlines.pop();
        }
        let block = match pending {
            Pending::Heading(level) => Block::Heading {
                level,
                inlines,
                id: None,
            },
            Pending::Paragraph(kind) => {
                if inlines.is_empty() {
                    return;
                }
                Block::Paragraph { kind, inlines }
            }
            Pending::Item { ordered, depth, list } => Block::Item {
                ordered,
                depth,
                list,
                inlines,
            },
        };
        self.blocks.push((offset, block));
    }

    fn event(&mut self, event: Event<'_>, offset: usize) {
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if self.code_block {
                    let style = self.style(true);
                    let target = self.target(offset);
                    for (i, line) in text.split('\n').enumerate() {
                        if i > 0 {
                            target.push(Inline::Break);
                        }
                        push_text(target, line, &style);
                    }
                } else {
                    let style = self.style(false);
                    push_text(self.target(offset), &text, &style);
                }
            }
            Event::Code(text) => {
                let style = self.style(true);
                push_text(self.target(offset), &text, &style);
            }
            Event::Html(text) | Event::InlineHtml(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                let style = self.style(false);
                push_text(self.target(offset), text.trim_end_matches('\n'), &style);
            }
            Event::SoftBreak => {
                let style = self.style(false);
                push_text(self.target(offset), " ", &style);
            }
            Event::HardBreak => self.target(offset).push(Inline::Break),
            Event::FootnoteReference(label) => {
                let index = self.note_index(&label);
                self.target(offset).push(Inline::Note(index));
            }
            Event::TaskListMarker(done) => {
                let style = self.style(false);
                push_text(self.target(offset), if done { "☒ " } else { "☐ " }, &style);
            }
            Event::Rule => {
                self.flush();
                self.blocks.push((offset, Block::Rule));
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Paragraph => {
                if self.cell.is_some() {
                    return;
                }
                if let Some(note) = self.in_note {
                    if !self.notes[note].is_empty() {
                        self.notes[note].push(Inline::Break);
                    }
                    return;
                }
                match &mut self.pending {
                    // The second paragraph of a list item stays in the item.
                    Some((_, Pending::Item { .. }, inlines)) if !inlines.is_empty() => inlines.push(Inline::Break),
                    Some((_, Pending::Item { .. }, _)) => {}
                    _ => {
                        self.flush();
                        let kind = if self.quote > 0 {
                            ParagraphKind::Quote
                        } else {
                            ParagraphKind::Body
                        };
                        self.pending = Some((offset, Pending::Paragraph(kind), Vec::new()));
                    }
                }
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.pending = Some((offset, Pending::Heading(level as u8), Vec::new()));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                self.code_block = true;
                // An indented code block starts at its first line's indentation.
                let _ = matches!(kind, CodeBlockKind::Indented);
                self.pending = Some((offset, Pending::Paragraph(ParagraphKind::Code), Vec::new()));
            }
            Tag::List(start) => {
                self.flush();
                self.next_list += 1;
                self.lists.push((start.is_some(), self.next_list));
            }
            Tag::Item => {
                self.flush();
                let (ordered, list) = self.lists.last().copied().unwrap_or((false, 0));
                let depth = self.lists.len().saturating_sub(1).min(8) as u8;
                self.pending = Some((offset, Pending::Item { ordered, depth, list }, Vec::new()));
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.in_note = Some(self.note_index(&label));
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some((offset, Vec::new()));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some((_, rows)) = self.table.as_mut() {
                    rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.cell = Some(Vec::new()),
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link { dest_url, .. } => {
                // Only links that lead somewhere outside the document mean something in Word.
                let absolute = dest_url.starts_with("http://")
                    || dest_url.starts_with("https://")
                    || dest_url.starts_with("mailto:");
                self.links
                    .push((absolute && is_safe_url(&dest_url)).then(|| dest_url.to_string()));
            }
            Tag::Image { .. } => {
                let style = self.style(false);
                push_text(self.target(offset), "[image : ", &style);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
                if self.cell.is_none()
                    && self.in_note.is_none()
                    && matches!(self.pending, Some((_, Pending::Paragraph(_), _))) =>
            {
                self.flush()
            }
            TagEnd::Heading(_) | TagEnd::Item => self.flush(),
            TagEnd::CodeBlock => {
                self.flush();
                self.code_block = false;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::FootnoteDefinition => self.in_note = None,
            TagEnd::TableCell => {
                if let (Some(cell), Some((_, rows))) = (self.cell.take(), self.table.as_mut()) {
                    if let Some(row) = rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            TagEnd::Table => {
                if let Some((offset, rows)) = self.table.take() {
                    self.blocks.push((offset, Block::Table { rows }));
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::Image => {
                let style = self.style(false);
                push_text(self.target(0), "]", &style);
            }
            _ => {}
        }
    }
}

/// Reads a specification: its clauses (with their ids) and the blocks of each.
pub(crate) fn read(markdown: &str, spec: &Specification) -> Parsed {
    let mut reader = Reader::default();
    for (event, range) in Parser::new_ext(markdown, spec::options()).into_offset_iter() {
        reader.event(event, range.start);
    }
    reader.flush();
    // Where each clause starts in the text (parse is lossless: preamble, then heading + body).
    let mut starts = Vec::with_capacity(spec.clauses.len());
    let mut at = spec.preamble.len();
    for clause in &spec.clauses {
        starts.push(at);
        at += clause.heading.len() + clause.body.len();
    }
    let mut sections: Vec<Section> = std::iter::once(Section {
        id: None,
        blocks: Vec::new(),
    })
    .chain(spec.clauses.iter().map(|c| Section {
        id: Some(c.id.clone()),
        blocks: Vec::new(),
    }))
    .collect();
    for (offset, mut block) in reader.blocks {
        let index = starts.partition_point(|&s| s <= offset);
        if index > 0 && starts[index - 1] == offset {
            if let Block::Heading { id, inlines, .. } = &mut block {
                *id = Some(spec.clauses[index - 1].id.clone());
                strip_anchor(inlines);
            }
        }
        sections[index].blocks.push(block);
    }
    Parsed {
        sections,
        notes: reader.notes,
    }
}

/// Removes a trailing `{#id}` (the clause's explicit anchor) from a heading's text.
fn strip_anchor(inlines: &mut Vec<Inline>) {
    if let Some(Inline::Text(text, _)) = inlines.last_mut() {
        let trimmed = text.trim_end();
        if trimmed.ends_with('}') {
            if let Some(open) = trimmed.rfind("{#") {
                text.truncate(open);
                let kept = text.trim_end().len();
                text.truncate(kept);
                if text.is_empty() {
                    inlines.pop();
                }
            }
        }
    }
}
