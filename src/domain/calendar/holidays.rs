//! French public holidays (jours fériés) of metropolitan France, and the two extra days of
//! Alsace-Moselle.
//!
//! Legal basis: article L3133-1 of the code du travail lists the eleven fêtes légales; articles
//! L3134-13 (code du travail, local law of Bas-Rhin, Haut-Rhin and Moselle) add Good Friday and
//! 26 December. Names follow the reference library (PyPI `holidays`, see
//! `scripts/gen-holidays-reference.py`) so the reference test compares names too.
//!
//! Decisions where the law and the reference library differ, or where the law is subtle:
//! - Lundi de Pentecôte is a holiday every year. Loi 2004-626 (30 June 2004) made it, by default,
//!   the unpaid "journée de solidarité" in 2005-2007, but never removed it from the list of fêtes
//!   légales; loi 2008-351 only untied the two. The library omits it in 2005-2007; the reference
//!   test lists those three years as explicit exceptions.
//! - Good Friday is legally a holiday in Alsace-Moselle only in communes with a Protestant church
//!   or a mixed church; in practice it is observed in all three départements, as the library does.
//! - 8 May was not a holiday from 1960 to 1981 (décret 59-533, then loi 81-893): modelled, since it
//!   is the only post-war change. Earlier history (before 1953) is not modelled: the current list
//!   is applied to every other year.
//! - Overseas départements have further holidays, which are not modelled.

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
}

impl Region {
    /// The region whose holidays apply in a département, by its code ("57", "2A", "974"...).
    pub fn of_departement(code: &str) -> Region {
        match code.trim() {
            "57" | "67" | "68" => Region::AlsaceMoselle,
            _ => Region::Metropole,
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Region::Metropole => "France métropolitaine",
            Region::AlsaceMoselle => "Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)",
        }
    }
}

/// Each public holiday, by what it celebrates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    NewYearsDay,
    GoodFriday,
    EasterMonday,
    LabourDay,
    VictoryDay,
    AscensionDay,
    WhitMonday,
    NationalDay,
    AssumptionDay,
    AllSaintsDay,
    ArmisticeDay,
    ChristmasDay,
    SaintStephensDay,
}

impl HolidayKind {
    /// French name, as in the official lists and the reference library.
    pub fn name_fr(self) -> &'static str {
        match self {
            HolidayKind::NewYearsDay => "Jour de l'an",
            HolidayKind::GoodFriday => "Vendredi saint",
            HolidayKind::EasterMonday => "Lundi de Pâques",
            HolidayKind::LabourDay => "Fête du Travail",
            HolidayKind::VictoryDay => "Fête de la Victoire",
            HolidayKind::AscensionDay => "Ascension",
            HolidayKind::WhitMonday => "Lundi de Pentecôte",
            HolidayKind::NationalDay => "Fête nationale",
            HolidayKind::AssumptionDay => "Assomption",
            HolidayKind::AllSaintsDay => "Toussaint",
            HolidayKind::ArmisticeDay => "Armistice",
            HolidayKind::ChristmasDay => "Noël",
            HolidayKind::SaintStephensDay => "Saint-Étienne",
        }
    }

    fn applies_in(self, region: Region, year: i32) -> bool {
        match self {
            HolidayKind::GoodFriday | HolidayKind::SaintStephensDay => region == Region::AlsaceMoselle,
            HolidayKind::VictoryDay => (1953..=1959).contains(&year) || year >= 1982,
            _ => true,
        }
    }

    const ALL: [HolidayKind; 13] = [
        HolidayKind::NewYearsDay,
        HolidayKind::GoodFriday,
        HolidayKind::EasterMonday,
        HolidayKind::LabourDay,
        HolidayKind::VictoryDay,
        HolidayKind::AscensionDay,
        HolidayKind::WhitMonday,
        HolidayKind::NationalDay,
        HolidayKind::AssumptionDay,
        HolidayKind::AllSaintsDay,
        HolidayKind::ArmisticeDay,
        HolidayKind::ChristmasDay,
        HolidayKind::SaintStephensDay,
    ];

    fn date_in(self, year: i32, easter: Date) -> Date {
        let fixed = |month, day| Date::new(year, month, day).unwrap_or(Date::MAX);
        match self {
            HolidayKind::NewYearsDay => fixed(1, 1),
            HolidayKind::GoodFriday => easter.add_days(-2),
            HolidayKind::EasterMonday => easter.add_days(1),
            HolidayKind::LabourDay => fixed(5, 1),
            HolidayKind::VictoryDay => fixed(5, 8),
            HolidayKind::AscensionDay => easter.add_days(39),
            HolidayKind::WhitMonday => easter.add_days(50),
            HolidayKind::NationalDay => fixed(7, 14),
            HolidayKind::AssumptionDay => fixed(8, 15),
            HolidayKind::AllSaintsDay => fixed(11, 1),
            HolidayKind::ArmisticeDay => fixed(11, 11),
            HolidayKind::ChristmasDay => fixed(12, 25),
            HolidayKind::SaintStephensDay => fixed(12, 26),
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
            date: kind.date_in(year, easter),
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
        .find(|kind| kind.date_in(year, easter) == date)
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
    }
}
