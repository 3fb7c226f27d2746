//! Accounts: signing in (throttled per account and per client address, counted before the
//! password is checked), signing out, changing one's password, accepting an invitation.

use super::auth::{authorize, password, session, token, Actor, Permission};
use super::db::{self, accounts::UserRecord};
use super::failure::OrInternal;
use super::AppState;
use crate::domain::identity;
use crate::error::AppError;
use crate::model::{InvitationView, Role, SessionUser};

/// Failures allowed per account, and per client address, in the throttling window.
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
const MAX_FAILURES_PER_ADDRESS: i64 = 30;
const THROTTLE_WINDOW_SECONDS: i64 = 15 * 60;

fn current_user_of(user: &UserRecord) -> SessionUser {
    SessionUser {
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        role: user.role,
        organisation_name: user.organisation_name.clone(),
        unread_notifications: 0,
    }
}

fn wrong_credentials() -> AppError {
    AppError::Unauthenticated("Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez.".into())
}

fn invalid_invitation() -> AppError {
    AppError::Invalid(
        "Ce lien d'invitation n'est plus valable : il a déjà servi ou il a expiré. Demandez une nouvelle \
         invitation à l'administrateur de JeSaisFaire."
            .into(),
    )
}

async fn live_invitation(
    state: &AppState,
    token_value: &str,
) -> Result<(String, db::accounts::InvitationRow), AppError> {
    let token_hash = token::hash(token_value.trim());
    let row = db::accounts::invitation(state.db.pool(), &token_hash)
        .await
        .or_internal("reading an invitation")?
        .filter(|i| i.used_at.is_none() && i.expires_at > state.now())
        .ok_or_else(invalid_invitation)?;
    Ok((token_hash, row))
}

/// Who is signed in on this browser, if anyone.
pub async fn current_user(state: &AppState, actor: &Actor) -> Result<Option<SessionUser>, AppError> {
    let Some(signed_in) = actor.signed_in() else {
        return Ok(None);
    };
    Ok(Some(SessionUser {
        unread_notifications: super::notifications::unread(state, actor).await?,
        ..current_user_of(&signed_in.user)
    }))
}

/// Signs in with e-mail and password, then goes to the home page of the role. An unknown
/// e-mail and a wrong password get the same answer, in the same time.
pub async fn sign_in(state: &AppState, email: String, password: String) -> Result<SessionUser, AppError> {
    let email = identity::normalise_email(&email).map_err(AppError::Invalid)?;
    if password.chars().count() > identity::MAX_PASSWORD_CHARS {
        return Err(wrong_credentials());
    }
    let address = session::client_address();
    let now = state.now();
    // The attempt is counted before the password is checked, in one write transaction: however
    // many guesses arrive at once, no more than the limits are ever checked.
    let mut tx = state
        .db
        .begin_write()
        .await
        .or_internal("recording a sign-in attempt")?;
    let admitted = db::accounts::admit_sign_in_attempt(
        &mut tx,
        &email,
        &address,
        now,
        now - THROTTLE_WINDOW_SECONDS,
        |recent| recent.by_account < MAX_FAILURES_PER_ACCOUNT && recent.by_address < MAX_FAILURES_PER_ADDRESS,
    )
    .await
    .or_internal("recording a sign-in attempt")?;
    tx.commit().await.or_internal("recording a sign-in attempt")?;
    if admitted.is_none() {
        tracing::warn!(%address, "sign-in throttled");
        return Err(AppError::Forbidden(
            "Trop de tentatives de connexion infructueuses. Pour protéger les comptes, réessayez dans 15 minutes \
             ou demandez à l'administrateur de réinitialiser votre mot de passe."
                .into(),
        ));
    }
    let found = db::accounts::credentials(state.db.pool(), &email)
        .await
        .or_internal("reading a user")?;
    let (user, stored) = match found {
        Some((user, hash)) => (Some(user), Some(hash.as_str().to_owned())),
        None => (None, None),
    };
    // An unknown e-mail costs the same work as a wrong password (a dummy hash is checked).
    let ok = state
        .password_checks
        .run(move || password::verify(&password, stored.as_deref()))
        .await?;
    let Some(user) = user.filter(|_| ok) else {
        return Err(wrong_credentials());
    };
    db::accounts::clear_sign_in_attempts(state.db.pool(), &email, &address)
        .await
        .or_internal("clearing sign-in attempts")?;
    // Now and then, forget the attempts older than the window.
    if now % 16 == 0 {
        if let Err(e) = db::accounts::forget_sign_in_attempts(state.db.pool(), now - THROTTLE_WINDOW_SECONDS).await {
            tracing::warn!(error = %e, "could not forget old sign-in attempts");
        }
    }
    session::open(state, user.id).await.or_internal("opening a session")?;
    tracing::info!(user = user.id, "signed in");
    Ok(current_user_of(&user))
}

/// Ends this browser's session.
pub async fn sign_out(state: &AppState, actor: &Actor) -> Result<(), AppError> {
    session::close(state, actor).await.or_internal("closing a session")?;
    Ok(())
}

/// Changes one's own password; the other sessions of the account are closed.
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    authorize(actor, Permission::ManageOwnAccount)?;
    let Actor::User(me) = actor else {
        return Err(AppError::Internal);
    };
    if new != confirm {
        return Err(AppError::Invalid(
            "Les deux saisies du nouveau mot de passe sont différentes. Saisissez-le à nouveau.".into(),
        ));
    }
    identity::check_new_password(&new, &me.user.email).map_err(AppError::Invalid)?;
    let stored = db::accounts::password_hash(state.db.pool(), me.user.id)
        .await
        .or_internal("reading a password hash")?
        .map(|h| h.as_str().to_owned());
    let (ok, hash) = state
        .password_checks
        .run(move || (password::verify(&current, stored.as_deref()), password::hash(&new)))
        .await?;
    if !ok {
        return Err(AppError::Invalid("Le mot de passe actuel est incorrect.".into()));
    }
    let hash = hash.or_internal("hashing a password")?;
    let mut tx = state.db.begin_write().await.or_internal("changing a password")?;
    db::accounts::set_password(&mut *tx, me.user.id, &hash, state.now())
        .await
        .or_internal("changing a password")?;
    db::accounts::delete_other_sessions(&mut *tx, me.user.id, &me.session_hash)
        .await
        .or_internal("closing other sessions")?;
    // Whoever had the agenda link may be whoever had the password: the link stops working too.
    db::accounts::delete_calendar_feed(&mut *tx, me.user.id)
        .await
        .or_internal("revoking the agenda link")?;
    tx.commit().await.or_internal("changing a password")?;
    Ok(())
}

pub async fn invitation_details(state: &AppState, token: String) -> Result<InvitationView, AppError> {
    let (_, row) = live_invitation(state, &token).await?;
    let organisation_name = match row.organisation_id {
        Some(id) => db::organisations::find(state.db.pool(), id)
            .await
            .or_internal("reading an organisation")?
            .map(|o| o.name),
        None => None,
    };
    Ok(InvitationView {
        email: row.email,
        role: row.role,
        organisation_name,
    })
}

/// Creates the account of an invitation (single use), signs the person in, goes home.
pub async fn accept_invitation(
    state: &AppState,
    token: String,
    display_name: String,
    password: String,
    confirm: String,
) -> Result<SessionUser, AppError> {
    let (token_hash, invitation) = live_invitation(state, &token).await?;
    let display_name = display_name.trim().to_string();
    if display_name.chars().count() < 2 || display_name.chars().count() > 100 {
        return Err(AppError::Invalid(
            "Indiquez vos prénom et nom (2 à 100 caractères).".into(),
        ));
    }
    if password != confirm {
        return Err(AppError::Invalid(
            "Les deux saisies du mot de passe sont différentes. Saisissez-le à nouveau.".into(),
        ));
    }
    identity::check_new_password(&password, &invitation.email).map_err(AppError::Invalid)?;
    let hash = state
        .password_checks
        .run(move || password::hash(&password))
        .await?
        .or_internal("hashing a password")?;
    let role = invitation.role;
    let mut tx = state.db.begin_write().await.or_internal("accepting an invitation")?;
    // Marked used inside the transaction: two clicks on the same link create one account.
    if !db::accounts::use_invitation(&mut *tx, &token_hash, state.now())
        .await
        .or_internal("using an invitation")?
    {
        return Err(invalid_invitation());
    }
    if db::accounts::user_by_email(&mut *tx, &invitation.email)
        .await
        .or_internal("reading a user")?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "Un compte existe déjà pour {}. Connectez-vous avec ce compte.",
            invitation.email
        )));
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
        .or_internal("creating a user")?;
    if role == Role::Reviewer {
        if let Some(org) = invitation.organisation_id {
            db::accounts::attach_reviewer(&mut *tx, user_id, org)
                .await
                .or_internal("attaching a reviewer")?;
        }
    }
    tx.commit().await.or_internal("accepting an invitation")?;
    session::open(state, user_id).await.or_internal("opening a session")?;
    tracing::info!(user = user_id, "invitation accepted");
    Ok(SessionUser {
        display_name,
        email: invitation.email,
        role,
        organisation_name: None,
        unread_notifications: 0,
    })
}
