//! The equal-treatment dossier (« Dossier de sourcing », seed 000), generated from the stored
//! record, never typed: the cover, the participants, every version with its SHA-256 and the
//! summary of its changes, every contribution by clause with the buyer's answers, the minutes,
//! the review and sign-off. Two editions (see `domain::dossier`): the public one, once the buyer
//! published it after the exchanges, with pseudonyms only and the redacted passages replaced;
//! the internal one for the buyer's organisation and its reviewers. As a page, a PDF and a ZIP
//! (`files`).

pub mod cache;
mod files;

pub use files::{pdf, zip};

use super::auth::permissions::reads_identities;
use super::auth::{authorize, Actor, Permission};
use super::consultations::{access, access_in};
use super::db;
use super::failure::OrInternal;
use super::AppState;
use crate::domain::contribution::{pseudonym, TargetKind};
use crate::domain::diff::{diff_specifications, DiffStats};
use crate::domain::dossier::{redact, DossierEdition};
use crate::error::AppError;
use crate::model::{
    CompanyIdentity, ConsultationStatus, ContributionView, Dossier, DossierPhase, DossierTarget, DossierVersion,
    ParticipantEntry, RedactionView,
};
use std::collections::HashMap;
use std::time::Duration;

/// Whether the exchanges are over (the public edition may be published).
fn exchanges_closed(status: ConsultationStatus) -> bool {
    use ConsultationStatus as S;
    matches!(status, S::Drafting | S::InReview | S::Approved | S::Closed)
}

/// The dossier in the edition asked for, if the caller may read it.
pub async fn assemble(state: &AppState, actor: &Actor, id: i64, edition: DossierEdition) -> Result<Dossier, AppError> {
    let (record, access) = access(state, actor, id).await?;
    let reads_internal = authorize(actor, Permission::ReadRecord(&access)).is_ok();
    if edition == DossierEdition::Internal {
        authorize(actor, Permission::ReadRecord(&access))?;
    }
    let pool = state.db.pool();
    let published_at = db::dossier::published_at(pool, id)
        .await
        .or_internal("reading the dossier")?;
    if edition == DossierEdition::Public && published_at.is_none() && !reads_internal {
        return Err(AppError::NotFound(
            "Le dossier de sourcing n'est pas encore publié : l'acheteur le publie après la clôture des échanges."
                .into(),
        ));
    }
    let Some((latest, views)) = super::contributions::record_views(state, id).await? else {
        return Err(AppError::Invalid(
            "Aucune version du cahier des charges n'est publiée : le dossier de sourcing se constitue à partir des \
             versions publiées."
                .into(),
        ));
    };
    let (rows, identities, contacts, redaction_rows) = tokio::try_join!(
        db::consultations::versions(pool, id),
        db::record::identities(pool, id),
        db::record::contacts(pool, id),
        db::dossier::redactions(pool, id),
    )
    .or_internal("reading the dossier")?;
    let latest_row = rows.first().cloned().ok_or(AppError::Internal)?;
    let outline = state.versions.get(id, latest_row).await?.outline.clone();

    let versions = versions_with_changes(state, id, rows).await?;

    // Redactions: out of the public edition, listed in the internal one.
    let passages = passages_by_contribution(&redaction_rows);
    let pseudonyms: HashMap<i64, String> = views.iter().map(|v| (v.id, v.pseudonym.clone())).collect();
    let views: Vec<ContributionView> = match edition {
        DossierEdition::Public => views.into_iter().map(|v| redacted(v, &passages)).collect(),
        DossierEdition::Internal => views,
    };
    let targets = group_by_target(views, &outline);

    let identities_readable = edition == DossierEdition::Internal && reads_identities(actor, &access);
    let participants = identities
        .iter()
        .map(|p| ParticipantEntry {
            pseudonym: pseudonym(p.pseudonym_index),
            joined_at: p.registered_at,
            identity: identities_readable.then(|| CompanyIdentity {
                name: p.name.clone(),
                siret: p.siret.clone(),
                contacts: contacts
                    .iter()
                    .filter(|(o, _)| *o == p.organisation_id)
                    .map(|(_, e)| e.clone())
                    .collect(),
            }),
        })
        .collect();
    let redactions = match edition {
        DossierEdition::Public => Vec::new(),
        DossierEdition::Internal => redaction_rows
            .into_iter()
            .map(|r| RedactionView {
                id: r.id,
                pseudonym: pseudonyms.get(&r.contribution_id).cloned().unwrap_or_default(),
                contribution_id: r.contribution_id,
                passage: r.passage,
                reason: r.reason,
                by_company: r.by_company != 0,
                created_at: r.created_at,
            })
            .collect(),
    };
    let minutes = super::minutes::published_views(state, id).await?;
    let reviews = super::record::reviews_for_dossier(state, id, &outline, edition == DossierEdition::Internal).await?;
    let calendar = record.calendar.as_ref();
    let _ = latest;
    Ok(Dossier {
        consultation_id: id,
        edition,
        can_publish: authorize(actor, Permission::EditConsultation(&access)).is_ok()
            && published_at.is_none()
            && exchanges_closed(record.summary.status),
        reads_internal,
        can_redact: authorize(actor, Permission::EditConsultation(&access)).is_ok(),
        phases: calendar
            .map(|c| {
                c.calendar()
                    .phases
                    .iter()
                    .map(|p| DossierPhase {
                        label: p.kind.label_fr().to_owned(),
                        start: p.start.to_string(),
                        end: p.end.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        rule_breaches: calendar.map(|c| c.validate().into_iter().map(|v| v.message).collect()),
        title: record.summary.title,
        buyer_name: record.summary.buyer_name,
        object: record.object,
        cpv_codes: record.cpv_codes,
        departements: record.summary.departements,
        mode: record.summary.mode,
        status: record.summary.status,
        participants,
        versions,
        targets,
        minutes,
        reviews,
        redactions,
        published_at,
        generated_at: state.now(),
    })
}

/// The versions (given newest first, as `db::consultations::versions` reads them), oldest first,
/// each with what changed since the one before (bounded: 2 s per pair, computed once).
pub(crate) async fn versions_with_changes(
    state: &AppState,
    id: i64,
    rows: Vec<db::consultations::SpecVersionRow>,
) -> Result<Vec<DossierVersion>, AppError> {
    let cache = state.dossiers.clone();
    tokio::task::spawn_blocking(move || {
        let mut rows = rows;
        rows.reverse();
        let mut out: Vec<DossierVersion> = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let changes = match i.checked_sub(1).map(|p| &rows[p]) {
                None => String::new(),
                Some(previous) => cache.changes(id, row.number, || {
                    changes_fr(
                        &diff_specifications(
                            &previous.specification(),
                            &row.specification(),
                            &previous.criteria(),
                            &row.criteria(),
                            Duration::from_secs(2),
                        )
                        .stats,
                    )
                }),
            };
            out.push(DossierVersion {
                number: row.number as i32,
                published_at: row.published_at,
                changelog: row.changelog.clone(),
                text_sha256: row.text_sha256(),
                changes,
            });
        }
        out
    })
    .await
    .or_internal("comparing versions")
}

/// The redacted passages of each contribution.
pub(crate) fn passages_by_contribution(rows: &[db::dossier::RedactionRow]) -> HashMap<i64, Vec<String>> {
    rows.iter().fold(HashMap::new(), |mut map, r| {
        map.entry(r.contribution_id).or_default().push(r.passage.clone());
        map
    })
}

/// A contribution with its redacted passages replaced, everywhere its words appear (its text,
/// its earlier wordings, the replies).
pub(crate) fn redacted(mut v: ContributionView, passages: &HashMap<i64, Vec<String>>) -> ContributionView {
    let Some(passages) = passages.get(&v.id) else {
        return v;
    };
    v.justification = redact(&v.justification, passages);
    v.proposed_text = redact(&v.proposed_text, passages);
    for r in &mut v.revisions {
        r.justification = redact(&r.justification, passages);
        r.proposed_text = redact(&r.proposed_text, passages);
    }
    for reply in &mut v.replies {
        reply.body = redact(&reply.body, passages);
    }
    v
}

/// Contributions grouped by their clause or criterion, in the order of the latest version's
/// outline, then criteria, then clauses removed since.
fn group_by_target(views: Vec<ContributionView>, outline: &[crate::model::OutlineEntry]) -> Vec<DossierTarget> {
    let rank: HashMap<&str, usize> = outline
        .iter()
        .enumerate()
        .map(|(i, e)| (e.clause_id.as_str(), i))
        .collect();
    let mut groups: Vec<((usize, TargetKind, String), DossierTarget)> = Vec::new();
    for v in views {
        let key = (
            match v.target.kind {
                TargetKind::Clause => rank.get(v.target.id.as_str()).copied().unwrap_or(usize::MAX),
                TargetKind::Criterion => usize::MAX - 1,
            },
            v.target.kind,
            v.target.id.clone(),
        );
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.contributions.push(v),
            None => groups.push((
                key,
                DossierTarget {
                    label: v.target_label.clone(),
                    contributions: vec![v],
                },
            )),
        }
    }
    groups.sort_by(|a, b| (a.0 .0, &a.0 .2).cmp(&(b.0 .0, &b.0 .2)));
    groups.into_iter().map(|(_, g)| g).collect()
}

/// "2 clauses modifiées, 1 ajoutée, 1 supprimée" (or "Aucune clause modifiée").
fn changes_fr(stats: &DiffStats) -> String {
    let mut parts = Vec::new();
    let plural = |n: u32| if n > 1 { "s" } else { "" };
    if stats.modified > 0 {
        parts.push(format!(
            "{} clause{} modifiée{}",
            stats.modified,
            plural(stats.modified),
            plural(stats.modified)
        ));
    }
    if stats.added > 0 {
        parts.push(format!("{} ajoutée{}", stats.added, plural(stats.added)));
    }
    if stats.removed > 0 {
        parts.push(format!("{} supprimée{}", stats.removed, plural(stats.removed)));
    }
    if stats.moved > 0 {
        parts.push(format!("{} déplacée{}", stats.moved, plural(stats.moved)));
    }
    if parts.is_empty() {
        "Aucune clause modifiée".into()
    } else {
        parts.join(", ")
    }
}

/// The buyer publishes the public edition, once the exchanges are closed: from then on anyone
/// may read and download it from the consultation page.
pub async fn publish(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    let (record, access) = access(state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    if record.summary.latest_version.is_none() {
        return Err(AppError::Invalid(
            "Aucune version du cahier des charges n'est publiée : il n'y a pas encore de dossier à publier.".into(),
        ));
    }
    if !exchanges_closed(record.summary.status) {
        return Err(AppError::Conflict(
            "Le dossier de sourcing se publie après la clôture des échanges avec les entreprises.".into(),
        ));
    }
    let by = actor.user_id().ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.or_internal("publishing the dossier")?;
    let (_, access) = access_in(&mut tx, state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    if !db::dossier::publish(&mut tx, id, by, state.now())
        .await
        .or_internal("publishing the dossier")?
    {
        return Err(AppError::Conflict("Le dossier de sourcing est déjà publié.".into()));
    }
    tx.commit().await.or_internal("publishing the dossier")?;
    tracing::info!(consultation = id, "dossier published");
    Ok(())
}
