//! The access register: every read of a version or a comparison and every download by a
//! signed-in company, appended (never changed); anonymous reads counted.

use super::auth::Actor;
use super::db;
use super::failure::OrInternal;
use super::AppState;
use crate::domain::record::AccessKind;
use crate::error::AppError;
use std::collections::HashMap;

/// Records a read or a download: a line of the access register for a signed-in company, a count
/// for an anonymous visitor (buyers, reviewers and admins are not recorded).
pub async fn record_access(
    state: &AppState,
    actor: &Actor,
    id: i64,
    kind: AccessKind,
    version: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    match (actor, actor.company(), actor.user_id()) {
        (_, Some(organisation_id), Some(user_id)) => db::record::append_access(
            state.db.pool(),
            &db::record::Access {
                consultation_id: id,
                organisation_id,
                user_id,
                kind,
                version_number: version,
                detail,
            },
            state.now(),
        )
        .await
        .or_internal("writing the access register"),
        (Actor::Anonymous, ..) => {
            state.anonymous_reads.add(id, kind);
            Ok(())
        }
        _ => Ok(()),
    }
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
