//! The buyer's side: creating a consultation, writing the draft of the next version,
//! publishing it, moving the consultation through its steps.

use crate::error::AppError;
use crate::model::{DraftInput, DraftSaved, DraftView, VersionPublished};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::consultations::visible_consultation,
    super::support::{authorize, caller, internal, with_status},
    crate::domain::consultation::{self as facts, ConsultationInput},
    crate::model::{ConsultationStatus, KeyDates},
    crate::server::auth::{Actor, Permission},
    crate::server::db::{self, consultations::NewConsultation},
    crate::server::publishing::{self, PublishingError},
    crate::server::AppState,
};

/// Creates a consultation (a draft, visible to the buyer's organisation and its reviewers only)
/// and opens its editor. A form post: works without JavaScript.
#[server(endpoint = "consultations/create")]
pub async fn create_consultation(
    title: String,
    object: String,
    cpv_codes: String,
    departements: String,
    mode: String,
    expected_tender: String,
) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    authorize(&actor, Permission::CreateConsultation)?;
    let input = ConsultationInput {
        title: &title,
        object: &object,
        cpv_codes: &cpv_codes,
        departements: &departements,
        mode: &mode,
        expected_tender: &expected_tender,
    };
    let checked = facts::validate(&input, state.clock.today())
        .map_err(|problems| with_status(AppError::Invalid(problems.join(" "))))?;
    let organisation = organisation_of(&actor)?;
    let cpv: Vec<&str> = checked.cpv_codes.iter().map(String::as_str).collect();
    let departements: Vec<&str> = checked.departements.iter().map(String::as_str).collect();
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(|e| internal("creating a consultation", e))?;
    let id = db::consultations::insert(
        &mut *tx,
        &NewConsultation {
            buyer_organisation_id: organisation,
            title: &checked.title,
            object: &checked.object,
            cpv_codes: &cpv,
            departements: &departements,
            mode: checked.mode,
            status: ConsultationStatus::Draft,
            dates: KeyDates {
                expected_tender: checked.expected_tender.map(|d| d.to_string()),
                ..KeyDates::default()
            },
        },
        state.now(),
    )
    .await
    .map_err(|e| internal("creating a consultation", e))?;
    tx.commit().await.map_err(|e| internal("creating a consultation", e))?;
    tracing::info!(consultation = id, "consultation created");
    leptos_axum::redirect(&format!("/consultations/{id}/rediger"));
    Ok(id)
}

/// The editor's starting point: the saved draft, or else the latest version, or else a template.
#[server(endpoint = "consultations/draft")]
pub async fn get_draft(id: i64) -> Result<DraftView, AppError> {
    let (state, actor) = caller().await?;
    let record = editable_consultation(&state, &actor, id).await?;
    let pool = state.db.pool();
    let draft = db::consultations::draft(pool, id)
        .await
        .map_err(|e| internal("reading a draft", e))?;
    let latest = db::consultations::version(pool, id, None)
        .await
        .map_err(|e| internal("reading a version", e))?;
    let latest_version = latest.as_ref().map(|v| v.number as i32);
    let published_markdown = latest.as_ref().map(|v| v.markdown.clone());
    let published_clause_ids = latest.as_ref().map(|v| v.clause_ids()).unwrap_or_default();
    let published_criteria = latest.as_ref().map(|v| v.criteria()).unwrap_or_default();
    let view = |markdown, criteria, changelog, revision, saved_at, saved_by| DraftView {
        consultation_id: id,
        title: record.summary.title.clone(),
        status: record.summary.status,
        markdown,
        criteria,
        changelog,
        revision,
        saved_at,
        saved_by,
        latest_version,
        published_markdown: published_markdown.clone(),
        published_clause_ids: published_clause_ids.clone(),
        published_criteria: published_criteria.clone(),
    };
    Ok(match (draft, latest) {
        (Some(d), _) => view(
            d.markdown,
            db::consultations::parse_criteria(&d.criteria),
            d.changelog,
            d.revision,
            Some(d.updated_at),
            d.updated_by_name,
        ),
        (None, Some(v)) => {
            let criteria = v.criteria();
            view(v.markdown, criteria, String::new(), 0, None, None)
        }
        (None, None) => view(
            template(&record.summary.title),
            Vec::new(),
            String::new(),
            0,
            None,
            None,
        ),
    })
}

/// Autosave of the draft. `revision` is the revision the editor last loaded or saved; a draft
/// saved since by someone else is not overwritten (409 with who and when).
#[server(endpoint = "consultations/draft/save", input = Json)]
pub async fn save_draft(id: i64, revision: i64, draft: DraftInput) -> Result<DraftSaved, AppError> {
    let (state, actor) = caller().await?;
    editable_consultation(&state, &actor, id).await?;
    let author = actor.signed_in().map(|s| s.user.id);
    publishing::save_draft(&state.db, id, &draft, revision, author)
        .await
        .map_err(publishing_error)
}

/// Publishes the draft as the version after `base_version` (absent for the first version).
#[server(endpoint = "consultations/publish", input = Json)]
pub async fn publish_version(
    id: i64,
    base_version: Option<i32>,
    draft: DraftInput,
) -> Result<VersionPublished, AppError> {
    let (state, actor) = caller().await?;
    editable_consultation(&state, &actor, id).await?;
    let author = actor.signed_in().map(|s| s.user.id);
    let published = publishing::publish(&state.db, id, base_version.map(i64::from), &draft, author)
        .await
        .map_err(publishing_error)?;
    tracing::info!(consultation = id, version = published.number, "version published");
    Ok(published)
}

/// Moves the consultation to its next step (`to` must be the step after the current one, so that
/// a double click or a stale page does nothing twice). A form post: works without JavaScript.
#[server(endpoint = "consultations/status")]
pub async fn advance_status(id: i64, to: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    let record = editable_consultation(&state, &actor, id).await?;
    let current = record.summary.status;
    let allowed = facts::manual_step(
        current,
        record.summary.mode,
        record.calendar.is_some(),
        record.summary.latest_version.is_some(),
    );
    let to = match (allowed, ConsultationStatus::parse(&to)) {
        (Ok(next), Some(wanted)) if wanted == next => next,
        (Err(refusal), Some(wanted)) if Some(wanted) == current.next(record.summary.mode) => {
            let message = refusal.message_fr().to_owned();
            return Err(with_status(match refusal {
                facts::StepRefusal::NoVersion => AppError::Invalid(message),
                _ => AppError::Conflict(message),
            }));
        }
        _ => {
            return Err(with_status(AppError::Conflict(format!(
                "La consultation est à l'étape « {} » : cette action n'est plus possible. Rechargez la page.",
                current.label_fr()
            ))))
        }
    };
    let moved = db::consultations::set_status(state.db.pool(), id, record.stored_status, to, state.now())
        .await
        .map_err(|e| internal("changing a status", e))?;
    if !moved {
        return Err(with_status(AppError::Conflict(
            "Un autre acheteur vient de changer l'étape de cette consultation. Rechargez la page.".into(),
        )));
    }
    tracing::info!(consultation = id, status = to.as_str(), "status changed");
    leptos_axum::redirect(&format!("/consultations/{id}"));
    Ok(())
}

/// The consultation if the caller may edit it: "not found" for whoever may not see it,
/// "forbidden" for whoever sees it without belonging to its buyer organisation.
#[cfg(feature = "ssr")]
async fn editable_consultation(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<db::consultations::ConsultationRecord, AppError> {
    let record = visible_consultation(state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&record.access()))?;
    Ok(record)
}

#[cfg(feature = "ssr")]
fn organisation_of(actor: &Actor) -> Result<i64, AppError> {
    actor.signed_in().and_then(|s| s.user.organisation_id).ok_or_else(|| {
        with_status(AppError::Forbidden(
            "Votre compte n'est rattaché à aucune organisation.".into(),
        ))
    })
}

#[cfg(feature = "ssr")]
fn publishing_error(error: PublishingError) -> AppError {
    with_status(match error {
        PublishingError::Invalid(message) => AppError::Invalid(message),
        PublishingError::Conflict(message) => AppError::Conflict(message),
        PublishingError::Db(e) => return internal("saving a draft or a version", e),
    })
}

/// The text a new specification starts from: the usual headings of a CCTP, to be rewritten.
#[cfg(feature = "ssr")]
fn template(title: &str) -> String {
    format!(
        "# {title}\n\n\
         Projet de cahier des clauses techniques particulières (CCTP) soumis au sourcing.\n\n\
         ## 1 Objet du marché\n\nDécrivez le besoin en quelques phrases.\n\n\
         ## 2 Périmètre\n\nSites, équipements, volumes concernés.\n\n\
         ## 3 Prestations attendues\n\nCe que le titulaire doit faire, et à quel niveau de service.\n\n\
         ## 4 Modalités d'exécution\n\nDélais, horaires, interlocuteurs, comptes rendus.\n"
    )
}
