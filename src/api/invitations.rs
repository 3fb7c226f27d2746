//! The companies' directory, the invitations of companies to a consultation and their answers
//! (see `server::invitations`).

use crate::error::AppError;
use crate::model::{CompanyInvitation, DirectoryPage, EmailInvitationState, InvitationLinkView, InvitationState};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::invitations};

/// Searches the companies: words of the name or presentation, CPV prefix, département, SMEs.
#[server(endpoint = "directory/search")]
pub async fn search_directory(
    words: String,
    cpv: String,
    departement: String,
    sme_only: Option<String>,
    page: Option<usize>,
) -> Result<DirectoryPage, AppError> {
    let (state, actor) = caller().await?;
    let query = invitations::DirectoryQuery {
        words,
        cpv,
        departement,
        sme_only: sme_only.is_some(),
        page: page.unwrap_or(1),
    };
    invitations::search_directory(&state, &actor, query).await
}

/// The companies invited to a consultation and their answers.
#[server(endpoint = "invitations/list")]
pub async fn consultation_invitations(id: i64) -> Result<Vec<InvitationState>, AppError> {
    let (state, actor) = caller().await?;
    invitations::of_consultation(&state, &actor, id).await
}

/// The buyer invites a company to a consultation (in the app and by mail).
#[server(endpoint = "invitations/send")]
pub async fn invite_company(id: i64, company: i64) -> Result<Vec<InvitationState>, AppError> {
    let (state, actor) = caller().await?;
    invitations::invite(&state, &actor, id, vec![company]).await
}

/// The invitations waiting for the answer of one's company.
#[server(endpoint = "invitations/mine")]
pub async fn my_invitations() -> Result<Vec<CompanyInvitation>, AppError> {
    let (state, actor) = caller().await?;
    invitations::pending_for_company(&state, &actor).await
}

/// Accepts (`decision=accept`) or declines (`decision=decline`) an invitation of one's company.
#[server(endpoint = "invitations/answer")]
pub async fn answer_invitation(consultation_id: i64, decision: String) -> Result<Vec<CompanyInvitation>, AppError> {
    let (state, actor) = caller().await?;
    invitations::answer(&state, &actor, consultation_id, &decision).await
}

/// The buyer invites by e-mail a company not registered yet (the link leads to registration).
#[server(endpoint = "invitations/send-by-email")]
pub async fn invite_by_email(id: i64, email: String) -> Result<Vec<EmailInvitationState>, AppError> {
    let (state, actor) = caller().await?;
    invitations::invite_by_email(&state, &actor, id, email).await
}

/// The invitations by e-mail of a consultation and the companies they led to.
#[server(endpoint = "invitations/by-email")]
pub async fn email_invitations(id: i64) -> Result<Vec<EmailInvitationState>, AppError> {
    let (state, actor) = caller().await?;
    invitations::by_email_of_consultation(&state, &actor, id).await
}

/// What an invitation link leads to, for the registration page.
#[server(endpoint = "invitations/link")]
pub async fn invitation_link(token: String) -> Result<InvitationLinkView, AppError> {
    let (state, _) = caller().await?;
    invitations::link_details(&state, token).await
}
