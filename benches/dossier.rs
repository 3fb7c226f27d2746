//! The equal-treatment dossier of a large consultation, produced as the server produces it: the
//! two real revisions of the Code civil (2,800 clauses each) published as versions 1 and 2, 20
//! participating companies, 300 contributions with an answer each, one redacted passage; then
//! the public PDF and the ZIP (PDF, both `.md`, the CSV) through `server::dossier`, on SQLite.
//!
//! Target (issue 16): under 10 s and under 300 MB. Wall time of each production, and the peak
//! resident memory of the process while producing (reset before, read after, from /proc).
//!
//! `cargo bench --features ssr --bench dossier`

use jesaisfaire::domain::contribution::{ContributionContent, ContributionKind, CostImpact, Target, TargetKind};
use jesaisfaire::domain::dossier::DossierEdition;
use jesaisfaire::model::{ConsultationStatus, DraftInput, KeyDates, OrganisationKind, Role, SourcingMode};
use jesaisfaire::server::auth::Actor;
use jesaisfaire::server::db::{self, Db};
use jesaisfaire::server::{dossier, publishing, AppState};
use leptos::prelude::LeptosOptions;
use std::time::Instant;

const V1: &str = include_str!("../tests/data/code-civil/v2013-01-01.md");
const V2: &str = include_str!("../tests/data/code-civil/v2015-03-22.md");
const COMPANIES: usize = 20;
const CONTRIBUTIONS: usize = 300;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite:{}", dir.path().join("bench.db").display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let pool = db.pool();
    let now = db.now();
    let organisation = |kind, name: String, siret: Option<String>| async move {
        db::organisations::insert(
            pool,
            &db::organisations::NewOrganisation {
                kind: Some(kind),
                name: &name,
                siret: siret.as_deref(),
                departement: Some("75"),
                ..Default::default()
            },
            now,
        )
        .await
        .unwrap()
    };
    let user = |email: String, role, organisation_id| async move {
        db::accounts::insert_user(
            pool,
            &db::accounts::NewUser {
                email: &email,
                display_name: "Personne",
                password_hash: "x",
                role,
                organisation_id: Some(organisation_id),
            },
            now,
        )
        .await
        .unwrap()
    };
    let buyer_org = organisation(OrganisationKind::Buyer, "Ministère de la Justice".into(), None).await;
    let buyer = user("acheteur@justice.example".into(), Role::Buyer, buyer_org).await;
    let id = db::consultations::insert(
        &mut pool.acquire().await.unwrap(),
        &db::consultations::NewConsultation {
            buyer_organisation_id: buyer_org,
            title: "Code civil",
            object: "Deux révisions réelles du Code civil.",
            cpv_codes: &["79100000-5"],
            departements: &["75"],
            mode: SourcingMode::Open,
            status: ConsultationStatus::Drafting,
            dates: KeyDates::default(),
        },
        now,
    )
    .await
    .unwrap();
    let draft = |markdown: &str, changelog: &str| DraftInput {
        markdown: markdown.into(),
        criteria: Vec::new(),
        changelog: changelog.into(),
    };
    publishing::publish(&db, id, None, &draft(V1, ""), Some(buyer))
        .await
        .unwrap();
    publishing::publish(&db, id, Some(1), &draft(V2, "Révision du 22 mars 2015."), Some(buyer))
        .await
        .unwrap();
    let v1 = db::consultations::version(pool, id, Some(1)).await.unwrap().unwrap();
    let clauses = v1.clause_ids();

    let mut companies = Vec::new();
    for n in 0..COMPANIES {
        let org = organisation(OrganisationKind::Company, format!("Société {n}"), None).await;
        let author = user(format!("contact{n}@societe.example"), Role::Supplier, org).await;
        let mut conn = pool.acquire().await.unwrap();
        db::contributions::register(&mut conn, id, org, now).await.unwrap();
        companies.push((org, author));
    }
    let justification = "Cet article gagnerait à préciser le délai applicable et les conséquences \
        d'un manquement ; nous proposons une rédaction qui reprend la jurisprudence constante et \
        clarifie l'articulation avec les dispositions voisines, sans en changer la portée. ";
    let mut first = None;
    for n in 0..CONTRIBUTIONS {
        let (org, author) = companies[n % COMPANIES];
        let target = Target {
            kind: TargetKind::Clause,
            id: clauses[(n * 9) % clauses.len()].clone(),
        };
        let content = ContributionContent {
            kind: ContributionKind::AlternativeClause,
            justification: justification.repeat(2),
            cost_impact: CostImpact::Neutral,
            cost_amount_cents: None,
            proposed_text: format!("Rédaction proposée n° {n} : {justification}"),
        };
        let contribution = db::contributions::insert(
            pool,
            &db::contributions::NewContributionRow {
                consultation_id: id,
                version_number: 1,
                target: &target,
                selector: None,
                target_text: "",
                target_label: &target.id,
                content: &content,
                organisation_id: org,
                author_id: author,
                client_key: None,
            },
            now,
        )
        .await
        .unwrap();
        first.get_or_insert(contribution);
        db::contributions::insert_reply(pool, contribution, true, "Merci, la clause sera revue.", buyer, now)
            .await
            .unwrap();
    }
    let mut conn = pool.acquire().await.unwrap();
    db::dossier::insert_redaction(
        &mut conn,
        &db::dossier::NewRedaction {
            consultation_id: id,
            contribution_id: first.unwrap(),
            passage: "la jurisprudence constante",
            reason: "",
            by_company: true,
            created_by: companies[0].1,
        },
        now,
    )
    .await
    .unwrap();
    db::dossier::publish(&mut conn, id, buyer, now).await.unwrap();
    drop(conn);

    let options = LeptosOptions::builder().output_name("jesaisfaire").build();
    let state = AppState::new(options, db.clone(), "http://127.0.0.1:3000");
    let actor = Actor::Anonymous;
    println!(
        "dossier of {} + {} clauses, {CONTRIBUTIONS} contributions, {COMPANIES} companies (public edition)",
        clauses.len(),
        db::consultations::version(pool, id, Some(2))
            .await
            .unwrap()
            .unwrap()
            .clause_ids()
            .len()
    );
    for run in 1..=3 {
        reset_peak_memory();
        let start = Instant::now();
        let (_, pdf) = dossier::pdf(&state, &actor, id, DossierEdition::Public).await.unwrap();
        let pdf_time = start.elapsed();
        let start = Instant::now();
        let (_, zip) = dossier::zip(&state, &actor, id, DossierEdition::Public).await.unwrap();
        let zip_time = start.elapsed();
        println!(
            "run {run}: PDF {:>6.2} s ({:.1} MB), ZIP {:>6.2} s ({:.1} MB), peak resident memory {} MB",
            pdf_time.as_secs_f64(),
            pdf.len() as f64 / 1e6,
            zip_time.as_secs_f64(),
            zip.len() as f64 / 1e6,
            peak_memory_mb().map_or("?".into(), |m| m.to_string()),
        );
    }
}

/// Resets the process's peak resident memory (Linux: `5` into /proc/self/clear_refs).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident memory since the last reset, in MB (VmHWM of /proc/self/status).
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
