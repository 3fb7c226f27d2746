//! Signing in and out, the current user, password change, accepting an invitation (see
//! `server::accounts`).

use crate::error::AppError;
pub use crate::model::InvitationView;
use crate::model::SessionUser;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::accounts};

/// Who is signed in on this browser, if anyone.
#[server(endpoint = "account/current")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let (state, actor) = caller().await?;
    accounts::current_user(&state, &actor).await
}

/// Signs in with e-mail and password, then goes back to the page the person was reading
/// (`back_to`) or to the home page of the role. An unknown e-mail and a wrong password get the
/// same answer, in the same time.
#[server(endpoint = "account/sign-in")]
pub async fn sign_in(email: String, password: String, back_to: Option<String>) -> Result<SessionUser, AppError> {
    let (state, _) = caller().await?;
    let done = accounts::sign_in(&state, email, password).await?;
    leptos_axum::redirect(
        back_to
            .as_deref()
            .and_then(return_path)
            .unwrap_or(done.role.home_path()),
    );
    Ok(done)
}

/// `path` if it is a page of this site to come back to after signing in, else `None`: never
/// another site (`//host`, `/\host`, a scheme), only visible ASCII (what a `Location` header
/// carries; paths come percent-encoded), never the sign-in page itself or an endpoint.
pub fn return_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix('/')?;
    let safe = path.len() <= 512
        && !rest.starts_with('/')
        && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
        && !["api/", "connexion", "pkg/"].iter().any(|p| rest.starts_with(p));
    safe.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::return_path;

    #[test]
    fn only_pages_of_this_site_are_returned_to() {
        for ok in [
            "/compte",
            "/consultations/3?de=1&a=2",
            "/consultations/1#contribution-4",
            "/",
        ] {
            assert_eq!(return_path(ok), Some(ok));
        }
        for bad in [
            "",
            "compte",
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example",
            "/compte\r\nSet-Cookie: x=1",
            "/consultations/é",
            "/api/account/sign-out",
            "/connexion?retour=/compte",
            &format!("/{}", "a".repeat(600)),
        ] {
            assert_eq!(return_path(bad), None, "{bad:?}");
        }
    }
}

/// Ends this browser's session.
#[server(endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    accounts::sign_out(&state, &actor).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Changes one's own password; the other sessions of the account are closed.
#[server(endpoint = "account/password")]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    accounts::change_password(&state, &actor, current, new, confirm).await
}

/// What an invitation link is for, shown before the person chooses a password.
#[server(endpoint = "account/invitation")]
pub async fn invitation_details(token: String) -> Result<InvitationView, AppError> {
    let (state, _) = caller().await?;
    accounts::invitation_details(&state, token).await
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
    let done = accounts::accept_invitation(&state, token, display_name, password, confirm).await?;
    leptos_axum::redirect(done.role.home_path());
    Ok(done)
}
