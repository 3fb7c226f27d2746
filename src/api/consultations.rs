//! Reading consultations (see `server::consultations`).

use crate::error::AppError;
use crate::model::{ConsultationDetail, ConsultationSummary, ToDo, VersionComparison, VersionHistory};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::support::{authorize, caller},
    crate::server::auth::Permission,
    crate::server::consultations,
};

/// The catalogue: the consultations the caller may see (open sourcing once announced; for a
/// signed-in person also what their role gives access to).
#[server(endpoint = "consultations/list")]
pub async fn list_consultations() -> Result<Vec<ConsultationSummary>, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::ReadCatalogue)?;
    let listed = consultations::visible_list(&state, &actor).await?;
    Ok(listed.into_iter().map(|c| c.summary).collect())
}

/// The consultations of the caller's own buyer organisation, drafts included (buyers), or of
/// the organisations a reviewer is attached to.
#[server(endpoint = "consultations/mine")]
pub async fn my_consultations() -> Result<Vec<ConsultationSummary>, AppError> {
    let (state, actor) = caller().await?;
    consultations::own_list(&state, &actor).await
}

/// What waits for the caller on their home page (answers to give or received, phases ending).
#[server(endpoint = "consultations/to-do")]
pub async fn my_to_do() -> Result<ToDo, AppError> {
    let (state, actor) = caller().await?;
    consultations::to_do(&state, &actor).await
}

/// One consultation with a version of its specification (the latest when `version` is absent),
/// rendered and sanitised on the server.
#[server(endpoint = "consultations/get")]
pub async fn get_consultation(id: i64, version: Option<i64>) -> Result<ConsultationDetail, AppError> {
    let (state, actor) = caller().await?;
    consultations::detail(&state, &actor, id, version).await
}

/// A consultation without its text (its facts, steps, calendar, and the outline and criteria of
/// its latest version; no clause text), for the pages around it (calendar, synthesis).
#[server(endpoint = "consultations/overview")]
pub async fn consultation_overview(id: i64) -> Result<ConsultationDetail, AppError> {
    let (state, actor) = caller().await?;
    consultations::overview(&state, &actor, id).await
}

/// The revision history: every published version, newest first.
#[server(endpoint = "consultations/versions")]
pub async fn list_versions(id: i64) -> Result<VersionHistory, AppError> {
    let (state, actor) = caller().await?;
    consultations::history(&state, &actor, id).await
}

/// Two versions compared clause by clause (defaults: the latest and the one before). Only the
/// changed clauses carry text: a page on two 1 MB versions receives what it shows.
#[server(endpoint = "consultations/compare")]
pub async fn compare_versions(id: i64, from: Option<i32>, to: Option<i32>) -> Result<VersionComparison, AppError> {
    let (state, actor) = caller().await?;
    consultations::compare(&state, &actor, id, from, to).await
}

pub use crate::model::MAX_UNFOLDED_CLAUSES;

/// The text of some clauses of a published version, rendered and sanitised, in the version's
/// order: the comparison page unfolds runs of unchanged clauses with it, on demand.
#[server(endpoint = "consultations/clauses", input = server_fn::codec::Json)]
pub async fn version_clauses(
    id: i64,
    version: i32,
    clause_ids: Vec<String>,
) -> Result<Vec<crate::domain::markdown::RenderedPart>, AppError> {
    let (state, actor) = caller().await?;
    consultations::clauses(&state, &actor, id, version, clause_ids).await
}
