//! The catalogue of upcoming needs: full-text search in French that SQLite (FTS5) and PostgreSQL
//! answer alike on a corpus of 240 needs, the filters, companies' interest (by name, seen by the
//! buyer's side only), the buyer's changes and the alerts a new need sets off. On both databases.

mod common;

use common::{app, call, form, Client, TestDb};
use jesaisfaire::domain::search::{index_text, TextQuery};
use jesaisfaire::server::db::needs::{self as needs_db, NeedFilter, NewNeed};
use jesaisfaire::server::db::organisations::{self, NewOrganisation};
use jesaisfaire::server::demo;
use jesaisfaire::server::needs::search_terms;
use std::collections::BTreeSet;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const OTHER_BUYER: &str = "acheteur.ddt@demo.jesaisfaire.fr";
const REVIEWER: &str = "relecteur@demo.jesaisfaire.fr";
const BRIE: &str = "entreprise@demo.jesaisfaire.fr";
const SEINE: &str = "numerique@demo.jesaisfaire.fr";

#[derive(serde::Deserialize)]
struct CorpusNeed {
    title: String,
    summary: String,
    buyer: String,
    cpv: Vec<String>,
    departements: Vec<String>,
    amount_min: Option<i64>,
    amount_max: Option<i64>,
    quarter: String,
}

fn corpus() -> Vec<CorpusNeed> {
    serde_json::from_str(include_str!("data/needs.json")).expect("tests/data/needs.json")
}

/// Loads the corpus; the needs' ids in corpus order.
async fn load_corpus(db: &TestDb) -> Vec<i64> {
    let pool = db.db.pool();
    let creator: i64 = sqlx::query_scalar(
        "insert into users (email, display_name, password_hash, role, created_at, password_changed_at) \
         values ('corpus@exemple.fr', 'Corpus', 'x', 'buyer', 0, 0) returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let mut buyers: Vec<(String, i64)> = Vec::new();
    let mut ids = Vec::new();
    for need in corpus() {
        let buyer = match buyers.iter().find(|(name, _)| *name == need.buyer) {
            Some((_, id)) => *id,
            None => {
                let org = NewOrganisation {
                    name: &need.buyer,
                    ..Default::default()
                };
                let id = organisations::insert(pool, &org, 0).await.unwrap();
                buyers.push((need.buyer.clone(), id));
                id
            }
        };
        let (year, quarter) = need.quarter.split_once("-T").unwrap();
        let terms = search_terms(&need.title, &need.summary, &need.buyer);
        let row = NewNeed {
            organisation_id: buyer,
            created_by: creator,
            title: &need.title,
            summary: &need.summary,
            cpv_codes: &need.cpv,
            departements: &need.departements,
            amount_min: need.amount_min,
            amount_max: need.amount_max,
            tender_year: year.parse().unwrap(),
            tender_quarter: quarter.parse().unwrap(),
            contact: "",
            search_terms: &terms,
        };
        ids.push(needs_db::insert(pool, &row, 0).await.unwrap());
    }
    ids
}

const QUERIES: &[&str] = &[
    "espace vert",
    "Espaces Verts",
    "ÉCLAIRAGE public",
    "eclairage",
    "véhicule électrique",
    "nettoyage des locaux",
    "restauration scolaire",
    "élagage",
    "l'entretien",
    "maintenance ascenseur",
    "Meaux",
    "informatique",
    "chauffage",
    "collecte déchets",
    "formation",
    "assurance",
    "sécurité incendie",
    "impression",
    "zzz introuvable",
    "entre",
];

async fn found(db: &TestDb, query: &str) -> BTreeSet<i64> {
    let filter = NeedFilter {
        text: Some(TextQuery::parse(query)),
        ..Default::default()
    };
    let (rows, total) = needs_db::search(db.db.pool(), db.db.backend(), &filter, 1000, 0)
        .await
        .unwrap();
    assert_eq!(rows.len() as i64, total, "{query}: the count is the results'");
    rows.into_iter().map(|r| r.id).collect()
}

/// What a search must find, computed here from the same terms: every query term starts a term
/// of the need.
fn expected(ids: &[i64], query: &str) -> BTreeSet<i64> {
    let query_terms: Vec<String> = index_text(query)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    corpus()
        .iter()
        .zip(ids)
        .filter(|(need, _)| {
            let terms = search_terms(&need.title, &need.summary, &need.buyer);
            let terms: Vec<&str> = terms.split(' ').collect();
            query_terms
                .iter()
                .all(|q| terms.iter().any(|t| t.starts_with(q.as_str())))
        })
        .map(|(_, id)| *id)
        .collect()
}

/// SQLite and PostgreSQL answer every query of the table with the same needs, which are those
/// the terms say; and French forms are found (plural, accents, case).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_databases_find_the_same_needs_in_french() {
    let _alone = common::ONE_AT_A_TIME.lock().await;
    let sqlite = TestDb::sqlite().await;
    let postgres = TestDb::postgres().await;
    let sqlite_ids = load_corpus(&sqlite).await;
    let postgres_ids = load_corpus(&postgres).await;
    let titles: Vec<String> = corpus().into_iter().map(|n| n.title).collect();
    let position = |ids: &[i64], found: &BTreeSet<i64>| -> BTreeSet<usize> {
        found
            .iter()
            .map(|id| ids.iter().position(|i| i == id).unwrap())
            .collect()
    };
    for query in QUERIES {
        let on_sqlite = found(&sqlite, query).await;
        let on_postgres = found(&postgres, query).await;
        assert_eq!(
            position(&sqlite_ids, &on_sqlite),
            position(&postgres_ids, &on_postgres),
            "« {query} »: SQLite and PostgreSQL differ"
        );
        assert_eq!(on_sqlite, expected(&sqlite_ids, query), "« {query} » on SQLite");
    }
    // The French forms of the issue.
    let green = position(&sqlite_ids, &found(&sqlite, "espace vert").await);
    let with_green: BTreeSet<usize> = titles
        .iter()
        .enumerate()
        .filter(|(_, t)| t.to_lowercase().contains("espaces verts"))
        .map(|(i, _)| i)
        .collect();
    assert!(with_green.len() >= 3);
    assert!(
        with_green.is_subset(&green),
        "« espace vert » finds « … espaces verts … »"
    );
    assert_eq!(
        found(&sqlite, "ESPACES verts").await,
        found(&sqlite, "espace vert").await,
        "case and plural"
    );
    let lighting = position(&sqlite_ids, &found(&sqlite, "eclairage publics").await);
    assert!(corpus()
        .iter()
        .enumerate()
        .filter(|(_, n)| format!("{} {}", n.title, n.summary)
            .to_lowercase()
            .contains("éclairage public"))
        .all(|(i, _)| lighting.contains(&i)));
    assert!(found(&sqlite, "zzz introuvable").await.is_empty());
    assert!(found(&sqlite, "élagage").await.len() >= 3);
    sqlite.finish().await;
    postgres.finish().await;
}

fn need_form(title: &str, cpv: &str, departements: &str, quarter: &str) -> String {
    form(&[
        ("need[title]", title),
        (
            "need[summary]",
            "Tonte et taille des haies des **sites** <script>alert(1)</script> de la préfecture.",
        ),
        ("need[cpv_codes]", cpv),
        ("need[departements]", departements),
        ("need[amount_min]", "40 000"),
        ("need[amount_max]", "80000"),
        ("need[quarter]", quarter),
        ("need[contact]", "Service achats"),
    ])
}

/// Searches as the catalogue page does (`query[field]=value`, the rest left at their defaults).
async fn search_answer(app: &axum::Router, pairs: &[(&str, &str)]) -> common::Answer {
    let mut fields: Vec<(String, String)> = ["words", "cpv", "departement", "period", "amount_from", "amount_to"]
        .iter()
        .map(|k| (k.to_string(), String::new()))
        .collect();
    fields.push(("page".into(), "1".into()));
    fields.push(("whole_year".into(), "false".into()));
    for (k, v) in pairs {
        fields.retain(|(key, _)| key != k);
        fields.push((k.to_string(), v.to_string()));
    }
    let named: Vec<(String, String)> = fields.into_iter().map(|(k, v)| (format!("query[{k}]"), v)).collect();
    let pairs: Vec<(&str, &str)> = named.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    call(app, "needs/search", &form(&pairs)).await
}

async fn search(app: &axum::Router, pairs: &[(&str, &str)]) -> serde_json::Value {
    let answer = search_answer(app, pairs).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

fn titles(page: &serde_json::Value) -> Vec<String> {
    page["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_string())
        .collect()
}

async fn a_buyer_announces_a_need_and_companies_come_forward(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let buyer = Client::signed_in(&app, BUYER).await;
    let seine = Client::signed_in(&app, SEINE).await;
    // Seine's alert: green spaces in Seine-et-Marne, at once.
    seine
        .ok(
            "notifications/alert",
            &form(&[
                ("cpv_prefixes", "7731"),
                ("departements", "77"),
                ("frequency", "immediate"),
            ]),
        )
        .await;
    // Bad input: every problem at once, in French, nothing created.
    let refused = buyer
        .call("needs/announce", &need_form("", "7731", "77", "2027-T9"))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("titre") && refused.body.contains("trimestre"),
        "{}",
        refused.body
    );
    let before: i64 = sqlx::query_scalar("select count(*) from needs")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let id = buyer
        .ok(
            "needs/announce",
            &need_form(
                "Entretien des espaces verts des sous-préfectures",
                "77311000-3",
                "77, 91",
                "2028-T2",
            ),
        )
        .await
        .json()
        .as_i64()
        .unwrap();
    let after: i64 = sqlx::query_scalar("select count(*) from needs")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(after, before + 1);
    // The alert told Seine, in the app and by mail (with List-Unsubscribe).
    let centre = seine.ok("notifications/centre", "").await.json();
    assert_eq!(centre["unread"], 1, "{centre}");
    assert_eq!(centre["notifications"][0]["link"], format!("/besoins/{id}"));
    let (subject, unsubscribe): (String, String) =
        sqlx::query_as("select subject, list_unsubscribe from outbox where recipient = $1 order by id desc limit 1")
            .bind(SEINE)
            .fetch_one(db.db.pool())
            .await
            .unwrap();
    assert!(subject.contains("espaces verts"), "{subject}");
    assert!(unsubscribe.contains("/notifications"), "{unsubscribe}");
    // A need elsewhere does not.
    buyer
        .ok(
            "needs/announce",
            &need_form("Nettoyage des vitres", "90911300-9", "75", "2028-T3"),
        )
        .await;
    assert_eq!(seine.ok("notifications/centre", "").await.json()["unread"], 1);

    // Anyone finds it, by words in another form, and by each filter.
    assert!(titles(&search(&app, &[("words", "espace vert")]).await)
        .contains(&"Entretien des espaces verts des sous-préfectures".to_string()));
    let by_quarter = titles(&search(&app, &[("period", "2028-T2")]).await);
    assert_eq!(by_quarter, ["Entretien des espaces verts des sous-préfectures"]);
    assert_eq!(
        titles(&search(&app, &[("departement", "91"), ("period", "2028")]).await).len(),
        1
    );
    assert_eq!(
        titles(&search(&app, &[("cpv", "9091"), ("period", "2028")]).await),
        ["Nettoyage des vitres"]
    );
    assert_eq!(
        titles(&search(&app, &[("amount_from", "90 000"), ("period", "2028")]).await).len(),
        0
    );
    assert_eq!(
        titles(&search(&app, &[("amount_to", "50 000"), ("period", "2028")]).await).len(),
        2
    );
    let bad = search_answer(&app, &[("period", "demain")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("période"), "{}", bad.body);
    let year = search(&app, &[("period", "2028"), ("whole_year", "true")]).await;
    assert_eq!(year["total"], 2);

    // The description is sanitised; visitors see no interest list.
    let page = call(&app, "needs/get", &format!("id={id}")).await.json();
    assert!(!page["description_html"].as_str().unwrap().contains("<script"));
    assert!(page["description_html"]
        .as_str()
        .unwrap()
        .contains("<strong>sites</strong>"));
    assert_eq!(page["interested"], serde_json::Value::Null);

    // Brie comes forward, by name, with a message; Seine sees nothing of it.
    let brie = Client::signed_in(&app, BRIE).await;
    brie.ok(
        "needs/interest",
        &form(&[
            ("id", &id.to_string()),
            ("message", "Nous entretenons 40 ha en Seine-et-Marne."),
        ]),
    )
    .await;
    brie.ok(
        "needs/interest",
        &form(&[
            ("id", &id.to_string()),
            ("message", "Et nous avons une équipe d'élagueurs."),
        ]),
    )
    .await;
    let seen_by_seine = seine.ok("needs/get", &format!("id={id}")).await.json();
    assert_eq!(seen_by_seine["interested"], serde_json::Value::Null);
    assert!(!seen_by_seine.to_string().contains("Brie"));
    for side in [BUYER, REVIEWER] {
        let seen = Client::signed_in(&app, side)
            .await
            .ok("needs/get", &format!("id={id}"))
            .await
            .json();
        let interested = seen["interested"].as_array().unwrap();
        assert_eq!(interested.len(), 1, "{side}: one company, said twice");
        assert_eq!(interested[0]["company"]["name"], "Brie Informatique Services");
        assert_eq!(interested[0]["message"], "Et nous avons une équipe d'élagueurs.");
    }
    // The buyer was told once.
    let told: i64 = sqlx::query_scalar("select count(*) from notifications where kind = 'interest'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert!(told >= 1);
    let claire = buyer.ok("notifications/centre", "").await.json();
    assert_eq!(
        claire["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "interest")
            .count(),
        1
    );
    // Another organisation's buyer neither sees nor changes it.
    let ddt = Client::signed_in(&app, OTHER_BUYER).await;
    assert_eq!(
        ddt.ok("needs/get", &format!("id={id}")).await.json()["interested"],
        serde_json::Value::Null
    );
    let mut change = need_form("Entretien des espaces verts", "77311000-3", "77", "2028-T3");
    change.push_str(&format!("&id={id}&consultation="));
    assert_eq!(ddt.call("needs/update", &change).await.status, 403);
    assert_eq!(brie.call("needs/update", &change).await.status, 403);
    assert_eq!(brie.call("needs/withdraw", &format!("id={id}")).await.status, 403);
    // Its buyer links it to its sourcing, not to another organisation's.
    let own: i64 = sqlx::query_scalar("select id from consultations where title like 'Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let foreign: i64 = sqlx::query_scalar("select c.id from consultations c join organisations o on o.id = c.buyer_organisation_id where o.name like 'Direction%' order by c.id limit 1")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let mut link = need_form("Entretien des espaces verts", "77311000-3", "77", "2028-T3");
    link.push_str(&format!("&id={id}&consultation={foreign}"));
    assert_eq!(buyer.call("needs/update", &link).await.status, 422);
    let mut link = need_form("Entretien des espaces verts", "77311000-3", "77", "2028-T3");
    link.push_str(&format!("&id={id}&consultation={own}"));
    let linked = buyer.ok("needs/update", &link).await.json();
    assert_eq!(linked["summary"]["consultation_id"], own);
    assert_eq!(linked["summary"]["quarter"]["quarter"], 3);
    // Companies and visitors cannot announce.
    assert_eq!(
        brie.call("needs/announce", &need_form("X", "77311000-3", "77", "2028-T2"))
            .await
            .status,
        403
    );
    assert_eq!(
        call(&app, "needs/announce", &need_form("X", "77311000-3", "77", "2028-T2"))
            .await
            .status,
        401
    );
    // Withdrawn: gone from the catalogue.
    buyer.ok("needs/withdraw", &format!("id={id}")).await;
    assert_eq!(call(&app, "needs/get", &format!("id={id}")).await.status, 404);
}

on_both_backends!(a_buyer_announces_a_need_and_companies_come_forward);
