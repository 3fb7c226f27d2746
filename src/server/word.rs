//! Word files on the site: a buyer's `.docx` / `.odt` imported into the editor, a published
//! version downloaded as `.docx`, and a comparison as a `.docx` with tracked changes. The
//! conversions are `domain::word`; here are the permissions, the access register, and the bound
//! on how many run at once (each holds up to ~100 MB while it reads a file).

use std::sync::Arc;

use super::consultations::{editable, visible};
use super::failure::OrInternal;
use super::{access_register, db, AppState};
use crate::domain::format::{instant_date_fr, rfc3339_utc};
use crate::domain::record::AccessKind;
use crate::domain::word::{self, Cover, WordError};
use crate::error::AppError;
use crate::model::WordImport;
use crate::server::auth::Actor;

/// Conversions running at once (CPU and memory work, off the async workers).
#[derive(Debug)]
pub struct WordConversions(tokio::sync::Semaphore);

impl WordConversions {
    pub fn new(at_once: usize) -> WordConversions {
        WordConversions(tokio::sync::Semaphore::new(at_once))
    }

    /// Runs a conversion when a place is free now; otherwise the caller is asked to retry.
    async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let Ok(_permit) = self.0.try_acquire() else {
            return Err(AppError::Busy(
                "Plusieurs documents Word sont en cours de conversion : réessayez dans quelques secondes.".into(),
            ));
        };
        tokio::task::spawn_blocking(work)
            .await
            .or_internal("converting a Word file")
    }
}

/// The cover page of a version: the consultation, its buyer, the version and its date.
fn cover(title: &str, buyer: &str, number: i64, published_at: i64) -> Cover {
    Cover {
        title: title.to_owned(),
        lines: vec![
            "Cahier des clauses techniques particulières (CCTP) — projet soumis au sourcing".into(),
            format!("Acheteur : {buyer}"),
            format!("Version {number}, publiée le {}", instant_date_fr(published_at)),
        ],
    }
}

async fn published(
    state: &AppState,
    id: i64,
    number: i64,
    title: &str,
) -> Result<db::consultations::SpecVersionRow, AppError> {
    db::consultations::version(state.db.pool(), id, Some(number))
        .await
        .or_internal("reading a version to export")?
        .ok_or_else(|| AppError::not_found(&format!("La version {number} de « {title} »")))
}

/// A published version as `.docx`, for whoever may read the consultation.
pub async fn version_docx(
    state: &AppState,
    actor: &Actor,
    id: i64,
    number: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let record = visible(state, actor, id).await?;
    let version = published(state, id, number, &record.summary.title).await?;
    access_register::record_access(state, actor, id, AccessKind::Markdown, Some(number), ".docx").await?;
    let cover = cover(
        &record.summary.title,
        &record.summary.buyer_name,
        number,
        version.published_at,
    );
    let bytes = state
        .word_conversions
        .run(move || word::version_docx(&version.markdown, &version.specification(), &cover))
        .await?;
    Ok((format!("cctp-consultation-{id}-v{number}.docx"), bytes))
}

/// Version `to` as `.docx` where every change since version `from` is a tracked change, dated at
/// the publication of `to`.
pub async fn comparison_docx(
    state: &AppState,
    actor: &Actor,
    id: i64,
    from: i64,
    to: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let record = visible(state, actor, id).await?;
    if from == to {
        return Err(AppError::Invalid(
            "Choisissez deux versions différentes à comparer.".into(),
        ));
    }
    let old = published(state, id, from, &record.summary.title).await?;
    let new = published(state, id, to, &record.summary.title).await?;
    access_register::record_access(
        state,
        actor,
        id,
        AccessKind::Comparison,
        Some(to),
        &format!("{from} → {to}, .docx"),
    )
    .await?;
    let title = &record.summary.title;
    let buyer = &record.summary.buyer_name;
    let (old_cover, new_cover) = (
        cover(title, buyer, from, old.published_at),
        cover(title, buyer, to, new.published_at),
    );
    let at = rfc3339_utc(new.published_at);
    let bytes = state
        .word_conversions
        .run(move || {
            let (old_spec, new_spec) = (old.specification(), new.specification());
            word::comparison_docx(
                word::Side {
                    markdown: &old.markdown,
                    spec: &old_spec,
                    cover: &old_cover,
                },
                word::Side {
                    markdown: &new.markdown,
                    spec: &new_spec,
                    cover: &new_cover,
                },
                &at,
            )
        })
        .await?;
    Ok((
        format!("cctp-consultation-{id}-v{from}-v{to}-suivi-des-modifications.docx"),
        bytes,
    ))
}

/// A Word or OpenDocument file read for the editor of consultation `id`: its Markdown and what
/// it loses. Nothing is stored: the editor shows the outline and the losses, and the buyer
/// decides (then it is saved like any typing).
pub async fn import(state: &AppState, actor: &Actor, id: i64, bytes: Vec<u8>) -> Result<WordImport, AppError> {
    editable(state, actor, id).await?;
    if bytes.is_empty() {
        return Err(AppError::Invalid("Le fichier envoyé est vide.".into()));
    }
    let imported = state
        .word_conversions
        .run(move || word::import(&bytes))
        .await?
        .map_err(|e: WordError| AppError::Invalid(e.to_string()))?;
    Ok(WordImport {
        markdown: imported.markdown,
        losses: imported.losses.iter().map(word::Loss::message_fr).collect(),
    })
}
