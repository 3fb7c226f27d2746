//! Reading consultations.

use crate::error::AppError;
use crate::model::{ConsultationDetail, ConsultationSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::support::{internal, with_status},
    crate::domain::spec::Specification,
    crate::model::{OutlineEntry, SpecVersionView},
    crate::server::{db, render, AppState},
};

/// The consultations anyone may see: every one except drafts.
#[server(endpoint = "consultations/list")]
pub async fn list_consultations() -> Result<Vec<ConsultationSummary>, AppError> {
    let state = AppState::current()?;
    db::consultations::list_public(state.db.pool())
        .await
        .map_err(|e| with_status(internal("listing consultations", e)))
}

/// One consultation with its current specification, rendered and sanitised on the server.
#[server(endpoint = "consultations/get")]
pub async fn get_consultation(id: i64) -> Result<ConsultationDetail, AppError> {
    let state = AppState::current()?;
    let pool = state.db.pool();
    let record = db::consultations::find(pool, id)
        .await
        .map_err(|e| with_status(internal("reading a consultation", e)))?;
    // A draft is not revealed to the public: same answer as for an id that does not exist.
    let record = record
        .filter(|r| r.summary.status.is_public())
        .ok_or_else(|| with_status(AppError::not_found("Cette consultation")))?;
    let version = db::consultations::latest_version(pool, id)
        .await
        .map_err(|e| with_status(internal("reading the latest version", e)))?;
    let current_version = version.map(|v| {
        let spec = Specification::parse(&v.markdown);
        SpecVersionView {
            number: v.number as i32,
            published_at: v.published_at,
            changelog: v.changelog,
            outline: spec
                .clauses
                .iter()
                .map(|c| OutlineEntry {
                    clause_id: c.id.clone(),
                    // "Article 544" already says its number: do not show "544 Article 544".
                    number: c.number.clone().filter(|n| !c.title.contains(n.as_str())),
                    title: c.title.clone(),
                    level: c.level,
                })
                .collect(),
            html: render::specification_html(&v.markdown),
        }
    });
    Ok(ConsultationDetail {
        summary: record.summary,
        object: record.object,
        cpv_codes: record.cpv_codes,
        current_version,
    })
}
