//! Pure domain logic: no I/O, no framework. Compiled twice, for the server and for the browser
//! (WebAssembly), so that both compute exactly the same results.

pub mod anchor;
pub mod calendar;
/// CPV codes: shape everywhere, the official CPV 2008 list and check digits on the server.
pub mod classification;
pub mod consultation;
pub mod contribution;
pub mod criteria;
pub mod diff;
pub mod dossier;
/// The editor's formatting commands (toolbar and shortcuts).
pub mod editing;
pub mod enums;
/// French formatting of dates and instants, for pages, exports and messages.
pub mod format;
pub mod identity;
pub mod lists;
pub mod mail;
pub mod markdown;
pub mod minutes;
pub mod need;
/// Open data: OCDS releases and records, CSV files with their Table Schema.
pub mod open_data;
pub mod record;
pub mod search;
pub mod spec;
/// Départements: one list and one normalisation for every form and the server.
pub mod territory;
/// Word files: `.docx` / `.odt` import, `.docx` export with tracked changes. Server only (its
/// ZIP and XML readers stay out of the browser bundle).
#[cfg(feature = "ssr")]
pub mod word;

/// The one proptest configuration of the crate: a fixed number of cases, and no regression files
/// written into `src/` (a failing case is printed; add it as a plain test if it must stay).
#[cfg(test)]
pub(crate) fn proptest_config() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: 256,
        failure_persistence: None,
        max_global_rejects: 100_000,
        ..proptest::test_runner::Config::default()
    }
}
