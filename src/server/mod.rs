//! Server-only code: configuration, database, HTTP stack, demo data.

pub mod access_register;
pub mod accounts;
pub mod administration;
pub mod agenda;
pub mod auth;
pub mod clock;
pub mod companies;
pub mod config;
pub mod consultations;
pub mod contributions;
pub mod db;
pub mod demo;
pub mod dossier;
pub mod events;
pub mod failure;
pub mod http;
pub mod invitations;
pub mod mail;
pub mod minutes;
pub mod needs;
pub mod notifications;
pub mod open_data;
pub mod open_days;
pub mod pdf;
pub mod planning;
pub mod publishing;
pub mod record;
pub mod registration;
pub mod render;
pub mod sign_off;
pub mod state;
pub mod versions;
/// Word files: import into the editor, versions and comparisons as `.docx`.
pub mod word;

pub use state::AppState;
