//! A specification (CCTP) split into clauses.
//!
//! CONTRACT (shared by the other domain modules; keep these names and fields):
//! - `Clause` is one numbered section of the text, from its heading to the next heading.
//! - `Clause::id` is the stable identity of the clause across versions (what diffs and
//!   annotations hang on).
//! - `Specification::parse` never fails on valid UTF-8; limits are checked by `check_limits`.
//!
//! Decisions worth knowing:
//! - Clauses start at top-level ATX headings (`#` to `######`) as CommonMark sees them, so `#`
//!   lines in code blocks, HTML blocks or block quotes and setext headings start nothing.
//! - A document whose first heading is its only level-1 heading has a title: that heading and
//!   the text up to the next heading stay in `preamble`.
//! - The parse is lossless: `preamble` + each clause's `heading` + `body` is the input, byte for
//!   byte (`to_markdown`).
//! - Numbers: `3.2 Maintenance` and `3.2. Maintenance` give number `3.2`, title `Maintenance`;
//!   `ARTICLE 2 - Objet` gives `2`, `Objet`. A heading that is only a number, with or without a
//!   keyword (`Article 544`, `3.2`), keeps the whole heading as title and still gets the number.
//! - Ids: an explicit `{#id}` anchor, else the slug of the title (so renumbering keeps it),
//!   made unique with `-2`, `-3`. `carry_ids` then carries ids from one version to the next.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::markdown;

/// Largest specification accepted, in bytes.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Largest number of clauses accepted.
pub const MAX_CLAUSES: usize = 5_000;

/// One clause of a specification: a heading and the Markdown that follows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    /// Stable id, e.g. `article-544` or an explicit `{#id}` anchor written by the buyer.
    pub id: String,
    /// Section number as written in the heading, e.g. `3.2`, if any.
    pub number: Option<String>,
    /// Heading text without the number and without the anchor, e.g. `Maintenance préventive`.
    pub title: String,
    /// Heading level (1 to 6).
    pub level: u8,
    /// Markdown of the clause body, heading line excluded.
    pub body: String,
    /// The heading line exactly as written, line ending included, so the text round-trips.
    #[serde(default)]
    pub heading: String,
    /// The explicit `{#id}` anchor written in the heading, if any (it wins in `carry_ids`).
    #[serde(default)]
    pub anchor: Option<String>,
}

impl Clause {
    /// The heading as a reader sees it: `3.2 Maintenance`, or `Article 544` when the title
    /// already carries the number.
    pub fn label(&self) -> String {
        match self.shown_number() {
            Some(n) => format!("{n} {}", self.title),
            None => self.title.clone(),
        }
    }

    /// The number to show before the title (outlines, labels): none when the title already ends
    /// with it (`Article 544`), but kept when the same digits only appear inside the title
    /// (`2 Bilan 2024`, `3 Délais de 30 jours`).
    pub fn shown_number(&self) -> Option<&str> {
        self.number
            .as_deref()
            .filter(|n| self.title != *n && !self.title.strip_suffix(n).is_some_and(|t| t.ends_with(' ')))
    }

    /// The id this clause would take on its own: its anchor, else the slug of its title.
    fn natural_id(&self) -> String {
        self.anchor.clone().unwrap_or_else(|| slugify(&self.title))
    }
}

/// A whole specification: the text before the first heading, then the clauses in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specification {
    pub preamble: String,
    pub clauses: Vec<Clause>,
}

impl Specification {
    /// Splits Markdown into a preamble and clauses, and gives each clause a unique id.
    pub fn parse(markdown: &str) -> Specification {
        let headings = clause_headings(markdown);
        let preamble_end = headings.first().map_or(markdown.len(), |h| h.start);
        let mut clauses: Vec<Clause> = headings
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let body_end = headings.get(i + 1).map_or(markdown.len(), |n| n.start);
                let (number, title) = split_number(&h.text);
                let mut clause = Clause {
                    id: String::new(),
                    number,
                    title,
                    level: h.level,
                    body: markdown[h.end..body_end].to_owned(),
                    heading: markdown[h.start..h.end].to_owned(),
                    anchor: h.anchor.clone(),
                };
                // Its natural id now, while its title is in the cache (a pass over 2,000 titles
                // later waits on memory for each).
                clause.id = clause.natural_id();
                clause
            })
            .collect();
        // Nearly always the natural ids are distinct and stay; otherwise `assign_fresh_ids`
        // gives each its place.
        let mut seen: HashSet<&str, FastHash> = HashSet::with_capacity_and_hasher(clauses.len(), FastHash::default());
        let distinct = clauses.iter().all(|c| seen.insert(&c.id));
        drop(seen);
        if !distinct {
            let all: Vec<usize> = (0..clauses.len()).collect();
            assign_fresh_ids(&mut clauses, &all, &mut HashSet::default());
        }
        Specification {
            preamble: markdown[..preamble_end].to_owned(),
            clauses,
        }
    }

    /// A published version: the text parsed, with the clause ids fixed at its publication
    /// (one per clause, in order). Empty `ids` (versions stored before ids were kept) or a count
    /// that does not match leave the ids of a plain parse.
    pub fn parse_with_ids(markdown: &str, ids: &[String]) -> Specification {
        let mut spec = Specification::parse(markdown);
        if ids.len() == spec.clauses.len() {
            for (clause, id) in spec.clauses.iter_mut().zip(ids) {
                clause.id.clone_from(id);
            }
        }
        spec
    }

    /// The clause ids in order, as stored at publication.
    pub fn clause_ids(&self) -> Vec<String> {
        self.clauses.iter().map(|c| c.id.clone()).collect()
    }

    /// The Markdown text again: exactly the parsed input for a parsed specification.
    pub fn to_markdown(&self) -> String {
        let len = self.clauses.iter().map(|c| c.heading.len() + c.body.len() + 1);
        let mut out = String::with_capacity(self.preamble.len() + len.sum::<usize>());
        out.push_str(&self.preamble);
        for clause in &self.clauses {
            if clause.heading.is_empty() {
                // A clause built by hand: write a heading for it on a line of its own.
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                let hashes = "#".repeat(clause.level.clamp(1, 6) as usize);
                let number = clause.number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
                out.push_str(&format!("{hashes} {number}{}\n", clause.title));
            }
            out.push_str(&clause.heading);
            out.push_str(&clause.body);
        }
        out
    }

    /// Byte offset of each clause's heading line in `to_markdown()`, with the clause.
    pub(crate) fn clause_offsets(&self) -> impl Iterator<Item = (usize, &Clause)> {
        let mut offset = self.preamble.len();
        self.clauses.iter().map(move |c| {
            let start = offset;
            offset += c.heading.len() + c.body.len();
            (start, c)
        })
    }
}

/// Why a specification is refused before parsing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpecLimitError {
    #[error(
        "Le cahier des charges dépasse la taille maximale de 2 Mo ({} reçus). Scindez-le ou allégez-le.",
        megabytes_fr(*bytes)
    )]
    TooLarge { bytes: u64 },
    #[error(
        "Le cahier des charges compte {} clauses, au-delà du maximum de 5 000. Regroupez des clauses ou scindez-le en plusieurs documents.",
        thousands_fr(*clauses)
    )]
    TooManyClauses { clauses: u32 },
}

/// Refuses texts above `MAX_BYTES` or `MAX_CLAUSES`, with a message the buyer can act on.
pub fn check_limits(markdown: &str) -> Result<(), SpecLimitError> {
    if markdown.len() > MAX_BYTES {
        return Err(SpecLimitError::TooLarge {
            bytes: markdown.len() as u64,
        });
    }
    let clauses = clause_headings(markdown).len();
    if clauses > MAX_CLAUSES {
        return Err(SpecLimitError::TooManyClauses {
            clauses: clauses as u32,
        });
    }
    Ok(())
}

/// `2,4 Mo`, rounded up so that anything above the limit never reads as the limit itself.
fn megabytes_fr(bytes: u64) -> String {
    let tenths = (bytes * 10).div_ceil(1024 * 1024);
    format!("{},{} Mo", thousands_fr(tenths / 10), tenths % 10)
}

/// `5 214`: French thousands separator.
fn thousands_fr(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Splitting

/// A heading that starts a clause, as found in the source.
#[derive(Debug, PartialEq)]
struct RawHeading {
    /// Start of the heading's line (indentation included) and end after its line ending.
    start: usize,
    end: usize,
    level: u8,
    /// Plain text of the heading, anchor removed.
    text: String,
    anchor: Option<String>,
}

/// The top-level ATX headings that start clauses (the document title excluded).
fn clause_headings(markdown: &str) -> Vec<RawHeading> {
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
fn scanned_headings(markdown: &str) -> Option<Vec<RawHeading>> {
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
fn trim_line_ending(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The heading on the line `start..end`: its text read directly when it is plain words, else by
/// parsing that one line; `None` when the line might read differently inside the document.
fn scanned_heading(markdown: &str, start: usize, end: usize, level: u8) -> Option<RawHeading> {
    let raw = &markdown[start..end];
    let content = raw[level as usize..].trim();
    let plain = |c: char| c.is_alphanumeric() || c.is_whitespace() || ".,;:'’()/%+=?«»\"°–—-".contains(c);
    let (text, anchor) = if content.chars().all(plain) {
        (content.split_whitespace().collect::<Vec<_>>().join(" "), None)
    } else if content.contains(['[', ']']) {
        return None;
    } else {
        let mut events: Vec<Event> = Parser::new_ext(raw, markdown::options())
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
fn parsed_headings(markdown: &str) -> Vec<RawHeading> {
    let mut headings = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(RawHeading, Vec<Event>)> = None;
    for (event, range) in Parser::new_ext(markdown, markdown::options()).into_offset_iter() {
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
fn is_atx_line(markdown: &str, pos: usize) -> bool {
    let line = markdown[line_start(markdown, pos)..].trim_start_matches(' ');
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.as_bytes().get(hashes), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Just after the line ending of the line holding `pos` (CommonMark also allows a bare `\r`).
fn line_end(text: &str, pos: usize) -> usize {
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
fn plain_text(events: &[Event]) -> String {
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

// ---------------------------------------------------------------------------------------------
// Numbers and titles

/// Words that may introduce a number: `Article 6-1`, `Chapitre II`, `Annexe A`.
const KEYWORDS: [&str; 8] = [
    "article", "art.", "chapitre", "section", "annexe", "titre", "partie", "lot",
];
/// Words that continue a number: `8 bis`, `12 ter`.
const SUFFIXES: [&str; 6] = ["bis", "ter", "quater", "quinquies", "sexies", "septies"];
/// Between a number and its title: `2 - Objet`, `3 : Durée`.
const SEPARATORS: [char; 7] = ['-', '–', '—', ':', '.', ')', ','];

/// Splits a heading into its number, if any, and its title (see the module notes).
fn split_number(text: &str) -> (Option<String>, String) {
    let after_keyword = KEYWORDS.iter().find_map(|kw| {
        let head = text.get(..kw.len())?;
        let rest = &text[kw.len()..];
        let spaced = kw.ends_with('.') || rest.starts_with(char::is_whitespace);
        (head.eq_ignore_ascii_case(kw) && spaced).then(|| rest.trim_start())
    });
    let found = after_keyword
        .and_then(|rest| leading_number(rest, true))
        .or_else(|| leading_number(text, false));
    let Some((number, rest)) = found else {
        return (None, text.to_owned());
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(SEPARATORS).unwrap_or(rest).trim_start();
    let title = if rest.is_empty() { text } else { rest };
    (Some(number), title.to_owned())
}

/// A section number at the start of `s` and the text after it. Roman numerals and single
/// letters count only after a keyword or before `.`/`)`, so ordinary words are not numbers.
fn leading_number(s: &str, after_keyword: bool) -> Option<(String, &str)> {
    let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    let mut end = digits(s);
    if end > 0 {
        if s[end..].starts_with("er") && !s[end + 2..].starts_with(char::is_alphanumeric) {
            end += 2; // `Article 1er`
        }
        // `3.2.1`, `6-1`, `373-2-2`, `6–1`
        while let Some(sep) = s[end..].chars().next().filter(|c| matches!(c, '.' | '-' | '–')) {
            let n = digits(&s[end + sep.len_utf8()..]);
            if n == 0 {
                break;
            }
            end += sep.len_utf8() + n;
        }
        let mut number = s[..end].to_owned();
        let mut rest = &s[end..];
        if let Some(r) = rest.strip_prefix(['.', ')']) {
            rest = r; // `3.2.` and `1)`: the mark is not part of the number
        }
        let word = rest.trim_start();
        if let Some(suffix) = SUFFIXES.iter().find(|w| {
            word.len() < rest.len() && word.starts_with(*w) && !word[w.len()..].starts_with(char::is_alphanumeric)
        }) {
            number = format!("{number} {suffix}");
            rest = &word[suffix.len()..];
        }
        let boundary = rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with(SEPARATORS);
        return boundary.then_some((number, rest));
    }
    let roman = s.bytes().take_while(|b| matches!(b, b'I' | b'V' | b'X')).count();
    let letter = usize::from(s.starts_with(|c: char| c.is_ascii_uppercase()));
    let end = roman.max(letter);
    if end == 0 {
        return None;
    }
    let rest = &s[end..];
    let marked = rest.starts_with(['.', ')']) && !rest[1..].starts_with(char::is_alphanumeric);
    let dashed = rest.starts_with(char::is_whitespace) && rest.trim_start().starts_with(['-', '–', '—', ':']);
    if marked {
        Some((s[..end].to_owned(), &rest[1..]))
    } else if dashed
        || after_keyword && (rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with(SEPARATORS))
    {
        Some((s[..end].to_owned(), rest))
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Ids

/// A URL fragment for a heading: lowercase ASCII, French accents folded, other characters
/// turned to `-`, at most 80 bytes (`Maintenance préventive` -> `maintenance-preventive`).
pub fn slugify(text: &str) -> String {
    let mut slug = normalize(text);
    if slug.len() > 80 {
        let cut = slug[..=80].rfind('-').filter(|&i| i > 40).unwrap_or(80);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug.push_str("clause");
    }
    slug
}

/// Folded, lowercase words joined by `-`; also the key that compares headings across versions.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(&mut out, text);
    out
}

/// Appends the folded words of `text` to `out`, after a `-` when `out` already holds some: so
/// that `normalize("3.2 Maintenance")` is the number's words then the title's.
fn normalize_into(out: &mut String, text: &str) {
    let mut gap = true;
    for c in text.chars() {
        // ASCII first: it is nearly all of a heading, and needs no table.
        let folded = match c {
            'a'..='z' | '0'..='9' => None,
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            _ if c.is_ascii() => {
                gap = true;
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => Some('a'),
            'ç' | 'Ç' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => Some('i'),
            'ñ' | 'Ñ' => Some('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => Some('u'),
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => Some('y'),
            'æ' | 'Æ' | 'œ' | 'Œ' | 'ß' => Some('\0'), // two letters, written below
            _ => {
                gap = true;
                continue;
            }
        };
        if gap && !out.is_empty() {
            out.push('-');
        }
        gap = false;
        match (c, folded) {
            ('æ' | 'Æ', _) => out.push_str("ae"),
            ('œ' | 'Œ', _) => out.push_str("oe"),
            ('ß', _) => out.push_str("ss"),
            (_, Some(f)) => out.push(f),
            (c, None) => out.push(c),
        }
    }
}

/// A clause's heading as `carry_ids` compares it: number and title, normalised.
fn heading_key(c: &Clause) -> String {
    let mut key = String::with_capacity(c.title.len() + 8);
    normalize_into(&mut key, c.number.as_deref().unwrap_or(""));
    normalize_into(&mut key, &c.title);
    key
}

/// Gives the clauses at `indices` their natural id, or a `-2`, `-3` variant when it is taken.
/// Natural ids go first so that a duplicate never steals the id of a later original.
fn assign_fresh_ids(clauses: &mut [Clause], indices: &[usize], used: &mut HashSet<Cow<'_, str>, FastHash>) {
    let natural: Vec<String> = indices.iter().map(|&i| clauses[i].natural_id()).collect();
    let mut pending = Vec::new();
    // Anchors first: they are the buyer's explicit choice.
    for anchored in [true, false] {
        for (k, &i) in indices.iter().enumerate() {
            if clauses[i].anchor.is_some() != anchored {
                continue;
            }
            if !used.contains(natural[k].as_str()) {
                used.insert(Cow::Owned(natural[k].clone()));
                clauses[i].id = natural[k].clone();
            } else {
                pending.push(k);
            }
        }
    }
    pending.sort_unstable();
    for k in pending {
        let id = (2..)
            .map(|n| format!("{}-{n}", natural[k]))
            .find(|id| !used.contains(id.as_str()));
        let id = id.expect("an unused suffix always exists");
        used.insert(Cow::Owned(id.clone()));
        clauses[indices[k]].id = id;
    }
}

/// Gives each clause of `next` the id of the clause it continues in `previous`, so that diffs
/// and annotations follow clauses across edits, renumbering and moves. In order: explicit
/// anchors; same heading (and same body first); same title under another number; same body;
/// similar body (word sets, greedy best first). Bodies match only with at least `MIN_WORDS`
/// words, so that boilerplate such as "Sans objet." links nothing. Clauses left get a fresh id
/// that `previous` never used: a removed clause's id never comes back on a different clause.
/// Each previous clause is continued at most once.
pub fn carry_ids(previous: &Specification, next: &mut Specification) {
    let prev = &previous.clauses;
    let mut taken = vec![false; prev.len()]; // previous clause already continued
    let mut matched = vec![false; next.clauses.len()];
    let mut used: HashSet<Cow<str>, FastHash> = HashSet::default(); // ids given in `next`

    // 1. Explicit anchors win.
    let prev_by_id: HashMap<&str, usize, FastHash> = prev.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    for (j, clause) in next.clauses.iter_mut().enumerate() {
        if let Some(anchor) = clause.anchor.clone().filter(|a| !used.contains(a.as_str())) {
            if let Some(&i) = prev_by_id.get(anchor.as_str()) {
                taken[i] = true;
            }
            used.insert(Cow::Owned(anchor.clone()));
            clause.id = anchor;
            matched[j] = true;
        }
    }

    // 2. to 5. Same heading and body (so that duplicate headings pair right), same heading,
    // same title under another number, same body under another title: O(n) with hashing,
    // pairs taken in document order. Keys borrow the clauses' text (no copy per pass). The
    // heading line as written comes first: it pairs nearly every clause of a new version
    // before any heading or title has to be normalised.
    let mut prev_keys: Vec<Option<String>> = vec![None; prev.len()];
    let mut next_keys: Vec<Option<String>> = vec![None; next.clauses.len()];
    let passes = [
        Pass::WrittenHeadingAndBody,
        Pass::HeadingAndBody,
        Pass::Heading,
        Pass::Title,
        Pass::Body,
    ];
    for pass in passes {
        let normalised = match pass {
            Pass::HeadingAndBody => Some(heading_key as fn(&Clause) -> String),
            Pass::Title => Some((|c: &Clause| normalize(&c.title)) as fn(&Clause) -> String),
            _ => None,
        };
        if let Some(normalised) = normalised {
            // Only for the clauses still unpaired.
            (0..prev.len())
                .filter(|&i| !taken[i])
                .for_each(|i| prev_keys[i] = Some(normalised(&prev[i])));
            let left = (0..next.clauses.len()).filter(|&j| !matched[j]);
            left.for_each(|j| next_keys[j] = Some(normalised(&next.clauses[j])));
        }
        let mut by_key: HashMap<(&str, &str), VecDeque<usize>, FastHash> = HashMap::default();
        for (i, c) in prev.iter().enumerate().filter(|(i, _)| !taken[*i]) {
            if let Some(k) = pass.key(c, prev_keys[i].as_deref()) {
                by_key.entry(k).or_default().push_back(i);
            }
        }
        // Pairs first, ids after: the keys borrow `next`, which `carry` then changes.
        let pairs: Vec<(usize, usize)> = (0..next.clauses.len())
            .filter(|&j| !matched[j])
            .filter_map(|j| {
                let k = pass.key(&next.clauses[j], next_keys[j].as_deref())?;
                Some((by_key.get_mut(&k)?.pop_front()?, j))
            })
            .collect();
        drop(by_key);
        for (i, j) in pairs {
            carry(prev, i, &mut next.clauses[j], &mut used, &mut taken, &mut matched[j]);
        }
    }

    // 6. Similar bodies, only among the clauses still unmatched on both sides.
    let left_prev: Vec<usize> = (0..prev.len()).filter(|&i| !taken[i]).collect();
    let left_next: Vec<usize> = (0..next.clauses.len()).filter(|&j| !matched[j]).collect();
    if !left_prev.is_empty() && !left_next.is_empty() {
        let prev_bodies: Vec<&str> = left_prev.iter().map(|&i| prev[i].body.as_str()).collect();
        let next_bodies: Vec<&str> = left_next.iter().map(|&j| next.clauses[j].body.as_str()).collect();
        for (p, n) in similar_pairs(&prev_bodies, &next_bodies, SIMILARITY_THRESHOLD) {
            let (i, j) = (left_prev[p], left_next[n]);
            if !taken[i] && !matched[j] {
                carry(prev, i, &mut next.clauses[j], &mut used, &mut taken, &mut matched[j]);
            }
        }
    }

    // 7. Fresh ids, never one that `previous` used.
    used.extend(prev.iter().map(|c| Cow::Borrowed(c.id.as_str())));
    let fresh: Vec<usize> = (0..next.clauses.len()).filter(|&j| !matched[j]).collect();
    assign_fresh_ids(&mut next.clauses, &fresh, &mut used);
}

/// The passes of `carry_ids` that pair clauses by equal keys, in order.
#[derive(Clone, Copy, PartialEq)]
enum Pass {
    WrittenHeadingAndBody,
    HeadingAndBody,
    Heading,
    Title,
    Body,
}

impl Pass {
    /// What two clauses must share to pair in this pass, `None` when this clause cannot pair.
    /// `normalised` is the clause's heading (or title, in that pass) as `carry_ids` compares it.
    fn key<'a>(self, clause: &'a Clause, normalised: Option<&'a str>) -> Option<(&'a str, &'a str)> {
        let body = clause.body.trim();
        match self {
            // A clause built by hand has no heading line: it pairs by its normalised heading.
            Pass::WrittenHeadingAndBody => Some((clause.heading.trim(), body)).filter(|(h, _)| !h.is_empty()),
            Pass::HeadingAndBody => normalised.map(|h| (h, body)),
            // A heading of punctuation only (empty key) tells nothing about which clause it is.
            Pass::Heading | Pass::Title => normalised.filter(|h| !h.is_empty()).map(|h| (h, "")),
            Pass::Body => has_min_words(&clause.body).then_some(("", body)),
        }
    }
}

/// Gives `clause` the id of `prev[i]`, unless that id is already used in `next` (possible only
/// with duplicate ids in `previous`), in which case the clause will get a fresh id.
fn carry<'p>(
    prev: &'p [Clause],
    i: usize,
    clause: &mut Clause,
    used: &mut HashSet<Cow<'p, str>, FastHash>,
    taken: &mut [bool],
    matched: &mut bool,
) {
    taken[i] = true;
    if used.insert(Cow::Borrowed(&prev[i].id)) {
        // Into the buffer of the clause's own id: usually the same id, so no allocation.
        clause.id.clone_from(&prev[i].id);
        *matched = true;
    }
}

/// Jaccard similarity of word sets above which two bodies are taken for the same clause.
const SIMILARITY_THRESHOLD: f64 = 0.5;
/// Fewest words a body needs to identify its clause.
const MIN_WORDS: usize = 5;

fn has_min_words(body: &str) -> bool {
    body.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .nth(MIN_WORDS - 1)
        .is_some()
}
/// Bound on the work of `similar_pairs` (index entries visited plus words compared), so that
/// even a pathological input stays fast; past it the clauses left get fresh ids.
const MAX_WORK: usize = 30_000_000;

/// Pairs `(p, n)` of bodies whose word-set Jaccard similarity reaches `threshold`, best first,
/// ties broken by closeness of position. Candidates come from PPJoin's prefix and positional
/// filters (words ordered rarest first; two sets that similar must share a word early in both,
/// and enough words must remain after it), which keeps the work near linear for real texts.
fn similar_pairs(prev: &[&str], next: &[&str], threshold: f64) -> Vec<(usize, usize)> {
    let mut words = Vocabulary::default();
    let prev_sets: Vec<Vec<u32>> = prev.iter().map(|body| words.set_of(body)).collect();
    let next_sets: Vec<Vec<u32>> = next.iter().map(|body| words.set_of(body)).collect();
    let frequency = &words.frequency;
    let by_rarity = |set: &[u32]| -> Vec<u32> {
        let mut ordered = set.to_vec();
        ordered.sort_unstable_by_key(|&w| (frequency[w as usize], w));
        ordered
    };
    // Two sets with Jaccard >= t share at least ceil(t * |A|) words, so one of A's first
    // |A| - ceil(t * |A|) + 1 words in any fixed order.
    let prefix_len = |len: usize| {
        (len + 1)
            .saturating_sub((threshold * len as f64).ceil() as usize)
            .min(len)
    };
    let mut index: HashMap<u32, Vec<(u32, u32)>, FastHash> = HashMap::default();
    for (p, set) in prev_sets.iter().enumerate().filter(|(_, set)| set.len() >= MIN_WORDS) {
        for (i, w) in by_rarity(set).into_iter().take(prefix_len(set.len())).enumerate() {
            index.entry(w).or_default().push((p as u32, i as u32));
        }
    }
    let overlap_ratio = threshold / (1.0 + threshold);
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    // Per previous body, for the current next body: shared words so far, or -1 once pruned.
    let mut overlap = vec![0i32; prev.len()];
    let mut stamp = vec![usize::MAX; prev.len()];
    // Words of the current next body, to intersect without merging.
    let mut in_next = vec![usize::MAX; frequency.len()];
    let mut candidates = Vec::new();
    let mut work = 0;
    for (n, set) in next_sets.iter().enumerate() {
        if work > MAX_WORK {
            break;
        }
        if set.len() < MIN_WORDS {
            continue;
        }
        candidates.clear();
        let b = set.len();
        for (j, w) in by_rarity(set).into_iter().take(prefix_len(b)).enumerate() {
            let postings = index.get(&w).map_or(&[][..], Vec::as_slice);
            work += postings.len();
            for &(p, i) in postings {
                let (p, i) = (p as usize, i as usize);
                if stamp[p] != n {
                    stamp[p] = n;
                    overlap[p] = 0;
                    candidates.push(p);
                }
                if overlap[p] < 0 {
                    continue;
                }
                let a = prev_sets[p].len();
                let needed = (overlap_ratio * (a + b) as f64).ceil() as i32;
                let bound = overlap[p] + 1 + (a - i - 1).min(b - j - 1) as i32;
                overlap[p] = if bound >= needed { overlap[p] + 1 } else { -1 };
            }
        }
        set.iter().for_each(|&w| in_next[w as usize] = n);
        for &p in &candidates {
            if overlap[p] <= 0 {
                continue;
            }
            work += prev_sets[p].len();
            let common = prev_sets[p].iter().filter(|&&w| in_next[w as usize] == n).count();
            let score = common as f64 / (prev_sets[p].len() + b - common) as f64;
            if score >= threshold {
                pairs.push((score, p, n));
            }
        }
    }
    // Position as a fraction of each list, so that a clause near the same place wins a tie.
    let place = |p: usize, n: usize| (p as f64 / prev.len() as f64 - n as f64 / next.len() as f64).abs();
    pairs.sort_by(|a, b| {
        (b.0.total_cmp(&a.0))
            .then(place(a.1, a.2).total_cmp(&place(b.1, b.2)))
            .then((a.1, a.2).cmp(&(b.1, b.2)))
    });
    pairs.into_iter().map(|(_, p, n)| (p, n)).collect()
}

/// Words numbered as they are met, with the number of bodies each appears in.
#[derive(Default)]
struct Vocabulary {
    // std's keyed hash: words are the buyer's text, and a fixed hash could be flooded.
    ids: HashMap<String, u32>,
    frequency: Vec<u32>,
    lowercase: String,
}

impl Vocabulary {
    /// The distinct words of a body, lowercased, as ids.
    fn set_of(&mut self, body: &str) -> Vec<u32> {
        let mut set = Vec::new();
        for word in body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            self.lowercase.clear();
            if word.is_ascii() {
                self.lowercase.push_str(word);
                self.lowercase.make_ascii_lowercase();
            } else {
                self.lowercase.extend(word.chars().flat_map(char::to_lowercase));
            }
            let id = match self.ids.get(self.lowercase.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.frequency.len() as u32;
                    self.ids.insert(self.lowercase.clone(), id);
                    self.frequency.push(0);
                    id
                }
            };
            set.push(id);
        }
        set.sort_unstable();
        set.dedup();
        set.iter().for_each(|&w| self.frequency[w as usize] += 1);
        set
    }
}

/// The hash of maps keyed by clause ids, headings, bodies or word numbers: foldhash, seeded per
/// process. Not the collision-proof SipHash: these maps hold at most `MAX_CLAUSES` clauses of
/// one text (no crafted collisions can make them slower than quadratic in that), and the
/// comparison hashes every clause of both versions. Words of the buyer's text keep std's hash.
pub(crate) type FastHash = foldhash::fast::RandomState;

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(spec: &Specification) -> Vec<&str> {
        spec.clauses.iter().map(|c| c.id.as_str()).collect()
    }

    fn assert_unique_ids(spec: &Specification) {
        let set: HashSet<&str> = ids(spec).into_iter().collect();
        assert_eq!(set.len(), spec.clauses.len(), "duplicate ids: {:?}", ids(spec));
    }

    /// Parses `previous` and `next` and carries the ids over.
    fn carried(previous: &str, next: &str) -> (Specification, Specification) {
        let previous = Specification::parse(previous);
        let mut next = Specification::parse(next);
        carry_ids(&previous, &mut next);
        assert_unique_ids(&next);
        (previous, next)
    }

    fn id_of<'a>(spec: &'a Specification, title: &str) -> &'a str {
        let clause = spec.clauses.iter().find(|c| c.title == title);
        &clause
            .unwrap_or_else(|| panic!("no clause {title:?} in {:?}", spec.clauses))
            .id
    }

    #[test]
    fn numbering_styles() {
        let cases = [
            (
                "3.2 Maintenance préventive",
                Some("3.2"),
                "Maintenance préventive",
                "maintenance-preventive",
            ),
            ("3.2. Maintenance", Some("3.2"), "Maintenance", "maintenance"),
            ("1) Objet", Some("1"), "Objet", "objet"),
            (
                "10 Critères d'attribution",
                Some("10"),
                "Critères d'attribution",
                "criteres-d-attribution",
            ),
            ("Article 544", Some("544"), "Article 544", "article-544"),
            ("Article 6-1", Some("6-1"), "Article 6-1", "article-6-1"),
            ("Article 373-2-2", Some("373-2-2"), "Article 373-2-2", "article-373-2-2"),
            ("Article 1er", Some("1er"), "Article 1er", "article-1er"),
            ("ARTICLE 2 - Objet", Some("2"), "Objet", "objet"),
            ("Art. 7 : Pénalités", Some("7"), "Pénalités", "penalites"),
            ("Chapitre II – Exécution", Some("II"), "Exécution", "execution"),
            ("IV. Réversibilité", Some("IV"), "Réversibilité", "reversibilite"),
            ("Annexe A", Some("A"), "Annexe A", "annexe-a"),
            (
                "8 bis Astreinte lors des scrutins",
                Some("8 bis"),
                "Astreinte lors des scrutins",
                "astreinte-lors-des-scrutins",
            ),
            ("3.2", Some("3.2"), "3.2", "3-2"),
            ("Objet du marché", None, "Objet du marché", "objet-du-marche"),
            ("Titre du marché", None, "Titre du marché", "titre-du-marche"),
            ("Il était une fois", None, "Il était une fois", "il-etait-une-fois"),
            ("3D et impression", None, "3D et impression", "3d-et-impression"),
            (
                "Œuvre **réalisée** à l'été",
                None,
                "Œuvre réalisée à l'été",
                "oeuvre-realisee-a-l-ete",
            ),
            ("Sécurité `TLS 1.3`", None, "Sécurité TLS 1.3", "securite-tls-1-3"),
        ];
        for (heading, number, title, id) in cases {
            let spec = Specification::parse(&format!("## {heading}\n\nTexte.\n"));
            let clause = &spec.clauses[0];
            assert_eq!(clause.number.as_deref(), number, "{heading}");
            assert_eq!(clause.title, title, "{heading}");
            assert_eq!(clause.id, id, "{heading}");
            assert_eq!(clause.level, 2);
            assert_eq!(clause.body, "\nTexte.\n");
        }
    }

    #[test]
    fn labels_do_not_repeat_the_number() {
        let spec = Specification::parse("## 3.2 Maintenance\n## Article 544\n## Objet\n## 2 Bilan 2024\n## 4.1\n");
        let labels: Vec<String> = spec.clauses.iter().map(Clause::label).collect();
        assert_eq!(
            labels,
            ["3.2 Maintenance", "Article 544", "Objet", "2 Bilan 2024", "4.1"]
        );
    }

    #[test]
    fn explicit_anchors_set_the_id() {
        let spec = Specification::parse(
            "## 3.2 Maintenance {#maintenance-v1}\n## Délais {#delais} ##\n\
             ## Prix \\{#echappe}\n## Doublon {#delais}\n## Mauvais {#a b}\n",
        );
        assert_eq!(
            ids(&spec),
            ["maintenance-v1", "delais", "prix-echappe", "delais-2", "mauvais-a-b"]
        );
        assert_eq!(spec.clauses[0].title, "Maintenance");
        assert_eq!(spec.clauses[0].number.as_deref(), Some("3.2"));
        assert_eq!(spec.clauses[0].anchor.as_deref(), Some("maintenance-v1"));
        assert_eq!(spec.clauses[1].title, "Délais");
        assert_eq!(spec.clauses[2].title, "Prix {#echappe}");
        assert_eq!(spec.clauses[2].anchor, None);
        assert_eq!(spec.clauses[4].title, "Mauvais {#a b}");
    }

    #[test]
    fn code_blocks_quotes_html_and_setext_headings_do_not_split() {
        let text = "## 1 Objet\n\n```sh\n# pas un titre\n## non plus\n```\n\n~~~~\n# toujours pas\n~~~~\n\n\
                    \x20   # bloc indenté\n\n> ## citation\n\n<div>\n## dans du HTML\n</div>\n\n\
                    Titre souligné\n--------------\n\n#hashtag\n\n## 2 Délais\nTexte.";
        let spec = Specification::parse(text);
        assert_eq!(ids(&spec), ["objet", "delais"]);
        assert!(spec.clauses[0].body.contains("# pas un titre"));
        assert_eq!(spec.clauses[1].body, "Texte.");
        assert_eq!(spec.to_markdown(), text);
    }

    #[test]
    fn the_line_scan_reads_common_texts_as_the_full_parse() {
        let texts = [
            "# Titre\n\n## 1 Objet\nTexte.\n\n```\n# pas un titre\n```\n## 2 Prix ##\n",
            "## A\n~~~~ rust\n# code\n~~~\n# encore du code\n~~~~\n## B *important* & `x`\n",
            "## A\n```a`b\n## B\n    # indenté\n\t# tabulé\n> # citée\n- # en liste\n## C {#ancre}\n",
            "## A\n| a |\n|---|\n## B\n[^1]: note\n## C\r\nfin\r\n### D\n#sans espace\n####### sept\n",
        ];
        for text in texts {
            let scanned = scanned_headings(text).unwrap_or_else(|| panic!("scan declined {text:?}"));
            assert!(!scanned.is_empty());
            assert_eq!(scanned, parsed_headings(text), "{text:?}");
        }
        // What the scan cannot vouch for goes to the full parse.
        for text in [
            "<div>\n# a\n</div>\n",
            "- a\n  # b\n",
            "## [lien]\n\n[lien]: /u\n",
            "a\r# b",
        ] {
            assert_eq!(scanned_headings(text), None, "{text:?}");
        }
    }

    #[test]
    fn an_unclosed_fence_runs_to_the_end() {
        let spec = Specification::parse("## 1 Objet\n```\n## 2 Pas une clause\n");
        assert_eq!(ids(&spec), ["objet"]);
    }

    #[test]
    fn the_only_level_one_heading_is_the_title() {
        let spec =
            Specification::parse("Brouillon\n# CCTP Maintenance\n\nIntro.\n\n## 1 Objet\nA\n### 1.1 Détail\nB\n");
        assert_eq!(spec.preamble, "Brouillon\n# CCTP Maintenance\n\nIntro.\n\n");
        assert_eq!(ids(&spec), ["objet", "detail"]);
        assert_eq!(spec.clauses[1].level, 3);

        let spec = Specification::parse("# Partie 1\nA\n# Partie 2\nB\n");
        assert_eq!(spec.preamble, "");
        assert_eq!(ids(&spec), ["partie-1", "partie-2"]);

        let spec = Specification::parse("## Objet\n# Annexe\n");
        assert_eq!(ids(&spec), ["objet", "annexe"]);

        let spec = Specification::parse("Seulement du texte.\n");
        assert_eq!(spec.preamble, "Seulement du texte.\n");
        assert!(spec.clauses.is_empty());
    }

    #[test]
    fn duplicate_titles_get_suffixes_without_stealing_later_ids() {
        let spec = Specification::parse("## Délais\n## 2 Délais\n## Délais 2\n## —\n## {#x}\n");
        assert_eq!(ids(&spec), ["delais", "delais-3", "delais-2", "clause", "x"]);
    }

    #[test]
    fn round_trips_byte_for_byte() {
        let texts = [
            "",
            "## Seul",
            "\n\n## A\r\n\r\ntexte\r\n## B\r\n",
            "## A\rtexte\r## B\r",
            "  ## Indenté\n   ### Plus indenté ###\ntexte sans fin",
            "# Titre\n\n## 1 Objet\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: note\n",
            "## A {#a}\n\n```\n## code\n",
        ];
        for text in texts {
            assert_eq!(Specification::parse(text).to_markdown(), text, "{text:?}");
        }
    }

    #[test]
    fn hand_built_clauses_get_a_heading() {
        let spec = Specification {
            preamble: "Intro".into(),
            clauses: vec![Clause {
                number: Some("1".into()),
                title: "Objet".into(),
                level: 2,
                body: "Texte\n".into(),
                ..Clause::default()
            }],
        };
        assert_eq!(spec.to_markdown(), "Intro\n## 1 Objet\nTexte\n");
    }

    const V1: &str = "# CCTP\n\n## 1 Objet\n\nLe marché porte sur la maintenance des postes.\n\n\
                      ## 2 Délais\n\nLe titulaire intervient sous quatre heures ouvrées.\n\n\
                      ## 3 Prix\n\nLes prix sont forfaitaires et révisables chaque année.\n";

    #[test]
    fn renumbering_keeps_ids() {
        let v2 = "# CCTP\n\n## 1 Objet\n\nLe marché porte sur la maintenance des postes.\n\n\
                  ## 2 Garanties\n\nLe matériel est garanti trois ans.\n\n\
                  ## 3 Délais\n\nLe titulaire intervient sous quatre heures ouvrées.\n\n\
                  ## 4. Prix\n\nLes prix sont forfaitaires et révisables chaque année.\n";
        let (previous, next) = carried(V1, v2);
        for title in ["Objet", "Délais", "Prix"] {
            assert_eq!(id_of(&next, title), id_of(&previous, title));
        }
        assert_eq!(id_of(&next, "Garanties"), "garanties");
    }

    #[test]
    fn moves_keep_ids() {
        let v2 = "# CCTP\n\n## 1 Prix\n\nLes prix sont forfaitaires et révisables chaque année.\n\n\
                  ## 2 Objet\n\nLe marché porte sur la maintenance des postes.\n\n\
                  ## 3 Délais\n\nLe titulaire intervient sous quatre heures ouvrées.\n";
        let (previous, next) = carried(V1, v2);
        assert_eq!(ids(&next), ["prix", "objet", "delais"]);
        assert_eq!(ids(&previous), ["objet", "delais", "prix"]);
    }

    #[test]
    fn edited_body_keeps_id() {
        let v2 = V1.replace("quatre heures ouvrées", "deux heures ouvrées, ou huit heures la nuit");
        let (_, next) = carried(V1, &v2);
        assert_eq!(ids(&next), ["objet", "delais", "prix"]);
    }

    #[test]
    fn retitled_and_renumbered_clause_is_found_by_its_body() {
        let v2 = "# CCTP\n\n## 1 Objet\n\nLe marché porte sur la maintenance des postes.\n\n\
                  ## 2 Garanties\n\nLe matériel est garanti trois ans.\n\n\
                  ## 3 Délais d'intervention\n\nLe titulaire intervient sous quatre heures ouvrées au plus.\n\n\
                  ## 4 Prix\n\nLes prix sont forfaitaires et révisables chaque année.\n";
        let (_, next) = carried(V1, v2);
        assert_eq!(ids(&next), ["objet", "garanties", "delais", "prix"]);
    }

    #[test]
    fn removed_clause_ids_are_not_reused() {
        let v1 = "## Prix {#tarifs}\nLes prix sont fermes.\n## Prix\nUne seconde clause de prix.\n\
                  ## Prix\nUne troisième.\n## Objet\nTexte.\n";
        let v2 = "## Objet\nTexte.\n## Prix\nUne seconde clause de prix.\n\
                  ## Tarifs\nUn barème entièrement nouveau.\n## Prix 2\nRien à voir.\n";
        let (previous, next) = carried(v1, v2);
        assert_eq!(ids(&previous), ["tarifs", "prix", "prix-2", "objet"]);
        assert_eq!(ids(&next), ["objet", "prix", "tarifs-2", "prix-2-2"]);
    }

    #[test]
    fn boilerplate_bodies_do_not_link_clauses() {
        let v1 = "## 5 Garantie\nSans objet.\n## 6 Prix\nLes prix sont fermes et définitifs.\n";
        let v2 = "## 6 Prix\nLes prix sont fermes et définitifs.\n## 9 Sous-traitance\nSans objet.\n";
        let (_, next) = carried(v1, v2);
        assert_eq!(ids(&next), ["prix", "sous-traitance"]);
        // A long enough body identifies its clause under any heading.
        let v1 = v1.replace("Sans objet.", "Le matériel est garanti trois ans.");
        let v2 = v2.replace("Sans objet.", "Le matériel est garanti trois ans.");
        let (_, next) = carried(&v1, &v2);
        assert_eq!(ids(&next), ["prix", "garantie"]);
    }

    #[test]
    fn explicit_anchors_win() {
        let v1 = "## 1 Objet\nA b c d.\n## 2 Délais\nE f g h.\n";
        let v2 = "## 1 Objet\nA b c d.\n## 2 Délais {#objet}\nE f g h.\n";
        let (_, next) = carried(v1, v2);
        assert_eq!(ids(&next), ["objet-2", "objet"]);
        // An anchor added later keeps nothing from the slug: the buyer chose it.
        let (_, next) = carried(v1, "## 1 Objet {#obj}\nA b c d.\n## 2 Délais\nE f g h.\n");
        assert_eq!(ids(&next), ["obj", "delais"]);
    }

    #[test]
    fn duplicate_headings_pair_in_order() {
        let v1 = "## Généralités\nLot un.\n## Généralités\nLot deux.\n";
        let v2 = "## Généralités\nLot un modifié.\n## Généralités\nLot deux.\n## Généralités\nLot trois.\n";
        let (_, next) = carried(v1, v2);
        assert_eq!(ids(&next), ["generalites", "generalites-2", "generalites-3"]);
    }

    #[test]
    fn limits_have_actionable_french_messages() {
        assert_eq!(check_limits("## Objet\n"), Ok(()));
        assert_eq!(check_limits(&"a".repeat(MAX_BYTES)), Ok(()));
        let err = check_limits(&"a".repeat(2_500_000)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Le cahier des charges dépasse la taille maximale de 2 Mo (2,4 Mo reçus). Scindez-le ou allégez-le."
        );
        let err = check_limits(&"a".repeat(MAX_BYTES + 1)).unwrap_err();
        assert!(err.to_string().contains("(2,1 Mo reçus)"), "{err}");
        let many = "## A\n".repeat(MAX_CLAUSES + 214);
        assert_eq!(
            check_limits(&many),
            Err(SpecLimitError::TooManyClauses { clauses: 5_214 })
        );
        assert_eq!(
            check_limits(&many).unwrap_err().to_string(),
            "Le cahier des charges compte 5 214 clauses, au-delà du maximum de 5 000. \
             Regroupez des clauses ou scindez-le en plusieurs documents."
        );
        assert_eq!(check_limits(&"## A\n".repeat(MAX_CLAUSES)), Ok(()));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn markdownish() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("# "),
                Just("## "),
                Just("### "),
                Just("####### "),
                Just("#"),
                Just("\n"),
                Just("\r\n"),
                Just("\r"),
                Just("   "),
                Just("\t"),
                Just("```"),
                Just("~~~"),
                Just("> "),
                Just("- "),
                Just("1. "),
                Just("==="),
                Just("---"),
                Just("{#a}"),
                Just("{#"),
                Just("}"),
                Just("\\"),
                Just("Article 5"),
                Just("3.2 "),
                Just("Délais"),
                Just("Prix"),
                Just("é"),
                Just("<div>"),
                Just("| a |"),
                Just("[^1]: "),
                Just("`"),
                Just("*"),
                Just("_"),
                Just("bis "),
                Just("IV. "),
                Just("|---|"),
                Just("[a]: /u '"),
                Just("'"),
                Just("[a]"),
                Just("&amp;"),
                Just("<!--"),
                Just("-->"),
                Just(" "),
                Just("    "),
                Just("* "),
                Just("+ "),
                Just("2) "),
                Just("**"),
                Just("~~"),
                Just("\u{a0}"),
                Just("\0"),
            ];
            proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
        }

        /// Documents made of headings and bodies, with repeated titles.
        fn sections() -> impl Strategy<Value = String> {
            let heading = prop_oneof![Just("# "), Just("## "), Just("### ")];
            let title = prop_oneof![
                Just("1 Objet"),
                Just("2 Objet"),
                Just("Objet"),
                Just("Article 5"),
                Just("Prix {#prix}"),
                Just("Délais"),
                Just("3.2. Délais"),
                Just("Annexe A"),
            ];
            let section = (heading, title, markdownish()).prop_map(|(h, t, b)| format!("{h}{t}\n{b}\n"));
            proptest::collection::vec(section, 1..10).prop_map(|v| v.concat())
        }

        /// The line scan may decline a text (then the full parse reads it); when it accepts one, it
        /// must read the same headings. It must also accept most texts, or the property would
        /// pass by declining everything: the accepted cases are counted.
        #[test]
        fn scan_agrees_with_the_full_parse() {
            use proptest::test_runner::TestRunner;
            let config = crate::domain::proptest_config();
            let cases = config.cases as usize;
            let mut runner = TestRunner::new(config);
            let accepted = std::cell::Cell::new(0usize);
            runner
                .run(&prop_oneof![markdownish(), htmlless()], |text| {
                    if let Some(scanned) = scanned_headings(&text) {
                        accepted.set(accepted.get() + 1);
                        prop_assert_eq!(scanned, parsed_headings(&text));
                    }
                    Ok(())
                })
                .unwrap();
            assert!(
                accepted.get() * 4 >= cases,
                "the scan read only {} of {cases} texts itself",
                accepted.get()
            );
        }

        /// Like `markdownish`, without HTML: texts the line scan is meant to read on its own.
        fn htmlless() -> impl Strategy<Value = String> {
            markdownish().prop_map(|t| t.replace(['<'], "&lt;"))
        }

        proptest! {
            // Failures are reported in the test output; no regression file in the source tree.
            #![proptest_config(crate::domain::proptest_config())]

            #[test]
            fn parse_is_lossless_with_unique_ids(text in markdownish()) {
                let spec = Specification::parse(&text);
                prop_assert_eq!(spec.to_markdown(), text);
                assert_unique_ids(&spec);
                prop_assert!(spec.clauses.iter().all(|c| !c.id.is_empty() && (1..=6).contains(&c.level)));
            }

            #[test]
            fn carried_ids_are_unique(a in markdownish(), b in markdownish()) {
                let previous = Specification::parse(&a);
                let mut next = Specification::parse(&b);
                carry_ids(&previous, &mut next);
                assert_unique_ids(&next);
            }

            #[test]
            fn an_unchanged_text_keeps_every_id(a in markdownish()) {
                let previous = Specification::parse(&a);
                let mut next = Specification::parse(&a);
                carry_ids(&previous, &mut next);
                prop_assert_eq!(next, previous);
            }

            #[test]
            fn a_removed_clause_takes_its_id_away(a in sections(), k in 0usize..20) {
                let previous = Specification::parse(&a);
                prop_assume!(!previous.clauses.is_empty());
                let k = k % previous.clauses.len();
                let removed = &previous.clauses[k];
                let mut rest = previous.clone();
                rest.clauses.remove(k);
                // Only when the clause is told apart from the others (normalised heading and
                // body) and its removal leaves the rest of the structure as it was.
                let same = |c: &Clause| {
                    let key = |c: &Clause| {
                        let heading = format!("{} {}", c.number.as_deref().unwrap_or(""), c.title);
                        (normalize(&heading), c.body.trim().to_owned())
                    };
                    key(c) == key(removed)
                };
                prop_assume!(!rest.clauses.iter().any(same));
                let mut next = Specification::parse(&rest.to_markdown());
                // Parsed alone, the rest must read as it did (a footnote definition removed with
                // the clause turns a `[^1]` reference elsewhere back into text, changing a title).
                let structure = |s: &Specification| {
                    s.clauses.iter().map(|c| (c.heading.clone(), c.number.clone(), c.title.clone())).collect::<Vec<_>>()
                };
                prop_assume!(structure(&next) == structure(&rest));
                carry_ids(&previous, &mut next);
                assert_unique_ids(&next);
                // Unless another clause asks for that id with an explicit anchor.
                let revived = next.clauses.iter().find(|c| c.id == removed.id);
                prop_assert!(revived.is_none_or(|c| c.anchor.as_deref() == Some(c.id.as_str())));
            }
        }
    }

    #[test]
    fn numbers_are_shown_unless_the_title_ends_with_them() {
        let spec = Specification::parse(
            "## 2 Bilan 2024\n\nx\n\n## 3 Délais de 30 jours\n\ny\n\n## Article 544\n\nz\n\n## 4.1 Prix\n",
        );
        let shown: Vec<Option<&str>> = spec.clauses.iter().map(Clause::shown_number).collect();
        assert_eq!(shown, [Some("2"), Some("3"), None, Some("4.1")]);
        let labels: Vec<String> = spec.clauses.iter().map(Clause::label).collect();
        assert_eq!(
            labels,
            ["2 Bilan 2024", "3 Délais de 30 jours", "Article 544", "4.1 Prix"]
        );
    }

    mod code_civil {
        use super::*;

        const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/code-civil/");

        fn read(name: &str) -> String {
            std::fs::read_to_string(format!("{DIR}{name}")).unwrap_or_else(|e| panic!("{DIR}{name}: {e}"))
        }

        fn changes(kind: &str) -> HashSet<String> {
            let list = read("changed-2013-to-2015.txt");
            list.lines()
                .filter_map(|l| l.strip_prefix(kind))
                .map(|t| t.trim().to_owned())
                .collect()
        }

        #[test]
        fn clause_counts_and_lossless_parse() {
            let v2013 = read("v2013-01-01.md");
            let v2015 = read("v2015-03-22.md");
            let (a, b) = (Specification::parse(&v2013), Specification::parse(&v2015));
            // `grep -c '^## Article'` gives 2,793 and 2,802; `# Code civil` is the title.
            assert_eq!(a.clauses.len(), 2_793);
            assert_eq!(b.clauses.len(), 2_802);
            assert_eq!(a.preamble, "# Code civil\n\n");
            assert_eq!(a.to_markdown(), v2013);
            assert_eq!(b.to_markdown(), v2015);
            assert_eq!(a.clauses[0].id, "article-544");
            assert_unique_ids(&a);
            assert_unique_ids(&b);
            assert!(check_limits(&v2015).is_ok());
            // The fast line scan reads both revisions itself, and as the full parse would.
            for text in [&v2013, &v2015] {
                assert_eq!(scanned_headings(text), Some(parsed_headings(text)));
            }
        }

        #[test]
        fn ids_survive_from_2013_to_2015() {
            let old = Specification::parse(&read("v2013-01-01.md"));
            let mut new = Specification::parse(&read("v2015-03-22.md"));
            carry_ids(&old, &mut new);
            assert_unique_ids(&new);
            let old_by_title: HashMap<&str, &Clause> = old.clauses.iter().map(|c| (c.title.as_str(), c)).collect();
            let old_ids: HashSet<&str> = ids(&old).into_iter().collect();
            let mut added = HashSet::new();
            let mut modified = HashSet::new();
            for clause in &new.clauses {
                match old_by_title.get(clause.title.as_str()) {
                    Some(before) => {
                        assert_eq!(clause.id, before.id, "{}", clause.title);
                        if before.body.trim() != clause.body.trim() {
                            modified.insert(clause.title.clone());
                        }
                    }
                    None => {
                        assert!(
                            !old_ids.contains(clause.id.as_str()),
                            "{} got {}",
                            clause.title,
                            clause.id
                        );
                        added.insert(clause.title.clone());
                    }
                }
            }
            assert_eq!(added, changes("added "));
            assert_eq!(added.len(), 9);
            assert_eq!(modified, changes("modified "));
            assert!(changes("removed ").is_empty());
            assert_eq!(old.clauses.len() + added.len(), new.clauses.len());
        }

        /// When every heading of the Code civil changes, ids are still carried by the bodies:
        /// first with the bodies untouched (matched by hashing), then with every body edited (by
        /// similarity). (How long it takes is measured in `benches/diff.rs`.)
        #[test]
        fn ids_survive_every_heading_changing() {
            let v2013 = read("v2013-01-01.md");
            let old = Specification::parse(&v2013);
            let headings_only = v2013.replace("## Article ", "## Art. n° ");
            let bodies_too = headings_only.replace("\n\n## Art.", " Alinéa ajouté.\n\n## Art.");
            let mut kept = usize::MAX;
            for text in [&headings_only, &bodies_too] {
                let mut shifted = Specification::parse(text);
                carry_ids(&old, &mut shifted);
                let same = old
                    .clauses
                    .iter()
                    .zip(&shifted.clauses)
                    .filter(|(a, b)| a.id == b.id)
                    .count();
                kept = kept.min(same);
            }
            assert!(kept * 100 >= old.clauses.len() * 95, "{kept}");
        }
    }
}
