//! CPV codes (Common Procurement Vocabulary, CPV 2008, Commission Regulation (EC) No 213/2008):
//! one check for every form and for the server. Each error is a French sentence a person can
//! act on.
//!
//! A code is typed with its check digit (`77311000-3`) or without (`77311000`), and kept in one
//! canonical form, `NNNNNNNN-D`. The check digit cannot be computed: the formula published with
//! the CPV gives a wrong digit for most codes of the official list (the Publications Office
//! acknowledged it, OP-TED/ePO discussion #589). So the server looks the code up in the
//! official list, `data/cpv-2008.txt` (its 9,454 codes with their check digits; sources in
//! `data/README.md`): a check digit, when given, must be the official one; a code must exist.
//!
//! That list (104 KB) is compiled into the server only (`ssr`): in the browser build it would be
//! downloaded by every visitor with the WebAssembly. There `check_cpv` has the same signature but
//! checks the shape only (8 digits, then optionally a dash and one digit) and keeps the code as
//! typed; the server's verdict is the one that counts.

use std::fmt;

/// A code of the CPV main vocabulary. Displays in its canonical form `NNNNNNNN-D`; in the browser
/// build, a code typed without its check digit displays as its 8 digits (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CpvCode {
    digits: [u8; 8],
    check: Option<u8>,
}

impl CpvCode {
    /// The 8 digits, without the check digit.
    pub fn digits(&self) -> &str {
        std::str::from_utf8(&self.digits).expect("ASCII digits")
    }

    /// The check digit: always known on the server.
    pub fn check_digit(&self) -> Option<char> {
        self.check.map(char::from)
    }
}

impl fmt::Display for CpvCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.digits())?;
        match self.check_digit() {
            Some(check) => write!(f, "-{check}"),
            None => Ok(()),
        }
    }
}

/// Checks one typed code (spaces around it are ignored) and returns it in canonical form.
pub fn check_cpv(typed: &str) -> Result<CpvCode, String> {
    let typed = typed.trim();
    let code = parse(typed).ok_or_else(|| {
        format!(
            "« {typed} » n'est pas un code CPV : 8 chiffres, suivis ou non d'un tiret et du chiffre de contrôle (77311000-3 ou 77311000)."
        )
    })?;
    verify(code, typed)
}

/// Checks every code of a list already split (see `consultation::split_list`): the codes in
/// canonical form, without duplicates (`77311000` and `77311000-3` are one code), or every
/// problem.
pub fn check_cpv_list<S: AsRef<str>>(items: &[S]) -> Result<Vec<String>, Vec<String>> {
    super::lists::check_each(items, |item| check_cpv(item).map(|code| code.to_string()))
}

/// The shape: 8 ASCII digits, then optionally `-` and one digit.
fn parse(typed: &str) -> Option<CpvCode> {
    let bytes = typed.as_bytes();
    let (digits, check) = match bytes.len() {
        8 => (bytes, None),
        10 if bytes[8] == b'-' => (&bytes[..8], Some(bytes[9])),
        _ => return None,
    };
    if !digits.iter().chain(&check).all(u8::is_ascii_digit) {
        return None;
    }
    Some(CpvCode {
        digits: digits.try_into().ok()?,
        check,
    })
}

/// Browser build: the shape was checked, the server decides the rest.
#[cfg(not(feature = "ssr"))]
fn verify(code: CpvCode, _typed: &str) -> Result<CpvCode, String> {
    Ok(code)
}

/// Server: the code must be in the official list, and a check digit, when given, the official one.
#[cfg(feature = "ssr")]
fn verify(code: CpvCode, typed: &str) -> Result<CpvCode, String> {
    let Some(official) = official::check_digit(&code.digits) else {
        let mut problem =
            format!("« {typed} » n'est pas un code CPV : il ne figure pas dans la nomenclature officielle (CPV 2008).");
        if let Some(parent) = official::closest_parent(&code.digits) {
            problem.push_str(&format!(" Le code plus général le plus proche est {parent}."));
        }
        return Err(problem);
    };
    let canonical = CpvCode {
        digits: code.digits,
        check: Some(official),
    };
    match code.check {
        Some(given) if given != official => Err(format!(
            "« {typed} » : le chiffre de contrôle ne correspond pas au code CPV {digits}, qui s'écrit {canonical}. Vérifiez aussi les 8 chiffres.",
            digits = code.digits()
        )),
        _ => Ok(canonical),
    }
}

/// The official list: one code a line, `NNNNNNNN-D\n`, sorted, so a binary search over fixed-width
/// lines finds a code without parsing the list.
#[cfg(feature = "ssr")]
mod official {
    use super::CpvCode;

    const LIST: &str = include_str!("data/cpv-2008.txt");

    fn lines() -> &'static [[u8; 11]] {
        LIST.as_bytes().as_chunks::<11>().0
    }

    /// The official check digit of these 8 digits, if they are a code of the list.
    pub(super) fn check_digit(digits: &[u8; 8]) -> Option<u8> {
        let lines = lines();
        lines
            .binary_search_by(|line| line[..8].cmp(digits))
            .ok()
            .map(|at| lines[at][9])
    }

    /// The closest more general code of the list: the same digits with the last significant ones
    /// set to zero (`77311500` → `77311000-3`), down to the division (2 digits).
    pub(super) fn closest_parent(digits: &[u8; 8]) -> Option<CpvCode> {
        (2..8).rev().find_map(|kept| {
            let mut parent = *digits;
            parent[kept..].fill(b'0');
            (parent != *digits)
                .then(|| check_digit(&parent))
                .flatten()
                .map(|check| CpvCode {
                    digits: parent,
                    check: Some(check),
                })
        })
    }

    #[cfg(test)]
    pub(super) fn all() -> &'static [[u8; 11]] {
        lines()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_is_eight_digits_and_an_optional_check_digit() {
        assert_eq!(parse("77311000").unwrap().to_string(), "77311000");
        assert_eq!(parse("77311000-3").unwrap().to_string(), "77311000-3");
        for bad in [
            "",
            "7731",
            "7731100",
            "773110000",
            "77311000-",
            "77311000-33",
            "7731100a",
            "77311000_3",
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
            let problem = check_cpv(bad).unwrap_err();
            assert!(problem.contains("n'est pas un code CPV : 8 chiffres"), "{problem}");
        }
        assert!(parse("７７３１１０００").is_none(), "ASCII digits only");
    }

    #[test]
    fn a_list_is_checked_in_full_and_deduplicated_in_canonical_form() {
        let problems = check_cpv_list(&["abc", "77311000-3", "1234"]).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("« abc »") && problems[1].contains("« 1234 »"));
        let empty: [&str; 0] = [];
        assert_eq!(check_cpv_list(&empty), Ok(vec![]));
    }

    #[cfg(feature = "ssr")]
    mod server {
        use super::super::*;

        #[test]
        fn a_code_without_its_check_digit_is_accepted_and_completed() {
            // Issue 14: 77311000 was accepted for a consultation and refused for an organisation.
            let code = check_cpv("77311000").unwrap();
            assert_eq!(code.to_string(), "77311000-3");
            assert_eq!((code.digits(), code.check_digit()), ("77311000", Some('3')));
            assert_eq!(check_cpv(" 50312000 ").unwrap().to_string(), "50312000-5");
            assert_eq!(
                check_cpv_list(&["77311000", "77311000-3", "77310000-6"]),
                Ok(vec!["77311000-3".to_owned(), "77310000-6".to_owned()])
            );
        }

        #[test]
        fn a_check_digit_must_be_the_official_one() {
            for good in [
                "03000000-1",
                "45000000-7",
                "48000000-8",
                "50312000-5",
                "71355200-3",
                "72220000-3",
                "72250000-2",
                "77310000-6",
                "79000000-4",
                "90910000-9",
                "98513310-8",
            ] {
                assert_eq!(check_cpv(good).unwrap().to_string(), good);
            }
            let problem = check_cpv("77311000-4").unwrap_err();
            assert!(problem.contains("« 77311000-4 »"), "{problem}");
            assert!(
                problem.contains("le chiffre de contrôle ne correspond pas"),
                "{problem}"
            );
            assert!(problem.contains("s'écrit 77311000-3"), "{problem}");
        }

        #[test]
        fn an_unknown_code_is_refused_with_the_closest_known_one() {
            let problem = check_cpv("77311500").unwrap_err();
            assert!(problem.contains("« 77311500 » n'est pas un code CPV"), "{problem}");
            assert!(
                problem.contains("ne figure pas dans la nomenclature officielle"),
                "{problem}"
            );
            assert!(
                problem.ends_with("Le code plus général le plus proche est 77311000-3."),
                "{problem}"
            );
            let problem = check_cpv("00000000-0").unwrap_err();
            assert!(problem.contains("ne figure pas"), "{problem}");
            assert!(!problem.contains("plus proche"), "no division 00: {problem}");
            // Codes of national variants of the CPV (here the Ukrainian DK 021) are not CPV 2008.
            assert!(check_cpv("99999999-9").is_err());
        }

        #[test]
        fn the_official_list_is_whole_sorted_and_well_formed() {
            let lines = official::all();
            assert_eq!(lines.len(), 9_454, "Regulation (EC) No 213/2008");
            assert_eq!(include_str!("data/cpv-2008.txt").len(), 9_454 * 11, "no partial line");
            for line in lines {
                assert!(
                    line[..8].iter().chain(&line[9..10]).all(u8::is_ascii_digit)
                        && line[8] == b'-'
                        && line[10] == b'\n',
                    "{:?}",
                    String::from_utf8_lossy(line)
                );
            }
            assert!(lines.windows(2).all(|w| w[0][..8] < w[1][..8]), "sorted, no duplicates");
            // Every code but a division has its division in the list.
            for line in lines {
                let mut division = [b'0'; 8];
                division[..2].copy_from_slice(&line[..2]);
                assert!(official::check_digit(&division).is_some(), "{:?}", &line[..8]);
            }
        }
    }
}
