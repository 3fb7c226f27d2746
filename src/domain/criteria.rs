//! Award criteria: part of each specification version, annotated like clauses.
//!
//! CONTRACT (shared by diffs and annotations): `Criterion::id` is stable across versions, as a
//! clause id is. Ids are given at publication by `carry_criterion_ids`: same name (folded) keeps
//! the id, a new name gets `critere-<slug>`, made unique; an id once used in the previous version
//! is never given to a different criterion.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::spec::slugify;

/// Most criteria a version may have (real consultations have 2 to 8).
pub const MAX_CRITERIA: usize = 30;
const MAX_NAME_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 5_000;

/// One award criterion: a name, its weight in percent and how it will be judged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable id (`critere-prix`); empty in a draft until publication.
    #[serde(default)]
    pub id: String,
    pub name: String,
    /// Weight in whole percent.
    pub weight: u32,
    #[serde(default)]
    pub description: String,
}

/// Checks a list of criteria and returns every problem, in French, in the order of the list.
/// An empty list is valid (a first draft may not have criteria yet); otherwise the weights must
/// add up to 100.
pub fn validate(criteria: &[Criterion]) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if criteria.len() > MAX_CRITERIA {
        problems.push(format!(
            "Au plus {MAX_CRITERIA} critères d'attribution ({} saisis).",
            criteria.len()
        ));
    }
    let mut names = HashSet::new();
    for (i, c) in criteria.iter().enumerate() {
        let n = i + 1;
        let name = c.name.trim();
        if name.is_empty() {
            problems.push(format!("Critère {n} : indiquez son nom."));
        } else if name.chars().count() > MAX_NAME_CHARS {
            problems.push(format!("Critère {n} : le nom dépasse {MAX_NAME_CHARS} caractères."));
        } else if !names.insert(slugify(name)) {
            problems.push(format!("Critère {n} : « {name} » figure déjà dans la liste."));
        }
        if c.weight == 0 || c.weight > 100 {
            problems.push(format!(
                "Critère {n} : la pondération doit être comprise entre 1 et 100 %."
            ));
        }
        if c.description.chars().count() > MAX_DESCRIPTION_CHARS {
            problems.push(format!(
                "Critère {n} : la description dépasse {MAX_DESCRIPTION_CHARS} caractères."
            ));
        }
    }
    let total: u64 = criteria.iter().map(|c| u64::from(c.weight)).sum();
    if !criteria.is_empty() && total != 100 {
        problems.push(format!(
            "La somme des pondérations est de {total} % : elle doit être de 100 % ({}).",
            if total < 100 {
                format!("il manque {} points", 100 - total)
            } else {
                format!("{} points de trop", total - 100)
            }
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Total of the weights, for a live indicator in the editor.
pub fn total_weight(criteria: &[Criterion]) -> u64 {
    criteria.iter().map(|c| u64::from(c.weight)).sum()
}

/// Gives each criterion of `next` its id: the id of the criterion of `previous` with the same
/// (folded) name, else a fresh `critere-<slug>` that `previous` never used.
pub fn carry_criterion_ids(previous: &[Criterion], next: &mut [Criterion]) {
    let mut used: HashSet<String> = previous.iter().map(|c| c.id.clone()).collect();
    let mut given: HashSet<String> = HashSet::new();
    let mut fresh = Vec::new();
    for (i, c) in next.iter_mut().enumerate() {
        let key = slugify(c.name.trim());
        match previous
            .iter()
            .find(|p| slugify(p.name.trim()) == key && !given.contains(&p.id))
        {
            Some(p) => {
                c.id = p.id.clone();
                given.insert(p.id.clone());
            }
            None => fresh.push(i),
        }
    }
    used.extend(given);
    for i in fresh {
        let base = format!("critere-{}", slugify(next[i].name.trim()));
        let id = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}-{n}")))
            .find(|id| !used.contains(id))
            .expect("an unused suffix always exists");
        used.insert(id.clone());
        next[i].id = id;
    }
}

/// Criteria as the companies read them (names, weights, descriptions; ids are carried by the
/// server, not chosen by the buyer).
pub fn same_criteria(before: &[Criterion], after: &[Criterion]) -> bool {
    before.len() == after.len()
        && before.iter().zip(after).all(|(a, b)| {
            a.name.trim() == b.name.trim() && a.weight == b.weight && a.description.trim() == b.description.trim()
        })
}

/// Why a publication would be refused as a copy of version `number` (same text, same
/// criteria), in French; `None` when something changed. The editor and the server ask the same.
pub fn unchanged_since(
    number: i64,
    (published_text, published_criteria): (&str, &[Criterion]),
    (text, criteria): (&str, &[Criterion]),
) -> Option<String> {
    (published_text == text && same_criteria(published_criteria, criteria)).then(|| {
        format!(
            "Ce texte et ces critères sont identiques à ceux de la version {number} : rien ne changerait pour les \
             entreprises. Modifiez le cahier des charges ou les critères avant de publier une nouvelle version."
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_copy_of_the_last_version_is_recognised() {
        let c = |name: &str, weight| super::Criterion {
            id: String::new(),
            name: name.into(),
            weight,
            description: String::new(),
        };
        let published = [c("Prix", 60), c("Valeur technique", 40)];
        let mut with_id = published.clone();
        with_id[0].id = "critere-prix".into();
        assert!(super::unchanged_since(2, ("T", &published), ("T", &with_id)).is_some());
        assert!(super::unchanged_since(2, ("T", &published), ("T ", &published)).is_none());
        assert!(
            super::unchanged_since(2, ("T", &published), ("T", &[c("Prix", 70), c("Valeur technique", 30)])).is_none()
        );
    }

    use super::*;

    fn criterion(name: &str, weight: u32) -> Criterion {
        Criterion {
            id: String::new(),
            name: name.into(),
            weight,
            description: String::new(),
        }
    }

    #[test]
    fn weights_must_add_up_to_one_hundred() {
        assert!(validate(&[criterion("Prix", 40), criterion("Valeur technique", 60)]).is_ok());
        assert!(validate(&[]).is_ok());
        let problems = validate(&[criterion("Prix", 40), criterion("Valeur technique", 50)]).unwrap_err();
        assert_eq!(
            problems,
            vec!["La somme des pondérations est de 90 % : elle doit être de 100 % (il manque 10 points)."]
        );
        let problems = validate(&[criterion("Prix", 70), criterion("Délais", 40)]).unwrap_err();
        assert!(problems[0].contains("10 points de trop"), "{problems:?}");
    }

    #[test]
    fn each_problem_names_its_criterion() {
        let problems = validate(&[criterion(" ", 50), criterion("Prix", 0), criterion("prix", 50)]).unwrap_err();
        assert!(
            problems.contains(&"Critère 1 : indiquez son nom.".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("Critère 2 : la pondération")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("Critère 3 : « prix » figure déjà")),
            "{problems:?}"
        );
    }

    #[test]
    fn ids_follow_names() {
        let mut v1 = vec![criterion("Prix", 40), criterion("Valeur technique", 60)];
        carry_criterion_ids(&[], &mut v1);
        assert_eq!(v1[0].id, "critere-prix");
        assert_eq!(v1[1].id, "critere-valeur-technique");

        // Reordered, renamed case, one removed and one added.
        let mut v2 = vec![criterion("VALEUR TECHNIQUE", 50), criterion("Délais", 50)];
        carry_criterion_ids(&v1, &mut v2);
        assert_eq!(v2[0].id, "critere-valeur-technique");
        assert_eq!(v2[1].id, "critere-delais");

        // "Prix" comes back after being removed: it gets the id of v2's list, fresh again.
        let mut v3 = vec![criterion("Prix", 30), criterion("Délais", 70)];
        carry_criterion_ids(&v2, &mut v3);
        assert_eq!(v3[1].id, "critere-delais");
        assert_eq!(v3[0].id, "critere-prix");
    }
}
