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

fn slot_form(id: i64, date: &str, time: &str, place: &str, capacity: &str) -> String {
    form(&[
        ("id", &id.to_string()),
        ("slot[date]", date),
        ("slot[time]", time),
        ("slot[duration_minutes]", "45"),
        ("slot[place]", place),
        ("slot[capacity]", capacity),
    ])
}

/// « Portes ouvertes »: the buyer offers slots; companies book one each, never beyond the
/// capacity even all at once; both sides get the `.ics`; only the buyer's side sees who booked.
async fn open_days_never_overbook_and_stay_between_the_buyer_and_the_company(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let buyer = Client::signed_in(&app, BUYER).await;
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    let other_buyer = Client::signed_in(&app, OTHER_BUYER).await;
    let companies = [
        Client::signed_in(&app, BRIE).await,
        Client::signed_in(&app, SEINE).await,
        Client::signed_in(&app, "proprete@demo.jesaisfaire.fr").await,
    ];
    let id = buyer
        .ok(
            "needs/announce",
            &need_form("Entretien des berges de la Marne", "77311000-3", "77", "2027-T4"),
        )
        .await
        .json()
        .as_i64()
        .unwrap();
    // Bad input: a French message, nothing offered.
    for (date, time, capacity, part) in [
        ("2026-11-30", "10:00", "2", "déjà passé"),
        ("2027-01-14", "9h", "2", "HH:MM"),
        ("2027-01-14", "10:00", "0", "entre 1 et 50"),
    ] {
        let refused = buyer
            .call("needs/slots/add", &slot_form(id, date, time, "Melun", capacity))
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains(part), "{}", refused.body);
    }
    // Only its buyer offers slots.
    for stranger in [&other_buyer, &reviewer, &companies[0]] {
        let answer = stranger
            .call("needs/slots/add", &slot_form(id, "2027-01-14", "10:00", "Melun", "2"))
            .await;
        assert_eq!(answer.status, 403, "{}", answer.body);
    }
    let place = "Salle 2; préfecture,\nBEGIN:VEVENT <b>";
    let detail = buyer
        .ok("needs/slots/add", &slot_form(id, "2027-01-14", "14:30", place, "2"))
        .await
        .json();
    let detail = buyer
        .ok(
            "needs/slots/add",
            &slot_form(id, "2027-01-14", "10:00", "Visioconférence", "1"),
        )
        .await
        .json()
        .as_object()
        .cloned()
        .unwrap_or_else(|| panic!("{detail}"));
    let slots = detail["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 2);
    // In time order: 10:00 first.
    assert_eq!(slots[0]["place"], "Visioconférence");
    let (early, late) = (slots[0]["id"].as_i64().unwrap(), slots[1]["id"].as_i64().unwrap());
    assert_eq!(slots[1]["companies"], serde_json::json!([]));

    // Three companies book the two places of the 14:30 slot at once: two get them.
    async fn book(client: &Client, id: i64, slot: i64) -> common::Answer {
        client.call("needs/slots/book", &format!("id={id}&slot={slot}")).await
    }
    let answers = futures::future::join_all(companies.iter().map(|c| book(c, id, late))).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 2, "{statuses:?}");
    let full = answers.iter().find(|a| a.status != 200).unwrap();
    assert_eq!(full.status, 409, "{}", full.body);
    assert!(full.body.contains("complet"), "{}", full.body);
    let booked: i64 = sqlx::query_scalar("select booked from need_slots where id = $1")
        .bind(late)
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(booked, 2);
    let winners: Vec<&Client> = companies
        .iter()
        .zip(&answers)
        .filter(|(_, a)| a.status == 200)
        .map(|(c, _)| c)
        .collect();
    let loser = companies.iter().zip(&answers).find(|(_, a)| a.status != 200).unwrap().0;
    // One slot per company and need.
    let twice = book(winners[0], id, early).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert!(twice.body.contains("déjà réservé"), "{}", twice.body);

    // What each side sees: the companies see counts and their own booking, never names.
    let seen = winners[0].ok("needs/get", &format!("id={id}")).await.json();
    assert_eq!(seen["slots"][1]["own"], true);
    assert_eq!(seen["slots"][1]["booked"], 2);
    assert!(seen["slots"][1]["companies"].is_null(), "{seen}");
    let by_loser = loser.ok("needs/get", &format!("id={id}")).await;
    assert!(by_loser.json()["slots"][1]["companies"].is_null());
    for name in ["Brie Informatique", "Seine Numérique", "Propreté Meldoise"] {
        assert!(!by_loser.body.contains(name), "{name} leaked: {}", by_loser.body);
    }
    let by_buyer = buyer.ok("needs/get", &format!("id={id}")).await.json();
    assert_eq!(by_buyer["slots"][1]["companies"].as_array().unwrap().len(), 2);
    let by_reviewer = reviewer.ok("needs/get", &format!("id={id}")).await.json();
    assert_eq!(by_reviewer["slots"][1]["companies"], by_buyer["slots"][1]["companies"]);
    // The buyer was told.
    let centre = buyer.ok("notifications/centre", "").await.json();
    assert!(
        centre
            .to_string()
            .contains("a réservé le créneau du 14 janvier 2027 à 14 h 30"),
        "{centre}"
    );

    // The meeting for agendas: the company that booked it and the buyer's side; nobody else.
    let ics_path = format!("/besoins/{id}/creneaux/{late}/rendez-vous.ics");
    for client in [winners[0], &buyer, &reviewer] {
        let ics = client.get(&ics_path).await;
        assert_eq!(ics.status, 200, "{}", ics.body);
        // 14:30 in Paris in January is 13:30 UTC.
        assert!(
            ics.body
                .contains("\r\nDTSTART:20270114T133000Z\r\nDTEND:20270114T141500Z\r\n"),
            "{}",
            ics.body
        );
        assert!(
            ics.body
                .contains("LOCATION:Salle 2\\; préfecture\\,\\nBEGIN:VEVENT <b>"),
            "{}",
            ics.body
        );
        assert_eq!(
            ics.body.matches("BEGIN:VEVENT").count(),
            2,
            "one event, the other is escaped text"
        );
    }
    for (who, cookie) in [
        ("the loser", Some(loser.cookie.as_str())),
        ("another buyer", Some(other_buyer.cookie.as_str())),
        ("a visitor", None),
    ] {
        let answer = common::get_as(&app, cookie, &ics_path).await;
        assert_eq!(answer.status, 404, "{who}: {}", answer.body);
    }

    // A booked slot cannot be withdrawn; the booking cancelled gives the place back.
    let refused = buyer.call("needs/slots/remove", &format!("id={id}&slot={late}")).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    winners[0].ok("needs/slots/cancel", &format!("id={id}")).await;
    winners[0].ok("needs/slots/cancel", &format!("id={id}")).await;
    loser.ok("needs/slots/book", &format!("id={id}&slot={late}")).await;
    // Booking and cancelling again, later, tells the buyers once per company and slot.
    db.db.clock().advance(3600);
    loser.ok("needs/slots/cancel", &format!("id={id}")).await;
    loser.ok("needs/slots/book", &format!("id={id}&slot={late}")).await;
    let told = buyer.ok("notifications/centre", "").await.json()["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["title"].as_str().unwrap_or_default().contains("a réservé le créneau"))
        .count();
    assert_eq!(told, 3, "two winners and the company that took the freed place");
    assert_eq!(
        common::get_as(&app, Some(&winners[0].cookie), &ics_path).await.status,
        404
    );
    // The unbooked one is withdrawn.
    let after = buyer
        .ok("needs/slots/remove", &format!("id={id}&slot={early}"))
        .await
        .json();
    assert_eq!(after["slots"].as_array().unwrap().len(), 1);
    // A slot of another need is not this need's.
    let elsewhere = companies[0]
        .call("needs/slots/book", &format!("id={}&slot={late}", id + 1000))
        .await;
    assert_eq!(elsewhere.status, 404, "{}", elsewhere.body);
}

on_both_backends!(
    a_buyer_announces_a_need_and_companies_come_forward,
    open_days_never_overbook_and_stay_between_the_buyer_and_the_company
);
