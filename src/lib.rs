//! JeSaisFaire: one crate compiled twice.
//!
//! - `domain`: pure logic (clauses, diffs, anchors, calendars), the same in the server and the browser.
//! - `model`: the types that cross the wire between them.
//! - `error`: the one application error, with a French message a person can act on.
//! - `api`: server functions (public HTTP endpoints), thin: the caller, then one `server` service.
//! - `server`: server-only code: a service per area, permissions, database, HTTP stack, demo data.
//! - `ui`: pages and components.
//!
//! The dependencies point down (`app` → `ui` → `api` → `server` → `model` → `domain`):
//! docs/architecture.md, checked by `tests/layering.rs`.
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

/// Slack in the browser build's constant data, so that the splitter (`scripts/site-builder`) can
/// move each page's constant data (its French strings, pulldown-cmark's entity table, Unicode case
/// tables…) into that page's module. The splitter re-packs the data segment per module and, when
/// the re-packed segment comes out longer than the linker's (alignment padding, data shared by
/// several modules), keeps *all* data in the main module: by 1.6 KB here, which cost the catalogue
/// about 70 KB of Brotli. Nothing references this array, so the splitter drops it and its room
/// absorbs the overflow; it is never downloaded. (wasm_split_cli_support 0.2.3, `emit.rs`,
/// "Overlong segment".)
#[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
#[used]
static SPLIT_DATA_SLACK: [u8; 16384] = [0xA5; 16384];

/// Entry point of the browser build: attaches the reactive system to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // As `leptos::mount::hydrate_lazy`: pages split out of the main bundle hydrate once their
    // code has arrived. Then mark the page as taken over (the end-to-end tests wait for it).
    // (`hydrate_from_async` starts Leptos' executor itself.)
    wasm_bindgen_futures::spawn_local(async {
        let owner =
            leptos::mount::hydrate_from_async(leptos::prelude::document().body().expect("a body"), app::App).await;
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        owner.forget();
    });
}
