//! Minutes of oral exchanges (seed 000: everything said to a company is written down and given
//! to every participant). The buyer records a meeting as a draft, then publishes it; a published
//! wording is never changed: a correction is a new revision with its reason, and the earlier
//! ones stay readable. Published minutes reach every participant, live, in the « Comptes
//! rendus » page and in the margin of the clauses they discuss.

use super::access_register::record_access;
use super::auth::{authorize, Actor, Permission};
use super::consultations::{access, access_in};
use super::db::{self, minutes::MinutesRevisionRow};
use super::failure::OrInternal;
use super::render::note_html;
use super::AppState;
use crate::domain::calendar::Region;
use crate::domain::contribution::pseudonym;
use crate::domain::minutes::{self as rules, MinutesContext, MinutesInput};
use crate::domain::record::AccessKind;
use crate::error::AppError;
use crate::model::{LinkedClause, MinutesBoard, MinutesLink, MinutesRevisionView, MinutesView, OutlineEntry};
use std::collections::HashMap;

/// Records new minutes (`minutes` absent), rewrites a draft, or starts the correction of
/// published minutes (then `input.reason` is required). Returns the minutes' id.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: i64,
    minutes: Option<i64>,
    input: &MinutesInput,
) -> Result<i64, AppError> {
    let (_, access) = access(state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    let author = actor.user_id().ok_or(AppError::Internal)?;
    let pool = state.db.pool();
    let (participants, created_at, latest) = tokio::try_join!(
        db::contributions::participants(pool, id),
        db::minutes::consultation_created_at(pool, id),
        db::consultations::version(pool, id, None),
    )
    .or_internal("recording minutes")?;
    let readable = match latest {
        Some(row) => Some(state.versions.get(id, row).await?),
        None => None,
    };
    let mut participants: Vec<(i64, String)> = participants.into_iter().map(|(_, i)| (i, pseudonym(i))).collect();
    participants.sort_unstable();
    let known_clause = |clause: &str| readable.as_ref().is_some_and(|v| v.texts.label_of(clause).is_some());

    let mut tx = state.db.begin_write().await.or_internal("recording minutes")?;
    let (_, access) = access_in(&mut tx, state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    let existing = match minutes {
        Some(minutes) => Some(own_minutes(&mut tx, id, minutes).await?.1),
        None => None,
    };
    let revisions = existing.unwrap_or_default();
    let has_draft = revisions.iter().any(|r| r.published_at.is_none());
    let correction = !revisions.is_empty() && !has_draft;
    let checked = rules::check_minutes(
        input,
        &MinutesContext {
            now: state.now(),
            consultation_created_at: created_at,
            participants: &participants,
            known_clause: &known_clause,
            correction,
        },
    )
    .map_err(AppError::Invalid)?;
    let now = state.now();
    let minutes_id = match minutes {
        None => {
            let minutes = db::minutes::insert_minutes(&mut tx, id, author, now)
                .await
                .or_internal("recording minutes")?;
            db::minutes::insert_revision(&mut tx, minutes, 1, &checked, author, now)
                .await
                .or_internal("recording minutes")?;
            minutes
        }
        Some(minutes) if has_draft => {
            db::minutes::update_draft(&mut tx, minutes, &checked, author, now)
                .await
                .or_internal("recording minutes")?;
            minutes
        }
        Some(minutes) => {
            let next = revisions.iter().map(|r| r.revision).max().unwrap_or(0) + 1;
            db::minutes::insert_revision(&mut tx, minutes, next, &checked, author, now)
                .await
                .or_internal("recording minutes")?;
            minutes
        }
    };
    tx.commit().await.or_internal("recording minutes")?;
    tracing::info!(consultation = id, minutes = minutes_id, "minutes saved");
    Ok(minutes_id)
}

/// Publishes the draft of a set of minutes: from now on every participant reads it, and it is
/// never changed.
pub async fn publish(state: &AppState, actor: &Actor, minutes: i64) -> Result<(), AppError> {
    let id = {
        let mut conn = state.db.pool().acquire().await.or_internal("publishing minutes")?;
        db::minutes::of_minutes(&mut conn, minutes)
            .await
            .or_internal("publishing minutes")?
            .ok_or_else(|| AppError::not_found("Ce compte rendu"))?
            .0
    };
    let mut tx = state.db.begin_write().await.or_internal("publishing minutes")?;
    let (_, access) = access_in(&mut tx, state, actor, id).await?;
    authorize(actor, Permission::EditConsultation(&access))?;
    if !db::minutes::publish(&mut tx, minutes, state.now())
        .await
        .or_internal("publishing minutes")?
    {
        return Err(AppError::Conflict(
            "Ce compte rendu est déjà publié : pour le corriger, enregistrez une correction avec son motif.".into(),
        ));
    }
    let (record, _) = access_in(&mut tx, state, actor, id).await?;
    let people = db::notifications::taking_part(&mut *tx, id)
        .await
        .or_internal("publishing minutes")?;
    let notice = super::notifications::Notice {
        kind: crate::model::NotificationKind::Minutes,
        dedup_key: format!("minutes:{minutes}"),
        title: format!("Compte rendu publié : « {} »", record.summary.title),
        link: format!("/consultations/{id}/comptes-rendus"),
    };
    super::notifications::notify(
        &mut tx,
        &people,
        &notice,
        super::notifications::Delivery::Now,
        &state.public_url,
        state.now(),
    )
    .await
    .or_internal("publishing minutes")?;
    tx.commit().await.or_internal("publishing minutes")?;
    tracing::info!(consultation = id, minutes, "minutes published");
    state.events.contributions_changed(&state.db, id).await;
    Ok(())
}

/// The minutes of a consultation and their revisions, checked to belong to it (others are "not
/// found", whatever their consultation).
async fn own_minutes(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    minutes: i64,
) -> Result<(i64, Vec<MinutesRevisionRow>), AppError> {
    match db::minutes::of_minutes(conn, minutes)
        .await
        .or_internal("reading minutes")?
    {
        Some((consultation, rows)) if consultation == id => Ok((consultation, rows)),
        _ => Err(AppError::not_found("Ce compte rendu")),
    }
}

/// The « Comptes rendus » page: published minutes for the participants, drafts too for the
/// buyer's organisation and its reviewers.
pub async fn board(state: &AppState, actor: &Actor, id: i64) -> Result<MinutesBoard, AppError> {
    let (record, access) = access(state, actor, id).await?;
    let pool = state.db.pool();
    let own = authorize(actor, Permission::ReadRecord(&access)).is_ok();
    if !own {
        let participant = match actor.company() {
            Some(company) => db::contributions::participant(pool, id, company)
                .await
                .or_internal("reading participants")?
                .is_some(),
            None => false,
        };
        authorize(
            actor,
            Permission::ReadDialogue {
                consultation: &access,
                participant,
            },
        )?;
    }
    let can_write = authorize(actor, Permission::EditConsultation(&access)).is_ok();
    let region = record.calendar.as_ref().map(|c| c.region).unwrap_or(Region::Metropole);
    let (minutes, outline) = views(state, id, own, region).await?;
    let mut participants: Vec<i64> = db::contributions::participants(pool, id)
        .await
        .or_internal("reading participants")?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    participants.sort_unstable();
    if !own {
        record_access(state, actor, id, AccessKind::Minutes, None, "").await?;
    }
    Ok(MinutesBoard {
        consultation_id: id,
        title: record.summary.title,
        can_write,
        participants: participants.into_iter().map(pseudonym).collect(),
        outline,
        minutes,
    })
}

/// The published minutes of a consultation, oldest meeting first, for the dossier (the caller's
/// permission is the dossier's to check).
pub(crate) async fn published_views(state: &AppState, id: i64) -> Result<Vec<MinutesView>, AppError> {
    let mut minutes = views(state, id, false, Region::Metropole).await?.0;
    minutes.reverse();
    Ok(minutes)
}

/// The minutes (drafts too when `with_drafts`), newest meeting first, with the outline of the
/// latest version.
async fn views(
    state: &AppState,
    id: i64,
    with_drafts: bool,
    region: Region,
) -> Result<(Vec<MinutesView>, Vec<OutlineEntry>), AppError> {
    let pool = state.db.pool();
    let (rows, latest) = tokio::try_join!(
        async {
            if with_drafts {
                db::minutes::revisions(pool, id).await
            } else {
                db::minutes::published(pool, id).await
            }
        },
        db::consultations::version(pool, id, None),
    )
    .or_internal("reading minutes")?;
    let readable = match latest {
        Some(row) => Some(state.versions.get(id, row).await?),
        None => None,
    };
    let outline: Vec<OutlineEntry> = readable.as_ref().map(|v| v.outline.clone()).unwrap_or_default();
    let label_of = |clause: &str| -> LinkedClause {
        let found = readable
            .as_ref()
            .and_then(|v| v.texts.label_of(clause).map(str::to_owned));
        LinkedClause {
            clause_id: clause.to_owned(),
            present: found.is_some(),
            label: found.unwrap_or_else(|| format!("Clause retirée depuis ({clause})")),
        }
    };
    let view = |r: &MinutesRevisionRow| MinutesRevisionView {
        revision: r.revision as i32,
        held_at: r.held_at,
        duration_minutes: r.duration_minutes.clamp(0, i64::from(u32::MAX)) as u32,
        mode: r.mode,
        companies: r.company_indexes().into_iter().map(pseudonym).collect(),
        agents: r.agents.clone(),
        body: r.body.clone(),
        body_html: note_html(&r.body),
        clauses: r.clause_id_list().iter().map(|c| label_of(c)).collect(),
        reason: r.reason.clone(),
        written_at: r.written_at,
        published_at: r.published_at,
    };
    let now = state.now();
    let mut grouped: Vec<(i64, Vec<&MinutesRevisionRow>)> = Vec::new();
    for row in &rows {
        match grouped.last_mut() {
            Some((m, list)) if *m == row.minutes_id => list.push(row),
            _ => grouped.push((row.minutes_id, vec![row])),
        }
    }
    let mut minutes: Vec<MinutesView> = grouped
        .into_iter()
        .map(|(minutes_id, list)| {
            let mut published: Vec<MinutesRevisionView> = list
                .iter()
                .filter(|r| r.published_at.is_some())
                .map(|r| view(r))
                .collect();
            published.reverse();
            let draft = list.iter().find(|r| r.published_at.is_none()).map(|r| view(r));
            let overdue = published.is_empty()
                && draft
                    .as_ref()
                    .is_some_and(|d| rules::reminder_due(d.held_at, now, region));
            let mut published = published.into_iter();
            MinutesView {
                id: minutes_id,
                published: published.next(),
                draft,
                earlier: published.collect(),
                overdue,
            }
        })
        .collect();
    minutes.sort_by_key(|m| std::cmp::Reverse(m.published.as_ref().or(m.draft.as_ref()).map(|r| r.held_at)));
    Ok((minutes, outline))
}

/// The published minutes for the margins of the dialogue (the caller may read the dialogue).
pub async fn links(state: &AppState, id: i64) -> Result<Vec<MinutesLink>, AppError> {
    let rows = db::minutes::published(state.db.pool(), id)
        .await
        .or_internal("reading minutes")?;
    // The latest published revision of each set of minutes (rows come by minutes, then revision).
    let mut latest: HashMap<i64, &MinutesRevisionRow> = HashMap::new();
    for row in &rows {
        latest.insert(row.minutes_id, row);
    }
    let mut links: Vec<MinutesLink> = latest
        .into_values()
        .map(|r| MinutesLink {
            id: r.minutes_id,
            revision: r.revision as i32,
            held_at: r.held_at,
            mode: r.mode,
            companies: r.company_indexes().into_iter().map(pseudonym).collect(),
            clause_ids: r.clause_id_list(),
        })
        .collect();
    links.sort_by_key(|l| (l.held_at, l.id));
    Ok(links)
}
