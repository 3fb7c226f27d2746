//! Contributions as the others see them: pseudonymised, re-anchored on the version being read,
//! exported to CSV. Rows from the database carry organisation and user ids; nothing built here
//! lets one through (see `model::contribution`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::db::consultations::SpecVersionRow;
use super::db::contributions::{ContributionRow, ReplyRow, RevisionRow};
use super::render;
use crate::domain::anchor::{self, AnchorState};
use crate::domain::contribution::{format_euros, pseudonym, ContributionKind, CostImpact, Target, TargetKind};
use crate::domain::criteria::Criterion;
use crate::model::{ContributionView, ReplyView, RevisionView};

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
    fn of(row: &SpecVersionRow) -> VersionTexts {
        let spec = row.specification();
        let labels: HashMap<&str, String> = spec.clauses.iter().map(|c| (c.id.as_str(), c.label())).collect();
        let clauses = render::version_parts(&row.markdown, &spec)
            .into_iter()
            .filter_map(|part| {
                let id = part.clause_id?;
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
        VersionTexts {
            number: row.number,
            clauses,
            criteria,
        }
    }

    /// The label and text of a clause or criterion, if this version has it.
    pub fn get(&self, target: &Target) -> Option<(&str, &str)> {
        let map = match target.kind {
            TargetKind::Clause => &self.clauses,
            TargetKind::Criterion => &self.criteria,
        };
        map.get(&target.id).map(|l| (l.label.as_str(), l.text.as_str()))
    }
}

/// What a contribution on a criterion is compared on from one version to the next.
fn criterion_text(c: &Criterion) -> String {
    anchor::normalize(&format!("{} — {} % — {}", c.name, c.weight, c.description))
}

/// The texts of a version, computed once: versions never change, so (consultation, number) is a
/// safe key. The cache holds the last few dozen versions read.
pub fn version_texts(consultation_id: i64, row: &SpecVersionRow) -> Arc<VersionTexts> {
    type Cache = Mutex<HashMap<(i64, i64), Arc<VersionTexts>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (consultation_id, row.number);
    if let Some(texts) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return texts;
    }
    let texts = Arc::new(VersionTexts::of(row));
    if let Ok(mut cache) = cache.lock() {
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(key, texts.clone());
    }
    texts
}

/// Time the re-anchoring of one read may spend on quotes searched for fuzzily: past it, the
/// rest read as outdated for this read and are computed again at the next (see `reanchored`).
const REANCHOR_BUDGET: std::time::Duration = std::time::Duration::from_secs(1);

/// Where a contribution stands in a version: computed once, since neither changes (versions are
/// immutable, and so are a contribution's target, quote and the text it was made on).
fn reanchored(
    consultation_id: i64,
    version: i64,
    row: &ContributionRow,
    now: Option<&str>,
    deadline: std::time::Instant,
) -> anchor::Reanchored {
    type Cache = Mutex<HashMap<(i64, i64, i64), anchor::Reanchored>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (consultation_id, version, row.id);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let (found, complete) = anchor::reanchor_within(&row.target_text, now, row.selector().as_ref(), deadline);
    if complete {
        if let Ok(mut cache) = cache.lock() {
            // Bounded: a few megabytes at most, rebuilt as pages are read.
            if cache.len() >= 200_000 {
                cache.clear();
            }
            cache.insert(key, found.clone());
        }
    }
    found
}

/// Everything needed to show the contributions of a consultation to one caller.
pub struct Thread<'a> {
    pub rows: &'a [ContributionRow],
    pub revisions: &'a [RevisionRow],
    pub replies: &'a [ReplyRow],
    /// (organisation id, pseudonym index) of every participant.
    pub participants: &'a [(i64, i64)],
    /// The caller's company, if the caller is a supplier.
    pub caller_organisation: Option<i64>,
}

impl Thread<'_> {
    fn pseudonym_of(&self, organisation_id: i64) -> String {
        self.participants
            .iter()
            .find(|(org, _)| *org == organisation_id)
            .map_or_else(|| "Entreprise".to_owned(), |(_, index)| pseudonym(*index))
    }

    /// The contributions made up to the version `shown`, re-anchored on it, oldest first.
    /// Re-anchoring is CPU work: call it on a blocking thread.
    pub fn views(&self, consultation_id: i64, shown: &VersionTexts) -> Vec<ContributionView> {
        let deadline = std::time::Instant::now() + REANCHOR_BUDGET;
        self.rows
            .iter()
            .filter(|row| row.version_number <= shown.number)
            .map(|row| self.view(consultation_id, row, shown, deadline))
            .collect()
    }

    fn view(
        &self,
        consultation_id: i64,
        row: &ContributionRow,
        shown: &VersionTexts,
        deadline: std::time::Instant,
    ) -> ContributionView {
        let target = row.target();
        let selector = row.selector();
        let now = shown.get(&target);
        let anchor = reanchored(consultation_id, shown.number, row, now.map(|(_, text)| text), deadline);
        let pseudonym = self.pseudonym_of(row.organisation_id);
        let changed = matches!(anchor.state, AnchorState::Outdated | AnchorState::Orphaned);
        ContributionView {
            id: row.id,
            mine: self.caller_organisation == Some(row.organisation_id),
            version: row.version_number as i32,
            target_label: row.target_label.clone(),
            target,
            selector,
            anchor,
            original_text: changed.then(|| row.target_text.clone()),
            kind: row.kind(),
            justification: row.justification.clone(),
            cost_impact: row.cost_impact(),
            cost_amount_cents: row.cost_amount_cents,
            proposed_text: row.proposed_text.clone(),
            status: row.status(),
            integrated_version: row.integrated_version.map(|v| v as i32),
            created_at: row.created_at,
            updated_at: row.updated_at,
            withdrawn_at: row.withdrawn_at,
            revisions: self
                .revisions
                .iter()
                .filter(|r| r.contribution_id == row.id)
                .map(|r| RevisionView {
                    kind: ContributionKind::parse(&r.kind).unwrap_or(ContributionKind::Solution),
                    justification: r.justification.clone(),
                    cost_impact: CostImpact::parse(&r.cost_impact).unwrap_or(CostImpact::Unknown),
                    cost_amount_cents: r.cost_amount_cents,
                    proposed_text: r.proposed_text.clone(),
                    written_at: r.written_at,
                })
                .collect(),
            replies: self
                .replies
                .iter()
                .filter(|r| r.contribution_id == row.id)
                .map(|r| ReplyView {
                    from_buyer: r.from_buyer != 0,
                    author: if r.from_buyer != 0 {
                        "L'acheteur".to_owned()
                    } else {
                        pseudonym.clone()
                    },
                    body: r.body.clone(),
                    created_at: r.created_at,
                })
                .collect(),
            pseudonym,
        }
    }
}

/// The contributions as a CSV file for spreadsheets (French Excel: `;` separator, UTF-8 with a
/// byte order mark), pseudonymised like the pages. Cells that a spreadsheet would read as a
/// formula are prefixed with `'`.
pub fn csv(views: &[ContributionView], latest: i64) -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "N°",
        "Entreprise",
        "Version",
        "Cible",
        "Clause ou critère",
        "Passage cité",
        &format!("État dans la version {latest}"),
        "Type",
        "Justification",
        "Impact sur le coût",
        "Montant HT",
        "Texte proposé",
        "Statut",
        "Intégrée en version",
        "Déposée le",
        "Modifiée le",
        "Retirée le",
        "Réponses",
    ];
    push_row(&mut out, header.iter().map(|s| s.to_string()));
    let date = |t: i64| crate::ui::format::instant_fr(t);
    for v in views {
        let replies: Vec<String> = v.replies.iter().map(|r| format!("{} : {}", r.author, r.body)).collect();
        push_row(
            &mut out,
            [
                v.id.to_string(),
                v.pseudonym.clone(),
                v.version.to_string(),
                v.target.kind.label_fr().to_owned(),
                v.target_label.clone(),
                v.selector.as_ref().map(|s| s.quote.exact.clone()).unwrap_or_default(),
                v.anchor.state.label_fr().to_owned(),
                v.kind.label_fr().to_owned(),
                v.justification.clone(),
                v.cost_impact.label_fr().to_owned(),
                v.cost_amount_cents.map(format_euros).unwrap_or_default(),
                v.proposed_text.clone(),
                v.status.label_fr().to_owned(),
                v.integrated_version.map(|n| n.to_string()).unwrap_or_default(),
                date(v.created_at),
                date(v.updated_at),
                v.withdrawn_at.map(date).unwrap_or_default(),
                replies.join("\n"),
            ]
            .into_iter(),
        );
    }
    out
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells
        .map(|cell| {
            let cell = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{cell}")
            } else {
                cell
            };
            format!("\"{}\"", cell.replace('"', "\"\""))
        })
        .collect();
    out.push_str(&cells.join(";"));
    out.push_str("\r\n");
}
