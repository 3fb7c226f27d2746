//! « Portes ouvertes » (seed 003, the salon inversé): on a need, its buyer offers meeting slots;
//! companies book one (by name, like their interest), never beyond a slot's capacity, and both
//! sides download the meeting as an `.ics`. Its buyers and reviewers see who booked; other
//! companies only how many places are left.

use super::auth::{authorize, Actor, Permission};
use super::db;
use super::failure::OrInternal;
use super::needs::{company_name, detail, editable, need, tell_buyers};
use super::AppState;
use crate::domain::calendar::{meeting_to_ics, IcsMeeting};
use crate::domain::need::SlotForm;
use crate::error::AppError;
use crate::model::NeedDetail;

/// Slots one need may have (a day of meetings every 30 minutes is about 20).
const MAX_SLOTS_PER_NEED: usize = 60;

/// Its buyer offers a slot.
pub async fn add_slot(state: &AppState, actor: &Actor, id: i64, form: SlotForm) -> Result<NeedDetail, AppError> {
    editable(state, actor, id).await?;
    let now = state.now();
    let slot = form.check(now).map_err(AppError::Invalid)?;
    let mut tx = state.db.begin_write().await.or_internal("offering a slot")?;
    if db::open_days::slots(&mut *tx, id)
        .await
        .or_internal("offering a slot")?
        .len()
        >= MAX_SLOTS_PER_NEED
    {
        return Err(AppError::Invalid(format!(
            "Ce besoin a déjà {MAX_SLOTS_PER_NEED} créneaux : retirez ceux qui sont passés avant d'en proposer d'autres."
        )));
    }
    db::open_days::insert_slot(&mut *tx, id, &slot, now)
        .await
        .or_internal("offering a slot")?;
    tx.commit().await.or_internal("offering a slot")?;
    detail(state, actor, id).await
}

/// Its buyer withdraws a slot nobody booked.
pub async fn remove_slot(state: &AppState, actor: &Actor, id: i64, slot: i64) -> Result<NeedDetail, AppError> {
    editable(state, actor, id).await?;
    let mut tx = state.db.begin_write().await.or_internal("removing a slot")?;
    if db::open_days::slot(&mut *tx, id, slot)
        .await
        .or_internal("removing a slot")?
        .is_none()
    {
        return Err(AppError::not_found("Ce créneau"));
    }
    if !db::open_days::remove_unbooked_slot(&mut *tx, id, slot)
        .await
        .or_internal("removing a slot")?
    {
        return Err(AppError::Conflict(
            "Des entreprises ont réservé ce créneau : il ne peut plus être retiré. Prévenez-les (par le contact du \
             besoin) et demandez-leur d'annuler leur réservation."
                .into(),
        ));
    }
    tx.commit().await.or_internal("removing a slot")?;
    detail(state, actor, id).await
}

/// A company books a slot (one per need); the buyers are told.
pub async fn book(state: &AppState, actor: &Actor, id: i64, slot: i64) -> Result<NeedDetail, AppError> {
    authorize(actor, Permission::ShowInterest)?;
    let company = actor.company().ok_or(AppError::Internal)?;
    let user = actor.user_id().ok_or(AppError::Internal)?;
    let row = need(state, id).await?;
    let now = state.now();
    let mut tx = state.db.begin_write().await.or_internal("booking a slot")?;
    let wanted = db::open_days::slot(&mut *tx, id, slot)
        .await
        .or_internal("booking a slot")?
        .ok_or_else(|| AppError::not_found("Ce créneau"))?;
    if wanted.starts_at <= now {
        return Err(AppError::Conflict(
            "Ce créneau est passé : choisissez-en un autre.".into(),
        ));
    }
    if let Some(booked) = db::open_days::own_booking(&mut *tx, id, company)
        .await
        .or_internal("booking a slot")?
    {
        return Err(AppError::Conflict(if booked == slot {
            "Votre entreprise a déjà réservé ce créneau.".into()
        } else {
            "Votre entreprise a déjà réservé un autre créneau de ce besoin : annulez-le d'abord pour en changer.".into()
        }));
    }
    if !db::open_days::take_place(&mut *tx, id, slot)
        .await
        .or_internal("booking a slot")?
    {
        return Err(AppError::Conflict(
            "Ce créneau est complet : une autre entreprise vient de prendre la dernière place. Choisissez-en un autre."
                .into(),
        ));
    }
    db::open_days::insert_booking(&mut *tx, id, slot, company, user, now)
        .await
        .or_internal("booking a slot")?;
    let when = crate::domain::format::instant_fr(wanted.starts_at);
    tell_buyers(
        &mut tx,
        state,
        &row,
        // Once per company and slot: booking and cancelling again does not flood the buyers' mail.
        format!("booking:{slot}:{company}"),
        format!(
            "{} a réservé le créneau du {when} (portes ouvertes « {} »)",
            company_name(actor),
            row.listed.title
        ),
        now,
    )
    .await?;
    tx.commit().await.or_internal("booking a slot")?;
    tracing::info!(need = id, slot, "slot booked");
    detail(state, actor, id).await
}

/// A company cancels its booking on a need (nothing to cancel is not an error: a second click).
pub async fn cancel_booking(state: &AppState, actor: &Actor, id: i64) -> Result<NeedDetail, AppError> {
    authorize(actor, Permission::ShowInterest)?;
    let company = actor.company().ok_or(AppError::Internal)?;
    need(state, id).await?;
    let mut tx = state.db.begin_write().await.or_internal("cancelling a booking")?;
    db::open_days::cancel_booking(&mut tx, id, company)
        .await
        .or_internal("cancelling a booking")?;
    tx.commit().await.or_internal("cancelling a booking")?;
    detail(state, actor, id).await
}

/// The meeting as an `.ics`, for the company that booked it and for the need's buyers and
/// reviewers; (file name, text).
pub async fn slot_ics(state: &AppState, actor: &Actor, id: i64, slot: i64) -> Result<(String, String), AppError> {
    let row = need(state, id).await?;
    let pool = state.db.pool();
    let buyer_side = authorize(
        actor,
        Permission::ReadInterest {
            buyer_organisation: row.listed.organisation_id,
        },
    )
    .is_ok();
    let booked_it = match actor.company() {
        Some(company) => {
            db::open_days::own_booking(pool, id, company)
                .await
                .or_internal("reading a booking")?
                == Some(slot)
        }
        None => false,
    };
    if !buyer_side && !booked_it {
        // The same answer as for a slot that does not exist: nothing to learn from it.
        return Err(AppError::not_found("Ce rendez-vous"));
    }
    let wanted = db::open_days::slot(pool, id, slot)
        .await
        .or_internal("reading a slot")?
        .ok_or_else(|| AppError::not_found("Ce rendez-vous"))?;
    let meeting = IcsMeeting {
        uid: format!("need-{id}-slot-{slot}@jesaisfaire.fr"),
        stamp_unix: state.now(),
        start_unix: wanted.starts_at,
        end_unix: wanted.starts_at + wanted.duration_minutes * 60,
        summary: format!("Portes ouvertes — {}", row.listed.title),
        description: format!(
            "Rencontre avec {} au sujet de son besoin à venir « {} ». {}/besoins/{id}",
            row.listed.buyer_name,
            row.listed.title,
            state.public_url.trim_end_matches('/')
        ),
        location: wanted.place,
    };
    Ok((
        format!("portes-ouvertes-besoin-{id}-creneau-{slot}.ics"),
        meeting_to_ics("JeSaisFaire", &meeting),
    ))
}
