//! The open data (`/donnees`): every public consultation as OCDS releases, records and a bulk
//! file, and CSV datasets with their Table Schema. What may be published is decided by
//! `domain::open_data::publishable` and by what the public pages already show: pseudonyms only,
//! contributions once the public dossier is published, redacted passages replaced. Never: drafts,
//! restricted consultations before their dossier, identities, review notes, registers.

use super::db;
use super::db::open_data::ConsultationRow;
use super::failure::OrInternal;
use super::AppState;
use crate::domain::calendar::{PhaseKind, SourcingSettings};
use crate::domain::consultation::split_list;
use crate::domain::consultation::{ConsultationStatus, SourcingMode};
use crate::domain::contribution::TargetKind;
use crate::domain::open_data::ocds::{self, Publisher};
use crate::domain::open_data::tables::{self, CsvWriter, Dataset};
use crate::domain::open_data::{
    consultation_of_ocid, ocid, publishable, OpenBuyer, OpenConsultation, OpenContribution, OpenDossier, OpenNeed,
    OpenVersion,
};
use crate::error::AppError;
use serde_json::Value;
use std::collections::HashMap;
use std::str::FromStr;

/// Consultations read at once by the bulk file and the CSV files: memory stays that of one batch.
pub const BATCH: i64 = 100;

/// Open-data builds running at once (each reads every public consultation): the others wait
/// (the page's counts) or are told to come back (the files).
#[derive(Debug)]
pub struct Builds(tokio::sync::Semaphore);

impl Builds {
    pub fn new(at_once: usize) -> Builds {
        Builds(tokio::sync::Semaphore::new(at_once))
    }

    pub fn try_start(self: &std::sync::Arc<Self>) -> Option<BuildPermit> {
        let permits = std::sync::Arc::clone(self);
        permits.0.try_acquire().ok()?.forget();
        Some(BuildPermit(permits))
    }

    async fn start(self: &std::sync::Arc<Self>) -> Result<BuildPermit, AppError> {
        self.0
            .acquire()
            .await
            .or_internal("waiting to build the open data")?
            .forget();
        Ok(BuildPermit(std::sync::Arc::clone(self)))
    }
}

/// Gives its place back when dropped.
pub struct BuildPermit(std::sync::Arc<Builds>);

impl Drop for BuildPermit {
    fn drop(&mut self) {
        self.0 .0.add_permits(1);
    }
}

pub fn publisher(state: &AppState) -> Publisher {
    Publisher {
        name: "JeSaisFaire".into(),
        base_url: state.public_url.clone(),
    }
}

/// What a file depends on: equal tags, equal bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Freshness {
    /// A strong validator (`"…"`), from the database's counts and latest instants and today's date.
    pub etag: String,
    /// Unix seconds of the latest change published.
    pub last_modified: i64,
}

pub async fn freshness(state: &AppState) -> Result<Freshness, AppError> {
    let fingerprint = db::open_data::fingerprint(state.db.pool())
        .await
        .or_internal("reading the open data's state")?;
    let today = state.clock.today();
    let mut text = format!("{}|{today}", state.ocid_prefix);
    for n in &fingerprint {
        text.push_str(&format!("|{n}"));
    }
    let hash = super::auth::token::sha256_hex(text.as_bytes());
    Ok(Freshness {
        etag: format!("\"{}\"", &hash[..32]),
        last_modified: db::open_data::last_modified(&fingerprint),
    })
}

fn parse_settings(json: Option<&str>) -> Option<SourcingSettings> {
    serde_json::from_str::<SourcingSettings>(json?)
        .ok()
        .map(SourcingSettings::normalised)
}

/// One consultation's open data, if it is published.
async fn gather(state: &AppState, row: ConsultationRow) -> Result<Option<OpenConsultation>, AppError> {
    let stored = ConsultationStatus::from_str(&row.status).map_err(|_| AppError::Internal)?;
    let mode = SourcingMode::from_str(&row.mode).map_err(|_| AppError::Internal)?;
    let calendar = parse_settings(row.calendar_settings.as_deref()).map(|s| s.calendar());
    let status = match &calendar {
        Some(calendar) => crate::domain::consultation::status_on(stored, calendar, state.clock.today()),
        None => stored,
    };
    if !publishable(status, mode, row.dossier_published_at.is_some()) {
        return Ok(None);
    }
    let id = row.id;
    let pool = state.db.pool();
    let base = &state.public_url;
    let (steps, version_rows) = tokio::try_join!(
        db::consultations::status_changes(pool, id),
        db::consultations::versions(pool, id),
    )
    .or_internal("reading the open data")?;
    let versions: Vec<OpenVersion> = super::dossier::versions_with_changes(state, id, version_rows)
        .await?
        .into_iter()
        .map(|v| OpenVersion {
            url: format!("{base}/consultations/{id}/versions/{}", v.number),
            number: v.number,
            published_at: v.published_at,
            changelog: v.changelog,
            changes: v.changes,
            text_sha256: v.text_sha256,
        })
        .collect();
    let reached = |s: ConsultationStatus| steps.iter().find(|(step, _)| step == s.as_str()).map(|(_, at)| *at);
    // Consultations older than the record of steps: the first fact known (a version), else
    // the consultation's creation.
    let announced_at = steps
        .first()
        .map(|(_, at)| *at)
        .or(versions.first().map(|v| v.published_at))
        .unwrap_or(row.created_at);
    let now = state.now();
    let call_opened_at = match (mode, status >= ConsultationStatus::CallForParticipation) {
        (SourcingMode::Open, true) => reached(ConsultationStatus::CallForParticipation).or_else(|| {
            let phase = calendar.as_ref()?.phase(PhaseKind::CallForParticipation)?;
            Some(phase.opens_at_utc()).filter(|at| *at <= now)
        }),
        _ => None,
    };
    let closed_at =
        (status == ConsultationStatus::Closed).then(|| reached(ConsultationStatus::Closed).unwrap_or(row.updated_at));
    let dossier = row.dossier_published_at.map(|published_at| OpenDossier {
        published_at,
        url: format!("{base}/consultations/{id}/dossier.pdf"),
    });
    let contributions = match dossier {
        Some(_) => public_contributions(state, id).await?,
        None => Vec::new(),
    };
    Ok(Some(OpenConsultation {
        ocid: ocid(&state.ocid_prefix, id),
        url: format!("{base}/consultations/{id}"),
        title: row.title,
        object: row.object,
        buyer: OpenBuyer {
            id: row.buyer_id,
            name: row.buyer_name,
            siret: row.buyer_siret.filter(|s| !s.is_empty()),
        },
        cpv_codes: split_list(&row.cpv_codes),
        departements: split_list(&row.departements),
        mode,
        status,
        announced_at,
        call_opened_at,
        closed_at,
        phases: calendar.map(|c| c.phases).unwrap_or_default(),
        expected_tender: row.expected_tender_date.filter(|d| !d.is_empty()),
        versions,
        dossier,
        contributions,
        updated_at: row.updated_at,
        id,
    }))
}

/// The contributions as the public edition of the dossier shows them.
async fn public_contributions(state: &AppState, id: i64) -> Result<Vec<OpenContribution>, AppError> {
    let Some((_, views)) = super::contributions::record_views(state, id).await? else {
        return Ok(Vec::new());
    };
    let redactions = db::dossier::redactions(state.db.pool(), id)
        .await
        .or_internal("reading the redactions")?;
    let passages = super::dossier::passages_by_contribution(&redactions);
    Ok(views
        .into_iter()
        .map(|v| super::dossier::redacted(v, &passages))
        .map(|v| OpenContribution {
            id: v.id,
            created_at: v.created_at,
            withdrawn_at: v.withdrawn_at,
            pseudonym: v.pseudonym,
            version: v.version,
            target_kind: match v.target.kind {
                TargetKind::Clause => "Clause",
                TargetKind::Criterion => "Critère",
            }
            .into(),
            target_id: v.target.id,
            target_label: v.target_label,
            kind: v.kind.label_fr().into(),
            justification: v.justification,
            proposed_text: v.proposed_text,
            cost_impact: v.cost_impact.label_fr().into(),
            cost_amount_cents: v.cost_amount_cents,
            status: v.status.label_fr().into(),
            integrated_version: v.integrated_version,
            answers: v
                .replies
                .into_iter()
                .filter(|r| r.from_buyer)
                .map(|r| (r.created_at, r.body))
                .collect(),
        })
        .collect())
}

/// The published consultation of an ocid (not found: unknown, draft, or not public yet).
pub async fn consultation_of(state: &AppState, ocid: &str) -> Result<OpenConsultation, AppError> {
    let missing = || AppError::NotFound("Aucune consultation publiée ne porte cet identifiant OCDS.".into());
    let id = consultation_of_ocid(&state.ocid_prefix, ocid).ok_or_else(missing)?;
    let row = db::open_data::consultation(state.db.pool(), id)
        .await
        .or_internal("reading the open data")?
        .ok_or_else(missing)?;
    gather(state, row).await?.ok_or_else(missing)
}

/// Up to [`BATCH`] published consultations with an id above `after`, and the last id read
/// (`None` when there are no more).
pub async fn batch(state: &AppState, after: i64) -> Result<(Vec<OpenConsultation>, Option<i64>), AppError> {
    let rows = db::open_data::consultations_after(state.db.pool(), after, BATCH)
        .await
        .or_internal("reading the open data")?;
    let last = rows.last().map(|r| r.id);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(c) = gather(state, row).await? {
            out.push(c);
        }
    }
    Ok((out, last))
}

pub async fn release_package(state: &AppState, ocid: &str) -> Result<Value, AppError> {
    let c = consultation_of(state, ocid).await?;
    Ok(ocds::release_package(&publisher(state), &c.ocid, ocds::releases(&c)))
}

pub async fn record_package(state: &AppState, ocid: &str) -> Result<Value, AppError> {
    let c = consultation_of(state, ocid).await?;
    Ok(ocds::record_package(&publisher(state), &c.ocid, &ocds::releases(&c)))
}

/// A CSV dataset, built batch by batch.
pub async fn csv(state: &AppState, dataset: &'static Dataset) -> Result<String, AppError> {
    let mut writer = CsvWriter::new(dataset);
    if dataset.name == tables::NEEDS.name {
        for n in needs(state).await? {
            writer.row(dataset, tables::need_row(&n));
        }
        return Ok(writer.finish());
    }
    let mut after = 0;
    loop {
        let (consultations, last) = batch(state, after).await?;
        for c in &consultations {
            match dataset.name {
                "consultations" => writer.row(dataset, tables::consultation_row(c)),
                "versions" => tables::version_rows(c).for_each(|r| writer.row(dataset, r)),
                _ => tables::contribution_rows(c).for_each(|r| writer.row(dataset, r)),
            }
        }
        match last {
            Some(last) => after = last,
            None => return Ok(writer.finish()),
        }
    }
}

async fn needs(state: &AppState) -> Result<Vec<OpenNeed>, AppError> {
    let rows = db::open_data::needs(state.db.pool())
        .await
        .or_internal("reading the needs")?;
    let base = &state.public_url;
    Ok(rows
        .into_iter()
        .map(|n| {
            let consultation_public = matches!(
                (n.consultation_status.as_deref().map(ConsultationStatus::from_str),
                 n.consultation_mode.as_deref().map(SourcingMode::from_str)),
                (Some(Ok(status)), Some(Ok(mode))) if publishable(status, mode, n.consultation_dossier_at.is_some())
            );
            OpenNeed {
                url: format!("{base}/besoins/{}", n.id),
                id: n.id,
                buyer: OpenBuyer {
                    id: n.buyer_id,
                    name: n.buyer_name,
                    siret: n.buyer_siret.filter(|s| !s.is_empty()),
                },
                title: n.title,
                summary: n.summary,
                cpv_codes: split_list(&n.cpv_codes),
                departements: split_list(&n.departements),
                amount_min: n.amount_min,
                amount_max: n.amount_max,
                tender_year: n.tender_year,
                tender_quarter: n.tender_quarter,
                consultation_ocid: n
                    .consultation_id
                    .filter(|_| consultation_public)
                    .map(|id| ocid(&state.ocid_prefix, id)),
                published_at: n.published_at,
                updated_at: n.updated_at,
            }
        })
        .collect())
}

/// What the open-data page shows of each dataset: counted once per state of the data (it reads
/// every public consultation), then kept.
pub async fn catalogue(state: &AppState) -> Result<crate::model::OpenDataCatalogue, AppError> {
    let freshness = freshness(state).await?;
    let known = || -> Result<Option<crate::model::OpenDataCatalogue>, AppError> {
        let kept = state.open_data_catalogue.lock().map_err(|_| AppError::Internal)?;
        Ok(kept
            .as_ref()
            .filter(|(etag, _)| *etag == freshness.etag)
            .map(|(_, counted)| counted.clone()))
    };
    if let Some(counted) = known()? {
        return Ok(counted);
    }
    let _permit = state.open_data_builds.start().await?;
    // Those who waited for the one counting get its result.
    if let Some(counted) = known()? {
        return Ok(counted);
    }
    let counted = count(state, &freshness).await?;
    *state.open_data_catalogue.lock().map_err(|_| AppError::Internal)? = Some((freshness.etag, counted.clone()));
    Ok(counted)
}

async fn count(state: &AppState, freshness: &Freshness) -> Result<crate::model::OpenDataCatalogue, AppError> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    let mut releases: u32 = 0;
    let mut after = 0;
    loop {
        let (consultations, last) = batch(state, after).await?;
        for c in &consultations {
            *counts.entry("consultations").or_insert(0) += 1;
            *counts.entry("versions").or_insert(0) += c.versions.len() as u32;
            *counts.entry("contributions").or_insert(0) += c.contributions.len() as u32;
            releases += ocds::releases(c).len() as u32;
        }
        match last {
            Some(last) => after = last,
            None => break,
        }
    }
    counts.insert("besoins", needs(state).await?.len() as u32);
    Ok(crate::model::OpenDataCatalogue {
        last_modified: freshness.last_modified,
        ocid_prefix: state.ocid_prefix.to_string(),
        base_url: state.public_url.clone(),
        releases,
        consultations: counts.get("consultations").copied().unwrap_or(0),
        datasets: tables::DATASETS
            .iter()
            .map(|d| crate::model::OpenDataset {
                name: d.name.to_owned(),
                title: d.title.to_owned(),
                description: d.description.to_owned(),
                rows: counts.get(d.name).copied().unwrap_or(0),
                columns: d
                    .columns
                    .iter()
                    .map(|c| (c.name.to_owned(), c.title.to_owned()))
                    .collect(),
            })
            .collect(),
    })
}
