//! The notification centre, its preferences and the alerts (see `server::notifications`).

use crate::error::AppError;
use crate::model::NotificationCentre;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::notifications};

/// The caller's notifications, preferences and alert.
#[server(endpoint = "notifications/centre")]
pub async fn get_notification_centre() -> Result<NotificationCentre, AppError> {
    let (state, actor) = caller().await?;
    notifications::centre(&state, &actor).await
}

/// Marks a notification read (`id`), or all of them (no `id`).
#[server(endpoint = "notifications/read")]
pub async fn mark_notifications_read(id: Option<i64>) -> Result<NotificationCentre, AppError> {
    let (state, actor) = caller().await?;
    let centre = notifications::mark_read(&state, &actor, id).await?;
    leptos_axum::redirect("/notifications");
    Ok(centre)
}

/// Saves how each kind of notification reaches the caller (`channels[kind]=mail|app|none`).
#[server(endpoint = "notifications/preferences")]
pub async fn save_notification_preferences(channels: BTreeMap<String, String>) -> Result<NotificationCentre, AppError> {
    let (state, actor) = caller().await?;
    let centre = notifications::save_preferences(&state, &actor, channels.into_iter().collect()).await?;
    leptos_axum::redirect("/notifications");
    Ok(centre)
}

/// Sets the caller's alert (CPV prefixes × départements, immediate or daily), or removes it.
#[server(endpoint = "notifications/alert")]
pub async fn save_alert(
    cpv_prefixes: String,
    departements: String,
    frequency: String,
    remove: Option<String>,
) -> Result<NotificationCentre, AppError> {
    let (state, actor) = caller().await?;
    let centre = notifications::save_alert(
        &state,
        &actor,
        &cpv_prefixes,
        &departements,
        &frequency,
        remove.is_some(),
    )
    .await?;
    leptos_axum::redirect("/notifications");
    Ok(centre)
}
