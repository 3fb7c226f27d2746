//! Reading consultations.

use crate::error::AppError;
use crate::model::{ConsultationDetail, ConsultationSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::support::{authorize, caller, internal, with_status},
    crate::domain::spec::Specification,
    crate::model::{OutlineEntry, Role, SpecVersionView},
    crate::server::auth::{Actor, ConsultationAccess, Permission},
    crate::server::{db, render, AppState},
};

/// The catalogue: the consultations the caller may see (open sourcing once announced; for a
/// signed-in person also what their role gives access to).
#[server(endpoint = "consultations/list")]
pub async fn list_consultations() -> Result<Vec<ConsultationSummary>, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::ReadCatalogue)?;
    visible_consultations(&state, &actor).await
}

/// The consultations of the caller's own buyer organisation, drafts included (buyers), or of
/// the organisations a reviewer is attached to.
#[server(endpoint = "consultations/mine")]
pub async fn my_consultations() -> Result<Vec<ConsultationSummary>, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::ListOwnConsultations)?;
    let Some(signed_in) = actor.signed_in() else {
        return Ok(Vec::new());
    };
    let mine = |org: i64| match signed_in.user.role {
        Role::Buyer => signed_in.user.organisation_id == Some(org),
        _ => signed_in.reviewed_organisations.contains(&org),
    };
    let all = db::consultations::list_all(state.db.pool())
        .await
        .map_err(|e| internal("listing consultations", e))?;
    Ok(all.into_iter().filter(|(org, _)| mine(*org)).map(|(_, c)| c).collect())
}

/// One consultation with its current specification, rendered and sanitised on the server.
#[server(endpoint = "consultations/get")]
pub async fn get_consultation(id: i64) -> Result<ConsultationDetail, AppError> {
    let (state, actor) = caller().await?;
    let pool = state.db.pool();
    let record = db::consultations::find(pool, id)
        .await
        .map_err(|e| internal("reading a consultation", e))?;
    // Unknown and forbidden answer alike: the existence of a hidden consultation is not revealed.
    let record = record.ok_or_else(|| with_status(AppError::not_found("Cette consultation")))?;
    let invited = invited_consultations(&state, &actor).await?;
    let access = ConsultationAccess {
        buyer_organisation_id: record.buyer_organisation_id,
        status: record.summary.status,
        mode: record.summary.mode,
        caller_invited: invited.contains(&id),
    };
    authorize(&actor, Permission::ViewConsultation(&access))?;
    let version = db::consultations::latest_version(pool, id)
        .await
        .map_err(|e| internal("reading the latest version", e))?;
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

#[cfg(feature = "ssr")]
async fn invited_consultations(state: &AppState, actor: &Actor) -> Result<Vec<i64>, AppError> {
    match actor
        .signed_in()
        .and_then(|s| (s.user.role == Role::Supplier).then_some(s.user.organisation_id))
        .flatten()
    {
        Some(company) => db::consultations::invited_to(state.db.pool(), company)
            .await
            .map_err(|e| internal("reading invitations", e)),
        None => Ok(Vec::new()),
    }
}

#[cfg(feature = "ssr")]
async fn visible_consultations(state: &AppState, actor: &Actor) -> Result<Vec<ConsultationSummary>, AppError> {
    let all = db::consultations::list_all(state.db.pool())
        .await
        .map_err(|e| internal("listing consultations", e))?;
    let invited = invited_consultations(state, actor).await?;
    Ok(all
        .into_iter()
        .filter(|(org, c)| {
            let access = ConsultationAccess {
                buyer_organisation_id: *org,
                status: c.status,
                mode: c.mode,
                caller_invited: invited.contains(&c.id),
            };
            crate::server::auth::authorize(actor, Permission::ViewConsultation(&access)).is_ok()
        })
        .map(|(_, c)| c)
        .collect())
}
