//! Server functions: the public HTTP API of the product, under `/api/`.
//!
//! Each one is thin: find the caller, ask `server::auth::authorize`, validate the input, call
//! the database and the domain, map errors to [`AppError`](crate::error::AppError). Endpoints are
//! named explicitly so that their URLs do not depend on the build (leptos otherwise hashes the
//! source path). Every endpoint has rows in `tests/authorization_matrix.rs`.

pub mod account;
pub mod admin;
pub mod calendar;
pub mod consultations;
pub mod contributions;
pub mod drafting;

#[cfg(feature = "ssr")]
pub(crate) mod support;
