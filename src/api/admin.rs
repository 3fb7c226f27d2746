//! Administration: organisations and invitations (see `server::administration`).

use crate::error::AppError;
pub use crate::model::InvitationSent;
use crate::model::{OrganisationKind, OrganisationView, Role};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::administration};

/// Every organisation, for the administrator.
#[server(endpoint = "admin/organisations")]
pub async fn list_organisations() -> Result<Vec<OrganisationView>, AppError> {
    let (state, actor) = caller().await?;
    administration::list_organisations(&state, &actor).await
}

/// Creates a buyer organisation or a company. `is_sme` is a checkbox: present means yes.
#[server(endpoint = "admin/create-organisation")]
pub async fn create_organisation(
    kind: OrganisationKind,
    name: String,
    siret: String,
    departement: String,
    cpv_codes: String,
    departements_served: String,
    is_sme: Option<String>,
) -> Result<OrganisationView, AppError> {
    let (state, actor) = caller().await?;
    let form = administration::OrganisationForm {
        kind,
        name,
        siret,
        departement,
        cpv_codes,
        departements_served,
        is_sme: is_sme.is_some(),
    };
    administration::create_organisation(&state, &actor, form).await
}

/// Invites a person: a single-use link valid 7 days, sent by mail through the outbox.
#[server(endpoint = "admin/invite")]
pub async fn invite_user(email: String, role: Role, organisation_id: Option<i64>) -> Result<InvitationSent, AppError> {
    let (state, actor) = caller().await?;
    administration::invite_user(&state, &actor, email, role, organisation_id).await
}
