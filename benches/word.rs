//! Word files of a Code civil-sized specification (2,800 clauses, 1.1 MB of Markdown), as the
//! server makes and reads them (`domain::word`): the version exported as `.docx`, the
//! comparison of the two real revisions as a `.docx` with tracked changes, and the import of
//! that `.docx` back into Markdown.
//!
//! Target (issue 21): import and export each under 2 s. Median of 5 runs of each, after one
//! warm-up; sizes of the files.
//!
//! `cargo bench --features ssr --bench word`

use jesaisfaire::domain::spec::{carry_ids, Specification};
use jesaisfaire::domain::word::{self, comparison_docx, version_docx, Cover, Side};
use std::time::{Duration, Instant};

const V1: &str = include_str!("../tests/data/code-civil/v2013-01-01.md");
const V2: &str = include_str!("../tests/data/code-civil/v2015-03-22.md");
const RUNS: usize = 5;

fn median<T>(mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut last = work();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        last = work();
        times.push(started.elapsed());
    }
    times.sort();
    (times[RUNS / 2], last)
}

fn main() {
    let cover = |n: &str| Cover {
        title: "Code civil".into(),
        lines: vec![format!("Version {n}")],
    };
    let (old_cover, new_cover) = (cover("2013"), cover("2015"));
    let (export, docx) = median(|| version_docx(V2, &Specification::parse(V2), &new_cover));
    println!(
        "export of the Code civil as .docx (parse included): {:>6.0} ms, {:.2} MB",
        export.as_secs_f64() * 1000.0,
        docx.len() as f64 / 1e6
    );
    let (compare, tracked) = median(|| {
        let old = Specification::parse(V1);
        let mut new = Specification::parse(V2);
        carry_ids(&old, &mut new);
        comparison_docx(
            Side {
                markdown: V1,
                spec: &old,
                cover: &old_cover,
            },
            Side {
                markdown: V2,
                spec: &new,
                cover: &new_cover,
            },
            "2015-03-22T00:00:00Z",
        )
    });
    println!(
        "comparison 2013 → 2015 as .docx with tracked changes: {:>6.0} ms, {:.2} MB",
        compare.as_secs_f64() * 1000.0,
        tracked.len() as f64 / 1e6
    );
    let (import, imported) = median(|| word::import(&docx).unwrap());
    println!(
        "import of that .docx into Markdown:                 {:>6.0} ms, {:.2} MB of Markdown",
        import.as_secs_f64() * 1000.0,
        imported.markdown.len() as f64 / 1e6
    );
    let target = Duration::from_secs(2);
    for (what, took) in [("export", export), ("comparison", compare), ("import", import)] {
        assert!(took < target, "{what} took {took:?}, over the 2 s target");
    }
}
