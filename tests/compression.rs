//! Bytes on the wire: the bundle's files are sent precompressed (the `.br` or `.gz` the release
//! build wrote) to browsers that accept them, pages and JSON compressed on the fly (zstd, Brotli
//! or gzip, as the browser accepts), and the
//! live-event stream never (it must reach the browser event by event).

mod common;

use axum::body::Body;
use axum::body::HttpBody as _;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::{app_at, site_root, state_at, TestDb};
use http_body_util::BodyExt;
use jesaisfaire::server::demo;
use std::io::Read;
use tower::ServiceExt;

const BROWSER: &str = "gzip, deflate, br, zstd";

async fn fetch(app: &axum::Router, uri: &str, accept: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

fn encoding(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn bundle_files_are_sent_precompressed_and_pages_compressed_on_the_fly() {
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let site = site_root();
    let pkg = site.path().join("pkg");
    // Stand-ins for what `scripts/build.sh` writes: distinct bytes, so that the
    // test sees which file was sent.
    std::fs::write(pkg.join("jesaisfaire_bg.wasm"), b"\0asm plain module").unwrap();
    std::fs::write(pkg.join("jesaisfaire_bg.wasm.br"), b"brotli copy").unwrap();
    std::fs::write(pkg.join("jesaisfaire_bg.wasm.gz"), b"gzip copy").unwrap();
    let app = app_at(&db.db, site.path(), "http://127.0.0.1:3000");

    let (status, headers, body) = fetch(&app, "/pkg/jesaisfaire_bg.wasm", Some(BROWSER)).await;
    assert_eq!(status, 200);
    assert_eq!(encoding(&headers), Some("br"));
    assert_eq!(body, b"brotli copy");
    assert!(
        headers[header::VARY].to_str().unwrap().contains("accept-encoding"),
        "{headers:?}"
    );
    assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let (_, headers, body) = fetch(&app, "/pkg/jesaisfaire_bg.wasm", Some("gzip")).await;
    assert_eq!(
        (encoding(&headers), body.as_slice()),
        (Some("gzip"), b"gzip copy".as_slice())
    );
    let (_, headers, body) = fetch(&app, "/pkg/jesaisfaire_bg.wasm", None).await;
    assert_eq!(
        (encoding(&headers), body.as_slice()),
        (None, b"\0asm plain module".as_slice())
    );

    // A page: gzip on the fly, and it decompresses to the page.
    let (status, headers, body) = fetch(&app, "/besoins", Some("gzip")).await;
    assert_eq!(status, 200);
    assert_eq!(encoding(&headers), Some("gzip"));
    let mut page = String::new();
    flate2::read::GzDecoder::new(body.as_slice())
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.contains("Besoins à venir"), "{page}");
    let (_, plain_headers, plain) = fetch(&app, "/besoins", None).await;
    assert_eq!(encoding(&plain_headers), None);
    assert!(
        body.len() * 3 < plain.len(),
        "{} compressed, {} plain",
        body.len(),
        plain.len()
    );
    // What Chromium and Firefox accept: zstd (cheapest to compress on the fly); Safari's br, gzip:
    // Brotli. Both decompress to the page.
    let (_, headers, body) = fetch(&app, "/besoins", Some(BROWSER)).await;
    assert_eq!(encoding(&headers), Some("zstd"));
    let page = String::from_utf8(zstd::decode_all(body.as_slice()).unwrap()).unwrap();
    assert!(page.contains("Besoins à venir"), "{page}");
    assert!(
        body.len() * 2 < plain.len(),
        "{} in zstd, {} plain",
        body.len(),
        plain.len()
    );
    let (_, headers, body) = fetch(&app, "/besoins", Some("gzip, deflate, br")).await;
    assert_eq!(encoding(&headers), Some("br"));
    let mut page = String::new();
    brotli_decompressor::Decompressor::new(body.as_slice(), 4096)
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.contains("Besoins à venir"), "{page}");

    // The live-event stream: never compressed (only its head is read: it does not end).
    let open: i64 = sqlx::query_scalar("select id from consultations where title like 'Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let request = Request::get(format!("/consultations/{open}/evenements"))
        .header(header::ACCEPT_ENCODING, BROWSER)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
    assert_eq!(encoding(response.headers()), None);
    drop(response);
    db.finish().await;
}

/// A page is built and compressed while its render permit is held, then sent from its bytes:
/// the answer's body is complete (its exact size known) when the answer comes, and every permit
/// is back (a page built as its body is read kept no permit while it was built).
#[tokio::test]
async fn a_page_is_built_and_compressed_before_its_permit_is_given_back() {
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let site = site_root();
    let state = state_at(&db.db, site.path(), "http://127.0.0.1:3000");
    let permits = state.renders.available_permits();
    let app = jesaisfaire::server::http::router(state.clone(), 4 * 1024 * 1024);
    let request = Request::get("/besoins")
        .header(header::ACCEPT_ENCODING, BROWSER)
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(encoding(response.headers()), Some("zstd"));
    assert_eq!(state.renders.available_permits(), permits);
    let size = response
        .body()
        .size_hint()
        .exact()
        .expect("a page is sent from its bytes");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(bytes.len() as u64, size);
    let page = String::from_utf8(zstd::decode_all(&bytes[..]).unwrap()).unwrap();
    assert!(page.contains("Besoins à venir"), "{page}");
    db.finish().await;
}
