//! Worst cases of anchoring (issue 14, defect E), in process, release build:
//! `cargo bench --features ssr --bench anchor`.
//!
//! A clause of 1 MB with a one-letter quote (as many occurrences as letters): creating the
//! anchor (`locate` then `select`), and re-reading it on a new version where the words moved,
//! where they changed a little (fuzzy search) and where they are gone; then 300 such annotations
//! re-anchored in one batch, as the contributions board does for one version.

use jesaisfaire::domain::anchor::{locate, reanchor, reanchor_until, select};
use std::time::{Duration, Instant};

fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[runs / 2], times[runs - 1])
}

fn main() {
    // About 1 MB of French-looking text in one clause.
    let sentence = "Le titulaire assure la maintenance préventive des postes de travail de chaque site. ";
    let clause: String = sentence.repeat(1_000_000 / sentence.len());
    let len = clause.chars().count();
    let start = len / 2;
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
    let moved = format!("Préambule ajouté. {clause}");
    report(
        "re-read, words moved",
        measure(20, || {
            std::hint::black_box(reanchor(&clause, Some(&moved), Some(&quote)));
        }),
    );
    // The quoted letter changed: the exact search fails, the fuzzy one runs (bounded by time).
    let mut chars: Vec<char> = clause.chars().collect();
    chars[start] = 'Z';
    let changed: String = chars.into_iter().collect();
    report(
        "re-read, words changed (fuzzy)",
        measure(5, || {
            std::hint::black_box(reanchor(&clause, Some(&changed), Some(&quote)));
        }),
    );
    report(
        "300 annotations in one batch (1 s budget)",
        measure(3, || {
            let deadline = Instant::now() + Duration::from_secs(1);
            for _ in 0..300 {
                std::hint::black_box(reanchor_until(&clause, Some(&changed), Some(&quote), deadline));
            }
        }),
    );
}
