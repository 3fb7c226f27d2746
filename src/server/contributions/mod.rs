//! Contributions of companies on clauses and criteria, and the buyer's answers (seed 001): the
//! rules of the dialogue, each write checked again inside its transaction.
//!
//! The buyer's organisation, its reviewers and every participating company read all the
//! contributions and answers (equal treatment), under pseudonyms only: nothing here returns a
//! company's or a person's name, not even to the buyer. Anonymous visitors and companies that
//! have not joined see the consultation and its versions, not the dialogue.

mod export;
mod views;

pub use views::{AnchorCache, Thread};

use super::auth::permissions::{contributor_role, replier, Replier};
use super::auth::{authorize, Actor, ConsultationAccess, Permission};
use super::consultations::{access, access_in};
use super::db::{self, consultations::ConsultationRecord, contributions::ContributionRow};
use super::failure::OrInternal;
use super::notifications::{notify, Delivery, Notice};
use super::AppState;
use crate::domain::anchor;
use crate::domain::calendar::PhaseKind;
use crate::domain::contribution::{
    pseudonym, validate_reply, ContributionInput, ContributionKind, ContributionStatus, NewContribution, TargetKind,
};
use crate::error::AppError;
use crate::model::{ConsultationStatus, ContributionBoard, ContributionView, NotificationKind};

/// The contributions made up to a version (the latest when `version` is absent), re-anchored on
/// it, with what the caller may do. Without them (`hidden` says why) for whoever may not read
/// the dialogue.
pub async fn board(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: Option<i32>,
) -> Result<ContributionBoard, AppError> {
    Ok(read_board(state, actor, id, version).await?.0)
}

/// [`board`], with the refusal to read the dialogue as an error (for the CSV, refused outright).
async fn read_board(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: Option<i32>,
) -> Result<(ContributionBoard, Result<(), AppError>), AppError> {
    let (record, access) = access(state, actor, id).await?;
    let pool = state.db.pool();
    let readable = state.versions.numbered(pool, id, version.map(i64::from)).await?;
    let registered = match actor.company() {
        Some(company) => db::contributions::participant(pool, id, company)
            .await
            .or_internal("reading participants")?,
        None => None,
    };
    let readable_by_caller = authorize(
        actor,
        Permission::ReadDialogue {
            consultation: &access,
            participant: registered.is_some(),
        },
    );
    let mut board = ContributionBoard {
        consultation_id: id,
        version: 0,
        latest_version: record.summary.latest_version,
        role: contributor_role(actor, &access, registered.map(pseudonym)),
        exchanges_open: record.summary.status == ConsultationStatus::Exchanges,
        exchanges_note: exchanges_note(&record),
        hidden: readable_by_caller.as_ref().err().map(ToString::to_string),
        contributions: Vec::new(),
        minutes: Vec::new(),
    };
    let Some(readable) = readable else {
        return match version {
            Some(_) => Err(AppError::not_found("Cette version du cahier des charges")),
            None => Ok((board, readable_by_caller)),
        };
    };
    board.version = readable.number as i32;
    if readable_by_caller.is_err() {
        return Ok((board, readable_by_caller));
    }
    board.minutes = super::minutes::links(state, id).await?;
    board.contributions = views_on(state, id, readable, actor.company()).await?;
    Ok((board, Ok(())))
}

/// The contributions re-anchored on a version, as `caller_organisation` sees them.
async fn views_on(
    state: &AppState,
    id: i64,
    readable: std::sync::Arc<super::versions::ReadableVersion>,
    caller_organisation: Option<i64>,
) -> Result<Vec<ContributionView>, AppError> {
    let pool = state.db.pool();
    let (rows, revisions, replies, participants) = tokio::try_join!(
        db::contributions::list(pool, id),
        db::contributions::revisions(pool, id),
        db::contributions::replies(pool, id),
        db::contributions::participants(pool, id),
    )
    .or_internal("reading contributions")?;
    let anchors = state.anchors.clone();
    // Re-anchoring is CPU work (cached per version and contribution): off the async workers,
    // so that a long clause never stalls other requests.
    tokio::task::spawn_blocking(move || {
        Thread {
            rows: &rows,
            revisions: &revisions,
            replies: &replies,
            participants: &participants,
            caller_organisation,
            anchors: &anchors,
        }
        .views(id, &readable.texts)
    })
    .await
    .or_internal("re-anchoring contributions")
}

/// Every contribution of a consultation on its latest version, for the record (the dossier),
/// as nobody's own: the caller's permission is the dossier's to check.
pub(crate) async fn record_views(state: &AppState, id: i64) -> Result<Option<(i32, Vec<ContributionView>)>, AppError> {
    let Some(row) = db::consultations::version(state.db.pool(), id, None)
        .await
        .or_internal("reading a version")?
    else {
        return Ok(None);
    };
    let number = row.number as i32;
    let readable = state.versions.get(id, row).await?;
    Ok(Some((number, views_on(state, id, readable, None).await?)))
}

/// The CSV of [`csv`] for views already read (and redacted) by the dossier.
pub(crate) fn csv_of(views: &[ContributionView], latest: i32) -> String {
    export::csv(views, i64::from(latest))
}

/// A passage of a contribution kept out of the public edition of the dossier (a business
/// secret): decided by the buyer, or asked by the company that wrote it (applied at once, the
/// buyer sees who asked).
pub async fn redact(
    state: &AppState,
    actor: &Actor,
    contribution: i64,
    passage: &str,
    reason: &str,
) -> Result<i64, AppError> {
    let mut conn = state.db.pool().acquire().await.or_internal("reading a contribution")?;
    let (row, _, access) = visible_contribution_in(&mut conn, state, actor, contribution).await?;
    drop(conn);
    let by_buyer = authorize(actor, Permission::EditConsultation(&access)).is_ok();
    let by_author = actor.company() == Some(row.organisation_id);
    if !by_buyer && !by_author {
        return Err(match actor {
            Actor::Anonymous => AppError::Unauthenticated("Connectez-vous pour occulter un passage.".into()),
            Actor::User(_) => AppError::Forbidden(
                "Seuls l'acheteur et l'entreprise qui a déposé cette contribution peuvent en occulter un passage."
                    .into(),
            ),
        });
    }
    let passage = crate::domain::dossier::check_passage(passage, &[&row.justification, &row.proposed_text])
        .map_err(AppError::Invalid)?;
    let reason = reason.trim();
    if reason.chars().count() > 1_000 {
        return Err(AppError::Invalid(
            "Le motif est trop long : 1000 caractères au plus.".into(),
        ));
    }
    let created_by = actor.user_id().ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.or_internal("redacting")?;
    let id = db::dossier::insert_redaction(
        &mut tx,
        &db::dossier::NewRedaction {
            consultation_id: row.consultation_id,
            contribution_id: contribution,
            passage: &passage,
            reason,
            by_company: !by_buyer,
            created_by,
        },
        state.now(),
    )
    .await
    .or_internal("redacting")?;
    tx.commit().await.or_internal("redacting")?;
    tracing::info!(consultation = row.consultation_id, contribution, "passage redacted");
    Ok(id)
}

/// Every contribution as a CSV file, for whoever may read them (refused to the others, with
/// the reason).
pub async fn csv(state: &AppState, actor: &Actor, id: i64) -> Result<String, AppError> {
    let (board, readable) = read_board(state, actor, id, None).await?;
    readable?;
    Ok(export::csv(&board.contributions, i64::from(board.version)))
}

/// Registers the caller's company as a participant; returns its pseudonym ("Entreprise C").
pub async fn participate(state: &AppState, actor: &Actor, id: i64) -> Result<String, AppError> {
    let (_, access) = access(state, actor, id).await?;
    authorize(actor, Permission::Participate(&access))?;
    let company = actor.company().ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.or_internal("registering")?;
    let index = db::contributions::register(&mut tx, id, company, state.now())
        .await
        .or_internal("registering")?;
    tx.commit().await.or_internal("registering")?;
    Ok(pseudonym(index))
}

/// A new contribution on a clause (or words of it) or a criterion of the latest version.
///
/// The version's clause texts and the anchor are computed before the write transaction (CPU
/// work, off the async workers); inside it every rule is checked again against the state the
/// contribution is written on (still visible, still in the exchanges, still the latest version).
pub async fn create(state: &AppState, actor: &Actor, contribution: NewContribution) -> Result<i64, AppError> {
    let id = contribution.consultation_id;
    let (record, access) = access(state, actor, id).await?;
    authorize(actor, Permission::Contribute(&access))?;
    let (author, company) = contributor(actor)?;
    let client_key = contribution.client_key.clone();
    if let Some(key) = &client_key {
        crate::domain::contribution::check_client_key(key).map_err(invalid)?;
        // Sent again: it was accepted, whatever happened since (a new version, the exchanges
        // closed): the sender gets its id, as the lost answer would have said.
        if let Some(done) = already_sent(state.db.pool(), id, company, key).await? {
            return Ok(done);
        }
    }
    check_exchanges_open(&record)?;
    let content = contribution
        .input
        .validate()
        .map_err(|p| AppError::Invalid(p.join(" ")))?;
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
    // The server recomputes the anchor from its own copy of the text: what is stored is always
    // consistent with the version, whatever the browser sent.
    let readable = state
        .versions
        .numbered(state.db.pool(), id, None)
        .await?
        .ok_or_else(|| invalid("Aucune version n'est publiée : il n'y a rien à annoter pour l'instant."))?;
    let number = readable.number;
    if number != i64::from(contribution.version) {
        return Err(newer_version(number));
    }
    let sent = contribution.selector.clone();
    let anchored = tokio::task::spawn_blocking(move || {
        let (label, text) = readable.texts.get(&target).ok_or(match target.kind {
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
    .or_internal("anchoring a contribution")?;
    let (target, label, text, selector) = anchored.map_err(invalid)?;

    let mut tx = state.db.begin_write().await.or_internal("contributing")?;
    let (record, access) = access_in(&mut tx, state, actor, id).await?;
    authorize(actor, Permission::Contribute(&access))?;
    check_exchanges_open(&record)?;
    if db::contributions::participant(&mut *tx, id, company)
        .await
        .or_internal("contributing")?
        .is_none()
    {
        return Err(AppError::Forbidden(
            "Inscrivez d'abord votre entreprise comme participante à ce sourcing (bouton « Participer »).".into(),
        ));
    }
    // The same submission may have arrived twice at once: the write lock orders them, and the
    // second finds the first here.
    if let Some(key) = &client_key {
        if let Some(done) = already_sent(&mut *tx, id, company, key).await? {
            return Ok(done);
        }
    }
    let still_latest = db::consultations::latest_version_number(&mut *tx, id)
        .await
        .or_internal("contributing")?;
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
            organisation_id: company,
            author_id: author,
            client_key: client_key.as_deref(),
        },
        state.now(),
    )
    .await
    .or_internal("storing a contribution")?;
    let buyers = db::notifications::buyer_side(&mut *tx, record.buyer_organisation_id, true)
        .await
        .or_internal("storing a contribution")?;
    let notice = Notice {
        kind: NotificationKind::NewContribution,
        dedup_key: format!("contribution:{new_id}"),
        title: format!("Nouvelle contribution sur « {} »", record.summary.title),
        link: format!("/consultations/{id}/contributions"),
    };
    notify(&mut tx, &buyers, &notice, Delivery::Now, &state.public_url, state.now())
        .await
        .or_internal("storing a contribution")?;
    tx.commit().await.or_internal("storing a contribution")?;
    state.events.contributions_changed(&state.db, id).await;
    Ok(new_id)
}

/// The contribution `company` already created with this client key, if any; the key of another
/// consultation is refused (a browser draws a new key for every form).
async fn already_sent<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: i64,
    company: i64,
    key: &str,
) -> Result<Option<i64>, AppError> {
    match db::contributions::by_client_key(db, company, key)
        .await
        .or_internal("contributing")?
    {
        Some((consultation, done)) if consultation == id => Ok(Some(done)),
        Some(_) => Err(invalid(
            "Identifiant d'envoi déjà utilisé : rechargez la page et envoyez à nouveau votre contribution.",
        )),
        None => Ok(None),
    }
}

fn newer_version(number: i64) -> AppError {
    AppError::Conflict(format!(
        "La version {number} du cahier des charges a été publiée depuis que vous avez ouvert la page : \
         relisez-la (rechargez la page), votre texte est conservé dans le formulaire."
    ))
}

/// The contributing company rewrites its contribution while exchanges are open; what it said
/// before is kept and shown as the history.
pub async fn edit(state: &AppState, actor: &Actor, id: i64, input: ContributionInput) -> Result<(), AppError> {
    own_contribution(state, actor, id).await?;
    let content = input.validate().map_err(|p| AppError::Invalid(p.join(" ")))?;
    let mut tx = state.db.begin_write().await.or_internal("editing")?;
    // Every check again inside the write transaction: the history holds exactly what was
    // replaced, and nothing is edited once withdrawn or once the exchanges closed.
    let (before, _) = own_open_contribution_in(&mut tx, state, actor, id).await?;
    if before.withdrawn_at.is_some() {
        return Err(AppError::Conflict(
            "Cette contribution a été retirée : elle ne peut plus être modifiée.".into(),
        ));
    }
    db::contributions::edit(&mut tx, &before, &content, state.now())
        .await
        .or_internal("editing")?;
    tx.commit().await.or_internal("editing")?;
    state
        .events
        .contributions_changed(&state.db, before.consultation_id)
        .await;
    Ok(())
}

/// The contributing company withdraws its contribution while exchanges are open. It stays in the
/// record, marked as withdrawn.
pub async fn withdraw(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    own_contribution(state, actor, id).await?;
    let mut tx = state.db.begin_write().await.or_internal("withdrawing")?;
    let (row, _) = own_open_contribution_in(&mut tx, state, actor, id).await?;
    let withdrawn = db::contributions::withdraw(&mut *tx, id, state.now())
        .await
        .or_internal("withdrawing")?;
    if !withdrawn {
        return Err(AppError::Conflict("Cette contribution est déjà retirée.".into()));
    }
    tx.commit().await.or_internal("withdrawing")?;
    state.events.contributions_changed(&state.db, row.consultation_id).await;
    Ok(())
}

/// A reply in a contribution's thread: from the buyer (at any time; the first answer marks an
/// open contribution as answered) or from the contributing company (during exchanges).
pub async fn reply(state: &AppState, actor: &Actor, id: i64, body: String) -> Result<(), AppError> {
    let (row, record, access) = visible_contribution(state, actor, id).await?;
    may_reply(actor, &row, &record, &access)?;
    let body = validate_reply(&body).map_err(AppError::Invalid)?;
    let author = actor.user_id().ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.or_internal("replying")?;
    let (row, record, access) = visible_contribution_in(&mut tx, state, actor, id).await?;
    let from_buyer = may_reply(actor, &row, &record, &access)? == Replier::Buyer;
    db::contributions::insert_reply(&mut *tx, id, from_buyer, &body, author, state.now())
        .await
        .or_internal("replying")?;
    if from_buyer && row.status == ContributionStatus::Open {
        db::contributions::set_status(&mut *tx, id, ContributionStatus::Answered, None)
            .await
            .or_internal("replying")?;
    }
    if from_buyer {
        let title = format!(
            "L'acheteur a répondu à votre contribution sur « {} »",
            record.summary.title
        );
        tell_author(&mut tx, state, &row, format!("answer:{id}:{}", state.now()), title)
            .await
            .or_internal("replying")?;
    }
    tx.commit().await.or_internal("replying")?;
    state.events.contributions_changed(&state.db, row.consultation_id).await;
    Ok(())
}

/// Tells the people of the company that wrote a contribution about the buyer's answer or decision.
async fn tell_author(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    row: &ContributionRow,
    dedup_key: String,
    title: String,
) -> Result<usize, sqlx::Error> {
    let authors = db::notifications::company_members(&mut *conn, row.organisation_id).await?;
    let notice = Notice {
        kind: NotificationKind::Answer,
        dedup_key,
        title,
        link: format!("/consultations/{}", row.consultation_id),
    };
    notify(conn, &authors, &notice, Delivery::Now, &state.public_url, state.now()).await
}

/// Who replies (the permission module decides); the company only while exchanges are open.
fn may_reply(
    actor: &Actor,
    row: &ContributionRow,
    record: &ConsultationRecord,
    access: &ConsultationAccess,
) -> Result<Replier, AppError> {
    authorize(
        actor,
        Permission::Reply {
            consultation: access,
            author_organisation: row.organisation_id,
        },
    )?;
    let who = replier(actor, access, row.organisation_id).ok_or(AppError::Internal)?;
    if who == Replier::Author {
        check_exchanges_open(record)?;
    }
    Ok(who)
}

/// The buyer's decision on a contribution; "integrated" names the version that took it in.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: i64,
    status: ContributionStatus,
    version: Option<i32>,
) -> Result<(), AppError> {
    let (_, _, access) = visible_contribution(state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    if status == ContributionStatus::Integrated && version.is_none() {
        return Err(invalid("Indiquez la version qui intègre cette contribution."));
    }
    let mut tx = state.db.begin_write().await.or_internal("setting a status")?;
    let (row, _, access) = visible_contribution_in(&mut tx, state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    let integrated = match (status, version) {
        (ContributionStatus::Integrated, Some(n)) => {
            let exists = db::consultations::version(&mut *tx, row.consultation_id, Some(i64::from(n)))
                .await
                .or_internal("reading a version")?
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
        .or_internal("setting a status")?;
    let title = format!("Décision sur votre contribution : {}", status.label_fr());
    tell_author(
        &mut tx,
        state,
        &row,
        format!("decision:{id}:{}", status.as_str()),
        title,
    )
    .await
    .or_internal("setting a status")?;
    tx.commit().await.or_internal("setting a status")?;
    state.events.contributions_changed(&state.db, row.consultation_id).await;
    Ok(())
}

fn invalid(message: &str) -> AppError {
    AppError::Invalid(message.to_owned())
}

/// The user and company of a supplier (permission already checked).
fn contributor(actor: &Actor) -> Result<(i64, i64), AppError> {
    let user = actor.user_id().ok_or(AppError::Internal)?;
    Ok((user, actor.company().ok_or(AppError::Internal)?))
}

/// Contributions are accepted during the exchange phase only (by the calendar's dates, or as set
/// by the buyer when there is no calendar).
fn check_exchanges_open(record: &ConsultationRecord) -> Result<(), AppError> {
    if record.summary.status == ConsultationStatus::Exchanges {
        return Ok(());
    }
    Err(AppError::Conflict(format!(
        "Les contributions ne sont possibles que pendant la phase d'échanges. {}",
        exchanges_note(record)
    )))
}

/// When contributions are accepted, in a French sentence.
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
async fn visible_contribution(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ContributionRow, ConsultationRecord, ConsultationAccess), AppError> {
    let mut conn = state.db.pool().acquire().await.or_internal("reading a contribution")?;
    visible_contribution_in(&mut conn, state, actor, id).await
}

/// [`visible_contribution`] on a connection or inside a write transaction.
async fn visible_contribution_in(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ContributionRow, ConsultationRecord, ConsultationAccess), AppError> {
    let row = db::contributions::find(&mut *conn, id)
        .await
        .or_internal("reading a contribution")?;
    // A contribution of a hidden consultation is as missing as one that does not exist.
    let missing = || AppError::not_found("Cette contribution");
    let row = row.ok_or_else(missing)?;
    let (record, access) = access_in(conn, state, actor, row.consultation_id).await.map_err(|e| {
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
async fn own_contribution(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    let mut conn = state.db.pool().acquire().await.or_internal("reading a contribution")?;
    own_open_contribution_in(&mut conn, state, actor, id).await.map(|_| ())
}

/// A contribution of the caller's own company, in a consultation whose exchanges are open.
async fn own_open_contribution_in(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ContributionRow, ConsultationRecord), AppError> {
    let (row, record, access) = visible_contribution_in(conn, state, actor, id).await?;
    authorize(actor, Permission::Contribute(&access))?;
    authorize(
        actor,
        Permission::ChangeContribution {
            consultation: &access,
            author_organisation: row.organisation_id,
        },
    )?;
    check_exchanges_open(&record)?;
    Ok((row, record))
}
