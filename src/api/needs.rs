//! The catalogue of upcoming needs and companies' interest in them (see `server::needs`).

use crate::domain::need::{NeedForm, SlotForm};
use crate::error::AppError;
use crate::model::{NeedDetail, NeedPage, NeedSearch};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::support::caller, crate::server::needs, crate::server::open_days};

/// Searches the catalogue (anyone): words, CPV prefix, département, period (« 2027 »,
/// « 2027-T2 »), buyer, amounts; a page of 20, or the whole year.
#[server(endpoint = "needs/search")]
pub async fn search_needs(query: NeedSearch) -> Result<NeedPage, AppError> {
    let (state, actor) = caller().await?;
    needs::search(&state, &actor, query).await
}

/// A need's page.
#[server(endpoint = "needs/get")]
pub async fn get_need(id: i64) -> Result<NeedDetail, AppError> {
    let (state, actor) = caller().await?;
    needs::detail(&state, &actor, id).await
}

/// A buyer announces a need, then goes to its page.
#[server(endpoint = "needs/announce")]
pub async fn announce_need(need: NeedForm) -> Result<i64, AppError> {
    let (state, actor) = caller().await?;
    let id = needs::announce(&state, &actor, need).await?;
    leptos_axum::redirect(&format!("/besoins/{id}"));
    Ok(id)
}

/// Its buyer changes a need; `consultation`: the id of the sourcing it led to, or empty.
#[server(endpoint = "needs/update")]
pub async fn update_need(id: i64, need: NeedForm, consultation: String) -> Result<NeedDetail, AppError> {
    let (state, actor) = caller().await?;
    let consultation = match consultation.trim() {
        "" => None,
        c => Some(
            c.parse::<i64>()
                .map_err(|_| AppError::Invalid("Choisissez la consultation dans la liste.".into()))?,
        ),
    };
    let detail = needs::update(&state, &actor, id, need, consultation).await?;
    leptos_axum::redirect(&format!("/besoins/{id}"));
    Ok(detail)
}

/// Its buyer takes a need off the catalogue.
#[server(endpoint = "needs/withdraw")]
pub async fn withdraw_need(id: i64) -> Result<(), AppError> {
    let (state, actor) = caller().await?;
    needs::withdraw(&state, &actor, id).await?;
    leptos_axum::redirect("/besoins");
    Ok(())
}

/// « Je suis intéressé » (a company, with an optional message to the buyer).
#[server(endpoint = "needs/interest")]
pub async fn show_interest(id: i64, message: String) -> Result<NeedDetail, AppError> {
    let (state, actor) = caller().await?;
    let detail = needs::show_interest(&state, &actor, id, message).await?;
    leptos_axum::redirect(&format!("/besoins/{id}"));
    Ok(detail)
}

/// The company is no longer interested.
#[server(endpoint = "needs/interest/withdraw")]
pub async fn withdraw_interest(id: i64) -> Result<NeedDetail, AppError> {
    let (state, actor) = caller().await?;
    let detail = needs::withdraw_interest(&state, &actor, id).await?;
    leptos_axum::redirect(&format!("/besoins/{id}"));
    Ok(detail)
}

/// « Portes ouvertes »: its buyer offers a meeting slot on the need.
#[server(endpoint = "needs/slots/add")]
pub async fn add_slot(id: i64, slot: SlotForm) -> Result<NeedDetail, AppError> {
    let (state, actor) = caller().await?;
    let detail = open_days::add_slot(&state, &actor, id, slot).await?;
    leptos_axum::redirect(&format!("/besoins/{id}#portes-ouvertes"));
    Ok(detail)
}

/// Its buyer withdraws a slot nobody booked.
#[server(endpoint = "needs/slots/remove")]
pub async fn remove_slot(id: i64, slot: i64) -> Result<NeedDetail, AppError> {
    let (state, actor) = caller().await?;
    let detail = open_days::remove_slot(&state, &actor, id, slot).await?;
    leptos_axum::redirect(&format!("/besoins/{id}#portes-ouvertes"));
    Ok(detail)
}

/// A company books a slot (one per need).
#[server(endpoint = "needs/slots/book")]
pub async fn book_slot(id: i64, slot: i64) -> Result<NeedDetail, AppError> {
    let (state, actor) = caller().await?;
    let detail = open_days::book(&state, &actor, id, slot).await?;
    leptos_axum::redirect(&format!("/besoins/{id}#portes-ouvertes"));
    Ok(detail)
}

/// A company cancels its booking.
#[server(endpoint = "needs/slots/cancel")]
pub async fn cancel_booking(id: i64) -> Result<NeedDetail, AppError> {
    let (state, actor) = caller().await?;
    let detail = open_days::cancel_booking(&state, &actor, id).await?;
    leptos_axum::redirect(&format!("/besoins/{id}#portes-ouvertes"));
    Ok(detail)
}
