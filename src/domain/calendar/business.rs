//! Business days (jours ouvrés): Monday to Friday, except the public holidays of the region.

use super::holidays::{holiday_on, holidays};
use super::{Date, Region};

pub fn is_business_day(date: Date, region: Region) -> bool {
    !date.weekday().is_weekend() && holiday_on(date, region).is_none()
}

/// `date` plus `n` calendar days (negative goes back); saturates at years 1 and 9999.
pub fn add_calendar_days(date: Date, n: i32) -> Date {
    date.add_days(n)
}

/// `date` itself if it is a business day, else the next one: a deadline falling on a weekend or a
/// holiday moves to the next business day.
pub fn next_business_day_on_or_after(date: Date, region: Region) -> Date {
    step_to_business_day(date, 1, region)
}

/// `date` itself if it is a business day, else the previous one.
pub fn previous_business_day_on_or_before(date: Date, region: Region) -> Date {
    step_to_business_day(date, -1, region)
}

fn step_to_business_day(mut date: Date, step: i32, region: Region) -> Date {
    // Bounded by the supported range: stepping stops at Date::MIN / Date::MAX.
    while !is_business_day(date, region) {
        let next = date.add_days(step);
        if next == date {
            break;
        }
        date = next;
    }
    date
}

/// The `n`-th business day after `date` (before it when `n` is negative); `date` itself for 0.
/// `date` need not be a business day. Inverse of `business_days_between`:
/// `business_days_between(d, add_business_days(d, n, r), r) == n`.
/// Linear in `n`; saturates at the ends of the supported range.
pub fn add_business_days(date: Date, n: i32, region: Region) -> Date {
    let step = n.signum();
    let mut remaining = n.unsigned_abs();
    let mut current = date;
    while remaining > 0 {
        let next = current.add_days(step);
        if next == current {
            break;
        }
        current = next;
        if is_business_day(current, region) {
            remaining -= 1;
        }
    }
    current
}

/// The number of business days after `from`, up to and including `to`; negative (minus the number
/// of business days from `to` included up to `from` excluded) when `to` is before `from`.
/// So a phase from Monday to Friday, counted from the Monday, has 4 business days after it opened.
pub fn business_days_between(from: Date, to: Date, region: Region) -> i32 {
    if to >= from {
        count_in(from, to, region)
    } else {
        // [to, from) is (to - 1, from - 1].
        -count_in(to.add_days(-1), from.add_days(-1), region)
    }
}

/// Business days in (after, upto], in O(years) rather than O(days).
fn count_in(after: Date, upto: Date, region: Region) -> i32 {
    if upto <= after {
        return 0;
    }
    let mut count = weekdays_up_to(upto) - weekdays_up_to(after);
    for year in after.year()..=upto.year() {
        let mut last_counted = None;
        for holiday in holidays(year, region) {
            // Two holidays on one day remove one business day only.
            let date = holiday.date;
            if date > after && date <= upto && !date.weekday().is_weekend() && last_counted != Some(date) {
                count -= 1;
                last_counted = Some(date);
            }
        }
    }
    count as i32
}

/// Monday-to-Friday days from an arbitrary Monday origin up to `date` included (a cumulative count:
/// only differences are meaningful).
fn weekdays_up_to(date: Date) -> i64 {
    // 1969-12-29 was a Monday, 3 days before day 0.
    let since_monday = i64::from(date.to_days()) + 3;
    let (weeks, day_of_week) = (since_monday.div_euclid(7), since_monday.rem_euclid(7));
    weeks * 5 + (day_of_week + 1).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    const M: Region = Region::Metropole;

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        assert!(is_business_day(d("2025-03-14"), M));
        assert!(!is_business_day(d("2025-03-15"), M));
        assert!(!is_business_day(d("2025-05-01"), M));
        assert!(is_business_day(d("2025-12-26"), M));
        assert!(!is_business_day(d("2025-12-26"), Region::AlsaceMoselle));
    }

    #[test]
    fn deadlines_move_forward() {
        assert_eq!(next_business_day_on_or_after(d("2025-03-14"), M), d("2025-03-14"));
        assert_eq!(next_business_day_on_or_after(d("2025-03-15"), M), d("2025-03-17"));
        // Easter weekend then Easter Monday.
        assert_eq!(next_business_day_on_or_after(d("2025-04-19"), M), d("2025-04-22"));
        // Christmas Thursday 2025: Friday 26 is worked except in Alsace-Moselle.
        assert_eq!(next_business_day_on_or_after(d("2025-12-25"), M), d("2025-12-26"));
        assert_eq!(
            next_business_day_on_or_after(d("2025-12-25"), Region::AlsaceMoselle),
            d("2025-12-29")
        );
        assert_eq!(previous_business_day_on_or_before(d("2025-04-21"), M), d("2025-04-18"));
    }

    #[test]
    fn adding_business_days() {
        assert_eq!(add_business_days(d("2025-03-14"), 1, M), d("2025-03-17"));
        assert_eq!(add_business_days(d("2025-03-15"), 1, M), d("2025-03-17"));
        assert_eq!(add_business_days(d("2025-03-17"), 5, M), d("2025-03-24"));
        assert_eq!(add_business_days(d("2025-03-17"), -1, M), d("2025-03-14"));
        assert_eq!(add_business_days(d("2025-03-15"), -1, M), d("2025-03-14"));
        assert_eq!(add_business_days(d("2025-03-15"), 0, M), d("2025-03-15"));
        // Ascension (Thu 29 May 2025), then the weekend.
        assert_eq!(add_business_days(d("2025-05-28"), 2, M), d("2025-06-02"));
        assert_eq!(add_business_days(Date::MAX, 3, M), Date::MAX);
    }

    #[test]
    fn counting_business_days() {
        assert_eq!(business_days_between(d("2025-03-17"), d("2025-03-21"), M), 4);
        assert_eq!(business_days_between(d("2025-03-14"), d("2025-03-17"), M), 1);
        assert_eq!(business_days_between(d("2025-03-17"), d("2025-03-14"), M), -1);
        assert_eq!(business_days_between(d("2025-03-15"), d("2025-03-15"), M), 0);
        // 2025: 261 weekdays minus 10 holidays on weekdays (1 November is a Saturday).
        assert_eq!(business_days_between(d("2024-12-31"), d("2025-12-31"), M), 251);
        // 2008: Ascension and 1 May on the same Thursday count once.
        let naive = (1..=366)
            .map(|i| d("2007-12-31").add_days(i))
            .filter(|&day| day.year() == 2008 && is_business_day(day, M))
            .count() as i32;
        assert_eq!(business_days_between(d("2007-12-31"), d("2008-12-31"), M), naive);
    }
}
