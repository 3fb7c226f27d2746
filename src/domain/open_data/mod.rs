//! Open data of consultations (seed 004, the SCOPE white paper): what may be published, as OCDS
//! 1.1.5 releases, packages and records (`ocds`), and as CSV files described by Table Schema
//! descriptors (`tables`). Pure: the server gathers the facts (`OpenConsultation`), this module
//! shapes them, so that the rules of publication live in one place and are unit-tested.

pub mod ocds;
pub mod tables;

use crate::domain::calendar::Phase;
use crate::domain::consultation::{ConsultationStatus, SourcingMode};

/// The licence of every dataset.
pub const LICENCE_NAME: &str = "Licence Ouverte / Open Licence version 2.0";
pub const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/// Whether a consultation is published at all: never a draft, and a restricted consultation only
/// once its public dossier is published (before that, only invited companies may read it).
pub fn publishable(status: ConsultationStatus, mode: SourcingMode, dossier_published: bool) -> bool {
    status != ConsultationStatus::Draft && (mode == SourcingMode::Open || dossier_published)
}

/// Everything open data says about one consultation, gathered by the server from what is
/// already public. Companies appear by their pseudonym only; redacted passages are already
/// replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenConsultation {
    pub id: i64,
    pub ocid: String,
    /// Absolute address of its page.
    pub url: String,
    pub title: String,
    pub object: String,
    pub buyer: OpenBuyer,
    pub cpv_codes: Vec<String>,
    pub departements: Vec<String>,
    pub mode: SourcingMode,
    /// Its status today.
    pub status: ConsultationStatus,
    /// When it left the draft (its announcement).
    pub announced_at: i64,
    /// When the call for participation opened, if it did.
    pub call_opened_at: Option<i64>,
    /// When it was handed over to the tender, if it was.
    pub closed_at: Option<i64>,
    pub phases: Vec<Phase>,
    pub expected_tender: Option<String>,
    /// Oldest first.
    pub versions: Vec<OpenVersion>,
    pub dossier: Option<OpenDossier>,
    /// Empty unless the public dossier is published.
    pub contributions: Vec<OpenContribution>,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OpenBuyer {
    pub id: i64,
    pub name: String,
    pub siret: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OpenVersion {
    pub number: i32,
    pub published_at: i64,
    /// The buyer's message to the companies.
    pub changelog: String,
    /// What changed since the version before, in words (empty for the first).
    pub changes: String,
    pub text_sha256: String,
    /// Absolute address of the version's page.
    pub url: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OpenDossier {
    pub published_at: i64,
    /// Absolute address of the public edition's PDF.
    pub url: String,
}

/// A contribution as the public dossier shows it (pseudonym, redacted passages replaced), with
/// the buyer's answers. Labels are the French ones of the pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenContribution {
    pub id: i64,
    pub created_at: i64,
    pub withdrawn_at: Option<i64>,
    pub pseudonym: String,
    /// The version it was made on.
    pub version: i32,
    /// « Clause » or « Critère ».
    pub target_kind: String,
    pub target_id: String,
    pub target_label: String,
    /// « Question », « Solution »…
    pub kind: String,
    pub justification: String,
    pub proposed_text: String,
    pub cost_impact: String,
    pub cost_amount_cents: Option<i64>,
    pub status: String,
    pub integrated_version: Option<i32>,
    /// The buyer's answers, oldest first, with their dates.
    pub answers: Vec<(i64, String)>,
}

/// A need announced by a buyer (« Besoins à venir »), as its public page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenNeed {
    pub id: i64,
    pub buyer: OpenBuyer,
    pub title: String,
    pub summary: String,
    pub cpv_codes: Vec<String>,
    pub departements: Vec<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub tender_year: i64,
    pub tender_quarter: i64,
    /// The ocid of the consultation it became, when published.
    pub consultation_ocid: Option<String>,
    pub published_at: i64,
    pub updated_at: i64,
    /// Absolute address of its page.
    pub url: String,
}

impl OpenConsultation {
    /// The latest moment anything published about it changed.
    pub fn last_change(&self) -> i64 {
        let mut last = self.updated_at.max(self.announced_at);
        last = self.versions.iter().map(|v| v.published_at).fold(last, i64::max);
        if let Some(d) = &self.dossier {
            last = last.max(d.published_at);
        }
        last
    }
}

/// The ocid of a consultation: the registered prefix, then its id.
pub fn ocid(prefix: &str, consultation_id: i64) -> String {
    format!("{prefix}-{consultation_id}")
}

/// The consultation id of an ocid with this prefix (`None` for anything else).
pub fn consultation_of_ocid(prefix: &str, ocid: &str) -> Option<i64> {
    let id = ocid.strip_prefix(prefix)?.strip_prefix('-')?;
    if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_and_restricted_consultations_before_their_dossier_are_never_published() {
        use ConsultationStatus as S;
        assert!(!publishable(S::Draft, SourcingMode::Open, false));
        assert!(!publishable(S::Draft, SourcingMode::Restricted, true));
        assert!(publishable(S::Announced, SourcingMode::Open, false));
        assert!(!publishable(S::Exchanges, SourcingMode::Restricted, false));
        assert!(publishable(S::Drafting, SourcingMode::Restricted, true));
    }

    #[test]
    fn an_ocid_gives_back_its_consultation_and_nothing_else() {
        let prefix = "ocds-test00";
        assert_eq!(ocid(prefix, 42), "ocds-test00-42");
        assert_eq!(consultation_of_ocid(prefix, "ocds-test00-42"), Some(42));
        for wrong in [
            "ocds-test00-",
            "ocds-test00-4a",
            "ocds-other-42",
            "ocds-test0042",
            "ocds-test00--1",
        ] {
            assert_eq!(consultation_of_ocid(prefix, wrong), None, "{wrong}");
        }
        assert_eq!(consultation_of_ocid(prefix, "ocds-test00-99999999999999999999"), None);
    }
}
