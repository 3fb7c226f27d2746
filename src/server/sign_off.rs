//! Whether a version is signed off: a reviewer validated that very text (its SHA-256), and it is
//! still the latest. What the hand-over to the tender and the review page ask.

use super::db::{self, record::ReviewRow};
use super::failure::OrInternal;
use super::AppState;
use crate::domain::record::ReviewDecision;
use crate::error::AppError;
use crate::model::ReviewBadge;

/// The latest version's number if a reviewer validated that very text.
pub fn signed_off_of(latest: Option<&db::consultations::SpecVersionRow>, reviews: &[ReviewRow]) -> Option<i32> {
    let latest = latest?;
    let sha256 = latest.text_sha256();
    reviews
        .iter()
        .any(|r| {
            r.decision.0 == Some(ReviewDecision::Approved)
                && r.version_number == latest.number
                && r.text_sha256 == sha256
        })
        .then_some(latest.number as i32)
}

/// Whether the latest version of a consultation is signed off (inside the transaction that
/// hands it over to the tender).
pub async fn signed_off(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<i32>, AppError> {
    let latest = db::consultations::version(&mut *conn, id, None)
        .await
        .or_internal("reading a sign-off")?;
    let reviews = db::record::reviews(&mut *conn, id)
        .await
        .or_internal("reading a sign-off")?;
    Ok(signed_off_of(latest.as_ref(), &reviews))
}

/// The decisions on a consultation's versions, for its history (what anyone who sees it may
/// know: a version was validated or sent back, when; not the messages).
pub async fn badges(state: &AppState, id: i64) -> Result<Vec<ReviewBadge>, AppError> {
    let rows = db::record::reviews(state.db.pool(), id)
        .await
        .or_internal("reading reviews")?;
    Ok(rows
        .into_iter()
        .map(|r| ReviewBadge {
            version: r.version_number as i32,
            decision: r.decision.0,
            at: r.decided_at.unwrap_or(r.requested_at),
        })
        .collect())
}
