//! Administration: organisations and invitations.

use crate::error::AppError;
use crate::model::OrganisationView;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::support::{authorize, caller, internal, with_status},
    crate::domain::identity,
    crate::model::{OrganisationKind, Role},
    crate::server::auth::{token, Permission},
    crate::server::db::{self, now_unix},
};

/// An invitation link is valid for 7 days.
#[cfg(feature = "ssr")]
const INVITATION_SECONDS: i64 = 7 * 24 * 3600;

#[server(endpoint = "admin/organisations")]
pub async fn list_organisations() -> Result<Vec<OrganisationView>, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::Administer)?;
    db::organisations::list(state.db.pool())
        .await
        .map_err(|e| internal("listing organisations", e))
}

/// Creates a buyer organisation or a company. `is_sme` is a checkbox: present means yes.
#[server(endpoint = "admin/create-organisation")]
pub async fn create_organisation(
    kind: String,
    name: String,
    siret: String,
    departement: String,
    cpv_codes: String,
    departements_served: String,
    is_sme: Option<String>,
) -> Result<OrganisationView, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::Administer)?;
    let invalid = |m: String| with_status(AppError::Invalid(m));
    let kind = OrganisationKind::parse(&kind)
        .ok_or_else(|| invalid("Choisissez le type d'organisation : acheteur public ou entreprise.".into()))?;
    let name = name.trim();
    if name.chars().count() < 2 || name.chars().count() > 200 {
        return Err(invalid(
            "Indiquez le nom de l'organisation (2 à 200 caractères).".into(),
        ));
    }
    let siret = identity::validate_siren_or_siret(&siret).map_err(invalid)?;
    let departement = departement.trim().to_uppercase();
    if !is_departement(&departement) {
        return Err(invalid(format!(
            "« {departement} » n'est pas un numéro de département (exemples : 77, 2A, 974)."
        )));
    }
    let cpv_codes: Vec<String> = cpv_codes
        .split([',', ' ', ';'])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(bad) = cpv_codes.iter().find(|c| !is_cpv(c)) {
        return Err(invalid(format!(
            "« {bad} » n'est pas un code CPV (8 chiffres, un tiret et un chiffre : 72250000-2)."
        )));
    }
    let served: Vec<String> = departements_served
        .split([',', ' ', ';'])
        .filter(|s| !s.is_empty())
        .map(|s| s.to_uppercase())
        .collect();
    if let Some(bad) = served.iter().find(|d| !is_departement(d)) {
        return Err(invalid(format!(
            "« {bad} » n'est pas un numéro de département (exemples : 77, 2A, 974)."
        )));
    }
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(|e| internal("creating an organisation", e))?;
    if db::organisations::siret_taken(&mut *tx, &siret)
        .await
        .map_err(|e| internal("checking a SIRET", e))?
    {
        return Err(with_status(AppError::Conflict(format!(
            "Une organisation avec le numéro {siret} existe déjà."
        ))));
    }
    let new = db::organisations::NewOrganisation {
        kind: Some(kind),
        name,
        siret: Some(&siret),
        departement: Some(&departement),
        cpv_codes: &cpv_codes,
        departements_served: &served,
        is_sme: is_sme.is_some(),
    };
    let id = db::organisations::insert(&mut *tx, &new)
        .await
        .map_err(|e| internal("creating an organisation", e))?;
    tx.commit().await.map_err(|e| internal("creating an organisation", e))?;
    db::organisations::find(state.db.pool(), id)
        .await
        .map_err(|e| internal("reading an organisation", e))?
        .ok_or_else(|| internal("reading an organisation", "just created, now missing"))
}

#[cfg(feature = "ssr")]
fn is_departement(d: &str) -> bool {
    matches!(d, "2A" | "2B")
        || (d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) && d != "00" && d != "20" && d <= "95")
        || (d.len() == 3 && d.starts_with("97") && d.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(feature = "ssr")]
fn is_cpv(c: &str) -> bool {
    let b = c.as_bytes();
    b.len() == 10 && b[8] == b'-' && b[..8].iter().chain(&b[9..]).all(u8::is_ascii_digit)
}

/// What the admin sees after inviting: never the link itself, which goes to the invitee only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSent {
    pub email: String,
    pub expires_at: i64,
}

/// Invites a person: a single-use link valid 7 days, sent by mail through the outbox.
#[server(endpoint = "admin/invite")]
pub async fn invite_user(
    email: String,
    role: String,
    organisation_id: Option<i64>,
) -> Result<InvitationSent, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::Administer)?;
    let invalid = |m: String| with_status(AppError::Invalid(m));
    let email = identity::normalise_email(&email).map_err(invalid)?;
    let role = Role::parse(&role).ok_or_else(|| invalid("Choisissez le rôle de la personne invitée.".into()))?;
    let pool = state.db.pool();
    let organisation = match organisation_id {
        Some(id) => db::organisations::find(pool, id)
            .await
            .map_err(|e| internal("reading an organisation", e))?,
        None => None,
    };
    match (role, &organisation) {
        (Role::Buyer | Role::Supplier, None) => {
            return Err(invalid("Choisissez l'organisation de la personne invitée.".into()));
        }
        (Role::Buyer | Role::Supplier, Some(org)) if Some(org.kind) != role.organisation_kind() => {
            return Err(invalid(format!(
                "« {} » est de type « {} » : un compte {} ne peut pas y être rattaché.",
                org.name,
                org.kind.label_fr(),
                role.label_fr().to_lowercase()
            )));
        }
        (Role::Reviewer, Some(org)) if org.kind != OrganisationKind::Buyer => {
            return Err(invalid(
                "Un relecteur est rattaché à un acheteur public, pas à une entreprise.".into(),
            ));
        }
        _ => {}
    }
    if db::accounts::user_by_email(pool, &email)
        .await
        .map_err(|e| internal("reading a user", e))?
        .is_some()
    {
        return Err(with_status(AppError::Conflict(format!(
            "Un compte existe déjà pour {email}."
        ))));
    }
    let secret = token::generate();
    let expires_at = now_unix() + INVITATION_SECONDS;
    let link = format!("{}/invitation/{secret}", state.public_url);
    let body = format!(
        "Bonjour,\n\nVous êtes invité(e) à rejoindre JeSaisFaire{org} en tant que {role}.\n\n\
         Choisissez votre mot de passe en ouvrant ce lien, valable 7 jours et une seule fois :\n{link}\n\n\
         Si vous n'attendiez pas cette invitation, ignorez ce message.\n",
        org = organisation
            .as_ref()
            .map(|o| format!(" pour {}", o.name))
            .unwrap_or_default(),
        role = role.label_fr().to_lowercase(),
    );
    let mut tx = state.db.begin_write().await.map_err(|e| internal("inviting", e))?;
    let invitation = db::accounts::NewInvitation {
        token_hash: &token::hash(&secret),
        email: &email,
        role,
        organisation_id: organisation.as_ref().map(|o| o.id),
        invited_by: actor.signed_in().map(|s| s.user.id),
        expires_at,
    };
    db::accounts::insert_invitation(&mut *tx, &invitation)
        .await
        .map_err(|e| internal("inviting", e))?;
    let mail = db::accounts::queue_mail(&mut *tx, &email, "Votre invitation à JeSaisFaire", &body)
        .await
        .map_err(|e| internal("queueing a mail", e))?;
    tx.commit().await.map_err(|e| internal("inviting", e))?;
    // The link is a secret: the log says where to find it, never what it is.
    tracing::info!(
        mail,
        "invitation queued in the outbox (development: `jesaisfaire outbox` prints it)"
    );
    Ok(InvitationSent { email, expires_at })
}
