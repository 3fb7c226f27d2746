//! An `.odt` (OpenDocument text, as LibreOffice writes it) read into the model: `text:h` with
//! its outline level are headings (so are paragraphs whose style has a default outline level,
//! and numbered headings written as text), `text:list` items, `table:table`, `text:note`.

use std::collections::HashMap;

use roxmltree::Node;

use super::package::{attr, child, parse, Package};
use super::{
    append_paragraph, inherited, numbered_heading_level, paragraph_kind_of_style_name, plain_text, push_text, Block,
    Document, Inline, LossKind, Style, WordError,
};

#[derive(Default, Clone)]
struct TextStyle {
    parent: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
    strike: Option<bool>,
    outline: Option<u8>,
    display_name: String,
}

struct Reader {
    styles: HashMap<String, TextStyle>,
    /// List style → whether each level (from 1) is numbered.
    lists: HashMap<String, HashMap<u8, bool>>,
    document: Document,
    next_list: u32,
    bookmark: Option<String>,
}

pub(crate) fn read(package: &mut Package<'_>) -> Result<Document, WordError> {
    if let Some(manifest) = package.text("META-INF/manifest.xml")? {
        if manifest.contains("encryption-data") {
            return Err(WordError::Protected);
        }
    }
    let content = package
        .text("content.xml")?
        .ok_or_else(|| WordError::Corrupt("contenu absent".into()))?;
    let styles_text = package.text("styles.xml")?;
    let content_doc = parse(&content, "content.xml")?;
    let styles_doc = styles_text.as_deref().map(|t| parse(t, "styles.xml")).transpose()?;
    let mut reader = Reader {
        styles: HashMap::new(),
        lists: HashMap::new(),
        document: Document::default(),
        next_list: 0,
        bookmark: None,
    };
    if let Some(styles) = &styles_doc {
        reader.read_styles(styles.root_element());
        let master_has_header = styles.descendants().any(|n| {
            matches!(n.tag_name().name(), "header" | "footer")
                && n.parent().is_some_and(|p| p.tag_name().name() == "master-page")
                && n.has_children()
        });
        if master_has_header {
            reader.document.lose(LossKind::HeaderFooter);
        }
    }
    reader.read_styles(content_doc.root_element());
    let text = content_doc
        .root_element()
        .descendants()
        .find(|n| n.tag_name().name() == "text" && n.parent().is_some_and(|p| p.tag_name().name() == "body"))
        .ok_or(WordError::NotAWordFile)?;
    reader.blocks(text);
    Ok(reader.document)
}

fn bool_prop(props: Node<'_, '_>, name: &str, on: &[&str]) -> Option<bool> {
    attr(props, name).map(|v| on.contains(&v))
}

impl Reader {
    fn read_styles(&mut self, root: Node<'_, '_>) {
        for node in root.descendants() {
            match node.tag_name().name() {
                "style" => {
                    let Some(name) = attr(node, "name") else { continue };
                    let props = child(node, "text-properties");
                    self.styles.insert(
                        name.to_owned(),
                        TextStyle {
                            parent: attr(node, "parent-style-name").map(str::to_owned),
                            bold: props
                                .and_then(|p| bool_prop(p, "font-weight", &["bold", "600", "700", "800", "900"])),
                            italic: props.and_then(|p| bool_prop(p, "font-style", &["italic", "oblique"])),
                            strike: props.and_then(|p| attr(p, "text-line-through-style").map(|v| v != "none")),
                            outline: attr(node, "default-outline-level").and_then(|v| v.parse().ok()),
                            display_name: attr(node, "display-name").unwrap_or(name).to_owned(),
                        },
                    );
                }
                "list-style" => {
                    let Some(name) = attr(node, "name") else { continue };
                    let levels = node
                        .children()
                        .filter(Node::is_element)
                        .filter_map(|l| {
                            let level = attr(l, "level")?.parse().ok()?;
                            let numbered = l.tag_name().name() == "list-level-style-number"
                                && attr(l, "num-format").is_some_and(|f| !f.is_empty());
                            Some((level, numbered))
                        })
                        .collect();
                    self.lists.insert(name.to_owned(), levels);
                }
                _ => {}
            }
        }
    }

    fn chain<T>(&self, name: &str, get: impl Fn(&TextStyle) -> Option<T>) -> Option<T> {
        inherited(&self.styles, name, |s| s.parent.as_ref(), get)
    }

    fn blocks(&mut self, parent: Node<'_, '_>) {
        for node in parent.children().filter(Node::is_element) {
            match node.tag_name().name() {
                "h" => {
                    let level = attr(node, "outline-level")
                        .and_then(|v| v.parse::<u8>().ok())
                        .unwrap_or(1)
                        .clamp(1, 6);
                    self.heading(node, level);
                }
                "p" => self.paragraph(node),
                "list" => {
                    self.next_list += 1;
                    let list = self.next_list;
                    self.list(node, 0, list, attr(node, "style-name").map(str::to_owned));
                }
                "table" => {
                    let rows = self.table(node);
                    if !rows.is_empty() {
                        self.document.blocks.push(Block::Table { rows });
                    }
                }
                "section" => self.blocks(node),
                _ => {}
            }
        }
    }

    fn heading(&mut self, node: Node<'_, '_>, level: u8) {
        self.bookmark = None;
        let mut inlines = Vec::new();
        self.inlines(node, &Style::default(), &mut inlines);
        let text = plain_text(&inlines).split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return;
        }
        let mut heading = Vec::new();
        push_text(&mut heading, &text, &Style::default());
        heading.extend(inlines.into_iter().filter(|i| matches!(i, Inline::Note(_))));
        self.document.blocks.push(Block::Heading {
            level,
            inlines: heading,
            id: self.bookmark.take(),
        });
    }

    fn paragraph(&mut self, node: Node<'_, '_>) {
        let style_name = attr(node, "style-name").unwrap_or("");
        if let Some(level) = self.chain(style_name, |s| s.outline).filter(|l| (1..=6).contains(l)) {
            return self.heading(node, level);
        }
        let mut inlines = Vec::new();
        self.inlines(node, &Style::default(), &mut inlines);
        let text = plain_text(&inlines);
        if text.trim().is_empty() && !inlines.iter().any(|i| matches!(i, Inline::Note(_))) {
            return;
        }
        if let Some(level) = numbered_heading_level(&text) {
            return self.heading(node, level);
        }
        let kind = self.chain(style_name, |s| paragraph_kind_of_style_name(&s.display_name));
        self.document.blocks.push(Block::Paragraph {
            kind: kind.unwrap_or_default(),
            inlines,
        });
    }

    fn list(&mut self, list: Node<'_, '_>, depth: u8, id: u32, style: Option<String>) {
        let style = attr(list, "style-name").map(str::to_owned).or(style);
        let ordered = style
            .as_deref()
            .and_then(|s| self.lists.get(s))
            .and_then(|levels| levels.get(&(depth + 1)).copied())
            .unwrap_or(false);
        for item in list
            .children()
            .filter(|n| matches!(n.tag_name().name(), "list-item" | "list-header"))
        {
            let mut inlines: Vec<Inline> = Vec::new();
            let mut pushed = false;
            for c in item.children().filter(Node::is_element) {
                match c.tag_name().name() {
                    "p" | "h" => {
                        let mut more = Vec::new();
                        self.inlines(c, &Style::default(), &mut more);
                        append_paragraph(&mut inlines, more);
                    }
                    "list" => {
                        if !pushed {
                            self.document.blocks.push(Block::Item {
                                ordered,
                                depth,
                                list: id,
                                inlines: std::mem::take(&mut inlines),
                            });
                            pushed = true;
                        }
                        self.list(c, (depth + 1).min(8), id, style.clone());
                    }
                    _ => {}
                }
            }
            if !pushed && !inlines.is_empty() {
                self.document.blocks.push(Block::Item {
                    ordered,
                    depth,
                    list: id,
                    inlines,
                });
            }
        }
    }

    fn inlines(&mut self, node: Node<'_, '_>, style: &Style, out: &mut Vec<Inline>) {
        for c in node.children() {
            if c.is_text() {
                let text = c.text().unwrap_or("").replace(['\n', '\r', '\t'], " ");
                let mut collapsed = String::with_capacity(text.len());
                for ch in text.chars() {
                    if !(ch == ' ' && collapsed.ends_with(' ')) {
                        collapsed.push(ch);
                    }
                }
                push_text(out, &collapsed, style);
                continue;
            }
            if !c.is_element() {
                continue;
            }
            match c.tag_name().name() {
                "span" => {
                    let mut inner = style.clone();
                    if let Some(name) = attr(c, "style-name") {
                        inner.bold = self.chain(name, |s| s.bold).unwrap_or(inner.bold);
                        inner.italic = self.chain(name, |s| s.italic).unwrap_or(inner.italic);
                        inner.strike = self.chain(name, |s| s.strike).unwrap_or(inner.strike);
                    }
                    self.inlines(c, &inner, out);
                }
                "a" => {
                    let mut linked = style.clone();
                    linked.link = attr(c, "href")
                        .filter(|h| h.starts_with("http://") || h.starts_with("https://") || h.starts_with("mailto:"))
                        .filter(|h| crate::domain::markdown::is_safe_url(h))
                        .map(str::to_owned);
                    self.inlines(c, &linked, out);
                }
                "s" => {
                    let n: usize = attr(c, "c").and_then(|v| v.parse().ok()).unwrap_or(1);
                    push_text(out, &" ".repeat(n.min(16)), style);
                }
                "tab" => push_text(out, " ", style),
                "line-break" => out.push(Inline::Break),
                "note" => {
                    let Some(body) = child(c, "note-body") else { continue };
                    let index = self.document.notes.len();
                    self.document.notes.push(Vec::new());
                    let mut inlines = Vec::new();
                    for p in body.children().filter(|n| matches!(n.tag_name().name(), "p" | "h")) {
                        let mut more = Vec::new();
                        self.inlines(p, &Style::default(), &mut more);
                        append_paragraph(&mut inlines, more);
                    }
                    self.document.notes[index] = inlines;
                    out.push(Inline::Note(index));
                }
                "bookmark" | "bookmark-start" => {
                    if self.bookmark.is_none() {
                        self.bookmark = attr(c, "name").filter(|n| !n.starts_with('_')).map(str::to_owned);
                    }
                }
                "frame" => {
                    if c.descendants().any(|d| d.tag_name().name() == "text-box") {
                        self.document.lose(LossKind::TextBox);
                    } else if c.descendants().any(|d| d.tag_name().name() == "object") {
                        self.document.lose(LossKind::Equation);
                    } else {
                        self.document.lose(LossKind::Image);
                    }
                }
                "annotation" => self.document.lose(LossKind::Comment),
                "change" | "change-start" => self.document.lose(LossKind::TrackedChange),
                "annotation-end" | "change-end" | "soft-page-break" | "bookmark-end" | "number"
                | "reference-mark-end" => {}
                _ => self.inlines(c, style, out),
            }
        }
    }

    fn table(&mut self, table: Node<'_, '_>) -> Vec<Vec<Vec<Inline>>> {
        let mut rows = Vec::new();
        for row in table.descendants().filter(|n| n.tag_name().name() == "table-row") {
            // Rows of this table only, not of a table nested in a cell.
            if row.ancestors().skip(1).find(|a| a.tag_name().name() == "table") != Some(table) {
                continue;
            }
            let mut cells = Vec::new();
            for cell in row
                .children()
                .filter(|n| matches!(n.tag_name().name(), "table-cell" | "covered-table-cell"))
            {
                let repeat: usize = attr(cell, "number-columns-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1)
                    .min(64);
                let mut inlines = Vec::new();
                if cell.tag_name().name() == "table-cell" {
                    for c in cell.children().filter(Node::is_element) {
                        let mut more = Vec::new();
                        match c.tag_name().name() {
                            "p" | "h" => self.inlines(c, &Style::default(), &mut more),
                            "list" => {
                                for p in c.descendants().filter(|n| n.tag_name().name() == "p") {
                                    let mut item = Vec::new();
                                    self.inlines(p, &Style::default(), &mut item);
                                    append_paragraph(&mut more, item);
                                }
                            }
                            "table" => {
                                self.document.lose(LossKind::NestedTable);
                                for p in c.descendants().filter(|n| n.tag_name().name() == "p") {
                                    self.inlines(p, &Style::default(), &mut more);
                                    push_text(&mut more, " ", &Style::default());
                                }
                            }
                            _ => continue,
                        }
                        append_paragraph(&mut inlines, more);
                    }
                }
                for _ in 0..repeat {
                    cells.push(inlines.clone());
                }
            }
            rows.push(cells);
        }
        rows
    }
}
