//! Clause-aligned diff of two specification versions, the same in the browser and on the server.
//!
//! Two levels, one overall deadline:
//! 1. Clauses are aligned by their stable id (`spec::carry_ids` gave them). A clause whose text
//!    (heading and body, trailing blank lines aside) is the same is unchanged and costs one string
//!    comparison;
//!    clauses present on one side only are added or removed; the common ones whose relative
//!    order changed (outside the longest common subsequence of ids) are moved.
//! 2. Only inside modified clauses, a word-level diff of French text (see [`tokens`]).
//!
//! The deadline covers the whole diff (not `similar`'s per-block default): once it has passed,
//! the remaining modified clauses are shown as replaced (old text out, new text in), which is
//! also what a clause that changed almost entirely gets, rather than confetti of tiny matches.
//! In the browser `similar` is built with `wasm32_web_time`, else `Instant::now()` panics there.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices_deadline, Algorithm, DiffTag};
// `similar` takes its own `Instant`: `web_time`'s in the browser build (`wasm32_web_time`).
#[cfg(feature = "hydrate")]
use similar::Instant;
#[cfg(not(feature = "hydrate"))]
use std::time::Instant;

use super::criteria::Criterion;
use super::spec::{Clause, FastHash, Specification};

/// Below this share of unchanged characters, a modified clause is shown as replaced.
const MIN_SHARED: f64 = 0.3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Modified,
    Unchanged,
}

impl ChangeKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            ChangeKind::Added => "Ajoutée",
            ChangeKind::Removed => "Supprimée",
            ChangeKind::Modified => "Modifiée",
            ChangeKind::Unchanged => "Inchangée",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

/// A run of text with what happened to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

/// One clause of the comparison. Unchanged clauses carry no text (the page folds them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseDiff {
    pub id: String,
    pub kind: ChangeKind,
    /// Its place among the common clauses changed.
    pub moved: bool,
    /// Too different (or past the deadline) for a word diff: the whole old text out, new in.
    pub replaced: bool,
    pub old_index: Option<usize>,
    pub new_index: Option<usize>,
    /// The heading as a reader sees it (`3.2 Maintenance`), old and new; the old one only when
    /// it differs (a renamed or removed clause).
    pub old_label: Option<String>,
    pub new_label: Option<String>,
    pub level: u8,
    /// Heading and body: `Equal` + `Delete` give the old text, `Equal` + `Insert` the new one.
    /// Empty for unchanged clauses.
    pub segments: Vec<Segment>,
}

impl ClauseDiff {
    pub fn label(&self) -> &str {
        self.new_label
            .as_deref()
            .or(self.old_label.as_deref())
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionDiff {
    pub id: String,
    pub kind: ChangeKind,
    pub old: Option<Criterion>,
    pub new: Option<Criterion>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffStats {
    pub added: u32,
    pub removed: u32,
    pub modified: u32,
    pub moved: u32,
    pub unchanged: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecDiff {
    /// The text before the first clause, when it changed.
    pub preamble: Vec<Segment>,
    /// In reading order of the new version; a removed clause comes after the clause that
    /// preceded it in the old version.
    pub clauses: Vec<ClauseDiff>,
    pub criteria: Vec<CriterionDiff>,
    pub stats: DiffStats,
    /// Whether the deadline cut word diffs short (some clauses shown as replaced).
    pub timed_out: bool,
}

/// Compares two versions whose clause ids are aligned (published versions are; for two raw
/// files, run `spec::carry_ids(old, &mut new)` first). `budget` bounds the whole computation.
pub fn diff_specifications(
    old: &Specification,
    new: &Specification,
    old_criteria: &[Criterion],
    new_criteria: &[Criterion],
    budget: Duration,
) -> SpecDiff {
    let deadline = Instant::now() + budget;
    let mut timed_out = false;
    let old_by_id: HashMap<&str, usize, FastHash> = old
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let new_by_id: HashMap<&str, usize, FastHash> = new
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();

    // Moves: the common clauses outside a longest common subsequence of the two orders.
    let common_old: Vec<&str> = old
        .clauses
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| new_by_id.contains_key(id))
        .collect();
    let common_new: Vec<usize> = (0..new.clauses.len())
        .filter(|&j| old_by_id.contains_key(new.clauses[j].id.as_str()))
        .collect();
    let common_new_ids: Vec<&str> = common_new.iter().map(|&j| new.clauses[j].id.as_str()).collect();
    let mut moved = vec![false; new.clauses.len()];
    common_new.iter().for_each(|&j| moved[j] = true);
    for op in capture_diff_slices_deadline(Algorithm::Myers, &common_old, &common_new_ids, Some(deadline)) {
        if let (DiffTag::Equal, _, new_range) = op.as_tag_tuple() {
            common_new[new_range].iter().for_each(|&j| moved[j] = false);
        }
    }

    // Removed clauses, keyed by the new position of the nearest surviving clause before them.
    let mut removed_after: HashMap<Option<usize>, Vec<usize>, FastHash> = HashMap::default();
    let mut anchor = None;
    for (i, clause) in old.clauses.iter().enumerate() {
        match new_by_id.get(clause.id.as_str()) {
            Some(&j) => anchor = Some(j),
            None => removed_after.entry(anchor).or_default().push(i),
        }
    }

    let mut clauses = Vec::with_capacity(new.clauses.len() + old.clauses.len() / 8);
    let mut stats = DiffStats::default();
    let push_removed = |after: Option<usize>, clauses: &mut Vec<ClauseDiff>, stats: &mut DiffStats| {
        for &i in removed_after.get(&after).into_iter().flatten() {
            let c = &old.clauses[i];
            stats.removed += 1;
            clauses.push(ClauseDiff {
                id: c.id.clone(),
                kind: ChangeKind::Removed,
                moved: false,
                replaced: false,
                old_index: Some(i),
                new_index: None,
                old_label: Some(c.label()),
                new_label: None,
                level: c.level,
                segments: vec![segment(Op::Delete, clause_text(c))],
            });
        }
    };
    push_removed(None, &mut clauses, &mut stats);
    for (j, c) in new.clauses.iter().enumerate() {
        let entry = match old_by_id.get(c.id.as_str()) {
            None => {
                stats.added += 1;
                ClauseDiff {
                    id: c.id.clone(),
                    kind: ChangeKind::Added,
                    moved: false,
                    replaced: false,
                    old_index: None,
                    new_index: Some(j),
                    old_label: None,
                    new_label: Some(c.label()),
                    level: c.level,
                    segments: vec![segment(Op::Insert, clause_text(c))],
                }
            }
            Some(&i) => {
                let before = &old.clauses[i];
                let is_moved = moved[j];
                stats.moved += u32::from(is_moved);
                let (kind, replaced, segments) = if same_text(before, c) {
                    stats.unchanged += 1;
                    (ChangeKind::Unchanged, false, Vec::new())
                } else {
                    stats.modified += 1;
                    let (old_text, new_text) = (clause_text(before), clause_text(c));
                    let (segments, replaced, late) = word_diff(&old_text, &new_text, deadline);
                    timed_out |= late;
                    (ChangeKind::Modified, replaced, segments)
                };
                let new_label = c.label();
                let same_heading = before.number == c.number && before.title == c.title;
                let old_label = (!same_heading).then(|| before.label()).filter(|old| *old != new_label);
                ClauseDiff {
                    id: c.id.clone(),
                    kind,
                    moved: is_moved,
                    replaced,
                    old_index: Some(i),
                    new_index: Some(j),
                    old_label,
                    new_label: Some(new_label),
                    level: c.level,
                    segments,
                }
            }
        };
        clauses.push(entry);
        push_removed(Some(j), &mut clauses, &mut stats);
    }

    let preamble = if old.preamble == new.preamble {
        Vec::new()
    } else {
        let (segments, _, late) = word_diff(&old.preamble, &new.preamble, deadline);
        timed_out |= late;
        segments
    };
    SpecDiff {
        preamble,
        clauses,
        criteria: diff_criteria(old_criteria, new_criteria),
        stats,
        timed_out,
    }
}

/// Whether two clauses read the same. Blank lines after a clause are layout, not content: the
/// last clause of a text gains some when a clause is appended after it. Compared in place: most
/// clauses are unchanged, and copying them all would cost more than the comparison.
fn same_text(a: &Clause, b: &Clause) -> bool {
    if a.heading == b.heading {
        a.body.trim_end() == b.body.trim_end()
    } else {
        clause_text(a).trim_end() == clause_text(b).trim_end()
    }
}

/// A clause's whole text: its heading line and its body.
fn clause_text(c: &Clause) -> String {
    let mut text = String::with_capacity(c.heading.len() + c.body.len());
    text.push_str(&c.heading);
    text.push_str(&c.body);
    text
}

fn segment(op: Op, text: String) -> Segment {
    Segment { op, text }
}

/// Words diff of two texts: the segments, whether shown as replaced, whether the deadline had
/// passed.
///
/// Only words and punctuation are diffed; the whitespace after each follows it. Whitespace
/// tokens would double the sequences (and Myers' cost, quadratic in the differences) and match
/// everywhere, breaking a rewritten sentence into confetti of shared spaces.
fn word_diff(old: &str, new: &str, deadline: Instant) -> (Vec<Segment>, bool, bool) {
    let replaced = |late| {
        let mut segments = Vec::with_capacity(2);
        if !old.is_empty() {
            segments.push(segment(Op::Delete, old.to_owned()));
        }
        if !new.is_empty() {
            segments.push(segment(Op::Insert, new.to_owned()));
        }
        (segments, true, late)
    };
    if Instant::now() >= deadline {
        return replaced(true);
    }
    // What both texts share at their start and end needs no diff: only the middle is split
    // into words (most modified clauses change a few words of a long text).
    let (head, tail) = common_ends(old, new);
    let (old_middle, new_middle) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let (a, b) = (Words::of(old_middle), Words::of(new_middle));
    let shared_ends = visible_len(&old[..head]) + visible_len(&old[old.len() - tail..]);
    // Words as numbers: the diff then compares integers, not strings. The map keeps a keyed
    // hash: words are the buyer's text, and a fixed hash could be flooded with collisions.
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let (a_ids, b_ids) = (a.numbers(&mut numbers), b.numbers(&mut numbers));
    // The text both sides share is at most what their word multisets share: when even that is
    // below the threshold, the clause is replaced whatever the diff would find (and a clause that
    // changed that much is where the diff costs most).
    let longest = old.len().max(new.len()).max(1);
    let mut counts = vec![0i32; numbers.len()];
    a_ids.iter().for_each(|&t| counts[t as usize] += 1);
    let shared_at_most: usize = shared_ends
        + b.words
            .iter()
            .zip(&b_ids)
            .filter(|(_, &id)| {
                counts[id as usize] -= 1;
                counts[id as usize] >= 0
            })
            .map(|((word, _), _)| word.len())
            .sum::<usize>();
    if (shared_at_most as f64) < MIN_SHARED * longest as f64 {
        return replaced(false);
    }
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &a_ids, &b_ids, Some(deadline));
    let mut segments: Vec<Segment> = Vec::new();
    let mut add = |op: Op, text: &str| {
        if text.is_empty() {
            return;
        }
        match segments.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => segments.push(segment(op, text.to_owned())),
        }
    };
    add(Op::Equal, &old[..head]);
    if a.lead == b.lead {
        add(Op::Equal, a.lead);
    } else {
        add(Op::Delete, a.lead);
        add(Op::Insert, b.lead);
    }
    let mut shared = shared_ends;
    for op in &ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for (&(word, old_space), &(_, new_space)) in a.words[old_range].iter().zip(&b.words[new_range]) {
                shared += word.len();
                add(Op::Equal, word);
                if old_space == new_space {
                    add(Op::Equal, old_space);
                } else {
                    add(Op::Delete, old_space);
                    add(Op::Insert, new_space);
                }
            }
        } else {
            let (old_words, new_words) = (&a.words[old_range], &b.words[new_range]);
            // Words replaced by others followed by the same space: that space is kept, shown
            // between the replaced words and what follows (`[-assure-]{+garantit+} la`).
            let kept_space = match (old_words.last(), new_words.last()) {
                (Some((_, old_space)), Some((_, new_space))) if old_space == new_space => *old_space,
                _ => "",
            };
            for (words, op) in [(old_words, Op::Delete), (new_words, Op::Insert)] {
                for (k, (word, space)) in words.iter().enumerate() {
                    add(op, word);
                    add(
                        op,
                        if k + 1 == words.len() {
                            &space[..space.len() - kept_space.len()]
                        } else {
                            space
                        },
                    );
                }
            }
            add(Op::Equal, kept_space);
        }
    }
    add(Op::Equal, &old[old.len() - tail..]);
    if (shared as f64) < MIN_SHARED * longest as f64 {
        return replaced(false);
    }
    (segments, false, Instant::now() >= deadline)
}

/// The lengths of the start and of the end that `a` and `b` share, each cut where a word begins
/// after a space: whatever surrounds such a place, a token ends there, so the words of the middle
/// are those the whole texts have there. The two never overlap.
fn common_ends(a: &str, b: &str) -> (usize, usize) {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let space = |c: u8| c == b' ' || c == b'\n';
    // Whether a word (not whitespace) starts at `i` of `text`, or the text ends there.
    let word_at = |text: &str, i: usize| text[i..].chars().next().is_none_or(|c| !c.is_whitespace());
    let same_start = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let head = (1..=same_start)
        .rev()
        .find(|&i| space(x[i - 1]) && word_at(a, i) && word_at(b, i))
        .unwrap_or(0);
    let (x, y) = (&x[head..], &y[head..]);
    let same_end = x.iter().rev().zip(y.iter().rev()).take_while(|(p, q)| p == q).count();
    // The space before the cut is shared too, so the cut is a word start in both texts.
    let tail = (1..same_end)
        .rev()
        .find(|&t| space(x[x.len() - t - 1]) && word_at(a, a.len() - t))
        .unwrap_or(0);
    (head, tail)
}

/// The bytes of `text` outside whitespace: what the word diff counts as shared text.
fn visible_len(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).map(char::len_utf8).sum()
}

/// A text as the word diff sees it: the whitespace before the first word, then each word (or
/// punctuation mark, see [`tokens`]) with the whitespace that follows it.
struct Words<'a> {
    lead: &'a str,
    words: Vec<(&'a str, &'a str)>,
}

impl<'a> Words<'a> {
    fn of(text: &'a str) -> Words<'a> {
        let mut lead = "";
        let mut words: Vec<(&str, &str)> = Vec::new();
        for token in tokens(text) {
            if token.starts_with(char::is_whitespace) {
                match words.last_mut() {
                    Some((_, space)) => *space = token,
                    None => lead = token,
                }
            } else {
                words.push((token, ""));
            }
        }
        Words { lead, words }
    }

    /// Each word's number in `numbers`, given in order of first appearance.
    fn numbers(&self, numbers: &mut HashMap<&'a str, u32>) -> Vec<u32> {
        self.words
            .iter()
            .map(|&(word, _)| {
                let next = numbers.len() as u32;
                *numbers.entry(word).or_insert(next)
            })
            .collect()
    }
}

/// French-aware tokens whose concatenation is the text: words (letters and digits, accents
/// included) with an elided article's apostrophe kept on the article (`l’`, `d'`), so that
/// `l’entreprise` → `d’entreprise` changes one token; whitespace runs (non-breaking spaces
/// included) as one token; any other character (punctuation) alone.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        if c.is_alphanumeric() {
            while let Some(&(i, next)) = chars.peek() {
                if next.is_alphanumeric()
                    || next == '-' && chars.clone().nth(1).is_some_and(|(_, n)| n.is_alphanumeric())
                {
                    end = i + next.len_utf8();
                    chars.next();
                } else if next == '\'' || next == '’' {
                    end = i + next.len_utf8();
                    chars.next();
                    break;
                } else {
                    break;
                }
            }
        } else if c.is_whitespace() {
            while let Some(&(i, next)) = chars.peek() {
                if !next.is_whitespace() {
                    break;
                }
                end = i + next.len_utf8();
                chars.next();
            }
        }
        out.push(&text[start..end]);
    }
    out
}

fn diff_criteria(old: &[Criterion], new: &[Criterion]) -> Vec<CriterionDiff> {
    let mut out: Vec<CriterionDiff> = new
        .iter()
        .map(|n| {
            let before = old.iter().find(|o| o.id == n.id);
            CriterionDiff {
                id: n.id.clone(),
                kind: match before {
                    None => ChangeKind::Added,
                    Some(o) if o == n => ChangeKind::Unchanged,
                    Some(_) => ChangeKind::Modified,
                },
                old: before.cloned(),
                new: Some(n.clone()),
            }
        })
        .collect();
    out.extend(
        old.iter()
            .filter(|o| !new.iter().any(|n| n.id == o.id))
            .map(|o| CriterionDiff {
                id: o.id.clone(),
                kind: ChangeKind::Removed,
                old: Some(o.clone()),
                new: None,
            }),
    );
    out
}

/// The old text (`old` side) or the new text, rebuilt from a diff and the specification of that
/// side (unchanged clauses carry no text). Used by the tests: a diff loses nothing.
pub fn rebuild(diff: &SpecDiff, spec: &Specification, new_side: bool) -> String {
    let keep = |s: &Segment| s.op == Op::Equal || s.op == if new_side { Op::Insert } else { Op::Delete };
    let mut out: String = if diff.preamble.is_empty() {
        spec.preamble.clone()
    } else {
        diff.preamble
            .iter()
            .filter(|s| keep(s))
            .map(|s| s.text.as_str())
            .collect()
    };
    let mut parts: Vec<(usize, String)> = diff
        .clauses
        .iter()
        .filter_map(|c| {
            let index = if new_side { c.new_index } else { c.old_index }?;
            let text = if c.kind == ChangeKind::Unchanged {
                clause_text(&spec.clauses[index])
            } else {
                c.segments.iter().filter(|s| keep(s)).map(|s| s.text.as_str()).collect()
            };
            Some((index, text))
        })
        .collect();
    parts.sort_by_key(|(i, _)| *i);
    for (_, text) in parts {
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spec::carry_ids;
    use proptest::prelude::*;

    const BUDGET: Duration = Duration::from_secs(5);

    fn diff(old: &str, new: &str) -> (SpecDiff, Specification, Specification) {
        let a = Specification::parse(old);
        let mut b = Specification::parse(new);
        carry_ids(&a, &mut b);
        (diff_specifications(&a, &b, &[], &[], BUDGET), a, b)
    }

    #[test]
    fn french_tokens() {
        assert_eq!(tokens("l’entreprise  assure"), ["l’", "entreprise", "  ", "assure"]);
        assert_eq!(
            tokens("d'un délai\u{a0}: 4 h."),
            ["d'", "un", " ", "délai", "\u{a0}", ":", " ", "4", " ", "h", "."]
        );
        assert_eq!(tokens("sous-traitance, J-52"), ["sous-traitance", ",", " ", "J-52"]);
    }

    fn word_segments(old: &str, new: &str) -> Vec<(Op, String)> {
        let (segments, replaced, _) = word_diff(old, new, Instant::now() + BUDGET);
        assert!(!replaced);
        segments.into_iter().map(|s| (s.op, s.text)).collect()
    }

    #[test]
    fn word_diff_changes_words_not_the_spaces_between() {
        use Op::*;
        let own = |v: &[(Op, &str)]| v.iter().map(|(op, t)| (*op, t.to_string())).collect::<Vec<_>>();
        assert_eq!(
            word_segments(
                "Le titulaire assure la maintenance.",
                "Le titulaire garantit la maintenance."
            ),
            own(&[
                (Equal, "Le titulaire "),
                (Delete, "assure"),
                (Insert, "garantit"),
                (Equal, " la maintenance.")
            ])
        );
        // A rewritten run of words comes out whole, not as words between shared spaces.
        assert_eq!(
            word_segments(
                "Il doit le faire sous huit jours ouvrés.",
                "Il doit répondre dans un délai de deux jours ouvrés."
            ),
            own(&[
                (Equal, "Il doit "),
                (Delete, "le faire sous huit"),
                (Insert, "répondre dans un délai de deux"),
                (Equal, " jours ouvrés.")
            ])
        );
        // Only the whitespace changed: only the whitespace is marked.
        assert_eq!(
            word_segments("un délai de 4 h", "un délai\u{a0}de 4 h"),
            own(&[
                (Equal, "un délai"),
                (Delete, " "),
                (Insert, "\u{a0}"),
                (Equal, "de 4 h")
            ])
        );
    }

    #[test]
    fn shared_ends_are_cut_where_words_start() {
        assert_eq!(common_ends("le prix est fixe", "le prix est ferme"), (12, 0));
        // `l’entreprise` / `l’entrepôt`: the cut is before the whole word, not inside it.
        assert_eq!(
            common_ends("pour l’entreprise titulaire", "pour l’entrepôt titulaire"),
            (5, 9)
        );
        // No cut inside a whitespace run that differs, nor after a no-break space.
        assert_eq!(common_ends("a  b", "a b"), (0, 1));
        assert_eq!(common_ends("a b\u{a0}c", "a b\u{a0}d"), (2, 0));
        assert_eq!(common_ends("même texte", "même texte"), (6, 0));
        for (old, new) in [
            ("a b c", "a x c"),
            ("x", "x y"),
            ("d’un délai", "d’une durée"),
            ("", ""),
        ] {
            let (head, tail) = common_ends(old, new);
            assert!(head + tail <= old.len().min(new.len()), "{old:?} {new:?}");
            assert_eq!(old[..head], new[..head]);
            assert_eq!(old[old.len() - tail..], new[new.len() - tail..]);
        }
    }

    #[test]
    fn clauses_are_classified() {
        let old = "# T\n\n## 1 Objet\n\nLe marché porte sur la tonte.\n\n## 2 Haies\n\nDeux tailles par an.\n\n## 3 Fin\n\nSans objet ici.\n";
        let new = "# T\n\n## 1 Objet\n\nLe marché porte sur la tonte et la taille.\n\n## 3 Fin\n\nSans objet ici.\n\n## 4 Prix\n\nForfait.\n";
        let (d, a, b) = diff(old, new);
        let kinds: Vec<(&str, ChangeKind)> = d.clauses.iter().map(|c| (c.label(), c.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("1 Objet", ChangeKind::Modified),
                ("2 Haies", ChangeKind::Removed),
                ("3 Fin", ChangeKind::Unchanged),
                ("4 Prix", ChangeKind::Added)
            ]
        );
        let objet = &d.clauses[0];
        assert!(!objet.replaced);
        assert!(
            objet.segments.contains(&Segment {
                op: Op::Insert,
                text: " et la taille".into()
            }),
            "{objet:?}"
        );
        assert_eq!(rebuild(&d, &a, false), old);
        assert_eq!(rebuild(&d, &b, true), new);
    }

    #[test]
    fn moves_and_replacements() {
        let old = "## A\n\nPremier texte assez long.\n\n## B\n\nSecond texte assez long.\n\n## C\n\nTroisième texte.\n";
        let new = "## B\n\nSecond texte assez long.\n\n## A\n\nPremier texte assez long.\n\n## C {#c}\n\nTout autre chose, vraiment.\n";
        let a = Specification::parse(old);
        let mut b = Specification::parse(new);
        carry_ids(&a, &mut b);
        b.clauses[2].id = a.clauses[2].id.clone();
        let d = diff_specifications(&a, &b, &[], &[], BUDGET);
        assert_eq!(d.stats.moved, 1, "{:?}", d.clauses);
        let c = d.clauses.iter().find(|c| c.id == a.clauses[2].id).unwrap();
        assert!(c.replaced, "{c:?}");
        assert_eq!(rebuild(&d, &b, true), new);
    }

    #[test]
    fn a_spent_budget_replaces_instead_of_failing() {
        let a = Specification::parse("## A\n\nun deux trois quatre\n");
        let b = Specification::parse("## A\n\nun deux cinq quatre\n");
        let d = diff_specifications(&a, &b, &[], &[], Duration::ZERO);
        assert!(d.timed_out && d.clauses[0].replaced);
        assert_eq!(rebuild(&d, &b, true), b.to_markdown());
    }

    #[test]
    fn criteria_are_compared_by_id() {
        let c = |id: &str, w| Criterion {
            id: id.into(),
            name: id.into(),
            weight: w,
            description: String::new(),
        };
        let d = diff_criteria(&[c("prix", 40), c("delais", 60)], &[c("prix", 30), c("technique", 70)]);
        let kinds: Vec<(&str, ChangeKind)> = d.iter().map(|x| (x.id.as_str(), x.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("prix", ChangeKind::Modified),
                ("technique", ChangeKind::Added),
                ("delais", ChangeKind::Removed)
            ]
        );
    }

    /// The Code civil, 2013 → 2015: exactly the 79 articles of the reference list change.
    #[test]
    fn code_civil_changes_exactly_the_reference_articles() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/code-civil");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap_or_else(|e| panic!("{dir}/{f}: {e}"));
        let (d, a, b) = diff(&read("v2013-01-01.md"), &read("v2015-03-22.md"));
        let mut found: Vec<String> = d
            .clauses
            .iter()
            .filter(|c| c.kind != ChangeKind::Unchanged)
            .map(|c| {
                let kind = match c.kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Removed => "removed",
                    _ => "modified",
                };
                format!("{kind} {}", c.label())
            })
            .collect();
        let mut expected: Vec<String> = read("changed-2013-to-2015.txt")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect();
        found.sort();
        expected.sort();
        assert_eq!(found, expected);
        assert!(!d.timed_out);
        assert_eq!(rebuild(&d, &a, false), a.to_markdown());
        assert_eq!(rebuild(&d, &b, true), b.to_markdown());
    }

    fn document() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec![
            "le",
            "titulaire",
            "l’entreprise",
            "délai",
            "heures",
            "ouvrées",
            "à",
            "d'un",
            ",",
            ".",
            "prix",
            "maintenance",
            "\u{a0}:",
            "site",
        ]);
        // Words and the whitespace after each: spaces, runs, line breaks, no-break spaces.
        let space = prop::sample::select(vec![" ", " ", " ", "  ", "\n", "\u{a0}", ""]);
        let body = prop::collection::vec((word, space), 0..25).prop_map(|w| {
            w.into_iter()
                .flat_map(|(word, space)| [word, space])
                .collect::<String>()
        });
        let clause = (
            prop::sample::select(vec!["Objet", "Prix", "Délais", "Sites", "Pénalités", "Fin"]),
            body,
        )
            .prop_map(|(title, body)| format!("## {title}\n\n{body}\n\n"));
        (prop::collection::vec(clause, 0..8), "[a-z ]{0,20}")
            .prop_map(|(clauses, preamble)| format!("{preamble}\n\n{}", clauses.concat()))
    }

    proptest! {
        #![proptest_config(crate::domain::proptest_config())]
        #[test]
        fn both_texts_rebuild_exactly(old in document(), new in document()) {
            let (d, a, b) = diff(&old, &new);
            prop_assert_eq!(rebuild(&d, &a, false), old);
            prop_assert_eq!(rebuild(&d, &b, true), new);
            let s = d.stats;
            prop_assert_eq!((s.added + s.modified + s.unchanged) as usize, b.clauses.len());
            prop_assert_eq!((s.removed + s.modified + s.unchanged) as usize, a.clauses.len());
        }
    }
}
