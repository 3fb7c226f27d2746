//! Server-only code: configuration, database, HTTP stack, demo data.

pub mod auth;
pub mod clock;
pub mod config;
pub mod contributions;
pub mod db;
pub mod demo;
pub mod events;
pub mod http;
pub mod publishing;
pub mod render;
pub mod state;

pub use state::AppState;
