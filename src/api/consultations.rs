//! Reading consultations.

use crate::error::AppError;
use crate::model::{ConsultationDetail, ConsultationSummary, VersionHistory};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::support::{authorize, caller, internal, with_status},
    crate::model::{ConsultationCalendar, OutlineEntry, Role, SpecVersionView, VersionSummary},
    crate::server::auth::{Actor, ConsultationAccess, Permission},
    crate::server::{db, render, AppState},
};

/// The catalogue: the consultations the caller may see (open sourcing once announced; for a
/// signed-in person also what their role gives access to).
#[server(endpoint = "consultations/list")]
pub async fn list_consultations() -> Result<Vec<ConsultationSummary>, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::ReadCatalogue)?;
    Ok(visible_consultations(&state, &actor)
        .await?
        .into_iter()
        .map(|c| c.summary)
        .collect())
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
    let all = db::consultations::list_all(state.db.pool(), state.clock.today())
        .await
        .map_err(|e| internal("listing consultations", e))?;
    Ok(all
        .into_iter()
        .filter(|c| mine(c.buyer_organisation_id))
        .map(|c| c.summary)
        .collect())
}

/// One consultation with a version of its specification (the latest when `version` is absent),
/// rendered and sanitised on the server.
#[server(endpoint = "consultations/get")]
pub async fn get_consultation(id: i64, version: Option<i64>) -> Result<ConsultationDetail, AppError> {
    let (state, actor) = caller().await?;
    let record = visible_consultation(&state, &actor, id).await?;
    let shown = db::consultations::version(state.db.pool(), id, version)
        .await
        .map_err(|e| internal("reading a version", e))?;
    if version.is_some() && shown.is_none() {
        return Err(with_status(AppError::not_found("Cette version du cahier des charges")));
    }
    // Parsing and rendering a long version is CPU work: off the async workers.
    let rendered = tokio::task::spawn_blocking(move || {
        shown.map(|v| {
            let spec = v.specification();
            SpecVersionView {
                number: v.number as i32,
                published_at: v.published_at,
                outline: spec
                    .clauses
                    .iter()
                    .map(|c| OutlineEntry {
                        clause_id: c.id.clone(),
                        // "Article 544" already says its number: do not show "544 Article 544".
                        number: c.shown_number().map(str::to_owned),
                        title: c.title.clone(),
                        level: c.level,
                    })
                    .collect(),
                parts: render::version_parts(&v.markdown, &spec),
                criteria: v.criteria(),
                author: v.author_name,
                changelog: v.changelog,
            }
        })
    });
    let current_version = rendered.await.map_err(|e| internal("rendering a version", e))?;
    let can_edit = crate::server::auth::authorize(&actor, Permission::EditConsultation(&record.access())).is_ok();
    let calendar = record.calendar.as_ref().map(|settings| ConsultationCalendar {
        phases: settings.calendar().phases,
        settings: settings.clone(),
    });
    Ok(ConsultationDetail {
        summary: record.summary,
        object: record.object,
        cpv_codes: record.cpv_codes,
        current_version,
        can_edit,
        calendar,
        today: state.clock.today(),
    })
}

/// The revision history: every published version, newest first.
#[server(endpoint = "consultations/versions")]
pub async fn list_versions(id: i64) -> Result<VersionHistory, AppError> {
    let (state, actor) = caller().await?;
    let record = visible_consultation(&state, &actor, id).await?;
    let rows = db::consultations::versions(state.db.pool(), id)
        .await
        .map_err(|e| internal("listing versions", e))?;
    let versions = rows
        .into_iter()
        .map(|v| VersionSummary {
            number: v.number as i32,
            published_at: v.published_at,
            clause_count: v.specification().clauses.len() as u32,
            criteria_count: v.criteria().len() as u32,
            author: v.author_name,
            changelog: v.changelog,
        })
        .collect();
    Ok(VersionHistory {
        consultation_id: id,
        title: record.summary.title,
        versions,
    })
}

/// Two versions compared clause by clause (defaults: the latest and the one before). Only the
/// changed clauses carry text: a page on two 1 MB versions receives what it shows.
#[server(endpoint = "consultations/compare")]
pub async fn compare_versions(
    id: i64,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<crate::model::VersionComparison, AppError> {
    let (state, actor) = caller().await?;
    let record = visible_consultation(&state, &actor, id).await?;
    let rows = db::consultations::versions(state.db.pool(), id)
        .await
        .map_err(|e| internal("reading versions", e))?;
    let numbers: Vec<i32> = rows.iter().map(|v| v.number as i32).collect();
    let latest = numbers.first().copied();
    let to = to.or(latest);
    let from = from.or_else(|| to.map(|t| t - 1));
    let find = |n: Option<i32>| rows.iter().find(|v| Some(v.number as i32) == n).cloned();
    let (Some(old), Some(new)) = (find(from), find(to)) else {
        return Err(with_status(AppError::Invalid(
            "Choisissez deux versions publiées à comparer (il en faut au moins deux).".into(),
        )));
    };
    let (from, to) = (old.number as i32, new.number as i32);
    // Parsing and comparing two long versions takes milliseconds of CPU: off the async workers.
    let diff = tokio::task::spawn_blocking(move || {
        crate::domain::diff::diff_specifications(
            &old.specification(),
            &new.specification(),
            &old.criteria(),
            &new.criteria(),
            std::time::Duration::from_secs(2),
        )
    })
    .await
    .map_err(|e| internal("comparing versions", e))?;
    Ok(crate::model::VersionComparison {
        consultation_id: id,
        title: record.summary.title,
        versions: numbers,
        from,
        to,
        diff,
    })
}

/// Most clauses one call unfolds: a page asks for the rest as the reader goes on.
pub const MAX_UNFOLDED_CLAUSES: usize = 100;

/// The text of some clauses of a published version, rendered and sanitised, in the version's
/// order: the comparison page unfolds runs of unchanged clauses with it, on demand.
#[server(endpoint = "consultations/clauses", input = server_fn::codec::Json)]
pub async fn version_clauses(
    id: i64,
    version: i32,
    clause_ids: Vec<String>,
) -> Result<Vec<crate::domain::markdown::RenderedPart>, AppError> {
    let (state, actor) = caller().await?;
    visible_consultation(&state, &actor, id).await?;
    if clause_ids.len() > MAX_UNFOLDED_CLAUSES {
        return Err(with_status(AppError::Invalid(format!(
            "Au plus {MAX_UNFOLDED_CLAUSES} clauses à la fois."
        ))));
    }
    if clause_ids.is_empty() {
        return Ok(Vec::new());
    }
    let row = db::consultations::version(state.db.pool(), id, Some(i64::from(version)))
        .await
        .map_err(|e| internal("reading a version", e))?
        .ok_or_else(|| with_status(AppError::not_found("Cette version du cahier des charges")))?;
    let wanted: std::collections::HashSet<&str> = clause_ids.iter().map(String::as_str).collect();
    // Only the clauses asked for are rendered and sanitised, not the whole version per batch.
    let spec = row.specification();
    Ok(render::version_parts_where(&row.markdown, &spec, |clause| {
        clause.is_some_and(|c| wanted.contains(c))
    }))
}

/// The consultation if the caller may see it; otherwise the same "not found" as for an id that
/// does not exist, so that the existence of a hidden consultation is not revealed.
#[cfg(feature = "ssr")]
pub(crate) async fn visible_consultation(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<db::consultations::ConsultationRecord, AppError> {
    Ok(consultation_access(state, actor, id).await?.0)
}

/// [`visible_consultation`] with what the permission rules know of it for this caller.
#[cfg(feature = "ssr")]
pub(crate) async fn consultation_access(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(db::consultations::ConsultationRecord, ConsultationAccess), AppError> {
    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .map_err(|e| internal("reading a consultation", e))?;
    consultation_access_in(&mut conn, state, actor, id).await
}

/// [`consultation_access`] on a connection, or inside the write transaction that then acts on
/// what it checked.
#[cfg(feature = "ssr")]
pub(crate) async fn consultation_access_in(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(db::consultations::ConsultationRecord, ConsultationAccess), AppError> {
    let record = db::consultations::find_in(conn, id, state.clock.today())
        .await
        .map_err(|e| internal("reading a consultation", e))?
        .ok_or_else(|| with_status(AppError::not_found("Cette consultation")))?;
    let invited = match invited_company(actor) {
        Some(company) => db::consultations::invited_to(&mut *conn, company)
            .await
            .map_err(|e| internal("reading invitations", e))?,
        None => Vec::new(),
    };
    let mut access = record.access();
    access.caller_invited = invited.contains(&id);
    authorize(actor, Permission::ViewConsultation(&access))?;
    Ok((record, access))
}

/// The company of a supplier, whose invitations to restricted consultations count.
#[cfg(feature = "ssr")]
fn invited_company(actor: &Actor) -> Option<i64> {
    actor
        .signed_in()
        .filter(|s| s.user.role == Role::Supplier)
        .and_then(|s| s.user.organisation_id)
}

#[cfg(feature = "ssr")]
async fn invited_consultations(state: &AppState, actor: &Actor) -> Result<Vec<i64>, AppError> {
    match invited_company(actor) {
        Some(company) => db::consultations::invited_to(state.db.pool(), company)
            .await
            .map_err(|e| internal("reading invitations", e)),
        None => Ok(Vec::new()),
    }
}

/// The consultations the caller may see, with their calendars.
#[cfg(feature = "ssr")]
pub(crate) async fn visible_consultations(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<db::consultations::Listed>, AppError> {
    let all = db::consultations::list_all(state.db.pool(), state.clock.today())
        .await
        .map_err(|e| internal("listing consultations", e))?;
    let invited = invited_consultations(state, actor).await?;
    Ok(all
        .into_iter()
        .filter(|c| {
            let access = ConsultationAccess {
                buyer_organisation_id: c.buyer_organisation_id,
                status: c.summary.status,
                mode: c.summary.mode,
                caller_invited: invited.contains(&c.summary.id),
            };
            crate::server::auth::authorize(actor, Permission::ViewConsultation(&access)).is_ok()
        })
        .collect())
}
