//! Calendar engine: dates, Europe/Paris time, French public holidays, business days, the sourcing
//! calendar of a consultation, the supplier retro-planning and iCalendar export.
//!
//! Pure and framework-free so that the browser (WebAssembly) and the server compute the very same
//! dates: the browser previews them live, the server enforces them. No chrono/time dependency, to
//! keep the WebAssembly small; Europe/Paris is the only time zone the product needs.
//!
//! Conventions:
//! - `Date` is a civil date (proleptic Gregorian, years 1 to 9999) and crosses the wire as an ISO
//!   string `YYYY-MM-DD`.
//! - Instants are Unix seconds (`i64`, UTC).
//! - A phase includes its end date until 23:59:59 Europe/Paris.
//! - Day counts chosen by a person are calendar days (`u32`); business-day counts are `i32` so they
//!   can go backwards.

mod business;
mod date;
mod holidays;
mod ical;
mod paris;
mod retroplanning;
mod sourcing;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod reference_tests;

pub use business::{
    add_business_days, add_calendar_days, business_days_between, is_business_day, next_business_day_on_or_after,
    previous_business_day_on_or_before,
};
pub use date::{Date, Weekday};
pub use holidays::{easter_sunday, holiday_on, holidays, holidays_between, Holiday, HolidayKind, Region};
pub use ical::{meeting_to_ics, to_ics, IcsEvent, IcsMeeting};
pub use paris::{
    paris_date, paris_datetime, paris_day_end_utc, paris_day_start_utc, paris_offset_seconds, paris_to_utc,
    ParisDateTime,
};
pub use retroplanning::{retro_planning, RetroPhase, RetroPhaseKind, RetroPlanning, RetroTask};
pub use sourcing::{
    propose, ExchangeExtension, Phase, PhaseKind, SourcingCalendar, SourcingMode, SourcingRule, SourcingSettings,
    Stage, Violation, DEFAULT_MIN_BUSINESS_DAYS_AFTER_NEW_VERSION,
};

/// What can go wrong when reading a date or a time typed by a person. Messages are French and say
/// what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum CalendarError {
    #[error("« {input} » n'est pas une date valide : saisissez-la au format AAAA-MM-JJ (par exemple 2025-03-14).")]
    InvalidDateFormat { input: String },
    #[error("Le {day:02}/{month:02}/{year:04} n'existe pas dans le calendrier.")]
    NoSuchDate { year: i32, month: u32, day: u32 },
    #[error("L'année {year} n'est pas prise en charge : choisissez une année entre 1 et 9999.")]
    YearOutOfRange { year: i32 },
    #[error("L'heure {hour:02}:{minute:02}:{second:02} n'est pas valide : l'heure va de 00:00:00 à 23:59:59.")]
    InvalidTime { hour: u32, minute: u32, second: u32 },
}
