//! The page cache (`server::http::pages`), on SQLite and PostgreSQL: a page is served again from
//! its bytes only to the same session, for the same data and minute; every change to what a page
//! shows raises the data's generation (one trigger per table, checked here for every table); a
//! page served again still writes its line in the access register; its policy names its own
//! scripts by hash.

mod common;

use common::{get_as, Client, TestDb};
use jesaisfaire::server::demo;
use std::sync::atomic::Ordering;

const COMPANY_A: &str = "entreprise@demo.jesaisfaire.fr";
const COMPANY_B: &str = "numerique@demo.jesaisfaire.fr";

/// Tables whose changes no page shows, or that change at every view or sign-in: the only ones
/// without triggers (migration `0016_data_generation.sql`).
const NOT_COUNTED: [&str; 7] = [
    "access_log",
    "anonymous_reads",
    "sessions",
    "sign_in_failures",
    "registration_attempts",
    "outbox",
    "data_generation",
];

async fn tables(db: &TestDb) -> Vec<String> {
    let sql = match db.db.backend() {
        jesaisfaire::server::db::Backend::Sqlite => {
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' \
             and name not like '_sqlx%' and name not like '%_fts%' order by name"
        }
        jesaisfaire::server::db::Backend::Postgres => {
            "select table_name::text from information_schema.tables where table_schema = current_schema() \
             and table_type = 'BASE TABLE' and table_name not like '_sqlx%' order by table_name"
        }
    };
    sqlx::query_scalar(sql).fetch_all(db.db.pool()).await.unwrap()
}

async fn generation_triggers(db: &TestDb, table: &str) -> i64 {
    let sql = match db.db.backend() {
        jesaisfaire::server::db::Backend::Sqlite => {
            "select count(*) from sqlite_master where type = 'trigger' and tbl_name = $1 \
             and name like 'data_generation_%'"
        }
        jesaisfaire::server::db::Backend::Postgres => {
            "select count(distinct event_manipulation) from information_schema.triggers \
             where event_object_table = $1 and trigger_name like 'data_generation_%'"
        }
    };
    sqlx::query_scalar(sql)
        .bind(table)
        .fetch_one(db.db.pool())
        .await
        .unwrap()
}

/// A new table that a page may show must raise the generation, or kept pages would never see
/// its changes.
async fn every_table_but_the_listed_ones_raises_the_generation(db: &TestDb) {
    let all = tables(db).await;
    assert!(all.len() > 30, "{all:?}");
    for table in &all {
        let triggers = generation_triggers(db, table).await;
        if NOT_COUNTED.contains(&table.as_str()) {
            assert_eq!(triggers, 0, "{table} is listed as not counted but has triggers");
        } else {
            assert_eq!(
                triggers, 3,
                "{table}: insert, update and delete must raise the data's generation \
                 (add its triggers to a migration, or list it in NOT_COUNTED with the reason)"
            );
        }
    }
    demo::load_if_empty(&db.db).await.unwrap();
    let before = db.db.generation().await.unwrap();
    sqlx::query("update organisations set name = name")
        .execute(db.db.pool())
        .await
        .unwrap();
    let after = db.db.generation().await.unwrap();
    assert!(after > before, "{before} → {after}");
    sqlx::query("update sessions set expires_at = expires_at")
        .execute(db.db.pool())
        .await
        .unwrap();
    assert_eq!(db.db.generation().await.unwrap(), after, "sessions are not counted");
}

async fn reads(db: &TestDb, id: i64) -> i64 {
    sqlx::query_scalar("select count(*) from access_log where consultation_id = $1 and kind = 'version'")
        .bind(id)
        .fetch_one(db.db.pool())
        .await
        .unwrap()
}

async fn a_page_is_served_again_until_what_it_shows_changes(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let root = common::site_root();
    let state = common::state_at(&db.db, root.path(), "http://127.0.0.1:3000");
    let app = jesaisfaire::server::http::router(state.clone(), 4 * 1024 * 1024);
    let built = || state.pages_built.load(Ordering::Relaxed);
    let id: i64 = sqlx::query_scalar("select id from consultations where title like '%Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let page = format!("/consultations/{id}");
    let a = Client::signed_in(&app, COMPANY_A).await;

    let first = a.get(&page).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let after_first = built();
    assert_eq!(reads(db, id).await, 1);
    let policy = first.headers["content-security-policy"].to_str().unwrap().to_owned();
    assert!(!policy.contains("'nonce-"), "{policy}");
    assert!(common::inline_scripts(&first.body).len() >= 2, "{}", first.body);
    assert!(
        common::scripts_allowed(&policy, &first.body),
        "a script of the page is not in its policy: {policy}"
    );

    // The same person, the same data, the same minute: the same bytes, nothing built, and the
    // read is in the register all the same.
    let again = a.get(&page).await;
    assert_eq!(again.status, 200);
    assert_eq!(built(), after_first, "the page was built again");
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers["content-security-policy"], policy.as_str());
    assert_eq!(again.headers["cache-control"], "private, no-store");
    assert_eq!(
        reads(db, id).await,
        2,
        "a page served again is still a read of the register"
    );

    // Another company, and a visitor, get pages of their own.
    let b = Client::signed_in(&app, COMPANY_B).await;
    let theirs = b.get(&page).await;
    assert_eq!(theirs.status, 200);
    assert_eq!(built(), after_first + 1, "another session got the first one's page");
    assert_ne!(theirs.body, first.body);
    let visitor = get_as(&app, None, &page).await;
    assert_eq!(visitor.status, 200);
    assert_eq!(built(), after_first + 2);
    assert!(
        !visitor.body.contains("Se déconnecter"),
        "a visitor got a signed-in page"
    );

    // Any change to what the page shows, made on this server or not (here, straight in the
    // database), is a new page.
    sqlx::query("update consultations set title = title || ' (titre corrigé)' where id = $1")
        .bind(id)
        .execute(db.db.pool())
        .await
        .unwrap();
    let changed = a.get(&page).await;
    assert_eq!(built(), after_first + 3);
    assert!(
        changed.body.contains("(titre corrigé)"),
        "the change is not on the page"
    );
    a.get(&page).await;
    assert_eq!(built(), after_first + 3);

    // A minute later the calendar may have moved: built again.
    db.db.clock().advance(60);
    a.get(&page).await;
    assert_eq!(built(), after_first + 4);

    // Signed out, the old cookie gets the visitor's page, not the company's.
    a.ok("account/sign-out", "").await;
    let after_sign_out = a.get(&page).await;
    assert!(!after_sign_out.body.contains("Se déconnecter"));
    assert_eq!(
        reads(db, id).await,
        6,
        "one line per read by a company (five by A, one by B), kept or not"
    );
}

on_both_backends!(
    every_table_but_the_listed_ones_raises_the_generation,
    a_page_is_served_again_until_what_it_shows_changes,
);
