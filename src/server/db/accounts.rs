//! Queries on users, sessions, invitations and sign-in attempts.
//! Tokens are never stored: only their SHA-256 (see `server::auth::token`). Instants are Unix
//! seconds given by the caller, from the database's clock.

use super::DbResult;
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
}

/// A stored password hash (argon2id PHC string). Read only where a password is checked, never
/// printed (no `Debug`), never sent (no `Serialize`), never kept in the caller of a request.
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    #[sqlx(try_from = "String")]
    role: Role,
    organisation_id: Option<i64>,
    organisation_name: Option<String>,
}

impl From<UserRow> for UserRecord {
    fn from(r: UserRow) -> Self {
        UserRecord {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role: r.role,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
        }
    }
}

const USER_SELECT: &str = "select u.id, u.email, u.display_name, u.role, u.organisation_id, \
     o.name as organisation_name from users u left join organisations o on o.id = u.organisation_id";

pub async fn user_by_email<'e>(db: impl Executor<'e, Database = Any>, email: &str) -> DbResult<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!("{USER_SELECT} where u.email = $1"))
        .bind(email)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Into::into))
}

/// A user and their password hash, for checking a password at sign-in.
pub async fn credentials<'e>(
    db: impl Executor<'e, Database = Any>,
    email: &str,
) -> DbResult<Option<(UserRecord, PasswordHash)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "select u.id, u.email, u.display_name, u.role, u.organisation_id, o.name as organisation_name, \
         u.password_hash from users u left join organisations o on o.id = u.organisation_id where u.email = $1",
    )
    .bind(email)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.user.into(), PasswordHash(r.password_hash))))
}

/// The password hash of a user, for checking their current password before a change.
pub async fn password_hash<'e>(db: impl Executor<'e, Database = Any>, user_id: i64) -> DbResult<Option<PasswordHash>> {
    let hash: Option<String> = sqlx::query_scalar("select password_hash from users where id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    Ok(hash.map(PasswordHash))
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

pub async fn insert_user<'e>(db: impl Executor<'e, Database = Any>, u: &NewUser<'_>, now: i64) -> DbResult<i64> {
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
    now: i64,
) -> DbResult<()> {
    sqlx::query("update users set password_hash = $1, password_changed_at = $2 where id = $3")
        .bind(password_hash)
        .bind(now)
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
    now: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query("insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
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
    pub created_at: i64,
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
    .bind(i.created_at)
    .bind(i.expires_at)
    .execute(db)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
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
pub async fn use_invitation<'e>(db: impl Executor<'e, Database = Any>, token_hash: &str, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "update invitations set used_at = $1 where token_hash = $2 and used_at is null and expires_at > $1",
    )
    .bind(now)
    .bind(token_hash)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sign-in attempts recorded in a throttling window, for one account and for one address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecentAttempts {
    pub by_account: i64,
    pub by_address: i64,
}

/// Counts the unsuccessful attempts since `since` and, when `admit` accepts the counts, records
/// this one, all inside the caller's write transaction: concurrent guesses are counted one after
/// the other, so no more than the limit are ever checked. An attempt counts as a failure until
/// [`clear_sign_in_attempt`] removes it after a correct password.
pub async fn admit_sign_in_attempt(
    conn: &mut sqlx::AnyConnection,
    account: &str,
    address: &str,
    now: i64,
    since: i64,
    admit: impl FnOnce(RecentAttempts) -> bool,
) -> DbResult<Option<i64>> {
    let (by_account, by_address): (i64, i64) = sqlx::query_as(
        "select \
           (select count(*) from sign_in_failures where account = $1 and failed_at >= $3), \
           (select count(*) from sign_in_failures where address = $2 and failed_at >= $3)",
    )
    .bind(account)
    .bind(address)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    if !admit(RecentAttempts { by_account, by_address }) {
        return Ok(None);
    }
    let id = sqlx::query_scalar(
        "insert into sign_in_failures (account, address, failed_at) values ($1, $2, $3) returning id",
    )
    .bind(account)
    .bind(address)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(id))
}

/// After a correct password: the attempt and the earlier failures of the account from the same
/// address stop counting (a mistyped password does not linger; an attacker elsewhere is not
/// forgiven).
pub async fn clear_sign_in_attempts<'e>(
    db: impl Executor<'e, Database = Any>,
    account: &str,
    address: &str,
) -> DbResult<()> {
    sqlx::query("delete from sign_in_failures where account = $1 and address = $2")
        .bind(account)
        .bind(address)
        .execute(db)
        .await
        .map(|_| ())
}

/// Attempts older than the window are forgotten (called now and then, so the table stays small).
pub async fn forget_sign_in_attempts<'e>(db: impl Executor<'e, Database = Any>, before: i64) -> DbResult<()> {
    sqlx::query("delete from sign_in_failures where failed_at < $1")
        .bind(before)
        .execute(db)
        .await
        .map(|_| ())
}

/// Replaces the user's calendar subscription token (the old link stops working).
pub async fn set_calendar_feed<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into calendar_feeds (user_id, token_hash, created_at, expires_at) values ($1, $2, $3, $4) \
         on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at, \
         expires_at = excluded.expires_at",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Removes the user's calendar subscription link (revoked by its owner, or by a password change).
pub async fn delete_calendar_feed<'e>(db: impl Executor<'e, Database = Any>, user_id: i64) -> DbResult<bool> {
    let done = sqlx::query("delete from calendar_feeds where user_id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// When the user's calendar link was created and until when it works, if they have one.
pub async fn calendar_feed_dates<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> DbResult<Option<(i64, i64)>> {
    sqlx::query_as("select created_at, coalesce(expires_at, 0) from calendar_feeds where user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// The user a live calendar subscription token belongs to.
pub async fn user_by_calendar_feed<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: i64,
) -> DbResult<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "{USER_SELECT} join calendar_feeds f on f.user_id = u.id where f.token_hash = $1 and f.expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(row.map(Into::into))
}

/// A secret shared by every server of this database, created by the first one that asks.
pub async fn server_secret(db: &super::Db, name: &str, fresh: impl FnOnce() -> String) -> DbResult<String> {
    let mut tx = db.begin_write().await?;
    let existing: Option<String> = sqlx::query_scalar("select value from server_secrets where name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
    let value = match existing {
        Some(value) => value,
        None => {
            let value = fresh();
            sqlx::query("insert into server_secrets (name, value, created_at) values ($1, $2, $3)")
                .bind(name)
                .bind(&value)
                .bind(db.now())
                .execute(&mut *tx)
                .await?;
            value
        }
    };
    tx.commit().await?;
    Ok(value)
}
