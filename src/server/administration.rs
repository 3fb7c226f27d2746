//! Administration: organisations (buyers and companies) and invitations of people.

use super::auth::{authorize, token, Actor, Permission};
use super::db;
use super::failure::OrInternal;
use super::AppState;
use crate::domain::identity;
use crate::error::{AppError, FieldProblem};
use crate::model::{InvitationSent, OrganisationKind, OrganisationView, Role};

/// An invitation link is valid for 7 days.
const INVITATION_SECONDS: i64 = 7 * 24 * 3600;

pub async fn list_organisations(state: &AppState, actor: &Actor) -> Result<Vec<OrganisationView>, AppError> {
    authorize(actor, Permission::Administer)?;
    db::organisations::list(state.db.pool())
        .await
        .or_internal("listing organisations")
}

/// The organisation form as sent.
pub struct OrganisationForm {
    pub kind: OrganisationKind,
    pub name: String,
    pub siret: String,
    pub departement: String,
    pub cpv_codes: String,
    pub departements_served: String,
    pub is_sme: bool,
}

/// Creates a buyer organisation or a company. `is_sme` is a checkbox: present means yes.
pub async fn create_organisation(
    state: &AppState,
    actor: &Actor,
    form: OrganisationForm,
) -> Result<OrganisationView, AppError> {
    authorize(actor, Permission::Administer)?;
    let OrganisationForm {
        kind,
        name,
        siret,
        departement,
        cpv_codes,
        departements_served,
        is_sme,
    } = form;
    let mut problems = Vec::new();
    let name = name.trim();
    if name.chars().count() < 2 || name.chars().count() > 200 {
        problems.push(FieldProblem::new(
            "name",
            "Indiquez le nom de l'organisation (2 à 200 caractères).",
        ));
    }
    let siret = identity::validate_siren_or_siret(&siret).unwrap_or_else(|m| {
        problems.push(FieldProblem::new("siret", m));
        String::new()
    });
    let codes = organisation_codes(&departement, &cpv_codes, &departements_served).unwrap_or_else(|found| {
        problems.extend(found);
        Default::default()
    });
    if !problems.is_empty() {
        return Err(AppError::InvalidFields(problems));
    }
    let (departement, cpv_codes, served) = codes;
    let mut tx = state.db.begin_write().await.or_internal("creating an organisation")?;
    if db::organisations::siret_taken(&mut *tx, &siret)
        .await
        .or_internal("checking a SIRET")?
    {
        return Err(AppError::Conflict(format!(
            "Une organisation avec le numéro {siret} existe déjà."
        )));
    }
    let new = db::organisations::NewOrganisation {
        kind: Some(kind),
        name,
        siret: Some(&siret),
        departement: Some(&departement),
        cpv_codes: &cpv_codes,
        departements_served: &served,
        is_sme,
    };
    let id = db::organisations::insert(&mut *tx, &new, state.now())
        .await
        .or_internal("creating an organisation")?;
    tx.commit().await.or_internal("creating an organisation")?;
    db::organisations::find(state.db.pool(), id)
        .await
        .or_internal("reading an organisation")?
        .ok_or_else(|| crate::server::failure::internal("reading an organisation", "just created, now missing"))
}

/// Invites a person: a single-use link valid 7 days, sent by mail through the outbox.
pub async fn invite_user(
    state: &AppState,
    actor: &Actor,
    email: String,
    role: Role,
    organisation_id: Option<i64>,
) -> Result<InvitationSent, AppError> {
    authorize(actor, Permission::Administer)?;
    let email = identity::normalise_email(&email).map_err(|m| AppError::field("email", m))?;
    let invalid = |m: String| AppError::field("organisation_id", m);
    let pool = state.db.pool();
    let organisation = match organisation_id {
        Some(id) => db::organisations::find(pool, id)
            .await
            .or_internal("reading an organisation")?,
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
        .or_internal("reading a user")?
        .is_some()
    {
        return Err(AppError::Conflict(format!("Un compte existe déjà pour {email}.")));
    }
    let secret = token::generate();
    let now = state.now();
    let expires_at = now + INVITATION_SECONDS;
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
    let mut tx = state.db.begin_write().await.or_internal("inviting")?;
    let invitation = db::accounts::NewInvitation {
        token_hash: &token::hash(&secret),
        email: &email,
        role,
        organisation_id: organisation.as_ref().map(|o| o.id),
        invited_by: actor.signed_in().map(|s| s.user.id),
        created_at: now,
        expires_at,
    };
    db::accounts::insert_invitation(&mut *tx, &invitation)
        .await
        .or_internal("inviting")?;
    let mail = super::mail::Mail {
        to: &email,
        subject: "Votre invitation à JeSaisFaire",
        text: &body,
        list_unsubscribe: None,
    };
    let mail = super::mail::queue(&mut *tx, &mail, &state.public_url, now)
        .await
        .or_internal("queueing a mail")?;
    tx.commit().await.or_internal("inviting")?;
    // The link is a secret: the log says where to find it, never what it is.
    tracing::info!(
        mail,
        "invitation queued in the outbox (without [mail], `jesaisfaire outbox` prints it)"
    );
    Ok(InvitationSent { email, expires_at })
}

/// The département of the head office, the CPV codes and the départements served, checked and
/// normalised by the same rules as a consultation's (`domain::classification`,
/// `domain::territory`): canonical codes, or every problem in one message.
pub(super) fn organisation_codes(
    departement: &str,
    cpv_codes: &str,
    departements_served: &str,
) -> Result<(String, Vec<String>, Vec<String>), Vec<FieldProblem>> {
    use crate::domain::{classification, consultation::split_list, territory};
    let mut problems = Vec::new();
    let departement = territory::check_departement(departement).unwrap_or_else(|problem| {
        problems.push(FieldProblem::new("departement", problem));
        String::new()
    });
    let cpv_codes = classification::check_cpv_list(&split_list(cpv_codes)).unwrap_or_else(|found| {
        problems.extend(found.into_iter().map(|m| FieldProblem::new("cpv_codes", m)));
        Vec::new()
    });
    let served = territory::check_departement_list(&split_list(departements_served)).unwrap_or_else(|found| {
        problems.extend(found.into_iter().map(|m| FieldProblem::new("departements_served", m)));
        Vec::new()
    });
    if problems.is_empty() {
        Ok((departement, cpv_codes, served))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod organisation_codes_tests {
    use super::organisation_codes;

    #[test]
    fn codes_are_checked_like_a_consultation_checks_them() {
        // Issue 14: the admin refused 77311000 and 7, and accepted 975 and 979.
        let (departement, cpv, served) = organisation_codes(" 7 ", "77311000, 72250000-2", "77 ; 2a\n7").unwrap();
        assert_eq!(departement, "07");
        assert_eq!(cpv, ["77311000-3", "72250000-2"]);
        assert_eq!(served, ["77", "2A", "07"]);
        assert_eq!(organisation_codes("77", "", "").unwrap(), ("77".into(), vec![], vec![]));
        for refused in ["975", "979"] {
            let problem = &organisation_codes(refused, "", "").unwrap_err()[0];
            assert_eq!(problem.field, "departement");
            assert!(
                problem
                    .message
                    .contains(&format!("« {refused} » n'est pas un numéro de département")),
                "{problem:?}"
            );
            assert!(organisation_codes("77", "", refused).is_err());
        }
        let problems = organisation_codes("", "77311000-4", "979").unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["departement", "cpv_codes", "departements_served"]);
        assert!(
            problems[0].message.starts_with("Indiquez un numéro de département"),
            "{problems:?}"
        );
        assert!(problems[1].message.contains("s'écrit 77311000-3"), "{problems:?}");
        assert!(problems[2].message.contains("« 979 »"), "{problems:?}");
    }
}
