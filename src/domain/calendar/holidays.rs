//! French public holidays (jours fériés) of metropolitan France, the two extra days of
//! Alsace-Moselle, and the extra days of the five overseas départements (Guadeloupe, Martinique,
//! Guyane, La Réunion, Mayotte).
//!
//! Legal basis: article L3133-1 of the code du travail lists the eleven fêtes légales; articles
//! L3134-13 (code du travail, local law of Bas-Rhin, Haut-Rhin and Moselle) add Good Friday and
//! 26 December. Overseas, loi 83-550 (30 June 1983) makes the commemoration of the abolition of
//! slavery a public holiday, on the date décret 83-1003 (23 November 1983) fixes for each
//! département: Guadeloupe 27 May, Martinique 22 May, Guyane 10 June, La Réunion 20 December,
//! Mayotte 27 April; article L3422-2 of the code du travail (loi 2016-1088) restates these dates.
//! Names follow the reference library (PyPI `holidays`, see `scripts/gen-holidays-reference.py`) so
//! the reference test compares names too.
//!
//! Decisions where the law and the reference library differ, or where the law is subtle:
//! - Lundi de Pentecôte is a holiday every year. Loi 2004-626 (30 June 2004) made it, by default,
//!   the unpaid "journée de solidarité" in 2005-2007, but never removed it from the list of fêtes
//!   légales; loi 2008-351 only untied the two. The library omits it in 2005-2007 in every region;
//!   the reference test lists those three years as explicit exceptions.
//! - Good Friday is legally a holiday in Alsace-Moselle only in communes with a Protestant church
//!   or a mixed church; in practice it is observed in all three départements, as the library does.
//! - 8 May was not a holiday from 1960 to 1981 (décret 59-533, then loi 81-893): modelled, since it
//!   is the only post-war change. Earlier history (before 1953) is not modelled: the current list
//!   is applied to every other year.
//! - Abolition of slavery: from 1984, and from 1983 in La Réunion, whose date (20 December 1983)
//!   was the only one still to come when décret 83-1003 was published; as the library does.
//! - Overseas days the library lists but no statute does, followed because they are days off in
//!   practice (by custom and collective agreements, and in public offices), and counting a day off
//!   as a holiday only gives companies more time: Good Friday and Mi-Carême (Thursday of mid-Lent,
//!   24 days before Easter) in Guadeloupe; the Fête de Victor Schoelcher (21 July) in Guadeloupe and
//!   Martinique, from 1984 as in the library. Good Friday is customary in Martinique too, but the
//!   library does not list it there (earlier releases did), so neither does the engine.
//! - Mayotte: the code du travail leaves in force the further days off that agreements or custom
//!   give there, naming the Muslim feasts (Miradji, Idi-el-Fitri, Idi-el-Kabir, Maoulid). They
//!   follow the lunar calendar and local announcement, and the library does not list them: not
//!   modelled.
//! - Saint-Barthélemy and Saint-Martin (collectivités, with abolition days of their own) and
//!   Saint-Pierre-et-Miquelon (collectivité, once numbered 975, national holidays only) are not
//!   départements: a consultation cannot name them, and they get the metropolitan list.

use serde::{Deserialize, Serialize};

use super::Date;

/// The set of holidays that applies to a place.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// The eleven national holidays.
    #[default]
    Metropole,
    /// Bas-Rhin (67), Haut-Rhin (68) and Moselle (57): national holidays plus Good Friday and 26 December.
    AlsaceMoselle,
    /// Guadeloupe (971): national holidays plus Mi-Carême, Good Friday, abolition of slavery (27 May)
    /// and Fête de Victor Schoelcher (21 July).
    Guadeloupe,
    /// Martinique (972): national holidays plus abolition of slavery (22 May) and Fête de Victor
    /// Schoelcher (21 July).
    Martinique,
    /// Guyane (973): national holidays plus abolition of slavery (10 June).
    Guyane,
    /// La Réunion (974): national holidays plus abolition of slavery (20 December).
    LaReunion,
    /// Mayotte (976): national holidays plus abolition of slavery (27 April).
    Mayotte,
}

impl Region {
    /// Every region, metropolitan ones first.
    pub const ALL: [Region; 7] = [
        Region::Metropole,
        Region::AlsaceMoselle,
        Region::Guadeloupe,
        Region::Martinique,
        Region::Guyane,
        Region::LaReunion,
        Region::Mayotte,
    ];

    /// The region whose holidays apply in a département, by its code ("57", "2A", "974"...).
    pub fn of_departement(code: &str) -> Region {
        match code.trim() {
            "57" | "67" | "68" => Region::AlsaceMoselle,
            "971" => Region::Guadeloupe,
            "972" => Region::Martinique,
            "973" => Region::Guyane,
            "974" => Region::LaReunion,
            "976" => Region::Mayotte,
            // "975" is not a département: Saint-Pierre-et-Miquelon is a collectivité d'outre-mer with
            // the national holidays only, so it stays with every other code on the metropolitan list.
            _ => Region::Metropole,
        }
    }

    /// The serde name ("metropole", "la_reunion"...), for form values and files.
    pub fn key(self) -> &'static str {
        match self {
            Region::Metropole => "metropole",
            Region::AlsaceMoselle => "alsace_moselle",
            Region::Guadeloupe => "guadeloupe",
            Region::Martinique => "martinique",
            Region::Guyane => "guyane",
            Region::LaReunion => "la_reunion",
            Region::Mayotte => "mayotte",
        }
    }

    /// The region named `key` (see [`Region::key`]).
    pub fn from_key(key: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|region| region.key() == key)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Region::Metropole => "France métropolitaine",
            Region::AlsaceMoselle => "Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)",
            Region::Guadeloupe => "Guadeloupe (971)",
            Region::Martinique => "Martinique (972)",
            Region::Guyane => "Guyane (973)",
            Region::LaReunion => "La Réunion (974)",
            Region::Mayotte => "Mayotte (976)",
        }
    }

    /// Month and day of the abolition of slavery holiday (décret 83-1003, article L3422-2 of the code
    /// du travail), in the overseas départements only.
    fn abolition_of_slavery(self) -> Option<(u32, u32)> {
        match self {
            Region::Metropole | Region::AlsaceMoselle => None,
            Region::Guadeloupe => Some((5, 27)),
            Region::Martinique => Some((5, 22)),
            Region::Guyane => Some((6, 10)),
            Region::LaReunion => Some((12, 20)),
            Region::Mayotte => Some((4, 27)),
        }
    }
}

/// Each public holiday, by what it celebrates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    NewYearsDay,
    MidLent,
    GoodFriday,
    EasterMonday,
    LabourDay,
    VictoryDay,
    AscensionDay,
    WhitMonday,
    NationalDay,
    VictorSchoelcherDay,
    AssumptionDay,
    AllSaintsDay,
    ArmisticeDay,
    ChristmasDay,
    SaintStephensDay,
    /// On a date of its own in each overseas département.
    AbolitionOfSlavery,
}

impl HolidayKind {
    /// French name, as in the official lists and the reference library.
    pub fn name_fr(self) -> &'static str {
        match self {
            HolidayKind::NewYearsDay => "Jour de l'an",
            HolidayKind::MidLent => "Mi-Carême",
            HolidayKind::GoodFriday => "Vendredi saint",
            HolidayKind::EasterMonday => "Lundi de Pâques",
            HolidayKind::LabourDay => "Fête du Travail",
            HolidayKind::VictoryDay => "Fête de la Victoire",
            HolidayKind::AscensionDay => "Ascension",
            HolidayKind::WhitMonday => "Lundi de Pentecôte",
            HolidayKind::NationalDay => "Fête nationale",
            HolidayKind::VictorSchoelcherDay => "Fête de Victor Schoelcher",
            HolidayKind::AssumptionDay => "Assomption",
            HolidayKind::AllSaintsDay => "Toussaint",
            HolidayKind::ArmisticeDay => "Armistice",
            HolidayKind::ChristmasDay => "Noël",
            HolidayKind::SaintStephensDay => "Saint-Étienne",
            HolidayKind::AbolitionOfSlavery => "Abolition de l'esclavage",
        }
    }

    fn applies_in(self, region: Region, year: i32) -> bool {
        match self {
            HolidayKind::GoodFriday => matches!(region, Region::AlsaceMoselle | Region::Guadeloupe),
            HolidayKind::SaintStephensDay => region == Region::AlsaceMoselle,
            HolidayKind::MidLent => region == Region::Guadeloupe,
            HolidayKind::VictorSchoelcherDay => {
                matches!(region, Region::Guadeloupe | Region::Martinique) && year >= 1984
            }
            HolidayKind::AbolitionOfSlavery => {
                region.abolition_of_slavery().is_some() && year >= if region == Region::LaReunion { 1983 } else { 1984 }
            }
            HolidayKind::VictoryDay => (1953..=1959).contains(&year) || year >= 1982,
            _ => true,
        }
    }

    const ALL: [HolidayKind; 16] = [
        HolidayKind::NewYearsDay,
        HolidayKind::MidLent,
        HolidayKind::GoodFriday,
        HolidayKind::EasterMonday,
        HolidayKind::LabourDay,
        HolidayKind::VictoryDay,
        HolidayKind::AscensionDay,
        HolidayKind::WhitMonday,
        HolidayKind::NationalDay,
        HolidayKind::VictorSchoelcherDay,
        HolidayKind::AssumptionDay,
        HolidayKind::AllSaintsDay,
        HolidayKind::ArmisticeDay,
        HolidayKind::ChristmasDay,
        HolidayKind::SaintStephensDay,
        HolidayKind::AbolitionOfSlavery,
    ];

    /// The date in `year`, for a kind that applies in `region` (see `applies_in`).
    fn date_in(self, region: Region, year: i32, easter: Date) -> Date {
        let fixed = |month, day| Date::new(year, month, day).unwrap_or(Date::MAX);
        match self {
            HolidayKind::NewYearsDay => fixed(1, 1),
            HolidayKind::MidLent => easter.add_days(-24),
            HolidayKind::GoodFriday => easter.add_days(-2),
            HolidayKind::EasterMonday => easter.add_days(1),
            HolidayKind::LabourDay => fixed(5, 1),
            HolidayKind::VictoryDay => fixed(5, 8),
            HolidayKind::AscensionDay => easter.add_days(39),
            HolidayKind::WhitMonday => easter.add_days(50),
            HolidayKind::NationalDay => fixed(7, 14),
            HolidayKind::VictorSchoelcherDay => fixed(7, 21),
            HolidayKind::AssumptionDay => fixed(8, 15),
            HolidayKind::AllSaintsDay => fixed(11, 1),
            HolidayKind::ArmisticeDay => fixed(11, 11),
            HolidayKind::ChristmasDay => fixed(12, 25),
            HolidayKind::SaintStephensDay => fixed(12, 26),
            HolidayKind::AbolitionOfSlavery => match region.abolition_of_slavery() {
                Some((month, day)) => fixed(month, day),
                None => Date::MAX,
            },
        }
    }
}

/// One public holiday on one date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Holiday {
    pub date: Date,
    pub kind: HolidayKind,
}

impl Holiday {
    pub fn name_fr(self) -> &'static str {
        self.kind.name_fr()
    }
}

/// Easter Sunday of `year` by the Gregorian computus (anonymous algorithm, Meeus/Jones/Butcher).
/// Years before 1583 get the proleptic Gregorian result.
pub fn easter_sunday(year: i32) -> Date {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as u32, day as u32).unwrap_or(Date::MAX)
}

/// The holidays of `year` in `region`, in date order. Two holidays may share a date (Ascension
/// fell on 1 May in 2008): both are listed.
pub fn holidays(year: i32, region: Region) -> Vec<Holiday> {
    let easter = easter_sunday(year);
    let mut list: Vec<Holiday> = HolidayKind::ALL
        .into_iter()
        .filter(|kind| kind.applies_in(region, year))
        .map(|kind| Holiday {
            date: kind.date_in(region, year, easter),
            kind,
        })
        .collect();
    list.sort_by_key(|h| (h.date, h.kind));
    list
}

/// The holidays from `from` to `to`, both included, in date order.
pub fn holidays_between(from: Date, to: Date, region: Region) -> Vec<Holiday> {
    (from.year()..=to.year())
        .flat_map(|year| holidays(year, region))
        .filter(|h| (from..=to).contains(&h.date))
        .collect()
}

/// The holiday on `date`, if any (the first by kind when two coincide).
pub fn holiday_on(date: Date, region: Region) -> Option<Holiday> {
    let year = date.year();
    let easter = easter_sunday(year);
    HolidayKind::ALL
        .into_iter()
        .filter(|kind| kind.applies_in(region, year))
        .find(|kind| kind.date_in(region, year, easter) == date)
        .map(|kind| Holiday { date, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn easter_known_years() {
        for (year, date) in [
            (1818, "1818-03-22"),
            (1943, "1943-04-25"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
        ] {
            assert_eq!(easter_sunday(year), d(date), "{year}");
        }
    }

    #[test]
    fn holidays_2025() {
        let names: Vec<(String, &str)> = holidays(2025, Region::Metropole)
            .into_iter()
            .map(|h| (h.date.to_string(), h.name_fr()))
            .collect();
        let expected = [
            ("2025-01-01", "Jour de l'an"),
            ("2025-04-21", "Lundi de Pâques"),
            ("2025-05-01", "Fête du Travail"),
            ("2025-05-08", "Fête de la Victoire"),
            ("2025-05-29", "Ascension"),
            ("2025-06-09", "Lundi de Pentecôte"),
            ("2025-07-14", "Fête nationale"),
            ("2025-08-15", "Assomption"),
            ("2025-11-01", "Toussaint"),
            ("2025-11-11", "Armistice"),
            ("2025-12-25", "Noël"),
        ];
        assert_eq!(names, expected.map(|(d, n)| (d.to_string(), n)));
        let alsace = holidays(2025, Region::AlsaceMoselle);
        assert_eq!(alsace.len(), 13);
        assert_eq!(
            holiday_on(d("2025-04-18"), Region::AlsaceMoselle).unwrap().name_fr(),
            "Vendredi saint"
        );
        assert_eq!(holiday_on(d("2025-04-18"), Region::Metropole), None);
        assert_eq!(
            holiday_on(d("2025-12-26"), Region::AlsaceMoselle).unwrap().kind,
            HolidayKind::SaintStephensDay
        );
    }

    #[test]
    fn whit_monday_kept_during_solidarity_day_years() {
        assert!(holiday_on(d("2005-05-16"), Region::Metropole).is_some());
        assert!(holiday_on(d("2007-05-28"), Region::Metropole).is_some());
    }

    #[test]
    fn victory_day_gap() {
        // Not 1975: Ascension fell on 8 May that year.
        assert!(holiday_on(d("1976-05-08"), Region::Metropole).is_none());
        assert!(holiday_on(d("1955-05-08"), Region::Metropole).is_some());
        assert!(holiday_on(d("1982-05-08"), Region::Metropole).is_some());
    }

    #[test]
    fn coinciding_holidays_are_both_listed() {
        let on_may_first: Vec<_> = holidays(2008, Region::Metropole)
            .into_iter()
            .filter(|h| h.date == d("2008-05-01"))
            .map(|h| h.kind)
            .collect();
        assert_eq!(on_may_first, [HolidayKind::LabourDay, HolidayKind::AscensionDay]);
    }

    #[test]
    fn holidays_between_spans_years() {
        let list = holidays_between(d("2025-12-20"), d("2026-01-05"), Region::AlsaceMoselle);
        let kinds: Vec<_> = list.iter().map(|h| h.kind).collect();
        assert_eq!(
            kinds,
            [
                HolidayKind::ChristmasDay,
                HolidayKind::SaintStephensDay,
                HolidayKind::NewYearsDay
            ]
        );
    }

    #[test]
    fn regions_of_departements() {
        assert_eq!(Region::of_departement("57"), Region::AlsaceMoselle);
        assert_eq!(Region::of_departement(" 68"), Region::AlsaceMoselle);
        assert_eq!(Region::of_departement("77"), Region::Metropole);
        assert_eq!(
            serde_json::to_string(&Region::AlsaceMoselle).unwrap(),
            "\"alsace_moselle\""
        );
        for (code, region) in [
            ("971", Region::Guadeloupe),
            ("972", Region::Martinique),
            ("973", Region::Guyane),
            ("974", Region::LaReunion),
            ("976", Region::Mayotte),
            ("975", Region::Metropole),
            ("2A", Region::Metropole),
        ] {
            assert_eq!(Region::of_departement(code), region, "{code}");
        }
    }

    #[test]
    fn region_keys_are_the_serde_names() {
        for region in Region::ALL {
            let json = serde_json::to_string(&region).unwrap();
            assert_eq!(json, format!("\"{}\"", region.key()));
            assert_eq!(serde_json::from_str::<Region>(&json).unwrap(), region);
            assert_eq!(Region::from_key(region.key()), Some(region));
        }
        assert_eq!(Region::LaReunion.key(), "la_reunion");
        assert_eq!(Region::from_key("reunion"), None);
        // Settings saved before the overseas regions existed still read.
        assert_eq!(
            serde_json::from_str::<Region>("\"metropole\"").unwrap(),
            Region::Metropole
        );
        assert_eq!(
            serde_json::from_str::<Region>("\"alsace_moselle\"").unwrap(),
            Region::AlsaceMoselle
        );
    }

    #[test]
    fn overseas_holidays_2025() {
        let extra = |region| -> Vec<(String, &str)> {
            let national: Vec<Holiday> = holidays(2025, Region::Metropole);
            holidays(2025, region)
                .into_iter()
                .filter(|h| !national.contains(h))
                .map(|h| (h.date.to_string(), h.name_fr()))
                .collect()
        };
        let owned = |list: &[(&str, &'static str)]| -> Vec<(String, &'static str)> {
            list.iter().map(|(d, n)| (d.to_string(), *n)).collect()
        };
        assert_eq!(
            extra(Region::Guadeloupe),
            owned(&[
                ("2025-03-27", "Mi-Carême"),
                ("2025-04-18", "Vendredi saint"),
                ("2025-05-27", "Abolition de l'esclavage"),
                ("2025-07-21", "Fête de Victor Schoelcher"),
            ])
        );
        assert_eq!(
            extra(Region::Martinique),
            owned(&[
                ("2025-05-22", "Abolition de l'esclavage"),
                ("2025-07-21", "Fête de Victor Schoelcher"),
            ])
        );
        assert_eq!(
            extra(Region::Guyane),
            owned(&[("2025-06-10", "Abolition de l'esclavage")])
        );
        assert_eq!(
            extra(Region::LaReunion),
            owned(&[("2025-12-20", "Abolition de l'esclavage")])
        );
        assert_eq!(
            extra(Region::Mayotte),
            owned(&[("2025-04-27", "Abolition de l'esclavage")])
        );
        // Every national holiday applies overseas too.
        for region in Region::ALL {
            let list = holidays(2025, region);
            assert!(
                holidays(2025, Region::Metropole).iter().all(|h| list.contains(h)),
                "{region:?}"
            );
        }
        assert_eq!(
            holiday_on(d("2025-12-20"), Region::LaReunion).unwrap().kind,
            HolidayKind::AbolitionOfSlavery
        );
        assert_eq!(holiday_on(d("2025-12-20"), Region::Mayotte), None);
        assert_eq!(holiday_on(d("2025-12-26"), Region::Guadeloupe), None);
    }

    #[test]
    fn abolition_of_slavery_from_the_1983_decree() {
        assert!(holiday_on(d("1983-12-20"), Region::LaReunion).is_some());
        assert!(holiday_on(d("1982-12-20"), Region::LaReunion).is_none());
        assert!(holiday_on(d("1983-06-10"), Region::Guyane).is_none());
        assert!(holiday_on(d("1984-06-10"), Region::Guyane).is_some());
        assert!(holiday_on(d("1983-07-21"), Region::Martinique).is_none());
        assert!(holiday_on(d("1984-07-21"), Region::Martinique).is_some());
        // Mi-Carême and Good Friday have no start year in Guadeloupe.
        assert!(holiday_on(d("1980-04-04"), Region::Guadeloupe).is_some());
    }

    #[test]
    fn abolition_day_on_whit_monday_is_listed_twice() {
        // Guyane, 10 June 2019: Lundi de Pentecôte and abolition of slavery.
        let kinds: Vec<_> = holidays(2019, Region::Guyane)
            .into_iter()
            .filter(|h| h.date == d("2019-06-10"))
            .map(|h| h.kind)
            .collect();
        assert_eq!(kinds, [HolidayKind::WhitMonday, HolidayKind::AbolitionOfSlavery]);
    }
}
