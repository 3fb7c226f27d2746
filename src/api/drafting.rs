//! The buyer's side: creating a consultation, writing the draft of the next version,
//! publishing it, moving the consultation through its steps.

use crate::error::AppError;
use crate::model::{ConsultationStatus, DraftInput, DraftSaved, DraftView, SourcingMode, VersionPublished};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::support::caller,
    crate::domain::consultation::ConsultationInput,
    crate::server::{consultations, publishing},
};

/// Creates a consultation (a draft, visible to the buyer's organisation and its reviewers only)
/// and opens its editor. A form post: works without JavaScript.
#[server(endpoint = "consultations/create")]
pub async fn create_consultation(
    title: String,
    object: String,
    cpv_codes: String,
    departements: String,
    mode: Option<SourcingMode>,
    expected_tender: String,
) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    let input = ConsultationInput {
        title: &title,
        object: &object,
        cpv_codes: &cpv_codes,
        departements: &departements,
        mode,
        expected_tender: &expected_tender,
    };
    let id = consultations::create(&state, &actor, &input).await?;
    leptos_axum::redirect(&format!("/consultations/{id}/rediger"));
    Ok(id)
}

/// The editor's starting point: the saved draft, or else the latest version, or else a template.
#[server(endpoint = "consultations/draft")]
pub async fn get_draft(id: i64) -> Result<DraftView, AppError> {
    let (state, actor) = caller().await?;
    publishing::editor_start(&state, &actor, id).await
}

/// Autosave of the draft. `revision` is the revision the editor last loaded or saved; a draft
/// saved since by someone else is not overwritten (409 with who and when).
#[server(endpoint = "consultations/draft/save", input = Json)]
pub async fn save_draft(id: i64, revision: i64, draft: DraftInput) -> Result<DraftSaved, AppError> {
    let (state, actor) = caller().await?;
    publishing::save_for(&state, &actor, id, revision, &draft).await
}

/// Publishes the draft as the version after `base_version` (absent for the first version).
#[server(endpoint = "consultations/publish", input = Json)]
pub async fn publish_version(
    id: i64,
    base_version: Option<i32>,
    draft: DraftInput,
) -> Result<VersionPublished, AppError> {
    let (state, actor) = caller().await?;
    publishing::publish_for(&state, &actor, id, base_version, &draft).await
}

/// Moves the consultation to its next step (`to` must be the step after the current one, so that
/// a double click or a stale page does nothing twice). A form post: works without JavaScript.
#[server(endpoint = "consultations/status")]
pub async fn advance_status(id: i64, to: ConsultationStatus) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    consultations::advance(&state, &actor, id, to).await?;
    leptos_axum::redirect(&format!("/consultations/{id}"));
    Ok(())
}
