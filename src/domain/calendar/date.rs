//! A civil date and its weekday, with day and month arithmetic.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::CalendarError;

/// A day of the proleptic Gregorian calendar, years 1 to 9999 (so ISO display is always
/// `YYYY-MM-DD`). Ordered chronologically. Serialised as the ISO string.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Date {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: i32,
    month: u32,
    day: u32,
}

/// Day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

const MIN_YEAR: i32 = 1;
const MAX_YEAR: i32 = 9999;

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

impl Weekday {
    const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 1 for Monday to 7 for Sunday (ISO 8601).
    pub fn number_from_monday(self) -> u32 {
        self as u32 + 1
    }

    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }

    /// Lower-case French name, as written inside a sentence ("lundi").
    pub fn name_fr(self) -> &'static str {
        match self {
            Weekday::Monday => "lundi",
            Weekday::Tuesday => "mardi",
            Weekday::Wednesday => "mercredi",
            Weekday::Thursday => "jeudi",
            Weekday::Friday => "vendredi",
            Weekday::Saturday => "samedi",
            Weekday::Sunday => "dimanche",
        }
    }
}

pub(crate) fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`, exact for any year).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of `days_from_civil`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

impl Date {
    /// 0001-01-01, the first supported day.
    pub const MIN: Date = Date {
        year: MIN_YEAR,
        month: 1,
        day: 1,
    };
    /// 9999-12-31, the last supported day.
    pub const MAX: Date = Date {
        year: MAX_YEAR,
        month: 12,
        day: 31,
    };

    /// A checked date; the error message says which part is wrong.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, CalendarError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange { year });
        }
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(CalendarError::NoSuchDate { year, month, day });
        }
        Ok(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn day(self) -> u32 {
        self.day
    }

    /// Days since 1970-01-01 (negative before). Fits in `i32` for the whole supported range.
    pub fn to_days(self) -> i32 {
        days_from_civil(self.year, self.month, self.day) as i32
    }

    /// The date `days` after 1970-01-01, if it is within years 1 to 9999.
    pub fn from_days(days: i64) -> Option<Date> {
        if days < i64::from(Date::MIN.to_days()) || days > i64::from(Date::MAX.to_days()) {
            return None;
        }
        let (year, month, day) = civil_from_days(days);
        Some(Date {
            year: year as i32,
            month,
            day,
        })
    }

    /// Like `from_days`, but clamps to `Date::MIN` / `Date::MAX`, so arithmetic never panics
    /// (a panic would kill the WebAssembly page).
    pub(crate) fn from_days_saturating(days: i64) -> Date {
        Date::from_days(days).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3 counting from Monday = 0).
        Weekday::ALL[(i64::from(self.to_days()) + 3).rem_euclid(7) as usize]
    }

    /// `self` plus `n` days (`n` may be negative), saturating at the ends of the supported range.
    pub fn add_days(self, n: i32) -> Date {
        Date::from_days_saturating(i64::from(self.to_days()) + i64::from(n))
    }

    pub fn checked_add_days(self, n: i32) -> Option<Date> {
        Date::from_days(i64::from(self.to_days()) + i64::from(n))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i32 {
        other.to_days() - self.to_days()
    }

    /// `self` plus `n` months; a day that does not exist in the target month becomes the last day
    /// of that month (31 May minus 3 months is 28 or 29 February). Saturates at the range ends.
    pub fn add_months(self, n: i32) -> Date {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(n);
        let year = index.div_euclid(12);
        if year < i64::from(MIN_YEAR) {
            return Date::MIN;
        }
        if year > i64::from(MAX_YEAR) {
            return Date::MAX;
        }
        let (year, month) = (year as i32, index.rem_euclid(12) as u32 + 1);
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// Short French form: "14/03/2025".
    pub fn format_fr(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// Long French form for sentences: "vendredi 14 mars 2025", "samedi 1er mars 2025".
    pub fn format_fr_long(self) -> String {
        format!("{} {}", self.weekday().name_fr(), self.format_fr_text())
    }

    /// `1er mars 2025`, `15 mars 2025`: the date as written in a French sentence.
    pub fn format_fr_text(self) -> String {
        let day = if self.day == 1 {
            "1er".to_string()
        } else {
            self.day.to_string()
        };
        format!("{} {} {}", day, MONTHS_FR[self.month as usize - 1], self.year)
    }

    /// Parses `YYYY-MM-DD` (surrounding spaces allowed), as sent by an HTML date input.
    pub fn parse_iso(input: &str) -> Result<Date, CalendarError> {
        let text = input.trim();
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            // Echo a bounded excerpt only: the input may be anything a client sent.
            let excerpt: String = text.chars().take(40).collect();
            return Err(CalendarError::InvalidDateFormat { input: excerpt });
        }
        let number = |range: std::ops::Range<usize>| -> u32 {
            text[range].bytes().fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        Date::new(number(0..4) as i32, number(5..7), number(8..10))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

// ISO in debug output too, so failing assertions read like dates.
impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl FromStr for Date {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Date, CalendarError> {
        Date::parse_iso(s)
    }
}

impl TryFrom<String> for Date {
    type Error = CalendarError;

    fn try_from(s: String) -> Result<Date, CalendarError> {
        Date::parse_iso(&s)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn days_from_civil_known_values() {
        assert_eq!(d("1970-01-01").to_days(), 0);
        assert_eq!(d("2000-03-01").to_days(), 11_017);
        assert_eq!(d("1969-12-31").to_days(), -1);
        assert_eq!(Date::from_days(19_797), Some(d("2024-03-15")));
        assert_eq!(Date::MIN.to_days(), -719_162);
        assert_eq!(Date::from_days(i64::from(Date::MIN.to_days()) - 1), None);
        assert_eq!(Date::from_days(i64::from(Date::MAX.to_days()) + 1), None);
    }

    #[test]
    fn every_day_round_trips_through_day_numbers() {
        let mut expected = Date::new(1899, 1, 1).unwrap();
        for days in expected.to_days()..d("2101-01-01").to_days() {
            let date = Date::from_days(i64::from(days)).unwrap();
            assert_eq!(date, expected);
            assert_eq!(date.to_days(), days);
            expected = if date.day < days_in_month(date.year, date.month) {
                Date {
                    day: date.day + 1,
                    ..date
                }
            } else if date.month < 12 {
                Date {
                    month: date.month + 1,
                    day: 1,
                    ..date
                }
            } else {
                Date {
                    year: date.year + 1,
                    month: 1,
                    day: 1,
                }
            };
        }
    }

    #[test]
    fn weekdays() {
        assert_eq!(d("1970-01-01").weekday(), Weekday::Thursday);
        assert_eq!(d("2025-03-14").weekday(), Weekday::Friday);
        assert_eq!(d("2024-02-29").weekday(), Weekday::Thursday);
        assert_eq!(d("0001-01-01").weekday(), Weekday::Monday);
        assert_eq!(Weekday::Sunday.number_from_monday(), 7);
        assert!(Weekday::Saturday.is_weekend() && !Weekday::Friday.is_weekend());
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        assert_eq!(d("2024-05-31").add_months(-3), d("2024-02-29"));
        assert_eq!(d("2025-05-31").add_months(-3), d("2025-02-28"));
        assert_eq!(d("2025-01-31").add_months(1), d("2025-02-28"));
        assert_eq!(d("2025-03-15").add_months(-12), d("2024-03-15"));
        assert_eq!(d("2025-03-15").add_months(10), d("2026-01-15"));
        assert_eq!(d("2025-03-15").add_months(-15), d("2023-12-15"));
        assert_eq!(d("9999-06-01").add_months(12), Date::MAX);
        assert_eq!(d("0001-06-01").add_months(-12), Date::MIN);
    }

    #[test]
    fn day_arithmetic_saturates() {
        assert_eq!(d("2025-12-31").add_days(1), d("2026-01-01"));
        assert_eq!(d("2024-03-01").add_days(-1), d("2024-02-29"));
        assert_eq!(Date::MAX.add_days(1), Date::MAX);
        assert_eq!(Date::MIN.add_days(i32::MIN), Date::MIN);
        assert_eq!(Date::MAX.checked_add_days(1), None);
        assert_eq!(d("2025-01-01").days_until(d("2025-12-31")), 364);
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(d(" 2025-03-14 ").to_string(), "2025-03-14");
        assert_eq!(d("0042-01-02").to_string(), "0042-01-02");
        assert_eq!(
            "2025-02-29".parse::<Date>().unwrap_err().to_string(),
            "Le 29/02/2025 n'existe pas dans le calendrier."
        );
        assert_eq!(
            "14/03/2025".parse::<Date>().unwrap_err().to_string(),
            "« 14/03/2025 » n'est pas une date valide : saisissez-la au format AAAA-MM-JJ (par exemple 2025-03-14)."
        );
        assert!("0000-01-01".parse::<Date>().is_err());
        assert!("2025-13-01".parse::<Date>().is_err());
        assert!("2025-1-01".parse::<Date>().is_err());
        assert!("+025-01-01".parse::<Date>().is_err());
        assert!("２０２５-01-01".parse::<Date>().is_err());
        let long = "x".repeat(10_000);
        assert!(long.parse::<Date>().unwrap_err().to_string().len() < 200);
    }

    #[test]
    fn french_formats() {
        assert_eq!(d("2025-03-14").format_fr(), "14/03/2025");
        assert_eq!(d("2025-03-14").format_fr_long(), "vendredi 14 mars 2025");
        assert_eq!(d("2025-03-01").format_fr_long(), "samedi 1er mars 2025");
        assert_eq!(d("2025-08-15").format_fr_long(), "vendredi 15 août 2025");
    }

    #[test]
    fn serde_uses_iso_strings() {
        let date = d("2025-03-14");
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2025-03-14\"");
        assert_eq!(serde_json::from_str::<Date>("\"2025-03-14\"").unwrap(), date);
        let err = serde_json::from_str::<Date>("\"2025-02-30\"").unwrap_err();
        assert!(err.to_string().contains("n'existe pas"), "{err}");
        assert!(serde_json::from_str::<Date>("{\"year\":2025,\"month\":1,\"day\":1}").is_err());
        assert_eq!(serde_json::to_string(&Weekday::Monday).unwrap(), "\"monday\"");
    }
}
