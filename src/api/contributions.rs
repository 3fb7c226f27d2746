//! Contributions of companies on clauses and criteria, and the buyer's answers (seed 001).
//!
//! Everyone who may see a consultation sees its contributions and answers (equal treatment),
//! under pseudonyms only: no response here names a company or a person, not even to the buyer.

use crate::domain::contribution::{ContributionInput, NewContribution};
use crate::error::AppError;
use crate::model::ContributionBoard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::consultations::consultation_access,
    super::support::{authorize, caller, internal, with_status},
    crate::domain::anchor,
    crate::domain::calendar::PhaseKind,
    crate::domain::contribution::{pseudonym, validate_reply, ContributionKind, ContributionStatus, TargetKind},
    crate::model::{ConsultationStatus, ContributorRole, Role},
    crate::server::auth::{Actor, ConsultationAccess, Permission},
    crate::server::contributions::{version_texts, Thread},
    crate::server::db::{self, consultations::ConsultationRecord, contributions::ContributionRow},
    crate::server::AppState,
};

/// The contributions made up to a version (the latest when `version` is absent), re-anchored on
/// it, with what the caller may do.
#[server(endpoint = "contributions/list")]
pub async fn list_contributions(id: i64, version: Option<i32>) -> Result<ContributionBoard, AppError> {
    let (state, actor) = caller().await?;
    board(&state, &actor, id, version).await
}

/// [`list_contributions`], also for the CSV export.
#[cfg(feature = "ssr")]
pub(crate) async fn board(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: Option<i32>,
) -> Result<ContributionBoard, AppError> {
    let (record, access) = consultation_access(state, actor, id).await?;
    let pool = state.db.pool();
    let row = db::consultations::version(pool, id, version.map(i64::from))
        .await
        .map_err(|e| internal("reading a version", e))?;
    let role = role_of(state, actor, &access, id).await?;
    let mut board = ContributionBoard {
        consultation_id: id,
        version: 0,
        role,
        exchanges_open: record.summary.status == ConsultationStatus::Exchanges,
        exchanges_note: exchanges_note(&record),
        contributions: Vec::new(),
    };
    let Some(row) = row else {
        return match version {
            Some(_) => Err(with_status(AppError::not_found("Cette version du cahier des charges"))),
            None => Ok(board),
        };
    };
    let texts = version_texts(id, &row);
    let (rows, revisions, replies, participants) = tokio::try_join!(
        db::contributions::list(pool, id),
        db::contributions::revisions(pool, id),
        db::contributions::replies(pool, id),
        db::contributions::participants(pool, id),
    )
    .map_err(|e| internal("reading contributions", e))?;
    board.version = row.number as i32;
    board.contributions = Thread {
        rows: &rows,
        revisions: &revisions,
        replies: &replies,
        participants: &participants,
        caller_organisation: supplier_organisation(actor),
    }
    .views(&texts);
    Ok(board)
}

/// Registers the caller's company as a participant; returns its pseudonym ("Entreprise C").
#[server(endpoint = "contributions/participate")]
pub async fn participate(id: i64) -> Result<String, AppError> {
    let (state, actor) = caller().await?;
    let (_, access) = consultation_access(&state, &actor, id).await?;
    authorize(&actor, Permission::Participate(&access))?;
    let organisation = supplier_organisation(&actor).ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.map_err(|e| internal("registering", e))?;
    let index = db::contributions::register(&mut tx, id, organisation)
        .await
        .map_err(|e| internal("registering", e))?;
    tx.commit().await.map_err(|e| internal("registering", e))?;
    Ok(pseudonym(index))
}

/// A new contribution on a clause (or words of it) or a criterion of the latest version.
#[server(endpoint = "contributions/create", input = server_fn::codec::Json)]
pub async fn create_contribution(contribution: NewContribution) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    let id = contribution.consultation_id;
    let (record, access) = consultation_access(&state, &actor, id).await?;
    authorize(&actor, Permission::Contribute(&access))?;
    check_exchanges_open(&record)?;
    let (signed_in, organisation) = contributor(&actor)?;
    let content = contribution
        .input
        .validate()
        .map_err(|p| with_status(AppError::Invalid(p.join(" "))))?;
    let target = &contribution.target;
    match (target.kind, content.kind) {
        (TargetKind::Criterion, ContributionKind::AlternativeClause) => {
            return Err(invalid(
                "Sur un critère d'attribution, proposez un critère alternatif plutôt qu'une clause.",
            ))
        }
        (TargetKind::Clause, ContributionKind::AlternativeCriterion) => {
            return Err(invalid(
                "Un critère alternatif se propose sur un critère d'attribution, pas sur une clause.",
            ))
        }
        _ => {}
    }

    let mut tx = state.db.begin_write().await.map_err(|e| internal("contributing", e))?;
    if db::contributions::participant(&mut *tx, id, organisation)
        .await
        .map_err(|e| internal("contributing", e))?
        .is_none()
    {
        return Err(with_status(AppError::Forbidden(
            "Inscrivez d'abord votre entreprise comme participante à ce sourcing (bouton « Participer »).".into(),
        )));
    }
    let latest = db::consultations::version(&mut *tx, id, None)
        .await
        .map_err(|e| internal("contributing", e))?
        .ok_or_else(|| invalid("Aucune version n'est publiée : il n'y a rien à annoter pour l'instant."))?;
    if latest.number != i64::from(contribution.version) {
        return Err(with_status(AppError::Conflict(format!(
            "La version {} du cahier des charges a été publiée depuis que vous avez ouvert la page : \
             relisez-la (rechargez la page), votre texte est conservé dans le formulaire.",
            latest.number
        ))));
    }
    let texts = version_texts(id, &latest);
    let (label, text) = texts.get(target).ok_or_else(|| {
        invalid(match target.kind {
            TargetKind::Clause => "Cette clause n'existe pas dans la version publiée.",
            TargetKind::Criterion => "Ce critère n'existe pas dans la version publiée.",
        })
    })?;
    // The server recomputes the anchor from its own copy of the text: what is stored is always
    // consistent with the version, whatever the browser sent.
    let selector = match &contribution.selector {
        None => None,
        Some(_) if target.kind == TargetKind::Criterion => {
            return Err(invalid("Une contribution sur un critère porte sur le critère entier."))
        }
        Some(sent) => {
            let found = anchor::locate(text, sent).ok_or_else(|| {
                invalid(
                    "Le passage sélectionné ne figure pas dans cette clause : sélectionnez-le à nouveau dans le texte.",
                )
            })?;
            let selector = anchor::select(text, found.position.start, found.position.end)
                .ok_or_else(|| invalid("Le passage sélectionné est vide ou trop long (2 000 caractères au plus)."))?;
            Some(selector)
        }
    };
    let new_id = db::contributions::insert(
        &mut *tx,
        &db::contributions::NewContributionRow {
            consultation_id: id,
            version_number: latest.number,
            target,
            selector: selector.as_ref(),
            target_text: text,
            target_label: label,
            content: &content,
            organisation_id: organisation,
            author_id: signed_in,
        },
    )
    .await
    .map_err(|e| internal("storing a contribution", e))?;
    tx.commit().await.map_err(|e| internal("storing a contribution", e))?;
    state.events.contributions_changed(&state.db, id).await;
    Ok(new_id)
}

/// The contributing company rewrites its contribution while exchanges are open; what it said
/// before is kept and shown as the history.
#[server(endpoint = "contributions/edit", input = server_fn::codec::Json)]
pub async fn edit_contribution(id: i64, input: ContributionInput) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    let (row, record) = own_contribution(&state, &actor, id).await?;
    check_exchanges_open(&record)?;
    let content = input
        .validate()
        .map_err(|p| with_status(AppError::Invalid(p.join(" "))))?;
    let mut tx = state.db.begin_write().await.map_err(|e| internal("editing", e))?;
    // Read again inside the write transaction: the history holds exactly what was replaced.
    let before = db::contributions::find(&mut *tx, row.id)
        .await
        .map_err(|e| internal("editing", e))?
        .ok_or(AppError::Internal)?;
    if before.withdrawn_at.is_some() {
        return Err(with_status(AppError::Conflict(
            "Cette contribution a été retirée : elle ne peut plus être modifiée.".into(),
        )));
    }
    db::contributions::edit(&mut tx, &before, &content)
        .await
        .map_err(|e| internal("editing", e))?;
    tx.commit().await.map_err(|e| internal("editing", e))?;
    state.events.contributions_changed(&state.db, row.consultation_id).await;
    Ok(())
}

/// The contributing company withdraws its contribution while exchanges are open. It stays in the
/// record, marked as withdrawn.
#[server(endpoint = "contributions/withdraw")]
pub async fn withdraw_contribution(id: i64) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    let (row, record) = own_contribution(&state, &actor, id).await?;
    check_exchanges_open(&record)?;
    if row.withdrawn_at.is_some() {
        return Err(with_status(AppError::Conflict(
            "Cette contribution est déjà retirée.".into(),
        )));
    }
    db::contributions::withdraw(state.db.pool(), id)
        .await
        .map_err(|e| internal("withdrawing", e))?;
    state.events.contributions_changed(&state.db, row.consultation_id).await;
    Ok(())
}

/// A reply in a contribution's thread: from the buyer (at any time; the first answer marks an
/// open contribution as answered) or from the contributing company (during exchanges).
#[server(endpoint = "contributions/reply")]
pub async fn reply_to_contribution(id: i64, body: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    let (row, record, access) = visible_contribution(&state, &actor, id).await?;
    let from_buyer = crate::server::auth::authorize(&actor, Permission::EditConsultation(&access)).is_ok();
    if !from_buyer {
        let own = supplier_organisation(&actor) == Some(row.organisation_id);
        if !own {
            return Err(with_status(AppError::Forbidden(
                "Seuls l'acheteur et l'entreprise qui a déposé la contribution peuvent y répondre.".into(),
            )));
        }
        check_exchanges_open(&record)?;
    }
    let body = validate_reply(&body).map_err(|m| with_status(AppError::Invalid(m)))?;
    let author = actor.signed_in().map(|s| s.user.id).ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.map_err(|e| internal("replying", e))?;
    db::contributions::insert_reply(&mut *tx, id, from_buyer, &body, author)
        .await
        .map_err(|e| internal("replying", e))?;
    if from_buyer && row.status() == ContributionStatus::Open {
        db::contributions::set_status(&mut *tx, id, ContributionStatus::Answered, None)
            .await
            .map_err(|e| internal("replying", e))?;
    }
    tx.commit().await.map_err(|e| internal("replying", e))?;
    state.events.contributions_changed(&state.db, row.consultation_id).await;
    Ok(())
}

/// The buyer's decision on a contribution; "integrated" names the version that took it in.
#[server(endpoint = "contributions/status")]
pub async fn set_contribution_status(id: i64, status: String, version: Option<i32>) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    let (row, _, access) = visible_contribution(&state, &actor, id).await?;
    authorize(&actor, Permission::EditConsultation(&access))?;
    let status = ContributionStatus::parse(&status).ok_or_else(|| invalid("Ce statut n'existe pas."))?;
    let integrated = match (status, version) {
        (ContributionStatus::Integrated, None) => {
            return Err(invalid("Indiquez la version qui intègre cette contribution."));
        }
        (ContributionStatus::Integrated, Some(n)) => {
            let exists = db::consultations::version(state.db.pool(), row.consultation_id, Some(i64::from(n)))
                .await
                .map_err(|e| internal("reading a version", e))?
                .is_some();
            if !exists || i64::from(n) <= row.version_number {
                return Err(invalid(&format!(
                    "Choisissez une version publiée après la version {} sur laquelle porte la contribution.",
                    row.version_number
                )));
            }
            Some(i64::from(n))
        }
        _ => None,
    };
    db::contributions::set_status(state.db.pool(), id, status, integrated)
        .await
        .map_err(|e| internal("setting a status", e))?;
    state.events.contributions_changed(&state.db, row.consultation_id).await;
    Ok(())
}

#[cfg(feature = "ssr")]
fn invalid(message: &str) -> AppError {
    with_status(AppError::Invalid(message.to_owned()))
}

/// The company of a signed-in supplier.
#[cfg(feature = "ssr")]
fn supplier_organisation(actor: &Actor) -> Option<i64> {
    actor
        .signed_in()
        .filter(|s| s.user.role == Role::Supplier)
        .and_then(|s| s.user.organisation_id)
}

/// The user and company of a supplier (permission already checked).
#[cfg(feature = "ssr")]
fn contributor(actor: &Actor) -> Result<(i64, i64), AppError> {
    let user = actor.signed_in().map(|s| s.user.id).ok_or(AppError::Internal)?;
    Ok((user, supplier_organisation(actor).ok_or(AppError::Internal)?))
}

#[cfg(feature = "ssr")]
async fn role_of(
    state: &AppState,
    actor: &Actor,
    access: &ConsultationAccess,
    id: i64,
) -> Result<ContributorRole, AppError> {
    if crate::server::auth::authorize(actor, Permission::EditConsultation(access)).is_ok() {
        return Ok(ContributorRole::Buyer);
    }
    let Some(organisation) = supplier_organisation(actor) else {
        return Ok(ContributorRole::Reader);
    };
    let index = db::contributions::participant(state.db.pool(), id, organisation)
        .await
        .map_err(|e| internal("reading participants", e))?;
    Ok(match index {
        Some(index) => ContributorRole::Participant {
            pseudonym: pseudonym(index),
        },
        None if crate::server::auth::authorize(actor, Permission::Participate(access)).is_ok() => {
            ContributorRole::MayParticipate
        }
        None => ContributorRole::Reader,
    })
}

/// Contributions are accepted during the exchange phase only (by the calendar's dates, or as set
/// by the buyer when there is no calendar).
#[cfg(feature = "ssr")]
fn check_exchanges_open(record: &ConsultationRecord) -> Result<(), AppError> {
    if record.summary.status == ConsultationStatus::Exchanges {
        return Ok(());
    }
    Err(with_status(AppError::Conflict(format!(
        "Les contributions ne sont possibles que pendant la phase d'échanges. {}",
        exchanges_note(record)
    ))))
}

/// When contributions are accepted, in a French sentence.
#[cfg(feature = "ssr")]
fn exchanges_note(record: &ConsultationRecord) -> String {
    let status = record.summary.status;
    let phase = record
        .calendar
        .as_ref()
        .and_then(|s| s.calendar().phases.into_iter().find(|p| p.kind == PhaseKind::Exchanges));
    match (status, phase) {
        (ConsultationStatus::Exchanges, Some(p)) => {
            format!("Les échanges sont ouverts jusqu'au {} inclus.", p.end.format_fr_long())
        }
        (ConsultationStatus::Exchanges, None) => "Les échanges sont ouverts.".into(),
        (s, Some(p)) if s < ConsultationStatus::Exchanges => format!(
            "La phase d'échanges ira du {} au {}.",
            p.start.format_fr_long(),
            p.end.format_fr_long()
        ),
        (s, None) if s < ConsultationStatus::Exchanges => "La phase d'échanges n'est pas encore ouverte.".into(),
        (_, Some(p)) => format!(
            "La phase d'échanges s'est terminée le {} : les contributions restent consultables.",
            p.end.format_fr_long()
        ),
        (_, None) => "La phase d'échanges est terminée : les contributions restent consultables.".into(),
    }
}

/// A contribution of a consultation the caller may see, with the consultation.
#[cfg(feature = "ssr")]
async fn visible_contribution(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ContributionRow, ConsultationRecord, ConsultationAccess), AppError> {
    let row = db::contributions::find(state.db.pool(), id)
        .await
        .map_err(|e| internal("reading a contribution", e))?;
    // A contribution of a hidden consultation is as missing as one that does not exist.
    let missing = || with_status(AppError::not_found("Cette contribution"));
    let row = row.ok_or_else(missing)?;
    let (record, access) = consultation_access(state, actor, row.consultation_id)
        .await
        .map_err(|e| {
            if matches!(e, AppError::NotFound(_)) {
                missing()
            } else {
                e
            }
        })?;
    Ok((row, record, access))
}

/// A contribution of the caller's own company.
#[cfg(feature = "ssr")]
async fn own_contribution(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ContributionRow, ConsultationRecord), AppError> {
    let (row, record, access) = visible_contribution(state, actor, id).await?;
    authorize(actor, Permission::Contribute(&access))?;
    if supplier_organisation(actor) != Some(row.organisation_id) {
        return Err(with_status(AppError::Forbidden(
            "Seule l'entreprise qui a déposé cette contribution peut la modifier ou la retirer.".into(),
        )));
    }
    Ok((row, record))
}
