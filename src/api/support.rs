//! What every server function needs on the server side.

use crate::error::AppError;
use crate::server::auth::{self, Actor};
use crate::server::AppState;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// The state and the caller of the current request: the first line of every server function.
pub async fn caller() -> Result<(AppState, Actor), AppError> {
    let state = AppState::current().map_err(with_status)?;
    let actor = auth::current_actor(&state).await.map_err(with_status)?;
    Ok((state, actor))
}

/// Logs an internal cause with its context and returns the generic error (HTTP 500), whose
/// message never contains SQL or other internals.
pub fn internal(context: &str, cause: impl std::fmt::Display) -> AppError {
    tracing::error!(%cause, "{context}");
    with_status(AppError::Internal)
}

/// Sets the HTTP status of the response from the error, so that API clients and tests see 403,
/// 404… instead of a blanket 500. Returns the error for `?`/`map_err` chains.
///
/// Not for a plain HTML form post (JavaScript off): leptos answers it with a redirect back to the
/// form, the error in the URL, and a status set here would replace that redirect.
pub fn with_status(error: AppError) -> AppError {
    let form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if form_post {
        return error;
    }
    if let Some(response) = use_context::<ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    error
}

/// `authorize`, with the HTTP status of a refusal set.
pub fn authorize(actor: &Actor, permission: auth::Permission<'_>) -> Result<(), AppError> {
    auth::authorize(actor, permission).map_err(with_status)
}
