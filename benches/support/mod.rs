//! What the benchmarks share (each `benches/*.rs` includes this module).

use std::time::{Duration, Instant};

/// Runs `f` once to warm up, then `runs` times: (fastest, median, slowest).
pub fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
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
