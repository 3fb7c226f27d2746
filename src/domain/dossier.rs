//! The equal-treatment dossier (« Dossier de sourcing », seed 000): what its two editions are,
//! and the redaction of business secrets out of the public one.

use crate::domain::enums::stored_enum;

stored_enum! {
    /// Who a dossier is for.
    pub enum DossierEdition {
        /// Anyone, once the buyer published it: pseudonyms only, redacted passages hidden.
        Public = "public",
        /// The buyer's organisation and its reviewers: the identity register (once unsealed)
        /// and the redacted passages.
        Internal = "internal",
    }
}

impl DossierEdition {
    pub fn label_fr(self) -> &'static str {
        match self {
            DossierEdition::Public => "Édition publique",
            DossierEdition::Internal => "Édition interne",
        }
    }
}

/// What replaces a redacted passage in the public edition.
pub const REDACTED: &str = "[passage occulté]";
/// Shortest and longest passage one may redact.
pub const MIN_PASSAGE_CHARS: usize = 3;
pub const MAX_PASSAGE_CHARS: usize = 2_000;

/// Checks a passage to redact: it must be words of the contribution, as written.
pub fn check_passage(passage: &str, texts: &[&str]) -> Result<String, String> {
    let passage = passage.trim();
    let len = passage.chars().count();
    if len < MIN_PASSAGE_CHARS {
        return Err(format!(
            "Copiez le passage à occulter tel qu'il est écrit dans la contribution ({MIN_PASSAGE_CHARS} caractères au moins)."
        ));
    }
    if len > MAX_PASSAGE_CHARS {
        return Err(format!(
            "Le passage est trop long ({len} caractères) : {MAX_PASSAGE_CHARS} au plus."
        ));
    }
    if !texts.iter().any(|t| t.contains(passage)) {
        return Err("Ce passage ne figure pas dans la contribution : copiez-le exactement tel qu'il est écrit.".into());
    }
    Ok(passage.to_owned())
}

/// The text with every occurrence of every passage replaced by [`REDACTED`] (longest passages
/// first, so that a passage inside another one leaves nothing behind).
pub fn redact(text: &str, passages: &[String]) -> String {
    let mut sorted: Vec<&String> = passages.iter().filter(|p| !p.is_empty()).collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut out = text.to_owned();
    for passage in sorted {
        if out.contains(passage.as_str()) {
            out = out.replace(passage.as_str(), REDACTED);
        }
    }
    out
}

/// The text cut into pieces, each marked when it is a redacted passage (for the internal
/// edition, which shows what the public one hides).
pub fn mark_redacted(text: &str, passages: &[String]) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        // The earliest passage found in the rest, the longest one when two start together.
        let next = passages
            .iter()
            .filter(|p| !p.is_empty())
            .filter_map(|p| rest.find(p.as_str()).map(|at| (at, std::cmp::Reverse(p.len()), p)))
            .min();
        let Some((at, _, passage)) = next else {
            break;
        };
        if at > 0 {
            pieces.push((rest[..at].to_owned(), false));
        }
        pieces.push((passage.clone(), true));
        rest = &rest[at + passage.len()..];
    }
    if !rest.is_empty() {
        pieces.push((rest.to_owned(), false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_replaced_everywhere_and_nested_ones_leave_nothing() {
        let text = "Notre prix unitaire de 12,40 € HT (remise Dupont) ; prix unitaire de 12,40 € HT.";
        let out = redact(text, &["12,40 €".into(), "prix unitaire de 12,40 € HT".into()]);
        assert_eq!(out, "Notre [passage occulté] (remise Dupont) ; [passage occulté].");
        assert_eq!(redact("rien", &[]), "rien");
    }

    #[test]
    fn the_internal_edition_marks_what_the_public_one_hides() {
        let pieces = mark_redacted("un prix de 12 € et un délai", &["12 €".into()]);
        assert_eq!(
            pieces,
            vec![
                ("un prix de ".into(), false),
                ("12 €".into(), true),
                (" et un délai".into(), false)
            ]
        );
        assert_eq!(mark_redacted("rien", &[]), vec![("rien".into(), false)]);
    }

    #[test]
    fn a_passage_must_be_words_of_the_contribution() {
        assert!(check_passage("ab", &["abc"]).is_err());
        assert!(check_passage("absent", &["le texte"])
            .unwrap_err()
            .contains("ne figure pas"));
        assert_eq!(check_passage(" le texte ", &["voici le texte"]), Ok("le texte".into()));
    }
}
