//! The headers and checks every response and request goes through: the content security policy
//! with a nonce of its own for each page, the other security headers, no caching of what a
//! signed-in person sees, cross-site writes refused, the status of server-function errors, and
//! form errors carried in URLs authenticated.

use super::super::AppState;
use crate::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The nonce of the page this request renders; the Leptos context gives it to the hydration
/// scripts (see `router`), and [`headers`] writes the same one into the policy.
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

/// The content security policy of a page the page cache may serve again (`pages::script_policy`),
/// written by [`headers`] instead of the nonce policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptPolicy(pub String);

/// The policy of an HTML page: scripts only from this site or carrying this response's nonce
/// (the hydration script is inline), WebAssembly allowed, nothing framed.
pub fn page_content_security_policy(nonce: &str) -> String {
    content_security_policy_with(&format!("'nonce-{nonce}'"))
}

/// The policy of an HTML page whose inline scripts are allowed by `scripts` (a nonce, or the
/// hashes of a page kept by `pages`).
pub fn content_security_policy_with(scripts: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {scripts} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Everything that is not a page (files, API answers, errors) never needs to run anything.
pub const STRICT_CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'";

/// Middleware: a fresh nonce for the request, then, on the way out, the headers of the response
/// computed from this request and this response only (no state shared between requests).
pub async fn headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let signed_in = super::super::auth::session::has_session_cookie(request.headers(), state.secure_cookies);
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let static_file = response.extensions().get::<super::files::StaticFile>().is_some();
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A page built by `render_gate` names its scripts by hash (it may be served again); any other
    // page carries this request's nonce.
    let kept_policy = response.extensions().get::<ScriptPolicy>().cloned();
    let headers = response.headers_mut();
    let policy = if let (true, Some(ScriptPolicy(policy))) = (html, kept_policy) {
        HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(STRICT_CONTENT_SECURITY_POLICY))
    } else if html {
        HeaderValue::from_str(&page_content_security_policy(&nonce))
            .unwrap_or(HeaderValue::from_static(STRICT_CONTENT_SECURITY_POLICY))
    } else {
        HeaderValue::from_static(STRICT_CONTENT_SECURITY_POLICY)
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if state.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    // What a signed-in person sees (pages, API answers, their files) is theirs: no shared cache
    // keeps it, and the browser does not keep it on disk after they sign out. Server-function
    // answers are never cached either.
    if !static_file && (signed_in || path.starts_with("/api/")) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    response
}

/// Middleware: refuses state-changing requests sent by another site (cross-site request
/// forgery): server functions are plain HTTP endpoints and browsers attach cookies to
/// cross-site form posts. Browsers send `Sec-Fetch-Site`; older ones at least send `Origin` on
/// POST.
pub async fn reject_cross_site_writes(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site write");
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Requête refusée : elle provient d'un autre site. Ouvrez JeSaisFaire directement et recommencez.",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none` is a navigation typed by the user; `same-site` is another subdomain, still refused.
        return !matches!(site, "same-origin" | "none");
    }
    match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or_default();
            let host = host.to_str().unwrap_or_default();
            // Origin is scheme://host[:port]; compare the authority with the Host header.
            origin.split_once("://").map(|(_, authority)| authority) != Some(host)
        }
        (Some(_), None) => true,
        // No Origin and no Sec-Fetch-Site: not a browser (curl, a script); cookies decide.
        (None, _) => false,
    }
}

/// Middleware (acts on `/api/`): a server-function error that leptos answered with a blanket 500
/// (arguments that do not decode, a missing field) gets the status of its kind (422 for an
/// invalid request); errors raised by the functions themselves already carry theirs.
pub async fn server_function_errors(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error bodies are a short JSON message.
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status_code()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// How long a form error stays showable after the server produced it.
const FORM_ERROR_SECONDS: i64 = 600;

/// Middleware (acts on `/api/`): when a form posted without JavaScript fails, leptos sends the browser
/// back to the form with the error in the URL (`?__path=…&__err=…`), and the page shows it. Such a
/// link can be forged to show any text in the form's error box, so the server signs the errors
/// it produces (`__sig`, valid 10 minutes) and [`strip_unsigned_form_errors`] drops the others.
pub async fn sign_form_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let mut response = next.run(request).await;
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| l.contains("__err="))
        .map(str::to_owned)
    else {
        return response;
    };
    let Some((path, err)) = form_error_of(&location) else {
        return response;
    };
    let Ok(key) = form_error_key(&state).await else {
        return response;
    };
    let issued = state.now();
    let signed = format!("{location}&__sig={issued}.{}", sign(&key, &path, &err, issued));
    match HeaderValue::from_str(&signed) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
        }
        Err(_) => {
            response.headers_mut().remove(header::LOCATION);
        }
    }
    response
}

/// Middleware for pages: a form error in the URL that this site did not sign for a form
/// submission in the last minutes is removed before the page is rendered.
pub async fn strip_unsigned_form_errors(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let query = request.uri().query().unwrap_or_default();
    if query.contains("__err") || query.contains("__path") {
        let uri = request.uri().clone();
        let authentic = match form_error_of(&uri.to_string()) {
            Some((path, err)) => match (query_value(query, "__sig"), form_error_key(&state).await) {
                (Some(sig), Ok(key)) => verify(&key, &path, &err, &sig, state.now()),
                _ => false,
            },
            None => false,
        };
        if !authentic {
            if let Some(cleaned) = without_form_error(&uri) {
                *request.uri_mut() = cleaned;
            }
        }
    }
    next.run(request).await
}

async fn form_error_key(state: &AppState) -> Result<[u8; 32], sqlx::Error> {
    state
        .form_error_key
        .get_or_try_init(|| async {
            let hex = crate::server::db::accounts::server_secret(&state.db, "form_error_key", || {
                crate::server::auth::token::generate()
            })
            .await?;
            let mut key = [0u8; 32];
            for (i, byte) in key.iter_mut().enumerate() {
                *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2).unwrap_or("00"), 16).unwrap_or(0);
            }
            Ok(key)
        })
        .await
        .copied()
}

/// The (decoded) `__path` and `__err` of a URL or path with a query.
fn form_error_of(url: &str) -> Option<(String, String)> {
    let query = url.split_once('?')?.1;
    Some((query_value(query, "__path")?, query_value(query, "__err")?))
}

fn query_value(query: &str, name: &str) -> Option<String> {
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(key) == name).then(|| percent_decode(value))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URI without `__path`, `__err` and `__sig`.
fn without_form_error(uri: &Uri) -> Option<Uri> {
    let query = uri.query().unwrap_or_default();
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = percent_decode(pair.split_once('=').map_or(*pair, |(k, _)| k));
            !matches!(key.as_str(), "__path" | "__err" | "__sig") && !pair.is_empty()
        })
        .collect();
    let path_and_query = if kept.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{}", uri.path(), kept.join("&"))
    };
    path_and_query.parse().ok()
}

fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut inner_key = [0x36u8; 64];
    let mut outer_key = [0x5cu8; 64];
    for (i, k) in key.iter().enumerate() {
        inner_key[i] ^= k;
        outer_key[i] ^= k;
    }
    let inner = Sha256::new().chain_update(inner_key).chain_update(message).finalize();
    Sha256::new()
        .chain_update(outer_key)
        .chain_update(inner)
        .finalize()
        .into()
}

fn sign(key: &[u8; 32], path: &str, err: &str, issued: i64) -> String {
    let mac = hmac_sha256(key, format!("{path}\n{err}\n{issued}").as_bytes());
    mac.iter().map(|b| format!("{b:02x}")).collect()
}

fn verify(key: &[u8; 32], path: &str, err: &str, signature: &str, now: i64) -> bool {
    let Some((issued, mac)) = signature.split_once('.') else {
        return false;
    };
    let Ok(issued) = issued.parse::<i64>() else {
        return false;
    };
    if !(now - FORM_ERROR_SECONDS..=now + 60).contains(&issued) {
        return false;
    }
    let expected = sign(key, path, err, issued);
    // Constant time: the comparison does not tell how much of a forged signature was right.
    expected.len() == mac.len() && expected.bytes().zip(mac.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        // RFC 4231 test case 2 uses a 4-byte key; HMAC pads keys with zeros to the block size,
        // which a 32-byte key padded with zeros reproduces.
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let mac = hmac_sha256(&key, b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn a_form_error_is_shown_only_when_signed_recently() {
        let key = [7u8; 32];
        let sig = format!("1000.{}", sign(&key, "/api/x", "abc", 1000));
        assert!(verify(&key, "/api/x", "abc", &sig, 1100));
        assert!(!verify(&key, "/api/x", "abd", &sig, 1100), "another message");
        assert!(!verify(&key, "/api/y", "abc", &sig, 1100), "another form");
        assert!(
            !verify(&key, "/api/x", "abc", &sig, 1000 + FORM_ERROR_SECONDS + 1),
            "expired"
        );
        assert!(!verify(&[8u8; 32], "/api/x", "abc", &sig, 1100), "another key");
        assert!(!verify(&key, "/api/x", "abc", "garbage", 1100));
    }

    #[test]
    fn unsigned_errors_are_removed_from_the_url() {
        let uri: Uri = "/connexion?__path=%2Fapi%2Faccount%2Fsign-in&__err=eyJ4Ijox&next=%2Fa"
            .parse()
            .unwrap();
        assert_eq!(without_form_error(&uri).unwrap(), "/connexion?next=%2Fa");
        let uri: Uri = "/connexion?__err=x".parse().unwrap();
        assert_eq!(without_form_error(&uri).unwrap(), "/connexion");
        assert_eq!(
            form_error_of("/c?__path=%2Fapi%2Fa&__err=e%3D"),
            Some(("/api/a".into(), "e=".into()))
        );
    }
}
