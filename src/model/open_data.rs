//! What the open-data page shows.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDataCatalogue {
    /// Unix seconds of the latest change published.
    pub last_modified: i64,
    pub ocid_prefix: String,
    /// The site's public address, for the examples.
    pub base_url: String,
    /// Consultations published, and their OCDS releases.
    pub consultations: u32,
    pub releases: u32,
    pub datasets: Vec<OpenDataset>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDataset {
    /// `/donnees/{name}.csv`, `/donnees/{name}.schema.json`.
    pub name: String,
    pub title: String,
    pub description: String,
    pub rows: u32,
    /// Column names and titles.
    pub columns: Vec<(String, String)>,
}
