//! What every handler and server function can reach.

use super::db::Db;
use super::events::Events;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Live updates to the pages (see `server::events`).
    pub events: Events,
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Public address of the site, for links in mails (e.g. `https://jesaisfaire.example.fr`).
    pub public_url: String,
}

impl AppState {
    /// Must be called inside the Tokio runtime (it may start the notification listener).
    pub fn new(leptos_options: LeptosOptions, db: Db, public_url: &str) -> AppState {
        let public_url = public_url.trim_end_matches('/').to_string();
        AppState {
            leptos_options,
            events: Events::start(&db),
            db,
            secure_cookies: public_url.starts_with("https://"),
            public_url,
        }
    }

    /// The state of the current request, inside a server function or a component rendered on
    /// the server. Its absence is a wiring bug, reported as an internal error.
    pub fn current() -> Result<AppState, crate::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the request context");
            crate::error::AppError::Internal
        })
    }
}
