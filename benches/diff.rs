//! Benchmark of the clause-aligned diff on the Code civil pair (2,793 → 2,802 articles, 1.1 MB
//! each, 79 changed), in process, release build: `cargo bench --features ssr --bench diff`.
//! Prints the median and the spread of 30 runs for the diff alone (versions already parsed and
//! their ids carried, as for two published versions) and for the whole pipeline from text.

mod support;

use jesaisfaire::domain::diff::diff_specifications;
use jesaisfaire::domain::spec::{carry_ids, Specification};
use std::time::Duration;
use support::measure;

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/code-civil");
    let old_text = std::fs::read_to_string(format!("{dir}/v2013-01-01.md")).expect("tests/data/code-civil");
    let new_text = std::fs::read_to_string(format!("{dir}/v2015-03-22.md")).expect("tests/data/code-civil");
    let old = Specification::parse(&old_text);
    let mut new = Specification::parse(&new_text);
    carry_ids(&old, &mut new);
    let budget = Duration::from_secs(10);

    let (min, median, max) = measure(30, || {
        let diff = diff_specifications(&old, &new, &[], &[], budget);
        assert_eq!(diff.stats.added + diff.stats.removed + diff.stats.modified, 79);
    });
    println!("diff of parsed versions:     median {median:?} (min {min:?}, max {max:?})");
    let (min, median, max) = measure(30, || {
        let old = Specification::parse(&old_text);
        let mut new = Specification::parse(&new_text);
        carry_ids(&old, &mut new);
        std::hint::black_box(diff_specifications(&old, &new, &[], &[], budget));
    });
    println!("parse + carry ids + diff:    median {median:?} (min {min:?}, max {max:?})");

    // Carrying ids when every heading changes (matched by body hash), then when every body is
    // edited too (matched by similarity): the worst case of `carry_ids`.
    let headings_only = old_text.replace("## Article ", "## Art. n° ");
    let bodies_too = headings_only.replace("\n\n## Art.", " Alinéa ajouté.\n\n## Art.");
    for (name, text) in [
        ("every heading changed", &headings_only),
        ("and every body edited", &bodies_too),
    ] {
        let parsed = Specification::parse(text);
        let (min, median, max) = measure(10, || {
            let mut shifted = parsed.clone();
            carry_ids(&old, &mut shifted);
            std::hint::black_box(shifted);
        });
        println!("carry ids, {name}: median {median:?} (min {min:?}, max {max:?})");
    }
}
