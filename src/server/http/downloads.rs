//! Files to download or subscribe to: a version as Markdown, calendars as iCalendar, the
//! contributions as CSV, and a person's agenda feed. Each handler asks the same permission
//! checks as the pages that link to it.

use super::super::AppState;
use crate::error::AppError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
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

fn internal(context: &str, cause: impl std::fmt::Display) -> Response {
    tracing::error!(%cause, "{context}");
    refusal(AppError::Internal)
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

const ICS: &str = "text/calendar; charset=utf-8";

/// A published version as a Markdown file, for whoever may read the consultation.
pub async fn markdown(
    State(state): State<AppState>,
    Path((id, number)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Response {
    let actor = match crate::server::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    let record = match crate::api::consultations::visible_consultation(&state, &actor, id).await {
        Ok(record) => record,
        Err(e) => return refusal(e),
    };
    match crate::server::db::consultations::version(state.db.pool(), id, Some(number)).await {
        Ok(Some(version)) => attachment(
            "text/markdown; charset=utf-8",
            &format!("cctp-consultation-{id}-v{number}.md"),
            version.markdown,
        ),
        Ok(None) => refusal(AppError::not_found(&format!(
            "La version {number} de « {} »",
            record.summary.title
        ))),
        Err(e) => internal("reading a version to download", e),
    }
}

/// The sourcing calendar of a consultation, for whoever may see the consultation.
pub async fn consultation_ics(State(state): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    let actor = match crate::server::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    let record = match crate::api::consultations::visible_consultation(&state, &actor, id).await {
        Ok(record) => record,
        Err(e) => return refusal(e),
    };
    let Some(settings) = record.calendar else {
        return refusal(AppError::not_found("Le calendrier de cette consultation"));
    };
    let events = settings.calendar().ics_events(
        &format!("consultation-{id}@jesaisfaire.fr"),
        &record.summary.title,
        state.now(),
    );
    attachment(
        ICS,
        &format!("sourcing-consultation-{id}.ics"),
        crate::domain::calendar::to_ics(&format!("Sourcing — {}", record.summary.title), &events),
    )
}

/// A supplier's retro-planning, for its owner only.
pub async fn retro_plan_ics(State(state): State<AppState>, Path(plan): Path<i64>, headers: HeaderMap) -> Response {
    let actor = match crate::server::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    if let Err(e) = crate::server::auth::authorize(&actor, crate::server::auth::Permission::PlanTenders) {
        return refusal(e);
    }
    let owner = actor.signed_in().map(|s| s.user.id);
    let row = match crate::server::db::consultations::retro_plan(state.db.pool(), plan).await {
        Ok(row) => row.filter(|r| Some(r.user_id) == owner),
        Err(e) => return internal("reading a retro-planning", e),
    };
    let Some(row) = row else {
        return refusal(AppError::not_found("Ce rétroplanning"));
    };
    let Ok(submission) = crate::domain::calendar::Date::parse_iso(&row.submission_date) else {
        return internal("reading a retro-planning", "unreadable submission date");
    };
    let events = crate::domain::calendar::retro_planning(submission).ics_events(
        &format!("retroplanning-{plan}@jesaisfaire.fr"),
        &row.title,
        state.now(),
    );
    attachment(
        ICS,
        &format!("retroplanning-{plan}.ics"),
        crate::domain::calendar::to_ics(&format!("Rétroplanning — {}", row.title), &events),
    )
}

/// Every contribution of a consultation as CSV, pseudonymised, for whoever may see it (the
/// buyer's spreadsheet; the same content as the pages).
pub async fn contributions_csv(State(state): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    let actor = match crate::server::auth::actor_from_headers(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    let board = match crate::api::contributions::board(&state, &actor, id, None).await {
        Ok(board) => board,
        Err(e) => return refusal(e),
    };
    attachment(
        "text/csv; charset=utf-8",
        &format!("contributions-consultation-{id}.csv"),
        crate::server::contributions::csv(&board.contributions, i64::from(board.version)),
    )
}

/// Every calendar a person follows, for a subscription in an agenda application (which cannot
/// sign in): identified by the private token of the link, as long as it has not expired or been
/// revoked. Buyers and reviewers: their organisations' consultations; companies: the
/// consultations open to them and their retro-plannings. A database error fails the whole feed
/// (an agenda keeps its last copy) rather than silently leaving a consultation out.
pub async fn agenda_feed(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    use crate::model::Role;
    let pool = state.db.pool();
    let user = match crate::server::db::accounts::user_by_calendar_feed(
        pool,
        &crate::server::auth::token::hash(&token),
        state.now(),
    )
    .await
    {
        Ok(Some(user)) => user,
        Ok(None) => return refusal(AppError::not_found("Ce lien d'agenda")),
        Err(e) => return internal("building a calendar feed", e),
    };
    let (user_id, role, organisation) = (user.id, user.role, user.organisation_id);
    let actor = match crate::server::auth::session::actor_for(&state, user, String::new()).await {
        Ok(actor) => actor,
        Err(e) => return refusal(e),
    };
    let reviewed = actor
        .signed_in()
        .map(|s| s.reviewed_organisations.clone())
        .unwrap_or_default();
    // One query: the consultations the person may see, with their calendars.
    let listed = match crate::api::consultations::visible_consultations(&state, &actor).await {
        Ok(list) => list,
        Err(e) => return refusal(e),
    };
    let now = state.now();
    let mut events = Vec::new();
    for consultation in listed {
        let followed = match role {
            Role::Buyer => organisation == Some(consultation.buyer_organisation_id),
            Role::Reviewer => reviewed.contains(&consultation.buyer_organisation_id),
            Role::Supplier => true,
            Role::Admin => false,
        };
        if followed && consultation.calendar_unreadable {
            return internal(
                "building a calendar feed",
                format!("the calendar of consultation {} is unreadable", consultation.summary.id),
            );
        }
        if let (true, Some(settings)) = (followed, consultation.calendar) {
            events.extend(settings.calendar().ics_events(
                &format!("consultation-{}@jesaisfaire.fr", consultation.summary.id),
                &consultation.summary.title,
                now,
            ));
        }
    }
    if role == Role::Supplier {
        let plans = match crate::server::db::consultations::retro_plans(pool, user_id).await {
            Ok(plans) => plans,
            Err(e) => return internal("building a calendar feed", e),
        };
        for plan in plans {
            let Ok(submission) = crate::domain::calendar::Date::parse_iso(&plan.submission_date) else {
                return internal("building a calendar feed", "unreadable submission date");
            };
            events.extend(crate::domain::calendar::retro_planning(submission).ics_events(
                &format!("retroplanning-{}@jesaisfaire.fr", plan.id),
                &plan.title,
                now,
            ));
        }
    }
    attachment(
        ICS,
        "jesaisfaire.ics",
        crate::domain::calendar::to_ics("JeSaisFaire", &events),
    )
}
