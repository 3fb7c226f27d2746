//! The notification centre: events notify the people concerned once, in the app and by mail as
//! each chose; the scheduler's time-based notifications (alerts on consultations, exchanges
//! opening and ending, daily digests) are made once whatever the restarts. On both databases.

mod common;

use common::{app, form, Client, TestDb};
use jesaisfaire::domain::calendar::{add_business_days, paris_day_start_utc, Date, Region};
use jesaisfaire::server::db::Db;
use jesaisfaire::server::demo;
use jesaisfaire::server::notifications::run_due;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const BRIE: &str = "entreprise@demo.jesaisfaire.fr";
const SEINE: &str = "numerique@demo.jesaisfaire.fr";
const URL: &str = "https://jesaisfaire.test";

async fn count(db: &Db, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(db.pool()).await.unwrap()
}

async fn notifications_of(db: &Db, email: &str, dedup_prefix: &str) -> i64 {
    count(
        db,
        &format!(
            "select count(*) from notifications n join users u on u.id = n.user_id \
             where u.email = $1 and n.dedup_key like '{dedup_prefix}%'"
        ),
        email,
    )
    .await
}

async fn mails_to(db: &Db, email: &str) -> i64 {
    count(db, "select count(*) from outbox where recipient = $1", email).await
}

async fn time_based_notifications_are_made_once_across_restarts(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    // Seine watches IT maintenance (50312…) in Seine-et-Marne.
    let seine = Client::signed_in(&app, SEINE).await;
    seine
        .ok(
            "notifications/alert",
            &form(&[
                ("cpv_prefixes", "50312"),
                ("departements", "77"),
                ("frequency", "immediate"),
            ]),
        )
        .await;
    let first = run_due(&db.db, URL, db.db.now()).await.unwrap();
    assert!(first.notified >= 3, "{first:?}");
    // The open maintenance sourcing matches Seine's alert; its exchanges are open for Brie and Seine.
    assert_eq!(notifications_of(&db.db, SEINE, "alert:consultation:").await, 1);
    assert_eq!(notifications_of(&db.db, SEINE, "exchanges-open:").await, 1);
    assert_eq!(notifications_of(&db.db, BRIE, "exchanges-open:").await, 1);
    let mails = mails_to(&db.db, SEINE).await;
    assert_eq!(mails, 2);
    // Again, and after a restart (a new pool on the same database): nothing more.
    assert_eq!(run_due(&db.db, URL, db.db.now()).await.unwrap().notified, 0);
    let restarted = Db::connect(&db.url).await.unwrap().with_clock(common::test_clock());
    restarted.migrate().await.unwrap();
    assert_eq!(run_due(&restarted, URL, restarted.now()).await.unwrap().notified, 0);
    assert_eq!(mails_to(&db.db, SEINE).await, mails);

    // Two business days before the end of the exchanges: « dernières contributions », once.
    let end: String = sqlx::query_scalar("select exchanges_end from consultations where title like 'Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let end = Date::parse_iso(&end).unwrap();
    assert_eq!(notifications_of(&db.db, BRIE, "exchanges-closing:").await, 0);
    let two_days_before = add_business_days(end, -2, Region::Metropole);
    let at = paris_day_start_utc(two_days_before) + 9 * 3600;
    let closing = run_due(&restarted, URL, at).await.unwrap();
    assert!(closing.notified >= 2, "{closing:?}");
    assert_eq!(notifications_of(&db.db, BRIE, "exchanges-closing:").await, 1);
    assert_eq!(run_due(&db.db, URL, at + 3600).await.unwrap().notified, 0);
    restarted.close().await;
}

async fn daily_alerts_leave_in_one_digest_a_day(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let brie = Client::signed_in(&app, BRIE).await;
    brie.ok(
        "notifications/alert",
        &form(&[("cpv_prefixes", "7731"), ("departements", "91"), ("frequency", "daily")]),
    )
    .await;
    run_due(&db.db, URL, db.db.now()).await.unwrap();
    let before = mails_to(&db.db, BRIE).await;
    let buyer = Client::signed_in(&app, BUYER).await;
    for title in ["Tonte des pelouses de Corbeil", "Élagage des alignements d'Évry"] {
        buyer
            .ok(
                "needs/announce",
                &form(&[
                    ("need[title]", title),
                    ("need[summary]", "Entretien courant."),
                    ("need[cpv_codes]", "77311000-3"),
                    ("need[departements]", "91"),
                    ("need[amount_min]", ""),
                    ("need[amount_max]", ""),
                    ("need[quarter]", "2028-T1"),
                    ("need[contact]", ""),
                ]),
            )
            .await;
    }
    // In the app at once, by mail only in the digest.
    assert_eq!(notifications_of(&db.db, BRIE, "alert:need:").await, 2);
    assert_eq!(mails_to(&db.db, BRIE).await, before);
    let due = run_due(&db.db, URL, db.db.now()).await.unwrap();
    assert_eq!(due.digests, 1);
    assert_eq!(mails_to(&db.db, BRIE).await, before + 1);
    let (subject, text): (String, String) =
        sqlx::query_as("select subject, body from outbox where recipient = $1 order by id desc limit 1")
            .bind(BRIE)
            .fetch_one(db.db.pool())
            .await
            .unwrap();
    assert_eq!(subject, "2 nouveautés pour votre alerte");
    assert!(
        text.contains("Tonte des pelouses de Corbeil") && text.contains("Élagage des alignements d'Évry"),
        "{text}"
    );
    // Once a day: a third need waits for tomorrow's digest.
    buyer
        .ok(
            "needs/announce",
            &form(&[
                ("need[title]", "Fauchage des bords de route"),
                ("need[summary]", "Deux passages par an."),
                ("need[cpv_codes]", "77311000-3"),
                ("need[departements]", "91"),
                ("need[amount_min]", ""),
                ("need[amount_max]", ""),
                ("need[quarter]", "2028-T2"),
                ("need[contact]", ""),
            ]),
        )
        .await;
    assert_eq!(run_due(&db.db, URL, db.db.now()).await.unwrap().digests, 0);
    assert_eq!(mails_to(&db.db, BRIE).await, before + 1);
    let tomorrow = db.db.now() + 24 * 3600;
    assert_eq!(run_due(&db.db, URL, tomorrow).await.unwrap().digests, 1);
    assert_eq!(run_due(&db.db, URL, tomorrow + 60).await.unwrap().digests, 0);
    assert_eq!(mails_to(&db.db, BRIE).await, before + 2);
}

async fn the_centre_follows_each_persons_choices(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let brie = Client::signed_in(&app, BRIE).await;
    let buyer = Client::signed_in(&app, BUYER).await;
    // Answers in the app only; a kind of another role is refused.
    brie.ok("notifications/preferences", &form(&[("channels[answer]", "app")]))
        .await;
    let refused = brie
        .call("notifications/preferences", &form(&[("channels[interest]", "mail")]))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let refused = brie
        .call("notifications/preferences", &form(&[("channels[answer]", "pigeon")]))
        .await;
    assert_eq!(refused.status, 422);
    let centre = brie.ok("notifications/centre", "").await.json();
    let answer = centre["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == "answer")
        .unwrap()
        .clone();
    assert_eq!(answer[1], "app");

    let contribution: i64 = sqlx::query_scalar(
        "select c.id from contributions c join organisations o on o.id = c.organisation_id \
         where o.name = 'Brie Informatique Services' and c.withdrawn_at is null order by c.id desc limit 1",
    )
    .fetch_one(db.db.pool())
    .await
    .unwrap();
    let mails = mails_to(&db.db, BRIE).await;
    buyer
        .ok(
            "contributions/reply",
            &form(&[
                ("id", &contribution.to_string()),
                ("body", "Merci, nous en tenons compte."),
            ]),
        )
        .await;
    assert_eq!(notifications_of(&db.db, BRIE, "answer:").await, 1);
    assert_eq!(mails_to(&db.db, BRIE).await, mails, "in the app only, as chosen");
    // The buyer's side hears of new contributions (by mail by default).
    let current = brie.ok("account/current", "").await.json();
    assert_eq!(current["unread_notifications"], 1);
    // Marked read one by one or all at once, only one's own.
    let id = brie.ok("notifications/centre", "").await.json()["notifications"][0]["id"]
        .as_i64()
        .unwrap();
    let seine = Client::signed_in(&app, SEINE).await;
    seine.ok("notifications/read", &form(&[("id", &id.to_string())])).await;
    assert_eq!(
        brie.ok("notifications/centre", "").await.json()["unread"],
        1,
        "Seine cannot read Brie's"
    );
    brie.ok("notifications/read", &form(&[("id", &id.to_string())])).await;
    assert_eq!(brie.ok("notifications/centre", "").await.json()["unread"], 0);
    // None: nothing at all.
    brie.ok("notifications/preferences", &form(&[("channels[answer]", "none")]))
        .await;
    buyer
        .ok(
            "contributions/reply",
            &form(&[("id", &contribution.to_string()), ("body", "Et une précision.")]),
        )
        .await;
    assert_eq!(notifications_of(&db.db, BRIE, "answer:").await, 1);
    // Alerts: checked, in French; removed on demand; buyers set none.
    let bad = brie
        .call(
            "notifications/alert",
            &form(&[
                ("cpv_prefixes", "7"),
                ("departements", "99"),
                ("frequency", "immediate"),
            ]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("CPV") && bad.body.contains("99"), "{}", bad.body);
    let everything = brie
        .call(
            "notifications/alert",
            &form(&[("cpv_prefixes", ""), ("departements", ""), ("frequency", "daily")]),
        )
        .await;
    assert_eq!(everything.status, 422);
    brie.ok(
        "notifications/alert",
        &form(&[("cpv_prefixes", "7731"), ("departements", ""), ("frequency", "daily")]),
    )
    .await;
    assert_eq!(
        brie.ok("notifications/centre", "").await.json()["alert"]["cpv_prefixes"][0],
        "7731"
    );
    brie.ok(
        "notifications/alert",
        &form(&[
            ("cpv_prefixes", ""),
            ("departements", ""),
            ("frequency", "daily"),
            ("remove", "1"),
        ]),
    )
    .await;
    assert_eq!(
        brie.ok("notifications/centre", "").await.json()["alert"],
        serde_json::Value::Null
    );
    assert_eq!(
        buyer
            .call(
                "notifications/alert",
                &form(&[("cpv_prefixes", "7731"), ("departements", "77"), ("frequency", "daily")])
            )
            .await
            .status,
        403
    );
}

on_both_backends!(
    daily_alerts_leave_in_one_digest_a_day,
    the_centre_follows_each_persons_choices,
    time_based_notifications_are_made_once_across_restarts,
);
