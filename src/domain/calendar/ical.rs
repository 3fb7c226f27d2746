//! iCalendar (RFC 5545) export of all-day events, for buyers' and suppliers' agendas.

use serde::{Deserialize, Serialize};

use super::paris::DAY;
use super::Date;

/// An all-day event from `first_day` to `last_day`, both included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IcsEvent {
    /// Globally unique and stable across exports, so agendas update the event instead of adding one.
    pub uid: String,
    /// When the event was last changed (UTC Unix seconds); the caller passes it since this engine
    /// reads no clock.
    pub stamp_unix: i64,
    pub first_day: Date,
    pub last_day: Date,
    pub summary: String,
    pub description: String,
}

/// The calendar as iCalendar text: CRLF line endings, lines folded at 75 octets.
pub fn to_ics(calendar_name: &str, events: &[IcsEvent]) -> String {
    let mut out = String::new();
    let mut line = |text: String| fold_into(&mut out, &text);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//JeSaisFaire//Calendrier de sourcing//FR".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    // NAME is RFC 7986; X-WR-CALNAME is what most agenda applications still read.
    line(format!("NAME:{}", escape_text(calendar_name)));
    line(format!("X-WR-CALNAME:{}", escape_text(calendar_name)));
    for event in events {
        let last_day = event.last_day.max(event.first_day);
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&event.uid)));
        line(format!("DTSTAMP:{}", utc_stamp(event.stamp_unix)));
        line(format!("DTSTART;VALUE=DATE:{}", basic_date(event.first_day)));
        // DTEND of an all-day event is exclusive: the day after the last day.
        line(format!("DTEND;VALUE=DATE:{}", basic_date(last_day.add_days(1))));
        line(format!("SUMMARY:{}", escape_text(&event.summary)));
        if !event.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape_text(&event.description)));
        }
        // A phase is not a meeting: it should not block the agenda.
        line("TRANSP:TRANSPARENT".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn basic_date(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

fn utc_stamp(unix: i64) -> String {
    let date = Date::from_days_saturating(unix.div_euclid(DAY));
    let seconds = unix.rem_euclid(DAY);
    format!(
        "{}T{:02}{:02}{:02}Z",
        basic_date(date),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// TEXT escaping (RFC 5545 3.3.11). Line breaks of any style become `\n`; other control characters,
/// which TEXT forbids, are dropped.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded into chunks of at most 75 octets (a continuation starts with a space,
/// which counts), never inside a UTF-8 character, each ended by CRLF.
fn fold_into(out: &mut String, line: &str) {
    let mut budget = 75;
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > budget {
            out.push_str("\r\n ");
            budget = 74;
            used = 0;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn event(summary: &str, description: &str) -> IcsEvent {
        IcsEvent {
            uid: "exchanges.consultation-42@example.org".into(),
            stamp_unix: 1_741_993_199,
            first_day: d("2025-03-18"),
            last_day: d("2025-03-31"),
            summary: summary.into(),
            description: description.into(),
        }
    }

    #[test]
    fn all_day_event_with_exclusive_end() {
        let ics = to_ics("Sourcing", &[event("Échanges", "")]);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20250318\r\nDTEND;VALUE=DATE:20250401\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20250314T225959Z\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(!ics.contains("DESCRIPTION"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\nf\rg\u{7}h"), "a\\\\b\\;c\\,d\\ne\\nf\\ngh");
    }

    #[test]
    fn folding_keeps_characters_whole() {
        let summary = "é".repeat(100);
        let ics = to_ics("Sourcing", &[event(&summary, "")]);
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{summary}\r\n")));
        // "SUMMARY:" is 8 octets, then 33 two-octet characters fit in the first 75 octets.
        assert!(ics.contains(&format!("SUMMARY:{}\r\n {}", "é".repeat(33), "é".repeat(37))));
    }

    #[test]
    fn exactly_75_octets_is_not_folded() {
        let mut out = String::new();
        fold_into(&mut out, &"x".repeat(75));
        assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
        out.clear();
        fold_into(&mut out, &"x".repeat(76));
        assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    /// Writes a sample to `$ICS_SAMPLE_OUT` for `scripts/check-ics.py` (nothing otherwise).
    #[test]
    fn sample_for_external_check() {
        let Some(path) = std::env::var_os("ICS_SAMPLE_OUT") else {
            return;
        };
        let settings = super::super::propose(
            super::super::SourcingMode::Open,
            d("2025-03-03"),
            super::super::Region::Metropole,
        );
        let mut events = settings.calendar().ics_events(
            "consultation-42@example.org",
            "Nettoyage des locaux, préfecture de Seine-et-Marne ; lot 1, « vitrerie »",
            1_741_993_199,
        );
        events.extend(super::super::retro_planning(d("2026-05-31")).ics_events(
            "retro-7@example.org",
            "Marché de nettoyage",
            1_741_993_199,
        ));
        let mut tricky = event(
            &"Très long résumé, avec virgules; points-virgules \\ et accents ".repeat(4),
            "Ligne 1\nLigne 2",
        );
        tricky.uid = "tricky.consultation-42@example.org".into();
        events.push(tricky);
        std::fs::write(path, to_ics("Sourcing — Préfecture 77", &events)).unwrap();
    }
}
