//! Companies registering themselves: a registration waits for its e-mail address to be confirmed
//! (a single-use link valid 24 hours, stored hashed); following it creates the account, and
//! either the company (a new SIRET) or a request to join it (a SIRET already registered), which a
//! member of the company accepts or refuses — never automatically.
//!
//! The form's answer never says whether the e-mail or the SIRET was known: the same words, the
//! same work (the password is hashed and one mail queued in every case). Registrations are
//! throttled per e-mail and per client address.

use super::auth::{password, session, token};
use super::db::{self, accounts::NewUser, organisations::NewOrganisation};
use super::failure::OrInternal;
use super::mail::{self, Mail};
use super::AppState;
use crate::domain::identity;
use crate::error::AppError;
use crate::model::{
    InvitationStatus, OrganisationKind, RegistrationConfirmed, RegistrationSent, RegistrationView, Role, SessionUser,
};

/// A confirmation link is valid 24 hours.
const CONFIRMATION_SECONDS: i64 = 24 * 3600;
/// Registrations asked per e-mail, and per client address, in the window.
const MAX_PER_EMAIL: i64 = 3;
const MAX_PER_ADDRESS: i64 = 20;
const WINDOW_SECONDS: i64 = 3600;

/// The registration form as sent.
pub struct RegistrationForm {
    pub siret: String,
    pub company_name: String,
    pub display_name: String,
    pub email: String,
    pub password: String,
    pub confirm: String,
    /// The token of the invitation link the person came by (`/inscription?invitation=…`), or empty.
    pub invitation: String,
}

/// The form checked: every problem in one message, in the order of the fields.
struct Checked {
    siret: String,
    company_name: String,
    display_name: String,
    email: String,
    password: String,
    invitation: String,
}

fn check(form: RegistrationForm) -> Result<Checked, AppError> {
    let mut problems = Vec::new();
    let digits: String = form.siret.chars().filter(|c| !c.is_whitespace()).collect();
    let siret = match identity::validate_siren_or_siret(&form.siret) {
        Ok(s) if s.len() == 14 => s,
        Ok(_) => {
            problems.push(format!(
                "« {} » est un SIREN : indiquez le SIRET de l'établissement (14 chiffres, le SIREN suivi de 5 chiffres).",
                digits
            ));
            String::new()
        }
        Err(problem) => {
            problems.push(problem);
            String::new()
        }
    };
    let company_name = form.company_name.trim().to_string();
    if company_name.chars().count() < 2 || company_name.chars().count() > 200 {
        problems.push("Indiquez la raison sociale de l'entreprise (2 à 200 caractères).".into());
    }
    let display_name = form.display_name.trim().to_string();
    if display_name.chars().count() < 2 || display_name.chars().count() > 100 {
        problems.push("Indiquez vos prénom et nom (2 à 100 caractères).".into());
    }
    let email = identity::normalise_email(&form.email).unwrap_or_else(|problem| {
        problems.push(problem);
        String::new()
    });
    if form.password != form.confirm {
        problems.push("Les deux saisies du mot de passe sont différentes. Saisissez-le à nouveau.".into());
    } else if let Err(problem) = identity::check_new_password(&form.password, &email) {
        problems.push(problem);
    }
    if problems.is_empty() {
        Ok(Checked {
            siret,
            company_name,
            display_name,
            email,
            password: form.password,
            invitation: form.invitation.trim().to_string(),
        })
    } else {
        Err(AppError::Invalid(problems.join(" ")))
    }
}

/// Asks for a registration: mails a confirmation link, or, when the address already has an
/// account, a reminder to sign in. The answer is the same either way.
pub async fn register(state: &AppState, form: RegistrationForm) -> Result<RegistrationSent, AppError> {
    let form = check(form)?;
    let address = session::client_address();
    let now = state.now();
    let invitation_token_hash = if form.invitation.is_empty() {
        String::new()
    } else {
        let hash = token::hash(&form.invitation);
        db::invitations::live_by_email(state.db.pool(), &hash, now)
            .await
            .or_internal("reading an invitation link")?
            .ok_or_else(|| {
                AppError::Invalid(
                    "Le lien d'invitation n'est plus valable (il vaut 30 jours). Inscrivez-vous depuis la page \
                     « Inscrire mon entreprise », puis demandez à l'acheteur de vous inviter à nouveau."
                        .into(),
                )
            })?;
        hash
    };
    let mut tx = state.db.begin_write().await.or_internal("registering")?;
    let admitted =
        db::registration::admit_attempt(&mut tx, &form.email, &address, now, now - WINDOW_SECONDS, |e, a| {
            e < MAX_PER_EMAIL && a < MAX_PER_ADDRESS
        })
        .await
        .or_internal("counting registrations")?;
    tx.commit().await.or_internal("counting registrations")?;
    if !admitted {
        tracing::warn!(%address, "registration throttled");
        return Err(AppError::Forbidden(
            "Trop de demandes d'inscription en peu de temps. Réessayez dans une heure ; si le message de \
             confirmation n'arrive pas, vérifiez vos courriers indésirables."
                .into(),
        ));
    }
    // Hashed in every case: an address that has an account costs the same time as a new one.
    let secret = form.password;
    let hash = state
        .password_checks
        .run(move || password::hash(&secret))
        .await?
        .or_internal("hashing a password")?;
    let mut tx = state.db.begin_write().await.or_internal("registering")?;
    let existing = db::accounts::user_by_email(&mut *tx, &form.email)
        .await
        .or_internal("reading a user")?;
    let (subject, text) = if existing.is_some() {
        (
            "Votre inscription à JeSaisFaire",
            format!(
                "Bonjour,\n\nUne inscription à JeSaisFaire a été demandée avec cette adresse, mais vous avez déjà un \
                 compte. Connectez-vous :\n{url}/connexion\n\nSi vous avez oublié votre mot de passe, demandez à \
                 l'administrateur de JeSaisFaire de le réinitialiser. Si vous n'êtes pas à l'origine de cette \
                 demande, ignorez ce message.\n",
                url = state.public_url
            ),
        )
    } else {
        let link_secret = token::generate();
        db::registration::insert_pending(
            &mut *tx,
            &db::registration::NewRegistration {
                token_hash: &token::hash(&link_secret),
                email: &form.email,
                display_name: &form.display_name,
                password_hash: hash.as_str(),
                siret: &form.siret,
                company_name: &form.company_name,
                expires_at: now + CONFIRMATION_SECONDS,
                invitation_token_hash: &invitation_token_hash,
            },
            now,
        )
        .await
        .or_internal("recording a registration")?;
        (
            "Confirmez votre inscription à JeSaisFaire",
            format!(
                "Bonjour {name},\n\nPour terminer l'inscription de {company} sur JeSaisFaire, confirmez votre adresse \
                 en ouvrant ce lien, valable 24 heures et une seule fois :\n{url}/inscription/confirmer/{link_secret}\n\n\
                 Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun compte ne sera créé.\n",
                name = form.display_name,
                company = form.company_name,
                url = state.public_url
            ),
        )
    };
    let mail = Mail {
        to: &form.email,
        subject,
        text: &text,
        list_unsubscribe: None,
    };
    mail::queue(&mut *tx, &mail, &state.public_url, now)
        .await
        .or_internal("queueing a mail")?;
    tx.commit().await.or_internal("registering")?;
    tracing::info!("registration asked; confirmation or reminder queued in the outbox");
    Ok(RegistrationSent { email: form.email })
}

fn invalid_link() -> AppError {
    AppError::Invalid(
        "Ce lien de confirmation n'est plus valable : il a déjà servi ou il a expiré (il vaut 24 heures). \
         Inscrivez-vous à nouveau pour en recevoir un autre, ou connectez-vous si votre compte est déjà créé."
            .into(),
    )
}

/// What a confirmation link is for, shown before the person confirms.
pub async fn registration_details(state: &AppState, link: String) -> Result<RegistrationView, AppError> {
    let pending = db::registration::live_pending(state.db.pool(), &token::hash(link.trim()), state.now())
        .await
        .or_internal("reading a registration")?
        .ok_or_else(invalid_link)?;
    Ok(RegistrationView {
        email: pending.email,
        company_name: pending.company_name,
    })
}

/// Follows a confirmation link (single use): creates the account and the company, or the request
/// to join it, then signs the person in.
pub async fn confirm_registration(state: &AppState, link: String) -> Result<RegistrationConfirmed, AppError> {
    let token_hash = token::hash(link.trim());
    let now = state.now();
    let mut tx = state.db.begin_write().await.or_internal("confirming a registration")?;
    let pending = db::registration::live_pending(&mut *tx, &token_hash, now)
        .await
        .or_internal("reading a registration")?
        .ok_or_else(invalid_link)?;
    if !db::registration::use_pending(&mut *tx, &token_hash, now)
        .await
        .or_internal("using a registration link")?
    {
        return Err(invalid_link());
    }
    if db::accounts::user_by_email(&mut *tx, &pending.email)
        .await
        .or_internal("reading a user")?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "Un compte existe déjà pour {}. Connectez-vous avec ce compte.",
            pending.email
        )));
    }
    // The company's SIRET, or its SIREN when the administrator registered the company by it.
    let found = db::registration::organisation_by_siret(&mut *tx, &pending.siret, &pending.siret[..9])
        .await
        .or_internal("finding a company")?;
    let (organisation_id, join) = match found {
        Some((_, kind, _)) if kind != OrganisationKind::Company.as_str() => {
            return Err(AppError::Conflict(
                "Ce numéro SIRET est celui d'un acheteur public inscrit sur JeSaisFaire, pas d'une entreprise. \
                 Les comptes des acheteurs sont créés par l'administrateur de JeSaisFaire : demandez-lui une invitation."
                    .into(),
            ));
        }
        Some((id, _, name)) => (None, Some((id, name))),
        None => {
            let company = NewOrganisation {
                kind: Some(OrganisationKind::Company),
                name: &pending.company_name,
                siret: Some(&pending.siret),
                ..Default::default()
            };
            let id = db::organisations::insert(&mut *tx, &company, now)
                .await
                .or_internal("creating a company")?;
            (Some(id), None)
        }
    };
    let user_id = db::accounts::insert_user(
        &mut *tx,
        &NewUser {
            email: &pending.email,
            display_name: &pending.display_name,
            password_hash: &pending.password_hash,
            role: Role::Supplier,
            organisation_id,
        },
        now,
    )
    .await
    .or_internal("creating a user")?;
    if let Some((company, name)) = &join {
        db::registration::insert_join_request(&mut *tx, user_id, *company, now)
            .await
            .or_internal("asking to join a company")?;
        let text = format!(
            "Bonjour,\n\n{person} ({email}) demande à rejoindre {name} sur JeSaisFaire. Un membre de l'entreprise \
             accepte ou refuse sa demande depuis la page « Mon compte » :\n{url}/compte\n\nTant que personne ne l'a \
             acceptée, cette personne ne peut pas contribuer au nom de l'entreprise.\n",
            person = pending.display_name,
            email = pending.email,
            url = state.public_url
        );
        let subject = "Une demande pour rejoindre votre entreprise";
        mail::queue_to_company(&mut tx, *company, subject, &text, &state.public_url, now)
            .await
            .or_internal("queueing a mail")?;
    }
    // Came by an invitation link: the company is invited to the consultation, accepted when this
    // registration created it (the person followed the invitation), else left to its members.
    let mut invited_to = None;
    if !pending.invitation_token_hash.is_empty() {
        let company = organisation_id.or(join.as_ref().map(|(id, _)| *id));
        if let Some(company) = company {
            let link = &pending.invitation_token_hash;
            let target = db::invitations::live_by_email(&mut *tx, link, now)
                .await
                .or_internal("reading an invitation link")?;
            let inviter = db::invitations::inviter_of_link(&mut *tx, link)
                .await
                .or_internal("reading an invitation link")?;
            if let (Some((consultation, _, _)), Some(inviter)) = (target, inviter) {
                if db::invitations::use_by_email(&mut *tx, link, company, now)
                    .await
                    .or_internal("using an invitation link")?
                {
                    let status = if organisation_id.is_some() {
                        InvitationStatus::Accepted
                    } else {
                        InvitationStatus::Pending
                    };
                    db::invitations::invite_with_status(&mut *tx, consultation, company, status, inviter, now)
                        .await
                        .or_internal("inviting a company")?;
                    invited_to = (status == InvitationStatus::Accepted).then_some(consultation);
                }
            }
        }
    }
    tx.commit().await.or_internal("confirming a registration")?;
    session::open(state, user_id).await.or_internal("opening a session")?;
    tracing::info!(user = user_id, joining = join.is_some(), "registration confirmed");
    let waiting_for = join.map(|(_, name)| name);
    Ok(RegistrationConfirmed {
        invited_to,
        user: SessionUser {
            display_name: pending.display_name,
            email: pending.email,
            role: Role::Supplier,
            organisation_name: organisation_id.map(|_| pending.company_name),
            unread_notifications: 0,
        },
        waiting_for,
    })
}
