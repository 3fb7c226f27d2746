//! Minutes of oral exchanges (« comptes rendus », seed 000: whatever is said in a meeting or a
//! call with a company is written down and given to every participant). The checks of the form
//! run the same in the browser and on the server; the reminder counts business days with the
//! calendar engine.

use crate::domain::calendar::{business_days_between, paris_date, paris_to_utc, Date, Region};
use crate::domain::enums::stored_enum;
use serde::{Deserialize, Serialize};

stored_enum! {
    /// How the meeting was held.
    pub enum MeetingMode {
        OnSite = "on_site",
        Phone = "phone",
        Video = "video",
    }
}

impl MeetingMode {
    pub fn label_fr(self) -> &'static str {
        match self {
            MeetingMode::OnSite => "Sur place",
            MeetingMode::Phone => "Téléphone",
            MeetingMode::Video => "Visioconférence",
        }
    }
}

/// Longest body of minutes (characters), and of the list of agents and the reason of a correction.
pub const MAX_BODY_CHARS: usize = 20_000;
pub const MAX_AGENTS_CHARS: usize = 500;
pub const MAX_REASON_CHARS: usize = 1_000;
/// Longest meeting: a working day.
pub const MAX_DURATION_MINUTES: u32 = 600;
/// Clauses one set of minutes may link (the outline of a long specification has hundreds).
pub const MAX_LINKED_CLAUSES: usize = 200;
/// Business days after a meeting before the buyer is reminded to publish its minutes.
pub const REMINDER_BUSINESS_DAYS: i32 = 3;

/// The minutes as the buyer types them (a field left out is empty, and the check says so).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MinutesInput {
    /// `AAAA-MM-JJ`, in Paris.
    pub date: String,
    /// `HH:MM`, in Paris.
    pub time: String,
    pub duration_minutes: u32,
    pub mode: Option<MeetingMode>,
    /// Pseudonyms of participating companies ("Entreprise A").
    pub companies: Vec<String>,
    /// The buyer's agents present, as one line ("Mme Martin (acheteuse), M. Roy (service technique)").
    pub agents: String,
    /// Markdown.
    pub body: String,
    /// Ids of clauses and criteria of the latest version.
    pub clause_ids: Vec<String>,
    /// Why a published text is corrected (required for a correction).
    pub reason: String,
}

/// What the record keeps of a checked input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedMinutes {
    pub held_at: i64,
    pub duration_minutes: u32,
    pub mode: MeetingMode,
    /// Pseudonym indexes, in the order of the participants.
    pub companies: Vec<i64>,
    pub agents: String,
    pub body: String,
    pub clause_ids: Vec<String>,
    pub reason: String,
}

/// What the check needs to know about the consultation.
pub struct MinutesContext<'a> {
    /// Now (unix seconds): a meeting cannot be in the future.
    pub now: i64,
    /// When the consultation was created: no meeting before it.
    pub consultation_created_at: i64,
    /// Participating companies: (pseudonym index, pseudonym).
    pub participants: &'a [(i64, String)],
    /// Whether a clause or criterion id exists in the latest version.
    pub known_clause: &'a dyn Fn(&str) -> bool,
    /// A correction of published minutes: the reason is required.
    pub correction: bool,
}

/// Checks the minutes; the error is a French sentence that says what to change.
pub fn check_minutes(input: &MinutesInput, ctx: &MinutesContext<'_>) -> Result<CheckedMinutes, String> {
    let date = Date::parse_iso(input.date.trim()).map_err(|e| e.to_string())?;
    let (hour, minute) = parse_time(input.time.trim())?;
    let held_at = paris_to_utc(date, hour, minute, 0).map_err(|e| e.to_string())?;
    if held_at > ctx.now {
        return Err(format!(
            "La réunion du {} n'a pas encore eu lieu : un compte rendu se rédige après la réunion.",
            date.format_fr_text()
        ));
    }
    if paris_date(held_at) < paris_date(ctx.consultation_created_at) {
        return Err(format!(
            "La réunion du {} précède la création de la consultation ({}) : vérifiez la date.",
            date.format_fr_text(),
            paris_date(ctx.consultation_created_at).format_fr_text()
        ));
    }
    if input.duration_minutes == 0 || input.duration_minutes > MAX_DURATION_MINUTES {
        return Err(format!(
            "Indiquez la durée de la réunion en minutes, entre 1 et {MAX_DURATION_MINUTES}."
        ));
    }
    let mode = input
        .mode
        .ok_or_else(|| "Choisissez la modalité : sur place, téléphone ou visioconférence.".to_string())?;
    if input.companies.is_empty() {
        return Err("Choisissez au moins une entreprise présente à la réunion.".into());
    }
    let mut companies = Vec::new();
    for name in &input.companies {
        let Some((index, _)) = ctx.participants.iter().find(|(_, p)| p == name.trim()) else {
            return Err(format!(
                "« {} » ne participe pas à ce sourcing : choisissez les entreprises dans la liste.",
                short(name)
            ));
        };
        if !companies.contains(index) {
            companies.push(*index);
        }
    }
    companies.sort_unstable();
    let agents = input.agents.trim();
    if agents.is_empty() {
        return Err("Indiquez les agents présents pour l'acheteur (noms et fonctions).".into());
    }
    check_length(agents, MAX_AGENTS_CHARS, "La liste des agents")?;
    let body = input.body.trim();
    if body.is_empty() {
        return Err("Écrivez le compte rendu : ce qui a été dit, les questions et les réponses.".into());
    }
    check_length(body, MAX_BODY_CHARS, "Le compte rendu")?;
    if input.clause_ids.len() > MAX_LINKED_CLAUSES {
        return Err(format!("Liez {MAX_LINKED_CLAUSES} clauses au plus à un compte rendu."));
    }
    let mut clause_ids: Vec<String> = Vec::new();
    for id in &input.clause_ids {
        if !(ctx.known_clause)(id) {
            return Err(format!(
                "La clause « {} » n'existe pas dans la dernière version : choisissez les clauses dans le plan.",
                short(id)
            ));
        }
        if !clause_ids.contains(id) {
            clause_ids.push(id.clone());
        }
    }
    let reason = input.reason.trim();
    if ctx.correction && reason.is_empty() {
        return Err(
            "Ce compte rendu est déjà publié : indiquez le motif de la correction (il restera visible avec la \
             version précédente)."
                .into(),
        );
    }
    check_length(reason, MAX_REASON_CHARS, "Le motif")?;
    Ok(CheckedMinutes {
        held_at,
        duration_minutes: input.duration_minutes,
        mode,
        companies,
        agents: agents.to_owned(),
        body: body.to_owned(),
        clause_ids,
        reason: if ctx.correction {
            reason.to_owned()
        } else {
            String::new()
        },
    })
}

pub(crate) fn parse_time(time: &str) -> Result<(u32, u32), String> {
    let wrong = || {
        format!(
            "« {} » n'est pas une heure : saisissez-la au format HH:MM (par exemple 14:30).",
            short(time)
        )
    };
    let (h, m) = time.split_once(':').ok_or_else(wrong)?;
    let hour: u32 = h.parse().map_err(|_| wrong())?;
    let minute: u32 = m.get(..2).unwrap_or(m).parse().map_err(|_| wrong())?;
    if hour > 23 || minute > 59 {
        return Err(wrong());
    }
    Ok((hour, minute))
}

fn check_length(text: &str, max: usize, what: &str) -> Result<(), String> {
    let len = text.chars().count();
    if len > max {
        return Err(format!("{what} est trop long ({len} caractères) : {max} au plus."));
    }
    Ok(())
}

/// What a person typed, cut for quoting in a message.
fn short(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// Whether the buyer must be reminded of unpublished minutes: three business days have passed
/// since the meeting.
pub fn reminder_due(held_at: i64, now: i64, region: Region) -> bool {
    business_days_between(paris_date(held_at), paris_date(now), region) >= REMINDER_BUSINESS_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-20 12:00 Paris (a Friday).
    const NOW: i64 = 1_795_132_800 + 11 * 3600;

    fn input() -> MinutesInput {
        MinutesInput {
            date: "2026-11-18".into(),
            time: "14:30".into(),
            duration_minutes: 60,
            mode: Some(MeetingMode::Video),
            companies: vec!["Entreprise B".into()],
            agents: "Mme Martin (acheteuse)".into(),
            body: "Questions sur l'astreinte.".into(),
            clause_ids: vec!["astreinte".into()],
            reason: String::new(),
        }
    }

    fn check(input: &MinutesInput, correction: bool) -> Result<CheckedMinutes, String> {
        let participants = [(0, "Entreprise A".to_string()), (1, "Entreprise B".to_string())];
        check_minutes(
            input,
            &MinutesContext {
                now: NOW,
                consultation_created_at: NOW - 30 * 86_400,
                participants: &participants,
                known_clause: &|id| id == "astreinte" || id == "delais",
                correction,
            },
        )
    }

    #[test]
    fn a_meeting_is_dated_in_paris_and_linked_to_participants_and_clauses() {
        let checked = check(&input(), false).unwrap();
        assert_eq!(
            crate::domain::format::instant_fr(checked.held_at),
            "18 novembre 2026 à 14 h 30"
        );
        assert_eq!(checked.companies, vec![1]);
        assert_eq!(checked.clause_ids, vec!["astreinte".to_string()]);
        assert_eq!(checked.reason, "");
    }

    #[test]
    fn bad_input_is_refused_with_what_to_change() {
        let future = MinutesInput {
            date: "2026-11-21".into(),
            ..input()
        };
        assert!(check(&future, false).unwrap_err().contains("pas encore eu lieu"));
        let before = MinutesInput {
            date: "2026-10-01".into(),
            ..input()
        };
        assert!(check(&before, false).unwrap_err().contains("précède la création"));
        let unknown = MinutesInput {
            clause_ids: vec!["nulle-part".into()],
            ..input()
        };
        assert!(check(&unknown, false).unwrap_err().contains("n'existe pas"));
        let stranger = MinutesInput {
            companies: vec!["Entreprise Z".into()],
            ..input()
        };
        assert!(check(&stranger, false).unwrap_err().contains("ne participe pas"));
        let nobody = MinutesInput {
            companies: vec![],
            ..input()
        };
        assert!(check(&nobody, false).is_err());
        let time = MinutesInput {
            time: "25:00".into(),
            ..input()
        };
        assert!(check(&time, false).unwrap_err().contains("HH:MM"));
        let long = MinutesInput {
            body: "é".repeat(MAX_BODY_CHARS + 1),
            ..input()
        };
        assert!(check(&long, false).unwrap_err().contains("trop long"));
        let zero = MinutesInput {
            duration_minutes: 0,
            ..input()
        };
        assert!(check(&zero, false).is_err());
        assert!(check(&input(), true).unwrap_err().contains("motif"));
        let reason = MinutesInput {
            reason: "Heure corrigée".into(),
            ..input()
        };
        assert_eq!(check(&reason, true).unwrap().reason, "Heure corrigée");
    }

    #[test]
    fn the_reminder_comes_after_three_business_days() {
        let monday = paris_to_utc(Date::new(2026, 11, 16).unwrap(), 10, 0, 0).unwrap();
        let day = |d| paris_to_utc(Date::new(2026, 11, d).unwrap(), 9, 0, 0).unwrap();
        assert!(!reminder_due(monday, day(18), Region::Metropole));
        assert!(reminder_due(monday, day(19), Region::Metropole));
        // A Friday meeting: Monday, Tuesday, Wednesday.
        let friday = day(20);
        assert!(!reminder_due(friday, day(24), Region::Metropole));
        assert!(reminder_due(friday, day(25), Region::Metropole));
    }
}
