//! Contributions of companies on clauses and criteria, and the buyer's answers (seed 001; see
//! `server::contributions`).
//!
//! The buyer's organisation, its reviewers and the participating companies read every
//! contribution and answer (equal treatment), under pseudonyms only: no response here names a
//! company or a person, not even to the buyer. Others get the consultation without them.

use crate::domain::contribution::{ContributionInput, ContributionStatus, NewContribution};
use crate::error::AppError;
use crate::model::ContributionBoard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::contributions};

/// The contributions made up to a version (the latest when `version` is absent), re-anchored on
/// it, with what the caller may do.
#[server(endpoint = "contributions/list")]
pub async fn list_contributions(id: i64, version: Option<i32>) -> Result<ContributionBoard, AppError> {
    let (state, actor) = caller().await?;
    contributions::board(&state, &actor, id, version).await
}

/// Registers the caller's company as a participant; returns its pseudonym ("Entreprise C").
#[server(endpoint = "contributions/participate")]
pub async fn participate(id: i64) -> Result<String, AppError> {
    let (state, actor) = caller().await?;
    contributions::participate(&state, &actor, id).await
}

/// A new contribution on a clause (or words of it) or a criterion of the latest version.
#[server(endpoint = "contributions/create", input = server_fn::codec::Json)]
pub async fn create_contribution(contribution: NewContribution) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    contributions::create(&state, &actor, contribution).await
}

/// The contributing company rewrites its contribution while exchanges are open; what it said
/// before is kept and shown as the history.
#[server(endpoint = "contributions/edit", input = server_fn::codec::Json)]
pub async fn edit_contribution(id: i64, input: ContributionInput) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    contributions::edit(&state, &actor, id, input).await
}

/// The contributing company withdraws its contribution while exchanges are open. It stays in the
/// record, marked as withdrawn.
#[server(endpoint = "contributions/withdraw")]
pub async fn withdraw_contribution(id: i64) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    contributions::withdraw(&state, &actor, id).await
}

/// A reply in a contribution's thread: from the buyer (at any time; the first answer marks an
/// open contribution as answered) or from the contributing company (during exchanges).
#[server(endpoint = "contributions/reply")]
pub async fn reply_to_contribution(id: i64, body: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    contributions::reply(&state, &actor, id, body).await
}

/// The buyer's decision on a contribution; "integrated" names the version that took it in.
#[server(endpoint = "contributions/status")]
pub async fn set_contribution_status(
    id: i64,
    status: ContributionStatus,
    version: Option<i32>,
) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    contributions::decide(&state, &actor, id, status, version).await
}
