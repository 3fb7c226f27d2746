//! Stored script injection (issue 14, defect A): markup typed into every text a user controls —
//! a consultation's title and object, the draft and its criteria and changelog, a person's name,
//! contributions and replies, a retro-planning's title — never becomes markup in the HTML the
//! server sends, wherever it lands (`<title>`, `<textarea>`, attributes, text). The same payloads
//! are checked in Chromium by `end2end/tests/injection.spec.ts`.

mod common;

use common::{app, call_as, form, get_as, session_cookie, sign_in, TestDb};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use serde_json::json;

/// Closes the raw-text elements, then tries every way to run or redirect.
const PAYLOAD: &str = "</title></textarea><img src=x onerror=alert(1)><script>alert(2)</script>\
                       <svg onload=alert(3)><meta http-equiv=refresh content=\"0;url=https://evil.example\">\"'";
/// What must never appear as markup in a page.
const MARKUP: [&str; 4] = ["<img src=x", "<script>alert", "<svg onload", "<meta http-equiv=refresh"];

fn check_page(page: &str, html: &str) {
    for markup in MARKUP {
        if let Some(at) = html.find(markup) {
            let from = html[..at].char_indices().rev().nth(200).map_or(0, |(i, _)| i);
            panic!(
                "{page} contains {markup:?} as markup: …{}",
                &html[from..(at + 60).min(html.len())]
            );
        }
    }
    let titles = html.matches("<title>").count();
    assert_eq!(titles, 1, "{page}: one <title>");
    if let Some(title) = html.split("<title>").nth(1).and_then(|t| t.split("</title>").next()) {
        assert!(!title.contains('<'), "{page}: the title holds markup: {title}");
    }
}

async fn markup_typed_by_users_stays_text(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let pool = db.db.pool();
    let prefecture: i64 =
        sqlx::query_scalar("select id from organisations where name = 'Préfecture de Seine-et-Marne'")
            .fetch_one(pool)
            .await
            .unwrap();

    // A buyer whose name is markup, invited by the admin.
    let admin = sign_in(&app, "admin@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let invited = call_as(
        &app,
        Some(&admin),
        "admin/invite",
        &form(&[
            ("email", "nouvelle@prefecture.example.fr"),
            ("role", "buyer"),
            ("organisation_id", &prefecture.to_string()),
        ]),
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    let mail: String = sqlx::query_scalar("select body from outbox order by id desc limit 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let token = mail
        .split("/invitation/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let name = "</title><img src=x onerror=alert(1)>\"'";
    let accepted = call_as(
        &app,
        None,
        "account/accept-invitation",
        &form(&[
            ("token", token),
            ("display_name", name),
            ("password", "une phrase assez longue"),
            ("confirm", "une phrase assez longue"),
        ]),
    )
    .await;
    let buyer = session_cookie(&accepted).unwrap_or_else(|| panic!("{}", accepted.body));

    // A consultation whose every text is markup.
    let created = call_as(
        &app,
        Some(&buyer),
        "consultations/create",
        &form(&[
            ("title", &format!("Essai {PAYLOAD}")[..200.min(PAYLOAD.len() + 6)]),
            ("object", PAYLOAD),
            ("cpv_codes", "77310000-6"),
            ("departements", "77"),
            ("mode", "open"),
            ("expected_tender", ""),
        ]),
    )
    .await;
    let id: i64 = created.body.parse().unwrap_or_else(|_| panic!("{}", created.body));
    let criteria = json!([
        {"id": "", "name": format!("Prix {}", &PAYLOAD[..60]), "weight": 60, "description": PAYLOAD},
        {"id": "", "name": "Valeur technique", "weight": 40, "description": ""}
    ]);
    let markdown = format!("# {PAYLOAD}\n\n## 1 Objet {PAYLOAD}\n\n{PAYLOAD}\n\n[lien](javascript:alert(4))\n");
    for (base, changelog, text) in [
        (json!(null), String::new(), markdown.clone()),
        (
            json!(1),
            PAYLOAD.to_string(),
            format!("{markdown}\n## 2 Suite\n\nTexte.\n"),
        ),
    ] {
        let published = call_as(
            &app,
            Some(&buyer),
            "consultations/publish",
            &json!({"id": id, "base_version": base,
                    "draft": {"markdown": text, "criteria": criteria, "changelog": changelog}})
            .to_string(),
        )
        .await;
        assert_eq!(published.status, 200, "{}", published.body);
    }
    // The working draft holds markup too (the editor's text area).
    let saved = call_as(
        &app,
        Some(&buyer),
        "consultations/draft/save",
        &json!({"id": id, "revision": 2, "draft": {"markdown": format!("{markdown}{PAYLOAD}"),
                "criteria": criteria, "changelog": PAYLOAD}})
        .to_string(),
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);

    // A contribution and a reply made of markup, on the demo consultation in its exchanges.
    let maintenance: i64 = sqlx::query_scalar("select id from consultations where title like 'Maintenance%'")
        .fetch_one(pool)
        .await
        .unwrap();
    let supplier = sign_in(&app, "entreprise@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let contribution = call_as(
        &app,
        Some(&supplier),
        "contributions/create",
        &json!({"contribution": {"consultation_id": maintenance, "version": 2,
            "target": {"kind": "clause", "id": "objet-du-marche"}, "selector": null,
            "input": {"kind": "alternative_clause", "justification": PAYLOAD, "cost_impact": "up",
                      "cost_amount": "", "proposed_text": PAYLOAD}}})
        .to_string(),
    )
    .await;
    assert_eq!(contribution.status, 200, "{}", contribution.body);
    let first_buyer = sign_in(&app, "acheteuse@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let reply = call_as(
        &app,
        Some(&first_buyer),
        "contributions/reply",
        &form(&[("id", &contribution.body), ("body", PAYLOAD)]),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let plan = call_as(
        &app,
        Some(&supplier),
        "planning/save",
        &form(&[("title", PAYLOAD), ("submission", "2027-09-15")]),
    )
    .await;
    assert_eq!(plan.status, 200, "{}", plan.body);

    let reviewer = sign_in(&app, "relecteur@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let pages: Vec<(Option<&str>, String)> = vec![
        (Some(&buyer), format!("/consultations/{id}")),
        (Some(&buyer), format!("/consultations/{id}/versions/1")),
        (Some(&buyer), format!("/consultations/{id}/historique")),
        (Some(&buyer), format!("/consultations/{id}/rediger")),
        (Some(&buyer), format!("/consultations/{id}/calendrier")),
        (Some(&buyer), format!("/consultations/{id}/comparer?de=1&a=2")),
        (Some(&buyer), format!("/consultations/{id}/contributions")),
        (Some(&buyer), "/acheteur".into()),
        (Some(&reviewer), "/relecture".into()),
        (Some(&reviewer), format!("/consultations/{id}")),
        (Some(&first_buyer), format!("/consultations/{maintenance}")),
        (
            Some(&first_buyer),
            format!("/consultations/{maintenance}/contributions"),
        ),
        (Some(&supplier), format!("/consultations/{maintenance}")),
        (Some(&supplier), "/entreprise/planning".into()),
        (Some(&supplier), "/entreprise".into()),
        (Some(&admin), "/admin".into()),
        (None, "/".into()),
    ];
    for (cookie, page) in &pages {
        let answer = get_as(&app, *cookie, page).await;
        assert_eq!(answer.status, 200, "{page}: {}", answer.body);
        check_page(page, &answer.body);
    }
    // The markup is there, as text: the test looked at pages that show it.
    let editor = get_as(&app, Some(&buyer), &format!("/consultations/{id}/rediger")).await;
    assert!(
        editor.body.contains("&lt;/textarea&gt;&lt;img src=x"),
        "the draft is in the text area, escaped"
    );
    let page = get_as(&app, Some(&buyer), &format!("/consultations/{id}")).await;
    assert!(page.body.contains("&lt;/title&gt;"), "the title is shown, escaped");
}

on_both_backends!(markup_typed_by_users_stays_text);
