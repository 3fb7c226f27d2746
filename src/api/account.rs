//! Signing in and out, the current user, password change, accepting an invitation.

use crate::error::AppError;
use crate::model::{Role, SessionUser};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::support::{authorize, caller, internal, with_status},
    crate::domain::identity,
    crate::server::auth::{password, session, token, Actor, Permission},
    crate::server::db::{self, accounts::UserRecord},
};

/// Failures allowed per account, and per client address, in the throttling window.
#[cfg(feature = "ssr")]
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
#[cfg(feature = "ssr")]
const MAX_FAILURES_PER_ADDRESS: i64 = 30;
#[cfg(feature = "ssr")]
const THROTTLE_WINDOW_SECONDS: i64 = 15 * 60;

#[cfg(feature = "ssr")]
fn current_user_of(user: &UserRecord) -> SessionUser {
    SessionUser {
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        role: user.role,
        organisation_name: user.organisation_name.clone(),
    }
}

/// Who is signed in on this browser, if anyone.
#[server(endpoint = "account/current")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let (_, actor) = caller().await?;
    Ok(actor.signed_in().map(|s| current_user_of(&s.user)))
}

/// Signs in with e-mail and password, then goes to the home page of the role. An unknown
/// e-mail and a wrong password get the same answer, in the same time.
#[server(endpoint = "account/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<SessionUser, AppError> {
    let (state, _) = caller().await?;
    let email = identity::normalise_email(&email).map_err(|m| with_status(AppError::Invalid(m)))?;
    if password.chars().count() > identity::MAX_PASSWORD_CHARS {
        return Err(with_status(wrong_credentials()));
    }
    let address = session::client_address();
    let now = state.now();
    // The attempt is counted before the password is checked, in one write transaction: however
    // many guesses arrive at once, no more than the limits are ever checked.
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(|e| internal("recording a sign-in attempt", e))?;
    let admitted = db::accounts::admit_sign_in_attempt(
        &mut tx,
        &email,
        &address,
        now,
        now - THROTTLE_WINDOW_SECONDS,
        |recent| recent.by_account < MAX_FAILURES_PER_ACCOUNT && recent.by_address < MAX_FAILURES_PER_ADDRESS,
    )
    .await
    .map_err(|e| internal("recording a sign-in attempt", e))?;
    tx.commit()
        .await
        .map_err(|e| internal("recording a sign-in attempt", e))?;
    if admitted.is_none() {
        tracing::warn!(%address, "sign-in throttled");
        return Err(with_status(AppError::Forbidden(
            "Trop de tentatives de connexion infructueuses. Pour protéger les comptes, réessayez dans 15 minutes \
             ou demandez à l'administrateur de réinitialiser votre mot de passe."
                .into(),
        )));
    }
    let found = db::accounts::credentials(state.db.pool(), &email)
        .await
        .map_err(|e| internal("reading a user", e))?;
    let (user, stored) = match found {
        Some((user, hash)) => (Some(user), Some(hash.as_str().to_owned())),
        None => (None, None),
    };
    // An unknown e-mail costs the same work as a wrong password (a dummy hash is checked).
    let ok = state
        .password_checks
        .run(move || password::verify(&password, stored.as_deref()))
        .await
        .map_err(with_status)?;
    let Some(user) = user.filter(|_| ok) else {
        return Err(with_status(wrong_credentials()));
    };
    db::accounts::clear_sign_in_attempts(state.db.pool(), &email, &address)
        .await
        .map_err(|e| internal("clearing sign-in attempts", e))?;
    // Now and then, forget the attempts older than the window.
    if now % 16 == 0 {
        if let Err(e) = db::accounts::forget_sign_in_attempts(state.db.pool(), now - THROTTLE_WINDOW_SECONDS).await {
            tracing::warn!(error = %e, "could not forget old sign-in attempts");
        }
    }
    session::open(&state, user.id)
        .await
        .map_err(|e| internal("opening a session", e))?;
    tracing::info!(user = user.id, "signed in");
    leptos_axum::redirect(user.role.home_path());
    Ok(current_user_of(&user))
}

#[cfg(feature = "ssr")]
fn wrong_credentials() -> AppError {
    AppError::Unauthenticated("Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez.".into())
}

/// Ends this browser's session.
#[server(endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    session::close(&state, &actor)
        .await
        .map_err(|e| internal("closing a session", e))?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Changes one's own password; the other sessions of the account are closed.
#[server(endpoint = "account/password")]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::ManageOwnAccount)?;
    let Actor::User(me) = actor else {
        return Err(with_status(AppError::Internal));
    };
    if new != confirm {
        return Err(with_status(AppError::Invalid(
            "Les deux saisies du nouveau mot de passe sont différentes. Saisissez-le à nouveau.".into(),
        )));
    }
    identity::check_new_password(&new, &me.user.email).map_err(|m| with_status(AppError::Invalid(m)))?;
    let stored = db::accounts::password_hash(state.db.pool(), me.user.id)
        .await
        .map_err(|e| internal("reading a password hash", e))?
        .map(|h| h.as_str().to_owned());
    let (ok, hash) = state
        .password_checks
        .run(move || (password::verify(&current, stored.as_deref()), password::hash(&new)))
        .await
        .map_err(with_status)?;
    if !ok {
        return Err(with_status(AppError::Invalid(
            "Le mot de passe actuel est incorrect.".into(),
        )));
    }
    let hash = hash.map_err(|e| internal("hashing a password", e))?;
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(|e| internal("changing a password", e))?;
    db::accounts::set_password(&mut *tx, me.user.id, &hash, state.now())
        .await
        .map_err(|e| internal("changing a password", e))?;
    db::accounts::delete_other_sessions(&mut *tx, me.user.id, &me.session_hash)
        .await
        .map_err(|e| internal("closing other sessions", e))?;
    // Whoever had the agenda link may be whoever had the password: the link stops working too.
    db::accounts::delete_calendar_feed(&mut *tx, me.user.id)
        .await
        .map_err(|e| internal("revoking the agenda link", e))?;
    tx.commit().await.map_err(|e| internal("changing a password", e))?;
    Ok(())
}

/// What an invitation link is for, shown before the person chooses a password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub role: Role,
    pub organisation_name: Option<String>,
}

#[cfg(feature = "ssr")]
fn invalid_invitation() -> AppError {
    with_status(AppError::Invalid(
        "Ce lien d'invitation n'est plus valable : il a déjà servi ou il a expiré. Demandez une nouvelle \
         invitation à l'administrateur de JeSaisFaire."
            .into(),
    ))
}

#[cfg(feature = "ssr")]
async fn live_invitation(
    state: &crate::server::AppState,
    token_value: &str,
) -> Result<(String, db::accounts::InvitationRow), AppError> {
    let token_hash = token::hash(token_value.trim());
    let row = db::accounts::invitation(state.db.pool(), &token_hash)
        .await
        .map_err(|e| internal("reading an invitation", e))?
        .filter(|i| i.used_at.is_none() && i.expires_at > state.now())
        .ok_or_else(invalid_invitation)?;
    Ok((token_hash, row))
}

#[server(endpoint = "account/invitation")]
pub async fn invitation_details(token: String) -> Result<InvitationView, AppError> {
    let (state, _) = caller().await?;
    let (_, row) = live_invitation(&state, &token).await?;
    let organisation_name = match row.organisation_id {
        Some(id) => db::organisations::find(state.db.pool(), id)
            .await
            .map_err(|e| internal("reading an organisation", e))?
            .map(|o| o.name),
        None => None,
    };
    Ok(InvitationView {
        email: row.email,
        role: Role::parse(&row.role).unwrap_or(Role::Supplier),
        organisation_name,
    })
}

/// Creates the account of an invitation (single use), signs the person in, goes home.
#[server(endpoint = "account/accept-invitation")]
pub async fn accept_invitation(
    token: String,
    display_name: String,
    password: String,
    confirm: String,
) -> Result<SessionUser, AppError> {
    let (state, _) = caller().await?;
    let (token_hash, invitation) = live_invitation(&state, &token).await?;
    let display_name = display_name.trim().to_string();
    if display_name.chars().count() < 2 || display_name.chars().count() > 100 {
        return Err(with_status(AppError::Invalid(
            "Indiquez vos prénom et nom (2 à 100 caractères).".into(),
        )));
    }
    if password != confirm {
        return Err(with_status(AppError::Invalid(
            "Les deux saisies du mot de passe sont différentes. Saisissez-le à nouveau.".into(),
        )));
    }
    identity::check_new_password(&password, &invitation.email).map_err(|m| with_status(AppError::Invalid(m)))?;
    let hash = state
        .password_checks
        .run(move || password::hash(&password))
        .await
        .map_err(with_status)?
        .map_err(|e| internal("hashing a password", e))?;
    let role = Role::parse(&invitation.role).unwrap_or(Role::Supplier);
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(|e| internal("accepting an invitation", e))?;
    // Marked used inside the transaction: two clicks on the same link create one account.
    if !db::accounts::use_invitation(&mut *tx, &token_hash, state.now())
        .await
        .map_err(|e| internal("using an invitation", e))?
    {
        return Err(invalid_invitation());
    }
    if db::accounts::user_by_email(&mut *tx, &invitation.email)
        .await
        .map_err(|e| internal("reading a user", e))?
        .is_some()
    {
        return Err(with_status(AppError::Conflict(format!(
            "Un compte existe déjà pour {}. Connectez-vous avec ce compte.",
            invitation.email
        ))));
    }
    let new_user = db::accounts::NewUser {
        email: &invitation.email,
        display_name: &display_name,
        password_hash: &hash,
        role,
        organisation_id: invitation
            .organisation_id
            .filter(|_| role.organisation_kind().is_some()),
    };
    let user_id = db::accounts::insert_user(&mut *tx, &new_user, state.now())
        .await
        .map_err(|e| internal("creating a user", e))?;
    if role == Role::Reviewer {
        if let Some(org) = invitation.organisation_id {
            db::accounts::attach_reviewer(&mut *tx, user_id, org)
                .await
                .map_err(|e| internal("attaching a reviewer", e))?;
        }
    }
    tx.commit().await.map_err(|e| internal("accepting an invitation", e))?;
    session::open(&state, user_id)
        .await
        .map_err(|e| internal("opening a session", e))?;
    tracing::info!(user = user_id, "invitation accepted");
    leptos_axum::redirect(role.home_path());
    Ok(SessionUser {
        display_name,
        email: invitation.email,
        role,
        organisation_name: None,
    })
}
