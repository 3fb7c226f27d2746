//! Sourcing calendars (the buyer plans, everyone reads), supplier retro-plannings and agenda
//! links (see `server::consultations`, `server::planning`, `server::agenda`).

use crate::domain::calendar::{Phase, SourcingSettings};
use crate::error::AppError;
use crate::model::{CalendarFeedLink, CalendarFeedStatus, RetroPlans};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::support::{authorize, caller},
    crate::server::auth::Permission,
    crate::server::{agenda, consultations, planning},
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
    consultations::save_calendar(&state, &actor, id, settings).await
}

/// The caller's retro-plannings, with their ticked tasks and notes.
#[server(endpoint = "planning/mine")]
pub async fn my_retro_plans() -> Result<RetroPlans, AppError> {
    let (state, actor) = caller().await?;
    planning::mine(&state, &actor).await
}

/// Creates (no `id`) or changes a retro-planning: a tender's name and its submission date (J).
#[server(endpoint = "planning/save")]
pub async fn save_retro_plan(id: Option<i64>, title: String, submission: String) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    planning::save(&state, &actor, id, &title, &submission).await
}

/// Ticks (or unticks) a task of a retro-planning and keeps a note on it.
#[server(endpoint = "planning/task")]
pub async fn set_retro_task(plan: i64, key: String, done: bool, note: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    planning::set_task(&state, &actor, plan, &key, done, &note).await
}

/// Creates (or replaces) the caller's private calendar subscription link and returns it: every
/// calendar they follow in one feed for their agenda application. Shown once; a new link stops
/// the old one; it works for a year, until the owner revokes it or changes their password.
#[server(endpoint = "account/calendar-feed")]
pub async fn renew_calendar_feed() -> Result<CalendarFeedLink, AppError> {
    let (state, actor) = caller().await?;
    agenda::renew(&state, &actor).await
}

/// Stops the caller's agenda link (lost, shared by mistake, no longer needed).
#[server(endpoint = "account/calendar-feed/revoke")]
pub async fn revoke_calendar_feed() -> Result<bool, AppError> {
    let (state, actor) = caller().await?;
    agenda::revoke(&state, &actor).await
}

/// Whether the caller has a working agenda link, and until when.
#[server(endpoint = "account/calendar-feed/status")]
pub async fn current_calendar_feed() -> Result<Option<CalendarFeedStatus>, AppError> {
    let (state, actor) = caller().await?;
    agenda::status(&state, &actor).await
}
