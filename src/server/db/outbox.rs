//! Queries on the outbox: mails queued inside the transaction of what caused them, then claimed,
//! delivered and marked by the background sender (`server::mail`).

use super::DbResult;
use sqlx::{Any, Executor};

/// A mail as queued: both bodies are final, the Message-ID is fixed once for every attempt.
pub struct NewMail<'a> {
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub message_id: &'a str,
    /// The unsubscribe link of an alert, empty for the other mails.
    pub list_unsubscribe: &'a str,
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, mail: &NewMail<'_>, now: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into outbox (recipient, subject, body, html_body, message_id, list_unsubscribe, created_at, \
         next_attempt_at) values ($1, $2, $3, $4, $5, $6, $7, $7) returning id",
    )
    .bind(mail.recipient)
    .bind(mail.subject)
    .bind(mail.text)
    .bind(mail.html)
    .bind(mail.message_id)
    .bind(mail.list_unsubscribe)
    .bind(now)
    .fetch_one(db)
    .await
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct MailRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub html_body: String,
    pub message_id: String,
    pub list_unsubscribe: String,
    pub attempts: i64,
    pub last_error: String,
}

const MAIL_COLUMNS: &str =
    "id, recipient, subject, body, html_body, message_id, list_unsubscribe, attempts, last_error";

/// Mails neither sent nor given up, oldest first (`jesaisfaire outbox`).
pub async fn waiting<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<MailRow>> {
    sqlx::query_as(&format!(
        "select {MAIL_COLUMNS} from outbox where sent_at is null and failed_at is null order by id"
    ))
    .fetch_all(db)
    .await
}

/// Mails given up after their last attempt, with the server's answer.
pub async fn given_up<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<MailRow>> {
    sqlx::query_as(&format!(
        "select {MAIL_COLUMNS} from outbox where failed_at is not null order by id"
    ))
    .fetch_all(db)
    .await
}

/// Claims the oldest mail that is due and not claimed by another sender, until `until`. The
/// update re-checks the claim, so two senders (two app servers) never both get the same mail.
pub async fn claim_next(conn: &mut sqlx::AnyConnection, now: i64, until: i64) -> DbResult<Option<MailRow>> {
    let candidate: Option<i64> = sqlx::query_scalar(
        "select id from outbox where sent_at is null and failed_at is null and next_attempt_at <= $1 \
         and claimed_until <= $1 order by id limit 1",
    )
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = candidate else {
        return Ok(None);
    };
    let claimed =
        sqlx::query("update outbox set claimed_until = $1 where id = $2 and sent_at is null and claimed_until <= $3")
            .bind(until)
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    if claimed.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query_as(&format!("select {MAIL_COLUMNS} from outbox where id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// The SMTP server accepted the mail: it is never sent again.
pub async fn mark_sent<'e>(db: impl Executor<'e, Database = Any>, id: i64, now: i64) -> DbResult<()> {
    sqlx::query(
        "update outbox set sent_at = $1, attempts = attempts + 1, claimed_until = 0, last_error = '' where id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await
    .map(|_| ())
}

/// The attempt failed: try again at `retry_at`, or give up (`retry_at` is `None`).
pub async fn mark_failed<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    error: &str,
    now: i64,
    retry_at: Option<i64>,
) -> DbResult<()> {
    sqlx::query(
        "update outbox set attempts = attempts + 1, claimed_until = 0, last_error = $1, \
         next_attempt_at = coalesce(cast($2 as bigint), next_attempt_at), \
         failed_at = case when cast($2 as bigint) is null then $3 else null end \
         where id = $4",
    )
    .bind(error)
    .bind(retry_at)
    .bind(now)
    .bind(id)
    .execute(db)
    .await
    .map(|_| ())
}
