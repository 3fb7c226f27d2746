//! Contributions as the others see them: pseudonymised, re-anchored on the version being read.
//! Rows from the database carry organisation and user ids; nothing built here lets one through
//! (see `model::contribution`).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::domain::anchor::{self, AnchorState};
use crate::domain::contribution::pseudonym;
use crate::model::{ContributionView, ReplyView, RevisionView};
use crate::server::db::contributions::{ContributionRow, ReplyRow, RevisionRow};
use crate::server::versions::VersionTexts;

/// Time the re-anchoring of one read may spend on quotes searched for fuzzily: past it, the
/// rest read as outdated for this read and are computed again at the next (see `reanchored`).
const REANCHOR_BUDGET: std::time::Duration = std::time::Duration::from_secs(1);

/// Where each contribution stands in each version, computed once, since neither changes
/// (versions are immutable, and so are a contribution's target, quote and the text it was made
/// on). Lives in `AppState`; bounded: a few megabytes at most, rebuilt as pages are read.
#[derive(Debug, Default)]
pub struct AnchorCache(Mutex<HashMap<(i64, i64, i64), anchor::Reanchored>>);

impl AnchorCache {
    const MAX_ENTRIES: usize = 200_000;

    fn reanchored(
        &self,
        consultation_id: i64,
        version: i64,
        row: &ContributionRow,
        now: Option<&str>,
        deadline: std::time::Instant,
    ) -> anchor::Reanchored {
        let key = (consultation_id, version, row.id);
        if let Some(found) = self.0.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return found;
        }
        let (found, complete) = anchor::reanchor_within(&row.target_text, now, row.selector().as_ref(), deadline);
        if complete {
            if let Ok(mut cache) = self.0.lock() {
                if cache.len() >= Self::MAX_ENTRIES {
                    cache.clear();
                }
                cache.insert(key, found.clone());
            }
        }
        found
    }
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
    pub anchors: &'a AnchorCache,
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
        let anchor = self
            .anchors
            .reanchored(consultation_id, shown.number, row, now.map(|(_, text)| text), deadline);
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
            kind: row.kind,
            justification: row.justification.clone(),
            cost_impact: row.cost_impact,
            cost_amount_cents: row.cost_amount_cents,
            proposed_text: row.proposed_text.clone(),
            status: row.status,
            integrated_version: row.integrated_version.map(|v| v as i32),
            created_at: row.created_at,
            updated_at: row.updated_at,
            withdrawn_at: row.withdrawn_at,
            revisions: self
                .revisions
                .iter()
                .filter(|r| r.contribution_id == row.id)
                .map(|r| RevisionView {
                    kind: r.kind,
                    justification: r.justification.clone(),
                    cost_impact: r.cost_impact,
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
