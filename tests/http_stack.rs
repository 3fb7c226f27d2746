//! The layers every request goes through: cross-site refusal, body limit, security headers.

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::{app, call, send, TestDb};

fn post(uri: &str, headers: &[(&str, &str)], body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::builder().method(Method::POST).uri(uri);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.body(body.into()).unwrap()
}

#[tokio::test]
async fn a_cross_site_form_post_to_a_server_function_is_refused() {
    let db = TestDb::sqlite().await;
    let app = app(&db.db);
    let form = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("host", "127.0.0.1:3000"),
    ];
    for extra in [
        vec![("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")],
        vec![
            ("sec-fetch-site", "same-site"),
            ("origin", "https://other.127.0.0.1:3000"),
        ],
        // Older browsers send no Sec-Fetch-Site: the Origin alone decides.
        vec![("origin", "https://evil.example")],
    ] {
        let headers: Vec<_> = form.iter().copied().chain(extra.iter().copied()).collect();
        let answer = send(&app, post("/api/consultations/list", &headers, "")).await;
        assert_eq!(answer.status, 403, "{extra:?}: {}", answer.body);
        assert!(answer.body.contains("autre site"), "{}", answer.body);
    }
    // The same request from the same origin goes through.
    assert_eq!(call(&app, "consultations/list", "").await.status, 200);
    db.finish().await;
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_reaching_the_handler() {
    let db = TestDb::sqlite().await;
    let app = jesaisfaire::server::http::router(
        jesaisfaire::server::AppState::new(
            leptos::prelude::LeptosOptions::builder()
                .output_name("jesaisfaire")
                .build(),
            db.db.clone(),
            "http://127.0.0.1:3000",
        ),
        1024,
    );
    let big = "id=".to_string() + &"1".repeat(4096);
    let headers = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("sec-fetch-site", "same-origin"),
        ("content-length", "4099"),
    ];
    let answer = send(&app, post("/api/consultations/get", &headers, big)).await;
    assert_eq!(answer.status, 413, "{}", answer.body);
    db.finish().await;
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let db = TestDb::sqlite().await;
    let app = app(&db.db);
    for answer in [
        common::get(&app, "/healthz").await,
        call(&app, "consultations/list", "").await,
    ] {
        assert_eq!(answer.headers["x-content-type-options"], "nosniff");
        assert_eq!(answer.headers["x-frame-options"], "DENY");
        assert_eq!(answer.headers["referrer-policy"], "strict-origin-when-cross-origin");
        let csp = answer.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    }
    db.finish().await;
}

#[tokio::test]
async fn the_browser_bundle_is_revalidated_and_pages_are_not_marked() {
    let db = TestDb::sqlite().await;
    let app = app(&db.db);
    // Built or not, any file under /pkg/ (the main module and its split chunks) is revalidated.
    let bundle = common::get(&app, "/pkg/jesaisfaire.js").await;
    assert_eq!(bundle.headers["cache-control"], "no-cache", "{}", bundle.status);
    // A page is not: it is rendered for each request.
    let page = common::get(&app, "/").await;
    assert_eq!(page.status, 200);
    assert!(page
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page.headers.get("cache-control").is_none_or(|v| v != "no-cache"));
    db.finish().await;
}
