//! A `.docx` (WordprocessingML, as Word, LibreOffice and python-docx write it) read into the
//! model. Headings come from the paragraph's outline level, else its style's (followed through
//! `basedOn`), else the style's name in any of the usual languages, else a numbered heading
//! written as text (« Article 3 – … »). Automatic numbering (numbering.xml) is computed, so a
//! heading numbered by Word keeps its number in the Markdown.

use std::collections::HashMap;

use roxmltree::Node;

use super::package::{attr, child, parse, Package};
use super::{
    append_paragraph, heading_level_of_style_name, inherited, numbered_heading_level, paragraph_kind_of_style_name,
    plain_text, push_text, Block, Document, Inline, LossKind, Style, WordError,
};

#[derive(Default, Clone)]
struct ParagraphStyle {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    numbering: Option<(String, Option<u8>)>,
}

#[derive(Default, Clone, Copy)]
struct RunStyle {
    bold: Option<bool>,
    italic: Option<bool>,
}

struct Level {
    format: String,
    text: String,
    start: u32,
}

#[derive(Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → abstractNumId and its start overrides by level.
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
    counters: HashMap<String, [u32; 9]>,
}

impl Numbering {
    fn level(&self, num: &str, ilvl: u8) -> Option<&Level> {
        let (abstract_id, _) = self.nums.get(num)?;
        self.abstracts.get(abstract_id)?.get(usize::from(ilvl))
    }

    fn is_list(&self, num: &str, ilvl: u8) -> Option<bool> {
        let level = self.level(num, ilvl)?;
        match level.format.as_str() {
            "none" => None,
            "bullet" => Some(false),
            _ => Some(true),
        }
    }

    /// Counts one more paragraph at this level and gives its label (`1.2.`, `a)`, `IV -`).
    fn next_label(&mut self, num: &str, ilvl: u8) -> Option<String> {
        let (abstract_id, overrides) = self.nums.get(num)?.clone();
        let levels = self.abstracts.get(&abstract_id)?;
        let ilvl = usize::from(ilvl).min(8);
        let start = |l: usize| {
            overrides
                .get(&(l as u8))
                .copied()
                .or_else(|| levels.get(l).map(|lv| lv.start))
                .unwrap_or(1)
        };
        let counters = self.counters.entry(abstract_id.clone()).or_insert([0; 9]);
        counters[ilvl] = if counters[ilvl] == 0 {
            start(ilvl)
        } else {
            counters[ilvl] + 1
        };
        for (deeper, counter) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            let _ = deeper;
            *counter = 0;
        }
        let counters = *counters;
        let level = levels.get(ilvl)?;
        if level.format == "bullet" || level.format == "none" {
            return None;
        }
        let mut label = level.text.clone();
        for (l, lv) in levels.iter().enumerate().take(ilvl + 1) {
            let value = if counters[l] == 0 { start(l) } else { counters[l] };
            label = label.replace(&format!("%{}", l + 1), &format_number(value, &lv.format));
        }
        Some(label.trim().to_owned())
    }
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letter(n),
        "lowerLetter" => letter(n).to_lowercase(),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in table {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

fn letter(n: u32) -> String {
    let n = n.max(1) - 1;
    let c = char::from(b'A' + (n % 26) as u8);
    c.to_string().repeat(n as usize / 26 + 1)
}

struct Reader<'d, 'i> {
    styles: HashMap<String, ParagraphStyle>,
    run_styles: HashMap<String, RunStyle>,
    numbering: Numbering,
    /// Relationship id → external target (hyperlinks).
    links: HashMap<String, String>,
    footnotes: HashMap<String, Node<'d, 'i>>,
    endnotes: HashMap<String, Node<'d, 'i>>,
    document: Document,
    /// Footnotes already read, by (endnote?, id).
    note_index: HashMap<(bool, String), usize>,
    /// The first bookmark of the paragraph being read.
    bookmark: Option<String>,
}

pub(crate) fn read(package: &mut Package<'_>) -> Result<Document, WordError> {
    let main = package
        .text("_rels/.rels")?
        .and_then(|rels| {
            let doc = parse(&rels, "_rels/.rels").ok()?;
            let target = doc
                .descendants()
                .find(|n| attr(*n, "Type").is_some_and(|t| t.ends_with("/officeDocument")))
                .and_then(|n| attr(n, "Target"))
                .map(|t| t.trim_start_matches('/').to_owned());
            target
        })
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let (folder, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let resolve = |target: &str| -> String {
        if let Some(absolute) = target.strip_prefix('/') {
            absolute.to_owned()
        } else if folder.is_empty() {
            target.to_owned()
        } else {
            format!("{folder}/{target}")
        }
    };
    let rels_text = package
        .text(&format!(
            "{}_rels/{file}.rels",
            if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            }
        ))?
        .unwrap_or_default();
    let rels_doc = if rels_text.is_empty() {
        None
    } else {
        Some(parse(&rels_text, "relations")?)
    };
    let mut parts: HashMap<&str, String> = HashMap::new();
    let mut links = HashMap::new();
    let mut headers_or_footers = false;
    if let Some(rels) = &rels_doc {
        for rel in rels.descendants().filter(|n| n.tag_name().name() == "Relationship") {
            let (Some(id), Some(kind), Some(target)) = (attr(rel, "Id"), attr(rel, "Type"), attr(rel, "Target")) else {
                continue;
            };
            let kind = kind.rsplit('/').next().unwrap_or_default();
            match kind {
                "hyperlink" => {
                    let absolute = target.starts_with("http://")
                        || target.starts_with("https://")
                        || target.starts_with("mailto:");
                    if absolute && crate::domain::markdown::is_safe_url(target) {
                        links.insert(id.to_owned(), target.to_owned());
                    }
                }
                "styles" | "numbering" | "footnotes" | "endnotes" => {
                    parts.insert(kind, resolve(target));
                }
                "header" | "footer" => headers_or_footers = true,
                _ => {}
            }
        }
    }
    let main_text = package
        .text(&main)?
        .ok_or_else(|| WordError::Corrupt("document principal absent".into()))?;
    let styles_text = match parts.get("styles") {
        Some(p) => package.text(p)?,
        None => None,
    };
    let numbering_text = match parts.get("numbering") {
        Some(p) => package.text(p)?,
        None => None,
    };
    let footnotes_text = match parts.get("footnotes") {
        Some(p) => package.text(p)?,
        None => None,
    };
    let endnotes_text = match parts.get("endnotes") {
        Some(p) => package.text(p)?,
        None => None,
    };
    let main_doc = parse(&main_text, "document")?;
    let styles_doc = styles_text.as_deref().map(|t| parse(t, "styles")).transpose()?;
    let numbering_doc = numbering_text.as_deref().map(|t| parse(t, "numbering")).transpose()?;
    let footnotes_doc = footnotes_text.as_deref().map(|t| parse(t, "footnotes")).transpose()?;
    let endnotes_doc = endnotes_text.as_deref().map(|t| parse(t, "endnotes")).transpose()?;

    let mut reader = Reader {
        styles: HashMap::new(),
        run_styles: HashMap::new(),
        numbering: Numbering::default(),
        links,
        footnotes: notes_by_id(footnotes_doc.as_ref(), "footnote"),
        endnotes: notes_by_id(endnotes_doc.as_ref(), "endnote"),
        document: Document::default(),
        note_index: HashMap::new(),
        bookmark: None,
    };
    if let Some(styles) = &styles_doc {
        reader.read_styles(styles.root_element());
    }
    if let Some(numbering) = &numbering_doc {
        reader.read_numbering(numbering.root_element());
    }
    if headers_or_footers {
        reader.document.lose(LossKind::HeaderFooter);
    }
    let body =
        child(main_doc.root_element(), "body").ok_or_else(|| WordError::Corrupt("corps du document absent".into()))?;
    reader.body(body);
    Ok(reader.document)
}

fn notes_by_id<'d, 'i>(doc: Option<&'d roxmltree::Document<'i>>, tag: &str) -> HashMap<String, Node<'d, 'i>> {
    doc.map(|d| {
        d.root_element()
            .children()
            .filter(|n| n.tag_name().name() == tag)
            .filter_map(|n| Some((attr(n, "id")?.to_owned(), n)))
            .collect()
    })
    .unwrap_or_default()
}

/// `w:b`, `w:b w:val="true"`, `w:val="1"`, `w:val="on"` are on; `0`, `false`, `off` are off.
fn toggle(node: Node<'_, '_>) -> bool {
    !matches!(attr(node, "val"), Some("0" | "false" | "off"))
}

fn run_style(rpr: Node<'_, '_>) -> RunStyle {
    let mut style = RunStyle::default();
    for c in rpr.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "b" => style.bold = Some(toggle(c)),
            "i" => style.italic = Some(toggle(c)),
            _ => {}
        }
    }
    style
}

impl<'d, 'i> Reader<'d, 'i> {
    fn read_styles(&mut self, root: Node<'_, '_>) {
        for style in root.children().filter(|n| n.tag_name().name() == "style") {
            let Some(id) = attr(style, "styleId") else { continue };
            match attr(style, "type") {
                Some("paragraph") | None => {
                    let ppr = child(style, "pPr");
                    let numbering = ppr.and_then(|p| child(p, "numPr")).and_then(|n| {
                        let num = child(n, "numId").and_then(|x| attr(x, "val"))?.to_owned();
                        let ilvl = child(n, "ilvl")
                            .and_then(|x| attr(x, "val"))
                            .and_then(|v| v.parse().ok());
                        Some((num, ilvl))
                    });
                    self.styles.insert(
                        id.to_owned(),
                        ParagraphStyle {
                            name: child(style, "name")
                                .and_then(|n| attr(n, "val"))
                                .unwrap_or(id)
                                .to_owned(),
                            based_on: child(style, "basedOn").and_then(|n| attr(n, "val")).map(str::to_owned),
                            outline: ppr
                                .and_then(|p| child(p, "outlineLvl"))
                                .and_then(|n| attr(n, "val"))
                                .and_then(|v| v.parse().ok()),
                            numbering,
                        },
                    );
                }
                Some("character") => {
                    let mut run = child(style, "rPr").map(run_style).unwrap_or_default();
                    let name = child(style, "name")
                        .and_then(|n| attr(n, "val"))
                        .unwrap_or(id)
                        .to_lowercase();
                    if name == "strong" || name == "strong emphasis" {
                        run.bold = run.bold.or(Some(true));
                    }
                    if name == "emphasis" {
                        run.italic = run.italic.or(Some(true));
                    }
                    self.run_styles.insert(id.to_owned(), run);
                }
                _ => {}
            }
        }
    }

    fn read_numbering(&mut self, root: Node<'_, '_>) {
        for abstract_num in root.children().filter(|n| n.tag_name().name() == "abstractNum") {
            let Some(id) = attr(abstract_num, "abstractNumId") else {
                continue;
            };
            let mut levels: Vec<Level> = Vec::new();
            for lvl in abstract_num.children().filter(|n| n.tag_name().name() == "lvl") {
                let ilvl: usize = attr(lvl, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(levels.len());
                if ilvl > 8 {
                    continue;
                }
                while levels.len() <= ilvl {
                    levels.push(Level {
                        format: "decimal".into(),
                        text: String::new(),
                        start: 1,
                    });
                }
                levels[ilvl] = Level {
                    format: child(lvl, "numFmt")
                        .and_then(|n| attr(n, "val"))
                        .unwrap_or("decimal")
                        .to_owned(),
                    text: child(lvl, "lvlText")
                        .and_then(|n| attr(n, "val"))
                        .unwrap_or("")
                        .to_owned(),
                    start: child(lvl, "start")
                        .and_then(|n| attr(n, "val"))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1),
                };
            }
            self.numbering.abstracts.insert(id.to_owned(), levels);
        }
        for num in root.children().filter(|n| n.tag_name().name() == "num") {
            let (Some(id), Some(abstract_id)) = (
                attr(num, "numId"),
                child(num, "abstractNumId").and_then(|n| attr(n, "val")),
            ) else {
                continue;
            };
            let overrides = num
                .children()
                .filter(|n| n.tag_name().name() == "lvlOverride")
                .filter_map(|o| {
                    let ilvl = attr(o, "ilvl")?.parse().ok()?;
                    let start = child(o, "startOverride").and_then(|s| attr(s, "val"))?.parse().ok()?;
                    Some((ilvl, start))
                })
                .collect();
            self.numbering
                .nums
                .insert(id.to_owned(), (abstract_id.to_owned(), overrides));
        }
    }

    /// A style's property, looked up through `basedOn` (bounded: a loop of styles ends).
    fn style_chain<T>(&self, id: &str, get: impl Fn(&ParagraphStyle) -> Option<T>) -> Option<T> {
        inherited(&self.styles, id, |s| s.based_on.as_ref(), get)
    }

    fn heading_level(&self, style_id: &str) -> Option<u8> {
        if let Some(level) = self.style_chain(style_id, |s| s.outline) {
            return (level < 6).then_some(level + 1);
        }
        // The « Title » style is not a heading (pandoc agrees): its text stays a paragraph.
        self.style_chain(style_id, |s| heading_level_of_style_name(&s.name))
            .or_else(|| heading_level_of_style_name(style_id))
    }

    fn body(&mut self, body: Node<'d, 'i>) {
        for node in body.children().filter(Node::is_element) {
            match node.tag_name().name() {
                "p" => self.paragraph(node),
                "tbl" => {
                    let rows = self.table(node);
                    if !rows.is_empty() {
                        self.document.blocks.push(Block::Table { rows });
                    }
                }
                "sdt" => {
                    let tag = child(node, "sdtPr")
                        .and_then(|p| child(p, "tag"))
                        .and_then(|t| attr(t, "val"));
                    if tag == Some(super::docx_out::COVER_TAG) {
                        continue; // our own export's cover page
                    }
                    if let Some(content) = child(node, "sdtContent") {
                        self.body(content);
                    }
                }
                "customXml" | "ins" | "moveTo" => self.body(node),
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Node<'d, 'i>) {
        let ppr = child(p, "pPr");
        let style_id = ppr
            .and_then(|x| child(x, "pStyle"))
            .and_then(|x| attr(x, "val"))
            .unwrap_or("");
        let own_outline: Option<u8> = ppr
            .and_then(|x| child(x, "outlineLvl"))
            .and_then(|x| attr(x, "val"))
            .and_then(|v| v.parse().ok());
        let mut level = match own_outline {
            Some(l) if l < 6 => Some(l + 1),
            Some(_) => None,
            None => self.heading_level(style_id),
        };
        let numbering = ppr.and_then(|x| child(x, "numPr")).and_then(|n| {
            let num = child(n, "numId").and_then(|x| attr(x, "val"))?.to_owned();
            let ilvl = child(n, "ilvl")
                .and_then(|x| attr(x, "val"))
                .and_then(|v| v.parse().ok());
            Some((num, ilvl))
        });
        let numbering = numbering.or_else(|| self.style_chain(style_id, |s| s.numbering.clone()));
        let numbering = numbering.filter(|(num, _)| num != "0");
        self.bookmark = None;
        let mut inlines = Vec::new();
        self.inlines(p, &Style::default(), &mut inlines);
        let text = plain_text(&inlines);
        if text.trim().is_empty() && !inlines.iter().any(|i| matches!(i, Inline::Note(_))) {
            // Still count the automatic number (an empty numbered paragraph numbers too).
            if let Some((num, ilvl)) = &numbering {
                self.numbering.next_label(num, ilvl.unwrap_or(0));
            }
            return;
        }
        if level.is_none() && numbering.is_none() {
            level = numbered_heading_level(&text);
        }
        if let Some(level) = level {
            // Headings carry no formatting: the style makes them look like headings.
            let mut title = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some((num, ilvl)) = &numbering {
                if let Some(label) = self.numbering.next_label(num, ilvl.unwrap_or(level - 1)) {
                    title = format!("{label} {title}");
                }
            }
            let mut heading = Vec::new();
            push_text(&mut heading, &title, &Style::default());
            heading.extend(inlines.into_iter().filter(|i| matches!(i, Inline::Note(_))));
            self.document.blocks.push(Block::Heading {
                level,
                inlines: heading,
                id: self.bookmark.take(),
            });
            return;
        }
        if let Some((num, ilvl)) = numbering {
            let ilvl = ilvl.unwrap_or(0).min(8);
            if let Some(ordered) = self.numbering.is_list(&num, ilvl) {
                self.numbering.next_label(&num, ilvl);
                let list = num.parse::<u32>().unwrap_or(1);
                self.document.blocks.push(Block::Item {
                    ordered,
                    depth: ilvl,
                    list,
                    inlines,
                });
                return;
            }
        }
        let kind = self.style_chain(style_id, |s| paragraph_kind_of_style_name(&s.name));
        self.document.blocks.push(Block::Paragraph {
            kind: kind.unwrap_or_default(),
            inlines,
        });
    }

    /// Paragraph content: runs, links, fields, tracked insertions; what cannot be carried is
    /// counted.
    fn inlines(&mut self, node: Node<'d, 'i>, style: &Style, out: &mut Vec<Inline>) {
        for c in node.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "r" => self.run(c, style, out),
                "hyperlink" => {
                    let mut linked = style.clone();
                    linked.link = attr(c, "id").and_then(|id| self.links.get(id).cloned());
                    self.inlines(c, &linked, out);
                }
                "ins" | "moveTo" => {
                    self.document.lose(LossKind::TrackedChange);
                    self.inlines(c, style, out);
                }
                "del" | "moveFrom" => self.document.lose(LossKind::TrackedChange),
                "smartTag" | "customXml" | "fldSimple" | "bdo" | "dir" => self.inlines(c, style, out),
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.inlines(content, style, out);
                    }
                }
                "bookmarkStart" if self.bookmark.is_none() => {
                    self.bookmark = attr(c, "name").filter(|n| !n.starts_with('_')).map(str::to_owned);
                }
                "oMath" | "oMathPara" => self.document.lose(LossKind::Equation),
                _ => {}
            }
        }
    }

    fn run(&mut self, r: Node<'d, 'i>, style: &Style, out: &mut Vec<Inline>) {
        let mut style = style.clone();
        if let Some(rpr) = child(r, "rPr") {
            let mut own = RunStyle::default();
            if let Some(character) = child(rpr, "rStyle")
                .and_then(|s| attr(s, "val"))
                .and_then(|id| self.run_styles.get(id))
            {
                own = *character;
            }
            let direct = run_style(rpr);
            style.bold = direct.bold.or(own.bold).unwrap_or(style.bold);
            style.italic = direct.italic.or(own.italic).unwrap_or(style.italic);
            style.strike = child(rpr, "strike")
                .or_else(|| child(rpr, "dstrike"))
                .is_some_and(toggle);
            // Text in a monospaced font is code (how our export writes it, and how most do).
            let font = child(rpr, "rFonts").and_then(|f| attr(f, "ascii")).unwrap_or("");
            style.code = ["Courier", "Mono", "Consolas", "Menlo"]
                .iter()
                .any(|m| font.contains(m));
            if child(rpr, "vanish").is_some_and(toggle) {
                return; // hidden text
            }
        }
        for c in r.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "t" => push_text(out, c.text().unwrap_or(""), &style),
                "tab" | "ptab" => push_text(out, " ", &style),
                "br" | "cr" if !matches!(attr(c, "type"), Some("page" | "column")) => out.push(Inline::Break),
                "noBreakHyphen" => push_text(out, "-", &style),
                "footnoteReference" | "endnoteReference" => {
                    let endnote = c.tag_name().name() == "endnoteReference";
                    if let Some(id) = attr(c, "id") {
                        if let Some(index) = self.note(endnote, id) {
                            out.push(Inline::Note(index));
                        }
                    }
                }
                "drawing" | "pict" | "object" | "AlternateContent" => {
                    let text_box = c
                        .descendants()
                        .any(|d| matches!(d.tag_name().name(), "txbx" | "textbox" | "txbxContent"));
                    let chart_or_picture = !text_box;
                    if text_box {
                        self.document.lose(LossKind::TextBox);
                    } else if chart_or_picture {
                        self.document.lose(LossKind::Image);
                    }
                }
                "commentReference" => self.document.lose(LossKind::Comment),
                _ => {}
            }
        }
    }

    /// The index of a footnote's body, read the first time it is cited.
    fn note(&mut self, endnote: bool, id: &str) -> Option<usize> {
        if let Some(index) = self.note_index.get(&(endnote, id.to_owned())) {
            return Some(*index);
        }
        let node = if endnote {
            self.endnotes.get(id)
        } else {
            self.footnotes.get(id)
        }
        .copied()?;
        let index = self.document.notes.len();
        self.document.notes.push(Vec::new());
        self.note_index.insert((endnote, id.to_owned()), index);
        let mut body = Vec::new();
        for p in node.children().filter(|n| n.tag_name().name() == "p") {
            let mut inlines = Vec::new();
            self.inlines(p, &Style::default(), &mut inlines);
            append_paragraph(&mut body, inlines);
        }
        if let Some(Inline::Text(first, _)) = body.first_mut() {
            *first = first.trim_start().to_owned();
        }
        self.document.notes[index] = body;
        Some(index)
    }

    fn table(&mut self, tbl: Node<'d, 'i>) -> Vec<Vec<Vec<Inline>>> {
        let mut rows = Vec::new();
        for tr in tbl.children().filter(|n| n.tag_name().name() == "tr") {
            if child(tr, "trPr").is_some_and(|pr| child(pr, "del").is_some()) {
                self.document.lose(LossKind::TrackedChange);
                continue;
            }
            let mut row = Vec::new();
            for tc in tr.children().filter(|n| matches!(n.tag_name().name(), "tc" | "sdt")) {
                let tc = if tc.tag_name().name() == "sdt" {
                    match child(tc, "sdtContent").and_then(|c| child(c, "tc")) {
                        Some(inner) => inner,
                        None => continue,
                    }
                } else {
                    tc
                };
                let tcpr = child(tc, "tcPr");
                let span: usize = tcpr
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(|g| attr(g, "val"))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                let merged_below = tcpr
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|v| attr(v, "val") != Some("restart"));
                let mut cell: Vec<Inline> = Vec::new();
                if !merged_below {
                    self.cell(tc, &mut cell);
                }
                row.push(cell);
                for _ in 1..span.min(64) {
                    row.push(Vec::new());
                }
            }
            rows.push(row);
        }
        rows
    }

    fn cell(&mut self, tc: Node<'d, 'i>, cell: &mut Vec<Inline>) {
        for c in tc.children().filter(Node::is_element) {
            let mut inlines = Vec::new();
            match c.tag_name().name() {
                "p" => {
                    self.bookmark = None;
                    self.inlines(c, &Style::default(), &mut inlines);
                }
                "tbl" => {
                    self.document.lose(LossKind::NestedTable);
                    for row in self.table(c) {
                        for inner in row {
                            if !inner.is_empty() {
                                if !inlines.is_empty() {
                                    push_text(&mut inlines, " ", &Style::default());
                                }
                                inlines.extend(inner);
                            }
                        }
                    }
                }
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.cell(content, &mut inlines);
                    }
                }
                _ => continue,
            }
            append_paragraph(cell, inlines);
        }
    }
}
