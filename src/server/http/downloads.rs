//! Files to download or subscribe to: a version as Markdown, calendars as iCalendar, the
//! contributions as CSV, and a person's agenda feed. Each handler calls the same service (and so
//! the same permission checks) as the pages that link to it.

use super::super::auth::Actor;
use super::super::failure::OrInternal;
use super::super::{access_register, agenda, consultations, contributions, db, dossier, planning, word, AppState};
use crate::domain::dossier::DossierEdition;
use crate::domain::record::AccessKind;
use crate::domain::word::DOCX_MEDIA_TYPE;
use crate::error::AppError;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error as a plain-text response with its status.
pub fn refusal(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        e.to_string(),
    )
        .into_response()
}

/// The caller of a plain route, from its session cookie (as `caller()` in server functions).
impl FromRequestParts<AppState> for Actor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        crate::server::auth::actor_from_headers(state, &parts.headers)
            .await
            .map_err(refusal)
    }
}

/// A file to download: its type and name (ASCII, built by the server, never typed by a user).
fn attachment(content_type: &'static str, filename: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A file (text or bytes), or the refusal with its status.
fn file(content_type: &'static str, built: Result<(String, impl IntoResponse), AppError>) -> Response {
    match built {
        Ok((filename, body)) => attachment(content_type, &filename, body),
        Err(e) => refusal(e),
    }
}

const ICS: &str = "text/calendar; charset=utf-8";

/// A published version as a Markdown file, for whoever may read the consultation.
pub async fn markdown(State(state): State<AppState>, actor: Actor, Path((id, number)): Path<(i64, i64)>) -> Response {
    let built = async {
        let record = consultations::visible(&state, &actor, id).await?;
        let version = db::consultations::version(state.db.pool(), id, Some(number))
            .await
            .or_internal("reading a version to download")?
            .ok_or_else(|| AppError::not_found(&format!("La version {number} de « {} »", record.summary.title)))?;
        access_register::record_access(&state, &actor, id, AccessKind::Markdown, Some(number), ".md").await?;
        Ok((format!("cctp-consultation-{id}-v{number}.md"), version.markdown))
    };
    file("text/markdown; charset=utf-8", built.await)
}

/// A published version as a Word file, for whoever may read the consultation.
pub async fn version_docx(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, number)): Path<(i64, i64)>,
) -> Response {
    file(DOCX_MEDIA_TYPE, word::version_docx(&state, &actor, id, number).await)
}

#[derive(serde::Deserialize)]
pub struct Since {
    depuis: i64,
}

/// Version `number` as a Word file whose changes since `?depuis=` are tracked changes.
pub async fn comparison_docx(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, number)): Path<(i64, i64)>,
    Query(since): Query<Since>,
) -> Response {
    file(
        DOCX_MEDIA_TYPE,
        word::comparison_docx(&state, &actor, id, since.depuis, number).await,
    )
}

/// A Word or OpenDocument file sent by the editor (the request's body), read as Markdown for
/// the buyers of the consultation. Answers JSON (`WordImport`) or the refusal as text.
pub async fn import_word(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    body: axum::body::Body,
) -> Response {
    // Who may not import gets no further than the headers: the body is not even read.
    if let Err(e) = consultations::editable(&state, &actor, id).await {
        return refusal(e);
    }
    // Read up to the limit (a body sent without its length stops there).
    let Ok(bytes) = axum::body::to_bytes(body, crate::domain::word::MAX_FILE_BYTES).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Fichier trop volumineux : le maximum est de 10 Mo. Enregistrez-le sans les images, ou scindez-le.",
        )
            .into_response();
    };
    match word::import(&state, &actor, id, bytes.to_vec()).await {
        Ok(imported) => axum::Json(imported).into_response(),
        Err(e) => refusal(e),
    }
}

/// The sourcing calendar of a consultation, for whoever may see the consultation.
pub async fn consultation_ics(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Response {
    let built = async {
        let record = consultations::visible(&state, &actor, id).await?;
        let settings = record
            .calendar
            .ok_or_else(|| AppError::not_found("Le calendrier de cette consultation"))?;
        access_register::record_access(&state, &actor, id, AccessKind::Calendar, None, "").await?;
        let events = settings.calendar().ics_events(
            &format!("consultation-{id}@jesaisfaire.fr"),
            &record.summary.title,
            state.now(),
        );
        Ok((
            format!("sourcing-consultation-{id}.ics"),
            crate::domain::calendar::to_ics(&format!("Sourcing — {}", record.summary.title), &events),
        ))
    };
    file(ICS, built.await)
}

/// A « portes ouvertes » meeting, for the company that booked it and the need's buyers.
pub async fn slot_ics(State(state): State<AppState>, actor: Actor, Path((id, slot)): Path<(i64, i64)>) -> Response {
    file(ICS, crate::server::open_days::slot_ics(&state, &actor, id, slot).await)
}

/// A supplier's retro-planning, for its owner only.
pub async fn retro_plan_ics(State(state): State<AppState>, actor: Actor, Path(plan): Path<i64>) -> Response {
    file(ICS, planning::ics(&state, &actor, plan).await)
}

/// Every contribution of a consultation as CSV, pseudonymised, for whoever may read them (the
/// buyer's spreadsheet; the same content as the pages).
pub async fn contributions_csv(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Response {
    let built = async {
        let csv = contributions::csv(&state, &actor, id).await?;
        access_register::record_access(&state, &actor, id, AccessKind::ContributionsCsv, None, "").await?;
        Ok((format!("contributions-consultation-{id}.csv"), csv))
    };
    file("text/csv; charset=utf-8", built.await)
}

/// Every calendar a person follows, for a subscription in an agenda application: identified by
/// the private token of the link (see `server::agenda`).
pub async fn agenda_feed(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let built = agenda::feed(&state, &token)
        .await
        .map(|ics| ("jesaisfaire.ics".to_owned(), ics));
    file(ICS, built)
}

/// Which edition of the dossier a link asks for: `?edition=interne` for the internal one.
#[derive(serde::Deserialize)]
pub struct EditionQuery {
    edition: Option<String>,
}

impl EditionQuery {
    fn edition(&self) -> DossierEdition {
        match self.edition.as_deref() {
            Some("interne") => DossierEdition::Internal,
            _ => DossierEdition::Public,
        }
    }
}

/// The dossier as a PDF, in the edition the caller may read (see `server::dossier`).
pub async fn dossier_pdf(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<EditionQuery>,
) -> Response {
    file(
        "application/pdf",
        dossier::pdf(&state, &actor, id, query.edition()).await,
    )
}

/// The dossier as a ZIP: the PDF, each version's Markdown, the contributions CSV.
pub async fn dossier_zip(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<EditionQuery>,
) -> Response {
    file(
        "application/zip",
        dossier::zip(&state, &actor, id, query.edition()).await,
    )
}
