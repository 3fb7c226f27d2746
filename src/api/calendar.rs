//! Sourcing calendars (the buyer plans, everyone reads) and supplier retro-plannings.

use crate::domain::calendar::{Phase, SourcingSettings};
use crate::error::AppError;
use crate::model::{CalendarFeedLink, CalendarFeedStatus, RetroPlans};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::consultations::visible_consultation,
    super::support::{authorize, caller, internal, with_status},
    crate::domain::calendar::{retro_planning, Date},
    crate::model::{RetroPlanView, RetroTaskState},
    crate::server::auth::{Actor, Permission},
    crate::server::db,
};

/// What the engine says of a calendar: the problems (French) and the dated phases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarPreview {
    pub violations: Vec<String>,
    pub phases: Vec<Phase>,
}

/// The server's computation of a calendar, for anyone: the browser computes the same with the
/// same code, and the end-to-end tests compare both.
#[server(endpoint = "calendar/preview", input = Json)]
pub async fn preview_calendar(settings: SourcingSettings) -> Result<CalendarPreview, AppError> {
    let (_, actor) = caller().await?;
    authorize(&actor, Permission::ReadCatalogue)?;
    Ok(CalendarPreview {
        violations: settings.validate().into_iter().map(|v| v.message).collect(),
        phases: settings.calendar().phases,
    })
}

/// The buyer saves the consultation's calendar; the phases then open and close by date.
#[server(endpoint = "consultations/calendar", input = Json)]
pub async fn save_calendar(id: i64, settings: SourcingSettings) -> Result<Vec<Phase>, AppError> {
    let (state, actor) = caller().await?;
    let record = visible_consultation(&state, &actor, id).await?;
    authorize(&actor, Permission::EditConsultation(&record.access()))?;
    if settings.mode != record.summary.mode {
        return Err(with_status(AppError::Invalid(format!(
            "Cette consultation est en {} : le calendrier doit suivre ce mode.",
            record.summary.mode.label_fr().to_lowercase()
        ))));
    }
    // What the buyer plans; the extension recorded by late versions stays as it is.
    let settings = match &record.calendar {
        Some(stored) => settings.with_extension_of(stored),
        None => SourcingSettings {
            extension_days: 0,
            ..settings
        },
    };
    let problems: Vec<String> = settings.validate().into_iter().map(|v| v.message).collect();
    if !problems.is_empty() {
        return Err(with_status(AppError::Invalid(problems.join(" "))));
    }
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(|e| internal("saving a calendar", e))?;
    db::consultations::save_calendar(&mut *tx, id, &settings, state.now())
        .await
        .map_err(|e| internal("saving a calendar", e))?;
    tx.commit().await.map_err(|e| internal("saving a calendar", e))?;
    tracing::info!(consultation = id, "calendar saved");
    Ok(settings.calendar().phases)
}

/// The caller's retro-plannings, with their ticked tasks and notes.
#[server(endpoint = "planning/mine")]
pub async fn my_retro_plans() -> Result<RetroPlans, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::PlanTenders)?;
    let user = user_id(&actor)?;
    let pool = state.db.pool();
    let plans = db::consultations::retro_plans(pool, user)
        .await
        .map_err(|e| internal("reading retro-plannings", e))?;
    let tasks = db::consultations::retro_tasks(pool, user)
        .await
        .map_err(|e| internal("reading retro-plannings", e))?;
    let plans = plans
        .into_iter()
        .filter_map(|p| {
            let submission = Date::parse_iso(&p.submission_date).ok()?;
            Some(RetroPlanView {
                id: p.id,
                title: p.title,
                submission,
                tasks: tasks
                    .iter()
                    .filter(|t| t.plan_id == p.id)
                    .map(|t| RetroTaskState {
                        key: t.task_key.clone(),
                        done: t.done != 0,
                        note: t.note.clone(),
                    })
                    .collect(),
            })
        })
        .collect();
    Ok(RetroPlans {
        today: state.clock.today(),
        plans,
    })
}

/// Creates (no `id`) or changes a retro-planning: a tender's name and its submission date (J).
#[server(endpoint = "planning/save")]
pub async fn save_retro_plan(id: Option<i64>, title: String, submission: String) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::PlanTenders)?;
    let user = user_id(&actor)?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() || title.chars().count() > 200 {
        return Err(with_status(AppError::Invalid(
            "Nommez l'appel d'offres visé (200 caractères au plus).".into(),
        )));
    }
    let date = Date::parse_iso(&submission).map_err(|e| with_status(AppError::Invalid(e.to_string())))?;
    if !(2000..=2100).contains(&date.year()) {
        return Err(with_status(AppError::Invalid(
            "La date de remise des offres doit être comprise entre 2000 et 2100.".into(),
        )));
    }
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(|e| internal("saving a retro-planning", e))?;
    let id = match id {
        Some(id) => {
            owned_plan(&mut tx, id, user).await?;
            db::consultations::update_retro_plan(&mut *tx, id, &title, &date.to_string(), state.now())
                .await
                .map_err(|e| internal("saving a retro-planning", e))?;
            id
        }
        None => db::consultations::insert_retro_plan(&mut *tx, user, &title, &date.to_string(), state.now())
            .await
            .map_err(|e| internal("saving a retro-planning", e))?,
    };
    tx.commit().await.map_err(|e| internal("saving a retro-planning", e))?;
    Ok(id)
}

/// Ticks (or unticks) a task of a retro-planning and keeps a note on it.
#[server(endpoint = "planning/task")]
pub async fn set_retro_task(plan: i64, key: String, done: bool, note: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::PlanTenders)?;
    let user = user_id(&actor)?;
    let known = retro_planning(Date::new(2030, 1, 1).expect("a valid date"))
        .phases
        .iter()
        .any(|p| p.tasks.iter().any(|t| t.key == key));
    if !known {
        return Err(with_status(AppError::Invalid("Cette tâche n'existe pas.".into())));
    }
    if note.chars().count() > 4_000 {
        return Err(with_status(AppError::Invalid(
            "La note dépasse 4 000 caractères : résumez-la.".into(),
        )));
    }
    let mut tx = state.db.begin_write().await.map_err(|e| internal("saving a task", e))?;
    owned_plan(&mut tx, plan, user).await?;
    db::consultations::set_retro_task(&mut *tx, plan, &key, done, note.trim())
        .await
        .map_err(|e| internal("saving a task", e))?;
    tx.commit().await.map_err(|e| internal("saving a task", e))?;
    Ok(())
}

#[cfg(feature = "ssr")]
fn user_id(actor: &Actor) -> Result<i64, AppError> {
    actor
        .signed_in()
        .map(|s| s.user.id)
        .ok_or_else(|| with_status(AppError::Internal))
}

/// A plan of the caller; someone else's is "not found", like one that does not exist.
#[cfg(feature = "ssr")]
async fn owned_plan(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    user: i64,
) -> Result<db::consultations::RetroPlanRow, AppError> {
    db::consultations::retro_plan(&mut **tx, id)
        .await
        .map_err(|e| internal("reading a retro-planning", e))?
        .filter(|p| p.user_id == user)
        .ok_or_else(|| with_status(AppError::not_found("Ce rétroplanning")))
}

/// How long an agenda link works before its owner must create a new one.
#[cfg(feature = "ssr")]
const CALENDAR_FEED_SECONDS: i64 = 365 * 24 * 3600;

/// Creates (or replaces) the caller's private calendar subscription link and returns it: every
/// calendar they follow in one feed for their agenda application. Shown once; a new link stops
/// the old one; it works for a year, until the owner revokes it or changes their password.
#[server(endpoint = "account/calendar-feed")]
pub async fn renew_calendar_feed() -> Result<CalendarFeedLink, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::ManageOwnAccount)?;
    let user = user_id(&actor)?;
    let token = crate::server::auth::token::generate();
    let now = state.now();
    let expires_at = now + CALENDAR_FEED_SECONDS;
    db::accounts::set_calendar_feed(
        state.db.pool(),
        user,
        &crate::server::auth::token::hash(&token),
        now,
        expires_at,
    )
    .await
    .map_err(|e| internal("creating a calendar link", e))?;
    Ok(CalendarFeedLink {
        url: format!("{}/agenda/{token}/calendrier.ics", state.public_url),
        expires_at,
    })
}

/// Stops the caller's agenda link (lost, shared by mistake, no longer needed).
#[server(endpoint = "account/calendar-feed/revoke")]
pub async fn revoke_calendar_feed() -> Result<bool, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::ManageOwnAccount)?;
    let user = user_id(&actor)?;
    db::accounts::delete_calendar_feed(state.db.pool(), user)
        .await
        .map_err(|e| internal("revoking a calendar link", e))
}

/// Whether the caller has a working agenda link, and until when.
#[server(endpoint = "account/calendar-feed/status")]
pub async fn current_calendar_feed() -> Result<Option<CalendarFeedStatus>, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::ManageOwnAccount)?;
    let user = user_id(&actor)?;
    let dates = db::accounts::calendar_feed_dates(state.db.pool(), user)
        .await
        .map_err(|e| internal("reading a calendar link", e))?;
    Ok(dates
        .filter(|(_, expires_at)| *expires_at > state.now())
        .map(|(created_at, expires_at)| CalendarFeedStatus { created_at, expires_at }))
}
