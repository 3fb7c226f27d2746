//! Carrying clause ids from one version to the next: by heading, by body, then by similar
//! bodies, so that contributions stay on their clause when it is renumbered or rewritten.

#[allow(unused_imports)]
use super::*;

pub(super) fn heading_key(c: &Clause) -> String {
    let mut key = String::with_capacity(c.title.len() + 8);
    normalize_into(&mut key, c.number.as_deref().unwrap_or(""));
    normalize_into(&mut key, &c.title);
    key
}

/// Gives the clauses at `indices` their natural id, or a `-2`, `-3` variant when it is taken.
/// Natural ids go first so that a duplicate never steals the id of a later original.
pub(super) fn assign_fresh_ids(clauses: &mut [Clause], indices: &[usize], used: &mut HashSet<Cow<'_, str>, FastHash>) {
    let natural: Vec<String> = indices.iter().map(|&i| clauses[i].natural_id()).collect();
    let mut pending = Vec::new();
    // Anchors first: they are the buyer's explicit choice.
    for anchored in [true, false] {
        for (k, &i) in indices.iter().enumerate() {
            if clauses[i].anchor.is_some() != anchored {
                continue;
            }
            if !used.contains(natural[k].as_str()) {
                used.insert(Cow::Owned(natural[k].clone()));
                clauses[i].id = natural[k].clone();
            } else {
                pending.push(k);
            }
        }
    }
    pending.sort_unstable();
    for k in pending {
        let id = (2..)
            .map(|n| format!("{}-{n}", natural[k]))
            .find(|id| !used.contains(id.as_str()));
        let id = id.expect("an unused suffix always exists");
        used.insert(Cow::Owned(id.clone()));
        clauses[indices[k]].id = id;
    }
}

/// Gives each clause of `next` the id of the clause it continues in `previous`, so that diffs
/// and annotations follow clauses across edits, renumbering and moves. In order: explicit
/// anchors; same heading (and same body first); same title under another number; same body;
/// similar body (word sets, greedy best first). Bodies match only with at least `MIN_WORDS`
/// words, so that boilerplate such as "Sans objet." links nothing. Clauses left get a fresh id
/// that `previous` never used: a removed clause's id never comes back on a different clause.
/// Each previous clause is continued at most once.
pub fn carry_ids(previous: &Specification, next: &mut Specification) {
    let prev = &previous.clauses;
    let mut taken = vec![false; prev.len()]; // previous clause already continued
    let mut matched = vec![false; next.clauses.len()];
    let mut used: HashSet<Cow<str>, FastHash> = HashSet::default(); // ids given in `next`

    // 1. Explicit anchors win.
    let prev_by_id: HashMap<&str, usize, FastHash> = prev.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    for (j, clause) in next.clauses.iter_mut().enumerate() {
        if let Some(anchor) = clause.anchor.clone().filter(|a| !used.contains(a.as_str())) {
            if let Some(&i) = prev_by_id.get(anchor.as_str()) {
                taken[i] = true;
            }
            used.insert(Cow::Owned(anchor.clone()));
            clause.id = anchor;
            matched[j] = true;
        }
    }

    // 2. to 5. Same heading and body (so that duplicate headings pair right), same heading,
    // same title under another number, same body under another title: O(n) with hashing,
    // pairs taken in document order. Keys borrow the clauses' text (no copy per pass). The
    // heading line as written comes first: it pairs nearly every clause of a new version
    // before any heading or title has to be normalised.
    let mut prev_keys: Vec<Option<String>> = vec![None; prev.len()];
    let mut next_keys: Vec<Option<String>> = vec![None; next.clauses.len()];
    let passes = [
        Pass::WrittenHeadingAndBody,
        Pass::HeadingAndBody,
        Pass::Heading,
        Pass::Title,
        Pass::Body,
    ];
    for pass in passes {
        let normalised = match pass {
            Pass::HeadingAndBody => Some(heading_key as fn(&Clause) -> String),
            Pass::Title => Some((|c: &Clause| normalize(&c.title)) as fn(&Clause) -> String),
            _ => None,
        };
        if let Some(normalised) = normalised {
            // Only for the clauses still unpaired.
            (0..prev.len())
                .filter(|&i| !taken[i])
                .for_each(|i| prev_keys[i] = Some(normalised(&prev[i])));
            let left = (0..next.clauses.len()).filter(|&j| !matched[j]);
            left.for_each(|j| next_keys[j] = Some(normalised(&next.clauses[j])));
        }
        let mut by_key: HashMap<(&str, &str), VecDeque<usize>, FastHash> = HashMap::default();
        for (i, c) in prev.iter().enumerate().filter(|(i, _)| !taken[*i]) {
            if let Some(k) = pass.key(c, prev_keys[i].as_deref()) {
                by_key.entry(k).or_default().push_back(i);
            }
        }
        // Pairs first, ids after: the keys borrow `next`, which `carry` then changes.
        let pairs: Vec<(usize, usize)> = (0..next.clauses.len())
            .filter(|&j| !matched[j])
            .filter_map(|j| {
                let k = pass.key(&next.clauses[j], next_keys[j].as_deref())?;
                Some((by_key.get_mut(&k)?.pop_front()?, j))
            })
            .collect();
        drop(by_key);
        for (i, j) in pairs {
            carry(prev, i, &mut next.clauses[j], &mut used, &mut taken, &mut matched[j]);
        }
    }

    // 6. Similar bodies, only among the clauses still unmatched on both sides.
    let left_prev: Vec<usize> = (0..prev.len()).filter(|&i| !taken[i]).collect();
    let left_next: Vec<usize> = (0..next.clauses.len()).filter(|&j| !matched[j]).collect();
    if !left_prev.is_empty() && !left_next.is_empty() {
        let prev_bodies: Vec<&str> = left_prev.iter().map(|&i| prev[i].body.as_str()).collect();
        let next_bodies: Vec<&str> = left_next.iter().map(|&j| next.clauses[j].body.as_str()).collect();
        for (p, n) in similar_pairs(&prev_bodies, &next_bodies, SIMILARITY_THRESHOLD) {
            let (i, j) = (left_prev[p], left_next[n]);
            if !taken[i] && !matched[j] {
                carry(prev, i, &mut next.clauses[j], &mut used, &mut taken, &mut matched[j]);
            }
        }
    }

    // 7. Fresh ids, never one that `previous` used.
    used.extend(prev.iter().map(|c| Cow::Borrowed(c.id.as_str())));
    let fresh: Vec<usize> = (0..next.clauses.len()).filter(|&j| !matched[j]).collect();
    assign_fresh_ids(&mut next.clauses, &fresh, &mut used);
}

/// The passes of `carry_ids` that pair clauses by equal keys, in order.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Pass {
    WrittenHeadingAndBody,
    HeadingAndBody,
    Heading,
    Title,
    Body,
}

impl Pass {
    /// What two clauses must share to pair in this pass, `None` when this clause cannot pair.
    /// `normalised` is the clause's heading (or title, in that pass) as `carry_ids` compares it.
    fn key<'a>(self, clause: &'a Clause, normalised: Option<&'a str>) -> Option<(&'a str, &'a str)> {
        let body = clause.body.trim();
        match self {
            // A clause built by hand has no heading line: it pairs by its normalised heading.
            Pass::WrittenHeadingAndBody => Some((clause.heading.trim(), body)).filter(|(h, _)| !h.is_empty()),
            Pass::HeadingAndBody => normalised.map(|h| (h, body)),
            // A heading of punctuation only (empty key) tells nothing about which clause it is.
            Pass::Heading | Pass::Title => normalised.filter(|h| !h.is_empty()).map(|h| (h, "")),
            Pass::Body => has_min_words(&clause.body).then_some(("", body)),
        }
    }
}

/// Gives `clause` the id of `prev[i]`, unless that id is already used in `next` (possible only
/// with duplicate ids in `previous`), in which case the clause will get a fresh id.
pub(super) fn carry<'p>(
    prev: &'p [Clause],
    i: usize,
    clause: &mut Clause,
    used: &mut HashSet<Cow<'p, str>, FastHash>,
    taken: &mut [bool],
    matched: &mut bool,
) {
    taken[i] = true;
    if used.insert(Cow::Borrowed(&prev[i].id)) {
        // Into the buffer of the clause's own id: usually the same id, so no allocation.
        clause.id.clone_from(&prev[i].id);
        *matched = true;
    }
}

/// Jaccard similarity of word sets above which two bodies are taken for the same clause.
pub(super) const SIMILARITY_THRESHOLD: f64 = 0.5;
/// Fewest words a body needs to identify its clause.
pub(super) const MIN_WORDS: usize = 5;

pub(super) fn has_min_words(body: &str) -> bool {
    body.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .nth(MIN_WORDS - 1)
        .is_some()
}
/// Bound on the work of `similar_pairs` (index entries visited plus words compared), so that
/// even a pathological input stays fast; past it the clauses left get fresh ids.
pub(super) const MAX_WORK: usize = 30_000_000;

/// Pairs `(p, n)` of bodies whose word-set Jaccard similarity reaches `threshold`, best first,
/// ties broken by closeness of position. Candidates come from PPJoin's prefix and positional
/// filters (words ordered rarest first; two sets that similar must share a word early in both,
/// and enough words must remain after it), which keeps the work near linear for real texts.
pub(super) fn similar_pairs(prev: &[&str], next: &[&str], threshold: f64) -> Vec<(usize, usize)> {
    let mut words = Vocabulary::default();
    let prev_sets: Vec<Vec<u32>> = prev.iter().map(|body| words.set_of(body)).collect();
    let next_sets: Vec<Vec<u32>> = next.iter().map(|body| words.set_of(body)).collect();
    let frequency = &words.frequency;
    let by_rarity = |set: &[u32]| -> Vec<u32> {
        let mut ordered = set.to_vec();
        ordered.sort_unstable_by_key(|&w| (frequency[w as usize], w));
        ordered
    };
    // Two sets with Jaccard >= t share at least ceil(t * |A|) words, so one of A's first
    // |A| - ceil(t * |A|) + 1 words in any fixed order.
    let prefix_len = |len: usize| {
        (len + 1)
            .saturating_sub((threshold * len as f64).ceil() as usize)
            .min(len)
    };
    let mut index: HashMap<u32, Vec<(u32, u32)>, FastHash> = HashMap::default();
    for (p, set) in prev_sets.iter().enumerate().filter(|(_, set)| set.len() >= MIN_WORDS) {
        for (i, w) in by_rarity(set).into_iter().take(prefix_len(set.len())).enumerate() {
            index.entry(w).or_default().push((p as u32, i as u32));
        }
    }
    let overlap_ratio = threshold / (1.0 + threshold);
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    // Per previous body, for the current next body: shared words so far, or -1 once pruned.
    let mut overlap = vec![0i32; prev.len()];
    let mut stamp = vec![usize::MAX; prev.len()];
    // Words of the current next body, to intersect without merging.
    let mut in_next = vec![usize::MAX; frequency.len()];
    let mut candidates = Vec::new();
    let mut work = 0;
    for (n, set) in next_sets.iter().enumerate() {
        if work > MAX_WORK {
            break;
        }
        if set.len() < MIN_WORDS {
            continue;
        }
        candidates.clear();
        let b = set.len();
        for (j, w) in by_rarity(set).into_iter().take(prefix_len(b)).enumerate() {
            let postings = index.get(&w).map_or(&[][..], Vec::as_slice);
            work += postings.len();
            for &(p, i) in postings {
                let (p, i) = (p as usize, i as usize);
                if stamp[p] != n {
                    stamp[p] = n;
                    overlap[p] = 0;
                    candidates.push(p);
                }
                if overlap[p] < 0 {
                    continue;
                }
                let a = prev_sets[p].len();
                let needed = (overlap_ratio * (a + b) as f64).ceil() as i32;
                let bound = overlap[p] + 1 + (a - i - 1).min(b - j - 1) as i32;
                overlap[p] = if bound >= needed { overlap[p] + 1 } else { -1 };
            }
        }
        set.iter().for_each(|&w| in_next[w as usize] = n);
        for &p in &candidates {
            if overlap[p] <= 0 {
                continue;
            }
            work += prev_sets[p].len();
            let common = prev_sets[p].iter().filter(|&&w| in_next[w as usize] == n).count();
            let score = common as f64 / (prev_sets[p].len() + b - common) as f64;
            if score >= threshold {
                pairs.push((score, p, n));
            }
        }
    }
    // Position as a fraction of each list, so that a clause near the same place wins a tie.
    let place = |p: usize, n: usize| (p as f64 / prev.len() as f64 - n as f64 / next.len() as f64).abs();
    pairs.sort_by(|a, b| {
        (b.0.total_cmp(&a.0))
            .then(place(a.1, a.2).total_cmp(&place(b.1, b.2)))
            .then((a.1, a.2).cmp(&(b.1, b.2)))
    });
    pairs.into_iter().map(|(_, p, n)| (p, n)).collect()
}

/// Words numbered as they are met, with the number of bodies each appears in.
#[derive(Default)]
pub(super) struct Vocabulary {
    // std's keyed hash: words are the buyer's text, and a fixed hash could be flooded.
    ids: HashMap<String, u32>,
    frequency: Vec<u32>,
    lowercase: String,
}

impl Vocabulary {
    /// The distinct words of a body, lowercased, as ids.
    fn set_of(&mut self, body: &str) -> Vec<u32> {
        let mut set = Vec::new();
        for word in body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            self.lowercase.clear();
            if word.is_ascii() {
                self.lowercase.push_str(word);
                self.lowercase.make_ascii_lowercase();
            } else {
                self.lowercase.extend(word.chars().flat_map(char::to_lowercase));
            }
            let id = match self.ids.get(self.lowercase.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.frequency.len() as u32;
                    self.ids.insert(self.lowercase.clone(), id);
                    self.frequency.push(0);
                    id
                }
            };
            set.push(id);
        }
        set.sort_unstable();
        set.dedup();
        set.iter().for_each(|&w| self.frequency[w as usize] += 1);
        set
    }
}

/// The hash of maps keyed by clause ids, headings, bodies or word numbers: foldhash, seeded per
/// process. Not the collision-proof SipHash: these maps hold at most `MAX_CLAUSES` clauses of
/// one text (no crafted collisions can make them slower than quadratic in that), and the
/// comparison hashes every clause of both versions. Words of the buyer's text keep std's hash.
pub(crate) type FastHash = foldhash::fast::RandomState;
