//! The equal-treatment dossier (see `server::dossier`): the page's content, its publication by
//! the buyer, and the redaction of business secrets out of the public edition.

use crate::domain::dossier::DossierEdition;
use crate::error::AppError;
use crate::model::Dossier;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::support::caller,
    crate::server::{contributions, dossier},
};

/// The dossier in one edition: the public one for anyone once published (the buyer's
/// organisation previews it before), the internal one for the buyer's organisation and its
/// reviewers.
#[server(endpoint = "record/dossier")]
pub async fn get_dossier(id: i64, edition: DossierEdition) -> Result<Dossier, AppError> {
    let (state, actor) = caller().await?;
    dossier::assemble(&state, &actor, id, edition).await
}

/// The buyer publishes the public edition, after the exchanges.
#[server(endpoint = "record/dossier/publish")]
pub async fn publish_dossier(id: i64) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    dossier::publish(&state, &actor, id).await
}

/// A passage of a contribution kept out of the public edition: by the buyer, or asked by the
/// company that wrote it.
#[server(endpoint = "record/dossier/redact")]
pub async fn redact_passage(contribution: i64, passage: String, reason: String) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    contributions::redact(&state, &actor, contribution, &passage, &reason).await
}
