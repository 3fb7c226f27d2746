//! Sessions: a random token in an HttpOnly cookie, its hash in the database.

use super::permissions::{Actor, SignedIn};
use super::token;
use crate::error::AppError;
use crate::server::db;
use crate::server::AppState;
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// A session lasts a working day; then the person signs in again.
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// Over HTTPS the cookie gets the `__Host-` prefix (Secure, whole site, no Domain: a subdomain
/// cannot plant or overwrite it); on plain-HTTP localhost the prefix is not allowed.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-jsf_session"
    } else {
        "jsf_session"
    }
}

/// The caller of the current request (server functions and pages), from its session cookie.
/// A page calls a dozen server functions while it renders: the session is read once per
/// request, through the [`ActorMemo`] the router gives each one.
pub async fn current_actor(state: &AppState) -> Result<Actor, AppError> {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(Actor::Anonymous);
    };
    match use_context::<ActorMemo>() {
        Some(ActorMemo(memo)) => memo
            .get_or_try_init(|| actor_from_headers(state, &parts.headers))
            .await
            .cloned(),
        None => actor_from_headers(state, &parts.headers).await,
    }
}

/// The caller of one request, once known (empty until the first server function asks).
#[derive(Clone, Default)]
pub struct ActorMemo(std::sync::Arc<tokio::sync::OnceCell<Actor>>);

impl ActorMemo {
    /// A memo already holding the caller (the page cache reads the session before the page).
    pub fn known(actor: Actor) -> ActorMemo {
        ActorMemo(std::sync::Arc::new(tokio::sync::OnceCell::new_with(Some(actor))))
    }
}

/// The caller of a request, from its headers (for plain axum handlers).
pub async fn actor_from_headers(state: &AppState, headers: &http::HeaderMap) -> Result<Actor, AppError> {
    let Some(token) = session_token(headers, state.secure_cookies) else {
        return Ok(Actor::Anonymous);
    };
    let token_hash = token::hash(&token);
    let internal = |e: sqlx::Error| {
        tracing::error!(error = %e, "reading the session");
        AppError::Internal
    };
    let pool = state.db.pool();
    let Some(user) = db::accounts::user_by_session(pool, &token_hash, state.now())
        .await
        .map_err(internal)?
    else {
        return Ok(Actor::Anonymous);
    };
    actor_for(state, user, token_hash).await
}

/// The actor of a known user (signed in, or identified by a calendar subscription link).
pub async fn actor_for(
    state: &AppState,
    user: db::accounts::UserRecord,
    token_hash: String,
) -> Result<Actor, AppError> {
    let internal = |e: sqlx::Error| {
        tracing::error!(error = %e, "reading the user's organisations");
        AppError::Internal
    };
    let pool = state.db.pool();
    let reviewed_organisations = if user.role == crate::model::Role::Reviewer {
        db::accounts::reviewed_organisations(pool, user.id)
            .await
            .map_err(internal)?
    } else {
        Vec::new()
    };
    Ok(Actor::User(SignedIn {
        user,
        reviewed_organisations,
        session_hash: token_hash,
    }))
}

/// Whether the request carries a session cookie (valid or not): its answer is personal.
pub fn has_session_cookie(headers: &http::HeaderMap, secure: bool) -> bool {
    session_token(headers, secure).is_some()
}

fn session_token(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Opens a session for the user and sets its cookie on the response.
pub async fn open(state: &AppState, user_id: i64) -> Result<(), sqlx::Error> {
    let token = token::generate();
    let now = state.now();
    db::accounts::insert_session(
        state.db.pool(),
        &token::hash(&token),
        user_id,
        now,
        now + SESSION_SECONDS,
    )
    .await?;
    set_cookie(state.secure_cookies, &token, SESSION_SECONDS);
    Ok(())
}

/// Ends the session of this request and clears its cookie.
pub async fn close(state: &AppState, actor: &Actor) -> Result<(), sqlx::Error> {
    if let Some(s) = actor.signed_in() {
        db::accounts::delete_session(state.db.pool(), &s.session_hash).await?;
    }
    set_cookie(state.secure_cookies, "", 0);
    Ok(())
}

fn set_cookie(secure: bool, value: &str, max_age: i64) {
    let Some(response) = use_context::<ResponseOptions>() else {
        return;
    };
    // SameSite=Lax keeps the session when a person follows a link from a mail; cross-site posts
    // are refused anyway by the origin check of `server::http`.
    let mut cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}",
        cookie_name(secure)
    );
    if secure {
        cookie.push_str("; Secure");
    }
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.append_header(SET_COOKIE, v);
    }
}

/// The address of the client of the current request, for sign-in throttling ("inconnue" when
/// the request did not come over TCP, as in tests): see `server::http::client`.
pub fn client_address() -> String {
    use crate::server::http::client::ClientAddress;
    let address = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<ClientAddress>().copied());
    ClientAddress::label(address)
}
