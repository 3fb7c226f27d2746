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

use serde::{Deserialize, Serialize};

mod carry;
mod headings;
mod numbers;
#[cfg(test)]
mod tests;

pub use carry::carry_ids;
pub(crate) use carry::FastHash;
#[allow(unused_imports)]
use carry::*;
#[allow(unused_imports)]
use headings::*;
pub(crate) use headings::{options, take_heading_anchor};
pub use numbers::slugify;
#[allow(unused_imports)]
use numbers::*;

/// Largest specification accepted, in bytes.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Largest Word or OpenDocument file imported (`domain::word`, checked in the browser first).
pub const MAX_WORD_FILE_BYTES: usize = 10 * 1024 * 1024;
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
        crate::domain::format::thousands_fr(*clauses)
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
    format!(
        "{},{} Mo",
        crate::domain::format::thousands_fr(tenths / 10),
        tenths % 10
    )
}
