//! The sourcing record as its readers see it: requests for validation with their notes and
//! decisions, the registers of participants and of accesses.

use super::consultation::OutlineEntry;
use crate::domain::record::{AccessKind, ReviewDecision};
use crate::model::ConsultationStatus;
use serde::{Deserialize, Serialize};

/// A request for the validation of a version, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: i64,
    pub version: i32,
    /// SHA-256 of the version's text (its `.md`), taken at the request.
    pub text_sha256: String,
    pub message: String,
    pub requested_by: String,
    pub requested_at: i64,
    pub decision: Option<ReviewDecision>,
    pub decision_message: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub notes: Vec<ReviewNoteView>,
}

/// A reviewer's note on a clause (the buyer's organisation and its reviewers only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewNoteView {
    pub id: i64,
    pub clause_id: String,
    /// "3.2 Délais", or the id when the clause is not in the version.
    pub clause_label: String,
    pub body: String,
    pub author: String,
    pub created_at: i64,
}

/// The review page of a consultation: its requests, newest first, and the outline of the version
/// the pending one is about (the clauses a note can be attached to).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewBoard {
    pub consultation_id: i64,
    pub title: String,
    pub status: ConsultationStatus,
    pub latest_version: Option<i32>,
    pub reviews: Vec<ReviewView>,
    pub outline: Vec<OutlineEntry>,
    /// The caller is a buyer of the consultation and may ask for a validation now.
    pub can_request: bool,
    /// The caller is a reviewer attached to the buyer's organisation.
    pub can_decide: bool,
    /// The latest version is signed off (its number), so it can be handed over to the tender.
    pub signed_off: Option<i32>,
}

/// A request waiting for a reviewer, on the reviewer's home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReview {
    pub consultation_id: i64,
    pub title: String,
    pub version: i32,
    pub message: String,
    pub requested_by: String,
    pub requested_at: i64,
}

/// The registers of a consultation (the buyer's organisation and its reviewers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registers {
    pub consultation_id: i64,
    pub title: String,
    /// Identities are sealed for the caller (a buyer while the exchanges run).
    pub sealed: bool,
    pub participants: Vec<ParticipantEntry>,
    /// Per company, what it read and downloaded.
    pub readers: Vec<ReaderEntry>,
    /// Reads by visitors who were not signed in, per kind.
    pub anonymous: Vec<(AccessKind, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantEntry {
    pub pseudonym: String,
    pub joined_at: i64,
    /// Absent while sealed.
    pub identity: Option<CompanyIdentity>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyIdentity {
    pub name: String,
    pub siret: Option<String>,
    pub contacts: Vec<String>,
}

/// A company in the access register: its pseudonym (or "Lecteur non participant n") and, once
/// unsealed, its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReaderEntry {
    pub label: String,
    pub name: Option<String>,
    pub accesses: Vec<AccessEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub kind: AccessKind,
    pub version: Option<i32>,
    pub detail: String,
    pub at: i64,
}
