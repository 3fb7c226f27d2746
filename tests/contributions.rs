//! Contributions through the real HTTP stack, on SQLite and PostgreSQL: register, annotate words
//! of a clause, answer, edit, withdraw; the exchange phase and the invitations enforced; the
//! contributions carried to the next version; live events across servers; the CSV export.

mod common;

use common::{app, call_as, form, Answer, TestDb};
use jesaisfaire::domain::anchor::{self, AnchorState};
use jesaisfaire::domain::contribution::ContributionStatus;
use jesaisfaire::model::{ConsultationDetail, ContributionBoard, ContributionView, ContributorRole};
use jesaisfaire::server::demo;
use serde_json::json;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const COMPANY_A: &str = "entreprise@demo.jesaisfaire.fr";
const COMPANY_B: &str = "numerique@demo.jesaisfaire.fr";
const INVITED: &str = "proprete@demo.jesaisfaire.fr";

type Session = common::Client;

impl common::Client {
    async fn board(&self, id: i64) -> ContributionBoard {
        serde_json::from_str(&self.ok("contributions/list", &format!("id={id}")).await.body).unwrap()
    }

    async fn detail(&self, id: i64) -> ConsultationDetail {
        serde_json::from_str(&self.ok("consultations/get", &format!("id={id}")).await.body).unwrap()
    }

    /// The text of a clause as the page shows it (what the browser anchors on).
    async fn clause_text(&self, id: i64, clause: &str) -> String {
        let detail = self.detail(id).await;
        let part = detail
            .current_version
            .unwrap()
            .parts
            .into_iter()
            .find(|p| p.clause_id.as_deref() == Some(clause));
        anchor::html_text(&part.expect("the clause").html)
    }

    /// Annotates `quote` in a clause of version `version`.
    async fn annotate(&self, id: i64, version: i32, clause: &str, quote: &str, justification: &str) -> Answer {
        let text = self.clause_text(id, clause).await;
        let start = text[..text.find(quote).expect("quote in the clause")].chars().count();
        let selector = anchor::select(&text, start, start + quote.chars().count()).unwrap();
        let body = json!({"contribution": {"consultation_id": id, "version": version,
            "target": {"kind": "clause", "id": clause}, "selector": selector,
            "input": {"kind": "clarification", "justification": justification, "cost_impact": "up",
                      "cost_amount": "2 500", "proposed_text": ""}}});
        self.call("contributions/create", &body.to_string()).await
    }
}

async fn signed_in(app: &axum::Router, email: &str) -> Session {
    Session::signed_in(app, email).await
}

async fn consultation_id(db: &TestDb, title_part: &str) -> i64 {
    sqlx::query_scalar("select id from consultations where title like $1")
        .bind(format!("%{title_part}%"))
        .fetch_one(db.db.pool())
        .await
        .unwrap()
}

fn find(board: &ContributionBoard, justification: &str) -> ContributionView {
    board
        .contributions
        .iter()
        .find(|c| c.justification.contains(justification))
        .cloned()
        .unwrap_or_else(|| panic!("no contribution saying {justification}: {board:?}"))
}

async fn dialogue_on_a_clause(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = consultation_id(db, "Maintenance").await;
    let (buyer, a, b) = (
        signed_in(&app, BUYER).await,
        signed_in(&app, COMPANY_A).await,
        signed_in(&app, COMPANY_B).await,
    );
    // The demo registered both companies: A first.
    assert_eq!(
        a.board(id).await.role,
        ContributorRole::Participant {
            pseudonym: "Entreprise A".into()
        }
    );
    assert_eq!(
        b.board(id).await.role,
        ContributorRole::Participant {
            pseudonym: "Entreprise B".into()
        }
    );
    assert_eq!(buyer.board(id).await.role, ContributorRole::Buyer);

    let created = a
        .annotate(
            id,
            2,
            "delais-d-intervention",
            "poste de remplacement",
            "Quel modèle de poste ?",
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);

    // B sees it under A's pseudonym, not as its own; the anchor is current.
    let seen = find(&b.board(id).await, "Quel modèle de poste ?");
    assert_eq!((seen.pseudonym.as_str(), seen.mine), ("Entreprise A", false));
    assert_eq!(seen.selector.as_ref().unwrap().quote.exact, "poste de remplacement");
    assert_eq!(seen.anchor.state, AnchorState::Current);
    assert_eq!(seen.cost_amount_cents, Some(250_000));
    assert!(find(&a.board(id).await, "Quel modèle de poste ?").mine);

    // The buyer answers: the answer is visible to all, the contribution is answered.
    buyer
        .ok(
            "contributions/reply",
            &form(&[("id", &seen.id.to_string()), ("body", "Un portable équivalent.")]),
        )
        .await;
    let answered = find(&b.board(id).await, "Quel modèle de poste ?");
    assert_eq!(answered.status, ContributionStatus::Answered);
    assert_eq!(answered.replies[0].author, "L'acheteur");
    assert_eq!(answered.replies[0].body, "Un portable équivalent.");

    // A rewrites it: the earlier wording is kept. Nobody else may.
    let edit = |justification: &str| {
        json!({"id": seen.id, "input": {"kind": "clarification", "justification": justification,
            "cost_impact": "neutral", "cost_amount": "", "proposed_text": ""}})
        .to_string()
    };
    a.ok("contributions/edit", &edit("Quel modèle de poste, portable ou fixe ?"))
        .await;
    assert_eq!(b.call("contributions/edit", &edit("Détourné")).await.status, 403);
    assert_eq!(buyer.call("contributions/edit", &edit("Détourné")).await.status, 403);
    let edited = find(&b.board(id).await, "portable ou fixe");
    assert_eq!(edited.revisions.len(), 1);
    assert_eq!(edited.revisions[0].justification, "Quel modèle de poste ?");
    assert_eq!(edited.cost_amount_cents, None);

    // Bad input: every problem in French, nothing stored.
    let before = a.board(id).await.contributions.len();
    let bad = a
        .annotate(id, 2, "delais-d-intervention", "poste de remplacement", "  ")
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("justification est obligatoire"), "{}", bad.body);
    let mut selector = anchor::select("un texte inventé", 0, 8).unwrap();
    selector.quote.exact = "n'existe pas".into();
    let body = json!({"contribution": {"consultation_id": id, "version": 2,
        "target": {"kind": "clause", "id": "delais-d-intervention"}, "selector": selector,
        "input": {"kind": "solution", "justification": "x", "cost_impact": "up", "cost_amount": "", "proposed_text": ""}}});
    let wrong_quote = a.call("contributions/create", &body.to_string()).await;
    assert_eq!(wrong_quote.status, 422);
    assert!(wrong_quote.body.contains("ne figure pas"), "{}", wrong_quote.body);
    let stale = a
        .annotate(id, 2, "delais-d-intervention", "poste de remplacement", "ok")
        .await;
    assert_eq!(stale.status, 200);
    let body = body.to_string().replace("\"version\":2", "\"version\":1");
    assert_eq!(
        a.call("contributions/create", &body).await.status,
        409,
        "version 1 is no longer the latest"
    );
    assert_eq!(a.board(id).await.contributions.len(), before + 1);

    // Statuses are the buyer's; "integrated" needs a later version.
    let status = |s: &str, v: &str| form(&[("id", &seen.id.to_string()), ("status", s), ("version", v)]);
    assert_eq!(
        a.call("contributions/status", &status("accepted", "")).await.status,
        403
    );
    assert_eq!(
        buyer
            .call("contributions/status", &status("integrated", "2"))
            .await
            .status,
        422
    );
    buyer.ok("contributions/status", &status("accepted", "")).await;
    assert_eq!(
        find(&b.board(id).await, "portable ou fixe").status,
        ContributionStatus::Accepted
    );

    // A withdraws it: still listed, marked; no longer editable.
    assert_eq!(
        b.call("contributions/withdraw", &format!("id={}", seen.id))
            .await
            .status,
        403
    );
    a.ok("contributions/withdraw", &format!("id={}", seen.id)).await;
    let withdrawn = find(&b.board(id).await, "portable ou fixe");
    assert!(withdrawn.withdrawn_at.is_some());
    assert_eq!(a.call("contributions/edit", &edit("Encore")).await.status, 409);

    // The CSV: pseudonymised, formulas neutralised.
    a.annotate(
        id,
        2,
        "delais-d-intervention",
        "poste de remplacement",
        "=HYPERLINK(\"http://x\")",
    )
    .await;
    let csv = common::send(
        &app,
        axum::http::Request::get(format!("/consultations/{id}/contributions.csv"))
            .header("cookie", &buyer.cookie)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("\"Entreprise A\""), "{}", csv.body);
    assert!(csv.body.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{}", csv.body);
    for secret in [
        "Brie Informatique",
        "Seine Numérique",
        "Sophie Lambert",
        "entreprise@demo",
        "73282932000074",
    ] {
        assert!(!csv.body.contains(secret), "{secret} in the CSV");
    }
}

async fn only_during_exchanges_and_only_where_invited(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let (a, invited) = (signed_in(&app, COMPANY_A).await, signed_in(&app, INVITED).await);
    // Open sourcing in its call for participation: registering yes, contributing not yet.
    let vehicles = consultation_id(db, "véhicules").await;
    assert_eq!(a.board(vehicles).await.role, ContributorRole::MayParticipate);
    assert_eq!(
        a.ok("contributions/participate", &format!("id={vehicles}"))
            .await
            .json(),
        "Entreprise A"
    );
    let clause = a.detail(vehicles).await.current_version.unwrap().outline[1]
        .clause_id
        .clone();
    let text = a.clause_text(vehicles, &clause).await;
    let quote: String = text.chars().take(10).collect();
    let refused = a.annotate(vehicles, 1, &clause, &quote, "Trop tôt ?").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("phase d'échanges"), "{}", refused.body);

    // Restricted sourcing: a company not invited does not even see it.
    let cleaning = consultation_id(db, "Nettoyage").await;
    assert_eq!(
        a.call("contributions/participate", &format!("id={cleaning}"))
            .await
            .status,
        404
    );
    assert_eq!(
        a.call("contributions/list", &format!("id={cleaning}")).await.status,
        404
    );
    assert_eq!(
        invited
            .ok("contributions/participate", &format!("id={cleaning}"))
            .await
            .json(),
        "Entreprise A"
    );

    // Not registered: refused with what to do.
    let maintenance = consultation_id(db, "Maintenance").await;
    let unregistered = invited
        .annotate(
            maintenance,
            2,
            "delais-d-intervention",
            "poste de remplacement",
            "Et nous ?",
        )
        .await;
    assert_eq!(unregistered.status, 403);
    assert!(unregistered.body.contains("Participer"), "{}", unregistered.body);
}

async fn contributions_follow_their_clause_into_the_next_version(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let (buyer, a) = (signed_in(&app, BUYER).await, signed_in(&app, COMPANY_A).await);
    let id = consultation_id(db, "Maintenance").await;
    let v2 = buyer.detail(id).await;
    assert_eq!(v2.current_version.as_ref().unwrap().number, 2);

    // The demo's contributions on version 1, read in version 2: the integrated one's words are
    // gone (outdated, its original text kept); the other's words are still there (current).
    let board = a.board(id).await;
    let integrated = find(&board, "Deux visites par an");
    assert_eq!(integrated.anchor.state, AnchorState::Outdated);
    assert!(integrated
        .original_text
        .as_ref()
        .unwrap()
        .contains("deux visites préventives par an"));
    assert_eq!(
        find(&board, "heures ouvrées ou calendaires").anchor.state,
        AnchorState::Current
    );

    // A annotates three clauses of version 2; version 3 changes one, removes one.
    for (clause, quote, says) in [
        (
            "delais-d-intervention",
            "prêt d'un poste de remplacement",
            "changed words",
        ),
        ("reversibilite", "format ouvert et exploitable", "removed clause"),
        (
            "securite-et-confidentialite",
            "secret professionnel",
            "unchanged clause",
        ),
    ] {
        let answer = a.annotate(id, 2, clause, quote, says).await;
        assert_eq!(answer.status, 200, "{clause}: {}", answer.body);
    }
    let draft: serde_json::Value = buyer.ok("consultations/draft", &format!("id={id}")).await.json();
    let markdown = draft["markdown"].as_str().unwrap();
    let section = markdown.find("## 7 Réversibilité").unwrap();
    let end = section + markdown[section..].find("## 8 Pilotage").unwrap();
    let v3 = format!("{}{}", &markdown[..section], &markdown[end..]).replace(
        "ou prêt d'un poste de remplacement dans le même délai",
        "sans autre solution",
    );
    let published = buyer
        .call(
            "consultations/publish",
            &json!({"id": id, "base_version": 2, "draft": {"markdown": v3, "criteria": draft["criteria"],
                "changelog": "Réversibilité retirée."}})
            .to_string(),
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.body);

    let board = a.board(id).await;
    assert_eq!(board.version, 3);
    assert_eq!(find(&board, "changed words").anchor.state, AnchorState::Outdated);
    assert_eq!(find(&board, "removed clause").anchor.state, AnchorState::Orphaned);
    assert!(find(&board, "removed clause")
        .original_text
        .unwrap()
        .contains("format ouvert"));
    assert_eq!(find(&board, "unchanged clause").anchor.state, AnchorState::Current);
    // Read in version 2, they are all current again; version 1 does not show them.
    let in_v2: ContributionBoard =
        serde_json::from_str(&a.ok("contributions/list", &format!("id={id}&version=2")).await.body).unwrap();
    assert_eq!(find(&in_v2, "changed words").anchor.state, AnchorState::Current);
    let in_v1: ContributionBoard =
        serde_json::from_str(&a.ok("contributions/list", &format!("id={id}&version=1")).await.body).unwrap();
    assert!(in_v1.contributions.iter().all(|c| c.version == 1));
}

/// A change announced through one server reaches the pages of another server on the same
/// database (PostgreSQL: LISTEN/NOTIFY), and of the same server (SQLite).
/// On PostgreSQL a change announced by one server reaches the pages of every server (each one
/// `LISTEN`s); on SQLite (one server) it reaches the pages of this server. Either way a server
/// hears its own changes.
async fn changes_reach_every_server(db: &TestDb) {
    use jesaisfaire::server::events::{Change, Events};
    let deadline = std::time::Duration::from_secs(10);
    // Announces `id` until `changes` hears it (a listener may still be connecting).
    async fn heard(
        from: &Events,
        db: &jesaisfaire::server::db::Db,
        changes: &mut tokio::sync::broadcast::Receiver<Change>,
        id: i64,
        deadline: std::time::Duration,
    ) -> Result<(), Vec<Change>> {
        let mut seen = Vec::new();
        let found = tokio::time::timeout(deadline, async {
            loop {
                from.contributions_changed(db, id).await;
                match tokio::time::timeout(std::time::Duration::from_millis(300), changes.recv()).await {
                    Ok(Ok(Change::Consultation(c))) if c == id => return,
                    Ok(Ok(other)) => seen.push(other),
                    _ => {}
                }
            }
        })
        .await;
        found.map_err(|_| seen)
    }
    let here = Events::start(&db.db);
    let (mut own, _) = here.subscribe();
    assert_eq!(
        heard(&here, &db.db, &mut own, 7, deadline).await,
        Ok(()),
        "a server hears its own changes"
    );
    if db.db.backend() == jesaisfaire::server::db::Backend::Postgres {
        let there = Events::start(&db.db);
        let (mut theirs, _) = there.subscribe();
        assert_eq!(
            heard(&here, &db.db, &mut theirs, 42, deadline).await,
            Ok(()),
            "another server hears the change"
        );
        there.stop();
    }
    here.stop();
}

/// Ten withdrawals of the same contribution at once: one succeeds, the others are told it is
/// already withdrawn (the check and the write are one transaction — defect 9); an edit that
/// comes after is refused.
async fn concurrent_writes_on_a_contribution_check_inside_one_transaction(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = consultation_id(db, "Maintenance").await;
    let company = signed_in(&app, COMPANY_A).await;
    let created = company
        .annotate(id, 2, "objet-du-marche", "parc informatique", "Combien de postes ?")
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let contribution = created.body.clone();
    let cookie = company.cookie.clone();
    let withdrawals = (0..10).map(|_| {
        let (app, cookie, contribution) = (app.clone(), cookie.clone(), contribution.clone());
        tokio::spawn(async move {
            call_as(
                &app,
                Some(&cookie),
                "contributions/withdraw",
                &format!("id={contribution}"),
            )
            .await
            .status
            .as_u16()
        })
    });
    let mut statuses = Vec::new();
    for w in withdrawals.collect::<Vec<_>>() {
        statuses.push(w.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    let edit = json!({"id": contribution.parse::<i64>().unwrap(), "input": {"kind": "clarification",
        "justification": "Autre texte", "cost_impact": "up", "cost_amount": "", "proposed_text": ""}});
    let refused = company.call("contributions/edit", &edit.to_string()).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("retirée"), "{}", refused.body);
}

/// A submission sent again with its client key (the answer was lost, the button pressed twice,
/// six copies at once) creates one contribution, and every copy gets its id; the key is the
/// company's own; a malformed key is refused in French.
async fn a_submission_sent_again_creates_nothing_twice(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = consultation_id(db, "Maintenance").await;
    let (a, b) = (signed_in(&app, COMPANY_A).await, signed_in(&app, COMPANY_B).await);
    let body = |key: &str, justification: &str| {
        json!({"contribution": {"consultation_id": id, "version": 2,
            "target": {"kind": "clause", "id": "objet-du-marche"}, "selector": null,
            "input": {"kind": "clarification", "justification": justification, "cost_impact": "",
                      "cost_amount": "", "proposed_text": ""}, "client_key": key}})
        .to_string()
    };
    let count = |justification: &'static str| {
        let pool = db.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("select count(*) from contributions where justification = $1")
                .bind(justification)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let key = "0f3a9c1e7b2d4a6f8e0c1b3d5f7a9e2c";
    let first = a
        .ok("contributions/create", &body(key, "Envoyée deux fois ?"))
        .await
        .body;
    let again = a
        .ok("contributions/create", &body(key, "Envoyée deux fois ?"))
        .await
        .body;
    assert_eq!(
        first, again,
        "the resubmission returns the contribution already created"
    );
    assert_eq!(count("Envoyée deux fois ?").await, 1);

    // Six copies of another submission at the same moment.
    let key2 = "5b7d9f1a3c5e7a9b1d3f5a7c9e1b3d5f";
    let copies = (0..6).map(|_| {
        let (app, cookie, body) = (app.clone(), a.cookie.clone(), body(key2, "Six copies à la fois"));
        tokio::spawn(async move { call_as(&app, Some(&cookie), "contributions/create", &body).await })
    });
    let mut ids = std::collections::HashSet::new();
    for copy in copies.collect::<Vec<_>>() {
        let answer = copy.await.unwrap();
        assert_eq!(answer.status, 200, "{}", answer.body);
        ids.insert(answer.body);
    }
    assert_eq!(ids.len(), 1, "every copy gets the same id: {ids:?}");
    assert_eq!(count("Six copies à la fois").await, 1);

    // Another company drawing the same key writes its own contribution.
    let theirs = b
        .ok("contributions/create", &body(key, "Envoyée deux fois ?"))
        .await
        .body;
    assert_ne!(theirs, first);
    assert_eq!(count("Envoyée deux fois ?").await, 2);
    // The board shows each once.
    let board = b.board(id).await;
    assert_eq!(
        board
            .contributions
            .iter()
            .filter(|c| c.justification == "Six copies à la fois")
            .count(),
        1
    );

    // The answer was lost and the exchanges closed before the company sent again: it still
    // gets its contribution's id, and a new submission is refused.
    sqlx::query("update consultations set status = 'drafting', calendar_settings = null where id = $1")
        .bind(id)
        .execute(db.db.pool())
        .await
        .unwrap();
    let late = a
        .ok("contributions/create", &body(key, "Envoyée deux fois ?"))
        .await
        .body;
    assert_eq!(late, first);
    let closed = a
        .call("contributions/create", &body("9e8d7c6b5a4f3e2d", "Trop tard"))
        .await;
    assert_eq!(closed.status, 409, "{}", closed.body);
    sqlx::query("update consultations set status = 'exchanges' where id = $1")
        .bind(id)
        .execute(db.db.pool())
        .await
        .unwrap();

    // A key that is not one.
    let refused = a.call("contributions/create", &body("x'; --", "Clé invalide")).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("Identifiant d'envoi invalide"),
        "{}",
        refused.body
    );
    assert_eq!(count("Clé invalide").await, 0);
}

/// The consultation page carries each contribution twice and no more: drawn in the margin, and
/// once in the data the browser takes over from (the issue found the same contributions block
/// two or three times in a page).
async fn the_page_sends_its_data_once(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = consultation_id(db, "Maintenance").await;
    let company = signed_in(&app, COMPANY_A).await;
    let page = company.get(&format!("/consultations/{id}")).await;
    assert_eq!(page.status, 200);
    // A question nobody integrated: it is in no version's text.
    let said = "court-il en heures ouvrées ou calendaires";
    assert_eq!(page.body.matches(said).count(), 2, "the margin and the data, once each");
    let (html, data) = page.body.split_once("__RESOLVED_RESOURCES").expect("the page's data");
    assert_eq!((html.matches(said).count(), data.matches(said).count()), (1, 1));
    // The version's text is in the page's HTML, not again in its data (the browser takes it
    // back from the clauses as it hydrates); the clauses' ids are.
    let text = "applications métier nationales maintenues par le ministère";
    assert_eq!((html.matches(text).count(), data.matches(text).count()), (1, 0));
    assert!(data.contains("objet-du-marche"), "the data lists the clauses");
    // Nor the outline: the browser reads it back from the page's plan.
    let unescaped = data.replace("\\\"", "\"");
    assert!(unescaped.contains("\"outline\":[]"), "the outline is not in the data");
    // A navigation in the browser asks the server function, which carries the text and the
    // outline.
    let version = company.detail(id).await.current_version.unwrap();
    assert!(version.html().contains(text));
    assert!(version.outline.len() >= 10, "{:?}", version.outline);
    let plan = html.split_once("Plan du cahier des charges").expect("the plan").1;
    for entry in &version.outline {
        assert!(plan.contains(&format!("href=\"#{}\"", entry.clause_id)), "{entry:?}");
    }
    // Each resource of the page is sent once.
    for n in 0..8 {
        let key = format!("__RESOLVED_RESOURCES[{n}] = ");
        assert!(data.matches(&key).count() <= 1, "resource {n} sent twice");
    }
}

/// A card's forms are drawn only on the card whose link was followed (`?repondre=ID`,
/// `?occulter=ID`): a page with a form on each card took Chromium seconds to load. Only where
/// the caller may use them.
async fn a_card_draws_its_forms_when_asked(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = consultation_id(db, "Maintenance").await;
    let (buyer, a, b) = (
        signed_in(&app, BUYER).await,
        signed_in(&app, COMPANY_A).await,
        signed_in(&app, COMPANY_B).await,
    );
    let board = buyer.board(id).await;
    assert!(board.contributions.len() >= 2, "{board:?}");
    let fields = |html: &str, name: &str| html.matches(&format!("name=\"{name}\"")).count();
    let page = format!("/consultations/{id}");

    // The buyer: a link on each card, no reply or decision field anywhere.
    let closed = buyer.get(&page).await;
    assert_eq!(closed.status, 200);
    assert_eq!((fields(&closed.body, "body"), fields(&closed.body, "status")), (0, 0));
    for c in &board.contributions {
        let link = format!("href=\"{page}?repondre={}\"", c.id);
        assert!(closed.body.contains(&link), "no link to answer {}", c.id);
    }
    // Following one: that card's reply and decision, and nothing else.
    let card = board.contributions[0].id;
    let open = buyer.get(&format!("{page}?repondre={card}")).await;
    assert_eq!((fields(&open.body, "body"), fields(&open.body, "status")), (1, 1));
    assert!(open.body.contains(&format!("id=\"reponse-{card}\"")));
    assert!(open.body.contains(&format!("id=\"statut-{card}\"")));
    assert!(
        open.body.contains(&format!("href=\"{page}#contribution-{card}\"")),
        "a link puts them away"
    );
    // A number that is no card's, or is not a number, draws nothing.
    for query in ["repondre=999999", "repondre=abc", "repondre="] {
        let page = buyer.get(&format!("{page}?{query}")).await;
        assert_eq!(page.status, 200, "{query}");
        assert_eq!(fields(&page.body, "body"), 0, "{query}");
    }

    // A company answers on its own cards only, and asks for redactions on them.
    let created = a
        .annotate(
            id,
            2,
            "delais-d-intervention",
            "poste de remplacement",
            "Quel délai de livraison ?",
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let own = find(&a.board(id).await, "Quel délai de livraison ?");
    let others = b.board(id).await;
    assert!(!others.contributions.iter().find(|c| c.id == own.id).unwrap().mine);
    let as_b = b.get(&format!("{page}?repondre={}", own.id)).await;
    assert_eq!(fields(&as_b.body, "body"), 0, "B gets no form on A's card");
    let as_b = b.get(&format!("{page}?occulter={}", own.id)).await;
    assert_eq!(fields(&as_b.body, "passage"), 0, "B gets no redaction form on A's card");
    let as_a = a.get(&page).await;
    assert_eq!((fields(&as_a.body, "body"), fields(&as_a.body, "passage")), (0, 0));
    assert!(as_a.body.contains(&format!("href=\"{page}?occulter={0}\"", own.id)));
    assert!(as_a.body.contains(&format!("href=\"{page}?repondre={0}\"", own.id)));
    let as_a = a.get(&format!("{page}?occulter={}", own.id)).await;
    assert_eq!((fields(&as_a.body, "body"), fields(&as_a.body, "passage")), (0, 1));
}

on_both_backends!(
    the_page_sends_its_data_once,
    a_card_draws_its_forms_when_asked,
    a_submission_sent_again_creates_nothing_twice,
    dialogue_on_a_clause,
    only_during_exchanges_and_only_where_invited,
    contributions_follow_their_clause_into_the_next_version,
    changes_reach_every_server,
    concurrent_writes_on_a_contribution_check_inside_one_transaction,
);
