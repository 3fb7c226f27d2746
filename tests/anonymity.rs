//! Anonymity: with contributions from two companies on a consultation, a third company and the
//! buyer fetch every page and every server function about it and find nothing that identifies
//! those two: no company name, SIRET, person's name, e-mail, nor a field carrying a database id
//! of a company or a user. On SQLite and PostgreSQL.

// Listing the routes of the application builds its view types here too.
#![recursion_limit = "256"]

mod common;

use common::{app, call_as, get, send, sign_in, TestDb};
use jesaisfaire::domain::anchor;
use jesaisfaire::model::ConsultationDetail;
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use serde_json::json;

/// What identifies Brie Informatique Services (Entreprise A of the demo) and Propreté Meldoise,
/// which joins below.
const SECRETS: &[&str] = &[
    "Brie Informatique",
    "73282932000074",
    "Sophie Lambert",
    "entreprise@demo.jesaisfaire.fr",
    "Propreté Meldoise",
    "44306184100047",
    "Marc Dubois",
    "proprete@demo.jesaisfaire.fr",
];

/// JSON keys that would carry who is behind a contribution.
const IDENTIFYING_KEYS: &[&str] = &["organisation", "author_id", "user", "email", "siret", "display_name"];

fn check(what: &str, body: &str) {
    for secret in SECRETS {
        assert!(!body.contains(secret), "{what} reveals {secret}");
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(body) {
        check_keys(what, &value);
    }
}

fn check_keys(what: &str, value: &serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let key = key.to_lowercase();
                assert!(
                    !IDENTIFYING_KEYS.iter().any(|k| key.contains(k)),
                    "{what} has an identifying field {key}"
                );
                check_keys(what, inner);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| check_keys(what, i)),
        _ => {}
    }
}

async fn nobody_learns_who_contributed(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id: i64 = sqlx::query_scalar("select id from consultations where title like '%Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();

    // A second company joins and contributes on a criterion and on words of a clause.
    let third = sign_in(&app, "proprete@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let joined = call_as(&app, Some(&third), "contributions/participate", &format!("id={id}")).await;
    assert_eq!(joined.json(), "Entreprise C");
    let detail: ConsultationDetail = serde_json::from_str(
        &call_as(&app, Some(&third), "consultations/get", &format!("id={id}"))
            .await
            .body,
    )
    .unwrap();
    let part = detail
        .current_version
        .unwrap()
        .parts
        .into_iter()
        .find(|p| p.clause_id.as_deref() == Some("objet-du-marche"));
    let text = anchor::html_text(&part.unwrap().html);
    let selector = anchor::select(&text, 20, 40).unwrap();
    let body = json!({"contribution": {"consultation_id": id, "version": 2,
        "target": {"kind": "clause", "id": "objet-du-marche"}, "selector": selector,
        "input": {"kind": "clarification", "justification": "Les sous-préfectures sont-elles toutes concernées ?",
                  "cost_impact": "unknown", "cost_amount": "", "proposed_text": ""}}});
    let created = call_as(&app, Some(&third), "contributions/create", &body.to_string()).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let contribution = created.body.clone();
    let buyer = sign_in(&app, "acheteuse@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let reply = format!("id={contribution}&body=Oui%2C%20toutes.");
    assert_eq!(
        call_as(&app, Some(&buyer), "contributions/reply", &reply).await.status,
        200
    );

    // Minutes of a call with the company that just joined, published to every participant.
    let minutes = json!({"id": id, "minutes": null, "input": {"date": "2026-12-02", "time": "09:00",
        "duration_minutes": 20, "mode": "phone", "companies": ["Entreprise C"], "agents": "Claire Moreau",
        "body": "Précisions sur les sous-préfectures.", "clause_ids": ["objet-du-marche"]}});
    let saved = call_as(&app, Some(&buyer), "record/minutes/save", &minutes.to_string()).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let published = call_as(
        &app,
        Some(&buyer),
        "record/minutes/publish",
        &format!("minutes={}", saved.body),
    )
    .await;
    assert_eq!(published.status, 200, "{}", published.body);

    let other = sign_in(&app, "numerique@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let mut fetched = std::collections::BTreeSet::new();
    for (viewer, cookie) in [("another company", &other), ("the buyer", &buyer)] {
        let mut pages = vec![
            format!("/consultations/{id}"),
            format!("/consultations/{id}/versions/1"),
            format!("/consultations/{id}/versions/2"),
            format!("/consultations/{id}/comparer"),
            format!("/consultations/{id}/historique"),
            format!("/consultations/{id}/calendrier"),
            format!("/consultations/{id}/contributions"),
            format!("/consultations/{id}/contributions.csv"),
            format!("/consultations/{id}/versions/2/cctp.md"),
            format!("/consultations/{id}/versions/2/cctp.docx"),
            format!("/consultations/{id}/versions/2/suivi-des-modifications.docx?depuis=1"),
            format!("/consultations/{id}/calendrier.ics"),
            format!("/consultations/{id}/relecture"),
            format!("/consultations/{id}/registres"),
            format!("/consultations/{id}/comptes-rendus"),
            // The invitations (none on this open sourcing); the directory is not searched here:
            // it names companies by design, to buyers only, and never with a pseudonym.
            format!("/consultations/{id}/invitations"),
            format!("/consultations/{id}/dossier"),
            format!("/consultations/{id}/dossier.pdf"),
            format!("/consultations/{id}/dossier.zip"),
            "/".to_string(),
        ];
        if viewer == "the buyer" {
            pages.push(format!("/consultations/{id}/rediger"));
        }
        for page in pages {
            fetched.insert(pattern(&page));
            if page.contains(".docx") {
                // A ZIP: what it says is in its parts, read one by one.
                let (status, parts) = docx_text(&app, cookie, &page).await;
                assert_eq!(status, 200, "{page} as {viewer}");
                check(&format!("{page} as {viewer}"), &parts);
                assert!(parts.contains("<w:document"), "{page} as {viewer} is a Word document");
                continue;
            }
            let answer = send(
                &app,
                axum::http::Request::get(&page)
                    .header("cookie", cookie.as_str())
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
            // The calendar's planning page, the review and the registers are the buyer's (and its
            // reviewers'): others are refused, and still checked. The registers are sealed for
            // the buyer while the exchanges run.
            let buyer_only = ["/calendrier", "/relecture", "/registres", "/invitations"]
                .iter()
                .any(|p| page.ends_with(p));
            // The dossier is not published yet: the buyer previews it, others find nothing (its
            // public edition is checked in tests/dossier.rs, PDF and ZIP included).
            let unpublished = page.contains("/dossier");
            if unpublished && viewer != "the buyer" {
                assert_eq!(answer.status, 404, "{page} as {viewer}");
            } else if buyer_only && viewer != "the buyer" {
                assert_eq!(answer.status, 403, "{page} as {viewer}");
            } else {
                assert_eq!(answer.status, 200, "{page} as {viewer}: {}", answer.body);
            }
            check(&format!("{page} as {viewer}"), &answer.body);
            if page.ends_with("/comptes-rendus") {
                assert!(
                    answer.body.contains("Précisions sur les sous-préfectures"),
                    "{page} shows the minutes"
                );
            }
            if page == format!("/consultations/{id}") || page.ends_with("/contributions") || page.ends_with(".csv") {
                assert!(answer.body.contains("Entreprise C"), "{page} shows the contributions");
            }
        }
        let calls = [
            ("consultations/get", format!("id={id}")),
            ("consultations/get", format!("id={id}&version=1")),
            ("consultations/versions", format!("id={id}")),
            ("consultations/compare", format!("id={id}")),
            ("consultations/list", String::new()),
            ("contributions/list", format!("id={id}")),
            ("contributions/list", format!("id={id}&version=1")),
            ("record/reviews", format!("id={id}")),
            ("record/registers", format!("id={id}")),
            ("record/minutes", format!("id={id}")),
            // The clauses the comparison page unfolds (JSON body).
            (
                "consultations/clauses",
                format!(r#"{{"id":{id},"version":2,"clause_ids":["objet-du-marche","maintenance-preventive"]}}"#),
            ),
        ];
        for (endpoint, args) in calls {
            let answer = call_as(&app, Some(cookie), endpoint, &args).await;
            let buyer_only = endpoint.starts_with("record/") && endpoint != "record/minutes";
            let expected = if buyer_only && viewer != "the buyer" { 403 } else { 200 };
            assert_eq!(answer.status, expected, "{endpoint} as {viewer}: {}", answer.body);
            check(&format!("{endpoint} as {viewer}"), &answer.body);
        }
        // The open data: the consultation's packages and every dataset (the contributions appear
        // there once the public dossier is published: tests/open_data.rs checks them then).
        let ocid = format!("{}-{id}", jesaisfaire::server::config::TEST_OCID_PREFIX);
        for file in [
            format!("/donnees/ocds/{ocid}.json"),
            format!("/donnees/ocds/{ocid}/record.json"),
            "/donnees/consultations.csv".into(),
            "/donnees/versions.csv".into(),
            "/donnees/contributions.csv".into(),
            "/donnees/besoins.csv".into(),
        ] {
            let answer = common::get_as(&app, Some(cookie), &file).await;
            assert_eq!(answer.status, 200, "{file} as {viewer}: {}", answer.body);
            check(&format!("{file} as {viewer}"), &answer.body);
        }
        // The contributions are there, under pseudonyms.
        let list = call_as(&app, Some(cookie), "contributions/list", &format!("id={id}")).await;
        assert!(
            list.body.contains("Entreprise A") && list.body.contains("Entreprise C"),
            "{}",
            list.body
        );
        assert!(list
            .body
            .contains("Les sous-préfectures sont-elles toutes concernées ?"));
    }
    // Importing a Word file answers its own text, to the buyer only.
    let import = format!("/consultations/{id}/brouillon/import-word");
    fetched.insert(pattern(&import));
    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/word/cvc-maintenance.docx"
    ))
    .unwrap();
    for (viewer, cookie, status) in [("another company", &other, 403), ("the buyer", &buyer, 200)] {
        let request = axum::http::Request::post(&import)
            .header("cookie", cookie.as_str())
            .header("sec-fetch-site", "same-origin")
            .body(axum::body::Body::from(file.clone()))
            .unwrap();
        let answer = send(&app, request).await;
        assert_eq!(answer.status, status, "{import} as {viewer}: {}", answer.body);
        check(&format!("{import} as {viewer}"), &answer.body);
    }
    // And the public too.
    let public = get(&app, &format!("/consultations/{id}")).await;
    check("the public page", &public.body);
    // Every page and file about a consultation was fetched: a new one must be added above. The
    // live-event stream says only "changed" (no content to check).
    let routes: std::collections::BTreeSet<String> = leptos_axum::generate_route_list(jesaisfaire::app::App)
        .iter()
        .map(|route| route.path().to_string())
        .chain(jesaisfaire::server::http::PLAIN_ROUTES.iter().map(|p| p.to_string()))
        .filter(|p| p.starts_with("/consultations/{") && !p.ends_with("/evenements"))
        .map(|p| pattern(&p))
        .collect();
    let missing: Vec<_> = routes.difference(&fetched).collect();
    assert!(
        missing.is_empty(),
        "pages about a consultation not checked: {missing:?}"
    );
}

/// A `.docx` fetched as `cookie`: its status and the text of all its parts.
async fn docx_text(app: &axum::Router, cookie: &str, path: &str) -> (u16, String) {
    use http_body_util::BodyExt;
    use std::io::Read;
    use tower::ServiceExt;
    let request = axum::http::Request::get(path)
        .header("cookie", cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut text = String::new();
    for i in 0..archive.len() {
        archive.by_index(i).unwrap().read_to_string(&mut text).unwrap();
    }
    (status, text)
}

/// A path with its numbers and parameters as `*`: `/consultations/3/versions/2` and
/// `/consultations/{id}/versions/{n}` both read `/consultations/*/versions/*`.
fn pattern(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or_default()
        .split('/')
        .map(|segment| {
            let parameter = segment.starts_with('{') || segment.starts_with(':');
            if parameter || (!segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())) {
                "*"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The salon inversé is by name, for the buyer's side only: Propreté Meldoise said it is interested
/// in a need of the demo; other companies and visitors find no trace of it, on the catalogue's
/// pages, its server functions or their notifications.
async fn nobody_but_the_buyer_learns_who_is_interested(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let need: i64 = sqlx::query_scalar("select need_id from need_interests order by need_id limit 1")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let other = sign_in(&app, "numerique@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let search = "query[words]=&query[cpv]=&query[departement]=&query[period]=&query[amount_from]=&query[amount_to]=&query[page]=1&query[whole_year]=false";
    for (viewer, cookie) in [("another company", Some(other.as_str())), ("a visitor", None)] {
        for page in [
            "/besoins".to_string(),
            format!("/besoins/{need}"),
            "/besoins?vue=annee".to_string(),
            "/notifications".to_string(),
        ] {
            let mut request = axum::http::Request::get(&page);
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            let answer = send(&app, request.body(axum::body::Body::empty()).unwrap()).await;
            check(&format!("{page} as {viewer}"), &answer.body);
        }
        for (endpoint, args) in [
            ("needs/get", format!("id={need}")),
            ("needs/search", search.to_string()),
            ("notifications/centre", String::new()),
        ] {
            let answer = call_as(&app, cookie, endpoint, &args).await;
            check(&format!("{endpoint} as {viewer}"), &answer.body);
        }
    }
    // The buyer does see it (the salon is by name).
    let buyer = sign_in(&app, "acheteuse@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let seen = call_as(&app, Some(&buyer), "needs/get", &format!("id={need}")).await;
    assert!(seen.body.contains("Propreté Meldoise"), "{}", seen.body);
}

on_both_backends!(
    nobody_learns_who_contributed,
    nobody_but_the_buyer_learns_who_is_interested
);
