use crate::domain::calendar::{Date, Phase, SourcingSettings};
use crate::domain::criteria::Criterion;
use crate::domain::record::ReviewDecision;
use serde::{Deserialize, Serialize};

pub use crate::domain::consultation::{ConsultationStatus, SourcingMode};

/// Most clauses one call unfolds (`consultations/clauses`): a page asks for the rest as the
/// reader goes on.
pub const MAX_UNFOLDED_CLAUSES: usize = 100;

/// Dates that matter to someone scanning the list: when they can contribute, when the tender comes.
/// Dates are ISO `YYYY-MM-DD` strings, in Europe/Paris.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDates {
    pub exchanges_start: Option<String>,
    pub exchanges_end: Option<String>,
    pub expected_tender: Option<String>,
}

/// A line of the consultation list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationSummary {
    pub id: i64,
    pub title: String,
    pub buyer_name: String,
    pub status: ConsultationStatus,
    pub mode: SourcingMode,
    pub departements: Vec<String>,
    pub dates: KeyDates,
    /// Number of the latest published version, if any.
    pub latest_version: Option<i32>,
}

/// An entry of a specification's outline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineEntry {
    pub clause_id: String,
    pub number: Option<String>,
    pub title: String,
    pub level: u8,
}

/// A published version of the specification, rendered for reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecVersionView {
    pub number: i32,
    pub published_at: i64,
    pub changelog: String,
    pub outline: Vec<OutlineEntry>,
    /// The text in parts (preamble, then one per clause), sanitised HTML safe to insert as is.
    pub parts: Vec<crate::domain::markdown::RenderedPart>,
    pub criteria: Vec<Criterion>,
    pub author: Option<String>,
}

impl SpecVersionView {
    /// The whole text as one piece of HTML.
    pub fn html(&self) -> String {
        self.parts.iter().map(|p| p.html.as_str()).collect()
    }
}

/// A consultation page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationDetail {
    pub summary: ConsultationSummary,
    pub object: String,
    pub cpv_codes: Vec<String>,
    /// The version shown: the latest, or the one asked for.
    pub current_version: Option<SpecVersionView>,
    /// Whether the caller belongs to the buyer organisation and may write the next version.
    pub can_edit: bool,
    /// Whether the caller reads the review and the registers (the buyer's organisation and its
    /// reviewers).
    pub reads_record: bool,
    /// For the buyer: meetings (their instants) whose minutes are still unpublished three
    /// business days later.
    pub minutes_overdue: Vec<i64>,
    /// When the buyer published the public edition of the dossier (then anyone downloads it).
    pub dossier_published_at: Option<i64>,
    pub calendar: Option<ConsultationCalendar>,
    /// The server's date of today in Europe/Paris, for the "today" marker of timelines.
    pub today: Date,
}

/// A consultation's sourcing calendar as planned by the buyer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationCalendar {
    pub settings: SourcingSettings,
    pub phases: Vec<Phase>,
}

/// The editor's starting point: the working draft and the version it continues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub consultation_id: i64,
    pub title: String,
    pub status: ConsultationStatus,
    pub markdown: String,
    pub criteria: Vec<Criterion>,
    pub changelog: String,
    /// Revision of the saved draft (0: never saved); the next save sends it back.
    pub revision: i64,
    pub saved_at: Option<i64>,
    pub saved_by: Option<String>,
    /// The latest published version, which the next publication replaces.
    pub latest_version: Option<i32>,
    /// Its text and clause ids, for the live diff of the editor.
    pub published_markdown: Option<String>,
    pub published_clause_ids: Vec<String>,
    /// Its criteria: a publication identical to it is refused (the editor says so first).
    #[serde(default)]
    pub published_criteria: Vec<Criterion>,
}

/// A draft input from the editor: autosave and publication send the same thing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftInput {
    pub markdown: String,
    pub criteria: Vec<Criterion>,
    pub changelog: String,
}

/// The answer to a publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionPublished {
    pub number: i32,
    /// The draft now continues the new version, at this revision.
    pub draft_revision: i64,
    pub saved_at: i64,
    /// Set when the publication extended the exchange phase (French sentence).
    pub calendar_notice: Option<String>,
}

/// A supplier's retro-plannings, and today's date by the server's clock (the timelines mark it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetroPlans {
    pub today: Date,
    pub plans: Vec<RetroPlanView>,
}

/// A supplier's retro-planning towards a tender (day J), with the ticked tasks and notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetroPlanView {
    pub id: i64,
    pub title: String,
    pub submission: Date,
    pub tasks: Vec<RetroTaskState>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetroTaskState {
    pub key: String,
    pub done: bool,
    pub note: String,
}

/// The answer to an autosave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSaved {
    pub revision: i64,
    pub saved_at: i64,
}

/// A line of a consultation's revision history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub number: i32,
    pub published_at: i64,
    pub changelog: String,
    pub clause_count: u32,
    pub criteria_count: u32,
    /// Name of the buyer who published it (unknown for demo and older versions).
    pub author: Option<String>,
}

/// A consultation's revision history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionHistory {
    pub consultation_id: i64,
    pub title: String,
    pub versions: Vec<VersionSummary>,
    /// Requests for validation and decisions, newest first.
    pub reviews: Vec<ReviewBadge>,
}

/// Two versions compared, clause by clause (unchanged clauses carry no text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionComparison {
    pub consultation_id: i64,
    pub title: String,
    /// Every published version number, newest first, for the pickers.
    pub versions: Vec<i32>,
    pub from: i32,
    pub to: i32,
    pub diff: crate::domain::diff::SpecDiff,
}

/// What the public and the companies see of the reviews in the history: the decisions only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewBadge {
    pub version: i32,
    pub decision: Option<ReviewDecision>,
    pub at: i64,
}

/// What waits for a person on their home page (`api::consultations::my_to_do`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToDo {
    /// Buyers: the contributions not answered yet, per consultation of their organisation.
    pub to_answer: Vec<ToDoCount>,
    /// Phases ending within [`ToDo::HORIZON_DAYS`]: of the buyer's consultations, or of those a
    /// company takes part in (until the end of the exchanges: the drafting is the buyer's).
    pub deadlines: Vec<ToDoDeadline>,
    /// Companies: the buyer's answers to their contributions in the last [`ToDo::ANSWERS_DAYS`].
    pub answers: Vec<ToDoCount>,
}

impl ToDo {
    pub const HORIZON_DAYS: i32 = 14;
    pub const ANSWERS_DAYS: i64 = 30;
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToDoCount {
    pub consultation_id: i64,
    pub title: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToDoDeadline {
    pub consultation_id: i64,
    pub title: String,
    pub phase: crate::domain::calendar::PhaseKind,
    pub ends: crate::domain::calendar::Date,
}

/// A Word or OpenDocument file read for the editor: its text as Markdown, and what it could not
/// carry (French sentences for the buyer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordImport {
    pub markdown: String,
    pub losses: Vec<String>,
}
