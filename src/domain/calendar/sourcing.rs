//! The calendar of a sourcing consultation (seed 000): open sourcing is a call for participation of
//! at least 2 weeks, then exchanges of 1 to 2 weeks; restricted sourcing is the exchanges only.
//! Then the buyer drafts the final CCTP.
//!
//! Phases tile the calendar: each starts the day after the previous one ends. A phase lasts the
//! number of calendar days the buyer chose, and its end moves to the next business day when it
//! falls on a weekend or a holiday; it includes its end date until 23:59:59 Paris time. The
//! duration rules apply to the days chosen: moving an end to a business day, or extending the
//! exchanges after a new version, may make a phase longer than 2 weeks, and that is intended.

use serde::{Deserialize, Serialize};

use super::business::{add_business_days, next_business_day_on_or_after};
use super::ical::IcsEvent;
use super::paris::{paris_date, paris_day_end_utc, paris_day_start_utc};
use super::{Date, Region};

/// Business days the exchanges must still last after a new version is published, unless the
/// buyer chooses otherwise.
pub const DEFAULT_MIN_BUSINESS_DAYS_AFTER_NEW_VERSION: u32 = 5;

const MIN_CALL_DAYS: u32 = 14;
const MIN_EXCHANGE_DAYS: u32 = 7;
const MAX_EXCHANGE_DAYS: u32 = 14;
// Not in the seed: a guard against typing errors (and against absurd loops on the server).
const MAX_PHASE_DAYS: u32 = 365;
// The exchanges last at most 2 weeks, i.e. 10 business days: a longer delay would make no sense.
const MAX_DELAY_AFTER_NEW_VERSION: u32 = 10;
// Holidays are checked against the reference over 1990-2100; a year outside is a typing error.
const FIRST_YEAR: i32 = 1990;
const LAST_YEAR: i32 = 2100;

const DEFAULT_CALL_DAYS: u32 = 14;
const DEFAULT_EXCHANGE_DAYS: u32 = 14;
const DEFAULT_DRAFTING_DAYS: u32 = 21;

/// The sourcing mode is the consultation's own (open: published call; restricted: invited
/// companies), one type for the whole product.
pub use crate::domain::consultation::SourcingMode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    /// Companies declare their interest (open sourcing only).
    CallForParticipation,
    /// Companies read the draft CCTP and react; the only phase that accepts contributions.
    Exchanges,
    /// The buyer writes the final CCTP.
    Drafting,
}

impl PhaseKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            PhaseKind::CallForParticipation => "Appel à participation",
            PhaseKind::Exchanges => "Échanges",
            PhaseKind::Drafting => "Rédaction du CCTP final",
        }
    }

    /// Stable key, for UIDs and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            PhaseKind::CallForParticipation => "call",
            PhaseKind::Exchanges => "exchanges",
            PhaseKind::Drafting => "drafting",
        }
    }

    fn description_fr(self) -> &'static str {
        match self {
            PhaseKind::CallForParticipation => {
                "Les entreprises intéressées manifestent leur participation au sourcing."
            }
            PhaseKind::Exchanges => {
                "Les entreprises lisent le projet de CCTP et réagissent sur ses clauses et ses critères."
            }
            PhaseKind::Drafting => "L'acheteur rédige le CCTP final à partir des enseignements du sourcing.",
        }
    }
}

/// What the buyer chooses. Durations are calendar days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcingSettings {
    pub mode: SourcingMode,
    pub start: Date,
    /// Ignored in restricted mode, which has no call for participation.
    #[serde(default)]
    pub call_days: u32,
    pub exchange_days: u32,
    pub drafting_days: u32,
    #[serde(default)]
    pub region: Region,
    #[serde(default = "default_min_business_days")]
    pub min_business_days_after_new_version: u32,
    /// Days the exchanges were prolonged by versions published late in them (a fact recorded
    /// by the server, not a choice of the buyer): added to `exchange_days`, outside its 1 to 2
    /// weeks rule.
    #[serde(default)]
    pub extension_days: u32,
}

fn default_min_business_days() -> u32 {
    DEFAULT_MIN_BUSINESS_DAYS_AFTER_NEW_VERSION
}

/// One phase; `end` is included and is a business day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    pub kind: PhaseKind,
    pub start: Date,
    pub end: Date,
}

impl Phase {
    pub fn contains(&self, date: Date) -> bool {
        (self.start..=self.end).contains(&date)
    }

    /// Calendar days from start to end, both included.
    pub fn days(&self) -> u32 {
        (self.start.days_until(self.end) + 1).max(0) as u32
    }

    /// UTC instant the phase opens: 00:00:00 Paris time on its first day.
    pub fn opens_at_utc(&self) -> i64 {
        paris_day_start_utc(self.start)
    }

    /// UTC instant of the phase's last second: 23:59:59 Paris time on its end date.
    pub fn closes_at_utc(&self) -> i64 {
        paris_day_end_utc(self.end)
    }
}

/// The dated phases of a consultation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcingCalendar {
    pub mode: SourcingMode,
    pub region: Region,
    pub min_business_days_after_new_version: u32,
    pub phases: Vec<Phase>,
}

/// Where a consultation stands on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    NotStarted,
    Phase(PhaseKind),
    Finished,
}

/// Which rule a choice breaks, so the UI can point at the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourcingRule {
    StartOutOfRange,
    CallTooShort,
    CallTooLong,
    ExchangesOutOfRange,
    DraftingTooShort,
    DraftingTooLong,
    DelayAfterNewVersionOutOfRange,
}

impl SourcingRule {
    /// The name of the calendar form's field the rule is about.
    pub fn field(self) -> &'static str {
        match self {
            SourcingRule::StartOutOfRange => "start",
            SourcingRule::CallTooShort | SourcingRule::CallTooLong => "call_days",
            SourcingRule::ExchangesOutOfRange => "exchange_days",
            SourcingRule::DraftingTooShort | SourcingRule::DraftingTooLong => "drafting_days",
            SourcingRule::DelayAfterNewVersionOutOfRange => "delay",
        }
    }
}

/// A broken rule, with a French message the buyer can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub rule: SourcingRule,
    pub message: String,
}

/// The exchanges extended after a new version, with the calendar that results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeExtension {
    pub exchanges_end: Date,
    pub calendar: SourcingCalendar,
    pub message: String,
}

fn chosen_days(n: u32) -> String {
    // French keeps 0 and 1 singular.
    if n <= 1 {
        format!("{n} jour choisi")
    } else {
        format!("{n} jours choisis")
    }
}

fn business_days_fr(n: u32) -> String {
    if n <= 1 {
        format!("{n} jour ouvré")
    } else {
        format!("{n} jours ouvrés")
    }
}

/// Default settings from `start` (moved to a business day): the shortest call allowed, the
/// longest exchanges allowed, three weeks of drafting, 5 business days after a new version.
pub fn propose(mode: SourcingMode, start: Date, region: Region) -> SourcingSettings {
    SourcingSettings {
        mode,
        start: next_business_day_on_or_after(start, region),
        call_days: if mode == SourcingMode::Open {
            DEFAULT_CALL_DAYS
        } else {
            0
        },
        exchange_days: DEFAULT_EXCHANGE_DAYS,
        drafting_days: DEFAULT_DRAFTING_DAYS,
        region,
        min_business_days_after_new_version: DEFAULT_MIN_BUSINESS_DAYS_AFTER_NEW_VERSION,
        extension_days: 0,
    }
}

impl SourcingSettings {
    /// Settings stored before the extension was recorded apart had it added to the planned
    /// exchanges (past the 1 to 2 weeks rule): read them as planned plus extension.
    pub fn normalised(mut self) -> SourcingSettings {
        if self.exchange_days > MAX_EXCHANGE_DAYS {
            self.extension_days += self.exchange_days - MAX_EXCHANGE_DAYS;
            self.exchange_days = MAX_EXCHANGE_DAYS;
        }
        self
    }

    /// The planned exchanges with the extension the server recorded: what a buyer saves
    /// changes the plan, never the extension.
    pub fn with_extension_of(mut self, stored: &SourcingSettings) -> SourcingSettings {
        self.extension_days = stored.extension_days;
        self
    }

    /// Every rule the settings break; empty when they can be saved.
    pub fn validate(&self) -> Vec<Violation> {
        let mut found = Vec::new();
        let mut add = |rule, message: String| found.push(Violation { rule, message });
        let year = self.start.year();
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            add(
                SourcingRule::StartOutOfRange,
                format!(
                    "La date de début doit être comprise entre {FIRST_YEAR} et {LAST_YEAR} (année {year} choisie)."
                ),
            );
        }
        if self.mode == SourcingMode::Open {
            if self.call_days < MIN_CALL_DAYS {
                add(
                    SourcingRule::CallTooShort,
                    format!(
                        "L'appel à participation doit durer au moins 2 semaines ({}).",
                        chosen_days(self.call_days)
                    ),
                );
            } else if self.call_days > MAX_PHASE_DAYS {
                add(
                    SourcingRule::CallTooLong,
                    format!(
                        "L'appel à participation ne peut pas dépasser {MAX_PHASE_DAYS} jours ({}).",
                        chosen_days(self.call_days)
                    ),
                );
            }
        }
        if !(MIN_EXCHANGE_DAYS..=MAX_EXCHANGE_DAYS).contains(&self.exchange_days) {
            add(
                SourcingRule::ExchangesOutOfRange,
                format!(
                    "Les échanges doivent durer entre 1 et 2 semaines ({}).",
                    chosen_days(self.exchange_days)
                ),
            );
        }
        if self.drafting_days == 0 {
            add(
                SourcingRule::DraftingTooShort,
                "La rédaction du CCTP final doit durer au moins 1 jour.".to_string(),
            );
        } else if self.drafting_days > MAX_PHASE_DAYS {
            add(
                SourcingRule::DraftingTooLong,
                format!(
                    "La rédaction du CCTP final ne peut pas dépasser {MAX_PHASE_DAYS} jours ({}).",
                    chosen_days(self.drafting_days)
                ),
            );
        }
        let delay = self.min_business_days_after_new_version;
        if delay > MAX_DELAY_AFTER_NEW_VERSION {
            add(
                SourcingRule::DelayAfterNewVersionOutOfRange,
                format!(
                    "Le délai laissé aux entreprises après une nouvelle version doit être compris entre 0 et {MAX_DELAY_AFTER_NEW_VERSION} jours ouvrés ({} choisis).",
                    business_days_fr(delay)
                ),
            );
        }
        found
    }

    /// The dated phases, computed even when the settings break a rule (for the live preview);
    /// a duration of 0 counts as 1 day there.
    pub fn calendar(&self) -> SourcingCalendar {
        let mut durations = Vec::with_capacity(3);
        if self.mode == SourcingMode::Open {
            durations.push((PhaseKind::CallForParticipation, self.call_days));
        }
        durations.push((PhaseKind::Exchanges, self.exchange_days + self.extension_days));
        durations.push((PhaseKind::Drafting, self.drafting_days));
        let mut start = self.start;
        let mut phases = Vec::with_capacity(durations.len());
        for (kind, days) in durations {
            let span = i32::try_from(days.clamp(1, MAX_PHASE_DAYS * 10)).unwrap_or(1) - 1;
            let end = next_business_day_on_or_after(start.add_days(span), self.region);
            phases.push(Phase { kind, start, end });
            start = end.add_days(1);
        }
        SourcingCalendar {
            mode: self.mode,
            region: self.region,
            min_business_days_after_new_version: self.min_business_days_after_new_version,
            phases,
        }
    }
}

impl SourcingCalendar {
    pub fn phase(&self, kind: PhaseKind) -> Option<&Phase> {
        self.phases.iter().find(|p| p.kind == kind)
    }

    /// The stage on a Paris calendar date.
    pub fn stage_on(&self, date: Date) -> Stage {
        match (self.phases.first(), self.phases.last()) {
            (Some(first), _) if date < first.start => Stage::NotStarted,
            (_, Some(last)) if date > last.end => Stage::Finished,
            _ => self
                .phases
                .iter()
                .find(|p| p.contains(date))
                .map_or(Stage::Finished, |p| Stage::Phase(p.kind)),
        }
    }

    /// The stage at a UTC instant: phases open and close on Paris dates.
    pub fn stage_at(&self, unix: i64) -> Stage {
        self.stage_on(paris_date(unix))
    }

    /// Whether suppliers may contribute at `unix`: only during the exchanges.
    pub fn accepts_contributions_at(&self, unix: i64) -> bool {
        self.stage_at(unix) == Stage::Phase(PhaseKind::Exchanges)
    }

    /// When version `version` is published on `published_on`, the exchanges must still last at
    /// least `min_business_days_after_new_version` business days after that day. Returns the
    /// extension when one is needed (the drafting phase then moves by as many days), `None` when
    /// the exchanges are long enough or already over (a version published while drafting reopens
    /// nothing).
    pub fn extension_for_new_version(&self, published_on: Date, version: u32) -> Option<ExchangeExtension> {
        let exchanges = self.phase(PhaseKind::Exchanges)?;
        if published_on > exchanges.end {
            return None;
        }
        // A version published before the exchanges open counts from their first day.
        let counted_from = published_on.max(exchanges.start.add_days(-1));
        let needed = i32::try_from(self.min_business_days_after_new_version).unwrap_or(i32::MAX);
        let new_end = add_business_days(counted_from, needed, self.region);
        if new_end <= exchanges.end {
            return None;
        }
        let shift = exchanges.end.days_until(new_end);
        let mut calendar = self.clone();
        for phase in &mut calendar.phases {
            match phase.kind {
                PhaseKind::Exchanges => phase.end = new_end,
                PhaseKind::Drafting => {
                    phase.start = phase.start.add_days(shift);
                    phase.end = next_business_day_on_or_after(phase.end.add_days(shift), self.region);
                }
                PhaseKind::CallForParticipation => {}
            }
        }
        let message = format!(
            "La phase d'échanges est prolongée jusqu'au {} pour laisser {} après la publication de la version {version}.",
            new_end.format_fr_long(),
            business_days_fr(self.min_business_days_after_new_version),
        );
        Some(ExchangeExtension {
            exchanges_end: new_end,
            calendar,
            message,
        })
    }

    /// One all-day event per phase. UIDs are `<phase key>.<uid_base>`, so pass something unique
    /// and stable such as `consultation-42@jesaisfaire.fr`.
    pub fn ics_events(&self, uid_base: &str, title: &str, stamp_unix: i64) -> Vec<IcsEvent> {
        self.phases
            .iter()
            .map(|phase| {
                let mut description = phase.kind.description_fr().to_string();
                if phase.kind == PhaseKind::Exchanges {
                    description.push_str(&format!(
                        "\nLes contributions sont reçues jusqu'au {} à 23 h 59 (heure de Paris).",
                        phase.end.format_fr_long()
                    ));
                }
                IcsEvent {
                    uid: format!("{}.{uid_base}", phase.kind.key()),
                    stamp_unix,
                    first_day: phase.start,
                    last_day: phase.end,
                    summary: format!("{} — {title}", phase.kind.label_fr()),
                    description,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extended_calendar_can_still_be_saved() {
        let planned = settings(SourcingMode::Open, 14, 14, 21);
        let extended = SourcingSettings {
            extension_days: 4,
            ..planned.clone()
        };
        assert!(extended.validate().is_empty(), "{:?}", extended.validate());
        let exchanges = |s: &SourcingSettings| s.calendar().phase(PhaseKind::Exchanges).copied().unwrap();
        assert!(exchanges(&extended).end > exchanges(&planned).end);
        // Stored before the fix: 18 days planned, read as 14 plus 4.
        let legacy = SourcingSettings {
            exchange_days: 18,
            ..planned.clone()
        }
        .normalised();
        assert_eq!((legacy.exchange_days, legacy.extension_days), (14, 4));
        assert!(legacy.validate().is_empty());
        assert_eq!(exchanges(&legacy), exchanges(&extended));
        // A buyer's save keeps the recorded extension.
        assert_eq!(planned.with_extension_of(&extended).extension_days, 4);
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn settings(mode: SourcingMode, call: u32, exchanges: u32, drafting: u32) -> SourcingSettings {
        SourcingSettings {
            mode,
            start: d("2025-03-03"),
            call_days: call,
            exchange_days: exchanges,
            drafting_days: drafting,
            region: Region::Metropole,
            min_business_days_after_new_version: 5,
            extension_days: 0,
        }
    }

    fn spans(calendar: &SourcingCalendar) -> Vec<(PhaseKind, String, String)> {
        calendar
            .phases
            .iter()
            .map(|p| (p.kind, p.start.to_string(), p.end.to_string()))
            .collect()
    }

    #[test]
    fn open_calendar() {
        let calendar = settings(SourcingMode::Open, 14, 14, 21).calendar();
        assert_eq!(
            spans(&calendar),
            [
                // Monday 3 March + 14 days ends Sunday 16, moved to Monday 17.
                (
                    PhaseKind::CallForParticipation,
                    "2025-03-03".into(),
                    "2025-03-17".into()
                ),
                (PhaseKind::Exchanges, "2025-03-18".into(), "2025-03-31".into()),
                (PhaseKind::Drafting, "2025-04-01".into(), "2025-04-22".into()),
            ]
        );
        // 21 April 2025 is Easter Monday, so drafting ends Tuesday 22.
    }

    #[test]
    fn restricted_calendar_has_no_call() {
        let calendar = settings(SourcingMode::Restricted, 99, 7, 10).calendar();
        assert_eq!(
            spans(&calendar),
            [
                (PhaseKind::Exchanges, "2025-03-03".into(), "2025-03-10".into()),
                (PhaseKind::Drafting, "2025-03-11".into(), "2025-03-20".into()),
            ]
        );
        assert!(settings(SourcingMode::Restricted, 99, 7, 10).validate().is_empty());
    }

    #[test]
    fn violations_say_what_to_change() {
        let messages: Vec<String> = settings(SourcingMode::Open, 10, 20, 0)
            .validate()
            .into_iter()
            .map(|v| v.message)
            .collect();
        assert_eq!(
            messages,
            [
                "L'appel à participation doit durer au moins 2 semaines (10 jours choisis).",
                "Les échanges doivent durer entre 1 et 2 semaines (20 jours choisis).",
                "La rédaction du CCTP final doit durer au moins 1 jour.",
            ]
        );
        let mut odd = settings(SourcingMode::Open, 400, 1, 400);
        odd.start = d("0025-03-03");
        odd.min_business_days_after_new_version = 11;
        let rules: Vec<SourcingRule> = odd.validate().into_iter().map(|v| v.rule).collect();
        assert_eq!(
            rules,
            [
                SourcingRule::StartOutOfRange,
                SourcingRule::CallTooLong,
                SourcingRule::ExchangesOutOfRange,
                SourcingRule::DraftingTooLong,
                SourcingRule::DelayAfterNewVersionOutOfRange,
            ]
        );
        assert!(odd.validate()[2].message.ends_with("(1 jour choisi)."));
    }

    #[test]
    fn proposal_starts_on_a_business_day_and_validates() {
        let proposal = propose(SourcingMode::Open, d("2025-05-01"), Region::Metropole);
        assert_eq!(proposal.start, d("2025-05-02"));
        assert!(proposal.validate().is_empty());
        assert!(propose(SourcingMode::Restricted, d("2025-05-01"), Region::Metropole)
            .validate()
            .is_empty());
    }

    #[test]
    fn stage_by_paris_date() {
        let calendar = settings(SourcingMode::Open, 14, 14, 21).calendar();
        assert_eq!(calendar.stage_on(d("2025-03-02")), Stage::NotStarted);
        assert_eq!(
            calendar.stage_on(d("2025-03-17")),
            Stage::Phase(PhaseKind::CallForParticipation)
        );
        assert_eq!(calendar.stage_on(d("2025-03-18")), Stage::Phase(PhaseKind::Exchanges));
        assert_eq!(calendar.stage_on(d("2025-04-23")), Stage::Finished);
        let exchanges = *calendar.phase(PhaseKind::Exchanges).unwrap();
        // 31 March 2025 23:59:59 in Paris (CEST) is 21:59:59 UTC.
        assert_eq!(exchanges.closes_at_utc(), 1_743_458_399);
        assert!(calendar.accepts_contributions_at(exchanges.closes_at_utc()));
        assert!(!calendar.accepts_contributions_at(exchanges.closes_at_utc() + 1));
        assert!(calendar.accepts_contributions_at(exchanges.opens_at_utc()));
        assert!(!calendar.accepts_contributions_at(exchanges.opens_at_utc() - 1));
    }

    #[test]
    fn new_version_extends_the_exchanges() {
        let calendar = settings(SourcingMode::Open, 14, 14, 21).calendar();
        // Exchanges end Monday 31 March; version 3 on Thursday 27 leaves only 2 business days.
        let extension = calendar.extension_for_new_version(d("2025-03-27"), 3).unwrap();
        assert_eq!(extension.exchanges_end, d("2025-04-03"));
        assert_eq!(
            extension.message,
            "La phase d'échanges est prolongée jusqu'au jeudi 3 avril 2025 pour laisser 5 jours ouvrés après la publication de la version 3."
        );
        assert_eq!(
            spans(&extension.calendar)[1..],
            [
                (PhaseKind::Exchanges, "2025-03-18".into(), "2025-04-03".into()),
                (PhaseKind::Drafting, "2025-04-04".into(), "2025-04-25".into()),
            ]
        );
        // Early enough: nothing to extend; after the exchanges: nothing reopens.
        assert_eq!(calendar.extension_for_new_version(d("2025-03-24"), 2), None);
        assert_eq!(calendar.extension_for_new_version(d("2025-04-02"), 4), None);
    }

    #[test]
    fn version_published_during_the_call_counts_from_the_exchanges() {
        let mut short = settings(SourcingMode::Open, 14, 7, 21);
        short.min_business_days_after_new_version = 10;
        let calendar = short.calendar();
        // Exchanges from Tuesday 18 March to Monday 24 March: 5 business days only.
        let extension = calendar.extension_for_new_version(d("2025-03-10"), 2).unwrap();
        assert_eq!(extension.exchanges_end, d("2025-03-31"));
    }

    #[test]
    fn serde_shapes() {
        let json = r#"{"mode":"Open","start":"2025-03-03","call_days":14,"exchange_days":14,"drafting_days":21}"#;
        let parsed: SourcingSettings = serde_json::from_str(json).unwrap();
        assert_eq!(parsed.region, Region::Metropole);
        assert_eq!(parsed.min_business_days_after_new_version, 5);
        assert_eq!(
            serde_json::to_string(&Stage::Phase(PhaseKind::Exchanges)).unwrap(),
            r#"{"phase":"exchanges"}"#
        );
        assert_eq!(serde_json::to_string(&Stage::NotStarted).unwrap(), r#""not_started""#);
    }
}
