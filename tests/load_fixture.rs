//! The database of the load benchmark (`scripts/bench-load.sh`), built through the real HTTP
//! stack as buyers and companies would: the demo data, then a consultation of 100 clauses and
//! one of the Code civil (2,793 articles, the 2013 text), each open for exchanges with 300
//! contributions on its first version, then a second version (ten clauses rewritten; the 2015
//! Code civil) that the contributions follow. A company's session cookie is written next to the
//! database (`JSF_LOAD_DB.cookie`) so that the pages are measured as a signed-in company sees
//! them, and where its writers contribute (`JSF_LOAD_DB.targets`).
//!
//! Ignored by `cargo test`: the script runs it with `JSF_LOAD_DB` naming the SQLite file to
//! create, then serves that file with the release binary. With `JSF_LOAD_POSTGRES_URL` (a
//! PostgreSQL server where it may create databases), it fills a fresh database `jsf_load` there
//! instead and writes that database's URL to `JSF_LOAD_DB.url` for the script to serve. What it asserts is that each step was
//! accepted, so that the benchmark never measures a half-built database.

mod common;

use common::{form, Client};
use jesaisfaire::model::ConsultationDetail;
use jesaisfaire::server::{db::Db, demo};
use serde_json::json;
use sqlx::Connection;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const COMPANIES: [&str; 3] = [
    "entreprise@demo.jesaisfaire.fr",
    "numerique@demo.jesaisfaire.fr",
    "proprete@demo.jesaisfaire.fr",
];
/// Contributions on each consultation of the benchmark.
const CONTRIBUTIONS: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "builds the load benchmark's database; run by scripts/bench-load.sh"]
async fn build_the_load_benchmark_database() {
    let path = std::env::var("JSF_LOAD_DB").expect("JSF_LOAD_DB: the SQLite file to create");
    let url = match std::env::var("JSF_LOAD_POSTGRES_URL") {
        Ok(admin_url) => {
            sqlx::any::install_default_drivers();
            let mut admin = sqlx::AnyConnection::connect(&admin_url).await.unwrap();
            for statement in ["drop database if exists jsf_load", "create database jsf_load"] {
                sqlx::query(statement).execute(&mut admin).await.unwrap();
            }
            admin.close().await.unwrap();
            let url = common::replace_database(&admin_url, "jsf_load");
            std::fs::write(format!("{path}.url"), &url).unwrap();
            url
        }
        Err(_) => {
            let _ = std::fs::remove_file(&path);
            format!("sqlite:{path}")
        }
    };
    let db = Db::connect(&url).await.unwrap().with_clock(common::test_clock());
    db.migrate().await.unwrap();
    demo::load_if_empty(&db).await.unwrap();
    let app = common::app(&db);
    let buyer = Client::signed_in(&app, BUYER).await;
    let mut companies = Vec::new();
    for email in COMPANIES {
        companies.push(Client::signed_in(&app, email).await);
    }

    let hundred = hundred_clauses();
    // Where the benchmark's writers contribute: "id version clause" per consultation.
    let mut targets = String::new();
    let hundred_v2 = hundred.replacen("cinq jours ouvrés", "trois jours ouvrés", 10);
    let code_civil = |file: &str| {
        std::fs::read_to_string(format!("{}/tests/data/code-civil/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let (civil_2013, civil_2015) = (code_civil("v2013-01-01.md"), code_civil("v2015-03-22.md"));
    for (title, markdown, next) in [
        ("Banc d'essai — 100 clauses", hundred.as_str(), hundred_v2.as_str()),
        ("Banc d'essai — Code civil", civil_2013.as_str(), civil_2015.as_str()),
    ] {
        let id = open_for_exchanges(&buyer, title, markdown).await;
        let detail: ConsultationDetail =
            serde_json::from_str(&buyer.ok("consultations/get", &format!("id={id}")).await.body).unwrap();
        let version = detail.current_version.unwrap();
        let clauses: Vec<String> = version.parts.iter().filter_map(|p| p.clause_id.clone()).collect();
        assert!(clauses.len() >= 100, "{title}: {} clauses", clauses.len());
        for company in &companies {
            company.ok("contributions/participate", &format!("id={id}")).await;
        }
        for n in 0..CONTRIBUTIONS {
            let company = &companies[n % companies.len()];
            let clause = &clauses[(n * 7) % clauses.len()];
            let kind = ["solution", "clarification", "alternative_clause"][n % 3];
            let body = json!({"contribution": {"consultation_id": id, "version": version.number,
                "target": {"kind": "clause", "id": clause}, "selector": null,
                "input": {"kind": kind,
                    "justification": format!("Contribution {n} : nos retours d'expérience sur ce point montrent qu'une \
                        rédaction plus précise éviterait des offres incomparables et des avenants en cours d'exécution."),
                    "cost_impact": "down", "cost_amount": "1 200",
                    "proposed_text": if kind == "alternative_clause" { "Le titulaire propose une variante chiffrée." } else { "" }}}});
            company.ok("contributions/create", &body.to_string()).await;
        }
        let body = json!({"id": id, "base_version": version.number,
            "draft": {"markdown": next, "criteria": [], "changelog": "Deuxième version."}});
        buyer.ok("consultations/publish", &body.to_string()).await;
        let detail: ConsultationDetail =
            serde_json::from_str(&buyer.ok("consultations/get", &format!("id={id}")).await.body).unwrap();
        let latest = detail.current_version.unwrap();
        let clause = latest.parts.iter().rev().find_map(|p| p.clause_id.clone()).unwrap();
        targets.push_str(&format!("{id} {} {clause}\n", latest.number));
        println!("{title}: /consultations/{id} ({} clauses)", clauses.len());
    }
    std::fs::write(format!("{path}.cookie"), &companies[0].cookie).unwrap();
    std::fs::write(format!("{path}.targets"), targets).unwrap();
    db.close().await;
}

/// Creates a consultation, publishes `markdown` as its first version and opens its exchanges.
async fn open_for_exchanges(buyer: &Client, title: &str, markdown: &str) -> i64 {
    let answer = buyer
        .ok(
            "consultations/create",
            &form(&[
                ("title", title),
                ("object", "Consultation de mesure des performances."),
                ("cpv_codes", "77310000-6"),
                ("departements", "77"),
                ("mode", "open"),
                ("expected_tender", "2027-09-01"),
            ]),
        )
        .await;
    let id: i64 = answer.body.parse().unwrap();
    let body = json!({"id": id, "base_version": null,
        "draft": {"markdown": markdown, "criteria": [], "changelog": ""}});
    buyer.ok("consultations/publish", &body.to_string()).await;
    for step in ["announced", "call_for_participation", "exchanges"] {
        buyer.ok("consultations/status", &format!("id={id}&to={step}")).await;
    }
    id
}

/// A specification of 100 clauses: ten chapters of nine articles, with the lists and tables of a real CCTP.
fn hundred_clauses() -> String {
    let mut markdown = String::from("# CCTP — Banc d'essai\n\n");
    for chapter in 1..=10 {
        markdown.push_str(&format!("## {chapter}. Chapitre {chapter}\n\n"));
        for clause in 1..=9 {
            markdown.push_str(&format!(
                "### {chapter}.{clause} Exigence {chapter}.{clause}\n\n\
                 Le titulaire assure la prestation décrite au présent article dans les délais fixés par le \
                 bordereau des prix, en respectant les normes en vigueur et les consignes du maître d'ouvrage. \
                 Il remet un compte rendu d'intervention sous cinq jours ouvrés.\n\n\
                 - moyens humains qualifiés ;\n- matériel adapté au site ;\n- traçabilité des déchets.\n\n"
            ));
            if clause == 5 {
                markdown.push_str(
                    "| Niveau | Délai d'intervention | Pénalité |\n|---|---|---|\n\
                     | Urgent | 4 heures | 150 € |\n| Normal | 48 heures | 50 € |\n\n",
                );
            }
        }
    }
    markdown
}
