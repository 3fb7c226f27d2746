//! The access register: every read of a version or a comparison and every download by a
//! signed-in company, appended (never changed); anonymous reads counted.

use super::auth::Actor;
use super::db;
use super::failure::OrInternal;
use super::http::pages::{PageAccess, PageAccesses};
use super::AppState;
use crate::domain::record::AccessKind;
use crate::error::AppError;
use std::collections::HashMap;

/// Records a read or a download: a line of the access register for a signed-in company, a count
/// for an anonymous visitor (buyers, reviewers and admins are not recorded). While a page is
/// built, the read is also noted for the page cache, which records it again each time it serves
/// that page (`server::http::pages`).
pub async fn record_access(
    state: &AppState,
    actor: &Actor,
    id: i64,
    kind: AccessKind,
    version: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    if let Some(page) = leptos::prelude::use_context::<PageAccesses>() {
        page.note(PageAccess {
            consultation_id: id,
            kind,
            version,
            detail: detail.to_owned(),
        });
    }
    record_again(state, actor, id, kind, version, detail).await
}

/// [`record_access`] without noting it for a page: a kept page served again.
pub async fn record_again(
    state: &AppState,
    actor: &Actor,
    id: i64,
    kind: AccessKind,
    version: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    match (actor, actor.company(), actor.user_id()) {
        (_, Some(organisation_id), Some(user_id)) => {
            let line = Line {
                consultation_id: id,
                organisation_id,
                user_id,
                kind,
                version_number: version,
                detail: detail.to_owned(),
                at: state.now(),
            };
            state.register.append(&state.db, line).await
        }
        (Actor::Anonymous, ..) => {
            state.anonymous_reads.add(id, kind);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// One line of the access register waiting for its transaction.
#[derive(Debug)]
struct Line {
    consultation_id: i64,
    organisation_id: i64,
    user_id: i64,
    kind: AccessKind,
    version_number: Option<i64>,
    detail: String,
    at: i64,
}

type Waiting = (Line, tokio::sync::oneshot::Sender<bool>);

/// Writes the lines of the access register in shared transactions: each page a company reads
/// writes a line before it is sent, and a transaction each (SQLite syncs the disk at each commit)
/// capped the pages served to a few hundred a second. The lines that arrive while one
/// transaction is being written go together into the next; each reader is answered once its
/// own line is committed, so nothing is sent that the register does not hold.
#[derive(Debug, Default)]
pub struct RegisterWriter {
    waiting: std::sync::Mutex<Vec<Waiting>>,
    writing: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl RegisterWriter {
    async fn append(&self, db: &db::Db, line: Line) -> Result<(), AppError> {
        let (done, written) = tokio::sync::oneshot::channel();
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((line, done));
        // Whoever holds the pen writes every line waiting, its own included unless the previous
        // holder took it. The writing runs on a task of its own: a reader who leaves halfway
        // does not cut the transaction of the others.
        let pen = self.writing.clone().lock_owned().await;
        let lines = std::mem::take(&mut *self.waiting.lock().unwrap_or_else(|e| e.into_inner()));
        if !lines.is_empty() {
            let db = db.clone();
            let _ = tokio::spawn(async move {
                let committed = write_lines(&db, &lines).await;
                drop(pen);
                if let Err(e) = &committed {
                    tracing::error!(error = %e, lines = lines.len(), "writing the access register");
                }
                for (_, done) in lines {
                    let _ = done.send(committed.is_ok());
                }
            })
            .await;
        }
        match written.await {
            Ok(true) => Ok(()),
            _ => Err(AppError::Internal),
        }
    }
}

async fn write_lines(db: &db::Db, lines: &[Waiting]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for (line, _) in lines {
        db::record::append_access(
            &mut *tx,
            &db::record::Access {
                consultation_id: line.consultation_id,
                organisation_id: line.organisation_id,
                user_id: line.user_id,
                kind: line.kind,
                version_number: line.version_number,
                detail: &line.detail,
            },
            line.at,
        )
        .await?;
    }
    tx.commit().await
}

/// Anonymous reads counted in memory and added to the database now and then (and at shutdown):
/// a page view by a visitor costs no write. A crash loses the last minute of counts, never a
/// line of the register.
#[derive(Debug, Default)]
pub struct ReadCounter(std::sync::Mutex<HashMap<(i64, AccessKind), i64>>);

impl ReadCounter {
    fn add(&self, id: i64, kind: AccessKind) {
        *self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((id, kind))
            .or_default() += 1;
    }

    fn take(&self) -> HashMap<(i64, AccessKind), i64> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Writes the anonymous reads counted since the last time.
pub async fn flush_reads(state: &AppState) -> Result<(), AppError> {
    let counts = state.anonymous_reads.take();
    if counts.is_empty() {
        return Ok(());
    }
    let mut tx = state.db.begin_write().await.or_internal("counting reads")?;
    for ((id, kind), reads) in counts {
        db::record::count_anonymous(&mut *tx, id, kind, reads)
            .await
            .or_internal("counting reads")?;
    }
    tx.commit().await.or_internal("counting reads")
}
