//! The home pages' « À traiter » on SQLite and PostgreSQL: a buyer's contributions waiting for an
//! answer and phases ending soon; a company's answers received; nothing of anyone else's.

mod common;

use common::{app, call_as, form, TestDb};
use jesaisfaire::domain::calendar::PhaseKind;
use jesaisfaire::model::{ContributionBoard, ToDo};
use jesaisfaire::server::demo;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const COMPANY_A: &str = "entreprise@demo.jesaisfaire.fr";
const COMPANY_B: &str = "numerique@demo.jesaisfaire.fr";

async fn to_do(client: &common::Client) -> ToDo {
    serde_json::from_str(&client.ok("consultations/to-do", "").await.body).unwrap()
}

async fn what_waits_on_the_home_pages(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let maintenance: i64 = sqlx::query_scalar("select id from consultations where title like '%Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let open: i64 = sqlx::query_scalar(
        "select count(*) from contributions where consultation_id = $1 and status = 'open' and withdrawn_at is null",
    )
    .bind(maintenance)
    .fetch_one(db.db.pool())
    .await
    .unwrap();
    assert!(open > 0, "the demo has contributions waiting for an answer");

    let buyer = common::Client::signed_in(&app, BUYER).await;
    let seen = to_do(&buyer).await;
    let line = seen
        .to_answer
        .iter()
        .find(|l| l.consultation_id == maintenance)
        .expect("the maintenance line");
    assert_eq!(i64::from(line.count), open);
    assert!(seen.answers.is_empty(), "answers received are a company's");
    // The demo's phases are relative to today: the maintenance exchanges end within two weeks.
    assert!(
        seen.deadlines
            .iter()
            .any(|d| d.consultation_id == maintenance && d.phase == PhaseKind::Exchanges),
        "{:?}",
        seen.deadlines
    );
    assert!(
        seen.deadlines.windows(2).all(|w| w[0].ends <= w[1].ends),
        "soonest first"
    );

    // The buyer answers one of A's open contributions: one less to answer, one answer for A only.
    let a = common::Client::signed_in(&app, COMPANY_A).await;
    let board: ContributionBoard =
        serde_json::from_str(&a.ok("contributions/list", &format!("id={maintenance}")).await.body).unwrap();
    let mine = board
        .contributions
        .iter()
        .find(|c| {
            c.mine
                && c.status == jesaisfaire::domain::contribution::ContributionStatus::Open
                && c.withdrawn_at.is_none()
        })
        .expect("an open contribution of A");
    let answers_before = to_do(&a).await.answers.iter().map(|l| l.count).sum::<u32>();
    buyer
        .ok(
            "contributions/reply",
            &form(&[("id", &mine.id.to_string()), ("body", "Voir l'article 4.")]),
        )
        .await;
    let after = to_do(&buyer).await;
    let line = after.to_answer.iter().find(|l| l.consultation_id == maintenance);
    assert_eq!(line.map_or(0, |l| i64::from(l.count)), open - 1);
    let for_a = to_do(&a).await;
    assert_eq!(for_a.answers.iter().map(|l| l.count).sum::<u32>(), answers_before + 1);
    assert!(for_a.to_answer.is_empty(), "companies answer nothing here");
    assert!(
        for_a.deadlines.iter().all(|d| d.phase != PhaseKind::Drafting),
        "the drafting is the buyer's: {:?}",
        for_a.deadlines
    );
    let b = common::Client::signed_in(&app, COMPANY_B).await;
    let b_before: u32 = to_do(&b).await.answers.iter().map(|l| l.count).sum();
    buyer
        .ok(
            "contributions/reply",
            &form(&[("id", &mine.id.to_string()), ("body", "Et l'article 5.")]),
        )
        .await;
    assert_eq!(to_do(&b).await.answers.iter().map(|l| l.count).sum::<u32>(), b_before);

    // Nobody signed in: nothing, and a clear refusal.
    assert_eq!(call_as(&app, None, "consultations/to-do", "").await.status, 401);
}

on_both_backends!(what_waits_on_the_home_pages);
