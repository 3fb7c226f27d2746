//! Searching French text by words: case and accents ignored, a word of the query matches the
//! start of a word of the text (« espace vert » finds « espaces verts »).

/// Lowercase, without accents, every run of other characters one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            'œ' => {
                out.push('o');
                'e'
            }
            'æ' => {
                out.push('a');
                'e'
            }
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// Whether every word of `query` (folded) starts a word of `folded_text` (already folded).
pub fn matches_words(folded_text: &str, query: &str) -> bool {
    let words: Vec<&str> = folded_text.split(' ').collect();
    fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|q| words.iter().any(|w| w.starts_with(q)))
}

#[cfg(test)]
mod tests {
    use super::{fold, matches_words};

    #[test]
    fn accents_case_and_plurals_are_ignored() {
        assert_eq!(
            fold("Entretien des Espaces VERTS — Élagage, œuvre"),
            "entretien des espaces verts elagage oeuvre"
        );
        let text = fold("Entretien des espaces verts");
        assert!(matches_words(&text, "espace vert"));
        assert!(matches_words(&text, "ESPACES  Verts"));
        assert!(!matches_words(&text, "espace bleu"));
        assert!(matches_words(&text, ""), "no words: everything matches");
        assert!(matches_words(&fold("Propreté Meldoise"), "proprete"));
    }
}
