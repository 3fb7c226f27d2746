//! The equal-treatment dossier as its readers get it (HTML page; the PDF and the ZIP are made
//! from the same value on the server).

use super::contribution::ContributionView;
use super::minutes::MinutesView;
use super::record::{ParticipantEntry, ReviewView};
use crate::domain::consultation::{ConsultationStatus, SourcingMode};
use crate::domain::dossier::DossierEdition;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub consultation_id: i64,
    pub edition: DossierEdition,
    pub title: String,
    pub buyer_name: String,
    pub object: String,
    pub cpv_codes: Vec<String>,
    pub departements: Vec<String>,
    pub mode: SourcingMode,
    pub status: ConsultationStatus,
    /// The phases of the sourcing calendar ("Échanges", ISO start and end).
    pub phases: Vec<DossierPhase>,
    /// The rules of seed 000 the calendar breaks, as sentences (empty: all met). None without
    /// a calendar.
    pub rule_breaches: Option<Vec<String>>,
    pub participants: Vec<ParticipantEntry>,
    /// Oldest first.
    pub versions: Vec<DossierVersion>,
    /// Contributions grouped by the clause or criterion they were made on, in the order of the
    /// latest version (then removed ones).
    pub targets: Vec<DossierTarget>,
    /// Published minutes, oldest meeting first.
    pub minutes: Vec<MinutesView>,
    /// Requests for validation and decisions (reviewers' notes in the internal edition only).
    pub reviews: Vec<ReviewView>,
    /// The redacted passages (internal edition only).
    pub redactions: Vec<RedactionView>,
    /// When the buyer published the public edition.
    pub published_at: Option<i64>,
    pub generated_at: i64,
    /// The caller may publish the public edition now.
    pub can_publish: bool,
    /// The caller reads the internal edition (the buyer's organisation, its reviewers).
    pub reads_internal: bool,
    /// The caller may redact passages (a buyer of the consultation).
    pub can_redact: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierPhase {
    pub label: String,
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierVersion {
    pub number: i32,
    pub published_at: i64,
    pub changelog: String,
    pub text_sha256: String,
    /// "3 clauses modifiées, 1 ajoutée" from the previous version (empty for the first).
    pub changes: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierTarget {
    pub label: String,
    pub contributions: Vec<ContributionView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactionView {
    pub id: i64,
    pub contribution_id: i64,
    pub pseudonym: String,
    pub passage: String,
    pub reason: String,
    /// Asked by the company that wrote the contribution (else decided by the buyer).
    pub by_company: bool,
    pub created_at: i64,
}
