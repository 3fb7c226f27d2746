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
    super::consultations::{consultation_access, consultation_access_in},
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
    let (rows, revisions, replies, participants) = tokio::try_join!(
        db::contributions::list(pool, id),
        db::contributions::revisions(pool, id),
        db::contributions::replies(pool, id),
        db::contributions::participants(pool, id),
    )
    .map_err(|e| internal("reading contributions", e))?;
    board.version = row.number as i32;
    let caller_organisation = supplier_organisation(actor);
    // Rendering the version's clause texts and re-anchoring are CPU work (cached per version):
    // off the async workers, so that a long clause never stalls other requests.
    board.contributions = tokio::task::spawn_blocking(move || {
        let texts = version_texts(id, &row);
        Thread {
            rows: &rows,
            revisions: &revisions,
            replies: &replies,
            participants: &participants,
            caller_organisation,
        }
        .views(id, &texts)
    })
    .await
    .map_err(|e| internal("re-anchoring contributions", e))?;
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
    let index = db::contributions::register(&mut tx, id, organisation, state.now())
        .await
        .map_err(|e| internal("registering", e))?;
    tx.commit().await.map_err(|e| internal("registering", e))?;
    Ok(pseudonym(index))
}

/// A new contribution on a clause (or words of it) or a criterion of the latest version.
///
/// The version's clause texts and the anchor are computed before the write transaction (CPU
/// work, off the async workers); inside it every rule is checked again against the state the
/// contribution is written on (still visible, still in the exchanges, still the latest version).
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
    let target = contribution.target.clone();
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
    if let Some(sent) = &contribution.selector {
        if target.kind == TargetKind::Criterion {
            return Err(invalid("Une contribution sur un critère porte sur le critère entier."));
        }
        anchor::check_sent(sent).map_err(|m| invalid(&m))?;
    }
    let latest = db::consultations::version(state.db.pool(), id, None)
        .await
        .map_err(|e| internal("contributing", e))?
        .ok_or_else(|| invalid("Aucune version n'est publiée : il n'y a rien à annoter pour l'instant."))?;
    let number = latest.number;
    if number != i64::from(contribution.version) {
        return Err(newer_version(number));
    }
    // The server recomputes the anchor from its own copy of the text: what is stored is always
    // consistent with the version, whatever the browser sent.
    let sent = contribution.selector.clone();
    let anchored = tokio::task::spawn_blocking(move || {
        let texts = version_texts(id, &latest);
        let (label, text) = texts.get(&target).ok_or(match target.kind {
            TargetKind::Clause => "Cette clause n'existe pas dans la version publiée.",
            TargetKind::Criterion => "Ce critère n'existe pas dans la version publiée.",
        })?;
        let selector = match &sent {
            None => None,
            Some(sent) => {
                let found = anchor::locate(text, sent).ok_or(
                    "Le passage sélectionné ne figure pas dans cette clause : sélectionnez-le à nouveau dans le texte.",
                )?;
                Some(
                    anchor::select(text, found.position.start, found.position.end)
                        .ok_or("Le passage sélectionné est vide ou trop long (2 000 caractères au plus).")?,
                )
            }
        };
        Ok::<_, &'static str>((target, label.to_owned(), text.to_owned(), selector))
    })
    .await
    .map_err(|e| internal("anchoring a contribution", e))?;
    let (target, label, text, selector) = anchored.map_err(invalid)?;

    let mut tx = state.db.begin_write().await.map_err(|e| internal("contributing", e))?;
    let (record, access) = consultation_access_in(&mut tx, &state, &actor, id).await?;
    authorize(&actor, Permission::Contribute(&access))?;
    check_exchanges_open(&record)?;
    if db::contributions::participant(&mut *tx, id, organisation)
        .await
        .map_err(|e| internal("contributing", e))?
        .is_none()
    {
        return Err(with_status(AppError::Forbidden(
            "Inscrivez d'abord votre entreprise comme participante à ce sourcing (bouton « Participer »).".into(),
        )));
    }
    let still_latest = db::consultations::latest_version_number(&mut *tx, id)
        .await
        .map_err(|e| internal("contributing", e))?;
    if still_latest != Some(number) {
        return Err(newer_version(still_latest.unwrap_or(number)));
    }
    let new_id = db::contributions::insert(
        &mut *tx,
        &db::contributions::NewContributionRow {
            consultation_id: id,
            version_number: number,
            target: &target,
            selector: selector.as_ref(),
            target_text: &text,
            target_label: &label,
            content: &content,
            organisation_id: organisation,
            author_id: signed_in,
        },
        state.now(),
    )
    .await
    .map_err(|e| internal("storing a contribution", e))?;
    tx.commit().await.map_err(|e| internal("storing a contribution", e))?;
    state.events.contributions_changed(&state.db, id).await;
    Ok(new_id)
}

#[cfg(feature = "ssr")]
fn newer_version(number: i64) -> AppError {
    with_status(AppError::Conflict(format!(
        "La version {number} du cahier des charges a été publiée depuis que vous avez ouvert la page : \
         relisez-la (rechargez la page), votre texte est conservé dans le formulaire."
    )))
}

/// The contributing company rewrites its contribution while exchanges are open; what it said
/// before is kept and shown as the history.
#[server(endpoint = "contributions/edit", input = server_fn::codec::Json)]
pub async fn edit_contribution(id: i64, input: ContributionInput) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    own_contribution(&state, &actor, id).await?;
    let content = input
        .validate()
        .map_err(|p| with_status(AppError::Invalid(p.join(" "))))?;
    let mut tx = state.db.begin_write().await.map_err(|e| internal("editing", e))?;
    // Every check again inside the write transaction: the history holds exactly what was
    // replaced, and nothing is edited once withdrawn or once the exchanges closed.
    let (before, _) = own_open_contribution_in(&mut tx, &state, &actor, id).await?;
    if before.withdrawn_at.is_some() {
        return Err(with_status(AppError::Conflict(
            "Cette contribution a été retirée : elle ne peut plus être modifiée.".into(),
        )));
    }
    db::contributions::edit(&mut tx, &before, &content, state.now())
        .await
        .map_err(|e| internal("editing", e))?;
    tx.commit().await.map_err(|e| internal("editing", e))?;
    state
        .events
        .contributions_changed(&state.db, before.consultation_id)
        .await;
    Ok(())
}

/// The contributing company withdraws its contribution while exchanges are open. It stays in the
/// record, marked as withdrawn.
#[server(endpoint = "contributions/withdraw")]
pub async fn withdraw_contribution(id: i64) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    own_contribution(&state, &actor, id).await?;
    let mut tx = state.db.begin_write().await.map_err(|e| internal("withdrawing", e))?;
    let (row, _) = own_open_contribution_in(&mut tx, &state, &actor, id).await?;
    let withdrawn = db::contributions::withdraw(&mut *tx, id, state.now())
        .await
        .map_err(|e| internal("withdrawing", e))?;
    if !withdrawn {
        return Err(with_status(AppError::Conflict(
            "Cette contribution est déjà retirée.".into(),
        )));
    }
    tx.commit().await.map_err(|e| internal("withdrawing", e))?;
    state.events.contributions_changed(&state.db, row.consultation_id).await;
    Ok(())
}

/// A reply in a contribution's thread: from the buyer (at any time; the first answer marks an
/// open contribution as answered) or from the contributing company (during exchanges).
#[server(endpoint = "contributions/reply")]
pub async fn reply_to_contribution(id: i64, body: String) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    let (row, record, access) = visible_contribution(&state, &actor, id).await?;
    may_reply(&actor, &row, &record, &access)?;
    let body = validate_reply(&body).map_err(|m| with_status(AppError::Invalid(m)))?;
    let author = actor.signed_in().map(|s| s.user.id).ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.map_err(|e| internal("replying", e))?;
    let (row, record, access) = visible_contribution_in(&mut tx, &state, &actor, id).await?;
    let from_buyer = may_reply(&actor, &row, &record, &access)?;
    db::contributions::insert_reply(&mut *tx, id, from_buyer, &body, author, state.now())
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

/// Whether the caller may reply, and as the buyer (true) or as the contributing company.
#[cfg(feature = "ssr")]
fn may_reply(
    actor: &Actor,
    row: &ContributionRow,
    record: &ConsultationRecord,
    access: &ConsultationAccess,
) -> Result<bool, AppError> {
    if crate::server::auth::authorize(actor, Permission::EditConsultation(access)).is_ok() {
        return Ok(true);
    }
    if supplier_organisation(actor) != Some(row.organisation_id) {
        return Err(with_status(AppError::Forbidden(
            "Seuls l'acheteur et l'entreprise qui a déposé la contribution peuvent y répondre.".into(),
        )));
    }
    check_exchanges_open(record)?;
    Ok(false)
}

/// The buyer's decision on a contribution; "integrated" names the version that took it in.
#[server(endpoint = "contributions/status")]
pub async fn set_contribution_status(id: i64, status: String, version: Option<i32>) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    let (_, _, access) = visible_contribution(&state, &actor, id).await?;
    authorize(&actor, Permission::EditConsultation(&access))?;
    let status = ContributionStatus::parse(&status).ok_or_else(|| invalid("Ce statut n'existe pas."))?;
    if status == ContributionStatus::Integrated && version.is_none() {
        return Err(invalid("Indiquez la version qui intègre cette contribution."));
    }
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(|e| internal("setting a status", e))?;
    let (row, _, access) = visible_contribution_in(&mut tx, &state, &actor, id).await?;
    authorize(&actor, Permission::EditConsultation(&access))?;
    let integrated = match (status, version) {
        (ContributionStatus::Integrated, Some(n)) => {
            let exists = db::consultations::version(&mut *tx, row.consultation_id, Some(i64::from(n)))
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
    db::contributions::set_status(&mut *tx, id, status, integrated)
        .await
        .map_err(|e| internal("setting a status", e))?;
    tx.commit().await.map_err(|e| internal("setting a status", e))?;
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
    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .map_err(|e| internal("reading a contribution", e))?;
    visible_contribution_in(&mut conn, state, actor, id).await
}

/// [`visible_contribution`] on a connection or inside a write transaction.
#[cfg(feature = "ssr")]
async fn visible_contribution_in(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ContributionRow, ConsultationRecord, ConsultationAccess), AppError> {
    let row = db::contributions::find(&mut *conn, id)
        .await
        .map_err(|e| internal("reading a contribution", e))?;
    // A contribution of a hidden consultation is as missing as one that does not exist.
    let missing = || with_status(AppError::not_found("Cette contribution"));
    let row = row.ok_or_else(missing)?;
    let (record, access) = consultation_access_in(conn, state, actor, row.consultation_id)
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

/// A contribution of the caller's own company (checked before taking the write lock, so that a
/// refused caller never waits for it).
#[cfg(feature = "ssr")]
async fn own_contribution(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .map_err(|e| internal("reading a contribution", e))?;
    own_open_contribution_in(&mut conn, state, actor, id).await.map(|_| ())
}

/// A contribution of the caller's own company, in a consultation whose exchanges are open.
#[cfg(feature = "ssr")]
async fn own_open_contribution_in(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ContributionRow, ConsultationRecord), AppError> {
    let (row, record, access) = visible_contribution_in(conn, state, actor, id).await?;
    authorize(actor, Permission::Contribute(&access))?;
    if supplier_organisation(actor) != Some(row.organisation_id) {
        return Err(with_status(AppError::Forbidden(
            "Seule l'entreprise qui a déposé cette contribution peut la modifier ou la retirer.".into(),
        )));
    }
    check_exchanges_open(&record)?;
    Ok((row, record))
}
