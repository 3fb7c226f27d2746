//! Database behaviour the rest of the product relies on, on SQLite and PostgreSQL.

mod common;

use common::TestDb;
use jesaisfaire::server::db::{self, Backend, Db};
use jesaisfaire::server::demo;

fn version(consultation_id: i64, number: i64) -> db::consultations::NewVersion<'static> {
    db::consultations::NewVersion {
        consultation_id,
        number,
        markdown: "# Texte",
        clause_ids: &[],
        criteria: &[],
        changelog: "",
        author_id: None,
    }
}

async fn migrations_are_idempotent(db: &TestDb) {
    db.db.migrate().await.expect("a second migration run is a no-op");
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let folder = match db.db.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let files = std::fs::read_dir(format!("{}/migrations/{folder}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "sql"))
        .count();
    assert_eq!(applied as usize, files, "every migration of the folder applied, once");
}

/// Many writers that read then write at the same time all succeed: on SQLite they queue on the
/// write lock (`begin immediate`) instead of failing with "database is locked".
async fn concurrent_writers_wait_instead_of_failing(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let consultation: i64 = sqlx::query_scalar("select min(id) from consultations")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let writers = (0..16).map(|_| {
        let pool: Db = db.db.clone();
        tokio::spawn(async move {
            let mut tx = pool.begin_write().await?;
            let next: i64 =
                sqlx::query_scalar("select coalesce(max(number), 0) + 1 from spec_versions where consultation_id = $1")
                    .bind(consultation)
                    .fetch_one(&mut *tx)
                    .await?;
            db::consultations::insert_version(&mut *tx, &version(consultation, next), 0).await?;
            tx.commit().await
        })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer.await.unwrap().expect("every writer commits");
    }
    let versions: i64 = sqlx::query_scalar("select count(*) from spec_versions where consultation_id = $1")
        .bind(consultation)
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(versions, 2 + 16, "each writer saw the previous one's version number");
}

async fn demo_data_loads_once_even_when_asked_twice_at_once(db: &TestDb) {
    let (a, b) = tokio::join!(demo::load_if_empty(&db.db), demo::load_if_empty(&db.db));
    let outcomes = [a.unwrap(), b.unwrap()];
    assert!(outcomes.contains(&demo::Outcome::AlreadyPopulated), "{outcomes:?}");
    assert_eq!(db::consultations::count(db.db.pool()).await.unwrap(), 4);
}

async fn the_schema_refuses_invalid_rows(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let bad_status = sqlx::query("update consultations set status = 'whatever'")
        .execute(db.db.pool())
        .await;
    assert!(bad_status.is_err(), "check constraint on status");
    let orphan = db::consultations::insert_version(db.db.pool(), &version(987_654, 1), 0).await;
    assert!(orphan.is_err(), "foreign keys are enforced");
    let id: i64 = sqlx::query_scalar("select min(id) from consultations")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let duplicate = db::consultations::insert_version(db.db.pool(), &version(id, 1), 0).await;
    assert!(duplicate.is_err(), "a version number is published once");
}

/// A write whose request is dropped while it starts (its client left) leaves no transaction open
/// behind it. sqlx 0.8.6's SQLite `begin_with` awaits once more after its `BEGIN` (to check the
/// connection is in a transaction): a future dropped there went back to the pool inside a
/// transaction that held the write lock, and every later write failed (« attempted to call
/// begin_with at non-zero transaction depth ») until a restart. Found by the load benchmark's
/// writers, whose clients all leave at the end of a run (session 30).
async fn a_write_dropped_as_it_starts_leaves_no_transaction_open(db: &TestDb) {
    use std::future::Future;
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    /// Wakes the test when the write can go on (no sleep: each step is waited for).
    struct Woken(tokio::sync::Notify);
    impl Wake for Woken {
        fn wake(self: Arc<Self>) {
            self.0.notify_one();
        }
    }
    let woken = Arc::new(Woken(tokio::sync::Notify::new()));
    let waker = Waker::from(woken.clone());
    let bounded = std::time::Duration::from_secs(20);
    // Dropped after its first step, its second, … : each point where a client may leave.
    for steps in 1..=8 {
        let mut start = std::pin::pin!(db.db.begin_write());
        for _ in 0..steps {
            match start.as_mut().poll(&mut Context::from_waker(&waker)) {
                Poll::Ready(tx) => {
                    tx.expect("the write starts").rollback().await.unwrap();
                    break;
                }
                Poll::Pending => tokio::time::timeout(bounded, woken.0.notified())
                    .await
                    .expect("the start of a write goes on"),
            }
        }
    }
    // Every connection of the pool can still write, and none waits on a lock left taken.
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(db.db.pool().acquire().await.unwrap());
    }
    for conn in &held {
        assert!(
            !sqlx::Connection::is_in_transaction(&**conn),
            "a connection went back to the pool inside a transaction"
        );
    }
    drop(held);
    for _ in 0..16 {
        let tx = tokio::time::timeout(bounded, db.db.begin_write())
            .await
            .expect("a write starts without waiting on a lock left taken")
            .expect("a write starts");
        tx.commit().await.unwrap();
    }
}

on_both_backends!(
    migrations_are_idempotent,
    a_write_dropped_as_it_starts_leaves_no_transaction_open,
    concurrent_writers_wait_instead_of_failing,
    demo_data_loads_once_even_when_asked_twice_at_once,
    the_schema_refuses_invalid_rows,
);

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync_and_foreign_keys() {
    let db = TestDb::sqlite().await;
    assert_eq!(db.db.backend(), Backend::Sqlite);
    let mut conn = db.db.pool().acquire().await.unwrap();
    let mode: String = sqlx::query_scalar("pragma journal_mode")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let sync: i64 = sqlx::query_scalar("pragma synchronous")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let fk: i64 = sqlx::query_scalar("pragma foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
    drop(conn);
    db.finish().await;
}

#[tokio::test]
async fn a_bad_database_url_says_what_is_expected() {
    let err = Db::connect("mysql://localhost/x").await.unwrap_err();
    assert!(err.to_string().contains("sqlite: or postgres:"), "{err}");
}

/// The tables and columns of a migrated database, by name, sorted.
async fn schema(db: &TestDb) -> Vec<(String, String)> {
    let sql = match db.db.backend() {
        Backend::Sqlite => {
            "select m.name, p.name from sqlite_master m join pragma_table_info(m.name) p \
             where m.type = 'table' and m.name not like 'sqlite_%' and m.name <> '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "select cast(table_name as text), cast(column_name as text) from information_schema.columns \
             where table_schema = current_schema() and table_name <> '_sqlx_migrations'"
        }
    };
    let mut columns: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(db.db.pool()).await.unwrap();
    columns.sort();
    columns
}

/// The two backends' migrations stay in step: the same files, and once applied the same tables
/// with the same columns.
#[tokio::test]
async fn sqlite_and_postgres_migrations_stay_in_step() {
    let names = |backend: &str| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite_files = names("sqlite");
    assert!(sqlite_files.len() >= 7, "{sqlite_files:?}");
    assert_eq!(
        sqlite_files,
        names("postgres"),
        "the same migration files on both backends"
    );
    let (sqlite, postgres) = (TestDb::sqlite().await, TestDb::postgres().await);
    let (on_sqlite, on_postgres) = (schema(&sqlite).await, schema(&postgres).await);
    assert!(
        on_sqlite
            .iter()
            .any(|(t, c)| t == "contributions" && c == "cost_impact"),
        "the schema was read: {on_sqlite:?}"
    );
    // Full-text search differs by design (see `domain::search`): SQLite's FTS5 tables (`*_fts` and
    // their shadow tables), PostgreSQL's stored `search_vector` columns.
    let search_machinery = |(table, column): &(String, String)| table.contains("_fts") || column == "search_vector";
    let only = |a: &[(String, String)], b: &[(String, String)]| -> Vec<(String, String)> {
        a.iter()
            .filter(|x| !b.contains(x) && !search_machinery(x))
            .cloned()
            .collect()
    };
    assert_eq!(
        only(&on_sqlite, &on_postgres),
        vec![],
        "tables and columns only on SQLite"
    );
    assert_eq!(
        only(&on_postgres, &on_sqlite),
        vec![],
        "tables and columns only on PostgreSQL"
    );
    sqlite.finish().await;
    postgres.finish().await;
}
