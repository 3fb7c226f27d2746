//! Properties of the engine over random dates.

use proptest::prelude::*;

use super::*;

fn date_between(first: &str, last: &str) -> impl Strategy<Value = Date> {
    let (first, last) = (first.parse::<Date>().unwrap(), last.parse::<Date>().unwrap());
    (first.to_days()..=last.to_days()).prop_map(|days| Date::from_days(i64::from(days)).unwrap())
}

fn any_date() -> impl Strategy<Value = Date> {
    date_between("1900-01-01", "2200-12-31")
}

fn region() -> impl Strategy<Value = Region> {
    proptest::sample::select(Region::ALL.to_vec())
}

fn mode() -> impl Strategy<Value = SourcingMode> {
    prop_oneof![Just(SourcingMode::Open), Just(SourcingMode::Restricted)]
}

fn naive_count(from: Date, to: Date, region: Region) -> i32 {
    let (low, high, sign) = if to >= from {
        (from, to, 1)
    } else {
        (to.add_days(-1), from.add_days(-1), -1)
    };
    let mut count = 0;
    let mut day = low.add_days(1);
    while day <= high {
        count += i32::from(is_business_day(day, region));
        day = day.add_days(1);
    }
    sign * count
}

proptest! {
    #![proptest_config(crate::domain::proptest_config())]
    #[test]
    fn deadline_is_the_first_business_day_on_or_after(date in any_date(), region in region()) {
        let deadline = next_business_day_on_or_after(date, region);
        prop_assert!(is_business_day(deadline, region));
        prop_assert!(!deadline.weekday().is_weekend());
        prop_assert!(holiday_on(deadline, region).is_none());
        prop_assert!(deadline >= date && date.days_until(deadline) < 7);
        // Nothing in between: one business day after `date`, or none when it is one itself.
        prop_assert_eq!(business_days_between(date, deadline, region), i32::from(!is_business_day(date, region)));
        let previous = previous_business_day_on_or_before(date, region);
        prop_assert!(is_business_day(previous, region) && previous <= date);
    }

    #[test]
    fn adding_then_counting_gives_n(date in any_date(), n in -400i32..=400, region in region()) {
        let target = add_business_days(date, n, region);
        prop_assert_eq!(business_days_between(date, target, region), n);
        if n != 0 {
            prop_assert!(is_business_day(target, region));
        }
        if is_business_day(date, region) {
            prop_assert_eq!(add_business_days(target, -n, region), date);
        }
    }

    #[test]
    fn counting_matches_day_by_day(from in any_date(), span in -800i32..=800, region in region()) {
        let to = from.add_days(span);
        prop_assert_eq!(business_days_between(from, to, region), naive_count(from, to, region));
    }

    #[test]
    fn calendar_days_are_invertible(date in any_date(), n in -100_000i32..=100_000) {
        prop_assert_eq!(add_calendar_days(add_calendar_days(date, n), -n), date);
        prop_assert_eq!(date.days_until(add_calendar_days(date, n)), n);
    }

    #[test]
    fn dates_round_trip(date in date_between("0001-01-01", "9999-12-31")) {
        prop_assert_eq!(Date::from_days(i64::from(date.to_days())), Some(date));
        prop_assert_eq!(date.to_string().parse::<Date>(), Ok(date));
        prop_assert_eq!(Date::new(date.year(), date.month(), date.day()), Ok(date));
    }

    #[test]
    fn months_clamp_and_count(date in any_date(), n in -240i32..=240) {
        let moved = date.add_months(n);
        let months = |d: Date| d.year() * 12 + d.month() as i32;
        prop_assert_eq!(months(moved) - months(date), n);
        prop_assert!(moved.day() <= date.day());
        prop_assert!(moved.day() == date.day() || moved.add_days(1).day() == 1);
    }

    #[test]
    fn paris_instants_round_trip(unix in 631_152_000i64..4_133_980_800) {
        let local = paris_datetime(unix);
        let back = paris_to_utc(local.date, local.hour, local.minute, local.second).unwrap();
        // The hour repeated in October maps back to its first occurrence.
        let repeated = paris_offset_seconds(unix) == 3600 && paris_offset_seconds(unix - 3600) == 7200;
        prop_assert!(back == unix || (repeated && back == unix - 3600), "{unix} -> {local:?} -> {back}");
    }

    #[test]
    fn paris_days_round_trip(date in date_between("1990-01-01", "2100-12-31")) {
        prop_assert_eq!(paris_date(paris_day_start_utc(date)), date);
        prop_assert_eq!(paris_date(paris_day_start_utc(date) - 1), date.add_days(-1));
        prop_assert_eq!(paris_date(paris_day_end_utc(date)), date);
        prop_assert_eq!(paris_date(paris_day_end_utc(date) + 1), date.add_days(1));
        prop_assert_eq!(paris_day_end_utc(date) + 1, paris_day_start_utc(date.add_days(1)));
    }

    #[test]
    fn proposals_validate(mode in mode(), start in date_between("1990-01-01", "2100-12-15"), region in region()) {
        let settings = propose(mode, start, region);
        prop_assert_eq!(settings.validate(), vec![]);
        let calendar = settings.calendar();
        prop_assert_eq!(calendar.phases[0].start, settings.start);
        prop_assert!(is_business_day(calendar.phases[0].start, region));
        for pair in calendar.phases.windows(2) {
            prop_assert_eq!(pair[0].end.add_days(1), pair[1].start);
        }
        for phase in &calendar.phases {
            prop_assert!(is_business_day(phase.end, region));
        }
    }

    #[test]
    fn chosen_durations_are_respected(
        mode in mode(),
        start in date_between("1990-01-01", "2100-01-01"),
        call in 14u32..=60,
        exchanges in 7u32..=14,
        drafting in 1u32..=90,
        region in region(),
    ) {
        let settings = SourcingSettings {
            mode, start, call_days: call, exchange_days: exchanges, drafting_days: drafting,
            region, min_business_days_after_new_version: 5, extension_days: 0,
        };
        prop_assert_eq!(settings.validate(), vec![]);
        for phase in settings.calendar().phases {
            let chosen = match phase.kind {
                PhaseKind::CallForParticipation => call,
                PhaseKind::Exchanges => exchanges,
                PhaseKind::Drafting => drafting,
            };
            // Never shorter; at most a week longer (a weekend plus holidays).
            prop_assert!(phase.days() >= chosen && phase.days() < chosen + 7);
        }
    }

    #[test]
    fn new_versions_leave_enough_business_days(
        mode in mode(),
        start in date_between("1990-01-01", "2100-01-01"),
        offset in -20i32..=40,
        needed in 0u32..=10,
        region in region(),
    ) {
        let mut settings = propose(mode, start, region);
        settings.min_business_days_after_new_version = needed;
        let calendar = settings.calendar();
        let exchanges = *calendar.phase(PhaseKind::Exchanges).unwrap();
        let published = exchanges.start.add_days(offset);
        let counted_from = published.max(exchanges.start.add_days(-1));
        match calendar.extension_for_new_version(published, 2) {
            Some(extension) => {
                let new = extension.calendar.phase(PhaseKind::Exchanges).unwrap();
                prop_assert_eq!(new.end, extension.exchanges_end);
                prop_assert!(new.end > exchanges.end);
                prop_assert!(is_business_day(new.end, region));
                prop_assert_eq!(business_days_between(counted_from, new.end, region), needed as i32);
                let drafting = extension.calendar.phase(PhaseKind::Drafting).unwrap();
                prop_assert_eq!(drafting.start, new.end.add_days(1));
                prop_assert!(extension.message.contains("version 2"));
            }
            None => {
                prop_assert!(published > exchanges.end
                    || business_days_between(counted_from, exchanges.end, region) >= needed as i32);
            }
        }
    }

    #[test]
    fn ics_lines_are_short_and_text_survives(
        text in "(\\PC|\n|\r\n|\r|\t|;|,|\\\\|\u{7})*",
        name in "[a-zé ;,\\\\]{0,90}",
    ) {
        let event = IcsEvent {
            uid: "x.test@example.org".into(),
            stamp_unix: 0,
            first_day: "2025-01-01".parse().unwrap(),
            last_day: "2025-01-01".parse().unwrap(),
            summary: text.clone(),
            description: name.clone(),
        };
        let ics = to_ics(&name, &[event]);
        prop_assert!(ics.ends_with("\r\n"));
        for line in ics.split_terminator("\r\n") {
            prop_assert!(line.len() <= 75);
            prop_assert!(!line.contains('\n') && !line.contains('\r'));
        }
        let unfolded = ics.replace("\r\n ", "");
        let summary = unfolded.split("\r\n").find_map(|l| l.strip_prefix("SUMMARY:")).unwrap();
        let expected: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        prop_assert_eq!(unescape(summary), expected);
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}
