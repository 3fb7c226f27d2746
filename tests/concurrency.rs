//! The server under concurrent traffic: pages, static files and server functions requested
//! together, hundreds at once.
//!
//! In a test binary of its own, its tests one at a time, on purpose: when two tests of one
//! process each run their own Tokio runtime and serve pages at the same moment, leptos' server
//! rendering sometimes waits forever (seen in session 8: a third of the runs when these two tests
//! ran side by side, a quarter when the first shared its binary with tests calling server
//! functions; never in 45 runs of one test alone, nor of a mixed load of pages and server
//! functions on one runtime, which is how the server runs). It predates session 8: the test
//! binary built from the commit before it hung 6 times in 20 runs. Every request must also be
//! answered within a bound, so that a hang fails the test instead of stalling the CI run.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
// One test at a time (see above); a Tokio mutex, which any runtime can wait on.
use common::{app_at, policy_nonce, site_root, TestDb, ONE_AT_A_TIME};
use jesaisfaire::server::demo;
use tower::ServiceExt;

/// Far more than any request takes (milliseconds); a request without an answer by then hangs.
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(20);

/// Pages and static files requested together, hundreds at once: every page carries a policy
/// whose nonce is the one of its own scripts, every file its own headers and status (defect B:
/// leptos_axum's file handler took another request's response options; 30 % of pages lost their
/// policy, files got a page's, some were answered 404).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_page_keeps_its_own_policy_under_concurrent_traffic() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let root = site_root();
    let app = app_at(&db.db, root.path(), "http://127.0.0.1:3000");
    let paths = [
        "/",
        "/pkg/jesaisfaire.js",
        "/connexion",
        "/favicon.svg",
        "/pkg/jesaisfaire.css",
    ];
    let requests = (0..300).map(|i| {
        let app = app.clone();
        let path = paths[i % paths.len()];
        tokio::spawn(async move {
            let response = app
                .oneshot(Request::get(path).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            (path, status, headers, String::from_utf8_lossy(&body).into_owned())
        })
    });
    let mut nonces = std::collections::HashSet::new();
    for (i, request) in requests.collect::<Vec<_>>().into_iter().enumerate() {
        let (path, status, headers, body) = tokio::time::timeout(ANSWER_WITHIN, request)
            .await
            .unwrap_or_else(|_| panic!("request {i} ({}) got no answer", paths[i % paths.len()]))
            .unwrap();
        assert_eq!(status, StatusCode::OK, "{path}");
        let policy = headers
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{path} has no policy"))
            .to_str()
            .unwrap();
        if path.contains('.') {
            assert!(policy.contains("script-src 'none'"), "{path}: {policy}");
            assert_eq!(headers["cache-control"], "no-cache", "{path}");
            let expected = std::fs::read_to_string(root.path().join(&path[1..])).unwrap();
            assert_eq!(body, expected, "{path} is its own file");
        } else if path == "/" {
            // A page the cache may keep names its own scripts by hash (`server::http::pages`).
            assert!(!policy.contains("'nonce-"), "{path}: {policy}");
            assert!(common::scripts_allowed(policy, &body), "{path}: {policy}");
        } else {
            let nonce = policy_nonce(policy).unwrap_or_else(|| panic!("{path}: no nonce in {policy}"));
            assert!(
                body.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: the policy's nonce is not the page's"
            );
            assert!(nonces.insert(nonce.to_owned()), "a nonce was used twice");
        }
    }
    db.finish().await;
}

/// Pages and server functions (valid and malformed calls) requested together, hundreds at once,
/// all answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_and_server_functions_are_served_together() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let root = site_root();
    let app = app_at(&db.db, root.path(), "http://127.0.0.1:3000");
    let requests = (0..300).map(|i| {
        let app = app.clone();
        tokio::spawn(async move {
            let request = match i % 4 {
                0 => Request::get("/").body(Body::empty()).unwrap(),
                1 => Request::get("/connexion").body(Body::empty()).unwrap(),
                2 => Request::post("/api/consultations/get")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", "http://127.0.0.1:3000")
                    .header("host", "127.0.0.1:3000")
                    .body(Body::from("id=zzz"))
                    .unwrap(),
                _ => Request::post("/api/consultations/list")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", "http://127.0.0.1:3000")
                    .header("host", "127.0.0.1:3000")
                    .body(Body::from(""))
                    .unwrap(),
            };
            let response = app.oneshot(request).await.unwrap();
            axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        })
    });
    for (i, r) in requests.collect::<Vec<_>>().into_iter().enumerate() {
        tokio::time::timeout(ANSWER_WITHIN, r)
            .await
            .unwrap_or_else(|_| panic!("request {i} got no answer"))
            .unwrap();
    }
    db.finish().await;
}

/// While every render permit is taken (as when a crowd asks for long pages), a page waits for its
/// turn, and what must never wait does not: the health check, the server functions, the static
/// files. Once a permit is given back, the page is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_wait_their_turn_and_nothing_else_waits_for_them() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let root = site_root();
    let state = common::state_at(&db.db, root.path(), "http://127.0.0.1:3000");
    let app = jesaisfaire::server::http::router(state.clone(), 4 * 1024 * 1024);
    let all = state.renders.available_permits() as u32;
    let held = state.renders.clone().acquire_many_owned(all).await.unwrap();

    let page = {
        let app = app.clone();
        tokio::spawn(async move { common::get(&app, "/").await })
    };
    for path in ["/healthz", "/pkg/jesaisfaire.css", "/favicon.svg"] {
        let answer = tokio::time::timeout(ANSWER_WITHIN, common::get(&app, path))
            .await
            .unwrap_or_else(|_| panic!("{path} waited for the pages"));
        assert_eq!(answer.status, StatusCode::OK, "{path}");
    }
    let listed = tokio::time::timeout(ANSWER_WITHIN, common::call(&app, "consultations/list", ""))
        .await
        .expect("a server function waited for the pages");
    assert_eq!(listed.status, StatusCode::OK);
    // A gate that let the page through would have answered by now (it renders in milliseconds).
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!page.is_finished(), "the page was rendered without a permit");

    drop(held);
    let answer = tokio::time::timeout(ANSWER_WITHIN, page)
        .await
        .expect("the page got no answer once a permit was free")
        .unwrap();
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.body.contains("Maintenance du parc informatique"),
        "the catalogue"
    );
    assert_eq!(state.renders.available_permits() as u32, all, "every permit came back");
}

/// A page whose client leaves once the page has its permit is built to the end all the same,
/// and gives its permit back: dropped halfway, a render left leptos's resource tasks running on
/// a disposed reactive owner, and each of them panicked.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_page_whose_client_left_is_built_to_the_end() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let root = site_root();
    let mut state = common::state_at(&db.db, root.path(), "http://127.0.0.1:3000");
    // Without the page cache: its lookup reads the session before the page asks for a permit,
    // and this test is about pages that have one.
    state.pages = std::sync::Arc::new(jesaisfaire::server::http::pages::PageCache::new(0));
    let app = jesaisfaire::server::http::router(state.clone(), 4 * 1024 * 1024);
    let cookie = common::sign_in(&app, "entreprise@demo.jesaisfaire.fr", "sourcing-demo-2026").await;
    let all = state.renders.available_permits();
    let built = || state.pages_built.load(std::sync::atomic::Ordering::Relaxed);
    let before = built();
    // As many as there are permits: a page still waiting for one when its client leaves is
    // never started.
    let left = all;
    for _ in 0..left {
        let request = Request::get("/consultations/1")
            .header("cookie", &cookie)
            .body(Body::empty())
            .unwrap();
        let mut answer = Box::pin(app.clone().oneshot(request));
        // One poll: the page gets its permit and starts; then its client is gone.
        assert!(
            futures::poll!(answer.as_mut()).is_pending(),
            "a page needs its data first"
        );
        drop(answer);
    }
    tokio::time::timeout(ANSWER_WITHIN, async {
        while built() < before + left || state.renders.available_permits() < all {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{} of {left} pages built after their clients left", built() - before));
    // And the next visitor is served as usual.
    let answer = common::get_as(&app, Some(&cookie), "/consultations/1").await;
    assert_eq!(answer.status, StatusCode::OK);
    db.finish().await;
}

/// A page not built by the deadline is answered 503, and its build goes on to the end and gives its
/// permit back: cut at the deadline, a render left leptos's resource tasks on a disposed owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_page_past_its_deadline_is_answered_503_and_still_built_to_the_end() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let root = site_root();
    let mut state = common::state_at(&db.db, root.path(), "http://127.0.0.1:3000");
    // No time at all: the permit is there at once, the page (it reads the database) cannot be.
    state.page_deadline = std::time::Duration::ZERO;
    let app = jesaisfaire::server::http::router(state.clone(), 4 * 1024 * 1024);
    let all = state.renders.available_permits();
    let built = || state.pages_built.load(std::sync::atomic::Ordering::Relaxed);
    let before = built();
    let answer = common::get(&app, "/consultations/1").await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{}", answer.body);
    assert_eq!(answer.headers["retry-after"], "10");
    tokio::time::timeout(ANSWER_WITHIN, async {
        while built() < before + 1 || state.renders.available_permits() < all {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the page answered 503 was not built to the end, or kept its permit");
    db.finish().await;
}

/// A page that cannot get a permit within the deadline (the server is flooded) is answered 503
/// with a message a person can act on and a `Retry-After`, instead of waiting without end.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_page_without_a_permit_in_time_is_answered_503() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let root = site_root();
    let mut state = common::state_at(&db.db, root.path(), "http://127.0.0.1:3000");
    assert_eq!(state.page_deadline, jesaisfaire::server::http::PAGE_DEADLINE);
    // Every permit held for the whole wait: no page can be built, whatever the timing.
    state.page_deadline = std::time::Duration::from_millis(50);
    let app = jesaisfaire::server::http::router(state.clone(), 4 * 1024 * 1024);
    let all = state.renders.available_permits() as u32;
    let held = state.renders.clone().acquire_many_owned(all).await.unwrap();
    let started = std::time::Instant::now();
    let answer = tokio::time::timeout(ANSWER_WITHIN, common::get(&app, "/"))
        .await
        .expect("a page waited for a permit past its deadline");
    assert!(started.elapsed() >= state.page_deadline);
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.headers["retry-after"], "10");
    assert!(
        answer.body.contains("Réessayez dans quelques secondes"),
        "{}",
        answer.body
    );
    assert_eq!(state.pages_built.load(std::sync::atomic::Ordering::Relaxed), 0);
    drop(held);
    assert_eq!(common::get(&app, "/").await.status, StatusCode::OK);
    db.finish().await;
}
