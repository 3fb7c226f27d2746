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

/// Where a consultation stands in its life cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Sanitised HTML, safe to insert as is.
    pub html: String,
}

/// A consultation page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationDetail {
    pub summary: ConsultationSummary,
    pub object: String,
    pub cpv_codes: Vec<String>,
    /// The version shown: the latest, or the one asked for.
    pub current_version: Option<SpecVersionView>,
}

/// A line of a consultation's revision history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub number: i32,
    pub published_at: i64,
    pub changelog: String,
    pub clause_count: u32,
}

/// A consultation's revision history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionHistory {
    pub consultation_id: i64,
    pub title: String,
    pub versions: Vec<VersionSummary>,
}
