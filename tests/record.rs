//! The sourcing record through the real HTTP stack, on SQLite and PostgreSQL: who reads the
//! dialogue, the review and sign-off of a version (bound to its text), the hand-over to the
//! tender, and the registers of participants and accesses (sealed, append-only).

mod common;

use common::{app, call_as, form, get, Client, TestDb};
use jesaisfaire::domain::record::{AccessKind, ReviewDecision};
use jesaisfaire::model::{
    ConsultationDetail, ConsultationStatus, ContributionBoard, DraftInput, KeyDates, OrganisationKind, Registers,
    ReviewBoard, Role, SourcingMode,
};
use jesaisfaire::server::db::{accounts, consultations, organisations};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use jesaisfaire::server::{auth, publishing};

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const OTHER_BUYER: &str = "acheteur.ddt@demo.jesaisfaire.fr";
const REVIEWER: &str = "relecteur@demo.jesaisfaire.fr";
const ADMIN: &str = "admin@demo.jesaisfaire.fr";

impl common::Client {
    async fn board(&self, id: i64) -> ContributionBoard {
        serde_json::from_str(&self.ok("contributions/list", &format!("id={id}")).await.body).unwrap()
    }

    async fn reviews(&self, id: i64) -> ReviewBoard {
        serde_json::from_str(&self.ok("record/reviews", &format!("id={id}")).await.body).unwrap()
    }

    async fn registers(&self, id: i64) -> Registers {
        serde_json::from_str(&self.ok("record/registers", &format!("id={id}")).await.body).unwrap()
    }

    async fn status(&self, id: i64) -> ConsultationStatus {
        let detail: ConsultationDetail =
            serde_json::from_str(&self.ok("consultations/overview", &format!("id={id}")).await.body).unwrap();
        detail.summary.status
    }
}

async fn consultation_id(db: &TestDb, title_part: &str) -> i64 {
    sqlx::query_scalar("select id from consultations where title like $1")
        .bind(format!("%{title_part}%"))
        .fetch_one(db.db.pool())
        .await
        .unwrap()
}

async fn organisation_of(db: &TestDb, email: &str) -> i64 {
    sqlx::query_scalar("select organisation_id from users where email = $1")
        .bind(email)
        .fetch_one(db.db.pool())
        .await
        .unwrap()
}

/// A company account of its own (not in the demo's consultations), and another reviewer
/// attached to another buyer organisation.
async fn add_accounts(db: &TestDb) -> (&'static str, &'static str) {
    let (company_email, reviewer_email) = ("nouvelle@exemple.fr", "relecteur.autre@exemple.fr");
    let pool = db.db.pool();
    let now = db.db.now();
    let hash = auth::password::hash(DEMO_PASSWORD).unwrap();
    let company = organisations::insert(
        pool,
        &organisations::NewOrganisation {
            kind: Some(OrganisationKind::Company),
            name: "Société Nouvelle Venue",
            siret: Some("55210055400013"),
            departement: Some("77"),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let other_buyer = organisations::insert(
        pool,
        &organisations::NewOrganisation {
            kind: Some(OrganisationKind::Buyer),
            name: "Mairie de Provins",
            departement: Some("77"),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let user = |email, role, organisation_id| accounts::NewUser {
        email,
        display_name: "Compte de test",
        password_hash: &hash,
        role,
        organisation_id,
    };
    accounts::insert_user(pool, &user(company_email, Role::Supplier, Some(company)), now)
        .await
        .unwrap();
    let reviewer = accounts::insert_user(pool, &user(reviewer_email, Role::Reviewer, None), now)
        .await
        .unwrap();
    accounts::attach_reviewer(pool, reviewer, other_buyer).await.unwrap();
    (company_email, reviewer_email)
}

/// A consultation of the demo buyer's organisation, open, past its exchanges, with a first
/// version.
async fn consultation_in_drafting(db: &TestDb) -> i64 {
    let prefecture = organisation_of(db, BUYER).await;
    let id = consultations::insert(
        &mut db.db.pool().acquire().await.unwrap(),
        &consultations::NewConsultation {
            buyer_organisation_id: prefecture,
            title: "Entretien des espaces verts",
            object: "Tonte, taille, désherbage.",
            cpv_codes: &["77310000-6"],
            departements: &["77"],
            mode: SourcingMode::Open,
            status: ConsultationStatus::Drafting,
            dates: KeyDates::default(),
        },
        db.db.now(),
    )
    .await
    .unwrap();
    publish(
        db,
        id,
        None,
        "## 1 Objet\n\nEntretien des espaces verts.\n\n## 2 Délais\n\nSous huit jours.\n",
    )
    .await;
    id
}

async fn publish(db: &TestDb, id: i64, base: Option<i64>, markdown: &str) {
    let draft = DraftInput {
        markdown: markdown.into(),
        criteria: Vec::new(),
        changelog: if base.is_some() {
            "Délais revus.".into()
        } else {
            String::new()
        },
    };
    publishing::publish(&db.db, id, base, &draft, None).await.unwrap();
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.db.pool()).await.unwrap()
}

/// Contributions, answers and the CSV: the buyer, its reviewers and the participating companies;
/// not an anonymous visitor, not a company that has not joined (until it joins).
async fn the_dialogue_is_read_by_its_participants_only(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let (newcomer, _) = add_accounts(db).await;
    let app = app(&db.db);
    let id = consultation_id(db, "Maintenance").await;
    let buyer = Client::signed_in(&app, BUYER).await;
    let seen_by_buyer = buyer.board(id).await;
    assert!(!seen_by_buyer.contributions.is_empty(), "the demo has contributions");
    assert!(seen_by_buyer.hidden.is_none());
    let said = seen_by_buyer.contributions[0].justification.clone();
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    assert_eq!(
        reviewer.board(id).await.contributions.len(),
        seen_by_buyer.contributions.len()
    );

    // An anonymous visitor: the consultation and its text, not the dialogue.
    let anonymous: ContributionBoard = serde_json::from_str(
        &call_as(&app, None, "contributions/list", &format!("id={id}"))
            .await
            .body,
    )
    .unwrap();
    assert!(anonymous.contributions.is_empty());
    assert!(anonymous.hidden.as_deref().unwrap().contains("connectez-vous"));
    let page = get(&app, &format!("/consultations/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Maintenance"), "the text stays public");
    assert!(!page.body.contains(&said), "no contribution in the public page");
    let csv = get(&app, &format!("/consultations/{id}/contributions.csv")).await;
    assert_eq!(csv.status, 401, "{}", csv.body);
    assert!(!csv.body.contains(&said));

    // A company that has not joined: refused with the way in; once joined, it reads everything.
    let company = Client::signed_in(&app, newcomer).await;
    let before = company.board(id).await;
    assert!(before.contributions.is_empty());
    assert!(before.hidden.is_some());
    let csv = company.get(&format!("/consultations/{id}/contributions.csv")).await;
    assert_eq!(csv.status, 403, "{}", csv.body);
    let synthesis = company.get(&format!("/consultations/{id}/contributions")).await;
    assert!(!synthesis.body.contains(&said));
    company.ok("contributions/participate", &format!("id={id}")).await;
    let after = company.board(id).await;
    assert_eq!(after.contributions.len(), seen_by_buyer.contributions.len());
    let csv = company.get(&format!("/consultations/{id}/contributions.csv")).await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.lines().count() > after.contributions.len(),
        "a header and a line per contribution"
    );

    // Admins administer; they do not read the dialogue.
    let admin = Client::signed_in(&app, ADMIN).await;
    assert!(admin.board(id).await.contributions.is_empty());
}

/// The buyer asks, an attached reviewer notes and decides; the sign-off holds for the SHA-256 of
/// that version's text and is what the hand-over to the tender requires.
async fn review_and_sign_off(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let (_, other_reviewer) = add_accounts(db).await;
    let app = app(&db.db);
    let id = consultation_in_drafting(db).await;
    let buyer = Client::signed_in(&app, BUYER).await;
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    let requests = || count(db, "select count(*) from review_requests");

    // Bad requests: a clear message, nothing stored.
    let empty = buyer
        .call(
            "record/reviews/request",
            &form(&[("id", &id.to_string()), ("version", "1"), ("message", "  ")]),
        )
        .await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    assert!(empty.body.contains("message"), "{}", empty.body);
    let unpublished = buyer
        .call(
            "record/reviews/request",
            &form(&[("id", &id.to_string()), ("version", "2"), ("message", "Relisez.")]),
        )
        .await;
    assert_eq!(unpublished.status, 422, "{}", unpublished.body);
    assert!(unpublished.body.contains("n'est pas publiée"), "{}", unpublished.body);
    let by_reviewer = reviewer
        .call(
            "record/reviews/request",
            &form(&[("id", &id.to_string()), ("version", "1"), ("message", "Moi ?")]),
        )
        .await;
    assert_eq!(by_reviewer.status, 403);
    assert_eq!(requests().await, 0);

    // The request: the consultation goes into review.
    buyer
        .ok(
            "record/reviews/request",
            &form(&[
                ("id", &id.to_string()),
                ("version", "1"),
                ("message", "Version finale après les échanges."),
            ]),
        )
        .await;
    assert_eq!(buyer.status(id).await, ConsultationStatus::InReview);
    let again = buyer
        .call(
            "record/reviews/request",
            &form(&[("id", &id.to_string()), ("version", "1"), ("message", "Encore.")]),
        )
        .await;
    assert_eq!(again.status, 409, "one request at a time");
    let board = reviewer.reviews(id).await;
    assert!(board.can_decide);
    assert!(!board.can_request);
    let request = board.reviews[0].id;
    let markdown = get(&app, &format!("/consultations/{id}/versions/1/cctp.md")).await.body;
    assert_eq!(
        board.reviews[0].text_sha256,
        auth::token::sha256_hex(markdown.as_bytes())
    );
    let pending: Vec<jesaisfaire::model::PendingReview> =
        serde_json::from_str(&reviewer.ok("record/reviews/pending", "").await.body).unwrap();
    assert!(pending.iter().any(|p| p.consultation_id == id && p.version == 1));

    // Review notes: on a clause of the version, for the buyer's organisation only.
    let clause = board.outline[1].clause_id.clone();
    let unknown = reviewer
        .call(
            "record/reviews/note",
            &form(&[
                ("request", &request.to_string()),
                ("clause_id", "nulle-part"),
                ("body", "?"),
            ]),
        )
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    reviewer
        .ok(
            "record/reviews/note",
            &form(&[
                ("request", &request.to_string()),
                ("clause_id", &clause),
                ("body", "Préciser le point de départ du délai."),
            ]),
        )
        .await;
    let by_buyer = buyer
        .call(
            "record/reviews/note",
            &form(&[("request", &request.to_string()), ("clause_id", &clause), ("body", "x")]),
        )
        .await;
    assert_eq!(by_buyer.status, 403);
    let seen = buyer.reviews(id).await;
    assert_eq!(seen.reviews[0].notes[0].body, "Préciser le point de départ du délai.");
    assert!(seen.reviews[0].notes[0].clause_label.contains("Délais"));

    // Only an attached reviewer decides: not the buyer, not an admin, not another platform's.
    let decide = |decision: ReviewDecision, message: &str| {
        form(&[
            ("request", &request.to_string()),
            ("decision", decision.as_str()),
            ("message", message),
        ])
    };
    for email in [BUYER, ADMIN, other_reviewer] {
        let who = Client::signed_in(&app, email).await;
        let answer = who
            .call("record/reviews/decide", &decide(ReviewDecision::Approved, ""))
            .await;
        assert_eq!(answer.status, 403, "{email}: {}", answer.body);
    }
    let no_reason = reviewer
        .call("record/reviews/decide", &decide(ReviewDecision::ChangesRequested, " "))
        .await;
    assert_eq!(no_reason.status, 422);
    assert_eq!(buyer.status(id).await, ConsultationStatus::InReview, "nothing decided");

    // Hand-over refused before the sign-off.
    let early = buyer
        .call(
            "consultations/status",
            &form(&[("id", &id.to_string()), ("to", "closed")]),
        )
        .await;
    assert_eq!(early.status, 409, "{}", early.body);

    reviewer
        .ok("record/reviews/decide", &decide(ReviewDecision::Approved, "Conforme."))
        .await;
    assert_eq!(buyer.status(id).await, ConsultationStatus::Approved);
    let signed = buyer.reviews(id).await;
    assert_eq!(signed.signed_off, Some(1));
    assert_eq!(signed.reviews[0].decision, Some(ReviewDecision::Approved));
    assert!(signed.reviews[0].decided_by.is_some());
    let twice = reviewer
        .call(
            "record/reviews/decide",
            &decide(ReviewDecision::ChangesRequested, "Non."),
        )
        .await;
    assert_eq!(twice.status, 409, "decided once");

    // The sign-off holds for version 1 only: a version 2 goes back to drafting.
    publish(
        db,
        id,
        Some(1),
        "## 1 Objet\n\nEntretien des espaces verts.\n\n## 2 Délais\n\nSous dix jours.\n",
    )
    .await;
    assert_eq!(buyer.status(id).await, ConsultationStatus::Drafting);
    assert_eq!(buyer.reviews(id).await.signed_off, None);
    // Even with the status forced to "approved", the hand-over checks the text's sign-off.
    sqlx::query("update consultations set status = 'approved' where id = $1")
        .bind(id)
        .execute(db.db.pool())
        .await
        .unwrap();
    let unsigned = buyer
        .call(
            "consultations/status",
            &form(&[("id", &id.to_string()), ("to", "closed")]),
        )
        .await;
    assert_eq!(unsigned.status, 409, "{}", unsigned.body);
    assert!(unsigned.body.contains("n'a pas été validée"), "{}", unsigned.body);
    sqlx::query("update consultations set status = 'drafting' where id = $1")
        .bind(id)
        .execute(db.db.pool())
        .await
        .unwrap();

    // Version 2 asked, changes requested, version 3 asked, validated, handed over.
    buyer
        .ok(
            "record/reviews/request",
            &form(&[("id", &id.to_string()), ("version", "2"), ("message", "Délais revus.")]),
        )
        .await;
    let second = buyer.reviews(id).await.reviews[0].id;
    reviewer
        .ok(
            "record/reviews/decide",
            &form(&[
                ("request", &second.to_string()),
                ("decision", "changes_requested"),
                ("message", "Dix jours ouvrés ?"),
            ]),
        )
        .await;
    assert_eq!(buyer.status(id).await, ConsultationStatus::Drafting);
    publish(
        db,
        id,
        Some(2),
        "## 1 Objet\n\nEntretien des espaces verts.\n\n## 2 Délais\n\nSous dix jours ouvrés.\n",
    )
    .await;
    buyer
        .ok(
            "record/reviews/request",
            &form(&[("id", &id.to_string()), ("version", "3"), ("message", "Corrigé.")]),
        )
        .await;
    let third = buyer.reviews(id).await.reviews[0].id;
    reviewer
        .ok(
            "record/reviews/decide",
            &form(&[
                ("request", &third.to_string()),
                ("decision", "approved"),
                ("message", ""),
            ]),
        )
        .await;
    buyer
        .ok(
            "consultations/status",
            &form(&[("id", &id.to_string()), ("to", "closed")]),
        )
        .await;
    assert_eq!(buyer.status(id).await, ConsultationStatus::Closed);

    // The history shows the decisions to anyone who sees the consultation, without the messages.
    let history = call_as(&app, None, "consultations/versions", &format!("id={id}"))
        .await
        .body;
    assert!(
        history.contains("changes_requested") && history.contains("approved"),
        "{history}"
    );
    assert!(
        !history.contains("Dix jours ouvrés ?"),
        "messages stay with the buyer and reviewers"
    );
    // Nobody else reads the review.
    let anonymous = call_as(&app, None, "record/reviews", &format!("id={id}")).await;
    assert_eq!(anonymous.status, 401);
    let other = Client::signed_in(&app, OTHER_BUYER).await;
    assert_eq!(other.call("record/reviews", &format!("id={id}")).await.status, 403);
}

/// What companies read is registered, per company, append-only; identities are sealed for the
/// buyer until the exchanges close, never for the attached reviewers.
async fn registers_of_participants_and_accesses(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let (newcomer, _) = add_accounts(db).await;
    let app = app(&db.db);
    let id = consultation_id(db, "Maintenance").await;
    let company = Client::signed_in(&app, newcomer).await;
    company.ok("contributions/participate", &format!("id={id}")).await;
    company.ok("consultations/get", &format!("id={id}")).await;
    company.ok("consultations/get", &format!("id={id}&version=1")).await;
    company
        .ok("consultations/compare", &format!("id={id}&from=1&to=2"))
        .await;
    assert_eq!(
        company
            .get(&format!("/consultations/{id}/versions/2/cctp.md"))
            .await
            .status,
        200
    );
    for _ in 0..3 {
        call_as(&app, None, "consultations/get", &format!("id={id}")).await;
    }
    // Refused to companies, even participating.
    assert_eq!(company.call("record/registers", &format!("id={id}")).await.status, 403);
    assert_eq!(
        call_as(&app, None, "record/registers", &format!("id={id}"))
            .await
            .status,
        401
    );

    let buyer = Client::signed_in(&app, BUYER).await;
    assert!(buyer.status(id).await <= ConsultationStatus::Exchanges);
    let sealed = buyer.registers(id).await;
    assert!(sealed.sealed);
    assert!(sealed.participants.iter().all(|p| p.identity.is_none()));
    let body = buyer.call("record/registers", &format!("id={id}")).await.body;
    assert!(!body.contains("Société Nouvelle Venue") && !body.contains("55210055400013") && !body.contains(newcomer));
    let reader = sealed
        .readers
        .iter()
        .find(|r| r.accesses.iter().any(|a| a.kind == AccessKind::Comparison))
        .expect("the company's reads");
    assert!(reader.label.starts_with("Entreprise "), "{}", reader.label);
    assert!(reader.name.is_none());
    let kinds: Vec<(AccessKind, Option<i32>)> = reader.accesses.iter().map(|a| (a.kind, a.version)).collect();
    assert_eq!(
        kinds,
        vec![
            (AccessKind::Version, Some(2)),
            (AccessKind::Version, Some(1)),
            (AccessKind::Comparison, Some(2)),
            (AccessKind::Markdown, Some(2)),
        ]
    );
    assert_eq!(reader.accesses[2].detail, "1 → 2");
    let anonymous_versions = sealed
        .anonymous
        .iter()
        .find(|(k, _)| *k == AccessKind::Version)
        .map(|(_, n)| *n);
    assert_eq!(anonymous_versions, Some(3), "counted, not logged per person");
    assert_eq!(
        count(
            db,
            &format!("select count(*) from access_log where consultation_id = {id}")
        )
        .await,
        4,
        "buyers' and visitors' reads are not lines of the register"
    );

    // The reviewers read the identities at any time.
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    let open = reviewer.registers(id).await;
    assert!(!open.sealed);
    let identity = open
        .participants
        .iter()
        .find_map(|p| p.identity.clone().filter(|i| i.name == "Société Nouvelle Venue"))
        .expect("the newcomer's identity");
    assert_eq!(identity.siret.as_deref(), Some("55210055400013"));
    assert_eq!(identity.contacts, vec![newcomer.to_owned()]);

    // The buyer, once the exchanges are closed.
    sqlx::query("update consultations set status = 'drafting', calendar_settings = null where id = $1")
        .bind(id)
        .execute(db.db.pool())
        .await
        .unwrap();
    assert_eq!(buyer.status(id).await, ConsultationStatus::Drafting);
    let unsealed = buyer.registers(id).await;
    assert!(!unsealed.sealed);
    assert!(unsealed
        .readers
        .iter()
        .any(|r| r.name.as_deref() == Some("Société Nouvelle Venue")));

    // Append-only, whatever the code does.
    let pool = db.db.pool();
    assert!(sqlx::query("update access_log set at = 0").execute(pool).await.is_err());
    assert!(sqlx::query("delete from access_log").execute(pool).await.is_err());
    assert_eq!(
        count(
            db,
            &format!("select count(*) from access_log where consultation_id = {id}")
        )
        .await,
        4
    );
}

on_both_backends!(
    the_dialogue_is_read_by_its_participants_only,
    review_and_sign_off,
    registers_of_participants_and_accesses,
);
