//! Anchoring annotations on the text of a clause, the same in the browser and on the server.
//!
//! An anchor is what the W3C Web Annotation model calls a `TextQuoteSelector` (the quoted words
//! with some text before and after them) plus a `TextPositionSelector` (where they start and end),
//! as Hypothesis stores them. Both are measured on the *clause text*: the text content of the
//! clause's rendered HTML (heading included), every run of white space (non-breaking spaces
//! too) collapsed to one space, trimmed, counted in characters. The browser gets that text from
//! the DOM, the server from the same HTML string ([`html_text`]): both see the same characters.
//!
//! When a new version is published nothing is stored again: [`reanchor`] tells, from the clause
//! text the annotation was made on and the clause text now, whether it is current, moved (found
//! elsewhere, fuzzily if need be), outdated (the words are gone) or orphaned (the clause is gone).

use std::time::Duration;

use serde::{Deserialize, Serialize};
#[cfg(feature = "hydrate")]
use similar::Instant;
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};
#[cfg(not(feature = "hydrate"))]
use std::time::Instant;

/// Characters of context kept before and after a quote.
pub const CONTEXT_CHARS: usize = 32;
/// Longest quote accepted, in characters.
pub const MAX_QUOTE_CHARS: usize = 2_000;
/// A quote that changed is still "moved" (not outdated) while this share of it remains.
const FUZZY_MIN_RATIO: f32 = 0.75;

/// The quoted words with their context (W3C `TextQuoteSelector`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextQuote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// Where the quote is in the clause text, in characters, end excluded (`TextPositionSelector`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPosition {
    pub start: usize,
    pub end: usize,
}

/// An anchor inside a clause's text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSelector {
    pub quote: TextQuote,
    pub position: TextPosition,
}

/// What became of an annotation in a later version of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorState {
    /// The words are where they were (same context).
    Current,
    /// The words were found elsewhere in the clause, or nearly the same words at their place.
    Moved,
    /// The clause changed and the words are gone.
    Outdated,
    /// The clause was removed.
    Orphaned,
}

impl AnchorState {
    pub fn label_fr(self) -> &'static str {
        match self {
            AnchorState::Current => "À jour",
            AnchorState::Moved => "Passage déplacé",
            AnchorState::Outdated => "Texte modifié depuis",
            AnchorState::Orphaned => "Clause supprimée",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AnchorState::Current => "current",
            AnchorState::Moved => "moved",
            AnchorState::Outdated => "outdated",
            AnchorState::Orphaned => "orphaned",
        }
    }
}

/// The state of an annotation in a version, and where its words are there (if they are).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reanchored {
    pub state: AnchorState,
    pub position: Option<TextPosition>,
}

/// Collapses white space the way clause texts are compared, one character at a time, and tells
/// where each character lands: the browser feeds it the DOM's text nodes, [`normalize`] a string.
#[derive(Debug, Default)]
pub struct Normalizer {
    text: String,
    len: usize,
    pending_space: bool,
}

impl Normalizer {
    /// Adds one character; returns the index it has (or, for white space, would have) in the
    /// normalized text.
    pub fn push(&mut self, c: char) -> usize {
        if c.is_whitespace() {
            self.pending_space = self.len > 0;
            return self.len;
        }
        if std::mem::take(&mut self.pending_space) {
            self.text.push(' ');
            self.len += 1;
        }
        self.text.push(c);
        self.len += 1;
        self.len - 1
    }

    /// The index the next non-space character will have: where a boundary before it falls.
    pub fn boundary(&self) -> usize {
        self.len + usize::from(self.pending_space)
    }

    pub fn finish(self) -> String {
        self.text
    }
}

/// White space collapsed and trimmed.
pub fn normalize(text: &str) -> String {
    let mut n = Normalizer::default();
    text.chars().for_each(|c| {
        n.push(c);
    });
    n.finish()
}

/// The clause text of a piece of HTML: what a browser's `textContent` gives, normalized. Tags
/// are skipped (quoted attribute values may contain `>`), entities decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '<' => {
                let mut quote: Option<char> = None;
                for (_, c) in chars.by_ref() {
                    match (quote, c) {
                        (None, '>') => break,
                        (None, '"' | '\'') => quote = Some(c),
                        (Some(q), c) if c == q => quote = None,
                        _ => {}
                    }
                }
            }
            '&' => match decode_entity(&html[i..]) {
                Some((decoded, len)) => {
                    out.push(decoded);
                    while chars.next_if(|(j, _)| *j < i + len).is_some() {}
                }
                None => out.push('&'),
            },
            c => out.push(c),
        }
    }
    normalize(&out)
}

/// `&amp;`, `&#233;`, `&#xE9;`… at the start of `s`: the character and the entity's length.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s[..s.len().min(12)].find(';')?;
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let code = match name.strip_prefix('#')? {
                hex if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok()?,
                dec => dec.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// The anchor of characters `start..end` of a clause text, spaces at either end left out;
/// `None` for an empty or over-long selection.
pub fn select(text: &str, start: usize, end: usize) -> Option<TextSelector> {
    let chars: Vec<char> = text.chars().collect();
    let (mut start, mut end) = (start.min(chars.len()), end.min(chars.len()));
    while start < end && chars[start] == ' ' {
        start += 1;
    }
    while end > start && chars[end - 1] == ' ' {
        end -= 1;
    }
    if start == end || end - start > MAX_QUOTE_CHARS {
        return None;
    }
    let collect = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    Some(TextSelector {
        quote: TextQuote {
            exact: collect(start..end),
            prefix: collect(start.saturating_sub(CONTEXT_CHARS)..start),
            suffix: collect(end..(end + CONTEXT_CHARS).min(chars.len())),
        },
        position: TextPosition { start, end },
    })
}

/// A selector as a browser sent it, bounded before anything searches with it: a quote of at most
/// [`MAX_QUOTE_CHARS`], contexts of at most [`CONTEXT_CHARS`].
pub fn check_sent(selector: &TextSelector) -> Result<(), String> {
    let quote = selector.quote.exact.chars().count();
    if quote == 0 || quote > MAX_QUOTE_CHARS {
        return Err(format!(
            "Le passage sélectionné est vide ou trop long ({MAX_QUOTE_CHARS} caractères au plus) : \
             sélectionnez un passage plus court ou annotez la clause entière."
        ));
    }
    let context_too_long = |c: &str| c.chars().count() > CONTEXT_CHARS;
    if context_too_long(&selector.quote.prefix)
        || context_too_long(&selector.quote.suffix)
        || selector.position.start > selector.position.end
    {
        return Err("La sélection reçue est mal formée : sélectionnez à nouveau le passage dans le texte.".into());
    }
    Ok(())
}

/// Where a quote is found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub position: TextPosition,
    /// At the recorded position, or with the recorded text around it.
    pub same_place: bool,
}

/// The best exact occurrence of the selector's quote in `text`: the one whose surroundings match
/// the prefix and suffix best, then the nearest to the recorded position.
///
/// Linear in the length of the text whatever the quote (a one-letter quote on a long clause
/// has as many occurrences as letters): the character position of each occurrence is counted
/// from the previous one, and its context is compared on at most [`CONTEXT_CHARS`] characters
/// each side. It stops early at an occurrence that cannot be beaten (its whole context matches
/// at the recorded position).
pub fn locate(text: &str, selector: &TextSelector) -> Option<Found> {
    let exact = &selector.quote.exact;
    if exact.is_empty() {
        return None;
    }
    let quote_len = exact.chars().count();
    // Nearest character first, as the comparison walks away from the quote.
    let prefix: Vec<char> = selector.quote.prefix.chars().rev().take(CONTEXT_CHARS).collect();
    let suffix: Vec<char> = selector.quote.suffix.chars().take(CONTEXT_CHARS).collect();
    let full_context = prefix.len() + suffix.len();
    let (mut chars_before, mut bytes_counted) = (0, 0);
    let mut best: Option<(usize, std::cmp::Reverse<usize>, Found)> = None;
    for (b, _) in text.match_indices(exact.as_str()) {
        chars_before += text[bytes_counted..b].chars().count();
        bytes_counted = b;
        let start = chars_before;
        let before = text[..b]
            .chars()
            .rev()
            .zip(&prefix)
            .take_while(|(a, p)| a == *p)
            .count();
        let after = text[b + exact.len()..]
            .chars()
            .zip(&suffix)
            .take_while(|(a, s)| a == *s)
            .count();
        let distance = start.abs_diff(selector.position.start);
        let score = before + after;
        let found = Found {
            position: TextPosition {
                start,
                end: start + quote_len,
            },
            same_place: distance == 0 || score == full_context,
        };
        // On a tie, the later occurrence wins (as `Iterator::max_by_key` would have it).
        if best
            .as_ref()
            .is_none_or(|(s, d, _)| (score, std::cmp::Reverse(distance)) >= (*s, *d))
        {
            best = Some((score, std::cmp::Reverse(distance), found));
        }
        if score == full_context && distance == 0 {
            break;
        }
    }
    best.map(|(_, _, found)| found)
}

/// What becomes of an annotation made on `made_on` (the clause text then) in a version where the
/// clause text is `now` (`None`: the clause was removed). `selector` is `None` for an annotation
/// on the whole clause.
pub fn reanchor(made_on: &str, now: Option<&str>, selector: Option<&TextSelector>) -> Reanchored {
    reanchor_until(made_on, now, selector, Instant::now() + FUZZY_TIME)
}

/// Time one fuzzy re-anchoring may take (a character diff of the two clause texts).
const FUZZY_TIME: Duration = Duration::from_millis(50);

/// [`reanchor`] with a deadline shared by a batch of annotations (the server re-anchors all the
/// contributions of a version at once): once it has passed, quotes that are not found as they
/// were are not searched for fuzzily and read as outdated. `complete` in the result says whether
/// the answer is final (to be cached) or was cut short by the deadline.
pub fn reanchor_until(
    made_on: &str,
    now: Option<&str>,
    selector: Option<&TextSelector>,
    deadline: Instant,
) -> Reanchored {
    reanchor_within(made_on, now, selector, deadline).0
}

/// [`reanchor_until`], and whether the answer is final (false: the deadline cut it short).
pub fn reanchor_within(
    made_on: &str,
    now: Option<&str>,
    selector: Option<&TextSelector>,
    deadline: Instant,
) -> (Reanchored, bool) {
    let at = |state, position| (Reanchored { state, position }, true);
    let Some(now) = now else {
        return at(AnchorState::Orphaned, None);
    };
    let Some(selector) = selector else {
        let state = if made_on == now {
            AnchorState::Current
        } else {
            AnchorState::Outdated
        };
        return at(state, None);
    };
    if made_on == now {
        return at(AnchorState::Current, Some(selector.position));
    }
    if let Some(found) = locate(now, selector) {
        let state = if found.same_place {
            AnchorState::Current
        } else {
            AnchorState::Moved
        };
        return at(state, Some(found.position));
    }
    let started = Instant::now();
    if started >= deadline {
        return (
            Reanchored {
                state: AnchorState::Outdated,
                position: None,
            },
            false,
        );
    }
    let deadline = deadline.min(started + FUZZY_TIME);
    match fuzzy(made_on, now, selector, deadline) {
        Some(position) => at(AnchorState::Moved, Some(position)),
        // A diff cut short by its deadline may have missed the words: not final.
        None => (
            Reanchored {
                state: AnchorState::Outdated,
                position: None,
            },
            Instant::now() < deadline,
        ),
    }
}

/// The quote's place carried through a character diff of the two clause texts, kept when what
/// is there now is still mostly the quoted words.
fn fuzzy(made_on: &str, now: &str, selector: &TextSelector, deadline: Instant) -> Option<TextPosition> {
    let old: Vec<char> = made_on.chars().collect();
    let new: Vec<char> = now.chars().collect();
    let TextPosition { start, end } = selector.position;
    if end > old.len() || start >= end {
        return None;
    }
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline));
    let map = |pos: usize, is_end: bool| -> usize {
        for op in &ops {
            let (o, n) = (op.old_range(), op.new_range());
            let inside = if is_end {
                pos > o.start && pos <= o.end
            } else {
                pos >= o.start && pos < o.end
            };
            if inside {
                return match op {
                    DiffOp::Equal { .. } => n.start + (pos - o.start),
                    _ if is_end => n.end,
                    _ => n.start,
                };
            }
        }
        if is_end {
            new.len()
        } else {
            0
        }
    };
    let (mut s, mut e) = (map(start, false), map(end, true));
    while s < e && new[s] == ' ' {
        s += 1;
    }
    while e > s && new[e - 1] == ' ' {
        e -= 1;
    }
    // Similar enough means at least 75 % of the characters in common, which a candidate more
    // than 5/3 as long as the quote cannot reach: not worth comparing.
    let quote_len = selector.quote.exact.chars().count();
    if s >= e || 3 * (e - s) > 5 * quote_len {
        return None;
    }
    let candidate: String = new[s..e].iter().collect();
    let ratio = similar::TextDiff::from_chars(selector.quote.exact.as_str(), candidate.as_str()).ratio();
    (ratio >= FUZZY_MIN_RATIO).then_some(TextPosition { start: s, end: e })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::markdown::render_spec_parts;
    use crate::domain::spec::{carry_ids, Specification};
    use std::collections::HashMap;

    #[test]
    fn html_text_is_what_a_reader_sees() {
        let html = "<h4 id=\"a\">3.1 Délais</h4>\n<p>Le titulaire&nbsp;: <a href=\"x?a=1&amp;b=>\">4&nbsp;h</a> &lt;ouvrées&gt; &#233;t&#xE9;</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n";
        assert_eq!(html_text(html), "3.1 Délais Le titulaire : 4 h <ouvrées> été un deux");
        assert_eq!(normalize("  a \u{a0}\n b  "), "a b");
    }

    #[test]
    fn a_selection_keeps_its_context_and_trims_spaces() {
        let text = "Le titulaire intervient dans un délai de 4 heures ouvrées.";
        let s = select(text, 12, 31).expect("a selection");
        assert_eq!(s.quote.exact, "intervient dans un");
        assert_eq!(s.quote.prefix, "Le titulaire ");
        assert_eq!(s.position, TextPosition { start: 13, end: 31 });
        assert_eq!(select(text, 5, 5), None);
        assert_eq!(select(text, 12, 13), None, "a space alone is no selection");
    }

    #[test]
    fn repeated_words_are_told_apart_by_their_context() {
        let text = "Le délai est court. Le délai de paiement est de 30 jours. Le délai court.";
        let second = text.find("délai de").map(|b| text[..b].chars().count()).unwrap();
        let s = select(text, second, second + 5).unwrap();
        let edited = format!("Préambule. {text}");
        let found = locate(&edited, &s).unwrap();
        assert_eq!(found.position.start, second + 11);
        assert!(found.same_place);
    }

    #[test]
    fn states_across_versions() {
        let v1 = "Le titulaire intervient dans un délai de 4 heures ouvrées sur tous les sites.";
        let s = select(v1, 41, 57).unwrap();
        assert_eq!(s.quote.exact, "4 heures ouvrées");
        let same = reanchor(v1, Some(v1), Some(&s));
        assert_eq!(same.state, AnchorState::Current);
        // An edit far from the words: same place, same context.
        let far = "Le titulaire intervient dans un délai de 4 heures ouvrées sur tous les sites de la ville.";
        assert_eq!(reanchor(v1, Some(far), Some(&s)).state, AnchorState::Current);
        // The words moved to another sentence.
        let moved = "Sur tous les sites, 4 heures ouvrées est le délai d'intervention du titulaire.";
        let r = reanchor(v1, Some(moved), Some(&s));
        assert_eq!(r.state, AnchorState::Moved);
        let p = r.position.unwrap();
        assert_eq!(
            moved.chars().skip(p.start).take(p.end - p.start).collect::<String>(),
            "4 heures ouvrées"
        );
        // Nearly the same words at the same place: re-anchored fuzzily.
        let nearly = "Le titulaire intervient dans un délai de 4 heures ouvrés sur tous les sites.";
        let r = reanchor(v1, Some(nearly), Some(&s));
        assert_eq!(r.state, AnchorState::Moved);
        assert_eq!(r.position, Some(TextPosition { start: 41, end: 56 }));
        // The words are gone.
        let gone = "Le titulaire intervient dans un délai de deux jours sur tous les sites.";
        assert_eq!(
            reanchor(v1, Some(gone), Some(&s)),
            Reanchored {
                state: AnchorState::Outdated,
                position: None
            }
        );
        // The clause is gone.
        assert_eq!(reanchor(v1, None, Some(&s)).state, AnchorState::Orphaned);
        // On the whole clause: current while the clause is the same.
        assert_eq!(reanchor(v1, Some(v1), None).state, AnchorState::Current);
        assert_eq!(reanchor(v1, Some(far), None).state, AnchorState::Outdated);
    }

    /// `locate` as it was first written (quadratic: each occurrence's position counted from the
    /// start of the text), kept as the reference the linear one must agree with.
    fn locate_reference(text: &str, selector: &TextSelector) -> Option<Found> {
        let exact = &selector.quote.exact;
        if exact.is_empty() {
            return None;
        }
        let chars: Vec<char> = text.chars().collect();
        let quote_len = exact.chars().count();
        let prefix: Vec<char> = selector.quote.prefix.chars().collect();
        let suffix: Vec<char> = selector.quote.suffix.chars().collect();
        text.match_indices(exact.as_str())
            .map(|(b, _)| {
                let start = text[..b].chars().count();
                let end = start + quote_len;
                let before = chars[..start]
                    .iter()
                    .rev()
                    .zip(prefix.iter().rev())
                    .take_while(|(a, b)| a == b)
                    .count();
                let after = chars[end..]
                    .iter()
                    .zip(suffix.iter())
                    .take_while(|(a, b)| a == b)
                    .count();
                let distance = start.abs_diff(selector.position.start);
                let same_place = distance == 0 || (before == prefix.len() && after == suffix.len());
                (before + after, std::cmp::Reverse(distance), start, end, same_place)
            })
            .max_by_key(|&(score, distance, ..)| (score, distance))
            .map(|(_, _, start, end, same_place)| Found {
                position: TextPosition { start, end },
                same_place,
            })
    }

    proptest::proptest! {
        #![proptest_config(crate::domain::proptest_config())]
        /// On texts of few letters (many occurrences, partial contexts), the linear search finds
        /// what the reference finds.
        #[test]
        fn locate_agrees_with_the_reference(
            text in "[ab é]{0,60}",
            quote in "[ab]{1,3}",
            prefix in "[ab ]{0,6}",
            suffix in "[ab ]{0,6}",
            start in 0usize..70,
        ) {
            let selector = TextSelector {
                quote: TextQuote { exact: quote, prefix, suffix },
                position: TextPosition { start, end: start + 1 },
            };
            proptest::prop_assert_eq!(locate(&text, &selector), locate_reference(&text, &selector));
        }
    }

    #[test]
    fn a_one_letter_quote_in_a_long_clause_is_found_at_its_place() {
        // 600 000 characters where "5" occurs tens of thousands of times; its context (the
        // numbers around it) says which one was quoted.
        let text: String = (0..100_000)
            .map(|i| format!("{i} "))
            .collect::<String>()
            .trim_end()
            .to_owned();
        let start = text.find(" 54321 ").unwrap() + 1;
        let s = select(&text, start, start + 1).unwrap();
        assert_eq!(s.quote.exact, "5");
        let edited = format!("Préambule. {text}");
        let found = locate(&edited, &s).unwrap();
        assert_eq!(found.position.start, start + "Préambule. ".chars().count());
        assert!(found.same_place, "found by its context");
        assert_eq!(reanchor(&text, Some(&edited), Some(&s)).state, AnchorState::Current);
    }

    /// The clause texts of a version, by clause id, as the server computes them.
    fn clause_texts(spec: &Specification, markdown: &str) -> HashMap<String, String> {
        render_spec_parts(markdown, spec, 2)
            .into_iter()
            .filter_map(|p| Some((p.clause_id?, html_text(&p.html))))
            .collect()
    }

    /// Annotations on every article of the 2013 Code civil re-anchored on the 2015 one: all
    /// current on the unchanged articles, orphaned on the removed ones, none lost. The real
    /// revision removes no article, so one in a hundred is also removed from it here.
    #[test]
    fn code_civil_annotations_survive_the_next_revision() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/code-civil");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap_or_else(|e| panic!("{dir}/{f}: {e}"));
        let (old_md, new_md) = (read("v2013-01-01.md"), read("v2015-03-22.md"));
        let old = Specification::parse(&old_md);
        let mut new = Specification::parse(&new_md);
        carry_ids(&old, &mut new);
        let mut index = 0;
        new.clauses.retain(|_| {
            index += 1;
            index % 100 != 7
        });
        let (new_md, ids) = (new.to_markdown(), new.clause_ids());
        let new = Specification::parse_with_ids(&new_md, &ids);
        let (old_texts, new_texts) = (clause_texts(&old, &old_md), clause_texts(&new, &new_md));
        assert_eq!(old_texts.len(), old.clauses.len());
        let changed = read("changed-2013-to-2015.txt");
        let listed = |kind: &str, label: &str| changed.lines().any(|l| l == format!("{kind} {label}"));
        assert!(
            !changed.lines().any(|l| l.starts_with("removed")),
            "removed articles would be orphaned too"
        );

        let mut states: HashMap<AnchorState, usize> = HashMap::new();
        let (mut removed, mut unchanged) = (0, 0);
        for clause in &old.clauses {
            let text = &old_texts[&clause.id];
            let len = text.chars().count();
            // A few words from the middle of the article, and the whole article.
            let selector = select(text, len / 3, 2 * len / 3).expect("a quote");
            let now = new_texts.get(&clause.id).map(String::as_str);
            match now {
                None => removed += 1,
                Some(_) if !listed("modified", &clause.label()) => unchanged += 1,
                Some(_) => {}
            }
            for selector in [Some(&selector), None] {
                let r = reanchor(text, now, selector);
                *states.entry(r.state).or_default() += 1;
                let label = clause.label();
                let Some(now) = now else {
                    assert_eq!(r.state, AnchorState::Orphaned, "{label}");
                    continue;
                };
                if !listed("modified", &label) {
                    assert_eq!(r.state, AnchorState::Current, "{label}");
                    if let (Some(s), Some(p)) = (selector, r.position) {
                        let now: Vec<char> = now.chars().collect();
                        assert_eq!(now[p.start..p.end].iter().collect::<String>(), s.quote.exact, "{label}");
                    }
                } else {
                    assert_ne!(r.state, AnchorState::Orphaned, "{label}: its clause is still there");
                }
            }
        }
        // One article in a hundred was removed, 70 were modified (the reference list): exactly the
        // annotations of the removed ones are orphaned, and at least those of the unchanged ones
        // are current (quotes in modified articles may be too, where their words stayed).
        assert!(
            removed >= 20 && unchanged > 2_600,
            "{removed} removed, {unchanged} unchanged"
        );
        assert_eq!(states.get(&AnchorState::Orphaned), Some(&(2 * removed)), "{states:?}");
        assert!(states[&AnchorState::Current] >= 2 * unchanged, "{states:?}");
    }
}
