//! Static files: the compiled bundle under `/pkg/` and the files of `public/` at the root, served
//! by a plain file service that shares nothing with the rendering of pages.
//!
//! (leptos_axum's `file_and_error_handler` served them inside a reactive owner that, under
//! concurrent traffic, picked up another request's response options: pages lost their content
//! security policy, files got a page's headers or a 404. Issue 14, defect B.)

use super::super::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Marks a response as a static file (no cookies, the same for everyone).
#[derive(Clone, Copy, Debug)]
pub struct StaticFile;

/// The routes of the static files found in `site_root` when the server starts.
pub fn routes(site_root: &Path) -> Router<AppState> {
    // `scripts/build.sh` (scripts/site-builder) writes a `.br` and a `.gz` beside each file of the
    // bundle (Brotli at its best level, once, at build time): sent to browsers that accept them.
    let bundle = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let mut router = Router::new().nest_service("/pkg", bundle);
    if let Ok(entries) = std::fs::read_dir(site_root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name == "pkg" || name.starts_with('.') {
                continue;
            }
            if path.is_file() {
                router = router.route_service(&format!("/{name}"), ServeFile::new(path));
            } else if path.is_dir() {
                router = router.nest_service(&format!("/{name}"), ServeDir::new(path));
            }
        }
    }
    router.layer(middleware::from_fn(static_headers))
}

/// The bundle keeps its file names from one build to the next, and the chunks split out of it fit
/// only the main module of the same build: browsers check for a newer copy (cheap: the files
/// carry Last-Modified) instead of guessing how long theirs stays good.
async fn static_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.extensions_mut().insert(StaticFile);
    let headers = response.headers_mut();
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    // The same address answers Brotli, gzip or plain bytes: caches on the way must keep them apart
    // (ServeDir does not say so for its precompressed files).
    headers
        .entry(header::VARY)
        .or_insert(HeaderValue::from_static("accept-encoding"));
    response
}
