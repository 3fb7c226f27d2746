//! Minutes of oral exchanges as their readers see them: companies by pseudonym only.

use super::consultation::OutlineEntry;
use crate::domain::minutes::MeetingMode;
use serde::{Deserialize, Serialize};

/// One wording of a set of minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesRevisionView {
    /// 1 for the first wording, then one more per correction.
    pub revision: i32,
    pub held_at: i64,
    pub duration_minutes: u32,
    pub mode: MeetingMode,
    /// Pseudonyms ("Entreprise B").
    pub companies: Vec<String>,
    pub agents: String,
    /// Markdown, as written (the buyer's form starts from it).
    pub body: String,
    /// The body rendered and sanitised by the server.
    pub body_html: String,
    pub clauses: Vec<LinkedClause>,
    /// Why this wording corrects the previous one (empty for the first).
    pub reason: String,
    pub written_at: i64,
    /// None: a draft, seen by the buyer's organisation only.
    pub published_at: Option<i64>,
}

/// A clause or criterion the minutes are about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedClause {
    pub clause_id: String,
    /// "3.2 Astreinte", or a note when the latest version no longer has it.
    pub label: String,
    /// Still in the latest version (a link to it makes sense).
    pub present: bool,
}

/// A set of minutes: what the participants read, and for the buyer the draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesView {
    pub id: i64,
    /// The latest published wording.
    pub published: Option<MinutesRevisionView>,
    /// The wording being written (buyer's organisation only).
    pub draft: Option<MinutesRevisionView>,
    /// Earlier published wordings, newest first.
    pub earlier: Vec<MinutesRevisionView>,
    /// Three business days have passed since the meeting and nothing is published.
    pub overdue: bool,
}

/// The « Comptes rendus » page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesBoard {
    pub consultation_id: i64,
    pub title: String,
    /// A buyer of the consultation: records, corrects and publishes.
    pub can_write: bool,
    /// Pseudonyms of the participating companies (the form's choices).
    pub participants: Vec<String>,
    /// Clauses of the latest version (the form's choices).
    pub outline: Vec<OutlineEntry>,
    /// Newest meeting first.
    pub minutes: Vec<MinutesView>,
}

/// Published minutes as the margin of a clause shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesLink {
    pub id: i64,
    pub revision: i32,
    pub held_at: i64,
    pub mode: MeetingMode,
    pub companies: Vec<String>,
    pub clause_ids: Vec<String>,
}
