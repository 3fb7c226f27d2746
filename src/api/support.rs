//! What every server function needs on the server side.

use crate::error::AppError;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Logs an internal cause with its context and returns the generic error, whose message never
/// contains SQL or other internals.
pub fn internal(context: &str, cause: impl std::fmt::Display) -> AppError {
    tracing::error!(%cause, "{context}");
    AppError::Internal
}

/// Sets the HTTP status of the response from the error, so that API clients and tests see 403,
/// 404… instead of a blanket 500. Returns the error for `?`/`map_err` chains.
pub fn with_status(error: AppError) -> AppError {
    if let Some(response) = use_context::<ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    error
}
