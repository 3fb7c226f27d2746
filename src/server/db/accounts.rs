//! Queries on users, sessions, invitations, the outbox and sign-in failures.
//! Tokens are never stored: only their SHA-256 (see `server::auth::token`).

use super::{now_unix, DbResult};
use crate::model::Role;
use sqlx::{Any, Executor};

/// A user as the server needs it for permission checks.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub password_hash: String,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    organisation_id: Option<i64>,
    organisation_name: Option<String>,
    password_hash: String,
}

impl From<UserRow> for UserRecord {
    fn from(r: UserRow) -> Self {
        UserRecord {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            // The schema's check constraint allows only known roles; the least powerful otherwise.
            role: Role::parse(&r.role).unwrap_or(Role::Supplier),
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            password_hash: r.password_hash,
        }
    }
}

const USER_SELECT: &str = "select u.id, u.email, u.display_name, u.role, u.organisation_id, \
     o.name as organisation_name, u.password_hash from users u left join organisations o on o.id = u.organisation_id";

pub async fn user_by_email<'e>(db: impl Executor<'e, Database = Any>, email: &str) -> DbResult<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!("{USER_SELECT} where u.email = $1"))
        .bind(email)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Into::into))
}

pub async fn user_by_id<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!("{USER_SELECT} where u.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Into::into))
}

/// The user of a live session.
pub async fn user_by_session<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: i64,
) -> DbResult<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "{USER_SELECT} join sessions s on s.user_id = u.id where s.token_hash = $1 and s.expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(row.map(Into::into))
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub organisation_id: Option<i64>,
}

pub async fn insert_user<'e>(db: impl Executor<'e, Database = Any>, u: &NewUser<'_>) -> DbResult<i64> {
    let now = now_unix();
    sqlx::query_scalar(
        "insert into users (email, display_name, password_hash, role, organisation_id, created_at, password_changed_at) \
         values ($1, $2, $3, $4, $5, $6, $6) returning id",
    )
    .bind(u.email)
    .bind(u.display_name)
    .bind(u.password_hash)
    .bind(u.role.as_str())
    .bind(u.organisation_id)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn set_password<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    password_hash: &str,
) -> DbResult<()> {
    sqlx::query("update users set password_hash = $1, password_changed_at = $2 where id = $3")
        .bind(password_hash)
        .bind(now_unix())
        .bind(user_id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn attach_reviewer<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    organisation_id: i64,
) -> DbResult<()> {
    sqlx::query("insert into reviewer_organisations (user_id, organisation_id) values ($1, $2)")
        .bind(user_id)
        .bind(organisation_id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn reviewed_organisations<'e>(db: impl Executor<'e, Database = Any>, user_id: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar("select organisation_id from reviewer_organisations where user_id = $1 order by organisation_id")
        .bind(user_id)
        .fetch_all(db)
        .await
}

pub async fn insert_session<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query("insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now_unix())
        .bind(expires_at)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn delete_session<'e>(db: impl Executor<'e, Database = Any>, token_hash: &str) -> DbResult<()> {
    sqlx::query("delete from sessions where token_hash = $1")
        .bind(token_hash)
        .execute(db)
        .await
        .map(|_| ())
}

/// Signs a user out everywhere except the session given (after a password change).
pub async fn delete_other_sessions<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    keep: &str,
) -> DbResult<()> {
    sqlx::query("delete from sessions where user_id = $1 and token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(db)
        .await
        .map(|_| ())
}

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub invited_by: Option<i64>,
    pub expires_at: i64,
}

pub async fn insert_invitation<'e>(db: impl Executor<'e, Database = Any>, i: &NewInvitation<'_>) -> DbResult<()> {
    sqlx::query(
        "insert into invitations (token_hash, email, role, organisation_id, invited_by, created_at, expires_at) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(i.token_hash)
    .bind(i.email)
    .bind(i.role.as_str())
    .bind(i.organisation_id)
    .bind(i.invited_by)
    .bind(now_unix())
    .bind(i.expires_at)
    .execute(db)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    pub email: String,
    pub role: String,
    pub organisation_id: Option<i64>,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn invitation<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
) -> DbResult<Option<InvitationRow>> {
    sqlx::query_as("select email, role, organisation_id, expires_at, used_at from invitations where token_hash = $1")
        .bind(token_hash)
        .fetch_optional(db)
        .await
}

/// Marks an invitation used; false when it was already used (single use, even under a race).
pub async fn use_invitation<'e>(db: impl Executor<'e, Database = Any>, token_hash: &str) -> DbResult<bool> {
    let done = sqlx::query("update invitations set used_at = $1 where token_hash = $2 and used_at is null")
        .bind(now_unix())
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn queue_mail<'e>(
    db: impl Executor<'e, Database = Any>,
    recipient: &str,
    subject: &str,
    body: &str,
) -> DbResult<i64> {
    sqlx::query_scalar("insert into outbox (recipient, subject, body, created_at) values ($1, $2, $3, $4) returning id")
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(now_unix())
        .fetch_one(db)
        .await
}

pub async fn record_sign_in_failure<'e>(
    db: impl Executor<'e, Database = Any>,
    account: &str,
    address: &str,
) -> DbResult<()> {
    sqlx::query("insert into sign_in_failures (account, address, failed_at) values ($1, $2, $3)")
        .bind(account)
        .bind(address)
        .bind(now_unix())
        .execute(db)
        .await
        .map(|_| ())
}

/// Failures since `since` for this account and for this address.
pub async fn recent_sign_in_failures<'e>(
    db: impl Executor<'e, Database = Any>,
    account: &str,
    address: &str,
    since: i64,
) -> DbResult<(i64, i64)> {
    let (by_account, by_address): (i64, i64) = sqlx::query_as(
        "select \
           (select count(*) from sign_in_failures where account = $1 and failed_at >= $3), \
           (select count(*) from sign_in_failures where address = $2 and failed_at >= $3)",
    )
    .bind(account)
    .bind(address)
    .bind(since)
    .fetch_one(db)
    .await?;
    Ok((by_account, by_address))
}

pub async fn clear_sign_in_failures<'e>(db: impl Executor<'e, Database = Any>, account: &str) -> DbResult<()> {
    sqlx::query("delete from sign_in_failures where account = $1")
        .bind(account)
        .execute(db)
        .await
        .map(|_| ())
}

#[derive(sqlx::FromRow)]
pub struct MailRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// Mails not sent yet, oldest first.
pub async fn pending_mails<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<MailRow>> {
    sqlx::query_as("select id, recipient, subject, body from outbox where sent_at is null order by id")
        .fetch_all(db)
        .await
}

/// Replaces the user's calendar subscription token (the old link stops working).
pub async fn set_calendar_feed<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    token_hash: &str,
) -> DbResult<()> {
    sqlx::query(
        "insert into calendar_feeds (user_id, token_hash, created_at) values ($1, $2, $3) \
         on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(super::now_unix())
    .execute(db)
    .await
    .map(|_| ())
}

/// The user a calendar subscription token belongs to.
pub async fn user_by_calendar_feed<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
) -> DbResult<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "{USER_SELECT} join calendar_feeds f on f.user_id = u.id where f.token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(Into::into))
}
