//! A person's private agenda link: every calendar they follow in one iCalendar feed, for an
//! agenda application (which cannot sign in). The link's token is shown once, stored hashed,
//! works for a year, and stops when its owner revokes it, makes a new one or changes password.

use super::auth::permissions::follows_in_agenda;
use super::auth::{authorize, token, Actor, Permission};
use super::failure::{internal, OrInternal};
use super::{consultations, db, planning, AppState};
use crate::error::AppError;
use crate::model::{CalendarFeedLink, CalendarFeedStatus, Role};

/// How long an agenda link works before its owner must create a new one.
const LINK_SECONDS: i64 = 365 * 24 * 3600;

/// Creates (or replaces) the caller's link and returns it.
pub async fn renew(state: &AppState, actor: &Actor) -> Result<CalendarFeedLink, AppError> {
    authorize(actor, Permission::ManageOwnAccount)?;
    let user = actor.user_id().ok_or(AppError::Internal)?;
    let secret = token::generate();
    let now = state.now();
    let expires_at = now + LINK_SECONDS;
    db::accounts::set_calendar_feed(state.db.pool(), user, &token::hash(&secret), now, expires_at)
        .await
        .or_internal("creating a calendar link")?;
    Ok(CalendarFeedLink {
        url: format!("{}/agenda/{secret}/calendrier.ics", state.public_url),
        expires_at,
    })
}

/// Stops the caller's link (lost, shared by mistake, no longer needed); whether there was one.
pub async fn revoke(state: &AppState, actor: &Actor) -> Result<bool, AppError> {
    authorize(actor, Permission::ManageOwnAccount)?;
    let user = actor.user_id().ok_or(AppError::Internal)?;
    db::accounts::delete_calendar_feed(state.db.pool(), user)
        .await
        .or_internal("revoking a calendar link")
}

/// Whether the caller has a working link, and until when.
pub async fn status(state: &AppState, actor: &Actor) -> Result<Option<CalendarFeedStatus>, AppError> {
    authorize(actor, Permission::ManageOwnAccount)?;
    let user = actor.user_id().ok_or(AppError::Internal)?;
    let dates = db::accounts::calendar_feed_dates(state.db.pool(), user)
        .await
        .or_internal("reading a calendar link")?;
    Ok(dates
        .filter(|(_, expires_at)| *expires_at > state.now())
        .map(|(created_at, expires_at)| CalendarFeedStatus { created_at, expires_at }))
}

/// The feed of the link with this token. Buyers and reviewers: their organisations'
/// consultations; companies: the consultations open to them and their retro-plannings. A
/// database error or an unreadable calendar fails the whole feed (an agenda keeps its last copy)
/// rather than silently leaving a consultation out.
pub async fn feed(state: &AppState, secret: &str) -> Result<String, AppError> {
    let user = db::accounts::user_by_calendar_feed(state.db.pool(), &token::hash(secret), state.now())
        .await
        .or_internal("building a calendar feed")?
        .ok_or_else(|| AppError::not_found("Ce lien d'agenda"))?;
    let (user_id, role) = (user.id, user.role);
    let actor = super::auth::session::actor_for(state, user, String::new()).await?;
    // One query: the consultations the person may see, with their calendars.
    let listed = consultations::visible_list(state, &actor).await?;
    let now = state.now();
    let mut events = Vec::new();
    for consultation in listed {
        if !follows_in_agenda(&actor, consultation.buyer_organisation_id) {
            continue;
        }
        if consultation.calendar_unreadable {
            return Err(internal(
                "building a calendar feed",
                format!("the calendar of consultation {} is unreadable", consultation.summary.id),
            ));
        }
        if let Some(settings) = consultation.calendar {
            events.extend(settings.calendar().ics_events(
                &format!("consultation-{}@jesaisfaire.fr", consultation.summary.id),
                &consultation.summary.title,
                now,
            ));
        }
    }
    if role == Role::Supplier {
        let plans = db::planning::plans(state.db.pool(), user_id)
            .await
            .or_internal("building a calendar feed")?;
        for plan in plans {
            events.extend(planning::plan_events(&plan, now)?);
        }
    }
    Ok(crate::domain::calendar::to_ics("JeSaisFaire", &events))
}
