//! The companies' directory and the invitations of companies to a consultation: a restricted
//! sourcing opens to a company only once one of its members accepts; the directory is for buyers
//! and reviewers, searched by words (accents and case ignored), CPV prefix, département, SMEs.
//! On SQLite and PostgreSQL.

mod common;

use common::{app, call, form, Client, TestDb};
use jesaisfaire::server::demo;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const REVIEWER: &str = "relecteur@demo.jesaisfaire.fr";
/// Brie Informatique Services (serves 77 91 93, CPV 50312000-5 72250000-2, SME).
const BRIE: &str = "entreprise@demo.jesaisfaire.fr";
/// Seine Numérique (serves 77, CPV 50312000-5 50320000-4, SME).
const SEINE: &str = "numerique@demo.jesaisfaire.fr";

async fn id_of(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.db.pool()).await.unwrap()
}

fn names(page: &serde_json::Value) -> Vec<String> {
    page["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

async fn a_restricted_sourcing_opens_once_the_company_accepts(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let restricted = id_of(
        db,
        "select id from consultations where mode = 'restricted' order by id limit 1",
    )
    .await;
    let brie = id_of(
        db,
        "select id from organisations where name = 'Brie Informatique Services'",
    )
    .await;
    let seine = id_of(db, "select id from organisations where name = 'Seine Numérique'").await;
    let buyer = Client::signed_in(&app, BUYER).await;
    let company = Client::signed_in(&app, BRIE).await;
    let other = Client::signed_in(&app, SEINE).await;
    let get = format!("id={restricted}");
    assert_eq!(
        company.call("consultations/get", &get).await.status,
        404,
        "not invited: hidden"
    );

    let invited = buyer
        .ok(
            "invitations/send",
            &form(&[("id", &restricted.to_string()), ("company", &brie.to_string())]),
        )
        .await
        .json();
    let brie_row = invited
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["organisation_id"] == brie)
        .unwrap()
        .clone();
    assert_eq!(brie_row["status"], "pending");
    // Its member got a mail; the consultation stays hidden until someone accepts.
    let mails: i64 =
        sqlx::query_scalar("select count(*) from outbox where recipient = $1 and subject = 'Invitation à un sourcing'")
            .bind(BRIE)
            .fetch_one(db.db.pool())
            .await
            .unwrap();
    assert_eq!(mails, 1);
    assert_eq!(company.call("consultations/get", &get).await.status, 404);
    assert_eq!(company.call("contributions/participate", &get).await.status, 404);
    let mine = company.ok("invitations/mine", "").await.json();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["consultation_id"], restricted);
    // Another company can neither see it nor answer for Brie.
    assert_eq!(other.ok("invitations/mine", "").await.json(), serde_json::json!([]));
    let answered_for = other
        .call(
            "invitations/answer",
            &form(&[("consultation_id", &restricted.to_string()), ("decision", "accept")]),
        )
        .await;
    assert_eq!(answered_for.status, 404);
    // Inviting twice changes nothing and sends no second mail.
    buyer
        .ok(
            "invitations/send",
            &form(&[("id", &restricted.to_string()), ("company", &brie.to_string())]),
        )
        .await;
    let mails: i64 = sqlx::query_scalar("select count(*) from outbox where recipient = $1")
        .bind(BRIE)
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(mails, 1);
    // Accepted: visible and open to contributions.
    let left = company
        .ok(
            "invitations/answer",
            &form(&[("consultation_id", &restricted.to_string()), ("decision", "accept")]),
        )
        .await;
    assert_eq!(left.json(), serde_json::json!([]));
    assert_eq!(company.call("consultations/get", &get).await.status, 200);
    let joined = company.call("contributions/participate", &get).await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    // Declined: stays hidden; the buyer sees both answers; inviting again asks again.
    buyer
        .ok(
            "invitations/send",
            &form(&[("id", &restricted.to_string()), ("company", &seine.to_string())]),
        )
        .await;
    other
        .ok(
            "invitations/answer",
            &form(&[("consultation_id", &restricted.to_string()), ("decision", "decline")]),
        )
        .await;
    assert_eq!(other.call("consultations/get", &get).await.status, 404);
    let states = buyer.ok("invitations/list", &get).await.json();
    let status_of = |id: i64| {
        states
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["organisation_id"] == id)
            .map(|i| i["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status_of(brie).as_deref(), Some("accepted"));
    assert_eq!(status_of(seine).as_deref(), Some("declined"));
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    assert_eq!(
        reviewer.ok("invitations/list", &get).await.json(),
        states,
        "the reviewer sees the same"
    );
    buyer
        .ok(
            "invitations/send",
            &form(&[("id", &restricted.to_string()), ("company", &seine.to_string())]),
        )
        .await;
    assert_eq!(
        other.ok("invitations/mine", "").await.json().as_array().unwrap().len(),
        1
    );
    // The page lists them for the buyer.
    let page = buyer.get(&format!("/consultations/{restricted}/invitations")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Brie Informatique Services") && page.body.contains("Acceptée"));
}

async fn only_the_buyer_invites_and_only_companies(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let restricted = id_of(
        db,
        "select id from consultations where mode = 'restricted' order by id limit 1",
    )
    .await;
    let brie = id_of(
        db,
        "select id from organisations where name = 'Brie Informatique Services'",
    )
    .await;
    let buyer_org = id_of(
        db,
        "select id from organisations where kind = 'buyer' order by id limit 1",
    )
    .await;
    let invite = |company: i64| form(&[("id", &restricted.to_string()), ("company", &company.to_string())]);
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    assert_eq!(reviewer.call("invitations/send", &invite(brie)).await.status, 403);
    let company = Client::signed_in(&app, BRIE).await;
    assert_eq!(company.call("invitations/send", &invite(brie)).await.status, 404);
    assert_eq!(
        call(&app, "invitations/send", &invite(brie)).await.status,
        404,
        "a restricted sourcing is hidden"
    );
    let buyer = Client::signed_in(&app, BUYER).await;
    let not_a_company = buyer.call("invitations/send", &invite(buyer_org)).await;
    assert_eq!(not_a_company.status, 422);
    assert!(
        not_a_company.body.contains("n'est pas une entreprise"),
        "{}",
        not_a_company.body
    );
    let unknown = buyer.call("invitations/send", &invite(999_999)).await;
    assert_eq!(unknown.status, 422);
    let count: i64 = sqlx::query_scalar("select count(*) from consultation_invitations where status = 'pending'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing recorded");
}

async fn the_directory_is_searched_by_words_codes_and_territory(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let buyer = Client::signed_in(&app, BUYER).await;
    let search = |words: &str, cpv: &str, departement: &str, sme: bool| {
        let mut pairs = vec![("words", words), ("cpv", cpv), ("departement", departement)];
        if sme {
            pairs.push(("sme_only", "on"));
        }
        form(&pairs)
    };
    let all = buyer.ok("directory/search", &search("", "", "", false)).await.json();
    assert_eq!(
        names(&all),
        ["Brie Informatique Services", "Propreté Meldoise", "Seine Numérique"]
    );
    assert_eq!(all["total"], 3);
    let accents = buyer
        .ok("directory/search", &search("PROPRETE", "", "", false))
        .await
        .json();
    assert_eq!(names(&accents), ["Propreté Meldoise"]);
    let numerique = buyer
        .ok("directory/search", &search("numérique", "", "", false))
        .await
        .json();
    assert_eq!(names(&numerique), ["Seine Numérique"]);
    let cpv = buyer
        .ok("directory/search", &search("", "5031", "", false))
        .await
        .json();
    assert_eq!(names(&cpv), ["Brie Informatique Services", "Seine Numérique"]);
    let served = buyer
        .ok("directory/search", &search("", "5031", "91", false))
        .await
        .json();
    assert_eq!(names(&served), ["Brie Informatique Services"]);
    let none = buyer
        .ok("directory/search", &search("", "9091", "91", false))
        .await
        .json();
    assert_eq!(none["total"], 0);
    let bad = buyer.call("directory/search", &search("", "", "7 7'", false)).await;
    assert_eq!(bad.status, 422);
    // Pages of 20.
    for i in 0..25 {
        sqlx::query(
            "insert into organisations (kind, name, siret, departement, cpv_codes, departements_served, is_sme, created_at, \
             search_terms) values ('company', $1, null, '77', '90910000-9', '77', 0, 0, $2)",
        )
        .bind(format!("Nettoyage {i:02}"))
        .bind(jesaisfaire::server::db::organisations::search_terms(&format!("Nettoyage {i:02}"), ""))
        .execute(db.db.pool())
        .await
        .unwrap();
    }
    let first = buyer
        .ok("directory/search", &search("nettoyage", "", "", false))
        .await
        .json();
    assert_eq!((first["total"].as_u64(), names(&first).len()), (Some(25), 20));
    let second = buyer
        .ok(
            "directory/search",
            &format!("{}&page=2", search("nettoyage", "", "", false)),
        )
        .await
        .json();
    assert_eq!(
        names(&second),
        [
            "Nettoyage 20",
            "Nettoyage 21",
            "Nettoyage 22",
            "Nettoyage 23",
            "Nettoyage 24"
        ]
    );
    let smes = buyer.ok("directory/search", &search("", "9091", "", true)).await.json();
    assert_eq!(names(&smes), ["Propreté Meldoise"]);
    // Companies never search each other.
    let company = Client::signed_in(&app, BRIE).await;
    assert_eq!(
        company
            .call("directory/search", &search("", "", "", false))
            .await
            .status,
        403
    );
    assert_eq!(
        call(&app, "directory/search", &search("", "", "", false)).await.status,
        401
    );
}

/// The link of the last mail queued for `to` that contains `marker`.
async fn mailed_link(db: &TestDb, to: &str, marker: &str) -> String {
    let body: String = sqlx::query_scalar("select body from outbox where recipient = $1 order by id desc limit 1")
        .bind(to)
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let link = body
        .split_whitespace()
        .find(|w| w.contains(marker))
        .unwrap_or_else(|| panic!("{marker} in {body}"));
    link.split(marker).nth(1).unwrap().to_string()
}

fn registration(siret: &str, email: &str, invitation: &str) -> String {
    form(&[
        ("siret", siret),
        ("company_name", "Vitres de Meaux"),
        ("display_name", "Nora Haddad"),
        ("email", email),
        ("password", "une phrase assez longue pour être sûre"),
        ("confirm", "une phrase assez longue pour être sûre"),
        ("invitation", invitation),
    ])
}

async fn a_company_invited_by_email_registers_into_the_restricted_sourcing(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let restricted = id_of(
        db,
        "select id from consultations where mode = 'restricted' order by id limit 1",
    )
    .await;
    let buyer = Client::signed_in(&app, BUYER).await;
    let sent = buyer
        .ok(
            "invitations/send-by-email",
            &form(&[("id", &restricted.to_string()), ("email", "Contact@Vitres-Meaux.fr")]),
        )
        .await
        .json();
    assert_eq!(sent[0]["email"], "contact@vitres-meaux.fr");
    assert_eq!(sent[0]["company_name"], serde_json::Value::Null);
    let invitation = mailed_link(db, "contact@vitres-meaux.fr", "/inscription?invitation=").await;
    // The link names the sourcing on the registration page.
    let details = call(&app, "invitations/link", &form(&[("token", &invitation)])).await;
    assert_eq!(details.status, 200);
    assert!(details.body.contains("Nettoyage des locaux"), "{}", details.body);
    let page = common::get(&app, &format!("/inscription?invitation={invitation}")).await;
    assert!(page.body.contains("Nettoyage des locaux") && page.body.contains(&invitation));
    // Registering through it, then confirming, opens the restricted sourcing at once.
    let registered = call(
        &app,
        "account/register",
        &registration("52314789600014", "contact@vitres-meaux.fr", &invitation),
    )
    .await;
    assert!(
        registered.status.is_redirection() || registered.status.is_success(),
        "{}",
        registered.body
    );
    let confirmation = mailed_link(db, "contact@vitres-meaux.fr", "/inscription/confirmer/").await;
    let confirmed = call(&app, "account/confirm-registration", &form(&[("token", &confirmation)])).await;
    assert!(
        confirmed.status.is_redirection() || confirmed.status.is_success(),
        "{}",
        confirmed.body
    );
    assert_eq!(confirmed.json()["invited_to"], restricted);
    assert_eq!(
        confirmed.headers.get("location").and_then(|l| l.to_str().ok()),
        Some(format!("/consultations/{restricted}").as_str()),
        "straight to the sourcing"
    );
    let company = Client {
        app: app.clone(),
        cookie: common::session_cookie(&confirmed).unwrap(),
    };
    assert_eq!(
        company
            .call("consultations/get", &format!("id={restricted}"))
            .await
            .status,
        200
    );
    let states = buyer
        .ok("invitations/by-email", &format!("id={restricted}"))
        .await
        .json();
    assert_eq!(states[0]["company_name"], "Vitres de Meaux");
    let invited = buyer.ok("invitations/list", &format!("id={restricted}")).await.json();
    assert!(invited
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["company_name"] == "Vitres de Meaux" && i["status"] == "accepted"));
    // The link served once: registering with it again is refused with a message.
    let again = call(
        &app,
        "account/register",
        &registration("88745123600012", "autre@vitres-meaux.fr", &invitation),
    )
    .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("n'est plus valable"), "{}", again.body);
    // A link followed by someone of an already registered company: the company is invited and
    // decides itself, once its members accept the person.
    buyer
        .ok(
            "invitations/send-by-email",
            &form(&[
                ("id", &restricted.to_string()),
                ("email", "nouveau@brie-informatique.fr"),
            ]),
        )
        .await;
    let second = mailed_link(db, "nouveau@brie-informatique.fr", "/inscription?invitation=").await;
    call(
        &app,
        "account/register",
        &registration("73282932000074", "nouveau@brie-informatique.fr", &second),
    )
    .await;
    let confirmation = mailed_link(db, "nouveau@brie-informatique.fr", "/inscription/confirmer/").await;
    let confirmed = call(&app, "account/confirm-registration", &form(&[("token", &confirmation)])).await;
    assert_eq!(confirmed.json()["invited_to"], serde_json::Value::Null);
    let member = Client::signed_in(&app, BRIE).await;
    let pending = member.ok("invitations/mine", "").await.json();
    assert_eq!(pending[0]["consultation_id"], restricted, "Brie's members decide");
    // Expired links are refused.
    buyer
        .ok(
            "invitations/send-by-email",
            &form(&[("id", &restricted.to_string()), ("email", "tard@exemple.fr")]),
        )
        .await;
    let late = mailed_link(db, "tard@exemple.fr", "/inscription?invitation=").await;
    db.db.clock().advance(30 * 24 * 3600 + 1);
    assert_eq!(
        call(&app, "invitations/link", &form(&[("token", &late)])).await.status,
        422
    );
    // Only the buyer sends them.
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    let refused = reviewer
        .call(
            "invitations/send-by-email",
            &form(&[("id", &restricted.to_string()), ("email", "x@exemple.fr")]),
        )
        .await;
    assert_eq!(refused.status, 403);
}

on_both_backends!(
    a_company_invited_by_email_registers_into_the_restricted_sourcing,
    a_restricted_sourcing_opens_once_the_company_accepts,
    only_the_buyer_invites_and_only_companies,
    the_directory_is_searched_by_words_codes_and_territory,
);
