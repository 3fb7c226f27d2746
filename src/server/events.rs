//! Live updates: "the contributions of consultation N changed", pushed to the pages that show them
//! (server-sent events, `/consultations/{id}/evenements`). An event carries no content, only which
//! consultation to reload, so it can reveal nothing: each page then asks the server functions,
//! which check permissions as usual.
//!
//! On SQLite (one server) events go through an in-process channel. On PostgreSQL several
//! stateless servers share the database: a change is announced with `NOTIFY` and every server,
//! this one included, hears it through its `LISTEN` connection and passes it on to its own
//! pages. When that connection drops, the servers reconnect and tell every page to reload
//! (`Resync`), since notifications sent meanwhile are lost.

use std::time::Duration;

use tokio::sync::{broadcast, watch};

use super::db::{Backend, Db};

const CHANNEL: &str = "jsf_contributions";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The contributions of this consultation changed.
    Consultation(i64),
    /// Changes may have been missed: every page reloads.
    Resync,
}

#[derive(Clone, Debug)]
pub struct Events {
    sender: broadcast::Sender<Change>,
    backend: Backend,
    /// Becomes true when the server stops, ending the event streams (graceful shutdown waits
    /// for open connections, and an event stream would otherwise stay open for ever).
    stopping: watch::Sender<bool>,
}

impl Events {
    /// The hub of this server; on PostgreSQL, also starts listening to the other servers.
    pub fn start(db: &Db) -> Events {
        let (sender, _) = broadcast::channel(256);
        let events = Events {
            sender,
            backend: db.backend(),
            stopping: watch::Sender::new(false),
        };
        if let Some(url) = db.listen_url() {
            tokio::spawn(listen(
                url.to_owned(),
                events.sender.clone(),
                events.stopping.subscribe(),
            ));
        }
        events
    }

    /// Announces a change to every page, on every server.
    pub async fn contributions_changed(&self, db: &Db, consultation_id: i64) {
        match self.backend {
            Backend::Sqlite => {
                let _ = self.sender.send(Change::Consultation(consultation_id));
            }
            Backend::Postgres => {
                let sent = sqlx::query("select pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(consultation_id.to_string())
                    .execute(db.pool())
                    .await;
                if let Err(e) = sent {
                    // The change itself is stored; pages see it at their next reload.
                    tracing::warn!(error = %e, "could not announce a change to the other servers");
                    let _ = self.sender.send(Change::Consultation(consultation_id));
                }
            }
        }
    }

    pub fn subscribe(&self) -> (broadcast::Receiver<Change>, watch::Receiver<bool>) {
        (self.sender.subscribe(), self.stopping.subscribe())
    }

    /// Ends every event stream (at shutdown).
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }
}

/// Passes the notifications of PostgreSQL on to this server's pages, reconnecting for ever.
async fn listen(url: String, sender: broadcast::Sender<Change>, mut stopping: watch::Receiver<bool>) {
    let mut delay = Duration::from_millis(200);
    loop {
        let connected = async {
            let mut listener = sqlx::postgres::PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            l = connected => l,
            _ = stopping.wait_for(|s| *s) => return,
        };
        match listener.as_mut() {
            Ok(listener) => {
                delay = Duration::from_millis(200);
                // Anything sent while we were not listening is lost: pages reload.
                let _ = sender.send(Change::Resync);
                loop {
                    let next = tokio::select! {
                        n = listener.try_recv() => n,
                        _ = stopping.wait_for(|s| *s) => return,
                    };
                    match next {
                        Ok(Some(n)) => match n.payload().parse() {
                            Ok(id) => {
                                let _ = sender.send(Change::Consultation(id));
                            }
                            Err(_) => tracing::warn!(payload = n.payload(), "unexpected notification"),
                        },
                        // The connection dropped; the next call reconnects.
                        Ok(None) => {
                            tracing::warn!("lost the PostgreSQL notification connection; reconnecting");
                            let _ = sender.send(Change::Resync);
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "PostgreSQL notifications failed; reconnecting");
                            break;
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot listen to PostgreSQL notifications; retrying"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}
