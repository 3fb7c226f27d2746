//! The defences of the HTTP stack that issue 14 found missing or broken: the fallback policy,
//! HSTS, no caching of personal answers, malformed arguments, forged form errors, the limit of
//! live streams, sign-in guesses counted before checking. (Each page's own nonce policy under
//! concurrent traffic: `tests/concurrency.rs`.)

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::{app, app_at, call, call_as, form, get, get_as, policy_nonce, send, sign_in, site_root, TestDb};
use jesaisfaire::error::{AppError, MALFORMED_REQUEST};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use tower::ServiceExt;

/// Anything that is not a page runs nothing, and an unknown page gets its own nonce policy too.
#[tokio::test]
async fn the_fallback_policy_blocks_scripts() {
    let db = TestDb::sqlite().await;
    let app = app(&db.db);
    let api = call(&app, "consultations/list", "").await;
    let policy = api.headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("script-src 'none'"), "{policy}");
    let missing = get(&app, "/nulle-part").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page introuvable"), "{}", missing.body);
    let policy = missing.headers["content-security-policy"].to_str().unwrap();
    assert!(policy_nonce(policy).is_some(), "{policy}");
    db.finish().await;
}

#[tokio::test]
async fn https_sites_send_strict_transport_security() {
    let db = TestDb::sqlite().await;
    let secure = app_at(
        &db.db,
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")),
        "https://jesaisfaire.example.fr",
    );
    let answer = get(&secure, "/healthz").await;
    assert_eq!(
        answer.headers["strict-transport-security"], "max-age=63072000; includeSubDomains",
        "{:?}",
        answer.headers
    );
    let plain = get(&app(&db.db), "/healthz").await;
    assert!(
        plain.headers.get("strict-transport-security").is_none(),
        "not over plain HTTP"
    );
    db.finish().await;
}

/// What a signed-in person sees is kept by no cache; the public catalogue and the bundle may be.
#[tokio::test]
async fn personal_answers_are_not_stored() {
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let root = site_root();
    let app = app_at(&db.db, root.path(), "http://127.0.0.1:3000");
    let buyer = sign_in(&app, "acheteuse@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    for page in ["/acheteur", "/", "/compte", "/consultations/1/contributions.csv"] {
        let answer = get_as(&app, Some(&buyer), page).await;
        assert_eq!(answer.headers["cache-control"], "private, no-store", "{page}");
    }
    let api = call_as(&app, Some(&buyer), "consultations/mine", "").await;
    assert_eq!(api.headers["cache-control"], "private, no-store");
    let bundle = get_as(&app, Some(&buyer), "/pkg/jesaisfaire.js").await;
    assert_eq!(
        bundle.headers["cache-control"], "no-cache",
        "the bundle is the same for all"
    );
    let public = get(&app, "/").await;
    assert!(public
        .headers
        .get("cache-control")
        .is_none_or(|v| v != "private, no-store"));
    db.finish().await;
}

/// Arguments that cannot be decoded get 422 and one French sentence, for every server function
/// (before: 500, with serde's words in 21 cases).
#[tokio::test]
async fn malformed_arguments_get_a_clear_refusal() {
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let answer = call(&app, "consultations/get", "id=pas-un-nombre").await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    let error: AppError = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(error, AppError::Invalid(MALFORMED_REQUEST.into()));

    let mut refused = 0;
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        let endpoint = path.trim_start_matches("/api/");
        for body in [
            "id=pas-un-nombre&version=x&plan=y&done=peut-etre&status=1&to=2",
            r#"{"id": "pas-un-nombre", "settings": 3"#,
        ] {
            let answer = call(&app, endpoint, body).await;
            let status = answer.status.as_u16();
            assert!(status < 500, "{endpoint} with {body:?}: {status} {}", answer.body);
            for internal in [
                "serde",
                "invalid type",
                "expected ",
                "missing field",
                "deserializ",
                "at line",
            ] {
                assert!(
                    status < 400 || !answer.body.contains(internal),
                    "{endpoint} told {internal:?}: {}",
                    answer.body
                );
            }
            if status == 422 && answer.body.contains("mal formée") {
                refused += 1;
            }
        }
    }
    assert!(refused >= 30, "only {refused} refusals for malformed arguments");
    // A server function that does not exist: 404, in French.
    let unknown = call(&app, "nulle-part", "").await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert!(unknown.body.contains("introuvable"), "{}", unknown.body);
    db.finish().await;
}

/// URL-safe base64 with padding, as leptos encodes a form error in `__err`.
fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A crafted link cannot make a form show a message of the attacker's choosing; the errors the
/// server itself produced for a form posted without JavaScript are still shown.
#[tokio::test]
async fn only_errors_the_server_produced_are_shown_in_a_form() {
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let forged = serde_json::to_vec(&AppError::Invalid(
        "Votre compte est suspendu : appelez le 01 23 45 67 89".into(),
    ))
    .unwrap();
    let link = format!(
        "/connexion?__path=%2Fapi%2Faccount%2Fsign-in&__err={}",
        base64_url(&forged)
    );
    let page = get(&app, &link).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("appelez le 01 23"), "the forged message is shown");
    let with_forged_signature = get(&app, &format!("{link}&__sig=99999999999.abcdef")).await;
    assert!(!with_forged_signature.body.contains("appelez le 01 23"));

    // A sign-in posted by a browser without JavaScript, with a wrong password.
    let post = Request::builder()
        .method(Method::POST)
        .uri("/api/account/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", "http://127.0.0.1:3000/connexion")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form(&[
            ("email", "acheteuse@demo.jesaisfaire.fr"),
            ("password", "pas le bon"),
        ])))
        .unwrap();
    let answer = send(&app, post).await;
    assert!(answer.status.is_redirection(), "{} {}", answer.status, answer.body);
    let location = answer.headers["location"].to_str().unwrap();
    assert!(location.contains("__err=") && location.contains("__sig="), "{location}");
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    let page = get(&app, path).await;
    assert!(
        page.body.contains("Adresse e-mail ou mot de passe incorrect"),
        "the server's own error is shown: {}",
        page.body
    );
    db.finish().await;
}

/// A client may keep only so many live streams open; closing one frees its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_streams_are_limited_per_client() {
    use jesaisfaire::server::http::live::MAX_STREAMS_PER_CLIENT;
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let open = || {
        let mut request = Request::get("/consultations/1/evenements").body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [192, 0, 2, 1],
                4000,
            ))));
        app.clone().oneshot(request)
    };
    let mut streams = Vec::new();
    for _ in 0..MAX_STREAMS_PER_CLIENT {
        let response = open().await.unwrap();
        assert_eq!(response.status(), 200);
        streams.push(response);
    }
    let refused = open().await.unwrap();
    assert_eq!(refused.status(), 429);
    let body = axum::body::to_bytes(refused.into_body(), 4096).await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("fermez-en"), "a French reason");
    // Another client is not affected.
    let mut other = Request::get("/consultations/1/evenements").body(Body::empty()).unwrap();
    other
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [192, 0, 2, 2],
            4000,
        ))));
    assert_eq!(app.clone().oneshot(other).await.unwrap().status(), 200);
    streams.pop();
    assert_eq!(open().await.unwrap().status(), 200, "a closed stream frees its place");
    db.finish().await;
}

/// 50 wrong passwords for one account at once: the attempts are counted before any password is
/// checked, so at most the limit (5) are checked; the rest are refused (defect D).
async fn guesses_are_counted_before_they_are_checked(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let guesses = (0..50).map(|_| {
        let app = app.clone();
        tokio::spawn(async move {
            let body = form(&[("email", "acheteuse@demo.jesaisfaire.fr"), ("password", "pas le bon")]);
            call(&app, "account/sign-in", &body).await.status.as_u16()
        })
    });
    let mut statuses = Vec::new();
    for guess in guesses.collect::<Vec<_>>() {
        statuses.push(guess.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(checked, 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 403).count(), 45, "{statuses:?}");
    // And the right password is refused too while the account is throttled.
    let right = call(
        &app,
        "account/sign-in",
        &form(&[("email", "acheteuse@demo.jesaisfaire.fr"), ("password", DEMO_PASSWORD)]),
    )
    .await;
    assert_eq!(right.status, 403, "{}", right.body);
    // Fifteen minutes later, it works again.
    db.db.clock().advance(15 * 60 + 1);
    let later = call(
        &app,
        "account/sign-in",
        &form(&[("email", "acheteuse@demo.jesaisfaire.fr"), ("password", DEMO_PASSWORD)]),
    )
    .await;
    assert!(
        later.status.is_success() || later.status.is_redirection(),
        "{}",
        later.body
    );
}

on_both_backends!(guesses_are_counted_before_they_are_checked);
