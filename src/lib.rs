//! JeSaisFaire: one crate compiled twice.
//!
//! - `domain`: pure logic (clauses, diffs, anchors, calendars), the same in the server and the browser.
//! - `model`: the types that cross the wire between them.
//! - `error`: the one application error, with a French message a person can act on.
//! - `api`: server functions (public HTTP endpoints), thin: permission, validation, then `server`.
//! - `server`: server-only code (configuration, database, HTTP stack, demo data).
//! - `ui`: pages and components.
// Leptos views are deeply nested types; the consultation page needs more than the default.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod domain;
pub mod error;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

/// Entry point of the browser build: attaches the reactive system to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
