//! The bulk open-data file (`/donnees/ocds.jsonl.gz`) of 10,000 consultations, streamed through
//! the real HTTP stack as a reuser downloads it, on SQLite.
//!
//! Targets (issue 20): at least 2,000 releases a second, and the server's memory growing by
//! less than 50 MB while it streams. Reports releases/s, bytes, and the resident memory before
//! and at its peak during the download (from /proc: the peak is reset before).
//!
//! `cargo bench --features ssr --bench open_data` (`JSF_BENCH_CONSULTATIONS` changes the count)

use http_body_util::BodyExt;
use jesaisfaire::server::db::Db;
use jesaisfaire::server::{demo, http, AppState};
use leptos::prelude::LeptosOptions;
use std::io::Read;
use std::time::Instant;
use tower::ServiceExt;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

fn resident_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

async fn run() {
    let count: i64 = std::env::var("JSF_BENCH_CONSULTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite:{}", dir.path().join("bench.db").display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    demo::load_if_empty(&db).await.unwrap();
    let filled = Instant::now();
    demo::corpus::generate(&db, count, db.now() - 400 * 86_400)
        .await
        .unwrap();
    println!(
        "{count} consultations written in {:.1} s",
        filled.elapsed().as_secs_f64()
    );
    let options = LeptosOptions::builder()
        .output_name("jesaisfaire")
        .site_root("target/site")
        .build();
    let app = http::router(
        AppState::new(options, db.clone(), "https://jesaisfaire.example.fr"),
        4 << 20,
    );

    // A first download warms the caches (the comparisons of versions are computed once).
    for round in ["first (comparisons computed)", "second"] {
        let _ = std::fs::write("/proc/self/clear_refs", "5"); // resets VmHWM
        let before = resident_kib("VmRSS:");
        let started = Instant::now();
        let response = app
            .clone()
            .oneshot(
                axum::http::Request::get("/donnees/ocds.jsonl.gz")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        // Written to a file as it arrives, as a reuser's client would: the process's memory is
        // the server's.
        let file = dir.path().join("ocds.jsonl.gz");
        let mut out = std::fs::File::create(&file).unwrap();
        let mut body = response.into_body();
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.unwrap().into_data() {
                std::io::Write::write_all(&mut out, &data).unwrap();
            }
        }
        drop(out);
        let seconds = started.elapsed().as_secs_f64();
        let peak = resident_kib("VmHWM:");
        let gz = std::fs::read(&file).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text).unwrap();
        let releases = text.lines().count();
        println!(
            "{round}: {releases} releases in {seconds:.2} s = {:.0} releases/s; {:.1} MB gzipped ({:.1} MB of JSON); \
             resident memory {:.0} MiB before, peak {:.0} MiB (+{:.1} MiB)",
            releases as f64 / seconds,
            gz.len() as f64 / 1e6,
            text.len() as f64 / 1e6,
            before as f64 / 1024.0,
            peak as f64 / 1024.0,
            peak.saturating_sub(before) as f64 / 1024.0,
        );
    }
}
