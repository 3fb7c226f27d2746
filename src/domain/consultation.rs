//! The facts a buyer gives about a consultation, checked the same way in the browser (as they
//! type) and on the server (which decides).

use crate::domain::calendar::Date;
use crate::domain::classification::check_cpv_list;
use crate::domain::enums::stored_enum;
use crate::domain::territory::check_departement_list;

stored_enum! {
    /// Open sourcing is announced publicly; restricted sourcing involves invited companies only.
    pub enum SourcingMode {
        // Calendars stored as JSON before issue 15 wrote the variant's name: still read.
        #[serde(alias = "Open")]
        Open = "open",
        #[serde(alias = "Restricted")]
        Restricted = "restricted",
    }
}

impl SourcingMode {
    pub fn label_fr(self) -> &'static str {
        match self {
            SourcingMode::Open => "Sourcing ouvert",
            SourcingMode::Restricted => "Sourcing restreint",
        }
    }
}

stored_enum! {
    /// Where a consultation stands in its life cycle (ordered along it).
    pub enum ConsultationStatus: PartialOrd, Ord {
        Draft = "draft",
        Announced = "announced",
        CallForParticipation = "call_for_participation",
        Exchanges = "exchanges",
        Drafting = "drafting",
        InReview = "in_review",
        Approved = "approved",
        Closed = "closed",
    }
}

impl ConsultationStatus {
    pub fn label_fr(self) -> &'static str {
        match self {
            ConsultationStatus::Draft => "Brouillon",
            ConsultationStatus::Announced => "Annoncée",
            ConsultationStatus::CallForParticipation => "Appel à participation",
            ConsultationStatus::Exchanges => "Échanges en cours",
            ConsultationStatus::Drafting => "Rédaction du CCTP final",
            ConsultationStatus::InReview => "En relecture",
            ConsultationStatus::Approved => "Validée",
            ConsultationStatus::Closed => "Transmise à la consultation",
        }
    }

    /// The steps a consultation goes through, in order, for a sourcing mode (restricted sourcing
    /// has no call for participation).
    pub fn path(mode: SourcingMode) -> impl Iterator<Item = ConsultationStatus> {
        Self::ALL
            .iter()
            .copied()
            .filter(move |s| !(mode == SourcingMode::Restricted && *s == ConsultationStatus::CallForParticipation))
    }

    /// The step after this one, if any.
    pub fn next(self, mode: SourcingMode) -> Option<ConsultationStatus> {
        Self::path(mode).skip_while(|s| *s != self).nth(1)
    }

    /// What the buyer's button says to move a consultation to this step.
    pub fn action_fr(self) -> &'static str {
        match self {
            ConsultationStatus::Draft => "Repasser en brouillon",
            ConsultationStatus::Announced => "Annoncer la consultation",
            ConsultationStatus::CallForParticipation => "Ouvrir l'appel à participation",
            ConsultationStatus::Exchanges => "Ouvrir la phase d'échanges",
            ConsultationStatus::Drafting => "Clore les échanges et rédiger le CCTP final",
            ConsultationStatus::InReview => "Demander la validation",
            ConsultationStatus::Approved => "Valider le CCTP",
            ConsultationStatus::Closed => "Transmettre à la consultation (appel d'offres)",
        }
    }

    /// Drafts are visible only to their buyer organisation and its reviewers.
    pub fn is_public(self) -> bool {
        self != ConsultationStatus::Draft
    }
}

const MAX_TITLE_CHARS: usize = 200;
const MAX_OBJECT_CHARS: usize = 4_000;

/// The form as typed: lists are free text (`50312000-5, 72250000-2`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsultationInput<'a> {
    pub title: &'a str,
    pub object: &'a str,
    pub cpv_codes: &'a str,
    pub departements: &'a str,
    /// Absent when no choice was sent.
    pub mode: Option<SourcingMode>,
    /// ISO date `YYYY-MM-DD`, or empty when not known yet.
    pub expected_tender: &'a str,
}

/// The form once checked and normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsultationFacts {
    pub title: String,
    pub object: String,
    /// Canonical CPV codes, `NNNNNNNN-D` (see `classification`).
    pub cpv_codes: Vec<String>,
    /// Canonical département codes, `07`, `2A`, `974` (see `territory`).
    pub departements: Vec<String>,
    pub mode: SourcingMode,
    pub expected_tender: Option<Date>,
}

/// Checks the form; every problem is returned, in French, in the order of the fields, each
/// as `(field name, message)`: the form shows it under that field (`error::FieldProblem`).
/// `today` (Europe/Paris) bounds the expected tender date, which cannot be in the past.
pub fn validate(input: &ConsultationInput<'_>, today: Date) -> Result<ConsultationFacts, Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let title = collapse_spaces(input.title);
    if title.chars().count() < 5 {
        problems.push((
            "title",
            "Donnez un intitulé d'au moins 5 caractères à la consultation.".to_owned(),
        ));
    } else if title.chars().count() > MAX_TITLE_CHARS {
        problems.push((
            "title",
            format!("L'intitulé dépasse {MAX_TITLE_CHARS} caractères : raccourcissez-le."),
        ));
    }
    let object = input.object.trim().to_owned();
    if object.is_empty() {
        problems.push(("object", "Décrivez l'objet du besoin en quelques phrases.".to_owned()));
    } else if object.chars().count() > MAX_OBJECT_CHARS {
        problems.push((
            "object",
            format!("L'objet dépasse {MAX_OBJECT_CHARS} caractères : résumez-le."),
        ));
    }
    let cpv_codes = split_list(input.cpv_codes);
    if cpv_codes.is_empty() {
        problems.push((
            "cpv_codes",
            "Indiquez au moins un code CPV (par exemple 50312000-5).".to_owned(),
        ));
    }
    let cpv_codes = check_cpv_list(&cpv_codes).unwrap_or_else(|found| {
        problems.extend(found.into_iter().map(|m| ("cpv_codes", m)));
        Vec::new()
    });
    let departements = split_list(input.departements);
    if departements.is_empty() {
        problems.push((
            "departements",
            "Indiquez au moins un département (par exemple 77).".to_owned(),
        ));
    }
    let departements = check_departement_list(&departements).unwrap_or_else(|found| {
        problems.extend(found.into_iter().map(|m| ("departements", m)));
        Vec::new()
    });
    let mode = input.mode;
    if mode.is_none() {
        problems.push((
            "mode",
            "Choisissez un mode de sourcing : ouvert ou restreint.".to_owned(),
        ));
    }
    let expected_tender = match input.expected_tender.trim() {
        "" => None,
        text => match Date::parse_iso(text) {
            Ok(date) if date < today => {
                problems.push((
                    "expected_tender",
                    format!("La date prévue de l'appel d'offres ({}) est passée.", date.format_fr()),
                ));
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                problems.push((
                    "expected_tender",
                    "La date prévue de l'appel d'offres n'est pas une date valide (jj/mm/aaaa).".to_owned(),
                ));
                None
            }
        },
    };
    match mode {
        Some(mode) if problems.is_empty() => Ok(ConsultationFacts {
            title,
            object,
            cpv_codes,
            departements,
            mode,
            expected_tender,
        }),
        _ => Err(problems),
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Items of a typed list, separated by commas, semicolons or white space, without duplicates, in
/// the order given. Every form of the product splits its lists of codes this way (the admin's
/// organisation form too).
pub fn split_list(s: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in s
        .split([',', ';', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        if !items.iter().any(|i| i == item) {
            items.push(item.to_owned());
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 22).unwrap()
    }

    fn input() -> ConsultationInput<'static> {
        ConsultationInput {
            title: "  Entretien   des espaces verts ",
            object: "Tonte et taille sur trois sites.",
            cpv_codes: "77310000-6, 77311000",
            departements: "77 7 2a",
            mode: Some(SourcingMode::Open),
            expected_tender: "2027-04-01",
        }
    }

    #[test]
    fn a_good_form_is_normalised() {
        let facts = validate(&input(), today()).unwrap();
        assert_eq!(facts.title, "Entretien des espaces verts");
        // The server completes a code typed without its check digit; the browser cannot.
        let completed = if cfg!(feature = "ssr") {
            "77311000-3"
        } else {
            "77311000"
        };
        assert_eq!(facts.cpv_codes, ["77310000-6", completed]);
        assert_eq!(facts.departements, ["77", "07", "2A"]);
        assert_eq!(facts.mode, SourcingMode::Open);
        assert_eq!(facts.expected_tender, Some(Date::new(2027, 4, 1).unwrap()));
    }

    #[test]
    fn every_problem_is_reported_in_french() {
        let bad = ConsultationInput {
            title: "abc",
            object: " ",
            cpv_codes: "5031200-5 50312000-55",
            departements: "20 99 975",
            mode: None,
            expected_tender: "2026-11-21",
        };
        let problems = validate(&bad, today()).unwrap_err();
        assert_eq!(problems.len(), 9, "{problems:#?}");
        assert!(problems[0].1.contains("au moins 5 caractères"));
        assert_eq!(problems[0].0, "title");
        assert!(problems[2].1.contains("« 5031200-5 » n'est pas un code CPV"));
        assert!(problems
            .iter()
            .any(|(field, message)| *field == "departements" && message.contains("« 975 » n'est pas")));
        assert!(problems.iter().any(|(field, message)| *field == "expected_tender"
            && message.contains("21/11/2026")
            && message.contains("est passée")));
    }

    #[test]
    fn codes_are_checked_like_the_admin_checks_them() {
        // Issue 14: the consultation form and the admin disagreed on these.
        let mut form = input();
        form.cpv_codes = "77311000";
        form.departements = "7";
        let facts = validate(&form, today()).unwrap();
        assert_eq!(facts.cpv_codes.len(), 1);
        assert!(facts.cpv_codes[0].starts_with("77311000"));
        assert_eq!(facts.departements, ["07"]);
        form.departements = "975, 979";
        let problems = validate(&form, today()).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].1.contains("« 975 » n'est pas un numéro de département"));
        assert!(problems[1].1.contains("« 979 » n'est pas un numéro de département"));
        form.departements = "77, 7, 07";
        form.cpv_codes = "77311000-3 77311000";
        let facts = validate(&form, today()).unwrap();
        assert_eq!(facts.departements, ["77", "07"], "one département, however typed");
        if cfg!(feature = "ssr") {
            assert_eq!(facts.cpv_codes, ["77311000-3"], "one code, however typed");
            form.cpv_codes = "77311000-4";
            assert!(validate(&form, today()).unwrap_err()[0]
                .1
                .contains("chiffre de contrôle"));
        }
    }

    #[test]
    fn the_tender_date_may_be_unknown_or_today() {
        let mut form = input();
        form.expected_tender = "";
        assert_eq!(validate(&form, today()).unwrap().expected_tender, None);
        form.expected_tender = "2026-11-22";
        assert!(validate(&form, today()).is_ok());
        form.expected_tender = "2026-02-30";
        assert!(validate(&form, today()).unwrap_err()[0]
            .1
            .contains("pas une date valide"));
    }
}

/// The step a buyer may move a consultation to by hand, or why there is none: the consultation
/// page offers only this action, and the server accepts only this one (one rule for both).
/// With a calendar the phases from the call for participation to the drafting open and close by
/// date; a consultation is announced only once a first version is published.
pub fn manual_step(
    status: ConsultationStatus,
    mode: SourcingMode,
    follows_calendar: bool,
    has_version: bool,
) -> Result<ConsultationStatus, StepRefusal> {
    use ConsultationStatus as S;
    let Some(next) = status.next(mode) else {
        return Err(StepRefusal::LastStep);
    };
    if follows_calendar && matches!(next, S::CallForParticipation | S::Exchanges | S::Drafting) {
        return Err(StepRefusal::FollowsCalendar);
    }
    if next == S::Announced && !has_version {
        return Err(StepRefusal::NoVersion);
    }
    match next {
        // A request for validation carries a message and a version: its own form.
        S::InReview => Err(StepRefusal::ReviewByRequest),
        S::Approved => Err(StepRefusal::ReviewerDecides),
        _ => Ok(next),
    }
}

/// Why a consultation cannot be moved by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepRefusal {
    /// Closed: there is no step after.
    LastStep,
    /// Its phases open and close by the dates of its calendar.
    FollowsCalendar,
    /// Nothing is published yet: there is nothing to announce.
    NoVersion,
    /// The review starts with a request for validation (« Demander la validation »).
    ReviewByRequest,
    /// Only a reviewer attached to the buyer's organisation validates.
    ReviewerDecides,
}

impl StepRefusal {
    pub fn message_fr(self) -> &'static str {
        match self {
            StepRefusal::LastStep => {
                "La consultation est transmise à l'appel d'offres : il n'y a pas d'étape suivante."
            }
            StepRefusal::ReviewByRequest => {
                "Demandez la validation de la version finale avec le formulaire « Demander la validation »."
            }
            StepRefusal::ReviewerDecides => {
                "Seul un relecteur de la plateforme rattaché à votre organisation peut valider le cahier des charges."
            }
            StepRefusal::FollowsCalendar => {
                "Les phases de cette consultation suivent son calendrier : elles s'ouvrent et se ferment d'elles-mêmes \
                 aux dates prévues. Modifiez le calendrier pour les avancer."
            }
            StepRefusal::NoVersion => {
                "Publiez une première version du cahier des charges avant d'annoncer la consultation."
            }
        }
    }
}

#[cfg(test)]
mod step_tests {
    use super::*;
    use ConsultationStatus as S;

    #[test]
    fn restricted_sourcing_skips_the_call_for_participation() {
        use ConsultationStatus::*;
        assert_eq!(Announced.next(SourcingMode::Open), Some(CallForParticipation));
        assert_eq!(Announced.next(SourcingMode::Restricted), Some(Exchanges));
        assert_eq!(Approved.next(SourcingMode::Open), Some(Closed));
        assert_eq!(Closed.next(SourcingMode::Open), None);
        assert_eq!(ConsultationStatus::path(SourcingMode::Restricted).count(), 7);
    }

    #[test]
    fn a_consultation_that_follows_its_calendar_is_not_moved_by_hand_through_its_phases() {
        let open = SourcingMode::Open;
        assert!(
            manual_step(S::Exchanges, open, true, true).is_err(),
            "« Clore les échanges » is not offered"
        );
        assert!(manual_step(S::Announced, open, true, true).is_err());
        assert_eq!(manual_step(S::Exchanges, open, false, true), Ok(S::Drafting));
        // After the phases, the buyer decides again.
        assert_eq!(
            manual_step(S::Drafting, open, true, true),
            Err(StepRefusal::ReviewByRequest),
            "the review starts with a request, not a bare step"
        );
        assert_eq!(
            manual_step(S::InReview, open, false, true),
            Err(StepRefusal::ReviewerDecides)
        );
        assert_eq!(manual_step(S::Approved, open, false, true), Ok(S::Closed));
        assert!(
            manual_step(S::Draft, open, false, false).is_err(),
            "nothing to announce yet"
        );
        assert_eq!(manual_step(S::Draft, open, true, true), Ok(S::Announced));
        assert!(manual_step(S::Closed, open, false, true).is_err());
    }
}

/// The status a consultation shows on `today` when it has a calendar: between its announcement
/// and the review, the phases open and close by date; before (draft) and after (review,
/// approval, closing) the buyer decides.
pub fn status_on(
    stored: ConsultationStatus,
    calendar: &crate::domain::calendar::SourcingCalendar,
    today: Date,
) -> ConsultationStatus {
    use crate::domain::calendar::{PhaseKind, Stage};
    use ConsultationStatus as S;
    if !matches!(
        stored,
        S::Announced | S::CallForParticipation | S::Exchanges | S::Drafting
    ) {
        return stored;
    }
    match calendar.stage_on(today) {
        Stage::NotStarted => S::Announced,
        Stage::Phase(PhaseKind::CallForParticipation) => S::CallForParticipation,
        Stage::Phase(PhaseKind::Exchanges) => S::Exchanges,
        Stage::Phase(PhaseKind::Drafting) | Stage::Finished => S::Drafting,
    }
}

#[cfg(test)]
mod status_tests {
    use super::*;
    use crate::domain::calendar::{propose, Region};
    use ConsultationStatus as S;

    #[test]
    fn phases_follow_the_dates_between_announcement_and_review() {
        let start = Date::new(2027, 1, 11).unwrap();
        let calendar = propose(SourcingMode::Open, start, Region::Metropole).calendar();
        let exchanges = calendar.phases[1];
        assert_eq!(status_on(S::Announced, &calendar, start.add_days(-1)), S::Announced);
        assert_eq!(status_on(S::Announced, &calendar, start), S::CallForParticipation);
        assert_eq!(status_on(S::Announced, &calendar, exchanges.start), S::Exchanges);
        assert_eq!(
            status_on(S::Exchanges, &calendar, exchanges.end.add_days(1)),
            S::Drafting
        );
        assert_eq!(
            status_on(S::Draft, &calendar, exchanges.start),
            S::Draft,
            "a draft is never announced by date"
        );
        assert_eq!(status_on(S::InReview, &calendar, exchanges.start), S::InReview);
    }
}
