//! Worst cases of anchoring (issue 14, defect E), in process, release build:
//! `cargo bench --features ssr --bench anchor`.
//!
//! A clause of 1 MB with a one-letter quote (as many occurrences as letters): creating the
//! anchor (`locate` then `select`), and re-reading it on a new version where the words moved,
//! where they changed a little (fuzzy search) and where they are gone; then 300 such annotations
//! re-anchored in one batch, as the contributions board does for one version.

mod support;

use jesaisfaire::domain::anchor::{locate, reanchor, reanchor_until, select};
use std::time::{Duration, Instant};
use support::measure;

/// `locate` as it was before issue 14 (each occurrence's position counted from the start of the
/// text: quadratic), measured once for comparison.
fn locate_before(text: &str, exact: &str) -> Option<usize> {
    text.match_indices(exact).map(|(b, _)| text[..b].chars().count()).max()
}

fn main() {
    // About 1 MB in one clause, every sentence different (numbered).
    let clause: String = (0..13_000)
        .map(|i| format!("Article {i} : le titulaire assure la maintenance préventive du site {i}. "))
        .collect();
    let len = clause.chars().count();
    let start = (len / 2..len)
        .find(|&i| clause.chars().nth(i).is_some_and(char::is_alphabetic))
        .expect("a letter");
    let quote = select(&clause, start, start + 1).expect("a one-letter quote");
    let report = |name: &str, (min, median, max): (Duration, Duration, Duration)| {
        println!("{name:<46} median {median:?} (min {min:?}, max {max:?})");
    };
    println!("clause of {} bytes, quote {:?}", clause.len(), quote.quote.exact);

    report(
        "create: locate + select",
        measure(20, || {
            let found = locate(&clause, &quote).expect("found");
            std::hint::black_box(select(&clause, found.position.start, found.position.end));
        }),
    );
    let started = Instant::now();
    std::hint::black_box(locate_before(&clause, &quote.quote.exact));
    println!(
        "{:<46} {:?} (once)",
        "create, as before issue 14 (quadratic)",
        started.elapsed()
    );
    let moved = format!("Préambule ajouté. {clause}");
    report(
        "re-read, words moved",
        measure(20, || {
            std::hint::black_box(reanchor(&clause, Some(&moved), Some(&quote)));
        }),
    );
    // The sentence around the quote is rewritten: the exact search fails everywhere, the fuzzy
    // one runs (a character diff of the two clause texts, bounded by time).
    let sentence_start = clause[..clause.char_indices().nth(start).unwrap().0]
        .rfind("Article")
        .unwrap();
    let sentence_end = sentence_start + clause[sentence_start..].find(". ").unwrap() + 2;
    let gone = format!(
        "{}Clause remplacée. {}",
        &clause[..sentence_start],
        &clause[sentence_end..]
    );
    let sentence = select(
        &clause,
        clause[..sentence_start].chars().count(),
        clause[..sentence_end].chars().count() - 1,
    )
    .expect("a sentence");
    report(
        "re-read, words gone (exact then fuzzy search)",
        measure(5, || {
            std::hint::black_box(reanchor(&clause, Some(&gone), Some(&sentence)));
        }),
    );
    report(
        "300 of those in one read (1 s budget)",
        measure(3, || {
            let deadline = Instant::now() + Duration::from_secs(1);
            for _ in 0..300 {
                std::hint::black_box(reanchor_until(&clause, Some(&gone), Some(&sentence), deadline));
            }
        }),
    );
}
