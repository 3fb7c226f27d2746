//! Minutes of oral exchanges (see `server::minutes`): the participants read the published ones,
//! the buyer records, corrects and publishes.

use crate::domain::minutes::MinutesInput;
use crate::error::AppError;
use crate::model::MinutesBoard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::minutes};

/// The minutes of a consultation: published ones for the participants, drafts too for the
/// buyer's organisation and its reviewers.
#[server(endpoint = "record/minutes")]
pub async fn get_minutes(id: i64) -> Result<MinutesBoard, AppError> {
    let (state, actor) = caller().await?;
    minutes::board(&state, &actor, id).await
}

/// New minutes (`minutes` absent), a draft rewritten, or the correction of published minutes
/// (with its reason). Returns the minutes' id.
#[server(endpoint = "record/minutes/save", input = server_fn::codec::Json)]
pub async fn save_minutes(id: i64, minutes: Option<i64>, input: MinutesInput) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    minutes::save(&state, &actor, id, minutes, &input).await
}

/// Publishes the draft: every participant reads it from now on, and it is never changed.
#[server(endpoint = "record/minutes/publish")]
pub async fn publish_minutes(minutes: i64) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    minutes::publish(&state, &actor, minutes).await
}
