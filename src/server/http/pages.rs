//! Pages served again from their bytes while nothing they show has changed.
//!
//! Rendering the consultation page of 100 clauses and 300 contributions costs about 20 ms of CPU,
//! so two cores build about a hundred a second however the page is built. A page is therefore
//! kept, compressed, under a key that holds everything it was built from:
//! - who asks (the session, or nobody): a page is never served to anyone else;
//! - the address with its query, and the encodings the browser accepts;
//! - the data's generation, a counter raised in the transaction of every change to a table that a
//!   page shows (migration `0016_data_generation.sql`), so any change, on any app server sharing
//!   the database, makes every kept page a miss;
//! - the minute of the clock (phases open and close with time).
//!
//! Only the pages listed in [`cacheable`] are kept: they read nothing but those tables, the
//! session and the clock. Reading them still leaves its line in the access register: the lines a
//! page wrote when it was built are kept with it and written again at each serve
//! ([`PageAccesses`]).
//!
//! A kept page is sent with the same bytes, so it cannot carry a fresh nonce: the policy of every
//! page built here names its inline scripts by their SHA-256 instead ([`script_policy`]). Only
//! the scripts that carry the nonce of the build are named, so markup injected into the page
//! (which cannot know that nonce) stays refused, as with a nonce.

use axum::body::Bytes;
use axum::http::{HeaderMap, Response, StatusCode};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use super::security::ScriptPolicy;
use crate::domain::record::AccessKind;

/// Whether a request is for a page this cache may keep: the catalogue, a consultation (latest or
/// given version) and its comparison, read with GET.
pub fn cacheable(method: &http::Method, path: &str) -> bool {
    if method != http::Method::GET {
        return false;
    }
    if path == "/" {
        return true;
    }
    let Some(rest) = path.strip_prefix("/consultations/") else {
        return false;
    };
    let mut segments = rest.split('/');
    let number =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()));
    if !number(segments.next()) {
        return false;
    }
    match (segments.next(), segments.next(), segments.next()) {
        (None, ..) | (Some("comparer"), None, _) => true,
        (Some("versions"), n, None) => number(n),
        _ => false,
    }
}

/// Everything a kept page was built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageKey {
    /// The hash of the session token, empty for a visitor who is not signed in.
    pub viewer: String,
    pub uri: String,
    pub accept_encoding: String,
    pub generation: i64,
    pub minute: i64,
}

impl PageKey {
    fn bytes(&self) -> usize {
        self.viewer.len() + self.uri.len() + self.accept_encoding.len() + 64
    }
}

/// A read of the access register made while a page was built, to be made again at each serve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageAccess {
    pub consultation_id: i64,
    pub kind: AccessKind,
    pub version: Option<i64>,
    pub detail: String,
}

/// Where `access_register::record_access` notes the reads of the page being built (given to the
/// render through the request's extensions and the Leptos context).
#[derive(Clone, Debug, Default)]
pub struct PageAccesses(Arc<Mutex<Vec<PageAccess>>>);

impl PageAccesses {
    pub fn note(&self, access: PageAccess) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(access);
    }

    pub fn taken(&self) -> Vec<PageAccess> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A page as it was sent: status 200, its headers (type, encoding, `Vary`), its compressed body,
/// its script policy and the reads to record again.
#[derive(Debug)]
pub struct KeptPage {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub policy: ScriptPolicy,
    pub accesses: Vec<PageAccess>,
}

impl KeptPage {
    fn bytes(&self) -> usize {
        self.body.len()
            + self.policy.0.len()
            + self
                .headers
                .iter()
                .map(|(k, v)| k.as_str().len() + v.len())
                .sum::<usize>()
            + self.accesses.iter().map(|a| a.detail.len() + 48).sum::<usize>()
    }

    pub fn response(&self) -> Response<axum::body::Body> {
        let mut response = Response::new(axum::body::Body::from(self.body.clone()));
        *response.status_mut() = StatusCode::OK;
        *response.headers_mut() = self.headers.clone();
        response.extensions_mut().insert(self.policy.clone());
        response
    }
}

/// The policy naming, by hash, every inline script of `html` that carries `nonce`.
pub fn script_policy(html: &[u8], nonce: &str) -> ScriptPolicy {
    let mut sources = String::new();
    for script in nonced_scripts(html, nonce) {
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
        sources.push_str(&format!(" 'sha256-{digest}'"));
    }
    ScriptPolicy(super::security::content_security_policy_with(sources.trim_start()))
}

/// The text of each inline `<script>` whose start tag carries `nonce="{nonce}"`. Text typed by
/// people reaches the page escaped, so the only `<script` in it are the page's own. Searched as
/// text (`str::find`): a byte-by-byte window search took tens of milliseconds on the Code civil's
/// 5.7 MB page. A page that is not UTF-8 (never the case) gets no script allowed; the check is
/// simdutf8's (std's took about 2 % of building the Code civil page, measured with `perf`).
fn nonced_scripts<'a>(html: &'a [u8], nonce: &str) -> Vec<&'a [u8]> {
    let Ok(html) = simdutf8::basic::from_utf8(html) else {
        return Vec::new();
    };
    let attribute = format!("nonce=\"{nonce}\"");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let (tag, body) = (&after[..tag_end], &after[tag_end + 1..]);
        let Some(body_end) = body.find("</script>") else { break };
        if tag.contains(&attribute) && !tag.contains(" src=") {
            found.push(&body.as_bytes()[..body_end]);
        }
        rest = &body[body_end..];
    }
    found
}

/// The pages kept, at most `capacity` bytes of them (keys included); the oldest go first, and
/// every page of an older generation goes as soon as a newer one is kept.
#[derive(Debug)]
pub struct PageCache {
    capacity: usize,
    inner: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    pages: HashMap<PageKey, Arc<KeptPage>>,
    order: VecDeque<PageKey>,
    bytes: usize,
    generation: i64,
}

impl Default for PageCache {
    fn default() -> PageCache {
        PageCache::new(PageCache::DEFAULT_BYTES)
    }
}

impl PageCache {
    /// Room for 800 consultation pages of 20 KB, or 35 Code civil pages. A kept page serves
    /// only its own session, and only within its minute (see [`PageKey`]): 800 pages asked again
    /// within the minute is far more than sourcing traffic. 32 MiB before session 30, where the
    /// load benchmark filled them with pages never asked again and left the server at 202 MiB.
    pub const DEFAULT_BYTES: usize = 16 * 1024 * 1024;

    pub fn new(capacity: usize) -> PageCache {
        PageCache {
            capacity,
            inner: Mutex::default(),
        }
    }

    /// A cache of no room keeps nothing, and pages are then not even looked up.
    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    pub fn get(&self, key: &PageKey) -> Option<Arc<KeptPage>> {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pages
            .get(key)
            .cloned()
    }

    /// Keeps a page (too large a page, or one of a generation already past, is not kept).
    pub fn keep(&self, key: PageKey, page: KeptPage) {
        let size = key.bytes() + page.bytes();
        if size > self.capacity / 4 {
            return;
        }
        let mut kept = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if key.generation < kept.generation {
            return;
        }
        if key.generation > kept.generation {
            kept.generation = key.generation;
            let stale: Vec<PageKey> = kept
                .order
                .iter()
                .filter(|k| k.generation < key.generation)
                .cloned()
                .collect();
            for k in stale {
                kept.remove(&k);
            }
        }
        kept.remove(&key);
        while kept.bytes + size > self.capacity {
            let Some(oldest) = kept.order.front().cloned() else {
                break;
            };
            kept.remove(&oldest);
        }
        kept.bytes += size;
        kept.order.push_back(key.clone());
        kept.pages.insert(key, Arc::new(page));
    }

    /// Bytes held (for the tests).
    pub fn bytes(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).bytes
    }
}

impl Kept {
    fn remove(&mut self, key: &PageKey) {
        if let Some(page) = self.pages.remove(key) {
            self.bytes -= key.bytes() + page.bytes();
            self.order.retain(|k| k != key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(viewer: &str, generation: i64) -> PageKey {
        PageKey {
            viewer: viewer.into(),
            uri: "/consultations/1".into(),
            accept_encoding: "br".into(),
            generation,
            minute: 0,
        }
    }

    fn page(bytes: usize) -> KeptPage {
        KeptPage {
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; bytes]),
            policy: ScriptPolicy(String::new()),
            accesses: Vec::new(),
        }
    }

    #[test]
    fn only_the_listed_pages_read_with_get_are_kept() {
        let get = http::Method::GET;
        for path in [
            "/",
            "/consultations/5",
            "/consultations/5/comparer",
            "/consultations/5/versions/2",
        ] {
            assert!(cacheable(&get, path), "{path}");
        }
        for path in [
            "/connexion",
            "/consultations/5/registres",
            "/consultations/x",
            "/consultations/",
            "/consultations/5/versions/",
            "/consultations/5/versions/2/x",
            "/consultations/5/comparer/x",
            "/consultations/5/rediger",
        ] {
            assert!(!cacheable(&get, path), "{path}");
        }
        assert!(!cacheable(&http::Method::POST, "/consultations/5"));
    }

    #[test]
    fn a_newer_generation_drops_the_older_pages_and_the_size_stays_bounded() {
        let cache = PageCache::new(100_000);
        cache.keep(key("a", 1), page(10_000));
        cache.keep(key("b", 1), page(10_000));
        assert!(cache.get(&key("a", 1)).is_some());
        assert!(cache.get(&key("a", 2)).is_none(), "another generation is another page");
        cache.keep(key("a", 2), page(10_000));
        assert!(cache.get(&key("b", 1)).is_none(), "the older generation is gone");
        cache.keep(key("c", 1), page(10_000));
        assert!(
            cache.get(&key("c", 1)).is_none(),
            "a page of a past generation is not kept"
        );
        for i in 0..50 {
            cache.keep(key(&format!("v{i}"), 2), page(10_000));
            assert!(cache.bytes() <= 100_000);
        }
        assert!(cache.get(&key("v49", 2)).is_some(), "the newest stays");
        assert!(cache.get(&key("a", 2)).is_none(), "the oldest went first");
        cache.keep(key("big", 2), page(60_000));
        assert!(
            cache.get(&key("big", 2)).is_none(),
            "a page above a quarter of the room is not kept"
        );
    }

    #[test]
    fn the_policy_names_only_the_scripts_of_the_build() {
        let html = br#"<head><script type="module" nonce="N1">import('a')</script><script src="/pkg/x.js" nonce="N1"></script></head>
<body><p>&lt;script&gt;</p><script nonce="N2">alert(1)</script><script>alert(2)</script><script nonce="N1">data=1</script></body>"#;
        let scripts = nonced_scripts(html, "N1");
        assert_eq!(scripts, vec![&b"import('a')"[..], &b"data=1"[..]]);
        let ScriptPolicy(policy) = script_policy(html, "N1");
        let hash = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s));
        assert!(
            policy.contains(&format!("'sha256-{}'", hash(b"import('a')"))),
            "{policy}"
        );
        assert!(policy.contains(&format!("'sha256-{}'", hash(b"data=1"))), "{policy}");
        assert!(!policy.contains(&hash(b"alert(1)")) && !policy.contains(&hash(b"alert(2)")));
        assert!(!policy.contains("nonce"), "{policy}");
        assert!(policy.contains("script-src 'self' 'sha256-"), "{policy}");
    }
}
