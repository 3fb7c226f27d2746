//! The open-data page's figures (see `server::open_data`); the files themselves are plain routes
//! under `/donnees/`.

use crate::error::AppError;
use crate::model::OpenDataCatalogue;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::open_data};

/// The datasets with their number of rows, the releases and the date of the latest change:
/// public, like the files.
#[server(endpoint = "donnees/catalogue")]
pub async fn get_open_data_catalogue() -> Result<OpenDataCatalogue, AppError> {
    let (state, _) = caller().await?;
    open_data::catalogue(&state).await
}
