//! Internal failures (database, task, file): logged with their context, answered with the generic
//! error, whose message never contains SQL or other internals. The HTTP status of every error a
//! server function returns is set in one place, from its kind (`server::http::security`).

use crate::error::AppError;

pub trait OrInternal<T> {
    /// `query.await.or_internal("reading a version")?`
    fn or_internal(self, context: &str) -> Result<T, AppError>;
}

impl<T, E: std::fmt::Display> OrInternal<T> for Result<T, E> {
    fn or_internal(self, context: &str) -> Result<T, AppError> {
        self.map_err(|cause| internal(context, cause))
    }
}

/// The generic error, its cause logged with its context.
pub fn internal(context: &str, cause: impl std::fmt::Display) -> AppError {
    tracing::error!(%cause, "{context}");
    AppError::Internal
}
