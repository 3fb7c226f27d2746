//! Queries on the invitations of companies to consultations and their answers.

use super::DbResult;
use crate::model::{CompanyInvitation, InvitationState, InvitationStatus};
use sqlx::{Any, Executor};

/// Invites a company (pending); a company that declined is asked again. False when it was
/// already invited and has not declined.
pub async fn invite<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    organisation_id: i64,
    invited_by: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "insert into consultation_invitations (consultation_id, organisation_id, status, invited_at, invited_by) \
         values ($1, $2, 'pending', $3, $4) \
         on conflict (consultation_id, organisation_id) do update set status = 'pending', \
         invited_at = excluded.invited_at, invited_by = excluded.invited_by, answered_at = null \
         where consultation_invitations.status = 'declined'",
    )
    .bind(consultation_id)
    .bind(organisation_id)
    .bind(now)
    .bind(invited_by)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct StateRow {
    organisation_id: i64,
    company_name: String,
    #[sqlx(try_from = "String")]
    status: InvitationStatus,
    invited_at: i64,
    answered_at: Option<i64>,
}

pub async fn of_consultation<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<InvitationState>> {
    let rows: Vec<StateRow> = sqlx::query_as(
        "select i.organisation_id, o.name as company_name, i.status, i.invited_at, i.answered_at \
         from consultation_invitations i join organisations o on o.id = i.organisation_id \
         where i.consultation_id = $1 order by o.name, o.id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InvitationState {
            organisation_id: r.organisation_id,
            company_name: r.company_name,
            status: r.status,
            invited_at: r.invited_at,
            answered_at: r.answered_at,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    consultation_id: i64,
    title: String,
    buyer_name: String,
    invited_at: i64,
}

/// The invitations waiting for one company's answer, newest first.
pub async fn pending_for<'e>(
    db: impl Executor<'e, Database = Any>,
    organisation_id: i64,
) -> DbResult<Vec<CompanyInvitation>> {
    let rows: Vec<PendingRow> = sqlx::query_as(
        "select c.id as consultation_id, c.title, b.name as buyer_name, i.invited_at \
         from consultation_invitations i join consultations c on c.id = i.consultation_id \
         join organisations b on b.id = c.buyer_organisation_id \
         where i.organisation_id = $1 and i.status = 'pending' order by i.invited_at desc, c.id desc",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CompanyInvitation {
            consultation_id: r.consultation_id,
            title: r.title,
            buyer_name: r.buyer_name,
            invited_at: r.invited_at,
        })
        .collect())
}

/// Records the company's answer to a pending invitation; false when there is none.
pub async fn answer<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    organisation_id: i64,
    status: InvitationStatus,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "update consultation_invitations set status = $1, answered_at = $2 \
         where consultation_id = $3 and organisation_id = $4 and status = 'pending'",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(consultation_id)
    .bind(organisation_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewEmailInvitation<'a> {
    pub consultation_id: i64,
    pub email: &'a str,
    pub token_hash: &'a str,
    pub invited_by: i64,
    pub expires_at: i64,
}

pub async fn insert_by_email<'e>(
    db: impl Executor<'e, Database = Any>,
    invitation: &NewEmailInvitation<'_>,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into email_invitations (consultation_id, email, token_hash, invited_by, invited_at, expires_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(invitation.consultation_id)
    .bind(invitation.email)
    .bind(invitation.token_hash)
    .bind(invitation.invited_by)
    .bind(now)
    .bind(invitation.expires_at)
    .execute(db)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct ByEmailRow {
    email: String,
    invited_at: i64,
    expires_at: i64,
    company_name: Option<String>,
}

/// The invitations by e-mail of a consultation, newest first, with the company each led to.
pub async fn by_email_of_consultation<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<crate::model::EmailInvitationState>> {
    let rows: Vec<ByEmailRow> = sqlx::query_as(
        "select e.email, e.invited_at, e.expires_at, o.name as company_name from email_invitations e \
         left join organisations o on o.id = e.organisation_id where e.consultation_id = $1 \
         order by e.invited_at desc, e.id desc",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::model::EmailInvitationState {
            email: r.email,
            invited_at: r.invited_at,
            expires_at: r.expires_at,
            company_name: r.company_name,
        })
        .collect())
}

/// The consultation of a live invitation link (not used, not expired), with its title and buyer.
pub async fn live_by_email<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: i64,
) -> DbResult<Option<(i64, String, String)>> {
    sqlx::query_as(
        "select c.id, c.title, b.name from email_invitations e join consultations c on c.id = e.consultation_id \
         join organisations b on b.id = c.buyer_organisation_id \
         where e.token_hash = $1 and e.used_at is null and e.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Marks an invitation link used by the company a registration created or joined; false when
/// it was used already or has expired.
pub async fn use_by_email<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
    organisation_id: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "update email_invitations set used_at = $1, organisation_id = $2 \
         where token_hash = $3 and used_at is null and expires_at > $1",
    )
    .bind(now)
    .bind(organisation_id)
    .bind(token_hash)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Invites a company in a given state (used when a registration follows an invitation link).
pub async fn invite_with_status<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    organisation_id: i64,
    status: InvitationStatus,
    invited_by: i64,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into consultation_invitations (consultation_id, organisation_id, status, invited_at, invited_by, answered_at) \
         values ($1, $2, $3, $4, $5, case when $3 = 'accepted' then $4 else null end) \
         on conflict (consultation_id, organisation_id) do nothing",
    )
    .bind(consultation_id)
    .bind(organisation_id)
    .bind(status.as_str())
    .bind(now)
    .bind(invited_by)
    .execute(db)
    .await
    .map(|_| ())
}

/// Who sent an invitation link (the buyer the company's invitation is recorded from).
pub async fn inviter_of_link<'e>(db: impl Executor<'e, Database = Any>, token_hash: &str) -> DbResult<Option<i64>> {
    sqlx::query_scalar("select invited_by from email_invitations where token_hash = $1")
        .bind(token_hash)
        .fetch_optional(db)
        .await
}
