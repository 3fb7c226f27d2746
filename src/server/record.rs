//! The sourcing record: requests for validation of a version, the reviewers' notes and
//! decisions (the sign-off, bound to the SHA-256 of the version's text), and the registers of
//! participants and of accesses (seed 000: put everything in writing, keep one's distance from
//! who said what, give every candidate the same information).

use super::access_register::flush_reads;
use super::auth::permissions::reads_identities;
use super::auth::{authorize, Actor, Permission};
use super::consultations::{access, access_in};
use super::db::{self, record::ReviewRow};
use super::failure::OrInternal;
use super::notifications::{notify, Delivery, Notice};
use super::sign_off::signed_off_of;
use super::AppState;
use crate::domain::contribution::pseudonym;
use crate::domain::record::{self as rules, ReviewDecision};
use crate::error::AppError;
use crate::model::{
    AccessEntry, CompanyIdentity, ConsultationStatus, NotificationKind, OutlineEntry, ParticipantEntry, PendingReview,
    ReaderEntry, Registers, ReviewBoard, ReviewNoteView, ReviewView,
};
use std::collections::HashMap;

/// The buyer asks the reviewers attached to its organisation to validate a published version
/// (the latest, once the exchanges are closed).
pub async fn request_review(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: i32,
    message: &str,
) -> Result<i64, AppError> {
    let (record, access) = access(state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    let message = rules::check_request_message(message).map_err(AppError::Invalid)?;
    let requested_by = actor.user_id().ok_or(AppError::Internal)?;
    check_may_request(record.summary.status)?;
    let row = db::consultations::version(state.db.pool(), id, Some(i64::from(version)))
        .await
        .or_internal("requesting a review")?
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "La version {version} n'est pas publiée : seule une version publiée peut être soumise à la validation."
            ))
        })?;
    let sha256 = row.text_sha256();

    let mut tx = state.db.begin_write().await.or_internal("requesting a review")?;
    let (record, access) = access_in(&mut tx, state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    check_may_request(record.summary.status)?;
    let latest = db::consultations::latest_version_number(&mut *tx, id)
        .await
        .or_internal("requesting a review")?;
    if latest != Some(i64::from(version)) {
        return Err(AppError::Conflict(format!(
            "La version {version} n'est plus la dernière : demandez la validation de la version {}.",
            latest.unwrap_or_default()
        )));
    }
    let request = db::record::insert_review(
        &mut tx,
        &db::record::NewReview {
            consultation_id: id,
            version_number: i64::from(version),
            text_sha256: &sha256,
            message: &message,
            requested_by,
        },
        state.now(),
    )
    .await
    .or_internal("requesting a review")?;
    db::consultations::set_status(
        &mut tx,
        id,
        record.stored_status,
        ConsultationStatus::InReview,
        state.now(),
    )
    .await
    .or_internal("requesting a review")?;
    let reviewers = db::notifications::reviewers_of(&mut *tx, record.buyer_organisation_id)
        .await
        .or_internal("requesting a review")?;
    let notice = Notice {
        kind: NotificationKind::Review,
        dedup_key: format!("review-request:{request}"),
        title: format!(
            "Validation demandée : version {version} de « {} »",
            record.summary.title
        ),
        link: format!("/consultations/{id}/relecture"),
    };
    notify(
        &mut tx,
        &reviewers,
        &notice,
        Delivery::Now,
        &state.public_url,
        state.now(),
    )
    .await
    .or_internal("requesting a review")?;
    tx.commit().await.or_internal("requesting a review")?;
    tracing::info!(consultation = id, version, request, "review requested");
    state.events.contributions_changed(&state.db, id).await;
    Ok(request)
}

fn check_may_request(status: ConsultationStatus) -> Result<(), AppError> {
    use ConsultationStatus as S;
    match status {
        S::Drafting => Ok(()),
        S::InReview => Err(AppError::Conflict(
            "Une demande de validation est déjà en cours : attendez la décision du relecteur.".into(),
        )),
        S::Approved | S::Closed => Err(AppError::Conflict(
            "La dernière version est déjà validée. Publiez une nouvelle version pour demander une nouvelle validation."
                .into(),
        )),
        _ => Err(AppError::Conflict(
            "La validation porte sur la version finale : clôturez d'abord les échanges avec les entreprises.".into(),
        )),
    }
}

/// A reviewer attached to the buyer's organisation decides on a pending request: "Validée"
/// signs off that version's text (its SHA-256), "Modifications demandées" sends it back.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    request: i64,
    decision: ReviewDecision,
    message: &str,
) -> Result<(), AppError> {
    let review = find_review(state, request).await?;
    let id = review.consultation_id;
    let (_, access) = access(state, actor, id).await?;
    authorize(actor, Permission::SignOff(&access))?;
    if decision == ReviewDecision::Superseded {
        return Err(AppError::Invalid(
            "Choisissez « Validée » ou « Modifications demandées ».".into(),
        ));
    }
    let message = rules::check_decision_message(decision, message).map_err(AppError::Invalid)?;
    let reviewer = actor.user_id().ok_or(AppError::Internal)?;

    let mut tx = state.db.begin_write().await.or_internal("deciding on a review")?;
    let (record, access) = access_in(&mut tx, state, actor, id).await?;
    authorize(actor, Permission::SignOff(&access))?;
    let latest = db::consultations::version(&mut *tx, id, None)
        .await
        .or_internal("deciding on a review")?;
    // The sign-off holds for the text the buyer asked about, and only while it is the latest.
    let still_that_text = latest
        .as_ref()
        .is_some_and(|v| v.number == review.version_number && v.text_sha256() == review.text_sha256);
    if !still_that_text {
        return Err(AppError::Conflict(
            "Une version plus récente a été publiée depuis la demande : l'acheteur doit demander la validation de \
             la nouvelle version."
                .into(),
        ));
    }
    if record.summary.status != ConsultationStatus::InReview {
        return Err(already_decided());
    }
    if !db::record::decide(&mut tx, request, decision, &message, reviewer, state.now())
        .await
        .or_internal("deciding on a review")?
    {
        return Err(already_decided());
    }
    let to = match decision {
        ReviewDecision::Approved => ConsultationStatus::Approved,
        _ => ConsultationStatus::Drafting,
    };
    db::consultations::set_status(&mut tx, id, record.stored_status, to, state.now())
        .await
        .or_internal("deciding on a review")?;
    let buyers = db::notifications::buyer_side(&mut *tx, record.buyer_organisation_id, false)
        .await
        .or_internal("deciding on a review")?;
    let notice = Notice {
        kind: NotificationKind::Review,
        dedup_key: format!("review-decision:{request}"),
        title: format!(
            "Décision du relecteur sur « {} » : {}",
            record.summary.title,
            match decision {
                ReviewDecision::Approved => "version validée",
                _ => "modifications demandées",
            }
        ),
        link: format!("/consultations/{id}/relecture"),
    };
    notify(&mut tx, &buyers, &notice, Delivery::Now, &state.public_url, state.now())
        .await
        .or_internal("deciding on a review")?;
    tx.commit().await.or_internal("deciding on a review")?;
    tracing::info!(
        consultation = id,
        request,
        decision = decision.as_str(),
        "review decided"
    );
    state.events.contributions_changed(&state.db, id).await;
    Ok(())
}

fn already_decided() -> AppError {
    AppError::Conflict("Cette demande de validation a déjà reçu une décision. Rechargez la page.".into())
}

async fn find_review(state: &AppState, request: i64) -> Result<ReviewRow, AppError> {
    db::record::review(state.db.pool(), request)
        .await
        .or_internal("reading a review")?
        .ok_or_else(|| AppError::not_found("Cette demande de validation"))
}

/// A reviewer's note on a clause of the version under review.
pub async fn add_note(
    state: &AppState,
    actor: &Actor,
    request: i64,
    clause_id: &str,
    body: &str,
) -> Result<i64, AppError> {
    let review = find_review(state, request).await?;
    let id = review.consultation_id;
    let (_, access) = access(state, actor, id).await?;
    authorize(actor, Permission::SignOff(&access))?;
    let body = rules::check_review_note(body).map_err(AppError::Invalid)?;
    if review.decision.0.is_some() {
        return Err(already_decided());
    }
    let row = db::consultations::version(state.db.pool(), id, Some(review.version_number))
        .await
        .or_internal("adding a review note")?
        .ok_or(AppError::Internal)?;
    let readable = state.versions.get(id, row).await?;
    if !readable.outline.iter().any(|e| e.clause_id == clause_id) {
        return Err(AppError::Invalid(format!(
            "Cette clause n'existe pas dans la version {} : choisissez-la dans le plan.",
            review.version_number
        )));
    }
    let author = actor.user_id().ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.or_internal("adding a review note")?;
    let note = db::record::insert_note(&mut tx, request, clause_id, &body, author, state.now())
        .await
        .or_internal("adding a review note")?;
    tx.commit().await.or_internal("adding a review note")?;
    Ok(note)
}

/// The review page: every request with its notes and decision, for the buyer's organisation and
/// its reviewers.
pub async fn board(state: &AppState, actor: &Actor, id: i64) -> Result<ReviewBoard, AppError> {
    let (record, access) = access(state, actor, id).await?;
    authorize(actor, Permission::ReadRecord(&access))?;
    let pool = state.db.pool();
    let (rows, notes, latest) = tokio::try_join!(
        db::record::reviews(pool, id),
        db::record::notes(pool, id),
        db::consultations::version(pool, id, None),
    )
    .or_internal("reading reviews")?;
    let signed_off = signed_off_of(latest.as_ref(), &rows);
    let outline = match latest {
        Some(row) => state.versions.get(id, row).await?.outline.clone(),
        None => Vec::new(),
    };
    let reviews = review_views(rows, &notes, &outline);
    Ok(ReviewBoard {
        consultation_id: id,
        can_request: authorize(actor, Permission::EditConsultation(&access)).is_ok()
            && record.summary.status == ConsultationStatus::Drafting
            && record.summary.latest_version.is_some(),
        can_decide: authorize(actor, Permission::SignOff(&access)).is_ok(),
        title: record.summary.title,
        status: record.summary.status,
        latest_version: record.summary.latest_version,
        reviews,
        outline,
        signed_off,
    })
}

/// The requests with their notes and decisions, newest first.
fn review_views(
    rows: Vec<ReviewRow>,
    notes: &[db::record::ReviewNoteRow],
    outline: &[OutlineEntry],
) -> Vec<ReviewView> {
    let labels: HashMap<&str, String> = outline.iter().map(|e| (e.clause_id.as_str(), label(e))).collect();
    rows.into_iter()
        .map(|r| ReviewView {
            notes: notes
                .iter()
                .filter(|n| n.request_id == r.id)
                .map(|n| ReviewNoteView {
                    id: n.id,
                    clause_label: labels
                        .get(n.clause_id.as_str())
                        .cloned()
                        .unwrap_or_else(|| format!("Clause retirée depuis ({})", n.clause_id)),
                    clause_id: n.clause_id.clone(),
                    body: n.body.clone(),
                    author: n.author_name.clone(),
                    created_at: n.created_at,
                })
                .collect(),
            id: r.id,
            version: r.version_number as i32,
            text_sha256: r.text_sha256,
            message: r.message,
            requested_by: r.requested_by_name,
            requested_at: r.requested_at,
            decision: r.decision.0,
            decision_message: r.decision_message,
            decided_by: r.decided_by_name,
            decided_at: r.decided_at,
        })
        .collect()
}

/// The requests for validation and their decisions, oldest first, for the dossier (with the
/// reviewers' notes when `with_notes`; the caller's permission is the dossier's to check).
pub(crate) async fn reviews_for_dossier(
    state: &AppState,
    id: i64,
    outline: &[OutlineEntry],
    with_notes: bool,
) -> Result<Vec<ReviewView>, AppError> {
    let pool = state.db.pool();
    let (rows, notes) =
        tokio::try_join!(db::record::reviews(pool, id), db::record::notes(pool, id)).or_internal("reading reviews")?;
    let notes = if with_notes { notes } else { Vec::new() };
    let mut reviews = review_views(rows, &notes, outline);
    reviews.reverse();
    Ok(reviews)
}

fn label(e: &OutlineEntry) -> String {
    match &e.number {
        Some(n) => format!("{n} {}", e.title),
        None => e.title.clone(),
    }
}

/// The requests waiting for the caller, a reviewer, on the consultations of the organisations
/// it is attached to.
pub async fn pending(state: &AppState, actor: &Actor) -> Result<Vec<PendingReview>, AppError> {
    authorize(actor, Permission::ListOwnConsultations)?;
    let Some(reviewer) = actor
        .signed_in()
        .filter(|s| s.user.role == crate::model::Role::Reviewer)
    else {
        return Ok(Vec::new());
    };
    let rows = db::record::pending_for(state.db.pool(), &reviewer.reviewed_organisations)
        .await
        .or_internal("listing reviews")?;
    Ok(rows
        .into_iter()
        .map(|(r, title)| PendingReview {
            consultation_id: r.consultation_id,
            title,
            version: r.version_number as i32,
            message: r.message,
            requested_by: r.requested_by_name,
            requested_at: r.requested_at,
        })
        .collect())
}

/// The registers of a consultation: participants (with their identities when the caller may
/// read them) and, per company, what it read and downloaded.
pub async fn registers(state: &AppState, actor: &Actor, id: i64) -> Result<Registers, AppError> {
    let (record, access) = access(state, actor, id).await?;
    authorize(actor, Permission::ReadRecord(&access))?;
    let unsealed = reads_identities(actor, &access);
    flush_reads(state).await?;
    let pool = state.db.pool();
    let (identities, contacts, accesses, readers, anonymous) = tokio::try_join!(
        db::record::identities(pool, id),
        db::record::contacts(pool, id),
        db::record::accesses(pool, id),
        db::record::organisation_names(pool, id),
        db::record::anonymous_reads(pool, id),
    )
    .or_internal("reading the registers")?;
    let identity = |organisation: i64, name: &str, siret: &Option<String>| {
        unsealed.then(|| CompanyIdentity {
            name: name.to_owned(),
            siret: siret.clone(),
            contacts: contacts
                .iter()
                .filter(|(o, _)| *o == organisation)
                .map(|(_, e)| e.clone())
                .collect(),
        })
    };
    let participants: Vec<ParticipantEntry> = identities
        .iter()
        .map(|p| ParticipantEntry {
            pseudonym: pseudonym(p.pseudonym_index),
            joined_at: p.registered_at,
            identity: identity(p.organisation_id, &p.name, &p.siret),
        })
        .collect();
    // Each reading company in order of its first access; participants under their pseudonym.
    let mut order: Vec<i64> = Vec::new();
    for a in &accesses {
        if !order.contains(&a.organisation_id) {
            order.push(a.organisation_id);
        }
    }
    let mut outsiders = 0;
    let readers = order
        .into_iter()
        .map(|organisation| {
            let label = match identities.iter().find(|p| p.organisation_id == organisation) {
                Some(p) => pseudonym(p.pseudonym_index),
                None => {
                    outsiders += 1;
                    format!("Lecteur non participant {outsiders}")
                }
            };
            let name = readers
                .iter()
                .find(|(o, ..)| *o == organisation)
                .and_then(|(o, name, siret)| identity(*o, name, siret))
                .map(|i| i.name);
            ReaderEntry {
                label,
                name,
                accesses: accesses
                    .iter()
                    .filter(|a| a.organisation_id == organisation)
                    .map(|a| AccessEntry {
                        kind: a.kind,
                        version: a.version_number.map(|v| v as i32),
                        detail: a.detail.clone(),
                        at: a.at,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Registers {
        consultation_id: id,
        title: record.summary.title,
        sealed: !unsealed,
        participants,
        readers,
        anonymous: anonymous
            .into_iter()
            .filter_map(|(kind, reads)| kind.parse().ok().map(|k| (k, reads)))
            .collect(),
    })
}
