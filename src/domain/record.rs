//! The sourcing record (seed 000, seed 001): the review of a version by the regional platform's
//! buyers (PFRA) and its sign-off, and what the access register records. The checks of the
//! review forms run the same in the browser and on the server.

use crate::domain::enums::stored_enum;

stored_enum! {
    /// What a reviewer decided on a request for validation.
    pub enum ReviewDecision {
        Approved = "approved",
        ChangesRequested = "changes_requested",
        /// A newer version was published before a decision: the request no longer applies.
        Superseded = "superseded",
    }
}

impl ReviewDecision {
    pub fn label_fr(self) -> &'static str {
        match self {
            ReviewDecision::Approved => "Validée",
            ReviewDecision::ChangesRequested => "Modifications demandées",
            ReviewDecision::Superseded => "Remplacée par une version plus récente",
        }
    }
}

stored_enum! {
    /// What a signed-in company read or downloaded, as the access register records it.
    pub enum AccessKind {
        Version = "version",
        Comparison = "comparison",
        Markdown = "markdown",
        Calendar = "calendar",
        ContributionsCsv = "contributions_csv",
        Minutes = "minutes",
        Dossier = "dossier",
    }
}

impl AccessKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            AccessKind::Version => "Lecture d'une version",
            AccessKind::Comparison => "Comparaison de versions",
            AccessKind::Markdown => "Téléchargement d'une version",
            AccessKind::Calendar => "Téléchargement du calendrier (.ics)",
            AccessKind::ContributionsCsv => "Export des contributions (CSV)",
            AccessKind::Minutes => "Lecture des comptes rendus",
            AccessKind::Dossier => "Téléchargement du dossier de sourcing",
        }
    }
}

/// Longest message of a request or a decision, and of a review note.
pub const MAX_REVIEW_CHARS: usize = 4_000;

/// The buyer's message with a request for validation: what to look at.
pub fn check_request_message(message: &str) -> Result<String, String> {
    let message = message.trim();
    if message.is_empty() {
        return Err("Écrivez un message au relecteur : ce qui a changé, ce qu'il doit regarder en priorité.".into());
    }
    check_length(message, "Le message")
}

/// The reviewer's message with a decision: required when changes are requested (the buyer must
/// know which), optional with a validation.
pub fn check_decision_message(decision: ReviewDecision, message: &str) -> Result<String, String> {
    let message = message.trim();
    if message.is_empty() && decision == ReviewDecision::ChangesRequested {
        return Err("Indiquez à l'acheteur les modifications que vous demandez.".into());
    }
    check_length(message, "Le message")
}

/// A review note on a clause.
pub fn check_review_note(body: &str) -> Result<String, String> {
    let body = body.trim();
    if body.is_empty() {
        return Err("Écrivez la remarque avant de l'enregistrer.".into());
    }
    check_length(body, "La remarque")
}

fn check_length(text: &str, what: &str) -> Result<String, String> {
    let len = text.chars().count();
    if len > MAX_REVIEW_CHARS {
        return Err(format!(
            "{what} est trop long ({len} caractères) : {MAX_REVIEW_CHARS} au plus."
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_need_a_message_a_validation_does_not() {
        assert!(check_decision_message(ReviewDecision::ChangesRequested, "  ").is_err());
        assert_eq!(
            check_decision_message(ReviewDecision::Approved, "  "),
            Ok(String::new())
        );
        assert_eq!(
            check_decision_message(ReviewDecision::ChangesRequested, " Article 3 : préciser. "),
            Ok("Article 3 : préciser.".into())
        );
    }

    #[test]
    fn messages_and_notes_are_bounded() {
        let long = "é".repeat(MAX_REVIEW_CHARS + 1);
        assert!(check_request_message(&long).unwrap_err().contains("4000"));
        assert!(check_review_note(&long).is_err());
        assert!(check_review_note(&"é".repeat(MAX_REVIEW_CHARS)).is_ok());
        assert!(check_request_message("").is_err());
    }
}
