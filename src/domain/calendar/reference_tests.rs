//! The holidays compared with the reference library's, year by year (see
//! `scripts/gen-holidays-reference.py`).

use std::collections::{BTreeMap, BTreeSet};

use super::{holidays, Region};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/holidays-fr.csv");

/// Holidays the engine has and the library does not, in every region: Lundi de Pentecôte
/// 2005-2007, which loi 2004-626 made the default "journée de solidarité" without removing it from
/// the fêtes légales (see the module documentation of `holidays`).
const ENGINE_ONLY: [(&str, &str); 3] = [
    ("2005-05-16", "Lundi de Pentecôte"),
    ("2006-06-05", "Lundi de Pentecôte"),
    ("2007-05-28", "Lundi de Pentecôte"),
];

type ByYear = BTreeMap<(String, i32), BTreeSet<(String, String)>>;

fn reference() -> ByYear {
    let text = std::fs::read_to_string(REFERENCE).expect("tests/data/holidays-fr.csv is checked in");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("region,date,name"));
    let mut by_year = ByYear::new();
    for line in lines {
        assert!(!line.contains('"'), "quoted CSV field not expected: {line}");
        let fields: Vec<&str> = line.split(',').collect();
        let [region, date, name] = fields[..] else {
            panic!("three fields expected: {line}");
        };
        let year: i32 = date[..4].parse().unwrap();
        let new = by_year
            .entry((region.to_string(), year))
            .or_default()
            .insert((date.to_string(), name.to_string()));
        assert!(new, "duplicate row: {line}");
    }
    by_year
}

#[test]
fn holidays_match_the_reference_library_1990_to_2100() {
    let reference = reference();
    let mut engine = ByYear::new();
    for region in Region::ALL {
        for year in 1990..=2100 {
            let set = holidays(year, region)
                .into_iter()
                .map(|h| (h.date.to_string(), h.name_fr().to_string()))
                .collect();
            engine.insert((region.key().to_string(), year), set);
        }
    }
    assert_eq!(
        reference.keys().collect::<Vec<_>>(),
        engine.keys().collect::<Vec<_>>(),
        "the reference must cover every region, 1990 to 2100"
    );
    let exceptions = Region::ALL
        .into_iter()
        .flat_map(|region| ENGINE_ONLY.map(|(date, name)| (region, date, name)));
    for (region, date, name) in exceptions {
        let key = (region.key().to_string(), date[..4].parse().unwrap());
        let holiday = (date.to_string(), name.to_string());
        assert!(engine[&key].contains(&holiday), "exception not in engine: {holiday:?}");
        assert!(
            !reference[&key].contains(&holiday),
            "exception now in reference: {holiday:?}"
        );
        engine.get_mut(&key).unwrap().remove(&holiday);
    }
    for (key, expected) in &reference {
        let actual = &engine[key];
        assert_eq!(
            actual,
            expected,
            "{key:?}: engine only {:?}, reference only {:?}",
            actual.difference(expected).collect::<Vec<_>>(),
            expected.difference(actual).collect::<Vec<_>>()
        );
    }
}
