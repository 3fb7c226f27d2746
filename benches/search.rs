//! Catalogue and directory search under concurrent load: 10,000 upcoming needs and 10,000
//! companies, searched by words (French full-text), CPV prefix, département, period, through the
//! whole HTTP stack in process (middleware, server function, database, JSON), 8 requests at a
//! time. On SQLite, and on PostgreSQL too when `TEST_POSTGRES_URL` names a server where a
//! database may be created.
//!
//! Target (issue 17): p95 under 50 ms for each search.
//!
//! `cargo bench --features ssr --bench search`

use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use jesaisfaire::model::{OrganisationKind, Role};
use jesaisfaire::server::db::{self, Db};
use jesaisfaire::server::{auth, http, AppState};
use leptos::prelude::LeptosOptions;
use sqlx::Connection;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const NEEDS: usize = 10_000;
const COMPANIES: usize = 10_000;
const CONCURRENCY: usize = 8;
const REQUESTS: usize = 800;
const PASSWORD: &str = "mot de passe du banc d'essai";

#[derive(serde::Deserialize)]
struct CorpusNeed {
    title: String,
    summary: String,
    buyer: String,
    cpv: Vec<String>,
    departements: Vec<String>,
    amount_min: Option<i64>,
    amount_max: Option<i64>,
}

const NEED_QUERIES: &[&str] = &[
    "query[words]=espace+vert",
    "query[words]=nettoyage+locaux&query[departement]=77",
    "query[words]=%C3%A9clairage+public",
    "query[words]=v%C3%A9hicules+%C3%A9lectriques&query[period]=2027",
    "query[cpv]=7731&query[departement]=77",
    "query[period]=2028-T2",
    "query[words]=maintenance&query[amount_from]=100000",
    "query[words]=restauration+scolaire",
    "",
    "query[words]=entre&query[period]=2027&query[whole_year]=true",
];

const DIRECTORY_QUERIES: &[&str] = &[
    "words=paysage",
    "words=nettoyage&departement=77",
    "words=maintenance+informatique",
    "cpv=9091&departement=93",
    "words=&cpv=7731",
    "words=%C3%A9lectricit%C3%A9&pme=on",
    "words=zzz",
    "words=&departement=974",
];

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!("sqlite:{}", dir.path().join("bench.db").display());
        run("SQLite", &sqlite).await;
        if let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") {
            let name = format!("jsf_bench_search_{}", std::process::id());
            let mut admin = sqlx::AnyConnection::connect(&admin_url).await.unwrap();
            sqlx::query(&format!("create database {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let (base, _) = admin_url.rsplit_once('/').unwrap();
            run("PostgreSQL", &format!("{base}/{name}")).await;
            sqlx::query(&format!("drop database {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
        }
    });
}

async fn run(label: &str, url: &str) {
    sqlx::any::install_default_drivers();
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    let started = Instant::now();
    populate(&db).await;
    eprintln!(
        "{label}: {NEEDS} needs and {COMPANIES} companies written in {:?}",
        started.elapsed()
    );
    let options = LeptosOptions::builder()
        .output_name("jesaisfaire")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    let app = http::router(
        AppState::new(options, db.clone(), "http://127.0.0.1:3000"),
        4 * 1024 * 1024,
    );
    let cookie = sign_in(&app).await;
    for (what, endpoint, queries, cookie) in [
        ("catalogue search", "needs/search", NEED_QUERIES, None),
        (
            "directory search",
            "directory/search",
            DIRECTORY_QUERIES,
            Some(cookie.clone()),
        ),
    ] {
        // Each query alone first (one at a time): what a single person waits.
        let mut sequential: Vec<Duration> = Vec::new();
        for query in queries {
            let body = if endpoint == "needs/search" {
                need_form(query)
            } else {
                directory_form(query)
            };
            let mut alone: Vec<Duration> = Vec::new();
            for _ in 0..15 {
                let start = Instant::now();
                let (status, answer, _) = post(&app, endpoint, body.clone(), cookie.as_deref()).await;
                alone.push(start.elapsed());
                assert_eq!(status, 200, "{answer}");
            }
            sequential.extend(&alone);
            alone.sort();
            println!(
                "{label}, {what}, alone: median {:5.1} ms  {query}",
                ms(alone[alone.len() / 2])
            );
        }
        sequential.sort();
        println!(
            "{label}, {what}: {} requests one at a time: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            sequential.len(),
            ms(sequential[sequential.len() / 2]),
            ms(sequential[sequential.len() * 95 / 100]),
            ms(*sequential.last().unwrap())
        );
        let mut times = load(&app, endpoint, queries, cookie).await;
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "{label}, {what}: {} requests, {CONCURRENCY} at a time: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            times.len(),
            ms(at(0.50)),
            ms(at(0.95)),
            ms(at(0.99)),
            ms(*times.last().unwrap())
        );
    }
    db.close().await;
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Fills in the missing fields of a needs query (the form sends them all).
fn need_form(query: &str) -> String {
    let mut parts: Vec<String> = query.split('&').filter(|p| !p.is_empty()).map(String::from).collect();
    for field in ["words", "cpv", "departement", "period", "amount_from", "amount_to"] {
        if !parts.iter().any(|p| p.starts_with(&format!("query[{field}]="))) {
            parts.push(format!("query[{field}]="));
        }
    }
    parts.push("query[page]=1".into());
    if !query.contains("whole_year") {
        parts.push("query[whole_year]=false".into());
    }
    parts.join("&").replace('[', "%5B").replace(']', "%5D")
}

fn directory_form(query: &str) -> String {
    let mut parts: Vec<String> = query.split('&').filter(|p| !p.is_empty()).map(String::from).collect();
    for field in ["words", "cpv", "departement"] {
        if !parts.iter().any(|p| p.starts_with(&format!("{field}="))) {
            parts.push(format!("{field}="));
        }
    }
    parts.join("&")
}

async fn post(app: &axum::Router, endpoint: &str, body: String, cookie: Option<&str>) -> (u16, String, Option<String>) {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned(), set_cookie)
}

async fn sign_in(app: &axum::Router) -> String {
    let body = format!(
        "email=bench%40exemple.fr&password={}",
        PASSWORD.replace(' ', "+").replace('\'', "%27")
    );
    let (status, answer, cookie) = post(app, "account/sign-in", body, None).await;
    assert_eq!(status, 200, "{answer}");
    cookie.unwrap()
}

/// `REQUESTS` calls spread over `CONCURRENCY` tasks, cycling through the queries; each latency.
async fn load(
    app: &axum::Router,
    endpoint: &'static str,
    queries: &'static [&'static str],
    cookie: Option<String>,
) -> Vec<Duration> {
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let app = app.clone();
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for i in 0..REQUESTS / CONCURRENCY {
                let query = queries[(worker + i) % queries.len()];
                let body = if endpoint == "needs/search" {
                    need_form(query)
                } else {
                    directory_form(query)
                };
                let start = Instant::now();
                let (status, answer, _) = post(&app, endpoint, body, cookie.as_deref()).await;
                times.push(start.elapsed());
                assert_eq!(status, 200, "{endpoint} {query}: {answer}");
            }
            times
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all
}

async fn populate(db: &Db) {
    let corpus: Vec<CorpusNeed> = serde_json::from_str(include_str!("../tests/data/needs.json")).unwrap();
    let hash = auth::password::hash(PASSWORD).unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let mut buyers: Vec<(String, i64)> = Vec::new();
    for need in &corpus {
        if !buyers.iter().any(|(name, _)| *name == need.buyer) {
            let org = db::organisations::NewOrganisation {
                kind: Some(OrganisationKind::Buyer),
                name: &need.buyer,
                ..Default::default()
            };
            let id = db::organisations::insert(&mut *tx, &org, 0).await.unwrap();
            buyers.push((need.buyer.clone(), id));
        }
    }
    let user = db::accounts::NewUser {
        email: "bench@exemple.fr",
        display_name: "Banc d'essai",
        password_hash: &hash,
        role: Role::Buyer,
        organisation_id: Some(buyers[0].1),
    };
    let creator = db::accounts::insert_user(&mut *tx, &user, 0).await.unwrap();
    for n in 0..NEEDS {
        let need = &corpus[n % corpus.len()];
        let buyer = buyers.iter().find(|(name, _)| *name == need.buyer).unwrap().1;
        let title = format!("{} — lot {}", need.title, n / corpus.len() + 1);
        let terms = jesaisfaire::server::needs::search_terms(&title, &need.summary, &need.buyer);
        let row = db::needs::NewNeed {
            organisation_id: buyer,
            created_by: creator,
            title: &title,
            summary: &need.summary,
            cpv_codes: &need.cpv,
            departements: &need.departements,
            amount_min: need.amount_min,
            amount_max: need.amount_max,
            tender_year: 2027 + (n % 3) as i64,
            tender_quarter: (n % 4 + 1) as i64,
            contact: "",
            search_terms: &terms,
        };
        db::needs::insert(&mut *tx, &row, 0).await.unwrap();
    }
    const FIRST: &[&str] = &[
        "Paysages",
        "Propreté",
        "Services",
        "Ateliers",
        "Réseaux",
        "Bâtiments",
        "Énergies",
        "Transports",
    ];
    const SECOND: &[&str] = &[
        "de Brie",
        "du Gâtinais",
        "de la Marne",
        "d'Île-de-France",
        "Meldois",
        "de Seine",
        "du Val",
        "Melunais",
    ];
    const DEPARTEMENTS: &[&str] = &["77", "75", "91", "93", "94", "95", "78", "92", "2A", "974"];
    for n in 0..COMPANIES {
        let need = &corpus[(n * 7) % corpus.len()];
        let name = format!(
            "{} {} {n}",
            FIRST[n % FIRST.len()],
            SECOND[(n / FIRST.len()) % SECOND.len()]
        );
        let served = vec![
            DEPARTEMENTS[n % DEPARTEMENTS.len()].to_string(),
            DEPARTEMENTS[(n / 3) % DEPARTEMENTS.len()].to_string(),
        ];
        let org = db::organisations::NewOrganisation {
            kind: Some(OrganisationKind::Company),
            name: &name,
            departement: Some(&served[0]),
            cpv_codes: &need.cpv,
            departements_served: &served,
            is_sme: n % 3 != 0,
            ..Default::default()
        };
        let id = db::organisations::insert(&mut *tx, &org, 0).await.unwrap();
        let presentation = format!("Nous savons faire : {}", need.summary);
        let terms = db::organisations::search_terms(&name, &presentation);
        let profile = db::registration::ProfileUpdate {
            departement: Some(&served[0]),
            cpv_codes: &need.cpv,
            departements_served: &served,
            is_sme: n % 3 != 0,
            presentation: &presentation,
            website: "",
            search_terms: &terms,
        };
        db::registration::update_profile(&mut *tx, id, &profile).await.unwrap();
    }
    tx.commit().await.unwrap();
}
