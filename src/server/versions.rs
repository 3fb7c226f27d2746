//! Published versions made readable, once: parsed with their fixed clause ids, rendered and
//! sanitised in parts (one per clause), with the plain text each contribution anchors on. A
//! version never changes after publication, so (consultation, number) is a safe key; the cache
//! lives in `AppState` (one per server), bounded in bytes, and is filled on the blocking pool.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::db::consultations::SpecVersionRow;
use super::failure::OrInternal;
use super::render;
use crate::domain::anchor;
use crate::domain::contribution::{Target, TargetKind};
use crate::domain::criteria::Criterion;
use crate::domain::markdown::RenderedPart;
use crate::error::AppError;
use crate::model::OutlineEntry;

/// A version as the pages and the anchoring read it.
#[derive(Debug)]
pub struct ReadableVersion {
    pub number: i64,
    pub outline: Vec<OutlineEntry>,
    /// Sanitised HTML: the preamble, then one part per clause.
    pub parts: Vec<RenderedPart>,
    pub texts: VersionTexts,
}

impl ReadableVersion {
    /// Parses and renders a version: milliseconds to a second of CPU for a long text, so call it
    /// on the blocking pool (see [`VersionCache::get`]).
    pub fn of(row: &SpecVersionRow) -> ReadableVersion {
        let spec = row.specification();
        let parts = render::version_parts(&row.markdown, &spec);
        let outline = spec
            .clauses
            .iter()
            .map(|c| OutlineEntry {
                clause_id: c.id.clone(),
                // "Article 544" already says its number: do not show "544 Article 544".
                number: c.shown_number().map(str::to_owned),
                title: c.title.clone(),
                level: c.level,
            })
            .collect();
        let labels: HashMap<&str, String> = spec.clauses.iter().map(|c| (c.id.as_str(), c.label())).collect();
        let clauses = parts
            .iter()
            .filter_map(|part| {
                let id = part.clause_id.clone()?;
                let label = labels.get(id.as_str()).cloned().unwrap_or_default();
                let text = anchor::html_text(&part.html);
                Some((id, Labelled { label, text }))
            })
            .collect();
        let criteria = row
            .criteria()
            .iter()
            .map(|c| {
                let labelled = Labelled {
                    label: c.name.clone(),
                    text: criterion_text(c),
                };
                (c.id.clone(), labelled)
            })
            .collect();
        ReadableVersion {
            number: row.number,
            outline,
            parts,
            texts: VersionTexts {
                number: row.number,
                clauses,
                criteria,
            },
        }
    }

    /// Approximate memory held, for the cache's bound.
    fn bytes(&self) -> usize {
        let parts: usize = self.parts.iter().map(|p| p.html.len() + 64).sum();
        let texts: usize = (self.texts.clauses.values().chain(self.texts.criteria.values()))
            .map(|l| l.label.len() + l.text.len() + 64)
            .sum();
        parts + texts + self.outline.len() * 96
    }
}

/// The texts contributions anchor on in one version: each clause's text (see `domain::anchor`)
/// and each criterion's, with the heading or name to show.
#[derive(Debug, Default)]
pub struct VersionTexts {
    pub number: i64,
    clauses: HashMap<String, Labelled>,
    criteria: HashMap<String, Labelled>,
}

#[derive(Debug)]
struct Labelled {
    label: String,
    text: String,
}

impl VersionTexts {
    /// The label and text of a clause or criterion, if this version has it.
    pub fn get(&self, target: &Target) -> Option<(&str, &str)> {
        let map = match target.kind {
            TargetKind::Clause => &self.clauses,
            TargetKind::Criterion => &self.criteria,
        };
        map.get(&target.id).map(|l| (l.label.as_str(), l.text.as_str()))
    }

    /// The label of a clause or a criterion of this version, by id (minutes link either).
    pub fn label_of(&self, id: &str) -> Option<&str> {
        self.clauses
            .get(id)
            .or_else(|| self.criteria.get(id))
            .map(|l| l.label.as_str())
    }
}

/// What a contribution on a criterion is compared on from one version to the next.
fn criterion_text(c: &Criterion) -> String {
    anchor::normalize(&format!("{} — {} % — {}", c.name, c.weight, c.description))
}

/// Readable versions by (consultation, number), the least recently used dropped first once
/// their total size passes the bound. A version missing from the cache is read and rendered once
/// however many requests ask for it at the same moment: the others wait for that one (after a
/// restart under load, 50 writers on the Code civil used to render it 50 times at once, about
/// 150 MiB of memory kept by the allocator afterwards).
#[derive(Debug)]
pub struct VersionCache {
    max_bytes: usize,
    inner: Mutex<Entries>,
    /// Versions rendered since the start (for the tests and the benchmarks).
    renders: AtomicUsize,
}

/// A version being read and rendered, shared by everyone who asked for it meanwhile.
type Pending = Arc<tokio::sync::OnceCell<Option<Arc<ReadableVersion>>>>;

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<(i64, i64), Arc<ReadableVersion>>,
    /// Keys, least recently used first.
    order: VecDeque<(i64, i64)>,
    bytes: usize,
    pending: HashMap<(i64, i64), Pending>,
}

impl VersionCache {
    /// 256 MiB: a few dozen long versions, hundreds of ordinary ones.
    pub const DEFAULT_BYTES: usize = 256 << 20;

    pub fn new(max_bytes: usize) -> VersionCache {
        VersionCache {
            max_bytes,
            inner: Mutex::default(),
            renders: AtomicUsize::new(0),
        }
    }

    /// How many versions were rendered since the start.
    pub fn renders(&self) -> usize {
        self.renders.load(Ordering::Relaxed)
    }

    /// The readable form of a version, rendered on the blocking pool on first use.
    pub async fn get(&self, consultation_id: i64, row: SpecVersionRow) -> Result<Arc<ReadableVersion>, AppError> {
        self.once((consultation_id, row.number), || async move { Ok(Some(row)) })
            .await?
            .ok_or_else(|| super::failure::internal("rendering a version", "no version"))
    }

    /// Version `number` of a consultation (the latest when `None`), or `None` if it has no such
    /// version. Only its number is read from the database when the version is cached: the hot
    /// paths (the board of every page, every new contribution) no longer fetch a text of up to
    /// 2 MB to find it is the one they already have.
    pub async fn numbered(
        &self,
        pool: &sqlx::AnyPool,
        consultation_id: i64,
        number: Option<i64>,
    ) -> Result<Option<Arc<ReadableVersion>>, AppError> {
        let number = match number {
            Some(n) => n,
            None => match super::db::consultations::latest_version_number(pool, consultation_id)
                .await
                .or_internal("reading a version")?
            {
                Some(n) => n,
                None => return Ok(None),
            },
        };
        self.once((consultation_id, number), || async move {
            super::db::consultations::version(pool, consultation_id, Some(number))
                .await
                .or_internal("reading a version")
        })
        .await
    }

    /// The cached version `key`, or the one `read` returns, rendered: read and rendered once for
    /// all the requests that ask for it until it is in the cache.
    async fn once<F, Fut>(&self, key: (i64, i64), read: F) -> Result<Option<Arc<ReadableVersion>>, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Option<SpecVersionRow>, AppError>>,
    {
        if let Some(found) = self.lookup(key) {
            return Ok(Some(found));
        }
        let pending = {
            let mut entries = self.inner.lock().or_internal("the version cache")?;
            entries.pending.entry(key).or_default().clone()
        };
        let outcome = pending
            .get_or_try_init(|| async move {
                let Some(row) = read().await? else {
                    return Ok(None);
                };
                let readable = tokio::task::spawn_blocking(move || Arc::new(ReadableVersion::of(&row)))
                    .await
                    .or_internal("rendering a version")?;
                self.renders.fetch_add(1, Ordering::Relaxed);
                Ok::<_, AppError>(Some(readable))
            })
            .await
            .cloned();
        // The version goes into the cache before its pending entry is forgotten: a request
        // arriving in between finds one or the other, never neither (it would render it again).
        // A failed read is forgotten, so that the next request tries again.
        if let Ok(Some(readable)) = &outcome {
            self.insert(key, readable.clone());
        }
        if let Ok(mut entries) = self.inner.lock() {
            if entries.pending.get(&key).is_some_and(|p| Arc::ptr_eq(p, &pending)) {
                entries.pending.remove(&key);
            }
        }
        outcome
    }

    /// [`get`](Self::get) from code already on a blocking thread (the demo data).
    pub fn get_blocking(&self, consultation_id: i64, row: &SpecVersionRow) -> Arc<ReadableVersion> {
        let key = (consultation_id, row.number);
        if let Some(found) = self.lookup(key) {
            return found;
        }
        let readable = Arc::new(ReadableVersion::of(row));
        self.renders.fetch_add(1, Ordering::Relaxed);
        self.insert(key, readable.clone());
        readable
    }

    fn lookup(&self, key: (i64, i64)) -> Option<Arc<ReadableVersion>> {
        let mut entries = self.inner.lock().ok()?;
        let found = entries.map.get(&key).cloned()?;
        if let Some(at) = entries.order.iter().position(|k| *k == key) {
            entries.order.remove(at);
        }
        entries.order.push_back(key);
        Some(found)
    }

    fn insert(&self, key: (i64, i64), readable: Arc<ReadableVersion>) {
        let size = readable.bytes();
        // A version larger than the whole cache is served without being kept.
        if size > self.max_bytes {
            return;
        }
        let Ok(mut entries) = self.inner.lock() else {
            return;
        };
        if entries.map.contains_key(&key) {
            return;
        }
        while entries.bytes + size > self.max_bytes {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            if let Some(dropped) = entries.map.remove(&oldest) {
                entries.bytes -= dropped.bytes();
            }
        }
        entries.bytes += size;
        entries.order.push_back(key);
        entries.map.insert(key, readable);
    }
}

impl Default for VersionCache {
    fn default() -> Self {
        VersionCache::new(VersionCache::DEFAULT_BYTES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: i64, text: &str) -> SpecVersionRow {
        SpecVersionRow {
            number,
            markdown: text.to_owned(),
            changelog: String::new(),
            published_at: 0,
            clause_ids: String::new(),
            criteria: "[]".into(),
            author_name: None,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_version_asked_for_by_many_at_once_is_rendered_once() {
        // Long enough that its rendering takes a while: every request arrives while it runs.
        let text: String = (1..=2000)
            .map(|n| format!("## {n} Article {n}\n\nLe titulaire assure la prestation {n} dans les délais.\n\n"))
            .collect();
        let cache = Arc::new(VersionCache::default());
        let requests: Vec<_> = (0..50)
            .map(|_| {
                let (cache, row) = (cache.clone(), row(1, &text));
                tokio::spawn(async move { cache.get(7, row).await.unwrap() })
            })
            .collect();
        let mut versions = Vec::new();
        for request in requests {
            versions.push(request.await.unwrap());
        }
        assert_eq!(cache.renders(), 1, "rendered once for 50 requests");
        assert!(versions.windows(2).all(|w| Arc::ptr_eq(&w[0], &w[1])));
        assert_eq!(versions[0].outline.len(), 2000);
        assert!(cache.inner.lock().unwrap().pending.is_empty(), "nothing left pending");
        // Later requests use the cache; another version is rendered once more.
        cache.get(7, row(1, &text)).await.unwrap();
        cache.get(7, row(2, &text)).await.unwrap();
        assert_eq!(cache.renders(), 2);
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept_and_the_next_request_reads_again() {
        let cache = VersionCache::default();
        let failed = cache
            .once((7, 1), || async { Err(AppError::not_found("Cette version")) })
            .await;
        assert!(failed.is_err());
        let missing = cache.once((7, 1), || async { Ok(None) }).await.unwrap();
        assert!(missing.is_none(), "a version that does not exist is not invented");
        let found = cache
            .once((7, 1), || async { Ok(Some(row(1, "## 1 Objet\n\nTonte.\n"))) })
            .await
            .unwrap();
        assert_eq!(found.unwrap().outline.len(), 1);
        assert_eq!(cache.renders(), 1);
        assert!(cache.inner.lock().unwrap().pending.is_empty());
    }

    #[test]
    fn the_cache_keeps_what_fits_and_drops_the_least_recently_used() {
        let one = ReadableVersion::of(&row(1, "## 1 Objet\n\nTonte des pelouses.\n"));
        let size = one.bytes();
        assert!(size > 0);
        let cache = VersionCache::new(size * 2 + size / 2);
        for n in 1..=2 {
            cache.get_blocking(7, &row(n, "## 1 Objet\n\nTonte des pelouses.\n"));
        }
        cache.lookup((7, 1)).expect("1 still there");
        cache.get_blocking(7, &row(3, "## 1 Objet\n\nTonte des pelouses.\n"));
        assert!(cache.lookup((7, 2)).is_none(), "2 was the least recently used");
        assert!(cache.lookup((7, 1)).is_some() && cache.lookup((7, 3)).is_some());
        let entries = cache.inner.lock().unwrap();
        assert!(entries.bytes <= size * 2 + size / 2);
        assert_eq!(entries.map.len(), entries.order.len());
    }

    #[test]
    fn a_version_knows_its_clause_texts_and_outline() {
        let v = ReadableVersion::of(&row(
            2,
            "## 1 Objet\n\nTonte **des** pelouses.\n\n## 2 Périmètre\n\nTrois sites.\n",
        ));
        assert_eq!(v.outline.len(), 2);
        let id = v.outline[0].clause_id.clone();
        let (label, text) = v
            .texts
            .get(&Target {
                kind: TargetKind::Clause,
                id,
            })
            .unwrap();
        assert!(label.contains("Objet"), "{label}");
        assert!(text.contains("Tonte des pelouses"), "{text}");
    }
}
