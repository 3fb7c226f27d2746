//! Companies registering themselves, confirming their address, their profile and the requests
//! to join them (see `server::registration`, `server::companies`).

use crate::error::AppError;
use crate::model::{CompanyProfile, JoinRequestView, RegistrationConfirmed, RegistrationSent, RegistrationView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::support::caller,
    crate::server::{companies, registration},
};

/// Asks for a company's registration: a confirmation link is mailed. The answer is the same
/// whether the e-mail or the SIRET is already known.
#[server(endpoint = "account/register")]
pub async fn register(
    siret: String,
    company_name: String,
    display_name: String,
    email: String,
    password: String,
    confirm: String,
    invitation: Option<String>,
) -> Result<RegistrationSent, AppError> {
    let (state, _) = caller().await?;
    let form = registration::RegistrationForm {
        siret,
        company_name,
        display_name,
        email,
        password,
        confirm,
        invitation: invitation.unwrap_or_default(),
    };
    let sent = registration::register(&state, form).await?;
    leptos_axum::redirect("/inscription/envoyee");
    Ok(sent)
}

/// What a confirmation link is for, shown before the person confirms it.
#[server(endpoint = "account/registration")]
pub async fn registration_details(token: String) -> Result<RegistrationView, AppError> {
    let (state, _) = caller().await?;
    registration::registration_details(&state, token).await
}

/// Confirms the address (single use): creates the account, and the company or the request to
/// join it; signs the person in and goes on (see below).
#[server(endpoint = "account/confirm-registration")]
pub async fn confirm_registration(token: String) -> Result<RegistrationConfirmed, AppError> {
    let (state, _) = caller().await?;
    let done = registration::confirm_registration(&state, token).await?;
    // Invited by a link: straight to the sourcing; waiting for the company's members: its space;
    // a new company: its profile, the first thing buyers look at.
    let next = match (done.invited_to, &done.waiting_for) {
        (Some(consultation), _) => format!("/consultations/{consultation}"),
        (None, Some(_)) => "/entreprise".to_string(),
        (None, None) => "/compte#entreprise".to_string(),
    };
    leptos_axum::redirect(&next);
    Ok(done)
}

/// One's company as buyers see it.
#[server(endpoint = "company/profile")]
pub async fn own_company_profile() -> Result<CompanyProfile, AppError> {
    let (state, actor) = caller().await?;
    companies::company_profile(&state, &actor).await
}

/// Saves one's company's profile. `is_sme` is a checkbox: present means yes.
#[server(endpoint = "company/profile/save")]
pub async fn save_company_profile(
    departement: String,
    cpv_codes: String,
    departements_served: String,
    is_sme: Option<String>,
    presentation: String,
    website: String,
) -> Result<CompanyProfile, AppError> {
    let (state, actor) = caller().await?;
    let form = companies::ProfileForm {
        departement,
        cpv_codes,
        departements_served,
        is_sme: is_sme.is_some(),
        presentation,
        website,
    };
    companies::save_company_profile(&state, &actor, form).await
}

/// The requests to join one's company waiting for a decision.
#[server(endpoint = "company/join-requests")]
pub async fn join_requests() -> Result<Vec<JoinRequestView>, AppError> {
    let (state, actor) = caller().await?;
    companies::join_requests(&state, &actor).await
}

/// Accepts (`decision=accept`) or refuses (`decision=refuse`) a request to join one's company.
#[server(endpoint = "company/join-requests/decide")]
pub async fn decide_join_request(request_id: i64, decision: String) -> Result<Vec<JoinRequestView>, AppError> {
    let (state, actor) = caller().await?;
    companies::decide_join_request(&state, &actor, request_id, &decision).await
}
