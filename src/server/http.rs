//! The HTTP stack: routes, security headers, limits, and serving with a graceful shutdown.
//!
//! `router` is kept apart from `serve` so that tests drive the exact same stack with `oneshot`.

use super::{config::Config, AppState};
use crate::app::{shell, App};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Builds the whole application: pages, server functions, static files, health check, and the
/// layers every response goes through.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let app_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/consultations/{id}/versions/{number}/cctp.md", get(download_markdown))
        .route("/consultations/{id}/calendrier.ics", get(consultation_ics))
        .route("/consultations/{id}/contributions.csv", get(contributions_csv))
        .route("/consultations/{id}/evenements", get(contribution_events))
        .route("/entreprise/planning/{plan}/calendrier.ics", get(retro_plan_ics))
        .route("/agenda/{token}/calendrier.ics", get(calendar_feed))
        .leptos_routes_with_context(&state, routes, context.clone(), app_shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(reject_cross_site_writes))
        .layer(middleware::from_fn(revalidate_bundle))
        .layer(RequestBodyLimitLayer::new(max_body_bytes))
        // axum's extractors stop at 2 MB by default, below a 2 MB specification sent as JSON: the
        // layer above is the one limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(middleware::from_fn(default_content_security_policy))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            tracing::debug_span!("request", method = %request.method(), path = %redacted_path(request.uri().path()))
        }))
        .with_state(state)
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

/// The Content-Security-Policy of a page: scripts only from this site or carrying the nonce of
/// this response (the hydration script is inline), WebAssembly allowed, nothing framed.
pub fn page_content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Pages set their own policy with a nonce (see `app::shell`); API answers, static files and
/// errors, which never need to run anything, get the strictest one. An HTML page that arrives
/// here without its policy is a bug (seen once in CI, not reproduced: see the issue notes): it is
/// logged and gets a policy that still forbids framing and plugins but lets the page work.
async fn default_content_security_policy(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let policy = if html {
            tracing::warn!("an HTML page had no content security policy of its own");
            "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
        } else {
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
        };
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    }
    response
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

/// A published version as a Markdown file, for whoever may read the consultation.
/// An error as a plain-text response with its status.
fn refusal(e: crate::error::AppError) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        e.to_string(),
    )
        .into_response()
}

/// An iCalendar file to download (or to subscribe to).
fn ics_response(filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Every contribution of a consultation as CSV, pseudonymised, for whoever may see it (the
/// buyer's spreadsheet; the same content as the pages).
async fn contributions_csv(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    headers: axum::http::HeaderMap,
) -> Response {
    let actor = match super::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    let board = match crate::api::contributions::board(&state, &actor, id, None).await {
        Ok(board) => board,
        Err(e) => return refusal(e),
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"contributions-consultation-{id}.csv\""),
            ),
        ],
        super::contributions::csv(&board.contributions, i64::from(board.version)),
    )
        .into_response()
}

/// Server-sent events telling a consultation's page that its contributions changed (no content:
/// the page reloads them through `contributions/list`). A comment every 15 s keeps proxies from
/// closing an idle stream; the browser reconnects by itself and the page then reloads, so a
/// change missed while disconnected is caught up.
async fn contribution_events(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    headers: axum::http::HeaderMap,
) -> Response {
    use super::events::Change;
    use axum::response::sse::{Event, KeepAlive, Sse};
    let actor = match super::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    if let Err(e) = crate::api::consultations::visible_consultation(&state, &actor, id).await {
        return refusal(e);
    }
    let (changes, stopping) = state.events.subscribe();
    let stream = futures::stream::unfold((changes, stopping), move |(mut changes, mut stopping)| async move {
        loop {
            let change = tokio::select! {
                change = changes.recv() => change,
                _ = stopping.wait_for(|s| *s) => return None,
            };
            let reload = match change {
                Ok(Change::Consultation(c)) => c == id,
                Ok(Change::Resync) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => true,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            };
            if reload {
                let event = Event::default().event("contributions").data("changed");
                return Some((Ok::<_, std::convert::Infallible>(event), (changes, stopping)));
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response()
}

/// The sourcing calendar of a consultation, for whoever may see the consultation.
async fn consultation_ics(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    headers: axum::http::HeaderMap,
) -> Response {
    let actor = match super::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    let record = match crate::api::consultations::visible_consultation(&state, &actor, id).await {
        Ok(record) => record,
        Err(e) => return refusal(e),
    };
    let Some(settings) = record.calendar else {
        return refusal(crate::error::AppError::not_found("Le calendrier de cette consultation"));
    };
    let events = settings.calendar().ics_events(
        &format!("consultation-{id}@jesaisfaire.fr"),
        &record.summary.title,
        super::db::now_unix(),
    );
    ics_response(
        &format!("sourcing-consultation-{id}.ics"),
        crate::domain::calendar::to_ics(&format!("Sourcing — {}", record.summary.title), &events),
    )
}

/// A supplier's retro-planning, for its owner only.
async fn retro_plan_ics(
    State(state): State<AppState>,
    axum::extract::Path(plan): axum::extract::Path<i64>,
    headers: axum::http::HeaderMap,
) -> Response {
    let actor = match super::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    if let Err(e) = super::auth::authorize(&actor, super::auth::Permission::PlanTenders) {
        return refusal(e);
    }
    let owner = actor.signed_in().map(|s| s.user.id);
    let row = match super::db::consultations::retro_plan(state.db.pool(), plan).await {
        Ok(row) => row.filter(|r| Some(r.user_id) == owner),
        Err(e) => {
            tracing::error!(error = %e, "reading a retro-planning");
            return refusal(crate::error::AppError::Internal);
        }
    };
    let Some(row) = row else {
        return refusal(crate::error::AppError::not_found("Ce rétroplanning"));
    };
    let Ok(submission) = crate::domain::calendar::Date::parse_iso(&row.submission_date) else {
        return refusal(crate::error::AppError::Internal);
    };
    let events = crate::domain::calendar::retro_planning(submission).ics_events(
        &format!("retroplanning-{plan}@jesaisfaire.fr"),
        &row.title,
        super::db::now_unix(),
    );
    ics_response(
        &format!("retroplanning-{plan}.ics"),
        crate::domain::calendar::to_ics(&format!("Rétroplanning — {}", row.title), &events),
    )
}

/// Every calendar a person follows, for a subscription in an agenda application (which cannot
/// sign in): identified by the private token of the link. Buyers and reviewers: their
/// organisations' consultations; companies: the consultations open to them and their
/// retro-plannings.
async fn calendar_feed(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    use crate::model::Role;
    let internal = |e: sqlx::Error| {
        tracing::error!(error = %e, "building a calendar feed");
        refusal(crate::error::AppError::Internal)
    };
    let pool = state.db.pool();
    let user = match super::db::accounts::user_by_calendar_feed(pool, &super::auth::token::hash(&token)).await {
        Ok(Some(user)) => user,
        Ok(None) => return refusal(crate::error::AppError::not_found("Ce lien d'agenda")),
        Err(e) => return internal(e),
    };
    let (user_id, role, organisation) = (user.id, user.role, user.organisation_id);
    let actor = match super::auth::session::actor_for(&state, user, String::new()).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    let reviewed = actor
        .signed_in()
        .map(|s| s.reviewed_organisations.clone())
        .unwrap_or_default();
    let summaries = match crate::api::consultations::visible_consultations(&state, &actor).await {
        Ok(list) => list,
        Err(e) => return refusal(e),
    };
    let now = super::db::now_unix();
    let mut events = Vec::new();
    for summary in summaries {
        let Ok(Some(record)) = super::db::consultations::find(pool, summary.id).await else {
            continue;
        };
        let followed = match role {
            Role::Buyer => organisation == Some(record.buyer_organisation_id),
            Role::Reviewer => reviewed.contains(&record.buyer_organisation_id),
            Role::Supplier => true,
            Role::Admin => false,
        };
        if let (true, Some(settings)) = (followed, record.calendar) {
            events.extend(settings.calendar().ics_events(
                &format!("consultation-{}@jesaisfaire.fr", summary.id),
                &summary.title,
                now,
            ));
        }
    }
    if role == Role::Supplier {
        let plans = match super::db::consultations::retro_plans(pool, user_id).await {
            Ok(plans) => plans,
            Err(e) => return internal(e),
        };
        for plan in plans {
            if let Ok(submission) = crate::domain::calendar::Date::parse_iso(&plan.submission_date) {
                events.extend(crate::domain::calendar::retro_planning(submission).ics_events(
                    &format!("retroplanning-{}@jesaisfaire.fr", plan.id),
                    &plan.title,
                    now,
                ));
            }
        }
    }
    ics_response(
        "jesaisfaire.ics",
        crate::domain::calendar::to_ics("JeSaisFaire", &events),
    )
}

async fn download_markdown(
    State(state): State<AppState>,
    axum::extract::Path((id, number)): axum::extract::Path<(i64, i64)>,
    headers: axum::http::HeaderMap,
) -> Response {
    let refused = |e: crate::error::AppError| {
        let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            e.to_string(),
        )
            .into_response()
    };
    let actor = match super::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refused(e),
    };
    let record = match crate::api::consultations::visible_consultation(&state, &actor, id).await {
        Ok(record) => record,
        Err(e) => return refused(e),
    };
    match super::db::consultations::version(state.db.pool(), id, Some(number)).await {
        Ok(Some(version)) => {
            let filename = format!("cctp-consultation-{id}-v{number}.md");
            (
                [
                    (header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{filename}\""),
                    ),
                ],
                version.markdown,
            )
                .into_response()
        }
        Ok(None) => refused(crate::error::AppError::not_found(&format!(
            "La version {number} de « {} »",
            record.summary.title
        ))),
        Err(e) => {
            tracing::error!(error = %e, "reading a version to download");
            refused(crate::error::AppError::Internal)
        }
    }
}

/// Refuses state-changing requests sent by another site (cross-site request forgery): server
/// functions are plain HTTP endpoints and browsers attach cookies to cross-site form posts.
/// Browsers send `Sec-Fetch-Site`; older ones at least send `Origin` on POST.
/// The browser bundle keeps its file names from one build to the next, and the chunks split out
/// of it fit only the main module of the same build: browsers check for a newer copy (cheap:
/// the files carry Last-Modified) instead of guessing how long theirs stays good.
async fn revalidate_bundle(request: Request, next: Next) -> Response {
    let bundle = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if bundle {
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-cache"));
    }
    response
}

async fn reject_cross_site_writes(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(&request) {
        tracing::warn!(uri = %request.uri(), "refused a cross-site write");
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Requête refusée : elle provient d'un autre site. Ouvrez JeSaisFaire directement et recommencez.",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request<Body>) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none` is a navigation typed by the user; `same-site` is another subdomain, still refused.
        return !matches!(site, "same-origin" | "none");
    }
    match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or_default();
            let host = host.to_str().unwrap_or_default();
            // Origin is scheme://host[:port]; compare the authority with the Host header.
            origin.split_once("://").map(|(_, authority)| authority) != Some(host)
        }
        (Some(_), None) => true,
        // No Origin and no Sec-Fetch-Site: not a browser (curl, a script); cookies decide.
        (None, _) => false,
    }
}

/// Serves until SIGINT or SIGTERM, lets requests in flight finish, then closes the database.
pub async fn serve(config: &Config, state: AppState) -> std::io::Result<()> {
    let db = state.db.clone();
    let events = state.events.clone();
    let app = router(state, config.max_body_bytes);
    let listener = tokio::net::TcpListener::bind(config.address).await?;
    tracing::info!(address = %config.address, "JeSaisFaire is listening on http://{}", config.address);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Event streams never end by themselves: end them so the connections can close.
            events.stop();
        })
        .await?;
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
