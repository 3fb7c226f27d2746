//! Contributions of companies on a clause or a criterion (seed 001): what they may say, checked
//! the same way in the browser (as the supplier types) and on the server (before storing).

use serde::{Deserialize, Serialize};

use super::enums::stored_enum;

use super::anchor::TextSelector;

/// Longest justification, proposed text or reply accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Largest cost amount accepted, in euros excluding tax.
const MAX_AMOUNT_EUROS: i64 = 10_000_000_000;

stored_enum! {
    /// What a company proposes (seed 001).
    pub enum ContributionKind {
        Solution = "solution",
        Clarification = "clarification",
        AlternativeClause = "alternative_clause",
        AlternativeCriterion = "alternative_criterion",
    }
}

stored_enum! {
    /// The effect on the price the company expects.
    pub enum CostImpact {
        Up = "up",
        Down = "down",
        Neutral = "neutral",
        Unknown = "unknown",
    }
}

stored_enum! {
    /// Where a contribution stands in the dialogue with the buyer.
    pub enum ContributionStatus {
        Open = "open",
        Answered = "answered",
        Accepted = "accepted",
        Rejected = "rejected",
        Integrated = "integrated",
    }
}

stored_enum! {
    /// What a contribution is on.
    pub enum TargetKind {
        Clause = "clause",
        Criterion = "criterion",
    }
}

impl ContributionKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            ContributionKind::Solution => "Solution proposée",
            ContributionKind::Clarification => "Demande de précision",
            ContributionKind::AlternativeClause => "Clause alternative",
            ContributionKind::AlternativeCriterion => "Critère alternatif",
        }
    }
}

impl CostImpact {
    pub fn label_fr(self) -> &'static str {
        match self {
            CostImpact::Up => "À la hausse",
            CostImpact::Down => "À la baisse",
            CostImpact::Neutral => "Neutre",
            CostImpact::Unknown => "Inconnu",
        }
    }
}

impl ContributionStatus {
    pub fn label_fr(self) -> &'static str {
        match self {
            ContributionStatus::Open => "Ouverte",
            ContributionStatus::Answered => "Répondue",
            ContributionStatus::Accepted => "Retenue",
            ContributionStatus::Rejected => "Non retenue",
            ContributionStatus::Integrated => "Intégrée",
        }
    }
}

impl TargetKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            TargetKind::Clause => "Clause",
            TargetKind::Criterion => "Critère d'attribution",
        }
    }
}

impl ContributionKind {
    /// Alternatives come with the text the company proposes instead.
    pub fn proposes_text(self) -> bool {
        matches!(
            self,
            ContributionKind::AlternativeClause | ContributionKind::AlternativeCriterion
        )
    }
}

/// A clause or a criterion of a version, by its stable id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Target {
    pub kind: TargetKind,
    pub id: String,
}

/// What the supplier writes, as typed (the amount in euros as text: "12 500,50").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionInput {
    pub kind: String,
    pub justification: String,
    pub cost_impact: String,
    pub cost_amount: String,
    pub proposed_text: String,
}

/// A contribution's content once checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionContent {
    pub kind: ContributionKind,
    pub justification: String,
    pub cost_impact: CostImpact,
    /// Euro cents excluding tax.
    pub cost_amount_cents: Option<i64>,
    pub proposed_text: String,
}

/// A new contribution from the browser: on what, where in the text, and what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewContribution {
    pub consultation_id: i64,
    /// The version the supplier read.
    pub version: i32,
    pub target: Target,
    /// The words selected; `None` for the whole clause or criterion.
    pub selector: Option<TextSelector>,
    pub input: ContributionInput,
    /// Chosen by the browser once per form: sending the same submission again (the answer was
    /// lost, the button pressed twice) returns the contribution already created instead of a
    /// second one. Optional for other clients, which then get no such guarantee.
    #[serde(default)]
    pub client_key: Option<String>,
}

/// A client key is 8 to 64 letters, digits, `-` or `_` (what the browser draws is 32 hex digits).
pub fn check_client_key(key: &str) -> Result<(), &'static str> {
    let fits =
        (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fits {
        Ok(())
    } else {
        Err("Identifiant d'envoi invalide : rechargez la page et envoyez à nouveau votre contribution.")
    }
}

impl ContributionInput {
    /// The content, or every problem at once in French.
    pub fn validate(&self) -> Result<ContributionContent, Vec<String>> {
        let mut problems = Vec::new();
        let kind = ContributionKind::parse(&self.kind);
        if kind.is_none() {
            problems
                .push("Choisissez le type de contribution : solution, précision, clause ou critère alternatif.".into());
        }
        let justification = self.justification.trim().to_owned();
        if justification.is_empty() {
            problems.push("Expliquez votre contribution : la justification est obligatoire.".into());
        }
        check_length(&justification, "La justification", &mut problems);
        let cost_impact = match self.cost_impact.trim() {
            "" => Some(CostImpact::Unknown),
            s => CostImpact::parse(s),
        };
        if cost_impact.is_none() {
            problems.push("Choisissez l'impact sur le coût : hausse, baisse, neutre ou inconnu.".into());
        }
        let cost_amount_cents = match parse_euros(&self.cost_amount) {
            Ok(amount) => amount,
            Err(message) => {
                problems.push(message);
                None
            }
        };
        let proposed_text = self.proposed_text.trim().to_owned();
        check_length(&proposed_text, "Le texte proposé", &mut problems);
        if kind.is_some_and(ContributionKind::proposes_text) && proposed_text.is_empty() {
            problems.push("Une alternative se propose par écrit : saisissez le texte que vous proposez.".into());
        }
        match (kind, cost_impact) {
            (Some(kind), Some(cost_impact)) if problems.is_empty() => Ok(ContributionContent {
                kind,
                justification,
                cost_impact,
                cost_amount_cents,
                proposed_text,
            }),
            _ => Err(problems),
        }
    }
}

/// A reply in a contribution's thread, checked.
pub fn validate_reply(body: &str) -> Result<String, String> {
    let body = body.trim();
    if body.is_empty() {
        return Err("Votre réponse est vide : écrivez-la avant de l'envoyer.".into());
    }
    let mut problems = Vec::new();
    check_length(body, "La réponse", &mut problems);
    problems.pop().map_or(Ok(body.to_owned()), Err)
}

fn check_length(text: &str, what: &str, problems: &mut Vec<String>) {
    let len = text.chars().count();
    if len > MAX_TEXT_CHARS {
        problems.push(format!(
            "{what} est trop longue ({len} caractères) : {MAX_TEXT_CHARS} au plus. Résumez, ou joignez le détail plus tard."
        ));
    }
}

/// "12 500,50", "12500.5", "3 000 €" → cents; empty → `None`.
pub fn parse_euros(text: &str) -> Result<Option<i64>, String> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('€')
        .trim_end_matches("HT")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        format!(
            "Le montant « {} » n'est pas un nombre d'euros : écrivez par exemple 12 500 ou 12 500,50.",
            text.trim()
        )
    };
    let (units, decimals) = match cleaned.split_once([',', '.']) {
        Some((u, d)) => (u, d),
        None => (cleaned.as_str(), ""),
    };
    if units.is_empty()
        || !units.chars().all(|c| c.is_ascii_digit())
        || decimals.len() > 2
        || !decimals.chars().all(|c| c.is_ascii_digit())
    {
        return Err(invalid());
    }
    let euros: i64 = units.parse().map_err(|_| invalid())?;
    if euros > MAX_AMOUNT_EUROS {
        return Err("Ce montant est trop élevé : vérifiez le nombre de chiffres.".into());
    }
    let cents: i64 = format!("{decimals:0<2}").parse().map_err(|_| invalid())?;
    Ok(Some(euros * 100 + cents))
}

/// 1234550 → "12 345,50 € HT" (narrow no-break space between thousands, as in French).
pub fn format_euros(cents: i64) -> String {
    let euros = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    match cents % 100 {
        0 => format!("{grouped}\u{a0}€ HT"),
        c => format!("{grouped},{c:02}\u{a0}€ HT"),
    }
}

/// The stable pseudonym of the `index`-th company of a consultation: A…Z, then AA, AB…
pub fn pseudonym(index: i64) -> String {
    let mut n = index.max(0) as u64;
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    format!("Entreprise {}", letters.iter().rev().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, justification: &str, amount: &str, proposed: &str) -> ContributionInput {
        ContributionInput {
            kind: kind.into(),
            justification: justification.into(),
            cost_impact: "down".into(),
            cost_amount: amount.into(),
            proposed_text: proposed.into(),
        }
    }

    #[test]
    fn every_problem_is_told_at_once_in_french() {
        let problems = input("", "  ", "douze", "").validate().unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[1].contains("justification est obligatoire"));
        assert!(problems[2].contains("« douze »"));
        let alternative = input("alternative_clause", "Plus simple.", "", "")
            .validate()
            .unwrap_err();
        assert!(alternative[0].contains("texte que vous proposez"), "{alternative:?}");
    }

    #[test]
    fn a_valid_contribution() {
        let c = input("solution", " Capteurs connectés. ", "12 500,5 €", "")
            .validate()
            .unwrap();
        assert_eq!(c.kind, ContributionKind::Solution);
        assert_eq!(c.justification, "Capteurs connectés.");
        assert_eq!(c.cost_amount_cents, Some(1_250_050));
        assert_eq!(c.cost_impact, CostImpact::Down);
    }

    #[test]
    fn euros() {
        assert_eq!(parse_euros("3000"), Ok(Some(300_000)));
        assert_eq!(parse_euros("3 000,00 € HT"), Ok(Some(300_000)));
        assert_eq!(parse_euros("1.5"), Ok(Some(150)));
        assert_eq!(parse_euros(""), Ok(None));
        assert!(parse_euros("1,234").is_err());
        assert!(parse_euros("-5").is_err());
        assert_eq!(format_euros(1_234_550), "12\u{202f}345,50\u{a0}€ HT");
        assert_eq!(format_euros(300_000), "3\u{202f}000\u{a0}€ HT");
    }

    #[test]
    fn pseudonyms_are_letters() {
        assert_eq!(pseudonym(0), "Entreprise A");
        assert_eq!(pseudonym(25), "Entreprise Z");
        assert_eq!(pseudonym(26), "Entreprise AA");
        assert_eq!(pseudonym(27), "Entreprise AB");
        assert_eq!(
            validate_reply("  "),
            Err("Votre réponse est vide : écrivez-la avant de l'envoyer.".into())
        );
    }
}
