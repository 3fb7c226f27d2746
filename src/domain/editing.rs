//! The editor's formatting commands (toolbar and shortcuts, for people used to Word): each one
//! turns the text and the selection into one replacement of a range, so that the browser can
//! apply it as a single undoable input. Pure, so unit-tested here and run in WebAssembly.
//!
//! Offsets are byte offsets into the text, always on character boundaries; a text area counts in
//! UTF-16 code units, converted by [`byte_offset`] and [`utf16_offset`].

/// A command of the toolbar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formatting {
    /// `## ` — a clause (Word's « Titre 2 »).
    ClauseHeading,
    /// `### ` — a sub-clause (« Titre 3 »).
    SubHeading,
    Bold,
    Italic,
    BulletList,
    NumberedList,
    Table,
    Link,
}

impl Formatting {
    pub const ALL: [Formatting; 8] = [
        Formatting::ClauseHeading,
        Formatting::SubHeading,
        Formatting::Bold,
        Formatting::Italic,
        Formatting::BulletList,
        Formatting::NumberedList,
        Formatting::Table,
        Formatting::Link,
    ];

    pub fn label_fr(self) -> &'static str {
        match self {
            Formatting::ClauseHeading => "Titre de clause",
            Formatting::SubHeading => "Sous-clause",
            Formatting::Bold => "Gras",
            Formatting::Italic => "Italique",
            Formatting::BulletList => "Liste à puces",
            Formatting::NumberedList => "Liste numérotée",
            Formatting::Table => "Tableau",
            Formatting::Link => "Lien",
        }
    }

    /// The shortcut, as `aria-keyshortcuts` writes it (`None`: toolbar only). Headings use
    /// Ctrl+Shift and a digit, never Ctrl+Alt: on a French keyboard Ctrl+Alt is AltGr, which
    /// types `#` and `~`.
    pub fn shortcut(self) -> Option<&'static str> {
        match self {
            Formatting::ClauseHeading => Some("Control+Shift+2"),
            Formatting::SubHeading => Some("Control+Shift+3"),
            // French Word's « Gras » is Ctrl+G; Ctrl+B as everywhere else.
            Formatting::Bold => Some("Control+G Control+B"),
            Formatting::Italic => Some("Control+I"),
            Formatting::BulletList => Some("Control+Shift+L"),
            Formatting::NumberedList => Some("Control+Shift+7"),
            Formatting::Table => None,
            Formatting::Link => Some("Control+K"),
        }
    }

    /// The shortcut as a French reader sees it in a tooltip: `Ctrl+G ou Ctrl+B`.
    pub fn shortcut_fr(self) -> Option<String> {
        self.shortcut().map(|s| {
            s.replace("Control", "Ctrl")
                .replace("Shift", "Maj")
                .replace(' ', " ou ")
        })
    }

    /// The command for a key pressed with Ctrl (or ⌘): `key` is the character, `code` the
    /// physical key (digits are read by position, so that an AZERTY keyboard's Shift+& is 1).
    pub fn from_key(key: &str, code: &str, shift: bool, alt: bool) -> Option<Formatting> {
        if alt {
            return None;
        }
        let key = key.to_lowercase();
        match (shift, key.as_str(), code) {
            (false, "b" | "g", _) => Some(Formatting::Bold),
            (false, "i", _) => Some(Formatting::Italic),
            (false, "k", _) => Some(Formatting::Link),
            (true, "l", _) => Some(Formatting::BulletList),
            (true, _, "Digit2") => Some(Formatting::ClauseHeading),
            (true, _, "Digit3") => Some(Formatting::SubHeading),
            (true, _, "Digit7") => Some(Formatting::NumberedList),
            _ => None,
        }
    }
}

/// Replace `start..end` of the text by `replacement`, then select `selection` (offsets in the
/// new text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    pub selection: (usize, usize),
}

impl Edit {
    /// The text after the edit.
    pub fn apply_to(&self, text: &str) -> String {
        format!("{}{}{}", &text[..self.start], self.replacement, &text[self.end..])
    }
}

/// The edit a command makes on `text` with `selection` (byte offsets; clamped and put on
/// character boundaries, as a browser's offsets may come from a text that just changed).
pub fn format(text: &str, selection: (usize, usize), command: Formatting) -> Edit {
    let (start, end) = clamp(text, selection);
    match command {
        Formatting::Bold => wrap(text, start, end, "**", "texte en gras"),
        Formatting::Italic => wrap(text, start, end, "*", "texte en italique"),
        Formatting::ClauseHeading => heading(text, start, 2),
        Formatting::SubHeading => heading(text, start, 3),
        Formatting::BulletList => list(text, start, end, false),
        Formatting::NumberedList => list(text, start, end, true),
        Formatting::Table => table(text, start, end),
        Formatting::Link => link(text, start, end),
    }
}

fn clamp(text: &str, (a, b): (usize, usize)) -> (usize, usize) {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (a, b) = (fix(a), fix(b));
    (a.min(b), a.max(b))
}

/// Emphasis: the markers hug the words (CommonMark ignores `** gras **`), so spaces a double
/// click took are left outside; a selection already wrapped is unwrapped.
fn wrap(text: &str, start: usize, end: usize, marker: &str, placeholder: &str) -> Edit {
    let selected = &text[start..end];
    let inner_start = start + (selected.len() - selected.trim_start().len());
    let inner_end = end - (selected.len() - selected.trim_end().len());
    if inner_start >= inner_end {
        let replacement = format!("{marker}{placeholder}{marker}");
        let from = start + marker.len();
        return Edit {
            start,
            end,
            replacement,
            selection: (from, from + placeholder.len()),
        };
    }
    let words = &text[inner_start..inner_end];
    let n = marker.len();
    // `**gras**` selected, or `gras` between the markers: take them away. For italics, a `*`
    // that belongs to `**` is not an italic marker.
    if words.len() >= 2 * n && words.starts_with(marker) && words.ends_with(marker) && !other_marker(words, marker) {
        let unwrapped = words[n..words.len() - n].to_owned();
        let len = unwrapped.len();
        return Edit {
            start: inner_start,
            end: inner_end,
            replacement: unwrapped,
            selection: (inner_start, inner_start + len),
        };
    }
    if inner_start >= n
        && inner_end + n <= text.len()
        && text.is_char_boundary(inner_start - n)
        && text.is_char_boundary(inner_end + n)
        && &text[inner_start - n..inner_start] == marker
        && &text[inner_end..inner_end + n] == marker
        && !(marker == "*" && (text[..inner_start - n].ends_with('*') || text[inner_end + n..].starts_with('*')))
    {
        return Edit {
            start: inner_start - n,
            end: inner_end + n,
            replacement: words.to_owned(),
            selection: (inner_start - n, inner_end - n),
        };
    }
    Edit {
        start: inner_start,
        end: inner_end,
        replacement: format!("{marker}{words}{marker}"),
        selection: (inner_start + n, inner_end + n),
    }
}

/// `*x*` is not an italic wrapping of `**x**`'s words.
fn other_marker(words: &str, marker: &str) -> bool {
    marker == "*" && words.starts_with("**") && words.ends_with("**")
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

/// The heading level the line starts with (`## ` → 2), and the length of that prefix.
fn heading_prefix(line: &str) -> (usize, usize) {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && (line.len() == hashes || line.as_bytes()[hashes] == b' ') {
        let spaces = line[hashes..].bytes().take_while(|&b| b == b' ').count();
        (hashes, hashes + spaces)
    } else {
        (0, 0)
    }
}

/// The caret's line becomes a heading of `level`, or plain text again if it already was one.
fn heading(text: &str, at: usize, level: usize) -> Edit {
    let start = line_start(text, at);
    let line = &text[start..line_end(text, at)];
    let (current, prefix) = heading_prefix(line);
    let replacement = if current == level {
        String::new()
    } else {
        format!("{} ", "#".repeat(level))
    };
    // The caret stays on the same character, or after the new prefix if it was inside the old.
    let caret = start + replacement.len() + at.saturating_sub(start + prefix);
    Edit {
        start,
        end: start + prefix,
        selection: (caret, caret),
        replacement,
    }
}

/// The length of a list marker the line starts with (`- `, `* `, `12. `), after its indent.
fn list_prefix(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    if rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("+ ") {
        return Some(indent + 2);
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && rest[digits..].starts_with(". ")).then_some(indent + digits + 2)
}

/// Every non-blank line of the selection becomes an item; if all already are items of this
/// kind, they become plain lines again.
fn list(text: &str, start: usize, end: usize, numbered: bool) -> Edit {
    let from = line_start(text, start);
    // A selection ending at the start of a line does not take that line.
    let last = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let to = line_end(text, last.max(from));
    let lines: Vec<&str> = text[from..to].split('\n').collect();
    let of_kind = |line: &str| {
        list_prefix(line).is_some_and(|n| {
            let marker = line[..n].trim_start();
            marker.starts_with(|c: char| c.is_ascii_digit()) == numbered
        })
    };
    let all_items = lines.iter().filter(|l| !l.trim().is_empty()).all(|l| of_kind(l));
    let mut number = 0;
    let replaced: Vec<String> = lines
        .iter()
        .map(|line| {
            if line.trim().is_empty() {
                return (*line).to_owned();
            }
            let body = &line[list_prefix(line).unwrap_or(0)..];
            if all_items {
                body.to_owned()
            } else if numbered {
                number += 1;
                format!("{number}. {body}")
            } else {
                format!("- {body}")
            }
        })
        .collect();
    let replacement = replaced.join("\n");
    let caret = from + replacement.len();
    Edit {
        start: from,
        end: to,
        replacement,
        selection: (caret, caret),
    }
}

/// A table: from the selected lines when they hold tabs (cells copied from Word or a
/// spreadsheet), else a two-column model; always on lines of its own.
fn table(text: &str, start: usize, end: usize) -> Edit {
    let selected = &text[start..end];
    let copied: Vec<Vec<String>> = selected
        .lines()
        .filter(|l| l.contains('\t') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(|c| cell(c.trim())).collect())
        .collect();
    let rows = if !copied.is_empty() {
        copied
    } else {
        vec![
            vec!["Colonne 1".into(), "Colonne 2".into()],
            vec![" ".into(), " ".into()],
        ]
    };
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    let line = |cells: &[String]| {
        let mut all: Vec<&str> = cells.iter().map(String::as_str).collect();
        all.resize(width, "");
        format!("| {} |", all.join(" | "))
    };
    let mut body = vec![line(&rows[0]), format!("|{}", " --- |".repeat(width))];
    body.extend(rows[1..].iter().map(|r| line(r)));
    let before = if start == 0 || text[..start].ends_with("\n\n") {
        ""
    } else if text[..start].ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let after = if text[end..].starts_with("\n\n") {
        ""
    } else if text[end..].starts_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let replacement = format!("{before}{}{after}", body.join("\n"));
    // The first header cell is selected, to be typed over.
    let first = start + before.len() + 2;
    let first_len = rows[0].first().map_or(0, String::len);
    Edit {
        start,
        end,
        replacement,
        selection: (first, first + first_len),
    }
}

/// A cell keeps its text on one line: a `|` would split it.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// `[words](https://)` with the address selected, or a model link with its text selected.
fn link(text: &str, start: usize, end: usize) -> Edit {
    let words = text[start..end].trim();
    if words.is_empty() || words.contains('\n') {
        let placeholder = "texte du lien";
        return Edit {
            start,
            end,
            replacement: format!("[{placeholder}](https://)"),
            selection: (start + 1, start + 1 + placeholder.len()),
        };
    }
    let replacement = format!("[{words}](https://)");
    let address = start + words.len() + 3;
    Edit {
        start,
        end,
        selection: (address, address + "https://".len()),
        replacement,
    }
}

/// The byte offset of a UTF-16 offset (as a text area's `selectionStart` counts).
pub fn byte_offset(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 offset of a byte offset.
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    text[..byte.min(text.len())].chars().map(|c| c.len_utf16() as u32).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, selection: (usize, usize), command: Formatting) -> (String, String) {
        let edit = format(text, selection, command);
        let out = edit.apply_to(text);
        let selected = out[edit.selection.0..edit.selection.1].to_owned();
        (out, selected)
    }

    #[test]
    fn bold_wraps_the_words_not_the_spaces_and_toggles() {
        let text = "Le titulaire réalise deux visites.";
        let at = text.find("deux").unwrap();
        let (out, selected) = run(text, (at, at + "deux ".len()), Formatting::Bold);
        assert_eq!(out, "Le titulaire réalise **deux** visites.");
        assert_eq!(selected, "deux");
        // Again on the same words: back to plain text.
        let at = out.find("deux").unwrap();
        let (back, selected) = run(&out, (at, at + 4), Formatting::Bold);
        assert_eq!(back, text);
        assert_eq!(selected, "deux");
        // Selected with its markers.
        let at = out.find("**deux**").unwrap();
        assert_eq!(run(&out, (at, at + 8), Formatting::Bold).0, text);
    }

    #[test]
    fn italic_does_not_mistake_bold_markers() {
        let text = "un **mot** ici";
        let at = text.find("mot").unwrap();
        assert_eq!(run(text, (at, at + 3), Formatting::Italic).0, "un ***mot*** ici");
        let (out, selected) = run("a  b", (1, 1), Formatting::Italic);
        assert_eq!(out, "a*texte en italique*  b");
        assert_eq!(selected, "texte en italique");
    }

    #[test]
    fn headings_replace_the_line_prefix_and_toggle() {
        let text = "Intro\nMaintenance préventive\nSuite";
        let at = text.find("préventive").unwrap();
        let (out, _) = run(text, (at, at), Formatting::ClauseHeading);
        assert_eq!(out, "Intro\n## Maintenance préventive\nSuite");
        let at = out.find("Maint").unwrap();
        let (sub, _) = run(&out, (at, at), Formatting::SubHeading);
        assert_eq!(sub, "Intro\n### Maintenance préventive\nSuite");
        let (plain, _) = run(
            &sub,
            (sub.find("Maint").unwrap(), sub.find("Maint").unwrap()),
            Formatting::SubHeading,
        );
        assert_eq!(plain, text);
        // The caret stays on the same word.
        let edit = format(text, (at, at), Formatting::ClauseHeading);
        assert_eq!(&edit.apply_to(text)[edit.selection.0..], &text[at..]);
        // `#hashtag` is not a heading: it gets a prefix.
        assert_eq!(run("#3", (0, 0), Formatting::ClauseHeading).0, "## #3");
    }

    #[test]
    fn lists_take_every_selected_line_and_toggle() {
        let text = "avant\nun\n\ndeux\n* trois\napres";
        let from = text.find("un").unwrap();
        let to = text.find("trois").unwrap() + 5;
        let (bullets, _) = run(text, (from, to), Formatting::BulletList);
        assert_eq!(bullets, "avant\n- un\n\n- deux\n- trois\napres");
        let (numbered, _) = run(text, (from, to), Formatting::NumberedList);
        assert_eq!(numbered, "avant\n1. un\n\n2. deux\n3. trois\napres");
        let from = numbered.find("1.").unwrap();
        let to = numbered.find("trois").unwrap();
        assert_eq!(
            run(&numbered, (from, to), Formatting::NumberedList).0,
            "avant\nun\n\ndeux\ntrois\napres"
        );
        // A selection that ends at the start of the next line leaves that line alone.
        let to = text.find("\n\n").unwrap() + 1;
        assert_eq!(
            run(text, (from.min(6), to), Formatting::BulletList).0,
            "avant\n- un\n\ndeux\n* trois\napres"
        );
    }

    #[test]
    fn a_table_comes_from_cells_copied_from_a_spreadsheet() {
        let text = "Sites :\nSite\tPostes\nMelun\t350\nMeaux | annexe\t120\nFin";
        let from = text.find("Site\t").unwrap();
        let to = text.find("\nFin").unwrap();
        let (out, selected) = run(text, (from, to), Formatting::Table);
        assert_eq!(
            out,
            "Sites :\n\n| Site | Postes |\n| --- | --- |\n| Melun | 350 |\n| Meaux \\| annexe | 120 |\n\nFin"
        );
        assert_eq!(selected, "Site");
        let (model, selected) = run("Texte", (5, 5), Formatting::Table);
        assert_eq!(
            model,
            "Texte\n\n| Colonne 1 | Colonne 2 |\n| --- | --- |\n|   |   |\n\n"
        );
        assert_eq!(selected, "Colonne 1");
        // The table renders as one.
        let html = crate::domain::markdown::render_html(&out);
        assert!(html.contains("<td>Meaux | annexe</td>"), "{html}");
    }

    #[test]
    fn links_select_what_is_left_to_type() {
        let (out, selected) = run("voir le site", (8, 12), Formatting::Link);
        assert_eq!(out, "voir le [site](https://)");
        assert_eq!(selected, "https://");
        let (out, selected) = run("voir ", (5, 5), Formatting::Link);
        assert_eq!(out, "voir [texte du lien](https://)");
        assert_eq!(selected, "texte du lien");
    }

    #[test]
    fn offsets_are_clamped_and_converted() {
        let text = "é🙂a";
        assert_eq!(byte_offset(text, 1), 2);
        assert_eq!(byte_offset(text, 3), 6);
        assert_eq!(byte_offset(text, 99), text.len());
        assert_eq!(utf16_offset(text, 6), 3);
        // Out of range or inside a character: still a valid edit.
        let edit = format(text, (1, 99), Formatting::Bold);
        assert_eq!(edit.apply_to(text), "**é🙂a**");
    }

    #[test]
    fn shortcuts_follow_word_and_spare_altgr() {
        assert_eq!(Formatting::from_key("b", "KeyB", false, false), Some(Formatting::Bold));
        assert_eq!(Formatting::from_key("G", "KeyG", false, false), Some(Formatting::Bold));
        assert_eq!(Formatting::Bold.shortcut_fr().as_deref(), Some("Ctrl+G ou Ctrl+B"));
        assert_eq!(Formatting::NumberedList.shortcut_fr().as_deref(), Some("Ctrl+Maj+7"));
        assert_eq!(
            Formatting::from_key("L", "KeyL", true, false),
            Some(Formatting::BulletList)
        );
        // AZERTY: Shift+é is 2 by position.
        assert_eq!(
            Formatting::from_key("2", "Digit2", true, false),
            Some(Formatting::ClauseHeading)
        );
        // AltGr+3 types `#`: never a command.
        assert_eq!(Formatting::from_key("#", "Digit3", false, true), None);
        assert_eq!(Formatting::from_key("s", "KeyS", false, false), None);
        for f in Formatting::ALL {
            if let Some(keys) = f.shortcut() {
                assert!(keys.starts_with("Control+"), "{keys}");
            }
        }
    }
}
