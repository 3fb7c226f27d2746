//! Queries on the notification centre, its preferences, the alerts and the daily digests.

use super::DbResult;
use sqlx::{Any, Executor};

/// Adds a notification unless this person already had this event (`dedup_key`); whether it is new.
#[allow(clippy::too_many_arguments)]
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    user: i64,
    kind: &str,
    dedup_key: &str,
    title: &str,
    link: &str,
    mail_state: &str,
    now: i64,
) -> DbResult<bool> {
    let inserted = sqlx::query(
        "insert into notifications (user_id, kind, dedup_key, title, link, created_at, mail_state) \
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (user_id, dedup_key) do nothing",
    )
    .bind(user)
    .bind(kind)
    .bind(dedup_key)
    .bind(title)
    .bind(link)
    .bind(now)
    .bind(mail_state)
    .execute(db)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

#[derive(sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

pub async fn latest<'e>(
    db: impl Executor<'e, Database = Any>,
    user: i64,
    limit: i64,
) -> DbResult<Vec<NotificationRow>> {
    sqlx::query_as(&format!(
        "select id, kind, title, link, created_at, read_at from notifications where user_id = $1 \
         order by id desc limit {limit}"
    ))
    .bind(user)
    .fetch_all(db)
    .await
}

pub async fn unread<'e>(db: impl Executor<'e, Database = Any>, user: i64) -> DbResult<i64> {
    sqlx::query_scalar("select count(*) from notifications where user_id = $1 and read_at is null")
        .bind(user)
        .fetch_one(db)
        .await
}

/// Marks one of the person's notifications read, or all of them (`None`).
pub async fn mark_read<'e>(
    db: impl Executor<'e, Database = Any>,
    user: i64,
    id: Option<i64>,
    now: i64,
) -> DbResult<()> {
    sqlx::query("update notifications set read_at = $1 where user_id = $2 and read_at is null and ($3 = 0 or id = $3)")
        .bind(now)
        .bind(user)
        .bind(id.unwrap_or(0))
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn preferences<'e>(db: impl Executor<'e, Database = Any>, user: i64) -> DbResult<Vec<(String, String)>> {
    sqlx::query_as("select kind, channel from notification_preferences where user_id = $1")
        .bind(user)
        .fetch_all(db)
        .await
}

pub async fn set_preference<'e>(
    db: impl Executor<'e, Database = Any>,
    user: i64,
    kind: &str,
    channel: &str,
) -> DbResult<()> {
    sqlx::query(
        "insert into notification_preferences (user_id, kind, channel) values ($1, $2, $3) \
         on conflict (user_id, kind) do update set channel = excluded.channel",
    )
    .bind(user)
    .bind(kind)
    .bind(channel)
    .execute(db)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow, Clone)]
pub struct AlertRow {
    pub user_id: i64,
    pub email: String,
    pub cpv_prefixes: String,
    pub departements: String,
    pub frequency: String,
}

const ALERT_SELECT: &str = "select a.user_id, u.email, a.cpv_prefixes, a.departements, a.frequency from alerts a \
     join users u on u.id = a.user_id";

pub async fn alert_of<'e>(db: impl Executor<'e, Database = Any>, user: i64) -> DbResult<Option<AlertRow>> {
    sqlx::query_as(&format!("{ALERT_SELECT} where a.user_id = $1"))
        .bind(user)
        .fetch_optional(db)
        .await
}

/// Every alert of a person still in a company.
pub async fn all_alerts<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<AlertRow>> {
    sqlx::query_as(&format!(
        "{ALERT_SELECT} where u.role = 'supplier' and u.organisation_id is not null order by a.user_id"
    ))
    .fetch_all(db)
    .await
}

pub async fn set_alert<'e>(
    db: impl Executor<'e, Database = Any>,
    user: i64,
    cpv_prefixes: &str,
    departements: &str,
    frequency: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into alerts (user_id, cpv_prefixes, departements, frequency, updated_at) values ($1, $2, $3, $4, $5) \
         on conflict (user_id) do update set cpv_prefixes = excluded.cpv_prefixes, \
         departements = excluded.departements, frequency = excluded.frequency, updated_at = excluded.updated_at",
    )
    .bind(user)
    .bind(cpv_prefixes)
    .bind(departements)
    .bind(frequency)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn delete_alert<'e>(db: impl Executor<'e, Database = Any>, user: i64) -> DbResult<()> {
    sqlx::query("delete from alerts where user_id = $1")
        .bind(user)
        .execute(db)
        .await
        .map(|_| ())
}

/// The people with notifications waiting for their daily digest.
pub async fn waiting_for_digest<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<(i64, String)>> {
    sqlx::query_as(
        "select distinct n.user_id, u.email from notifications n join users u on u.id = n.user_id \
         where n.mail_state = 'digest' order by n.user_id",
    )
    .fetch_all(db)
    .await
}

/// Records the digest of a person for a day; false if it was already sent.
pub async fn claim_digest<'e>(db: impl Executor<'e, Database = Any>, user: i64, day: &str, now: i64) -> DbResult<bool> {
    let inserted = sqlx::query(
        "insert into notification_digests (user_id, day, sent_at) values ($1, $2, $3) \
         on conflict (user_id, day) do nothing",
    )
    .bind(user)
    .bind(day)
    .bind(now)
    .execute(db)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// Takes the notifications waiting for a person's digest (marking them digested).
pub async fn take_digest(conn: &mut sqlx::AnyConnection, user: i64) -> DbResult<Vec<(String, String)>> {
    let items = sqlx::query_as(
        "select title, link from notifications where user_id = $1 and mail_state = 'digest' order by id",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("update notifications set mail_state = 'digested' where user_id = $1 and mail_state = 'digest'")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(items)
}

pub async fn email_of<'e>(db: impl Executor<'e, Database = Any>, user: i64) -> DbResult<Option<String>> {
    sqlx::query_scalar("select email from users where id = $1")
        .bind(user)
        .fetch_optional(db)
        .await
}

/// The people of the companies taking part in a consultation or invited to it (accepted).
pub async fn taking_part<'e>(db: impl Executor<'e, Database = Any>, consultation: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar(
        "select u.id from users u where u.role = 'supplier' and u.organisation_id in ( \
         select organisation_id from participants where consultation_id = $1 union \
         select organisation_id from consultation_invitations where consultation_id = $1 and status = 'accepted') \
         order by u.id",
    )
    .bind(consultation)
    .fetch_all(db)
    .await
}

/// The people of a company.
pub async fn company_members<'e>(db: impl Executor<'e, Database = Any>, company: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar("select id from users where organisation_id = $1 and role = 'supplier' order by id")
        .bind(company)
        .fetch_all(db)
        .await
}

/// The buyers of an organisation (`with_reviewers`: and the reviewers attached to it).
pub async fn buyer_side<'e>(
    db: impl Executor<'e, Database = Any>,
    organisation: i64,
    with_reviewers: bool,
) -> DbResult<Vec<i64>> {
    sqlx::query_scalar(
        "select id from users where organisation_id = $1 and role = 'buyer' union \
         select user_id from reviewer_organisations where organisation_id = $1 and $2 = 1 order by 1",
    )
    .bind(organisation)
    .bind(i64::from(with_reviewers))
    .fetch_all(db)
    .await
}

/// The reviewers attached to an organisation.
pub async fn reviewers_of<'e>(db: impl Executor<'e, Database = Any>, organisation: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar("select user_id from reviewer_organisations where organisation_id = $1 order by user_id")
        .bind(organisation)
        .fetch_all(db)
        .await
}

pub async fn consultation_cpv_codes<'e>(db: impl Executor<'e, Database = Any>, consultation: i64) -> DbResult<String> {
    sqlx::query_scalar("select cpv_codes from consultations where id = $1")
        .bind(consultation)
        .fetch_one(db)
        .await
}
