//! The sourcing record: requests for validation, review notes and decisions, the registers (see
//! `server::record`). Form posts work without JavaScript (the page is sent back).

use crate::domain::record::ReviewDecision;
use crate::error::AppError;
use crate::model::{PendingReview, Registers, ReviewBoard};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::record};

/// The requests for validation of a consultation with their notes and decisions (the buyer's
/// organisation and its reviewers).
#[server(endpoint = "record/reviews")]
pub async fn get_review_board(id: i64) -> Result<ReviewBoard, AppError> {
    let (state, actor) = caller().await?;
    record::board(&state, &actor, id).await
}

/// The buyer asks for the validation of the latest published version.
#[server(endpoint = "record/reviews/request")]
pub async fn request_review(id: i64, version: i32, message: String) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    record::request_review(&state, &actor, id, version, &message).await
}

/// A reviewer attached to the buyer's organisation notes something on a clause.
#[server(endpoint = "record/reviews/note")]
pub async fn add_review_note(request: i64, clause_id: String, body: String) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    record::add_note(&state, &actor, request, &clause_id, &body).await
}

/// A reviewer attached to the buyer's organisation decides: validated (signed off) or changes
/// requested.
#[server(endpoint = "record/reviews/decide")]
pub async fn decide_review(request: i64, decision: ReviewDecision, message: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    record::decide(&state, &actor, request, decision, &message).await
}

/// The requests waiting for the caller, a reviewer.
#[server(endpoint = "record/reviews/pending")]
pub async fn get_pending_reviews() -> Result<Vec<PendingReview>, AppError> {
    let (state, actor) = caller().await?;
    record::pending(&state, &actor).await
}

/// The registers of participants and of accesses.
#[server(endpoint = "record/registers")]
pub async fn get_registers(id: i64) -> Result<Registers, AppError> {
    let (state, actor) = caller().await?;
    record::registers(&state, &actor, id).await
}
