//! What every handler and server function can reach.

use super::db::Db;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
}

impl AppState {
    /// The state of the current request, inside a server function or a component rendered on
    /// the server. Its absence is a wiring bug, reported as an internal error.
    pub fn current() -> Result<AppState, crate::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the request context");
            crate::error::AppError::Internal
        })
    }
}
