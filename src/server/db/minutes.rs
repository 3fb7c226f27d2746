//! Queries of the minutes of oral exchanges. A published revision is never updated nor deleted
//! (no function here does, and the database's triggers refuse it); only the draft changes.

use super::DbResult;
use crate::domain::minutes::{CheckedMinutes, MeetingMode};
use sqlx::{Any, Executor};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MinutesRevisionRow {
    pub minutes_id: i64,
    pub revision: i64,
    pub held_at: i64,
    pub duration_minutes: i64,
    #[sqlx(try_from = "String")]
    pub mode: MeetingMode,
    /// JSON array of pseudonym indexes.
    pub companies: String,
    pub agents: String,
    pub body: String,
    /// JSON array of clause ids.
    pub clause_ids: String,
    pub reason: String,
    pub written_at: i64,
    pub published_at: Option<i64>,
}

impl MinutesRevisionRow {
    pub fn company_indexes(&self) -> Vec<i64> {
        serde_json::from_str(&self.companies).unwrap_or_default()
    }

    pub fn clause_id_list(&self) -> Vec<String> {
        serde_json::from_str(&self.clause_ids).unwrap_or_default()
    }
}

const COLUMNS: &str = "r.minutes_id, r.revision, r.held_at, r.duration_minutes, r.mode, r.companies, r.agents, \
     r.body, r.clause_ids, r.reason, r.written_at, r.published_at";

/// Every revision of every set of minutes of a consultation, by minutes then revision.
pub async fn revisions<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<MinutesRevisionRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from minutes_revisions r join minutes m on m.id = r.minutes_id \
         where m.consultation_id = $1 order by r.minutes_id, r.revision"
    ))
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// The published revisions only (what participants read).
pub async fn published<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<MinutesRevisionRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from minutes_revisions r join minutes m on m.id = r.minutes_id \
         where m.consultation_id = $1 and r.published_at is not null order by r.minutes_id, r.revision"
    ))
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// The consultation a set of minutes belongs to, and its revisions.
pub async fn of_minutes(
    conn: &mut sqlx::AnyConnection,
    minutes_id: i64,
) -> DbResult<Option<(i64, Vec<MinutesRevisionRow>)>> {
    let consultation: Option<i64> = sqlx::query_scalar("select consultation_id from minutes where id = $1")
        .bind(minutes_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(consultation) = consultation else {
        return Ok(None);
    };
    let rows = sqlx::query_as(&format!(
        "select {COLUMNS} from minutes_revisions r where r.minutes_id = $1 order by r.revision"
    ))
    .bind(minutes_id)
    .fetch_all(conn)
    .await?;
    Ok(Some((consultation, rows)))
}

/// When the consultation was created (no meeting before it).
pub async fn consultation_created_at<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<i64> {
    sqlx::query_scalar("select created_at from consultations where id = $1")
        .bind(consultation_id)
        .fetch_one(db)
        .await
}

pub async fn insert_minutes(conn: &mut sqlx::AnyConnection, consultation_id: i64, by: i64, now: i64) -> DbResult<i64> {
    sqlx::query_scalar("insert into minutes (consultation_id, created_by, created_at) values ($1, $2, $3) returning id")
        .bind(consultation_id)
        .bind(by)
        .bind(now)
        .fetch_one(conn)
        .await
}

/// A new (draft) revision.
pub async fn insert_revision(
    conn: &mut sqlx::AnyConnection,
    minutes_id: i64,
    revision: i64,
    m: &CheckedMinutes,
    by: i64,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into minutes_revisions (minutes_id, revision, held_at, duration_minutes, mode, companies, agents, \
         body, clause_ids, reason, written_by, written_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(minutes_id)
    .bind(revision)
    .bind(m.held_at)
    .bind(i64::from(m.duration_minutes))
    .bind(m.mode.as_str())
    .bind(json(&m.companies))
    .bind(&m.agents)
    .bind(&m.body)
    .bind(json(&m.clause_ids))
    .bind(&m.reason)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rewrites the draft revision; false if there is none (published meanwhile).
pub async fn update_draft(
    conn: &mut sqlx::AnyConnection,
    minutes_id: i64,
    m: &CheckedMinutes,
    by: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "update minutes_revisions set held_at = $2, duration_minutes = $3, mode = $4, companies = $5, agents = $6, \
         body = $7, clause_ids = $8, reason = $9, written_by = $10, written_at = $11 \
         where minutes_id = $1 and published_at is null",
    )
    .bind(minutes_id)
    .bind(m.held_at)
    .bind(i64::from(m.duration_minutes))
    .bind(m.mode.as_str())
    .bind(json(&m.companies))
    .bind(&m.agents)
    .bind(&m.body)
    .bind(json(&m.clause_ids))
    .bind(&m.reason)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Publishes the draft; false if there is none.
pub async fn publish(conn: &mut sqlx::AnyConnection, minutes_id: i64, now: i64) -> DbResult<bool> {
    let done =
        sqlx::query("update minutes_revisions set published_at = $2 where minutes_id = $1 and published_at is null")
            .bind(minutes_id)
            .bind(now)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Meetings with a draft and nothing published yet: (minutes, held at).
pub async fn unpublished<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as(
        "select r.minutes_id, r.held_at from minutes_revisions r join minutes m on m.id = r.minutes_id \
         where m.consultation_id = $1 and r.published_at is null and not exists \
         (select 1 from minutes_revisions p where p.minutes_id = r.minutes_id and p.published_at is not null) \
         order by r.held_at",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}
