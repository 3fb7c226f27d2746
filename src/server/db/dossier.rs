//! Queries of the equal-treatment dossier: its publication and the redacted passages.

use super::DbResult;
use sqlx::{Any, Executor};

/// When the public edition was published, if it was.
pub async fn published_at<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Option<i64>> {
    sqlx::query_scalar("select published_at from dossier_publications where consultation_id = $1")
        .bind(consultation_id)
        .fetch_optional(db)
        .await
}

/// Publishes the public edition; false if it already was.
pub async fn publish(conn: &mut sqlx::AnyConnection, consultation_id: i64, by: i64, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "insert into dossier_publications (consultation_id, published_by, published_at) values ($1, $2, $3) \
         on conflict (consultation_id) do nothing",
    )
    .bind(consultation_id)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RedactionRow {
    pub id: i64,
    pub contribution_id: i64,
    pub passage: String,
    pub reason: String,
    pub by_company: i64,
    pub created_at: i64,
}

pub async fn redactions<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<RedactionRow>> {
    sqlx::query_as(
        "select id, contribution_id, passage, reason, by_company, created_at from redactions \
         where consultation_id = $1 order by id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

pub struct NewRedaction<'a> {
    pub consultation_id: i64,
    pub contribution_id: i64,
    pub passage: &'a str,
    pub reason: &'a str,
    pub by_company: bool,
    pub created_by: i64,
}

pub async fn insert_redaction(conn: &mut sqlx::AnyConnection, r: &NewRedaction<'_>, now: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into redactions (consultation_id, contribution_id, passage, reason, by_company, created_by, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(r.consultation_id)
    .bind(r.contribution_id)
    .bind(r.passage)
    .bind(r.reason)
    .bind(i64::from(r.by_company))
    .bind(r.created_by)
    .bind(now)
    .fetch_one(conn)
    .await
}
