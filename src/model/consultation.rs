use crate::domain::calendar::{Date, Phase, SourcingSettings};
use crate::domain::criteria::Criterion;
use serde::{Deserialize, Serialize};

/// Open sourcing is announced publicly; restricted sourcing involves invited companies only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SourcingMode {
    Open,
    Restricted,
}

impl SourcingMode {
    pub const ALL: [SourcingMode; 2] = [SourcingMode::Open, SourcingMode::Restricted];

    pub fn as_str(self) -> &'static str {
        match self {
            SourcingMode::Open => "open",
            SourcingMode::Restricted => "restricted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            SourcingMode::Open => "Sourcing ouvert",
            SourcingMode::Restricted => "Sourcing restreint",
        }
    }
}

/// Where a consultation stands in its life cycle (ordered along it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ConsultationStatus {
    Draft,
    Announced,
    CallForParticipation,
    Exchanges,
    Drafting,
    InReview,
    Approved,
    Closed,
}

impl ConsultationStatus {
    pub const ALL: [ConsultationStatus; 8] = [
        ConsultationStatus::Draft,
        ConsultationStatus::Announced,
        ConsultationStatus::CallForParticipation,
        ConsultationStatus::Exchanges,
        ConsultationStatus::Drafting,
        ConsultationStatus::InReview,
        ConsultationStatus::Approved,
        ConsultationStatus::Closed,
    ];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsultationStatus::Draft => "draft",
            ConsultationStatus::Announced => "announced",
            ConsultationStatus::CallForParticipation => "call_for_participation",
            ConsultationStatus::Exchanges => "exchanges",
            ConsultationStatus::Drafting => "drafting",
            ConsultationStatus::InReview => "in_review",
            ConsultationStatus::Approved => "approved",
            ConsultationStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            ConsultationStatus::Draft => "Brouillon",
            ConsultationStatus::Announced => "Annoncée",
            ConsultationStatus::CallForParticipation => "Appel à participation",
            ConsultationStatus::Exchanges => "Échanges en cours",
            ConsultationStatus::Drafting => "Rédaction du CCTP final",
            ConsultationStatus::InReview => "En relecture",
            ConsultationStatus::Approved => "Validée",
            ConsultationStatus::Closed => "Clôturée",
        }
    }

    /// The steps a consultation goes through, in order, for a sourcing mode (restricted sourcing
    /// has no call for participation).
    pub fn path(mode: SourcingMode) -> impl Iterator<Item = ConsultationStatus> {
        Self::ALL
            .into_iter()
            .filter(move |s| !(mode == SourcingMode::Restricted && *s == ConsultationStatus::CallForParticipation))
    }

    /// The step after this one, if any.
    pub fn next(self, mode: SourcingMode) -> Option<ConsultationStatus> {
        Self::path(mode).skip_while(|s| *s != self).nth(1)
    }

    /// What the buyer's button says to move a consultation to this step.
    pub fn action_fr(self) -> &'static str {
        match self {
            ConsultationStatus::Draft => "Repasser en brouillon",
            ConsultationStatus::Announced => "Annoncer la consultation",
            ConsultationStatus::CallForParticipation => "Ouvrir l'appel à participation",
            ConsultationStatus::Exchanges => "Ouvrir la phase d'échanges",
            ConsultationStatus::Drafting => "Clore les échanges et rédiger le CCTP final",
            ConsultationStatus::InReview => "Soumettre à la relecture",
            ConsultationStatus::Approved => "Valider le CCTP",
            ConsultationStatus::Closed => "Clôturer la consultation",
        }
    }

    /// Drafts are visible only to their buyer organisation and its reviewers.
    pub fn is_public(self) -> bool {
        self != ConsultationStatus::Draft
    }
}

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restricted_sourcing_skips_the_call_for_participation() {
        use ConsultationStatus::*;
        assert_eq!(Announced.next(SourcingMode::Open), Some(CallForParticipation));
        assert_eq!(Announced.next(SourcingMode::Restricted), Some(Exchanges));
        assert_eq!(Approved.next(SourcingMode::Open), Some(Closed));
        assert_eq!(Closed.next(SourcingMode::Open), None);
        assert_eq!(ConsultationStatus::path(SourcingMode::Restricted).count(), 7);
    }
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
