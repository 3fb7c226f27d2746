//! Markdown to HTML, safe by construction, for the server and the browser alike.
//!
//! No sanitiser library (this also runs in WebAssembly): the event stream is rewritten before
//! it reaches pulldown-cmark's HTML writer, which escapes all text and attributes.
//! - Raw HTML (blocks and inline) is shown as escaped text: visible, inert. Blocks become
//!   `<pre><code>` so that their lines stay readable.
//! - Link destinations are kept only for http, https, mailto and relative or fragment URLs;
//!   any other link is rendered as its plain text.
//! - Images become links to the image (text `Image : alt`), never `<img>`: a specification
//!   then cannot load remote content in a reader's browser (tracking pixels, mixed content)
//!   and a `data:` or unknown URL has nowhere to hide.
//! - Clause headings get `id` = the clause id from `spec`, so `#article-544` links work, and
//!   their `{#id}` anchor syntax is removed from the text.
//! - Footnote ids are prefixed with `note-` so that they do not collide with clause ids.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use super::spec::{self, Specification};

fn lower_heading(level: HeadingLevel, offset: u8) -> HeadingLevel {
    use HeadingLevel::*;
    match (level as u8).saturating_add(offset) {
        1 => H1,
        2 => H2,
        3 => H3,
        4 => H4,
        5 => H5,
        _ => H6,
    }
}

/// Renders Markdown to HTML that is safe to insert into a page (see the module notes).
pub fn render_html(markdown: &str) -> String {
    render_html_below(markdown, 0)
}

/// Same as [`render_html`], with every heading `offset` levels lower (at most `<h6>`), for a text
/// shown inside a page that already has its own `<h1>` and section headings: the document
/// outline of the page stays correct for assistive technologies.
pub fn render_html_below(markdown: &str, offset: u8) -> String {
    render_spec_html(markdown, &Specification::parse(markdown), offset)
}

/// Same as [`render_html_below`] for a text already parsed, whose clause ids may be those fixed
/// at publication (`Specification::parse_with_ids`). `spec` must be the parse of `markdown`.
pub fn render_spec_html(markdown: &str, spec: &Specification, offset: u8) -> String {
    let (events, _) = spec_events(markdown, spec, offset);
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// The words of a comparison as formatted text: `segments` (a clause's word diff) keeping the
/// runs `keep` asks for, rendered like the specification itself, with deleted runs in `<del>`
/// and inserted ones in `<ins>`. Safe like [`render_html`]: the only markup added is those two
/// tags, written around text the writer escaped. Headings carry no id (both sides of a
/// comparison show the same clause) and sit `offset` levels lower.
///
/// How: each changed run is wrapped in private-use sentinels in the Markdown, after the block
/// syntax that opens its lines (a run that starts `## ` or `- ` keeps its heading or item) and
/// around each table cell, never around a line of pure syntax (a fence, a table rule). After
/// parsing, every text event is cut at the sentinels and each piece inside a run gets its own
/// `<del>` or `<ins>`: tags never straddle an element, so the HTML is always well nested.
pub fn render_changes(segments: &[super::diff::Segment], keep: &[super::diff::Op], offset: u8) -> String {
    use super::diff::Op;
    let mut marked = String::new();
    for segment in segments.iter().filter(|s| keep.contains(&s.op)) {
        let text: String = segment.text.chars().filter(|c| !is_sentinel(*c)).collect();
        let (open, close) = match segment.op {
            Op::Equal => {
                marked.push_str(&text);
                continue;
            }
            Op::Delete => (DEL_OPEN, DEL_CLOSE),
            Op::Insert => (INS_OPEN, INS_CLOSE),
        };
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                marked.push('\n');
            }
            let at_line_start = marked.is_empty() || marked.ends_with('\n');
            let (syntax, words) = if at_line_start {
                split_block_syntax(line)
            } else {
                ("", line)
            };
            marked.push_str(syntax);
            if is_pure_syntax(line) {
                marked.push_str(words);
                continue;
            }
            // A heading's `{#id}` stays outside, where the parser looks for it.
            let (words, anchor) = match words.trim_end().rfind("{#") {
                Some(at) if words.trim_end().ends_with('}') => words.split_at(at),
                _ => (words, ""),
            };
            for (j, cell) in words.split('|').enumerate() {
                if j > 0 {
                    marked.push('|');
                }
                // Spaces stay outside: a table cell or a heading is trimmed by the parser.
                let words = cell.trim();
                if words.is_empty() {
                    marked.push_str(cell);
                } else {
                    let at = cell.len() - cell.trim_start().len();
                    marked.push_str(&cell[..at]);
                    marked.push(open);
                    marked.push_str(words);
                    marked.push(close);
                    marked.push_str(&cell[at + words.len()..]);
                }
            }
            marked.push_str(anchor);
        }
    }
    let empty = Specification::default();
    let (events, _) = spec_events(&marked, &empty, offset);
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut inside: Option<bool> = None; // Some(true): in a deletion, Some(false): in an insertion
    for event in events {
        match event {
            Event::Text(text) if text.contains(is_sentinel) || inside.is_some() => {
                split_at_sentinels(&text, &mut inside, &mut out, |t| Event::Text(t.to_owned().into()))
            }
            Event::Code(text) if text.contains(is_sentinel) || inside.is_some() => {
                split_at_sentinels(&text, &mut inside, &mut out, |t| Event::Code(t.to_owned().into()))
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(marked.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

const DEL_OPEN: char = '\u{E000}';
const DEL_CLOSE: char = '\u{E001}';
const INS_OPEN: char = '\u{E002}';
const INS_CLOSE: char = '\u{E003}';

fn is_sentinel(c: char) -> bool {
    ('\u{E000}'..='\u{E003}').contains(&c)
}

/// Appends the pieces of `text` as events, each piece inside a run wrapped in its tag.
fn split_at_sentinels<'a>(
    text: &str,
    inside: &mut Option<bool>,
    out: &mut Vec<Event<'a>>,
    piece: impl Fn(&str) -> Event<'a>,
) {
    let mut rest = text;
    loop {
        let cut = rest.find(is_sentinel).unwrap_or(rest.len());
        let (words, tail) = rest.split_at(cut);
        if !words.is_empty() {
            match *inside {
                Some(deleted) => {
                    let (open, close) = if deleted {
                        ("<del>", "</del>")
                    } else {
                        ("<ins>", "</ins>")
                    };
                    out.push(Event::InlineHtml(open.into()));
                    out.push(piece(words));
                    out.push(Event::InlineHtml(close.into()));
                }
                None => out.push(piece(words)),
            }
        }
        let mut chars = tail.chars();
        match chars.next() {
            Some(DEL_OPEN) => *inside = Some(true),
            Some(INS_OPEN) => *inside = Some(false),
            Some(_) => *inside = None,
            None => return,
        }
        rest = chars.as_str();
    }
}

/// The block syntax that opens a line (indentation, `>`, `#`…, list markers), and the rest.
fn split_block_syntax(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut at = 0;
    loop {
        let start = at;
        while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
            at += 1;
        }
        let marker_end = match bytes.get(at) {
            Some(b'>') => at + 1,
            Some(b'#') => {
                let hashes = bytes[at..].iter().take_while(|b| **b == b'#').count();
                if hashes <= 6 && matches!(bytes.get(at + hashes), Some(b' ') | None) {
                    at + hashes
                } else {
                    at
                }
            }
            Some(b'-' | b'*' | b'+') if bytes.get(at + 1) == Some(&b' ') => at + 1,
            Some(b'0'..=b'9') => {
                let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
                if digits <= 9
                    && matches!(bytes.get(at + digits), Some(b'.' | b')'))
                    && bytes.get(at + digits + 1) == Some(&b' ')
                {
                    at + digits + 1
                } else {
                    at
                }
            }
            _ => at,
        };
        at = marker_end;
        if at == start {
            return line.split_at(at);
        }
    }
}

/// A line that is only syntax: a code fence, a table's rule, a thematic break, a setext line.
fn is_pure_syntax(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("```") || t.starts_with("~~~") || (!t.is_empty() && t.chars().all(|c| "-=*_:| \t".contains(c)))
}

/// One part of a rendered specification: the preamble (`clause_id` = `None`) or one clause,
/// heading included. Annotations anchor on the text of a clause's part.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RenderedPart {
    pub clause_id: Option<String>,
    pub html: String,
}

/// [`render_spec_html`] cut at each clause heading: the parts concatenated are the whole HTML.
/// Headings are top-level blocks, so every part is well-formed HTML on its own.
pub fn render_spec_parts(markdown: &str, spec: &Specification, offset: u8) -> Vec<RenderedPart> {
    render_spec_parts_where(markdown, spec, offset, |_| true)
}

/// The parts of [`render_spec_parts`] that `keep` accepts, given the clause id (`None` for the
/// text before the first clause). The document is still parsed whole (footnotes and link
/// definitions resolve across it), but only those parts are written out as HTML.
pub fn render_spec_parts_where(
    markdown: &str,
    spec: &Specification,
    offset: u8,
    keep: impl Fn(Option<&str>) -> bool,
) -> Vec<RenderedPart> {
    let (events, starts) = spec_events(markdown, spec, offset);
    let mut parts = Vec::new();
    let mut events = events.into_iter();
    let mut at = 0;
    let mut owner: Option<&str> = None;
    let bounds = starts.into_iter().map(|(i, id)| (i, Some(id)));
    for (start, next_owner) in bounds.chain([(usize::MAX, None)]) {
        let part = events.by_ref().take(start - at);
        at = start;
        if keep(owner) {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, part);
            if owner.is_some() || !html.trim().is_empty() {
                parts.push(RenderedPart {
                    clause_id: owner.map(str::to_owned),
                    html,
                });
            }
        } else {
            part.for_each(drop);
        }
        owner = next_owner;
    }
    parts
}

/// The rewritten event stream of a specification, with the index in it where each clause's
/// heading starts, and that clause's id.
fn spec_events<'a>(markdown: &'a str, spec: &'a Specification, offset: u8) -> (Vec<Event<'a>>, Vec<(usize, &'a str)>) {
    let mut starts: Vec<(usize, &str)> = Vec::new();
    let mut clause_ids = spec
        .clause_offsets()
        .map(|(start, c)| (start, c.id.as_str()))
        .peekable();
    let mut events: Vec<Event> = Vec::new();
    // For each open link or image: whether it is written as an `<a>` (its end must be too).
    let mut links: Vec<bool> = Vec::new();
    let mut heading: Option<OpenHeading> = None;

    for (event, range) in Parser::new_ext(markdown, spec::options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let line = markdown[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                while clause_ids.next_if(|(start, _)| *start < line).is_some() {}
                let id = clause_ids.next_if(|(start, _)| *start == line).map(|(_, id)| id);
                heading = Some(OpenHeading {
                    level,
                    id,
                    source: &markdown[range],
                    inline: Vec::new(),
                });
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some(OpenHeading {
                    level,
                    id,
                    source,
                    mut inline,
                }) = heading.take()
                else {
                    continue;
                };
                spec::take_heading_anchor(source, &mut inline);
                if let Some(id) = id {
                    starts.push((events.len(), id));
                }
                let id = id.map(CowStr::from);
                let level = lower_heading(level, offset);
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes: vec![],
                    attrs: vec![],
                }));
                events.extend(inline);
                events.push(Event::End(TagEnd::Heading(level)));
                continue;
            }
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::CodeBlock),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let keep = is_safe_url(&dest_url) && !links.contains(&true);
                links.push(keep);
                if !keep {
                    continue;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let keep = is_safe_url(&dest_url) && !links.contains(&true);
                links.push(keep);
                if !keep {
                    continue;
                }
                push(
                    &mut events,
                    &mut heading,
                    Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url,
                        title,
                        id: CowStr::Borrowed(""),
                    }),
                );
                Event::Text(CowStr::Borrowed("Image : "))
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !links.pop().unwrap_or(false) {
                    continue;
                }
                Event::End(TagEnd::Link)
            }
            Event::FootnoteReference(name) => Event::FootnoteReference(format!("note-{name}").into()),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                Event::Start(Tag::FootnoteDefinition(format!("note-{name}").into()))
            }
            other => other,
        };
        push(&mut events, &mut heading, event);
    }
    (events, starts)
}

/// A heading being read: its inline events are held back until its end, to remove the anchor.
struct OpenHeading<'a> {
    level: HeadingLevel,
    /// The clause id, for a heading that starts a clause.
    id: Option<&'a str>,
    source: &'a str,
    inline: Vec<Event<'a>>,
}

/// Appends to the heading being read, if any, else to the document.
fn push<'a>(events: &mut Vec<Event<'a>>, heading: &mut Option<OpenHeading<'a>>, event: Event<'a>) {
    match heading {
        Some(open) => open.inline.push(event),
        None => events.push(event),
    }
}

/// Whether a link destination may be written into `href`: http, https, mailto, or a URL with
/// no scheme (relative path, `//host`, `?query`, `#fragment`). Browsers drop tabs and newlines
/// anywhere and trim control characters and spaces before reading the scheme, so the check does
/// the same; entities are already decoded by the parser (`&#106;avascript:` arrives as
/// `javascript:`). Any `:` before the first `/`, `?` or `#` must end an allowed scheme, which
/// refuses every other scheme without having to know how browsers would read it.
pub fn is_safe_url(url: &str) -> bool {
    if url.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return false; // no legitimate link holds control characters
    }
    let cleaned: String = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let cleaned = cleaned.trim_matches(|c: char| c <= ' ');
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned[i..].starts_with(':') => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod change_tests {
    use super::render_changes;
    use crate::domain::diff::{Op, Segment};

    fn seg(op: Op, text: &str) -> Segment {
        Segment { op, text: text.into() }
    }

    #[test]
    fn changed_words_are_marked_inside_the_formatted_text() {
        let segments = [
            seg(Op::Equal, "## 3 Rapports\n\nUn rapport "),
            seg(Op::Delete, "trimestriel"),
            seg(Op::Insert, "mensuel **détaillé**"),
            seg(Op::Equal, " présente :\n\n- les interventions\n"),
            seg(Op::Insert, "- l'état des appareils\n"),
        ];
        let all = render_changes(&segments, &[Op::Equal, Op::Delete, Op::Insert], 2);
        assert!(all.contains("<h4>3 Rapports</h4>"), "{all}");
        assert!(
            all.contains("<del>trimestriel</del><ins>mensuel </ins><strong><ins>détaillé</ins></strong>"),
            "{all}"
        );
        assert!(all.contains("<li><ins>l'état des appareils</ins></li>"), "{all}");
        let old = render_changes(&segments, &[Op::Equal, Op::Delete], 2);
        assert!(
            old.contains("<del>trimestriel</del>") && !old.contains("<ins>") && !old.contains("mensuel"),
            "{old}"
        );
        assert_eq!(old.matches("<li>").count(), 1, "{old}");
    }

    #[test]
    fn tables_headings_and_fences_keep_their_structure() {
        let segments = [
            seg(
                Op::Equal,
                "## 4 Prix {#prix}\n\n| Poste | Prix |\n|---|---|\n| Visite | ",
            ),
            seg(Op::Delete, "100"),
            seg(Op::Insert, "120"),
            seg(Op::Equal, " |\n"),
            seg(
                Op::Insert,
                "| Astreinte | 50 |\n\n## 5 Nouveau {#nouveau}\n\n```\ncode\n```\n",
            ),
        ];
        let html = render_changes(&segments, &[Op::Equal, Op::Delete, Op::Insert], 0);
        assert!(
            html.contains("<table>") && html.contains("<td><del>100</del><ins>120</ins></td>"),
            "{html}"
        );
        assert!(html.contains("<td><ins>Astreinte</ins></td>"), "{html}");
        assert!(
            html.contains("<h2><ins>5 Nouveau</ins></h2>") && !html.contains("{#"),
            "{html}"
        );
        assert!(html.contains("<pre><code><ins>code</ins>\n</code></pre>"), "{html}");
        assert!(
            !html.contains(" id="),
            "no ids: both sides show the same clause: {html}"
        );
    }

    #[test]
    fn typed_markup_and_sentinels_stay_inert() {
        let segments = [
            seg(Op::Equal, "Texte "),
            seg(
                Op::Insert,
                "<script>alert(1)</script> \u{E001}\u{E002}[lien](javascript:alert(1))",
            ),
        ];
        let html = render_changes(&segments, &[Op::Equal, Op::Insert], 0);
        assert!(!html.contains("<script") && !html.contains("javascript:"), "{html}");
        assert!(!html.contains('\u{E001}') && !html.contains('\u{E002}'), "{html}");
        assert_eq!(html.matches("<ins>").count(), html.matches("</ins>").count(), "{html}");
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn headings_can_be_lowered_under_a_page_heading() {
        let html = render_html_below("# Titre\n\n## 1 Objet\n\n###### Détail\n", 2);
        assert!(html.contains("<h3>Titre</h3>"), "{html}");
        assert!(html.contains("<h4 id=\"objet\">1 Objet</h4>"), "{html}");
        assert!(html.contains("<h6 id=\"detail\">Détail</h6>"), "{html}");
    }

    use super::*;

    #[test]
    fn parts_are_the_whole_html_cut_at_clause_headings() {
        let md = "Préambule.\n\n## 1 Objet\n\nTexte.\n\n### 1.1 Détail\n\n- un\n- deux\n\n## 2 Prix\n\nFin.\n";
        let spec = Specification::parse(md);
        let parts = render_spec_parts(md, &spec, 2);
        let ids: Vec<Option<&str>> = parts.iter().map(|p| p.clause_id.as_deref()).collect();
        assert_eq!(ids, [None, Some("objet"), Some("detail"), Some("prix")]);
        assert_eq!(
            parts.iter().map(|p| p.html.as_str()).collect::<String>(),
            render_spec_html(md, &spec, 2)
        );
        assert!(parts[2].html.starts_with("<h5 id=\"detail\">"), "{}", parts[2].html);
    }

    #[test]
    fn some_parts_render_as_in_the_whole() {
        // A footnote defined in another clause still resolves in the part asked for.
        let md = "## 1 Objet\n\nVoir[^n].\n\n## 2 Prix\n\nFin.\n\n## 3 Notes\n\n[^n]: Une note.\n";
        let spec = Specification::parse(md);
        let all = render_spec_parts(md, &spec, 2);
        let some = render_spec_parts_where(md, &spec, 2, |id| matches!(id, Some("objet" | "notes")));
        assert_eq!(some.len(), 2);
        assert_eq!(some[0], all[0]);
        assert_eq!(some[1], all[2]);
        assert!(some[0].html.contains("footnote-reference"), "{}", some[0].html);
        assert!(render_spec_parts_where(md, &spec, 2, |_| false).is_empty());
    }

    /// Tags and attributes the renderer may write; anything else means raw HTML got through.
    const TAGS: [&str; 24] = [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "sup",
    ];
    const MORE_TAGS: [&str; 3] = ["th", "td", "div"];
    const ATTRIBUTES: [&str; 6] = ["href", "id", "title", "class", "style", "start"];

    /// Checks every tag of `html`: known name, known attributes, safe `href`.
    fn assert_inert(html: &str) {
        for tag in html.split('<').skip(1) {
            let tag = tag
                .split('>')
                .next()
                .unwrap_or_else(|| panic!("unclosed tag in {html}"));
            let tag = tag.strip_prefix('/').unwrap_or(tag).trim_end_matches('/').trim();
            let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
            assert!(
                TAGS.contains(&name) || MORE_TAGS.contains(&name),
                "tag <{name}> in {html}"
            );
            while let Some((attr, rest)) = attrs.trim_start().split_once("=\"") {
                let (value, rest) = rest
                    .split_once('"')
                    .unwrap_or_else(|| panic!("bad attribute in {html}"));
                assert!(ATTRIBUTES.contains(&attr), "attribute {attr} in {html}");
                if attr == "href" {
                    assert!(is_safe_url(value), "href {value} in {html}");
                }
                if attr == "style" {
                    assert!(value.starts_with("text-align: "), "style {value} in {html}");
                }
                attrs = rest;
            }
            assert!(attrs.trim().is_empty(), "stray attribute text {attrs:?} in {html}");
        }
    }

    fn render(markdown: &str) -> String {
        let html = render_html(markdown);
        assert_inert(&html);
        html
    }

    #[test]
    fn script_tags_are_shown_as_text() {
        let html = render("## 1 Objet\n\n<script>alert(1)</script>\n\nTexte <script>alert(2)</script> fin.\n");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(
            html.contains("Texte &lt;script&gt;alert(2)&lt;/script&gt; fin."),
            "{html}"
        );
    }

    #[test]
    fn html_with_event_attributes_is_inert() {
        let html = render(
            "<img src=x onerror=alert(1)>\n\nUn <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">lien</a>.\n\n\
             <div onmouseover=\"alert(4)\"><svg onload=alert(5)></svg></div>\n\n<iframe src=\"https://x\"></iframe>\n",
        );
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
        assert!(
            html.contains("&lt;a href=\"javascript:alert(2)\" onclick=\"alert(3)\"&gt;lien"),
            "{html}"
        );
    }

    #[test]
    fn nested_html_blocks_are_inert() {
        let html = render(
            "<div>\n<table><tr><td>\n\n<script>alert(1)</script>\n\n</td></tr></table>\n</div>\n\n\
             <details><summary>x</summary>\n<style>body{display:none}</style>\n</details>\n\n\
             > <div>\n> <img src=x onerror=alert(2)>\n> </div>\n\n- <b onclick=\"alert(3)\">point</b>\n",
        );
        assert!(html.contains("<pre><code>&lt;div&gt;"), "{html}");
        assert!(
            !html.contains("<div>") && !html.contains("<table>") && !html.contains("<b "),
            "{html}"
        );
    }

    #[test]
    fn javascript_links_in_every_disguise_are_dropped() {
        let attacks = [
            "[a](javascript:alert(1))",
            "[a](JaVaScRiPt:alert(1))",
            "[a](<java\tscript:alert(1)>)",
            "[a](java&#9;script:alert(1))",
            "[a](java&#10;script:alert(1))",
            "[a](&#106;avascript:alert(1))",
            "[a](&#x6A;avascript:alert(1))",
            "[a](javascript&colon;alert(1))",
            "[a](&#0;javascript:alert(1))",
            "[a](<\u{1}javascript:alert(1)>)",
            "[a]( javascript:alert(1))",
            "[a](vbscript:msgbox(1))",
            "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[a](file:///etc/passwd)",
            "<javascript:alert(1)>",
            "[a][r]\n\n[r]: javascript:alert(1)",
            "![a](javascript:alert(1))",
            "![a](data:image/svg+xml;base64,PHN2Zz4=)",
        ];
        for attack in attacks {
            let html = render(attack);
            assert!(!html.contains("href"), "{attack} -> {html}");
            assert!(
                html.contains("<p>a") || html.contains("<p>javascript:"),
                "text stays: {attack} -> {html}"
            );
        }
        // Only the unsafe link goes; the image inside it still links to the image.
        let html = render("[![a](x.png)](javascript:alert(1))");
        assert_eq!(html, "<p><a href=\"x.png\">Image : a</a></p>\n");
    }

    #[test]
    fn safe_links_are_kept() {
        let html = render(
            "[a](https://www.marches-publics.gouv.fr/) [b](http://x.fr/?q=1&r=2) [c](mailto:achat@prefecture.gouv.fr) \
             [d](../annexes/plan.pdf) [e](#article-544) [f](?page=2) <https://x.fr> <achat@x.fr>",
        );
        for href in [
            "https://www.marches-publics.gouv.fr/",
            "http://x.fr/?q=1&amp;r=2",
            "mailto:achat@prefecture.gouv.fr",
            "../annexes/plan.pdf",
            "#article-544",
            "?page=2",
            "https://x.fr",
            "mailto:achat@x.fr",
        ] {
            assert!(html.contains(&format!("href=\"{href}\"")), "{href} in {html}");
        }
    }

    #[test]
    fn images_become_links() {
        let html = render("![Plan du site](plan.png \"Le plan\") et [![logo](logo.png)](https://x.fr)");
        assert!(
            html.contains("<a href=\"plan.png\" title=\"Le plan\">Image : Plan du site</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"https://x.fr\">logo</a>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn clause_headings_get_their_id_and_lose_the_anchor_syntax() {
        let html = render(
            "# CCTP\n\n## 3.2 Maintenance {#maintenance}\n\n## Article 544\n\n### 3.3 Délais ##\n\n\
             > ## Citation {#cite}\n\nSouligné\n---\n\n## Article 544\n",
        );
        assert!(html.contains("<h1>CCTP</h1>"), "{html}");
        assert!(html.contains("<h2 id=\"maintenance\">3.2 Maintenance</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"article-544\">Article 544</h2>"), "{html}");
        assert!(html.contains("<h3 id=\"delais\">3.3 Délais</h3>"), "{html}");
        assert!(html.contains("<h2>Citation</h2>"), "{html}");
        assert!(html.contains("<h2>Souligné</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"article-544-2\">Article 544</h2>"), "{html}");
    }

    #[test]
    fn every_clause_id_is_a_heading_id() {
        let text = "Intro\n\n## 1 Objet\n```\n## code\n```\n## 2 Objet\n#### 2.1 Détail {#d}\n## Prix \\{#x}\n";
        let html = render(text);
        for clause in Specification::parse(text).clauses {
            assert!(
                html.contains(&format!(" id=\"{}\"", clause.id)),
                "{} in {html}",
                clause.id
            );
        }
        assert!(html.contains(">Prix {#x}</h2>"), "{html}");
    }

    #[test]
    fn french_text_lists_and_tables_render() {
        let html = render(
            "## 2 Périmètre\n\nLe titulaire assure la maintenance **préventive** et *corrective* — « à l'œuvre ».\n\n\
             - postes de travail ;\n- imprimantes ;\n\n1. visite\n2. compte-rendu\n\n\
             | Équipement | Quantité |\n|:---|---:|\n| Postes | 620 |\n\n~~supprimé~~ et note[^1].\n\n[^1]: Détail.\n",
        );
        for expected in [
            "<h2 id=\"perimetre\">2 Périmètre</h2>",
            "<strong>préventive</strong>",
            "<em>corrective</em> — « à l'œuvre ».",
            "<li>postes de travail ;</li>",
            "<ol>",
            "<th style=\"text-align: left\">Équipement</th>",
            "<td style=\"text-align: right\">620</td>",
            "<del>supprimé</del>",
            "href=\"#note-1\"",
            "id=\"note-1\"",
        ] {
            assert!(html.contains(expected), "{expected} in {html}");
        }
    }

    #[test]
    fn url_check() {
        for url in [
            "https://a.fr",
            "HTTP://a.fr",
            "mailto:a@b.fr",
            "/x",
            "x/y:z",
            "#f",
            "",
            "?q",
            "//a.fr",
            "a@b.fr",
        ] {
            assert!(is_safe_url(url), "{url}");
        }
        for url in [
            "javascript:x",
            " JAVASCRIPT:x",
            "java\nscript:x",
            "\u{0}javascript:x",
            "data:x",
            "ftp://x",
            "c:\\x",
        ] {
            assert!(!is_safe_url(url), "{url:?}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn hostile() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("<"),
                Just(">"),
                Just("script"),
                Just("img src=x onerror=alert(1)"),
                Just("\""),
                Just("'"),
                Just("javascript:"),
                Just("JaVaScRiPt:"),
                Just("&#106;"),
                Just("&#x6A;"),
                Just("&colon;"),
                Just("\t"),
                Just("["),
                Just("]"),
                Just("("),
                Just(")"),
                Just("!"),
                Just("\n"),
                Just("\n\n"),
                Just("## "),
                Just("{#a}"),
                Just("```"),
                Just("> "),
                Just("- "),
                Just("|"),
                Just("[^1]"),
                Just(": "),
                Just("x"),
                Just("é"),
                Just("<div>"),
                Just("</div>"),
                Just("\\"),
                Just("`"),
                Just("*"),
                Just("data:"),
                Just(" "),
            ];
            proptest::collection::vec(piece, 0..80).prop_map(|v| v.concat())
        }

        proptest! {
            // Failures are reported in the test output; no regression file in the source tree.
            #![proptest_config(crate::domain::proptest_config())]

            #[test]
            fn any_input_renders_inert(text in hostile()) {
                assert_inert(&render_html(&text));
            }
        }
    }
}
