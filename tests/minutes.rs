//! Minutes of oral exchanges through the real HTTP stack, on SQLite and PostgreSQL: recorded by
//! the buyer, read by the participants once published (in the « Comptes rendus » page and the
//! margins of the clauses), never changed once published, and the buyer's reminder.

mod common;

use common::{app, call_as, Client, TestDb};
use jesaisfaire::domain::minutes::{MeetingMode, MinutesInput};
use jesaisfaire::model::{ConsultationDetail, ContributionBoard, MinutesBoard};
use jesaisfaire::server::demo;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const PARTICIPANT: &str = "entreprise@demo.jesaisfaire.fr";
const OUTSIDER: &str = "proprete@demo.jesaisfaire.fr";
const REVIEWER: &str = "relecteur@demo.jesaisfaire.fr";

impl common::Client {
    async fn minutes(&self, id: i64) -> MinutesBoard {
        serde_json::from_str(&self.ok("record/minutes", &format!("id={id}")).await.body).unwrap()
    }

    async fn board(&self, id: i64) -> ContributionBoard {
        serde_json::from_str(&self.ok("contributions/list", &format!("id={id}")).await.body).unwrap()
    }

    async fn save(&self, id: i64, minutes: Option<i64>, input: &MinutesInput) -> common::Answer {
        let body = serde_json::json!({ "id": id, "minutes": minutes, "input": input });
        self.call("record/minutes/save", &body.to_string()).await
    }

    async fn overdue(&self, id: i64) -> Vec<i64> {
        let detail: ConsultationDetail =
            serde_json::from_str(&self.ok("consultations/overview", &format!("id={id}")).await.body).unwrap();
        detail.minutes_overdue
    }
}

async fn maintenance(db: &TestDb) -> i64 {
    sqlx::query_scalar("select id from consultations where title like '%Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap()
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.db.pool()).await.unwrap()
}

/// A meeting this morning (the tests' clock is 2 December 2026, 10:00 in Paris) with
/// « Entreprise B » about a clause.
fn meeting(clause: &str) -> MinutesInput {
    MinutesInput {
        date: "2026-12-02".into(),
        time: "09:00".into(),
        duration_minutes: 45,
        mode: Some(MeetingMode::Video),
        companies: vec!["Entreprise B".into()],
        agents: "Claire Moreau (acheteuse)".into(),
        body: "## Questions\n\nL'entreprise demande si l'astreinte couvre le samedi. <script>alert(1)</script>".into(),
        clause_ids: vec![clause.into()],
        reason: String::new(),
    }
}

async fn minutes_are_recorded_published_and_corrected(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = maintenance(db).await;
    let buyer = Client::signed_in(&app, BUYER).await;
    let participant = Client::signed_in(&app, PARTICIPANT).await;
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    let board = buyer.minutes(id).await;
    assert!(board.can_write);
    assert_eq!(board.participants, vec!["Entreprise A", "Entreprise B"]);
    let clause = board.outline[1].clause_id.clone();
    let revisions = || count(db, "select count(*) from minutes_revisions");

    // Bad input: a clear French message, nothing stored.
    for (input, says) in [
        (
            MinutesInput {
                date: "2026-12-03".into(),
                ..meeting(&clause)
            },
            "pas encore eu lieu",
        ),
        (
            MinutesInput {
                date: "2026-11-02".into(),
                ..meeting(&clause)
            },
            "précède la création",
        ),
        (
            MinutesInput {
                clause_ids: vec!["nulle-part".into()],
                ..meeting(&clause)
            },
            "n'existe pas",
        ),
        (
            MinutesInput {
                companies: vec!["Entreprise Z".into()],
                ..meeting(&clause)
            },
            "ne participe pas",
        ),
        (
            MinutesInput {
                body: " ".into(),
                ..meeting(&clause)
            },
            "Écrivez le compte rendu",
        ),
        (
            MinutesInput {
                time: "9h".into(),
                ..meeting(&clause)
            },
            "HH:MM",
        ),
    ] {
        let answer = buyer.save(id, None, &input).await;
        assert_eq!(answer.status, 422, "{}", answer.body);
        assert!(answer.body.contains(says), "{says}: {}", answer.body);
    }
    // Only the buyer records minutes.
    for who in [&participant, &reviewer] {
        assert_eq!(who.save(id, None, &meeting(&clause)).await.status, 403);
    }
    let body = serde_json::json!({ "id": id, "minutes": null, "input": meeting(&clause) }).to_string();
    assert_eq!(call_as(&app, None, "record/minutes/save", &body).await.status, 401);
    assert_eq!(revisions().await, 0);

    // A draft: the buyer's organisation and its reviewers read it, the companies do not.
    let saved = buyer.save(id, None, &meeting(&clause)).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let minutes: i64 = saved.body.trim().parse().unwrap();
    assert!(reviewer.minutes(id).await.minutes[0].draft.is_some());
    assert!(participant.minutes(id).await.minutes.is_empty());
    assert!(participant.board(id).await.minutes.is_empty());
    let html = &buyer.minutes(id).await.minutes[0].draft.clone().unwrap().body_html;
    assert!(html.contains("samedi") && !html.contains("<script"), "{html}");
    // The draft changes freely until published.
    let rewritten = MinutesInput {
        duration_minutes: 50,
        ..meeting(&clause)
    };
    assert_eq!(buyer.save(id, Some(minutes), &rewritten).await.status, 200);
    assert_eq!(revisions().await, 1);

    // Published: every participant reads it, in the page and in the clause's margin.
    buyer.ok("record/minutes/publish", &format!("minutes={minutes}")).await;
    let read = participant.minutes(id).await;
    let published = read.minutes[0].published.clone().unwrap();
    assert_eq!(published.duration_minutes, 50);
    assert_eq!(published.companies, vec!["Entreprise B"]);
    assert!(published.clauses[0].present);
    assert!(!read.can_write);
    let margin = participant.board(id).await.minutes;
    assert_eq!(margin.len(), 1);
    assert_eq!(margin[0].clause_ids, vec![clause.clone()]);
    assert_eq!(
        count(db, "select count(*) from access_log where kind = 'minutes'").await,
        2,
        "each read of the minutes by a company is in the access register"
    );
    // Not to companies that have not joined, nor to visitors.
    let outsider = Client::signed_in(&app, OUTSIDER).await;
    assert_eq!(outsider.call("record/minutes", &format!("id={id}")).await.status, 403);
    assert_eq!(
        call_as(&app, None, "record/minutes", &format!("id={id}")).await.status,
        401
    );
    let again = buyer
        .call("record/minutes/publish", &format!("minutes={minutes}"))
        .await;
    assert_eq!(again.status, 409, "{}", again.body);

    // Never changed once published: a correction is a new revision with its reason.
    let fixed = MinutesInput {
        time: "09:15".into(),
        ..meeting(&clause)
    };
    let no_reason = buyer.save(id, Some(minutes), &fixed).await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("motif"), "{}", no_reason.body);
    let with_reason = MinutesInput {
        reason: "Heure de début corrigée.".into(),
        ..fixed
    };
    assert_eq!(buyer.save(id, Some(minutes), &with_reason).await.status, 200);
    let before_publication = participant.minutes(id).await.minutes[0].clone();
    assert_eq!(before_publication.published.unwrap().revision, 1);
    assert!(
        before_publication.draft.is_none(),
        "the correction is not read before it is published"
    );
    buyer.ok("record/minutes/publish", &format!("minutes={minutes}")).await;
    let corrected = participant.minutes(id).await.minutes[0].clone();
    let latest = corrected.published.unwrap();
    assert_eq!(
        (latest.revision, latest.reason.as_str()),
        (2, "Heure de début corrigée.")
    );
    assert_eq!(corrected.earlier.len(), 1);
    assert_eq!(
        corrected.earlier[0].duration_minutes, 50,
        "the first wording stays readable"
    );
    assert_eq!(participant.board(id).await.minutes[0].revision, 2);

    // Whatever the code does, the database refuses to change a published wording.
    let pool = db.db.pool();
    assert!(sqlx::query("update minutes_revisions set body = 'x'")
        .execute(pool)
        .await
        .is_err());
    assert!(sqlx::query("delete from minutes_revisions")
        .execute(pool)
        .await
        .is_err());
    assert_eq!(revisions().await, 2);

    // Minutes of another consultation cannot be reached through this one.
    let other: i64 = sqlx::query_scalar("select id from consultations where id <> $1 order by id limit 1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    let elsewhere = buyer.save(other, Some(minutes), &meeting(&clause)).await;
    assert!(
        matches!(elsewhere.status.as_u16(), 403 | 404 | 422),
        "{}",
        elsewhere.body
    );
    assert_eq!(revisions().await, 2);
}

async fn the_buyer_is_reminded_three_business_days_after(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = maintenance(db).await;
    let buyer = Client::signed_in(&app, BUYER).await;
    let clause = buyer.minutes(id).await.outline[0].clause_id.clone();
    let saved = buyer.save(id, None, &meeting(&clause)).await;
    let minutes: i64 = saved.body.trim().parse().unwrap();
    assert!(buyer.overdue(id).await.is_empty());
    // Wednesday 2 → Friday 4 December: two business days.
    db.db.clock().advance(2 * 86_400);
    assert!(buyer.overdue(id).await.is_empty());
    // Monday 7 December: the third (sessions do not last that long: sign in again).
    db.db.clock().advance(3 * 86_400);
    let buyer = Client::signed_in(&app, BUYER).await;
    let participant = Client::signed_in(&app, PARTICIPANT).await;
    assert_eq!(buyer.overdue(id).await.len(), 1);
    assert!(buyer.minutes(id).await.minutes[0].overdue);
    assert!(participant.overdue(id).await.is_empty(), "the buyer's reminder only");
    let page = buyer.get(&format!("/consultations/{id}")).await;
    assert!(
        page.body.contains("n'est pas publié, trois jours ouvrés après"),
        "the consultation page reminds"
    );
    buyer.ok("record/minutes/publish", &format!("minutes={minutes}")).await;
    assert!(buyer.overdue(id).await.is_empty());
}

on_both_backends!(
    minutes_are_recorded_published_and_corrected,
    the_buyer_is_reminded_three_business_days_after,
);
