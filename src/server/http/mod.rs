//! The HTTP stack: routes, security headers, limits, and serving with a graceful shutdown.
//!
//! `router` is kept apart from `serve` so that tests drive the exact same stack with `oneshot`.

pub mod client;
pub mod downloads;
pub mod files;
pub mod live;
pub mod open_data;
pub mod pages;
pub mod security;

pub use security::page_content_security_policy;

use super::{config::Config, AppState};
use crate::app::{shell, App};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tower_http::compression::{CompressionLayer, Predicate};
use tower_http::trace::TraceLayer;

/// The plain routes (not pages, not server functions), in one list: the authorization tests
/// check that each has rows (`tests/authorization_matrix.rs`).
pub const PLAIN_ROUTES: [&str; 17] = [
    "/healthz",
    "/consultations/{id}/versions/{number}/cctp.md",
    "/consultations/{id}/versions/{number}/cctp.docx",
    "/consultations/{id}/versions/{number}/suivi-des-modifications.docx",
    "/consultations/{id}/brouillon/import-word",
    "/consultations/{id}/calendrier.ics",
    "/consultations/{id}/contributions.csv",
    "/consultations/{id}/evenements",
    "/entreprise/planning/{plan}/calendrier.ics",
    "/agenda/{token}/calendrier.ics",
    "/consultations/{id}/dossier.pdf",
    "/consultations/{id}/dossier.zip",
    "/besoins/{id}/creneaux/{slot}/rendez-vous.ics",
    "/donnees/ocds.jsonl.gz",
    "/donnees/ocds/{file}",
    "/donnees/ocds/{ocid}/record.json",
    "/donnees/{file}",
];

/// Builds the whole application: pages, server functions, static files, health check, and the
/// layers every response goes through.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    let routes = generate_route_list(App);
    // Every page render and server function call gets the state, an empty memo for its caller,
    // and the nonce that `security::headers` chose for this very request (it writes the same one
    // into the response's policy).
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            let parts = use_context::<http::request::Parts>();
            let extension = |parts: &http::request::Parts| {
                (
                    parts.extensions.get::<crate::server::auth::ActorMemo>().cloned(),
                    parts.extensions.get::<security::PageNonce>().cloned(),
                    parts.extensions.get::<pages::PageAccesses>().cloned(),
                )
            };
            let (actor, nonce, accesses) = parts.as_ref().map(extension).unwrap_or_default();
            // The caller as `render_gate` read it for the page cache, else read on first use.
            provide_context(actor.unwrap_or_default());
            if let Some(security::PageNonce(nonce)) = nonce {
                provide_context(leptos::nonce::Nonce::from_value(nonce));
            }
            if let Some(accesses) = accesses {
                provide_context(accesses);
            }
        }
    };
    let app_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    let not_found = {
        let render = leptos_axum::render_app_to_stream_with_context(context.clone(), app_shell.clone());
        move |request: Request| {
            let render = render.clone();
            async move {
                let mut response = render(request).await;
                if response.status() == StatusCode::OK {
                    *response.status_mut() = StatusCode::NOT_FOUND;
                }
                response
            }
        }
    };
    let [healthz_path, markdown, version_docx, comparison_docx, import_word, consultation_ics, csv, events, retro_ics, feed, dossier_pdf, dossier_zip, slot_ics, bulk, release_package, record_package, dataset] =
        PLAIN_ROUTES;
    let site_root = std::path::PathBuf::from(state.leptos_options.site_root.as_ref());
    let (zstd, br_gzip) = compression();
    Router::new()
        // Pages (a few at a time: the layer covers the routes added before it only), and every
        // server function at its own `/api/…` route.
        .leptos_routes_with_context(&state, routes, context.clone(), app_shell)
        .route_layer(middleware::from_fn_with_state(state.clone(), render_gate))
        .route(healthz_path, get(healthz))
        .route(markdown, get(downloads::markdown))
        .route(version_docx, get(downloads::version_docx))
        .route(comparison_docx, get(downloads::comparison_docx))
        .route(import_word, axum::routing::post(downloads::import_word))
        .route(consultation_ics, get(downloads::consultation_ics))
        .route(csv, get(downloads::contributions_csv))
        .route(events, get(live::contribution_events))
        .route(retro_ics, get(downloads::retro_plan_ics))
        .route(feed, get(downloads::agenda_feed))
        .route(dossier_pdf, get(downloads::dossier_pdf))
        .route(dossier_zip, get(downloads::dossier_zip))
        .route(slot_ics, get(downloads::slot_ics))
        .route(bulk, get(open_data::bulk))
        .route(release_package, get(open_data::release_package))
        .route(record_package, get(open_data::record_package))
        .route(dataset, get(open_data::dataset))
        .route("/api/{*function}", axum::routing::any(unknown_server_function))
        .merge(files::routes(&site_root))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::strip_unsigned_form_errors,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), security::sign_form_errors))
        .layer(middleware::from_fn(security::server_function_errors))
        .layer(middleware::from_fn(security::reject_cross_site_writes))
        .layer(middleware::from_fn_with_state(max_body_bytes, body_limit))
        // axum's extractors stop at 2 MB by default, below a 2 MB specification sent as JSON: the
        // layer above is the one limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(zstd)
        .layer(br_gzip)
        .layer(middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(middleware::from_fn_with_state(state.clone(), client::identify))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            tracing::debug_span!("request", method = %request.method(), path = %redacted_path(request.uri().path()))
        }))
        .with_state(state)
}

/// The one bound on request bodies: `max_body_bytes`, except a Word file sent to the editor
/// (up to `word::MAX_FILE_BYTES`). A body announced larger is refused at once; one that is not
/// announced stops being read at the bound.
async fn body_limit(State(max_body_bytes): State<usize>, request: Request, next: middleware::Next) -> Response {
    let limit = if request.method() == http::Method::POST && request.uri().path().ends_with("/brouillon/import-word") {
        max_body_bytes.max(crate::domain::word::MAX_FILE_BYTES + 64 * 1024)
    } else {
        max_body_bytes
    };
    let announced = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("Envoi trop volumineux : au plus {} Mo.", limit / (1024 * 1024)),
        )
            .into_response();
    }
    next.run(request.map(|body| Body::new(http_body_util::Limited::new(body, limit))))
        .await
}

/// Pages wait for one of `AppState::renders` before being rendered, and keep it until the page
/// is built and compressed: under 200 connections asking for the Code civil page, the server
/// built 200 pages of 5 MB at once and grew to 1.3 GiB, each page taking 200 times longer; now
/// the others wait their turn, holding nothing but their request. The page is then sent from
/// its compressed bytes (20 KB for a consultation of 100 clauses, 860 KB for the Code civil), so
/// a client that reads slowly holds those, not a permit nor a half-built page: leptos builds a
/// page as its body is read, and releasing the permit when the head is ready (as this gate did
/// at first) let every page of a load test be built at once all the same (the server stayed at
/// 250 MiB after one). Server functions pass (a sign-in waiting for its password check, a write
/// waiting for the write lock must not hold up pages); files, downloads and the live-event
/// stream are routed outside this layer.
///
/// Once it has its permit, a page is built on a task of its own, to the end, even if its client
/// leaves or is answered 503 at the deadline: dropping a render halfway left leptos's resource
/// tasks running on a disposed reactive owner, and each one panicked (« Tried to access a reactive
/// value that has already been disposed », 4 times in 240 requests cut short). A client that
/// leaves while waiting for a permit costs nothing. A client whose page is not built within
/// `AppState::page_deadline` is answered 503 (the build goes on and keeps its permit); only a
/// build still running after `STUCK_PAGE` (a resource that never resolves) is dropped, so that it
/// cannot keep a permit for ever.
///
/// Before all that, a page that `pages::cacheable` lists is looked up in the page cache: kept, it
/// is sent at once, its reads recorded in the access register again; otherwise it is built as
/// above and kept.
async fn render_gate(State(state): State<AppState>, mut request: Request, next: middleware::Next) -> Response {
    use tracing::Instrument;
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let kept = match page_key(&state, &mut request).await {
        Some((key, actor)) => match state.pages.get(&key) {
            Some(page) => return serve_kept(&state, &actor, &page).await,
            None => {
                request.extensions_mut().insert(pages::PageAccesses::default());
                Some(key)
            }
        },
        None => None,
    };
    let path = redacted_path(request.uri().path());
    let deadline = state.page_deadline;
    let wait = tokio::time::timeout(deadline, state.renders.clone().acquire_owned());
    // The semaphore is never closed: a permit always comes, in time or not.
    let Ok(Ok(permit)) = wait.await else {
        tracing::warn!(%path, "no render permit within the deadline: the server is overloaded");
        return overloaded();
    };
    let built = state.pages_built.clone();
    let pages = state.pages.clone();
    let build_path = path.clone();
    let page = tokio::spawn(
        async move {
            let accesses = request.extensions().get::<pages::PageAccesses>().cloned();
            let page = tokio::time::timeout(STUCK_PAGE, build_page(request, next, kept.is_some())).await;
            drop(permit);
            match page {
                Ok(page) => {
                    built.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if let (Some(key), Some(accesses)) = (kept, accesses) {
                        keep(&pages, key, &page, accesses.taken());
                    }
                    Some(page)
                }
                Err(_) => {
                    tracing::error!(path = %build_path, "page build stuck: dropped");
                    None
                }
            }
        }
        .in_current_span(),
    );
    // Dropping the handle at the deadline leaves the task running.
    match tokio::time::timeout(deadline, page).await {
        Ok(Ok(Some(page))) => page,
        Ok(Ok(None)) => overloaded(),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "building a page");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(_) => {
            tracing::warn!(%path, "page not built within the deadline");
            overloaded()
        }
    }
}

/// How long a page may wait for its permit, and then how long its client waits for it to be built
/// (the default of `AppState::page_deadline`): the Code civil page takes 80 ms alone and its p95
/// under 200 connections was under 5 s.
pub const PAGE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a page's build may run, its client answered or not, before it is dropped: far beyond
/// any real page, so that only a build that will never end is cut halfway.
const STUCK_PAGE: std::time::Duration = std::time::Duration::from_secs(300);

/// The key of the page cache for a page it may keep, with the caller, whose memo is left in the
/// request for the render; `None` for any other page, or when the session or the generation
/// cannot be read (the page is then built as usual, and reports the error itself).
async fn page_key(state: &AppState, request: &mut Request) -> Option<(pages::PageKey, crate::server::auth::Actor)> {
    const LONGEST_KEPT_ADDRESS: usize = 2048;
    let uri = request.uri().to_string();
    if !state.pages.enabled()
        || !pages::cacheable(request.method(), request.uri().path())
        || uri.len() > LONGEST_KEPT_ADDRESS
    {
        return None;
    }
    // Two round trips to the database, side by side.
    let (actor, generation) = tokio::join!(
        crate::server::auth::actor_from_headers(state, request.headers()),
        state.db.generation()
    );
    let (actor, generation) = (actor.ok()?, generation.ok()?);
    request
        .extensions_mut()
        .insert(crate::server::auth::ActorMemo::known(actor.clone()));
    let accept_encoding = request
        .headers()
        .get(http::header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let key = pages::PageKey {
        viewer: actor.signed_in().map(|s| s.session_hash.clone()).unwrap_or_default(),
        uri,
        accept_encoding: accept_encoding.chars().take(200).collect(),
        generation,
        minute: state.now().div_euclid(60),
    };
    Some((key, actor))
}

/// A kept page, sent again once its reads are in the access register (or an error page if they
/// cannot be written: nothing is read without its line).
async fn serve_kept(state: &AppState, actor: &crate::server::auth::Actor, page: &pages::KeptPage) -> Response {
    for read in &page.accesses {
        let recorded = crate::server::access_register::record_again(
            state,
            actor,
            read.consultation_id,
            read.kind,
            read.version,
            &read.detail,
        )
        .await;
        if recorded.is_err() {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (http::header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                    (http::header::RETRY_AFTER, "10"),
                ],
                "La page n'a pas pu être servie : votre consultation n'a pas pu être inscrite au registre. Réessayez dans quelques secondes.",
            )
                .into_response();
        }
    }
    page.response()
}

/// Keeps a page just built, if it is a whole page of HTML that sets no cookie.
fn keep(cache: &pages::PageCache, key: pages::PageKey, page: &Response, accesses: Vec<pages::PageAccess>) {
    let html = page
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let (Some(policy), Some(body)) = (
        page.extensions().get::<security::ScriptPolicy>(),
        page.extensions().get::<BuiltBody>(),
    ) else {
        return;
    };
    if page.status() != StatusCode::OK || !html || page.headers().contains_key(http::header::SET_COOKIE) {
        return;
    }
    cache.keep(
        key,
        pages::KeptPage {
            headers: page.headers().clone(),
            body: body.0.clone(),
            policy: policy.clone(),
            accesses,
        },
    );
}

/// The bytes of a page just built, for the page cache (the response's own body is read once).
#[derive(Clone)]
struct BuiltBody(axum::body::Bytes);

/// A page rendered, compressed and collected whole. A page the cache may keep gets a policy
/// naming its scripts by hash (see `pages`) and its bytes in `BuiltBody`.
async fn build_page(request: Request, next: middleware::Next, may_keep: bool) -> Response {
    use http_body_util::BodyExt;
    use tower::{ServiceBuilder, ServiceExt};
    let nonce = request.extensions().get::<security::PageNonce>().cloned();
    let accept_encoding = request.headers().get(http::header::ACCEPT_ENCODING).cloned();
    let (mut parts, body) = next.run(request).await.into_parts();
    let html = match body.collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) => {
            tracing::error!(error = %e, "building a page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let (true, Some(security::PageNonce(nonce))) = (may_keep, nonce) {
        parts.extensions.insert(pages::script_policy(&html, &nonce));
    }
    // Compressed once whole, by the same layers as every other answer.
    let mut uncompressed = Some(Response::from_parts(parts, Body::from(html)));
    let mut asked = Request::new(Body::empty());
    if let Some(accepted) = accept_encoding {
        asked.headers_mut().insert(http::header::ACCEPT_ENCODING, accepted);
    }
    let (zstd, br_gzip) = compression();
    let Ok(response) = ServiceBuilder::new()
        .layer(br_gzip)
        .layer(zstd)
        .service(tower::service_fn(move |_: Request| {
            std::future::ready(Ok::<_, std::convert::Infallible>(
                uncompressed.take().unwrap_or_default(),
            ))
        }))
        .oneshot(asked)
        .await;
    let (mut parts, body) = response.into_parts();
    match body.collect().await {
        Ok(body) => {
            let bytes = body.to_bytes();
            if may_keep {
                parts.extensions.insert(BuiltBody(bytes.clone()));
            }
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::error!(error = %e, "building a page");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The answer of a server too busy to build a page in time.
fn overloaded() -> Response {
    busy("Le service est très sollicité : la page n'a pas pu être préparée à temps. Réessayez dans quelques secondes.")
}

/// 503 with a message a person can act on, and when to try again (pages, open-data files).
fn busy(message: &'static str) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (http::header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (http::header::RETRY_AFTER, "10"),
        ],
        message,
    )
        .into_response()
}

/// Pages, JSON and CSV compressed on the fly for browsers that accept it: zstd when the browser
/// accepts it (Chromium and Firefox do), else Brotli (Safari), else gzip. Never the live-event
/// stream (it must reach the browser event by event), never images, PDF or ZIP (already
/// compressed), never a file sent precompressed (it has its `Content-Encoding` already: see
/// `files`), and never twice: a layer leaves alone what the one inside it compressed (pages are compressed inside
/// `render_gate`, the rest by the router's layers).
///
/// zstd at level 1: the Code civil page (5.7 MB) in about 9 ms where Brotli's level 4 took about
/// 100 ms, 40 % of that page's CPU, for 860 KB instead of 630; and a compressor of under 1 MB
/// (level 4's is 4.3 MB, one per response being sent: 50 pages of the Code civil at once kept the
/// server at 300 MiB). Brotli and gzip at level 4: Brotli's default (11) costs about a hundred
/// times more CPU for a few percent, and anyone can ask for a page.
fn compression() -> (CompressionLayer<impl Predicate>, CompressionLayer<impl Predicate>) {
    use tower_http::CompressionLevel::Precise;
    let zstd = CompressionLayer::new()
        .no_br()
        .no_gzip()
        .no_deflate()
        .quality(Precise(1))
        .compress_when(compressible());
    let br_gzip = CompressionLayer::new()
        .no_zstd()
        .quality(Precise(4))
        .compress_when(compressible());
    (zstd, br_gzip)
}

fn compressible() -> impl Predicate {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType};
    DefaultPredicate::new()
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new("application/gzip"))
}

/// A call to a server function that does not exist (leptos would answer 400 with a paragraph in
/// English).
async fn unknown_server_function() -> Response {
    let error = crate::error::AppError::not_found("Cette fonction du service");
    (StatusCode::NOT_FOUND, Json(error)).into_response()
}

/// The path of a request as it may appear in logs: the secret of an invitation link is masked.
fn redacted_path(path: &str) -> String {
    for secret in ["/invitation/", "/agenda/"] {
        if let Some((before, _)) = path.split_once(secret) {
            return format!("{before}{secret}…");
        }
    }
    path.to_string()
}

/// Answers 200 when the database answers, 503 otherwise (for load balancers and monitoring).
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "error", "database": "error" })),
            )
                .into_response()
        }
    }
}

/// Serves until SIGINT or SIGTERM, lets requests in flight finish, then closes the database.
pub async fn serve(config: &Config, state: AppState) -> std::io::Result<()> {
    let db = state.db.clone();
    let events = state.events.clone();
    let counted = state.clone();
    // Anonymous reads are counted in memory; written every minute and at shutdown.
    let flushing = tokio::spawn({
        let state = state.clone();
        async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                if let Err(e) = crate::server::access_register::flush_reads(&state).await {
                    tracing::warn!(error = %e, "anonymous reads not written yet");
                }
            }
        }
    });
    let app = router(
        state.with_trusted_proxies(config.trusted_proxies.clone()),
        config.max_body_bytes,
    );
    let listener = tokio::net::TcpListener::bind(config.address).await?;
    tracing::info!(address = %config.address, "JeSaisFaire is listening on http://{}", config.address);
    // With the peer address of each connection: sign-in throttling and the limit of live streams
    // count per client (see `client`).
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Event streams never end by themselves: end them so the connections can close.
            events.stop();
        })
        .await?;
    flushing.abort();
    if let Err(e) = crate::server::access_register::flush_reads(&counted).await {
        tracing::warn!(error = %e, "anonymous reads of the last minute lost");
    }
    tracing::info!("requests finished; closing the database");
    db.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested");
}
