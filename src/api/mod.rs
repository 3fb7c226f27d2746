//! Server functions: the public HTTP API of the product, under `/api/`.
//!
//! Each one is thin: check who may call it, validate the input, call the database and the
//! domain, map errors to [`AppError`](crate::error::AppError). Endpoints are named explicitly so
//! that their URLs do not depend on the build (leptos otherwise hashes the source path).

pub mod consultations;

#[cfg(feature = "ssr")]
pub(crate) mod support;
