//! The one source of "now" on the server: every date a rule depends on (which phase is open, a
//! session's expiry, a throttling window, the timestamps written to the database) is read here.
//!
//! Production runs on the system clock. Tests fix it (and move it forward when a test is about
//! time passing), so that no test depends on the day it runs; the end-to-end server is started
//! with `JSF_FIXED_NOW` for the same reason.

use crate::domain::calendar::{paris_date, paris_day_start_utc, paris_to_utc, Date};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Seconds since the Unix epoch when fixed; `None` for the system clock.
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock that stays at `unix_seconds` until moved with [`Clock::advance`].
    pub fn fixed(unix_seconds: i64) -> Clock {
        Clock {
            fixed: Some(Arc::new(AtomicI64::new(unix_seconds))),
        }
    }

    /// A fixed clock at 10:00, Paris time, on `date`.
    pub fn fixed_on(date: Date) -> Clock {
        Clock::fixed(paris_to_utc(date, 10, 0, 0).unwrap_or_else(|_| paris_day_start_utc(date)))
    }

    /// `JSF_FIXED_NOW` as Unix seconds or as an ISO date (`2026-12-03`, 10:00 in Paris).
    pub fn parse_fixed(value: &str) -> Result<Clock, String> {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<i64>() {
            return Ok(Clock::fixed(seconds));
        }
        Date::parse_iso(value)
            .map(Clock::fixed_on)
            .map_err(|_| format!("{value:?} is neither Unix seconds nor a date YYYY-MM-DD"))
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        match &self.fixed {
            Some(at) => at.load(Ordering::Relaxed),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or_default(),
        }
    }

    /// Today's date in Europe/Paris, the date every sourcing rule is written in.
    pub fn today(&self) -> Date {
        paris_date(self.now())
    }

    /// Moves a fixed clock forward (tests of expiries and windows); the system clock cannot be
    /// moved and is left alone.
    pub fn advance(&self, seconds: i64) {
        if let Some(at) = &self.fixed {
            at.fetch_add(seconds, Ordering::Relaxed);
        }
    }

    pub fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stays_until_moved() {
        let clock = Clock::parse_fixed("2026-12-03").unwrap();
        assert_eq!(clock.today(), Date::new(2026, 12, 3).unwrap());
        let before = clock.now();
        clock.clone().advance(86_400);
        assert_eq!(clock.now(), before + 86_400, "clones share the same time");
        assert_eq!(clock.today(), Date::new(2026, 12, 4).unwrap());
        assert!(Clock::parse_fixed("demain").is_err());
        assert_eq!(Clock::parse_fixed("1700000000").unwrap().now(), 1_700_000_000);
    }
}
