//! The facts of an upcoming need (the catalogue « Besoins à venir ») and the alerts companies set
//! on the needs and consultations announced: checked the same way in the browser and on the
//! server.

use crate::domain::classification::check_cpv_list;
use crate::domain::consultation::split_list;
use crate::domain::territory::check_departement_list;
use serde::{Deserialize, Serialize};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 5_000;
pub const MAX_CONTACT_CHARS: usize = 300;

/// The quarter a tender is expected in, written « 2027-T2 » in forms and addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub quarter: u8,
}

impl Quarter {
    pub fn parse(typed: &str) -> Option<Quarter> {
        let typed = typed.trim().to_ascii_uppercase();
        let (year, quarter) = typed.split_once("-T")?;
        let year: i32 = year.parse().ok()?;
        let quarter: u8 = quarter.parse().ok()?;
        ((2000..=2100).contains(&year) && (1..=4).contains(&quarter)).then_some(Quarter { year, quarter })
    }

    /// The quarter of a date's month (1 to 12).
    pub fn of_month(year: i32, month: u32) -> Quarter {
        Quarter {
            year,
            quarter: ((month.clamp(1, 12) - 1) / 3 + 1) as u8,
        }
    }

    pub fn code(self) -> String {
        format!("{}-T{}", self.year, self.quarter)
    }

    /// « 2e trimestre 2027 ».
    pub fn label_fr(self) -> String {
        let rank = if self.quarter == 1 {
            "1er".to_string()
        } else {
            format!("{}e", self.quarter)
        };
        format!("{rank} trimestre {}", self.year)
    }
}

/// A need as the buyer typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedForm {
    pub title: String,
    pub summary: String,
    pub cpv_codes: String,
    pub departements: String,
    pub amount_min: String,
    pub amount_max: String,
    pub quarter: String,
    pub contact: String,
}

/// A need's facts once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedFacts {
    pub title: String,
    pub summary: String,
    pub cpv_codes: Vec<String>,
    pub departements: Vec<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub quarter: Quarter,
    pub contact: String,
}

/// An amount in whole euros as typed (« 40 000 », « 40000 € »); empty: not given.
fn parse_amount(typed: &str, label: &str) -> Result<Option<i64>, String> {
    crate::domain::contribution::parse_euros(typed)
        .map(|cents| cents.map(|c| c / 100))
        .map_err(|problem| format!("{label} : {problem}"))
}

impl NeedForm {
    /// The facts, or every problem at once (in French, for the form).
    pub fn check(&self) -> Result<NeedFacts, Vec<String>> {
        let mut problems = Vec::new();
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            problems.push("Donnez un titre au besoin.".to_string());
        } else if title.chars().count() > MAX_TITLE_CHARS {
            problems.push(format!(
                "Le titre fait plus de {MAX_TITLE_CHARS} caractères : raccourcissez-le."
            ));
        }
        let summary = self.summary.trim().to_string();
        if summary.is_empty() {
            problems.push("Décrivez le besoin en quelques phrases.".to_string());
        } else if summary.chars().count() > MAX_SUMMARY_CHARS {
            problems.push(format!(
                "La description fait plus de {MAX_SUMMARY_CHARS} caractères : raccourcissez-la."
            ));
        }
        let cpv_codes = check_cpv_list(&split_list(&self.cpv_codes)).unwrap_or_else(|found| {
            problems.extend(found);
            Vec::new()
        });
        if cpv_codes.is_empty() && self.cpv_codes.trim().is_empty() {
            problems.push("Indiquez au moins un code CPV (par exemple 77311000), pour que les entreprises du domaine trouvent le besoin.".to_string());
        }
        let departements = check_departement_list(&split_list(&self.departements)).unwrap_or_else(|found| {
            problems.extend(found);
            Vec::new()
        });
        if departements.is_empty() && self.departements.trim().is_empty() {
            problems.push("Indiquez au moins un département où le marché sera exécuté (par exemple 77).".to_string());
        }
        let amount_min = parse_amount(&self.amount_min, "Montant minimal").unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        let amount_max = parse_amount(&self.amount_max, "Montant maximal").unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        if let (Some(min), Some(max)) = (amount_min, amount_max) {
            if min > max {
                problems.push("Le montant minimal dépasse le montant maximal : inversez-les.".to_string());
            }
        }
        let quarter = Quarter::parse(&self.quarter);
        if quarter.is_none() {
            problems.push(
                "Choisissez le trimestre prévu de l'appel d'offres, par exemple 2027-T2 (2e trimestre 2027)."
                    .to_string(),
            );
        }
        let contact = self.contact.split_whitespace().collect::<Vec<_>>().join(" ");
        if contact.chars().count() > MAX_CONTACT_CHARS {
            problems.push(format!(
                "Le contact fait plus de {MAX_CONTACT_CHARS} caractères : raccourcissez-le."
            ));
        }
        match quarter {
            Some(quarter) if problems.is_empty() => Ok(NeedFacts {
                title,
                summary,
                cpv_codes,
                departements,
                amount_min,
                amount_max,
                quarter,
                contact,
            }),
            _ => Err(problems),
        }
    }
}

/// « de 40 000 à 80 000 € », « à partir de 40 000 € », « jusqu'à 80 000 € ».
pub fn amount_range_fr(min: Option<i64>, max: Option<i64>) -> Option<String> {
    let euros = |n: i64| crate::domain::format::thousands_fr(n.max(0) as u64);
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format!("{} €", euros(a))),
        (Some(a), Some(b)) => Some(format!("de {} à {} €", euros(a), euros(b))),
        (Some(a), None) => Some(format!("à partir de {} €", euros(a))),
        (None, Some(b)) => Some(format!("jusqu'à {} €", euros(b))),
        (None, None) => None,
    }
}

/// What a person is alerted about: needs and consultations announced in one of these CPV
/// prefixes (2 to 8 digits) and one of these départements. An empty list accepts anything, but
/// not both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertCriteria {
    pub cpv_prefixes: Vec<String>,
    pub departements: Vec<String>,
}

impl AlertCriteria {
    /// Checks what was typed (lists separated by commas or spaces).
    pub fn check(cpv_prefixes: &str, departements: &str) -> Result<AlertCriteria, Vec<String>> {
        let mut problems = Vec::new();
        let mut prefixes: Vec<String> = Vec::new();
        for item in split_list(cpv_prefixes) {
            let digits = item.split('-').next().unwrap_or_default();
            if (2..=8).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
                let prefix = digits.trim_end_matches('0');
                // « 77300000 » means the whole group 773: keep at least two digits.
                let prefix = if prefix.len() < 2 { &digits[..2] } else { prefix };
                if !prefixes.iter().any(|p| p == prefix) {
                    prefixes.push(prefix.to_string());
                }
            } else {
                problems.push(format!(
                    "« {item} » n'est pas un code CPV ou un début de code (2 à 8 chiffres, par exemple 7731 ou 77311000)."
                ));
            }
        }
        let departements = check_departement_list(&split_list(departements)).unwrap_or_else(|found| {
            problems.extend(found);
            Vec::new()
        });
        if problems.is_empty() && prefixes.is_empty() && departements.is_empty() {
            problems
                .push("Indiquez au moins un code CPV ou un département : sinon l'alerte signalerait tout.".to_string());
        }
        if problems.is_empty() {
            Ok(AlertCriteria {
                cpv_prefixes: prefixes,
                departements,
            })
        } else {
            Err(problems)
        }
    }

    /// Whether something announced with these CPV codes and départements is for this alert.
    pub fn matches<C: AsRef<str>, D: AsRef<str>>(&self, cpv_codes: &[C], departements: &[D]) -> bool {
        let cpv = self.cpv_prefixes.is_empty()
            || cpv_codes
                .iter()
                .any(|code| self.cpv_prefixes.iter().any(|p| code.as_ref().starts_with(p.as_str())));
        let place = self.departements.is_empty()
            || departements
                .iter()
                .any(|d| self.departements.iter().any(|mine| mine == d.as_ref()));
        cpv && place
    }
}

/// « Portes ouvertes »: a meeting slot a buyer offers on a need, as typed in its form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotForm {
    /// `2027-01-14` (the browser's date field).
    pub date: String,
    /// `14:30`, Paris time.
    pub time: String,
    pub duration_minutes: String,
    /// Address, room, or the video link's description.
    pub place: String,
    /// How many companies the slot receives.
    pub capacity: String,
}

/// A slot once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotFacts {
    /// UTC unix seconds.
    pub starts_at: i64,
    pub duration_minutes: u32,
    pub place: String,
    pub capacity: u32,
}

pub const MAX_SLOT_MINUTES: u32 = 480;
pub const MAX_SLOT_CAPACITY: u32 = 50;
pub const MAX_PLACE_CHARS: usize = 300;
/// Slots further ahead than this are surely a typing mistake.
const MAX_SLOT_DAYS_AHEAD: i64 = 2 * 366;

impl SlotForm {
    /// Checks the slot against `now` (UTC unix seconds): it must be to come. The error is a French
    /// sentence that says what to change.
    pub fn check(&self, now: i64) -> Result<SlotFacts, String> {
        use crate::domain::calendar::{paris_to_utc, Date};
        let date = Date::parse_iso(self.date.trim()).map_err(|e| e.to_string())?;
        let (hour, minute) = crate::domain::minutes::parse_time(self.time.trim())?;
        let starts_at = paris_to_utc(date, hour, minute, 0).map_err(|e| e.to_string())?;
        if starts_at <= now {
            return Err(format!(
                "Le créneau du {} est déjà passé : proposez une date à venir.",
                date.format_fr_text()
            ));
        }
        if starts_at - now > MAX_SLOT_DAYS_AHEAD * 86_400 {
            return Err("Proposez un créneau dans les deux ans qui viennent.".into());
        }
        let duration_minutes = match self.duration_minutes.trim().parse::<u32>() {
            Ok(minutes) if (5..=MAX_SLOT_MINUTES).contains(&minutes) => minutes,
            _ => {
                return Err(format!(
                    "Indiquez la durée du créneau en minutes, entre 5 et {MAX_SLOT_MINUTES}."
                ))
            }
        };
        let place = self.place.trim();
        if place.is_empty() {
            return Err("Indiquez le lieu du rendez-vous (adresse, salle) ou « visioconférence ».".into());
        }
        if place.chars().count() > MAX_PLACE_CHARS {
            return Err(format!("Le lieu est trop long : {MAX_PLACE_CHARS} caractères au plus."));
        }
        let capacity = match self.capacity.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_SLOT_CAPACITY).contains(&n) => n,
            _ => {
                return Err(format!(
                    "Indiquez combien d'entreprises le créneau peut recevoir, entre 1 et {MAX_SLOT_CAPACITY}."
                ))
            }
        };
        Ok(SlotFacts {
            starts_at,
            duration_minutes,
            place: place.to_owned(),
            capacity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> NeedForm {
        NeedForm {
            title: "  Entretien des   espaces verts ".into(),
            summary: "Tonte, taille, élagage.".into(),
            cpv_codes: "77311000, 77211400".into(),
            departements: "77 91".into(),
            amount_min: "40 000".into(),
            amount_max: "80000 €".into(),
            quarter: "2027-t2".into(),
            contact: "Service achats".into(),
        }
    }

    #[test]
    fn a_need_is_checked_whole() {
        let facts = form().check().unwrap();
        assert_eq!(facts.title, "Entretien des espaces verts");
        assert_eq!(facts.cpv_codes, ["77311000-3", "77211400-6"]);
        assert_eq!(facts.amount_min, Some(40_000));
        assert_eq!(facts.amount_max, Some(80_000));
        assert_eq!(facts.quarter, Quarter { year: 2027, quarter: 2 });
        let problems = NeedForm {
            amount_min: "90000".into(),
            quarter: "2027-T5".into(),
            cpv_codes: "7731".into(),
            title: String::new(),
            ..form()
        }
        .check()
        .unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("minimal dépasse")));
        assert!(problems.iter().any(|p| p.contains("trimestre")));
    }

    #[test]
    fn quarters_read_and_say_themselves() {
        assert_eq!(Quarter::parse("2028-T1").unwrap().label_fr(), "1er trimestre 2028");
        assert_eq!(Quarter::of_month(2027, 5).code(), "2027-T2");
        assert_eq!(Quarter::parse("2027-T0"), None);
        assert_eq!(Quarter::parse("T2"), None);
        assert!(Quarter::parse("2027-T4") < Quarter::parse("2028-T1"));
    }

    #[test]
    fn alerts_match_cpv_prefixes_times_departements() {
        let alert = AlertCriteria::check("77300000 9091", "77, 91").unwrap();
        assert_eq!(alert.cpv_prefixes, ["773", "9091"]);
        // (codes, départements, expected)
        let table: &[(&[&str], &[&str], bool)] = &[
            (&["77311000"], &["77"], true),
            (&["77311000"], &["91"], true),
            (&["90911200"], &["77"], true),
            (&["77311000"], &["75"], false),
            (&["77211400"], &["77"], false),
            (&["45000000", "90910000"], &["93", "91"], true),
            (&[], &["77"], false),
        ];
        for (codes, deps, expected) in table {
            assert_eq!(alert.matches(codes, deps), *expected, "{codes:?} × {deps:?}");
        }
        let anywhere = AlertCriteria::check("773", "").unwrap();
        assert!(anywhere.matches(&["77310000"], &["974"]));
        let any_cpv = AlertCriteria::check("", "2A").unwrap();
        assert!(any_cpv.matches(&["09310000"], &["2A"]));
        assert!(!any_cpv.matches(&["09310000"], &["2B"]));
        assert!(AlertCriteria::check("", "").is_err());
        assert!(AlertCriteria::check("7", "77").is_err());
    }

    fn slot(date: &str, time: &str, minutes: &str, place: &str, capacity: &str) -> SlotForm {
        SlotForm {
            date: date.into(),
            time: time.into(),
            duration_minutes: minutes.into(),
            place: place.into(),
            capacity: capacity.into(),
        }
    }

    #[test]
    fn open_day_slots_are_checked() {
        // 2026-12-02 10:00 Paris.
        let now = crate::domain::calendar::paris_to_utc(
            crate::domain::calendar::Date::parse_iso("2026-12-02").unwrap(),
            10,
            0,
            0,
        )
        .unwrap();
        let ok = slot("2027-01-14", "14:30", "45", " Salle 2, préfecture de Melun ", "3")
            .check(now)
            .unwrap();
        // 14:30 in Paris in winter is 13:30 UTC.
        assert_eq!(ok.starts_at % 86_400, 13 * 3600 + 30 * 60);
        assert_eq!(
            (ok.duration_minutes, ok.capacity, ok.place.as_str()),
            (45, 3, "Salle 2, préfecture de Melun")
        );
        let refused = |form: SlotForm, part: &str| {
            let message = form.check(now).unwrap_err();
            assert!(message.contains(part), "{message}");
        };
        refused(slot("2026-12-01", "09:00", "45", "Melun", "3"), "déjà passé");
        refused(slot("2030-01-01", "09:00", "45", "Melun", "3"), "deux ans");
        refused(slot("2027-01-14", "25:00", "45", "Melun", "3"), "HH:MM");
        refused(slot("14/01/2027", "09:00", "45", "Melun", "3"), "");
        refused(slot("2027-01-14", "09:00", "0", "Melun", "3"), "entre 5 et 480");
        refused(slot("2027-01-14", "09:00", "45", "  ", "3"), "lieu");
        refused(slot("2027-01-14", "09:00", "45", "Melun", "0"), "entre 1 et 50");
        refused(slot("2027-01-14", "09:00", "45", "Melun", "deux"), "entre 1 et 50");
    }
}
