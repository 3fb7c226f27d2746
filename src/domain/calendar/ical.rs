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

/// A meeting with a start and an end (UTC unix seconds): a « portes ouvertes » slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IcsMeeting {
    pub uid: String,
    pub stamp_unix: i64,
    pub start_unix: i64,
    pub end_unix: i64,
    pub summary: String,
    pub description: String,
    pub location: String,
}

/// The calendar as iCalendar text: CRLF line endings, lines folded at 75 octets.
pub fn to_ics(calendar_name: &str, events: &[IcsEvent]) -> String {
    let mut lines = Vec::new();
    for event in events {
        let last_day = event.last_day.max(event.first_day);
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", escape_text(&event.uid)));
        lines.push(format!("DTSTAMP:{}", utc_stamp(event.stamp_unix)));
        lines.push(format!("DTSTART;VALUE=DATE:{}", basic_date(event.first_day)));
        // DTEND of an all-day event is exclusive: the day after the last day.
        lines.push(format!("DTEND;VALUE=DATE:{}", basic_date(last_day.add_days(1))));
        lines.push(format!("SUMMARY:{}", escape_text(&event.summary)));
        if !event.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape_text(&event.description)));
        }
        // A phase is not a meeting: it should not block the agenda.
        lines.push("TRANSP:TRANSPARENT".into());
        lines.push("END:VEVENT".into());
    }
    document(calendar_name, &lines)
}

/// One meeting as iCalendar text (times in UTC, which every agenda shows in its own zone).
pub fn meeting_to_ics(calendar_name: &str, meeting: &IcsMeeting) -> String {
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", escape_text(&meeting.uid)),
        format!("DTSTAMP:{}", utc_stamp(meeting.stamp_unix)),
        format!("DTSTART:{}", utc_stamp(meeting.start_unix)),
        format!("DTEND:{}", utc_stamp(meeting.end_unix.max(meeting.start_unix))),
        format!("SUMMARY:{}", escape_text(&meeting.summary)),
    ];
    if !meeting.description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape_text(&meeting.description)));
    }
    if !meeting.location.is_empty() {
        lines.push(format!("LOCATION:{}", escape_text(&meeting.location)));
    }
    lines.push("END:VEVENT".into());
    document(calendar_name, &lines)
}

fn document(calendar_name: &str, events: &[String]) -> String {
    let mut out = String::new();
    let mut line = |text: &str| fold_into(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//JeSaisFaire//Calendrier de sourcing//FR");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    // NAME is RFC 7986; X-WR-CALNAME is what most agenda applications still read.
    line(&format!("NAME:{}", escape_text(calendar_name)));
    line(&format!("X-WR-CALNAME:{}", escape_text(calendar_name)));
    for event in events {
        line(event);
    }
    line("END:VCALENDAR");
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
    fn meeting_with_times_and_escaped_place() {
        let meeting = IcsMeeting {
            uid: "slot-3@jesaisfaire".into(),
            stamp_unix: 1_795_132_800,
            start_unix: 1_795_132_800 + 13 * 3600 + 1800,
            end_unix: 1_795_132_800 + 14 * 3600 + 15 * 60,
            summary: "Portes ouvertes ; espaces verts".into(),
            description: String::new(),
            location: "Salle 2, préfecture\nBEGIN:VEVENT".into(),
        };
        let ics = meeting_to_ics("JeSaisFaire", &meeting);
        assert!(
            ics.contains("\r\nDTSTART:20261120T133000Z\r\nDTEND:20261120T141500Z\r\n"),
            "{ics}"
        );
        assert!(ics.contains("\r\nSUMMARY:Portes ouvertes \\; espaces verts\r\n"));
        assert!(
            ics.contains("\r\nLOCATION:Salle 2\\, préfecture\\nBEGIN:VEVENT\r\n"),
            "{ics}"
        );
        assert_eq!(
            ics.matches("BEGIN:VEVENT").count(),
            2,
            "one event; the other is escaped text"
        );
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
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
