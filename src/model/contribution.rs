//! Contributions as the browser receives them: pseudonymised. Nothing here may identify a
//! company to anyone else (no name, SIRET, user, e-mail or database id of a company or a user).

use super::minutes::MinutesLink;
use crate::domain::anchor::{Reanchored, TextSelector};
use crate::domain::contribution::{ContributionKind, ContributionStatus, CostImpact, Target};
use serde::{Deserialize, Serialize};

/// One contribution, as shown in the version being read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionView {
    pub id: i64,
    /// "Entreprise A": stable inside the consultation.
    pub pseudonym: String,
    /// Made by the caller's own company.
    pub mine: bool,
    /// The version it was made on.
    pub version: i32,
    pub target: Target,
    /// The clause heading or criterion name it was made on.
    pub target_label: String,
    pub selector: Option<TextSelector>,
    /// What became of it in the version being read.
    pub anchor: Reanchored,
    /// The clause text (or criterion) it was made on, sent when it changed since: an outdated
    /// or orphaned contribution shows what it was about.
    pub original_text: Option<String>,
    pub kind: ContributionKind,
    pub justification: String,
    pub cost_impact: CostImpact,
    pub cost_amount_cents: Option<i64>,
    pub proposed_text: String,
    pub status: ContributionStatus,
    pub integrated_version: Option<i32>,
    pub created_at: i64,
    pub updated_at: i64,
    pub withdrawn_at: Option<i64>,
    /// Earlier wordings, oldest first.
    pub revisions: Vec<RevisionView>,
    pub replies: Vec<ReplyView>,
}

/// What a contribution said before an edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub kind: ContributionKind,
    pub justification: String,
    pub cost_impact: CostImpact,
    pub cost_amount_cents: Option<i64>,
    pub proposed_text: String,
    pub written_at: i64,
}

/// A message of a contribution's thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyView {
    pub from_buyer: bool,
    /// "L'acheteur" or the company's pseudonym.
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

/// What the caller may do with contributions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributorRole {
    /// A buyer of the consultation: answers and sets statuses.
    Buyer,
    /// A company taking part, under this pseudonym.
    Participant { pseudonym: String },
    /// A company that may take part and has not registered yet.
    MayParticipate,
    /// Reads only (reviewers, visitors, companies not invited).
    Reader,
}

/// The contributions of a consultation as seen in one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionBoard {
    pub consultation_id: i64,
    pub version: i32,
    /// The latest published version: a page on an older one offers it (live).
    pub latest_version: Option<i32>,
    pub role: ContributorRole,
    /// Whether contributions are accepted today (the exchange phase is open).
    pub exchanges_open: bool,
    /// A French sentence on when contributions are accepted, for the others.
    pub exchanges_note: String,
    /// Why the caller does not read the contributions (then empty): a visitor, a company that
    /// has not joined.
    pub hidden: Option<String>,
    pub contributions: Vec<ContributionView>,
    /// Published minutes of oral exchanges, for the margins of the clauses they discuss (empty
    /// when `hidden`).
    pub minutes: Vec<MinutesLink>,
}
