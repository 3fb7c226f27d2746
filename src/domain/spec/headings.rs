//! Finding the headings that start clauses: a fast scan of ATX lines, checked against
//! CommonMark's block structure (pulldown-cmark) when the text has anything that could hide a
//! `#` line (code, HTML, quotes); the `{#id}` anchors of headings.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[allow(unused_imports)]
use super::*;

/// Markdown extensions, shared with the renderer so both see the same block structure.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// A heading that starts a clause, as found in the source.
#[derive(Debug, PartialEq)]
pub(super) struct RawHeading {
    /// Start of the heading's line (indentation included) and end after its line ending.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) level: u8,
    /// Plain text of the heading, anchor removed.
    pub(super) text: String,
    pub(super) anchor: Option<String>,
}

/// The top-level ATX headings that start clauses (the document title excluded).
pub(super) fn clause_headings(markdown: &str) -> Vec<RawHeading> {
    let mut headings = scanned_headings(markdown).unwrap_or_else(|| parsed_headings(markdown));
    // The only level-1 heading, when it comes first, is the document's title.
    let is_title =
        headings.first().is_some_and(|h| h.level == 1) && headings.iter().filter(|h| h.level == 1).count() == 1;
    if is_title {
        headings.remove(0);
    }
    headings
}

/// The top-level ATX headings found line by line, without parsing the whole document, or `None`
/// when the text holds something the scan cannot vouch for (then the full parse decides).
///
/// Why it is right: a heading line that starts in column 0 closes every container (block quote,
/// list item, footnote definition: it is never a lazy continuation line) and interrupts any
/// paragraph or table, so only a top-level fenced code block or HTML block can hold it. Fences
/// opened in column 0 are followed; an indented heading, fence or `<` line might sit in a list
/// item, and a heading with `[` might depend on link or footnote definitions elsewhere: those
/// documents go to the full parse, as do texts with a bare `\r` line ending. `scan_agrees_with_the_full_parse` checks this against
/// pulldown-cmark. Why it exists: the block pass of pulldown-cmark over a 1 MB text costs ~7 ms,
/// the scan well under one.
pub(super) fn scanned_headings(markdown: &str) -> Option<Vec<RawHeading>> {
    let mut headings = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut start = 0;
    while start < markdown.len() {
        let end = line_end(markdown, start);
        let line = &markdown.as_bytes()[start..end];
        // pulldown-cmark does not end code blocks at a bare `\r` (old Mac line ending): let it
        // decide for such texts.
        if line.ends_with(b"\r") {
            return None;
        }
        let content = trim_line_ending(line);
        let indent = content.iter().take_while(|&&b| b == b' ').count();
        let rest = &content[indent..];
        if let Some((marker, len)) = fence {
            let run = rest.iter().take_while(|&&b| b == marker).count();
            if indent < 4 && run >= len && rest[run..].iter().all(|&b| b == b' ' || b == b'\t') {
                fence = None;
            }
        } else if indent < 4 {
            match rest.first() {
                Some(b'#') => {
                    let hashes = rest.iter().take_while(|&&b| b == b'#').count();
                    if hashes <= 6 && matches!(rest.get(hashes), None | Some(b' ' | b'\t')) {
                        if indent > 0 {
                            return None;
                        }
                        headings.push(scanned_heading(markdown, start, end, hashes as u8)?);
                    }
                }
                Some(&marker @ (b'`' | b'~')) => {
                    let run = rest.iter().take_while(|&&b| b == marker).count();
                    let info = &rest[run..];
                    if run >= 3 && !(marker == b'`' && info.contains(&b'`')) {
                        if indent > 0 {
                            return None;
                        }
                        fence = Some((marker, run));
                    }
                }
                Some(b'<') => return None,
                _ => {}
            }
        }
        start = end;
    }
    Some(headings)
}

/// The line without its line ending.
pub(super) fn trim_line_ending(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The heading on the line `start..end`: its text read directly when it is plain words, else by
/// parsing that one line; `None` when the line might read differently inside the document.
pub(super) fn scanned_heading(markdown: &str, start: usize, end: usize, level: u8) -> Option<RawHeading> {
    let raw = &markdown[start..end];
    let content = raw[level as usize..].trim();
    let plain = |c: char| c.is_alphanumeric() || c.is_whitespace() || ".,;:'’()/%+=?«»\"°–—-".contains(c);
    let (text, anchor) = if content.chars().all(plain) {
        (content.split_whitespace().collect::<Vec<_>>().join(" "), None)
    } else if content.contains(['[', ']']) {
        return None;
    } else {
        let mut events: Vec<Event> = Parser::new_ext(raw, options())
            .filter(|e| !matches!(e, Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_))))
            .collect();
        let anchor = take_heading_anchor(raw, &mut events);
        (plain_text(&events), anchor)
    };
    Some(RawHeading {
        start,
        end,
        level,
        text,
        anchor,
    })
}

/// The top-level ATX headings as CommonMark sees them, by a full parse of the document.
pub(super) fn parsed_headings(markdown: &str) -> Vec<RawHeading> {
    let mut headings = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(RawHeading, Vec<Event>)> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 && is_atx_line(markdown, range.start) => {
                depth += 1;
                let start = line_start(markdown, range.start);
                let end = line_end(markdown, range.start);
                let raw = RawHeading {
                    start,
                    end,
                    level: level as u8,
                    text: String::new(),
                    anchor: None,
                };
                current = Some((raw, Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) if depth == 1 && current.is_some() => {
                depth -= 1;
                if let Some((mut raw, mut events)) = current.take() {
                    raw.anchor = take_heading_anchor(&markdown[raw.start..raw.end], &mut events);
                    raw.text = plain_text(&events);
                    headings.push(raw);
                }
            }
            event => {
                match event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if let Some((_, events)) = current.as_mut() {
                    events.push(event);
                }
            }
        }
    }
    headings
}

/// Whether the line holding `pos` opens an ATX heading (setext headings may start with `#`).
pub(super) fn is_atx_line(markdown: &str, pos: usize) -> bool {
    let line = markdown[line_start(markdown, pos)..].trim_start_matches(' ');
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.as_bytes().get(hashes), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

pub(super) fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Just after the line ending of the line holding `pos` (CommonMark also allows a bare `\r`).
pub(super) fn line_end(text: &str, pos: usize) -> usize {
    match memchr::memchr2(b'\n', b'\r', &text.as_bytes()[pos..]) {
        None => text.len(),
        Some(i) if text[pos + i..].starts_with("\r\n") => pos + i + 2,
        Some(i) => pos + i + 1,
    }
}

/// Removes an explicit `{#id}` anchor from the end of a heading's inline events and returns
/// the id. `raw` is the heading's source. The anchor counts only when it is written verbatim at
/// the end of the source (not escaped) AND ends the heading's text (not cut by emphasis), so
/// that the parser and the renderer always agree.
pub(crate) fn take_heading_anchor(raw: &str, events: &mut Vec<Event<'_>>) -> Option<String> {
    let mut source = raw.trim_end();
    let without_closing = source.trim_end_matches('#');
    if without_closing.len() < source.len() && without_closing.ends_with([' ', '\t']) {
        source = without_closing.trim_end();
    }
    let open = source.strip_suffix('}')?.rfind("{#")?;
    let id = &source[open + 2..source.len() - 1];
    let valid = id.len() <= 100
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid || source[..open].ends_with('\\') {
        return None;
    }
    let run_start = events
        .iter()
        .rposition(|e| !matches!(e, Event::Text(_)))
        .map_or(0, |i| i + 1);
    let text: String = events[run_start..]
        .iter()
        .filter_map(|e| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
        .collect();
    let kept = text.trim_end().strip_suffix(source.get(open..)?)?.trim_end().to_owned();
    events.truncate(run_start);
    if !kept.is_empty() {
        events.push(Event::Text(kept.into()));
    }
    Some(id.to_owned())
}

/// The text a reader sees in a heading.
pub(super) fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
