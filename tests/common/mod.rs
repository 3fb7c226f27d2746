//! Shared by the integration tests: a fresh database on each backend, the real HTTP stack, and a
//! macro that runs each test on SQLite and on PostgreSQL.
#![allow(dead_code)] // each test binary uses a different part of this module

pub mod smtp;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use jesaisfaire::domain::calendar::Date;
use jesaisfaire::server::{clock::Clock, db::Db, http, AppState};
use leptos::prelude::LeptosOptions;
use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// The day every test runs on (a Wednesday with no holiday near it): the tests never depend on
/// the day they are run. A test about time passing moves its own database's clock forward.
pub fn today() -> Date {
    Date::new(2026, 12, 2).expect("a valid date")
}

/// A clock fixed on [`today`], 10:00 in Paris.
pub fn test_clock() -> Clock {
    Clock::fixed_on(today())
}

/// A database that exists for one test.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite:{}", dir.path().join("test.db").display());
        let db = Db::connect(&url).await.expect("open SQLite").with_clock(test_clock());
        db.migrate().await.expect("migrate SQLite");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// Creates a database of its own on the server of `TEST_POSTGRES_URL`. Without that variable
    /// the test fails: PostgreSQL is part of the suite, never skipped silently.
    pub async fn postgres() -> TestDb {
        let admin_url = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| {
            panic!(
                "TEST_POSTGRES_URL is not set. The integration tests run on PostgreSQL too: use `make test`, \
                 which starts a private server, or point TEST_POSTGRES_URL at a server where the tests may \
                 create databases (e.g. postgres://user@127.0.0.1:5432/postgres)."
            )
        });
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "jsf_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at TEST_POSTGRES_URL={admin_url}: {e}"));
        sqlx::query(&format!("drop database if exists {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        sqlx::query(&format!("create database {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.ok();
        let url = replace_database(&admin_url, &name);
        let db = Db::connect(&url)
            .await
            .expect("open PostgreSQL")
            .with_clock(test_clock());
        db.migrate().await.expect("migrate PostgreSQL");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    pub async fn finish(self) {
        self.db.close().await;
        if let Cleanup::Postgres { admin_url, name } = self.cleanup {
            if let Ok(mut admin) = sqlx::AnyConnection::connect(&admin_url).await {
                let _ = sqlx::query(&format!("drop database if exists {name}"))
                    .execute(&mut admin)
                    .await;
            }
        }
    }
}

pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(head, _)| head);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The tests of one binary that render pages run one at a time: when two tests of one process
/// each run their own Tokio runtime and render pages at the same moment, leptos' server rendering
/// sometimes waits forever (see `tests/concurrency.rs`; seen again in session 9 in
/// `tests/anonymity.rs`). The server itself runs one runtime, where this never happens.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs each named `async fn(&TestDb)` of the calling module on SQLite and on PostgreSQL, one
/// test at a time (see [`ONE_AT_A_TIME`]).
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let _alone = $crate::common::ONE_AT_A_TIME.lock().await;
                    let db = $crate::common::TestDb::sqlite().await;
                    super::$test(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let _alone = $crate::common::ONE_AT_A_TIME.lock().await;
                    let db = $crate::common::TestDb::postgres().await;
                    super::$test(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

/// The application exactly as served, on this database.
pub fn app(db: &Db) -> Router {
    app_at(
        db,
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")),
        "http://127.0.0.1:3000",
    )
}

/// The application serving the static files of `site_root`, at the public address `public_url`.
pub fn app_at(db: &Db, site_root: &std::path::Path, public_url: &str) -> Router {
    http::router(state_at(db, site_root, public_url), 4 * 1024 * 1024)
}

/// The state the application of [`app_at`] is built on.
pub fn state_at(db: &Db, site_root: &std::path::Path, public_url: &str) -> AppState {
    let leptos_options = LeptosOptions::builder()
        .output_name("jesaisfaire")
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .build();
    AppState::new(leptos_options, db.clone(), public_url)
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends one request through the whole stack (middleware included).
pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("infallible router");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A page (or file) as a signed-in person gets it.
pub async fn get_as(app: &Router, cookie: Option<&str>, uri: &str) -> Answer {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// Calls a server function the way the browser does (form-encoded POST from the same origin).
pub async fn call(app: &Router, endpoint: &str, form: &str) -> Answer {
    call_as(app, None, endpoint, form).await
}

/// The same, with the session cookie of a signed-in person. A body that starts with `{` is sent
/// as JSON (the server functions that take structured input, such as a draft).
pub async fn call_as(app: &Router, cookie: Option<&str>, endpoint: &str, form: &str) -> Answer {
    let content_type = if form.starts_with('{') {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut request = Request::builder();
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let request = request
        .method(Method::POST)
        .uri(format!("/api/{endpoint}"))
        .header("content-type", content_type)
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form.to_string()))
        .unwrap();
    send(app, request).await
}

/// Form-encodes key/value pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A signed-in person and the application they call: the one test client of the suites.
/// Each suite adds its own steps with an `impl common::Client` block of its own.
pub struct Client {
    pub app: Router,
    pub cookie: String,
}

impl Client {
    /// Signs in with the demo accounts' password.
    pub async fn signed_in(app: &Router, email: &str) -> Client {
        Client {
            app: app.clone(),
            cookie: sign_in(app, email, jesaisfaire::server::demo::DEMO_PASSWORD).await,
        }
    }

    /// Calls a server function (form-encoded, or JSON when the body starts with `{`).
    pub async fn call(&self, endpoint: &str, body: &str) -> Answer {
        call_as(&self.app, Some(&self.cookie), endpoint, body).await
    }

    /// The same, asserting a 200 answer.
    pub async fn ok(&self, endpoint: &str, body: &str) -> Answer {
        let answer = self.call(endpoint, body).await;
        assert_eq!(answer.status, 200, "{endpoint}: {}", answer.body);
        answer
    }

    /// A page or file.
    pub async fn get(&self, uri: &str) -> Answer {
        get_as(&self.app, Some(&self.cookie), uri).await
    }
}

/// Signs in and returns the `name=value` of the session cookie.
pub async fn sign_in(app: &Router, email: &str, password: &str) -> String {
    let answer = call(
        app,
        "account/sign-in",
        &form(&[("email", email), ("password", password)]),
    )
    .await;
    assert!(
        answer.status.is_success() || answer.status.is_redirection(),
        "sign-in of {email}: {} {}",
        answer.status,
        answer.body
    );
    session_cookie(&answer).unwrap_or_else(|| panic!("no session cookie for {email}"))
}

pub fn session_cookie(answer: &Answer) -> Option<String> {
    answer
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("jsf_session=") && !v.starts_with("jsf_session=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

/// A site root with a few static files, as `scripts/build.sh` leaves it.
pub fn site_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/jesaisfaire.js"), "export function hydrate() {}").unwrap();
    std::fs::write(dir.path().join("pkg/jesaisfaire.css"), "body { margin: 0 }").unwrap();
    std::fs::write(
        dir.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    dir
}

/// The nonce of a `script-src 'nonce-…'` policy.
pub fn policy_nonce(policy: &str) -> Option<&str> {
    policy.split("'nonce-").nth(1)?.split('\'').next()
}

/// The inline scripts of a page (those without `src`).
pub fn inline_scripts(page: &str) -> Vec<&str> {
    page.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, body) = rest.split_once('>')?;
            (!tag.contains(" src=")).then(|| body.split("</script>").next().unwrap_or_default())
        })
        .collect()
}

/// Whether `policy` allows every inline script of `page` by its SHA-256, and there is one at least.
pub fn scripts_allowed(policy: &str, page: &str) -> bool {
    use base64::Engine as _;
    use sha2::Digest as _;
    let scripts = inline_scripts(page);
    !scripts.is_empty()
        && scripts.iter().all(|script| {
            let digest = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
            policy.contains(&format!("'sha256-{digest}'"))
        })
}
