//! Server-sent events telling a consultation's page that its contributions changed (no content:
//! the page reloads them through `contributions/list`, which checks permissions). A stream stays
//! open as long as the page, so each client address may hold only a few at once: a visitor
//! cannot tie up the server's connections by opening thousands.

use super::super::AppState;
use super::client::ClientAddress;
use super::downloads::refusal;
use crate::error::AppError;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, Ipv4Addr};

/// Streams one client address may keep open (a person with many tabs, or a small office behind
/// one address).
pub const MAX_STREAMS_PER_CLIENT: usize = 16;
/// Streams the server keeps open in all.
pub const MAX_STREAMS: usize = 4_096;

/// One open stream, counted until it is dropped (the page closed, the server stopping).
struct Slot {
    state: AppState,
    client: IpAddr,
}

impl Slot {
    fn take(state: &AppState, client: IpAddr) -> Option<Slot> {
        let mut open = state.event_streams.lock().unwrap_or_else(|e| e.into_inner());
        let total: usize = open.values().sum();
        let mine = open.entry(client).or_default();
        if *mine >= MAX_STREAMS_PER_CLIENT || total >= MAX_STREAMS {
            return None;
        }
        *mine += 1;
        Some(Slot {
            state: state.clone(),
            client,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.state.event_streams.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// `/consultations/{id}/evenements`. A comment every 15 s keeps proxies from closing an idle
/// stream; the browser reconnects by itself and the page then reloads, so a change missed while
/// disconnected is caught up.
pub async fn contribution_events(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    client: Option<axum::Extension<ClientAddress>>,
    actor: crate::server::auth::Actor,
) -> Response {
    use super::super::events::Change;
    if let Err(e) = crate::server::consultations::visible(&state, &actor, id).await {
        return refusal(e);
    }
    // Without a peer address (a test calling the router directly) all count as one client.
    let client = client.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0 .0);
    let Some(slot) = Slot::take(&state, client) else {
        tracing::warn!(%client, "too many live-event streams");
        return refusal(AppError::Busy(
            "Trop de pages de JeSaisFaire sont ouvertes depuis votre connexion : fermez-en quelques-unes, \
             puis rechargez celle-ci pour suivre les contributions en direct."
                .into(),
        ));
    };
    let (changes, stopping) = state.events.subscribe();
    let stream = futures::stream::unfold(
        (changes, stopping, slot),
        move |(mut changes, mut stopping, slot)| async move {
            loop {
                let change = tokio::select! {
                    change = changes.recv() => change,
                    _ = stopping.wait_for(|s| *s) => return None,
                };
                let reload = match change {
                    Ok(Change::Consultation(c)) => c == id,
                    Ok(Change::Resync) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => true,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                };
                if reload {
                    let event = Event::default().event("contributions").data("changed");
                    return Some((Ok::<_, std::convert::Infallible>(event), (changes, stopping, slot)));
                }
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response()
}
