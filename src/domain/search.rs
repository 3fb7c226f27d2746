//! Searching French text by words: case and accents ignored, plural and singular alike
//! (« espace vert » finds « Entretien des espaces verts »).
//!
//! Full-text search (the catalogue of needs, the directory) is the same on SQLite (FTS5) and
//! PostgreSQL (text search) because the language work is done here, once: a text is indexed as
//! its terms — words lowercased and without accents, common words left out, then stemmed
//! (Snowball French, the stemmer of PostgreSQL's own `french` configuration) — and a query is turned into the
//! same terms, each matched as a prefix. Both databases then only compare ASCII words separated
//! by spaces, which their tokenizers (`unicode61`, `simple`) cannot split differently.

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

/// Words too common to search by (« entretien des espaces » is searched as « entretien espaces »).
#[cfg(feature = "ssr")]
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "c", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le", "les",
    "leur", "leurs", "n", "ou", "par", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "un", "une",
];

/// Query words kept at most: more narrows nothing and costs the database.
#[cfg(feature = "ssr")]
pub const MAX_QUERY_TERMS: usize = 12;

/// The terms of a text, in order: what is indexed, and what a query looks for.
#[cfg(feature = "ssr")]
pub fn terms(text: &str) -> Vec<String> {
    use rust_stemmers::{Algorithm, Stemmer};
    let stemmer = Stemmer::create(Algorithm::French);
    // Folded before stemming: a word typed without its accents (« differenciee ») must give the
    // same term as the word written with them (« différenciée »).
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(|w| stemmer.stem(w).into_owned())
        .collect()
}

/// A text as stored for full-text search (its terms separated by spaces).
#[cfg(feature = "ssr")]
pub fn index_text(text: &str) -> String {
    terms(text).join(" ")
}

/// What a person typed in a search box, as terms each matched as the start of an indexed term.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextQuery(Vec<String>);

#[cfg(feature = "ssr")]
impl TextQuery {
    pub fn parse(typed: &str) -> TextQuery {
        let mut terms = terms(typed);
        terms.dedup();
        terms.truncate(MAX_QUERY_TERMS);
        TextQuery(terms)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// For SQLite's `match`: every term, as a prefix (terms are ASCII letters and digits).
    pub fn fts5(&self) -> String {
        self.0.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ")
    }

    /// For PostgreSQL's `to_tsquery('simple', …)`: every term, as a prefix.
    pub fn tsquery(&self) -> String {
        self.0.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & ")
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[cfg(feature = "ssr")]
    #[test]
    fn terms_are_stemmed_folded_and_common_words_dropped() {
        use super::{index_text, TextQuery};
        assert_eq!(
            index_text("Entretien des Espaces VERTS"),
            index_text("entretien espace vert")
        );
        assert_eq!(index_text("l'éclairage public"), index_text("Éclairages publics"));
        assert!(index_text("Élagage des œuvres").is_ascii());
        assert_eq!(index_text("gestion différenciée"), index_text("GESTION differenciee"));
        let query = TextQuery::parse("Espace vert, l'entretien");
        assert_eq!(query.fts5(), "\"espac\"* \"vert\"* \"entretien\"*");
        assert_eq!(query.tsquery(), "espac:* & vert:* & entretien:*");
        assert!(TextQuery::parse(" des -- ").is_empty());
        assert_eq!(
            TextQuery::parse(&"mot ".repeat(100)).0.len(),
            1,
            "repeated words count once"
        );
    }

    #[test]
    fn accents_and_case_are_folded() {
        assert_eq!(
            fold("Entretien des Espaces VERTS — Élagage, œuvre"),
            "entretien des espaces verts elagage oeuvre"
        );
    }
}
