//! Server functions: the public HTTP API of the product, under `/api/`.
//!
//! Each one is thin: find the caller (`support::caller`), call one service function of
//! `server` (which checks permissions, validates, reads and writes), and for a form post name
//! the page to go to. The HTTP status of an error comes from its kind (`server::http::security`).
//! Endpoints are named explicitly so that their URLs do not depend on the build (leptos
//! otherwise hashes the source path). Every endpoint has rows in `tests/authorization_matrix.rs`.

pub mod account;
pub mod admin;
pub mod calendar;
pub mod consultations;
pub mod contributions;
pub mod dossier;
pub mod drafting;
pub mod invitations;
pub mod minutes;
pub mod needs;
pub mod notifications;
pub mod open_data;
pub mod record;
pub mod registration;

#[cfg(feature = "ssr")]
pub(crate) mod support;
