//! Numbers and titles of headings (`Article 6-1`, `3.2. Maintenance`), slugs and the
//! normalisation headings are compared with.

#[allow(unused_imports)]
use super::*;

/// Words that may introduce a number: `Article 6-1`, `Chapitre II`, `Annexe A`.
pub(super) const KEYWORDS: [&str; 8] = [
    "article", "art.", "chapitre", "section", "annexe", "titre", "partie", "lot",
];
/// Words that continue a number: `8 bis`, `12 ter`.
pub(super) const SUFFIXES: [&str; 6] = ["bis", "ter", "quater", "quinquies", "sexies", "septies"];
/// Between a number and its title: `2 - Objet`, `3 : Durée`.
pub(super) const SEPARATORS: [char; 7] = ['-', '–', '—', ':', '.', ')', ','];

/// Splits a heading into its number, if any, and its title (see the module notes).
pub(super) fn split_number(text: &str) -> (Option<String>, String) {
    let after_keyword = KEYWORDS.iter().find_map(|kw| {
        let head = text.get(..kw.len())?;
        let rest = &text[kw.len()..];
        let spaced = kw.ends_with('.') || rest.starts_with(char::is_whitespace);
        (head.eq_ignore_ascii_case(kw) && spaced).then(|| rest.trim_start())
    });
    let found = after_keyword
        .and_then(|rest| leading_number(rest, true))
        .or_else(|| leading_number(text, false));
    let Some((number, rest)) = found else {
        return (None, text.to_owned());
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(SEPARATORS).unwrap_or(rest).trim_start();
    let title = if rest.is_empty() { text } else { rest };
    (Some(number), title.to_owned())
}

/// A section number at the start of `s` and the text after it. Roman numerals and single
/// letters count only after a keyword or before `.`/`)`, so ordinary words are not numbers.
pub(super) fn leading_number(s: &str, after_keyword: bool) -> Option<(String, &str)> {
    let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    let mut end = digits(s);
    if end > 0 {
        if s[end..].starts_with("er") && !s[end + 2..].starts_with(char::is_alphanumeric) {
            end += 2; // `Article 1er`
        }
        // `3.2.1`, `6-1`, `373-2-2`, `6–1`
        while let Some(sep) = s[end..].chars().next().filter(|c| matches!(c, '.' | '-' | '–')) {
            let n = digits(&s[end + sep.len_utf8()..]);
            if n == 0 {
                break;
            }
            end += sep.len_utf8() + n;
        }
        let mut number = s[..end].to_owned();
        let mut rest = &s[end..];
        if let Some(r) = rest.strip_prefix(['.', ')']) {
            rest = r; // `3.2.` and `1)`: the mark is not part of the number
        }
        let word = rest.trim_start();
        if let Some(suffix) = SUFFIXES.iter().find(|w| {
            word.len() < rest.len() && word.starts_with(*w) && !word[w.len()..].starts_with(char::is_alphanumeric)
        }) {
            number = format!("{number} {suffix}");
            rest = &word[suffix.len()..];
        }
        let boundary = rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with(SEPARATORS);
        return boundary.then_some((number, rest));
    }
    let roman = s.bytes().take_while(|b| matches!(b, b'I' | b'V' | b'X')).count();
    let letter = usize::from(s.starts_with(|c: char| c.is_ascii_uppercase()));
    let end = roman.max(letter);
    if end == 0 {
        return None;
    }
    let rest = &s[end..];
    let marked = rest.starts_with(['.', ')']) && !rest[1..].starts_with(char::is_alphanumeric);
    let dashed = rest.starts_with(char::is_whitespace) && rest.trim_start().starts_with(['-', '–', '—', ':']);
    if marked {
        Some((s[..end].to_owned(), &rest[1..]))
    } else if dashed
        || after_keyword && (rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with(SEPARATORS))
    {
        Some((s[..end].to_owned(), rest))
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Ids

/// A URL fragment for a heading: lowercase ASCII, French accents folded, other characters
/// turned to `-`, at most 80 bytes (`Maintenance préventive` -> `maintenance-preventive`).
pub fn slugify(text: &str) -> String {
    let mut slug = normalize(text);
    if slug.len() > 80 {
        let cut = slug[..=80].rfind('-').filter(|&i| i > 40).unwrap_or(80);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug.push_str("clause");
    }
    slug
}

/// Folded, lowercase words joined by `-`; also the key that compares headings across versions.
pub(super) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(&mut out, text);
    out
}

/// Appends the folded words of `text` to `out`, after a `-` when `out` already holds some: so
/// that `normalize("3.2 Maintenance")` is the number's words then the title's.
pub(super) fn normalize_into(out: &mut String, text: &str) {
    let mut gap = true;
    for c in text.chars() {
        // ASCII first: it is nearly all of a heading, and needs no table.
        let folded = match c {
            'a'..='z' | '0'..='9' => None,
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            _ if c.is_ascii() => {
                gap = true;
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => Some('a'),
            'ç' | 'Ç' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => Some('i'),
            'ñ' | 'Ñ' => Some('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => Some('u'),
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => Some('y'),
            'æ' | 'Æ' | 'œ' | 'Œ' | 'ß' => Some('\0'), // two letters, written below
            _ => {
                gap = true;
                continue;
            }
        };
        if gap && !out.is_empty() {
            out.push('-');
        }
        gap = false;
        match (c, folded) {
            ('æ' | 'Æ', _) => out.push_str("ae"),
            ('œ' | 'Œ', _) => out.push_str("oe"),
            ('ß', _) => out.push_str("ss"),
            (_, Some(f)) => out.push(f),
            (c, None) => out.push(c),
        }
    }
}
