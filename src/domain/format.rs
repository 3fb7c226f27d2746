//! French formatting of values for display.

use crate::domain::calendar::{paris_date, paris_datetime, Date};

/// `2027-03-15` → `15 mars 2027`; `2027-03-01` → `1er mars 2027`. Anything else is shown as is.
pub fn date_fr(iso: &str) -> String {
    Date::parse_iso(iso).map_or_else(|_| iso.to_string(), Date::format_fr_text)
}

/// The exchange period as a sentence fragment: `du 16 au 27 novembre 2026` when in the same month.
pub fn period_fr(start: &str, end: &str) -> String {
    match (Date::parse_iso(start), Date::parse_iso(end)) {
        (Ok(s), Ok(e)) if (s.year(), s.month()) == (e.year(), e.month()) => {
            let day = s.format_fr_text().split(' ').next().unwrap_or_default().to_string();
            format!("du {day} au {}", e.format_fr_text())
        }
        _ => format!("du {} au {}", date_fr(start), date_fr(end)),
    }
}

/// Unix seconds → the date of that instant in Paris, e.g. `22 novembre 2026`.
pub fn instant_date_fr(unix_seconds: i64) -> String {
    paris_date(unix_seconds).format_fr_text()
}

/// Unix seconds → `22 novembre 2026 à 14 h 05`, in Paris.
pub fn instant_fr(unix_seconds: i64) -> String {
    let t = paris_datetime(unix_seconds);
    format!("{} à {} h {:02}", t.date.format_fr_text(), t.hour, t.minute)
}

/// Unix seconds → `14 h 05`, in Paris (for "saved at").
pub fn time_fr(unix_seconds: i64) -> String {
    let t = paris_datetime(unix_seconds);
    format!("{} h {:02}", t.hour, t.minute)
}

/// `&`, `<`, `>`, `"` and `'` as character references: inert in text, attributes and raw-text
/// elements alike (the browser decodes them back in `<title>` and `<textarea>`).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `5 214`: French thousands separator.
pub fn thousands_fr(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The first `max` characters of a text, with « … » when it was longer (quotes and excerpts).
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

/// Unix seconds → `2026-12-02T09:30:00Z` (RFC 3339 in UTC, as open data formats want it).
pub fn rfc3339_utc(unix_seconds: i64) -> String {
    let day = Date::from_days_saturating(unix_seconds.div_euclid(86_400));
    let second = unix_seconds.rem_euclid(86_400);
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        second / 3_600,
        second % 3_600 / 60,
        second % 60
    )
}

/// A cell of a CSV file safe to open in a spreadsheet: text that a spreadsheet would read as a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading `'`.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_a_french_person_writes_them() {
        assert_eq!(date_fr("2027-03-15"), "15 mars 2027");
        assert_eq!(date_fr("2027-08-01"), "1er août 2027");
        assert_eq!(date_fr("n'importe quoi"), "n'importe quoi");
        assert_eq!(period_fr("2026-11-16", "2026-11-27"), "du 16 au 27 novembre 2026");
        assert_eq!(period_fr("2026-12-01", "2026-12-11"), "du 1er au 11 décembre 2026");
        assert_eq!(
            period_fr("2026-11-30", "2026-12-11"),
            "du 30 novembre 2026 au 11 décembre 2026"
        );
    }

    #[test]
    fn instants_are_dated_in_paris() {
        assert_eq!(instant_date_fr(0), "1er janvier 1970");
        // 2026-11-22 23:30 UTC is already the 23rd in Paris.
        assert_eq!(instant_date_fr(1_795_305_600 + 23 * 3600 + 1800), "23 novembre 2026");
        assert_eq!(
            instant_fr(1_795_305_600 + 13 * 3600 + 300),
            "22 novembre 2026 à 14 h 05"
        );
    }

    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(shorten("égalité", 3), "éga…");
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("un mot", 3), "un…");
    }
}
