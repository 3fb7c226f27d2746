//! Europe/Paris local time, by the EU summer-time rule (directive 2000/84/EC): CET (UTC+1), and
//! CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
//! The rule is applied to every year; it is historically exact from 1996 on, which covers every
//! date the product handles.

use serde::{Deserialize, Serialize};

use super::date::days_in_month;
use super::{CalendarError, Date};

const CET: i32 = 3600;
const CEST: i32 = 7200;
pub(super) const DAY: i64 = 86_400;

/// A wall-clock date and time in Paris.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ParisDateTime {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

fn last_sunday(year: i32, month: u32) -> Date {
    let last = Date::new(year, month, days_in_month(year, month)).unwrap_or(Date::MAX);
    // Monday is 1 and Sunday 7: going back `number % 7` days lands on a Sunday.
    last.add_days(-((last.weekday().number_from_monday() % 7) as i32))
}

/// Seconds to add to UTC to get Paris time at `unix` (3600 in winter, 7200 in summer).
pub fn paris_offset_seconds(unix: i64) -> i32 {
    let year = utc_date(unix).year();
    let summer_start = i64::from(last_sunday(year, 3).to_days()) * DAY + 3600;
    let summer_end = i64::from(last_sunday(year, 10).to_days()) * DAY + 3600;
    if (summer_start..summer_end).contains(&unix) {
        CEST
    } else {
        CET
    }
}

fn utc_date(unix: i64) -> Date {
    Date::from_days_saturating(unix.div_euclid(DAY))
}

/// The Paris date and time at the UTC instant `unix` (clamped to years 1 to 9999).
pub fn paris_datetime(unix: i64) -> ParisDateTime {
    let local = unix.saturating_add(i64::from(paris_offset_seconds(unix)));
    let date = Date::from_days(local.div_euclid(DAY));
    let seconds = local.rem_euclid(DAY) as u32;
    match date {
        Some(date) => ParisDateTime {
            date,
            hour: seconds / 3600,
            minute: seconds / 60 % 60,
            second: seconds % 60,
        },
        None if local < 0 => ParisDateTime {
            date: Date::MIN,
            hour: 0,
            minute: 0,
            second: 0,
        },
        None => ParisDateTime {
            date: Date::MAX,
            hour: 23,
            minute: 59,
            second: 59,
        },
    }
}

/// The Paris calendar date at the UTC instant `unix`.
pub fn paris_date(unix: i64) -> Date {
    paris_datetime(unix).date
}

/// The UTC instant of a Paris wall-clock time. As RFC 5545 specifies, a time that occurs twice
/// (the October change) means its first occurrence, and a time skipped by the March change is read
/// with the offset in force before the change (02:30 becomes 03:30 CEST).
pub fn paris_to_utc(date: Date, hour: u32, minute: u32, second: u32) -> Result<i64, CalendarError> {
    if hour > 23 || minute > 59 || second > 59 {
        return Err(CalendarError::InvalidTime { hour, minute, second });
    }
    let local = i64::from(date.to_days()) * DAY + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    // Summer reading first: it is the first occurrence when both readings are valid.
    let summer = local - i64::from(CEST);
    if paris_offset_seconds(summer) == CEST {
        Ok(summer)
    } else {
        Ok(local - i64::from(CET))
    }
}

/// The UTC instant of 00:00:00 Paris time on `date` (midnight always exists in Paris).
pub fn paris_day_start_utc(date: Date) -> i64 {
    paris_to_utc(date, 0, 0, 0).unwrap_or_default()
}

/// The UTC instant of 23:59:59 Paris time on `date`: the last second of a phase ending that day.
pub fn paris_day_end_utc(date: Date) -> i64 {
    paris_to_utc(date, 23, 59, 59).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn at(unix: i64) -> (String, u32, u32, u32) {
        let t = paris_datetime(unix);
        (t.date.to_string(), t.hour, t.minute, t.second)
    }

    // Expected values were computed with Python's zoneinfo (tzdata) for Europe/Paris.
    #[test]
    fn spring_forward() {
        assert_eq!(at(1_743_296_399), ("2025-03-30".into(), 1, 59, 59));
        assert_eq!(at(1_743_296_400), ("2025-03-30".into(), 3, 0, 0));
        assert_eq!(paris_offset_seconds(1_743_296_399), 3600);
        assert_eq!(paris_offset_seconds(1_743_296_400), 7200);
        assert_eq!(at(1_711_846_800), ("2024-03-31".into(), 3, 0, 0));
    }

    #[test]
    fn fall_back() {
        assert_eq!(at(1_761_440_399), ("2025-10-26".into(), 2, 59, 59));
        assert_eq!(at(1_761_440_400), ("2025-10-26".into(), 2, 0, 0));
        assert_eq!(at(1_729_990_799), ("2024-10-27".into(), 2, 59, 59));
    }

    #[test]
    fn transitions_match_tzdata() {
        let expected: [(i32, i64, i64); 7] = [
            (1996, 828_234_000, 846_378_000),
            (2000, 954_032_400, 972_781_200),
            (2024, 1_711_846_800, 1_729_990_800),
            (2025, 1_743_296_400, 1_761_440_400),
            (2026, 1_774_746_000, 1_792_890_000),
            (2030, 1_901_149_200, 1_919_293_200),
            (2037, 2_121_901_200, 2_140_045_200),
        ];
        for (year, start, end) in expected {
            assert_eq!(paris_offset_seconds(start - 1), 3600, "{year}");
            assert_eq!(paris_offset_seconds(start), 7200, "{year}");
            assert_eq!(paris_offset_seconds(end - 1), 7200, "{year}");
            assert_eq!(paris_offset_seconds(end), 3600, "{year}");
        }
    }

    #[test]
    fn local_midnight_changes_the_date() {
        assert_eq!(paris_date(1_751_320_799), d("2025-06-30"));
        assert_eq!(paris_date(1_751_320_800), d("2025-07-01"));
        assert_eq!(paris_date(1_767_221_999), d("2025-12-31"));
        assert_eq!(paris_date(1_767_222_000), d("2026-01-01"));
    }

    #[test]
    fn local_to_utc() {
        assert_eq!(paris_day_end_utc(d("2025-03-14")), 1_741_993_199);
        assert_eq!(paris_day_end_utc(d("2025-07-14")), 1_752_530_399);
        // Skipped hour: read with the winter offset.
        assert_eq!(paris_to_utc(d("2025-03-30"), 2, 30, 0), Ok(1_743_298_200));
        // Repeated hour: the first (summer) occurrence.
        assert_eq!(paris_to_utc(d("2025-10-26"), 2, 30, 0), Ok(1_761_438_600));
        assert_eq!(paris_day_start_utc(d("2025-07-01")), 1_751_320_800);
        assert!(paris_to_utc(d("2025-01-01"), 24, 0, 0).is_err());
    }

    #[test]
    fn extreme_instants_clamp() {
        assert_eq!(paris_date(i64::MAX), Date::MAX);
        assert_eq!(paris_date(i64::MIN), Date::MIN);
    }
}
