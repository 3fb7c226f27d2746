//! Demo data: a realistic sourcing consultation (the IT maintenance of a préfecture, in two
//! published versions) and a few others around it, so that a newcomer sees a living product.
//! Loaded only into an empty database, in one transaction: all or nothing.

/// Many consultations through every phase, for the open-data tests and benchmark.
pub mod corpus;

use super::auth::password;
use super::db::{self, accounts::NewUser, consultations::NewConsultation, organisations, Db};
use super::publishing::{self, PublishingError};
use super::versions::ReadableVersion;
use crate::domain::anchor;
use crate::domain::calendar::{paris_date, propose, Date, Region};
use crate::domain::contribution::{
    ContributionInput, ContributionKind, ContributionStatus, CostImpact, Target, TargetKind,
};
use crate::domain::criteria::Criterion;
use crate::model::DraftInput;
use crate::model::{ConsultationStatus, KeyDates, OrganisationKind, Role, SourcingMode};

/// The password of every demo account (listed in the README). Demo data is for trying the
/// product; a production database never receives it (`serve` does not load it).
pub const DEMO_PASSWORD: &str = "sourcing-demo-2026";

/// The demo accounts: e-mail, name, role, index in the organisations created below.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 7] = [
    ("acheteuse@demo.jesaisfaire.fr", "Claire Moreau", Role::Buyer),
    ("acheteur.ddt@demo.jesaisfaire.fr", "Karim Benali", Role::Buyer),
    ("entreprise@demo.jesaisfaire.fr", "Sophie Lambert", Role::Supplier),
    ("proprete@demo.jesaisfaire.fr", "Marc Dubois", Role::Supplier),
    ("numerique@demo.jesaisfaire.fr", "Julien Petit", Role::Supplier),
    ("relecteur@demo.jesaisfaire.fr", "Hélène Girard", Role::Reviewer),
    ("admin@demo.jesaisfaire.fr", "Équipe JeSaisFaire", Role::Admin),
];

const MAINTENANCE_V1: &str = include_str!("cctp-maintenance-v1.md");
const MAINTENANCE_V2: &str = include_str!("cctp-maintenance-v2.md");
const VEHICLES_V1: &str = include_str!("cctp-vehicules-v1.md");

/// Publishes a demo version through the same rules as a buyer's publication.
async fn publish_demo(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    consultation_id: i64,
    base_version: Option<i64>,
    markdown: &str,
    criteria: &[Criterion],
    changelog: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let input = DraftInput {
        markdown: markdown.into(),
        criteria: criteria.to_vec(),
        changelog: changelog.into(),
    };
    match publishing::publish_in(tx, consultation_id, base_version, &input, None, now).await {
        Ok(_) => Ok(()),
        Err(PublishingError::Db(e)) => Err(e),
        Err(e) => Err(sqlx::Error::Protocol(format!("demo version refused: {e}"))),
    }
}

/// A demo contribution on a clause (by its title) or a criterion (by its name) of a version, on
/// the given words if any; returns its id.
#[allow(clippy::too_many_arguments)]
async fn contribute_demo(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    consultation_id: i64,
    version: i64,
    (organisation_id, author_id): (i64, i64),
    (kind, title): (TargetKind, &str),
    quote: Option<&str>,
    contribution_kind: ContributionKind,
    justification: &str,
    (cost_impact, amount): (CostImpact, &str),
    proposed_text: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let refused = |what: &str| sqlx::Error::Protocol(format!("demo contribution refused: {what}"));
    let row = db::consultations::version(&mut **tx, consultation_id, Some(version))
        .await?
        .ok_or_else(|| refused("no such version"))?;
    let id = match kind {
        TargetKind::Clause => row
            .specification()
            .clauses
            .into_iter()
            .find(|c| c.title == title)
            .map(|c| c.id),
        TargetKind::Criterion => row.criteria().into_iter().find(|c| c.name == title).map(|c| c.id),
    }
    .ok_or_else(|| refused(title))?;
    let target = Target { kind, id };
    // The demo writes a handful of contributions once: rendering the version here is fine.
    let readable = ReadableVersion::of(&row);
    let (label, text) = readable.texts.get(&target).ok_or_else(|| refused(title))?;
    let selector = match quote {
        Some(quote) => {
            let start = text
                .find(quote)
                .map(|b| text[..b].chars().count())
                .ok_or_else(|| refused(quote))?;
            Some(anchor::select(text, start, start + quote.chars().count()).ok_or_else(|| refused(quote))?)
        }
        None => None,
    };
    let content = ContributionInput {
        kind: contribution_kind.as_str().into(),
        justification: justification.into(),
        cost_impact: cost_impact.as_str().into(),
        cost_amount: amount.into(),
        proposed_text: proposed_text.into(),
    }
    .validate()
    .map_err(|p| refused(&p.join(" ")))?;
    db::contributions::insert(
        &mut **tx,
        &db::contributions::NewContributionRow {
            consultation_id,
            version_number: version,
            target: &target,
            selector: selector.as_ref(),
            target_text: text,
            target_label: label,
            content: &content,
            organisation_id,
            author_id,
            client_key: None,
        },
        now,
    )
    .await
}

async fn answer_demo(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    contribution_id: i64,
    buyer_id: i64,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::contributions::insert_reply(&mut **tx, contribution_id, true, body, buyer_id, now).await?;
    db::contributions::set_status(&mut **tx, contribution_id, ContributionStatus::Answered, None).await
}

/// Gives a demo consultation the calendar the engine proposes from `start`.
async fn plan_demo(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    consultation_id: i64,
    mode: SourcingMode,
    start: Date,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut settings = propose(mode, start, Region::Metropole);
    settings.exchange_days = 14;
    db::consultations::save_calendar(&mut **tx, consultation_id, &settings, now).await
}

/// The award criteria of the maintenance consultation; version 2 weighs the environment more.
fn maintenance_criteria(v2: bool) -> Vec<Criterion> {
    let criterion = |name: &str, weight: u32, description: &str| Criterion {
        id: String::new(),
        name: name.into(),
        weight,
        description: description.into(),
    };
    vec![
        criterion(
            "Valeur technique",
            if v2 { 45 } else { 50 },
            "Méthodologie, moyens humains, délais de rétablissement garantis.",
        ),
        criterion(
            "Prix",
            40,
            "Apprécié sur le détail quantitatif estimatif (forfait annuel et bordereau des prix unitaires).",
        ),
        criterion(
            "Performance environnementale",
            if v2 { 15 } else { 10 },
            if v2 {
                "Réemploi des pièces, traitement des déchets d'équipements, déplacements des techniciens."
            } else {
                "Réemploi des pièces et traitement des déchets d'équipements."
            },
        ),
    ]
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Loaded { consultations: i64 },
    AlreadyPopulated,
}

/// Loads the demo data when the database holds no consultation yet.
/// (buyer: 0 préfecture, 1 DDT; title; summary; CPV; départements; amounts; quarters from now).
type DemoNeed = (
    u8,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    Option<(i64, i64)>,
    i32,
);

const DEMO_NEEDS: [DemoNeed; 5] = [
    (
        0,
        "Entretien des espaces verts des sites de la préfecture",
        "Tonte, taille des haies, élagage et gestion différenciée des espaces verts de la préfecture et des \
         trois sous-préfectures, sans produits phytosanitaires.",
        &["77311000-3", "77211400-6"],
        &["77"],
        Some((60_000, 120_000)),
        1,
    ),
    (
        0,
        "Nettoyage des locaux et de la vitrerie",
        "Nettoyage quotidien des bureaux et des espaces d'accueil du public, vitrerie deux fois par an, \
         produits écolabellisés.",
        &["90910000-9", "90911300-9"],
        &["77"],
        Some((150_000, 250_000)),
        2,
    ),
    (
        1,
        "Location de véhicules électriques pour les contrôles de terrain",
        "Location longue durée de 20 véhicules électriques avec bornes de recharge sur les sites de Melun et \
         de Meaux, entretien compris.",
        &["34144900-7"],
        &["77"],
        Some((300_000, 450_000)),
        2,
    ),
    (
        1,
        "Relevés topographiques des digues de la Seine et de la Marne",
        "Relevés et modèles numériques de terrain des ouvrages hydrauliques, pour le plan de prévention des \
         risques d'inondation.",
        &["71351810-4"],
        &["77", "91"],
        None,
        3,
    ),
    (
        0,
        "Maintenance de l'éclairage public des parkings",
        "Maintenance préventive et curative de l'éclairage extérieur des parkings des agents, passage en LED \
         des derniers luminaires.",
        &["50232100-1"],
        &["77"],
        Some((40_000, 80_000)),
        4,
    ),
];

pub async fn load_if_empty(db: &Db) -> Result<Outcome, sqlx::Error> {
    // Hashed before taking the write lock (argon2 takes tens of milliseconds on purpose).
    let hash = password::hash(DEMO_PASSWORD).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let mut tx = db.begin_write().await?;
    let now = db.now();
    // Checked inside the write transaction, so two concurrent loads cannot both insert.
    if db::consultations::count(&mut *tx).await? > 0 {
        return Ok(Outcome::AlreadyPopulated);
    }
    // A step the durability test (tests/process.rs) waits for before killing the process.
    tracing::info!("demo data: writing");
    let prefecture = organisations::insert(
        &mut *tx,
        &organisations::NewOrganisation {
            kind: Some(OrganisationKind::Buyer),
            name: "Préfecture de Seine-et-Marne",
            siret: Some("13000770100019"),
            departement: Some("77"),
            ..Default::default()
        },
        now,
    )
    .await?;
    let ddt = organisations::insert(
        &mut *tx,
        &organisations::NewOrganisation {
            kind: Some(OrganisationKind::Buyer),
            name: "Direction départementale des territoires de Seine-et-Marne",
            siret: Some("13000770200017"),
            departement: Some("77"),
            ..Default::default()
        },
        now,
    )
    .await?;

    // Dates relative to the day the demo is loaded, so that it always shows living phases: the
    // maintenance consultation in its exchanges, the vehicles one in its call for participation,
    // the cleaning one announced for later.
    let today = paris_date(now);
    let dates = |tender_in_days: i32| KeyDates {
        expected_tender: Some(today.add_days(tender_in_days).to_string()),
        ..KeyDates::default()
    };

    let maintenance = db::consultations::insert(
        &mut tx,
        &NewConsultation {
            buyer_organisation_id: prefecture,
            title: "Maintenance du parc informatique de la préfecture et des sous-préfectures",
            object: "Maintenance préventive et corrective des postes de travail, périphériques, serveurs de \
                     proximité et équipements réseau de la préfecture de Melun et des sous-préfectures de \
                     Meaux, Provins, Fontainebleau et Torcy, pour quatre ans à partir de septembre 2027.",
            cpv_codes: &["50312000-5", "50320000-4", "72250000-2"],
            departements: &["77"],
            mode: SourcingMode::Open,
            status: ConsultationStatus::Exchanges,
            dates: dates(120),
        },
        now,
    )
    .await?;
    publish_demo(
        &mut tx,
        maintenance,
        None,
        MAINTENANCE_V1,
        &maintenance_criteria(false),
        "Première version soumise au sourcing.",
        now,
    )
    .await?;
    publish_demo(
        &mut tx,
        maintenance,
        Some(1),
        MAINTENANCE_V2,
        &maintenance_criteria(true),
        "Visites préventives planifiées, prêt de poste, astreinte lors des scrutins, réversibilité \
         allongée et critère environnemental renforcé, à la suite des premières contributions.",
        now,
    )
    .await?;

    let vehicles = db::consultations::insert(
        &mut tx,
        &NewConsultation {
            buyer_organisation_id: ddt,
            title: "Location longue durée de véhicules électriques de service",
            object: "Location longue durée, entretien compris, d'une trentaine de véhicules électriques \
                     utilitaires et citadins pour les agents de terrain de la DDT, avec bornes de recharge \
                     sur trois sites.",
            cpv_codes: &["34144900-7", "34110000-1"],
            departements: &["77"],
            mode: SourcingMode::Open,
            status: ConsultationStatus::CallForParticipation,
            dates: dates(150),
        },
        now,
    )
    .await?;
    publish_demo(&mut tx, vehicles, None, VEHICLES_V1, &[], "Première version.", now).await?;
    plan_demo(&mut tx, maintenance, SourcingMode::Open, today.add_days(-18), now).await?;
    plan_demo(&mut tx, vehicles, SourcingMode::Open, today.add_days(-4), now).await?;

    let cleaning = db::consultations::insert(
        &mut tx,
        &NewConsultation {
            buyer_organisation_id: prefecture,
            title: "Nettoyage des locaux de la sous-préfecture de Meaux",
            object: "Nettoyage quotidien des bureaux et des espaces d'accueil du public, vitrerie trimestrielle.",
            cpv_codes: &["90910000-9"],
            departements: &["77"],
            mode: SourcingMode::Restricted,
            status: ConsultationStatus::Announced,
            dates: dates(180),
        },
        now,
    )
    .await?;

    plan_demo(&mut tx, cleaning, SourcingMode::Restricted, today.add_days(40), now).await?;

    // A draft: visible to nobody but its buyer organisation and reviewers.
    db::consultations::insert(
        &mut tx,
        &NewConsultation {
            buyer_organisation_id: prefecture,
            title: "Refonte du site internet des services de l'État en Seine-et-Marne",
            object: "Refonte graphique et technique, accessibilité RGAA, hébergement souverain.",
            cpv_codes: &["72413000-8"],
            departements: &["77"],
            mode: SourcingMode::Restricted,
            status: ConsultationStatus::Draft,
            dates: KeyDates::default(),
        },
        now,
    )
    .await?;

    let it_company = organisations::insert(
        &mut *tx,
        &organisations::NewOrganisation {
            kind: Some(OrganisationKind::Company),
            name: "Brie Informatique Services",
            siret: Some("73282932000074"),
            departement: Some("77"),
            cpv_codes: &["50312000-5".into(), "72250000-2".into()],
            departements_served: &["77".into(), "91".into(), "93".into()],
            is_sme: true,
        },
        now,
    )
    .await?;
    let cleaning_company = organisations::insert(
        &mut *tx,
        &organisations::NewOrganisation {
            kind: Some(OrganisationKind::Company),
            name: "Propreté Meldoise",
            siret: Some("44306184100047"),
            departement: Some("77"),
            cpv_codes: &["90910000-9".into()],
            departements_served: &["77".into()],
            is_sme: true,
        },
        now,
    )
    .await?;
    let network_company = organisations::insert(
        &mut *tx,
        &organisations::NewOrganisation {
            kind: Some(OrganisationKind::Company),
            name: "Seine Numérique",
            siret: Some("81234567800013"),
            departement: Some("77"),
            cpv_codes: &["50312000-5".into(), "50320000-4".into()],
            departements_served: &["77".into()],
            is_sme: true,
        },
        now,
    )
    .await?;
    // Restricted sourcing: the buyer invited the cleaning company only.
    organisations::invite_to_consultation(&mut *tx, cleaning, cleaning_company).await?;

    let organisation_of = [
        Some(prefecture),
        Some(ddt),
        Some(it_company),
        Some(cleaning_company),
        Some(network_company),
        None,
        None,
    ];
    let mut user_ids = Vec::new();
    for ((email, name, role), organisation_id) in DEMO_ACCOUNTS.into_iter().zip(organisation_of) {
        let user = NewUser {
            email,
            display_name: name,
            password_hash: &hash,
            role,
            organisation_id,
        };
        let id = db::accounts::insert_user(&mut *tx, &user, now).await?;
        user_ids.push(id);
        if role == Role::Reviewer {
            db::accounts::attach_reviewer(&mut *tx, id, prefecture).await?;
            db::accounts::attach_reviewer(&mut *tx, id, ddt).await?;
        }
    }

    // The dialogue on the maintenance consultation: contributions on version 1 (one integrated
    // into version 2, so now outdated; one answered) and on version 2 (open).
    let brie = (it_company, user_ids[2]);
    let seine = (network_company, user_ids[4]);
    for company in [brie, seine] {
        db::contributions::register(&mut tx, maintenance, company.0, now).await?;
    }
    let first = contribute_demo(
        &mut tx,
        maintenance,
        1,
        brie,
        (TargetKind::Clause, "Maintenance préventive"),
        Some("deux visites préventives par an et par site"),
        ContributionKind::Solution,
        "Deux visites par an immobilisent chaque site deux fois. Une visite par semestre, planifiée un mois à \
         l'avance avec le service informatique, garde le même niveau de prévention et gêne moins les agents.",
        (CostImpact::Down, "4 800"),
        "",
        now,
    )
    .await?;
    answer_demo(
        &mut tx,
        first,
        user_ids[0],
        "Merci : la version 2 retient une visite par semestre, planifiée un mois à l'avance.",
        now,
    )
    .await?;
    db::contributions::set_status(&mut *tx, first, ContributionStatus::Integrated, Some(2)).await?;
    let second = contribute_demo(
        &mut tx,
        maintenance,
        1,
        seine,
        (TargetKind::Clause, "Délais d'intervention"),
        Some("intervention sous 8 heures"),
        ContributionKind::Clarification,
        "Le délai de 8 heures court-il en heures ouvrées ou calendaires ? Un poste de remplacement prêté dans \
         le même délai permettrait de tenir l'engagement sans déplacement d'urgence.",
        (CostImpact::Unknown, ""),
        "",
        now,
    )
    .await?;
    answer_demo(
        &mut tx,
        second,
        user_ids[0],
        "En heures ouvrées (du lundi au vendredi, de 8 h à 18 h). La version 2 ajoute le prêt d'un poste de \
         remplacement dans le même délai.",
        now,
    )
    .await?;
    contribute_demo(
        &mut tx,
        maintenance,
        2,
        brie,
        (TargetKind::Criterion, "Performance environnementale"),
        None,
        ContributionKind::AlternativeCriterion,
        "Le réemploi se mesure mieux par la part de pièces reconditionnées que par une description des \
         intentions ; l'indice de réparabilité est public et vérifiable.",
        (CostImpact::Neutral, ""),
        "Performance environnementale (15 %) : part des pièces de rechange reconditionnées et indice de \
         réparabilité moyen des équipements remplacés.",
        now,
    )
    .await?;
    contribute_demo(
        &mut tx,
        maintenance,
        2,
        seine,
        (TargetKind::Clause, "Réversibilité"),
        None,
        ContributionKind::Solution,
        "Un export mensuel de l'inventaire et de l'historique au format ODS évite que la réversibilité repose \
         sur une seule remise en fin de marché.",
        (CostImpact::Up, "1 500"),
        "",
        now,
    )
    .await?;

    // The catalogue of upcoming needs (the salon inversé), the next quarters from today.
    let this_quarter = crate::domain::need::Quarter::of_month(today.year(), today.month());
    for (n, (buyer, title, summary, cpv, departements, amounts, quarters_ahead)) in DEMO_NEEDS.into_iter().enumerate() {
        let (organisation_id, created_by, buyer_name) = match buyer {
            0 => (prefecture, user_ids[0], "Préfecture de Seine-et-Marne"),
            _ => (
                ddt,
                user_ids[1],
                "Direction départementale des territoires de Seine-et-Marne",
            ),
        };
        let index = this_quarter.year * 4 + i32::from(this_quarter.quarter) - 1 + quarters_ahead;
        let terms = crate::server::needs::search_terms(title, summary, buyer_name);
        let cpv: Vec<String> = cpv.iter().map(|c| c.to_string()).collect();
        let departements: Vec<String> = departements.iter().map(|d| d.to_string()).collect();
        let need = db::needs::insert(
            &mut *tx,
            &db::needs::NewNeed {
                organisation_id,
                created_by,
                title,
                summary,
                cpv_codes: &cpv,
                departements: &departements,
                amount_min: amounts.map(|a| a.0),
                amount_max: amounts.map(|a| a.1),
                tender_year: i64::from(index / 4),
                tender_quarter: i64::from(index % 4 + 1),
                contact: "Service de la commande publique — achats@exemple.gouv.fr",
                search_terms: &terms,
            },
            now,
        )
        .await?;
        if n == 0 {
            db::needs::add_interest(
                &mut *tx,
                need,
                cleaning_company,
                user_ids[3],
                "Nous entretenons déjà des espaces extérieurs de bâtiments publics en Seine-et-Marne.",
                now,
            )
            .await?;
        }
    }

    tx.commit().await?;
    Ok(Outcome::Loaded { consultations: 4 })
}

#[cfg(test)]
mod demo_needs_tests {
    use super::DEMO_NEEDS;
    use crate::domain::need::NeedForm;

    #[test]
    fn demo_needs_are_valid_needs() {
        for (_, title, summary, cpv, departements, amounts, _) in DEMO_NEEDS {
            let form = NeedForm {
                title: title.into(),
                summary: summary.into(),
                cpv_codes: cpv.join(" "),
                departements: departements.join(" "),
                amount_min: amounts.map(|a| a.0.to_string()).unwrap_or_default(),
                amount_max: amounts.map(|a| a.1.to_string()).unwrap_or_default(),
                quarter: "2027-T1".into(),
                contact: String::new(),
            };
            let facts = form.check().unwrap_or_else(|p| panic!("{title}: {p:?}"));
            assert_eq!(facts.cpv_codes, cpv, "{title}: canonical codes");
        }
    }
}
