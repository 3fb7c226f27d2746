//! The model written as the Markdown of a specification: ATX headings (clauses), paragraphs,
//! lists, pipe tables, footnotes kept in the clause that cites them. Every piece of text is
//! escaped so that it reads back as the same text (a `*` typed in Word stays a `*`).

use super::{Block, Document, Inline, ParagraphKind, Style};
use crate::domain::spec::{slugify, Specification};

pub(crate) fn write(document: &Document) -> String {
    let mut out = String::new();
    // Footnotes cited since the last heading: written at the end of the clause.
    let mut pending_notes: Vec<usize> = Vec::new();
    let mut written_notes = vec![false; document.notes.len()];
    // Content columns of the open list items, by depth (nested items are indented to them).
    let mut list_columns: Vec<usize> = Vec::new();
    let mut counters: Vec<u32> = Vec::new();
    let mut previous: Option<&Block> = None;
    for block in &document.blocks {
        let in_list = matches!(block, Block::Item { .. });
        // A nested list is another list in Word (another numbering) but goes on in Markdown.
        let continues_list = matches!((previous, block), (Some(Block::Item { list: a, .. }), Block::Item { list: b, depth, .. }) if a == b || *depth > 0);
        if !continues_list {
            list_columns.clear();
            counters.clear();
        }
        if matches!(block, Block::Heading { .. }) {
            flush_notes(&mut out, document, &mut pending_notes, &mut written_notes);
        }
        if !out.is_empty() && !continues_list {
            // One blank line between blocks (a list's items stay tight).
            while !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
        match block {
            Block::Heading { level, inlines, .. } => {
                out.push_str(&"#".repeat(usize::from(*level).clamp(1, 6)));
                out.push(' ');
                let text = inline_markdown(inlines, false, &mut pending_notes).replace("\\\n", " ");
                // A heading's « 1. » starts no list: no need for the escape there.
                let digits = text.chars().take_while(char::is_ascii_digit).count();
                let text = if digits > 0 && (text[digits..].starts_with("\\.") || text[digits..].starts_with("\\)")) {
                    format!("{}{}", &text[..digits], &text[digits + 1..])
                } else {
                    text
                };
                out.push_str(&text);
                out.push('\n');
            }
            Block::Paragraph { kind, inlines } => {
                let text = inline_markdown(inlines, false, &mut pending_notes);
                match kind {
                    ParagraphKind::Quote => {
                        for line in text.lines() {
                            out.push_str("> ");
                            out.push_str(line);
                            out.push('\n');
                        }
                    }
                    ParagraphKind::Body | ParagraphKind::Code | ParagraphKind::Title | ParagraphKind::Subtitle => {
                        out.push_str(&text);
                        out.push('\n');
                    }
                }
            }
            Block::Item {
                ordered,
                depth,
                inlines,
                ..
            } => {
                let depth = usize::from(*depth).min(list_columns.len());
                list_columns.truncate(depth);
                counters.truncate(depth + 1);
                counters.resize(depth + 1, 0);
                counters[depth] += 1;
                let indent = list_columns.last().copied().unwrap_or(0);
                let marker = if *ordered {
                    format!("{}. ", counters[depth])
                } else {
                    "- ".to_owned()
                };
                list_columns.push(indent + marker.len());
                let text = inline_markdown(inlines, false, &mut pending_notes);
                out.push_str(&" ".repeat(indent));
                out.push_str(&marker);
                let continuation = format!("\n{}", " ".repeat(indent + marker.len()));
                out.push_str(&text.replace('\n', &continuation));
                out.push('\n');
            }
            Block::Table { rows } => {
                let columns = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
                for (i, row) in rows.iter().enumerate() {
                    out.push('|');
                    for c in 0..columns {
                        let cell = row.get(c).map(|cell| inline_markdown(cell, true, &mut pending_notes));
                        out.push(' ');
                        out.push_str(cell.as_deref().unwrap_or(""));
                        out.push_str(" |");
                    }
                    out.push('\n');
                    if i == 0 {
                        out.push('|');
                        out.push_str(&" --- |".repeat(columns));
                        out.push('\n');
                    }
                }
            }
            Block::Rule => out.push_str("---\n"),
        }
        let _ = in_list;
        previous = Some(block);
    }
    flush_notes(&mut out, document, &mut pending_notes, &mut written_notes);
    let out = anchor_headings(out, document);
    let trimmed = out.trim_end();
    format!("{trimmed}\n")
}

/// Writes the bodies of the footnotes cited in the clause that ends.
fn flush_notes(out: &mut String, document: &Document, pending: &mut Vec<usize>, written: &mut [bool]) {
    let mut nested = Vec::new();
    for index in std::mem::take(pending) {
        if std::mem::replace(&mut written[index], true) {
            continue;
        }
        while !out.ends_with("\n\n") {
            out.push('\n');
        }
        let body = inline_markdown(&document.notes[index], false, &mut nested);
        out.push_str(&format!("[^{}]: {}\n", index + 1, body.replace('\n', "\n    ")));
    }
}

/// Headings whose bookmark names a clause id that the Markdown would not give by itself get an
/// explicit `{#id}` anchor (a file exported by JeSaisFaire comes back with the same ids).
fn anchor_headings(markdown: String, document: &Document) -> String {
    let wanted: Vec<Option<&str>> = document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { id, .. } => Some(id.as_deref().filter(|id| is_clause_id(id))),
            _ => None,
        })
        .collect();
    if wanted.iter().all(Option::is_none) {
        return markdown;
    }
    let spec = Specification::parse(&markdown);
    // Only when every heading became a clause can headings and clauses be paired in order.
    if spec.clauses.len() != wanted.len() {
        return markdown;
    }
    let mut out = String::with_capacity(markdown.len() + 64);
    out.push_str(&spec.preamble);
    for (clause, id) in spec.clauses.iter().zip(wanted) {
        match id {
            Some(id) if clause.id != id && clause.anchor.is_none() => {
                let line = clause.heading.trim_end_matches(['\n', '\r']);
                out.push_str(&format!("{line} {{#{id}}}\n"));
            }
            _ => out.push_str(&clause.heading),
        }
        out.push_str(&clause.body);
    }
    out
}

/// A bookmark that can be a clause id: what `slugify` gives, or an anchor a buyer wrote.
/// Word's own bookmarks (`_Toc…`, `_Ref…`, `_GoBack`) start with an underscore.
fn is_clause_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && !id.starts_with('_')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && slugify(id) == id
}

/// Inlines as Markdown. Runs of one link become one link; formatting markers hug the text (the
/// spaces around a bold word go outside its `**`). `in_table` escapes `|` and writes breaks as
/// `<br>`.
pub(crate) fn inline_markdown(inlines: &[Inline], in_table: bool, notes: &mut Vec<usize>) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < inlines.len() {
        match &inlines[i] {
            Inline::Break => {
                out.push_str(if in_table { "<br>" } else { "\\\n" });
                i += 1;
            }
            Inline::Note(index) => {
                out.push_str(&format!("[^{}]", index + 1));
                notes.push(*index);
                i += 1;
            }
            Inline::Text(_, style) if style.link.is_some() => {
                let link = style.link.clone();
                let start = i;
                while i < inlines.len() && matches!(&inlines[i], Inline::Text(_, s) if s.link == link) {
                    i += 1;
                }
                let inner: String = inlines[start..i]
                    .iter()
                    .map(|inline| match inline {
                        Inline::Text(text, style) => formatted(text, style, in_table),
                        _ => String::new(),
                    })
                    .collect();
                let url = link.unwrap_or_default();
                let inner = if inner.trim().is_empty() {
                    escape(&url, in_table)
                } else {
                    inner
                };
                out.push_str(&format!("[{inner}](<{}>)", url.replace(['<', '>', '\n'], "")));
            }
            Inline::Text(text, style) => {
                out.push_str(&formatted(text, style, in_table));
                i += 1;
            }
        }
    }
    // A paragraph never starts or ends with spaces (four would make a code block).
    let trimmed = out.trim_matches(|c: char| c == ' ' || c == '\t');
    trimmed.to_owned()
}

fn formatted(text: &str, style: &Style, in_table: bool) -> String {
    let text = text.replace(['\t', '\r', '\n'], " ");
    let core = text.trim_matches(' ');
    if core.is_empty() {
        return text;
    }
    let lead = &text[..text.len() - text.trim_start_matches(' ').len()];
    let trail = &text[text.trim_end_matches(' ').len()..];
    let mut body = if style.code {
        // A fence longer than any run of backticks inside, and spaces when there are some, so
        // that a backtick at an edge still reads as text.
        let longest = core.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest + 1);
        let pad = if longest > 0 { " " } else { "" };
        format!(
            "{fence}{pad}{}{pad}{fence}",
            core.replace('|', if in_table { "\\|" } else { "|" })
        )
    } else {
        escape(core, in_table)
    };
    if style.strike {
        body = format!("~~{body}~~");
    }
    if style.italic {
        body = format!("*{body}*");
    }
    if style.bold {
        body = format!("**{body}**");
    }
    format!("{lead}{body}{trail}")
}

/// Backslash-escapes what Markdown would read as markup. A line's start cannot be known here
/// (inlines are joined), so the characters that start blocks are escaped wherever they stand
/// after a space or at the start: `#`, `>`, `-`, `+`, `=` and a number's `.` or `)`.
pub(crate) fn escape(text: &str, in_table: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let at_start = i == 0;
        let needs = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' => true,
            '|' => in_table,
            '&' => {
                chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                    .count()
                    > 0
            }
            '#' | '>' | '-' | '+' | '=' => at_start && chars.get(i + 1).is_none_or(|n| n.is_whitespace() || *n == c),
            '.' | ')' => {
                // « 1. » or « 12) » at the start would begin a numbered list.
                let digits = chars[..i].iter().rev().take_while(|c| c.is_ascii_digit()).count();
                digits > 0 && digits == i && chars.get(i + 1).is_none_or(|n| n.is_whitespace())
            }
            '{' => chars.get(i + 1) == Some(&'#'),
            '!' => chars.get(i + 1) == Some(&'['),
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
