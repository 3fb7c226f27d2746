//! The supplier's retro-planning (seed 002): a countdown from day J, the day the company submits its
//! bid, for a contract of current services or supplies (exceptional works need longer delays).
//!
//! Phases, in calendar days: prospection from J-12 months to the day before J-8 months; the
//! procedure is prepared from J-8 months to J-53 days; the notice is out from J-52 days to J-1;
//! submission on J. The seed's boundaries are shared ("between J-8 months and J-52 days"), so each
//! phase ends the day before the next starts. Months clamp to the end of the month.

use serde::{Deserialize, Serialize};

use super::ical::IcsEvent;
use super::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetroPhaseKind {
    Prospection,
    ProcedurePreparation,
    NoticePublished,
    Submission,
}

impl RetroPhaseKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            RetroPhaseKind::Prospection => "La prospection",
            RetroPhaseKind::ProcedurePreparation => "Je suis informé de la préparation d'une procédure de passation",
            RetroPhaseKind::NoticePublished => "Je découvre la publicité",
            RetroPhaseKind::Submission => "Je soumissionne (jour J)",
        }
    }

    /// Stable key, for UIDs and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            RetroPhaseKind::Prospection => "prospection",
            RetroPhaseKind::ProcedurePreparation => "preparation",
            RetroPhaseKind::NoticePublished => "notice",
            RetroPhaseKind::Submission => "submission",
        }
    }

    /// The period as the seed writes it.
    pub fn period_fr(self) -> &'static str {
        match self {
            RetroPhaseKind::Prospection => "Entre J-12 mois et J-8 mois",
            RetroPhaseKind::ProcedurePreparation => "Entre J-8 mois et J-52 jours",
            RetroPhaseKind::NoticePublished => "Entre J-52 jours et J-1 jour",
            RetroPhaseKind::Submission => "Jour J",
        }
    }
}

/// One objective of a phase. `key` is stable (safe to store a supplier's progress against it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetroTask {
    pub key: String,
    pub label: String,
    pub details: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetroPhase {
    pub kind: RetroPhaseKind,
    pub start: Date,
    /// Included.
    pub end: Date,
    pub tasks: Vec<RetroTask>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetroPlanning {
    pub submission: Date,
    pub phases: Vec<RetroPhase>,
}

type TaskText = (&'static str, &'static str, &'static [&'static str]);

// Wording from seed 002, lightly normalised (sentence case, accents).
const PROSPECTION: &[TaskText] = &[
    (
        "prospection.target_buyers",
        "Établir la liste des collectivités publiques cibles",
        &["À hiérarchiser selon la situation géographique et l'activité de la personne publique"],
    ),
    (
        "prospection.decision_maker",
        "Déterminer le nom de la personne responsable du marché ou du décideur",
        &[],
    ),
    (
        "prospection.contact",
        "Identifier un contact au sein de la collectivité",
        &[
            "Un interlocuteur qui n'est pas forcément le décideur",
            "Un interlocuteur qui a une influence pour la catégorie de marché que vous souhaitez conclure",
        ],
    ),
    (
        "prospection.meet_contact",
        "Rencontrer le contact",
        &["Appels téléphoniques", "Prises de rendez-vous"],
    ),
    (
        "prospection.keep_contact",
        "Fidéliser le contact",
        &[
            "Actualiser les coordonnées du contact",
            "Invitations à des démonstrations et sur des salons professionnels",
        ],
    ),
    (
        "prospection.if_no_news",
        "Si la fidélisation n'a pas réussi : rappeler le contact, écrire ou se rendre au siège de l'acheteur public",
        &[
            "Le contact est-il le bon ?",
            "Y a-t-il une procédure de passation prévisible ?",
        ],
    ),
    (
        "prospection.current_contract_date",
        "Connaître la date de passation du marché en cours conclu par la collectivité dans votre domaine d'activité",
        &[
            "Consulter les avis d'attribution des marchés",
            "Consulter la liste des marchés conclus l'année précédente par la personne publique",
        ],
    ),
];

const PREPARATION: &[TaskText] = &[
    (
        "preparation.contract_end_date",
        "Connaître la date d'échéance du marché en cours pour déterminer la date prévisionnelle du futur marché",
        &[],
    ),
    (
        "preparation.current_holder",
        "Connaître le titulaire du marché en cours et les critères d'attribution pour comprendre le choix de la personne publique",
        &["Demander les éléments de l'offre retenue, sous réserve du secret industriel et commercial"],
    ),
    (
        "preparation.future_contract",
        "Avoir connaissance du futur marché",
        &["Objet", "Date d'exécution prévisible"],
    ),
    (
        "preparation.contract_nature",
        "Déterminer la nature du futur marché",
        &[
            "Marché unique ou marché alloti",
            "Marché à commande ferme ou marché fractionné",
        ],
    ),
    (
        "preparation.inform_buyer",
        "Informer de manière objective l'acheteur public sur les nouveautés techniques, l'évolution des pratiques et les spécificités du secteur",
        &[],
    ),
];

const NOTICE: &[TaskText] = &[
    (
        "notice.read",
        "Lire l'avis de publicité et les documents de la consultation",
        &[],
    ),
    ("notice.prepare_bid", "Préparer la candidature et l'offre", &[]),
    (
        "notice.electronic_submission",
        "Privilégier le dépôt électronique",
        &["Plus on se rapproche de J-1, plus il est judicieux d'opter pour la dématérialisation"],
    ),
];

const SUBMISSION: &[TaskText] = &[("submission.submit", "Déposer la candidature et l'offre", &[])];

fn tasks(texts: &[TaskText]) -> Vec<RetroTask> {
    texts
        .iter()
        .map(|(key, label, details)| RetroTask {
            key: key.to_string(),
            label: label.to_string(),
            details: details.iter().map(|d| d.to_string()).collect(),
        })
        .collect()
}

/// The retro-planning counting back from `submission` (day J).
pub fn retro_planning(submission: Date) -> RetroPlanning {
    let preparation_start = submission.add_months(-8);
    let notice_start = submission.add_days(-52);
    let phases = vec![
        RetroPhase {
            kind: RetroPhaseKind::Prospection,
            start: submission.add_months(-12),
            end: preparation_start.add_days(-1),
            tasks: tasks(PROSPECTION),
        },
        RetroPhase {
            kind: RetroPhaseKind::ProcedurePreparation,
            start: preparation_start,
            end: notice_start.add_days(-1),
            tasks: tasks(PREPARATION),
        },
        RetroPhase {
            kind: RetroPhaseKind::NoticePublished,
            start: notice_start,
            end: submission.add_days(-1),
            tasks: tasks(NOTICE),
        },
        RetroPhase {
            kind: RetroPhaseKind::Submission,
            start: submission,
            end: submission,
            tasks: tasks(SUBMISSION),
        },
    ];
    RetroPlanning { submission, phases }
}

impl RetroPlanning {
    /// The phase that contains `date`, if any.
    pub fn phase_on(&self, date: Date) -> Option<&RetroPhase> {
        self.phases.iter().find(|p| (p.start..=p.end).contains(&date))
    }

    /// One all-day event per phase, its tasks in the description. UIDs are
    /// `<phase key>.<uid_base>`.
    pub fn ics_events(&self, uid_base: &str, title: &str, stamp_unix: i64) -> Vec<IcsEvent> {
        self.phases
            .iter()
            .map(|phase| {
                let mut description = format!("{}.", phase.kind.period_fr());
                for task in &phase.tasks {
                    description.push_str("\n- ");
                    description.push_str(&task.label);
                    for detail in &task.details {
                        description.push_str("\n  · ");
                        description.push_str(detail);
                    }
                }
                IcsEvent {
                    uid: format!("{}.{uid_base}", phase.kind.key()),
                    stamp_unix,
                    first_day: phase.start,
                    last_day: phase.end,
                    summary: format!("{} — {title}", phase.kind.label_fr()),
                    description,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn phases_from_day_j() {
        let planning = retro_planning(d("2026-05-31"));
        let spans: Vec<(RetroPhaseKind, String, String)> = planning
            .phases
            .iter()
            .map(|p| (p.kind, p.start.to_string(), p.end.to_string()))
            .collect();
        assert_eq!(
            spans,
            [
                (RetroPhaseKind::Prospection, "2025-05-31".into(), "2025-09-29".into()),
                (
                    RetroPhaseKind::ProcedurePreparation,
                    "2025-09-30".into(),
                    "2026-04-08".into()
                ),
                (
                    RetroPhaseKind::NoticePublished,
                    "2026-04-09".into(),
                    "2026-05-30".into()
                ),
                (RetroPhaseKind::Submission, "2026-05-31".into(), "2026-05-31".into()),
            ]
        );
        assert_eq!(
            planning.phase_on(d("2026-04-09")).unwrap().kind,
            RetroPhaseKind::NoticePublished
        );
        assert!(planning.phase_on(d("2026-06-01")).is_none());
    }

    #[test]
    fn month_end_clamps() {
        // J = 31 October: J-8 months is 28 February (29 in a leap year).
        assert_eq!(retro_planning(d("2025-10-31")).phases[1].start, d("2025-02-28"));
        assert_eq!(retro_planning(d("2024-10-31")).phases[1].start, d("2024-02-29"));
    }

    #[test]
    fn task_keys_are_unique_and_prefixed_by_phase() {
        let planning = retro_planning(d("2026-05-31"));
        let mut keys = std::collections::HashSet::new();
        for phase in &planning.phases {
            assert!(!phase.tasks.is_empty());
            for task in &phase.tasks {
                assert!(task.key.starts_with(phase.kind.key()), "{}", task.key);
                assert!(keys.insert(task.key.clone()), "duplicate {}", task.key);
            }
        }
    }
}
